//! Changes → SQL for SQLite.
//!
//! SQLite's ALTER TABLE can add a column (without a key, a non-constant default, or NOT NULL
//! without a default), drop a column nothing else depends on, and rename columns and tables.
//! Everything else is [`needs_rebuild`]: the planner folds all changes of such a table into one
//! [`Change::RebuildTable`], rendered as SQLite's documented table rebuild
//! (<https://www.sqlite.org/lang_altertable.html#otheralter>). The apply engine wraps the plan in
//! one transaction with `PRAGMA foreign_keys=OFF` and runs `PRAGMA foreign_key_check` before
//! COMMIT, so nothing here emits those pragmas.

use super::create;
use crate::diff::Change;
use crate::plan::Statement;
use strata_schema::Dialect::Sqlite;
use strata_schema::{Column, Identity, Table};

/// Prefix of the temporary name a rebuilt table is created under.
const REBUILD_PREFIX: &str = "_strata_new_";

fn q(ident: &str) -> String {
    Sqlite.quote(ident)
}

/// The statements that make `change`. Changes that only a rebuild can make (see
/// [`needs_rebuild`]) and things SQLite does not have (schemas beyond `main`, enums, comments)
/// render as no statements.
pub fn render(change: &Change) -> Vec<Statement> {
    let sql = match change {
        Change::CreateTable { to, .. } => {
            let mut out = vec![create::table(&to.name, to)];
            out.extend(indexes(to));
            out
        }
        Change::DropTable { from, .. } => vec![format!("DROP TABLE {}", q(&from.name))],
        Change::AddColumn { table, to, .. } if can_add(to) => {
            vec![format!(
                "ALTER TABLE {} ADD COLUMN {}",
                q(table),
                create::column(to, None)
            )]
        }
        Change::DropColumn { table, from, .. } => {
            vec![format!(
                "ALTER TABLE {} DROP COLUMN {}",
                q(table),
                q(&from.name)
            )]
        }
        Change::RenameColumn {
            table, from, to, ..
        } => {
            vec![format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                q(table),
                q(from),
                q(to)
            )]
        }
        Change::AddIndex { table, to, .. } if !to.constraint => vec![create::index(table, to)],
        Change::DropIndex { from, .. } if !from.constraint => {
            vec![format!("DROP INDEX {}", q(&from.name))]
        }
        Change::RebuildTable { from, to, .. } => rebuild(from, to),
        _ => Vec::new(),
    };
    sql.into_iter().map(Statement::new).collect()
}

/// True when SQLite's ALTER TABLE cannot make `change`.
pub fn needs_rebuild(change: &Change) -> bool {
    match change {
        Change::AddColumn { to, .. } => !can_add(to),
        Change::ModifyColumn { changes, .. } => {
            changes.ty
                || changes.nullable
                || changes.default
                || changes.identity
                || changes.generated
                || changes.collation
        }
        Change::AddIndex { to: index, .. } | Change::DropIndex { from: index, .. } => {
            index.constraint
        }
        Change::AddPrimaryKey { .. }
        | Change::DropPrimaryKey { .. }
        | Change::AddForeignKey { .. }
        | Change::DropForeignKey { .. }
        | Change::AddCheck { .. }
        | Change::DropCheck { .. } => true,
        _ => false,
    }
}

/// ADD COLUMN refuses a key column, a stored generated column, NOT NULL without a default, and
/// any default that is not a constant literal.
fn can_add(column: &Column) -> bool {
    let stored = column.generated.as_ref().is_some_and(|g| g.stored);
    let default_ok = match column.default.as_deref() {
        Some(d) if d.trim().eq_ignore_ascii_case("null") => column.nullable,
        Some(d) => create::is_literal(d),
        None => column.nullable,
    };
    column.identity.is_none() && !stored && default_ok
}

fn indexes(table: &Table) -> Vec<String> {
    table
        .indexes
        .iter()
        .filter(|i| !i.constraint)
        .map(|i| create::index(&table.name, i))
        .collect()
}

