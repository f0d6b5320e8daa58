//! Whole-scenario checks, run on a lowered scenario.
//!
//! Structural checks (dead ends, flags never set, gate cycles, the shape of
//! each decision point) come first; then the state-space analysis answers
//! what only play can: which nodes and endings are reached, which choices are
//! ever offered, and where every choice can be locked at once. On success the
//! analysis's results that play needs (whether it finished, and the best
//! path for the debrief) are returned, to go beside the scenario in a
//! [`Playable`].

use super::lower::Spans;
use crate::scenario::{Path, Scenario, Target};
use crate::analysis::{Budget, explore};
use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::skill::{Kind, Skill};

/// Validates `sc`; returns what the analysis found (see [`Found`]).
pub fn validate(sc: &Scenario, spans: &Spans, out: &mut Vec<Diagnostic>) -> Found {
    let mut found = Found { analysed: false, best: None };
    if !structure(sc, spans, out) {
        // A gate cycle or a flag that is never set would only echo as
        // unreachable nodes and choices never offered.
        return found;
    }
    let a = explore(sc, Budget::of(sc), false);
    if let Some(limit) = a.stopped {
        out.push(
            Diagnostic::warning("W004", Span::new(0, 1), format!("the analysis stopped at {}; reachability and soft-locks were not checked", limit.describe()))
                .hint("fewer flags or fewer distress changes make the scenario's state space smaller; until then it cannot be compiled for learners"),
        );
        return found;
    }
    found.analysed = true;
    let mut led_to = vec![false; sc.nodes().len()];
    for c in sc.nodes().iter().flat_map(|m| &m.choices) {
        if let Target::Node(n) = c.next {
            led_to[n] = true;
        }
    }
    for (n, node) in sc.nodes().iter().enumerate() {
        let Some(range) = a.nodes[n] else {
            let hint = match node.gate {
                _ if sc.leaving() == Some(n) => format!("it is the leaving node, and no path makes trust fall below the floor of {}", sc.floor()),
                Some(g) if led_to[n] => format!("its gate needs trust {}, and no path arrives here with that much", g.trust),
                _ => "no choice leads here, or only when trust or flags never allow it".to_string(),
            };
            out.push(Diagnostic::error("E008", spans.nodes[n], format!("node `{}` cannot be reached", node.id)).hint(hint));
            continue;
        };
        for (c, choice) in node.choices.iter().enumerate() {
            if !a.offered[n][c] {
                let (span, when) = spans.choices[n][c];
                out.push(
                    Diagnostic::error("E011", when.unwrap_or(span), format!("condition never holds: choice `{}` of node `{}` is never offered", choice.id, node.id))
                        .hint(if range.min == range.max {
                            format!("trust at node `{}` is always {}", node.id, range.min)
                        } else {
                            format!("trust at node `{}` ranges from {} to {}", node.id, range.min, range.max)
                        }),
                );
            }
        }
        if let Some(span) = spans.after_drops[n]
            && !a.sharp_drops[n]
        {
            out.push(
                Diagnostic::warning("W010", span, format!("node `{}` has an `after_drop` line that is never said", node.id))
                    .hint(format!("no turn arrives here with trust falling by {} or more: put the line on a node a roadblock leads to, or lower `sharp_drop` under `[thresholds]`", sc.sharp_drop())),
            );
        }
        if let Some(state) = a.softlocks[n] {
            let flags: Vec<&str> = (0..sc.flags().len()).filter(|b| state.flags & 1 << b != 0).map(|b| sc.flags()[b].as_str()).collect();
            let flags = if flags.is_empty() { "no flags set".to_string() } else { format!("flags {}", flags.join(", ")) };
            out.push(
                Diagnostic::error("E012", spans.nodes[n], format!("every choice of node `{}` can be locked at once", node.id))
                    .hint(format!("with trust {} and {flags}, no condition holds; add a choice without conditions", state.trust)),
            );
        }
    }
    for (e, ending) in sc.endings().iter().enumerate() {
        if a.endings[e].is_some() {
            for (v, used) in a.variants[e].iter().enumerate() {
                if !used {
                    let shadowed = ending.variants[..v].iter().any(|w| w.when.is_always());
                    out.push(
                        Diagnostic::warning("W007", spans.variants[e][v], format!("variant {} of ending `{}` can never apply", v + 1, ending.id)).hint(if shadowed {
                            "an earlier variant without conditions always applies first: put this one before it".to_string()
                        } else {
                            "no path reaches this ending with trust and flags that meet its `when`, or an earlier variant always applies first".to_string()
                        }),
                    );
                }
            }
        }
        if a.endings[e].is_none() {
            let hint = if Some(e) == sc.disengaged() {
                format!("no path makes trust fall below the floor of {}: let some roadblock cost more, raise the floor, or set `floor = 0` and remove this ending", sc.floor())
            } else {
                "no choice leads here, or only when trust or flags never allow it".to_string()
            };
            out.push(Diagnostic::error("E010", spans.endings[e], format!("ending `{}` can never be reached", ending.id)).hint(hint));
        }
    }
    if !out.iter().any(Diagnostic::is_error) {
        found.best = a.best;
    }
    found
}

/// What validation's analysis found that play needs.
pub struct Found {
    /// Whether the analysis explored every state.
    pub analysed: bool,
    /// The path to the highest final trust, when it did and there was no error.
    pub best: Option<Path>,
}

/// The most closed gates one arrival may pass: each sends the peer on to its
/// `otherwise`, and the engine follows the chain on every step.
pub const MAX_GATE_CHAIN: usize = 16;

