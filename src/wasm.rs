//! The browser binding: the only module that names `wasm_bindgen` or `js_sys`.
//!
//! A thin layer over the engine for the `<attunement-sim>` element. It loads a
//! scenario from its text, starts or restores a session, and hands the engine's
//! view, step and debrief to JavaScript as plain objects; every error becomes a
//! JS `Error` carrying the engine's message. JavaScript holds no game logic: it
//! renders what comes back and reports the learner's pick.
//!
//! A panic cannot unwind on `wasm32-unknown-unknown`, so the instance traps and
//! is unusable afterwards. `install_panic_hook` hands the panic message to a JS
//! callback first, so the widget can show an error panel instead of freezing.

use std::cell::RefCell;
use std::sync::Arc;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::engine::session::{Mode, Session};
use crate::scenario::Scenario;

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

/// Whether this build reads TOML (the authors' build) or only compiled scenarios.
#[wasm_bindgen(js_name = readsToml)]
pub fn reads_toml() -> bool {
    cfg!(feature = "toml")
}

/// A checked scenario, ready to play.
#[wasm_bindgen]
pub struct Simulator {
    scenario: Arc<Scenario>,
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
        Ok(Simulator { scenario: Arc::new(scenario) })
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
        let (sc, m) = (&*self.scenario, &self.scenario.meta);
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
            peer: &sc.peer,
            hash: format!("{:016x}", sc.hash),
        })
    }

    /// Starts a session in `practice` or `assessment` mode.
    pub fn start(&self, mode: &str, seed: u32) -> Result<Play, JsError> {
        let mode = Mode::from_id(mode).ok_or_else(|| JsError::new(&format!("unknown mode `{mode}`; use practice or assessment")))?;
        Ok(Play { session: Session::start(self.scenario.clone(), mode, seed.into()), notice: None })
    }

    /// Restores a session from a save string into the page's `mode`. A
    /// changed scenario is replayed as far as it fits, with a notice; a
    /// corrupt or foreign save, or one made in the other mode, is an error.
    pub fn restore(&self, save: &str, mode: &str) -> Result<Play, JsError> {
        let mode = Mode::from_id(mode).ok_or_else(|| JsError::new(&format!("unknown mode `{mode}`; use practice or assessment")))?;
        let restored = Session::restore(self.scenario.clone(), save, mode).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Play { session: restored.session, notice: restored.notice })
    }
}

/// A learner's session.
#[wasm_bindgen]
pub struct Play {
    session: Session,
    notice: Option<String>,
}

#[wasm_bindgen]
impl Play {
    /// What the learner sees now: the peer's line and cue, mood, trust, choices.
    pub fn view(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.view())
    }

    /// Picks the offered choice with this id; returns `{ ended, explanation }`,
    /// the explanation only in practice mode.
    pub fn choose(&mut self, id: &str) -> Result<JsValue, JsError> {
        let step = self.session.choose(id).map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&step)
    }

    /// Takes back the last choice (practice mode only).
    pub fn undo(&mut self) -> Result<(), JsError> {
        self.session.undo().map_err(|e| JsError::new(&e.to_string()))
    }

    /// The turns so far, each fully explained (for rebuilding a transcript after
    /// a reload; in assessment mode the widget shows only the text).
    pub fn turns(&self) -> Result<JsValue, JsError> {
        to_js(self.session.turns())
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
    pub fn debrief(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.debrief().map_err(|e| JsError::new(&e.to_string()))?)
    }

    /// The whole conversation and its debrief as Markdown, for download.
    pub fn markdown(&self) -> Result<String, JsError> {
        Ok(self.session.debrief().map_err(|e| JsError::new(&e.to_string()))?.markdown())
    }
}

/// Reads a compiled scenario from a `Uint8Array` (or an `ArrayBuffer`).
fn read_compiled(contents: &JsValue, name: &str) -> Result<Scenario, JsError> {
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
fn check_source(contents: &JsValue, name: &str) -> Result<Scenario, JsError> {
    use crate::diagnostic::Source;
    use crate::scenario::{Format, check, refuse_unanalysed};
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
fn check_source(_: &JsValue, name: &str) -> Result<Scenario, JsError> {
    Err(JsError::new(&format!("{name} is a scenario's source, and this engine reads compiled scenarios only: compile it with `attunement compile` (the authors' preview opens sources)")))
}

/// Hands a value to JavaScript as a plain object: written as JSON here and
/// parsed by the JS engine's own `JSON.parse`, which crosses the boundary
/// once with one string. serde-wasm-bindgen built each object a property at
/// a time, one crossing each, which made a step several times slower (see
/// the README's figures).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let json = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("the engine wrote a view JavaScript could not read"))
}
