//! `attunement play FILE`: a scenario played in the terminal, interactively
//! or from scripted picks (`--choices`) or the analysis's paths (`--auto`):
//! the peer's lines, the numbered choices, a trust meter, the feedback and
//! the debrief, or one JSON object at the end (`--format json`).

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::Arc;

use attunement::diagnostic::terminal_safe;
use attunement::hash::Rng;
use attunement::scenario::Scenario;
use attunement::{Mode, Session, View, analyze};
use serde_json::json;

use super::{Problem, SCENARIO_ERRORS, load};
use crate::Auto;

/// Plays `file` in `mode`: the picks of `choices` (at most one of `choices`
/// and `auto` is given), automatically, or interactively from stdin.
pub fn run(file: &str, json: bool, mode: Mode, choices: Option<&str>, auto: Option<Auto>, seed: u64) -> Result<ExitCode, Problem> {
    // A pick is a number as listed (1-based; the order follows the seed) or a
    // choice id, which does not depend on the seed.
    let picks: Option<Vec<&str>> = choices.map(|c| c.split(',').map(str::trim).filter(|p| !p.is_empty()).collect());
    if let Some(bad) = picks.iter().flatten().find(|p| p.parse::<usize>().is_ok_and(|n| n == 0)) {
        return Err(Problem(format!("`{bad}` in --choices is not a choice: numbers start at 1")));
    }
    let scenario = match load(file)? {
        Ok(s) => Arc::new(s),
        Err(code) => return Ok(code),
    };
    let mut session = Session::start(scenario.clone(), mode, seed);
    let mut out = Transcript { text: !json, mode };
    out.header(&scenario, mode);

    let result = match (&picks, auto) {
        (Some(picks), _) => {
            let mut result = Ok(());
            for &pick in picks {
                if session.is_ended() {
                    result = Err(Problem(format!("the conversation ended before pick `{pick}`: too many choices")));
                    break;
                }
                let view = session.view();
                out.view(&view);
                if view.stuck {
                    return Ok(stuck(&session));
                }
                let found = match pick.parse::<usize>() {
                    Ok(n) => view.choices.get(n - 1).map(|c| (n, c)),
                    Err(_) => view.choices.iter().enumerate().find(|(_, c)| c.id == pick).map(|(i, c)| (i + 1, c)),
                };
                let Some((number, choice)) = found else {
                    let ids: Vec<&str> = view.choices.iter().map(|c| c.id.as_str()).collect();
                    result = Err(Problem(format!("choice `{pick}` is not offered at turn {} (1 to {}, or one of {})", view.turn + 1, view.choices.len(), ids.join(", "))));
                    break;
                };
                out.say(&format!("> {number}\nYou: {}\n", choice.text));
                out.step(&session.choose(&choice.id).map_err(|e| Problem(e.to_string()))?);
            }
            result
        }
        (None, Some(auto)) => {
            let path = match auto {
                Auto::Best | Auto::Worst => {
                    // Checking found the best path already; the worst needs the full analysis.
                    let p = match (auto, scenario.best()) {
                        (Auto::Best, Some(best)) => Some(best.clone()),
                        (Auto::Best, None) => analyze(&scenario).best,
                        _ => analyze(&scenario).worst,
                    };
                    Some(p.ok_or_else(|| Problem("the scenario has no ending that can be reached".into()))?)
                }
                Auto::Random => None,
            };
            let mut rng = Rng::new(seed);
            // A cyclic scenario could go round forever at random; a bound keeps
            // the command finite.
            for turn in 0..10_000 {
                if session.is_ended() {
                    break;
                }
                let view = session.view();
                out.view(&view);
                if view.stuck {
                    return Ok(stuck(&session));
                }
                let order = session.order();
                let index = match &path {
                    Some(p) => p.steps[turn].1,
                    None => order[rng.below(order.len())],
                };
                let pick = order.iter().position(|&i| i == index).unwrap_or(0);
                out.say(&format!("> {}\nYou: {}\n", pick + 1, view.choices[pick].text));
                out.step(&session.choose(&view.choices[pick].id).map_err(|e| Problem(e.to_string()))?);
            }
            Ok(())
        }
        (None, None) => interactive(&mut session, &mut out),
    };
    result?;
    if session.view().stuck {
        return Ok(stuck(&session));
    }
    if session.is_ended() {
        out.view(&session.view());
        out.debrief(&session);
    } else {
        out.say("(the conversation has not ended)\n");
    }
    if json {
        let debrief = session.debrief().ok();
        let ending = debrief.as_ref().map(|d| json!({ "id": d.ending.id, "outcome": d.ending.outcome, "title": d.ending.title }));
        let value = json!({
            "scenario": scenario.meta().id,
            "mode": mode,
            "seed": seed,
            "ending": ending,
            "trust": session.state().trust,
            "turns": session.turns(),
            "save": session.save(),
            "debrief": debrief,
        });
        dataln!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
    }
    Ok(ExitCode::SUCCESS)
}

