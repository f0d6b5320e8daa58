// views.js: the widget's screens and parts as small view functions over the session's state:
// the shell (header bar, help, notices), the intro, the bar's persona and trust, the transcript,
// the choices, the practice feedback, the error panel and the confirmation dialog. Each builds
// its DOM once and has an update that makes it show the state it is given. No game logic here.

import { h, button, cap, paras, face, disclose } from './dom.js';
import { t as tr, num, parts, quoted, signed } from './words.js';

export const HELP = () => tr('help.text');

// The three kinds of response (Kind in src/skill.rs), as badges.
const KINDS = ['skill', 'neutral', 'roadblock'];
const kindLabel = kind => (KINDS.includes(kind) ? tr(`kind.${kind}`) : kind);
export const badge = kind => h('span', { class: 'att-badge', 'data-kind': kind, text: kindLabel(kind) });

// The parts of a turn's change beyond its base: each modifier, what the ceiling took, and each
// consequence of an earlier choice that landed with it, in the engine's words.
const amount = (n, text, cls) => h('li', { class: cls }, h('span', { class: 'att-amount', text: signed(n) }), ' ', h('span', { text }));
export const reasons = t => [
  t.modifiers.map(m => amount(m.amount, `${cap(m.text)}.`)),
  t.ceiling_text && amount(t.ceiling, `${cap(t.ceiling_text)}.`),
  t.consequences.map(c => amount(c.amount, c.from_turn
    ? tr('feedback.later_from_turn', { turn: c.from_turn, feedback: c.feedback.trim() })
    : tr('feedback.later', { feedback: c.feedback.trim() }), 'att-later')),
];
// What trust would have moved with no 0 to 100 bound.
const unbounded = t => t.total + t.ceiling + t.consequences.reduce((sum, c) => sum + c.amount, 0);
// The warning beat, in the engine's words.
export const warning = t => tr('feedback.warning', { warning: t.warning });
/// The verdict of a turn, as heard: "Roadblock: closed question. Trust 24 to 21."
export const verdict = t => tr('feedback.verdict', { kind: kindLabel(t.kind), skill: t.skill_label, before: num(t.trust_before), after: num(t.trust_after) });

// ------------------------------------------------------------ shell

/// The header (the title, the mode, the status of the peer while playing, "Get help now" and
/// its panel), the notices and the body. The header sticks to the top of the screen in play.
export function shell(uid, help) {
  const helpId = `${uid}-help`;
  const title = h('h2', { class: 'att-title', text: 'Attunement' });
  const mode = h('span', { class: 'att-mode', hidden: true });
  const panel = h('div', { class: 'att-help', id: helpId, hidden: true },
    h('p', { text: help.text || HELP() }),
    help.href && h('p', {}, h('a', { href: help.href, target: '_blank', rel: 'noopener', text: tr('help.open') })));
  const toggle = disclose(tr('help.toggle'), panel, false);
  toggle.className = 'att-btn att-help-toggle';
  const heading = h('div', { class: 'att-heading' }, mode);
  const status = h('div', { class: 'att-status', hidden: true });
  const header = h('header', { class: 'att-header' }, h('div', { class: 'att-header-row' }, heading, toggle), status, panel);
  const notices = h('div', { class: 'att-notices' });
  const body = h('div', { class: 'att-body' }, h('p', { class: 'att-loading', role: 'status', text: tr('loading') }));
  return {
    header, notices, body, status,
    /// The title joins the header once the scenario is known, so no placeholder is read out.
    titled(text, modeText) {
      title.textContent = text;
      if (!title.isConnected) heading.prepend(title);
      mode.textContent = modeText;
      mode.hidden = !modeText;
    },
    notice(text, detail) {
      const box = h('div', { class: 'att-notice' },
        h('div', { class: 'att-notice-text', role: 'status' }, h('p', { text }), detail && h('p', { class: 'att-notice-detail', text: tr('notice.details', { detail }) })));
      box.append(button(tr('notice.dismiss'), () => box.remove(), 'att-quiet'));
      notices.append(box);
      return box;
    },
  };
}

