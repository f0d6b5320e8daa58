//! Engine behaviour through the public API: the empathy model, sessions,
//! modes, undo, saves and the debrief, on small scenarios written inline.

use std::sync::Arc;

use attunement::scenario::Playable;
use attunement::engine::save::MAX_TURNS;
use attunement::engine::session::{Band, Mood};
use attunement::engine::trust::Reason;
use attunement::checking::Format;
use attunement::scenario::Outcome;
use attunement::{Mode, PlayError, SaveError, Scenario, Session};

const TINY: &str = include_str!("fixtures/tiny.toml");

fn load(text: &str) -> Arc<Playable> {
    match Scenario::parse(text, Format::Toml) {
        Ok(s) => Arc::new(s),
        Err(d) => panic!("scenario has errors: {d:#?}"),
    }
}

/// A loop scenario: one node whose choices all come back to it, so a test can
/// use any skill any number of times. `extra` goes into `[peer]`.
fn looping(trust: i32, distress: i32, disclosure: bool) -> Arc<Playable> {
    let mut s = format!(
        "id = \"loop\"\ntitle = \"Loop\"\nsummary = \"s\"\nminutes = 5\n[peer]\nname = \"P\"\ntrust = {trust}\ndistress = {distress}\n\
         [thresholds]\nfloor = 5\n[[node]]\nid = \"talk\"\nsay = \"...\"\ndisclosure = {disclosure}\n"
    );
    for skill in attunement::Skill::ALL {
        s += &format!("[[node.choice]]\nid = \"{0}\"\ntext = \"{0}\"\nskill = \"{0}\"\nfeedback = \"f\"\nnext = \"talk\"\n", skill.id());
    }
    s += "[[node.choice]]\nid = \"bye\"\ntext = \"bye\"\nskill = \"summary\"\nfeedback = \"f\"\nnext = \"done\"\n";
    s += "[[ending]]\nid = \"done\"\noutcome = \"connected\"\ntitle = \"Done\"\ntext = \"t\"\n";
    s += "[[ending]]\nid = \"gone\"\noutcome = \"disengaged\"\ntitle = \"Gone\"\ntext = \"t\"\n";
    load(&s)
}

fn changes(session: &mut Session, picks: &[&str]) -> Vec<(i32, Vec<Reason>)> {
    picks
        .iter()
        .map(|p| {
            let t = session.choose(p).unwrap().explanation.unwrap();
            (t.trust_after - t.trust_before, t.modifiers.iter().map(|m| m.reason).collect())
        })
        .collect()
}

#[test]
fn calm_peer_gets_the_profile_effects() {
    let mut s = Session::start(looping(50, 0, false), Mode::Practice, 1);
    let got = changes(&mut s, &["reflection", "advice", "judgement", "complex_reflection"]);
    assert_eq!(got, vec![(5, vec![]), (-6, vec![]), (-12, vec![]), (8, vec![])]);
}

#[test]
fn acute_distress_amplifies_roadblocks_and_rewards_reflection() {
    let mut s = Session::start(looping(50, 80, false), Mode::Practice, 1);
    let got = changes(&mut s, &["advice", "reassurance", "lecturing", "reflection", "presence", "judgement"]);
    assert_eq!(
        got,
        vec![
            (-12, vec![Reason::DistressAmplifiesRoadblock]),
            (-12, vec![Reason::DistressAmplifiesRoadblock]),
            (-16, vec![Reason::DistressAmplifiesRoadblock]),
            (8, vec![Reason::DistressRewardsPresence]),
            (6, vec![Reason::DistressRewardsPresence]),
            // Every other roadblock costs half as much again.
            (-18, vec![Reason::DistressRaisesCost]),
        ]
    );
    let mut s = Session::start(looping(50, 80, false), Mode::Practice, 1);
    let got = changes(&mut s, &["validation", "unasked_information", "closed_question", "false_promise", "hijacking"]);
    assert_eq!(
        got,
        vec![
            (9, vec![Reason::DistressRewardsPresence]),
            // Information nobody asked for, while the peer is overwhelmed.
            (-4, vec![Reason::DistressRaisesCost]),
            (0, vec![]),
            (-6, vec![Reason::DistressRaisesCost]),
            (-12, vec![Reason::DistressRaisesCost]),
        ]
    );
}

#[test]
fn neutral_behaviours_neither_build_nor_cost_trust_by_themselves() {
    let mut s = Session::start(looping(50, 0, false), Mode::Practice, 1);
    let got = changes(&mut s, &["closed_question", "reflection", "unasked_information", "reflection", "closed_question"]);
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), vec![0, 5, 0, 5, 0]);
    assert_eq!(s.turns()[0].kind, attunement::skill::Kind::Neutral);
}

