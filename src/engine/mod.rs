//! The engine: pure state transitions over a checked [`Scenario`].
//!
//! [`State`] is everything that decides what happens next (where the talk is,
//! trust, distress, flags and the short memory that repetition needs) and
//! nothing else, so the analysis can use it as a key and a session can be
//! replayed exactly. [`step`] is the one transition; sessions and the analysis
//! both go through it, so what the analysis reports is what a learner meets.

pub mod save;
pub mod session;
pub mod trust;

use crate::scenario::{MAX_LEVEL, Scenario, Target};
use crate::skill::Skill;
pub use trust::Effect;

/// Where the conversation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    Node(u32),
    Ending(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    pub place: Place,
    pub trust: u8,
    pub distress: u8,
    pub flags: u64,
    /// The last response, when it was one whose repetition wears thin.
    pub last: Option<Skill>,
    /// How many times in a row `last` was used, up to 4.
    pub repeats: u8,
    /// How many questions in a row were just asked, up to 5.
    pub questions: u8,
}

impl State {
    /// The state at the start of a scenario.
    pub fn start(scenario: &Scenario) -> State {
        let s = State {
            place: Place::Node(0),
            trust: scenario.peer.trust as u8,
            distress: scenario.peer.distress as u8,
            flags: 0,
            last: None,
            repeats: 0,
            questions: 0,
        };
        enter(scenario, s, Target::Node(scenario.start))
    }

    pub fn node(&self) -> Option<usize> {
        match self.place {
            Place::Node(n) => Some(n as usize),
            Place::Ending(_) => None,
        }
    }

    pub fn ending(&self) -> Option<usize> {
        match self.place {
            Place::Ending(e) => Some(e as usize),
            Place::Node(_) => None,
        }
    }

    /// Indices of the choices offered now, in authored order.
    pub fn offered<'s>(&self, scenario: &'s Scenario) -> impl Iterator<Item = usize> + 's {
        let (trust, flags) = (i32::from(self.trust), self.flags);
        let choices = self.node().map_or(&[][..], |n| &scenario.nodes[n].choices[..]);
        choices.iter().enumerate().filter(move |(_, c)| c.when.holds(trust, flags)).map(|(i, _)| i)
    }
}

/// Takes choice `index` of the current node. The caller makes sure it is offered.
pub fn step(scenario: &Scenario, state: &State, index: usize) -> (State, Effect) {
    let node = &scenario.nodes[state.node().expect("step from a node")];
    let choice = &node.choices[index];
    let effect = trust::effect(scenario, node, state, choice);
    let mut next = *state;
    next.trust = effect.after as u8;
    next.distress = (i32::from(state.distress) + choice.distress).clamp(0, MAX_LEVEL) as u8;
    next.flags = (state.flags | choice.set) & !choice.clear;
    if trust::is_repeatable(choice.skill) {
        next.repeats = if state.last == Some(choice.skill) { (state.repeats + 1).min(4) } else { 1 };
        next.last = Some(choice.skill);
    } else {
        (next.last, next.repeats) = (None, 0);
    }
    next.questions = if trust::is_question(choice.skill) { (state.questions + 1).min(5) } else { 0 };
    let target = match scenario.disengaged {
        Some(e) if effect.after < scenario.floor => Target::Ending(e),
        _ => choice.next,
    };
    (enter(scenario, next, target), effect)
}

/// Moves to a target, following disclosure gates that the trust does not open.
fn enter(scenario: &Scenario, mut state: State, target: Target) -> State {
    let mut n = match target {
        Target::Ending(e) => {
            state.place = Place::Ending(e as u32);
            return state;
        }
        Target::Node(n) => n,
    };
    // Validation refuses cycles of closed gates; the bound keeps even an
    // unvalidated scenario from looping here.
    for _ in 0..scenario.nodes.len() {
        match scenario.nodes[n].gate {
            Some(g) if i32::from(state.trust) < g.trust => n = g.otherwise,
            _ => break,
        }
    }
    let node = &scenario.nodes[n];
    state.place = Place::Node(n as u32);
    state.distress = (i32::from(state.distress) + node.distress).clamp(0, MAX_LEVEL) as u8;
    if let Some(bit) = node.visit_flag {
        state.flags |= 1 << bit;
    }
    state
}
