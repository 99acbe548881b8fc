//! Primary keys and indexes: `@id`/`@@id`, `@unique`/`@@unique`, `@@index` and `@@fulltext`,
//! with Prisma's default names and the per-field `sort`, `length` and `ops` arguments.

use crate::ast::{Attribute, Expr, ExprKind, Model};
use crate::catalog::{FieldClass, column_name};
use crate::ctx::Ctx;
use crate::diag::Problem;
use crate::names;
use strata_schema::{Dialect, Index, IndexPart, PrimaryKey};

/// The primary key of `model` (table `table`), from `@id` or `@@id`.
pub fn primary_key(
    ctx: &mut Ctx,
    model: &Model,
    table: &str,
) -> Result<Option<PrimaryKey>, Problem> {
    let mut found: Option<(&Attribute, Vec<IndexPart>)> = None;
    for field in &model.fields {
        for attr in field.attributes.iter().filter(|a| a.name.name == "id") {
            ctx.check_args(attr, &["map", "sort", "length", "clustered"]);
            let part = part_options(ctx, attr, IndexPart::column(column_name(field)?))?;
            set_once(&mut found, attr, vec![part])?;
        }
    }
    for attr in model.attributes.iter().filter(|a| a.name.name == "id") {
        ctx.check_args(attr, &["fields", "name", "map", "clustered"]);
        let parts = fields_arg(ctx, model, attr)?;
        set_once(&mut found, attr, parts)?;
    }
    let Some((attr, parts)) = found else {
        return Ok(None);
    };
    if parts.iter().any(|p| p.desc || p.length.is_some()) {
        ctx.diag.warn(
            attr.pos,
            "sort and length of primary key columns are not represented; ignored",
        );
    }
    let mut name = None;
    if let Some(map) = map_arg(attr)? {
        if ctx.dialect == Dialect::Postgres {
            name = Some(map);
        } else {
            ctx.unavailable(
                attr.pos,
                format!("{} cannot name a primary key", ctx.dialect),
            )?;
        }
    }
    if ctx.dialect == Dialect::Postgres && name.is_none() {
        name = Some(names::primary_key(table, ctx.dialect));
    }
    Ok(Some(PrimaryKey {
        name,
        columns: parts.into_iter().map(|p| column_of(&p)).collect(),
    }))
}

fn set_once<'a>(
    found: &mut Option<(&'a Attribute, Vec<IndexPart>)>,
    attr: &'a Attribute,
    parts: Vec<IndexPart>,
) -> Result<(), Problem> {
    if found.is_some() {
        return Err(Problem::new(
            attr.pos,
            "a model has one primary key (@id or @@id)",
        ));
    }
    *found = Some((attr, parts));
    Ok(())
}

fn column_of(part: &IndexPart) -> String {
    match &part.key {
        strata_schema::IndexKey::Column(c) | strata_schema::IndexKey::Expr(c) => c.clone(),
    }
}

/// Every index of `model` (table `table`): field `@unique`s, then `@@index`/`@@fulltext`,
/// then `@@unique`s, the order Prisma creates them in.
pub fn indexes(ctx: &mut Ctx, model: &Model, table: &str) -> Result<Vec<Index>, Problem> {
    let mut out = Vec::new();
    for field in &model.fields {
        for attr in field.attributes.iter().filter(|a| a.name.name == "unique") {
            ctx.check_args(attr, &["map", "sort", "length", "clustered"]);
            let part = part_options(ctx, attr, IndexPart::column(column_name(field)?))?;
            out.push(index(ctx, attr, table, vec![part], true, None)?);
        }
    }
    for attr in &model.attributes {
        match attr.name.name.as_str() {
            "index" => {
                ctx.check_args(attr, &["fields", "name", "map", "type", "clustered"]);
                let parts = fields_arg(ctx, model, attr)?;
                let method = index_type(ctx, attr)?;
                out.push(index(ctx, attr, table, parts, false, method)?);
            }
            "fulltext" => {
                ctx.check_args(attr, &["fields", "map"]);
                if ctx.dialect != Dialect::Mysql {
                    ctx.unavailable(
                        attr.pos,
                        format!("{} has no full-text indexes", ctx.dialect),
                    )?;
                    continue;
                }
                let parts = fields_arg(ctx, model, attr)?;
                out.push(index(
                    ctx,
                    attr,
                    table,
                    parts,
                    false,
                    Some("FULLTEXT".into()),
                )?);
            }
            _ => {}
        }
    }
    for attr in model.attributes.iter().filter(|a| a.name.name == "unique") {
        ctx.check_args(attr, &["fields", "name", "map", "clustered"]);
        let parts = fields_arg(ctx, model, attr)?;
        out.push(index(ctx, attr, table, parts, true, None)?);
    }
    Ok(out)
}

