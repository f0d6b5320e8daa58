//! `attunement translate`: a scenario's translation, back from translators
//! as XLIFF 2.0, in as a scenario of its own (`ID.LANG.toml` beside its
//! source), checked before it is written. `attunement strings` (`super::strings`)
//! sends the strings out. See [`attunement::translate`].

use std::path::Path;
use std::process::ExitCode;

use attunement::diagnostic::Source;
use attunement::checking::Format;
use attunement::scenario::Playable;
use attunement::translate::{self as tr, Unit};

use super::{Problem, SCENARIO_ERRORS, plural, read};

/// A scenario's source read and checked: its text, the scenario and its strings.
pub(super) type Checked = (String, Playable, Vec<Unit>);

/// Reads and checks a scenario's source; diagnostics on stderr.
pub(super) fn source_units(file: &str) -> Result<Result<Checked, ExitCode>, Problem> {
    let text = match read(file)? {
        Ok(t) => t,
        Err((d, text)) => {
            eprint!("{}", Source::new(file, &text).render(&d));
            return Ok(Err(ExitCode::from(SCENARIO_ERRORS)));
        }
    };
    let format = Format::from_path(file);
    let report = attunement::check(&text, format);
    let Some(scenario) = report.scenario else {
        eprint!("{}", Source::new(file, &text).render_all(&report.diagnostics));
        eprintln!("{file}: fix its errors first: a translation is made from a scenario that plays");
        return Ok(Err(ExitCode::from(SCENARIO_ERRORS)));
    };
    let units = tr::units_in(&text, format);
    Ok(Ok((text, scenario, units)))
}

pub fn run(file: &str, from: &str, lang: Option<&str>, output: Option<&str>) -> Result<ExitCode, Problem> {
    let (text, source, units) = match source_units(file)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let xlf = std::fs::read_to_string(from).map_err(|e| Problem::io("read", Path::new(from), e))?;
    let translated = tr::read_xliff(&xlf).map_err(|e| Problem(format!("{from}: {e}")))?;
    let Some(lang) = lang.map(str::to_string).or(translated.target_language.clone()) else {
        return Err(Problem(format!("{from} does not say its language (trgLang on <xliff>): give --lang, such as --lang es")));
    };
    if tr::source_of(&format!("x.{lang}.toml")).is_none() {
        return Err(Problem(format!("`{lang}` is not a language tag such as es, ar or pt-BR")));
    }
    let format = Format::from_path(file);
    let (out_text, outcome) = match tr::translate(&text, format, &translated.targets, &lang) {
        Ok(x) => x,
        Err(ds) => {
            eprint!("{}", Source::new(file, &text).render_all(&ds));
            return Ok(ExitCode::from(SCENARIO_ERRORS));
        }
    };
    let out = output.map_or_else(
        || {
            let p = Path::new(file);
            let stem = p.file_stem().map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
            let ext = p.extension().map_or("toml".into(), |s| s.to_string_lossy().into_owned());
            p.with_file_name(format!("{stem}.{lang}.{ext}")).to_string_lossy().into_owned()
        },
        str::to_string,
    );
    // The translation is checked as its own scenario, and against its source, before it is written.
    let report = attunement::check(&out_text, format);
    let mut diagnostics = report.diagnostics.clone();
    if let Some(t) = report.scenario.as_ref() {
        diagnostics.extend(tr::compare(&source, &units, t, &tr::units_in(&out_text, format), file).into_iter().filter(|d| d.is_error()));
    }
    if diagnostics.iter().any(|d| d.is_error()) {
        eprint!("{}", Source::new(&out, &out_text).render_all(&diagnostics));
        eprintln!("{out} was not written: the translation has errors (a string that breaks the scenario, such as an empty one)");
        return Ok(ExitCode::from(SCENARIO_ERRORS));
    }
    std::fs::write(&out, &out_text).map_err(|e| Problem::io("write", Path::new(&out), e))?;
    eprintln!("{out}: {} of {} string{} translated into {lang}", outcome.translated, units.len(), plural(units.len()));
    if !outcome.missing.is_empty() {
        let shown: Vec<&str> = outcome.missing.iter().take(8).map(String::as_str).collect();
        eprintln!("warning: {} string{} had no translation and stay as in {file}: {}{}", outcome.missing.len(), plural(outcome.missing.len()), shown.join(", "), if outcome.missing.len() > 8 { ", …" } else { "" });
    }
    if !outcome.unknown.is_empty() {
        eprintln!("warning: {from} has {} string{} that {file} does not ({}): is it of another version of the scenario?", outcome.unknown.len(), plural(outcome.unknown.len()), outcome.unknown.iter().take(5).cloned().collect::<Vec<_>>().join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
