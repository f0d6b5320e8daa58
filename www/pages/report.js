// report.js: the page script of report.html, the trainer's cohort report (issue 13). It builds the
// form (the record store's endpoint and credentials, the scenario, a date range, an optional
// group), reads the store's statements page by page through the trainer's engine
// (pkg-report/: `CohortReport`, see docs/report.md), and draws what the engine's report says:
// each chart an SVG with a table of the same numbers beside it, the sticking points, distress
// and safety, one row per attempt and each attempt's path. The numbers are all the engine's; this
// only words and draws them.
//
// Invariants: nothing is taken from the page's address; the endpoint and the credentials are
// what the trainer types, or what they asked this browser to remember (sessionStorage for the
// tab, localStorage only with "Remember on this device"); requests go to the store's origin only
// (a `more` link elsewhere stops the reading); statement text reaches the page as text, never as
// markup; no style attribute is set (the CSP's style-src 'self'), so every look is a class.
import { h, s, cap, reduced } from '../widget/dom.js';
import { LEVELS, OUTCOMES } from '../widget/debrief.js';

const main = document.getElementById('main');
const ACTIVITY_BASE = 'https://attunement.invalid/scenarios/';
const STORE_KEY = 'attunement-report:store';

// LEVELS and OUTCOMES are the debrief's words (www/widget/debrief.js), so a trainer reads what the learner read.
const OUTCOME_ORDER = ['breakthrough', 'connected', 'referred', 'unresolved', 'disengaged'];
const STATUS = { passed: 'Passed', failed: 'Failed', completed: 'Completed', abandoned: 'Abandoned' };
const KINDS = { skill: 'Skill', neutral: 'Neutral', roadblock: 'Roadblock' };
const SAFETY = { asked: 'Asked', missed: 'Not asked' };

