// xapi.js: reports an <attunement-sim> element's events to a learning record store as xAPI
// statements. The element imports it only when the host sets `xapi-endpoint`; docs/xapi.md
// is the host's guide (attributes, statement shapes, queue, privacy).
//
// Invariants:
// - Nothing is sent unless the host configured an endpoint; without a usable actor nothing is
//   recorded, and one console.warn (never console.error) says why.
// - A statement is in the outbox (localStorage, per endpoint) before any request carries it,
//   and leaves it only when the store acknowledges it: 2xx, or 409 (a statement with that id
//   is already stored). Failures are retried with backoff; a reload resends what is left.
// - Statement ids are set here, derived (UUID v5) from `${attempt}:${verb}:${turn}`, so a
//   resend is recognised by the store and never stored twice. Later occurrences of the same
//   verb at the same turn (a practice undo, a second resume) get `:N` appended.
// - Recording is synchronous inside the element's event, so a statement is queued before the
//   page can unload; sending never blocks the learner.
// - No request waits for ever: each is aborted after the timeout (xapi-timeout, 15 s by default)
//   and counts as failed, so one store that never answers cannot hold the queue, or the Web Lock
//   that every tab of this origin shares for that store, for the life of the page.

const XAPI_VERSION = '1.0.3';
const VERBS = 'http://adlnet.gov/expapi/verbs/';
const ACTIVITIES = 'http://adlnet.gov/expapi/activities/';
export const IRI_BASE = 'https://attunement.invalid/';
export const EXTENSIONS = `${IRI_BASE}xapi/extensions/`;
/// The UUID v5 namespace of statement ids (docs/xapi.md; the tests recompute ids with it).
export const ID_NAMESPACE = 'a69ae3e6-091b-4ea5-8c86-0feef5c7851f';
const KEY = 'attunement-xapi:';
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 60_000;
/// How long one request to the store (or to the cmi5 fetch URL) may take before it is aborted.
export const TIMEOUT_SECONDS = 15;
const MAX_TIMEOUT_SECONDS = 300;
const FORGET_ATTEMPTS_AFTER_MS = 180 * 24 * 3600 * 1000;

/// Called by the element (through `_attachLms`) once, before it reads any save, or later when
/// the module could not be loaded at first; `missed` are the events ({ type, detail }) it
/// dispatched meanwhile, recorded first. Returns at once: no network here.
export async function attach(element, missed = []) {
  const config = readConfig(element);
  if (!config.endpoint) return;
  const persistent = !element.hasAttribute('no-save');
  const outbox = outboxFor(config, persistent);
  forgetOldAttempts(outbox.storage);
  if (config.problem) {
    console.warn(`attunement xapi: no statements are recorded: ${config.problem}`);
  } else {
    const recorder = new Recorder(config, outbox);
    const types = ['start', 'resume', 'choice', 'complete'];
    const record = (type, detail) => {
      try {
        recorder.record(type, detail);
      } catch (error) {
        console.warn(`attunement xapi: could not record the ${type} event: ${error?.message ?? error}`);
      }
    };
    for (const { type, detail } of missed) if (types.includes(type)) record(type, detail);
    for (const type of types) {
      element.addEventListener(`attunement-${type}`, event => {
        if (event.target === element) record(type, event.detail);
      });
    }
  }
  outbox.flush();
}

// ---------------------------------------------------------------- configuration

