// embed.js: the page script of embed.html, the bare widget for iframes. It reads the query string
// (docs/embedding.md lists every parameter) and puts one <attunement-sim> on the page, or says
// plainly what is missing. In a frame it also talks to the parent window: the page's height, and
// the element's events, as versioned messages `{ source: "attunement", version, type, … }`.
// Invariants: a message goes only to a parent origin the host allowed (`parent-origin`, else this
// page's own origin), never to "*"; a message is heeded only from the parent window at an allowed
// origin; the save string leaves only with `include-save`.
import './attunement-sim.js';

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const id = params.get('scenario') || '';

// Copied onto the element as they are; lms/xapi.js reads the xapi-* ones (docs/xapi.md).
const PASS = ['seed', 'help-href', 'help-text', 'xapi-endpoint', 'xapi-auth', 'xapi-fetch', 'xapi-actor', 'xapi-activity', 'xapi-registration'];
// cmi5 launch parameters and the attributes they stand for; an explicit xapi-* one wins.
const CMI5 = { endpoint: 'xapi-endpoint', fetch: 'xapi-fetch', actor: 'xapi-actor', activityId: 'xapi-activity', registration: 'xapi-registration' };
const EVENTS = ['start', 'resume', 'choice', 'complete', 'skip'];

if (/^[A-Za-z0-9_-]+$/.test(id)) {
    const element = document.createElement('attunement-sim');
    element.setAttribute('src', `scenarios/${id}.json`);
    element.setAttribute('mode', params.get('mode') || 'practice');
    for (const [from, to] of Object.entries(CMI5)) if (params.has(from)) element.setAttribute(to, params.get(from));
    for (const name of PASS) if (params.has(name)) element.setAttribute(name, params.get(name));
    if (params.has('no-save')) element.setAttribute('no-save', '');
    if (window.parent !== window) talk(element);
    main.append(element);
} else {
    const p = document.createElement('p');
    p.className = 'att-page-error';
    p.setAttribute('role', 'alert');
    p.textContent = 'No scenario to show: this page needs ?scenario=ID, where ID is a scenario of the library, for example ?scenario=first-meeting&mode=practice.';
    main.append(p);
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
