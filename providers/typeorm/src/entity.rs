//! Entity metadata as TypeORM's metadata builder makes it: tables of `@Entity` classes, their
//! columns (inherited first, embedded values after the entity's own, single-table children
//! merged into their root), the join columns and junction tables of relations, and the keys,
//! indexes and checks the decorators declare.

use crate::decorators::{
    self, CheckDeco, ClassDecos, ColumnDeco, FieldDecos, JoinColumnDeco, RelationDeco,
    RelationKind, Special, Strategy, located,
};
use crate::naming;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use strata_schema::SourceError;
use strata_sequelize::js::{Class, Declarations, Expr, Pos, Source, Value};

/// Design is the runtime type `emitDecoratorMetadata` records for a property, which decides the
/// column type when `@Column` names none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Design {
    Number,
    String,
    Boolean,
    Date,
    /// Anything else (`Object`, `Array`, a class), which TypeORM refuses as a column type.
    Other(String),
}

/// Attr is one column of a table with the options that decide its DDL.
#[derive(Debug, Clone)]
pub struct Attr {
    /// The property path (`billing.street` for an embedded column) indexes refer to.
    pub property: String,
    pub name: String,
    pub ty: Option<String>,
    pub design: Design,
    pub length: Option<String>,
    pub precision: Option<String>,
    pub scale: Option<String>,
    pub enum_values: Option<Vec<String>>,
    pub enum_name: Option<String>,
    pub nullable: bool,
    pub default: Option<Expr>,
    pub unique: bool,
    pub comment: Option<String>,
    /// `onUpdate`: what MySQL writes into the column when the row changes (TypeORM's other
    /// drivers ignore it).
    pub on_update: Option<String>,
    pub primary: bool,
    pub generated: Option<Strategy>,
    pub special: Option<Special>,
    pub unsigned: bool,
    /// A join column of a uuid key: MySQL gives it `varchar(36)`.
    pub refers_to_uuid: bool,
    pub pos: Pos,
}

/// Join is a foreign key: from join columns to the referenced table's columns.
#[derive(Debug, Clone)]
pub struct Join {
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
    pub name: Option<String>,
    /// An owning one-to-one: its join columns are unique (`REL_…`).
    pub one_to_one: bool,
}

/// IndexMeta is an index or a unique key over column names.
#[derive(Debug, Clone)]
pub struct IndexMeta {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub unique: bool,
    pub predicate: Option<String>,
}

/// Entity is one table.
#[derive(Debug, Clone)]
pub struct Entity {
    pub table: String,
    pub file: PathBuf,
    pub columns: Vec<Attr>,
    pub joins: Vec<Join>,
    pub indexes: Vec<IndexMeta>,
    /// Unique constraints (`@Unique`, `unique: true`), `UQ_…` unless named.
    pub uniques: Vec<IndexMeta>,
    pub checks: Vec<CheckDeco>,
    pub primary_key_name: Option<String>,
}

/// ClassInfo is one class with its decorators read.
struct ClassInfo<'a> {
    class: &'a Class,
    file: &'a Path,
    decos: ClassDecos,
    fields: Vec<(&'a str, Option<&'a str>, Pos, FieldDecos)>,
}

/// Column options read without a warning; those that change the DDL are read below.
const COLUMN_OPTIONS: &[&str] = &[
    "type",
    "name",
    "length",
    "nullable",
    "default",
    "unique",
    "precision",
    "scale",
    "enum",
    "enumName",
    "comment",
    "onUpdate",
    "primary",
    "unsigned",
    "select",
    "insert",
    "update",
    "readonly",
    "transformer",
    "generatedIdentity",
    "prefix",
    "primaryKeyConstraintName",
];

const RELATION_OPTIONS: &[&str] = &[
    "onDelete",
    "onUpdate",
    "nullable",
    "cascade",
    "eager",
    "lazy",
    "persistence",
    "orphanedRowAction",
    "createForeignKeyConstraints",
    "primary",
];

/// Tables is where relations find their targets: the table of each entity class, and the
/// entity (index among the roots) that creates each table.
struct Tables<'t> {
    of_class: &'t HashMap<&'t str, String>,
    entity: &'t HashMap<&'t str, usize>,
}

