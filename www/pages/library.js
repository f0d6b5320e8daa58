// library.js: the page script of index.html. Without ?scenario it shows the library from
// scenarios/index.json as a path: the scenarios in the file's order (the suggested one, which
// `attunement library` writes), numbered, each card with its level, peer and minutes, the
// learner's progress per mode, the content note before the summary, and practice and assessment
// links. With ?scenario=ID&mode=… it shows that scenario's <attunement-sim>, a way back, a page
// title that names the scenario and, for the widget's debrief, the next scenario on the path.
// The address chooses the scenario, the mode and the seed only: where "Get help now" points is
// the site's setting (site-config.js), never a link's.
// Every word the page shows comes from the library catalogue (www/i18n/library.LANG.json), in the
// interface language: ?lang= when it is given (it also opens the scenario's translation, and is
// the player's interface language), else the page's own <html lang>.
import en from '../i18n/library.en.js';
import '../widget/element.js';
import { h } from '../widget/dom.js';
import { catalogue, choose, localise, supported } from '../widget/i18n.js';
import { isLangTag, langParam, preload, scenarioFile, siteConfig, translationFor, warnIgnored } from './site-config.js';

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const id = params.get('scenario');

const words = catalogue('library', en);
const { t } = words;
// The page's words in the interface language, once its catalogue is here; before that, the
// page's HTML reads in English.
const ready = words.use(choose(langParam(params), document.documentElement.lang)).then(() => localise(document, words));

const LEVELS = ['introductory', 'intermediate', 'advanced'];
const MODES = ['practice', 'assessment'];
const STATUS = { 'in-progress': 'in_progress', done: 'done' };

/// The message `id` with the element `el` where its placeholder `name` is: [text, el, text].
function withElement(id, name, el) {
    const MARK = '\uE000';
    const [before, after = ''] = t(id, { [name]: MARK }).split(MARK);
    return [before, el, after];
}

/// The scenarios of scenarios/index.json, in the file's order; throws with a short reason.
async function loadIndex() {
    const response = await fetch('scenarios/index.json');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const scenarios = (await response.json()).scenarios;
    return Array.isArray(scenarios) ? scenarios : [];
}

// How the learner responds (the element's reply attribute): the library offers the choice and
// remembers it on this device; the address carries it to the player.
const REPLIES = ['choose', 'write', 'both'];
const REPLY_KEY = 'attunement:reply';
const replyPref = () => {
    try { const r = localStorage.getItem(REPLY_KEY); return REPLIES.includes(r) ? r : 'choose'; } catch { return 'choose'; }
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
    // In the learner's language when the library has the scenario in it (?lang=es); the
    // widget's words are in that language whether or not it has, when the interface has it.
    if (supported(lang)) element.setAttribute('lang', lang);
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

    // The title waits for the page's words, so that localise() does not put the library's back.
    Promise.all([index, ready]).then(([scenarios]) => {
        if (!scenarios) return;
        const at = scenarios.findIndex(s => s && s.id === id);
        document.title = at < 0 ? t('library.player.not_found_title') : t('page.scenario_title', { title: translationFor(scenarios[at], lang)?.title || scenarios[at].title });
        next = at < 0 ? null : scenarios[at + 1] ?? null;
        if (next) {
            element.setAttribute('next-href', playerHref(next.id, element.getAttribute('mode') || 'practice'));
            // The next-href carries ?lang=, so it opens in the translation the library has.
            element.setAttribute('next-title', translationFor(next, lang)?.title || next.title);
        }
    });

    const [{ help }] = await Promise.all([config, ready]);
    if (help.href) element.setAttribute('help-href', help.href);
    if (help.text) element.setAttribute('help-text', help.text);
    main.replaceChildren(
        h('nav', { 'aria-label': t('library.player.nav') }, h('a', { class: 'att-back', href: 'index.html', text: t('library.player.back') })),
        h('h1', { class: 'att-sr', text: t('page.heading') }),
        element);
}

/// The learner's progress in each mode, as the widget records it
/// (attunement:ID:MODE:status = "in-progress" | "done"); [] when storage cannot be read.
function progress(scenario) {
    try {
        return MODES.flatMap(mode => {
            const status = STATUS[localStorage.getItem(`attunement:${scenario}:${mode}:status`)];
            return status ? [{ mode, text: t(`library.card.progress.${status}`, { mode: t(`library.mode.${mode}`) }), going: status === 'in_progress' }] : [];
        });
    } catch {
        return [];
    }
}

