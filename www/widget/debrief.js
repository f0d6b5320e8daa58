// debrief.js: the debrief view. It opens with three lines (the ending, the score, the one thing
// to practise next), then the turn-by-turn comparison; the trust over time, the skills table, the
// MITI detail, the key moments, the best path and every response sit behind disclosures; actions
// close it. All numbers and judgements are the engine's (play.debrief()); this only words them.

import { h, s, paras, reduced, button } from './dom.js';
import { t as tr, mitiGuide, num, parts, signed, words } from './words.js';
import { badge, reasons, warning } from './views.js';

/// The debrief's words for MITI levels and ending outcomes; the trainer's report uses the same.
/// (Each read is in the widget's language at the time.)
const named = (prefix, keys) => Object.defineProperties({}, Object.fromEntries(keys.map(k => [k, { get: () => tr(`${prefix}.${k}`), enumerable: true }])));
export const LEVELS = named('level', ['good', 'fair', 'below_fair', 'not_applicable']);
export const OUTCOMES = named('outcome', ['breakthrough', 'connected', 'referred', 'unresolved', 'disengaged']);
const level = l => LEVELS[l] || l;
const outcome = o => OUTCOMES[o] || o.replace(/_/g, ' ');

// Trust over time as a line over the five bands; the table beside it carries the same data. In a
// right-to-left language time runs from the right, as the text does.
function chart(values) {
  const W = 320, H = 172, L = 30, R = 10, T = 10, B = 30, w = W - L - R, ht = H - T - B, n = values.length;
  // Mirrored in a right-to-left language: `mx` flips an x, the axis's numbers go on the right.
  const rtl = words.dir === 'rtl', mx = v => (rtl ? W - v : v);
  const x = i => mx(L + (n > 1 ? (i * w) / (n - 1) : w / 2));
  const y = v => T + ht * (1 - v / 100);
  const label = tr('chart.label', { start: num(values[0]), end: num(values[n - 1]), max: num(100), turns: n - 1 });
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'att-chart', role: 'img', 'aria-label': label, direction: 'ltr' });
  for (let g = 0; g <= 100; g += 20) {
    svg.append(s('line', { x1: mx(L), x2: mx(W - R), y1: y(g), y2: y(g), class: 'att-grid' }),
      s('text', { x: mx(L - 6), y: y(g) + 3.5, class: 'att-axis', 'text-anchor': rtl ? 'start' : 'end' }, num(g)));
  }
  const step = Math.ceil((n - 1) / 8) || 1;
  for (let i = 0; i < n; i += step) svg.append(s('text', { x: x(i), y: H - B + 15, class: 'att-axis', 'text-anchor': 'middle' }, i ? num(i) : tr('chart.start')));
  svg.append(s('text', { x: mx(L + w / 2), y: H - 2, class: 'att-axis', 'text-anchor': 'middle' }, tr('chart.turn')));
  svg.append(s('polyline', { points: values.map((v, i) => `${x(i)},${y(v)}`).join(' '), class: 'att-line' }));
  values.forEach((v, i) => svg.append(s('circle', { cx: x(i), cy: y(v), r: 3.2, class: 'att-dot' })));
  return svg;
}

const table = (caption, head, rows) => h('table', { class: 'att-table' },
  h('caption', { text: caption }),
  h('thead', {}, h('tr', {}, head.map(c => [h('th', { scope: 'col', text: c }), ' ']))),
  h('tbody', {}, rows.map(r => h('tr', {}, r.map((c, i) => [h(i ? 'td' : 'th', i ? {} : { scope: 'row' }, Array.isArray(c) ? c : String(c)), ' '])))));

const fold = (cls, title, ...kids) => h('details', { class: `att-fold ${cls}` }, h('summary', { text: title }), h('div', { class: 'att-fold-body' }, ...kids));

