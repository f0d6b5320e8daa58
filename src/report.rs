//! The trainer's cohort report: the statements the widget sent to a
//! learning record store in, the figures a trainer reads out.
//!
//! [`Cohort`] takes the store's answers one page at a time (the xAPI
//! statements API's `StatementResult`, as text), keeps what it needs of
//! each statement the widget wrote and counts every other one as skipped
//! with its reason; [`Cohort::report`] then aggregates, and [`Report`] is
//! what `www/report.html` renders and `attunement report` prints. Nothing
//! here touches the network: the page and the CLI fetch, and ask
//! [`Cohort::url`] and [`Cohort::add_page`] where to go next. The statement
//! fields it reads are those `docs/xapi.md` documents; `docs/report.md`
//! says what each figure means.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::debrief::{MitiSummary, miti_of};
use crate::engine::save::MAX_TURNS;
use crate::scenario::{MAX_LEVEL, Outcome, Playable};
use crate::skill::{Kind, Skill};

const VERBS: &str = "http://adlnet.gov/expapi/verbs/";
const EXTENSIONS: &str = "https://attunement.invalid/xapi/extensions/";
/// Sticking points listed, at most.
pub const STICKING_POINTS: usize = 5;
/// Trust-building options listed as "on offer instead" at a sticking point.
const INSTEAD: usize = 2;

/// What to read and whom to count. The endpoint, activity and dates go to the
/// store; the group (registrations, actor) is applied here, since the
/// statements API filters by one exact agent or one registration only.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// The statements API's base, such as `https://lrs.example/xAPI/`.
    pub endpoint: String,
    /// The scenario's activity IRI.
    pub activity: String,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    /// Only these registrations, when given.
    #[serde(default)]
    pub registrations: Vec<String>,
    /// Only actors whose name or identifier contains this, ignoring case.
    #[serde(default)]
    pub actor: Option<String>,
}

/// Statements read so far, ready to aggregate.
pub struct Cohort {
    endpoint: String,
    first: String,
    activity: String,
    registrations: BTreeSet<String>,
    actor: Option<String>,
    scenario: Option<Playable>,
    attempts: BTreeMap<String, Attempt>,
    ids: HashSet<String>,
    /// `since` and `until` as query parameters, for the scan and the per-registration pass.
    range: Vec<String>,
    /// The registrations still to read one by one, once that pass began.
    pending: Option<Vec<String>>,
    per_registration: bool,
    /// Reading the whole store, since the activity's query found nothing.
    scanning: bool,
    read: usize,
    skipped: BTreeMap<&'static str, usize>,
}

#[derive(Default)]
struct Attempt {
    registration: String,
    actor: Actor,
    started: Option<String>,
    first: Option<String>,
    last: Option<String>,
    /// By turn: the answer that stands (a practice retry replaces the one before).
    answers: BTreeMap<usize, Answer>,
    end: Option<End>,
    hashes: BTreeSet<String>,
    scenario_id: String,
}

#[derive(Clone)]
struct Answer {
    node: String,
    choice: String,
    text: String,
    skill: Skill,
    trust_before: i32,
    trust_after: i32,
    acute: bool,
    warning_signs: bool,
    written_skill: Option<Skill>,
    timestamp: String,
    id: String,
}

#[derive(Default)]
struct End {
    ending: Option<String>,
    outcome: Option<Outcome>,
    score: Option<f64>,
    passed: Option<bool>,
    duration: Option<f64>,
    turns: Option<usize>,
}

#[derive(Clone, Default)]
struct Actor {
    name: Option<String>,
    /// `mailto:…`, `sha1:…`, an OpenID, or `account:HOME/NAME`.
    id: String,
}

impl Actor {
    fn of(v: &Value) -> Option<Actor> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let id = s("mbox")
            .or_else(|| s("mbox_sha1sum").map(|h| format!("sha1:{h}")))
            .or_else(|| s("openid"))
            .or_else(|| {
                let a = v.get("account")?;
                Some(format!("account:{}/{}", a.get("homePage")?.as_str()?, a.get("name")?.as_str()?))
            })?;
        Some(Actor { name: s("name"), id })
    }

    fn shown(&self, pseudonymise: bool) -> String {
        if pseudonymise {
            return pseudonym(&self.id);
        }
        match &self.name {
            Some(name) => format!("{name} <{}>", self.id),
            None => self.id.clone(),
        }
    }
}

/// A stable code for an actor: the same learner gets the same code in every
/// run and every export. Pseudonymous, not anonymous: anyone with the
/// statements can compute it again.
pub fn pseudonym(id: &str) -> String {
    let h = crate::hash::Fnv::default().str("attunement-report:").str(id).finish();
    format!("L-{:010X}", h >> 24)
}