/// Reads the element's xapi-* attributes. Returns { endpoint, auth, fetchUrl, actor,
/// activity, registration, timeoutMs, problem }; `endpoint` is null when there is nothing to
/// talk to.
export function readConfig(element) {
  const get = name => (element.getAttribute(name) ?? '').trim();
  const config = { endpoint: null, auth: get('xapi-auth') || null, fetchUrl: null, actor: null, activity: null, registration: null, timeoutMs: TIMEOUT_SECONDS * 1000, problem: null };
  const problems = [];
  if (!get('xapi-endpoint')) return config;
  if (get('xapi-timeout')) {
    const seconds = Number(get('xapi-timeout'));
    if (Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS) config.timeoutMs = Math.round(seconds * 1000);
    else console.warn(`attunement xapi: xapi-timeout ${JSON.stringify(get('xapi-timeout'))} is not a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, so requests time out after ${TIMEOUT_SECONDS} s`);
  }
  try {
    const url = new URL(get('xapi-endpoint'), document.baseURI);
    if (!/^https?:$/.test(url.protocol)) throw new Error();
    url.hash = '';
    url.search = '';
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    config.endpoint = url.href;
  } catch {
    console.warn(`attunement xapi: nothing is sent: xapi-endpoint ${JSON.stringify(get('xapi-endpoint'))} is not an http(s) URL`);
    return config;
  }
  if (get('xapi-fetch')) {
    try {
      config.fetchUrl = new URL(get('xapi-fetch'), document.baseURI).href;
    } catch {
      problems.push(`xapi-fetch ${JSON.stringify(get('xapi-fetch'))} is not a URL`);
    }
  }
  config.actor = parseActor(get('xapi-actor'));
  if (!config.actor) {
    problems.push(get('xapi-actor')
      ? `xapi-actor ${JSON.stringify(get('xapi-actor'))} is not an xAPI Agent (JSON with one of mbox, mbox_sha1sum, openid, account) or a mailto: address`
      : 'xapi-actor is missing (an xAPI Agent as JSON, or a mailto: address)');
  }
  if (get('xapi-activity')) {
    if (isAbsoluteIri(get('xapi-activity'))) config.activity = get('xapi-activity');
    else problems.push(`xapi-activity ${JSON.stringify(get('xapi-activity'))} is not an absolute IRI`);
  }
  if (get('xapi-registration')) {
    if (isUuid(get('xapi-registration'))) config.registration = get('xapi-registration').toLowerCase();
    else problems.push(`xapi-registration ${JSON.stringify(get('xapi-registration'))} is not a UUID`);
  }
  if (problems.length) config.problem = problems.join('; ');
  return config;
}

/// An xAPI Agent from JSON, or from a mailto: (or bare e-mail) address; null when it is not one.
/// Keeps exactly the identifying property and the name, as the specification asks.
export function parseActor(raw) {
  if (!raw) return null;
  if (/^(mailto:)?[^@\s:{}"]+@[^@\s{}"]+$/i.test(raw)) return { objectType: 'Agent', mbox: raw.replace(/^(mailto:)?/i, 'mailto:') };
  let value;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  if (value.objectType !== undefined && value.objectType !== 'Agent') return null;
  const agent = { objectType: 'Agent' };
  if (typeof value.name === 'string' && value.name) agent.name = value.name;
  const ifis = [];
  if (typeof value.mbox === 'string' && /^mailto:[^@\s]+@[^@\s]+$/i.test(value.mbox)) ifis.push(['mbox', value.mbox]);
  if (typeof value.mbox_sha1sum === 'string' && /^[0-9a-f]{40}$/i.test(value.mbox_sha1sum)) ifis.push(['mbox_sha1sum', value.mbox_sha1sum]);
  if (typeof value.openid === 'string' && isAbsoluteIri(value.openid)) ifis.push(['openid', value.openid]);
  const account = value.account;
  if (account && typeof account.homePage === 'string' && isAbsoluteIri(account.homePage) && typeof account.name === 'string' && account.name) {
    ifis.push(['account', { homePage: account.homePage, name: account.name }]);
  }
  const present = ['mbox', 'mbox_sha1sum', 'openid', 'account'].filter(k => value[k] !== undefined).length;
  if (ifis.length !== 1 || present !== 1) return null;
  agent[ifis[0][0]] = ifis[0][1];
  return agent;
}

function isAbsoluteIri(raw) {
  try {
    return !!new URL(raw).protocol && /^[a-z][a-z0-9+.-]*:/i.test(raw);
  } catch {
    return false;
  }
}

function isUuid(raw) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw);
}

// ---------------------------------------------------------------- statements

/// Turns the element's events into statements and hands them to the outbox. Per attempt it
/// keeps how often each (verb, turn) occurred, so every statement gets its own stable id.
export class Recorder {
  constructor(config, outbox) {
    this.config = config;
    this.outbox = outbox;
  }

