//! The fixture sets without a database: every name TypeORM printed for a set (hashed keys,
//! indexes, checks) is a name the reader produces, the TypeScript sources and their compiled
//! JavaScript read to the same schema, and a dialect TypeORM refused is refused here too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use strata_schema::{Database, Dialect, Provider};
use strata_typeorm::TypeOrm;

const DIALECTS: [Dialect; 3] = [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];

fn sets() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/typeorm");
    let mut sets: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("entities").is_dir())
        .collect();
    sets.sort();
    sets
}

/// Every name the DDL gives to a table or a constraint, quoted with `"` or `` ` ``.
fn ddl_names(ddl: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for part in ddl.split(['"', '`']).skip(1).step_by(2) {
        if part.starts_with("temporary_") {
            continue;
        }
        let is_key = ["PK_", "FK_", "UQ_", "IDX_", "REL_", "CHK_"]
            .iter()
            .any(|p| part.starts_with(p));
        if is_key {
            out.insert(part.to_string());
        }
    }
    out
}

fn names(db: &Database, dialect: Dialect) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, t) in db.tables() {
        // SQLite and MySQL have no primary key names in TypeORM's DDL.
        if dialect == Dialect::Postgres {
            out.extend(t.primary_key.iter().filter_map(|p| p.name.clone()));
        }
        out.extend(t.indexes.iter().map(|i| i.name.clone()));
        out.extend(t.foreign_keys.iter().map(|f| f.name.clone()));
        out.extend(t.checks.iter().map(|c| c.name.clone()));
    }
    out.retain(|n| !n.is_empty());
    out
}

fn tables(ddl: &str) -> BTreeSet<String> {
    ddl.lines()
        .filter_map(|l| l.strip_prefix("CREATE TABLE "))
        .filter_map(|l| l.split(['"', '`']).nth(1))
        .filter(|t| !t.starts_with("temporary_"))
        .map(str::to_string)
        .collect()
}

#[test]
fn fixture_names_match_typeorm() {
    let sets = sets();
    assert!(sets.len() >= 3);
    for set in sets {
        for dialect in DIALECTS {
            let from_ts = TypeOrm.load(&set.join("entities"), dialect, "public");
            let from_js = TypeOrm.load(&set.join("dist"), dialect, "public");
            let what = format!("{} on {dialect}", set.display());
            if set.join(format!("{}.refused", dialect.name())).exists() {
                assert!(
                    from_ts.is_err(),
                    "{what}: TypeORM refuses it, the reader did not"
                );
                assert!(
                    from_js.is_err(),
                    "{what} (dist): TypeORM refuses it, the reader did not"
                );
                continue;
            }
            let ddl =
                std::fs::read_to_string(set.join(format!("{}.sql", dialect.name()))).expect("ddl");
            let db = from_ts.unwrap_or_else(|e| panic!("{what}: {e}")).database;
            let js = from_js
                .unwrap_or_else(|e| panic!("{what} (dist): {e}"))
                .database;
            assert_eq!(db, js, "{what}: sources and compiled JavaScript differ");
            let read: BTreeSet<String> = db.tables().map(|(_, t)| t.name.clone()).collect();
            assert_eq!(read, tables(&ddl), "{what}: tables");
            let read = names(&db, dialect);
            for name in ddl_names(&ddl) {
                assert!(
                    read.contains(&name),
                    "{what}: TypeORM's {name} is missing: {read:?}"
                );
            }
            for name in &read {
                let quoted = [format!("\"{name}\""), format!("`{name}`")];
                assert!(
                    quoted.iter().any(|q| ddl.contains(q.as_str())),
                    "{what}: {name} is not in TypeORM's DDL"
                );
            }
        }
    }
}
