//! The debrief: what worked, what did not, and why.
//!
//! Built from a finished session alone: the turns already carry every
//! explanation, the states before them say what else was on offer, and the
//! scenario carries the analysis's best path. What it teaches, after
//! `domain.md`:
//! - turn by turn, what the learner chose beside each trust-building option
//!   that was on offer then, with the change each would have made;
//! - one to three things to practise next, drawn from the learner's own
//!   pattern by the deterministic rules of [`practise_next`], each naming
//!   the turns it comes from;
//! - the MITI 4.2.1 figures with their counts, rated only where the
//!   evidence suffices (a ratio needs a question, a share of complex
//!   reflections needs three reflections);
//! - a score and a pass: the learner's skill (the sum of the turns' worth
//!   before any bound) as a share of the best path's, beside final trust
//!   and the ending; a learner who never asked about safety after the peer
//!   showed warning signs of suicide does not pass, whatever the score;
//! - the best path, and whether the learner was on one: reaching its
//!   ending with as much trust counts, whatever the tie-breaks.

use serde::Serialize;

use crate::engine::session::{EndingView, Mode, PlayError, Session, Turn, TrustView};
use crate::engine::trust::{self, Reason};
use crate::skill::{Kind, Miti, Skill};
use crate::words::and_list;

crate::words::templates! {
    /// What to practise next, one template a rule: the rule is the id after `practise.`.
    /// `{peer}` is the peer's name, `{when}` the turns (`turns.one`, `turns.many`), `{what}` the
    /// labels of their skills.
    PRACTISE_SAFETY_QUESTION = "practise.safety_question" => "Ask directly about suicide when you see warning signs. {peer} showed them ({when}) and the question was never asked; asked calmly and plainly (\"Are you thinking about suicide?\"), it does not plant the idea, it tells {peer} it can be said, and it is how risk is found.";
    PRACTISE_AFTER_DISCLOSURE = "practise.after_disclosure" => "Meet a disclosure with validation first. Right after {peer} told you something hard ({when}), you answered with {what}; a validation or a reflection there (\"That sounds really hard. Anyone would feel shaken.\") tells {peer} it was safe to share.";
    PRACTISE_DISTRESS = "practise.distress" => "Slow down when distress is high. While {peer} was in acute distress you reached for {what} ({when}); at those moments fixing costs double, and reflection, validation and presence are worth more.";
    PRACTISE_QUESTIONS = "practise.questions" => "Reflect between questions. You asked questions with no reflection between them ({when}); a reflection after an answer (\"So it has been…\") shows you heard it, and makes the next question part of a conversation rather than an interview.";
    PRACTISE_REPAIR = "practise.repair" => "Repair a rupture when you notice one. After {what} ({when}), {peer} pulled back and it was never repaired, though you had the chance; owning the misstep (\"I jumped in too fast just now. I'm sorry.\") restores safety, and a repaired rupture builds more trust than none.";
    PRACTISE_PARROTING = "practise.parroting" => "Vary how you open a reflection. Three responses in a row opened the same way ({when}); however good each is, a formula starts to sound like parroting. Try naming the feeling, the meaning or the person's own words instead.";
    /// The turns a suggestion comes from: "turn 3", "turns 3 and 5" (`{turns}` is a list, `list.and`).
    TURNS_ONE = "turns.one" => "turn {turn}";
    TURNS_MANY = "turns.many" => "turns {turns}";

}

#[derive(Clone, Debug, Serialize)]
pub struct Debrief {
    pub scenario: String,
    pub title: String,
    pub mode: Mode,
    pub ending: EndingView,
    /// The peer's last words, if any.
    pub say: Option<String>,
    /// The scenario's account of this ending, as this path reads it.
    pub text: String,
    /// One thing to try next time, as this path reads it.
    pub next_time: Option<String>,
    pub trust: TrustView,
    pub score: Score,
    /// Trust at the start and after each turn.
    pub trust_over_time: Vec<i32>,
    pub turns: Vec<Turn>,
    /// Each skill used, with how often and its net effect on trust.
    pub skills: Vec<SkillUse>,
    pub miti: MitiSummary,
    pub key_moments: Vec<Moment>,
    /// For every turn, the learner's response beside the trust-building ones on offer.
    pub comparison: Vec<TurnComparison>,
    /// One to three things to practise next (none when nothing stood out).
    pub practise_next: Vec<Practice>,
    pub best_path: Option<Comparison>,
}

