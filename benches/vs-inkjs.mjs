// vs-inkjs.mjs: the learner's engine (www/pkg, wasm) against inkjs 2.4 on the same generated
// graphs, for issue 11's targets. It prints medians and ratios from one run and asserts nothing
// about time: a benchmark that prints numbers (`cargo bench` has the engine's native figures).
//
//   node benches/vs-inkjs.mjs          (after bash scripts/build-web.sh)
//
//   SIZES=100,1000,10000   the graphs to measure, in nodes; memory is measured on the largest
//
// For each size, untimed: `cargo run --example generate` writes generate::scenario(1,
// Shape::new(n)) as TOML and the same TOML read as a plain tree (JSON). `attunement compile`
// compiles the TOML for the learner; from the tree this script writes the equivalent ink (a knot
// per node with the peer's line and a sticky choice `+ [text] -> target` per authored choice, an
// ending knot per ending that ENDs) and compiles it with inkjs's own compiler. Each engine then
// loads what its authoring tool compiled.
//
//   load    `new Story(json)` against `new Simulator(contents, name)`, from text already in memory,
//           warm (one untimed load of each first), interleaved
//   step    choose + view: `story.ChooseChoiceIndex(i); story.ContinueMaximally();` reading
//           `currentChoices`, against `play.choose(id); play.view()` reading its choices, in
//           practice mode (the choose result carries the explanation the widget shows). Both play
//           the same picks: one deterministic script, prepared untimed by playing both engines
//           side by side and failing if they ever show different lines or choices. Pick k of
//           the choices Attunement offers (in authored order: it may shuffle what it shows) is
//           k = step × 7 mod offered, mapped to ink's choice by its text. A walk that reaches an
//           ending starts again, untimed. The figure is the median over batches of the time per
//           step.
//   memory  in a fresh process each: the wasm memory after loading the largest graph (it never
//           shrinks, so this is its high-water mark: the reader's and the loaded scenario's; the
//           learner's engine runs no analysis, which the compiled file carries), and the JS
//           heap that inkjs's story keeps (heapUsed after a gc, less before)
//
// Ink has no trust model, so the ink story offers every authored choice at every visit and
// never walks out; Attunement may hide a choice (`when`) or end the talk when trust falls below
// the floor. The picks come from what Attunement offers, which ink always offers too, and a walk
// Attunement ends by walking out restarts both.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

const SELF = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(SELF), '..');
const PKG = path.join(REPO, 'www', 'pkg');
const TARGET = path.resolve(REPO, process.env.CARGO_TARGET_DIR || 'target');
const WORK = path.join(TARGET, 'vs-inkjs');
// The seed of benches/engine.rs and examples/generate.rs; also the sessions' seed.
const SEED = 1;
const SIZES = sizes(process.env.SIZES || '100,1000,10000');
// Timed loads per engine and size; fewer where one load takes seconds (see `loadRuns`).
const LOAD_RUNS = { 100: 21, 1000: 11, 10000: 7 };
const LOAD_BUDGET_MS = 10_000;
const STEP_BATCH = 250;
const STEP_BATCHES = 41;
// Where the issue puts the bar: load at 1,000 and 10,000 nodes, step everywhere.
const LOAD_TARGET_FROM = 1000;
const RATIO_TARGET = 10;
const MEMORY_TARGET = 64 * 2 ** 20;

// Lets the script collect garbage without being started with --expose-gc: once after compiling,
// and in the memory measure. Never before a timed run: a forced collection shrinks V8's young
// generation, and the next run pays for growing it back with many more scavenges (inkjs's load
// of 1,000 nodes took 3× as long after one, tried 2026-12-02).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

if (process.argv[2] === '--memory') {
    await memoryChild(process.argv.slice(3));
    process.exit(0);
}

if (!existsSync(path.join(PKG, 'attunement_bg.wasm'))) fail('www/pkg is missing: run bash scripts/build-web.sh first (it builds the learner\'s engine)');
if (!existsSync(path.join(REPO, 'node_modules', 'inkjs', 'package.json'))) fail('inkjs is missing: run (source scripts/install.sh && install node-packages) first (bash scripts/build-web.sh does too)');

