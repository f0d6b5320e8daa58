// The library as a path (issue 10): the cards keep scenarios/index.json's order (the suggested
// one, which `attunement library` writes) and show each scenario's level, the content note
// before the summary, and the learner's progress per mode from the widget's status keys
// (attunement:ID:MODE:status = "in-progress" | "done"); the player page's title names the
// scenario, and its <attunement-sim> gets back-href and the next scenario on the path.
//
// The index is a temporary file the server reads on every request, so each test serves the one
// it needs: the built one as it is, or a "path" fixture made from it, in an order no sort would
// give (reversed) and with levels on all but one entry, since the built index may not carry
// levels yet. The fixture's entries are the built scenarios, so every link in it opens.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
    WWW, startEnv, openPage, ui, visible, eventually, expectTitle, expectNoAxeViolations, expectNoHorizontalScroll, screenshot,
} from './helpers.mjs';

const BUILT = JSON.parse(readFileSync(path.join(WWW, 'scenarios', 'index.json'), 'utf8')).scenarios;
const LEVELS = ['introductory', 'intermediate', 'advanced'];
const LABEL = { introductory: 'Introductory', intermediate: 'Intermediate', advanced: 'Advanced' };

/// The built scenarios reversed, with a level on each but the third (an older index's entry).
const PATH = BUILT.slice().reverse().map((sc, i) => {
    const { level, ...rest } = sc;
    return i === 2 ? rest : { ...rest, level: LEVELS[Math.min(LEVELS.length - 1, Math.floor((i * LEVELS.length) / BUILT.length))] };
});

let env, tmp, indexFile;

before(async () => {
    assert.ok(BUILT.length >= 3, 'the built library has at least three scenarios');
    tmp = mkdtempSync(path.join(os.tmpdir(), 'attunement-path-'));
    indexFile = path.join(tmp, 'index.json');
    serveIndex(BUILT);
    env = await startEnv({ files: { '/scenarios/index.json': indexFile } });
});

