// Security and failure: scenario text shown as text (the XSS fixture), the
// strict Content-Security-Policy (sent by server.mjs on every response),
// and the error panel for a broken scenario, a missing one and a panic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
    useEnv, openPage, ui, enginePlay, start, choose, playTurns, expectTrust, visible, eventually,
    compileFixture, expectTitle, REPO,
} from './helpers.mjs';
import { CSP } from './server.mjs';

const env = useEnv();

const PAYLOAD = '<img src=x onerror=alert(1)>';
const xss = compileFixture('xss');
const best = enginePlay({ auto: 'best', seed: 1 });

/// Every element named img, in the document or any open shadow root.
async function imgCount(page) {
    return page.locator('img').count();
}

// Compiled (the learner's engine), and as TOML and JSON sources (the authors' engine).
for (const file of ['xss.attn', 'xss.toml', 'xss.json']) {
    test(`scenario text is shown as text, never markup (${file})`, async () => {
        const p = await openPage(env, `/fixtures/host.html?src=/fixtures/${file}&mode=practice`);
        const { page } = p;
        const w = ui(page);

        await visible(w.title, 'the scenario title (h2)');
        await expectTitle(page, xss.title);
        const introText = await w.widget.textContent();
        for (const expected of [xss.peer.background, xss.content_notes[0]]) {
            assert.ok(introText.includes(expected), `the intro shows ${JSON.stringify(expected)} as text`);
        }
        assert.equal(await imgCount(page), 0, 'no img element on the intro');

        await start(page);
        const hello = xss.node.find(n => n.id === 'hello');
        await eventually(async () => {
            const peer = await w.peerMessages.first().textContent();
            assert.ok(peer.includes(hello.say), `the peer's line is shown as text; it reads ${JSON.stringify(peer)}`);
            const cue = await w.peerMessages.first().locator('.att-cue').textContent();
            assert.ok(cue.includes(hello.cue), `the cue is shown as text; it reads ${JSON.stringify(cue)}`);
        });
        const texts = await w.choiceButtons.allTextContents();
        for (const choice of hello.choice) {
            assert.ok(texts.some(t => t.includes(choice.text)), `the choice ${JSON.stringify(choice.text)} is shown as text`);
        }
        assert.equal(await imgCount(page), 0, 'no img element with the choices shown');

        const reflect = hello.choice.find(c => c.id === 'reflect');
        await choose(page, reflect.text, 'digit');
        const ending = xss.ending.find(e => e.id === 'opened');
        await visible(w.debrief, 'the Debrief region');
        await eventually(async () => {
            const debrief = await w.debrief.textContent();
            assert.ok(debrief.includes(ending.title), 'the ending title is shown as text in the debrief');
            assert.ok(debrief.includes(ending.text), 'the ending text is shown as text in the debrief');
        });
        await visible(w.feedback, 'the Feedback section');
        assert.ok((await w.feedback.textContent()).includes(reflect.feedback), 'the choice\'s feedback is shown as text');
        assert.ok((await w.log.textContent()).includes(ending.say), 'the ending line is shown as text in the log');
        assert.ok((await w.widget.textContent()).includes(PAYLOAD), 'the payload\'s characters are visible');
        assert.equal(await imgCount(page), 0, 'no img element at the debrief');
        assert.deepEqual(p.problems.dialogs, [], 'no dialog fired');
        await p.close();
    });
}

for (const path of ['/embed.html?scenario=first-meeting&mode=practice', '/index.html?scenario=first-meeting&mode=practice']) {
    test(`the strict CSP page works: ${path}`, async () => {
        const p = await openPage(env, path);
        const { page, response } = p;
        const w = ui(page);
        assert.equal(response.headers()['content-security-policy'], CSP, 'the page is served with the strict CSP');

        // The watch catches a violation: a canary inline style, set on purpose,
        // whose two reports (the event and the console error) are then taken out.
        const isCanary = text => /^style-src-attr blocked \(?inline\)?/.test(text) || text.includes('Applying inline style');
        const before = { csp: p.problems.csp.length, errors: p.problems.errors.length };
        await page.evaluate(() => {
            const canary = document.createElement('div');
            canary.setAttribute('style', 'color: red');
            document.body.append(canary);
            canary.remove();
        });
        await eventually(() => {
            assert.ok(p.problems.csp.slice(before.csp).some(isCanary), 'the canary\'s securitypolicyviolation is reported');
            assert.ok(p.problems.errors.slice(before.errors).some(isCanary), 'the canary\'s console error is reported');
        });
        for (const [list, from] of [[p.problems.csp, before.csp], [p.problems.errors, before.errors]]) {
            list.splice(list.findIndex((text, i) => i >= from && isCanary(text)), 1);
        }

        await visible(w.title, 'the widget (its h2 title)');
        await expectTitle(page, 'First meeting');
        await start(page);
        await playTurns(page, best.turns.slice(0, 1), { feedback: true });
        const styled = await page.evaluate(() => getComputedStyle(document.querySelector('attunement-sim')).display);
        assert.notEqual(styled, 'inline', 'attunement.css applies (the element is not left as a bare inline element)');
        assert.deepEqual(p.problems.csp, [], 'no CSP violation');
        await p.close();
    });
}

function checkOutput(file) {
    try {
        return execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'attunement', '--', 'check', file], {
            cwd: REPO,
            encoding: 'utf8',
        });
    } catch (error) {
        return error.stdout;
    }
}

