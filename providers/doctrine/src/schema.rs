//! Tables from class metadata, as Doctrine's SchemaTool lays them out: one table per entity
//! (single-table inheritance folds subclasses into the root's table, joined inheritance gives
//! subclasses a table keyed by the root's id), join columns typed after the column they
//! reference, join tables, and DBAL's implicit and hashed index and foreign-key names.

use crate::Version;
use crate::metadata::{Assoc, AssocKind, Field, Generation, Inheritance, JoinColumn, Meta};
use crate::naming::{generated_name, unquoted};
use crate::types::{ColumnSpec, declaration, needs_type_comment};
use crate::value::{Pos, Value, ValueKind};
use std::collections::HashMap;
use strata_schema::{
    Column, Deferrable, Dialect, ForeignKey, Identity, Index, IndexKey, IndexPart, PrimaryKey,
    ReferentialAction, SourceError, Table, Type,
};

/// Target is what the DDL depends on besides the models.
#[derive(Clone, Copy)]
pub struct Target {
    pub dialect: Dialect,
    pub version: Version,
}

/// Tables of all entities, in declaration order. Each entity's tables depend only on the
/// (finished) metadata, so they are laid out on all cores; warnings keep the entity order.
pub fn tables(
    metas: &[Meta],
    target: Target,
    warnings: &mut Vec<SourceError>,
) -> Result<Vec<Table>, SourceError> {
    let index = Metas::new(metas);
    let per_meta = strata_schema::map_parallel(
        metas,
        || (),
        |_, meta| {
            let mut warnings = Vec::new();
            let tables = tables_of(meta, &index, target, &mut warnings);
            (tables, warnings)
        },
    );
    let mut out = Vec::new();
    for (tables, meta_warnings) in per_meta {
        out.extend(tables?);
        warnings.extend(meta_warnings);
    }
    let postgres = target.dialect == Dialect::Postgres;
    out.iter_mut().for_each(|t| finish_names(t, postgres));
    Ok(out)
}

/// The table of one entity (none for a single-table child, which its root's table holds) and
/// its many-to-many join tables.
fn tables_of(
    meta: &Meta,
    metas: &Metas,
    target: Target,
    warnings: &mut Vec<SourceError>,
) -> Result<Vec<Table>, SourceError> {
    let mut out = Vec::new();
    let table = match (meta.inheritance, &meta.parent_entity) {
        (Inheritance::SingleTable, Some(_)) => None,
        (Inheritance::SingleTable, None) => Some(single_table(meta, metas, target, warnings)?),
        (Inheritance::Joined, Some(_)) => Some(joined_child(meta, metas, target, warnings)?),
        _ => {
            let mut b = TableBuilder::new(meta, target);
            b.fields(meta, false, warnings)?;
            b.discriminator(meta)?;
            b.relations(meta, metas, false)?;
            Some(b.finish(meta)?)
        }
    };
    let Some(table) = table else {
        return Ok(out);
    };
    out.push(table);
    for assoc in meta
        .assocs
        .iter()
        .filter(|a| a.kind == AssocKind::ManyToMany && !a.inherited)
    {
        out.push(join_table(meta, assoc, metas, target)?);
    }
    Ok(out)
}

/// The root's table with the columns of every subclass, which are nullable since other
/// classes' rows leave them empty.
fn single_table(
    root: &Meta,
    metas: &Metas,
    target: Target,
    warnings: &mut Vec<SourceError>,
) -> Result<Table, SourceError> {
    let mut b = TableBuilder::new(root, target);
    b.fields(root, false, warnings)?;
    b.discriminator(root)?;
    b.relations(root, metas, false)?;
    for sub in metas
        .all
        .iter()
        .filter(|m| m.root == root.name && m.name != root.name)
    {
        b.fields(sub, true, warnings)?;
        b.relations(sub, metas, true)?;
    }
    b.finish(root)
}

