//! The source line under a text diagnostic, made safe and bounded: its
//! unprintable characters escaped ([`super::printable`]) and, when longer
//! than [`MAX_EXCERPT_CHARS`], clipped to a window around the column with
//! `…` at each cut end, so that a minified one-line file does not repeat
//! itself whole in every diagnostic.

use super::printable::printable;

/// The widest source excerpt shown, in characters (ellipses excluded).
pub const MAX_EXCERPT_CHARS: usize = 120;
/// How many characters of the line are kept before the column when clipping.
const CONTEXT_BEFORE: usize = 40;

/// A line to print and where the marker goes on it.
#[derive(Debug, PartialEq, Eq)]
pub struct Excerpt {
    pub line: String,
    /// Whitespace up to the marker: tabs kept so the marker lines up.
    pub indent: String,
    pub marker_len: usize,
}

/// The excerpt of `line` marking `length` characters from 1-based `column`.
pub fn excerpt(line: &str, column: u32, length: usize) -> Excerpt {
    let before: String = line
        .chars()
        .take(column.saturating_sub(1) as usize)
        .collect();
    let marked: String = line
        .chars()
        .skip(before.chars().count())
        .take(length)
        .collect();
    let shown: Vec<char> = printable(line).chars().collect();
    let start_col = printable(&before).chars().count().min(shown.len());
    let marked_len = printable(&marked).chars().count().max(1);

    let (from, to) = if shown.len() <= MAX_EXCERPT_CHARS {
        (0, shown.len())
    } else {
        let from = start_col
            .saturating_sub(CONTEXT_BEFORE)
            .min(shown.len() - MAX_EXCERPT_CHARS);
        (from, from + MAX_EXCERPT_CHARS)
    };
    let mut text: String = shown[from..to].iter().collect();
    let mut indent: String = shown[from..start_col.max(from)]
        .iter()
        .map(|c| if *c == '\t' { '\t' } else { ' ' })
        .collect();
    if from > 0 {
        text.insert(0, '…');
        indent.insert(0, ' ');
    }
    if to < shown.len() {
        text.push('…');
    }
    let room = to.saturating_sub(start_col.max(from));
    Excerpt {
        line: text,
        indent,
        marker_len: marked_len.min(room).max(1),
    }
}

/// `text` cut to `max` characters, with `…` when cut.
pub fn clipped(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_line_is_shown_whole_with_its_marker() {
        let e = excerpt("MIN_REPLICAS=\tx", 15, 1);
        assert_eq!(e.line, "MIN_REPLICAS=\tx");
        assert_eq!(e.indent, "             \t");
        assert_eq!(e.marker_len, 1);
    }

    #[test]
    fn escapes_widen_the_line_and_the_marker_follows() {
        let e = excerpt("A=\x1b[31mred", 3, 4);
        assert_eq!(e.line, "A=\\u{1b}[31mred");
        assert_eq!(e.indent, "  ");
        assert_eq!(e.marker_len, 9); // `\u{1b}[31`
    }

    #[test]
    fn a_long_line_is_clipped_around_the_column() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let e = excerpt(&line, 5001, 1);
        assert!(
            e.line.starts_with('…') && e.line.ends_with('…'),
            "{}",
            e.line
        );
        assert_eq!(e.line.chars().count(), MAX_EXCERPT_CHARS + 2);
        let marker_at = e.indent.chars().count();
        assert_eq!(e.line.chars().nth(marker_at), Some('X'));
    }

    #[test]
    fn a_column_near_the_end_keeps_the_end_in_view() {
        let line = "z".repeat(1000);
        let e = excerpt(&line, 1000, 5);
        assert!(e.line.starts_with('…') && !e.line.ends_with('…'));
        assert_eq!(e.indent.chars().count(), MAX_EXCERPT_CHARS);
        assert_eq!(e.marker_len, 1);
    }

    #[test]
    fn clipping_cuts_on_characters() {
        assert_eq!(clipped("ééé", 2), "éé…");
        assert_eq!(clipped("ab", 2), "ab");
    }
}
