//! Model classes of the project's apps: their fields (with abstract-base fields first, as
//! Django orders them), `Meta` options and multi-table parents.

use crate::fields::{FieldKind, kind_of};
use crate::project::{App, Project, is_models_module};
use std::collections::HashMap;
use std::path::Path;
use strata_schema::SourceError;
use strata_sqlalchemy::python::ast::{Class, Expr, ExprKind, Module, Pos, Stmt};
use strata_sqlalchemy::python::error_at;

/// Field is one declared model field.
#[derive(Debug, Clone)]
pub struct Field<'a> {
    pub name: String,
    /// The Django field class (`CharField`).
    pub class: String,
    pub kind: FieldKind,
    pub call: &'a Expr,
    pub file: &'a Path,
}

impl Field<'_> {
    pub fn kwarg(&self, k: &str) -> Option<&Expr> {
        self.call.kwarg(k)
    }

    pub fn flag(&self, k: &str) -> Option<bool> {
        self.call.kwarg(k).and_then(Expr::as_bool)
    }

    pub fn at(&self) -> Pos {
        self.call.at
    }
}

/// Meta holds the `class Meta` options that shape the schema.
#[derive(Debug, Clone, Default)]
pub struct Meta<'a> {
    pub db_table: Option<String>,
    pub abstract_: bool,
    pub skipped: bool,
    pub app_label: Option<String>,
    pub comment: Option<String>,
    pub indexes: Vec<(&'a Path, &'a Expr)>,
    pub constraints: Vec<(&'a Path, &'a Expr)>,
    pub unique_together: Option<(&'a Path, &'a Expr)>,
    /// Django 4.2 and earlier; removed in 5.1.
    pub index_together: Option<(&'a Path, &'a Expr)>,
}

/// Model is a concrete or abstract model class.
pub struct Model<'a> {
    pub app: usize,
    pub name: String,
    pub file: &'a Path,
    pub class: &'a Class,
    pub fields: Vec<Field<'a>>,
    pub meta: Meta<'a>,
    /// Index of the concrete parent model (multi-table inheritance).
    pub parent: Option<usize>,
}

/// Meta attributes that do not change the schema.
const IGNORED_META: &[&str] = &[
    "ordering",
    "verbose_name",
    "verbose_name_plural",
    "get_latest_by",
    "default_related_name",
    "permissions",
    "default_permissions",
    "base_manager_name",
    "default_manager_name",
    "order_with_respect_to",
    "select_on_save",
    "required_db_features",
    "required_db_vendor",
    "db_tablespace",
];

pub fn collect<'a>(
    project: &'a Project,
    warnings: &mut Vec<SourceError>,
) -> Result<Vec<Model<'a>>, SourceError> {
    let mut models: Vec<Model<'a>> = Vec::new();
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    let classes = classes_of(project);
    let order = bases_first(&classes.iter().map(|c| c.2).collect::<Vec<_>>());
    for (app_index, module, class) in order.into_iter().map(|k| classes[k]) {
        let model_bases: Vec<Option<usize>> = class
            .bases
            .iter()
            .filter_map(|b| {
                let name = b.last_name()?;
                if let Some(&i) = by_name.get(name) {
                    Some(Some(i))
                } else if name == "Model" {
                    Some(None)
                } else {
                    None
                }
            })
            .collect();
        if model_bases.is_empty() {
            continue;
        }
        let file = module.path.as_path();
        let parents: Vec<usize> = model_bases.into_iter().flatten().collect();
        let mut m = meta(file, class, warnings)?;
        let inherited = parents
            .iter()
            .find(|&&p| models[p].meta.abstract_)
            .map(|&p| &models[p].meta);
        if let Some(parent_meta) = inherited
            && !has_meta(class)
        {
            m.indexes = parent_meta.indexes.clone();
            m.constraints = parent_meta.constraints.clone();
            m.unique_together = parent_meta.unique_together;
            m.index_together = parent_meta.index_together;
        }
        let mut fields: Vec<Field<'a>> = Vec::new();
        for &p in &parents {
            if models[p].meta.abstract_ {
                for f in &models[p].fields {
                    if !fields.iter().any(|x| x.name == f.name) {
                        fields.push(f.clone());
                    }
                }
            }
        }
        for f in own_fields(file, class)? {
            fields.retain(|x| x.name != f.name);
            fields.push(f);
        }
        let concrete_parent = parents.iter().copied().find(|&p| !models[p].meta.abstract_);
        let app = match &m.app_label {
            Some(label) => project
                .apps
                .iter()
                .position(|a| &a.label == label)
                .unwrap_or(app_index),
            None => app_index,
        };
        by_name.insert(class.name.as_str(), models.len());
        models.push(Model {
            app,
            name: class.name.clone(),
            file,
            class,
            fields,
            meta: m,
            parent: concrete_parent,
        });
    }
    Ok(models)
}

/// Every class of the apps' model modules, with its app's index, in file order.
fn classes_of(project: &Project) -> Vec<(usize, &Module, &Class)> {
    let mut classes = Vec::new();
    for (app_index, app) in project.apps.iter().enumerate() {
        for module in project
            .modules
            .iter()
            .filter(|m| is_models_module(app, &m.name))
        {
            for stmt in &module.body {
                if let Stmt::Class(class) = stmt {
                    classes.push((app_index, module, class));
                }
            }
        }
    }
    classes
}

