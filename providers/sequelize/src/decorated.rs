//! sequelize-typescript models: classes decorated with `@Table`, read into the same model and
//! association definitions `Model.init` and the association calls give, as sequelize-typescript's
//! `addModels` hands them to Sequelize. TypeScript applies a property's decorators bottom-up,
//! so `@Column` is the last one written and the ones above it add options over it; the compiled
//! `__decorate([...])` form arrives here as the same decorators.

use crate::attribute;
use crate::js::{Class, Expr, Field, Pos, Value};
use crate::read::{AssociationDef, AssociationKind, ModelDef, located};
use std::path::{Path, PathBuf};
use strata_schema::SourceError;

/// Validation decorators: they add `validate` options, nothing in the schema.
const VALIDATORS: &[&str] = &[
    "Is",
    "Not",
    "IsEmail",
    "IsUrl",
    "IsIP",
    "IsIPv4",
    "IsIPv6",
    "IsAlpha",
    "IsAlphanumeric",
    "IsNumeric",
    "IsInt",
    "IsFloat",
    "IsDecimal",
    "IsLowercase",
    "IsUppercase",
    "NotNull",
    "IsNull",
    "NotEmpty",
    "Equals",
    "Contains",
    "NotIn",
    "IsIn",
    "NotContains",
    "Length",
    "IsUUID",
    "IsDate",
    "IsAfter",
    "IsBefore",
    "Max",
    "Min",
    "IsArray",
    "IsCreditCard",
    "Validate",
];

/// A `@ForeignKey(() => Target)` property: attribute `key` of `class` refers to `target`.
#[derive(Debug, Clone)]
struct ForeignKeyDecl {
    class: String,
    target: String,
    key: String,
}

/// An association decorator, resolved once every class's `@ForeignKey`s are known (the key of
/// a `@HasMany` is declared on the other class).
#[derive(Debug, Clone)]
struct Pending {
    kind: AssociationKind,
    class: String,
    property: String,
    target: String,
    /// The decorator's arguments after the target getter.
    args: Vec<Expr>,
    file: PathBuf,
    pos: Pos,
}

/// Decorated is what the decorated classes of all files declare beyond their models.
#[derive(Debug, Default)]
pub struct Decorated {
    foreign_keys: Vec<ForeignKeyDecl>,
    pending: Vec<Pending>,
}

fn at(value: Value, pos: Pos) -> Expr {
    Expr { value, pos }
}

fn text(value: &str, pos: Pos) -> Expr {
    at(Value::Str(value.to_string()), pos)
}

/// True for a class sequelize-typescript defines: a `@Table` decorator.
pub fn is_table(class: &Class) -> bool {
    class.decorators.iter().any(|d| d.name() == Some("Table"))
}

/// The class a model getter names: `() => Author` (or `() => author_1.Author` compiled).
fn getter_target(file: &Path, e: &Expr, what: &str) -> Result<String, SourceError> {
    let named = match &e.value {
        Value::Function {
            returns: Some(r), ..
        } => r.name(),
        _ => None,
    };
    named.map(str::to_string).ok_or_else(|| {
        located(
            file,
            e.pos,
            format!(
                "{what} needs a model getter such as `() => Model` to be read statically, found {}",
                e.describe()
            ),
        )
    })
}

fn get<'p>(props: &'p [(String, Expr)], key: &str) -> Option<&'p Expr> {
    props.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn set(props: &mut Vec<(String, Expr)>, key: &str, value: Expr) {
    match props.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v = value,
        None => props.push((key.to_string(), value)),
    }
}

/// The decorator's arguments (none for a bare `@Column`).
fn args(d: &Expr) -> &[Expr] {
    match &d.value {
        Value::Call { args, .. } => args,
        _ => &[],
    }
}

