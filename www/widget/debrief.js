// debrief.js: the debrief view. It opens with three lines (the ending, the score, the one thing
// to practise next), then the turn-by-turn comparison; the trust over time, the skills table, the
// MITI detail, the key moments, the best path and every response sit behind disclosures; actions
// close it. All numbers and judgements are the engine's (play.debrief()); this only words them.

import { h, s, signed, plural, paras, reduced, button } from './dom.js';
import { badge, reasons, warning } from './views.js';

/// The debrief's words for MITI levels and ending outcomes; the trainer's report uses the same.
export const LEVELS = { good: 'Good', fair: 'Fair', below_fair: 'Below fair', not_applicable: 'Not rated: too few' };
export const OUTCOMES = { breakthrough: 'Breakthrough', connected: 'Connected', referred: 'Connected to support', unresolved: 'Unresolved', disengaged: 'The peer disengaged' };

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

const table = (caption, head, rows) => h('table', { class: 'att-table' },
  h('caption', { text: caption }),
  h('thead', {}, h('tr', {}, head.map(c => [h('th', { scope: 'col', text: c }), ' ']))),
  h('tbody', {}, rows.map(r => h('tr', {}, r.map((c, i) => [h(i ? 'td' : 'th', i ? {} : { scope: 'row' }, Array.isArray(c) ? c : String(c)), ' '])))));

const fold = (cls, title, ...kids) => h('details', { class: `att-fold ${cls}` }, h('summary', { text: title }), h('div', { class: 'att-fold-body' }, ...kids));

// What the MITI numbers say, in words that match them.
function ratioSays(m) {
  const r = m.reflection_to_question;
  if (m.reflection_to_question_level === 'not_applicable' || r == null) return 'You asked no questions, so there is no ratio to rate.';
  const per = `You made ${r.toFixed(1)} reflection${r.toFixed(1) === '1.0' ? '' : 's'} for each question.`;
  if (m.reflection_to_question_level === 'good') return `${per} The peer mostly felt listened to, not questioned.`;
  if (m.reflection_to_question_level === 'fair') return `${per} Aim for two: reflect what you hear before asking the next question.`;
  return `${per} You asked more than you reflected; try reflecting what you hear before asking the next question.`;
}

function shareSays(m) {
  if (!m.reflections) return 'There were no reflections to count.';
  const some = `${m.complex_reflections} of your ${plural(m.reflections, 'reflection')} added meaning beyond the peer's words.`;
  if (m.complex_share_level === 'not_applicable') return `${some} That is too few reflections to rate.`;
  if (m.complex_share_level === 'good') return some;
  return `${some} Aim for half: a complex reflection names the feeling underneath, or both sides of a mixed feeling.`;
}

