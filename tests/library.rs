//! The scenario library meets the bar of issues 4 and 9, scenario by scenario
//! and as a whole: clean checks, length, endings, a gated disclosure,
//! feedback that names its skill, the best and worst paths, a best path the
//! ceiling does not flatten, honest self-disclosure, no tell in the longest
//! option or the brackets, golden transcripts, and every skill, neutral
//! behaviour and roadblock at least three times across the library.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use attunement::scenario::Playable;
use attunement::analysis::analyze;
use attunement::hash::Rng;
use attunement::checking::{Format, check};
use attunement::scenario::Outcome;
use attunement::skill::Kind;
use attunement::{Mode, Scenario, Session, Skill};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every scenario in `scenarios/`, with its path and text.
fn library() -> Vec<(PathBuf, String, Playable)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios/ is readable")
        .map(|e| e.expect("scenarios/ is readable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        // Translations (`ID.LANG.toml`) are their sources' words in another language: tests/translate.rs holds them to their sources.
        .filter(|p| p.file_name().and_then(|n| n.to_str()).and_then(attunement::translate::source_of).is_none())
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "the library needs at least five scenarios, has {}", paths.len());
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("scenarios are UTF-8");
            let report = check(&text, Format::Toml);
            assert!(report.diagnostics.is_empty(), "{}: {:?}", path.display(), report.diagnostics);
            let scenario = report.scenario.expect("no errors");
            (path, text, scenario)
        })
        .collect()
}

/// Outcomes from best to worst: a referral to help counts as a best ending
/// where connecting to help is the point.
fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::Breakthrough | Outcome::Referred => 4,
        Outcome::Connected => 3,
        Outcome::Unresolved => 2,
        Outcome::Disengaged => 1,
    }
}

fn decision_points(sc: &Scenario, steps: &[(usize, usize)]) -> usize {
    steps.iter().filter(|&&(n, _)| sc.nodes()[n].choices.len() >= 2).count()
}

#[test]
fn each_scenario_meets_the_library_bar() {
    for (path, _, sc) in library() {
        let name = path.display().to_string();
        assert_eq!(path.file_stem().and_then(|s| s.to_str()), Some(sc.meta().id.as_str()), "{name}: the file name is the id");
        assert!((8..=15).contains(&sc.meta().minutes), "{name}: plays {} minutes, not 8 to 15", sc.meta().minutes);
        assert!(sc.endings().len() >= 3, "{name}: {} endings", sc.endings().len());
        assert!(sc.disengaged().is_some(), "{name}: no disengaged ending");
        assert!(sc.nodes().iter().any(|n| n.gate.is_some() && n.disclosure), "{name}: no disclosure behind a trust gate");

        let a = analyze(&sc);
        assert!(a.complete(), "{name}: the analysis did not finish");
        let best = a.best.expect("a best path");
        let top = sc.endings().iter().map(|e| rank(e.outcome)).max().unwrap_or(0);
        let ending = &sc.endings()[best.ending];
        assert_eq!(rank(ending.outcome), top, "{name}: the best path ends in `{}` ({:?}), not the best ending", ending.id, ending.outcome);
        assert!(decision_points(&sc, &best.steps) >= 12, "{name}: the best path has {} decision points", decision_points(&sc, &best.steps));
        let worst = a.worst.expect("a worst path");
        assert_eq!(sc.endings()[worst.ending].outcome, Outcome::Disengaged, "{name}: the worst path does not end in disengagement");
        for &(n, c) in &worst.steps {
            let node = &sc.nodes()[n];
            assert!(
                node.choices[c].skill.kind() == Kind::Roadblock || !node.choices.iter().any(|o| o.skill.kind() == Kind::Roadblock),
                "{name}: the worst path takes `{}` at node `{}`, where a roadblock is offered",
                node.choices[c].id,
                node.id
            );
        }
        for node in sc.nodes().iter().filter(|n| n.choices.len() >= 2) {
            assert!(node.choices.iter().any(|c| c.skill.kind() == Kind::Skill), "{name}: node `{}` offers nothing that builds trust", node.id);
            assert!(node.choices.iter().any(|c| c.skill.kind() == Kind::Roadblock), "{name}: node `{}` offers no roadblock", node.id);
        }
    }
}