struct Resolver<'a> {
    classes: HashMap<&'a str, ClassInfo<'a>>,
    enums: HashMap<&'a str, &'a [(String, Expr)]>,
    /// Compiled aliases of classes (`Invoice_1`) to their names.
    aliases: HashMap<&'a str, &'a str>,
    warnings: &'a mut Vec<SourceError>,
}

/// The tables the entities of `files` create, in file order.
pub fn resolve(
    files: &[(Source, Declarations)],
    warnings: &mut Vec<SourceError>,
) -> Result<Vec<Entity>, SourceError> {
    let mut classes = HashMap::new();
    let mut order = Vec::new();
    let mut enums = HashMap::new();
    let mut aliases = HashMap::new();
    for (src, decls) in files {
        for e in &decls.enums {
            enums.insert(e.name.as_str(), e.members.as_slice());
        }
        for class in &decls.classes {
            let decos = decorators::class(&class.decorators).map_err(|e| located(&src.path, e))?;
            let mut fields = Vec::new();
            for f in &class.fields {
                let d = decorators::field(&f.decorators).map_err(|e| located(&src.path, e))?;
                fields.push((f.name.as_str(), f.ty.as_deref(), f.pos, d));
            }
            order.push(class.name.as_str());
            for alias in class.aliases.iter().filter(|a| **a != class.name) {
                aliases.insert(alias.as_str(), class.name.as_str());
            }
            classes.insert(
                class.name.as_str(),
                ClassInfo {
                    class,
                    file: &src.path,
                    decos,
                    fields,
                },
            );
        }
    }
    let mut r = Resolver {
        classes,
        enums,
        aliases,
        warnings,
    };
    r.entities(&order)
}

fn opt_str(file: &Path, options: Option<&Expr>, key: &str) -> Result<Option<String>, SourceError> {
    match options.and_then(|o| o.get(key)) {
        None => Ok(None),
        Some(Expr {
            value: Value::Str(s),
            ..
        }) => Ok(Some(s.clone())),
        Some(Expr {
            value: Value::Num(n),
            ..
        }) => Ok(Some(n.clone())),
        Some(e) => Err(located(
            file,
            (
                e.pos,
                format!(
                    "`{key}` must be a literal to be read statically, found {}",
                    e.describe()
                ),
            ),
        )),
    }
}

fn opt_bool(file: &Path, options: Option<&Expr>, key: &str) -> Result<Option<bool>, SourceError> {
    match options.and_then(|o| o.get(key)) {
        None => Ok(None),
        Some(e) => e.as_bool().map(Some).ok_or_else(|| {
            located(
                file,
                (
                    e.pos,
                    format!("`{key}` must be true or false, found {}", e.describe()),
                ),
            )
        }),
    }
}

/// The design type of a TypeScript annotation (`string | null` → String, as without `strict`)
/// or of compiled metadata (`String`).
fn design(ty: Option<&str>, enums: &HashMap<&str, &[(String, Expr)]>) -> Design {
    let Some(ty) = ty else {
        return Design::Other("Object".into());
    };
    let parts: Vec<&str> = ty
        .split('|')
        .map(str::trim)
        .filter(|p| !matches!(*p, "null" | "undefined" | ""))
        .collect();
    let all_strings = !parts.is_empty() && parts.iter().all(|p| p.starts_with(['"', '\'']));
    match parts.as_slice() {
        _ if all_strings => Design::String,
        ["string" | "String"] => Design::String,
        ["number" | "Number"] => Design::Number,
        ["boolean" | "Boolean"] => Design::Boolean,
        ["Date"] => Design::Date,
        [name] => match enums.get(name) {
            Some(members)
                if members
                    .iter()
                    .all(|(_, v)| matches!(v.value, Value::Str(_))) =>
            {
                Design::String
            }
            Some(members)
                if members
                    .iter()
                    .all(|(_, v)| matches!(v.value, Value::Num(_))) =>
            {
                Design::Number
            }
            _ => Design::Other(name.to_string()),
        },
        _ => Design::Other(ty.to_string()),
    }
}

impl<'a> Resolver<'a> {
    fn warn(&mut self, file: &Path, pos: Pos, message: String) {
        self.warnings.push(located(file, (pos, message)));
    }

