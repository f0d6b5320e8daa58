//! The compiled form of a checked scenario: what `attunement compile` writes
//! and the learner's engine reads, with nothing left to work out.
//!
//! Checking a scenario parses its source, resolves ids into indices, gives
//! every flag a bit and explores every state it can reach: a few hundred
//! milliseconds on a phone, and a third of the engine's size. This form
//! carries the results (indices, flag bits, the content hash, the settled
//! debts and the best path), so the learner's engine only reads it.
//!
//! Binary, because it was measured against the same data as JSON on the five
//! library scenarios (see the README's figures): about the same size once
//! gzipped, a fraction of the time to read, and a reader of a few kilobytes
//! where a JSON one would need a parser in the download.
//!
//! The layout, all integers LEB128 (signed ones zigzagged), lists as a count
//! and their items, strings as a length in the structure and their UTF-8 in
//! one text part after it, in the same order (read once, checked as UTF-8
//! once, and gzip finds more to share in text kept together):
//!
//! ```text
//! magic    8 bytes   \x89 A T T N \r \n \x1a  (a text-mode transfer breaks it visibly)
//! version  2 bytes   little-endian; this engine reads VERSION only
//! length   4 bytes   little-endian, of the body
//! checksum 8 bytes   little-endian, of the body (see `checksum`)
//! body               the structure's length, the structure (see `write` for
//!                    the order), then the text
//! ```
//!
//! Skills, outcomes and levels are written as their ids in a table at the
//! start of the body and referred to by position in it, so that reordering
//! an enum in a later version cannot silently change what a file means.
//!
//! The reader trusts nothing: every length is checked against what is left,
//! every index against what it indexes and every number against the range
//! that checking allows. A truncated, corrupted, foreign or newer file is a
//! [`ReadError`], never a panic, and a file the reader accepts plays without
//! one. The checksum finds damage (any change of one 8-byte word, so of any
//! one byte); it is not a signature, and the content hash is stored as
//! checking computed it rather than computed again, which took a fifth of
//! the time to read.

use std::fmt;

use crate::scenario::{Choice, Condition, Ending, Found, Gate, Later, Level, MAX_CHOICES, MAX_FLAGS, MAX_LEVEL, MAX_SOURCE_BYTES, Meta, Node, Outcome, Parts, Path, Peer, Playable, Scenario, Target, Variant};
use crate::skill::Skill;

/// The first bytes of every compiled scenario.
pub const MAGIC: [u8; 8] = *b"\x89ATTN\r\n\x1a";
/// The version of the layout this build writes and reads. A change to the
/// layout, or to what a field means, takes a new version.
pub const VERSION: u16 = 2;
/// The file extension of a compiled scenario.
pub const EXTENSION: &str = "attn";

const HEADER: usize = MAGIC.len() + 2 + 4 + 8;

/// The items a list reserves before it reads them ([`Reader::items`]): more
/// than the library's scenarios have in any list.
const RESERVE: usize = 1024;

/// Why a compiled scenario could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Not a compiled scenario at all; `source` when it looks like a
    /// scenario's TOML or JSON source.
    Foreign { source: bool },
    /// Written by a newer Attunement, in a layout this one does not know.
    Newer(u16),
    /// Written in a layout no longer read.
    Older(u16),
    /// The file ends before its header or body does.
    Truncated,
    /// The body is damaged: the checksum does not match, or a value is out of
    /// its range.
    Corrupt(&'static str),
    /// Larger than any scenario may be ([`MAX_SOURCE_BYTES`]): refused before
    /// it is read, so no file can make reading it exhaust memory.
    TooLarge(usize),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Foreign { source: true } => f.write_str("this is a scenario's source, not its compiled form: compile it with `attunement compile`, or open it with the authors' preview"),
            ReadError::Foreign { source: false } => f.write_str("this is not a compiled Attunement scenario"),
            ReadError::Newer(v) => write!(f, "this scenario was compiled by a newer version of Attunement (format {v}; this one reads format {VERSION}): update the simulator's files, or compile the scenario with this version"),
            ReadError::Older(v) => write!(f, "this scenario was compiled by an older version of Attunement (format {v}; this one reads format {VERSION}): compile it again"),
            ReadError::Truncated => f.write_str("the compiled scenario is incomplete (the file is cut short): copy or download it again"),
            ReadError::Corrupt(what) => write!(f, "the compiled scenario is damaged ({what}): copy or download it again, or compile it afresh"),
            ReadError::TooLarge(len) => write!(f, "{}: check that this is the file you meant", crate::scenario::too_large_words(*len)),
        }
    }
}

