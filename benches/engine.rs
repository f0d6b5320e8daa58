//! Engine benchmarks on generated scenarios: they print numbers and assert nothing about time.
//!
//! `cargo bench --bench engine` measures, for generated scenarios of 100, 1,000
//! and 10,000 nodes, parse and validate from TOML, reading the compiled form (the learner's load), one learner
//! step (choose and view), save and restore, and the state-space analysis,
//! with peak heap use counted by a wrapper around the system allocator, and
//! how long checking takes to refuse each of the hostile files of
//! `generate::hostile`. Each
//! timing is taken several times and the median and minimum are printed,
//! beside the targets they are meant to be read against. Without `--bench`
//! (as under `cargo test --all-targets`) it runs one quick pass on 100 nodes,
//! so the file keeps compiling and running without slowing the test suite.
//!
//! Plain std only: no benchmark framework. The counting allocator is
//! `tests/support/counting.rs`, shared with the tests that bound memory.

#[path = "../tests/support/counting.rs"]
mod counting;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use attunement::scenario::Playable;
use attunement::generate::{self, Shape};
use attunement::checking::compile;
use attunement::{Format, Mode, Scenario, Session, View, analyze, check};

/// How hard to measure: a full run under `cargo bench`, a smoke run otherwise.
#[derive(Clone, Copy)]
struct Plan {
    sizes: &'static [usize],
    /// Also measure the richer shape (flags, gates, distress) at each size.
    rich: bool,
    min_samples: usize,
    max_samples: usize,
    /// Stop sampling once this much time went by and `min_samples` are taken.
    budget: Duration,
    /// Steps per timed sample of the step benchmark.
    steps: usize,
}

const FULL: Plan = Plan { sizes: &[100, 1_000, 10_000], rich: true, min_samples: 3, max_samples: 11, budget: Duration::from_millis(1500), steps: 2_000 };
const SMOKE: Plan = Plan { sizes: &[100], rich: false, min_samples: 1, max_samples: 1, budget: Duration::ZERO, steps: 50 };

const SEED: u64 = 1;

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let plan = if full { FULL } else { SMOKE };
    if !full {
        println!("smoke run (pass --bench, as `cargo bench` does, for the full run)");
    }

    let mut cases = Vec::new();
    for &n in plan.sizes {
        cases.push(Case::new("plain", Shape::new(n)));
        if plan.rich {
            cases.push(Case::new("rich", rich(n)));
        }
    }

    println!();
    println!("shapes: plain = Shape::new(n) (max_choices 3); rich = plain + flags 2, gates, distress; seed {SEED}");
    println!("timings: median (min) over the samples taken; every allocation goes through a counting allocator");
    println!();
    parse_table(&plan, &mut cases);
    println!();
    analysis_table(&plan, &cases);
    println!();
    play_table(&plan, &cases);
    println!();
    cyclic_save(&plan, if full { rich(100) } else { Shape { cycles: true, ..Shape::new(100) } });
    println!();
    hostile_table(&plan);
    println!();
    coder_table(&plan);
}

/// The reply coder (data/coder.bin) on the project's held-out replies: one reply coded, and one
/// reply coded and matched to the choices on offer at first-meeting's first turn. Target: under 1 ms.
fn coder_table(plan: &Plan) {
    use attunement::coder::{Coder, train};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let coder = Coder::read(&std::fs::read(root.join("data/coder.bin")).expect("data/coder.bin")).expect("the model reads");
    let replies: Vec<String> = train::read_dir(&root.join("data/replies")).expect("the replies read").into_iter().filter(|e| e.split() == train::Split::Test).map(|e| e.text).collect();
    let replies = &replies[..replies.len().min(if plan.rich { replies.len() } else { 50 })];
    let scenario = Arc::new(check(&std::fs::read_to_string(root.join("scenarios/first-meeting.toml")).unwrap(), Format::Toml).scenario.expect("first-meeting checks"));
    let session = Session::start(scenario, Mode::Practice, SEED);
    println!("reply coder: data/coder.bin on {} held-out replies; target: under 1 ms a reply", replies.len());
    let (code, _) = measure(plan, || replies.iter().map(|r| coder.code(black_box(r)).confidence).sum::<f64>());
    let (reply, _) = measure(plan, || replies.iter().filter(|r| session.reply(&coder, black_box(r)).taken.is_some()).count());
    println!("  code one reply {:>21} | code and match to first-meeting's first choices {:>21} | {} samples", code.per(replies.len()).timing(), reply.per(replies.len()).timing(), code.samples);
}

