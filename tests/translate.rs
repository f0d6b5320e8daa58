//! Translating scenarios (src/translate.rs, `attunement strings` and
//! `attunement translate`): on every library scenario, strings → XLIFF →
//! a translated XLIFF → translate → check gives a scenario that checks
//! clean, has its source's content hash and plays exactly as its source,
//! turn by turn; and `check` reports a translation whose structure drifted,
//! and strings left untranslated.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use attunement::hash::Rng;
use attunement::checking::Format;
use attunement::scenario::Playable;
use attunement::translate::{self as tr, Unit};
use attunement::{Mode, Scenario, Session};

fn library() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && tr::source_of(&p.file_name().unwrap().to_string_lossy()).is_none())
        .collect();
    v.sort();
    assert!(v.len() >= 5);
    v
}

fn checked(text: &str) -> Arc<Playable> {
    Arc::new(Scenario::parse(text, Format::Toml).unwrap_or_else(|d| panic!("{d:?}")))
}

fn units_of(text: &str) -> Vec<Unit> {
    tr::units_in(text, Format::Toml)
}

/// What a translator's tool gives back: each source with a target, here
/// the text marked and with characters a TOML literal must escape.
fn translated_xliff(xliff: &str, lang: &str) -> String {
    let mut out = xliff.replacen("srcLang=\"en\"", &format!("srcLang=\"en\" trgLang=\"{lang}\""), 1);
    let mut at = 0;
    while let Some(i) = out[at..].find("<source>") {
        let start = at + i + "<source>".len();
        let end = start + out[start..].find("</source>").unwrap();
        let source = out[start..end].to_string();
        let target = format!("<target>«{lang}» {source} \\ &quot;ok&quot;</target>");
        out.insert_str(end + "</source>".len(), &target);
        at = end + "</source>".len() + target.len();
    }
    out
}

fn target_of(text: &str, lang: &str) -> String {
    format!("«{lang}» {text} \\ \"ok\"")
}

#[test]
fn every_library_scenario_translates_and_plays_exactly_as_its_source() {
    for path in library() {
        let name = path.display().to_string();
        let source = std::fs::read_to_string(&path).unwrap();
        let sc = checked(&source);
        let units = units_of(&source);
        assert!(units.len() > 100, "{name}: {} strings", units.len());
        let ids: std::collections::BTreeSet<&str> = units.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids.len(), units.len(), "{name}: every id is its own");
        // Every choice's text and every node's line is there.
        let choices: usize = sc.nodes().iter().map(|n| n.choices.len()).sum();
        assert_eq!(units.iter().filter(|u| u.id.ends_with(".text") && u.id.contains(".choice.")).count(), choices, "{name}");
        assert_eq!(units.iter().filter(|u| u.id.starts_with("node.") && u.id.ends_with(".say")).count(), sc.nodes().len(), "{name}");

        let xliff = tr::xliff(&units, "en", &sc.meta().id, "x.toml");
        let back = tr::read_xliff(&translated_xliff(&xliff, "es")).unwrap();
        assert_eq!(back.target_language.as_deref(), Some("es"));
        assert_eq!(back.targets.len(), units.len(), "{name}: every unit read back");
        let (translation, outcome) = tr::translate(&source, Format::Toml, &back.targets, "es").unwrap();
        assert_eq!((outcome.translated, outcome.missing.len(), outcome.unknown.len()), (units.len(), 0, 0));
        let report = attunement::check(&translation, Format::Toml);
        assert!(report.errors().next().is_none(), "{name}: the translation checks: {:?}", report.errors().collect::<Vec<_>>());
        let ts = report.scenario.map(Arc::new).unwrap();
        assert_eq!(ts.meta().language, "es");
        assert_eq!(ts.hash(), sc.hash(), "{name}: the same content hash, so saves and analytics carry across");
        // Every string is the translator's, and nothing else changed.
        for (u, t) in units.iter().zip(units_of(&translation)) {
            assert_eq!((u.id.as_str(), target_of(&u.text, "es")), (t.id.as_str(), t.text.clone()), "{name}");
        }
        assert!(tr::compare(&sc, &units, &ts, &units_of(&translation), "source").is_empty(), "{name}: nothing to report");

        // The same picks give the same skills, effects and trust at every turn.
        for seed in 1..=12u64 {
            let mut rng = Rng::new(seed);
            let (mut a, mut b) = (Session::start(sc.clone(), Mode::Practice, seed), Session::start(ts.clone(), Mode::Practice, seed));
            while !a.is_ended() {
                let choices = a.view().choices;
                let pick = choices[rng.below(choices.len())].id.clone();
                let mut offered: Vec<String> = b.view().choices.into_iter().map(|c| c.id).collect();
                let mut want: Vec<String> = choices.into_iter().map(|c| c.id).collect();
                offered.sort();
                want.sort();
                assert_eq!(offered, want, "{name}: the same choices on offer");
                a.pick(&pick).unwrap();
                b.pick(&pick).unwrap();
                let (x, y) = (a.turns().last().unwrap(), b.turns().last().unwrap());
                assert_eq!((x.skill, x.trust_before, x.trust_after, x.change, x.total, x.worth, &x.node), (y.skill, y.trust_before, y.trust_after, y.change, y.total, y.worth, &y.node), "{name} seed {seed} turn {}", x.number);
                assert_eq!(x.modifiers.len(), y.modifiers.len(), "{name}: the same modifiers (the parroting rule reads the source's openings)");
            }
            assert!(b.is_ended());
            assert_eq!(a.debrief().unwrap().score.raw, b.debrief().unwrap().score.raw);
        }
        // A save made in the source restores in the translation.
        let mut a = Session::start(sc.clone(), Mode::Practice, 3);
        let first = a.view().choices[0].id.clone();
        a.pick(&first).unwrap();
        let restored = Session::restore(ts.clone(), &a.save(), Mode::Practice);
        assert!(restored.is_ok(), "{name}: a save carries across languages");
    }
}

