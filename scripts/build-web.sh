#!/usr/bin/env bash
# Builds what the browser loads into www/ (all of it generated, none committed):
#
#   www/attunement-sim.js  the widget: www/widget/*.js bundled and minified
#   www/*.js, www/*.css    the pages' modules (www/pages/) and the stylesheets, each
#                    bundled and minified
#   www/pkg/         the learner's engine: reads compiled scenarios (.attn)
#                    only, with no checking or analysis in it
#   www/pkg-author/  the authors' engine: checks sources (.toml, .json) too,
#                    loaded only for such a src, so learners never download
#                    the checker; it also has the test-only exports (feature
#                    test-hooks)
#   www/pkg-report/  the trainer's engine for www/report.html: the compiled
#                    reader and the cohort report's aggregation (feature report)
#   www/scenarios/   every scenario in scenarios/, compiled (ID.attn), with its
#                    TOML source and an index.json for the library page
#
#   bash scripts/build-web.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/install.sh
source scripts/install.sh
install wasm-target wasm-bindgen node-packages

WASM_OPT=node_modules/.bin/wasm-opt
# The features rustc emits for wasm32; wasm-opt must be told of each.
WASM_FEATURES=(--enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int
    --enable-mutable-globals --enable-multivalue --enable-reference-types)

# build OUT_DIR [cargo options...]
build() {
    local out="$1"
    shift
    echo "build-web: $out" >&2
    cargo build --quiet --lib --target wasm32-unknown-unknown --profile web "$@"
    rm -rf "$out"
    wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name attunement \
        target/wasm32-unknown-unknown/web/attunement.wasm
    # The binding's JavaScript half (src/wasm.js) comes out as a snippet module the glue
    # imports; bundled into the glue (and minified with it), the browser fetches one file.
    # wasm-bindgen 0.2.130 imports that module once per group of functions (import1 to import5,
    # `import * as` the same file, so one namespace) and lists each under the same key of the
    # wasm's import object: esbuild's duplicate-key warning for it says nothing wrong, and is
    # silenced for this step alone.
    node_modules/.bin/esbuild "$out/attunement.js" --bundle --format=esm --minify --target=es2022 \
        --legal-comments=none --log-level=warning --log-override:duplicate-object-key=silent \
        --allow-overwrite --outfile="$out/attunement.js"
    rm -rf "$out/snippets"
    # The producers and target-features sections are for tools, not browsers.
    "$WASM_OPT" -Oz --converge --strip-producers --strip-target-features "${WASM_FEATURES[@]}" -o "$out/attunement_bg.wasm" "$out/attunement_bg.wasm"
}

build www/pkg --no-default-features
build www/pkg-author --no-default-features --features toml,test-hooks,coder
build www/pkg-write --no-default-features --features coder
build www/pkg-report --no-default-features --features report
cp data/coder.bin www/coder.bin

# The widget and the pages. Each is bundled and minified into www/ (with a source map for the
# browser's tools), one file a page: www/attunement-sim.js is the widget (www/widget/element.js and
# its imports) that course sites load; each page module (www/pages/NAME.js) carries the widget and
# the site's settings within it, so a page fetches one script, not three. Every URL made from
# import.meta.url is so written from www/. The stylesheets are minified the same way. The engines
# and the reporters (lms/) stay separate files, loaded when needed.
# The message catalogues (www/i18n/*.json) compile to modules (www/i18n/*.js), with the subsets a
# page takes alone (the embed page's five messages of the library's): English is bundled
# into each page's script below; every other language is bundled apart into www/lang/, fetched
# only by a learner who reads it.
echo "build-web: the message catalogues" >&2
# Every module in www/i18n/ is made here, so none left from a removed language or subset ships.
rm -f www/i18n/*.js
node scripts/messages.mjs
rm -rf www/lang
others=()
mkdir -p www/lang
for f in www/i18n/engine.*.json; do
    # The engine's words: JSON the engine reads (setWords); English is built into it.
    [[ "$f" == *.en.json ]] || cp "$f" www/lang/
done
# Every other compiled catalogue, and the subsets a page takes alone (messages.mjs SUBSETS).
for f in www/i18n/*.js; do
    [[ "$f" == *.en.js ]] || others+=("$f")
done
if ((${#others[@]})); then
    node_modules/.bin/esbuild "${others[@]}" --bundle --format=esm --minify --target=es2022 \
        --legal-comments=none --log-level=warning --outdir=www/lang
fi

echo "build-web: www/attunement-sim.js, the pages and the stylesheets" >&2
node_modules/.bin/esbuild attunement-sim=www/widget/element.js attunement=www/widget/attunement.css \
    embed=www/pages/embed.js library=www/pages/library.js scorm=www/pages/scorm.js \
    preview=www/pages/preview.js page=www/pages/page.css library=www/pages/library.css \
    report=www/pages/report.js report=www/pages/report.css \
    --bundle --format=esm --minify --target=es2022 --legal-comments=none --sourcemap=linked \
    --log-level=warning --outdir=www

# A scenario with errors is left out (with its diagnostics printed), so one
# author's broken draft does not stop everyone's build or preview;
# scripts/test.sh checks every scenario separately and fails on any error.
# `library` builds the new folder beside www/scenarios and swaps it in only
# when it is complete, so nothing is deleted first.
if ! cargo run --quiet --release --bin attunement -- library scenarios -o www/scenarios; then
    echo "build-web: scenarios with errors were left out of www/scenarios (see above)" >&2
fi
