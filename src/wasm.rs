//! The browser binding: the only module that names `wasm_bindgen` or `js_sys`.
//!
//! A thin layer over the engine for the `<attunement-sim>` element. It reads a
//! compiled scenario from its bytes (or, in the authors' build, checks a
//! source), starts or restores a session, and hands the engine's view, step
//! and debrief to JavaScript as plain objects: the view built from the
//! scenario's words cached as JS strings ([`Words`]), the rest as JSON for
//! `JSON.parse`. Every error becomes a JS `Error` carrying the engine's
//! message. JavaScript holds no game logic: it renders what comes back and
//! reports the learner's pick.
//!
//! A panic cannot unwind on `wasm32-unknown-unknown`, so the instance traps and
//! is unusable afterwards. `install_panic_hook` hands the panic message to a JS
//! callback first, so the widget can show an error panel instead of freezing.

use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::engine::session::{Mode, Session, Turn};
use crate::scenario::{Playable, Scenario};

/// The browser builds' allocator (see Cargo.toml): the engine runs in one thread, which is what
/// talc's wasm allocator asks.
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

thread_local! {
    static PANIC_CALLBACK: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Calls `callback(message)` when the engine panics, before the instance traps.
#[wasm_bindgen(js_name = installPanicHook)]
pub fn install_panic_hook(callback: js_sys::Function) {
    PANIC_CALLBACK.with(|c| *c.borrow_mut() = Some(callback));
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        PANIC_CALLBACK.with(|c| {
            if let Some(f) = c.borrow().as_ref() {
                let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&message));
            }
        });
    }));
}

/// Panics on purpose, so tests can check that a panic reaches the learner as
/// an error panel, not a blank widget. Only in builds with the `test-hooks`
/// feature (the authors' engine), never in the learner's.
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
#[wasm_bindgen(js_name = panicForTests)]
pub fn panic_for_tests() {
    panic!("a deliberate panic, for testing the error panel");
}

/// The crate version, for bug reports.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Sets the engine's own words (skill labels and reasons, moods, bands, the debrief's advice)
/// from a JSON object of ids to texts, `www/i18n/engine.LANG.json`; `'{}'` is English. Ids the
/// engine does not know are ignored; returns how many it used. On broken JSON the error says why,
/// and the words stay as they were. Every simulator and session shows the new words from its next
/// call on: views, explanations, `turns()` and the debrief (a restore's notice keeps the words it
/// was made in).
#[wasm_bindgen(js_name = setWords)]
pub fn set_words(json: &str) -> Result<u32, JsError> {
    crate::words::set(json).map(|n| n as u32).map_err(|e| JsError::new(&e))
}

/// Whether this build reads TOML (the authors' build) or only compiled scenarios.
#[wasm_bindgen(js_name = readsToml)]
pub fn reads_toml() -> bool {
    cfg!(feature = "toml")
}

/// A checked scenario, ready to play.
#[wasm_bindgen]
pub struct Simulator {
    scenario: Arc<Playable>,
    words: Rc<Words>,
}

#[wasm_bindgen]
impl Simulator {
    /// Reads a compiled scenario (`.attn`, from `attunement compile`) from
    /// its bytes, a `Uint8Array`; `name` is its file name, for messages. The
    /// authors' build (feature `check`) also checks a scenario's source, a
    /// `.toml` or `.json` file given as a string: on errors, the JS `Error`'s
    /// message lists the diagnostics with file:line:col (at most
    /// [`crate::diagnostic::MAX_RENDERED`], and a count of the rest), and a
    /// scenario whose analysis did not finish is refused (E025): it could
    /// leave a learner stuck.
    #[wasm_bindgen(constructor)]
    pub fn new(contents: JsValue, name: &str) -> Result<Simulator, JsError> {
        let lower = name.to_ascii_lowercase();
        let scenario = if lower.ends_with(".toml") || lower.ends_with(".json") { check_source(&contents, name)? } else { read_compiled(&contents, name)? };
        let scenario = Arc::new(scenario);
        Ok(Simulator { words: Rc::new(Words::of(&scenario)), scenario })
    }

