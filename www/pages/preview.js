// preview.js: the page script of preview.html. Reads ?src=URL (a same-origin scenario, TOML or
// JSON) and ?mode=, and shows one watching <attunement-sim>: saving the file reloads it, and
// errors show with file:line:col until they are fixed. Progress is not saved between previews.
import '../widget/element.js';

const main = document.getElementById('main');
const about = document.getElementById('about');
const params = new URLSearchParams(location.search);
const src = params.get('src') || '';

let url = null;
try {
    url = new URL(src, location.href);
} catch { /* reported below */ }

if (src && url && url.origin === location.origin) {
    about.textContent = `Previewing ${url.pathname}: save the file and this page reloads the scenario.`;
    const element = document.createElement('attunement-sim');
    element.setAttribute('src', url.pathname + url.search);
    element.setAttribute('mode', params.get('mode') || 'practice');
    element.setAttribute('watch', '');
    element.setAttribute('no-save', '');
    main.append(element);
} else {
    about.setAttribute('role', 'alert');
    about.textContent = 'Nothing to preview: this page needs ?src= with the address of a scenario on this server, such as ?src=/author/my-scenario.toml (scripts/preview.sh prints it).';
}
