use super::*;

fn check(text: &str) -> (Option<CustomVariant>, Vec<CustomVariantError>) {
    check_custom_variant(Utf8Path::new("custom_engine_variant.json"), text)
}

#[test]
fn the_orchestrators_shipped_file_is_accepted() {
    let text =
        include_str!("../../../tests/fixtures/reference/orchestrator.custom_engine_variant.json");
    let (variant, problems) = check(text);
    assert!(problems.is_empty(), "{problems:#?}");
    let variant = variant.unwrap();
    assert!(variant.enabled);
    assert_eq!(variant.platform, Platform::Amd64);
    assert_eq!(variant.amd64_version, "3.2.11-py3.10");
    assert_eq!(variant.parameters.len(), 35);
    assert_eq!(variant.memory_limit, None);
    assert_eq!(variant.torrent_mount, None);
}

#[test]
fn syntax_errors_name_line_and_column() {
    let (_, problems) = check("{\n  \"enabled\": true,\n  \"platform\": amd64\n}");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "E0301");
    assert_eq!(problems[0].position.unwrap().0.line, 3);
}

#[test]
fn schema_errors_point_at_the_offending_value() {
    let text = "{\n  \"enabled\": true,\n  \"platform\": \"arm65\",\n  \"parameters\": [\n    {\"name\": \"--live-buffer\", \"type\": \"int\", \"value\": \"ten\", \"enabled\": true}\n  ]\n}";
    let (variant, problems) = check(text);
    assert!(variant.is_none());
    let mut found: Vec<_> = problems
        .iter()
        .map(|p| {
            (
                p.position.unwrap().0,
                p.message.split(':').next().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            (Position::new(3, 15), "platform".to_owned()),
            (Position::new(5, 55), "parameters.0.value".to_owned()),
        ]
    );
}

#[test]
fn enabled_requires_a_platform() {
    let (_, problems) = check("{\"enabled\": true}");
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].message.contains("platform"),
        "{}",
        problems[0].message
    );
}

#[test]
fn memory_limit_bounds() {
    let (_, problems) =
        check("{\"enabled\": true, \"platform\": \"amd64\", \"memory_limit\": \"16m\"}");
    assert_eq!(problems[0].code, "E0303");
    let (variant, problems) =
        check("{\"enabled\": true, \"platform\": \"amd64\", \"memory_limit\": \"1G\"}");
    assert!(problems.is_empty());
    assert_eq!(variant.unwrap().memory_limit.unwrap().bytes, 1 << 30);
    let (variant, _) =
        check("{\"enabled\": true, \"platform\": \"amd64\", \"memory_limit\": \"0\"}");
    assert_eq!(variant.unwrap().memory_limit, None);
    let (_, problems) =
        check("{\"enabled\": true, \"platform\": \"amd64\", \"memory_limit\": \"1.5g\"}");
    assert_eq!(problems[0].code, "E0302");
}

#[test]
fn allocated_ports_cannot_be_parameters() {
    let text = r#"{"enabled": true, "platform": "amd64", "parameters": [
            {"name": "--http-port", "type": "int", "value": 6878, "enabled": false}]}"#;
    let (variant, problems) = check(text);
    assert!(variant.is_none());
    assert_eq!(problems[0].code, "E0304");
    assert_eq!(problems[0].position.unwrap().0, Position::new(2, 22));
}

#[test]
fn unknown_parameters_warn_with_the_nearest_known_name() {
    let text = r#"{"enabled": true, "platform": "amd64", "parameters": [
            {"name": "--live-bufer", "type": "int", "value": 10, "enabled": true}]}"#;
    let (variant, problems) = check(text);
    assert!(variant.is_some());
    assert_eq!(problems[0].severity, Severity::Warning);
    assert_eq!(
        problems[0].hint.as_deref(),
        Some("did you mean `--live-buffer`?")
    );
}

#[test]
fn torrent_mount_needs_an_absolute_host_path() {
    let text = r#"{"enabled": true, "platform": "arm64", "torrent_folder_mount_enabled": true,
            "torrent_folder_host_path": "torrents"}"#;
    let (_, problems) = check(text);
    assert_eq!(problems[0].code, "E0305");
    assert!(problems[0].message.contains("absolute"));
    let text = r#"{"enabled": true, "platform": "arm64", "torrent_folder_mount_enabled": true}"#;
    let (_, problems) = check(text);
    assert!(problems[0].message.contains("required"));
}

