//! Resolves the authoring shapes into the checked model.
//!
//! Ids become indices, flags become bits, defaults are filled in, and every
//! local problem (a range, a duplicate, a dangling reference) becomes a
//! diagnostic. Problems that need the whole graph (reachability, soft-locks)
//! are left to `validate`, which runs only when lowering found no error.

use std::collections::{HashMap, HashSet};

use super::syntax::{ChoiceSyntax, ConditionSyntax, ScenarioFile};
use super::value::Spanned;
use crate::scenario::*;
use crate::skill::Skill;
use crate::diagnostic::{Diagnostic, Span, Suggestions, quoted};
use crate::hash::Fnv;

/// Where things are in the source, for the whole-graph checks.
#[derive(Default)]
pub struct Spans {
    pub file: Span,
    pub nodes: Vec<Span>,
    /// For each node, its `after_drop` line, if it has one.
    pub after_drops: Vec<Option<Span>>,
    /// For each node, for each choice: the choice itself and its `when`.
    pub choices: Vec<Vec<(Span, Option<Span>)>>,
    pub endings: Vec<Span>,
    /// For each ending, its variants.
    pub variants: Vec<Vec<Span>>,
}

/// Node, ending, choice and flag names are at most this long.
pub const MAX_NAME: usize = 64;
const DEFAULT_FLOOR: i64 = 10;
const DEFAULT_ACUTE: i64 = 60;
const DEFAULT_PASS: i32 = 60;
/// A roadblock costs about 5 to 8 with most peers; 8 or more in one turn is
/// one the peer would remark on.
const DEFAULT_SHARP_DROP: i32 = 8;
/// The `next` of a choice in the `leaving` node that returns to where the
/// conversation was going.
pub const BACK: &str = "@back";

