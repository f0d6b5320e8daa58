//! `attunement compile FILE [-o OUT]`: checks a scenario and writes it in the
//! compiled form the learner's browser loads, to OUT or to stdout. A scenario
//! with errors, or whose analysis did not finish (E025), is not written.

use std::process::ExitCode;

use super::{Problem, load_compiled};

pub fn run(file: &str, output: Option<&str>) -> Result<ExitCode, Problem> {
    let json = match load_compiled(file)? {
        Ok((_, json)) => json,
        Err(code) => return Ok(code),
    };
    write_compiled(json, output)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the compiled scenario (today the JSON of `compile_report`) to the
/// file `output`, or to stdout as it is, with a final newline.
fn write_compiled(json: String, output: Option<&str>) -> Result<(), Problem> {
    match output {
        Some(out) => std::fs::write(out, json + "\n").map_err(|e| Problem::io("write", std::path::Path::new(out), e))?,
        None => dataln!("{json}"),
    }
    Ok(())
}
