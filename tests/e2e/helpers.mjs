// Shared set-up for the browser tests (node:test + playwright-core + Debian's
// Chromium): one browser and one static server per test file, a fresh
// browser context (so a fresh localStorage) per page, and a watch on every
// page for console errors, uncaught exceptions, dialogs and CSP violations,
// any of which fails the test. Locators go through roles and accessible names,
// as docs/widget-contract.md fixes them. Expected values come from the engine
// itself, through the CLI (`attunement play --auto best|worst --format json`).
//
// Nothing here measures time: waits poll for a state (`eventually`), with a
// generous limit that only turns a hang into a readable failure.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import MessageFormat from '@messageformat/core';
import { rtl } from '../../www/widget/i18n.js';
import { REPO, WWW, FIXTURES, startServer } from './server.mjs';

export { REPO, WWW, FIXTURES };

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];
export const SCREENSHOTS = path.join(REPO, 'test-results', 'screenshots');
export const DEFAULT_SCENARIO = 'scenarios/first-meeting.toml';
export const STORAGE_KEY = 'attunement:first-meeting:practice';

// ---------------------------------------------------------------- set-up

/// Fails early, with the command to run, when www/ has not been built.
export function assertBuilt() {
    const needed = [
        'attunement-sim.js',
        'attunement.css',
        'embed.html',
        'index.html',
        'pkg/attunement.js',
        'pkg/attunement_bg.wasm',
        'pkg-author/attunement.js',
        'pkg-write/attunement.js',
        'pkg-report/attunement.js',
        'report.js',
        'coder.bin',
        'scenarios/index.json',
        'scenarios/first-meeting.attn',
    ];
    const missing = needed.filter(file => !existsSync(path.join(WWW, file)));
    assert.deepEqual(missing, [], `www/ is incomplete (missing ${missing.join(', ')}): run \`bash scripts/build-web.sh\` first`);
}

/// Starts the server and the browser for one test file. Call from `before`,
/// and `env.close()` from `after`. `mounts` adds folders to the server
/// (such as an author's folder at /author), `files` single files (such as a
/// site configuration at /attunement.config.json), and `csp` replaces the
/// strict policy (for a deployment that allows a record store).
export async function startEnv({ mounts = {}, files = {}, csp } = {}) {
    assertBuilt();
    const server = await startServer({ mounts, files, csp });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    return {
        url: server.url,
        browser,
        async close() {
            await browser.close();
            await server.close();
        },
    };
}

/// Starts the environment before a test file's tests and closes it after
/// them (node:test hooks). The returned object is filled in by `before`, so
/// pass it to `openPage` from inside tests.
export function useEnv(options) {
    const env = {};
    before(async () => Object.assign(env, await startEnv(options)));
    after(async () => env.close?.());
    return env;
}

// ---------------------------------------------------------------- the engine, through the CLI

const cliCache = new Map();

/// Runs the attunement CLI (release build, as scripts/build-web.sh builds it)
/// and returns its standard output.
export function cli(...args) {
    const key = JSON.stringify(args);
    if (!cliCache.has(key)) {
        const out = execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'attunement', '--', ...args], {
            cwd: REPO,
            encoding: 'utf8',
            maxBuffer: 64 << 20,
            stdio: ['ignore', 'pipe', 'inherit'],
        });
        cliCache.set(key, out);
    }
    return cliCache.get(key);
}

/// The engine's own play-through: `{ turns: [{ choice, text, trust_before, trust_after, … }], ending, trust, … }`.
export function enginePlay({ auto, seed = 1, mode = 'practice', scenario = DEFAULT_SCENARIO }) {
    return JSON.parse(cli('play', scenario, '--auto', auto, '--format', 'json', '--seed', String(seed), '--mode', mode));
}

