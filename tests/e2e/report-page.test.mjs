// The trainer's cohort report page (www/report.html, issue 13) against a real learning record
// store: Ralph on loopback (tests/e2e/lrs.mjs), filled with a handful of attempts written here in
// the shape docs/xapi.md documents (the figures of a big cohort are tests/report's business; this
// file is about the page). The page is served with the strict CSP plus `connect-src` to the
// store, as a deployment that allows it would be.
//
// What the page shows is checked against two things: the figures that follow from the
// statements posted here (attempts, completions, endings, learners), and the report JSON that the
// trainer's engine (www/pkg-report, in Node) makes from the same pages of the same store, table
// by table. Then: the pseudonymise switch on screen and in both CSV downloads, where the
// endpoint and credentials are kept (tab or device, as the checkbox promises), a wrong password,
// an unreachable store and a non-xAPI answer, axe-core, 320 px, print media, and a keyboard-only
// run. Screenshots go to test-results/screenshots/report-*.png.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CSP } from './server.mjs';
import { assertLrsInstalled, freePort, startLrs } from './lrs.mjs';
import { WWW, eventually, expectNoAxeViolations, expectNoHorizontalScroll, hasFocus, openPage, screenshot, startEnv, tabTo, visible } from './helpers.mjs';

const USER = 'learner';
const PASSWORD = 'secret123';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const ACTIVITY = 'https://attunement.invalid/scenarios/first-meeting';
const EXT = 'https://attunement.invalid/xapi/extensions/';
const VERB = 'http://adlnet.gov/expapi/verbs/';

// The trainer's engine and the learner's, in Node: the first makes the report the page should
// show, the second tells the scenario's hash (as the widget sends it).
const report = await import(pathToFileURL(path.join(WWW, 'pkg-report', 'attunement.js')).href);
report.initSync({ module: readFileSync(path.join(WWW, 'pkg-report', 'attunement_bg.wasm')) });
const learnerEngine = await import(pathToFileURL(path.join(WWW, 'pkg', 'attunement.js')).href);
learnerEngine.initSync({ module: readFileSync(path.join(WWW, 'pkg', 'attunement_bg.wasm')) });
const HASH = (() => {
    const sim = new learnerEngine.Simulator(new Uint8Array(readFileSync(path.join(WWW, 'scenarios', 'first-meeting.attn'))), 'first-meeting.attn');
    const { hash } = sim.info();
    sim.free();
    return hash;
})();

// ---------------------------------------------------------------- the cohort

const SAM = { objectType: 'Agent', name: 'Sam Rivera', mbox: 'mailto:sam.rivera@example.org' };
const ALEX = { objectType: 'Agent', name: 'Alex Chen', account: { homePage: 'https://lms.example.edu', name: 'alex-4721' } };
const JORDAN = { objectType: 'Agent', name: 'Jordan Okafor', mbox: 'mailto:jordan.okafor@example.org' };
const PRIYA = { objectType: 'Agent', name: 'Priya Nair', mbox: 'mailto:priya.nair@example.org' };
// Everything that names a learner: none of it may show once the page pseudonymises.
const IDENTITIES = ['Sam Rivera', 'sam.rivera@example.org', 'Alex Chen', 'alex-4721', 'Jordan Okafor', 'jordan.okafor@example.org', 'Priya Nair', 'priya.nair@example.org'];

// [node, choice, text, skill, kind, trust before, trust after, acute, warning signs]
const TURNS = {
    sam: [
        ['opening', 'not-keen', "Sounds like you'd rather be almost anywhere else.", 'reflection', 'skill', 24, 28, false, false],
        ['tasha-hears', 'honest-limits', "No. What you say here is yours to tell; Tasha won't hear it from me.", 'information', 'skill', 28, 33, false, false],
        ['better-off', 'ask-straight', "Marcus, when you say they'd be better off without you, I want to ask you straight: are you thinking about suicide?", 'safety_question', 'skill', 33, 38, true, true],
    ],
    alex: [
        ['opening', 'youll-be-fine', "Well, I'm really glad you're here. Don't worry, honestly, this is all very relaxed and informal. You'll be absolutely fine.", 'reassurance', 'roadblock', 24, 16, false, false],
        ['forty-minutes', 'engage', "I hear you, but this only really works if you engage a bit. Let's give it a proper try, yeah?", 'ordering', 'roadblock', 16, 9, false, false],
    ],
    jordan: [
        ['opening', 'kept-word', "You told Tasha you'd come, and you came.", 'affirmation', 'skill', 24, 27, false, false],
        ['tasha-hears', 'full-stop', 'Nothing leaves this room. I promise. Not a word to anyone, full stop.', 'false_promise', 'roadblock', 27, 29, false, false],
        ['better-off', 'dont-talk', "Hey, don't talk like that. They'd be completely lost without you, and you know it.", 'reassurance', 'roadblock', 29, 21, true, true],
    ],
    priya: [
        ['opening', 'why-booked', 'Did she say why she booked it?', 'closed_question', 'neutral', 24, 24, false, false],
    ],
};
const ATTEMPTS = [
    { actor: SAM, turns: TURNS.sam, end: { verb: 'passed', ending: 'comes-back', outcome: 'breakthrough', score: 82, success: true, duration: 'PT6M12.4S' } },
    { actor: ALEX, turns: TURNS.alex, end: { verb: 'failed', ending: 'walked-out', outcome: 'disengaged', score: 12, success: false, duration: 'PT2M5S' } },
    { actor: JORDAN, turns: TURNS.jordan, end: { verb: 'failed', ending: 'tells-her-he-came', outcome: 'unresolved', score: 48, success: false, duration: 'PT4M' } },
    { actor: PRIYA, turns: TURNS.priya, end: null },
].map(a => ({ ...a, id: randomUUID() }));