#[test]
fn the_same_response_again_and_again_wears_thin() {
    // One choice that comes round again is one form, however often.
    let mut s = Session::start(looping(20, 0, false), Mode::Practice, 1);
    let got = changes(&mut s, &["reflection", "reflection", "reflection", "reflection", "complex_reflection", "reflection"]);
    let deltas: Vec<i32> = got.iter().map(|g| g.0).collect();
    assert_eq!(deltas, vec![5, 5, 2, 0, 8, 5]);
    assert_eq!(got[2].1, vec![Reason::Parroting]);
}

/// A chain of nodes, each offering the given (id, text, skill) choices, all
/// leading on to the next node; `extra` goes at the top of the file.
fn chain(extra: &str, trust: i32, nodes: usize, choices: &[(&str, &str, &str)]) -> Arc<Playable> {
    let mut s = format!("id = \"chain\"\ntitle = \"Chain\"\nsummary = \"s\"\nminutes = 5\n{extra}\n[peer]\nname = \"P\"\ntrust = {trust}\n[thresholds]\nfloor = 0\n");
    for i in 0..nodes {
        s += &format!("[[node]]\nid = \"n{i}\"\nsay = \"...\"\n");
        let next = if i + 1 == nodes { "done".to_string() } else { format!("n{}", i + 1) };
        for (id, text, skill) in choices {
            s += &format!("[[node.choice]]\nid = \"{id}\"\ntext = \"{text}\"\nskill = \"{skill}\"\nfeedback = \"f\"\nnext = \"{next}\"\n");
        }
    }
    s += "[[ending]]\nid = \"done\"\noutcome = \"connected\"\ntitle = \"Done\"\ntext = \"t\"\n";
    load(&s)
}

#[test]
fn parroting_is_about_form_not_code() {
    let choices = [
        ("a", "It sounds like you are tired.", "reflection"),
        ("b", "It sounds as if part of you wants to stop.", "complex_reflection"),
        ("c", "It sounds really hard. Anyone would be shaken.", "validation"),
        ("d", "That makes sense to me.", "validation"),
        ("e", "You've been carrying this alone.", "reflection"),
        ("f", "Part of you is done, and part of you is still here.", "complex_reflection"),
    ];
    let sc = chain("", 20, 6, &choices);
    // Three codes, one opening ("it sounds"): the third loses half, the fourth all.
    let mut s = Session::start(sc.clone(), Mode::Practice, 1);
    let got = changes(&mut s, &["a", "b", "c", "a"]);
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), vec![5, 8, 3, 0]);
    assert_eq!((got[2].1.clone(), got[3].1.clone()), (vec![Reason::Parroting], vec![Reason::Parroting]));
    // Varied openings, even of one code in a row, are never penalised.
    let mut s = Session::start(sc, Mode::Practice, 1);
    let got = changes(&mut s, &["a", "e", "f", "d", "b", "f"]);
    assert!(got.iter().all(|g| g.1.is_empty()), "{got:?}");

    // Case, punctuation and curly apostrophes do not make a new form.
    assert_eq!(attunement::checking::lower::first_words("That\u{2019}s  hard... really", 2), "that's hard");
    assert_eq!(attunement::checking::lower::first_words("[Nod slowly] and wait", 2), "nod slowly");
}

#[test]
fn an_author_can_say_how_a_response_opens() {
    let mut text = String::from("id = \"o\"\ntitle = \"O\"\nsummary = \"s\"\nminutes = 5\n[peer]\nname = \"P\"\ntrust = 20\n[thresholds]\nfloor = 0\n");
    // Three different first words, one form by the author's word; and a
    // line that opens like the others but is declared to have no form.
    for (i, (a, b)) in [("So you feel let down.", "so you"), ("So, you're saying it's been a week.", "so you"), ("You feel let down, so.", "so you")].iter().enumerate() {
        text += &format!("[[node]]\nid = \"n{i}\"\nsay = \"...\"\n[[node.choice]]\nid = \"r\"\ntext = \"{a}\"\nskill = \"reflection\"\nopening = \"{b}\"\nfeedback = \"f\"\nnext = \"n{}\"\n", i + 1);
        text += &format!("[[node.choice]]\nid = \"free\"\ntext = \"So you feel it.\"\nskill = \"reflection\"\nopening = \"\"\nfeedback = \"f\"\nnext = \"n{}\"\n", i + 1);
    }
    text += "[[node]]\nid = \"n3\"\nsay = \"...\"\n[[node.choice]]\ntext = \"bye\"\nskill = \"summary\"\nfeedback = \"f\"\nnext = \"done\"\n";
    text += "[[ending]]\nid = \"done\"\noutcome = \"connected\"\ntitle = \"Done\"\ntext = \"t\"\n";
    let sc = load(&text);
    let mut s = Session::start(sc.clone(), Mode::Practice, 1);
    assert_eq!(changes(&mut s, &["r", "r", "r"]).iter().map(|g| g.0).collect::<Vec<_>>(), vec![5, 5, 2]);
    let mut s = Session::start(sc, Mode::Practice, 1);
    assert_eq!(changes(&mut s, &["free", "free", "free"]).iter().map(|g| g.0).collect::<Vec<_>>(), vec![5, 5, 5]);
}