const { Story } = await import('inkjs');
const { Compiler } = await import('inkjs/full');
const wasm = await import(path.join(PKG, 'attunement.js'));
wasm.initSync({ module: readFileSync(path.join(PKG, 'attunement_bg.wasm')) });
const INKJS_VERSION = JSON.parse(readFileSync(path.join(REPO, 'node_modules', 'inkjs', 'package.json'), 'utf8')).version;

const started = performance.now();
console.log(`vs-inkjs: Attunement ${wasm.version()} (www/pkg, the learner's engine, wasm) against inkjs ${INKJS_VERSION}`);
console.log(`${new Date().toISOString()}; node ${process.version}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() || 'unknown model'}); load average ${os.loadavg().map(l => l.toFixed(2)).join(' ')}`);
console.log(`graphs: generate::scenario(${SEED}, Shape::new(n)), the plain shape of cargo bench; sessions in practice mode, seed ${SEED}`);

const graphs = prepare();
console.log();
loadTable(graphs);
console.log();
stepTable(graphs);
console.log();
memoryTable(graphs.at(-1));
console.log();
console.log('analysis (for authors, native): not repeated here; `cargo bench --bench engine` times analyze() on the same graphs');
console.log(`  (seed ${SEED}, its "analysis" table, row "10000 plain"), against the target: 10,000 nodes under 1 s`);
console.log();
console.log(`vs-inkjs: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);

// Generates and compiles each graph for both engines (untimed), and loads nothing yet.
function prepare() {
    run('cargo', ['build', '--release', '--quiet', '--example', 'generate', '--bin', 'attunement']);
    mkdirSync(WORK, { recursive: true });
    const notes = [];
    const graphs = SIZES.map(n => {
        run(path.join(TARGET, 'release', 'examples', 'generate'), [String(n), WORK]);
        const tree = JSON.parse(readFileSync(path.join(WORK, `gen-${n}.tree.json`), 'utf8'));
        const compiled = compileAttunement(path.join(WORK, `gen-${n}.toml`), n);
        const ink = inkSource(tree);
        writeFileSync(path.join(WORK, `gen-${n}.ink`), ink);
        const t0 = performance.now();
        const compiler = new Compiler(ink);
        let story = null;
        try {
            story = compiler.Compile();
        } catch (e) {
            if (!compiler.errors.length) throw e;
        }
        if (compiler.errors.length || !story) fail(`inkjs cannot compile gen-${n}.ink:\n  ${compiler.errors.slice(0, 5).join('\n  ')}`);
        const inkJson = story.ToJson();
        const inkMs = performance.now() - t0;
        writeFileSync(path.join(WORK, `gen-${n}.ink.json`), inkJson);
        notes.push(`  ${String(n).padStart(6)}: ${kb(ink.length)} of ink → ${kb(inkJson.length)} of JSON (inkjs's compiler, ${ms(inkMs)}); ${kb(compiled.size)} for Attunement (${compiled.kind}, ${path.basename(compiled.file)})`);
        return { n, tree, inkJson, ...compiled };
    });
    gc();
    console.log(`compiled (untimed), into ${path.relative(process.cwd(), WORK) || '.'}:`);
    for (const note of notes) console.log(note);
    return graphs;
}