impl Decorated {
    /// Read decorated `class` of `file` into its model definition; its foreign-key and
    /// association decorators are kept for [`Decorated::associations`].
    pub fn model(
        &mut self,
        file: &Path,
        class: &Class,
        warnings: &mut Vec<SourceError>,
    ) -> Result<ModelDef, SourceError> {
        let mut attributes = Vec::new();
        let mut options: Vec<(String, Expr)> = Vec::new();
        let mut indexes = Indexes::default();
        for field in &class.fields {
            if let Some(attr) = attribute(file, field, warnings)? {
                attributes.push(attr);
            }
            // Bottom-up, as TypeScript applies them.
            for d in field.decorators.iter().rev() {
                let pos = d.pos;
                let property = || text(&field.name, pos);
                let yes = || at(Value::Bool(true), pos);
                match d.name() {
                    Some("CreatedAt") => {
                        options.push(("createdAt".into(), property()));
                        options.push(("timestamps".into(), yes()));
                    }
                    Some("UpdatedAt") => {
                        options.push(("updatedAt".into(), property()));
                        options.push(("timestamps".into(), yes()));
                    }
                    Some("DeletedAt") => {
                        options.push(("deletedAt".into(), property()));
                        options.push(("timestamps".into(), yes()));
                        options.push(("paranoid".into(), yes()));
                    }
                    Some("Index") => indexes.add(file, &field.name, d)?,
                    Some("ForeignKey") => {
                        let target = args(d).first().ok_or_else(|| {
                            located(file, pos, "@ForeignKey needs a model getter".into())
                        })?;
                        self.foreign_keys.push(ForeignKeyDecl {
                            class: class.name.clone(),
                            target: getter_target(file, target, "@ForeignKey")?,
                            key: field.name.clone(),
                        });
                    }
                    Some(kind @ ("BelongsTo" | "HasMany" | "HasOne" | "BelongsToMany")) => {
                        let (target, rest) = args(d).split_first().ok_or_else(|| {
                            located(file, pos, format!("@{kind} needs a model getter"))
                        })?;
                        self.pending.push(Pending {
                            kind: match kind {
                                "BelongsTo" => AssociationKind::BelongsTo,
                                "HasMany" => AssociationKind::HasMany,
                                "HasOne" => AssociationKind::HasOne,
                                _ => AssociationKind::BelongsToMany,
                            },
                            class: class.name.clone(),
                            property: field.name.clone(),
                            target: getter_target(file, target, &format!("@{kind}"))?,
                            args: rest.to_vec(),
                            file: file.to_path_buf(),
                            pos,
                        });
                    }
                    _ => {}
                }
            }
        }
        let table = class
            .decorators
            .iter()
            .find(|d| d.name() == Some("Table"))
            .map(args)
            .and_then(<[Expr]>::first);
        let table_props = match table {
            None => &[][..],
            Some(o) => crate::read::object(file, o, "@Table options")?,
        };
        let name = match table_props.iter().find(|(k, _)| k == "modelName") {
            Some((_, n)) => attribute::text(file, n, "modelName")?,
            None => class.name.clone(),
        };
        // `addModels` passes `{ indexes, ...options }`: the decorators' options, then `@Table`'s
        // over them.
        let mut all = indexes.option(class.pos);
        all.extend(options);
        all.extend(table_props.iter().cloned());
        Ok(ModelDef {
            name,
            binding: Some(class.name.clone()),
            attributes,
            options: Some(at(Value::Object(all), class.pos)),
            file: file.to_path_buf(),
        })
    }

    /// The association decorators of every class, as the association calls `addModels` makes:
    /// class by class, property by property, each with the foreign key sequelize-typescript
    /// finds for it (a `foreignKey` option, else the `@ForeignKey` pointing the right way).
    pub fn associations(&self) -> Result<Vec<AssociationDef>, SourceError> {
        self.pending.iter().map(|p| self.association(p)).collect()
    }

    /// The foreign key `option` names, or the `@ForeignKey` of `holder` pointing to `related`.
    fn key(
        &self,
        p: &Pending,
        option: Option<&Expr>,
        related: &str,
        holder: Option<&str>,
    ) -> Result<Expr, SourceError> {
        // A name wins; an object without one gets the declared key's name.
        let mut extra = match option {
            None => Vec::new(),
            Some(o) => match &o.value {
                Value::Undefined => Vec::new(),
                Value::Str(_) => return Ok(o.clone()),
                Value::Object(props) if props.iter().any(|(k, _)| k == "name") => {
                    return Ok(o.clone());
                }
                Value::Object(props) => props.clone(),
                _ => {
                    return Err(located(
                        &p.file,
                        o.pos,
                        format!("foreignKey cannot be read statically: {}", o.describe()),
                    ));
                }
            },
        };
        let declared = holder.and_then(|h| {
            self.foreign_keys
                .iter()
                .find(|f| f.class == h && f.target == related)
        });
        let Some(declared) = declared else {
            return Err(located(
                &p.file,
                p.pos,
                format!(
                    "foreign key for {related} is missing on {}: sequelize-typescript needs \
                     @ForeignKey(() => {related}) on a property of {0} or a foreignKey option",
                    holder.unwrap_or("the through table")
                ),
            ));
        };
        let name = text(&declared.key, p.pos);
        if extra.is_empty() {
            return Ok(name);
        }
        extra.insert(0, ("name".into(), name));
        Ok(at(Value::Object(extra), p.pos))
    }

