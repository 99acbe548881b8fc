//! State: what Strata created or adopted, as the user declared it (the desired form) and as the
//! database reported it right after apply (the live form). It is what makes Strata more than a
//! schema differ: ownership (only owned objects are ever dropped), drift (a managed object whose
//! live form moved since it was recorded), stable plans (an object whose desired and live forms
//! both still equal their records is a no-op, whatever spelling the database uses) and adoption.
//!
//! This module is the in-memory state. `file` owns the on-disk format (state-format.md);
//! `backend` is where a state lives (`local` file, `object` storage, `database` table) and how it
//! is locked; `location` is the configured address of one.

pub mod backend;
pub mod database;
pub mod file;
pub mod journal;
pub mod local;
pub mod location;
pub mod lock;
#[cfg(feature = "cloud")]
pub mod object;
mod reconcile;
mod record;
mod renames;

pub use reconcile::{Drift, Reconciled, reconcile};
pub use record::{Outcome, record};
pub use renames::{RenameHint, apply_renames};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use strata_schema::{Database, Dialect, EnumType, Table, fingerprint};

/// State is one env's record of the objects Strata manages in one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Fixed when the state is created; serials are only comparable within one lineage.
    pub lineage: String,
    /// Bumped on every write whose content changed.
    pub serial: u64,
    /// The Strata version that last wrote the state.
    pub tool_version: String,
    pub env: String,
    pub target: TargetFingerprint,
    /// Managed objects by address (`table.public.users`, `enum.public.mood`).
    pub objects: BTreeMap<String, Managed>,
    /// The most recent writes, newest last, at most [`HISTORY_LIMIT`].
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

/// How many history entries a state keeps.
pub const HISTORY_LIMIT: usize = 20;

/// TargetFingerprint identifies the database a state belongs to, without credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetFingerprint {
    pub dialect: Dialect,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Database name (PostgreSQL, MySQL) or file path (SQLite).
    pub database: String,
}

/// Managed is one object Strata owns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Managed {
    pub address: String,
    /// The object as the desired schema declared it (normalised), when last applied.
    pub desired: Object,
    /// The object as the database reported it right after that apply (normalised).
    pub live: Object,
    /// Catalog identities where the database has stable ones (PostgreSQL oids and attnums).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<CatalogIdentity>,
    /// Addresses this object depends on (referenced tables, enum types): drop ordering for an
    /// object that is no longer desired, whose definition the desired schema cannot give.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    pub desired_hash: String,
    pub live_hash: String,
    /// Recorded by the MySQL journal mid-apply: the live form is the desired one standing in
    /// until the apply finishes (see `journal`). Never drift, never a no-op short cut.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
}

/// Object is the recorded form of a managed object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "definition", rename_all = "snake_case")]
pub enum Object {
    Table(Table),
    Enum(EnumType),
}

/// ObjectRef is an [`Object`] borrowed from a schema. It serialises exactly as the owned form,
/// so both have the same fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "definition", rename_all = "snake_case")]
pub enum ObjectRef<'a> {
    Table(&'a Table),
    Enum(&'a EnumType),
}

impl ObjectRef<'_> {
    /// The owned form, for a record.
    pub fn to_object(self) -> Object {
        match self {
            ObjectRef::Table(t) => Object::Table(t.clone()),
            ObjectRef::Enum(e) => Object::Enum(e.clone()),
        }
    }
}

impl Object {
    /// The borrowed form.
    pub fn as_ref(&self) -> ObjectRef<'_> {
        match self {
            Object::Table(t) => ObjectRef::Table(t),
            Object::Enum(e) => ObjectRef::Enum(e),
        }
    }
}

/// CatalogIdentity is what the catalog uses to identify an object across renames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogIdentity {
    /// PostgreSQL `pg_class.oid` / `pg_type.oid`.
    pub oid: u32,
    /// Column name → `pg_attribute.attnum`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, i16>,
}

/// HistoryEntry records one write of the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub serial: u64,
    /// RFC 3339 UTC time of the write.
    pub time: String,
    /// `user@host` of the process that wrote it.
    pub who: String,
    /// `apply`, `import`, `state rm`, `state push`, `refresh`, `destroy`.
    pub operation: String,
    /// The blake3 fingerprint of the plan applied, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// Number of steps applied.
    pub steps: usize,
}

impl State {
    /// A new, empty state with a fresh lineage.
    pub fn new(env: &str, target: TargetFingerprint) -> State {
        State {
            lineage: uuid::Uuid::new_v4().to_string(),
            serial: 0,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            env: env.to_string(),
            target,
            objects: BTreeMap::new(),
            history: Vec::new(),
        }
    }

    /// Append a history entry, keeping at most [`HISTORY_LIMIT`].
    pub fn record_history(&mut self, operation: &str, plan: Option<String>, steps: usize) {
        self.history.push(HistoryEntry {
            serial: self.serial,
            time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            who: who(),
            operation: operation.to_string(),
            plan,
            steps,
        });
        let excess = self.history.len().saturating_sub(HISTORY_LIMIT);
        self.history.drain(..excess);
    }

    /// The content that `serial` versions: everything but the serial, the tool version and the
    /// history. A write bumps the serial only when this changed.
    pub fn content_fingerprint(&self) -> String {
        fingerprint(&(&self.lineage, &self.env, &self.target, &self.objects))
    }
}

impl Managed {
    /// A managed object from its desired and live forms.
    pub fn new(address: String, desired: Object, live: Object, depends_on: Vec<String>) -> Managed {
        Managed {
            desired_hash: fingerprint(&desired),
            live_hash: fingerprint(&live),
            address,
            desired,
            live,
            identity: None,
            depends_on,
            provisional: false,
        }
    }
}

/// `user@host` for lock and history records.
pub fn who() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".into());
    format!("{user}@{host}")
}

/// Every object in a database that state can manage (tables and enums) by address, borrowed:
/// at 5,000 tables a copy of each schema was a large share of a plan's memory.
pub fn objects(db: &Database) -> BTreeMap<String, ObjectRef<'_>> {
    let mut out = BTreeMap::new();
    for (name, schema) in &db.schemas {
        for (t, table) in &schema.tables {
            out.insert(format!("table.{name}.{t}"), ObjectRef::Table(table));
        }
        for (e, en) in &schema.enums {
            out.insert(format!("enum.{name}.{e}"), ObjectRef::Enum(en));
        }
    }
    out
}
