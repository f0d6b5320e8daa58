//! A bounded mutation fuzzer over the scenario library, its compiled form
//! and save strings: no input may panic, exhaust memory or render without
//! bound.
//!
//! Each execution takes one seed input (a library scenario as TOML, the same
//! as JSON, its compiled form, or a save string of a random session), applies one to
//! four mutations (flipped, inserted, deleted, duplicated or truncated
//! bytes, and tokens chosen to hurt: escapes, brackets, huge numbers, the
//! engine's reserved names), and runs what a real user would: `check`, the
//! rendering of its diagnostics, and, when the result loads, a short random
//! play with a save and a restore; a mutated compiled file is read (half the
//! time with its checksum mended, so the reader's own checks meet the
//! damage) and played the same way; a mutated save is restored. A panic, a
//! peak heap over 256 MiB or a rendered report over 1 MiB is a finding: the
//! input is written to `target/fuzz-findings/` and the test fails.
//!
//! Under `cargo test` it runs 400 executions from a fixed seed (a debug
//! build checks about 40 a second). For a long
//! run, `FUZZ_EXECS=1000000 cargo test --release --test fuzz -- --nocapture`
//! (and `FUZZ_SEED=N` for another sequence); it prints how many executions
//! ran, how many inputs loaded, and the findings.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use attunement::diagnostic::Source;
use attunement::hash::Rng;
use attunement::compiled;
use attunement::checking::{Format, compile};
use attunement::{Mode, Session, check};

#[path = "support/counting.rs"]
mod counting;

const MAX_PEAK: usize = 256 << 20;
const MAX_RENDERED: usize = 1 << 20;

/// What a mutation may insert: the shapes that broke parsers before.
const TOKENS: &[&str] = &[
    "\u{1b}[2J", "\\u001b", "\u{7}", "\r", "\0", "é", "\u{202e}", "[[node]]\n", "[[node.choice]]\n", "[[ending]]\n", "{", "}", "[", "]", "\"", "\\", ",", ":", "=",
    "\n", "99999999999999999999", "-1", "1e309", "true", "null", "visited:", "\"visited:opening\"", "set = [\"\"]", "next = \"", "when = { flags = [\"x\"] }", "skill = \"",
    "language = \"x-\"", "\"choice\": [", "\"node\": [", "A2.", ".", "z",
];

#[derive(Clone, Copy)]
enum Kind {
    Toml,
    Json,
    Compiled,
    Save,
}

struct Seed {
    kind: Kind,
    name: String,
    text: Vec<u8>,
    /// For saves, the scenario they belong to.
    scenario: Option<Arc<attunement::scenario::Playable>>,
}

fn seeds() -> Vec<Seed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("scenarios")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
    files.sort();
    let mut seeds = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let compiled = compile(&text, Format::Toml).unwrap_or_else(|_| panic!("{name} compiles"));
        let json = serde_json::to_string(&toml::from_str::<serde_json::Value>(&text).unwrap()).unwrap();
        let sc = Arc::new(attunement::Scenario::parse(&text, Format::Toml).unwrap());
        for (seed, mode) in [(1, Mode::Practice), (2, Mode::Assessment)] {
            let mut s = Session::start(sc.clone(), mode, seed);
            play(&mut s, &mut Rng::new(seed), 12);
            seeds.push(Seed { kind: Kind::Save, name: format!("{name}.save{seed}"), text: s.save().into_bytes(), scenario: Some(sc.clone()) });
        }
        seeds.push(Seed { kind: Kind::Json, name: name.replace(".toml", ".json"), text: json.into_bytes(), scenario: None });
        seeds.push(Seed { kind: Kind::Compiled, name: name.replace(".toml", ".attn"), text: compiled, scenario: None });
        seeds.push(Seed { kind: Kind::Toml, name, text: text.into_bytes(), scenario: None });
    }
    seeds
}

/// Plays up to `turns` random picks.
fn play(s: &mut Session, rng: &mut Rng, turns: usize) {
    for _ in 0..turns {
        let view = s.view();
        if view.choices.is_empty() {
            break;
        }
        let id = view.choices[rng.below(view.choices.len())].id.clone();
        s.choose(&id).expect("an offered choice is taken");
    }
}

