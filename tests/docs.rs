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
