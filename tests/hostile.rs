//! Hostile input: files made to exhaust memory or time, from the hardening
//! probes. Each must get a clear error (or W004) with bounded memory; how
//! long each takes is printed by `cargo bench`, never asserted here.
//!
//! One test walks every case in turn, so that the counting allocator below
//! sees one case at a time.

use std::process::Command;

use attunement::compiled;
use attunement::generate::hostile;
use attunement::checking::{Format, check, compile};

#[path = "support/counting.rs"]
mod counting;

const MIB: usize = 1 << 20;

#[test]
fn every_hostile_input_is_refused_in_bounded_memory() {
    // An eighth of full size: a debug build is about ten times slower, and
    // the counts scale exactly.
    for (name, text) in hostile::at(1) {
        let format = Format::from_path(name);
        let (report, bytes) = counting::peak_of(|| check(&text, format));
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
        let first = |code: &str| report.diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("{name}: no {code} in {codes:?}"));
        match name {
            "long-ids.toml" => {
                let d = first("E017");
                assert!(d.message.len() < 200, "{name}: the id is not echoed whole: {}", d.message.len());
                assert!(report.diagnostics.iter().all(|d| d.hints.iter().all(|h| !h.contains("did you mean"))), "{name}: no suggestion for huge names");
            }
            "unknown-next.toml" => {
                assert_eq!(codes.iter().filter(|&&c| c == "E004").count(), 3_000, "{name}: every unknown node is reported");

            }
            "unknown-skill.toml" => {
                let d = first("E006");
                assert!(d.message.len() < 200 && !d.hints[0].contains("did you mean"), "{name}: {d:?}");
            }
            "many-choices.toml" => {
                assert_eq!(codes, ["E018"], "{name}: too many choices is reported first, and alone");
            }
            "many-flags.toml" => {
                assert_eq!(codes, ["E022"], "{name}");
            }
            "many-keys.json" => {
                assert_eq!(codes.iter().filter(|&&c| c == "E005").count(), 62_499, "{name}");
            }
            "one-line-errors.json" => {
                let rendered = attunement::diagnostic::Source::new(name, &text).render_all(&report.diagnostics);
                assert!(codes.len() >= 2_000, "{name}: {} diagnostics", codes.len());
                assert!(rendered.len() < 100 * 1_000, "{name}: {} bytes rendered for a {}-byte line", rendered.len(), text.len());
                assert!(rendered.contains("more problems not shown"), "{name}");
            }
            "flag-hub.toml" => {
                assert_eq!(codes, ["W004"], "{name}");
                assert!(report.scenario.as_ref().is_some_and(|s| !s.is_analysed()), "{name}: checks, unanalysed");
                // The reader takes every compiled file as analysed: this one is never written.
                assert_eq!(report.scenario.as_ref().and_then(compiled::write), None, "{name}: not written");
                let refused = compile(&text, format).unwrap_err();
                assert_eq!(refused.iter().map(|d| d.code).collect::<Vec<_>>(), ["W004", "E025"], "{name}: compile refuses it");
            }
            "many-gates.toml" => {
                assert_eq!(codes.iter().filter(|&&c| c == "E004").count(), 3_750, "{name}");
                // Each search compares a name with all 12,500 gates: the
                // budget of 200,000 comparisons allows 16.
                let hinted = report.diagnostics.iter().filter(|d| d.hints.iter().any(|h| h.starts_with("did you mean"))).count();
                assert_eq!(hinted, 16, "{name}: only the first unknown gates get a search");
            }
            "unreachable.toml" => {
                assert_eq!(codes.iter().filter(|&&c| c == "E008").count(), 6_875, "{name}");
            }
            "gate-chain.toml" => {
                assert_eq!(codes, ["E021"], "{name}: the chain too long, once");
            }
            "flag-typos.toml" => {
                assert_eq!(codes.iter().filter(|&&c| c == "E011").count(), 4_980, "{name}: one for each choice");
                let d = first("E011");
                assert!(d.hints[0].starts_with("did you mean `felt-heard-"), "{name}: {:?}", d.hints);
            }
            "deep.toml" => {
                assert_eq!(codes, ["E001"], "{name}");
                assert_eq!(report.diagnostics[0].message, "invalid TOML: nested too deeply");
            }
            "too-large.toml" => {
                assert_eq!(codes, ["E023"], "{name}");
                assert_eq!(report.diagnostics[0].message, "the file is 8193 KiB, more than the 8192 KiB a scenario may be");
            }
            other => panic!("no expectation for {other}"),
        }
        // Reading a file takes at most about 40 bytes of heap per byte (the
        // TOML parser's tree and ours, side by side, for a file of 100,000
        // tiny tables); the analysis has its own budget, which the flag hub
        // meets long before its 192 MiB.
        let bound = 48 * text.len() + 64 * MIB;
        assert!(bytes < bound, "{name}: checking a {} KiB file took {} MiB at its peak", text.len() >> 10, bytes / MIB);
    }
}


/// Runs the CLI on a file written to a temporary folder.
fn cli(name: &str, text: &str, args: &[&str]) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!("attunement-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_attunement")).args(args.iter().map(|a| if *a == "FILE" { path.to_str().unwrap() } else { a })).output().unwrap();
    std::fs::remove_file(&path).unwrap();
    out
}

#[test]
fn a_capped_analysis_cannot_reach_a_learner_and_play_says_where_it_is_stuck() {
    let text = hostile::flag_hub(19);
    let check = cli("hub.toml", &text, &["check", "FILE"]);
    assert_eq!(check.status.code(), Some(0), "W004 alone is a warning");
    for args in [&["compile", "FILE"][..], &["scorm", "FILE", "-o", "/dev/null"]] {
        let out = cli("hub.toml", &text, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("error[E025]"), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // Random play reaches the soft-lock the stopped analysis could not see:
    // a clear error and exit 1, not a panic (101).
    let out = cli("hub.toml", &text, &["play", "FILE", "--auto", "random", "--seed", "3"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: the conversation is stuck at node `hub`: no choice is offered"), "{stderr}");
}

#[test]
fn the_cli_refuses_a_huge_file_without_reading_it_all() {
    let mut text = hostile::too_large();
    text.push_str(&"# more padding\n".repeat(100_000));
    let out = cli("huge.toml", &text, &["check", "FILE"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.contains("error[E023]: the file is 9657 KiB, more than the 8192 KiB a scenario may be"), "{stdout}");
}

#[test]
fn control_characters_in_a_scenario_never_reach_the_terminal() {
    let tiny = include_str!("fixtures/tiny.toml");
    let text = tiny.replacen("say = \"", "say = \"\\u001b]0;pwned\\u0007\\u001b[2J", 1);
    for args in [&["check", "FILE"][..], &["play", "FILE", "--auto", "best"], &["analyze", "FILE"]] {
        let out = cli("tiny.toml", &text, args);
        let all = [out.stdout, out.stderr].concat();
        assert!(!all.iter().any(|&b| b == 0x1b || b == 0x07), "{args:?} printed a raw control byte: {}", String::from_utf8_lossy(&all));
    }
    let out = cli("tiny.toml", &text, &["play", "FILE", "--auto", "best"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("␛]0;pwned␇␛[2J"), "play shows the characters as visible stand-ins");
    let out = cli("tiny.toml", &text, &["check", "FILE"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("warning[W005]: text contains the control character U+001B"));
}