/// The best path of a scenario, played.
fn best_session(sc: &Arc<Playable>) -> Session {
    let best = sc.best().cloned().expect("a best path");
    let mut s = Session::start(sc.clone(), Mode::Practice, 1);
    for (n, c) in best.steps {
        assert_eq!(s.state().node(), Some(n));
        s.choose(&sc.nodes()[n].choices[c].id).expect("the best path's choice is offered");
    }
    assert!(s.is_ended());
    s
}

#[test]
fn late_skill_still_counts_on_every_best_path() {
    for (path, _, sc) in library() {
        let s = best_session(&Arc::new(sc));
        let flattened: Vec<usize> = s.turns().iter().filter(|t| t.total > 0 && t.trust_after == t.trust_before).map(|t| t.number).collect();
        assert!(flattened.len() <= 2, "{}: on the best path, turns {flattened:?} lose their whole effect to the bound", path.display());
    }
}

#[test]
fn the_best_path_is_told_it_was_a_best_path_and_gets_nothing_to_practise() {
    for (path, _, sc) in library() {
        let s = best_session(&Arc::new(sc));
        let d = s.debrief().expect("ended");
        let b = d.best_path.as_ref().expect("a best path");
        assert!(b.on_best_path && b.left_best_path_at.is_none(), "{}: {b:?}", path.display());
        assert!(d.practise_next.is_empty(), "{}: the best path is told to practise {:?}", path.display(), d.practise_next);
        let roadblocks: Vec<usize> = s.turns().iter().filter(|t| t.kind == Kind::Roadblock).map(|t| t.number).collect();
        assert!(roadblocks.is_empty(), "{}: the best path uses roadblocks at turns {roadblocks:?}", path.display());
        assert_eq!(d.score.raw, 100, "{}", path.display());
        assert!(d.score.passed, "{}", path.display());
    }
}

/// Whether a self-disclosure assumes the learner shares the peer's history,
/// or says honestly that they do not.
fn is_honest_disclosure(text: &str) -> bool {
    let t = text.to_lowercase().replace('\u{2019}', "'");
    ["haven't been through", "haven't lived", "haven't had", "not been through", "don't know what it's like", "can't know what", "i haven't", "i've never", "i have never", "never been through", "not the same as"].iter().any(|p| t.contains(p))
}

#[test]
fn every_self_disclosure_that_assumes_a_shared_history_has_an_honest_sibling() {
    for (path, _, sc) in library() {
        for node in sc.nodes() {
            let disclosures: Vec<&str> = node.choices.iter().filter(|c| c.skill == Skill::SelfDisclosure).map(|c| c.text.as_str()).collect();
            if disclosures.iter().any(|t| !is_honest_disclosure(t)) {
                assert!(disclosures.iter().any(|t| is_honest_disclosure(t)), "{}: node `{}` offers only a lived-experience self-disclosure: {disclosures:?}", path.display(), node.id);
            }
        }
    }
}

#[test]
fn neither_the_longest_option_nor_the_brackets_give_the_answer_away() {
    let library = library();
    let (mut decisions, mut longest_best) = (0, 0);
    let mut bracketed = [0usize; 3];
    for (_, _, sc) in &library {
        for node in sc.nodes().iter().filter(|n| n.choices.len() >= 2) {
            decisions += 1;
            let longest = node.choices.iter().max_by_key(|c| c.text.chars().count()).expect("choices");
            let top = node.choices.iter().map(|c| c.trust.unwrap_or(sc.profile()[c.skill.index()])).max().unwrap_or(0);
            longest_best += usize::from(longest.trust.unwrap_or(sc.profile()[longest.skill.index()]) == top);
            for c in node.choices.iter().filter(|c| c.text.trim_start().starts_with('[')) {
                bracketed[c.skill.kind() as usize] += 1;
            }
        }
    }
    assert!(longest_best * 100 < decisions * 60, "the longest option is the best one at {longest_best} of {decisions} decision points");
    assert!(bracketed[Kind::Roadblock as usize] >= 3, "bracketed non-verbal options by kind (skill, neutral, roadblock): {bracketed:?}");
}

