//! The object backend's protocol against `InMemory`, which implements the same conditional
//! writes (Create → AlreadyExists, stale Update → Precondition) as the real stores.

use super::*;
use crate::state::location::Store;
use crate::state::{State, TargetFingerprint};
use object_store::memory::InMemory;
use strata_schema::Dialect;

fn backend(store: &Arc<dyn ObjectStore>, lease: Duration) -> ObjectBackend {
    let location = ObjectLocation {
        store: Store::S3 {
            region: None,
            endpoint: None,
        },
        bucket: "b".into(),
        key: "env/app.strata.json".into(),
        lease,
    };
    ObjectBackend::with_store(location, store.clone())
}

fn state() -> State {
    State::new(
        "default",
        TargetFingerprint {
            dialect: Dialect::Sqlite,
            host: None,
            port: None,
            database: "db".into(),
        },
    )
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

#[test]
fn a_write_over_a_stale_version_is_refused() {
    let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
    let b = backend(&store, Duration::from_secs(60));
    block_on(async {
        let (none, absent) = b.read().await.expect("read");
        assert!(none.is_none());
        let mut s = state();
        let v1 = b.write(&s, &absent).await.expect("create");
        // A second creator from the same starting point loses.
        assert!(matches!(
            b.write(&state(), &absent).await,
            Err(StateError::Stale { .. })
        ));
        // The same write again is a client retry whose first attempt landed: it stands.
        assert_eq!(b.write(&s, &absent).await.expect("retried create"), v1);
        s.serial = 1;
        let v2 = b.write(&s, &v1).await.expect("update");
        s.serial = 2;
        let err = b.write(&s, &v1).await.expect_err("stale update");
        assert!(
            err.to_string()
                .contains("the state was changed by another process since it was read"),
            "{err}"
        );
        assert_eq!(b.read().await.expect("read").1, v2);
    });
}

#[test]
fn the_lock_excludes_and_is_released_on_drop() {
    let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
    let b = backend(&store, Duration::from_secs(60));
    block_on(async {
        let held = b
            .lock("apply", Duration::ZERO, &mut |_| {})
            .await
            .expect("lock");
        assert!(held.info.expires.is_some());
        match b.lock("apply", Duration::ZERO, &mut |_| {}).await {
            Err(StateError::Locked(holder)) => assert_eq!(holder.id, held.info.id),
            other => panic!("expected Locked, got {:?}", other.map(|l| l.info.clone())),
        }
        assert_eq!(
            b.lock_record().await.expect("record"),
            Some(held.info.clone())
        );
        drop(held);
        assert_eq!(b.lock_record().await.expect("record"), None);
        b.lock("apply", Duration::ZERO, &mut |_| {})
            .await
            .expect("free again");
    });
}

#[test]
fn an_expired_lock_is_taken_over_and_force_unlock_checks_the_id() {
    let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
    let b = backend(&store, Duration::from_secs(60));
    block_on(async {
        // A holder that died: its record stays, its lease ran out a minute ago.
        let mut dead = LockInfo::new("apply", &b.shown());
        dead.expires = Some(expiry_ago(60));
        let text = serde_json::to_string(&dead).expect("record");
        store.put(&b.lock_path(), text.into()).await.expect("put");
        assert!(matches!(
            b.force_unlock("other").await,
            Err(StateError::LockMismatch { .. })
        ));
        let taker = b
            .lock("apply", Duration::ZERO, &mut |_| {})
            .await
            .expect("take over");
        assert_ne!(taker.info.id, dead.id);
        assert!(matches!(
            b.force_unlock(&taker.info.id).await,
            Ok(Unlocked::Broken(_))
        ));
        assert_eq!(b.lock_record().await.expect("record"), None);
        // Releasing a lock that is no longer ours deletes nothing.
        let next = b
            .lock("apply", Duration::ZERO, &mut |_| {})
            .await
            .expect("lock");
        drop(taker);
        assert_eq!(
            b.lock_record().await.expect("record"),
            Some(next.info.clone())
        );
    });
}

fn expiry_ago(secs: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::seconds(secs))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
