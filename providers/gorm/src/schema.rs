//! GORM's `schema.Parse` for the package's models: which structs are models, their fields in
//! column order (embedded structs flattened, `embeddedPrefix` applied), each field's data type,
//! size and flags, primary keys and auto-increment, and the relation fields left for
//! [`crate::relations`].

use crate::go_source::DbDataType;
use crate::go_source::{FieldDecl, GoType, Package, StructDecl};
use crate::go_types::{GORM_MODEL, Kind, Shape, shape};
use crate::naming;
use crate::tag::{KNOWN_KEYS, Settings};
use std::collections::{BTreeSet, HashMap};
use strata_schema::{Location, SourceError};

/// One column-backed field of a model (`schema.Field`).
#[derive(Debug, Clone)]
pub struct Field {
    /// Go field name (the inner name for fields of embedded structs).
    pub name: String,
    pub db_name: String,
    /// The kind the Go type gives (`GORMDataType`), which decides auto-increment.
    pub go_kind: Kind,
    /// The data type after `type:` / `GormDataType` (`DataType`).
    pub kind: Kind,
    pub db_type: Option<DbDataType>,
    pub size: i64,
    pub precision: u32,
    pub scale: u32,
    pub primary_key: bool,
    pub auto_increment: bool,
    pub not_null: bool,
    pub unique: bool,
    /// The `default:` value as written.
    pub default: Option<String>,
    pub comment: Option<String>,
    pub settings: Settings,
    /// The whole `gorm:` tag, which GORM re-reads for indexes.
    pub tag: String,
    pub at: Location,
}

/// A field whose type is a model struct or a slice of them.
#[derive(Debug, Clone)]
pub struct RelationField {
    pub name: String,
    pub target: String,
    pub many: bool,
    pub settings: Settings,
    pub at: Location,
}

/// One model: a struct that becomes a table.
#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub table: String,
    pub fields: Vec<Field>,
    pub relations: Vec<RelationField>,
}

impl Model {
    /// `Schema.LookUpField`: by column name first, then by Go field name.
    pub fn look_up(&self, name: &str) -> Option<usize> {
        self.fields
            .iter()
            .position(|f| f.db_name == name)
            .or_else(|| self.fields.iter().position(|f| f.name == name))
    }

    pub fn primary_fields(&self) -> Vec<usize> {
        (0..self.fields.len())
            .filter(|&i| self.fields[i].primary_key)
            .collect()
    }

    /// `PrioritizedPrimaryField`: the `id` key, else the only key, else the auto-increment one.
    pub fn prioritized_primary(&self) -> Option<usize> {
        if let Some(i) = self.look_up("id").or_else(|| self.look_up("ID"))
            && self.fields[i].primary_key
        {
            return Some(i);
        }
        let keys = self.primary_fields();
        match keys.as_slice() {
            [one] => Some(*one),
            _ => keys.into_iter().find(|&i| self.fields[i].auto_increment),
        }
    }
}

/// The GORM `gorm.Model` struct, as declared in gorm.io/gorm.
fn gorm_model(at: &Location) -> StructDecl {
    let field = |name: &str, path: &str, ty: &str, tag: Option<&str>| FieldDecl {
        name: Some(name.into()),
        ty: GoType::Named {
            package: (!path.is_empty()).then(|| path.to_string()),
            name: ty.into(),
        },
        gorm_tag: tag.map(str::to_string),
        settings: Settings::parse(tag.unwrap_or(""), ';'),
        at: at.clone(),
    };
    StructDecl {
        name: GORM_MODEL.into(),
        fields: vec![
            field("ID", "", "uint", Some("primarykey")),
            field("CreatedAt", "time", "Time", None),
            field("UpdatedAt", "time", "Time", None),
            field("DeletedAt", "gorm.io/gorm", "DeletedAt", Some("index")),
        ],
        at: at.clone(),
    }
}

/// Reads models out of a package, collecting warnings.
pub struct SchemaReader<'p> {
    pub package: &'p Package,
    pub warnings: Vec<SourceError>,
}

