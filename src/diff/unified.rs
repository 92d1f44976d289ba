//! The unified diff from FILE to the generated text, with secret values
//! masked (see [`super::redact`]), control characters and bidi overrides
//! escaped (see [`crate::report::printable`]) and optional colour.

use super::redact::mask_document;
use super::Palette;
use crate::report::printable::printable;
use similar::{ChangeTag, TextDiff};
use std::fmt::Write;

/// The two sides' names, as written in the `---` / `+++` header.
pub struct Sides<'a> {
    pub before_name: &'a str,
    pub before: &'a str,
    pub after_name: &'a str,
    pub after: &'a str,
}

/// The unified diff, empty when both texts are identical.
///
/// The diff is computed on the real texts, so a changed secret still shows
/// as a `-`/`+` pair; only the printed lines are masked.
pub fn unified_diff(sides: &Sides, context: usize, palette: Palette) -> String {
    let diff = TextDiff::from_lines(sides.before, sides.after);
    let masked_before = mask_document(sides.before);
    let masked_after = mask_document(sides.after);
    let mut out = String::new();
    let mut unified = diff.unified_diff();
    unified.context_radius(context);
    for (n, hunk) in unified.iter_hunks().enumerate() {
        if n == 0 {
            let header = format!(
                "--- {}\n+++ {}",
                printable(sides.before_name),
                printable(sides.after_name)
            );
            let _ = writeln!(out, "{}", palette.header(&header));
        }
        let _ = writeln!(out, "{}", palette.hunk(&hunk.header().to_string()));
        for change in hunk.iter_changes() {
            let line = match (change.tag(), change.old_index(), change.new_index()) {
                (ChangeTag::Insert, _, Some(i)) => &masked_after[i],
                (_, Some(i), _) => &masked_before[i],
                _ => continue,
            };
            let sign = match change.tag() {
                ChangeTag::Equal => ' ',
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
            };
            // Escaped: a hostile FILE must not drive the terminal or CI log.
            let text = format!("{sign}{}", printable(line.trim_end_matches(['\n', '\r'])));
            let _ = writeln!(out, "{}", palette.line(change.tag(), &text));
            if change.missing_newline() {
                let _ = writeln!(out, "\\ No newline at end of file");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_either_side_are_escaped() {
        let sides = Sides {
            before_name: "old\u{1b}[2J.yml",
            before: "a: \u{1b}]0;title\u{7}\nb: 1\n",
            after_name: "new.yml",
            after: "a: x\u{202e}y\nb: 1\n",
        };
        let diff = unified_diff(&sides, 3, Palette::PLAIN);
        assert!(
            !diff.chars().any(|c| c.is_control() && c != '\n'),
            "{diff:?}"
        );
        assert!(diff.contains("--- old\\u{1b}[2J.yml"), "{diff}");
        assert!(diff.contains("-a: \\u{1b}]0;title\\u{7}"), "{diff}");
        assert!(diff.contains("+a: x\\u{202e}y"), "{diff}");
    }
}
