//! Entity metadata → the schema model for one dialect, as TypeORM's schema builder creates it:
//! types, defaults, generation, and every key, index and check under the naming strategy's names.

use crate::decorators::{Special, Strategy};
use crate::entity::{Attr, Entity, IndexMeta, Join};
use crate::{naming, types};
use strata_schema::{
    Check, Column, Database, Dialect, EnumType, ForeignKey, Identity, Index, IndexPart, Location,
    PrimaryKey, ReferentialAction, SourceError, Table, Type, map_parallel,
};
use strata_sequelize::js::{Expr, Value};

fn located(entity: &Entity, a: &Attr, message: String) -> SourceError {
    SourceError {
        location: Location {
            file: entity.file.clone(),
            line: a.pos.line,
            column: a.pos.column,
        },
        message,
        help: None,
    }
}

fn action(text: Option<&str>) -> ReferentialAction {
    match text.map(str::to_ascii_uppercase).as_deref() {
        Some("CASCADE") => ReferentialAction::Cascade,
        Some("SET NULL") => ReferentialAction::SetNull,
        Some("SET DEFAULT") => ReferentialAction::SetDefault,
        Some("RESTRICT") => ReferentialAction::Restrict,
        _ => ReferentialAction::NoAction,
    }
}

/// JavaScript's `Number.prototype.toFixed(digits)`, which the MySQL driver applies to numeric
/// defaults (`2.5` with no scale is `'3'`): the exact binary value, ties rounded up.
fn to_fixed(number: &str, digits: usize) -> String {
    let Ok(x) = number.parse::<f64>() else {
        return number.to_string();
    };
    let exact = format!("{:.60}", x.abs());
    let (int, frac) = exact.split_once('.').unwrap_or((&exact, ""));
    let mut kept: Vec<u8> = int.bytes().chain(frac.bytes().take(digits)).collect();
    if frac.as_bytes().get(digits).is_some_and(|d| *d >= b'5') {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, b'1');
                break;
            }
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    let split = kept.len() - digits;
    let mut out = String::from_utf8_lossy(&kept[..split]).to_string();
    if digits > 0 {
        out.push('.');
        out.push_str(&String::from_utf8_lossy(&kept[split..]));
    }
    if x < 0.0 && out.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.insert(0, '-');
    }
    out
}

/// A function default (`() => "CURRENT_TIMESTAMP"`) as the driver rewrites it.
fn function_default(raw: &str, dialect: Dialect) -> String {
    match (dialect, raw.to_ascii_uppercase().as_str()) {
        (Dialect::Postgres, "CURRENT_TIMESTAMP" | "NOW()") => "now()".into(),
        _ => raw.to_string(),
    }
}

/// The DEFAULT TypeORM writes for `default:`.
fn default(
    entity: &Entity,
    a: &Attr,
    e: &Expr,
    dialect: Dialect,
) -> Result<Option<String>, SourceError> {
    Ok(Some(match (&e.value, dialect) {
        (Value::Null | Value::Undefined, _) => return Ok(None),
        (Value::Str(s), _) => dialect.quote_str(s),
        (Value::Num(n), Dialect::Postgres) => format!("'{n}'"),
        (Value::Num(n), Dialect::Mysql) => {
            let scale = a.scale.as_deref().and_then(|s| s.parse().ok()).unwrap_or(0);
            format!("'{}'", to_fixed(n, scale))
        }
        (Value::Num(n), Dialect::Sqlite) => n.clone(),
        (Value::Bool(b), Dialect::Postgres) => b.to_string(),
        (Value::Bool(b), _) => if *b { "1" } else { "0" }.into(),
        (
            Value::Function {
                returns: Some(r), ..
            },
            _,
        ) if r.as_str().is_some() => function_default(r.as_str().unwrap_or_default(), dialect),
        _ => {
            return Err(located(
                entity,
                a,
                format!(
                    "the default of `{}` cannot be read statically: {}",
                    a.property,
                    e.describe()
                ),
            ));
        }
    }))
}

/// The DEFAULT of the columns TypeORM fills itself.
fn special_default(a: &Attr, dialect: Dialect) -> Option<String> {
    match a.special? {
        Special::CreateDate | Special::UpdateDate => Some(match dialect {
            Dialect::Postgres => "now()".into(),
            Dialect::Mysql => format!(
                "CURRENT_TIMESTAMP({})",
                a.precision.as_deref().unwrap_or("6")
            ),
            Dialect::Sqlite => "datetime('now')".into(),
        }),
        _ => None,
    }
}

