//! CREATE TABLE: columns, table constraints, comment and the table options the model holds.

use super::{Reader, column, constraint};
use crate::error::Error;
use sqlparser::ast::helpers::stmt_create_table::CreateTableBuilder;
use sqlparser::ast::{CommentDef, CreateTable, CreateTableOptions, Expr, SqlOption, Value};
use strata_schema::{Dialect, Table};

/// Read `create` into a new table. `sqlite_options` are the SQLite table options the splitter
/// took off the statement (`strict`, `without_rowid`).
pub fn create(r: &mut Reader, create: &CreateTable, sqlite_options: &[&str]) -> Result<(), Error> {
    reject_unsupported_clauses(r, create)?;
    let (schema, name) = r.qualified(&create.name)?;
    let mut table = Table::new(name);
    for def in &create.columns {
        column::add(r, &schema, &mut table, def, None)?;
    }
    for c in &create.constraints {
        constraint::add(r, &schema, &mut table, c)?;
    }
    if let Some(CommentDef::WithEq(text) | CommentDef::WithoutEq(text)) = &create.comment {
        table.comment = Some(text.clone());
    }
    options(r, &mut table, &create.table_options)?;
    for option in sqlite_options {
        table.options.insert(option.to_string(), "true".to_string());
    }
    r.add_table(schema, table, &create.name)
}

/// Everything in `create` beyond what this module reads must be absent: compare the statement,
/// with the parts we read cleared, to a bare CREATE TABLE of the same name. New sqlparser
/// clauses are then refused without this code knowing them.
fn reject_unsupported_clauses(r: &Reader, create: &CreateTable) -> Result<(), Error> {
    let named = [
        (create.temporary, "TEMPORARY"),
        (create.or_replace, "OR REPLACE"),
        (create.query.is_some(), "AS SELECT"),
        (create.like.is_some(), "LIKE"),
        (create.inherits.is_some(), "INHERITS"),
        (
            create.partition_of.is_some() || create.partition_by.is_some(),
            "PARTITION",
        ),
        (create.unlogged, "UNLOGGED"),
    ];
    if let Some((_, clause)) = named.iter().find(|(present, _)| *present) {
        return Err(r.error(
            r.statement,
            format!("CREATE TABLE … {clause} is not supported in a schema source"),
        ));
    }
    let mut rest = create.clone();
    rest.if_not_exists = false;
    rest.columns.clear();
    rest.constraints.clear();
    rest.comment = None;
    rest.table_options = CreateTableOptions::None;
    if rest != CreateTableBuilder::new(create.name.clone()).build() {
        return Err(r.error(
            r.statement,
            "this CREATE TABLE has a clause the schema model cannot hold",
        ));
    }
    Ok(())
}

/// MySQL table options: ENGINE, CHARSET and COLLATE go into `Table.options`, COMMENT into the
/// comment. Anything else (AUTO_INCREMENT=, ROW_FORMAT=, PostgreSQL WITH (…)) is refused.
fn options(r: &Reader, table: &mut Table, options: &CreateTableOptions) -> Result<(), Error> {
    let list = match options {
        CreateTableOptions::None => return Ok(()),
        CreateTableOptions::Plain(list) if r.dialect == Dialect::Mysql => list,
        other => return Err(r.error(r.statement, format!("unsupported table options `{other}`"))),
    };
    for option in list {
        let (key, value) = match option {
            SqlOption::Comment(CommentDef::WithEq(text) | CommentDef::WithoutEq(text)) => {
                table.comment = Some(text.clone());
                continue;
            }
            SqlOption::NamedParenthesizedList(l) if l.values.is_empty() => match &l.name {
                Some(name) => (l.key.value.to_uppercase(), name.value.clone()),
                None => {
                    return Err(
                        r.error(r.statement, format!("unsupported table option `{option}`"))
                    );
                }
            },
            SqlOption::KeyValue { key, value } => (key.value.to_uppercase(), option_value(value)),
            _ => return Err(r.error(r.statement, format!("unsupported table option `{option}`"))),
        };
        let name = match key.as_str() {
            "ENGINE" => "engine",
            "CHARSET" | "DEFAULT CHARSET" | "CHARACTER SET" | "DEFAULT CHARACTER SET" => "charset",
            "COLLATE" | "DEFAULT COLLATE" => "collation",
            _ => {
                return Err(r.error(
                    r.statement,
                    format!("unsupported table option `{option}`: the schema model holds ENGINE, CHARSET, COLLATE and COMMENT"),
                ));
            }
        };
        table.options.insert(name.to_string(), value);
    }
    Ok(())
}

/// The text of an option value: identifiers and strings unquoted.
fn option_value(value: &Expr) -> String {
    match value {
        Expr::Identifier(ident) => ident.value.clone(),
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
            other => other.to_string(),
        },
        other => other.to_string(),
    }
}
