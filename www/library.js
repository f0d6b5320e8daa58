// library.js: the page script of index.html. Without ?scenario it lists the library from
// scenarios/index.json (title, peer, minutes, summary, content notes, practice and assessment
// links); with ?scenario=ID&mode=… it shows that scenario's <attunement-sim> and a way back.
// The address chooses the scenario, the mode and the seed only: where "Get help now" points is
// the site's setting (site-config.js), never a link's.
import './attunement-sim.js';
import { siteConfig, warnIgnored } from './site-config.js';

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const id = params.get('scenario');

function h(tag, props = {}, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else el.setAttribute(k, v);
    }
    el.append(...kids.flat().filter(k => k != null && k !== false));
    return el;
}

async function player() {
    warnIgnored(params, 'index.html');
    const config = await siteConfig();
    const element = document.createElement('attunement-sim');
    element.setAttribute('src', `scenarios/${id}.json`);
    element.setAttribute('mode', params.get('mode') || 'practice');
    if (params.has('seed')) element.setAttribute('seed', params.get('seed'));
    if (config.help.href) element.setAttribute('help-href', config.help.href);
    if (config.help.text) element.setAttribute('help-text', config.help.text);
    // Skipping a scenario (its content note) returns to the library.
    element.addEventListener('attunement-skip', () => location.assign('index.html'));
    main.replaceChildren(
        h('nav', { 'aria-label': 'Library' }, h('a', { class: 'att-back', href: 'index.html', text: '← All scenarios' })),
        h('h1', { class: 'att-sr', text: 'Attunement: empathy practice' }),
        element);
}

function card(sc) {
    const open = mode => `index.html?scenario=${encodeURIComponent(sc.id)}&mode=${mode}`;
    const notes = sc.content_notes || [];
    return h('li', {}, h('article', { class: 'att-card' },
        h('h3', { text: sc.title }),
        h('p', { class: 'att-card-meta', text: `With ${sc.peer} · about ${sc.minutes} minute${sc.minutes === 1 ? '' : 's'}` }),
        h('p', { text: sc.summary }),
        notes.length > 0 && h('p', { class: 'att-card-notes' }, h('strong', { text: 'Content note: ' }), notes.join('; ')),
        h('div', { class: 'att-card-actions' },
            h('a', { class: 'att-link-btn att-link-btn-primary', href: open('practice'), 'aria-label': `Practice: ${sc.title}`, text: 'Practice' }),
            h('a', { class: 'att-link-btn', href: open('assessment'), 'aria-label': `Assessment: ${sc.title}`, text: 'Assessment' }))));
}

async function library() {
    let scenarios;
    try {
        const response = await fetch('scenarios/index.json');
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        scenarios = (await response.json()).scenarios || [];
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
        h('h2', { text: 'Scenarios' }),
        scenarios.length
            ? h('ul', { class: 'att-library' }, scenarios.map(card))
            : h('p', { text: 'There are no scenarios in the library yet.' }));
}

if (id && /^[A-Za-z0-9_-]+$/.test(id)) player();
else library();
