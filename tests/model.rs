//! The model's rules that need a scenario of their own: the warning beat,
//! delayed costs, endings that follow the path, the best path on the sum
//! before bounds, the score, and each rule of `practise_next`, which must
//! fire on a path that shows its pattern and stay silent on the best path.

use std::sync::Arc;

use attunement::scenario::Playable;
use attunement::debrief::Level;
use attunement::checking::{Format, check};
use attunement::scenario::Outcome;
use attunement::{Mode, Scenario, Session};

fn load(text: &str) -> Arc<Playable> {
    match Scenario::parse(text, Format::Toml) {
        Ok(s) => Arc::new(s),
        Err(d) => panic!("scenario has errors: {d:#?}"),
    }
}

fn play(sc: &Arc<Playable>, picks: &[&str]) -> Session {
    let mut s = Session::start(sc.clone(), Mode::Practice, 1);
    for p in picks {
        s.choose(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    }
    s
}

fn choice(id: &str, text: &str, skill: &str, next: &str, extra: &str) -> String {
    format!("[[node.choice]]\nid = \"{id}\"\ntext = \"{text}\"\nskill = \"{skill}\"\nfeedback = \"f\"\nnext = \"{next}\"\n{extra}")
}

/// A node: its id, any extra lines (a `cue`, `disclosure = true`), and its choices.
fn node(id: &str, extra: &str, choices: &[String]) -> String {
    format!("[[node]]\nid = \"{id}\"\nsay = \"...\"\n{extra}{}", choices.concat())
}

const HEAD: &str = "id = \"m\"\ntitle = \"M\"\nsummary = \"s\"\nminutes = 5\n";
const ENDINGS: &str = "[[ending]]\nid = \"done\"\noutcome = \"connected\"\ntitle = \"Done\"\ntext = \"t\"\n[[ending]]\nid = \"gone\"\noutcome = \"disengaged\"\ntitle = \"Gone\"\ntext = \"t\"\n";

/// Two nodes and a leaving node: a roadblock that drops trust below the floor.
fn warning(walks_out: bool) -> Arc<Playable> {
    let mut s = format!("{HEAD}{}[peer]\nname = \"P\"\ntrust = 20\n[thresholds]\nfloor = 15\n{}", if walks_out { "" } else { "leaving = \"going\"\n" }, if walks_out { "walks_out = true\n" } else { "" });
    s += &node("a", "", &[
        choice("judge", "You shouldn't.", "judgement", "b", ""),
        choice("hear", "That's hard.", "validation", "b", ""),
    ]);
    s += &node("b", "", &[
        choice("order", "Calm down.", "ordering", "done", ""),
        choice("ok", "Tell me more.", "open_question", "done", ""),
    ]);
    if !walks_out {
        s += "[[node]]\nid = \"going\"\nsay = \"I should go.\"\ncue = \"stands up\"\n";
        s += &choice("sorry", "I jumped in too fast. I'm sorry.", "repair", "@back", "trust = 6\n");
        s += &choice("bye", "Okay, see you.", "changing_subject", "gone", "");
    }
    load(&(s + ENDINGS))
}

#[test]
fn the_first_fall_below_the_floor_is_a_warning_and_a_repair_brings_the_peer_back() {
    let sc = warning(false);
    let mut s = play(&sc, &["judge"]);
    let t = s.turns()[0].clone();
    assert!(t.warning.is_some());
    assert_eq!((t.trust_before, t.trust_after), (20, 8));
    assert_eq!(s.view().node.as_deref(), Some("going"));
    // The repair (with a rupture open, worth half again) goes back to where the talk was going.
    s.choose("sorry").unwrap();
    assert_eq!(s.view().node.as_deref(), Some("b"));
    assert_eq!(s.view().trust.value, 8 + 9);
    // A second fall ends it.
    s.choose("order").unwrap();
    assert_eq!(s.view().ending.map(|e| e.outcome), Some(Outcome::Disengaged));
    // Leaving at the warning also ends it.
    let s = play(&sc, &["judge", "bye"]);
    assert_eq!(s.view().ending.map(|e| e.id), Some("gone".to_string()));
}

#[test]
fn a_peer_who_walks_out_goes_at_once() {
    let s = play(&warning(true), &["judge"]);
    assert!(s.turns()[0].warning.is_none());
    assert_eq!(s.view().ending.map(|e| e.outcome), Some(Outcome::Disengaged));
}

#[test]
fn the_warning_beat_is_checked() {
    let check_codes = |text: &str| check(text, Format::Toml).diagnostics.iter().map(|d| d.code).collect::<Vec<_>>();
    let base = format!("{HEAD}[peer]\nname = \"P\"\ntrust = 20\n[[node]]\nid = \"a\"\nsay = \"...\"\n{}{}", choice("judge", "No.", "judgement", "done", "trust = -15\n"), choice("ok", "Yes.", "validation", "done", ""));
    // No warning beat and no `walks_out`: W006.
    assert_eq!(check_codes(&format!("{base}{ENDINGS}")), vec!["W006"]);
    // `@back` outside the leaving node: E027.
    let stray = format!("{HEAD}[peer]\nname = \"P\"\ntrust = 20\n[thresholds]\nwalks_out = true\n[[node]]\nid = \"a\"\nsay = \"...\"\n{}{}{ENDINGS}", choice("judge", "No.", "judgement", "@back", "trust = -15\n"), choice("ok", "Yes.", "validation", "done", ""));
    assert!(check_codes(&stray).contains(&"E027"), "{:?}", check_codes(&stray));
}

/// A false promise at the start whose cost lands at the hand-off.
fn promise() -> Arc<Playable> {
    let mut s = format!("{HEAD}[peer]\nname = \"P\"\ntrust = 40\n[thresholds]\nfloor = 0\n");
    s += "[[node]]\nid = \"a\"\nsay = \"Don't tell anyone.\"\n";
    s += &choice("promise", "I promise I won't.", "false_promise", "b", "set = [\"promised\"]\nlater = { at = \"handoff\", trust = -12, feedback = \"The promise you made has to be broken now.\" }\n");
    s += &choice("honest", "I can't promise that, and I'll be with you.", "validation", "b", "");
    s += &node("b", "", &[
        choice("go", "Shall we call together?", "collaboration", "handoff", ""),
        choice("lecture", "You have to call.", "lecturing", "handoff", ""),
    ]);
    s += "[[node]]\nid = \"handoff\"\nsay = \"You said you wouldn't tell.\"\n";
    s += &choice("own", "I did, and I shouldn't have. I'm sorry.", "repair", "done", "");
    s += &choice("deny", "It's for your own good.", "judgement", "done", "");
    s += "[[ending]]\nid = \"done\"\noutcome = \"referred\"\ntitle = \"Done\"\ntext = \"You were honest about the limits.\"\nnext_time = \"Keep doing that.\"\n";
    s += "[[ending.variant]]\nwhen = { flags = [\"promised\"] }\ntext = \"The promise you made could not be kept.\"\nnext_time = \"Say honestly what you can keep.\"\n";
    load(&s)
}

#[test]
fn a_delayed_cost_lands_where_its_consequence_arrives() {
    let sc = promise();
    let s = play(&sc, &["promise", "go", "own"]);
    let t = s.turns();
    assert_eq!(t[0].trust_after - t[0].trust_before, -4, "relief now: only the promise's own cost");
    assert!(t[1].consequences.len() == 1 && t[1].consequences[0].amount == -12 && t[1].consequences[0].from_turn == Some(1), "{:?}", t[1].consequences);
    assert_eq!(t[1].worth, 5 - 12);
    assert_eq!(t[1].trust_after, 36 + 5 - 12);
    // In the debrief the cost belongs to the promise, not to the response it landed with.
    let d = s.debrief().unwrap();
    let use_of = |id: &str| d.skills.iter().find(|u| u.skill.id() == id).map(|u| (u.net, u.worth)).unwrap();
    assert_eq!(use_of("false_promise"), (-16, -16));
    assert_eq!(use_of("collaboration"), (5, 5));
    assert!(d.key_moments.iter().all(|m| m.skill.id() != "collaboration" || m.change == 5));
    // The honest limit carries no debt.
    let s = play(&sc, &["honest", "go", "own"]);
    assert!(s.turns().iter().all(|t| t.consequences.is_empty()));
}

#[test]
fn an_ending_follows_the_path() {
    let sc = promise();
    let d = play(&sc, &["promise", "go", "own"]).debrief().unwrap();
    assert_eq!((d.text.as_str(), d.next_time.as_deref()), ("The promise you made could not be kept.", Some("Say honestly what you can keep.")));
    let d = play(&sc, &["honest", "go", "own"]).debrief().unwrap();
    assert_eq!((d.text.as_str(), d.next_time.as_deref()), ("You were honest about the limits.", Some("Keep doing that.")));
}

#[test]
fn a_variant_that_can_never_apply_is_reported() {
    let mut s = format!("{HEAD}[peer]\nname = \"P\"\ntrust = 40\n[thresholds]\nfloor = 0\n[[node]]\nid = \"a\"\nsay = \"...\"\n{}{}", choice("x", "Yes.", "validation", "done", ""), choice("y", "No.", "judgement", "done", ""));
    s += "[[ending]]\nid = \"done\"\noutcome = \"connected\"\ntitle = \"Done\"\ntext = \"t\"\n[[ending.variant]]\nwhen = { trust_min = 90 }\ntext = \"Never: trust is at most 46 here.\"\n";
    let codes: Vec<&str> = check(&s, Format::Toml).diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec!["W007"]);
}