    fn association(&self, p: &Pending) -> Result<AssociationDef, SourceError> {
        let mut props: Vec<(String, Expr)> = Vec::new();
        let first = p.args.first();
        let through_form = p.kind == AssociationKind::BelongsToMany
            && first.is_some_and(|f| matches!(f.value, Value::Str(_) | Value::Function { .. }));
        if through_form {
            // `@BelongsToMany(() => B, through, foreignKey?, otherKey?)`.
            let names = ["through", "foreignKey", "otherKey"];
            for (name, arg) in names.iter().zip(&p.args) {
                props.push((name.to_string(), arg.clone()));
            }
        } else {
            match first {
                None => {}
                Some(f) => match &f.value {
                    Value::Undefined => {}
                    Value::Str(_) => props.push(("foreignKey".into(), f.clone())),
                    _ => props.extend(
                        crate::read::object(&p.file, f, "association options")?
                            .iter()
                            .cloned(),
                    ),
                },
            }
        }
        if !props.iter().any(|(k, _)| k == "as") {
            props.push(("as".into(), text(&p.property, p.pos)));
        }
        match p.kind {
            AssociationKind::BelongsTo => {
                let key = self.key(p, get(&props, "foreignKey"), &p.target, Some(&p.class))?;
                set(&mut props, "foreignKey", key);
            }
            AssociationKind::HasMany | AssociationKind::HasOne => {
                let key = self.key(p, get(&props, "foreignKey"), &p.class, Some(&p.target))?;
                set(&mut props, "foreignKey", key);
            }
            AssociationKind::BelongsToMany => {
                let through = get(&props, "through").ok_or_else(|| {
                    located(
                        &p.file,
                        p.pos,
                        "@BelongsToMany needs a through model".into(),
                    )
                })?;
                let (through, holder) = self.through(p, through)?;
                set(&mut props, "through", through);
                let key = self.key(p, get(&props, "foreignKey"), &p.class, holder.as_deref())?;
                set(&mut props, "foreignKey", key);
                let other = self.key(p, get(&props, "otherKey"), &p.target, holder.as_deref())?;
                set(&mut props, "otherKey", other);
            }
        }
        Ok(AssociationDef {
            kind: p.kind,
            source: vec![p.class.clone()],
            target: at(Value::Path(vec![p.target.clone()]), p.pos),
            options: Some(at(Value::Object(props), p.pos)),
            file: p.file.clone(),
            pos: p.pos,
        })
    }

    /// The `through` option with its model getter resolved, and the through class when it is a
    /// model (where the keys' `@ForeignKey`s are).
    fn through(&self, p: &Pending, e: &Expr) -> Result<(Expr, Option<String>), SourceError> {
        match &e.value {
            Value::Str(_) => Ok((e.clone(), None)),
            Value::Function { .. } => {
                let class = getter_target(&p.file, e, "through")?;
                Ok((at(Value::Path(vec![class.clone()]), e.pos), Some(class)))
            }
            Value::Object(props) => {
                let mut props = props.clone();
                let mut holder = None;
                if let Some((_, model)) = props.iter_mut().find(|(k, _)| k == "model")
                    && matches!(model.value, Value::Function { .. })
                {
                    let class = getter_target(&p.file, model, "through.model")?;
                    *model = at(Value::Path(vec![class.clone()]), model.pos);
                    holder = Some(class);
                }
                Ok((at(Value::Object(props), e.pos), holder))
            }
            _ => Err(located(
                &p.file,
                e.pos,
                format!("through cannot be read statically: {}", e.describe()),
            )),
        }
    }
}

/// The attribute `field` declares, when it has `@Column`: the column's options, then the
/// options the decorators above it add, bottom-up.
fn attribute(
    file: &Path,
    field: &Field,
    warnings: &mut Vec<SourceError>,
) -> Result<Option<(String, Expr)>, SourceError> {
    let column = field
        .decorators
        .iter()
        .rposition(|d| d.name() == Some("Column"));
    let mut props: Vec<(String, Expr)> = Vec::new();
    if let Some(i) = column {
        let d = &field.decorators[i];
        match args(d).first() {
            None => {}
            Some(
                o @ Expr {
                    value: Value::Object(_),
                    ..
                },
            ) => props.extend(
                crate::read::object(file, o, "@Column options")?
                    .iter()
                    .cloned(),
            ),
            Some(t) => props.push(("type".into(), t.clone())),
        }
        if !props.iter().any(|(k, _)| k == "type") {
            props.push(("type".into(), inferred_type(file, field, d.pos)?));
        }
    }
    for (i, d) in field.decorators.iter().enumerate().rev() {
        let Some(name) = d.name() else {
            return Err(located(
                file,
                d.pos,
                format!("decorator {} cannot be read statically", d.describe()),
            ));
        };
        let arg = args(d).first();
        let option = match name {
            "PrimaryKey" => Some(("primaryKey", at(Value::Bool(true), d.pos))),
            "AutoIncrement" => Some(("autoIncrement", at(Value::Bool(true), d.pos))),
            "AllowNull" => Some((
                "allowNull",
                arg.cloned().unwrap_or_else(|| at(Value::Bool(true), d.pos)),
            )),
            "Unique" => Some((
                "unique",
                arg.cloned().unwrap_or_else(|| at(Value::Bool(true), d.pos)),
            )),
            "Default" | "Comment" => {
                let value = arg
                    .cloned()
                    .ok_or_else(|| located(file, d.pos, format!("@{name} needs a value")))?;
                Some((
                    if name == "Default" {
                        "defaultValue"
                    } else {
                        "comment"
                    },
                    value,
                ))
            }
            "Column" | "CreatedAt" | "UpdatedAt" | "DeletedAt" | "Index" | "ForeignKey"
            | "BelongsTo" | "HasMany" | "HasOne" | "BelongsToMany" => None,
            v if VALIDATORS.contains(&v) => None,
            other => {
                warnings.push(located(
                    file,
                    d.pos,
                    format!("decorator @{other} on {} is not read (ignored)", field.name),
                ));
                None
            }
        };
        let Some((key, value)) = option else { continue };
        match column {
            Some(c) if c > i => props.push((key.to_string(), value)),
            _ => {
                return Err(located(
                    file,
                    d.pos,
                    format!(
                        "@{name} on {} needs @Column below it (decorators apply bottom-up; \
                         sequelize-typescript rejects the model otherwise)",
                        field.name
                    ),
                ));
            }
        }
    }
    Ok(column.map(|_| (field.name.clone(), at(Value::Object(props), field.pos))))
}

