//! Doctrine's class metadata, built from the attributes the way the ORM's attribute and
//! annotation drivers do: which classes are entities, mapped superclasses or embeddables, their
//! fields with column names from the naming strategy, their associations with defaulted join
//! columns and join tables, inheritance, and table-level indexes.

use crate::args::{Args, is_known};
use crate::naming::{Naming, REFERENCE_COLUMN};
use crate::php::{Class, Property, short};
use crate::types::{ColumnSpec, from_php_type};
use crate::value::{Attribute, Pos, Value, ValueKind};
use std::collections::HashMap;
use std::rc::Rc;
use strata_schema::SourceError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Entity,
    MappedSuperclass,
    Embeddable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inheritance {
    None,
    SingleTable,
    Joined,
}

/// Generation is `#[GeneratedValue(strategy:)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    Auto,
    Identity,
    Sequence,
    /// NONE, UUID, CUSTOM: the application supplies the value.
    Application,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub column: String,
    pub spec: ColumnSpec,
    pub nullable: bool,
    pub unique: bool,
    pub default: Option<Value>,
    pub comment: Option<String>,
    pub id: bool,
    /// Declared by an entity ancestor (lives in that ancestor's table under JOINED).
    pub inherited: bool,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct JoinColumn {
    pub name: String,
    pub referenced: String,
    pub nullable: Option<bool>,
    pub unique: bool,
    pub on_delete: Option<String>,
    pub options: Vec<(String, Value)>,
}

#[derive(Debug, Clone)]
pub struct JoinTable {
    pub name: String,
    pub join_columns: Vec<JoinColumn>,
    pub inverse_join_columns: Vec<JoinColumn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssocKind {
    ManyToOne,
    OneToOne,
    ManyToMany,
}

/// Assoc is an owning association: the side that holds join columns or the join table.
#[derive(Debug, Clone)]
pub struct Assoc {
    pub property: String,
    pub kind: AssocKind,
    pub target: String,
    pub join_columns: Vec<JoinColumn>,
    pub join_table: Option<JoinTable>,
    pub id: bool,
    pub inherited: bool,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct IndexDecl {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub unique: bool,
    pub predicate: Option<String>,
    pub fulltext: bool,
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub name: String,
    pub kind: Kind,
    pub table: String,
    /// Nearest entity ancestor.
    pub parent_entity: Option<String>,
    pub root: String,
    pub inheritance: Inheritance,
    pub discriminator: Option<Field>,
    pub fields: Vec<Field>,
    pub assocs: Vec<Assoc>,
    pub indexes: Vec<IndexDecl>,
    pub generation: Option<Generation>,
}

impl Meta {
    /// The field mapped to `column`.
    pub fn field_by_column(&self, column: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.column == column)
    }
}

/// Build metadata for every mapped class, in declaration order.
pub struct Builder<'c> {
    classes: HashMap<&'c str, &'c Class>,
    naming: Naming,
    /// Metadata built so far, shared rather than copied: a parent's is needed by every
    /// subclass, and every entity's by the caller.
    done: HashMap<String, Rc<Meta>>,
    /// Property name → column, per class, for `fields:` in indexes.
    field_columns: HashMap<String, Vec<(String, Vec<String>)>>,
    warnings: Vec<SourceError>,
}

fn mapping_attrs(attrs: &[Attribute]) -> impl Iterator<Item = (&str, &Attribute)> {
    attrs
        .iter()
        .filter_map(|a| a.mapping_name().map(|m| (m, a)))
}

fn find<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a Attribute> {
    mapping_attrs(attrs)
        .find(|(m, _)| *m == name)
        .map(|(_, a)| a)
}

pub fn kind_of(class: &Class) -> Option<Kind> {
    mapping_attrs(&class.attributes).find_map(|(m, _)| match m {
        "Entity" => Some(Kind::Entity),
        "MappedSuperclass" => Some(Kind::MappedSuperclass),
        "Embeddable" => Some(Kind::Embeddable),
        _ => None,
    })
}

impl<'c> Builder<'c> {
    pub fn new(classes: &'c [Class], naming: Naming) -> Builder<'c> {
        Builder {
            classes: classes.iter().map(|c| (c.name.as_str(), c)).collect(),
            naming,
            done: HashMap::new(),
            field_columns: HashMap::new(),
            warnings: Vec::new(),
        }
    }

    pub fn class(&self, name: &str) -> Option<&'c Class> {
        self.classes.get(name).copied()
    }