/// A scenario where the bound hides skill: one path saturates trust early,
/// the other gains more in sum but ends a little lower.
#[test]
fn the_best_path_is_chosen_on_the_sum_before_bounds() {
    let mut s = format!("{HEAD}[peer]\nname = \"P\"\ntrust = 90\n[thresholds]\nfloor = 0\n");
    s += &node("a", "", &[
        choice("small", "Mm.", "presence", "done", "trust = 12\n"),
        choice("big", "That took courage.", "affirmation", "b", "trust = 10\n"),
        choice("no", "No.", "judgement", "done", ""),
    ]);
    s += &node("b", "", &[
        choice("more", "Tell me more.", "open_question", "done", "trust = 10\n"),
        choice("no", "No.", "judgement", "done", ""),
    ]);
    s += "[[ending]]\nid = \"done\"\noutcome = \"connected\"\ntitle = \"Done\"\ntext = \"t\"\n";
    let sc = load(&s);
    let best = sc.best().cloned().expect("a best path");
    assert_eq!(best.sum, 20, "two gains of 10 beat one of 12, though trust is near its ceiling");
    assert_eq!(best.steps.len(), 2);
    // The learner who took the other route to the same ending with as much trust is on a best path.
    let d = play(&sc, &["big", "more"]).debrief().unwrap();
    let b = d.best_path.unwrap();
    assert!(b.on_best_path && b.left_best_path_at.is_none());
    assert_eq!((d.score.skill, d.score.best, d.score.raw, d.score.passed), (20, 20, 100, true));
    let d = play(&sc, &["small"]).debrief().unwrap();
    assert_eq!((d.score.raw, d.score.passed), (60, true));
    // Near the ceiling trust moves little: 90 to 93 for one, to 95 for the other.
    assert_eq!((d.trust.value, best.trust), (93, 95));
    let worst = attunement::analyze(&sc).worst.expect("a worst path");
    assert_eq!(worst.sum, -12);
}

