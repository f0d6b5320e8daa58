// scorm.js: the page script of scorm.html, the launch page of a SCORM package. Reads the
// package's scorm.json ({ scenario, mode, scorm }), which `attunement scorm` writes, and puts one
// <attunement-sim scorm="1.2|2004"> on the page; the element then loads lms/scorm.js, which finds
// the LMS and reports to it. Outside a package (tests, trying it out: www/ has no scorm.json)
// the same settings can come from the query string instead:
// scorm.html?scenario=ID&mode=assessment&scorm=1.2.
// Invariant: inside a package, the package alone decides the scenario, the mode and the SCORM
// edition; the address cannot turn a graded assessment into practice, with its feedback and
// undo, or swap the scenario the LMS grades.
import '../widget/element.js';

const main = document.getElementById('main');
const SETTINGS = ['scenario', 'mode', 'scorm'];

async function settings() {
    const params = new URLSearchParams(location.search);
    const response = await fetch(new URL('scorm.json', import.meta.url), { cache: 'no-cache' });
    if (response.ok) {
        const given = SETTINGS.filter(name => params.has(name));
        if (given.length) console.warn(`attunement: scorm.html ignores ${given.join(', ')} in its address: inside a SCORM package, the package's scorm.json decides them`);
        return response.json();
    }
    if (response.status === 404 && params.has('scenario')) {
        return Object.fromEntries(SETTINGS.map(name => [name, params.get(name)]));
    }
    throw new Error(`could not load scorm.json: HTTP ${response.status}`);
}

function fail(text) {
    const p = document.createElement('p');
    p.className = 'att-page-error';
    p.setAttribute('role', 'alert');
    p.textContent = text;
    main.append(p);
}

try {
    const { scenario, mode, scorm } = await settings();
    if (typeof scenario !== 'string' || !/^[A-Za-z0-9_-]+$/.test(scenario)) throw new Error('no scenario id');
    const element = document.createElement('attunement-sim');
    element.setAttribute('src', `scenarios/${scenario}.attn`);
    element.setAttribute('mode', mode || 'assessment');
    element.setAttribute('scorm', scorm === '2004' ? '2004' : scorm === '1.2' ? '1.2' : '');
    main.append(element);
} catch (e) {
    fail(`This course activity could not start (${e.message}). The package may be incomplete: build it again with \`attunement scorm\`.`);
}
