//! Model classes and `Table(...)` objects → table specifications: name, schema, columns (own
//! first, then mixin and abstract-base columns, as SQLAlchemy 2.0 orders them), and the
//! constraint calls of `__table_args__`, `Table(...)` and module-level `Index(...)`.

use crate::column::{ColumnSpec, Outcome, read_attribute, static_str};
use crate::declarative::{Registry, is_abstract, is_base, naming_of_metadata, registry_of};
use crate::naming::Naming;
use crate::python::ast::{Class, Expr, ExprKind, Module, Pos, Stmt};
use crate::python::error_at;
use crate::scope::Scope;
use std::path::Path;
use strata_schema::SourceError;

/// TableSpec is one table as declared.
pub struct TableSpec<'a> {
    pub file: &'a Path,
    pub at: Pos,
    pub name: String,
    pub schema: Option<String>,
    /// The mapped class, for `Class.attr` references.
    pub class: Option<String>,
    pub columns: Vec<(&'a Path, ColumnSpec<'a>)>,
    /// `Index`, `UniqueConstraint`, `CheckConstraint`, `ForeignKeyConstraint`,
    /// `PrimaryKeyConstraint` calls, with the file they are in.
    pub constraints: Vec<(&'a Path, &'a Expr)>,
    pub naming: Naming,
    pub comment: Option<String>,
    pub sqlite_autoincrement: bool,
}

/// Collected is every table and the warnings met.
pub struct Collected<'a> {
    pub tables: Vec<TableSpec<'a>>,
    pub warnings: Vec<SourceError>,
}

/// Column-building calls: an attribute built by code that calls one of these is schema the
/// provider would have to guess.
const COLUMN_CALLS: &[&str] = &["Column", "mapped_column", "ForeignKey", "Table"];

/// Table-level options that change nothing in the DDL Strata compares.
const IGNORED_TABLE_OPTIONS: &[&str] = &[
    "extend_existing",
    "keep_existing",
    "info",
    "mysql_engine",
    "mariadb_engine",
    "implicit_returning",
];

