//! Table constraints — PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK and MySQL's inline
//! KEY / INDEX / FULLTEXT / SPATIAL — into the model. Column-level constraints arrive here too,
//! already rewritten into this form.

use super::{Reader, index, names};
use crate::error::Error;
use sqlparser::ast::{
    CheckConstraint, ConstraintCharacteristics, ConstraintReferenceMatchKind, DeferrableInitial,
    ForeignKeyConstraint, FullTextOrSpatialConstraint, IndexConstraint, NullsDistinctOption,
    PrimaryKeyConstraint, ReferentialAction as Action, Spanned, TableConstraint, UniqueConstraint,
};
use strata_schema::{
    Check, Deferrable, Dialect, ForeignKey, Index, PrimaryKey, ReferentialAction, Table,
};

/// Add the constraint `c` to `table`, which lives in `schema`.
pub fn add(r: &Reader, schema: &str, table: &mut Table, c: &TableConstraint) -> Result<(), Error> {
    match c {
        TableConstraint::PrimaryKey(pk) => primary_key(r, table, pk),
        TableConstraint::Unique(u) => unique(r, table, u),
        TableConstraint::ForeignKey(fk) => foreign_key(r, schema, table, fk),
        TableConstraint::Check(check) => add_check(r, table, check),
        TableConstraint::Index(ix) => key(r, table, ix),
        TableConstraint::FulltextOrSpatial(ix) => fulltext_or_spatial(r, table, ix),
        _ => Err(r.error(c.span(), format!("unsupported table constraint `{c}`"))),
    }
}

fn unsupported_clause(
    r: &Reader,
    c: &dyn std::fmt::Display,
    span: sqlparser::tokenizer::Span,
    what: &str,
) -> Error {
    r.error(
        span,
        format!("unsupported {what} in `{c}`: the schema model cannot hold it"),
    )
}

fn primary_key(r: &Reader, table: &mut Table, pk: &PrimaryKeyConstraint) -> Result<(), Error> {
    if pk.index_name.is_some() || pk.index_type.is_some() || !pk.index_options.is_empty() {
        return Err(unsupported_clause(r, pk, pk.span(), "index name or method"));
    }
    if !pk.include.is_empty() || pk.characteristics.is_some() {
        return Err(unsupported_clause(
            r,
            pk,
            pk.span(),
            "INCLUDE or DEFERRABLE",
        ));
    }
    let columns = index::plain_columns(r, table, &pk.columns)?;
    if table.primary_key.is_some() {
        return Err(r.error(
            pk.span(),
            format!("table {} has more than one primary key", table.name),
        ));
    }
    // PostgreSQL and MySQL make key columns NOT NULL; SQLite keeps them nullable (a legacy
    // quirk its documentation keeps for compatibility).
    if r.dialect != Dialect::Sqlite {
        for column in table
            .columns
            .iter_mut()
            .filter(|c| columns.contains(&c.name))
        {
            column.nullable = false;
        }
    }
    table.primary_key = Some(PrimaryKey {
        name: pk.name.as_ref().map(|n| r.ident(n)),
        columns,
    });
    Ok(())
}

fn unique(r: &Reader, table: &mut Table, u: &UniqueConstraint) -> Result<(), Error> {
    if !u.include.is_empty()
        || u.characteristics.is_some()
        || u.nulls_distinct == NullsDistinctOption::NotDistinct
    {
        return Err(unsupported_clause(
            r,
            u,
            u.span(),
            "INCLUDE, DEFERRABLE or NULLS NOT DISTINCT",
        ));
    }
    let name = u
        .index_name
        .as_ref()
        .or(u.name.as_ref())
        .map(|n| r.ident(n))
        .unwrap_or_default();
    let mut idx = Index {
        name,
        parts: index::parts(r, table, &u.columns)?,
        unique: true,
        constraint: true,
        method: u.index_type.as_ref().map(|t| index::method(r.dialect, t)),
        ..index::empty()
    };
    index::apply_options(r.dialect, &mut idx, &u.index_options);
    index::push(r, table, idx, u.span())
}

fn key(r: &Reader, table: &mut Table, ix: &IndexConstraint) -> Result<(), Error> {
    let mut idx = Index {
        name: ix.name.as_ref().map(|n| r.ident(n)).unwrap_or_default(),
        parts: index::parts(r, table, &ix.columns)?,
        method: ix.index_type.as_ref().map(|t| index::method(r.dialect, t)),
        ..index::empty()
    };
    index::apply_options(r.dialect, &mut idx, &ix.index_options);
    index::push(r, table, idx, ix.span())
}

