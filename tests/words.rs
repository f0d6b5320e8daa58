//! The engine's own words (src/words.rs): the committed English catalogue is the code's, and a
//! table of translations changes what a learner reads (labels, reasons, the debrief's advice) and
//! nothing else. Each test runs on its own thread, and the table is per thread, so tests that set
//! words do not see each other's.

use std::sync::Arc;

use attunement::engine::session::{Band, Mood};
use attunement::engine::trust::Reason;
use attunement::checking::Format;
use attunement::scenario::Playable;
use attunement::skill::Kind;
use attunement::{Mode, Scenario, Session, Skill, words};

const CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/www/i18n/engine.en.json");
const TINY: &str = include_str!("fixtures/tiny.toml");

fn load(text: &str) -> Arc<Playable> {
    Arc::new(Scenario::parse(text, Format::Toml).unwrap_or_else(|d| panic!("scenario has errors: {d:#?}")))
}

/// English as `attunement words` prints it: sorted by id, 2-space indent, a trailing newline.
fn english_json() -> String {
    let map: serde_json::Map<String, serde_json::Value> = words::english().into_iter().map(|(id, text)| (id, text.into())).collect();
    serde_json::to_string_pretty(&map).unwrap() + "\n"
}

#[test]
fn the_committed_catalogue_is_the_engines_english() {
    let committed = std::fs::read_to_string(CATALOGUE).unwrap_or_default();
    assert!(committed == english_json(), "www/i18n/engine.en.json is not the engine's English: run `cargo run --quiet -- words > www/i18n/engine.en.json`");
    let printed = std::process::Command::new(env!("CARGO_BIN_EXE_attunement")).arg("words").output().unwrap();
    assert!(printed.status.success());
    assert!(printed.stdout == committed.as_bytes(), "`attunement words` prints the committed catalogue");
}