/// A scenario for the rules of `practise_next`: a disclosure, warning signs,
/// acute distress, room for a question streak, and a repair on offer.
fn teaching() -> Arc<Playable> {
    let mut s = format!("{HEAD}[peer]\nname = \"Robin\"\ntrust = 50\ndistress = 0\n[thresholds]\nfloor = 0\nacute = 60\n");
    let step = |id: &str, next: &str, extra_node: &str| {
        let mut n = format!("[[node]]\nid = \"{id}\"\nsay = \"...\"\n{extra_node}");
        n += &choice("reflect", "You sound worn out.", "reflection", next, "");
        n += &choice("ask", "What happened then?", "open_question", next, "");
        n += &choice("closed", "Did you sleep?", "closed_question", next, "");
        n += &choice("fix", "You should rest more.", "advice", next, "");
        n += &choice("sorry", "I rushed you just now. I'm sorry.", "repair", next, "");
        n += &choice("safety", "Are you thinking about suicide?", "safety_question", next, "");
        n
    };
    s += &step("n1", "n2", "");
    s += &step("n2", "n3", "disclosure = true\n");
    s += &step("n3", "n4", "warning_signs = true\n");
    s += &step("n4", "n5", "distress = 80\n");
    s += &step("n5", "n6", "distress = -80\n");
    s += &step("n6", "done", "");
    s += "[[ending]]\nid = \"done\"\noutcome = \"connected\"\ntitle = \"Done\"\ntext = \"t\"\n";
    load(&s)
}