    /// Resolve a target class named relative to `owner` (annotations allow short names).
    pub fn resolve_target(
        &self,
        owner: &str,
        name: &str,
        pos: &Pos,
    ) -> Result<String, SourceError> {
        if self.classes.contains_key(name) {
            return Ok(name.to_string());
        }
        if let Some((ns, _)) = owner.rsplit_once('\\') {
            let relative = format!("{ns}\\{name}");
            if self.classes.contains_key(relative.as_str()) {
                return Ok(relative);
            }
        }
        Err(pos.error(format!("class {name} is not among the model files")))
    }

    /// The metadata `meta` returned, owned again (the builder's copies are dropped first, so
    /// none is cloned), and the warnings.
    pub fn finish(self, built: Vec<Rc<Meta>>) -> (Vec<Meta>, Vec<SourceError>) {
        let Builder { done, warnings, .. } = self;
        drop(done);
        let metas = built
            .into_iter()
            .map(|m| Rc::try_unwrap(m).unwrap_or_else(|m| (*m).clone()))
            .collect();
        (metas, warnings)
    }

    /// Metadata of a mapped class (built once, parents first); `from` is where it is named.
    pub fn meta(&mut self, name: &str, from: &Pos) -> Result<Rc<Meta>, SourceError> {
        if let Some(m) = self.done.get(name) {
            return Ok(m.clone());
        }
        let class = self
            .class(name)
            .ok_or_else(|| from.error(format!("class {name} is not among the model files")))?;
        let kind = kind_of(class).ok_or_else(|| {
            class.pos.error(format!(
                "{} is not a Doctrine entity, mapped superclass or embeddable",
                class.name
            ))
        })?;
        for (m, attr) in mapping_attrs(&class.attributes) {
            if !is_known(m) {
                self.warnings.push(
                    attr.pos
                        .error(format!("Doctrine attribute {m} is not supported (ignored)")),
                );
            }
        }
        let parent = match &class.parent {
            Some(p) if self.class(p).is_some_and(|c| kind_of(c).is_some()) => {
                Some(self.meta(p, &class.pos)?)
            }
            _ => None,
        };
        let mut meta = self.start_meta(class, kind, parent.as_deref())?;
        let mut columns = self
            .field_columns
            .get(class.parent.as_deref().unwrap_or(""))
            .cloned()
            .unwrap_or_default();
        for property in &class.properties {
            self.read_property(class, property, &mut meta, &mut columns)?;
        }
        self.field_columns.insert(name.to_string(), columns);
        self.read_indexes(class, &mut meta)?;
        let meta = Rc::new(meta);
        self.done.insert(name.to_string(), meta.clone());
        Ok(meta)
    }

    fn start_meta(
        &mut self,
        class: &Class,
        kind: Kind,
        parent: Option<&Meta>,
    ) -> Result<Meta, SourceError> {
        let warnings = &mut self.warnings;
        let table_args = find(&class.attributes, "Table").map(|a| Args::of(a, "Table", warnings));
        let own_table = match &table_args {
            Some(t) => t.string("name")?,
            None => None,
        };
        // Table options (engine, charset, comment) and schemas are not modelled: say so
        // rather than plan a table that differs from Doctrine's.
        for key in ["options", "schema"] {
            if let Some(v) = table_args.as_ref().and_then(|t| t.get(key)) {
                warnings.push(v.pos.error(format!("Table {key}: not read (ignored)")));
            }
        }
        let parent_is_entity = parent.is_some_and(|p| p.kind == Kind::Entity);
        let inheritance = match find(&class.attributes, "InheritanceType") {
            Some(a) => match Args::of(a, "InheritanceType", warnings)
                .string("value")?
                .as_deref()
            {
                Some("SINGLE_TABLE") => Inheritance::SingleTable,
                Some("JOINED") => Inheritance::Joined,
                Some("NONE") | None => Inheritance::None,
                Some(other) => {
                    return Err(a
                        .pos
                        .error(format!("inheritance type {other} is not supported")));
                }
            },
            None if parent_is_entity => parent.map_or(Inheritance::None, |p| p.inheritance),
            None => Inheritance::None,
        };
        let table = match (inheritance, parent) {
            (Inheritance::SingleTable, Some(p)) if parent_is_entity => p.table.clone(),
            _ => own_table.unwrap_or_else(|| self.naming.class_to_table(class.short_name())),
        };
        let mut fields = Vec::new();
        let mut assocs = Vec::new();
        let mut generation = None;
        let mut discriminator = None;
        if let Some(p) = parent {
            fields = p.fields.clone();
            assocs = p.assocs.clone();
            if p.kind == Kind::Entity {
                fields.iter_mut().for_each(|f| f.inherited = true);
                assocs.iter_mut().for_each(|a| a.inherited = true);
                discriminator = p.discriminator.clone();
            }
            generation = p.generation;
        }
        if inheritance != Inheritance::None && !parent_is_entity {
            discriminator = Some(self.discriminator(class)?);
        }
        Ok(Meta {
            name: class.name.clone(),
            kind,
            table,
            parent_entity: parent
                .filter(|p| p.kind == Kind::Entity)
                .map(|p| p.name.clone()),
            root: parent
                .filter(|p| p.kind == Kind::Entity)
                .map_or(class.name.clone(), |p| p.root.clone()),
            inheritance,
            discriminator,
            fields,
            assocs,
            indexes: Vec::new(),
            generation,
        })
    }

