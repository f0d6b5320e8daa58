// The Markdown transcript (www/widget/markdown.js), made from the learner engine's own debrief of
// library conversations played to their end in Node: every turn, the debrief's figures in the
// interface's words and numbers, and another language's words and digits. Run after
// scripts/build-web.sh (it reads www/pkg, www/scenarios and the compiled catalogues).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { markdown } from '../www/widget/markdown.js';
import { catalogue } from '../www/widget/i18n.js';
import english from '../www/i18n/widget.en.js';

const WWW = fileURLToPath(new URL('../www/', import.meta.url));
const engine = await import(`${WWW}pkg/attunement.js`);
engine.initSync({ module: readFileSync(`${WWW}pkg/attunement_bg.wasm`) });

const en = catalogue('widget', english, lang => import(`${WWW}i18n/widget.${lang}.js`).then(m => m.default));
const catalogueText = (lang, id) => JSON.parse(readFileSync(`${WWW}i18n/widget.${lang}.json`, 'utf8'))[id];

/// The debrief of `id` played to its end, `pick` choosing each response from the view's choices.
function played(id, pick, mode = 'practice') {
  const sim = new engine.Simulator(readFileSync(`${WWW}scenarios/${id}.attn`), `${id}.attn`);
  const play = sim.start(mode, 7);
  for (let view = play.view(); view.choices.length; view = play.view()) play.choose(pick(view.choices).id);
  return play.debrief();
}
const first = choices => choices[0];
const last = choices => choices[choices.length - 1];

for (const [id, pick] of [['first-meeting', first], ['first-meeting', last], ['after-the-slip', first], ['asking-directly', last]]) {
  test(`${id}, picking the ${pick === first ? 'first' : 'last'} option each time: the transcript holds every turn and the debrief's figures`, () => {
    const d = played(id, pick);
    const md = markdown(d, en);
    const lines = md.split('\n');
    assert.equal(lines[0], `# ${d.title}: transcript and debrief`);
    assert.ok(md.endsWith('\n') && !md.endsWith('\n\n'), 'one newline at the end');
    assert.ok(lines.includes(`Mode: Practice. Ending: **${d.ending.title}** (${catalogueText('en', `outcome.${d.ending.outcome}`)}). Final trust: ${d.trust.value} of 100 (${d.trust.band_label}).`), md);
    assert.ok(lines.includes('## Conversation') && lines.includes('## Debrief'), md);
    const sign = n => `${n > 0 ? '+' : ''}${n}`;
    for (const turn of d.turns) {
      assert.ok(lines.includes(`**You:** ${turn.text.trim()}`), `turn ${turn.number}: ${turn.text}`);
      // What the peer said first (after a sharp drop), then their line, as one paragraph.
      const said = [turn.peer_acknowledged, turn.peer_said].filter(Boolean).map(s => s.trim()).join(' ');
      assert.ok(md.includes(`**Peer:** ${said.replace(/\n/g, '  \n')}\n`), `turn ${turn.number}: what the peer said`);
      const change = turn.trust_after - turn.trust_before;
      const account = `> ${turn.skill_label} (${catalogueText('en', `kind.${turn.kind}`)}): trust ${turn.trust_before} → ${turn.trust_after} (${change > 0 ? '+' : ''}${change})`;
      const line = lines.find(l => l.startsWith(account));
      assert.ok(line, `turn ${turn.number}: ${account}\n${md}`);
      for (const m of turn.modifiers) assert.ok(line.includes(`; ${sign(m.amount)} because ${m.text}`), line);
      if (turn.ceiling_text) assert.ok(line.includes(`; ${sign(turn.ceiling)} because ${turn.ceiling_text}`), line);
      for (const c of turn.consequences) assert.ok(line.includes(`; ${sign(c.amount)} later: ${c.feedback.trim()}`), line);
      if (turn.warning) assert.ok(line.endsWith(`; ${turn.warning}`), line);
      if (turn.feedback) assert.deepEqual(lines.slice(lines.indexOf(line) + 1, lines.indexOf(line) + 3), ['>', `> ${turn.feedback.trim()}`], `turn ${turn.number}: its feedback`);
    }
    if (d.say) assert.ok(md.includes(`**Peer:** ${d.say.trim()}\n\n## Ending: ${d.ending.title}\n\n${d.text.trim()}\n`), md);
    else assert.ok(md.includes(`## Ending: ${d.ending.title}\n\n${d.text.trim()}\n`), md);
    if (d.next_time) assert.ok(lines.includes(`**Next time:** ${d.next_time.trim()}`), md);
    assert.ok(lines.includes(`Trust over time: ${d.trust_over_time.join(' → ')}`), md);
    const s = d.score;
    assert.ok(lines.includes(`Score: ${s.raw} of ${s.max} (${s.passed ? 'passed' : 'not passed'}; a pass needs ${s.pass} and an ending that connects). Your responses were worth ${sign(s.skill)} before any bound; the best path's, ${sign(s.best)}.`), md);
    assert.equal(lines.includes('Not passed whatever the score: the peer showed warning signs of suicide and nobody asked about safety.'), s.missed_safety_question);
    assert.equal(lines.filter(l => /^\| .* \| \d+ \| [+-]?\d+ \| [+-]?\d+ \|$/.test(l)).length, d.skills.length, 'a table row for each kind of response');
    for (const u of d.skills) assert.ok(lines.some(l => l.startsWith(`| ${u.label} | ${u.count} |`)), u.label);
    const used = d.miti.counts.filter(c => c.count > 0).map(c => `${c.label} ${c.count}`);
    assert.ok(lines.includes(`MITI counts: ${used.length ? used.join(', ') : 'none'}.`), md);
    for (const p of d.practise_next) assert.ok(lines.includes(`- ${p.text}`), p.text);
    for (const k of d.key_moments) assert.ok(lines.some(l => l.startsWith(`- Turn ${k.turn} (`) && l.includes(k.text.trim())), `key moment ${k.turn}`);
    if (d.best_path) assert.ok(lines.includes('### Compared with the best path'), md);
  });
}

