//! `attunement compile FILE [-o OUT]`: checks a scenario and writes it in the
//! compiled form the learner's browser loads ([`attunement::compiled`]): to
//! OUT, by default FILE with the extension `.attn`, or with `-o -` to
//! standard output when that is not a terminal. A scenario with errors, or
//! whose analysis did not finish (E025), is not written.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use super::{Problem, load_compiled};

pub fn run(file: &str, output: Option<&str>) -> Result<ExitCode, Problem> {
    let bytes = match load_compiled(file)? {
        Ok((_, bytes)) => bytes,
        Err(code) => return Ok(code),
    };
    let out = output.map_or_else(|| std::path::Path::new(file).with_extension(attunement::compiled::EXTENSION).to_string_lossy().into_owned(), str::to_string);
    write_compiled(&bytes, &out)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the compiled scenario to the file `out`, or to standard output
/// for `-`: never onto a terminal, since it is binary.
fn write_compiled(bytes: &[u8], out: &str) -> Result<(), Problem> {
    if out == "-" {
        if std::io::stdout().is_terminal() {
            return Err(Problem("compile writes a binary file: give `-o FILE.attn`, or redirect standard output".into()));
        }
        let _ = std::io::stdout().write_all(bytes);
        return Ok(());
    }
    std::fs::write(out, bytes).map_err(|e| Problem::io("write", std::path::Path::new(out), e))?;
    eprintln!("compile: wrote {out} ({} bytes)", bytes.len());
    Ok(())
}
