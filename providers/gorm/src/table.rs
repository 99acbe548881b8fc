//! A model as the table GORM's migrator creates for a dialect: columns with types, NOT NULL and
//! DEFAULT (`FullDataTypeOf`), the primary key, `index` / `uniqueIndex` indexes
//! (`ParseIndexes`), `unique` constraints, `check` constraints and column comments.

use crate::column_type::{column_type, sqlite_inline_key};
use crate::go_types::Kind;
use crate::naming;
use crate::schema::{Field, Model};
use crate::tag::Settings;
use regex::Regex;
use std::sync::OnceLock;
use strata_schema::{
    Check, Column, Dialect, Index, IndexKey, IndexPart, PrimaryKey, SourceError, Table,
};

/// GORM's priority for an index field without `priority:`.
const DEFAULT_PRIORITY: i64 = 10;

/// The table of `model` for `dialect`; problems that change nothing in the DDL go to
/// `warnings`.
pub fn table(
    model: &Model,
    dialect: Dialect,
    warnings: &mut Vec<SourceError>,
) -> Result<Table, SourceError> {
    let mut table = Table::new(&model.table);
    for f in &model.fields {
        table.columns.push(column(f, dialect)?);
    }
    let inline_key = (dialect == Dialect::Sqlite)
        .then(|| model.fields.iter().find(|f| sqlite_inline_key(f)))
        .flatten();
    let key: Vec<String> = match inline_key {
        Some(f) => vec![f.db_name.clone()],
        None => model
            .fields
            .iter()
            .filter(|f| f.primary_key)
            .map(|f| f.db_name.clone())
            .collect(),
    };
    if !key.is_empty() {
        table.primary_key = Some(PrimaryKey {
            name: None,
            columns: key,
        });
    }
    table.indexes = indexes(model, dialect, warnings)?;
    for f in model.fields.iter().filter(|f| f.unique) {
        table.indexes.push(Index {
            name: naming::format_name("uni", &model.table, &f.db_name),
            parts: vec![IndexPart::column(&f.db_name)],
            unique: true,
            constraint: true,
            predicate: None,
            method: None,
            comment: None,
        });
    }
    table.checks = checks(model);
    Ok(table)
}

fn column(f: &Field, dialect: Dialect) -> Result<Column, SourceError> {
    let (ty, identity) = column_type(f, dialect);
    let mut c = Column::new(&f.db_name, ty);
    c.nullable = !(f.not_null || f.primary_key || identity.is_some());
    c.identity = identity;
    c.default = default_value(f, dialect)?;
    c.comment = f.comment.clone().filter(|_| dialect != Dialect::Sqlite);
    Ok(c)
}

/// `FullDataTypeOf`'s DEFAULT: `default:(-)` means none; booleans, numbers and strings are
/// parsed by the Go kind and printed as literals; anything with a call or `null` is verbatim.
fn default_value(f: &Field, dialect: Dialect) -> Result<Option<String>, SourceError> {
    let Some(raw) = f.default.as_deref() else {
        return Ok(None);
    };
    if raw.is_empty() || raw == "(-)" {
        return Ok(None);
    }
    let verbatim = (raw.contains('(') && raw.contains(')')) || raw.eq_ignore_ascii_case("null");
    if verbatim {
        return Ok(Some(raw.to_string()));
    }
    let bad = |what: &str| SourceError {
        location: f.at.clone(),
        message: format!("GORM cannot parse `default:{raw}` as a {what}"),
        help: None,
    };
    Ok(Some(match f.go_kind {
        Kind::Bool => match raw {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => "true".into(),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => "false".into(),
            _ => return Err(bad("boolean")),
        },
        Kind::Int | Kind::Uint => raw
            .trim()
            .parse::<i64>()
            .map_err(|_| bad("integer"))?
            .to_string(),
        Kind::Float => raw
            .trim()
            .parse::<f64>()
            .map_err(|_| bad("number"))?
            .to_string(),
        Kind::String => {
            let text = raw.trim_matches('\'').trim_matches('"');
            dialect.quote_str(text)
        }
        _ => raw.to_string(),
    }))
}

/// One field's part in an index, before sorting by priority.
struct Part {
    priority: i64,
    part: IndexPart,
}