fn rules(picks: &[&str]) -> Vec<(&'static str, Vec<usize>)> {
    play(&teaching(), picks).debrief().unwrap().practise_next.into_iter().map(|p| (p.rule, p.turns)).collect()
}

#[test]
fn each_practise_next_rule_fires_on_its_pattern() {
    // A roadblock at the disclosure.
    assert_eq!(rules(&["reflect", "fix", "safety", "reflect", "reflect", "sorry"]), vec![("after_disclosure", vec![2])]);
    // Warning signs and no safety question from then on.
    assert_eq!(rules(&["reflect", "ask", "reflect", "ask", "reflect", "ask"]), vec![("safety_question", vec![3])]);
    // Advice while acutely distressed (then repaired, so no repair rule).
    assert_eq!(rules(&["reflect", "reflect", "safety", "fix", "sorry", "reflect"]), vec![("distress", vec![4])]);
    // Three questions with no reflection between them (safety questions count).
    assert_eq!(rules(&["ask", "closed", "safety", "reflect", "ask", "reflect"]), vec![("questions", vec![1, 2, 3])]);
    // A roadblock never repaired though a repair was on offer later.
    assert_eq!(rules(&["fix", "reflect", "safety", "reflect", "ask", "reflect"]), vec![("repair", vec![1])]);
    // Three responses in a row that open the same way.
    let r = rules(&["reflect", "reflect", "safety", "reflect", "reflect", "reflect"]);
    assert_eq!(r, vec![("parroting", vec![6])]);
    // At most three, in order of priority: a safety question never asked comes first, so the
    // debrief's one line of "practise next" is the one about risk.
    let r = rules(&["fix", "fix", "ask", "fix", "closed", "ask"]);
    assert_eq!(r.iter().map(|(rule, _)| *rule).collect::<Vec<_>>(), vec!["safety_question", "after_disclosure", "distress"]);
}

#[test]
fn practise_next_is_silent_on_the_best_path() {
    let sc = teaching();
    let best = sc.best().cloned().expect("a best path");
    let picks: Vec<&str> = best.steps.iter().map(|&(n, c)| sc.nodes()[n].choices[c].id.as_str()).collect();
    let d = play(&sc, &picks).debrief().unwrap();
    assert!(d.practise_next.is_empty(), "{picks:?}: {:?}", d.practise_next);
}

#[test]
fn miti_is_rated_only_on_enough_evidence() {
    // Two reflections to one question: a ratio to rate.
    let d = play(&teaching(), &["reflect", "sorry", "safety", "reflect", "sorry", "sorry"]).debrief().unwrap();
    assert_eq!((d.miti.reflection_to_question, d.miti.reflection_to_question_level), (Some(2.0), Level::Good));
    // Reflections and no question: no ratio to rate. Two reflections: too few for the share.
    let d = play(&teaching(), &["reflect", "sorry", "sorry", "reflect", "sorry", "sorry"]).debrief().unwrap();
    assert_eq!((d.miti.questions, d.miti.reflection_to_question, d.miti.reflection_to_question_level), (0, None, Level::NotApplicable));
    assert_eq!((d.miti.reflections, d.miti.complex_share_level), (2, Level::NotApplicable));
    let question = d.miti.counts.iter().find(|c| c.label == "Simple Reflection").expect("counted");
    assert_eq!(question.count, 2);
}

