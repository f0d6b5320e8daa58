//! `attunement library DIR -o OUT`: every scenario in a folder compiled for
//! the browser, with a copy of each TOML source and an `index.json` in the
//! suggested order, swapped into place only once it is complete.

use std::process::ExitCode;

use attunement::diagnostic::{Source, terminal_safe};
use attunement::checking::Format;
use serde_json::json;

use super::{Problem, SCENARIO_ERRORS, plural, read};

/// Compiles a folder of scenarios for the browser: `OUT/ID.attn` for each,
/// a copy of each source (for authors' previews), and `OUT/index.json`
/// listing them for the library page. A scenario's file name must be its id.
///
/// Nothing is skipped silently and nothing is lost: a file that cannot be
/// read or has errors gets its diagnostics and is left out (exit code 1)
/// while the others still build, a file that is not a scenario is named as
/// skipped, and the new library is written beside OUT and moved into place
/// only once it is complete, so a failure leaves the old one as it was.
pub fn run(dir: &str, out: &str) -> Result<ExitCode, Problem> {
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Problem::io("read", std::path::Path::new(dir), e))?
        .map(|entry| entry.map(|e| e.path()).map_err(|e| Problem::io("read", std::path::Path::new(dir), e)))
        .collect::<Result<_, _>>()?;
    paths.sort();
    let out = library_target(std::path::Path::new(out))?;
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("library").to_string();
    let staging = Staging(out.with_file_name(format!(".{name}.building-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&staging.0);
    std::fs::create_dir_all(&staging.0).map_err(|e| Problem::io("create", &staging.0, e))?;
    let (index, failed) = library_into(&paths, &staging.0)?;
    // Swap the new library in: the old one is removed only once the new one
    // stands in its place (for the moment between the two renames, OUT is
    // absent; a server sees the old library or the new, never half of one).
    let old = out.with_file_name(format!(".{name}.old-{}", std::process::id()));
    if out.exists() {
        std::fs::rename(&out, &old).map_err(|e| Problem::io("replace", &out, e))?;
    }
    if let Err(e) = std::fs::rename(&staging.0, &out) {
        let _ = std::fs::rename(&old, &out);
        return Err(Problem::io("replace", &out, e));
    }
    let _ = std::fs::remove_dir_all(&old);
    let summary = if failed.is_empty() {
        String::new()
    } else {
        format!("; left out, with errors: {}", failed.join(", "))
    };
    eprintln!("library: {} scenario{} compiled into {}{}", index, plural(index), out.display(), terminal_safe(&summary));
    Ok(if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(SCENARIO_ERRORS) })
}

/// A staging folder, removed when dropped unless it was moved into place.
struct Staging(std::path::PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The folder a library goes to, with links and `.` or `..` resolved, so the
/// swap renames the real folder; a file there, or no folder name at all
/// (`/`), is a usage error.
fn library_target(out: &std::path::Path) -> Result<std::path::PathBuf, Problem> {
    let absolute = if out.exists() {
        if !out.is_dir() {
            return Err(Problem(format!("`{}` exists and is not a folder: name a folder for the library", out.display())));
        }
        std::fs::canonicalize(out).map_err(|e| Problem::io("read", out, e))?
    } else {
        let absolute = std::path::absolute(out).map_err(|e| Problem::io("use", out, e))?;
        let (parent, name) = (absolute.parent().map(std::path::Path::to_path_buf), absolute.file_name().map(std::ffi::OsStr::to_os_string));
        match (parent, name) {
            (Some(parent), Some(name)) if parent.is_dir() => std::fs::canonicalize(&parent).map(|p| p.join(name)).unwrap_or(absolute),
            _ => absolute,
        }
    };
    if absolute.file_name().is_none() {
        return Err(Problem(format!("`{}` is not a folder the library can be written to", out.display())));
    }
    Ok(absolute)
}

/// Builds the library of `paths` into the folder `out`; returns how many
/// scenarios it holds and the files left out for their errors.
fn library_into(paths: &[std::path::PathBuf], out: &std::path::Path) -> Result<(usize, Vec<String>), Problem> {
    let (mut index, mut failed) = (Vec::new(), Vec::new());
    let mut ids: Vec<(String, String)> = Vec::new();
    // Translations (`ID.LANG.toml`) after the sources they translate, so each can be held to its source.
    let is_translation = |p: &std::path::PathBuf| p.file_name().and_then(|n| n.to_str()).and_then(attunement::translate::source_of).is_some_and(|src| p.with_file_name(src).exists());
    let (translations, sources): (Vec<&std::path::PathBuf>, Vec<&std::path::PathBuf>) = paths.iter().partition(|p| is_translation(p));
    let mut translated: std::collections::BTreeMap<String, Vec<serde_json::Value>> = Default::default();
    // Each source that compiled, by its id, for its translations to be held to.
    let mut compiled_sources: std::collections::HashMap<String, (String, attunement::scenario::Playable)> = Default::default();
    for path in sources.into_iter().chain(translations.iter().copied()) {
        let name = path.display().to_string();
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("toml" | "json")) {
            eprintln!("library: skipped {}: not a .toml or .json scenario", terminal_safe(&name));
            continue;
        }
        // A link that leads nowhere, a folder or a pipe named like a scenario
        // is a problem with that file, not with the library.
        if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
            eprintln!("{}: error: not a file that can be read (a folder, a pipe, or a link to nothing)", terminal_safe(&name));
            failed.push(name);
            continue;
        }
        let text = match read(path) {
            Ok(Ok(text)) => text,
            Ok(Err((d, text))) => {
                eprint!("{}", Source::new(&name, &text).render(&d));
                failed.push(name);
                continue;
            }
            Err(Problem(why)) => {
                eprintln!("{}: error: {}", terminal_safe(&name), terminal_safe(&why));
                failed.push(name);
                continue;
            }
        };
        let format = Format::from_path(&name);
        let (report, compiled) = attunement::checking::compile_report(&text, format);
        eprint!("{}", Source::new(&name, &text).render_all(&report.diagnostics));
        let (Some(sc), Some(compiled)) = (report.scenario, compiled) else {
            failed.push(name);
            continue;
        };
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if translations.contains(&path) {
            match translation(path, &name, &text, &sc, &compiled, compiled_sources.get(&sc.meta().id), out) {
                Ok(entry) => translated.entry(sc.meta().id.clone()).or_default().push(entry),
                Err(why) => {
                    eprint!("{why}");
                    failed.push(name);
                }
            }
            continue;
        }
        if stem != sc.meta().id {
            eprintln!("{}: error: the file name must be the scenario's id: rename it to `{}.{}`", terminal_safe(&name), sc.meta().id, path.extension().and_then(|e| e.to_str()).unwrap_or("toml"));
            failed.push(name);
            continue;
        }
        if let Some((_, first)) = ids.iter().find(|(id, _)| *id == sc.meta().id) {
            eprintln!("{}: error: scenario `{}` is also in {}: keep one of the two", terminal_safe(&name), sc.meta().id, terminal_safe(first));
            failed.push(name);
            continue;
        }
        ids.push((sc.meta().id.clone(), name));
        compiled_sources.insert(sc.meta().id.clone(), (text.clone(), sc.clone()));
        let src = write_compiled(out, &sc.meta().id, &compiled)?;
        if format == Format::Toml {
            let copy = out.join(format!("{}.toml", sc.meta().id));
            std::fs::write(&copy, &text).map_err(|e| Problem::io("write", &copy, e))?;
        }
        let key = (sc.meta().level, sc.meta().order.unwrap_or(u32::MAX), sc.meta().title.clone(), sc.meta().id.clone());
        index.push((key, json!({
            "id": sc.meta().id,
            "title": sc.meta().title,
            "summary": sc.meta().summary,
            "language": sc.meta().language,
            "minutes": sc.meta().minutes,
            "level": sc.meta().level,
            "order": sc.meta().order,
            "content_notes": sc.meta().content_notes,
            "peer": sc.peer().name,
            "src": src,
        })));
    }
    // The suggested path: introductory first, then intermediate, then
    // advanced; within a level by the author's order (those without one
    // last), then by title.
    index.sort_by(|a, b| a.0.cmp(&b.0));
    let mut index: Vec<serde_json::Value> = index.into_iter().map(|(_, entry)| entry).collect();
    for entry in &mut index {
        let list = entry["id"].as_str().and_then(|id| translated.remove(id)).unwrap_or_default();
        entry["translations"] = serde_json::Value::Array(list);
    }
    // The index lists the scenarios that compiled; the exit code still says
    // that some did not.
    let target = out.join("index.json");
    let text = serde_json::to_string_pretty(&json!({ "scenarios": index })).unwrap_or_default();
    std::fs::write(&target, text + "\n").map_err(|e| Problem::io("write", &target, e))?;
    Ok((index.len(), failed))
}

