//! Indexes: CREATE [UNIQUE] INDEX, and the key parts shared with inline keys and UNIQUE
//! constraints (columns or expressions, DESC, operator class, collation, MySQL prefix length).

use super::{Reader, column};
use crate::error::Error;
use sqlparser::ast::{
    CreateIndex, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, IndexColumn, IndexOption,
    IndexType, OrderBySort, Spanned, Value,
};
use sqlparser::tokenizer::Span;
use strata_schema::{Dialect, Index, IndexKey, IndexPart, Table};

/// An index with no name, no parts and nothing set: the base the constructors fill in.
pub fn empty() -> Index {
    Index {
        name: String::new(),
        parts: Vec::new(),
        unique: false,
        constraint: false,
        predicate: None,
        method: None,
        comment: None,
    }
}

/// `CREATE [UNIQUE] INDEX [name] ON table [USING method] (parts) [WHERE predicate]`.
pub fn create(r: &mut Reader, create: &CreateIndex) -> Result<(), Error> {
    if !create.include.is_empty()
        || create.nulls_distinct == Some(false)
        || !create.with.is_empty()
        || !create.alter_options.is_empty()
        || create.r#async
    {
        return Err(r.error(r.statement, "unsupported INCLUDE, NULLS NOT DISTINCT, WITH (…) or index option: the schema model cannot hold it"));
    }
    let name = match &create.name {
        None => String::new(),
        Some(name) => match super::names::parts(r.dialect, name).as_deref() {
            Some([name]) => name.clone(),
            _ => {
                return Err(r.error(
                    name.span(),
                    format!("an index name is not schema-qualified: {name}"),
                ));
            }
        },
    };
    let (schema, mut table) = r.take_table(&create.table_name)?;
    let mut idx = Index {
        name,
        parts: parts(r, &table, &create.columns)?,
        unique: create.unique,
        predicate: create.predicate.as_ref().map(ToString::to_string),
        method: create.using.as_ref().map(|t| method(r.dialect, t)),
        ..empty()
    };
    apply_options(r.dialect, &mut idx, &create.index_options);
    push(r, &mut table, idx, r.statement)?;
    r.put_table(&schema, table);
    Ok(())
}

/// Add `idx` to `table`, refusing a second index of the same name.
pub fn push(r: &Reader, table: &mut Table, idx: Index, span: Span) -> Result<(), Error> {
    if !idx.name.is_empty() && table.indexes.iter().any(|i| i.name == idx.name) {
        return Err(r.error(
            span,
            format!(
                "index {} is defined twice on table {}",
                idx.name, table.name
            ),
        ));
    }
    table.indexes.push(idx);
    Ok(())
}

/// The access method as the dialect's catalog reports it: MySQL upper case (`BTREE`,
/// `HASH`), PostgreSQL and SQLite lower case (`btree`, `gin`).
pub fn method(dialect: Dialect, t: &IndexType) -> String {
    let name = match t {
        IndexType::Custom(ident) => ident.value.clone(),
        other => other.to_string(),
    };
    match dialect {
        Dialect::Mysql => name.to_uppercase(),
        _ => name.to_lowercase(),
    }
}

/// MySQL's trailing index options: `USING BTREE`, `COMMENT '…'`.
pub fn apply_options(dialect: Dialect, idx: &mut Index, options: &[IndexOption]) {
    for option in options {
        match option {
            IndexOption::Using(t) => idx.method = Some(method(dialect, t)),
            IndexOption::Comment(c) => idx.comment = Some(c.clone()),
        }
    }
}

/// Key columns that must be plain column names (a primary key).
pub fn plain_columns(
    r: &Reader,
    table: &Table,
    columns: &[IndexColumn],
) -> Result<Vec<String>, Error> {
    let parts = parts(r, table, columns)?;
    parts
        .into_iter()
        .zip(columns)
        .map(|(part, c)| match part {
            IndexPart {
                key: IndexKey::Column(name),
                desc: false,
                length: None,
                opclass: None,
                collation: None,
            } => Ok(name),
            _ => Err(r.error(c.span(), "a primary key takes plain column names")),
        })
        .collect()
}

/// The parts of an index over `table`; named columns must exist in it.
pub fn parts(r: &Reader, table: &Table, columns: &[IndexColumn]) -> Result<Vec<IndexPart>, Error> {
    columns.iter().map(|c| part(r, table, c)).collect()
}

fn part(r: &Reader, table: &Table, c: &IndexColumn) -> Result<IndexPart, Error> {
    let order = &c.column;
    if order.options.nulls_first.is_some() || order.with_fill.is_some() {
        return Err(r.error(
            c.span(),
            "NULLS FIRST / LAST in an index is not part of the schema model",
        ));
    }
    let desc = match &order.options.sort {
        None | Some(OrderBySort::Asc) => false,
        Some(OrderBySort::Desc) => true,
        Some(OrderBySort::Using(_)) => {
            return Err(r.error(
                c.span(),
                "USING <operator> in an index key is not supported",
            ));
        }
    };
    let (expr, collation) = match &order.expr {
        Expr::Collate { expr, collation } => {
            (expr.as_ref(), Some(column::qualified_name(r, collation)?))
        }
        e => (e, None),
    };
    let (key, length) = key(r, expr);
    if let IndexKey::Column(name) = &key
        && table.column(name).is_none()
    {
        return Err(r.error(
            expr.span(),
            format!("unknown column {name} in table {}", table.name),
        ));
    }
    let opclass = c
        .operator_class
        .as_ref()
        .map(|o| column::qualified_name(r, o))
        .transpose()?;
    Ok(IndexPart {
        key,
        desc,
        length,
        opclass,
        collation,
    })
}

/// A key is a column when it names one (also in parentheses, which PostgreSQL simplifies to
/// the column), a MySQL prefix `col(10)`, and otherwise an expression.
fn key(r: &Reader, expr: &Expr) -> (IndexKey, Option<u32>) {
    let mut inner = expr;
    while let Expr::Nested(e) = inner {
        inner = e;
    }
    match inner {
        Expr::Identifier(ident) => (IndexKey::Column(r.ident(ident)), None),
        Expr::Function(f) if r.dialect == Dialect::Mysql => {
            if let ([part], Some(length)) = (f.name.0.as_slice(), prefix_length(&f.args))
                && let Some(ident) = part.as_ident()
            {
                return (IndexKey::Column(r.ident(ident)), Some(length));
            }
            (IndexKey::Expr(inner.to_string()), None)
        }
        _ => (IndexKey::Expr(inner.to_string()), None),
    }
}

/// The `10` of MySQL's `email(10)`.
fn prefix_length(args: &FunctionArguments) -> Option<u32> {
    let FunctionArguments::List(list) = args else {
        return None;
    };
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))]
            if list.clauses.is_empty() =>
        {
            match &v.value {
                Value::Number(n, _) => n.parse().ok(),
                _ => None,
            }
        }
        _ => None,
    }
}
