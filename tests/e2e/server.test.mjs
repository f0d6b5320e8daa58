// The test server itself: MIME types, the strict CSP on every response,
// and no path out of www/ or fixtures/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, CSP } from './server.mjs';
import { assertBuilt } from './helpers.mjs';

let server;
before(async () => {
    server = await startServer();
});
after(async () => {
    await server?.close();
});

/// A GET with the path sent exactly as written (fetch would normalise dots).
function get(rawPath) {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, method: 'GET' }, res => {
            const chunks = [];
            res.on('data', c => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
    });
}

test('MIME types and the CSP header', async () => {
    assertBuilt();
    const cases = [
        ['/', 'text/html'],
        ['/embed.html', 'text/html'],
        ['/attunement-sim.js', 'text/javascript'],
        ['/attunement.css', 'text/css'],
        ['/pkg/attunement.js', 'text/javascript'],
        ['/pkg/attunement_bg.wasm', 'application/wasm'],
        ['/scenarios/index.json', 'application/json'],
        ['/scenarios/first-meeting.attn', 'application/octet-stream'],
        ['/scenarios/first-meeting.toml', 'text/plain'],
        ['/fixtures/host.html', 'text/html'],
        ['/fixtures/host.js', 'text/javascript'],
        ['/fixtures/xss.toml', 'text/plain'],
    ];
    for (const [path, type] of cases) {
        const res = await get(path);
        assert.equal(res.status, 200, `GET ${path}`);
        assert.equal(res.headers['content-type'].split(';')[0], type, `GET ${path}: Content-Type`);
        assert.equal(res.headers['content-security-policy'], CSP, `GET ${path}: Content-Security-Policy`);
    }
    const notFound = await get('/no-such-file.js');
    assert.equal(notFound.status, 404);
    assert.equal(notFound.headers['content-security-policy'], CSP, 'the CSP is on error responses too');
});

test('paths cannot leave www/ or fixtures/', async () => {
    for (const path of [
        '/../package.json',
        '/%2e%2e/package.json',
        '/..%2fpackage.json',
        '/%2e%2e%2f%2e%2e%2fetc/passwd',
        '/fixtures/../../../scripts/server.mjs',
        '/fixtures/%2e%2e/helpers.mjs',
        '/fixtures/..%2fhelpers.mjs',
        '/fixtures/..%5chelpers.mjs',
        '/%00',
        '/%E0%A4%A',
    ]) {
        const res = await get(path);
        assert.equal(res.status, 404, `GET ${path} must not be served (got ${res.status}: ${res.body.toString().slice(0, 60)})`);
    }
});

test('--connect adds a record store to connect-src, and only an origin is taken', async () => {
    const { spawn, spawnSync } = await import('node:child_process');
    const script = new URL('../../scripts/server.mjs', import.meta.url).pathname;
    const child = spawn(process.execPath, [script, '--port', '0', '--connect', 'http://127.0.0.1:8100'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
        const url = await new Promise((resolve, reject) => {
            let out = '';
            child.stdout.on('data', c => {
                out += c;
                const m = /serving www\/ at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
                if (m) resolve(m[1]);
            });
            child.once('exit', code => reject(new Error(`server.mjs exited (${code}): ${out}`)));
        });
        const res = await fetch(`${url}/report.html`);
        assert.equal(res.headers.get('content-security-policy'), `${CSP}; connect-src 'self' http://127.0.0.1:8100`);
    } finally {
        child.kill();
    }
    const bad = spawnSync(process.execPath, [script, '--connect', 'https://lrs.example/xAPI/'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--connect needs an origin/);
});
