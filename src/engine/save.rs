//! Compact, versioned save strings.
//!
//! A save records the scenario id, its content hash, the mode, the seed and
//! each pick as seven base-36 digits: the choice's authored position and six
//! of a 31-bit fingerprint of its id (or of its text, when it has no id).
//! Restoring replays the picks through the engine, so a save can never
//! describe a state the engine would not reach. A checksum catches
//! corruption; a changed scenario is replayed as far as its choices still
//! exist, and the learner is told where it stopped.
//!
//! The fingerprint matters only after a scenario edit, when a pick is looked
//! up among the choices now offered: with 31 bits, the chance that some
//! other offered choice carries the same fingerprint in a 100-turn session
//! is below 100 × 35 / 2^31, about 2 in a million. The first format, `A1`,
//! kept two digits (1,296 values, enough for an edit to fool a restore); its
//! saves still restore, since its fingerprint is the new one modulo 1,296.
//!
//! Layout: `A2.<scenario>.<hash>.<mode><seed>.<picks>.<check>`; a session of
//! 100 turns takes about 730 characters plus the id, well under the 4,096 of
//! SCORM 1.2's `suspend_data`. Restore is told the mode the page plays and
//! refuses a save of the other mode, so a save cannot turn an assessment
//! into practice (with its feedback and undo).

use std::fmt;
use std::sync::Arc;

use super::session::{Mode, Session};
use crate::hash::fnv;
use crate::scenario::Playable;

const VERSION: &str = "A2";
/// The first format: two fingerprint digits a pick.
const VERSION_1: &str = "A1";
/// Six base-36 digits: the fingerprints of [`crate::scenario::Choice`].
pub const FINGERPRINTS: u32 = 36 * 36 * 36 * 36 * 36 * 36;
const A1_FINGERPRINTS: u32 = 36 * 36;
/// More choices than any conversation takes: a save claiming more is refused
/// before it is replayed, since each turn it replays is kept (a few hundred
/// bytes each), and a scenario with a cycle would replay any number.
pub const MAX_TURNS: usize = 10_000;
const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

crate::words::templates! {
    /// A restore into a changed scenario that stopped `{at}` (`notice.at_node` or `notice.at_ending`).
    NOTICE_STOPPED_ONE = "notice.stopped.one" => "the scenario has changed since this save: replayed {done} of {total} choice and stopped {at}";
    NOTICE_STOPPED_MANY = "notice.stopped.many" => "the scenario has changed since this save: replayed {done} of {total} choices and stopped {at}";
    NOTICE_AT_NODE = "notice.at_node" => "at node `{node}`";
    NOTICE_AT_ENDING = "notice.at_ending" => "at an ending";
    /// A restore into a changed scenario that every pick still fitted.
    NOTICE_FITS_ONE = "notice.fits.one" => "the scenario has changed since this save, but its {total} choice still fits";
    NOTICE_FITS_MANY = "notice.fits.many" => "the scenario has changed since this save, but all {total} choices still fit";
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveError {
    Corrupt(&'static str),
    Version(String),
    OtherScenario { save: String, scenario: String },
    /// The save was made in one mode and the page plays the other.
    OtherMode { save: Mode, page: Mode },
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::Corrupt(why) => write!(f, "the save is corrupted: {why}"),
            SaveError::Version(v) => write!(f, "save format `{v}` is not supported by this version"),
            SaveError::OtherScenario { save, scenario } => write!(f, "the save belongs to scenario `{save}`, not `{scenario}`"),
            SaveError::OtherMode { save, page } => write!(f, "the save was made in {} mode, not {} mode", save.id(), page.id()),
        }
    }
}

impl std::error::Error for SaveError {}

/// A restored session, and a notice when the scenario had changed.
#[derive(Debug)]
pub struct Restored {
    pub session: Session,
    pub notice: Option<String>,
}

impl Session {
    pub fn save(&self) -> String {
        let sc = self.scenario();
        let mode = match self.mode() {
            Mode::Practice => 'p',
            Mode::Assessment => 'a',
        };
        let mut picks = String::with_capacity(self.turns().len() * 7);
        for t in self.turns() {
            picks.push(DIGITS[t.index] as char);
            let fingerprint = sc.nodes()[t.node_index].choices[t.index].fingerprint;
            for place in (0..6).rev() {
                picks.push(DIGITS[(fingerprint / 36u32.pow(place) % 36) as usize] as char);
            }
        }
        let body = format!("{VERSION}.{}.{:016x}.{mode}{}.{picks}", sc.meta().id, sc.hash(), base36(self.seed()));
        format!("{body}.{:08x}", fnv(body.as_bytes()) as u32)
    }

