// i18n.js: the interface's languages. Every word the widget and the pages show comes from a
// message catalogue (www/i18n/AREA.LANG.json, ICU MessageFormat), compiled at build time into
// functions (scripts/messages.mjs): a page's script carries English, and each other language is
// fetched from www/lang/ only by a learner who reads it. A message a catalogue lacks falls back to
// English (scripts/messages.mjs --check, in CI, reports every one).

/// The interface languages shipped (BCP 47): each has a catalogue for every area.
export const LANGUAGES = ['en', 'es', 'fr', 'de', 'pt-BR', 'ar'];

/// Languages written right to left (BCP 47 primary subtags, and Kurdish in Arabic script).
const RTL = /^(ar|arc|ckb|dv|fa|he|ks|ku-Arab|ps|sd|ug|ur|yi)(-|$)/i;
export const rtl = tag => RTL.test(tag || '');

/// The shipped language for a BCP 47 tag: the same tag, else the same language (es-MX is es,
/// pt-PT is pt-BR), else null.
export function supported(tag) {
  if (typeof tag !== 'string' || !tag.trim()) return null;
  const t = tag.trim().toLowerCase(), base = t.split('-')[0];
  return LANGUAGES.find(l => l.toLowerCase() === t) || LANGUAGES.find(l => l.split('-')[0].toLowerCase() === base) || null;
}

/// The interface language from the first of `tags` (the element's lang, the scenario's, the
/// page's) that is shipped; English when none is.
export const choose = (...tags) => tags.map(supported).find(Boolean) || 'en';

/// In a right-to-left language each text put into a message is isolated (U+2068 … U+2069), so an
/// English word, a URL or a signed number in it keeps its own order and does not reorder the
/// sentence around it. Numbers (plural and number arguments) stay numbers.
const isolated = (args, on) => (on ? Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'string' ? `\u2068${v}\u2069` : v])) : args);

/// One area's catalogues (`english` is its compiled English one). `t(id, args)` formats a message
/// in the language in use; `use(lang)` fetches that language's catalogue (once) and then uses it,
/// and on failure keeps English and says why on the console. `lang` and `dir` are what is in use.
/// `load(lang)` resolves to a language's compiled catalogue: by default its module in www/lang/.
export function catalogue(area, english, load = l => import(new URL(`./lang/${area}.${l}.js`, import.meta.url).href).then(m => m.default)) {
  const loaded = new Map([['en', Promise.resolve(english)]]);
  let messages = english, lang = 'en';
  return {
    get lang() { return lang; },
    get dir() { return rtl(lang) ? 'rtl' : 'ltr'; },
    t(id, args) {
      const f = messages[id] || english[id];
      return f ? f(isolated(args || {}, rtl(lang))) : id;
    },
    /// Number, date and list formats of the language in use, through Intl.
    number: (n, options) => new Intl.NumberFormat(lang, options).format(n),
    date: (d, options) => new Intl.DateTimeFormat(lang, options).format(d),
    list: (items, type = 'conjunction') => new Intl.ListFormat(lang, { type }).format(items),
    /// The plural category of `n` written with `options` in the language in use ('one', 'other',
    /// …): "1,5 reflet" is singular in French, "1.5 reflections" plural in English.
    plural: (n, options) => new Intl.PluralRules(lang, options).select(n),
    async use(tag) {
      const l = supported(tag) || 'en';
      if (!loaded.has(l)) loaded.set(l, load(l));
      try {
        messages = await loaded.get(l);
        lang = l;
      } catch (e) {
        loaded.delete(l);
        console.warn(`attunement: the ${l} words for the ${area} could not be loaded (${e?.message || e}); English is shown instead`);
        messages = english;
        lang = 'en';
      }
      return lang;
    },
  };
}

/// Puts a page's own words (its HTML is written in English, so it reads before any script runs)
/// into the language in use: `data-i18n="id"` sets an element's text (use it on elements holding
/// only text), `data-i18n-attrs="aria-label=id placeholder=id2"` sets attributes. The page's
/// `lang` and `dir` follow.
export function localise(root, { t, lang, dir }) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attrs]')) {
    for (const pair of el.dataset.i18nAttrs.trim().split(/\s+/)) {
      const [attr, id] = pair.split('=');
      el.setAttribute(attr, t(id));
    }
  }
  const html = root.documentElement || root;
  html.setAttribute?.('lang', lang);
  html.setAttribute?.('dir', dir);
}

// The engine's own words (skill labels and reasons, moods, the debrief's advice) in
// a language: www/lang/engine.LANG.json, fetched once; English is the engine's own. The words are
// the engine module's, so every widget on that module shows the language set last.
const engineWords = new Map();
/// Sets the words of engine module `m` (the learner's or the report's) in `lang`; English when
/// they cannot be fetched, with a console warning.
export async function setEngineWords(m, lang) {
  if (lang === 'en') { m.setWords('{}'); return; }
  if (!engineWords.has(lang)) {
    engineWords.set(lang, fetch(new URL(`./lang/engine.${lang}.json`, import.meta.url).href)
      .then(r => { if (!r.ok) throw new Error(`engine.${lang}.json: HTTP ${r.status}`); return r.text(); })
      .catch(e => { engineWords.delete(lang); throw e; }));
  }
  try {
    m.setWords(await engineWords.get(lang));
  } catch (e) {
    console.warn(`attunement: the engine's ${lang} words could not be loaded (${e?.message || e}); they are shown in English`);
    m.setWords('{}');
  }
}