// ------------------------------------------------------------ intro

/// The intro: the content note first (before the summary and the background, which may name
/// what it warns of), then the summary, the facts and the background, then Continue or Start.
export function intro(uid, info, practice, { begin, skip }) {
  const notes = info.content_notes || [];
  const actions = notes.length
    ? [button(tr('intro.continue'), begin, 'att-primary'), button(tr('intro.skip'), skip)]
    : [button(tr('intro.start'), begin, 'att-primary')];
  return h('div', { class: 'att-intro' },
    notes.length > 0 && h('section', { class: 'att-content-note', 'aria-labelledby': `${uid}-note` },
      h('h3', { id: `${uid}-note`, text: tr('intro.content_note') }),
      h('p', { text: tr('intro.touches_on') }),
      h('ul', {}, notes.map(n => h('li', { text: n }))),
      h('p', { text: tr('intro.you_can_skip', { help: tr('help.toggle') }) }),
      h('div', { class: 'att-actions' }, actions)),
    h('p', { class: 'att-summary', text: info.summary }),
    h('ul', { class: 'att-facts' },
      h('li', { text: tr('intro.minutes', { minutes: info.minutes }) }),
      h('li', { text: tr(practice ? 'intro.practice' : 'intro.assessment') })),
    h('section', { class: 'att-about', 'aria-labelledby': `${uid}-about` },
      h('h3', { id: `${uid}-about`, text: tr('intro.about', { name: info.peer.name }) }),
      info.peer.pronouns && h('p', { class: 'att-pronouns', text: info.peer.pronouns }),
      paras(info.peer.background)),
    info.objectives?.length > 0 && h('details', { class: 'att-objectives' },
      h('summary', { text: tr('intro.objectives') }),
      h('ul', {}, info.objectives.map(o => h('li', { text: o })))),
    !notes.length && h('div', { class: 'att-actions' }, actions));
}

export function skipped(again) {
  const back = button(tr('skipped.again'), again);
  const box = h('div', { class: 'att-skipped' },
    h('p', { role: 'status', text: tr('skipped.text') }), back);
  return { box, focus: back };
}

// ------------------------------------------------------------ the bar: persona and trust

/// The peer's name, face and mood, and the trust meter, in the sticky header. With `trustShown`
/// false (assessment mode, unless the host shows trust) only the name shows: no meter, no mood.
export function bar(peer, trustShown) {
  const faceSvg = face();
  const moodText = h('strong', { class: 'att-mood-text' });
  const persona = h('div', { class: 'att-persona' }, trustShown && faceSvg,
    h('div', { class: 'att-persona-text' },
      h('p', { class: 'att-name' }, peer.name, peer.pronouns && h('span', { class: 'att-pronouns', text: ` (${peer.pronouns})` })),
      trustShown
        ? h('p', { class: 'att-mood' }, parts('bar.mood', { mood: moodText }))
        : h('p', { class: 'att-mood', text: tr('bar.wait') })));
  if (!trustShown) {
    const wait = persona.querySelector('.att-mood');
    return { el: h('div', { class: 'att-bar' }, persona), update(view) { if (view.ending) wait.textContent = tr('bar.below'); }, change() {} };
  }
  const fill = h('div', { class: 'att-meter-fill' });
  const meter = h('div', { class: 'att-meter', role: 'meter', 'aria-label': tr('bar.trust'), 'aria-valuemin': '0', 'aria-valuemax': '100' }, fill);
  const value = h('span', { class: 'att-trust-value' });
  const band = h('span', { class: 'att-trust-band' });
  const delta = h('span', { class: 'att-delta', hidden: true });
  const trust = h('div', { class: 'att-trust' },
    h('p', { class: 'att-trust-now', 'aria-hidden': 'true' }, parts('bar.now', {
      label: h('span', { class: 'att-trust-label', text: tr('bar.trust') }), value,
      max: h('span', { class: 'att-trust-max', text: tr('bar.of_max', { max: num(100) }) }), band, delta })),
    meter);
  return {
    el: h('div', { class: 'att-bar' }, persona, trust),
    update(view) {
      const t = view.trust;
      meter.setAttribute('aria-valuenow', t.value);
      meter.setAttribute('aria-valuetext', t.text);
      meter.dataset.band = t.band;
      fill.style.width = `${Math.max(0, Math.min(100, ((t.value - t.min) * 100) / (t.max - t.min || 1)))}%`;
      value.textContent = num(t.value);
      band.textContent = `· ${t.band_label}`;
      persona.dataset.mood = view.mood;
      faceSvg.mood(view.mood);
      moodText.textContent = view.mood_label;
    },
    /// The last turn's change beside the value (none before the first, or after undoing it).
    change(turn) {
      delta.hidden = !turn;
      if (!turn) return;
      const n = turn.trust_after - turn.trust_before;
      delta.textContent = signed(n);
      delta.dataset.sign = n > 0 ? 'up' : n < 0 ? 'down' : 'none';
    },
  };
}

