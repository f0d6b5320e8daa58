// report.js: the page script of report.html, the trainer's cohort report (issue 13). It builds the
// form (the record store's endpoint and credentials, the scenario, a date range, an optional
// group), reads the store's statements page by page through the trainer's engine
// (pkg-report/: `CohortReport`, see docs/report.md), and draws what the engine's report says:
// each chart an SVG with a table of the same numbers beside it, the sticking points, distress
// and safety, one row per attempt and each attempt's path. The numbers are all the engine's; this
// only words and draws them, every word from the report's catalogue (www/i18n/report.LANG.json)
// and every number, date and duration through Intl, in the interface language: the `lang` query
// parameter's, else the page's. The engine's own words (skill and MITI labels, the reasons
// statements were skipped) are shown as the engine gives them.
//
// Invariants: nothing but the interface language is taken from the page's address; the endpoint
// and the credentials are what the trainer types, or what they asked this browser to remember
// (sessionStorage for the tab, localStorage only with "Remember on this device"); requests go to
// the store's origin only (a `more` link elsewhere stops the reading); statement text reaches the
// page as text, never as markup; no style attribute is set (the CSP's style-src 'self'), so every
// look is a class.
import { h, s, cap, reduced } from '../widget/dom.js';
import { LEVELS, OUTCOMES } from '../widget/debrief.js';
import { words as widgetWords } from '../widget/words.js';
import { catalogue, choose, localise, setEngineWords } from '../widget/i18n.js';
import en from '../i18n/report.en.js';

const words = catalogue('report', en);
const { t } = words;
// The report's words first; the debrief's (the outcomes and MITI levels below) in the same
// language, so a page whose catalogue could not be loaded is English throughout.
await words.use(choose(new URLSearchParams(location.search).get('lang'), document.documentElement.lang));
await widgetWords.use(words.lang);
localise(document, words);
const RTL = words.dir === 'rtl';

const main = document.getElementById('main');
const ACTIVITY_BASE = 'https://attunement.invalid/scenarios/';
const STORE_KEY = 'attunement-report:store';

// LEVELS and OUTCOMES are the debrief's words (www/widget/debrief.js), so a trainer reads what the learner read.
const OUTCOME_ORDER = ['breakthrough', 'connected', 'referred', 'unresolved', 'disengaged'];
const STATUS = ['passed', 'failed', 'completed', 'abandoned'];
const KINDS = ['skill', 'neutral', 'roadblock'];
const SAFETY = ['asked', 'missed'];
/// The words for an engine value of one of these lists (`report.PREFIX.VALUE`), else the value as it is.
const named = (prefix, list, value) => (list.includes(value) ? t(`report.${prefix}.${value}`) : value);
const attemptStatus = v => named('attempt.status', STATUS, v);
const kindWord = v => named('kind', KINDS, v);

// What a cell shows for a figure there is none of.
const NONE = '–';
const fmt = n => (n == null ? NONE : words.number(n));
// Rounded to a whole percent first, as the report always has been (Intl alone rounds 0.355 down).
const pct = x => (x == null ? NONE : words.number(Math.round(x * 100) / 100, { style: 'percent' }));
const fixed1 = x => words.number(x, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const unit = (n, u) => words.number(n, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 });
/// The parts of a chart's description, "Breakthrough 1, Unresolved 1".
const bars = items => words.list(items.map(([label, value]) => t('report.chart.bar', { label, value: fmt(value) })), 'unit');

/// "6 min 12 sec", "1 hr 2 min", "45 sec"; "–" when unknown.
function duration(seconds) {
    if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return NONE;
    const total = Math.round(seconds);
    const hr = Math.floor(total / 3600), min = Math.floor((total % 3600) / 60), sec = total % 60;
    const parts = hr ? [unit(hr, 'hour'), min && unit(min, 'minute')] : min ? [unit(min, 'minute'), sec && unit(sec, 'second')] : [unit(sec, 'second')];
    return new Intl.ListFormat(words.lang, { type: 'unit', style: 'narrow' }).format(parts.filter(Boolean));
}