#[test]
fn where_warning_signs_show_a_safety_question_is_offered() {
    let library = library();
    let signs: usize = library.iter().map(|(_, _, sc)| sc.nodes().iter().filter(|n| n.warning_signs).count()).sum();
    assert!(signs >= 3, "only {signs} nodes across the library show warning signs");
    for id in ["asking-directly", "after-the-slip"] {
        let (_, _, sc) = library.iter().find(|(_, _, sc)| sc.meta().id == id).expect("scenario");
        assert!(sc.nodes().iter().any(|n| n.warning_signs), "{id} marks no warning signs");
        let s = best_session(&Arc::new(sc.clone()));
        assert!(s.turns().iter().any(|t| t.skill == Skill::SafetyQuestion), "{id}: the best path never asks directly");
    }
}

/// A typical learner: picks a trust-building response most of the time, a
/// roadblock now and then. Half or more of such sessions reach 12 decisions.
#[test]
fn a_typical_path_has_at_least_twelve_decision_points() {
    for (path, _, sc) in library() {
        let sc = Arc::new(sc);
        let mut lengths: Vec<usize> = (0..60)
            .map(|seed| {
                let mut rng = Rng::new(seed);
                let mut s = Session::start(sc.clone(), Mode::Practice, seed);
                let mut decisions = 0;
                while !s.is_ended() && s.turns().len() < 200 {
                    let node = &sc.nodes()[s.state().node().expect("at a node")];
                    let offered = s.order();
                    decisions += usize::from(offered.len() >= 2);
                    let kind = if rng.below(10) < 8 { Kind::Skill } else { Kind::Roadblock };
                    let pool: Vec<usize> = offered.iter().copied().filter(|&i| node.choices[i].skill.kind() == kind).collect();
                    let pool = if pool.is_empty() { offered } else { pool };
                    let pick = pool[rng.below(pool.len())];
                    s.choose(&node.choices[pick].id).expect("offered");
                }
                decisions
            })
            .collect();
        lengths.sort();
        let median = lengths[lengths.len() / 2];
        assert!(median >= 12, "{}: a typical session has {median} decision points", path.display());
    }
}

/// Each skill's names, any of which its feedback may use.
fn names(skill: Skill) -> &'static [&'static str] {
    match skill {
        Skill::Reflection => &["reflection", "reflecting"],
        Skill::ComplexReflection => &["complex reflection"],
        Skill::Validation => &["validation", "validating"],
        Skill::OpenQuestion => &["open question"],
        Skill::Affirmation => &["affirmation", "affirming"],
        Skill::Summary => &["summary", "summarising"],
        Skill::Presence => &["presence", "silence"],
        Skill::SelfDisclosure => &["self-disclosure"],
        Skill::Collaboration => &["collaboration"],
        Skill::Autonomy => &["autonomy"],
        Skill::SafetyQuestion => &["asking directly", "safety question"],
        Skill::Information => &["giving information", "information with permission"],
        Skill::AdviceWithPermission => &["advice with permission"],
        Skill::Repair => &["repair"],
        Skill::UnaskedInformation => &["unasked information", "information unasked", "giving information"],
        Skill::FalsePromise => &["false promise"],
        Skill::Rescuing => &["rescuing", "taking over"],
        Skill::Interpreting => &["interpreting", "analysing"],
        Skill::EmptyPraise => &["empty praise", "praise"],
        Skill::Reassurance => &["reassurance", "reassuring"],
        Skill::Minimising => &["minimising", "silver lining"],
        Skill::Lecturing => &["lecturing", "logical argument"],
        Skill::Advice => &["advice", "fixing"],
        Skill::Judgement => &["judgement", "moralising"],
        Skill::ClosedQuestion => &["closed question"],
        Skill::Hijacking => &["hijacking", "self-focus"],
        Skill::ChangingSubject => &["changing the subject", "withdrawing"],
        Skill::Ordering => &["ordering", "warning"],
    }
}

