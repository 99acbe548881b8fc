//! TypeORM's decorators read into typed specs: which decorator, with which arguments, where.
//! Only the argument shapes TypeORM accepts are read; anything else is an error at its place.

use strata_schema::SourceError;
use strata_sequelize::js::{Expr, Pos, Value};

/// Read is a decorator-reading result: errors carry their position, the file is added later.
pub type Read<T> = Result<T, (Pos, String)>;

/// How a primary key generates its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Increment,
    Uuid,
    Identity { always: bool },
}

/// Special is a column TypeORM fills itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    CreateDate,
    UpdateDate,
    DeleteDate,
    Version,
}

/// ColumnDeco is `@Column`, `@PrimaryColumn`, `@PrimaryGeneratedColumn` or a special column.
#[derive(Debug, Clone)]
pub struct ColumnDeco {
    pub primary: bool,
    pub generated: Option<Strategy>,
    pub special: Option<Special>,
    /// The type given as the first argument (`@Column("varchar", …)`).
    pub ty: Option<String>,
    /// The options object, if any.
    pub options: Option<Expr>,
    /// `@Column(() => Address)`: the embedded class.
    pub embedded: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    ManyToOne,
    OneToOne,
    OneToMany,
    ManyToMany,
}

/// RelationDeco is a relation decorator: target class, inverse property, options.
#[derive(Debug, Clone)]
pub struct RelationDeco {
    pub kind: RelationKind,
    pub target: String,
    pub inverse: Option<String>,
    pub options: Option<Expr>,
    pub pos: Pos,
}

/// JoinColumnDeco is one `@JoinColumn` entry.
#[derive(Debug, Clone, Default)]
pub struct JoinColumnDeco {
    pub name: Option<String>,
    pub referenced: Option<String>,
    pub constraint_name: Option<String>,
}

/// JoinTableDeco is `@JoinTable(...)`.
#[derive(Debug, Clone, Default)]
pub struct JoinTableDeco {
    pub name: Option<String>,
    pub join_columns: Vec<JoinColumnDeco>,
    pub inverse_join_columns: Vec<JoinColumnDeco>,
}

/// IndexDeco is `@Index`: on a class it lists properties; on a property it is that property.
#[derive(Debug, Clone)]
pub struct IndexDeco {
    pub name: Option<String>,
    pub properties: Vec<String>,
    pub unique: bool,
    pub predicate: Option<String>,
    pub pos: Pos,
}

/// UniqueDeco is `@Unique([...])` / `@Unique("name", [...])` on a class.
#[derive(Debug, Clone)]
pub struct UniqueDeco {
    pub name: Option<String>,
    pub properties: Vec<String>,
    pub pos: Pos,
}

/// CheckDeco is `@Check(expr)` / `@Check("name", expr)`.
#[derive(Debug, Clone)]
pub struct CheckDeco {
    pub name: Option<String>,
    pub expression: String,
}

/// FieldDecos is what the decorators of one property say.
#[derive(Debug, Clone, Default)]
pub struct FieldDecos {
    pub column: Option<ColumnDeco>,
    pub relation: Option<RelationDeco>,
    pub join_column: Option<Vec<JoinColumnDeco>>,
    pub join_table: Option<JoinTableDeco>,
    pub indexes: Vec<IndexDeco>,
}

/// ClassDecos is what the decorators of one class say.
#[derive(Debug, Clone, Default)]
pub struct ClassDecos {
    /// `@Entity(name?)`: `Some(None)` without a name.
    pub entity: Option<Option<String>>,
    pub child_entity: bool,
    /// `@TableInheritance({ column })`: the discriminator's options.
    pub inheritance: Option<Expr>,
    pub indexes: Vec<IndexDeco>,
    pub uniques: Vec<UniqueDeco>,
    pub checks: Vec<CheckDeco>,
}