/// Lowers a scenario file; `None` when any error was found, here or while
/// reading the file, so that validation never reports the echo of a typo.
pub fn lower(file: &ScenarioFile, out: &mut Vec<Diagnostic>) -> Option<(Scenario, Spans)> {
    let mut cx = Lower { out, flags: Vec::new(), flag_bits: HashMap::new(), names: Vec::new(), ids: HashMap::new(), nodes: 0, suggestions: Suggestions::new(), openings: HashMap::new(), leaving: None };

    let id = &file.id;
    if id.value.is_empty() || id.value.len() > MAX_NAME || !id.value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        cx.out.push(
            Diagnostic::error("E017", id.span, format!("invalid scenario id `{}`", quoted(&id.value)))
                .hint("use 1 to 64 lowercase letters, digits and dashes, such as `first-meeting`"),
        );
    }
    let language = match &file.language {
        Some(tag) if !is_language_tag(&tag.value) => {
            cx.out.push(
                Diagnostic::error("E024", tag.span, format!("invalid language tag `{}`", quoted(&tag.value)))
                    .hint("use a BCP 47 language tag, such as `en`, `es-419`, `pt-BR` or `zh-Hant`"),
            );
            String::new()
        }
        Some(tag) => tag.value.clone(),
        None => "en".into(),
    };
    let minutes = cx.range(&file.minutes, 1, 240, "estimated minutes");
    let order = file.order.as_ref().map(|o| cx.range(o, 1, 999, "library order") as u32);
    let trust = cx.range(&file.peer.trust, 0, 100, "starting trust");
    let distress = file.peer.distress.as_ref().map_or(0, |d| cx.range(d, 0, 100, "starting distress"));

    let mut profile = Skill::ALL.map(Skill::default_effect);
    let mut seen = [false; Skill::ALL.len()];
    for (skill, effect) in file.profile.as_ref().map_or(&[][..], |p| &p.0[..]) {
        if std::mem::replace(&mut seen[skill.value.index()], true) {
            cx.out.push(Diagnostic::error("E005", skill.span, format!("duplicate skill `{}` in profile", skill.value)));
        }
        profile[skill.value.index()] = cx.range(effect, -50, 50, "trust effect");
    }

    let thresholds = file.thresholds.as_ref();
    let floor_span = thresholds.and_then(|t| t.floor.as_ref()).map(|f| f.span);
    let floor = thresholds.and_then(|t| t.floor.as_ref()).map_or(DEFAULT_FLOOR as i32, |f| cx.range(f, 0, 100, "disengagement floor"));
    let acute = thresholds.and_then(|t| t.acute.as_ref()).map_or(DEFAULT_ACUTE as i32, |a| cx.range(a, 0, 100, "acute distress level"));
    if trust < floor {
        cx.out.push(
            Diagnostic::error("E013", floor_span.unwrap_or(file.peer.trust.span), format!("starting trust {trust} is below the disengagement floor {floor}"))
                .hint("the peer would leave before saying a word: lower the floor or raise the starting trust"),
        );
    }
    let gates: Vec<(String, i32)> = thresholds
        .and_then(|t| t.gates.as_ref())
        .map(|g| g.0.iter().map(|(name, level)| (name.value.clone(), cx.range(level, 0, 100, "disclosure gate"))).collect())
        .unwrap_or_default();
    let gate_levels: HashMap<&str, i32> = gates.iter().map(|(name, level)| (name.as_str(), *level)).collect();

    // Nodes and endings share one namespace, so that `next` is unambiguous.
    for n in &file.node {
        cx.declare(&n.id, true);
    }
    for e in &file.ending {
        cx.declare(&e.id, false);
    }
    let node_count = file.node.len();
    if node_count == 0 {
        cx.out.push(Diagnostic::error("E019", Span::new(0, 1), "scenario has no nodes").hint("add a `[[node]]` with what the peer says first"));
    }
    let disengaged = file.ending.iter().position(|e| e.outcome.value == Outcome::Disengaged);
    if file.ending.is_empty() {
        cx.out.push(Diagnostic::error("E014", Span::new(0, 1), "scenario has no endings").hint("add an `[[ending]]` for each way the conversation can end"));
    } else if disengaged.is_none() && floor > 0 {
        cx.out.push(
            Diagnostic::error("E014", floor_span.unwrap_or(Span::new(0, 1)), "scenario has no ending with outcome `disengaged`")
                .hint(format!("add an `[[ending]]` with `outcome = \"disengaged\"`: it is where the talk ends when trust falls below the floor of {floor}")),
        );
    }
    let start = match &file.start {
        Some(s) => cx.node(s),
        None => Some(0),
    };
    let pass = thresholds.and_then(|t| t.pass.as_ref()).map_or(DEFAULT_PASS, |p| cx.range(p, 0, 100, "pass score"));
    let sharp_drop = thresholds.and_then(|t| t.sharp_drop.as_ref()).map_or(DEFAULT_SHARP_DROP, |d| cx.range(d, 1, 100, "sharp drop"));
    let walks_out = thresholds.and_then(|t| t.walks_out).unwrap_or(false);
    let leaving = file.leaving.as_ref().and_then(|l| cx.node(l));
    cx.leaving = leaving;
    match (&file.leaving, walks_out) {
        (Some(l), true) => cx.out.push(
            Diagnostic::error("E026", l.span, "`leaving` and `walks_out = true` contradict each other")
                .hint("a peer either warns that they are about to go (`leaving`) or walks out at once (`walks_out = true`): keep one"),
        ),
        (None, false) if floor > 0 && disengaged.is_some() => cx.out.push(
            Diagnostic::warning("W006", floor_span.unwrap_or(file.peer.trust.span), "the peer walks out the first time trust falls below the floor, without a warning")
                .hint("add `leaving = \"NODE\"`, a node where they say they are about to go and a repair can bring them back; or say `walks_out = true` under `[thresholds]` for a peer who goes at once"),
        ),
        _ => {}
    }
    if let (Some(l), Some(s)) = (leaving, start)
        && l == s
    {
        cx.out.push(Diagnostic::error("E027", file.leaving.as_ref().map_or(Span::new(0, 1), |l| l.span), "the `leaving` node cannot be where the conversation starts").hint("the peer reaches it only by nearly leaving; start somewhere else"));
    }

    // Nodes that some condition asks about get a "visited" flag each, in a
    // namespace of their own: no author flag can name one.
    let conditions = file.node.iter().flat_map(|n| &n.choice).filter_map(|c| c.when.as_ref()).chain(file.ending.iter().flat_map(|e| &e.variant).map(|v| &v.when));
    let visited_ids: Vec<&Spanned<String>> = conditions.flat_map(|w| w.visited.iter().chain(&w.not_visited)).collect();
    let mut visit_flags = vec![None; node_count];
    for v in visited_ids {
        if let Some(n) = cx.node(v)
            && visit_flags[n].is_none()
        {
            visit_flags[n] = Some(cx.flag(Flag::Visited(n), v.span));
        }
    }

    let mut spans = Spans { file: file.span, ..Spans::default() };
    let mut nodes = Vec::with_capacity(node_count);
    for (ni, n) in file.node.iter().enumerate() {
        let gate = match (&n.gate, &n.otherwise) {
            (Some(g), Some(o)) => {
                let level = gate_levels.get(g.value.as_str()).copied();
                if level.is_none() {
                    let d = Diagnostic::error("E004", g.span, format!("unknown gate `{}`", quoted(&g.value)));
                    cx.out.push(match cx.suggestions.suggest(&g.value, gates.iter().map(|(n, _)| n.as_str())) {
                        Some(m) => d.hint(format!("did you mean `{m}`?")),
                        None => d.hint("declare it under `[thresholds.gates]`, such as `story = 50`"),
                    });
                }
                let otherwise = cx.node(o);
                if otherwise == Some(ni) {
                    cx.out.push(Diagnostic::error("E021", o.span, format!("node `{}` sends itself back to itself when its gate is closed", quoted(&n.id.value))).hint("point `otherwise` at a node where the peer holds back"));
                }
                level.zip(otherwise).map(|(trust, otherwise)| Gate { trust, otherwise })
            }
            (Some(g), None) => {
                cx.out.push(Diagnostic::error("E003", g.span, format!("missing field `otherwise` in node `{}`", quoted(&n.id.value))).hint("a gated node needs a node to go to when trust is below the gate"));
                None
            }
            (None, Some(o)) => {
                cx.out.push(Diagnostic::error("E021", o.span, format!("`otherwise` without `gate` in node `{}`", quoted(&n.id.value))).hint("add `gate = \"NAME\"` or remove `otherwise`"));
                None
            }
            (None, None) => None,
        };
        // Too many choices is reported before anything else about them, and
        // they are not read: the node is wrong whatever they say.
        let too_many = n.choice.len() > MAX_CHOICES;
        if too_many {
            cx.out.push(Diagnostic::error("E018", n.id.span, format!("node `{}` has {} choices", quoted(&n.id.value), n.choice.len())).hint(format!("a node may offer at most {MAX_CHOICES} choices")));
        }
        let listed = if too_many { &[][..] } else { &n.choice[..] };
        let mut choices = Vec::with_capacity(listed.len());
        let mut choice_spans = Vec::new();
        // Compare the ids choices will have, defaults included: an author's
        // `c2` must not shadow the second choice's default `c2`.
        let id_of = |i: usize, c: &ChoiceSyntax| c.id.as_ref().map_or_else(|| format!("c{}", i + 1), |id| id.value.clone());
        let mut ids = HashSet::with_capacity(listed.len());
        for (ci, c) in listed.iter().enumerate() {
            let id = id_of(ci, c);
            if let Some(given) = &c.id {
                cx.name(given, "choice id");
            }
            if !ids.insert(id.clone()) {
                let span = c.id.as_ref().map_or(c.span, |i| i.span);
                cx.out.push(
                    Diagnostic::error("E005", span, format!("duplicate choice id `{}` in node `{}`", quoted(&id), quoted(&n.id.value)))
                        .hint("a choice without an id is called `c1`, `c2`, ... by its position; give each choice its own id"),
                );
            }
            choice_spans.push((c.span, c.when.as_ref().map(|w| w.span)));
            if let Some(choice) = cx.choice(c, ci, ni, &n.id.value) {
                choices.push(choice);
            }
        }
        spans.nodes.push(n.id.span);
        spans.after_drops.push(n.after_drop.as_ref().map(|a| a.span));
        spans.choices.push(choice_spans);
        nodes.push(Node {
            id: n.id.value.clone(),
            say: n.say.clone(),
            cue: n.cue.clone(),
            after_drop: n.after_drop.as_ref().map(|a| a.value.clone()),
            disclosure: n.disclosure.unwrap_or(false),
            warning_signs: n.warning_signs.unwrap_or(false),
            gate,
            distress: n.distress.as_ref().map_or(0, |d| cx.range(d, -100, 100, "distress change")),
            choices,
            visit_flag: visit_flags[ni],
            openings: Vec::new(),
            asks: false,
        });
    }
    let endings = file
        .ending
        .iter()
        .map(|e| {
            spans.endings.push(e.id.span);
            spans.variants.push(e.variant.iter().map(|v| v.span).collect());
            let variants = e
                .variant
                .iter()
                .map(|v| {
                    if v.text.is_none() && v.next_time.is_none() {
                        cx.out.push(Diagnostic::error("E003", v.span, format!("variant of ending `{}` changes nothing", quoted(&e.id.value))).hint("give it a `text`, a `next_time`, or both"));
                    }
                    Variant { when: cx.condition(&v.when), text: v.text.clone(), next_time: v.next_time.clone() }
                })
                .collect();
            Ending { id: e.id.value.clone(), outcome: e.outcome.value, title: e.title.clone(), say: e.say.clone(), text: e.text.clone(), next_time: e.next_time.clone(), variants }
        })
        .collect();
    if cx.flags.len() > MAX_FLAGS {
        cx.out.push(Diagnostic::error("E022", cx.flags[MAX_FLAGS].1, format!("scenario uses {} flags, more than {MAX_FLAGS}", cx.flags.len())).hint("each flag counts once, and so does each node named in `visited` or `not_visited`"));
    }
    let flags = cx
        .flags
        .iter()
        .map(|(flag, _)| match flag {
            Flag::Author(name) => name.clone(),
            Flag::Visited(n) => format!("visited:{}", file.node[*n].id.value),
            Flag::Owed(n, c) => format!("later:{}/{}", file.node[*n].id.value, c),
        })
        .collect();

    let openings = cx.openings.len();
    if out.iter().any(Diagnostic::is_error) {
        return None;
    }
    // An opening that fewer than three choices share, none of them on a
    // cycle (where one choice can come round again), can never make three in
    // a row: it is dropped, so that it does not multiply the states the
    // analysis must explore.
    let component = components(&nodes);
    let mut uses = vec![0u32; openings + 1];
    for (n, node) in nodes.iter().enumerate() {
        for c in &node.choices {
            let again = matches!(c.next, Target::Node(m) if component[m] == component[n]);
            uses[usize::from(c.opening)] += if again { 3 } else { 1 };
        }
    }
    for c in nodes.iter_mut().flat_map(|n| &mut n.choices) {
        if uses[usize::from(c.opening)] < 3 {
            c.opening = 0;
        }
    }
    let parts = Parts {
        meta: Meta {
            id: id.value.clone(),
            title: file.title.clone(),
            language,
            summary: file.summary.clone(),
            objectives: file.objectives.clone(),
            minutes: minutes as u32,
            level: file.level.as_ref().map_or_else(Level::default, |l| l.value),
            order,
            content_notes: file.content_notes.clone(),
        },
        peer: Peer { name: file.peer.name.clone(), pronouns: file.peer.pronouns.clone(), background: file.peer.background.clone(), trust, distress },
        profile,
        floor,
        acute,
        sharp_drop,
        start: start?,
        nodes,
        endings,
        disengaged,
        leaving,
        pass,
        flags,
    };
    let scenario = Scenario::new(parts, |sc| Found { settled: settled(sc), hash: content_hash(sc) });
    Some((scenario, spans))
}