/// The hardening probes' hostile files (`generate::hostile`): how long
/// `check` takes to refuse each, and its peak heap. Meant to be read against
/// "about a second at most" (issues 8 and 15).
fn hostile_table(plan: &Plan) {
    println!("hostile input: checking::check on generate::hostile's files; meant to refuse each within about a second");
    println!("{:<22} {:>10} | {:>21} {:>10} | {:<28} | {:>7}", "file", "size", "time", "peak heap", "first diagnostic", "samples");
    for (name, text) in generate::hostile::all() {
        let (m, report) = measure(plan, || check(&text, Format::from_path(name)));
        let first = report.diagnostics.first().map_or("none".to_string(), |d| format!("{} ({} in all)", d.code, thousands(report.diagnostics.len())));
        println!("{:<22} {:>10} | {:>21} {:>10} | {:<28} | {:>7}", name, bytes(text.len()), m.timing(), bytes(m.peak), first, m.samples);
    }
}

fn rich(n: usize) -> Shape {
    Shape { flags: 2, gates: true, distress: true, ..Shape::new(n) }
}

/// One generated scenario in both source formats, and its checked form.
struct Case {
    name: &'static str,
    shape: Shape,
    toml: String,
    scenario: Option<Arc<Playable>>,
}

impl Case {
    fn new(name: &'static str, shape: Shape) -> Case {
        Case { name, shape, toml: generate::scenario(SEED, &shape), scenario: None }
    }
}

fn parse_table(plan: &Plan, cases: &mut [Case]) {
    println!("parse and validate: checking::check (includes the analysis); target: 1,000 nodes under 20 ms; and compiled::read of what compile writes (the learner's load)");
    println!(
        "{:>6} {:<5} | {:>9} {:>21} {:>10} | {:>9} {:>21} {:>10} | {:>7}",
        "nodes", "shape", "toml", "check toml", "peak heap", "attn", "read attn", "peak heap", "samples"
    );
    for case in cases {
        let (toml, report) = measure(plan, || check(black_box(&case.toml), Format::Toml));
        let errors: Vec<String> = report.errors().map(|d| d.message.clone()).collect();
        assert!(errors.is_empty(), "generated scenario {:?} has errors: {errors:?}", case.shape);
        let warnings: Vec<String> = report.diagnostics.iter().map(|d| d.message.clone()).collect();
        case.scenario = report.scenario.map(Arc::new);
        // A scenario whose analysis stopped is not compiled (E025).
        let json_row = match compile(&case.toml, Format::Toml) {
            Ok(compiled) => {
                let (read, result) = measure(plan, || attunement::compiled::read(black_box(&compiled)));
                assert!(result.is_ok(), "the compiled form of {:?} does not read: {:?}", case.shape, result.err());
                (bytes(compiled.len()), read.timing(), bytes(read.peak), read.samples.to_string())
            }
            Err(_) => ("-".into(), "not compiled (E025)".into(), "-".into(), "-".into()),
        };
        println!(
            "{:>6} {:<5} | {:>9} {:>21} {:>10} | {:>9} {:>21} {:>10} | {:>3}/{:<3}",
            case.shape.nodes,
            case.name,
            bytes(case.toml.len()),
            toml.timing(),
            bytes(toml.peak),
            json_row.0,
            json_row.1,
            json_row.2,
            toml.samples,
            json_row.3,
        );
        for w in warnings {
            println!("{:>14} note: {w}", "");
        }
    }
}

