//! Hazards known from a change alone, before looking at any data: what a step may destroy,
//! lose, rewrite or lock, and whether it can be rolled back. Data checks (`crate::safety`)
//! add counts and turn "may fail" into "will fail" where the live rows say so.

use super::{Hazard, HazardKind};
use crate::diff::Change;
use strata_schema::{Dialect, Type};

fn hazard(kind: HazardKind, message: impl Into<String>) -> Hazard {
    Hazard {
        kind,
        message: message.into(),
    }
}

/// The hazards of `change` on `dialect`.
pub fn of(dialect: Dialect, change: &Change) -> Vec<Hazard> {
    let mut out = Vec::new();
    match change {
        Change::DropTable { from, .. } => out.push(hazard(
            HazardKind::Destructive,
            format!("drops table {} and all its rows", from.name),
        )),
        Change::DropColumn { from, .. } => out.push(hazard(
            HazardKind::Destructive,
            format!("drops column {} and its data", from.name),
        )),
        Change::DropEnum { from, .. } => out.push(hazard(
            HazardKind::Destructive,
            format!(
                "drops type {} (its values {} go with it)",
                from.name,
                from.values.join(", ")
            ),
        )),
        Change::ModifyColumn {
            from, to, changes, ..
        } => {
            if changes.ty && narrows(&from.ty, &to.ty) {
                out.push(hazard(
                    HazardKind::DataLoss,
                    format!(
                        "changes type {} to {}: values may not fit",
                        from.ty.sql(dialect),
                        to.ty.sql(dialect)
                    ),
                ));
            }
            if changes.ty && dialect == Dialect::Postgres && rewrites(&from.ty, &to.ty) {
                out.push(hazard(
                    HazardKind::TableRewrite,
                    "the type change rewrites the table and its indexes",
                ));
            }
            if changes.nullable && !to.nullable {
                out.push(hazard(
                    HazardKind::MayFail,
                    format!("fails if {} holds NULLs", to.name),
                ));
            }
        }
        Change::AddColumn { to, .. }
            if !to.nullable
                && to.default.is_none()
                && to.identity.is_none()
                && to.generated.is_none() =>
        {
            out.push(hazard(
                HazardKind::MayFail,
                "NOT NULL without a default: fails if the table has rows",
            ))
        }
        Change::AddIndex { to, .. } => {
            out.push(hazard(
                HazardKind::IndexBuild,
                format!("builds index {} over every row", to.name),
            ));
            if to.unique {
                out.push(hazard(
                    HazardKind::MayFail,
                    "fails if existing rows hold duplicates",
                ));
            }
        }
        Change::AddCheck { to, .. } => out.push(hazard(
            HazardKind::MayFail,
            format!("fails if existing rows violate CHECK ({})", to.expr),
        )),
        Change::AddForeignKey { to, .. } => out.push(hazard(
            HazardKind::MayFail,
            format!(
                "fails if existing rows reference missing {} rows",
                to.ref_table
            ),
        )),
        Change::AddPrimaryKey { .. } => out.push(hazard(
            HazardKind::MayFail,
            "fails if existing rows hold duplicates or NULLs",
        )),
        Change::AlterEnum { .. } if crate::dialect::commits_alone(dialect, change) => {
            out.push(hazard(
                HazardKind::NonTransactional,
                "runs outside the transaction: PostgreSQL cannot use a new enum value before it commits; the value stays if a later step fails",
            ))
        }
        Change::RebuildTable { from, to, .. } => {
            out.push(hazard(
                HazardKind::TableRewrite,
                "rebuilds the table: copies every row into a new table",
            ));
            let dropped: Vec<&str> = from
                .columns
                .iter()
                .filter(|c| to.column(&c.name).is_none())
                .map(|c| c.name.as_str())
                .collect();
            if !dropped.is_empty() {
                out.push(hazard(
                    HazardKind::Destructive,
                    format!("drops column(s) {}", dropped.join(", ")),
                ));
            }
        }
        _ => {}
    }
    if let Some(lock) = lock(dialect, change) {
        out.push(hazard(HazardKind::Lock, lock));
    }
    if !crate::dialect::transactional_ddl(dialect) {
        out.push(hazard(
            HazardKind::NonTransactional,
            "MySQL commits each DDL statement: it cannot be rolled back",
        ));
    }
    out
}

/// The lock a change takes on an existing table, where it blocks other sessions.
fn lock(dialect: Dialect, change: &Change) -> Option<String> {
    let on_existing = !matches!(
        change,
        Change::CreateTable { .. }
            | Change::CreateSchema { .. }
            | Change::CreateEnum { .. }
            | Change::DropEnum { .. }
            | Change::AlterEnum { .. }
    );
    if !on_existing {
        return None;
    }
    let table = change.table().unwrap_or_default();
    match dialect {
        Dialect::Postgres => Some(match change {
            Change::AddIndex { .. } => {
                format!("SHARE on {table}: writes wait until the index is built")
            }
            Change::AddForeignKey { to, .. } => {
                format!(
                    "SHARE ROW EXCLUSIVE on {table} and {}: writes wait while rows are validated",
                    to.ref_table
                )
            }
            _ => format!("ACCESS EXCLUSIVE on {table}: reads and writes wait"),
        }),
        Dialect::Mysql => Some(match change {
            Change::AddIndex { .. } | Change::DropIndex { .. } => {
                format!("ALGORITHM=INPLACE LOCK=NONE on {table}: reads and writes continue")
            }
            Change::AddColumn { .. } => {
                format!("ALGORITHM=INSTANT on {table}: a metadata change only")
            }
            _ => format!("metadata lock on {table}; a table copy blocks writes"),
        }),
        // SQLite always has one writer at a time; saying so on every step adds nothing.
        Dialect::Sqlite => None,
    }
}

/// True when a type change may not keep every value: a shorter string, a smaller integer, or
/// a change of kind.
pub fn narrows(from: &Type, to: &Type) -> bool {
    use Type::*;
    match (from, to) {
        (
            Varchar { length: a } | Char { length: a },
            Varchar { length: b } | Char { length: b },
        ) => matches!((a, b), (None, Some(_))) || matches!((a, b), (Some(x), Some(y)) if y < x),
        (Integer { bytes: a, .. }, Integer { bytes: b, .. }) => b < a,
        (
            Decimal {
                precision: p1,
                scale: s1,
                ..
            },
            Decimal {
                precision: p2,
                scale: s2,
                ..
            },
        ) => p2.unwrap_or(u32::MAX) < p1.unwrap_or(u32::MAX) || s2.unwrap_or(0) < s1.unwrap_or(0),
        (
            Integer { .. },
            Decimal { .. } | Float { .. } | Text { .. } | Varchar { length: None },
        ) => false,
        (Varchar { .. } | Char { .. }, Text { .. }) => false,
        (Float { bytes: a }, Float { bytes: b }) => b < a,
        (Timestamp { .. } | DateTime { .. }, Timestamp { .. } | DateTime { .. }) => false,
        (a, b) => std::mem::discriminant(a) != std::mem::discriminant(b),
    }
}

/// True when PostgreSQL rewrites the table for a type change: anything but widening a
/// varchar (or making it unbounded) and varchar ↔ text.
fn rewrites(from: &Type, to: &Type) -> bool {
    use Type::*;
    match (from, to) {
        (Varchar { length: Some(a) }, Varchar { length: Some(b) }) => b < a,
        (Varchar { .. }, Varchar { length: None } | Text { .. })
        | (Text { .. }, Varchar { length: None }) => false,
        _ => true,
    }
}
