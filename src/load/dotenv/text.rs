//! Character classes as compose's reader uses them, positions, and the
//! checks made before reading (size, encoding).

use super::{EnvError, EnvErrorKind, MAX_FILE_BYTES, MAX_LINES};
use crate::diagnostic::Position;

/// Compose's "space": what it skips around `=` and after `export`. Not a
/// line break, and narrower than Unicode's White_Space.
pub fn is_inline_space(ch: char) -> bool {
    matches!(
        ch,
        '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    )
}

/// What compose's `export\s+` accepts after `export` (RE2's `\s`).
pub fn is_export_separator(ch: char) -> bool {
    matches!(ch, '\t' | '\n' | '\u{c}' | '\r' | ' ')
}

/// Chars compose accepts in a key besides letters and numbers.
pub fn is_key_punctuation(ch: char) -> bool {
    matches!(ch, '_' | '.' | '-' | '[' | ']')
}

/// Go's `unicode.IsLetter || unicode.IsNumber`. Rust's `is_alphabetic` also
/// takes combining marks with the Other_Alphabetic property; the docs list
/// that difference.
pub fn is_key_letter(ch: char) -> bool {
    ch.is_alphabetic() || ch.is_numeric()
}

/// Keeps messages one line long even when a user pastes something huge.
pub fn clip(text: &str) -> String {
    const LIMIT: usize = 60;
    let printable: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if printable.chars().count() <= LIMIT {
        printable
    } else {
        let head: String = printable.chars().take(LIMIT).collect();
        format!("{head}…")
    }
}

/// A char as a message shows it: quoted when printable, as U+XXXX otherwise.
pub fn describe_char(ch: char) -> String {
    if ch.is_control() || ch.is_whitespace() {
        format!("U+{:04X}", ch as u32)
    } else {
        format!("`{ch}`")
    }
}

/// Maps char indices of the text to 1-based line/column positions.
pub struct LineIndex {
    /// Char index at which each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(chars: &[char]) -> Self {
        let mut starts = vec![0];
        starts.extend(
            chars
                .iter()
                .enumerate()
                .filter(|(_, &c)| c == '\n')
                .map(|(i, _)| i + 1),
        );
        Self { starts }
    }

    pub fn position(&self, index: usize) -> Position {
        let line = self.starts.partition_point(|&start| start <= index);
        let column = index - self.starts[line - 1] + 1;
        Position::new(to_u32(line), to_u32(column))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The bounds acegen enforces before reading (compose has none).
pub fn size_problem(text: &str) -> Option<EnvError> {
    let what = if text.len() > MAX_FILE_BYTES {
        format!(
            "{} bytes; expected at most {MAX_FILE_BYTES} bytes",
            text.len()
        )
    } else {
        let lines = text.split('\n').count();
        if lines <= MAX_LINES {
            return None;
        }
        format!("{lines} lines; expected at most {MAX_LINES} lines")
    };
    Some(EnvError {
        kind: EnvErrorKind::TooLarge { what },
        pos: Position::new(1, 1),
        len: 1,
        key: String::new(),
    })
}

/// One error per line holding U+FFFD: loading reads bytes that are not
/// UTF-8 as that char, so this is where such a byte gets its position.
pub fn replacement_characters(text: &str) -> Vec<EnvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .enumerate()
        .filter_map(|(line, content)| {
            let column = content.chars().position(|c| c == '\u{fffd}')?;
            Some(EnvError {
                kind: EnvErrorKind::NotUtf8,
                pos: Position::new(to_u32(line + 1), to_u32(column + 1)),
                len: 1,
                key: String::new(),
            })
        })
        .collect()
}
