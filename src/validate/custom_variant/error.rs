//! A problem in the custom variant file and the diagnostic it becomes.

use crate::diagnostic::{Diagnostic, Location, Position, Severity};
use camino::Utf8Path;

/// A problem in the custom variant file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomVariantError {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub position: Option<(Position, usize)>,
    pub hint: Option<String>,
}

impl CustomVariantError {
    pub(super) fn error(
        code: &'static str,
        message: String,
        position: Option<(Position, usize)>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message,
            position,
            hint: None,
        }
    }

    pub(super) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn to_diagnostic(&self, file: &Utf8Path) -> Diagnostic {
        let location = match self.position {
            Some((position, length)) => Location::at(file, position, length),
            None => Location::file(file),
        };
        let mut d = Diagnostic::error(self.code, self.message.clone()).at(location);
        d.severity = self.severity;
        d.hint = self.hint.clone();
        d
    }
}
