//! Lowering: a parsed schema into the tables, keys, indexes, foreign keys and enum types
//! Prisma Migrate would create for the target dialect.

use crate::ast::Schema;
use crate::catalog::Catalog;
use crate::columns::column;
use crate::ctx::Ctx;
use crate::datasource::Datasource;
use crate::diag::{Diagnostics, Problem};
use crate::{keys, relations};
use strata_schema::{Database, Dialect, EnumType, Identity, Loaded, SourceError, Table, Type};

/// Block attributes this provider understands; others are reported and ignored. `@@ignore`
/// only hides a model from the client: Prisma Migrate still creates its table.
const BLOCK_ATTRIBUTES: &[&str] = &[
    "id", "unique", "index", "fulltext", "map", "schema", "ignore",
];

/// MySQL tables get Prisma's explicit character set and collation.
const MYSQL_CHARSET: &str = "utf8mb4";
const MYSQL_COLLATION: &str = "utf8mb4_unicode_ci";

/// The desired schema of `schema` (read from `diag`'s files) for `dialect`.
pub fn lower(
    schema: &Schema,
    mut diag: Diagnostics,
    dialect: Dialect,
    default_schema: &str,
) -> Result<Loaded, SourceError> {
    let datasource = match Datasource::read(schema, dialect, &mut diag) {
        Ok(d) => d,
        Err(p) => return Err(diag.error(p)),
    };
    let catalog = match Catalog::new(schema, default_schema) {
        Ok(c) => c,
        Err(p) => return Err(diag.error(p)),
    };
    let mut ctx = Ctx {
        dialect,
        datasource,
        catalog,
        diag,
        reported: Default::default(),
    };
    match build(&mut ctx, schema) {
        Ok(database) => Ok(Loaded {
            database,
            warnings: ctx.diag.warnings,
        }),
        Err(p) => Err(ctx.diag.error(p)),
    }
}

fn build(ctx: &mut Ctx, schema: &Schema) -> Result<Database, Problem> {
    for view in &schema.views {
        ctx.diag.warn(
            view.name.pos,
            format!(
                "view `{}` is not created by Prisma Migrate; Strata does not manage it",
                view.name.name
            ),
        );
    }
    for composite in &schema.types {
        ctx.diag.warn(
            composite.name.pos,
            format!(
                "composite type `{}` is MongoDB only; ignored",
                composite.name.name
            ),
        );
    }
    let mut tables = Vec::with_capacity(ctx.catalog.models.len());
    for m in 0..ctx.catalog.models.len() {
        tables.push(table(ctx, m)?);
    }
    let relations = relations::resolve(ctx, &tables)?;
    for (m, fk) in relations.foreign_keys {
        tables[m].foreign_keys.push(fk);
    }
    let mut db = Database::default();
    for (m, table) in tables.into_iter().enumerate() {
        let info = &ctx.catalog.models[m];
        insert(&mut db, &info.schema, table, info.ast.name.pos)?;
    }
    for ((schema_name, _), mut table) in relations.join_tables {
        mysql_options(ctx.dialect, &mut table);
        let pos = ctx.datasource.pos;
        insert(&mut db, &schema_name, table, pos)?;
    }
    if ctx.dialect == Dialect::Postgres {
        for e in &schema.enums {
            let info = ctx.catalog.enum_info(&e.name.name);
            db.schema_mut(&info.schema).enums.insert(
                info.db_name.clone(),
                EnumType {
                    name: info.db_name.clone(),
                    values: info.members.iter().map(|(_, db)| db.clone()).collect(),
                },
            );
        }
    } else if let Some(e) = schema.enums.iter().find(|e| has(&e.attributes, "schema")) {
        schema_attribute(ctx, e.name.pos)?;
    }
    Ok(db)
}

fn has(attributes: &[crate::ast::Attribute], name: &str) -> bool {
    attributes.iter().any(|a| a.name.name == name)
}

/// `@@schema` needs a database with schemas.
fn schema_attribute(ctx: &mut Ctx, pos: crate::ast::Pos) -> Result<(), Problem> {
    if ctx.dialect == Dialect::Sqlite {
        ctx.unavailable(pos, "SQLite has one schema; @@schema")?;
    }
    Ok(())
}

fn insert(
    db: &mut Database,
    schema: &str,
    table: Table,
    pos: crate::ast::Pos,
) -> Result<(), Problem> {
    let tables = &mut db.schema_mut(schema).tables;
    if tables.contains_key(&table.name) {
        return Err(Problem::new(
            pos,
            format!("two models map to table `{}`", table.name),
        ));
    }
    tables.insert(table.name.clone(), table);
    Ok(())
}

/// The table of model `m`: columns, primary key and indexes (foreign keys come later, once
/// every table exists).
fn table(ctx: &mut Ctx, m: usize) -> Result<Table, Problem> {
    let model = ctx.catalog.models[m].ast;
    let name = ctx.catalog.models[m].table.clone();
    let schema = ctx.catalog.models[m].schema.clone();
    for attr in &model.attributes {
        if !BLOCK_ATTRIBUTES.contains(&attr.name.name.as_str()) {
            ctx.diag.warn(
                attr.pos,
                format!("unknown attribute @@{}; ignored", attr.name.name),
            );
        }
    }
    if has(&model.attributes, "schema") {
        schema_attribute(ctx, model.name.pos)?;
    }
    let mut table = Table::new(&name);
    for field in &model.fields {
        if let Some(c) = column(ctx, field, &schema)? {
            table.columns.push(c);
        }
    }
    table.primary_key = keys::primary_key(ctx, model, &name)?;
    if ctx.dialect == Dialect::Sqlite {
        sqlite_rowid(&mut table);
    }
    table.indexes = keys::indexes(ctx, model, &name)?;
    mysql_options(ctx.dialect, &mut table);
    Ok(table)
}

/// Prisma's SQLite renderer writes `INTEGER PRIMARY KEY AUTOINCREMENT` for every
/// single-column `Int` primary key, with or without `autoincrement()`, and never for a
/// `BigInt` one.
fn sqlite_rowid(table: &mut Table) {
    let Some(pk) = &table.primary_key else {
        return;
    };
    if let [only] = pk.columns.as_slice()
        && let Some(column) = table.columns.iter_mut().find(|c| &c.name == only)
        && column.ty
            == (Type::Integer {
                bytes: 4,
                unsigned: false,
            })
    {
        column.identity = Some(Identity::AutoIncrement);
    }
}

fn mysql_options(dialect: Dialect, table: &mut Table) {
    if dialect == Dialect::Mysql {
        table.options.insert("charset".into(), MYSQL_CHARSET.into());
        table
            .options
            .insert("collation".into(), MYSQL_COLLATION.into());
    }
}
