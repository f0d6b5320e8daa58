// report.mjs: the cohort report's aggregation in wasm, as the trainer's page runs it (V8, in
// Node), for issue 13's "at least 10,000 statements aggregated in under a second". It prints
// medians and asserts nothing about time.
//
//   node benches/report.mjs          (after bash scripts/build-web.sh)
//
// It plays first-meeting through the learner's engine (www/pkg) with seeded random picks until
// there are at least N statements, shaped as the widget's xAPI reporter sends them (its own
// Recorder, www/lms/xapi.js), splits them into store pages of 100 (Ralph's default), and times
// the trainer's engine (www/pkg-report) reading every page (addPage, the store's answer as text)
// and writing the report (json). Each figure is the median of 11 runs.

import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const load = async dir => {
    const m = await import(pathToFileURL(path.join(root, 'www', dir, 'attunement.js')).href);
    m.initSync({ module: readFileSync(path.join(root, 'www', dir, 'attunement_bg.wasm')) });
    return m;
};
const learner = await load('pkg');
const trainer = await load('pkg-report');
const { Recorder } = await import(pathToFileURL(path.join(root, 'www/lms/xapi.js')).href);

const sim = new learner.Simulator(new Uint8Array(readFileSync(path.join(root, 'www/scenarios/first-meeting.attn'))), 'first-meeting.attn');
const info = sim.info();

function cohort(atLeast) {
    const statements = [];
    let seed = 1;
    while (statements.length < atLeast) {
        const attempt = `6f1c0000-0000-4000-8000-${String(seed).padStart(12, '0')}`;
        const store = new Map();
        const recorder = new Recorder({ actor: { mbox: `mailto:learner${seed}@example.org` } }, {
            add: s => statements.push(s),
            storage: { getItem: k => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) },
        });
        const base = { version: 1, scenario: { id: info.id, title: info.title, hash: info.hash, language: info.language }, mode: 'assessment', attempt, started: new Date().toISOString() };
        const event = (type, extra) => recorder.record(type, { ...base, type, ...extra });
        const play = sim.start('assessment', seed);
        event('start', {});
        let x = seed * 2654435761 >>> 0, ended = false;
        while (!ended) {
            const choices = play.view().choices;
            x = (x * 1103515245 + 12345) >>> 0;
            ended = play.choose(choices[x % choices.length].id).ended;
            const t = play.turns().at(-1);
            event('choice', { turn: t.number, node: t.node, choice: { id: t.choice, text: t.text }, skill: t.skill, kind: t.kind, trust_before: t.trust_before, trust_after: t.trust_after, acute: t.acute, warning_signs: t.warning_signs, ended });
        }
        const d = play.debrief();
        event('complete', { ending: d.ending, trust: d.trust.value, turns: d.turns.length, passed: d.score.passed, score: d.score });
        play.free();
        seed++;
    }
    return { statements, learners: seed - 1 };
}

const median = xs => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log('statements  learners  pages  read all pages (ms)  report JSON (ms)  total (ms)  statements/s');
for (const n of [1_000, 10_000, 50_000]) {
    const { statements, learners } = cohort(n);
    const pages = [];
    for (let i = 0; i < statements.length; i += 100) {
        const more = i + 100 < statements.length ? `/xAPI/statements?page=${i / 100 + 1}` : '';
        pages.push(JSON.stringify({ statements: statements.slice(i, i + 100), more }));
    }
    const read = [], json = [], total = [];
    for (let run = 0; run < 11; run++) {
        const t0 = performance.now();
        const r = new trainer.CohortReport(JSON.stringify({ endpoint: 'http://127.0.0.1:8100/xAPI/', activity: 'https://attunement.invalid/scenarios/first-meeting' }));
        for (const p of pages) r.addPage(p);
        const t1 = performance.now();
        const out = JSON.parse(r.json(false));
        const t2 = performance.now();
        if (out.statements !== statements.length) throw new Error(`read ${out.statements} of ${statements.length}`);
        r.free();
        read.push(t1 - t0); json.push(t2 - t1); total.push(t2 - t0);
    }
    const m = median(total);
    console.log(`${String(statements.length).padStart(10)}  ${String(learners).padStart(8)}  ${String(pages.length).padStart(5)}  ${median(read).toFixed(1).padStart(19)}  ${median(json).toFixed(1).padStart(16)}  ${m.toFixed(1).padStart(10)}  ${Math.round(statements.length / (m / 1000)).toLocaleString('en').padStart(12)}`);
}
sim.free();
