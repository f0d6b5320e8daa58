//! A spanned value tree, the common ground of the TOML and JSON front ends.
//!
//! Both formats lower into [`Value`], where every value and every key keeps
//! the byte span it came from. Lowering to the scenario model then works on
//! one tree and reports every type error at once, with a position, in either
//! format. TOML parsing is the `toml` crate's, behind the `toml` feature so
//! that the learner's wasm build can leave it out; JSON parsing is a small
//! recursive-descent parser here, because no small JSON crate keeps spans.

use crate::diagnostic::{Diagnostic, Span};

/// A value with the span it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    /// A float: valid TOML and JSON, but no scenario field takes one, so its
    /// value is not kept (and the learner's build carries no float parser).
    Float,
    Bool(bool),
    Array(Vec<Spanned<Value>>),
    /// Entries in source order (TOML tables come back sorted by key).
    Table(Vec<(Spanned<String>, Spanned<Value>)>),
    /// A TOML date or time: valid TOML, never valid in a scenario.
    Datetime,
    /// JSON `null`.
    Null,
}

impl Value {
    /// The name used in "expected a string, found an integer".
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Float => "a float",
            Value::Bool(_) => "a boolean",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
            Value::Datetime => "a date",
            Value::Null => "null",
        }
    }
}

impl Spanned<Value> {
    /// The tree as plain JSON, spans dropped: how `attunement compile` turns
    /// TOML into the JSON the browser loads.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Str(s) => J::String(s.clone()),
            Value::Int(n) => J::from(*n),
            Value::Bool(b) => J::Bool(*b),
            Value::Array(items) => J::Array(items.iter().map(Spanned::to_json).collect()),
            Value::Table(entries) => J::Object(entries.iter().map(|(k, v)| (k.value.clone(), v.to_json())).collect()),
            // A checked scenario has none of these.
            Value::Float | Value::Datetime | Value::Null => J::Null,
        }
    }
}

/// Warns (W005) about each string value with a control character in it: a
/// line of a conversation never needs one, and printed to a terminal one can
/// clear the screen, set its title or fake output. A line break written as
/// CR LF is fine.
pub fn control_characters(tree: &Spanned<Value>, out: &mut Vec<Diagnostic>) {
    match &tree.value {
        Value::Str(s) => {
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    continue;
                }
                if crate::diagnostic::is_control(c) {
                    out.push(
                        Diagnostic::warning("W005", tree.span, format!("text contains the control character U+{:04X}", c as u32))
                            .hint("remove it: control characters show as nothing or as garbage, and can act on a terminal"),
                    );
                    return;
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| control_characters(v, out)),
        Value::Table(entries) => entries.iter().for_each(|(_, v)| control_characters(v, out)),
        _ => {}
    }
}

/// Parses TOML into a spanned tree, or returns every syntax error found.
///
/// TOML lets a file nest deeply without brackets (a dotted key of 80 parts
/// in each of 80 nested inline tables is 6,400 levels), so the conversion
/// stops at [`MAX_DEPTH`] levels with an error, as the JSON parser does, and
/// the parser's tree is taken apart without recursion: dropping it
/// recursively could overflow a small stack (wasm's, or a test thread's).
#[cfg(feature = "toml")]
pub fn parse_toml(text: &str) -> Result<Spanned<Value>, Vec<Diagnostic>> {
    let (table, errors) = toml::de::DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        dismantle(table.into_inner());
        return Err(errors
            .into_iter()
            .map(|e| {
                let span = e.span().map_or(Span::default(), |r| Span::new(r.start, r.end));
                let message = e.message().trim().trim_end_matches('.').to_string();
                Diagnostic::error("E001", span, format!("invalid TOML: {}", message.lines().next().unwrap_or("")))
            })
            .collect());
    }
    let span = table.span();
    let mut too_deep = None;
    let value = from_toml_table(table.get_ref(), 0, &mut too_deep);
    dismantle(table.into_inner());
    match too_deep {
        Some(at) => Err(vec![Diagnostic::error("E001", at, "invalid TOML: nested too deeply").hint(format!("a scenario nests a few levels; this file nests more than {MAX_DEPTH}"))]),
        None => Ok(Spanned::new(value, Span::new(span.start, span.end))),
    }
}

