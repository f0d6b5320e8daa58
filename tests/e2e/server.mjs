// The browser tests' server: scripts/server.mjs with www/ at / and the
// test-only scenarios and pages of tests/e2e/fixtures/ at /fixtures/. A test
// that needs a site configuration passes `files` (for example
// { '/attunement.config.json': a temporary file it writes }), which the
// server reads afresh on every request, so www/ keeps the shipped example.
//
//   node tests/e2e/server.mjs        serve on a free port and print the URL

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO, startServer as start } from '../../scripts/server.mjs';

export { CSP, MIME, REPO } from '../../scripts/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// ATTUNEMENT_E2E_WWW points the tests at another copy of www/ (to check,
// on a deliberately broken copy, that a test can fail).
export const WWW = process.env.ATTUNEMENT_E2E_WWW ? path.resolve(process.env.ATTUNEMENT_E2E_WWW) : path.join(REPO, 'www');
export const FIXTURES = path.join(here, 'fixtures');

export function startServer({ www = WWW, fixtures = FIXTURES, mounts = {}, files = {}, csp } = {}) {
    return start({ www, mounts: { '/fixtures': fixtures, ...mounts }, files, csp });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const { url } = await startServer();
    console.log(`serving www/ at ${url}/ (fixtures at ${url}/fixtures/)`);
}
