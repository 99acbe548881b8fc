//! The benchmark schema as SQL DDL per dialect: the full schema (what both `strata apply` and
//! the database client load) and the script that turns the base schema into the altered one
//! behind Strata's back (the drift `strata plan` has to find).

use crate::dialect::Dialect;
use crate::schema::{Column, Default, EXTRA, Kind, Table, WIDENED, is_altered};
use std::fmt::Write;

/// The whole schema, tables in id order (each foreign key points at an earlier table, so the
/// client can load the file as it is).
pub fn create_all(dialect: Dialect, tables: &[Table]) -> String {
    let mut out = String::with_capacity(tables.len() * 1024);
    for t in tables {
        let name = t.name();
        out.push_str(&table_sql(dialect, t, &name));
        out.push_str(&index_sql(dialect, t, &name));
    }
    out
}

/// The statements that change the base schema into [`crate::schema::altered`]'s, for the
/// altered tables only.
pub fn alter_script(dialect: Dialect, altered: &[Table]) -> String {
    let mut out = String::new();
    if dialect == Dialect::Sqlite {
        out.push_str("PRAGMA foreign_keys=OFF;\nBEGIN;\n");
    }
    for t in altered.iter().filter(|t| is_altered(t.id)) {
        let name = t.name();
        let widened = t.columns.iter().find(|c| c.name == WIDENED.0);
        let widened = widened.expect("every table has the widened column");
        let _ = match dialect {
            Dialect::Postgres => writeln!(
                out,
                "ALTER TABLE {name} ADD COLUMN {};\nDROP INDEX {};\n\
                 ALTER TABLE {name} ALTER COLUMN {} TYPE {};",
                column_def(dialect, &EXTRA),
                t.composite_index_name(),
                widened.name,
                type_name(dialect, widened.kind),
            ),
            Dialect::Mysql => writeln!(
                out,
                "ALTER TABLE {name} ADD COLUMN {}, DROP INDEX {}, MODIFY COLUMN {};",
                column_def(dialect, &EXTRA),
                t.composite_index_name(),
                column_def(dialect, widened),
            ),
            // SQLite cannot change a column's type in place: its documented rebuild procedure.
            Dialect::Sqlite => {
                let scratch = format!("{name}__new");
                out.push_str(&table_sql(dialect, t, &scratch));
                let kept: Vec<&str> = t
                    .columns
                    .iter()
                    .map(|c| c.name)
                    .filter(|c| *c != EXTRA.name)
                    .collect();
                let kept = kept.join(", ");
                writeln!(
                    out,
                    "INSERT INTO {scratch} ({kept}) SELECT {kept} FROM {name};\n\
                     DROP TABLE {name};\nALTER TABLE {scratch} RENAME TO {name};\n{}",
                    index_sql(dialect, t, &name)
                )
            }
        };
    }
    if dialect == Dialect::Sqlite {
        out.push_str("COMMIT;\n");
    }
    out
}

/// `CREATE TABLE` for `t` under `name`. MySQL declares the indexes inline, as mysqldump prints
/// them; the others get [`index_sql`] after the table.
fn table_sql(dialect: Dialect, t: &Table, name: &str) -> String {
    let mut out = format!("CREATE TABLE {name} (\n");
    for c in &t.columns {
        let _ = writeln!(out, "  {},", column_def(dialect, c));
    }
    let _ = writeln!(out, "  CONSTRAINT {} PRIMARY KEY (id),", t.pk_name());
    if dialect == Dialect::Mysql {
        for (unique, index, cols) in indexes(t) {
            let _ = writeln!(out, "  {unique}KEY {index} ({cols}),");
        }
    }
    let _ = write!(out, "  CONSTRAINT {} CHECK (qty >= 0)", t.check_name());
    if let Some(parent) = t.parent() {
        let _ = write!(
            out,
            ",\n  CONSTRAINT {} FOREIGN KEY (parent_id) REFERENCES t{parent} (id) \
             ON DELETE SET NULL ON UPDATE CASCADE",
            t.fk_name()
        );
    }
    out.push_str("\n);\n");
    out
}

/// The separate `CREATE INDEX` statements of `t` on table `name` (none for MySQL).
fn index_sql(dialect: Dialect, t: &Table, name: &str) -> String {
    let mut out = String::new();
    if dialect != Dialect::Mysql {
        for (unique, index, cols) in indexes(t) {
            let _ = writeln!(out, "CREATE {unique}INDEX {index} ON {name} ({cols});");
        }
    }
    out
}

/// The indexes of `t`: the `UNIQUE ` keyword or nothing, the name, the column list.
fn indexes(t: &Table) -> Vec<(&'static str, String, &'static str)> {
    let mut list = vec![("UNIQUE ", t.unique_index(), "code")];
    if t.composite_index {
        list.push(("", t.composite_index_name(), "name, created_at"));
    }
    list.push(("", t.parent_index(), "parent_id"));
    list
}

/// One column's definition: name, type, nullability, default.
fn column_def(dialect: Dialect, c: &Column) -> String {
    let mut def = format!("{} {}", c.name, type_name(dialect, c.kind));
    if !c.nullable {
        def.push_str(" NOT NULL");
    }
    if let Some(d) = c.default {
        def.push_str(" DEFAULT ");
        def.push_str(default_sql(dialect, d));
    }
    def
}

/// The dialect's spelling of a benchmark type.
pub fn type_name(dialect: Dialect, kind: Kind) -> String {
    use Dialect::*;
    match (kind, dialect) {
        (Kind::BigInt, _) => "bigint".into(),
        (Kind::VarChar(n), _) => format!("varchar({n})"),
        (Kind::Int, Mysql) => "int".into(),
        (Kind::Int, _) => "integer".into(),
        (Kind::SmallInt, _) => "smallint".into(),
        (Kind::Decimal, Mysql) => "decimal(12,2)".into(),
        (Kind::Decimal, _) => "numeric(12,2)".into(),
        (Kind::Bool, Mysql) => "tinyint(1)".into(),
        (Kind::Bool, _) => "boolean".into(),
        (Kind::Text, _) => "text".into(),
        (Kind::Timestamp, Postgres) => "timestamp(3)".into(),
        (Kind::Timestamp, Mysql) => "datetime(3)".into(),
        (Kind::Timestamp, Sqlite) => "datetime".into(),
        (Kind::Double, Postgres) => "double precision".into(),
        (Kind::Double, Mysql) => "double".into(),
        (Kind::Double, Sqlite) => "real".into(),
        (Kind::Date, _) => "date".into(),
    }
}

fn default_sql(dialect: Dialect, d: Default) -> &'static str {
    match (d, dialect) {
        (Default::Zero, _) => "0",
        (Default::True, Dialect::Postgres) => "true",
        (Default::True, _) => "1",
        (Default::Now, Dialect::Mysql) => "CURRENT_TIMESTAMP(3)",
        (Default::Now, _) => "CURRENT_TIMESTAMP",
    }
}
