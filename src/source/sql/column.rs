//! One column definition: type, nullability, default, identity or generated expression,
//! MySQL's ON UPDATE, collation and comment, plus the constraints written on the column. Those are rewritten into
//! their table-level form and handed to [`constraint::add`], so `id int PRIMARY KEY` and
//! `PRIMARY KEY (id)` become the same model object by construction.

use super::split::SyntaxError;
use super::{Reader, constraint, names};
use crate::error::Error;
use sqlparser::ast::{
    ArrayElemTypeDef, CheckConstraint, ColumnDef, ColumnOption, ColumnOptionDef, DataType,
    ForeignKeyConstraint, GeneratedAs, GeneratedExpressionMode, IndexColumn, ObjectName,
    PrimaryKeyConstraint, Spanned, TableConstraint, UniqueConstraint,
};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan};
use strata_schema::{Column, Dialect, Generated, Identity, Table, Type};

/// PostgreSQL's serial pseudo-types: an integer column plus an owned sequence.
const SERIALS: &[&str] = &[
    "serial",
    "serial4",
    "bigserial",
    "serial8",
    "smallserial",
    "serial2",
];

/// Add the column `def` to `table` (in `schema`) at `position` (the end when `None`), with the
/// constraints written on it.
pub fn add(
    r: &Reader,
    schema: &str,
    table: &mut Table,
    def: &ColumnDef,
    position: Option<usize>,
) -> Result<(), Error> {
    let name = r.ident(&def.name);
    if table.column(&name).is_some() {
        return Err(r.error(
            def.name.span,
            format!("column {name} is defined twice in table {}", table.name),
        ));
    }
    let (ty, serial) = column_type(r, schema, &def.data_type)?;
    let mut column = Column::new(&name, ty);
    if serial {
        column.identity = Some(Identity::Serial);
        column.nullable = false;
    }
    let mut constraints = Vec::new();
    let mut charset = None;
    for option in &def.options {
        match &option.option {
            ColumnOption::Null => column.nullable = true,
            ColumnOption::NotNull => column.nullable = false,
            ColumnOption::Default(expr) => column.default = Some(expr.to_string()),
            ColumnOption::Collation(c) => column.collation = Some(qualified_name(r, c)?),
            ColumnOption::CharacterSet(c) => charset = Some(c),
            ColumnOption::Comment(text) => column.comment = Some(text.clone()),
            ColumnOption::DialectSpecific(tokens) if is_auto_increment(r.dialect, tokens) => {
                column.identity = Some(Identity::AutoIncrement);
            }
            ColumnOption::Generated {
                generated_as,
                sequence_options,
                generation_expr,
                generation_expr_mode,
                ..
            } => match generation_expr {
                None if sequence_options.as_ref().is_some_and(|o| !o.is_empty()) => {
                    return Err(r.error(option.span(), "identity sequence options (START WITH, INCREMENT BY …) are not part of the schema model; remove them"));
                }
                None => {
                    column.identity = Some(Identity::Generated {
                        always: *generated_as == GeneratedAs::Always,
                    });
                    column.nullable = false;
                }
                Some(expr) => {
                    let stored = *generated_as == GeneratedAs::ExpStored
                        || *generation_expr_mode == Some(GeneratedExpressionMode::Stored);
                    column.generated = Some(Generated {
                        expr: expr.to_string(),
                        stored,
                    });
                }
            },
            ColumnOption::OnUpdate(expr) => column.on_update = Some(expr.to_string()),
            _ => match table_level(r, def, option) {
                Some(c) => constraints.push(c),
                None => {
                    return Err(r.error(
                        option.span(),
                        format!("unsupported column option `{option}`"),
                    ));
                }
            },
        }
    }
    if let Some(charset) = charset
        && column.collation.is_none()
    {
        return Err(r.error(charset.span(), "CHARACTER SET needs a COLLATE beside it: the collation decides the character set, and it is what Strata compares"));
    }
    match position {
        Some(at) => table.columns.insert(at.min(table.columns.len()), column),
        None => table.columns.push(column),
    }
    for c in &constraints {
        constraint::add(r, schema, table, c)?;
    }
    Ok(())
}

/// A column-level PRIMARY KEY, UNIQUE, REFERENCES or CHECK as its table-level constraint;
/// `None` for any other option.
///
/// MariaDB names an unnamed column-level CHECK after its column (and a table-level one
/// `CONSTRAINT_n`). The model cannot tell the two forms apart once they are checks of the
/// table, so the column's name is given here, where the form is still known.
fn table_level(r: &Reader, def: &ColumnDef, option: &ColumnOptionDef) -> Option<TableConstraint> {
    let column = def.name.clone();
    let name = option.name.clone();
    Some(match &option.option {
        ColumnOption::PrimaryKey(pk) => TableConstraint::PrimaryKey(PrimaryKeyConstraint {
            name: name.or(pk.name.clone()),
            columns: vec![IndexColumn::from(column)],
            ..pk.clone()
        }),
        ColumnOption::Unique(u) => TableConstraint::Unique(UniqueConstraint {
            name: name.or(u.name.clone()),
            columns: vec![IndexColumn::from(column)],
            ..u.clone()
        }),
        ColumnOption::ForeignKey(fk) => TableConstraint::ForeignKey(ForeignKeyConstraint {
            name: name.or(fk.name.clone()),
            columns: vec![column],
            ..fk.clone()
        }),
        ColumnOption::Check(c) => {
            let mariadb_name = (r.dialect == Dialect::Mysql).then_some(column);
            TableConstraint::Check(CheckConstraint {
                name: name.or(c.name.clone()).or(mariadb_name),
                ..c.clone()
            })
        }
        _ => return None,
    })
}

