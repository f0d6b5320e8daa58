// The JavaScript half of the browser binding (src/wasm.rs): object literals for the view and
// the explanation of a turn, so that each is made in one call with a fixed shape, rather than a
// property at a time (a keyed store per property, several times slower). The field order is the
// engine's (its serde order), which tests/wasm.rs checks against the engine's own JSON.
// scripts/build-web.sh bundles this into pkg/attunement.js, so it is never fetched on its own.

export function view(scenario, mode, turn, peer, node, acknowledges, say, cue, mood, mood_label, trust, choices, ending, can_undo, stuck) {
    return { scenario, mode, turn, peer, node, acknowledges, say, cue, mood, mood_label, trust, choices, ending, can_undo, stuck };
}

export function trust(value, band, band_label, text) {
    return { value, min: 0, max: 100, band, band_label, text };
}

export function choice(list, id, text) {
    list.push({ id, text });
}

export function ending(id, outcome, title) {
    return { id, outcome, title };
}

export function turn(number, node, peer_acknowledged, peer_said, peer_cue, choice, text, skill, skill_label, kind, trust_before, trust_after, change, base,
    modifiers, total, ceiling, consequences, worth, ceiling_text, warning, acute, disclosure, warning_signs, feedback, why, written) {
    return {
        number, node, peer_acknowledged, peer_said, peer_cue, choice, text, skill, skill_label, kind, trust_before, trust_after, change, base,
        modifiers, total, ceiling, consequences, worth, ceiling_text, warning, acute, disclosure, warning_signs, feedback, why, written,
    };
}

export function modifier(list, reason, text, amount) {
    list.push({ reason, text, amount });
}

export function consequence(list, amount, feedback, from_turn) {
    list.push({ amount, feedback, from_turn });
}

export function step(ended, explanation) {
    return { ended, explanation };
}