/// A flag as the engine keeps it: an author's, by name, or the engine's own
/// record of a visit to a node. The two never share a name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Flag {
    Author(String),
    Visited(usize),
    /// A consequence owed by the choice with this id at this node.
    Owed(usize, String),
}

struct Lower<'a> {
    out: &'a mut Vec<Diagnostic>,
    /// Flags by bit, with the span of their first mention.
    flags: Vec<(Flag, Span)>,
    flag_bits: HashMap<Flag, u8>,
    suggestions: Suggestions,
    /// Node and ending ids in file order, nodes first (duplicates included,
    /// so that positions match the file's lists).
    names: Vec<String>,
    /// Each id's first position in `names`.
    ids: HashMap<String, usize>,
    /// How many of `names` are nodes.
    nodes: usize,
    /// Each distinct opening, by its number (from 1).
    openings: HashMap<String, u16>,
    leaving: Option<usize>,
}

impl Lower<'_> {
    fn range(&mut self, n: &Spanned<i64>, min: i64, max: i64, what: &str) -> i32 {
        if n.value < min || n.value > max {
            self.out.push(Diagnostic::error("E013", n.span, format!("{what} {} is out of range", n.value)).hint(format!("use a value from {min} to {max}")));
            return n.value.clamp(min, max) as i32;
        }
        n.value as i32
    }

    fn declare(&mut self, id: &Spanned<String>, is_node: bool) {
        if self.ids.contains_key(&id.value) {
            self.out.push(Diagnostic::error("E005", id.span, format!("duplicate id `{}`", quoted(&id.value))).hint("nodes and endings share one set of ids; rename one of them"));
        } else if id.value.is_empty() {
            self.out.push(Diagnostic::error("E017", id.span, "empty id").hint("give every node and ending a short id, such as `opening`"));
        } else {
            self.name(id, "id");
        }
        self.ids.entry(id.value.clone()).or_insert(self.names.len());
        self.names.push(id.value.clone());
        self.nodes += usize::from(is_node);
    }

    fn target(&mut self, id: &Spanned<String>) -> Option<Target> {
        match self.ids.get(&id.value) {
            Some(&i) if i < self.nodes => Some(Target::Node(i)),
            Some(&i) => Some(Target::Ending(i - self.nodes)),
            None => {
                self.unknown("node or ending", id, true);
                None
            }
        }
    }

    fn node(&mut self, id: &Spanned<String>) -> Option<usize> {
        match self.ids.get(&id.value) {
            Some(&i) if i < self.nodes => Some(i),
            _ => {
                self.unknown("node", id, false);
                None
            }
        }
    }

    /// Reports a node, ending or choice id that is empty or longer than [`MAX_NAME`].
    fn name(&mut self, id: &Spanned<String>, what: &str) {
        if id.value.is_empty() {
            self.out.push(Diagnostic::error("E017", id.span, format!("empty {what}")).hint("give it a short id, such as `opening`, or leave it out"));
        } else if id.value.chars().count() > MAX_NAME {
            self.out.push(Diagnostic::error("E017", id.span, format!("{what} `{}` is too long", quoted(&id.value))).hint(format!("use at most {MAX_NAME} characters, such as `opening`")));
        }
    }

    fn unknown(&mut self, what: &str, id: &Spanned<String>, endings_too: bool) {
        let pool = if endings_too { &self.names[..] } else { &self.names[..self.nodes] };
        let d = Diagnostic::error("E004", id.span, format!("unknown {what} `{}`", quoted(&id.value)));
        let suggestion = self.suggestions.suggest(&id.value, pool.iter().map(String::as_str));
        self.out.push(match suggestion {
            Some(m) => d.hint(format!("did you mean `{m}`?")),
            None if endings_too => d.hint("`next` names a node or an ending of this scenario"),
            None => d.hint("name a node of this scenario"),
        });
    }

    /// The bit of a flag; past [`MAX_FLAGS`] every new flag shares the last
    /// bit, and E022 says so.
    fn flag(&mut self, flag: Flag, span: Span) -> u8 {
        if let Some(&bit) = self.flag_bits.get(&flag) {
            return bit;
        }
        let bit = self.flags.len().min(MAX_FLAGS - 1) as u8;
        self.flags.push((flag.clone(), span));
        self.flag_bits.insert(flag, bit);
        bit
    }

    /// The bits of an author's flags, each name checked.
    fn bits(&mut self, names: &[Spanned<String>]) -> u64 {
        let mut bits = 0;
        for n in names {
            if let Some(problem) = flag_problem(&n.value, n.span) {
                self.out.push(problem);
                continue;
            }
            bits |= 1 << self.flag(Flag::Author(n.value.clone()), n.span);
        }
        bits
    }

    /// The "visited" flags of known nodes; unknown ones were reported already.
    fn visit_bits(&mut self, names: &[Spanned<String>]) -> u64 {
        let mut bits = 0;
        for n in names {
            if let Some(&i) = self.ids.get(&n.value).filter(|&&i| i < self.nodes) {
                bits |= 1 << self.flag(Flag::Visited(i), n.span);
            }
        }
        bits
    }

    fn choice(&mut self, c: &ChoiceSyntax, index: usize, node: usize, node_id: &str) -> Option<Choice> {
        let next = if c.next.value == BACK {
            if self.leaving != Some(node) {
                self.out.push(
                    Diagnostic::error("E027", c.next.span, format!("`next = \"{BACK}\"` outside the `leaving` node, in node `{}`", quoted(node_id)))
                        .hint("only the node where the peer nearly leaves can send the conversation back to where it was going"),
                );
            }
            Some(Target::Back)
        } else {
            self.target(&c.next)
        };
        if let (Some(Target::Node(n)), Some(l)) = (next, self.leaving)
            && n == l
        {
            self.out.push(Diagnostic::error("E027", c.next.span, format!("choice leads to the `leaving` node `{}`", quoted(node_id))).hint("the peer reaches the leaving node only by nearly leaving, when trust falls below the floor; lead somewhere else"));
        }
        let opening = self.opening(c.opening.as_deref().map_or_else(|| first_words(&c.text, 2), |o| first_words(o, usize::MAX)));
        let later = c.later.as_ref().and_then(|l| {
            let at = self.target(&l.at);
            let trust = self.range(&l.trust, -50, 50, "later trust change");
            let owed = c.id.as_ref().map_or_else(|| format!("c{}", index + 1), |i| i.value.clone());
            let bit = self.flag(Flag::Owed(node, owed), l.span);
            Some(Later { at: at?, trust, feedback: l.feedback.clone(), bit })
        });
        let when = c.when.as_ref().map(|w| self.condition(w)).unwrap_or_default();
        let id = c.id.as_ref().map_or_else(|| format!("c{}", index + 1), |i| i.value.clone());
        // A save recognises a choice by its id; a choice without one is known by
        // its text, since its default id only says where it stands.
        let known_by = if c.id.is_some() { &id } else { &c.text };
        Some(Choice {
            fingerprint: (crate::hash::fnv(known_by.as_bytes()) % u64::from(crate::engine::save::FINGERPRINTS)) as u32,
            id,
            text: c.text.clone(),
            skill: c.skill.value,
            trust: c.trust.as_ref().map(|t| self.range(t, -50, 50, "trust effect")),
            feedback: c.feedback.clone(),
            next: next?,
            when,
            set: self.bits(&c.set),
            clear: self.bits(&c.clear),
            distress: c.distress.as_ref().map_or(0, |d| self.range(d, -100, 100, "distress change")),
            opening,
            later,
        })
    }

    /// The number of an opening (from 1), or 0 for none. Past 65,534
    /// distinct openings, new ones count as none: they never repeat.
    fn opening(&mut self, words: String) -> u16 {
        if words.is_empty() {
            return 0;
        }
        let next = self.openings.len() + 1;
        match self.openings.get(&words) {
            Some(&n) => n,
            None if next < usize::from(u16::MAX) => {
                self.openings.insert(words, next as u16);
                next as u16
            }
            None => 0,
        }
    }

    fn condition(&mut self, w: &ConditionSyntax) -> Condition {
        let trust_min = w.trust_min.as_ref().map(|t| self.range(t, 0, 100, "trust_min"));
        let trust_max = w.trust_max.as_ref().map(|t| self.range(t, 0, 100, "trust_max"));
        if let (Some(min), Some(max)) = (trust_min, trust_max)
            && min > max
        {
            self.out.push(Diagnostic::error("E011", w.span, format!("condition never holds: trust_min {min} is above trust_max {max}")).hint("swap the two values"));
        }
        let all = self.bits(&w.flags) | self.visit_bits(&w.visited);
        let none = self.bits(&w.not_flags) | self.visit_bits(&w.not_visited);
        if all & none != 0 {
            let both = (all & none).trailing_zeros() as usize;
            let (name, a, b) = match &self.flags[both].0 {
                Flag::Author(name) => (name.clone(), "flags", "not_flags"),
                Flag::Visited(n) => (self.names[*n].clone(), "visited", "not_visited"),
                // Conditions cannot name a consequence's flag.
                Flag::Owed(..) => (String::new(), "flags", "not_flags"),
            };
            self.out.push(Diagnostic::error("E011", w.span, format!("condition never holds: `{name}` is in both `{a}` and `{b}`")).hint("remove it from one of the two lists"));
        }
        Condition { trust_min, trust_max, all, none }
    }
}

