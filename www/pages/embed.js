// embed.js: the page script of embed.html, the bare widget for iframes. It reads the query string
// and the site's settings (docs/embedding.md), and puts one <attunement-sim> on the page, or says
// what is missing. In a frame it posts the page's height, the point to scroll to and the
// element's events to the parent as versioned messages `{ source: "attunement", version, type, … }`.
// Invariants: the address chooses the scenario, the mode and the seed, and a cmi5 launch only to
// origins the site allows. Messages go only to a parent origin the site allows (embed.parentOrigins,
// else this page's own), never to "*", never before the settings are known; only the parent's
// hello is heeded; the save leaves only with embed.includeSave; the element is put on the page,
// and so restores or saves, only once embed.save is known.
// The page's words are five of the library catalogue's (www/i18n/library.LANG.json), compiled
// apart as the embed subset (scripts/messages.mjs SUBSETS) so the learner's download leaves out
// the rest, in the interface language: ?lang= when it is given, else the page's own <html lang>.
// A ?lang= the interface has (www/widget/i18n.js's LANGUAGES) is the element's lang too, so the
// widget's words are in it, whether or not the library has the scenario in it; any other leaves
// the widget to choose.
import en from '../i18n/embed.en.js';
import '../widget/element.js';
import { catalogue, choose, localise, supported } from '../widget/i18n.js';
import { langParam, originOf, preload, scenarioFile, siteConfig, warnIgnored } from './site-config.js';

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const id = params.get('scenario') || '';
const lang = langParam(params);

const words = catalogue('embed', en);
const { t } = words;
// The page's words in the interface language, once its catalogue is here; before that, the
// page's HTML reads in English.
const ready = words.use(choose(lang, document.documentElement.lang)).then(() => localise(document, words));

// cmi5 launch parameters and the attributes they stand for (lms/xapi.js reads them: docs/xapi.md).
const CMI5 = { endpoint: 'xapi-endpoint', fetch: 'xapi-fetch', actor: 'xapi-actor', activityId: 'xapi-activity', registration: 'xapi-registration' };
const EVENTS = ['start', 'resume', 'choice', 'complete', 'skip'];

warnIgnored(params, 'embed.html');
if (/^[A-Za-z0-9_-]+$/.test(id)) {
    // The scenario downloads while the settings do (the wasm is preloaded by embed.html); with
    // ?lang=LANG, its translation into LANG when the library has one.
    const src = lang ? scenarioFile(id, lang) : `scenarios/${id}.attn`;
    if (!lang) preload(src);
    const element = document.createElement('attunement-sim');
    // The widget's words in LANG (when the interface has it), whether or not the scenario is.
    if (supported(lang)) element.setAttribute('lang', lang);
    // The page's title names the scenario once it is known (and after localise(), which would
    // put the page's own title back).
    element.addEventListener('attunement-ready', e => {
        const { title } = e.detail.scenario;
        ready.then(() => { document.title = t('page.scenario_title', { title }); });
    });
    element.setAttribute('src', await src);
    element.setAttribute('mode', params.get('mode') || 'practice');
    if (params.has('seed')) element.setAttribute('seed', params.get('seed'));
    // How the learner responds (choose, write or both): the element checks the value.
    if (params.has('reply')) element.setAttribute('reply', params.get('reply'));
    const configured = siteConfig();
    // Listen to the parent before the settings come, so that a hello sent meanwhile is kept.
    if (window.parent !== window) talk(element, configured);
    const config = await configured;
    if (!config.embed.save) element.setAttribute('no-save', '');
    if (config.help.href) element.setAttribute('help-href', config.help.href);
    if (config.help.text) element.setAttribute('help-text', config.help.text);
    const refused = params.has('endpoint') ? launch(element, config.xapi.allowedOrigins) : null;
    await ready;
    if (refused) main.append(notice(refused));
    main.append(element);
} else {
    const p = document.createElement('p');
    p.className = 'att-page-error';
    p.setAttribute('role', 'alert');
    await ready;
    p.textContent = t('embed.missing');
    main.append(p);
}