impl<'p> SchemaReader<'p> {
    /// Structs GORM would migrate: exported structs embedding `gorm.Model` or carrying a `gorm:`
    /// tag (the Atlas provider's rule), minus value structs that are only ever embedded, plus
    /// every struct reachable through a relation field from one of them.
    pub fn model_names(&self) -> Vec<String> {
        let package = self.package;
        let mut embedded_only = BTreeSet::new();
        let mut related = BTreeSet::new();
        for s in &package.structs {
            for f in &s.fields {
                match shape(&f.ty, package) {
                    Shape::Struct(t) if f.name.is_none() || f.settings.set("EMBEDDED") => {
                        embedded_only.insert(t);
                    }
                    Shape::Struct(t) | Shape::StructSlice(t) => {
                        related.insert(t);
                    }
                    _ => {}
                }
            }
        }
        let is_candidate = |s: &StructDecl| {
            s.name.starts_with(|c: char| c.is_ascii_uppercase())
                && !embedded_only.contains(&s.name)
                && s.fields.iter().any(|f| {
                    f.gorm_tag.is_some()
                        || (f.name.is_none()
                            && matches!(shape(&f.ty, package), Shape::Struct(ref t) if t == GORM_MODEL))
                })
        };
        let mut names: Vec<String> = Vec::new();
        let mut queue: Vec<String> = package
            .structs
            .iter()
            .filter(|s| is_candidate(s))
            .map(|s| s.name.clone())
            .collect();
        while let Some(name) = queue.pop() {
            if names.contains(&name) {
                continue;
            }
            if let Some(s) = package.find_struct(&name) {
                for f in &s.fields {
                    if f.name.is_some()
                        && let Shape::Struct(t) | Shape::StructSlice(t) = shape(&f.ty, package)
                        && related.contains(&t)
                        && !f.settings.set("EMBEDDED")
                    {
                        queue.push(t);
                    }
                }
            }
            names.push(name);
        }
        names.sort();
        names
    }

    /// The model of struct `decl`.
    pub fn model(&mut self, decl: &StructDecl) -> Result<Model, SourceError> {
        let table = self
            .package
            .table_names
            .get(&decl.name)
            .cloned()
            .unwrap_or_else(|| naming::table_name(&decl.name));
        let mut model = Model {
            name: decl.name.clone(),
            table,
            fields: Vec::new(),
            relations: Vec::new(),
        };
        self.add_fields(&mut model, decl, "", 0)?;
        assign_primary_key(&mut model);
        Ok(model)
    }

    fn add_fields(
        &mut self,
        model: &mut Model,
        decl: &StructDecl,
        prefix: &str,
        depth: usize,
    ) -> Result<(), SourceError> {
        let package = self.package;
        for f in &decl.fields {
            let settings = &f.settings;
            self.warn_unknown(settings, &f.at);
            if matches!(
                settings.get("-").map(str::to_lowercase).as_deref(),
                Some("-" | "all" | "migration")
            ) {
                continue;
            }
            let shape = shape(&f.ty, package);
            let embeds = f.name.is_none() || settings.set("EMBEDDED");
            match shape {
                Shape::Struct(target) if embeds => {
                    let model_decl;
                    let inner = if target == GORM_MODEL {
                        model_decl = gorm_model(&f.at);
                        &model_decl
                    } else {
                        package
                            .find_struct(&target)
                            .ok_or_else(|| unknown_type(&f.at, &target))?
                    };
                    if depth > 8 {
                        return Err(SourceError {
                            location: f.at.clone(),
                            message: format!("{target} embeds itself"),
                            help: None,
                        });
                    }
                    let inner_prefix =
                        format!("{prefix}{}", settings.get("EMBEDDEDPREFIX").unwrap_or(""));
                    self.add_fields(model, inner, &inner_prefix, depth + 1)?;
                }
                Shape::Struct(target) | Shape::StructSlice(target)
                    if settings.get("TYPE").is_none() && !settings.has("SERIALIZER") =>
                {
                    let many = matches!(f.ty, GoType::Slice(_))
                        || matches!(&f.ty, GoType::Pointer(t) if matches!(**t, GoType::Slice(_)));
                    model.relations.push(RelationField {
                        name: f.name.clone().unwrap_or_default(),
                        target,
                        many,
                        settings: settings.clone(),
                        at: f.at.clone(),
                    });
                }
                shape => {
                    let field = self.field(f, shape, settings.clone(), prefix)?;
                    if !model.fields.iter().any(|x| x.db_name == field.db_name) {
                        model.fields.push(field);
                    }
                }
            }
        }
        Ok(())
    }

