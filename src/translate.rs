//! Translating a scenario: every string a learner reads, with a stable id
//! ([`units`]); those strings as XLIFF 2.0, the format translation tools
//! read ([`xliff`]), and a translated XLIFF read back ([`read_xliff`]); the
//! translation written into the scenario's own source, only its strings and
//! its `language` changed ([`translate`]); and the check that a translation
//! kept its source's structure and translated what it should ([`compare`]).
//!
//! Ids come from where a string sits: `node.ID.say`,
//! `node.ID.choice.CHOICE.text`, `ending.ID.variant.2.text`, so they stay
//! the same as long as the ids do, whatever the wording. A translation keeps
//! every id, skill, effect and link of its source, so it has the same
//! content hash ([`Scenario::hash`]): saves, analytics and the comparison
//! carry across languages, and it plays exactly as its source.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Span};
use crate::checking::value::{Spanned, Value};
use crate::checking::Format;
use crate::scenario::Scenario;
use crate::scorm::xml_escape;

/// One string a learner reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    pub id: String,
    pub text: String,
    /// For the translator: what the string is and who says it.
    pub note: String,
    /// Where its literal sits in the source, quotes included.
    pub span: Span,
}

fn get<'a>(table: &'a Spanned<Value>, key: &str) -> Option<&'a Spanned<Value>> {
    match &table.value {
        Value::Table(entries) => entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v),
        _ => None,
    }
}

fn items(v: Option<&Spanned<Value>>) -> &[Spanned<Value>] {
    match v.map(|v| &v.value) {
        Some(Value::Array(a)) => a,
        _ => &[],
    }
}

fn string(v: Option<&Spanned<Value>>) -> Option<&str> {
    match v.map(|v| &v.value) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

/// Every learner-visible string of a parsed scenario source, in source order.
pub fn units(tree: &Spanned<Value>) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut push = |id: String, v: Option<&Spanned<Value>>, note: String| {
        if let Some(Spanned { value: Value::Str(s), span }) = v
            && !s.trim().is_empty()
        {
            out.push(Unit { id, text: s.clone(), note, span: *span });
        }
    };
    push("scenario.title".into(), get(tree, "title"), "The scenario's title, in the library and on the intro.".into());
    push("scenario.summary".into(), get(tree, "summary"), "The scenario's summary, in the library and on the intro.".into());
    for (i, o) in items(get(tree, "objectives")).iter().enumerate() {
        push(format!("scenario.objectives.{}", i + 1), Some(o), "A learning objective, shown on the intro.".into());
    }
    for (i, o) in items(get(tree, "content_notes")).iter().enumerate() {
        push(format!("scenario.content_notes.{}", i + 1), Some(o), "A content note, shown before the scenario starts, so a learner can choose to skip it.".into());
    }
    let peer = get(tree, "peer");
    let name = peer.and_then(|p| string(get(p, "name"))).unwrap_or("the peer").to_string();
    if let Some(p) = peer {
        push("peer.name".into(), get(p, "name"), "The peer's name.".into());
        push("peer.pronouns".into(), get(p, "pronouns"), "The peer's pronouns.".into());
        push("peer.background".into(), get(p, "background"), format!("Who {name} is, on the intro."));
    }
    for node in items(get(tree, "node")) {
        let Some(id) = string(get(node, "id")) else { continue };
        push(format!("node.{id}.say"), get(node, "say"), format!("What {name} says at `{id}`."));
        push(format!("node.{id}.cue"), get(node, "cue"), format!("What the learner sees {name} do at `{id}` (a non-verbal cue)."));
        push(format!("node.{id}.after_drop"), get(node, "after_drop"), format!("What {name} says first at `{id}` when the learner's last response hurt."));
        for (j, choice) in items(get(node, "choice")).iter().enumerate() {
            let cid = string(get(choice, "id")).map_or_else(|| format!("c{}", j + 1), str::to_string);
            let skill = string(get(choice, "skill")).unwrap_or("?");
            push(
                format!("node.{id}.choice.{cid}.text"),
                get(choice, "text"),
                format!("A response the learner can choose at `{id}`. Its skill is {skill}: keep it one, as a peer-support worker would say it in this language."),
            );
            push(format!("node.{id}.choice.{cid}.feedback"), get(choice, "feedback"), format!("Feedback on the {skill} response `{cid}`, for the learner."));
            if let Some(later) = get(choice, "later") {
                push(format!("node.{id}.choice.{cid}.later.feedback"), get(later, "feedback"), format!("Feedback when a consequence of `{cid}` lands later."));
            }
        }
    }
    for ending in items(get(tree, "ending")) {
        let Some(id) = string(get(ending, "id")) else { continue };
        push(format!("ending.{id}.title"), get(ending, "title"), format!("The title of the ending `{id}`."));
        push(format!("ending.{id}.say"), get(ending, "say"), format!("What {name} says last, in the ending `{id}`."));
        push(format!("ending.{id}.text"), get(ending, "text"), format!("The debrief's account of the ending `{id}`."));
        push(format!("ending.{id}.next_time"), get(ending, "next_time"), format!("What to try next time, after the ending `{id}`."));
        for (k, variant) in items(get(ending, "variant")).iter().enumerate() {
            push(format!("ending.{id}.variant.{}.text", k + 1), get(variant, "text"), format!("Another account of the ending `{id}`, for some paths."));
            push(format!("ending.{id}.variant.{}.next_time", k + 1), get(variant, "next_time"), format!("What to try next time, on those paths of `{id}`."));
        }
    }
    out
}

