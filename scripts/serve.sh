#!/usr/bin/env bash
# Installs what is missing, builds the widget, and serves www/ with the
# default scenario open.
#
#   bash scripts/serve.sh            http://127.0.0.1:8080/?scenario=first-meeting
#   PORT=9000 bash scripts/serve.sh  on another port
#
# Serves on the loopback address only. python3's http.server maps .wasm to
# application/wasm, as browsers require for streaming compilation.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT="${PORT:-8080}"
DEFAULT=first-meeting

bash scripts/build-web.sh
if [[ ! -f "www/scenarios/$DEFAULT.json" ]]; then
    echo "serve: the default scenario scenarios/$DEFAULT.toml did not build" >&2
    exit 1
fi
cat >&2 <<EOF2

serve: the default scenario: http://127.0.0.1:$PORT/?scenario=$DEFAULT
serve: the scenario library: http://127.0.0.1:$PORT/
serve: just the widget, for iframes: http://127.0.0.1:$PORT/embed.html?scenario=$DEFAULT
serve: Ctrl-C stops the server.

EOF2
exec python3 -m http.server --bind 127.0.0.1 --directory www "$PORT"
