//! Colour for terminal output: `--color auto|always|never` and `NO_COLOR`.
//! Hand-rolled ANSI codes: a handful of styles does not earn a crate.

use crate::diagnostic::Severity;
use clap::ValueEnum;
use std::io::IsTerminal;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when the output is a terminal and NO_COLOR is unset
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour, given what `auto` looks at. `NO_COLOR` counts when
    /// set to anything but the empty string (as no-color.org says).
    pub fn decide(self, stream_is_terminal: bool, no_color: Option<&str>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stream_is_terminal && no_color.is_none_or(str::is_empty),
        }
    }

    /// Whether text written to stdout is coloured in this process.
    pub fn for_stdout(self) -> bool {
        let no_color = std::env::var("NO_COLOR").ok();
        self.decide(std::io::stdout().is_terminal(), no_color.as_deref())
    }

    /// Whether text written to stderr is coloured in this process.
    pub fn for_stderr(self) -> bool {
        let no_color = std::env::var("NO_COLOR").ok();
        self.decide(std::io::stderr().is_terminal(), no_color.as_deref())
    }
}

/// Styles for the parts of a diagnostic; every method is a no-op when plain.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    enabled: bool,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BOLD_RED: &str = "\x1b[1;31m";
const BOLD_YELLOW: &str = "\x1b[1;33m";
const BOLD_BLUE: &str = "\x1b[1;34m";
const BOLD_CYAN: &str = "\x1b[1;36m";

impl Palette {
    pub fn new(enabled: bool) -> Self {
        Self { enabled }
    }

    pub fn plain() -> Self {
        Self::new(false)
    }

    fn paint(&self, style: &str, text: &str) -> String {
        if self.enabled {
            format!("{style}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    /// `error[…]` in red, `warning[…]` in yellow; the marker under the value too.
    pub fn severity(&self, severity: Severity, text: &str) -> String {
        let style = match severity {
            Severity::Error => BOLD_RED,
            Severity::Warning => BOLD_YELLOW,
            Severity::Note => BOLD_BLUE,
        };
        self.paint(style, text)
    }

    pub fn emphasis(&self, text: &str) -> String {
        self.paint(BOLD, text)
    }

    /// The `-->` arrow, the line-number gutter.
    pub fn gutter(&self, text: &str) -> String {
        self.paint(BOLD_BLUE, text)
    }

    pub fn hint(&self, text: &str) -> String {
        self.paint(BOLD_CYAN, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_only_a_terminal_without_no_color() {
        assert!(ColorChoice::Auto.decide(true, None));
        assert!(ColorChoice::Auto.decide(true, Some("")));
        assert!(!ColorChoice::Auto.decide(true, Some("1")));
        assert!(!ColorChoice::Auto.decide(false, None));
    }

    #[test]
    fn always_and_never_ignore_the_terminal_and_no_color() {
        assert!(ColorChoice::Always.decide(false, Some("1")));
        assert!(!ColorChoice::Never.decide(true, None));
    }

    #[test]
    fn a_plain_palette_adds_no_escape_codes() {
        let plain = Palette::plain();
        assert_eq!(plain.severity(Severity::Error, "error"), "error");
        let coloured = Palette::new(true);
        assert_eq!(
            coloured.severity(Severity::Error, "error"),
            "\x1b[1;31merror\x1b[0m"
        );
    }
}