    /// The scenario's metadata and peer, for the library page and the intro.
    pub fn info(&self) -> Result<JsValue, JsError> {
        // Fields spelled out rather than `#[serde(flatten)]`, which costs
        // kilobytes of wasm for buffering.
        #[derive(Serialize)]
        struct Info<'a> {
            id: &'a str,
            title: &'a str,
            language: &'a str,
            summary: &'a str,
            objectives: &'a [String],
            minutes: u32,
            level: crate::scenario::Level,
            order: Option<u32>,
            content_notes: &'a [String],
            peer: &'a crate::scenario::Peer,
            hash: String,
        }
        let (sc, m) = (&*self.scenario, self.scenario.meta());
        to_js(&Info {
            id: &m.id,
            title: &m.title,
            language: &m.language,
            summary: &m.summary,
            objectives: &m.objectives,
            minutes: m.minutes,
            level: m.level,
            order: m.order,
            content_notes: &m.content_notes,
            peer: sc.peer(),
            hash: format!("{:016x}", sc.hash()),
        })
    }

    /// Starts a session in `practice` or `assessment` mode.
    pub fn start(&self, mode: &str, seed: u32) -> Result<Play, JsError> {
        let mode = Mode::from_id(mode).ok_or_else(|| JsError::new(&format!("unknown mode `{mode}`; use practice or assessment")))?;
        Ok(Play { session: Session::start(self.scenario.clone(), mode, seed.into()), notice: None, words: self.words.clone(), generation: crate::words::generation() })
    }

    /// Restores a session from a save string into the page's `mode`. A
    /// changed scenario is replayed as far as it fits, with a notice; a
    /// corrupt or foreign save, or one made in the other mode, is an error.
    pub fn restore(&self, save: &str, mode: &str) -> Result<Play, JsError> {
        let mode = Mode::from_id(mode).ok_or_else(|| JsError::new(&format!("unknown mode `{mode}`; use practice or assessment")))?;
        let restored = Session::restore(self.scenario.clone(), save, mode).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Play { session: restored.session, notice: restored.notice, words: self.words.clone(), generation: crate::words::generation() })
    }
}

/// A learner's session.
#[wasm_bindgen]
pub struct Play {
    session: Session,
    notice: Option<String>,
    words: Rc<Words>,
    /// The [`crate::words::generation`] of the turns' words.
    generation: u64,
}

#[wasm_bindgen]
impl Play {
    /// What the learner sees now: the peer's line and cue, mood, trust,
    /// choices. The same object as [`crate::engine::session::View`] serialised,
    /// field for field and in the same order, but built from [`Words`]: the
    /// scenario's text crosses to JavaScript once, not at every step.
    pub fn view(&self) -> JsValue {
        let shown = self.session.shown();
        let (sc, w) = (&**self.session.scenario(), &*self.words);
        w.sync();
        let (n, e) = (shown.node.unwrap_or(0), shown.ending.unwrap_or(0));
        let node = shown.node.map(|n| &sc.nodes()[n]);
        let ending = shown.ending.map(|e| &sc.endings()[e]);
        let choices = js_sys::Array::new();
        if let Some(node) = node {
            for &i in &shown.choices {
                push_choice(&choices, w.text(Slot::ChoiceId(n, i), &node.choices[i].id), w.text(Slot::ChoiceText(n, i), &node.choices[i].text));
            }
        }
        let say = match (node, ending) {
            (Some(node), _) => w.text(Slot::Say(n), &node.say),
            (None, ending) => w.opt(Slot::EndingSay(e), ending.and_then(|e| e.say.as_deref())),
        };
        let band = crate::engine::session::Band::of(shown.trust);
        make_view(
            w.text(Slot::Scenario, &sc.meta().id),
            &w.fixed(self.session.mode().id()),
            shown.turn as u32,
            w.text(Slot::Peer, &sc.peer().name),
            w.opt(Slot::NodeId(n), node.map(|node| &*node.id)),
            w.opt(Slot::AfterDrop(n), node.and_then(|node| node.after_drop.as_deref()).filter(|_| shown.acknowledges)),
            say,
            w.opt(Slot::Cue(n), node.and_then(|node| node.cue.as_deref())),
            &w.fixed(shown.mood.id()),
            &w.fixed(shown.mood.label()),
            &make_trust(shown.trust, &w.fixed(band.id()), &w.fixed(band.label()), &w.trust_text(shown.trust)),
            &choices,
            &ending.map_or(JsValue::NULL, |ending| make_ending(w.text(Slot::EndingId(e), &ending.id), &w.fixed(ending.outcome.id()), w.text(Slot::EndingTitle(e), &ending.title))),
            shown.can_undo,
            shown.stuck(),
        )
    }

