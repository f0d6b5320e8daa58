//! `attunement analyze FILE`: the whole state space of a scenario, as text or
//! JSON: which nodes and endings can be reached and with what trust, the
//! distress at each node, and the best and worst paths.

use std::process::ExitCode;

use attunement::analysis::{Analysis, Path};
use attunement::diagnostic::terminal_safe;
use attunement::scenario::Scenario;
use serde_json::json;

use super::{Problem, load, plural};

pub fn run(file: &str, json: bool) -> Result<ExitCode, Problem> {
    let sc = match load(file)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let a = attunement::analyze(&sc);
    if json {
        let nodes: Vec<_> = sc.nodes().iter().zip(&a.nodes).zip(&a.distress).map(|((n, r), d)| json!({ "id": n.id, "reachable": r.is_some(), "trust": r, "distress": d })).collect();
        let endings: Vec<_> = sc.endings().iter().zip(&a.endings).map(|(e, r)| json!({ "id": e.id, "outcome": e.outcome, "reachable": r.is_some(), "trust": r })).collect();
        let value = json!({
            "scenario": sc.meta().id,
            "states": a.states,
            "complete": a.complete(),
            "stopped": a.stopped,
            "nodes": nodes,
            "endings": endings,
            "best": a.best.as_ref().map(|p| path_json(&sc, p)),
            "worst": a.worst.as_ref().map(|p| path_json(&sc, p)),
        });
        dataln!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
    } else {
        print_analysis(&sc, &a);
    }
    Ok(ExitCode::SUCCESS)
}

fn path_json(sc: &Scenario, p: &Path) -> serde_json::Value {
    let e = &sc.endings()[p.ending];
    let steps: Vec<_> = p.steps.iter().map(|&(n, c)| json!({ "node": sc.nodes()[n].id, "choice": sc.nodes()[n].choices[c].id, "text": sc.nodes()[n].choices[c].text, "skill": sc.nodes()[n].choices[c].skill })).collect();
    json!({ "sum": p.sum, "trust": p.trust, "ending": { "id": e.id, "outcome": e.outcome }, "turns": p.steps.len(), "steps": steps })
}

fn print_analysis(sc: &Scenario, a: &Analysis) {
    let reached = a.nodes.iter().filter(|r| r.is_some()).count();
    outln!("{}: {} states explored{}", terminal_safe(&sc.meta().id), a.states, a.stopped.map(|l| format!(" (stopped: {})", l.describe())).unwrap_or_default());
    outln!("nodes: {reached} of {} reachable", sc.nodes().len());
    let width = sc.nodes().iter().map(|n| n.id.len()).chain(sc.endings().iter().map(|e| e.id.len())).max().unwrap_or(0);
    for ((n, r), d) in sc.nodes().iter().zip(&a.nodes).zip(&a.distress) {
        match (r, d) {
            (Some(r), Some(d)) => {
                let acute = match (sc.is_acute(d.min), sc.is_acute(d.max)) {
                    (true, _) => "  acute",
                    (false, true) => "  sometimes acute",
                    _ => "",
                };
                outln!("  {:<width$}  trust {:>3} to {:>3}  distress {:>3} to {:>3}{acute}", n.id, r.min, r.max, d.min, d.max)
            }
            _ => outln!("  {:<width$}  unreachable", n.id),
        }
    }
    outln!("endings:");
    for (e, r) in sc.endings().iter().zip(&a.endings) {
        match r {
            Some(r) => outln!("  {:<width$}  trust {:>3} to {:>3}  {}", e.id, r.min, r.max, e.outcome.id()),
            None => outln!("  {:<width$}  unreachable        {}", e.id, e.outcome.id()),
        }
    }
    for (name, p) in [("best", &a.best), ("worst", &a.worst)] {
        let Some(p) = p else { continue };
        let e = &sc.endings()[p.ending];
        outln!("{name} path: worth {:+} before bounds, final trust {}, ending `{}` ({}), {} turn{}", p.sum, p.trust, e.id, e.outcome.id(), p.steps.len(), plural(p.steps.len()));
        for (i, &(n, c)) in p.steps.iter().enumerate() {
            let ch = &sc.nodes()[n].choices[c];
            outln!("  {:>2}. [{}] {} ({})", i + 1, sc.nodes()[n].id, ch.text, ch.skill);
        }
    }
}
