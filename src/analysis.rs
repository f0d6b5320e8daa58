//! Explores every state a scenario can reach.
//!
//! A breadth-first search over [`State`]s (node or ending, trust, distress,
//! flags and repetition memory) from the start, through the engine's own
//! [`step`], so the analysis and play cannot disagree. Because the state
//! holds everything that decides the future, two paths that meet in the same
//! state have the same futures, and the search visits each state once. It
//! reports the trust range at each node and ending, the best and worst paths
//! (the largest and smallest sum of the responses' worth before any bound:
//! the learner's skill, not where trust happened to end), and what
//! validation needs: which endings' variants can apply, which choices
//! are ever offered and where every choice can be locked at once.
//!
//! The search is bounded three ways, so that no scenario, however small its
//! file, can hold a learner's browser or an author's terminal hostage: by
//! states, by steps taken (the measure of time, since the engine reads no
//! clock) and by the memory its tables take; see [`Budget`]. Each state is
//! kept once, packed into 16 bytes, and the index that finds it holds only
//! 4-byte positions into that list.

use serde::Serialize;

use crate::engine::{Place, State, step};
pub use crate::scenario::Path;
use crate::scenario::{Scenario, Target};
use crate::skill::Kind;

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
        let states = (scenario.nodes().len() * 128).clamp(Budget::MIN_STATES, Budget::MAX_STATES);
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
    /// For each ending, whether each of its variants applies in some reachable state.
    pub variants: Vec<Vec<bool>>,
    /// For each node, whether each choice is offered in some reachable state.
    pub offered: Vec<Vec<bool>>,
    /// For each node, a reachable state in which no choice is offered.
    pub softlocks: Vec<Option<State>>,
    /// For each node, whether some turn arrives there after a sharp drop of
    /// trust, so that its `after_drop` can be said.
    pub sharp_drops: Vec<bool>,
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
    let n = scenario.nodes().len();
    let mut a = Analysis {
        states: 0,
        stopped: None,
        nodes: vec![None; n],
        distress: vec![None; n],
        endings: vec![None; scenario.endings().len()],
        variants: scenario.endings().iter().map(|e| vec![false; e.variants.len()]).collect(),
        offered: scenario.nodes().iter().map(|node| vec![false; node.choices.len()]).collect(),
        softlocks: vec![None; n],
        sharp_drops: vec![false; n],
        best: None,
        worst: None,
    };
    // The state graph, in breadth-first order: `targets[first[i]..first[i + 1]]`
    // are the states that state `i` leads to, by the choices at the same
    // places of `picks`, each worth what `worths` says (before any bound).
    let mut states: Vec<Packed> = Vec::new();
    let mut first: Vec<u32> = Vec::new();
    let (mut targets, mut picks, mut worths): (Vec<u32>, Vec<u8>, Vec<i16>) = (Vec::new(), Vec::new(), Vec::new());
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
            if let Some(v) = scenario.endings()[e].variant(trust, state.flags) {
                a.variants[e][v] = true;
            }
        } else if let Some(node) = state.node() {
            widen(&mut a.nodes[node], trust);
            widen(&mut a.distress[node], i32::from(state.distress));
            let mut any = false;
            for i in state.offered(scenario) {
                any = true;
                a.offered[node][i] = true;
                let (next, effect) = step(scenario, &state, i);
                if let Some(m) = next.node()
                    && effect.before - effect.after >= scenario.sharp_drop()
                {
                    a.sharp_drops[m] = true;
                }
                targets.push(index.insert(&mut states, Packed::of(&next)));
                picks.push(i as u8);
                worths.push(effect.worth().clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16);
            }
            if !any && !scenario.nodes()[node].choices.is_empty() && a.softlocks[node].is_none() {
                a.softlocks[node] = Some(state);
            }
            let bytes = states.capacity() * size_of::<Packed>() + index.bytes() + first.capacity() * 4 + targets.capacity() * 4 + picks.capacity() + worths.capacity() * 2;
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
    first.resize(states.len() + 1, targets.len() as u32);
    a.states = states.len();
    let graph = Graph { scenario, states: &states, first: &first, targets: &targets, picks: &picks, worths: &worths };
    let order = graph.postorder();
    // The best path has the largest sum of worths, then the fewest
    // roadblocks; the worst the fewest responses that are not roadblocks,
    // then the smallest sum. Then the higher (lower) final trust.
    a.best = graph.path(&order, true, |k| k == Kind::Roadblock);
    if worst {
        a.worst = graph.path(&order, false, |k| k != Kind::Roadblock);
    }
    a
}

