// library.js: the page script of index.html. Without ?scenario it shows the library from
// scenarios/index.json as a path: the scenarios in the file's order (the suggested one, which
// `attunement library` writes), numbered, each card with its level, peer and minutes, the
// learner's progress per mode, the content note before the summary, and practice and assessment
// links. With ?scenario=ID&mode=… it shows that scenario's <attunement-sim>, a way back, a page
// title that names the scenario and, for the widget's debrief, the next scenario on the path.
// The address chooses the scenario, the mode and the seed only: where "Get help now" points is
// the site's setting (site-config.js), never a link's.
import '../widget/element.js';
import { h } from '../widget/dom.js';
import { isLangTag, langParam, preload, scenarioFile, siteConfig, translationFor, warnIgnored } from './site-config.js';

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const id = params.get('scenario');

const LEVELS = { introductory: 'Introductory', intermediate: 'Intermediate', advanced: 'Advanced' };
const MODES = [['practice', 'Practice'], ['assessment', 'Assessment']];
const STATUS = { 'in-progress': 'in progress', done: 'done' };


/// The scenarios of scenarios/index.json, in the file's order; throws with a short reason.
async function loadIndex() {
    const response = await fetch('scenarios/index.json');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const scenarios = (await response.json()).scenarios;
    return Array.isArray(scenarios) ? scenarios : [];
}

// How the learner responds (the element's reply attribute): the library offers the choice and
// remembers it on this device; the address carries it to the player.
const REPLIES = [['choose', 'Pick from the options'], ['write', 'Write my own reply first, then see the options'], ['both', 'Either: the options, and a "Write my own reply" button']];
const REPLY_KEY = 'attunement:reply';
const replyPref = () => {
    try { const r = localStorage.getItem(REPLY_KEY); return REPLIES.some(([v]) => v === r) ? r : 'choose'; } catch { return 'choose'; }
};
const playerHref = (scenario, mode, reply = params.get('reply') || replyPref(), lang = langParam(params)) =>
    `index.html?scenario=${encodeURIComponent(scenario)}&mode=${encodeURIComponent(mode)}${reply && reply !== 'choose' ? `&reply=${encodeURIComponent(reply)}` : ''}${lang ? `&lang=${encodeURIComponent(lang)}` : ''}`;

/// A language's name in that language ("Español", "العربية"), for the choice of language.
const languageName = tag => {
    try {
        const name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag) || tag;
        return name.charAt(0).toLocaleUpperCase(tag) + name.slice(1);
    } catch { return tag; }
};

async function player() {
    warnIgnored(params, 'index.html');
    // Writing one's own reply takes the engine with the reply coder, and its model.
    const reply = params.get('reply') || 'choose';
    const pkg = reply === 'choose' ? 'pkg' : 'pkg-write';
    preload(`${pkg}/attunement.js`);
    preload(`${pkg}/attunement_bg.wasm`, 'application/wasm');
    const lang = langParam(params);
    if (!lang) preload(`scenarios/${id}.attn`);
    // Both fetches start now; the element waits for the site's help resource only, since it
    // reads help-href and help-text when it draws its shell. The index names the page and the
    // next scenario whenever it arrives.
    const config = siteConfig();
    const index = loadIndex().catch(() => null);
    const element = document.createElement('attunement-sim');
    // In the learner's language when the library has the scenario in it (?lang=es).
    element.setAttribute('src', lang ? await scenarioFile(id, lang) : `scenarios/${id}.attn`);
    element.setAttribute('mode', params.get('mode') || 'practice');
    if (reply !== 'choose') element.setAttribute('reply', reply);
    if (params.has('seed')) element.setAttribute('seed', params.get('seed'));
    element.setAttribute('back-href', 'index.html');
    // Skipping a scenario (its content note) returns to the library.
    element.addEventListener('attunement-skip', () => location.assign('index.html'));
    // When the widget switches itself to another mode ("Try it in assessment mode"), the
    // address follows, so a reload stays in that mode.
    let next = null;
    new MutationObserver(() => {
        const mode = element.getAttribute('mode');
        if (!mode) return;
        const url = new URL(location.href);
        if (url.searchParams.get('mode') !== mode) {
            url.searchParams.set('mode', mode);
            history.replaceState(history.state, '', url);
        }
        if (next) element.setAttribute('next-href', playerHref(next.id, mode));
    }).observe(element, { attributes: true, attributeFilter: ['mode'] });

    index.then(scenarios => {
        if (!scenarios) return;
        const at = scenarios.findIndex(s => s && s.id === id);
        document.title = at < 0 ? 'Scenario not found · Attunement' : `${translationFor(scenarios[at], lang)?.title || scenarios[at].title} · Attunement`;
        next = at < 0 ? null : scenarios[at + 1] ?? null;
        if (next) {
            element.setAttribute('next-href', playerHref(next.id, element.getAttribute('mode') || 'practice'));
            element.setAttribute('next-title', next.title);
        }
    });

    const { help } = await config;
    if (help.href) element.setAttribute('help-href', help.href);
    if (help.text) element.setAttribute('help-text', help.text);
    main.replaceChildren(
        h('nav', { 'aria-label': 'Library' }, h('a', { class: 'att-back', href: 'index.html', text: '← All scenarios' })),
        h('h1', { class: 'att-sr', text: 'Attunement: empathy practice' }),
        element);
}

