//! The `attunement` command: check, play, analyze, graph, compile and package
//! scenarios (`library` for the browser, `scorm` for an LMS), and print the schema.
//!
//! A thin shell over the library: it reads files, parses arguments and prints.
//! Exit codes: 0 success, 1 the scenario has errors, 2 usage or I/O problems.

#![forbid(unsafe_code)]

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::sync::Arc;

use attunement::analysis::{Analysis, Path};
use attunement::diagnostic::{Diagnostic, MAX_RENDERED, Source, Span, terminal_safe};
use attunement::hash::Rng;
use attunement::scenario::{Format, Scenario, Target};
use attunement::skill::Kind;
use attunement::{Mode, Session, View, analyze, check};
use serde_json::json;

const USAGE: &str = "\
usage: attunement <command> [options]

commands:
  check FILE...            report every problem in the scenarios
  play FILE                play a scenario in the terminal
  analyze FILE             explore every state: reachability, trust ranges, best and worst paths
  graph FILE               draw the scenario (--format dot|mermaid)
  compile FILE [-o OUT]    write the compiled scenario the browser plays (FILE.attn)
  library DIR -o OUT       compile every scenario in DIR into OUT, with an index.json
  scorm FILE -o OUT.zip    build a SCORM package for a course site (assessment unless --mode)
  schema                   print the JSON Schema of the scenario format

options:
  --format text|json       output format (graph: dot|mermaid)
  --mode practice|assessment
  --choices 2,1,3          play these picks: numbers as listed, or choice ids
  --auto best|worst|random play automatically
  --seed N                 the order of choices, and --auto random
  --version 1.2|2004       the SCORM edition of a package (default 1.2)
";

struct Usage(String);

/// `print!` that ignores a closed pipe (`attunement analyze x | head`)
/// instead of panicking, and shows control characters from a scenario as
/// visible stand-ins, so no scenario text can drive the terminal.
macro_rules! out {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stdout(), "{}", terminal_safe(&format!($($arg)*)));
    }};
}

macro_rules! outln {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), "{}", terminal_safe(&format!($($arg)*)));
    }};
}

/// A line of output for programs (JSON, a compiled scenario, a graph), written
/// as it is: `terminal_safe` would change the data (JSON escapes what must be
/// escaped itself).
macro_rules! dataln {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(Usage(message)) => {
            eprintln!("error: {}", terminal_safe(&message));
            if message.starts_with("usage") || message.contains("command") {
                eprint!("\n{USAGE}");
            }
            ExitCode::from(2)
        }
    }
}

#[derive(Default)]
struct Options {
    files: Vec<String>,
    format: Option<String>,
    mode: Option<String>,
    choices: Option<String>,
    auto: Option<String>,
    seed: Option<String>,
    output: Option<String>,
    version: Option<String>,
}

fn parse(args: &[String]) -> Result<Options, Usage> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let slot = match name {
            "--format" => &mut o.format,
            "--mode" => &mut o.mode,
            "--choices" => &mut o.choices,
            "--auto" => &mut o.auto,
            "--seed" => &mut o.seed,
            "-o" | "--output" => &mut o.output,
            "--version" => &mut o.version,
            "-h" | "--help" => return Err(Usage("usage: see below".into())),
            _ if name.starts_with('-') && name.len() > 1 => return Err(Usage(format!("unknown option `{name}`"))),
            _ => {
                o.files.push(a.clone());
                continue;
            }
        };
        let value = inline.or_else(|| it.next().cloned()).ok_or_else(|| Usage(format!("option `{name}` needs a value")))?;
        *slot = Some(value);
    }
    Ok(o)
}

