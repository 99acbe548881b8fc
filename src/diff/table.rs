//! Table-level diff: columns, primary key, indexes, foreign keys, checks and comment.

use super::{Change, ColumnChanges};
use crate::expr::canonical;
use strata_schema::{Column, Dialect, ForeignKey, Index, IndexKey, IndexPart, Table};

pub(super) fn diff_table(
    dialect: Dialect,
    schema: &str,
    from: &Table,
    to: &Table,
    out: &mut Vec<Change>,
) {
    let s = || schema.to_string();
    let t = || to.name.clone();
    for col in &to.columns {
        match from.column(&col.name) {
            None => out.push(Change::AddColumn {
                schema: s(),
                table: t(),
                to: col.clone(),
            }),
            Some(old) => {
                let changes = column_changes(dialect, old, col);
                if changes.any() {
                    out.push(Change::ModifyColumn {
                        schema: s(),
                        table: t(),
                        from: old.clone(),
                        to: col.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for col in &from.columns {
        if to.column(&col.name).is_none() {
            out.push(Change::DropColumn {
                schema: s(),
                table: t(),
                from: col.clone(),
            });
        }
    }

    let pk_same = match (&from.primary_key, &to.primary_key) {
        (Some(a), Some(b)) => a.columns == b.columns && (b.name.is_none() || a.name == b.name),
        (None, None) => true,
        _ => false,
    };
    if !pk_same {
        if let Some(pk) = &from.primary_key {
            out.push(Change::DropPrimaryKey {
                schema: s(),
                table: t(),
                from: pk.clone(),
            });
        }
        if let Some(pk) = &to.primary_key {
            out.push(Change::AddPrimaryKey {
                schema: s(),
                table: t(),
                to: pk.clone(),
            });
        }
    }

    let (add, drop) = matched(
        &from.indexes,
        &to.indexes,
        |i| &i.name,
        |a, b| same_index(dialect, a, b),
    );
    out.extend(drop.into_iter().map(|i| Change::DropIndex {
        schema: s(),
        table: t(),
        from: i,
    }));
    out.extend(add.into_iter().map(|i| Change::AddIndex {
        schema: s(),
        table: t(),
        to: i,
    }));

    let (add, drop) = matched(&from.foreign_keys, &to.foreign_keys, |f| &f.name, same_fk);
    out.extend(drop.into_iter().map(|f| Change::DropForeignKey {
        schema: s(),
        table: t(),
        from: f,
    }));
    out.extend(add.into_iter().map(|f| Change::AddForeignKey {
        schema: s(),
        table: t(),
        to: f,
    }));

    let (add, drop) = matched(
        &from.checks,
        &to.checks,
        |c| &c.name,
        |a, b| same_expr(dialect, &a.expr, &b.expr),
    );
    out.extend(drop.into_iter().map(|c| Change::DropCheck {
        schema: s(),
        table: t(),
        from: c,
    }));
    out.extend(add.into_iter().map(|c| Change::AddCheck {
        schema: s(),
        table: t(),
        to: c,
    }));

    if from.comment != to.comment {
        out.push(Change::SetTableComment {
            schema: s(),
            table: t(),
            from: from.comment.clone(),
            to: to.comment.clone(),
        });
    }
}

/// Which attributes of a column differ. A collation the desired side leaves unset is
/// whatever the database chose, so it is not compared.
pub(crate) fn column_changes(dialect: Dialect, from: &Column, to: &Column) -> ColumnChanges {
    let same_opt = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => same_expr(dialect, a, b),
        (a, b) => a == b,
    };
    ColumnChanges {
        ty: from.ty != to.ty,
        nullable: from.nullable != to.nullable,
        default: !same_opt(&from.default, &to.default),
        identity: from.identity != to.identity,
        generated: match (&from.generated, &to.generated) {
            (Some(a), Some(b)) => a.stored != b.stored || !same_expr(dialect, &a.expr, &b.expr),
            (a, b) => a != b,
        },
        on_update: from.on_update != to.on_update,
        collation: to.collation.is_some() && from.collation != to.collation,
        comment: from.comment != to.comment,
    }
}

/// Pair `from` and `to` objects: by name when the desired object has one, otherwise by
/// definition. Returns (objects to add, objects to drop); a name whose definition changed
/// appears in both.
fn matched<T: Clone>(
    from: &[T],
    to: &[T],
    name: impl Fn(&T) -> &String,
    same: impl Fn(&T, &T) -> bool,
) -> (Vec<T>, Vec<T>) {
    let mut used = vec![false; from.len()];
    let mut add = Vec::new();
    let mut drop = Vec::new();
    // Named objects first, so an unnamed desired object cannot take a live object that a
    // named one claims.
    let mut pending = Vec::new();
    for obj in to {
        if name(obj).is_empty() {
            pending.push(obj);
            continue;
        }
        match from.iter().position(|f| name(f) == name(obj)) {
            Some(i) => {
                used[i] = true;
                if !same(&from[i], obj) {
                    drop.push(from[i].clone());
                    add.push(obj.clone());
                }
            }
            None => add.push(obj.clone()),
        }
    }
    for obj in pending {
        match (0..from.len()).find(|&i| !used[i] && same(&from[i], obj)) {
            Some(i) => used[i] = true,
            None => add.push(obj.clone()),
        }
    }
    for (i, f) in from.iter().enumerate() {
        if !used[i] {
            drop.push(f.clone());
        }
    }
    (add, drop)
}

fn same_index(dialect: Dialect, a: &Index, b: &Index) -> bool {
    let same_part = |p: &IndexPart, q: &IndexPart| {
        let keys = match (&p.key, &q.key) {
            (IndexKey::Expr(x), IndexKey::Expr(y)) => same_expr(dialect, x, y),
            (x, y) => x == y,
        };
        keys && p.desc == q.desc
            && p.length == q.length
            && p.opclass == q.opclass
            && p.collation == q.collation
    };
    a.parts.len() == b.parts.len()
        && a.parts.iter().zip(&b.parts).all(|(p, q)| same_part(p, q))
        && a.unique == b.unique
        && a.constraint == b.constraint
        && match (&a.predicate, &b.predicate) {
            (Some(x), Some(y)) => same_expr(dialect, x, y),
            (x, y) => x == y,
        }
        && a.method == b.method
}

fn same_fk(a: &ForeignKey, b: &ForeignKey) -> bool {
    ForeignKey {
        name: String::new(),
        ..a.clone()
    } == ForeignKey {
        name: String::new(),
        ..b.clone()
    }
}

/// Two expressions are the same when their text is, or their canonical forms are (the
/// catalog respells what it stores: casts, parentheses, quotes).
fn same_expr(dialect: Dialect, a: &str, b: &str) -> bool {
    a == b || canonical(dialect, a) == canonical(dialect, b)
}