#[test]
fn torrent_mount_follows_an_enabled_cache_dir() {
    let text = r#"{"enabled": true, "platform": "arm64", "torrent_folder_mount_enabled": true,
            "torrent_folder_host_path": "/srv/torrents",
            "torrent_folder_container_path": "/data/t",
            "parameters": [{"name": "--cache-dir", "type": "path", "value": "~/.ACEStream/", "enabled": true}]}"#;
    let (variant, problems) = check(text);
    assert!(problems.is_empty(), "{problems:?}");
    let mount = variant.unwrap().torrent_mount.unwrap();
    assert_eq!(
        mount.container_path,
        "/root/.ACEStream/collected_torrent_files"
    );
    assert_eq!(mount.host_path, "/srv/torrents");
}

#[test]
fn parameter_arguments() {
    let p = |value, enabled| Parameter {
        name: "--x".into(),
        value,
        enabled,
        position: None,
    };
    assert_eq!(p(ParameterValue::Flag(true), true).arguments(), vec!["--x"]);
    assert!(p(ParameterValue::Flag(false), true).arguments().is_empty());
    assert!(p(ParameterValue::Integer(3), false).arguments().is_empty());
    assert_eq!(
        p(ParameterValue::Integer(3), true).arguments(),
        vec!["--x", "3"]
    );
    assert_eq!(
        p(ParameterValue::Text("a b".into()), true).arguments(),
        vec!["--x", "a b"]
    );
}

#[test]
fn numbers_that_are_not_plain_integers_are_errors_at_the_value() {
    for (kind, value, code) in [
        ("int", "10.0", "E0306"),
        ("int", "1e2", "E0306"),
        ("int", "1E2", "E0306"),
        ("bytes", "10.0", "E0306"),
        ("bytes", "1e20", "E0302"),
        ("int", "1e20", "E0302"),
        ("int", "18446744073709551615", "E0302"),
        ("bytes", "18446744073709551615", "E0302"),
        ("bytes", "-1", "E0302"),
    ] {
        let text = format!(
                "{{\"enabled\": true, \"platform\": \"amd64\", \"parameters\": [\n  {{\"name\": \"--live-buffer\", \"type\": \"{kind}\", \"value\": {value}, \"enabled\": true}}]}}"
            );
        let (variant, problems) = check(&text);
        assert!(variant.is_none(), "{kind} {value}: accepted");
        assert_eq!(problems.len(), 1, "{kind} {value}: {problems:?}");
        let problem = &problems[0];
        assert_eq!(problem.code, code, "{kind} {value}: {problem:?}");
        let column = 50 + kind.len() as u32;
        assert_eq!(
            problem.position,
            Some((Position::new(2, column), value.len())),
            "{kind} {value}"
        );
        assert!(
            problem.message.starts_with("parameters.0.value"),
            "{problem:?}"
        );
        if code == "E0306" {
            assert!(
                problem.message.contains(&format!("found `{value}`")),
                "{problem:?}"
            );
        }
    }
}

#[test]
fn whole_numbers_at_the_limits_pass_as_written() {
    for (kind, value) in [
        ("int", "-9223372036854775808"),
        ("bytes", "9223372036854775807"),
        ("int", "0"),
    ] {
        let text = format!(
                "{{\"enabled\": true, \"platform\": \"amd64\", \"parameters\": [{{\"name\": \"--live-buffer\", \"type\": \"{kind}\", \"value\": {value}, \"enabled\": true}}]}}"
            );
        let (variant, problems) = check(&text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            variant.unwrap().parameters[0].arguments(),
            ["--live-buffer", value]
        );
    }
}

#[test]
fn a_file_over_the_size_bound_is_one_error() {
    let text = format!(
        "{{\"enabled\": false, \"x\": \"{}\"}}",
        "a".repeat(MAX_FILE_BYTES)
    );
    let (variant, problems) = check(&text);
    assert!(variant.is_none());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "E0307");
    assert!(
        problems[0].message.contains("at most 16 MiB"),
        "{:?}",
        problems[0]
    );
}

#[test]
fn a_schema_message_quoting_a_huge_value_is_clipped() {
    let name = format!("--{}!", "x".repeat(100_000));
    let text = format!(
            "{{\"enabled\": true, \"platform\": \"amd64\", \"parameters\": [{{\"name\": \"{name}\", \"type\": \"flag\", \"value\": true, \"enabled\": true}}]}}"
        );
    let (_, problems) = check(&text);
    assert_eq!(problems[0].code, "E0302");
    let message = &problems[0].message;
    assert!(
        message.chars().count() < 300,
        "{} characters",
        message.len()
    );
    assert!(message.contains('…') && message.starts_with("parameters.0.name: "));
}
