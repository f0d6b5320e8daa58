// The learner's experience (issue 10): heard, not only seen (the live region says each verdict
// and change; restoring adds nothing to the live log); "Welcome back"; "Why?" remembered; Start
// over during play; assessment hides trust unless the host shows it; the content note before any
// summary at every entry point; the peer acknowledging a sharp drop; a theme's button styles kept
// out; 200% text at 320 px.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    useEnv, openPage, ui, enginePlay, cli, start, choose, playTurns, visible, eventually, settled,
    expectTrust, expectNoTrust, expectNoHorizontalScroll, STORAGE_KEY,
} from './helpers.mjs';

const env = useEnv();
const EMBED = '/embed.html?scenario=first-meeting&mode=practice&seed=1';
const best = enginePlay({ auto: 'best', seed: 1 });
const worst = enginePlay({ auto: 'worst', seed: 1 });
const KINDS = { skill: 'Builds trust', neutral: 'Neutral', roadblock: 'Roadblock' };
const squash = s => (s ?? '').replace(/\s+/g, ' ').trim();
const announced = page => page.locator('attunement-sim .att-play > [role="status"]');

test('after each practice choice the polite status line says the verdict and the change', async () => {
    const p = await openPage(env, EMBED);
    const { page } = p;
    await start(page);
    assert.equal(await announced(page).getAttribute('role'), 'status', 'a polite live region (role=status)');
    for (const turn of worst.turns) {
        await choose(page, turn.text);
        const wanted = `${KINDS[turn.kind]}: ${turn.skill_label}. Trust ${turn.trust_before} to ${turn.trust_after}.`;
        await eventually(async () => {
            const said = squash(await announced(page).textContent());
            assert.ok(said.startsWith(wanted), `after turn ${turn.number} the status says ${JSON.stringify(wanted)}; it says ${JSON.stringify(said)}`);
            if (turn.warning) assert.ok(said.includes(`Warning: ${turn.warning}.`), 'the warning beat is announced too');
        });
    }
    await p.close();
});

test('a reload restores into a plain history, adds nothing to the live log, says "Welcome back" and lands at the choices', async () => {
    const p = await openPage(env, EMBED, { viewport: { width: 360, height: 740 }, reducedMotion: 'reduce' });
    const { page } = p;
    const w = ui(page);
    await start(page);
    await playTurns(page, best.turns.slice(0, 3));
    assert.equal(await w.log.locator('.att-msg').count(), 7, 'this visit\'s lines are in the live log: the opening and three turns');
    await page.reload();
    await visible(w.choiceButtons, 'the choices after the reload');
    await visible(w.status.filter({ hasText: 'Welcome back.' }), 'the "Welcome back" notice');
    assert.equal(await w.log.locator('.att-msg').count(), 0, 'restoring appends nothing to the live log');
    assert.equal(await w.history.locator('.att-msg').count(), 7, 'the restored lines are in the history above it');
    assert.equal(await w.history.evaluate(el => el.closest('[role="log"], [aria-live]')), null, 'the history is not inside a live region');
    await eventually(async () => {
        const at = await page.evaluate(() => {
            const c = document.querySelector('attunement-sim .att-choices button').getBoundingClientRect();
            return { top: c.top, bottom: c.bottom, height: innerHeight };
        });
        assert.ok(at.top >= 0 && at.bottom <= at.height, `the first choice is on screen after the reload: ${JSON.stringify(at)}`);
    });
    // Play goes on into the live log.
    await playTurns(page, best.turns.slice(3, 4));
    assert.equal(await w.log.locator('.att-msg').count(), 2, 'the next turn goes into the live log');
    await p.close();
});