impl std::error::Error for ReadError {}

/// Writes a checked scenario in the compiled form; `None` when its analysis
/// stopped before it explored every state (E025): the reader takes every file
/// as fully analysed, so only such a scenario may be written.
pub fn write(sc: &Playable) -> Option<Vec<u8>> {
    if !sc.is_analysed() {
        return None;
    }
    let mut w = Writer { out: Vec::with_capacity(4096), text: Vec::with_capacity(16384) };
    w.list(&Skill::ALL, |w, s| w.str(s.id()));
    w.list(&Outcome::ALL, |w, o| w.str(o.id()));
    w.list(&Level::ALL, |w, l| w.str(l.id()));
    let m = sc.meta();
    w.str(&m.id);
    w.str(&m.title);
    w.str(&m.language);
    w.str(&m.summary);
    w.list(&m.objectives, |w, s| w.str(s));
    w.uint(m.minutes.into());
    w.uint(Level::ALL.iter().position(|&l| l == m.level).unwrap_or(0) as u64);
    w.opt(m.order.as_ref(), |w, &o| w.uint(o.into()));
    w.list(&m.content_notes, |w, s| w.str(s));
    let p = sc.peer();
    w.str(&p.name);
    w.opt(p.pronouns.as_ref(), |w, s| w.str(s));
    w.opt(p.background.as_ref(), |w, s| w.str(s));
    w.int(p.trust);
    w.int(p.distress);
    w.list(sc.profile(), |w, &t| w.int(t));
    for n in [sc.floor(), sc.acute(), sc.sharp_drop(), sc.pass()] {
        w.int(n);
    }
    w.uint(sc.start() as u64);
    w.opt(sc.disengaged().as_ref(), |w, &e| w.uint(e as u64));
    w.opt(sc.leaving().as_ref(), |w, &n| w.uint(n as u64));
    w.list(sc.flags(), |w, s| w.str(s));
    w.list(sc.nodes(), Writer::node);
    w.list(sc.endings(), Writer::ending);
    w.list(sc.settled(), |w, &b| w.uint(b));
    w.opt(sc.best(), |w, b| {
        w.list(&b.steps, |w, &(n, c)| {
            w.uint(n as u64);
            w.uint(c as u64);
        });
        w.uint(b.ending as u64);
        w.int(b.trust);
        w.int(b.sum);
    });
    w.out.extend_from_slice(&sc.hash().to_le_bytes());
    let mut body = Writer { out: Vec::with_capacity(w.out.len() + w.text.len() + 5), text: Vec::new() };
    body.uint(w.out.len() as u64);
    body.out.extend_from_slice(&w.out);
    body.out.extend_from_slice(&w.text);
    let body = body.out;
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&checksum(&body).to_le_bytes());
    out.extend_from_slice(&body);
    Some(out)
}

