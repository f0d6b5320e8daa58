// site-config.js: the site's own settings for the pages of www/ (index.html, embed.html), read
// from attunement.config.json beside them. It holds what a link must never decide: where "Get
// help now" points, and which learning record stores a cmi5 launch may name. docs/embedding.md
// ("Site configuration") documents the file.
// Invariants: the file is the only source of these settings for the pages (their query string
// chooses the scenario, the mode and the seed, nothing that sends data or points elsewhere);
// a missing file gives the defaults silently; a malformed one, or a malformed entry, gives the
// defaults for what it got wrong and one console.warn that names the problem. Never throws.

export const CONFIG_FILE = 'attunement.config.json';

const KEYS = { help: ['href', 'text'], xapi: ['allowedOrigins'] };

/// The settings: { help: { href, text }, xapi: { allowedOrigins: [origin…] } }; `href` and
/// `text` are null when the file does not set them (the widget then shows its default text).
export async function siteConfig() {
    const config = { help: { href: null, text: null }, xapi: { allowedOrigins: [] } };
    const url = new URL(CONFIG_FILE, import.meta.url);
    let raw;
    try {
        const response = await fetch(url, { cache: 'no-cache' });
        if (response.status === 404) return config;
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        raw = await response.text();
    } catch (error) {
        warn(`could not be read (${error.message}), so the defaults apply`);
        return config;
    }
    let value;
    try {
        value = JSON.parse(raw);
    } catch (error) {
        warn(`is not valid JSON (${error.message}), so the defaults apply`);
        return config;
    }
    if (!isObject(value)) {
        warn('must hold a JSON object, such as {"help": {"href": "https://…"}}, so the defaults apply');
        return config;
    }
    const problems = [];
    for (const key of Object.keys(value)) {
        if (key === '$comment') continue;
        if (!(key in KEYS)) problems.push(`unknown key "${key}" (known: ${Object.keys(KEYS).join(', ')})`);
        else if (!isObject(value[key])) problems.push(`"${key}" must be an object`);
        else for (const inner of Object.keys(value[key])) {
            if (!KEYS[key].includes(inner) && inner !== '$comment') problems.push(`unknown key "${key}.${inner}" (known: ${KEYS[key].join(', ')})`);
        }
    }
    const help = isObject(value.help) ? value.help : {};
    if (help.href != null && help.href !== '') {
        const href = helpHref(help.href);
        if (href) config.help.href = href;
        else problems.push(`"help.href" ${JSON.stringify(help.href)} is not an https:, http:, tel: or mailto: link`);
    }
    if (help.text != null && help.text !== '') {
        if (typeof help.text === 'string') config.help.text = help.text;
        else problems.push('"help.text" must be a string');
    }
    const origins = isObject(value.xapi) ? value.xapi.allowedOrigins : undefined;
    if (origins !== undefined) {
        if (!Array.isArray(origins)) problems.push('"xapi.allowedOrigins" must be a list of origins, such as ["https://lrs.example.edu"]');
        else for (const entry of origins) {
            const origin = originOf(entry);
            if (origin && origin === String(entry).replace(/\/$/, '')) config.xapi.allowedOrigins.push(origin);
            else problems.push(`"xapi.allowedOrigins" entry ${JSON.stringify(entry)} is not an origin (scheme, host and port only, such as "https://lrs.example.edu")`);
        }
    }
    if (problems.length) warn(`has problems, which are ignored: ${problems.join('; ')}`);
    return config;
}

/// The origin (`https://host:port`) of an http(s) URL, or null. Relative URLs resolve against
/// the page.
export function originOf(raw) {
    if (typeof raw !== 'string' || !raw) return null;
    try {
        const url = new URL(raw, document.baseURI);
        return /^https?:$/.test(url.protocol) ? url.origin : null;
    } catch {
        return null;
    }
}

// The help link's schemes are the widget's own (attunement-sim.js, _helpHref).
function helpHref(raw) {
    if (typeof raw !== 'string') return null;
    try {
        const url = new URL(raw, document.baseURI);
        return /^(https?|tel|mailto):$/.test(url.protocol) ? url.href : null;
    } catch {
        return null;
    }
}

function isObject(value) {
    return !!value && typeof value === 'object' && !Array.isArray(value);
}

function warn(text) {
    console.warn(`attunement: ${CONFIG_FILE} ${text}`);
}

// Query parameters that once set these settings (and the credentials of a record store); a
// page that meets one says, once, that it ignores it, so a host that still writes them knows.
const FORMER = ['help-href', 'help-text', 'xapi-endpoint', 'xapi-auth', 'xapi-fetch', 'xapi-actor', 'xapi-activity', 'xapi-registration'];

/// Warns once about the parameters of `params` that no page takes from its address any more.
export function warnIgnored(params, page) {
    const ignored = FORMER.filter(name => params.has(name));
    if (ignored.length) {
        console.warn(`attunement: ${page} ignores ${ignored.join(', ')} in its address: where help points and where data goes are set by the site (${CONFIG_FILE}) or by the attributes of a page's <attunement-sim>, never by a link`);
    }
}
