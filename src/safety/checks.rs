//! Data checks at plan time. Each check is one bounded query per step; tables larger than the
//! configured row limit (by catalog estimate) are not scanned: their counts are estimates and
//! the scans are reported as skipped.

use crate::db::{Conn, DbError};
use crate::diff::Change;
use crate::plan::{Hazard, HazardKind, Plan};
use std::collections::HashSet;
use strata_schema::{Column, Database, Dialect, IndexKey, Type};

/// Count rows for `plan`'s risky steps on `conn`, annotate their hazards, and record the rules
/// the current rows would break in `plan.blocking`. Tables with more than `max_rows` rows (by
/// estimate) are not scanned.
pub async fn check(
    conn: &mut Conn,
    plan: &mut Plan,
    live: &Database,
    max_rows: u64,
) -> Result<(), DbError> {
    let dialect = plan.dialect;
    let added = added_columns(plan);
    for i in 0..plan.steps.len() {
        let changes: Vec<Change> = plan.steps[i]
            .replaced
            .iter()
            .chain([&plan.steps[i].change])
            .cloned()
            .collect();
        // A rebuild is checked as the changes it amounts to.
        let changes: Vec<Change> = changes
            .into_iter()
            .flat_map(|c| match &c {
                Change::RebuildTable { schema, from, to } => {
                    crate::diff::table_changes(dialect, schema, from, to)
                }
                _ => vec![c],
            })
            .collect();
        for change in changes {
            // What this plan creates holds no rows yet: there is nothing to count or break.
            if !exists_live(live, &added, &change) {
                continue;
            }
            let Some(probe) = probe(dialect, &change) else {
                continue;
            };
            let rows = match estimate(conn, dialect, &probe.table).await? {
                Some(n) if n > max_rows => {
                    plan.steps[i].hazards.push(Hazard {
                        kind: HazardKind::MayFail,
                        message: format!(
                            "not checked against the data: {} has about {n} rows, over the limit of {max_rows} (policy data_check_max_rows)",
                            probe.table.name
                        ),
                    });
                    continue;
                }
                _ => count(conn, &format!("SELECT count(*) FROM {}", probe.table.sql)).await?,
            };
            let found = if probe.query.is_empty() {
                rows
            } else {
                match run_count(conn, &probe.query).await {
                    Ok(found) => found,
                    // The rule names what only this plan creates (a new enum value, a
                    // function): the database cannot evaluate it yet, and apply will.
                    Err(e) if names_what_the_plan_creates(&e) => {
                        plan.steps[i].hazards.push(Hazard {
                            kind: HazardKind::MayFail,
                            message: format!(
                                "not checked against the data: the database cannot evaluate the rule before apply ({e})"
                            ),
                        });
                        continue;
                    }
                    // Anything else (a timeout, a permission) must not let a blocking
                    // check through unchecked.
                    Err(e) => return Err(count_error(dialect, &probe.query, e)),
                }
            };
            let message = (probe.describe)(found, rows);
            if probe.blocks && found > 0 {
                plan.blocking
                    .push(format!("{}: {message}", plan.steps[i].address));
            }
            // The count completes the hazard the change already carries, if it has one.
            match plan.steps[i]
                .hazards
                .iter_mut()
                .find(|h| h.kind == probe.kind)
            {
                Some(h) => h.message = format!("{}: {message}", h.message),
                None => plan.steps[i].hazards.push(Hazard {
                    kind: probe.kind,
                    message,
                }),
            }
        }
    }
    Ok(())
}

