#!/usr/bin/env bash
# Installs what Attunement's scripts need and the machine lacks.
#
#   bash scripts/install.sh [TOOL...]     install these tools (all when none is named)
#   source scripts/install.sh             define the functions; then `install TOOL...`
#
# Each tool is one function, `install_<tool>` (dashes become underscores),
# that checks first and returns at once when the tool is there, so a run on a
# machine that has everything takes a fraction of a second. The checks look at
# what is installed, never at a marker file, so a half-finished install is
# retried rather than trusted.
#
# Only package registries can be reached from the machines this runs on
# (crates.io, npm, PyPI, Debian's packages) plus rustup's own components: an
# install must come through one of those, never a downloaded binary.
#
# To add a tool: write `install_<tool>`, add it to INSTALL_TOOLS, and name it
# in the `install` calls of the scripts that need it.

# All tools, in the order they are installed when none is named.
INSTALL_TOOLS=(wasm-target clippy wasm-bindgen node-packages chromium lrs)

# Where project-local tools go; never committed.
TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools"

# The wasm target for the engine and the browser binding.
install_wasm_target() {
    local sysroot
    sysroot="$(rustc --print sysroot)"
    if [[ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]]; then
        return 0
    fi
    _install_say "adding the rust target wasm32-unknown-unknown"
    _install_need rustup "the wasm target is added with rustup"
    rustup target add wasm32-unknown-unknown
}

# Clippy, the linter that scripts/test.sh runs with warnings as errors.
install_clippy() {
    if cargo clippy --version >/dev/null 2>&1; then
        return 0
    fi
    _install_say "adding the rust component clippy"
    _install_need rustup "clippy is added with rustup"
    rustup component add clippy
}

# wasm-bindgen-cli (wasm-bindgen, wasm-bindgen-test-runner) into .tools/, at
# exactly the version of the wasm-bindgen crate in Cargo.lock: the two must
# match. Without --locked, so its dependencies float within their semver
# ranges: `cargo install --locked wasm-bindgen-cli --version =0.2.130` fails
# (tried 2026-12-01, cargo 1.95) because the lockfile it ships pins
# webpki-roots 1.0.11 (for ureq 3.5.0), and the crates.io index these
# machines reach has nothing newer than webpki-roots 1.0.10. Try --locked
# again when the wasm-bindgen version moves.
install_wasm_bindgen() {
    local want have=""
    want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
    if [[ -z "$want" ]]; then
        echo "install: no wasm-bindgen in Cargo.lock" >&2
        return 1
    fi
    if [[ -x "$TOOLS_DIR/bin/wasm-bindgen" ]]; then
        have="$("$TOOLS_DIR/bin/wasm-bindgen" --version | awk '{ print $2 }')"
    fi
    if [[ "$have" != "$want" || ! -x "$TOOLS_DIR/bin/wasm-bindgen-test-runner" ]]; then
        _install_say "building wasm-bindgen-cli $want into .tools/ (a few minutes, once)"
        cargo install --quiet wasm-bindgen-cli --version "=$want" --root "$TOOLS_DIR"
    fi
    export PATH="$TOOLS_DIR/bin:$PATH"
}

# The npm packages of package-lock.json: wasm-opt (binaryen), Playwright's
# driver, axe-core. Reinstalled when the lockfile is newer than node_modules.
install_node_packages() {
    _install_need npm "install Node.js 20 and npm"
    local stamp=node_modules/.package-lock.json
    if [[ -f "$stamp" && "$stamp" -nt package-lock.json ]]; then
        return 0
    fi
    _install_say "installing the npm packages of package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error
}

# Debian's Chromium and ChromeDriver for the browser tests (a test tool's own
# browser download cannot reach its host from these machines).
install_chromium() {
    if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
        return 0
    fi
    _install_need apt-get "the browser tests need Debian's chromium and chromium-driver"
    local sudo=""
    if [[ "$(id -u)" != 0 ]]; then
        sudo="sudo"
    fi
    _install_say "installing chromium and chromium-driver with apt-get"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
}

# Ralph (the PyPI package ralph-malph), a real learning record store for the
# xAPI browser tests, in a virtual environment at .tools/lrs; scripts/lrs.py
# starts it. `requests` is named because the `lrs` extra leaves it out (only
# the `backend-ldp` extra asks for it, as requests>=2.0.0); it is pinned to
# the version pip resolved alongside ralph-malph 5.1.0 when the tests last
# passed with it. Ralph's own dependencies are pinned by its metadata, or
# float within its ranges.
install_lrs() {
    local venv="$TOOLS_DIR/lrs" want="5.1.0" requests="2.34.2"
    if [[ -x "$venv/bin/python" ]] &&
        [[ "$("$venv/bin/python" -c 'import importlib.metadata as m, requests, uvicorn, fastapi, ralph.backends.data.fs; print(m.version("ralph-malph"), m.version("requests"))' 2>/dev/null)" == "$want $requests" ]]; then
        return 0
    fi
    _install_need python3 "the learning record store for the xAPI tests needs Python 3 with venv"
    _install_say "installing ralph-malph $want (a learning record store) and requests $requests into .tools/lrs"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "ralph-malph[cli,lrs]==$want" "requests==$requests"
}

# Installs the named tools, or every tool when none is named.
install() {
    _install_path
    _install_need cargo "install Rust with rustup first (https://rustup.rs)"
    local tool tools=("$@")
    if (( ${#tools[@]} == 0 )); then
        tools=("${INSTALL_TOOLS[@]}")
    fi
    for tool in "${tools[@]}"; do
        if ! declare -F "install_${tool//-/_}" >/dev/null; then
            echo "install: unknown tool \`$tool\` (known: ${INSTALL_TOOLS[*]})" >&2
            return 2
        fi
        "install_${tool//-/_}"
    done
}

# rustup puts cargo in ~/.cargo/bin, which a non-login shell may not have on
# its PATH.
_install_path() {
    if ! command -v cargo >/dev/null 2>&1 && [[ -x "$HOME/.cargo/bin/cargo" ]]; then
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
}

_install_need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "install: \`$1\` is not on the PATH: $2" >&2
        return 1
    fi
}

_install_say() {
    echo "install: $*" >&2
}

# Run as a script rather than sourced: install what was asked for.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    install "$@"
fi