/// The data type sequelize-typescript infers from a property's design type when `@Column`
/// gives none (`inferDataType`): string, number, bigint, boolean, Date and Buffer.
fn inferred_type(file: &Path, field: &Field, pos: Pos) -> Result<Expr, SourceError> {
    let ty = field.ty.as_deref().unwrap_or("").trim();
    let name = match ty {
        "string" | "String" => "STRING",
        "number" | "Number" => "INTEGER",
        "bigint" | "BigInt" => "BIGINT",
        "boolean" | "Boolean" => "BOOLEAN",
        "Date" => "DATE",
        "Buffer" => "BLOB",
        _ => {
            let found = if ty.is_empty() { "no type" } else { ty };
            return Err(located(
                file,
                pos,
                format!(
                    "the type of {} cannot be inferred from {found} (sequelize-typescript infers \
                     only string, number, bigint, boolean, Date and Buffer; a union's design \
                     type depends on strictNullChecks): give @Column a DataType",
                    field.name
                ),
            ));
        }
    };
    Ok(at(Value::Path(vec!["DataType".into(), name.into()]), pos))
}

/// One index the `@Index` decorators of a class build: its options and its fields.
struct IndexDecl {
    name: Option<String>,
    options: Vec<(String, Expr)>,
    fields: Vec<Expr>,
}

/// The `@Index` decorators of a class, in the order they create indexes.
#[derive(Default)]
struct Indexes(Vec<IndexDecl>);

impl Indexes {
    /// Add `property` to the index decorator `d` names or creates.
    fn add(&mut self, file: &Path, property: &str, d: &Expr) -> Result<(), SourceError> {
        let mut options: Vec<(String, Expr)> = Vec::new();
        let mut field = vec![("name".to_string(), text(property, d.pos))];
        match args(d).first() {
            None => {}
            Some(
                n @ Expr {
                    value: Value::Str(_),
                    ..
                },
            ) => options.push(("name".into(), n.clone())),
            Some(o) => {
                for (k, v) in crate::read::object(file, o, "@Index options")? {
                    match k.as_str() {
                        "length" | "order" | "collate" => field.push((k.clone(), v.clone())),
                        _ => options.push((k.clone(), v.clone())),
                    }
                }
            }
        }
        let field = at(Value::Object(field), d.pos);
        let name = get(&options, "name")
            .map(|n| attribute::text(file, n, "index name"))
            .transpose()?;
        match self.0.iter_mut().find(|i| name.is_some() && i.name == name) {
            Some(index) => index.fields.push(field),
            None => self.0.push(IndexDecl {
                name,
                options,
                fields: vec![field],
            }),
        }
        Ok(())
    }

    /// The `indexes` model option, if any index was declared: named indexes first, then the
    /// unnamed ones (sequelize-typescript keeps them in two stores, `{ named, unnamed }`).
    fn option(self, pos: Pos) -> Vec<(String, Expr)> {
        let (named, unnamed): (Vec<IndexDecl>, Vec<IndexDecl>) =
            self.0.into_iter().partition(|i| i.name.is_some());
        let all: Vec<Expr> = named
            .into_iter()
            .chain(unnamed)
            .map(|mut i| {
                i.options
                    .push(("fields".into(), at(Value::Array(i.fields), pos)));
                at(Value::Object(i.options), pos)
            })
            .collect();
        if all.is_empty() {
            Vec::new()
        } else {
            vec![("indexes".into(), at(Value::Array(all), pos))]
        }
    }
}
