//! Models as Sequelize builds them: names, implicit `id` and timestamps, then the foreign-key
//! attributes and join models that associations add, in the order the calls run.

use crate::attribute::{Attribute, Unique, text};
use crate::datatype::DataType;
use crate::inflection::{camelize, pluralize, singularize, underscore};
use crate::js::{Expr, Pos, Value};
use crate::read::{AssociationDef, AssociationKind, Found, ModelDef, located, object};
use std::path::PathBuf;
use strata_schema::SourceError;

/// Model is one resolved model.
#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub binding: Option<String>,
    pub singular: String,
    pub table: String,
    pub underscored: bool,
    pub attributes: Vec<Attribute>,
    /// The `indexes` option's entries.
    pub indexes: Vec<Expr>,
    /// The model's own options as written: a join table `belongsToMany` defines from a table
    /// name takes them (see [`join_model`]).
    pub options: Option<Expr>,
    /// The table comment (`comment` option).
    pub comment: Option<String>,
    pub file: PathBuf,
}

/// Model options that change the schema, with the `define` defaults applied.
struct Options<'a> {
    props: Vec<(&'a str, &'a Expr)>,
}

impl<'a> Options<'a> {
    fn get(&self, key: &str) -> Option<&'a Expr> {
        self.props
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }

    fn flag(&self, key: &str, default: bool) -> bool {
        self.get(key).and_then(Expr::as_bool).unwrap_or(default)
    }

    /// A timestamp option: `false` drops it, a string renames it.
    fn timestamp(&self, key: &str) -> Option<String> {
        match self.get(key).map(|e| &e.value) {
            Some(Value::Bool(false)) => None,
            Some(Value::Str(s)) => Some(s.clone()),
            _ => Some(key.to_string()),
        }
    }
}

/// Options every model accepts that do not change the schema.
const APP_SIDE_OPTIONS: &[&str] = &[
    "sequelize",
    "modelName",
    "hooks",
    "scopes",
    "defaultScope",
    "validate",
    "getterMethods",
    "setterMethods",
    "name",
    "omitNull",
    "schema",
    "charset",
    "collate",
    "engine",
    "initialAutoIncrement",
    "whereMergeStrategy",
];

impl Model {
    fn build(
        def: &ModelDef,
        defaults: Option<&Expr>,
        warnings: &mut Vec<SourceError>,
    ) -> Result<Model, SourceError> {
        let file = &def.file;
        let mut props = Vec::new();
        for source in [defaults, def.options.as_ref()].into_iter().flatten() {
            for (k, v) in object(file, source, "model options")? {
                props.push((k.as_str(), v));
            }
        }
        let opts = Options { props };
        for (k, v) in &opts.props {
            let known = [
                "tableName",
                "freezeTableName",
                "underscored",
                "timestamps",
                "paranoid",
                "createdAt",
                "updatedAt",
                "deletedAt",
                "version",
                "indexes",
                "comment",
            ];
            if !known.contains(k) && !APP_SIDE_OPTIONS.contains(k) {
                warnings.push(located(
                    file,
                    v.pos,
                    format!("model option {k} is not read (ignored)"),
                ));
            }
        }
        let underscored = opts.flag("underscored", false);
        let table = match opts.get("tableName") {
            Some(t) => t
                .as_str()
                .ok_or_else(|| located(file, t.pos, "tableName must be a string literal".into()))?
                .to_string(),
            None if opts.flag("freezeTableName", false) => def.name.clone(),
            None if underscored => underscore(&pluralize(&def.name)),
            None => pluralize(&def.name),
        };
        let mut attributes = Vec::new();
        for (key, spec) in &def.attributes {
            let a = Attribute::read(file, key, spec, underscored, warnings)?;
            if a.data_type != DataType::Virtual {
                attributes.push(a);
            }
        }
        if !attributes.iter().any(|a| a.primary_key) {
            let mut id = implicit(
                "id",
                DataType::Integer {
                    name: "INTEGER",
                    unsigned: false,
                },
                underscored,
            );
            id.primary_key = true;
            id.auto_increment = true;
            id.auto_generated = true;
            id.allow_null = Some(false);
            attributes.insert(0, id);
        }
        if opts.flag("timestamps", true) {
            let paranoid = opts.flag("paranoid", false);
            for (key, not_null) in [
                ("createdAt", true),
                ("updatedAt", true),
                ("deletedAt", false),
            ] {
                if key == "deletedAt" && !paranoid {
                    continue;
                }
                if let Some(name) = opts.timestamp(key) {
                    if attributes.iter().any(|a| a.key == name) {
                        continue;
                    }
                    let mut a = implicit(&name, DataType::Date { precision: None }, underscored);
                    a.allow_null = Some(!not_null);
                    attributes.push(a);
                }
            }
        }
        if let Some(v) = opts.get("version").filter(|v| v.as_bool() != Some(false)) {
            let name = v.as_str().unwrap_or("version");
            let mut a = implicit(
                name,
                DataType::Integer {
                    name: "INTEGER",
                    unsigned: false,
                },
                underscored,
            );
            a.allow_null = Some(false);
            a.default = Some(Expr {
                value: Value::Num("0".into()),
                pos: v.pos,
            });
            attributes.push(a);
        }
        let indexes = match opts.get("indexes") {
            Some(Expr {
                value: Value::Array(items),
                ..
            }) => items.clone(),
            Some(other) => {
                return Err(located(
                    file,
                    other.pos,
                    "indexes must be an array literal".into(),
                ));
            }
            None => Vec::new(),
        };
        Ok(Model {
            name: def.name.clone(),
            binding: def.binding.clone(),
            singular: singularize(&def.name),
            table,
            underscored,
            attributes,
            indexes,
            options: def.options.clone(),
            comment: opts
                .get("comment")
                .map(|c| text(file, c, "comment"))
                .transpose()?,
            file: file.to_path_buf(),
        })
    }

