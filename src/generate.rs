//! Deterministic generated scenarios, for benchmarks and property tests.
//!
//! A generated scenario is valid by construction: a "spine" of trust-building
//! first choices runs from the first node to the best ending, so every node,
//! every ending and every conditioned choice is met on the spine (trust never
//! falls along it, and the flags that conditions ask for are set on it). Side
//! choices add roadblocks, detours, distress and, when asked for, back edges.
//! The same seed and shape always give the same text.

use std::fmt::Write;

use crate::hash::Rng;
use crate::skill::{Kind, Skill};

#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub nodes: usize,
    /// Choices per node, at most; at least 2 (the spine and a roadblock).
    pub max_choices: usize,
    /// Side choices may lead back to earlier nodes.
    pub cycles: bool,
    /// How many flags the spine sets and side choices require (at most 32).
    pub flags: usize,
    /// Every seventh node is behind a disclosure gate.
    pub gates: bool,
    /// Side choices change distress.
    pub distress: bool,
}

impl Shape {
    pub fn new(nodes: usize) -> Shape {
        Shape { nodes, max_choices: 3, cycles: false, flags: 0, gates: false, distress: false }
    }
}

const SPINE: [Skill; 7] = [Skill::Reflection, Skill::ComplexReflection, Skill::Validation, Skill::Affirmation, Skill::Summary, Skill::Presence, Skill::Collaboration];
const START_TRUST: i32 = 40;

/// A scenario in TOML.
pub fn scenario(seed: u64, shape: &Shape) -> String {
    let n = shape.nodes.max(1);
    let flags = shape.flags.min(32);
    let mut rng = Rng::new(seed);
    let mut s = String::with_capacity(n * 600);
    let _ = write!(
        s,
        "id = \"generated-{seed}\"\ntitle = \"Generated\"\nsummary = \"A generated scenario.\"\nminutes = 10\n\n\
         [peer]\nname = \"Gen\"\ntrust = {START_TRUST}\ndistress = 40\n\n\
         [thresholds]\nfloor = 20\nacute = 60\nwalks_out = true\n[thresholds.gates]\nstory = {START_TRUST}\n\n"
    );
    // Flag k is set by the spine choice of node `flag_at(k)`.
    let flag_at = |k: usize| 1 + k * (n / (flags + 1)).max(1);
    for i in 0..n {
        let _ = write!(s, "[[node]]\nid = \"n{i}\"\nsay = \"Line {i} of the peer, with some words to read.\"\n");
        if shape.gates && i > 0 && i % 7 == 0 && i + 1 < n {
            let _ = write!(s, "gate = \"story\"\notherwise = \"n{}\"\n", i + 1);
        }
        let next = if i + 1 < n { format!("n{}", i + 1) } else { "best".to_string() };
        let skill = SPINE[rng.below(SPINE.len())];
        let sets: Vec<String> = (0..flags).filter(|&k| flag_at(k) == i).map(|k| format!("\"f{k}\"")).collect();
        choice(&mut s, "spine", skill, &next, None, &format!("set = [{}]\n", sets.join(", ")));
        // A roadblock at every decision point; at the first node, one that
        // ends the talk at once, so the disengaged ending is reachable.
        let roadblocks: Vec<Skill> = Skill::ALL.into_iter().filter(|s| s.kind() == Kind::Roadblock).collect();
        let roadblock = roadblocks[rng.below(roadblocks.len())];
        if i == 0 {
            choice(&mut s, "leave", roadblock, &next, None, "trust = -50\n");
        } else {
            let target = side_target(&mut rng, i, n, shape);
            choice(&mut s, "block", roadblock, &target, None, &distress(&mut rng, shape));
        }
        if i + 1 == n {
            choice(&mut s, "ok", Skill::OpenQuestion, "ok", None, "");
            choice(&mut s, "meh", Skill::Advice, "meh", None, "");
            continue;
        }
        let extra = rng.below(shape.max_choices.max(2) - 1);
        for c in 0..extra {
            let skill = Skill::ALL[rng.below(Skill::ALL.len())];
            let target = side_target(&mut rng, i, n, shape);
            // Conditions only ask for what the spine guarantees.
            let set_before: Vec<usize> = (0..flags).filter(|&k| flag_at(k) < i).collect();
            let when = match rng.below(4) {
                0 if !set_before.is_empty() => Some(format!("{{ flags = [\"f{}\"] }}", set_before[rng.below(set_before.len())])),
                1 => Some(format!("{{ trust_min = {} }}", START_TRUST - rng.below(10) as i32)),
                _ => None,
            };
            let extra = distress(&mut rng, shape);
            choice(&mut s, &format!("x{c}"), skill, &target, when.as_deref(), &extra);
        }
    }
    for (id, outcome) in [("best", "breakthrough"), ("ok", "connected"), ("meh", "unresolved"), ("left", "disengaged")] {
        let _ = write!(s, "[[ending]]\nid = \"{id}\"\noutcome = \"{outcome}\"\ntitle = \"Ending {id}\"\ntext = \"How it ended.\"\n\n");
    }
    s
}

