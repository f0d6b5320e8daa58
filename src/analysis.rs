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
//!
//! The search is bounded three ways, so that no scenario, however small its
//! file, can hold a learner's browser or an author's terminal hostage: by
//! states, by steps taken (the measure of time, since the engine reads no
//! clock) and by the memory its tables take; see [`Budget`]. Each state is
//! kept once, packed into 16 bytes, and the index that finds it holds only
//! 4-byte positions into that list.

use std::collections::VecDeque;

use serde::Serialize;

use crate::engine::{Place, State, step};
use crate::scenario::Scenario;
use crate::skill::{Kind, Skill};

/// How far the search may go before it stops and says so (W004).
///
/// States scale with the scenario: 128 a node, at least 500,000 (a small
/// file cannot hold the search hostage for longer than that takes, a few
/// tenths of a second) and at most 1,500,000 (about a second natively). The
/// library's scenarios have 50,000 to 70,000 states; a generated plain
/// scenario of 10,000 nodes has 1.1 million. Steps (each offered choice of
/// each state is one) may be 6 a state, and the tables 192 MiB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub states: usize,
    pub steps: usize,
    pub bytes: usize,
}

impl Budget {
    pub const MIN_STATES: usize = 500_000;
    pub const MAX_STATES: usize = 1_500_000;

    pub fn of(scenario: &Scenario) -> Budget {
        let states = (scenario.nodes.len() * 128).clamp(Budget::MIN_STATES, Budget::MAX_STATES);
        Budget { states, steps: states * 6, bytes: 192 << 20 }
    }
}

/// Which bound of its [`Budget`] stopped an incomplete search, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "limit", content = "at")]
pub enum Limit {
    States(usize),
    Steps(usize),
    Memory(usize),
}

impl Limit {
    /// "more than 500,000 states", for W004 and the CLI.
    pub fn describe(self) -> String {
        let thousands = |n: usize| n.to_string().as_bytes().rchunks(3).rev().map(|c| std::str::from_utf8(c).unwrap_or_default()).collect::<Vec<_>>().join(",");
        match self {
            Limit::States(n) => format!("more than {} states", thousands(n)),
            Limit::Steps(n) => format!("more than {} steps", thousands(n)),
            Limit::Memory(n) => format!("more than {} MiB of memory", n >> 20),
        }
    }
}

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
    /// The bound that stopped the search before it was complete, if one did.
    pub stopped: Option<Limit>,
    /// Trust on arrival at each node, `None` when it cannot be reached.
    pub nodes: Vec<Option<Range>>,
    /// Distress on arrival at each node: where it reaches the acute level,
    /// the engine's acute-distress modifiers apply.
    pub distress: Vec<Option<Range>>,
    /// Final trust at each ending, `None` when it cannot be reached.
    pub endings: Vec<Option<Range>>,
    /// For each node, whether each choice is offered in some reachable state.
    pub offered: Vec<Vec<bool>>,
    /// For each node, a reachable state in which no choice is offered.
    pub softlocks: Vec<Option<State>>,
    pub best: Option<Path>,
    pub worst: Option<Path>,
}

impl Analysis {
    /// Whether every reachable state was explored.
    pub fn complete(&self) -> bool {
        self.stopped.is_none()
    }
}

/// The whole analysis, best and worst paths included.
pub fn analyze(scenario: &Scenario) -> Analysis {
    explore(scenario, Budget::of(scenario), true)
}

