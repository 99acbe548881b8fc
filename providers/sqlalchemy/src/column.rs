//! One mapped attribute → a column specification: `mapped_column(...)` / `Column(...)` with
//! its `Mapped[...]` annotation, `Annotated` aliases and the base's `type_annotation_map`.

use crate::declarative::{Registry, key_text};
use crate::python::ast::{Expr, ExprKind, Pos};
use crate::scope::Scope;
use crate::types::{SaType, enum_from_class, enum_from_literal};
use strata_schema::{Deferrable, ReferentialAction};

/// ColumnSpec is a column as declared, before it is placed in a table for a dialect.
#[derive(Debug, Clone)]
pub struct ColumnSpec<'a> {
    /// Attribute key (what `Model.attr` and string references in `__table_args__` use).
    pub key: String,
    pub name: String,
    /// `None` until taken from a foreign key's target (classic `Column(ForeignKey(...))`).
    pub ty: Option<SaType>,
    pub nullable: bool,
    pub primary_key: bool,
    pub unique: bool,
    pub index: bool,
    /// `autoincrement=`; `None` is SQLAlchemy's "auto".
    pub autoincrement: Option<bool>,
    /// `Identity(always=…)` given.
    pub identity: Option<bool>,
    pub server_default: Option<&'a Expr>,
    pub comment: Option<String>,
    pub foreign_keys: Vec<FkSpec<'a>>,
    /// Column-level `CheckConstraint("…", name=…)`.
    pub checks: Vec<(Option<String>, String)>,
    pub at: Pos,
}

/// FkSpec is a `ForeignKey(...)` on a column or a `ForeignKeyConstraint(...)`.
#[derive(Debug, Clone)]
pub struct FkSpec<'a> {
    pub name: Option<String>,
    pub targets: Vec<&'a Expr>,
    pub on_delete: ReferentialAction,
    pub on_update: ReferentialAction,
    pub deferrable: Deferrable,
    pub at: Pos,
}

/// Keyword arguments of `mapped_column` / `Column` that do not reach the DDL (Python-side
/// defaults, dataclass and ORM options).
const NON_DDL_KWARGS: &[&str] = &[
    "default",
    "default_factory",
    "insert_default",
    "onupdate",
    "server_onupdate",
    "doc",
    "info",
    "init",
    "repr",
    "compare",
    "kw_only",
    "hash",
    "deferred",
    "deferred_group",
    "deferred_raiseload",
    "active_history",
    "use_existing_column",
    "sort_order",
    "quote",
    "system",
    "dataclass_metadata",
];

/// Outcome is what one class attribute is: a column, something that is not a column
/// (relationship, property, plain value) or an error with its position.
pub enum Outcome<'a> {
    Column(ColumnSpec<'a>),
    NotAColumn,
    Warnings(ColumnSpec<'a>, Vec<(Pos, String)>),
}

/// Read the attribute `key: annotation = value`.
pub fn read_attribute<'a>(
    key: &str,
    annotation: Option<&'a Expr>,
    value: Option<&'a Expr>,
    at: Pos,
    registry: &Registry<'a>,
    scope: &Scope<'a>,
) -> Result<Outcome<'a>, (Pos, String)> {
    let is_column = |v: &Expr| matches!(v.call_name(), Some("mapped_column" | "Column"));
    // `deferred(Column(...))` and `column_property(Column(...))` map the column they wrap.
    let unwrapped = value.map(|v| match v.call_name() {
        Some("deferred" | "column_property") => {
            v.args().first().filter(|a| is_column(a)).unwrap_or(v)
        }
        _ => v,
    });
    let call = unwrapped.filter(|v| is_column(v));
    if let Some(v) = unwrapped
        && call.is_none()
    {
        if let Some(inner) = v.args().iter().find(|a| is_column(a)) {
            return Err((
                inner.at,
                format!(
                    "a column inside `{}` is not read; declare it directly",
                    v.describe()
                ),
            ));
        }
        return Ok(Outcome::NotAColumn);
    }
    let mapped = match annotation {
        Some(a) => read_annotation(a, registry, scope)?,
        None => None,
    };
    if call.is_none() && mapped.is_none() {
        return Ok(Outcome::NotAColumn);
    }
    let classic = call.is_some_and(|c| c.call_name() == Some("Column"));
    let mut spec = ColumnSpec {
        key: key.to_string(),
        name: key.to_string(),
        ty: None,
        nullable: !classic && mapped.as_ref().is_some_and(|m| m.optional),
        primary_key: false,
        unique: false,
        index: false,
        autoincrement: None,
        identity: None,
        server_default: None,
        comment: None,
        foreign_keys: Vec::new(),
        checks: Vec::new(),
        at,
    };
    let mut explicit_nullable = None;
    let mut warnings = Vec::new();
    let mut calls: Vec<&'a Expr> = mapped.iter().flat_map(|m| m.extra.clone()).collect();
    calls.extend(call);
    if classic || (mapped.is_none() && call.is_some()) {
        spec.nullable = true;
    }
    if let Some(m) = &mapped {
        spec.ty = m.ty.clone();
    }
    for c in calls {
        apply_call(c, &mut spec, &mut explicit_nullable, &mut warnings, scope)?;
    }
    if let Some(n) = explicit_nullable {
        spec.nullable = n;
    }
    if spec.primary_key {
        spec.nullable = false;
    }
    if spec.ty.is_none() && spec.foreign_keys.is_empty() {
        return Err((
            at,
            format!("column `{key}` has no type SQLAlchemy could infer"),
        ));
    }
    Ok(if warnings.is_empty() {
        Outcome::Column(spec)
    } else {
        Outcome::Warnings(spec, warnings)
    })
}

