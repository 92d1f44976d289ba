//! `check --format json`: a versioned envelope on stdout, documented in
//! docs/check.md. `format_version` changes only when a field changes
//! meaning or disappears; new fields may be added.

use crate::diagnostic::Diagnostic;
use crate::pipeline::Compilation;
use serde::Serialize;

pub const FORMAT_VERSION: u32 = 1;

/// The whole report, fields in the documented order.
#[derive(Debug, Serialize)]
pub struct Envelope<'a> {
    pub format_version: u32,
    /// What the exit code says: with `--strict`, warnings make it false.
    pub valid: bool,
    pub error_count: usize,
    pub warning_count: usize,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// One diagnostic as data; `line`/`column` are null when the position is
/// unknown, `file` is null when the problem is in no file (e.g. `--set`).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: &'a str,
    pub file: Option<&'a str>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub hint: Option<&'a str>,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(diagnostic: &'a Diagnostic) -> Self {
        let location = diagnostic.location.as_ref();
        let position = location.and_then(|l| l.position);
        Self {
            severity: diagnostic.severity.as_str(),
            code: diagnostic.code,
            message: &diagnostic.message,
            file: location.map(|l| l.file.as_str()),
            line: position.map(|p| p.line),
            column: position.map(|p| p.column),
            hint: diagnostic.hint.as_deref(),
        }
    }
}

/// The envelope as pretty-printed text with a final newline.
pub fn render(compilation: &Compilation, strict: bool) -> String {
    let diagnostics = super::ordered(compilation);
    let (error_count, warning_count) = super::counts(&diagnostics);
    let envelope = Envelope {
        format_version: FORMAT_VERSION,
        valid: compilation.is_valid(strict),
        error_count,
        warning_count,
        diagnostics: diagnostics.iter().map(JsonDiagnostic::from).collect(),
    };
    let mut text = serde_json::to_string_pretty(&envelope).expect("the envelope always serialises");
    text.push('\n');
    text
}
