//! How one response moves trust: the empathy model of `shared/domain.md`.
//!
//! The base effect comes from the choice's override or the peer's profile.
//! Modifiers then follow the peer's state and the conversation so far, each
//! with the reason the learner will read. The result is `Copy` and allocates
//! nothing, because the analysis computes it for every state it explores.

use serde::Serialize;

use super::State;
use crate::scenario::{Choice, MAX_LEVEL, Node, Scenario};
use crate::skill::Skill;

/// Why a base effect was changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Logic, advice, reassurance or minimising while the peer is in acute distress.
    DistressAmplifiesRoadblock,
    /// Reflection or presence while the peer is in acute distress.
    DistressRewardsPresence,
    /// The third (or later) identical reflection or validation in a row.
    Parroting,
    /// The third (or later) question in a row.
    Interrogation,
    /// Validation right after the peer disclosed something.
    AfterDisclosure,
}

impl Reason {
    pub fn text(self) -> &'static str {
        match self {
            Reason::DistressAmplifiesRoadblock => "the peer is in acute distress, so this lands much harder",
            Reason::DistressRewardsPresence => "the peer is in acute distress, so feeling heard matters even more",
            Reason::Parroting => "the same kind of response three times in a row starts to sound like parroting",
            Reason::Interrogation => "question after question starts to feel like an interview",
            Reason::AfterDisclosure => "validating right after a disclosure tells the peer it was safe to share",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Modifier {
    pub reason: Reason,
    pub amount: i32,
}

/// The whole account of one change of trust.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effect {
    pub skill: Skill,
    pub base: i32,
    modifiers: [Option<Modifier>; 3],
    pub before: i32,
    pub after: i32,
}

impl Effect {
    pub fn modifiers(&self) -> impl Iterator<Item = Modifier> + '_ {
        self.modifiers.iter().flatten().copied()
    }

    /// The change before trust is held within its bounds.
    pub fn total(&self) -> i32 {
        self.base + self.modifiers().map(|m| m.amount).sum::<i32>()
    }
}

/// Skills whose repetition wears thin.
const REPEATABLE: [Skill; 2] = [Skill::Reflection, Skill::Validation];

pub fn is_repeatable(skill: Skill) -> bool {
    REPEATABLE.contains(&skill)
}

pub fn is_question(skill: Skill) -> bool {
    matches!(skill, Skill::OpenQuestion | Skill::ClosedQuestion)
}

/// Half of `n`, rounded away from zero.
fn half(n: i32) -> i32 {
    (n + n.signum()) / 2
}

/// Works out the effect of `choice` at `node`, given the state before it.
pub fn effect(scenario: &Scenario, node: &Node, state: &State, choice: &Choice) -> Effect {
    let skill = choice.skill;
    let base = choice.trust.unwrap_or(scenario.profile[skill.index()]);
    let mut modifiers = [None; 3];
    let mut push = |reason, amount: i32| {
        if amount != 0
            && let Some(slot) = modifiers.iter_mut().find(|m| m.is_none())
        {
            *slot = Some(Modifier { reason, amount });
        }
    };
    if scenario.is_acute(i32::from(state.distress)) {
        match skill {
            Skill::Lecturing | Skill::Advice | Skill::Reassurance | Skill::Minimising if base < 0 => push(Reason::DistressAmplifiesRoadblock, base),
            Skill::Reflection | Skill::ComplexReflection | Skill::Presence if base > 0 => push(Reason::DistressRewardsPresence, half(base)),
            _ => {}
        }
    }
    // The count includes this response.
    if is_repeatable(skill) && state.last == Some(skill) {
        match state.repeats + 1 {
            3 => push(Reason::Parroting, -half(base.max(0))),
            4.. => push(Reason::Parroting, -base.max(0)),
            _ => {}
        }
    }
    if is_question(skill) && state.questions >= 2 {
        push(Reason::Interrogation, -2 * (i32::from(state.questions) - 1));
    }
    if node.disclosure && skill == Skill::Validation && base > 0 {
        push(Reason::AfterDisclosure, half(base));
    }
    let mut e = Effect { skill, base, modifiers, before: i32::from(state.trust), after: 0 };
    e.after = (e.before + e.total()).clamp(0, MAX_LEVEL);
    e
}