struct Graph<'a> {
    scenario: &'a Scenario,
    states: &'a [Packed],
    first: &'a [u32],
    targets: &'a [u32],
    picks: &'a [u8],
    worths: &'a [i16],
}

impl Graph<'_> {
    fn edges(&self, at: usize) -> std::ops::Range<usize> {
        self.first[at] as usize..self.first[at + 1] as usize
    }

    /// Each state's position in a depth-first postorder from the start (all
    /// states are reached from it). An edge to a state later in this order
    /// closes a cycle; leaving those out makes the graph acyclic, and a
    /// scenario without cycles loses nothing.
    fn postorder(&self) -> Vec<u32> {
        let n = self.states.len();
        let mut post = vec![u32::MAX; n];
        let mut entered = vec![false; n];
        let mut count = 0u32;
        let mut stack: Vec<(u32, u32)> = vec![(0, self.first[0])];
        entered[0] = true;
        while let Some(&mut (at, ref mut edge)) = stack.last_mut() {
            let end = self.first[at as usize + 1];
            if *edge < end {
                let to = self.targets[*edge as usize];
                *edge += 1;
                if !entered[to as usize] {
                    entered[to as usize] = true;
                    stack.push((to, self.first[to as usize]));
                }
            } else {
                post[at as usize] = count;
                count += 1;
                stack.pop();
            }
        }
        post
    }

    /// The path from the start to an ending that `better` prefers (the best
    /// when `most`, else the worst), counting the responses whose kind
    /// `avoid` picks out; on a full tie, the choice authored first.
    fn path(&self, post: &[u32], most: bool, avoid: impl Fn(Kind) -> bool) -> Option<Path> {
        let n = self.states.len();
        // Per state: (sum, responses of `avoid`, final trust) of its best
        // way on, and the edge that starts it.
        let mut value: Vec<Option<(i32, u32, u8)>> = vec![None; n];
        let mut via = vec![u32::MAX; n];
        // States by postorder (no sort: it would add kilobytes to the learner's download).
        let mut order = vec![u32::MAX; n];
        for (i, &p) in post.iter().enumerate() {
            if p != u32::MAX {
                order[p as usize] = i as u32;
            }
        }
        order.retain(|&i| i != u32::MAX);
        // The best: the largest sum, then the fewest roadblocks, then the
        // highest trust. The worst: the fewest responses that are not
        // roadblocks, then the smallest sum, then the lowest trust. (A sum
        // alone can prefer building trust, or a neutral question, to reach a
        // moment where a roadblock costs double; the worst path is made of
        // roadblocks wherever one is offered.)
        let better = |a: (i32, u32, u8), b: (i32, u32, u8)| {
            if most { (a.0, b.1, a.2) > (b.0, a.1, b.2) } else { (a.1, a.0, a.2) < (b.1, b.0, b.2) }
        };
        for &at in &order {
            let at = at as usize;
            let state = self.states[at].state();
            let Some(node) = state.node() else {
                value[at] = Some((0, 0, state.trust));
                continue;
            };
            for e in self.edges(at) {
                let to = self.targets[e] as usize;
                if post[to] >= post[at] {
                    continue;
                }
                let Some((sum, count, trust)) = value[to] else { continue };
                let skill = self.scenario.nodes()[node].choices[usize::from(self.picks[e])].skill;
                let here = (sum + i32::from(self.worths[e]), count + u32::from(avoid(skill.kind())), trust);
                if value[at].is_none_or(|v| better(here, v)) {
                    value[at] = Some(here);
                    via[at] = e as u32;
                }
            }
        }
        let (sum, _, trust) = value[0]?;
        let mut steps = Vec::new();
        let mut at = 0;
        while via[at] != u32::MAX {
            let e = via[at] as usize;
            steps.push((self.states[at].state().node().unwrap_or(0), usize::from(self.picks[e])));
            at = self.targets[e] as usize;
        }
        Some(Path { steps, ending: self.states[at].state().ending().unwrap_or(0), trust: i32::from(trust), sum })
    }
}