/// Drops a parsed TOML tree from the top down, moving each level's children
/// onto a list before the level itself goes, so no drop recurses.
#[cfg(feature = "toml")]
fn dismantle(table: toml::de::DeTable<'_>) {
    use toml::de::DeValue;
    let mut pending: Vec<DeValue<'_>> = table.into_iter().map(|(_, v)| v.into_inner()).collect();
    while let Some(value) = pending.pop() {
        match value {
            DeValue::Table(t) => pending.extend(t.into_iter().map(|(_, v)| v.into_inner())),
            DeValue::Array(a) => pending.extend(a.into_iter().map(|v| v.into_inner())),
            _ => {}
        }
    }
}

#[cfg(feature = "toml")]
fn from_toml_table(table: &toml::de::DeTable<'_>, depth: usize, too_deep: &mut Option<Span>) -> Value {
    let mut entries: Vec<_> = table
        .iter()
        .map(|(k, v)| {
            let ks = k.span();
            (Spanned::new(k.get_ref().to_string(), Span::new(ks.start, ks.end)), from_toml(v, depth + 1, too_deep))
        })
        .collect();
    entries.sort_by_key(|(k, _)| k.span.start);
    Value::Table(entries)
}

#[cfg(feature = "toml")]
fn from_toml(v: &toml::Spanned<toml::de::DeValue<'_>>, depth: usize, too_deep: &mut Option<Span>) -> Spanned<Value> {
    use toml::de::DeValue;
    let r = v.span();
    let span = Span::new(r.start, r.end);
    if depth > MAX_DEPTH {
        too_deep.get_or_insert(span);
        return Spanned::new(Value::Null, span);
    }
    let value = match v.get_ref() {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Value::Int(n),
            Err(_) => Value::Float,
        },
        DeValue::Float(_) => Value::Float,
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(_) => Value::Datetime,
        DeValue::Array(a) => Value::Array(a.iter().map(|v| from_toml(v, depth + 1, too_deep)).collect()),
        DeValue::Table(t) => from_toml_table(t, depth, too_deep),
    };
    Spanned::new(value, span)
}

/// Parses JSON into a spanned tree. JSON has no recovery worth the name, so a
/// syntax error is reported alone, at the first byte that does not fit.
pub fn parse_json(text: &str) -> Result<Spanned<Value>, Vec<Diagnostic>> {
    let mut p = Json { text: text.as_bytes(), at: 0, depth: 0 };
    let result = p.value().and_then(|v| {
        p.ws();
        if p.at < p.text.len() { Err(p.error("unexpected characters after the document")) } else { Ok(v) }
    });
    result.map_err(|d| vec![d])
}

struct Json<'a> {
    text: &'a [u8],
    at: usize,
    depth: usize,
}

/// Deeper nesting than any scenario needs is refused, so hostile input cannot
/// overflow the stack.
const MAX_DEPTH: usize = 64;