fn apply_call<'a>(
    call: &'a Expr,
    spec: &mut ColumnSpec<'a>,
    explicit_nullable: &mut Option<bool>,
    warnings: &mut Vec<(Pos, String)>,
    scope: &Scope<'a>,
) -> Result<(), (Pos, String)> {
    for arg in call.args() {
        match (arg.call_name(), &arg.kind) {
            (_, ExprKind::Str(name)) => spec.name = name.clone(),
            (Some("ForeignKey"), _) => spec.foreign_keys.push(foreign_key(arg)?),
            (Some("Identity"), _) => {
                spec.identity = Some(arg.kwarg("always").and_then(Expr::as_bool).unwrap_or(false));
            }
            (Some("CheckConstraint"), _) => spec.checks.push(check(arg)?),
            (Some("Sequence" | "FetchedValue" | "Computed"), _) => warnings.push((
                arg.at,
                format!("`{}` is not reproduced by the provider", arg.describe()),
            )),
            _ => spec.ty = Some(SaType::read(arg, scope).map_err(|e| (arg.at, e))?),
        }
    }
    for (k, v) in call.kwargs() {
        match k.as_str() {
            "name" => spec.name = static_str(v)?,
            "type_" => spec.ty = Some(SaType::read(v, scope).map_err(|e| (v.at, e))?),
            "primary_key" => spec.primary_key = static_bool(v)?,
            "nullable" => *explicit_nullable = Some(static_bool(v)?),
            "unique" => spec.unique = static_bool(v)?,
            "index" => spec.index = static_bool(v)?,
            "autoincrement" => spec.autoincrement = v.as_bool(),
            "server_default" => spec.server_default = Some(v),
            "comment" => spec.comment = Some(static_str(v)?),
            k if NON_DDL_KWARGS.contains(&k) => {}
            other => warnings.push((v.at, format!("unknown column option `{other}` ignored"))),
        }
    }
    Ok(())
}

pub fn static_str(v: &Expr) -> Result<String, (Pos, String)> {
    v.as_str().map(str::to_string).ok_or_else(|| {
        (
            v.at,
            format!(
                "`{}` is not a string literal; the provider does not evaluate code",
                v.describe()
            ),
        )
    })
}

pub fn static_bool(v: &Expr) -> Result<bool, (Pos, String)> {
    v.as_bool().ok_or_else(|| {
        (
            v.at,
            format!(
                "`{}` is not True or False; the provider does not evaluate code",
                v.describe()
            ),
        )
    })
}

/// `ForeignKey("t.c", ondelete=…, onupdate=…, name=…)`.
pub fn foreign_key(call: &Expr) -> Result<FkSpec<'_>, (Pos, String)> {
    let target = call
        .args()
        .first()
        .ok_or((call.at, "ForeignKey() needs a target".to_string()))?;
    fk_options(call, vec![target])
}