/// Compiles a fixture scenario (tests/e2e/fixtures/NAME.toml) to NAME.attn beside it, and
/// returns the scenario as data, from the committed JSON source NAME.json (which
/// tests/engine.rs keeps in step with the TOML).
export function compileFixture(name) {
    cli('compile', path.join(FIXTURES, `${name}.toml`), '-o', path.join(FIXTURES, `${name}.attn`));
    return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

// ---------------------------------------------------------------- pages

/// Opens `urlPath` in a fresh context and watches it. Options: viewport,
/// colorScheme, reducedMotion, and `allow`: regular expressions for console
/// errors this test expects (the browser's own report of a failed fetch,
/// say). `init(page)` runs before the first navigation (to seed
/// localStorage, for example).
export async function openPage(env, urlPath, options = {}) {
    const {
        viewport = { width: 1280, height: 900 },
        colorScheme = 'light',
        reducedMotion = 'no-preference',
        allow = [],
        init,
        device = {},
    } = options;
    // `device` adds context options: hasTouch, isMobile, deviceScaleFactor, forcedColors.
    const context = await env.browser.newContext({ viewport, colorScheme, reducedMotion, acceptDownloads: true, ...device });
    const page = await context.newPage();
    const problems = { errors: [], csp: [], dialogs: [], allow };
    page.on('console', message => {
        if (message.type() === 'error') {
            const where = message.location()?.url ? ` (${message.location().url}:${message.location().lineNumber})` : '';
            problems.errors.push(`console.error: ${message.text()}${where}`);
        }
    });
    page.on('pageerror', error => problems.errors.push(`uncaught exception: ${error.message}`));
    page.on('dialog', dialog => {
        problems.dialogs.push(`${dialog.type()}(${JSON.stringify(dialog.message())})`);
        dialog.dismiss().catch(() => {});
    });
    await page.exposeFunction('__attunementTestCsp', report => problems.csp.push(report));
    await page.addInitScript(() => {
        window.addEventListener(
            'securitypolicyviolation',
            event => {
                window.__attunementTestCsp(
                    `${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'}` +
                        ` at ${event.sourceFile || '?'}:${event.lineNumber}:${event.columnNumber}` +
                        (event.sample ? ` sample ${JSON.stringify(event.sample)}` : ''),
                );
            },
            true,
        );
    });
    if (init) await init(page);
    const response = await page.goto(env.url + urlPath);
    assert.equal(response?.status(), 200, `GET ${urlPath} answered ${response?.status()}`);
    return {
        page,
        context,
        response,
        problems,
        /// Fails on any console error (except those allowed), uncaught
        /// exception, dialog or CSP violation seen so far.
        assertClean() {
            const errors = problems.errors.filter(text => !problems.allow.some(re => re.test(text)));
            const all = [
                ...errors,
                ...problems.csp.map(text => `CSP violation: ${text}`),
                ...problems.dialogs.map(text => `dialog opened: ${text}`),
            ];
            assert.deepEqual(all, [], `the page reported problems:\n  ${all.join('\n  ')}`);
        },
        async close() {
            this.assertClean();
            await context.close();
        },
    };
}

// The language the widget's accessible names are looked for in (useLanguage), and its words.
let language = 'en';
const catalogues = new Map();

/// The widget's message `id` in `lang` (www/i18n/widget.LANG.json), formatted with `args`:
/// what a learner reading that language sees.
export function words(id, args = {}, lang = language) {
    if (!catalogues.has(lang)) catalogues.set(lang, JSON.parse(readFileSync(path.join(WWW, 'i18n', `widget.${lang}.json`), 'utf8')));
    const text = catalogues.get(lang)[id];
    assert.ok(text != null, `the widget's ${lang} catalogue has ${id}`);
    // As the widget does in a right-to-left language (www/widget/i18n.js), each text put in is isolated.
    const put = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, rtl(lang) && typeof v === 'string' ? `\u2068${v}\u2069` : v]));
    return new MessageFormat(lang).compile(text)(put);
}

/// The engine's word `id` in `lang` (www/i18n/engine.LANG.json), or `english` in English.
export function engineWord(id, english, lang = language) {
    if (lang === 'en') return english;
    const key = `engine:${lang}`;
    if (!catalogues.has(key)) catalogues.set(key, JSON.parse(readFileSync(path.join(WWW, 'i18n', `engine.${lang}.json`), 'utf8')));
    const text = catalogues.get(key)[id];
    assert.ok(text != null, `the engine's ${lang} catalogue has ${id}`);
    return text;
}

/// Until the next call, ui() and the helpers built on it find the widget's parts by their names
/// in `lang`'s catalogue (the interface's language), not English's.
export function useLanguage(lang) {
    language = lang;
}