    /// The explanation of the last turn as the engine serialises it, for the
    /// test that the binding's object agrees.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    #[wasm_bindgen(js_name = lastTurnAsJson)]
    pub fn last_turn_as_json(&self) -> String {
        serde_json::to_string(&self.session.turns().last()).unwrap_or_default()
    }

    /// The view as the engine serialises it, for the test that the two agree.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    #[wasm_bindgen(js_name = viewAsJson)]
    pub fn view_as_json(&self) -> String {
        serde_json::to_string(&self.session.view()).unwrap_or_default()
    }

    /// Picks the offered choice with this id; returns `{ ended, explanation }`,
    /// the explanation only in practice mode.
    pub fn choose(&mut self, id: &str) -> Result<JsValue, JsError> {
        let ended = self.session.pick(id).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(self.step(ended))
    }

    /// Codes a reply the learner wrote at this turn: `{ skill, label, kind, confidence,
    /// alternatives: [{ skill, label, confidence }], taken, unsure }`, where `taken` is the id
    /// of the offered choice it is taken as, or null (the learner picks).
    #[cfg(feature = "coder")]
    pub fn reply(&self, coder: &ReplyCoder, text: &str) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Coded {
            skill: &'static str,
            label: &'static str,
            confidence: f64,
        }
        #[derive(Serialize)]
        struct ReplyView<'a> {
            skill: &'static str,
            label: &'static str,
            kind: &'static str,
            confidence: f64,
            alternatives: Vec<Coded>,
            taken: Option<&'a str>,
            unsure: bool,
        }
        let reply = self.session.reply(&coder.coder, text);
        let skill = reply.coding.skill;
        to_js(&ReplyView {
            skill: skill.id(),
            label: skill.label(),
            kind: skill.kind().id(),
            confidence: reply.coding.confidence,
            alternatives: reply.coding.alternatives.iter().map(|&(skill, confidence)| Coded { skill: skill.id(), label: skill.label(), confidence }).collect(),
            taken: reply.taken.as_deref(),
            unsure: reply.coding.unsure(),
        })
    }

    /// Picks the offered choice with this id for a reply the learner wrote (as `choose` does),
    /// keeping the reply, its coding and how it was taken with the turn.
    #[cfg(feature = "coder")]
    #[wasm_bindgen(js_name = chooseWritten)]
    pub fn choose_written(&mut self, id: &str, text: &str, coder: &ReplyCoder) -> Result<JsValue, JsError> {
        let ended = self.session.pick_written(id, text, &coder.coder).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(self.step(ended))
    }

    /// Puts back the reply the learner wrote at turn `number` after a restore (the save holds
    /// choices only; the widget keeps written replies on the device). Returns false when the
    /// session has no such turn.
    #[cfg(feature = "coder")]
    pub fn rewrite(&mut self, number: usize, text: &str, taken: bool, coder: &ReplyCoder) -> bool {
        self.session.rewrite(number, text, taken, &coder.coder)
    }

    /// Takes back the last choice (practice mode only).
    pub fn undo(&mut self) -> Result<(), JsError> {
        self.session.undo().map_err(|e| JsError::new(&e.to_string()))
    }

    /// The turns so far, each fully explained (for rebuilding a transcript after
    /// a reload; in assessment mode the widget shows only the text), in the engine's words
    /// as they are now.
    pub fn turns(&mut self) -> Result<JsValue, JsError> {
        to_js(self.relabelled().turns())
    }

    pub fn save(&self) -> String {
        self.session.save()
    }

    /// Set after a restore into a changed scenario: where the replay stopped.
    pub fn notice(&self) -> Option<String> {
        self.notice.clone()
    }

    pub fn mode(&self) -> String {
        self.session.mode().id().into()
    }

    /// The debrief, once the conversation has ended.
    pub fn debrief(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.relabelled().debrief().map_err(|e| JsError::new(&e.to_string()))?)
    }
}

