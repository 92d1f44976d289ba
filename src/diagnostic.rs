//! Diagnostics shared by every stage: positions in source files, and the
//! severity/code/message/hint record that `generate` and `check` print.

use camino::{Utf8Path, Utf8PathBuf};
use std::fmt;

/// A 1-based line and column in a source file. Columns count characters
/// (Unicode scalar values), as editors do, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub const fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    /// Information that asks for nothing (`check --orchestrator 2.1` says
    /// what becomes of every key); never fails a run, not even `--strict`.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// Where a diagnostic points: a file, and a position in it when one is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: Utf8PathBuf,
    pub position: Option<Position>,
    /// How many characters the marker under the value should cover (at least 1).
    pub length: u32,
}

impl Location {
    pub fn file(file: &Utf8Path) -> Self {
        Self {
            file: file.to_owned(),
            position: None,
            length: 1,
        }
    }

    pub fn at(file: &Utf8Path, position: Position, length: usize) -> Self {
        Self {
            file: file.to_owned(),
            position: Some(position),
            length: length.max(1) as u32,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{}:{}", self.file, p),
            None => write!(f, "{}", self.file),
        }
    }
}

/// One problem found in the inputs (or in the rendered output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, e.g. `E0101`; listed in docs/diagnostics.md.
    pub code: &'static str,
    pub message: String,
    pub location: Option<Location>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            hint: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    pub fn note(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Note,
            ..Self::error(code, message)
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        write!(
            f,
            "{}[{}]: {}",
            self.severity.as_str(),
            self.code,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Where each line of a text starts, and whether it is ASCII, found in one
/// pass: quoting the lines of many diagnostics then takes linear time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineIndex {
    /// Byte offset of each line's start, and whether the line is ASCII.
    starts: Vec<(usize, bool)>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            starts.push((start, line.is_ascii()));
            start += line.len();
        }
        Self { starts }
    }

    /// Line `number` (1-based) of `text` (the text the index was built
    /// from), without `\n` or `\r\n`, and whether it is ASCII.
    pub fn line<'t>(&self, text: &'t str, number: u32) -> Option<(&'t str, bool)> {
        let index = (number as usize).checked_sub(1)?;
        let &(start, ascii) = self.starts.get(index)?;
        let end = self.starts.get(index + 1).map_or(text.len(), |&(s, _)| s);
        let line = text.get(start..end)?;
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some((line.strip_suffix('\r').unwrap_or(line), ascii))
    }
}

/// The widest source excerpt a diagnostic shows, in characters. A longer
/// line (a minified JSON file is one line) is clipped around the column.
pub const SNIPPET_WIDTH: usize = 120;

/// A source line cut to at most `width` characters around `column`, with
/// `…` where text was left out, and the column and marker length in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub column: u32,
    pub length: u32,
}

/// Clips `line` around the 1-based character `column`, so that a snippet
/// costs O(width) for an ASCII line however long it is (`ascii` says so;
/// other lines are walked once).
pub fn clip_snippet(line: &str, ascii: bool, column: u32, length: u32, width: usize) -> Snippet {
    let whole = Snippet {
        text: line.to_owned(),
        column,
        length,
    };
    if line.len() <= width {
        return whole;
    }
    let boundaries: Vec<usize> = if ascii {
        Vec::new()
    } else {
        line.char_indices().map(|(i, _)| i).collect()
    };
    let count = if ascii { line.len() } else { boundaries.len() };
    if count <= width {
        return whole;
    }
    let byte_of = |char_index: usize| match ascii {
        true => char_index.min(line.len()),
        false => boundaries.get(char_index).copied().unwrap_or(line.len()),
    };
    let at = (column.max(1) as usize - 1).min(count);
    let first = at
        .saturating_sub(width / 3)
        .min(count.saturating_sub(width));
    let last = (first + width).min(count);
    let mut text = String::with_capacity(width * 4 + 8);
    if first > 0 {
        text.push('…');
    }
    text.push_str(&line[byte_of(first)..byte_of(last)]);
    if last < count {
        text.push('…');
    }
    Snippet {
        text,
        column: (at - first + 1 + usize::from(first > 0)) as u32,
        length: (length as usize).min(last.saturating_sub(at)).max(1) as u32,
    }
}

/// Diagnostics collected across stages, so that every problem is reported
/// at once instead of stopping at the first.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        let warnings = self.items.iter();
        warnings.filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Errors first, then by file and position: the order users read them in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                (
                    d.severity,
                    d.location.as_ref().map(|l| l.file.clone()),
                    d.location.as_ref().and_then(|l| l.position),
                )
            };
            key(a).cmp(&key(b))
        });
        self.items
    }
}

#[cfg(test)]
mod snippet_tests {
    use super::*;

    #[test]
    fn lines_are_found_by_number_without_their_breaks() {
        let text = "a\r\nbé\n\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line(text, 1), Some(("a", true)));
        assert_eq!(index.line(text, 2), Some(("bé", false)));
        assert_eq!(index.line(text, 3), Some(("", true)));
        assert_eq!(index.line(text, 4), Some(("last", true)));
        assert_eq!(index.line(text, 5), None);
        assert_eq!(index.line(text, 0), None);
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let s = clip_snippet("{\"a\": 1}", true, 7, 1, 120);
        assert_eq!((s.text.as_str(), s.column, s.length), ("{\"a\": 1}", 7, 1));
    }

    #[test]
    fn a_long_line_is_clipped_around_the_column_with_ellipses() {
        let line = format!("{}VALUE{}", "x".repeat(1000), "y".repeat(1000));
        for ascii in [true, false] {
            let s = clip_snippet(&line, ascii, 1001, 5, 120);
            assert_eq!(s.text.chars().count(), 122, "{ascii}");
            assert!(s.text.starts_with('…') && s.text.ends_with('…'));
            let marked: String = s.text.chars().skip(s.column as usize - 1).take(5).collect();
            assert_eq!(marked, "VALUE");
            assert_eq!(s.length, 5);
        }
        let start = clip_snippet(&line, true, 1, 3, 120);
        assert_eq!((start.column, start.text.chars().count()), (1, 121));
        let end = clip_snippet(&line, true, 2005, 1, 120);
        assert!(end.text.starts_with('…') && !end.text.ends_with('…'));
        assert_eq!(end.text.chars().nth(end.column as usize - 1), Some('y'));
    }

    #[test]
    fn multibyte_lines_are_cut_on_character_boundaries() {
        let line = "é".repeat(500);
        let s = clip_snippet(&line, false, 250, 1, 120);
        assert_eq!(s.text.chars().count(), 122);
        assert_eq!(s.column, 250 - (249 - 40) + 1);
    }
}
