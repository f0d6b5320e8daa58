// messages.mjs: the interface's message catalogues (www/i18n/AREA.LANG.json, ICU MessageFormat).
//
//   node scripts/messages.mjs           compiles each catalogue into www/i18n/AREA.LANG.js
//   node scripts/messages.mjs --check   checks every catalogue against its English one
//
// A catalogue is one flat JSON object of message ids to ICU MessageFormat strings; AREA is the
// part of the site it serves (widget, library, report; engine is the engine's own words, which
// the engine fills itself, so they stay JSON), LANG a BCP 47 tag (en, pt-BR). English is
// the source: the others are checked against it. Compiling turns each message into a function
// (@messageformat/core, at build time), so the browser gets plain functions and a few hundred bytes
// of runtime (plural rules, number formatting through Intl), never a parser. build-web.sh bundles
// the English catalogue into each page's script and each other language into www/lang/ apart,
// fetched only by a learner who reads it.
//
// --check reports, as FILE: id: problem, every catalogue missing for a shipped language
// (www/widget/i18n.js's LANGUAGES), every message missing from a catalogue (the interface
// falls back to English there), every message English no longer has, every placeholder or plural
// argument that differs from English's, every message that does not parse, and every plural
// category the language has no use for. It exits 1 on any of them.
import MessageFormat from '@messageformat/core';
import compileModule from '@messageformat/core/compile-module.js';
import { parse } from '@messageformat/parser';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '../www/widget/i18n.js';

const DIR = fileURLToPath(new URL('../www/i18n/', import.meta.url));

/// Every catalogue in `dir`: { area, lang, file, messages }.
export function catalogues(dir = DIR) {
  return readdirSync(dir)
    .map(name => /^([a-z]+)\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\.json$/.exec(name))
    .filter(Boolean)
    .map(([name, area, lang]) => ({ area, lang, file: join(dir, name), messages: JSON.parse(readFileSync(join(dir, name), 'utf8')) }));
}

/// The arguments a message uses, as "name" or "name:plural"/"name:select", sorted.
function args(tokens, into = new Set()) {
  for (const t of tokens) {
    if (t.type === 'argument') into.add(t.arg);
    else if (t.type === 'function') into.add(`${t.arg}:${t.key}`);
    else if (t.type === 'plural' || t.type === 'selectordinal' || t.type === 'select') {
      into.add(`${t.arg}:${t.type === 'select' ? 'select' : 'plural'}`);
      for (const c of t.cases) args(c.tokens, into);
    }
  }
  return into;
}
const signature = text => [...args(parse(text))].sort().join(', ');

/// The problems of every catalogue, as "FILE: id: problem" lines; an area lacking a catalogue in
/// one of `languages` is a problem too.
export function problems(all = catalogues(), languages = LANGUAGES) {
  const out = [];
  const english = new Map(all.filter(c => c.lang === 'en').map(c => [c.area, c]));
  for (const [name, { area, ids }] of Object.entries(SUBSETS)) {
    const en = english.get(area);
    for (const id of ids) if (en && !(id in en.messages)) out.push(`${en.file}: ${id}: is in the ${name} subset (scripts/messages.mjs SUBSETS), but not in English`);
  }
  for (const [area, en] of english) {
    for (const lang of languages) {
      if (!all.some(c => c.area === area && c.lang === lang)) out.push(`${en.file.replace(/\.en\.json$/, `.${lang}.json`)}: *: is missing (the ${area} is shown in English there)`);
    }
  }
  for (const c of all) {
    const say = (id, what) => out.push(`${c.file}: ${id}: ${what}`);
    const mf = new MessageFormat(c.lang);
    for (const [id, text] of Object.entries(c.messages)) {
      if (typeof text !== 'string') { say(id, 'is not a string'); continue; }
      // Compiling checks the syntax and the plural categories against the language's rules.
      try { compileModule(mf, { [id]: text }); } catch (e) { say(id, e.message.split('\n')[0]); }
    }
    const en = english.get(c.area);
    if (!en) { say('*', `there is no English catalogue ${c.area}.en.json to check it against`); continue; }
    if (en === c) continue;
    for (const [id, text] of Object.entries(en.messages)) {
      if (!(id in c.messages)) { say(id, 'is missing (English is shown in its place)'); continue; }
      let want, got;
      try { want = signature(text); got = signature(c.messages[id]); } catch { continue; }
      if (want !== got) say(id, `has the placeholders {${got}} where English has {${want}}`);
    }
    for (const id of Object.keys(c.messages)) if (!(id in en.messages)) say(id, 'is not in English: remove it, or add it to English first');
  }
  return out;
}

/// The parts of a catalogue that a page needs alone, compiled apart as www/i18n/NAME.LANG.js from
/// the messages of AREA.LANG.json with these ids: the embed page (embed.html, the bare widget a
/// course site frames) uses five of the library's 46 messages, and bundling all of them put 1.2 KB
/// into every learner's download. Translators still see one library catalogue.
export const SUBSETS = {
  embed: { area: 'library', ids: ['page.heading', 'page.noscript', 'page.scenario_title', 'embed.missing', 'embed.refused'] },
};

/// Writes www/i18n/AREA.LANG.js for every catalogue, and NAME.LANG.js for every subset: an ES
/// module whose default export maps each id to a function of the message's arguments.
export function compile(all = catalogues()) {
  // The engine's words are plain {name} templates the engine fills itself: build-web.sh copies them.
  for (const c of all.filter(c => c.area !== 'engine')) {
    writeFileSync(c.file.replace(/\.json$/, '.js'), compileModule(new MessageFormat(c.lang), c.messages));
    for (const [name, { area, ids }] of Object.entries(SUBSETS)) {
      if (area !== c.area) continue;
      const some = Object.fromEntries(ids.filter(id => id in c.messages).map(id => [id, c.messages[id]]));
      writeFileSync(join(dirname(c.file), `${name}.${c.lang}.js`), compileModule(new MessageFormat(c.lang), some));
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const all = catalogues();
    const found = problems(all);
    for (const p of found) console.error(p);
    const counts = all.map(c => `${c.area}.${c.lang} ${Object.keys(c.messages).length}`).join(', ');
    console.log(`messages: ${all.length} catalogues (${counts}); ${found.length} problems`);
    process.exit(found.length ? 1 : 0);
  }
  compile();
}
