//! A problem found while resolving, and how it becomes a diagnostic.

use crate::diagnostic::{Diagnostic, Severity};
use crate::validate::settings::Origin;

/// A configuration that cannot be resolved into engines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    /// The setting the problem is about, for its position.
    pub origin: Option<Origin>,
    /// Or a position in the custom variant file.
    pub custom_variant_at: Option<(camino::Utf8PathBuf, crate::diagnostic::Position, usize)>,
}

impl ResolveError {
    pub(super) fn new(
        code: &'static str,
        message: impl Into<String>,
        origin: Option<&Origin>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: None,
            origin: origin.cloned(),
            custom_variant_at: None,
        }
    }

    pub(super) fn warning(
        code: &'static str,
        message: impl Into<String>,
        origin: Option<&Origin>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::new(code, message, origin)
        }
    }

    pub(super) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut d = Diagnostic::error(self.code, self.message.clone());
        d.severity = self.severity;
        d.hint = self.hint.clone();
        if let Some((file, position, length)) = &self.custom_variant_at {
            d.location = Some(crate::diagnostic::Location::at(file, *position, *length));
        } else if let Some(location) = self.origin.as_ref().and_then(Origin::location) {
            d.location = Some(location);
        } else if self.origin == Some(Origin::CommandLine) {
            d.message.push_str(" (from the command line)");
        }
        d
    }
}

/// Whether any of `problems` is an error, which stops resolution.
pub(super) fn any_error(problems: &[ResolveError]) -> bool {
    problems.iter().any(|p| p.severity == Severity::Error)
}