// What the MITI numbers say, in words that match them.
function ratioSays(m) {
  const r = m.reflection_to_question;
  if (m.reflection_to_question_level === 'not_applicable' || r == null) return tr('miti.ratio.none');
  // The ratio to one decimal, as the MITI gives it, with the noun as the language's plural rules
  // take a number so written: "1.5 reflections", "1,5 reflet".
  const decimal = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  const per = tr('miti.ratio.per', { ratio: num(r, decimal), one: words.plural(r, decimal) === 'one' ? 'one' : 'other' });
  const says = { good: 'miti.ratio.good', fair: 'miti.ratio.fair' }[m.reflection_to_question_level] || 'miti.ratio.below';
  return `${per} ${tr(says)}`;
}

function shareSays(m) {
  if (!m.reflections) return tr('miti.share.none');
  const some = tr('miti.share.some', { complex: num(m.complex_reflections), reflections: m.reflections });
  if (m.complex_share_level === 'not_applicable') return `${some} ${tr('miti.share.too_few')}`;
  if (m.complex_share_level === 'good') return some;
  return `${some} ${tr('miti.share.aim')}`;
}

/// The debrief of `d` (play.debrief()). `actions`: { again, assessment (or null), next: {href,
/// title} (or null), download }. Returns { el, heading }.
export function debrief(uid, d, actions, wide) {
  const id = `${uid}-debrief`, m = d.miti, b = d.best_path, sc = d.score, turns = d.turns;

  // Every turn's comparison has an anchor; a link to one opens the fold-out and moves focus there.
  const turnId = n => `${uid}-turn-${n}`;
  const compare = h('details', { class: 'att-compare', open: wide }), targets = new Map();
  const toTurn = n => d.comparison.some(c => c.turn === n)
    ? h('a', { href: `#${turnId(n)}`, text: tr('debrief.turn_link', { turn: num(n) }), onclick: e => {
      e.preventDefault();
      compare.open = true;
      const target = targets.get(n);
      target.hidden = false;
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'start', behavior: reduced() ? 'auto' : 'smooth' });
    } })
    : tr('debrief.turn_link', { turn: num(n) });
  // "turn 2, turn 4 and turn 5", with the language's own list words, each turn a link.
  const turnLinks = ns => {
    const marks = ns.map((_, i) => `\uE000${i}\uE001`);
    return words.list(marks).split(/\uE000(\d+)\uE001/).map((p, i) => (i % 2 ? toTurn(ns[Number(p)]) : p)).filter(p => p !== '');
  };
  const practise = p => [h('span', { text: p.text }), p.turns.length > 0 && [' ', h('span', { class: 'att-turn-links' }, parts('debrief.look_again', { turns: turnLinks(p.turns) }))]];

  const response = (r, verb) => [
    h('p', { class: 'att-quote', text: r.text }),
    h('p', { class: 'att-moment-meta' }, parts(verb, { kind: badge(r.kind), skill: h('span', { class: 'att-cap', text: r.label }), change: signed(r.change) }))];
  // A turn worth a second look: a response that did not build trust, or a better one on offer.
  const worth = c => c.chosen.kind !== 'skill' || c.options.some(o => o.change > c.chosen.change);
  // A reply the learner wrote: its text, its coding and the option that stood for it.
  const wrote = w => w && [
    h('p', { class: 'att-quote', text: w.text }),
    h('p', { class: 'att-moment-meta', text: tr(w.taken ? 'compare.wrote_taken' : 'compare.wrote_picked', { skill: w.skill_label, c: Math.round(w.confidence * 100) / 100 }) })];
  const entry = c => {
    const w = turns[c.turn - 1]?.written;
    // Two halves, side by side on a wide screen: what was said, and what else was on offer.
    const li = h('li', { id: turnId(c.turn), tabindex: '-1', hidden: !worth(c) },
      h('p', { class: 'att-compare-turn', text: tr('compare.turn', { turn: num(c.turn) }) }),
      h('div', { class: 'att-compare-said' },
        h('p', { class: 'att-compare-sub', text: tr(w ? 'compare.you_wrote' : 'compare.you_said') }),
        wrote(w),
        response(c.chosen, 'compare.trust')),
      h('div', { class: 'att-compare-other' },
        h('p', { class: 'att-compare-sub', text: tr(c.options.length ? 'compare.others' : 'compare.no_others') }),
        c.options.length > 0 && h('ul', { class: 'att-compare-options' }, c.options.map(o => h('li', {}, response(o, 'compare.would'))))));
    targets.set(c.turn, li);
    return li;
  };
  // The turns worth a second look show first; the rest wait behind "Show all".
  const list = h('ol', { class: 'att-compare-list' }, d.comparison.map(entry));
  const rest = d.comparison.filter(c => !worth(c)).length;
  const all = rest > 0 && button(tr('compare.show_all', { turns: d.comparison.length }), () => {
    for (const li of list.children) li.hidden = false;
    all.remove();
  }, 'att-quiet');
  compare.append(...[
    h('summary', { text: tr('compare.summary') }),
    rest > 0 && h('p', { class: 'att-compare-note', text: rest === d.comparison.length
      ? tr('compare.all_well')
      : tr('compare.some_well', { shown: d.comparison.length - rest, rest }) }),
    list, all].filter(Boolean));

  const explained = t => {
    const why = reasons(t).flat();
    return h('li', {},
      wrote(t.written),
      h('p', { class: 'att-quote', text: t.text }),
      h('p', { class: 'att-moment-meta' }, badge(t.kind), ' ',
        h('span', { class: 'att-cap', text: t.skill_label }), tr('explained.change', { before: num(t.trust_before), after: num(t.trust_after), change: signed(t.trust_after - t.trust_before) })),
      t.warning && h('p', { class: 'att-warn', text: warning(t) }),
      why.some(Boolean) && h('ul', { class: 'att-reasons' }, why),
      t.feedback && h('p', { text: t.feedback }));
  };

  const ended = d.ending.outcome;
  const first = d.practise_next[0];
  const heading = h('h3', { id, tabindex: '-1', text: tr('debrief.heading') });
  const el = h('section', { class: 'att-debrief', role: 'region', 'aria-labelledby': id },
    heading,
    h('div', { class: 'att-debrief-top' },
      h('ul', { class: 'att-summary-lines' },
        h('li', { class: 'att-ending', 'data-outcome': ended },
          h('span', { class: 'att-outcome', text: outcome(ended) }), ' ',
          h('strong', { class: 'att-ending-title', text: d.ending.title }),
          h('span', { class: 'att-final', text: tr('debrief.final', { value: num(d.trust.value), max: num(d.trust.max), band: d.trust.band_label }) })),
        h('li', { class: 'att-score', 'data-passed': String(sc.passed) },
          h('strong', { class: 'att-score-line', text: tr(sc.passed ? 'score.passed' : 'score.not_passed', { raw: num(sc.raw), max: num(sc.max) }) }), ' ',
          h('span', { class: 'att-score-note', text: [
            sc.best > 0 && tr('score.share', { skill: signed(sc.skill), best: signed(sc.best) }),
            tr(sc.missed_safety_question ? 'score.pass_needs_safety' : 'score.pass_needs', { pass: num(sc.pass) }),
          ].filter(Boolean).join(' ') })),
        first && h('li', { class: 'att-next-one', 'data-rule': first.rule }, h('strong', { text: tr('debrief.practise_next') }), practise(first))),
      h('div', { class: 'att-ending-text' },
        paras(d.text),
        d.next_time && h('p', { class: 'att-next' }, h('strong', { text: tr('debrief.next_time') }), d.next_time.trim()))),

    compare,

    h('div', { class: 'att-folds' },
      d.practise_next.length > 1 && fold('att-practise-all', tr('debrief.practise_all'),
        h('ul', { class: 'att-practise' }, d.practise_next.map(p => h('li', { 'data-rule': p.rule }, practise(p))))),

      fold('att-over-time', tr('over_time.title'),
        h('div', { class: 'att-chart-box' }, chart(d.trust_over_time)),
        table(tr('over_time.caption'), [tr('over_time.turn'), tr('over_time.trust'), tr('over_time.change')],
          d.trust_over_time.map((v, i) => [i ? num(i) : tr('over_time.start'), num(v), i ? signed(v - d.trust_over_time[i - 1]) : '']))),

      fold('att-skills', tr('skills.title'),
        table(tr('skills.caption'), [tr('skills.response'), tr('skills.times'), tr('skills.worth'), tr('skills.net')],
          d.skills.map(x => [[h('span', { class: 'att-cap', text: x.label }), ' ', badge(x.kind)], num(x.count), signed(x.worth), signed(x.net)]))),

      fold('att-miti-fold', tr('miti.title'), mitiDetail(m)),

      fold('att-key', tr('key.title'),
        d.key_moments.length
          ? h('ol', { class: 'att-moments' }, d.key_moments.map(k => {
            const t = turns[k.turn - 1];
            return h('li', { 'data-sign': k.change > 0 ? 'up' : 'down' },
              h('p', { class: 'att-moment-meta' }, h('strong', { text: tr('key.moment', { turn: num(k.turn), change: signed(k.change) }) }), t && [' · ', h('span', { class: 'att-cap', text: t.skill_label })]),
              h('p', { class: 'att-quote', text: k.text }),
              k.feedback && h('p', { text: k.feedback }));
          }))
          : h('p', { text: tr('key.none') })),

      b && fold('att-best-fold', tr('best.title'),
        h('p', { text: `${tr('best.reaches', { trust: num(b.best_trust), ending: b.best_ending.title })} ${b.best_ending.id === d.ending.id
          ? tr('best.you_same', { trust: num(b.learner_trust) })
          : tr('best.you_other', { trust: num(b.learner_trust), ending: d.ending.title })}` }),
        b.on_best_path
          ? h('p', { text: tr('best.on') })
          : h('p', {}, ...(b.left_best_path_at == null ? [tr('best.followed')] : parts('best.left', { turn: toTurn(b.left_best_path_at) }))),
        h('p', { class: 'att-compare-sub', text: tr('best.responses') }),
        h('ol', { class: 'att-best' }, b.best_responses.map(r => h('li', { text: r })))),

      fold('att-all-turns', tr('explained.title'), h('ol', { class: 'att-moments' }, turns.map(explained)))),

    h('div', { class: 'att-actions att-debrief-actions' },
      button(tr('debrief.again'), actions.again, 'att-primary'),
      actions.assessment && button(tr('debrief.assessment'), actions.assessment),
      actions.next && h('a', { class: 'att-btn att-link', href: actions.next.href, text: actions.next.title ? tr('debrief.next_titled', { title: actions.next.title }) : tr('debrief.next') }),
      button(tr('debrief.download'), actions.download)));
  return { el, heading };
}

