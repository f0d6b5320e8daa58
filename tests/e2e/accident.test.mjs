// Nothing by accident: a double tap answers once, digit keys answer only with focus inside
// the widget, Restart asks first (a native <dialog>), and an unknown mode falls back to
// practice with one warning. Assertions are on outcomes (turns, saves, focus), never durations.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    useEnv, openPage, ui, enginePlay, start, playTurns, visible, eventually, hasFocus, describeFocus,
    engineViewOfSave, expectTrust,
} from './helpers.mjs';

const env = useEnv();
const best = enginePlay({ auto: 'best', seed: 1 });
const EMBED = '/embed.html?scenario=first-meeting&mode=practice';
const settle = ms => new Promise(resolve => setTimeout(resolve, ms));

test('a double click on a choice answers once', async () => {
    const p = await openPage(env, EMBED);
    const { page } = p;
    const w = ui(page);
    await start(page);
    const box = await w.choiceButtons.first().boundingBox();
    const x = box.x + box.width / 2, y = box.y + box.height / 2;
    await page.mouse.click(x, y);
    await settle(100);
    await page.mouse.click(x, y);
    await settle(800);
    assert.equal(await w.learnerMessages.count(), 1, 'two quick clicks make one turn');
    assert.equal((await engineViewOfSave(page)).turn, 1, 'the save holds one turn');
    await p.close();
});

test('two quick Enter presses on a choice answer once', async () => {
    const p = await openPage(env, EMBED);
    const { page } = p;
    const w = ui(page);
    await start(page);
    await w.choiceButtons.first().focus();
    await page.keyboard.press('Enter');
    // Focus moved to the group; a second Enter on the next first button, as a fast hand would.
    await w.choiceButtons.first().focus();
    await page.keyboard.press('Enter');
    await settle(800);
    assert.equal(await w.learnerMessages.count(), 1, 'two quick Enter presses make one turn');
    await p.close();
});

test('digit keys answer only with focus inside the widget', async () => {
    const p = await openPage(env, EMBED);
    const { page } = p;
    const w = ui(page);
    await start(page);
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('1');
    await settle(600);
    assert.equal(await w.learnerMessages.count(), 0, 'a "1" with focus on the body does nothing');
    await w.choiceButtons.first().focus();
    await page.keyboard.press('1');
    await eventually(async () => assert.equal(await w.learnerMessages.count(), 1, 'a "1" with focus on a choice answers'));
    await p.close();
});

test('a digit typed in an element outside the widget does nothing', async () => {
    const p = await openPage(env, '/fixtures/host.html?src=/scenarios/first-meeting.attn');
    const { page } = p;
    const w = ui(page);
    await start(page);
    // A focusable element of the host page, outside the widget.
    await page.evaluate(() => {
        const b = document.createElement('button');
        b.id = 'outside';
        b.textContent = 'Outside';
        document.body.prepend(b);
    });
    await page.locator('#outside').focus();
    await page.keyboard.press('1');
    await settle(600);
    assert.equal(await w.learnerMessages.count(), 0, 'a "1" on a button outside the widget does nothing');
    await p.close();
});

async function toDebrief(page) {
    await start(page);
    for (const turn of best.turns) {
        await playTurns(page, [turn]);
        await settle(450); // past the quiet moment after each choice
    }
    await visible(ui(page).debrief, 'the Debrief region');
}

test('"Try again" asks first: Cancel keeps the debrief and returns focus, Start over restarts', async () => {
    const p = await openPage(env, EMBED);
    const { page } = p;
    const w = ui(page);
    await toDebrief(page);
    const turns = await w.learnerMessages.count();

    await w.tryAgain.click();
    const dialog = page.getByRole('dialog', { name: 'Start over?' });
    await visible(dialog, 'the Try again confirmation dialog');
    await eventually(async () => assert.ok(await hasFocus(dialog, { within: true }), `focus should be in the dialog; it is on ${await describeFocus(page)}`));
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    assert.equal(await dialog.count(), 0, 'Cancel closes the dialog');
    await eventually(async () => assert.ok(await hasFocus(w.tryAgain), `focus returns to Try again; it is on ${await describeFocus(page)}`));
    assert.equal(await w.learnerMessages.count(), turns, 'Cancel keeps the conversation');
    assert.equal(await w.debrief.count(), 1, 'Cancel keeps the debrief');

    // Escape cancels too, by keyboard; then Enter on "Start over" restarts.
    await page.keyboard.press('Enter');
    await visible(dialog, 'the dialog, opened by keyboard');
    await page.keyboard.press('Escape');
    await eventually(async () => assert.equal(await dialog.count(), 0, 'Escape closes the dialog'));
    assert.equal(await w.debrief.count(), 1, 'Escape keeps the debrief');

    await w.tryAgain.click();
    await dialog.getByRole('button', { name: 'Start over', exact: true }).click();
    await eventually(async () => assert.equal(await w.learnerMessages.count(), 0, 'Start over begins afresh'));
    assert.equal(await w.debrief.count(), 0, 'Start over leaves the debrief');
    await expectTrust(page, best.turns[0].trust_before, 'after Start over');
    await p.close();
});

for (const [name, url] of [
    ['the mode attribute', '/fixtures/host.html?src=/scenarios/first-meeting.attn&mode=exam'],
    ['embed.html ?mode=exam', '/embed.html?scenario=first-meeting&mode=exam'],
    ['index.html ?mode=exam', '/index.html?scenario=first-meeting&mode=exam'],
]) {
    test(`an unknown mode falls back to practice with one warning (${name})`, async () => {
        const warnings = [];
        const p = await openPage(env, url, {
            init: page => page.on('console', m => { if (m.type() === 'warning') warnings.push(m.text()); }),
        });
        const { page } = p;
        const w = ui(page);
        if (name === 'the mode attribute') {
            const attr = await w.widget.getAttribute('mode');
            if (attr !== 'exam') await w.widget.evaluate(el => el.setAttribute('mode', 'exam'));
        }
        await start(page);
        assert.equal(await w.alert.count(), 0, 'no error panel');
        assert.equal((await w.widget.locator('.att-mode').textContent()).trim(), 'Practice', 'the mode tag reads Practice');
        await visible(w.choiceButtons, 'the choices');
        const bad = warnings.filter(t => t.includes('"exam"'));
        assert.equal(bad.length, 1, `one warning names "exam"; warnings: ${JSON.stringify(warnings)}`);
        assert.match(bad[0], /practice/);
        assert.match(bad[0], /assessment/);
        await p.close();
    });
}