impl Play {
    /// The session, its turns' words put in the current language first if [`set_words`] has
    /// changed it since they were.
    fn relabelled(&mut self) -> &Session {
        let now = crate::words::generation();
        if self.generation != now {
            self.generation = now;
            self.session.relabel();
        }
        &self.session
    }

    /// `{ ended, explanation }` after a pick, the explanation (the last turn) only in practice.
    fn step(&self, ended: bool) -> JsValue {
        let turn = self.session.turns().last().filter(|_| self.session.mode() == Mode::Practice);
        let explanation = turn.map_or(JsValue::NULL, |turn| self.words.turn(self.session.scenario(), turn));
        make_step(ended, &explanation)
    }
}

/// The reply coder, made from its model file's bytes (`data/coder.bin`, served beside the
/// pages as `coder.bin`), which the widget fetches only when free text is used.
#[cfg(feature = "coder")]
#[wasm_bindgen(js_name = Coder)]
pub struct ReplyCoder {
    coder: crate::coder::Coder,
}

#[cfg(feature = "coder")]
#[wasm_bindgen(js_class = Coder)]
impl ReplyCoder {
    #[wasm_bindgen(constructor)]
    pub fn new(model: &[u8]) -> Result<ReplyCoder, JsError> {
        crate::coder::Coder::read(model).map(|coder| ReplyCoder { coder }).map_err(|e| JsError::new(&e.to_string()))
    }
}

// The object literals of src/wasm.js: one call makes a view or a turn, with
// a fixed shape, where setting properties one at a time cost a keyed store
// each (about 130 ns apiece, most of a view's time).
#[wasm_bindgen(module = "/src/wasm.js")]
extern "C" {
    #[wasm_bindgen(js_name = view)]
    #[allow(clippy::too_many_arguments)]
    fn make_view(
        scenario: &JsValue,
        mode: &JsValue,
        turn: u32,
        peer: &JsValue,
        node: &JsValue,
        acknowledges: &JsValue,
        say: &JsValue,
        cue: &JsValue,
        mood: &JsValue,
        mood_label: &JsValue,
        trust: &JsValue,
        choices: &JsValue,
        ending: &JsValue,
        can_undo: bool,
        stuck: bool,
    ) -> JsValue;
    #[wasm_bindgen(js_name = trust)]
    fn make_trust(value: i32, band: &JsValue, band_label: &JsValue, text: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = choice)]
    fn push_choice(list: &JsValue, id: &JsValue, text: &JsValue);
    #[wasm_bindgen(js_name = ending)]
    fn make_ending(id: &JsValue, outcome: &JsValue, title: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = turn)]
    #[allow(clippy::too_many_arguments)]
    fn make_turn(
        number: u32,
        node: &JsValue,
        peer_acknowledged: &JsValue,
        peer_said: &JsValue,
        peer_cue: &JsValue,
        choice: &JsValue,
        text: &JsValue,
        skill: &JsValue,
        skill_label: &JsValue,
        kind: &JsValue,
        trust_before: i32,
        trust_after: i32,
        change: i32,
        base: i32,
        modifiers: &JsValue,
        total: i32,
        ceiling: i32,
        consequences: &JsValue,
        worth: i32,
        ceiling_text: &JsValue,
        warning: &JsValue,
        acute: bool,
        disclosure: bool,
        warning_signs: bool,
        feedback: &JsValue,
        why: &JsValue,
        written: &JsValue,
    ) -> JsValue;
    #[wasm_bindgen(js_name = modifier)]
    fn push_modifier(list: &JsValue, reason: &JsValue, text: &JsValue, amount: i32);
    #[wasm_bindgen(js_name = consequence)]
    fn push_consequence(list: &JsValue, amount: i32, feedback: &JsValue, from_turn: &JsValue);
    #[wasm_bindgen(js_name = step)]
    fn make_step(ended: bool, explanation: &JsValue) -> JsValue;
}

