//! Attunement: an empathy-practice simulator for peer-support training.
//!
//! The crate is a pure engine: scenarios in, sessions and debriefs out. It
//! never touches a clock, a file, a thread or the DOM, and its only
//! randomness is seeded by the caller. The CLI (`src/main.rs`) and the
//! browser binding build on it; see `ARCHITECTURE.md` for the map.

#![forbid(unsafe_code)]

#[cfg(feature = "check")]
pub mod analysis;
#[cfg(feature = "check")]
pub mod checking;
pub mod coder;
pub mod compiled;
pub mod debrief;
#[cfg(feature = "check")]
pub mod diagnostic;
pub mod engine;
#[cfg(feature = "check")]
#[doc(hidden)]
pub mod generate;
pub mod hash;
#[cfg(feature = "report")]
pub mod report;
pub mod scenario;
#[cfg(feature = "check")]
pub mod scorm;
pub mod skill;
#[cfg(feature = "check")]
pub mod translate;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
pub mod words;

#[cfg(feature = "check")]
pub use analysis::{Analysis, analyze};
pub use debrief::Debrief;
#[cfg(feature = "check")]
pub use diagnostic::{Diagnostic, Severity, Source};
pub use engine::save::{Restored, SaveError};
pub use engine::session::{Mode, PlayError, Session, Step, View};
pub use scenario::Scenario;
#[cfg(feature = "check")]
pub use checking::{Format, Report, check};
pub use skill::Skill;
