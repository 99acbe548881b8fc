//! How `state show` prints one managed object: the desired form as it was declared and the live
//! form the database reported right after the last apply, each as the DDL that would create it
//! (readable, and in the target's own dialect), then what else the state records about it.

use crate::state::{Managed, Object};
use std::fmt::Write;
use strata_schema::{Database, Dialect};

/// The object as text.
pub fn render(managed: &Managed, dialect: Dialect) -> String {
    let schema = managed.address.split('.').nth(1).unwrap_or_default();
    let mut out = format!("# {}\n", managed.address);
    let desired = form(&managed.desired, schema, dialect);
    let live = form(&managed.live, schema, dialect);
    let _ = writeln!(out, "desired (as declared when last applied):\n{desired}");
    if managed.provisional {
        let _ = writeln!(
            out,
            "live: not recorded yet (an apply stopped part-way; the next apply records it)\n"
        );
    } else if live == desired {
        let _ = writeln!(
            out,
            "live (as the database reported after that apply): same as desired\n"
        );
    } else {
        let _ = writeln!(
            out,
            "live (as the database reported after that apply):\n{live}"
        );
    }
    if !managed.depends_on.is_empty() {
        let _ = writeln!(out, "depends on: {}", managed.depends_on.join(", "));
    }
    if let Some(identity) = &managed.identity {
        let columns: Vec<String> = identity
            .columns
            .iter()
            .map(|(name, attnum)| format!("{name}={attnum}"))
            .collect();
        let _ = write!(out, "catalog identity: oid {}", identity.oid);
        if !columns.is_empty() {
            let _ = write!(out, ", attnums {}", columns.join(" "));
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "hashes: desired {}, live {}",
        managed.desired_hash, managed.live_hash
    );
    out
}

/// One recorded form as indented DDL, or as JSON if it cannot be rendered on its own.
fn form(object: &Object, schema: &str, dialect: Dialect) -> String {
    let mut db = Database::default();
    let s = db.schema_mut(schema);
    match object {
        Object::Table(t) => {
            s.tables.insert(t.name.clone(), t.clone());
        }
        Object::Enum(e) => {
            s.enums.insert(e.name.clone(), e.clone());
        }
    }
    let text = crate::run::ddl(dialect, &db)
        .ok()
        .map(|ddl| without_schema_creation(&ddl))
        .filter(|ddl| !ddl.trim().is_empty())
        .unwrap_or_else(|| serde_json::to_string_pretty(object).unwrap_or_default());
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// DDL without the `CREATE SCHEMA` that rendering a lone object adds: the schema is not part of
/// what the state records about the object.
fn without_schema_creation(ddl: &str) -> String {
    ddl.lines()
        .filter(|l| {
            !l.trim_start()
                .to_ascii_uppercase()
                .starts_with("CREATE SCHEMA")
        })
        .map(|l| format!("{l}\n"))
        .collect()
}