test('"Why?" opens the reasons, and the widget remembers whether the learner likes it open', async () => {
    const p = await openPage(env, EMBED);
    const { page } = p;
    const w = ui(page);
    await start(page);
    await playTurns(page, best.turns.slice(0, 1));
    const why = w.feedback.getByRole('button', { name: 'Why?' });
    const reasons = w.feedback.locator('.att-reasons');
    assert.equal(await why.getAttribute('aria-expanded'), 'false', 'closed at first');
    assert.equal(await reasons.isVisible(), false, 'the reasons wait behind "Why?"');
    assert.equal(await w.feedback.locator('.att-badge').count(), 1, 'the verdict shows one badge');
    const t0 = best.turns[0], change = t0.trust_after - t0.trust_before;
    const verdict = squash(await w.feedback.locator('.att-fb-skill').textContent());
    assert.equal(verdict.toLowerCase(), `${KINDS[t0.kind]} ${t0.skill_label} · trust ${t0.trust_before} → ${t0.trust_after} (${change > 0 ? '+' : ''}${change})`.toLowerCase(), 'the one-line verdict: badge, skill, change');
    const named = async () => (await w.feedback.evaluate(el => el.innerText)).toLowerCase().split(t0.skill_label.toLowerCase()).length - 1;
    assert.equal(await named(), 1, 'the verdict names the skill once');
    await why.click();
    assert.equal(await why.getAttribute('aria-expanded'), 'true');
    assert.equal(await reasons.isVisible(), true, '"Why?" shows the reasons');
    assert.ok(await named() <= 2, 'with the reasons open, the skill is named by the verdict and at most by the scenario\'s feedback');
    await playTurns(page, best.turns.slice(1, 2));
    await eventually(async () => assert.equal(await w.feedback.getByRole('button', { name: 'Why?' }).getAttribute('aria-expanded'), 'true', 'the next turn keeps it open'));
    assert.equal(await w.feedback.locator('.att-reasons').isVisible(), true);
    await page.reload();
    await visible(w.feedback, 'the feedback after the reload');
    assert.equal(await w.feedback.getByRole('button', { name: 'Why?' }).getAttribute('aria-expanded'), 'true', 'and so does the next visit');
    await w.feedback.getByRole('button', { name: 'Why?' }).click();
    await playTurns(page, best.turns.slice(2, 3));
    await eventually(async () => assert.equal(await w.feedback.getByRole('button', { name: 'Why?' }).getAttribute('aria-expanded'), 'false', 'closing it is remembered too'));
    await p.close();
});

test('"Start over" during play asks first; Cancel keeps the conversation, Start over begins again', async () => {
    const p = await openPage(env, EMBED);
    const { page } = p;
    const w = ui(page);
    await start(page);
    await playTurns(page, best.turns.slice(0, 2));
    await w.startOver.click();
    await visible(w.confirm, 'the "Start over?" dialog');
    await w.confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await w.learnerMessages.count(), 2, 'Cancel keeps the conversation');
    await settled(page);
    await w.startOver.click();
    await w.confirmStartOver.click();
    await eventually(async () => assert.equal(await w.learnerMessages.count(), 0, 'Start over begins afresh'));
    await expectTrust(page, best.turns[0].trust_before, 'after Start over');
    assert.equal(await page.evaluate(key => localStorage.getItem(`${key}:status`), STORAGE_KEY), 'in-progress', 'the library\'s mark says in progress');
    await p.close();
});

test('the library\'s mark: in progress while playing, done at the end', async () => {
    const p = await openPage(env, EMBED);
    const { page } = p;
    await start(page);
    const mark = () => page.evaluate(key => localStorage.getItem(`${key}:status`), STORAGE_KEY);
    assert.equal(await mark(), 'in-progress');
    await playTurns(page, worst.turns);
    await visible(ui(page).debrief, 'the Debrief region');
    assert.equal(await mark(), 'done');
    await p.close();
});

test('assessment shows no trust, mood or badge until the debrief; show-trust shows them for trainers', async () => {
    const assessed = enginePlay({ auto: 'worst', seed: 1, mode: 'assessment' });
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=assessment&seed=1');
    const { page } = p;
    const w = ui(page);
    await start(page);
    await expectNoTrust(page, 'at the start of an assessment');
    assert.match(squash(await w.widget.locator('.att-header').textContent()), /Trust and feedback wait for the debrief\./, 'the bar says where trust went');
    await playTurns(page, assessed.turns.slice(0, -1));
    assert.equal(squash(await announced(page).textContent()), '', 'no verdict is announced in an assessment');
    await playTurns(page, assessed.turns.slice(-1));
    await visible(w.debrief, 'the Debrief region');
    await p.close();

    const shown = await openPage(env, '/fixtures/host.html?src=/scenarios/first-meeting.attn&mode=assessment&seed=1&show-trust');
    await start(shown.page);
    await playTurns(shown.page, assessed.turns.slice(0, 2));
    assert.equal(await ui(shown.page).feedback.count(), 0, 'show-trust shows trust, not the practice feedback');
    await shown.close();
});