#[test]
fn english_lists_every_label_the_engine_shows() {
    let english = words::english();
    let text = |id: &str| english.iter().find(|(i, _)| i == id).unwrap_or_else(|| panic!("no `{id}`")).1;
    for s in Skill::ALL {
        assert_eq!(text(&format!("skill.{}.label", s.id())), s.label());
        assert_eq!(text(&format!("skill.{}.why", s.id())), s.why());
    }
    for r in Reason::ALL {
        assert_eq!(text(&format!("reason.{}", r.id())), r.text());
    }
    for m in Mood::ALL {
        assert_eq!(text(&format!("mood.{}", m.id())), m.label());
    }
    for b in Band::ALL {
        assert_eq!(text(&format!("band.{}", b.id())), b.label());
    }
    assert_eq!(text("trust.text"), "trust {value} of {max}, {band}");
    assert_eq!(text("miti.other"), "not coded");
    // Sorted, one text an id.
    assert!(english.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn a_table_changes_the_words_and_an_empty_one_brings_english_back() {
    let sc = load(TINY);
    let play = |sc: &Arc<Playable>| {
        let mut s = Session::start(sc.clone(), Mode::Practice, 1);
        s.choose("reflect").unwrap();
        s.choose("c1").unwrap();
        s
    };
    let json = |s: &Session| serde_json::to_string(&s.debrief().unwrap()).unwrap();
    let english = json(&play(&sc));
    let used = words::set(
        r#"{
            "skill.reflection.label": "reflet du ressenti",
            "skill.reflection.why": "montre que le ressenti a été entendu",
            "reason.distress_rewards_presence": "la personne est en détresse aiguë",
            "band.guarded": "sur la réserve",
            "trust.text": "confiance : {value} sur {max} ({band})",
            "kind.skill": "renforce la confiance"
        }"#,
    )
    .unwrap();
    assert_eq!(used, 6);
    assert_eq!(Kind::Skill.label(), "renforce la confiance");
    assert_eq!(Skill::Reflection.label(), "reflet du ressenti");
    assert_eq!(Reason::DistressRewardsPresence.text(), "la personne est en détresse aiguë");
    assert_eq!(Skill::Validation.label(), "validation", "an id the table lacks is English");

    let mut s = Session::start(sc.clone(), Mode::Practice, 1);
    let view = s.view();
    assert_eq!(view.trust.text, "confiance : 30 sur 100 (sur la réserve)");
    let turn = s.choose("reflect").unwrap().explanation.unwrap();
    assert_eq!(turn.skill_label, "reflet du ressenti");
    assert_eq!(turn.why, "montre que le ressenti a été entendu");
    assert_eq!(turn.modifiers[0].text, "la personne est en détresse aiguë");
    s.choose("c1").unwrap();
    let debrief = s.debrief().unwrap();
    let first = &debrief.turns[0];
    assert_eq!((first.skill_label, first.trust_before, first.trust_after), ("reflet du ressenti", 30, 38));
    assert_eq!((first.modifiers[0].amount, first.modifiers[0].text), (3, "la personne est en détresse aiguë"));
    assert_eq!(debrief.trust.text, format!("confiance : {} sur 100 ({})", debrief.trust.value, debrief.trust.band_label));
    // The scenario's own words are the author's: untouched.
    assert_eq!(first.text, "It sounds like you're not sure this will help.");

    // A turn keeps the words it was taken in until the session is relabelled.
    words::set("{}").unwrap();
    assert_eq!(s.turns()[0].skill_label, "reflet du ressenti");
    s.relabel();
    assert_eq!(s.turns()[0].skill_label, "reflection of feeling");
    assert_eq!(json(&s), english, "relabelled, the session reads as it would in English");

    assert_eq!(Skill::Reflection.label(), "reflection of feeling");
    assert_eq!(json(&play(&sc)), english);
    assert_eq!(words::set("{}"), Ok(0));
}

/// A loop with one node in acute distress, so the advice turns find the `distress` rule.
fn distressed() -> Arc<Playable> {
    let mut s = "id = \"loop\"\ntitle = \"Loop\"\nsummary = \"s\"\nminutes = 5\n[peer]\nname = \"Sam\"\ntrust = 60\ndistress = 90\n\
                 [thresholds]\nfloor = 5\n[[node]]\nid = \"talk\"\nsay = \"...\"\n"
        .to_string();
    for skill in ["advice", "reassurance", "reflection"] {
        s += &format!("[[node.choice]]\nid = \"{skill}\"\ntext = \"{skill}\"\nskill = \"{skill}\"\nfeedback = \"f\"\nnext = \"talk\"\n");
    }
    s += "[[node.choice]]\nid = \"bye\"\ntext = \"bye\"\nskill = \"summary\"\nfeedback = \"f\"\nnext = \"done\"\n";
    s += "[[ending]]\nid = \"done\"\noutcome = \"connected\"\ntitle = \"Done\"\ntext = \"t\"\n";
    s += "[[ending]]\nid = \"gone\"\noutcome = \"disengaged\"\ntitle = \"Gone\"\ntext = \"t\"\n";
    load(&s)
}

#[test]
fn practise_next_fills_a_translation_in_its_own_order() {
    let mut s = Session::start(distressed(), Mode::Practice, 1);
    for pick in ["advice", "reflection", "reassurance", "bye"] {
        s.choose(pick).unwrap();
    }
    let english = s.debrief().unwrap();
    let distress = english.practise_next.iter().find(|p| p.rule == "distress").expect("the distress rule");
    assert!(distress.text.starts_with("Slow down when distress is high. While Sam was in acute distress you reached for advice / fixing unasked and superficial reassurance (turns 1 and 3);"), "{}", distress.text);

    words::set(
        r#"{
            "practise.distress": "({when}) {what} : {peer} était en détresse aiguë.",
            "turns.many": "tours {turns}",
            "list.and": "{list} et {last}",
            "skill.advice.label": "conseil non demandé"
        }"#,
    )
    .unwrap();
    // The suggestions are made with the debrief, so they are in the words of now.
    let debrief = s.debrief().unwrap();
    let distress = debrief.practise_next.iter().find(|p| p.rule == "distress").unwrap();
    assert_eq!(distress.text, "(tours 1 et 3) conseil non demandé et superficial reassurance : Sam était en détresse aiguë.");
    words::set("{}").unwrap();
}

