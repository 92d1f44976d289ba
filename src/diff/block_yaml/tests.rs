//! The block reader must read every text it accepts exactly as serde_yaml
//! does, and accept what acegen writes.

use super::parse;
use crate::diff::node::Node;
use proptest::prelude::*;

/// Scalars as a hand-edited compose file may hold them.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[a-z][a-z0-9_./:@-]{0,8}",
        4 => "[0-9]{1,5}",
        3 => "(true|false|null)",
        2 => "([0-9]{1,4}:[0-9]{1,4}|0[0-9]{1,3}|[0-9]{1,3}\\.[0-9]|[0-9]e[0-9])",
        1 => "(true|false|null|True|FALSE|Null|~|yes|No|on|y|inf|.inf|NaN|0x1F|0o17|1e3|-1|\\+1|1_000|01|1\\.5|08:00)",
        8 => "\"([ -!#-\\[\\]-~]|\\\\[\"\\\\/ntr0abe]|\\\\u00[0-9a-f]{2}|é)*\"",
        1 => "'[a-z \"]{0,4}'",
        1 => "(\\{\\}|\\[\\]|\\[a, b\\]|\\{a: 1\\}|&x a|\\*x|!!str 1|\\|-|a #c|a b|\"a\" #c)",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[a-z][a-z0-9_.-]{0,6}",
        2 => "(8000|true|null|0)",
        1 => "(8000|true|null|y|<<|\"a b\"|\"x\"|a:b|-a|\\? a)",
    ]
}

#[derive(Debug, Clone)]
enum Tree {
    Scalar(String),
    Map(Vec<(String, Tree)>),
    Seq(Vec<Tree>),
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = scalar().prop_map(Tree::Scalar);
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec((key(), inner.clone()), 1..5).prop_map(Tree::Map),
            prop::collection::vec(inner, 1..4).prop_map(Tree::Seq),
        ]
    })
}

/// Writes `tree` in block style, with a choice of indentation, comments
/// and blank lines, and sometimes a sequence at its key's indentation.
fn write(tree: &Tree, indent: usize, style: u8, out: &mut String) {
    let pad = " ".repeat(indent);
    match tree {
        Tree::Scalar(text) => out.push_str(&format!("{pad}{text}\n")),
        Tree::Map(entries) => {
            for (i, (key, value)) in entries.iter().enumerate() {
                if style % 3 == 1 && i == 1 {
                    out.push_str(&format!("\n{pad}# note\n"));
                }
                match value {
                    Tree::Scalar(text) => out.push_str(&format!("{pad}{key}: {text}\n")),
                    Tree::Seq(_) if style % 2 == 0 => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        write(value, indent, style, out);
                    }
                    _ => {
                        out.push_str(&format!("{pad}{key}:\n"));
                        write(value, indent + 2 + (style as usize % 2) * 2, style, out);
                    }
                }
            }
        }
        Tree::Seq(items) => {
            for item in items {
                match item {
                    Tree::Scalar(text) => out.push_str(&format!("{pad}- {text}\n")),
                    nested => {
                        out.push_str(&format!("{pad}-\n"));
                        write(nested, indent + 2, style, out);
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn what_the_block_reader_accepts_it_reads_as_serde_yaml_does(
        entries in prop::collection::vec((key(), tree()), 1..5),
        style in 0u8..6,
    ) {
        let mut text = String::new();
        write(&Tree::Map(entries), 0, style, &mut text);
        if let Some(node) = parse(&text) {
            let reference = Node::parse_with_serde_yaml(&text);
            prop_assert!(reference.is_ok(), "serde_yaml refused what the reader read:\n{}", text);
            prop_assert_eq!(node, reference.unwrap(), "{}", text);
        }
    }
}

#[test]
fn the_generators_reach_the_reader_often() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (prop::collection::vec((key(), tree()), 1..5), 0u8..6);
    let read = (0..1000)
        .filter(|_| {
            let (entries, style) = strategy.new_tree(&mut runner).unwrap().current();
            let mut text = String::new();
            write(&Tree::Map(entries), 0, style, &mut text);
            parse(&text).is_some()
        })
        .count();
    // About 8 %: with 3000 cases, a couple of hundred documents read per run.
    assert!(read >= 50, "only {read} of 1000 documents read");
}

#[test]
fn acegen_output_is_read_without_serde_yaml() {
    let env = "MIN_REPLICAS=3\nMAX_REPLICAS=3\nVPN_MODE=redundant\nGLUETUN_CONTAINER_NAME=g1\n\
               GLUETUN_CONTAINER_NAME_2=g2\nENGINE_VARIANT=jopsis-amd64\nDOCKER_NETWORK=acenet\n\
               ENGINE_MEMORY_LIMIT=2g\nVPN_SERVICE_PROVIDER=x\n";
    let inputs = crate::load::Inputs::from_text(env);
    let compilation = crate::pipeline::compile_inputs(inputs, &Default::default());
    let text = compilation.output.expect("the configuration is valid");
    let node = parse(&text).expect("the block reader reads acegen's output");
    assert_eq!(node, Node::parse_with_serde_yaml(&text).unwrap());
}

#[test]
fn what_it_does_not_read_is_left_to_serde_yaml() {
    for text in [
        "a: &x 1\nb: *x\n",
        "a: [1, 2]\n",
        "a: 'x'\n",
        "a: 1 # comment\n",
        "a: |\n  text\n",
        "a: b\n  c\n",
        "a: 1\na: 2\n",
        "a:\n- 1\n-\n  b: 2\n",
        "a: \"x\u{85}y\"\n",
        "a: 1\r\n",
        "- a\n",
        "a: 0x1F\n",
        "a: True\n",
    ] {
        assert_eq!(parse(text), None, "{text:?}");
    }
}