/// Every learner-visible string of a scenario's source text; none when it
/// does not parse (checking reports why).
pub fn units_in(text: &str, format: Format) -> Vec<Unit> {
    crate::checking::parse_tree(text, format).map(|tree| units(&tree)).unwrap_or_default()
}

/// The units as an XLIFF 2.0 document, source only (a translation tool
/// adds the targets). `original` is the scenario's file name.
pub fn xliff(units: &[Unit], src_lang: &str, id: &str, original: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out += &format!("<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"{}\">\n", xml_escape(src_lang));
    out += &format!("  <file id=\"{}\" original=\"{}\" xml:space=\"preserve\">\n", xml_escape(id), xml_escape(original));
    for u in units {
        out += &format!("    <unit id=\"{}\">\n", xml_escape(&u.id));
        out += &format!("      <notes><note category=\"context\">{}</note></notes>\n", xml_escape(&u.note));
        out += &format!("      <segment><source>{}</source></segment>\n", xml_escape(&u.text));
        out += "    </unit>\n";
    }
    out += "  </file>\n</xliff>\n";
    out
}

/// A translated XLIFF document: its target language and each unit's target.
#[derive(Debug, Default)]
pub struct Translated {
    pub target_language: Option<String>,
    pub targets: BTreeMap<String, String>,
}

