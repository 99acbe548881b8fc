//! The SQL DDL source: reads `.sql` text in the target dialect into the schema model.
//!
//! What it takes: CREATE TABLE (every column option and table constraint the model can hold),
//! CREATE [UNIQUE] INDEX, CREATE TYPE … AS ENUM, ALTER TABLE … ADD COLUMN / ADD CONSTRAINT,
//! COMMENT ON TABLE / COLUMN / INDEX, CREATE SCHEMA. Anything else is an error at its
//! file:line:column: a desired schema that silently lost a clause would plan the wrong change.
//!
//! What it ignores, because it describes no schema object: `SET …` (except `SET search_path`,
//! which PostgreSQL files use to say where unqualified names go, and MySQL's `USE db`, which
//! does the same), `BEGIN`/`START TRANSACTION`/`COMMIT`, comments, SQLite `PRAGMA`, and
//! `CREATE EXTENSION`. Extensions are accepted and not managed: they are installed once per
//! database by an administrator, and a schema file that creates one (`uuid-ossp`, `citext`)
//! must still load. A type an absent extension provides fails at apply with the server's
//! message.
//!
//! Names that the database would choose (unnamed keys, indexes, checks) are left empty here;
//! the dialect's normalize pass fills them in the way the database does.

mod alter;
mod column;
mod constraint;
mod index;
mod names;
mod split;
mod table;
#[cfg(test)]
mod tests;

use super::origin::{Key, Loaded, Origin};
use crate::error::{Error, Located, offset_of};
use sqlparser::ast::{Expr, Ident, ObjectName, SchemaName, Set, Spanned, Statement, Use, Value};
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Span, Token};
use std::path::Path;
use strata_schema::{Dialect, EnumType, Table};

/// Read the DDL `text` from `file` (a path or `data.external_schema.<name>`) into `into`.
/// Unqualified names go to `default_schema`.
pub fn read(
    file: &str,
    text: &str,
    dialect: Dialect,
    default_schema: &str,
    into: &mut Loaded,
) -> Result<(), Error> {
    let parser_dialect: Box<dyn SqlDialect> = match dialect {
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
    };
    let mut reader = Reader {
        file,
        text,
        dialect,
        schema: default_schema.to_string(),
        out: into,
        statement: Span::empty(),
    };
    // One statement at a time: only its tokens and its syntax tree are alive while it is read.
    for chunk in split::statements(parser_dialect.as_ref(), text, dialect == Dialect::Sqlite) {
        let chunk = chunk.map_err(|e| reader.syntax_error(e))?;
        reader.statement = chunk.span();
        let end = chunk.span().end;
        let mut parser =
            Parser::new(parser_dialect.as_ref()).with_tokens_with_locations(chunk.tokens.clone());
        let statement = parser.parse_statement().map_err(|e| {
            let e = split::parser_error(e, end);
            column::on_update_outside_mysql(&reader, &chunk.tokens, &e)
                .unwrap_or_else(|| reader.syntax_error(e))
        })?;
        let next = parser.peek_token();
        if next.token != Token::EOF {
            return Err(reader.error(
                next.span,
                format!(
                    "syntax error: expected the end of the statement, found {}",
                    next.token
                ),
            ));
        }
        reader.statement(&statement, &chunk)?;
    }
    Ok(())
}

/// Reader holds what every statement handler needs: where the text came from (for errors),
/// the dialect, the current default schema and the schema being built.
pub(super) struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    dialect: Dialect,
    /// Schema of unqualified names; `SET search_path` and `USE` change it for what follows.
    schema: String,
    out: &'a mut Loaded,
    /// The statement being read: where errors point when a node has no span of its own.
    statement: Span,
}