#[test]
fn stacked_questions_become_an_interrogation_whatever_their_kind() {
    let mut s = Session::start(looping(50, 0, false), Mode::Practice, 1);
    let got = changes(&mut s, &["open_question", "open_question", "closed_question", "open_question", "reflection", "open_question"]);
    let deltas: Vec<i32> = got.iter().map(|g| g.0).collect();
    assert_eq!(deltas, vec![4, 4, -2, 0, 5, 4]);
    assert_eq!(got[2].1, vec![Reason::Interrogation]);
    // A single safety question is never penalised; stacked behind two others it is.
    let mut s = Session::start(looping(50, 0, false), Mode::Practice, 1);
    let got = changes(&mut s, &["safety_question", "reflection", "closed_question", "open_question", "safety_question"]);
    assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), vec![6, 5, 0, 4, 4]);
    assert_eq!(got[4].1, vec![Reason::Interrogation]);
    // In acute distress a streak costs half as much again.
    let mut s = Session::start(looping(50, 80, false), Mode::Practice, 1);
    let got = changes(&mut s, &["closed_question", "closed_question", "closed_question"]);
    assert_eq!(got[2], (-3, vec![Reason::Interrogation, Reason::DistressRaisesCost]));
}

#[test]
fn a_repair_is_worth_more_after_a_rupture_and_hollow_without_one() {
    let mut s = Session::start(looping(50, 0, false), Mode::Practice, 1);
    let got = changes(&mut s, &["repair", "advice", "reflection", "repair", "repair"]);
    assert_eq!(
        got,
        vec![(2, vec![Reason::NothingToRepair]), (-6, vec![]), (5, vec![]), (8, vec![Reason::RepairsRupture]), (2, vec![Reason::NothingToRepair])]
    );
}

#[test]
fn gains_shrink_near_the_ceiling_and_the_loss_is_explained() {
    let mut s = Session::start(looping(80, 0, false), Mode::Practice, 1);
    let t = s.choose("complex_reflection").unwrap().explanation.unwrap();
    assert_eq!((t.trust_before, t.trust_after, t.total, t.ceiling, t.worth), (80, 84, 8, -4, 8));
    // Losses are never damped.
    let t = s.choose("judgement").unwrap().explanation.unwrap();
    assert_eq!((t.trust_after, t.ceiling), (72, 0));
}

#[test]
fn validation_right_after_a_disclosure_is_worth_more() {
    let mut s = Session::start(looping(50, 0, true), Mode::Practice, 1);
    assert_eq!(changes(&mut s, &["validation"]), vec![(9, vec![Reason::AfterDisclosure])]);
    let mut s = Session::start(looping(50, 0, false), Mode::Practice, 1);
    assert_eq!(changes(&mut s, &["validation"]), vec![(6, vec![])]);
}

#[test]
fn trust_is_bounded_and_the_floor_ends_the_talk() {
    let mut s = Session::start(looping(99, 0, false), Mode::Practice, 1);
    let t = s.choose("complex_reflection").unwrap().explanation.unwrap();
    assert_eq!((t.trust_before, t.trust_after, t.total), (99, 100, 8));
    let t = s.choose("complex_reflection").unwrap().explanation.unwrap();
    assert_eq!((t.trust_before, t.trust_after, t.total, t.ceiling), (100, 100, 8, -8));

    let mut s = Session::start(looping(16, 0, false), Mode::Practice, 1);
    let step = s.choose("judgement").unwrap();
    assert!(step.ended);
    let view = s.view();
    assert_eq!(view.ending.as_ref().map(|e| e.outcome), Some(Outcome::Disengaged));
    assert_eq!(view.trust.value, 4);
    assert!(view.choices.is_empty());
    assert_eq!(s.choose("reflection").unwrap_err(), PlayError::Ended);
}

#[test]
fn a_closed_gate_sends_the_peer_elsewhere() {
    let sc = load(TINY);
    // Reassurance at acute distress: 30 - 12 = 18, below the gate of 35.
    let mut s = Session::start(sc.clone(), Mode::Practice, 1);
    s.choose("reassure").unwrap();
    assert_eq!(s.view().node.as_deref(), Some("guarded"));
    let mut s = Session::start(sc, Mode::Practice, 1);
    s.choose("reflect").unwrap();
    assert_eq!(s.view().node.as_deref(), Some("story"));
}

