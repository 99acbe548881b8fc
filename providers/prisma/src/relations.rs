//! Relations: the foreign key of every relation field with `fields`/`references`, Prisma's
//! default referential actions, the unique key a one-to-one relation needs, and the implicit
//! many-to-many tables `_AToB`.

use crate::ast::{Arity, Attribute, Expr, ExprKind, Field};
use crate::catalog::FieldClass;
use crate::ctx::Ctx;
use crate::diag::Problem;
use crate::keys::scalar_column;
use crate::names;
use std::collections::{BTreeMap, HashMap};
use strata_schema::{
    Column, Deferrable, Dialect, ForeignKey, Index, IndexPart, PrimaryKey, ReferentialAction, Table,
};

/// Relations is what the relation fields add to the tables built from the models.
#[derive(Default)]
pub struct Relations {
    /// Foreign keys by the index of the model whose table holds them.
    pub foreign_keys: Vec<(usize, ForeignKey)>,
    /// Implicit many-to-many tables by schema and name.
    pub join_tables: BTreeMap<(String, String), Table>,
}

/// One relation field and where it is.
struct Side<'a> {
    model: usize,
    field: &'a Field,
    target: usize,
    attr: Option<&'a Attribute>,
    name: Option<String>,
}

/// Resolve every relation of the catalog against `tables` (one per model, already holding
/// columns, primary keys and indexes).
pub fn resolve(ctx: &mut Ctx, tables: &[Table]) -> Result<Relations, Problem> {
    let mut sides = Vec::new();
    for (m, model) in ctx.catalog.models.iter().enumerate() {
        for field in &model.ast.fields {
            if let FieldClass::Relation(target) = ctx.catalog.classify(field)? {
                let attr = field.attributes.iter().find(|a| a.name.name == "relation");
                sides.push(Side {
                    model: m,
                    field,
                    target,
                    attr,
                    name: attr.map(relation_name).transpose()?.flatten(),
                });
            }
        }
    }
    let mut by_pair: HashMap<(usize, usize), Vec<&Side>> = HashMap::new();
    for side in &sides {
        by_pair
            .entry((side.model, side.target))
            .or_default()
            .push(side);
    }
    let mut out = Relations::default();
    for side in &sides {
        if let Some(attr) = side.attr {
            ctx.check_args(
                attr,
                &[
                    "name",
                    "fields",
                    "references",
                    "onDelete",
                    "onUpdate",
                    "map",
                ],
            );
        }
        let candidates = by_pair
            .get(&(side.target, side.model))
            .map_or(&[][..], Vec::as_slice);
        let opposite = opposite(candidates, side)?;
        if side.attr.is_some_and(|a| a.arg("fields", false).is_some()) {
            if let Some(fk) = foreign_key(ctx, tables, side, opposite)? {
                out.foreign_keys.push((side.model, fk));
            }
        } else if side.field.ty.arity == Arity::List && opposite.field.ty.arity == Arity::List {
            let (schema, table) = join_table(ctx, tables, side)?;
            out.join_tables
                .entry((schema, table.name.clone()))
                .or_insert(table);
        } else if opposite
            .attr
            .is_none_or(|a| a.arg("fields", false).is_none())
        {
            return Err(Problem::new(
                side.field.name.pos,
                format!(
                    "relation `{}` needs `fields` and `references` on one side",
                    side.field.name.name
                ),
            ));
        }
    }
    Ok(out)
}

/// The relation's name: `@relation("Name")` or `@relation(name: "Name")`.
fn relation_name(attr: &Attribute) -> Result<Option<String>, Problem> {
    match attr.arg("name", true) {
        Some(arg) => arg
            .value
            .as_str()
            .map(|s| Some(s.to_string()))
            .ok_or_else(|| Problem::new(arg.value.pos, "a relation name is a string")),
        None => Ok(None),
    }
}

/// The back-relation field of `side` among the relation fields of its target model that
/// point back (`candidates`): the one with the same relation name.
fn opposite<'s, 'a>(candidates: &[&'s Side<'a>], side: &Side<'a>) -> Result<&'s Side<'a>, Problem> {
    let candidates: Vec<&Side> = candidates
        .iter()
        .copied()
        .filter(|o| o.name == side.name && !std::ptr::eq(o.field, side.field))
        .collect();
    match candidates.as_slice() {
        [one] => Ok(one),
        [] => Err(Problem::new(
            side.field.name.pos,
            format!(
                "relation field `{}` has no opposite relation field on `{}`",
                side.field.name.name, side.field.ty.name.name
            ),
        )
        .help("Prisma needs both sides of a relation; add the back-relation field")),
        _ => Err(Problem::new(
            side.field.name.pos,
            format!("relation field `{}` is ambiguous", side.field.name.name),
        )
        .help("name each relation between the same models: @relation(\"Name\")")),
    }
}