    /// Restores a save into a session of `mode`, the mode the caller plays:
    /// a save of the other mode is refused.
    pub fn restore(scenario: Arc<Playable>, save: &str, mode: Mode) -> Result<Restored, SaveError> {
        let save = save.trim();
        let (body, check) = save.rsplit_once('.').ok_or(SaveError::Corrupt("it is not a save string"))?;
        let version = body.split('.').next().unwrap_or_default();
        let width = match version {
            VERSION => 7,
            VERSION_1 => 3,
            _ => return Err(SaveError::Version(version.chars().take(8).collect())),
        };
        if format!("{:08x}", fnv(body.as_bytes()) as u32) != check {
            return Err(SaveError::Corrupt("its checksum does not match"));
        }
        let parts: Vec<&str> = body.split('.').collect();
        let [_, id, hash, mode_seed, picks] = parts[..] else {
            return Err(SaveError::Corrupt("it has the wrong number of parts"));
        };
        if id != scenario.meta().id {
            return Err(SaveError::OtherScenario { save: id.to_string(), scenario: scenario.meta().id.clone() });
        }
        let hash = u64::from_str_radix(hash, 16).map_err(|_| SaveError::Corrupt("its content hash is not a number"))?;
        let saved = match mode_seed.chars().next() {
            Some('p') => Mode::Practice,
            Some('a') => Mode::Assessment,
            _ => return Err(SaveError::Corrupt("its mode is unknown")),
        };
        if saved != mode {
            return Err(SaveError::OtherMode { save: saved, page: mode });
        }
        let seed = u64::from_str_radix(mode_seed.get(1..).unwrap_or_default(), 36).map_err(|_| SaveError::Corrupt("its seed is not a number"))?;
        if picks.len() / width > MAX_TURNS {
            return Err(SaveError::Corrupt("it holds more choices than any conversation takes"));
        }
        let digits: Option<Vec<usize>> = picks.bytes().map(|b| DIGITS.iter().position(|&d| d == b)).collect();
        let digits = digits.filter(|d| d.len() % width == 0).ok_or(SaveError::Corrupt("its choices are unreadable"))?;
        // An `A1` pick holds the fingerprint modulo 1,296.
        let modulus = if width == 3 { A1_FINGERPRINTS } else { FINGERPRINTS };

        // The content hash keeps the first format's two-digit fingerprints,
        // so an edit it cannot see (1 in 1,296 rewordings of an unnamed
        // choice) can still move a pick: a pick that does not fit where it
        // was is then looked for as after any change.
        let mut changed = hash != scenario.hash();
        let total = digits.len() / width;
        let mut session = Session::start(scenario, mode, seed);
        for (done, pick) in digits.chunks(width).enumerate() {
            let index = pick[0];
            let fingerprint = pick[1..].iter().fold(0u32, |n, &d| n * 36 + d as u32);
            let matches = |c: &crate::scenario::Choice| c.fingerprint % modulus == fingerprint;
            let found = session.state().node().and_then(|n| {
                let node = &session.scenario().nodes()[n];
                let offered: Vec<usize> = session.state().offered(session.scenario()).collect();
                if !changed && offered.contains(&index) && matches(&node.choices[index]) {
                    return Some(index);
                }
                // The choice may have moved: find it by its fingerprint.
                changed = true;
                let same: Vec<usize> = offered.into_iter().filter(|&i| matches(&node.choices[i])).collect();
                if same.contains(&index) { Some(index) } else if same.len() == 1 { Some(same[0]) } else { None }
            });
            match found {
                Some(i) => session.take(i),
                None if changed => {
                    let at = match session.state().node() {
                        Some(n) => NOTICE_AT_NODE.fill(&[("node", &session.scenario().nodes()[n].id)]),
                        None => NOTICE_AT_ENDING.word().to_string(),
                    };
                    let stopped = if total == 1 { NOTICE_STOPPED_ONE } else { NOTICE_STOPPED_MANY };
                    let notice = stopped.fill(&[("done", &done.to_string()), ("total", &total.to_string()), ("at", &at)]);
                    return Ok(Restored { session, notice: Some(notice) });
                }
                None => return Err(SaveError::Corrupt("a choice in it does not fit the scenario")),
            }
        }
        let notice = changed.then(|| (if total == 1 { NOTICE_FITS_ONE } else { NOTICE_FITS_MANY }).fill(&[("total", &total.to_string())]));
        Ok(Restored { session, notice })
    }
}

fn base36(mut n: u64) -> String {
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}
