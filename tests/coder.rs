//! The reply coder on the project's own data: the committed model is what training produces, it
//! meets its target on the held-out split, and `attunement code` and `attunement coder` behave
//! as documented (data/README.md).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use attunement::Skill;
use attunement::coder::Coder;
use attunement::coder::train::{self, Split};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn replies() -> Vec<train::Example> {
    train::read_dir(&root().join("data/replies")).unwrap_or_else(|problems| panic!("data/replies has problems:\n{}", problems.join("\n")))
}

fn committed() -> Coder {
    Coder::read(&std::fs::read(root().join("data/coder.bin")).expect("data/coder.bin is committed")).expect("data/coder.bin reads")
}

fn attunement(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_attunement"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the attunement binary runs");
    // A command that refuses its model exits before reading its input: a closed pipe then is
    // its answer, not a failure of the test (which CI met once on a loaded machine).
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "writing the replies: {e}");
    }
    child.wait_with_output().unwrap()
}

#[test]
fn the_committed_model_is_what_training_on_the_committed_data_produces() {
    let train: Vec<_> = replies().into_iter().filter(|e| e.split() == Split::Train).collect();
    let trained = train::train(&train, train::Settings::default()).write();
    let committed = std::fs::read(root().join("data/coder.bin")).unwrap();
    assert!(trained == committed, "data/coder.bin is stale: run `cargo run --release -- coder train` and commit it ({} bytes trained, {} committed)", trained.len(), committed.len());
}

/// Only the first `MAX_REPLY` characters of a reply are coded, so a pasted book costs what its
/// first page does: coding once took about 50 bytes of memory a character, unbounded.
#[test]
fn a_reply_is_coded_from_its_first_two_thousand_characters() {
    use attunement::coder::{Features, MAX_REPLY};
    let coder = committed();
    let opening = "It sounds like you have been carrying this on your own for a long time. ";
    let mut reply: String = opening.chars().cycle().take(MAX_REPLY - 1).collect();
    reply.push('é');
    let read = reply.clone();
    reply.push_str(&"You should just tell your boss and get it sorted. ".repeat(20_000));
    assert_eq!(Features::of(&reply, 12), Features::of(&read, 12), "the rest is not read");
    assert_ne!(Features::of(&read, 12), Features::of(&read[..read.len() - 2], 12), "the last character read counts");
    assert_eq!(coder.code(&reply), coder.code(&read));
}

#[test]
fn the_data_covers_every_skill_with_enough_replies_on_both_sides_of_the_split() {
    let examples = replies();
    for skill in Skill::ALL {
        let of = |split| examples.iter().filter(|e| e.skill == skill && e.split() == split).count();
        assert!(of(Split::Train) >= 80, "{}: {} training replies", skill.id(), of(Split::Train));
        assert!(of(Split::Test) >= 15, "{}: {} held-out replies", skill.id(), of(Split::Test));
    }
}

#[test]
fn the_model_meets_its_target_on_the_held_out_split() {
    let held_out: Vec<_> = replies().into_iter().filter(|e| e.split() == Split::Test).collect();
    let evaluation = train::evaluate(&committed(), &held_out);
    assert_eq!(evaluation.classes.len(), Skill::ALL.len(), "the model codes the whole taxonomy");
    assert!(evaluation.macro_f1() >= 0.75, "macro-F1 {:.3} is below the target of 0.75:\n{}", evaluation.macro_f1(), evaluation.report());
}

#[test]
fn code_prints_one_json_object_a_line() {
    let input = "It sounds like you're exhausted.\nYou should just update your CV.\n\nAre you thinking about suicide?\n";
    let out = attunement(&["code"], input);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).expect("each line is one JSON object")).collect();
    assert_eq!(lines.len(), 4, "one line out for each line in, the empty one too: {stdout}");
    let coder = committed();
    for (value, text) in lines.iter().zip(input.lines()) {
        assert_eq!(value["text"], text);
        let coding = coder.code(text);
        assert_eq!(value["skill"], coding.skill.id(), "the CLI codes as the library does");
        let confidence = value["confidence"].as_f64().unwrap();
        assert!((confidence - coding.confidence).abs() < 1e-4);
        let alternatives = value["alternatives"].as_array().unwrap();
        assert_eq!(alternatives.len(), 3);
        let mut last = confidence;
        for alt in alternatives {
            assert!(Skill::from_id(alt["skill"].as_str().unwrap()).is_some());
            let p = alt["confidence"].as_f64().unwrap();
            assert!((0.0..=last).contains(&p), "alternatives are ranked below the coding: {value}");
            last = p;
        }
    }
    assert_eq!(lines[0]["skill"], "reflection");
    assert_eq!(lines[1]["skill"], "advice");
    assert_eq!(lines[3]["skill"], "safety_question");
}