    /// The primary-key attribute Sequelize associates through (the first key attribute).
    fn primary(&self) -> &Attribute {
        self.attributes
            .iter()
            .find(|a| a.primary_key)
            .unwrap_or(&self.attributes[0])
    }

    /// Add `attr` unless an attribute of that key exists; then fill what the existing one
    /// leaves unset (Sequelize's `mergeDefaults`: what the user wrote wins).
    fn merge(&mut self, attr: Attribute) {
        match self.attributes.iter_mut().find(|a| a.key == attr.key) {
            Some(a) => {
                a.references = a.references.take().or(attr.references);
                a.on_delete = a.on_delete.take().or(attr.on_delete);
                a.on_update = a.on_update.take().or(attr.on_update);
                a.allow_null = a.allow_null.or(attr.allow_null);
                a.primary_key |= attr.primary_key;
                if a.unique.is_none() {
                    a.unique = attr.unique;
                }
            }
            None => self.attributes.push(attr),
        }
    }

    /// Add `attr`, or write its key settings over the attribute of that key (`belongsToMany`
    /// assigns its key attributes onto the through model's with `Object.assign`: type,
    /// reference and actions replaced, key and unique flags added; field and nullability kept).
    fn assign(&mut self, attr: Attribute) {
        match self.attributes.iter_mut().find(|a| a.key == attr.key) {
            Some(a) => {
                a.data_type = attr.data_type;
                a.references = attr.references;
                a.on_delete = attr.on_delete;
                a.on_update = attr.on_update;
                a.primary_key |= attr.primary_key;
                a.allow_null = attr.allow_null.or(a.allow_null);
                if attr.unique.is_some() {
                    a.unique = attr.unique;
                }
            }
            None => self.attributes.push(attr),
        }
    }
}

fn implicit(key: &str, data_type: DataType, underscored: bool) -> Attribute {
    Attribute {
        key: key.to_string(),
        field: if underscored {
            underscore(key)
        } else {
            key.to_string()
        },
        data_type,
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
    }
}

/// All models of `found`, with their associations applied.
pub fn resolve(found: &Found, warnings: &mut Vec<SourceError>) -> Result<Vec<Model>, SourceError> {
    let mut models = Vec::new();
    for def in &found.models {
        models.push(Model::build(def, found.define_defaults.as_ref(), warnings)?);
    }
    for assoc in &found.associations {
        apply(&mut models, assoc, found.define_defaults.as_ref())?;
    }
    Ok(models)
}