impl Cohort {
    /// Checks the options; the error says which one is wrong and how.
    pub fn new(options: Options) -> Result<Cohort, String> {
        let endpoint = options.endpoint.trim();
        if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) || origin(endpoint).is_none() {
            return Err(format!("the endpoint must be an http:// or https:// address of the statements API, such as https://lrs.example.org/xAPI/ (got `{endpoint}`)"));
        }
        let endpoint = if endpoint.ends_with('/') { endpoint.to_string() } else { format!("{endpoint}/") };
        let activity = options.activity.trim().to_string();
        if !activity.contains(':') {
            return Err(format!("the activity must be an IRI, such as https://attunement.invalid/scenarios/first-meeting (got `{activity}`)"));
        }
        let since = options.since.as_deref().map(|d| instant(d, false).map_err(|e| format!("since: {e}"))).transpose()?;
        let until = options.until.as_deref().map(|d| instant(d, true).map_err(|e| format!("until: {e}"))).transpose()?;
        let range: Vec<String> = [("since", since), ("until", until)].into_iter().filter_map(|(k, v)| Some(format!("{k}={}", encode(&v?)))).collect();
        let mut query = vec![format!("activity={}", encode(&activity)), "related_activities=true".to_string()];
        query.extend(range.iter().cloned());
        let first = format!("{endpoint}statements?{}", query.join("&"));
        let actor = options.actor.map(|a| a.trim().to_lowercase()).filter(|a| !a.is_empty());
        let registrations = options.registrations.iter().map(|r| r.trim().to_lowercase()).filter(|r| !r.is_empty()).collect();
        Ok(Cohort { endpoint, first, activity, registrations, actor, scenario: None, attempts: BTreeMap::new(), ids: HashSet::new(), range, pending: None, per_registration: false, scanning: false, read: 0, skipped: BTreeMap::new() })
    }

    /// The scenario the statements are of, so sticking points can say what
    /// was on offer instead and the report can tell another version apart.
    pub fn set_scenario(&mut self, scenario: Playable) {
        self.scenario = Some(scenario);
    }

    /// Statements read so far, for a page's progress.
    pub fn read(&self) -> usize {
        self.read
    }

    /// The first page to read.
    pub fn url(&self) -> &str {
        &self.first
    }

    /// Takes one answer of the statements API (a `StatementResult`, as
    /// text) and returns the next page's address, from its `more` link, or
    /// `None` at the end. A `more` link to another origin is refused, since
    /// the credentials go with the request.
    pub fn add_page(&mut self, body: &str) -> Result<Option<String>, String> {
        let page: Value = serde_json::from_str(body).map_err(|e| format!("the store's answer is not JSON ({e}): is the endpoint the statements API?"))?;
        let statements = page.get("statements").and_then(Value::as_array).ok_or("the store's answer has no `statements` list: is the endpoint the statements API (it ends in /xAPI/ on most stores)?")?;
        for statement in statements {
            self.add(statement);
        }
        let more = page.get("more").and_then(Value::as_str).unwrap_or("").trim();
        if more.is_empty() {
            return Ok(self.scan().or_else(|| self.by_registration()));
        }
        let next = if more.starts_with("http://") || more.starts_with("https://") {
            more.to_string()
        } else if more.starts_with('/') {
            format!("{}{more}", origin(&self.endpoint).unwrap_or_default())
        } else {
            format!("{}{more}", self.endpoint)
        };
        if origin(&next) != origin(&self.endpoint) {
            return Err(format!("the store's `more` link leads to another server ({next}); the report follows links to {} only, where the credentials belong", origin(&self.endpoint).unwrap_or_default()));
        }
        Ok(Some(next))
    }

    /// The whole store's statements (within the dates), when the activity's
    /// query found none at all: a store whose `activity` filter matches
    /// nothing (Ralph 5.1's file backend compares the parameter, parsed as
    /// an IRI object, with the statements' strings) would otherwise show an
    /// empty cohort. Only statements of the activity count; the rest are
    /// skipped as another activity's.
    fn scan(&mut self) -> Option<String> {
        if self.scanning || self.pending.is_some() || self.read > 0 {
            return None;
        }
        self.scanning = true;
        Some(format!("{}statements{}{}", self.endpoint, if self.range.is_empty() { "" } else { "?" }, self.range.join("&")))
    }

    /// The next page once the activity's pages are read. A store that
    /// ignores `related_activities` (Ralph 5.1 over Elasticsearch, MongoDB or
    /// ClickHouse) returns the attempts' starts and ends but none of the
    /// answers, whose object is a node of the scenario: then the report asks
    /// for each attempt's registration in turn, which every store filters.
    fn by_registration(&mut self) -> Option<String> {
        if self.pending.is_none() {
            let answered = self.attempts.values().any(|a| !a.answers.is_empty());
            let registrations: BTreeSet<String> = self.attempts.values().map(|a| a.registration.clone()).filter(|r| !r.is_empty()).collect();
            self.per_registration = !answered && !registrations.is_empty();
            self.pending = Some(if answered { Vec::new() } else { registrations.into_iter().rev().collect() });
        }
        let registration = self.pending.as_mut()?.pop()?;
        let mut query = vec![format!("registration={}", encode(&registration))];
        query.extend(self.range.iter().cloned());
        Some(format!("{}statements?{}", self.endpoint, query.join("&")))
    }

    /// Takes one statement; one the report cannot use is counted as skipped.
    pub fn add(&mut self, s: &Value) {
        // A statement read again (the per-registration pass below re-reads an
        // attempt's start and end) counts once.
        if s.get("id").and_then(Value::as_str).is_some_and(|id| self.ids.contains(id)) {
            return;
        }
        self.read += 1;
        if let Err(reason) = self.keep(s) {
            *self.skipped.entry(reason).or_default() += 1;
        }
    }

    fn keep(&mut self, s: &Value) -> Result<(), &'static str> {
        let id = s.get("id").and_then(Value::as_str).ok_or("no statement id")?;
        let verb = s.pointer("/verb/id").and_then(Value::as_str).and_then(|v| v.strip_prefix(VERBS)).unwrap_or("");
        if !matches!(verb, "initialized" | "answered" | "completed" | "passed" | "failed" | "terminated") {
            return Err("a verb Attunement does not send");
        }
        if !self.of_activity(s) {
            return Err("another activity's");
        }
        let context = |k: &str| s.pointer("/context/extensions").and_then(|e| e.get(format!("{EXTENSIONS}{k}")));
        let scenario_id = context("scenario-id").and_then(Value::as_str).ok_or("not from Attunement (no scenario-id extension)")?;
        let registration = s.pointer("/context/registration").and_then(Value::as_str).unwrap_or("");
        let attempt_id = context("attempt").and_then(Value::as_str).filter(|a| !a.is_empty()).unwrap_or(registration);
        if attempt_id.is_empty() {
            return Err("no registration or attempt");
        }
        let actor = s.get("actor").and_then(Actor::of).ok_or("no actor the report can name (mbox, mbox_sha1sum, openid or account)")?;
        if !self.registrations.is_empty() && !self.registrations.contains(&registration.to_lowercase()) && !self.registrations.contains(&attempt_id.to_lowercase()) {
            return Err("outside the chosen registrations");
        }
        if let Some(want) = &self.actor {
            let name = actor.name.as_deref().unwrap_or("").to_lowercase();
            if !name.contains(want.as_str()) && !actor.id.to_lowercase().contains(want.as_str()) {
                return Err("outside the chosen actors");
            }
        }
        self.ids.insert(id.to_string());
        let timestamp = s.get("timestamp").and_then(Value::as_str).unwrap_or("").to_string();
        let result = |k: &str| s.pointer("/result/extensions").and_then(|e| e.get(format!("{EXTENSIONS}{k}")));
        let answer = if verb == "answered" {
            let skill = result("skill").and_then(Value::as_str).and_then(Skill::from_id).ok_or("an answer without a skill Attunement knows")?;
            let turn = result("turn").and_then(Value::as_u64).filter(|&t| t >= 1).ok_or("an answer without its turn")?;
            // The report's figures are indexed by turn: a turn no conversation reaches (more
            // than a save may hold; a statement anyone with the store's credentials could
            // write) is skipped, not allocated for. The reason names MAX_TURNS.
            let turn = usize::try_from(turn).ok().filter(|&t| t <= MAX_TURNS).ok_or("an answer at a turn beyond 10,000")?;
            let trust = |k| result(k).and_then(Value::as_f64).filter(|t| (0.0..=f64::from(MAX_LEVEL)).contains(t)).map(|t| t.round() as i32);
            let (Some(trust_before), Some(trust_after)) = (trust("trust-before"), trust("trust-after")) else {
                return Err("an answer without its trust figures (0 to 100)");
            };
            let node = result("node").and_then(Value::as_str).map(str::to_string).or_else(|| node_of(s)).unwrap_or_default();
            Some((turn, Answer {
                node,
                choice: s.pointer("/result/response").and_then(Value::as_str).unwrap_or("").to_string(),
                text: result("choice-text").and_then(Value::as_str).unwrap_or("").to_string(),
                skill,
                trust_before,
                trust_after,
                acute: result("acute").and_then(Value::as_bool).unwrap_or(false),
                warning_signs: result("warning-signs").and_then(Value::as_bool).unwrap_or(false),
                written_skill: result("written-skill").and_then(Value::as_str).and_then(Skill::from_id),
                timestamp: timestamp.clone(),
                id: id.to_string(),
            }))
        } else {
            None
        };
        let a = self.attempts.entry(attempt_id.to_string()).or_default();
        a.registration = registration.to_string();
        a.actor = actor;
        a.scenario_id = scenario_id.to_string();
        if let Some(hash) = context("scenario-hash").and_then(Value::as_str) {
            a.hashes.insert(hash.to_string());
        }
        if !timestamp.is_empty() {
            if a.first.as_ref().is_none_or(|f| timestamp < *f) {
                a.first = Some(timestamp.clone());
            }
            if a.last.as_ref().is_none_or(|l| timestamp > *l) {
                a.last = Some(timestamp.clone());
            }
        }
        match verb {
            // A resume is an `initialized` with a turn; the start has none (or 0).
            "initialized" if context("turn").and_then(Value::as_u64).unwrap_or(0) == 0 && a.started.as_ref().is_none_or(|s| timestamp < *s) => {
                a.started = Some(timestamp);
            }
            "answered" => {
                let (turn, answer) = answer.expect("read above");
                // The later answer at a turn stands (a practice retry), and answers
                // beyond it that came before it were undone.
                let stands = a.answers.get(&turn).is_none_or(|old| (&answer.timestamp, &answer.id) > (&old.timestamp, &old.id));
                if stands {
                    // Only the answers after this turn can have been undone by it: the
                    // rest are not visited, so answers read in turn order cost a
                    // look-up each, not a pass over all before them.
                    let undone: Vec<usize> = a.answers.range(turn..).filter(|(_, old)| old.timestamp <= answer.timestamp).map(|(&t, _)| t).collect();
                    for t in undone {
                        a.answers.remove(&t);
                    }
                    a.answers.insert(turn, answer);
                }
            }
            "completed" | "passed" | "failed" => {
                let end = a.end.get_or_insert_with(End::default);
                end.ending = end.ending.take().or_else(|| result("ending").and_then(Value::as_str).map(str::to_string));
                end.outcome = end.outcome.or_else(|| result("outcome").and_then(Value::as_str).and_then(Outcome::from_id));
                end.score = end.score.or_else(|| s.pointer("/result/score/raw").and_then(Value::as_f64));
                end.turns = end.turns.or_else(|| result("turns").and_then(Value::as_u64).map(|t| t as usize));
                end.duration = end.duration.or_else(|| s.pointer("/result/duration").and_then(Value::as_str).and_then(duration_seconds));
                match verb {
                    "passed" => end.passed = Some(true),
                    "failed" => end.passed = Some(false),
                    _ => {}
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether a statement is about the activity: its object is the activity
    /// or one of its nodes, or the activity is in its context's activities.
    fn of_activity(&self, s: &Value) -> bool {
        let object = s.pointer("/object/id").and_then(Value::as_str).unwrap_or("");
        if object == self.activity || object.strip_prefix(self.activity.as_str()).is_some_and(|rest| rest.starts_with("/nodes/")) {
            return true;
        }
        let Some(activities) = s.pointer("/context/contextActivities").and_then(Value::as_object) else { return false };
        activities.values().any(|list| match list {
            Value::Array(items) => items.iter().any(|a| a.get("id").and_then(Value::as_str) == Some(self.activity.as_str())),
            one => one.get("id").and_then(Value::as_str) == Some(self.activity.as_str()),
        })
    }

    /// The figures, with actors shown as stable codes when `pseudonymise`.
    pub fn report(&self, pseudonymise: bool) -> Report {
        let attempts: Vec<(&String, &Attempt)> = {
            let mut v: Vec<_> = self.attempts.iter().filter(|(_, a)| a.started.is_some() || !a.answers.is_empty() || a.end.is_some()).collect();
            v.sort_by(|x, y| (x.1.started.as_ref().or(x.1.first.as_ref()), x.0).cmp(&(y.1.started.as_ref().or(y.1.first.as_ref()), y.0)));
            v
        };
        let answers = || attempts.iter().flat_map(|(_, a)| a.answers.values());
        let completed = attempts.iter().filter(|(_, a)| a.end.is_some()).count();
        let passed = attempts.iter().filter(|(_, a)| a.end.as_ref().and_then(|e| e.passed) == Some(true)).count();
        let mut endings: BTreeMap<&'static str, usize> = Outcome::ALL.iter().map(|o| (o.id(), 0)).collect();
        let mut ending_ids: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
        for (_, a) in &attempts {
            if let Some(o) = a.end.as_ref().and_then(|e| e.outcome) {
                *endings.entry(o.id()).or_default() += 1;
                *ending_ids.entry((a.end.as_ref().and_then(|e| e.ending.clone()).unwrap_or_default(), o.id())).or_default() += 1;
            }
        }
        let mut ending_ids: Vec<EndingCount> = ending_ids.into_iter().map(|((id, outcome), count)| EndingCount { id, outcome, count }).collect();
        ending_ids.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));

        let all_skills: Vec<Skill> = answers().map(|a| a.skill).collect();
        let mut kinds: BTreeMap<&'static str, usize> = [Kind::Skill, Kind::Neutral, Kind::Roadblock].iter().map(|k| (k.id(), 0)).collect();
        for s in &all_skills {
            *kinds.entry(s.kind().id()).or_default() += 1;
        }
        let acute: Vec<&Answer> = answers().filter(|a| a.acute).collect();
        let acute_roadblocks: Vec<&Answer> = acute.iter().copied().filter(|a| a.skill.kind() == Kind::Roadblock).collect();
        let learners: Vec<Learner> = attempts.iter().map(|(id, a)| self.learner(id, a, pseudonymise)).collect();
        let with_signs = learners.iter().filter(|l| l.safety.is_some()).count();
        let asked = learners.iter().filter(|l| l.safety == Some("asked")).count();
        let hashes: BTreeSet<String> = attempts.iter().flat_map(|(_, a)| a.hashes.iter().cloned()).collect();
        let ids: BTreeSet<&str> = attempts.iter().map(|(_, a)| a.scenario_id.as_str()).collect();
        let sc = self.scenario.as_deref();
        Report {
            activity: self.activity.clone(),
            scenario: ScenarioRef {
                id: sc.map(|s| s.meta().id.clone()).or_else(|| ids.iter().next().map(|s| s.to_string())),
                title: sc.map(|s| s.meta().title.clone()),
                pass: sc.map(|s| s.pass()),
                matches: sc.map(|s| {
                    let h = format!("{:016x}", s.hash());
                    hashes.iter().all(|x| *x == h)
                }),
                hashes: hashes.into_iter().collect(),
            },
            statements: self.read,
            per_registration: self.per_registration,
            scanned: self.scanning,
            used: self.read - self.skipped.values().sum::<usize>(),
            skipped: self.skipped.iter().map(|(reason, &count)| Skipped { reason, count }).collect(),
            attempts: attempts.len(),
            completed,
            passed,
            abandoned: attempts.len() - completed,
            pass_rate: (completed > 0).then(|| passed as f64 / completed as f64),
            endings,
            ending_ids,
            trust: trust_over_turns(attempts.iter().map(|(_, a)| *a)),
            kinds,
            skills: counts(&all_skills).into_iter().map(|(s, c)| (s.id(), c)).collect(),
            skill_mix: mix(&all_skills),
            miti: miti_of(&all_skills),
            sticking_points: self.sticking_points(attempts.iter().map(|(_, a)| *a)),
            distress: Distress {
                acute_answers: acute.len(),
                roadblocks: acute_roadblocks.len(),
                learners: attempts.iter().filter(|(_, a)| a.answers.values().any(|x| x.acute && x.skill.kind() == Kind::Roadblock)).count(),
                by_skill: counts(&acute_roadblocks.iter().map(|a| a.skill).collect::<Vec<_>>()).into_iter().map(|(skill, count)| SkillCount { skill: skill.id(), label: skill.label(), count }).collect(),
            },
            safety: Safety { attempts_with_signs: with_signs, asked, missed: with_signs - asked },
            learners,
        }
    }

    fn learner(&self, attempt: &str, a: &Attempt, pseudonymise: bool) -> Learner {
        let skills: Vec<Skill> = a.answers.values().map(|x| x.skill).collect();
        let end = a.end.as_ref();
        let status = match end {
            None => "abandoned",
            Some(End { passed: Some(true), .. }) => "passed",
            Some(End { passed: Some(false), .. }) => "failed",
            Some(_) => "completed",
        };
        // Warning signs seen: asked when a safety question came at or after the first.
        let first_sign = a.answers.iter().find(|(_, x)| x.warning_signs).map(|(&t, _)| t);
        let safety = first_sign.map(|t| if a.answers.range(t..).any(|(_, x)| x.skill == Skill::SafetyQuestion) { "asked" } else { "missed" });
        let elapsed = match (a.started.as_deref().or(a.first.as_deref()).and_then(seconds_since_epoch), a.last.as_deref().and_then(seconds_since_epoch)) {
            (Some(s), Some(l)) if l >= s => Some(l - s),
            _ => None,
        };
        Learner {
            actor: a.actor.shown(pseudonymise),
            registration: a.registration.clone(),
            attempt: attempt.to_string(),
            started: a.started.clone().or_else(|| a.first.clone()),
            status,
            ending: end.and_then(|e| e.ending.clone()),
            outcome: end.and_then(|e| e.outcome).map(Outcome::id),
            score: end.and_then(|e| e.score),
            passed: end.and_then(|e| e.passed),
            turns: end.and_then(|e| e.turns).unwrap_or(a.answers.len()),
            duration: end.and_then(|e| e.duration).or(elapsed).map(|d| (d * 10.0).round() / 10.0),
            safety,
            skills: counts(&skills).into_iter().map(|(s, c)| (s.id(), c)).collect(),
            miti: miti_of(&skills),
            path: a
                .answers
                .iter()
                .map(|(&turn, x)| Step {
                    turn,
                    node: x.node.clone(),
                    choice: x.choice.clone(),
                    text: x.text.clone(),
                    skill: x.skill.id(),
                    label: x.skill.label(),
                    kind: x.skill.kind().id(),
                    trust_before: x.trust_before,
                    trust_after: x.trust_after,
                    acute: x.acute,
                    warning_signs: x.warning_signs,
                    written_skill: x.written_skill.map(Skill::id),
                    timestamp: x.timestamp.clone(),
                })
                .collect(),
        }
    }

    fn sticking_points<'a>(&self, attempts: impl Iterator<Item = &'a Attempt>) -> Vec<StickingPoint> {
        let mut by_node: BTreeMap<&str, Vec<&Answer>> = BTreeMap::new();
        for a in attempts {
            for x in a.answers.values() {
                by_node.entry(&x.node).or_default().push(x);
            }
        }
        let mut points: Vec<StickingPoint> = by_node
            .into_iter()
            .map(|(node, xs)| {
                let change = |x: &&Answer| x.trust_after - x.trust_before;
                let mut roadblocks: BTreeMap<&str, (usize, &Answer)> = BTreeMap::new();
                for x in xs.iter().filter(|x| x.skill.kind() == Kind::Roadblock) {
                    roadblocks.entry(&x.choice).or_insert((0, x)).0 += 1;
                }
                let roadblock = roadblocks.into_iter().max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.0.cmp(a.0))).map(|(choice, (count, x))| Chosen {
                    skill: x.skill.id(),
                    label: x.skill.label(),
                    choice: choice.to_string(),
                    text: x.text.clone(),
                    count,
                });
                StickingPoint {
                    node: node.to_string(),
                    answers: xs.len(),
                    falls: xs.iter().filter(|x| change(x) < 0).count(),
                    fall: xs.iter().map(|x| (-change(x)).max(0) as usize).sum(),
                    mean_change: (xs.iter().map(|x| f64::from(change(x))).sum::<f64>() / xs.len() as f64 * 100.0).round() / 100.0,
                    roadblock,
                    say: self.scenario.as_deref().and_then(|sc| sc.node(node).map(|i| sc.nodes()[i].say.clone())),
                    instead: self.instead(node),
                }
            })
            .filter(|p| p.fall > 0)
            .collect();
        points.sort_by(|a, b| b.fall.cmp(&a.fall).then_with(|| a.node.cmp(&b.node)));
        points.truncate(STICKING_POINTS);
        points
    }

    /// The node's trust-building options, best first, as the scenario offers them.
    fn instead(&self, node: &str) -> Vec<Offered> {
        let Some(sc) = self.scenario.as_deref() else { return Vec::new() };
        let Some(n) = sc.node(node).map(|i| &sc.nodes()[i]) else { return Vec::new() };
        let effect = |c: &crate::scenario::Choice| c.trust.unwrap_or(sc.profile()[c.skill.index()]);
        let mut good: Vec<_> = n.choices.iter().filter(|c| c.skill.kind() == Kind::Skill && effect(c) > 0).collect();
        good.sort_by(|a, b| effect(b).cmp(&effect(a)).then_with(|| a.id.cmp(&b.id)));
        good.into_iter().take(INSTEAD).map(|c| Offered { choice: c.id.clone(), text: c.text.clone(), skill: c.skill.id(), label: c.skill.label() }).collect()
    }

    /// The per-learner table as CSV, or every answer that counts as a row
    /// (`what` = `learners` or `statements`).
    pub fn csv(&self, what: &str, pseudonymise: bool) -> Result<String, String> {
        let report = self.report(pseudonymise);
        let mut out = String::new();
        let opt = |v: Option<String>| v.unwrap_or_default();
        match what {
            "learners" => {
                row(&mut out, &["actor", "registration", "attempt", "started", "status", "ending", "outcome", "score", "passed", "turns", "duration_seconds", "safety"].map(String::from));
                for l in &report.learners {
                    row(&mut out, &[
                        l.actor.clone(),
                        l.registration.clone(),
                        l.attempt.clone(),
                        opt(l.started.clone()),
                        l.status.to_string(),
                        opt(l.ending.clone()),
                        opt(l.outcome.map(str::to_string)),
                        opt(l.score.map(|s| s.to_string())),
                        opt(l.passed.map(|p| p.to_string())),
                        l.turns.to_string(),
                        opt(l.duration.map(|d| d.to_string())),
                        opt(l.safety.map(str::to_string)),
                    ]);
                }
            }
            "statements" => {
                row(&mut out, &["actor", "registration", "attempt", "turn", "node", "choice", "skill", "kind", "trust_before", "trust_after", "acute", "warning_signs", "timestamp", "text"].map(String::from));
                for l in &report.learners {
                    for s in &l.path {
                        row(&mut out, &[
                            l.actor.clone(),
                            l.registration.clone(),
                            l.attempt.clone(),
                            s.turn.to_string(),
                            s.node.clone(),
                            s.choice.clone(),
                            s.skill.to_string(),
                            s.kind.to_string(),
                            s.trust_before.to_string(),
                            s.trust_after.to_string(),
                            s.acute.to_string(),
                            s.warning_signs.to_string(),
                            s.timestamp.clone(),
                            s.text.clone(),
                        ]);
                    }
                }
            }
            other => return Err(format!("unknown CSV `{other}`: use learners or statements")),
        }
        Ok(out)
    }
}