/// For each node, the bits of the consequences whose `at` no path from it
/// reaches (by `next` and `otherwise` links; from the leaving node, where
/// `@back` may go anywhere the talk was going, none is settled).
fn settled(sc: &Scenario) -> Vec<u64> {
    let n = sc.nodes().len();
    let mut settled = vec![0u64; n];
    if sc.laters().is_empty() {
        return settled;
    }
    // Links backwards, to search from each `at` for the nodes that reach it.
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (m, node) in sc.nodes().iter().enumerate() {
        for t in node.links() {
            into[t].push(m);
        }
    }
    for &(ln, lc) in sc.laters() {
        let Some(later) = &sc.nodes()[ln].choices[lc].later else { continue };
        let mut reaches = vec![false; n];
        let mut stack = Vec::new();
        match later.at {
            Target::Node(at) => stack.push(at),
            // An ending is reached through the nodes whose choices lead to it.
            Target::Ending(e) => stack.extend((0..n).filter(|&m| sc.nodes()[m].choices.iter().any(|c| c.next == Target::Ending(e)))),
            Target::Back => {}
        }
        // Any fall can lead to the disengaged ending, from anywhere.
        if matches!(later.at, Target::Ending(e) if Some(e) == sc.disengaged()) {
            continue;
        }
        while let Some(m) = stack.pop() {
            if !std::mem::replace(&mut reaches[m], true) {
                stack.extend(into[m].iter().copied());
            }
        }
        for m in 0..n {
            if !reaches[m] && Some(m) != sc.leaving() {
                settled[m] |= 1 << later.bit;
            }
        }
    }
    settled
}

