//! The checked scenario: the only form of a scenario the engine accepts.
//!
//! The model, the bottom layer: it names nothing above it. Checking
//! ([`crate::checking`], the authors' builds only) makes a [`Scenario`] from
//! source text, and the compiled reader ([`crate::compiled`]) from what
//! checking wrote. Its fields are this module's own: both makers go through
//! [`Scenario::new`], which works out whatever follows from the nodes, and
//! once made a scenario never changes. One exists only when no error was
//! found, so the engine never meets a dangling id, an out-of-range threshold
//! or an unknown skill. (Rust cannot name two modules as the only callers of
//! `new`, so it is the crate's; code outside the crate cannot make one.)

use serde::Serialize;

use crate::skill::Skill;

/// Trust and distress are levels from 0 to this.
pub const MAX_LEVEL: i32 = 100;
/// Flags, including the implicit "visited" flags, fit one `u64` of state.
pub const MAX_FLAGS: usize = 64;
/// A choice's position is one base-36 digit in a save.
pub const MAX_CHOICES: usize = 36;
/// A scenario file may be at most this large: anything bigger is refused
/// before it is parsed, so no file can make checking it exhaust memory. The
/// library's are 20 to 40 KB; a generated benchmark of 10,000 nodes is 5.6 MB.
pub const MAX_SOURCE_BYTES: usize = 8 << 20;

/// Says that a file of `len` bytes is over [`MAX_SOURCE_BYTES`]: checking's E023 and the
/// compiled reader's refusal, in the same words.
pub fn too_large_words(len: usize) -> String {
    format!("the file is {} KiB, more than the {} KiB a scenario may be", len.div_ceil(1024), MAX_SOURCE_BYTES >> 10)
}

#[derive(Clone, Debug, Serialize)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub language: String,
    pub summary: String,
    pub objectives: Vec<String>,
    pub minutes: u32,
    /// Where the scenario sits on the library's path.
    pub level: Level,
    /// Its place among the scenarios of its level, lower first, if the author gave one.
    pub order: Option<u32>,
    pub content_notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Peer {
    pub name: String,
    pub pronouns: Option<String>,
    pub background: Option<String>,
    pub trust: i32,
    pub distress: i32,
}

/// A checked scenario. Only the crate can make one, and nothing can change
/// one: code outside reads it through accessors, so neither of these
/// compiles.
///
/// ```compile_fail
/// fn restart(sc: &mut attunement::Scenario) {
///     sc.start = 0;
/// }
/// ```
///
/// ```compile_fail
/// use attunement::scenario::{Found, Parts, Scenario};
///
/// fn remake(sc: &Scenario, parts: Parts) -> Scenario {
///     Scenario::new(parts, |_| Found { settled: sc.settled().to_vec(), hash: sc.hash() })
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Scenario {
    meta: Meta,
    peer: Peer,
    /// Trust effect of each skill for this peer, indexed by [`Skill::index`].
    profile: [i32; Skill::ALL.len()],
    floor: i32,
    acute: i32,
    /// A turn that costs at least this much trust is a sharp drop: the node
    /// it leads to says its `after_drop` first.
    sharp_drop: i32,
    start: usize,
    nodes: Vec<Node>,
    endings: Vec<Ending>,
    /// The ending a fall below the floor leads to; absent only when the
    /// floor is 0, since trust cannot fall below that.
    disengaged: Option<usize>,
    /// The node of the warning beat: where the first fall below the floor
    /// leads, when the peer does not walk out at once.
    leaving: Option<usize>,
    /// The score a pass needs, 0 to 100.
    pass: i32,
    /// The choices that carry a consequence for later, as (node, choice).
    laters: Vec<(usize, usize)>,
    /// The bits of the consequences that can no longer land once the
    /// conversation is at each node (their `at` cannot be reached from it):
    /// the step clears them, so that a debt that will never be paid does
    /// not split the states the analysis explores.
    settled: Vec<u64>,
    /// The bits of every consequence's debt.
    owed: u64,
    /// Whether any choice is a repair: only then is a rupture remembered.
    repairs: bool,
    /// Flag names by bit, for messages: an author's flag by its name, the
    /// engine's record of a visit as `visited:NODE` (a name no author flag
    /// may have).
    flags: Vec<String>,
    /// A hash of everything that affects play, so a save can tell whether the
    /// scenario changed under it. Wording of feedback and endings is left out.
    hash: u64,
}

