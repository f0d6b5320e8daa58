// preview.js: the page script of preview.html. Reads ?src=URL (a same-origin scenario, TOML or
// JSON) and ?mode=, and shows one watching <attunement-sim>: saving the file reloads it, and
// errors show with file:line:col until they are fixed. Progress is not saved between previews.
// The page's words come from the library catalogue (www/i18n/library.LANG.json), in the interface
// language: ?lang= when it is given (the element's lang too when the interface has it, as on
// embed.html), else the page's.
import en from '../i18n/library.en.js';
import '../widget/element.js';
import { catalogue, choose, localise, supported } from '../widget/i18n.js';
import { langParam } from './site-config.js';

const main = document.getElementById('main');
const about = document.getElementById('about');
const params = new URLSearchParams(location.search);
const src = params.get('src') || '';
const lang = langParam(params);

const words = catalogue('library', en);
const { t } = words;
await words.use(choose(lang, document.documentElement.lang));
localise(document, words);

let url = null;
try {
    url = new URL(src, location.href);
} catch { /* reported below */ }

if (src && url && url.origin === location.origin) {
    about.textContent = t('preview.previewing', { path: url.pathname });
    const element = document.createElement('attunement-sim');
    if (supported(lang)) element.setAttribute('lang', lang);
    element.setAttribute('src', url.pathname + url.search);
    element.setAttribute('mode', params.get('mode') || 'practice');
    element.setAttribute('watch', '');
    element.setAttribute('no-save', '');
    main.append(element);
} else {
    about.setAttribute('role', 'alert');
    about.textContent = t('preview.nothing');
}