    /// `#[DiscriminatorColumn]`, or Doctrine's default `dtype VARCHAR(255)`.
    fn discriminator(&mut self, class: &Class) -> Result<Field, SourceError> {
        let mut spec = ColumnSpec {
            doctrine_type: "string".into(),
            ..ColumnSpec::default()
        };
        let mut column = "dtype".to_string();
        if let Some(a) = find(&class.attributes, "DiscriminatorColumn") {
            let args = Args::of(a, "DiscriminatorColumn", &mut self.warnings);
            if let Some(n) = args.string("name")? {
                column = n;
            }
            if let Some(t) = args.string("type")? {
                spec.doctrine_type = t;
            }
            spec.length = args.integer("length")?;
        }
        Ok(Field {
            column,
            spec,
            nullable: false,
            unique: false,
            default: None,
            comment: None,
            id: false,
            inherited: false,
            pos: class.pos.clone(),
        })
    }

    fn read_property(
        &mut self,
        class: &Class,
        property: &Property,
        meta: &mut Meta,
        columns: &mut Vec<(String, Vec<String>)>,
    ) -> Result<(), SourceError> {
        let attrs = &property.attributes;
        for (m, attr) in mapping_attrs(attrs) {
            if !is_known(m) {
                self.warnings.push(
                    attr.pos
                        .error(format!("Doctrine attribute {m} is not supported (ignored)")),
                );
            }
        }
        let is_id = find(attrs, "Id").is_some();
        if let Some(g) = find(attrs, "GeneratedValue") {
            let strategy = Args::of(g, "GeneratedValue", &mut self.warnings).string("strategy")?;
            meta.generation = Some(match strategy.as_deref().unwrap_or("AUTO") {
                "AUTO" => Generation::Auto,
                "IDENTITY" => Generation::Identity,
                "SEQUENCE" => Generation::Sequence,
                "NONE" | "UUID" | "CUSTOM" => Generation::Application,
                other => return Err(g.pos.error(format!("unknown generation strategy {other}"))),
            });
        }
        if let Some(col) = find(attrs, "Column") {
            let field = self.field(property, col, is_id)?;
            columns.push((property.name.clone(), vec![field.column.clone()]));
            meta.fields.push(field);
        } else if let Some(emb) = find(attrs, "Embedded") {
            for field in self.embedded(class, property, emb)? {
                meta.fields.push(field);
            }
        } else if let Some(assoc) = self.association(class, property, is_id)? {
            let cols = match &assoc.join_table {
                None => assoc.join_columns.iter().map(|j| j.name.clone()).collect(),
                Some(_) => Vec::new(),
            };
            columns.push((property.name.clone(), cols));
            meta.assocs.push(assoc);
        } else if is_id {
            return Err(property.pos.error(format!(
                "#[Id] on {} needs a #[Column] or a to-one association",
                property.name
            )));
        }
        Ok(())
    }

