// first-choice.mjs: how soon a learner on a phone can act, measured in Debian's Chromium on a
// throttled phone profile (360 × 740, touch, 4× CPU slowdown), cold (a fresh browser context,
// so an empty cache, each load), against the project's own server (scripts/server.mjs, with its
// strict CSP) on 127.0.0.1. For each entry point it prints medians, with min and max, of
//
//   ready    navigation start → the first usable button (Start, or a content note's Continue)
//   choices  ready + (the tap on it → the first usable choice): the first choice with no
//            human think time, the figure issue 10 asks to bring under 1 s
//   tap→     the tap → the first usable choice
//   wall     navigation start → the first usable choice as it happened, with the script's own
//            waiting and tap in between (an upper bound)
//
// "Usable" is checked once a frame (requestAnimationFrame), so a time is that of the first frame
// callback in which the button is on the page, connected, enabled and laid out.
//
// Each load is done twice, interleaved: "after" serves www/ as it is, "before" a copy of it in
// a temporary folder whose pages have their <link rel="modulepreload"> and <link rel="preload">
// taken out, each from a server of its own, so the ratio comes from one run on one machine.
// It also names the scripts a page loaded that no link preloaded, any resource fetched twice
// (a preload its later fetch did not use), and the browser's preload warnings.
// It asserts nothing: speed is measured by scripts that print numbers.
//
//   node scripts/first-choice.mjs [PATH...]     (after bash scripts/build-web.sh)
//
//   PATH       entry points, such as 'embed.html?scenario=first-meeting&mode=practice'
//              (default: the four below)
//   RUNS=7     loads per entry point and configuration
//   CPU=4      CPU slowdown (1: none)
//   NET=       network emulation as LATENCY_MS,DOWN_KBIT,UP_KBIT, such as 150,1600,750 (a slow
//              4G); unset: none (the loopback server)
//   WWW=DIR    serve another copy of www/ (to measure a patched copy)
//   TIMELINE=1 also print each entry point's resource timeline (from its last "after" load)
//   MARKS=1    also print the medians of the pages' own performance.mark()s, by name (marks
//              put in a patched copy, served with WWW=, time the steps between the fetches)
//   CHROMIUM_PATH=/usr/bin/chromium

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO, startServer } from './server.mjs';

// The widget's DOM, in one place (docs/widget-contract.md): the intro's first button, the
// choices, and the library's scenario cards.
const SELECTORS = {
    first: 'attunement-sim .att-intro .att-primary',
    choice: 'attunement-sim button.att-choice',
    card: '.att-library .att-card',
};

// Entry points: the player (with and without a content note), the iframe page, and the
// library (only "ready": its first card).
const ENTRIES = [
    { path: 'index.html?scenario=first-meeting', ready: 'first', then: 'choice' },
    { path: 'index.html?scenario=asking-directly', ready: 'first', then: 'choice' },
    { path: 'embed.html?scenario=first-meeting&mode=practice', ready: 'first', then: 'choice' },
    { path: 'index.html', ready: 'card' },
];

const RUNS = positive('RUNS', 7);
const CPU = positive('CPU', 4);
const NET = process.env.NET ? process.env.NET.split(',').map(Number) : null;
const WWW = path.resolve(process.env.WWW || path.join(REPO, 'www'));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CONFIGS = ['before', 'after'];

if (NET && (NET.length !== 3 || NET.some(n => !Number.isFinite(n) || n < 0))) fail(`NET must be LATENCY_MS,DOWN_KBIT,UP_KBIT, such as 150,1600,750, not ${JSON.stringify(process.env.NET)}`);
if (!existsSync(path.join(WWW, 'pkg', 'attunement_bg.wasm'))) fail(`${WWW}/pkg is missing: run bash scripts/build-web.sh first`);

