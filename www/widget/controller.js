// controller.js: the widget's session, with no DOM. It loads the engine and the scenario, starts,
// restores, plays, undoes and restarts a session, keeps the save, the attempt record and the
// library's progress mark, attaches the course-site reporters and emits the element's events.
// The element (attunement-sim.js) renders what this holds; this never touches the page.
//
// URLs from import.meta.url are written from www/, where this is bundled (element.js says why).
//
// Invariants: the page's mode, never the save's, decides the mode; a save is written after every
// change of the session; the learner's input is ignored while a choice is processed and for
// QUIET_MS after it lands (a double tap answers once); every event carries the versioned header.

import { setEngineWords } from './i18n.js';
import { t, words } from './words.js';

const MODES = ['practice', 'assessment'];
// How the learner responds: pick an option (choose), write their own reply first at every turn
// (write), or either (both). Writing loads the engine with the reply coder and its model.
const REPLIES = ['choose', 'write', 'both'];
const EVENT_VERSION = 1;
// After a choice lands, input on the choices is ignored this long, so a double tap answers once.
export const QUIET_MS = 400;

const engines = {};
const sessions = new Set();

// One engine module per build, shared by every widget; its panic hook reaches every session on
// it, because a panic leaves that wasm instance dead.
function engine(kind) {
  return (engines[kind] ||= import(new URL(`./${kind}/attunement.js`, import.meta.url).href)
    .then(async m => {
      await m.default();
      m.installPanicHook(text => { for (const s of sessions) if (s.engine === m) s.onPanic(text); });
      return m;
    })
    .catch(e => { delete engines[kind]; throw e; }));
}

// The reply coder's model, one per engine module (a Coder lives in its engine's memory).
const coders = new Map();
function coder(m) {
  if (!coders.has(m)) {
    coders.set(m, fetch(new URL('./coder.bin', import.meta.url).href)
      .then(r => { if (!r.ok) throw new Error(`coder.bin: HTTP ${r.status}`); return r.arrayBuffer(); })
      .then(b => new m.Coder(new Uint8Array(b)))
      .catch(e => { coders.delete(m); throw e; }));
  }
  return coders.get(m);
}

// The reporters (lms/*.js), shared like the engines. A failed import is forgotten and retried
// with ?retry=N, as a browser may keep a failed module fetch for the page's life.
const reporters = {};
const failures = {};
function reporter(path) {
  const n = failures[path] || 0;
  return (reporters[path] ||= import(new URL(n ? `./${path}?retry=${n}` : `./${path}`, import.meta.url).href)
    .catch(e => { delete reporters[path]; failures[path] = n + 1; throw e; }));
}