const escape = text => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/// The widget's parts, through roles and accessible names (docs/widget-contract.md), in the
/// language useLanguage() set (English unless a test says otherwise).
export function ui(page) {
    const w = id => words(id);
    // The live log holds the lines of this visit; a restored session's earlier lines sit in a
    // plain history above it (so a reload reads nothing out again). `messages` spans both.
    const log = page.getByRole('log', { name: w('transcript.label') });
    const transcript = page.locator('attunement-sim .att-transcript');
    const choices = page.getByRole('group', { name: new RegExp(`^(${escape(w('choices.label'))}|${escape(w('choices.closest_label'))})$`) });
    const debrief = page.getByRole('region', { name: w('debrief.heading') });
    const alert = page.getByRole('alert');
    return {
        widget: page.locator('attunement-sim'),
        title: page.locator('attunement-sim').getByRole('heading', { level: 2 }).first(),
        log,
        transcript,
        history: transcript.locator('.att-history'),
        messages: transcript.locator('.att-msg'),
        peerMessages: transcript.locator('.att-msg[data-speaker="peer"]'),
        learnerMessages: transcript.locator('.att-msg[data-speaker="learner"]'),
        meter: page.getByRole('meter', { name: w('bar.trust') }),
        choices,
        choiceButtons: choices.getByRole('button'),
        feedback: page.getByRole('region', { name: w('feedback.label'), exact: true }),
        undo: page.getByRole('button', { name: w('feedback.undo'), exact: true }),
        debrief,
        download: debrief.getByRole('button', { name: w('debrief.download'), exact: true }),
        tryAgain: debrief.getByRole('button', { name: w('debrief.again'), exact: true }),
        startOver: page.locator('attunement-sim .att-respond').getByRole('button', { name: w('start_over'), exact: true }),
        confirm: page.getByRole('dialog', { name: w('confirm.title') }),
        confirmStartOver: page.getByRole('dialog', { name: w('confirm.title') }).getByRole('button', { name: w('start_over'), exact: true }),
        alert,
        alertRestart: alert.getByRole('button', { name: new RegExp(`^(${escape(w('problem.try_again'))}|${escape(w('start_over'))})$`) }),
        status: page.getByRole('status'),
        continueButton: page.getByRole('button', { name: w('intro.continue'), exact: true }),
        skipButton: page.getByRole('button', { name: w('intro.skip'), exact: true }),
        startButton: page.getByRole('button', { name: w('intro.start'), exact: true }),
        help: page.locator('attunement-sim').getByRole('link', { name: w('help.toggle') })
            .or(page.locator('attunement-sim').getByRole('button', { name: w('help.toggle') })),
    };
}

// ---------------------------------------------------------------- waiting and asserting

/// Retries `check` (which throws on failure) until it passes; rethrows its
/// last error after `timeout` ms. A hang guard, not a timing assertion.
export async function eventually(check, { timeout = 15_000, interval = 50 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
        try {
            return await check();
        } catch (error) {
            if (Date.now() > deadline) throw error;
        }
        await new Promise(resolve => setTimeout(resolve, interval));
    }
}

/// Waits until the widget's h2 shows `title` (it reads a placeholder while loading).
export async function expectTitle(page, title) {
    await eventually(async () => {
        const text = ((await ui(page).title.textContent({ timeout: 1000 })) ?? '').trim();
        assert.equal(text, title, 'the widget\'s h2 shows the scenario title');
    });
}

/// Waits until the element is visible; fails with `what` in the message.
export async function visible(locator, what) {
    try {
        await locator.first().waitFor({ state: 'visible', timeout: 15_000 });
    } catch (error) {
        throw new assert.AssertionError({ message: `${what} never became visible: ${error.message.split('\n')[0]}` });
    }
}

/// Assessment mode: no meter, no mood, no change badge before the debrief.
export async function expectNoTrust(page, when) {
    const w = ui(page);
    assert.equal(await w.meter.count(), 0, `${when}: assessment mode shows no trust meter`);
    if (await w.debrief.count() > 0) return; // the debrief shows it all
    assert.equal(await w.widget.locator('[data-mood], .att-delta, .att-badge, .att-face').count(), 0, `${when}: assessment mode shows no mood, face, change or badge`);
    const text = await w.widget.locator('.att-header').textContent();
    assert.doesNotMatch(text, /\btrust \d|\d+ of 100/i, `${when}: the bar shows no trust value`);
}

