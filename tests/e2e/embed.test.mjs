// Embedding: the iframe embed (embed.html) on a course page of another origin, the host helper
// (www/embed-host.js), the one-line embed (module script + element), the query parameters that
// reach the element and those that do not, the site's "embed" settings that decide who hears
// from the iframe (the site configuration, attunement.config.json, is a temporary file here,
// which the server reads afresh on every request), and the snippets of docs/embedding.md, run as
// they are written there.
//
// Three origins: the usual test server is the widget's host (www/ at http://127.0.0.1:W); a
// small server started here is the course site (http://127.0.0.1:C), whose pages allow frames,
// scripts and fetches from the widget's host in their CSP, as docs/embedding.md tells hosts;
// a second such server (http://127.0.0.1:S) plays a stranger, or a second course site where the
// site's settings name it. A page of the widget's own origin (own.html) is served too. Host
// pages load fixtures/embed-recorder.js, which keeps every message and attunement-* DOM event
// they see.
//
// "Nothing arrived" is shown without a timeout: test code inside the embed frame posts a marker
// to the parent after the widget's own listeners have run (for a hello, a later listener on the
// same event; for the height, after four animation frames, past the widget's ResizeObserver
// and its requestAnimationFrame). One sender and one receiver keep their order, so a message the
// widget had posted would be in the parent's list before the marker.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { MIME } from './server.mjs';
import {
    startEnv, openPage, ui, enginePlay, start, choose, playTurns, visible, eventually, expectTitle, tryAgain,
    FIXTURES, REPO, STORAGE_KEY,
} from './helpers.mjs';

const best = enginePlay({ auto: 'best', seed: 1 });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HELLO = { source: 'attunement-host', type: 'hello' };

// The public message schema, version 1 (docs/embedding.md). Event messages carry the element's
// event detail minus `save`; the DOM events carry it with `save` and without `source`.
const COMMON = ['attempt', 'mode', 'scenario', 'started', 'type', 'version'];
const FIELDS = {
    start: [],
    resume: ['notice', 'turn'],
    choice: ['acute', 'choice', 'ended', 'kind', 'node', 'skill', 'trust_after', 'trust_before', 'turn', 'warning_signs'],
    complete: ['ending', 'passed', 'score', 'trust', 'turns'],
    skip: [],
};

