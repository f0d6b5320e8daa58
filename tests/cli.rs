//! The command line itself, through the built binary: `--version`, `--help`
//! on every command, each command taking its own options and no other, and
//! the usage errors (exit code 2, clap's message on stderr, nothing on
//! stdout). What the commands print is tested elsewhere: diagnostics in
//! `diagnostics.rs`, play-throughs in `golden.rs`, packages in `scorm.rs`.
//!
//! `COMMANDS` is the table the tests walk: each command, the arguments it
//! needs to run, and the options it takes. A new option goes in the table,
//! and every other command is then tested to refuse it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TINY: &str = "tests/fixtures/tiny.toml";

/// Every option any command takes, with a value it accepts.
const OPTIONS: [(&str, Option<&str>); 8] = [
    ("--format", Some("json")),
    ("--mode", Some("practice")),
    ("--choices", Some("1")),
    ("--auto", Some("best")),
    ("--seed", Some("7")),
    ("--output", Some("OUT")),
    ("--version", Some("2004")),
    ("--model", Some("data/coder.bin")),
];

/// Each command, the arguments it needs (`OUT` is a path in a temporary
/// folder), and the options it takes.
const COMMANDS: [(&str, &[&str], &[&str]); 10] = [
    ("check", &[TINY], &["--format"]),
    ("play", &[TINY], &["--format", "--mode", "--choices", "--auto", "--seed"]),
    ("analyze", &[TINY], &["--format"]),
    ("graph", &[TINY], &["--format"]),
    ("compile", &[TINY], &["--output"]),
    ("library", &["tests/fixtures", "-o", "OUT"], &["--output"]),
    ("scorm", &[TINY, "-o", "OUT"], &["--output", "--version", "--mode"]),
    ("schema", &[], &[]),
    ("words", &[], &[]),
    ("code", &[], &["--model"]),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the CLI from the crate root, so paths in its output are relative.
fn attunement<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attunement")).args(args).current_dir(root()).output().expect("the attunement binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("the output is UTF-8")
}

/// A folder of its own for each test, so they can run side by side.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("attunement-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A usage error: exit code 2, nothing on stdout, clap's message on stderr,
/// which is returned.
#[track_caller]
fn usage_error(args: &[&str]) -> String {
    let out = attunement(args);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} printed on stdout: {}", text(&out.stdout));
    assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    stderr
}

#[test]
fn version_prints_the_crate_version() {
    for flag in ["--version", "-V"] {
        let out = attunement(&[flag]);
        assert_eq!(out.status.code(), Some(0), "{flag}");
        assert_eq!(text(&out.stdout), format!("attunement {}\n", env!("CARGO_PKG_VERSION")), "{flag}");
        assert!(out.stderr.is_empty(), "{flag}: {}", text(&out.stderr));
    }
}

#[test]
fn help_lists_every_command() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let out = attunement(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let stdout = text(&out.stdout);
        assert!(stdout.contains("Usage: attunement <COMMAND>"), "{args:?}: {stdout}");
        for (command, _, _) in COMMANDS {
            assert!(stdout.contains(&format!("\n  {command} ")), "{args:?} does not list `{command}`: {stdout}");
        }
        assert!(stdout.contains("-V, --version"), "{args:?}: {stdout}");
    }
}