/// Reads an XLIFF 2.0 document's `trgLang` and each unit's `<target>`
/// (its segments' targets joined). A document that is not well-formed, or
/// not XLIFF 2.0, is an error with its line and column.
pub fn read_xliff(text: &str) -> Result<Translated, String> {
    let mut r = Xml { text, at: 0, token: 0 };
    let mut out = Translated::default();
    let mut stack: Vec<String> = Vec::new();
    let (mut unit, mut target, mut in_target, mut seen_root) = (None::<String>, String::new(), false, false);
    while let Some(token) = r.next()? {
        match token {
            Token::Open { name, attrs, empty } => {
                match name.as_str() {
                    "xliff" => {
                        seen_root = true;
                        if attrs.get("version").map(String::as_str) != Some("2.0") && attrs.get("version").map(String::as_str) != Some("2.1") {
                            return Err(r.at_msg(&format!("this is XLIFF version {}, and `translate` reads XLIFF 2.0 (as `attunement strings` writes it)", attrs.get("version").map_or("(none)", String::as_str))));
                        }
                        out.target_language = attrs.get("trgLang").cloned();
                    }
                    "unit" => {
                        unit = Some(attrs.get("id").cloned().ok_or_else(|| r.at_msg("a <unit> without an id"))?);
                        target.clear();
                    }
                    "target" => in_target = true,
                    other if in_target => return Err(r.at_msg(&format!("<{other}> inside a <target>: `translate` takes plain text (inline codes such as <ph> have no place in a scenario)"))),
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                } else if name == "target" {
                    in_target = false;
                }
            }
            Token::Close(name) => {
                match stack.pop() {
                    Some(open) if open == name => {}
                    Some(open) => return Err(r.at_msg(&format!("</{name}> closes <{open}>"))),
                    None => return Err(r.at_msg(&format!("</{name}> with nothing open"))),
                }
                match name.as_str() {
                    "target" => in_target = false,
                    "unit" => {
                        if let Some(id) = unit.take()
                            && !target.is_empty()
                        {
                            out.targets.insert(id, std::mem::take(&mut target));
                        }
                    }
                    _ => {}
                }
            }
            Token::Text(t) => {
                if in_target {
                    target.push_str(&t);
                }
            }
        }
    }
    if !seen_root {
        return Err("this is not an XLIFF document (no <xliff> element)".into());
    }
    if let Some(open) = stack.last() {
        return Err(format!("the document ends inside <{open}>"));
    }
    Ok(out)
}

enum Token {
    Open { name: String, attrs: BTreeMap<String, String>, empty: bool },
    Close(String),
    Text(String),
}

/// A small pull reader for the XML that translation tools write: elements,
/// attributes, text, entities, comments, CDATA, the declaration.
struct Xml<'a> {
    text: &'a str,
    at: usize,
    /// Where the token being read began, for messages.
    token: usize,
}

impl Xml<'_> {
    fn at_msg(&self, what: &str) -> String {
        let before = &self.text[..self.token.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("line {line}, column {col}: {what}")
    }

    fn next(&mut self) -> Result<Option<Token>, String> {
        self.token = self.at;
        let rest = &self.text[self.at..];
        if rest.is_empty() {
            return Ok(None);
        }
        if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").ok_or_else(|| self.at_msg("a comment that never ends"))?;
            self.at += 4 + end + 3;
            return self.next();
        }
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            let end = body.find("]]>").ok_or_else(|| self.at_msg("a CDATA section that never ends"))?;
            self.at += 9 + end + 3;
            return Ok(Some(Token::Text(body[..end].to_string())));
        }
        if rest.starts_with("<?") || rest.starts_with("<!") {
            let end = rest.find('>').ok_or_else(|| self.at_msg("a declaration that never ends"))?;
            self.at += end + 1;
            return self.next();
        }
        if let Some(body) = rest.strip_prefix("</") {
            let end = body.find('>').ok_or_else(|| self.at_msg("a closing tag that never ends"))?;
            let name = body[..end].trim().to_string();
            self.at += 2 + end + 1;
            return Ok(Some(Token::Close(local(&name))));
        }
        if rest.starts_with('<') {
            let end = tag_end(rest).ok_or_else(|| self.at_msg("a tag that never ends"))?;
            let inner = &rest[1..end];
            let (inner, empty) = match inner.strip_suffix('/') {
                Some(i) => (i, true),
                None => (inner, false),
            };
            let name_end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
            let name = local(&inner[..name_end]);
            let attrs = self.attributes(&inner[name_end..])?;
            self.at += end + 1;
            return Ok(Some(Token::Open { name, attrs, empty }));
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let text = self.unescape(&rest[..end])?;
        self.at += end;
        Ok(Some(Token::Text(text)))
    }

    fn attributes(&self, mut s: &str) -> Result<BTreeMap<String, String>, String> {
        let mut out = BTreeMap::new();
        loop {
            s = s.trim_start();
            if s.is_empty() {
                return Ok(out);
            }
            let eq = s.find('=').ok_or_else(|| self.at_msg("an attribute without a value"))?;
            let name = s[..eq].trim().to_string();
            let rest = s[eq + 1..].trim_start();
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'').ok_or_else(|| self.at_msg("an attribute value without quotes"))?;
            let close = rest[1..].find(quote).ok_or_else(|| self.at_msg("an attribute value that never ends"))?;
            out.insert(local(&name).replace("xml:", ""), self.unescape(&rest[1..1 + close])?);
            s = &rest[close + 2..];
        }
    }

    fn unescape(&self, s: &str) -> Result<String, String> {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let end = rest[i..].find(';').ok_or_else(|| self.at_msg("an `&` that starts no entity (write &amp;)"))?;
            let entity = &rest[i + 1..i + end];
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32).ok_or_else(|| self.at_msg(&format!("`&{e};` is no character")))?,
                e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32).ok_or_else(|| self.at_msg(&format!("`&{e};` is no character")))?,
                e => return Err(self.at_msg(&format!("`&{e};` is no XML entity"))),
            };
            out.push(c);
            rest = &rest[i + end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// The element's name without a namespace prefix.
fn local(name: &str) -> String {
    if name.starts_with("xml:") { name.to_string() } else { name.rsplit(':').next().unwrap_or(name).to_string() }
}

/// Where a tag ends, outside quoted attribute values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The `review` a new translation gets (see the `review` field).
pub const UNREVIEWED: &str = "Not yet reviewed: someone fluent in this language, with peer-support experience, should read this translation before learners do.";

/// A source's `review` note, if it has one.
pub fn review_of(text: &str, format: Format) -> Option<String> {
    crate::checking::parse_tree(text, format).ok().and_then(|tree| string(get(&tree, "review")).map(str::to_string))
}

/// What [`translate`] did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Units translated.
    pub translated: usize,
    /// Units with no target, kept in the source language.
    pub missing: Vec<String>,
    /// Targets for ids the scenario does not have (the XLIFF is of another
    /// version of it, or was edited).
    pub unknown: Vec<String>,
}

