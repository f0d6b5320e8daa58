// Keyboard-only play of the default scenario to two different endings, with
// the trust meter checked against the engine after every step.
//
// The paths come from the engine (`attunement play --auto best|worst`); the
// widget's choice order is its own (random seed), so each step finds the
// choice by its visible text and presses its digit key, or tabs to it and
// presses Enter. No mouse is used in this file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    useEnv, openPage, ui, enginePlay, startByKeyboard, playTurns, expectTrust,
    visible, eventually, hasFocus, describeFocus, expectViewMatchesEngine,
} from './helpers.mjs';

const env = useEnv();

const best = enginePlay({ auto: 'best', seed: 1 });
const worst = enginePlay({ auto: 'worst', seed: 2 });

test('the engine\'s best and worst paths end differently (precondition)', () => {
    assert.notEqual(best.ending.id, worst.ending.id);
});

for (const [name, path, via] of [
    ['best path, digit keys', best, 'digit'],
    ['worst path, Tab and Enter', worst, 'tab'],
]) {
    test(`keyboard only: ${name}, ends "${path.ending.title}"`, async () => {
        const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice');
        const { page } = p;
        const w = ui(page);

        await visible(w.help, 'the "Get help now" link');
        await startByKeyboard(page);
        await expectTrust(page, path.turns[0].trust_before, 'at the start');
        await visible(w.peerMessages, 'the first peer message');
        const firstMessage = await w.peerMessages.first().elementHandle();
        const firstText = await firstMessage.textContent();
        assert.ok(firstText.includes('Tasha booked this'), `the first peer message reads ${JSON.stringify(firstText)}`);

        for (const [i, turn] of path.turns.entries()) {
            await playTurns(page, [turn], { via, feedback: true });
            await expectViewMatchesEngine(page, `after turn ${turn.number}`);
            if (i < path.turns.length - 1) {
                // Focus goes to the new choices (the group), not lost to the body.
                await eventually(async () => {
                    assert.ok(
                        await hasFocus(w.choices, { within: true }),
                        `after turn ${turn.number}, focus should be on the choices group; it is on ${await describeFocus(page)}`,
                    );
                });
            }
            assert.equal(await w.learnerMessages.count(), i + 1, 'one learner message per turn');
            assert.ok((await w.peerMessages.count()) >= i + 1, 'the peer\'s messages stay in the log');
        }

        // The ending, in the debrief, with focus on its heading.
        await visible(w.debrief, 'the Debrief region');
        const firstParagraph = text => text.split(/\n\s*\n/)[0].replace(/\s+/g, ' ').trim();
        await eventually(async () => {
            const text = (await w.debrief.textContent()).replace(/\s+/g, ' ');
            assert.ok(text.includes(path.ending.title), `the debrief should show the ending "${path.ending.title}"`);
            assert.equal(await w.debrief.locator('.att-ending').getAttribute('data-outcome'), path.ending.outcome, 'the ending is styled by its outcome');
            assert.ok(text.toLowerCase().includes(path.ending.outcome.replace(/_/g, ' ')), `the debrief should name the outcome "${path.ending.outcome}" in words`);
            assert.ok(text.includes(firstParagraph(path.debrief.text)), 'the debrief should show the ending\'s text');
        });
        // (The other ending's title may appear in the comparison with the best path; its text may not.)
        const other = path === best ? worst : best;
        assert.ok(
            !(await w.debrief.textContent()).replace(/\s+/g, ' ').includes(firstParagraph(other.debrief.text)),
            `the debrief should not show the text of the ending "${other.ending.title}"`,
        );
        assert.ok((await w.log.textContent()).includes(path.debrief.say.split('\n')[0]), 'the peer\'s closing line is in the transcript');
        await eventually(async () => {
            const heading = w.debrief.getByRole('heading', { name: 'Debrief' });
            assert.ok(await hasFocus(heading), `at the end, focus should be on the Debrief heading; it is on ${await describeFocus(page)}`);
        });
        await expectTrust(page, path.trust, 'at the end');

        // Messages were appended, never re-rendered: the first is the same node.
        assert.ok(await firstMessage.evaluate(el => el.isConnected), 'the first peer message was replaced (the log was re-rendered)');
        assert.equal(await w.choiceButtons.count(), 0, 'no choices remain offered after the ending');
        await p.close();
    });
}
