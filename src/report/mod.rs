//! Reporting diagnostics to people and tools: compiler-style text
//! ([`text`]), a versioned JSON envelope ([`json`]) and GitHub Actions
//! workflow commands ([`github`]), and SARIF 2.1.0 for code scanning ([`sarif`]).

pub mod colour;
pub mod excerpt;
pub mod github;
pub mod json;
pub mod limits;
pub mod printable;
pub mod sarif;
pub mod text;

use crate::diagnostic::{Diagnostic, Severity};
use crate::pipeline::Compilation;

/// Every diagnostic once, errors first, then by file and position.
pub fn ordered(compilation: &Compilation) -> Vec<Diagnostic> {
    let mut all = compilation.diagnostics.clone().sorted();
    all.dedup();
    all
}

/// `(errors, warnings)` among `diagnostics` (notes are neither).
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    (count(Severity::Error), count(Severity::Warning))
}

/// Prints `acegen: error: MESSAGE` on stderr. The message often repeats a
/// path or a value from the inputs, so it is escaped as every text from the
/// inputs is ([`printable::printable`]): no terminal control, bidi override
/// or line break of a file name reaches the terminal or a CI log.
pub fn print_error(message: &str) {
    eprintln!("acegen: error: {}", printable::printable(message));
}

/// Prints `acegen: note: MESSAGE` on stderr, escaped as [`print_error`] does.
pub fn print_note(message: &str) {
    eprintln!("acegen: note: {}", printable::printable(message));
}