/// Writes the translation: the source with each unit's string replaced by
/// its target and `language` set to `lang`; everything else, comments and
/// layout included, stays as it was.
pub fn translate(source: &str, format: Format, targets: &BTreeMap<String, String>, lang: &str) -> Result<(String, Outcome), Vec<Diagnostic>> {
    let tree = crate::checking::parse_tree(source, format)?;
    let units = units(&tree);
    let mut outcome = Outcome::default();
    let mut edits: Vec<(Span, String)> = Vec::new();
    for u in &units {
        match targets.get(&u.id) {
            Some(t) => {
                outcome.translated += 1;
                edits.push((u.span, literal(t, format, u.text.contains('\n'))));
            }
            None => outcome.missing.push(u.id.clone()),
        }
    }
    outcome.unknown = targets.keys().filter(|k| !units.iter().any(|u| &u.id == *k)).cloned().collect();
    // The parroting rule reads how a response opens, by default from its first two words:
    // a translation keeps the source's openings, written out, so it plays as its source.
    for node in items(get(&tree, "node")) {
        for choice in items(get(node, "choice")) {
            if get(choice, "opening").is_some() {
                continue;
            }
            let Some(Spanned { value: Value::Str(text), span }) = get(choice, "text") else { continue };
            let opening = literal(&crate::checking::lower::first_words(text, 2), format, false);
            let inline = source.as_bytes().get(choice.span.start as usize) == Some(&b'{');
            let entry = match (format, inline) {
                (Format::Json, _) => format!(", \"opening\": {opening}"),
                (Format::Toml, true) => format!(", opening = {opening}"),
                (Format::Toml, false) => format!("\nopening = {opening}"),
            };
            edits.push((Span::new(span.end as usize, span.end as usize), entry));
        }
    }
    match get(&tree, "language") {
        Some(Spanned { value: Value::Str(_), span }) => {
            edits.push((*span, literal(lang, format, false)));
            // Until someone fluent, with peer-support experience, has read it, the translation says so.
            let review = get(&tree, "review").is_some();
            if !review {
                let note = literal(UNREVIEWED, format, false);
                let entry = if format == Format::Json { format!(", \"review\": {note}") } else { format!("\nreview = {note}") };
                edits.push((Span::new(span.end as usize, span.end as usize), entry));
            }
        }
        _ => return Err(vec![Diagnostic::error("E029", Span::default(), "the source has no `language`, so its translation could not say its own").hint("add `language = \"en\"` (the source's language) to the source")]),
    }
    edits.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
    let mut out = source.to_string();
    for (span, text) in edits {
        out.replace_range(span.start as usize..span.end as usize, &text);
    }
    Ok((out, outcome))
}

