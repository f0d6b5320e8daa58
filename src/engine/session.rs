//! A learner's session: the state, the turns taken, and what to show.
//!
//! A session owns a shared, checked scenario and a [`State`]; every change
//! goes through [`super::step`]. The seed decides the order in which choices
//! are shown (so that "the first one is always right" cannot be learned) and
//! nothing else; the same scenario, seed and picks give the same session.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use super::trust::{Effect, Modifier};
use super::{State, step};
use crate::coder::{Coder, Coding, Taken};
use crate::hash::Rng;
use crate::scenario::{MAX_LEVEL, Outcome, Playable, Scenario};
use crate::skill::{Kind, Skill};

/// Practice shows feedback after each choice and allows undo; assessment
/// keeps both back until the debrief.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Practice,
    Assessment,
}

impl Mode {
    pub const ALL: [Mode; 2] = [Mode::Practice, Mode::Assessment];

    pub fn from_id(id: &str) -> Option<Mode> {
        match id {
            "practice" => Some(Mode::Practice),
            "assessment" => Some(Mode::Assessment),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Mode::Practice => "practice",
            Mode::Assessment => "assessment",
        }
    }
}

/// Misuse of a session: each is a caller's mistake, never an author's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlayError {
    NotOffered(String),
    Ended,
    NotEnded,
    UndoInAssessment,
    NothingToUndo,
}

impl fmt::Display for PlayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlayError::NotOffered(id) => write!(f, "choice `{id}` is not offered now"),
            PlayError::Ended => f.write_str("the conversation has ended"),
            PlayError::NotEnded => f.write_str("the conversation has not ended yet"),
            PlayError::UndoInAssessment => f.write_str("undo is not available in assessment mode"),
            PlayError::NothingToUndo => f.write_str("there is no choice to undo"),
        }
    }
}

impl std::error::Error for PlayError {}

/// Trust in words, for the meter and for screen readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    Closed,
    Guarded,
    Cautious,
    Open,
    Trusting,
}

impl Band {
    pub const ALL: [Band; 5] = [Band::Closed, Band::Guarded, Band::Cautious, Band::Open, Band::Trusting];

    pub fn of(trust: i32) -> Band {
        match trust {
            ..20 => Band::Closed,
            20..40 => Band::Guarded,
            40..60 => Band::Cautious,
            60..80 => Band::Open,
            _ => Band::Trusting,
        }
    }

    /// The id views carry, as serde writes it.
    pub fn id(self) -> &'static str {
        match self {
            Band::Closed => "closed",
            Band::Guarded => "guarded",
            Band::Cautious => "cautious",
            Band::Open => "open",
            Band::Trusting => "trusting",
        }
    }

    /// The band in words (`band.ID` in [`crate::words`]); in English, its id.
    pub fn label(self) -> &'static str {
        crate::words::word_of(&["band", self.id()], self.id())
    }
}

/// How the peer seems, from trust and distress together. Outside acute
/// distress the mood follows the trust [`Band`] at every turn: it changes
/// exactly when the band does, and distress decides only how a band reads
/// (closed is withdrawn when calm, shut down when distress is raised). In
/// acute distress, distress speaks first: overwhelmed while trust is closed
/// or guarded, distressed from cautious up, the split falling on a band's
/// edge, so the face never reads warmer than the meter. Acute and raised are
/// as [`Scenario::is_acute`] and [`Scenario::is_raised`] decide.
///
/// | band | calm | raised | acute |
/// | --- | --- | --- | --- |
/// | closed | withdrawn | shut down | overwhelmed |
/// | guarded | wary | wary | overwhelmed |
/// | cautious | calm | uneasy | distressed |
/// | open | opening up | opening up | distressed |
/// | trusting | at ease | confiding | distressed |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mood {
    Overwhelmed,
    Distressed,
    ShutDown,
    Withdrawn,
    Wary,
    Uneasy,
    Calm,
    Opening,
    Confiding,
    AtEase,
}

