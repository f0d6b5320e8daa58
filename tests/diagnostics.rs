//! Every diagnostic, one bad scenario at a time, through the real CLI.
//!
//! Each file in `tests/bad/` is a small scenario with exactly one kind of
//! problem, named after its code (`E004-unknown-node.toml`). The expected
//! output of `attunement check FILE` is part of the file: a comment block at
//! the end of a TOML file, after a `# --- expected ---` line, with every line
//! of stdout behind `# `; JSON has no comments, so a JSON file's expected
//! output sits next to it in `NAME.json.expected`. Files whose code starts
//! with `E` must make `check` exit 1, and files whose code starts with `W`
//! must exit 0: a warning file with an error in it tests the wrong thing.
//!
//! `UPDATE_GOLDEN=1 cargo test --test diagnostics` rewrites the expected
//! output from what the CLI prints now; read the diff before keeping it. The
//! exit codes and the code in the file name are still checked then, because
//! they are not recorded output but the point of each file.
//!
//! The rest of this file covers what the bad files cannot: usage errors,
//! JSON output, and several problems reported from one file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MARKER: &str = "# --- expected ---";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the CLI from the crate root, so paths in its output are relative.
fn attunement(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attunement")).args(args).current_dir(root()).output().expect("the attunement binary runs")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

/// The bad-scenario files, sorted, without the `.expected` sidecars.
fn bad_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("tests/bad"))
        .expect("tests/bad exists")
        .map(|e| e.expect("tests/bad is readable").file_name().into_string().expect("file names are UTF-8"))
        .filter(|name| !name.ends_with(".expected"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "tests/bad has no scenario files");
    files
}

/// Splits a TOML file into its scenario and its expected output. Bytes, not
/// text, because one bad file is deliberately not UTF-8.
fn split_inline(file: &[u8]) -> (&[u8], Option<String>) {
    let marker = format!("\n{MARKER}\n");
    let Some(at) = file.windows(marker.len()).position(|w| w == marker.as_bytes()) else { return (file, None) };
    let block = String::from_utf8_lossy(&file[at + marker.len()..]);
    let expected = block
        .lines()
        .map(|line| line.strip_prefix("# ").or_else(|| line.strip_prefix('#')).unwrap_or(line))
        .fold(String::new(), |out, line| out + line + "\n");
    (&file[..at + 1], Some(expected))
}

fn inline_block(output: &str) -> String {
    let mut block = format!("{MARKER}\n");
    for line in output.lines() {
        block.push_str(if line.is_empty() { "#" } else { "# " });
        block.push_str(line);
        block.push('\n');
    }
    block
}

