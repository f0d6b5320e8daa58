//! Golden transcripts: scripted play-throughs compared with what the CLI prints.
//!
//! Each file in `tests/golden/` starts with one line, `# args: ARGS`, the
//! arguments to `attunement` split on whitespace (so no argument may contain
//! a space), and the rest of the file is the exact stdout of that run, JSON
//! included. The command runs from the crate root and must succeed.
//!
//! `UPDATE_GOLDEN=1 cargo test --test golden` rewrites every transcript from
//! what the CLI prints now; read the diff as a trainer would before keeping
//! it.

use std::path::Path;
use std::process::Command;

const ARGS: &str = "# args: ";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

#[test]
fn transcripts_match() {
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests/golden"))
        .expect("tests/golden exists")
        .map(|e| e.expect("tests/golden is readable").file_name().into_string().expect("file names are UTF-8"))
        .filter(|name| name.ends_with(".txt"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "tests/golden has no transcripts");

    let mut failures = Vec::new();
    for name in names {
        let rel = format!("tests/golden/{name}");
        let path = root().join(&rel);
        let text = std::fs::read_to_string(&path).expect("transcripts are UTF-8");
        let (first, expected) = text.split_once('\n').unwrap_or((&text, ""));
        let Some(args) = first.strip_prefix(ARGS) else {
            failures.push(format!("{rel}: the first line must be `{ARGS}...`"));
            continue;
        };
        let args: Vec<&str> = args.split_whitespace().collect();
        let out = Command::new(env!("CARGO_BIN_EXE_attunement")).args(&args).current_dir(root()).output().expect("the attunement binary runs");
        let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
        if !out.status.success() {
            failures.push(format!("{rel}: `attunement {}` failed with {}\n{}", args.join(" "), out.status, String::from_utf8_lossy(&out.stderr)));
            continue;
        }
        if updating() {
            std::fs::write(&path, format!("{first}\n{stdout}")).expect("the transcript is writable");
        } else if stdout != expected {
            failures.push(format!("{rel}: output differs\n--- expected\n{expected}--- actual\n{stdout}"));
        }
    }
    assert!(failures.is_empty(), "{} problem(s):\n\n{}", failures.len(), failures.join("\n\n"));
}