fn widen(range: &mut Option<Range>, trust: i32) {
    *range = Some(match *range {
        None => Range { min: trust, max: trust },
        Some(r) => Range { min: r.min.min(trust), max: r.max.max(trust) },
    });
}

/// A [`State`] in 24 bytes: the flags; then the place (31 bits and
/// whether it is an ending), trust, distress, the repeat count, the question
/// streak, the rupture and the warning; then the opening and where to go
/// back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Packed([u64; 3]);

impl Packed {
    fn of(s: &State) -> Packed {
        let place = match s.place {
            Place::Node(n) => u64::from(n) << 1,
            Place::Ending(e) => u64::from(e) << 1 | 1,
        };
        let back = match s.back {
            None => 0,
            Some(Target::Node(n)) => (n as u64) << 2 | 1,
            Some(Target::Ending(e)) => (e as u64) << 2 | 2,
            Some(Target::Back) => 3,
        };
        let word = place | u64::from(s.trust) << 32 | u64::from(s.distress) << 40 | u64::from(s.repeats) << 48 | u64::from(s.questions) << 51 | u64::from(s.rupture) << 54 | u64::from(s.warned) << 55;
        Packed([s.flags, word, u64::from(s.opening) | back << 16])
    }

    fn state(&self) -> State {
        let bits = |word: u64, from: u32, width: u32| (word >> from) & ((1 << width) - 1);
        let [flags, word, more] = self.0;
        let place = bits(word, 0, 32) as u32;
        let back = more >> 16;
        State {
            place: if place & 1 == 0 { Place::Node(place >> 1) } else { Place::Ending(place >> 1) },
            trust: bits(word, 32, 8) as u8,
            distress: bits(word, 40, 8) as u8,
            flags,
            opening: bits(more, 0, 16) as u16,
            repeats: bits(word, 48, 3) as u8,
            questions: bits(word, 51, 3) as u8,
            rupture: bits(word, 54, 1) == 1,
            warned: bits(word, 55, 1) == 1,
            back: match back & 3 {
                0 => None,
                1 => Some(Target::Node((back >> 2) as usize)),
                2 => Some(Target::Ending((back >> 2) as usize)),
                _ => Some(Target::Back),
            },
        }
    }

    /// A fast hash whose high bits (the index takes those) depend on every
    /// bit of the state: each word is mixed before the next joins it, so no
    /// arrangement of flags and places (which an author chooses) lines
    /// states up on the same slots; SipHash would double the search time.
    fn hash(&self) -> u64 {
        let [a, b, c] = self.0;
        ((a.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b).wrapping_mul(0xd6e8_feb8_6659_fd93) ^ c).wrapping_mul(0xa076_1d64_78bd_642f)
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

    fn at(place: Place) -> State {
        State { place, trust: 0, distress: 0, flags: 0, opening: 0, repeats: 0, questions: 0, rupture: false, warned: false, back: None }
    }

    #[test]
    fn packed_states_unpack_to_themselves() {
        let states = [
            at(Place::Node(0)),
            State { trust: 100, distress: 100, flags: u64::MAX, opening: u16::MAX, repeats: 4, questions: 5, rupture: true, warned: true, back: Some(Target::Ending(7)), ..at(Place::Ending(7)) },
            State { trust: 37, distress: 61, flags: 1 << 63 | 5, opening: 1, repeats: 1, questions: 2, back: Some(Target::Node(u32::MAX as usize >> 1)), ..at(Place::Node(u32::MAX >> 1)) },
            State { rupture: true, back: Some(Target::Back), ..at(Place::Node(3)) },
        ];
        for s in states {
            assert_eq!(Packed::of(&s).state(), s);
        }
        assert_ne!(Packed::of(&states[0]), Packed::of(&State { flags: 1, ..states[0] }));
        assert_ne!(Packed::of(&states[0]), Packed::of(&State { warned: true, ..states[0] }));
    }

    #[test]
    fn the_index_finds_every_state_once() {
        let (mut index, mut states) = (Index::default(), Vec::new());
        for round in 0..2 {
            for n in 0..5_000u32 {
                let s = State { trust: (n % 101) as u8, flags: u64::from(n / 50), ..at(Place::Node(n % 50)) };
                assert_eq!(index.insert(&mut states, Packed::of(&s)), n, "round {round}");
            }
        }
        assert_eq!(states.len(), 5_000);
    }
}