/// Reads a compiled scenario, checking everything the engine relies on.
pub fn read(bytes: &[u8]) -> Result<Playable, ReadError> {
    // A compiled scenario is smaller than its source, which checking holds to the same bound.
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(ReadError::TooLarge(bytes.len()));
    }
    if !bytes.starts_with(&MAGIC) {
        // The magic's \r\n is there to show a text-mode transfer (an FTP
        // upload in ASCII mode), which rewrites line endings.
        if bytes.starts_with(&MAGIC[..5]) {
            return Err(ReadError::Corrupt("its line endings were changed on the way, as a text-mode transfer does: upload it in binary mode"));
        }
        let text = bytes.iter().position(|b| !b.is_ascii_whitespace()).map(|i| bytes[i]);
        // TOML opens with a key, a table or a comment; JSON with an object.
        let source = text.is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'{' | b'[' | b'#')) && std::str::from_utf8(bytes).is_ok();
        return Err(ReadError::Foreign { source });
    }
    let header = bytes.get(..HEADER).ok_or(ReadError::Truncated)?;
    let version = u16::from_le_bytes([header[8], header[9]]);
    match version {
        VERSION => {}
        v if v > VERSION => return Err(ReadError::Newer(v)),
        v => return Err(ReadError::Older(v)),
    }
    let len = u32::from_le_bytes([header[10], header[11], header[12], header[13]]) as usize;
    let mut sum = [0; 8];
    sum.copy_from_slice(&header[14..22]);
    let body = &bytes[HEADER..];
    if body.len() < len {
        return Err(ReadError::Truncated);
    }
    if body.len() > len {
        return Err(ReadError::Corrupt("it has bytes after its end"));
    }
    if checksum(body) != u64::from_le_bytes(sum) {
        return Err(ReadError::Corrupt("its checksum does not match its contents"));
    }
    let mut head = Reader::new(body, "");
    let len = head.count();
    head.done()?;
    // `count` keeps `len` within the bytes after it, so the split is always in range; checked
    // all the same, since a slice's panic would bring its formatting into the learner's engine.
    let (structure, text) = body[head.at..].split_at_checked(len).ok_or(ReadError::Truncated)?;
    let text = std::str::from_utf8(text).map_err(|_| ReadError::Corrupt("its text is not UTF-8"))?;
    Reader::new(structure, text).scenario()
}

/// FNV-1a over 8-byte words (the tail byte by byte), each step followed by a
/// shift that folds the high half into the low: each step is a bijection of
/// the running value, so a change to any one word, and so to any one byte,
/// always changes the sum; eight times fewer steps than FNV-1a over bytes,
/// which was a fifth of the time to read. Without the fold (format 1), a
/// multiplication carries a difference only upwards, so changes to the top
/// bytes of two words could cancel: a property test found such a pair.
fn checksum(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h = (h ^ u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]])).wrapping_mul(PRIME);
        h ^= h >> 29;
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
        h ^= h >> 29;
    }
    h
}

struct Writer {
    out: Vec<u8>,
    text: Vec<u8>,
}