/// What a maker of a [`Scenario`] gives it: everything but what follows from
/// the nodes, which [`Scenario::new`] works out itself.
pub(crate) struct Parts {
    pub meta: Meta,
    pub peer: Peer,
    pub profile: [i32; Skill::ALL.len()],
    pub floor: i32,
    pub acute: i32,
    pub sharp_drop: i32,
    pub start: usize,
    pub nodes: Vec<Node>,
    pub endings: Vec<Ending>,
    pub disengaged: Option<usize>,
    pub leaving: Option<usize>,
    pub pass: i32,
    pub flags: Vec<String>,
}

/// What checking finds in a built scenario by searching its graph and
/// hashing it: lowering works it out, and the compiled form carries it so
/// that the reader need not search again.
pub(crate) struct Found {
    /// One entry for each node: see [`Scenario::settled`].
    pub settled: Vec<u64>,
    pub hash: u64,
}

/// A scenario as sessions play it: the checked model, and what the analysis
/// found that play needs (whether it explored every state, and the best
/// path, which the debrief's score and comparison measure against). Only
/// checking and the compiled reader make one; it reads as its scenario.
#[derive(Clone, Debug)]
pub struct Playable {
    scenario: Scenario,
    best: Option<Path>,
    analysed: bool,
}

impl Playable {
    pub(crate) fn new(scenario: Scenario, best: Option<Path>, analysed: bool) -> Playable {
        Playable { scenario, best, analysed }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The path to the highest final trust, when the analysis was complete.
    pub fn best(&self) -> Option<&Path> {
        self.best.as_ref()
    }

    /// Whether the analysis explored every state, so that reachability and
    /// soft-locks were checked; only such a scenario may reach a learner.
    pub fn is_analysed(&self) -> bool {
        self.analysed
    }
}

impl std::ops::Deref for Playable {
    type Target = Scenario;

    fn deref(&self) -> &Scenario {
        &self.scenario
    }
}

#[derive(Clone, Debug)]
pub struct Node {
    pub id: String,
    pub say: String,
    pub cue: Option<String>,
    /// What the peer says first after a sharp drop, before `say`.
    pub after_drop: Option<String>,
    pub disclosure: bool,
    /// The peer shows a warning sign of suicide here.
    pub warning_signs: bool,
    pub gate: Option<Gate>,
    pub distress: i32,
    pub choices: Vec<Choice>,
    /// The flag bit set on entering, when some condition asks about visits.
    pub visit_flag: Option<u8>,
    /// The openings its choices have (none of them 0): a streak of any
    /// other opening ends here, whatever the learner picks.
    pub openings: Vec<u16>,
    /// Whether any of its choices is a question: if none, a question
    /// streak ends here.
    pub asks: bool,
}

impl Node {
    /// The nodes this one can lead to: its choices' `next` nodes, and its
    /// gate's `otherwise`.
    pub fn links(&self) -> impl Iterator<Item = usize> + '_ {
        self.choices.iter().filter_map(|c| if let Target::Node(n) = c.next { Some(n) } else { None }).chain(self.gate.map(|g| g.otherwise))
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Gate {
    pub trust: i32,
    pub otherwise: usize,
}

#[derive(Clone, Debug)]
pub struct Choice {
    pub id: String,
    pub text: String,
    pub skill: Skill,
    pub trust: Option<i32>,
    pub feedback: Option<String>,
    pub next: Target,
    pub when: Condition,
    pub set: u64,
    pub clear: u64,
    pub distress: i32,
    /// How the response opens, for the parroting rule: an index into the
    /// scenario's distinct openings plus one, or 0 for none.
    pub opening: u16,
    /// A consequence that lands later.
    pub later: Option<Later>,
    /// A hash of the id (or, for a choice without one, its text) below
    /// [`crate::engine::save::FINGERPRINTS`], so a save can tell that the
    /// choice at a position is still the one the learner picked.
    pub fingerprint: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Node(usize),
    Ending(usize),
    /// Back to where the conversation was going when the peer nearly left
    /// (only in the `leaving` node).
    Back,
}

/// A consequence that lands when the conversation reaches `at`, if the
/// choice that carries it was taken: its flag bit remembers that it is owed.
#[derive(Clone, Debug)]
pub struct Later {
    pub at: Target,
    pub trust: i32,
    pub feedback: String,
    pub bit: u8,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Condition {
    pub trust_min: Option<i32>,
    pub trust_max: Option<i32>,
    /// Bits that must all be set.
    pub all: u64,
    /// Bits that must all be clear.
    pub none: u64,
}

impl Condition {
    pub fn holds(&self, trust: i32, flags: u64) -> bool {
        self.trust_min.is_none_or(|m| trust >= m) && self.trust_max.is_none_or(|m| trust <= m) && flags & self.all == self.all && flags & self.none == 0
    }

