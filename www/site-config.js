// site-config.js: the site's settings for index.html and embed.html, from attunement.config.json
// beside them (docs/embedding.md): the help resource, the record stores a cmi5 launch may name,
// and which pages may frame embed.html and hear from it, none of which a link may decide. A
// missing file gives the defaults; a malformed file or value gives the default for it and one
// console.warn naming the problem. Never throws.

const FILE = 'attunement.config.json';
const isObject = v => !!v && typeof v === 'object' && !Array.isArray(v);
const warn = text => console.warn(`attunement: ${FILE} ${text}`);

// The "embed" keys: embed.html's talk with the page that frames it, and its saving.
const EMBED = { parentOrigins: 'origins', includeSave: false, save: true, ltiResize: false };

/// { help: { href, text } (null: the widget's default), xapi: { allowedOrigins: [origin…] },
///   embed: { parentOrigins: [origin…] (default: this page's own), includeSave, save, ltiResize } }.
export async function siteConfig() {
  const config = {
    help: { href: null, text: null },
    xapi: { allowedOrigins: [] },
    embed: { parentOrigins: [location.origin], includeSave: false, save: true, ltiResize: false },
  };
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
  config.xapi.allowedOrigins = origins(value.xapi?.allowedOrigins, 'xapi.allowedOrigins', 'https://lrs.example.edu', problems);
  const embed = value.embed ?? {};
  if (!isObject(embed)) problems.push('"embed" is not an object, such as {"parentOrigins": ["https://courses.example.edu"]}');
  else {
    for (const key of Object.keys(embed)) {
      if (!(key in EMBED) && key !== '$comment') problems.push(`unknown key "embed.${key}" (known: ${Object.keys(EMBED).join(', ')})`);
    }
    const parents = origins(embed.parentOrigins, 'embed.parentOrigins', 'https://courses.example.edu', problems);
    if (parents.length) config.embed.parentOrigins = parents;
    for (const key of ['includeSave', 'save', 'ltiResize']) {
      if (typeof embed[key] === 'boolean') config.embed[key] = embed[key];
      else if (embed[key] != null) problems.push(`"embed.${key}" ${JSON.stringify(embed[key])} is not true or false (default: ${EMBED[key]})`);
    }
  }
  if (problems.length) warn(`has problems, which are ignored: ${problems.join('; ')}`);
  return config;
}

/// The origins listed at `key` (one string, or a list of them), each checked to be an origin and
/// nothing more; what is not goes to `problems`.
function origins(list, key, example, problems) {
  const found = [];
  for (const entry of Array.isArray(list) ? list : list == null ? [] : [list]) {
    const origin = originOf(entry);
    if (origin && origin === String(entry).replace(/\/$/, '')) found.includes(origin) || found.push(origin);
    else problems.push(`"${key}" entry ${JSON.stringify(entry)} is not an origin (scheme, host and port only, such as "${example}")`);
  }
  return found;
}

/// The origin of an http(s) URL (relative to the page), or null.
export function originOf(raw) {
  const url = urlOf(raw);
  return /^https?:$/.test(url?.protocol) ? url.origin : null;
}

function urlOf(raw) {
  try { return typeof raw === 'string' && raw ? new URL(raw, document.baseURI) : null; } catch { return null; }
}

/// One console.warn naming the parameters of `params` that no page takes from its address.
export function warnIgnored(params, page) {
  const names = ['help-href', 'help-text', ...['endpoint', 'auth', 'fetch', 'actor', 'activity', 'registration'].map(n => `xapi-${n}`)].filter(n => params.has(n));
  if (names.length) console.warn(`attunement: ${page} ignores ${names.join(', ')} in its address: where help points and where data goes are set by the site (${FILE}) or by a page's <attunement-sim> attributes, never by a link`);
}
