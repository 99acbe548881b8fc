//! Changes → MySQL/MariaDB SQL. MySQL commits every DDL statement on its own, so each
//! [`Statement`] is exactly one statement: the apply engine runs them one by one and can say
//! how far it got.

use crate::diff::Change;
use crate::plan::Statement;
use strata_schema::{Check, Column, Dialect, ForeignKey, Identity, Index, IndexKey, Table};

const D: Dialect = Dialect::Mysql;

/// The statements that make `change`.
pub fn render(change: &Change) -> Vec<Statement> {
    use Change::*;
    let sql = match change {
        CreateSchema { schema } => format!("CREATE DATABASE {}", D.quote(schema)),
        CreateTable { schema, to } => create_table(schema, to),
        DropTable { schema, from } => format!("DROP TABLE {}", table_name(schema, &from.name)),
        AddColumn { schema, table, to } => {
            let instant = if to.identity.is_none() && to.generated.is_none() {
                ONLINE_COLUMN
            } else {
                ""
            };
            alter(
                schema,
                table,
                &format!("ADD COLUMN {}{instant}", column_def(to)),
            )
        }
        DropColumn {
            schema,
            table,
            from,
        } => alter(
            schema,
            table,
            &format!("DROP COLUMN {}", D.quote(&from.name)),
        ),
        ModifyColumn {
            schema, table, to, ..
        } => alter(schema, table, &format!("MODIFY COLUMN {}", column_def(to))),
        RenameColumn {
            schema,
            table,
            from,
            to,
        } => alter(
            schema,
            table,
            &format!("RENAME COLUMN {} TO {}", D.quote(from), D.quote(to)),
        ),
        AddPrimaryKey { schema, table, to } => alter(
            schema,
            table,
            &format!("ADD PRIMARY KEY ({})", column_list(&to.columns)),
        ),
        DropPrimaryKey { schema, table, .. } => alter(schema, table, "DROP PRIMARY KEY"),
        AddIndex { schema, table, to } => create_index(schema, table, to),
        DropIndex {
            schema,
            table,
            from,
        } => {
            // MariaDB takes ALGORITHM/LOCK only in the ALTER TABLE form of the drop.
            let online = match online_index(from) {
                "" => String::new(),
                clause => format!(",{}", clause.replace(" LOCK", ", LOCK")),
            };
            alter(
                schema,
                table,
                &format!("DROP INDEX {}{online}", D.quote(&from.name)),
            )
        }
        AddForeignKey { schema, table, to } => {
            alter(schema, table, &format!("ADD {}", foreign_key(schema, to)))
        }
        DropForeignKey {
            schema,
            table,
            from,
        } => alter(
            schema,
            table,
            &format!("DROP FOREIGN KEY {}", D.quote(&from.name)),
        ),
        AddCheck { schema, table, to } => alter(schema, table, &format!("ADD {}", check(to))),
        DropCheck {
            schema,
            table,
            from,
        } => alter(
            schema,
            table,
            &format!("DROP CONSTRAINT {}", D.quote(&from.name)),
        ),
        SetTableComment {
            schema, table, to, ..
        } => alter(
            schema,
            table,
            &format!(
                "COMMENT = {}",
                D.quote_str(to.as_deref().unwrap_or_default())
            ),
        ),
        // MySQL has no named enum types (an enum is a column type, changed with MODIFY
        // COLUMN), and ALTER TABLE can make every change, so it never rebuilds tables: the
        // differ and planner do not produce these changes for this dialect.
        CreateEnum { .. } | DropEnum { .. } | AlterEnum { .. } | RebuildTable { .. } => {
            return Vec::new();
        }
    };
    vec![Statement::new(sql)]
}

/// `schema`.`table`, as every statement names its table.
fn table_name(schema: &str, table: &str) -> String {
    format!("{}.{}", D.quote(schema), D.quote(table))
}

fn alter(schema: &str, table: &str, action: &str) -> String {
    format!("ALTER TABLE {} {action}", table_name(schema, table))
}

fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| D.quote(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// CREATE TABLE with everything inline: MySQL creates keys, indexes, foreign keys and checks
/// in the same statement.
fn create_table(schema: &str, table: &Table) -> String {
    let mut lines: Vec<String> = table.columns.iter().map(column_def).collect();
    if let Some(pk) = &table.primary_key {
        lines.push(format!("PRIMARY KEY ({})", column_list(&pk.columns)));
    }
    lines.extend(table.indexes.iter().map(inline_index));
    lines.extend(table.foreign_keys.iter().map(|fk| foreign_key(schema, fk)));
    lines.extend(table.checks.iter().map(check));
    let mut sql = format!(
        "CREATE TABLE {} (\n  {}\n)",
        table_name(schema, &table.name),
        lines.join(",\n  ")
    );
    if let Some(engine) = table.options.get("engine") {
        sql.push_str(&format!(" ENGINE = {engine}"));
    }
    if let Some(collation) = table.options.get("collation") {
        sql.push_str(&format!(" COLLATE = {collation}"));
    }
    if let Some(comment) = &table.comment {
        sql.push_str(&format!(" COMMENT = {}", D.quote_str(comment)));
    }
    sql
}

/// The full column definition, as ADD COLUMN, MODIFY COLUMN and CREATE TABLE take it. MODIFY
/// COLUMN replaces the whole definition, so it keeps an `ON UPDATE` only by restating it and
/// drops one by leaving it out.
fn column_def(c: &Column) -> String {
    let mut sql = format!("{} {}", D.quote(&c.name), c.ty.sql(D));
    if let Some(collation) = &c.collation {
        sql.push_str(&format!(" COLLATE {collation}"));
    }
    match &c.generated {
        Some(g) => {
            let kind = if g.stored { "STORED" } else { "VIRTUAL" };
            sql.push_str(&format!(" GENERATED ALWAYS AS ({}) {kind}", g.expr));
        }
        None => {
            sql.push_str(if c.nullable { " NULL" } else { " NOT NULL" });
            if let Some(default) = &c.default {
                sql.push_str(&format!(" DEFAULT {}", default_sql(default)));
            }
            if let Some(on_update) = &c.on_update {
                sql.push_str(&format!(" ON UPDATE {on_update}"));
            }
        }
    }
    if matches!(c.identity, Some(Identity::AutoIncrement)) {
        sql.push_str(" AUTO_INCREMENT");
    }
    if let Some(comment) = &c.comment {
        sql.push_str(&format!(" COMMENT {}", D.quote_str(comment)));
    }
    sql
}

/// A DEFAULT clause's value: literals and CURRENT_TIMESTAMP bare, other expressions in
/// parentheses (MySQL 8 requires them; MariaDB accepts them).
fn default_sql(default: &str) -> String {
    let lower = default.to_lowercase();
    let literal = default.starts_with('\'')
        || default.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.')
        || lower.starts_with("b'")
        || lower.starts_with("x'")
        || matches!(lower.as_str(), "null" | "true" | "false")
        || lower.starts_with("current_timestamp");
    if literal {
        default.to_string()
    } else {
        format!("({default})")
    }
}

/// Key parts: `col`, `col`(10), `col` DESC, (expr).
fn index_parts(index: &Index) -> String {
    let parts: Vec<String> = index
        .parts
        .iter()
        .map(|p| {
            let mut s = match &p.key {
                IndexKey::Column(c) => D.quote(c),
                IndexKey::Expr(e) => format!("({e})"),
            };
            if let Some(n) = p.length {
                s.push_str(&format!("({n})"));
            }
            if p.desc {
                s.push_str(" DESC");
            }
            s
        })
        .collect();
    parts.join(", ")
}

/// The keyword before KEY/INDEX: UNIQUE, FULLTEXT or SPATIAL; and the USING clause for others.
fn index_kind(index: &Index) -> (Option<&'static str>, Option<&str>) {
    match index.method.as_deref() {
        Some(m) if m.eq_ignore_ascii_case("fulltext") => (Some("FULLTEXT"), None),
        Some(m) if m.eq_ignore_ascii_case("spatial") => (Some("SPATIAL"), None),
        other => (index.unique.then_some("UNIQUE"), other),
    }
}

fn index_tail(index: &Index) -> String {
    let mut tail = String::new();
    if let (_, Some(method)) = index_kind(index) {
        tail.push_str(&format!(" USING {method}"));
    }
    if let Some(comment) = &index.comment {
        tail.push_str(&format!(" COMMENT {}", D.quote_str(comment)));
    }
    tail
}

fn inline_index(index: &Index) -> String {
    let kind = match index_kind(index).0 {
        Some(k) => format!("{k} KEY"),
        None => "KEY".to_string(),
    };
    let name = if index.name.is_empty() {
        String::new()
    } else {
        format!(" {}", D.quote(&index.name))
    };
    format!("{kind}{name} ({}){}", index_parts(index), index_tail(index))
}

fn create_index(schema: &str, table: &str, index: &Index) -> String {
    let kind = index_kind(index)
        .0
        .map(|k| format!("{k} "))
        .unwrap_or_default();
    format!(
        "CREATE {kind}INDEX {} ON {} ({}){}{}",
        D.quote(&index.name),
        table_name(schema, table),
        index_parts(index),
        index_tail(index),
        online_index(index)
    )
}

/// Appending a column only changes metadata on InnoDB: ask for that explicitly, so a server
/// that would copy the table instead refuses rather than locking it for the whole copy.
const ONLINE_COLUMN: &str = ", ALGORITHM=INSTANT";

/// Build or drop an ordinary index in place while reads and writes continue; the server
/// refuses rather than silently blocking writes. FULLTEXT and SPATIAL indexes cannot be built
/// that way, so they get no clause.
fn online_index(index: &Index) -> &'static str {
    match index
        .method
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("FULLTEXT" | "SPATIAL") => "",
        _ => " ALGORITHM=INPLACE LOCK=NONE",
    }
}

