//! The README documents every `.env` key acegen reads, with its default.

mod common;

#[test]
fn the_readme_documents_every_key_with_its_default() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for key in acegen::keys::KEYS {
        let default = key.default.unwrap_or("(none)");
        let row = format!("| {} | {} |", key.name, default);
        assert!(readme.contains(&row), "README.md has no row `{row}`");
    }
}

/// docs/template.md's inputs table is generated from `render::inputs`
/// (which a unit test keeps equal to the template's real view).
/// `ACEGEN_UPDATE_DOCS=1 cargo test --test docs` rewrites it.
#[test]
fn the_template_inputs_table_is_the_generated_one() {
    common::assert_generated_section(
        &common::repo_root().join("docs/template.md"),
        "template-inputs",
        &acegen::render::compose::inputs::markdown_table(),
    );
}

/// Every Markdown file of the repository's documentation: README.md, docs/
/// (with docs/development/), and the READMEs beside examples and the
/// end-to-end tests (not the copied third-party texts of tests/fixtures/).
fn markdown_files() -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() && !matches!(name.as_str(), "target" | ".git" | "snapshots") {
                walk(&path, found);
            } else if name.ends_with(".md") {
                found.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for folder in ["docs", "examples", "tests/e2e", "fuzz", "scripts"] {
        if root.join(folder).is_dir() {
            walk(&root.join(folder), &mut files);
        }
    }
    files
}

/// The targets of the inline links `[text](target)` of a Markdown text,
/// outside code blocks and code spans.
fn link_targets(text: &str) -> Vec<(usize, String)> {
    let mut targets = Vec::new();
    let mut in_block = false;
    for (number, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            continue;
        }
        // Code spans hold examples, not links.
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = prose.as_str();
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else { break };
            targets.push((number + 1, after[..end].to_owned()));
            rest = &after[end..];
        }
    }
    targets
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces
/// as `-`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    let mut in_block = false;
    let mut found = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
        } else if !in_block && line.starts_with('#') {
            found.push(anchor(line.trim_start_matches('#')));
        }
    }
    found
}

/// Links between the repository's files point at files that exist, and at
/// headings that exist in them (moving docs must not break them).
#[test]
fn every_relative_link_and_anchor_resolves() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, target) in link_targets(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = match target.split_once('#') {
                Some((path, fragment)) => (path, Some(fragment)),
                None => (target.as_str(), None),
            };
            let resolved = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            let here = format!("{}:{line}: {target}", file.display());
            if !resolved.exists() {
                broken.push(format!("{here}: no such file"));
                continue;
            }
            if let Some(fragment) =
                fragment.filter(|_| resolved.extension().is_some_and(|e| e == "md"))
            {
                let headings = anchors(&std::fs::read_to_string(&resolved).unwrap());
                if !headings.iter().any(|h| h == fragment) {
                    broken.push(format!("{here}: no heading #{fragment}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_checker_sees_links_and_github_anchors() {
    assert_eq!(
        link_targets("see [a](b.md#c) and `[x](y)`\n```\n[p](q)\n```\n"),
        [(1, "b.md#c".to_owned())]
    );
    assert_eq!(
        anchor(" W0801 — no `.env` file found"),
        "w0801--no-env-file-found"
    );
    assert_eq!(anchor(" The stack's folder"), "the-stacks-folder");
}