export const message = e => (typeof e === 'string' ? e : e?.message || String(e));

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map(v => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/// A problem the learner can meet, in plain words: `title` and `text` say what happened and what
/// to do; `detail` is for whoever set up the page; `missing` offers the way back to the library.
export class Problem extends Error {
  constructor(title, text, detail, { missing = false } = {}) {
    super(detail || text);
    Object.assign(this, { title, text, detail, missing });
  }
}

// A scenario's source (TOML or JSON), which only the authors' engine checks, rather than the
// compiled form (.attn) that learners' pages load.
const isSource = url => /\.(toml|json)$/i.test(url.pathname);

// Fetches a scenario: a source as text, the compiled form as bytes. Why a fetch failed is said
// in words a learner and a course author can act on.
async function fetchScenario(url) {
  let r;
  try {
    r = await fetch(url);
  } catch (e) {
    const foreign = url.origin !== location.origin;
    throw new Problem(t('problem.load.title'), t(foreign ? 'problem.load.foreign' : 'problem.load.offline'),
      foreign
        ? `${url.href} could not be fetched from ${location.origin} (${message(e)}): the server at ${url.origin} must send Access-Control-Allow-Origin for this page, and the page's Content-Security-Policy connect-src must allow it; or serve the scenario from this site.`
        : `${url.href}: ${message(e)}`);
  }
  if (r.status === 404 || r.status === 410) {
    throw new Problem(t('problem.missing.title'), t('problem.missing.text'),
      `${url.pathname}: HTTP ${r.status} ${r.statusText}`.trim(), { missing: true });
  }
  if (!r.ok) {
    throw new Problem(t('problem.load.title'), t('problem.load.http'),
      `${url.pathname}: HTTP ${r.status} ${r.statusText}`.trim());
  }
  return isSource(url) ? r.text() : new Uint8Array(await r.arrayBuffer());
}

export class Session {
  /// `host` is the element: its attributes configure this, and events are dispatched on it.
  /// `on` holds the view's callbacks: notice(text), unsaved(), panic(text).
  constructor(host, on) {
    this.host = host;
    this.on = on;
    this.engine = null;
    this.sim = null;
    this.play = null;
    this.info = null;
    this.attempt = null;
    this.dead = false;
    this.quietUntil = 0;
    this.busy = false;
    this.unsavedShown = false;
    sessions.add(this);
  }

  onPanic(text) {
    this.dead = true;
    this.on.panic(text);
  }

  /// The mode the page asked for; anything else falls back to practice, with one warning.
  static mode(asked) {
    const mode = asked || 'practice';
    if (MODES.includes(mode)) return mode;
    console.warn(`attunement: unknown mode "${mode}": the allowed modes are ${MODES.join(' and ')}; using practice`);
    return 'practice';
  }

  /// How the page lets the learner respond; anything else falls back to choose, with one warning.
  static reply(asked) {
    const reply = asked || 'choose';
    if (REPLIES.includes(reply)) return reply;
    console.warn(`attunement: unknown reply "${reply}": the allowed values are ${REPLIES.join(', ')}; using choose`);
    return 'choose';
  }

  /// The engine's words in `lang` (the interface's language), from now on.
  useWords(lang) {
    return setEngineWords(this.engine, lang);
  }

  /// Loads the engine and the scenario; then the reporters, before any save is read (SCORM keeps
  /// the save in the LMS). Returns the file as text, for `watch` to compare.
  async load(src, mode, reply = 'choose') {
    if (!src) throw new Problem(t('problem.no_src.title'), t('problem.no_src.text'), 'set the src attribute of <attunement-sim> to the URL of a scenario');
    this.mode = mode;
    this.url = new URL(src, document.baseURI);
    this.reply = reply;
    this.coderProblem = null;
    const writing = reply !== 'choose';
    const [m, contents] = await Promise.all([
      // Without the engine with the coder (a package that leaves it out), the learner picks.
      (isSource(this.url) ? engine('pkg-author') : writing ? engine('pkg-write').catch(e => {
        this.coderProblem = `pkg-write: ${message(e)}`;
        return engine('pkg');
      }) : engine('pkg')).catch(e => {
        throw new Problem(t('problem.engine.title'), t('problem.engine.text'), message(e));
      }),
      fetchScenario(this.url),
    ]);
    this.engine = m;
    await this.useWords(words.lang);
    try {
      this.sim = new m.Simulator(contents, decodeURIComponent(this.url.pathname.split('/').pop()) || 'scenario.attn');
    } catch (e) {
      throw new Problem(t('problem.broken.title'), t('problem.broken.text'), message(e));
    }
    this.info = this.sim.info();
    // Without its model the coder cannot read a reply: the learner picks, and is told why.
    this.coder = null;
    if (this.coderProblem) this.reply = 'choose';
    else if (writing) {
      try { this.coder = await coder(m); } catch (e) {
        this.reply = 'choose';
        this.coderProblem = message(e);
      }
    }
    await this.attachLms();
    return typeof contents === 'string' ? contents : new TextDecoder().decode(contents);
  }

  get practice() { return this.mode === 'practice'; }
  get ended() { return !!this.play?.view().ending; }

  // ------------------------------------------------------------ storage

  key() { return `attunement:${this.info.id}:${this.mode}`; }

  /// The save (and its attempt) go to `host.store` when a reporter sets one (SCORM keeps them in
  /// the LMS), else to localStorage. Storage may be missing, full or refused (private modes,
  /// sandboxed frames): then progress is not kept, and the view is told once.
  store(op, value) {
    if (this.host.hasAttribute('no-save') || !this.info) return null;
    const key = this.key();
    try {
      const store = this.host.store || localStorage;
      switch (op) {
        case 'get': return store.getItem(key);
        case 'get-attempt': return store.getItem(`${key}:attempt`);
        case 'set-attempt': return store.setItem(`${key}:attempt`, value);
        case 'remove':
          this.forget();
          store.removeItem(`${key}:attempt`);
          return store.removeItem(key);
        default: return store.setItem(key, value ?? this.play.save());
      }
    } catch {
      if (op !== 'get' && op !== 'get-attempt' && op !== 'remove' && !this.unsavedShown) {
        this.unsavedShown = true;
        this.on.unsaved();
      }
    }
    return null;
  }

  /// Writes the save and the library's mark for this scenario and mode: "in-progress" or "done"
  /// (`ended`: only a choice can end a session), the mark in localStorage only (a course site's
  /// store holds the save alone), never with no-save.
  save(ended = false) {
    const save = this.play.save();
    this.store('set', save);
    if (!this.host.hasAttribute('no-save') && !this.host.store) {
      try { localStorage.setItem(`${this.key()}:status`, ended ? 'done' : 'in-progress'); } catch { /* the save's notice covers it */ }
    }
    return save;
  }

  // ------------------------------------------------------------ written replies

  /// What the learner wrote stays on this device: in localStorage beside the save, never in the
  /// save itself, which a course site's store (SCORM) or the parent page may hold. Each entry is
  /// { n, choice, text, taken }: turn n's reply, and whether the coding took it as that choice.
  writtenKey() { return `${this.key()}:written`; }

  written() {
    try {
      const list = JSON.parse(localStorage.getItem(this.writtenKey()) || '[]');
      return Array.isArray(list) ? list.filter(w => w && Number.isInteger(w.n) && typeof w.text === 'string') : [];
    } catch { return []; }
  }

  keepWritten(list) {
    if (this.host.hasAttribute('no-save')) return;
    try {
      if (list.length) localStorage.setItem(this.writtenKey(), JSON.stringify(list));
      else localStorage.removeItem(this.writtenKey());
    } catch { /* the save's notice covers it */ }
  }

  forget() { this.keepWritten([]); }

  /// Puts the written replies back on a restored session, for the turns that are still the same
  /// choices (a changed scenario may have replayed fewer); the rest are dropped.
  rewrite() {
    const turns = this.play.turns(), list = this.written();
    const kept = list.filter(w => this.coder && turns[w.n - 1]?.choice === w.choice && this.play.rewrite(w.n, w.text, !!w.taken, this.coder));
    if (kept.length !== list.length) this.keepWritten(kept);
  }

  /// Codes a reply the learner wrote at this turn (see Play.reply in docs/widget-contract.md).
  code(text) { return this.play.reply(this.coder, text); }

  // ------------------------------------------------------------ the session

  seed() {
    const seed = (this.host.getAttribute('seed') || '').trim();
    return /^\d+$/.test(seed) ? Number(seed) >>> 0 : crypto.getRandomValues(new Uint32Array(1))[0];
  }

  /// A new attempt: a fresh session, a new attempt id (xAPI registration), a start event.
  start() {
    const old = this.play;
    this.attempt = this.newAttempt();
    this.play = this.sim.start(this.mode, this.seed());
    this.save();
    if (old && old !== this.play) try { old.free(); } catch { /* nothing to free */ }
    this.emit('start', {});
  }

  /// Restores `saved` into the page's mode. Returns { notice } (the engine's, when the scenario
  /// changed since), or throws a Problem after removing the save that cannot be restored.
  restore(saved) {
    try {
      this.play = this.sim.restore(saved, this.mode);
    } catch (e) {
      this.store('remove');
      const other = /^the save was made in (practice|assessment) mode, not (practice|assessment) mode/.exec(message(e));
      throw other
        ? new Problem('', t('notice.other_mode', { saved: other[1], now: other[2] }))
        : new Problem('', t('notice.unrestorable'), message(e));
    }
    this.attempt = this.loadAttempt() || this.newAttempt();
    this.rewrite();
    const notice = this.play.notice();
    this.emit('resume', { turn: this.play.view().turn, notice: notice || null });
    return { notice };
  }

  newAttempt() {
    const attempt = { id: uuid(), started: new Date().toISOString() };
    this.store('set-attempt', JSON.stringify(attempt));
    return attempt;
  }

  loadAttempt() {
    try {
      const a = JSON.parse(this.store('get-attempt') || 'null');
      return a && typeof a.id === 'string' ? a : null;
    } catch { return null; }
  }

  /// Whether input on the choices is ignored now (processing, or the quiet moment after one).
  quiet() { return this.dead || !this.play || this.busy || performance.now() < this.quietUntil; }

  /// Picks a choice: returns { step, turn } (turn: the engine's full turn, in both modes), or null
  /// when the input is ignored. Reporters get the full turn: the course site is not the learner.
  /// With `text`, the choice stands for a reply the learner wrote; its coding goes in the event,
  /// its text only when the host set xapi-send-text.
  choose(id, text = null) {
    if (this.quiet()) return null;
    this.busy = true;
    try {
      const step = text == null ? this.play.choose(id) : this.play.chooseWritten(id, text, this.coder);
      const turn = step.explanation ?? this.play.turns().at(-1);
      const w = turn.written;
      if (w) this.keepWritten([...this.written().filter(e => e.n < turn.number), { n: turn.number, choice: turn.choice, text: w.text, taken: w.taken }]);
      const save = this.save(step.ended);
      const written = w ? { skill: w.skill, confidence: w.confidence, taken: w.taken, ...(this.host.hasAttribute('xapi-send-text') ? { text: w.text } : {}) } : undefined;
      this.emit('choice', {
        turn: turn.number, node: turn.node, choice: { id: turn.choice, text: turn.text }, skill: turn.skill, kind: turn.kind,
        trust_before: turn.trust_before, trust_after: turn.trust_after, acute: turn.acute, warning_signs: turn.warning_signs,
        ended: step.ended, save, ...(written ? { written } : {}),
      });
      if (step.ended) {
        const d = this.debrief(), { raw, min, max, scaled, passed } = d.score;
        this.emit('complete', { ending: d.ending, trust: d.trust.value, turns: d.turns.length, passed, score: { raw, min, max, scaled }, save });
      }
      return { step, turn };
    } finally {
      this.busy = false;
      this.quietUntil = performance.now() + QUIET_MS;
    }
  }

  undo() {
    this.play.undo();
    const n = this.play.view().turn;
    this.keepWritten(this.written().filter(w => w.n <= n));
    this.save();
    this.debriefCache = null;
  }

  /// Clears the save and begins again.
  restart() {
    this.store('remove');
    this.unsavedShown = false;
    this.debriefCache = null;
    this.start();
  }

  debrief() {
    return (this.debriefCache ||= this.play.debrief());
  }

  turns() { return this.play.turns(); }
  view() { return this.play.view(); }

  free() {
    sessions.delete(this);
    for (const k of ['play', 'sim']) {
      try { this[k]?.free(); } catch { /* already gone with a dead instance */ }
      this[k] = null;
    }
  }

  // ------------------------------------------------------------ events and reporters

  /// Dispatches `attunement-<type>` on the element; a reporter not loaded yet keeps it for later,
  /// and is tried again.
  emit(type, extra) {
    const detail = this.dispatch(type, extra);
    for (const r of this.host._reporting || []) {
      if (r.state === 'attached') continue;
      if (r.missed.length < 1000) r.missed.push({ type, detail });
      if (r.state === 'missing') this.attachOne(r);
    }
  }

  dispatch(type, extra) {
    const i = this.info;
    const detail = { version: EVENT_VERSION, type, scenario: { id: i.id, title: i.title, hash: i.hash, language: i.language }, mode: this.mode, attempt: this.attempt?.id ?? null, started: this.attempt?.started ?? null, ...extra };
    this.host.dispatchEvent(new CustomEvent(`attunement-${type}`, { bubbles: true, composed: true, detail }));
    return detail;
  }

  /// Loads the reporters the host asked for: `scorm` (the SCORM runtime of a package) and
  /// `xapi-endpoint` (a learning record store). Each module's attach(element, missed) returns
  /// when ready; `missed` are the events it was not there for. Never rejects.
  // Their state lives on the element, so a reload of the scenario never attaches one twice.
  attachLms() {
    if (!this.host._reporting) {
      const wanted = [];
      if (this.host.hasAttribute('scorm')) wanted.push('lms/scorm.js');
      if (this.host.getAttribute('xapi-endpoint')) wanted.push('lms/xapi.js');
      this.host._reporting = wanted.map(path => ({ path, state: 'missing', missed: [] }));
    }
    return Promise.all(this.host._reporting.map(r => this.attachOne(r)));
  }

  // state: 'missing' (not loaded yet), 'loading', 'attached', or 'broken' (its attach threw:
  // a second one could report everything twice). The host hears of a failure, not the learner.
  async attachOne(r) {
    if (r.state !== 'missing') return r.loading;
    r.state = 'loading';
    let why;
    r.loading = reporter(r.path).then(async m => {
      r.state = 'attached';
      try { await m.attach(this.host, r.missed.splice(0)); } catch (e) { r.state = 'broken'; why = `it could not start (${message(e)})`; }
    }, e => { r.state = 'missing'; why = `it could not be loaded (${message(e)}); it is tried again at the learner's next step`; });
    await r.loading;
    if (why) {
      console.warn(`attunement: no reports are sent through ${r.path} for now: ${why}`);
      this.dispatch('reporting-error', { module: r.path, message: why });
    }
  }
}
