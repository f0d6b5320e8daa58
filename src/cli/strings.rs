//! `attunement strings`: a scenario's strings out to translators as XLIFF 2.0
//! (`attunement translate` brings the translation back). See
//! [`attunement::translate`].

use std::path::Path;
use std::process::ExitCode;

use attunement::translate as tr;

use super::translate::source_units;
use super::{Problem, plural};

pub fn run(file: &str, output: Option<&str>) -> Result<ExitCode, Problem> {
    let (_, sc, units) = match source_units(file)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let name = Path::new(file).file_name().map_or(file.to_string(), |n| n.to_string_lossy().into_owned());
    let xliff = tr::xliff(&units, &sc.meta().language, &sc.meta().id, &name);
    match output {
        None | Some("-") => dataln!("{}", xliff.trim_end()),
        Some(out) => {
            std::fs::write(out, &xliff).map_err(|e| Problem::io("write", Path::new(out), e))?;
            eprintln!("{out}: {} string{} of {file}, for translation", units.len(), plural(units.len()));
        }
    }
    Ok(ExitCode::SUCCESS)
}
