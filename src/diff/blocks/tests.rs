//! The fast path must list exactly the changes the full comparison lists,
//! and leave to it every text it cannot compare block by block.

use super::changes;
use crate::diff::node::Node;
use crate::diff::semantic::{compare, Change};
use proptest::prelude::*;

const REDUNDANT: &str = include_str!("../../../examples/redundant-vpn/docker-compose.yml");
const ORCHESTRATOR: &str =
    include_str!("../../../examples/orchestrator-gluetun/docker-compose.yml");

/// The full comparison: both texts parsed whole; `None` when FILE is not
/// YAML (the command then fails).
fn full(before: &str, generated: &str) -> Option<Vec<Change>> {
    let before = Node::parse_yaml(before).ok()?;
    let generated = Node::parse_yaml(generated).expect("the generated side parses");
    Some(compare(&before, &generated))
}

fn listed(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| format!("{} {}", c.kind.as_str(), c.path))
        .collect()
}

/// Asserts the fast path's answer, when it gives one, is the full one.
fn assert_same(before: &str, generated: &str) -> Option<Vec<Change>> {
    let fast = changes(before, generated)?;
    assert_eq!(
        Some(&fast),
        full(before, generated).as_ref(),
        "fast path differs for\n{before}"
    );
    Some(fast)
}

#[test]
fn an_identical_file_has_no_changes_and_one_edit_is_one_change() {
    assert_eq!(assert_same(REDUNDANT, REDUNDANT), Some(Vec::new()));
    let edited = REDUNDANT.replacen("\"45000\"", "\"45001\"", 1);
    let found = assert_same(&edited, REDUNDANT).expect("block style is compared by blocks");
    assert_eq!(listed(&found), ["changed services.acestream-1.command[6]"]);
}

#[test]
fn quoting_and_comments_inside_a_service_are_read_not_compared_as_text() {
    let edited = REDUNDANT
        .replacen(
            "image: \"qmcgaw/gluetun:v3.41.1\"",
            "image: qmcgaw/gluetun:v3.41.1",
            1,
        )
        .replacen("    cap_add:\n", "    # why\n    cap_add:\n", 1);
    assert_eq!(assert_same(&edited, REDUNDANT), Some(Vec::new()));
}

#[test]
fn services_on_one_side_only_are_added_or_removed_in_the_full_order() {
    let without = REDUNDANT.replacen("  gluetun2:\n", "  other:\n", 1);
    let found = assert_same(&without, REDUNDANT).unwrap();
    assert_eq!(
        listed(&found),
        ["added services.gluetun2", "removed services.other"]
    );
}

#[test]
fn a_different_indentation_is_compared_as_data() {
    let wide: String = ORCHESTRATOR
        .split_inclusive('\n')
        .map(|l| match l.starts_with(' ') {
            true => format!("  {l}"),
            false => l.to_owned(),
        })
        .collect();
    assert_eq!(assert_same(&wide, ORCHESTRATOR), Some(Vec::new()));
}

/// Each of these leaves the texts to the full comparison.
#[test]
fn anything_but_plain_block_style_falls_back() {
    let cases = [
        // an anchor and an alias: a block's meaning depends on another
        REDUNDANT.replacen(
            "image: \"qmcgaw/gluetun:v3.41.1\"",
            "image: &img \"qmcgaw/gluetun:v3.41.1\"",
            1,
        ),
        // a tag
        REDUNDANT.replacen("restart: \"unless-stopped\"", "restart: !reset null", 1),
        // flow style at the top
        format!("{REDUNDANT}x-flow: {{a: 1}}\n"),
        // flow collections inside a service
        REDUNDANT.replacen(
            "    cap_add:\n      - \"NET_ADMIN\"\n",
            "    cap_add: [NET_ADMIN]\n",
            1,
        ),
        // a tab
        REDUNDANT.replacen("    cap_add:", "\tcap_add:", 1),
        // a comment after a value
        REDUNDANT.replacen("\"NET_ADMIN\"", "\"NET_ADMIN\" # needed", 1),
        // a key twice, at the top and among services
        format!("{REDUNDANT}services:\n  a:\n    image: x\n"),
        REDUNDANT.replacen("  gluetun2:\n", "  gluetun:\n", 1),
        // services missing, or not a block mapping
        REDUNDANT.replacen("services:\n", "x-services:\n", 1),
        "services: {}\n".to_owned(),
        // a line indented less than the services around it
        REDUNDANT.replacen("  gluetun2:\n", " gluetun2:\n", 1),
        // a document that is not a mapping, or two documents
        "- a\n- b\n".to_owned(),
        format!("{REDUNDANT}---\nservices: {{}}\n"),
        // a multi-line quoted scalar
        REDUNDANT.replacen("\"NET_ADMIN\"", "\"NET\n      ADMIN\"", 1),
    ];
    for case in &cases {
        assert_eq!(changes(case, REDUNDANT), None, "{case}");
    }
}