/// The table rebuild: create the new shape under a temporary name, copy the rows of the columns
/// both shapes have, drop the old table, rename the new one into place, re-create its indexes.
/// Views on the table keep working (they refer to it by name); triggers on it are dropped with
/// it, as the model has none to re-create.
/// A column that became NOT NULL with a default takes the default where the old row had NULL;
/// a new NOT NULL column without a default makes the copy fail on the first row, as it must.
fn rebuild(from: &Table, to: &Table) -> Vec<String> {
    let temp = format!("{REBUILD_PREFIX}{}", to.name);
    let mut out = vec![create::table(&temp, to)];
    let copied: Vec<(&Column, &Column)> = to
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            Some((
                from.columns
                    .iter()
                    .find(|f| f.name.eq_ignore_ascii_case(&c.name))?,
                c,
            ))
        })
        .collect();
    if !copied.is_empty() {
        let targets: Vec<String> = copied.iter().map(|(_, c)| q(&c.name)).collect();
        let sources: Vec<String> = copied
            .iter()
            .map(|(old, new)| match &new.default {
                Some(default) if old.nullable && !new.nullable => {
                    format!(
                        "COALESCE({}, {})",
                        q(&old.name),
                        create::default_value(default)
                    )
                }
                _ => q(&old.name),
            })
            .collect();
        out.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            q(&temp),
            targets.join(", "),
            sources.join(", "),
            q(&from.name)
        ));
    }
    if has_autoincrement(from) && has_autoincrement(to) {
        // Keep the AUTOINCREMENT high-water mark, so ids of deleted rows are never reused.
        out.push(format!(
            "DELETE FROM sqlite_sequence WHERE name = {}",
            Sqlite.quote_str(&temp)
        ));
        out.push(format!(
            "INSERT INTO sqlite_sequence (name, seq) SELECT {}, seq FROM sqlite_sequence WHERE name = {}",
            Sqlite.quote_str(&temp),
            Sqlite.quote_str(&from.name)
        ));
    }
    out.push(format!("DROP TABLE {}", q(&from.name)));
    // Since SQLite 3.26 RENAME re-checks every view and trigger of the schema, and one that
    // reads the table fails while the table is briefly gone; the legacy rename only renames.
    out.push("PRAGMA legacy_alter_table = ON".to_string());
    out.push(format!(
        "ALTER TABLE {} RENAME TO {}",
        q(&temp),
        q(&to.name)
    ));
    out.push("PRAGMA legacy_alter_table = OFF".to_string());
    out.extend(indexes(to));
    out
}

