//! The lock within one process: `flock` locks belong to open files, so two opens in one
//! process exclude each other just as two processes do.

use super::*;
use std::time::Duration;

fn lock_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(".strata").join("dev.state.json.lock");
    (dir, path)
}

fn take(path: &Path, timeout: Duration) -> Result<LocalLock, StateError> {
    acquire(path, "s.json", "apply", timeout, &mut |_| {})
}

#[test]
fn second_taker_is_refused_with_the_holders_record() {
    let (_dir, path) = lock_file();
    let held = take(&path, Duration::ZERO).expect("first lock");
    match take(&path, Duration::ZERO) {
        Err(StateError::Locked(holder)) => {
            assert_eq!(*holder, held.info);
            let message = StateError::Locked(holder).to_string();
            assert!(message.contains(&format!("strata force-unlock {}", held.info.id)));
        }
        other => panic!("expected Locked, got {other:?}"),
    }
}

#[test]
fn release_empties_the_record_and_frees_the_lock() {
    let (_dir, path) = lock_file();
    drop(take(&path, Duration::ZERO).expect("first lock"));
    assert_eq!(record(&path).expect("readable"), None);
    assert!(take(&path, Duration::ZERO).is_ok());
}

#[test]
fn waiting_reports_the_holder_once_then_times_out() {
    let (_dir, path) = lock_file();
    let held = take(&path, Duration::ZERO).expect("first lock");
    let mut heard = Vec::new();
    let result = acquire(
        &path,
        "s.json",
        "apply",
        Duration::from_millis(400),
        &mut |h| heard.push(h.id.clone()),
    );
    assert_eq!(heard, vec![held.info.id.clone()]);
    assert!(
        matches!(&result, Err(StateError::LockTimeout { holder, .. }) if holder.id == held.info.id),
        "{result:?}"
    );
    assert!(result.is_err_and(|e| e.is_lock_held()));
}

#[test]
fn waiting_gets_the_lock_once_released() {
    let (_dir, path) = lock_file();
    let held = take(&path, Duration::ZERO).expect("first lock");
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        drop(held);
    });
    let got = take(&path, Duration::from_secs(10)).expect("lock after release");
    assert_eq!(got.info.operation, "apply");
    releaser.join().expect("releaser");
}

#[test]
fn a_dead_holders_record_does_not_hold_the_lock() {
    let (_dir, path) = lock_file();
    let dead = LockInfo::new("apply", "s.json");
    std::fs::create_dir_all(path.parent().expect("dir")).expect("dir");
    std::fs::write(&path, record_text(&dead)).expect("leftover record");
    let got = take(&path, Duration::ZERO).expect("lock over a leftover record");
    assert_ne!(got.info.id, dead.id);
    assert_eq!(record(&path).expect("readable"), Some(got.info.clone()));
}

#[test]
fn force_unlock_checks_the_id_and_breaks_a_live_lock() {
    let (_dir, path) = lock_file();
    assert!(matches!(
        force_unlock(&path, "s.json", "any"),
        Err(StateError::NotLocked { .. })
    ));
    let held = take(&path, Duration::ZERO).expect("first lock");
    assert!(matches!(
        force_unlock(&path, "s.json", "wrong"),
        Err(StateError::LockMismatch { .. })
    ));
    assert_eq!(
        force_unlock(&path, "s.json", &held.info.id).expect("unlocked"),
        Unlocked::Broken(held.info.clone())
    );
    // The old holder's lock is on a deleted file: others proceed.
    let next = take(&path, Duration::ZERO).expect("lock after force-unlock");
    drop(held);
    assert_eq!(record(&path).expect("readable"), Some(next.info.clone()));
}

#[test]
fn force_unlock_clears_a_dead_holders_record() {
    let (_dir, path) = lock_file();
    let dead = LockInfo::new("apply", "s.json");
    std::fs::create_dir_all(path.parent().expect("dir")).expect("dir");
    std::fs::write(&path, record_text(&dead)).expect("leftover record");
    assert_eq!(
        force_unlock(&path, "s.json", &dead.id).expect("unlocked"),
        Unlocked::Stale(dead)
    );
    assert_eq!(record(&path).expect("readable"), None);
}

#[test]
fn a_holder_without_record_is_named_without_a_lock_id() {
    let unknown = LockInfo::unrecorded(".strata/dev.state.json");
    let message = StateError::Locked(Box::new(unknown)).to_string();
    assert!(message.contains("left no lock record"), "{message}");
    assert!(
        message.contains("fuser -v .strata/dev.state.json.lock"),
        "{message}"
    );
    assert!(!message.contains("force-unlock"), "{message}");
}
