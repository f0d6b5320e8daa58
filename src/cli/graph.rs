//! `attunement graph FILE`: the scenario drawn as Graphviz `dot` or a
//! Mermaid flowchart, each choice coloured by its skill's kind (skill green,
//! neutral grey, roadblock red), gates dashed, endings by outcome.

use std::io::Write;
use std::process::ExitCode;

use attunement::scenario::Target;
use attunement::skill::Kind;

use super::{Problem, load};
use crate::GraphFormat;

pub fn run(file: &str, format: GraphFormat) -> Result<ExitCode, Problem> {
    let sc = match load(file)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let colour = |k: Kind| match k {
        Kind::Skill => "#1b7f3b",
        Kind::Neutral => "#5f6368",
        Kind::Roadblock => "#b3261e",
    };
    // `@back` is drawn as a node of its own: where it returns depends on the path.
    let target = |t: Target| match t {
        Target::Node(n) => sc.nodes()[n].id.clone(),
        Target::Ending(e) => sc.endings()[e].id.clone(),
        Target::Back => "@back".to_string(),
    };
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = String::new();
    match format {
        GraphFormat::Dot => {
            out.push_str(&format!("digraph \"{}\" {{\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"sans-serif\"];\n", quote(&sc.meta().id)));
            for n in sc.nodes() {
                out.push_str(&format!("  \"{}\";\n", quote(&n.id)));
                if let Some(g) = n.gate {
                    out.push_str(&format!("  \"{}\" -> \"{}\" [style=dashed, label=\"trust < {}\"];\n", quote(&n.id), quote(&sc.nodes()[g.otherwise].id), g.trust));
                }
            }
            for e in sc.endings() {
                out.push_str(&format!("  \"{}\" [shape=doubleoctagon, label=\"{}\\n({})\"];\n", quote(&e.id), quote(&e.id), e.outcome.id()));
            }
            if let Some(l) = sc.leaving() {
                out.push_str(&format!("  \"@back\" [shape=plaintext, label=\"back to where the talk was going\"];\n  \"{}\" [style=\"rounded,dashed\"];\n", quote(&sc.nodes()[l].id)));
            }
            for n in sc.nodes() {
                for c in &n.choices {
                    out.push_str(&format!("  \"{}\" -> \"{}\" [label=\"{}\", color=\"{}\", fontcolor=\"{}\"];\n", quote(&n.id), quote(&target(c.next)), c.skill, colour(c.skill.kind()), colour(c.skill.kind())));
                }
            }
            out.push_str("}\n");
        }
        GraphFormat::Mermaid => {
            // Mermaid ids must be plain; use positions and show the real ids as labels.
            let id = |t: Target| match t {
                Target::Node(n) => format!("n{n}"),
                Target::Ending(e) => format!("e{e}"),
                Target::Back => "back".to_string(),
            };
            out.push_str("flowchart TD\n");
            for (i, n) in sc.nodes().iter().enumerate() {
                out.push_str(&format!("  n{i}[\"{}\"]\n", n.id.replace('"', "#quot;")));
            }
            for (i, e) in sc.endings().iter().enumerate() {
                out.push_str(&format!("  e{i}([\"{} ({})\"])\n", e.id.replace('"', "#quot;"), e.outcome.id()));
            }
            if sc.leaving().is_some() {
                out.push_str("  back{{\"back to where the talk was going\"}}\n");
            }
            let mut styles = Vec::new();
            let mut edge = 0;
            for (i, n) in sc.nodes().iter().enumerate() {
                if let Some(g) = n.gate {
                    out.push_str(&format!("  n{i} -.->|\"trust < {}\"| n{}\n", g.trust, g.otherwise));
                    edge += 1;
                }
                for c in &n.choices {
                    out.push_str(&format!("  n{i} -->|{}| {}\n", c.skill, id(c.next)));
                    styles.push(format!("  linkStyle {edge} stroke:{}\n", colour(c.skill.kind())));
                    edge += 1;
                }
            }
            out.extend(styles);
        }
    }
    // A graph is data for Graphviz or Mermaid, written as it is.
    let _ = write!(std::io::stdout(), "{out}");
    Ok(ExitCode::SUCCESS)
}