#[test]
fn every_choice_has_feedback_that_names_its_skill() {
    for (path, _, sc) in library() {
        for node in sc.nodes() {
            for c in &node.choices {
                let feedback = c.feedback.as_deref().unwrap_or_default().to_lowercase();
                assert!(
                    names(c.skill).iter().any(|n| feedback.contains(n)),
                    "{}: feedback of choice `{}` in node `{}` does not name {} ({:?})",
                    path.display(),
                    c.id,
                    node.id,
                    c.skill.label(),
                    c.feedback
                );
                assert!(feedback.len() >= 60, "{}: feedback of `{}` in `{}` is too short to say why", path.display(), c.id, node.id);
            }
        }
    }
}

#[test]
fn every_skill_neutral_behaviour_and_roadblock_appears_at_least_three_times_across_the_library() {
    let library = library();
    for skill in Skill::ALL {
        let uses: usize = library.iter().map(|(_, _, sc)| sc.nodes().iter().flat_map(|n| &n.choices).filter(|c| c.skill == skill).count()).sum();
        assert!(uses >= 3, "{} appears {uses} times across the library", skill.label());
    }
}

#[test]
fn heavy_scenarios_carry_content_notes_and_the_crisis_one_ends_in_a_referral() {
    let library = library();
    for id in ["bearing-witness", "after-the-slip", "asking-directly"] {
        let (_, _, sc) = library.iter().find(|(_, _, sc)| sc.meta().id == id).unwrap_or_else(|| panic!("no scenario `{id}`"));
        assert!(!sc.meta().content_notes.is_empty(), "{id} has no content note");
    }
    let (_, _, crisis) = library.iter().find(|(_, _, sc)| sc.meta().id == "asking-directly").expect("asking-directly");
    let best = analyze(crisis).best.expect("a best path");
    assert_eq!(crisis.endings()[best.ending].outcome, Outcome::Referred, "the crisis scenario's best path connects the peer to help");
}

/// A safety net for "no method detail, ever": none of these words appear in
/// the crisis scenario. A person still reads every line; this catches slips.
#[test]
fn the_crisis_scenario_names_no_method() {
    let library = library();
    let (_, text, _) = library.iter().find(|(_, _, sc)| sc.meta().id == "asking-directly").expect("asking-directly");
    let words: Vec<String> = text.to_lowercase().split(|c: char| !c.is_alphanumeric()).map(String::from).collect();
    let banned = ["overdose", "pills", "tablets", "rope", "noose", "hanging", "hang", "gun", "guns", "firearm", "knife", "razor", "blade", "bridge", "jump", "jumping", "poison", "stockpile", "stockpiling", "ledge", "cliff", "train", "tracks"];
    let found: Vec<&str> = banned.iter().copied().filter(|b| words.iter().any(|w| w == b)).collect();
    assert!(found.is_empty(), "asking-directly names {found:?}");
}

#[test]
fn each_scenario_has_golden_transcripts_of_its_best_worst_and_a_mixed_path() {
    for (_, _, sc) in library() {
        for kind in ["auto-best", "auto-worst", "mixed"] {
            let golden = root().join("tests/golden").join(format!("{}-{kind}.txt", sc.meta().id));
            let text = std::fs::read_to_string(&golden).unwrap_or_else(|_| panic!("missing {}", golden.display()));
            assert!(text.starts_with(&format!("# args: play scenarios/{}.toml", sc.meta().id)), "{} plays another scenario", golden.display());
            assert!(text.contains("== Ending:"), "{} does not reach an ending", golden.display());
        }
    }
}

