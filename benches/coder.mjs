// coder.mjs: the reply coder in wasm, as the browser's JavaScript engine runs it (V8, in Node),
// for issue 12's "under 5 ms a reply in the browser". It prints medians and asserts nothing about
// time; `cargo bench` has the native figure.
//
//   node benches/coder.mjs          (after bash scripts/build-web.sh)
//
// The engine is www/pkg-author (the build with the `coder` feature, until the learner's engine
// offers free text). It loads data/coder.bin once (timed apart), starts first-meeting, and codes
// the held-out replies of data/replies/ one at a time with play.reply(coder, text), which codes
// the reply and matches it to the choices on offer: the call the widget will make. The figure is
// the median over batches of 100 replies of the time per reply.

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const engine = await import(path.join(root, 'www/pkg-author/attunement.js'));
engine.initSync({ module: readFileSync(path.join(root, 'www/pkg-author/attunement_bg.wasm')) });

// Every reply of data/replies/, comments aside; the split does not matter for timing.
const replies = readdirSync(path.join(root, 'data/replies')).filter(f => f.endsWith('.txt')).sort()
    .flatMap(f => readFileSync(path.join(root, 'data/replies', f), 'utf8').split('\n'))
    .map(l => l.trim()).filter(l => l && !l.startsWith('#'));

const model = readFileSync(path.join(root, 'data/coder.bin'));
const loads = [];
let coder;
for (let i = 0; i < 21; i++) {
    const t = performance.now();
    coder?.free();
    coder = new engine.Coder(model);
    loads.push(performance.now() - t);
}
const sim = new engine.Simulator(new Uint8Array(readFileSync(path.join(root, 'www/scenarios/first-meeting.attn'))), 'first-meeting.attn');
const play = sim.start('practice', 1);

const median = xs => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const r of replies.slice(0, 200)) play.reply(coder, r); // warm-up
const batches = [];
for (let start = 0; start + 100 <= replies.length; start += 100) {
    const t = performance.now();
    for (let i = start; i < start + 100; i++) play.reply(coder, replies[i]);
    batches.push((performance.now() - t) / 100);
}
console.log(`coder (wasm in Node ${process.version}): ${replies.length} replies, ${model.length} bytes of model`);
console.log(`  load the model (new Coder): median ${median(loads).toFixed(2)} ms over ${loads.length}`);
console.log(`  code one reply and match it to first-meeting's first choices (play.reply): median ${(median(batches) * 1000).toFixed(1)} µs a reply over ${batches.length} batches of 100 (min ${(Math.min(...batches) * 1000).toFixed(1)}, max ${(Math.max(...batches) * 1000).toFixed(1)})`);
