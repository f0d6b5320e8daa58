// Saves: a reload mid-session resumes exactly where the learner was; a
// corrupted save, or one made in the other mode, gets a notice and a fresh
// start, never a crash.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    useEnv, openPage, ui, enginePlay, start, playTurns, choiceTexts, meterState, visible, eventually,
    engineViewOfSave, STORAGE_KEY,
} from './helpers.mjs';

const env = useEnv();

const best = enginePlay({ auto: 'best', seed: 1 });

async function snapshot(page) {
    const w = ui(page);
    return {
        messages: await w.messages.evaluateAll(els =>
            els.map(el => `${el.dataset.speaker}: ${el.textContent.replace(/\s+/g, ' ').trim()}`),
        ),
        choices: await choiceTexts(page),
        meter: await meterState(page),
    };
}

test('a reload mid-session resumes exactly, and play goes on from there', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice');
    const { page } = p;
    const w = ui(page);
    await start(page);
    await playTurns(page, best.turns.slice(0, 3));
    await eventually(async () => {
        const saved = await page.evaluate(key => localStorage.getItem(key), STORAGE_KEY);
        assert.ok(saved, `progress is saved under localStorage["${STORAGE_KEY}"]`);
    });
    const before = await snapshot(page);

    await page.reload();
    await visible(w.choiceButtons, 'the choices after the reload (the session should resume, not restart)');
    await eventually(async () => {
        const after = await snapshot(page);
        assert.equal(after.messages.length, before.messages.length, 'the transcript has the same length after the reload');
        assert.deepEqual(after.messages, before.messages, 'the transcript is the same after the reload');
        assert.deepEqual(after.choices, before.choices, 'the same choices, in the same order, after the reload');
        assert.deepEqual(after.meter, before.meter, 'the meter is the same after the reload');
    });
    assert.equal(await w.status.filter({ hasText: 'could not be restored' }).count(), 0, 'a good save restores without a notice');
    assert.equal(await w.alert.count(), 0, 'a good save restores without an alert');

    // The restored session is the engine's, not a picture of one.
    await playTurns(page, best.turns.slice(3, 5), { feedback: true });
    await p.close();
});

/// The engine's reason for refusing `save`, from a second Simulator on the page's engine module.
async function engineRefusal(page, save) {
    return page.evaluate(async save => {
        const engine = await import('/pkg/attunement.js');
        await engine.default();
        const sim = new engine.Simulator(new Uint8Array(await (await fetch('/scenarios/first-meeting.attn')).arrayBuffer()), 'first-meeting.attn');
        try {
            sim.restore(save, 'practice').free();
            return null;
        } catch (error) {
            return error.message;
        } finally {
            sim.free();
        }
    }, save);
}

for (const [kind, bad] of [
    ['a corrupted save', 'A1.first-meeting.not-a-real-save.\u0000garbage{]'],
    ['an outdated save (format A0)', 'A0.first-meeting.7237c90cdea1c3de.p1.0ma21k.8d62d7c0'],
]) {
    test(`${kind} shows a notice with the engine's reason and starts afresh`, async () => {
        const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice', {
            init: page =>
                page.addInitScript(
                    ([key, value]) => {
                        // Only before the widget's first load, not on later reloads.
                        if (!sessionStorage.getItem('seeded')) {
                            sessionStorage.setItem('seeded', '1');
                            localStorage.setItem(key, value);
                        }
                    },
                    [STORAGE_KEY, bad],
                ),
        });
        const { page } = p;
        const w = ui(page);
        const notice = w.status.filter({ hasText: 'Your saved progress could not be restored' });
        await visible(notice, 'the role=status notice "Your saved progress could not be restored"');
        const reason = await engineRefusal(page, bad);
        assert.ok(reason, `the engine refuses ${kind}`);
        const text = (await notice.first().textContent()).replace(/\s+/g, ' ');
        assert.ok(text.includes(reason), `the notice gives the engine's reason ${JSON.stringify(reason)}; it reads ${JSON.stringify(text)}`);
        assert.equal(await w.alert.count(), 0, `${kind} is not an error panel`);

        // A fresh start: the intro or the first choices, trust at its start value.
        await start(page);
        await eventually(async () => assert.equal((await meterState(page)).now, String(best.turns[0].trust_before)));
        assert.equal(await w.learnerMessages.count(), 0, 'the fresh start has no learner messages');
        const stored = await page.evaluate(key => localStorage.getItem(key), STORAGE_KEY);
        assert.notEqual(stored, bad, 'the bad save is removed');
        await playTurns(page, best.turns.slice(0, 1));
        await page.reload();
        await visible(w.choiceButtons, 'the choices after a reload');
        assert.equal(await w.status.filter({ hasText: 'could not be restored' }).count(), 0, 'the new save restores without a notice');
        assert.equal(await w.learnerMessages.count(), 1, 'the new save holds the one choice made');
        await p.close();
    });
}

