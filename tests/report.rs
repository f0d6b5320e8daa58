//! The cohort report's aggregation (src/report.rs) on statements as data:
//! cohorts played through the real engine and shaped as the widget's xAPI
//! reporter shapes them (docs/xapi.md), statements from elsewhere, broken
//! pages, paging, a store that ignores `related_activities`, practice
//! retries, groups and pseudonyms. Every expected figure is computed here
//! from the sessions, not from the report's code.

use std::sync::Arc;

use attunement::hash::Rng;
use attunement::report::{Cohort, Options};
use attunement::checking::Format;
use attunement::scenario::Playable;
use attunement::{Mode, Scenario, Session};
use serde_json::{Value, json};

const EXT: &str = "https://attunement.invalid/xapi/extensions/";
const ENDPOINT: &str = "http://127.0.0.1:8100/xAPI/";

fn scenario(id: &str) -> Arc<Playable> {
    let text = std::fs::read_to_string(format!("scenarios/{id}.toml")).unwrap();
    Arc::new(Scenario::parse(&text, Format::Toml).unwrap_or_else(|d| panic!("{id}: {d:?}")))
}

fn activity(id: &str) -> String {
    format!("https://attunement.invalid/scenarios/{id}")
}

fn options(id: &str) -> Options {
    Options { endpoint: ENDPOINT.into(), activity: activity(id), ..Options::default() }
}

fn ext(pairs: &[(&str, Value)]) -> Value {
    Value::Object(pairs.iter().map(|(k, v)| (format!("{EXT}{k}"), v.clone())).collect())
}

/// One learner's attempt, played with seeded random picks; `stop_after`
/// abandons it after that many turns.
struct Played {
    actor: String,
    attempt: String,
    statements: Vec<Value>,
    session: Session,
}

fn play(sc: &Arc<Playable>, learner: usize, seed: u64, stop_after: Option<usize>) -> Played {
    let id = sc.meta().id.clone();
    let attempt = format!("{:08x}-0000-4000-8000-{:012}", sc.hash() as u32, learner * 1000 + seed as usize);
    let actor = format!("mailto:learner{learner}@example.org");
    let hash = format!("{:016x}", sc.hash());
    let mut rng = Rng::new(seed);
    let mut session = Session::start(sc.clone(), Mode::Assessment, seed);
    let mut statements = Vec::new();
    let mut clock = 0u64;
    let mut statement = |verb: &str, object: Value, result: Option<Value>, clock: u64| {
        let mut s = json!({
            "id": format!("{attempt}-{}", statements.len()),
            "actor": { "objectType": "Agent", "name": format!("Learner {learner}"), "mbox": actor },
            "verb": { "id": format!("http://adlnet.gov/expapi/verbs/{verb}") },
            "object": object,
            "context": { "registration": attempt, "platform": "Attunement",
                "extensions": ext(&[("attempt", json!(attempt)), ("mode", json!("assessment")), ("scenario-id", json!(id)), ("scenario-hash", json!(hash))]) },
            "timestamp": format!("2026-11-{:02}T10:{:02}:{:02}Z", 1 + learner % 28, clock / 60, clock % 60),
        });
        if let Some(r) = result {
            s["result"] = r;
        }
        statements.push(s);
    };
    statement("initialized", json!({ "id": activity(&id) }), None, clock);
    while !session.is_ended() && stop_after.is_none_or(|n| session.turns().len() < n) {
        let choices = session.view().choices;
        let pick = choices[rng.below(choices.len())].id.clone();
        session.pick(&pick).unwrap();
        let t = session.turns().last().unwrap().clone();
        clock += 20;
        statement(
            "answered",
            json!({ "id": format!("{}/nodes/{}", activity(&id), t.node) }),
            Some(json!({ "response": t.choice, "extensions": ext(&[
                ("skill", json!(t.skill.id())), ("skill-kind", json!(t.kind.id())),
                ("trust-before", json!(t.trust_before)), ("trust-after", json!(t.trust_after)),
                ("choice-text", json!(t.text)), ("turn", json!(t.number)), ("node", json!(t.node)),
                ("acute", json!(t.acute)), ("warning-signs", json!(t.warning_signs)),
            ]) })),
            clock,
        );
    }
    if session.is_ended() {
        let d = session.debrief().unwrap();
        let result = json!({
            "score": { "scaled": d.score.scaled, "raw": d.score.raw, "min": 0, "max": 100 },
            "success": d.score.passed, "completion": true, "duration": format!("PT{clock}S"),
            "extensions": ext(&[("ending", json!(d.ending.id)), ("outcome", json!(d.ending.outcome.id())), ("trust", json!(d.trust.value)), ("turns", json!(d.turns.len()))]),
        });
        statement("completed", json!({ "id": activity(&id) }), Some(result.clone()), clock);
        statement(if d.score.passed { "passed" } else { "failed" }, json!({ "id": activity(&id) }), Some(result), clock);
        statement("terminated", json!({ "id": activity(&id) }), Some(json!({ "duration": format!("PT{clock}S") })), clock);
    }
    Played { actor, attempt, statements, session }
}