let env, course, stranger, courseEnv, configDir, configFile, ownFile;
/// The widget site's attunement.config.json: an object as JSON, a string as it is.
const siteConfig = value => writeFileSync(configFile, typeof value === 'string' ? value : JSON.stringify(value));
/// A site configuration with only its "embed" settings.
const embedConfig = embed => siteConfig({ embed });
before(async () => {
    configDir = mkdtempSync(path.join(os.tmpdir(), 'attunement-embed-'));
    configFile = path.join(configDir, 'attunement.config.json');
    ownFile = path.join(configDir, 'own.html');
    siteConfig({});
    env = await startEnv({ files: { '/attunement.config.json': configFile, '/own.html': ownFile } });
    const csp = () =>
        "default-src 'self'; " +
        `script-src 'self' ${env.url} 'wasm-unsafe-eval'; style-src 'self' ${env.url}; ` +
        `connect-src 'self' ${env.url}; frame-src 'self' ${env.url} ${stranger.url}`;
    course = await startHost(csp);
    stranger = await startHost(csp);
    courseEnv = { ...env, url: course.url };
    const neighbour = page({ title: 'Another frame', body: '<p>Another frame on the course page.</p>', recorder: false });
    course.pages.set('/neighbour.html', neighbour);
    stranger.pages.set('/neighbour.html', neighbour);
});
after(async () => {
    await course?.close();
    await stranger?.close();
    await env?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- the iframe embed

test('embed.html on another origin: embed-host.js sizes the iframe to fit, and start, choice, resume and complete arrive as messages', async () => {
    embedConfig({ parentOrigins: [course.url] });
    const src = `${env.url}/embed.html?scenario=first-meeting&mode=practice&seed=1`;
    course.pages.set('/course.html', page({ head: script(`${env.url}/embed-host.js`), body: iframe('sim', src) }));
    const p = await openPage(courseEnv, '/course.html');
    const { page: host } = p;
    let frame = await frameOf(host, 'sim');
    await visible(ui(frame).startButton.or(ui(frame).continueButton), 'the intro inside the iframe');
    const intro = await expectFits(host, frame, 'the intro');

    await start(frame);
    const [started] = await messages(host, 'start', 1);
    expectMessage(started, 'start');
    await playTurns(frame, best.turns.slice(0, 4), { via: 'click' });
    const firstChoices = await messages(host, 'choice', 4);
    firstChoices.forEach((m, i) => expectChoice(m, best.turns[i], started));
    await expectFits(host, frame, 'after four turns');

    // The learner leaves the course page and comes back: the same attempt resumes.
    await host.reload();
    frame = await frameOf(host, 'sim');
    const [resumed] = await messages(host, 'resume', 1);
    expectMessage(resumed, 'resume');
    assert.equal(resumed.attempt, started.attempt, 'the resume message names the attempt that started');
    assert.equal(resumed.started, started.started, 'the resume message keeps the attempt\'s start time');
    assert.equal(resumed.turn, 4, 'the resume message gives the number of responses so far');
    assert.equal(resumed.notice, null, 'an unchanged scenario resumes without a notice');
    await visible(ui(frame).choiceButtons, 'the choices after the reload');
    await expectFits(host, frame, 'after the reload');

    await playTurns(frame, best.turns.slice(4), { via: 'click' });
    const laterChoices = await messages(host, 'choice', best.turns.length - 4);
    laterChoices.forEach((m, i) => expectChoice(m, best.turns[i + 4], started));
    const [complete] = await messages(host, 'complete', 1);
    expectMessage(complete, 'complete');
    assert.equal(complete.attempt, started.attempt, 'the complete message names the attempt');
    assert.deepEqual(complete.ending, best.ending, 'the complete message gives the engine\'s ending (id, outcome, title)');
    assert.equal(complete.trust, best.trust, 'the complete message gives the final trust');
    assert.equal(complete.turns, best.turns.length, 'the complete message counts the turns');
    const { raw, min, max, scaled, passed } = best.debrief.score;
    assert.equal(complete.passed, passed, 'the complete message gives the engine\'s pass');
    assert.deepEqual(complete.score, { raw, min, max, scaled }, 'the complete message gives the engine\'s score, not final trust');
    const debrief = await expectFits(host, frame, 'the debrief');
    assert.ok(debrief > intro, `the frame grew with the debrief (${intro} px at the intro, ${debrief} px now)`);

    // The helper passes each message on as a DOM event on its iframe, with the message as detail.
    const got = (await received(host)).map(r => r.data).filter(d => d.source === 'attunement');
    const events = await host.evaluate(() => window.events);
    assert.deepEqual(
        events.map(e => `${e.type} on ${e.target}`),
        got.map(d => `attunement-${d.type} on sim`),
        'embed-host.js dispatches one attunement-<type> event on the iframe for each message, in order',
    );
    assert.deepEqual(events.map(e => e.detail), got, 'each event\'s detail is its message');

    // Restart makes the content shorter: the frame shrinks with it.
    await tryAgain(frame);
    const [again] = await messages(host, 'start', 1);
    expectMessage(again, 'start');
    assert.notEqual(again.attempt, started.attempt, 'Restart begins a new attempt');
    const restarted = await expectFits(host, frame, 'after Restart');
    assert.ok(restarted < debrief, `the frame shrank after Restart (${debrief} px with the debrief, ${restarted} px now)`);
    await p.close();
});

test('an auto-height iframe on a phone: after Continue, each turn and Try again, the course page scrolls to the peer\'s line and the next choices', async () => {
    embedConfig({ parentOrigins: [course.url] });
    const src = `${env.url}/embed.html?scenario=first-meeting&mode=practice&seed=1`;
    // A course page with a long introduction above the activity, as course pages have.
    const intro = Array.from({ length: 12 }, (_, i) => `<p>Reading for week 3, paragraph ${i + 1}: what active listening asks of a peer supporter, before the practice below.</p>`).join('\n');
    course.pages.set('/phone.html', page({ head: script(`${env.url}/embed-host.js`), body: `${intro}\n${iframe('sim', src)}` }));
    // (isMobile would lay this page, which has no viewport meta, out 980 px wide.)
    const p = await openPage(courseEnv, '/phone.html', { viewport: { width: 360, height: 740 }, reducedMotion: 'reduce', device: { hasTouch: true } });
    const { page: host } = p;
    const frame = await frameOf(host, 'sim');
    await visible(ui(frame).continueButton.or(ui(frame).startButton), 'the intro inside the iframe');
    await host.locator('iframe#sim').scrollIntoViewIfNeeded();
    // Where the frame's first choice (or the debrief's three lines) is on the course page's screen.
    const onScreen = async (when, selector = '.att-choices button') => eventually(async () => {
        const inner = await frame.evaluate(sel => {
            const r = document.querySelector(`attunement-sim ${sel}`)?.getBoundingClientRect();
            return r && { top: r.top, bottom: r.bottom };
        }, selector);
        assert.ok(inner, `${when}: ${selector} is in the frame`);
        const at = await host.evaluate(({ top, bottom }) => {
            const f = document.getElementById('sim').getBoundingClientRect();
            return { top: f.top + top, bottom: f.top + bottom, height: innerHeight, scrolled: scrollY };
        }, inner);
        assert.ok(at.top >= 0 && at.bottom <= at.height, `${when}: ${selector} is on the course page's screen: ${JSON.stringify(at)}`);
        return at;
    });
    await start(frame);
    await messages(host, 'scroll', 1);
    const first = await onScreen('after Continue');
    let last = first;
    for (const [i, turn] of best.turns.slice(0, 5).entries()) {
        await playTurns(frame, [turn], { via: 'click' });
        await messages(host, 'scroll', i + 2);
        last = await onScreen(`after turn ${i + 1}`);
    }
    const [scroll] = (await received(host)).map(r => r.data).filter(d => d.type === 'scroll').slice(-1);
    assert.deepEqual(Object.keys(scroll).sort(), ['bottom', 'source', 'top', 'type', 'version'], 'the scroll message\'s fields');
    assert.equal(scroll.version, 1, 'the scroll message is versioned');
    assert.ok(last.scrolled > first.scrolled + 300, `the course page followed the conversation down (from ${first.scrolled} to ${last.scrolled} px)`);
    await p.close();
});

test('a message carries the save only when the site\'s embed.includeSave is true', async () => {
    for (const withSave of [false, true]) {
        embedConfig({ parentOrigins: [course.url], includeSave: withSave });
        const src = `${env.url}/embed.html?scenario=first-meeting&mode=practice&seed=1`;
        course.pages.set('/save.html', page({ body: iframe('sim', src) }));
        const p = await openPage(courseEnv, '/save.html');
        const frame = await frameOf(p.page, 'sim');
        await start(frame);
        await choose(frame, best.turns[0].text, 'click');
        const [choice] = await messages(p.page, 'choice', 1);
        const saved = await frame.evaluate(key => localStorage.getItem(key), STORAGE_KEY);
        assert.ok(saved, 'the widget saved its progress');
        if (withSave) {
            assert.equal(choice.save, saved, 'with includeSave, the choice message carries the save string');
        } else {
            assert.ok(!('save' in choice), 'without includeSave, the choice message has no save field');
            expectMessage(choice, 'choice');
        }
        await p.close();
    }
});

for (const [name, embed, reaches] of [
    ['without embed.parentOrigins', () => ({}), false],
    ['with embed.parentOrigins that are not the parent\'s', () => ({ parentOrigins: [stranger.url] }), false],
    ['with the parent\'s origin among embed.parentOrigins', () => ({ parentOrigins: [stranger.url, `${course.url}/`] }), true],
]) {
    test(`${name}, ${reaches ? 'messages reach the parent, and its hello is answered' : 'no message reaches the parent, and its hello is ignored'}`, async () => {
        embedConfig(embed());
        const src = `${env.url}/embed.html?scenario=first-meeting&mode=practice&seed=1`;
        course.pages.set('/origin.html', page({ head: script(`${env.url}/embed-host.js`), body: iframe('sim', src) }));
        const p = await openPage(courseEnv, '/origin.html');
        const { page: host } = p;
        const frame = await frameOf(host, 'sim');
        await reportHellos(frame);
        await start(frame);
        await choose(frame, best.turns[0].text, 'click');
        await mark(host, frame, 'played');
        await host.evaluate(([origin, hello]) => document.getElementById('sim').contentWindow.postMessage(hello, origin), [env.url, HELLO]);
        await heard(host, 'parent');
        const got = (await received(host)).map(r => summary(r.data));
        if (reaches) {
            const played = got.indexOf('marker played');
            assert.ok(played > 0, `messages arrived before the marker: ${got.join(', ')}`);
            for (const type of ['height', 'start', 'choice']) {
                assert.ok(got.slice(0, played).includes(type), `a ${type} message arrived: ${got.join(', ')}`);
            }
            assert.deepEqual(got.slice(played), ['marker played', 'height', `heard hello from ${course.url} (parent)`], 'the parent\'s hello is answered with the height');
        } else {
            assert.deepEqual(got, ['marker played', `heard hello from ${course.url} (parent)`], 'nothing from the widget reaches the parent');
            assert.deepEqual(await host.evaluate(() => window.events), [], 'embed-host.js had nothing to pass on');
        }
        await p.close();
    });
}

test('a hello from another frame is ignored, whatever its origin; the parent\'s is answered', async () => {
    embedConfig({ parentOrigins: [course.url] });
    const src = `${env.url}/embed.html?scenario=first-meeting&mode=practice`;
    course.pages.set('/strangers.html', page({
        body: iframe('sim', src) +
            `<iframe id="neighbour" title="Neighbour" src="${course.url}/neighbour.html"></iframe>` +
            `<iframe id="stranger" title="Stranger" src="${stranger.url}/neighbour.html"></iframe>`,
    }));
    const p = await openPage(courseEnv, '/strangers.html');
    const { page: host } = p;
    const frame = await frameOf(host, 'sim');
    await visible(ui(frame).startButton.or(ui(frame).continueButton), 'the intro inside the iframe');
    await reportHellos(frame);
    await mark(host, frame, 'settled');
    for (const [id, origin] of [['neighbour', course.url], ['stranger', stranger.url]]) {
        const other = await (await host.locator(`iframe#${id}`).elementHandle()).contentFrame();
        assert.equal(new URL(other.url()).origin, origin, `iframe#${id} is on ${origin}`);
        // parent.frames[0] is the embed: the first iframe of the course page.
        await other.evaluate(hello => parent.frames[0].postMessage(hello, '*'), HELLO);
        await heard(host, 'other', origin);
    }
    await host.evaluate(([origin, hello]) => document.getElementById('sim').contentWindow.postMessage(hello, origin), [env.url, HELLO]);
    await heard(host, 'parent');
    const got = (await received(host)).map(r => summary(r.data));
    assert.deepEqual(got.slice(got.indexOf('marker settled')), [
        'marker settled',
        `heard hello from ${course.url} (other)`,
        `heard hello from ${stranger.url} (other)`,
        'height',
        `heard hello from ${course.url} (parent)`,
    ], 'only the parent\'s hello, at an allowed origin, is answered');
    await p.close();
});

test('embed-host.js added after the iframe has loaded greets it, and sizes it from the answer', async () => {
    embedConfig({ parentOrigins: [course.url] });
    const src = `${env.url}/embed.html?scenario=first-meeting&mode=practice`;
    course.pages.set('/late.html', page({ body: iframe('sim', src) }));
    const p = await openPage(courseEnv, '/late.html');
    const { page: host } = p;
    const frame = await frameOf(host, 'sim');
    await visible(ui(frame).startButton.or(ui(frame).continueButton), 'the intro inside the iframe');
    await mark(host, frame, 'settled');
    const before = (await received(host)).map(r => summary(r.data));
    assert.deepEqual(before.slice(before.indexOf('marker settled')), ['marker settled'], 'the iframe is quiet before the helper comes');
    await host.evaluate(src => document.head.append(Object.assign(document.createElement('script'), { src })), `${env.url}/embed-host.js`);
    await expectFits(host, frame, 'once the helper has said hello');
    const after = (await received(host)).map(r => summary(r.data));
    assert.deepEqual(after.slice(after.indexOf('marker settled')).slice(0, 2), ['marker settled', 'height'], 'the hello was answered with the height');
    await p.close();
});

test('with the site\'s embed.ltiResize, each height also goes to the parent as Canvas\'s lti.frameResize message', async () => {
    embedConfig({ parentOrigins: [course.url], ltiResize: true });
    const src = `${env.url}/embed.html?scenario=first-meeting&mode=practice`;
    course.pages.set('/canvas.html', page({ body: iframe('sim', src) }));
    const p = await openPage(courseEnv, '/canvas.html');
    const frame = await frameOf(p.page, 'sim');
    await start(frame);
    await mark(p.page, frame, 'started');
    const got = (await received(p.page)).map(r => r.data);
    const heights = got.filter(d => d?.source === 'attunement' && d.type === 'height');
    assert.ok(heights.length >= 1, 'the parent has height messages');
    assert.deepEqual(
        got.filter(d => d?.subject === 'lti.frameResize'),
        heights.map(d => ({ subject: 'lti.frameResize', height: d.height })),
        'one lti.frameResize message per height message, with the same height',
    );
    await p.close();
});

// ---------------------------------------------------------------- the site decides, not the address

// A site that frames embed.html writes the iframe's address itself, so the address cannot say
// who may hear from it. The learner has practised on the trainer's site before, so the widget's
// origin holds a save; the framing page names itself in the address and asks for the save.
for (const allowed of [false, true]) {
    const title = allowed
        ? 'with the framing site in the site\'s embed.parentOrigins and embed.includeSave, it hears the resume and the choice, with the save'
        : 'a site that frames embed.html with parent-origin=<itself>&include-save in the address hears nothing, and gets no save';
    test(title, async () => {
        embedConfig(allowed ? { parentOrigins: [stranger.url], includeSave: true } : {});
        const src = `${env.url}/embed.html?scenario=first-meeting&mode=practice&seed=1&parent-origin=${stranger.url}&include-save`;
        stranger.pages.set('/framing.html', page({ head: script(`${env.url}/embed-host.js`), body: iframe('sim', src) }));
        const warnings = [];
        const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice&seed=1', {
            init: page => page.on('console', m => m.type() === 'warning' && warnings.push(m.text())),
        });
        const { page: host } = p;
        await start(host);
        await choose(host, best.turns[0].text, 'click');
        const before = await host.evaluate(key => localStorage.getItem(key), STORAGE_KEY);
        assert.ok(before, 'the learner\'s first response is saved on the widget\'s origin');

        await host.goto(`${stranger.url}/framing.html`);
        const frame = await frameOf(host, 'sim');
        await eventually(async () => assert.equal(await ui(frame).learnerMessages.count(), 1, 'the iframe restored the learner\'s saved response'));
        await reportHellos(frame);
        await choose(frame, best.turns[1].text, 'click');
        const saved = await frame.evaluate(key => localStorage.getItem(key), STORAGE_KEY);
        assert.ok(saved && saved !== before, 'the widget saved the second response');
        await host.evaluate(([origin, hello]) => document.getElementById('sim').contentWindow.postMessage(hello, origin), [env.url, HELLO]);
        await heard(host, 'parent');
        await mark(host, frame, 'played');
        const got = await received(host);
        if (allowed) {
            const [resumed] = await messages(host, 'resume', 1);
            expectMessage(resumed, 'resume');
            assert.equal(resumed.turn, 1, 'the resume message counts the restored response');
            const [choice] = await messages(host, 'choice', 1);
            assert.equal(choice.save, saved, 'the choice message carries the save string');
            assert.equal(choice.turn, 2, 'the choice message is the second response');
            assert.ok(got.some(r => r.data?.type === 'height'), 'height messages arrive');
            assert.deepEqual((await host.evaluate(() => window.events)).map(e => e.type).filter(t => t !== 'attunement-height' && t !== 'attunement-scroll'),
                ['attunement-resume', 'attunement-choice'], 'embed-host.js passes the events on');
        } else {
            assert.deepEqual(got.map(r => summary(r.data)), [`heard hello from ${stranger.url} (parent)`, 'marker played'], 'nothing from the widget reaches the framing page: no height, no event');
            assert.doesNotMatch(JSON.stringify(got), /A\d+\.first-meeting\./, 'no save string reaches the framing page');
            assert.deepEqual(await host.evaluate(() => window.events), [], 'embed-host.js had nothing to pass on');
        }
        assert.ok(
            warnings.some(w => w.startsWith('attunement: embed.html ignores parent-origin, include-save in its address:') && w.includes('attunement.config.json under "embed"')),
            `a console warning says the address's parent-origin and include-save are ignored, and where they are set; warnings: ${JSON.stringify(warnings)}`,
        );
        await p.close();
    });
}

