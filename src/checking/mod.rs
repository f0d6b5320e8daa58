//! Checking: from a scenario's source text to the checked model, or to
//! every problem found in it. The top layer: the model ([`crate::scenario`])
//! ← the engine ← the analysis ← checking, each naming only those below it.
//!
//! Source text (TOML or JSON) is parsed into a spanned value tree
//! ([`value`]), read into the authoring shapes ([`syntax`]), resolved into
//! the model with ids turned into indices ([`lower`]), and checked as a whole
//! with the help of the state-space analysis ([`validate`]). Only in builds
//! with the `check` feature: the learner's engine reads compiled scenarios
//! ([`crate::compiled`]).

pub mod lower;
pub mod syntax;
pub mod validate;
pub mod value;

use crate::diagnostic::Diagnostic;
use crate::scenario::{MAX_SOURCE_BYTES, Playable, Scenario};

/// The source format of a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// JSON for `.json` files, TOML for everything else.
    pub fn from_path(path: &str) -> Format {
        if path.to_ascii_lowercase().ends_with(".json") { Format::Json } else { Format::Toml }
    }
}

/// The result of checking a scenario: the scenario when there is no error,
/// and every diagnostic (errors and warnings) in source order.
pub struct Report {
    pub scenario: Option<Playable>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

impl Scenario {
    /// Checks a scenario and returns it, ready to play, or its errors: a
    /// shorthand for [`check`], kept with checking so that the model names
    /// nothing above it.
    pub fn parse(text: &str, format: Format) -> Result<Playable, Vec<Diagnostic>> {
        let report = check(text, format);
        report.scenario.ok_or(report.diagnostics)
    }
}

/// Parses, lowers and validates a scenario from its source text.
pub fn check(text: &str, format: Format) -> Report {
    if let Some(d) = too_large(text.len()) {
        return Report { scenario: None, diagnostics: vec![d] };
    }
    match parse_tree(text, format) {
        Ok(tree) => check_tree(&tree),
        Err(diagnostics) => Report { scenario: None, diagnostics },
    }
}

/// Checks a scenario and writes it in the compiled form the learner's
/// engine reads ([`crate::compiled`]).
pub fn compile(text: &str, format: Format) -> Result<Vec<u8>, Vec<Diagnostic>> {
    match compile_report(text, format) {
        (_, Some(bytes)) => Ok(bytes),
        (report, None) => Err(report.diagnostics),
    }
}

/// Checks a scenario once and, when it has no error, also compiles it: for
/// callers that need the checked scenario, its warnings and the compiled
/// form. A scenario whose analysis did not finish is refused with E025:
/// nobody knows whether a learner could get stuck in it.
pub fn compile_report(text: &str, format: Format) -> (Report, Option<Vec<u8>>) {
    let mut report = check(text, format);
    refuse_unanalysed(&mut report);
    let bytes = report.scenario.as_ref().and_then(crate::compiled::write);
    (report, bytes)
}

/// The E023 a file of `len` bytes gets when it is over [`MAX_SOURCE_BYTES`].
pub fn too_large(len: usize) -> Option<Diagnostic> {
    (len > MAX_SOURCE_BYTES).then(|| {
        Diagnostic::error("E023", crate::diagnostic::Span::default(), crate::scenario::too_large_words(len))
            .hint("a scenario is a conversation, not a book: split it, or check that this is the file you meant")
    })
}

/// Turns a scenario whose analysis stopped at a bound into an error (E025):
/// for what reaches learners (`compile`, `library`, `scorm`, the browser).
pub fn refuse_unanalysed(report: &mut Report) {
    if report.scenario.as_ref().is_some_and(|s| !s.is_analysed()) {
        report.scenario = None;
        report.diagnostics.push(
            Diagnostic::error("E025", crate::diagnostic::Span::default(), "the scenario cannot be played: its analysis stopped before it could check that no learner gets stuck")
                .hint("make the state space smaller (see W004), then compile it again"),
        );
    }
}

pub(crate) fn parse_tree(text: &str, format: Format) -> Result<value::Spanned<value::Value>, Vec<Diagnostic>> {
    match format {
        #[cfg(feature = "toml")]
        Format::Toml => value::parse_toml(text),
        #[cfg(not(feature = "toml"))]
        Format::Toml => Err(vec![crate::diagnostic::Diagnostic::error(
            "E001",
            crate::diagnostic::Span::default(),
            "this build checks JSON sources only",
        )
        .hint("build with the `toml` feature to check TOML, or write the scenario as JSON")]),
        Format::Json => value::parse_json(text),
    }
}

fn check_tree(tree: &value::Spanned<value::Value>) -> Report {
    let mut cx = syntax::Cx::default();
    let file = <syntax::ScenarioFile as syntax::Syntax>::lower(tree, &mut cx);
    let mut diagnostics = cx.diagnostics;
    value::control_characters(tree, &mut diagnostics);
    let Some(file) = file else {
        sort(&mut diagnostics);
        return Report { scenario: None, diagnostics };
    };
    let lowered = lower::lower(&file, &mut diagnostics);
    let scenario = lowered.and_then(|(scenario, spans)| {
        let found = validate::validate(&scenario, &spans, &mut diagnostics);
        (!diagnostics.iter().any(Diagnostic::is_error)).then(|| Playable::new(scenario, found.best, found.analysed))
    });
    sort(&mut diagnostics);
    Report { scenario, diagnostics }
}

/// Puts diagnostics in source order, errors first at one place: a small
/// stable merge sort, because the standard library's sorts add kilobytes to
/// the learner's download for every type they sort.
fn sort(diagnostics: &mut Vec<Diagnostic>) {
    if diagnostics.len() < 2 {
        return;
    }
    let mut right = diagnostics.split_off(diagnostics.len() / 2);
    sort(diagnostics);
    sort(&mut right);
    let key = |d: &Diagnostic| (d.span.start, d.severity);
    let mut merged = Vec::with_capacity(diagnostics.len() + right.len());
    let (mut left, mut right) = (std::mem::take(diagnostics).into_iter().peekable(), right.into_iter().peekable());
    while let (Some(l), Some(r)) = (left.peek(), right.peek()) {
        let next = if key(r) < key(l) { right.next() } else { left.next() };
        merged.extend(next);
    }
    merged.extend(left.chain(right));
    *diagnostics = merged;
}

