//! Explores every state a scenario can reach.
//!
//! A breadth-first search over [`State`]s (node or ending, trust, distress,
//! flags and repetition memory) from the start, through the engine's own
//! [`step`], so the analysis and play cannot disagree. Because the state
//! holds everything that decides the future, two paths that meet in the same
//! state have the same futures, and the search visits each state once. It
//! reports the trust range at each node and ending, the best and worst paths
//! (highest and lowest final trust), and what validation needs: which choices
//! are ever offered and where every choice can be locked at once.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;

use crate::engine::{State, step};
use crate::scenario::Scenario;

/// The search gives up past this many states and says so.
pub const MAX_STATES: usize = 4_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Range {
    pub min: i32,
    pub max: i32,
}

/// A path through the scenario: the picks, where it ends, and the final trust.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    /// (node, choice) by authored index.
    pub steps: Vec<(usize, usize)>,
    pub ending: usize,
    pub trust: i32,
}

#[derive(Debug)]
pub struct Analysis {
    pub states: usize,
    /// False when the search stopped at [`MAX_STATES`].
    pub complete: bool,
    /// Trust on arrival at each node, `None` when it cannot be reached.
    pub nodes: Vec<Option<Range>>,
    /// Final trust at each ending, `None` when it cannot be reached.
    pub endings: Vec<Option<Range>>,
    /// For each node, whether each choice is offered in some reachable state.
    pub offered: Vec<Vec<bool>>,
    /// For each node, a reachable state in which no choice is offered.
    pub softlocks: Vec<Option<State>>,
    pub best: Option<Path>,
    pub worst: Option<Path>,
}

pub fn analyze(scenario: &Scenario) -> Analysis {
    analyze_with_limit(scenario, MAX_STATES)
}

pub fn analyze_with_limit(scenario: &Scenario, limit: usize) -> Analysis {
    let n = scenario.nodes.len();
    let mut a = Analysis {
        states: 0,
        complete: true,
        nodes: vec![None; n],
        endings: vec![None; scenario.endings.len()],
        offered: scenario.nodes.iter().map(|node| vec![false; node.choices.len()]).collect(),
        softlocks: vec![None; n],
        best: None,
        worst: None,
    };
    // Each state with the state and choice it was first reached by.
    let mut states: Vec<(State, u32, u8)> = Vec::new();
    let mut seen: HashMap<State, (), BuildHasherDefault<Fx>> = HashMap::default();
    let start = State::start(scenario);
    seen.insert(start, ());
    states.push((start, u32::MAX, 0));
    let (mut best, mut worst): (Option<(u32, i32)>, Option<(u32, i32)>) = (None, None);

    let mut at = 0;
    while at < states.len() {
        let state = states[at].0;
        let trust = i32::from(state.trust);
        if let Some(e) = state.ending() {
            widen(&mut a.endings[e], trust);
            if best.is_none_or(|(_, t)| trust > t) {
                best = Some((at as u32, trust));
            }
            if worst.is_none_or(|(_, t)| trust < t) {
                worst = Some((at as u32, trust));
            }
        } else if let Some(node) = state.node() {
            widen(&mut a.nodes[node], trust);
            let mut any = false;
            for i in state.offered(scenario) {
                any = true;
                a.offered[node][i] = true;
                let (next, _) = step(scenario, &state, i);
                if seen.insert(next, ()).is_none() {
                    states.push((next, at as u32, i as u8));
                }
            }
            if !any && !scenario.nodes[node].choices.is_empty() && a.softlocks[node].is_none() {
                a.softlocks[node] = Some(state);
            }
            if states.len() > limit {
                a.complete = false;
                break;
            }
        }
        at += 1;
    }
    a.states = states.len();
    let path = |(mut at, trust): (u32, i32)| {
        let ending = states[at as usize].0.ending().unwrap_or(0);
        let mut steps = Vec::new();
        while states[at as usize].1 != u32::MAX {
            let (_, parent, choice) = states[at as usize];
            steps.push((states[parent as usize].0.node().unwrap_or(0), choice as usize));
            at = parent;
        }
        steps.reverse();
        Path { steps, ending, trust }
    };
    a.best = best.map(path);
    a.worst = worst.map(path);
    a
}

fn widen(range: &mut Option<Range>, trust: i32) {
    *range = Some(match *range {
        None => Range { min: trust, max: trust },
        Some(r) => Range { min: r.min.min(trust), max: r.max.max(trust) },
    });
}

/// A fast multiplicative hasher for states: the keys are not attacker-chosen
/// beyond what an author writes, and SipHash would double the search time.
#[derive(Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(buf));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(n.into());
    }
    fn write_u32(&mut self, n: u32) {
        self.add(n.into());
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn write_isize(&mut self, n: isize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
