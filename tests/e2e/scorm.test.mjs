// SCORM: the widget reporting to an LMS, with the npm package scorm-again playing the LMS side
// (its Scorm12API / Scorm2004API on the course page, the content in an iframe, as an LMS's
// player does). The tests read back what the content set: status, score, session time, exit,
// suspend_data and its limit, and that a learner who leaves mid-way resumes at the same turn
// in a new session whose API starts from the previous session's data. Last, packages built by
// `attunement scorm` are unzipped (by a reader here, checking every CRC) and served with the
// strict CSP, to prove the package itself works.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {
    REPO, startEnv, openPage, ui, enginePlay, start, playTurns, visible, eventually, cli, expectNoTrust, choiceTexts,
} from './helpers.mjs';

const DIST = path.join(REPO, 'node_modules', 'scorm-again', 'dist');
const EDITIONS = {
    '1.2': {
        script: 'scorm12.js', object: 'API', events: ['LMSInitialize', 'LMSSetValue.cmi.*', 'LMSCommit', 'LMSFinish'],
        initialize: 'LMSInitialize', commit: 'LMSCommit', finish: 'LMSFinish', limit: 4096,
        status: 'cmi.core.lesson_status', score: 'cmi.core.score', exit: 'cmi.core.exit', time: 'cmi.core.session_time',
        // HHHH:MM:SS.SS, as the content writes it (the spec allows 2 to 4 digits of hours).
        timeFormat: /^\d{4}:[0-5]\d:[0-5]\d\.\d\d$/,
    },
    '2004': {
        script: 'scorm2004.js', object: 'API_1484_11', events: ['Initialize', 'SetValue.cmi.*', 'Commit', 'Terminate'],
        initialize: 'Initialize', commit: 'Commit', finish: 'Terminate', limit: 64000,
        status: 'cmi.completion_status', score: 'cmi.score', exit: 'cmi.exit', time: 'cmi.session_time',
        timeFormat: /^PT\d+H\d+M\d+\.\d\dS$/,
    },
};
const SCENARIO = 'first-meeting';
const SAVE_KEY = `attunement:${SCENARIO}:assessment`;
const launchUrl = edition => `/scorm.html?scenario=${SCENARIO}&mode=assessment&scorm=${edition}`;
const hostUrl = (launch, depth = 1) => `/fixtures/scorm-host.html?depth=${depth}&launch=${encodeURIComponent(launch)}`;

// Outside a package, www/ has no scorm.json: the launch page looks for it (the browser logs the
// 404), then takes its settings from the query string.
const NO_PACKAGE = /Failed to load resource: the server responded with a status of 404 .*\/scorm\.json/;

const best = enginePlay({ auto: 'best', mode: 'assessment' });
const worst = enginePlay({ auto: 'worst', mode: 'assessment' });

