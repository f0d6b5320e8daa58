// embed.js: the page script of embed.html. Reads ?scenario=ID&mode=practice|assessment (and,
// for hosts, optional seed, help-href, help-text and no-save) and puts one <attunement-sim>
// on the page, or says plainly what is missing.
import './attunement-sim.js';

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const id = params.get('scenario') || '';

if (/^[A-Za-z0-9_-]+$/.test(id)) {
    const element = document.createElement('attunement-sim');
    element.setAttribute('src', `scenarios/${id}.json`);
    element.setAttribute('mode', params.get('mode') || 'practice');
    for (const name of ['seed', 'help-href', 'help-text']) {
        if (params.has(name)) element.setAttribute(name, params.get(name));
    }
    if (params.has('no-save')) element.setAttribute('no-save', '');
    main.append(element);
} else {
    const p = document.createElement('p');
    p.className = 'att-page-error';
    p.setAttribute('role', 'alert');
    p.textContent = 'No scenario to show: this page needs ?scenario=ID, where ID is a scenario of the library, for example ?scenario=first-meeting&mode=practice.';
    main.append(p);
}