/// The learner's progress in each mode, as the widget records it
/// (attunement:ID:MODE:status = "in-progress" | "done"); [] when storage cannot be read.
function progress(scenario) {
    try {
        return MODES.flatMap(([mode, label]) => {
            const status = STATUS[localStorage.getItem(`attunement:${scenario}:${mode}:status`)];
            return status ? [{ mode, text: `${label}: ${status}`, going: status === STATUS['in-progress'] }] : [];
        });
    } catch {
        return [];
    }
}

function card(sc) {
    const notes = Array.isArray(sc.content_notes) ? sc.content_notes : [];
    const minutes = Number(sc.minutes);
    const meta = [
        LEVELS[sc.level],
        sc.peer && `with ${sc.peer}`,
        minutes > 0 && `about ${minutes} minute${minutes === 1 ? '' : 's'}`,
    ].filter(Boolean).join(' · ');
    const status = progress(sc.id);
    // Heavy content first: the content note comes before the summary, in reading order and on screen.
    return h('li', {}, h('article', { class: 'att-card', 'data-level': LEVELS[sc.level] ? sc.level : null, 'data-scenario': sc.id },
        h('h3', { text: sc.title }),
        meta && h('p', { class: 'att-card-meta', text: meta.charAt(0).toUpperCase() + meta.slice(1) }),
        status.length > 0 && h('p', { class: 'att-card-status' }, h('span', { class: 'att-sr', text: 'Your progress: ' }), status.map(s => s.text).join(' · ')),
        notes.length > 0 && h('p', { class: 'att-card-notes' }, h('strong', { text: 'Content note: ' }), notes.join('; ')),
        sc.summary && h('p', { class: 'att-card-summary', text: sc.summary }),
        languages(sc),
        h('div', { class: 'att-card-actions' },
            MODES.map(([mode, label], i) => {
                // A conversation under way is picked up where it was left.
                const text = status.some(s => s.mode === mode && s.going) ? `Continue ${label.toLowerCase()}` : label;
                return h('a', { class: `att-link-btn${i ? '' : ' att-link-btn-primary'}`, href: playerHref(sc.id, mode), 'aria-label': `${text}: ${sc.title}`, text });
            }))));
}

// The languages a scenario is in, when it has translations: a choice that sets the card's links.
// Each name is in its own language (and marked so, for screen readers).
function languages(sc) {
    const list = (Array.isArray(sc.translations) ? sc.translations : []).filter(t => t && isLangTag(t.language));
    if (!list.length) return null;
    const name = `lang-${sc.id}`;
    const set = lang => {
        for (const a of main.querySelectorAll(`[data-scenario="${sc.id}"] .att-card-actions a`)) {
            const url = new URL(a.href);
            if (lang === sc.language) url.searchParams.delete('lang');
            else url.searchParams.set('lang', lang);
            a.href = url.href;
        }
    };
    return h('fieldset', { class: 'att-card-langs' },
        h('legend', { text: 'Language' }),
        [{ language: sc.language || 'en' }, ...list].map((t, i) => h('label', { lang: t.language },
            h('input', { type: 'radio', name, value: t.language, checked: i === 0, onchange: e => e.target.checked && set(t.language) }), ' ', languageName(t.language))));
}

// "How you respond": radio buttons that set the reply of every scenario's links.
function replyChoice() {
    const now = replyPref();
    const set = value => {
        try { localStorage.setItem(REPLY_KEY, value); } catch { /* a preference only */ }
        for (const a of main.querySelectorAll('.att-card-actions a')) {
            const url = new URL(a.href);
            if (value === 'choose') url.searchParams.delete('reply');
            else url.searchParams.set('reply', value);
            a.href = url.href;
        }
    };
    return h('fieldset', { class: 'att-reply-choice' },
        h('legend', { text: 'How you respond' }),
        REPLIES.map(([value, label]) => h('label', {},
            h('input', { type: 'radio', name: 'reply', value, checked: value === now, onchange: e => e.target.checked && set(value) }), ' ', label)),
        h('p', { class: 'att-reply-note', text: 'What you write is read on this device. It is sent nowhere unless this site is set up to record it.' }));
}

async function library() {
    let scenarios;
    try {
        scenarios = (await loadIndex()).filter(s => s && typeof s.id === 'string' && typeof s.title === 'string');
    } catch (e) {
        main.replaceChildren(h('p', { class: 'att-page-error', role: 'alert', text: `The scenario library could not be loaded (${e.message}). Try reloading the page.` }));
        return;
    }
    main.replaceChildren(
        h('h1', { text: 'Practise empathetic engagement' }),
        h('p', { class: 'att-lede', text: 'Talk with a simulated peer, choose how to respond, and watch how their trust grows or falls, and why.' }),
        h('ul', { class: 'att-modes' },
            h('li', {}, h('strong', { text: 'Practice' }), ': after each response, see the skill you used and how it moved trust, and try a different response if you like.'),
            h('li', {}, h('strong', { text: 'Assessment' }), ': play the conversation through; all the feedback waits for the debrief at the end.')),
        replyChoice(),
        h('h2', { text: 'Scenarios' }),
        ...(scenarios.length
            ? [h('p', { class: 'att-path-intro', text: 'In a suggested order: the first is a gentle start, and you can begin anywhere.' }),
                h('ol', { class: 'att-library att-path' }, scenarios.map(card))]
            : [h('p', { text: 'There are no scenarios in the library yet.' })]));
}

if (id && /^[A-Za-z0-9_-]+$/.test(id)) player();
else library();