// ------------------------------------------------------------ transcript

/// The conversation. Lines the learner has seen before (a restored session) go in a plain
/// history above the live log, so a reload reads nothing out again; new lines are appended to the
/// `role="log"`, never re-rendered. `sync` makes it show the session's turns and current view.
export function transcript(peer) {
  const history = h('div', { class: 'att-history' });
  const log = h('div', { class: 'att-log', role: 'log', 'aria-label': tr('transcript.label') });
  const el = h('div', { class: 'att-transcript' }, history, log);
  // One group of messages per turn (the learner's line and the peer's answer), and the opening.
  let groups = [];
  const msg = (into, speaker, who, ...kids) => {
    const p = h('p', { class: 'att-msg', 'data-speaker': speaker },
      who && h('span', { class: 'att-who' }, who, h('span', { class: 'att-sr', text: ':' })), ' ', ...kids);
    into.append(p);
    return p;
  };
  const peerLine = (into, say, cue, ack) => (say || cue || ack) && msg(into, 'peer', peer.name,
    ack && h('span', { class: 'att-say att-ack', text: ack }),
    say && h('span', { class: 'att-say', text: say }),
    cue && h('span', { class: 'att-cue', text: cue }));
  return {
    el,
    /// `turns` and `view` from the session; `fresh` false puts what is new into the history.
    /// Returns the peer's newest line, the point the screen should show after a choice.
    sync(turns, view, fresh) {
      const into = fresh ? log : history;
      // Group 0 is the peer's opening line; group k holds the learner's k-th line and the peer's
      // answer to it. Undo drops the last groups; a new turn appends one. lines[k] is what the
      // peer said before the learner's (k+1)-th line: each turn's peer_said, then the view's.
      while (groups.length > turns.length + 1) for (const node of groups.pop()) node.remove();
      const lines = [...turns.map(t => ({ say: t.peer_said, cue: t.peer_cue, ack: t.peer_acknowledged })), { say: view.say, cue: view.cue, ack: view.acknowledges }];
      if (!groups.length) groups.push([peerLine(into, lines[0].say, lines[0].cue, lines[0].ack)].filter(Boolean));
      for (let i = groups.length - 1; i < turns.length; i++) {
        const w = turns[i].written;
        const group = [w
          ? msg(into, 'learner', tr('transcript.you'), h('span', { class: 'att-say', text: w.text }),
            h('span', { class: 'att-taken', text: tr(w.taken ? 'transcript.taken_as' : 'transcript.picked', { text: quoted(turns[i].text) }) }))
          : msg(into, 'learner', tr('transcript.you'), h('span', { class: 'att-say', text: turns[i].text }))];
        const line = lines[i + 1];
        const p = peerLine(into, line.say, line.cue, line.ack);
        if (p) group.push(p);
        groups.push(group);
      }
      if (view.ending && !el.querySelector('.att-msg[data-speaker="system"]')) {
        groups[groups.length - 1].push(msg(into, 'system', null, tr('transcript.ended', { title: view.ending.title })));
      }
      const newest = groups[groups.length - 1];
      return newest.find(n => n.dataset.speaker === 'peer') || newest[0] || null;
    },
  };
}

