//! `attunement code`: the reply coder (`attunement::coder`) from the terminal, one reply a
//! line. Training and evaluating the model are `attunement coder` (`super::coder`).

use std::io::BufRead;
use std::process::ExitCode;

use attunement::coder::Coder;

use super::Problem;

/// The committed model, as the defaults name it.
pub const MODEL: &str = "data/coder.bin";

/// Reads a model file.
pub(super) fn load(model: &str) -> Result<Coder, Problem> {
    let bytes = std::fs::read(model).map_err(|e| Problem::io("read", model.as_ref(), e))?;
    Coder::read(&bytes).map_err(|e| Problem(format!("`{model}`: {e}")))
}

/// Codes each line of standard input, printing one JSON object a line.
pub fn code(model: &str) -> Result<ExitCode, Problem> {
    let coder = load(model)?;
    for line in std::io::stdin().lock().lines() {
        let text = line.map_err(|e| Problem(format!("cannot read standard input: {e}")))?;
        let coding = coder.code(&text);
        let alternatives: Vec<_> = coding.alternatives.iter().map(|(skill, p)| serde_json::json!({ "skill": skill.id(), "confidence": round(*p) })).collect();
        let object = serde_json::json!({ "text": text, "skill": coding.skill.id(), "confidence": round(coding.confidence), "alternatives": alternatives });
        dataln!("{object}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Four decimals are plenty for a probability, and keep the lines short.
fn round(p: f64) -> f64 {
    (p * 10_000.0).round() / 10_000.0
}