impl Json<'_> {
    fn error(&self, message: &str) -> Diagnostic {
        let end = (self.at + 1).min(self.text.len());
        Diagnostic::error("E001", Span::new(self.at, end), format!("invalid JSON: {message}"))
    }

    fn ws(&mut self) {
        while self.at < self.text.len() && matches!(self.text[self.at], b' ' | b'\t' | b'\n' | b'\r') {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.ws();
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Spanned<Value>, Diagnostic> {
        self.ws();
        let start = self.at;
        let value = match self.text.get(self.at) {
            None => return Err(self.error("unexpected end of input")),
            Some(b'{') => self.nested(|p| p.object())?,
            Some(b'[') => self.nested(|p| p.array())?,
            Some(b'"') => Value::Str(self.string()?),
            Some(b't') => self.word("true", Value::Bool(true))?,
            Some(b'f') => self.word("false", Value::Bool(false))?,
            Some(b'n') => self.word("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.error("expected a value")),
        };
        Ok(Spanned::new(value, Span::new(start, self.at)))
    }

    fn nested(&mut self, f: impl FnOnce(&mut Self) -> Result<Value, Diagnostic>) -> Result<Value, Diagnostic> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        let v = f(self);
        self.depth -= 1;
        v
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, Diagnostic> {
        if self.text[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn object(&mut self) -> Result<Value, Diagnostic> {
        self.at += 1;
        let mut entries = Vec::new();
        if self.eat(b'}') {
            return Ok(Value::Table(entries));
        }
        loop {
            self.ws();
            let start = self.at;
            if self.text.get(self.at) != Some(&b'"') {
                return Err(self.error("expected a key in double quotes"));
            }
            let key = Spanned::new(self.string()?, Span::new(start, self.at));
            if !self.eat(b':') {
                return Err(self.error("expected `:` after the key"));
            }
            let value = self.value()?;
            entries.push((key, value));
            if self.eat(b'}') {
                return Ok(Value::Table(entries));
            }
            self.ws();
            let comma = self.at;
            if !self.eat(b',') {
                return Err(self.error("expected `,` or `}`"));
            }
            if self.eat(b'}') {
                self.at = comma;
                return Err(self.error("trailing comma before `}`"));
            }
        }
    }

    fn array(&mut self) -> Result<Value, Diagnostic> {
        self.at += 1;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            self.ws();
            let comma = self.at;
            if !self.eat(b',') {
                return Err(self.error("expected `,` or `]`"));
            }
            if self.eat(b']') {
                self.at = comma;
                return Err(self.error("trailing comma before `]`"));
            }
        }
    }

    fn string(&mut self) -> Result<String, Diagnostic> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.at..];
            let plain = rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len());
            // The input came from a &str and we stop only at ASCII bytes, so
            // this slice is valid UTF-8.
            out.push_str(std::str::from_utf8(&rest[..plain]).unwrap_or_default());
            self.at += plain;
            match self.text.get(self.at) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = match self.text.get(self.at) {
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            // A high surrogate pairs only with a low one that follows;
                            // anything else stands alone, as U+FFFD.
                            let low = self.text.get(self.at + 1..self.at + 7).filter(|t| t.starts_with(b"\\u")).and_then(|t| hex(&t[2..]));
                            match low {
                                Some(lo) if (0xD800..0xDC00).contains(&hi) && (0xDC00..0xE000).contains(&lo) => {
                                    self.at += 6;
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)).unwrap_or('\u{FFFD}')
                                }
                                _ => char::from_u32(hi).unwrap_or('\u{FFFD}'),
                            }
                        }
                        Some(&x) => match crate::words::escaped(x) {
                            Some(c) => c,
                            None => return Err(self.error("invalid escape in string")),
                        },
                        None => return Err(self.error("invalid escape in string")),
                    };
                    out.push(c);
                    self.at += 1;
                }
                Some(_) => return Err(self.error("control character in string")),
            }
        }
    }

    /// Reads the four hex digits after `\u`, leaving `at` on the last one.
    fn hex4(&mut self) -> Result<u32, Diagnostic> {
        let digits = self.text.get(self.at + 1..self.at + 5).ok_or_else(|| self.error("unterminated escape"))?;
        let n = hex(digits).ok_or_else(|| self.error("invalid unicode escape"))?;
        self.at += 4;
        Ok(n)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, by hand.
    fn number(&mut self) -> Result<Value, Diagnostic> {
        let start = self.at;
        let digits = |p: &mut Self| {
            let from = p.at;
            while p.text.get(p.at).is_some_and(u8::is_ascii_digit) {
                p.at += 1;
            }
            p.at > from
        };
        self.at += usize::from(self.text[self.at] == b'-');
        let leading_zero = self.text.get(self.at) == Some(&b'0');
        let ok = digits(self) && !(leading_zero && self.at - start > 1 + usize::from(self.text[start] == b'-'));
        let mut float = false;
        let ok = ok && {
            let mut ok = true;
            if self.text.get(self.at) == Some(&b'.') {
                self.at += 1;
                float = true;
                ok &= digits(self);
            }
            if matches!(self.text.get(self.at), Some(b'e' | b'E')) {
                self.at += 1;
                float = true;
                if matches!(self.text.get(self.at), Some(b'+' | b'-')) {
                    self.at += 1;
                }
                ok &= digits(self);
            }
            ok
        };
        if !ok {
            self.at = start;
            return Err(self.error("invalid number"));
        }
        let s = std::str::from_utf8(&self.text[start..self.at]).unwrap_or_default();
        Ok(if float { Value::Float } else { s.parse().map_or(Value::Float, Value::Int) })
    }
}

