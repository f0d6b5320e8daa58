// lms/scorm.js: reports an <attunement-sim scorm> to the LMS that launched its SCORM package
// (1.2 or 2004), and keeps the learner's progress in cmi.suspend_data so that a learner who
// leaves comes back to the same turn.
//
// attach(element) finds the LMS's API object (`API` for 1.2, `API_1484_11` for 2004) in this
// window and its parents, then in the opener's (a bounded search, as in ADL's sample code);
// initialises it; and gives the element a store kept in suspend_data. Without an API it
// warns once and leaves the widget alone: it plays, and saves in localStorage as on any page.
//
// Invariants: suspend_data never exceeds the edition's limit (4,096 characters in 1.2, 64,000
// in 2004): a save that would is not written, the last one that fitted stays, and a warning says
// so. A final status (passed, failed, completed) is replaced only by a later result, never by
// "incomplete". In review mode nothing is written. The LMS session ends (LMSFinish / Terminate)
// once, when the page is hidden for good (pagehide).

const EDITIONS = {
    '1.2': {
        object: 'API',
        initialize: 'LMSInitialize', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', finish: 'LMSFinish',
        lastError: 'LMSGetLastError', errorString: 'LMSGetErrorString',
        limit: 4096,
        entry: 'cmi.core.entry', mode: 'cmi.core.lesson_mode', exit: 'cmi.core.exit', sessionTime: 'cmi.core.session_time',
        score: 'cmi.core.score',
    },
    '2004': {
        object: 'API_1484_11',
        initialize: 'Initialize', get: 'GetValue', set: 'SetValue', commit: 'Commit', finish: 'Terminate',
        lastError: 'GetLastError', errorString: 'GetErrorString',
        limit: 64000,
        entry: 'cmi.entry', mode: 'cmi.mode', exit: 'cmi.exit', sessionTime: 'cmi.session_time',
        score: 'cmi.score',
    },
};

// How many parent frames to climb from each starting window: more than any LMS player nests,
// and a bound, so the search ends even in an odd frame tree.
const MAX_HOPS = 10;
const SUSPEND = 'cmi.suspend_data';
// The suspend_data format: { v: 1, k: the widget's save key, s: its save, a: its attempt record }.
const FORMAT = 1;

const warned = new Set();
let connection; // one LMS session per page, whatever the number of widgets

/// Connects the element to the LMS, if there is one; resolves once its save can be read.
/// `missed` are the events ({ type, detail }) the element dispatched before this module could
/// be loaded; they are reported first.
export async function attach(element, missed = []) {
    if (connection === undefined) connection = connect(element.getAttribute('scorm'));
    if (!connection) return;
    const lms = connection;
    element.store = lms.store;
    const report = (type, detail) => {
        if (type === 'start' || (type === 'choice' && !detail.ended)) lms.progress();
        else if (type === 'complete') lms.complete(detail);
    };
    for (const { type, detail } of missed) report(type, detail);
    for (const type of ['start', 'choice', 'complete']) element.addEventListener(`attunement-${type}`, e => report(type, e.detail));
}

function warn(text) {
    if (warned.has(text)) return;
    warned.add(text);
    console.warn(`attunement: ${text}`);
}

// ------------------------------------------------------------ finding the API

/// `API` (1.2) or `API_1484_11` (2004): the one the package asks for, or either (2004 first)
/// when the element's scorm attribute names no edition.
function find(wanted) {
    const editions = wanted in EDITIONS ? [wanted] : ['2004', '1.2'];
    const starts = [window];
    for (const other of [() => window.top.opener, () => window.opener]) {
        try {
            const w = other();
            if (w && !starts.includes(w)) starts.push(w);
        } catch { /* another origin */ }
    }
    for (const edition of editions) {
        const names = EDITIONS[edition];
        for (const start of starts) {
            let win = start;
            for (let hop = 0; win && hop <= MAX_HOPS; hop++) {
                try {
                    const api = win[names.object];
                    if (api && typeof api[names.initialize] === 'function') return { edition, api };
                } catch { /* a frame of another origin: its API is out of reach anyway */ }
                if (win.parent === win) break;
                win = win.parent;
            }
        }
    }
    return null;
}

// ------------------------------------------------------------ the session

