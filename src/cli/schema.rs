//! `attunement schema`: the JSON Schema of the scenario format, generated
//! from the same declarations as the loader, for editors that validate.

use std::process::ExitCode;

use super::Problem;

pub fn run() -> Result<ExitCode, Problem> {
    dataln!("{}", serde_json::to_string_pretty(&attunement::checking::syntax::schema()).unwrap_or_default());
    Ok(ExitCode::SUCCESS)
}