// `attunement compile` into a fresh folder, with no extension given: whatever file it writes
// there, in whatever form, is what the learner's engine loads. JSON (today) goes in as text,
// named `.json` so the engine reads it as JSON; anything else as the bytes.
function compileAttunement(toml, n) {
    const dir = path.join(WORK, `compiled-${n}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    run(path.join(TARGET, 'release', 'attunement'), ['compile', toml, '-o', path.join(dir, `gen-${n}`)]);
    const files = readdirSync(dir);
    if (files.length !== 1) fail(`attunement compile wrote ${files.length} files into ${dir}, not one: ${files.join(', ')}`);
    const file = path.join(dir, files[0]);
    const bytes = readFileSync(file);
    const text = asJson(bytes);
    return text === null
        ? { file, size: bytes.length, kind: 'binary', contents: new Uint8Array(bytes), name: files[0] }
        : { file, size: bytes.length, kind: 'JSON', contents: text, name: `${path.basename(files[0], '.json')}.json` };
}

// The text of a compiled file that is UTF-8 JSON, else null.
function asJson(bytes) {
    let i = 0;
    while (i < bytes.length && ' \t\r\n'.includes(String.fromCharCode(bytes[i]))) i++;
    if (bytes[i] !== 0x7b) return null;
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        return null;
    }
}

// The ink equivalent of a scenario tree: the graph (lines, choices, targets), without the trust
// model, which ink does not have. Sticky choices (`+`), because Attunement offers a choice again
// at every visit; on these acyclic graphs, once-only `*` would behave the same.
function inkSource(tree) {
    const endings = new Map(tree.ending.map(e => [e.id, `ending_${ident(e.id)}`]));
    const knots = new Map(tree.node.map(node => [node.id, `node_${ident(node.id)}`]));
    const names = [...endings.values(), ...knots.values()];
    if (new Set(names).size !== names.length) fail('two node or ending ids make the same ink knot name');
    if (tree.leaving) fail(`the ink translation has no leaving node (\`leaving = "${tree.leaving}"\`)`);
    const target = id => knots.get(id) ?? endings.get(id) ?? fail(`\`next = "${id}"\` names no node or ending the ink translation knows`);
    const lines = [`-> ${knots.get(tree.start ?? tree.node[0].id)}`, ''];
    for (const node of tree.node) {
        if (node.gate) fail(`the ink translation has no gates (node ${node.id})`);
        lines.push(`=== ${knots.get(node.id)} ===`, inkText(node.say));
        for (const c of node.choice) lines.push(`+ [${inkText(c.text)}] -> ${target(c.next)}`);
        lines.push('');
    }
    for (const e of tree.ending) lines.push(`=== ${endings.get(e.id)} ===`, inkText(e.title), inkText(e.text), '-> END', '');
    return lines.join('\n');
}

function ident(id) {
    return id.replace(/[^A-Za-z0-9_]/g, '_');
}
// Every ASCII punctuation mark escaped, so none is read as ink syntax (`//`, `->`, `[`, `#`...).
function inkText(text) {
    if (/[\r\n]/.test(text)) fail(`the ink translation keeps text on one line: ${JSON.stringify(text)}`);
    return text.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

function loadTable(graphs) {
    console.log('load: new Story(json) against new Simulator(contents, name); median (min–max) of warm loads');
    const head = ['nodes', 'inkjs', 'Attunement', 'ratio', `target (≥${RATIO_TARGET}×)`];
    const rows = [];
    for (const g of graphs) {
        // One untimed load of each: the JIT for ink, the wasm memory's growth for Attunement.
        const warm = { ink: timeOnce(() => new Story(g.inkJson)), att: timeOnce(() => new wasm.Simulator(g.contents, g.name).free()) };
        const runs = { ink: loadRuns(g.n, warm.ink), att: loadRuns(g.n, warm.att) };
        const times = { ink: [], att: [] };
        for (let r = 0; r < Math.max(runs.ink, runs.att); r++) {
            // Interleaved, alternating which goes first, so a slow patch of the machine lands on both.
            for (const engine of r % 2 ? ['att', 'ink'] : ['ink', 'att']) {
                if (times[engine].length >= runs[engine]) continue;
                // The previous load of this engine is dropped first, untimed.
                if (engine === 'ink') {
                    g.story = null;
                    const t0 = performance.now();
                    g.story = new Story(g.inkJson);
                    times.ink.push(performance.now() - t0);
                } else {
                    g.sim?.free();
                    g.sim = null;
                    const t0 = performance.now();
                    const sim = new wasm.Simulator(g.contents, g.name);
                    times.att.push(performance.now() - t0);
                    g.sim = sim;
                }
            }
        }
        const ink = stats(times.ink);
        const att = stats(times.att);
        const ratio = ink.median / att.median;
        rows.push([g.n, `${span(ink, ms)} ×${runs.ink}`, `${span(att, ms)} ×${runs.att}`, `${ratio.toFixed(2)}×`,
            g.n >= LOAD_TARGET_FROM ? verdict(ratio >= RATIO_TARGET) : '-']);
        g.loadRuns = runs;
    }
    table(head, rows);
    const fewer = graphs.filter(g => Math.min(g.loadRuns.att, g.loadRuns.ink) < planned(g.n));
    console.log(`  ×N: timed loads of each engine; planned ${SIZES.map(planned).join(', ')}, fewer (at least 3) where they would take over ${ms(LOAD_BUDGET_MS)}${fewer.length ? `: fewer at ${fewer.map(g => g.n).join(', ')} nodes` : ''}`);
}

// Planned runs, cut where one load is slow: at least 3.
function loadRuns(n, oneMs) {
    return Math.max(3, Math.min(planned(n), Math.floor(LOAD_BUDGET_MS / Math.max(oneMs, 1))));
}

function planned(n) {
    return LOAD_RUNS[n] ?? 7;
}

function stepTable(graphs) {
    console.log(`step: choose + view, the same ${STEP_BATCH * STEP_BATCHES} picks in both; per-step median (min–max) over ${STEP_BATCHES} batches of ${STEP_BATCH}, restarts untimed`);
    const head = ['nodes', 'inkjs', 'Attunement', 'ratio', `target (≥${RATIO_TARGET}×)`, 'walks'];
    const rows = [];
    for (const g of graphs) {
        const script = prepareWalks(g, STEP_BATCH * (STEP_BATCHES + 1));
        const players = { ink: inkPlayer(g.story, script.walks), att: attunementPlayer(g.sim, script.walks) };
        // One untimed batch each first (the JIT), then the batches interleaved.
        players.ink.batch(STEP_BATCH);
        players.att.batch(STEP_BATCH);
        const times = { ink: [], att: [] };
        for (let b = 0; b < STEP_BATCHES; b++) {
            for (const engine of b % 2 ? ['att', 'ink'] : ['ink', 'att']) times[engine].push(players[engine].batch(STEP_BATCH) / STEP_BATCH);
        }
        const ink = players.ink.line();
        const att = players.att.line();
        if (att !== null && ink !== att) fail(`after the timed steps on ${g.n} nodes, inkjs shows ${JSON.stringify(ink)} and Attunement ${JSON.stringify(att)}`);
        players.att.done();
        g.sim.free();
        g.sim = null;
        g.story = null;
        const i = stats(times.ink);
        const a = stats(times.att);
        const ratio = i.median / a.median;
        rows.push([g.n, span(i, us), span(a, us), `${ratio.toFixed(2)}×`, verdict(ratio >= RATIO_TARGET),
            `${script.walks.length} of ${(script.steps / script.walks.length).toFixed(1)} steps, to node ${script.deepest}; ${script.walkOuts} walked out`]);
    }
    table(head, rows);
    console.log('  walks: how many the script has, their mean length, the deepest node they reach, and how many Attunement ended by');
    console.log('  the peer walking out (trust below the floor), where ink, which has no trust, would have gone on');
}

// Plays both engines side by side (untimed) and records the picks: a list of walks, each the
// picks from the start to an ending (the last one cut at `steps`). Fails on any difference in
// what the two show.
function prepareWalks(g, steps) {
    const nodes = new Map(g.tree.node.map((node, i) => [node.id, { ...node, index: i }]));
    const endings = new Map(g.tree.ending.map(e => [e.id, e]));
    const story = g.story;
    const walks = [];
    let step = 0;
    let walkOuts = 0;
    let deepest = 0;
    while (step < steps) {
        const play = g.sim.start('practice', SEED);
        story.ResetState();
        let inkText = story.ContinueMaximally();
        const walk = [];
        let last = null;
        for (;;) {
            const view = play.view();
            const where = `on ${g.n} nodes, step ${step} (walk ${walks.length + 1}, turn ${view.turn})`;
            if (view.ending) {
                const authored = last && (nodes.get(last.next) ?? endings.get(last.next));
                if (view.ending.id === last?.next) {
                    same(where, inkLine(inkText), authored.title, 'the ending');
                    if (story.currentChoices.length) fail(`${where}: inkjs offers choices at the ending ${view.ending.id}`);
                } else if (view.ending.outcome === 'disengaged') {
                    // The peer walked out; ink went where the choice leads.
                    walkOuts++;
                    same(where, inkLine(inkText), authored.say ?? authored.title, 'where ink went on to');
                } else {
                    fail(`${where}: Attunement ended at ${view.ending.id}, not at ${last?.next}, and not by walking out`);
                }
                break;
            }
            const node = nodes.get(view.node) ?? fail(`${where}: Attunement is at ${view.node}, which the tree does not have`);
            deepest = Math.max(deepest, node.index);
            same(where, inkLine(inkText), view.say, 'the peer\'s line');
            const inkChoices = story.currentChoices.map(c => c.text);
            same(where, JSON.stringify(inkChoices), JSON.stringify(node.choice.map(c => c.text)), 'the authored choices');
            if (step === steps) break;
            // Authored order, whatever order Attunement shows them in.
            const offered = view.choices.map(c => node.choice.findIndex(a => a.id === c.id)).sort((x, y) => x - y);
            if (!offered.length || offered.includes(-1)) fail(`${where}: Attunement offers ${JSON.stringify(view.choices.map(c => c.id))}`);
            const index = offered[(step * 7) % offered.length];
            const choice = node.choice[index];
            // Ink's choice by its text: the same choice is the one with that text that comes as
            // many times after others with the same text.
            const nth = node.choice.slice(0, index).filter(c => c.text === choice.text).length;
            const inkIndex = inkChoices.map((t, i) => [t, i]).filter(([t]) => t === choice.text)[nth]?.[1];
            if (inkIndex === undefined) fail(`${where}: inkjs does not offer ${JSON.stringify(choice.text)}`);
            walk.push({ id: choice.id, ink: inkIndex });
            play.choose(choice.id);
            story.ChooseChoiceIndex(inkIndex);
            inkText = story.ContinueMaximally();
            last = choice;
            step++;
        }
        play.free();
        walks.push(walk);
    }
    return { walks, steps, walkOuts, deepest: g.tree.node[deepest].id };
}

// Each player replays the walks in order, forever, and times `batch(n)`: n steps, without the
// restarts between walks. An engine gives `restart()` and `step(pick)`, which makes the pick,
// reads what a view would show and returns its length (summed into a sink, so nothing read is
// optimised away).
function player(walks, restart, step) {
    let w = 0;
    let i = 0;
    let sink = 0;
    restart();
    return function batch(n) {
        let spent = 0;
        for (let done = 0; done < n;) {
            if (i === walks[w].length) {
                w = (w + 1) % walks.length;
                i = 0;
                restart();
                continue;
            }
            const walk = walks[w];
            const end = Math.min(walk.length, i + n - done);
            const t0 = performance.now();
            for (let k = i; k < end; k++) sink += step(walk[k]);
            spent += performance.now() - t0;
            done += end - i;
            i = end;
        }
        globalThis.__vsInkjsSink = sink;
        return spent;
    };
}

function inkPlayer(story, walks) {
    let text = '';
    const batch = player(walks, () => {
        story.ResetState();
        text = story.ContinueMaximally();
    }, pick => {
        story.ChooseChoiceIndex(pick.ink);
        text = story.ContinueMaximally();
        let read = text.length;
        for (const c of story.currentChoices) read += c.text.length;
        return read;
    });
    return { batch, line: () => inkLine(text) };
}

function attunementPlayer(sim, walks) {
    let play = null;
    let view = null;
    const batch = player(walks, () => {
        play?.free();
        play = sim.start('practice', SEED);
        view = play.view();
    }, pick => {
        play.choose(pick.id);
        view = play.view();
        let read = (view.say ?? '').length;
        for (const c of view.choices) read += c.text.length;
        return read;
    });
    return {
        batch,
        // The peer's line, or null at an ending (where ink, after a walk-out, may be elsewhere).
        line: () => (view.ending ? null : view.say),
        done: () => play.free(),
    };
}

// Ink's first line of output: the peer's line, or an ending's title.
function inkLine(text) {
    return text.split('\n')[0].trim();
}

function same(where, ink, attunement, what) {
    if (ink !== attunement) fail(`${where}: the engines diverge on ${what}: inkjs ${JSON.stringify(ink)}, Attunement ${JSON.stringify(attunement)}`);
}

function memoryTable(g) {
    console.log(`memory, after loading ${g.n} nodes, each in a fresh node process (and that process's first, cold load)`);
    const att = child(['att', g.file, g.name]);
    const ink = child(['ink', path.join(WORK, `gen-${g.n}.ink.json`)]);
    table(['engine', 'what', 'before', 'after', 'cold load', 'target'], [
        ['Attunement', 'wasm memory.buffer.byteLength', mib(att.before), mib(att.after), ms(att.ms),
            g.n === 10000 ? `≤ ${mib(MEMORY_TARGET)} ${verdict(att.after <= MEMORY_TARGET)}` : '-'],
        ['inkjs', 'JS heapUsed after a gc (the story kept)', mib(ink.before), mib(ink.after), ms(ink.ms), '-'],
    ]);
    console.log(`  a wasm memory only grows, so Attunement's ${mib(att.after - att.before)} of growth is the peak of its load; inkjs's story keeps`);
    console.log(`  ${mib(ink.after - ink.before)} of JS heap (what it kept, not its peak)`);
}

function child(args) {
    const r = spawnSync(process.execPath, [SELF, '--memory', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) fail(`the memory measure (${args[0]}) failed:\n${r.stderr}`);
    return JSON.parse(r.stdout);
}

// In the child: one load, in a process that has done nothing else.
async function memoryChild([engine, file, name]) {
    if (engine === 'att') {
        const pkg = await import(path.join(PKG, 'attunement.js'));
        const exports = pkg.initSync({ module: readFileSync(path.join(PKG, 'attunement_bg.wasm')) });
        const bytes = readFileSync(file);
        const contents = asJson(bytes) ?? new Uint8Array(bytes);
        const before = exports.memory.buffer.byteLength;
        const t0 = performance.now();
        const sim = new pkg.Simulator(contents, name);
        const t = performance.now() - t0;
        console.log(JSON.stringify({ before, after: exports.memory.buffer.byteLength, ms: t }));
        sim.free();
    } else {
        const { Story } = await import('inkjs');
        const json = readFileSync(file, 'utf8');
        gc();
        gc();
        const before = process.memoryUsage().heapUsed;
        const t0 = performance.now();
        const story = new Story(json);
        const t = performance.now() - t0;
        gc();
        gc();
        const after = process.memoryUsage().heapUsed;
        globalThis.__vsInkjsKeep = story;
        console.log(JSON.stringify({ before, after, ms: t }));
    }
}

function timeOnce(f) {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
}

function stats(values) {
    const v = [...values].sort((a, b) => a - b);
    const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return { median, min: v[0], max: v.at(-1) };
}

function table(head, rows) {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i]).length)));
    const line = cells => console.log(`  ${cells.map((c, i) => (i === 0 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ').trimEnd()}`);
    line(head);
    for (const row of rows) line(row);
}

