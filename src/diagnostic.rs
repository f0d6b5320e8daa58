//! Diagnostics: what is wrong with a scenario, where, and what to do about it.
//!
//! A diagnostic carries a byte span into one source text; line and column are
//! worked out only when it is rendered, so lowering and validation never count
//! lines. Rendering follows the GNU `file:line:col: severity[code]: message`
//! form that editors understand, then the offending line and any hints.
//! Messages are lowercase, name the thing they are about, and end without a
//! period; tests assert them exactly.

use serde::Serialize;

/// A byte range into a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end.max(start) as u32 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code such as `E004`; documented in `docs/diagnostics.md`.
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, code, message: message.into(), span, hints: Vec::new() }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, code, message: message.into(), span, hints: Vec::new() }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A named source text, able to turn byte offsets into line and column.
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
    line_starts: Vec<usize>,
}

/// A diagnostic with its position worked out, ready for JSON output.
#[derive(Clone, Debug, Serialize)]
pub struct Located {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub hints: Vec<String>,
}

impl<'a> Source<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Source<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source { name, text, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let offset = (offset as usize).min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    pub fn locate(&self, d: &Diagnostic) -> Located {
        let (line, column) = self.line_col(d.span.start);
        let (end_line, end_column) = self.line_col(d.span.end);
        Located {
            file: self.name.to_string(),
            line,
            column,
            end_line,
            end_column,
            severity: d.severity,
            code: d.code,
            message: d.message.clone(),
            hints: d.hints.clone(),
        }
    }

    /// Renders a diagnostic in the GNU form with the source line underlined.
    /// A long line (a minified JSON scenario is one line) is shown as a
    /// window around the caret, and control characters are shown as their
    /// Unicode pictures, so a file cannot drive the terminal it is checked in.
    pub fn render(&self, d: &Diagnostic) -> String {
        let (line, col) = self.line_col(d.span.start);
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{}:{}:{}: {}[{}]: {}\n", terminal_safe(self.name), line, col, severity, d.code, terminal_safe(&d.message));
        let start = self.line_starts[line - 1];
        // `get` rather than indexing: line starts are always char boundaries,
        // and this keeps the panicking slice path out of the wasm build.
        let rest = self.text.get(start..).unwrap_or_default();
        let text = rest.split('\n').next().unwrap_or_default().trim_end_matches('\r');
        let gutter = " ".repeat(line.to_string().len());
        let (end_line, end_col) = self.line_col(d.span.end);
        let chars = text.chars().count();
        let width = if end_line == line { end_col.saturating_sub(col).max(1) } else { chars.saturating_sub(col - 1).max(1) };
        // The window: WINDOW characters starting a little before the caret.
        let from = if chars <= WINDOW { 0 } else { (col - 1).saturating_sub(WINDOW / 4).min(chars - WINDOW) };
        let shown: String = text.chars().skip(from).take(WINDOW).collect();
        let (before, after) = (if from > 0 { "…" } else { "" }, if from + WINDOW < chars { "…" } else { "" });
        // The caret line copies the tabs before the caret, so it lines up
        // however wide the terminal shows a tab.
        let pad: String = before.chars().map(|_| ' ').chain(shown.chars().take(col - 1 - from).map(|c| if c == '\t' { '\t' } else { ' ' })).collect();
        let width = width.min(WINDOW.saturating_sub(col - 1 - from)).max(1);
        out.push_str(&format!("{gutter} |\n{line} | {before}{}{after}\n{gutter} | {pad}{}\n", terminal_safe(&shown), "^".repeat(width)));
        for hint in &d.hints {
            out.push_str(&format!("{gutter} = hint: {}\n", terminal_safe(hint)));
        }
        out
    }

    /// Renders at most [`MAX_RENDERED`] diagnostics, then a line counting the rest.
    pub fn render_all<'d>(&self, diagnostics: impl IntoIterator<Item = &'d Diagnostic>) -> String {
        let mut out = String::new();
        let mut rest = 0;
        for (i, d) in diagnostics.into_iter().enumerate() {
            if i < MAX_RENDERED {
                out.push_str(&self.render(d));
            } else {
                rest += 1;
            }
        }
        if rest > 0 {
            out.push_str(&format!("{}: and {rest} more problem{} not shown; fix these first\n", terminal_safe(self.name), if rest == 1 { "" } else { "s" }));
        }
        out
    }
}

/// How many characters of a source line a diagnostic shows.
const WINDOW: usize = 160;

