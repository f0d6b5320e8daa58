// A real learning record store for the browser tests: Ralph (PyPI ralph-malph, filesystem
// backend), started on 127.0.0.1 by scripts/lrs.py from the virtual environment that
// `bash scripts/install.sh lrs` makes. Shared by xapi.test.mjs (the widget sends) and the
// report tests (the trainer's page and `attunement report` read).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REPO } from './helpers.mjs';

export const PYTHON = path.join(REPO, '.tools', 'lrs', 'bin', 'python');
const LAUNCHER = path.join(REPO, 'scripts', 'lrs.py');

/// Fails with what to run when the store is not installed.
export function assertLrsInstalled() {
    assert.ok(existsSync(PYTHON), 'no learning record store at .tools/lrs: run `bash scripts/install.sh lrs` first');
}

/// Starts scripts/lrs.py (port 0: a free one) and resolves once it prints its ready line, to
/// `{ endpoint, port, stop() }`. `corsOrigins` are the page origins it lets in; `pageSize`,
/// when given, is the most statements one GET returns (Ralph's default is 100).
export function startLrs({ port = 0, dataDir, corsOrigins = [], user = 'learner', password = 'secret123', mbox = 'mailto:lrs-user@example.org', pageSize }) {
    const args = [LAUNCHER, '--port', String(port), '--data-dir', dataDir, '--user', user, '--password', password, '--mbox', mbox];
    for (const origin of corsOrigins) args.push('--cors-origin', origin);
    if (pageSize) args.push('--page-size', String(pageSize));
    const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const exited = new Promise(resolve => child.once('exit', (code, signal) => resolve({ code, signal })));
    return new Promise((resolve, reject) => {
        child.stderr.on('data', chunk => (err += chunk));
        child.stdout.on('data', chunk => {
            out += chunk;
            const m = /lrs: ready at (http:\/\/127\.0\.0\.1:(\d+)\/xAPI\/)/.exec(out);
            if (m) {
                resolve({
                    endpoint: m[1],
                    port: Number(m[2]),
                    async stop() {
                        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
                        const { code, signal } = await exited;
                        assert.equal(code, 0, `the store should exit cleanly on SIGTERM (code ${code}, signal ${signal}):\n${err}`);
                    },
                });
            }
        });
        exited.then(({ code }) => reject(new Error(`scripts/lrs.py exited (${code}) before it was ready:\n${out}${err}`)));
    });
}

/// A port free on 127.0.0.1 now: for a store whose origin a page's CSP must name before the
/// store (which must name the page's origin for CORS) starts, or for one nothing listens on.
export function freePort() {
    return new Promise(resolve => {
        const server = net.createServer().listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}