/// Where a piece of the scenario's text is kept in [`Words`].
#[derive(Clone, Copy)]
enum Slot {
    Scenario,
    Peer,
    NodeId(usize),
    Say(usize),
    Cue(usize),
    AfterDrop(usize),
    ChoiceId(usize, usize),
    ChoiceText(usize, usize),
    EndingId(usize),
    EndingTitle(usize),
    EndingSay(usize),
    Feedback(usize, usize),
}

/// The scenario's words as JavaScript strings, each made the first time a
/// view shows it and kept for the simulator's life, and the engine's fixed
/// words (modes, moods, bands, skills, reasons) likewise, until
/// [`set_words`] changes them. A view then crosses the boundary as a handful
/// of handles rather than a kilobyte of text to decode.
struct Words {
    slots: Vec<OnceCell<JsValue>>,
    /// The engine's words as JS strings, made from the table of
    /// [`crate::words::generation`] `generation`: [`Words::sync`] forgets
    /// them when the table has changed since.
    engine: RefCell<EngineWords>,
    generation: Cell<u64>,
    null: JsValue,
    /// The first choice slot of each node.
    choices: Vec<usize>,
    endings: usize,
}

impl Words {
    fn of(sc: &Scenario) -> Words {
        let nodes = sc.nodes().len();
        let mut choices = Vec::with_capacity(nodes);
        let mut next = 2 + 4 * nodes;
        for node in sc.nodes() {
            choices.push(next);
            next += 3 * node.choices.len();
        }
        let cells = |n: usize| (0..n).map(|_| OnceCell::new()).collect::<Vec<_>>();
        Words {
            slots: cells(next + 3 * sc.endings().len()),
            engine: RefCell::new(EngineWords::new()),
            generation: Cell::new(crate::words::generation()),
            null: JsValue::NULL,
            choices,
            endings: next,
        }
    }

    fn slot(&self, slot: Slot) -> usize {
        let nodes = self.choices.len();
        match slot {
            Slot::Scenario => 0,
            Slot::Peer => 1,
            Slot::NodeId(n) => 2 + n,
            Slot::Say(n) => 2 + nodes + n,
            Slot::Cue(n) => 2 + 2 * nodes + n,
            Slot::AfterDrop(n) => 2 + 3 * nodes + n,
            Slot::ChoiceId(n, c) => self.choices[n] + 3 * c,
            Slot::ChoiceText(n, c) => self.choices[n] + 3 * c + 1,
            Slot::Feedback(n, c) => self.choices[n] + 3 * c + 2,
            Slot::EndingId(e) => self.endings + 3 * e,
            Slot::EndingTitle(e) => self.endings + 3 * e + 1,
            Slot::EndingSay(e) => self.endings + 3 * e + 2,
        }
    }

    /// A piece of the scenario's text as a JS string, made once and lent.
    fn text(&self, slot: Slot, text: &str) -> &JsValue {
        self.slots[self.slot(slot)].get_or_init(|| JsValue::from_str(text))
    }

    /// A piece of the scenario's text if there is one, else null.
    fn opt(&self, slot: Slot, text: Option<&str>) -> &JsValue {
        text.map_or(&self.null, |text| self.text(slot, text))
    }