#[test]
fn a_generated_side_with_anchors_is_not_trusted_as_text() {
    let anchored = format!(
        "x-base: &base\n  image: x\n{}",
        REDUNDANT.replacen(
            "    restart: \"unless-stopped\"\n",
            "    <<: *base\n    restart: \"unless-stopped\"\n",
            1,
        )
    );
    assert_eq!(changes(&anchored, &anchored), None);
}

#[test]
fn blocks_equal_as_text_may_mean_other_values_where_anchors_are_redefined() {
    let generated =
        "x-a: &v \"1\"\nx-b: *v\nx-c: &v \"2\"\nx-d: *v\nservices:\n  s:\n    image: \"x\"\n";
    let before =
        "x-c: &v \"2\"\nx-b: *v\nx-a: &v \"1\"\nx-d: *v\nservices:\n  s:\n    image: \"x\"\n";
    assert_eq!(
        listed(&full(before, generated).unwrap()),
        ["changed x-b", "changed x-d"]
    );
    assert_eq!(changes(before, generated), None);
}

/// A generated-style document with `n` engines, and a top-level entry after
/// `services`.
fn generated(n: usize) -> String {
    let mut text = String::from("# Generated by acegen.\nname: \"acegen\"\nservices:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  acestream-{i}:\n    image: \"ace:latest\"\n    command:\n      - \"run\"\n      - \"--port\"\n      - \"{}\"\n    environment:\n      PUID: \"1000\"\n      KEY: \"${{KEY}}\"\n    labels:\n      acestream.http_port: \"{}\"\n    networks:\n      - \"net\"\n    restart: \"unless-stopped\"\n\n",
            19000 + i,
            19000 + i
        ));
    }
    text.push_str("networks:\n  net:\n    driver: \"bridge\"\n");
    text
}