/// A string literal of the format: TOML's multi-line basic string for text
/// with line breaks (as authors write them), else a basic string.
fn literal(s: &str, format: Format, multiline: bool) -> String {
    if format == Format::Json {
        return serde_json::to_string(s).unwrap_or_default();
    }
    let escape = |keep_newlines: bool| {
        let mut out = String::with_capacity(s.len() + 2);
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' if keep_newlines => out.push('\n'),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
                c => out.push(c),
            }
        }
        out
    };
    if multiline || s.contains('\n') { format!("\"\"\"\n{}\"\"\"", escape(true)) } else { format!("\"{}\"", escape(false)) }
}

/// How a translation differs from its source: structural changes (errors:
/// it would not play as its source) and strings left as they were
/// (warnings), each at its place in the translation.
pub fn compare(source: &Scenario, source_units: &[Unit], translation: &Scenario, translation_units: &[Unit], source_name: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if source.hash() != translation.hash() {
        let mut differences = structure_differences(source, translation);
        if differences.is_empty() {
            differences.push(("a trust effect, a condition, a flag or a link".into(), None));
        }
        // At the first difference's place in the translation, else its first string.
        let span = differences.iter().find_map(|(_, at)| at.as_ref().and_then(|id| translation_units.iter().find(|u| &u.id == id))).or(translation_units.first()).map(|u| u.span).unwrap_or_default();
        let shown: Vec<String> = differences.iter().take(5).map(|(d, _)| d.clone()).collect();
        let more = differences.len().saturating_sub(5);
        out.push(
            Diagnostic::error("E029", span, format!("this translation's structure differs from its source {source_name}: {}{}", shown.join("; "), if more > 0 { format!("; and {more} more") } else { String::new() }))
                .hint(format!("a translation changes only the words: make it again from {source_name} with `attunement strings` and `attunement translate`, so it keeps every id, skill, effect and link")),
        );
    }
    for u in translation_units {
        if let Some(s) = source_units.iter().find(|s| s.id == u.id) {
            // Names and short labels may rightly stay the same.
            if s.text == u.text && u.text.split_whitespace().count() >= 3 {
                out.push(Diagnostic::warning("W011", u.span, format!("`{}` is the same as in {source_name}: not translated", u.id)).hint("translate it, or, if it is right as it is (a name, a quotation), leave it: this is only a warning"));
            }
        }
    }
    out
}

fn structure_differences(a: &Scenario, b: &Scenario) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    if a.meta().id != b.meta().id {
        out.push((format!("its id is `{}`, not `{}`", b.meta().id, a.meta().id), Some("scenario.title".to_string())));
    }
    let ids = |s: &Scenario| s.nodes().iter().map(|n| n.id.clone()).collect::<Vec<_>>();
    let (na, nb) = (ids(a), ids(b));
    for n in na.iter().filter(|n| !nb.contains(n)) {
        out.push((format!("node `{n}` is missing"), None));
    }
    for n in nb.iter().filter(|n| !na.contains(n)) {
        out.push((format!("node `{n}` is new"), Some(format!("node.{n}.say"))));
    }
    for node in a.nodes() {
        let Some(other) = b.node(&node.id).map(|i| &b.nodes()[i]) else { continue };
        let at = |c: &str| Some(format!("node.{}.choice.{c}.text", node.id));
        for c in &node.choices {
            match other.choices.iter().find(|o| o.id == c.id) {
                None => out.push((format!("choice `{}` of `{}` is missing", c.id, node.id), Some(format!("node.{}.say", node.id)))),
                Some(o) if o.skill != c.skill => out.push((format!("choice `{}` of `{}` is {} here, {} in the source", c.id, node.id, o.skill.id(), c.skill.id()), at(&c.id))),
                Some(o) if o.trust != c.trust || o.next != c.next || o.distress != c.distress => out.push((format!("choice `{}` of `{}` has another effect or leads elsewhere", c.id, node.id), at(&c.id))),
                Some(_) => {}
            }
        }
        for o in other.choices.iter().filter(|o| !node.choices.iter().any(|c| c.id == o.id)) {
            out.push((format!("choice `{}` of `{}` is new", o.id, node.id), at(&o.id)));
        }
    }
    let endings = |s: &Scenario| s.endings().iter().map(|e| (e.id.clone(), e.outcome)).collect::<Vec<_>>();
    if endings(a) != endings(b) {
        out.push(("the endings or their outcomes differ".into(), None));
    }
    out
}