/// True when every table and column the change's check would query exists in the live
/// database (not only in this plan).
fn exists_live(
    live: &Database,
    added: &HashSet<(String, String, String)>,
    change: &Change,
) -> bool {
    let schema = change.schema();
    let table = |name: &str| live.schemas.get(schema).and_then(|s| s.tables.get(name));
    let Some(t) = change.table().and_then(table) else {
        return false;
    };
    let has = |cols: &[String]| cols.iter().all(|c| t.column(c).is_some());
    match change {
        Change::AddIndex { to, .. } => to.parts.iter().all(|p| match &p.key {
            IndexKey::Column(c) => t.column(c).is_some(),
            IndexKey::Expr(_) => true,
        }),
        Change::AddForeignKey { to, .. } => {
            let parent = live
                .schemas
                .get(to.ref_schema.as_deref().unwrap_or(schema))
                .and_then(|s| s.tables.get(&to.ref_table));
            has(&to.columns)
                && parent.is_some_and(|p| to.ref_columns.iter().all(|c| p.column(c).is_some()))
        }
        // A check naming a column this plan adds cannot be evaluated yet (and a new column is
        // NULL, which a CHECK accepts).
        Change::AddCheck { to, .. } => !to
            .expr
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|w| added.contains(&(schema.to_string(), t.name.clone(), w.to_string()))),
        Change::ModifyColumn { from, .. } | Change::DropColumn { from, .. } => {
            t.column(&from.name).is_some()
        }
        _ => true,
    }
}

