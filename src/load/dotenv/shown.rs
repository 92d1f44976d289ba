//! What a report may repeat of a `.env` line the reader could not read.
//!
//! Such a line may be anything: a secret pasted with a stray word in front
//! (`exprot WIREGUARD_PRIVATE_KEY=…`, `- OPENVPN_PASSWORD=…` from a compose
//! list), or a later line of a multi-line secret that an earlier unclosed
//! quote made the reader take for a key line. So the rule is one, for every
//! message and excerpt: of an unreadable line, only the words that name a
//! key acegen knows (and `export`) are repeated; every other word becomes
//! `…`, and nothing after the first `=` or `:` is shown.

use crate::keys;

/// Shown instead of a word or a value that is not repeated.
pub const HIDDEN: &str = "…";

/// Can `word` of an unreadable line be repeated? Only `export` and the
/// names of keys acegen knows (acegen's own and Gluetun's): a name is never
/// a secret.
pub fn is_repeatable_word(word: &str) -> bool {
    word == "export" || keys::spec(word).is_some() || keys::is_gluetun_key(word)
}

/// Is `key` (as the reader took it, spaces and all) a key acegen knows?
/// An error on such a line is in its value, not in a line the reader lost
/// its place in; its text follows the usual rules for secret keys.
pub fn is_known_key(key: &str) -> bool {
    key != "export" && is_repeatable_word(key)
}

/// `line` as it may be shown, with the 1-based `column` and the `length`
/// of the marked text moved to where they fall in it.
pub fn unreadable_line(line: &str, column: u32, length: u32) -> (String, u32, u32) {
    let chars: Vec<char> = line.chars().collect();
    // Where each char of `line` (and its end) starts in the shown text.
    let mut starts = Vec::with_capacity(chars.len() + 1);
    let mut shown = String::new();
    let mut shown_len = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch == '=' || ch == ':' {
            starts.push(shown_len);
            shown.push(ch);
            shown_len += 1;
            if i + 1 < chars.len() {
                shown.push_str(HIDDEN);
                starts.extend(std::iter::repeat_n(shown_len, chars.len() - i - 1));
                shown_len += 1;
            }
            i = chars.len();
            continue;
        }
        if ch.is_whitespace() {
            starts.push(shown_len);
            shown.push(ch);
            shown_len += 1;
            i += 1;
            continue;
        }
        let end = (i..chars.len())
            .find(|&j| chars[j].is_whitespace() || chars[j] == '=' || chars[j] == ':')
            .unwrap_or(chars.len());
        let word: String = chars[i..end].iter().collect();
        if is_repeatable_word(&word) {
            starts.extend(shown_len..shown_len + (end - i));
            shown.push_str(&word);
            shown_len += end - i;
        } else {
            starts.extend(std::iter::repeat_n(shown_len, end - i));
            shown.push_str(HIDDEN);
            shown_len += 1;
        }
        i = end;
    }
    starts.push(shown_len);
    let from = (column.max(1) as usize - 1).min(chars.len());
    let to = (from + length as usize).min(chars.len());
    let new_column = starts[from] + 1;
    let new_length = (starts[to].saturating_sub(starts[from])).max(1);
    (shown, new_column as u32, new_length as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stray_word_before_a_secret_hides_the_word_and_the_value() {
        let (text, column, length) = unreadable_line("exprot WIREGUARD_PRIVATE_KEY=hunter2", 1, 6);
        assert_eq!(text, "… WIREGUARD_PRIVATE_KEY=…");
        assert_eq!((column, length), (1, 1));
        let (text, ..) = unreadable_line("- OPENVPN_PASSWORD=hunter2", 1, 1);
        assert_eq!(text, "… OPENVPN_PASSWORD=…");
        let (text, ..) = unreadable_line("GLUETUN API_KEY=hunter2", 1, 7);
        assert!(!text.contains("hunter2") && text.ends_with("=…"), "{text}");
    }

    #[test]
    fn a_line_of_a_secret_taken_for_a_key_shows_nothing_of_it() {
        let (text, ..) = unreadable_line("correct horse battery staple", 1, 7);
        assert_eq!(text, "… … … …");
    }

    #[test]
    fn known_keys_stay_and_the_marker_follows_them() {
        let line = "export MAX_REPLICAS six";
        let (text, column, length) = unreadable_line(line, 21, 3);
        assert_eq!(text, "export MAX_REPLICAS …");
        assert_eq!((column, length), (21, 1));
        let (_, column, length) = unreadable_line(line, 8, 12);
        assert_eq!((column, length), (8, 12));
    }

    #[test]
    fn a_column_past_the_end_stays_in_bounds() {
        let (text, column, length) = unreadable_line("A B", 99, 5);
        assert_eq!(text, "… …");
        assert_eq!((column, length), (4, 1));
    }
}