    /// Forgets the engine's words when [`set_words`] has changed them since
    /// they were made: a view or a turn calls it first.
    fn sync(&self) {
        let now = crate::words::generation();
        if self.generation.replace(now) != now {
            let mut engine = self.engine.borrow_mut();
            engine.fixed.fill_with(|| None);
            engine.trust.fill_with(|| None);
            engine.fixed_used = 0;
        }
    }

    /// One of the engine's fixed words as a JS string, made once and lent.
    fn fixed(&self, word: &'static str) -> JsValue {
        self.engine.borrow_mut().fixed(word)
    }

    /// Trust in words ("trust 45 of 100, cautious"), made once a level.
    fn trust_text(&self, trust: i32) -> JsValue {
        let level = trust.clamp(0, crate::scenario::MAX_LEVEL) as usize;
        let mut engine = self.engine.borrow_mut();
        engine.trust[level].get_or_insert_with(|| JsValue::from_str(&crate::engine::session::TrustView::of(level as i32).text)).clone()
    }

    /// A turn's explanation, the engine's [`Turn`] as an object: the same
    /// fields in the same order as its JSON.
    fn turn(&self, sc: &Scenario, t: &Turn) -> JsValue {
        self.sync();
        let (n, c) = (t.node_index, t.index);
        let modifiers = js_sys::Array::new();
        for m in &t.modifiers {
            push_modifier(&modifiers, &self.fixed(m.reason.id()), &self.fixed(m.text), m.amount);
        }
        let consequences = js_sys::Array::new();
        for l in &t.consequences {
            push_consequence(&consequences, l.amount, &JsValue::from_str(&l.feedback), &l.from_turn.map_or(JsValue::NULL, |f| JsValue::from(f as u32)));
        }
        let node = &sc.nodes()[n];
        make_turn(
            t.number as u32,
            self.text(Slot::NodeId(n), &t.node),
            self.opt(Slot::AfterDrop(n), t.peer_acknowledged.as_deref()),
            self.text(Slot::Say(n), &node.say),
            self.opt(Slot::Cue(n), node.cue.as_deref()),
            self.text(Slot::ChoiceId(n, c), &t.choice),
            self.text(Slot::ChoiceText(n, c), &t.text),
            &self.fixed(t.skill.id()),
            &self.fixed(t.skill_label),
            &self.fixed(t.kind.id()),
            t.trust_before,
            t.trust_after,
            t.change,
            t.base,
            &modifiers,
            t.total,
            t.ceiling,
            &consequences,
            t.worth,
            &t.ceiling_text.map_or(JsValue::NULL, |c| self.fixed(c)),
            &t.warning.as_deref().map_or(JsValue::NULL, JsValue::from_str),
            t.acute,
            t.disclosure,
            t.warning_signs,
            self.opt(Slot::Feedback(n, c), t.feedback.as_deref()),
            &self.fixed(t.why),
            // Written replies are few and their words the learner's: no cache. A chosen turn
            // (the common case, at every practice step) crosses nothing more.
            &t.written.as_ref().map_or(JsValue::NULL, |w| to_js(w).unwrap_or(JsValue::NULL)),
        )
    }
}

/// The engine's words as JS strings, for one language: what [`Words::sync`] forgets.
struct EngineWords {
    /// An open-addressed table by address, at most half full: a view and a
    /// turn look up a dozen of the engine's fixed (`'static`) words. A word
    /// keeps its address for the table's life: English is the code's, and
    /// [`crate::words`] leaks each translation once and never frees it.
    fixed: Vec<Option<(&'static str, JsValue)>>,
    fixed_used: usize,
    trust: Vec<Option<JsValue>>,
}

impl EngineWords {
    fn new() -> EngineWords {
        EngineWords { fixed: (0..512).map(|_| None).collect(), fixed_used: 0, trust: (0..=crate::scenario::MAX_LEVEL).map(|_| None).collect() }
    }