#[test]
fn the_view_shows_text_not_skills_and_describes_trust_in_words() {
    let s = Session::start(load(TINY), Mode::Practice, 1);
    let v = s.view();
    assert_eq!(v.say.as_deref(), Some("I don't really know why I'm here."));
    assert_eq!(v.cue.as_deref(), Some("looks at the door"));
    assert_eq!(v.trust.text, "trust 30 of 100, guarded");
    assert_eq!(v.trust.band, Band::Guarded);
    assert_eq!(v.mood, Mood::Overwhelmed);
    let mut ids: Vec<&str> = v.choices.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["lecture", "reassure", "reflect"]);
    let json = serde_json::to_string(&v).unwrap();
    assert!(!json.contains("reflection") && !json.contains("skill"), "the view must not give the skill away: {json}");
}

#[test]
fn the_seed_decides_the_order_of_choices_and_nothing_else() {
    let sc = load(TINY);
    let orders: std::collections::BTreeSet<Vec<String>> = (0..20).map(|seed| Session::start(sc.clone(), Mode::Practice, seed).view().choices.into_iter().map(|c| c.id).collect()).collect();
    assert!(orders.len() > 1, "20 seeds gave one order");
    let a = Session::start(sc.clone(), Mode::Practice, 5).view().choices.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let b = Session::start(sc, Mode::Practice, 5).view().choices.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(a, b);
}

#[test]
fn the_same_scenario_seed_and_choices_give_the_same_session_byte_for_byte() {
    let run = || {
        let mut s = Session::start(load(TINY), Mode::Practice, 9);
        s.choose("reflect").unwrap();
        s.choose("c1").unwrap();
        serde_json::to_string(&s.debrief().unwrap()).unwrap() + &s.save()
    };
    assert_eq!(run(), run());
}

#[test]
fn choosing_what_is_not_offered_is_a_clear_error() {
    let mut s = Session::start(load(TINY), Mode::Practice, 1);
    let e = s.choose("nope").unwrap_err();
    assert_eq!(e.to_string(), "choice `nope` is not offered now");
    assert_eq!(s.view().turn, 0);
    assert_eq!(s.debrief().unwrap_err().to_string(), "the conversation has not ended yet");
}

#[test]
fn practice_explains_and_undoes_assessment_does_neither() {
    let sc = load(TINY);
    let mut p = Session::start(sc.clone(), Mode::Practice, 1);
    assert_eq!(p.undo().unwrap_err(), PlayError::NothingToUndo);
    let before = serde_json::to_string(&p.view()).unwrap();
    let t = p.choose("reflect").unwrap().explanation.expect("practice explains");
    assert_eq!(t.feedback.as_deref(), Some("Reflection of feeling: naming the doubt shows you heard it."));
    assert!(p.view().can_undo);
    p.undo().unwrap();
    assert_eq!(serde_json::to_string(&p.view()).unwrap(), before);

    let mut a = Session::start(sc, Mode::Assessment, 1);
    let step = a.choose("reflect").unwrap();
    assert!(step.explanation.is_none());
    assert!(!a.view().can_undo);
    assert_eq!(a.undo().unwrap_err().to_string(), "undo is not available in assessment mode");
    a.choose("c1").unwrap();
    let d = a.debrief().unwrap();
    assert_eq!(d.turns[0].feedback.as_deref(), Some("Reflection of feeling: naming the doubt shows you heard it."));
}

#[test]
fn the_debrief_explains_the_session() {
    let mut s = Session::start(load(TINY), Mode::Practice, 1);
    s.choose("reflect").unwrap();
    s.choose("c2").unwrap();
    let d = s.debrief().unwrap();
    assert_eq!(d.ending.id, "closed");
    assert_eq!(d.trust_over_time, vec![30, 38, 26]);
    assert_eq!(d.skills.iter().map(|u| (u.skill.id(), u.count, u.net)).collect::<Vec<_>>(), vec![("reflection", 1, 8), ("advice", 1, -12)]);
    assert_eq!(d.miti.reflections, 1);
    assert_eq!(d.miti.complex_share, Some(0.0));
    assert_eq!(d.key_moments.iter().map(|m| m.change).collect::<Vec<_>>(), vec![8, -12]);
    let best = d.best_path.unwrap();
    assert_eq!((best.best_trust, best.best_ending.id.as_str(), best.learner_trust, best.left_best_path_at), (50, "opened", 26, Some(2)));
}