/// Checks what needs no analysis; false when the analysis would mislead.
fn structure(sc: &Scenario, spans: &Spans, out: &mut Vec<Diagnostic>) -> bool {
    let mut analyzable = gates(sc, spans, out);
    let set: u64 = sc.nodes().iter().flat_map(|n| &n.choices).fold(0, |bits, c| bits | c.set);
    let visits: u64 = sc.nodes().iter().filter_map(|n| n.visit_flag).fold(0, |bits, b| bits | 1 << b);
    let set_names = || (0..sc.flags().len()).filter(move |b| set & 1 << b != 0).map(|b| sc.flags()[b].as_str());
    // One suggestion a flag, however many choices ask for it.
    let mut suggested: Vec<Option<Option<&str>>> = vec![None; sc.flags().len()];
    for (n, node) in sc.nodes().iter().enumerate() {
        if node.choices.is_empty() {
            out.push(Diagnostic::error("E009", spans.nodes[n], format!("node `{}` is a dead end", node.id)).hint("give it a choice, or point the choices that lead here at an `[[ending]]`"));
        }
        for (c, choice) in node.choices.iter().enumerate() {
            let (span, when) = spans.choices[n][c];
            let missing = choice.when.all & !set & !visits;
            for b in (0..sc.flags().len()).filter(|b| missing & 1 << b != 0) {
                analyzable = false;
                let d = Diagnostic::error("E011", when.unwrap_or(span), format!("condition never holds: flag `{}` is never set", sc.flags()[b]));
                let suggestion = *suggested[b].get_or_insert_with(|| did_you_mean(&sc.flags()[b], set_names()));
                out.push(match suggestion {
                    Some(m) => d.hint(format!("did you mean `{m}`?")),
                    None => d.hint("set it with `set = [\"...\"]` on some choice"),
                });
            }
            if choice.feedback.is_none() {
                out.push(Diagnostic::warning("W001", span, format!("choice `{}` of node `{}` has no feedback", choice.id, node.id)).hint("say which skill this is and why it helps or hurts, in a sentence a trainer would say"));
            }
        }
        if node.warning_signs && !node.choices.iter().any(|c| c.skill == Skill::SafetyQuestion) {
            out.push(
                Diagnostic::warning("W008", spans.nodes[n], format!("node `{}` shows warning signs but offers no safety question", node.id))
                    .hint("where a peer shows warning signs, the learner must be able to ask directly: add a choice with `skill = \"safety_question\"`, such as \"Are you thinking about suicide?\""),
            );
        }
        if sc.leaving() == Some(n) && !node.choices.iter().any(|c| c.next == Target::Back) {
            out.push(
                Diagnostic::warning("W009", spans.nodes[n], format!("the leaving node `{}` offers no way back", node.id))
                    .hint("give it a repair with `next = \"@back\"`, so that owning the misstep can bring the peer back to where the talk was going"),
            );
        }
        if node.choices.len() >= 2 {
            if !node.choices.iter().any(|c| c.skill.kind() == Kind::Skill) {
                out.push(Diagnostic::warning("W002", spans.nodes[n], format!("node `{}` offers no trust-building option", node.id)).hint("offer at least one response that reflects, validates or asks openly"));
            }
            if !node.choices.iter().any(|c| c.skill.kind() == Kind::Roadblock) {
                out.push(Diagnostic::warning("W003", spans.nodes[n], format!("node `{}` offers no roadblock", node.id)).hint("a plausible roadblock makes the learner think; without one the right answer is obvious"));
            }
        }
    }
    analyzable
}

/// Checks the chains of closed gates in one pass over the `otherwise` links:
/// a chain that comes round in a circle, or one longer than
/// [`MAX_GATE_CHAIN`], is E021. False when either was found.
fn gates(sc: &Scenario, spans: &Spans, out: &mut Vec<Diagnostic>) -> bool {
    let n = sc.nodes().len();
    // How many gates a chain passes from each node; `None` on or into a circle.
    let mut depth: Vec<Option<usize>> = vec![None; n];
    let mut seen = vec![false; n];
    let mut ok = true;
    for first in 0..n {
        if seen[first] {
            continue;
        }
        // Walk until a node seen before (on this walk: a circle) or one without a gate.
        let mut walk = Vec::new();
        let mut at = first;
        while !seen[at] {
            seen[at] = true;
            walk.push(at);
            match sc.nodes()[at].gate {
                Some(g) => at = g.otherwise,
                None => break,
            }
        }
        if let Some(i) = walk.iter().position(|&m| m == at).filter(|_| sc.nodes()[at].gate.is_some()) {
            // A circle, reported once, from its first node in the file.
            let circle = &walk[i..];
            let start = circle.iter().enumerate().min_by_key(|&(_, &m)| m).map_or(0, |(k, _)| k);
            let names: Vec<String> = circle[start..].iter().chain(&circle[..start]).chain(&circle[start..=start]).map(|&m| format!("`{}`", sc.nodes()[m].id)).collect();
            out.push(Diagnostic::error("E021", spans.nodes[circle[start]], format!("closed gates lead round in a circle: {}", names.join(" -> "))).hint("end the chain of `otherwise` nodes at a node without a gate"));
            ok = false;
        }
        for &m in walk.iter().rev() {
            depth[m] = match sc.nodes()[m].gate {
                None => Some(0),
                Some(g) => depth[g.otherwise].map(|d| d + 1),
            };
            if depth[m] == Some(MAX_GATE_CHAIN + 1) {
                out.push(
                    Diagnostic::error("E021", spans.nodes[m], format!("closed gates from node `{}` pass through more than {MAX_GATE_CHAIN} nodes", sc.nodes()[m].id))
                        .hint("end the chain of `otherwise` nodes sooner: a peer who holds back needs one place to go, not a long corridor"),
                );
                ok = false;
            }
        }
    }
    ok
}
