// xAPI reporting against a real learning record store: Ralph (PyPI ralph-malph, filesystem
// backend), started on 127.0.0.1 by scripts/lrs.py from the virtual environment that
// `bash scripts/install.sh lrs` makes. The tests play the scenario in Chromium, read the
// statements back from the store (GET ?registration=…) and from its file (fs_lrs.jsonl, to
// count every stored copy), stop and restart the store mid-session, and check that nothing
// leaves the page when no endpoint is configured. The pages are opened as an LMS launches them:
// embed.html with cmi5 launch parameters (the store's endpoint, a one-time fetch URL for the
// credentials, the actor), which the site allows through its attunement.config.json (a
// temporary file here); a few tests use the one-line embed, whose attributes the page author
// writes (tests/e2e/fixtures/host.html).
//
// The page is served through a small proxy in front of the usual test server that adds
// `connect-src 'self' <the store's origin>` to the strict CSP: the store is on another
// origin, as a course site's would be, and the widget's own CSP would block it.
//
// Expected statement ids are recomputed here with Node's SHA-1 (UUID v5 of
// `${attempt}:${verb}:${turn}` in the namespace docs/xapi.md gives), not with the widget's code.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CSP } from './server.mjs';
import { assertLrsInstalled, startLrs as startSharedLrs } from './lrs.mjs';
import { REPO, WWW, enginePlay, eventually, openPage, playTurns, start, startEnv, ui, visible } from './helpers.mjs';

// The learner's engine with the reply coder (www/pkg-write), to code a written reply as the page does.
const writeEngine = await import(pathToFileURL(path.join(WWW, 'pkg-write', 'attunement.js')).href);
writeEngine.initSync({ module: readFileSync(path.join(WWW, 'pkg-write', 'attunement_bg.wasm')) });
const coder = new writeEngine.Coder(readFileSync(path.join(WWW, 'coder.bin')));

const USER = 'learner';
const PASSWORD = 'secret123';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const ACTOR = 'mailto:learner@example.org';
const NAMESPACE = 'a69ae3e6-091b-4ea5-8c86-0feef5c7851f';
const VERB = name => `http://adlnet.gov/expapi/verbs/${name}`;
const EXT = name => `https://attunement.invalid/xapi/extensions/${name}`;
const ACTIVITY = 'https://attunement.invalid/scenarios/first-meeting';
const QUEUE = 'attunement-xapi:queue:';
/// The result the engine's debrief gives a play-through (the CLI's), as xAPI carries it.
const scoreOf = play => {
    const { scaled, raw, min, max } = play.debrief.score;
    return { scaled, raw, min, max };
};
// The browser's own report of a request to a stopped store, or of a status the widget
// expects (401 with wrong credentials, 409 for a statement the store already has).
const REFUSED = /Failed to load resource: net::ERR_CONNECTION_REFUSED/;

let env, proxy, lrs, dataDir, configDir, configFile;
// Origins besides the store's that the pages' CSP lets them connect to (a test's own servers).
const connectTo = new Set();

before(async () => {
    assertLrsInstalled();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'attunement-lrs-'));
    configDir = mkdtempSync(path.join(os.tmpdir(), 'attunement-site-'));
    configFile = path.join(configDir, 'attunement.config.json');
    env = await startEnv({ files: { '/attunement.config.json': configFile } });
    proxy = await startCspProxy(env.url, () => [lrs ? `http://127.0.0.1:${lrs.port}` : '', ...connectTo].join(' '));
    lrs = await startLrs({ port: 0 });
    allowStores();
});