fn foreign_key(
    ctx: &mut Ctx,
    tables: &[Table],
    side: &Side,
    opposite: &Side,
) -> Result<Option<ForeignKey>, Problem> {
    let Some(attr) = side.attr else {
        return Ok(None);
    };
    let model = ctx.catalog.models[side.model].ast;
    let target = ctx.catalog.models[side.target].ast;
    let (fields, fields_pos) = name_list(attr, "fields")?;
    let (references, references_pos) = name_list(attr, "references")?;
    if fields.len() != references.len() {
        return Err(Problem::new(
            references_pos,
            "`fields` and `references` must list as many fields",
        ));
    }
    let columns = fields
        .iter()
        .map(|f| scalar_column(ctx, model, f.0, f.1))
        .collect::<Result<Vec<_>, _>>()?;
    let ref_columns = references
        .iter()
        .map(|f| scalar_column(ctx, target, f.0, f.1))
        .collect::<Result<Vec<_>, _>>()?;
    let table = &tables[side.model];
    if opposite.field.ty.arity != Arity::List && !is_unique(table, &columns) {
        return Err(Problem::new(
            fields_pos,
            "a one-to-one relation must use unique fields on the defining side",
        )
        .help("add @unique to the field (or @@unique over the fields), or make the relation one-to-many"));
    }
    // Prisma: a relation is required when any of its scalar fields is.
    let required = fields.iter().any(|(name, _)| {
        model
            .fields
            .iter()
            .any(|f| f.name.name == *name && f.ty.arity == Arity::Required)
    });
    let on_delete = action(attr, "onDelete")?.unwrap_or(if required {
        ReferentialAction::Restrict
    } else {
        ReferentialAction::SetNull
    });
    let on_update = action(attr, "onUpdate")?.unwrap_or(ReferentialAction::Cascade);
    let mut name = None;
    if let Some(arg) = attr.arg("map", false) {
        let map = arg
            .value
            .as_str()
            .ok_or_else(|| Problem::new(arg.value.pos, "`map` takes a string"))?;
        if ctx.dialect == Dialect::Sqlite {
            ctx.unavailable(arg.value.pos, "SQLite cannot name foreign keys")?;
        } else {
            name = Some(map.to_string());
        }
    }
    if ctx.datasource.emulated_relations {
        return Ok(None);
    }
    let column_refs: Vec<&str> = columns.iter().map(String::as_str).collect();
    let own_schema = &ctx.catalog.models[side.model].schema;
    let target_info = &ctx.catalog.models[side.target];
    Ok(Some(ForeignKey {
        name: name.unwrap_or_else(|| names::foreign_key(&table.name, &column_refs, ctx.dialect)),
        columns,
        ref_schema: (&target_info.schema != own_schema).then(|| target_info.schema.clone()),
        ref_table: target_info.table.clone(),
        ref_columns,
        on_delete,
        on_update,
        deferrable: Deferrable::NotDeferrable,
    }))
}

/// True when `columns` are the primary key or a unique index of `table` (in any order).
fn is_unique(table: &Table, columns: &[String]) -> bool {
    let same = |other: Vec<&str>| {
        other.len() == columns.len() && columns.iter().all(|c| other.contains(&c.as_str()))
    };
    table
        .primary_key
        .as_ref()
        .is_some_and(|pk| same(pk.columns.iter().map(String::as_str).collect()))
        || table
            .indexes
            .iter()
            .filter(|i| i.unique)
            .any(|i| Table::index_columns(i).is_some_and(same))
}

/// A field named in `fields:` or `references:`, with the expression naming it.
type NamedField<'a> = (&'a str, &'a Expr);

