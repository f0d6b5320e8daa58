#!/usr/bin/env bash
# Installs what is missing, builds the widget, and serves www/ with the
# default scenario open.
#
#   bash scripts/serve.sh            http://127.0.0.1:8080/?scenario=first-meeting
#   PORT=9000 bash scripts/serve.sh  on another port
#
# Serves on the loopback address only, with the project's own server
# (scripts/server.mjs), as the browser tests do: the strict
# Content-Security-Policy on every response, so a violation shows in the
# browser's console during development rather than first on a course site,
# and .wasm as application/wasm, as browsers require for streaming
# compilation.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT="${PORT:-8080}"
DEFAULT=first-meeting

bash scripts/build-web.sh
if [[ ! -f "www/scenarios/$DEFAULT.attn" ]]; then
    echo "serve: the default scenario scenarios/$DEFAULT.toml did not build" >&2
    exit 1
fi
cat >&2 <<EOF2

serve: the default scenario: http://127.0.0.1:$PORT/?scenario=$DEFAULT
serve: the scenario library: http://127.0.0.1:$PORT/
serve: just the widget, for iframes: http://127.0.0.1:$PORT/embed.html?scenario=$DEFAULT
serve: Ctrl-C stops the server.

EOF2
exec node scripts/server.mjs --port "$PORT"
