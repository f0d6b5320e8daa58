//! Whole-scenario checks, run on a lowered scenario.
//!
//! Structural checks (dead ends, flags never set, gate cycles, the shape of
//! each decision point) come first; then the state-space analysis answers
//! what only play can: which nodes and endings are reached, which choices are
//! ever offered, and where every choice can be locked at once. On success the
//! analysis's best path is kept on the scenario for the debrief.

use super::lower::Spans;
use super::{Scenario, Target};
use crate::analysis::{Budget, explore};
use crate::diagnostic::{Diagnostic, Span, did_you_mean};
use crate::skill::Kind;

pub fn validate(sc: &mut Scenario, spans: &Spans, out: &mut Vec<Diagnostic>) {
    if !structure(sc, spans, out) {
        // A gate cycle or a flag that is never set would only echo as
        // unreachable nodes and choices never offered.
        return;
    }
    let a = explore(sc, Budget::of(sc), false);
    if let Some(limit) = a.stopped {
        out.push(
            Diagnostic::warning("W004", Span::new(0, 1), format!("the analysis stopped at {}; reachability and soft-locks were not checked", limit.describe()))
                .hint("fewer flags or fewer distress changes make the scenario's state space smaller; until then it cannot be compiled for learners"),
        );
        return;
    }
    sc.analysed = true;
    for (n, node) in sc.nodes.iter().enumerate() {
        let Some(range) = a.nodes[n] else {
            let led_to = sc.nodes.iter().flat_map(|m| &m.choices).any(|c| c.next == Target::Node(n));
            let hint = match node.gate {
                Some(g) if led_to => format!("its gate needs trust {}, and no path arrives here with that much", g.trust),
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
        if let Some(state) = a.softlocks[n] {
            let flags: Vec<&str> = (0..sc.flags.len()).filter(|b| state.flags & 1 << b != 0).map(|b| sc.flags[b].as_str()).collect();
            let flags = if flags.is_empty() { "no flags set".to_string() } else { format!("flags {}", flags.join(", ")) };
            out.push(
                Diagnostic::error("E012", spans.nodes[n], format!("every choice of node `{}` can be locked at once", node.id))
                    .hint(format!("with trust {} and {flags}, no condition holds; add a choice without conditions", state.trust)),
            );
        }
    }
    for (e, ending) in sc.endings.iter().enumerate() {
        if a.endings[e].is_none() {
            let hint = if Some(e) == sc.disengaged {
                format!("no path makes trust fall below the floor of {}: let some roadblock cost more, raise the floor, or set `floor = 0` and remove this ending", sc.floor)
            } else {
                "no choice leads here, or only when trust or flags never allow it".to_string()
            };
            out.push(Diagnostic::error("E010", spans.endings[e], format!("ending `{}` can never be reached", ending.id)).hint(hint));
        }
    }
    if !out.iter().any(Diagnostic::is_error) {
        sc.best = a.best;
    }
}

/// Checks what needs no analysis; false when the analysis would mislead.
fn structure(sc: &Scenario, spans: &Spans, out: &mut Vec<Diagnostic>) -> bool {
    let mut analyzable = true;
    let set: u64 = sc.nodes.iter().flat_map(|n| &n.choices).fold(0, |bits, c| bits | c.set);
    let visits: u64 = sc.nodes.iter().filter_map(|n| n.visit_flag).fold(0, |bits, b| bits | 1 << b);
    let set_names = || (0..sc.flags.len()).filter(move |b| set & 1 << b != 0).map(|b| sc.flags[b].as_str());
    for (n, node) in sc.nodes.iter().enumerate() {
        if node.choices.is_empty() {
            out.push(Diagnostic::error("E009", spans.nodes[n], format!("node `{}` is a dead end", node.id)).hint("give it a choice, or point the choices that lead here at an `[[ending]]`"));
        }
        if let Some(g) = node.gate {
            // Follow the chain of closed gates; coming back here is a cycle.
            let mut chain = vec![n, g.otherwise];
            while let Some(next) = sc.nodes[*chain.last().unwrap_or(&n)].gate.filter(|_| chain.len() <= sc.nodes.len()) {
                chain.push(next.otherwise);
            }
            // The chain comes back to this node; report each cycle once, at
            // its first node in the file.
            let cycle = chain.iter().skip(1).position(|&c| c == n).map(|i| &chain[..=i + 1]);
            if let Some(cycle) = cycle.filter(|c| c.iter().all(|&m| m >= n)) {
                analyzable = false;
                let names: Vec<String> = cycle.iter().map(|&m| format!("`{}`", sc.nodes[m].id)).collect();
                out.push(Diagnostic::error("E021", spans.nodes[n], format!("closed gates lead round in a circle: {}", names.join(" -> "))).hint("end the chain of `otherwise` nodes at a node without a gate"));
            }
        }
        for (c, choice) in node.choices.iter().enumerate() {
            let (span, when) = spans.choices[n][c];
            let missing = choice.when.all & !set & !visits;
            for b in (0..sc.flags.len()).filter(|b| missing & 1 << b != 0) {
                analyzable = false;
                let d = Diagnostic::error("E011", when.unwrap_or(span), format!("condition never holds: flag `{}` is never set", sc.flags[b]));
                out.push(match did_you_mean(&sc.flags[b], set_names()) {
                    Some(m) => d.hint(format!("did you mean `{m}`?")),
                    None => d.hint("set it with `set = [\"...\"]` on some choice"),
                });
            }
            if choice.feedback.is_none() {
                out.push(Diagnostic::warning("W001", span, format!("choice `{}` of node `{}` has no feedback", choice.id, node.id)).hint("say which skill this is and why it helps or hurts, in a sentence a trainer would say"));
            }
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
