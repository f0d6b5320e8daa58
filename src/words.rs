//! The engine's own words in the learner's language: skill labels and reasons, kinds, MITI codes,
//! the modifiers' reasons, trust bands and moods, the ceiling's note and the floor's warning, the
//! notice after a restore and the debrief's practise-next texts. (The Markdown transcript is the
//! widget's, `www/widget/markdown.js`, made from the debrief in the interface's words.)
//!
//! English stays in the code, where each word is used, and is the default. [`set`] replaces it
//! with a table of translations (a flat JSON object of ids to texts, `www/i18n/engine.LANG.json`),
//! and [`word`] and [`fill`] look each id up in it, falling back to English for an id the table
//! lacks. Ids are dotted and stable (`skill.reflection.label`, `reason.parroting`,
//! `practise.repair`); [`english`] lists every one with its English, which `attunement words`
//! prints as `www/i18n/engine.en.json` for translators and a test keeps in step with the code.
//!
//! A template is plain text with `{name}` placeholders and nothing else: no plurals, no selects.
//! Where English needs a plural, two ids say so (`turns.one`, `turns.many`). Texts that take no
//! placeholder are looked up with [`word`] and stay `&'static str`, so the types that carry them
//! (a turn's `skill_label`, a modifier's `text`) are unchanged: each translated text is leaked
//! once, and a text set again (the same language again, or a word another language shares) is
//! the one leaked before, so the memory kept is bounded by the distinct texts ever set.
//!
//! A turn keeps the words it was taken in; a program that changes the language mid-session calls
//! [`crate::Session::relabel`] before it shows the turns or the debrief again (the browser
//! binding does, and forgets the words it keeps as JavaScript strings, from [`generation`]).
//!
//! The table is per thread: the browser's engine has one thread, and native tests, which run on
//! many, each set their own. It is the engine's one piece of state besides a session's; it decides
//! words only, never what happens, so a session plays the same in every language.

use std::cell::RefCell;

/// A text with an id, declared once as a constant and used both where it is shown and in
/// [`english`]'s list (through each module's `TEMPLATES`, which the crate's `templates!` writes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Template {
    pub id: &'static str,
    pub english: &'static str,
}

impl Template {
    /// The text in the current language, for a template without placeholders.
    pub fn word(self) -> &'static str {
        word(self.id, self.english)
    }

    /// The text in the current language with its placeholders filled.
    pub fn fill(self, args: &[(&str, &str)]) -> String {
        fill(self.id, self.english, args)
    }
}

