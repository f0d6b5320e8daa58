//! How one response moves trust: the empathy model of `shared/domain.md`.
//!
//! The base effect comes from the choice's override or the peer's profile.
//! Modifiers then follow the peer's state and the conversation so far, each
//! with the reason the learner will read; their sum with the base is the
//! response's worth, the learner's skill. Only then is trust moved, and two
//! bounds may take part of the change: near the ceiling each gain is smaller
//! (so late skill still counts, and the meter does not sit at the top for
//! half the talk), and trust stays within 0 to 100. The result is `Copy`
//! and allocates nothing, because the analysis computes it for every state
//! it explores.
//!
//! The amounts, which `docs/authoring.md` lists for authors:
//! - acute distress doubles the cost of logic, advice, reassurance and
//!   minimising, raises the cost of every other roadblock and of a question
//!   streak by half, makes unasked information cost 4, and adds half to
//!   reflection, complex reflection, validation and presence;
//! - the third response in a row that opens the same way loses half its
//!   worth, the fourth and later all of it (gains only);
//! - the third question in a row, of any kind, costs 2, the fourth 4, the
//!   fifth and later 6;
//! - validation at a disclosure adds half;
//! - a repair while a roadblock is unrepaired adds half; one with nothing to
//!   repair loses half;
//! - above trust [`KNEE`], a gain is scaled by the room left above it.

use serde::Serialize;

use super::State;
use crate::scenario::{Choice, MAX_LEVEL, Node, Scenario};
use crate::skill::{Kind, Skill};

/// Above this trust, gains shrink in proportion to the room left.
pub const KNEE: i32 = 60;

/// Why a base effect was changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Logic, advice, reassurance or minimising while the peer is in acute distress.
    DistressAmplifiesRoadblock,
    /// Any other roadblock, a question streak or unasked information in acute distress.
    DistressRaisesCost,
    /// Reflection, validation or presence while the peer is in acute distress.
    DistressRewardsPresence,
    /// The third (or later) response in a row that opens the same way.
    Parroting,
    /// The third (or later) question in a row.
    Interrogation,
    /// Validation right after the peer disclosed something.
    AfterDisclosure,
    /// A repair while a roadblock is unrepaired.
    RepairsRupture,
    /// A repair with nothing to repair.
    NothingToRepair,
}

impl Reason {
    pub const ALL: [Reason; 8] = [
        Reason::DistressAmplifiesRoadblock,
        Reason::DistressRaisesCost,
        Reason::DistressRewardsPresence,
        Reason::Parroting,
        Reason::Interrogation,
        Reason::AfterDisclosure,
        Reason::RepairsRupture,
        Reason::NothingToRepair,
    ];

    /// The id the explanation carries, as serde writes it.
    pub fn id(self) -> &'static str {
        match self {
            Reason::DistressAmplifiesRoadblock => "distress_amplifies_roadblock",
            Reason::DistressRaisesCost => "distress_raises_cost",
            Reason::DistressRewardsPresence => "distress_rewards_presence",
            Reason::Parroting => "parroting",
            Reason::Interrogation => "interrogation",
            Reason::AfterDisclosure => "after_disclosure",
            Reason::RepairsRupture => "repairs_rupture",
            Reason::NothingToRepair => "nothing_to_repair",
        }
    }

    /// Why the modifier applies, in words (`reason.ID` in [`crate::words`]).
    pub fn text(self) -> &'static str {
        let english = match self {
            Reason::DistressAmplifiesRoadblock => "the peer is in acute distress, so this lands much harder",
            Reason::DistressRaisesCost => "the peer is in acute distress, so this costs more than it would when they are calm",
            Reason::DistressRewardsPresence => "the peer is in acute distress, so feeling heard matters even more",
            Reason::Parroting => "the third response in a row that opens the same way starts to sound like parroting, however good each one is",
            Reason::Interrogation => "question after question starts to feel like an interview",
            Reason::AfterDisclosure => "validating right after a disclosure tells the peer it was safe to share",
            Reason::RepairsRupture => "owning a misstep soon after it restores safety; a repaired rupture builds more trust than none",
            Reason::NothingToRepair => "there was no misstep to repair, so an apology sounds hollow",
        };
        crate::words::word_of(&["reason", self.id()], english)
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
    modifiers: [Option<Modifier>; 4],
    /// What the ceiling took from a gain (0 or less).
    pub ceiling: i32,
    pub before: i32,
    /// Trust after the response alone, within bounds.
    pub response: i32,
    /// Trust after the response and any consequence that landed with it.
    pub after: i32,
    /// Consequences of earlier choices that landed on this step, by their
    /// position in [`Scenario::laters`], and their sum.
    pub landed: u64,
    pub later: i32,
    /// This step made trust fall below the floor for the first time, and the
    /// peer is about to leave.
    pub warned: bool,
}

