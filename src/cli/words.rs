//! `attunement words`: every word the engine shows a learner, by id, with its English, as the
//! JSON object translators start from (`www/i18n/engine.en.json`, which a test keeps in step).

use std::process::ExitCode;

use super::Problem;

pub fn run() -> Result<ExitCode, Problem> {
    let words: serde_json::Map<String, serde_json::Value> = attunement::words::english().into_iter().map(|(id, text)| (id, text.into())).collect();
    dataln!("{}", serde_json::to_string_pretty(&words).unwrap_or_default());
    Ok(ExitCode::SUCCESS)
}
