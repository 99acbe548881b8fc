//! ALTER TABLE … ADD COLUMN / ADD CONSTRAINT, and COMMENT ON: statements that complete a table
//! created earlier in the same source (the way pg_dump and ORMs split DDL).

use super::{Reader, column, constraint};
use crate::error::Error;
use sqlparser::ast::{
    AlterTable, AlterTableOperation, CommentObject, MySQLColumnPosition, ObjectName, Spanned,
};

/// Apply the ADD operations of `alter` to its table.
pub fn alter_table(r: &mut Reader, alter: &AlterTable) -> Result<(), Error> {
    if alter.location.is_some() || alter.on_cluster.is_some() || alter.table_type.is_some() {
        return Err(r.error(r.statement, "unsupported ALTER TABLE form"));
    }
    let (schema, mut table) = r.take_table(&alter.name)?;
    for operation in &alter.operations {
        match operation {
            AlterTableOperation::AddConstraint {
                constraint,
                not_valid: false,
            } => {
                constraint::add(r, &schema, &mut table, constraint)?;
            }
            AlterTableOperation::AddColumn {
                if_not_exists,
                column_def,
                column_position,
                ..
            } => {
                if *if_not_exists && table.column(&r.ident(&column_def.name)).is_some() {
                    continue;
                }
                let position = match column_position {
                    None => None,
                    Some(MySQLColumnPosition::First) => Some(0),
                    Some(MySQLColumnPosition::After(after)) => {
                        let name = r.ident(after);
                        let at = table.columns.iter().position(|c| c.name == name);
                        match at {
                            Some(at) => Some(at + 1),
                            None => {
                                return Err(r.error(
                                    after.span,
                                    format!("unknown column {name} in table {}", table.name),
                                ));
                            }
                        }
                    }
                };
                column::add(r, &schema, &mut table, column_def, position)?;
            }
            other => {
                return Err(r.error(
                    other.span(),
                    format!("unsupported `ALTER TABLE … {other}`: a schema source takes ADD COLUMN and ADD CONSTRAINT"),
                ));
            }
        }
    }
    r.put_table(&schema, table);
    Ok(())
}

/// `COMMENT ON TABLE t | COLUMN t.c | INDEX i IS '…' | NULL`.
pub fn comment(
    r: &mut Reader,
    object: CommentObject,
    name: &ObjectName,
    text: Option<String>,
) -> Result<(), Error> {
    match object {
        CommentObject::Table => {
            let (schema, mut table) = r.take_table(name)?;
            table.comment = text;
            r.put_table(&schema, table);
            Ok(())
        }
        CommentObject::Column => {
            let Some((column, table_parts)) = name.0.split_last() else {
                return Err(r.error(name.span(), "expected table.column"));
            };
            let column = column
                .as_ident()
                .map(|i| r.ident(i))
                .filter(|_| !table_parts.is_empty())
                .ok_or_else(|| {
                    r.error(name.span(), format!("expected table.column, found {name}"))
                })?;
            let (schema, mut table) = r.take_table(&ObjectName(table_parts.to_vec()))?;
            match table.column_mut(&column) {
                Some(c) => c.comment = text,
                None => {
                    return Err(r.error(
                        name.span(),
                        format!("unknown column {column} in table {}", table.name),
                    ));
                }
            }
            r.put_table(&schema, table);
            Ok(())
        }
        CommentObject::Index => comment_index(r, name, text),
        other => Err(r.error(
            r.statement,
            format!("COMMENT ON {other} is not supported: the schema model has no place for it"),
        )),
    }
}

/// An index comment: index names are unique per schema, so the schema is searched for it.
fn comment_index(r: &mut Reader, name: &ObjectName, text: Option<String>) -> Result<(), Error> {
    let (schema, index) = r.qualified(name)?;
    let found = r.out.database.schemas.get_mut(&schema).and_then(|s| {
        s.tables
            .values_mut()
            .flat_map(|t| t.indexes.iter_mut())
            .find(|i| i.name == index)
    });
    match found {
        Some(i) => {
            i.comment = text;
            Ok(())
        }
        None => Err(r.error(name.span(), format!("unknown index {schema}.{index}"))),
    }
}