/// The statements of one attempt, as the widget sends them (docs/xapi.md).
function statements({ actor, turns, end, id }, start) {
    let t = start;
    const at = () => new Date((t += 20_000)).toISOString();
    const context = extra => ({
        registration: id,
        platform: 'Attunement',
        ...extra,
        extensions: { [`${EXT}attempt`]: id, [`${EXT}mode`]: 'assessment', [`${EXT}scenario-id`]: 'first-meeting', [`${EXT}scenario-hash`]: HASH },
    });
    const scenario = { objectType: 'Activity', id: ACTIVITY, definition: { type: 'http://adlnet.gov/expapi/activities/simulation', name: { en: 'First meeting' } } };
    const verb = name => ({ id: VERB + name, display: { 'en-US': name } });
    const out = [{ id: randomUUID(), actor, verb: verb('initialized'), object: scenario, context: context(), timestamp: at() }];
    turns.forEach(([node, choice, text, skill, kind, before, afterTrust, acute, signs], i) => out.push({
        id: randomUUID(),
        actor,
        verb: verb('answered'),
        object: { objectType: 'Activity', id: `${ACTIVITY}/nodes/${node}`, definition: { type: 'http://adlnet.gov/expapi/activities/cmi.interaction', interactionType: 'choice' } },
        result: {
            response: choice,
            extensions: {
                [`${EXT}skill`]: skill, [`${EXT}skill-kind`]: kind, [`${EXT}trust-before`]: before, [`${EXT}trust-after`]: afterTrust,
                [`${EXT}choice-text`]: text, [`${EXT}turn`]: i + 1, [`${EXT}node`]: node, [`${EXT}acute`]: acute, [`${EXT}warning-signs`]: signs,
            },
        },
        context: context({ contextActivities: { parent: [{ objectType: 'Activity', id: ACTIVITY }] } }),
        timestamp: at(),
    }));
    if (end) {
        const trust = turns.at(-1)[6];
        const result = {
            score: { scaled: end.score / 100, raw: end.score, min: 0, max: 100 },
            success: end.success,
            completion: true,
            duration: end.duration,
            extensions: { [`${EXT}ending`]: end.ending, [`${EXT}outcome`]: end.outcome, [`${EXT}trust`]: trust, [`${EXT}turns`]: turns.length },
        };
        out.push({ id: randomUUID(), actor, verb: verb('completed'), object: scenario, result, context: context(), timestamp: at() });
        out.push({ id: randomUUID(), actor, verb: verb(end.verb), object: scenario, result, context: context(), timestamp: at() });
        out.push({ id: randomUUID(), actor, verb: verb('terminated'), object: scenario, result: { duration: end.duration }, context: context(), timestamp: at() });
    }
    return out;
}

// ---------------------------------------------------------------- set-up

let env, lrs, dataDir, deadOrigin, expected;