#[test]
fn miti_ratios_follow_the_proficiency_guides() {
    let mut s = Session::start(looping(50, 0, false), Mode::Practice, 1);
    for p in ["reflection", "complex_reflection", "open_question", "complex_reflection", "bye"] {
        s.choose(p).unwrap();
    }
    let m = s.debrief().unwrap().miti;
    // The summary counts as a complex reflection: 4 reflections, 3 complex.
    assert_eq!((m.reflections, m.complex_reflections, m.questions), (4, 3, 1));
    assert_eq!(m.reflection_to_question, Some(4.0));
    assert_eq!(m.complex_share, Some(0.75));
}

#[test]
fn saves_restore_exactly() {
    let sc = load(TINY);
    let mut s = Session::start(sc.clone(), Mode::Assessment, 42);
    s.choose("reflect").unwrap();
    let save = s.save();
    assert!(save.starts_with("A2.tiny."), "{save}");
    let r = Session::restore(sc, &save, Mode::Assessment).unwrap();
    assert!(r.notice.is_none());
    assert_eq!(r.session.mode(), Mode::Assessment);
    assert_eq!(r.session.seed(), 42);
    assert_eq!(serde_json::to_string(&r.session.view()).unwrap(), serde_json::to_string(&s.view()).unwrap());
    assert_eq!(r.session.save(), save);
}

#[test]
fn a_hundred_turns_fit_in_scorm_suspend_data() {
    let sc = looping(50, 0, false);
    let mut s = Session::start(sc.clone(), Mode::Practice, u64::MAX);
    for i in 0..100 {
        s.choose(["reflection", "open_question", "validation", "presence"][i % 4]).unwrap();
    }
    let save = s.save();
    assert!(save.len() <= 4096, "{} characters", save.len());
    assert!(save.len() < 800, "{} characters", save.len());
    let r = Session::restore(sc, &save, Mode::Practice).unwrap();
    assert_eq!(r.session.turns().len(), 100);
}

#[test]
fn corrupted_saves_are_errors_not_panics() {
    let sc = load(TINY);
    let mut s = Session::start(sc.clone(), Mode::Practice, 3);
    s.choose("reflect").unwrap();
    let save = s.save();
    let corrupt = |text: &str| Session::restore(sc.clone(), text, Mode::Practice).unwrap_err();
    assert_eq!(corrupt("").to_string(), "the save is corrupted: it is not a save string");
    assert_eq!(corrupt("{\"json\": true}").to_string(), "the save is corrupted: it is not a save string");
    assert_eq!(corrupt(&save.replacen("A2", "A9", 1)).to_string(), "save format `A9` is not supported by this version");
    let flipped: String = save.chars().enumerate().map(|(i, c)| if i == save.len() - 12 { if c == '0' { '1' } else { '0' } } else { c }).collect();
    assert_eq!(corrupt(&flipped), SaveError::Corrupt("its checksum does not match"));
    // Every truncation and every single-character change is refused or
    // restores a valid session; none panics.
    for i in 0..save.len() {
        let _ = Session::restore(sc.clone(), &save[..i], Mode::Practice);
        for c in ['x', '.', '0', 'é'] {
            let mut t = save.clone();
            t.replace_range(i..i + 1, &c.to_string());
            let _ = Session::restore(sc.clone(), &t, Mode::Practice);
        }
    }
}

/// A save claiming more choices than any conversation takes is refused before it is replayed:
/// in a scenario with a cycle, a sealed save of millions of picks once replayed them all, at a
/// few hundred bytes a turn (a 31 MB save trapped the learner's engine). One at the limit plays.
#[test]
fn a_save_longer_than_any_conversation_is_refused_unplayed() {
    let sc = load(TINY);
    let mut s = Session::start(sc.clone(), Mode::Practice, 3);
    s.choose("reflect").unwrap();
    let save = s.save();
    let (body, _) = save.rsplit_once('.').unwrap();
    let (head, pick) = body.rsplit_once('.').unwrap();
    let sealed = |picks: usize| {
        let body = format!("{head}.{}", pick.repeat(picks));
        format!("{body}.{:08x}", attunement::hash::fnv(body.as_bytes()) as u32)
    };
    let refused = Session::restore(sc.clone(), &sealed(MAX_TURNS + 1), Mode::Practice).unwrap_err();
    assert_eq!(refused, SaveError::Corrupt("it holds more choices than any conversation takes"));
    assert_eq!(refused.to_string(), "the save is corrupted: it holds more choices than any conversation takes");
    // At the limit, the picks are read and replayed: tiny has no cycle, so the second pick
    // does not fit where the first one led, and the restore stops there and says so.
    let restored = Session::restore(sc, &sealed(MAX_TURNS), Mode::Practice).unwrap();
    assert_eq!(restored.session.turns().len(), 1);
    assert!(restored.notice.is_some_and(|n| n.contains("replayed 1 of 10000 choices")));
}

