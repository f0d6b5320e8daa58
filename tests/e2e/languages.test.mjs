// Learners in other languages (issue 14): the library's translations of first-meeting
// (scenarios/first-meeting.es.toml and .ar.toml, made with `attunement strings` and `attunement
// translate`) open from embed.html?lang=… and from the library's choice of language, with the
// interface in that language (www/i18n/widget.LANG.json), play by keyboard to the debrief with the
// engine's own path, and are axe clean. In Arabic the whole widget is laid out right to left at
// 320 and 1280 px: the header, the meter and the debrief's chart mirror. Expected words come from
// the catalogues, never from this file. Screenshots go to test-results/screenshots/lang-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { enginePlay, eventually, expectNoAxeViolations, expectNoHorizontalScroll, openPage, playTurns, screenshot, startByKeyboard, ui, useEnv, useLanguage, visible, words, engineWord, WWW } from './helpers.mjs';

const env = useEnv();
const es = enginePlay({ auto: 'best', mode: 'assessment', scenario: 'scenarios/first-meeting.es.toml' });
const ar = enginePlay({ auto: 'worst', mode: 'assessment', scenario: 'scenarios/first-meeting.ar.toml' });

test('the translations play as their source: the same path, skills and trust (precondition)', () => {
    const en = enginePlay({ auto: 'best', mode: 'assessment' });
    assert.deepEqual(es.turns.map(t => [t.choice, t.skill, t.trust_after]), en.turns.map(t => [t.choice, t.skill, t.trust_after]));
    assert.notEqual(es.turns[0].text, en.turns[0].text, 'in Spanish');
    assert.match(ar.turns[0].text, /[\u0600-\u06FF]/, 'in Arabic');
});

test('embed.html?lang=es: the Spanish translation with the interface in Spanish, by keyboard to the debrief, axe clean', async () => {
    useLanguage('es');
    try {
        const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=assessment&lang=es', { viewport: { width: 320, height: 800 } });
        const { page } = p;
        const w = ui(page);
        await eventually(async () => assert.equal(await page.title(), 'Primer encuentro · Attunement'));
        await visible(w.continueButton.or(w.startButton), 'the intro\'s button, in Spanish');
        assert.equal(await w.widget.getAttribute('lang'), 'es');
        assert.equal(await w.widget.getAttribute('dir'), 'ltr');
        assert.equal(await w.widget.getAttribute('data-rtl-text'), null);
        // Spanish words from the Spanish catalogue, and none of English's.
        await visible(w.continueButton.or(w.startButton), 'the intro\'s button, in Spanish');
        assert.notEqual(words('intro.continue', {}, 'es'), words('intro.continue', {}, 'en'));
        assert.ok((await w.widget.textContent()).includes(words('intro.content_note', {}, 'es')), 'the content note heading in Spanish');
        await startByKeyboard(page);
        await visible(w.peerMessages, 'the first peer message');
        assert.match(await w.peerMessages.first().textContent(), /Tasha/);
        await playTurns(page, es.turns);
        await visible(w.debrief, 'the debrief, named in Spanish');
        const text = await w.debrief.textContent();
        assert.ok(text.includes(es.ending.title), `the debrief names the ending "${es.ending.title}"`);
        assert.ok(text.includes(words('debrief.download', {}, 'es')), 'its actions are in Spanish');
        assert.ok(!text.includes('Download transcript') && !text.includes('Try again'), 'no English action is left');
        await expectNoHorizontalScroll(page, 'the Spanish debrief at 320 px');
        await expectNoAxeViolations(page, 'at the Spanish debrief');
        await screenshot(page, 'lang-es-320');
        await p.close();
    } finally {
        useLanguage('en');
    }
});

for (const width of [320, 1280]) {
    test(`Arabic at ${width} px: the interface in Arabic, laid out right to left, by keyboard to the debrief, axe clean`, async () => {
        useLanguage('ar');
        try {
            const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice&lang=ar', { viewport: { width, height: 900 } });
            const { page } = p;
            const w = ui(page);
            await visible(w.continueButton.or(w.startButton), 'the intro\'s button, in Arabic');
            assert.equal(await w.widget.getAttribute('lang'), 'ar');
            assert.equal(await w.widget.getAttribute('dir'), 'rtl', 'the widget is laid out right to left');
            assert.equal(await w.widget.getAttribute('data-rtl-text'), '', 'marked as right-to-left text');
            assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('attunement-sim .att-body')).direction), 'rtl');
            await startByKeyboard(page);
            await visible(w.peerMessages, 'the first peer message');
            // The header mirrors: the title at the right, "Get help now" at the left.
            const header = await page.evaluate(() => {
                const box = sel => document.querySelector(`attunement-sim ${sel}`).getBoundingClientRect();
                return { title: box('.att-title').right, help: box('.att-help-toggle').left, row: box('.att-header-row').right };
            });
            assert.ok(header.help < header.title, `"Get help now" sits left of the title: ${JSON.stringify(header)}`);
            // The meter fills from the right, where reading starts.
            const meter = await page.evaluate(() => {
                const m = document.querySelector('attunement-sim .att-meter').getBoundingClientRect(), f = document.querySelector('attunement-sim .att-meter-fill').getBoundingClientRect();
                return { meterLeft: m.left, meterRight: m.right, fillLeft: f.left, fillRight: f.right };
            });
            assert.ok(Math.abs(meter.fillRight - meter.meterRight) <= 2 && meter.fillLeft > meter.meterLeft + 2, `the meter's fill grows from the right: ${JSON.stringify(meter)}`);
            await playTurns(page, ar.turns, { feedback: true });
            // The engine's own words are Arabic too (playTurns checked each turn's skill label in the
            // feedback against engine.ar.json): the meter's spoken value.
            const valuetext = await w.meter.getAttribute('aria-valuetext');
            assert.ok(/[\u0600-\u06FF]/.test(valuetext) && !/trust \d/.test(valuetext), `the meter speaks Arabic: ${valuetext}`);
            await visible(w.debrief, 'the debrief, named in Arabic');
            assert.ok((await w.debrief.textContent()).includes(words('debrief.download', {}, 'ar')), 'its actions are in Arabic');
            // The chart of trust over time runs from the right: its first point right of its last.
            await w.debrief.locator('.att-over-time summary').click();
            const dots = await w.debrief.locator('.att-over-time .att-dot').evaluateAll(ds => ds.map(d => Number(d.getAttribute('cx'))));
            assert.ok(dots.length > 2 && dots[0] > dots.at(-1), `the first turn is at the right: ${dots}`);
            await expectNoHorizontalScroll(page, `Arabic at ${width} px`);
            await expectNoAxeViolations(page, `the Arabic debrief at ${width} px`);
            await screenshot(page, `lang-ar-${width}`);
            await p.close();
        } finally {
            useLanguage('en');
        }
    });
}