    fn warn_unknown(&mut self, file: &Path, options: Option<&Expr>, known: &[&str], what: &str) {
        if let Some(Value::Object(props)) = options.map(|o| &o.value) {
            for (key, value) in props {
                if !known.contains(&key.as_str()) {
                    self.warn(
                        file,
                        value.pos,
                        format!("{what} option `{key}` is not read; the DDL ignores it"),
                    );
                }
            }
        }
    }

    /// The parent chain of `name`, root first, then `name` itself.
    fn chain(&self, name: &'a str) -> Vec<&'a str> {
        let mut out = vec![name];
        let mut current = name;
        while let Some(parent) = self
            .classes
            .get(current)
            .and_then(|c| c.class.extends.as_ref())
            .and_then(Expr::name)
        {
            match self.classes.get_key_value(parent) {
                Some((k, _)) if !out.contains(k) => {
                    out.push(k);
                    current = k;
                }
                _ => break,
            }
        }
        out.reverse();
        out
    }

    fn entities(&mut self, order: &[&'a str]) -> Result<Vec<Entity>, SourceError> {
        let roots: Vec<&'a str> = order
            .iter()
            .copied()
            .filter(|n| {
                self.classes[n].decos.entity.is_some() && !self.classes[n].decos.child_entity
            })
            .collect();
        let mut tables: HashMap<&str, String> = HashMap::new();
        for name in order {
            if let Some(table) = self.table_of(name) {
                tables.insert(name, table);
            }
        }
        // First the columns of every table, then relations, which refer to other tables' keys.
        let mut entities = Vec::new();
        for root in &roots {
            let members = self.members(root, order);
            let mut columns = Vec::new();
            for (i, member) in members.iter().enumerate() {
                let start = columns.len();
                self.columns(member, i == 0, &mut columns)?;
                if i > 0 {
                    for c in &mut columns[start..] {
                        c.nullable = true;
                    }
                }
            }
            let info = &self.classes[root];
            let mut entity = Entity {
                table: tables[root].clone(),
                file: info.file.to_path_buf(),
                columns,
                joins: Vec::new(),
                indexes: Vec::new(),
                uniques: Vec::new(),
                checks: Vec::new(),
                primary_key_name: None,
            };
            if let Some(options) = info.decos.inheritance.clone() {
                self.discriminator(root, &options, &mut entity)?;
            }
            entities.push(entity);
        }
        // The entity of each table (the first, as TypeORM finds it), without a scan per relation.
        let mut entity_of_table: HashMap<&str, usize> = HashMap::new();
        for (i, root) in roots.iter().enumerate() {
            entity_of_table.entry(tables[root].as_str()).or_insert(i);
        }
        let targets = Tables {
            of_class: &tables,
            entity: &entity_of_table,
        };
        let mut junctions = Vec::new();
        for (i, root) in roots.iter().enumerate() {
            for member in self.members(root, order) {
                self.relations(member, i, &targets, &mut entities, &mut junctions)?;
            }
        }
        for (i, root) in roots.iter().enumerate() {
            let entity = &mut entities[i];
            let uniques = entity
                .columns
                .iter()
                .filter(|c| c.unique)
                .map(|c| IndexMeta {
                    name: None,
                    columns: vec![c.name.clone()],
                    unique: true,
                    predicate: None,
                });
            entity.uniques = uniques.collect();
            for member in self.members(root, order) {
                self.keys(member, &mut entities[i])?;
            }
        }
        entities.extend(junctions);
        Ok(entities)
    }

    /// The table of an entity class: its own for `@Entity`, its root's for `@ChildEntity`.
    fn table_of(&self, name: &str) -> Option<String> {
        let info = self.classes.get(name)?;
        if info.decos.child_entity {
            let chain = self.chain(info.class.name.as_str());
            return chain
                .iter()
                .find(|c| self.classes[*c].decos.inheritance.is_some())
                .and_then(|c| self.table_of(c));
        }
        let given = info.decos.entity.as_ref()?;
        Some(
            given
                .clone()
                .unwrap_or_else(|| naming::snake_case(&info.class.name)),
        )
    }

    /// The classes whose properties land in `root`'s table: itself and its `@ChildEntity`s.
    fn members(&self, root: &'a str, order: &[&'a str]) -> Vec<&'a str> {
        let mut out = vec![root];
        if self.classes[root].decos.inheritance.is_some() {
            for name in order {
                if self.classes[name].decos.child_entity
                    && self.chain(name).contains(&root)
                    && name != &root
                {
                    out.push(name);
                }
            }
        }
        out
    }

