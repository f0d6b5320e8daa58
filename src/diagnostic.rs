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
    pub fn render(&self, d: &Diagnostic) -> String {
        let (line, col) = self.line_col(d.span.start);
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{}:{}:{}: {}[{}]: {}\n", self.name, line, col, severity, d.code, d.message);
        let start = self.line_starts[line - 1];
        // `get` rather than indexing: line starts are always char boundaries,
        // and this keeps the panicking slice path out of the wasm build.
        let rest = self.text.get(start..).unwrap_or_default();
        let text = rest.split('\n').next().unwrap_or_default().trim_end_matches('\r');
        let gutter = " ".repeat(line.to_string().len());
        let (end_line, end_col) = self.line_col(d.span.end);
        let width = if end_line == line { end_col.saturating_sub(col).max(1) } else { text.chars().count().saturating_sub(col - 1).max(1) };
        out.push_str(&format!("{gutter} |\n{line} | {text}\n{gutter} | {}{}\n", " ".repeat(col - 1), "^".repeat(width)));
        for hint in &d.hints {
            out.push_str(&format!("{gutter} = hint: {hint}\n"));
        }
        out
    }
}

/// The closest candidate to `word` by edit distance, if it is close enough to
/// be a likely typo: the "did you mean" of every unknown-name diagnostic.
pub fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(1) + usize::from(word.len() > 8);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, c)| d <= limit || (c.len() > 3 && (c.starts_with(word) && word.len() >= 4 || word.starts_with(c))))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Edit distance where swapping two neighbouring letters counts as one edit
/// (optimal string alignment): "stroy" is one typo away from "story".
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
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
    }
}