/// One CSV row (RFC 4180, CRLF). A cell a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@` first) gets a leading `'`, unless it is a number.
fn row(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err();
        let cell = if risky { format!("'{cell}") } else { cell.clone() };
        if cell.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}

fn counts(skills: &[Skill]) -> Vec<(Skill, usize)> {
    Skill::ALL.iter().map(|&s| (s, skills.iter().filter(|&&x| x == s).count())).filter(|&(_, c)| c > 0).collect()
}

fn mix(skills: &[Skill]) -> Vec<Mix> {
    counts(skills)
        .into_iter()
        .map(|(s, count)| Mix { skill: s.id(), label: s.label(), kind: s.kind().id(), count, share: (count as f64 / skills.len() as f64 * 1000.0).round() / 1000.0 })
        .collect()
}

/// Trust at each turn across the attempts that reached it: turn 0 is trust
/// before the first response, turn t trust after response t.
fn trust_over_turns<'a>(attempts: impl Iterator<Item = &'a Attempt>) -> Vec<Spread> {
    let mut at: Vec<Vec<f64>> = Vec::new();
    for a in attempts {
        let mut push = |turn: usize, v: i32| {
            if at.len() <= turn {
                at.resize_with(turn + 1, Vec::new);
            }
            at[turn].push(f64::from(v));
        };
        if let Some(first) = a.answers.get(&1) {
            push(0, first.trust_before);
        }
        for (&t, x) in &a.answers {
            push(t, x.trust_after);
        }
    }
    at.into_iter()
        .enumerate()
        .filter(|(_, v)| !v.is_empty())
        .map(|(turn, mut v)| {
            v.sort_by(f64::total_cmp);
            Spread { turn, learners: v.len(), min: v[0], q1: quantile(&v, 0.25), median: quantile(&v, 0.5), q3: quantile(&v, 0.75), max: v[v.len() - 1] }
        })
        .collect()
}