const entries = process.argv.length > 2
    ? process.argv.slice(2).map(p => ({ path: p.replace(/^\//, ''), ready: /scenario=/.test(p) ? 'first' : 'card', then: /scenario=/.test(p) ? 'choice' : null }))
    : ENTRIES;

// The "before" copy: www/ with the preload links taken out of its pages.
const bare = mkdtempSync(path.join(os.tmpdir(), 'first-choice-'));
cpSync(WWW, bare, { recursive: true, dereference: true });
for (const name of readdirSync(bare).filter(n => n.endsWith('.html'))) {
    const file = path.join(bare, name);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^[ \t]*<link rel="(modulepreload|preload)"[^>]*>[ \t]*\n?/gm, ''));
}
const servers = { before: await startServer({ www: bare }), after: await startServer({ www: WWW }) };
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const results = new Map(entries.map(e => [e.path, { before: [], after: [], notes: new Set(), timeline: null }]));
try {
    console.log(`first-choice: ${RUNS} cold loads per entry point and configuration; 360 × 740 touch, CPU ${CPU}× slower, ${NET ? `network ${NET[0]} ms, ${NET[1]}/${NET[2]} kbit/s` : 'no network emulation'}; serving ${path.relative(process.cwd(), WWW) || '.'} on 127.0.0.1; Chromium ${browser.version()}`);
    // Interleaved, and the order of the two configurations alternates, so that a slow patch of
    // the machine lands on both.
    for (let run = 0; run < RUNS; run++) {
        for (const entry of entries) {
            for (const config of run % 2 ? [...CONFIGS].reverse() : CONFIGS) {
                const r = await load(entry, config);
                const slot = results.get(entry.path);
                slot[config].push(r);
                for (const note of r.notes) slot.notes.add(`${config}: ${note}`);
                if (config === 'after') slot.timeline = r.timeline;
            }
        }
        process.stderr.write(`first-choice: run ${run + 1} of ${RUNS} done\n`);
    }
} finally {
    await browser.close();
    for (const s of Object.values(servers)) await s.close();
    rmSync(bare, { recursive: true, force: true });
}
report();

// One cold load of `entry` in `config`: the times in ms, and what is worth noting.
async function load(entry, config) {
    const context = await browser.newContext({
        viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    });
    const page = await context.newPage();
    const notes = [];
    page.on('console', m => {
        if (/preload/i.test(m.text()) && ['warning', 'error'].includes(m.type())) notes.push(`console ${m.type()}: ${m.text()}`);
        else if (m.type() === 'error') notes.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', e => notes.push(`uncaught: ${e.message}`));
    const requested = [];
    page.on('request', r => requested.push(r.url()));
    const cdp = await context.newCDPSession(page);
    if (CPU !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
    if (NET) {
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', {
            offline: false, latency: NET[0], downloadThroughput: (NET[1] * 1000) / 8, uploadThroughput: (NET[2] * 1000) / 8,
        });
    }
    // Watches, once a frame, for the first frame in which each selector matches a usable element
    // (piercing open shadow roots, in case the widget moves into one), and notes when a tap lands.
    await page.addInitScript(selectors => {
        const seen = (window.__firstChoice = {});
        const find = (root, sel) => {
            for (const el of root.querySelectorAll(sel)) if (usable(el)) return el;
            for (const host of root.querySelectorAll('*')) if (host.shadowRoot) { const el = find(host.shadowRoot, sel); if (el) return el; }
            return null;
        };
        const usable = el => el.isConnected && !el.disabled && !el.closest('[inert], [hidden]') && el.getClientRects().length > 0;
        // performance.now(), not the frame's timestamp: that is when the frame was due, which
        // a long task (the engine loading the scenario) can leave far behind.
        const watch = () => {
            const now = performance.now();
            for (const [name, sel] of Object.entries(selectors)) if (seen[name] === undefined && (name !== 'choice' || seen.tap !== undefined) && find(document, sel)) seen[name] = now;
            requestAnimationFrame(watch);
        };
        requestAnimationFrame(watch);
        addEventListener('click', e => { seen.tap ??= e.timeStamp; }, true);
    }, SELECTORS);
    const started = Date.now();
    const origin = servers[config].url;
    await page.goto(`${origin}/${entry.path}`, { waitUntil: 'commit' });
    const r = { notes, ready: null, tap: null, wall: null };
    try {
        await page.waitForFunction(name => window.__firstChoice?.[name] !== undefined, entry.ready, { timeout: 60_000, polling: 50 });
        if (entry.then) {
            await page.locator(SELECTORS[entry.ready]).first().tap();
            await page.waitForFunction(() => window.__firstChoice?.choice !== undefined, null, { timeout: 60_000, polling: 50 });
        }
        const seen = await page.evaluate(() => window.__firstChoice);
        r.ready = seen[entry.ready];
        if (entry.then) {
            r.tap = seen.choice - seen.tap;
            r.choices = r.ready + r.tap;
            r.wall = seen.choice;
        }
    } catch (e) {
        notes.push(`no ${entry.ready}${entry.then ? ' or choice' : ''} within 60 s: ${e.message.split('\n')[0]}`);
    }
    // What the page loaded, against what its links preloaded.
    const { preloaded, resources, marks } = await page.evaluate(() => ({
        marks: performance.getEntriesByType('mark').map(m => [m.name, m.startTime]),
        // The page's own <script src> counts: the parser finds it as early as a link.
        preloaded: [...document.querySelectorAll('link[rel=modulepreload], link[rel=preload], script[src]')].map(l => l.href ?? l.src),
        resources: performance.getEntriesByType('resource').map(e => ({
            name: e.name, type: e.initiatorType, start: e.startTime, end: e.responseEnd,
        })),
    })).catch(() => ({ preloaded: [], resources: [], marks: [] }));
    r.marks = marks;
    if (config === 'after') {
        const doc = new URL(entry.path, origin + '/').pathname;
        for (const url of new Set(requested)) {
            const u = new URL(url);
            if (u.origin !== origin || u.pathname === doc) continue;
            if (/\.(js|wasm)$/.test(u.pathname) && !preloaded.includes(url)) notes.push(`not preloaded: ${u.pathname}`);
        }
    }
    const counts = {};
    for (const url of requested) counts[url] = (counts[url] || 0) + 1;
    for (const [url, n] of Object.entries(counts)) if (n > 1) notes.push(`fetched ${n} times: ${new URL(url).pathname}`);
    r.timeline = resources;
    r.elapsed = Date.now() - started;
    await context.close();
    return r;
}

function report() {
    const fmt = ms => (ms == null ? '-' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
    const stat = (rows, key) => {
        const v = rows.map(r => r[key]).filter(x => x != null).sort((a, b) => a - b);
        if (!v.length) return { median: null, text: '-' };
        const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return { median, text: `${fmt(median)} (${fmt(v[0])}–${fmt(v[v.length - 1])})` };
    };
    const cols = [['ready', 'ready'], ['choices', 'choices'], ['tap', 'tap→'], ['wall', 'wall']];
    const widths = [48, 8, 22, 22, 22, 22];
    const line = cells => console.log(cells.map((c, i) => String(c).padEnd(widths[i])).join(' ').trimEnd());
    console.log();
    line(['entry point', 'config', ...cols.map(([, label]) => `${label}: median (min–max)`)]);
    for (const [entry, slot] of results) {
        const medians = {};
        for (const config of CONFIGS) {
            const rows = slot[config];
            const stats = cols.map(([key]) => stat(rows, key));
            medians[config] = Object.fromEntries(cols.map(([key], i) => [key, stats[i].median]));
            line([config === 'before' ? entry : '', config, ...stats.map(s => s.text)]);
        }
        const ratio = key => (medians.before[key] && medians.after[key] != null ? `${(medians.after[key] / medians.before[key]).toFixed(2)}×` : '-');
        line(['', 'ratio', ...cols.map(([key]) => ratio(key))]);
    }
    const notes = [...results].flatMap(([entry, slot]) => [...slot.notes].map(n => `  ${entry}: ${n}`));
    console.log();
    console.log(notes.length ? `noted:\n${[...new Set(notes)].join('\n')}` : 'noted: nothing (every script the pages loaded was preloaded, nothing was fetched twice, no preload warnings)');
    if (process.env.MARKS) {
        for (const [entry, slot] of results) {
            for (const config of CONFIGS) {
                const names = [...new Set(slot[config].flatMap(r => r.marks.map(([name]) => name)))];
                if (!names.length) continue;
                console.log(`\nmarks of ${entry} (${config}; median ms from navigation start, of the loads that have it):`);
                const at = name => slot[config].map(r => ({ t: r.marks.find(([n]) => n === name)?.[1] }));
                for (const name of names.sort((a, b) => stat(at(a), 't').median - stat(at(b), 't').median)) console.log(`  ${stat(at(name), 't').text.padEnd(28)} ${name}`);
            }
        }
    }
    if (process.env.TIMELINE) {
        for (const [entry, slot] of results) {
            console.log(`\ntimeline of ${entry} (after, last load; ms from navigation start):`);
            for (const e of slot.timeline || []) {
                console.log(`  ${fmt(e.start).padStart(8)} → ${fmt(e.end).padStart(8)}  ${e.type.padEnd(14)} ${new URL(e.name).pathname}`);
            }
        }
    }
}

function positive(name, fallback) {
    if (process.env[name] == null || process.env[name] === '') return fallback;
    const n = Number(process.env[name]);
    if (!Number.isFinite(n) || n < 1) fail(`${name} must be a number of at least 1, not ${JSON.stringify(process.env[name])}`);
    return n;
}

function fail(text) {
    console.error(`first-choice: ${text}`);
    process.exit(2);
}