/// A joined subclass: the root's id columns (not generated), its own columns, and a foreign key
/// from the id to the root's table with `ON DELETE CASCADE`.
fn joined_child(
    meta: &Meta,
    metas: &Metas,
    target: Target,
    warnings: &mut Vec<SourceError>,
) -> Result<Table, SourceError> {
    let mut b = TableBuilder::new(meta, target);
    let root = metas
        .by_name
        .get(meta.root.as_str())
        .copied()
        .unwrap_or(meta);
    let mut ids = Vec::new();
    for f in meta.fields.iter().filter(|f| f.id) {
        b.add_field(f, false, None)?;
        ids.push(f.column.clone());
    }
    b.fields(meta, true, warnings)?;
    b.relations(meta, metas, true)?;
    b.foreign_key(&ids, &root.table, &ids, Some("CASCADE"));
    b.pk = ids;
    b.finish(meta)
}

struct TableBuilder {
    target: Target,
    table: Table,
    pk: Vec<String>,
    /// Foreign keys in the order added (their implicit indexes are decided at the end).
    fks: Vec<ForeignKey>,
}

impl TableBuilder {
    fn new(meta: &Meta, target: Target) -> TableBuilder {
        TableBuilder {
            target,
            table: Table::new(meta.table.clone()),
            pk: Vec::new(),
            fks: Vec::new(),
        }
    }

    /// Columns of `meta`'s fields that belong in this table (`own_only`: not inherited).
    fn fields(
        &mut self,
        meta: &Meta,
        own_only: bool,
        warnings: &mut Vec<SourceError>,
    ) -> Result<(), SourceError> {
        let force_nullable =
            meta.inheritance == Inheritance::SingleTable && meta.parent_entity.is_some();
        for f in meta.fields.iter().filter(|f| !(own_only && f.inherited)) {
            let identity = if f.id {
                self.identity(meta, f, warnings)
            } else {
                None
            };
            self.add_field(f, force_nullable, identity)?;
            if f.id {
                self.pk.push(f.column.clone());
            }
            if f.unique {
                self.unique(std::slice::from_ref(&f.column));
            }
        }
        Ok(())
    }

    /// The identity a generated id gets on this platform and version.
    fn identity(
        &self,
        meta: &Meta,
        f: &Field,
        warnings: &mut Vec<SourceError>,
    ) -> Option<Identity> {
        let strategy = meta.generation?;
        let postgres = self.target.dialect == Dialect::Postgres;
        match strategy {
            Generation::Application => None,
            Generation::Sequence if postgres => {
                warnings.push(f.pos.error(format!(
                    "{}.{} takes ids from a sequence, which Strata does not manage: create it outside the schema",
                    meta.table, f.column
                )));
                None
            }
            Generation::Auto if postgres && self.target.version == Version::Orm2 => {
                warnings.push(f.pos.error(format!(
                    "ORM 2 numbers {}.{} from sequence {}_{}_seq, which Strata does not manage: create it outside the schema",
                    meta.table, f.column, meta.table, f.column
                )));
                None
            }
            Generation::Identity if postgres && self.target.version == Version::Orm2 => {
                Some(Identity::Serial)
            }
            _ if postgres => Some(Identity::Generated { always: false }),
            _ => Some(Identity::AutoIncrement),
        }
    }

    fn add_field(
        &mut self,
        f: &Field,
        force_nullable: bool,
        identity: Option<Identity>,
    ) -> Result<(), SourceError> {
        if self.table.column(&f.column).is_some() {
            return Ok(());
        }
        let spec = ColumnSpec {
            autoincrement: identity == Some(Identity::AutoIncrement),
            ..f.spec.clone()
        };
        let column = self.column(
            &f.column,
            &spec,
            f.nullable || force_nullable,
            f.default.as_ref(),
            f.comment.as_deref(),
            &f.pos,
        )?;
        self.table.columns.push(Column { identity, ..column });
        Ok(())
    }

    fn column(
        &self,
        name: &str,
        spec: &ColumnSpec,
        nullable: bool,
        default: Option<&Value>,
        comment: Option<&str>,
        pos: &Pos,
    ) -> Result<Column, SourceError> {
        let Target { dialect, version } = self.target;
        let sql = declaration(dialect, version, spec).ok_or_else(|| {
            pos.error(format!(
                "unknown Doctrine type `{}` (custom DBAL types are registered at run time and cannot be read statically)",
                spec.doctrine_type
            ))
        })?;
        let mut column = Column::new(name, Type::parse(dialect, &sql));
        column.nullable = nullable;
        column.default = default
            .map(|d| default_sql(dialect, &spec.doctrine_type, d))
            .transpose()?
            .flatten();
        let hint = (version == Version::Orm2 && needs_type_comment(dialect, &spec.doctrine_type))
            .then(|| format!("(DC2Type:{})", spec.doctrine_type));
        column.comment = match (comment, hint) {
            _ if dialect == Dialect::Sqlite => None,
            (Some(c), Some(h)) => Some(format!("{c}{h}")),
            (Some(c), None) => Some(c.to_string()),
            (None, h) => h,
        };
        Ok(column)
    }