/// Decorators that change the schema but are not read: reported, never silently skipped.
const UNSUPPORTED: &[&str] = &[
    "ViewEntity",
    "ViewColumn",
    "Tree",
    "TreeParent",
    "TreeChildren",
    "TreeLevelColumn",
    "Exclusion",
    "Generated",
    "ObjectIdColumn",
    "VirtualColumn",
    "ForeignKey",
];

/// The decorator's name and arguments: `Column({…})`, `(0, typeorm_1.Column)({…})`.
fn call(e: &Expr) -> Option<(&str, &[Expr])> {
    match &e.value {
        Value::Call { callee, args } => Some((callee.last()?.as_str(), args.as_slice())),
        Value::Path(p) => Some((p.last()?.as_str(), &[])),
        _ => None,
    }
}

fn string(e: &Expr, what: &str) -> Read<String> {
    match &e.value {
        Value::Str(s) => Ok(s.clone()),
        _ => Err((
            e.pos,
            format!(
                "{what} must be a string literal to be read statically, found {}",
                e.describe()
            ),
        )),
    }
}

fn opt_string(options: Option<&Expr>, key: &str) -> Read<Option<String>> {
    options
        .and_then(|o| o.get(key))
        .map(|v| string(v, key))
        .transpose()
}

/// The class a type function names: `() => Publisher`, `(type) => Publisher_1.Publisher`,
/// or the string `"Publisher"`.
fn target(e: &Expr) -> Read<String> {
    let named = match &e.value {
        Value::Function {
            returns: Some(r), ..
        } => r.name().map(str::to_string),
        Value::Str(s) => Some(s.clone()),
        _ => None,
    };
    named.ok_or_else(|| {
        (
            e.pos,
            format!(
                "the related entity cannot be read statically: {}",
                e.describe()
            ),
        )
    })
}

/// The property an inverse-side function names: `(book) => book.publisher` → `publisher`.
fn inverse(e: &Expr) -> Read<String> {
    match &e.value {
        Value::Function {
            returns: Some(r), ..
        } => r.name().map(str::to_string),
        Value::Str(s) => Some(s.clone()),
        _ => None,
    }
    .ok_or_else(|| {
        (
            e.pos,
            format!(
                "the inverse side cannot be read statically: {}",
                e.describe()
            ),
        )
    })
}

fn is_object(e: &Expr) -> bool {
    matches!(e.value, Value::Object(_))
}

/// Property names listed in `@Index([...])` / `@Unique([...])`.
fn properties(e: &Expr) -> Read<Vec<String>> {
    match &e.value {
        Value::Array(items) => items
            .iter()
            .map(|i| string(i, "an index property"))
            .collect(),
        _ => Err((
            e.pos,
            format!(
                "the property list must be an array literal, found {}",
                e.describe()
            ),
        )),
    }
}

fn column(name: &str, args: &[Expr], pos: Pos) -> Read<Option<ColumnDeco>> {
    let mut deco = ColumnDeco {
        primary: false,
        generated: None,
        special: None,
        ty: None,
        options: None,
        embedded: None,
        pos,
    };
    match name {
        "Column" => {}
        "PrimaryColumn" => deco.primary = true,
        "PrimaryGeneratedColumn" => {
            deco.primary = true;
            deco.generated = Some(Strategy::Increment);
        }
        "CreateDateColumn" => deco.special = Some(Special::CreateDate),
        "UpdateDateColumn" => deco.special = Some(Special::UpdateDate),
        "DeleteDateColumn" => deco.special = Some(Special::DeleteDate),
        "VersionColumn" => deco.special = Some(Special::Version),
        _ => return Ok(None),
    }
    let mut rest = args;
    if let Some(first) = args.first() {
        match &first.value {
            Value::Str(s) if name == "PrimaryGeneratedColumn" => {
                deco.generated = Some(match s.as_str() {
                    "increment" => Strategy::Increment,
                    "uuid" => Strategy::Uuid,
                    "identity" => Strategy::Identity { always: false },
                    other => {
                        return Err((
                            first.pos,
                            format!("generation strategy '{other}' is not supported"),
                        ));
                    }
                });
                rest = &args[1..];
            }
            Value::Str(s) => {
                deco.ty = Some(s.clone());
                rest = &args[1..];
            }
            Value::Function { .. } if name == "Column" => {
                deco.embedded = Some(target(first)?);
                rest = &args[1..];
            }
            _ => {}
        }
    }
    if let Some(options) = rest.first() {
        if !is_object(options) {
            return Err((
                options.pos,
                format!(
                    "column options must be an object literal, found {}",
                    options.describe()
                ),
            ));
        }
        if let Some(Strategy::Identity { .. }) = deco.generated
            && let Some(g) = options.get("generatedIdentity")
        {
            deco.generated = Some(Strategy::Identity {
                always: string(g, "generatedIdentity")? == "ALWAYS",
            });
        }
        deco.options = Some(options.clone());
    }
    Ok(Some(deco))
}