// ------------------------------------------------------------ choices

/// The choices group and, below it, "Start over". `pick(id)` is called for a button or a digit;
/// the group carries `data-quiet` while input is ignored.
export function choices({ pick, startOver }) {
  const group = h('div', { class: 'att-choices', role: 'group', 'aria-label': tr('choices.label'), tabindex: '-1' });
  const label = h('p', { class: 'att-respond-label', 'aria-hidden': 'true', text: tr('choices.label') });
  // Where the writer goes (writer() below), between the label and the options.
  const slot = h('div', { class: 'att-write-slot' });
  const lead = h('p', { class: 'att-pick-lead', hidden: true, text: tr('choices.closest_lead') });
  const el = h('div', { class: 'att-respond' },
    label, slot, lead, group,
    h('div', { class: 'att-play-actions' }, button(tr('start_over'), startOver, 'att-quiet att-start-over')));
  return {
    el, group, slot,
    /// Shows or hides the options (a learner writing first sees them after); `closest` asks for
    /// the one closest to what they wrote.
    options(shown, closest = false) {
      group.hidden = !shown;
      lead.hidden = !(shown && closest);
      group.setAttribute('aria-label', tr(shown && closest ? 'choices.closest_label' : 'choices.label'));
    },
    update(view) {
      el.hidden = !!view.ending;
      group.replaceChildren(...(view.ending ? [] : view.choices.map((c, i) => h('button', {
        type: 'button', class: 'att-choice', onclick: () => pick(c.id),
      }, h('span', { class: 'att-key', text: `${i + 1}.` }), ' ', h('span', { class: 'att-choice-text', text: c.text })))));
    },
    quiet(ms) {
      group.setAttribute('data-quiet', '');
      setTimeout(() => group.removeAttribute('data-quiet'), ms);
    },
    /// The button for digit key `n`, if there is one.
    key(n) { return el.hidden || group.hidden ? null : group.querySelectorAll('button')[n - 1] || null; },
  };
}

// ------------------------------------------------------------ writing a reply

const sure = c => tr('write.sure', { c: Math.round(c * 100) / 100 });