/// The names in `[a, b]` argument `key` with their positions, and the argument's position.
fn name_list<'a>(
    attr: &'a Attribute,
    key: &str,
) -> Result<(Vec<NamedField<'a>>, crate::ast::Pos), Problem> {
    let arg = attr
        .arg(key, false)
        .ok_or_else(|| Problem::new(attr.pos, format!("@relation needs `{key}`")))?;
    let ExprKind::Array(items) = &arg.value.kind else {
        return Err(Problem::new(
            arg.value.pos,
            format!("`{key}` is a list: [a, b]"),
        ));
    };
    let names = items
        .iter()
        .map(|item| {
            item.as_name()
                .map(|n| (n, item))
                .ok_or_else(|| Problem::new(item.pos, "expected a field name"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if names.is_empty() {
        return Err(Problem::new(arg.value.pos, format!("`{key}` is empty")));
    }
    Ok((names, arg.value.pos))
}

fn action(attr: &Attribute, key: &str) -> Result<Option<ReferentialAction>, Problem> {
    let Some(arg) = attr.arg(key, false) else {
        return Ok(None);
    };
    Ok(Some(match arg.value.as_name() {
        Some("Cascade") => ReferentialAction::Cascade,
        Some("Restrict") => ReferentialAction::Restrict,
        Some("NoAction") => ReferentialAction::NoAction,
        Some("SetNull") => ReferentialAction::SetNull,
        Some("SetDefault") => ReferentialAction::SetDefault,
        _ => {
            return Err(Problem::new(
                arg.value.pos,
                format!("{key} is one of Cascade, Restrict, NoAction, SetNull, SetDefault"),
            ));
        }
    }))
}

/// The implicit many-to-many table of `side`: `_<A>To<B>` (model names in alphabetical
/// order) or `_<RelationName>`, with columns `A` and `B` referencing each model's id; it
/// lives in model A's schema.
fn join_table(ctx: &mut Ctx, tables: &[Table], side: &Side) -> Result<(String, Table), Problem> {
    let (a, b) = {
        let (x, y) = (side.model, side.target);
        let name = |i: usize| ctx.catalog.models[i].ast.name.name.as_str();
        if name(x) <= name(y) { (x, y) } else { (y, x) }
    };
    let name = match &side.name {
        Some(n) => format!("_{n}"),
        None => format!(
            "_{}To{}",
            ctx.catalog.models[a].ast.name.name, ctx.catalog.models[b].ast.name.name
        ),
    };
    let mut table = Table::new(&name);
    let schema = ctx.catalog.models[a].schema.clone();
    for (column, model) in [("A", a), ("B", b)] {
        let (id, ty) = single_id(ctx, tables, model, side)?;
        let mut c = Column::new(column, ty);
        c.nullable = false;
        table.columns.push(c);
        if !ctx.datasource.emulated_relations {
            let info = &ctx.catalog.models[model];
            table.foreign_keys.push(ForeignKey {
                name: format!("{name}_{column}_fkey"),
                columns: vec![column.into()],
                ref_schema: (info.schema != schema).then(|| info.schema.clone()),
                ref_table: info.table.clone(),
                ref_columns: vec![id],
                on_delete: ReferentialAction::Cascade,
                on_update: ReferentialAction::Cascade,
                deferrable: Deferrable::NotDeferrable,
            });
        }
    }
    let both = vec![IndexPart::column("A"), IndexPart::column("B")];
    // Prisma 6 gives the PostgreSQL table a primary key; MySQL and SQLite keep the older
    // unique index.
    if ctx.dialect == Dialect::Postgres {
        table.primary_key = Some(PrimaryKey {
            name: Some(format!("{name}_AB_pkey")),
            columns: vec!["A".into(), "B".into()],
        });
    } else {
        table
            .indexes
            .push(plain_index(format!("{name}_AB_unique"), both, true));
    }
    table.indexes.push(plain_index(
        format!("{name}_B_index"),
        vec![IndexPart::column("B")],
        false,
    ));
    Ok((schema, table))
}

fn plain_index(name: String, parts: Vec<IndexPart>, unique: bool) -> Index {
    Index {
        name,
        parts,
        unique,
        constraint: false,
        predicate: None,
        method: None,
        comment: None,
    }
}

/// The single id column of `model` and its type (without identity or default), which an
/// implicit many-to-many table references.
fn single_id(
    ctx: &Ctx,
    tables: &[Table],
    model: usize,
    side: &Side,
) -> Result<(String, strata_schema::Type), Problem> {
    let table = &tables[model];
    let column = table
        .primary_key
        .as_ref()
        .filter(|pk| pk.columns.len() == 1)
        .and_then(|pk| table.column(&pk.columns[0]))
        .ok_or_else(|| {
            Problem::new(
                side.field.name.pos,
                format!(
                    "an implicit many-to-many relation needs a single-field @id on `{}`",
                    ctx.catalog.models[model].ast.name.name
                ),
            )
        })?;
    Ok((column.name.clone(), column.ty.clone()))
}
