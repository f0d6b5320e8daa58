// hostile.mjs: times the authors' browser engine (www/pkg-author) on the hostile files that
// scripts/hostile.sh writes, all of them sources; the learner's (www/pkg) reads compiled files
// only and refuses a source unread, so it is left out (its reader's hostile input is
// tests/compiled.rs's and tests/fuzz.rs's). It prints one line a file and engine:
// the median of 3 loads, and the first error the engine gives. It asserts nothing: the numbers
// are for people (issues 8 and 15 ask for "about a second at most" to refuse any input).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const engines = [];
for (const pkg of ['pkg', 'pkg-author']) {
    const engine = await import(new URL(`../www/${pkg}/attunement.js`, import.meta.url));
    engine.initSync({ module: readFileSync(new URL(`../www/${pkg}/attunement_bg.wasm`, import.meta.url)) });
    engines.push([pkg, engine]);
}
console.log(`${'file'.padEnd(24)} ${'engine'.padEnd(11)} ${'median'.padStart(9)}  first error`);
for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    for (const [pkg, engine] of engines) {
        if (!engine.readsToml()) continue;
        const times = [];
        let first = 'loaded';
        for (let i = 0; i < 3; i++) {
            const t = performance.now();
            try {
                new engine.Simulator(text, name).free();
            } catch (e) {
                first = String(e.message).split('\n').find(l => /(error|warning)\[/.test(l))?.replace(/^.*?: (error|warning)/, '$1') ?? String(e.message).slice(0, 80);
            }
            times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        console.log(`${name.padEnd(24)} ${pkg.padEnd(11)} ${`${times[1].toFixed(0)} ms`.padStart(9)}  ${first.slice(0, 90)}`);
    }
}