    fn field(
        &mut self,
        property: &Property,
        col: &Attribute,
        id: bool,
    ) -> Result<Field, SourceError> {
        let args = Args::of(col, "Column", &mut self.warnings);
        if args.get("columnDefinition").is_some() {
            return Err(col.pos.error("columnDefinition is raw SQL that this reader cannot turn into a column; use type and options instead"));
        }
        let doctrine_type = match args.string("type")? {
            Some(t) => t,
            None => self.inferred_type(property, args.get("enumType"))?,
        };
        let mut spec = ColumnSpec {
            doctrine_type,
            length: args.integer("length")?,
            precision: args.integer("precision")?,
            scale: args.integer("scale")?,
            ..ColumnSpec::default()
        };
        let mut default = None;
        let mut comment = None;
        if let Some(options) = args.get("options") {
            for (key, value) in options.elements() {
                let Some(key) = key.map(|k| k.string("option name")).transpose()? else {
                    continue;
                };
                match key.as_str() {
                    "default" => default = Some(self.enum_case_value(value)),
                    "unsigned" => spec.unsigned = value.boolean("unsigned")?,
                    "fixed" => spec.fixed = value.boolean("fixed")?,
                    "jsonb" => spec.jsonb = value.boolean("jsonb")?,
                    "comment" => comment = Some(value.string("comment")?),
                    other => self.warnings.push(
                        value
                            .pos
                            .error(format!("column option `{other}` is not read (ignored)")),
                    ),
                }
            }
        }
        Ok(Field {
            column: match args.string("name")? {
                Some(n) => n,
                None => self.naming.property_to_column(&property.name),
            },
            spec,
            nullable: args.boolean("nullable")?.unwrap_or(false),
            unique: args.boolean("unique")?.unwrap_or(false),
            default,
            comment,
            id,
            inherited: false,
            pos: col.pos.clone(),
        })
    }

    /// A default naming a backed enum case (`Status::Open`) stands for the case's value, as the
    /// ORM writes it; anything else is kept as written.
    fn enum_case_value(&self, value: &Value) -> Value {
        if let ValueKind::ClassConst { class, name } = &value.kind
            && let Some(case) = self
                .class(class)
                .and_then(|c| c.enum_cases.iter().find(|(n, _)| n == name))
        {
            return Value {
                kind: case.1.kind.clone(),
                pos: value.pos.clone(),
            };
        }
        value.clone()
    }

    /// The type Doctrine infers when `#[Column]` names none: from `enumType`'s backing type or
    /// the property's declared PHP type, else `string`.
    fn inferred_type(
        &self,
        property: &Property,
        enum_type: Option<&Value>,
    ) -> Result<String, SourceError> {
        let enum_class = match enum_type {
            Some(v) => Some(v.class_name("enumType")?),
            None => property
                .php_type
                .clone()
                .filter(|t| self.class(t).is_some_and(|c| c.is_enum)),
        };
        if let Some(e) = enum_class {
            let backing = self.class(&e).and_then(|c| c.enum_backing.clone());
            return match backing.as_deref() {
                Some("int") => Ok("integer".into()),
                Some("string") => Ok("string".into()),
                _ => Err(property.pos.error(format!(
                    "enum {e} must be a backed enum among the model files"
                ))),
            };
        }
        Ok(property
            .php_type
            .as_deref()
            .and_then(from_php_type)
            .unwrap_or("string")
            .to_string())
    }

    /// Fields of an `#[Embedded]` property, with their column prefix applied.
    fn embedded(
        &mut self,
        owner: &Class,
        property: &Property,
        emb: &Attribute,
    ) -> Result<Vec<Field>, SourceError> {
        let args = Args::of(emb, "Embedded", &mut self.warnings);
        let class = match args.get("class") {
            Some(v) => v.class_name("class")?,
            None => property
                .php_type
                .clone()
                .ok_or_else(|| emb.pos.error("#[Embedded] needs class:"))?,
        };
        let prefix = args.get("columnPrefix").map(|v| match &v.kind {
            ValueKind::Bool(false) => Ok(None),
            _ => v.string("columnPrefix").map(Some),
        });
        let prefix = prefix.transpose()?;
        let class = self.resolve_target(&owner.name, &class, &emb.pos)?;
        let inner = self.meta(&class, &emb.pos)?;
        if inner.kind != Kind::Embeddable {
            return Err(emb.pos.error(format!("{class} is not an #[Embeddable]")));
        }
        Ok(inner
            .fields
            .iter()
            .cloned()
            .map(|mut f| {
                f.column = match &prefix {
                    Some(Some(p)) if !p.is_empty() => format!("{p}{}", f.column),
                    Some(None) => f.column,
                    _ => self.naming.embedded_column(&property.name, &f.column),
                };
                f
            })
            .collect())
    }