test('no-save and lti-resize in the address are ignored, with a console warning; the site\'s embed.save and embed.ltiResize apply', async () => {
    for (const fromSite of [false, true]) {
        embedConfig(fromSite ? { parentOrigins: [course.url], save: false, ltiResize: true } : { parentOrigins: [course.url] });
        const src = `${env.url}/embed.html?scenario=first-meeting&mode=practice&seed=1${fromSite ? '' : '&no-save&lti-resize'}`;
        course.pages.set('/flags.html', page({ body: iframe('sim', src) }));
        const warnings = [];
        const p = await openPage(courseEnv, '/flags.html', {
            init: page => page.on('console', m => m.type() === 'warning' && warnings.push(m.text())),
        });
        const frame = await frameOf(p.page, 'sim');
        await start(frame);
        await choose(frame, best.turns[0].text, 'click');
        await messages(p.page, 'choice', 1);
        await mark(p.page, frame, 'played');
        const when = fromSite ? 'with embed.save false and embed.ltiResize true' : 'with no-save and lti-resize in the address';
        const saved = await frame.evaluate(key => localStorage.getItem(key), STORAGE_KEY);
        const noSave = await frame.evaluate(() => document.querySelector('attunement-sim').hasAttribute('no-save'));
        const got = (await received(p.page)).map(r => r.data);
        const heights = got.filter(d => d?.source === 'attunement' && d.type === 'height');
        const lti = got.filter(d => d?.subject === 'lti.frameResize');
        assert.ok(heights.length >= 1, `${when}: the parent has height messages`);
        if (fromSite) {
            assert.equal(noSave, true, `${when}: the element has no-save`);
            assert.equal(saved, null, `${when}: nothing is saved in localStorage`);
            assert.deepEqual(lti, heights.map(d => ({ subject: 'lti.frameResize', height: d.height })), `${when}: one lti.frameResize message per height`);
            assert.deepEqual(warnings.filter(w => w.includes('ignores')), [], `${when}: no warning about the address`);
        } else {
            assert.equal(noSave, false, `${when}: the element has no no-save`);
            assert.match(saved ?? '', /^A\d+\.first-meeting\./, `${when}: the response is saved in localStorage`);
            assert.deepEqual(lti, [], `${when}: no lti.frameResize message`);
            assert.ok(
                warnings.some(w => w.startsWith('attunement: embed.html ignores no-save, lti-resize in its address:') && w.includes('attunement.config.json under "embed"')),
                `${when}: a console warning says they are ignored and where they are set; warnings: ${JSON.stringify(warnings)}`,
            );
        }
        await p.close();
    }
});