fn index(
    ctx: &Ctx,
    attr: &Attribute,
    table: &str,
    parts: Vec<IndexPart>,
    unique: bool,
    method: Option<String>,
) -> Result<Index, Problem> {
    // `@@index(name:)` is a legacy alias of `map:`; on @unique/@@unique `name` only names
    // the client API field.
    let explicit = if attr.name.name == "index" {
        index_name(attr)?
    } else {
        map_arg(attr)?
    };
    let name = explicit.unwrap_or_else(|| {
        let columns: Vec<String> = parts.iter().map(column_of).collect();
        let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
        if unique {
            names::unique(table, &columns, ctx.dialect)
        } else {
            names::index(table, &columns, ctx.dialect)
        }
    });
    Ok(Index {
        name,
        parts,
        unique,
        constraint: false,
        predicate: None,
        method,
        comment: None,
    })
}

fn index_name(attr: &Attribute) -> Result<Option<String>, Problem> {
    let name = attr.arg("name", false);
    let map = attr.arg("map", false);
    if let (Some(n), Some(_)) = (name, map) {
        return Err(Problem::new(
            n.value.pos,
            "@@index accepts `name` as a legacy alias of `map`, not both",
        ));
    }
    match name.or(map) {
        Some(arg) => arg
            .value
            .as_str()
            .map(|s| Some(s.to_string()))
            .ok_or_else(|| Problem::new(arg.value.pos, "an index name is a string")),
        None => Ok(None),
    }
}

/// `map: "name"`, if given.
fn map_arg(attr: &Attribute) -> Result<Option<String>, Problem> {
    match attr.arg("map", false) {
        Some(arg) => arg
            .value
            .as_str()
            .map(|s| Some(s.to_string()))
            .ok_or_else(|| Problem::new(arg.value.pos, "`map` takes a string")),
        None => Ok(None),
    }
}

/// `type: Hash` etc. as an index method (`None` for the default B-tree).
fn index_type(ctx: &mut Ctx, attr: &Attribute) -> Result<Option<String>, Problem> {
    let Some(arg) = attr.arg("type", false) else {
        return Ok(None);
    };
    let method = match arg.value.as_name() {
        Some("BTree") => return Ok(None),
        Some(m @ ("Hash" | "Gist" | "Gin" | "SpGist" | "Brin")) => m.to_lowercase(),
        _ => {
            return Err(Problem::new(
                arg.value.pos,
                "index type is one of BTree, Hash, Gist, Gin, SpGist, Brin",
            ));
        }
    };
    if ctx.dialect != Dialect::Postgres {
        ctx.unavailable(
            arg.value.pos,
            format!(
                "index type {} needs PostgreSQL",
                arg.value.as_name().unwrap_or_default()
            ),
        )?;
        return Ok(None);
    }
    Ok(Some(method))
}

/// The key parts of a block attribute's `fields` (first positional) argument.
fn fields_arg(ctx: &mut Ctx, model: &Model, attr: &Attribute) -> Result<Vec<IndexPart>, Problem> {
    let arg = attr.arg("fields", true).ok_or_else(|| {
        Problem::new(
            attr.pos,
            format!("@@{} needs a list of fields", attr.name.name),
        )
    })?;
    let ExprKind::Array(items) = &arg.value.kind else {
        return Err(Problem::new(
            arg.value.pos,
            "expected a list of fields: [a, b]",
        ));
    };
    if items.is_empty() {
        return Err(Problem::new(arg.value.pos, "the list of fields is empty"));
    }
    items
        .iter()
        .map(|item| key_part(ctx, model, item))
        .collect()
}