let env;
let tmp;
const packages = {};
before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'attunement-scorm-'));
    const mounts = {};
    for (const edition of Object.keys(EDITIONS)) {
        const zip = path.join(tmp, `package-${edition}.zip`);
        cli('scorm', `scenarios/${SCENARIO}.toml`, '-o', zip, '--version', edition);
        const dir = path.join(tmp, `package-${edition}`);
        const names = unzip(readFileSync(zip), dir);
        const prefix = `/package-${edition.replace('.', '')}`;
        packages[edition] = { dir, names, prefix };
        mounts[prefix] = dir;
    }
    env = await startEnv({ mounts });
});
after(async () => {
    await env?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------- the LMS side

/// Opens `urlPath` with scorm-again's API for `edition` on the top window, started from `cmi`
/// (a CMI object in scorm-again's loadFromJSON form) when given. Every call the content makes
/// is recorded in window.__lms as [event, element, value]. Console warnings are collected.
async function lmsPage(urlPath, edition, { cmi = null, api = true } = {}) {
    const e = EDITIONS[edition];
    const warnings = [];
    const p = await openPage(env, urlPath, {
        allow: [NO_PACKAGE],
        init: async page => {
            page.on('console', m => { if (m.type() === 'warning') warnings.push(m.text()); });
            if (!api) return;
            await page.addInitScript({ path: path.join(DIST, e.script) });
            await page.addInitScript(([edition, object, events, cmi]) => {
                if (window !== window.top) return;
                const api = edition === '1.2'
                    ? new window.Scorm12API({ logLevel: 5, autocommit: false })
                    : new window.Scorm2004API({ logLevel: 5, autocommit: false });
                if (cmi) api.loadFromJSON(cmi);
                window.__lms = [];
                for (const name of events) api.on(name, (key, value) => window.__lms.push([name, key ?? null, value ?? null]));
                window[object] = api;
            }, [edition, e.object, e.events, cmi]);
        },
    });
    return { ...p, warnings };
}

const calls = page => page.evaluate(() => window.__lms);

/// The values the content set, element by element, in order.
async function setValues(page, edition) {
    const set = EDITIONS[edition].events[1];
    return (await calls(page)).filter(c => c[0] === set).map(c => [c[1], c[2]]);
}

/// The last value the content set for `element`.
async function lastSet(page, edition, element) {
    const values = (await setValues(page, edition)).filter(([k]) => k === element);
    return values.length ? values[values.length - 1][1] : undefined;
}

/// The frame that shows the launch page (nested `depth` frames down).
async function contentFrame(page, match = /\/scorm\.html/) {
    return eventually(() => {
        const frame = page.frames().find(f => f !== page.mainFrame() && match.test(f.url()));
        assert.ok(frame, `a frame showing ${match} (frames: ${page.frames().map(f => f.url()).join(', ')})`);
        return frame;
    });
}

/// The learner leaves: the LMS closes the content's frame (its pagehide ends the session).
async function leave(page, edition) {
    await page.evaluate(() => document.querySelector('iframe').remove());
    await eventually(async () => {
        const names = (await calls(page)).map(c => c[0]);
        assert.equal(names.filter(n => n === EDITIONS[edition].finish).length, 1, `${EDITIONS[edition].finish} is called once when the content's frame goes away`);
    });
}

/// Checks what the content reported at the end of a play-through of `path` (best or worst).
async function expectCompleted(page, edition, path) {
    const e = EDITIONS[edition];
    // The score and the pass are the engine's (its debrief of the same play-through), not trust.
    const { raw, min, max, scaled, passed } = path.debrief.score;
    await eventually(async () => {
        assert.equal(await lastSet(page, edition, `${e.score}.raw`), String(raw), 'score.raw is the engine\'s score');
    });
    assert.equal(await lastSet(page, edition, `${e.score}.min`), String(min), 'score.min');
    assert.equal(await lastSet(page, edition, `${e.score}.max`), String(max), 'score.max');
    if (edition === '1.2') {
        assert.equal(await lastSet(page, edition, e.status), passed ? 'passed' : 'failed', 'cmi.core.lesson_status');
        assert.equal(await lastSet(page, edition, e.exit), '', 'cmi.core.exit is empty once the conversation is over');
    } else {
        assert.equal(await lastSet(page, edition, 'cmi.score.scaled'), String(Math.round(scaled * 10000) / 10000), 'cmi.score.scaled');
        assert.equal(await lastSet(page, edition, e.status), 'completed', 'cmi.completion_status');
        assert.equal(await lastSet(page, edition, 'cmi.success_status'), passed ? 'passed' : 'failed', 'cmi.success_status');
        assert.equal(await lastSet(page, edition, e.exit), 'normal', 'cmi.exit is normal once the conversation is over');
    }
    assert.match(await lastSet(page, edition, e.time) ?? '', e.timeFormat, 'session time format');
    // The result is committed: a Commit comes after the last status was set.
    const log = await calls(page);
    const lastStatus = log.findLastIndex(c => c[0] === e.events[1] && c[1] === (edition === '1.2' ? e.status : 'cmi.success_status'));
    assert.ok(log.slice(lastStatus).some(c => c[0] === e.commit), `${e.commit} after the result was set`);
    // Every suspend_data the content wrote fits the edition's limit.
    const suspends = (await setValues(page, edition)).filter(([k]) => k === 'cmi.suspend_data').map(([, v]) => v);
    assert.ok(suspends.length >= path.turns.length, 'suspend_data is written after every choice');
    for (const s of suspends) assert.ok(s.length <= e.limit, `suspend_data is ${s.length} characters, over ${e.limit}`);
}

/// The save the content keeps in the LMS, checked by the page's own engine.
async function engineViewOfSuspendData(frame, suspendData) {
    const data = JSON.parse(suspendData);
    assert.equal(data.k, SAVE_KEY, 'suspend_data names the widget\'s save key');
    return frame.evaluate(async ([save, src]) => {
        const engine = await import(new URL('pkg/attunement.js', location.href).href);
        await engine.default();
        const sim = new engine.Simulator(new Uint8Array(await (await fetch(src)).arrayBuffer()), 'scenario.attn');
        const play = sim.restore(save, 'assessment');
        const view = play.view();
        play.free();
        sim.free();
        return view;
    }, [data.s, `scenarios/${SCENARIO}.attn`]);
}

async function noLocalSave(frame) {
    const keys = await frame.evaluate(() => Object.keys(localStorage).filter(k => k.startsWith('attunement:')));
    assert.deepEqual(keys, [], 'with an LMS, the save lives in suspend_data, not in localStorage');
}

// ---------------------------------------------------------------- play to the end

for (const [edition, path_, depth] of [['1.2', best, 1], ['2004', worst, 3]]) {
    test(`SCORM ${edition}: playing to the end reports the result, score and session time, then finishes`, async () => {
        const e = EDITIONS[edition];
        const p = await lmsPage(hostUrl(launchUrl(edition), depth), edition);
        const frame = await contentFrame(p.page);
        await start(frame);
        await eventually(async () => {
            assert.equal((await calls(p.page))[0]?.[0], e.initialize, `${e.initialize} is the first call`);
        });
        await playTurns(frame, path_.turns, { via: 'click' });
        await visible(ui(frame).debrief, 'the debrief');
        await expectCompleted(p.page, edition, path_);
        const suspend = await lastSet(p.page, edition, 'cmi.suspend_data');
        const view = await engineViewOfSuspendData(frame, suspend);
        assert.equal(view.ending?.id, path_.ending.id, 'the save in suspend_data is the finished conversation');
        await noLocalSave(frame);
        await leave(p.page, edition);
        const log = await calls(p.page);
        assert.equal(log[log.length - 1][0], e.finish, `${e.finish} is the last call`);
        assert.ok(log.slice(-4).some(c => c[1] === e.time), 'the session time is set again just before the end');
        assert.deepEqual(p.warnings.filter(w => w.includes('attunement')), [], 'no warnings');
        await p.close();
    });
}

// ---------------------------------------------------------------- leave and come back

for (const edition of Object.keys(EDITIONS)) {
    test(`SCORM ${edition}: a learner who leaves mid-way resumes at the same turn in a new session`, async () => {
        const e = EDITIONS[edition];
        const first = await lmsPage(hostUrl(launchUrl(edition)), edition);
        let frame = await contentFrame(first.page);
        await start(frame);
        await playTurns(frame, best.turns.slice(0, 3), { via: 'click' });
        // An assessment shows no trust until the debrief: the choices on offer mark the place.
        const offered = await choiceTexts(frame);
        await eventually(async () => {
            assert.equal(await lastSet(first.page, edition, e.status), 'incomplete', 'in progress: incomplete');
        });
        assert.equal(await lastSet(first.page, edition, e.exit), 'suspend', 'exit is suspend while unfinished');
        await leave(first.page, edition);
        const suspendData = await lastSet(first.page, edition, 'cmi.suspend_data');
        assert.ok(suspendData.length <= e.limit);
        const attempt = JSON.parse(JSON.parse(suspendData).a).id;
        await first.close();

        // The LMS starts the next session from what the last one left: entry resume, suspend_data.
        const cmi = edition === '1.2'
            ? { suspend_data: suspendData, core: { entry: 'resume', lesson_status: 'incomplete' } }
            : { suspend_data: suspendData, entry: 'resume', completion_status: 'incomplete' };
        const second = await lmsPage(hostUrl(launchUrl(edition)), edition, { cmi });
        frame = await contentFrame(second.page);
        await visible(ui(frame).choiceButtons, 'the choices (the session should resume, not show the intro)');
        assert.equal(await ui(frame).learnerMessages.count(), 3, 'the transcript has the three responses made before leaving');
        assert.deepEqual(await choiceTexts(frame), offered, 'the same choices are offered, in the same order');
        await expectNoTrust(frame, 'after resuming an assessment');
        assert.equal(await ui(frame).startButton.count(), 0, 'no intro: the learner is back in the conversation');
        await noLocalSave(frame);

        await playTurns(frame, best.turns.slice(3), { via: 'click' });
        await expectCompleted(second.page, edition, { ...best, turns: best.turns.slice(3) });
        const finalData = JSON.parse(await lastSet(second.page, edition, 'cmi.suspend_data'));
        assert.equal(JSON.parse(finalData.a).id, attempt, 'the attempt record comes back from suspend_data');
        await second.close();
    });
}

test('a new attempt (entry ab-initio) starts afresh, and suspend_data of other content is ignored, then replaced', async () => {
    const first = await lmsPage(hostUrl(launchUrl('2004')), '2004');
    let frame = await contentFrame(first.page);
    await start(frame);
    await playTurns(frame, best.turns.slice(0, 2), { via: 'click' });
    const suspendData = await lastSet(first.page, '2004', 'cmi.suspend_data');
    await first.close();

    for (const cmi of [
        { suspend_data: suspendData, entry: 'ab-initio' },
        { suspend_data: 'page=7;quiz=done', entry: 'resume' },
    ]) {
        const p = await lmsPage(hostUrl(launchUrl('2004')), '2004', { cmi });
        frame = await contentFrame(p.page);
        await start(frame);
        assert.equal(await ui(frame).learnerMessages.count(), 0, `${JSON.stringify(cmi)}: a fresh conversation`);
        await playTurns(frame, best.turns.slice(0, 1), { via: 'click' });
        const written = JSON.parse(await lastSet(p.page, '2004', 'cmi.suspend_data'));
        assert.equal(written.k, SAVE_KEY, 'the first save replaces what was there');
        await p.close();
    }
});

test('the launch page without settings says what is missing', async () => {
    const p = await openPage(env, '/scorm.html', { allow: [/404/] });
    await eventually(async () => {
        const text = await p.page.getByRole('alert').textContent();
        assert.match(text, /could not start \(could not load scorm\.json: HTTP 404\)/);
    });
    assert.equal(await p.page.locator('attunement-sim').count(), 0);
    await p.close();
});

// ---------------------------------------------------------------- finding the API, limits

test('the API on the content\'s own window is found; with no API the widget warns once and still plays', async () => {
    const own = await lmsPage(launchUrl('1.2'), '1.2');
    await start(own.page);
    await playTurns(own.page, best.turns.slice(0, 1), { via: 'click' });
    await eventually(async () => {
        assert.equal(await lastSet(own.page, '1.2', 'cmi.core.lesson_status'), 'incomplete');
    });
    await own.close();

    const none = await lmsPage(launchUrl('1.2'), '1.2', { api: false });
    await start(none.page);
    await playTurns(none.page, best.turns.slice(0, 2), { via: 'click' });
    const warnings = none.warnings.filter(w => w.includes('attunement'));
    assert.equal(warnings.length, 1, `one warning, not ${warnings.length}: ${warnings.join(' | ')}`);
    assert.match(warnings[0], /no SCORM 1\.2 API found/);
    const saved = await none.page.evaluate(key => localStorage.getItem(key), SAVE_KEY);
    assert.match(saved ?? '', /^A\d\./, 'without an LMS the widget saves in localStorage, as on any page');
    await none.close();
});

test('the API in the opener is found (an LMS that opens the content in a new window)', async () => {
    const p = await lmsPage('/fixtures/scorm-host.html', '2004');
    const [popup] = await Promise.all([
        p.context.waitForEvent('page'),
        p.page.evaluate(url => { window.open(url, 'content'); }, launchUrl('2004')),
    ]);
    const errors = [];
    popup.on('pageerror', error => errors.push(error.message));
    popup.on('console', m => {
        const where = m.location()?.url ?? '';
        if ((m.type() === 'error' || m.type() === 'warning') && !NO_PACKAGE.test(`${m.text()} ${where}`)) errors.push(m.text());
    });
    await start(popup);
    await playTurns(popup, best.turns.slice(0, 1), { via: 'click' });
    await eventually(async () => {
        assert.equal(await lastSet(p.page, '2004', 'cmi.completion_status'), 'incomplete');
    });
    // The learner closes the window: its pagehide ends the session in the opener's API.
    await popup.goto('about:blank');
    await eventually(async () => {
        assert.ok((await calls(p.page)).some(c => c[0] === 'Terminate'), 'Terminate when the window goes');
    });
    assert.deepEqual(errors, [], 'the content window reports no problems');
    await p.close();
});

for (const edition of Object.keys(EDITIONS)) {
    test(`SCORM ${edition}: suspend_data never exceeds ${EDITIONS[edition].limit} characters; the last save that fitted stays`, async () => {
        const e = EDITIONS[edition];
        const p = await lmsPage('/fixtures/scorm-host.html', edition);
        const result = await p.page.evaluate(async ([edition, limit, key]) => {
            const m = await import('/lms/scorm.js');
            const element = document.createElement('div');
            element.setAttribute('scorm', edition);
            await m.attach(element);
            const store = element.store;
            const read = () => window[edition === '1.2' ? 'API' : 'API_1484_11'].cmi.suspend_data;
            const overhead = JSON.stringify({ v: 1, k: key, s: '' }).length;
            store.setItem(key, 'x'.repeat(limit - overhead));
            const fits = read();
            store.setItem(key, 'y'.repeat(limit - overhead + 1));
            const after = read();
            return { fits: fits.length, kept: after === fits, got: store.getItem(key)?.[0], attempt: store.getItem(`${key}:attempt`) };
        }, [edition, e.limit, SAVE_KEY]);
        assert.equal(result.fits, e.limit, 'a save of exactly the limit is written');
        assert.ok(result.kept, 'a save over the limit is not written: the previous suspend_data stays');
        assert.equal(result.got, 'x', 'the store keeps answering with the save that fitted');
        assert.equal(result.attempt, null);
        const warnings = p.warnings.filter(w => w.includes('suspend_data'));
        assert.equal(warnings.length, 1, `one warning about the limit: ${p.warnings.join(' | ')}`);
        assert.match(warnings[0], new RegExp(`more than the ${e.limit}`));
        await p.close();
    });
}

test('session time formats: SCORM 1.2 HHHH:MM:SS.SS and SCORM 2004 ISO 8601 durations', async () => {
    const p = await lmsPage('/fixtures/scorm-host.html', '1.2', { api: false });
    const out = await p.page.evaluate(async () => {
        const m = await import('/lms/scorm.js');
        return [0, 4, 3723456, 36_000_000_000].map(ms => [m.timespan12(ms), m.timespan2004(ms)]);
    });
    assert.deepEqual(out, [
        ['0000:00:00.00', 'PT0H0M0.00S'],
        ['0000:00:00.00', 'PT0H0M0.00S'],
        ['0001:02:03.46', 'PT1H2M3.46S'],
        ['9999:59:59.99', 'PT10000H0M0.00S'],
    ]);
    await p.close();
});

test('review mode: the content resumes but writes nothing', async () => {
    const first = await lmsPage(hostUrl(launchUrl('1.2')), '1.2');
    let frame = await contentFrame(first.page);
    await start(frame);
    await playTurns(frame, best.turns.slice(0, 2), { via: 'click' });
    const suspendData = await lastSet(first.page, '1.2', 'cmi.suspend_data');
    await first.close();
    const cmi = { suspend_data: suspendData, core: { entry: 'resume', lesson_mode: 'review', lesson_status: 'incomplete' } };
    const review = await lmsPage(hostUrl(launchUrl('1.2')), '1.2', { cmi });
    frame = await contentFrame(review.page);
    await visible(ui(frame).choiceButtons, 'the choices after resuming in review mode');
    assert.equal(await ui(frame).learnerMessages.count(), 2, 'the two responses made before are back');
    await playTurns(frame, best.turns.slice(2, 3), { via: 'click' });
    await leave(review.page, '1.2');
    assert.deepEqual(await setValues(review.page, '1.2'), [], 'nothing is set in review mode');
    await review.close();
});

// ---------------------------------------------------------------- the package itself

/// Extracts a zip of stored entries into `dir`, checking each entry's CRC-32 and that the
/// local headers agree with the central directory. Returns the names, in order.
function unzip(buffer, dir) {
    const end = buffer.length - 22;
    assert.equal(buffer.readUInt32LE(end), 0x06054b50, 'the zip ends with an end-of-central-directory record (no comment)');
    const count = buffer.readUInt16LE(end + 10);
    let at = buffer.readUInt32LE(end + 16);
    const names = [];
    for (let i = 0; i < count; i++) {
        assert.equal(buffer.readUInt32LE(at), 0x02014b50, `central directory record ${i}`);
        const [method, crc, size, stored] = [buffer.readUInt16LE(at + 10), buffer.readUInt32LE(at + 16), buffer.readUInt32LE(at + 24), buffer.readUInt32LE(at + 20)];
        const [nameLength, extra, comment, offset] = [buffer.readUInt16LE(at + 28), buffer.readUInt16LE(at + 30), buffer.readUInt16LE(at + 32), buffer.readUInt32LE(at + 42)];
        const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
        at += 46 + nameLength + extra + comment;
        assert.equal(method, 0, `${name} is stored`);
        assert.equal(stored, size, `${name}: stored size is its size`);
        assert.equal(buffer.readUInt32LE(offset), 0x04034b50, `${name}: local header`);
        assert.equal(buffer.readUInt32LE(offset + 14), crc, `${name}: local header CRC`);
        const start = offset + 30 + buffer.readUInt16LE(offset + 26) + buffer.readUInt16LE(offset + 28);
        const data = buffer.subarray(start, start + size);
        assert.equal(zlib.crc32(data) >>> 0, crc, `${name}: CRC-32 of the data`);
        assert.ok(!name.startsWith('/') && !name.split('/').includes('..'), `${name} stays inside the package`);
        mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        writeFileSync(path.join(dir, name), data);
        names.push(name);
    }
    return names;
}

for (const [edition, path_] of [['1.2', worst], ['2004', best]]) {
    test(`the SCORM ${edition} package built by the CLI runs under the strict CSP and reports to the LMS`, async () => {
        const pkg = packages[edition];
        const manifest = readFileSync(path.join(pkg.dir, 'imsmanifest.xml'), 'utf8');
        const href = manifest.match(/<resource [^>]*href="([^"]+)"/)?.[1];
        assert.equal(href, 'scorm.html', 'the resource is launched at scorm.html');
        const files = [...manifest.matchAll(/<file href="([^"]+)"\/>/g)].map(m => m[1]);
        assert.deepEqual([...files].sort(), pkg.names.filter(n => n !== 'imsmanifest.xml').sort(), 'the manifest lists every file of the zip');
        for (const file of files) {
            const response = await fetch(`${env.url}${pkg.prefix}/${file}`);
            assert.equal(response.status, 200, `${file} is served`);
        }

        const p = await lmsPage(hostUrl(`${pkg.prefix}/${href}`), edition);
        const frame = await contentFrame(p.page, new RegExp(`${pkg.prefix}/scorm\\.html`));
        await start(frame);
        await playTurns(frame, path_.turns, { via: 'click' });
        await expectCompleted(p.page, edition, path_);
        await leave(p.page, edition);
        await p.close();
    });
}

test('inside a package, the address cannot change the scenario or the mode', async () => {
    // The 2004 package is an assessment of first-meeting; the addresses ask for practice of it,
    // then for another scenario (which the package does not even hold) and another edition.
    const pkg = packages['2004'];
    assert.deepEqual(JSON.parse(readFileSync(path.join(pkg.dir, 'scorm.json'), 'utf8')), { scenario: SCENARIO, mode: 'assessment', scorm: '2004' });
    for (const [query, ignored] of [
        [`scenario=${SCENARIO}&mode=practice`, 'scenario, mode'],
        ['mode=practice&scenario=nobody-listens&scorm=1.2', 'scenario, mode, scorm'],
    ]) {
        const p = await lmsPage(hostUrl(`${pkg.prefix}/scorm.html?${query}`), '2004');
        const frame = await contentFrame(p.page, new RegExp(`${pkg.prefix}/scorm\\.html`));
        const w = ui(frame);
        await visible(w.widget.locator('.att-mode'), `${query}: the mode tag`);
        assert.equal((await w.widget.locator('.att-mode').textContent()).trim(), 'Assessment', `${query}: the package's mode`);
        assert.equal(await w.widget.getAttribute('mode'), 'assessment', query);
        assert.equal(await w.widget.getAttribute('src'), `scenarios/${SCENARIO}.attn`, `${query}: the package's scenario`);
        assert.equal(await w.widget.getAttribute('scorm'), '2004', `${query}: the package's edition`);
        await start(frame);
        await playTurns(frame, best.turns, { via: 'click' });
        assert.equal(await w.feedback.count(), 0, `${query}: no practice feedback`);
        assert.equal(await w.undo.count(), 0, `${query}: no undo`);
        await expectCompleted(p.page, '2004', best);
        assert.deepEqual(
            p.warnings.filter(w => w.includes('scorm.html ignores')),
            [`attunement: scorm.html ignores ${ignored} in its address: inside a SCORM package, the package's scorm.json decides them`],
            `${query}: one warning names what is ignored`,
        );
        await leave(p.page, '2004');
        await p.close();
    }
});