test('malformed "embed" settings give one console warning each, and the defaults stand for what was wrong', async () => {
    // A page on the widget's own origin that frames it: the default parent origin.
    writeFileSync(ownFile, page({
        body: iframe('sim', '/embed.html?scenario=first-meeting&mode=practice&seed=1'),
        recorder: false,
        head: script('/fixtures/embed-recorder.js'),
    }).replace('href="/embed-parent.css"', 'href="/fixtures/embed-parent.css"'));
    const NOT_AN_ORIGIN = 'is not an origin \\(scheme, host and port only, such as "https://lrs\\.example\\.edu"\\)';
    const cases = [
        {
            embed: { parentOrigins: [`${course.url}/week-3`, 42], includeSave: 'yes', save: 'no', ltiResize: 1, parentOrigin: course.url },
            warning: new RegExp('^attunement: attunement\\.config\\.json has problems, which are ignored: ' +
                `"embed\\.parentOrigins" entry "${course.url}/week-3" ${NOT_AN_ORIGIN}; "embed\\.parentOrigins" entry 42 ${NOT_AN_ORIGIN}; ` +
                '"embed\\.includeSave" "yes" is not true or false; "embed\\.save" "no" is not true or false; "embed\\.ltiResize" 1 is not true or false; ' +
                'unknown key "embed\\.parentOrigin" \\(known: parentOrigins, includeSave, save, ltiResize\\)$'),
            course: false,
        },
        {
            embed: course.url,
            warning: /^attunement: attunement\.config\.json has problems, which are ignored: "embed" is not an object$/,
            course: false,
        },
        {
            embed: { parentOrigins: ['javascript:alert(1)', course.url], includeSave: 'true' },
            warning: new RegExp(`^attunement: attunement\\.config\\.json has problems, which are ignored: "embed\\.parentOrigins" entry "javascript:alert\\(1\\)" ${NOT_AN_ORIGIN}; "embed\\.includeSave" "true" is not true or false$`),
            course: true,
        },
    ];
    for (const { embed, warning, course: reachesCourse } of cases) {
        embedConfig(embed);
        course.pages.set('/malformed.html', page({ body: iframe('sim', `${env.url}/embed.html?scenario=first-meeting&mode=practice&seed=1`) }));
        const hosts = reachesCourse ? [[courseEnv, '/malformed.html', true]] : [[courseEnv, '/malformed.html', false], [env, '/own.html', true]];
        for (const [where, pagePath, reaches] of hosts) {
            const when = `${JSON.stringify(embed)}, ${pagePath}`;
            const warnings = [];
            const p = await openPage(where, pagePath, {
                init: page => page.on('console', m => m.type() === 'warning' && warnings.push(m.text())),
            });
            const frame = await frameOf(p.page, 'sim');
            await start(frame);
            await choose(frame, best.turns[0].text, 'click');
            await mark(p.page, frame, 'played');
            const got = (await received(p.page)).map(r => r.data);
            const saved = await frame.evaluate(key => localStorage.getItem(key), STORAGE_KEY);
            assert.match(saved ?? '', /^A\d+\.first-meeting\./, `${when}: progress is saved (embed.save stays true)`);
            assert.deepEqual(got.filter(d => d?.subject === 'lti.frameResize'), [], `${when}: no lti.frameResize message (embed.ltiResize stays false)`);
            if (reaches) {
                const [choice] = await messages(p.page, 'choice', 1);
                expectMessage(choice, 'choice');
                assert.ok(!('save' in choice), `${when}: the choice message has no save (embed.includeSave stays false)`);
            } else {
                assert.deepEqual(got.map(summary), ['marker played'], `${when}: nothing reaches a parent of another origin (embed.parentOrigins stays this site's own)`);
            }
            const mine = warnings.filter(w => w.includes('attunement.config.json'));
            assert.equal(mine.length, 1, `${when}: one warning about the file: ${JSON.stringify(warnings)}`);
            assert.match(mine[0], warning, `${when}: the warning names each problem`);
            await p.close();
        }
    }
});

