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
# in the `install` calls of the scripts that need it. Expected next:
# wasm-bindgen (cargo install wasm-bindgen-cli at the version in Cargo.lock),
# wasm-opt, node packages (npm ci) and chromium (apt-get).

# All tools, in the order they are installed when none is named.
INSTALL_TOOLS=(wasm-target clippy)

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