export async function meterState(page) {
    const meter = ui(page).meter;
    return {
        now: await meter.getAttribute('aria-valuenow'),
        min: await meter.getAttribute('aria-valuemin'),
        max: await meter.getAttribute('aria-valuemax'),
        text: await meter.getAttribute('aria-valuetext'),
    };
}

/// Waits until the meter shows `trust` (a number), and checks its other attributes.
export async function expectTrust(page, trust, when) {
    await eventually(async () => {
        const state = await meterState(page);
        assert.equal(state.now, String(trust), `${when}: meter aria-valuenow is ${state.now}, the engine says ${trust}`);
        assert.equal(state.min, '0', `${when}: meter aria-valuemin`);
        assert.equal(state.max, '100', `${when}: meter aria-valuemax`);
        // The engine's "trust {value} of {max}, {band}", in the language under test.
        const spoken = engineWord('trust.text', 'trust {value} of {max}, {band}').split(/(\{\w+\})/)
            .map(part => ({ '{value}': String(trust), '{max}': '100', '{band}': '\\S.*' })[part] ?? escape(part)).join('');
        assert.match(state.text ?? '', new RegExp(`^${spoken}`), `${when}: meter aria-valuetext`);
    });
}

/// The engine's view of the widget's own save: the save in localStorage,
/// restored by a second Simulator on the page's engine module. Lets a test
/// compare what the widget shows with what the engine says, field by field.
export async function engineViewOfSave(page, { key = STORAGE_KEY, src = '/scenarios/first-meeting.attn' } = {}) {
    return page.evaluate(
        async ([key, src]) => {
            const engine = await import('/pkg/attunement.js');
            await engine.default();
            const sim = new engine.Simulator(new Uint8Array(await (await fetch(src)).arrayBuffer()), src.split('/').pop());
            // The key ends in the page's mode (attunement:ID:MODE), which restore must be told.
            const play = sim.restore(localStorage.getItem(key), key.split(':').at(-1));
            const view = play.view();
            play.free();
            sim.free();
            return view;
        },
        [key, src],
    );
}

/// Checks the meter's words, the persona's mood and the choices against
/// the engine's view of the widget's save.
export async function expectViewMatchesEngine(page, when) {
    const w = ui(page);
    const view = await engineViewOfSave(page);
    const meter = await meterState(page);
    assert.equal(meter.now, String(view.trust.value), `${when}: meter aria-valuenow against the engine's view`);
    assert.equal(meter.text, view.trust.text, `${when}: meter aria-valuetext against the engine's view`);
    const persona = w.widget.locator('[data-mood]');
    assert.equal(await persona.count(), 1, `${when}: one persona element with data-mood`);
    assert.equal(await persona.getAttribute('data-mood'), view.mood, `${when}: the persona's data-mood against the engine's view`);
    assert.ok(
        (await persona.textContent()).includes(view.mood_label),
        `${when}: the persona shows the mood in words ("${view.mood_label}")`,
    );
    if (!view.ending) {
        const shown = await choiceTexts(page);
        const expected = view.choices.map((c, i) => `${i + 1}. ${c.text.replace(/\s+/g, ' ').trim()}`);
        assert.deepEqual(shown, expected, `${when}: the choices, in the engine's order`);
    }
    return view;
}

/// The visible choices, as their text content with whitespace collapsed.
export async function choiceTexts(page) {
    return ui(page).choiceButtons.evaluateAll(buttons => buttons.map(b => b.textContent.replace(/\s+/g, ' ').trim()));
}

// Page functions cannot share helpers (and the CSP forbids eval), so the
// "deepest focused element" walk is repeated inline where it is needed.

/// A short description of the focused element, for failure messages.
export async function describeFocus(page) {
    return page.evaluate(() => {
        let el = document.activeElement;
        while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
        if (!el || el === document.body) return 'the body (nothing focused)';
        const name = el.getAttribute('aria-label') || el.textContent.replace(/\s+/g, ' ').trim().slice(0, 60);
        return `<${el.localName}${el.getAttribute('role') ? ` role="${el.getAttribute('role')}"` : ''}> "${name}"`;
    });
}