/// The options shared by `ForeignKey` and `ForeignKeyConstraint`.
pub fn fk_options<'a>(call: &'a Expr, targets: Vec<&'a Expr>) -> Result<FkSpec<'a>, (Pos, String)> {
    let action = |key: &str| -> Result<ReferentialAction, (Pos, String)> {
        match call.kwarg(key) {
            None => Ok(ReferentialAction::NoAction),
            Some(v) => referential_action(v),
        }
    };
    Ok(FkSpec {
        name: call.kwarg("name").map(static_str).transpose()?,
        targets,
        on_delete: action("ondelete")?,
        on_update: action("onupdate")?,
        deferrable: deferrable(call)?,
        at: call.at,
    })
}

/// `deferrable=True` and `initially="DEFERRED"|"IMMEDIATE"`.
fn deferrable(call: &Expr) -> Result<Deferrable, (Pos, String)> {
    let on = call.kwarg("deferrable").map(static_bool).transpose()?;
    let initially = call.kwarg("initially").map(static_str).transpose()?;
    Ok(
        match (on, initially.as_deref().map(str::to_uppercase).as_deref()) {
            (Some(false), _) | (None, None) => Deferrable::NotDeferrable,
            (_, Some("DEFERRED")) => Deferrable::InitiallyDeferred,
            _ => Deferrable::InitiallyImmediate,
        },
    )
}

fn referential_action(v: &Expr) -> Result<ReferentialAction, (Pos, String)> {
    let text = static_str(v)?;
    Ok(match text.to_uppercase().as_str() {
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        "RESTRICT" => ReferentialAction::Restrict,
        "NO ACTION" => ReferentialAction::NoAction,
        other => return Err((v.at, format!("unknown referential action `{other}`"))),
    })
}

/// `CheckConstraint("sql", name=…)` → (name, sql).
pub fn check(call: &Expr) -> Result<(Option<String>, String), (Pos, String)> {
    let sql = call
        .args()
        .first()
        .or_else(|| call.kwarg("sqltext"))
        .ok_or((call.at, "CheckConstraint() needs its SQL".to_string()))?;
    let sql = match sql.call_name() {
        Some("text") => sql
            .args()
            .first()
            .map(static_str)
            .transpose()?
            .unwrap_or_default(),
        _ => static_str(sql)?,
    };
    Ok((call.kwarg("name").map(static_str).transpose()?, sql))
}

/// What a `Mapped[...]` annotation says.
struct MappedAnnotation<'a> {
    ty: Option<SaType>,
    optional: bool,
    /// `mapped_column(...)` calls from `Annotated[...]` aliases, applied before the attribute's.
    extra: Vec<&'a Expr>,
}

/// Read a `Mapped[X]` annotation; `Ok(None)` for a relationship (`Mapped["Parent"]`,
/// `Mapped[list[Child]]`) or an annotation that is not `Mapped`.
fn read_annotation<'a>(
    annotation: &'a Expr,
    registry: &Registry<'a>,
    scope: &Scope<'a>,
) -> Result<Option<MappedAnnotation<'a>>, (Pos, String)> {
    let annotation = match &annotation.kind {
        ExprKind::Str(_) => return Ok(None),
        _ => annotation,
    };
    let ExprKind::Subscript(base, index) = &annotation.kind else {
        return Ok(None);
    };
    if base.last_name() != Some("Mapped") || index.len() != 1 {
        return Ok(None);
    }
    let mut out = MappedAnnotation {
        ty: None,
        optional: false,
        extra: Vec::new(),
    };
    let inner = unwrap_optional(&index[0], &mut out.optional);
    out.ty = python_type(inner, registry, scope, &mut out)?;
    if out.ty.is_none() && out.extra.is_empty() {
        return Ok(None);
    }
    Ok(Some(out))
}