/// The column's `ON UPDATE`, which only TypeORM's MySQL driver writes: the `onUpdate` option,
/// else for `@UpdateDateColumn` the same expression as its DEFAULT (`CURRENT_TIMESTAMP(6)`),
/// so it refreshes itself on every update.
fn on_update(a: &Attr, dialect: Dialect) -> Option<String> {
    if dialect != Dialect::Mysql {
        return None;
    }
    match (&a.on_update, a.special) {
        (Some(given), _) => Some(given.clone()),
        (None, Some(Special::UpdateDate)) => special_default(a, dialect),
        (None, _) => None,
    }
}

/// The column `a` on `dialect`, and the PostgreSQL enum type it needs.
fn column(
    entity: &Entity,
    a: &Attr,
    dialect: Dialect,
) -> Result<(Column, Option<EnumType>), SourceError> {
    let mut enum_type = None;
    let ty = if types::is_enum(a) && dialect == Dialect::Postgres {
        let name = a
            .enum_name
            .clone()
            .unwrap_or_else(|| format!("{}_{}_enum", entity.table, a.name));
        enum_type = Some(EnumType {
            name: name.clone(),
            values: a.enum_values.clone().unwrap_or_default(),
        });
        Type::UserDefined { name }
    } else if types::is_enum(a) && dialect == Dialect::Sqlite && a.ty.as_deref() == Some("enum") {
        return Err(located(
            entity,
            a,
            "TypeORM does not support `enum` columns on SQLite (use `simple-enum`)".into(),
        ));
    } else {
        Type::parse(
            dialect,
            &types::sql(a, dialect).map_err(|m| located(entity, a, m))?,
        )
    };
    let mut c = Column::new(a.name.clone(), ty);
    c.nullable = a.nullable;
    c.comment = a.comment.clone();
    c.default = match &a.default {
        Some(d) => default(entity, a, d, dialect)?,
        None => special_default(a, dialect),
    };
    c.on_update = on_update(a, dialect);
    match (a.generated, dialect) {
        (Some(Strategy::Increment), Dialect::Postgres) => c.identity = Some(Identity::Serial),
        (Some(Strategy::Increment), _) => c.identity = Some(Identity::AutoIncrement),
        (Some(Strategy::Identity { always }), Dialect::Postgres) => {
            c.identity = Some(Identity::Generated { always })
        }
        (Some(Strategy::Uuid), Dialect::Postgres) => c.default = Some("uuid_generate_v4()".into()),
        _ => {}
    }
    Ok((c, enum_type))
}

/// A unique key: a constraint on PostgreSQL and SQLite, a unique index on MySQL, where TypeORM
/// names it `IDX_` (one hex digit shorter) unless it was named.
fn unique(table: &str, u: &IndexMeta, dialect: Dialect, relation: bool) -> Index {
    let name = match (&u.name, dialect, relation) {
        (Some(n), _, _) => n.clone(),
        (None, _, true) => naming::relation(table, &u.columns),
        (None, Dialect::Mysql, false) => naming::index(table, &u.columns, None),
        (None, _, false) => naming::unique(table, &u.columns),
    };
    Index {
        name,
        parts: u.columns.iter().map(IndexPart::column).collect(),
        unique: true,
        constraint: dialect != Dialect::Mysql,
        predicate: None,
        method: None,
        comment: None,
    }
}

fn index(table: &str, i: &IndexMeta, dialect: Dialect) -> Index {
    Index {
        name: i
            .name
            .clone()
            .unwrap_or_else(|| naming::index(table, &i.columns, i.predicate.as_deref())),
        parts: i.columns.iter().map(IndexPart::column).collect(),
        unique: i.unique,
        constraint: false,
        // MySQL has no partial indexes; TypeORM leaves the WHERE out (the name keeps it).
        predicate: i.predicate.clone().filter(|_| dialect != Dialect::Mysql),
        method: None,
        comment: None,
    }
}