    fn association(
        &mut self,
        class: &Class,
        property: &Property,
        id: bool,
    ) -> Result<Option<Assoc>, SourceError> {
        let attrs = &property.attributes;
        let Some((mapping, attr)) = mapping_attrs(attrs)
            .find(|(m, _)| matches!(*m, "ManyToOne" | "OneToOne" | "OneToMany" | "ManyToMany"))
        else {
            return Ok(None);
        };
        let args = Args::of(attr, mapping, &mut self.warnings);
        let owning = args.get("mappedBy").is_none() && mapping != "OneToMany";
        if !owning {
            return Ok(None);
        }
        let target = match args.get("targetEntity") {
            Some(v) => v.class_name("targetEntity")?,
            None => property
                .php_type
                .clone()
                .filter(|t| !t.contains("Collection"))
                .ok_or_else(|| attr.pos.error(format!("{mapping} needs targetEntity:")))?,
        };
        let target = self.resolve_target(&class.name, &target, &attr.pos)?;
        let kind = match mapping {
            "ManyToOne" => AssocKind::ManyToOne,
            "OneToOne" => AssocKind::OneToOne,
            _ => AssocKind::ManyToMany,
        };
        let mut join_columns = self.join_columns(attrs, "JoinColumn")?;
        let mut join_table = None;
        if kind == AssocKind::ManyToMany {
            join_table = Some(self.join_table(class, &target, attrs, join_columns)?);
            join_columns = Vec::new();
        } else if join_columns.is_empty() {
            join_columns.push(JoinColumn {
                name: self.naming.join_column(&property.name),
                referenced: REFERENCE_COLUMN.into(),
                nullable: None,
                unique: false,
                on_delete: None,
                options: Vec::new(),
            });
        } else {
            for jc in &mut join_columns {
                if jc.name.is_empty() {
                    jc.name = self.naming.join_column(&property.name);
                }
            }
        }
        Ok(Some(Assoc {
            property: property.name.clone(),
            kind,
            target,
            join_columns,
            join_table,
            id,
            inherited: false,
            pos: attr.pos.clone(),
        }))
    }

    /// `#[JoinColumn]`s (or `#[InverseJoinColumn]`s) on a property, in order, including those
    /// nested in `@JoinColumns({...})`.
    fn join_columns(
        &mut self,
        attrs: &[Attribute],
        which: &str,
    ) -> Result<Vec<JoinColumn>, SourceError> {
        let mut out = Vec::new();
        for (m, attr) in mapping_attrs(attrs) {
            if m == which {
                out.push(self.join_column(attr, which)?);
            } else if m == "JoinColumns" && which == "JoinColumn" {
                for (_, v) in attr.args.iter().flat_map(|(_, v)| v.elements()) {
                    if let ValueKind::Attr(inner) = &v.kind {
                        out.push(self.join_column(inner, "JoinColumn")?);
                    }
                }
            }
        }
        Ok(out)
    }

    fn join_column(&mut self, attr: &Attribute, which: &str) -> Result<JoinColumn, SourceError> {
        let args = Args::of(attr, which, &mut self.warnings);
        if args.get("columnDefinition").is_some() {
            return Err(attr
                .pos
                .error("columnDefinition is raw SQL that this reader cannot turn into a column"));
        }
        let options = match args.get("options") {
            Some(o) => o
                .elements()
                .into_iter()
                .filter_map(|(k, v)| {
                    k.and_then(|k| k.string("option").ok())
                        .map(|k| (k, v.clone()))
                })
                .collect(),
            None => Vec::new(),
        };
        Ok(JoinColumn {
            name: args.string("name")?.unwrap_or_default(),
            referenced: args
                .string("referencedColumnName")?
                .unwrap_or_else(|| REFERENCE_COLUMN.into()),
            nullable: args.boolean("nullable")?,
            unique: args.boolean("unique")?.unwrap_or(false),
            on_delete: args.string("onDelete")?,
            options,
        })
    }

