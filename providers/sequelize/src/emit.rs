//! Resolved models → the schema model for one dialect, as Sequelize's `sync()` creates it.

use crate::attribute::{Attribute, Unique};
use crate::datatype::DataType;
use crate::inflection::underscore;
use crate::js::{Expr, Value};
use crate::model::Model;
use strata_schema::{
    Column, Database, Dialect, EnumType, ForeignKey, Identity, Index, IndexKey, IndexPart,
    Location, PrimaryKey, ReferentialAction, SourceError, Table, Type,
};

fn located(model: &Model, e: &Expr, message: String) -> SourceError {
    SourceError {
        location: Location {
            file: model.file.clone(),
            line: e.pos.line,
            column: e.pos.column,
        },
        message,
        help: None,
    }
}

fn action(text: &str) -> ReferentialAction {
    match text {
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        "RESTRICT" => ReferentialAction::Restrict,
        _ => ReferentialAction::NoAction,
    }
}

/// The DEFAULT Sequelize writes for a `defaultValue`; `None` for client-side values.
fn default(
    model: &Model,
    a: &Attribute,
    e: &Expr,
    dialect: Dialect,
) -> Result<Option<String>, SourceError> {
    if dialect == Dialect::Mysql && a.data_type.is_lob() {
        return Ok(None);
    }
    Ok(match &e.value {
        Value::Str(s) => Some(dialect.quote_str(s)),
        Value::Num(n) => Some(n.clone()),
        Value::Bool(b) => Some(match (dialect, b) {
            (Dialect::Postgres, _) => b.to_string(),
            (_, true) => "1".into(),
            (_, false) => "0".into(),
        }),
        Value::Null | Value::Undefined => None,
        Value::Path(p)
            if matches!(
                p.last().map(String::as_str),
                Some("NOW" | "UUIDV1" | "UUIDV4")
            ) =>
        {
            None
        }
        Value::Function { .. } => None,
        Value::Call { callee, args } if callee.last().is_some_and(|c| c == "literal") => {
            match args.first().and_then(Expr::as_str) {
                Some(raw) => Some(raw.to_string()),
                None => return Err(located(model, e, "literal() needs a string literal".into())),
            }
        }
        Value::Call { callee, args } if callee.last().is_some_and(|c| c == "fn") => {
            let mut parts = args.iter().map(|a| a.as_str().map(str::to_string));
            match (parts.next().flatten(), args.len()) {
                (Some(name), 1) => Some(format!("{name}()")),
                _ => {
                    return Err(located(
                        model,
                        e,
                        "fn() defaults with arguments are not read".into(),
                    ));
                }
            }
        }
        _ => {
            return Err(located(
                model,
                e,
                format!("defaultValue cannot be read statically: {}", e.describe()),
            ));
        }
    })
}

fn column(
    model: &Model,
    a: &Attribute,
    dialect: Dialect,
    enums: &mut Vec<EnumType>,
) -> Result<Column, SourceError> {
    let at = a.default.clone().unwrap_or(Expr {
        value: Value::Undefined,
        pos: Default::default(),
    });
    // SQLite's auto-increment key is always `INTEGER PRIMARY KEY AUTOINCREMENT` (a rowid alias).
    let data_type = match (&a.data_type, dialect) {
        (DataType::Integer { .. }, Dialect::Sqlite) if a.auto_increment => DataType::Integer {
            name: "INTEGER",
            unsigned: false,
        },
        (t, _) => t.clone(),
    };
    let ty = match data_type
        .column_type(dialect)
        .map_err(|m| located(model, &at, m))?
    {
        Some(t) => t,
        None => {
            // Virtual attributes never get here (models drop them), so this is an enum.
            let DataType::Enum { values } = &a.data_type else {
                return Err(located(model, &at, "VIRTUAL is not a column".into()));
            };
            let name = format!("enum_{}_{}", model.table, a.field);
            enums.push(EnumType {
                name: name.clone(),
                values: values.clone(),
            });
            Type::UserDefined { name }
        }
    };
    let mut c = Column::new(a.field.clone(), ty);
    c.nullable = !a.not_null();
    c.comment = a.comment.clone();
    c.collation = a.data_type.collation(dialect);
    if a.auto_increment {
        c.identity = Some(if dialect == Dialect::Postgres {
            Identity::Serial
        } else {
            Identity::AutoIncrement
        });
        c.nullable = false;
    } else if let Some(d) = &a.default {
        c.default = default(model, a, d, dialect)?;
    }
    Ok(c)
}