/// Four hex digits, and nothing else (`from_str_radix` alone would take a sign).
fn hex(digits: &[u8]) -> Option<u32> {
    (digits.len() == 4 && digits.iter().all(u8::is_ascii_hexdigit)).then(|| digits.iter().fold(0, |n, &d| n * 16 + (d as char).to_digit(16).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_escapes_pair_only_real_surrogates() {
        let s = |t: &str| match parse_json(t).unwrap().value {
            Value::Str(s) => s,
            _ => panic!(),
        };
        assert_eq!(s(r#""\ud83d\ude00""#), "\u{1F600}");
        assert_eq!(s(r#""\ud800\u0041""#), "\u{FFFD}A");
        assert!(parse_json(r#""\u+041""#).is_err());
    }

    #[test]
    fn json_keeps_spans_of_keys_and_values() {
        let v = parse_json(r#"{"a": [1, "x\n"], "b": true}"#).unwrap();
        let Value::Table(entries) = v.value else { panic!() };
        assert_eq!(entries[0].0.span, Span::new(1, 4));
        assert_eq!(entries[0].1.span, Span::new(6, 16));
        assert_eq!(entries[1].1.value, Value::Bool(true));
    }

    #[test]
    fn json_errors_point_at_the_problem() {
        let e = parse_json("{\"a\": 1,, }").unwrap_err();
        assert_eq!(e[0].message, "invalid JSON: expected a key in double quotes");
        assert_eq!(e[0].span.start, 8);
        assert!(parse_json(&"[".repeat(10_000)).is_err());
        assert!(parse_json("\"\\ud800\"").is_ok());
        for (text, value) in [("-12", Value::Int(-12)), ("0", Value::Int(0)), ("1.5e3", Value::Float), ("99999999999999999999", Value::Float)] {
            assert_eq!(parse_json(text).unwrap().value, value, "{text}");
        }
        for bad in ["01", "-", "1.", "1e", "+1", "--1"] {
            assert!(parse_json(bad).is_err(), "{bad}");
        }
    }

    #[cfg(feature = "toml")]
    #[test]
    fn deep_toml_is_refused_without_deep_recursion() {
        // 80 inline tables, each under an 80-part dotted key: 6,400 levels,
        // in a thread with a small stack, as wasm and test threads have.
        let key = vec!["k"; 79].join(".");
        let text = format!("x = {}1{}\n", format!("{{ {key} = ").repeat(79), " }".repeat(79));
        let result = std::thread::Builder::new().stack_size(512 << 10).spawn(move || parse_toml(&text).map(|_| ()).unwrap_err()).unwrap().join().unwrap();
        assert_eq!(result[0].message, "invalid TOML: nested too deeply");
    }

    #[cfg(feature = "toml")]
    #[test]
    fn toml_tables_keep_source_order_and_spans() {
        let v = parse_toml("b = 1\na = \"x\"\n").unwrap();
        let Value::Table(entries) = v.value else { panic!() };
        assert_eq!(entries[0].0.value, "b");
        assert_eq!(entries[1].1.span, Span::new(10, 13));
    }
}