  record(type, d) {
    if (!d || typeof d.attempt !== 'string' || !d.scenario) return;
    const memory = this.attempt(d.attempt);
    const now = Date.now();
    switch (type) {
      case 'start':
        this.add(memory, d, 'initialized', 0, now, {});
        break;
      case 'resume':
        // A reload of a finished conversation (the debrief) opens no new session.
        if (!memory.ended) this.add(memory, d, 'initialized', d.turn ?? 0, now, { contextExtensions: { turn: d.turn ?? 0 } });
        break;
      case 'choice':
        memory.ended = false;
        this.add(memory, d, 'answered', d.turn, now, {
          object: this.interaction(d),
          result: {
            // A written reply's text only when the host set xapi-send-text (the event carries it
            // only then); otherwise the response is the choice it stood for.
            response: String(d.written?.text ?? d.choice?.id ?? ''),
            extensions: ext({
              'written-skill': d.written?.skill,
              'written-confidence': d.written?.confidence,
              'written-taken': d.written?.taken,
              skill: d.skill,
              'skill-kind': d.kind,
              'trust-before': d.trust_before,
              'trust-after': d.trust_after,
              'choice-text': d.choice?.text ?? '',
              turn: d.turn,
              // For the trainer's report: the node (also in the object's IRI, but an
              // xapi-activity may be anything), and how the peer was when the learner answered.
              node: d.node,
              acute: typeof d.acute === 'boolean' ? d.acute : undefined,
              'warning-signs': typeof d.warning_signs === 'boolean' ? d.warning_signs : undefined,
            }),
          },
        });
        break;
      case 'complete': {
        const result = {
          score: { scaled: clamp(d.score.scaled, -1, 1), raw: d.score.raw, min: d.score.min, max: d.score.max },
          success: !!d.passed,
          completion: true,
          duration: duration(d.started, now),
          extensions: ext({ ending: d.ending?.id, outcome: d.ending?.outcome, trust: d.trust, turns: d.turns }),
        };
        this.add(memory, d, 'completed', d.turns, now, { result });
        this.add(memory, d, d.passed ? 'passed' : 'failed', d.turns, now, { result });
        this.add(memory, d, 'terminated', d.turns, now, { result: { duration: result.duration } });
        memory.ended = true;
        break;
      }
    }
    this.save(d.attempt, memory);
  }

  add(memory, d, verb, turn, now, { object, result, contextExtensions }) {
    const name = `${d.attempt}:${verb}:${turn}`;
    const seen = memory.seen[`${verb}:${turn}`] || 0;
    memory.seen[`${verb}:${turn}`] = seen + 1;
    const activity = this.activity(d);
    const statement = {
      id: uuidV5(ID_NAMESPACE, seen ? `${name}:${seen}` : name),
      actor: this.config.actor,
      verb: { id: VERBS + verb, display: { 'en-US': verb } },
      object: object || activity,
      ...(result && { result }),
      context: {
        registration: this.config.registration || d.attempt,
        platform: 'Attunement',
        ...(object && { contextActivities: { parent: [{ objectType: 'Activity', id: activity.id }] } }),
        extensions: ext({ attempt: d.attempt, mode: d.mode, 'scenario-id': d.scenario.id, 'scenario-hash': d.scenario.hash, ...contextExtensions }),
      },
      timestamp: new Date(now).toISOString(),
    };
    this.outbox.add(statement);
  }

  activity(d) {
    return {
      objectType: 'Activity',
      id: this.config.activity || `${IRI_BASE}scenarios/${encodeURIComponent(d.scenario.id)}`,
      definition: { type: `${ACTIVITIES}simulation`, name: { [d.scenario.language || 'und']: String(d.scenario.title ?? d.scenario.id) } },
    };
  }

  interaction(d) {
    const base = this.activity(d).id.replace(/\/+$/, '');
    return {
      objectType: 'Activity',
      id: `${base}/nodes/${encodeURIComponent(d.node ?? `turn-${d.turn}`)}`,
      definition: { type: `${ACTIVITIES}cmi.interaction`, interactionType: 'choice' },
    };
  }

  attempt(id) {
    try {
      const memory = JSON.parse(this.outbox.storage.getItem(`${KEY}attempt:${id}`) || 'null');
      if (memory && typeof memory.seen === 'object') return memory;
    } catch { /* start afresh */ }
    return { seen: {}, ended: false };
  }

  save(id, memory) {
    memory.touched = Date.now();
    try {
      this.outbox.storage.setItem(`${KEY}attempt:${id}`, JSON.stringify(memory));
    } catch { /* ids stay unique within this page; only a later resend could collide */ }
  }
}

function ext(values) {
  const out = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null) out[EXTENSIONS + k] = v;
  return out;
}

function clamp(x, lo, hi) {
  return Math.min(hi, Math.max(lo, Number(x) || 0));
}