/// Columns the plan adds, as (schema, table, column).
fn added_columns(plan: &Plan) -> HashSet<(String, String, String)> {
    plan.steps
        .iter()
        .flat_map(|s| match &s.change {
            Change::AddColumn { schema, table, to } => {
                vec![(schema.clone(), table.clone(), to.name.clone())]
            }
            Change::RenameColumn {
                schema, table, to, ..
            } => vec![(schema.clone(), table.clone(), to.clone())],
            Change::RebuildTable { schema, from, to } => to
                .columns
                .iter()
                .filter(|c| from.column(&c.name).is_none())
                .map(|c| (schema.clone(), to.name.clone(), c.name.clone()))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// TableRef is a table as the checks query it.
struct TableRef {
    name: String,
    /// Quoted and schema-qualified.
    sql: String,
    schema: String,
}

/// Probe is the check for one change: a counting query (empty: count the table's rows) and
/// how to describe the result.
struct Probe {
    table: TableRef,
    query: String,
    kind: HazardKind,
    /// True when a non-zero count means the step will fail.
    blocks: bool,
    describe: Box<dyn Fn(i64, i64) -> String + Send>,
}

fn table_ref(dialect: Dialect, schema: &str, name: &str) -> TableRef {
    let sql = match dialect {
        Dialect::Sqlite => dialect.quote(name),
        _ => format!("{}.{}", dialect.quote(schema), dialect.quote(name)),
    };
    TableRef {
        name: name.to_string(),
        sql,
        schema: schema.to_string(),
    }
}

fn probe(dialect: Dialect, change: &Change) -> Option<Probe> {
    let q = |s: &str| dialect.quote(s);
    let t = |table: &str| table_ref(dialect, change.schema(), table);
    Some(match change {
        Change::DropTable { from, .. } => Probe {
            table: t(&from.name),
            query: String::new(),
            kind: HazardKind::Destructive,
            blocks: false,
            describe: Box::new(|n, _| {
                format!("the table holds {n} row(s), lost when it is dropped")
            }),
        },
        Change::DropColumn { table, from, .. } => {
            let tr = t(table);
            let query = format!("SELECT count({}) FROM {}", q(&from.name), tr.sql);
            let col = from.name.clone();
            Probe {
                table: tr,
                query,
                kind: HazardKind::Destructive,
                blocks: false,
                describe: Box::new(move |n, rows| {
                    format!("{col} holds {n} non-null value(s) in {rows} row(s)")
                }),
            }
        }
        Change::ModifyColumn {
            table,
            from,
            to,
            changes,
            ..
        } if changes.nullable && !to.nullable => {
            let tr = t(table);
            let query = format!(
                "SELECT count(*) FROM {} WHERE {} IS NULL",
                tr.sql,
                q(&from.name)
            );
            let col = to.name.clone();
            // SQLite's rebuild copies rows with COALESCE(column, default): a default fills them.
            let filled = dialect == Dialect::Sqlite && to.default.is_some();
            Probe {
                table: tr,
                query,
                kind: HazardKind::MayFail,
                blocks: !filled,
                describe: Box::new(move |n, _| {
                    if filled {
                        return format!(
                            "{n} row(s) hold NULL in {col}: the rebuild fills them with the default"
                        );
                    }
                    format!("{n} row(s) hold NULL in {col}, which NOT NULL rejects")
                }),
            }
        }
        Change::ModifyColumn {
            table,
            from,
            to,
            changes,
            ..
        } if changes.ty => {
            let tr = t(table);
            let (condition, what) = too_big(dialect, &q(&from.name), &from.ty, &to.ty)?;
            let query = format!("SELECT count(*) FROM {} WHERE {condition}", tr.sql);
            let col = to.name.clone();
            Probe {
                table: tr,
                query,
                kind: HazardKind::DataLoss,
                // SQLite does not enforce declared lengths: the rows survive, the hazard stays.
                blocks: dialect != Dialect::Sqlite,
                describe: Box::new(move |n, _| format!("{n} row(s) hold {what} in {col}")),
            }
        }
        Change::AddColumn { table, to, .. } if needs_value(dialect, to) => Probe {
            table: t(table),
            query: String::new(),
            kind: HazardKind::MayFail,
            blocks: true,
            describe: Box::new(|n, _| {
                format!(
                    "{n} existing row(s) would need a value for a NOT NULL column with no default"
                )
            }),
        },
        Change::AddIndex { table, to, .. } if to.unique => {
            let tr = t(table);
            let cols: Option<Vec<String>> = to
                .parts
                .iter()
                .map(|p| match &p.key {
                    IndexKey::Column(c) => Some(q(c)),
                    IndexKey::Expr(_) => None,
                })
                .collect();
            let cols = cols?.join(", ");
            let not_null: Vec<String> = cols
                .split(", ")
                .map(|c| format!("{c} IS NOT NULL"))
                .collect();
            // A partial index only constrains the rows its predicate selects.
            let mut filter = not_null;
            filter.extend(to.predicate.iter().map(|p| format!("({p})")));
            let query = format!(
                "SELECT count(*) FROM (SELECT {cols} FROM {} WHERE {} GROUP BY {cols} HAVING count(*) > 1) d",
                tr.sql,
                filter.join(" AND ")
            );
            Probe {
                table: tr,
                query,
                kind: HazardKind::MayFail,
                blocks: true,
                describe: Box::new(|n, _| {
                    format!("{n} value(s) appear more than once, which UNIQUE rejects")
                }),
            }
        }
        Change::AddCheck { table, to, .. } => {
            let tr = t(table);
            let query = format!("SELECT count(*) FROM {} WHERE NOT ({})", tr.sql, to.expr);
            let expr = to.expr.clone();
            Probe {
                table: tr,
                query,
                kind: HazardKind::MayFail,
                blocks: true,
                describe: Box::new(move |n, _| format!("{n} row(s) violate CHECK ({expr})")),
            }
        }
        Change::AddForeignKey { table, to, schema } if dialect != Dialect::Sqlite => {
            let tr = t(table);
            let parent = table_ref(
                dialect,
                to.ref_schema.as_deref().unwrap_or(schema),
                &to.ref_table,
            );
            let join: Vec<String> = to
                .columns
                .iter()
                .zip(&to.ref_columns)
                .map(|(c, r)| format!("c.{} = p.{}", q(c), q(r)))
                .collect();
            let set: Vec<String> = to
                .columns
                .iter()
                .map(|c| format!("c.{} IS NOT NULL", q(c)))
                .collect();
            let query = format!(
                "SELECT count(*) FROM {} c LEFT JOIN {} p ON {} WHERE {} AND p.{} IS NULL",
                tr.sql,
                parent.sql,
                join.join(" AND "),
                set.join(" AND "),
                q(&to.ref_columns[0])
            );
            let parent_name = to.ref_table.clone();
            Probe {
                table: tr,
                query,
                kind: HazardKind::MayFail,
                blocks: true,
                describe: Box::new(move |n, _| {
                    format!("{n} row(s) reference {parent_name} rows that do not exist")
                }),
            }
        }
        _ => return None,
    })
}

/// A NOT NULL column added without a default needs a value in every existing row. MySQL
/// fills in the type's implicit default, so only PostgreSQL and SQLite refuse.
fn needs_value(dialect: Dialect, c: &Column) -> bool {
    dialect != Dialect::Mysql
        && !c.nullable
        && c.default.is_none()
        && c.identity.is_none()
        && c.generated.is_none()
}

/// The condition matching values that do not fit a narrower type, with a description.
fn too_big(dialect: Dialect, col: &str, from: &Type, to: &Type) -> Option<(String, String)> {
    let length = match dialect {
        Dialect::Postgres => "char_length",
        Dialect::Mysql => "char_length",
        Dialect::Sqlite => "length",
    };
    match (from, to) {
        (from, Type::Varchar { length: Some(n) } | Type::Char { length: Some(n) }) => {
            let longer = match from {
                Type::Varchar { length } | Type::Char { length } => length.is_none_or(|a| a > *n),
                Type::Text { .. } => true,
                _ => false,
            };
            longer.then(|| {
                (
                    format!("{length}({col}) > {n}"),
                    format!("values longer than {n} characters"),
                )
            })
        }
        (Type::Integer { bytes: a, .. }, Type::Integer { bytes: b, unsigned }) if b < a => {
            let bits = u32::from(*b) * 8;
            let (min, max) = if *unsigned {
                (0i128, (1i128 << bits) - 1)
            } else {
                (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
            };
            Some((
                format!("{col} < {min} OR {col} > {max}"),
                format!("values outside {min}..{max}"),
            ))
        }
        _ => None,
    }
}

/// Run a counting query.
async fn count(conn: &mut Conn, sql: &str) -> Result<i64, DbError> {
    let dialect = conn.dialect();
    run_count(conn, sql)
        .await
        .map_err(|e| count_error(dialect, sql, e))
}

/// Run a counting query, the driver's error as it is.
async fn run_count(conn: &mut Conn, sql: &str) -> Result<i64, sqlx::Error> {
    match conn {
        Conn::Postgres(c) => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await,
        Conn::Mysql(c) => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await,
        Conn::Sqlite(c) => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await,
    }
}

fn count_error(dialect: Dialect, sql: &str, e: sqlx::Error) -> DbError {
    DbError::query(dialect, format!("checking the data ({sql})"), e)
}

/// PostgreSQL's answer to a rule that names a value, type or function that does not exist
/// yet: invalid_text_representation (an enum value the plan adds), undefined_function,
/// undefined_object.
fn names_what_the_plan_creates(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d)
        if matches!(d.code().as_deref(), Some("22P02" | "42883" | "42704")))
}

/// The catalog's row estimate for a table, where the catalog keeps one (SQLite does not).
async fn estimate(
    conn: &mut Conn,
    dialect: Dialect,
    table: &TableRef,
) -> Result<Option<u64>, DbError> {
    let err = |e| DbError::query(dialect, "reading row estimates", e);
    let n: Option<f64> = match conn {
        Conn::Postgres(c) => sqlx::query_scalar(
            "SELECT c.reltuples::float8 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
        )
        .bind(&table.schema)
        .bind(&table.name)
        .fetch_optional(c)
        .await
        .map_err(err)?,
        Conn::Mysql(c) => sqlx::query_scalar(
            "SELECT CAST(table_rows AS DOUBLE) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        )
        .bind(&table.schema)
        .bind(&table.name)
        .fetch_optional(c)
        .await
        .map_err(err)?
        .flatten(),
        Conn::Sqlite(_) => None,
    };
    Ok(n.filter(|n| *n >= 0.0).map(|n| n as u64))
}
