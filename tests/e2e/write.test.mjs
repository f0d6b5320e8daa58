// Writing one's own reply (reply="write" and reply="both"), by keyboard only: the labelled text
// area, Enter to send and Shift+Enter for a new line, the coding said in a status region, "Go on
// with this", "Not what I meant" and the closest option, practice feedback on the reply itself,
// the transcript and the debrief with what was written, a reload that keeps it, axe clean on
// each screen and at 320 px. What a reply reads as comes from the learner's engine with the coder
// (www/pkg-write), loaded into Node with the same model (www/coder.bin): the page must agree.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    WWW, useEnv, openPage, ui, visible, eventually, tabTo, hasFocus, expectNoAxeViolations, expectNoHorizontalScroll, settled,
} from './helpers.mjs';

const engine = await import(pathToFileURL(path.join(WWW, 'pkg-write', 'attunement.js')).href);
engine.initSync({ module: readFileSync(path.join(WWW, 'pkg-write', 'attunement_bg.wasm')) });
const coder = new engine.Coder(readFileSync(path.join(WWW, 'coder.bin')));

// Replies a learner might write, in turn: a reflection, a roadblock, a question, validation.
const REPLIES = [
    'It sounds like this has been weighing on you for a while.',
    "Don't worry, I'm sure it will all work out fine!",
    'What has been the hardest part of it for you?',
    'That makes a lot of sense, given everything going on.',
    'You should just talk to your manager about it.',
];

const env = useEnv();

const area = page => page.getByRole('textbox', { name: 'Your reply, in your own words' });
const status = page => page.locator('attunement-sim .att-coded');

/// Begins by keyboard: Tab to "Continue" or "Start", Enter.
async function begin(page) {
    const w = ui(page);
    const button = w.continueButton.or(w.startButton).first();
    await visible(button, 'the intro\'s first button');
    await tabTo(page, button, 'the intro\'s first button');
    await page.keyboard.press('Enter');
}

/// Writes `text` at this turn and sends it with Enter; returns what the engine says of it there.
async function write(page, text) {
    const box = area(page);
    await visible(box, 'the reply text area');
    assert.ok(await hasFocus(box), 'the text area has focus at a new turn');
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await visible(status(page).getByText('Your reply reads as'), 'what the reply reads as');
}

test('write: every turn written by keyboard, taken or picked, through to the debrief', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice&seed=3&reply=write');
    const { page } = p;
    const w = ui(page);
    await begin(page);
    // The engine's twin of this session, to know what each reply reads as and is taken as.
    const sim = new engine.Simulator(readFileSync(path.join(WWW, 'scenarios', 'first-meeting.attn')), 'first-meeting.attn');
    const twin = sim.start('practice', 3);
    await visible(area(page), 'the reply text area');
    assert.equal(await area(page).evaluate(el => el.maxLength), 2000, 'the box takes what the engine codes (coder::MAX_REPLY) and no more');
    assert.equal(await w.choices.isVisible(), false, 'in write mode the options wait until the reply is written');
    await expectNoAxeViolations(page, 'with the text area shown');

    // Shift+Enter is a new line, not a send; an empty reply is not sent.
    await page.keyboard.press('Enter');
    await visible(status(page).getByText('Write your reply first.'), 'the empty-reply hint');
    await page.keyboard.type('First line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    assert.equal(await area(page).inputValue(), 'First line\nsecond line');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');

    const written = [];
    let turn = 0, differed = false, wentOn = false;
    while (!(await w.debrief.isVisible())) {
        const text = REPLIES[turn % REPLIES.length];
        const reply = twin.reply(coder, text);
        await write(page, text);
        const said = await status(page).innerText();
        assert.match(said, new RegExp(`reads as\\s+\\S[^\\n]*${reply.label}`, 'i'), `turn ${turn + 1}: the page's coding is the engine's: ${said}`);
        assert.match(said, new RegExp(`${Math.round(reply.confidence * 100)}% sure`));
        let id;
        if (reply.taken && differed) {
            wentOn = true;
            // Taken as the coding says: focus is on "Go on with this"; Enter takes it.
            const choice = twin.view().choices.find(c => c.id === reply.taken);
            assert.ok(said.includes(`Taken as: \u201c${choice.text}\u201d`), `turn ${turn + 1}: taken as ${choice.text}: ${said}`);
            assert.ok(await hasFocus(page.getByRole('button', { name: 'Go on with this' })), 'focus on "Go on with this"');
            await page.keyboard.press('Enter');
            id = reply.taken;
        } else {
            if (reply.taken) {
                // "Not what I meant": Tab from "Go on with this" and Enter; the options appear.
                await page.keyboard.press('Tab');
                assert.ok(await hasFocus(page.getByRole('button', { name: 'Not what I meant' })));
                await page.keyboard.press('Enter');
                differed = true;
            }
            const closest = page.getByRole('group', { name: 'The option closest to your reply' });
            await visible(closest, 'the options, to pick the closest');
            assert.ok(await hasFocus(closest), 'focus on the options');
            // The learner picks the last option with its digit.
            const options = twin.view().choices;
            await page.keyboard.press(String(options.length));
            id = options.at(-1).id;
        }
        const step = twin.chooseWritten(id, text, coder);
        written.push({ text, id, taken: reply.taken === id });
        turn++;
        await settled(page);
        if (turn === 1) {
            // Practice feedback speaks to the reply: what it reads as, why, and the mismatch.
            const fb = await w.feedback.innerText();
            assert.match(fb, new RegExp(`Your reply reads as[\\s\\S]*${reply.label}`));
            assert.match(fb, /what you wrote and what you picked differ|Builds trust|Costs trust|Neutral/);
            await expectNoAxeViolations(page, 'with feedback on a written reply');
        }
        if (step.ended) break;
    }
    assert.ok(differed && wentOn, `one turn said "not what I meant" (${differed}), a later one went on with the option it was taken as (${wentOn})`);
    await visible(w.debrief, 'the debrief');
    // The transcript shows what was written and how each was taken.
    const learner = await w.learnerMessages.allInnerTexts();
    assert.equal(learner.length, written.length);
    written.forEach((wr, i) => {
        assert.ok(learner[i].includes(wr.text), `turn ${i + 1} shows what was written: ${learner[i]}`);
        assert.match(learner[i], wr.taken ? /Taken as: / : /You picked: /);
    });
    // The debrief's comparison shows what was written.
    const compare = page.locator('attunement-sim .att-compare');
    assert.equal(await compare.evaluate(d => d.open), true, 'the comparison is open on a wide screen');
    const compared = await compare.innerText();
    assert.match(compared, /You wrote/i, `the comparison says "You wrote": ${compared}`);
    assert.ok(written.some(wr => compared.includes(wr.text)), 'and shows a written reply');
    assert.equal(await page.evaluate(() => localStorage.getItem('attunement:first-meeting:practice').includes('weighing')), false, 'the save holds no written text');
    await expectNoAxeViolations(page, 'at the debrief of a written conversation');

    // A reload keeps what was written (stored on the device beside the save).
    await page.reload();
    await visible(w.debrief, 'the debrief after a reload');
    const again = await w.learnerMessages.allInnerTexts();
    written.forEach((wr, i) => assert.ok(again[i].includes(wr.text), `after a reload, turn ${i + 1} still shows what was written`));
    twin.free();
    sim.free();
    await p.close();
});