    pub fn is_always(&self) -> bool {
        *self == Condition::default()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Ending {
    pub id: String,
    pub outcome: Outcome,
    pub title: String,
    pub say: Option<String>,
    pub text: String,
    pub next_time: Option<String>,
    #[serde(skip)]
    pub variants: Vec<Variant>,
}

/// A version of an ending's text for the paths where `when` holds.
#[derive(Clone, Debug)]
pub struct Variant {
    pub when: Condition,
    pub text: Option<String>,
    pub next_time: Option<String>,
}

impl Ending {
    /// The variant that applies with this final trust and these flags: the
    /// first whose condition holds.
    pub fn variant(&self, trust: i32, flags: u64) -> Option<usize> {
        self.variants.iter().position(|v| v.when.holds(trust, flags))
    }

    /// The ending's account and its advice for next time, as the path
    /// that reached it with this trust and these flags reads them.
    pub fn account(&self, trust: i32, flags: u64) -> (&str, Option<&str>) {
        let v = self.variant(trust, flags).map(|v| &self.variants[v]);
        let text = v.and_then(|v| v.text.as_deref()).unwrap_or(&self.text);
        let next_time = v.and_then(|v| v.next_time.as_deref()).or(self.next_time.as_deref());
        (text, next_time)
    }
}

/// The kind of outcome an ending is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Breakthrough,
    Connected,
    Unresolved,
    Disengaged,
    Referred,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [Outcome::Breakthrough, Outcome::Connected, Outcome::Unresolved, Outcome::Disengaged, Outcome::Referred];

    /// Whether reaching an ending of this outcome can pass (the score decides too).
    pub fn is_passing(self) -> bool {
        matches!(self, Outcome::Breakthrough | Outcome::Connected | Outcome::Referred)
    }

    pub fn id(self) -> &'static str {
        match self {
            Outcome::Breakthrough => "breakthrough",
            Outcome::Connected => "connected",
            Outcome::Unresolved => "unresolved",
            Outcome::Disengaged => "disengaged",
            Outcome::Referred => "referred",
        }
    }

    pub fn from_id(id: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.id() == id)
    }
}

/// How far along the library's path a scenario sits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// A first scenario: a guarded peer, one skill at a time.
    Introductory,
    /// The default.
    #[default]
    Intermediate,
    /// Crisis work: warning signs, an overdose, acute risk.
    Advanced,
}

impl Level {
    /// In the library's order: introductory first.
    pub const ALL: [Level; 3] = [Level::Introductory, Level::Intermediate, Level::Advanced];

    pub fn id(self) -> &'static str {
        match self {
            Level::Introductory => "introductory",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }
}

/// A path through the scenario: the picks, where it ends, the final trust,
/// and the sum of its responses' worth before any bound (with the
/// consequences that landed), which is what the learner's skill is measured by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    /// (node, choice) by authored index.
    pub steps: Vec<(usize, usize)>,
    pub ending: usize,
    pub trust: i32,
    pub sum: i32,
}