after(async () => {
    await lrs?.stop();
    await proxy?.close();
    await env?.close();
    for (const dir of [dataDir, configDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/// The site's configuration: a cmi5 launch may name these origins (by default the store's, and
/// the page's own, where the LMS's fetch URL is).
function allowStores(origins = [new URL(lrs.endpoint).origin, new URL(proxy.url).origin]) {
    writeFileSync(configFile, JSON.stringify({ xapi: { allowedOrigins: origins } }));
}

// ---------------------------------------------------------------- the tests

test('a whole attempt arrives in the store: verbs, ids, registration, extensions, score', async () => {
    const mode = 'practice';
    const play = enginePlay({ auto: 'worst', seed: 1, mode });
    assert.equal(play.debrief.score.passed, false, 'the engine fails the worst path of first-meeting (so this test sees "failed")');
    const p = await openXapiPage({ mode, seed: 1 });
    const { page } = p;
    await start(page);
    await playTurns(page, play.turns);
    await visible(ui(page).debrief, 'the debrief');
    const attempt = await attemptOf(page, mode);

    const n = play.turns.length;
    const statements = await eventually(async () => {
        const got = await lrsStatements(attempt);
        assert.equal(got.length, n + 4, `the store should hold initialized, ${n} answered, completed, failed, terminated; it holds ${describe(got)}`);
        return got;
    });
    const expected = [
        ['initialized', 0],
        ...play.turns.map(t => ['answered', t.number]),
        ['completed', n],
        ['failed', n],
        ['terminated', n],
    ];
    assertStatementSet(statements, attempt, expected);

    for (const s of statements) {
        assert.equal(s.actor.mbox, ACTOR, 'the actor is the configured learner');
        assert.equal(s.context.registration, attempt, 'context.registration is the attempt id');
        assert.equal(s.context.extensions[EXT('attempt')], attempt);
        assert.equal(s.context.extensions[EXT('mode')], mode);
    }
    const byId = new Map(statements.map(s => [s.id, s]));
    for (const turn of play.turns) {
        const s = byId.get(statementId(attempt, 'answered', turn.number));
        assert.equal(s.verb.id, VERB('answered'));
        assert.equal(s.object.id, `${ACTIVITY}/nodes/${turn.node}`, `turn ${turn.number}: the object is the node's interaction`);
        assert.deepEqual(s.context.contextActivities.parent.map(a => a.id), [ACTIVITY]);
        assert.equal(s.result.response, turn.choice, `turn ${turn.number}: result.response is the choice id`);
        const x = s.result.extensions;
        assert.equal(x[EXT('skill')], turn.skill, `turn ${turn.number}: the skill code`);
        assert.equal(x[EXT('skill-kind')], turn.kind);
        assert.equal(x[EXT('trust-before')], turn.trust_before, `turn ${turn.number}: trust before`);
        assert.equal(x[EXT('trust-after')], turn.trust_after, `turn ${turn.number}: trust after`);
        assert.equal(x[EXT('choice-text')], turn.text, `turn ${turn.number}: the choice text`);
        assert.equal(x[EXT('turn')], turn.number);
        assert.equal(x[EXT('node')], turn.node, `turn ${turn.number}: the node, for the cohort report`);
        assert.equal(x[EXT('acute')], turn.acute, `turn ${turn.number}: acute distress`);
        assert.equal(x[EXT('warning-signs')], turn.warning_signs, `turn ${turn.number}: warning signs`);
    }
    for (const verb of ['completed', 'failed']) {
        const s = byId.get(statementId(attempt, verb, n));
        assert.equal(s.object.id, ACTIVITY, `${verb}: the object is the scenario`);
        assert.equal(s.object.definition.type, 'http://adlnet.gov/expapi/activities/simulation');
        assert.deepEqual(s.result.score, scoreOf(play), `${verb}: the score is the engine's debrief's`);
        assert.equal(s.result.success, play.debrief.score.passed, `${verb}: success is the engine's pass`);
        assert.equal(s.result.completion, true, `${verb}: completion`);
        assert.match(s.result.duration, /^PT(\d+H)?(\d+M)?\d+(\.\d+)?S$/, `${verb}: an ISO 8601 duration`);
        assert.equal(s.result.extensions[EXT('ending')], play.ending.id);
        assert.equal(s.result.extensions[EXT('outcome')], play.ending.outcome);
    }
    assert.match(byId.get(statementId(attempt, 'terminated', n)).result.duration, /^PT/);
    assertStoredOnce(statements.map(s => s.id));
    assert.deepEqual(await queued(page), [], 'the outbox is empty once the store has everything');
    await p.close();
});

test('a store that goes away loses nothing; a reload resends without duplicates', async () => {
    const mode = 'assessment';
    const play = enginePlay({ auto: 'best', seed: 2, mode });
    assert.ok(play.debrief.score.passed, 'the engine passes the best path of first-meeting');
    assert.ok(play.turns.length >= 6, 'the best path has enough turns for this test');
    const p = await openXapiPage({ mode, seed: 2 }, { allow: [REFUSED, /status of 409/] });
    const { page } = p;
    const sent = [];
    page.on('request', r => {
        if (r.method() === 'POST' && r.url().startsWith(lrs.endpoint)) sent.push(JSON.parse(r.postData()));
    });
    await start(page);
    await playTurns(page, play.turns.slice(0, 2));
    const attempt = await attemptOf(page, mode);
    await eventually(async () => assert.equal((await lrsStatements(attempt)).length, 3, 'initialized and two answered, live'));

    // The store goes away; the learner plays on and sees nothing of it.
    await lrs.stop();
    await playTurns(page, play.turns.slice(2, 4));
    assert.equal(await ui(page).alert.count(), 0, 'no alert while the store is down');
    assert.equal(await ui(page).status.filter({ hasText: /record|xAPI|store/i }).count(), 0, 'no notice about the store');
    assert.deepEqual(await queued(page), ids(attempt, [['answered', 3], ['answered', 4]]).sort(), 'the two new answers wait in the outbox');

    // A reload while the store is down: the resume adds its own statement; nothing is dropped.
    await page.reload();
    await visible(ui(page).choices, 'the choices, after the reload');
    assert.equal(await ui(page).learnerMessages.count(), 4, 'the conversation resumes at turn 4');
    const waiting = ids(attempt, [['answered', 3], ['answered', 4], ['initialized', 4]]).sort();
    await eventually(async () => assert.deepEqual(await queued(page), waiting, 'the outbox after the reload'));

    // The store comes back: the retries deliver the queue with no action from the learner.
    lrs = await startLrs({ port: lrs.port });
    await eventually(async () => assert.deepEqual(await queued(page), [], 'the outbox drains once the store is back'), { timeout: 30_000 });
    assert.equal((await lrsStatements(attempt)).length, 6);

    await playTurns(page, play.turns.slice(4));
    await visible(ui(page).debrief, 'the debrief');
    const n = play.turns.length;
    const expected = [
        ['initialized', 0],
        ...play.turns.map(t => ['answered', t.number]),
        ['initialized', 4],
        ['completed', n],
        ['passed', n],
        ['terminated', n],
    ];
    const statements = await eventually(async () => {
        const got = await lrsStatements(attempt);
        assert.equal(got.length, expected.length, `every statement once; the store holds ${describe(got)}`);
        return got;
    });
    assertStatementSet(statements, attempt, expected);
    assert.equal(statements.find(s => s.id === statementId(attempt, 'initialized', 4)).context.extensions[EXT('turn')], 4);
    const passedStatement = statements.find(s => s.id === statementId(attempt, 'passed', n));
    assert.deepEqual(passedStatement.result.score, scoreOf(play), 'the score is the engine\'s debrief\'s');
    assert.equal(passedStatement.result.success, play.debrief.score.passed, 'success is the engine\'s pass');
    assertStoredOnce(statements.map(s => s.id));
    await eventually(async () => assert.deepEqual(await queued(page), []));

    // An acknowledgement lost on the way back: the page resends statements the store already
    // has, one unchanged (Ralph answers 204) and one that differs (409). Both count as
    // delivered, and the store still holds one copy of each, the original.
    const again = sent.find(s => s.id === statementId(attempt, 'answered', 5));
    const altered = structuredClone(sent.find(s => s.id === statementId(attempt, 'answered', 6)));
    assert.ok(again && altered, 'the page sent answered 5 and 6');
    const originalText = altered.result.extensions[EXT('choice-text')];
    altered.result.extensions[EXT('choice-text')] = 'changed on the way';
    await page.evaluate(
        ([prefix, items]) => items.forEach((s, i) => localStorage.setItem(prefix + s.id, JSON.stringify({ queued: Date.now(), order: i, statement: s }))),
        [QUEUE + lrs.endpoint, [again, altered]],
    );
    const before = sent.length;
    await page.reload();
    await visible(ui(page).debrief, 'the debrief, after the reload');
    await eventually(async () => assert.deepEqual(await queued(page), [], 'the resent statements leave the outbox'));
    assert.deepEqual(sent.slice(before).map(s => s.id), [again.id, altered.id], 'after reloading a finished attempt only the two resends go out');
    const final = await lrsStatements(attempt);
    assert.equal(final.length, expected.length, 'no duplicates after the resend');
    assert.equal(final.find(s => s.id === altered.id).result.extensions[EXT('choice-text')], originalText, 'the store keeps the original');
    assertStoredOnce(final.map(s => s.id));
    await p.close();
});

test('wrong credentials keep the statements queued; the right ones deliver them', async () => {
    const mode = 'practice';
    const play = enginePlay({ auto: 'best', seed: 3, mode });
    const warnings = [];
    const p = await openXapiPage({ mode, seed: 3, token: 'wrong' }, {
        allow: [/status of 401/],
        init: page => page.on('console', m => m.type() === 'warning' && warnings.push(m.text())),
    });
    const { page } = p;
    const refused = page.waitForResponse(r => r.url().startsWith(lrs.endpoint) && r.status() === 401);
    await start(page);
    await playTurns(page, play.turns.slice(0, 1));
    await refused;
    const attempt = await attemptOf(page, mode);
    assert.deepEqual(await queued(page), ids(attempt, [['initialized', 0], ['answered', 1]]).sort(), 'refused statements stay in the outbox');
    assert.deepEqual(await lrsStatements(attempt), [], 'the store has nothing for this attempt');
    await eventually(async () =>
        assert.equal(warnings.filter(w => w.includes('refused the credentials')).length, 1, `one warning about the credentials; warnings: ${JSON.stringify(warnings)}`));

    // The LMS launches again with good credentials: the same browser sends the queue with them.
    await page.goto(`${proxy.url}/embed.html?${query({ mode, seed: 3 })}`);
    await visible(ui(page).choices, 'the choices, after the fix');
    const statements = await eventually(async () => {
        const got = await lrsStatements(attempt);
        assert.equal(got.length, 3, `initialized, answered 1, initialized (resume); the store holds ${describe(got)}`);
        return got;
    });
    assertStatementSet(statements, attempt, [['initialized', 0], ['answered', 1], ['initialized', 1]]);
    await eventually(async () => assert.deepEqual(await queued(page), []));
    await p.close();
});

test('a written reply reaches the store as its coding; its text only with xapi-send-text', async () => {
    const text = 'It sounds like this has been weighing on you for a while.';
    for (const sendText of [false, true]) {
        const attributes = new URLSearchParams({
            src: '/scenarios/first-meeting.attn', mode: 'practice', seed: '2', reply: 'write',
            'xapi-endpoint': lrs.endpoint, 'xapi-auth': AUTH, 'xapi-actor': ACTOR,
            ...(sendText ? { 'xapi-send-text': '' } : {}),
        });
        const bodies = [];
        const p = await openPage({ ...env, url: proxy.url }, `/fixtures/host.html?${attributes}`, {
            init: page => page.on('request', r => r.url().startsWith(lrs.endpoint) && r.method() === 'POST' && bodies.push(r.postData() ?? '')),
        });
        const { page } = p;
        const w = ui(page);
        await w.continueButton.or(w.startButton).first().click();
        const box = page.getByRole('textbox', { name: 'Your reply, in your own words' });
        await box.fill(text);
        await box.press('Enter');
        const go = page.getByRole('button', { name: 'Go on with this' });
        const closest = page.getByRole('group', { name: 'The option closest to your reply' });
        await visible(go.or(closest), 'what the reply was taken as, or the options');
        const taken = await go.isVisible();
        if (taken) await go.click();
        else await closest.getByRole('button').first().click();
        const attempt = await attemptOf(page, 'practice');
        const answered = await eventually(async () => {
            const got = (await lrsStatements(attempt)).filter(s => s.verb.id === VERB('answered'));
            assert.equal(got.length, 1, 'one answered statement');
            return got[0];
        });
        // What the learner's engine with the coder, in Node, makes of the same reply there.
        const sim = new writeEngine.Simulator(readFileSync(path.join(WWW, 'scenarios', 'first-meeting.attn')), 'first-meeting.attn');
        const twin = sim.start('practice', 2);
        const reply = twin.reply(coder, text);
        const choice = taken ? reply.taken : twin.view().choices[0].id;
        twin.free();
        sim.free();
        const x = answered.result.extensions;
        assert.equal(x[EXT('written-skill')], reply.skill, 'the coded skill');
        assert.equal(x[EXT('written-confidence')], reply.confidence, 'its confidence');
        assert.equal(x[EXT('written-taken')], taken);
        if (sendText) assert.equal(answered.result.response, text, 'with xapi-send-text the typed text is the response');
        else {
            assert.equal(answered.result.response, choice, 'without it the response is the choice id');
            assert.ok(bodies.length > 0 && bodies.every(b => !b.includes('weighing')), 'no request to the store carries the typed text');
        }
        await p.close();
    }
});

test('without an actor: one console warning, nothing recorded or sent, and play goes on', async () => {
    const mode = 'practice';
    const play = enginePlay({ auto: 'worst', seed: 4, mode });
    const warnings = [];
    const toStore = [];
    const p = await openXapiPage({ mode, seed: 4, actor: null }, {
        init: page => {
            page.on('console', m => m.type() === 'warning' && warnings.push(m.text()));
            page.on('request', r => r.url().startsWith(lrs.endpoint) && toStore.push(r.url()));
        },
    });
    const { page } = p;
    await start(page);
    await playTurns(page, play.turns);
    await visible(ui(page).debrief, 'the debrief');
    assert.deepEqual(
        warnings.filter(w => w.includes('xapi')),
        ['attunement xapi: no statements are recorded: xapi-actor is missing (an xAPI Agent as JSON, or a mailto: address)'],
        'exactly one warning, saying what is missing',
    );
    assert.deepEqual(await queued(page), [], 'nothing queued');
    assert.deepEqual(toStore, [], 'no request to the store');
    await p.close();
});

test('with no xapi-endpoint, no request leaves the page\'s origin', async () => {
    const mode = 'practice';
    const play = enginePlay({ auto: 'worst', seed: 5, mode });
    const requests = [];
    // Actor and credentials are there, only the endpoint is missing; the page's CSP would let a
    // request to the store through, so a leak would show here rather than as a CSP violation.
    const p = await openXapiPage({ mode, seed: 5, endpoint: null }, { init: page => page.on('request', r => requests.push(r.url())) });
    const { page } = p;
    await start(page);
    await playTurns(page, play.turns);
    await visible(ui(page).debrief, 'the debrief');
    await page.reload();
    await visible(ui(page).debrief, 'the debrief, after a reload');
    const origin = new URL(proxy.url).origin;
    assert.ok(requests.length > 0, 'the page made its own requests');
    assert.deepEqual(requests.filter(url => new URL(url).origin !== origin), [], 'requests to other origins');
    assert.deepEqual(requests.filter(url => url.includes('/lms/')), [], 'no reporter module is even loaded');
    assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter(k => k.startsWith('attunement-xapi:'))), [], 'no xAPI keys in localStorage');
    await p.close();
});

test('cmi5-style launch: a one-time fetch token, the LMS\'s registration and activity id', async () => {
    const mode = 'practice';
    const play = enginePlay({ auto: 'best', seed: 6, mode });
    const registration = crypto.randomUUID();
    const activityId = 'https://lms.example/courses/7/units/attunement';
    const launch = `${query({ mode, seed: 6, token: null })}&${new URLSearchParams({ fetch: '/cmi5/fetch?launch=cmi5-test', registration, activityId })}`;
    const p = await openPage({ ...env, url: proxy.url }, `/embed.html?${launch}`);
    const { page } = p;
    await start(page);
    await playTurns(page, play.turns.slice(0, 2));
    await page.reload();
    await visible(ui(page).choices, 'the choices, after the reload');
    await playTurns(page, play.turns.slice(2, 3));
    const attempt = await attemptOf(page, mode);
    const statements = await eventually(async () => {
        const got = await lrsStatements(registration);
        assert.equal(got.length, 5, `the store holds ${describe(got)}`);
        return got;
    });
    const expected = [['initialized', 0], ['answered', 1], ['answered', 2], ['initialized', 2], ['answered', 3]];
    assert.deepEqual(statements.map(s => s.id).sort(), ids(attempt, expected).sort(), 'ids still come from the attempt');
    for (const s of statements) {
        assert.equal(s.context.registration, registration, 'context.registration is the launch\'s registration');
        assert.equal(s.context.extensions[EXT('attempt')], attempt, 'the attempt id travels as an extension');
        assert.ok(s.object.id === activityId || s.object.id.startsWith(`${activityId}/nodes/`), `object ${s.object.id} is the launch's activity or one of its nodes`);
    }
    assert.equal(proxy.fetches.filter(id => id === 'cmi5-test').length, 1, 'the one-time fetch URL is used once, across the reload');
    await eventually(async () => assert.deepEqual(await queued(page), []));
    await p.close();
});

test('a cmi5 launch reports only to a store the site allows; another is refused with a notice', async () => {
    const mode = 'practice';
    const play = enginePlay({ auto: 'best', seed: 7, mode });
    const cases = [
        // The site allows another store (and the page's own origin, where the fetch URL is).
        { allowed: ['https://lrs.example.edu', new URL(proxy.url).origin], reports: false },
        { allowed: undefined, reports: true },
    ];
    for (const { allowed, reports } of cases) {
        allowStores(allowed);
        const registration = crypto.randomUUID();
        const toStore = [];
        const p = await openPage({ ...env, url: proxy.url }, `/embed.html?${query({ mode, seed: 7 })}&registration=${registration}`, {
            init: page => page.on('request', r => r.url().startsWith(lrs.endpoint) && toStore.push(r.url())),
        });
        const { page } = p;
        const notice = page.getByRole('alert').filter({ hasText: 'does not allow' });
        await start(page);
        await playTurns(page, play.turns.slice(0, 2));
        const attempt = await attemptOf(page, mode);
        if (reports) {
            assert.equal(await notice.count(), 0, 'no notice for an allowed store');
            const statements = await eventually(async () => {
                const got = await lrsStatements(registration);
                assert.equal(got.length, 3, `initialized and two answered; the store holds ${describe(got)}`);
                return got;
            });
            assert.deepEqual(statements.map(s => s.id).sort(), ids(attempt, [['initialized', 0], ['answered', 1], ['answered', 2]]).sort());
        } else {
            await visible(notice, 'the notice that the launch is refused');
            assert.match(await notice.textContent(), new RegExp(`record your progress at ${new URL(lrs.endpoint).origin}, which this site does not allow`));
            await page.reload();
            await visible(ui(page).choices, 'the choices, after a reload');
            assert.deepEqual(toStore, [], 'no request reaches the store');
            assert.deepEqual(await lrsStatements(registration), [], 'the store has nothing of this launch');
            assert.deepEqual(await queued(page), [], 'nothing is queued for it');
        }
        await p.close();
    }
    allowStores();
});

test('a reporter module that fails to load is tried again at the next step, and the host hears of it', async () => {
    const mode = 'practice';
    const play = enginePlay({ auto: 'best', seed: 8, mode });
    const registration = crypto.randomUUID();
    const loads = [];
    const warnings = [];
    const p = await openPage({ ...env, url: proxy.url }, `/embed.html?${query({ mode, seed: 8 })}&registration=${registration}`, {
        allow: [/Failed to load resource: the server responded with a status of 500/],
        init: async page => {
            page.on('console', m => m.type() === 'warning' && warnings.push(m.text()));
            // The first request for the reporter fails, as a flaky network or server might.
            await page.route(/\/lms\/xapi\.js(\?.*)?$/, route => {
                loads.push(route.request().url());
                return loads.length === 1
                    ? route.fulfill({ status: 500, contentType: 'text/plain', body: 'the server had a moment' })
                    : route.continue();
            });
            await page.addInitScript(() => {
                window.reportingErrors = [];
                document.addEventListener('attunement-reporting-error', e => window.reportingErrors.push({ target: e.target.localName, detail: e.detail }));
            });
        },
    });
    const { page } = p;
    const errors = await eventually(async () => {
        const got = await page.evaluate(() => window.reportingErrors);
        assert.equal(got.length, 1, 'one attunement-reporting-error event for the failed load');
        return got;
    });
    assert.equal(errors[0].target, 'attunement-sim', 'the event comes from the element');
    const { detail } = errors[0];
    assert.equal(detail.type, 'reporting-error');
    assert.equal(detail.version, 1);
    assert.equal(detail.module, 'lms/xapi.js');
    assert.equal(detail.scenario.id, 'first-meeting');
    assert.match(detail.message, /^it could not be loaded \(.+\); it is tried again at the learner's next step$/);
    assert.ok(warnings.some(w => w.startsWith('attunement: no reports are sent through lms/xapi.js for now: it could not be loaded')), `a console warning: ${JSON.stringify(warnings)}`);
    assert.equal(await ui(page).alert.count(), 0, 'the learner sees no error: the widget plays');

    await start(page);
    await playTurns(page, play.turns.slice(0, 2));
    const attempt = await attemptOf(page, mode);
    const statements = await eventually(async () => {
        const got = await lrsStatements(registration);
        assert.equal(got.length, 3, `initialized (from before the module loaded) and two answered; the store holds ${describe(got)}`);
        return got;
    });
    assert.deepEqual(statements.map(s => s.id).sort(), ids(attempt, [['initialized', 0], ['answered', 1], ['answered', 2]]).sort());
    assert.equal(loads.length, 2, `the module was requested again once, and only once: ${loads.join(', ')}`);
    assert.equal((await page.evaluate(() => window.reportingErrors)).length, 1, 'no further error once it loaded');
    await p.close();
});

test('a store that never answers holds nothing up: requests time out, and other tabs\' statements get through', async () => {
    // The one-line embed, whose author sets a short timeout (xapi-timeout, in seconds), on a
    // store behind a switch: while it hangs, requests are accepted and never answered.
    const store = await startSwitch(lrs.endpoint);
    connectTo.add(store.origin);
    const attributes = mode => new URLSearchParams({
        src: '/scenarios/first-meeting.attn', mode, seed: '9',
        'xapi-endpoint': `${store.origin}/xAPI/`, 'xapi-auth': AUTH, 'xapi-actor': ACTOR, 'xapi-timeout': '1',
    });
    const warnings = [];
    const p = await openPage({ ...env, url: proxy.url }, `/fixtures/host.html?${attributes('practice')}`, {
        allow: [/net::ERR_/],
        init: page => page.on('console', m => m.type() === 'warning' && warnings.push(m.text())),
    });
    const { page, context } = p;
    const practice = enginePlay({ auto: 'best', seed: 9, mode: 'practice' });
    await start(page);
    await playTurns(page, practice.turns.slice(0, 1));
    await eventually(() => assert.ok(store.held.length >= 1, 'a request reached the hanging store and waits'));

    // A second tab of the same browser, on the same store: it shares the outbox and the lock.
    const other = await context.newPage();
    other.on('console', m => m.type() === 'warning' && warnings.push(m.text()));
    await other.goto(`${proxy.url}/fixtures/host.html?${attributes('assessment')}`);
    const assessment = enginePlay({ auto: 'best', seed: 9, mode: 'assessment' });
    await start(other);
    await playTurns(other, assessment.turns.slice(0, 1));

    // The store answers again; the requests it holds are never answered. Both tabs' statements
    // arrive all the same.
    store.answer();
    const first = await attemptOf(page, 'practice');
    const second = await attemptOf(other, 'assessment');
    for (const [attempt, tab] of [[first, 'the first tab'], [second, 'the second tab']]) {
        const statements = await eventually(async () => {
            const got = await lrsStatements(attempt);
            assert.equal(got.length, 2, `${tab}: initialized and answered 1; the store holds ${describe(got)}`);
            return got;
        }, { timeout: 60_000 });
        assert.deepEqual(statements.map(s => s.id).sort(), ids(attempt, [['initialized', 0], ['answered', 1]]).sort(), tab);
    }
    await eventually(async () => assert.deepEqual(await queued(page, `${store.origin}/xAPI/`), [], 'the shared outbox is empty'));
    assert.ok(store.held.length >= 1, 'requests were held unanswered');
    // Which tab held the lock while the store hung varies; each says it once at most.
    const abandoned = warnings.filter(w => w === 'attunement xapi: the learning record store did not answer within 1 s; the request was abandoned, and statements stay queued and are retried').length;
    assert.ok(abandoned >= 1 && abandoned <= 2, `the abandoned requests are reported in the console, once per tab: ${JSON.stringify(warnings)}`);
    await other.close();
    await p.close();
    connectTo.delete(store.origin);
    await store.close();
});

// ---------------------------------------------------------------- pages

let launches = 0;

/// A cmi5 launch of embed.html: the store's endpoint, a one-time fetch URL of its own (with
/// `token: 'wrong'`, one that hands out a wrong password; with null, none) and the actor.
function query({ mode, seed, token = 'good', actor = ACTOR, endpoint = lrs.endpoint }) {
    const q = new URLSearchParams({ scenario: 'first-meeting', mode, seed: String(seed) });
    if (endpoint) q.set('endpoint', endpoint);
    if (token) q.set('fetch', `/cmi5/fetch?launch=${++launches}${token === 'wrong' ? '&wrong' : ''}`);
    if (actor) q.set('actor', actor);
    return q.toString();
}

function openXapiPage(params, options = {}) {
    return openPage({ ...env, url: proxy.url }, `/embed.html?${query(params)}`, options);
}

async function attemptOf(page, mode) {
    const attempt = await page.evaluate(key => JSON.parse(localStorage.getItem(key) || 'null')?.id, `attunement:first-meeting:${mode}:attempt`);
    assert.match(attempt ?? '', /^[0-9a-f-]{36}$/, 'the widget keeps its attempt id with the save');
    return attempt;
}

/// Ids of the statements waiting in the page's outbox for the store, sorted.
async function queued(page, endpoint = lrs.endpoint) {
    const prefix = QUEUE + endpoint;
    return page.evaluate(prefix => Object.keys(localStorage).filter(k => k.startsWith(prefix)).map(k => k.slice(prefix.length)).sort(), prefix);
}

// ---------------------------------------------------------------- statements

/// UUID v5 (SHA-1) of `${attempt}:${verb}:${turn}`, as docs/xapi.md defines statement ids.
function statementId(attempt, verb, turn) {
    const hash = createHash('sha1').update(Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex')).update(`${attempt}:${verb}:${turn}`).digest();
    const b = hash.subarray(0, 16);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    const x = b.toString('hex');
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function ids(attempt, pairs) {
    return pairs.map(([verb, turn]) => statementId(attempt, verb, turn));
}

/// The statements are exactly `expected` ([verb, turn] pairs), by id, each once, all in this registration.
function assertStatementSet(statements, attempt, expected) {
    const got = statements.map(s => s.id);
    assert.equal(new Set(got).size, got.length, `statement ids are unique: ${describe(statements)}`);
    const want = new Map(expected.map(([verb, turn]) => [statementId(attempt, verb, turn), `${verb}:${turn}`]));
    assert.deepEqual(
        statements.map(s => want.get(s.id) ?? `unexpected ${s.verb.id.split('/').pop()} ${s.id}`).sort(),
        [...want.values()].sort(),
        'the statements in the store, by (verb, turn)',
    );
    for (const s of statements) {
        assert.equal(s.verb.id, VERB(want.get(s.id).split(':')[0]), `statement ${want.get(s.id)} has its verb`);
        assert.equal(s.context.registration, attempt);
    }
}

/// Every id is stored exactly once in the store's own file (not only in what a query returns).
function assertStoredOnce(wanted) {
    const lines = readFileSync(path.join(dataDir, 'fs_lrs.jsonl'), 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line).id);
    for (const id of wanted) assert.equal(lines.filter(x => x === id).length, 1, `statement ${id} is stored exactly once`);
}

function describe(statements) {
    return `${statements.length}: [${statements.map(s => s.verb.id.split('/').pop()).join(', ')}]`;
}

// ---------------------------------------------------------------- the store

async function lrsStatements(registration) {
    const url = `${lrs.endpoint}statements?${new URLSearchParams({ registration, limit: '500' })}`;
    const response = await fetch(url, { headers: { Authorization: AUTH, 'X-Experience-API-Version': '1.0.3' } });
    assert.equal(response.status, 200, `GET ${url} answered ${response.status}: ${await response.clone().text()}`);
    const body = await response.json();
    assert.equal(body.more ?? '', '', 'all statements fit in one page');
    return body.statements;
}

/// Starts the store on `port` (0: a free one), letting the proxy's origin in.
function startLrs({ port }) {
    return startSharedLrs({ port, dataDir, corsOrigins: [new URL(proxy.url).origin], user: USER, password: PASSWORD });
}

/// Passes a request on to `url` and its answer back, its headers through `rewrite`; a failure
/// upstream is a 502.
function forward(req, res, url, options, rewrite = headers => headers) {
    const upstream = http.request(url, options, response => {
        res.writeHead(response.statusCode, rewrite(response.headers));
        response.pipe(res);
    });
    upstream.on('error', () => {
        res.writeHead(502);
        res.end();
    });
    req.pipe(upstream);
}

/// A switch in front of the store (`endpoint`, whose path it keeps): it holds every request it
/// receives, unanswered, until `answer()`; after that it passes requests to the store. `held`
/// lists what it holds, which it never answers.
function startSwitch(endpoint) {
    const target = new URL(endpoint);
    const held = [];
    let answering = false;
    const server = http.createServer((req, res) => {
        if (!answering) {
            held.push(`${req.method} ${req.url}`);
            return;
        }
        forward(req, res, new URL(req.url, target), { method: req.method, headers: { ...req.headers, host: target.host } });
    });
    return new Promise(resolve => {
        server.listen(0, '127.0.0.1', () => resolve({
            origin: `http://127.0.0.1:${server.address().port}`,
            held,
            answer() { answering = true; },
            close: () => new Promise(done => {
                server.closeAllConnections();
                server.close(() => done());
            }),
        }));
    });
}

/// A proxy in front of the test server that widens the CSP's connect-src to the store. It
/// also plays the LMS's cmi5 fetch URL (POST /cmi5/fetch?launch=ID, with `&wrong` for a wrong
/// password): an auth token the first time for each ID, an error after that, as cmi5 has it;
/// `fetches` lists the IDs of every call.
function startCspProxy(target, storeOrigin) {
    const proxy = { fetches: [] };
    const server = http.createServer((req, res) => {
        if (req.method === 'POST' && req.url.startsWith('/cmi5/fetch')) {
            const url = new URL(req.url, 'http://proxy');
            const id = url.searchParams.get('launch');
            const first = !proxy.fetches.includes(id);
            proxy.fetches.push(id);
            const password = url.searchParams.has('wrong') ? 'wrong-password' : PASSWORD;
            const body = first
                ? { 'auth-token': Buffer.from(`${USER}:${password}`).toString('base64') }
                : { 'error-code': '1', 'error-text': 'this fetch URL was already used' };
            res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
            res.end(JSON.stringify(body));
            return;
        }
        forward(req, res, new URL(req.url, target), { method: req.method, headers: req.headers }, headers => ({
            ...headers, 'content-security-policy': `${CSP}; connect-src 'self' ${storeOrigin()}`,
        }));
    });
    return new Promise(resolve => {
        server.listen(0, '127.0.0.1', () => {
            Object.assign(proxy, {
                url: `http://127.0.0.1:${server.address().port}`,
                close: () => new Promise(done => {
                    server.closeAllConnections();
                    server.close(() => done());
                }),
            });
            resolve(proxy);
        });
    });
}
