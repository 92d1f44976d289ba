//! Kubernetes passes an environment variable as a list item
//! `- name: KEY` / `value: …`: the secret is the `value` of an item whose
//! `name` looks secret, in either order, and in the flow form
//! `{name: KEY, value: …}`. The line rules see one line at a time; this pass
//! looks at whole items.

use super::quoted::decoded_scalar;
use super::{masked_value, placeholder, split_plain_key};
use crate::keys::looks_secret;

/// Masks, in `masked` (the lines of `text` as shown so far), the `value`
/// of every list item whose `name` looks secret.
pub fn mask_named_values(text: &str, masked: &mut [String]) {
    let endings: Vec<&str> = text
        .split_inclusive('\n')
        .map(|l| &l[l.trim_end_matches(['\n', '\r']).len()..])
        .collect();
    let lines: Vec<&str> = text
        .split_inclusive('\n')
        .map(|l| l.trim_end_matches(['\n', '\r']))
        .collect();
    for (i, line) in lines.iter().enumerate() {
        if let Some(open) = flow_item_naming_a_secret(line) {
            masked[i] = format!(
                "{}{}{}",
                &line[..open],
                placeholder(&line[open..]),
                endings[i]
            );
            continue;
        }
        let Some(key_column) = item_key_column(line) else {
            continue;
        };
        let end = item_end(&lines, i + 1, key_column);
        let keys_at = |j: usize| key_at_column(lines[j], key_column, j == i);
        let names_a_secret = (i..end).any(|j| {
            keys_at(j).is_some_and(|(key, value)| {
                decoded_scalar(key) == "name" && looks_secret(&decoded_scalar(value))
            })
        });
        if !names_a_secret {
            continue;
        }
        let mut in_value = false;
        for j in i..end {
            match keys_at(j) {
                Some((key, value)) => {
                    in_value = decoded_scalar(key) == "value";
                    if in_value && !super::holds_reference(value) {
                        let value_start = lines[j].len() - value.len();
                        let key_part = &lines[j][..value_start - 1];
                        masked[j] = format!("{key_part}:{}{}", masked_value(value), endings[j]);
                    }
                }
                None if in_value && j > i && !lines[j].trim().is_empty() => {
                    let indent = lines[j].len() - lines[j].trim_start().len();
                    masked[j] = format!("{}<redacted>{}", &lines[j][..indent], endings[j]);
                }
                None => {}
            }
        }
    }
}

/// The column of the first key of a block list item (`- name: …`).
fn item_key_column(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let item = line[indent..].strip_prefix('-')?;
    if !item.starts_with([' ', '\t']) {
        return None;
    }
    let column = line.len() - item.trim_start().len();
    split_plain_key(&line[column..]).map(|_| column)
}

/// The line after the last of the item whose keys stand at `key_column`.
fn item_end(lines: &[&str], from: usize, key_column: usize) -> usize {
    (from..lines.len())
        .find(|&j| {
            let content = lines[j].trim_start_matches(' ');
            let indent = lines[j].len() - content.len();
            !content.trim().is_empty() && !content.starts_with('#') && indent < key_column
        })
        .unwrap_or(lines.len())
}

/// `key` and the value part (after the colon) of a `key: value` entry
/// standing at `column` (on the item's first line, after its dash).
fn key_at_column(line: &str, column: usize, first: bool) -> Option<(&str, &str)> {
    let content = line.get(column..)?;
    let before = &line[..column];
    let aligned = if first {
        before.trim_end().ends_with('-')
    } else {
        before.chars().all(|c| c == ' ')
    };
    if !aligned || content.starts_with([' ', '#']) {
        return None;
    }
    split_plain_key(content)
}

/// The offset of the `{` of a flow mapping on `line` that names a secret
/// (`name: KEY`) and holds a `value`.
fn flow_item_naming_a_secret(line: &str) -> Option<usize> {
    let open = line.find('{')?;
    let collection = &line[open..];
    let words: Vec<&str> = collection
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .filter(|w| !w.is_empty())
        .collect();
    let names_a_secret = words
        .windows(2)
        .any(|pair| pair[0] == "name" && looks_secret(pair[1]));
    (names_a_secret && words.contains(&"value")).then_some(open)
}