/// Explores within `budget`; the worst path, which validation does not
/// need, is searched for only when asked.
pub fn explore(scenario: &Scenario, budget: Budget, worst: bool) -> Analysis {
    let n = scenario.nodes.len();
    let mut a = Analysis {
        states: 0,
        stopped: None,
        nodes: vec![None; n],
        distress: vec![None; n],
        endings: vec![None; scenario.endings.len()],
        offered: scenario.nodes.iter().map(|node| vec![false; node.choices.len()]).collect(),
        softlocks: vec![None; n],
        best: None,
        worst: None,
    };
    // The state graph, in breadth-first order: `targets[first[i]..first[i + 1]]`
    // are the states that state `i` leads to, by the choices at the same
    // places of `picks`.
    let mut states: Vec<Packed> = Vec::new();
    let mut first: Vec<u32> = Vec::new();
    let (mut targets, mut picks): (Vec<u32>, Vec<u8>) = (Vec::new(), Vec::new());
    let mut index = Index::default();
    let start = State::start(scenario);
    index.insert(&mut states, Packed::of(&start));

    let mut at = 0;
    while at < states.len() {
        first.push(targets.len() as u32);
        let state = states[at].state();
        let trust = i32::from(state.trust);
        if let Some(e) = state.ending() {
            widen(&mut a.endings[e], trust);
        } else if let Some(node) = state.node() {
            widen(&mut a.nodes[node], trust);
            widen(&mut a.distress[node], i32::from(state.distress));
            let mut any = false;
            for i in state.offered(scenario) {
                any = true;
                a.offered[node][i] = true;
                let (next, _) = step(scenario, &state, i);
                targets.push(index.insert(&mut states, Packed::of(&next)));
                picks.push(i as u8);
            }
            if !any && !scenario.nodes[node].choices.is_empty() && a.softlocks[node].is_none() {
                a.softlocks[node] = Some(state);
            }
            let bytes = states.capacity() * size_of::<Packed>() + index.bytes() + first.capacity() * 4 + targets.capacity() * 4 + picks.capacity();
            a.stopped = if states.len() > budget.states {
                Some(Limit::States(budget.states))
            } else if targets.len() > budget.steps {
                Some(Limit::Steps(budget.steps))
            } else if bytes > budget.bytes {
                Some(Limit::Memory(budget.bytes))
            } else {
                None
            };
            if a.stopped.is_some() {
                break;
            }
        }
        at += 1;
    }
    drop(index);
    let states: Vec<State> = states.iter().map(Packed::state).collect();
    first.resize(states.len() + 1, targets.len() as u32);
    a.states = states.len();
    let graph = Graph { scenario, states: &states, first: &first, targets: &targets, picks: &picks };
    // Ties in final trust (trust is capped) go to the path with the fewest
    // roadblocks for the best path, and the fewest trust-building responses
    // for the worst, so neither shows a response that contradicts its name.
    a.best = graph.path(Kind::Roadblock, |t, best| t > best);
    if worst {
        a.worst = graph.path(Kind::Skill, |t, worst| t < worst);
    }
    a
}

struct Graph<'a> {
    scenario: &'a Scenario,
    states: &'a [State],
    first: &'a [u32],
    targets: &'a [u32],
    picks: &'a [u8],
}

impl Graph<'_> {
    /// The path to the ending state whose trust `better` prefers, among paths
    /// that use the fewest responses of kind `avoid` (a 0-1 breadth-first search).
    fn path(&self, avoid: Kind, better: impl Fn(i32, i32) -> bool) -> Option<Path> {
        let n = self.states.len();
        let mut cost = vec![u32::MAX; n];
        let mut parent = vec![(u32::MAX, 0u8); n];
        let mut queue = VecDeque::from([0u32]);
        cost[0] = 0;
        while let Some(at) = queue.pop_front() {
            let at = at as usize;
            let Some(node) = self.states[at].node() else { continue };
            let edges = self.first[at] as usize..self.first[at + 1] as usize;
            for (&to, &choice) in self.targets[edges.clone()].iter().zip(&self.picks[edges]) {
                let w = u32::from(self.scenario.nodes[node].choices[choice as usize].skill.kind() == avoid);
                let c = cost[at] + w;
                if c < cost[to as usize] {
                    cost[to as usize] = c;
                    parent[to as usize] = (at as u32, choice);
                    if w == 0 { queue.push_front(to) } else { queue.push_back(to) }
                }
            }
        }
        let mut pick: Option<usize> = None;
        for (i, s) in self.states.iter().enumerate() {
            if s.ending().is_none() || cost[i] == u32::MAX {
                continue;
            }
            let t = i32::from(s.trust);
            pick = match pick {
                Some(p) => {
                    let pt = i32::from(self.states[p].trust);
                    if better(t, pt) || (t == pt && cost[i] < cost[p]) { Some(i) } else { Some(p) }
                }
                None => Some(i),
            };
        }
        let end = pick?;
        let mut steps = Vec::new();
        let mut at = end;
        while parent[at].0 != u32::MAX {
            let (from, choice) = parent[at];
            steps.push((self.states[from as usize].node().unwrap_or(0), choice as usize));
            at = from as usize;
        }
        steps.reverse();
        Some(Path { steps, ending: self.states[end].ending().unwrap_or(0), trust: i32::from(self.states[end].trust) })
    }
}

fn widen(range: &mut Option<Range>, trust: i32) {
    *range = Some(match *range {
        None => Range { min: trust, max: trust },
        Some(r) => Range { min: r.min.min(trust), max: r.max.max(trust) },
    });
}

