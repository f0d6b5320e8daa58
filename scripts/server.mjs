// A small static file server for development, previews and the browser
// tests: www/ at /, plus optional mounts (such as an author's scenario folder
// at /author/) and single files served at a path of their own (such as a
// site configuration, /attunement.config.json, kept outside www/), on
// 127.0.0.1 only.
//
// Every response carries the strict Content-Security-Policy the widget
// promises to work under (or the policy a caller passes, for tests that
// stand for a deployment which allows a record store), and no-store, so a
// previewed scenario is always read fresh. Paths are resolved inside their
// root and refused if they would leave it (also through a symlink); a
// single file is read afresh on every request, and is a 404 while it does
// not exist. No dependencies.
//
//   node scripts/server.mjs [--port N] [--mount /author=DIR]... [--file /attunement.config.json=FILE]... [--connect ORIGIN]...
//
// --connect adds an origin to the CSP's connect-src (for a learning record store on another
// origin, such as the one the trainer's report reads: http://127.0.0.1:8100).

import http from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..');
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

export const MIME = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
    '.json': 'application/json; charset=utf-8',
    '.wasm': 'application/wasm',
    // A compiled scenario (attunement compile): binary, read with arrayBuffer().
    '.attn': 'application/octet-stream',
    // The reply coder's model (data/coder.bin), read with arrayBuffer().
    '.bin': 'application/octet-stream',
    '.css': 'text/css; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.toml': 'text/plain; charset=utf-8',
    '.md': 'text/markdown; charset=utf-8',
    '.txt': 'text/plain; charset=utf-8',
    '.png': 'image/png',
};

/// Maps a URL path to a file inside www or a mount, or null when the path is
/// malformed or would leave its root.
async function resolveFile(urlPath, www, mounts) {
    let decoded;
    try {
        decoded = decodeURIComponent(urlPath);
    } catch {
        return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    let root = www;
    let rest = decoded;
    for (const [prefix, dir] of mounts) {
        if (decoded === prefix || decoded.startsWith(prefix + '/')) {
            root = dir;
            rest = decoded.slice(prefix.length) || '/';
            break;
        }
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

async function existingFile(file) {
    try {
        return (await stat(file)).isFile() ? file : null;
    } catch {
        return null;
    }
}

function inside(file, root) {
    return file === root || file.startsWith(root + path.sep);
}

/// Starts the server on 127.0.0.1 (a free port unless one is given).
/// `mounts` maps URL prefixes such as '/author' to folders; `files` maps
/// exact URL paths such as '/attunement.config.json' to files, which win
/// over www/ and the mounts. `csp` replaces the Content-Security-Policy
/// header. Resolves to `{ url, port, close() }`; `url` ends without a slash.
export function startServer({ www = path.join(REPO, 'www'), mounts = {}, files = {}, csp = CSP, port = 0 } = {}) {
    const root = path.resolve(www);
    // Longest prefix first, so /a/b wins over /a.
    const table = Object.entries(mounts)
        .map(([prefix, dir]) => ['/' + prefix.replace(/^\/+|\/+$/g, ''), path.resolve(dir)])
        .sort((a, b) => b[0].length - a[0].length);
    const single = new Map(Object.entries(files).map(([urlPath, file]) => ['/' + urlPath.replace(/^\/+/, ''), path.resolve(file)]));
    const server = http.createServer(async (req, res) => {
        res.setHeader('Content-Security-Policy', csp);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cache-Control', 'no-store');
        if (req.method !== 'GET' && req.method !== 'HEAD') {
            res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
            res.end('method not allowed\n');
            return;
        }
        const urlPath = new URL(req.url, 'http://localhost').pathname;
        const file = single.has(urlPath) ? await existingFile(single.get(urlPath)) : await resolveFile(urlPath, root, table);
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
        server.listen(port, '127.0.0.1', () => {
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
    const args = process.argv.slice(2);
    const mounts = {};
    const files = {};
    const connect = [];
    let port = 0;
    const usage = text => {
        console.error(`server: ${text}\nusage: node scripts/server.mjs [--port N] [--mount /PREFIX=DIR]... [--file /PATH=FILE]... [--connect ORIGIN]...`);
        process.exit(2);
    };
    for (let i = 0; i < args.length; i++) {
        if (args[i] === '--port') {
            const value = args[++i] ?? '';
            if (!/^\d+$/.test(value) || Number(value) > 65535) usage(`--port needs a port number from 0 to 65535, not ${JSON.stringify(value)}`);
            port = Number(value);
        } else if (args[i] === '--mount' || args[i] === '--file') {
            const flag = args[i];
            const value = args[++i] ?? '';
            const at = value.indexOf('=');
            if (at < 1 || at === value.length - 1) usage(`${flag} needs /PATH=${flag === '--mount' ? 'DIR' : 'FILE'}, not ${JSON.stringify(value)}`);
            (flag === '--mount' ? mounts : files)[value.slice(0, at)] = value.slice(at + 1);
        } else if (args[i] === '--connect') {
            const value = args[++i] ?? '';
            let origin = null;
            try { origin = new URL(value).origin; } catch { /* below */ }
            if (!origin || origin === 'null' || origin !== value.replace(/\/+$/, '')) usage(`--connect needs an origin such as http://127.0.0.1:8100 (a scheme, a host and a port, no path), not ${JSON.stringify(value)}`);
            connect.push(origin);
        } else {
            usage(`unknown argument ${args[i]}`);
        }
    }
    try {
        const csp = connect.length ? `${CSP}; connect-src 'self' ${connect.join(' ')}` : CSP;
        const { url } = await startServer({ mounts, files, port, csp });
        console.log(`serving www/ at ${url}/${connect.length ? ` (connect-src also ${connect.join(' ')})` : ''}`);
    } catch (error) {
        console.error(`server: could not listen on 127.0.0.1:${port}: ${error.message}`);
        process.exit(1);
    }
}