/// Writing one's own reply: a labelled text area (Enter sends, Shift+Enter starts a new line),
/// then what the reply reads as and the option it is taken as, said politely. `on`: send(text),
/// go() (take it as that option), differ() ("Not what I meant"), edit(), options() ("both" mode:
/// back to the options) and write() ("both" mode: "Write my own reply").
export function writer(uid, both, on) {
  const id = `${uid}-reply`;
  // The engine codes a reply's first 2,000 characters (src/coder/mod.rs, MAX_REPLY); the box
  // takes no more, so what is coded is what was written.
  const area = h('textarea', { id, class: 'att-reply', rows: '3', maxlength: '2000', 'aria-describedby': `${id}-hint`, autocomplete: 'off' });
  const hint = h('p', { id: `${id}-hint`, class: 'att-reply-hint', text: tr('write.hint') });
  const status = h('div', { class: 'att-coded', role: 'status' });
  const send = () => {
    const text = area.value.trim();
    if (!text) { status.replaceChildren(h('p', { text: tr('write.empty') })); area.focus(); return; }
    on.send(text);
  };
  area.addEventListener('keydown', e => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });
  const compose = h('div', { class: 'att-compose' },
    h('label', { for: id, class: 'att-reply-label', text: tr('write.label') }), area, hint,
    h('div', { class: 'att-actions' }, button(tr('write.send'), send, 'att-primary'), both && button(tr('write.back'), () => on.options())));
  const writeOwn = both ? button(tr('write.own'), () => on.write(), 'att-write-own') : null;
  const el = h('div', { class: 'att-writer' }, writeOwn, compose, status);
  let first = area;
  return {
    el,
    /// `phase`: 'offer' (both mode: the button only), 'compose', or 'coded' with `reply` (the
    /// engine's coding of `text`) and the text of the option it is taken as (or null).
    show(phase, { text = '', reply = null, taken = null, picking = false } = {}) {
      el.hidden = false;
      if (writeOwn) writeOwn.hidden = phase !== 'offer';
      compose.hidden = phase !== 'compose';
      if (phase === 'compose') {
        if (area.value !== text && text) area.value = text;
        first = area;
      }
      if (phase !== 'coded') { status.replaceChildren(); if (phase === 'offer') first = writeOwn; return; }
      const reads = h('p', { class: 'att-coded-reads' }, parts('write.reads', { kind: badge(reply.kind), skill: h('strong', { text: reply.label }), sure: sure(reply.confidence) }));
      const go = button(tr('write.go'), () => on.go(), 'att-primary');
      const edit = button(tr('write.edit'), () => on.edit());
      status.replaceChildren(
        h('p', { class: 'att-quote att-coded-text', text: text }),
        reads,
        taken != null && !picking
          ? h('p', { class: 'att-coded-taken' }, parts('transcript.taken_as', { text: h('span', { class: 'att-quote-inline', text: quoted(taken) }) }))
          : h('p', { class: 'att-coded-taken', text: picking
            ? tr('choices.closest_lead')
            : reply.unsure ? tr('write.unsure') : tr('write.no_match', { skill: reply.label }) }),
        h('div', { class: 'att-actions' }, taken != null && !picking && [go, button(tr('write.differ'), () => on.differ())], edit));
      first = taken != null && !picking ? go : null;
    },
    hide() { el.hidden = true; },
    clear() { area.value = ''; },
    get text() { return area.value.trim(); },
    /// What takes focus when the respond area is reached: the text area, the first action, or
    /// null for the options.
    get focus() { return el.hidden ? null : first; },
  };
}

// ------------------------------------------------------------ practice feedback

/// Practice feedback: a one-line verdict (badge, skill, trust change) and, behind "Why?", each
/// reason trust moved, the bound's note and the scenario's feedback. The warning beat stays in
/// sight. `why` is whether the learner likes "Why?" open; `remember(open)` keeps their choice.
export function feedback(uid, peerName, { undo, why, remember }) {
  const el = h('section', { class: 'att-feedback', 'aria-label': tr('feedback.label'), hidden: true });
  return {
    el,
    update(t, canUndo) {
      el.hidden = !t;
      if (!t) return el.replaceChildren();
      const change = t.trust_after - t.trust_before, moved = unbounded(t);
      const panel = h('div', { class: 'att-fb-why', id: `${uid}-why-${t.number}` },
        h('ul', { class: 'att-reasons' }, amount(t.base, baseText(t, peerName)), reasons(t)),
        moved !== change && h('p', { class: 'att-fb-note', text: tr('feedback.bounded', { min: num(0), max: num(100), change: signed(change), moved: signed(moved) }) }),
        t.feedback && h('p', { class: 'att-fb-text', text: t.feedback }));
      el.dataset.kind = t.kind;
      const w = t.written;
      el.replaceChildren(...h('div', {},
        w && h('div', { class: 'att-fb-written' },
          h('p', {}, parts('feedback.written', { kind: badge(w.kind), skill: h('strong', { text: w.skill_label }), sure: sure(w.confidence), why: cap(w.why) })),
          w.skill !== t.skill && h('p', { text: tr('feedback.written_differs', { text: quoted(t.text), skill: t.skill_label }) }),
          w.better && h('p', {}, parts('feedback.better', { text: h('span', { class: 'att-quote-inline', text: quoted(w.better) }) }))),
        h('p', { class: 'att-fb-skill' }, badge(t.kind), ' ', h('strong', { class: 'att-cap', text: t.skill_label }),
          h('span', { class: 'att-sep', 'aria-hidden': 'true', text: ' · ' }), h('span', { class: 'att-fb-change', 'data-sign': change > 0 ? 'up' : change < 0 ? 'down' : 'none', text: tr('feedback.change', { before: num(t.trust_before), after: num(t.trust_after), change: signed(change) }) })),
        t.warning && h('p', { class: 'att-warn', text: warning(t) }),
        h('div', { class: 'att-fb-actions' },
          disclose(tr('feedback.why'), panel, why(), remember),
          canUndo && button(tr('feedback.undo'), undo, 'att-quiet')),
        panel).childNodes);
    },
  };
}