#[test]
fn coding_one_reply_is_deterministic_and_ranked() {
    let coder = committed();
    let text = "im sorry, i rushed u there. can we go back to what u said about ur dad";
    let a = coder.code(text);
    assert_eq!(a, coder.code(text));
    assert_eq!(a.skill, Skill::Repair, "{a:?}");
    let sum: f64 = a.confidence + a.alternatives.iter().map(|(_, p)| p).sum::<f64>();
    assert!(sum <= 1.0 + 1e-9 && a.confidence > 0.0);
}

#[test]
fn evaluate_prints_the_figures_of_both_sets() {
    let out = attunement(&["coder", "evaluate"], "");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("The held-out split of data/replies"), "{stdout}");
    assert!(stdout.contains("The challenge set data/challenge"), "{stdout}");
    assert!(stdout.contains("The choices of the scenarios in scenarios"), "{stdout}");
    assert_eq!(stdout.matches("macro-F1 ").count(), 3, "{stdout}");
    assert_eq!(stdout.matches("confusion (rows: labelled; columns: coded as)").count(), 3);
    for skill in Skill::ALL {
        assert!(stdout.contains(&format!(" {} ", skill.id())), "{} is in the table: {stdout}", skill.id());
    }
}

#[test]
fn a_damaged_model_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("attunement-coder-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut bytes = std::fs::read(root().join("data/coder.bin")).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    let bad = dir.join("bad.bin");
    std::fs::write(&bad, &bytes).unwrap();
    let out = attunement(&["code", "--model", bad.to_str().unwrap()], "hello\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr, format!("error: `{}`: the reply coder's model is damaged (its checksum does not match): download or copy it again\n", bad.display()));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn training_refuses_data_with_problems_and_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("attunement-coder-train-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("data/reflection.txt"), "You feel let down.\n").unwrap();
    std::fs::write(dir.join("data/advise.txt"), "You should rest.\n").unwrap();
    let model = dir.join("model.bin");
    let out = attunement(&["coder", "train", "--data", dir.join("data").to_str().unwrap(), "-o", model.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("advise.txt:1:1: `advise` is not a skill id"), "{stderr}");
    assert!(!model.exists());
    std::fs::remove_dir_all(dir).ok();
}

/// A scenario of the library, checked.
fn library(file: &str) -> std::sync::Arc<attunement::scenario::Playable> {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    std::sync::Arc::new(attunement::check(&text, attunement::checking::Format::Toml).scenario.expect("the scenario checks"))
}

/// Every choice of a library scenario, written out as the learner's own reply at its node.
fn choices_taken_as_themselves(file: &str) -> (usize, usize) {
    let scenario = library(file);
    let coder = committed();
    let (mut taken, mut all) = (0, 0);
    let mut session = attunement::Session::start(scenario.clone(), attunement::Mode::Practice, 1);
    while let Some(n) = session.shown().node {
        let node = &scenario.nodes()[n];
        for &i in &session.shown().choices {
            let reply = session.reply(&coder, &node.choices[i].text);
            all += 1;
            if reply.taken.as_deref() == Some(node.choices[i].id.as_str()) {
                taken += 1;
            }
            if let Some(id) = &reply.taken {
                let choice = node.choices.iter().find(|c| &c.id == id).unwrap();
                assert_eq!(choice.skill, reply.coding.skill, "a reply is taken only as a choice of its coded skill");
                assert!(!reply.coding.unsure());
            }
        }
        let first = node.choices[session.shown().choices[0]].id.clone();
        session.pick(&first).unwrap();
    }
    (taken, all)
}

/// The library's lines were written by other hands than the coder's data, and many are hard on
/// purpose; how many the coder takes as themselves is the nearest thing here to the real replies
/// it will meet (about two in five today, see data/README.md). This holds it from falling further.
#[test]
fn a_scenarios_own_lines_written_out_are_often_taken_as_themselves() {
    for file in ["scenarios/first-meeting.toml", "scenarios/asking-directly.toml"] {
        let (taken, all) = choices_taken_as_themselves(file);
        println!("{file}: {taken} of {all} choices, written out, are taken as themselves");
        assert!(taken * 3 >= all, "{file}: only {taken} of {all}");
    }
}

#[test]
fn a_written_turn_keeps_the_reply_its_coding_and_how_it_was_taken() {
    let scenario = library("scenarios/first-meeting.toml");
    let coder = committed();
    let mut session = attunement::Session::start(scenario.clone(), attunement::Mode::Practice, 1);
    let mut expected = Vec::new();
    while let Some(n) = session.shown().node {
        let node = &scenario.nodes()[n];
        let shown = session.shown().choices;
        let written = format!("{} ", node.choices[shown[0]].text.to_lowercase());
        let reply = session.reply(&coder, &written);
        // Taken as the coding says, or, when it takes none, the learner picks the last option.
        let id = reply.taken.clone().unwrap_or_else(|| node.choices[*shown.last().unwrap()].id.clone());
        expected.push((written.trim().to_string(), reply.coding.skill, reply.taken.as_deref() == Some(id.as_str())));
        session.pick_written(&id, &written, &coder).unwrap();
    }
    let turns = session.turns();
    assert_eq!(turns.len(), expected.len());
    for (turn, (text, skill, taken)) in turns.iter().zip(&expected) {
        let w = turn.written.as_ref().expect("every turn was written");
        assert_eq!((&w.text, w.skill, w.taken), (text, *skill, *taken));
    }
    assert!(expected.iter().any(|e| e.2) && expected.iter().any(|e| !e.2), "both a taken and a picked turn: {expected:?}");
    // The debrief (which the widget's Markdown is made from) carries each turn's written reply.
    let debrief = session.debrief().unwrap();
    let in_debrief: Vec<_> = debrief.turns.iter().map(|t| t.written.as_ref().map(|w| (w.text.clone(), w.skill, w.taken))).collect();
    assert_eq!(in_debrief, expected.iter().map(|(text, skill, taken)| Some((text.clone(), *skill, *taken))).collect::<Vec<_>>());
    // And in the JSON the widget reads, under the names www/widget/markdown.js reads them by.
    let json = serde_json::to_value(&debrief).unwrap();
    for (turn, (text, skill, taken)) in json["turns"].as_array().unwrap().iter().zip(&expected) {
        let w = &turn["written"];
        assert_eq!((w["text"].as_str(), w["skill"].as_str(), w["taken"].as_bool()), (Some(text.as_str()), Some(skill.id()), Some(*taken)), "{w}");
        assert!(w["skill_label"].is_string() && w["confidence"].is_f64() && (w["better"].is_null() || w["better"].is_string()), "{w}");
        assert!(turn["skill"].is_string() && turn["skill_label"].is_string() && turn["text"].is_string(), "{turn}");
    }
}

/// The save holds choices only; `rewrite` puts each written reply back on a restored session,
/// coded again, so its turns (and the debrief) are those of the session that was played.
#[test]
fn a_restored_session_gets_its_written_replies_back_as_they_were() {
    let scenario = library("scenarios/first-meeting.toml");
    let coder = committed();
    let mut played = attunement::Session::start(scenario.clone(), attunement::Mode::Practice, 7);
    let mut kept = Vec::new();
    while let Some(n) = played.shown().node {
        let node = &scenario.nodes()[n];
        let last = *played.shown().choices.last().unwrap();
        let text = format!("  {}  ", node.choices[last].text);
        let reply = played.reply(&coder, &text);
        let id = reply.taken.unwrap_or_else(|| node.choices[last].id.clone());
        played.pick_written(&id, &text, &coder).unwrap();
        kept.push((text, played.turns().last().unwrap().written.as_ref().unwrap().taken));
    }
    let mut restored = attunement::Session::restore(scenario.clone(), &played.save(), attunement::Mode::Practice).unwrap().session;
    assert!(restored.turns().iter().all(|t| t.written.is_none()), "a save carries no written text");
    for (i, (text, taken)) in kept.iter().enumerate() {
        assert!(restored.rewrite(i + 1, text, *taken, &coder));
    }
    assert!(!restored.rewrite(kept.len() + 1, "one too many", true, &coder), "no such turn");
    assert!(!restored.rewrite(0, "turns count from 1", true, &coder));
    let written = |s: &attunement::Session| s.turns().iter().map(|t| t.written.clone()).collect::<Vec<_>>();
    assert_eq!(written(&restored), written(&played));
    let json = |s: &attunement::Session| serde_json::to_string(&s.debrief().unwrap()).unwrap();
    assert_eq!(json(&restored), json(&played));
}

/// A reply that reads as a roadblock names the trust-building option that would have worked
/// best then; any other reply names none.
#[test]
fn a_written_roadblock_names_the_option_that_would_have_worked_better() {
    let scenario = library("scenarios/first-meeting.toml");
    let coder = committed();
    let mut session = attunement::Session::start(scenario.clone(), attunement::Mode::Practice, 3);
    let n = session.shown().node.unwrap();
    let node = &scenario.nodes()[n];
    let first = session.shown().choices[0];
    let advice = "You should just tell your manager and take a few days off, honestly.";
    assert_eq!(coder.code(advice).skill.kind(), attunement::skill::Kind::Roadblock, "{:?}", coder.code(advice));
    let id = node.choices[first].id.clone();
    session.pick_written(&id, advice, &coder).unwrap();
    let w = session.turns()[0].written.clone().unwrap();
    let better = w.better.expect("a roadblock names a better option");
    let best = node.choices.iter().filter(|c| c.skill.kind() == attunement::skill::Kind::Skill).map(|c| c.text.clone()).collect::<Vec<_>>();
    assert!(best.contains(&better), "{better:?} is one of the node's trust-building options {best:?}");
    session.undo().unwrap();
    session.pick_written(&id, "It sounds like this has been weighing on you for a while.", &coder).unwrap();
    let w = session.turns()[0].written.clone().unwrap();
    assert_ne!(w.kind, attunement::skill::Kind::Roadblock);
    assert_eq!(w.better, None);
}