fn analysis_table(plan: &Plan, cases: &[Case]) {
    println!("analysis: analyze(&scenario); target: 10,000 nodes under 1 s");
    println!("{:>6} {:<5} | {:>21} {:>10} {:>9} {:>10} | {:>7}", "nodes", "shape", "time", "states", "complete", "peak heap", "samples");
    for case in cases {
        let Some(sc) = &case.scenario else { continue };
        let (m, a) = measure(plan, || analyze(black_box(sc)));
        println!(
            "{:>6} {:<5} | {:>21} {:>10} {:>9} {:>10} | {:>7}",
            case.shape.nodes,
            case.name,
            m.timing(),
            thousands(a.states),
            if a.complete() { "yes" } else { "capped" },
            bytes(m.peak),
            m.samples
        );
    }
}

fn play_table(plan: &Plan, cases: &[Case]) {
    println!("play (practice mode): one step = choose + view, playing the first displayed choice and restarting (untimed) at endings; target: under 10 us");
    println!("save/restore: a session played to its end by the first displayed choice (first), and by the spine choice (spine: the longest)");
    println!(
        "{:>6} {:<5} | {:>21} {:>9} | {:<5} {:>6} {:>21} {:>7} {:>21} | {:>7}",
        "nodes", "shape", "step", "avg turns", "walk", "turns", "save", "length", "restore", "samples"
    );
    for case in cases {
        let Some(sc) = &case.scenario else { continue };
        let mut walker = Walker::new(sc.clone());
        // Each sample times `plan.steps` steps; restarts are left out of the time.
        let mut timed = Vec::new();
        let (mut step, ()) = measure(plan, || {
            let mut spent = Duration::ZERO;
            for _ in 0..plan.steps {
                spent += walker.step();
            }
            timed.push(spent);
        });
        timed.sort();
        (step.median, step.min) = (timed[timed.len() / 2], timed[0]);
        let step = step.per(plan.steps);
        let avg = walker.turns as f64 / walker.sessions.max(1) as f64;
        let mut first = true;
        for (walk, session) in [("first", play_first(sc)), ("spine", play_spine(sc))] {
            let (save, text) = measure(plan, || session.save());
            let (restore, restored) = measure(plan, || Session::restore(sc.clone(), black_box(&text), Mode::Practice));
            let restored = restored.expect("a fresh save restores");
            assert!(restored.notice.is_none() && restored.session.state() == session.state(), "restore changed the {walk} session");
            let (lead, step_col, avg_col) = if first {
                (format!("{:>6} {:<5}", case.shape.nodes, case.name), step.timing(), format!("{avg:.1}"))
            } else {
                (format!("{:>6} {:<5}", "", ""), String::new(), String::new())
            };
            first = false;
            println!(
                "{lead} | {step_col:>21} {avg_col:>9} | {walk:<5} {:>6} {:>21} {:>7} {:>21} | {:>3}/{:<3}",
                session.turns().len(),
                save.timing(),
                text.len(),
                restore.timing(),
                save.samples,
                restore.samples
            );
        }
    }
}

/// A long session on a cyclic scenario: the length of a 100-turn save, the
/// figure that must stay under SCORM 1.2's 4,096 characters.
fn cyclic_save(plan: &Plan, shape: Shape) {
    let shape = Shape { cycles: true, ..shape };
    let text = generate::scenario(SEED, &shape);
    let sc = Arc::new(Scenario::parse(&text, Format::Toml).expect("a generated scenario checks"));
    let session = play_long(&sc, 100);
    let (save, text) = measure(plan, || session.save());
    let (restore, restored) = measure(plan, || Session::restore(sc.clone(), black_box(&text), Mode::Practice));
    let restored = restored.expect("a fresh save restores");
    assert!(restored.session.state() == session.state(), "restore changed the cyclic session");
    println!(
        "cyclic save ({} nodes, cycles, flags {}, gates {}, distress {}): {} turns, save {} chars (scenario id {} chars), save {}, restore {}",
        shape.nodes,
        shape.flags,
        shape.gates,
        shape.distress,
        session.turns().len(),
        text.len(),
        sc.meta().id.len(),
        save.timing(),
        restore.timing(),
    );
    println!("  {text}");
}

/// Plays sessions back to back, always picking the first displayed choice.
struct Walker {
    scenario: Arc<Playable>,
    session: Session,
    view: View,
    seed: u64,
    sessions: usize,
    turns: usize,
}

