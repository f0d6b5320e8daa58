// The authors' live preview: preview.html?src=/author/FILE.toml with a
// watching widget. Saving the file reloads the scenario; a broken file shows
// its diagnostics with file:line:col, and fixing it brings the scenario back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, startEnv, openPage, ui, expectTitle, visible, eventually, start } from './helpers.mjs';

const original = readFileSync(path.join(REPO, 'tests', 'fixtures', 'tiny.toml'), 'utf8');
let env;
let dir;

before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'attunement-preview-'));
    writeFileSync(path.join(dir, 'tiny.toml'), original);
    env = await startEnv({ mounts: { '/author': dir } });
});
after(async () => {
    await env?.close();
    rmSync(dir, { recursive: true, force: true });
});

test('saving the file reloads the scenario; errors show until they are fixed', async () => {
    const file = path.join(dir, 'tiny.toml');
    const p = await openPage(env, '/preview.html?src=/author/tiny.toml');
    const { page } = p;
    const u = ui(page);
    await expectTitle(page, 'Tiny');
    await start(page);
    await visible(u.peerMessages.filter({ hasText: "I don't really know why I'm here." }), 'the first line');

    // An edit to the peer's first line appears without touching the page.
    writeFileSync(file, original.replace("I don't really know why I'm here.", 'I was told to come here.'));
    await eventually(async () => {
        const text = await page.locator('attunement-sim').textContent();
        assert.match(text ?? '', /I was told to come here\./, 'the edited line is shown');
    });

    // A typo becomes an error panel that points at the line and column.
    writeFileSync(file, original.replace('next = "story"', 'next = "stroy"'));
    await visible(u.alert, 'the error panel');
    await eventually(async () => {
        const text = (await u.alert.textContent()) ?? '';
        assert.match(text, /tiny\.toml:\d+:\d+: error\[E004\]: unknown node or ending `stroy`/);
        assert.match(text, /did you mean `story`\?/);
    });

    // Fixing it brings the scenario back, where the author was.
    writeFileSync(file, original);
    await expectTitle(page, 'Tiny');
    await eventually(async () => assert.equal(await u.alert.count(), 0, 'the error panel is gone'));
    await visible(u.choiceButtons, 'the choices, without starting again');
    await p.close();
});

test('preview refuses a scenario from another origin', async () => {
    const p = await openPage(env, '/preview.html?src=https://example.org/x.toml');
    await visible(p.page.getByRole('alert'), 'the refusal');
    assert.equal(await p.page.locator('attunement-sim').count(), 0);
    await p.close();
});