/// The learner's skill and whether it passes.
#[derive(Clone, Debug, Serialize)]
pub struct Score {
    /// The sum of the turns' worth before any bound.
    pub skill: i32,
    /// The same sum on the scenario's best path.
    pub best: i32,
    /// `skill` as a share of `best`, 0 to 100, rounded.
    pub raw: i32,
    pub min: i32,
    pub max: i32,
    /// `raw` / 100.
    pub scaled: f64,
    /// The score a pass needs.
    pub pass: i32,
    /// The peer showed warning signs of suicide and no safety question was
    /// asked from the first of them on: whatever the score, that does not pass.
    pub missed_safety_question: bool,
    /// The ending's outcome can pass (breakthrough, connected, referred),
    /// `raw` reaches `pass`, and no warning sign went without a safety question.
    pub passed: bool,
}

/// One turn: what the learner chose, and the trust-building options that were on offer.
#[derive(Clone, Debug, Serialize)]
pub struct TurnComparison {
    pub turn: usize,
    pub node: String,
    pub chosen: Response,
    /// The other trust-building options offered then, in authored order.
    pub options: Vec<Response>,
}

/// A response, with what it did (or would have done) at that moment.
#[derive(Clone, Debug, Serialize)]
pub struct Response {
    pub text: String,
    pub skill: Skill,
    pub label: &'static str,
    pub kind: Kind,
    /// The change of trust, after bounds.
    pub change: i32,
    /// The worth before bounds.
    pub worth: i32,
}

/// Something to practise, and the turns it comes from.
#[derive(Clone, Debug, Serialize)]
pub struct Practice {
    /// Which rule found it: `after_disclosure`, `safety_question`, `distress`,
    /// `questions`, `repair` or `parroting`.
    pub rule: &'static str,
    pub text: String,
    pub turns: Vec<usize>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SkillUse {
    pub skill: Skill,
    pub label: &'static str,
    pub kind: Kind,
    pub count: usize,
    /// Its net effect on trust: the responses' own changes, and the
    /// consequences they caused, wherever those landed.
    pub net: i32,
    /// What the responses were worth before any bound, consequences
    /// included: near trust's ceiling a response can be worth +6 and move
    /// trust by 1.
    pub worth: i32,
}

/// How a figure compares with the MITI proficiency guides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    BelowFair,
    Fair,
    Good,
    /// Not enough responses of the kind to say.
    NotApplicable,
}