/// Checks a translation (`ID.LANG.toml`) against its source (its text and
/// scenario, as this library compiled it; `None` when it did not) and
/// writes it into the library as `ID.LANG.attn` (and its source copy);
/// returns its entry in its source's `translations`, or the diagnostics
/// that keep it out.
fn translation(path: &std::path::Path, name: &str, text: &str, sc: &attunement::scenario::Playable, compiled: &[u8], source: Option<&(String, attunement::scenario::Playable)>, out: &std::path::Path) -> Result<serde_json::Value, String> {
    use attunement::translate as tr;
    let lang = &sc.meta().language;
    let file = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("toml");
    let want = format!("{}.{lang}.{ext}", sc.meta().id);
    if file != want {
        return Err(format!("{}: error: a translation's file name is its id and its language: rename it to `{want}`\n", terminal_safe(name)));
    }
    let source_path = path.with_file_name(format!("{}.{ext}", sc.meta().id));
    let format = Format::from_path(name);
    let Some((source_text, source)) = source else {
        return Err(format!("{}: error: its source {} has errors, so it is left out too\n", terminal_safe(name), source_path.display()));
    };
    let problems: Vec<_> = tr::compare(source, &tr::units_in(source_text, format), sc, &tr::units_in(text, format), &source_path.to_string_lossy()).into_iter().filter(|d| d.is_error()).collect();
    if !problems.is_empty() {
        return Err(Source::new(name, text).render_all(&problems));
    }
    let stem = format!("{}.{lang}", sc.meta().id);
    let src = write_compiled(out, &stem, compiled).map_err(|Problem(why)| format!("{}: error: {why}\n", terminal_safe(name)))?;
    if format == Format::Toml {
        let copy = out.join(format!("{stem}.toml"));
        std::fs::write(&copy, text).map_err(|e| format!("{}: error: cannot write {}: {e}\n", terminal_safe(name), copy.display()))?;
    }
    Ok(json!({ "language": lang, "title": sc.meta().title, "summary": sc.meta().summary, "src": src, "review": tr::review_of(text, format) }))
}

/// Writes one compiled scenario into the library folder `out`, as
/// `ID.attn`, and returns its file name, the `src` of its entry in `index.json`.
fn write_compiled(out: &std::path::Path, id: &str, compiled: &[u8]) -> Result<String, Problem> {
    let name = format!("{id}.{}", attunement::compiled::EXTENSION);
    let target = out.join(&name);
    std::fs::write(&target, compiled).map_err(|e| Problem::io("write", &target, e))?;
    Ok(name)
}