#[test]
fn a_save_is_restored_only_in_its_own_mode() {
    let sc = load(TINY);
    let mut s = Session::start(sc.clone(), Mode::Practice, 3);
    s.choose("reflect").unwrap();
    // A practice save (checksum and all) under an assessment page's key must
    // not bring practice's feedback and undo into an assessment.
    let e = Session::restore(sc.clone(), &s.save(), Mode::Assessment).unwrap_err();
    assert_eq!(e, SaveError::OtherMode { save: Mode::Practice, page: Mode::Assessment });
    assert_eq!(e.to_string(), "the save was made in practice mode, not assessment mode");
    let mut a = Session::start(sc.clone(), Mode::Assessment, 3);
    a.choose("reflect").unwrap();
    assert_eq!(Session::restore(sc, &a.save(), Mode::Practice).unwrap_err().to_string(), "the save was made in assessment mode, not practice mode");
}

/// The first save format (`A1`) kept a choice's fingerprint in two base-36
/// digits: rewrite a current save in that form.
fn as_first_format(save: &str) -> String {
    let (body, _) = save.rsplit_once('.').unwrap();
    let parts: Vec<&str> = body.split('.').collect();
    let digits = |n: u32| ["0123456789abcdefghijklmnopqrstuvwxyz".as_bytes()[n as usize] as char];
    let picks: String = parts[4]
        .as_bytes()
        .chunks(7)
        .flat_map(|p| {
            let fp = p[1..].iter().fold(0u32, |n, &d| n * 36 + (d as char).to_digit(36).unwrap()) % 1296;
            [p[0] as char].into_iter().chain(digits(fp / 36)).chain(digits(fp % 36))
        })
        .collect();
    let body = format!("A1.{}.{}.{}.{picks}", parts[1], parts[2], parts[3]);
    format!("{body}.{:08x}", attunement::hash::fnv(body.as_bytes()) as u32)
}

#[test]
fn saves_of_the_first_format_still_restore() {
    let sc = load(TINY);
    let mut s = Session::start(sc.clone(), Mode::Practice, 3);
    s.choose("reflect").unwrap();
    s.choose("c1").unwrap();
    let old = as_first_format(&s.save());
    assert!(old.starts_with("A1.tiny.") && old.len() < s.save().len(), "{old}");
    let r = Session::restore(sc, &old, Mode::Practice).unwrap();
    assert!(r.notice.is_none());
    assert_eq!(r.session.save(), s.save());
}

#[test]
fn fingerprints_tell_apart_ids_that_the_first_format_confused() {
    // Two ids whose two-digit fingerprints collide: after an edit that moves
    // choices, the first format could not tell them apart; 31 bits can.
    let fp = |id: &str| attunement::hash::fnv(id.as_bytes());
    let a = "kept-word";
    let b = (0..100_000).map(|i| format!("other-{i}")).find(|b| fp(b) % 1296 == fp(a) % 1296 && fp(b) % 2_176_782_336 != fp(a) % 2_176_782_336).unwrap();
    let scenario = |first: &str, second: &str| {
        load(&TINY.replace(
            "[[node.choice]]\nid = \"reflect\"",
            &format!("[[node.choice]]\nid = \"{first}\"\ntext = \"One.\"\nskill = \"open_question\"\nfeedback = \"f\"\nnext = \"story\"\n\n[[node.choice]]\nid = \"{second}\"\ntext = \"Two.\"\nskill = \"open_question\"\nfeedback = \"f\"\nnext = \"story\"\n\n[[node.choice]]\nid = \"reflect\""),
        ))
    };
    let before = scenario(a, "unrelated");
    let mut s = Session::start(before, Mode::Practice, 3);
    s.choose(a).unwrap();
    // The edit swaps in `b` where `a` was and moves `a` down a place.
    let after = scenario(&b, a);
    let r = Session::restore(after.clone(), &s.save(), Mode::Practice).unwrap();
    assert_eq!(r.session.turns()[0].choice, a, "the pick follows its own id, not the colliding one at its old place");
    let old = Session::restore(after, &as_first_format(&s.save()), Mode::Practice).unwrap();
    assert_eq!(old.session.turns()[0].choice, b, "the first format is fooled by the collision (why it was widened)");
}