function connect(wanted) {
    const found = find(wanted);
    const label = wanted in EDITIONS ? `SCORM ${wanted}` : 'SCORM';
    if (!found) {
        warn(`no ${label} API found in this window, its parents or its opener: the conversation runs, but nothing is reported to a course site`);
        return null;
    }
    const { edition, api } = found;
    const n = EDITIONS[edition];
    const ok = result => result === true || String(result) === 'true';
    const lastError = () => {
        try {
            const code = String(api[n.lastError]());
            return `error ${code}: ${api[n.errorString](code)}`;
        } catch { return 'no error details'; }
    };
    if (!ok(api[n.initialize](''))) {
        // 103 is SCORM 2004's "already initialized": someone started the session; use it.
        if (!(edition === '2004' && String(api[n.lastError]()) === '103')) {
            warn(`the LMS refused to start a SCORM ${edition} session (${lastError()}): nothing is reported`);
            return null;
        }
    }
    const get = key => {
        try { return String(api[n.get](key) ?? ''); } catch { return ''; }
    };
    const readOnly = get(n.mode) === 'review';
    const set = (key, value) => {
        if (readOnly) return true;
        if (ok(api[n.set](key, String(value)))) return true;
        warn(`the LMS refused ${key} = "${String(value).slice(0, 40)}" (${lastError()})`);
        return false;
    };
    const commit = () => {
        if (!readOnly && !ok(api[n.commit](''))) warn(`the LMS could not save (${lastError()})`);
    };

    // The store the widget keeps its save and attempt record in.
    let data = {};
    if (get(n.entry) !== 'ab-initio') {
        try {
            const parsed = JSON.parse(get(SUSPEND) || 'null');
            if (parsed && parsed.v === FORMAT && typeof parsed.k === 'string') data = parsed;
        } catch { /* another SCO's data, or none: start afresh, and overwrite it on the first save */ }
    }
    const slot = key => {
        const attempt = key.endsWith(':attempt');
        return { base: attempt ? key.slice(0, -':attempt'.length) : key, field: attempt ? 'a' : 's' };
    };
    const write = next => {
        const text = next.s == null && next.a == null ? '' : JSON.stringify({ v: FORMAT, k: next.k, s: next.s, a: next.a });
        if (text.length > n.limit) {
            warn(`the progress is ${text.length} characters, more than the ${n.limit} of SCORM ${edition}'s suspend_data: the last progress that fitted is kept`);
            return;
        }
        if (set(SUSPEND, text)) data = next;
    };
    const store = {
        getItem(key) {
            const { base, field } = slot(key);
            return data.k === base && typeof data[field] === 'string' ? data[field] : null;
        },
        setItem(key, value) {
            const { base, field } = slot(key);
            write({ ...(data.k === base ? data : { k: base }), [field]: String(value) });
        },
        removeItem(key) {
            const { base, field } = slot(key);
            if (data.k !== base || data[field] == null) return;
            const next = { ...data };
            delete next[field];
            write(next);
        },
    };

    let finished = false;
    const status = () => edition === '1.2' ? get('cmi.core.lesson_status') : get('cmi.completion_status');
    const final = () => ['passed', 'failed', 'completed'].includes(status());
    // performance.now() counts from the page's navigation start: the session began when the LMS loaded the page.
    const sessionTime = () => set(n.sessionTime, (edition === '1.2' ? timespan12 : timespan2004)(performance.now()));

    const lms = {
        store,
        // A conversation under way: incomplete (unless a result is already in), resumable.
        progress() {
            if (finished) return;
            if (!final()) set(edition === '1.2' ? 'cmi.core.lesson_status' : 'cmi.completion_status', 'incomplete');
            set(n.exit, 'suspend');
            commit();
        },
        complete(detail) {
            if (finished) return;
            const { raw, min, max, scaled } = detail.score;
            set(`${n.score}.raw`, raw);
            set(`${n.score}.min`, min);
            set(`${n.score}.max`, max);
            const result = detail.passed ? 'passed' : 'failed';
            if (edition === '1.2') {
                set('cmi.core.lesson_status', result);
            } else {
                set(`${n.score}.scaled`, Math.round(scaled * 10000) / 10000);
                set('cmi.completion_status', 'completed');
                set('cmi.success_status', result);
            }
            sessionTime();
            set(n.exit, edition === '1.2' ? '' : 'normal');
            commit();
        },
        finish() {
            if (finished) return;
            finished = true;
            sessionTime();
            commit();
            if (!ok(api[n.finish](''))) warn(`the LMS could not end the session (${lastError()})`);
        },
    };
    window.addEventListener('pagehide', () => lms.finish());
    if (!('onpagehide' in window)) window.addEventListener('unload', () => lms.finish());
    return lms;
}

// ------------------------------------------------------------ session time

const pad = (n, width) => String(n).padStart(width, '0');

/// SCORM 1.2's CMITimespan, HHHH:MM:SS.SS.
export function timespan12(ms) {
    const cs = Math.min(Math.max(0, Math.round(ms / 10)), 9999 * 360000 + 359999);
    return `${pad(Math.floor(cs / 360000), 4)}:${pad(Math.floor(cs / 6000) % 60, 2)}:${pad(Math.floor(cs / 100) % 60, 2)}.${pad(cs % 100, 2)}`;
}

/// SCORM 2004's timeinterval, an ISO 8601 duration such as PT1H2M3.45S.
export function timespan2004(ms) {
    const cs = Math.max(0, Math.round(ms / 10));
    return `PT${Math.floor(cs / 360000)}H${Math.floor(cs / 6000) % 60}M${Math.floor(cs / 100) % 60}.${pad(cs % 100, 2)}S`;
}
