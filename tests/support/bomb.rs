//! Compiled files made to exhaust memory: shared by the hostile-input tests
//! (`tests/hostile.rs`, natively, with the counting allocator) and the
//! binding's (`tests/wasm.rs`, in wasm, where memory never shrinks), with
//! the LEB128 encoder both use to patch a compiled file's numbers.
//! `#[path]`-included, like `counting.rs`.

use attunement::compiled;
use attunement::skill::Skill;

/// `n` in unsigned LEB128, as the compiled form writes its numbers.
pub fn leb128(mut n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
    out
}

/// Where [`bomb`] puts its count of `n`.
pub enum Bomb {
    /// The scenario's flags: `n` empty names.
    Flags,
    /// Its nodes, after no flags: `n` zero bytes, so the first node has no choices.
    Nodes,
    /// The first node's choices: `n` zero bytes, more than a node may have.
    Choices,
}

/// A compiled file of the current format with a right checksum, empty everywhere but for one
/// count of `n` followed by `n` zero bytes, each of which a one-byte item could be read from.
pub fn bomb(at: Bomb, n: usize) -> Vec<u8> {
    let uint = |out: &mut Vec<u8>, n: u64| out.extend(leb128(n));
    let mut s = Vec::new();
    let level = "introductory";
    // The skill and outcome tables, empty; the level table, one entry.
    for n in [0, 0, 1, level.len()] {
        uint(&mut s, n as u64);
    }
    // Meta: id, title, language and summary empty, no objectives, minutes 0, the level,
    // no order, no content notes; the peer: no name, pronouns or background, trust 0,
    // distress 0; the profile; floor, acute, sharp drop and pass; start, no disengaged
    // ending, no leaving node.
    s.extend([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    s.extend([0, 0, 0, 0, 0]);
    uint(&mut s, Skill::ALL.len() as u64);
    s.extend(std::iter::repeat_n(0, Skill::ALL.len()));
    s.extend([0, 0, 0, 0, 0, 0, 0]);
    match at {
        Bomb::Flags => uint(&mut s, n as u64),
        Bomb::Nodes => {
            s.push(0);
            uint(&mut s, n as u64);
        }
        Bomb::Choices => {
            // No flags, one node: id and say empty, no cue, no words after a drop, not a
            // disclosure, no warning signs, no gate, distress 0, no visit flag.
            s.extend([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            uint(&mut s, n as u64);
        }
    }
    s.extend(std::iter::repeat_n(0, n));
    let mut body = Vec::new();
    uint(&mut body, s.len() as u64);
    body.extend(s);
    body.extend(level.as_bytes());
    let mut out = compiled::MAGIC.to_vec();
    out.extend(compiled::VERSION.to_le_bytes());
    out.extend((body.len() as u32).to_le_bytes());
    out.extend([0; 8]);
    out.extend(body);
    compiled::mend_checksum(&mut out);
    out
}