    /// The column properties of `class` (with inherited ones first when `inherited`), regular
    /// columns before embedded ones.
    fn columns(
        &mut self,
        class: &'a str,
        inherited: bool,
        out: &mut Vec<Attr>,
    ) -> Result<(), SourceError> {
        let chain = if inherited {
            self.chain(class)
        } else {
            vec![class]
        };
        let mut embedded = Vec::new();
        for name in &chain {
            let info = &self.classes[name];
            let file = info.file;
            let fields: Vec<_> = info
                .fields
                .iter()
                .filter_map(|(n, ty, _, d)| Some((*n, *ty, d.column.clone()?)))
                .collect();
            for (property, ty, deco) in fields {
                match &deco.embedded {
                    Some(_) => embedded.push((file, property, deco)),
                    None => out.push(self.attr(file, property, ty, &deco, &[])?),
                }
            }
        }
        for (file, property, deco) in embedded {
            self.embed(file, property, &deco, &[], "", out)?;
        }
        Ok(())
    }

    /// The columns of an embedded value `@Column(() => Emb, { prefix })`.
    fn embed(
        &mut self,
        file: &Path,
        property: &str,
        deco: &ColumnDeco,
        prefixes: &[String],
        path: &str,
        out: &mut Vec<Attr>,
    ) -> Result<(), SourceError> {
        let target = deco.embedded.clone().unwrap_or_default();
        let Some((&class, _)) = self.classes.get_key_value(target.as_str()) else {
            return Err(located(
                file,
                (
                    deco.pos,
                    format!("embedded class `{target}` is not among the entity files"),
                ),
            ));
        };
        let mut prefixes = prefixes.to_vec();
        match deco
            .options
            .as_ref()
            .and_then(|o| o.get("prefix"))
            .map(|p| &p.value)
        {
            None | Some(Value::Bool(true)) => prefixes.push(property.to_string()),
            Some(Value::Bool(false)) => {}
            Some(Value::Str(s)) if s.is_empty() => {}
            Some(Value::Str(s)) => prefixes.push(s.clone()),
            Some(_) => {
                return Err(located(
                    file,
                    (
                        deco.pos,
                        "embedded prefix must be a string or a boolean".into(),
                    ),
                ));
            }
        }
        let path = format!("{path}{property}.");
        for name in self.chain(class) {
            let info = &self.classes[name];
            let emb_file = info.file;
            let fields: Vec<_> = info
                .fields
                .iter()
                .filter_map(|(n, ty, _, d)| Some((*n, *ty, d.column.clone()?)))
                .collect();
            for (p, ty, d) in fields {
                if d.embedded.is_some() {
                    self.embed(emb_file, p, &d, &prefixes, &path, out)?;
                } else {
                    let mut a = self.attr(emb_file, p, ty, &d, &prefixes)?;
                    a.property = format!("{path}{p}");
                    out.push(a);
                }
            }
        }
        Ok(())
    }

    /// One column property read into an [`Attr`].
    fn attr(
        &mut self,
        file: &Path,
        property: &str,
        ty: Option<&str>,
        deco: &ColumnDeco,
        prefixes: &[String],
    ) -> Result<Attr, SourceError> {
        let o = deco.options.as_ref();
        self.warn_unknown(file, o, COLUMN_OPTIONS, "column");
        let given = opt_str(file, o, "name")?;
        let name = naming::embedded_column(prefixes, given.as_deref().unwrap_or(property));
        let enum_values = match o.and_then(|o| o.get("enum")) {
            Some(e) => Some(self.enum_values(file, e)?),
            None => None,
        };
        // `@PrimaryGeneratedColumn` types its column itself: uuid, or a number.
        let mut explicit = opt_str(file, o, "type")?
            .or_else(|| deco.ty.clone())
            .map(|t| t.to_lowercase());
        let mut design = design(ty, &self.enums);
        match deco.generated {
            Some(Strategy::Uuid) if explicit.is_none() => explicit = Some("uuid".into()),
            Some(_) => design = Design::Number,
            None => {}
        }
        let primary = deco.primary || opt_bool(file, o, "primary")?.unwrap_or(false);
        let default = o
            .and_then(|o| o.get("default"))
            .map(|d| self.enum_member(d));
        Ok(Attr {
            property: property.to_string(),
            name,
            ty: explicit,
            design,
            length: opt_str(file, o, "length")?,
            precision: opt_str(file, o, "precision")?,
            scale: opt_str(file, o, "scale")?,
            enum_values,
            enum_name: opt_str(file, o, "enumName")?,
            nullable: !primary
                && (deco.special == Some(Special::DeleteDate)
                    || opt_bool(file, o, "nullable")?.unwrap_or(false)),
            default,
            unique: opt_bool(file, o, "unique")?.unwrap_or(false),
            comment: opt_str(file, o, "comment")?,
            on_update: opt_str(file, o, "onUpdate")?,
            primary,
            generated: deco.generated,
            special: deco.special,
            unsigned: opt_bool(file, o, "unsigned")?.unwrap_or(false),
            refers_to_uuid: false,
            pos: deco.pos,
        })
    }

