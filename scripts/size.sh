#!/usr/bin/env bash
# Prints the gzipped bytes of everything a learner downloads to play, and
# fails if they pass the budget. Run after scripts/build-web.sh.
#
#   bash scripts/size.sh
#
# The learner's set is the embed page and what it loads: the page, its
# module (the widget bundled within it), the stylesheet, and the learner
# engine (wasm-bindgen's JS and the wasm). The scenario is listed
# apart (it varies), and so is the authors' engine (learners never load it).
# How soon that download gives a phone its first choice is another script's:
# node scripts/first-choice.mjs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# 100 KiB until the hardening of issues 8 and 15 added the site
# configuration, the reporters' retries, the storage and mode notices (about
# 2.9 KB gzipped) and bounded checking in the engine (0.2 KB); 104 KiB until
# the empathy model of issue 9 added 28 ids, the new rules, ending variants,
# the best path on the sum and the debrief's score, comparison and
# suggestions (26.6 KB gzipped in the engine, measured against the engine
# before it; 2.1 KB in the widget and its styles); 136 KiB until the lean
# learner engine of issue 11 dropped the loader, validator and analysis from
# the learner's build (the engine from 107 KB to 60 KB gzipped) and brought
# the total to 88 KiB; 92 KiB until each page's module carried the widget and
# the site's settings and the stylesheet was minified (84 KiB); 88 KiB until
# issue 14 took every word of the interface out of the code into message
# catalogues (www/i18n/): the English ones for the widget and the embed page,
# their ids and the message functions (4.5 KB gzipped); 94 KiB until the
# engine's own words went through a table a language can replace (src/words.rs:
# 160 ids, the reader of a catalogue, relabelling earlier turns; 6.5 KB in the
# engine). A learner reading another language fetches its catalogues besides
# (www/lang/: the widget's, 5 to 7 KB, and the engine's). 100 KiB until talc
# took dlmalloc's place, the compiled reader stopped returning early at every
# field, serde_json's error texts and float printer left the learner's build,
# the embed page bundled only its five library messages and the full pages'
# shell left attunement.css (101,382 to 91,854 bytes, 2026-12-04). 94 KiB until
# the Markdown transcript moved from the engine to the widget (www/widget/markdown.js,
# made from the debrief): 91,854 to 88,698 bytes (88,736 after), 2026-12-04. The budget holds
# that, with a little room; the aim is 60 KB, which needs the engine's and the
# widget's words and code nearly halved.
BUDGET=$((90 * 1024))

if [[ ! -f www/pkg/attunement_bg.wasm ]]; then
    echo "size: www/pkg is missing; run bash scripts/build-web.sh first" >&2
    exit 2
fi

gz() {
    gzip -9 -c "$1" | wc -c
}

# embed.js is the page's one script, the widget and the site's settings bundled within it; the
# engine's glue imports only the wasm. A static import of another of our files would be a fetch
# this list leaves out, so it stops the count.
if grep -qE "(from|import) *['\"]\./" www/embed.js; then
    echo "size: www/embed.js imports another file; count it here" >&2
    exit 2
fi
files=(www/embed.html www/embed.js www/attunement.css www/pkg/attunement.js www/pkg/attunement_bg.wasm)

total=0
printf '%-36s %10s %10s\n' "learner download" "bytes" "gzipped"
for f in "${files[@]}"; do
    [[ -f "$f" ]] || { echo "size: $f is missing" >&2; exit 2; }
    bytes=$(wc -c <"$f")
    zipped=$(gz "$f")
    total=$((total + zipped))
    printf '%-36s %10d %10d\n' "${f#www/}" "$bytes" "$zipped"
done
printf '%-36s %10s %10d  (budget %d, %d%%)\n' "total" "" "$total" "$BUDGET" $((100 * total / BUDGET))
echo
printf '%-36s %10s %10s\n' "listed apart" "bytes" "gzipped"
# The authors' engine, and the trainer's (report.html): never a learner's download. Each
# language's catalogues (www/lang/): a learner reading it fetches the widget's besides.
for f in www/lang/*.js www/lang/*.json www/scenarios/*.attn www/pkg-author/attunement_bg.wasm www/pkg-report/attunement_bg.wasm www/report.js; do
    [[ -f "$f" && "$f" != */index.json ]] || continue
    printf '%-36s %10d %10d\n' "${f#www/}" "$(wc -c <"$f")" "$(gz "$f")"
done

# Writing one's own reply (reply="write" or "both") fetches the engine with the coder in place of
# pkg/'s, and the model: coder.bin must stay within 150 KB gzipped (issue 12).
CODER_BUDGET=$((150 * 1024))
write_total=0
printf '%-36s %10s %10s\n' "reply=write, instead of pkg/" "bytes" "gzipped"
for f in www/pkg-write/attunement.js www/pkg-write/attunement_bg.wasm www/coder.bin; do
    zipped=$(gz "$f")
    write_total=$((write_total + zipped))
    printf '%-36s %10d %10d\n' "${f#www/}" "$(wc -c <"$f")" "$zipped"
done
coder_zipped=$(gz www/coder.bin)
printf '%-36s %10s %10d  (coder.bin: %d of %d)\n' "total" "" "$write_total" "$coder_zipped" "$CODER_BUDGET"
if ((coder_zipped > CODER_BUDGET)); then
    echo "size: the reply coder's model is over its budget" >&2
    exit 1
fi

if ((total > BUDGET)); then
    echo "size: the learner download is over budget" >&2
    exit 1
fi