test('every kind of line a turn and the debrief can have is written: the ceiling, a warning, what the peer said first, the best path each way, a missed safety question', () => {
  const d = played('first-meeting', first);
  const [turn] = d.turns;
  const busy = {
    ...turn,
    peer_acknowledged: 'Right.',
    peer_said: 'Fine.\nWhatever.',
    trust_before: 90, trust_after: 92, ceiling: -4, ceiling_text: 'trust is already high, so each gain is smaller',
    modifiers: [{ reason: 'x', text: 'a reason', amount: 3 }],
    consequences: [{ amount: -5, feedback: ' an old promise ', from_turn: 1 }],
    warning: 'they are about to leave',
    feedback: ' Good. ',
  };
  const md = markdown({ ...d, turns: [busy], say: 'Bye.', next_time: 'Slow down.', score: { ...d.score, missed_safety_question: true, passed: false } }, en);
  assert.ok(md.includes('**Peer:** Right. Fine.  \nWhatever.\n'), md);
  assert.ok(md.includes(`> ${turn.skill_label} (${catalogueText('en', `kind.${turn.kind}`)}): trust 90 → 92 (+2); +3 because a reason; -4 because trust is already high, so each gain is smaller; -5 later: an old promise; they are about to leave\n>\n> Good.\n\n**Peer:** Bye.\n`), md);
  assert.ok(md.includes('**Next time:** Slow down.\n'), md);
  assert.ok(md.includes('(not passed; a pass needs') && md.includes('\n\nNot passed whatever the score: the peer showed warning signs of suicide and nobody asked about safety.\n'), md);
  const best = { best_trust: 80, best_ending: { id: 'e', outcome: 'connected', title: 'Coat off' }, learner_trust: 40, best_responses: [], on_best_path: false, left_best_path_at: 3 };
  const says = b => markdown({ ...d, best_path: b }, en).trimEnd().split('\n').at(-1);
  const reaches = 'The best path reaches trust 80 and the ending "Coat off"; you reached 40.';
  assert.equal(says(best), `${reaches} You left it at turn 3.`);
  assert.equal(says({ ...best, left_best_path_at: null }), `${reaches} ${catalogueText('en', 'best.followed')}`);
  assert.equal(says({ ...best, on_best_path: true }), `${reaches} ${catalogueText('en', 'best.on')}`);
  assert.ok(!markdown({ ...d, best_path: null }, en).includes('### Compared with the best path'));
});

test('an assessment is named as one', () => {
  const d = played('first-meeting', last, 'assessment');
  assert.equal(d.mode, 'assessment');
  assert.ok(markdown(d, en).includes(`\n\nMode: ${catalogueText('en', 'mode.assessment')}. Ending: **${d.ending.title}**`));
});