#[derive(Debug, Clone)]
enum Edit {
    /// Replaces the line's first double-quoted value with another.
    ChangeValue(usize, String),
    /// Drops the quotes around the line's value.
    Unquote(usize),
    /// Writes the line's value in single quotes.
    SingleQuote(usize),
    /// Swaps the line with the next (keys reordered, or structure broken).
    SwapWithNext(usize),
    RemoveLine(usize),
    /// Inserts a copy of the line (a key twice, or a list item more).
    DuplicateLine(usize),
    /// Inserts a comment line, indented as the line.
    CommentBefore(usize),
    TrailingComment(usize),
    /// Anchors the line's value and refers to it from another line.
    AnchorAndAlias(usize, usize),
    /// Changes the anchored value (what an alias elsewhere reads).
    ChangeAnchored(String),
    /// Writes a list value in flow style.
    FlowList(usize),
    /// Renames a service (a service removed and one added).
    RenameService(usize, String),
    /// Swaps two services' blocks (the services reordered).
    SwapServices(usize, usize),
    /// Indents the line by two more spaces.
    Indent(usize),
    AddTopLevel(String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let line = any::<usize>();
    let word = "[a-z0-9:$\"{} -]{0,6}";
    prop_oneof![
        4 => (line, word).prop_map(|(l, w)| Edit::ChangeValue(l, w)),
        2 => line.prop_map(Edit::Unquote),
        1 => line.prop_map(Edit::SingleQuote),
        2 => line.prop_map(Edit::SwapWithNext),
        1 => line.prop_map(Edit::RemoveLine),
        1 => line.prop_map(Edit::DuplicateLine),
        1 => line.prop_map(Edit::CommentBefore),
        1 => line.prop_map(Edit::TrailingComment),
        1 => (line, line).prop_map(|(a, b)| Edit::AnchorAndAlias(a, b)),
        1 => "[a-z]{1,3}".prop_map(Edit::ChangeAnchored),
        1 => line.prop_map(Edit::FlowList),
        2 => (line, "acestream-[0-9]{1,2}|[a-z]{1,3}").prop_map(|(l, n)| Edit::RenameService(l, n)),
        2 => (line, line).prop_map(|(a, b)| Edit::SwapServices(a, b)),
        1 => line.prop_map(Edit::Indent),
        1 => "x-[a-z]{1,3}: \"[a-z]{0,3}\"|name: \"other\"|networks: \\{\\}".prop_map(Edit::AddTopLevel),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let n = lines.len();
    let at = |i: usize| i % n;
    let value_of = |line: &str| line.find('"').map(|q| (q, line.rfind('"').unwrap()));
    match edit {
        Edit::ChangeValue(i, word) => {
            let line = &mut lines[at(*i)];
            if let Some((q, end)) = value_of(line) {
                line.replace_range(q..=end, &format!("\"{}\"", word.replace('"', "\\\"")));
            }
        }
        Edit::Unquote(i) => lines[at(*i)] = lines[at(*i)].replace('"', ""),
        Edit::SingleQuote(i) => lines[at(*i)] = lines[at(*i)].replace('"', "'"),
        Edit::SwapWithNext(i) if n > 1 => lines.swap(at(*i), (at(*i) + 1) % n),
        Edit::SwapWithNext(_) => {}
        Edit::RemoveLine(i) => {
            lines.remove(at(*i));
        }
        Edit::DuplicateLine(i) => lines.insert(at(*i), lines[at(*i)].clone()),
        Edit::CommentBefore(i) => {
            let indent = lines[at(*i)].len() - lines[at(*i)].trim_start().len();
            lines.insert(at(*i), format!("{}# note", " ".repeat(indent)));
        }
        Edit::TrailingComment(i) => lines[at(*i)].push_str(" # note"),
        Edit::AnchorAndAlias(a, b) => {
            if let Some((q, _)) = value_of(&lines[at(*a)]) {
                lines[at(*a)].insert_str(q, "&v ");
                if let Some((q, end)) = value_of(&lines[at(*b)]) {
                    lines[at(*b)].replace_range(q..=end, "*v");
                }
            }
        }
        Edit::ChangeAnchored(word) => {
            if let Some(line) = lines.iter_mut().find(|l| l.contains("&v \"")) {
                let q = line.find("&v \"").unwrap() + 3;
                line.replace_range(q.., &format!("\"{word}\""));
            }
        }
        Edit::FlowList(i) => {
            let line = &mut lines[at(*i)];
            if let Some(item) = line.trim_start().strip_prefix("- ") {
                *line = format!("{}[{item}]", &line[..line.len() - line.trim_start().len()]);
            }
        }
        Edit::RenameService(i, name) => {
            let line = &mut lines[at(*i)];
            if line.starts_with("  ") && !line.starts_with("   ") && line.ends_with(':') {
                *line = format!("  {name}:");
            }
        }
        Edit::SwapServices(a, b) => {
            let starts: Vec<usize> = (0..n)
                .filter(|&i| lines[i].starts_with("  ") && !lines[i].starts_with("   "))
                .collect();
            if starts.len() > 2 {
                // Each service up to the next; the last one is left in place.
                let (a, b) = (a % (starts.len() - 1), b % (starts.len() - 1));
                let (a, b) = (a.min(b), a.max(b));
                if a != b {
                    let block = |k: usize| lines[starts[k]..starts[k + 1]].to_vec();
                    let (first, second) = (block(a), block(b));
                    let mut out = lines[..starts[a]].to_vec();
                    out.extend(second);
                    out.extend_from_slice(&lines[starts[a + 1]..starts[b]]);
                    out.extend(first);
                    out.extend_from_slice(&lines[starts[b + 1]..]);
                    lines = out;
                }
            }
        }
        Edit::Indent(i) => lines[at(*i)].insert_str(0, "  "),
        Edit::AddTopLevel(entry) => lines.push(entry.clone()),
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Whatever FILE became, the fast path lists what the full comparison
    /// lists, or leaves FILE to it.
    #[test]
    fn edited_files_give_the_full_comparisons_changes(
        engines in 1usize..6,
        edits in prop::collection::vec(edit(), 1..4),
        on_generated_side in prop::collection::vec(edit(), 0..3),
    ) {
        // The generated side may itself be edited (a `--template` writes
        // any YAML, anchors included): where it still parses, the same
        // must hold. FILE is an edited copy of it.
        let after = on_generated_side.iter().fold(generated(engines), |text, e| apply(&text, e));
        let before = edits.iter().fold(after.clone(), |text, e| apply(&text, e));
        prop_assume!(Node::parse_yaml(&after).is_ok());
        if let Some(fast) = changes(&before, &after) {
            prop_assert_eq!(Some(fast), full(&before, &after));
        }
    }
}

#[test]
fn most_single_value_edits_take_the_fast_path() {
    let original = generated(20);
    let runner_edits = (0..200).map(|i| Edit::ChangeValue(i * 7, format!("v{i}")));
    let fast = runner_edits
        .filter(|e| assert_same(&apply(&original, e), &original).is_some())
        .count();
    assert!(fast > 180, "only {fast} of 200 took the fast path");
}