/// The error for a column's `ON UPDATE` in PostgreSQL or SQLite DDL, when that is where the
/// parser stopped with `error`. sqlparser only knows the clause in MySQL; elsewhere it reads
/// `ON UPDATE`, declines it, and stops at the expression after it with "expected ',' or ')'
/// after column definition", which does not say that the clause itself is the problem. (A
/// foreign key's `ON UPDATE` action fails with another message, so it is never taken for this.)
pub fn on_update_outside_mysql(
    r: &Reader,
    tokens: &[TokenWithSpan],
    error: &SyntaxError,
) -> Option<Error> {
    if r.dialect == Dialect::Mysql || !error.message.contains("after column definition") {
        return None;
    }
    let at = tokens.iter().position(|t| t.span.start == error.location)?;
    let [on, update] = tokens.get(at.checked_sub(2)?..at)? else {
        return None;
    };
    let is = |t: &TokenWithSpan, k: Keyword| matches!(&t.token, Token::Word(w) if w.keyword == k);
    if !is(on, Keyword::ON) || !is(update, Keyword::UPDATE) {
        return None;
    }
    Some(r.error(
        on.span.union(&update.span),
        "ON UPDATE is MySQL only: PostgreSQL and SQLite have no column ON UPDATE clause (a trigger does that there)",
    ))
}

/// MySQL's `AUTO_INCREMENT` and SQLite's `AUTOINCREMENT`, each only in its own dialect.
fn is_auto_increment(dialect: Dialect, tokens: &[Token]) -> bool {
    let expected = match dialect {
        Dialect::Mysql => Keyword::AUTO_INCREMENT,
        Dialect::Sqlite => Keyword::AUTOINCREMENT,
        Dialect::Postgres => return false,
    };
    matches!(tokens, [Token::Word(w)] if w.keyword == expected)
}

/// The model type of a declared type, and whether it is a PostgreSQL serial.
fn column_type(r: &Reader, schema: &str, data_type: &DataType) -> Result<(Type, bool), Error> {
    match data_type {
        DataType::Array(
            ArrayElemTypeDef::SquareBracket(element, _)
            | ArrayElemTypeDef::Qualified(element, _)
            | ArrayElemTypeDef::AngleBracket(element)
            | ArrayElemTypeDef::Parenthesis(element),
        ) => {
            let (element, serial) = column_type(r, schema, element)?;
            if serial {
                return Err(r.error(r.statement, "an array of serial is not a type"));
            }
            Ok((
                Type::Array {
                    element: Box::new(element),
                },
                false,
            ))
        }
        DataType::Custom(name, modifiers) => {
            custom_type(r, schema, name, modifiers.is_empty(), data_type)
        }
        _ => Ok((Type::parse(r.dialect, &data_type.to_string()), false)),
    }
}

/// Types sqlparser does not know by name: serials, extension types and user-defined types.
/// A user-defined name keeps the case the database stores (`"Role"` stays `Role`), and drops a
/// schema qualifier equal to the table's own schema.
fn custom_type(
    r: &Reader,
    schema: &str,
    name: &ObjectName,
    bare: bool,
    data_type: &DataType,
) -> Result<(Type, bool), Error> {
    let parts = names::parts(r.dialect, name)
        .ok_or_else(|| r.error(name.span(), format!("unsupported type {name}")))?;
    if let [single] = parts.as_slice()
        && bare
        && SERIALS.contains(&single.to_lowercase().as_str())
    {
        if r.dialect != Dialect::Postgres {
            return Err(r.error(
                name.span(),
                format!(
                    "{single} is a PostgreSQL type; use an integer type with {}",
                    auto_increment_word(r.dialect)
                ),
            ));
        }
        return Ok((Type::parse(Dialect::Postgres, single), true));
    }
    match Type::parse(r.dialect, &data_type.to_string()) {
        Type::UserDefined { .. } => {
            let name = match parts.as_slice() {
                [s, n] if s == schema => n.clone(),
                _ => parts.join("."),
            };
            Ok((Type::UserDefined { name }, false))
        }
        other => Ok((other, false)),
    }
}

fn auto_increment_word(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "AUTOINCREMENT",
        _ => "AUTO_INCREMENT",
    }
}

/// A possibly qualified name (a collation, an operator class) as the database stores it.
pub fn qualified_name(r: &Reader, name: &ObjectName) -> Result<String, Error> {
    names::parts(r.dialect, name)
        .map(|p| p.join("."))
        .ok_or_else(|| r.error(name.span(), format!("expected a name, found {name}")))
}