#[test]
fn comparison_shows_the_trust_building_options_beside_each_choice() {
    let d = play(&teaching(), &["fix", "reflect", "safety", "reflect", "sorry", "reflect"]).debrief().unwrap();
    let first = &d.comparison[0];
    assert_eq!((first.turn, first.chosen.text.as_str(), first.chosen.change), (1, "You should rest more.", -6));
    let offered: Vec<(&str, i32)> = first.options.iter().map(|o| (o.text.as_str(), o.change)).collect();
    // Every trust-building option, with what it would have done then; the
    // repair had nothing to repair yet, so it was worth half.
    assert_eq!(offered, vec![("You sound worn out.", 5), ("What happened then?", 4), ("I rushed you just now. I'm sorry.", 2), ("Are you thinking about suicide?", 6)]);
    assert_eq!(d.comparison.len(), d.turns.len());
}

#[test]
fn a_debt_that_can_no_longer_land_is_settled() {
    let mut s = format!("{HEAD}[peer]\nname = \"P\"\ntrust = 40\n[thresholds]\nfloor = 0\n");
    s += &node("a", "", &[
        choice("promise", "I promise.", "false_promise", "b", "later = { at = \"handoff\", trust = -12, feedback = \"It breaks now.\" }\n"),
        choice("honest", "I can't promise that.", "validation", "b", ""),
    ]);
    s += &node("b", "", &[
        choice("on", "Shall we go on?", "collaboration", "handoff", ""),
        choice("aside", "Tell me about that.", "open_question", "aside", ""),
    ]);
    s += &node("aside", "", &[
        choice("close", "Thank you for telling me.", "validation", "done", ""),
        choice("lecture", "You should have said.", "judgement", "done", ""),
    ]);
    s += &node("handoff", "", &[
        choice("own", "I'm sorry.", "repair", "done", ""),
        choice("deny", "Rules are rules.", "judgement", "done", ""),
    ]);
    s += "[[ending]]\nid = \"done\"\noutcome = \"connected\"\ntitle = \"Done\"\ntext = \"t\"\n";
    let sc = load(&s);
    let mut p = play(&sc, &["promise"]);
    assert_ne!(p.state().flags & sc.owed(), 0, "owed while the hand-off can still come");
    p.choose("aside").unwrap();
    assert_eq!(p.state().flags & sc.owed(), 0, "from `aside` the hand-off cannot be reached, so nothing is owed");
    // The same conversation with and without the promise meets in one state there.
    let q = play(&sc, &["honest", "aside"]);
    assert_eq!(p.state().flags, q.state().flags);
}

#[test]
fn warning_signs_left_unasked_do_not_pass_whatever_the_score() {
    let missed = play(&teaching(), &["reflect", "ask", "reflect", "ask", "reflect", "ask"]).debrief().unwrap();
    assert!(missed.score.missed_safety_question);
    assert!(missed.score.raw >= missed.score.pass && missed.ending.outcome.is_passing(), "{:?}", missed.score);
    assert!(!missed.score.passed, "a high score with warning signs unasked is not a pass");
    let asked = play(&teaching(), &["reflect", "ask", "safety", "ask", "reflect", "ask"]).debrief().unwrap();
    assert!(!asked.score.missed_safety_question && asked.score.passed, "{:?}", asked.score);
}

#[test]
fn memory_no_choice_can_use_is_forgotten_so_paths_meet() {
    let mut s = format!("{HEAD}[peer]\nname = \"P\"\ntrust = 40\n[thresholds]\nfloor = 0\n");
    for (id, next) in [("n0", "n1"), ("n1", "n2")] {
        s += &node(id, "", &[
            choice("a", "It sounds like you are tired.", "reflection", next, "trust = 1\n"),
            choice("b", "What happened then?", "open_question", next, "trust = 1\n"),
            choice("x", "No.", "judgement", next, ""),
        ]);
    }
    s += &node("n2", "", &[choice("a", "It sounds hard.", "validation", "n3", ""), choice("y", "Calm down.", "ordering", "n3", "")]);
    s += &node("n3", "", &[choice("t", "Thank you.", "affirmation", "done", ""), choice("z", "Anyway.", "changing_subject", "done", "")]);
    s += "[[ending]]\nid = \"done\"\noutcome = \"connected\"\ntitle = \"Done\"\ntext = \"t\"\n";
    let sc = load(&s);
    // Two reflections opening "it sounds", or two questions: at n2 the
    // opening still matters (a choice there shares it), the question streak
    // does not (none is offered); at n3 neither does.
    let (reflected, asked) = (play(&sc, &["a", "a"]), play(&sc, &["b", "b"]));
    assert_eq!((reflected.state().opening != 0, asked.state().questions), (true, 0));
    let (reflected, asked) = (play(&sc, &["a", "a", "a"]), play(&sc, &["b", "b", "a"]));
    assert_eq!(reflected.turns()[2].modifiers.len(), 1, "the third opening alike still wears thin");
    assert_eq!(reflected.state().opening, 0);
    assert_eq!(reflected.state().repeats, 0);
    assert_eq!((asked.state().opening, asked.state().questions), (0, 0));
}