/// Says that the conversation cannot go on (see [`View::stuck`]); exit code 1,
/// since the scenario is at fault.
fn stuck(session: &Session) -> ExitCode {
    let (sc, state) = (session.scenario(), session.state());
    let node = state.node().map_or("?", |n| sc.nodes()[n].id.as_str());
    eprintln!(
        "error: the conversation is stuck at node `{}`: no choice is offered with trust {}; the scenario's analysis did not finish, so `attunement check` could not find this (W004)",
        terminal_safe(node),
        state.trust
    );
    ExitCode::from(SCENARIO_ERRORS)
}

fn interactive(session: &mut Session, out: &mut Transcript) -> Result<(), Problem> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    while !session.is_ended() {
        let view = session.view();
        out.view(&view);
        if view.stuck {
            return Ok(());
        }
        let undo = if view.can_undo { ", u to undo" } else { "" };
        out!("pick 1 to {}{undo}, q to quit: ", view.choices.len());
        std::io::stdout().flush().ok();
        let Some(Ok(line)) = lines.next() else { return Ok(()) };
        match line.trim() {
            "q" => return Ok(()),
            "u" => match session.undo() {
                Ok(()) => outln!("(took back the last choice)\n"),
                Err(e) => outln!("({e})\n"),
            },
            n => match n.parse::<usize>().ok().and_then(|n| view.choices.get(n.wrapping_sub(1))) {
                Some(c) => {
                    out.say(&format!("You: {}\n", c.text));
                    out.step(&session.choose(&c.id).map_err(|e| Problem(e.to_string()))?)
                }
                None => outln!("(type a number from 1 to {})\n", view.choices.len()),
            },
        }
    }
    Ok(())
}

/// Prints the conversation as text; silent in JSON mode.
struct Transcript {
    text: bool,
    mode: Mode,
}

impl Transcript {
    fn say(&mut self, s: &str) {
        if self.text {
            out!("{s}");
        }
    }

    fn header(&mut self, sc: &Scenario, mode: Mode) {
        self.say(&format!("{} ({})\n{}\n\n", sc.meta().title, mode.id(), sc.meta().summary));
    }

    fn view(&mut self, v: &View) {
        // A line that owns a sharp drop comes first, as part of what the peer says.
        let line: Vec<&str> = v.acknowledges.iter().chain(&v.say).map(|s| s.trim()).collect();
        if !line.is_empty() {
            self.say(&format!("{}: {}\n", v.peer, line.join(" ")));
        }
        if let Some(cue) = &v.cue {
            self.say(&format!("  ({cue})\n"));
        }
        let filled = v.trust.value as usize / 5;
        self.say(&format!("  Trust [{}{}] {}/{} {}, mood: {}\n", "#".repeat(filled), ".".repeat(20 - filled), v.trust.value, v.trust.max, v.trust.band.label(), v.mood_label));
        for (i, c) in v.choices.iter().enumerate() {
            self.say(&format!("  {}. {}\n", i + 1, c.text));
        }
    }