const when = iso => {
    const d = iso ? new Date(iso) : null;
    return d && !Number.isNaN(d.getTime()) ? words.date(d, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }) : NONE;
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
    endpoint: field({ label: t('report.form.endpoint'), hint: t('report.form.endpoint_hint'), input: h('input', { type: 'url', name: 'endpoint', autocomplete: 'url', spellcheck: 'false', value: remembered.endpoint }) }),
    user: field({ label: t('report.form.user'), hint: t('report.form.user_hint'), input: h('input', { type: 'text', name: 'user', autocomplete: 'username', spellcheck: 'false', autocapitalize: 'none', value: remembered.user }) }),
    password: field({ label: t('report.form.password'), input: h('input', { type: 'password', name: 'password', autocomplete: 'current-password', value: remembered.password }) }),
    remember: checkbox({ label: t('report.form.remember'), hint: t('report.form.remember_hint'), checked: remembered.where === 'local' }),
    scenario: field({ label: t('report.form.scenario'), input: h('select', { name: 'scenario' }, h('option', { value: '', text: t('report.form.scenario_loading') })) }),
    activity: field({ label: t('report.form.activity'), hint: t('report.form.activity_hint', { example: `${ACTIVITY_BASE}ID` }), input: h('input', { type: 'url', name: 'activity', spellcheck: 'false' }) }),
    from: field({ label: t('report.form.from'), hint: t('report.form.from_hint'), input: h('input', { type: 'date', name: 'from' }) }),
    to: field({ label: t('report.form.to'), hint: t('report.form.to_hint'), input: h('input', { type: 'date', name: 'to' }) }),
    registrations: field({ label: t('report.form.registrations'), hint: t('report.form.registrations_hint'), input: h('textarea', { name: 'registrations', rows: 3, spellcheck: 'false' }) }),
    actor: field({ label: t('report.form.actor'), hint: t('report.form.actor_hint'), input: h('input', { type: 'text', name: 'actor', spellcheck: 'false' }) }),
    pseudonymise: checkbox({ label: t('report.form.pseudonymise'), hint: t('report.form.pseudonymise_hint'), checked: false }),
};

const status = h('p', { class: 'rp-status', role: 'status', 'aria-live': 'polite' });
const alertBox = h('div', { class: 'rp-alert', role: 'alert' });
const submit = h('button', { type: 'submit', class: 'att-btn att-primary', text: t('report.form.show') });
const stop = h('button', { type: 'button', class: 'att-btn', text: t('report.form.stop'), hidden: true });
const results = h('div', { class: 'rp-results', id: 'report' });
const form = h('form', { class: 'rp-form', novalidate: true, 'aria-labelledby': 'rp-form-title' },
    h('h2', { id: 'rp-form-title', text: t('report.form.heading') }),
    h('fieldset', {}, h('legend', { text: t('report.form.store') }), f.endpoint.wrap, f.user.wrap, f.password.wrap, f.remember.wrap),
    h('fieldset', {}, h('legend', { text: t('report.form.scenario_dates') }), f.scenario.wrap, f.activity.wrap, h('div', { class: 'rp-dates' }, f.from.wrap, f.to.wrap)),
    h('fieldset', {}, h('legend', { text: t('report.form.group') }), f.registrations.wrap, f.actor.wrap),
    f.pseudonymise.wrap,
    h('div', { class: 'rp-form-actions' }, submit, stop));

main.replaceChildren(
    h('h1', { text: t('report.page.heading') }),
    h('p', { class: 'att-lede', text: t('report.page.lede') }),
    h('p', { class: 'rp-privacy' }, h('strong', { text: t('report.page.privacy_label') }), ' ', t('report.page.privacy')),
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
        f.scenario.wrap.append(h('p', { class: 'rp-hint', text: t('report.form.library_failed', { error: e.message }) }));
    }
    select.replaceChildren(
        ...library.map(sc => h('option', { value: ACTIVITY_BASE + sc.id, text: sc.title })),
        h('option', { value: '', text: t('report.form.scenario_other') }));
})();

