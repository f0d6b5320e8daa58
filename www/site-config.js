// site-config.js: the site's settings for index.html and embed.html, from attunement.config.json
// beside them (docs/embedding.md): the help resource and the record stores a cmi5 launch may
// name, which a link must never decide. A missing file gives the defaults; a malformed file or
// value gives the default for it and one console.warn naming the problem. Never throws.

const FILE = 'attunement.config.json';
const isObject = v => !!v && typeof v === 'object' && !Array.isArray(v);
const warn = text => console.warn(`attunement: ${FILE} ${text}`);

/// { help: { href, text } (null: the widget's default), xapi: { allowedOrigins: [origin…] } }.
export async function siteConfig() {
  const config = { help: { href: null, text: null }, xapi: { allowedOrigins: [] } };
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
  const problems = Object.keys(value).filter(k => !['help', 'xapi', '$comment'].includes(k)).map(k => `unknown key "${k}" (known: help, xapi)`);
  const { href, text } = isObject(value.help) ? value.help : {};
  if (href) {
    if (/^(https?|tel|mailto):$/.test(urlOf(href)?.protocol)) config.help.href = urlOf(href).href;
    else problems.push(`"help.href" ${JSON.stringify(href)} is not an https:, http:, tel: or mailto: link`);
  }
  if (typeof text === 'string') config.help.text = text || null;
  else if (text != null) problems.push('"help.text" is not a string');
  const origins = value.xapi?.allowedOrigins ?? [];
  for (const entry of Array.isArray(origins) ? origins : [origins]) {
    const origin = originOf(entry);
    if (origin && origin === String(entry).replace(/\/$/, '')) config.xapi.allowedOrigins.push(origin);
    else problems.push(`"xapi.allowedOrigins" entry ${JSON.stringify(entry)} is not an origin (scheme, host and port only, such as "https://lrs.example.edu")`);
  }
  if (problems.length) warn(`has problems, which are ignored: ${problems.join('; ')}`);
  return config;
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