pub fn collect<'a>(modules: &'a [Module], scope: &Scope<'a>) -> Result<Collected<'a>, SourceError> {
    let mut out = Collected {
        tables: Vec::new(),
        warnings: Vec::new(),
    };
    let mut single_table: Vec<(&'a Path, &'a Class, Registry<'a>)> = Vec::new();
    for module in modules {
        let file = module.path.as_path();
        for stmt in &module.body {
            match stmt {
                Stmt::Class(class) => {
                    let Some(registry) = registry_of(class, scope) else {
                        continue;
                    };
                    if is_base(class) || is_abstract(class) {
                        continue;
                    }
                    match tablename(file, class, scope)? {
                        Some(name) => {
                            let t = class_table(
                                file,
                                class,
                                name,
                                &registry,
                                scope,
                                &mut out.warnings,
                            )?;
                            out.tables.push(t);
                        }
                        None => single_table.push((file, class, registry)),
                    }
                }
                Stmt::Assign {
                    value: Some(value), ..
                } if value.call_name() == Some("Table") => {
                    out.tables
                        .push(table_object(file, value, scope, &mut out.warnings)?);
                }
                Stmt::Expr(e) if e.call_name() == Some("Table") => {
                    out.tables
                        .push(table_object(file, e, scope, &mut out.warnings)?);
                }
                Stmt::Dynamic { what, calls, at } => {
                    if let Some(c) = calls.iter().find(|c| COLUMN_CALLS.contains(&c.as_str())) {
                        return Err(error_at(
                            file,
                            *at,
                            format!(
                                "`{c}(…)` inside a module-level `{what}`: schema built dynamically cannot be read statically"
                            ),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    for (file, class, registry) in single_table {
        add_single_table(file, class, &registry, scope, &mut out)?;
    }
    for module in modules {
        for stmt in &module.body {
            if let Stmt::Expr(e) = stmt
                && e.call_name() == Some("Index")
            {
                attach_index(module.path.as_path(), e, scope, &mut out.tables)?;
            }
        }
    }
    Ok(out)
}

/// Whether an ancestor is a mapped class (its columns live in its own table).
fn is_mapped(class: &Class, scope: &Scope) -> bool {
    registry_of(class, scope).is_some() && !is_base(class) && !is_abstract(class)
}

/// Classes whose attributes `class` inherits as its own columns: `class` itself, then its
/// mixins and abstract bases depth-first (not descending into mapped classes or bases).
fn contributors<'a>(
    file: &'a Path,
    class: &'a Class,
    scope: &Scope<'a>,
) -> Vec<(&'a Path, &'a Class)> {
    let mut out = vec![(file, class)];
    let mut i = 0;
    while i < out.len() {
        let (_, c) = out[i];
        for base in &c.bases {
            if let Some(name) = base.last_name()
                && let Some((f, parent)) = scope.class(name)
                && !is_base(parent)
                && !is_mapped(parent, scope)
                && !out.iter().any(|(_, o)| std::ptr::eq(*o, parent))
            {
                out.push((f, parent));
            }
        }
        i += 1;
    }
    out
}

/// The first assignment to `attr` among the contributors, with its file.
fn inherited<'a>(
    contributors: &[(&'a Path, &'a Class)],
    attr: &str,
) -> Option<(&'a Path, &'a Expr)> {
    contributors.iter().find_map(|(f, c)| {
        c.body.iter().find_map(|s| match s {
            Stmt::Assign {
                targets,
                value: Some(v),
                ..
            } if targets.iter().any(|t| t == attr) => Some((*f, v)),
            _ => None,
        })
    })
}

/// `__tablename__` of a class (own or from a mixin); `None` for single-table inheritance.
fn tablename(file: &Path, class: &Class, scope: &Scope) -> Result<Option<String>, SourceError> {
    let contributors = contributors(file, class, scope);
    for (f, c) in &contributors {
        for s in &c.body {
            if let Stmt::Def { name, at, .. } = s
                && name == "__tablename__"
            {
                return Err(error_at(
                    f,
                    *at,
                    format!(
                        "`__tablename__` of `{}` is computed by a function; write it as a string literal",
                        class.name
                    ),
                ));
            }
        }
    }
    match inherited(&contributors, "__tablename__") {
        Some((f, v)) => static_str(v)
            .map(Some)
            .map_err(|(at, m)| error_at(f, at, m)),
        None if class.bases.iter().any(|b| {
            b.last_name()
                .and_then(|n| scope.class(n))
                .is_some_and(|(_, p)| is_mapped(p, scope))
        }) =>
        {
            Ok(None)
        }
        None => Err(error_at(
            file,
            class.at,
            format!("mapped class `{}` has no `__tablename__`", class.name),
        )),
    }
}

fn class_table<'a>(
    file: &'a Path,
    class: &'a Class,
    name: String,
    registry: &Registry<'a>,
    scope: &Scope<'a>,
    warnings: &mut Vec<SourceError>,
) -> Result<TableSpec<'a>, SourceError> {
    let contributors = contributors(file, class, scope);
    let mut table = TableSpec {
        file,
        at: class.at,
        name,
        schema: None,
        class: Some(class.name.clone()),
        columns: Vec::new(),
        constraints: Vec::new(),
        naming: registry.naming.clone(),
        comment: None,
        sqlite_autoincrement: false,
    };
    for (f, c) in &contributors {
        for column in class_columns(f, c, registry, scope, warnings)? {
            if !table.columns.iter().any(|(_, o)| o.key == column.key) {
                table.columns.push((f, column));
            }
        }
    }
    if let Some((f, args)) = inherited(&contributors, "__table_args__") {
        table_args(f, args, &mut table, warnings)?;
    }
    Ok(table)
}

/// The columns declared in one class body.
fn class_columns<'a>(
    file: &'a Path,
    class: &'a Class,
    registry: &Registry<'a>,
    scope: &Scope<'a>,
    warnings: &mut Vec<SourceError>,
) -> Result<Vec<ColumnSpec<'a>>, SourceError> {
    let mut out = Vec::new();
    for stmt in &class.body {
        match stmt {
            Stmt::Assign {
                targets,
                annotation,
                value,
                at,
            } if !targets[0].starts_with("__") => {
                let outcome = read_attribute(
                    &targets[0],
                    annotation.as_ref(),
                    value.as_ref(),
                    *at,
                    registry,
                    scope,
                )
                .map_err(|(at, m)| error_at(file, at, m))?;
                match outcome {
                    Outcome::Column(c) => out.push(c),
                    Outcome::Warnings(c, ws) => {
                        warnings.extend(ws.into_iter().map(|(at, m)| error_at(file, at, m)));
                        out.push(c);
                    }
                    Outcome::NotAColumn => {}
                }
            }
            Stmt::Assign { targets, at, .. } if targets[0] == "__table__" => {
                return Err(error_at(
                    file,
                    *at,
                    "`__table__` assignments are not read; declare the columns on the class",
                ));
            }
            Stmt::Def {
                name,
                decorators,
                calls,
                at,
            } if decorators.iter().any(|d| {
                d.ends_with("declared_attr") || d.ends_with("declared_attr.directive")
            }) && calls.iter().any(|c| COLUMN_CALLS.contains(&c.as_str())) =>
            {
                return Err(error_at(
                    file,
                    *at,
                    format!(
                        "`{name}` is a column built by a `@declared_attr` function; the provider does not run code"
                    ),
                ));
            }
            Stmt::Dynamic { what, calls, at }
                if calls.iter().any(|c| COLUMN_CALLS.contains(&c.as_str())) =>
            {
                return Err(error_at(
                    file,
                    *at,
                    format!(
                        "columns built inside a `{what}` in class `{}` cannot be read statically",
                        class.name
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Single-table inheritance: a mapped subclass without `__tablename__` adds its columns to the
/// table of its mapped parent.
fn add_single_table<'a>(
    file: &'a Path,
    class: &'a Class,
    registry: &Registry<'a>,
    scope: &Scope<'a>,
    out: &mut Collected<'a>,
) -> Result<(), SourceError> {
    let mut parent = class;
    let table_index = loop {
        let next = parent
            .bases
            .iter()
            .filter_map(|b| b.last_name().and_then(|n| scope.class(n)))
            .find(|(_, p)| is_mapped(p, scope));
        let Some((_, p)) = next else {
            return Err(error_at(
                file,
                class.at,
                format!("mapped class `{}` has no `__tablename__`", class.name),
            ));
        };
        if let Some(i) = out
            .tables
            .iter()
            .position(|t| t.class.as_deref() == Some(&p.name))
        {
            break i;
        }
        parent = p;
    };
    let columns = class_columns(file, class, registry, scope, &mut out.warnings)?;
    let table = &mut out.tables[table_index];
    for column in columns {
        if !table.columns.iter().any(|(_, o)| o.name == column.name) {
            table.columns.push((file, column));
        }
    }
    Ok(())
}

/// `__table_args__`: a dict of options, or a tuple of constraints optionally ending in one.
fn table_args<'a>(
    file: &'a Path,
    args: &'a Expr,
    table: &mut TableSpec<'a>,
    warnings: &mut Vec<SourceError>,
) -> Result<(), SourceError> {
    match &args.kind {
        ExprKind::Dict(pairs) => table_options(file, pairs, table, warnings),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            for item in items {
                match &item.kind {
                    ExprKind::Dict(pairs) => table_options(file, pairs, table, warnings)?,
                    ExprKind::Call { .. } => table.constraints.push((file, item)),
                    _ => {
                        return Err(error_at(
                            file,
                            item.at,
                            format!(
                                "`{}` in __table_args__ cannot be read statically",
                                item.describe()
                            ),
                        ));
                    }
                }
            }
            Ok(())
        }
        _ => Err(error_at(
            file,
            args.at,
            "__table_args__ must be a tuple or dict literal to be read statically",
        )),
    }
}

fn table_options<'a>(
    file: &Path,
    pairs: &'a [(Expr, Expr)],
    table: &mut TableSpec<'a>,
    warnings: &mut Vec<SourceError>,
) -> Result<(), SourceError> {
    for (k, v) in pairs {
        let key = static_str(k).map_err(|(at, m)| error_at(file, at, m))?;
        table_option(file, &key, v, table, warnings)?;
    }
    Ok(())
}

fn table_option(
    file: &Path,
    key: &str,
    v: &Expr,
    table: &mut TableSpec,
    warnings: &mut Vec<SourceError>,
) -> Result<(), SourceError> {
    let located = |(at, m): (Pos, String)| error_at(file, at, m);
    match key {
        "schema" => table.schema = Some(static_str(v).map_err(located)?),
        "comment" => table.comment = Some(static_str(v).map_err(located)?),
        "sqlite_autoincrement" => table.sqlite_autoincrement = v.as_bool().unwrap_or(false),
        k if IGNORED_TABLE_OPTIONS.contains(&k) => {}
        other => warnings.push(error_at(
            file,
            v.at,
            format!("table option `{other}` is not reproduced by the provider"),
        )),
    }
    Ok(())
}

/// `Table("name", metadata, Column(...), constraints..., schema=…, comment=…)`.
fn table_object<'a>(
    file: &'a Path,
    call: &'a Expr,
    scope: &Scope<'a>,
    warnings: &mut Vec<SourceError>,
) -> Result<TableSpec<'a>, SourceError> {
    let args = call.args();
    let name = args
        .first()
        .ok_or_else(|| error_at(file, call.at, "Table() needs a name"))
        .and_then(|n| static_str(n).map_err(|(at, m)| error_at(file, at, m)))?;
    let naming = args
        .get(1)
        .map(|m| naming_of_metadata(m, scope))
        .unwrap_or_default();
    let mut table = TableSpec {
        file,
        at: call.at,
        name,
        schema: None,
        class: None,
        columns: Vec::new(),
        constraints: Vec::new(),
        naming,
        comment: None,
        sqlite_autoincrement: false,
    };
    let registry = Registry::default();
    for arg in args.iter().skip(2) {
        match arg.call_name() {
            Some("Column") => {
                let key = arg.args().first().and_then(Expr::as_str).unwrap_or("");
                let outcome = read_attribute(key, None, Some(arg), arg.at, &registry, scope)
                    .map_err(|(at, m)| error_at(file, at, m))?;
                match outcome {
                    Outcome::Column(c) => table.columns.push((file, c)),
                    Outcome::Warnings(c, ws) => {
                        warnings.extend(ws.into_iter().map(|(at, m)| error_at(file, at, m)));
                        table.columns.push((file, c));
                    }
                    Outcome::NotAColumn => {}
                }
            }
            Some(_) => table.constraints.push((file, arg)),
            None => {
                return Err(error_at(
                    file,
                    arg.at,
                    format!("`{}` in Table() cannot be read statically", arg.describe()),
                ));
            }
        }
    }
    for (k, v) in call.kwargs() {
        table_option(file, k, v, &mut table, warnings)?;
    }
    Ok(table)
}

/// A module-level `Index("name", Model.attr, table.c.col, …)` joins the table it indexes.
fn attach_index<'a>(
    file: &'a Path,
    call: &'a Expr,
    scope: &Scope<'a>,
    tables: &mut [TableSpec<'a>],
) -> Result<(), SourceError> {
    let owner = call.args().iter().find_map(|a| owner_of(a, scope));
    let Some(owner) = owner else {
        return Err(error_at(
            file,
            call.at,
            "cannot tell which table this Index() belongs to (reference columns as Model.attr or table.c.col)",
        ));
    };
    let table = tables
        .iter_mut()
        .find(|t| t.class.as_deref() == Some(owner.as_str()) || t.name == owner)
        .ok_or_else(|| {
            error_at(
                file,
                call.at,
                format!("Index() on `{owner}`, which is not a table of the models"),
            )
        })?;
    table.constraints.push((file, call));
    Ok(())
}

/// The class or table a column reference belongs to: `Model.attr`, `table.c.col`, or the
/// table name of a `Table` bound to a variable.
fn owner_of(expr: &Expr, scope: &Scope) -> Option<String> {
    match &expr.kind {
        ExprKind::Call { func, args, .. } => match &func.kind {
            ExprKind::Attr(inner, _) if args.is_empty() => owner_of(inner, scope),
            _ => args.iter().find_map(|a| owner_of(a, scope)),
        },
        ExprKind::Attr(owner, _) => match &owner.kind {
            ExprKind::Attr(table, c) if c == "c" => {
                let var = table.last_name()?;
                let value = scope.value(var)?;
                value
                    .args()
                    .first()
                    .and_then(Expr::as_str)
                    .map(str::to_string)
            }
            ExprKind::Name(n) => Some(n.clone()),
            _ => None,
        },
        _ => None,
    }
}
