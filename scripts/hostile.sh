#!/usr/bin/env bash
# Times the browser engines on the hostile files of the hardening probes
# (generate::hostile: huge ids, thousands of typos, a one-line file full of
# errors, a tiny scenario whose state space explodes...) and prints the
# numbers; `cargo bench` prints the same for the native engine.
#
#   bash scripts/hostile.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build-web.sh
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cargo run --quiet --release --example hostile -- "$out"
node scripts/hostile.mjs "$out"