const num = new Intl.NumberFormat('en');
const fmt = n => (n == null ? '–' : num.format(n));
const plural = (n, one, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;
const pct = x => (x == null ? '–' : `${Math.round(x * 100)}%`);
const dateTime = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
const unit = u => new Intl.NumberFormat('en', { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 });
const UNITS = { hour: unit('hour'), minute: unit('minute'), second: unit('second') };

/// "6 min 12 sec", "1 hr 2 min", "45 sec"; "–" when unknown.
function duration(seconds) {
    if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '–';
    const total = Math.round(seconds);
    const hr = Math.floor(total / 3600), min = Math.floor((total % 3600) / 60), sec = total % 60;
    if (hr) return [UNITS.hour.format(hr), min && UNITS.minute.format(min)].filter(Boolean).join(' ');
    if (min) return [UNITS.minute.format(min), sec && UNITS.second.format(sec)].filter(Boolean).join(' ');
    return UNITS.second.format(sec);
}

const when = iso => {
    const d = iso ? new Date(iso) : null;
    return d && !Number.isNaN(d.getTime()) ? dateTime.format(d) : '–';
};

// ---------------------------------------------------------------- remembered values

const storages = () => {
    const get = name => { try { return window[name]; } catch { return null; } };
    return { session: get('sessionStorage'), local: get('localStorage') };
};

/// The remembered endpoint and credentials, and where they came from ('local', 'session' or null).
function recall() {
    const { session, local } = storages();
    for (const [where, store] of [['local', local], ['session', session]]) {
        try {
            const v = JSON.parse(store?.getItem(STORE_KEY) ?? 'null');
            if (v && typeof v === 'object') return { where, endpoint: String(v.endpoint ?? ''), user: String(v.user ?? ''), password: String(v.password ?? '') };
        } catch { /* unreadable: nothing remembered */ }
    }
    return { where: null, endpoint: '', user: '', password: '' };
}

/// Keeps the values for the tab, and on this device only when `remember`; forgets the device's
/// copy otherwise.
function keep(values, remember) {
    const { session, local } = storages();
    const text = JSON.stringify(values);
    try { session?.setItem(STORE_KEY, text); } catch { /* storage refused: nothing kept */ }
    try {
        if (remember) local?.setItem(STORE_KEY, text);
        else local?.removeItem(STORE_KEY);
    } catch { /* as above */ }
}

// ---------------------------------------------------------------- the form

let uid = 0;
/// A labelled field with a hint: { wrap, input }.
function field({ label, hint, input }) {
    const id = input.id || (input.id = `rp-f${++uid}`);
    const hintEl = hint && h('p', { class: 'rp-hint', id: `${id}-hint`, text: hint });
    if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
    return { wrap: h('div', { class: 'rp-field' }, h('label', { for: id, text: label }), hintEl, input), input };
}

function checkbox({ label, hint, checked }) {
    const id = `rp-f${++uid}`;
    const input = h('input', { type: 'checkbox', id, checked, 'aria-describedby': hint ? `${id}-hint` : null });
    return {
        wrap: h('div', { class: 'rp-check' }, input, h('div', {}, h('label', { for: id, text: label }), hint && h('p', { class: 'rp-hint', id: `${id}-hint`, text: hint }))),
        input,
    };
}

const remembered = recall();
const f = {
    endpoint: field({ label: 'Record store endpoint', hint: 'The address of the store\'s statements API, such as https://lrs.example.org/xAPI/', input: h('input', { type: 'url', name: 'endpoint', autocomplete: 'url', spellcheck: 'false', value: remembered.endpoint }) }),
    user: field({ label: 'User name', hint: 'A user or key with read access to statements.', input: h('input', { type: 'text', name: 'user', autocomplete: 'username', spellcheck: 'false', autocapitalize: 'none', value: remembered.user }) }),
    password: field({ label: 'Password', input: h('input', { type: 'password', name: 'password', autocomplete: 'current-password', value: remembered.password }) }),
    remember: checkbox({ label: 'Remember on this device', hint: 'Unticked, the endpoint and credentials are kept for this tab only, until you close it. Ticked, this browser stores the endpoint, user name and password, unencrypted, until you untick this; any page of this site can read them. Tick it only on a device no one else uses.', checked: remembered.where === 'local' }),
    scenario: field({ label: 'Scenario', input: h('select', { name: 'scenario' }, h('option', { value: '', text: 'Loading the library…' })) }),
    activity: field({ label: 'Other activity IRI (optional)', hint: 'Only for a site that sets its own xapi-activity. Empty: the library scenario\'s own, https://attunement.invalid/scenarios/ID.', input: h('input', { type: 'url', name: 'activity', spellcheck: 'false' }) }),
    from: field({ label: 'From (optional)', hint: 'Statements recorded on or after this day.', input: h('input', { type: 'date', name: 'from' }) }),
    to: field({ label: 'To (optional)', hint: 'Up to the end of this day.', input: h('input', { type: 'date', name: 'to' }) }),
    registrations: field({ label: 'Registrations (optional)', hint: 'Only these registrations: one a line, or separated by commas.', input: h('textarea', { name: 'registrations', rows: 3, spellcheck: 'false' }) }),
    actor: field({ label: 'Learner filter (optional)', hint: 'Only learners whose name, mailbox or account contains this text.', input: h('input', { type: 'text', name: 'actor', spellcheck: 'false' }) }),
    pseudonymise: checkbox({ label: 'Pseudonymise', hint: 'Replaces names and mailboxes with codes, on screen and in the CSV downloads. Not anonymous: anyone with the statements can work a code out again, and registration ids, which your LMS can link to learners, stay.', checked: false }),
};

const status = h('p', { class: 'rp-status', role: 'status', 'aria-live': 'polite' });
const alertBox = h('div', { class: 'rp-alert', role: 'alert' });
const submit = h('button', { type: 'submit', class: 'att-btn att-primary', text: 'Show report' });
const stop = h('button', { type: 'button', class: 'att-btn', text: 'Stop reading', hidden: true });
const results = h('div', { class: 'rp-results', id: 'report' });
const form = h('form', { class: 'rp-form', novalidate: true, 'aria-labelledby': 'rp-form-title' },
    h('h2', { id: 'rp-form-title', text: 'What to report' }),
    h('fieldset', {}, h('legend', { text: 'The record store' }), f.endpoint.wrap, f.user.wrap, f.password.wrap, f.remember.wrap),
    h('fieldset', {}, h('legend', { text: 'The scenario and the dates' }), f.scenario.wrap, f.activity.wrap, h('div', { class: 'rp-dates' }, f.from.wrap, f.to.wrap)),
    h('fieldset', {}, h('legend', { text: 'A group (optional)' }), f.registrations.wrap, f.actor.wrap),
    f.pseudonymise.wrap,
    h('div', { class: 'rp-form-actions' }, submit, stop));

main.replaceChildren(
    h('h1', { text: 'Cohort report' }),
    h('p', { class: 'att-lede', text: 'How a group of learners did in one scenario: endings, trust over the turns, the skills they used, where trust fell, and each learner\'s path.' }),
    h('p', { class: 'rp-privacy' },
        h('strong', { text: 'Privacy: ' }),
        'this report runs in this browser and talks only to the record store you name here, with the credentials you type; nothing is sent anywhere else. ',
        'The report, its CSV files and its PDF hold learners\' names and their responses word for word: store and share them as you would the records themselves. ',
        'The trainer\'s guide (docs/report.md in Attunement\'s repository) explains how to give a trainer read-only credentials.'),
    form,
    status,
    alertBox,
    results);

const clearInvalid = () => { for (const { input } of Object.values(f)) input.removeAttribute('aria-invalid'); };

f.remember.input.addEventListener('change', () => {
    // Unticking forgets the device's copy at once; ticking keeps what is typed now.
    const values = storeValues();
    if (f.remember.input.checked && !values.endpoint) return;
    keep(values, f.remember.input.checked);
});
f.pseudonymise.input.addEventListener('change', () => {
    if (current) show(current, { focus: false });
});

const storeValues = () => ({ endpoint: f.endpoint.input.value.trim(), user: f.user.input.value, password: f.password.input.value });

// The library's scenarios, as options whose value is the activity id.
let library = [];
(async () => {
    const select = f.scenario.input;
    try {
        const response = await fetch('scenarios/index.json');
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const list = (await response.json()).scenarios;
        library = (Array.isArray(list) ? list : []).filter(sc => sc && typeof sc.id === 'string' && /^[A-Za-z0-9_-]+$/.test(sc.id) && typeof sc.title === 'string');
    } catch (e) {
        f.scenario.wrap.append(h('p', { class: 'rp-hint', text: `The scenario library could not be loaded (${e.message}): type the activity IRI below.` }));
    }
    select.replaceChildren(
        ...library.map(sc => h('option', { value: ACTIVITY_BASE + sc.id, text: sc.title })),
        h('option', { value: '', text: 'Another activity (type its IRI below)' }));
})();

/// The form's values as the engine's options, or throws { field, message } for the first problem.
function options() {
    const problem = (fld, message) => { throw Object.assign(new Error(message), { field: fld }); };
    const endpointText = f.endpoint.input.value.trim();
    let endpoint;
    try { endpoint = new URL(endpointText); } catch { problem(f.endpoint, endpointText ? 'The endpoint is not a web address. It should start with https:// (or http://).' : 'Enter the record store\'s endpoint.'); }
    if (!/^https?:$/.test(endpoint.protocol)) problem(f.endpoint, 'The endpoint must be an https:// (or http://) address.');
    if (!endpoint.pathname.endsWith('/')) endpoint.pathname += '/';
    if (endpoint.username || endpoint.password) problem(f.endpoint, 'Put the user name and password in their own fields, not in the endpoint.');
    if (!f.user.input.value) problem(f.user, 'Enter the user name for the record store.');
    if (!f.password.input.value) problem(f.password, 'Enter the password for the record store.');
    const picked = library.find(sc => ACTIVITY_BASE + sc.id === f.scenario.input.value) || null;
    const other = f.activity.input.value.trim();
    if (other) {
        try { new URL(other); } catch { problem(f.activity, 'The other activity IRI is not a full IRI (such as https://your.site/activities/first-meeting).'); }
    } else if (!picked) problem(f.activity, 'Pick a scenario, or type the activity IRI.');
    const opts = { endpoint: endpoint.href, activity: other || ACTIVITY_BASE + picked.id };
    const from = f.from.input.value, to = f.to.input.value;
    const day = (text, next) => {
        const [y, m, d] = text.split('-').map(Number);
        return new Date(y, m - 1, d + next);
    };
    if (from) opts.since = day(from, 0).toISOString();
    // "To" counts the whole of that day, in the trainer's time zone.
    if (to) opts.until = new Date(day(to, 1).getTime() - 1).toISOString();
    if (from && to && opts.since > opts.until) problem(f.to, 'The "To" day is before the "From" day.');
    const registrations = f.registrations.input.value.split(/[\s,;]+/).filter(Boolean);
    const bad = registrations.find(r => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(r));
    if (bad) problem(f.registrations, `"${bad}" is not a registration id (a UUID such as 0f8e5c1a-3b7d-4e2f-9a6c-5d4b3a2f1e0d).`);
    if (registrations.length) opts.registrations = registrations;
    const actor = f.actor.input.value.trim();
    if (actor) opts.actor = actor;
    return { opts, picked, origin: endpoint.origin };
}

// ---------------------------------------------------------------- reading the store

let engine = null;      // the loaded module, once
let current = null;     // { r, id, title } of the report on screen, kept alive between renders
let reading = null;     // the AbortController of the reading under way

const loadEngine = () => (engine ??= (async () => {
    const mod = await import(new URL('./pkg-report/attunement.js', import.meta.url).href);
    await mod.default();
    return mod;
})().catch(e => { engine = null; throw e; }));

const say = text => { status.textContent = text; };
function fail(message, ...more) {
    alertBox.replaceChildren(h('div', { class: 'att-page-error' }, h('p', { text: message }), more.map(t => h('p', { text: t }))));
}

// A CSP block looks like a network failure to fetch; this tells the two apart.
const blocked = new Set();
document.addEventListener('securitypolicyviolation', e => {
    try { blocked.add(new URL(e.blockedURI).origin); } catch { /* not a URL */ }
});

form.addEventListener('submit', async event => {
    event.preventDefault();
    if (reading) return;
    clearInvalid();
    alertBox.replaceChildren();
    let query;
    try {
        query = options();
    } catch (e) {
        if (!e.field) throw e;
        e.field.input.setAttribute('aria-invalid', 'true');
        fail(e.message);
        e.field.input.focus();
        return;
    }
    keep(storeValues(), f.remember.input.checked);
    // The report on screen goes before a new query: its engine object is freed.
    if (current) { current.r.free(); current = null; }
    results.replaceChildren();
    reading = new AbortController();
    submit.disabled = true;
    stop.hidden = false;
    results.setAttribute('aria-busy', 'true');
    try {
        const made = await read(query, reading.signal);
        if (made) show(made, { focus: true });
    } finally {
        reading = null;
        submit.disabled = false;
        stop.hidden = true;
        results.removeAttribute('aria-busy');
    }
});
stop.addEventListener('click', () => reading?.abort());

/// Reads every page of statements into a new CohortReport; resolves to { r, id, title, notices }
/// or to null after saying what went wrong.
async function read({ opts, picked, origin }, signal) {
    say('Loading the report engine…');
    let mod;
    try {
        mod = await loadEngine();
    } catch (e) {
        say('');
        fail(`The report engine could not be loaded (${e.message}). Reload the page and try again.`);
        return null;
    }
    let r;
    try {
        r = new mod.CohortReport(JSON.stringify(opts));
    } catch (e) {
        say('');
        fail(`The report could not start: ${e.message}.`);
        return null;
    }
    const notices = [];
    const done = made => { if (!made) r.free(); return made; };
    if (picked) {
        try {
            const src = typeof picked.src === 'string' && /^[A-Za-z0-9_.-]+$/.test(picked.src) ? picked.src : `${picked.id}.attn`;
            const response = await fetch(`scenarios/${src}`, { signal });
            if (!response.ok) throw new Error(`HTTP ${response.status}`);
            r.setScenario(new Uint8Array(await response.arrayBuffer()), src);
        } catch (e) {
            if (signal.aborted) { say('Stopped: no report was made.'); return done(null); }
            notices.push(`The scenario's file could not be read (${e.message}), so the sticking points cannot say what was on offer instead.`);
        }
    }
    const headers = {
        Authorization: `Basic ${base64(`${f.user.input.value}:${f.password.input.value}`)}`,
        'X-Experience-API-Version': '1.0.3',
    };
    let url = r.url(), count = 0, pages = 0;
    const seen = new Set();
    say(`Reading statements from ${origin}…`);
    while (url) {
        if (new URL(url).origin !== origin) {
            fail(`The store pointed the next page to ${new URL(url).origin}, another server than ${origin}. The report stops here, so your credentials go nowhere else.`);
            say('');
            return done(null);
        }
        if (seen.has(url)) {
            fail('The store sent the same page twice as its next page; the report stops here. Check the store, or narrow the dates.');
            say('');
            return done(null);
        }
        seen.add(url);
        let response, text;
        try {
            response = await fetch(url, { headers, credentials: 'omit', cache: 'no-store', signal });
            text = await response.text();
        } catch (e) {
            say('');
            // A CSP block is reported as an event, which may come a moment after the rejection.
            await new Promise(resolve => setTimeout(resolve, 50));
            if (signal.aborted) { say(`Stopped after reading ${plural(count, 'statement')}: no report was made.`); return done(null); }
            if (blocked.has(origin)) fail(`This page is not allowed to connect to ${origin}.`, `The page's Content-Security-Policy must allow connect-src to ${origin}; ask whoever runs this site to add it.`);
            else fail(`The record store at ${origin} could not be reached.`, `Check the endpoint. The store must be running and must allow this page's origin (${location.origin}) in its CORS settings, and this page's Content-Security-Policy must allow connect-src to ${origin}.`);
            return done(null);
        }
        if (response.status === 401 || response.status === 403) {
            say('');
            fail(`The record store refused these credentials (HTTP ${response.status}).`, 'Check the user name and password; the credentials need read access to statements.');
            return done(null);
        }
        if (!response.ok) {
            say('');
            fail(`The record store answered HTTP ${response.status} for ${new URL(url).pathname}.`, 'Check the endpoint: it is the statements API base, such as https://lrs.example.org/xAPI/.');
            return done(null);
        }
        try {
            url = r.addPage(text);
        } catch (e) {
            say('');
            fail(`The answer from ${origin} is not an xAPI statement list (${e.message}).`, 'Check the endpoint: it is the statements API base, such as https://lrs.example.org/xAPI/.');
            return done(null);
        }
        count = r.statements;
        pages += 1;
        say(`Read ${fmt(count)} statement${count === 1 ? '' : 's'}${url ? '…' : '.'}`);
    }
    const id = picked?.id ?? null;
    return { r, id, title: picked?.title ?? null, notices, pages, opts, made: new Date() };
}

// Basic credentials are UTF-8 before base64 (RFC 7617).
const base64 = text => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

// ---------------------------------------------------------------- the report

/// Draws the report of `made` (pseudonymised as the switch says).
function show(made, { focus }) {
    const pseudo = f.pseudonymise.input.checked;
    let report;
    try {
        report = JSON.parse(made.r.json(pseudo));
    } catch (e) {
        fail(`The report could not be made: ${e.message}.`);
        if (made !== current) made.r.free();
        return;
    }
    current = made;
    const title = report.scenario?.title || made.title || report.activity;
    const id = report.scenario?.id || made.id || String(report.activity || 'report').split('/').pop();
    const labels = skillLabels(report);
    const heading = h('h2', { id: 'rp-report-title', tabindex: '-1', text: `Report: ${title}` });
    results.replaceChildren(
        h('section', { class: 'rp-report', 'aria-labelledby': 'rp-report-title' },
            heading,
            h('p', { class: 'rp-meta', text: `${report.activity} · ${plural(report.statements, 'statement')} read, ${fmt(report.used)} used${pseudo ? ' · pseudonymised' : ''}` }),
            h('p', { class: 'rp-meta rp-query', text: queryLine(made) }),
            h('p', { class: 'rp-print-only rp-confidential', text: 'Confidential: this report holds learners\' names and their words. Store and share it as you would the records themselves.' }),
            notices(made, report),
            toolbar(made, id),
            defs(),
            summarySection(report),
            safetyPanel(report),
            trustSection(report),
            skillSection(report),
            stickingSection(report, labels),
            distressSection(report),
            learnersSection(report, labels, pseudo)));
    markOverflow();
    say(`Report ready: ${plural(report.attempts, 'attempt')}, ${fmt(report.completed)} completed.`);
    if (focus) heading.focus();
}

/// What the report covers, in words: the dates, the group, when it was made (on screen and in print).
function queryLine(made) {
    const o = made.opts || {};
    const day = iso => new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
    const range = o.since || o.until ? `Stored ${o.since ? `from ${day(o.since)}` : ''}${o.since && o.until ? ' ' : ''}${o.until ? `to ${day(o.until)}` : ''}` : 'Every date';
    const group = [o.registrations?.length && `group: ${plural(o.registrations.length, 'registration')}`, o.actor && `learners matching "${o.actor}"`].filter(Boolean).join(', ');
    return `${range}${group ? ` · ${group}` : ''} · made ${made.made ? made.made.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : ''}`;
}

function notices(made, report) {
    const list = [...made.notices];
    if (report.scenario?.matches === false) list.push('Some of these statements were sent by a different version of this scenario than the library has now, so its nodes and choices may not line up with what those learners saw.');
    const skipped = (report.skipped || []).filter(k => k.count > 0);
    return [
        list.map(text => h('p', { class: 'att-page-notice rp-notice', text })),
        skipped.length > 0 && h('div', { class: 'rp-skipped' },
            h('p', { text: `Not counted: ${plural(skipped.reduce((n, k) => n + k.count, 0), 'statement')}.` }),
            h('ul', {}, skipped.map(k => h('li', { text: `${fmt(k.count)}: ${k.reason}` })))),
    ];
}

function toolbar(made, id) {
    const safe = String(id).replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
    const download = kind => () => {
        const pseudo = f.pseudonymise.input.checked;
        let text;
        try {
            text = made.r.csv(kind, pseudo);
        } catch (e) {
            fail(`The CSV could not be made: ${e.message}.`);
            return;
        }
        const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
        const a = h('a', { href: url, download: `attunement-report-${safe}-${kind === 'learners' ? 'learners' : 'answers'}${pseudo ? '-pseudonymised' : ''}.csv`, hidden: true });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        say(`Downloaded the ${kind === 'learners' ? 'learners' : 'answers'} as CSV${pseudo ? ', pseudonymised' : ''}.`);
    };
    return h('div', { class: 'rp-toolbar' },
        h('button', { type: 'button', class: 'att-btn', text: 'Download learners (CSV)', onclick: download('learners') }),
        h('button', { type: 'button', class: 'att-btn', text: 'Download all answers (CSV)', onclick: download('statements') }),
        h('button', { type: 'button', class: 'att-btn', text: 'Print or save as PDF', onclick: () => window.print() }));
}

// Skill id → { label, kind }, from the cohort's skill mix (every skill that was chosen).
function skillLabels(report) {
    const map = new Map();
    for (const row of report.skill_mix || []) map.set(row.skill, { label: cap(row.label), kind: row.kind });
    for (const sp of report.sticking_points || []) {
        for (const c of [sp.roadblock, ...(sp.instead || [])]) if (c && !map.has(c.skill)) map.set(c.skill, { label: cap(c.label || c.skill), kind: null });
    }
    return id => map.get(id) ?? { label: id, kind: null };
}

// ---------------------------------------------------------------- sections

const section = (cls, title, ...kids) => {
    const id = `rp-${cls}`;
    return h('section', { class: `rp-section rp-${cls}`, 'aria-labelledby': `${id}-title` }, h('h3', { id: `${id}-title`, text: title }), ...kids);
};

const pair = (chart, tableEl, box = 'rp-chart-box') => h('div', { class: 'rp-pair' }, h('div', { class: box }, chart), tableEl);

// A table in a wrapper that scrolls sideways by itself (focusable and labelled, so keyboard users
// can scroll it too), never the page.
function table(caption, head, rows, { cls = '' } = {}) {
    const id = `rp-t${++uid}`;
    const t = h('table', { class: `att-table rp-table ${cls}`.trim() },
        h('caption', { id, text: caption }),
        h('thead', {}, h('tr', {}, head.map(c => h('th', { scope: 'col', text: c })))),
        h('tbody', {}, rows.map(r => h('tr', {}, r.map((c, i) => h(i ? 'td' : 'th', i ? {} : { scope: 'row' }, c == null ? '–' : typeof c === 'object' ? c : String(c)))))));
    return h('div', { class: 'rp-scroll', role: 'region', 'aria-labelledby': id, tabindex: '0' }, t);
}

const quote = text => h('q', { class: 'rp-quote', text: text ?? '' });

function summarySection(rep) {
    const figures = [
        ['Attempts', fmt(rep.attempts)],
        ['Completed', fmt(rep.completed)],
        ['Passed', fmt(rep.passed)],
        ['Pass rate', pct(rep.pass_rate)],
        ['Abandoned', fmt(rep.abandoned)],
    ];
    const endings = OUTCOME_ORDER.filter(o => o in (rep.endings || {})).concat(Object.keys(rep.endings || {}).filter(o => !OUTCOME_ORDER.includes(o)));
    const rows = endings.map(o => ({ label: OUTCOMES[o] || o, value: rep.endings[o], cls: `rp-bar-${o in OUTCOMES ? o : 'other'}` }));
    const total = rows.reduce((n, r) => n + r.value, 0);
    return section('summary', 'Attempts and endings',
        h('dl', { class: 'rp-figures' }, figures.map(([k, v]) => h('div', {}, h('dt', { text: k }), h('dd', { text: v })))),
        h('p', { class: 'rp-hint', text: 'The pass rate is passed among completed attempts. An attempt is abandoned when it never reached an ending.' }),
        pair(
            hbars(rows, `Bar chart of the ${plural(total, 'ending')} by outcome: ${rows.map(r => `${r.label} ${r.value}`).join(', ')}. The table beside it has the same numbers.`),
            table('Endings by outcome', ['Outcome', 'Attempts', 'Share'], rows.map(r => [r.label, fmt(r.value), total ? pct(r.value / total) : '–']))),
        rep.ending_ids?.length > 0 && table('Endings by ending', ['Ending', 'Outcome', 'Attempts'],
            rep.ending_ids.map(e => [e.id, OUTCOMES[e.outcome] || e.outcome, fmt(e.count)])));
}

function trustSection(rep) {
    const t = rep.trust || [];
    if (!t.length) return section('trust', 'Trust over the turns', h('p', { text: 'No answers were read, so there is no trust to show.' }));
    return section('trust', 'Trust over the turns',
        h('p', { class: 'rp-hint', text: 'Turn 0 is trust before the first response; turn N is trust after the Nth response, among the attempts that got that far. Attempts that ended early drop out of the later turns, so later medians show only those still talking.' }),
        pair(trustChart(t),
            table('Trust over the turns (0 to 100)', ['Turn', 'Attempts', 'Lowest', 'Lower quartile', 'Median', 'Upper quartile', 'Highest'],
                t.map(p => [p.turn, fmt(p.learners), p.min, p.q1, p.median, p.q3, p.max])), 'rp-trust-box'),
        legend([['rp-key-median', 'Line: the median'], ['rp-key-band', 'Shaded band: the middle half (lower to upper quartile)'], ['rp-key-whisker', 'Thin line: lowest to highest']]));
}

function skillSection(rep) {
    const mix = rep.skill_mix || [];
    const m = rep.miti;
    return section('skills', 'Skill mix and MITI figures',
        mix.length
            ? pair(
                hbars(mix.map(x => ({ label: `${cap(x.label)} (${(KINDS[x.kind] || x.kind).toLowerCase()})`, value: x.count, cls: `rp-bar-${x.kind}`, fill: PATTERN[x.kind] })),
                    `Bar chart of the responses the cohort chose, by skill: ${mix.map(x => `${cap(x.label)} ${x.count}`).join(', ')}. The table beside it has the same numbers.`),
                table('Responses by skill', ['Skill', 'Kind', 'Responses', 'Share'], mix.map(x => [cap(x.label), KINDS[x.kind] || x.kind, fmt(x.count), pct(x.share)])))
            : h('p', { text: 'No responses were read.' }),
        mix.length > 0 && legend([['rp-key-skill', 'Skill: solid'], ['rp-key-neutral', 'Neutral: dotted'], ['rp-key-roadblock', 'Roadblock: striped']], 'rp-kinds'),
        rep.kinds && h('p', { text: `Skills ${fmt(rep.kinds.skill)}, neutral ${fmt(rep.kinds.neutral)}, roadblocks ${fmt(rep.kinds.roadblock)}.` }),
        m && mitiTable(m, 'The cohort\'s MITI figures'),
        m?.counts?.some(c => c.count > 0) && table('Responses by MITI code', ['MITI code', 'Responses'], m.counts.filter(c => c.count > 0).map(c => [cap(c.label), fmt(c.count)])));
}

function mitiTable(m, caption) {
    const ratio = m.reflection_to_question == null ? (m.reflections ? 'No questions asked' : '–') : m.reflection_to_question.toFixed(1);
    const share = m.complex_share == null ? '–' : m.complex_share_level === 'not_applicable' ? `${m.complex_reflections} of ${m.reflections}` : `${Math.round(m.complex_share * 100)}%`;
    return table(caption, ['Figure', 'Value', 'Level', 'MITI guide'], [
        ['Reflections per question', ratio, LEVELS[m.reflection_to_question_level] || m.reflection_to_question_level, '1 is fair, 2 is good'],
        ['Complex reflections', share, LEVELS[m.complex_share_level] || m.complex_share_level, '40% is fair, 50% is good; summaries count as complex'],
        ['Reflections', fmt(m.reflections), '', `${fmt(m.complex_reflections)} complex`],
        ['Questions', fmt(m.questions), '', ''],
        ['MI-adherent', fmt(m.adherent), '', 'Affirm, Seeking Collaboration, Emphasizing Autonomy'],
        ['MI-non-adherent', fmt(m.non_adherent), '', 'Persuade, Confront'],
    ]);
}

function stickingSection(rep, labels) {
    const sp = rep.sticking_points || [];
    if (!sp.length) return section('sticking', 'Sticking points', h('p', { text: 'Trust did not fall at any node.' }));
    return section('sticking', 'Sticking points',
        h('p', { class: 'rp-hint', text: 'The nodes where trust fell most in total, over every answer given there.' }),
        h('div', { class: 'rp-chart-box' }, hbars(sp.map(p => ({ label: p.node, value: p.fall, cls: 'rp-bar-fall' })),
            `Bar chart of the total fall of trust at the ${plural(sp.length, 'node')} where it fell most: ${sp.map(p => `${p.node} ${p.fall}`).join(', ')}. The table below has the same numbers.`)),
        table('Where trust fell most', ['Node', 'Answers', 'Answers that lowered trust', 'Trust lost in total', 'Average change per answer', 'Roadblock chosen most', 'On offer instead'], sp.map(p => [
            p.say ? [h('span', { class: 'rp-nowrap', text: p.node }), h('span', { class: 'rp-meta rp-say', text: ' The peer: ' }), quote(p.say)] : h('span', { class: 'rp-nowrap', text: p.node }), fmt(p.answers), fmt(p.falls), fmt(p.fall),
            p.mean_change == null ? '–' : (p.mean_change > 0 ? '+' : p.mean_change < 0 ? '\u2212' : '') + Math.abs(p.mean_change).toFixed(1),
            p.roadblock ? [h('span', { class: 'rp-skill', text: `${cap(p.roadblock.label)} (${plural(p.roadblock.count, 'time')}): ` }), quote(p.roadblock.text)] : 'None',
            p.instead?.length ? h('ul', { class: 'rp-instead' }, p.instead.map(c => h('li', {}, h('span', { class: 'rp-skill', text: `${c.label ? cap(c.label) : labels(c.skill).label}: ` }), quote(c.text)))) : '–',
        ]), { cls: 'rp-wide' }));
}

/// Marks the tables wider than their box, so the page can say they scroll sideways.
function markOverflow() {
    for (const el of document.querySelectorAll('.rp-scroll')) el.classList.toggle('rp-overflows', el.scrollWidth > el.clientWidth + 1);
}
addEventListener('resize', markOverflow);

/// A link's click to an attempt's path: opens its <details>, scrolls to it and focuses it.
function openAttempt(e) {
    const target = document.getElementById(e.currentTarget.hash.slice(1) && decodeURIComponent(e.currentTarget.hash.slice(1)));
    if (!target) return;
    e.preventDefault();
    target.open = true;
    history.replaceState(history.state, '', e.currentTarget.hash);
    target.scrollIntoView({ behavior: reduced() ? 'auto' : 'smooth', block: 'start' });
    target.querySelector('summary').focus({ preventScroll: true });
}

/// The one result a trainer must act on, and privately: attempts where the peer showed warning
/// signs of suicide and the learner did not then ask directly. First, after the summary.
function safetyPanel(rep) {
    const missed = (rep.learners || []).filter(l => l.safety === 'missed');
    const sf = rep.safety || { attempts_with_signs: 0, missed: 0 };
    if (!sf.attempts_with_signs) return null;
    const link = l => h('a', { href: `#attempt-${l.attempt}`, onclick: openAttempt, text: 'Path', 'aria-label': `Path of ${l.actor}, ${when(l.started)}` });
    return h('section', { class: missed.length ? 'rp-safety rp-safety-missed' : 'rp-safety', 'aria-labelledby': 'rp-safety-title' },
        h('h3', { id: 'rp-safety-title', text: missed.length
            ? `Warning signs of suicide: ${fmt(missed.length)} of ${plural(sf.attempts_with_signs, 'attempt')} did not ask directly about suicide afterwards`
            : `Warning signs of suicide: every one of the ${plural(sf.attempts_with_signs, 'attempt')} that met them asked directly` }),
        missed.length > 0 && [
            h('p', { text: 'In the learner\'s debrief this alone fails the attempt, whatever the score. Follow up one to one with:' }),
            h('ul', { class: 'rp-safety-list' }, missed.map(l => h('li', {}, h('span', { class: 'rp-actor', text: l.actor }), ` (${when(l.started)}) `, link(l)))),
            h('p', { class: 'rp-hint', text: 'Asking does not plant the idea. Practise asking calmly and plainly: "Are you thinking about suicide?"' }),
        ]);
}

function distressSection(rep) {
    const d = rep.distress || { acute_answers: 0, roadblocks: 0, learners: 0, by_skill: [] };
    const sf = rep.safety || { attempts_with_signs: 0, asked: 0, missed: 0 };
    return section('distress', 'Distress and safety',
        h('p', { text: d.acute_answers
            ? `${plural(d.acute_answers, 'response')} came while the peer was in acute distress; ${d.roadblocks === 1 ? '1 was a roadblock' : `${fmt(d.roadblocks)} were roadblocks`}, in ${plural(d.learners, 'attempt')}. In acute distress every roadblock costs more trust; reflection, validation and presence are worth more.`
            : 'No response came while the peer was in acute distress.' }),
        d.by_skill?.length
            ? pair(
                hbars(d.by_skill.map(x => ({ label: cap(x.label), value: x.count, cls: 'rp-bar-roadblock', fill: PATTERN.roadblock })),
                    `Bar chart of the roadblocks chosen while the peer was in acute distress: ${d.by_skill.map(x => `${cap(x.label)} ${x.count}`).join(', ')}. The table beside it has the same numbers.`),
                table('Roadblocks chosen in acute distress', ['Roadblock', 'Responses'], d.by_skill.map(x => [cap(x.label), fmt(x.count)])))
            : h('p', { text: 'No roadblock was chosen while the peer was in acute distress.' }),
        h('h4', { text: 'Safety questions' }),
        sf.attempts_with_signs
            ? pair(
                hbars([{ label: 'Asked directly about safety', value: sf.asked, cls: 'rp-bar-skill' }, { label: 'Did not ask after the warning signs', value: sf.missed, cls: 'rp-bar-roadblock', fill: PATTERN.roadblock }],
                    `Bar chart of the ${plural(sf.attempts_with_signs, 'attempt')} where the peer showed warning signs: ${sf.asked} asked directly about safety, ${sf.missed} did not ask after the warning signs. The table beside it has the same numbers.`),
                table('Safety questions where the peer showed warning signs', ['Attempts', 'Number'], [
                    ['With warning signs', fmt(sf.attempts_with_signs)], ['Asked about safety', fmt(sf.asked)], ['Did not ask after the warning signs', fmt(sf.missed)]]))
            : h('p', { text: 'No attempt reached a moment where the peer showed warning signs.' }));
}

function learnersSection(rep, labels, pseudo) {
    const ls = rep.learners || [];
    if (!ls.length) return section('learners', 'Each learner', h('p', { text: 'No attempts were found for this scenario and these filters.' }));
    const anchor = l => `attempt-${l.attempt}`;
    const open = openAttempt;
    return section('learners', 'Each learner',
        pseudo && h('p', { class: 'rp-hint', text: 'Pseudonymised: each learner is a code, the same for the same learner in every report. Not anonymous: anyone with the statements can work a code out again.' }),
        table(`Learners: ${plural(ls.length, 'attempt')}`, ['Learner', 'Started', 'Status', 'Ending', rep.scenario?.pass == null ? 'Score' : `Score (pass: ${rep.scenario.pass} of 100)`, 'Turns', 'Time', 'Safety question', 'Path'], ls.map(l => [
            h('span', { class: 'rp-actor-cell', text: l.actor }),
            when(l.started),
            STATUS[l.status] || l.status,
            l.ending ? [h('span', { class: 'rp-nowrap', text: OUTCOMES[l.outcome] || l.outcome }), ' ', h('span', { class: 'rp-meta', text: `(${l.ending})` })] : '–',
            l.score == null ? '–' : String(l.score),
            fmt(l.turns),
            duration(l.duration),
            l.safety ? SAFETY[l.safety] || l.safety : h('span', { text: 'Signs not reached', class: 'rp-meta' }),
            h('a', { href: `#${anchor(l)}`, onclick: open, text: 'Path', 'aria-label': `Path of ${l.actor}, ${when(l.started)}` }),
        ]), { cls: 'rp-wide rp-learners' }),
        h('h4', { text: 'Each attempt, turn by turn' }),
        ls.map(l => h('details', { id: anchor(l), class: 'rp-attempt' },
            h('summary', {}, h('span', { class: 'rp-actor', text: l.actor }), ` · ${STATUS[l.status] || l.status}${l.score == null ? '' : ` · score ${l.score}`} · ${plural(l.turns, 'turn')} · ${when(l.started)}`),
            h('div', { class: 'rp-attempt-body' },
                h('p', { class: 'rp-meta', text: `Registration ${l.registration}${l.attempt !== l.registration ? ` · attempt ${l.attempt}` : ''}` }),
                l.path?.length
                    ? table(`Turns of ${l.actor}`, ['Turn', 'Node', 'Response', 'Skill', 'Trust', 'Moment'], l.path.map(p => [
                        String(p.turn), h('span', { class: 'rp-nowrap', text: p.node }), quote(p.text),
                        `${labels(p.skill).label}${KINDS[p.kind] ? ` (${KINDS[p.kind].toLowerCase()})` : ''}`,
                        `${p.trust_before} → ${p.trust_after}`,
                        [p.acute && 'Acute distress', p.warning_signs && 'Warning signs'].filter(Boolean).join(', ') || '–',
                    ]), { cls: 'rp-wide' })
                    : h('p', { text: 'No answers were recorded.' }),
                Object.keys(l.skills || {}).length > 0 && table(`Skill mix of ${l.actor}`, ['Skill', 'Kind', 'Responses'],
                    Object.entries(l.skills).map(([k, n]) => [labels(k).label, KINDS[labels(k).kind] || '–', fmt(n)])),
                l.miti && mitiTable(l.miti, `MITI figures of ${l.actor}`)))));
}

// Closed attempts print open: a PDF of the report carries every path.
let printed = [];
window.addEventListener('beforeprint', () => {
    printed = [...results.querySelectorAll('details:not([open])')];
    for (const d of printed) d.open = true;
});
window.addEventListener('afterprint', () => {
    for (const d of printed) d.open = false;
    printed = [];
});

// ---------------------------------------------------------------- charts

// The fills that tell the kinds apart without colour: solid (skill), dots (neutral), stripes
// (roadblock). Patterns are defined once in the report (defs()).
const PATTERN = { neutral: 'url(#rp-pattern-neutral)', roadblock: 'url(#rp-pattern-roadblock)' };

function defs() {
    const svg = s('svg', { class: 'rp-defs', width: 0, height: 0, 'aria-hidden': 'true', focusable: 'false' });
    const d = s('defs');
    const stripes = s('pattern', { id: 'rp-pattern-roadblock', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
    stripes.append(s('rect', { width: 6, height: 6, class: 'rp-pat-bg-roadblock' }), s('rect', { width: 3, height: 6, class: 'rp-pat-fg-roadblock' }));
    const dots = s('pattern', { id: 'rp-pattern-neutral', width: 6, height: 6, patternUnits: 'userSpaceOnUse' });
    dots.append(s('rect', { width: 6, height: 6, class: 'rp-pat-bg-neutral' }), s('circle', { cx: 3, cy: 3, r: 1.6, class: 'rp-pat-fg-neutral' }));
    d.append(stripes, dots);
    svg.append(d);
    return svg;
}

/// Horizontal bars, each with its label above it and its number after it: readable at 320 px.
/// rows: [{ label, value, cls, fill }]; `fill` (a pattern) is a presentation attribute.
function hbars(rows, label) {
    const W = 260, ROW = 38, T = 4, numW = 40, barMax = W - numW - 2;
    const max = Math.max(1, ...rows.map(r => r.value || 0));
    const H = T + rows.length * ROW + 2;
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'rp-chart rp-hbars', role: 'img', 'aria-label': label });
    svg.append(s('title', {}, label));
    rows.forEach((r, i) => {
        const y = T + i * ROW;
        const w = r.value ? Math.max(2, (barMax * r.value) / max) : 0;
        const text = s('text', { x: 0, y: y + 12, class: 'rp-label' }, r.label);
        // A label too long for the chart is squeezed to its width rather than cut off.
        if (r.label.length * 7.2 > W) { text.setAttribute('textLength', W); text.setAttribute('lengthAdjust', 'spacingAndGlyphs'); }
        svg.append(text);
        svg.append(s('rect', { x: 0, y: y + 17, width: barMax, height: 14, class: 'rp-track' }));
        if (w) {
            const bar = s('rect', { x: 0, y: y + 17, width: w.toFixed(1), height: 14, class: `rp-bar ${r.cls || ''}`.trim() });
            if (r.fill) bar.setAttribute('fill', r.fill);
            svg.append(bar);
        }
        svg.append(s('text', { x: (barMax + 6).toFixed(1), y: y + 28.5, class: 'rp-value' }, fmt(r.value)));
    });
    return svg;
}

/// The median over the turns, the middle half as a band, and lowest to highest as whiskers.
function trustChart(points) {
    const W = 320, H = 210, L = 40, R = 10, T = 10, B = 44, w = W - L - R, ht = H - T - B;
    const last = points[points.length - 1].turn, first = points[0].turn;
    const span = Math.max(1, last - first);
    const x = turn => L + (points.length > 1 ? ((turn - first) * w) / span : w / 2);
    const y = v => T + ht * (1 - v / 100);
    const start = points[0], end = points[points.length - 1];
    const label = `Line chart of trust over the turns: the median starts at ${start.median} and is ${end.median} of 100 after turn ${end.turn}, among the ${plural(end.learners, 'attempt')} that got that far. The table beside it has every turn's figures.`;
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'rp-chart rp-trust', role: 'img', 'aria-label': label });
    svg.append(s('title', {}, label));
    for (let g = 0; g <= 100; g += 20) {
        svg.append(s('line', { x1: L, x2: W - R, y1: y(g), y2: y(g), class: 'rp-grid' }), s('text', { x: L - 6, y: y(g) + 4, class: 'rp-axis', 'text-anchor': 'end' }, g));
    }
    const step = Math.ceil(span / 10) || 1;
    for (let t = first; t <= last; t += step) svg.append(s('text', { x: x(t), y: H - B + 16, class: 'rp-axis', 'text-anchor': 'middle' }, t));
    svg.append(s('text', { x: L + w / 2, y: H - 6, class: 'rp-axis-title', 'text-anchor': 'middle' }, 'Turn'));
    svg.append(s('text', { x: 12, y: T + ht / 2, class: 'rp-axis-title', 'text-anchor': 'middle', transform: `rotate(-90 12 ${T + ht / 2})` }, 'Trust'));
    const band = points.map(p => `${x(p.turn).toFixed(1)},${y(p.q3).toFixed(1)}`).concat(points.slice().reverse().map(p => `${x(p.turn).toFixed(1)},${y(p.q1).toFixed(1)}`));
    svg.append(s('polygon', { points: band.join(' '), class: 'rp-band' }));
    for (const p of points) svg.append(s('line', { x1: x(p.turn), x2: x(p.turn), y1: y(p.min), y2: y(p.max), class: 'rp-whisker' }));
    svg.append(s('polyline', { points: points.map(p => `${x(p.turn).toFixed(1)},${y(p.median).toFixed(1)}`).join(' '), class: 'rp-median' }));
    for (const p of points) svg.append(s('circle', { cx: x(p.turn).toFixed(1), cy: y(p.median).toFixed(1), r: 3, class: 'rp-dot' }));
    return svg;
}

/// A key in words beside a sample of each mark (the sample is decoration only).
function legend(items, cls = '') {
    return h('ul', { class: `rp-legend ${cls}`.trim() }, items.map(([key, text]) => {
        const sample = s('svg', { viewBox: '0 0 24 14', width: 24, height: 14, class: 'rp-key', 'aria-hidden': 'true', focusable: 'false' });
        if (key === 'rp-key-median') sample.append(s('line', { x1: 1, x2: 23, y1: 7, y2: 7, class: 'rp-median' }));
        else if (key === 'rp-key-band') sample.append(s('rect', { x: 1, y: 2, width: 22, height: 10, class: 'rp-band' }));
        else if (key === 'rp-key-whisker') sample.append(s('line', { x1: 12, x2: 12, y1: 1, y2: 13, class: 'rp-whisker' }));
        else {
            const kind = key.replace('rp-key-', '');
            const r = s('rect', { x: 1, y: 1, width: 22, height: 12, class: `rp-bar rp-bar-${kind}` });
            if (PATTERN[kind]) r.setAttribute('fill', PATTERN[kind]);
            sample.append(r);
        }
        return h('li', {}, sample, ' ', text);
    }));
}
