//! The catalog of one schema: every model and enum by name with the database names Prisma
//! gives them (`@@map`, `@@schema`, `@map`), and what each field's type refers to.

use crate::ast::{Attribute, Field, Model, Schema};
use crate::diag::Problem;
use crate::types::Scalar;
use std::collections::{HashMap, HashSet};

/// ModelInfo is a model with its table's name and schema.
pub struct ModelInfo<'a> {
    pub ast: &'a Model,
    pub table: String,
    pub schema: String,
}

/// EnumInfo is an enum with its database name, schema and members (name, database value).
pub struct EnumInfo {
    pub db_name: String,
    pub schema: String,
    pub members: Vec<(String, String)>,
}

/// Catalog indexes the models and enums of a schema.
pub struct Catalog<'a> {
    /// Models in reading order.
    pub models: Vec<ModelInfo<'a>>,
    by_name: HashMap<&'a str, usize>,
    enums: HashMap<&'a str, EnumInfo>,
    views: HashSet<&'a str>,
    composites: HashSet<&'a str>,
}

/// FieldClass is what a field's type refers to.
pub enum FieldClass<'c> {
    Scalar(Scalar),
    Enum(&'c EnumInfo),
    /// A relation to the model at this index of [`Catalog::models`].
    Relation(usize),
    /// `Unsupported("db type")`.
    Unsupported(&'c str),
}

impl<'a> Catalog<'a> {
    /// Index `schema`; `default_schema` holds what has no `@@schema`.
    pub fn new(schema: &'a Schema, default_schema: &str) -> Result<Catalog<'a>, Problem> {
        let mut catalog = Catalog {
            models: Vec::new(),
            by_name: HashMap::new(),
            enums: HashMap::new(),
            views: schema.views.iter().map(|v| v.name.name.as_str()).collect(),
            composites: schema.types.iter().map(|t| t.name.name.as_str()).collect(),
        };
        for model in &schema.models {
            if catalog.by_name.contains_key(model.name.name.as_str()) {
                return Err(Problem::new(
                    model.name.pos,
                    format!("model `{}` is defined twice", model.name.name),
                ));
            }
            catalog
                .by_name
                .insert(model.name.name.as_str(), catalog.models.len());
            catalog.models.push(ModelInfo {
                ast: model,
                table: block_string(&model.attributes, "map")?
                    .unwrap_or_else(|| model.name.name.clone()),
                schema: block_string(&model.attributes, "schema")?
                    .unwrap_or_else(|| default_schema.to_string()),
            });
        }
        for e in &schema.enums {
            let mut members = Vec::new();
            for v in &e.values {
                let db = match v.attributes.iter().find(|a| a.name.name == "map") {
                    Some(a) => string_arg(a)?,
                    None => v.name.name.clone(),
                };
                members.push((v.name.name.clone(), db));
            }
            let info = EnumInfo {
                db_name: block_string(&e.attributes, "map")?.unwrap_or_else(|| e.name.name.clone()),
                schema: block_string(&e.attributes, "schema")?
                    .unwrap_or_else(|| default_schema.to_string()),
                members,
            };
            if catalog.enums.insert(e.name.name.as_str(), info).is_some() {
                return Err(Problem::new(
                    e.name.pos,
                    format!("enum `{}` is defined twice", e.name.name),
                ));
            }
        }
        Ok(catalog)
    }

    /// The index of the model called `name`.
    pub fn model_index(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// What the type of `field` refers to.
    pub fn classify<'s>(&'s self, field: &'s Field) -> Result<FieldClass<'s>, Problem> {
        let name = field.ty.name.name.as_str();
        if let Some(db_type) = &field.ty.unsupported {
            return Ok(FieldClass::Unsupported(db_type));
        }
        if let Some(s) = Scalar::named(name) {
            return Ok(FieldClass::Scalar(s));
        }
        if let Some(e) = self.enums.get(name) {
            return Ok(FieldClass::Enum(e));
        }
        if let Some(i) = self.model_index(name) {
            return Ok(FieldClass::Relation(i));
        }
        let pos = field.ty.name.pos;
        if self.views.contains(name) {
            return Err(Problem::new(
                pos,
                format!("relations to views are not supported (`{name}` is a view)"),
            ));
        }
        if self.composites.contains(name) {
            return Err(Problem::new(
                pos,
                format!("`{name}` is a composite type, which only MongoDB supports"),
            ));
        }
        Err(Problem::new(pos, format!("unknown type `{name}`")))
    }
}

/// The database name of a field: `@map("x")` or the field name.
pub fn column_name(field: &Field) -> Result<String, Problem> {
    match field.attributes.iter().find(|a| a.name.name == "map") {
        Some(a) => string_arg(a),
        None => Ok(field.name.name.clone()),
    }
}

/// The string argument of block attribute `@@name`, if present.
fn block_string(attributes: &[Attribute], name: &str) -> Result<Option<String>, Problem> {
    attributes
        .iter()
        .find(|a| a.name.name == name)
        .map(string_arg)
        .transpose()
}

/// The first (or `name:`) argument of `attr`, which must be a string.
pub fn string_arg(attr: &Attribute) -> Result<String, Problem> {
    match attr.arg("name", true) {
        Some(arg) => arg.value.as_str().map(str::to_string).ok_or_else(|| {
            Problem::new(arg.value.pos, format!("@{} takes a string", attr.name.name))
        }),
        None => Err(Problem::new(
            attr.pos,
            format!("@{} needs a name", attr.name.name),
        )),
    }
}

impl Catalog<'_> {
    /// The enum called `name`; every enum block is in the catalog.
    pub fn enum_info(&self, name: &str) -> &EnumInfo {
        &self.enums[name]
    }
}