impl Effect {
    pub fn modifiers(&self) -> impl Iterator<Item = Modifier> + '_ {
        self.modifiers.iter().flatten().copied()
    }

    /// The response's worth: its base and modifiers, before any bound.
    pub fn total(&self) -> i32 {
        self.base + self.modifiers().map(|m| m.amount).sum::<i32>()
    }

    /// What the step counts for the learner's skill: the response's worth
    /// and the consequences that landed with it, before any bound.
    pub fn worth(&self) -> i32 {
        self.total() + self.later
    }
}

/// Half of `n`, rounded away from zero.
fn half(n: i32) -> i32 {
    (n + n.signum()) / 2
}

/// The change a gain of `total` makes at trust `before`: above [`KNEE`] it
/// is scaled by the room left (rounded up, so a gain is never lost before
/// trust is at its maximum); a loss is never scaled.
pub fn damped(before: i32, total: i32) -> i32 {
    if total <= 0 || before <= KNEE {
        return total;
    }
    let room = (MAX_LEVEL - before).max(0);
    (total * room + (MAX_LEVEL - KNEE) - 1) / (MAX_LEVEL - KNEE)
}

/// Works out the effect of `choice` at `node`, given the state before it.
/// Consequences of earlier choices are the step's to add.
pub fn effect(scenario: &Scenario, node: &Node, state: &State, choice: &Choice) -> Effect {
    let skill = choice.skill;
    let base = choice.trust.unwrap_or(scenario.profile()[skill.index()]);
    let mut modifiers = [None; 4];
    let mut push = |reason, amount: i32| {
        if amount != 0
            && let Some(slot) = modifiers.iter_mut().find(|m| m.is_none())
        {
            *slot = Some(Modifier { reason, amount });
        }
    };
    let acute = scenario.is_acute(i32::from(state.distress));
    if acute {
        match skill {
            Skill::Lecturing | Skill::Advice | Skill::Reassurance | Skill::Minimising if base < 0 => push(Reason::DistressAmplifiesRoadblock, base),
            Skill::UnaskedInformation if base <= 0 => push(Reason::DistressRaisesCost, -4),
            Skill::Reflection | Skill::ComplexReflection | Skill::Validation | Skill::Presence if base > 0 => push(Reason::DistressRewardsPresence, half(base)),
            _ if skill.kind() == Kind::Roadblock && base < 0 => push(Reason::DistressRaisesCost, half(base)),
            _ => {}
        }
    }
    // The count includes this response.
    if choice.opening != 0 && state.opening == choice.opening {
        match state.repeats + 1 {
            3 => push(Reason::Parroting, -half(base.max(0))),
            4.. => push(Reason::Parroting, -base.max(0)),
            _ => {}
        }
    }
    if skill.is_question() && state.questions >= 2 {
        let streak = -2 * (i32::from(state.questions).min(4) - 1);
        push(Reason::Interrogation, streak);
        if acute {
            push(Reason::DistressRaisesCost, half(streak));
        }
    }
    if node.disclosure && skill == Skill::Validation && base > 0 {
        push(Reason::AfterDisclosure, half(base));
    }
    if skill == Skill::Repair && base > 0 {
        if state.rupture { push(Reason::RepairsRupture, half(base)) } else { push(Reason::NothingToRepair, -half(base)) }
    }
    let mut e = Effect { skill, base, modifiers, ceiling: 0, before: i32::from(state.trust), response: 0, after: 0, landed: 0, later: 0, warned: false };
    let total = e.total();
    let change = damped(e.before, total);
    e.ceiling = change - total;
    e.after = (e.before + change).clamp(0, MAX_LEVEL);
    e.response = e.after;
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gains_shrink_near_the_ceiling_and_losses_do_not() {
        assert_eq!(damped(40, 8), 8);
        assert_eq!(damped(KNEE, 8), 8);
        assert_eq!(damped(80, 8), 4);
        assert_eq!(damped(90, 8), 2);
        // Rounded up: a gain still counts until trust is at its maximum.
        assert_eq!(damped(99, 3), 1);
        assert_eq!(damped(100, 8), 0);
        assert_eq!(damped(90, -8), -8);
        // From the knee, eight gains of 8 do not reach the top.
        let mut t = KNEE;
        for _ in 0..8 {
            t += damped(t, 8);
        }
        assert!(t < MAX_LEVEL, "{t}");
    }
}
