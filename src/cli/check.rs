//! `attunement check FILE...`: every problem in the scenarios, each in the
//! GNU `file:line:col` form, then a count; or one JSON object for tools.
//! Exit code 1 when any file has an error; warnings alone still give 0.

use std::process::ExitCode;

use attunement::diagnostic::{MAX_RENDERED, Source};
use attunement::checking::Format;
use serde_json::json;

use super::{Problem, SCENARIO_ERRORS, plural, read};

/// Checks each file in turn; a file that cannot be read at all is a problem
/// (exit code 2), one that is not UTF-8 or too large is a diagnostic.
pub fn run(files: &[String], json: bool) -> Result<ExitCode, Problem> {
    let (mut errors, mut warnings, mut located, mut omitted) = (0, 0, Vec::new(), 0);
    let mut out = String::new();
    for path in files {
        let (text, diagnostics) = match read(path)? {
            Ok(text) => {
                let report = attunement::check(&text, Format::from_path(path));
                let mut d = report.diagnostics;
                if let Some(t) = &report.scenario {
                    d.extend(against_source(path, &text, t));
                }
                (text, d)
            }
            Err((d, text)) => (text, vec![d]),
        };
        let source = Source::new(path, &text);
        for (i, d) in diagnostics.iter().enumerate() {
            if d.is_error() { errors += 1 } else { warnings += 1 }
            if i < MAX_RENDERED {
                located.push(source.locate(d));
            } else {
                omitted += 1;
            }
        }
        if !json {
            out.push_str(&source.render_all(&diagnostics));
        }
    }
    if json {
        // Like the text, at most MAX_RENDERED diagnostics a file; `omitted` counts the rest.
        dataln!("{}", json!({ "errors": errors, "warnings": warnings, "diagnostics": located, "omitted": omitted }));
    } else {
        out!("{out}");
        let files = files.len();
        outln!("{} file{} checked: {errors} error{}, {warnings} warning{}", files, plural(files), plural(errors), plural(warnings));
    }
    Ok(if errors > 0 { ExitCode::from(SCENARIO_ERRORS) } else { ExitCode::SUCCESS })
}

/// For a translation, `ID.LANG.toml` beside its source `ID.toml`: how it
/// differs from the source (see [`attunement::translate::compare`]). Nothing
/// for any other file, or when the source does not check.
fn against_source(path: &str, text: &str, translation: &attunement::scenario::Scenario) -> Vec<attunement::Diagnostic> {
    use attunement::translate as tr;
    let p = std::path::Path::new(path);
    let Some(source_name) = p.file_name().and_then(|n| tr::source_of(&n.to_string_lossy())) else { return Vec::new() };
    let source_path = p.with_file_name(&source_name);
    let Ok(source_text) = std::fs::read_to_string(&source_path) else { return Vec::new() };
    let format = Format::from_path(path);
    let Some(source) = attunement::check(&source_text, format).scenario else { return Vec::new() };
    tr::compare(&source, &tr::units_in(&source_text, format), translation, &tr::units_in(text, format), &source_path.to_string_lossy())
}
