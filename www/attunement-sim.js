// attunement-sim.js: the <attunement-sim> custom element, the whole learner-facing widget.
// It owns the intro (content note, skip), the conversation (transcript, persona, trust meter,
// choices, practice feedback, undo), the debrief, saves in localStorage, the error panel, and
// (with the `watch` attribute, for authors' previews) reloading the scenario when its file changes.
// It holds no game logic: the engine (pkg/ or pkg-author/) decides, this only renders its views.
// Scenario text is always set as text (textContent or text nodes), never parsed as markup.
// The DOM it builds is fixed by docs/widget-contract.md; classes are prefixed `att-`.

const engines = {};
const widgets = new Set();
const SVG = 'http://www.w3.org/2000/svg';
const HELP = 'If you or someone else is in danger, contact your local emergency services or a crisis line.';
let uid = 0;

// One engine module per build, shared by every widget; its panic hook reaches them all,
// because a panic leaves that wasm instance dead.
function engine(kind) {
  return (engines[kind] ||= import(new URL(`./${kind}/attunement.js`, import.meta.url).href)
    .then(async m => {
      await m.default();
      m.installPanicHook(message => { for (const w of widgets) if (w._m === m) w._fail(message, true); });
      return m;
    })
    .catch(e => { delete engines[kind]; throw e; }));
}

// The reporters (lms/*.js), shared like the engines. A failed import is forgotten and retried
// with ?retry=N, as a browser may keep a failed module fetch for the page's life.
const reporters = {};
const failures = {};
function reporter(path) {
  const n = failures[path] || 0;
  return (reporters[path] ||= import(new URL(n ? `${path}?retry=${n}` : path, import.meta.url).href)
    .catch(e => { delete reporters[path]; failures[path] = n + 1; throw e; }));
}

function addStyles() {
  const href = new URL('./attunement.css', import.meta.url).href;
  if ([...document.querySelectorAll('link[rel=stylesheet]')].some(l => l.href === href)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}

// Builds an element; `text` sets textContent, `on*` adds listeners, strings among the
// children become text nodes.
function h(tag, props = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...kids.flat(9).filter(k => k != null && k !== false));
  return el;
}

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

const button = (text, onclick, cls = '') => h('button', { type: 'button', class: `att-btn ${cls}`, onclick, text });
const signed = n => (n > 0 ? `+${n}` : `${n}`);
const cap = t => t.charAt(0).toUpperCase() + t.slice(1);
const plural = (n, one, many = one + 's') => `${n} ${n === 1 ? one : many}`;
const paras = (text, cls) => (text || '').trim().split(/\n\s*\n/).filter(Boolean).map(p => h('p', { class: cls, text: p.trim() }));
const message = e => (typeof e === 'string' ? e : e?.message || String(e));
const reduced = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

// The face: a calm line drawing whose brows, eyes and mouth follow the mood.
// [inner brow y, outer brow y, eye height, eye y shift, mouth]
const FACES = {
  overwhelmed: [33, 39, 1.1, 0, 'M42 61 Q44.5 58 47 61 T52 61 T57 61'],
  distressed: [34, 39, 2.6, 0, 'M43 62 Q50 57 57 62'],
  withdrawn: [39, 38, 1.3, 2.5, 'M45 60 L55 60'],
  wary: [38, 37.5, 1.8, 0.5, 'M45 60 Q50 59.6 55 60'],
  uneasy: [35.5, 38, 2.4, 0, 'M44 60.5 Q50 58.5 56 60.5'],
  calm: [37, 37, 2.4, 0, 'M44 59 Q50 62 56 59'],
  opening: [36, 36, 2.6, 0, 'M43 58.5 Q50 63.5 57 58.5'],
  at_ease: [36, 35.5, 1.6, 0, 'M42 58 Q50 65 58 58'],
};

function face() {
  const svg = s('svg', { viewBox: '0 0 100 100', class: 'att-face', 'aria-hidden': 'true', focusable: 'false' });
  svg.append(
    s('circle', { cx: 50, cy: 50, r: 49, class: 'att-face-bg' }),
    s('path', { d: 'M17 100 C19 81 33 74 50 74 C67 74 81 81 83 100 Z', class: 'att-face-body' }),
    s('ellipse', { cx: 50, cy: 46, rx: 20, ry: 23.5, class: 'att-face-head' }),
    s('path', { d: 'M30 44 C28 27 39 21 50 21 C61 21 72 27 70 44 C66 33 58 30 50 30 C42 30 34 33 30 44 Z', class: 'att-face-hair' }),
  );
  const parts = {};
  for (const k of ['browL', 'browR', 'mouth']) svg.append(parts[k] = s('path', { class: 'att-face-line' }));
  for (const k of ['eyeL', 'eyeR']) svg.append(parts[k] = s('ellipse', { class: 'att-face-eye', rx: 2.3 }));
  svg.mood = mood => {
    const [inner, outer, eye, shift, mouth] = FACES[mood] || FACES.calm;
    parts.browL.setAttribute('d', `M37 ${outer} Q41.5 ${(inner + outer) / 2 - 1} 46 ${inner}`);
    parts.browR.setAttribute('d', `M54 ${inner} Q58.5 ${(inner + outer) / 2 - 1} 63 ${outer}`);
    parts.eyeL.setAttribute('cx', 42); parts.eyeR.setAttribute('cx', 58);
    for (const e of [parts.eyeL, parts.eyeR]) { e.setAttribute('cy', 45 + shift); e.setAttribute('ry', eye); }
    parts.mouth.setAttribute('d', mouth);
  };
  return svg;
}