    /// `Format.Paperback` as the member's value; anything else unchanged.
    fn enum_member(&self, e: &Expr) -> Expr {
        if let Value::Path(p) = &e.value
            && let [.., enum_name, member] = p.as_slice()
            && let Some((_, v)) = self
                .enums
                .get(enum_name.as_str())
                .and_then(|members| members.iter().find(|(k, _)| k == member))
        {
            return Expr {
                value: v.value.clone(),
                pos: e.pos,
            };
        }
        e.clone()
    }

    /// The values of `enum:`: a TypeScript enum, an array or an object literal.
    fn enum_values(&self, file: &Path, e: &Expr) -> Result<Vec<String>, SourceError> {
        let literal = |v: &Expr| match &v.value {
            Value::Str(s) => Ok(s.clone()),
            Value::Num(n) => Ok(n.clone()),
            _ => Err(located(
                file,
                (
                    v.pos,
                    format!("enum value cannot be read statically: {}", v.describe()),
                ),
            )),
        };
        match &e.value {
            Value::Array(items) => items.iter().map(literal).collect(),
            Value::Object(props) => props.iter().map(|(_, v)| literal(v)).collect(),
            Value::Path(p) => match self.enums.get(p.last().map(String::as_str).unwrap_or("")) {
                Some(members) => members.iter().map(|(_, v)| literal(v)).collect(),
                None => Err(located(
                    file,
                    (
                        e.pos,
                        format!("enum `{}` is not declared in the entity files", p.join(".")),
                    ),
                )),
            },
            _ => Err(located(
                file,
                (
                    e.pos,
                    format!("enum cannot be read statically: {}", e.describe()),
                ),
            )),
        }
    }

    /// The discriminator column of single-table inheritance and its index.
    fn discriminator(
        &mut self,
        root: &str,
        options: &Expr,
        entity: &mut Entity,
    ) -> Result<(), SourceError> {
        let file = self.classes[root].file;
        let column = options.get("column");
        let name = opt_str(file, column, "name")?.unwrap_or_else(|| "type".into());
        let ty = opt_str(file, column, "type")?.unwrap_or_else(|| "varchar".into());
        entity.columns.push(Attr {
            property: name.clone(),
            name: name.clone(),
            ty: Some(ty.to_lowercase()),
            design: Design::String,
            length: opt_str(file, column, "length")?,
            precision: None,
            scale: None,
            enum_values: None,
            enum_name: None,
            nullable: false,
            default: None,
            unique: false,
            comment: None,
            on_update: None,
            primary: false,
            generated: None,
            special: None,
            unsigned: false,
            refers_to_uuid: false,
            pos: options.pos,
        });
        entity.indexes.push(IndexMeta {
            name: None,
            columns: vec![name],
            unique: false,
            predicate: None,
        });
        Ok(())
    }

    /// The columns of `table` a relation refers to: the named ones or the primary key.
    fn referenced(
        &self,
        file: &Path,
        pos: Pos,
        target: &Entity,
        names: &[Option<String>],
    ) -> Result<Vec<Attr>, SourceError> {
        let named: Vec<&String> = names.iter().flatten().collect();
        let found: Vec<Attr> = if named.is_empty() {
            target
                .columns
                .iter()
                .filter(|c| c.primary)
                .cloned()
                .collect()
        } else {
            named
                .iter()
                .map(|n| {
                    target
                        .columns
                        .iter()
                        .find(|c| &&c.property == n || &&c.name == n)
                        .cloned()
                        .ok_or_else(|| {
                            located(
                                file,
                                (
                                    pos,
                                    format!(
                                        "referenced column `{n}` is not a column of `{}`",
                                        target.table
                                    ),
                                ),
                            )
                        })
                })
                .collect::<Result<_, _>>()?
        };
        if found.is_empty() {
            return Err(located(
                file,
                (
                    pos,
                    format!("`{}` has no primary key to refer to", target.table),
                ),
            ));
        }
        Ok(found)
    }