fn foreign_key(table: &str, j: &Join) -> ForeignKey {
    ForeignKey {
        name: j
            .name
            .clone()
            .unwrap_or_else(|| naming::foreign_key(table, &j.columns)),
        columns: j.columns.clone(),
        ref_schema: None,
        ref_table: j.ref_table.clone(),
        ref_columns: j.ref_columns.clone(),
        on_delete: action(j.on_delete.as_deref()),
        on_update: action(j.on_update.as_deref()),
        deferrable: Default::default(),
    }
}

/// The table of `entity` on `dialect`, and its PostgreSQL enum types.
fn table(entity: &Entity, dialect: Dialect) -> Result<(Table, Vec<EnumType>), SourceError> {
    let name = &entity.table;
    let mut t = Table::new(name.clone());
    let mut enums = Vec::new();
    for a in &entity.columns {
        let (c, e) = column(entity, a, dialect)?;
        t.columns.push(c);
        enums.extend(e);
        // SQLite's simple-enum is a varchar with an inline check.
        if dialect == Dialect::Sqlite && a.ty.as_deref() == Some("simple-enum") {
            let values: Vec<String> = a
                .enum_values
                .iter()
                .flatten()
                .map(|v| dialect.quote_str(v))
                .collect();
            t.checks.push(Check {
                name: String::new(),
                expr: format!("{} IN ({})", dialect.quote(&a.name), values.join(",")),
            });
        }
    }
    let pk: Vec<String> = entity
        .columns
        .iter()
        .filter(|c| c.primary)
        .map(|c| c.name.clone())
        .collect();
    if !pk.is_empty() {
        t.primary_key = Some(PrimaryKey {
            name: match dialect {
                Dialect::Postgres => Some(
                    entity
                        .primary_key_name
                        .clone()
                        .unwrap_or_else(|| naming::primary_key(name, &pk)),
                ),
                _ => None,
            },
            columns: pk,
        });
    }
    for u in &entity.uniques {
        t.indexes.push(unique(name, u, dialect, false));
    }
    for i in &entity.indexes {
        t.indexes.push(index(name, i, dialect));
    }
    for j in &entity.joins {
        if j.one_to_one {
            let key = IndexMeta {
                name: None,
                columns: j.columns.clone(),
                unique: true,
                predicate: None,
            };
            t.indexes.push(unique(name, &key, dialect, true));
        }
        t.foreign_keys.push(foreign_key(name, j));
    }
    // MySQL drops checks: its TypeORM driver declares no check support.
    if dialect != Dialect::Mysql {
        for c in &entity.checks {
            t.checks.push(Check {
                name: c
                    .name
                    .clone()
                    .unwrap_or_else(|| naming::check(name, &c.expression)),
                expr: c.expression.clone(),
            });
        }
    }
    Ok((t, enums))
}

/// The database `entities` create on `dialect`, unqualified tables in `schema`.
pub fn database(
    entities: &[Entity],
    dialect: Dialect,
    schema: &str,
    warnings: &mut Vec<SourceError>,
) -> Result<Database, SourceError> {
    let mut db = Database::default();
    let s = db.schema_mut(schema);
    let mut uuid_default = None;
    // Tables are independent (names are hashes of their own columns): built on every core.
    let tables = map_parallel(entities, || (), |(), entity| table(entity, dialect));
    for (entity, built) in entities.iter().zip(tables) {
        let (t, enums) = built?;
        if uuid_default.is_none()
            && let Some(a) = entity
                .columns
                .iter()
                .find(|a| a.generated == Some(Strategy::Uuid))
            && dialect == Dialect::Postgres
        {
            uuid_default = Some(located(
                entity,
                a,
                "uuid keys default to uuid_generate_v4(), from the uuid-ossp extension TypeORM \
                 installs when it connects; the database needs it before apply"
                    .into(),
            ));
        }
        for e in enums {
            s.enums.insert(e.name.clone(), e);
        }
        s.tables.insert(t.name.clone(), t);
    }
    warnings.extend(uuid_default);
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::to_fixed;

    #[test]
    fn numbers_round_like_javascript() {
        assert_eq!(to_fixed("2.5", 0), "3");
        assert_eq!(to_fixed("0", 2), "0.00");
        assert_eq!(to_fixed("1.005", 2), "1.00");
        assert_eq!(to_fixed("-1.5", 0), "-2");
        assert_eq!(to_fixed("12", 0), "12");
    }
}
