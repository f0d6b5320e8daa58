// Who decides where help points and where data goes: the site (attunement.config.json beside
// the pages) and the page author (the element's attributes), never a link. Crafted addresses
// of index.html and embed.html try to set the help resource and a record store; a second local
// server plays the attacker's store and counts every request that reaches it. The pages are
// served with a policy whose connect-src allows the attacker's origin, as a deployment that
// allows its own record store might, so a leak would arrive there instead of being stopped by
// the CSP. The site configuration is a temporary file the server reads on every request.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CSP } from './server.mjs';
import { enginePlay, eventually, openPage, playTurns, start, startEnv, ui, visible } from './helpers.mjs';

const DEFAULT_HELP = 'If you or someone else may be in danger now, contact your local emergency number or a crisis line. Your course may list local services.';
const NOT_FOUND = /Failed to load resource: the server responded with a status of 404/;
const best = enginePlay({ auto: 'best', seed: 1 });

let env, attacker, tmp, configFile;

before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'attunement-settings-'));
    configFile = path.join(tmp, 'attunement.config.json');
    attacker = await startAttacker();
    env = await startEnv({
        files: { '/attunement.config.json': configFile },
        csp: `${CSP}; connect-src 'self' ${attacker.origin}`,
    });
});

after(async () => {
    await env?.close();
    await attacker?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/// Writes the site configuration: an object as JSON, a string as it is, null removes the file.
function siteConfig(value) {
    if (value === null) rmSync(configFile, { force: true });
    else writeFileSync(configFile, typeof value === 'string' ? value : JSON.stringify(value));
}

/// Every parameter a link might use to point help or data elsewhere.
function crafted() {
    return new URLSearchParams({
        'help-href': `${attacker.origin}/phish`,
        'help-text': 'Call our line instead',
        'xapi-endpoint': `${attacker.origin}/xapi/`,
        'xapi-auth': 'Basic bGVhcm5lcjpzZWNyZXQ=',
        'xapi-actor': 'mailto:learner@example.org',
        'xapi-fetch': `${attacker.origin}/fetch`,
        'xapi-activity': 'https://attacker.example/activity',
        'xapi-registration': '0f8e5c1a-3b7d-4e2f-9a6c-5d4b3a2f1e0d',
    }).toString();
}

/// The help panel as rendered: its text and the link's href (null without a link).
async function helpShown(page) {
    const panel = page.locator('attunement-sim .att-help');
    await panel.waitFor({ state: 'attached' });
    const link = panel.locator('a');
    return {
        text: ((await panel.locator('p').first().textContent()) ?? '').trim(),
        href: (await link.count()) ? await link.getAttribute('href') : null,
    };
}

/// Plays two turns and checks that nothing was reported: no request reached the attacker, no
/// reporter module was loaded, nothing was queued.
async function playAndExpectNothingSent(p, requests, when) {
    const { page } = p;
    await start(page);
    await playTurns(page, best.turns.slice(0, 2));
    await page.reload();
    await visible(ui(page).choices, `${when}: the choices, after a reload`);
    assert.deepEqual(attacker.requests, [], `${when}: requests that reached the attacker's server`);
    assert.deepEqual(requests.filter(url => url.includes('/lms/')), [], `${when}: no reporter module is loaded`);
    assert.deepEqual(
        await page.evaluate(() => Object.keys(localStorage).filter(k => k.startsWith('attunement-xapi:'))),
        [],
        `${when}: nothing queued for a record store`,
    );
}

for (const page of ['index.html', 'embed.html']) {
    test(`${page}: a crafted address sets neither the help resource nor a record store`, async () => {
        const help = { href: 'https://help.example.org/crisis', text: 'Talk to someone now: the campus support line, day and night.' };
        siteConfig({ help });
        attacker.requests.length = 0;
        const requests = [];
        const warnings = [];
        const p = await openPage(env, `/${page}?scenario=first-meeting&mode=practice&${crafted()}`, {
            init: page => {
                page.on('request', r => requests.push(r.url()));
                page.on('console', m => m.type() === 'warning' && warnings.push(m.text()));
            },
        });
        assert.deepEqual(await helpShown(p.page), help, 'the help resource is the site\'s, not the link\'s');
        await playAndExpectNothingSent(p, requests, page);
        assert.ok(
            warnings.some(w => w.startsWith(`attunement: ${page} ignores help-href, help-text, xapi-endpoint, xapi-auth, xapi-fetch, xapi-actor, xapi-activity, xapi-registration in its address`)),
            `a console warning names the ignored parameters; warnings: ${JSON.stringify(warnings)}`,
        );
        await p.close();
    });
}

test('without a site configuration the help resource is the default, and nothing is reported', async () => {
    siteConfig(null);
    attacker.requests.length = 0;
    const requests = [];
    const p = await openPage(env, `/embed.html?scenario=first-meeting&mode=practice&${crafted()}`, {
        allow: [NOT_FOUND],
        init: page => page.on('request', r => requests.push(r.url())),
    });
    assert.deepEqual(await helpShown(p.page), { text: DEFAULT_HELP, href: null }, 'the default help text, with no link');
    await playAndExpectNothingSent(p, requests, 'no configuration');
    await p.close();
});

test('a tel: help link keeps its plus sign', async () => {
    siteConfig({ help: { href: 'tel:+15550100', text: 'Call the crisis line on +1 555 0100.' } });
    for (const page of ['index.html', 'embed.html']) {
        const p = await openPage(env, `/${page}?scenario=first-meeting&mode=practice`);
        assert.deepEqual(await helpShown(p.page), { text: 'Call the crisis line on +1 555 0100.', href: 'tel:+15550100' }, `${page}: the link as configured`);
        await p.close();
    }
});

test('a malformed site configuration gives one console warning and the defaults', async () => {
    const cases = [
        ['{ "help": { "href": "https://help.example.org" ', /^attunement: attunement\.config\.json is not valid JSON \(.+\), so the defaults apply$/, { text: DEFAULT_HELP, href: null }],
        ['["https://help.example.org"]', /^attunement: attunement\.config\.json must hold a JSON object/, { text: DEFAULT_HELP, href: null }],
        [
            { help: { href: 'javascript:alert(1)', text: 'Help is here.' }, xapi: { allowedOrigins: ['https://lrs.example.edu/xapi/'] }, helpHref: 'https://x.example' },
            /^attunement: attunement\.config\.json has problems, which are ignored: unknown key "helpHref" \(known: help, xapi, embed\); "help\.href" "javascript:alert\(1\)" is not an https:, http:, tel: or mailto: link; "xapi\.allowedOrigins" entry "https:\/\/lrs\.example\.edu\/xapi\/" is not an origin/,
            { text: 'Help is here.', href: null },
        ],
    ];
    for (const [config, warning, help] of cases) {
        siteConfig(config);
        const warnings = [];
        const p = await openPage(env, '/index.html?scenario=first-meeting&mode=practice', {
            init: page => page.on('console', m => m.type() === 'warning' && warnings.push(m.text())),
        });
        assert.deepEqual(await helpShown(p.page), help, `${JSON.stringify(config)}: what is usable applies, the rest is the default`);
        await start(p.page);
        const mine = warnings.filter(w => w.includes('attunement.config.json'));
        assert.equal(mine.length, 1, `one warning about the file: ${JSON.stringify(warnings)}`);
        assert.match(mine[0], warning);
        await p.close();
    }
});

test('embed.html refuses a cmi5 launch to a store the site does not allow, says so, and sends nothing', async () => {
    const launch = (endpoint, fetch) => new URLSearchParams({
        scenario: 'first-meeting', mode: 'practice', endpoint, fetch,
        actor: JSON.stringify({ objectType: 'Agent', mbox: 'mailto:learner@example.org' }),
        registration: '0f8e5c1a-3b7d-4e2f-9a6c-5d4b3a2f1e0d', activityId: 'https://lms.example/activity',
    }).toString();
    const cases = [
        // The store is not on the list.
        [{ xapi: { allowedOrigins: ['https://lrs.example.edu'] } }, launch(`${attacker.origin}/xapi/`, `${attacker.origin}/fetch`), attacker.origin],
        // The store is, but the fetch URL that would receive the learner's token is not.
        [{ xapi: { allowedOrigins: [attacker.origin] } }, launch(`${attacker.origin}/xapi/`, 'http://127.0.0.1:9/fetch'), 'http://127.0.0.1:9'],
    ];
    for (const [config, query, refused] of cases) {
        siteConfig(config);
        attacker.requests.length = 0;
        const requests = [];
        const warnings = [];
        const p = await openPage(env, `/embed.html?${query}`, {
            init: page => {
                page.on('request', r => requests.push(r.url()));
                page.on('console', m => m.type() === 'warning' && warnings.push(m.text()));
            },
        });
        const notice = p.page.getByRole('alert').filter({ hasText: 'does not allow' });
        await visible(notice, 'the notice that the launch is refused');
        const text = await notice.textContent();
        assert.ok(text.includes(`record your progress at ${refused}, which this site does not allow, so nothing you do here is recorded or sent anywhere`), `the notice names ${refused}: ${text}`);
        assert.ok(warnings.some(w => w.startsWith('attunement: this cmi5 launch is refused')), `a console warning for the host: ${JSON.stringify(warnings)}`);
        await playAndExpectNothingSent(p, requests, `refused launch to ${refused}`);
        await p.close();
    }
});

// ---------------------------------------------------------------- the attacker's server

/// A server that would gladly take statements and hand out tokens (it answers CORS for any
/// origin), and records every request that reaches it.
function startAttacker() {
    const requests = [];
    const server = http.createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Access-Control-Allow-Headers', '*');
        res.setHeader('Access-Control-Allow-Methods', '*');
        if (req.url.startsWith('/fetch') && req.method === 'POST') {
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ 'auth-token': 'bGVhcm5lcjpzZWNyZXQ=' }));
            return;
        }
        res.writeHead(204);
        res.end();
    });
    return new Promise(resolve => {
        server.listen(0, '127.0.0.1', () => resolve({
            origin: `http://127.0.0.1:${server.address().port}`,
            requests,
            close: () => new Promise(done => {
                server.closeAllConnections();
                server.close(() => done());
            }),
        }));
    });
}