// The base effect in words, without naming the skill again (the verdict names it): the skill's
// general reason, unless the scenario made this response work against its kind (then the
// feedback explains).
function baseText(t, name) {
  const up = t.base > 0, usual = (t.kind === 'skill') === up;
  if (!t.base) return tr('base.none');
  const args = { name, why: t.why };
  if (t.kind === 'neutral') return tr(up ? 'base.neutral_builds' : 'base.neutral_costs', args);
  return tr(usual ? (up ? 'base.builds' : 'base.costs') : (up ? 'base.against_builds' : 'base.against_costs'), args);
}

// ------------------------------------------------------------ problems

/// The alert panel: what happened and what to do in plain words, the details for whoever set up
/// the page in a fold-out, and the ways forward (`actions`: [label, fn] pairs or elements).
export function problem({ title, text, detail }, actions) {
  const heading = h('h3', { tabindex: '-1', text: title || tr('problem.title') });
  const box = h('div', { class: 'att-error', role: 'alert' },
    heading,
    h('p', { text }),
    detail && h('details', { class: 'att-error-detail' },
      h('summary', { text: tr('problem.details') }),
      h('pre', { text: detail })),
    h('div', { class: 'att-actions' }, actions.map(([label, fn, cls]) => button(label, fn, cls))));
  return { box, heading };
}

// ------------------------------------------------------------ confirmation

/// A native modal <dialog> (window.confirm is blocked in some embeds) that asks before starting
/// over: "Start over" calls `yes`; "Cancel" or Escape closes it and returns focus to `opener`.
/// It opens beside `opener`, not in the middle of the page: in an iframe as tall as its content
/// the middle may be far off screen. `shown(dialog)` lets the element bring it into view.
export function confirmStartOver(uid, host, opener, yes, shown) {
  const id = `${uid}-restart`;
  const cancel = button(tr('confirm.cancel'), () => dialog.close('cancel'));
  const dialog = h('dialog', { class: 'att-dialog', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-text` },
    h('h3', { id: `${id}-title`, text: tr('confirm.title') }),
    h('p', { id: `${id}-text`, text: tr('confirm.text') }),
    h('div', { class: 'att-actions' }, button(tr('start_over'), () => dialog.close('confirm'), 'att-primary'), cancel));
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (dialog.returnValue === 'confirm') yes();
    else if (opener?.isConnected) opener.focus();
  });
  host.append(dialog);
  dialog.showModal();
  if (opener) {
    const at = opener.getBoundingClientRect(), height = dialog.getBoundingClientRect().height;
    const above = at.top - height - 12;
    dialog.style.top = `${Math.round(scrollY + (above >= 8 ? above : at.bottom + 12))}px`;
  }
  cancel.focus();
  shown?.(dialog);
}
