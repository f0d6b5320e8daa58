//! The engine: pure state transitions over a checked [`Scenario`].
//!
//! [`State`] is everything that decides what happens next (where the talk is,
//! trust, distress, flags and the short memory that repetition, ruptures and
//! the warning beat need) and nothing else, so the analysis can use it as a
//! key and a session can be replayed exactly. [`step`] is the one
//! transition; sessions and the analysis both go through it, so what the
//! analysis reports is what a learner meets.

pub mod save;
pub mod session;
pub mod trust;

use crate::scenario::{MAX_LEVEL, Scenario, Target};
use crate::skill::Kind;
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
    /// How the last response opened (0: in no way that repeats).
    pub opening: u16,
    /// How many responses in a row opened that way, up to 4.
    pub repeats: u8,
    /// How many questions in a row were just asked, up to 5.
    pub questions: u8,
    /// A roadblock was used and no repair has followed it.
    pub rupture: bool,
    /// Trust has fallen below the floor once: the next fall ends the talk.
    pub warned: bool,
    /// Where the conversation was going when the peer nearly left, until
    /// the `leaving` node sends it back there.
    pub back: Option<Target>,
}

impl State {
    /// The state at the start of a scenario.
    pub fn start(scenario: &Scenario) -> State {
        let s = State {
            place: Place::Node(0),
            trust: scenario.peer().trust as u8,
            distress: scenario.peer().distress as u8,
            flags: 0,
            opening: 0,
            repeats: 0,
            questions: 0,
            rupture: false,
            warned: false,
            back: None,
        };
        enter(scenario, s, Target::Node(scenario.start()))
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
        let choices = self.node().map_or(&[][..], |n| &scenario.nodes()[n].choices[..]);
        choices.iter().enumerate().filter(move |(_, c)| c.when.holds(trust, flags)).map(|(i, _)| i)
    }
}

/// Takes choice `index` of the current node. The caller makes sure it is offered.
///
/// In order: the response's effect; its flags and memory; the target, with
/// its closed gates followed; the consequences of earlier choices owed
/// there (a cost among them is a rupture); then, if trust is now below the
/// floor, the warning beat the first time (when the scenario has one) or
/// the disengaged ending.
pub fn step(scenario: &Scenario, state: &State, index: usize) -> (State, Effect) {
    let node = &scenario.nodes()[state.node().expect("step from a node")];
    let choice = &node.choices[index];
    let mut effect = trust::effect(scenario, node, state, choice);
    let mut next = *state;
    next.distress = level(i32::from(state.distress) + choice.distress) as u8;
    next.flags = (state.flags | choice.set) & !choice.clear;
    next.repeats = if choice.opening != 0 && choice.opening == state.opening { (state.repeats + 1).min(4) } else { u8::from(choice.opening != 0) };
    next.opening = choice.opening;
    next.questions = if choice.skill.is_question() { (state.questions + 1).min(5) } else { 0 };
    match choice.skill.kind() {
        Kind::Roadblock => next.rupture = scenario.repairs(),
        _ if choice.skill == crate::skill::Skill::Repair => next.rupture = false,
        _ => {}
    }
    let goal = match choice.next {
        Target::Back => {
            next.back = None;
            // Validation keeps `@back` to the leaving node, which is reached
            // only with somewhere to go back to.
            state.back.unwrap_or(Target::Node(scenario.start()))
        }
        t => t,
    };
    let target = resolve(scenario, goal, effect.after);
    let mut trust = effect.after;
    for (i, &(n, c)) in scenario.laters().iter().enumerate() {
        if let Some(l) = &scenario.nodes()[n].choices[c].later
            && l.at == target
            && next.flags & 1 << l.bit != 0
        {
            next.flags &= !(1 << l.bit);
            effect.landed |= 1 << i;
            effect.later += l.trust;
            trust = level(trust + l.trust);
        }
    }
    effect.after = trust;
    next.trust = trust as u8;
    // A consequence that costs trust is a rupture, to be repaired like any other.
    if effect.later < 0 {
        next.rupture = scenario.repairs();
    }
    // The choice's own consequence is owed from now on: it lands on a later
    // arrival at its `at`, never on the step that made it.
    if let Some(l) = &choice.later {
        next.flags |= 1 << l.bit;
    }
    if trust < scenario.floor() {
        match (scenario.leaving(), scenario.disengaged()) {
            (Some(l), _) if !state.warned => {
                next.warned = true;
                effect.warned = true;
                next.back = Some(goal);
                return (enter(scenario, next, Target::Node(l)), effect);
            }
            (_, Some(e)) => return (enter(scenario, next, Target::Ending(e)), effect),
            _ => {}
        }
    }
    (enter(scenario, next, target), effect)
}

fn level(n: i32) -> i32 {
    n.clamp(0, MAX_LEVEL)
}

/// Follows the closed gates from a target: where the peer actually goes.
fn resolve(scenario: &Scenario, target: Target, trust: i32) -> Target {
    let Target::Node(mut n) = target else { return target };
    // Validation refuses cycles of closed gates; the bound keeps even an
    // unvalidated scenario from looping here.
    for _ in 0..scenario.nodes().len() {
        match scenario.nodes()[n].gate {
            Some(g) if trust < g.trust => n = g.otherwise,
            _ => break,
        }
    }
    Target::Node(n)
}

/// Moves to a target, following disclosure gates that the trust does not open.
fn enter(scenario: &Scenario, mut state: State, target: Target) -> State {
    let n = match resolve(scenario, target, i32::from(state.trust)) {
        Target::Ending(e) => {
            // What is still owed can never land now, and no variant asks.
            state.place = Place::Ending(e as u32);
            state.flags &= !scenario.owed();
            return state;
        }
        Target::Node(n) => n,
        Target::Back => unreachable!("a step resolves `@back` before it enters"),
    };
    let node = &scenario.nodes()[n];
    state.place = Place::Node(n as u32);
    state.flags &= !scenario.settled()[n];
    // Memory that no choice here can use is forgotten, so that states which
    // differ only in it are one: a streak of an opening that no choice here
    // shares, or of questions where none is offered, ends with the next
    // response whatever it is.
    if !node.openings.contains(&state.opening) {
        (state.opening, state.repeats) = (0, 0);
    }
    if !node.asks {
        state.questions = 0;
    }
    state.distress = level(i32::from(state.distress) + node.distress) as u8;
    if let Some(bit) = node.visit_flag {
        state.flags |= 1 << bit;
    }
    state
}