test('the MITI line gives the ratio to two decimals and the share as a percentage, or says why not', () => {
  const d = played('first-meeting', first);
  const m = { ...d.miti, reflection_to_question: 1.5, complex_share: 0.5, complex_share_level: 'good' };
  assert.ok(markdown({ ...d, miti: m }, en).includes('Reflections per question: 1.50 (MITI: fair 1, good 2). Complex reflections: 50% (fair 40%, good 50%).'));
  const few = { ...m, reflection_to_question: null, complex_share_level: 'not_applicable', complex_reflections: 1, reflections: 2 };
  assert.ok(markdown({ ...d, miti: few }, en).includes('Reflections per question: n/a (no questions) (MITI: fair 1, good 2). Complex reflections: 1 of 2 (too few reflections to rate)'));
  const none = { ...m, complex_share: null, counts: m.counts.map(c => ({ ...c, count: 0 })) };
  const md = markdown({ ...d, miti: none }, en);
  assert.ok(md.includes('Complex reflections: n/a (no reflections)') && md.includes('MITI counts: none.'), md);
});

test('a written reply is quoted with what it reads as, how it became the choice, and a better one for a roadblock', () => {
  const d = played('first-meeting', first);
  const turn = d.turns[0];
  const written = { text: 'I hear you.\nReally.', skill: turn.skill, skill_label: turn.skill_label, confidence: 0.734, taken: true, better: null };
  let md = markdown({ ...d, turns: [{ ...turn, written }] }, en);
  assert.ok(md.includes('**You wrote:** I hear you.  \nReally.'), md);
  assert.ok(md.includes(`> Your reply reads as ${turn.skill_label} (73% sure). Taken as: "${turn.text.trim()}".`), md);
  assert.ok(!md.includes('**You:** '), 'a written turn shows what was written, not an unattributed option');
  md = markdown({ ...d, turns: [{ ...turn, written: { ...written, skill: 'advice', skill_label: 'advice / fixing unasked', taken: false, better: ' Tell me more? ' } }] }, en);
  assert.ok(md.includes(`> Your reply reads as advice / fixing unasked (73% sure). You picked: "${turn.text.trim()}", a ${turn.skill_label}: what you wrote and what you picked differ. As a roadblock it costs trust; this would have worked better: "Tell me more?"`), md);
});

test('in another language the transcript has that language\'s words and digits, and the scenario\'s own lines as they are', async () => {
  const ar = catalogue('widget', english, lang => import(`${WWW}i18n/widget.${lang}.js`).then(m => m.default));
  assert.equal(await ar.use('ar'), 'ar');
  engine.setWords(readFileSync(`${WWW}i18n/engine.ar.json`, 'utf8'));
  try {
    const d = played('first-meeting', first);
    const md = markdown(d, ar);
    const heading = catalogueText('ar', 'debrief.heading');
    assert.ok(md.includes(`\n## ${heading}\n`), md);
    assert.ok(!md.includes('## Debrief') && !md.includes('Trust over time'), 'no English heading is left');
    // Arabic digits through Intl, each value as the language writes it.
    const digits = new Intl.NumberFormat('ar');
    // Trust over time reads right to left, its arrows too.
    assert.ok(md.includes(d.trust_over_time.map(v => digits.format(v)).join(' ← ')), md);
    // The MITI guide's figures are written as the learner's own are: with Arabic-Indic digits
    // (as Intl writes 'ar-EG'), none of them Latin.
    const indic = { ...ar, t: ar.t, list: ar.list, number: (x, o) => new Intl.NumberFormat('ar-EG', o).format(x) };
    const miti = markdown(d, indic).split('\n').find(l => l.startsWith(catalogueText('ar', 'markdown.miti').split('{')[0]));
    const percent = new Intl.NumberFormat('ar-EG', { style: 'percent' }), indicDigits = new Intl.NumberFormat('ar-EG');
    for (const figure of [indicDigits.format(1), indicDigits.format(2), percent.format(0.4), percent.format(0.5)]) assert.ok(miti.includes(figure), miti);
    assert.ok(!/[0-9]/.test(miti), miti);
    for (const turn of d.turns) assert.ok(md.includes(turn.text.trim()), 'the scenario\'s lines are quoted as they are');
    assert.ok(d.turns.every(turn => md.includes(turn.skill_label)), 'the engine\'s labels are in the engine\'s words');
  } finally {
    engine.setWords('{}');
  }
});