#[test]
fn an_edit_the_content_hash_cannot_see_still_replays_gracefully() {
    // The hash keeps two-digit fingerprints (so old saves stay valid), so a
    // rewording of an unnamed choice can leave it unchanged 1 time in 1,296.
    let sc = load(TINY);
    let mut s = Session::start(sc.clone(), Mode::Practice, 3);
    s.choose("reflect").unwrap();
    s.choose("c1").unwrap();
    let (from, to) = ("That sounds really hard to carry alone.", "That sounds really hard to carry alone (38).");
    let fp = |t: &str| attunement::hash::fnv(t.as_bytes());
    assert_eq!(fp(from) % 1296, fp(to) % 1296, "the two wordings collide in two digits");
    let edited = load(&TINY.replace(from, to));
    assert_eq!(edited.hash(), sc.hash(), "the hash cannot see this edit");
    let r = Session::restore(edited, &s.save(), Mode::Practice).unwrap();
    assert_eq!(r.notice.as_deref(), Some("the scenario has changed since this save: replayed 1 of 2 choices and stopped at node `story`"));
}

#[test]
fn a_save_from_another_scenario_is_refused() {
    let mut s = Session::start(looping(50, 0, false), Mode::Practice, 3);
    s.choose("reflection").unwrap();
    let e = Session::restore(load(TINY), &s.save(), Mode::Practice).unwrap_err();
    assert_eq!(e.to_string(), "the save belongs to scenario `loop`, not `tiny`");
}

#[test]
fn a_changed_scenario_replays_what_still_fits_and_says_where_it_stopped() {
    let sc = load(TINY);
    let mut s = Session::start(sc.clone(), Mode::Practice, 3);
    s.choose("reflect").unwrap();
    s.choose("c1").unwrap();
    let save = s.save();

    // Wording only (an ending, and a choice known by its id): the content
    // hash is the same, so this is not a change.
    let reworded = load(&TINY.replace("Ari stayed guarded.", "Ari kept it in.").replace("It sounds like you're not sure", "Sounds like you're not sure"));
    assert!(Session::restore(reworded, &save, Mode::Practice).unwrap().notice.is_none());

    // A new first choice shifts positions, but fingerprints find the picks.
    let shifted = load(&TINY.replace(
        "[[node.choice]]\nid = \"reflect\"",
        "[[node.choice]]\nid = \"new\"\ntext = \"A new opening response.\"\nskill = \"open_question\"\nfeedback = \"f\"\nnext = \"story\"\n\n[[node.choice]]\nid = \"reflect\"",
    ));
    let r = Session::restore(shifted, &save, Mode::Practice).unwrap();
    assert_eq!(r.notice.as_deref(), Some("the scenario has changed since this save, but all 2 choices still fit"));
    assert_eq!(r.session.turns().len(), 2);

    // The choices at `story` have no ids, so they are known by their text:
    // reworded, the validation cannot be told from a new choice, and replay
    // stops there rather than guess.
    let changed = load(&TINY.replace("That sounds really hard", "That sounds hard"));
    let r = Session::restore(changed, &save, Mode::Practice).unwrap();
    assert_eq!(r.notice.as_deref(), Some("the scenario has changed since this save: replayed 1 of 2 choices and stopped at node `story`"));
    assert_eq!(r.session.view().node.as_deref(), Some("story"));

    // And reordering unnamed choices keeps each pick with its own text.
    let reordered = TINY.replace(
        "[[node.choice]]\ntext = \"That sounds really hard to carry alone.\"\nskill = \"validation\"\nfeedback = \"Validation: it tells Ari the feeling makes sense.\"\nnext = \"opened\"\n\n",
        "",
    );
    let reordered = reordered.replace(
        "[[node]]\nid = \"guarded\"",
        "[[node.choice]]\ntext = \"That sounds really hard to carry alone.\"\nskill = \"validation\"\nfeedback = \"Validation: it tells Ari the feeling makes sense.\"\nnext = \"opened\"\n\n[[node]]\nid = \"guarded\"",
    );
    assert_ne!(reordered, TINY);
    let r = Session::restore(load(&reordered), &save, Mode::Practice).unwrap();
    assert_eq!(r.session.turns()[1].text, "That sounds really hard to carry alone.");
}

/// JSON sources kept beside the TOML they are written from: a JSON source
/// is the TOML source's tree, written as JSON, and loads the same scenario.
#[test]
fn the_json_fixtures_are_their_toml_fixtures_and_load_the_same_scenario() {
    for (toml_path, json_path) in [("tests/fixtures/tiny.toml", "tests/fixtures/tiny.json"), ("tests/e2e/fixtures/xss.toml", "tests/e2e/fixtures/xss.json")] {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let source = std::fs::read_to_string(root.join(toml_path)).unwrap();
        let tree: serde_json::Value = toml::from_str(&source).unwrap();
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(root.join(json_path), serde_json::to_string_pretty(&tree).unwrap() + "\n").unwrap();
        }
        let committed = std::fs::read_to_string(root.join(json_path)).unwrap();
        assert!(serde_json::from_str::<serde_json::Value>(&committed).unwrap() == tree, "{json_path} is stale: run UPDATE_GOLDEN=1 cargo test --test engine");
        let from_json = Scenario::parse(&committed, Format::Json).unwrap();
        assert_eq!(format!("{from_json:?}"), format!("{:?}", load(&source)), "{json_path}: the same scenario, field for field");
    }
}