/// How often one MITI code was used.
#[derive(Clone, Debug, Serialize)]
pub struct MitiCount {
    pub code: Miti,
    pub label: &'static str,
    pub count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct MitiSummary {
    /// Every code MITI 4.2.1 counts, in its order, with how often it was used.
    pub counts: Vec<MitiCount>,
    /// MI-adherent responses: Affirm, Seeking Collaboration, Emphasizing Autonomy.
    pub adherent: usize,
    /// MI-non-adherent responses: Persuade, Confront.
    pub non_adherent: usize,
    pub reflections: usize,
    pub complex_reflections: usize,
    pub questions: usize,
    /// Reflections per question; `None` when no question was asked.
    pub reflection_to_question: Option<f64>,
    pub reflection_to_question_level: Level,
    /// Share of reflections that are complex; `None` with no reflection,
    /// and not rated below three reflections.
    pub complex_share: Option<f64>,
    pub complex_share_level: Level,
}

#[derive(Clone, Debug, Serialize)]
pub struct Moment {
    pub turn: usize,
    /// The response's own change of trust, after it was held within bounds.
    pub change: i32,
    pub text: String,
    pub skill: Skill,
    pub feedback: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub best_trust: i32,
    pub best_ending: EndingView,
    pub learner_trust: i32,
    /// The best path's responses, in order.
    pub best_responses: Vec<String>,
    /// The learner reached the best path's ending with as much trust: they
    /// were on a best path, whatever the tie-breaks chose to show.
    pub on_best_path: bool,
    /// The first turn at which the learner left the best path, if they did
    /// and were not on another best path.
    pub left_best_path_at: Option<usize>,
}

impl Session {
    pub fn debrief(&self) -> Result<Debrief, PlayError> {
        let sc = self.scenario();
        let ending = &sc.endings()[self.state().ending().ok_or(PlayError::NotEnded)?];
        let turns = self.turns().to_vec();
        let final_trust = i32::from(self.state().trust);
        let (text, next_time) = ending.account(final_trust, self.state().flags);

        // In taxonomy order; no sort, which keeps the learner's download small.
        let skills: Vec<SkillUse> = Skill::ALL
            .into_iter()
            .filter_map(|skill| {
                let used: Vec<&Turn> = turns.iter().filter(|t| t.skill == skill).collect();
                // A consequence counts against the response that caused it, not the one it landed with.
                let caused = |t: &&Turn| t.consequences.first().and_then(|c| c.from_turn).is_some_and(|n| turns[n - 1].skill == skill);
                let later: i32 = turns.iter().filter(caused).map(|t| t.trust_after - t.trust_before - t.change).sum();
                let owed: i32 = turns.iter().flat_map(|t| &t.consequences).filter(|c| c.from_turn.is_some_and(|n| turns[n - 1].skill == skill)).map(|c| c.amount).sum();
                let net = used.iter().map(|t| t.change).sum::<i32>() + later;
                let worth = used.iter().map(|t| t.total).sum::<i32>() + owed;
                (!used.is_empty()).then(|| SkillUse { skill, label: skill.label(), kind: skill.kind(), count: used.len(), net, worth })
            })
            .collect();

        let key_moments = key_moments(&turns);
        let comparison = self.comparison();
        let practise_next = practise_next(self);
        let missed_safety_question = !unasked_signs(&turns).is_empty();
        let skill: i32 = turns.iter().map(|t| t.worth).sum();
        let best = sc.best().map_or(0, |b| b.sum);
        let raw = if best > 0 { ((skill.max(0) as i64 * 100 + i64::from(best) / 2) / i64::from(best)).min(100) as i32 } else { i32::from(skill >= best) * 100 };
        let passed = ending.outcome.is_passing() && raw >= sc.pass() && !missed_safety_question;
        let score = Score { skill, best, raw, min: 0, max: 100, scaled: f64::from(raw) / 100.0, pass: sc.pass(), missed_safety_question, passed };

        let best_path = sc.best().map(|best| {
            let e = &sc.endings()[best.ending];
            let on_best_path = self.state().ending() == Some(best.ending) && final_trust >= best.trust;
            let left = turns.iter().zip(best.steps.iter().map(Some).chain(std::iter::repeat(None))).position(|(t, step)| step.is_none_or(|&(n, c)| n != t.node_index || c != t.index));
            let left = left.or((turns.len() < best.steps.len()).then_some(turns.len()));
            Comparison {
                best_trust: best.trust,
                best_ending: EndingView { id: e.id.clone(), outcome: e.outcome, title: e.title.clone() },
                learner_trust: final_trust,
                best_responses: best.steps.iter().map(|&(n, c)| sc.nodes()[n].choices[c].text.clone()).collect(),
                on_best_path,
                left_best_path_at: if on_best_path { None } else { left.map(|i| i + 1) },
            }
        });

        Ok(Debrief {
            scenario: sc.meta().id.clone(),
            title: sc.meta().title.clone(),
            mode: self.mode(),
            ending: EndingView { id: ending.id.clone(), outcome: ending.outcome, title: ending.title.clone() },
            say: ending.say.clone(),
            text: text.to_string(),
            next_time: next_time.map(str::to_string),
            trust: TrustView::of(final_trust),
            score,
            trust_over_time: self.trust_history(),
            miti: miti_of(&turns.iter().map(|t| t.skill).collect::<Vec<_>>()),
            turns,
            skills,
            key_moments,
            comparison,
            practise_next,
            best_path,
        })
    }