#[test]
fn broken_json_is_an_error_and_leaves_the_words_as_they_were() {
    words::set(r#"{"mood.calm": "calme"}"#).unwrap();
    for broken in ["", "{", "[]", r#"{"mood.calm": 3}"#, r#"{"mood.calm": "tranquille",}"#, r#"{"mood.calm" "x"}"#, r#"{"mood.calm": "x"} {}"#, r#"{"mood.calm": "\x"}"#, r#"{"mood.calm": "\ud800"}"#] {
        let e = words::set(broken).expect_err(broken);
        assert!(e.starts_with("the engine's words must be a JSON object of ids to texts"), "{broken}: {e}");
        assert_eq!(Mood::Calm.label(), "calme", "{broken}");
    }
    words::set("{}").unwrap();
    assert_eq!(Mood::Calm.label(), "calm");
}

#[test]
fn unknown_ids_and_empty_texts_are_ignored() {
    let used = words::set(r#"{"mood.calm": "calme", "mood.nonexistent": "x", "skill.reflection.label": "", "nothing": "y"}"#).unwrap();
    assert_eq!(used, 1);
    assert_eq!(Mood::Calm.label(), "calme");
    assert_eq!(Skill::Reflection.label(), "reflection of feeling", "an empty text is English");
    // Escapes decode, and the last of an id given twice is kept.
    assert_eq!(words::set(r#"{"mood.wary": "x", "mood.wary": "m\u00e9fiant \"\ud83d\ude10\"\n"}"#), Ok(1));
    assert_eq!(Mood::Wary.label(), "méfiant \"\u{1f610}\"\n");
    words::set("{}").unwrap();
}

#[test]
fn the_notice_after_a_restore_is_in_the_current_words() {
    let mut s = Session::start(load(TINY), Mode::Practice, 3);
    s.choose("reflect").unwrap();
    s.choose("c1").unwrap();
    let changed = load(&TINY.replace("That sounds really hard", "That sounds hard"));
    words::set(r#"{"notice.stopped.many": "{done}/{total}, arrêt {at}", "notice.at_node": "au nœud {node}"}"#).unwrap();
    let r = Session::restore(changed, &s.save(), Mode::Practice).unwrap();
    assert_eq!(r.notice.as_deref(), Some("1/2, arrêt au nœud story"));
    words::set("{}").unwrap();
}

#[test]
fn a_whole_catalogue_is_used_whole() {
    // Every text marked, placeholders kept: what a complete translation looks like.
    let marked: serde_json::Map<String, serde_json::Value> = words::english().into_iter().map(|(id, text)| (id, format!("‹{text}›").into())).collect();
    assert_eq!(words::set(&serde_json::to_string(&marked).unwrap()), Ok(marked.len()));
    for s in Skill::ALL {
        assert!(s.label().starts_with('‹') && s.why().starts_with('‹'), "{s}");
    }
    let mut s = Session::start(distressed(), Mode::Practice, 1);
    for pick in ["advice", "reflection", "reassurance", "bye"] {
        s.choose(pick).unwrap();
    }
    let debrief = s.debrief().unwrap();
    assert!(debrief.trust.text.starts_with('‹') && debrief.practise_next.iter().all(|p| p.text.starts_with('‹')));
    // Every word of the engine's in the debrief the widget shows (and makes the Markdown from) is
    // marked: each label, why, reason and warning, wherever it sits.
    fn engine_words<'a>(v: &'a serde_json::Value, key: &str, out: &mut Vec<(String, &'a str)>) {
        match v {
            serde_json::Value::String(s) if ["label", "skill_label", "band_label", "why", "ceiling_text", "warning"].contains(&key) => out.push((key.to_string(), s)),
            serde_json::Value::Array(items) => items.iter().for_each(|i| engine_words(i, key, out)),
            serde_json::Value::Object(fields) => fields.iter().for_each(|(k, v)| engine_words(v, k, out)),
            _ => {}
        }
    }
    let json = serde_json::to_value(&debrief).unwrap();
    let mut found = Vec::new();
    engine_words(&json, "", &mut found);
    assert!(found.len() > 20, "{found:?}");
    assert!(found.iter().all(|(_, s)| s.starts_with('‹')), "{found:?}");
    let reasons: Vec<&str> = debrief.turns.iter().flat_map(|t| t.modifiers.iter().map(|m| m.text)).collect();
    assert!(!reasons.is_empty() && reasons.iter().all(|r| r.starts_with('‹')), "{reasons:?}");
    words::set("{}").unwrap();
}

#[test]
fn any_prefix_of_a_catalogue_is_read_or_refused_without_a_panic() {
    let json = r#"{"mood.calm": "ca\"lme \u00e9\ud83d\ude10 \\ \/ \b\f\n\r\t", "band.open": "ouvert", "x": ""}"#;
    for (i, _) in json.char_indices() {
        let _ = words::set(&json[..i]);
    }
    assert_eq!(words::set(json), Ok(2));
    words::set("{}").unwrap();
}

#[test]
fn label_ids_are_the_ids_views_carry() {
    use attunement::engine::session::Mode as SessionMode;
    use attunement::scenario::Outcome;
    use attunement::skill::{Kind, Miti};
    let serde_id = |v: serde_json::Value| v.as_str().unwrap().to_string();
    for m in Miti::ALL.into_iter().chain([Miti::Other]) {
        assert_eq!(serde_id(serde_json::to_value(m).unwrap()), m.id());
    }
    for b in Band::ALL {
        assert_eq!(serde_id(serde_json::to_value(b).unwrap()), b.id());
    }
    for m in Mood::ALL {
        assert_eq!(serde_id(serde_json::to_value(m).unwrap()), m.id());
    }
    for r in Reason::ALL {
        assert_eq!(serde_id(serde_json::to_value(r).unwrap()), r.id());
    }
    for k in Kind::ALL {
        assert_eq!(serde_id(serde_json::to_value(k).unwrap()), k.id());
    }
    for m in SessionMode::ALL {
        assert_eq!(serde_id(serde_json::to_value(m).unwrap()), m.id());
    }
    for o in Outcome::ALL {
        assert_eq!(serde_id(serde_json::to_value(o).unwrap()), o.id());
    }
    // Every band is some trust's.
    for b in Band::ALL {
        assert!((0..=100).any(|t| Band::of(t) == b), "{b:?}");
    }
}