for (const [entry, url] of [
    ['index.html', '/index.html?scenario=asking-directly&mode=practice'],
    ['embed.html', '/embed.html?scenario=asking-directly&mode=practice'],
    ['a page\'s own element', '/fixtures/host.html?src=/scenarios/asking-directly.attn'],
]) {
    test(`${entry}: the content note comes before the summary and the background`, async () => {
        const p = await openPage(env, url);
        const { page } = p;
        const note = page.locator('attunement-sim .att-content-note');
        await visible(note, 'the content note');
        const order = await page.evaluate(() => {
            const root = document.querySelector('attunement-sim');
            const note = root.querySelector('.att-content-note');
            const rest = [...root.querySelectorAll('.att-summary, .att-about, .att-facts')];
            return {
                dom: rest.every(el => note.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
                screen: rest.every(el => el.getBoundingClientRect().top >= note.getBoundingClientRect().bottom),
                count: rest.length,
            };
        });
        assert.equal(order.count, 3, 'the summary, the facts and the background are there');
        assert.ok(order.dom, 'the note precedes them in the DOM (the order a screen reader reads)');
        assert.ok(order.screen, 'and on screen');
        await p.close();
    });
}

test('after a sharp drop the peer acknowledges it, where the scenario says so, and a reload keeps the line', async () => {
    const path = JSON.parse(cli('play', 'scenarios/nobody-listens.toml', '--choices', 'furious,start-record', '--format', 'json', '--seed', '1'));
    const ack = "See? That. That's exactly what they do.";
    const p = await openPage(env, '/fixtures/host.html?src=/scenarios/nobody-listens.attn&seed=1');
    const { page } = p;
    const w = ui(page);
    await start(page);
    await choose(page, path.turns[0].text);
    assert.equal(await w.widget.locator('.att-ack').count(), 0, 'no acknowledgement after a rise');
    await choose(page, path.turns[1].text);
    const newest = w.peerMessages.last();
    await eventually(async () => assert.ok(squash(await newest.locator('.att-say').first().textContent()) === ack, 'the peer\'s next line opens with the acknowledgement'));
    await page.reload();
    await visible(w.choiceButtons, 'the choices after the reload');
    assert.equal(squash(await w.history.locator('.att-ack').textContent()), ack, 'the restored history keeps it');
    await p.close();
});

test('a theme\'s styles for buttons and text (text-transform, letter-spacing) change nothing inside the widget', async () => {
    const look = async url => {
        const p = await openPage(env, url);
        await start(p.page);
        const style = await p.page.evaluate(() => {
            const pick = el => { const s = getComputedStyle(el); return { transform: s.textTransform, spacing: s.letterSpacing, words: s.wordSpacing, shadow: s.textShadow, width: Math.round(el.getBoundingClientRect().width) }; };
            const root = document.querySelector('attunement-sim');
            return { choice: pick(root.querySelector('.att-choice')), text: pick(root.querySelector('.att-choice-text')), help: pick(root.querySelector('.att-help-toggle')), peer: pick(root.querySelector('.att-msg .att-say')) };
        });
        await p.close();
        return style;
    };
    const plain = await look('/fixtures/host.html?src=/scenarios/first-meeting.attn&seed=1');
    const themed = await look('/fixtures/themed.html?src=/scenarios/first-meeting.attn&seed=1');
    assert.deepEqual(themed, plain, 'inside a themed page the widget looks as it does on a plain one');
    assert.equal(plain.choice.transform, 'none');
    await (async () => {
        // The theme really is there: its own button outside the widget is in capitals.
        const p = await openPage(env, '/fixtures/themed.html?src=/scenarios/first-meeting.attn');
        assert.equal(await p.page.locator('#theme-button').evaluate(el => getComputedStyle(el).textTransform), 'uppercase', 'the theme applies to its own buttons');
        await p.close();
    })();
});

test('200% text at 320 px: the intro, play and the debrief never scroll sideways', async () => {
    const p = await openPage(env, EMBED, { viewport: { width: 320, height: 700 } });
    const { page } = p;
    await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
    await visible(ui(page).continueButton.or(ui(page).startButton), 'the intro');
    await expectNoHorizontalScroll(page, 'the intro at 200% text');
    await start(page);
    await expectNoHorizontalScroll(page, 'play at 200% text');
    await playTurns(page, worst.turns);
    await visible(ui(page).debrief, 'the Debrief region');
    await page.evaluate(() => { for (const d of document.querySelectorAll('attunement-sim details')) d.open = true; });
    await expectNoHorizontalScroll(page, 'the debrief at 200% text, every fold-out open');
    await p.close();
});
