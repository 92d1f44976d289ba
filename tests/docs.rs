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