impl Writer {
    fn uint(&mut self, mut n: u64) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.out.push(byte);
                return;
            }
            self.out.push(byte | 0x80);
        }
    }

    fn int(&mut self, n: i32) {
        self.uint(((n << 1) ^ (n >> 31)) as u32 as u64);
    }

    fn bool(&mut self, b: bool) {
        self.out.push(b.into());
    }

    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.text.extend_from_slice(s.as_bytes());
    }

    fn opt<T>(&mut self, v: Option<&T>, write: impl FnOnce(&mut Writer, &T)) {
        self.bool(v.is_some());
        if let Some(v) = v {
            write(self, v);
        }
    }

    fn list<T>(&mut self, items: &[T], mut write: impl FnMut(&mut Writer, &T)) {
        self.uint(items.len() as u64);
        for item in items {
            write(self, item);
        }
    }

    fn target(&mut self, t: Target) {
        match t {
            Target::Node(n) => self.uint((n as u64) << 2),
            Target::Ending(e) => self.uint((e as u64) << 2 | 1),
            Target::Back => self.uint(2),
        }
    }

    fn condition(&mut self, c: &Condition) {
        self.opt(c.trust_min.as_ref(), |w, &t| w.int(t));
        self.opt(c.trust_max.as_ref(), |w, &t| w.int(t));
        self.uint(c.all);
        self.uint(c.none);
    }

    fn node(&mut self, n: &Node) {
        self.str(&n.id);
        self.str(&n.say);
        self.opt(n.cue.as_ref(), |w, s| w.str(s));
        self.opt(n.after_drop.as_ref(), |w, s| w.str(s));
        self.bool(n.disclosure);
        self.bool(n.warning_signs);
        self.opt(n.gate.as_ref(), |w, g| {
            w.int(g.trust);
            w.uint(g.otherwise as u64);
        });
        self.int(n.distress);
        self.opt(n.visit_flag.as_ref(), |w, &b| w.uint(b.into()));
        self.list(&n.choices, Writer::choice);
    }

    fn choice(&mut self, c: &Choice) {
        self.str(&c.id);
        self.str(&c.text);
        self.uint(c.skill.index() as u64);
        self.opt(c.trust.as_ref(), |w, &t| w.int(t));
        self.opt(c.feedback.as_ref(), |w, s| w.str(s));
        self.target(c.next);
        self.condition(&c.when);
        self.uint(c.set);
        self.uint(c.clear);
        self.int(c.distress);
        self.uint(c.opening.into());
        self.opt(c.later.as_ref(), |w, l| {
            w.target(l.at);
            w.int(l.trust);
            w.str(&l.feedback);
            w.uint(l.bit.into());
        });
        self.uint(c.fingerprint.into());
    }

    fn ending(&mut self, e: &Ending) {
        self.str(&e.id);
        self.uint(Outcome::ALL.iter().position(|&o| o == e.outcome).unwrap_or(0) as u64);
        self.str(&e.title);
        self.opt(e.say.as_ref(), |w, s| w.str(s));
        self.str(&e.text);
        self.opt(e.next_time.as_ref(), |w, s| w.str(s));
        self.list(&e.variants, |w, v| {
            w.condition(&v.when);
            w.opt(v.text.as_ref(), |w, s| w.str(s));
            w.opt(v.next_time.as_ref(), |w, s| w.str(s));
        });
    }
}

type Read<T> = Result<T, ReadError>;