fn relation(name: &str, args: &[Expr], pos: Pos) -> Read<Option<RelationDeco>> {
    let kind = match name {
        "ManyToOne" => RelationKind::ManyToOne,
        "OneToOne" => RelationKind::OneToOne,
        "OneToMany" => RelationKind::OneToMany,
        "ManyToMany" => RelationKind::ManyToMany,
        _ => return Ok(None),
    };
    let first = args
        .first()
        .ok_or_else(|| (pos, format!("@{name} needs its related entity")))?;
    let (inverse_side, options) = match args.get(1) {
        Some(o) if is_object(o) => (None, Some(o.clone())),
        Some(i) => (Some(inverse(i)?), args.get(2).cloned()),
        None => (None, None),
    };
    Ok(Some(RelationDeco {
        kind,
        target: target(first)?,
        inverse: inverse_side,
        options,
        pos,
    }))
}

fn join_column(e: &Expr) -> Read<JoinColumnDeco> {
    let o = Some(e);
    Ok(JoinColumnDeco {
        name: opt_string(o, "name")?,
        referenced: opt_string(o, "referencedColumnName")?,
        constraint_name: opt_string(o, "foreignKeyConstraintName")?,
    })
}

fn join_columns(e: Option<&Expr>) -> Read<Vec<JoinColumnDeco>> {
    match e.map(|e| (e, &e.value)) {
        None => Ok(Vec::new()),
        Some((_, Value::Array(items))) => items.iter().map(join_column).collect(),
        Some((e, _)) => Ok(vec![join_column(e)?]),
    }
}

/// `@Index()`, `@Index("name")`, `@Index(["a", "b"])`, `@Index("name", ["a"], { unique })`,
/// `@Index({ unique })` — the property list only on a class.
fn index(args: &[Expr], pos: Pos) -> Read<IndexDeco> {
    let mut deco = IndexDeco {
        name: None,
        properties: Vec::new(),
        unique: false,
        predicate: None,
        pos,
    };
    for arg in args {
        match &arg.value {
            Value::Str(s) => deco.name = Some(s.clone()),
            Value::Array(_) => deco.properties = properties(arg)?,
            Value::Object(_) => {
                deco.unique = arg.get("unique").and_then(Expr::as_bool).unwrap_or(false);
                deco.predicate = opt_string(Some(arg), "where")?;
                for key in ["spatial", "fulltext", "parser", "expireAfterSeconds"] {
                    if let Some(v) = arg.get(key) {
                        return Err((v.pos, format!("index option `{key}` is not supported")));
                    }
                }
            }
            _ => {
                return Err((
                    arg.pos,
                    format!(
                        "index argument cannot be read statically: {}",
                        arg.describe()
                    ),
                ));
            }
        }
    }
    Ok(deco)
}

fn unique(args: &[Expr], pos: Pos) -> Read<UniqueDeco> {
    let mut deco = UniqueDeco {
        name: None,
        properties: Vec::new(),
        pos,
    };
    for arg in args {
        match &arg.value {
            Value::Str(s) => deco.name = Some(s.clone()),
            Value::Array(_) => deco.properties = properties(arg)?,
            _ => {
                return Err((
                    arg.pos,
                    format!(
                        "unique argument cannot be read statically: {}",
                        arg.describe()
                    ),
                ));
            }
        }
    }
    Ok(deco)
}