test('both: the options with "Write my own reply", mixed by keyboard, in assessment at 320 px', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=assessment&seed=5&reply=both', { viewport: { width: 320, height: 640 } });
    const { page } = p;
    const w = ui(page);
    await begin(page);
    await visible(w.choices, 'the options, shown at once in both mode');
    const own = page.getByRole('button', { name: 'Write my own reply' });
    await visible(own, '"Write my own reply"');
    await expectNoAxeViolations(page, 'with the options and "Write my own reply"');
    await expectNoHorizontalScroll(page, 'in both mode at 320 px');
    let turn = 0;
    while (!(await w.debrief.isVisible())) {
        if (turn % 2 === 0) {
            await tabTo(page, own, '"Write my own reply"');
            await page.keyboard.press('Enter');
            assert.equal(await w.choices.isVisible(), false, 'the options step aside while writing');
            await write(page, REPLIES[turn % REPLIES.length]);
            if (turn === 0) {
                await expectNoAxeViolations(page, 'with a coded reply at 320 px');
                await expectNoHorizontalScroll(page, 'with a coded reply at 320 px');
            }
            const go = page.getByRole('button', { name: 'Go on with this' });
            if (await go.isVisible()) await page.keyboard.press('Enter');
            else await page.keyboard.press('1');
        } else {
            await tabTo(page, w.choices.getByRole('button').first(), 'the first option');
            await page.keyboard.press('Enter');
        }
        turn++;
        await settled(page);
    }
    const learner = await w.learnerMessages.allInnerTexts();
    assert.ok(learner[0].includes(REPLIES[0]), 'the written turn shows what was written');
    assert.doesNotMatch(learner[1], /Taken as|You picked/, 'a chosen turn is the option alone');
    await expectNoAxeViolations(page, 'at the debrief in both mode');
    await p.close();
});

test('an unknown reply value falls back to choose, with one warning', async () => {
    const warnings = [];
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice&reply=typing', {
        init: page => page.on('console', m => m.type() === 'warning' && warnings.push(m.text())),
    });
    const { page } = p;
    const w = ui(page);
    await begin(page);
    await visible(w.choices, 'the options');
    assert.equal(await page.getByRole('button', { name: 'Write my own reply' }).count(), 0);
    assert.equal(await area(page).count(), 0);
    await eventually(() => assert.deepEqual(warnings.filter(x => x.includes('reply')), ['attunement: unknown reply "typing": the allowed values are choose, write, both; using choose']));
    await p.close();
});

test('the library offers how to respond, and its links carry the choice', async () => {
    const p = await openPage(env, '/index.html');
    const { page } = p;
    const write = page.getByRole('radio', { name: /Write my own reply first/ });
    await visible(write, 'the "How you respond" choice');
    const practice = page.getByRole('link', { name: /^Practice: / }).first();
    assert.doesNotMatch(await practice.getAttribute('href'), /reply=/);
    await write.check();
    assert.match(await practice.getAttribute('href'), /reply=write/);
    await expectNoAxeViolations(page, 'on the library with the reply choice');
    await practice.click();
    await begin(page);
    await visible(area(page), 'the reply text area in the player');
    await page.goto(`${env.url}/index.html`);
    assert.ok(await page.getByRole('radio', { name: /Write my own reply first/ }).isChecked(), 'the choice is remembered');
    await p.close();
});

test('without its model, or the engine with the coder, the widget says so and the learner picks', async () => {
    for (const missing of ['**/coder.bin', '**/pkg-write/attunement.js']) {
        const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice&reply=write', {
            allow: [/404|Failed to fetch dynamically imported module/],
            init: page => page.route(missing, route => route.fulfill({ status: 404, body: 'gone' })),
        });
        const { page } = p;
        await visible(page.getByText('Writing your own reply is not available right now'), `the notice without ${missing}`);
        await begin(page);
        await visible(ui(page).choices, 'the options');
        assert.equal(await area(page).count(), 0);
        await p.close();
    }
});
