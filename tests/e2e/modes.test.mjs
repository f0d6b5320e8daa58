// Practice mode's undo ("Try a different response") and its absence, with
// all feedback, in assessment mode until the debrief.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    WWW, useEnv, openPage, ui, enginePlay, start, choose, choiceTexts, playTurns, expectTrust,
    meterState, visible, eventually,
} from './helpers.mjs';

const engine = await import(pathToFileURL(path.join(WWW, 'pkg', 'attunement.js')).href);
engine.initSync({ module: readFileSync(path.join(WWW, 'pkg', 'attunement_bg.wasm')) });

/// The choices offered after `turns` (the engine's) in first-meeting, each with the turn it
/// would make, found by the learner's engine (loaded into Node): chosen, then taken back.
function offeredAfter(turns) {
    const sim = new engine.Simulator(readFileSync(path.join(WWW, 'scenarios', 'first-meeting.attn')), 'first-meeting.attn');
    const play = sim.start('practice', 1);
    try {
        for (const t of turns) play.choose(t.choice);
        return play.view().choices.map(c => {
            const turn = play.choose(c.id).explanation;
            play.undo();
            return { ...c, turn };
        });
    } finally {
        play.free();
        sim.free();
    }
}

const env = useEnv();

const best = enginePlay({ auto: 'best', seed: 1 });
const assessed = enginePlay({ auto: 'worst', seed: 1, mode: 'assessment' });

test('practice: "Try a different response" takes back the last choice', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice');
    const { page } = p;
    const w = ui(page);
    await start(page);

    // One step in, so undo has a non-initial state to return to.
    await playTurns(page, best.turns.slice(0, 1), { feedback: true });
    const meterBefore = await meterState(page);
    const choicesBefore = await choiceTexts(page);
    const messagesBefore = await w.messages.count();
    const learnerBefore = await w.learnerMessages.count();

    // A roadblock (one offered here, whatever the worst path met elsewhere), then undo.
    const offered = offeredAfter(best.turns.slice(0, 1));
    const miss = (offered.find(c => c.turn.kind === 'roadblock') ?? offered.find(c => c.id !== best.turns[1].choice)).text;
    await choose(page, miss, 'click');
    await visible(w.feedback, 'the Feedback section');
    assert.notDeepEqual(await choiceTexts(page), choicesBefore, 'the choices should move on after a choice');
    await visible(w.undo, 'the "Try a different response" button');
    await w.undo.click();

    await eventually(async () => {
        assert.deepEqual(await meterState(page), meterBefore, 'the meter returns to its value before the choice');
        assert.deepEqual(await choiceTexts(page), choicesBefore, 'the same choices, in the same order, are offered again');
        assert.equal(await w.learnerMessages.count(), learnerBefore, 'the taken-back choice leaves the transcript');
    });
    assert.ok((await w.messages.count()) <= messagesBefore + 1, 'the transcript returns to where it was (a system note at most)');

    // And play goes on from there with the engine's numbers.
    await playTurns(page, best.turns.slice(1, 3), { feedback: true });
    await p.close();
});

test('practice: undo is offered only when there is something to undo', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice');
    const { page } = p;
    const w = ui(page);
    await start(page);
    assert.equal(await w.undo.count(), 0, 'no "Try a different response" before the first choice');
    await playTurns(page, best.turns.slice(0, 1));
    await visible(w.undo, 'the "Try a different response" button');
    await w.undo.click();
    await expectTrust(page, best.turns[0].trust_before, 'after undoing the first choice');
    await eventually(async () => assert.equal(await w.undo.count(), 0, 'no "Try a different response" at the first node again'));
    await p.close();
});

test('assessment: no undo and no feedback until the debrief', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=assessment');
    const { page } = p;
    const w = ui(page);
    await start(page);
    const noFeedback = async when => {
        assert.equal(await w.undo.count(), 0, `${when}: assessment mode must not offer "Try a different response"`);
        assert.equal(await w.feedback.count(), 0, `${when}: assessment mode must not show the Feedback section`);
        for (const turn of assessed.turns) {
            assert.equal(
                await page.getByText(turn.feedback, { exact: false }).count(),
                0,
                `${when}: the feedback text of "${turn.choice}" must not be shown before the debrief`,
            );
        }
    };
    await noFeedback('at the start');
    for (const turn of assessed.turns.slice(0, -1)) {
        await choose(page, turn.text, 'digit');
        await visible(w.choices.getByRole('button'), 'the next choices');
        await noFeedback(`after turn ${turn.number}`);
        assert.equal(await w.debrief.count(), 0, 'no debrief before the end');
    }
    await eventually(async () => {
        const saved = await page.evaluate(() => localStorage.getItem('attunement:first-meeting:assessment'));
        assert.ok(saved, 'assessment progress is saved under attunement:first-meeting:assessment');
    });
    await choose(page, assessed.turns.at(-1).text, 'digit');
    await visible(w.debrief, 'the Debrief region');
    await eventually(async () => {
        assert.ok((await w.debrief.textContent()).includes(assessed.ending.title), `the debrief shows "${assessed.ending.title}"`);
    });
    assert.equal(await w.undo.count(), 0, 'no "Try a different response" at the debrief in assessment mode');
    // The debrief is where the assessed learner finally sees what each choice did.
    const debriefText = (await w.debrief.textContent()).replace(/\s+/g, ' ');
    assert.ok(
        assessed.debrief.key_moments.some(m => debriefText.includes(m.feedback.replace(/\s+/g, ' '))),
        'the debrief shows the key moments\' feedback',
    );
    await p.close();
});
