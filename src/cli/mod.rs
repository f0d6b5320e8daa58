//! What every command shares: reading and loading scenario files, printing
//! to the terminal, the exit codes, and `Problem`, the error that ends a
//! command with exit code 2. One module per command follows.
//!
//! Output goes through `out!` and `outln!`, which ignore a closed pipe and
//! show control characters from a scenario as visible stand-ins, or through
//! `dataln!` for data that programs read. Nothing here parses arguments:
//! that is clap's, declared in `main.rs`.

use std::process::ExitCode;

use attunement::Report;
use attunement::checking::Format;
use attunement::diagnostic::{Diagnostic, Source, Span, terminal_safe};
use attunement::scenario::Playable;

/// `print!` that ignores a closed pipe (`attunement analyze x | head`)
/// instead of panicking, and shows control characters from a scenario as
/// visible stand-ins, so no scenario text can drive the terminal.
macro_rules! out {
    ($($arg:tt)*) => {{
        let _ = std::io::Write::write_all(&mut std::io::stdout(), ::attunement::diagnostic::terminal_safe(&format!($($arg)*)).as_bytes());
    }};
}

/// `println!` as [`out!`] prints.
macro_rules! outln {
    ($($arg:tt)*) => {{
        let _ = std::io::Write::write_all(&mut std::io::stdout(), (::attunement::diagnostic::terminal_safe(&format!($($arg)*)) + "\n").as_bytes());
    }};
}

/// A line of output for programs (JSON, a compiled scenario), written as it
/// is: `terminal_safe` would change the data (JSON escapes what must be
/// escaped itself).
macro_rules! dataln {
    ($($arg:tt)*) => {{
        let _ = std::io::Write::write_fmt(&mut std::io::stdout(), format_args!("{}\n", format_args!($($arg)*)));
    }};
}

pub mod analyze;
pub mod check;
pub mod code;
pub mod coder;
pub mod compile;
pub mod graph;
pub mod library;
pub mod play;
pub mod report;
pub mod schema;
pub mod scorm;
pub mod strings;
pub mod translate;
pub mod words;

/// Exit code 1: a scenario has errors, and its diagnostics were printed.
pub const SCENARIO_ERRORS: u8 = 1;
/// Exit code 2: a usage or I/O problem. clap's own usage errors exit 2 too.
pub const PROBLEM: u8 = 2;

/// A usage or I/O problem found once the arguments were parsed (a file that
/// cannot be read, a pick that is not offered): the command stops with its
/// message and exit code 2.
pub struct Problem(pub String);

impl Problem {
    /// Says what went wrong on stderr and gives the exit code.
    pub fn report(self) -> ExitCode {
        eprintln!("error: {}", terminal_safe(&self.0));
        ExitCode::from(PROBLEM)
    }

    /// An I/O error about `path`, as `cannot WHAT `PATH`: why`.
    pub fn io(what: &str, path: &std::path::Path, e: std::io::Error) -> Problem {
        Problem(format!("cannot {what} `{}`: {}", path.display(), e.to_string().to_lowercase()))
    }
}

/// Reads a file's bytes, no further than one byte past the size a scenario may be (so that a
/// larger one is known to be larger, and refused unread).
fn bytes(path: &std::path::Path) -> Result<Vec<u8>, Problem> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Problem::io("read", path, e);
    let mut bytes = Vec::new();
    std::fs::File::open(path).map_err(cannot)?.take(attunement::scenario::MAX_SOURCE_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(cannot)?;
    Ok(bytes)
}

/// Whether `bytes` begin as a compiled scenario does. Its first five bytes are enough: one whose
/// line endings a transfer changed is still compiled, and the reader says what happened to it.
fn is_compiled(bytes: &[u8]) -> bool {
    bytes.starts_with(&attunement::compiled::MAGIC[..5])
}

/// Reads a file as a source's text. A file that is not UTF-8 comes back as a diagnostic with the
/// text decoded lossily, so the bad byte can still be shown; so does one over the size limit
/// (E023), read no further than the limit, and a compiled scenario (E001), which is not a source.
pub fn read(path: impl AsRef<std::path::Path>) -> Result<Result<String, (Diagnostic, String)>, Problem> {
    let path = path.as_ref();
    Ok(text(path, bytes(path)?))
}

fn text(path: &std::path::Path, bytes: Vec<u8>) -> Result<String, (Diagnostic, String)> {
    if bytes.len() > attunement::scenario::MAX_SOURCE_BYTES {
        let len = std::fs::metadata(path).map_or(bytes.len(), |m| m.len() as usize);
        let d = attunement::checking::too_large(len).unwrap_or_else(|| Diagnostic::error("E023", Span::default(), "the file is too large"));
        return Err((d, String::new()));
    }
    if is_compiled(&bytes) {
        let d = Diagnostic::error("E001", Span::default(), "this is a compiled scenario (from `attunement compile`), not a source").hint("give this command the scenario's .toml or .json");
        return Err((d, String::new()));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        // Lossy decoding keeps everything before the bad byte as it was.
        (Diagnostic::error("E001", Span::new(at, at + 1), "the file is not valid UTF-8 text").hint("save the file as UTF-8"), text)
    })
}

/// Loads a scenario, printing its diagnostics to stderr; `Err(1)` on errors. A compiled one (from
/// `attunement compile`) is read as the learner's engine reads it, so what was shipped can be
/// played and looked at too; a damaged one is a problem, with the reader's reason.
pub fn load(path: &str) -> Result<Result<Playable, ExitCode>, Problem> {
    let bytes = bytes(path.as_ref())?;
    // One over the size limit is refused unread, compiled or not (E023, from `text`).
    if bytes.len() <= attunement::scenario::MAX_SOURCE_BYTES && is_compiled(&bytes) {
        return attunement::compiled::read(&bytes).map(Ok).map_err(|e| Problem(format!("`{path}`: {e}")));
    }
    Ok(load_as(path, text(path.as_ref(), bytes), |text, format| (attunement::check(text, format), Some(()))).map(|(scenario, ())| scenario))
}

/// Loads a scenario and its compiled JSON, in one check.
pub fn load_compiled(path: &str) -> Result<Result<(Playable, Vec<u8>), ExitCode>, Problem> {
    Ok(load_as(path, read(path)?, attunement::checking::compile_report))
}

/// Runs `run` on a scenario's text as [`read`] gave it, printing the diagnostics to stderr;
/// `Err(1)` when it has errors.
fn load_as<T>(path: &str, text: Result<String, (Diagnostic, String)>, run: impl FnOnce(&str, Format) -> (Report, Option<T>)) -> Result<(Playable, T), ExitCode> {
    let text = match text {
        Ok(t) => t,
        Err((d, text)) => {
            eprint!("{}", Source::new(path, &text).render(&d));
            return Err(ExitCode::from(SCENARIO_ERRORS));
        }
    };
    let (report, extra) = run(&text, Format::from_path(path));
    eprint!("{}", Source::new(path, &text).render_all(&report.diagnostics));
    report.scenario.zip(extra).ok_or(ExitCode::from(SCENARIO_ERRORS))
}

/// The `s` of a plural: `1 file`, `2 files`.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
