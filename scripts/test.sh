#!/usr/bin/env bash
# Runs every test of Attunement, after installing what the machine lacks.
#
#   bash scripts/test.sh
#
# In order: the engine builds for wasm32 with and without the TOML parser,
# every scenario in scenarios/ checks with no error and no warning, clippy
# finds nothing, and every `cargo test` target passes
# (unit, integration and property tests, and a smoke run of the benchmarks).
# Any failure stops the run with a non-zero exit. `cargo test` runs last on
# purpose: CI reads its closing summary lines, so nothing follows them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Clippy with warnings as errors; `CLIPPY=0 bash scripts/test.sh` skips it.
CLIPPY="${CLIPPY:-1}"

# shellcheck source=scripts/install.sh
source scripts/install.sh
install wasm-target
if [[ "$CLIPPY" == 1 ]]; then
    install clippy
fi

step() {
    printf '\n==> %s\n' "$*" >&2
}

# Checks every scenario file at once; passes only on "0 errors, 0 warnings".
check_scenarios() {
    local files output summary
    mapfile -t files < <(find scenarios -type f \( -name '*.toml' -o -name '*.json' \) 2>/dev/null | LC_ALL=C sort)
    if (( ${#files[@]} == 0 )); then
        echo "test: no scenario files (*.toml, *.json) in scenarios/" >&2
        return 1
    fi
    if ! output="$(cargo run --quiet --bin attunement -- check "${files[@]}")"; then
        printf '%s\n' "$output"
        echo "test: \`attunement check\` found errors in scenarios/" >&2
        return 1
    fi
    printf '%s\n' "$output"
    summary="$(printf '%s\n' "$output" | tail -n 1)"
    if ! [[ "$summary" =~ ^[0-9]+\ files?\ checked:\ 0\ errors,\ 0\ warnings$ ]]; then
        echo "test: scenarios/ must check with no warnings either (got: $summary)" >&2
        return 1
    fi
}

step "building the engine for wasm32-unknown-unknown"
cargo build --lib --target wasm32-unknown-unknown

step "building the learner's engine for wasm32-unknown-unknown (no TOML parser)"
cargo build --lib --target wasm32-unknown-unknown --no-default-features

step "checking every scenario in scenarios/"
check_scenarios

if [[ "$CLIPPY" == 1 ]]; then
    step "clippy, with warnings as errors"
    cargo clippy --all-targets -- -D warnings
fi

# `cargo test --all-targets`, in two runs: the benchmarks run in test mode
# (a quick smoke run that prints its tables) first, so that the unit,
# integration and property tests' summary lines close the output.
step "cargo test --bench '*' (the benchmarks' smoke run)"
cargo test --bench '*'

step "cargo test --lib --bins --tests --examples"
cargo test --lib --bins --tests --examples