/// How many diagnostics of one file are rendered; the rest are counted.
pub const MAX_RENDERED: usize = 100;

/// Whether a character would act on a terminal rather than print: the C0
/// and C1 controls and DEL, except tab and newline.
pub fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Text made safe to print on a terminal: each control character becomes a
/// visible stand-in of one column (its Unicode control picture, or U+FFFD
/// for C1), so what an author wrote cannot clear a screen, set a title or
/// fake output, and a caret under it still lines up. A CR of a CR LF line
/// break is dropped.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_control) {
        return text.into();
    }
    let mut chars = text.chars().peekable();
    std::iter::from_fn(|| chars.next().map(|c| (c, chars.peek() == Some(&'\n'))))
        .filter(|&(c, before_newline)| !(c == '\r' && before_newline))
        .map(|(c, _)| match c {
            c if !is_control(c) => c.to_string(),
            '\u{7f}' => '\u{2421}'.to_string(),
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?').to_string(),
            _ => '\u{fffd}'.to_string(),
        })
        .collect::<String>()
        .into()
}

/// An author's name as a message echoes it: whole when short, else its start
/// and a count, so one huge id cannot make a huge message.
pub fn quoted(name: &str) -> String {
    const LONG: usize = 64;
    if name.len() <= LONG {
        return name.to_string();
    }
    let mut cut = LONG;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}… ({} characters)", &name[..cut], name.chars().count())
}

/// The closest candidate to `word` by edit distance, if it is close enough to
/// be a likely typo: the "did you mean" of every unknown-name diagnostic.
///
/// Bounded whatever the input: a word longer than any name is given no
/// suggestion, a candidate whose length differs by more than the allowed
/// distance is skipped unread, and the distance is computed in rolling rows that
/// stop as soon as every entry is past the limit. Callers that may meet many
/// unknown names go through [`Suggestions`].
pub fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let len = word.chars().count();
    if len > MAX_SUGGESTED {
        return None;
    }
    let limit = (len / 3).max(1) + usize::from(word.len() > 8);
    let word: Vec<char> = word.chars().collect();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let clen = c.chars().count();
        if clen > MAX_SUGGESTED {
            continue;
        }
        let prefix = clen > 3 && (clen > len && len >= 4 && c.chars().zip(&word).all(|(a, &b)| a == b) || clen < len && word.iter().zip(c.chars()).all(|(&a, b)| a == b));
        let d = if prefix { Some(clen.abs_diff(len)) } else if clen.abs_diff(len) > limit { None } else { edit_distance(&word, c, limit) };
        if let Some(d) = d.filter(|&d| d <= limit || prefix)
            && best.is_none_or(|(b, _)| d < b)
        {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// A budget of "did you mean" work for one file, counted in names compared:
/// each search compares a name with every candidate, so a file of thousands
/// of typos among thousands of names must not cost millions of comparisons.
/// Past the budget, names get no suggestion.
pub struct Suggestions {
    left: usize,
}

impl Suggestions {
    /// How many names one file may compare.
    pub const PER_FILE: usize = 200_000;

    pub fn new() -> Suggestions {
        Suggestions { left: Suggestions::PER_FILE }
    }

    /// [`did_you_mean`], while the budget lasts: a search that would pass
    /// it is not made.
    pub fn suggest<'c>(&mut self, word: &str, candidates: impl IntoIterator<Item = &'c str> + Clone) -> Option<&'c str> {
        let cost = candidates.clone().into_iter().count();
        self.left = self.left.checked_sub(cost)?;
        did_you_mean(word, candidates)
    }
}

impl Default for Suggestions {
    fn default() -> Suggestions {
        Suggestions::new()
    }
}

/// Names longer than this get no suggestion (no scenario name is this long).
const MAX_SUGGESTED: usize = 64;

