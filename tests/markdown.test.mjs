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
    for (const turn of d.turns) {
      assert.ok(lines.includes(`**You:** ${turn.text.trim()}`), `turn ${turn.number}: ${turn.text}`);
      assert.ok(md.includes(turn.peer_said.trim().split('\n')[0]), `turn ${turn.number}: what the peer said`);
      const change = turn.trust_after - turn.trust_before;
      const account = `> ${turn.skill_label} (${catalogueText('en', `kind.${turn.kind}`)}): trust ${turn.trust_before} → ${turn.trust_after} (${change > 0 ? '+' : ''}${change})`;
      const line = lines.find(l => l.startsWith(account));
      assert.ok(line, `turn ${turn.number}: ${account}\n${md}`);
      for (const m of turn.modifiers) assert.ok(line.includes(`; ${m.amount > 0 ? '+' : ''}${m.amount} because ${m.text}`), line);
      for (const c of turn.consequences) assert.ok(line.includes(` later: ${c.feedback.trim()}`), line);
    }
    assert.ok(lines.includes(`## Ending: ${d.ending.title}`), md);
    assert.ok(lines.includes(`Trust over time: ${d.trust_over_time.join(' → ')}`), md);
    const s = d.score;
    assert.ok(lines.some(l => l.startsWith(`Score: ${s.raw} of ${s.max} (${s.passed ? 'passed' : 'not passed'}; a pass needs ${s.pass} `)), md);
    assert.equal(lines.filter(l => /^\| .* \| \d+ \| [+-]?\d+ \| [+-]?\d+ \|$/.test(l)).length, d.skills.length, 'a table row for each kind of response');
    for (const u of d.skills) assert.ok(lines.some(l => l.startsWith(`| ${u.label} | ${u.count} |`)), u.label);
    const used = d.miti.counts.filter(c => c.count > 0).map(c => `${c.label} ${c.count}`);
    assert.ok(lines.includes(`MITI counts: ${used.length ? used.join(', ') : 'none'}.`), md);
    for (const p of d.practise_next) assert.ok(lines.includes(`- ${p.text}`), p.text);
    for (const k of d.key_moments) assert.ok(lines.some(l => l.startsWith(`- Turn ${k.turn} (`) && l.includes(k.text.trim())), `key moment ${k.turn}`);
    if (d.best_path) assert.ok(lines.includes('### Compared with the best path'), md);
  });
}

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
    assert.ok(md.includes(d.trust_over_time.map(v => digits.format(v)).join(' → ')), md);
    for (const turn of d.turns) assert.ok(md.includes(turn.text.trim()), 'the scenario\'s lines are quoted as they are');
    assert.ok(d.turns.every(turn => md.includes(turn.skill_label)), 'the engine\'s labels are in the engine\'s words');
  } finally {
    engine.setWords('{}');
  }
});
