//! Scalar and enum fields as columns: type per dialect (native type attributes included),
//! nullability, `@default` and autoincrement. Relation fields are not columns.

use crate::ast::{Arity, Attribute, Field};
use crate::catalog::{FieldClass, column_name};
use crate::ctx::Ctx;
use crate::defaults::{self, FieldKind};
use crate::diag::Problem;
use crate::types::{NativeOutcome, Scalar, native_sql};
use strata_schema::{Column, Dialect, Identity, Type};

/// Field attributes this provider understands; others are reported and ignored. `@ignore`
/// only hides a field from the client: Prisma Migrate still creates its column (observed with
/// the 6.19 engine), so it changes nothing here.
const FIELD_ATTRIBUTES: &[&str] = &[
    "id",
    "unique",
    "default",
    "map",
    "updatedAt",
    "relation",
    "ignore",
];

/// The column of `field` of a model in `schema`, or `None` for a relation field (or a field
/// the target cannot hold, dropped with a warning).
pub fn column(ctx: &mut Ctx, field: &Field, schema: &str) -> Result<Option<Column>, Problem> {
    let native = native_attribute(ctx, field);
    let (kind, scalar_type) = match ctx.catalog.classify(field)? {
        FieldClass::Relation(_) => return Ok(None),
        FieldClass::Scalar(s) => (Kind::Scalar(s), scalar_type(ctx, s, native)?),
        FieldClass::Unsupported(db_type) => (Kind::Unsupported, Type::parse(ctx.dialect, db_type)),
        FieldClass::Enum(e) => {
            let ty = match ctx.dialect {
                Dialect::Postgres if e.schema == schema => Type::UserDefined {
                    name: e.db_name.clone(),
                },
                Dialect::Postgres => Type::UserDefined {
                    name: format!("{}.{}", e.schema, e.db_name),
                },
                Dialect::Mysql => Type::Enum {
                    values: e.members.iter().map(|(_, db)| db.clone()).collect(),
                },
                Dialect::Sqlite => Type::parse(Dialect::Sqlite, "TEXT"),
            };
            (Kind::Enum(e.members.clone()), ty)
        }
    };
    let list = field.ty.arity == Arity::List;
    if list && ctx.dialect != Dialect::Postgres {
        ctx.unavailable(
            field.ty.name.pos,
            format!("scalar lists need PostgreSQL; {} has none", ctx.dialect),
        )?;
        return Ok(None);
    }
    let ty = if list {
        Type::Array {
            element: Box::new(scalar_type),
        }
    } else {
        scalar_type
    };
    let mut column = Column::new(column_name(field)?, ty);
    // Lists are nullable columns in Prisma's DDL even without `?`.
    column.nullable = field.ty.arity != Arity::Required;
    if let Some(attr) = field.attributes.iter().find(|a| a.name.name == "default") {
        ctx.check_args(attr, &["value", "map"]);
        let value = attr
            .arg("value", true)
            .ok_or_else(|| Problem::new(attr.pos, "@default needs a value"))?;
        let field_kind = match &kind {
            Kind::Scalar(s) => FieldKind::Scalar(*s),
            Kind::Enum(members) => FieldKind::Enum(members),
            Kind::Unsupported => FieldKind::Unsupported,
        };
        match defaults::render(&value.value, &field_kind, &column.ty, list, ctx.dialect)? {
            defaults::Default::None => {}
            defaults::Default::Sql(sql) => column.default = Some(sql),
            defaults::Default::AutoIncrement => column.identity = autoincrement(ctx.dialect),
        }
    }
    for attr in &field.attributes {
        let name = attr.name.name.as_str();
        if !FIELD_ATTRIBUTES.contains(&name) && !is_native(ctx, attr) {
            ctx.diag
                .warn(attr.pos, format!("unknown attribute @{name}; ignored"));
        }
    }
    Ok(Some(column))
}

/// What a column holds, for rendering its default.
enum Kind {
    Scalar(Scalar),
    Enum(Vec<(String, String)>),
    Unsupported,
}

/// How `autoincrement()` numbers a column. SQLite's rule depends on the primary key and is
/// applied by the table (see `table::sqlite_rowid`).
fn autoincrement(dialect: Dialect) -> Option<Identity> {
    match dialect {
        Dialect::Postgres => Some(Identity::Serial),
        Dialect::Mysql => Some(Identity::AutoIncrement),
        Dialect::Sqlite => None,
    }
}

fn is_native(ctx: &Ctx, attr: &Attribute) -> bool {
    attr.name
        .name
        .strip_prefix(&ctx.datasource.name)
        .is_some_and(|rest| rest.starts_with('.'))
}

/// The field's native type attribute (`@db.VarChar(20)`), if any.
fn native_attribute<'f>(ctx: &Ctx, field: &'f Field) -> Option<&'f Attribute> {
    field.attributes.iter().find(|a| is_native(ctx, a))
}

/// The column type of a scalar field: its native type if it has one the target knows, else
/// Prisma's default for the scalar.
fn scalar_type(ctx: &mut Ctx, scalar: Scalar, native: Option<&Attribute>) -> Result<Type, Problem> {
    if let Some(attr) = native {
        let name = &attr.name.name[ctx.datasource.name.len() + 1..];
        match native_sql(attr, name, scalar, ctx.dialect)? {
            NativeOutcome::Sql(sql) => return Ok(Type::parse(ctx.dialect, &sql)),
            NativeOutcome::Unavailable(reason) if ctx.dialect == Dialect::Sqlite => {
                ctx.unavailable_everywhere(attr.pos, &reason)?
            }
            NativeOutcome::Unavailable(reason) => {
                ctx.unavailable(attr.pos, format!("@{}: {reason}", attr.name.name))?
            }
        }
    }
    Ok(Type::parse(ctx.dialect, scalar.default_sql(ctx.dialect)))
}