/// `[CONSTRAINT name] FOREIGN KEY (…) REFERENCES …`; the referenced table is qualified with its
/// own schema, or the owning table's when the model leaves it out.
fn foreign_key(schema: &str, fk: &ForeignKey) -> String {
    let mut sql = String::new();
    if !fk.name.is_empty() {
        sql.push_str(&format!("CONSTRAINT {} ", D.quote(&fk.name)));
    }
    sql.push_str(&format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        column_list(&fk.columns),
        table_name(fk.ref_schema.as_deref().unwrap_or(schema), &fk.ref_table),
        column_list(&fk.ref_columns)
    ));
    for (clause, action) in [("ON DELETE", fk.on_delete), ("ON UPDATE", fk.on_update)] {
        if action != Default::default() {
            sql.push_str(&format!(" {clause} {}", action.sql()));
        }
    }
    sql
}

fn check(c: &Check) -> String {
    if c.name.is_empty() {
        format!("CHECK ({})", c.expr)
    } else {
        format!("CONSTRAINT {} CHECK ({})", D.quote(&c.name), c.expr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::ColumnChanges;
    use strata_schema::{Generated, IndexPart, LobSize, PrimaryKey, ReferentialAction, Type};

    fn sql(change: Change) -> Vec<String> {
        render(&change).into_iter().map(|s| s.sql).collect()
    }

    fn one(change: Change) -> String {
        let mut all = sql(change);
        assert_eq!(all.len(), 1, "one statement per change: {all:?}");
        all.remove(0)
    }

    fn int(name: &str) -> Column {
        Column::new(
            name,
            Type::Integer {
                bytes: 4,
                unsigned: false,
            },
        )
    }

    fn index(name: &str, unique: bool) -> Index {
        Index {
            name: name.into(),
            parts: vec![IndexPart::column("email")],
            unique,
            constraint: false,
            predicate: None,
            method: None,
            comment: None,
        }
    }

    fn fk() -> ForeignKey {
        ForeignKey {
            name: "posts_author".into(),
            columns: vec!["author_id".into()],
            ref_schema: None,
            ref_table: "users".into(),
            ref_columns: vec!["id".into()],
            on_delete: ReferentialAction::Cascade,
            on_update: ReferentialAction::NoAction,
            deferrable: Default::default(),
        }
    }

    fn s() -> String {
        "test".into()
    }

    fn t() -> String {
        "users".into()
    }

    #[test]
    fn create_table_has_everything_inline() {
        let mut id = Column::new(
            "id",
            Type::Integer {
                bytes: 8,
                unsigned: true,
            },
        );
        id.nullable = false;
        id.identity = Some(Identity::AutoIncrement);
        let mut email = Column::new("email", Type::Varchar { length: Some(200) });
        email.nullable = false;
        email.collation = Some("utf8mb4_bin".into());
        let mut status = Column::new(
            "status",
            Type::Enum {
                values: vec!["a".into(), "b".into()],
            },
        );
        status.default = Some("'a'".into());
        status.comment = Some("it's".into());
        let mut doubled = int("doubled");
        doubled.generated = Some(Generated {
            expr: "`id` * 2".into(),
            stored: true,
        });
        let mut table = Table::new("users");
        table.columns = vec![id, email, status, doubled];
        table.primary_key = Some(PrimaryKey {
            name: Some("PRIMARY".into()),
            columns: vec!["id".into()],
        });
        let mut prefix = index("email_prefix", false);
        prefix.parts[0].length = Some(10);
        prefix.parts[0].desc = true;
        table.indexes = vec![index("email", true), prefix];
        table.checks = vec![Check {
            name: "id_positive".into(),
            expr: "`id` > 0".into(),
        }];
        table.comment = Some("people".into());
        table
            .options
            .insert("collation".into(), "utf8mb4_unicode_ci".into());
        assert_eq!(
            one(Change::CreateTable {
                schema: s(),
                to: table
            }),
            "CREATE TABLE `test`.`users` (\n  \
             `id` bigint unsigned NOT NULL AUTO_INCREMENT,\n  \
             `email` varchar(200) COLLATE utf8mb4_bin NOT NULL,\n  \
             `status` enum('a','b') NULL DEFAULT 'a' COMMENT 'it''s',\n  \
             `doubled` int GENERATED ALWAYS AS (`id` * 2) STORED,\n  \
             PRIMARY KEY (`id`),\n  \
             UNIQUE KEY `email` (`email`),\n  \
             KEY `email_prefix` (`email`(10) DESC),\n  \
             CONSTRAINT `id_positive` CHECK (`id` > 0)\n\
             ) COLLATE = utf8mb4_unicode_ci COMMENT = 'people'"
        );
    }

    #[test]
    fn create_table_with_foreign_key_and_methods() {
        let mut table = Table::new("posts");
        table.columns = vec![
            int("author_id"),
            Column::new(
                "body",
                Type::Text {
                    size: LobSize::Normal,
                },
            ),
        ];
        let mut fulltext = index("body_search", false);
        fulltext.parts = vec![IndexPart::column("body")];
        fulltext.method = Some("FULLTEXT".into());
        table.indexes = vec![fulltext];
        table.foreign_keys = vec![fk()];
        table.options.insert("engine".into(), "MyISAM".into());
        assert_eq!(
            one(Change::CreateTable {
                schema: s(),
                to: table
            }),
            "CREATE TABLE `test`.`posts` (\n  \
             `author_id` int NULL,\n  \
             `body` text NULL,\n  \
             FULLTEXT KEY `body_search` (`body`),\n  \
             CONSTRAINT `posts_author` FOREIGN KEY (`author_id`) REFERENCES `test`.`users` (`id`) ON DELETE CASCADE\n\
             ) ENGINE = MyISAM"
        );
    }

    #[test]
    fn table_and_schema_changes() {
        assert_eq!(
            one(Change::CreateSchema { schema: s() }),
            "CREATE DATABASE `test`"
        );
        assert_eq!(
            one(Change::DropTable {
                schema: s(),
                from: Table::new("users")
            }),
            "DROP TABLE `test`.`users`"
        );
        assert_eq!(
            one(Change::SetTableComment {
                schema: s(),
                table: t(),
                from: None,
                to: Some("x".into())
            }),
            "ALTER TABLE `test`.`users` COMMENT = 'x'"
        );
        assert_eq!(
            one(Change::SetTableComment {
                schema: s(),
                table: t(),
                from: Some("x".into()),
                to: None
            }),
            "ALTER TABLE `test`.`users` COMMENT = ''"
        );
    }

    #[test]
    fn column_changes() {
        let mut age = int("age");
        age.default = Some("18".into());
        age.nullable = false;
        assert_eq!(
            one(Change::AddColumn {
                schema: s(),
                table: t(),
                to: age.clone()
            }),
            "ALTER TABLE `test`.`users` ADD COLUMN `age` int NOT NULL DEFAULT 18, ALGORITHM=INSTANT"
        );
        assert_eq!(
            one(Change::DropColumn {
                schema: s(),
                table: t(),
                from: age.clone()
            }),
            "ALTER TABLE `test`.`users` DROP COLUMN `age`"
        );
        let mut wider = age.clone();
        wider.ty = Type::Integer {
            bytes: 8,
            unsigned: false,
        };
        wider.default = Some("uuid_short()".into());
        let changes = ColumnChanges {
            ty: true,
            default: true,
            ..Default::default()
        };
        assert_eq!(
            one(Change::ModifyColumn {
                schema: s(),
                table: t(),
                from: age,
                to: wider,
                changes
            }),
            "ALTER TABLE `test`.`users` MODIFY COLUMN `age` bigint NOT NULL DEFAULT (uuid_short())"
        );
        let stamp = |on_update: Option<&str>| Column {
            nullable: false,
            default: Some("CURRENT_TIMESTAMP(6)".into()),
            on_update: on_update.map(String::from),
            ..Column::new("touched", Type::DateTime { precision: Some(6) })
        };
        let stamped = "`touched` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)";
        assert_eq!(
            one(Change::AddColumn {
                schema: s(),
                table: t(),
                to: stamp(Some("CURRENT_TIMESTAMP(6)"))
            }),
            format!("ALTER TABLE `test`.`users` ADD COLUMN {stamped}, ALGORITHM=INSTANT")
        );
        let mut commented = stamp(Some("CURRENT_TIMESTAMP(6)"));
        commented.comment = Some("kept".into());
        assert_eq!(
            one(Change::ModifyColumn {
                schema: s(),
                table: t(),
                from: stamp(Some("CURRENT_TIMESTAMP(6)")),
                to: commented,
                changes: ColumnChanges {
                    comment: true,
                    ..Default::default()
                }
            }),
            format!("ALTER TABLE `test`.`users` MODIFY COLUMN {stamped} COMMENT 'kept'")
        );
        assert_eq!(
            one(Change::ModifyColumn {
                schema: s(),
                table: t(),
                from: stamp(Some("CURRENT_TIMESTAMP(6)")),
                to: stamp(None),
                changes: ColumnChanges {
                    on_update: true,
                    ..Default::default()
                }
            }),
            "ALTER TABLE `test`.`users` MODIFY COLUMN `touched` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
        );
        assert_eq!(
            one(Change::RenameColumn {
                schema: s(),
                table: t(),
                from: "a".into(),
                to: "b".into()
            }),
            "ALTER TABLE `test`.`users` RENAME COLUMN `a` TO `b`"
        );
    }

    #[test]
    fn key_and_index_changes() {
        let pk = PrimaryKey {
            name: Some("PRIMARY".into()),
            columns: vec!["a".into(), "b".into()],
        };
        assert_eq!(
            one(Change::AddPrimaryKey {
                schema: s(),
                table: t(),
                to: pk.clone()
            }),
            "ALTER TABLE `test`.`users` ADD PRIMARY KEY (`a`, `b`)"
        );
        assert_eq!(
            one(Change::DropPrimaryKey {
                schema: s(),
                table: t(),
                from: pk
            }),
            "ALTER TABLE `test`.`users` DROP PRIMARY KEY"
        );
        assert_eq!(
            one(Change::AddIndex {
                schema: s(),
                table: t(),
                to: index("users_email", true)
            }),
            "CREATE UNIQUE INDEX `users_email` ON `test`.`users` (`email`) ALGORITHM=INPLACE LOCK=NONE"
        );
        let mut hashed = index("by_hash", false);
        hashed.method = Some("HASH".into());
        hashed.comment = Some("fast".into());
        assert_eq!(
            one(Change::AddIndex {
                schema: s(),
                table: t(),
                to: hashed
            }),
            "CREATE INDEX `by_hash` ON `test`.`users` (`email`) USING HASH COMMENT 'fast' ALGORITHM=INPLACE LOCK=NONE"
        );
        assert_eq!(
            one(Change::DropIndex {
                schema: s(),
                table: t(),
                from: index("users_email", true)
            }),
            "ALTER TABLE `test`.`users` DROP INDEX `users_email`, ALGORITHM=INPLACE, LOCK=NONE"
        );
    }

    #[test]
    fn foreign_key_and_check_changes() {
        let mut other_schema = fk();
        other_schema.ref_schema = Some("auth".into());
        other_schema.on_update = ReferentialAction::SetNull;
        assert_eq!(
            one(Change::AddForeignKey {
                schema: s(),
                table: "posts".into(),
                to: other_schema
            }),
            "ALTER TABLE `test`.`posts` ADD CONSTRAINT `posts_author` FOREIGN KEY (`author_id`) \
             REFERENCES `auth`.`users` (`id`) ON DELETE CASCADE ON UPDATE SET NULL"
        );
        assert_eq!(
            one(Change::DropForeignKey {
                schema: s(),
                table: "posts".into(),
                from: fk()
            }),
            "ALTER TABLE `test`.`posts` DROP FOREIGN KEY `posts_author`"
        );
        let check = Check {
            name: "age_adult".into(),
            expr: "`age` >= 18".into(),
        };
        assert_eq!(
            one(Change::AddCheck {
                schema: s(),
                table: t(),
                to: check.clone()
            }),
            "ALTER TABLE `test`.`users` ADD CONSTRAINT `age_adult` CHECK (`age` >= 18)"
        );
        assert_eq!(
            one(Change::DropCheck {
                schema: s(),
                table: t(),
                from: check
            }),
            "ALTER TABLE `test`.`users` DROP CONSTRAINT `age_adult`"
        );
    }

    #[test]
    fn postgres_only_changes_render_nothing() {
        let mood = strata_schema::EnumType {
            name: "mood".into(),
            values: vec!["a".into()],
        };
        assert!(
            sql(Change::CreateEnum {
                schema: s(),
                to: mood.clone()
            })
            .is_empty()
        );
        assert!(
            sql(Change::DropEnum {
                schema: s(),
                from: mood.clone()
            })
            .is_empty()
        );
        assert!(
            sql(Change::AlterEnum {
                schema: s(),
                from: mood.clone(),
                to: mood
            })
            .is_empty()
        );
        let table = Table::new("users");
        assert!(
            sql(Change::RebuildTable {
                schema: s(),
                from: table.clone(),
                to: table
            })
            .is_empty()
        );
    }

    #[test]
    fn identifiers_and_strings_are_quoted() {
        let mut odd = Column::new("we`ird", Type::Varchar { length: Some(5) });
        odd.default = Some("'a\\\\b'".into());
        assert_eq!(
            one(Change::AddColumn {
                schema: s(),
                table: "or`der".into(),
                to: odd
            }),
            "ALTER TABLE `test`.`or``der` ADD COLUMN `we``ird` varchar(5) NULL DEFAULT 'a\\\\b', ALGORITHM=INSTANT"
        );
    }
}