    /// The foreign keys, join columns and junction tables of `class`'s relations, added to
    /// `entities[at]`.
    fn relations(
        &mut self,
        class: &'a str,
        at: usize,
        tables: &Tables,
        entities: &mut [Entity],
        junctions: &mut Vec<Entity>,
    ) -> Result<(), SourceError> {
        let child = self.classes[class].decos.child_entity;
        let chain = if child {
            vec![class]
        } else {
            self.chain(class)
        };
        for name in chain {
            let file = self.classes[name].file;
            let relations: Vec<(&str, FieldDecos)> = self.classes[name]
                .fields
                .iter()
                .filter(|(_, _, _, d)| d.relation.is_some())
                .map(|(n, _, _, d)| (*n, d.clone()))
                .collect();
            for (property, decos) in relations {
                let Some(rel) = &decos.relation else { continue };
                self.warn_unknown(file, rel.options.as_ref(), RELATION_OPTIONS, "relation");
                let target_class = self
                    .aliases
                    .get(rel.target.as_str())
                    .copied()
                    .unwrap_or(rel.target.as_str());
                let Some(target_table) = tables.of_class.get(target_class) else {
                    return Err(located(
                        file,
                        (
                            rel.pos,
                            format!(
                                "related entity `{}` is not an entity among the entity files",
                                rel.target
                            ),
                        ),
                    ));
                };
                let Some(&target_at) = tables.entity.get(target_table.as_str()) else {
                    return Err(located(
                        file,
                        (
                            rel.pos,
                            format!("related entity `{}` has no table", rel.target),
                        ),
                    ));
                };
                let owns = match rel.kind {
                    RelationKind::ManyToOne => true,
                    RelationKind::OneToOne => decos.join_column.is_some(),
                    RelationKind::ManyToMany => decos.join_table.is_some(),
                    RelationKind::OneToMany => false,
                };
                if !owns {
                    continue;
                }
                if rel.kind == RelationKind::ManyToMany {
                    let junction = self.junction(
                        file,
                        property,
                        rel,
                        &decos,
                        &entities[at],
                        &entities[target_at],
                    )?;
                    junctions.push(junction);
                } else {
                    let ends = (target_at, at);
                    let join = self.join_columns(file, property, rel, &decos, entities, ends)?;
                    if let Some(join) = join {
                        entities[at].joins.push(join);
                    }
                }
            }
        }
        Ok(())
    }

    /// The join columns of a many-to-one or owning one-to-one, added to `entities[at]`, and its
    /// foreign key to `entities[target]` (none when `createForeignKeyConstraints: false`). The
    /// two may be one entity (a self-reference), hence indexes rather than references.
    fn join_columns(
        &mut self,
        file: &Path,
        property: &str,
        rel: &RelationDeco,
        decos: &FieldDecos,
        entities: &mut [Entity],
        (target, at): (usize, usize),
    ) -> Result<Option<Join>, SourceError> {
        let o = rel.options.as_ref();
        let given: Vec<JoinColumnDeco> = decos.join_column.clone().unwrap_or_default();
        let names: Vec<Option<String>> = given.iter().map(|g| g.referenced.clone()).collect();
        let referenced = self.referenced(file, rel.pos, &entities[target], &names)?;
        let ref_table = entities[target].table.clone();
        let entity = &mut entities[at];
        let nullable = opt_bool(file, o, "nullable")?.unwrap_or(true);
        let mut columns = Vec::new();
        for r in &referenced {
            let spec = given.iter().find(|g| {
                g.referenced
                    .as_ref()
                    .is_none_or(|n| n == &r.property || n == &r.name)
            });
            let name = spec
                .and_then(|g| g.name.clone())
                .unwrap_or_else(|| naming::join_column(property, &r.name));
            if !entity.columns.iter().any(|c| c.name == name) {
                entity.columns.push(Attr {
                    property: property.to_string(),
                    name: name.clone(),
                    length: r.length.clone(),
                    nullable,
                    default: None,
                    unique: false,
                    on_update: None,
                    primary: false,
                    generated: None,
                    special: None,
                    refers_to_uuid: r.generated == Some(Strategy::Uuid)
                        || r.ty.as_deref() == Some("uuid"),
                    pos: rel.pos,
                    ..r.clone()
                });
            }
            columns.push(name);
        }
        if opt_bool(file, o, "createForeignKeyConstraints")? == Some(false) {
            return Ok(None);
        }
        Ok(Some(Join {
            columns,
            ref_table,
            ref_columns: referenced.iter().map(|r| r.name.clone()).collect(),
            on_delete: opt_str(file, o, "onDelete")?,
            on_update: opt_str(file, o, "onUpdate")?,
            name: given.iter().find_map(|g| g.constraint_name.clone()),
            one_to_one: rel.kind == RelationKind::OneToOne,
        }))
    }

