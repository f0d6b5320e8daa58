// Scenarios in other languages (issue 14, its first part): the library's translations of
// first-meeting (scenarios/first-meeting.es.toml and .ar.toml, made with `attunement strings` and
// `attunement translate`) open from embed.html?lang=… and from the library's choice of language,
// play by keyboard to the debrief with the engine's own path, and are axe clean. An Arabic
// scenario's lines read right to left at 320 and 1280 px while the interface (still English)
// reads left to right. Screenshots go to test-results/screenshots/lang-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enginePlay, eventually, expectNoAxeViolations, expectNoHorizontalScroll, openPage, playTurns, screenshot, startByKeyboard, ui, useEnv, visible } from './helpers.mjs';

const env = useEnv();
const es = enginePlay({ auto: 'best', mode: 'assessment', scenario: 'scenarios/first-meeting.es.toml' });
const ar = enginePlay({ auto: 'worst', mode: 'assessment', scenario: 'scenarios/first-meeting.ar.toml' });

test('the translations play as their source: the same path, skills and trust (precondition)', () => {
    const en = enginePlay({ auto: 'best', mode: 'assessment' });
    assert.deepEqual(es.turns.map(t => [t.choice, t.skill, t.trust_after]), en.turns.map(t => [t.choice, t.skill, t.trust_after]));
    assert.notEqual(es.turns[0].text, en.turns[0].text, 'in Spanish');
    assert.match(ar.turns[0].text, /[\u0600-\u06FF]/, 'in Arabic');
});

test('embed.html?lang=es opens the Spanish translation and plays it by keyboard to the debrief', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=assessment&lang=es');
    const { page } = p;
    const w = ui(page);
    await eventually(async () => assert.equal(await page.title(), 'Primer encuentro · Attunement'));
    assert.equal(await w.widget.getAttribute('lang'), 'es');
    assert.equal(await w.widget.getAttribute('data-rtl-text'), null);
    await startByKeyboard(page);
    await visible(w.peerMessages, 'the first peer message');
    assert.match(await w.peerMessages.first().textContent(), /Tasha/);
    await playTurns(page, es.turns);
    await visible(w.debrief, 'the debrief');
    assert.ok((await w.debrief.textContent()).includes(es.ending.title), `the debrief names the ending "${es.ending.title}"`);
    await expectNoAxeViolations(page, 'at the Spanish debrief');
    await p.close();
});

for (const width of [320, 1280]) {
    test(`Arabic at ${width} px: the scenario's lines read right to left, axe clean`, async () => {
        const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=assessment&lang=ar', { viewport: { width, height: 900 } });
        const { page } = p;
        const w = ui(page);
        await eventually(async () => assert.equal(await w.widget.getAttribute('lang'), 'ar'));
        assert.equal(await w.widget.getAttribute('data-rtl-text'), '', 'marked as right-to-left text');
        await startByKeyboard(page);
        await visible(w.peerMessages, 'the first peer message');
        const direction = el => el.evaluate(e => ({ bidi: getComputedStyle(e).unicodeBidi, align: getComputedStyle(e).textAlign }));
        const say = w.peerMessages.first().locator('.att-say').first();
        assert.deepEqual(await direction(say), { bidi: 'plaintext', align: 'start' });
        // Each paragraph takes its own text's direction: Arabic lines start at the right, so the last (ragged) line hugs it.
        const box = await say.evaluate(e => {
            const r = document.createRange();
            r.selectNodeContents(e);
            const first = [...r.getClientRects()].filter(x => x.width > 1).at(-1), para = e.closest("p").getBoundingClientRect();
            return { textRight: first.right, paraRight: para.right, textLeft: first.left, paraLeft: para.left };
        });
        assert.ok(box.paraRight - box.textRight <= box.textLeft - box.paraLeft, `its last line (the ragged one) ends at the right: ${JSON.stringify(box)}`);
        await playTurns(page, ar.turns.slice(0, 3));
        await expectNoHorizontalScroll(page, `Arabic at ${width} px`);
        await expectNoAxeViolations(page, `Arabic at ${width} px`);
        await screenshot(page, `lang-ar-${width}`);
        await p.close();
    });
}

test('the library offers a scenario\'s languages, each named in its own, and its links follow the choice', async () => {
    const p = await openPage(env, '/index.html');
    const { page } = p;
    const card = page.locator('[data-scenario="first-meeting"]');
    const group = card.getByRole('group', { name: 'Language' });
    await visible(group, 'the choice of language');
    assert.deepEqual(await group.getByRole('radio').evaluateAll(rs => rs.map(r => [r.value, r.checked, r.closest('label').lang])), [['en', true, 'en'], ['ar', false, 'ar'], ['es', false, 'es']]);
    await group.getByRole('radio', { name: 'Español' }).check();
    const practice = card.getByRole('link', { name: /^Practice/ });
    assert.match(await practice.getAttribute('href'), /[?&]lang=es(&|$)/);
    await group.getByRole('radio', { name: 'English' }).check();
    assert.doesNotMatch(await practice.getAttribute('href'), /lang=/);
    await group.getByRole('radio', { name: 'العربية' }).check();
    await practice.click();
    await eventually(async () => assert.equal(await ui(page).widget.getAttribute('lang'), 'ar'));
    await eventually(async () => assert.equal(await page.title(), 'اللقاء الأول · Attunement'));
    // A language the library does not have: the scenario in its own language.
    const other = await openPage(env, '/embed.html?scenario=first-meeting&lang=de');
    await eventually(async () => assert.equal(await ui(other.page).widget.getAttribute('lang'), 'en'));
    await other.close();
    await p.close();
});