    fn fixed(&mut self, word: &'static str) -> JsValue {
        let mask = self.fixed.len() - 1;
        let mut i = (word.as_ptr() as usize >> 2).wrapping_mul(0x9e37_79b9) >> 7 & mask;
        while let Some((w, v)) = &self.fixed[i] {
            if std::ptr::eq(*w, word) {
                return v.clone();
            }
            i = (i + 1) & mask;
        }
        let v = JsValue::from_str(word);
        if self.fixed_used * 2 < self.fixed.len() {
            self.fixed_used += 1;
            self.fixed[i] = Some((word, v.clone()));
        }
        v
    }
}

/// The trainer's cohort report (`www/report.html`): statements in, page by
/// page, as the page fetches them from the store; the figures out as JSON
/// and CSV. Only in the trainer's engine (feature `report`).
#[cfg(feature = "report")]
#[wasm_bindgen]
pub struct CohortReport {
    cohort: crate::report::Cohort,
}

#[cfg(feature = "report")]
#[wasm_bindgen]
impl CohortReport {
    /// `options`: JSON of [`crate::report::Options`] (endpoint, activity,
    /// since, until, registrations, actor).
    #[wasm_bindgen(constructor)]
    pub fn new(options: &str) -> Result<CohortReport, JsError> {
        let options = serde_json::from_str(options).map_err(|e| JsError::new(&format!("the report's options: {e}")))?;
        Ok(CohortReport { cohort: crate::report::Cohort::new(options).map_err(|e| JsError::new(&e))? })
    }

    /// The compiled scenario the statements are of (its bytes and file name).
    #[wasm_bindgen(js_name = setScenario)]
    pub fn set_scenario(&mut self, contents: JsValue, name: &str) -> Result<(), JsError> {
        self.cohort.set_scenario(read_compiled(&contents, name)?);
        Ok(())
    }

    /// Statements read so far (for progress: "Read 1,200 statements…").
    #[wasm_bindgen(getter)]
    pub fn statements(&self) -> usize {
        self.cohort.read()
    }

    /// The first page to fetch.
    pub fn url(&self) -> String {
        self.cohort.url().to_string()
    }

    /// Takes one answer of the statements API, as text; returns the next
    /// page's address, or `undefined` at the end.
    #[wasm_bindgen(js_name = addPage)]
    pub fn add_page(&mut self, body: &str) -> Result<Option<String>, JsError> {
        self.cohort.add_page(body).map_err(|e| JsError::new(&e))
    }

    /// The report as JSON, actors as stable codes when `pseudonymise`.
    pub fn json(&self, pseudonymise: bool) -> String {
        serde_json::to_string(&self.cohort.report(pseudonymise)).unwrap_or_default()
    }

    /// `learners` (the per-learner table) or `statements` (every answer) as CSV.
    pub fn csv(&self, what: &str, pseudonymise: bool) -> Result<String, JsError> {
        self.cohort.csv(what, pseudonymise).map_err(|e| JsError::new(&e))
    }
}

/// Reads a compiled scenario from a `Uint8Array` (or an `ArrayBuffer`).
fn read_compiled(contents: &JsValue, name: &str) -> Result<Playable, JsError> {
    let bytes = if let Some(text) = contents.as_string() {
        // Text decoding mangles a binary file; say so rather than call it damaged.
        if text.get(..8).is_some_and(|head| head.ends_with("ATTN\r\n")) || text.starts_with("\u{fffd}ATTN") {
            return Err(JsError::new(&format!("{name} is a compiled scenario, which is binary: pass its bytes (new Uint8Array(await response.arrayBuffer())), not its text")));
        }
        text.into_bytes()
    } else if let Some(array) = contents.dyn_ref::<js_sys::Uint8Array>() {
        array.to_vec()
    } else if let Some(buffer) = contents.dyn_ref::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(buffer).to_vec()
    } else {
        return Err(JsError::new(&format!("{name}: a scenario's contents must be a Uint8Array or a string")));
    };
    crate::compiled::read(&bytes).map_err(|e| JsError::new(&format!("{name}: {e}")))
}