// Trust over time as a line over the five bands; the table beside it carries the same data.
function chart(values) {
  const W = 320, H = 172, L = 30, R = 10, T = 10, B = 30, w = W - L - R, ht = H - T - B, n = values.length;
  const x = i => L + (n > 1 ? (i * w) / (n - 1) : w / 2);
  const y = v => T + ht * (1 - v / 100);
  const label = `Line chart of trust over time: it starts at ${values[0]} and ends at ${values[n - 1]} of 100 after ${plural(n - 1, 'turn')}. The table has each value.`;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'att-chart', role: 'img', 'aria-label': label });
  for (let g = 0; g <= 100; g += 20) {
    svg.append(s('line', { x1: L, x2: W - R, y1: y(g), y2: y(g), class: 'att-grid' }), s('text', { x: L - 6, y: y(g) + 3.5, class: 'att-axis', 'text-anchor': 'end' }, g));
  }
  const step = Math.ceil((n - 1) / 8) || 1;
  for (let i = 0; i < n; i += step) svg.append(s('text', { x: x(i), y: H - B + 15, class: 'att-axis', 'text-anchor': 'middle' }, i || 'start'));
  svg.append(s('text', { x: L + w / 2, y: H - 2, class: 'att-axis', 'text-anchor': 'middle' }, 'turn'));
  svg.append(s('polyline', { points: values.map((v, i) => `${x(i)},${y(v)}`).join(' '), class: 'att-line' }));
  values.forEach((v, i) => svg.append(s('circle', { cx: x(i), cy: y(v), r: 3.2, class: 'att-dot' })));
  return svg;
}