/// The debrief of `d` (play.debrief()). `actions`: { again, assessment (or null), next: {href,
/// title} (or null), download }. Returns { el, heading }.
export function debrief(uid, d, actions, wide) {
  const id = `${uid}-debrief`, m = d.miti, b = d.best_path, sc = d.score, turns = d.turns;

  // Every turn's comparison has an anchor; a link to one opens the fold-out and moves focus there.
  const turnId = n => `${uid}-turn-${n}`;
  const compare = h('details', { class: 'att-compare', open: wide }), targets = new Map();
  const toTurn = n => d.comparison.some(c => c.turn === n)
    ? h('a', { href: `#${turnId(n)}`, text: `turn ${n}`, onclick: e => {
      e.preventDefault();
      compare.open = true;
      const target = targets.get(n);
      target.hidden = false;
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'start', behavior: reduced() ? 'auto' : 'smooth' });
    } })
    : `turn ${n}`;
  const turnLinks = ns => ns.flatMap((n, i) => [i ? (i === ns.length - 1 ? ' and ' : ', ') : '', toTurn(n)]);
  const practise = p => [h('span', { text: p.text }), p.turns.length > 0 && [' ', h('span', { class: 'att-turn-links' }, 'Look again at ', turnLinks(p.turns), '.')]];

  const response = (r, verb) => [
    h('p', { class: 'att-quote', text: r.text }),
    h('p', { class: 'att-moment-meta' }, badge(r.kind), ' ', h('span', { class: 'att-cap', text: `${r.label}:` }), ` ${verb} ${signed(r.change)}`)];
  // A turn worth a second look: a response that did not build trust, or a better one on offer.
  const worth = c => c.chosen.kind !== 'skill' || c.options.some(o => o.change > c.chosen.change);
  // A reply the learner wrote: its text, its coding and the option that stood for it.
  const wrote = w => w && [
    h('p', { class: 'att-quote', text: w.text }),
    h('p', { class: 'att-moment-meta' }, `Reads as ${w.skill_label} (${Math.round(w.confidence * 100)}% sure). ${w.taken ? 'Taken as' : 'You picked'} this option:`)];
  const entry = c => {
    const w = turns[c.turn - 1]?.written;
    // Two halves, side by side on a wide screen: what was said, and what else was on offer.
    const li = h('li', { id: turnId(c.turn), tabindex: '-1', hidden: !worth(c) },
      h('p', { class: 'att-compare-turn', text: `Turn ${c.turn}` }),
      h('div', { class: 'att-compare-said' },
        h('p', { class: 'att-compare-sub', text: w ? 'You wrote' : 'You said' }),
        wrote(w),
        response(c.chosen, 'trust')),
      h('div', { class: 'att-compare-other' },
        h('p', { class: 'att-compare-sub', text: c.options.length ? 'The other trust-building options then' : 'No other trust-building option was on offer then.' }),
        c.options.length > 0 && h('ul', { class: 'att-compare-options' }, c.options.map(o => h('li', {}, response(o, 'would have moved trust'))))));
    targets.set(c.turn, li);
    return li;
  };
  // The turns worth a second look show first; the rest wait behind "Show all".
  const list = h('ol', { class: 'att-compare-list' }, d.comparison.map(entry));
  const rest = d.comparison.filter(c => !worth(c)).length;
  const all = rest > 0 && button(`Show all ${d.comparison.length} turns`, () => {
    for (const li of list.children) li.hidden = false;
    all.remove();
  }, 'att-quiet');
  compare.append(...[
    h('summary', { text: 'Turn by turn: what you said beside the other options' }),
    rest > 0 && h('p', { class: 'att-compare-note', text: rest === d.comparison.length
      ? 'Every response built trust as well as anything else on offer.'
      : `The ${plural(d.comparison.length - rest, 'turn')} where something else would have built more trust. The other ${plural(rest, 'turn')} went as well as they could.` }),
    list, all].filter(Boolean));

  const explained = t => {
    const why = reasons(t).flat();
    return h('li', {},
      wrote(t.written),
      h('p', { class: 'att-quote', text: t.text }),
      h('p', { class: 'att-moment-meta' }, badge(t.kind), ' ',
        h('span', { class: 'att-cap', text: t.skill_label }), `: trust ${t.trust_before} → ${t.trust_after} (${signed(t.trust_after - t.trust_before)})`),
      t.warning && h('p', { class: 'att-warn', text: warning(t) }),
      why.some(Boolean) && h('ul', { class: 'att-reasons' }, why),
      t.feedback && h('p', { text: t.feedback }));
  };

  const outcome = d.ending.outcome;
  const first = d.practise_next[0];
  const heading = h('h3', { id, tabindex: '-1', text: 'Debrief' });
  const el = h('section', { class: 'att-debrief', role: 'region', 'aria-labelledby': id },
    heading,
    h('div', { class: 'att-debrief-top' },
      h('ul', { class: 'att-summary-lines' },
        h('li', { class: 'att-ending', 'data-outcome': outcome },
          h('span', { class: 'att-outcome', text: OUTCOMES[outcome] || outcome.replace(/_/g, ' ') }), ' ',
          h('strong', { class: 'att-ending-title', text: d.ending.title }),
          h('span', { class: 'att-final', text: ` · final trust ${d.trust.value} of ${d.trust.max}, ${d.trust.band}` })),
        h('li', { class: 'att-score', 'data-passed': String(sc.passed) },
          h('strong', { class: 'att-score-line', text: `Score ${sc.raw} of ${sc.max}, ${sc.passed ? 'passed' : 'not passed'}.` }), ' ',
          h('span', { class: 'att-score-note', text: [
            sc.best > 0 && `The score is what your responses were worth (${signed(sc.skill)}) as a share of the best path's (${signed(sc.best)}), not the peer's final trust.`,
            `A pass needs a score of ${sc.pass} or more and an ending that connects${sc.missed_safety_question ? ', and, when the peer shows warning signs of suicide, a direct question about suicide. None was asked here.' : '.'}`,
          ].filter(Boolean).join(' ') })),
        first && h('li', { class: 'att-next-one', 'data-rule': first.rule }, h('strong', { text: 'Practise next: ' }), practise(first))),
      h('div', { class: 'att-ending-text' },
        paras(d.text),
        d.next_time && h('p', { class: 'att-next' }, h('strong', { text: 'Next time: ' }), d.next_time.trim()))),

    compare,

    h('div', { class: 'att-folds' },
      d.practise_next.length > 1 && fold('att-practise-all', 'What to practise next',
        h('ul', { class: 'att-practise' }, d.practise_next.map(p => h('li', { 'data-rule': p.rule }, practise(p))))),

      fold('att-over-time', 'Trust over time',
        h('div', { class: 'att-chart-box' }, chart(d.trust_over_time)),
        table('Trust after each turn', ['Turn', 'Trust', 'Change'],
          d.trust_over_time.map((v, i) => [i ? i : 'Start', v, i ? signed(v - d.trust_over_time[i - 1]) : '']))),

      fold('att-skills', 'Skills, neutral responses and roadblocks you used',
        table('Each kind of response, how often, what it was worth before trust\'s bounds, and its net effect on trust', ['Response', 'Times', 'Worth', 'Net trust'],
          d.skills.map(x => [[h('span', { class: 'att-cap', text: x.label }), ' ', badge(x.kind)], x.count, signed(x.worth), signed(x.net)]))),

      fold('att-miti-fold', 'Reflections and questions (MITI)', mitiDetail(m)),

      fold('att-key', 'Key moments',
        d.key_moments.length
          ? h('ol', { class: 'att-moments' }, d.key_moments.map(k => {
            const t = turns[k.turn - 1];
            return h('li', { 'data-sign': k.change > 0 ? 'up' : 'down' },
              h('p', { class: 'att-moment-meta' }, h('strong', { text: `Turn ${k.turn}, trust ${signed(k.change)}` }), t && [' · ', h('span', { class: 'att-cap', text: t.skill_label })]),
              h('p', { class: 'att-quote', text: k.text }),
              k.feedback && h('p', { text: k.feedback }));
          }))
          : h('p', { text: 'No single response moved trust much either way.' })),

      b && fold('att-best-fold', 'Compared with the best path',
        h('p', { text: `The best path through this scenario reaches trust ${b.best_trust} and the ending "${b.best_ending.title}". You reached trust ${b.learner_trust}${b.best_ending.id === d.ending.id ? ', with the same ending' : ` and the ending "${d.ending.title}"`}.` }),
        b.on_best_path
          ? h('p', { text: 'You reached its ending with as much trust: you were on a best path.' })
          : h('p', {}, ...(b.left_best_path_at == null ? ['You followed the best path all the way.'] : ['You left the best path at ', toTurn(b.left_best_path_at), '.'])),
        h('p', { class: 'att-compare-sub', text: 'The best path\'s responses' }),
        h('ol', { class: 'att-best' }, b.best_responses.map(r => h('li', { text: r })))),

      fold('att-all-turns', 'Every response, explained', h('ol', { class: 'att-moments' }, turns.map(explained)))),

    h('div', { class: 'att-actions att-debrief-actions' },
      button('Try again', actions.again, 'att-primary'),
      actions.assessment && button('Try it in assessment mode', actions.assessment),
      actions.next && h('a', { class: 'att-btn att-link', href: actions.next.href, text: actions.next.title ? `Next scenario: ${actions.next.title}` : 'Next scenario' }),
      button('Download transcript', actions.download)));
  return { el, heading };
}