    /// Each turn's response beside the other trust-building options offered
    /// in the state before it, with the change each would have made then.
    fn comparison(&self) -> Vec<TurnComparison> {
        let sc = &**self.scenario();
        self.turns()
            .iter()
            .zip(self.past())
            .map(|(t, state)| {
                let node = &sc.nodes()[t.node_index];
                let response = |i: usize| {
                    let c = &node.choices[i];
                    let e = trust::effect(sc, node, state, c);
                    Response { text: c.text.clone(), skill: c.skill, label: c.skill.label(), kind: c.skill.kind(), change: e.after - e.before, worth: e.total() }
                };
                let chosen = Response { change: t.change, worth: t.total, ..response(t.index) };
                let options = state.offered(sc).filter(|&i| i != t.index && node.choices[i].skill.kind() == Kind::Skill).map(response).collect();
                TurnComparison { turn: t.number, node: t.node.clone(), chosen, options }
            })
            .collect()
    }
}

/// The three largest gains and the three largest drops (the earlier on a
/// tie), shown in turn order.
fn key_moments(turns: &[Turn]) -> Vec<Moment> {
    // The response's own change: a consequence landing with it is not its doing.
    let change = |t: &Turn| t.change;
    let mut key = vec![false; turns.len()];
    for sign in [1, -1] {
        for _ in 0..3 {
            let pick = (0..turns.len()).filter(|&i| !key[i] && sign * change(&turns[i]) > 0).fold(None, |best: Option<usize>, i| match best {
                Some(b) if sign * change(&turns[b]) >= sign * change(&turns[i]) => Some(b),
                _ => Some(i),
            });
            if let Some(i) = pick {
                key[i] = true;
            }
        }
    }
    turns.iter().zip(&key).filter(|(_, k)| **k).map(|(t, _)| Moment { turn: t.number, change: change(t), text: t.text.clone(), skill: t.skill, feedback: t.feedback.clone() }).collect()
}

/// The MITI figures of these responses, rated only where the evidence
/// suffices: a learner's debrief, and the cohort report's figures for a
/// cohort and for each learner in it.
pub fn miti_of(skills: &[Skill]) -> MitiSummary {
    let count = |m: Miti| skills.iter().filter(|s| s.miti() == m).count();
    let counts: Vec<MitiCount> = Miti::ALL.into_iter().map(|code| MitiCount { code, label: code.label(), count: count(code) }).collect();
    let (simple, complex, questions) = (count(Miti::SimpleReflection), count(Miti::ComplexReflection), count(Miti::Question));
    let reflections = simple + complex;
    let ratio = (questions > 0).then(|| reflections as f64 / questions as f64);
    let share = (reflections > 0).then(|| complex as f64 / reflections as f64);
    let level = |v: Option<f64>, fair: f64, good: f64| match v {
        None => Level::NotApplicable,
        Some(v) if v >= good => Level::Good,
        Some(v) if v >= fair => Level::Fair,
        Some(_) => Level::BelowFair,
    };
    MitiSummary {
        adherent: skills.iter().filter(|s| s.miti().is_adherent()).count(),
        non_adherent: skills.iter().filter(|s| s.miti().is_non_adherent()).count(),
        counts,
        reflections,
        complex_reflections: complex,
        questions,
        reflection_to_question: ratio,
        // No question, no ratio to rate, however many reflections.
        reflection_to_question_level: level(ratio, 1.0, 2.0),
        complex_share: share,
        complex_share_level: if reflections < MIN_REFLECTIONS_TO_RATE { Level::NotApplicable } else { level(share, 0.4, 0.5) },
    }
}

/// Fewer reflections than this are too few to rate the share of complex ones.
pub const MIN_REFLECTIONS_TO_RATE: usize = 3;

/// The turns at which the peer showed warning signs, when no safety
/// question was asked from the first of them on; else none.
fn unasked_signs(turns: &[Turn]) -> Vec<&Turn> {
    match turns.iter().position(|t| t.warning_signs) {
        Some(first) if !turns[first..].iter().any(|t| t.skill == Skill::SafetyQuestion) => turns.iter().filter(|t| t.warning_signs).collect(),
        _ => Vec::new(),
    }
}

/// Adds a suggestion when its rule found turns: the rule is the template's id after `practise.`;
/// its `{when}` is the turns ("turns 2 and 5"), its `{what}` their skills ("advice / fixing unasked
/// and superficial reassurance"), its `{peer}` the peer's name.
fn suggest(out: &mut Vec<Practice>, template: crate::words::Template, found: &[&Turn], peer: &str) {
    if found.is_empty() {
        return;
    }
    let turns: Vec<usize> = found.iter().map(|t| t.number).collect();
    let rule = template.id.strip_prefix("practise.").unwrap_or(template.id);
    let text = template.fill(&[("peer", peer), ("when", &turn_list(&turns)), ("what", &labels(found))]);
    out.push(Practice { rule, text, turns });
}

/// "turn 3", "turns 3 and 5", "turns 2, 4 and 7".
fn turn_list(turns: &[usize]) -> String {
    let n: Vec<String> = turns.iter().map(usize::to_string).collect();
    match n.as_slice() {
        [] => String::new(),
        [one] => TURNS_ONE.fill(&[("turn", one)]),
        many => TURNS_MANY.fill(&[("turns", &and_list(&many.iter().map(String::as_str).collect::<Vec<_>>()))]),
    }
}

/// Labels of the turns' skills, each once, in turn order: "advice / fixing unasked and superficial reassurance".
fn labels(turns: &[&Turn]) -> String {
    let mut seen: Vec<Skill> = Vec::new();
    for t in turns {
        if !seen.contains(&t.skill) {
            seen.push(t.skill);
        }
    }
    and_list(&seen.iter().map(|s| s.label()).collect::<Vec<_>>())
}

/// Up to three things to practise, from the learner's own pattern. The
/// rules, in order of priority (the first three that find something are
/// kept):
/// 1. `safety_question`: the peer showed warning signs, and no safety
///    question was asked from the first of them on.
/// 2. `after_disclosure`: a roadblock as the answer to a disclosure.
/// 3. `distress`: advice, logic, reassurance, minimising or unasked
///    information while the peer was in acute distress.
/// 4. `questions`: three or more questions with no reflection between them.
/// 5. `repair`: a roadblock never repaired, though a repair was offered later.
/// 6. `parroting`: a response that lost worth to the same opening three times in a row.
pub fn practise_next(session: &Session) -> Vec<Practice> {
    let sc = &**session.scenario();
    let turns = session.turns();
    let peer = &sc.peer().name;
    let mut out = Vec::new();

    // Safety first: a question about suicide never asked outranks everything else.
    suggest(&mut out, PRACTISE_SAFETY_QUESTION, &unasked_signs(turns), peer);

    let disclosed: Vec<&Turn> = turns.iter().filter(|t| t.disclosure && t.kind == Kind::Roadblock).collect();
    suggest(&mut out, PRACTISE_AFTER_DISCLOSURE, &disclosed, peer);

    let fixing: Vec<&Turn> = turns.iter().filter(|t| t.acute && matches!(t.skill, Skill::Advice | Skill::Lecturing | Skill::Reassurance | Skill::Minimising | Skill::UnaskedInformation)).collect();
    suggest(&mut out, PRACTISE_DISTRESS, &fixing, peer);

    // Runs of questions that no reflection interrupts.
    let (mut stacked, mut run): (Vec<&Turn>, Vec<&Turn>) = (Vec::new(), Vec::new());
    for t in turns.iter().map(Some).chain([None]) {
        match t.map(|t| t.skill.miti()) {
            Some(Miti::Question) => run.extend(t),
            Some(Miti::SimpleReflection | Miti::ComplexReflection) | None => {
                if run.len() >= 3 {
                    stacked.append(&mut run);
                }
                run.clear();
            }
            Some(_) => {}
        }
    }
    suggest(&mut out, PRACTISE_QUESTIONS, &stacked, peer);

    // A roadblock is unrepaired when no repair follows it, though one was
    // offered in some later turn: one pass from the end, knowing at each turn
    // whether a repair was chosen, or offered, after it.
    let offers_repair = |s: &crate::engine::State| s.node().is_some_and(|n| s.offered(sc).any(|c| sc.nodes()[n].choices[c].skill == Skill::Repair));
    // `past` holds the state before each turn, so the offers after turn i are those of past[i + 1..].
    let past = session.past();
    let (mut repaired, mut offered) = (false, false);
    let mut unrepaired: Vec<&Turn> = Vec::new();
    for i in (0..turns.len()).rev() {
        offered |= past.get(i + 1).is_some_and(offers_repair);
        if turns[i].kind == Kind::Roadblock && !repaired && offered {
            unrepaired.push(&turns[i]);
        }
        repaired |= turns[i].skill == Skill::Repair;
    }
    unrepaired.reverse();
    suggest(&mut out, PRACTISE_REPAIR, &unrepaired, peer);

    let parroted: Vec<&Turn> = turns.iter().filter(|t| t.modifiers.iter().any(|m| m.reason == Reason::Parroting)).collect();
    suggest(&mut out, PRACTISE_PARROTING, &parroted, peer);
    out.truncate(3);
    out
}
