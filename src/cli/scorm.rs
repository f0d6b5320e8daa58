//! `attunement scorm FILE -o OUT.zip`: a SCORM package of one scenario for a
//! course site: the scenario (checked, then compiled), the learner's widget
//! from www/ (its engine built by scripts/build-web.sh) and the manifest, in
//! one zip. `ATTUNEMENT_WWW` names another www/ folder.

use std::process::ExitCode;

use attunement::Mode;
use attunement::scenario::Scenario;
use attunement::scorm::{self, Version};

use super::{Problem, load_compiled};

/// Builds the package in `mode` (assessment unless told otherwise) for the
/// SCORM `version` and writes it to `out`.
pub fn run(file: &str, out: &str, version: Version, mode: Mode) -> Result<ExitCode, Problem> {
    let (scenario, compiled) = match load_compiled(file)? {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let www = std::env::var_os("ATTUNEMENT_WWW").map_or_else(|| std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/www")), std::path::PathBuf::from);
    let mut widget = Vec::new();
    for name in scorm::WIDGET_FILES {
        let file = www.join(name);
        match std::fs::read(&file) {
            Ok(bytes) => widget.push((name, bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && scorm::is_built(name) => {
                return Err(Problem(format!("`{}` is missing: build the widget first with `bash scripts/build-web.sh`", file.display())));
            }
            Err(e) => return Err(Problem::io("read", &file, e)),
        }
    }
    // A scenario in another language takes the interface's words in it: the widget's catalogue and
    // the engine's words (www/lang/, built by scripts/build-web.sh), when the widget has them.
    let words = interface_words(&www.join("lang"), &scenario.meta().language)?;
    widget.extend(words.iter().map(|(name, bytes)| (name.as_str(), bytes.clone())));
    let size = write_package(&scenario, &compiled, mode, version, &widget, out)?;
    eprintln!("scorm: wrote {out} (SCORM {}, scenario `{}`, {} KB)", version.id(), scenario.meta().id, size.div_ceil(1024));
    Ok(ExitCode::SUCCESS)
}

/// The files of `lang_dir` (www/lang/) for the interface in `language`, as package paths
/// (`lang/widget.es.js`, `lang/engine.es.json`): the catalogue whose tag is `language`, else one of
/// the same language (`pt` takes `pt-BR`), as the widget chooses. None for English, whose words
/// the widget and the engine carry, or for a language the widget is not translated into.
fn interface_words(lang_dir: &std::path::Path, language: &str) -> Result<Vec<(String, Vec<u8>)>, Problem> {
    let base = |tag: &str| tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    if language.is_empty() || base(language) == "en" {
        return Ok(Vec::new());
    }
    let shipped: Vec<String> = match std::fs::read_dir(lang_dir) {
        Ok(dir) => dir
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|name| Some(name.strip_prefix("widget.")?.strip_suffix(".js")?.to_string()))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Problem::io("read", lang_dir, e)),
    };
    let tag = shipped.iter().find(|t| t.eq_ignore_ascii_case(language)).or_else(|| shipped.iter().find(|t| base(t) == base(language)));
    let Some(tag) = tag else { return Ok(Vec::new()) };
    let mut files = Vec::new();
    for name in [format!("widget.{tag}.js"), format!("engine.{tag}.json")] {
        let file = lang_dir.join(&name);
        match std::fs::read(&file) {
            Ok(bytes) => files.push((format!("lang/{name}"), bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Problem::io("read", &file, e)),
        }
    }
    Ok(files)
}

/// Packages the compiled scenario with the widget and writes the zip to `out`; returns its size in bytes.
fn write_package(scenario: &Scenario, compiled: &[u8], mode: Mode, version: Version, widget: &[(&str, Vec<u8>)], out: &str) -> Result<usize, Problem> {
    let zip = scorm::package(scenario, compiled, mode, version, widget);
    std::fs::write(out, &zip).map_err(|e| Problem::io("write", std::path::Path::new(out), e))?;
    Ok(zip.len())
}
