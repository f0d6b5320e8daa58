#!/usr/bin/env bash
# Installs what is missing, builds, and opens the default scenario.
#
#   bash scripts/serve.sh            serve www/ at http://127.0.0.1:8080/
#   PORT=9000 bash scripts/serve.sh  on another port
#
# When www/index.html exists, the browser widget is built and www/ is served
# on the loopback address only. Until then (the widget is issue 3), the
# default scenario is played in the terminal instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/install.sh
source scripts/install.sh

PORT="${PORT:-8080}"
SCENARIO="scenarios/first-meeting.toml"

main() {
    install wasm-target
    echo "serve: building the attunement CLI" >&2
    cargo build --release --bin attunement
    if [[ ! -f "$SCENARIO" ]]; then
        echo "serve: the default scenario $SCENARIO is missing" >&2
        exit 1
    fi
    cargo run --release --quiet --bin attunement -- check "$SCENARIO"
    if [[ -f www/index.html ]]; then
        build_web
        serve_web
    else
        play_in_terminal
    fi
}

# Builds what the browser loads into www/. Issue 3 fills this in: the release
# wasm build, wasm-bindgen --target web into www/pkg, then wasm-opt -Oz.
build_web() {
    :
}

# python3's http.server maps .wasm to application/wasm, as browsers require
# for streaming compilation.
serve_web() {
    echo "serve: open http://127.0.0.1:$PORT/ (Ctrl-C to stop)" >&2
    exec python3 -m http.server --bind 127.0.0.1 --directory www "$PORT"
}

play_in_terminal() {
    cat >&2 <<EOF
serve: the web widget arrives with issue 3 (www/index.html is not there yet),
serve: so here is the default scenario in the terminal instead.
serve: type a choice's number and Enter; u takes back a choice, q quits.

EOF
    exec cargo run --release --quiet --bin attunement -- play "$SCENARIO"
}

main "$@"