impl Reader<'_> {
    /// An error at `span` (or at the current statement when the node has no span).
    fn error(&self, span: Span, message: impl Into<String>) -> Error {
        let span = if span.start.line == 0 {
            self.statement
        } else {
            span
        };
        let at = |l: sqlparser::tokenizer::Location| {
            offset_of(self.text, l.line as usize, l.column as usize)
        };
        let (start, end) = (at(span.start), at(span.end));
        Located::at(
            Path::new(self.file),
            self.text,
            start,
            end.saturating_sub(start),
            message,
        )
        .into()
    }

    fn syntax_error(&self, e: split::SyntaxError) -> Error {
        let span = Span::new(e.location, e.location);
        self.error(span, format!("syntax error: {}", e.message))
    }

    /// Where the current statement starts, recorded as the origin of what it defines.
    fn origin(&self) -> Origin {
        Origin {
            file: self.file.to_string(),
            line: self.statement.start.line as usize,
            column: self.statement.start.column as usize,
        }
    }

    fn ident(&self, ident: &Ident) -> String {
        names::ident(self.dialect, ident)
    }

    /// Split `name` into (schema, object): unqualified names belong to the current schema.
    fn qualified(&self, name: &ObjectName) -> Result<Key, Error> {
        match names::parts(self.dialect, name).as_deref() {
            Some([object]) => Ok((self.schema.clone(), object.clone())),
            Some([schema, object]) => Ok((schema.clone(), object.clone())),
            _ => Err(self.error(
                name.span(),
                format!("expected a name or schema.name, found {name}"),
            )),
        }
    }

    /// Take the table called `name` out of the schema being built, to change it; give it back
    /// with [`Reader::put_table`]. Unknown tables are an error at `name`.
    fn take_table(&mut self, name: &ObjectName) -> Result<(String, Table), Error> {
        let (schema, table) = self.qualified(name)?;
        let found = self
            .out
            .database
            .schemas
            .get_mut(&schema)
            .and_then(|s| s.tables.remove(&table));
        match found {
            Some(t) => Ok((schema, t)),
            None => Err(self.error(
                name.span(),
                format!("unknown table {schema}.{table}: create it before this statement"),
            )),
        }
    }

    fn put_table(&mut self, schema: &str, table: Table) {
        self.out
            .database
            .schema_mut(schema)
            .tables
            .insert(table.name.clone(), table);
    }

    /// Add a new table, refusing a second definition of the same name.
    fn add_table(&mut self, schema: String, table: Table, name: &ObjectName) -> Result<(), Error> {
        let key = (schema, table.name.clone());
        if let Some(first) = self.out.tables.get(&key) {
            return Err(self.error(
                name.span(),
                format!("table {}.{} is already defined at {first}", key.0, key.1),
            ));
        }
        self.out.tables.insert(key.clone(), self.origin());
        self.put_table(&key.0, table);
        Ok(())
    }

    fn statement(&mut self, statement: &Statement, chunk: &split::Chunk) -> Result<(), Error> {
        match statement {
            Statement::CreateTable(create) => table::create(self, create, &chunk.sqlite_options),
            Statement::CreateIndex(create) => index::create(self, create),
            Statement::AlterTable(alter) => alter::alter_table(self, alter),
            Statement::Comment {
                object_type,
                object_name,
                comment,
                ..
            } => alter::comment(self, *object_type, object_name, comment.clone()),
            Statement::CreateType {
                name,
                representation,
            } => self.create_enum(name, representation.as_ref()),
            Statement::CreateSchema {
                schema_name,
                with,
                options,
                default_collate_spec,
                clone,
                ..
            } => {
                let plain = with.is_none()
                    && options.is_none()
                    && default_collate_spec.is_none()
                    && clone.is_none();
                self.create_schema(schema_name, plain)
            }
            Statement::Set(set) => {
                self.set(set);
                Ok(())
            }
            Statement::Use(Use::Object(name) | Use::Database(name) | Use::Schema(name))
                if self.dialect == Dialect::Mysql =>
            {
                self.schema = self.qualified(name)?.1;
                Ok(())
            }
            Statement::StartTransaction { .. } | Statement::Commit { .. } => Ok(()),
            Statement::CreateExtension(_) if self.dialect == Dialect::Postgres => Ok(()),
            other => Err(self.error(chunk.head(), unsupported_statement(other))),
        }
    }

    fn create_enum(
        &mut self,
        name: &ObjectName,
        representation: Option<&sqlparser::ast::UserDefinedTypeRepresentation>,
    ) -> Result<(), Error> {
        use sqlparser::ast::UserDefinedTypeRepresentation as Repr;
        let labels = match representation {
            Some(Repr::Enum { labels }) if self.dialect == Dialect::Postgres => labels,
            _ => {
                return Err(self.error(
                    self.statement,
                    "CREATE TYPE is supported only as a PostgreSQL enum: CREATE TYPE name AS ENUM ('a', 'b')",
                ));
            }
        };
        let key = self.qualified(name)?;
        if let Some(first) = self.out.enums.get(&key) {
            return Err(self.error(
                name.span(),
                format!("type {}.{} is already defined at {first}", key.0, key.1),
            ));
        }
        let values = labels.iter().map(|l| l.value.clone()).collect();
        self.out.enums.insert(key.clone(), self.origin());
        self.out.database.schema_mut(&key.0).enums.insert(
            key.1.clone(),
            EnumType {
                name: key.1,
                values,
            },
        );
        Ok(())
    }

    fn create_schema(&mut self, name: &SchemaName, plain: bool) -> Result<(), Error> {
        match name {
            SchemaName::Simple(name) if plain && self.dialect != Dialect::Sqlite => {
                let parts = names::parts(self.dialect, name);
                match parts.as_deref() {
                    Some([schema]) => {
                        self.out.database.schema_mut(schema);
                        Ok(())
                    }
                    _ => Err(self.error(name.span(), format!("expected a schema name, found {name}"))),
                }
            }
            _ if self.dialect == Dialect::Sqlite => {
                Err(self.error(self.statement, "SQLite has no CREATE SCHEMA: its one schema is main"))
            }
            _ => Err(self.error(
                self.statement,
                "only CREATE SCHEMA [IF NOT EXISTS] name is supported (no AUTHORIZATION or options)",
            )),
        }
    }

    /// `SET search_path TO app, public` makes `app` the schema of unqualified names; every other
    /// setting is session state and ignored.
    fn set(&mut self, set: &Set) {
        if let Set::SingleAssignment {
            variable, values, ..
        } = set
            && self.dialect == Dialect::Postgres
            && variable.to_string().eq_ignore_ascii_case("search_path")
        {
            let first = match values.first() {
                Some(Expr::Identifier(ident)) => Some(self.ident(ident)),
                Some(Expr::Value(v)) => match &v.value {
                    Value::SingleQuotedString(s) => Some(s.clone()),
                    _ => None,
                },
                _ => None,
            };
            if let Some(schema) = first {
                self.schema = schema;
            }
        }
    }
}

/// The message for a statement kind a schema source does not take, quoting its beginning.
fn unsupported_statement(statement: &Statement) -> String {
    let text = statement.to_string();
    let head: String = text.chars().take(60).collect();
    let ellipsis = if head.len() < text.len() { "…" } else { "" };
    format!(
        "unsupported statement `{head}{ellipsis}`: a schema source takes CREATE TABLE, CREATE INDEX, \
         CREATE TYPE … AS ENUM, ALTER TABLE … ADD, COMMENT ON and CREATE SCHEMA"
    )
}