/// One entry of a fields list: `title` or `title(sort: Desc, length: 10, ops: …)`.
fn key_part(ctx: &mut Ctx, model: &Model, item: &Expr) -> Result<IndexPart, Problem> {
    let (name, args) = match &item.kind {
        ExprKind::Name(n) => (n.as_str(), &[][..]),
        ExprKind::Call(n, args) => (n.as_str(), args.as_slice()),
        _ => return Err(Problem::new(item.pos, "expected a field name")),
    };
    let column = scalar_column(ctx, model, name, item)?;
    let mut part = IndexPart::column(column);
    for arg in args {
        let Some(key) = &arg.name else {
            return Err(Problem::new(
                arg.value.pos,
                "expected `sort:`, `length:` or `ops:`",
            ));
        };
        apply_option(ctx, &mut part, &key.name, &arg.value)?;
    }
    Ok(part)
}

/// The column of the scalar field `name` of `model`.
pub fn scalar_column(ctx: &Ctx, model: &Model, name: &str, at: &Expr) -> Result<String, Problem> {
    let field = model
        .fields
        .iter()
        .find(|f| f.name.name == name)
        .ok_or_else(|| {
            Problem::new(
                at.pos,
                format!("model `{}` has no field `{name}`", model.name.name),
            )
        })?;
    if let FieldClass::Relation(_) = ctx.catalog.classify(field)? {
        return Err(Problem::new(
            at.pos,
            format!("`{name}` is a relation field; list its scalar fields instead"),
        ));
    }
    column_name(field)
}

/// `sort:` and `length:` arguments of a field-level `@id` / `@unique`.
fn part_options(
    ctx: &mut Ctx,
    attr: &Attribute,
    mut part: IndexPart,
) -> Result<IndexPart, Problem> {
    for arg in &attr.args {
        if let Some(key) = &arg.name
            && matches!(key.name.as_str(), "sort" | "length")
        {
            apply_option(ctx, &mut part, &key.name, &arg.value)?;
        }
    }
    Ok(part)
}

fn apply_option(
    ctx: &mut Ctx,
    part: &mut IndexPart,
    key: &str,
    value: &Expr,
) -> Result<(), Problem> {
    match key {
        "sort" => match value.as_name() {
            Some("Asc") => part.desc = false,
            Some("Desc") => part.desc = true,
            _ => return Err(Problem::new(value.pos, "sort is Asc or Desc")),
        },
        "length" => {
            let ExprKind::Number(n) = &value.kind else {
                return Err(Problem::new(value.pos, "length is a number"));
            };
            let length = n
                .parse()
                .map_err(|_| Problem::new(value.pos, "length is a whole number"))?;
            if ctx.dialect == Dialect::Mysql {
                part.length = Some(length);
            } else {
                ctx.unavailable(
                    value.pos,
                    format!("index prefix lengths need MySQL, not {}", ctx.dialect),
                )?;
            }
        }
        "ops" => {
            let opclass = operator_class(value)?;
            if ctx.dialect == Dialect::Postgres {
                part.opclass = Some(opclass);
            } else {
                ctx.unavailable(
                    value.pos,
                    format!("operator classes need PostgreSQL, not {}", ctx.dialect),
                )?;
            }
        }
        other => {
            ctx.diag.warn(
                value.pos,
                format!("unknown index field argument `{other}`; ignored"),
            );
        }
    }
    Ok(())
}

/// `ops: raw("name")` or Prisma's operator class identifiers (`JsonbPathOps` →
/// `jsonb_path_ops`, `Int4MinMaxOps` → `int4_minmax_ops`).
fn operator_class(value: &Expr) -> Result<String, Problem> {
    match &value.kind {
        ExprKind::Call(f, args) if f == "raw" => args
            .first()
            .and_then(|a| a.value.as_str())
            .map(str::to_string)
            .ok_or_else(|| Problem::new(value.pos, "raw() takes the operator class as a string")),
        ExprKind::Name(n) => {
            let mut snake = String::new();
            for (i, c) in n.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            Ok(snake.replace("min_max", "minmax"))
        }
        _ => Err(Problem::new(
            value.pos,
            "ops is an operator class name or raw(\"…\")",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Pos;

    #[test]
    fn operator_classes_become_snake_case() {
        let pos = Pos {
            file: 0,
            line: 1,
            column: 1,
        };
        let name = |n: &str| Expr {
            kind: ExprKind::Name(n.into()),
            pos,
        };
        assert_eq!(
            operator_class(&name("JsonbPathOps")).unwrap(),
            "jsonb_path_ops"
        );
        assert_eq!(
            operator_class(&name("Int4MinMaxOps")).unwrap(),
            "int4_minmax_ops"
        );
        assert_eq!(operator_class(&name("InetOps")).unwrap(), "inet_ops");
    }
}