/// A bounds-checked cursor over the body. Each method reads one value and
/// checks it against what the model allows.
///
/// A failed read records why (the first failure only) and gives a stand-in
/// (zero, empty, the first of a table) instead of returning early: the
/// scenario is built in one pass with no error path at each field, and the
/// failure is returned once the structure is read. That keeps the reader
/// about half the size in the learner's engine, where each early return
/// had to drop every field read before it. After a failure every count is
/// zero, so nothing more is read.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The text part, checked as UTF-8, and how much of it was read.
    text: &'a str,
    text_at: usize,
    /// Why the first read that failed did.
    failed: Option<ReadError>,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], text: &'a str) -> Reader<'a> {
        Reader { bytes, at: 0, text, text_at: 0, failed: None }
    }

    #[cold]
    #[inline(never)]
    fn fail(&mut self, why: &'static str) {
        self.failed.get_or_insert(ReadError::Corrupt(why));
    }

    /// The first failure, if any read failed.
    fn done(&mut self) -> Read<()> {
        self.failed.take().map_or(Ok(()), Err)
    }

    fn byte(&mut self) -> u8 {
        match self.bytes.get(self.at) {
            Some(&b) => {
                self.at += 1;
                b
            }
            None => {
                self.fail("a value runs past the end");
                0
            }
        }
    }

    /// Most numbers fit one byte: that case is inline, the rest a call.
    #[inline(always)]
    fn uint(&mut self) -> u64 {
        match self.bytes.get(self.at) {
            Some(&b) if b < 0x80 => {
                self.at += 1;
                b.into()
            }
            _ => self.long_uint(),
        }
    }

    #[inline(never)]
    fn long_uint(&mut self) -> u64 {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte();
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                if shift == 63 && b > 1 {
                    self.fail("a number is too large");
                }
                return n;
            }
        }
        self.fail("a number is too long");
        0
    }

    /// An unsigned number below `end`, as an index or a count.
    fn below(&mut self, end: usize) -> usize {
        let n = self.uint();
        if n < end as u64 {
            n as usize
        } else {
            self.fail("an index is out of range");
            0
        }
    }

    /// A number in `min..=max` (zigzagged); `min` when it is not.
    fn int(&mut self, min: i32, max: i32) -> i32 {
        let z = self.uint();
        let n = ((z >> 1) as i64) ^ -((z & 1) as i64);
        if (i64::from(min)..=i64::from(max)).contains(&n) {
            n as i32
        } else {
            self.fail("a number is out of range");
            min
        }
    }

    #[inline(always)]
    fn bool(&mut self) -> bool {
        match self.bytes.get(self.at) {
            Some(&b) if b < 2 => {
                self.at += 1;
                b == 1
            }
            Some(_) => {
                self.fail("a yes-or-no value is neither");
                false
            }
            None => {
                self.fail("a value runs past the end");
                false
            }
        }
    }

    fn str(&mut self) -> String {
        let len = self.below(self.text.len() - self.text_at + 1);
        match self.text.get(self.text_at..self.text_at + len) {
            Some(s) => {
                self.text_at += len;
                s.to_owned()
            }
            None => {
                self.fail("a text splits a character");
                String::new()
            }
        }
    }

    /// A count of items that each take at least one byte: never more than
    /// the bytes left after it, so a damaged count cannot ask for more than
    /// follows it (nor, with [`Reader::items`], for much memory); zero once a
    /// read has failed.
    fn count(&mut self) -> usize {
        let n = self.uint();
        if n > (self.bytes.len() - self.at) as u64 {
            self.fail("a value runs past the end");
        }
        if self.failed.is_some() { 0 } else { n as usize }
    }

    fn opt<T>(&mut self, read: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.bool() { Some(read(self)) } else { None }
    }

    /// A list: its count, then its items.
    fn list<T>(&mut self, read: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let n = self.count();
        self.items(n, read)
    }

    /// A list of at most `max` items: a longer one fails before any is read.
    fn list_of<T>(&mut self, max: usize, why: &'static str, read: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let n = self.count();
        if n > max {
            self.fail(why);
        }
        self.items(n, read)
    }

    /// `n` items (counted by [`Reader::count`]), reserved in full only up to
    /// [`RESERVE`]: an item takes a byte or more in the file but up to a
    /// hundred and fifty in memory, so a damaged count reserving them all would
    /// ask for far more memory than the file holds (a 3 MB file took 416 MiB of
    /// wasm memory, which never shrinks, and a 16 MB one trapped). A longer
    /// list grows as its items are read, and reading stops at the first failure.
    fn items<T>(&mut self, n: usize, mut read: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let mut items = Vec::with_capacity(n.min(RESERVE));
        for _ in 0..n {
            if self.failed.is_some() {
                break;
            }
            items.push(read(self));
        }
        items
    }

    /// A table of names, mapped onto this build's values by name.
    fn table<T: Copy>(&mut self, all: &[T], id: impl Fn(T) -> &'static str) -> Vec<T> {
        self.list(|r| {
            let name = r.str();
            all.iter().copied().find(|&v| id(v) == name).unwrap_or_else(|| {
                r.fail("it names a skill, outcome or level this version does not know");
                all[0]
            })
        })
    }

    /// An entry of `table` by its index; `or` when there is none.
    fn pick<T: Copy>(&mut self, table: &[T], or: T) -> T {
        let i = self.below(table.len());
        table.get(i).copied().unwrap_or(or)
    }

    fn text(&mut self) -> Option<String> {
        self.opt(Self::str)
    }

    fn level(&mut self) -> i32 {
        self.int(0, MAX_LEVEL)
    }

    fn bits(&mut self, flags: usize) -> u64 {
        let b = self.uint();
        if flags < 64 && b >> flags != 0 {
            self.fail("a flag is out of range");
        }
        b
    }

    fn scenario(mut self) -> Read<Playable> {
        let skills = self.table(&Skill::ALL, Skill::id);
        let outcomes = self.table(&Outcome::ALL, Outcome::id);
        let levels = self.table(&Level::ALL, Level::id);
        let meta = Meta {
            id: self.str(),
            title: self.str(),
            language: self.str(),
            summary: self.str(),
            objectives: self.list(Self::str),
            minutes: self.below(10_000) as u32,
            level: self.pick(&levels, Level::ALL[0]),
            order: self.opt(|r| r.below(100_000) as u32),
            content_notes: self.list(Self::str),
        };
        let peer = Peer { name: self.str(), pronouns: self.text(), background: self.text(), trust: self.level(), distress: self.level() };
        let mut profile = [0; Skill::ALL.len()];
        if self.count() != profile.len() {
            self.fail("its skill profile has the wrong length");
        }
        for p in &mut profile {
            *p = self.int(-MAX_LEVEL, MAX_LEVEL);
        }
        let (floor, acute, sharp_drop, pass) = (self.level(), self.level(), self.level(), self.level());
        // Indices into the nodes and endings are read before their lists
        // and checked once both lengths are known.
        let start = self.uint();
        let disengaged = self.opt(Self::uint);
        let leaving = self.opt(Self::uint);
        let flags = self.list_of(MAX_FLAGS, "it has too many flags", Self::str);
        let nf = flags.len();
        let nodes = self.list(|r| r.node(&skills, nf));
        let endings = self.list(|r| r.ending(&outcomes, nf));
        let settled = self.list(|r| r.bits(nf));
        let best = self.opt(|r| {
            let steps = r.list(|r| (r.uint(), r.uint()));
            (steps, r.uint(), r.level(), r.int(-1_000_000, 1_000_000))
        });
        self.done()?;
        let hash = self.bytes.get(self.at..self.at + 8).ok_or(ReadError::Corrupt("the content hash is missing"))?;
        let hash = u64::from_le_bytes(hash.try_into().map_err(|_| ReadError::Corrupt("the content hash is missing"))?);
        if self.at + 8 != self.bytes.len() || self.text_at != self.text.len() {
            return Err(ReadError::Corrupt("it has bytes after its end"));
        }

        let (n, e) = (nodes.len() as u64, endings.len() as u64);
        let node = |i: u64| if i < n { Ok(i as usize) } else { Err(ReadError::Corrupt("a node index is out of range")) };
        let ending = |i: u64| if i < e { Ok(i as usize) } else { Err(ReadError::Corrupt("an ending index is out of range")) };
        let in_range = |t: Target| match t {
            Target::Node(i) => node(i as u64).is_ok(),
            Target::Ending(i) => ending(i as u64).is_ok(),
            Target::Back => true,
        };
        if settled.len() != nodes.len() {
            return Err(ReadError::Corrupt("its settled debts do not match its nodes"));
        }
        // Checking gives each delayed consequence a flag of its own; the engine
        // counts them in one u64 and relies on that.
        let mut owed = 0u64;
        for nd in &nodes {
            if nd.gate.is_some_and(|g| node(g.otherwise as u64).is_err()) || nd.choices.iter().any(|c| !in_range(c.next) || c.later.as_ref().is_some_and(|l| !in_range(l.at))) {
                return Err(ReadError::Corrupt("a node leads nowhere"));
            }
            for l in nd.choices.iter().filter_map(|c| c.later.as_ref()) {
                if owed & 1 << l.bit != 0 {
                    return Err(ReadError::Corrupt("two delayed consequences share a flag"));
                }
                owed |= 1 << l.bit;
            }
        }
        let best = match best {
            Some((steps, end, trust, sum)) => {
                let steps = steps.into_iter().map(|(n, c)| node(n).and_then(|n| if c < nodes[n].choices.len() as u64 { Ok((n, c as usize)) } else { Err(ReadError::Corrupt("the best path takes a choice that is not there")) })).collect::<Read<Vec<_>>>()?;
                Some(Path { steps, ending: ending(end)?, trust, sum })
            }
            None => None,
        };
        let parts = Parts {
            meta,
            peer,
            profile,
            floor,
            acute,
            sharp_drop,
            start: node(start)?,
            disengaged: disengaged.map(ending).transpose()?,
            leaving: leaving.map(node).transpose()?,
            pass,
            nodes,
            endings,
            flags,
        };
        // What follows from the nodes alone is worked out again by the model
        // rather than read, so it cannot disagree with them; what checking
        // found by searching the graph is taken from the file.
        let sc = Scenario::new(parts, |_| Found { settled, hash });
        // Only a fully analysed scenario is ever written.
        Ok(Playable::new(sc, best, true))
    }

    fn target(&mut self) -> Target {
        let t = self.uint();
        let i = usize::try_from(t >> 2).unwrap_or(usize::MAX);
        match t & 3 {
            0 => Target::Node(i),
            1 => Target::Ending(i),
            2 if i == 0 => Target::Back,
            _ => {
                self.fail("a target is of no known kind");
                Target::Back
            }
        }
    }

    fn condition(&mut self, flags: usize) -> Condition {
        Condition { trust_min: self.opt(Self::level), trust_max: self.opt(Self::level), all: self.bits(flags), none: self.bits(flags) }
    }

    fn flag(&mut self, flags: usize) -> u8 {
        self.below(flags) as u8
    }

    fn node(&mut self, skills: &[Skill], flags: usize) -> Node {
        let node = Node {
            id: self.str(),
            say: self.str(),
            cue: self.text(),
            after_drop: self.text(),
            disclosure: self.bool(),
            warning_signs: self.bool(),
            gate: self.opt(|r| Gate { trust: r.level(), otherwise: usize::try_from(r.uint()).unwrap_or(usize::MAX) }),
            distress: self.int(-MAX_LEVEL, MAX_LEVEL),
            visit_flag: self.opt(|r| r.flag(flags)),
            choices: self.list_of(MAX_CHOICES, "a node has too many choices", |r| r.choice(skills, flags)),
            openings: Vec::new(),
            asks: false,
        };
        if node.choices.is_empty() {
            self.fail("a node has no choices");
        }
        node
    }

    fn choice(&mut self, skills: &[Skill], flags: usize) -> Choice {
        Choice {
            id: self.str(),
            text: self.str(),
            skill: self.pick(skills, Skill::ALL[0]),
            trust: self.opt(|r| r.int(-MAX_LEVEL, MAX_LEVEL)),
            feedback: self.text(),
            next: self.target(),
            when: self.condition(flags),
            set: self.bits(flags),
            clear: self.bits(flags),
            distress: self.int(-MAX_LEVEL, MAX_LEVEL),
            opening: self.below(1 << 16) as u16,
            later: self.opt(|r| Later { at: r.target(), trust: r.int(-MAX_LEVEL, MAX_LEVEL), feedback: r.str(), bit: r.flag(flags) }),
            fingerprint: self.below(crate::engine::save::FINGERPRINTS as usize) as u32,
        }
    }

    fn ending(&mut self, outcomes: &[Outcome], flags: usize) -> Ending {
        Ending {
            id: self.str(),
            outcome: self.pick(outcomes, Outcome::ALL[0]),
            title: self.str(),
            say: self.text(),
            text: self.str(),
            next_time: self.text(),
            variants: self.list(|r| Variant { when: r.condition(flags), text: r.text(), next_time: r.text() }),
        }
    }
}

/// For tests: mends a mutated file's checksum, so that the reader's own
/// checks, not the checksum, meet the mutation.
#[doc(hidden)]
pub fn mend_checksum(bytes: &mut [u8]) {
    if bytes.len() >= HEADER {
        let sum = checksum(&bytes[HEADER..]);
        bytes[14..22].copy_from_slice(&sum.to_le_bytes());
    }
}
