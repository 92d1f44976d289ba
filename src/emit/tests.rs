use super::*;
use camino::Utf8PathBuf;

fn folder() -> (tempfile::TempDir, Utf8PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = Utf8PathBuf::from_path_buf(dir.path().to_owned()).unwrap();
    (dir, path)
}

#[test]
fn replaces_the_file_and_leaves_no_temporary_behind() {
    let (_dir, dir) = folder();
    let path = dir.join("out.yml");
    std::fs::write(&path, "old").unwrap();
    write_atomically(&path, "new\n").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn a_missing_folder_is_an_error_and_writes_nothing() {
    let (_dir, dir) = folder();
    let path = dir.join("no/such/out.yml");
    assert!(write_atomically(&path, "x").is_err());
    assert!(!path.exists());
}

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::fs::{symlink, PermissionsExt};

    fn mode(path: &Utf8Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_new_file_gets_the_umask_mode_not_the_temporary_file_s_0600() {
        let (_dir, dir) = folder();
        let path = dir.join("new.yml");
        write_atomically(&path, "x").unwrap();
        // Whatever the umask, the temporary file's 0600 would give no group bits
        // unless the umask allows them; 0666 & !umask is what a shell would make.
        let probe = dir.join("probe");
        std::fs::File::create(&probe).unwrap();
        assert_eq!(mode(&path), mode(&probe));
    }

    #[test]
    fn an_existing_file_keeps_its_mode() {
        let (_dir, dir) = folder();
        let path = dir.join("out.yml");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, "new").unwrap();
        assert_eq!(mode(&path), 0o640);
    }

    #[test]
    fn a_symlink_stays_a_link_and_its_target_is_replaced() {
        let (_dir, dir) = folder();
        std::fs::create_dir(dir.join("real")).unwrap();
        let target = dir.join("real/compose.yml");
        std::fs::write(&target, "old").unwrap();
        let link = dir.join("link.yml");
        symlink(&target, &link).unwrap();
        write_atomically(&link, "new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
    }

    #[test]
    fn special_files_and_dangling_links_are_refused() {
        let (_dir, dir) = folder();
        let link = dir.join("dangling.yml");
        symlink(dir.join("nothing"), &link).unwrap();
        let message = check_target(&link, &[]).unwrap_err();
        assert!(message.contains("link to nothing"), "{message}");
        assert!(check_target(&dir, &[]).unwrap_err().contains("a folder"));
        let null = Utf8Path::new("/dev/null");
        assert!(check_target(null, &[]).unwrap_err().contains("a device"));
        assert!(write_atomically(null, "x").is_err());
        let stdout_link = dir.join("to-null");
        symlink("/dev/null", &stdout_link).unwrap();
        assert!(check_target(&stdout_link, &[])
            .unwrap_err()
            .contains("a device"));
    }

    #[test]
    fn an_input_is_refused_even_under_another_name() {
        let (_dir, dir) = folder();
        let env = dir.join(".env");
        std::fs::write(&env, "MIN_REPLICAS=1\n").unwrap();
        let link = dir.join("alias");
        symlink(&env, &link).unwrap();
        for path in [&env, &link] {
            let message = check_target(path, &[env.as_path()]).unwrap_err();
            assert!(message.contains("is the input"), "{message}");
        }
        assert!(check_target(&dir.join("out.yml"), &[env.as_path()]).is_ok());
    }

    #[test]
    fn only_stale_temporaries_of_ours_are_removed() {
        let (_dir, dir) = folder();
        let stale = dir.join(".acegen-AbC123.tmp");
        let fresh = dir.join(".acegen-XyZ789.tmp");
        let other = dir.join("notes.tmp");
        for path in [&stale, &fresh, &other] {
            std::fs::write(path, "x").unwrap();
        }
        let old = std::time::SystemTime::now() - Duration::from_secs(3600);
        for path in [&stale, &other] {
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        write_atomically(&dir.join("out.yml"), "x").unwrap();
        assert!(!stale.exists(), "a stale temporary file is removed");
        assert!(
            fresh.exists(),
            "a recent one may belong to a running acegen"
        );
        assert!(other.exists(), "a file that is not ours is never touched");
    }
}
