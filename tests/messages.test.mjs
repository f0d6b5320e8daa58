// The message catalogues' check (scripts/messages.mjs --check): what it reports on broken
// catalogues, and that the shipped ones have nothing to report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUBSETS, catalogues, problems } from '../scripts/messages.mjs';

function folder(files) {
  const dir = mkdtempSync(join(tmpdir(), 'attunement-messages-'));
  for (const [name, messages] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(messages));
  return dir;
}

const english = {
  hello: 'Hello {name}',
  minutes: 'About {n, plural, one {# minute} other {# minutes}}',
  start: 'Start',
};

test('a catalogue with every message and the same placeholders has no problems', () => {
  const dir = folder({
    'widget.en.json': english,
    'widget.es.json': { hello: 'Hola {name}', minutes: 'Unos {n, plural, one {# minuto} other {# minutos}}', start: 'Empezar' },
    'widget.ar.json': { hello: 'مرحبا {name}', minutes: '{n, plural, zero {لا دقائق} one {دقيقة} two {دقيقتان} few {# دقائق} many {# دقيقة} other {# دقيقة}}', start: 'ابدأ' },
  });
  assert.deepEqual(problems(catalogues(dir), ['en', 'es', 'ar']), []);
});

test('the check names each missing, extra, mismatched and broken message', () => {
  const dir = folder({
    'widget.en.json': english,
    'widget.fr.json': {
      hello: 'Bonjour {nom}',
      minutes: 'Environ {n, plural, one {# minute} few {# minutes} other {# minutes}}',
      stray: 'Rien',
    },
    'widget.de.json': { hello: 'Hallo {name', minutes: 'Etwa {n} Minuten', start: 'Los' },
  });
  const found = problems(catalogues(dir), ['en', 'fr', 'de']).map(p => p.replace(`${dir}/`, ''));
  const has = (file, id, words) => assert.ok(found.some(p => p.startsWith(`${file}: ${id}: `) && p.includes(words)), `${file} ${id} "${words}" in:\n${found.join('\n')}`);
  has('widget.fr.json', 'hello', 'has the placeholders {nom} where English has {name}');
  has('widget.fr.json', 'minutes', 'few');
  has('widget.fr.json', 'start', 'is missing');
  has('widget.fr.json', 'stray', 'is not in English');
  has('widget.de.json', 'hello', 'Unexpected');
  has('widget.de.json', 'minutes', 'has the placeholders {n} where English has {n:plural}');
  assert.equal(found.length, 6, found.join('\n'));
});

test('a language with no catalogue for an area is reported', () => {
  const dir = folder({ 'widget.en.json': english, 'widget.es.json': english });
  assert.deepEqual(problems(catalogues(dir), ['en', 'es', 'pt-BR']).map(p => p.replace(`${dir}/`, '')),
    ['widget.pt-BR.json: *: is missing (the widget is shown in English there)']);
});

test('a catalogue without an English one is reported', () => {
  const dir = folder({ 'report.es.json': { a: 'b' } });
  assert.match(problems(catalogues(dir), ['en', 'es']).join('\n'), /no English catalogue report\.en\.json/);
});

test('every shipped catalogue is complete, with English placeholders, in every interface language', () => {
  const all = catalogues();
  assert.deepEqual(problems(all), []);
  const areas = new Set(all.map(c => c.area));
  for (const area of areas) {
    const langs = all.filter(c => c.area === area).map(c => c.lang).sort();
    assert.deepEqual(langs, ['ar', 'de', 'en', 'es', 'fr', 'pt-BR'], `the ${area} catalogues`);
  }
  assert.ok(areas.has('widget'), 'the widget has a catalogue');
});