/// The form's values as the engine's options, or throws { field, message } for the first problem.
function options() {
    const problem = (fld, message) => { throw Object.assign(new Error(message), { field: fld }); };
    const endpointText = f.endpoint.input.value.trim();
    let endpoint;
    try { endpoint = new URL(endpointText); } catch { problem(f.endpoint, t(endpointText ? 'report.error.endpoint_not_url' : 'report.error.endpoint_missing')); }
    if (!/^https?:$/.test(endpoint.protocol)) problem(f.endpoint, t('report.error.endpoint_scheme'));
    if (!endpoint.pathname.endsWith('/')) endpoint.pathname += '/';
    if (endpoint.username || endpoint.password) problem(f.endpoint, t('report.error.endpoint_credentials'));
    if (!f.user.input.value) problem(f.user, t('report.error.user_missing'));
    if (!f.password.input.value) problem(f.password, t('report.error.password_missing'));
    const picked = library.find(sc => ACTIVITY_BASE + sc.id === f.scenario.input.value) || null;
    const other = f.activity.input.value.trim();
    if (other) {
        try { new URL(other); } catch { problem(f.activity, t('report.error.activity_not_iri')); }
    } else if (!picked) problem(f.activity, t('report.error.no_activity'));
    const opts = { endpoint: endpoint.href, activity: other || ACTIVITY_BASE + picked.id };
    const from = f.from.input.value, to = f.to.input.value;
    const day = (text, next) => {
        const [y, m, d] = text.split('-').map(Number);
        return new Date(y, m - 1, d + next);
    };
    if (from) opts.since = day(from, 0).toISOString();
    // "To" counts the whole of that day, in the trainer's time zone.
    if (to) opts.until = new Date(day(to, 1).getTime() - 1).toISOString();
    if (from && to && opts.since > opts.until) problem(f.to, t('report.error.dates_reversed'));
    const registrations = f.registrations.input.value.split(/[\s,;]+/).filter(Boolean);
    const bad = registrations.find(r => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(r));
    if (bad) problem(f.registrations, t('report.error.registration', { id: bad }));
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
    // The engine's own words (skill and MITI labels in the figures) in the page's language.
    await setEngineWords(mod, words.lang);
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
    say(t('report.status.loading_engine'));
    let mod;
    try {
        mod = await loadEngine();
    } catch (e) {
        say('');
        fail(t('report.error.engine', { error: e.message }));
        return null;
    }
    let r;
    try {
        r = new mod.CohortReport(JSON.stringify(opts));
    } catch (e) {
        say('');
        fail(t('report.error.start', { error: e.message }));
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
            if (signal.aborted) { say(t('report.status.stopped')); return done(null); }
            notices.push(t('report.notice.scenario_file', { error: e.message }));
        }
    }
    const headers = {
        Authorization: `Basic ${base64(`${f.user.input.value}:${f.password.input.value}`)}`,
        'X-Experience-API-Version': '1.0.3',
    };
    let url = r.url(), count = 0, pages = 0;
    const seen = new Set();
    say(t('report.status.reading', { origin }));
    while (url) {
        if (new URL(url).origin !== origin) {
            fail(t('report.error.other_origin', { next: new URL(url).origin, origin }));
            say('');
            return done(null);
        }
        if (seen.has(url)) {
            fail(t('report.error.same_page'));
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
            if (signal.aborted) { say(t('report.status.stopped_after', { statements: count })); return done(null); }
            if (blocked.has(origin)) fail(t('report.error.blocked', { origin }), t('report.error.blocked_fix', { origin }));
            else fail(t('report.error.unreachable', { origin }), t('report.error.unreachable_fix', { origin, page: location.origin }));
            return done(null);
        }
        if (response.status === 401 || response.status === 403) {
            say('');
            fail(t('report.error.refused', { status: response.status }), t('report.error.refused_fix'));
            return done(null);
        }
        if (!response.ok) {
            say('');
            fail(t('report.error.http', { status: response.status, path: new URL(url).pathname }), t('report.error.endpoint_fix'));
            return done(null);
        }
        try {
            url = r.addPage(text);
        } catch (e) {
            say('');
            fail(t('report.error.not_xapi', { origin, error: e.message }), t('report.error.endpoint_fix'));
            return done(null);
        }
        count = r.statements;
        pages += 1;
        say(t(url ? 'report.status.read_more' : 'report.status.read', { statements: count }));
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
        fail(t('report.error.make', { error: e.message }));
        if (made !== current) made.r.free();
        return;
    }
    current = made;
    const title = report.scenario?.title || made.title || report.activity;
    const id = report.scenario?.id || made.id || String(report.activity || 'report').split('/').pop();
    const labels = skillLabels(report);
    const heading = h('h2', { id: 'rp-report-title', tabindex: '-1', text: t('report.heading', { title }) });
    results.replaceChildren(
        h('section', { class: 'rp-report', 'aria-labelledby': 'rp-report-title' },
            heading,
            h('p', { class: 'rp-meta', text: t('report.meta', { activity: report.activity, statements: report.statements, used: fmt(report.used), pseudonymised: pseudo ? 'yes' : 'no' }) }),
            h('p', { class: 'rp-meta rp-query', text: queryLine(made) }),
            h('p', { class: 'rp-print-only rp-confidential', text: t('report.confidential') }),
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
    say(t('report.status.ready', { attempts: report.attempts, completed: fmt(report.completed) }));
    if (focus) heading.focus();
}

/// What the report covers, in words: the dates, the group, when it was made (on screen and in print).
function queryLine(made) {
    const o = made.opts || {};
    const day = iso => words.date(new Date(iso), { day: 'numeric', month: 'short', year: 'numeric' });
    const range = o.since && o.until ? t('report.query.from_to', { from: day(o.since), to: day(o.until) })
        : o.since ? t('report.query.from', { from: day(o.since) })
            : o.until ? t('report.query.to', { to: day(o.until) })
                : t('report.query.every_date');
    const group = [
        o.registrations?.length && t('report.query.registrations', { registrations: o.registrations.length }),
        o.actor && t('report.query.actor', { actor: o.actor }),
    ].filter(Boolean);
    const args = { range, made: made.made ? words.date(made.made, { dateStyle: 'medium', timeStyle: 'short' }) : '' };
    return group.length ? t('report.query.line_group', { ...args, group: words.list(group, 'unit') }) : t('report.query.line', args);
}

function notices(made, report) {
    const list = [...made.notices];
    if (report.scenario?.matches === false) list.push(t('report.notice.version'));
    const skipped = (report.skipped || []).filter(k => k.count > 0);
    return [
        list.map(text => h('p', { class: 'att-page-notice rp-notice', text })),
        skipped.length > 0 && h('div', { class: 'rp-skipped' },
            h('p', { text: t('report.skipped.heading', { statements: skipped.reduce((n, k) => n + k.count, 0) }) }),
            h('ul', {}, skipped.map(k => h('li', { text: t('report.skipped.reason', { count: fmt(k.count), reason: k.reason }) })))),
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
            fail(t('report.error.csv', { error: e.message }));
            return;
        }
        const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
        const a = h('a', { href: url, download: `attunement-report-${safe}-${kind === 'learners' ? 'learners' : 'answers'}${pseudo ? '-pseudonymised' : ''}.csv`, hidden: true });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        say(t('report.status.downloaded', { file: kind === 'learners' ? 'learners' : 'answers', pseudonymised: pseudo ? 'yes' : 'no' }));
    };
    return h('div', { class: 'rp-toolbar' },
        h('button', { type: 'button', class: 'att-btn', text: t('report.download.learners'), onclick: download('learners') }),
        h('button', { type: 'button', class: 'att-btn', text: t('report.download.answers'), onclick: download('statements') }),
        h('button', { type: 'button', class: 'att-btn', text: t('report.print'), onclick: () => window.print() }));
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
// can scroll it too), never the page. `head` is the columns' words (cols() has them by id).
function table(caption, head, rows, { cls = '' } = {}) {
    const id = `rp-t${++uid}`;
    const el = h('table', { class: `att-table rp-table ${cls}`.trim() },
        h('caption', { id, text: caption }),
        h('thead', {}, h('tr', {}, head.map(c => h('th', { scope: 'col', text: c })))),
        h('tbody', {}, rows.map(r => h('tr', {}, r.map((c, i) => h(i ? 'td' : 'th', i ? {} : { scope: 'row' }, c == null ? NONE : typeof c === 'object' ? c : String(c)))))));
    return h('div', { class: 'rp-scroll', role: 'region', 'aria-labelledby': id, tabindex: '0' }, el);
}
/// Column headings from their message ids.
const cols = (...ids) => ids.map(id => t(`report.col.${id}`));

const quote = text => h('q', { class: 'rp-quote', text: text ?? '' });

/// A skill's label with its kind in words: "Reflection (skill)".
const withKind = (skill, k) => t('report.skill_kind', { skill, kind: k });

function summarySection(rep) {
    const figures = [
        [t('report.summary.attempts'), fmt(rep.attempts)],
        [t('report.summary.completed'), fmt(rep.completed)],
        [t('report.summary.passed'), fmt(rep.passed)],
        [t('report.summary.pass_rate'), pct(rep.pass_rate)],
        [t('report.summary.abandoned'), fmt(rep.abandoned)],
    ];
    const endings = OUTCOME_ORDER.filter(o => o in (rep.endings || {})).concat(Object.keys(rep.endings || {}).filter(o => !OUTCOME_ORDER.includes(o)));
    const rows = endings.map(o => ({ label: OUTCOMES[o] || o, value: rep.endings[o], cls: `rp-bar-${o in OUTCOMES ? o : 'other'}` }));
    const total = rows.reduce((n, r) => n + r.value, 0);
    return section('summary', t('report.summary.heading'),
        h('dl', { class: 'rp-figures' }, figures.map(([k, v]) => h('div', {}, h('dt', { text: k }), h('dd', { text: v })))),
        h('p', { class: 'rp-hint', text: t('report.summary.hint') }),
        pair(
            hbars(rows, t('report.summary.chart', { endings: total, bars: bars(rows.map(r => [r.label, r.value])) })),
            table(t('report.summary.by_outcome'), cols('outcome', 'attempts', 'share'), rows.map(r => [r.label, fmt(r.value), total ? pct(r.value / total) : NONE]))),
        rep.ending_ids?.length > 0 && table(t('report.summary.by_ending'), cols('ending', 'outcome', 'attempts'),
            rep.ending_ids.map(e => [e.id, OUTCOMES[e.outcome] || e.outcome, fmt(e.count)])));
}

function trustSection(rep) {
    const points = rep.trust || [];
    if (!points.length) return section('trust', t('report.trust.heading'), h('p', { text: t('report.trust.none') }));
    return section('trust', t('report.trust.heading'),
        h('p', { class: 'rp-hint', text: t('report.trust.hint') }),
        pair(trustChart(points),
            table(t('report.trust.caption', { min: fmt(0), max: fmt(100) }), cols('turn', 'attempts', 'lowest', 'lower_quartile', 'median', 'upper_quartile', 'highest'),
                points.map(p => [fmt(p.turn), fmt(p.learners), fmt(p.min), fmt(p.q1), fmt(p.median), fmt(p.q3), fmt(p.max)])), 'rp-trust-box'),
        legend([['rp-key-median', t('report.trust.key_median')], ['rp-key-band', t('report.trust.key_band')], ['rp-key-whisker', t('report.trust.key_whisker')]]));
}

function skillSection(rep) {
    const mix = rep.skill_mix || [];
    const m = rep.miti;
    return section('skills', t('report.skills.heading'),
        mix.length
            ? pair(
                hbars(mix.map(x => ({ label: withKind(cap(x.label), x.kind), value: x.count, cls: `rp-bar-${x.kind}`, fill: PATTERN[x.kind] })),
                    t('report.skills.chart', { bars: bars(mix.map(x => [cap(x.label), x.count])) })),
                table(t('report.skills.caption'), cols('skill', 'kind', 'responses', 'share'), mix.map(x => [cap(x.label), kindWord(x.kind), fmt(x.count), pct(x.share)])))
            : h('p', { text: t('report.skills.none') }),
        mix.length > 0 && legend([['rp-key-skill', t('report.skills.key_skill')], ['rp-key-neutral', t('report.skills.key_neutral')], ['rp-key-roadblock', t('report.skills.key_roadblock')]], 'rp-kinds'),
        rep.kinds && h('p', { text: t('report.skills.kinds', { skill: fmt(rep.kinds.skill), neutral: fmt(rep.kinds.neutral), roadblock: fmt(rep.kinds.roadblock) }) }),
        m && mitiTable(m, t('report.miti.cohort')),
        m?.counts?.some(c => c.count > 0) && table(t('report.miti.by_code'), cols('miti_code', 'responses'), m.counts.filter(c => c.count > 0).map(c => [cap(c.label), fmt(c.count)])));
}

function mitiTable(m, caption) {
    const ratio = m.reflection_to_question == null ? (m.reflections ? t('report.miti.no_questions') : NONE) : fixed1(m.reflection_to_question);
    const share = m.complex_share == null ? NONE : m.complex_share_level === 'not_applicable' ? t('report.miti.complex_of', { complex: fmt(m.complex_reflections), reflections: fmt(m.reflections) }) : pct(m.complex_share);
    return table(caption, cols('figure', 'value', 'level', 'miti_guide'), [
        [t('report.miti.ratio'), ratio, LEVELS[m.reflection_to_question_level] || m.reflection_to_question_level, t('report.miti.ratio_guide', { fair: fmt(1), good: fmt(2) })],
        [t('report.miti.complex'), share, LEVELS[m.complex_share_level] || m.complex_share_level, t('report.miti.complex_guide', { fair: pct(0.4), good: pct(0.5) })],
        [t('report.miti.reflections'), fmt(m.reflections), '', t('report.miti.reflections_complex', { complex: fmt(m.complex_reflections) })],
        [t('report.miti.questions'), fmt(m.questions), '', ''],
        [t('report.miti.adherent'), fmt(m.adherent), '', t('report.miti.adherent_guide')],
        [t('report.miti.non_adherent'), fmt(m.non_adherent), '', t('report.miti.non_adherent_guide')],
    ]);
}

function stickingSection(rep, labels) {
    const sp = rep.sticking_points || [];
    if (!sp.length) return section('sticking', t('report.sticking.heading'), h('p', { text: t('report.sticking.none') }));
    const change = x => t('report.sticking.change', { sign: x > 0 ? 'up' : x < 0 ? 'down' : 'none', change: fixed1(Math.abs(x)) });
    return section('sticking', t('report.sticking.heading'),
        h('p', { class: 'rp-hint', text: t('report.sticking.hint') }),
        h('div', { class: 'rp-chart-box' }, hbars(sp.map(p => ({ label: p.node, value: p.fall, cls: 'rp-bar-fall' })),
            t('report.sticking.chart', { nodes: sp.length, bars: bars(sp.map(p => [p.node, p.fall])) }))),
        table(t('report.sticking.caption'), cols('node', 'answers', 'answers_lowered', 'trust_lost', 'mean_change', 'roadblock_most', 'instead'), sp.map(p => [
            p.say ? [h('span', { class: 'rp-nowrap', text: p.node }), h('span', { class: 'rp-meta rp-say', text: ` ${t('report.sticking.peer')} ` }), quote(p.say)] : h('span', { class: 'rp-nowrap', text: p.node }), fmt(p.answers), fmt(p.falls), fmt(p.fall),
            p.mean_change == null ? NONE : change(p.mean_change),
            p.roadblock ? [h('span', { class: 'rp-skill', text: `${t('report.sticking.roadblock', { skill: cap(p.roadblock.label), times: p.roadblock.count })} ` }), quote(p.roadblock.text)] : t('report.sticking.no_roadblock'),
            p.instead?.length ? h('ul', { class: 'rp-instead' }, p.instead.map(c => h('li', {}, h('span', { class: 'rp-skill', text: `${t('report.sticking.instead', { skill: c.label ? cap(c.label) : labels(c.skill).label })} ` }), quote(c.text)))) : NONE,
        ]), { cls: 'rp-wide' }));
}

/// Marks the tables wider than their box, so the page can say they scroll sideways.
function markOverflow() {
    for (const el of document.querySelectorAll('.rp-scroll')) {
      el.classList.toggle('rp-overflows', el.scrollWidth > el.clientWidth + 1);
      el.dataset.overflowHint = t('report.scroll_hint');
    }
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

/// The link from a learner's row (or the safety panel) to the attempt's path.
const pathLink = l => h('a', { href: `#attempt-${l.attempt}`, onclick: openAttempt, text: t('report.path.link'), 'aria-label': t('report.path.link_label', { actor: l.actor, started: when(l.started) }) });

/// The one result a trainer must act on, and privately: attempts where the peer showed warning
/// signs of suicide and the learner did not then ask directly. First, after the summary.
function safetyPanel(rep) {
    const missed = (rep.learners || []).filter(l => l.safety === 'missed');
    const sf = rep.safety || { attempts_with_signs: 0, missed: 0 };
    if (!sf.attempts_with_signs) return null;
    return h('section', { class: missed.length ? 'rp-safety rp-safety-missed' : 'rp-safety', 'aria-labelledby': 'rp-safety-title' },
        h('h3', { id: 'rp-safety-title', text: missed.length
            ? t('report.safety.heading_missed', { missed: fmt(missed.length), attempts: sf.attempts_with_signs })
            : t('report.safety.heading_asked', { attempts: sf.attempts_with_signs }) }),
        missed.length > 0 && [
            h('p', { text: t('report.safety.follow_up') }),
            h('ul', { class: 'rp-safety-list' }, missed.map(l => h('li', {}, h('span', { class: 'rp-actor', text: l.actor }), ` ${t('report.safety.started', { started: when(l.started) })} `, pathLink(l)))),
            h('p', { class: 'rp-hint', text: t('report.safety.ask') }),
        ]);
}

function distressSection(rep) {
    const d = rep.distress || { acute_answers: 0, roadblocks: 0, learners: 0, by_skill: [] };
    const sf = rep.safety || { attempts_with_signs: 0, asked: 0, missed: 0 };
    return section('distress', t('report.distress.heading'),
        h('p', { text: d.acute_answers
            ? t('report.distress.acute', { responses: d.acute_answers, roadblocks: d.roadblocks, attempts: d.learners })
            : t('report.distress.no_acute') }),
        d.by_skill?.length
            ? pair(
                hbars(d.by_skill.map(x => ({ label: cap(x.label), value: x.count, cls: 'rp-bar-roadblock', fill: PATTERN.roadblock })),
                    t('report.distress.chart', { bars: bars(d.by_skill.map(x => [cap(x.label), x.count])) })),
                table(t('report.distress.caption'), cols('roadblock', 'responses'), d.by_skill.map(x => [cap(x.label), fmt(x.count)])))
            : h('p', { text: t('report.distress.no_roadblock') }),
        h('h4', { text: t('report.safety.questions') }),
        sf.attempts_with_signs
            ? pair(
                hbars([{ label: t('report.safety.asked_bar'), value: sf.asked, cls: 'rp-bar-skill' }, { label: t('report.safety.missed_bar'), value: sf.missed, cls: 'rp-bar-roadblock', fill: PATTERN.roadblock }],
                    t('report.safety.chart', { attempts: sf.attempts_with_signs, asked: fmt(sf.asked), missed: fmt(sf.missed) })),
                table(t('report.safety.caption'), cols('attempts', 'number'), [
                    [t('report.safety.with_signs'), fmt(sf.attempts_with_signs)], [t('report.safety.asked_row'), fmt(sf.asked)], [t('report.safety.missed_bar'), fmt(sf.missed)]]))
            : h('p', { text: t('report.safety.none') }));
}

function learnersSection(rep, labels, pseudo) {
    const ls = rep.learners || [];
    if (!ls.length) return section('learners', t('report.learners.heading'), h('p', { text: t('report.learners.none') }));
    const anchor = l => `attempt-${l.attempt}`;
    const score = rep.scenario?.pass == null ? t('report.col.score') : t('report.col.score_pass', { pass: fmt(rep.scenario.pass), max: fmt(100) });
    return section('learners', t('report.learners.heading'),
        pseudo && h('p', { class: 'rp-hint', text: t('report.learners.pseudonymised') }),
        table(t('report.learners.caption', { attempts: ls.length }), [...cols('learner', 'started', 'status', 'ending'), score, ...cols('turns', 'time', 'safety_question', 'path')], ls.map(l => [
            h('span', { class: 'rp-actor-cell', text: l.actor }),
            when(l.started),
            attemptStatus(l.status),
            l.ending ? [h('span', { class: 'rp-nowrap', text: OUTCOMES[l.outcome] || l.outcome }), ' ', h('span', { class: 'rp-meta', text: t('report.learners.ending_id', { ending: l.ending }) })] : NONE,
            l.score == null ? NONE : fmt(l.score),
            fmt(l.turns),
            duration(l.duration),
            l.safety ? named('safety.status', SAFETY, l.safety) : h('span', { text: t('report.safety.not_reached'), class: 'rp-meta' }),
            pathLink(l),
        ]), { cls: 'rp-wide rp-learners' }),
        h('h4', { text: t('report.learners.attempts') }),
        ls.map(l => h('details', { id: anchor(l), class: 'rp-attempt' },
            h('summary', {}, h('span', { class: 'rp-actor', text: l.actor }), ` · ${l.score == null
                ? t('report.attempt.summary', { status: attemptStatus(l.status), turns: l.turns, started: when(l.started) })
                : t('report.attempt.summary_scored', { status: attemptStatus(l.status), score: fmt(l.score), turns: l.turns, started: when(l.started) })}`),
            h('div', { class: 'rp-attempt-body' },
                h('p', { class: 'rp-meta', text: l.attempt !== l.registration
                    ? t('report.attempt.registration_attempt', { registration: l.registration, attempt: l.attempt })
                    : t('report.attempt.registration', { registration: l.registration }) }),
                l.path?.length
                    ? table(t('report.attempt.turns', { actor: l.actor }), cols('turn', 'node', 'response', 'skill', 'trust', 'moment'), l.path.map(p => [
                        fmt(p.turn), h('span', { class: 'rp-nowrap', text: p.node }), quote(p.text),
                        KINDS.includes(p.kind) ? withKind(labels(p.skill).label, p.kind) : labels(p.skill).label,
                        t('report.attempt.trust', { before: fmt(p.trust_before), after: fmt(p.trust_after) }),
                        words.list([p.acute && t('report.attempt.acute'), p.warning_signs && t('report.attempt.warning_signs')].filter(Boolean), 'unit') || NONE,
                    ]), { cls: 'rp-wide' })
                    : h('p', { text: t('report.attempt.no_answers') }),
                Object.keys(l.skills || {}).length > 0 && table(t('report.attempt.skills', { actor: l.actor }), cols('skill', 'kind', 'responses'),
                    Object.entries(l.skills).map(([k, n]) => [labels(k).label, KINDS.includes(labels(k).kind) ? kindWord(labels(k).kind) : NONE, fmt(n)])),
                l.miti && mitiTable(l.miti, t('report.attempt.miti', { actor: l.actor }))))));
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
/// rows: [{ label, value, cls, fill }]; `fill` (a pattern) is a presentation attribute. In a
/// right-to-left language the bars grow from the right, their labels and numbers mirrored too (the
/// chart's own direction stays left to right, report.css's .rp-chart, so anchors are physical).
function hbars(rows, label) {
    const W = 260, ROW = 38, T = 4, numW = 40, barMax = W - numW - 2;
    const mx = (x, width = 0) => (RTL ? W - x - width : x);
    const max = Math.max(1, ...rows.map(r => r.value || 0));
    const H = T + rows.length * ROW + 2;
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'rp-chart rp-hbars', role: 'img', 'aria-label': label });
    svg.append(s('title', {}, label));
    rows.forEach((r, i) => {
        const y = T + i * ROW;
        const w = r.value ? Math.max(2, (barMax * r.value) / max) : 0;
        const text = s('text', { x: mx(0), y: y + 12, class: 'rp-label', ...(RTL && { 'text-anchor': 'end' }) }, r.label);
        // A label too long for the chart is squeezed to its width rather than cut off.
        if (r.label.length * 7.2 > W) { text.setAttribute('textLength', W); text.setAttribute('lengthAdjust', 'spacingAndGlyphs'); }
        svg.append(text);
        svg.append(s('rect', { x: mx(0, barMax), y: y + 17, width: barMax, height: 14, class: 'rp-track' }));
        if (w) {
            const bar = s('rect', { x: Number(mx(0, w).toFixed(1)), y: y + 17, width: w.toFixed(1), height: 14, class: `rp-bar ${r.cls || ''}`.trim() });
            if (r.fill) bar.setAttribute('fill', r.fill);
            svg.append(bar);
        }
        svg.append(s('text', { x: mx(barMax + 6).toFixed(1), y: y + 28.5, class: 'rp-value', ...(RTL && { 'text-anchor': 'end' }) }, fmt(r.value)));
    });
    return svg;
}

/// The median over the turns, the middle half as a band, and lowest to highest as whiskers. In a
/// right-to-left language the turns run from the right, as the text does, and the trust axis is
/// on the right, its title turned to face it.
function trustChart(points) {
    const W = 320, H = 210, L = 40, R = 10, T = 10, B = 44, w = W - L - R, ht = H - T - B;
    const mx = v => (RTL ? W - v : v);
    const last = points[points.length - 1].turn, first = points[0].turn;
    const span = Math.max(1, last - first);
    const x = turn => mx(L + (points.length > 1 ? ((turn - first) * w) / span : w / 2));
    const y = v => T + ht * (1 - v / 100);
    const start = points[0], end = points[points.length - 1];
    const label = t('report.trust.chart', { start: fmt(start.median), end: fmt(end.median), max: fmt(100), turn: fmt(end.turn), attempts: end.learners });
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'rp-chart rp-trust', role: 'img', 'aria-label': label });
    svg.append(s('title', {}, label));
    for (let g = 0; g <= 100; g += 20) {
        svg.append(s('line', { x1: mx(L), x2: mx(W - R), y1: y(g), y2: y(g), class: 'rp-grid' }), s('text', { x: mx(L - 6), y: y(g) + 4, class: 'rp-axis', 'text-anchor': RTL ? 'start' : 'end' }, fmt(g)));
    }
    const step = Math.ceil(span / 10) || 1;
    for (let turn = first; turn <= last; turn += step) svg.append(s('text', { x: x(turn), y: H - B + 16, class: 'rp-axis', 'text-anchor': 'middle' }, fmt(turn)));
    svg.append(s('text', { x: mx(L + w / 2), y: H - 6, class: 'rp-axis-title', 'text-anchor': 'middle' }, t('report.trust.axis_turn')));
    svg.append(s('text', { x: mx(12), y: T + ht / 2, class: 'rp-axis-title', 'text-anchor': 'middle', transform: `rotate(${RTL ? 90 : -90} ${mx(12)} ${T + ht / 2})` }, t('report.trust.axis_trust')));
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