    fn field(
        &mut self,
        f: &FieldDecl,
        shape: Shape,
        settings: Settings,
        prefix: &str,
    ) -> Result<Field, SourceError> {
        let name = f.name.clone().unwrap_or_default();
        let serializer = settings.has("SERIALIZER");
        let (go_kind, bits, db_type) = match shape {
            Shape::Scalar {
                kind,
                bits,
                db_type,
            } => (kind, bits, db_type),
            // A serializer stores any Go value, as a string unless `type:` says otherwise.
            _ if serializer || settings.get("TYPE").is_some() => (Kind::String, 0, None),
            Shape::Unknown(what) | Shape::Struct(what) | Shape::StructSlice(what) => {
                return Err(SourceError {
                    location: f.at.clone(),
                    message: format!(
                        "cannot tell which column type GORM gives field {name} of type {what}"
                    ),
                    help: Some(
                        "add a `type:` tag with the column type, or a `serializer:` tag".into(),
                    ),
                });
            }
        };
        let go_kind = if serializer { Kind::String } else { go_kind };
        let kind = match settings.get("TYPE") {
            Some(t) => Kind::from_type_name(t),
            None => go_kind.clone(),
        };
        let number = |key: &str| -> Result<Option<i64>, SourceError> {
            match settings.get(key) {
                None => Ok(None),
                Some(v) => v.trim().parse::<i64>().map(Some).map_err(|_| SourceError {
                    location: f.at.clone(),
                    message: format!("`{}:{v}` is not a number", key.to_lowercase()),
                    help: None,
                }),
            }
        };
        let size = number("SIZE")?.unwrap_or(match go_kind {
            Kind::Int | Kind::Uint | Kind::Float => bits,
            _ => 0,
        });
        let column = settings
            .get("COLUMN")
            .map(str::to_string)
            .unwrap_or_else(|| naming::to_db_name(&name));
        let default = settings.get("DEFAULT").map(str::to_string);
        Ok(Field {
            db_name: format!("{prefix}{column}"),
            go_kind,
            kind,
            db_type,
            size,
            precision: number("PRECISION")?.unwrap_or(0).max(0) as u32,
            scale: number("SCALE")?.unwrap_or(0).max(0) as u32,
            primary_key: settings.truthy("PRIMARYKEY") || settings.truthy("PRIMARY_KEY"),
            auto_increment: settings.truthy("AUTOINCREMENT"),
            not_null: settings.truthy("NOT NULL") || settings.truthy("NOTNULL"),
            unique: settings.truthy("UNIQUE"),
            default,
            comment: settings.get("COMMENT").map(str::to_string),
            tag: f.gorm_tag.clone().unwrap_or_default(),
            settings,
            at: f.at.clone(),
            name,
        })
    }

    fn warn_unknown(&mut self, settings: &Settings, at: &Location) {
        for key in settings.keys() {
            if !KNOWN_KEYS.contains(&key) {
                self.warnings.push(SourceError {
                    location: at.clone(),
                    message: format!("unknown gorm tag key `{key}` ignored"),
                    help: None,
                });
            }
        }
    }
}

fn unknown_type(at: &Location, name: &str) -> SourceError {
    SourceError {
        location: at.clone(),
        message: format!("type {name} is not declared in this package"),
        help: None,
    }
}

/// GORM's primary-key rules: tagged keys; else a field named `id`/`ID` is the key; the
/// prioritized key of an integer kind auto-increments unless `autoIncrement` says otherwise.
fn assign_primary_key(model: &mut Model) {
    if model.primary_fields().is_empty()
        && let Some(i) = model.look_up("id").or_else(|| model.look_up("ID"))
    {
        model.fields[i].primary_key = true;
    }
    if let Some(i) = model.prioritized_primary() {
        let f = &mut model.fields[i];
        if matches!(f.go_kind, Kind::Int | Kind::Uint) && !f.settings.has("AUTOINCREMENT") {
            f.auto_increment = true;
        }
    }
}

/// Models by struct name.
pub type Models = HashMap<String, Model>;