/// Whether a file name is a translation's, `ID.LANG.toml` (or `.json`):
/// returns the source's file name, `ID.toml`.
pub fn source_of(file_name: &str) -> Option<String> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    let (id, lang) = stem.rsplit_once('.')?;
    let tag = lang.split('-').collect::<Vec<_>>();
    let is_lang = (2..=3).contains(&tag[0].len()) && tag[0].chars().all(|c| c.is_ascii_lowercase()) && tag.iter().skip(1).all(|t| (2..=4).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric()));
    (is_lang && !id.is_empty() && (ext == "toml" || ext == "json")).then(|| format!("{id}.{ext}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translation_file_names_name_their_source() {
        assert_eq!(source_of("first-meeting.es.toml").as_deref(), Some("first-meeting.toml"));
        assert_eq!(source_of("first-meeting.pt-BR.toml").as_deref(), Some("first-meeting.toml"));
        assert_eq!(source_of("first-meeting.toml"), None);
        assert_eq!(source_of("v1.2.toml"), None);
    }

    #[test]
    fn xml_is_read_with_entities_cdata_and_comments() {
        let x = r#"<?xml version="1.0"?><!-- a tool's comment --><xliff version="2.0" srcLang="en" trgLang="es"><file id="f"><unit id="a"><segment><source>Hi &amp; bye</source><target>Hola &amp; adi&#243;s</target></segment></unit><unit id="b"><segment><source>x</source><target><![CDATA[<b>no</b>]]></target></segment></unit><unit id="c"><segment><source>y</source></segment></unit></file></xliff>"#;
        let t = read_xliff(x).unwrap();
        assert_eq!(t.target_language.as_deref(), Some("es"));
        assert_eq!(t.targets.get("a").map(String::as_str), Some("Hola & adiós"));
        assert_eq!(t.targets.get("b").map(String::as_str), Some("<b>no</b>"));
        assert!(!t.targets.contains_key("c"), "no target, no translation");
        assert!(read_xliff("<xliff version=\"1.2\"></xliff>").unwrap_err().contains("XLIFF 2.0"));
        assert!(read_xliff("<xliff version=\"2.0\"><file></xliff>").unwrap_err().contains("closes <file>"));
        assert!(read_xliff("<xliff version=\"2.0\"><unit id=\"a\"><segment><target>a <ph id=\"1\"/> b</target></segment></unit></xliff>").unwrap_err().contains("<ph>"));
        assert!(read_xliff("plain text").unwrap_err().contains("not an XLIFF"));
    }

    #[test]
    fn literals_escape_what_toml_needs() {
        assert_eq!(literal("say \"hi\"\\", Format::Toml, false), r#""say \"hi\"\\""#);
        assert_eq!(literal("a\nb", Format::Toml, false), "\"\"\"\na\nb\"\"\"");
        assert_eq!(literal("a\"\"\"b", Format::Toml, true), "\"\"\"\na\\\"\\\"\\\"b\"\"\"");
        assert_eq!(literal("é\"", Format::Json, false), "\"é\\\"\"");
    }
}