/// The `q` quantile of sorted values, interpolating linearly between ranks
/// (a spreadsheet's QUARTILE.INC).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    let v = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64);
    (v * 100.0).round() / 100.0
}

/// The node of an `answered` statement's object, `…/nodes/NODE`, for
/// statements from before the `node` extension.
fn node_of(s: &Value) -> Option<String> {
    let id = s.pointer("/object/id")?.as_str()?;
    let (_, node) = id.rsplit_once("/nodes/")?;
    Some(decode(node))
}

/// `scheme://host[:port]` of an address.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{}://{}", scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
fn encode(v: &str) -> String {
    v.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn decode(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A date (`2026-11-01`) or an ISO 8601 timestamp, as the statements API's
/// `since` and `until` take it. A bare date means its start for `since` and,
/// for `until`, its end (the next day's start), so a range of dates includes
/// both.
pub fn instant(text: &str, end_of_day: bool) -> Result<String, String> {
    let text = text.trim();
    let hint = || format!("`{text}` is not a date (2026-11-01) or an ISO 8601 timestamp (2026-11-01T09:00:00Z)");
    if text.len() == 10 {
        let days = civil_days(text).ok_or_else(hint)?;
        return Ok(civil_date(days + i64::from(end_of_day)) + "T00:00:00Z");
    }
    seconds_since_epoch(text).ok_or_else(hint)?;
    Ok(text.to_string())
}

/// Days since 1970-01-01 of `YYYY-MM-DD`.
fn civil_days(date: &str) -> Option<i64> {
    let mut parts = date.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if date.len() != 10 || !(1..=12).contains(&m) || d < 1 || d > month_days[(m - 1) as usize] {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Seconds since the epoch of an ISO 8601 timestamp with a time zone
/// (`Z` or `±HH:MM`), as xAPI requires them.
pub fn seconds_since_epoch(ts: &str) -> Option<f64> {
    let (date, time) = ts.split_once(['T', 't'])?;
    let days = civil_days(date)?;
    let (clock, offset) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, 0.0)
    } else {
        let at = time.rfind(['+', '-'])?;
        let (c, o) = time.split_at(at);
        let sign = if o.starts_with('-') { -1.0 } else { 1.0 };
        let (h, m) = o[1..].split_once(':').unwrap_or((o.get(1..o.len().min(3))?, o.get(3..).unwrap_or("0")));
        (c, sign * (h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0))
    };
    let mut hms = clock.splitn(3, ':');
    let h: f64 = hms.next()?.parse().ok()?;
    let m: f64 = hms.next()?.parse().ok()?;
    let s: f64 = hms.next().unwrap_or("0").parse().ok()?;
    if !(0.0..24.0).contains(&h) || !(0.0..60.0).contains(&m) || !(0.0..61.0).contains(&s) {
        return None;
    }
    Some(days as f64 * 86_400.0 + h * 3600.0 + m * 60.0 + s - offset)
}

/// Seconds of an ISO 8601 duration (`PT4M30.5S`, `P1DT2H`).
pub fn duration_seconds(d: &str) -> Option<f64> {
    let rest = d.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut total = 0.0;
    for (part, units) in [(date, &[('W', 604_800.0), ('D', 86_400.0)][..]), (time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)][..])] {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
            } else {
                let unit = units.iter().find(|(u, _)| *u == c)?.1;
                total += number.parse::<f64>().ok()? * unit;
                number.clear();
            }
        }
        if !number.is_empty() {
            return None;
        }
    }
    Some(total)
}

