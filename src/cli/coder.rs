//! `attunement coder train` and `attunement coder evaluate`: training the reply coder on the
//! project's replies and printing its figures (`attunement::coder::train`).

use std::process::ExitCode;

use attunement::coder::train as training;

use super::Problem;
use super::code::load;

/// The project's replies and the challenge set, as the defaults name them.
pub const DATA: &str = "data/replies";
pub const CHALLENGE: &str = "data/challenge";

fn examples(dir: &str) -> Result<Vec<training::Example>, Problem> {
    training::read_dir(dir.as_ref()).map_err(|problems| Problem(format!("the replies in `{dir}` have problems:\n{}", problems.join("\n"))))
}

/// Trains on the training split of `data` and writes the model to `out`.
pub fn train(data: &str, out: &str) -> Result<ExitCode, Problem> {
    let all = examples(data)?;
    let train: Vec<_> = all.iter().filter(|e| e.split() == training::Split::Train).cloned().collect();
    let coder = training::train(&train, training::Settings::default());
    let bytes = coder.write();
    std::fs::write(out, &bytes).map_err(|e| Problem::io("write", out.as_ref(), e))?;
    eprintln!("coder: trained on {} of {} replies; wrote {out} ({} KB)", train.len(), all.len(), bytes.len().div_ceil(1024));
    Ok(ExitCode::SUCCESS)
}

/// Prints the model's figures on the held-out split of `data` and on the challenge set.
pub fn evaluate(data: &str, challenge: &str, model: &str) -> Result<ExitCode, Problem> {
    let coder = load(model)?;
    let held_out: Vec<_> = examples(data)?.into_iter().filter(|e| e.split() == training::Split::Test).collect();
    outln!("The held-out split of {data} (one reply in five, never trained on):\n");
    out!("{}", training::evaluate(&coder, &held_out).report());
    if std::path::Path::new(challenge).is_dir() {
        let set = examples(challenge)?;
        outln!("\nThe challenge set {challenge} (written apart from the training replies, never trained on):\n");
        out!("{}", training::evaluate(&coder, &set).report());
    }
    let library = library_choices()?;
    outln!("\nThe choices of the scenarios in {LIBRARY}, as their authors labelled them (other writers again; many hard on purpose):\n");
    out!("{}", training::evaluate(&coder, &library).report());
    Ok(ExitCode::SUCCESS)
}

/// The library's scenarios, whose choices are a third set of labelled replies.
const LIBRARY: &str = "scenarios";

/// Every choice of every scenario in [`LIBRARY`], labelled with its authored skill.
fn library_choices() -> Result<Vec<training::Example>, Problem> {
    let mut files: Vec<_> = std::fs::read_dir(LIBRARY).map_err(|e| Problem::io("read", LIBRARY.as_ref(), e))?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "toml"))
        // The coder reads English: a translation's choices are not its test.
        .filter(|p| p.file_name().and_then(|n| n.to_str()).and_then(attunement::translate::source_of).is_none())
        .collect();
    files.sort();
    let mut examples = Vec::new();
    for path in files {
        let file = path.display().to_string();
        let Ok(scenario) = super::load(&file)? else { return Err(Problem(format!("`{file}` has errors: run `attunement check {file}`"))) };
        for node in scenario.nodes() {
            examples.extend(node.choices.iter().map(|c| training::Example { skill: c.skill, text: c.text.clone(), file: file.clone(), line: 0 }));
        }
    }
    Ok(examples)
}