/// `Optional[X]`, `Union[X, None]`, `X | None` → X, setting `optional`.
fn unwrap_optional<'e>(expr: &'e Expr, optional: &mut bool) -> &'e Expr {
    match &expr.kind {
        ExprKind::Subscript(base, index)
            if base.last_name() == Some("Optional") && index.len() == 1 =>
        {
            *optional = true;
            &index[0]
        }
        ExprKind::Subscript(base, index) if base.last_name() == Some("Union") => {
            let rest: Vec<&Expr> = index.iter().filter(|e| !e.is_none()).collect();
            if rest.len() < index.len() {
                *optional = true;
            }
            rest.first().copied().unwrap_or(expr)
        }
        ExprKind::BitOr(l, r) if r.is_none() => {
            *optional = true;
            l
        }
        ExprKind::BitOr(l, r) if l.is_none() => {
            *optional = true;
            r
        }
        _ => expr,
    }
}

/// The SQLAlchemy type for the Python type `expr`, after `type_annotation_map`, `Annotated`
/// aliases and the defaults. `Ok(None)` for a class reference (relationship).
fn python_type<'a>(
    expr: &'a Expr,
    registry: &Registry<'a>,
    scope: &Scope<'a>,
    out: &mut MappedAnnotation<'a>,
) -> Result<Option<SaType>, (Pos, String)> {
    let key = key_text(expr);
    if let Some(t) = mapped_type(&key, registry, scope) {
        return t.map(Some).map_err(|e| (expr.at, e));
    }
    match &expr.kind {
        ExprKind::Subscript(base, index) if base.last_name() == Some("Annotated") => {
            for extra in &index[1..] {
                if extra.call_name() == Some("mapped_column") {
                    out.extra.push(extra);
                }
            }
            let inner = unwrap_optional(&index[0], &mut out.optional);
            return python_type(inner, registry, scope, out);
        }
        ExprKind::Subscript(base, index) if base.last_name() == Some("Literal") => {
            let values = index
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            return Ok(Some(enum_from_literal(values)));
        }
        ExprKind::Subscript(base, _)
            if matches!(
                base.last_name(),
                Some("list" | "List" | "set" | "Set" | "dict" | "Dict")
            ) =>
        {
            return if matches!(base.last_name(), Some("dict" | "Dict")) {
                Err((
                    expr.at,
                    format!("`{key}` needs an entry in type_annotation_map"),
                ))
            } else {
                Ok(None)
            };
        }
        ExprKind::Str(_) => return Ok(None),
        _ => {}
    }
    let Some(name) = expr.last_name() else {
        return Err((
            expr.at,
            format!("annotation `{}` is not static", expr.describe()),
        ));
    };
    // An alias defined in the models: `intpk = Annotated[int, mapped_column(...)]`.
    if let ExprKind::Name(n) = &expr.kind
        && let Some(value) = scope.value(n)
        && matches!(&value.kind, ExprKind::Subscript(b, _) if b.last_name() == Some("Annotated"))
    {
        return python_type(value, registry, scope, out);
    }
    Ok(Some(match name {
        "int" => SaType::Integer,
        "str" => SaType::String(None),
        "float" => SaType::Float,
        "bool" => SaType::Boolean,
        "bytes" => SaType::LargeBinary,
        "Decimal" => SaType::Numeric(None, None),
        "datetime" => SaType::DateTime { tz: false },
        "date" => SaType::Date,
        "time" => SaType::Time { tz: false },
        "timedelta" => SaType::Interval,
        "UUID" => SaType::Uuid,
        "dict" | "list" | "Any" => {
            return Err((
                expr.at,
                format!("`{name}` needs an entry in type_annotation_map"),
            ));
        }
        other => match enum_from_class(other, scope) {
            Some(t) => t,
            None if scope.class(other).is_some() => return Ok(None),
            None => {
                return Err((
                    expr.at,
                    format!(
                        "annotation `{other}` is neither a known Python type nor a class of the models"
                    ),
                ));
            }
        },
    }))
}

/// A `type_annotation_map` entry for `key` (matching the full dotted text or its last part).
fn mapped_type(key: &str, registry: &Registry, scope: &Scope) -> Option<Result<SaType, String>> {
    let last = key.rsplit('.').next().unwrap_or(key);
    registry
        .annotation_map
        .iter()
        .find(|(k, _)| k == key)
        .or_else(|| {
            registry
                .annotation_map
                .iter()
                .find(|(k, _)| k.rsplit('.').next() == Some(last) && !key.contains('['))
        })
        .map(|(_, t)| SaType::read(t, scope))
}