#[test]
fn every_bad_file_reports_its_diagnostic() {
    let mut failures = Vec::new();
    for name in bad_files() {
        let rel = format!("tests/bad/{name}");
        let path = root().join(&rel);
        let code = name.split('-').next().unwrap_or_default();
        let known = code.len() == 4 && (code.starts_with('E') || code.starts_with('W')) && code[1..].bytes().all(|b| b.is_ascii_digit());
        if !known {
            failures.push(format!("{rel}: the file name must start with a code such as `E004-`"));
            continue;
        }
        let out = attunement(&["check", &rel]);
        let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
        let stderr = String::from_utf8_lossy(&out.stderr);

        let want_exit = if code.starts_with('E') { 1 } else { 0 };
        if out.status.code() != Some(want_exit) {
            failures.push(format!("{rel}: exit code {:?}, expected {want_exit}\n{stdout}{stderr}", out.status.code()));
        }
        if !stdout.contains(&format!("[{code}]: ")) {
            failures.push(format!("{rel}: the output does not mention {code}\n{stdout}"));
        }

        let is_json = name.ends_with(".json");
        let sidecar = root().join(format!("tests/bad/{name}.expected"));
        let file = std::fs::read(&path).expect("bad files are readable");
        let (scenario, expected) = if is_json { (&file[..], std::fs::read_to_string(&sidecar).ok()) } else { split_inline(&file) };

        if updating() {
            if is_json {
                std::fs::write(&sidecar, &stdout).expect("the sidecar is writable");
            } else {
                let newline: &[u8] = if scenario.ends_with(b"\n") { b"" } else { b"\n" };
                std::fs::write(&path, [scenario, newline, inline_block(&stdout).as_bytes()].concat()).expect("the bad file is writable");
            }
            continue;
        }
        match expected {
            None if is_json => failures.push(format!("{rel}: no {name}.expected next to it; run with UPDATE_GOLDEN=1")),
            None => failures.push(format!("{rel}: no `{MARKER}` block at the end; run with UPDATE_GOLDEN=1")),
            Some(expected) if expected != stdout => failures.push(format!("{rel}: output differs\n--- expected\n{expected}--- actual\n{stdout}")),
            Some(_) => {}
        }
    }
    assert!(failures.is_empty(), "{} problem(s):\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn every_sidecar_belongs_to_a_file() {
    let files = bad_files();
    for entry in std::fs::read_dir(root().join("tests/bad")).expect("tests/bad exists") {
        let name = entry.expect("tests/bad is readable").file_name().into_string().expect("file names are UTF-8");
        if let Some(owner) = name.strip_suffix(".expected") {
            assert!(owner.ends_with(".json") && files.iter().any(|f| f == owner), "tests/bad/{name} has no JSON scenario next to it");
        }
    }
}

#[test]
fn every_code_in_the_source_has_a_bad_file() {
    // Tested in tests/hostile.rs: E023 needs a file over 8 MiB, and E025
    // comes from `compile`, not `check`. E029 and W011 compare a translation
    // with its source, two files: tests/translate.rs.
    let untestable = ["E023", "E025", "E029", "W011"];
    let files = bad_files();
    let mut codes = Vec::new();
    collect_codes(&root().join("src"), &mut codes);
    codes.sort();
    codes.dedup();
    assert!(codes.len() > 20, "found only {codes:?} in src/");
    let missing: Vec<_> = codes.iter().filter(|c| !untestable.contains(&c.as_str()) && !files.iter().any(|f| f.starts_with(&format!("{c}-")))).collect();
    assert!(missing.is_empty(), "no file in tests/bad for {missing:?}");
}

#[test]
fn every_code_in_the_source_is_documented() {
    let docs = std::fs::read_to_string(root().join("docs/diagnostics.md")).expect("docs/diagnostics.md exists");
    let mut codes = Vec::new();
    collect_codes(&root().join("src"), &mut codes);
    let missing: Vec<_> = codes.iter().filter(|c| !docs.contains(&format!("| {c} |"))).collect();
    assert!(missing.is_empty(), "docs/diagnostics.md does not describe {missing:?}");
}

/// Codes such as `"E004"` written as string literals in the source.
fn collect_codes(dir: &Path, codes: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path: PathBuf = entry.expect("src is readable").path();
        if path.is_dir() {
            collect_codes(&path, codes);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("sources are UTF-8");
            let bytes = text.as_bytes();
            for (i, _) in text.match_indices('"') {
                let code = bytes.get(i + 1..i + 6);
                if let Some([kind @ (b'E' | b'W'), a, b, c, b'"']) = code
                    && [a, b, c].iter().all(|d| d.is_ascii_digit())
                {
                    codes.push(format!("{}{}", *kind as char, std::str::from_utf8(&[*a, *b, *c]).unwrap_or_default()));
                }
            }
        }
    }
}

/// One scenario with three unrelated mistakes: a string where a number goes,
/// a misspelt field and a misspelt skill.
const SEVERAL_PROBLEMS: &str = r#"id = "several"
title = "Several"
summary = "Three mistakes at once."
objectives = ["Report them all."]
minutes = 2

[peer]
name = "Ari"
trust = "30"

[[node]]
id = "hello"
say = "Hi."

[[node.choice]]
text = "It sounds like a lot."
skill = "reflecton"
feedbak = "Reflection of feeling."
next = "left"

[[ending]]
id = "left"
outcome = "disengaged"
title = "Ari leaves"
text = "Trust fell below the floor."
"#;

#[test]
fn several_problems_in_one_file_are_all_reported() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("several-problems.toml");
    std::fs::write(&path, SEVERAL_PROBLEMS).expect("the target directory is writable");
    let name = path.to_str().expect("the target directory has a UTF-8 path");
    let out = attunement(&["check", name]);
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let headlines: Vec<&str> = stdout.lines().filter_map(|l| l.strip_prefix(name)).collect();
    assert_eq!(
        headlines,
        [
            ":9:9: error[E002]: expected an integer for `trust`, found a string",
            ":17:9: error[E006]: unknown skill `reflecton`",
            ":18:1: error[E007]: unknown field `feedbak` in choice",
        ],
        "{stdout}"
    );
    assert!(stdout.ends_with("1 file checked: 3 errors, 0 warnings\n"), "{stdout}");
}

#[test]
fn check_as_json_gives_counts_and_positions() {
    let rel = "tests/bad/E004-unknown-node.toml";
    let out = attunement(&["check", "--format", "json", rel]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check --format json prints JSON");
    assert_eq!(v["errors"], 1, "{v}");
    assert_eq!(v["warnings"], 0, "{v}");
    let d = &v["diagnostics"][0];
    assert_eq!(d["file"], rel);
    assert_eq!(d["code"], "E004");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "unknown node or ending `stayd`");
    assert_eq!(d["hints"][0], "did you mean `stayed`?");
    // The same position the text output gives, and the end of the span.
    let text = String::from_utf8(attunement(&["check", rel]).stdout).expect("stdout is UTF-8");
    let (line, column) = (d["line"].as_u64().expect("line is a number"), d["column"].as_u64().expect("column is a number"));
    assert!(text.starts_with(&format!("{rel}:{line}:{column}: error[E004]")), "{text}");
    assert_eq!(d["end_line"], line);
    assert_eq!(d["end_column"].as_u64(), Some(column + "\"stayd\"".len() as u64));
}