function mitiDetail(m) {
  const counted = m.counts.filter(c => c.count > 0);
  const level = (name, value, lvl, guide, says) => h('div', { class: 'att-miti-item' },
    h('p', { class: 'att-miti-name', text: name }),
    h('p', { class: 'att-miti-value' }, value != null && h('strong', { text: value }), ' ', h('span', { class: 'att-level', 'data-level': lvl, text: LEVELS[lvl] || lvl })),
    h('p', { text: says }),
    h('p', { class: 'att-miti-guide', text: guide }));
  return [
    h('p', { text: `You made ${plural(m.reflections, 'reflection')} (${m.complex_reflections} complex) and asked ${plural(m.questions, 'question')}. The Motivational Interviewing Treatment Integrity code (MITI 4.2.1) gives guides for both.` }),
    h('div', { class: 'att-miti' },
      level('Reflections per question',
        m.reflection_to_question == null ? (m.reflections ? 'No questions asked' : null) : m.reflection_to_question.toFixed(1),
        m.reflection_to_question_level, 'MITI guide: 1 is fair, 2 is good.', ratioSays(m)),
      level('Complex reflections',
        m.complex_share == null ? null : m.complex_share_level === 'not_applicable' ? `${m.complex_reflections} of ${m.reflections}` : `${Math.round(m.complex_share * 100)}%`,
        m.complex_share_level, 'MITI guide: 40% is fair, 50% is good. Summaries count as complex reflections.', shareSays(m))),
    h('p', { class: 'att-miti-sub', text: 'Your responses by MITI code' }),
    counted.length
      ? h('ul', { class: 'att-counts' }, counted.map(c => h('li', {}, `${c.label}: `, h('strong', { text: String(c.count) }))))
      : h('p', { text: 'None of your responses had a MITI code.' }),
    h('p', { class: 'att-miti-guide', text: `MI-adherent (Affirm, Seeking Collaboration, Emphasizing Autonomy): ${m.adherent}. MI-non-adherent (Persuade, Confront): ${m.non_adherent}.` }),
  ];
}