test('a hello that comes before the site\'s settings are known is kept, and answered once they allow its origin', async () => {
    embedConfig({ parentOrigins: [course.url] });
    course.pages.set('/early.html', page({ body: iframe('sim', `${env.url}/embed.html?scenario=first-meeting&mode=practice`) }));
    let requested, release;
    const asked = new Promise(resolve => { requested = resolve; });
    const released = new Promise(resolve => { release = resolve; });
    const p = await openPage(courseEnv, '/early.html', {
        // The site's settings are held back until the test lets them through.
        init: page => page.route(`${env.url}/attunement.config.json`, async route => {
            requested();
            await released;
            await route.continue();
        }),
    });
    const { page: host } = p;
    await asked;
    const frame = await frameOf(host, 'sim');
    await reportHellos(frame);
    await host.evaluate(([origin, hello]) => document.getElementById('sim').contentWindow.postMessage(hello, origin), [env.url, HELLO]);
    await heard(host, 'parent');
    await mark(host, frame, 'early');
    assert.deepEqual((await received(host)).map(r => summary(r.data)), [`heard hello from ${course.url} (parent)`, 'marker early'],
        'nothing reaches the parent before the site\'s settings are known');
    release();
    // Once they are: the height, as the parent is now known to be allowed, and the answer to the hello.
    const heights = await eventually(async () => {
        const got = (await received(host)).map(r => r.data).filter(d => d?.source === 'attunement');
        assert.ok(got.length >= 2, `two messages from the widget (it has sent ${got.length})`);
        return got.slice(0, 2);
    });
    assert.deepEqual(heights.map(d => d.type), ['height', 'height'], 'the first two messages are heights');
    assert.equal(heights[1].height, heights[0].height, 'the second repeats the first: the answer to the early hello');
    await visible(ui(frame).startButton.or(ui(frame).continueButton), 'the intro inside the iframe');
    await p.close();
});

// ---------------------------------------------------------------- the one-line embed