fn run(args: &[String]) -> Result<ExitCode, Usage> {
    let Some((command, rest)) = args.split_first() else {
        return Err(Usage("usage: a command is needed".into()));
    };
    let o = parse(rest)?;
    let json = match o.format.as_deref() {
        None | Some("text") => false,
        Some("json") => true,
        Some("dot" | "mermaid") if command == "graph" => false,
        Some(f) => return Err(Usage(format!("unknown format `{f}`; use text or json"))),
    };
    match command.as_str() {
        "check" => cmd_check(&o, json),
        "play" => cmd_play(&o, json),
        "analyze" => cmd_analyze(&o, json),
        "graph" => cmd_graph(&o),
        "compile" => cmd_compile(&o),
        "library" => cmd_library(&o),
        "scorm" => cmd_scorm(&o),
        "schema" => {
            dataln!("{}", serde_json::to_string_pretty(&attunement::scenario::syntax::schema()).unwrap_or_default());
            Ok(ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            out!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(Usage(format!("unknown command `{other}`"))),
    }
}

/// Reads a file as text. A file that is not UTF-8 comes back as a diagnostic
/// with the text decoded lossily, so the bad byte can still be shown; so does
/// one over the size limit (E023), read no further than the limit.
fn read(path: impl AsRef<std::path::Path>) -> Result<Result<String, (Diagnostic, String)>, Usage> {
    use std::io::Read;
    let path = path.as_ref();
    let cannot = |e: std::io::Error| Usage(format!("cannot read `{}`: {}", path.display(), e.to_string().to_lowercase()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(attunement::scenario::MAX_SOURCE_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() > attunement::scenario::MAX_SOURCE_BYTES {
        let len = std::fs::metadata(path).map_or(bytes.len(), |m| m.len() as usize);
        let d = attunement::scenario::too_large(len).unwrap_or_else(|| Diagnostic::error("E023", Span::default(), "the file is too large"));
        return Ok(Err((d, String::new())));
    }
    Ok(String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        // Lossy decoding keeps everything before the bad byte as it was.
        (Diagnostic::error("E001", Span::new(at, at + 1), "the file is not valid UTF-8 text").hint("save the file as UTF-8"), text)
    }))
}

fn one_file(o: &Options) -> Result<&str, Usage> {
    match &o.files[..] {
        [f] => Ok(f),
        [] => Err(Usage("usage: a scenario file is needed".into())),
        _ => Err(Usage("usage: give exactly one scenario file".into())),
    }
}

/// Loads a scenario, printing its diagnostics to stderr; `Err(1)` on errors.
fn load(path: &str) -> Result<Result<Scenario, ExitCode>, Usage> {
    Ok(load_as(path, |text, format| (check(text, format), Some(())))?.map(|(scenario, ())| scenario))
}

/// Loads a scenario and its compiled form, in one check.
fn load_compiled(path: &str) -> Result<Result<(Scenario, Vec<u8>), ExitCode>, Usage> {
    load_as(path, attunement::scenario::compile_report)
}

/// Reads a scenario and runs `run` on its text, printing the diagnostics to
/// stderr; `Err(1)` when it has errors.
fn load_as<T>(path: &str, run: impl FnOnce(&str, Format) -> (attunement::Report, Option<T>)) -> Result<Result<(Scenario, T), ExitCode>, Usage> {
    let text = match read(path)? {
        Ok(t) => t,
        Err((d, text)) => {
            eprint!("{}", Source::new(path, &text).render(&d));
            return Ok(Err(ExitCode::from(1)));
        }
    };
    let (report, extra) = run(&text, Format::from_path(path));
    eprint!("{}", Source::new(path, &text).render_all(&report.diagnostics));
    Ok(report.scenario.zip(extra).ok_or(ExitCode::from(1)))
}

fn cmd_check(o: &Options, json: bool) -> Result<ExitCode, Usage> {
    if o.files.is_empty() {
        return Err(Usage("usage: give at least one scenario file".into()));
    }
    let (mut errors, mut warnings, mut located, mut omitted) = (0, 0, Vec::new(), 0);
    let mut out = String::new();
    for path in &o.files {
        let (text, diagnostics) = match read(path)? {
            Ok(text) => {
                let d = check(&text, Format::from_path(path)).diagnostics;
                (text, d)
            }
            Err((d, text)) => (text, vec![d]),
        };
        let source = Source::new(path, &text);
        for (i, d) in diagnostics.iter().enumerate() {
            if d.is_error() { errors += 1 } else { warnings += 1 }
            if i < MAX_RENDERED {
                located.push(source.locate(d));
            } else {
                omitted += 1;
            }
        }
        if !json {
            out.push_str(&source.render_all(&diagnostics));
        }
    }
    if json {
        // Like the text, at most MAX_RENDERED diagnostics a file; `omitted` counts the rest.
        dataln!("{}", json!({ "errors": errors, "warnings": warnings, "diagnostics": located, "omitted": omitted }));
    } else {
        out!("{out}");
        let files = o.files.len();
        outln!("{} file{} checked: {errors} error{}, {warnings} warning{}", files, plural(files), plural(errors), plural(warnings));
    }
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn cmd_play(o: &Options, json: bool) -> Result<ExitCode, Usage> {
    let path = one_file(o)?;
    let mode = match o.mode.as_deref() {
        None => Mode::Practice,
        Some(m) => Mode::from_id(m).ok_or_else(|| Usage(format!("unknown mode `{m}`; use practice or assessment")))?,
    };
    let seed = match &o.seed {
        None => 1,
        Some(s) => s.parse().map_err(|_| Usage(format!("seed `{s}` is not a whole number")))?,
    };
    // A pick is a number as listed (1-based; the order follows the seed) or a
    // choice id, which does not depend on the seed.
    let picks: Option<Vec<&str>> = o.choices.as_ref().map(|c| c.split(',').map(str::trim).filter(|p| !p.is_empty()).collect());
    if let Some(bad) = picks.iter().flatten().find(|p| p.parse::<usize>().is_ok_and(|n| n == 0)) {
        return Err(Usage(format!("`{bad}` in --choices is not a choice: numbers start at 1")));
    }
    if picks.is_some() && o.auto.is_some() {
        return Err(Usage("use --choices or --auto, not both".into()));
    }
    let scenario = match load(path)? {
        Ok(s) => Arc::new(s),
        Err(code) => return Ok(code),
    };
    let mut session = Session::start(scenario.clone(), mode, seed);
    let mut out = Transcript { text: !json, mode };
    out.header(&scenario, mode);

    let result = match (&picks, o.auto.as_deref()) {
        (Some(picks), None) => {
            let mut result = Ok(());
            for &pick in picks {
                if session.is_ended() {
                    result = Err(Usage(format!("the conversation ended before pick `{pick}`: too many choices")));
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
                    result = Err(Usage(format!("choice `{pick}` is not offered at turn {} (1 to {}, or one of {})", view.turn + 1, view.choices.len(), ids.join(", "))));
                    break;
                };
                out.say(&format!("> {number}\nYou: {}\n", choice.text));
                out.step(&session.choose(&choice.id).map_err(|e| Usage(e.to_string()))?);
            }
            result
        }
        (None, Some(auto)) => {
            let path = match auto {
                "best" | "worst" => {
                    // Checking found the best path already; the worst needs the full analysis.
                    let p = match (auto, &scenario.best) {
                        ("best", Some(best)) => Some(best.clone()),
                        ("best", None) => analyze(&scenario).best,
                        _ => analyze(&scenario).worst,
                    };
                    Some(p.ok_or_else(|| Usage("the scenario has no ending that can be reached".into()))?)
                }
                "random" => None,
                other => return Err(Usage(format!("unknown --auto `{other}`; use best, worst or random"))),
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
                out.step(&session.choose(&view.choices[pick].id).map_err(|e| Usage(e.to_string()))?);
            }
            Ok(())
        }
        (None, None) => interactive(&mut session, &mut out),
        (Some(_), Some(_)) => unreachable!(),
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
            "scenario": scenario.meta.id,
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
    let node = state.node().map_or("?", |n| sc.nodes[n].id.as_str());
    eprintln!(
        "error: the conversation is stuck at node `{}`: no choice is offered with trust {}; the scenario's analysis did not finish, so `attunement check` could not find this (W004)",
        terminal_safe(node),
        state.trust
    );
    ExitCode::from(1)
}

fn interactive(session: &mut Session, out: &mut Transcript) -> Result<(), Usage> {
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
                    out.step(&session.choose(&c.id).map_err(|e| Usage(e.to_string()))?)
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
        self.say(&format!("{} ({})\n{}\n\n", sc.meta.title, mode.id(), sc.meta.summary));
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

fn cmd_analyze(o: &Options, json: bool) -> Result<ExitCode, Usage> {
    let path = one_file(o)?;
    let sc = match load(path)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let a = analyze(&sc);
    if json {
        let nodes: Vec<_> = sc.nodes.iter().zip(&a.nodes).zip(&a.distress).map(|((n, r), d)| json!({ "id": n.id, "reachable": r.is_some(), "trust": r, "distress": d })).collect();
        let endings: Vec<_> = sc.endings.iter().zip(&a.endings).map(|(e, r)| json!({ "id": e.id, "outcome": e.outcome, "reachable": r.is_some(), "trust": r })).collect();
        let value = json!({
            "scenario": sc.meta.id,
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
    let e = &sc.endings[p.ending];
    let steps: Vec<_> = p.steps.iter().map(|&(n, c)| json!({ "node": sc.nodes[n].id, "choice": sc.nodes[n].choices[c].id, "text": sc.nodes[n].choices[c].text, "skill": sc.nodes[n].choices[c].skill })).collect();
    json!({ "sum": p.sum, "trust": p.trust, "ending": { "id": e.id, "outcome": e.outcome }, "turns": p.steps.len(), "steps": steps })
}

fn print_analysis(sc: &Scenario, a: &Analysis) {
    let reached = a.nodes.iter().filter(|r| r.is_some()).count();
    outln!("{}: {} states explored{}", terminal_safe(&sc.meta.id), a.states, a.stopped.map(|l| format!(" (stopped: {})", l.describe())).unwrap_or_default());
    outln!("nodes: {reached} of {} reachable", sc.nodes.len());
    let width = sc.nodes.iter().map(|n| n.id.len()).chain(sc.endings.iter().map(|e| e.id.len())).max().unwrap_or(0);
    for ((n, r), d) in sc.nodes.iter().zip(&a.nodes).zip(&a.distress) {
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
    for (e, r) in sc.endings.iter().zip(&a.endings) {
        match r {
            Some(r) => outln!("  {:<width$}  trust {:>3} to {:>3}  {}", e.id, r.min, r.max, e.outcome.id()),
            None => outln!("  {:<width$}  unreachable        {}", e.id, e.outcome.id()),
        }
    }
    for (name, p) in [("best", &a.best), ("worst", &a.worst)] {
        let Some(p) = p else { continue };
        let e = &sc.endings[p.ending];
        outln!("{name} path: worth {:+} before bounds, final trust {}, ending `{}` ({}), {} turn{}", p.sum, p.trust, e.id, e.outcome.id(), p.steps.len(), plural(p.steps.len()));
        for (i, &(n, c)) in p.steps.iter().enumerate() {
            let ch = &sc.nodes[n].choices[c];
            outln!("  {:>2}. [{}] {} ({})", i + 1, sc.nodes[n].id, ch.text, ch.skill);
        }
    }
}

fn cmd_graph(o: &Options) -> Result<ExitCode, Usage> {
    let path = one_file(o)?;
    let sc = match load(path)? {
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
        Target::Node(n) => sc.nodes[n].id.clone(),
        Target::Ending(e) => sc.endings[e].id.clone(),
        Target::Back => "@back".to_string(),
    };
    let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = String::new();
    match o.format.as_deref().unwrap_or("dot") {
        "dot" => {
            out.push_str(&format!("digraph \"{}\" {{\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"sans-serif\"];\n", quote(&sc.meta.id)));
            for n in &sc.nodes {
                out.push_str(&format!("  \"{}\";\n", quote(&n.id)));
                if let Some(g) = n.gate {
                    out.push_str(&format!("  \"{}\" -> \"{}\" [style=dashed, label=\"trust < {}\"];\n", quote(&n.id), quote(&sc.nodes[g.otherwise].id), g.trust));
                }
            }
            for e in &sc.endings {
                out.push_str(&format!("  \"{}\" [shape=doubleoctagon, label=\"{}\\n({})\"];\n", quote(&e.id), quote(&e.id), e.outcome.id()));
            }
            if let Some(l) = sc.leaving {
                out.push_str(&format!("  \"@back\" [shape=plaintext, label=\"back to where the talk was going\"];\n  \"{}\" [style=\"rounded,dashed\"];\n", quote(&sc.nodes[l].id)));
            }
            for n in &sc.nodes {
                for c in &n.choices {
                    out.push_str(&format!("  \"{}\" -> \"{}\" [label=\"{}\", color=\"{}\", fontcolor=\"{}\"];\n", quote(&n.id), quote(&target(c.next)), c.skill, colour(c.skill.kind()), colour(c.skill.kind())));
                }
            }
            out.push_str("}\n");
        }
        "mermaid" => {
            // Mermaid ids must be plain; use positions and show the real ids as labels.
            let id = |t: Target| match t {
                Target::Node(n) => format!("n{n}"),
                Target::Ending(e) => format!("e{e}"),
                Target::Back => "back".to_string(),
            };
            out.push_str("flowchart TD\n");
            for (i, n) in sc.nodes.iter().enumerate() {
                out.push_str(&format!("  n{i}[\"{}\"]\n", n.id.replace('"', "#quot;")));
            }
            for (i, e) in sc.endings.iter().enumerate() {
                out.push_str(&format!("  e{i}([\"{} ({})\"])\n", e.id.replace('"', "#quot;"), e.outcome.id()));
            }
            if sc.leaving.is_some() {
                out.push_str("  back{{\"back to where the talk was going\"}}\n");
            }
            let mut styles = Vec::new();
            let mut edge = 0;
            for (i, n) in sc.nodes.iter().enumerate() {
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
        other => return Err(Usage(format!("unknown graph format `{other}`; use dot or mermaid"))),
    }
    // A graph is data for Graphviz or Mermaid, written as it is.
    let _ = write!(std::io::stdout(), "{out}");
    Ok(ExitCode::SUCCESS)
}

fn cmd_compile(o: &Options) -> Result<ExitCode, Usage> {
    let path = one_file(o)?;
    let bytes = match load_compiled(path)? {
        Ok((_, bytes)) => bytes,
        Err(code) => return Ok(code),
    };
    // The compiled form is binary: beside the source by default, to standard
    // output only when asked with `-o -` and never onto a terminal.
    let out = o.output.clone().unwrap_or_else(|| std::path::Path::new(path).with_extension(attunement::compiled::EXTENSION).to_string_lossy().into_owned());
    if out == "-" {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() {
            return Err(Usage("compile writes a binary file: give `-o FILE.attn`, or redirect standard output".into()));
        }
        let _ = std::io::stdout().write_all(&bytes);
    } else {
        std::fs::write(&out, &bytes).map_err(|e| Usage(format!("cannot write `{out}`: {}", e.to_string().to_lowercase())))?;
        eprintln!("compile: wrote {out} ({} bytes)", bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}

/// Compiles a folder of scenarios for the browser: `OUT/ID.attn` for each,
/// a copy of each source (for authors' previews), and `OUT/index.json`
/// listing them for the library page. A scenario's file name must be its id.
///
/// Nothing is skipped silently and nothing is lost: a file that cannot be
/// read or has errors gets its diagnostics and is left out (exit code 1)
/// while the others still build, a file that is not a scenario is named as
/// skipped, and the new library is written beside OUT and moved into place
/// only once it is complete, so a failure leaves the old one as it was.
fn cmd_library(o: &Options) -> Result<ExitCode, Usage> {
    let dir = one_file(o)?;
    let out = o.output.as_deref().ok_or_else(|| Usage("usage: library DIR -o OUT".into()))?;
    let io = |what: &str, path: &std::path::Path, e: std::io::Error| Usage(format!("cannot {what} `{}`: {}", path.display(), e.to_string().to_lowercase()));
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io("read", std::path::Path::new(dir), e))?
        .map(|entry| entry.map(|e| e.path()).map_err(|e| io("read", std::path::Path::new(dir), e)))
        .collect::<Result<_, _>>()?;
    paths.sort();
    let out = library_target(std::path::Path::new(out))?;
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("library").to_string();
    let staging = Staging(out.with_file_name(format!(".{name}.building-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&staging.0);
    std::fs::create_dir_all(&staging.0).map_err(|e| io("create", &staging.0, e))?;
    let (index, failed) = library_into(&paths, &staging.0, &io)?;
    // Swap the new library in: the old one is removed only once the new one
    // stands in its place (for the moment between the two renames, OUT is
    // absent; a server sees the old library or the new, never half of one).
    let old = out.with_file_name(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        std::fs::rename(&out, &old).map_err(|e| io("replace", &out, e))?;
    }
    if let Err(e) = std::fs::rename(&staging.0, &out) {
        let _ = std::fs::rename(&old, &out);
        return Err(io("replace", &out, e));
    }
    let _ = std::fs::remove_dir_all(&old);
    let summary = if failed.is_empty() {
        String::new()
    } else {
        format!("; left out, with errors: {}", failed.join(", "))
    };
    eprintln!("library: {} scenario{} compiled into {}{}", index, plural(index), out.display(), terminal_safe(&summary));
    Ok(if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A staging folder, removed when dropped unless it was moved into place.
struct Staging(std::path::PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The folder a library goes to, with links and `.` or `..` resolved, so the
/// swap renames the real folder; a file there, or no folder name at all
/// (`/`), is a usage error.
fn library_target(out: &std::path::Path) -> Result<std::path::PathBuf, Usage> {
    let absolute = if out.exists() {
        if !out.is_dir() {
            return Err(Usage(format!("`{}` exists and is not a folder: name a folder for the library", out.display())));
        }
        std::fs::canonicalize(out).map_err(|e| Usage(format!("cannot read `{}`: {}", out.display(), e.to_string().to_lowercase())))?
    } else {
        let absolute = std::path::absolute(out).map_err(|e| Usage(format!("cannot use `{}`: {}", out.display(), e.to_string().to_lowercase())))?;
        let (parent, name) = (absolute.parent().map(std::path::Path::to_path_buf), absolute.file_name().map(std::ffi::OsStr::to_os_string));
        match (parent, name) {
            (Some(parent), Some(name)) if parent.is_dir() => std::fs::canonicalize(&parent).map(|p| p.join(name)).unwrap_or(absolute),
            _ => absolute,
        }
    };
    if absolute.file_name().is_none() {
        return Err(Usage(format!("`{}` is not a folder the library can be written to", out.display())));
    }
    Ok(absolute)
}

/// Builds the library of `paths` into the folder `out`; returns how many
/// scenarios it holds and the files left out for their errors.
fn library_into(paths: &[std::path::PathBuf], out: &std::path::Path, io: &dyn Fn(&str, &std::path::Path, std::io::Error) -> Usage) -> Result<(usize, Vec<String>), Usage> {
    let (mut index, mut failed) = (Vec::new(), Vec::new());
    let mut ids: Vec<(String, String)> = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("toml" | "json")) {
            eprintln!("library: skipped {}: not a .toml or .json scenario", terminal_safe(&name));
            continue;
        }
        // A link that leads nowhere, a folder or a pipe named like a scenario
        // is a problem with that file, not with the library.
        if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
            eprintln!("{}: error: not a file that can be read (a folder, a pipe, or a link to nothing)", terminal_safe(&name));
            failed.push(name);
            continue;
        }
        let text = match read(path) {
            Ok(Ok(text)) => text,
            Ok(Err((d, text))) => {
                eprint!("{}", Source::new(&name, &text).render(&d));
                failed.push(name);
                continue;
            }
            Err(Usage(why)) => {
                eprintln!("{}: error: {}", terminal_safe(&name), terminal_safe(&why));
                failed.push(name);
                continue;
            }
        };
        let format = Format::from_path(&name);
        let (report, compiled) = attunement::scenario::compile_report(&text, format);
        eprint!("{}", Source::new(&name, &text).render_all(&report.diagnostics));
        let (Some(sc), Some(compiled)) = (report.scenario, compiled) else {
            failed.push(name);
            continue;
        };
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if stem != sc.meta.id {
            eprintln!("{}: error: the file name must be the scenario's id: rename it to `{}.{}`", terminal_safe(&name), sc.meta.id, path.extension().and_then(|e| e.to_str()).unwrap_or("toml"));
            failed.push(name);
            continue;
        }
        if let Some((_, first)) = ids.iter().find(|(id, _)| *id == sc.meta.id) {
            eprintln!("{}: error: scenario `{}` is also in {}: keep one of the two", terminal_safe(&name), sc.meta.id, terminal_safe(first));
            failed.push(name);
            continue;
        }
        ids.push((sc.meta.id.clone(), name));
        let target = out.join(format!("{}.{}", sc.meta.id, attunement::compiled::EXTENSION));
        std::fs::write(&target, &compiled).map_err(|e| io("write", &target, e))?;
        if format == Format::Toml {
            let copy = out.join(format!("{}.toml", sc.meta.id));
            std::fs::write(&copy, &text).map_err(|e| io("write", &copy, e))?;
        }
        let key = (sc.meta.level, sc.meta.order.unwrap_or(u32::MAX), sc.meta.title.clone(), sc.meta.id.clone());
        index.push((key, json!({
            "id": sc.meta.id,
            "title": sc.meta.title,
            "summary": sc.meta.summary,
            "language": sc.meta.language,
            "minutes": sc.meta.minutes,
            "level": sc.meta.level,
            "order": sc.meta.order,
            "content_notes": sc.meta.content_notes,
            "peer": sc.peer.name,
            "src": format!("{}.{}", sc.meta.id, attunement::compiled::EXTENSION),
        })));
    }
    // The suggested path: introductory first, then intermediate, then
    // advanced; within a level by the author's order (those without one
    // last), then by title.
    index.sort_by(|a, b| a.0.cmp(&b.0));
    let index: Vec<serde_json::Value> = index.into_iter().map(|(_, entry)| entry).collect();
    // The index lists the scenarios that compiled; the exit code still says
    // that some did not.
    let target = out.join("index.json");
    let text = serde_json::to_string_pretty(&json!({ "scenarios": index })).unwrap_or_default();
    std::fs::write(&target, text + "\n").map_err(|e| io("write", &target, e))?;
    Ok((index.len(), failed))
}

/// Builds a SCORM package: the scenario (checked, then compiled), the learner's widget
/// from www/ (its engine built by scripts/build-web.sh) and the manifest, in one zip.
/// `ATTUNEMENT_WWW` names another www/ folder. The mode defaults to assessment.
fn cmd_scorm(o: &Options) -> Result<ExitCode, Usage> {
    use attunement::scorm::{self, Version};
    let path = one_file(o)?;
    let out = o.output.as_deref().ok_or_else(|| Usage("usage: scorm FILE -o PACKAGE.zip [--version 1.2|2004]".into()))?;
    let version = match o.version.as_deref() {
        None => Version::Scorm12,
        Some(v) => Version::from_id(v).ok_or_else(|| Usage(format!("unknown SCORM version `{v}`; use 1.2 or 2004")))?,
    };
    let mode = match o.mode.as_deref() {
        None => Mode::Assessment,
        Some(m) => Mode::from_id(m).ok_or_else(|| Usage(format!("unknown mode `{m}`; use practice or assessment")))?,
    };
    let (scenario, compiled) = match load_compiled(path)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let www = std::env::var_os("ATTUNEMENT_WWW").map_or_else(|| std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/www")), std::path::PathBuf::from);
    let mut widget = Vec::new();
    for name in scorm::WIDGET_FILES {
        let file = www.join(name);
        match std::fs::read(&file) {
            Ok(bytes) => widget.push((name, bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && scorm::is_built(name) => {
                return Err(Usage(format!("`{}` is missing: build the widget first with `bash scripts/build-web.sh`", file.display())));
            }
            Err(e) => return Err(Usage(format!("cannot read `{}`: {}", file.display(), e.to_string().to_lowercase()))),
        }
    }
    let zip = scorm::package(&scenario, &compiled, mode, version, &widget);
    std::fs::write(out, &zip).map_err(|e| Usage(format!("cannot write `{out}`: {}", e.to_string().to_lowercase())))?;
    eprintln!("scorm: wrote {out} (SCORM {}, scenario `{}`, {} KB)", version.id(), scenario.meta.id, zip.len().div_ceil(1024));
    Ok(ExitCode::SUCCESS)
}