impl Mood {
    pub const ALL: [Mood; 10] = [Mood::Overwhelmed, Mood::Distressed, Mood::ShutDown, Mood::Withdrawn, Mood::Wary, Mood::Uneasy, Mood::Calm, Mood::Opening, Mood::Confiding, Mood::AtEase];

    pub fn of(scenario: &Scenario, trust: i32, distress: i32) -> Mood {
        let band = Band::of(trust);
        if scenario.is_acute(distress) {
            return if matches!(band, Band::Closed | Band::Guarded) { Mood::Overwhelmed } else { Mood::Distressed };
        }
        let raised = scenario.is_raised(distress);
        match band {
            Band::Closed if raised => Mood::ShutDown,
            Band::Closed => Mood::Withdrawn,
            Band::Guarded => Mood::Wary,
            Band::Cautious if raised => Mood::Uneasy,
            Band::Cautious => Mood::Calm,
            Band::Open => Mood::Opening,
            Band::Trusting if raised => Mood::Confiding,
            Band::Trusting => Mood::AtEase,
        }
    }

    /// The id the view carries, as serde writes it (`shut_down`).
    pub fn id(self) -> &'static str {
        match self {
            Mood::Overwhelmed => "overwhelmed",
            Mood::Distressed => "distressed",
            Mood::ShutDown => "shut_down",
            Mood::Withdrawn => "withdrawn",
            Mood::Wary => "wary",
            Mood::Uneasy => "uneasy",
            Mood::Calm => "calm",
            Mood::Opening => "opening",
            Mood::Confiding => "confiding",
            Mood::AtEase => "at_ease",
        }
    }

    /// How the peer seems, in words (`mood.ID` in [`crate::words`]).
    pub fn label(self) -> &'static str {
        let english = match self {
            Mood::Overwhelmed => "overwhelmed",
            Mood::Distressed => "distressed",
            Mood::ShutDown => "shut down",
            Mood::Withdrawn => "withdrawn",
            Mood::Wary => "wary",
            Mood::Uneasy => "uneasy",
            Mood::Calm => "calm",
            Mood::Opening => "opening up",
            Mood::Confiding => "confiding",
            Mood::AtEase => "at ease",
        };
        crate::words::word_of(&["mood", self.id()], english)
    }
}

/// What the learner sees now.
#[derive(Clone, Debug, Serialize)]
pub struct View {
    pub scenario: String,
    pub mode: Mode,
    /// How many choices have been made.
    pub turn: usize,
    pub peer: String,
    pub node: Option<String>,
    /// What the peer says first, before `say`, when the turn that led here
    /// cost trust sharply and the node has an `after_drop` line: the peer
    /// owning the hurt ("Right. Noted."). Absent at the start and at endings.
    pub acknowledges: Option<String>,
    /// What the peer says now (at an ending, their last words, if any).
    pub say: Option<String>,
    pub cue: Option<String>,
    pub mood: Mood,
    pub mood_label: &'static str,
    pub trust: TrustView,
    /// The responses offered, in display order: text only, never the skill.
    pub choices: Vec<ChoiceView>,
    pub ending: Option<EndingView>,
    pub can_undo: bool,
    /// At a node where no choice is offered. A checked scenario whose
    /// analysis finished never has one (E012), but one whose analysis
    /// stopped (W004) may; the conversation cannot go on, and the program
    /// showing it must say so rather than wait.
    pub stuck: bool,
}

/// A reply the learner wrote, as [`Session::reply`] reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub coding: Coding,
    /// The id of the offered choice the reply is taken as, if any.
    pub taken: Option<String>,
}


/// What the learner sees now, by position in the scenario rather than as
/// text: what [`View`] is made from, for a program that keeps the scenario's
/// words itself (the browser binding holds them as JavaScript strings, so a
/// step does not copy them across again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The node the conversation is at, or the ending it reached.
    pub node: Option<usize>,
    pub ending: Option<usize>,
    /// The peer says the node's `after_drop` first.
    pub acknowledges: bool,
    /// The offered choices' authored indices, in display order.
    pub choices: Vec<usize>,
    pub mood: Mood,
    pub trust: i32,
    pub turn: usize,
    pub can_undo: bool,
}

