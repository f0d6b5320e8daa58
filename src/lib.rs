//! Attunement: an empathy-practice simulator for peer-support training.
//!
//! The crate is a pure engine: scenarios in, sessions and debriefs out. It
//! never touches a clock, a file, a thread or the DOM, and its only
//! randomness is seeded by the caller. The CLI (`src/main.rs`) and the
//! browser binding build on it; see `ARCHITECTURE.md` for the map.

#![forbid(unsafe_code)]

pub mod analysis;
pub mod debrief;
pub mod diagnostic;
pub mod engine;
#[doc(hidden)]
pub mod generate;
pub mod hash;
pub mod scenario;
pub mod scorm;
pub mod skill;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use analysis::{Analysis, analyze};
pub use debrief::Debrief;
pub use diagnostic::{Diagnostic, Severity, Source};
pub use engine::save::{Restored, SaveError};
pub use engine::session::{Mode, PlayError, Session, Step, View};
pub use scenario::{Format, Report, Scenario, check};
pub use skill::Skill;