/// Every generated line opens with its skill's label, so each says `opening = ""`: otherwise the
/// parroting rule would see most of them as the same form and multiply the states to explore.
fn choice(s: &mut String, id: &str, skill: Skill, next: &str, when: Option<&str>, extra: &str) {
    let kind = match skill.kind() {
        Kind::Skill => "builds trust",
        Kind::Neutral => "is neutral",
        Kind::Roadblock => "costs trust",
    };
    let _ = write!(s, "[[node.choice]]\nid = \"{id}\"\ntext = \"{}: a response of that kind.\"\nopening = \"\"\nskill = \"{}\"\nfeedback = \"This {kind}: {}.\"\nnext = \"{next}\"\n{extra}", skill.label(), skill.id(), skill.why().replace('"', "'"));
    if let Some(w) = when {
        let _ = writeln!(s, "when = {w}");
    }
    s.push('\n');
}

fn side_target(rng: &mut Rng, i: usize, n: usize, shape: &Shape) -> String {
    match rng.below(10) {
        0 => ["ok", "meh"][rng.below(2)].to_string(),
        1 | 2 if shape.cycles => format!("n{}", i.saturating_sub(rng.below(5))),
        _ => format!("n{}", (i + 1 + rng.below(3)).min(n - 1)),
    }
}