#[test]
fn mood_follows_distress_for_any_acute_threshold() {
    let with_acute = |acute: i32| load(&TINY.replace("floor = 15\n", &format!("floor = 15\nacute = {acute}\n")));
    // acute = 0: a calm peer is not distressed, any distress at all is acute.
    let zero = with_acute(0);
    assert_eq!(Mood::of(&zero, 50, 0), Mood::Calm);
    assert_eq!(Mood::of(&zero, 80, 0), Mood::AtEase);
    assert_eq!(Mood::of(&zero, 50, 1), Mood::Distressed);
    assert_eq!(Mood::of(&zero, 20, 1), Mood::Overwhelmed);
    // The default 60: raised from 30, acute from 60.
    let default = with_acute(60);
    assert_eq!(Mood::of(&default, 50, 29), Mood::Calm);
    assert_eq!(Mood::of(&default, 50, 30), Mood::Uneasy);
    assert_eq!(Mood::of(&default, 20, 30), Mood::Wary);
    assert_eq!(Mood::of(&default, 50, 60), Mood::Distressed);
    // acute = 1: distress 1 is acute, and nothing is merely raised.
    let one = with_acute(1);
    assert_eq!(Mood::of(&one, 50, 0), Mood::Calm);
    assert_eq!(Mood::of(&one, 50, 1), Mood::Distressed);
    assert!(!zero.is_acute(0) && zero.is_acute(1) && !default.is_raised(0));
    // An odd threshold: raised means twice the distress reaches it.
    let odd = with_acute(59);
    assert_eq!((Mood::of(&odd, 50, 29), Mood::of(&odd, 50, 30)), (Mood::Calm, Mood::Uneasy));
}

#[test]
fn a_node_with_no_offered_choice_is_a_stuck_view_not_a_panic() {
    // A scenario whose analysis stopped (W004) can hide a soft-lock: here,
    // once every flag is set nothing is offered at the hub.
    let text = attunement::generate::hostile::flag_hub(19);
    let report = attunement::checking::check(&text, Format::Toml);
    let sc = Arc::new(report.scenario.expect("W004 alone lets it check"));
    assert!(!sc.is_analysed());
    let mut s = Session::start(sc, Mode::Practice, 1);
    assert!(!s.view().stuck);
    for i in 0..19 {
        s.choose(&format!("set-f{i}")).unwrap();
    }
    let view = s.view();
    assert!(view.stuck && view.choices.is_empty() && view.ending.is_none());
    assert!(s.order().is_empty());
    assert_eq!(s.choose("leave").unwrap_err().to_string(), "choice `leave` is not offered now");
}

/// The browser binding writes these ids itself, without serde: they must be
/// what serde writes.
#[test]
fn the_ids_the_binding_writes_are_serdes() {
    use attunement::engine::session::{Band, Mood};
    use attunement::engine::trust::Reason;
    use attunement::skill::Kind;
    let serde = |v: serde_json::Value| v.as_str().unwrap().to_string();
    for m in [Mood::Overwhelmed, Mood::Distressed, Mood::ShutDown, Mood::Withdrawn, Mood::Wary, Mood::Uneasy, Mood::Calm, Mood::Opening, Mood::Confiding, Mood::AtEase] {
        assert_eq!(m.id(), serde(serde_json::to_value(m).unwrap()));
    }
    for k in [Kind::Skill, Kind::Neutral, Kind::Roadblock] {
        assert_eq!(k.id(), serde(serde_json::to_value(k).unwrap()));
    }
    for r in [Reason::DistressAmplifiesRoadblock, Reason::DistressRaisesCost, Reason::DistressRewardsPresence, Reason::Parroting, Reason::Interrogation, Reason::AfterDisclosure, Reason::RepairsRupture, Reason::NothingToRepair] {
        assert_eq!(r.id(), serde(serde_json::to_value(r).unwrap()));
    }
    for trust in 0..=100 {
        let band = Band::of(trust);
        assert_eq!(band.label(), serde(serde_json::to_value(band).unwrap()));
    }
    for o in attunement::scenario::Outcome::ALL {
        assert_eq!(o.id(), serde(serde_json::to_value(o).unwrap()));
    }
}
