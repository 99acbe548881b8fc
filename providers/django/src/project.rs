//! A Django project on disk: its settings (`INSTALLED_APPS`, `DEFAULT_AUTO_FIELD`), its apps
//! (folder, label, `default_auto_field`) and their model modules.

use std::path::{Path, PathBuf};
use strata_schema::SourceError;
use strata_sqlalchemy::python::ast::{Expr, ExprKind, Module, Stmt};
use strata_sqlalchemy::python::{error_at, read_modules};

/// App is one installed app with models.
#[derive(Debug, Clone)]
pub struct App {
    pub label: String,
    /// Dotted module path (`shop.catalog`).
    pub module: String,
    /// The auto field of implicit primary keys (`BigAutoField`), by class name.
    pub auto_field: String,
}

/// Project is everything read from a project folder.
pub struct Project {
    pub apps: Vec<App>,
    /// Every parsed module, in path order.
    pub modules: Vec<Module>,
    pub warnings: Vec<SourceError>,
}

/// Django's own default when neither settings nor an AppConfig chooses.
const DJANGO_DEFAULT_AUTO_FIELD: &str = "AutoField";

pub fn read(root: &Path) -> Result<Project, SourceError> {
    let modules = read_modules(root)?;
    let mut warnings = Vec::new();
    let settings = modules
        .iter()
        .filter(|m| m.name == "settings" || m.name.ends_with(".settings"))
        .min_by_key(|m| m.name.matches('.').count());
    let default_auto = settings
        .and_then(|s| assigned(s, "DEFAULT_AUTO_FIELD"))
        .and_then(Expr::as_str)
        .map(class_of)
        .unwrap_or(DJANGO_DEFAULT_AUTO_FIELD)
        .to_string();
    let installed = settings.and_then(|s| assigned(s, "INSTALLED_APPS").map(|e| (s, e)));
    let mut apps = Vec::new();
    match installed {
        Some((settings, list)) => {
            let items = list.elements().ok_or_else(|| {
                error_at(
                    &settings.path,
                    list.at,
                    "INSTALLED_APPS is not a list literal; the provider does not evaluate code",
                )
            })?;
            for item in items {
                let Some(entry) = item.as_str() else {
                    return Err(error_at(
                        &settings.path,
                        item.at,
                        "an INSTALLED_APPS entry is not a string literal",
                    ));
                };
                match app_for_entry(entry, &modules, &default_auto) {
                    Some(app) => apps.push(app),
                    None => warnings.push(error_at(
                        &settings.path,
                        item.at,
                        format!("app `{entry}` is not in the project folder; its tables are not part of the desired schema"),
                    )),
                }
            }
        }
        None => {
            let mut seen: Vec<String> = Vec::new();
            for m in &modules {
                let app = m
                    .name
                    .strip_suffix(".models")
                    .or_else(|| m.name.rsplit_once(".models.").map(|(a, _)| a))
                    .or((m.name == "models").then_some(""));
                if let Some(app) = app
                    && !seen.iter().any(|s| s == app)
                {
                    seen.push(app.to_string());
                }
            }
            for module in seen {
                apps.push(app_with_config(&module, None, &modules, &default_auto));
            }
        }
    }
    Ok(Project {
        apps,
        modules,
        warnings,
    })
}

/// `django.db.models.BigAutoField` → `BigAutoField`.
fn class_of(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// The value of a module-level assignment.
pub fn assigned<'m>(module: &'m Module, name: &str) -> Option<&'m Expr> {
    module.body.iter().rev().find_map(|s| match s {
        Stmt::Assign {
            targets,
            value: Some(v),
            ..
        } if targets.iter().any(|t| t == name) => Some(v),
        _ => None,
    })
}

/// An INSTALLED_APPS entry: an app module (`library`) or an AppConfig path
/// (`library.apps.LibraryConfig`), when it is in the project.
fn app_for_entry(entry: &str, modules: &[Module], default_auto: &str) -> Option<App> {
    let exists = |m: &str| {
        modules
            .iter()
            .any(|x| x.name == m || x.name.starts_with(&format!("{m}.")))
    };
    if let Some((module, class)) = entry.rsplit_once('.')
        && class.starts_with(|c: char| c.is_ascii_uppercase())
        && modules.iter().any(|m| m.name == module)
    {
        let app_module = module.strip_suffix(".apps").unwrap_or(module);
        return Some(app_with_config(
            app_module,
            Some(class),
            modules,
            default_auto,
        ));
    }
    exists(entry).then(|| app_with_config(entry, None, modules, default_auto))
}

/// The app at `module`, configured by its `apps.py` AppConfig (the named class, else the one
/// whose `name` is the module, else the only one).
fn app_with_config(
    module: &str,
    class: Option<&str>,
    modules: &[Module],
    default_auto: &str,
) -> App {
    let apps_module = if module.is_empty() {
        "apps".to_string()
    } else {
        format!("{module}.apps")
    };
    let config = modules
        .iter()
        .filter(|m| m.name == apps_module)
        .flat_map(|m| m.body.iter())
        .filter_map(|s| match s {
            Stmt::Class(c) if c.bases.iter().any(|b| b.last_name() == Some("AppConfig")) => Some(c),
            _ => None,
        })
        .find(|c| class.is_none_or(|name| c.name == name));
    let attr = |name: &str| -> Option<String> {
        config?.body.iter().find_map(|s| match s {
            Stmt::Assign {
                targets,
                value:
                    Some(Expr {
                        kind: ExprKind::Str(v),
                        ..
                    }),
                ..
            } if targets.iter().any(|t| t == name) => Some(v.clone()),
            _ => None,
        })
    };
    let name = attr("name").unwrap_or_else(|| module.to_string());
    let label =
        attr("label").unwrap_or_else(|| name.rsplit('.').next().unwrap_or(&name).to_string());
    App {
        label,
        module: module.to_string(),
        auto_field: attr("default_auto_field")
            .as_deref()
            .map(class_of)
            .unwrap_or(default_auto)
            .to_string(),
    }
}

/// Whether `module` holds models of `app`: `<app>.models` or `<app>.models.<x>`.
pub fn is_models_module(app: &App, module: &str) -> bool {
    let prefix = if app.module.is_empty() {
        "models".to_string()
    } else {
        format!("{}.models", app.module)
    };
    module == prefix || module.starts_with(&format!("{prefix}."))
}

/// Project folders Django recognises: a settings module with INSTALLED_APPS, a `manage.py`, or
/// a models module importing `django.db`.
pub fn looks_like_django(files: &[(PathBuf, String)]) -> bool {
    files.iter().any(|(path, name)| {
        let is_candidate = name == "manage"
            || name == "models"
            || name.ends_with(".models")
            || name.contains(".models.")
            || name.ends_with("settings");
        is_candidate
            && std::fs::read_to_string(path).is_ok_and(|t| {
                t.contains("from django")
                    || t.contains("import django")
                    || t.contains("INSTALLED_APPS")
            })
    })
}