after(async () => {
    await env?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/// Serves `scenarios` as /scenarios/index.json from the next request on.
function serveIndex(scenarios) {
    writeFileSync(indexFile, JSON.stringify({ scenarios }));
}

/// The index as the page's server answers it (not as this file wrote it).
async function servedIndex(page) {
    return page.evaluate(async () => (await (await fetch('/scenarios/index.json', { cache: 'no-store' })).json()).scenarios);
}

/// The card of the scenario titled `title`: the article whose heading is that title.
function cardOf(page, title) {
    return page.getByRole('article').filter({ has: page.getByRole('heading', { level: 3, name: title, exact: true }) });
}

/// The cards' titles, in the order the page shows them, once they are there.
async function cardTitles(page, count) {
    const headings = page.getByRole('list').getByRole('article').getByRole('heading', { level: 3 });
    await eventually(async () => assert.equal(await headings.count(), count, `the library shows ${count} cards`));
    return headings.evaluateAll(hs => hs.map(h => h.textContent.trim()));
}

const normal = text => (text ?? '').replace(/\s+/g, ' ').trim();

test('the cards keep index.json\'s order, as a numbered list, whatever the order is', async () => {
    const p = await openPage(env, '/index.html');
    const { page } = p;
    for (const [what, scenarios] of [['the built index', BUILT], ['the reversed path fixture', PATH]]) {
        serveIndex(scenarios);
        await page.reload();
        const served = await servedIndex(page);
        assert.deepEqual(served.map(s => s.id), scenarios.map(s => s.id), `${what} is what the server answers`);
        assert.deepEqual(await cardTitles(page, served.length), served.map(s => s.title), `with ${what}, the cards follow the file's order`);
        // An ordered list: the order is part of the content, not only of the layout.
        const list = await page.getByRole('article').first().evaluate(el => el.closest('ol, ul')?.localName);
        assert.equal(list, 'ol', 'the cards are the items of an ordered list (<ol>)');
    }
    // Not alphabetical: the fixture's order differs from a sort, and the page kept the fixture's.
    const sorted = PATH.map(s => s.title).sort((a, b) => a.localeCompare(b));
    assert.notDeepEqual(PATH.map(s => s.title), sorted, 'the fixture\'s order is not the alphabetical one (or this test proves nothing)');
    await p.close();
});

test('each card shows its level, peer and minutes; an entry without a level shows none', async () => {
    serveIndex(PATH);
    const p = await openPage(env, '/index.html');
    const { page } = p;
    await cardTitles(page, PATH.length);
    for (const sc of PATH) {
        const card = cardOf(page, sc.title);
        assert.equal(await card.count(), 1, `one card for "${sc.title}"`);
        const text = normal(await card.textContent());
        const rest = `with ${sc.peer} · about ${sc.minutes} minutes`;
        if (sc.level) {
            assert.ok(text.includes(`${LABEL[sc.level]} · ${rest}`), `"${sc.title}" reads "${LABEL[sc.level]} · ${rest}"; the card reads ${JSON.stringify(text)}`);
        } else {
            assert.ok(text.includes(`With ${sc.peer} · about ${sc.minutes} minutes`), `"${sc.title}" (no level) reads "With ${sc.peer} · about ${sc.minutes} minutes"; the card reads ${JSON.stringify(text)}`);
            for (const label of Object.values(LABEL)) assert.ok(!text.includes(label), `"${sc.title}" has no level, yet its card says "${label}"`);
        }
    }
    await p.close();
});

test('on every card, the content note comes before the summary, in the DOM and on screen', async () => {
    for (const [what, scenarios] of [['built', BUILT], ['path', PATH]]) {
        serveIndex(scenarios);
        for (const width of [320, 1280]) {
            const p = await openPage(env, '/index.html', { viewport: { width, height: 900 } });
            const { page } = p;
            await cardTitles(page, scenarios.length);
            const withNotes = scenarios.filter(sc => sc.content_notes?.length);
            assert.ok(withNotes.length > 0, `the ${what} index has scenarios with content notes`);
            for (const sc of withNotes) {
                const card = cardOf(page, sc.title);
                const note = card.locator('p').filter({ hasText: sc.content_notes[0] });
                const summary = card.locator('p').filter({ hasText: sc.summary });
                assert.equal(await note.count(), 1, `"${sc.title}": one paragraph holds the content note`);
                assert.equal(await summary.count(), 1, `"${sc.title}": one paragraph holds the summary`);
                for (const n of sc.content_notes) assert.ok(normal(await note.textContent()).includes(n), `"${sc.title}": the note names ${JSON.stringify(n)}`);
                const following = await note.evaluate((n, s) => !!(n.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING), await summary.elementHandle());
                assert.ok(following, `"${sc.title}" (${what}, ${width} px): the summary must follow the content note in the DOM`);
                const [nb, sb] = [await note.boundingBox(), await summary.boundingBox()];
                assert.ok(nb.y + nb.height <= sb.y + 0.5, `"${sc.title}" (${what}, ${width} px): the note (y ${nb.y}–${nb.y + nb.height}) must sit above the summary (y ${sb.y})`);
            }
            await p.close();
        }
    }
});

test('a card shows "in progress" or "done" per mode from the widget\'s status keys, and nothing without them', async () => {
    serveIndex(BUILT);
    const [a, b, c] = BUILT;
    const p = await openPage(env, '/index.html');
    const { page } = p;
    await cardTitles(page, BUILT.length);
    const statusOf = async sc => {
        const line = cardOf(page, sc.title).getByText(/(Practice|Assessment): (in progress|done)/);
        return (await line.count()) ? normal(await line.textContent()) : null;
    };
    for (const sc of BUILT) assert.equal(await statusOf(sc), null, `before any save, "${sc.title}" shows no progress`);

    await page.evaluate(([a, b, c]) => {
        localStorage.setItem(`attunement:${a}:practice:status`, 'done');
        localStorage.setItem(`attunement:${a}:assessment:status`, 'in-progress');
        localStorage.setItem(`attunement:${b}:assessment:status`, 'done');
        localStorage.setItem(`attunement:${c}:practice:status`, 'started'); // not a status the widget writes
        localStorage.setItem(`attunement:${c}:practice`, 'a save, not a status');
    }, [a.id, b.id, c.id]);
    await page.reload();
    await cardTitles(page, BUILT.length);
    assert.equal(await statusOf(a), 'Your progress: Practice: done · Assessment: in progress', `"${a.title}": both modes`);
    assert.equal(await statusOf(b), 'Your progress: Assessment: done', `"${b.title}": assessment only`);
    for (const sc of BUILT.slice(2)) assert.equal(await statusOf(sc), null, `"${sc.title}" has no status key the widget writes, so no progress`);
    const links = async sc => normal((await cardOf(page, sc.title).getByRole('link').allTextContents()).join(' | '));
    assert.equal(await links(a), 'Practice | Continue assessment', `"${a.title}": the assessment under way is continued`);
    assert.equal(await links(b), 'Practice | Assessment', `"${b.title}": a finished mode starts again`);
    await expectNoAxeViolations(page, 'on the library with progress shown');

    // Storage that throws (a sandboxed frame, some private modes): the cards, and no progress.
    await page.addInitScript(() => {
        Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('storage is off', 'SecurityError'); } });
    });
    await page.reload();
    assert.deepEqual(await cardTitles(page, BUILT.length), BUILT.map(s => s.title), 'with storage refused, the library still shows every card');
    for (const sc of BUILT) assert.equal(await statusOf(sc), null, `with storage refused, "${sc.title}" shows no progress`);
    await p.close();
});