test('a broken scenario shows the alert panel with file:line:col', async () => {
    const expected = checkOutput('tests/e2e/fixtures/broken.toml');
    const [, lineCol, message] = expected.match(/broken\.toml:(\d+:\d+): error\[E004\]: (.*)/) ?? [];
    assert.ok(lineCol, `the CLI reports the fixture's error: ${expected}`);

    const p = await openPage(env, '/fixtures/host.html?src=/fixtures/broken.toml');
    const { page } = p;
    const w = ui(page);
    await visible(w.alert, 'the role=alert panel');
    await visible(w.alert.getByRole('heading', { name: 'This scenario has a problem' }), 'the heading "This scenario has a problem"');
    assert.match(await w.alert.locator('p').first().textContent(), /could not be opened.*Tell whoever runs this course/, 'the learner is told what happened and what to do');
    assert.equal(await w.alert.locator('details summary').textContent(), 'Details for whoever set up this page', 'the engine\'s details are in a fold-out');
    const pre = (await w.alert.locator('pre').textContent()) ?? '';
    assert.ok(pre.includes(`broken.toml:${lineCol}`), `the message gives broken.toml:${lineCol}; it reads ${JSON.stringify(pre)}`);
    assert.ok(pre.includes(message), `the message gives the engine's diagnostic ${JSON.stringify(message)}`);
    await visible(w.alertRestart, 'the alert\'s "Try again" button');
    assert.equal(await w.choiceButtons.count(), 0, 'no choices offered for a broken scenario');
    await p.close();
});

test('a missing scenario shows the alert panel in plain words, and offers "Back to all scenarios"', async () => {
    const p = await openPage(env, '/fixtures/host.html?src=/fixtures/no-such-scenario.json&back-href=/index.html', {
        // The browser itself logs the failed fetch; nothing else may be logged.
        allow: [/^console\.error: Failed to load resource: .* 404 .*\/fixtures\/no-such-scenario\.json/],
    });
    const { page } = p;
    const w = ui(page);
    await visible(w.alert, 'the role=alert panel');
    await visible(w.alert.getByRole('heading', { name: 'This scenario was not found' }), 'the heading "This scenario was not found"');
    assert.match(await w.alert.locator('p').first().textContent(), /renamed or removed/, 'the learner is told what may have happened');
    assert.match((await w.alert.locator('pre').textContent()) ?? '', /no-such-scenario\.json: HTTP 404/, 'the details give the address and the status');
    const names = await w.alert.getByRole('button').allTextContents();
    assert.deepEqual(names, ['Back to all scenarios', 'Try again'], 'the way back comes first');
    await w.alert.getByRole('button', { name: 'Back to all scenarios' }).click();
    await page.waitForURL(/\/index\.html$/);
    await p.close();
});

test('a missing scenario on a page with no library to go back to offers only "Try again"', async () => {
    const p = await openPage(env, '/fixtures/host.html?src=/fixtures/no-such-scenario.json', {
        allow: [/^console\.error: Failed to load resource: .* 404 .*\/fixtures\/no-such-scenario\.json/],
    });
    const w = ui(p.page);
    await visible(w.alert.getByRole('heading', { name: 'This scenario was not found' }), 'the heading "This scenario was not found"');
    assert.deepEqual(await w.alert.getByRole('button').allTextContents(), ['Try again']);
    assert.equal(await w.title.textContent(), 'Attunement', 'the widget keeps its h2 above the panel');
    await p.close();
});

test('the learner\'s engine has no panicForTests; the authors\' engine has it', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice');
    const exports = await p.page.evaluate(async () => {
        const names = async url => Object.keys(await import(url)).sort();
        return { learner: await names('/pkg/attunement.js'), author: await names('/pkg-author/attunement.js') };
    });
    assert.ok(exports.learner.includes('Simulator'), `the learner's engine loads: ${exports.learner.join(', ')}`);
    assert.ok(!exports.learner.includes('panicForTests'), `pkg/attunement.js exports no panicForTests: ${exports.learner.join(', ')}`);
    assert.ok(exports.author.includes('panicForTests'), `pkg-author/attunement.js keeps it for this test: ${exports.author.join(', ')}`);
    await p.close();
});

test('a panic shows the alert panel, and Restart starts afresh', async () => {
    // panicForTests is built into the authors' engine only, which a .toml scenario loads.
    const p = await openPage(env, '/fixtures/host.html?src=/scenarios/first-meeting.toml&mode=practice');
    const { page } = p;
    const w = ui(page);
    await start(page);
    await playTurns(page, best.turns.slice(0, 1));

    const thrown = await page.evaluate(async () => {
        // The same URL as the widget's import, so the same module instance and panic hook.
        const engine = await import('/pkg-author/attunement.js');
        try {
            engine.panicForTests();
            return 'did not throw';
        } catch (error) {
            return String(error);
        }
    });
    assert.notEqual(thrown, 'did not throw', 'panicForTests traps');
    await visible(w.alert, 'the role=alert panel after a panic');
    await visible(w.alert.getByRole('heading', { name: 'The simulator stopped unexpectedly' }), 'the heading "The simulator stopped unexpectedly"');
    const pre = (await w.alert.locator('pre').textContent()) ?? '';
    assert.ok(pre.includes('a deliberate panic, for testing the error panel'), `the panel shows the panic message; it reads ${JSON.stringify(pre)}`);

    await w.alertRestart.click();
    await start(page);
    assert.equal(await w.alert.count(), 0, 'the alert is gone after Restart');
    await expectTrust(page, best.turns[0].trust_before, 'after Restart');
    assert.equal(await w.learnerMessages.count(), 0, 'Restart after a panic starts afresh (the save was cleared)');
    await p.close();
});