    /// The junction table of an owning many-to-many.
    fn junction(
        &mut self,
        file: &Path,
        property: &str,
        rel: &RelationDeco,
        decos: &FieldDecos,
        owner: &Entity,
        inverse: &Entity,
    ) -> Result<Entity, SourceError> {
        let jt = decos.join_table.clone().unwrap_or_default();
        let inverse_relation = rel.inverse.as_ref().and_then(|p| {
            let class = self
                .aliases
                .get(rel.target.as_str())
                .copied()
                .unwrap_or(rel.target.as_str());
            self.classes
                .get(class)?
                .fields
                .iter()
                .find(|(n, _, _, _)| n == p)?
                .3
                .relation
                .clone()
        });
        let table = jt
            .name
            .clone()
            .unwrap_or_else(|| naming::join_table(&owner.table, &inverse.table, property));
        let side = |entity: &Entity,
                    specs: &[JoinColumnDeco]|
         -> Result<Vec<(Attr, Option<String>)>, SourceError> {
            let names: Vec<Option<String>> = specs.iter().map(|g| g.referenced.clone()).collect();
            let referenced = self.referenced(file, rel.pos, entity, &names)?;
            Ok(referenced
                .into_iter()
                .map(|r| {
                    let spec = specs.iter().find(|g| {
                        g.name.is_some() && g.referenced.as_ref().is_none_or(|n| n == &r.property)
                    });
                    let name = spec
                        .and_then(|g| g.name.clone())
                        .unwrap_or_else(|| naming::join_table_column(&entity.table, &r.name));
                    let fk = spec.and_then(|g| g.constraint_name.clone());
                    (
                        Attr {
                            property: name.clone(),
                            name,
                            nullable: false,
                            default: None,
                            unique: false,
                            comment: None,
                            on_update: None,
                            primary: true,
                            generated: None,
                            special: None,
                            refers_to_uuid: r.generated == Some(Strategy::Uuid)
                                || r.ty.as_deref() == Some("uuid"),
                            pos: rel.pos,
                            ..r.clone()
                        },
                        fk,
                    )
                })
                .collect())
        };
        let mut owning = side(owner, &jt.join_columns)?;
        let mut inverse_cols = side(inverse, &jt.inverse_join_columns)?;
        for (a, _) in owning.iter_mut() {
            for (b, _) in inverse_cols.iter_mut() {
                if a.name == b.name {
                    let base = a.name.clone();
                    a.name = format!("{base}_1");
                    b.name = format!("{base}_2");
                }
            }
        }
        let o = rel.options.as_ref();
        let names = |cols: &[(Attr, Option<String>)]| {
            cols.iter().map(|(a, _)| a.name.clone()).collect::<Vec<_>>()
        };
        let owner_join = Join {
            columns: names(&owning),
            ref_table: owner.table.clone(),
            ref_columns: owner
                .columns
                .iter()
                .filter(|c| c.primary)
                .map(|c| c.name.clone())
                .collect(),
            on_delete: Some(opt_str(file, o, "onDelete")?.unwrap_or_else(|| "CASCADE".into())),
            on_update: Some(opt_str(file, o, "onUpdate")?.unwrap_or_else(|| "CASCADE".into())),
            name: owning.iter().find_map(|(_, fk)| fk.clone()),
            one_to_one: false,
        };
        let inverse_options = inverse_relation.as_ref().and_then(|r| r.options.as_ref());
        let (on_delete, on_update) = match &inverse_relation {
            Some(_) => (
                opt_str(file, inverse_options, "onDelete")?,
                opt_str(file, inverse_options, "onUpdate")?,
            ),
            None => (Some("CASCADE".into()), Some("CASCADE".into())),
        };
        let inverse_join = Join {
            columns: names(&inverse_cols),
            ref_table: inverse.table.clone(),
            ref_columns: inverse
                .columns
                .iter()
                .filter(|c| c.primary)
                .map(|c| c.name.clone())
                .collect(),
            on_delete,
            on_update,
            name: inverse_cols.iter().find_map(|(_, fk)| fk.clone()),
            one_to_one: false,
        };
        let indexes = [&owner_join, &inverse_join]
            .iter()
            .map(|j| IndexMeta {
                name: None,
                columns: j.columns.clone(),
                unique: false,
                predicate: None,
            })
            .collect();
        Ok(Entity {
            table,
            file: file.to_path_buf(),
            columns: owning
                .into_iter()
                .chain(inverse_cols)
                .map(|(a, _)| a)
                .collect(),
            joins: vec![owner_join, inverse_join],
            indexes,
            uniques: Vec::new(),
            checks: Vec::new(),
            primary_key_name: None,
        })
    }