/// `ParseIndexes` / `parseFieldIndexes`: every `index` / `uniqueIndex` in the raw tags, merged
/// by name in field order, parts sorted by priority.
fn indexes(
    model: &Model,
    dialect: Dialect,
    warnings: &mut Vec<SourceError>,
) -> Result<Vec<Index>, SourceError> {
    let mut out: Vec<(Index, Vec<Part>)> = Vec::new();
    for f in &model.fields {
        if !(f.settings.set("INDEX") || f.settings.set("UNIQUEINDEX")) {
            continue;
        }
        for value in f.tag.split(';').filter(|v| !v.is_empty()) {
            let mut kv = value.split(':');
            let key = kv.next().unwrap_or("").trim().to_uppercase();
            if key != "INDEX" && key != "UNIQUEINDEX" {
                continue;
            }
            let spec = kv.collect::<Vec<_>>().join(":");
            let (name, rest) = spec.split_once(',').unwrap_or((spec.as_str(), ""));
            let settings = Settings::parse(rest, ',');
            let name = if name.is_empty() {
                let sub = match settings.get("COMPOSITE") {
                    Some(c) if !c.is_empty() && c != "COMPOSITE" => c.to_string(),
                    Some(_) => {
                        return Err(SourceError {
                            location: f.at.clone(),
                            message: format!(
                                "the composite tag of {}.{} cannot be empty",
                                model.name, f.name
                            ),
                            help: None,
                        });
                    }
                    None => f.name.clone(),
                };
                naming::format_name("idx", &model.table, &naming::to_db_name(&sub))
            } else {
                name.to_string()
            };
            let class = if key == "UNIQUEINDEX" || settings.set("UNIQUE") {
                Some("UNIQUE".to_string())
            } else {
                settings.get("CLASS").map(str::to_uppercase)
            };
            if settings.set("OPTION") {
                warnings.push(SourceError {
                    location: f.at.clone(),
                    message: format!(
                        "index option `{}` does not change the schema; ignored",
                        settings.get("OPTION").unwrap_or("")
                    ),
                    help: None,
                });
            }
            let predicate = settings.get("WHERE").map(str::to_string);
            if predicate.is_some() && dialect == Dialect::Mysql {
                warnings.push(SourceError {
                    location: f.at.clone(),
                    message: format!(
                        "MySQL has no partial indexes: GORM creates {name} without its `where:`"
                    ),
                    help: None,
                });
            }
            let part = IndexPart {
                key: match settings.get("EXPRESSION") {
                    Some(e) => IndexKey::Expr(e.to_string()),
                    None => IndexKey::Column(f.db_name.clone()),
                },
                desc: settings
                    .get("SORT")
                    .is_some_and(|s| s.eq_ignore_ascii_case("desc")),
                length: settings.get("LENGTH").and_then(|l| l.parse().ok()),
                opclass: None,
                collation: settings.get("COLLATE").map(str::to_string),
            };
            let priority = settings
                .get("PRIORITY")
                .and_then(|p| p.parse().ok())
                .unwrap_or(DEFAULT_PRIORITY);
            let entry = match out.iter_mut().position(|(i, _)| i.name == name) {
                Some(i) => &mut out[i],
                None => {
                    out.push((
                        Index {
                            name: name.clone(),
                            parts: Vec::new(),
                            unique: false,
                            constraint: false,
                            predicate: None,
                            method: None,
                            comment: None,
                        },
                        Vec::new(),
                    ));
                    out.last_mut().expect("just pushed")
                }
            };
            let index = &mut entry.0;
            match class.as_deref() {
                Some("UNIQUE") => index.unique = true,
                Some(other) if index.method.is_none() => index.method = Some(other.to_string()),
                _ => {}
            }
            if index.method.is_none() {
                index.method = settings.get("TYPE").map(str::to_string);
            }
            if index.predicate.is_none() && dialect != Dialect::Mysql {
                index.predicate = predicate;
            }
            if index.comment.is_none() {
                index.comment = settings.get("COMMENT").map(str::to_string);
            }
            entry.1.push(Part { priority, part });
        }
    }
    Ok(out
        .into_iter()
        .map(|(mut index, mut parts)| {
            parts.sort_by_key(|p| p.priority);
            index.parts = parts.into_iter().map(|p| p.part).collect();
            index
        })
        .collect())
}

/// `ParseCheckConstraints`: `check:name,expr` when the part before the first comma is a
/// plain name, else `chk_<table>_<column>` over the whole value.
fn checks(model: &Model) -> Vec<Check> {
    static NAME: OnceLock<Regex> = OnceLock::new();
    let name_re = NAME.get_or_init(|| Regex::new(r"^[\w-]+$").expect("valid regex"));
    let mut out: Vec<Check> = Vec::new();
    for f in &model.fields {
        let Some(text) = f.settings.get("CHECK").filter(|c| !c.is_empty()) else {
            continue;
        };
        let check = match text.split_once(',') {
            Some((name, expr)) if name_re.is_match(name) => Check {
                name: name.to_string(),
                expr: expr.to_string(),
            },
            Some(("", expr)) => Check {
                name: naming::format_name("chk", &model.table, &f.db_name),
                expr: expr.to_string(),
            },
            _ => Check {
                name: naming::format_name("chk", &model.table, &f.db_name),
                expr: text.to_string(),
            },
        };
        out.retain(|c| c.name != check.name);
        out.push(check);
    }
    out
}
