// markdown.js: the conversation and its debrief as Markdown, for the learner to keep (the
// debrief's "Download transcript"). Made from the debrief object the widget shows
// (play.debrief()), in the interface's words and with its numbers (Intl), so the page and the file
// read alike; the headings and table columns are the on-screen debrief's own. Scenario text is
// quoted as it is: it is the learner's own record, and a Markdown file is never rendered here.

import { mitiGuide, words } from './words.js';

/// A line break inside a paragraph: two spaces, then the newline.
const broken = text => text.replace(/\n/g, '  \n');

/// The Markdown of debrief `d`, as a string, in the words of `catalogue` (the widget's, in the
/// language in use, unless told otherwise).
export function markdown(d, catalogue = words) {
  const t = (id, args) => catalogue.t(id, args), num = (x, o) => catalogue.number(x, o);
  const signed = x => num(x, { signDisplay: 'exceptZero' });
  const out = [];
  const para = text => out.push(text, '');
  const heading = (level, text) => para(`${'#'.repeat(level)} ${text}`);

  heading(1, t('markdown.title', { title: d.title }));
  para(t('markdown.summary', {
    mode: t(`mode.${d.mode}`),
    ending: d.ending.title,
    outcome: t(`outcome.${d.ending.outcome}`),
    value: num(d.trust.value),
    max: num(d.trust.max),
    band: d.trust.band_label,
  }));

  heading(2, t('transcript.label'));
  for (const turn of d.turns) {
    para(t('markdown.peer', { text: broken([turn.peer_acknowledged, turn.peer_said].filter(s => s != null).map(s => s.trim()).join(' ')) }));
    const w = turn.written;
    if (!w) para(t('markdown.you', { text: turn.text.trim() }));
    else {
      para(t('markdown.you_wrote', { text: broken(w.text) }));
      const reads = t(w.skill === turn.skill ? 'markdown.written' : 'markdown.written.differs', {
        skill: w.skill_label,
        sure: num(w.confidence, { style: 'percent', maximumFractionDigits: 0 }),
        how: t(w.taken ? 'markdown.written.taken' : 'markdown.written.picked'),
        text: turn.text.trim(),
        picked: turn.skill_label,
      });
      para(`> ${reads}${w.better ? ` ${t('markdown.written.better', { text: w.better.trim() })}` : ''}`);
    }
    const account = [t('markdown.turn', {
      skill: turn.skill_label,
      kind: t(`kind.${turn.kind}`),
      before: num(turn.trust_before),
      after: num(turn.trust_after),
      change: signed(turn.trust_after - turn.trust_before),
    })];
    for (const m of turn.modifiers) account.push(t('markdown.because', { amount: signed(m.amount), reason: m.text }));
    if (turn.ceiling_text) account.push(t('markdown.because', { amount: signed(turn.ceiling), reason: turn.ceiling_text }));
    for (const c of turn.consequences) account.push(t('markdown.later', { amount: signed(c.amount), feedback: c.feedback.trim() }));
    if (turn.warning) account.push(turn.warning);
    out.push(`> ${account.join('; ')}`);
    if (turn.feedback) out.push('>', `> ${turn.feedback.trim()}`);
    out.push('');
  }
  if (d.say) para(t('markdown.peer', { text: d.say.trim() }));

  heading(2, t('markdown.ending', { title: d.ending.title }));
  para(d.text.trim());
  if (d.next_time) para(t('markdown.next_time', { text: d.next_time.trim() }));

  heading(2, t('debrief.heading'));
  const s = d.score;
  para(t('markdown.score', {
    score: num(s.raw),
    max: num(s.max),
    passed: t(s.passed ? 'markdown.passed' : 'markdown.not_passed'),
    pass: num(s.pass),
    worth: signed(s.skill),
    best: signed(s.best),
  }));
  if (s.missed_safety_question) para(t('markdown.missed_safety'));
  if (d.practise_next.length) {
    heading(3, t('debrief.practise_all'));
    para(d.practise_next.map(p => `- ${p.text}`).join('\n'));
  }
  // The arrow points the way the language reads, as its `markdown.turn` does.
  para(t('markdown.trust_over_time', { trust: d.trust_over_time.map(v => num(v)).join(catalogue.dir === 'rtl' ? ' ← ' : ' → ') }));

  const row = cells => `| ${cells.join(' | ')} |`;
  out.push(row(['skills.response', 'skills.times', 'skills.worth', 'skills.net'].map(id => t(id))), row(Array(4).fill('---')));
  for (const u of d.skills) out.push(row([u.label, num(u.count), signed(u.worth), signed(u.net)]));
  out.push('');

  const m = d.miti;
  const ratio = m.reflection_to_question == null
    ? t('markdown.ratio.none')
    : num(m.reflection_to_question, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const share = m.complex_share == null ? t('markdown.share.none')
    : m.complex_share_level === 'not_applicable' ? t('markdown.share.few', { complex: num(m.complex_reflections), reflections: num(m.reflections) })
      : num(m.complex_share, { style: 'percent', maximumFractionDigits: 0 });
  const guide = { ratio: mitiGuide('ratio', catalogue), share: mitiGuide('share', catalogue) };
  out.push(t('markdown.miti', {
    ratio, share, ratio_fair: guide.ratio.fair, ratio_good: guide.ratio.good, share_fair: guide.share.fair, share_good: guide.share.good,
  }));
  const used = m.counts.filter(c => c.count > 0).map(c => `${c.label} ${num(c.count)}`);
  para(t('markdown.miti_counts', { counts: used.length ? catalogue.list(used, 'unit') : t('markdown.miti_counts.none') }));

  if (d.key_moments.length) {
    heading(3, t('key.title'));
    para(d.key_moments.map(k => `- ${t('markdown.moment', { turn: num(k.turn), change: signed(k.change), text: k.text.trim() })}${k.feedback ? ` ${k.feedback.trim()}` : ''}`).join('\n'));
  }
  const b = d.best_path;
  if (b) {
    heading(3, t('best.title'));
    const where = b.on_best_path ? t('best.on')
      : b.left_best_path_at != null ? t('markdown.best_path.left', { turn: num(b.left_best_path_at) })
        : t('best.followed');
    out.push(`${t('markdown.best_path.text', { best: num(b.best_trust), ending: b.best_ending.title, trust: num(b.learner_trust) })} ${where}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
