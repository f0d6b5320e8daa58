//! The debrief: what worked, what did not, and why.
//!
//! Built from a finished session alone: the turns already carry every
//! explanation, and the scenario carries the analysis's best path. The MITI
//! figures follow MITI 4.2.1: reflections (simple and complex) against
//! questions, and the share of reflections that are complex.

use serde::Serialize;

use crate::engine::session::{EndingView, Mode, PlayError, Session, Turn, TrustView};
use crate::skill::{Kind, Miti, Skill};

#[derive(Clone, Debug, Serialize)]
pub struct Debrief {
    pub scenario: String,
    pub title: String,
    pub mode: Mode,
    pub ending: EndingView,
    /// The peer's last words, if any.
    pub say: Option<String>,
    /// The scenario's account of this ending.
    pub text: String,
    pub trust: TrustView,
    /// Trust at the start and after each turn.
    pub trust_over_time: Vec<i32>,
    pub turns: Vec<Turn>,
    /// Each skill used, with how often and its net effect on trust.
    pub skills: Vec<SkillUse>,
    pub miti: MitiSummary,
    pub key_moments: Vec<Moment>,
    pub best_path: Option<Comparison>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SkillUse {
    pub skill: Skill,
    pub label: &'static str,
    pub kind: Kind,
    pub count: usize,
    pub net: i32,
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

#[derive(Clone, Debug, Serialize)]
pub struct MitiSummary {
    pub reflections: usize,
    pub complex_reflections: usize,
    pub questions: usize,
    /// Reflections per question; `None` when no question was asked.
    pub reflection_to_question: Option<f64>,
    pub reflection_to_question_level: Level,
    /// Share of reflections that are complex; `None` with no reflection.
    pub complex_share: Option<f64>,
    pub complex_share_level: Level,
}

#[derive(Clone, Debug, Serialize)]
pub struct Moment {
    pub turn: usize,
    /// The change of trust, after it was held within bounds.
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
    /// The first turn at which the learner left the best path, if they did.
    pub left_best_path_at: Option<usize>,
}

impl Debrief {
    /// The conversation and its debrief as Markdown, for the learner to keep.
    /// Scenario text is quoted as it is; it is the learner's own record.
    pub fn markdown(&self) -> String {
        let mut out = format!("# {}: transcript and debrief\n\n", self.title);
        let mode = self.mode.id();
        out += &format!("Mode: {mode}. Ending: **{}** ({}). Final trust: {} of {} ({}).\n\n", self.ending.title, self.ending.outcome.id(), self.trust.value, self.trust.max, self.trust.band.label());
        out += "## Conversation\n\n";
        for t in &self.turns {
            out += &format!("**Peer:** {}\n\n", t.peer_said.trim().replace('\n', "  \n"));
            out += &format!("**You:** {}\n\n", t.text.trim());
            let sign = if t.trust_after >= t.trust_before { "+" } else { "" };
            out += &format!("> {} ({}): trust {} → {} ({sign}{})", t.skill_label, if t.kind == Kind::Skill { "builds trust" } else { "roadblock" }, t.trust_before, t.trust_after, t.trust_after - t.trust_before);
            for m in &t.modifiers {
                out += &format!("; {:+} because {}", m.amount, m.text);
            }
            out += "\n";
            if let Some(f) = &t.feedback {
                out += &format!(">\n> {}\n", f.trim());
            }
            out += "\n";
        }
        if let Some(say) = &self.say {
            out += &format!("**Peer:** {}\n\n", say.trim());
        }
        out += &format!("## Ending: {}\n\n{}\n\n", self.ending.title, self.text.trim());
        out += "## Debrief\n\n";
        out += &format!("Trust over time: {}\n\n", self.trust_over_time.iter().map(i32::to_string).collect::<Vec<_>>().join(" → "));
        out += "| response | times | net trust |\n| --- | --- | --- |\n";
        for s in &self.skills {
            out += &format!("| {} | {} | {:+} |\n", s.label, s.count, s.net);
        }
        let ratio = self.miti.reflection_to_question.map_or("n/a (no questions)".to_string(), hundredths);
        let share = self.miti.complex_share.map_or("n/a (no reflections)".to_string(), |s| format!("{}%", (s * 100.0).round() as i64));
        out += &format!("\nReflections per question: {ratio} (MITI: fair 1, good 2). Complex reflections: {share} (fair 40%, good 50%).\n\n");
        if !self.key_moments.is_empty() {
            out += "### Key moments\n\n";
            for m in &self.key_moments {
                out += &format!("- Turn {} ({:+}): \"{}\"", m.turn, m.change, m.text.trim());
                if let Some(f) = &m.feedback {
                    out += &format!(" {}", f.trim());
                }
                out += "\n";
            }
            out += "\n";
        }
        if let Some(b) = &self.best_path {
            out += &format!("### Compared with the best path\n\nThe best path reaches trust {} and the ending \"{}\"; you reached {}.", b.best_trust, b.best_ending.title, b.learner_trust);
            match b.left_best_path_at {
                Some(t) => out += &format!(" You left it at turn {t}.\n"),
                None => out += " You followed it throughout.\n",
            }
        }
        out
    }
}

/// `1.5` as "1.50", without the float formatter (a large part of the
/// learner's download for two decimals).
fn hundredths(x: f64) -> String {
    let h = (x * 100.0).round() as i64;
    format!("{}.{:02}", h / 100, h % 100)
}

impl Session {
    pub fn debrief(&self) -> Result<Debrief, PlayError> {
        let sc = self.scenario();
        let ending = &sc.endings[self.state().ending().ok_or(PlayError::NotEnded)?];
        let turns = self.turns().to_vec();
        let final_trust = i32::from(self.state().trust);

        // In taxonomy order; no sort, which keeps the learner's download small.
        let skills: Vec<SkillUse> = Skill::ALL
            .into_iter()
            .filter_map(|skill| {
                let used: Vec<&Turn> = turns.iter().filter(|t| t.skill == skill).collect();
                let net = used.iter().map(|t| t.trust_after - t.trust_before).sum();
                (!used.is_empty()).then(|| SkillUse { skill, label: skill.label(), kind: skill.kind(), count: used.len(), net })
            })
            .collect();

        let count = |m: Miti| turns.iter().filter(|t| t.skill.miti() == m).count();
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
        let miti = MitiSummary {
            reflections,
            complex_reflections: complex,
            questions,
            reflection_to_question: ratio,
            reflection_to_question_level: if questions == 0 && reflections > 0 { Level::Good } else { level(ratio, 1.0, 2.0) },
            complex_share: share,
            complex_share_level: level(share, 0.4, 0.5),
        };

        // The three largest gains and the three largest drops (the earlier on
        // a tie), then shown in turn order.
        let change = |t: &Turn| t.trust_after - t.trust_before;
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
        let key_moments: Vec<Moment> = turns
            .iter()
            .zip(&key)
            .filter(|(_, k)| **k)
            .map(|(t, _)| Moment { turn: t.number, change: change(t), text: t.text.clone(), skill: t.skill, feedback: t.feedback.clone() })
            .collect();

        let best_path = sc.best.as_ref().map(|best| {
            let e = &sc.endings[best.ending];
            let left = turns.iter().zip(best.steps.iter().map(Some).chain(std::iter::repeat(None))).position(|(t, step)| step.is_none_or(|&(n, c)| n != t.node_index || c != t.index));
            let left = left.or((turns.len() < best.steps.len()).then_some(turns.len()));
            Comparison {
                best_trust: best.trust,
                best_ending: EndingView { id: e.id.clone(), outcome: e.outcome, title: e.title.clone() },
                learner_trust: final_trust,
                best_responses: best.steps.iter().map(|&(n, c)| sc.nodes[n].choices[c].text.clone()).collect(),
                left_best_path_at: left.map(|i| i + 1),
            }
        });

        Ok(Debrief {
            scenario: sc.meta.id.clone(),
            title: sc.meta.title.clone(),
            mode: self.mode(),
            ending: EndingView { id: ending.id.clone(), outcome: ending.outcome, title: ending.title.clone() },
            say: ending.say.clone(),
            text: ending.text.clone(),
            trust: TrustView::of(final_trust),
            trust_over_time: self.trust_history(),
            turns,
            skills,
            miti,
            key_moments,
            best_path,
        })
    }
}