#[test]
fn the_authoring_template_checks_clean() {
    let text = std::fs::read_to_string(root().join("docs/template.toml")).expect("docs/template.toml exists");
    let report = check(&text, Format::Toml);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
}

/// A save the engine before issue 9 made of four picks in first-meeting
/// (seed 7, the first choice shown each time). The scenario has since been
/// rewritten, so its content hash differs: restoring it must give a session
/// and a notice that says what happened, never an error or a panic.
const SAVE_BEFORE_ISSUE_9: &str = "A2.first-meeting.d30020c77dce4613.p7.4eq8bs836gsw2u1advw1512j5vxv.cd83c87c";

#[test]
fn a_save_made_before_the_new_model_restores_with_a_notice() {
    let library = library();
    let (_, _, sc) = library.iter().find(|(_, _, sc)| sc.meta().id == "first-meeting").expect("first-meeting");
    let restored = Session::restore(Arc::new(sc.clone()), SAVE_BEFORE_ISSUE_9, Mode::Practice).expect("a save of an older version restores");
    let notice = restored.notice.expect("the learner is told the scenario changed");
    assert!(notice.starts_with("the scenario has changed since this save"), "{notice}");
    assert!(restored.session.turns().len() <= 4);
    assert!(!restored.session.view().stuck);
}

/// The five scenarios once shared one skeleton: the same "forget I said it"
/// rupture and the same door nodes at the end of each. Each now has its own
/// shape: none of those nodes or lines is back, and no node id other than
/// the opening stands in more than three scenarios.
#[test]
fn the_scenarios_no_longer_share_one_skeleton() {
    let library = library();
    let mut ids: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (path, _, sc) in &library {
        for node in sc.nodes() {
            assert!(!matches!(node.id.as_str(), "door" | "door-warm" | "door-closed" | "door-open"), "{}: node `{}` is the old shared door", path.display(), node.id);
            assert!(!node.say.to_lowercase().contains("forget i said"), "{}: node `{}` is the old shared rupture", path.display(), node.id);
            *ids.entry(node.id.as_str()).or_default() += 1;
        }
    }
    let shared: Vec<_> = ids.iter().filter(|&(id, &n)| *id != "opening" && n > 3).collect();
    assert!(shared.is_empty(), "node ids in four or more scenarios: {shared:?}");
}

/// What issue 9 asked of the two crisis scenarios in particular.
#[test]
fn the_crisis_scenarios_ask_directly_where_issue_9_says() {
    let library = library();
    let find = |id: &str| library.iter().map(|(_, _, sc)| sc).find(|sc| sc.meta().id == id).unwrap_or_else(|| panic!("no scenario `{id}`"));
    let node_saying = |sc: &Scenario, words: &str| sc.nodes().iter().find(|n| n.say.contains(words)).unwrap_or_else(|| panic!("{}: no node says {words:?}", sc.meta().id)).clone();
    let asks = |n: &attunement::scenario::Node| n.choices.iter().any(|c| c.skill == Skill::SafetyQuestion);

    let lena = find("asking-directly");
    // The first clear warning sign, and the immediacy check.
    let burden = node_saying(lena, "easier time without me");
    assert!(burden.warning_signs && asks(&burden), "asking-directly: the learner cannot ask at `{}`", burden.id);
    let tonight = node_saying(lena, "know about tonight");
    assert!(asks(&tonight), "asking-directly: nothing checks immediacy at `{}`", tonight.id);
    // The secrecy promise costs trust where it must be broken, and a repair can own it there.
    let promises: Vec<_> = lena.nodes().iter().flat_map(|n| &n.choices).filter(|c| c.skill == Skill::FalsePromise).collect();
    assert!(promises.iter().any(|c| match c.later.as_ref().map(|l| l.at) {
        Some(attunement::scenario::Target::Node(at)) => lena.nodes()[at].choices.iter().any(|o| o.skill == Skill::Repair),
        _ => false,
    }), "asking-directly: no false promise lands where a repair can own it");

    let carla = find("after-the-slip");
    assert!(carla.nodes().iter().any(|n| n.warning_signs && n.choices.iter().any(|c| c.skill == Skill::SafetyQuestion && c.text.contains("end your life"))), "after-the-slip: no direct question about intent after the overdose");
    assert!(carla.nodes().iter().flat_map(|n| &n.choices).any(|c| c.skill == Skill::Information && c.text.contains("tolerance")), "after-the-slip: the reduced-tolerance information is not offered with permission");

    // A direct question about suicide is never disguised as something else.
    for (path, _, sc) in &library {
        for c in sc.nodes().iter().flat_map(|n| &n.choices) {
            let t = c.text.to_lowercase();
            if (t.contains("thinking about suicide") || t.contains("thoughts of suicide") || t.contains("end your life")) && t.contains('?') {
                assert_eq!(c.skill, Skill::SafetyQuestion, "{}: `{}` asks about suicide but is coded {}", path.display(), c.id, c.skill);
            }
        }
    }
}

