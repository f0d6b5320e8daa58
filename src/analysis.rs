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

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;

use crate::engine::{State, step};
use crate::scenario::Scenario;
use crate::skill::Kind;

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

/// The whole analysis, best and worst paths included.
pub fn analyze(scenario: &Scenario) -> Analysis {
    explore(scenario, MAX_STATES, true)
}

/// Explores up to `limit` states; the worst path, which validation does not
/// need, is searched for only when asked.
pub fn explore(scenario: &Scenario, limit: usize, worst: bool) -> Analysis {
    let n = scenario.nodes.len();
    let mut a = Analysis {
        states: 0,
        complete: true,
        nodes: vec![None; n],
        distress: vec![None; n],
        endings: vec![None; scenario.endings.len()],
        offered: scenario.nodes.iter().map(|node| vec![false; node.choices.len()]).collect(),
        softlocks: vec![None; n],
        best: None,
        worst: None,
    };
    // The state graph, in breadth-first order: `edges[first[i]..first[i + 1]]`
    // are the (target, choice) pairs leaving state `i`.
    let mut states: Vec<State> = Vec::new();
    let mut first: Vec<u32> = Vec::new();
    let mut edges: Vec<(u32, u8)> = Vec::new();
    let mut index: HashMap<State, u32, BuildHasherDefault<Fx>> = HashMap::default();
    let start = State::start(scenario);
    index.insert(start, 0);
    states.push(start);

    let mut at = 0;
    while at < states.len() {
        first.push(edges.len() as u32);
        let state = states[at];
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
                let fresh = states.len() as u32;
                let target = *index.entry(next).or_insert(fresh);
                if target == fresh {
                    states.push(next);
                }
                edges.push((target, i as u8));
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
    first.resize(states.len() + 1, edges.len() as u32);
    a.states = states.len();
    let graph = Graph { scenario, states: &states, first: &first, edges: &edges };
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
    edges: &'a [(u32, u8)],
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
            for &(to, choice) in &self.edges[self.first[at] as usize..self.first[at + 1] as usize] {
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
