#!/usr/bin/env bash
# Runs every test of Attunement, after installing what the machine lacks.
#
#   bash scripts/test.sh
#
# In order: every scenario in scenarios/ checks with no error and no
# warning, clippy finds nothing, the browser build succeeds and stays within
# its size budget, the binding's tests pass in Node (wasm-bindgen-test, both
# engine builds), every `cargo test` target passes (unit, integration and
# property tests, the doctests, among them what must not compile, and a
# smoke run of the benchmarks), and the browser tests
# pass in headless Chromium (every tests/e2e/*.test.mjs). Any failure stops the
# run with a non-zero exit. The test runners come last, so their closing
# summary lines end the output, where CI reads them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Clippy with warnings as errors; `CLIPPY=0 bash scripts/test.sh` skips it.
CLIPPY="${CLIPPY:-1}"

# shellcheck source=scripts/install.sh
source scripts/install.sh
install wasm-target wasm-bindgen node-packages chromium lrs
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

step "checking every scenario in scenarios/"
check_scenarios

step "the interface's message catalogues: every message in every language, English's placeholders"
node scripts/messages.mjs --check

if [[ "$CLIPPY" == 1 ]]; then
    step "clippy, with warnings as errors (native, and the wasm binding)"
    cargo clippy --all-targets -- -D warnings
    cargo clippy --lib --test wasm --target wasm32-unknown-unknown --no-default-features -- -D warnings
    cargo clippy --lib --test wasm --target wasm32-unknown-unknown --no-default-features --features toml,test-hooks,coder,report -- -D warnings
fi

step "building the browser widget's engines and scenario library"
bash scripts/build-web.sh

step "the learner's download against its budget"
bash scripts/size.sh

# wasm-bindgen-test-runner takes no --quiet, so these run without it.
step "the browser binding's tests, in Node (authors' engine, then learners')"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test --target wasm32-unknown-unknown --test wasm --no-default-features --features toml,test-hooks,coder
cargo test --target wasm32-unknown-unknown --test wasm --no-default-features --features test-hooks
unset CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER

# `cargo test --all-targets` and the doctests, in three runs: the doctests
# and the benchmarks in test mode (a quick smoke run that prints its tables)
# first, so that the unit, integration and property tests' summary lines
# close the output.
step "cargo test --doc (the documentation's examples, and what must not compile outside the crate)"
cargo test --doc

step "cargo test --bench '*' (the benchmarks' smoke run)"
cargo test --bench '*'

step "cargo test --lib --bins --tests --examples"
cargo test --lib --bins --tests --examples

# The shell expands the pattern, so node gets file names, which every
# version reads the same way. Quoted, the pattern would reach node itself,
# expands it only from Node 21 on (Node 20 looks for a file named
# `*.test.mjs`); a folder (`tests/e2e/`) is searched by Node 20, but Node 21
# and later take it as a pattern that matches the folder itself, try to run
# it as a test file and fail.
step "the catalogues' check, then browser tests in headless Chromium (node --test tests/*.test.mjs tests/e2e/*.test.mjs)"
node --test tests/*.test.mjs tests/e2e/*.test.mjs