fn fulltext_or_spatial(
    r: &Reader,
    table: &mut Table,
    ix: &FullTextOrSpatialConstraint,
) -> Result<(), Error> {
    let idx = Index {
        name: ix
            .opt_index_name
            .as_ref()
            .map(|n| r.ident(n))
            .unwrap_or_default(),
        parts: index::parts(r, table, &ix.columns)?,
        method: Some(if ix.fulltext { "FULLTEXT" } else { "SPATIAL" }.to_string()),
        ..index::empty()
    };
    index::push(r, table, idx, ix.span())
}

fn add_check(r: &Reader, table: &mut Table, check: &CheckConstraint) -> Result<(), Error> {
    if check.no_inherit || check.enforced == Some(false) {
        return Err(unsupported_clause(
            r,
            check,
            check.span(),
            "NO INHERIT or NOT ENFORCED",
        ));
    }
    let name = check.name.as_ref().map(|n| r.ident(n)).unwrap_or_default();
    if !name.is_empty() && table.checks.iter().any(|c| c.name == name) {
        return Err(r.error(
            check.span(),
            format!("check {name} is defined twice in table {}", table.name),
        ));
    }
    table.checks.push(Check {
        name,
        expr: check.expr.to_string(),
    });
    Ok(())
}

fn foreign_key(
    r: &Reader,
    schema: &str,
    table: &mut Table,
    fk: &ForeignKeyConstraint,
) -> Result<(), Error> {
    if fk.index_name.is_some() {
        return Err(unsupported_clause(r, fk, fk.span(), "index name"));
    }
    if fk
        .match_kind
        .is_some_and(|m| m != ConstraintReferenceMatchKind::Simple)
    {
        return Err(unsupported_clause(r, fk, fk.span(), "MATCH FULL / PARTIAL"));
    }
    let columns = names::idents(r.dialect, &fk.columns);
    for (column, ident) in columns.iter().zip(&fk.columns) {
        if table.column(column).is_none() {
            return Err(r.error(
                ident.span,
                format!("unknown column {column} in table {}", table.name),
            ));
        }
    }
    let ref_columns = names::idents(r.dialect, &fk.referred_columns);
    if !ref_columns.is_empty() && ref_columns.len() != columns.len() {
        return Err(r.error(
            fk.span(),
            format!(
                "foreign key has {} columns but references {}",
                columns.len(),
                ref_columns.len()
            ),
        ));
    }
    let (ref_schema, ref_table) = r.qualified(&fk.foreign_table)?;
    table.foreign_keys.push(ForeignKey {
        name: fk.name.as_ref().map(|n| r.ident(n)).unwrap_or_default(),
        columns,
        ref_schema: (ref_schema != schema).then_some(ref_schema),
        ref_table,
        // Empty means "the referenced table's primary key", resolved once every source is read.
        ref_columns,
        on_delete: action(fk.on_delete),
        on_update: action(fk.on_update),
        deferrable: deferrable(r, fk)?,
    });
    Ok(())
}

fn action(a: Option<Action>) -> ReferentialAction {
    match a {
        None | Some(Action::NoAction) => ReferentialAction::NoAction,
        Some(Action::Restrict) => ReferentialAction::Restrict,
        Some(Action::Cascade) => ReferentialAction::Cascade,
        Some(Action::SetNull) => ReferentialAction::SetNull,
        Some(Action::SetDefault) => ReferentialAction::SetDefault,
    }
}

/// `INITIALLY DEFERRED` implies `DEFERRABLE` (PostgreSQL and SQLite agree).
fn deferrable(r: &Reader, fk: &ForeignKeyConstraint) -> Result<Deferrable, Error> {
    let Some(ConstraintCharacteristics {
        deferrable,
        initially,
        enforced,
    }) = fk.characteristics
    else {
        return Ok(Deferrable::NotDeferrable);
    };
    if enforced == Some(false) {
        return Err(unsupported_clause(r, fk, fk.span(), "NOT ENFORCED"));
    }
    Ok(match (deferrable, initially) {
        (_, Some(DeferrableInitial::Deferred)) => Deferrable::InitiallyDeferred,
        (Some(true), _) => Deferrable::InitiallyImmediate,
        _ => Deferrable::NotDeferrable,
    })
}