// A cmi5 launch becomes xapi-* attributes when the site allows the origins of its endpoint and
// its fetch URL; else nothing is set, and this returns what is not allowed.
function launch(element, allowed) {
    for (const name of ['endpoint', 'fetch']) {
        const origin = originOf(params.get(name));
        if (params.has(name) && !allowed.includes(origin)) {
            console.warn(`attunement: this cmi5 launch is refused, so nothing is reported: its ${name} ${JSON.stringify(params.get(name))} is not on an origin the site allows (xapi.allowedOrigins in attunement.config.json)`);
            return origin || params.get(name);
        }
    }
    for (const [from, to] of Object.entries(CMI5)) if (params.has(from)) element.setAttribute(to, params.get(from));
    return null;
}

function notice(where) {
    const p = document.createElement('p');
    p.className = 'att-page-notice';
    p.setAttribute('role', 'alert');
    p.textContent = t('embed.refused', { where });
    return p;
}

// The talk with the parent, once `configured` gives the allowed origins. The parent's own comes
// from ancestorOrigins or the referrer, or from a hello; until it is known to be allowed, event
// messages wait in a short queue, and hellos wait for the settings.
function talk(element, configured) {
    let embed = null, target = null, known = location.ancestorOrigins?.[0];
    try { known ||= new URL(document.referrer).origin; } catch { /* no referrer */ }
    const queue = [], early = [];
    const post = message => parent.postMessage({ source: 'attunement', ...message }, target);
    const send = message => (target ? post(message) : queue.length < 100 && queue.push(message));

    // Height: the content's, in whole CSS pixels. The shell's min-height of 100vh would keep the
    // frame from ever shrinking, so it goes; the body's background still fills the frame.
    let last = -1, frame = 0, reveal = null;
    document.body.style.minHeight = element.style.minHeight = '0';
    const height = force => {
        const h = Math.ceil(document.documentElement.getBoundingClientRect().height);
        if (target && (force || h !== last)) {
            last = h;
            post({ version: 1, type: 'height', height: h });
            if (embed.ltiResize) parent.postMessage({ subject: 'lti.frameResize', height: h }, target);
        }
    };
    const flush = () => {
        frame = 0;
        height(false);
        if (reveal && target) post(reveal);
        reveal = null;
    };
    const observer = new ResizeObserver(() => { frame ||= requestAnimationFrame(flush); });
    observer.observe(document.documentElement);
    observer.observe(document.body);

    // No event comes before the settings (the element is not on the page); one would lack the save.
    for (const type of EVENTS) {
        element.addEventListener(`attunement-${type}`, ({ detail: { save, ...detail } }) => send(embed?.includeSave && save != null ? { ...detail, save } : detail));
    }
    // Where the learner's eyes should be (after Continue, each turn, Start over): the frame is as
    // tall as its content, so only the parent can scroll there. Only the latest one matters.
    // It goes after the height that the same change brings, so the parent has room to scroll.
    element.addEventListener('attunement-reveal', ({ detail: { top, bottom } }) => {
        reveal = { version: 1, type: 'scroll', top, bottom };
        frame ||= requestAnimationFrame(flush);
    });

    const hello = origin => {
        if (!embed.parentOrigins.includes(origin)) return;
        target = origin;
        queue.splice(0).forEach(post);
        height(true);
    };
    addEventListener('message', e => {
        if (e.source !== parent || e.data?.source !== 'attunement-host' || e.data.type !== 'hello') return;
        if (embed) hello(e.origin);
        else if (early.length < 10) early.push(e.origin);
    });

    configured.then(config => {
        ({ embed } = config);
        const allowed = embed.parentOrigins;
        target = known ? (allowed.includes(known) ? known : null) : (allowed.length === 1 ? allowed[0] : null);
        height(false);
        early.splice(0).forEach(hello);
    });
}
