//! The local backend: atomic writes, backups, and the lock path beside the state.

use super::*;
use crate::state::{State, TargetFingerprint};
use strata_schema::Dialect;

fn backend() -> (tempfile::TempDir, LocalBackend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(".strata").join("dev.state.json");
    (dir, LocalBackend { path })
}

fn state(serial: u64) -> State {
    let mut s = State::new(
        "dev",
        TargetFingerprint {
            dialect: Dialect::Sqlite,
            host: None,
            port: None,
            database: "db.sqlite".into(),
        },
    );
    s.serial = serial;
    s
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn absent_state_reads_as_none() {
    let (_dir, b) = backend();
    assert_eq!(b.read().expect("read"), None);
}

#[test]
fn write_keeps_the_previous_version_as_backup() {
    let (_dir, b) = backend();
    let (first, second) = (state(1), state(2));
    b.write(&first).expect("first write");
    assert_eq!(files(b.path.parent().expect("dir")), vec!["dev.state.json"]);
    b.write(&second).expect("second write");
    assert_eq!(b.read().expect("read"), Some(second.clone()));
    let backup = std::fs::read_to_string(b.sibling("backup")).expect("backup");
    assert_eq!(backup, encode(&first));
    // Writing the same state again leaves the backup alone; no temporary files remain.
    b.write(&second).expect("same write");
    assert_eq!(
        std::fs::read_to_string(b.sibling("backup")).expect("backup"),
        backup
    );
    assert_eq!(
        files(b.path.parent().expect("dir")),
        vec!["dev.state.json", "dev.state.json.backup"]
    );
}

#[test]
fn a_failed_write_leaves_the_old_state_intact() {
    let (_dir, b) = backend();
    b.write(&state(1)).expect("first write");
    std::fs::create_dir_all(b.sibling("backup").join("blocker")).expect("blocker");
    assert!(b.write(&state(2)).is_err());
    assert_eq!(b.read().expect("read").map(|s| s.serial), Some(1));
}

#[test]
fn timestamped_backups_never_overwrite_each_other() {
    let (_dir, b) = backend();
    assert_eq!(b.backup_timestamped().expect("no state"), None);
    let first = state(1);
    b.write(&first).expect("write");
    let one = b.backup_timestamped().expect("backup").expect("path");
    let two = b.backup_timestamped().expect("backup").expect("path");
    assert_ne!(one, two);
    for copy in [one, two] {
        let name = copy
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(
            name.starts_with("dev.state.json.2") && name.ends_with(".backup"),
            "{name}"
        );
        assert_eq!(
            std::fs::read_to_string(&copy).expect("copy"),
            encode(&first)
        );
    }
}

#[test]
fn lock_lives_beside_the_state() {
    let (_dir, b) = backend();
    let held = b
        .lock("state rm", std::time::Duration::ZERO, &mut |_| {})
        .expect("lock");
    assert_eq!(b.lock_path(), b.path.with_file_name("dev.state.json.lock"));
    assert_eq!(b.lock_record().expect("record"), Some(held.info.clone()));
}