/// One to four mutations of `text`, as bytes (the result may not be UTF-8;
/// text is read lossily, as `check` would report it).
fn mutate(text: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = text.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = if b.is_empty() { 0 } else { rng.below(b.len() + 1) };
        match rng.below(7) {
            0 if !b.is_empty() => {
                let i = at.min(b.len() - 1);
                b[i] ^= 1 << rng.below(8);
            }
            1 => b.insert(at, rng.below(256) as u8),
            2 if !b.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(b.len());
                b.drain(at.min(end)..end);
            }
            3 if !b.is_empty() => {
                // Duplicate a span, sometimes many times: growth in size.
                let start = rng.below(b.len());
                let end = (start + 1 + rng.below(512)).min(b.len());
                let span = b[start..end].to_vec();
                let most = if rng.below(8) == 0 { 200 } else { 3 };
                for _ in 0..1 + rng.below(most) {
                    b.splice(at..at, span.iter().copied());
                }
            }
            4 => b.truncate(at),
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())];
                b.splice(at..at, token.bytes());
            }
        }
    }
    b
}

/// Runs one input as a user would; `Err` names what went wrong.
fn run(seed: &Seed, input: &[u8], rng: &mut Rng) -> Result<bool, String> {
    if let Kind::Compiled = seed.kind {
        let mut bytes = input.to_vec();
        if rng.below(2) == 0 {
            compiled::mend_checksum(&mut bytes);
        }
        let Ok(sc) = compiled::read(&bytes) else { return Ok(false) };
        return played(Arc::new(sc), rng).map(|()| true);
    }
    let input = &*String::from_utf8_lossy(input);
    match seed.kind {
        Kind::Save => {
            let sc = seed.scenario.clone().expect("a save has its scenario");
            for mode in [Mode::Practice, Mode::Assessment] {
                if let Ok(r) = Session::restore(sc.clone(), input, mode) {
                    let mut s = r.session;
                    play(&mut s, rng, 3);
                    let _ = s.debrief();
                    return Ok(true);
                }
            }
            Ok(false)
        }
        _ => {
            let format = if matches!(seed.kind, Kind::Json) { Format::Json } else { Format::Toml };
            let report = check(input, format);
            let rendered = Source::new(&seed.name, input).render_all(&report.diagnostics);
            if rendered.len() > MAX_RENDERED {
                return Err(format!("{} bytes of diagnostics rendered", rendered.len()));
            }
            let Some(sc) = report.scenario else { return Ok(false) };
            played(Arc::new(sc), rng).map(|()| true)
        }
    }
}

/// A short random play of a loaded scenario, a save, a restore and the debrief.
fn played(sc: Arc<attunement::scenario::Playable>, rng: &mut Rng) -> Result<(), String> {
    let mut s = Session::start(sc.clone(), Mode::Practice, rng.next_u64());
    play(&mut s, rng, 30);
    let save = s.save();
    let restored = Session::restore(sc, &save, Mode::Practice).map_err(|e| format!("a fresh save does not restore: {e}"))?;
    if restored.session.save() != save {
        return Err("a restored save differs".into());
    }
    let _ = s.debrief().map(|d| serde_json::to_string(&d).unwrap());
    Ok(())
}

#[test]
fn mutated_scenarios_compiled_files_and_saves_never_panic_or_exhaust_memory() {
    let env = |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (execs, seed) = (env("FUZZ_EXECS", 400), env("FUZZ_SEED", 1));
    let seeds = seeds();
    let mut rng = Rng::new(seed);
    let findings_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings");
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (mut loaded, mut findings) = (0u64, Vec::new());
    let started = std::time::Instant::now();
    for exec in 0..execs {
        let seed_input = &seeds[rng.below(seeds.len())];
        let input = mutate(&seed_input.text, &mut rng);
        let mut play_rng = Rng::new(rng.next_u64());
        let (outcome, peak) = counting::peak_of(|| catch_unwind(AssertUnwindSafe(|| run(seed_input, &input, &mut play_rng))));
        let problem = match outcome {
            Ok(Ok(true)) => {
                loaded += 1;
                None
            }
            Ok(Ok(false)) => None,
            Ok(Err(why)) => Some(why),
            Err(panic) => Some(format!("panic: {}", panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default())),
        };
        let problem = problem.or_else(|| (peak > MAX_PEAK).then(|| format!("peak heap {} MiB", peak >> 20)));
        if let Some(why) = problem {
            std::fs::create_dir_all(&findings_dir).unwrap();
            let file = findings_dir.join(format!("{seed}-{exec}-{}", seed_input.name));
            std::fs::write(&file, &input).unwrap();
            eprintln!("fuzz: finding at execution {exec}: {}: {why}", file.display());
            findings.push(format!("{}: {why}", file.display()));
        }
    }
    std::panic::set_hook(previous);
    println!("fuzz: {execs} executions from seed {seed} in {:.1} s: {loaded} inputs loaded or restored, {} findings", started.elapsed().as_secs_f64(), findings.len());
    assert!(findings.is_empty(), "{} findings:\n{}", findings.len(), findings.join("\n"));
}