function verdict(ok) {
    return ok ? 'PASS' : 'MISS';
}

function span(s, unit) {
    return `${unit(s.median)} (${unit(s.min)}–${unit(s.max)})`;
}

function ms(t) {
    return t >= 1000 ? `${(t / 1000).toFixed(2)} s` : t >= 10 ? `${t.toFixed(0)} ms` : `${t.toFixed(2)} ms`;
}

function us(t) {
    return `${(t * 1000).toFixed(t * 1000 >= 10 ? 0 : 2)} µs`;
}

function mib(b) {
    return `${(b / 2 ** 20).toFixed(1)} MiB`;
}

function kb(b) {
    return b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(0)} KiB`;
}

function sizes(text) {
    const list = text.split(',').map(Number);
    if (!list.length || list.some(n => !Number.isInteger(n) || n < 2)) fail(`SIZES must be node counts of at least 2, such as 100,1000,10000, not ${JSON.stringify(text)}`);
    return list.sort((a, b) => a - b);
}

function run(command, args) {
    const r = spawnSync(command, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.error) fail(`cannot run ${command}: ${r.error.message}`);
    if (r.status !== 0) fail(`${path.basename(command)} ${args.join(' ')} failed (exit ${r.status})`);
}

function fail(text) {
    console.error(`vs-inkjs: ${text}`);
    process.exit(1);
}