    /// The discriminator column of an inheritance root.
    fn discriminator(&mut self, meta: &Meta) -> Result<(), SourceError> {
        if meta.parent_entity.is_none()
            && let Some(d) = &meta.discriminator
        {
            self.add_field(d, false, None)?;
        }
        Ok(())
    }

    /// Join columns, unique keys and foreign keys of `meta`'s owning to-one associations.
    fn relations(&mut self, meta: &Meta, metas: &Metas, own_only: bool) -> Result<(), SourceError> {
        for assoc in meta
            .assocs
            .iter()
            .filter(|a| a.kind != AssocKind::ManyToMany && !(own_only && a.inherited))
        {
            let target = metas.get(&assoc.target, &assoc.pos)?;
            let mut local = Vec::new();
            let mut foreign = Vec::new();
            let mut on_delete = None;
            let mut unique = Vec::new();
            for jc in &assoc.join_columns {
                self.join_column(jc, target, metas, assoc)?;
                if assoc.id {
                    self.pk.push(jc.name.clone());
                }
                if jc.unique {
                    unique.push(vec![jc.name.clone()]);
                }
                on_delete = jc.on_delete.clone().or(on_delete);
                local.push(jc.name.clone());
                foreign.push(jc.referenced.clone());
            }
            // An owning one-to-one is unique on its join column (not when it is the id, nor
            // under single-table inheritance, where other classes' rows share the table).
            if assoc.kind == AssocKind::OneToOne && meta.inheritance != Inheritance::SingleTable {
                match local.len() {
                    1 if !assoc.id => unique.push(local.clone()),
                    n if n > 1 => unique.push(local.clone()),
                    _ => {}
                }
            }
            for cols in unique {
                self.unique(&cols);
            }
            self.foreign_key(&local, &target.table, &foreign, on_delete.as_deref());
        }
        Ok(())
    }

    /// Add a join column typed like the column it references.
    fn join_column(
        &mut self,
        jc: &JoinColumn,
        target: &Meta,
        metas: &Metas,
        assoc: &Assoc,
    ) -> Result<(), SourceError> {
        if self.table.column(&jc.name).is_some() {
            return Ok(());
        }
        let referenced = referenced_field(target, &jc.referenced, metas, assoc)?;
        let mut spec = ColumnSpec {
            autoincrement: false,
            ..referenced.spec.clone()
        };
        let mut default = referenced.default.clone();
        let mut comment = referenced.comment.clone();
        for (key, value) in &jc.options {
            match key.as_str() {
                "unsigned" => spec.unsigned = value.boolean("unsigned")?,
                "fixed" => spec.fixed = value.boolean("fixed")?,
                "default" => default = Some(value.clone()),
                "comment" => comment = Some(value.string("comment")?),
                _ => {}
            }
        }
        let nullable = !assoc.id && jc.nullable.unwrap_or(true);
        let column = self.column(
            &jc.name,
            &spec,
            nullable,
            default.as_ref(),
            comment.as_deref(),
            &assoc.pos,
        )?;
        self.table.columns.push(column);
        Ok(())
    }

    fn unique(&mut self, columns: &[String]) {
        let name = generated_name("UNIQ", &self.table.name, columns);
        self.table.indexes.push(index(name, columns, true));
    }

    fn foreign_key(
        &mut self,
        local: &[String],
        ref_table: &str,
        foreign: &[String],
        on_delete: Option<&str>,
    ) {
        self.fks.push(ForeignKey {
            name: generated_name("FK", &self.table.name, local),
            columns: local.to_vec(),
            ref_schema: None,
            ref_table: ref_table.to_string(),
            ref_columns: foreign.to_vec(),
            on_delete: action(on_delete),
            on_update: ReferentialAction::NoAction,
            deferrable: Deferrable::NotDeferrable,
        });
    }

