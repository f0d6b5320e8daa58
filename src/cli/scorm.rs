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
    let size = write_package(&scenario, &compiled, mode, version, &widget, out)?;
    eprintln!("scorm: wrote {out} (SCORM {}, scenario `{}`, {} KB)", version.id(), scenario.meta().id, size.div_ceil(1024));
    Ok(ExitCode::SUCCESS)
}

/// Packages the compiled scenario with the widget and writes the zip to `out`; returns its size in bytes.
fn write_package(scenario: &Scenario, compiled: &[u8], mode: Mode, version: Version, widget: &[(&str, Vec<u8>)], out: &str) -> Result<usize, Problem> {
    let zip = scorm::package(scenario, compiled, mode, version, widget);
    std::fs::write(out, &zip).map_err(|e| Problem::io("write", std::path::Path::new(out), e))?;
    Ok(zip.len())
}