    /// The column names a property stands for: its column, or a relation's join columns.
    fn property_columns(
        &self,
        file: &Path,
        pos: Pos,
        entity: &Entity,
        property: &str,
    ) -> Result<Vec<String>, SourceError> {
        let found: Vec<String> = entity
            .columns
            .iter()
            .filter(|c| c.property == property)
            .map(|c| c.name.clone())
            .collect();
        if found.is_empty() {
            return Err(located(
                file,
                (
                    pos,
                    format!(
                        "`{property}` is not a column or relation of `{}`",
                        entity.table
                    ),
                ),
            ));
        }
        Ok(found)
    }

    /// The columns of each of `properties`, in order (a class-level `@Index` or `@Unique`).
    fn properties_columns(
        &self,
        file: &Path,
        pos: Pos,
        entity: &Entity,
        properties: &[String],
    ) -> Result<Vec<String>, SourceError> {
        let mut columns = Vec::new();
        for property in properties {
            columns.extend(self.property_columns(file, pos, entity, property)?);
        }
        Ok(columns)
    }

    /// Indexes, unique keys and checks of `class` (and its parents) on `entity`.
    fn keys(&mut self, class: &'a str, entity: &mut Entity) -> Result<(), SourceError> {
        let child = self.classes[class].decos.child_entity;
        let chain = if child {
            vec![class]
        } else {
            self.chain(class)
        };
        for name in chain {
            let info = &self.classes[name];
            let file = info.file;
            for (property, _, pos, decos) in &info.fields {
                for index in &decos.indexes {
                    entity.indexes.push(IndexMeta {
                        name: index.name.clone(),
                        columns: self.property_columns(file, *pos, entity, property)?,
                        unique: index.unique,
                        predicate: index.predicate.clone(),
                    });
                }
            }
            for index in &info.decos.indexes {
                entity.indexes.push(IndexMeta {
                    name: index.name.clone(),
                    columns: self.properties_columns(file, index.pos, entity, &index.properties)?,
                    unique: index.unique,
                    predicate: index.predicate.clone(),
                });
            }
            for unique in &info.decos.uniques {
                entity.uniques.push(IndexMeta {
                    name: unique.name.clone(),
                    columns: self.properties_columns(
                        file,
                        unique.pos,
                        entity,
                        &unique.properties,
                    )?,
                    unique: true,
                    predicate: None,
                });
            }
            entity.checks.extend(info.decos.checks.iter().cloned());
            if let Some(pk) = info.fields.iter().find_map(|(_, _, _, d)| {
                d.column
                    .as_ref()
                    .filter(|c| c.primary)?
                    .options
                    .as_ref()?
                    .get("primaryKeyConstraintName")?
                    .as_str()
                    .map(str::to_string)
            }) {
                entity.primary_key_name = Some(pk);
            }
        }
        Ok(())
    }
}