impl Scenario {
    /// Makes the model from its parts. What follows from the nodes alone
    /// (each node's openings and questions, the delayed consequences, the
    /// debt they make, whether any choice is a repair) is worked out here, so
    /// no maker can get it wrong; then `find` is asked, with the scenario
    /// built so far, for what checking finds in it. Only checking and the
    /// compiled reader call this.
    pub(crate) fn new(parts: Parts, find: impl FnOnce(&Scenario) -> Found) -> Scenario {
        let Parts { meta, peer, profile, floor, acute, sharp_drop, start, mut nodes, endings, disengaged, leaving, pass, flags } = parts;
        for node in &mut nodes {
            node.asks = node.choices.iter().any(|c| c.skill.is_question());
            let mut openings: Vec<u16> = node.choices.iter().map(|c| c.opening).filter(|&o| o != 0).collect();
            openings.dedup();
            node.openings = openings;
        }
        let choices = || nodes.iter().flat_map(|n| &n.choices);
        let repairs = choices().any(|c| c.skill == Skill::Repair);
        let owed = choices().filter_map(|c| c.later.as_ref()).fold(0, |bits, l| bits | 1 << l.bit);
        let laters = nodes.iter().enumerate().flat_map(|(n, node)| node.choices.iter().enumerate().filter(|(_, c)| c.later.is_some()).map(move |(c, _)| (n, c))).collect();
        let mut scenario = Scenario { meta, peer, profile, floor, acute, sharp_drop, start, nodes, endings, disengaged, leaving, pass, laters, settled: Vec::new(), owed, repairs, flags, hash: 0 };
        let Found { settled, hash } = find(&scenario);
        debug_assert_eq!(settled.len(), scenario.nodes.len(), "one settled entry for each node");
        scenario.settled = settled;
        scenario.hash = hash;
        scenario
    }

    /// The same scenario with another threshold of acute distress, for a unit
    /// test that needs thresholds no source would check with.
    #[cfg(test)]
    pub(crate) fn with_acute(&self, acute: i32) -> Scenario {
        Scenario { acute, ..self.clone() }
    }

    // Read-only access: the fields are the model's own, so that a scenario,
    // once made, never changes.
    /// The metadata: id, title, language, summary, level and notes.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The peer: name, pronouns, background, starting trust and distress.
    pub fn peer(&self) -> &Peer {
        &self.peer
    }

    pub fn profile(&self) -> &[i32; Skill::ALL.len()] {
        &self.profile
    }

    pub fn floor(&self) -> i32 {
        self.floor
    }

    pub fn acute(&self) -> i32 {
        self.acute
    }

    pub fn sharp_drop(&self) -> i32 {
        self.sharp_drop
    }

    pub fn start(&self) -> usize {
        self.start
    }

    /// The decision points, in authored order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The endings, in authored order.
    pub fn endings(&self) -> &[Ending] {
        &self.endings
    }

    pub fn disengaged(&self) -> Option<usize> {
        self.disengaged
    }

    pub fn leaving(&self) -> Option<usize> {
        self.leaving
    }

    pub fn pass(&self) -> i32 {
        self.pass
    }

    pub fn laters(&self) -> &[(usize, usize)] {
        &self.laters
    }

    pub fn settled(&self) -> &[u64] {
        &self.settled
    }

    pub fn owed(&self) -> u64 {
        self.owed
    }

    pub fn repairs(&self) -> bool {
        self.repairs
    }

    pub fn flags(&self) -> &[String] {
        &self.flags
    }

    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// Whether the peer is in acute distress at this level of distress: at
    /// or above the scenario's `acute` threshold, and never at distress 0,
    /// since a calm peer is not distressed whatever the threshold (`acute =
    /// 0` means any distress at all is acute).
    pub fn is_acute(&self, distress: i32) -> bool {
        distress > 0 && distress >= self.acute
    }

    /// Whether distress is raised (half the acute threshold or more, and
    /// above 0) without being acute: the peer is uneasy or wary.
    pub fn is_raised(&self, distress: i32) -> bool {
        distress > 0 && distress * 2 >= self.acute && !self.is_acute(distress)
    }

    pub fn node(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }
}