/// The strongly connected component of each node in the graph of `next`
/// and `otherwise` links (Tarjan's algorithm, without recursion, so that no
/// file can overflow the stack): two nodes share one when each can lead to
/// the other.
fn components(nodes: &[Node]) -> Vec<u32> {
    let n = nodes.len();
    let links = |v: usize| nodes[v].links();
    let (mut index, mut low, mut component) = (vec![u32::MAX; n], vec![0u32; n], vec![u32::MAX; n]);
    let (mut stack, mut on_stack, mut count, mut next_component) = (Vec::new(), vec![false; n], 0u32, 0u32);
    for root in 0..n {
        if index[root] != u32::MAX {
            continue;
        }
        // (node, how many of its links have been followed)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut followed)) = work.last_mut() {
            if *followed == 0 && index[v] == u32::MAX {
                index[v] = count;
                low[v] = count;
                count += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(w) = links(v).nth(*followed) {
                *followed += 1;
                if index[w] == u32::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// The first `n` words of `text`, lowercased, with every character that is
/// not a letter, digit or apostrophe read as a space: how "opens the same
/// way" is decided ("It sounds like…" and "it sounds as if" both open "it
/// sounds"; "[Nod slowly]" opens "nod slowly").
pub fn first_words(text: &str, n: usize) -> String {
    let folded: String = text.chars().map(|c| if c == '\u{2019}' { '\'' } else if c.is_alphanumeric() || c == '\'' { c } else { ' ' }).flat_map(char::to_lowercase).collect();
    folded.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}

/// What is wrong with an author's flag name, if anything.
fn flag_problem(name: &str, span: Span) -> Option<Diagnostic> {
    if name.is_empty() {
        Some(Diagnostic::error("E017", span, "empty flag name").hint("name the flag, such as `felt-heard`"))
    } else if let Some(node) = name.strip_prefix("visited:") {
        Some(
            Diagnostic::error("E017", span, format!("flag name `{}` is reserved", quoted(name)))
                .hint(format!("the engine keeps track of visits itself: ask with `when = {{ visited = [\"{}\"] }}`", quoted(node))),
        )
    } else if name.len() > MAX_NAME || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Some(Diagnostic::error("E017", span, format!("invalid flag name `{}`", quoted(name))).hint("use 1 to 64 letters, digits, dashes and underscores, such as `felt-heard`"))
    } else {
        None
    }
}

/// Whether `tag` is a well-formed BCP 47 language tag (RFC 5646, section
/// 2.1): a language of 2 to 3 letters (with up to three extended subtags),
/// 4, or 5 to 8; then an optional script, region, variants, extensions and a
/// private-use part, in that order; or a private-use tag alone; or one of the
/// irregular grandfathered tags. Case does not matter; whether a subtag is
/// registered is not checked.
pub fn is_language_tag(tag: &str) -> bool {
    const IRREGULAR: [&str; 17] = [
        "en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
    ];
    if IRREGULAR.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
        return true;
    }
    let mut parts = tag.split('-').peekable();
    let alpha = |s: &str, lo, hi| (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic());
    let alnum = |s: &str, lo, hi| (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric());
    let private = |parts: &mut std::iter::Peekable<std::str::Split<'_, char>>| {
        let mut any = false;
        for p in parts.by_ref() {
            if !alnum(p, 1, 8) {
                return false;
            }
            any = true;
        }
        any
    };
    let Some(first) = parts.next() else { return false };
    if first.eq_ignore_ascii_case("x") {
        return private(&mut parts);
    }
    if !alpha(first, 2, 8) {
        return false;
    }
    if first.len() <= 3 {
        for _ in 0..3 {
            if parts.next_if(|p| alpha(p, 3, 3)).is_none() {
                break;
            }
        }
    }
    parts.next_if(|p| alpha(p, 4, 4));
    parts.next_if(|p| alpha(p, 2, 2) || p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()));
    while parts.next_if(|p| alnum(p, 5, 8) || p.len() == 4 && p.as_bytes()[0].is_ascii_digit() && alnum(p, 4, 4)).is_some() {}
    // Extensions: a singleton other than `x`, then one or more subtags.
    while parts.next_if(|p| p.len() == 1 && p.bytes().all(|b| b.is_ascii_alphanumeric()) && !p.eq_ignore_ascii_case("x")).is_some() {
        let mut any = false;
        while parts.next_if(|p| alnum(p, 2, 8)).is_some() {
            any = true;
        }
        if !any {
            return false;
        }
    }
    match parts.next() {
        None => true,
        Some(x) if x.eq_ignore_ascii_case("x") => private(&mut parts),
        Some(_) => false,
    }
}

