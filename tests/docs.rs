//! The README documents every `.env` key acegen reads, with its default.

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
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/template.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let start = doc
        .find("<!-- template-inputs:start")
        .expect("docs/template.md has the start marker");
    let start = start + doc[start..].find('\n').unwrap() + 1;
    let end = doc
        .find("<!-- template-inputs:end -->")
        .expect("docs/template.md has the end marker");
    let table = acegen::render::compose::inputs::markdown_table();
    if std::env::var_os("ACEGEN_UPDATE_DOCS").is_some() {
        let updated = format!("{}{}{}", &doc[..start], table, &doc[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        &doc[start..end],
        table,
        "docs/template.md is stale: ACEGEN_UPDATE_DOCS=1 cargo test --test docs"
    );
}