/// The model a code reference names: a variable or class bound to it, or its model name
/// (`models.Book`, `sequelize.models.Book`, `() => Book`).
fn find(models: &[Model], reference: &[String]) -> Option<usize> {
    let last = reference.last()?;
    models
        .iter()
        .position(|m| m.binding.as_deref() == Some(last.as_str()))
        .or_else(|| models.iter().position(|m| &m.name == last))
}

struct AssocOptions<'a> {
    def: &'a AssociationDef,
}

impl<'a> AssocOptions<'a> {
    fn get(&self, key: &str) -> Option<&'a Expr> {
        self.def.options.as_ref().and_then(|o| o.get(key))
    }

    fn text(&self, key: &str) -> Result<Option<String>, SourceError> {
        self.get(key)
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    located(
                        &self.def.file,
                        v.pos,
                        format!("{key} must be a string literal to be read statically"),
                    )
                })
            })
            .transpose()
    }

    /// `foreignKey` / `otherKey`: a name, or an attribute object (`{ name, field, allowNull }`).
    fn key(&self, option: &str) -> Result<(Option<String>, Option<&'a Expr>), SourceError> {
        match self.get(option) {
            None => Ok((None, None)),
            Some(v) => match &v.value {
                Value::Str(s) => Ok((Some(s.clone()), None)),
                Value::Object(_) => {
                    let name = v
                        .get("name")
                        .or_else(|| v.get("fieldName"))
                        .and_then(Expr::as_str);
                    Ok((name.map(str::to_string), Some(v)))
                }
                _ => Err(located(
                    &self.def.file,
                    v.pos,
                    format!("{option} cannot be read statically: {}", v.describe()),
                )),
            },
        }
    }

    /// The attribute of `model` the key option `option` (`targetKey`, `sourceKey`) names.
    fn attribute<'m>(
        &self,
        model: &'m Model,
        option: &str,
    ) -> Result<Option<&'m Attribute>, SourceError> {
        let Some(key) = self.text(option)? else {
            return Ok(None);
        };
        let found = model.attributes.iter().find(|a| a.key == key);
        found.map(Some).ok_or_else(|| {
            located(
                &self.def.file,
                self.get(option).map_or(self.def.pos, |v| v.pos),
                format!("{option} {key} is not an attribute of {}", model.name),
            )
        })
    }

    /// `as`: a name, or `{ singular, plural }`.
    fn alias(&self, plural_form: bool) -> Option<String> {
        let v = self.get("as")?;
        match &v.value {
            Value::Str(s) => Some(s.clone()),
            Value::Object(_) => v
                .get(if plural_form { "plural" } else { "singular" })
                .and_then(Expr::as_str)
                .map(str::to_string),
            _ => None,
        }
    }
}

/// An attribute for a foreign key `key` referencing `target`'s attribute `target_key` (its
/// primary key when `None`), shaped by the association's key object (`{ allowNull, field }`).
fn foreign_key(
    key: &str,
    target: &Model,
    target_key: Option<&Attribute>,
    owner_underscored: bool,
    spec: Option<&Expr>,
) -> Attribute {
    let referenced = target_key.unwrap_or_else(|| target.primary());
    let mut a = implicit(key, referenced.data_type.clone(), owner_underscored);
    a.references = Some((target.table.clone(), Some(referenced.field.clone())));
    if let Some(spec) = spec {
        a.allow_null = spec.get("allowNull").and_then(Expr::as_bool);
        if let Some(f) = spec.get("field").and_then(Expr::as_str) {
            a.field = f.to_string();
        }
    }
    a
}