/// Checks a scenario's source: only in the authors' build.
#[cfg(feature = "check")]
fn check_source(contents: &JsValue, name: &str) -> Result<Playable, JsError> {
    use crate::diagnostic::Source;
    use crate::checking::{Format, check, refuse_unanalysed};
    let text = contents.as_string().ok_or_else(|| JsError::new(&format!("{name}: a scenario's source must be given as text")))?;
    let mut report = check(&text, Format::from_path(name));
    refuse_unanalysed(&mut report);
    if let Some(scenario) = report.scenario.take() {
        return Ok(scenario);
    }
    let errors = report.errors().count();
    let rendered = Source::new(name, &text).render_all(report.errors());
    Err(JsError::new(&format!("{name} has {errors} error{}:\n{rendered}", if errors == 1 { "" } else { "s" })))
}

#[cfg(not(feature = "check"))]
fn check_source(_: &JsValue, name: &str) -> Result<Playable, JsError> {
    Err(JsError::new(&format!("{name} is a scenario's source, and this engine reads compiled scenarios only: compile it with `attunement compile` (the authors' preview opens sources)")))
}

/// Hands a value to JavaScript as a plain object: written as JSON here and
/// parsed by the JS engine's own `JSON.parse`, which crosses the boundary
/// once with one string. serde-wasm-bindgen built each object a property at
/// a time, one crossing each, which made a step several times slower (see
/// the README's figures).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    // Writing fails only for a map with keys that are not strings, which no view has; its
    // message is left out of the learner's engine (with serde_json's error texts, 1 KB).
    let json = json(value).map_err(|_| JsError::new("the engine could not write a view as JSON"))?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("the engine wrote a view JavaScript could not read"))
}

/// JSON for [`to_js`]. The learner's engine writes its few fractions with [`Short`]; an engine
/// with the reply coder keeps serde_json's exact form, since its coding's confidence is compared
/// with the native engine's to the last digit.
#[cfg(not(feature = "coder"))]
fn json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(256);
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, Short))?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8(out).unwrap_or_default())
}

#[cfg(feature = "coder")]
fn json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    serde_json::to_string(value)
}

/// serde_json's compact JSON, but a number that is not an integer is written to six decimals
/// by integer arithmetic (`0.73`, `1.5`, `0.333333`), in place of serde_json's shortest exact
/// form, whose printer (zmij) was 1.8 KB of the learner's download gzipped. The learner's
/// fractions are the score's `scaled` (hundredths), and the MITI ratio and share, which the
/// widget shows to two places. From a trillion on a number is written whole, its fraction
/// dropped (and beyond i64's range, saturated); none of the learner's comes near.
#[cfg(not(feature = "coder"))]
struct Short;

/// A number as the learner's engine writes it to JavaScript, for the test of [`Short`].
#[cfg(all(feature = "test-hooks", not(feature = "coder")))]
#[doc(hidden)]
pub fn json_number(x: f64) -> String {
    json(&x).unwrap_or_default()
}

#[cfg(not(feature = "coder"))]
impl serde_json::ser::Formatter for Short {
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, x: f64) -> std::io::Result<()> {
        if x.abs() >= 1e12 {
            return self.write_i64(w, x as i64);
        }
        // Non-finite numbers never come here: serde_json writes them as null.
        let millionths = (x.abs() * 1e6 + 0.5) as u64;
        if x < 0.0 && millionths > 0 {
            w.write_all(b"-")?;
        }
        self.write_u64(w, millionths / 1_000_000)?;
        let mut fraction = millionths % 1_000_000;
        if fraction > 0 {
            let mut digits = *b".000000";
            for d in digits[1..].iter_mut().rev() {
                *d = b'0' + (fraction % 10) as u8;
                fraction /= 10;
            }
            let end = digits.iter().rposition(|&d| d != b'0').map_or(1, |i| i + 1);
            w.write_all(&digits[..end])?;
        }
        Ok(())
    }

    fn write_f32<W: ?Sized + std::io::Write>(&mut self, w: &mut W, x: f32) -> std::io::Result<()> {
        self.write_f64(w, f64::from(x))
    }
}