test('the player\'s page title names the scenario; an unknown id\'s says it was not found', async () => {
    serveIndex(BUILT);
    for (const sc of BUILT.slice(0, 2)) {
        const p = await openPage(env, `/index.html?scenario=${sc.id}&mode=practice`);
        await expectTitle(p.page, sc.title);
        await eventually(async () => assert.equal(await p.page.title(), `${sc.title} · Attunement`));
        await p.close();
    }
    const p = await openPage(env, '/index.html?scenario=no-such-scenario&mode=practice', {
        allow: [/Failed to load resource: .* 404 .*no-such-scenario\.json/, /no-such-scenario/],
    });
    await eventually(async () => assert.equal(await p.page.title(), 'Scenario not found · Attunement'));
    assert.equal(await ui(p.page).widget.getAttribute('back-href'), 'index.html', 'a missing scenario still gets back-href');
    await p.close();
});

test('the player\'s element gets back-href, and next-href/next-title for the next entry in the index\'s order (none on the last)', async () => {
    serveIndex(PATH);
    for (const [i, sc] of PATH.entries()) {
        const p = await openPage(env, `/index.html?scenario=${sc.id}&mode=practice`);
        const { page } = p;
        const widget = ui(page).widget;
        await eventually(async () => assert.equal(await page.title(), `${sc.title} · Attunement`, 'the index has arrived'));
        assert.equal(await widget.getAttribute('back-href'), 'index.html', `"${sc.title}": back-href`);
        assert.equal(await widget.getAttribute('src'), `scenarios/${sc.id}.attn`, `"${sc.title}": src`);
        const next = PATH[i + 1];
        if (next) {
            assert.equal(await widget.getAttribute('next-href'), `index.html?scenario=${next.id}&mode=practice`, `"${sc.title}": next-href is the next entry of the index`);
            assert.equal(await widget.getAttribute('next-title'), next.title, `"${sc.title}": next-title`);
        } else {
            assert.equal(await widget.getAttribute('next-href'), null, `"${sc.title}" is the last on the path: no next-href`);
            assert.equal(await widget.getAttribute('next-title'), null, `"${sc.title}" is the last on the path: no next-title`);
        }
        await p.close();
    }
});

test('when the widget switches itself to assessment, the address follows, and a reload stays there', async () => {
    serveIndex(PATH);
    const [sc, next] = PATH;
    const p = await openPage(env, `/index.html?scenario=${sc.id}&mode=practice&seed=3`);
    const { page } = p;
    const widget = ui(page).widget;
    await expectTitle(page, sc.title);
    await eventually(async () => assert.equal(await widget.getAttribute('next-title'), next.title));
    const before = await page.evaluate(() => history.length);
    await widget.evaluate(el => el.setAttribute('mode', 'assessment'));
    await eventually(async () => {
        const search = new URLSearchParams(await page.evaluate(() => location.search));
        assert.deepEqual(Object.fromEntries(search), { scenario: sc.id, mode: 'assessment', seed: '3' }, 'the address names assessment mode, keeping the scenario and seed');
    });
    assert.equal(await page.evaluate(() => history.length), before, 'the address is replaced, not pushed (Back still leaves the scenario)');
    assert.equal(await widget.getAttribute('next-href'), `index.html?scenario=${next.id}&mode=assessment`, 'the next scenario opens in the same mode');
    await page.reload();
    await expectTitle(page, sc.title);
    assert.equal(await widget.getAttribute('mode'), 'assessment', 'after a reload, the element is in assessment mode');
    await p.close();
});

test('the library path is axe-clean at 320 and 1280 px, light and dark, with levels and progress shown', async () => {
    serveIndex(PATH);
    for (const width of [320, 1280]) {
        const p = await openPage(env, '/index.html', { viewport: { width, height: 900 } });
        const { page } = p;
        await page.evaluate(([a, b]) => {
            localStorage.setItem(`attunement:${a}:practice:status`, 'done');
            localStorage.setItem(`attunement:${a}:assessment:status`, 'in-progress');
            localStorage.setItem(`attunement:${b}:practice:status`, 'in-progress');
        }, [PATH[0].id, PATH[1].id]);
        await page.reload();
        await cardTitles(page, PATH.length);
        await visible(page.getByText('Practice: done · Assessment: in progress'), 'the progress line');
        await expectNoHorizontalScroll(page, `the library at ${width} px`);
        await expectNoAxeViolations(page, `on the library at ${width} px (light)`);
        await screenshot(page, `library-path-${width}`);
        await page.emulateMedia({ colorScheme: 'dark' });
        await expectNoAxeViolations(page, `on the library at ${width} px (dark)`);
        await p.close();
    }
});
