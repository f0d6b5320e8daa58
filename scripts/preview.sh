#!/usr/bin/env bash
# Previews a scenario in the browser while it is being written: builds the
# widget, serves it on http://127.0.0.1:8080/ (PORT to change) with the
# scenario's folder at /author/, and prints the preview address. The page
# reloads the scenario whenever the file is saved, and shows any errors with
# file:line:col in the widget until they are fixed.
#
#   bash scripts/preview.sh scenarios/my-scenario.toml
set -euo pipefail

if [[ $# -ne 1 || ! -f "$1" ]]; then
    echo "usage: bash scripts/preview.sh FILE.toml (an existing scenario file)" >&2
    exit 2
fi
file="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PORT:-8080}"

bash scripts/build-web.sh
cargo run --quiet --release --bin attunement -- check "$file" || true

name="$(basename "$file")"
cat >&2 <<EOF2

preview: open http://127.0.0.1:$PORT/preview.html?src=/author/$name
preview: save the file and the page reloads the scenario; Ctrl-C stops the server.

EOF2
exec node scripts/server.mjs --port "$PORT" --mount "/author=$(dirname "$file")"