fn distress(rng: &mut Rng, shape: &Shape) -> String {
    if shape.distress && rng.below(3) == 0 { format!("distress = {}\n", [-10, 10, 20][rng.below(3)]) } else { String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checking::{Format, check};

    #[test]
    fn generated_scenarios_check_clean() {
        for seed in 0..40 {
            let shape = Shape { nodes: 2 + seed as usize % 30, max_choices: 4, cycles: seed % 2 == 0, flags: seed as usize % 5, gates: seed % 3 == 0, distress: seed % 4 == 0 };
            let text = scenario(seed, &shape);
            let report = check(&text, Format::Toml);
            assert!(report.diagnostics.is_empty(), "seed {seed} {shape:?}: {:?}", report.diagnostics);
        }
    }

    #[test]
    fn generation_is_deterministic() {
        let shape = Shape::new(50);
        assert_eq!(scenario(3, &shape), scenario(3, &shape));
        assert_ne!(scenario(3, &shape), scenario(4, &shape));
    }
}

/// Hostile inputs: files built to make checking slow or hungry, from the
/// hardening probes (issues 8 and 15). Tests hold each to a clear error in
/// bounded memory; `cargo bench` prints how long each takes.
pub mod hostile {
    use std::fmt::Write;

    /// Every hostile input, by name, as (file name, text), at full size: as
    /// large as the 8 MiB limit lets each be (`cargo bench`, `scripts/hostile.sh`).
    pub fn all() -> Vec<(&'static str, String)> {
        at(8)
    }

    /// The hostile inputs at `eighths` of their full size (tests use 1, so a
    /// debug build checks them in seconds); the tiny ones stay as they are.
    pub fn at(eighths: usize) -> Vec<(&'static str, String)> {
        let n = |full: usize| full * eighths / 8;
        vec![
            ("long-ids.toml", long_ids(n(40), 40_000)),
            ("unknown-next.toml", unknown_next(n(24_000))),
            ("unknown-skill.toml", unknown_skill(n(8_000_000))),
            ("many-choices.toml", many_choices(n(100_000))),
            ("many-flags.toml", many_flags(n(500_000))),
            ("many-keys.json", many_keys(n(500_000))),
            ("one-line-errors.json", one_line_errors(n(16_000))),
            ("flag-hub.toml", flag_hub(19)),
            ("many-gates.toml", many_gates(n(100_000), n(30_000))),
            ("unreachable.toml", unreachable(n(55_000))),
            ("gate-chain.toml", gate_chain(n(55_000))),
            ("flag-typos.toml", flag_typos(n(40_000))),
            ("deep.toml", deep()),
            ("too-large.toml", too_large()),
        ]
    }

    /// The opening of a valid scenario, up to its first node's first choice.
    fn head(out: &mut String) {
        out.push_str("id = \"hostile\"\ntitle = \"Hostile\"\nsummary = \"s\"\nobjectives = [\"o\"]\nminutes = 2\n\n[peer]\nname = \"Ari\"\ntrust = 50\n\n[thresholds]\nfloor = 0\n\n");
    }

    fn ending(out: &mut String) {
        out.push_str("\n[[ending]]\nid = \"end\"\noutcome = \"connected\"\ntitle = \"t\"\ntext = \"t\"\n");
    }

    /// Nodes whose ids are `len` characters long, each pointing at a
    /// misspelt one: "did you mean" would compare huge strings.
    pub fn long_ids(nodes: usize, len: usize) -> String {
        let mut out = String::new();
        head(&mut out);
        for i in 0..nodes {
            let id = format!("{i}{}", "n".repeat(len));
            let _ = write!(out, "[[node]]\nid = \"{id}\"\nsay = \"s\"\n\n[[node.choice]]\ntext = \"t\"\nskill = \"reflection\"\nfeedback = \"f\"\nnext = \"{id}x\"\n\n");
        }
        ending(&mut out);
        out
    }

    /// `n` choices to unknown nodes, 30 a node.
    pub fn unknown_next(n: usize) -> String {
        let mut out = String::new();
        head(&mut out);
        for i in 0..n {
            if i % 30 == 0 {
                let _ = write!(out, "[[node]]\nid = \"node-{i}\"\nsay = \"s\"\n\n");
            }
            let _ = write!(out, "[[node.choice]]\ntext = \"t\"\nskill = \"reflection\"\nfeedback = \"f\"\nnext = \"missing-node-number-{i}-of-many-nodes-that-are-not-here-at-all\"\n\n");
        }
        ending(&mut out);
        out
    }

    /// A skill name of `len` characters.
    pub fn unknown_skill(len: usize) -> String {
        let mut out = String::new();
        head(&mut out);
        let _ = write!(out, "[[node]]\nid = \"hub\"\nsay = \"s\"\n\n[[node.choice]]\ntext = \"t\"\nskill = \"{}\"\nfeedback = \"f\"\nnext = \"end\"\n", "r".repeat(len));
        ending(&mut out);
        out
    }

    /// One node with `n` choices that all share one id.
    pub fn many_choices(n: usize) -> String {
        let mut out = String::new();
        head(&mut out);
        out.push_str("[[node]]\nid = \"hub\"\nsay = \"s\"\n\n");
        for _ in 0..n {
            out.push_str("[[node.choice]]\nid = \"same\"\ntext = \"t\"\nskill = \"reflection\"\nnext = \"end\"\n\n");
        }
        ending(&mut out);
        out
    }

    /// A choice that sets `n` different flags.
    pub fn many_flags(n: usize) -> String {
        let mut out = String::new();
        head(&mut out);
        out.push_str("[[node]]\nid = \"hub\"\nsay = \"s\"\n\n[[node.choice]]\ntext = \"t\"\nskill = \"reflection\"\nfeedback = \"f\"\nnext = \"end\"\nset = [");
        for i in 0..n {
            let _ = write!(out, "\"f{i}\",");
        }
        out.push_str("]\n");
        ending(&mut out);
        out
    }

    /// A JSON scenario whose top-level object repeats one key `n` times.
    pub fn many_keys(n: usize) -> String {
        let mut out = String::from("{");
        for _ in 0..n {
            out.push_str("\"title\": \"t\", ");
        }
        out.push_str("\"id\": \"x\"}");
        out
    }

    /// A compiled-looking scenario on one line, with `n` misspelt fields.
    pub fn one_line_errors(n: usize) -> String {
        let mut out = String::from("{\"id\": \"x\", \"title\": \"t\", \"summary\": \"s\", \"objectives\": [], \"minutes\": 2, \"content_notes\": [], \"peer\": {\"name\": \"A\", \"trust\": 50}, \"node\": [");
        for i in 0..n {
            let _ = write!(out, "{}{{\"id\": \"n{i}\", \"sya\": \"s\", \"choice\": []}}", if i > 0 { ", " } else { "" });
        }
        out.push_str("], \"ending\": []}");
        out
    }

    /// `flags` flags, each set by its own choice at one hub: 2^flags states
    /// a place, which the analysis must stop at. Its one way out needs every
    /// flag clear: once any is set, the hub is a soft-lock that the stopped
    /// analysis cannot see.
    pub fn flag_hub(flags: usize) -> String {
        let mut out = String::new();
        head(&mut out);
        out.push_str("[[node]]\nid = \"hub\"\nsay = \"s\"\n\n");
        let all: Vec<String> = (0..flags).map(|i| format!("\"f{i}\"")).collect();
        let _ = write!(out, "[[node.choice]]\nid = \"leave\"\ntext = \"t\"\nskill = \"reflection\"\nfeedback = \"f\"\nnext = \"end\"\nwhen = {{ not_flags = [{}] }}\n\n", all.join(", "));
        for i in 0..flags {
            let _ = write!(out, "[[node.choice]]\nid = \"set-f{i}\"\ntext = \"t{i}\"\nskill = \"lecturing\"\nfeedback = \"f\"\nnext = \"hub\"\nset = [\"f{i}\"]\nwhen = {{ not_flags = [\"f{i}\"] }}\n\n");
        }
        ending(&mut out);
        out
    }

    /// `gates` gates, and `nodes` gated nodes naming gates that do not exist
    /// (each a search among all the gates, were it not for the budget).
    pub fn many_gates(gates: usize, nodes: usize) -> String {
        let mut out = String::new();
        head(&mut out);
        out.push_str("[thresholds.gates]\n");
        for i in 0..gates {
            let _ = writeln!(out, "gate{i:06} = 1");
        }
        out.push_str("\n[[node]]\nid = \"start\"\nsay = \"s\"\n\n[[node.choice]]\ntext = \"t\"\nskill = \"reflection\"\nfeedback = \"f\"\nnext = \"end\"\n\n");
        for i in 0..nodes {
            let _ = write!(out, "[[node]]\nid = \"n{i}\"\nsay = \"s\"\ngate = \"gat{i:06}\"\notherwise = \"start\"\n\n[[node.choice]]\ntext = \"t\"\nskill = \"reflection\"\nfeedback = \"f\"\nnext = \"end\"\n\n");
        }
        ending(&mut out);
        out
    }

    /// `n` nodes that nothing leads to.
    pub fn unreachable(n: usize) -> String {
        let mut out = String::new();
        head(&mut out);
        for i in 0..=n {
            let _ = write!(out, "[[node]]\nid = \"n{i}\"\nsay = \"s\"\n\n[[node.choice]]\ntext = \"t\"\nskill = \"reflection\"\nfeedback = \"f\"\nnext = \"end\"\n\n");
        }
        ending(&mut out);
        out
    }

    /// `n` gated nodes, each sending the peer on to the next: one long chain.
    pub fn gate_chain(n: usize) -> String {
        let mut out = String::new();
        head(&mut out);
        out.push_str("[thresholds.gates]\ng = 100\n\n[[node]]\nid = \"start\"\nsay = \"s\"\n\n[[node.choice]]\ntext = \"t\"\nskill = \"reflection\"\nfeedback = \"f\"\nnext = \"n0\"\n\n");
        for i in 0..n {
            let next = if i + 1 < n { format!("n{}", i + 1) } else { "start".into() };
            let _ = write!(out, "[[node]]\nid = \"n{i}\"\nsay = \"s\"\ngate = \"g\"\notherwise = \"{next}\"\n\n[[node.choice]]\ntext = \"t\"\nskill = \"reflection\"\nfeedback = \"f\"\nnext = \"end\"\n\n");
        }
        ending(&mut out);
        out
    }

    /// `n` choices that each need a flag nobody sets, beside 60 that are set.
    pub fn flag_typos(n: usize) -> String {
        let mut out = String::new();
        head(&mut out);
        out.push_str("[[node]]\nid = \"start\"\nsay = \"s\"\n\n[[node.choice]]\ntext = \"t\"\nskill = \"reflection\"\nfeedback = \"f\"\nnext = \"n0\"\nset = [");
        for i in 0..60 {
            let _ = write!(out, "\"felt-heard-{i}\",");
        }
        out.push_str("]\n\n");
        for i in 0..n / 30 {
            let _ = write!(out, "[[node]]\nid = \"n{i}\"\nsay = \"s\"\n\n");
            for j in 0..30 {
                let _ = write!(out, "[[node.choice]]\ntext = \"t\"\nskill = \"reflection\"\nfeedback = \"f\"\nnext = \"end\"\nwhen = {{ flags = [\"felt-herd-{}\"] }}\n\n", j % 3);
            }
        }
        ending(&mut out);
        out
    }

    /// 79 inline tables, each under a 79-part dotted key: 6,241 levels.
    pub fn deep() -> String {
        let key = vec!["k"; 79].join(".");
        format!("x = {}1{}\n", format!("{{ {key} = ").repeat(79), " }".repeat(79))
    }

    /// A file just over the size limit.
    pub fn too_large() -> String {
        let mut out = String::new();
        head(&mut out);
        while out.len() <= crate::scenario::MAX_SOURCE_BYTES {
            out.push_str("# padding\n");
        }
        out
    }
}