function mitiDetail(m) {
  const counted = m.counts.filter(c => c.count > 0);
  const item = (name, value, lvl, guide, says) => h('div', { class: 'att-miti-item' },
    h('p', { class: 'att-miti-name', text: name }),
    h('p', { class: 'att-miti-value' }, value != null && h('strong', { text: value }), ' ', h('span', { class: 'att-level', 'data-level': lvl, text: level(lvl) })),
    h('p', { text: says }),
    h('p', { class: 'att-miti-guide', text: guide }));
  return [
    h('p', { text: tr('miti.made', { reflections: m.reflections, complex: num(m.complex_reflections), questions: m.questions }) }),
    h('div', { class: 'att-miti' },
      item(tr('miti.ratio.name'),
        m.reflection_to_question == null ? (m.reflections ? tr('miti.ratio.no_questions') : null) : num(m.reflection_to_question, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
        m.reflection_to_question_level, tr('miti.ratio.guide', mitiGuide('ratio')), ratioSays(m)),
      item(tr('miti.share.name'),
        m.complex_share == null ? null : m.complex_share_level === 'not_applicable'
          ? tr('miti.share.of', { complex: num(m.complex_reflections), reflections: num(m.reflections) })
          : num(Math.round(m.complex_share * 100) / 100, { style: 'percent' }),
        m.complex_share_level, tr('miti.share.guide', mitiGuide('share')), shareSays(m))),
    h('p', { class: 'att-miti-sub', text: tr('miti.by_code') }),
    counted.length
      ? h('ul', { class: 'att-counts' }, counted.map(c => h('li', {}, parts('miti.count', { label: c.label, count: h('strong', { text: num(c.count) }) }))))
      : h('p', { text: tr('miti.no_code') }),
    h('p', { class: 'att-miti-guide', text: tr('miti.adherence', { adherent: num(m.adherent), non_adherent: num(m.non_adherent) }) }),
  ];
}