/// The model `belongsToMany` defines for a through table given by name: the first side's
/// options as written (all but `hooks`, `timestamps` and scopes: its `underscored`, timestamp
/// names, `version` and `comment` included), with the table name, no indexes, not paranoid,
/// and the association's `timestamps` (else the global `define`'s).
fn join_model(
    first: &Model,
    table: &str,
    opts: &AssocOptions,
    defaults: Option<&Expr>,
    pos: Pos,
) -> Result<Model, SourceError> {
    let inherited: &[(String, Expr)] = match &first.options {
        Some(Expr {
            value: Value::Object(props),
            ..
        }) => props,
        _ => &[],
    };
    let mut props: Vec<(String, Expr)> = inherited
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "hooks" | "timestamps" | "scopes" | "defaultScope"
            )
        })
        .cloned()
        .collect();
    let at = |value| Expr { value, pos };
    props.push(("tableName".into(), at(Value::Str(table.to_string()))));
    props.push(("indexes".into(), at(Value::Array(Vec::new()))));
    props.push(("paranoid".into(), at(Value::Bool(false))));
    if let Some(t) = opts.get("timestamps") {
        props.push(("timestamps".into(), t.clone()));
    }
    let def = ModelDef {
        name: table.to_string(),
        binding: None,
        attributes: Vec::new(),
        options: Some(at(Value::Object(props))),
        file: first.file.clone(),
    };
    // The first side's options were already checked: their warnings are not repeated.
    Model::build(&def, defaults, &mut Vec::new())
}