/// Whether focus is on `locator`'s element (or, with `within`, inside it).
export async function hasFocus(locator, { within = false } = {}) {
    return locator.evaluate((el, within) => {
        let active = document.activeElement;
        while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
        return within ? el === active || el.contains(active) : el === active;
    }, within);
}

/// Presses Tab until `locator` has focus (keyboard only); fails after `max` presses.
export async function tabTo(page, locator, what, max = 80) {
    await visible(locator, what);
    for (let i = 0; i <= max; i++) {
        if (await hasFocus(locator)) return;
        await page.keyboard.press('Tab');
    }
    assert.fail(`could not reach ${what} with Tab in ${max} presses; focus is on ${await describeFocus(page)}`);
}

/// Gets past the intro with the keyboard: Tab to "Continue" (content note)
/// or "Start", then Enter. Resolves once the choices are shown.
export async function startByKeyboard(page) {
    const { continueButton, startButton, choices } = ui(page);
    const button = continueButton.or(startButton);
    await visible(button, 'the intro\'s "Continue" or "Start" button');
    await tabTo(page, button.first(), 'the intro\'s "Continue" or "Start" button');
    await page.keyboard.press('Enter');
    await visible(choices, 'the choices group (role=group, name contains "response")');
}

/// Gets past the intro with a click (for tests that are not about the keyboard).
export async function start(page) {
    const { continueButton, startButton, choices } = ui(page);
    const button = continueButton.or(startButton).first();
    await visible(button.or(choices), 'the intro\'s "Continue" or "Start" button, or the choices');
    if (await button.isVisible()) await button.click();
    await visible(choices, 'the choices group (role=group, name contains "response")');
}

/// Finds the offered choice whose text is `text`; returns its 1-based
/// number and its button, after checking the button's accessible name is
/// "N. text" as the contract says.
export async function findChoice(page, text) {
    const { choices, choiceButtons } = ui(page);
    const wanted = text.replace(/\s+/g, ' ').trim();
    const texts = await eventually(async () => {
        const texts = await choiceTexts(page);
        assert.ok(
            texts.some(t => t.endsWith(wanted)),
            `the choice ${JSON.stringify(wanted)} is not offered; the buttons are:\n  ${texts.join('\n  ')}`,
        );
        return texts;
    });
    const number = texts.findIndex(t => t.endsWith(wanted)) + 1;
    const button = choices.getByRole('button', { name: `${number}. ${wanted}`, exact: true });
    assert.equal(
        await button.count(),
        1,
        `choice ${number} should be a button named ${JSON.stringify(`${number}. ${wanted}`)}; the buttons read:\n  ${texts.join('\n  ')}`,
    );
    assert.equal(await choiceButtons.nth(number - 1).evaluate(el => el.localName), 'button');
    return { number, button };
}

/// Waits for the quiet moment after a choice to pass: the choices group loses `data-quiet`.
export async function settled(page) {
    await eventually(async () => {
        assert.equal(await page.locator('attunement-sim .att-choices[data-quiet]').count(), 0, 'the choices are still in their quiet moment after a choice');
    });
}

/// "Try again" at the debrief, then "Start over" in the dialog that asks first.
export async function tryAgain(page) {
    const w = ui(page);
    await w.tryAgain.click();
    await visible(w.confirm, 'the "Start over?" dialog');
    await w.confirmStartOver.click();
    await visible(w.choices, 'the choices after starting over');
}

