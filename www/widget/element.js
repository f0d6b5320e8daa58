// element.js: the <attunement-sim> custom element, the learner-facing widget. It wires a
// Session (controller.js: the engine, the save, attempts, events; no DOM) to the views
// (views.js, debrief.js): the screen follows from the session's state, and a restored session
// and one played now take the same path (showPlay). It holds no game logic.
// scripts/build-web.sh bundles and minifies this file and its imports into www/attunement-sim.js,
// the one module pages load; so every URL made from import.meta.url in these modules is written
// from there (www/), not from www/widget/.
// Scenario text is always set as text, never parsed as markup. The DOM it builds is fixed by
// docs/widget-contract.md; classes are prefixed `att-`.

import { h, reduced } from './dom.js';
import { Session, Problem, QUIET_MS, message } from './controller.js';
import * as views from './views.js';
import { debrief } from './debrief.js';
import { markdown } from './markdown.js';
import { choose, rtl } from './i18n.js';
import { t, words } from './words.js';

const WHY_KEY = 'attunement:why-open';
let uid = 0;

function addStyles() {
  const href = new URL('./attunement.css', import.meta.url).href;
  if ([...document.querySelectorAll('link[rel=stylesheet]')].some(l => l.href === href)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}

// Only an https:, http:, tel: or mailto: link may be where help points.
function safeHref(raw) {
  if (!raw) return null;
  try {
    const u = new URL(raw, document.baseURI);
    return /^(https?|tel|mailto):$/.test(u.protocol) ? u.href : null;
  } catch { return null; }
}

const stored = (key, fallback) => { try { return localStorage.getItem(key) ?? fallback; } catch { return fallback; } };
const keep = (key, value) => { try { localStorage.setItem(key, value); } catch { /* a preference only */ } };

class AttunementSim extends HTMLElement {
  static observedAttributes = ['src', 'mode', 'reply', 'show-trust', 'next-href', 'next-title', 'lang'];

  connectedCallback() {
    addStyles();
    document.addEventListener('keydown', this._onKey ||= e => this._key(e));
    if (!this._booted) { this._booted = true; this._boot(); }
    if (this.hasAttribute('watch')) this._timer ||= setInterval(() => this._poll(), 1000);
  }

  disconnectedCallback() {
    document.removeEventListener('keydown', this._onKey);
    clearInterval(this._timer);
    this._timer = null;
  }

  attributeChangedCallback(name, before, after) {
    if (!this._booted || before === after) return;
    // The element writes its own lang (the interface's language) when the host set none.
    if (name === 'lang' && after === this._ownLang) return;
    // The next scenario may be known only after the debrief is drawn: draw it again.
    if (name.startsWith('next-')) { if (this._screen?.debrief) this._sync(false); return; }
    this._boot();
  }

  // With `watch`: reload when the scenario's text changes. The save replays what still fits,
  // so an author keeps their place; an error shows in the panel until the file is fixed.
  async _poll() {
    if (this._polling || !this._s?.url) return;
    this._polling = true;
    try {
      const r = await fetch(this._s.url, { cache: 'no-store' });
      const text = r.ok ? await r.text() : null;
      if (text !== null && text !== this._text && !this._s.dead) {
        // Carry the session across the reload, even with no-save, and across a broken
        // version of the file: the last good session waits until the file is fixed.
        try { this._carry = this._s.play?.save() ?? this._carry ?? null; } catch { /* keep the last one */ }
        this._boot();
      }
    } catch { /* the server may be restarting: try again next time */ }
    this._polling = false;
  }

  // ------------------------------------------------------------ loading

  // The interface's language: the host's lang on the element, else the scenario's (once it is
  // known), else the page's. Its catalogue is fetched once; the element's lang and dir follow it,
  // so the layout mirrors in a right-to-left language. Returns whether it changed.
  async _language(scenario) {
    const host = this.hasAttribute('lang') && this.getAttribute('lang') !== this._ownLang ? this.getAttribute('lang') : null;
    if (host !== null) this._ownLang = null;
    const before = words.lang;
    await words.use(choose(host, scenario, document.documentElement.lang));
    if (host === null) this.setAttribute('lang', (this._ownLang = words.lang));
    this.setAttribute('dir', words.dir);
    return words.lang !== before;
  }

  // The shell (header, notices, body) in the interface's language.
  _shell() {
    this._ui = views.shell(this._uid, { href: safeHref(this.getAttribute('help-href')), text: this.getAttribute('help-text') });
    this.replaceChildren(this._ui.header, this._ui.notices, this._ui.body);
  }

  async _boot() {
    const token = (this._token = (this._token || 0) + 1);
    this._s?.free();
    this._uid ||= `att${++uid}`;
    this.classList.add('att');
    const s = (this._s = new Session(this, {
      unsaved: () => this._ui.notice(t('notice.unsaved')),
      panic: text => this._fail(new Problem(t('problem.panic.title'), t('problem.panic.text'), text), true),
    }));
    this._screen = null;
    await this._language(null);
    if (token !== this._token) return;
    this._shell();
    try {
      this._text = await s.load(this.getAttribute('src'), Session.mode(this.getAttribute('mode')), Session.reply(this.getAttribute('reply')));
      if (token !== this._token) return;
      const i = s.info;
      // Now that the scenario's language is known, the interface may take it.
      if (await this._language(i.language)) {
        await s.useWords(words.lang);
        if (token !== this._token) return;
        this._shell();
      }
      if (s.coderProblem) {
        console.warn(`attunement: the reply coder could not be loaded (${s.coderProblem}); the learner picks from the options`);
        this._ui.notice(t('notice.no_coder'), s.coderProblem);
      }
      // The scenario's own words carry its language, for screen readers' pronunciation and
      // hyphenation, where the interface's differs; a scenario in a right-to-left script
      // (Arabic, say) is marked so that each of its paragraphs takes the direction of its own
      // text, whatever the interface's.
      this._textLang = i.language && i.language !== words.lang ? i.language : null;
      this.toggleAttribute('data-rtl-text', rtl(i.language));
      this._ui.titled(i.title, s.practice ? t('mode.practice') : t('mode.assessment'));
      s.dispatch('ready', {});
      const saved = this._carry || s.store('get');
      this._carry = null;
      if (!saved) return this._intro();
      try {
        const { notice } = s.restore(saved);
        const ended = s.ended;
        this._ui.notice(notice
          ? t('notice.back_changed', { notice })
          : ended ? t('notice.back_ended') : t('notice.back', { name: i.peer.name }));
        this._showPlay(false);
      } catch (e) {
        if (!(e instanceof Problem)) throw e;
        this._ui.notice(e.text, e.detail);
        this._begin(false);
      }
    } catch (e) {
      if (token === this._token) this._fail(e);
    }
  }

  // ------------------------------------------------------------ intro

  _intro() {
    const s = this._s;
    this._ui.status.hidden = true;
    const intro = views.intro(this._uid, s.info, s.practice, {
      begin: () => this._guard(() => this._begin(true)),
      skip: () => this._skip(),
    });
    // The scenario's words in it, marked with their language where the interface's differs.
    if (this._textLang) for (const el of intro.querySelectorAll('.att-summary, .att-about p, .att-objectives ul, .att-content-note ul')) this._scenarioText(el);
    this._ui.body.replaceChildren(intro);
  }

  // Marks `el` as holding the scenario's words, in a language other than the interface's: its
  // lang, and its direction (an English list in an Arabic interface keeps its bullets on the left).
  _scenarioText(el) {
    el.lang = this._textLang;
    el.dir = rtl(this._textLang) ? 'rtl' : 'ltr';
  }

  _skip() {
    this._s.emit('skip', {});
    const { box, focus } = views.skipped(() => this._intro());
    this._ui.body.replaceChildren(box);
    focus.focus();
  }

  _begin(focus) {
    this._s.start();
    this._showPlay(focus);
  }

  // ------------------------------------------------------------ play

  get _trustShown() { return this._s.practice || this.hasAttribute('show-trust'); }

  // The play screen for the session as it is: a restored one (fresh false: its lines go in the
  // history, nothing is read out, nothing takes focus) or one just begun.
  _showPlay(fresh) {
    const s = this._s, i = s.info;
    const bar = views.bar(i.peer, this._trustShown);
    const transcript = views.transcript(i.peer);
    const choices = views.choices({
      pick: id => this._choose(id),
      startOver: e => this._confirm(e?.currentTarget),
    });
    // Writing one's own reply (reply="write" or "both"): the draft of this turn, if any, is
    // { text, reply (the coding), picking (the learner picks the closest option) }.
    this._draft = null;
    const writer = s.reply === 'choose' ? null : views.writer(this._uid, s.reply === 'both', {
      send: text => this._guard(() => this._code(text)),
      go: () => this._choose(this._draft.reply.taken),
      differ: () => this._picking(),
      edit: () => { this._draft = null; this._respond('compose'); },
      options: () => { this._draft = null; this._respond('offer'); },
      write: () => this._respond('compose'),
    });
    if (writer) choices.slot.append(writer.el);
    const feedback = s.practice ? views.feedback(this._uid, i.peer.name, {
      undo: () => this._undo(),
      why: () => stored(WHY_KEY, '0') === '1',
      remember: open => keep(WHY_KEY, open ? '1' : '0'),
    }) : null;
    if (this._textLang) for (const el of [transcript.el, choices.group]) this._scenarioText(el);
    const announce = h('p', { class: 'att-sr', role: 'status' });
    this._ui.status.replaceChildren(bar.el);
    this._ui.status.hidden = false;
    const play = h('div', { class: 'att-play' }, transcript.el, feedback?.el, choices.el, announce);
    this._ui.body.replaceChildren(play);
    this._screen = { bar, transcript, choices, writer, feedback, announce, play, debrief: null };
    const newest = this._sync(fresh);
    if (fresh) this._land(newest, true);
    else requestAnimationFrame(() => this._land(newest, false));
  }

  // Makes the play screen show the session: the bar, the transcript, the feedback on the last
  // turn, the choices or the debrief. Returns the point to show: the peer's newest line.
  _sync(fresh) {
    const s = this._s, sc = this._screen, view = s.view(), turns = s.turns(), last = turns.at(-1);
    sc.bar.update(view);
    sc.bar.change(this._trustShown ? last : null);
    const newest = sc.transcript.sync(turns, view, fresh);
    sc.feedback?.update(last, view.can_undo);
    sc.choices.update(view);
    if (sc.writer) {
      if (view.ending) sc.writer.hide();
      else this._respond(this._draft ? 'coded' : this._s.reply === 'write' ? 'compose' : 'offer', false);
    }
    sc.debrief?.el.remove();
    sc.debrief = view.ending ? this._debrief() : null;
    if (sc.debrief) this._ui.body.append(sc.debrief.el);
    return newest;
  }

  _debrief() {
    const s = this._s;
    const next = this.getAttribute('next-href');
    return debrief(this._uid, s.debrief(), {
      again: e => this._confirm(e.currentTarget),
      assessment: s.practice ? () => this.setAttribute('mode', 'assessment') : null,
      next: next && safeHref(next) ? { href: safeHref(next), title: this.getAttribute('next-title') } : null,
      download: () => this._guard(() => this._download()),
    }, this.getBoundingClientRect().width >= 768);
  }

  // After a choice (or on arriving): focus goes to the new choices (or the debrief heading), and
  // the screen shows the peer's newest line with the choices under it, below the sticky bar.
  _land(point, focus) {
    const sc = this._screen;
    if (!sc) return;
    const target = sc.debrief ? sc.debrief.heading : sc.writer?.focus || sc.choices.group;
    if (focus) target.focus({ preventScroll: true });
    // At the end: the peer's last line and the debrief's three lines under it.
    const to = sc.debrief ? sc.debrief.el.querySelector('.att-summary-lines') : sc.choices.el;
    this._reveal(point || to, to);
  }

  // Scrolls so that `from` (the peer's newest line) is in view just below the sticky bar and the
  // choices `to` below it, scrolling as little as it can; when they do not all fit, the peer's
  // line and the first choice; when even that does not fit (a long reply with "Why?" open), the
  // peer's line comes first, just below the bar: it is what is read next. In an auto-height iframe the page cannot scroll, so an `attunement-reveal`
  // event asks the host (embed.js passes it on to its parent).
  _reveal(from, to) {
    const header = this._ui.header, sticky = getComputedStyle(header).position === 'sticky' ? header.getBoundingClientRect().height : 0;
    const a = from.getBoundingClientRect(), z = (to || from).getBoundingClientRect();
    const first = (to?.querySelector('button') || to || from).getBoundingClientRect();
    const lo = a.top - sticky - 4; // the most it may scroll and keep `from` in view
    const all = z.bottom + 4 - innerHeight; // the least it must scroll to show all of `to`
    const one = first.bottom + 4 - innerHeight; // … to show its first choice
    const least = all <= lo ? all : one <= lo ? one : lo;
    const by = Math.min(Math.max(0, least), lo);
    if (Math.abs(by) > 1) scrollBy({ top: by, behavior: reduced() ? 'auto' : 'smooth' });
    this.dispatchEvent(new CustomEvent('attunement-reveal', {
      bubbles: true, composed: true,
      detail: { top: Math.round(a.top + scrollY - sticky), bottom: Math.round(first.bottom + scrollY) },
    }));
  }

  // What the respond area shows while writing: 'offer' ("both": the options and "Write my own
  // reply"), 'compose' (the text area) or 'coded' (the draft's coding, then the options if the
  // learner picks). `focus` moves focus there (not on a sync, which _land follows).
  _respond(phase, focus = true) {
    const sc = this._screen, d = this._draft;
    if (!sc?.writer) return;
    const taken = d?.reply.taken != null ? this._s.view().choices.find(c => c.id === d.reply.taken)?.text : null;
    const picking = phase === 'coded' && (d.picking || taken == null);
    sc.writer.show(phase, { text: d?.text ?? sc.writer.text, reply: d?.reply, taken, picking: d?.picking });
    sc.choices.options(phase === 'offer' || picking, picking);
    if (focus) (sc.writer.focus || sc.choices.group).focus();
  }

  // Codes what the learner wrote and shows what it reads as, and the option it is taken as;
  // the coding is announced (the status region), focus goes to "Go on with this" or the options.
  _code(text) {
    const reply = this._s.code(text);
    this._draft = { text, reply, picking: false };
    this._respond('coded');
  }

  _picking() {
    this._draft.picking = true;
    this._respond('coded');
  }

  _choose(id) {
    const s = this._s, sc = this._screen;
    if (!sc || s.quiet()) return;
    this._guard(() => {
      const text = this._draft?.text ?? null;
      const done = s.choose(id, text);
      if (!done) return;
      this._draft = null;
      sc.writer?.clear();
      sc.choices.quiet(QUIET_MS);
      const newest = this._sync(true);
      const t = done.step.explanation;
      // Heard as well as seen: the verdict and the change (practice), and the warning beat.
      sc.announce.textContent = t ? [views.verdict(t), t.warning && views.warning(t)].filter(Boolean).join(' ') : '';
      this._land(newest, true);
    });
  }

  _undo() {
    this._guard(() => {
      this._draft = null;
      this._s.undo();
      const newest = this._sync(true);
      this._screen.announce.textContent = t('undo.announce', { name: this._s.info.peer.name });
      this._land(newest, true);
    });
  }

  // "Start over?" beside the button that asked, brought into view (by the parent, in an iframe).
  _confirm(opener) {
    views.confirmStartOver(this._uid, this, opener, () => this._restart(), dialog => this._reveal(dialog, null));
  }

  _restart() {
    this._guard(() => {
      this._ui.notices.replaceChildren();
      this._s.restart();
      this._showPlay(true);
    });
  }

  // Digits 1 to 9 pick a choice, only while focus is inside this widget (never on the page
  // around it, WCAG 2.1.4) and not in a text field.
  _key(e) {
    if (e.defaultPrevented || e.repeat || e.ctrlKey || e.metaKey || e.altKey || !/^[1-9]$/.test(e.key)) return;
    const t = e.target;
    if (!this.contains(t) || t.isContentEditable || /^(input|textarea|select)$/i.test(t.localName || '')) return;
    if (t.closest?.('dialog')) return;
    const b = this._screen?.choices.key(Number(e.key));
    if (b) { e.preventDefault(); b.click(); }
  }

  _download() {
    const url = URL.createObjectURL(new Blob([markdown(this._s.play.debrief())], { type: 'text/markdown' }));
    const a = h('a', { href: url, download: `${this._s.info.id}-transcript.md`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ------------------------------------------------------------ problems

  _guard(fn) {
    try { fn(); } catch (e) { this._fail(e); }
  }

  // The alert panel, in plain words. After a panic the wasm instance is dead, so Start over
  // reloads the page (after clearing the save); a missing scenario offers the way back.
  _fail(e, panic = false) {
    if (this._failed === this._s && !panic) return;
    this._failed = this._s;
    const s = this._s, playing = !!s?.play;
    const p = e instanceof Problem ? e
      : playing ? new Problem(t('problem.play.title'), t('problem.play.text'), message(e))
        : new Problem(t('problem.open.title'), t('problem.open.text'), message(e));
    const restart = () => {
      if (panic || playing) s.store('remove');
      if (panic) location.reload();
      else this._boot();
    };
    const back = safeHref(this.getAttribute('back-href'));
    const actions = [[t(panic || playing ? 'start_over' : 'problem.try_again'), restart, back && p.missing ? '' : 'att-primary']];
    if (back && p.missing) actions.unshift([t('problem.back'), () => location.assign(back), 'att-primary']);
    const { box, heading } = views.problem(p, actions);
    // A scenario that never loaded still gets the widget's h2, above the panel's h3.
    if (!s?.info) this._ui.titled('Attunement', '');
    this._screen = null;
    this._ui.status.hidden = true;
    this._ui.body.replaceChildren(box);
    const active = document.activeElement;
    if (!active || active === document.body || this.contains(active) || !active.isConnected) heading.focus({ preventScroll: true });
  }
}

if (!customElements.get('attunement-sim')) customElements.define('attunement-sim', AttunementSim);
