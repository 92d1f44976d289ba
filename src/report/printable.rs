//! Text from the inputs as it may reach a terminal or a CI log: control
//! characters (ESC, C1 controls, CR, …), bidirectional-text overrides and
//! line/paragraph separators are written as `\u{…}` escapes, so that a
//! hostile `.env` cannot move the cursor, recolour the screen, forge a line
//! of output or reorder what a reader sees. A tab stays a tab (the source
//! excerpt keeps its alignment); a backslash is left as it is.

use std::borrow::Cow;

/// Is `c` shown escaped?
pub fn is_unprintable(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061c}'              // Arabic letter mark
            | '\u{200e}' | '\u{200f}' // left-to-right / right-to-left marks
            | '\u{202a}'..='\u{202e}' // embeddings and overrides
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{feff}' // byte-order mark
        )
}

/// `text` with every unprintable character escaped as `\u{hex}`.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unprintable(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A block of several lines, each escaped as [`printable`] does; the line
/// breaks between them stay (`explain`'s text, a multi-line message).
pub fn printable_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unprintable(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(printable).collect();
    Cow::Owned(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_keeps_its_line_breaks_and_escapes_the_rest() {
        assert_eq!(
            printable_lines("a\x1b]0;t\x07\nb\u{202e}\r\n"),
            "a\\u{1b}]0;t\\u{7}\nb\\u{202e}\\u{d}\n"
        );
        assert!(matches!(printable_lines("a\n\tb\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_and_controls_are_shown_escaped() {
        assert_eq!(printable("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("x\ry\u{9b}z\u{7f}"), "x\\u{d}y\\u{9b}z\\u{7f}");
        assert_eq!(printable("line\nnext"), "line\\u{a}next");
    }

    #[test]
    fn bidi_overrides_and_separators_are_shown_escaped() {
        assert_eq!(printable("a\u{202e}b\u{2066}c"), "a\\u{202e}b\\u{2066}c");
        assert_eq!(printable("a\u{2028}b"), "a\\u{2028}b");
    }

    #[test]
    fn ordinary_text_tabs_and_non_ascii_are_kept() {
        assert!(matches!(
            printable("KEY=\tvalue é ü 日本"),
            Cow::Borrowed(_)
        ));
    }
}
