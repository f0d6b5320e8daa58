//! What the learner's engine is given from outside, read in bounded memory: compiled files
//! whose counts claim millions of items (with a right checksum, as a hostile file can have),
//! and the engine's words given one id many times over. A test binary of one test, so that
//! the counting allocator sees nothing else: `tests/hostile.rs` holds checking's cases, with
//! bounds loose enough to share its binary with the CLI's tests.

use attunement::compiled::{self, ReadError};
use attunement::scenario::{MAX_FLAGS, MAX_SOURCE_BYTES};

#[path = "support/counting.rs"]
mod counting;
#[path = "support/bomb.rs"]
mod bomb;
use bomb::{Bomb, bomb};

const MIB: usize = 1 << 20;

#[test]
fn what_the_learners_engine_is_given_is_read_in_bounded_memory() {
    // Compiled files with a right checksum and a count of millions: each is
    // refused, and reading it takes under 1 MiB. A count once reserved its
    // items in full, about a hundred bytes of memory for each byte it stood
    // for (416 MiB of wasm memory for a 3 MB file).
    const N: usize = 4_000_000;
    for (what, bytes, why) in [
        ("choices", bomb(Bomb::Choices, N), ReadError::Corrupt("a node has too many choices")),
        ("nodes", bomb(Bomb::Nodes, N), ReadError::Corrupt("a node has no choices")),
        ("flags", bomb(Bomb::Flags, N), ReadError::Corrupt("it has too many flags")),
        ("empty flags, too many", bomb(Bomb::Flags, MAX_FLAGS + 1), ReadError::Corrupt("it has too many flags")),
    ] {
        let (read, peak) = counting::peak_of(|| compiled::read(&bytes));
        assert_eq!(read.err(), Some(why), "{what}");
        assert!(peak < MIB, "{what}: reading a {} KiB file took {} KiB at its peak", bytes.len() >> 10, peak >> 10);
    }
    // As many flags as a scenario may have are read, and the file fails further on.
    assert_eq!(compiled::read(&bomb(Bomb::Flags, MAX_FLAGS)).err(), Some(ReadError::Corrupt("a value runs past the end")));
    let huge = bomb(Bomb::Nodes, MAX_SOURCE_BYTES);
    let (read, peak) = counting::peak_of(|| compiled::read(&huge));
    assert_eq!(read.err(), Some(ReadError::TooLarge(huge.len())));
    assert!(peak < MIB, "a file over 8 MiB is refused unread: {} KiB", peak >> 10);
    assert!(ReadError::TooLarge(huge.len()).to_string().starts_with("the file is 8193 KiB, more than the 8192 KiB a scenario may be"));

    // The engine's words given one id 100,000 times over, each with its own text: the last one
    // stands and only it is kept (texts are leaked for the thread's life, and every losing one
    // once was: 11 MiB here, and a sorted insert for each).
    let json = format!("{{{}}}", (0..100_000).rev().map(|i| format!("\"mood.calm\": \"calm, take {i:06} of a long text that only one id uses\"")).collect::<Vec<_>>().join(","));
    let before = counting::reset_peak();
    assert_eq!(attunement::words::set(&json), Ok(1));
    let kept = counting::reset_peak().saturating_sub(before);
    assert_eq!(attunement::words::word("mood.calm", "calm"), "calm, take 000000 of a long text that only one id uses");
    assert!(kept < MIB, "setting the words kept {} KiB", kept >> 10);
    attunement::words::set("{}").unwrap();
}
