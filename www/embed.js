// embed.js: the page script of embed.html, the bare widget for iframes. It reads the query string
// (docs/embedding.md lists every parameter) and the site's settings, and puts one
// <attunement-sim> on the page, or says plainly what is missing. In a frame it also talks to the
// parent window: the page's height, and the element's events, as versioned messages
// `{ source: "attunement", version, type, … }`.
// Invariants: the address never decides where help points or where data goes: a cmi5 launch is
// taken only for origins the site allows, else refused with a notice. A message goes only to a
// parent origin the host allowed (`parent-origin`, else this page's own origin), never to "*"; a
// message is heeded only from the parent window at an allowed origin; the save string leaves
// only with `include-save`.
import './attunement-sim.js';
import { originOf, siteConfig, warnIgnored } from './site-config.js';

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const id = params.get('scenario') || '';

// cmi5 launch parameters and the attributes they stand for (lms/xapi.js reads them: docs/xapi.md).
const CMI5 = { endpoint: 'xapi-endpoint', fetch: 'xapi-fetch', actor: 'xapi-actor', activityId: 'xapi-activity', registration: 'xapi-registration' };
const EVENTS = ['start', 'resume', 'choice', 'complete', 'skip'];

warnIgnored(params, 'embed.html');
if (/^[A-Za-z0-9_-]+$/.test(id)) {
    const element = document.createElement('attunement-sim');
    element.setAttribute('src', `scenarios/${id}.json`);
    element.setAttribute('mode', params.get('mode') || 'practice');
    if (params.has('seed')) element.setAttribute('seed', params.get('seed'));
    if (params.has('no-save')) element.setAttribute('no-save', '');
    // Listen to the parent before waiting for the site's settings, so that
    // a hello sent meanwhile is not lost.
    if (window.parent !== window) talk(element);
    const config = await siteConfig();
    if (config.help.href) element.setAttribute('help-href', config.help.href);
    if (config.help.text) element.setAttribute('help-text', config.help.text);
    const refused = params.has('endpoint') ? launch(element, config.xapi.allowedOrigins) : null;
    if (refused) main.append(notice(refused));
    main.append(element);
} else {
    const p = document.createElement('p');
    p.className = 'att-page-error';
    p.setAttribute('role', 'alert');
    p.textContent = 'No scenario to show: this page needs ?scenario=ID, where ID is a scenario of the library, for example ?scenario=first-meeting&mode=practice.';
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
    p.textContent = `This activity was opened with a request to record your progress at ${where}, which this site does not allow, so nothing you do here is recorded or sent anywhere. You can still practise; if your course expects a record of it, tell whoever runs the course.`;
    return p;
}

// The allowed parent origins: those of `parent-origin` (repeated, or a list split by commas or
// spaces), else this page's own. The parent's actual origin comes from ancestorOrigins or the
// referrer where the browser gives one, or from a hello message; until it is known to be allowed,
// event messages wait in a short queue.
function talk(element) {
    const given = params.getAll('parent-origin');
    const allowed = (given.length ? given.flatMap(v => v.split(/[\s,]+/)) : [location.origin]).flatMap(v => {
        try { const u = new URL(v); return /^https?:$/.test(u.protocol) ? [u.origin] : []; } catch { return []; }
    });
    let known = location.ancestorOrigins?.[0];
    try { known ||= new URL(document.referrer).origin; } catch { /* no referrer */ }
    let target = known ? (allowed.includes(known) ? known : null) : (allowed.length === 1 ? allowed[0] : null);
    const queue = [];
    const post = message => parent.postMessage({ source: 'attunement', ...message }, target);
    const send = message => (target ? post(message) : queue.length < 100 && queue.push(message));

    // Height: the content's, in whole CSS pixels. The shell's min-height of 100vh would keep the
    // frame from ever shrinking, so it goes; the body's background still fills the frame.
    let last = -1, frame = 0;
    document.body.style.minHeight = element.style.minHeight = '0';
    const height = force => {
        const h = Math.ceil(document.documentElement.getBoundingClientRect().height);
        if (target && (force || h !== last)) {
            last = h;
            post({ version: 1, type: 'height', height: h });
            if (params.has('lti-resize')) parent.postMessage({ subject: 'lti.frameResize', height: h }, target);
        }
    };
    const observer = new ResizeObserver(() => { frame ||= requestAnimationFrame(() => { frame = 0; height(false); }); });
    observer.observe(document.documentElement);
    observer.observe(document.body);

    const withSave = params.has('include-save');
    for (const type of EVENTS) {
        element.addEventListener(`attunement-${type}`, ({ detail: { save, ...detail } }) => send(withSave && save != null ? { ...detail, save } : detail));
    }

    addEventListener('message', e => {
        if (e.source !== parent || !allowed.includes(e.origin) || e.data?.source !== 'attunement-host' || e.data.type !== 'hello') return;
        target = e.origin;
        queue.splice(0).forEach(post);
        height(true);
    });
}