/// Makes the choice whose text is `text`: by its digit key, by Tab and
/// Enter, or (for tests not about the keyboard) by a click. Digits count
/// only with focus inside the widget, which is where the widget puts it
/// after a choice; a test that has moved it elsewhere gets it back first.
export async function choose(page, text, via = 'digit') {
    const { number, button } = await findChoice(page, text);
    await settled(page);
    const before = await ui(page).learnerMessages.count();
    if (via === 'digit') {
        assert.ok(number <= 9, `choice ${number} has no digit key`);
        const inside = await page.evaluate(() => !!document.activeElement?.closest?.('attunement-sim'));
        if (!inside) await ui(page).choices.focus();
        const inTextField = await page.evaluate(() => {
            let el = document.activeElement;
            while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
            return !!el && (el.isContentEditable || ['input', 'textarea', 'select'].includes(el.localName));
        });
        assert.ok(!inTextField, 'focus is in a text field, where digit keys type');
        await page.keyboard.press(String(number));
    } else if (via === 'tab') {
        await tabTo(page, button, `choice ${number} (${JSON.stringify(text)})`);
        await page.keyboard.press('Enter');
    } else {
        await button.click();
    }
    await eventually(async () => {
        const after = await ui(page).learnerMessages.count();
        assert.equal(after, before + 1, `after choosing ${JSON.stringify(text)} (${via}), the log should gain one learner message`);
    });
    const last = await ui(page).learnerMessages.last().textContent();
    assert.ok(
        last.replace(/\s+/g, ' ').includes(text.replace(/\s+/g, ' ').trim()),
        `the newest learner message should be the choice made; it reads ${JSON.stringify(last)}`,
    );
    return number;
}

/// Plays `turns` (the engine's, from enginePlay) and checks the meter after each; in assessment
/// mode (unless the host shows trust) checks instead that no trust shows before the debrief.
export async function playTurns(page, turns, { via = 'digit', feedback = false } = {}) {
    const hidden = await page.locator('attunement-sim[mode="assessment"]:not([show-trust])').count() > 0;
    for (const turn of turns) {
        await choose(page, turn.text, via);
        if (hidden) await expectNoTrust(page, `after turn ${turn.number} (${turn.choice})`);
        else await expectTrust(page, turn.trust_after, `after turn ${turn.number} (${turn.choice})`);
        if (feedback) {
            // In the interface's language, its numbers as Intl writes them there.
            const n = x => new Intl.NumberFormat(language).format(x);
            const said = words('feedback.change', { before: n(turn.trust_before), after: n(turn.trust_after), change: new Intl.NumberFormat(language, { signDisplay: 'exceptZero' }).format(turn.trust_after - turn.trust_before) });
            await eventually(async () => {
                const text = (await ui(page).feedback.textContent()) ?? '';
                assert.ok(
                    text.includes(said),
                    `after turn ${turn.number}, the Feedback section should say "${said}"; it reads ${JSON.stringify(text.replace(/\s+/g, ' '))}`,
                );
                const label = engineWord(`skill.${turn.skill}.label`, turn.skill_label);
                assert.ok(
                    text.toLowerCase().includes(label.toLowerCase()),
                    `the Feedback section should name the skill "${label}"`,
                );
            });
        }
    }
}

// ---------------------------------------------------------------- axe, layout, screenshots

/// Runs axe-core on the page and fails with a readable list of violations.
export async function expectNoAxeViolations(page, when) {
    const results = await new AxeBuilder({ page }).analyze();
    const lines = results.violations.map(v => {
        const nodes = v.nodes
            .slice(0, 5)
            .map(n => `      at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`)
            .join('\n');
        return `  ${v.id} (${v.impact}): ${v.help} [${v.nodes.length} element(s)]\n      ${v.helpUrl}\n${nodes}`;
    });
    assert.equal(results.violations.length, 0, `axe-core found violations ${when}:\n${lines.join('\n')}`);
}

/// Asserts the page does not scroll sideways.
export async function expectNoHorizontalScroll(page, when) {
    const sizes = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        bodyScrollWidth: document.body.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        // The innermost elements that stick out, to name in the message.
        wide: [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter((el, _, all) => !all.some(other => other !== el && el.contains(other)))
            .slice(0, 5)
            .map(el => `<${el.localName} class="${el.className?.baseVal ?? el.className}"> ${JSON.stringify(el.textContent.trim().slice(0, 40))}`),
    }));
    assert.ok(
        sizes.scrollWidth <= sizes.clientWidth && sizes.bodyScrollWidth <= sizes.clientWidth,
        `${when}: the page scrolls sideways (scrollWidth ${sizes.scrollWidth}, body ${sizes.bodyScrollWidth}, viewport ${sizes.clientWidth}): ${sizes.wide.join('; ')}`,
    );
}

/// A screenshot in test-results/screenshots/: the whole page, or with `fullPage: false` what the
/// screen shows (a sticky bar lands mid-page in a full-page one).
export async function screenshot(page, name, { fullPage = true } = {}) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}