impl Shown {
    /// At a node where no choice is offered (see [`View::stuck`]).
    pub fn stuck(&self) -> bool {
        self.ending.is_none() && self.choices.is_empty()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TrustView {
    pub value: i32,
    pub min: i32,
    pub max: i32,
    pub band: Band,
    /// The band in the engine's words ("cautious"), to show beside the value.
    pub band_label: &'static str,
    /// "trust 45 of 100, cautious": for `aria-valuetext` and the terminal.
    pub text: String,
}

impl TrustView {
    pub fn of(value: i32) -> TrustView {
        let band = Band::of(value);
        TrustView { value, min: 0, max: MAX_LEVEL, band, band_label: band.label(), text: TRUST_TEXT.fill(&[("value", &value.to_string()), ("max", &MAX_LEVEL.to_string()), ("band", band.label())]) }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ChoiceView {
    pub id: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct EndingView {
    pub id: String,
    pub outcome: Outcome,
    pub title: String,
}

/// One choice made, fully explained.
#[derive(Clone, Debug, Serialize)]
pub struct Turn {
    /// 1-based.
    pub number: usize,
    pub node: String,
    /// What the peer had said first, acknowledging a sharp drop on the turn
    /// before (the node's `after_drop`), when they did.
    pub peer_acknowledged: Option<String>,
    /// What the peer had said, and the non-verbal cue that went with it.
    pub peer_said: String,
    pub peer_cue: Option<String>,
    pub choice: String,
    /// Positions of the node and of the choice in it, as authored; saves use them.
    #[serde(skip)]
    pub node_index: usize,
    #[serde(skip)]
    pub index: usize,
    pub text: String,
    pub skill: Skill,
    pub skill_label: &'static str,
    pub kind: Kind,
    pub trust_before: i32,
    /// Trust after the turn, consequences that landed with it included.
    pub trust_after: i32,
    /// The response's own change of trust, within bounds: `trust_after`
    /// less what consequences of earlier choices did.
    pub change: i32,
    pub base: i32,
    pub modifiers: Vec<ModifierView>,
    /// The response's worth: base and modifiers, before any bound.
    pub total: i32,
    /// What the ceiling took from a gain (0 or less): near the top of trust
    /// each gain is smaller.
    pub ceiling: i32,
    /// Consequences of earlier choices that landed with this turn.
    pub consequences: Vec<Consequence>,
    /// What the turn counts for the learner's skill: `total` and the
    /// consequences, before any bound.
    pub worth: i32,
    /// What the ceiling did, in words, when it took anything.
    pub ceiling_text: Option<&'static str>,
    /// When trust fell below the floor for the first time: the warning beat,
    /// in words that name the peer.
    pub warning: Option<String>,
    /// The peer was in acute distress when the learner responded.
    pub acute: bool,
    /// The peer had just disclosed something (the node is a disclosure).
    pub disclosure: bool,
    /// The peer was showing warning signs of suicide.
    pub warning_signs: bool,
    pub feedback: Option<String>,
    /// Why this skill helps or hurts in general.
    pub why: &'static str,
    /// What the learner wrote, when they wrote their own reply and this choice stood for it.
    pub written: Option<Written>,
}

/// A reply the learner wrote, its coding, and how it became the turn's choice.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Written {
    pub text: String,
    /// What the reply reads as ([`crate::coder`]), and how sure the coding is (0 to 1).
    pub skill: Skill,
    pub skill_label: &'static str,
    pub kind: Kind,
    /// Why the coded skill helps or hurts in general.
    pub why: &'static str,
    pub confidence: f64,
    /// For a reply that reads as a roadblock: the trust-building option on offer then that would
    /// have worked best, when one would have raised trust.
    pub better: Option<String>,
    /// The reply was taken as this choice from its coding; false when the learner picked it
    /// (the coding was unsure, no choice had its skill, or it was not what they meant).
    pub taken: bool,
}

impl Turn {
    /// Puts the engine's words of the turn (labels, reasons, the ceiling's note, the warning that
    /// names `peer`) in the current language ([`crate::words`]), as if it had been taken now: a
    /// turn keeps the words of the language it was taken in.
    pub fn relabel(&mut self, peer: &str) {
        self.skill_label = self.skill.label();
        self.why = self.skill.why();
        for m in &mut self.modifiers {
            m.text = m.reason.text();
        }
        if self.ceiling_text.is_some() {
            self.ceiling_text = Some(CEILING_TEXT.word());
        }
        if self.warning.is_some() {
            self.warning = Some(FLOOR_WARNING.fill(&[("peer", peer)]));
        }
        if let Some(w) = &mut self.written {
            w.skill_label = w.skill.label();
            w.why = w.skill.why();
        }
    }
}

/// A consequence of an earlier choice, as it lands.
#[derive(Clone, Debug, Serialize)]
pub struct Consequence {
    pub amount: i32,
    pub feedback: String,
    /// The turn whose choice carried it.
    pub from_turn: Option<usize>,
}

crate::words::templates! {
    /// Trust in words, for `aria-valuetext` and the terminal.
    TRUST_TEXT = "trust.text" => "trust {value} of {max}, {band}";
    /// What the ceiling did, when it took part of a gain.
    CEILING_TEXT = "trust.ceiling" => "trust is already high, so each gain is smaller";
    /// The warning beat, when trust first falls below the floor.
    FLOOR_WARNING = "trust.floor" => "trust fell below the floor. {peer} is about to leave, and one more fall ends the conversation";
}

#[derive(Clone, Debug, Serialize)]
pub struct ModifierView {
    pub reason: super::trust::Reason,
    pub text: &'static str,
    pub amount: i32,
}

impl From<Modifier> for ModifierView {
    fn from(m: Modifier) -> ModifierView {
        ModifierView { reason: m.reason, text: m.reason.text(), amount: m.amount }
    }
}

/// What choosing did. In assessment mode the explanation is kept back.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub ended: bool,
    pub explanation: Option<Turn>,
}

#[derive(Clone, Debug)]
pub struct Session {
    scenario: Arc<Playable>,
    mode: Mode,
    seed: u64,
    state: State,
    turns: Vec<Turn>,
    /// The state before each turn, for undo.
    past: Vec<State>,
}

impl Session {
    pub fn start(scenario: Arc<Playable>, mode: Mode, seed: u64) -> Session {
        let state = State::start(&scenario);
        Session { scenario, mode, seed, state, turns: Vec::new(), past: Vec::new() }
    }

    pub fn scenario(&self) -> &Arc<Playable> {
        &self.scenario
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }

    /// Puts every turn's engine words in the current language ([`Turn::relabel`]): a program
    /// that changes the language mid-session ([`crate::words::set`]) calls it before it shows
    /// the turns or the debrief again.
    pub fn relabel(&mut self) {
        let peer = &self.scenario.peer().name;
        for t in &mut self.turns {
            t.relabel(peer);
        }
    }

    /// The state before each turn, in order.
    pub fn past(&self) -> &[State] {
        &self.past
    }

    pub fn is_ended(&self) -> bool {
        self.state.ending().is_some()
    }

    /// The offered choices' authored indices, in display order.
    pub fn order(&self) -> Vec<usize> {
        let mut offered: Vec<usize> = self.state.offered(&self.scenario).collect();
        let node = self.state.node().unwrap_or(0) as u64;
        let mut rng = Rng::new(self.seed ^ node.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (self.turns.len() as u64) << 48);
        for i in (1..offered.len()).rev() {
            offered.swap(i, rng.below(i + 1));
        }
        offered
    }

    /// What the learner sees now, by position: see [`Shown`].
    pub fn shown(&self) -> Shown {
        let trust = i32::from(self.state.trust);
        let node = self.state.node();
        Shown {
            node,
            ending: self.state.ending(),
            acknowledges: node.is_some_and(|n| self.acknowledgement(n, self.turns.last()).is_some()),
            choices: if node.is_some() { self.order() } else { Vec::new() },
            mood: Mood::of(&self.scenario, trust, i32::from(self.state.distress)),
            trust,
            turn: self.turns.len(),
            can_undo: self.mode == Mode::Practice && !self.turns.is_empty(),
        }
    }

    /// Codes a reply the learner wrote here and finds the offered choice it is taken as: one
    /// with the coded skill and the closest wording, or none when the coding is unsure or no
    /// offered choice has that skill (the learner then picks). See [`crate::coder`].
    pub fn reply(&self, coder: &Coder, text: &str) -> Reply {
        let coding = coder.code(text);
        let node = self.state.node().map(|n| &self.scenario.nodes()[n]);
        let order = if node.is_some() { self.order() } else { Vec::new() };
        let offered: Vec<(Skill, &str)> = node.map(|node| order.iter().map(|&i| (node.choices[i].skill, node.choices[i].text.as_str())).collect()).unwrap_or_default();
        let taken = match Coder::take(&coding, text, &offered) {
            Taken::Choice(k) => node.map(|node| node.choices[order[k]].id.clone()),
            Taken::Unsure | Taken::NoMatch => None,
        };
        Reply { coding, taken }
    }

    pub fn view(&self) -> View {
        let sc = &*self.scenario;
        let shown = self.shown();
        let (node, say, cue, choices, ending) = match (shown.node, shown.ending) {
            (Some(n), _) => {
                let node = &sc.nodes()[n];
                let choices = shown.choices.iter().map(|&i| ChoiceView { id: node.choices[i].id.clone(), text: node.choices[i].text.clone() }).collect();
                (Some(node.id.clone()), Some(node.say.clone()), node.cue.clone(), choices, None)
            }
            (None, Some(e)) => {
                let e = &sc.endings()[e];
                (None, e.say.clone(), None, Vec::new(), Some(EndingView { id: e.id.clone(), outcome: e.outcome, title: e.title.clone() }))
            }
            (None, None) => unreachable!("a state is at a node or an ending"),
        };
        View {
            scenario: sc.meta().id.clone(),
            mode: self.mode,
            turn: shown.turn,
            peer: sc.peer().name.clone(),
            node,
            acknowledges: if shown.acknowledges { shown.node.and_then(|n| sc.nodes()[n].after_drop.clone()) } else { None },
            say,
            cue,
            mood: shown.mood,
            mood_label: shown.mood.label(),
            trust: TrustView::of(shown.trust),
            stuck: shown.stuck(),
            choices,
            ending,
            can_undo: shown.can_undo,
        }
    }

    /// Picks the offered choice with this id.
    pub fn choose(&mut self, id: &str) -> Result<Step, PlayError> {
        let ended = self.pick(id)?;
        let explanation = (self.mode == Mode::Practice).then(|| self.turns.last().cloned()).flatten();
        Ok(Step { ended, explanation })
    }

    /// Picks the offered choice with this id, as [`Session::choose`] does,
    /// without a copy of the explanation (it is the last of
    /// [`Session::turns`]); returns whether the conversation has ended.
    pub fn pick(&mut self, id: &str) -> Result<bool, PlayError> {
        let Some(n) = self.state.node() else { return Err(PlayError::Ended) };
        let node = &self.scenario.nodes()[n];
        let index = self.state.offered(&self.scenario).find(|&i| node.choices[i].id == id).ok_or_else(|| PlayError::NotOffered(id.to_string()))?;
        self.take(index);
        Ok(self.is_ended())
    }

    /// Picks the offered choice `id` for a reply the learner wrote, as [`Session::pick`] does,
    /// and keeps the reply with the turn: its text, its coding, and whether the coding took it
    /// as this choice or the learner picked it.
    pub fn pick_written(&mut self, id: &str, text: &str, coder: &Coder) -> Result<bool, PlayError> {
        let reply = self.reply(coder, text);
        let state = self.state;
        let ended = self.pick(id)?;
        let written = self.written(&state, text, reply.coding, reply.taken.as_deref() == Some(id));
        self.turns.last_mut().expect("a pick makes a turn").written = Some(written);
        Ok(ended)
    }

    /// Puts back a reply the learner wrote at turn `number` (1-based), coded again: the save
    /// holds choices only, so a restored session gets its written replies from where the
    /// widget kept them on the device. `taken`: the coding took it as that turn's choice.
    /// Returns false, changing nothing, when there is no such turn.
    pub fn rewrite(&mut self, number: usize, text: &str, taken: bool, coder: &Coder) -> bool {
        let Some(&state) = number.checked_sub(1).and_then(|i| self.past.get(i)) else { return false };
        let written = self.written(&state, text, coder.code(text), taken);
        self.turns[number - 1].written = Some(written);
        true
    }

    /// A written reply at `state` (before its turn), with the option that would have worked
    /// better when it reads as a roadblock: the trust-building one on offer that moved trust most.
    fn written(&self, state: &State, text: &str, coding: Coding, taken: bool) -> Written {
        let skill = coding.skill;
        let sc = &*self.scenario;
        let better = state.node().filter(|_| skill.kind() == Kind::Roadblock).and_then(|n| {
            let node = &sc.nodes()[n];
            let gain = |&i: &usize| {
                let e = super::trust::effect(sc, node, state, &node.choices[i]);
                (e.after - e.before, e.total())
            };
            // The first of the best, in authored order, for a stable answer.
            let best = state.offered(sc).filter(|&i| node.choices[i].skill.kind() == Kind::Skill).fold(None, |best: Option<(usize, (i32, i32))>, i| match best {
                Some((_, g)) if g >= gain(&i) => best,
                _ => Some((i, gain(&i))),
            });
            best.filter(|&(_, (change, _))| change > 0).map(|(i, _)| node.choices[i].text.clone())
        });
        Written { text: text.trim().to_string(), skill, skill_label: skill.label(), kind: skill.kind(), why: skill.why(), confidence: coding.confidence, taken, better }
    }

    /// Takes the choice at an authored index; the caller checked it is offered.
    pub(crate) fn take(&mut self, index: usize) {
        let n = self.state.node().expect("take at a node");
        let (next, effect) = step(&self.scenario, &self.state, index);
        let turn = self.explain(n, index, &effect);
        self.past.push(self.state);
        self.turns.push(turn);
        self.state = next;
    }

    fn explain(&self, n: usize, index: usize, effect: &Effect) -> Turn {
        let sc = &*self.scenario;
        let node = &sc.nodes()[n];
        let choice = &node.choices[index];
        let consequences: Vec<Consequence> = sc
            .laters()
            .iter()
            .enumerate()
            .filter(|(i, _)| effect.landed & 1 << i != 0)
            .filter_map(|(_, &(ln, lc))| {
                let later = sc.nodes()[ln].choices[lc].later.as_ref()?;
                let from_turn = self.turns.iter().rev().find(|t| t.node_index == ln && t.index == lc).map(|t| t.number);
                Some(Consequence { amount: later.trust, feedback: later.feedback.clone(), from_turn })
            })
            .collect();
        Turn {
            number: self.turns.len() + 1,
            node: node.id.clone(),
            peer_acknowledged: self.acknowledgement(n, self.turns.last()),
            peer_said: node.say.clone(),
            peer_cue: node.cue.clone(),
            choice: choice.id.clone(),
            node_index: n,
            index,
            text: choice.text.clone(),
            skill: choice.skill,
            skill_label: choice.skill.label(),
            kind: choice.skill.kind(),
            trust_before: effect.before,
            trust_after: effect.after,
            change: effect.response - effect.before,
            base: effect.base,
            modifiers: effect.modifiers().map(ModifierView::from).collect(),
            total: effect.total(),
            ceiling: effect.ceiling,
            consequences,
            worth: effect.worth(),
            ceiling_text: (effect.ceiling != 0).then(|| CEILING_TEXT.word()),
            warning: effect.warned.then(|| FLOOR_WARNING.fill(&[("peer", &sc.peer().name)])),
            acute: sc.is_acute(i32::from(self.state.distress)),
            disclosure: node.disclosure,
            warning_signs: node.warning_signs,
            feedback: choice.feedback.clone(),
            why: choice.skill.why(),
            written: None,
        }
    }

    /// What the peer says first at node `n` when the turn `previous` led
    /// there: the node's `after_drop`, if that turn cost trust sharply.
    fn acknowledgement(&self, n: usize, previous: Option<&Turn>) -> Option<String> {
        let sc = &*self.scenario;
        previous.filter(|t| t.trust_before - t.trust_after >= sc.sharp_drop()).and_then(|_| sc.nodes()[n].after_drop.clone())
    }

    /// Takes back the last choice (practice mode only).
    pub fn undo(&mut self) -> Result<(), PlayError> {
        if self.mode == Mode::Assessment {
            return Err(PlayError::UndoInAssessment);
        }
        let previous = self.past.pop().ok_or(PlayError::NothingToUndo)?;
        self.turns.pop();
        self.state = previous;
        Ok(())
    }

    /// Trust at the start and after each turn.
    pub fn trust_history(&self) -> Vec<i32> {
        std::iter::once(i32::from(self.past.first().unwrap_or(&self.state).trust)).chain(self.turns.iter().map(|t| t.trust_after)).collect()
    }
}

#[cfg(all(test, feature = "check"))]
mod tests {
    use super::*;

    /// The rule the mood keeps with the meter, written out apart from the
    /// engine's table: each mood belongs to the bands named here, so the face
    /// never says "wary" beside a meter that says "closed"; and outside acute
    /// distress, where distress does not speak first, the mood changes exactly
    /// when the band does (one mood a band, a different one in each band).
    fn bands_of(mood: Mood) -> &'static [Band] {
        match mood {
            Mood::Withdrawn | Mood::ShutDown => &[Band::Closed],
            Mood::Wary => &[Band::Guarded],
            Mood::Calm | Mood::Uneasy => &[Band::Cautious],
            Mood::Opening => &[Band::Open],
            Mood::AtEase | Mood::Confiding => &[Band::Trusting],
            Mood::Overwhelmed => &[Band::Closed, Band::Guarded],
            Mood::Distressed => &[Band::Cautious, Band::Open, Band::Trusting],
        }
    }

    #[test]
    fn mood_agrees_with_the_trust_band_at_every_trust_and_distress() {
        // The mood reads only the threshold, so any will do, whether or not
        // tiny would still check with it: a unit test, since only the crate can
        // make a scenario that checking did not.
        let tiny = Scenario::parse(include_str!("../../tests/fixtures/tiny.toml"), crate::checking::Format::Toml).expect("tiny checks");
        let with_acute = |acute: i32| tiny.with_acute(acute);
        for acute in [0, 1, 2, 30, 59, 60, 99, 100] {
            let sc = with_acute(acute);
            for distress in 0..=100 {
                let moods: Vec<Mood> = (0..=100).map(|trust| Mood::of(&sc, trust, distress)).collect();
                for (trust, &mood) in moods.iter().enumerate() {
                    let band = Band::of(trust as i32);
                    assert!(bands_of(mood).contains(&band), "acute {acute}, distress {distress}, trust {trust}: mood {mood:?} beside band {band:?}");
                    if trust > 0 {
                        let before = Band::of(trust as i32 - 1);
                        // The mood never changes inside a band; outside acute
                        // distress it changes at every band's edge.
                        if before == band {
                            assert_eq!(moods[trust - 1], mood, "acute {acute}, distress {distress}: the mood changed inside band {band:?} at trust {trust}");
                        } else if !sc.is_acute(distress) {
                            assert_ne!(moods[trust - 1], mood, "acute {acute}, distress {distress}: the band changed at trust {trust} and the mood did not");
                        }
                    }
                }
            }
        }
        // Issue 10's case: trust 16 reads closed, so the mood is not "wary".
        let sc = with_acute(60);
        assert_eq!((Band::of(16), Mood::of(&sc, 16, 45)), (Band::Closed, Mood::ShutDown));
        assert_eq!(Mood::of(&sc, 16, 0), Mood::Withdrawn);
        assert_eq!(Mood::of(&sc, 16, 60), Mood::Overwhelmed);
    }
}