test('the interface language: lang on embed.html without a translation, an unknown language, a catalogue that fails to load', async () => {
    // German has no translation of first-meeting: the English scenario, the interface in German,
    // and the scenario's words marked as English.
    useLanguage('de');
    try {
        const p = await openPage(env, '/embed.html?scenario=first-meeting&lang=de');
        const w = ui(p.page);
        await eventually(async () => assert.equal(await w.widget.getAttribute('lang'), 'de'));
        await visible(w.continueButton.or(w.startButton), 'the intro\'s button, in German');
        await startByKeyboard(p.page);
        assert.equal(await p.page.locator('attunement-sim .att-transcript').getAttribute('lang'), 'en');
        await p.close();
    } finally {
        useLanguage('en');
    }
    // A language with no catalogue: the scenario's language (English here).
    const ja = await openPage(env, '/embed.html?scenario=first-meeting&lang=ja');
    await eventually(async () => assert.equal(await ui(ja.page).widget.getAttribute('lang'), 'en'));
    await visible(ui(ja.page).continueButton.or(ui(ja.page).startButton), 'the intro\'s button, in English');
    await ja.close();
    // French whose catalogue cannot be fetched: English, and the widget still works.
    const fr = await openPage(env, '/embed.html?scenario=first-meeting&lang=fr', {
        init: async page => page.route('**/lang/widget.fr.js', route => route.abort()),
        allow: [/Failed to load resource|widget\.fr\.js/],
    });
    await visible(ui(fr.page).continueButton.or(ui(fr.page).startButton), 'the intro\'s button, in English');
    await fr.close();
});

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
    await eventually(async () => assert.equal((await page.title()).replace(/[\u2066-\u2069]/g, ''), 'اللقاء الأول · Attunement', 'the title, its parts isolated for the bidi algorithm'));
    await p.close();
});

for (const width of [320, 1280]) {
    test(`the library page in Arabic at ${width} px: its own words, right to left, axe clean`, async () => {
        const p = await openPage(env, '/index.html?lang=ar', { viewport: { width, height: 900 } });
        const { page } = p;
        const library = JSON.parse(readFileSync(path.join(WWW, 'i18n', 'library.ar.json'), 'utf8'));
        await visible(page.locator('[data-scenario="first-meeting"]'), 'the first card');
        assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['ar', 'rtl']);
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), library['library.heading']);
        // Each card's links carry the language, and its practice link opens the Arabic translation.
        const practice = page.locator('[data-scenario="first-meeting"]').getByRole('link').first();
        assert.match(await practice.getAttribute('href'), /[?&]lang=ar(&|$)/);
        await expectNoHorizontalScroll(page, `the Arabic library at ${width} px`);
        await expectNoAxeViolations(page, `the Arabic library at ${width} px`);
        await screenshot(page, `library-ar-${width}`);
        await p.close();
    });
}


test('without a lang, the interface takes the scenario\'s language; a regional tag takes its language\'s catalogue', async () => {
    // A page author's element with a Spanish scenario and no lang: Spanish throughout.
    useLanguage('es');
    try {
        const p = await openPage(env, '/fixtures/host.html?src=/scenarios/first-meeting.es.attn');
        const w = ui(p.page);
        await visible(w.continueButton.or(w.startButton), 'the intro\'s button, in Spanish');
        assert.equal(await w.widget.getAttribute('lang'), 'es', 'the element says the language it chose');
        await p.close();
    } finally {
        useLanguage('en');
    }
    // es-MX on an English scenario: Spanish words, the host's own tag kept on the element.
    useLanguage('es');
    try {
        const p = await openPage(env, '/fixtures/host.html?src=/scenarios/first-meeting.attn&lang=es-MX');
        const w = ui(p.page);
        await visible(w.continueButton.or(w.startButton), 'the intro\'s button, in Spanish');
        assert.equal(await w.widget.getAttribute('lang'), 'es-MX');
        await p.close();
    } finally {
        useLanguage('en');
    }
    // pt, with no region: Brazilian Portuguese.
    useLanguage('pt-BR');
    try {
        const p = await openPage(env, '/fixtures/host.html?src=/scenarios/first-meeting.attn&lang=pt');
        await visible(ui(p.page).continueButton.or(ui(p.page).startButton), 'the intro\'s button, in Brazilian Portuguese');
        await p.close();
    } finally {
        useLanguage('en');
    }
});