/// One node the learner leaves by a choice that costs `trust` (or gains it),
/// into a node with an `after_drop` line; `thresholds` adds to `[thresholds]`.
fn hurt(thresholds: &str) -> String {
    let mut s = format!("{HEAD}[peer]\nname = \"P\"\ntrust = 50\n[thresholds]\nfloor = 10\nwalks_out = true\n{thresholds}");
    s += &node("a", "", &[
        choice("slam", "You shouldn't have.", "judgement", "b", "trust = -10\n"),
        choice("edge", "You need to calm down.", "ordering", "b", "trust = -8\n"),
        choice("nudge", "At least it's Friday.", "minimising", "b", "trust = -7\n"),
        choice("warm", "That sounds hard.", "validation", "b", "trust = 5\n"),
    ]);
    s += &node("b", "after_drop = \"Right. Noted.\"\n", &[
        choice("again", "Anyway, moving on.", "changing_subject", "done", "trust = -45\n"),
        choice("ok", "Tell me more.", "open_question", "done", ""),
    ]);
    s + ENDINGS
}

#[test]
fn the_peer_acknowledges_a_sharp_drop_and_nothing_less() {
    let sc = load(&hurt(""));
    assert_eq!(sc.sharp_drop(), 8, "the default");
    for (pick, said) in [("slam", Some("Right. Noted.")), ("edge", Some("Right. Noted.")), ("nudge", None), ("warm", None)] {
        let mut s = play(&sc, &[pick]);
        assert_eq!(s.view().acknowledges.as_deref(), said, "after `{pick}`");
        assert_eq!(s.view().say.as_deref(), Some("..."), "`say` is the node's line either way");
        // The next turn records what the peer said first, and the debrief (the transcript's source) has it too.
        s.choose("ok").unwrap();
        assert_eq!(s.turns()[1].peer_acknowledged.as_deref(), said, "after `{pick}`");
        assert_eq!(s.turns()[0].peer_acknowledged, None, "nothing comes before the first line");
        assert_eq!(s.view().acknowledges, None, "an ending says no acknowledgement");
        assert_eq!(s.debrief().unwrap().turns[1].peer_acknowledged.as_deref(), said, "after `{pick}`");
    }
    // Undo takes the acknowledgement back with the turn.
    let mut s = play(&sc, &["slam"]);
    s.undo().unwrap();
    assert_eq!(s.view().acknowledges, None);
    // A save restores what the peer says first.
    let saved = play(&sc, &["edge"]).save();
    let restored = Session::restore(sc.clone(), &saved, Mode::Practice).unwrap().session;
    assert_eq!(restored.view().acknowledges.as_deref(), Some("Right. Noted."));
}

#[test]
fn sharp_drop_is_the_authors_to_set_and_a_line_that_is_never_said_is_a_warning() {
    let sc = load(&hurt("sharp_drop = 10\n"));
    assert_eq!(play(&sc, &["slam"]).view().acknowledges.as_deref(), Some("Right. Noted."));
    assert_eq!(play(&sc, &["edge"]).view().acknowledges, None, "a drop of 8 is not sharp when the author says 10");
    let report = check(&hurt("sharp_drop = 11\n"), Format::Toml);
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"W010"), "no turn into `b` costs 11: {codes:?}");
    assert!(!check(&hurt(""), Format::Toml).diagnostics.iter().any(|d| d.code == "W010"));
}