    /// Declared indexes, the primary key, and DBAL's implicit index per foreign key unless an
    /// index on exactly the same columns already serves it.
    fn finish(mut self, meta: &Meta) -> Result<Table, SourceError> {
        for decl in &meta.indexes {
            let prefix = if decl.unique { "UNIQ" } else { "IDX" };
            let name = decl
                .name
                .clone()
                .unwrap_or_else(|| generated_name(prefix, &self.table.name, &decl.columns));
            let mut idx = index(name, &decl.columns, decl.unique);
            idx.predicate = decl.predicate.clone();
            if decl.fulltext && self.target.dialect == Dialect::Mysql {
                idx.method = Some("FULLTEXT".into());
            }
            self.table.indexes.push(idx);
        }
        if !self.pk.is_empty() {
            for c in &self.pk {
                if let Some(col) = self.table.column_mut(c) {
                    col.nullable = false;
                }
            }
            self.table.primary_key = Some(PrimaryKey {
                name: None,
                columns: self.pk.clone(),
            });
        }
        for fk in std::mem::take(&mut self.fks) {
            let served = self.pk == fk.columns
                || self
                    .table
                    .indexes
                    .iter()
                    .any(|i| Table::index_columns(i).is_some_and(|c| c == fk.columns));
            if !served {
                let name = generated_name("IDX", &self.table.name, &fk.columns);
                self.table.indexes.push(index(name, &fk.columns, false));
            }
            self.table.foreign_keys.push(fk);
        }
        Ok(self.table)
    }
}

/// The join table of an owning many-to-many: both sides' columns, a composite primary key, a
/// foreign key and index per side.
fn join_table(
    meta: &Meta,
    assoc: &Assoc,
    metas: &Metas,
    target: Target,
) -> Result<Table, SourceError> {
    let Some(jt) = &assoc.join_table else {
        return Err(assoc.pos.error("many-to-many without a join table"));
    };
    let target_meta = metas.get(&assoc.target, &assoc.pos)?;
    let mut b = TableBuilder {
        target,
        table: Table::new(jt.name.clone()),
        pk: Vec::new(),
        fks: Vec::new(),
    };
    for (side, cols) in [
        (meta, &jt.join_columns),
        (target_meta, &jt.inverse_join_columns),
    ] {
        for jc in cols {
            let forced = JoinColumn {
                nullable: Some(false),
                ..jc.clone()
            };
            b.join_column(&forced, side, metas, assoc)?;
            b.pk.push(jc.name.clone());
            if jc.unique {
                b.unique(std::slice::from_ref(&jc.name));
            }
        }
        let local: Vec<String> = cols.iter().map(|c| c.name.clone()).collect();
        let foreign: Vec<String> = cols.iter().map(|c| c.referenced.clone()).collect();
        let on_delete = cols.iter().find_map(|c| c.on_delete.clone());
        b.foreign_key(&local, &side.table, &foreign, on_delete.as_deref());
    }
    let empty = Meta {
        indexes: Vec::new(),
        ..meta.clone()
    };
    b.finish(&empty)
}

/// The entities' metadata with an index by class name: relations look their targets up by
/// name, and a scan per lookup made the layout quadratic in the number of entities.
struct Metas<'m> {
    all: &'m [Meta],
    by_name: HashMap<&'m str, &'m Meta>,
}

impl<'m> Metas<'m> {
    fn new(all: &'m [Meta]) -> Self {
        let mut by_name = HashMap::with_capacity(all.len());
        for meta in all {
            by_name.entry(meta.name.as_str()).or_insert(meta);
        }
        Metas { all, by_name }
    }

    /// The metadata of entity `name`, referenced at `pos`.
    fn get(&self, name: &str, pos: &Pos) -> Result<&'m Meta, SourceError> {
        self.by_name
            .get(name)
            .copied()
            .ok_or_else(|| pos.error(format!("{name} is not an entity")))
    }
}