impl Walker {
    fn new(scenario: Arc<Playable>) -> Walker {
        let session = Session::start(scenario.clone(), Mode::Practice, SEED);
        let view = session.view();
        Walker { scenario, session, view, seed: SEED, sessions: 1, turns: 0 }
    }

    /// One choice and the view after it, and the time they took; a new
    /// session first (untimed) when this one ended.
    fn step(&mut self) -> Duration {
        if self.view.choices.is_empty() {
            self.seed += 1;
            self.sessions += 1;
            self.session = Session::start(self.scenario.clone(), Mode::Practice, self.seed);
            self.view = self.session.view();
        }
        let t = Instant::now();
        let step = self.session.choose(&self.view.choices[0].id).expect("a displayed choice is offered");
        black_box(step);
        self.view = self.session.view();
        let spent = t.elapsed();
        self.turns += 1;
        spent
    }
}

fn play_first(sc: &Arc<Playable>) -> Session {
    let mut session = Session::start(sc.clone(), Mode::Practice, SEED);
    loop {
        let view = session.view();
        let Some(c) = view.choices.first() else { return session };
        session.choose(&c.id).expect("a displayed choice is offered");
    }
}

fn play_spine(sc: &Arc<Playable>) -> Session {
    let mut session = Session::start(sc.clone(), Mode::Practice, SEED);
    while !session.is_ended() {
        session.choose("spine").expect("the spine choice is always offered");
    }
    session
}

/// Plays up to `turns` turns, avoiding endings: each displayed choice is tried
/// in turn and undone when it ends the talk.
fn play_long(sc: &Arc<Playable>, turns: usize) -> Session {
    let mut session = Session::start(sc.clone(), Mode::Practice, SEED);
    'turn: while session.turns().len() < turns {
        let view = session.view();
        if view.choices.is_empty() {
            break;
        }
        for c in &view.choices {
            if !session.choose(&c.id).expect("a displayed choice is offered").ended {
                continue 'turn;
            }
            session.undo().expect("practice mode allows undo");
        }
        session.choose(&view.choices[0].id).expect("a displayed choice is offered");
    }
    session
}

/// The result of sampling one operation.
struct Measured {
    median: Duration,
    min: Duration,
    samples: usize,
    /// The most heap in use during one sample, above what was in use before it.
    peak: usize,
}

impl Measured {
    fn timing(&self) -> String {
        format!("{} ({})", duration(self.median), duration(self.min))
    }

    /// The timing of one of `n` operations that each sample ran.
    fn per(&self, n: usize) -> Measured {
        Measured { median: self.median / n as u32, min: self.min / n as u32, samples: self.samples, peak: self.peak }
    }
}

/// Runs `f` at least `min_samples` times, then until the budget is spent or
/// `max_samples` are taken; returns the timing and the last result. Results
/// are dropped outside the timed region.
fn measure<T>(plan: &Plan, mut f: impl FnMut() -> T) -> (Measured, T) {
    let started = Instant::now();
    let mut times = Vec::new();
    let mut peak = 0;
    let mut last = None;
    while times.len() < plan.max_samples.max(1) && (times.len() < plan.min_samples.max(1) || started.elapsed() < plan.budget) {
        drop(last.take());
        let base = counting::reset_peak();
        let t = Instant::now();
        let out = black_box(f());
        times.push(t.elapsed());
        peak = peak.max(counting::peak().saturating_sub(base));
        last = Some(out);
    }
    times.sort();
    let m = Measured { median: times[times.len() / 2], min: times[0], samples: times.len(), peak };
    (m, last.expect("at least one sample"))
}

fn duration(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    let (v, unit) = match ns {
        ..1e3 => (ns, "ns"),
        ..1e6 => (ns / 1e3, "us"),
        ..1e9 => (ns / 1e6, "ms"),
        _ => (ns / 1e9, "s"),
    };
    let digits = if v < 10.0 { 2 } else if v < 100.0 { 1 } else { 0 };
    format!("{v:.digits$} {unit}")
}

fn bytes(n: usize) -> String {
    let n = n as f64;
    match n {
        ..1024.0 => format!("{n} B"),
        ..1_048_576.0 => format!("{:.1} KiB", n / 1024.0),
        _ => format!("{:.1} MiB", n / 1_048_576.0),
    }
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