test('the embed page uses only the messages of its subset, and a subset id English lacks is reported', () => {
  const www = new URL('../www/', import.meta.url);
  const used = new Set();
  for (const file of ['pages/embed.js', 'embed.html']) {
    const text = readFileSync(new URL(file, www), 'utf8');
    for (const [, id] of text.matchAll(/\bt\('([a-z_.]+)'/g)) used.add(id);
    for (const [, id] of text.matchAll(/data-i18n="([a-z_.]+)"/g)) used.add(id);
  }
  assert.ok(used.has('embed.missing') && used.has('page.heading'), `found the page's ids: ${[...used]}`);
  assert.deepEqual([...used].filter(id => !SUBSETS.embed.ids.includes(id)), [], 'every id the embed page shows is in its subset');
  const dir = mkdtempSync(join(tmpdir(), 'messages-'));
  writeFileSync(join(dir, 'library.en.json'), JSON.stringify({ 'page.heading': 'Attunement' }));
  assert.match(problems(catalogues(dir), ['en']).join('\n'), /embed\.missing: is in the embed subset .* but not in English/);
});

// The widget's language rules (www/widget/i18n.js), which need no browser.
import { catalogue, choose, rtl, supported } from '../www/widget/i18n.js';

test('a tag takes the shipped language of the same tag, else of the same language, else none', () => {
  assert.equal(supported('es'), 'es');
  assert.equal(supported('es-MX'), 'es');
  assert.equal(supported('PT-br'), 'pt-BR');
  assert.equal(supported('pt'), 'pt-BR');
  assert.equal(supported('ja'), null);
  assert.equal(supported(''), null);
  assert.equal(supported(undefined), null);
  // The element's, else the scenario's, else the page's, else English.
  assert.equal(choose('fr', 'es', 'de'), 'fr');
  assert.equal(choose(null, 'es', 'de'), 'es');
  assert.equal(choose('ja', 'xx', 'de'), 'de');
  assert.equal(choose('ja', null, ''), 'en');
  assert.ok(rtl('ar') && rtl('ar-EG') && !rtl('en') && !rtl('arn'));
});

test('a message a catalogue lacks is English; a catalogue that fails to load leaves English, with a warning', async () => {
  const english = { hello: d => `Hello ${d.name}`, bye: () => 'Goodbye' };
  const spanish = { hello: d => `Hola ${d.name}` };
  const words = catalogue('widget', english, async l => { if (l === 'es') return spanish; throw new Error(`no ${l}`); });
  assert.equal(await words.use('es-AR'), 'es');
  assert.equal(words.t('hello', { name: 'Ana' }), 'Hola Ana');
  assert.equal(words.t('bye'), 'Goodbye', 'missing in Spanish: English');
  assert.equal(words.t('nowhere'), 'nowhere', 'missing everywhere: its id');
  const warned = [];
  const warn = console.warn;
  console.warn = text => warned.push(text);
  try {
    assert.equal(await words.use('fr'), 'en');
  } finally {
    console.warn = warn;
  }
  assert.match(warned.join('\n'), /the fr words for the widget could not be loaded \(no fr\); English is shown instead/);
  assert.equal(words.t('hello', { name: 'Ana' }), 'Hello Ana');
  // Arabic: what goes into a message is isolated, so it keeps its own direction.
  const arabic = catalogue('widget', english, async () => ({ hello: d => `مرحبا ${d.name}` }));
  await arabic.use('ar');
  assert.equal(arabic.dir, 'rtl');
  assert.equal(arabic.t('hello', { name: 'Ana' }), 'مرحبا \u2068Ana\u2069');
});

test('a number takes the plural of the language in use, as it is written', async () => {
  const words = catalogue('widget', {}, async () => ({}));
  const decimal = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
  // English: only a bare 1 is singular; "1.0 reflections", "1.5 reflections".
  assert.deepEqual([1, 1.5, 2].map(n => words.plural(n, decimal)), ['other', 'other', 'other']);
  assert.equal(words.plural(1), 'one');
  // French and Brazilian Portuguese: below 2 is singular, "1,5 reflet".
  for (const lang of ['fr', 'pt-BR']) {
    await words.use(lang);
    assert.deepEqual([0.5, 1, 1.5, 2].map(n => words.plural(n, decimal)), ['one', 'one', 'one', 'other'], lang);
  }
  await words.use('ar');
  assert.deepEqual([0, 1, 2, 3, 11].map(n => words.plural(n)), ['zero', 'one', 'two', 'few', 'many']);
});