/// ISO 8601 duration from `startedIso` to `now` (ms), to the hundredth of a second.
export function duration(startedIso, now) {
  const start = Date.parse(startedIso);
  const cs = Number.isFinite(start) ? Math.max(0, Math.round((now - start) / 10)) : 0;
  const h = Math.floor(cs / 360000), m = Math.floor((cs % 360000) / 6000), s = (cs % 6000) / 100;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s}S`;
}

// ---------------------------------------------------------------- the outbox

const outboxes = new Map();

function outboxFor(config, persistent) {
  const key = `${persistent}|${config.endpoint}`;
  let outbox = outboxes.get(key);
  if (!outbox) outboxes.set(key, (outbox = new Outbox(config.endpoint, persistent ? localStore() : memoryStore())));
  // The newest configuration's credentials (and timeout) send everything queued for this endpoint.
  outbox.auth = config.auth;
  outbox.fetchUrl = config.fetchUrl;
  outbox.timeoutMs = config.timeoutMs;
  return outbox;
}

/// The statements waiting for one endpoint: one storage key per statement
/// (`attunement-xapi:queue:ENDPOINT` + id), so adding and removing never rewrite a shared list.
class Outbox {
  constructor(endpoint, storage) {
    this.endpoint = endpoint;
    this.storage = storage;
    this.prefix = `${KEY}queue:${endpoint}`;
    this.failures = 0;
    this.timer = null;
    this.running = false;
    this.again = false;
    this.warned = new Set();
    this.order = 0;
    this.timeoutMs = TIMEOUT_SECONDS * 1000;
    addEventListener('online', () => this.flush());
  }

  add(statement) {
    const item = JSON.stringify({ queued: Date.now(), order: ++this.order, statement });
    try {
      this.storage.setItem(this.prefix + statement.id, item);
    } catch {
      // Storage full or refused: keep it for this page at least.
      memoryFallback.setItem(this.prefix + statement.id, item);
    }
    this.flush();
  }

  /// Queued statements, oldest first.
  pending() {
    const items = [];
    for (const store of new Set([this.storage, memoryFallback])) {
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i);
        if (!key?.startsWith(this.prefix) || !isUuid(key.slice(this.prefix.length))) continue;
        try {
          items.push({ key, store, ...JSON.parse(store.getItem(key)) });
        } catch {
          store.removeItem(key);
        }
      }
    }
    return items.sort((a, b) => a.queued - b.queued || a.order - b.order);
  }

  /// Sends what is queued now (cancelling a scheduled retry); never throws, never awaited by play.
  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    // One tab at a time sends an endpoint's queue (all tabs share it); the others look again later.
    const locks = typeof navigator !== 'undefined' && navigator.locks;
    const run = locks
      ? locks.request(this.prefix, { ifAvailable: true }, lock => (lock ? this.drain() : 'busy'))
      : this.drain();
    Promise.resolve(run)
      .catch(() => 'failed')
      .then(outcome => {
        this.running = false;
        if (this.again) {
          this.again = false;
          if (outcome !== 'failed') return this.flush();
        }
        if (outcome === 'failed') this.retryLater();
        else if (outcome === 'busy') this.timer = setTimeout(() => this.flush(), RETRY_FIRST_MS * 2);
      });
  }

  async drain() {
    for (;;) {
      this.again = false;
      const [next] = this.pending();
      if (!next) return 'empty';
      const outcome = await this.send(next.statement);
      if (outcome === 'failed') return 'failed';
      this.failures = 0;
      if (outcome === 'rejected') {
        try {
          this.storage.setItem(`${KEY}rejected:${this.endpoint}${next.statement.id}`, next.store.getItem(next.key));
        } catch { /* kept in the console warning only */ }
      }
      next.store.removeItem(next.key);
    }
  }

  retryLater() {
    this.failures++;
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (this.failures - 1)) * (0.8 + 0.4 * Math.random());
    this.timer = setTimeout(() => this.flush(), delay);
  }

  /// One POST. 'delivered' (2xx, or 409: that id is already stored), 'rejected' (the store
  /// says the statement itself is wrong: retrying cannot help) or 'failed' (retry later; also
  /// when the store, or the cmi5 fetch URL, does not answer within the timeout).
  async send(statement) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      return await this.post(statement, controller.signal);
    } catch {
      if (controller.signal.aborted && !this.warned.has('timeout')) {
        this.warned.add('timeout');
        console.warn(`attunement xapi: the learning record store did not answer within ${this.timeoutMs / 1000} s; the request was abandoned, and statements stay queued and are retried`);
      }
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }

  async post(statement, signal) {
    const headers = { 'Content-Type': 'application/json', 'X-Experience-API-Version': XAPI_VERSION };
    const auth = await this.authorization(signal);
    if (auth) headers.Authorization = auth;
    const body = JSON.stringify(statement);
    // keepalive lets a statement sent as the learner closes the tab still arrive; the
    // browser refuses it for bodies over 64 KiB, which then go without it.
    const response = await fetch(`${this.endpoint}statements`, {
      method: 'POST', headers, body, cache: 'no-store', keepalive: body.length < 60_000, signal,
    });
    if (response.ok || response.status === 409) return 'delivered';
    if ([400, 413, 422].includes(response.status)) {
      const why = await response.text().catch(() => '');
      console.warn(`attunement xapi: the learning record store rejected statement ${statement.id} (HTTP ${response.status}); it is kept under ${KEY}rejected: and not sent again: ${why.slice(0, 300)}`);
      return 'rejected';
    }
    if ((response.status === 401 || response.status === 403) && !this.warned.has(response.status)) {
      this.warned.add(response.status);
      console.warn(`attunement xapi: the learning record store refused the credentials (HTTP ${response.status}); statements stay queued and are retried`);
    }
    return 'failed';
  }

  /// The Authorization header: xapi-auth, or a cmi5 auth token from xapi-fetch (fetched once
  /// per browser session: the launch's fetch URL may only be used once).
  async authorization(signal) {
    if (this.auth) return this.auth;
    if (!this.fetchUrl) return null;
    const key = `${KEY}token:${this.fetchUrl}`;
    let token = null;
    try { token = sessionStorage.getItem(key); } catch { /* no session storage */ }
    if (!token) {
      const response = await fetch(this.fetchUrl, { method: 'POST', cache: 'no-store', signal });
      if (!response.ok) throw new Error(`the cmi5 fetch URL answered HTTP ${response.status}`);
      token = (await response.json())['auth-token'];
      if (typeof token !== 'string' || !token) throw new Error('the cmi5 fetch URL gave no auth-token');
      try { sessionStorage.setItem(key, token); } catch { /* fetched again next session */ }
    }
    return `Basic ${token}`;
  }
}

// ---------------------------------------------------------------- storage

const memoryFallback = memoryStore();

function localStore() {
  try {
    const store = window.localStorage;
    store.setItem(`${KEY}probe`, '1');
    store.removeItem(`${KEY}probe`);
    return store;
  } catch {
    return memoryFallback;
  }
}

/// A Storage-like map for when localStorage is refused (or the host set no-save).
function memoryStore() {
  const map = new Map();
  return {
    get length() { return map.size; },
    key: i => [...map.keys()][i] ?? null,
    getItem: k => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: k => void map.delete(k),
  };
}

function forgetOldAttempts(store) {
  try {
    const old = [];
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (!key?.startsWith(`${KEY}attempt:`)) continue;
      const touched = JSON.parse(store.getItem(key) || '{}').touched || 0;
      if (Date.now() - touched > FORGET_ATTEMPTS_AFTER_MS) old.push(key);
    }
    old.forEach(key => store.removeItem(key));
  } catch { /* nothing to forget */ }
}

// ---------------------------------------------------------------- UUID v5 (SHA-1), synchronous

/// A name-based UUID (RFC 9562, version 5). Synchronous, so a statement is queued within the
/// element's event; crypto.subtle would be asynchronous (and is missing on plain-http pages).
export function uuidV5(namespace, name) {
  const ns = namespace.replace(/-/g, '').match(/../g).map(h => parseInt(h, 16));
  const bytes = new Uint8Array([...ns, ...new TextEncoder().encode(name)]);
  const hash = sha1(bytes).slice(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const x = [...hash].map(b => b.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function sha1(bytes) {
  const length = (((bytes.length + 8) >> 6) + 1) << 6;
  const m = new Uint8Array(length);
  m.set(bytes);
  m[bytes.length] = 0x80;
  const view = new DataView(m.buffer);
  view.setUint32(length - 8, Math.floor(bytes.length / 0x20000000));
  view.setUint32(length - 4, (bytes.length * 8) >>> 0);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  for (let off = 0; off < length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = h;
    for (let i = 0; i < 80; i++) {
      const f = i < 20 ? (b & c) | (~b & d) : i < 40 ? b ^ c ^ d : i < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) >>> 0;
      e = d;
      d = c;
      c = ((b << 30) | (b >>> 2)) >>> 0;
      b = a;
      a = t;
    }
    h[0] = (h[0] + a) >>> 0;
    h[1] = (h[1] + b) >>> 0;
    h[2] = (h[2] + c) >>> 0;
    h[3] = (h[3] + d) >>> 0;
    h[4] = (h[4] + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  h.forEach((v, i) => outView.setUint32(i * 4, v));
  return out;
}