#[test]
fn no_command_shows_the_help_as_a_usage_error() {
    let out = attunement::<&str>(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Usage: attunement <COMMAND>") && stderr.contains("\n  play "), "{stderr}");
}

#[test]
fn each_command_help_lists_its_own_options_and_no_other() {
    for (command, _, takes) in COMMANDS {
        for args in [[command, "--help"], ["help", command]] {
            let out = attunement(&args);
            assert_eq!(out.status.code(), Some(0), "{args:?}");
            let stdout = text(&out.stdout);
            assert!(stdout.contains(&format!("Usage: attunement {command}")), "{args:?}: {stdout}");
            assert!(stdout.contains("-h, --help"), "{args:?}: {stdout}");
            for (option, _) in OPTIONS {
                // Each option is listed as `--name <VALUE>`.
                let listed = stdout.contains(&format!("{option} <"));
                assert_eq!(listed, takes.contains(&option), "{args:?} {} {option}: {stdout}", if listed { "lists" } else { "does not list" });
            }
        }
    }
}

#[test]
fn help_lists_the_values_an_option_takes() {
    let cases: [(&[&str], &[&str]); 5] = [
        (&["check", "-h"], &["text", "json"]),
        (&["play", "-h"], &["practice", "assessment", "best", "worst", "random"]),
        (&["graph", "-h"], &["dot", "mermaid"]),
        (&["scorm", "-h"], &["1.2", "2004", "practice", "assessment"]),
        (&["analyze", "-h"], &["text", "json"]),
    ];
    for (args, values) in cases {
        let stdout = text(&attunement(args).stdout);
        let possible: Vec<&str> = stdout.lines().filter_map(|l| l.split_once("[possible values: ")).map(|(_, v)| v.trim_end_matches(']')).collect();
        for value in values {
            assert!(possible.iter().any(|p| p.split(", ").any(|v| v == *value)), "{args:?} does not list `{value}`: {stdout}");
        }
    }
    // The defaults, which differ between play and scorm.
    assert!(text(&attunement(&["play", "-h"]).stdout).contains("[default: practice]"));
    assert!(text(&attunement(&["scorm", "-h"]).stdout).contains("[default: assessment]"));
    assert!(text(&attunement(&["scorm", "-h"]).stdout).contains("--version <EDITION>"));
    assert!(text(&attunement(&["scorm", "-h"]).stdout).contains("[default: 1.2]"));
}

#[test]
fn an_option_on_a_command_that_does_not_take_it_is_a_usage_error() {
    let dir = temp("refused");
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    let mut tried = 0;
    for (command, needs, takes) in COMMANDS {
        for (option, value) in OPTIONS.iter().filter(|(o, _)| !takes.contains(o)) {
            let mut args = vec![command];
            args.extend(needs.iter().map(|a| if *a == "OUT" { out } else { a }));
            args.push(option);
            args.extend(value.map(|v| if v == "OUT" { out } else { v }));
            let stderr = usage_error(&args);
            assert!(stderr.starts_with(&format!("error: unexpected argument '{option}' found\n")), "{args:?}: {stderr}");
            assert!(stderr.contains(&format!("Usage: attunement {command}")), "{args:?}: {stderr}");
            tried += 1;
        }
    }
    assert_eq!(tried, COMMANDS.len() * OPTIONS.len() - COMMANDS.iter().map(|(_, _, takes)| takes.len()).sum::<usize>());
    assert!(!Path::new(out).exists(), "a command with a usage error wrote nothing");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_refused_option_before_the_file_is_refused_as_well() {
    let stderr = usage_error(&["check", "--auto", "best", TINY]);
    assert!(stderr.starts_with("error: unexpected argument '--auto' found\n"), "{stderr}");
    let stderr = usage_error(&["compile", TINY, "--mode", "practice"]);
    assert!(stderr.starts_with("error: unexpected argument '--mode' found\n"), "{stderr}");
}

#[test]
fn a_missing_file_or_output_is_a_usage_error() {
    for (command, needs, _) in COMMANDS {
        if needs.is_empty() {
            continue;
        }
        let stderr = usage_error(&[command]);
        assert!(stderr.starts_with("error: the following required arguments were not provided:\n"), "{command}: {stderr}");
        let wanted = if command == "library" { "<DIR>" } else { "<FILE>" };
        assert!(stderr.contains(wanted), "{command}: {stderr}");
    }
    for command in ["library", "scorm"] {
        let from = if command == "library" { "tests/fixtures" } else { TINY };
        let stderr = usage_error(&[command, from]);
        assert!(stderr.contains("the following required arguments were not provided:\n  --output <"), "{command}: {stderr}");
    }
    // One file where one is taken.
    let stderr = usage_error(&["play", TINY, TINY]);
    assert!(stderr.starts_with(&format!("error: unexpected argument '{TINY}' found\n")), "{stderr}");
}

#[test]
fn an_unknown_command_suggests_the_close_one() {
    for (typo, command) in [("chekc", "check"), ("anlyze", "analyze"), ("compil", "compile"), ("scrom", "scorm")] {
        let stderr = usage_error(&[typo, TINY]);
        assert!(stderr.starts_with(&format!("error: unrecognized subcommand '{typo}'\n")), "{stderr}");
        assert!(stderr.contains("tip: ") && stderr.contains(&format!("'{command}'")), "{typo} does not suggest {command}: {stderr}");
    }
}

#[test]
fn a_mistyped_value_is_a_usage_error_with_a_suggestion() {
    let cases: [(&[&str], &str); 5] = [
        (&["play", TINY, "--auto", "bets"], "'best'"),
        (&["play", TINY, "--mode", "practise"], "'practice'"),
        (&["graph", TINY, "--format", "mermiad"], "'mermaid'"),
        (&["check", TINY, "--format", "jsno"], "'json'"),
        (&["scorm", TINY, "-o", "/dev/null", "--version", "2005"], "'2004'"),
    ];
    for (args, suggested) in cases {
        let stderr = usage_error(args);
        assert!(stderr.starts_with(&format!("error: invalid value '{}' for '", args.last().unwrap())), "{args:?}: {stderr}");
        assert!(stderr.contains(&format!("tip: a similar value exists: {suggested}")), "{args:?}: {stderr}");
    }
    let stderr = usage_error(&["play", TINY, "--seed", "seven"]);
    assert!(stderr.starts_with("error: invalid value 'seven' for '--seed <N>'"), "{stderr}");
}

#[test]
fn choices_and_auto_do_not_go_together() {
    let stderr = usage_error(&["play", TINY, "--choices", "1", "--auto", "best"]);
    assert!(stderr.starts_with("error: the argument '--choices <PICKS>' cannot be used with '--auto <AUTO>'\n"), "{stderr}");
}

#[test]
fn options_go_before_or_after_the_file_and_take_their_value_after_an_equals_sign() {
    let after = attunement(&["play", TINY, "--auto", "best", "--format", "json"]);
    assert_eq!(after.status.code(), Some(0), "{}", text(&after.stderr));
    for args in [&["play", "--auto", "best", "--format", "json", TINY][..], &["play", "--auto=best", TINY, "--format=json"]] {
        let out = attunement(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        assert_eq!(out.stdout, after.stdout, "{args:?}");
    }
    let v: serde_json::Value = serde_json::from_slice(&after.stdout).expect("play --format json prints JSON");
    assert_eq!(v["scenario"], "tiny");
}

#[test]
fn a_pick_that_is_not_offered_is_a_usage_error_after_the_transcript_so_far() {
    // The arguments parse; the problem shows only in play, and its transcript
    // up to there is still printed.
    let out = attunement(&["play", TINY, "--choices", "9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("error: choice `9` is not offered at turn 1 (1 to "), "{stderr}");
    let stderr = usage_error(&["play", TINY, "--choices", "1,0"]);
    assert!(stderr.starts_with("error: `0` in --choices is not a choice: numbers start at 1\n"), "{stderr}");
}

#[test]
fn an_argument_that_is_not_utf8_is_a_usage_error_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let out = attunement(&[std::ffi::OsStr::new("check"), std::ffi::OsStr::from_bytes(b"tests/fixtures/\xff.toml")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).starts_with("error: invalid UTF-8 was detected in one or more arguments\n"), "{}", text(&out.stderr));
}

/// A compiled scenario (what `attunement compile` and `library` ship) plays, and is analysed and
/// drawn, as its source is; the commands that need a source say so in a diagnostic (E001), rather
/// than calling the file bad UTF-8, and `check` goes on to the next file; a damaged one gets the
/// reader's reason.
#[test]
fn a_compiled_scenario_plays_and_the_source_commands_ask_for_the_source() {
    let dir = temp("compiled");
    let attn = dir.join("tiny.attn");
    let out = attunement(&["compile", TINY, "-o", attn.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let attn = attn.to_str().unwrap();
    let source = attunement(&["play", TINY, "--auto", "best", "--format", "json"]);
    let compiled = attunement(&["play", attn, "--auto", "best", "--format", "json"]);
    assert_eq!(compiled.status.code(), Some(0), "{}", text(&compiled.stderr));
    assert_eq!(compiled.stdout, source.stdout, "the compiled form plays as its source does");
    for command in ["analyze", "graph"] {
        let (source, compiled) = (attunement(&[command, TINY]), attunement(&[command, attn]));
        assert_eq!(compiled.status.code(), Some(0), "{command}: {}", text(&compiled.stderr));
        assert_eq!(compiled.stdout, source.stdout, "{command}");
    }
    let elsewhere = dir.join("out");
    let elsewhere = elsewhere.to_str().unwrap();
    for args in [&["check", attn][..], &["compile", attn, "-o", elsewhere], &["scorm", attn, "-o", elsewhere]] {
        let out = attunement(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out.stderr));
        // `check` reports on standard output; the others say why they stopped on standard error.
        let said = text(&out.stdout) + &text(&out.stderr);
        assert!(said.starts_with(&format!("{attn}:1:1: error[E001]: this is a compiled scenario (from `attunement compile`), not a source\n")), "{args:?}: {said}");
        assert!(said.contains("= hint: give this command the scenario's .toml or .json"), "{args:?}: {said}");
        assert!(!said.contains("UTF-8"), "{args:?}: {said}");
        assert!(!Path::new(elsewhere).exists(), "{args:?} wrote nothing");
    }
    // Among sources, a compiled file is one file's error: the others are still checked and reported.
    let out = attunement(&["check", "--format", "json", TINY, attn, TINY]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check --format json prints JSON");
    assert_eq!(report.to_string().matches("\"E001\"").count(), 1, "{report}");
    assert!(report.to_string().matches("tiny.toml").count() >= 2, "both sources are reported: {report}");
    let bytes = std::fs::read(attn).unwrap();
    let cut = dir.join("cut.attn");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = attunement(&["play", cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("the compiled scenario is incomplete (the file is cut short)"), "{}", text(&out.stderr));
}