#[test]
fn check_reports_a_translation_that_drifted_and_strings_left_untranslated() {
    let dir = std::env::temp_dir().join(format!("attunement-translate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = std::fs::read_to_string("scenarios/first-meeting.toml").unwrap();
    std::fs::write(dir.join("first-meeting.toml"), &source).unwrap();
    let units = units_of(&source);
    // Everything translated but the summary; and one choice's skill changed.
    let targets: BTreeMap<String, String> = units.iter().filter(|u| u.id != "scenario.summary").map(|u| (u.id.clone(), target_of(&u.text, "fr"))).collect();
    let (translation, outcome) = tr::translate(&source, Format::Toml, &targets, "fr").unwrap();
    assert_eq!(outcome.missing, vec!["scenario.summary".to_string()]);
    let drifted = translation.replacen("skill = \"reflection\"", "skill = \"validation\"", 1);
    std::fs::write(dir.join("first-meeting.fr.toml"), &drifted).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_attunement")).arg("check").arg(dir.join("first-meeting.fr.toml")).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[E029]: this translation's structure differs from its source"), "{stderr}");
    assert!(stderr.contains("is validation here, reflection in the source"), "{stderr}");
    assert!(stderr.contains("warning[W011]: `scenario.summary` is the same as in"), "{stderr}");
    assert!(stderr.contains("first-meeting.fr.toml:5:11: warning[W011]"), "the warning points at the summary: {stderr}");
    let at = drifted.lines().position(|l| l.contains("«fr» Sounds like you'd rather be almost anywhere else")).map(|l| l + 1);
    assert!(at.is_some_and(|l| stderr.contains(&format!("first-meeting.fr.toml:{l}:"))), "the error points at the choice that drifted: {stderr}");
    // Without the drift, only the warning: exit 0.
    std::fs::write(dir.join("first-meeting.fr.toml"), &translation).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_attunement")).arg("check").arg(dir.join("first-meeting.fr.toml")).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("E029") && stderr.contains("W011"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_commands_write_xliff_and_the_translation_beside_its_source() {
    let dir = std::env::temp_dir().join(format!("attunement-translate-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("bearing-witness.toml");
    std::fs::copy("scenarios/bearing-witness.toml", &src).unwrap();
    let bin = env!("CARGO_BIN_EXE_attunement");
    let xlf = dir.join("bearing-witness.xlf");
    let out = Command::new(bin).arg("strings").arg(&src).arg("-o").arg(&xlf).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let xliff = std::fs::read_to_string(&xlf).unwrap();
    assert!(xliff.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"en\">"));
    std::fs::write(&xlf, translated_xliff(&xliff, "ar")).unwrap();
    let out = Command::new(bin).arg("translate").arg(&src).arg("--from").arg(&xlf).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("bearing-witness.ar.toml: "), "{stderr}");
    let written = std::fs::read_to_string(dir.join("bearing-witness.ar.toml")).unwrap();
    assert!(written.contains("language = \"ar\""));
    let check = Command::new(bin).arg("check").arg(dir.join("bearing-witness.ar.toml")).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    // An XLIFF that is not well-formed is named with its line and column; nothing is written.
    std::fs::write(&xlf, "<xliff version=\"2.0\">\n<file>\n</xliff>").unwrap();
    std::fs::remove_file(dir.join("bearing-witness.ar.toml")).unwrap();
    let out = Command::new(bin).arg("translate").arg(&src).arg("--from").arg(&xlf).arg("--lang").arg("ar").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3, column 1: </xliff> closes <file>"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!Path::new(&dir.join("bearing-witness.ar.toml")).exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_library_lists_translations_with_their_sources_and_leaves_out_one_that_drifted() {
    let dir = std::env::temp_dir().join(format!("attunement-translate-lib-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    for f in ["first-meeting.toml", "first-meeting.es.toml", "first-meeting.ar.toml", "bearing-witness.toml"] {
        std::fs::copy(Path::new("scenarios").join(f), dir.join("src").join(f)).unwrap();
    }
    // A translation of bearing-witness whose structure drifted: a choice's skill changed.
    let source = std::fs::read_to_string("scenarios/bearing-witness.toml").unwrap();
    let targets: BTreeMap<String, String> = units_of(&source).iter().map(|u| (u.id.clone(), target_of(&u.text, "de"))).collect();
    let (german, _) = tr::translate(&source, Format::Toml, &targets, "de").unwrap();
    std::fs::write(dir.join("src/bearing-witness.de.toml"), german.replacen("skill = \"validation\"", "skill = \"reassurance\"", 1)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_attunement")).arg("library").arg(dir.join("src")).arg("-o").arg(dir.join("out")).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("bearing-witness.de.toml") && stderr.contains("E029"), "{stderr}");
    let index: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("out/index.json")).unwrap()).unwrap();
    let entries = index["scenarios"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "translations are not scenarios of their own");
    let fm = entries.iter().find(|e| e["id"] == "first-meeting").unwrap();
    let langs: Vec<&str> = fm["translations"].as_array().unwrap().iter().map(|t| t["language"].as_str().unwrap()).collect();
    assert_eq!(langs, ["ar", "es"]);
    for t in fm["translations"].as_array().unwrap() {
        let src = t["src"].as_str().unwrap();
        assert_eq!(src, format!("first-meeting.{}.attn", t["language"].as_str().unwrap()));
        let bytes = std::fs::read(dir.join("out").join(src)).unwrap();
        let read = attunement::compiled::read(&bytes).unwrap();
        assert_eq!(read.meta().language, t["language"].as_str().unwrap());
        assert_eq!(read.hash(), checked(&std::fs::read_to_string("scenarios/first-meeting.toml").unwrap()).hash(), "a translation plays as its source");
        assert!(t["review"].as_str().unwrap().starts_with("Not yet reviewed"), "the library says it still needs a reviewer");
    }
    let bw = entries.iter().find(|e| e["id"] == "bearing-witness").unwrap();
    assert_eq!(bw["translations"], serde_json::json!([]), "the drifted translation is left out");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_library_translations_are_whole_and_say_they_need_a_reviewer() {
    for lang in ["es", "ar"] {
        let text = std::fs::read_to_string(format!("scenarios/first-meeting.{lang}.toml")).unwrap();
        let source = std::fs::read_to_string("scenarios/first-meeting.toml").unwrap();
        let (t, s) = (checked(&text), checked(&source));
        assert_eq!(t.meta().language, lang);
        assert_eq!(t.hash(), s.hash(), "{lang}: the same structure as its source");
        let (tu, su) = (units_of(&text), units_of(&source));
        assert_eq!(tu.len(), su.len());
        let same = tu.iter().zip(&su).filter(|(a, b)| a.text == b.text && a.text.split_whitespace().count() >= 3).count();
        assert_eq!(same, 0, "{lang}: every sentence translated");
        assert!(tr::compare(&s, &su, &t, &tu, "first-meeting.toml").is_empty());
        assert_eq!(tr::review_of(&text, Format::Toml).as_deref(), Some(tr::UNREVIEWED), "{lang}: a reviewer must still read it");
    }
}