/// Edit distance where swapping two neighbouring letters counts as one edit
/// (optimal string alignment): "stroy" is one typo away from "story".
/// `None` when it exceeds `limit`, found out as early as a row allows. Three
/// rolling rows, since a swap looks two rows back.
fn edit_distance(a: &[char], b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        if row.iter().all(|&d| d > limit) {
            return None;
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut row);
    }
    Some(last[b.len()]).filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_gnu_form_with_caret_and_hint() {
        let text = "[[node]]\nnext = \"opning\"\n";
        let src = Source::new("s.toml", text);
        let d = Diagnostic::error("E004", Span::new(16, 24), "unknown node `opning`").hint("did you mean `opening`?");
        assert_eq!(
            src.render(&d),
            "s.toml:2:8: error[E004]: unknown node `opning`\n  |\n2 | next = \"opning\"\n  |        ^^^^^^^^\n  = hint: did you mean `opening`?\n"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = Source::new("s", "a = \"é\" x");
        assert_eq!(src.line_col(9), (1, 9));
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("opning", ["opening", "ending"]), Some("opening"));
        assert_eq!(did_you_mean("reflecton", ["reflection", "validation"]), Some("reflection"));
        assert_eq!(did_you_mean("stroy", ["story", "closed"]), Some("story"));
        assert_eq!(did_you_mean("zebra", ["opening", "ending"]), None);
        assert_eq!(did_you_mean("open", ["opening"]), Some("opening"));
        assert_eq!(did_you_mean("openingz", ["opening"]), Some("opening"));
    }

    #[test]
    fn suggests_nothing_for_names_longer_than_any_name() {
        let long = "a".repeat(40_000);
        assert_eq!(did_you_mean(&long, [long.as_str()]), None);
        assert_eq!(did_you_mean("opening", [long.as_str(), "opning"]), Some("opning"));
    }

    #[test]
    fn edit_distance_counts_swaps_as_one_and_stops_past_its_limit() {
        let d = |a: &str, b: &str, limit| edit_distance(&a.chars().collect::<Vec<_>>(), b, limit);
        assert_eq!(d("stroy", "story", 3), Some(1));
        assert_eq!(d("kitten", "sitting", 3), Some(3));
        assert_eq!(d("kitten", "sitting", 2), None);
        assert_eq!(d("", "abc", 3), Some(3));
    }

    #[test]
    fn long_lines_show_a_window_around_the_caret() {
        let text = format!("{{\"id\": \"x\", {}\"nxt\": 1}}", "\"pad\": 0, ".repeat(5_000));
        let at = text.find("\"nxt\"").unwrap();
        let src = Source::new("big.json", &text);
        let out = src.render(&Diagnostic::error("E007", Span::new(at, at + 5), "unknown field `nxt` in scenario"));
        let shown = out.lines().nth(2).unwrap();
        assert!(shown.chars().count() < WINDOW + 10, "{shown}");
        assert!(shown.starts_with("1 | …") && shown.contains("\"nxt\": 1}"), "{shown}");
        let caret = out.lines().nth(3).unwrap();
        let (line_at, caret_at) = (shown.chars().position(|c| c == '"').unwrap(), caret.chars().position(|c| c == '^').unwrap());
        assert_eq!(shown.chars().skip(caret_at).take(5).collect::<String>(), "\"nxt\"", "the caret is under the key ({line_at})");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let src = Source::new("s.toml", "say = \"\u{1b}]0;pwned\u{7}\"\n");
        let out = src.render(&Diagnostic::error("E004", Span::new(6, 17), "unknown node `\u{1b}[2J`").hint("\u{9b}31m"));
        assert!(!out.chars().any(is_control), "{out:?}");
        assert!(out.contains("unknown node `␛[2J`") && out.contains("\"␛]0;pwned␇\"") && out.contains("\u{fffd}31m"), "{out}");
    }

    #[test]
    fn the_caret_lines_up_after_tabs_and_stand_ins() {
        let src = Source::new("s.toml", "\tsay = \"\u{85}\u{1b}x\"\n");
        let at = src.text.find('x').unwrap();
        let out = src.render(&Diagnostic::error("E002", Span::new(at, at + 1), "m"));
        let lines: Vec<&str> = out.lines().collect();
        let (shown, caret) = (lines[2].strip_prefix("1 | ").unwrap(), lines[3].strip_prefix("  | ").unwrap());
        assert_eq!(shown, "\tsay = \"\u{fffd}␛x\"");
        assert_eq!(caret, "\t         ^", "one column a stand-in, and the tab copied");
    }

    #[test]
    fn at_most_a_hundred_diagnostics_are_rendered() {
        let src = Source::new("s.toml", "x\n");
        let many = vec![Diagnostic::error("E007", Span::new(0, 1), "unknown field `x` in scenario"); 250];
        let out = src.render_all(&many);
        assert_eq!(out.matches("error[E007]").count(), MAX_RENDERED);
        assert!(out.ends_with("s.toml: and 150 more problems not shown; fix these first\n"), "{out}");
    }
}
