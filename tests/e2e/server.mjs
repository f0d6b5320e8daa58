// A tiny static file server for the browser tests: www/ at /, and the
// test-only scenarios and pages of tests/e2e/fixtures/ at /fixtures/.
//
// Every response carries the strict Content-Security-Policy that the widget
// promises to work under, so every test runs under it. Paths are resolved
// inside their root and refused if they would leave it (also through a
// symlink). No dependencies: node:http and node:fs only.
//
//   node tests/e2e/server.mjs        serve on a free port and print the URL

import http from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
// ATTUNEMENT_E2E_WWW points the tests at another copy of www/ (to check,
// on a deliberately broken copy, that a test can fail).
export const WWW = process.env.ATTUNEMENT_E2E_WWW ? path.resolve(process.env.ATTUNEMENT_E2E_WWW) : path.join(REPO, 'www');
export const FIXTURES = path.join(here, 'fixtures');

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

export const MIME = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
    '.json': 'application/json; charset=utf-8',
    '.wasm': 'application/wasm',
    '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.toml': 'text/plain; charset=utf-8',
    '.md': 'text/markdown; charset=utf-8',
    '.txt': 'text/plain; charset=utf-8',
    '.png': 'image/png',
};

/// Maps a URL path to a file inside one of the roots, or null when the path
/// is malformed or would leave its root.
async function resolveFile(urlPath, roots) {
    let decoded;
    try {
        decoded = decodeURIComponent(urlPath);
    } catch {
        return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    let root = roots.www;
    let rest = decoded;
    if (decoded === '/fixtures' || decoded.startsWith('/fixtures/')) {
        root = roots.fixtures;
        rest = decoded.slice('/fixtures'.length) || '/';
    }
    const candidate = path.resolve(root, '.' + path.posix.normalize('/' + rest));
    if (!inside(candidate, root)) return null;
    let file = candidate;
    try {
        if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
        const real = await realpath(file);
        if (!inside(real, await realpath(root))) return null;
        if (!(await stat(real)).isFile()) return null;
        return real;
    } catch {
        return null;
    }
}

function inside(file, root) {
    return file === root || file.startsWith(root + path.sep);
}

/// Starts the server on 127.0.0.1 and a free port. Resolves to
/// `{ url, port, close() }`; `url` ends without a slash.
export function startServer({ www = WWW, fixtures = FIXTURES } = {}) {
    const roots = { www: path.resolve(www), fixtures: path.resolve(fixtures) };
    const server = http.createServer(async (req, res) => {
        res.setHeader('Content-Security-Policy', CSP);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cache-Control', 'no-store');
        if (req.method !== 'GET' && req.method !== 'HEAD') {
            res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
            res.end('method not allowed\n');
            return;
        }
        const urlPath = new URL(req.url, 'http://localhost').pathname;
        const file = await resolveFile(urlPath, roots);
        if (!file) {
            res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
            res.end('not found\n');
            return;
        }
        const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
        const { size } = await stat(file);
        res.writeHead(200, { 'Content-Type': type, 'Content-Length': size });
        if (req.method === 'HEAD') {
            res.end();
            return;
        }
        createReadStream(file)
            .on('error', () => res.destroy())
            .pipe(res);
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            resolve({
                url: `http://127.0.0.1:${port}`,
                port,
                close: () =>
                    new Promise(done => {
                        server.closeAllConnections?.();
                        server.close(() => done());
                    }),
            });
        });
    });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const { url } = await startServer();
    console.log(`serving ${path.relative(process.cwd(), WWW) || '.'} at ${url}/ (fixtures at ${url}/fixtures/)`);
}