function card(sc) {
    const notes = Array.isArray(sc.content_notes) ? sc.content_notes : [];
    const minutes = Number(sc.minutes);
    const level = LEVELS.includes(sc.level) ? sc.level : null;
    const meta = [
        level && t(`library.level.${level}`),
        sc.peer && t('library.card.peer', { peer: sc.peer }),
        minutes > 0 && t('library.card.minutes', { minutes }),
    ].filter(Boolean).join(t('library.card.separator'));
    const status = progress(sc.id);
    // The scenario's own words carry its language where the interface's differs (screen readers).
    const own = isLangTag(sc.language) && sc.language !== words.lang ? sc.language : null;
    // Heavy content first: the content note comes before the summary, in reading order and on screen.
    return h('li', {}, h('article', { class: 'att-card', 'data-level': level, 'data-scenario': sc.id },
        h('h3', { lang: own, text: sc.title }),
        meta && h('p', { class: 'att-card-meta', text: meta.charAt(0).toLocaleUpperCase(words.lang) + meta.slice(1) }),
        status.length > 0 && h('p', { class: 'att-card-status' }, h('span', { class: 'att-sr', text: t('library.card.progress') }), status.map(s => s.text).join(t('library.card.separator'))),
        notes.length > 0 && h('p', { class: 'att-card-notes' }, h('strong', { text: t('library.card.content_note') }), h('span', { lang: own, text: notes.join(t('library.card.content_note.separator')) })),
        sc.summary && h('p', { class: 'att-card-summary', lang: own, text: sc.summary }),
        languages(sc),
        h('div', { class: 'att-card-actions' },
            MODES.map((mode, i) => {
                // A conversation under way is picked up where it was left.
                const text = t(status.some(s => s.mode === mode && s.going) ? `library.card.continue.${mode}` : `library.mode.${mode}`);
                return h('a', { class: `att-link-btn${i ? '' : ' att-link-btn-primary'}`, href: playerHref(sc.id, mode), 'aria-label': t('library.card.action_label', { action: text, title: sc.title }), text });
            }))));
}

// The languages a scenario is in, when it has translations: a choice that sets the card's links.
// Each name is in its own language (and marked so, for screen readers).
function languages(sc) {
    const list = (Array.isArray(sc.translations) ? sc.translations : []).filter(tr => tr && isLangTag(tr.language));
    if (!list.length) return null;
    const name = `lang-${sc.id}`, source = sc.language || 'en';
    // The language chosen for the page (?lang=): its translation is the one chosen at first, as
    // the card's links open it; with none, the scenario's own language, in that interface language.
    const chosen = langParam(params), first = list.find(tr => tr === translationFor(sc, chosen)) || null;
    const set = lang => {
        for (const a of main.querySelectorAll(`[data-scenario="${sc.id}"] .att-card-actions a`)) {
            const url = new URL(a.href);
            if (lang !== source) url.searchParams.set('lang', lang);
            else if (chosen && !first) url.searchParams.set('lang', chosen);
            else url.searchParams.delete('lang');
            a.href = url.href;
        }
    };
    return h('fieldset', { class: 'att-card-langs' },
        h('legend', { text: t('library.card.language') }),
        [{ language: source }, ...list].map((tr, i) => h('label', { lang: tr.language },
            h('input', { type: 'radio', name, value: tr.language, checked: first ? tr === first : i === 0, onchange: e => e.target.checked && set(tr.language) }), ' ', languageName(tr.language))));
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
        h('legend', { text: t('library.reply.legend') }),
        REPLIES.map(value => h('label', {},
            h('input', { type: 'radio', name: 'reply', value, checked: value === now, onchange: e => e.target.checked && set(value) }), ' ', t(`library.reply.${value}`))),
        h('p', { class: 'att-reply-note', text: t('library.reply.note') }));
}

async function library() {
    let scenarios;
    try {
        [scenarios] = await Promise.all([loadIndex(), ready]);
        scenarios = scenarios.filter(s => s && typeof s.id === 'string' && typeof s.title === 'string');
    } catch (e) {
        await ready;
        main.replaceChildren(h('p', { class: 'att-page-error', role: 'alert', text: t('library.error', { reason: e.message }) }));
        return;
    }
    main.replaceChildren(
        h('h1', { text: t('library.heading') }),
        h('p', { class: 'att-lede', text: t('library.lede') }),
        h('ul', { class: 'att-modes' },
            MODES.map(mode => h('li', {}, withElement(`library.modes.${mode}`, 'mode', h('strong', { text: t(`library.mode.${mode}`) }))))),
        replyChoice(),
        h('h2', { text: t('library.scenarios') }),
        ...(scenarios.length
            ? [h('p', { class: 'att-path-intro', text: t('library.path.intro') }),
                h('ol', { class: 'att-library att-path' }, scenarios.map(card))]
            : [h('p', { text: t('library.empty') })]));
}

if (id && /^[A-Za-z0-9_-]+$/.test(id)) player();
else library();