/// The table `model` gets on `dialect`, and its PostgreSQL enum types.
fn table(model: &Model, dialect: Dialect) -> Result<(Table, Vec<EnumType>), SourceError> {
    let mut t = Table::new(model.table.clone());
    t.comment = model.comment.clone();
    let mut enums = Vec::new();
    let mut named_uniques: Vec<(String, Vec<String>)> = Vec::new();
    for a in &model.attributes {
        t.columns.push(column(model, a, dialect, &mut enums)?);
        match &a.unique {
            Some(Unique::Alone) => t.indexes.push(unique(String::new(), vec![a.field.clone()])),
            Some(Unique::Named(n)) => match named_uniques.iter_mut().find(|(k, _)| k == n) {
                Some((_, cols)) => cols.push(a.field.clone()),
                None => named_uniques.push((n.clone(), vec![a.field.clone()])),
            },
            None => {}
        }
        if let Some((ref_table, ref_col)) = &a.references {
            t.foreign_keys.push(ForeignKey {
                name: String::new(),
                columns: vec![a.field.clone()],
                ref_schema: None,
                ref_table: ref_table.clone(),
                ref_columns: ref_col.iter().cloned().collect(),
                on_delete: a
                    .on_delete
                    .as_deref()
                    .map_or(ReferentialAction::NoAction, action),
                on_update: a
                    .on_update
                    .as_deref()
                    .map_or(ReferentialAction::NoAction, action),
                deferrable: Default::default(),
            });
        }
    }
    for (name, cols) in named_uniques {
        // Only MySQL keeps the name Sequelize gives a composite unique key.
        let name = if dialect == Dialect::Mysql {
            name
        } else {
            String::new()
        };
        t.indexes.push(unique(name, cols));
    }
    let pk: Vec<String> = model
        .attributes
        .iter()
        .filter(|a| a.primary_key)
        .map(|a| a.field.clone())
        .collect();
    if dialect != Dialect::Mysql {
        // PostgreSQL and SQLite create no unique constraint over exactly the primary key's
        // columns in a CREATE TABLE (a belongsToMany through model with its own key gets one).
        t.indexes.retain(|i| {
            let cols: Vec<&str> = i
                .parts
                .iter()
                .filter_map(|p| match &p.key {
                    IndexKey::Column(c) => Some(c.as_str()),
                    IndexKey::Expr(_) => None,
                })
                .collect();
            cols != pk
        });
    }
    if !pk.is_empty() {
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: pk,
        });
    }
    for e in &model.indexes {
        t.indexes.push(index(model, e, dialect)?);
    }
    Ok((t, enums))
}

fn unique(name: String, cols: Vec<String>) -> Index {
    Index {
        name,
        parts: cols.into_iter().map(IndexPart::column).collect(),
        unique: true,
        constraint: true,
        predicate: None,
        method: None,
        comment: None,
    }
}

/// One entry of the `indexes` option. Unnamed: `underscore(<table>_<fields>)`. Fields are
/// column names as written: Sequelize 6 does not map attribute keys to their fields here (an
/// `underscored` model's `lastName` fails in `sync()`), so a key is mapped only as a courtesy.
/// A field's `length` exists only on MySQL (the other dialects' generators drop it).
fn index(model: &Model, e: &Expr, dialect: Dialect) -> Result<Index, SourceError> {
    let fields = match e.get("fields").map(|f| &f.value) {
        Some(Value::Array(items)) => items,
        _ => {
            return Err(located(
                model,
                e,
                "an index needs a fields array literal".into(),
            ));
        }
    };
    let mut parts = Vec::new();
    for f in fields {
        let (name, desc, length) = match &f.value {
            Value::Str(s) => (s.clone(), false, None),
            Value::Object(_) => {
                let name = f
                    .get("name")
                    .or_else(|| f.get("attribute"))
                    .and_then(Expr::as_str)
                    .ok_or_else(|| located(model, f, "an index field needs a name".into()))?;
                let desc = f
                    .get("order")
                    .and_then(Expr::as_str)
                    .is_some_and(|o| o.eq_ignore_ascii_case("desc"));
                let length = match f.get("length").map(|l| &l.value) {
                    Some(Value::Num(n)) => n.parse().ok(),
                    _ => None,
                };
                (name.to_string(), desc, length)
            }
            _ => {
                return Err(located(
                    model,
                    f,
                    format!("index field cannot be read statically: {}", f.describe()),
                ));
            }
        };
        let column = model
            .attributes
            .iter()
            .find(|a| a.key == name)
            .map_or(name, |a| a.field.clone());
        let mut part = IndexPart::column(column);
        part.desc = desc;
        part.length = length.filter(|_| dialect == Dialect::Mysql);
        parts.push(part);
    }
    let name = match e.get("name") {
        Some(n) => n
            .as_str()
            .ok_or_else(|| located(model, n, "index name must be a string literal".into()))?
            .to_string(),
        None => {
            let cols: Vec<String> = parts
                .iter()
                .filter_map(|p| match &p.key {
                    IndexKey::Column(c) => Some(c.clone()),
                    IndexKey::Expr(_) => None,
                })
                .collect();
            underscore(&format!("{}_{}", model.table, cols.join("_")))
        }
    };
    let unique = e.get("unique").and_then(Expr::as_bool).unwrap_or(false)
        || e.get("type")
            .and_then(Expr::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("unique"));
    let method = e
        .get("using")
        .and_then(Expr::as_str)
        .map(|m| m.to_lowercase());
    if let Some(w) = e.get("where") {
        return Err(located(
            model,
            w,
            "index where clauses are not read statically".into(),
        ));
    }
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

/// The database `models` create on `dialect`, unqualified tables in `schema`.
pub fn database(models: &[Model], dialect: Dialect, schema: &str) -> Result<Database, SourceError> {
    let mut db = Database::default();
    let s = db.schema_mut(schema);
    for m in models {
        let (t, enums) = table(m, dialect)?;
        for e in enums {
            s.enums.insert(e.name.clone(), e);
        }
        s.tables.insert(t.name.clone(), t);
    }
    Ok(db)
}