/// What [`Cohort::report`] returns: the fields `docs/report.md` documents.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub activity: String,
    pub scenario: ScenarioRef,
    pub statements: usize,
    /// The store ignored `related_activities`, so each attempt was read by its registration.
    pub per_registration: bool,
    /// The store's `activity` filter found nothing, so the report read every
    /// statement in the dates and kept the activity's.
    pub scanned: bool,
    pub used: usize,
    pub skipped: Vec<Skipped>,
    pub attempts: usize,
    pub completed: usize,
    pub passed: usize,
    pub abandoned: usize,
    pub pass_rate: Option<f64>,
    pub endings: BTreeMap<&'static str, usize>,
    pub ending_ids: Vec<EndingCount>,
    pub trust: Vec<Spread>,
    pub kinds: BTreeMap<&'static str, usize>,
    pub skills: BTreeMap<&'static str, usize>,
    pub skill_mix: Vec<Mix>,
    pub miti: MitiSummary,
    pub sticking_points: Vec<StickingPoint>,
    pub distress: Distress,
    pub safety: Safety,
    pub learners: Vec<Learner>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScenarioRef {
    pub id: Option<String>,
    pub title: Option<String>,
    /// The score a pass needs (0 to 100), from the scenario when it is given.
    pub pass: Option<i32>,
    /// The scenario hashes the statements carry.
    pub hashes: Vec<String>,
    /// Whether every statement came from the scenario given; `None` without one.
    pub matches: Option<bool>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    pub reason: &'static str,
    pub count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct EndingCount {
    pub id: String,
    pub outcome: &'static str,
    pub count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Spread {
    pub turn: usize,
    pub learners: usize,
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Mix {
    pub skill: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub count: usize,
    pub share: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct StickingPoint {
    pub node: String,
    pub answers: usize,
    /// Answers after which trust was lower than before.
    pub falls: usize,
    /// The trust lost there in all, over every answer.
    pub fall: usize,
    pub mean_change: f64,
    pub roadblock: Option<Chosen>,
    /// What the peer said there, from the scenario, when it is given.
    pub say: Option<String>,
    pub instead: Vec<Offered>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Chosen {
    pub skill: &'static str,
    pub label: &'static str,
    pub choice: String,
    pub text: String,
    pub count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Offered {
    pub choice: String,
    pub text: String,
    pub skill: &'static str,
    pub label: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct SkillCount {
    pub skill: &'static str,
    pub label: &'static str,
    pub count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Distress {
    pub acute_answers: usize,
    pub roadblocks: usize,
    pub learners: usize,
    pub by_skill: Vec<SkillCount>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Safety {
    pub attempts_with_signs: usize,
    pub asked: usize,
    pub missed: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Learner {
    pub actor: String,
    pub registration: String,
    pub attempt: String,
    pub started: Option<String>,
    pub status: &'static str,
    pub ending: Option<String>,
    pub outcome: Option<&'static str>,
    pub score: Option<f64>,
    pub passed: Option<bool>,
    pub turns: usize,
    pub duration: Option<f64>,
    pub safety: Option<&'static str>,
    pub skills: BTreeMap<&'static str, usize>,
    pub miti: MitiSummary,
    pub path: Vec<Step>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub turn: usize,
    pub node: String,
    pub choice: String,
    pub text: String,
    pub skill: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub trust_before: i32,
    pub trust_after: i32,
    pub acute: bool,
    pub warning_signs: bool,
    pub written_skill: Option<&'static str>,
    pub timestamp: String,
}

impl Report {
    /// The figures in words, for `attunement report --format text`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let pct = |x: Option<f64>| x.map_or("n/a".to_string(), |x| format!("{:.0}%", x * 100.0));
        out += &format!("Cohort report: {}\n", self.scenario.title.as_deref().or(self.scenario.id.as_deref()).unwrap_or(&self.activity));
        out += &format!("Activity: {}\n", self.activity);
        out += &format!("Statements: {} read, {} used\n", self.statements, self.used);
        for s in &self.skipped {
            out += &format!("  skipped {}: {}\n", s.count, s.reason);
        }
        if self.scenario.matches == Some(false) {
            out += "Note: some statements come from another version of the scenario than the one given.\n";
        }
        out += &format!("\nAttempts {}, completed {}, passed {} (pass rate {}), abandoned {}\n", self.attempts, self.completed, self.passed, pct(self.pass_rate), self.abandoned);
        let endings: Vec<String> = self.endings.iter().map(|(o, c)| format!("{o} {c}")).collect();
        out += &format!("Endings: {}\n", endings.join(", "));
        out += "\nTrust over turns (median, quartiles):\n";
        for t in &self.trust {
            out += &format!("  turn {:>2}: median {:>5} (q1 {}, q3 {}), {} learners\n", t.turn, t.median, t.q1, t.q3, t.learners);
        }
        out += "\nSkill mix:\n";
        for m in &self.skill_mix {
            out += &format!("  {:<28} {:>5}  {:>5.1}%  ({})\n", m.label, m.count, m.share * 100.0, m.kind);
        }
        let ratio = self.miti.reflection_to_question.map_or("n/a".to_string(), |r| format!("{r:.2}"));
        out += &format!("Reflections per question: {ratio} ({}); complex reflections: {} ({})\n", level(self.miti.reflection_to_question_level), pct(self.miti.complex_share), level(self.miti.complex_share_level));
        if !self.sticking_points.is_empty() {
            out += "\nSticking points (where trust fell most):\n";
            for p in &self.sticking_points {
                out += &format!("  {}: trust lost {} over {} answers ({} falls)\n", p.node, p.fall, p.answers, p.falls);
                if let Some(say) = &p.say {
                    out += &format!("    the peer: \"{say}\"\n");
                }
                if let Some(r) = &p.roadblock {
                    out += &format!("    most chosen roadblock: {} ({}x), \"{}\"\n", r.label, r.count, r.text);
                }
                for o in &p.instead {
                    out += &format!("    on offer instead: {}, \"{}\"\n", o.label, o.text);
                }
            }
        }
        out += &format!("\nIn acute distress: {} answers, {} of them roadblocks, by {} learners\n", self.distress.acute_answers, self.distress.roadblocks, self.distress.learners);
        out += &format!("Warning signs: {} attempts; safety asked in {}, missed in {}\n", self.safety.attempts_with_signs, self.safety.asked, self.safety.missed);
        out += "\nLearners:\n";
        for l in &self.learners {
            let score = l.score.map_or("-".to_string(), |s| s.to_string());
            let time = l.duration.map_or("-".to_string(), |d| format!("{}m{:02}s", (d / 60.0).floor(), (d % 60.0).round()));
            out += &format!("  {}  {}  {}  score {}  turns {}  time {}\n", l.actor, l.status, l.ending.as_deref().unwrap_or("-"), score, l.turns, time);
        }
        out
    }
}

fn level(l: crate::debrief::Level) -> &'static str {
    match l {
        crate::debrief::Level::BelowFair => "below fair",
        crate::debrief::Level::Fair => "fair",
        crate::debrief::Level::Good => "good",
        crate::debrief::Level::NotApplicable => "not rated",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_durations_read_as_xapi_writes_them() {
        assert_eq!(seconds_since_epoch("1970-01-02T00:00:00Z"), Some(86_400.0));
        assert_eq!(seconds_since_epoch("2026-03-02T10:15:42.118Z").map(|s| s.round()), Some(1_772_446_542.0));
        assert_eq!(seconds_since_epoch("2026-03-02T11:15:42+01:00"), seconds_since_epoch("2026-03-02T10:15:42Z"));
        assert_eq!(seconds_since_epoch("2026-02-30T00:00:00Z"), None);
        assert_eq!(duration_seconds("PT6M12.4S"), Some(372.4));
        assert_eq!(duration_seconds("P1DT1H"), Some(90_000.0));
        assert_eq!(duration_seconds("PT4X"), None);
        assert_eq!(instant("2026-12-31", true).as_deref(), Ok("2027-01-01T00:00:00Z"));
        assert_eq!(instant("2024-02-28", true).as_deref(), Ok("2024-02-29T00:00:00Z"));
        assert!(instant("31/12/2026", false).unwrap_err().contains("2026-11-01"));
    }

    #[test]
    fn quartiles_interpolate_between_ranks() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!((quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75)), (1.75, 2.5, 3.25));
        assert_eq!(quantile(&[7.0], 0.25), 7.0);
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        let mut out = String::new();
        row(&mut out, &["a,b".into(), "say \"hi\"".into(), "=SUM(A1)".into(), "-3".into(), "plain".into()]);
        assert_eq!(out, "\"a,b\",\"say \"\"hi\"\"\",'=SUM(A1),-3,plain\r\n");
    }

    #[test]
    fn pseudonyms_are_stable_and_differ() {
        assert_eq!(pseudonym("mailto:a@example.org"), pseudonym("mailto:a@example.org"));
        assert_ne!(pseudonym("mailto:a@example.org"), pseudonym("mailto:b@example.org"));
        assert!(pseudonym("mailto:a@example.org").starts_with("L-"));
    }
}
