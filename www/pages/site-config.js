// site-config.js: the site's settings, which a link must never decide, from attunement.config.json
// beside the pages (docs/embedding.md). A missing file gives the defaults; a malformed file or
// value, the default for it and one console.warn naming the problem. Never throws.

const FILE = 'attunement.config.json';
const isObject = v => !!v && typeof v === 'object' && !Array.isArray(v);
const warn = text => console.warn(`attunement: ${FILE} ${text}`);

// embed.html's settings and their defaults (parentOrigins: this page's origin).
const EMBED = { parentOrigins: [], includeSave: false, save: true, ltiResize: false };

/// { help: { href, text } (null: the widget's default), xapi: { allowedOrigins }, embed: EMBED }.
export async function siteConfig() {
  const config = { help: { href: null, text: null }, xapi: { allowedOrigins: [] }, embed: { ...EMBED, parentOrigins: [location.origin] } };
  let value;
  try {
    const response = await fetch(new URL(FILE, import.meta.url), { cache: 'no-cache' });
    if (response.status === 404) return config;
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    value = await response.text();
  } catch (e) {
    return warn(`could not be read (${e.message}), so the defaults apply`), config;
  }
  try { value = JSON.parse(value); } catch (e) { return warn(`is not valid JSON (${e.message}), so the defaults apply`), config; }
  if (!isObject(value)) return warn('must hold a JSON object, such as {"help": {"href": "https://…"}}, so the defaults apply'), config;
  const problems = Object.keys(value).filter(k => !['help', 'xapi', 'embed', '$comment'].includes(k)).map(k => `unknown key "${k}" (known: help, xapi, embed)`);
  const { href, text } = isObject(value.help) ? value.help : {};
  if (href) {
    if (/^(https?|tel|mailto):$/.test(urlOf(href)?.protocol)) config.help.href = urlOf(href).href;
    else problems.push(`"help.href" ${JSON.stringify(href)} is not an https:, http:, tel: or mailto: link`);
  }
  if (typeof text === 'string') config.help.text = text || null;
  else if (text != null) problems.push('"help.text" is not a string');
  config.xapi.allowedOrigins = origins(value.xapi?.allowedOrigins, '"xapi.allowedOrigins"', problems);
  const embed = value.embed ?? {};
  if (!isObject(embed)) problems.push('"embed" is not an object');
  else for (const [key, v] of Object.entries(embed)) {
    const at = `"embed.${key}"`;
    if (key === 'parentOrigins') { const found = origins(v, at, problems); if (found.length) config.embed[key] = found; }
    else if (typeof EMBED[key] === 'boolean') typeof v === 'boolean' ? (config.embed[key] = v) : problems.push(`${at} ${JSON.stringify(v)} is not true or false`);
    else if (key !== '$comment') problems.push(`unknown key ${at} (known: ${Object.keys(EMBED).join(', ')})`);
  }
  if (problems.length) warn(`has problems, which are ignored: ${problems.join('; ')}`);
  return config;
}

/// The entries of `list` (one or a list) that are origins alone; the rest go to `problems`.
function origins(list, key, problems) {
  const found = [];
  for (const entry of [list ?? []].flat()) {
    const origin = originOf(entry);
    if (origin && origin === String(entry).replace(/\/$/, '')) found.push(origin);
    else problems.push(`${key} entry ${JSON.stringify(entry)} is not an origin (scheme, host and port only, such as "https://lrs.example.edu")`);
  }
  return found;
}

/// Starts fetching what the player will fetch (the engine's glue and wasm, the scenario) now,
/// beside the page's modules: a module as `import()` will ask for it, anything else as
/// `fetch(url)` will (crossorigin anonymous), so the later request uses the preload.
export function preload(href, type) {
  const module = href.endsWith('.js');
  const link = Object.assign(document.createElement('link'), module ? { rel: 'modulepreload', href } : { rel: 'preload', href, as: 'fetch', crossOrigin: 'anonymous' });
  if (type) link.type = type;
  document.head.append(link);
}

/// The origin of an http(s) URL (relative to the page), or null.
export function originOf(raw) {
  const url = urlOf(raw);
  return /^https?:$/.test(url?.protocol) ? url.origin : null;
}

function urlOf(raw) {
  try { return typeof raw === 'string' && raw ? new URL(raw, document.baseURI) : null; } catch { return null; }
}

/// A console.warn naming the parameters no page takes from its address; one more for "embed"'s.
export function warnIgnored(params, page) {
  const names = ['help-href', 'help-text', ...['endpoint', 'auth', 'fetch', 'actor', 'activity', 'registration', 'send-text'].map(n => `xapi-${n}`)].filter(n => params.has(n));
  if (names.length) console.warn(`attunement: ${page} ignores ${names.join(', ')} in its address: where help points and where data goes are set by the site (${FILE}) or by a page's <attunement-sim> attributes, never by a link`);
  const embed = ['parent-origin', 'include-save', 'no-save', 'lti-resize'].filter(n => params.has(n));
  if (embed.length) console.warn(`attunement: ${page} ignores ${embed.join(', ')} in its address: the site sets these, in ${FILE} under "embed" (${Object.keys(EMBED).join(', ')})`);
}

/// Whether `tag` is a language tag as the library's translations and links carry them (`es`, `pt-BR`).
export const isLangTag = tag => typeof tag === 'string' && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag);

/// A language tag as a link may carry it (`?lang=es`, `pt-BR`), or null.
export function langParam(params) {
  const lang = params.get('lang');
  return isLangTag(lang) ? lang : null;
}

/// The translation of a library entry (index.json's `translations`) in `lang`: its exact tag
/// first, then its language without the region (`pt` for `pt-BR`); null when there is none.
export function translationFor(entry, lang) {
  const list = Array.isArray(entry?.translations) ? entry.translations.filter(t => t && typeof t.src === 'string' && /^[A-Za-z0-9._-]+\.attn$/.test(t.src)) : [];
  if (!lang || lang === entry?.language) return null;
  const base = lang.split('-')[0];
  return list.find(t => t.language === lang) || list.find(t => String(t.language).split('-')[0] === base) || null;
}

/// The compiled scenario to load for `id` in `lang`: the library's translation when it lists
/// one (scenarios/index.json), else the scenario itself. Never rejects.
export async function scenarioFile(id, lang) {
  if (lang) {
    try {
      const response = await fetch('scenarios/index.json');
      const entry = ((await response.json()).scenarios || []).find(s => s && s.id === id);
      const t = translationFor(entry, lang);
      if (t) return `scenarios/${t.src}`;
    } catch { /* the scenario itself, then */ }
  }
  return `scenarios/${id}.attn`;
}