before(async () => {
    assertLrsInstalled();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'attunement-report-page-'));
    // The store's port is fixed first, so the page's CSP can name it before the store (which
    // must name the page's origin for CORS) starts.
    const storePort = await freePort();
    deadOrigin = `http://127.0.0.1:${await freePort()}`;
    const notXapi = path.join(dataDir, 'not-xapi.html');
    writeFileSync(notXapi, '<!doctype html><title>Welcome</title><p>This is a web page, not a record store.</p>\n');
    env = await startEnv({
        csp: `${CSP}; connect-src 'self' http://127.0.0.1:${storePort} ${deadOrigin}`,
        files: { '/not-a-store/statements': notXapi },
    });
    lrs = await startLrs({ port: storePort, dataDir: path.join(dataDir, 'lrs'), corsOrigins: [env.url], user: USER, password: PASSWORD });
    // Timestamps from a quarter of an hour ago (today, for the date range test: a store may filter
    // `since` and `until` on the statements' timestamps, as Ralph does, or on when it stored them).
    const midnight = new Date();
    midnight.setHours(0, 0, 1, 0);
    const start = Math.max(Date.now() - 15 * 60_000, midnight.getTime());
    const posted = [
        ...ATTEMPTS.flatMap((a, i) => statements(a, start + i * 120_000)),
        // A statement about the scenario that Attunement did not write: skipped, with a reason.
        { id: randomUUID(), actor: SAM, verb: { id: `${VERB}experienced`, display: { 'en-US': 'experienced' } }, object: { objectType: 'Activity', id: ACTIVITY }, timestamp: new Date(start).toISOString() },
    ];
    const response = await fetch(`${lrs.endpoint}statements`, {
        method: 'POST',
        headers: { Authorization: AUTH, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
        body: JSON.stringify(posted),
    });
    assert.equal(response.status, 200, `the store took the statements: ${await response.text()}`);
    expected = await engineReport();
});