    /// The join table of an owning many-to-many, defaulted as the ORM does: a side whose join
    /// columns are not given gets one `<class>_<id>` column with `ON DELETE CASCADE`.
    fn join_table(
        &mut self,
        class: &Class,
        target: &str,
        attrs: &[Attribute],
        outer: Vec<JoinColumn>,
    ) -> Result<JoinTable, SourceError> {
        let mut name = None;
        let mut join_columns = outer;
        let mut inverse = self.join_columns(attrs, "InverseJoinColumn")?;
        if let Some(jt) = find(attrs, "JoinTable") {
            let args = Args::of(jt, "JoinTable", &mut self.warnings);
            name = args.string("name")?;
            for (key, list) in [
                ("joinColumns", &mut join_columns),
                ("inverseJoinColumns", &mut inverse),
            ] {
                if let Some(v) = args.get(key) {
                    for (_, item) in v.elements() {
                        if let ValueKind::Attr(inner) = &item.kind {
                            list.push(self.join_column(inner, "JoinColumn")?);
                        }
                    }
                }
            }
        }
        let source_short = short(&class.name);
        let target_short = short(target);
        let self_referencing =
            class.name == target && join_columns.is_empty() && inverse.is_empty();
        let side = |list: &mut Vec<JoinColumn>, entity: &str, self_name: &str| {
            if list.is_empty() {
                let referenced = if self_referencing {
                    self_name
                } else {
                    REFERENCE_COLUMN
                };
                list.push(JoinColumn {
                    name: self.naming.join_key_column(entity, referenced),
                    referenced: REFERENCE_COLUMN.into(),
                    nullable: None,
                    unique: false,
                    on_delete: Some("CASCADE".into()),
                    options: Vec::new(),
                });
            }
            for jc in list.iter_mut() {
                if jc.name.is_empty() {
                    jc.name = self.naming.join_key_column(entity, &jc.referenced);
                }
            }
        };
        side(&mut join_columns, source_short, "source");
        side(&mut inverse, target_short, "target");
        Ok(JoinTable {
            name: name.unwrap_or_else(|| self.naming.join_table(source_short, target_short)),
            join_columns,
            inverse_join_columns: inverse,
        })
    }

    /// Class-level `#[Index]` / `#[UniqueConstraint]` and those inside `#[Table(indexes:)]`.
    fn read_indexes(&mut self, class: &Class, meta: &mut Meta) -> Result<(), SourceError> {
        let mut decls: Vec<(&Attribute, bool)> = Vec::new();
        for (m, attr) in mapping_attrs(&class.attributes) {
            match m {
                "Index" => decls.push((attr, false)),
                "UniqueConstraint" => decls.push((attr, true)),
                "Table" => {
                    for (key, unique) in [("indexes", false), ("uniqueConstraints", true)] {
                        for (name, v) in &attr.args {
                            if name.as_deref() == Some(key)
                                && let ValueKind::Array(items) = &v.kind
                            {
                                for (_, item) in items {
                                    if let ValueKind::Attr(inner) = &item.kind {
                                        decls.push((inner, unique));
                                    }
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let fields = self
            .field_columns
            .get(&class.name)
            .map_or(&[][..], Vec::as_slice);
        for (attr, unique) in decls {
            let mapping = if unique { "UniqueConstraint" } else { "Index" };
            let args = Args::of(attr, mapping, &mut self.warnings);
            let mut columns = match args.get("columns") {
                Some(v) => v.strings("columns")?,
                None => Vec::new(),
            };
            if let Some(v) = args.get("fields") {
                for (_, f) in v.elements() {
                    let field = f.string("fields")?;
                    let cols = fields
                        .iter()
                        .find(|(p, _)| *p == field)
                        .map(|(_, c)| c.clone())
                        .ok_or_else(|| {
                            f.pos.error(format!("no field {field} on {}", class.name))
                        })?;
                    columns.extend(cols);
                }
            }
            if columns.is_empty() {
                return Err(attr
                    .pos
                    .error(format!("{mapping} needs columns: or fields:")));
            }
            let mut decl = IndexDecl {
                name: args.string("name")?,
                columns,
                unique,
                predicate: None,
                fulltext: false,
            };
            if let Some(flags) = args.get("flags") {
                for flag in flags.strings("flags")? {
                    match flag.as_str() {
                        "fulltext" => decl.fulltext = true,
                        other => self.warnings.push(
                            flags
                                .pos
                                .error(format!("index flag `{other}` is not read (ignored)")),
                        ),
                    }
                }
            }
            if let Some(options) = args.get("options") {
                for (k, v) in options.elements() {
                    match k.map(|k| k.string("option")).transpose()?.as_deref() {
                        Some("where") => decl.predicate = Some(v.string("where")?),
                        _ => self
                            .warnings
                            .push(v.pos.error("index option is not read (ignored)")),
                    }
                }
            }
            meta.indexes.push(decl);
        }
        Ok(())
    }
}