test('the one-line embed on a plain page: the element plays and its DOM events fire, with the save', async () => {
    const p = await openPage(env, '/fixtures/embed-plain.html');
    const { page: plain } = p;
    await expectTitle(plain, 'First meeting');
    await start(plain);
    await playTurns(plain, best.turns, { via: 'click' });
    const events = await eventually(async () => {
        const events = await plain.evaluate(() => window.events);
        assert.equal(events.filter(e => e.type === 'attunement-complete').length, 1, 'one attunement-complete event');
        return events;
    });
    assert.deepEqual(
        events.map(e => e.type),
        ['attunement-start', ...best.turns.map(() => 'attunement-choice'), 'attunement-complete'],
        'a start event, one choice event per turn, and a complete event, in order',
    );
    for (const e of events) assert.equal(e.target, 'sim', `${e.type} is dispatched on the element (and bubbles to the document)`);
    const [started, ...rest] = events.map(e => e.detail);
    expectDetail(started, 'start');
    rest.slice(0, -1).forEach((d, i) => expectChoice(d, best.turns[i], started, { save: true }));
    const complete = rest.at(-1);
    expectDetail(complete, 'complete', { save: true });
    assert.deepEqual(complete.ending, best.ending, 'the complete event gives the ending');
    const { raw, min, max, scaled } = best.debrief.score;
    assert.deepEqual(complete.score, { raw, min, max, scaled }, 'the complete event gives the engine\'s score');
    const saved = await plain.evaluate(key => localStorage.getItem(key), STORAGE_KEY);
    assert.equal(complete.save, saved, 'the complete event\'s save is the one in localStorage');
    await p.close();
});

// ---------------------------------------------------------------- query parameters

// The stub keeps the attributes a host can set (not those the element sets on itself, such as class).
const ATTACH_STUB = `export async function attach(element) {
    const hosts = /^(src|mode|seed|help-href|help-text|no-save|scorm|xapi-.*)$/;
    window.attachedWith = Object.fromEntries([...element.attributes].filter(a => hosts.test(a.name)).map(a => [a.name, a.value]));
}`;

/// Opens embed.html with `query`, the reporter module replaced by a stub that records the
/// element's attributes at the moment the element attaches it (before it reads any save).
async function attributesAtAttach(query) {
    const p = await openPage(env, `/embed.html?${query}`, {
        init: page => page.route(`${env.url}/lms/xapi.js`, route => route.fulfill({ contentType: 'text/javascript', body: ATTACH_STUB })),
    });
    const attributes = await eventually(async () => {
        const attributes = await p.page.evaluate(() => window.attachedWith ?? null);
        assert.ok(attributes, 'the element attached its xAPI reporter');
        return attributes;
    });
    await visible(ui(p.page).startButton.or(ui(p.page).continueButton), 'the intro');
    await p.close();
    return attributes;
}

test('embed.html passes the scenario, mode and seed from its address, the site\'s help resource and embed.save, and a cmi5 launch the site allows', async () => {
    const site = {
        help: { href: 'https://help.example.org/', text: 'Call the duty line.' },
        xapi: { allowedOrigins: ['https://lrs.example.edu', 'https://lms.example.edu'] },
    };
    siteConfig({ ...site, embed: { save: false } });
    const actor = JSON.stringify({ objectType: 'Agent', account: { homePage: 'https://lms.example.edu', name: 'learner-7' } });
    const cmi5 = new URLSearchParams({
        scenario: 'first-meeting', mode: 'assessment', seed: '7', 'help-href': 'https://phish.example/', 'help-text': 'Call us instead.',
        endpoint: 'https://lrs.example.edu/xapi/', fetch: 'https://lms.example.edu/cmi5/fetch?k=1', actor,
        registration: '5b7e0f5c-6a47-4b1e-9d4e-2f0f3b1c9a10', activityId: 'https://courses.example.edu/activities/first-meeting',
    });
    assert.deepEqual(await attributesAtAttach(String(cmi5)), {
        src: 'scenarios/first-meeting.attn',
        mode: 'assessment',
        seed: '7',
        'help-href': 'https://help.example.org/',
        'help-text': 'Call the duty line.',
        'no-save': '',
        'xapi-endpoint': 'https://lrs.example.edu/xapi/',
        'xapi-fetch': 'https://lms.example.edu/cmi5/fetch?k=1',
        'xapi-actor': actor,
        'xapi-activity': 'https://courses.example.edu/activities/first-meeting',
        'xapi-registration': '5b7e0f5c-6a47-4b1e-9d4e-2f0f3b1c9a10',
    }, 'cmi5 launch parameters become xapi-* attributes; the help resource is the site\'s, not the address\'s; embed.save false is no-save');

    // xapi-* parameters in the address are not attributes of the page's author: they are ignored,
    // and so is no-save, which is the site's (embed.save, true by default).
    siteConfig(site);
    const both = new URLSearchParams({
        scenario: 'first-meeting', endpoint: 'https://lrs.example.edu/xapi/', 'xapi-endpoint': 'https://lrs.example.org/xapi/',
        'xapi-auth': 'Basic bGVhcm5lcjpzZWNyZXQxMjM=', 'xapi-actor': 'mailto:learner@example.org', 'xapi-activity': 'https://example.org/a/1',
    });
    assert.deepEqual(await attributesAtAttach(`${both}&no-save`), {
        src: 'scenarios/first-meeting.attn',
        mode: 'practice',
        'help-href': 'https://help.example.org/',
        'help-text': 'Call the duty line.',
        'xapi-endpoint': 'https://lrs.example.edu/xapi/',
    }, 'only the cmi5 endpoint, and no no-save; the mode defaults to practice');
    siteConfig({});
});

// ---------------------------------------------------------------- docs/embedding.md

const DOCS = readFileSync(path.join(REPO, 'docs', 'embedding.md'), 'utf8');