test('a practice save under the assessment key is refused: a notice, no undo, and a fresh assessment that plays', async () => {
    // A real practice session's save, with its valid checksum.
    const practice = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice');
    await start(practice.page);
    await playTurns(practice.page, best.turns.slice(0, 2));
    const save = await eventually(async () => {
        const saved = await practice.page.evaluate(key => localStorage.getItem(key), STORAGE_KEY);
        assert.match(saved ?? '', /^A\d\./, 'the practice session is saved');
        return saved;
    });
    await practice.close();

    const key = 'attunement:first-meeting:assessment';
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=assessment', {
        init: page => page.addInitScript(([key, value]) => {
            if (!sessionStorage.getItem('seeded')) {
                sessionStorage.setItem('seeded', '1');
                localStorage.setItem(key, value);
            }
        }, [key, save]),
    });
    const { page } = p;
    const w = ui(page);
    const notice = w.status.filter({ hasText: 'Your saved progress was from practice mode, so this assessment starts afresh.' });
    await visible(notice, 'the notice that the practice save does not carry into the assessment');
    assert.equal(await w.alert.count(), 0, 'no error panel');
    await start(page);
    assert.equal(await w.learnerMessages.count(), 0, 'the assessment starts afresh: no responses carried over');
    assert.equal(await w.undo.count(), 0, 'no "Try a different response" in assessment mode');
    assert.equal(await w.feedback.count(), 0, 'no practice feedback in assessment mode');

    const assessed = enginePlay({ auto: 'best', seed: 1, mode: 'assessment' });
    await playTurns(page, assessed.turns.slice(0, 1));
    assert.equal(await w.undo.count(), 0, 'still no undo after the first choice');
    assert.equal(await w.feedback.count(), 0, 'still no feedback after the first choice');
    const stored = await page.evaluate(key => localStorage.getItem(key), key);
    assert.notEqual(stored, save, 'the practice save is gone from the assessment key');
    const view = await engineViewOfSave(page, { key });
    assert.equal(view.mode, 'assessment', 'what is saved now is an assessment session');
    assert.equal(view.turn, 1, 'with the one choice made');
    await p.close();
});

test('with storage full, one notice says progress cannot be saved, and play goes on', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice', {
        // Fill this origin's localStorage to the last character before the widget loads.
        init: page => page.addInitScript(() => {
            if (sessionStorage.getItem('filled')) return;
            sessionStorage.setItem('filled', '1');
            let n = 0;
            for (let size = 1 << 20; size >= 1; ) {
                try {
                    localStorage.setItem(`filler-${n++}`, 'x'.repeat(size));
                } catch {
                    size = Math.floor(size / 2);
                }
            }
        }),
    });
    const { page } = p;
    const w = ui(page);
    const unsaved = w.status.filter({ hasText: 'Your progress cannot be saved on this device' });
    await start(page);
    await playTurns(page, best.turns.slice(0, 4));
    assert.equal(await unsaved.count(), 1, 'exactly one notice, not one per turn');
    assert.match(await unsaved.textContent(), /if you leave or reload this page the conversation starts again/);
    assert.equal(await page.evaluate(key => localStorage.getItem(key), STORAGE_KEY), null, 'indeed nothing was saved');
    assert.equal(await w.alert.count(), 0, 'no error panel');

    // Dismissed, it stays dismissed.
    await w.widget.locator('.att-notice').filter({ hasText: 'cannot be saved' }).getByRole('button', { name: 'Dismiss' }).click();
    await playTurns(page, best.turns.slice(4, 6));
    assert.equal(await unsaved.count(), 0, 'no new notice after it was dismissed');
    await p.close();
});
