//! The compiled form: what `check` finds, `compile` writes and the learner's
//! engine reads must be the same scenario, and the reader must refuse every
//! damaged file with an error, never a panic.
//!
//! Round trips compare the whole model (its `Debug` form, every field) and
//! then whole sessions, byte for byte: the view, every step, the save and
//! the debrief (as JSON) after the same seeded picks.

use std::sync::Arc;

use attunement::scenario::Playable;
use attunement::compiled::{self, MAGIC, ReadError, VERSION};
use attunement::generate::{Shape, scenario};
use attunement::hash::Rng;
use attunement::checking::{Format, compile};
use attunement::{Mode, Scenario, Session};
use proptest::prelude::*;

const LIBRARY: [&str; 5] = ["first-meeting", "nobody-listens", "after-the-slip", "bearing-witness", "asking-directly"];

fn source(id: &str) -> String {
    std::fs::read_to_string(format!("{}/scenarios/{id}.toml", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn checked(text: &str) -> Playable {
    Scenario::parse(text, Format::Toml).unwrap_or_else(|d| panic!("{d:?}"))
}

/// Everything a learner could see in `sessions` seeded plays: each view,
/// each step, the save after each step, and the debrief.
fn transcript(sc: Playable, sessions: u64) -> Vec<String> {
    let sc = Arc::new(sc);
    let mut out = Vec::new();
    for seed in 0..sessions {
        for mode in [Mode::Practice, Mode::Assessment] {
            let mut session = Session::start(sc.clone(), mode, seed);
            let mut rng = Rng::new(seed ^ 0x5eed);
            for _ in 0..200 {
                let view = session.view();
                out.push(serde_json::to_string(&view).unwrap());
                if view.choices.is_empty() {
                    break;
                }
                let id = view.choices[rng.below(view.choices.len())].id.clone();
                out.push(serde_json::to_string(&session.choose(&id).unwrap()).unwrap());
                out.push(session.save());
            }
            if let Ok(d) = session.debrief() {
                out.push(serde_json::to_string(&d).unwrap());
            }
        }
    }
    out
}

fn round_trip(text: &str, sessions: u64) {
    let bytes = compile(text, Format::Toml).unwrap_or_else(|d| panic!("{d:?}"));
    let read = compiled::read(&bytes).unwrap_or_else(|e| panic!("{e}"));
    let direct = checked(text);
    let (a, b) = (format!("{read:?}"), format!("{direct:?}"));
    if let Some(i) = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).or((a.len() != b.len()).then(|| a.len().min(b.len()))) {
        let at = |s: &str| s.get(i.saturating_sub(120)..(i + 80).min(s.len())).unwrap_or_default().to_string();
        panic!("the compiled scenario must be the checked one, field for field; they differ at\n  read:    {}\n  checked: {}", at(&a), at(&b));
    }
    assert_eq!(compiled::write(&read), Some(bytes), "writing what was read gives the same bytes");
    assert_eq!(transcript(read, sessions), transcript(direct, sessions));
}

#[test]
fn every_library_scenario_reads_back_as_checked_and_plays_the_same() {
    for id in LIBRARY {
        round_trip(&source(id), 12);
    }
}

#[test]
fn the_compiled_fixture_is_the_toml_fixture_compiled() {
    let tiny = std::fs::read_to_string(format!("{}/tests/fixtures/tiny.toml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let compiled = compile(&tiny, Format::Toml).unwrap();
    let path = format!("{}/tests/fixtures/tiny.attn", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &compiled).unwrap();
    }
    assert!(std::fs::read(&path).unwrap() == compiled, "tests/fixtures/tiny.attn is stale: run UPDATE_GOLDEN=1 cargo test --test compiled");
}

#[test]
fn a_compiled_scenario_starts_with_the_magic_and_version() {
    let bytes = compile(&source("first-meeting"), Format::Toml).unwrap();
    assert_eq!(bytes[..8], MAGIC);
    assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), VERSION);
}

#[test]
fn foreign_files_are_named_for_what_they_are() {
    let toml = source("first-meeting");
    assert_eq!(compiled::read(toml.as_bytes()).err(), Some(ReadError::Foreign { source: true }));
    assert_eq!(compiled::read(b"{\"id\": \"x\"}").err(), Some(ReadError::Foreign { source: true }));
    assert_eq!(compiled::read(b"\x00\x01\x02garbage").err(), Some(ReadError::Foreign { source: false }));
    // An ASCII-mode upload turns the magic's \r\n into \n.
    let bytes = compile(&toml, Format::Toml).unwrap();
    let mut text_mode = bytes[..5].to_vec();
    text_mode.extend(bytes[5..].iter().copied().filter(|&b| b != b'\r'));
    assert_eq!(compiled::read(&text_mode).err(), Some(ReadError::Corrupt("its line endings were changed on the way, as a text-mode transfer does: upload it in binary mode")));
    assert_eq!(compiled::read(b"").err(), Some(ReadError::Foreign { source: false }));
    assert_eq!(
        ReadError::Foreign { source: true }.to_string(),
        "this is a scenario's source, not its compiled form: compile it with `attunement compile`, or open it with the authors' preview"
    );
}

#[test]
fn other_versions_and_short_files_are_refused_plainly() {
    let bytes = compile(&source("first-meeting"), Format::Toml).unwrap();
    let mut newer = bytes.clone();
    newer[8..10].copy_from_slice(&(VERSION + 1).to_le_bytes());
    assert_eq!(compiled::read(&newer).err(), Some(ReadError::Newer(VERSION + 1)));
    assert!(ReadError::Newer(VERSION + 1).to_string().contains("newer version of Attunement"));
    let mut older = bytes.clone();
    older[8..10].copy_from_slice(&0u16.to_le_bytes());
    assert_eq!(compiled::read(&older).err(), Some(ReadError::Older(0)));
    assert_eq!(compiled::read(&bytes[..12]).err(), Some(ReadError::Truncated));
    assert_eq!(compiled::read(&bytes[..bytes.len() - 1]).err(), Some(ReadError::Truncated));
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(compiled::read(&longer).err(), Some(ReadError::Corrupt("it has bytes after its end")));
    assert_eq!(ReadError::Truncated.to_string(), "the compiled scenario is incomplete (the file is cut short): copy or download it again");
}

/// A body whose structure length asks for more than follows it (a hostile file can carry a
/// right checksum) is refused, never a panic: the smallest, a body of the one byte 0x01.
#[test]
fn a_structure_longer_than_the_body_is_refused() {
    for body in [&[0x01][..], &[0x03, 0, 0], &[0x82, 0x00]] {
        let mut bytes = compiled::MAGIC.to_vec();
        bytes.extend_from_slice(&VERSION.to_le_bytes());
        bytes.extend_from_slice(&(body.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&[0; 8]);
        bytes.extend_from_slice(body);
        compiled::mend_checksum(&mut bytes);
        assert_eq!(compiled::read(&bytes).err(), Some(ReadError::Corrupt("a value runs past the end")), "{body:?}");
    }
}

#[test]
fn a_changed_byte_anywhere_is_caught_by_the_checksum() {
    let bytes = compile(&source("first-meeting"), Format::Toml).unwrap();
    // Every bit of every byte of the body, the trailing ones (not a whole
    // word) included.
    for i in (22..bytes.len()).step_by(97).chain(bytes.len() - 7..bytes.len()) {
        for bit in 0..8 {
            let mut flipped = bytes.clone();
            flipped[i] ^= 1 << bit;
            assert_eq!(compiled::read(&flipped).err(), Some(ReadError::Corrupt("its checksum does not match its contents")), "byte {i}, bit {bit}");
        }
    }
}

/// Checking gives each delayed consequence a flag of its own, and the engine
/// counts the consequences landing at a step in one `u64` by that: a file
/// whose consequences share a flag is refused. Every one-byte change of the
/// structure to either flag's number, with the checksum mended: whatever the
/// reader accepts keeps them apart.
#[test]
fn delayed_consequences_that_share_a_flag_are_refused() {
    let tiny = std::fs::read_to_string(format!("{}/tests/fixtures/tiny.toml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut text = String::new();
    for part in tiny.split_inclusive('\n') {
        text.push_str(part);
        if part.starts_with("skill = \"reassurance\"") || part.starts_with("skill = \"lecturing\"") {
            text.push_str("later = { at = \"guarded\", trust = -5, feedback = \"It comes back to you.\" }\n");
        }
    }
    let bytes = compile(&text, Format::Toml).unwrap_or_else(|d| panic!("{d:?}"));
    let bits = |sc: &Playable| sc.laters().iter().map(|&(n, c)| sc.nodes()[n].choices[c].later.as_ref().unwrap().bit).collect::<Vec<_>>();
    let original = bits(&compiled::read(&bytes).unwrap());
    assert_eq!(original.len(), 2);
    assert_ne!(original[0], original[1]);
    let mut shared = 0;
    for i in 22..bytes.len() {
        for &bit in &original {
            let mut changed = bytes.clone();
            changed[i] = bit;
            compiled::mend_checksum(&mut changed);
            match compiled::read(&changed) {
                Ok(sc) => {
                    let b = bits(&sc);
                    assert!(b.iter().enumerate().all(|(k, x)| !b[..k].contains(x)), "byte {i} set to {bit}: {b:?}");
                }
                Err(ReadError::Corrupt("two delayed consequences share a flag")) => shared += 1,
                Err(_) => {}
            }
        }
    }
    // At least each consequence's own flag byte, set to the other's.
    assert!(shared >= 2, "{shared}");
}

/// Plays a read scenario every way a learner could for a while, to show that
/// what the reader accepts cannot make the engine panic.
fn exercise(sc: Playable) {
    let sc = Arc::new(sc);
    for seed in 0..4 {
        let mut session = Session::start(sc.clone(), Mode::Practice, seed);
        let mut rng = Rng::new(seed);
        for _ in 0..60 {
            let view = session.view();
            if view.choices.is_empty() {
                break;
            }
            let id = view.choices[rng.below(view.choices.len())].id.clone();
            let _ = session.choose(&id);
        }
        let save = session.save();
        let _ = Session::restore(sc.clone(), &save, Mode::Practice);
        let _ = session.debrief().map(|d| serde_json::to_string(&d).unwrap());
    }
}

/// Two library scenarios compiled once: the simplest and the largest.
fn library_bytes() -> &'static [Vec<u8>] {
    static BYTES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| ["first-meeting", "asking-directly"].map(|id| compile(&source(id), Format::Toml).unwrap()).into())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn generated_scenarios_read_back_as_checked_and_play_the_same(seed in any::<u64>(), nodes in 2usize..40, max_choices in 2usize..5, cycles in any::<bool>(), flags in 0usize..4, gates in any::<bool>(), distress in any::<bool>()) {
        round_trip(&scenario(seed, &Shape { nodes, max_choices, cycles, flags, gates, distress }), 3);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Any change of one to four bytes, a cut or an insertion is refused: the
    /// checksum sees it.
    #[test]
    fn the_reader_refuses_every_mutated_file(which in 0usize..2, edits in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255, 0u8..3), 1..4)) {
        let original = &library_bytes()[which];
        let mut bytes = original.clone();
        for (at, value, kind) in edits {
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] ^= value,
                1 => bytes.truncate(i.max(1)),
                _ => bytes.insert(i, value),
            }
        }
        prop_assume!(bytes != *original);
        prop_assert!(compiled::read(&bytes).is_err());
    }

    /// With the checksum mended, the reader's own checks meet the damage:
    /// they refuse it or the result plays without a panic.
    #[test]
    fn a_mutated_file_with_a_mended_checksum_is_refused_or_plays(which in 0usize..2, edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)) {
        let mut bytes = library_bytes()[which].clone();
        for (at, value) in edits {
            let i = 22 + at.index(bytes.len() - 22);
            bytes[i] = value;
        }
        compiled::mend_checksum(&mut bytes);
        if let Ok(sc) = compiled::read(&bytes) {
            exercise(sc);
        }
    }
}