/// Indices of `classes` in file order, except that a class comes after the project classes its
/// bases name: a models package may define a subclass in a module read before its base's
/// (`models/orders.py` importing `TimeStamped` from `models/products.py`), which Python
/// resolves by the import, not by file order.
fn bases_first(classes: &[&Class]) -> Vec<usize> {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, c) in classes.iter().enumerate() {
        by_name.entry(c.name.as_str()).or_default().push(i);
    }
    let mut placed = vec![false; classes.len()];
    let mut order = Vec::with_capacity(classes.len());
    while order.len() < classes.len() {
        let before = order.len();
        for (i, c) in classes.iter().enumerate() {
            let waits = c.bases.iter().filter_map(Expr::last_name).any(|b| {
                by_name
                    .get(b)
                    .is_some_and(|js| js.iter().any(|&j| j != i && !placed[j]))
            });
            if !placed[i] && !waits {
                placed[i] = true;
                order.push(i);
            }
        }
        if order.len() == before {
            // A cycle of bases, which Python rejects: the rest in file order.
            order.extend((0..classes.len()).filter(|&i| !placed[i]));
        }
    }
    order
}

fn has_meta(class: &Class) -> bool {
    class
        .body
        .iter()
        .any(|s| matches!(s, Stmt::Class(c) if c.name == "Meta"))
}

fn own_fields<'a>(file: &'a Path, class: &'a Class) -> Result<Vec<Field<'a>>, SourceError> {
    let mut out = Vec::new();
    for stmt in &class.body {
        match stmt {
            Stmt::Assign {
                targets,
                value: Some(value),
                ..
            } => {
                let ExprKind::Call { func, .. } = &value.kind else {
                    continue;
                };
                let Some(class_name) = func.last_name() else {
                    continue;
                };
                let from_models = func.path().is_some_and(|p| p.starts_with("models."));
                match kind_of(class_name) {
                    Some(kind) => out.push(Field {
                        name: targets[0].clone(),
                        class: class_name.to_string(),
                        kind,
                        call: value,
                        file,
                    }),
                    None if from_models || class_name.ends_with("Field") => {
                        return Err(error_at(
                            file,
                            value.at,
                            format!(
                                "field class `{class_name}` is not a built-in Django field the provider knows"
                            ),
                        ));
                    }
                    None => {}
                }
            }
            Stmt::Dynamic { what, calls, at }
                if calls
                    .iter()
                    .any(|c| c.ends_with("Field") || c == "ForeignKey") =>
            {
                return Err(error_at(
                    file,
                    *at,
                    format!(
                        "fields built inside a `{what}` in `{}` cannot be read statically",
                        class.name
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(out)
}

fn meta<'a>(
    file: &'a Path,
    class: &'a Class,
    warnings: &mut Vec<SourceError>,
) -> Result<Meta<'a>, SourceError> {
    let mut m = Meta::default();
    let Some(meta) = class.body.iter().find_map(|s| match s {
        Stmt::Class(c) if c.name == "Meta" => Some(c),
        _ => None,
    }) else {
        return Ok(m);
    };
    for stmt in &meta.body {
        let Stmt::Assign {
            targets,
            value: Some(v),
            ..
        } = stmt
        else {
            continue;
        };
        let text = |v: &Expr| -> Result<String, SourceError> {
            v.as_str().map(str::to_string).ok_or_else(|| {
                error_at(
                    file,
                    v.at,
                    format!("`{}` is not a string literal", v.describe()),
                )
            })
        };
        match targets[0].as_str() {
            "db_table" => m.db_table = Some(text(v)?),
            "abstract" => m.abstract_ = v.as_bool().unwrap_or(false),
            "proxy" => m.skipped |= v.as_bool().unwrap_or(false),
            "managed" => m.skipped |= v.as_bool() == Some(false),
            "app_label" => m.app_label = Some(text(v)?),
            "db_table_comment" => m.comment = Some(text(v)?),
            "indexes" | "constraints" => {
                let items = v.elements().ok_or_else(|| {
                    error_at(
                        file,
                        v.at,
                        format!("Meta.{} must be a list literal", targets[0]),
                    )
                })?;
                let list = if targets[0] == "indexes" {
                    &mut m.indexes
                } else {
                    &mut m.constraints
                };
                list.extend(items.iter().map(|i| (file, i)));
            }
            "unique_together" => m.unique_together = Some((file, v)),
            "index_together" => {
                m.index_together = Some((file, v));
                warnings.push(error_at(
                    file,
                    v.at,
                    "Meta.index_together is read as Django 4.2 creates it (one index per group, \
                     named <table>_<columns>_<hash>_idx); Django 5.1 removed it, so move it to \
                     Meta.indexes before upgrading",
                ));
            }
            k if IGNORED_META.contains(&k) => {}
            other => warnings.push(error_at(
                file,
                v.at,
                format!("Meta option `{other}` is not reproduced by the provider"),
            )),
        }
    }
    Ok(m)
}

/// The table name Django derives for a model of `app` (before backend truncation).
pub fn default_table(app: &App, model: &str) -> String {
    format!("{}_{}", app.label, model.to_lowercase())
}