#[test]
fn a_missing_file_is_a_usage_error() {
    let out = attunement(&["check", "tests/bad/no-such-file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(stderr.starts_with("error: cannot read `tests/bad/no-such-file.toml`: no such file or directory"), "{stderr}");
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let out = attunement(&["chekc", "tests/fixtures/tiny.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(stderr.starts_with("error: unrecognized subcommand 'chekc'\n"), "{stderr}");
    assert!(stderr.contains("'check'"), "the close command is suggested: {stderr}");
    assert!(stderr.contains("Usage: attunement <COMMAND>"), "the usage follows: {stderr}");
}

#[test]
fn an_unknown_option_is_a_usage_error() {
    let out = attunement(&["check", "--formt", "json", "tests/fixtures/tiny.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(stderr.starts_with("error: unexpected argument '--formt' found\n"), "{stderr}");
    assert!(stderr.contains("tip: a similar argument exists: '--format'"), "{stderr}");
}

#[test]
fn no_command_is_a_usage_error() {
    let out = attunement(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    // The help, so the commands are on screen.
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(stderr.contains("Usage: attunement <COMMAND>") && stderr.contains("  check "), "{stderr}");
}

#[test]
fn library_builds_around_a_bad_file_and_replaces_the_old_library_only_when_done() {
    let tmp = std::env::temp_dir().join(format!("attunement-library-{}", std::process::id()));
    let (dir, out) = (tmp.join("scenarios"), tmp.join("www-scenarios"));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(root().join("tests/fixtures/tiny.toml"), dir.join("tiny.toml")).unwrap();
    std::fs::copy(root().join("tests/bad/E001-not-utf8.toml"), dir.join("broken.toml")).unwrap();
    std::fs::write(dir.join("notes.md"), "not a scenario").unwrap();
    std::os::unix::fs::symlink(tmp.join("nowhere.toml"), dir.join("dangling.toml")).unwrap();
    // A previous library, which must survive a run that cannot finish.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("old.json"), "{}").unwrap();
    let run = |from: &Path| Command::new(env!("CARGO_BIN_EXE_attunement")).args(["library", from.to_str().unwrap(), "-o", out.to_str().unwrap()]).output().unwrap();

    let failed = run(&tmp.join("no-such-folder"));
    assert_eq!(failed.status.code(), Some(2));
    assert!(out.join("old.json").exists(), "a library that could not be built deletes nothing");

    let built = run(&dir);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert_eq!(built.status.code(), Some(1), "a file with errors makes the exit code 1: {stderr}");
    assert!(stderr.contains("broken.toml:") && stderr.contains("error[E001]: the file is not valid UTF-8 text"), "the bad file gets its diagnostic: {stderr}");
    assert!(stderr.contains("library: skipped ") && stderr.contains("notes.md: not a .toml or .json scenario"), "nothing is skipped silently: {stderr}");
    assert!(stderr.contains("dangling.toml: error: not a file that can be read"), "a link to nothing is that file's problem: {stderr}");
    assert!(stderr.contains("library: 1 scenario compiled into") && stderr.contains("left out, with errors: ") && stderr.contains("broken.toml"), "{stderr}");
    assert!(out.join("tiny.attn").exists() && out.join("tiny.toml").exists(), "the good scenario still builds");
    assert!(!out.join("old.json").exists(), "the new library replaced the old one whole");
    let index: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["scenarios"].as_array().map(|s| s.iter().map(|s| s["id"].as_str().unwrap()).collect::<Vec<_>>()), Some(vec!["tiny"]));
    let leftovers: Vec<_> = std::fs::read_dir(&tmp).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().starts_with('.')).collect();
    assert!(leftovers.is_empty(), "no staging folder is left behind: {leftovers:?}");

    // Through a link, the folder it points at is replaced and the link kept.
    let link = tmp.join("linked");
    std::os::unix::fs::symlink(&out, &link).unwrap();
    let through = Command::new(env!("CARGO_BIN_EXE_attunement")).args(["library", dir.to_str().unwrap(), "-o", link.to_str().unwrap()]).output().unwrap();
    assert_eq!(through.status.code(), Some(1));
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink() && out.join("tiny.attn").exists(), "the link still leads to the rebuilt library");
    // A file where the library should go is a usage error, and stays.
    let file = tmp.join("a-file");
    std::fs::write(&file, "keep me").unwrap();
    let onto = Command::new(env!("CARGO_BIN_EXE_attunement")).args(["library", dir.to_str().unwrap(), "-o", file.to_str().unwrap()]).output().unwrap();
    assert_eq!(onto.status.code(), Some(2), "{}", String::from_utf8_lossy(&onto.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    std::fs::remove_dir_all(&tmp).unwrap();
}