/// A [`State`] in 16 bytes: flags in the low 64 bits, then the place (31
/// bits and whether it is an ending), trust, distress, the repeated skill
/// (31 for none), the repeat count and the question streak.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Packed(u128);

impl Packed {
    fn of(s: &State) -> Packed {
        let place = match s.place {
            Place::Node(n) => u128::from(n) << 1,
            Place::Ending(e) => u128::from(e) << 1 | 1,
        };
        let last = s.last.map_or(31, |k| k.index() as u128);
        Packed(u128::from(s.flags) | place << 64 | u128::from(s.trust) << 96 | u128::from(s.distress) << 104 | last << 112 | u128::from(s.repeats) << 117 | u128::from(s.questions) << 120)
    }

    fn state(&self) -> State {
        let bits = |from: u32, width: u32| (self.0 >> from) as u64 & ((1 << width) - 1);
        let place = bits(64, 32) as u32;
        State {
            place: if place & 1 == 0 { Place::Node(place >> 1) } else { Place::Ending(place >> 1) },
            trust: bits(96, 8) as u8,
            distress: bits(104, 8) as u8,
            flags: self.0 as u64,
            last: Skill::ALL.get(bits(112, 5) as usize).copied(),
            repeats: bits(117, 3) as u8,
            questions: bits(120, 3) as u8,
        }
    }

    /// A fast hash whose high bits (the index takes those) depend on every
    /// bit of the state: the low half is mixed before the high half joins
    /// it, so no arrangement of flags and places (which an author chooses)
    /// lines states up on the same slots; SipHash would double the search time.
    fn hash(&self) -> u64 {
        ((self.0 as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (self.0 >> 64) as u64).wrapping_mul(0xd6e8_feb8_6659_fd93)
    }
}

/// An open-addressing index of the states list: each slot holds a position
/// in the list plus one (0 is empty), so a state is stored once, and the
/// index costs 4 bytes a slot, at most half of them full. A state's first
/// slot is the top bits of its hash.
#[derive(Default)]
struct Index {
    slots: Vec<u32>,
    len: usize,
    /// 64 minus the number of bits a slot number has.
    shift: u32,
}

impl Index {
    /// The position of `state` in `states`, appended if it is new.
    fn insert(&mut self, states: &mut Vec<Packed>, state: Packed) -> u32 {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow(states);
        }
        let mask = self.slots.len() - 1;
        let mut slot = (state.hash() >> self.shift) as usize;
        loop {
            match self.slots[slot] {
                0 => {
                    states.push(state);
                    self.len += 1;
                    self.slots[slot] = states.len() as u32;
                    return states.len() as u32 - 1;
                }
                i if states[i as usize - 1] == state => return i - 1,
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    fn grow(&mut self, states: &[Packed]) {
        let size = (self.slots.len() * 2).max(1024);
        self.shift = 64 - size.trailing_zeros();
        let mut slots = vec![0u32; size];
        for (i, s) in states.iter().enumerate() {
            let mut slot = (s.hash() >> self.shift) as usize;
            while slots[slot] != 0 {
                slot = (slot + 1) & (size - 1);
            }
            slots[slot] = i as u32 + 1;
        }
        self.slots = slots;
    }

    fn bytes(&self) -> usize {
        self.slots.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_states_unpack_to_themselves() {
        let states = [
            State { place: Place::Node(0), trust: 0, distress: 0, flags: 0, last: None, repeats: 0, questions: 0 },
            State { place: Place::Ending(7), trust: 100, distress: 100, flags: u64::MAX, last: Some(Skill::ALL[Skill::ALL.len() - 1]), repeats: 4, questions: 5 },
            State { place: Place::Node(u32::MAX >> 1), trust: 37, distress: 61, flags: 1 << 63 | 5, last: Some(Skill::ALL[0]), repeats: 1, questions: 2 },
        ];
        for s in states {
            assert_eq!(Packed::of(&s).state(), s);
        }
        assert_ne!(Packed::of(&states[0]), Packed::of(&State { flags: 1, ..states[0] }));
    }

    #[test]
    fn the_index_finds_every_state_once() {
        let (mut index, mut states) = (Index::default(), Vec::new());
        for round in 0..2 {
            for n in 0..5_000u32 {
                let s = State { place: Place::Node(n % 50), trust: (n % 101) as u8, distress: 0, flags: u64::from(n / 50), last: None, repeats: 0, questions: 0 };
                assert_eq!(index.insert(&mut states, Packed::of(&s)), n, "round {round}");
            }
        }
        assert_eq!(states.len(), 5_000);
    }
}