/// The library is a path: `attunement library` lists introductory scenarios
/// first, then intermediate, then advanced, each entry with its level, and
/// within a level by `order`, then title. The suicide scenario must not come
/// before the introductory one (issue 10), and every library scenario says
/// its level rather than taking the default.
#[test]
fn the_library_index_is_a_path_from_introductory_to_advanced() {
    for (path, text, sc) in library() {
        assert!(text.lines().any(|l| l.starts_with("level = ")), "{}: the library's scenarios say their level", path.display());
        assert!(sc.meta().order.is_some(), "{}: the library's scenarios say their order", path.display());
    }
    let out = std::env::temp_dir().join(format!("attunement-path-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_attunement")).args(["library", "scenarios", "-o", out.to_str().unwrap()]).current_dir(root()).output().expect("the attunement binary runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let index: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("index.json")).expect("an index")).expect("JSON");
    let _ = std::fs::remove_dir_all(&out);
    let entries = index["scenarios"].as_array().expect("a list of scenarios");
    let listed: Vec<(&str, &str)> = entries.iter().map(|e| (e["id"].as_str().unwrap(), e["level"].as_str().expect("every entry has a level"))).collect();
    assert_eq!(
        listed,
        [("first-meeting", "introductory"), ("nobody-listens", "intermediate"), ("bearing-witness", "intermediate"), ("asking-directly", "advanced"), ("after-the-slip", "advanced")],
        "the library's suggested order"
    );
    let rank = |level: &str| ["introductory", "intermediate", "advanced"].iter().position(|l| *l == level).expect("a known level");
    for pair in entries.windows(2) {
        let key = |e: &serde_json::Value| (rank(e["level"].as_str().unwrap()), e["order"].as_u64().unwrap_or(u64::MAX), e["title"].as_str().unwrap().to_string());
        assert!(key(&pair[0]) <= key(&pair[1]), "{} comes before {}", pair[0]["id"], pair[1]["id"]);
    }
    let at = |id: &str| listed.iter().position(|(i, _)| *i == id).expect("listed");
    assert!(at("first-meeting") < at("asking-directly"), "the suicide scenario comes after the introductory one");
}

/// A scenario without `level` is intermediate, and the compiled form keeps
/// the level an author wrote, so the browser reads the same.
#[test]
fn level_defaults_to_intermediate_and_survives_compiling() {
    let tiny = std::fs::read_to_string(root().join("tests/fixtures/tiny.toml")).expect("the fixture");
    let sc = attunement::Scenario::parse(&tiny, Format::Toml).expect("tiny checks");
    assert_eq!((sc.meta().level, sc.meta().order), (attunement::scenario::Level::Intermediate, None));
    let text = std::fs::read_to_string(root().join("scenarios/first-meeting.toml")).expect("first-meeting");
    let bytes = attunement::checking::compile(&text, Format::Toml).expect("compiles");
    let compiled = attunement::compiled::read(&bytes).expect("the compiled form loads");
    assert_eq!((compiled.meta().level, compiled.meta().order), (attunement::scenario::Level::Introductory, Some(1)));
}