/// The field behind a referenced column: a field of the target, or (for an id that is itself an
/// association) the field that association references in turn.
fn referenced_field<'m>(
    target: &'m Meta,
    column: &str,
    metas: &Metas<'m>,
    assoc: &Assoc,
) -> Result<&'m Field, SourceError> {
    if let Some(f) = target.field_by_column(column) {
        return Ok(f);
    }
    for a in target.assocs.iter().filter(|a| a.id) {
        if let Some(jc) = a.join_columns.iter().find(|j| j.name == column) {
            let next = metas.get(&a.target, &a.pos)?;
            return referenced_field(next, &jc.referenced, metas, a);
        }
    }
    Err(assoc.pos.error(format!(
        "column \"{column}\" referenced by {} does not exist in {}",
        assoc.property, target.name
    )))
}

fn index(name: String, columns: &[String], unique: bool) -> Index {
    Index {
        name,
        parts: columns.iter().map(IndexPart::column).collect(),
        unique,
        constraint: false,
        predicate: None,
        method: None,
        comment: None,
    }
}

fn action(on_delete: Option<&str>) -> ReferentialAction {
    match on_delete.map(str::to_ascii_uppercase).as_deref() {
        Some("CASCADE") => ReferentialAction::Cascade,
        Some("SET NULL") => ReferentialAction::SetNull,
        Some("RESTRICT") => ReferentialAction::Restrict,
        Some("SET DEFAULT") => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// A DB default as DBAL renders it: integers and booleans bare (booleans as the platform spells
/// them), the current-time keywords bare on temporal types, anything else a string literal.
fn default_sql(
    dialect: Dialect,
    doctrine_type: &str,
    value: &Value,
) -> Result<Option<String>, SourceError> {
    let integer = matches!(doctrine_type, "integer" | "bigint" | "smallint");
    let boolean = doctrine_type == "boolean";
    Ok(Some(match &value.kind {
        ValueKind::Null => return Ok(None),
        ValueKind::Bool(_) | ValueKind::Int(_) if boolean => {
            let on = matches!(value.kind, ValueKind::Bool(true) | ValueKind::Int(1..));
            match (dialect, on) {
                (Dialect::Postgres, true) => "true".into(),
                (Dialect::Postgres, false) => "false".into(),
                (_, true) => "1".into(),
                (_, false) => "0".into(),
            }
        }
        ValueKind::Int(i) => i.to_string(),
        ValueKind::Float(f) => f.clone(),
        ValueKind::Bool(b) => {
            if *b {
                "1".into()
            } else {
                "0".into()
            }
        }
        ValueKind::Str(s) if integer => s.clone(),
        ValueKind::Str(s) if is_current_keyword(doctrine_type, s) => s.clone(),
        ValueKind::Str(s) => dialect.quote_str(s),
        ValueKind::Unsupported(text) => {
            return Err(value.pos.error(format!(
                "default `{text}` must be a literal (string, number, boolean or null)"
            )));
        }
        _ => {
            return Err(value
                .pos
                .error("default must be a literal (string, number, boolean or null)"));
        }
    }))
}

fn is_current_keyword(doctrine_type: &str, value: &str) -> bool {
    let base = doctrine_type.trim_end_matches("_immutable");
    matches!(
        (base, value),
        ("datetime" | "datetimetz", "CURRENT_TIMESTAMP")
            | ("date", "CURRENT_DATE")
            | ("time", "CURRENT_TIME")
    )
}

/// The names the database keeps: Doctrine emits identifiers unquoted, so PostgreSQL folds them
/// to lower case, except those written in backticks, which it quotes and every database keeps
/// as written (without the backticks).
fn finish_names(table: &mut Table, postgres: bool) {
    let name = |n: &mut String| {
        *n = match unquoted(n) {
            q if q.len() != n.len() => q.to_string(),
            _ if postgres => n.to_lowercase(),
            _ => return,
        }
    };
    name(&mut table.name);
    table.columns.iter_mut().for_each(|c| name(&mut c.name));
    if let Some(pk) = &mut table.primary_key {
        pk.columns.iter_mut().for_each(name);
    }
    for i in &mut table.indexes {
        name(&mut i.name);
        for p in &mut i.parts {
            if let IndexKey::Column(c) = &mut p.key {
                name(c);
            }
        }
    }
    for fk in &mut table.foreign_keys {
        name(&mut fk.name);
        name(&mut fk.ref_table);
        fk.columns.iter_mut().for_each(name);
        fk.ref_columns.iter_mut().for_each(name);
    }
}