fn apply(
    models: &mut Vec<Model>,
    def: &AssociationDef,
    defaults: Option<&Expr>,
) -> Result<(), SourceError> {
    let file = &def.file;
    let unknown = |what: &str, e: &str| {
        located(
            file,
            def.pos,
            format!("association {what} {e} is not a model defined in the source"),
        )
    };
    let source =
        find(models, &def.source).ok_or_else(|| unknown("source", &def.source.join(".")))?;
    let target_ref = match &def.target.value {
        Value::Path(p) => p.clone(),
        Value::Function {
            returns: Some(r), ..
        } => match &r.value {
            Value::Path(p) => p.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let target =
        find(models, &target_ref).ok_or_else(|| unknown("target", &def.target.describe()))?;
    let opts = AssocOptions { def };
    if let Some(o) = &def.options {
        object(file, o, "association options")?;
    }
    let constraints = opts.get("constraints").and_then(Expr::as_bool) != Some(false);
    let on_delete = opts.text("onDelete")?.map(|s| s.to_uppercase());
    let on_update = opts.text("onUpdate")?.map(|s| s.to_uppercase());
    let (s, t) = (&models[source], &models[target]);
    match def.kind {
        AssociationKind::BelongsTo => {
            let alias = opts.alias(false).unwrap_or_else(|| t.singular.clone());
            let (named, spec) = opts.key("foreignKey")?;
            let key = named.unwrap_or_else(|| camelize(&format!("{alias}_{}", t.primary().key)));
            let mut fk = foreign_key(
                &key,
                t,
                opts.attribute(t, "targetKey")?,
                s.underscored,
                spec,
            );
            let existing_allows_null = s
                .attributes
                .iter()
                .find(|a| a.key == key)
                .map_or(fk.allow_null.unwrap_or(true), |a| {
                    a.allow_null.unwrap_or(false)
                });
            if constraints {
                fk.on_delete = Some(on_delete.unwrap_or_else(|| {
                    if existing_allows_null {
                        "SET NULL"
                    } else {
                        "NO ACTION"
                    }
                    .into()
                }));
                fk.on_update = Some(on_update.unwrap_or_else(|| "CASCADE".into()));
            } else {
                fk.references = None;
            }
            models[source].merge(fk);
        }
        AssociationKind::HasOne | AssociationKind::HasMany => {
            let (named, spec) = opts.key("foreignKey")?;
            let base = if def.kind == AssociationKind::HasOne {
                singularize(&opts.alias(false).unwrap_or_else(|| s.name.clone()))
            } else {
                s.singular.clone()
            };
            let key = named.unwrap_or_else(|| camelize(&format!("{base}_{}", s.primary().key)));
            let mut fk = foreign_key(
                &key,
                s,
                opts.attribute(s, "sourceKey")?,
                t.underscored,
                spec,
            );
            let allows_null = t
                .attributes
                .iter()
                .find(|a| a.key == key)
                .map_or(fk.allow_null.unwrap_or(true), |a| {
                    a.allow_null.unwrap_or(false)
                });
            if constraints {
                fk.on_delete =
                    Some(on_delete.unwrap_or_else(|| {
                        if allows_null { "SET NULL" } else { "CASCADE" }.into()
                    }));
                fk.on_update = Some(on_update.unwrap_or_else(|| "CASCADE".into()));
            } else {
                fk.references = None;
            }
            models[target].merge(fk);
        }
        AssociationKind::BelongsToMany => {
            let through = opts.get("through").ok_or_else(|| {
                located(file, def.pos, "belongsToMany needs a through option".into())
            })?;
            let through_ref: Vec<String> = match &through.value {
                Value::Str(s) => vec![s.clone()],
                Value::Path(p) => p.clone(),
                Value::Object(_) => match through.get("model").map(|m| &m.value) {
                    Some(Value::Str(s)) => vec![s.clone()],
                    Some(Value::Path(p)) => p.clone(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            let join = match find(models, &through_ref) {
                Some(j) => j,
                None => {
                    let [name] = &through_ref[..] else {
                        return Err(located(
                            file,
                            through.pos,
                            "through must be a table name or a model defined in the source".into(),
                        ));
                    };
                    let join = join_model(&models[source], name, &opts, defaults, through.pos)?;
                    models.push(join);
                    models.len() - 1
                }
            };
            let (s, t) = (&models[source], &models[target]);
            let self_assoc = source == target;
            let (fk_named, fk_spec) = opts.key("foreignKey")?;
            let (ok_named, ok_spec) = opts.key("otherKey")?;
            let fk_key = fk_named
                .unwrap_or_else(|| camelize(&format!("{}_{}", s.singular, s.primary().key)));
            let other_base = if self_assoc {
                singularize(&opts.alias(true).unwrap_or_else(|| pluralize(&t.name)))
            } else {
                t.singular.clone()
            };
            let ok_key =
                ok_named.unwrap_or_else(|| camelize(&format!("{other_base}_{}", t.primary().key)));
            let j_underscored = models[join].underscored;
            let mut fk = foreign_key(&fk_key, &models[source], None, j_underscored, fk_spec);
            let mut ok = foreign_key(&ok_key, &models[target], None, j_underscored, ok_spec);
            // Sequelize drops the through model's generated primary key (its `id`, or the
            // keys an earlier `belongsToMany` of the pair generated) for a composite key of the
            // two; a through model with a key of its own gets a unique key over the two instead.
            // A join model just defined from a table name has no attributes yet: its `id` goes.
            let mut key_deleted = !models[join].attributes.iter().any(|a| a.primary_key);
            models[join].attributes.retain_mut(|a| {
                if !(a.primary_key && a.auto_generated) {
                    return true;
                }
                key_deleted = true;
                a.primary_key = false;
                a.key == fk_key || a.key == ok_key
            });
            for key in [&mut fk, &mut ok] {
                key.auto_generated = !models[join].attributes.iter().any(|a| a.key == key.key);
            }
            if key_deleted {
                fk.primary_key = true;
                ok.primary_key = true;
            } else {
                let name = format!("{}_{fk_key}_{ok_key}_unique", models[join].table);
                fk.unique = Some(Unique::Named(name.clone()));
                ok.unique = Some(Unique::Named(name));
            }
            // The association's actions win on the source side; on the other side the
            // through model's own attribute wins.
            let declared = |key: &str| {
                models[join]
                    .attributes
                    .iter()
                    .find(|a| a.key == key)
                    .map(|a| (a.on_delete.clone(), a.on_update.clone()))
                    .unwrap_or_default()
            };
            let (fk_delete, fk_update) = declared(&fk_key);
            let (ok_delete, ok_update) = declared(&ok_key);
            let cascade = || Some("CASCADE".to_string());
            if constraints {
                fk.on_delete = on_delete.clone().or(fk_delete).or_else(cascade);
                fk.on_update = on_update.clone().or(fk_update).or_else(cascade);
                ok.on_delete = ok_delete.or(on_delete).or_else(cascade);
                ok.on_update = ok_update.or(on_update).or_else(cascade);
            } else {
                fk.references = None;
                ok.references = None;
            }
            models[join].assign(fk);
            models[join].assign(ok);
        }
    }
    Ok(())
}