after(async () => {
    await lrs?.stop();
    await env?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/// The report the trainer's engine makes in Node from the store's pages: what the page must show.
async function engineReport(pseudonymise = false) {
    const r = new report.CohortReport(JSON.stringify({ endpoint: lrs.endpoint, activity: ACTIVITY }));
    r.setScenario(new Uint8Array(readFileSync(path.join(WWW, 'scenarios', 'first-meeting.attn'))), 'first-meeting.attn');
    for (let url = r.url(); url;) {
        const response = await fetch(url, { headers: { Authorization: AUTH, 'X-Experience-API-Version': '1.0.3' } });
        assert.equal(response.status, 200, `GET ${url}`);
        url = r.addPage(await response.text());
    }
    const json = JSON.parse(r.json(pseudonymise));
    r.free();
    return json;
}

// ---------------------------------------------------------------- helpers

const open = (options = {}) => openPage(env, '/report.html', options);
const field = (page, name) => page.getByLabel(name, { exact: true });

async function fill(page, { endpoint = lrs.endpoint, user = USER, password = PASSWORD, remember = false, ...rest } = {}) {
    await field(page, 'Record store endpoint').fill(endpoint);
    await field(page, 'User name').fill(user);
    await field(page, 'Password').fill(password);
    await field(page, 'Remember on this device').setChecked(remember);
    await eventually(async () => assert.ok((await field(page, 'Scenario').locator('option').count()) > 1, 'the scenario list is filled from the library'));
    await field(page, 'Scenario').selectOption(ACTIVITY);
    for (const [label, value] of Object.entries(rest)) await field(page, label).fill(value);
}

async function showReport(page, title = 'First meeting') {
    await page.getByRole('button', { name: 'Show report', exact: true }).click();
    await visible(page.getByRole('heading', { level: 2, name: `Report: ${title}` }), 'the report\'s heading');
}

/// A table's body rows as arrays of cell texts (whitespace collapsed).
const rows = table => table.locator('tbody tr').evaluateAll(trs => trs.map(tr => [...tr.cells].map(c => c.textContent.replace(/\s+/g, ' ').trim())));
const tableByCaption = (scope, caption) => scope.locator('table').filter({ has: scope.page().locator('caption', { hasText: caption }) }).first();
const section = (page, name) => page.getByRole('region', { name, exact: true });
const num = n => new Intl.NumberFormat('en').format(n);
const cap = t => t.charAt(0).toUpperCase() + t.slice(1);

/// Every name and mailbox in `text` (lowercased): the identities a pseudonymised view must not show.
const identitiesIn = text => IDENTITIES.filter(id => text.toLowerCase().includes(id.toLowerCase()));

/// All the page's text and attribute values, where a name could hide (an aria-label, a title).
const pageText = page => page.evaluate(() => [document.body.innerText, ...[...document.querySelectorAll('*')].flatMap(el => [...el.attributes].map(a => a.value))].join('\n'));

/// Presses Shift+Tab until `locator` has focus (back up the page, keyboard only).
async function shiftTabTo(page, locator, what, max = 200) {
    for (let i = 0; i <= max; i++) {
        if (await hasFocus(locator)) return;
        await page.keyboard.press('Shift+Tab');
    }
    assert.fail(`could not reach ${what} with Shift+Tab in ${max} presses`);
}

async function download(page, name) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
    return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

// ---------------------------------------------------------------- tests

test('the figures follow from the statements posted', () => {
    // What the statements say, independently of the engine: the page's numbers are checked
    // against `expected` below, so this pins `expected` to the cohort.
    assert.equal(expected.attempts, 4);
    assert.equal(expected.completed, 3);
    assert.equal(expected.passed, 1);
    assert.equal(expected.abandoned, 1);
    assert.deepEqual(expected.endings, { breakthrough: 1, connected: 0, unresolved: 1, disengaged: 1, referred: 0 });
    assert.equal(expected.learners.length, 4);
    assert.equal(expected.scenario.matches, true, 'the statements carry the library scenario\'s hash');
    assert.ok(expected.skipped.some(k => k.count === 1), `one statement is skipped: ${JSON.stringify(expected.skipped)}`);
});

test('keyboard only: the trainer fills the form, gets the report, opens a path, pseudonymises and downloads', async () => {
    const p = await open();
    const { page } = p;
    // Keyboard only, from the top of the page.
    await tabTo(page, field(page, 'Record store endpoint'), 'the endpoint field');
    await page.keyboard.type(lrs.endpoint);
    await page.keyboard.press('Tab');
    assert.ok(await hasFocus(field(page, 'User name')), 'Tab goes from the endpoint to the user name');
    await page.keyboard.type(USER);
    await page.keyboard.press('Tab');
    assert.ok(await hasFocus(field(page, 'Password')), 'then to the password');
    await page.keyboard.type(PASSWORD);
    await eventually(async () => assert.equal(await field(page, 'Scenario').inputValue(), ACTIVITY, 'the first library scenario, First meeting, is picked by default'));
    await tabTo(page, page.getByRole('button', { name: 'Show report', exact: true }), 'the "Show report" button');
    await page.keyboard.press('Enter');
    const heading = page.getByRole('heading', { level: 2, name: 'Report: First meeting' });
    await visible(heading, 'the report\'s heading');
    await eventually(async () => assert.ok(await hasFocus(heading), 'focus moves to the report\'s heading'));
    await eventually(async () => assert.match(await page.getByRole('status').textContent(), /^Report ready: 4 attempts/));

    await expectSections(page, expected);

    // A learner's path, by its link in the table: Enter opens it and puts focus on it.
    const sam = expected.learners.find(l => l.actor.includes('Sam Rivera'));
    const link = section(page, 'Each learner').getByRole('link', { name: new RegExp(`^Path of ${sam.actor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
    await tabTo(page, link, 'Sam\'s path link', 200);
    await page.keyboard.press('Enter');
    const details = page.locator(`details[id="attempt-${sam.attempt}"]`);
    await eventually(async () => assert.equal(await details.getAttribute('open'), '', 'the path opens'));
    assert.ok(await hasFocus(details.locator('summary')), 'focus moves to the path');
    const turns = await rows(tableByCaption(details, 'Turns of'));
    assert.deepEqual(turns.map(r => [r[0], r[1], r[4]]), sam.path.map(t => [String(t.turn), t.node, `${t.trust_before} → ${t.trust_after}`]), 'the path lists each turn: number, node, trust before → after');
    assert.ok(turns.every((r, i) => r[2].includes(sam.path[i].text)), 'each turn quotes the response chosen');
    assert.match(turns[2][5], /Acute distress.*Warning signs/, 'the third turn is marked acute, with warning signs');
    await screenshot(page, 'report-1280');
    await expectNoAxeViolations(page, 'on the report at 1280 px');

    // Not pseudonymised: the names are there, on screen and in the download.
    assert.ok(identitiesIn(await pageText(page)).length > 0, 'the names show before pseudonymising');
    const plain = await download(page, 'Download learners (CSV)');
    assert.equal(plain.name, 'attunement-report-first-meeting-learners.csv');
    assert.ok(plain.text.includes('Sam Rivera'), `the learners' CSV names Sam:\n${plain.text}`);

    // Pseudonymise, by keyboard: every name and mailbox goes, on screen and in both CSVs.
    await shiftTabTo(page, field(page, 'Pseudonymise'), 'the Pseudonymise switch');
    await page.keyboard.press('Space');
    const coded = await engineReport(true);
    await eventually(async () => assert.deepEqual(identitiesIn(await pageText(page)), [], 'no name or mailbox on the pseudonymised page'));
    assert.ok(await hasFocus(field(page, 'Pseudonymise')), 'focus stays on the switch');
    await expectLearners(page, coded);
    for (const [button, file] of [['Download learners (CSV)', 'learners'], ['Download all answers (CSV)', 'answers']]) {
        const csv = await download(page, button);
        assert.match(csv.name, new RegExp(`^attunement-report-first-meeting-${file}.*\\.csv$`));
        assert.deepEqual(identitiesIn(csv.text), [], `no name or mailbox in the pseudonymised ${file} CSV:\n${csv.text}`);
        assert.ok(coded.learners.every(l => csv.text.includes(l.actor)), `the ${file} CSV has every learner's code`);
    }

    // Print: the form and the buttons go, the report stays.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('form').isVisible(), false, 'print hides the form');
    assert.equal(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible(), false, 'print hides the buttons');
    assert.ok(await heading.isVisible(), 'print keeps the report');
    assert.ok(await section(page, 'Each learner').locator('table').first().isVisible(), 'print keeps the tables');
    await page.emulateMedia({ media: 'screen' });
    await p.close();
});

/// Each section: an SVG chart (role=img, labelled) and a table with the report's numbers.
async function expectSections(page, rep) {
    for (const name of ['Attempts and endings', 'Trust over the turns', 'Skill mix and MITI figures', 'Sticking points', 'Distress and safety', 'Each learner']) {
        await visible(section(page, name), `the "${name}" section`);
    }
    for (const name of ['Attempts and endings', 'Trust over the turns', 'Skill mix and MITI figures', 'Sticking points', 'Distress and safety']) {
        const svgs = section(page, name).locator('svg[role="img"]');
        assert.ok(await svgs.count() > 0, `"${name}" has a chart`);
        for (const svg of await svgs.all()) {
            const label = await svg.getAttribute('aria-label');
            assert.ok(label && label.length > 20, `"${name}": each chart has an aria-label`);
            assert.equal(await svg.locator('title').textContent(), label, `"${name}": the chart's <title> says the same`);
        }
        assert.ok(await section(page, name).locator('table caption').count() > 0, `"${name}" has a table with a caption`);
        assert.ok(await section(page, name).locator('th[scope="col"]').count() > 0, `"${name}": its table's headers have scope`);
    }
    // No style attribute anywhere (the CSP forbids them), and no chart drawn with one.
    assert.equal(await page.locator('[style]').count(), 0, 'no element has a style attribute');

    const summary = section(page, 'Attempts and endings');
    const figures = await summary.locator('dl > div').evaluateAll(ds => ds.map(d => [d.querySelector('dt').textContent, d.querySelector('dd').textContent]));
    assert.deepEqual(figures, [
        ['Attempts', num(rep.attempts)], ['Completed', num(rep.completed)], ['Passed', num(rep.passed)],
        ['Pass rate', `${Math.round(rep.pass_rate * 100)}%`], ['Abandoned', num(rep.abandoned)],
    ]);
    const outcomes = { breakthrough: 'Breakthrough', connected: 'Connected', referred: 'Connected to support', unresolved: 'Unresolved', disengaged: 'The peer disengaged' };
    const endings = await rows(tableByCaption(summary, 'Endings by outcome'));
    assert.deepEqual(Object.fromEntries(endings.map(r => [r[0], Number(r[1])])), Object.fromEntries(Object.entries(rep.endings).map(([o, n]) => [outcomes[o], n])), 'the endings table');

    const trust = await rows(tableByCaption(section(page, 'Trust over the turns'), 'Trust over the turns'));
    assert.deepEqual(trust, rep.trust.map(t => [t.turn, t.learners, t.min, t.q1, t.median, t.q3, t.max].map(String)), 'the trust table: every turn\'s figures');
    assert.ok(rep.trust.length >= 4, 'turns 0 to 3');

    const skills = section(page, 'Skill mix and MITI figures');
    const kinds = { skill: 'Skill', neutral: 'Neutral', roadblock: 'Roadblock' };
    assert.deepEqual(await rows(tableByCaption(skills, 'Responses by skill')), rep.skill_mix.map(x => [cap(x.label), kinds[x.kind], num(x.count), `${Math.round(x.share * 100)}%`]), 'the skill mix table');
    assert.ok(await skills.getByText('Roadblock: striped').isVisible(), 'the legend tells the kinds apart in words');
    const levels = { good: 'Good', fair: 'Fair', below_fair: 'Below fair', not_applicable: 'Not rated: too few' };
    const miti = await rows(tableByCaption(skills, 'The cohort\'s MITI figures'));
    assert.deepEqual(miti[0].slice(0, 3), ['Reflections per question', rep.miti.reflection_to_question == null ? miti[0][1] : rep.miti.reflection_to_question.toFixed(1), levels[rep.miti.reflection_to_question_level]], 'the reflection-to-question ratio and its level');
    assert.equal(miti[1][2], levels[rep.miti.complex_share_level], 'the complex share\'s level');
    assert.deepEqual(miti.slice(2, 4).map(r => r[1]), [num(rep.miti.reflections), num(rep.miti.questions)]);

    const sticking = await rows(tableByCaption(section(page, 'Sticking points'), 'Where trust fell most'));
    assert.ok(rep.sticking_points.length > 0, 'the cohort has sticking points');
    assert.deepEqual(sticking.map(r => r.slice(0, 4)), rep.sticking_points.map(s => [s.say ? `${s.node} The peer: ${s.say.replace(/\s+/g, " ")}` : s.node, num(s.answers), num(s.falls), num(s.fall)]), 'the sticking points table: the node, and what the peer said there');
    assert.ok(rep.sticking_points.every(s => s.say), 'with the scenario loaded, each sticking point has the peer\'s line');
    rep.sticking_points.forEach((s, i) => {
        if (s.roadblock) assert.ok(sticking[i][5].includes(s.roadblock.text), `the roadblock chosen most at ${s.node} is quoted`);
        for (const c of s.instead) assert.ok(sticking[i][6].includes(c.text), `what was on offer instead at ${s.node}: ${c.choice}`);
    });

    const distress = section(page, 'Distress and safety');
    if (rep.distress.by_skill.length) {
        assert.deepEqual(await rows(tableByCaption(distress, 'Roadblocks chosen in acute distress')), rep.distress.by_skill.map(x => [cap(x.label), num(x.count)]));
    }
    assert.deepEqual(await rows(tableByCaption(distress, 'Safety questions')), [
        ['With warning signs', num(rep.safety.attempts_with_signs)], ['Asked about safety', num(rep.safety.asked)], ['Did not ask after the warning signs', num(rep.safety.missed)]]);
    // A missed safety question is not left for the trainer to find: a panel after the summary
    // names each attempt, with a link to its path.
    const missed = rep.learners.filter(l => l.safety === 'missed');
    const panel = page.locator('section.rp-safety');
    assert.match(await panel.locator('h3').innerText(), new RegExp(`^Warning signs of suicide: ${missed.length} of ${rep.safety.attempts_with_signs} attempts? did not ask directly about suicide afterwards$`));
    assert.deepEqual(await panel.locator('li .rp-actor').allInnerTexts(), missed.map(l => l.actor));
    assert.match(await panel.innerText(), /this alone fails the attempt/);
    assert.deepEqual([rep.safety.attempts_with_signs, rep.safety.asked, rep.safety.missed], [2, 1, 1], 'Sam asked, Jordan did not');

    await expectLearners(page, rep);
    const skipped = page.locator('.rp-skipped');
    for (const k of rep.skipped) assert.ok((await skipped.textContent()).includes(k.reason), `the skipped statements' reason shows: ${k.reason}`);
    assert.equal(await page.getByText('different version of this scenario').count(), rep.scenario.matches === false ? 1 : 0, 'the version notice shows only when the statements are of another version');
}

async function expectLearners(page, rep) {
    const status = { passed: 'Passed', failed: 'Failed', completed: 'Completed', abandoned: 'Abandoned' };
    const learners = await rows(tableByCaption(section(page, 'Each learner'), 'Learners:'));
    assert.deepEqual(learners.map(r => [r[0], r[2], r[4], r[5]]), rep.learners.map(l => [l.actor, status[l.status], l.score == null ? '–' : String(l.score), num(l.turns)]), 'the learners table: actor, status, score, turns');
    const sam = rep.learners.findIndex(l => l.score === 82);
    assert.equal(learners[sam][6], '6 min 12 sec', 'a duration in minutes and seconds');
    assert.equal(learners[sam][7], 'Asked', 'Sam asked about safety');
    for (const l of rep.learners) assert.equal(await page.locator(`details[id="attempt-${l.attempt}"]`).count(), 1, `one path for attempt ${l.attempt}`);
}

test('320 px: no sideways scroll, wide tables scroll inside a focusable region, axe clean in light and dark', async () => {
    for (const colorScheme of ['light', 'dark']) {
        const p = await open({ viewport: { width: 320, height: 700 }, colorScheme });
        const { page } = p;
        await expectNoHorizontalScroll(page, `the empty form at 320 px (${colorScheme})`);
        await fill(page);
        await showReport(page);
        await page.locator('details.rp-attempt').first().locator('summary').click();
        await expectNoHorizontalScroll(page, `the report at 320 px (${colorScheme})`);
        const wide = page.locator('.rp-scroll').filter({ has: page.locator('caption', { hasText: 'Learners:' }) });
        assert.equal(await wide.getAttribute('tabindex'), '0', 'the learners table\'s wrapper takes focus, to scroll by keyboard');
        assert.ok(await wide.evaluate(el => el.scrollWidth > el.clientWidth), 'the learners table scrolls inside its wrapper at 320 px');
        await expectNoAxeViolations(page, `on the report at 320 px (${colorScheme})`);
        if (colorScheme === 'light') {
            await screenshot(page, 'report-320');
            await page.emulateMedia({ media: 'print' });
            await screenshot(page, 'report-print');
        }
        await p.close();
    }
});

test('the endpoint and credentials are kept for the tab, and on the device only when asked', async () => {
    const p = await open();
    const { page, context } = p;
    await fill(page);
    await showReport(page);
    const readStores = pg => pg.evaluate(() => ({ session: sessionStorage.getItem('attunement-report:store'), local: localStorage.getItem('attunement-report:store') }));
    assert.deepEqual(Object.values(await readStores(page)).map(v => v !== null), [true, false], 'unticked: kept in sessionStorage only');
    await page.reload();
    assert.equal(await field(page, 'Record store endpoint').inputValue(), lrs.endpoint, 'a reload keeps the endpoint for the tab');
    assert.equal(await field(page, 'User name').inputValue(), USER);
    assert.equal(await field(page, 'Password').inputValue(), PASSWORD);
    assert.equal(await field(page, 'Remember on this device').isChecked(), false);

    const other = await context.newPage();
    await other.goto(`${env.url}/report.html`);
    await visible(field(other, 'Record store endpoint'), 'the form in a new tab');
    assert.equal(await field(other, 'Record store endpoint').inputValue(), '', 'another tab does not get them');
    assert.equal(await field(other, 'Password').inputValue(), '');

    // Ticked: this device keeps them, for a new tab too.
    await field(page, 'Remember on this device').check();
    await showReport(page);
    assert.deepEqual(Object.values(await readStores(page)).map(v => v !== null), [true, true], 'ticked: localStorage too');
    await other.reload();
    await eventually(async () => assert.equal(await field(other, 'Record store endpoint').inputValue(), lrs.endpoint, 'a new tab gets the remembered endpoint'));
    assert.equal(await field(other, 'Password').inputValue(), PASSWORD);
    assert.equal(await field(other, 'Remember on this device').isChecked(), true, 'and shows that they are remembered');

    // Unticking forgets the device's copy at once.
    await field(page, 'Remember on this device').uncheck();
    assert.equal((await readStores(page)).local, null, 'unticking removes them from localStorage');
    await other.reload();
    await visible(field(other, 'Record store endpoint'), 'the form after a reload');
    assert.equal(await field(other, 'Record store endpoint').inputValue(), '', 'then a new tab gets nothing');
    await other.close();
    await p.close();
});

// The page in Arabic (report.html?lang=ar): its words from www/i18n/report.ar.json, laid out right
// to left, its bars growing from the right, axe clean and without sideways scroll at 320 and
// 1280 px. Labels are found by the Arabic catalogue's words, not written here.
const arabic = JSON.parse(readFileSync(path.join(WWW, 'i18n', 'report.ar.json'), 'utf8'));
for (const width of [320, 1280]) {
    test(`in Arabic at ${width} px: right to left, axe clean`, async () => {
        const p = await openPage(env, '/report.html?lang=ar', { viewport: { width, height: 900 } });
        const { page } = p;
        const label = id => page.getByLabel(arabic[id], { exact: true });
        await visible(label('report.form.endpoint'), 'the form, in Arabic');
        assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['ar', 'rtl']);
        await label('report.form.endpoint').fill(lrs.endpoint);
        await label('report.form.user').fill(USER);
        await label('report.form.password').fill(PASSWORD);
        await eventually(async () => assert.ok((await label('report.form.scenario').locator('option').count()) > 1, 'the scenario list is filled'));
        await label('report.form.scenario').selectOption(ACTIVITY);
        await page.getByRole('button', { name: arabic['report.form.show'], exact: true }).click();
        await visible(page.getByRole('heading', { level: 2 }).filter({ hasText: arabic['report.heading'].split('{')[0].trim() }), 'the report\'s heading, in Arabic');
        // A horizontal bar starts at the right: its rectangle's right edge is the chart's.
        const bar = await page.evaluate(() => {
            const r = document.querySelector('.rp-chart rect[class*="rp-bar"]');
            if (!r) return null;
            const chart = r.closest('svg').getBoundingClientRect(), box = r.getBoundingClientRect();
            return { gapRight: chart.right - box.right, gapLeft: box.left - chart.left };
        });
        assert.ok(bar && bar.gapRight < bar.gapLeft, `a bar grows from the right: ${JSON.stringify(bar)}`);
        // The engine's own words too: the skills are named in the engine's Arabic.
        const engine = JSON.parse(readFileSync(path.join(WWW, 'i18n', 'engine.ar.json'), 'utf8'));
        const text = await page.locator('main').innerText();
        assert.ok(text.includes(engine['skill.reflection.label']), `the reflection is named "${engine['skill.reflection.label']}"`);
        await expectNoHorizontalScroll(page, `the Arabic report at ${width} px`);
        await expectNoAxeViolations(page, `the Arabic report at ${width} px`);
        await screenshot(page, `report-ar-${width}`);
        await p.close();
    });
}

test('nothing is taken from the address', async () => {
    const p = await openPage(env, `/report.html?endpoint=${encodeURIComponent(lrs.endpoint)}&user=${USER}&password=${PASSWORD}&auth=${encodeURIComponent(AUTH)}`);
    await visible(field(p.page, 'Record store endpoint'), 'the form');
    assert.equal(await field(p.page, 'Record store endpoint').inputValue(), '');
    assert.equal(await field(p.page, 'User name').inputValue(), '');
    assert.equal(await field(p.page, 'Password').inputValue(), '');
    await p.close();
});

test('a wrong password says so and keeps everything typed', async () => {
    const p = await open({ allow: [/401/] });
    const { page } = p;
    await fill(page, { password: 'wrong-password', 'Learner filter (optional)': 'Rivera', 'Registrations (optional)': ATTEMPTS[0].id });
    await page.getByRole('button', { name: 'Show report', exact: true }).click();
    const alert = page.getByRole('alert');
    await eventually(async () => assert.match(await alert.textContent(), /refused these credentials \(HTTP 401\).*Check the user name and password; the credentials need read access/));
    assert.equal(await field(page, 'Record store endpoint').inputValue(), lrs.endpoint);
    assert.equal(await field(page, 'User name').inputValue(), USER);
    assert.equal(await field(page, 'Password').inputValue(), 'wrong-password');
    assert.equal(await field(page, 'Learner filter (optional)').inputValue(), 'Rivera');
    assert.equal(await field(page, 'Registrations (optional)').inputValue(), ATTEMPTS[0].id);
    assert.equal(await page.getByRole('heading', { name: /^Report:/ }).count(), 0, 'no report');
    await expectNoAxeViolations(page, 'with the 401 message');

    // The right password, with the group: only Sam's attempt.
    await field(page, 'Password').fill(PASSWORD);
    await showReport(page);
    assert.equal(await page.getByRole('alert').count(), 0, 'the alert is cleared (an empty alert is not shown)');
    assert.equal((await page.locator('[role="alert"]').textContent()).trim(), '');
    const learners = await rows(tableByCaption(section(page, 'Each learner'), 'Learners:'));
    assert.equal(learners.length, 1, 'the group keeps one attempt');
    assert.match(learners[0][0], /Sam Rivera/);
    await p.close();
});

test('a store that cannot be reached, and an answer that is not xAPI, are named plainly', async () => {
    const p = await open({ allow: [/ERR_CONNECTION_REFUSED|Failed to fetch|net::/] });
    const { page } = p;
    await fill(page, { endpoint: `${deadOrigin}/xAPI/` });
    await page.getByRole('button', { name: 'Show report', exact: true }).click();
    const alert = page.getByRole('alert');
    await eventually(async () => assert.match(await alert.textContent(), new RegExp(`The record store at ${deadOrigin} could not be reached.*CORS.*connect-src`)));
    assert.equal(await field(page, 'Record store endpoint').inputValue(), `${deadOrigin}/xAPI/`);

    await field(page, 'Record store endpoint').fill(`${env.url}/not-a-store/`);
    await page.getByRole('button', { name: 'Show report', exact: true }).click();
    await eventually(async () => assert.match(await alert.textContent(), /is not an xAPI statement list/));

    await field(page, 'Record store endpoint').fill('lrs.example.org');
    await page.getByRole('button', { name: 'Show report', exact: true }).click();
    await eventually(async () => assert.match(await alert.textContent(), /The endpoint is not a web address/));
    assert.equal(await field(page, 'Record store endpoint').getAttribute('aria-invalid'), 'true');
    assert.ok(await hasFocus(field(page, 'Record store endpoint')), 'focus goes to the field to fix');
    await p.close();
});

test('the date range: "To" counts the whole day; a range before the statements finds none', async () => {
    const p = await open();
    const { page } = p;
    // `since`/`until` filter on when the store stored a statement: today, for these.
    const [today, yesterday] = await page.evaluate(() => {
        const day = d => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
        const now = new Date();
        return [day(now), day(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1))];
    });
    await fill(page, { 'From (optional)': today, 'To (optional)': today });
    await showReport(page);
    assert.equal(await section(page, 'Attempts and endings').locator('dd').first().textContent(), '4', 'today to today: all four attempts');
    await field(page, 'From (optional)').fill(yesterday);
    await field(page, 'To (optional)').fill(yesterday);
    await showReport(page);
    assert.equal(await section(page, 'Attempts and endings').locator('dd').first().textContent(), '0', 'yesterday: none');
    await p.close();
});