/// Hashes everything that changes how play goes; wording does not count, so
/// fixing a typo in feedback keeps learners' saves valid.
fn content_hash(s: &Scenario) -> u64 {
    let mut h = Fnv::default();
    h.str(&s.meta().id).int(s.peer().trust.into()).int(s.peer().distress.into()).int(s.floor().into()).int(s.acute().into()).int(s.start() as i64).int(s.disengaged().map_or(-1, |d| d as i64));
    for &p in s.profile() {
        h.int(p.into());
    }
    h.int(s.leaving().map_or(-1, |l| l as i64));
    let target = |h: &mut Fnv, t: Target| {
        h.int(match t {
            Target::Node(n) => n as i64,
            Target::Ending(e) => -1 - e as i64,
            Target::Back => i64::MIN,
        });
    };
    for n in s.nodes() {
        h.str(&n.id).int(n.disclosure.into()).int(n.distress.into()).int(n.visit_flag.map_or(-1, i64::from));
        if let Some(g) = n.gate {
            h.int(g.trust.into()).int(g.otherwise as i64);
        }
        for c in &n.choices {
            // The two-digit fingerprint of the first save format, so that the
            // wider one left every scenario's hash, and so its saves, as it was.
            h.str(&c.id).int((c.fingerprint % 1296).into()).int(c.skill.index() as i64).int(c.trust.map_or(i64::MIN, i64::from)).int(c.distress.into());
            h.int(c.set as i64).int(c.clear as i64).int(c.when.all as i64).int(c.when.none as i64);
            h.int(c.when.trust_min.map_or(-1, i64::from)).int(c.when.trust_max.map_or(-1, i64::from));
            target(&mut h, c.next);
            h.int(c.opening.into());
            if let Some(l) = &c.later {
                target(&mut h, l.at);
                h.int(l.trust.into()).int(l.bit.into());
            }
        }
    }
    for e in s.endings() {
        h.str(&e.id).str(e.outcome.id());
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::is_language_tag;

    #[test]
    fn language_tags_follow_bcp_47() {
        for good in ["en", "EN", "es-419", "pt-BR", "zh-Hant", "zh-Hant-TW", "ar", "de-CH-1996", "sl-rozaj-biske", "en-US-u-ca-gregory", "x-klingon", "en-x-private", "yue", "zh-yue-HK", "ast", "i-klingon", "en-GB-oed", "zh-min-nan"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "e", "english language", "en-toolongsubtag", "en_US", "en-", "-en", "en--US", "en\" onfocus=x", "en-u", "12", "en-x", "en-US-u-", "toolongtag9", "i-unknown"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