// Events: every one is a bubbling, composed CustomEvent named `attunement-<type>` whose
// detail starts with { version, type, scenario: { id, title, hash, language }, mode, attempt }.
// docs/embedding.md documents them; lms/*.js report them to course sites.
const EVENT_VERSION = 1;

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map(v => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const MODES = ['practice', 'assessment'];
// After a choice lands, input on the choices is ignored this long, so a double tap answers once.
const QUIET_MS = 400;

const LEVELS = { good: 'Good', fair: 'Fair', below_fair: 'Below fair', not_applicable: 'Not rated: too few' };

// The three kinds of response (Kind in src/skill.rs), as badges.
const KINDS = { skill: 'Builds trust', neutral: 'Neutral', roadblock: 'Roadblock' };
const badge = kind => h('span', { class: 'att-badge', 'data-kind': kind, text: KINDS[kind] || kind });

// The parts of a turn's change beyond its base: each modifier, what the ceiling took, and each
// consequence of an earlier choice that landed with it, in the engine's words.
const amount = (n, text, cls) => h('li', { class: cls }, h('span', { class: 'att-amount', text: signed(n) }), ' ', h('span', { text }));
const reasons = t => [
  t.modifiers.map(m => amount(m.amount, `${cap(m.text)}.`)),
  t.ceiling_text && amount(t.ceiling, `${cap(t.ceiling_text)}.`),
  t.consequences.map(c => amount(c.amount, `${c.from_turn ? `From turn ${c.from_turn}` : 'From an earlier choice'}: ${c.feedback.trim()}`, 'att-later')),
];
// What trust would have moved with no 0 to 100 bound.
const unbounded = t => t.total + t.ceiling + t.consequences.reduce((sum, c) => sum + c.amount, 0);
// The warning beat, in the engine's words.
const warning = t => `Warning: ${t.warning}.`;

class AttunementSim extends HTMLElement {
  static observedAttributes = ['src', 'mode'];

  connectedCallback() {
    addStyles();
    widgets.add(this);
    document.addEventListener('keydown', this._onKey ||= e => this._key(e));
    if (!this._booted) { this._booted = true; this._boot(); }
    if (this.hasAttribute('watch')) this._timer ||= setInterval(() => this._poll(), 1000);
  }

  disconnectedCallback() {
    widgets.delete(this);
    document.removeEventListener('keydown', this._onKey);
    clearInterval(this._timer);
    this._timer = null;
  }

  // With `watch`: reload when the scenario's text changes. The save replays what still fits,
  // so an author keeps their place; an error shows in the panel until the file is fixed.
  async _poll() {
    if (this._polling || !this._url) return;
    this._polling = true;
    try {
      const r = await fetch(this._url, { cache: 'no-store' });
      const text = r.ok ? await r.text() : null;
      if (text !== null && text !== this._text && !this._dead) {
        // Carry the session across the reload, even with no-save, and across a broken
        // version of the file: the last good session waits until the file is fixed.
        try { this._carry = this._p?.save() ?? this._carry ?? null; } catch { /* keep the last one */ }
        this._boot();
      }
    } catch { /* the server may be restarting: try again next time */ }
    this._polling = false;
  }

  attributeChangedCallback(_, before, after) {
    if (this._booted && before !== after) this._boot();
  }

  // ------------------------------------------------------------ loading

  async _boot() {
    const token = (this._token = (this._token || 0) + 1);
    this._free();
    this._dead = false;
    this._info = null;
    this._uid ||= `att${++uid}`;
    this.classList.add('att');
    this._renderShell();
    try {
      const src = this.getAttribute('src');
      if (!src) throw new Error('no scenario: set the src attribute to the URL of a scenario');
      // An unknown mode falls back to practice, with one warning for whoever set up the page.
      let mode = this.getAttribute('mode') || 'practice';
      if (!MODES.includes(mode)) {
        console.warn(`attunement: unknown mode "${mode}": the allowed modes are ${MODES.join(' and ')}; using practice`);
        mode = 'practice';
      }
      const url = (this._url = new URL(src, document.baseURI));
      const [m, text] = await Promise.all([
        engine(/\.toml$/i.test(url.pathname) ? 'pkg-author' : 'pkg'),
        fetch(url).then(r => {
          if (!r.ok) throw new Error(`could not load the scenario ${url.pathname}: HTTP ${r.status} ${r.statusText}`.trim());
          return r.text();
        }),
      ]);
      if (token !== this._token) return;
      this._text = text;
      this._m = m;
      this._mode = mode;
      this._sim = new m.Simulator(text, decodeURIComponent(url.pathname.split('/').pop()) || 'scenario.json');
      this._info = this._sim.info();
      // The scenario's language, for screen readers' pronunciation and hyphenation.
      if (this._info.language) this.setAttribute('lang', this._info.language);
      this._title.textContent = this._info.title;
      this._heading.prepend(this._title);
      this._modeTag.textContent = mode === 'practice' ? 'Practice' : 'Assessment';
      this._modeTag.hidden = false;
      // Course-site reporting (xAPI, SCORM) attaches before any save is read: SCORM keeps
      // the save in the LMS instead of localStorage. One that fails is retried at the next event.
      await this._attachLms();
      if (token !== this._token) return;
      let shown = false;
      const saved = this._carry || this._store('get');
      if (saved) {
        try {
          // The page's mode, never the save's: the engine refuses a save from the other mode.
          const play = this._sim.restore(saved, mode);
          const notice = play.notice();
          if (notice) this._notice(`The scenario has changed since your last visit, so your progress was replayed as far as it still fits: ${notice}`);
          this._attempt = this._loadAttempt() || this._newAttempt();
          this._play(play, false);
          this._emit('resume', { turn: play.view().turn, notice: notice || null });
        } catch (e) {
          this._store('remove');
          const other = /^the save was made in (practice|assessment) mode, not (practice|assessment) mode/.exec(message(e));
          this._notice(other
            ? `Your saved progress was from ${other[1]} mode, so this ${other[2]} starts afresh.`
            : `Your saved progress could not be restored (${message(e)}). Starting afresh.`);
          this._begin(false);
        }
        shown = true;
      }
      if (!shown) this._intro();
      this._carry = null;
    } catch (e) {
      if (token === this._token) this._fail(e);
    }
  }

  // The header holds "Get help now" from the first moment; the title (h2) joins it once the
  // scenario is known, so no placeholder title is ever read out.
  _renderShell() {
    const helpId = `${this._uid}-help`;
    const href = this._helpHref();
    this._title = h('h2', { class: 'att-title', text: 'Attunement' });
    this._modeTag = h('span', { class: 'att-mode', hidden: true });
    const panel = h('div', { class: 'att-help', id: helpId, hidden: true },
      h('p', { text: this.getAttribute('help-text') || HELP }),
      href && h('p', {}, h('a', { href, target: '_blank', rel: 'noopener', text: 'Open the help page (new tab)' })));
    const toggle = h('button', {
      type: 'button', class: 'att-btn att-help-toggle', 'aria-expanded': 'false', 'aria-controls': helpId, text: 'Get help now',
      onclick: () => {
        const open = panel.hidden;
        panel.hidden = !open;
        toggle.setAttribute('aria-expanded', String(open));
      },
    });
    this._notices = h('div', { class: 'att-notices' });
    this._body = h('div', { class: 'att-body' }, h('p', { class: 'att-loading', role: 'status', text: 'Loading the conversation…' }));
    this.replaceChildren(
      h('header', { class: 'att-header' }, this._heading = h('div', { class: 'att-heading' }, this._modeTag), toggle),
      panel, this._notices, this._body);
  }

  _helpHref() {
    const raw = this.getAttribute('help-href');
    if (!raw) return null;
    try {
      const u = new URL(raw, document.baseURI);
      return /^(https?|tel|mailto):$/.test(u.protocol) ? u.href : null;
    } catch { return null; }
  }

  _seed() {
    const seed = (this.getAttribute('seed') || '').trim();
    return /^\d+$/.test(seed) ? Number(seed) >>> 0 : crypto.getRandomValues(new Uint32Array(1))[0];
  }

  // The save (and its attempt) go to `this.store` when a reporter sets one (SCORM keeps
  // them in the LMS), else to localStorage. Storage may be missing, full or refused (private
  // modes, sandboxed frames): then progress is not kept, and the learner is told so once.
  _store(op, value) {
    if (this.hasAttribute('no-save') || !this._info) return null;
    const key = `attunement:${this._info.id}:${this._mode}`;
    try {
      const store = this.store || localStorage;
      switch (op) {
        case 'get': return store.getItem(key);
        case 'get-attempt': return store.getItem(`${key}:attempt`);
        case 'set-attempt': return store.setItem(`${key}:attempt`, value);
        case 'remove':
          store.removeItem(`${key}:attempt`);
          return store.removeItem(key);
        default: return store.setItem(key, value ?? this._p.save());
      }
    } catch {
      if (op !== 'get' && op !== 'get-attempt' && op !== 'remove') this._unsaved();
    }
    return null;
  }

  // Once (a dismissed notice stays dismissed) until Restart, not once per turn.
  _unsaved() {
    if (this._unsavedIn === this._notices) return;
    this._unsavedIn = this._notices;
    this._notice('Your progress cannot be saved on this device (its storage is full or turned off), so if you leave or reload this page the conversation starts again.');
  }

  _notice(text) {
    const box = h('div', { class: 'att-notice' }, h('p', { role: 'status', text }));
    box.append(button('Dismiss', () => box.remove(), 'att-quiet'));
    this._notices.append(box);
    return box;
  }

  _free() {
    for (const k of ['_p', '_sim']) {
      try { this[k]?.free(); } catch { /* already gone with a dead instance */ }
      this[k] = null;
    }
  }

  // ------------------------------------------------------------ intro

  _intro() {
    const i = this._info, notes = i.content_notes || [], id = this._uid;
    const begin = () => this._guard(() => this._begin(true));
    const practice = this._mode === 'practice';
    const actions = notes.length
      ? [button('Continue', begin, 'att-primary'), button('Skip this scenario', () => this._skip())]
      : [button('Start', begin, 'att-primary')];
    this._body.replaceChildren(h('div', { class: 'att-intro' },
      h('p', { class: 'att-summary', text: i.summary }),
      h('ul', { class: 'att-facts' },
        h('li', { text: `About ${plural(i.minutes, 'minute')}` }),
        h('li', { text: practice
          ? 'Practice: after each response you see which skill you used and how trust moved, and you can try a different response.'
          : 'Assessment: play the conversation through; the feedback on each response waits for the debrief at the end.' })),
      h('section', { class: 'att-about', 'aria-labelledby': `${id}-about` },
        h('h3', { id: `${id}-about`, text: `About ${i.peer.name}` }),
        i.peer.pronouns && h('p', { class: 'att-pronouns', text: i.peer.pronouns }),
        paras(i.peer.background)),
      i.objectives?.length && h('details', { class: 'att-objectives' },
        h('summary', { text: 'What this scenario practises' }),
        h('ul', {}, i.objectives.map(o => h('li', { text: o })))),
      notes.length
        ? h('section', { class: 'att-content-note', 'aria-labelledby': `${id}-note` },
          h('h3', { id: `${id}-note`, text: 'Content note' }),
          h('p', { text: 'This conversation touches on:' }),
          h('ul', {}, notes.map(n => h('li', { text: n }))),
          h('p', { text: 'You can skip it, and you can stop at any time. "Get help now" stays at the top of the conversation.' }),
          h('div', { class: 'att-actions' }, actions))
        : h('div', { class: 'att-actions' }, actions)));
  }

  // A new attempt: a fresh session, a new attempt id (xAPI registration), a start event.
  _begin(focus) {
    const old = this._p;
    this._attempt = this._newAttempt();
    this._play(this._sim.start(this._mode, this._seed()), focus);
    this._store('set');
    if (old && old !== this._p) try { old.free(); } catch { /* nothing to free */ }
    this._emit('start', {});
  }

  _newAttempt() {
    const attempt = { id: uuid(), started: new Date().toISOString() };
    this._store('set-attempt', JSON.stringify(attempt));
    return attempt;
  }

  _loadAttempt() {
    try {
      const a = JSON.parse(this._store('get-attempt') || 'null');
      return a && typeof a.id === 'string' ? a : null;
    } catch { return null; }
  }

  // A reporter not loaded yet keeps the event for later, and is tried again.
  _emit(type, extra) {
    const detail = this._dispatch(type, extra);
    for (const r of this._reporting || []) {
      if (r.state === 'attached') continue;
      if (r.missed.length < 1000) r.missed.push({ type, detail });
      if (r.state === 'missing') this._attachOne(r);
    }
  }

  _dispatch(type, extra) {
    const i = this._info;
    const detail = { version: EVENT_VERSION, type, scenario: { id: i.id, title: i.title, hash: i.hash, language: i.language }, mode: this._mode, attempt: this._attempt?.id ?? null, started: this._attempt?.started ?? null, ...extra };
    this.dispatchEvent(new CustomEvent(`attunement-${type}`, { bubbles: true, composed: true, detail }));
    return detail;
  }

  // Loads the reporters the host asked for: `scorm` (the SCORM runtime of a package) and
  // `xapi-endpoint` (a learning record store). Each module's attach(element, missed) returns
  // when ready; `missed` are the events it was not there for. Never rejects.
  _attachLms() {
    if (!this._reporting) {
      const wanted = [];
      if (this.hasAttribute('scorm')) wanted.push('lms/scorm.js');
      if (this.getAttribute('xapi-endpoint')) wanted.push('lms/xapi.js');
      this._reporting = wanted.map(path => ({ path, state: 'missing', missed: [] }));
    }
    return Promise.all(this._reporting.map(r => this._attachOne(r)));
  }

  // state: 'missing' (not loaded yet), 'loading', 'attached', or 'broken' (its attach threw:
  // a second one could report everything twice). The host hears of a failure, not the learner.
  async _attachOne(r) {
    if (r.state !== 'missing') return r.loading;
    r.state = 'loading';
    let why;
    r.loading = reporter(r.path).then(async m => {
      r.state = 'attached';
      try { await m.attach(this, r.missed.splice(0)); } catch (e) { r.state = 'broken'; why = `it could not start (${message(e)})`; }
    }, e => { r.state = 'missing'; why = `it could not be loaded (${message(e)}); it is tried again at the learner's next step`; });
    await r.loading;
    if (why) {
      console.warn(`attunement: no reports are sent through ${r.path} for now: ${why}`);
      this._dispatch('reporting-error', { module: r.path, message: why });
    }
  }

  _skip() {
    this._emit('skip', {});
    const back = button('Show the scenario again', () => this._intro());
    this._body.replaceChildren(h('div', { class: 'att-skipped' },
      h('p', { role: 'status', text: 'You skipped this scenario. Choosing what you take on is part of looking after yourself.' }), back));
    back.focus();
  }

  // ------------------------------------------------------------ play

  _play(play, focus) {
    this._p = play;
    this._turnNodes = [];
    this._group = null;
    this._debrief = null;
    const name = this._info.peer.name;
    const practice = this._mode === 'practice';
    this._face = face();
    this._moodText = h('strong');
    this._persona = h('div', { class: 'att-persona' }, this._face,
      h('div', {},
        h('p', { class: 'att-name' }, name, this._info.peer.pronouns && h('span', { class: 'att-pronouns', text: ` (${this._info.peer.pronouns})` })),
        h('p', { class: 'att-mood' }, 'Mood: ', this._moodText)));
    this._fill = h('div', { class: 'att-meter-fill' });
    this._meter = h('div', { class: 'att-meter', role: 'meter', 'aria-label': 'Trust', 'aria-valuemin': '0', 'aria-valuemax': '100' }, this._fill);
    this._trustValue = h('span', { class: 'att-trust-value' });
    this._trustBand = h('span', { class: 'att-trust-band' });
    this._delta = h('span', { class: 'att-delta', hidden: true });
    const trust = h('div', { class: 'att-trust' },
      h('div', { class: 'att-trust-head', 'aria-hidden': 'true' },
        h('p', { class: 'att-trust-label' }, 'Trust', this._delta),
        h('p', { class: 'att-trust-now' }, this._trustValue, ' ', this._trustBand)),
      this._meter);
    this._log = h('div', { class: 'att-log', role: 'log', 'aria-label': 'Conversation' });
    this._feedback = practice ? h('section', { class: 'att-feedback', 'aria-label': 'Feedback', hidden: true }) : null;
    this._choices = h('div', { class: 'att-choices', role: 'group', 'aria-label': 'Your response', tabindex: '-1' });
    this._choiceBox = h('div', { class: 'att-respond' },
      h('p', { class: 'att-respond-label', 'aria-hidden': 'true', text: 'Your response' }), this._choices);
    this._announce = h('p', { class: 'att-sr', role: 'status' });
    this._main = h('div', { class: 'att-main' }, this._log, this._feedback, this._choiceBox, this._announce);
    this._body.replaceChildren(h('div', { class: 'att-play' },
      h('div', { class: 'att-side' }, this._persona, trust), this._main));

    // Rebuild the transcript of a restored session from its turns.
    const turns = play.turns();
    turns.forEach((t, i) => {
      if (i === 0) this._peer(t.peer_said, t.peer_cue);
      this._learner(t.text);
      if (i + 1 < turns.length) this._peer(turns[i + 1].peer_said, turns[i + 1].peer_cue);
    });
    const view = play.view();
    this._peer(view.say, view.cue);
    if (practice && turns.length) this._explain(turns[turns.length - 1], view.can_undo);
    this._update(view, focus, !!turns.length);
  }

  _msg(speaker, who, ...kids) {
    const p = h('p', { class: 'att-msg', 'data-speaker': speaker },
      who && h('span', { class: 'att-who' }, who, h('span', { class: 'att-sr', text: ':' })), ' ', ...kids);
    this._log.append(p);
    this._group?.push(p);
    return p;
  }

  _peer(say, cue) {
    if (!say && !cue) return;
    this._msg('peer', this._info.peer.name,
      say && h('span', { class: 'att-say', text: say }),
      cue && h('span', { class: 'att-cue', text: cue }));
  }

  _learner(text) {
    this._turnNodes.push(this._group = []);
    this._msg('learner', 'You', h('span', { class: 'att-say', text }));
  }

  // Shows the view: meter, persona, and the choices or, at an ending, the debrief.
  _update(view, focus, changed) {
    const t = view.trust;
    this._meter.setAttribute('aria-valuenow', t.value);
    this._meter.setAttribute('aria-valuetext', t.text);
    this._meter.dataset.band = t.band;
    this._fill.style.width = `${Math.max(0, Math.min(100, ((t.value - t.min) * 100) / (t.max - t.min || 1)))}%`;
    this._trustValue.textContent = t.value;
    this._trustBand.textContent = `of ${t.max} · ${t.band}`;
    this._persona.dataset.mood = view.mood;
    this._face.mood(view.mood);
    this._moodText.textContent = view.mood_label;

    const ended = !!view.ending;
    this._choiceBox.hidden = ended;
    this._choices.replaceChildren(...(ended ? [] : view.choices.map((c, i) => h('button', {
      type: 'button', class: 'att-choice', onclick: () => this._choose(c.id, c.text),
    }, h('span', { class: 'att-key', text: `${i + 1}.` }), ' ', h('span', { text: c.text })))));
    if (ended) {
      this._msg('system', null, `The conversation has ended: ${view.ending.title}.`);
      this._showDebrief();
    }
    if (!focus) return;
    // Focus goes to the new choices (or the debrief); the view scrolls to the learner's
    // line, so the peer's answer and the feedback are read before the next choices.
    (ended ? this._debrief.querySelector('h3') : this._choices).focus({ preventScroll: true });
    const first = (changed && this._group?.[0]) || (this.getBoundingClientRect().top < 0 && this);
    if (first) first.scrollIntoView({ block: 'start', behavior: reduced() ? 'auto' : 'smooth' });
  }

  _choose(id, text) {
    if (this._dead || !this._p || this._busy || performance.now() < (this._quietUntil || 0)) return;
    this._busy = true;
    this._guard(() => {
      const step = this._p.choose(id);
      const save = this._p.save();
      this._store('set', save);
      this._learner(text);
      const view = this._p.view();
      this._peer(view.say, view.cue);
      if (step.explanation) this._explain(step.explanation, view.can_undo);
      // Focus moves on to the choices, past the feedback: the warning beat is announced too.
      this._announce.textContent = step.explanation?.warning ? warning(step.explanation) : '';
      this._update(view, true, true);
      // Reporters get the full turn in both modes: the course site is not the learner.
      // Practice carries the turn in the step; assessment keeps it back from the learner.
      const t = step.explanation ?? this._p.turns().at(-1);
      this._emit('choice', {
        turn: t.number, node: t.node, choice: { id: t.choice, text: t.text }, skill: t.skill, kind: t.kind,
        trust_before: t.trust_before, trust_after: t.trust_after, ended: step.ended, save,
      });
      if (step.ended) {
        // The debrief _update just showed; the score and the pass are the engine's.
        const d = this._debriefData, { raw, min, max, scaled, passed } = d.score;
        this._emit('complete', {
          ending: d.ending, trust: d.trust.value, turns: d.turns.length, passed, score: { raw, min, max, scaled }, save,
        });
      }
    });
    // The quiet moment shows as data-quiet on the choices group (tests wait for it to go).
    this._quietUntil = performance.now() + QUIET_MS;
    const group = this._choices;
    group?.setAttribute('data-quiet', '');
    setTimeout(() => group?.removeAttribute('data-quiet'), QUIET_MS);
    this._busy = false;
  }

  _undo() {
    this._guard(() => {
      this._p.undo();
      this._store('set');
      for (const node of this._turnNodes.pop() || []) node.remove();
      this._group = null;
      this._debrief?.remove();
      this._debrief = null;
      const turns = this._p.turns(), view = this._p.view();
      if (turns.length) this._explain(turns[turns.length - 1], view.can_undo);
      else { this._feedback.hidden = true; this._feedback.replaceChildren(); this._delta.hidden = true; }
      this._update(view, true, false);
      this._announce.textContent = `Your last response was taken back. ${this._info.peer.name} is waiting for your response.`;
    });
  }

  // Practice feedback: the skill, the trust change, the warning beat, each reason (with
  // the ceiling and consequences of earlier choices), the scenario's feedback.
  _explain(t, canUndo) {
    const change = t.trust_after - t.trust_before, moved = unbounded(t);
    this._delta.textContent = signed(change);
    this._delta.dataset.sign = change > 0 ? 'up' : change < 0 ? 'down' : 'none';
    this._delta.hidden = false;
    this._feedback.dataset.kind = t.kind;
    this._feedback.hidden = false;
    this._feedback.replaceChildren(...h('div', {},
      h('h3', { class: 'att-fb-title', text: 'Feedback' }),
      h('p', { class: 'att-fb-skill' }, badge(t.kind), ' ', h('strong', { class: 'att-cap', text: t.skill_label })),
      h('p', { class: 'att-fb-change', text: `trust ${t.trust_before} → ${t.trust_after} (${signed(change)})` }),
      t.warning && h('p', { class: 'att-warn', text: warning(t) }),
      h('p', { class: 'att-fb-sub', text: 'Why trust moved' }),
      h('ul', { class: 'att-reasons' }, amount(t.base, this._baseText(t)), reasons(t)),
      moved !== change && h('p', { class: 'att-fb-note', text: `Trust stays between 0 and 100, so it moved ${signed(change)} rather than ${signed(moved)}.` }),
      t.feedback && h('p', { class: 'att-fb-text', text: t.feedback }),
      canUndo && h('div', { class: 'att-actions' }, button('Try a different response', () => this._undo()))).childNodes);
  }

  // The base effect in words: the skill's general reason, unless the scenario made this
  // particular response work against its kind (then the feedback explains).
  _baseText(t) {
    const label = cap(t.skill_label), up = t.base > 0, usual = (t.kind === 'skill') === up;
    if (!t.base) return `${label} did not move trust by itself here.`;
    if (t.kind === 'neutral') return `${label} is neutral by itself, but ${up ? 'builds' : 'costs'} trust with ${this._info.peer.name} here: ${t.why}.`;
    return usual
      ? `${label} ${up ? 'builds' : 'costs'} trust with ${this._info.peer.name}: ${t.why}.`
      : `${label} usually ${up ? 'costs' : 'builds'} trust, but this response ${up ? 'builds' : 'costs'} trust here; the feedback below says why.`;
  }

  _key(e) {
    if (e.defaultPrevented || e.repeat || e.ctrlKey || e.metaKey || e.altKey || !/^[1-9]$/.test(e.key)) return;
    if (!this._choices?.isConnected || this._choiceBox.hidden) return;
    const t = e.target;
    if (t.isContentEditable || /^(input|textarea|select)$/i.test(t.localName || '')) return;
    // Only with focus inside this widget: a digit typed elsewhere on the page is not an answer.
    if (!this.contains(t)) return;
    const b = this._choices.querySelectorAll('button')[e.key - 1];
    if (b) { e.preventDefault(); b.click(); }
  }

  // ------------------------------------------------------------ debrief

  _showDebrief() {
    const d = (this._debriefData = this._p.debrief()), id = `${this._uid}-debrief`;
    const turns = d.turns;
    const sub = text => h('h4', { text });
    const table = (caption, head, rows) => h('table', { class: 'att-table' },
      h('caption', { text: caption }),
      h('thead', {}, h('tr', {}, head.map(c => [h('th', { scope: 'col', text: c }), ' ']))),
      h('tbody', {}, rows.map(r => h('tr', {}, r.map((c, i) => [h(i ? 'td' : 'th', i ? {} : { scope: 'row' }, Array.isArray(c) ? c : String(c)), ' '])))));
    const m = d.miti;
    const level = (name, value, lvl, guide, says) => h('div', { class: 'att-miti-item' },
      h('p', { class: 'att-miti-name', text: name }),
      h('p', { class: 'att-miti-value' }, value != null && h('strong', { text: value }), ' ', h('span', { class: 'att-level', 'data-level': lvl, text: LEVELS[lvl] || lvl })),
      h('p', { text: says }),
      h('p', { class: 'att-miti-guide', text: guide }));
    const ratioSays = {
      good: 'You reflected back what you heard more often than you asked: the peer mostly felt listened to, not questioned.',
      fair: 'You reflected about as often as you asked. Aim for two reflections for each question.',
      below_fair: 'You asked more than you reflected. Try reflecting what you hear before asking the next question.',
      not_applicable: 'You asked no questions, so there is no ratio to rate.',
    };
    const shareSays = {
      good: 'Half or more of your reflections added meaning beyond the peer\'s words.',
      fair: 'Some of your reflections added meaning. Aim for half of them.',
      below_fair: 'Most of your reflections stayed close to the peer\'s words. A complex reflection names the feeling underneath, or both sides of a mixed feeling.',
      not_applicable: m.reflections ? 'There were too few reflections to rate how many of them were complex.' : 'There were no reflections to count.',
    };
    const counted = m.counts.filter(c => c.count > 0);
    const b = d.best_path, s = d.score;

    // Every turn's comparison has an anchor; a link to one opens the fold-out and moves focus there.
    const turnId = n => `${this._uid}-turn-${n}`;
    const compare = h('details', { class: 'att-compare' }), targets = new Map();
    const toTurn = n => d.comparison.some(c => c.turn === n)
      ? h('a', { href: `#${turnId(n)}`, text: `turn ${n}`, onclick: e => {
        e.preventDefault();
        compare.open = true;
        const target = targets.get(n);
        target.focus({ preventScroll: true });
        target.scrollIntoView({ block: 'start', behavior: reduced() ? 'auto' : 'smooth' });
      } })
      : `turn ${n}`;
    const turnLinks = ns => ns.flatMap((n, i) => [i ? (i === ns.length - 1 ? ' and ' : ', ') : '', toTurn(n)]);

    const explained = t => {
      const why = reasons(t).flat();
      return h('li', {},
        h('p', { class: 'att-quote', text: t.text }),
        h('p', { class: 'att-moment-meta' }, badge(t.kind), ' ',
          h('span', { class: 'att-cap', text: t.skill_label }), `: trust ${t.trust_before} → ${t.trust_after} (${signed(t.trust_after - t.trust_before)})`),
        t.warning && h('p', { class: 'att-warn', text: warning(t) }),
        why.some(Boolean) && h('ul', { class: 'att-reasons' }, why),
        t.feedback && h('p', { text: t.feedback }));
    };
    const response = (r, verb) => [
      h('p', { class: 'att-quote', text: r.text }),
      h('p', { class: 'att-moment-meta' }, badge(r.kind), ' ', h('span', { class: 'att-cap', text: `${r.label}:` }), ` ${verb} ${signed(r.change)}`)];
    const entry = c => {
      const li = h('li', { id: turnId(c.turn), tabindex: '-1' },
        h('p', { class: 'att-compare-turn', text: `Turn ${c.turn}` }),
        h('p', { class: 'att-compare-sub', text: 'You said' }),
        response(c.chosen, 'trust'),
        h('p', { class: 'att-compare-sub', text: c.options.length ? 'The other trust-building options then' : 'No other trust-building option was on offer then.' }),
        c.options.length > 0 && h('ul', { class: 'att-compare-options' }, c.options.map(o => h('li', {}, response(o, 'would have moved trust')))));
      targets.set(c.turn, li);
      return li;
    };
    compare.append(
      h('summary', { text: 'Turn by turn: what you said beside the other options' }),
      h('ol', { class: 'att-compare-list' }, d.comparison.map(entry)));

    this._debrief = h('section', { class: 'att-debrief', role: 'region', 'aria-labelledby': id },
      h('h3', { id, tabindex: '-1', text: 'Debrief' }),
      h('div', { class: 'att-ending', 'data-outcome': d.ending.outcome },
        h('p', { class: 'att-outcome', text: `Ending · ${d.ending.outcome.replace(/_/g, ' ')}` }),
        h('p', { class: 'att-ending-title', text: d.ending.title }),
        paras(d.text),
        d.next_time && h('p', { class: 'att-next' }, h('strong', { text: 'Next time: ' }), d.next_time.trim()),
        h('p', { class: 'att-final', text: `Final trust: ${d.trust.value} of ${d.trust.max}, ${d.trust.band}.` })),

      h('div', { class: 'att-score', 'data-passed': String(s.passed) },
        h('p', { class: 'att-score-line', text: `Score ${s.raw} of ${s.max}, ${s.passed ? 'passed' : 'not passed'}.` }),
        h('p', { class: 'att-score-note', text: `A pass needs a score of ${s.pass} or more and an ending that connects${s.missed_safety_question ? '; and where the peer shows warning signs of suicide, asking directly about safety. Not passed: nobody asked.' : '.'}${s.best > 0 ? ` The score is what your responses were worth (${signed(s.skill)}) as a share of the best path's (${signed(s.best)}).` : ''}` })),

      d.practise_next.length > 0 && [sub('What to practise next'),
        h('ul', { class: 'att-practise' }, d.practise_next.map(p => h('li', { 'data-rule': p.rule },
          h('p', { text: p.text }),
          p.turns.length > 0 && h('p', { class: 'att-turn-links' }, 'Look again at ', turnLinks(p.turns), '.'))))],

      sub('Trust over time'),
      h('div', { class: 'att-over-time' },
        h('div', { class: 'att-chart-box' }, chart(d.trust_over_time)),
        table('Trust after each turn', ['Turn', 'Trust', 'Change'],
          d.trust_over_time.map((v, i) => [i ? i : 'Start', v, i ? signed(v - d.trust_over_time[i - 1]) : '']))),

      sub('Skills, neutral responses and roadblocks you used'),
      table('Each kind of response, how often, what it was worth before trust\'s bounds, and its net effect on trust', ['Response', 'Times', 'Worth', 'Net trust'],
        d.skills.map(x => [[h('span', { class: 'att-cap', text: x.label }), ' ', badge(x.kind)], x.count, signed(x.worth), signed(x.net)])),

      sub('Reflections and questions (MITI)'),
      h('p', { text: `You made ${plural(m.reflections, 'reflection')} (${m.complex_reflections} complex) and asked ${plural(m.questions, 'question')}. The Motivational Interviewing Treatment Integrity code (MITI 4.2.1) gives guides for both.` }),
      h('div', { class: 'att-miti' },
        level('Reflections per question',
          m.reflection_to_question == null ? (m.reflections ? 'No questions asked' : null) : m.reflection_to_question.toFixed(1),
          m.reflection_to_question_level, 'MITI guide: 1 is fair, 2 is good.', ratioSays[m.reflection_to_question_level] || ''),
        level('Complex reflections',
          m.complex_share == null ? null : m.complex_share_level === 'not_applicable' ? `${m.complex_reflections} of ${m.reflections}` : `${Math.round(m.complex_share * 100)}%`,
          m.complex_share_level, 'MITI guide: 40% is fair, 50% is good. Summaries count as complex reflections.', shareSays[m.complex_share_level] || '')),
      h('p', { class: 'att-miti-sub', text: 'Your responses by MITI code' }),
      counted.length
        ? h('ul', { class: 'att-counts' }, counted.map(c => h('li', {}, `${c.label}: `, h('strong', { text: String(c.count) }))))
        : h('p', { text: 'None of your responses had a MITI code.' }),
      h('p', { class: 'att-miti-guide', text: `MI-adherent (Affirm, Seeking Collaboration, Emphasizing Autonomy): ${m.adherent}. MI-non-adherent (Persuade, Confront): ${m.non_adherent}.` }),

      sub('Key moments'),
      d.key_moments.length
        ? h('ol', { class: 'att-moments' }, d.key_moments.map(k => {
          const t = turns[k.turn - 1];
          return h('li', { 'data-sign': k.change > 0 ? 'up' : 'down' },
            h('p', { class: 'att-moment-meta' }, h('strong', { text: `Turn ${k.turn}, trust ${signed(k.change)}` }), t && [' · ', h('span', { class: 'att-cap', text: t.skill_label })]),
            h('p', { class: 'att-quote', text: k.text }),
            k.feedback && h('p', { text: k.feedback }));
        }))
        : h('p', { text: 'No single response moved trust much either way.' }),

      b && [sub('Compared with the best path'),
        h('p', { text: `The best path through this scenario reaches trust ${b.best_trust} and the ending "${b.best_ending.title}". You reached trust ${b.learner_trust}${b.best_ending.id === d.ending.id ? ', with the same ending' : ` and the ending "${d.ending.title}"`}.` }),
        b.on_best_path
          ? h('p', { text: 'You reached its ending with as much trust: you were on a best path.' })
          : h('p', {}, ...(b.left_best_path_at == null ? ['You followed the best path all the way.'] : ['You left the best path at ', toTurn(b.left_best_path_at), '.'])),
        h('details', {}, h('summary', { text: 'The best path\'s responses' }), h('ol', { class: 'att-best' }, b.best_responses.map(r => h('li', { text: r }))))],

      compare,

      h('details', { class: 'att-all-turns' },
        h('summary', { text: 'Every response, explained' }),
        h('ol', { class: 'att-moments' }, turns.map(explained))),

      h('div', { class: 'att-actions' },
        button('Download transcript', () => this._guard(() => this._download()), 'att-primary'),
        button('Restart', e => this._confirmRestart(e.currentTarget))));
    this._main.append(this._debrief);
  }

  _download() {
    const url = URL.createObjectURL(new Blob([this._p.markdown()], { type: 'text/markdown' }));
    const a = h('a', { href: url, download: `${this._info.id}-transcript.md`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // Restart asks first, in a native modal <dialog> (window.confirm is blocked in some embeds):
  // "Start over" restarts; "Cancel" or Escape closes it and returns focus to `opener`.
  _confirmRestart(opener) {
    const id = `${this._uid}-restart`;
    const cancel = button('Cancel', () => dialog.close('cancel'));
    const dialog = h('dialog', { class: 'att-dialog', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-text` },
      h('h3', { id: `${id}-title`, text: 'Start over?' }),
      h('p', { id: `${id}-text`, text: 'This clears this conversation and its debrief, and begins the scenario again.' }),
      h('div', { class: 'att-actions' },
        button('Start over', () => dialog.close('confirm'), 'att-primary'), cancel));
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (dialog.returnValue === 'confirm') this._restart();
      else if (opener?.isConnected) opener.focus();
    });
    this.append(dialog);
    dialog.showModal();
    cancel.focus();
  }

  _restart() {
    this._guard(() => {
      this._store('remove');
      this._notices.replaceChildren();
      this._unsavedIn = null;
      this._begin(true);
    });
  }

  // ------------------------------------------------------------ errors

  _guard(fn) {
    try { fn(); } catch (e) { this._fail(e); }
  }

  // The alert panel; after a panic the wasm instance is dead, so Restart reloads the page.
  _fail(e, panic = false) {
    if (this._dead) return;
    if (panic) this._dead = true;
    const playing = !!this._p;
    const restart = () => {
      if (panic || playing) this._store('remove');
      if (panic) location.reload();
      else this._boot();
    };
    if (!this._title.isConnected) this._heading.prepend(this._title);
    const heading = h('h3', { tabindex: '-1', text: 'Something went wrong' });
    this._body.replaceChildren(h('div', { class: 'att-error', role: 'alert' },
      heading,
      h('p', { text: panic
        ? 'The simulator stopped unexpectedly. Restart clears this conversation and begins it again.'
        : playing ? 'The conversation could not continue. Restart begins it again.'
          : 'The scenario could not be loaded. The details below can help whoever set up this page.' }),
      h('pre', { text: message(e) }),
      h('div', { class: 'att-actions' }, button('Restart', restart, 'att-primary'))));
    const active = document.activeElement;
    if (!active || active === document.body || this.contains(active) || !active.isConnected) heading.focus({ preventScroll: true });
  }
}

if (!customElements.get('attunement-sim')) customElements.define('attunement-sim', AttunementSim);