fn check(args: &[Expr], pos: Pos) -> Read<CheckDeco> {
    match args {
        [expression] => Ok(CheckDeco {
            name: None,
            expression: string(expression, "a check expression")?,
        }),
        [name, expression] => Ok(CheckDeco {
            name: Some(string(name, "a check name")?),
            expression: string(expression, "a check expression")?,
        }),
        _ => Err((
            pos,
            "@Check takes an expression, or a name and an expression".into(),
        )),
    }
}

fn unsupported(name: &str, pos: Pos) -> Read<()> {
    if UNSUPPORTED.contains(&name) {
        return Err((
            pos,
            format!("@{name} is not supported by the static reader"),
        ));
    }
    Ok(())
}

/// Read the decorators of a property.
pub fn field(decorators: &[Expr]) -> Read<FieldDecos> {
    let mut out = FieldDecos::default();
    for d in decorators {
        let Some((name, args)) = call(d) else {
            continue;
        };
        if let Some(c) = column(name, args, d.pos)? {
            out.column = Some(c);
        } else if let Some(r) = relation(name, args, d.pos)? {
            out.relation = Some(r);
        } else {
            match name {
                "JoinColumn" => out.join_column = Some(join_columns(args.first())?),
                "JoinTable" => {
                    let o = args.first();
                    out.join_table = Some(JoinTableDeco {
                        name: opt_string(o, "name")?,
                        join_columns: join_columns(
                            o.and_then(|o| o.get("joinColumn").or(o.get("joinColumns"))),
                        )?,
                        inverse_join_columns: join_columns(o.and_then(|o| {
                            o.get("inverseJoinColumn").or(o.get("inverseJoinColumns"))
                        }))?,
                    });
                }
                "Index" => out.indexes.push(index(args, d.pos)?),
                _ => unsupported(name, d.pos)?,
            }
        }
    }
    Ok(out)
}

/// Read the decorators of a class.
pub fn class(decorators: &[Expr]) -> Read<ClassDecos> {
    let mut out = ClassDecos::default();
    for d in decorators {
        let Some((name, args)) = call(d) else {
            continue;
        };
        match name {
            "Entity" => {
                let first = args.first();
                let named = match first.map(|f| &f.value) {
                    Some(Value::Str(s)) => Some(s.clone()),
                    Some(Value::Object(_)) => opt_string(first, "name")?,
                    _ => None,
                };
                for key in ["schema", "database"] {
                    if let Some(v) = first
                        .and_then(|o| o.get(key))
                        .or(args.get(1).and_then(|o| o.get(key)))
                    {
                        return Err((v.pos, format!("entity option `{key}` is not supported")));
                    }
                }
                out.entity = Some(named);
            }
            "ChildEntity" => out.child_entity = true,
            "TableInheritance" => {
                let options = args.first().cloned().unwrap_or(Expr {
                    value: Value::Object(Vec::new()),
                    pos: d.pos,
                });
                if let Some(p) = options
                    .get("pattern")
                    .and_then(Expr::as_str)
                    .filter(|p| *p != "STI")
                {
                    return Err((d.pos, format!("inheritance pattern '{p}' is not supported")));
                }
                out.inheritance = Some(options);
            }
            "Index" => out.indexes.push(index(args, d.pos)?),
            "Unique" => out.uniques.push(unique(args, d.pos)?),
            "Check" => out.checks.push(check(args, d.pos)?),
            _ => unsupported(name, d.pos)?,
        }
    }
    Ok(out)
}

/// A decorator-reading error placed in `file`.
pub fn located(file: &std::path::Path, (pos, message): (Pos, String)) -> SourceError {
    SourceError {
        location: pos.at(file),
        message,
        help: None,
    }
}