/// The code block after `<!-- tested: NAME -->` in docs/embedding.md, with its example
/// origins replaced by the test's: the widget's host and the course site.
function snippet(name) {
    const found = new RegExp(`<!-- tested: ${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(DOCS);
    assert.ok(found, `docs/embedding.md has a code block marked <!-- tested: ${name} -->`);
    return found[1]
        .replaceAll('https://widgets.example.org/attunement', env.url)
        .replaceAll('https://widgets.example.org', env.url)
        .replaceAll('https://courses.example.edu', course.url);
}

test('docs/embedding.md: the one-line embed works from another origin when the widget\'s host allows CORS', async () => {
    course.pages.set('/doc-one-line.html', page({ body: snippet('one-line') }));
    const p = await openPage(courseEnv, '/doc-one-line.html', {
        // The test server sends no CORS headers; a host serving the widget to other sites must
        // (docs/embedding.md, "The one-line embed"), so the test adds what it would send.
        init: page => page.route(`${env.url}/**`, async route => {
            const response = await route.fetch();
            await route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': '*' } });
        }),
    });
    const { page: host } = p;
    await expectTitle(host, 'First meeting');
    await start(host);
    await choose(host, best.turns[0].text, 'click');
    const events = await eventually(async () => {
        const events = await host.evaluate(() => window.events);
        assert.deepEqual(events.map(e => e.type), ['attunement-start', 'attunement-choice'], 'the element\'s events reach the course page');
        return events;
    });
    expectChoice(events[1].detail, best.turns[0], events[0].detail, { save: true });
    await host.unrouteAll({ behavior: 'ignoreErrors' });
    await p.close();
});

test('docs/embedding.md: without CORS for the module the one-line embed keeps its fallback text; without CORS for the scenario the panel says why', async () => {
    course.pages.set('/doc-no-cors.html', page({ body: snippet('one-line') }));
    const blocked = [/^console\.error: Access to script at .* has been blocked by CORS policy/, /^console\.error: Failed to load resource: net::ERR_FAILED/];
    const p = await openPage(courseEnv, '/doc-no-cors.html', { allow: blocked });
    const { page: host } = p;
    const element = host.locator('attunement-sim');
    await eventually(async () => assert.equal(await host.evaluate(() => !!customElements.get('attunement-sim')), false, 'the module never loads'));
    await eventually(async () => assert.match((await element.textContent()).trim(), /^The practice conversation appears here\./, 'the fallback text stays'));
    await p.close();

    // The module and the engine allowed, the scenario not: the widget starts and says why in plain words.
    const q = await openPage(courseEnv, '/doc-no-cors.html', {
        allow: [/^console\.error: Access to fetch at .* has been blocked by CORS policy/, /^console\.error: Failed to load resource: net::ERR_FAILED/],
        // The scenario's request goes on untouched (a fulfilled one would skip the CORS check).
        init: page => page.route(`${env.url}/**`, async route => {
            if (route.request().url().includes('/scenarios/')) return route.continue();
            const response = await route.fetch();
            await route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': '*' } });
        }),
    });
    const w = ui(q.page);
    await visible(w.alert.getByRole('heading', { name: 'The scenario could not be loaded' }), 'the panel\'s heading');
    assert.match(await w.alert.locator('p').first().textContent(), /another site, which did not allow this page to read it/, 'the learner is told why in plain words');
    assert.match(await w.alert.locator('pre').textContent(), /Access-Control-Allow-Origin/, 'whoever set up the page is told what to fix');
    // The engine may still be on its way through the route when the panel shows (the scenario
    // failed first): closing would leave that route's fetch to fail after the test.
    await q.page.unrouteAll({ behavior: 'ignoreErrors' });
    await q.close();
});

for (const helper of ['helper', 'auto-height']) {
    test(`docs/embedding.md: the iframe snippet with the ${helper} snippet, under the site configuration's example, fits the iframe to its content`, async () => {
        // The example attunement.config.json names the course site in embed.parentOrigins.
        siteConfig(snippet('config'));
        // The helper snippet is a script element; the auto-height one is script text, served as a file here
        // (a strict CSP refuses inline scripts).
        course.pages.set('/doc-auto-height.js', snippet('auto-height'));
        const head = helper === 'helper' ? snippet('helper') : script('/doc-auto-height.js');
        course.pages.set(`/doc-${helper}.html`, page({ head, body: snippet('iframe') }));
        const p = await openPage(courseEnv, `/doc-${helper}.html`);
        const frame = await frameOf(p.page, '');
        await visible(ui(frame).startButton.or(ui(frame).continueButton), 'the intro inside the iframe');
        const intro = await expectFits(p.page, frame, 'the intro', '');
        await start(frame);
        await playTurns(frame, best.turns.slice(0, 3), { via: 'click' });
        const later = await expectFits(p.page, frame, 'after three turns', '');
        assert.ok(later > intro, `the frame grew with the conversation (${intro} px, then ${later} px)`);
        await p.close();
    });
}

// ---------------------------------------------------------------- helpers

/// A static server for the course site's pages (`pages`: path → HTML or JS) and the
/// tests/e2e/fixtures/embed-* files, with the CSP `csp()` returns.
function startHost(csp) {
    const pages = new Map();
    const server = http.createServer((req, res) => {
        const { pathname } = new URL(req.url, 'http://course');
        let body = pages.get(pathname);
        const fixture = /^\/((?:embed-[\w-]+|favicon)\.(?:js|css|svg))$/.exec(pathname);
        if (body === undefined && fixture) body = readFileSync(path.join(FIXTURES, fixture[1]));
        if (body === undefined) {
            res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
            res.end('not found\n');
            return;
        }
        const type = MIME[path.extname(pathname)] ?? 'text/html; charset=utf-8';
        res.writeHead(200, { 'Content-Type': type, 'Content-Security-Policy': csp(), 'Cache-Control': 'no-store' });
        res.end(body);
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve({
            url: `http://127.0.0.1:${server.address().port}`,
            pages,
            close: () => new Promise(done => {
                server.closeAllConnections();
                server.close(() => done());
            }),
        }));
    });
}

/// A course page: a heading, `head` (scripts) and `body`, with the recorder unless told not to.
function page({ title = 'Week 3: a first meeting', head = '', body, recorder = true }) {
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/embed-parent.css">
${recorder ? script('/embed-recorder.js') : ''}
${head}
</head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

const script = src => `<script src="${src}"></script>`;
const iframe = (id, src) => `<iframe id="${id}" title="Attunement: empathy practice" src="${src.replaceAll('&', '&amp;')}"></iframe>`;

/// The embed's frame, once embed.html has loaded in iframe#id (the first iframe when id is '').
async function frameOf(host, id) {
    const element = host.locator(id ? `iframe#${id}` : 'iframe').first();
    return eventually(async () => {
        const frame = await (await element.elementHandle({ timeout: 1000 })).contentFrame();
        assert.ok(frame && new URL(frame.url()).pathname === '/embed.html', `the iframe has loaded embed.html (it shows ${frame?.url()})`);
        return frame;
    });
}

/// What the course page received from iframe#id so far.
async function received(host, id = 'sim') {
    return (await host.evaluate(() => window.received)).filter(r => r.frame === id);
}

/// Waits for `count` messages of `type` from the widget in iframe#sim, and returns them.
async function messages(host, type, count) {
    return eventually(async () => {
        const found = (await received(host)).map(r => r.data).filter(d => d?.source === 'attunement' && d.type === type);
        assert.equal(found.length, count, `the course page has ${count} "${type}" message(s) (it has ${found.length})`);
        return found;
    });
}

/// Waits until the last height message is the content's height, the iframe shows exactly that
/// much, and the embed has no vertical scroll bar. Returns the height.
async function expectFits(host, frame, when, id = 'sim') {
    return eventually(async () => {
        const heights = (await received(host, id)).filter(r => r.data?.source === 'attunement' && r.data.type === 'height');
        assert.ok(heights.length, `${when}: the course page has a height message`);
        const message = heights.at(-1).data;
        assert.deepEqual(Object.keys(message).sort(), ['height', 'source', 'type', 'version'], `${when}: the height message's fields`);
        assert.equal(message.version, 1, `${when}: the height message's version`);
        assert.ok(Number.isInteger(message.height), `${when}: the height is a whole number of pixels (${message.height})`);
        const inside = await frame.evaluate(() => ({
            content: Math.ceil(document.documentElement.getBoundingClientRect().height),
            scroll: document.documentElement.scrollHeight,
            client: document.documentElement.clientHeight,
        }));
        assert.equal(message.height, inside.content, `${when}: the last height message (${message.height}) is the content's height (${inside.content})`);
        assert.equal(inside.client, message.height, `${when}: the iframe shows ${inside.client} px of the ${message.height} px reported`);
        assert.ok(inside.scroll <= inside.client, `${when}: the embed scrolls (scrollHeight ${inside.scroll} > clientHeight ${inside.client})`);
        return message.height;
    });
}

/// Makes the embed frame tell the parent of every hello it receives, after the widget's own
/// listener has run: `{ marker: 'heard', from, sender: 'parent' | 'other' }`.
async function reportHellos(frame) {
    await frame.evaluate(() => addEventListener('message', event => {
        if (event.data?.source !== 'attunement-host') return;
        parent.postMessage({ marker: 'heard', from: event.origin, sender: event.source === parent ? 'parent' : 'other' }, '*');
    }));
}

async function heard(host, sender, from = null) {
    await eventually(async () => {
        const markers = (await received(host)).map(r => r.data).filter(d => d?.marker === 'heard' && d.sender === sender && (!from || d.from === from));
        assert.equal(markers.length, 1, `the embed heard one hello from ${from ?? 'the'} ${sender}`);
    });
}

/// Posts `{ marker: name }` from the embed frame to the parent after four animation frames,
/// and waits until the parent has it.
async function mark(host, frame, name) {
    await frame.evaluate(name => new Promise(resolve => {
        let frames = 4;
        const step = () => {
            if (--frames) return requestAnimationFrame(step);
            parent.postMessage({ marker: name }, '*');
            resolve();
        };
        requestAnimationFrame(step);
    }), name);
    await eventually(async () => {
        assert.ok((await received(host)).some(r => r.data?.marker === name), `the course page has the marker "${name}"`);
    });
}

function summary(data) {
    if (data?.marker === 'heard') return `heard hello from ${data.from} (${data.sender})`;
    if (data?.marker) return `marker ${data.marker}`;
    return data?.source === 'attunement' ? data.type : JSON.stringify(data);
}

/// Checks a message's envelope and exact fields (schema version 1).
function expectMessage(message, type) {
    assert.equal(message.source, 'attunement', `a ${type} message's source`);
    assert.deepEqual(Object.keys(message).sort(), ['source', ...COMMON, ...FIELDS[type]].sort(), `a ${type} message's fields`);
    expectCommon(message, type);
}

/// Checks a DOM event's detail: the message's fields without source, and with save where the
/// element gives one (choice, complete).
function expectDetail(detail, type, { save = false } = {}) {
    assert.deepEqual(Object.keys(detail).sort(), [...COMMON, ...FIELDS[type], ...(save ? ['save'] : [])].sort(), `an attunement-${type} event's fields`);
    if (save) assert.match(detail.save, /^A\d+\.first-meeting\./, `an attunement-${type} event's save`);
    expectCommon(detail, type);
}

function expectCommon(m, type) {
    assert.equal(m.version, 1, `a ${type} message's version`);
    assert.equal(m.type, type);
    assert.deepEqual(Object.keys(m.scenario).sort(), ['hash', 'id', 'language', 'title'], `a ${type} message's scenario fields`);
    assert.equal(m.scenario.language, 'en', `a ${type} message's scenario language`);
    assert.equal(m.scenario.id, 'first-meeting');
    assert.equal(m.scenario.title, 'First meeting');
    assert.match(m.scenario.hash, /^[0-9a-f]{16}$/, `a ${type} message's scenario hash`);
    assert.equal(m.mode, 'practice');
    assert.match(m.attempt, UUID, `a ${type} message's attempt is a UUID`);
    assert.ok(!Number.isNaN(Date.parse(m.started)) && m.started.endsWith('Z'), `a ${type} message's start time is ISO 8601 (${m.started})`);
}

/// Checks a choice message (or event detail) against the engine's turn.
function expectChoice(m, turn, started, { save = false } = {}) {
    if (save) expectDetail(m, 'choice', { save: true });
    else expectMessage(m, 'choice');
    const when = `the choice message of turn ${turn.number}`;
    assert.equal(m.attempt, started.attempt, `${when}: the attempt`);
    assert.equal(m.turn, turn.number, `${when}: the turn`);
    assert.equal(m.node, turn.node, `${when}: the node`);
    assert.deepEqual(m.choice, { id: turn.choice, text: turn.text }, `${when}: the choice`);
    assert.equal(m.skill, turn.skill, `${when}: the skill`);
    assert.equal(m.kind, turn.kind, `${when}: the kind`);
    assert.equal(m.trust_before, turn.trust_before, `${when}: trust before`);
    assert.equal(m.trust_after, turn.trust_after, `${when}: trust after`);
    assert.equal(m.ended, turn.number === best.turns.length, `${when}: ended`);
}