fn cohort_of(id: &str, n: usize) -> (Arc<Playable>, Vec<Played>) {
    let sc = scenario(id);
    let played = (0..n).map(|i| play(&sc, i, 100 + i as u64, (i % 7 == 3).then_some(2))).collect();
    (sc, played)
}

/// The store's pages: `size` statements each, linked by `more`.
fn pages(statements: &[Value], size: usize) -> Vec<String> {
    let chunks: Vec<&[Value]> = statements.chunks(size).collect();
    (0..chunks.len())
        .map(|i| {
            let more = if i + 1 < chunks.len() { format!("/xAPI/statements?page={}", i + 1) } else { String::new() };
            json!({ "statements": chunks[i], "more": more }).to_string()
        })
        .collect()
}

/// Reads every page as the page and the CLI do, checking each `more` address.
fn read_all(cohort: &mut Cohort, pages: &[String]) {
    assert!(cohort.url().starts_with(&format!("{ENDPOINT}statements?activity=https%3A%2F%2Fattunement.invalid")), "{}", cohort.url());
    for (i, page) in pages.iter().enumerate() {
        let next = cohort.add_page(page).unwrap();
        if i + 1 < pages.len() {
            assert_eq!(next.as_deref(), Some(format!("http://127.0.0.1:8100/xAPI/statements?page={}", i + 1).as_str()));
        } else {
            assert_eq!(next, None);
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

#[test]
fn a_cohort_read_in_pages_gives_the_figures_of_its_sessions() {
    let (sc, played) = cohort_of("first-meeting", 30);
    let all: Vec<Value> = played.iter().flat_map(|p| p.statements.clone()).collect();
    let mut cohort = Cohort::new(options("first-meeting")).unwrap();
    cohort.set_scenario((*sc).clone());
    read_all(&mut cohort, &pages(&all, 50));
    let r = cohort.report(false);

    let ended: Vec<&Played> = played.iter().filter(|p| p.session.is_ended()).collect();
    let debriefs: Vec<_> = ended.iter().map(|p| p.session.debrief().unwrap()).collect();
    assert_eq!(r.statements, all.len());
    assert_eq!(r.used, all.len());
    assert_eq!(r.attempts, 30);
    assert_eq!(r.completed, ended.len());
    assert!(r.abandoned >= 4, "some attempts were abandoned: {}", r.abandoned);
    assert_eq!(r.abandoned, 30 - ended.len());
    assert_eq!(r.passed, debriefs.iter().filter(|d| d.score.passed).count());
    for outcome in attunement::scenario::Outcome::ALL {
        assert_eq!(r.endings[outcome.id()], debriefs.iter().filter(|d| d.ending.outcome == outcome).count(), "{}", outcome.id());
    }
    assert_eq!(r.scenario.matches, Some(true));
    // Every answer counted by its skill.
    let turns: Vec<_> = played.iter().flat_map(|p| p.session.turns().to_vec()).collect();
    for (skill, count) in &r.skills {
        assert_eq!(*count, turns.iter().filter(|t| t.skill.id() == *skill).count(), "{skill}");
    }
    assert_eq!(r.skills.values().sum::<usize>(), turns.len());
    // Trust: the median after turn 1 and turn 3, over the attempts that got there.
    for turn in [1usize, 3] {
        let after: Vec<f64> = played.iter().filter_map(|p| p.session.turns().get(turn - 1)).map(|t| f64::from(t.trust_after)).collect();
        let spread = r.trust.iter().find(|s| s.turn == turn).unwrap();
        assert_eq!((spread.learners, spread.median), (after.len(), median(after)), "turn {turn}");
    }
    assert_eq!(r.trust[0].turn, 0);
    assert_eq!(r.trust[0].median, f64::from(sc.peer().trust));
    // Learners: one row each, with the debrief's score and turns.
    for p in &played {
        let row = r.learners.iter().find(|l| l.attempt == p.attempt).unwrap();
        assert_eq!(row.turns, p.session.turns().len());
        assert_eq!(row.path.len(), p.session.turns().len());
        if p.session.is_ended() {
            let d = p.session.debrief().unwrap();
            assert_eq!(row.score, Some(f64::from(d.score.raw)));
            assert_eq!(row.ending.as_deref(), Some(d.ending.id.as_str()));
            assert_eq!(row.status, if d.score.passed { "passed" } else { "failed" });
            assert_eq!(row.duration, Some(20.0 * d.turns.len() as f64));
        } else {
            assert_eq!(row.status, "abandoned");
        }
        assert!(row.actor.contains(&p.actor));
    }
    // Sticking points: the node where trust fell most, by the sessions' own turns.
    let mut fall: std::collections::BTreeMap<&str, i32> = Default::default();
    for t in &turns {
        *fall.entry(t.node.as_str()).or_default() += (t.trust_before - t.trust_after).max(0);
    }
    let worst = fall.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).unwrap();
    assert_eq!((r.sticking_points[0].node.as_str(), r.sticking_points[0].fall as i32), (*worst.0, *worst.1));
    assert!(r.sticking_points[0].instead.iter().all(|o| attunement::Skill::from_id(o.skill).unwrap().kind() == attunement::skill::Kind::Skill));
    let node = &sc.nodes()[sc.node(&r.sticking_points[0].node).unwrap()];
    assert_eq!(r.sticking_points[0].say.as_deref(), Some(node.say.as_str()), "what the peer said there");
    // The report's JSON has what `attunement report --format json` promises.
    let v = serde_json::to_value(&r).unwrap();
    for key in ["attempts", "completed", "passed", "endings", "skills", "learners"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    for key in ["actor", "registration", "ending", "score", "turns", "duration"] {
        assert!(v["learners"][0].get(key).is_some(), "learners[].{key}");
    }
}

#[test]
fn distress_and_safety_are_counted_where_the_scenario_shows_them() {
    let (_, played) = cohort_of("asking-directly", 24);
    let all: Vec<Value> = played.iter().flat_map(|p| p.statements.clone()).collect();
    let mut cohort = Cohort::new(options("asking-directly")).unwrap();
    read_all(&mut cohort, &pages(&all, 1000));
    let r = cohort.report(false);
    let turns: Vec<_> = played.iter().flat_map(|p| p.session.turns().to_vec()).collect();
    assert_eq!(r.distress.acute_answers, turns.iter().filter(|t| t.acute).count());
    let acute_roadblocks = turns.iter().filter(|t| t.acute && t.kind == attunement::skill::Kind::Roadblock).count();
    assert_eq!(r.distress.roadblocks, acute_roadblocks);
    let signs: Vec<&Played> = played.iter().filter(|p| p.session.turns().iter().any(|t| t.warning_signs)).collect();
    assert!(!signs.is_empty(), "asking-directly shows warning signs");
    let asked = signs
        .iter()
        .filter(|p| {
            let ts = p.session.turns();
            let first = ts.iter().position(|t| t.warning_signs).unwrap();
            ts[first..].iter().any(|t| t.skill == attunement::Skill::SafetyQuestion)
        })
        .count();
    assert_eq!((r.safety.attempts_with_signs, r.safety.asked, r.safety.missed), (signs.len(), asked, signs.len() - asked));
    // A learner who ended without asking is failed by the debrief and marked missed here.
    for p in signs.iter().filter(|p| p.session.is_ended()) {
        let row = r.learners.iter().find(|l| l.attempt == p.attempt).unwrap();
        if row.safety == Some("missed") {
            assert_eq!(row.passed, Some(false), "{}", p.attempt);
        }
    }
}

#[test]
fn statements_from_elsewhere_are_skipped_with_their_reasons() {
    let (_, played) = cohort_of("first-meeting", 3);
    let mut statements: Vec<Value> = played.iter().flat_map(|p| p.statements.clone()).collect();
    let n = statements.len();
    let mut other = statements[1].clone();
    other["id"] = json!("other-1");
    other["context"]["extensions"] = json!({});
    let mut no_skill = statements[1].clone();
    no_skill["id"] = json!("other-2");
    no_skill["result"]["extensions"][format!("{EXT}skill")] = json!("telepathy");
    let mut no_turn = statements[1].clone();
    no_turn["id"] = json!("other-3");
    no_turn["result"]["extensions"].as_object_mut().unwrap().remove(&format!("{EXT}turn"));
    let mut verb = statements[0].clone();
    verb["id"] = json!("other-4");
    verb["verb"]["id"] = json!("http://adlnet.gov/expapi/verbs/experienced");
    let mut no_actor = statements[0].clone();
    no_actor["id"] = json!("other-5");
    no_actor["actor"] = json!({ "name": "nobody" });
    statements.extend([other, no_skill, no_turn, verb, no_actor, json!("not an object"), json!({ "id": 7 })]);
    // The same statement twice in a store's answer counts once.
    statements.push(statements[0].clone());
    let mut cohort = Cohort::new(options("first-meeting")).unwrap();
    cohort.add_page(&json!({ "statements": statements }).to_string()).unwrap();
    let r = cohort.report(false);
    assert_eq!(r.statements, n + 7);
    assert_eq!(r.used, n);
    let reasons: Vec<(&str, usize)> = r.skipped.iter().map(|s| (s.reason, s.count)).collect();
    for want in ["not from Attunement (no scenario-id extension)", "an answer without a skill Attunement knows", "an answer without its turn", "a verb Attunement does not send", "no statement id"] {
        assert!(reasons.iter().any(|(r, _)| *r == want), "{want} in {reasons:?}");
    }
    assert_eq!(reasons.iter().map(|(_, c)| c).sum::<usize>(), 7);
    assert_eq!(r.attempts, 3);
}

/// Statements anyone with the store's credentials could write (a learner's page holds them):
/// each is skipped with its reason, or read as far as it can be, and none can panic the
/// report or make it allocate for a turn no conversation reaches.
#[test]
fn hostile_statements_are_skipped_not_trusted() {
    let (_, played) = cohort_of("first-meeting", 1);
    let honest = played[0].statements.clone();
    let answer = honest.iter().position(|s| s["verb"]["id"].as_str().unwrap().ends_with("answered")).unwrap();
    let mut statements = honest.clone();
    let mut forge = |n: usize, f: &dyn Fn(&mut Value)| {
        let mut s = honest[answer].clone();
        s["id"] = json!(format!("forged-{n}"));
        f(&mut s);
        statements.push(s);
    };
    for (n, turn) in [u64::from(u32::MAX), 300_000_000, (1 << 32) + 1, 10_001].into_iter().enumerate() {
        forge(n, &move |s| s["result"]["extensions"][format!("{EXT}turn")] = json!(turn));
    }
    forge(10, &|s| s["result"]["extensions"][format!("{EXT}trust-after")] = json!(1e12));
    forge(11, &|s| s["result"]["extensions"][format!("{EXT}trust-before")] = json!(-5));
    // A time zone that splits a character once made the duration's parser panic.
    forge(12, &|s| s["timestamp"] = json!("2026-11-01T09:00:00+0\u{e9}"));
    let mut cohort = Cohort::new(options("first-meeting")).unwrap();
    cohort.add_page(&json!({ "statements": statements }).to_string()).unwrap();
    let r = cohort.report(false);
    let reasons: Vec<(&str, usize)> = r.skipped.iter().map(|s| (s.reason, s.count)).collect();
    assert_eq!(reasons, [("an answer at a turn beyond 10,000", 4), ("an answer without its trust figures (0 to 100)", 2)]);
    assert_eq!(r.used, honest.len() + 1, "the answer with the odd time zone is read");
    assert!(serde_json::to_string(&r).is_ok() && !cohort.csv("learners", false).unwrap().is_empty());
    // Since and until take the same parser.
    assert!(Cohort::new(Options { since: Some("2026-11-01T09:00:00+0\u{e9}".into()), ..options("first-meeting") }).is_err());
}

/// An attempt of 10,000 answers, the most a turn may be, is read whole. (Reading answers in turn
/// order now costs a look-up each: the practice retry rule once passed over every answer before
/// each new one, which took 8 s for 20,000 answers in wasm.)
#[test]
fn an_attempt_of_ten_thousand_answers_is_read_whole() {
    let (_, played) = cohort_of("first-meeting", 1);
    let honest = played[0].statements.clone();
    let answer = honest.iter().position(|s| s["verb"]["id"].as_str().unwrap().ends_with("answered")).unwrap();
    let statements: Vec<Value> = (1..=10_000u64)
        .map(|turn| {
            let mut s = honest[answer].clone();
            s["id"] = json!(format!("many-{turn}"));
            s["result"]["extensions"][format!("{EXT}turn")] = json!(turn);
            s["timestamp"] = json!(format!("2026-11-02T{:02}:{:02}:{:02}Z", turn / 3600, turn / 60 % 60, turn % 60));
            s
        })
        .collect();
    let mut cohort = Cohort::new(options("first-meeting")).unwrap();
    cohort.add_page(&json!({ "statements": statements }).to_string()).unwrap();
    let r = cohort.report(false);
    assert_eq!(r.used, 10_000);
    assert_eq!(r.attempts, 1);
    assert_eq!(r.trust.len(), 10_001, "trust before the first answer and after each");
}

#[test]
fn a_page_that_is_not_a_statement_result_is_a_clear_error() {
    let mut cohort = Cohort::new(options("first-meeting")).unwrap();
    assert!(cohort.add_page("<html>login</html>").unwrap_err().contains("not JSON"));
    assert!(cohort.add_page("{\"error\": 1}").unwrap_err().contains("no `statements` list"));
    let other = json!({ "statements": [], "more": "https://elsewhere.example/xAPI/statements?page=2" }).to_string();
    assert!(cohort.add_page(&other).unwrap_err().contains("another server"));
    let relative = json!({ "statements": [], "more": "statements?page=2" }).to_string();
    assert_eq!(cohort.add_page(&relative).unwrap().as_deref(), Some("http://127.0.0.1:8100/xAPI/statements?page=2"));
}

#[test]
fn bad_options_say_what_is_wrong() {
    let bad = |o: Options| Cohort::new(o).err().unwrap();
    assert!(bad(Options { endpoint: "lrs.example".into(), ..options("x") }).contains("http://"));
    assert!(bad(Options { activity: "first meeting".into(), ..options("x") }).contains("IRI"));
    assert!(bad(Options { since: Some("yesterday".into()), ..options("x") }).starts_with("since:"));
    let c = Cohort::new(Options { since: Some("2026-11-01".into()), until: Some("2026-11-30".into()), ..options("x") }).unwrap();
    assert!(c.url().ends_with("&since=2026-11-01T00%3A00%3A00Z&until=2026-12-01T00%3A00%3A00Z"), "{}", c.url());
}

#[test]
fn a_store_that_ignores_related_activities_is_read_by_registration() {
    let (_, played) = cohort_of("first-meeting", 4);
    let all: Vec<Value> = played.iter().flat_map(|p| p.statements.clone()).collect();
    // The activity query returns only the statements whose object is the scenario.
    let scenario_only: Vec<Value> = all.iter().filter(|s| !s["object"]["id"].as_str().unwrap().contains("/nodes/")).cloned().collect();
    let mut cohort = Cohort::new(options("first-meeting")).unwrap();
    let mut next = cohort.add_page(&json!({ "statements": scenario_only }).to_string()).unwrap();
    let mut asked = Vec::new();
    while let Some(url) = next {
        let registration = url.split("registration=").nth(1).unwrap().split('&').next().unwrap().to_string();
        asked.push(registration.clone());
        let theirs: Vec<&Value> = all.iter().filter(|s| s["context"]["registration"] == json!(registration)).collect();
        next = cohort.add_page(&json!({ "statements": theirs }).to_string()).unwrap();
    }
    let mut want: Vec<String> = played.iter().map(|p| p.attempt.clone()).collect();
    want.sort();
    assert_eq!(asked, want);
    let r = cohort.report(false);
    assert!(r.per_registration);
    assert_eq!(r.statements, all.len(), "each statement counted once");
    assert_eq!(r.skills.values().sum::<usize>(), played.iter().map(|p| p.session.turns().len()).sum::<usize>());
}

#[test]
fn a_practice_retry_leaves_only_the_answer_that_stands() {
    let (_, played) = cohort_of("first-meeting", 1);
    let mut s = played[0].statements.clone();
    // Turn 2 answered again a minute after turn 3 (undo twice, then a new answer): the new turn 2 stands, the old turn 3 goes.
    let mut again = s[2].clone();
    again["id"] = json!("retry");
    again["timestamp"] = json!("2026-11-01T11:00:00Z");
    again["result"]["response"] = json!("the-retry");
    s.push(again);
    let mut cohort = Cohort::new(options("first-meeting")).unwrap();
    cohort.add_page(&json!({ "statements": s }).to_string()).unwrap();
    let r = cohort.report(false);
    let path = &r.learners[0].path;
    assert_eq!(path.iter().map(|p| p.turn).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(path[1].choice, "the-retry");
}

#[test]
fn groups_and_pseudonyms() {
    let (_, played) = cohort_of("first-meeting", 6);
    let all: Vec<Value> = played.iter().flat_map(|p| p.statements.clone()).collect();
    let page = json!({ "statements": all }).to_string();
    let two = vec![played[1].attempt.to_uppercase(), format!(" {} ", played[4].attempt)];
    let mut by_registration = Cohort::new(Options { registrations: two, ..options("first-meeting") }).unwrap();
    by_registration.add_page(&page).unwrap();
    let r = by_registration.report(false);
    assert_eq!(r.attempts, 2);
    assert!(r.skipped.iter().any(|s| s.reason == "outside the chosen registrations"));
    let mut by_actor = Cohort::new(Options { actor: Some("LEARNER3@".into()), ..options("first-meeting") }).unwrap();
    by_actor.add_page(&page).unwrap();
    assert_eq!(by_actor.report(false).learners.iter().map(|l| l.attempt.clone()).collect::<Vec<_>>(), vec![played[3].attempt.clone()]);

    let mut cohort = Cohort::new(options("first-meeting")).unwrap();
    cohort.add_page(&page).unwrap();
    let named = serde_json::to_string(&cohort.report(false)).unwrap();
    assert!(named.contains("learner2@example.org") && named.contains("Learner 2"));
    let coded = serde_json::to_string(&cohort.report(true)).unwrap();
    let csv = cohort.csv("learners", true).unwrap() + &cohort.csv("statements", true).unwrap();
    for text in [&coded, &csv] {
        assert!(!text.contains("example.org") && !text.contains("Learner "), "no name or mailbox left");
    }
    let codes: std::collections::BTreeSet<String> = cohort.report(true).learners.iter().map(|l| l.actor.clone()).collect();
    assert_eq!(codes.len(), 6, "one code per learner");
    assert_eq!(cohort.report(true).learners[0].actor, cohort.report(true).learners[0].actor, "stable");
    // CSV: a header and a row per learner; a row per answer.
    let learners = cohort.csv("learners", false).unwrap();
    assert!(learners.starts_with("actor,registration,attempt,started,status,ending,outcome,score,passed,turns,duration_seconds,safety\r\n"));
    assert_eq!(learners.lines().count(), 7);
    let answers = cohort.csv("statements", false).unwrap();
    assert_eq!(answers.lines().count(), 1 + played.iter().map(|p| p.session.turns().len()).sum::<usize>());
    assert!(cohort.csv("people", false).is_err());
}

#[test]
fn another_version_of_the_scenario_is_noticed() {
    let (_, played) = cohort_of("first-meeting", 2);
    let mut s = played[0].statements.clone();
    for st in &mut s {
        st["context"]["extensions"][format!("{EXT}scenario-hash")] = json!("0123456789abcdef");
    }
    let mut cohort = Cohort::new(options("first-meeting")).unwrap();
    cohort.set_scenario((*scenario("first-meeting")).clone());
    cohort.add_page(&json!({ "statements": s }).to_string()).unwrap();
    let r = cohort.report(false);
    assert_eq!(r.scenario.matches, Some(false));
    assert!(r.text().contains("another version of the scenario"));
}

#[test]
fn a_store_whose_activity_filter_finds_nothing_is_scanned_for_the_activity() {
    let (_, played) = cohort_of("first-meeting", 3);
    let (_, others) = cohort_of("asking-directly", 2);
    let mut cohort = Cohort::new(Options { since: Some("2026-11-01".into()), ..options("first-meeting") }).unwrap();
    let next = cohort.add_page(&json!({ "statements": [], "more": "" }).to_string()).unwrap();
    assert_eq!(next.as_deref(), Some("http://127.0.0.1:8100/xAPI/statements?since=2026-11-01T00%3A00%3A00Z"), "the whole store, within the dates");
    let store: Vec<Value> = played.iter().chain(&others).flat_map(|p| p.statements.clone()).collect();
    assert_eq!(cohort.add_page(&json!({ "statements": store }).to_string()).unwrap(), None, "scanned once");
    let r = cohort.report(false);
    assert!(r.scanned);
    assert_eq!(r.attempts, 3);
    let theirs: usize = others.iter().map(|p| p.statements.len()).sum();
    assert_eq!(r.skipped.iter().map(|s| (s.reason, s.count)).collect::<Vec<_>>(), vec![("another activity's", theirs)]);
    // An empty store stays empty: one scan, then the end.
    let mut empty = Cohort::new(options("first-meeting")).unwrap();
    assert!(empty.add_page("{\"statements\": []}").unwrap().is_some());
    assert_eq!(empty.add_page("{\"statements\": []}").unwrap(), None);
    assert_eq!(empty.report(false).attempts, 0);
}