/// Declares a module's templates as constants, and `TEMPLATES`, the list of them all, so that
/// none can be left out of [`english`]:
///
/// ```text
/// crate::words::templates! {
///     /// Trust in words.
///     TRUST_TEXT = "trust.text" => "trust {value} of {max}, {band}";
/// }
/// ```
macro_rules! templates {
    ($($(#[$doc:meta])* $name:ident = $id:literal => $english:literal;)*) => {
        $($(#[$doc])* pub(crate) const $name: $crate::words::Template = $crate::words::Template { id: $id, english: $english };)*
        /// Every template of this module, for [`crate::words::english`].
        pub(crate) const TEMPLATES: &[$crate::words::Template] = &[$($name),*];
    };
}
pub(crate) use templates;

templates! {
    /// The glue of a list: `{list}` is every item but the last, joined by `list.comma`.
    LIST_AND = "list.and" => "{list} and {last}";
    LIST_COMMA = "list.comma" => ", ";
}

struct Table {
    /// The translations in use, sorted by id; empty for English.
    words: Vec<(String, &'static str)>,
    /// Every translated text this thread has used, sorted, each leaked once: a text set again
    /// (the same language, or another with the same word) reuses it, so the memory kept is
    /// bounded by the distinct texts ever used, whatever the number of calls to [`set`]. A
    /// caller setting new texts again and again (not the widget, which sets the shipped
    /// catalogues) grows it by those texts each time.
    leaked: Vec<&'static str>,
    /// Counts the changes of `words`, so that a cache of words (the browser binding's) knows
    /// when to forget them.
    generation: u64,
    /// While [`english`] walks the labels: each id asked for, with its English.
    recording: Option<Vec<(String, &'static str)>>,
}

impl Table {
    fn leak(&mut self, text: String) -> &'static str {
        match self.leaked.binary_search_by(|l| (**l).cmp(&*text)) {
            Ok(i) => self.leaked[i],
            Err(i) => {
                let text: &'static str = Box::leak(text.into_boxed_str());
                self.leaked.insert(i, text);
                text
            }
        }
    }
}

/// Where `id` is in pairs sorted by id, or where it would go. (Lists are kept sorted as they are
/// made: a sort would add 3.5 KB gzipped to the learner's engine.)
fn find(pairs: &[(String, &'static str)], id: &str) -> Result<usize, usize> {
    pairs.binary_search_by(|(k, _)| k.as_str().cmp(id))
}

thread_local! {
    static TABLE: RefCell<Table> = const { RefCell::new(Table { words: Vec::new(), leaked: Vec::new(), generation: 0, recording: None }) };
}

/// Replaces the words with `json`, a flat JSON object of ids to texts (`{}` is English). Ids it
/// does not know are ignored, and so is an empty text (English is shown there); an id given twice
/// takes its last text. Returns how many it used. Broken JSON, or a value that is not a string,
/// is an error, and the words stay as they were.
pub fn set(json: &str) -> Result<usize, String> {
    let given = parse(json.as_bytes()).map_err(|at| format!("the engine's words must be a JSON object of ids to texts, and are not at byte {at}"))?;
    let known = english();
    TABLE.with_borrow_mut(|t| {
        // From the last entry back, so that the first text met for an id is the one that
        // stands, and only it is leaked: a text an id gave up (an id given many times over) is
        // dropped, not kept for the thread's life.
        let mut words: Vec<(String, &'static str)> = Vec::new();
        for (id, text) in given.into_iter().rev() {
            if text.is_empty() || find(&known, &id).is_err() {
                continue;
            }
            if let Err(i) = find(&words, &id) {
                words.insert(i, (id, t.leak(text)));
            }
        }
        let used = words.len();
        if t.words != words {
            t.words = words;
            t.generation += 1;
        }
        Ok(used)
    })
}

/// Reads a flat JSON object of strings (RFC 8259) into its pairs, in order; on a mistake, the
/// byte it is at. By hand rather than with serde_json's deserializer, which brings number parsing
/// and formatting with it (18 KB gzipped in the learner's engine, measured, to read strings); by
/// byte, with no slicing that could panic (a panic's message would bring Unicode tables along).
fn parse(json: &[u8]) -> Result<Vec<(String, String)>, usize> {
    let mut p = Parser { bytes: json, at: 0 };
    let mut pairs = Vec::new();
    p.expect(b'{')?;
    if !p.eat(b'}') {
        loop {
            let id = p.string()?;
            p.expect(b':')?;
            pairs.push((id, p.string()?));
            if p.eat(b'}') {
                break;
            }
            p.expect(b',')?;
        }
    }
    p.space();
    if p.at < json.len() { Err(p.at) } else { Ok(pairs) }
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn next(&mut self) -> Option<u8> {
        let b = self.bytes.get(self.at).copied();
        self.at += 1;
        b
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// Skips white space, then `b` if it is next.
    fn eat(&mut self, b: u8) -> bool {
        self.space();
        let found = self.bytes.get(self.at) == Some(&b);
        self.at += usize::from(found);
        found
    }

    fn expect(&mut self, b: u8) -> Result<(), usize> {
        if self.eat(b) { Ok(()) } else { Err(self.at) }
    }

    /// A string, its escapes decoded.
    fn string(&mut self) -> Result<String, usize> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let at = self.at;
            let c = match self.next().ok_or(at)? {
                b'"' => return String::from_utf8(out).map_err(|_| at),
                ..0x20 => return Err(at),
                b'\\' => match self.next() {
                    Some(b'u') => {
                        let mut code = self.hex().ok_or(at)?;
                        if (0xd800..0xdc00).contains(&code) {
                            // A surrogate pair: the low half must follow.
                            let low = if self.next() == Some(b'\\') && self.next() == Some(b'u') { self.hex().ok_or(at)? } else { 0 };
                            code = if (0xdc00..0xe000).contains(&low) { 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00) } else { u32::MAX };
                        }
                        char::from_u32(code).ok_or(at)?
                    }
                    Some(e) => escaped(e).ok_or(at)?,
                    None => return Err(at),
                },
                b => {
                    // A byte of the text as it is: the input is UTF-8, so these make it up again.
                    out.push(b);
                    continue;
                }
            };
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }

    /// The four hex digits of a `\u` escape.
    fn hex(&mut self) -> Option<u32> {
        let mut n = 0;
        for _ in 0..4 {
            n = n * 16 + char::from(self.next()?).to_digit(16)?;
        }
        Some(n)
    }
}

/// The word `id` in the current language, or `english`.
pub fn word(id: &str, english: &'static str) -> &'static str {
    lookup(id, &[], english)
}

/// [`word`] for an id made of parts (`["skill", "reflection", "label"]` is
/// `skill.reflection.label`), joined only when there is a table to look in.
pub(crate) fn word_of(parts: &[&str], english: &'static str) -> &'static str {
    lookup("", parts, english)
}

/// The one look-up: `id`, or `parts` joined by dots when there are any.
fn lookup(id: &str, parts: &[&str], english: &'static str) -> &'static str {
    TABLE.with_borrow_mut(|t| {
        if t.words.is_empty() && t.recording.is_none() {
            return english;
        }
        let joined;
        let id = if parts.is_empty() {
            id
        } else {
            joined = parts.join(".");
            &joined
        };
        if let Some(seen) = &mut t.recording {
            seen.push((id.to_string(), english));
            return english;
        }
        find(&t.words, id).map_or(english, |i| t.words[i].1)
    })
}

/// The template `id` in the current language (or `english`), with each `{name}` that `args`
/// names replaced by its value, once: a value is never read for placeholders itself (a peer's
/// name may hold braces). A placeholder `args` does not name stays as it is.
pub fn fill(id: &str, english: &'static str, args: &[(&str, &str)]) -> String {
    let template = word(id, english);
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        let found = after.split_once('}').and_then(|(name, tail)| args.iter().find(|(n, _)| *n == name).map(|(_, value)| (*value, tail)));
        match found {
            Some((value, tail)) => {
                out.push_str(value);
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Items as a list in words: "a", "a and b", "a, b and c".
pub(crate) fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => LIST_AND.fill(&[("list", &init.join(LIST_COMMA.word())), ("last", last)]),
    }
}

/// How many times the words have changed on this thread: a cache of them is stale when this has
/// moved since it was filled.
pub fn generation() -> u64 {
    TABLE.with_borrow(|t| t.generation)
}

/// Starts recording the ids asked for, or stops and returns them.
fn record(start: bool) -> Vec<(String, &'static str)> {
    TABLE.with_borrow_mut(|t| if start { t.recording.replace(Vec::new()) } else { t.recording.take() }).unwrap_or_default()
}

/// Every id the engine shows, with its English, sorted by id: the labels of every skill, kind,
/// MITI code, reason, band and mood (walked through the functions that show them,
/// so each id is spelt once, where it is used), and every module's templates.
pub fn english() -> Vec<(String, &'static str)> {
    use crate::engine::session::{Band, Mood};
    use crate::engine::trust::Reason;
    use crate::skill::{Kind, Miti, Skill};

    record(true);
    for s in Skill::ALL {
        s.label();
        s.why();
    }
    for k in Kind::ALL {
        k.label();
    }
    for m in Miti::ALL.into_iter().chain([Miti::Other]) {
        m.label();
    }
    for r in Reason::ALL {
        r.text();
    }
    for b in Band::ALL {
        b.label();
    }
    for m in Mood::ALL {
        m.label();
    }
    let mut labels = record(false);
    for list in [TEMPLATES, crate::engine::session::TEMPLATES, crate::engine::save::TEMPLATES, crate::debrief::TEMPLATES] {
        for t in list {
            labels.push((t.id.to_string(), t.english));
        }
    }
    let mut all: Vec<(String, &'static str)> = Vec::with_capacity(labels.len());
    for (id, english) in labels {
        match find(&all, &id) {
            Err(i) => all.insert(i, (id, english)),
            Ok(_) => debug_assert!(false, "two texts for `{id}`"),
        }
    }
    all
}

/// The character a JSON escape `\\X` other than `\\u` stands for (`n` is a line feed), or None
/// for a letter JSON does not escape. The words' reader and the scenario's JSON front end share it.
pub(crate) fn escaped(x: u8) -> Option<char> {
    Some(match x {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_placeholders_once_and_keeps_the_rest() {
        assert_eq!(fill("x.test", "{a} and {b}, {a}", &[("a", "1"), ("b", "{a}")]), "1 and {a}, 1");
        assert_eq!(fill("x.test", "{unknown} {", &[("a", "1")]), "{unknown} {");
        assert_eq!(fill("x.test", "no placeholders", &[]), "no placeholders");
    }

    #[test]
    fn every_id_is_unique_and_dotted() {
        let all = english();
        for pair in all.windows(2) {
            assert_ne!(pair[0].0, pair[1].0, "{} has two texts", pair[0].0);
        }
        for (id, text) in &all {
            assert!(id.contains('.') && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.'), "{id}");
            assert!(!text.is_empty(), "{id}");
        }
    }

    #[test]
    fn setting_the_same_words_again_leaks_nothing_more() {
        set(r#"{"band.open": "ouvert", "mood.calm": "calme"}"#).unwrap();
        let leaked = TABLE.with_borrow(|t| t.leaked.len());
        let generation = generation();
        for _ in 0..3 {
            set("{}").unwrap();
            set(r#"{"band.open": "ouvert", "mood.calm": "calme"}"#).unwrap();
        }
        assert_eq!(TABLE.with_borrow(|t| t.leaked.len()), leaked);
        assert_eq!(generation + 6, super::generation());
        set(r#"{"band.open": "ouvert", "mood.calm": "calme"}"#).unwrap();
        assert_eq!(generation + 6, super::generation(), "the same words again change nothing");
        set("{}").unwrap();
    }
}