fn has_autoincrement(table: &Table) -> bool {
    table
        .columns
        .iter()
        .any(|c| c.identity == Some(Identity::AutoIncrement))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::ColumnChanges;
    use strata_schema::{
        Check, Deferrable, ForeignKey, Generated, Index, IndexKey, IndexPart, PrimaryKey,
        ReferentialAction, Type,
    };

    fn sql(change: Change) -> Vec<String> {
        render(&change).into_iter().map(|s| s.sql).collect()
    }

    fn col(name: &str, ty: &str) -> Column {
        Column::new(name, Type::parse(Sqlite, ty))
    }

    fn users() -> Table {
        let mut t = Table::new("users");
        let mut id = col("id", "integer");
        id.nullable = false;
        id.identity = Some(Identity::AutoIncrement);
        let mut email = col("email", "varchar(100)");
        email.nullable = false;
        email.collation = Some("NOCASE".into());
        let mut status = col("status", "text");
        status.nullable = false;
        status.default = Some("'new'".into());
        let mut lower = col("email_lower", "text");
        lower.generated = Some(Generated {
            expr: "lower(email)".into(),
            stored: false,
        });
        t.columns = vec![id, email, status, col("team_id", "integer"), lower];
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec!["id".into()],
        });
        t.indexes = vec![
            Index {
                name: String::new(),
                parts: vec![IndexPart::column("email")],
                unique: true,
                constraint: true,
                predicate: None,
                method: None,
                comment: None,
            },
            Index {
                name: "users_status".into(),
                parts: vec![
                    IndexPart {
                        desc: true,
                        ..IndexPart::column("status")
                    },
                    IndexPart {
                        key: IndexKey::Expr("lower(email)".into()),
                        ..IndexPart::column("")
                    },
                ],
                unique: false,
                constraint: false,
                predicate: Some("status <> 'gone'".into()),
                method: None,
                comment: None,
            },
        ];
        t.foreign_keys = vec![ForeignKey {
            name: "fk_team".into(),
            columns: vec!["team_id".into()],
            ref_schema: None,
            ref_table: "teams".into(),
            ref_columns: vec!["id".into()],
            on_delete: ReferentialAction::SetNull,
            on_update: ReferentialAction::Cascade,
            deferrable: Deferrable::InitiallyDeferred,
        }];
        t.checks = vec![Check {
            name: "status_known".into(),
            expr: "status IN ('new', 'gone')".into(),
        }];
        t.options.insert("strict".into(), "true".into());
        t
    }

    #[test]
    fn create_table_holds_keys_constraints_and_then_indexes() {
        assert_eq!(
            sql(Change::CreateTable {
                schema: "main".into(),
                to: users()
            }),
            vec![
                "CREATE TABLE \"users\" (\n  \
                 \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n  \
                 \"email\" VARCHAR(100) NOT NULL COLLATE \"NOCASE\",\n  \
                 \"status\" TEXT NOT NULL DEFAULT 'new',\n  \
                 \"team_id\" INTEGER,\n  \
                 \"email_lower\" TEXT GENERATED ALWAYS AS (lower(email)) VIRTUAL,\n  \
                 UNIQUE (\"email\"),\n  \
                 CONSTRAINT \"fk_team\" FOREIGN KEY (\"team_id\") REFERENCES \"teams\" (\"id\") ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,\n  \
                 CONSTRAINT \"status_known\" CHECK (status IN ('new', 'gone'))\n) STRICT",
                "CREATE INDEX \"users_status\" ON \"users\" (\"status\" DESC, lower(email)) WHERE status <> 'gone'",
            ]
        );
    }

    #[test]
    fn composite_named_key_is_a_table_constraint() {
        let mut t = Table::new("m");
        t.columns = vec![col("a", "int"), col("b", "")];
        t.primary_key = Some(PrimaryKey {
            name: Some("m_pk".into()),
            columns: vec!["a".into(), "b".into()],
        });
        t.options.insert("without_rowid".into(), "true".into());
        assert_eq!(
            sql(Change::CreateTable {
                schema: "main".into(),
                to: t
            }),
            vec![
                "CREATE TABLE \"m\" (\n  \"a\" INTEGER,\n  \"b\",\n  CONSTRAINT \"m_pk\" PRIMARY KEY (\"a\", \"b\")\n) WITHOUT ROWID"
            ]
        );
    }

    #[test]
    fn alter_table_changes() {
        let s = || "main".to_string();
        let t = || "users".to_string();
        let mut added = col("age", "int");
        added.default = Some("0".into());
        added.nullable = false;
        assert_eq!(
            sql(Change::AddColumn {
                schema: s(),
                table: t(),
                to: added
            }),
            vec!["ALTER TABLE \"users\" ADD COLUMN \"age\" INTEGER NOT NULL DEFAULT 0"]
        );
        assert_eq!(
            sql(Change::DropColumn {
                schema: s(),
                table: t(),
                from: col("age", "int")
            }),
            vec!["ALTER TABLE \"users\" DROP COLUMN \"age\""]
        );
        assert_eq!(
            sql(Change::RenameColumn {
                schema: s(),
                table: t(),
                from: "a".into(),
                to: "b\"c".into()
            }),
            vec!["ALTER TABLE \"users\" RENAME COLUMN \"a\" TO \"b\"\"c\""]
        );
        let index = users().indexes[1].clone();
        assert_eq!(
            sql(Change::DropIndex {
                schema: s(),
                table: t(),
                from: index.clone()
            }),
            vec!["DROP INDEX \"users_status\""]
        );
        assert_eq!(
            sql(Change::AddIndex {
                schema: s(),
                table: t(),
                to: Index {
                    unique: true,
                    predicate: None,
                    ..index
                }
            }),
            vec![
                "CREATE UNIQUE INDEX \"users_status\" ON \"users\" (\"status\" DESC, lower(email))"
            ]
        );
        assert_eq!(
            sql(Change::DropTable {
                schema: s(),
                from: users()
            }),
            vec!["DROP TABLE \"users\""]
        );
        for nothing in [
            Change::CreateSchema { schema: s() },
            Change::SetTableComment {
                schema: s(),
                table: t(),
                from: None,
                to: Some("x".into()),
            },
        ] {
            assert!(sql(nothing).is_empty());
        }
    }

    #[test]
    fn what_alter_table_cannot_do_needs_a_rebuild() {
        let s = || "main".to_string();
        let t = || "users".to_string();
        let table = users();
        let mut now_default = col("at", "datetime");
        now_default.default = Some("CURRENT_TIMESTAMP".into());
        let mut not_null = col("n", "int");
        not_null.nullable = false;
        let rebuilds = [
            Change::AddColumn {
                schema: s(),
                table: t(),
                to: now_default,
            },
            Change::AddColumn {
                schema: s(),
                table: t(),
                to: not_null,
            },
            Change::ModifyColumn {
                schema: s(),
                table: t(),
                from: col("a", "int"),
                to: col("a", "text"),
                changes: ColumnChanges {
                    ty: true,
                    ..ColumnChanges::default()
                },
            },
            Change::AddPrimaryKey {
                schema: s(),
                table: t(),
                to: table.primary_key.clone().unwrap(),
            },
            Change::AddForeignKey {
                schema: s(),
                table: t(),
                to: table.foreign_keys[0].clone(),
            },
            Change::DropCheck {
                schema: s(),
                table: t(),
                from: table.checks[0].clone(),
            },
            Change::AddIndex {
                schema: s(),
                table: t(),
                to: table.indexes[0].clone(),
            },
        ];
        for change in rebuilds {
            assert!(needs_rebuild(&change), "{change:?}");
        }
        let alters = [
            Change::AddColumn {
                schema: s(),
                table: t(),
                to: col("a", "int"),
            },
            Change::DropColumn {
                schema: s(),
                table: t(),
                from: col("a", "int"),
            },
            Change::AddIndex {
                schema: s(),
                table: t(),
                to: table.indexes[1].clone(),
            },
            Change::ModifyColumn {
                schema: s(),
                table: t(),
                from: col("a", "int"),
                to: col("a", "int"),
                changes: ColumnChanges {
                    comment: true,
                    ..ColumnChanges::default()
                },
            },
        ];
        for change in alters {
            assert!(!needs_rebuild(&change), "{change:?}");
        }
    }

    #[test]
    fn rebuild_copies_shared_columns_and_fills_new_not_null_defaults() {
        let from = users();
        let mut to = users();
        to.columns.retain(|c| c.name != "team_id");
        to.foreign_keys.clear();
        to.columns[2].default = None;
        let mut team = col("team_id", "integer");
        team.nullable = false;
        team.default = Some("1".into());
        to.columns.push(team);
        to.checks.clear();
        to.indexes.remove(0);
        to.options.clear();
        let statements = sql(Change::RebuildTable {
            schema: "main".into(),
            from,
            to,
        });
        assert_eq!(
            statements[1..],
            [
                "INSERT INTO \"_strata_new_users\" (\"id\", \"email\", \"status\", \"team_id\") \
                 SELECT \"id\", \"email\", \"status\", COALESCE(\"team_id\", 1) FROM \"users\"",
                "DELETE FROM sqlite_sequence WHERE name = '_strata_new_users'",
                "INSERT INTO sqlite_sequence (name, seq) SELECT '_strata_new_users', seq FROM sqlite_sequence WHERE name = 'users'",
                "DROP TABLE \"users\"",
                "PRAGMA legacy_alter_table = ON",
                "ALTER TABLE \"_strata_new_users\" RENAME TO \"users\"",
                "PRAGMA legacy_alter_table = OFF",
                "CREATE INDEX \"users_status\" ON \"users\" (\"status\" DESC, lower(email)) WHERE status <> 'gone'",
            ]
        );
        assert!(statements[0].starts_with("CREATE TABLE \"_strata_new_users\" (\n  \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,"));
    }
}
