//! One model attribute as Sequelize normalises it: its column name, data type and options.

use crate::datatype::DataType;
use crate::inflection::underscore;
use crate::js::{Expr, Value};
use crate::read::{located, object};
use std::path::Path;
use strata_schema::SourceError;

/// Unique is an attribute's `unique`: alone (`true`) or part of a named key.
#[derive(Debug, Clone, PartialEq)]
pub enum Unique {
    Alone,
    Named(String),
}

/// Attribute is one column of a model.
#[derive(Debug, Clone)]
pub struct Attribute {
    pub key: String,
    pub field: String,
    pub data_type: DataType,
    /// `allowNull` as written; `None` when absent (Sequelize then allows NULL, but association
    /// defaults treat "absent" as falsy).
    pub allow_null: Option<bool>,
    pub default: Option<Expr>,
    pub primary_key: bool,
    pub auto_increment: bool,
    pub unique: Option<Unique>,
    /// `references`: the referenced table and column (column `None`: its primary key).
    pub references: Option<(String, Option<String>)>,
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
    pub comment: Option<String>,
    /// Sequelize added it (the implicit `id`, the keys `belongsToMany` adds to a through
    /// model), not the user.
    pub auto_generated: bool,
}

/// Options that change nothing in the schema (validation, getters, app-side hooks).
const APP_SIDE: &[&str] = &["validate", "get", "set"];

fn flag(file: &Path, e: &Expr, what: &str) -> Result<bool, SourceError> {
    e.as_bool().ok_or_else(|| {
        located(
            file,
            e.pos,
            format!("{what} must be true or false, found {}", e.describe()),
        )
    })
}

/// The string literal `e`, or a located error saying `what` must be one.
pub(crate) fn text(file: &Path, e: &Expr, what: &str) -> Result<String, SourceError> {
    e.as_str().map(str::to_string).ok_or_else(|| {
        located(
            file,
            e.pos,
            format!(
                "{what} must be a string literal to be read statically, found {}",
                e.describe()
            ),
        )
    })
}

impl Attribute {
    /// Read attribute `key` defined as `spec` (a data type, or an options object with `type`).
    /// Unknown options are reported in `warnings`.
    pub fn read(
        file: &Path,
        key: &str,
        spec: &Expr,
        underscored: bool,
        warnings: &mut Vec<SourceError>,
    ) -> Result<Attribute, SourceError> {
        let props: &[(String, Expr)] = match &spec.value {
            Value::Object(_) => object(file, spec, "attribute options")?,
            _ => &[],
        };
        let type_expr = if props.is_empty() {
            spec
        } else {
            props
                .iter()
                .find(|(k, _)| k == "type")
                .map(|(_, v)| v)
                .ok_or_else(|| located(file, spec.pos, format!("attribute {key} has no type")))?
        };
        let mut data_type =
            DataType::read(type_expr).map_err(|m| located(file, type_expr.pos, m))?;
        let mut a = Attribute {
            key: key.to_string(),
            field: if underscored {
                underscore(key)
            } else {
                key.to_string()
            },
            data_type: data_type.clone(),
            allow_null: None,
            default: None,
            primary_key: false,
            auto_increment: false,
            unique: None,
            references: None,
            on_delete: None,
            on_update: None,
            comment: None,
            auto_generated: false,
        };
        for (name, v) in props {
            match name.as_str() {
                "type" => {}
                "allowNull" => a.allow_null = Some(flag(file, v, "allowNull")?),
                "defaultValue" => a.default = Some(v.clone()),
                "primaryKey" => a.primary_key = flag(file, v, "primaryKey")?,
                "autoIncrement" => a.auto_increment = flag(file, v, "autoIncrement")?,
                "field" => a.field = text(file, v, "field")?,
                "comment" => a.comment = Some(text(file, v, "comment")?),
                "onDelete" => a.on_delete = Some(text(file, v, "onDelete")?.to_uppercase()),
                "onUpdate" => a.on_update = Some(text(file, v, "onUpdate")?.to_uppercase()),
                "unique" => {
                    a.unique = match &v.value {
                        Value::Bool(true) => Some(Unique::Alone),
                        Value::Bool(false) => None,
                        Value::Str(s) => Some(Unique::Named(s.clone())),
                        Value::Object(_) => match v.get("name") {
                            Some(n) => Some(Unique::Named(text(file, n, "unique.name")?)),
                            None => Some(Unique::Alone),
                        },
                        _ => {
                            return Err(located(
                                file,
                                v.pos,
                                format!("unique cannot be read statically: {}", v.describe()),
                            ));
                        }
                    }
                }
                "references" => a.references = Some(references(file, v)?),
                "values" => {
                    if let DataType::Enum { values } = &mut data_type
                        && values.is_empty()
                    {
                        *values = DataType::read(&Expr {
                            value: Value::Call {
                                callee: vec!["ENUM".into()],
                                args: vec![v.clone()],
                            },
                            pos: v.pos,
                        })
                        .map_err(|m| located(file, v.pos, m))
                        .map(|t| match t {
                            DataType::Enum { values } => values,
                            _ => Vec::new(),
                        })?;
                    }
                }
                other if APP_SIDE.contains(&other) => {}
                other => warnings.push(located(
                    file,
                    v.pos,
                    format!("attribute {key}: option {other} is not read (ignored)"),
                )),
            }
        }
        a.data_type = data_type;
        Ok(a)
    }

    /// Sequelize's NOT NULL: `allowNull: false`, or a primary key.
    pub fn not_null(&self) -> bool {
        self.allow_null == Some(false) || self.primary_key
    }
}

/// `references: { model: 'Table' | Model, key: 'id' }` (or `references: 'Table'`).
fn references(file: &Path, v: &Expr) -> Result<(String, Option<String>), SourceError> {
    if let Some(table) = v.as_str() {
        return Ok((table.to_string(), None));
    }
    let model = v
        .get("model")
        .ok_or_else(|| located(file, v.pos, "references needs a model".into()))?;
    let table = match &model.value {
        Value::Str(s) => s.clone(),
        Value::Object(_) => text(
            file,
            model.get("tableName").ok_or_else(|| {
                located(file, model.pos, "references.model needs tableName".into())
            })?,
            "references.model.tableName",
        )?,
        _ => {
            return Err(located(
                file,
                model.pos,
                format!(
                    "references.model must be a table name string to be read statically, found {}",
                    model.describe()
                ),
            ));
        }
    };
    let key = v
        .get("key")
        .map(|k| text(file, k, "references.key"))
        .transpose()?;
    Ok((table, key))
}