    fn step(&mut self, step: &attunement::Step) {
        let Some(t) = &step.explanation else {
            self.say("\n");
            return;
        };
        self.say(&format!("  You used {} ({}): trust {} -> {}\n", t.skill_label, t.kind.label(), t.trust_before, t.trust_after));
        self.say(&format!("    {:+} base effect for this peer\n", t.base));
        for m in &t.modifiers {
            self.say(&format!("    {:+} {}\n", m.amount, m.text));
        }
        if let Some(text) = t.ceiling_text {
            self.say(&format!("    {:+} {text}\n", t.ceiling));
        }
        for c in &t.consequences {
            let from = c.from_turn.map(|n| format!(" (from turn {n})")).unwrap_or_default();
            self.say(&format!("    {:+} later{from}: {}\n", c.amount, c.feedback.trim()));
        }
        if let Some(warning) = &t.warning {
            self.say(&format!("  ! {warning}\n"));
        }
        if let Some(f) = &t.feedback {
            self.say(&format!("  Feedback: {}\n", f.trim()));
        }
        self.say("\n");
    }

    fn debrief(&mut self, session: &Session) {
        let Ok(d) = session.debrief() else { return };
        self.say(&format!("\n== Ending: {} ({}) ==\n{}\n\n", d.ending.title, d.ending.outcome.id(), d.text.trim()));
        if let Some(n) = &d.next_time {
            self.say(&format!("Next time: {}\n\n", n.trim()));
        }
        self.say(&format!("Debrief ({})\n", self.mode.id()));
        let s = &d.score;
        self.say(&format!("  Score: {}/100, {} (pass: {} and an ending that connects); worth {:+} before bounds, best path {:+}\n", s.raw, if s.passed { "passed" } else { "not passed" }, s.pass, s.skill, s.best));
        if s.missed_safety_question {
            self.say("  Not passed whatever the score: the peer showed warning signs of suicide and nobody asked about safety.\n");
        }
        if !d.practise_next.is_empty() {
            self.say("  Practise next:\n");
            for p in &d.practise_next {
                self.say(&format!("    - {}\n", p.text));
            }
        }
        self.say(&format!("  Trust over time: {}\n", d.trust_over_time.iter().map(i32::to_string).collect::<Vec<_>>().join(" ")));
        self.say("  Skills used:\n");
        for s in &d.skills {
            self.say(&format!("    {:<36} x{}  worth {:+}, trust {:+}\n", s.label, s.count, s.worth, s.net));
        }
        let ratio = d.miti.reflection_to_question.map_or("n/a, no questions asked".to_string(), |r| format!("{r:.2}"));
        let share = match d.miti.complex_share {
            None => "n/a, no reflections".to_string(),
            Some(_) if d.miti.reflections < attunement::debrief::MIN_REFLECTIONS_TO_RATE => format!("{} of {}, too few to rate", d.miti.complex_reflections, d.miti.reflections),
            Some(s) => format!("{:.0}%", s * 100.0),
        };
        self.say(&format!("  MITI: reflections per question {ratio} (fair 1, good 2); complex reflections {share} (fair 40%, good 50%)\n"));
        let counts: Vec<String> = d.miti.counts.iter().filter(|c| c.count > 0).map(|c| format!("{} {}", c.label, c.count)).collect();
        self.say(&format!("  MITI counts: {}; MI-adherent {}, non-adherent {}\n", if counts.is_empty() { "none".to_string() } else { counts.join(", ") }, d.miti.adherent, d.miti.non_adherent));
        if self.mode == Mode::Assessment {
            self.say("  Your responses:\n");
            for t in &d.turns {
                self.say(&format!("    {}. {} ({}: {} -> {})\n", t.number, t.text, t.skill_label, t.trust_before, t.trust_after));
            }
        }
        self.say("  Key moments:\n");
        for m in &d.key_moments {
            self.say(&format!("    turn {} ({:+}): {}\n", m.turn, m.change, m.text));
            if let Some(f) = &m.feedback {
                self.say(&format!("      {}\n", f.trim()));
            }
        }
        if let Some(b) = &d.best_path {
            self.say(&format!("  Best path: trust {} ending in \"{}\"; yours: trust {}", b.best_trust, b.best_ending.title, b.learner_trust));
            match b.left_best_path_at {
                _ if b.on_best_path => self.say(", on a best path\n"),
                Some(t) => self.say(&format!(", leaving the best path at turn {t}\n")),
                None => self.say(", on the best path throughout\n"),
            }
        }
    }
}
