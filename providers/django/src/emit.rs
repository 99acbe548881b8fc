//! Models → the schema `migrate` creates on one backend: implicit and explicit keys, columns,
//! Django's hashed index / FK / unique names, `_like` indexes on PostgreSQL, auto many-to-many
//! tables, `Meta.indexes` / `Meta.constraints` / `unique_together` / `index_together`.

use crate::fields::{
    Args, FieldKind, column_check, column_type, is_auto, like_opclass, related_type,
};
use crate::models::{Field, Model, default_table};
use crate::names;
use crate::project::Project;
use crate::q;
use strata_schema::{
    Check, Column, Database, Deferrable, Dialect, ForeignKey, Identity, Index, IndexPart,
    PrimaryKey, SourceError, Table, Type,
};
use strata_sqlalchemy::python::ast::{Expr, ExprKind, Pos};
use strata_sqlalchemy::python::error_at;

type Located<T> = Result<T, (Pos, String)>;

/// Field options that do not reach the DDL (validation, forms, Python-side defaults, relation
/// behaviour Django emulates in Python).
const NON_DDL_OPTIONS: &[&str] = &[
    "verbose_name",
    "help_text",
    "blank",
    "choices",
    "default",
    "editable",
    "validators",
    "error_messages",
    "auto_now",
    "auto_now_add",
    "related_name",
    "related_query_name",
    "on_delete",
    "limit_choices_to",
    "upload_to",
    "storage",
    "width_field",
    "height_field",
    "unique_for_date",
    "unique_for_month",
    "unique_for_year",
    "protocol",
    "unpack_ipv4",
    "allow_unicode",
    "encoder",
    "decoder",
    "symmetrical",
    "through_fields",
    "parent_link",
    "swappable",
    "path",
    "match",
    "recursive",
    "allow_files",
    "allow_folders",
    "to",
    "max_length",
    "max_digits",
    "decimal_places",
    "db_tablespace",
];

/// The primary key of a model: column name and the Django field class and args it has.
struct Pk {
    column: String,
    class: String,
    args: Args,
}

pub struct Emitter<'p, 'a> {
    pub project: &'p Project,
    pub models: &'p [Model<'a>],
    pub dialect: Dialect,
    pub warnings: Vec<SourceError>,
}

impl<'a> Emitter<'_, 'a> {
    pub fn database(&mut self, default_schema: &str) -> Result<Database, SourceError> {
        let mut db = Database::default();
        for (i, model) in self.models.iter().enumerate() {
            if model.meta.abstract_ || model.meta.skipped {
                continue;
            }
            let mut tables = vec![
                self.table(i)
                    .map_err(|(at, m)| error_at(model.file, at, m))?,
            ];
            for f in model
                .fields
                .iter()
                .filter(|f| f.kind == FieldKind::ManyToMany)
            {
                if f.kwarg("through").is_none() {
                    tables.push(
                        self.m2m_table(i, f)
                            .map_err(|(at, m)| error_at(f.file, at, m))?,
                    );
                }
            }
            let schema = db.schema_mut(default_schema);
            for t in tables {
                if schema.tables.contains_key(&t.name) {
                    return Err(error_at(
                        model.file,
                        model.class.at,
                        format!("table `{}` is declared twice", t.name),
                    ));
                }
                schema.tables.insert(t.name.clone(), t);
            }
        }
        Ok(db)
    }

    fn table_name(&self, i: usize) -> String {
        let m = &self.models[i];
        // Django truncates the names it derives, never an explicit db_table.
        match &m.meta.db_table {
            Some(explicit) => explicit.clone(),
            None => names::table_name(
                &default_table(&self.project.apps[m.app], &m.name),
                self.dialect,
            ),
        }
    }

    /// The model's primary key (explicit, parent link, or the app's auto field).
    fn pk(&self, i: usize) -> Pk {
        let m = &self.models[i];
        if let Some(f) = m
            .fields
            .iter()
            .find(|f| f.flag("primary_key") == Some(true))
        {
            return Pk {
                column: column_name(f),
                class: f.class.clone(),
                args: Args::of(f.call),
            };
        }
        if let Some(p) = m.parent {
            let parent = self.pk(p);
            return Pk {
                column: format!("{}_ptr_id", self.models[p].name.to_lowercase()),
                class: parent.class,
                args: parent.args,
            };
        }
        Pk {
            column: "id".into(),
            class: self.project.apps[m.app].auto_field.clone(),
            args: Args::default(),
        }
    }

    /// The model a relation points at: `"self"`, `"app.Model"`, `"Model"` or a class name.
    fn target(&self, from: usize, f: &Field) -> Located<usize> {
        let to = f
            .call
            .args()
            .first()
            .or_else(|| f.kwarg("to"))
            .ok_or((f.at(), format!("`{}` needs the model it points at", f.name)))?;
        let from_app = self.models[from].app;
        let found = match &to.kind {
            ExprKind::Str(s) if s == "self" => Some(from),
            ExprKind::Str(s) => match s.split_once('.') {
                Some((label, name)) => self.models.iter().position(|m| {
                    self.project.apps[m.app].label == label && m.name.eq_ignore_ascii_case(name)
                }),
                None => self.find(s, from_app),
            },
            _ => to.last_name().and_then(|n| self.find(n, from_app)),
        };
        found.ok_or((
            to.at,
            format!(
                "`{}` is not a model of the project (models of django.contrib or other packages, and settings.AUTH_USER_MODEL, are not read)",
                to.describe()
            ),
        ))
    }

    fn find(&self, name: &str, app: usize) -> Option<usize> {
        let same = self
            .models
            .iter()
            .position(|m| m.app == app && m.name == name);
        same.or_else(|| self.models.iter().position(|m| m.name == name))
    }

    fn table(&mut self, i: usize) -> Located<Table> {
        let m = &self.models[i];
        let name = self.table_name(i);
        let mut table = Table::new(&name);
        if self.dialect != Dialect::Sqlite {
            table.comment = m.meta.comment.clone();
        }
        let pk = self.pk(i);
        if let Some(p) = m.parent {
            let parent_pk = self.pk(p);
            let ty = related_type(&parent_pk.class, &parent_pk.args, self.dialect)
                .map_err(|e| (m.class.at, e))?;
            table.columns.push(not_null(Column::new(
                &pk.column,
                Type::parse(self.dialect, &ty),
            )));
            let parent_table = self.table_name(p);
            table.foreign_keys.push(self.foreign_key(
                &name,
                &pk.column,
                &parent_table,
                &parent_pk.column,
            ));
        } else if !m.fields.iter().any(|f| f.flag("primary_key") == Some(true)) {
            table.columns.push(
                self.auto_column("id", &pk.class)
                    .map_err(|e| (m.class.at, e))?,
            );
        }
        table.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec![pk.column.clone()],
        });
        let mut plain: Vec<&Field> = m
            .fields
            .iter()
            .filter(|f| f.kind == FieldKind::Column)
            .collect();
        let mut relations: Vec<&Field> = m
            .fields
            .iter()
            .filter(|f| matches!(f.kind, FieldKind::Relation { .. }))
            .collect();
        relations.sort_by(|a, b| a.name.cmp(&b.name));
        plain.append(&mut relations);
        for f in plain {
            self.field(i, f, &mut table)?;
        }
        self.meta(i, &mut table)?;
        Ok(table)
    }

    fn auto_column(&self, name: &str, class: &str) -> Result<Column, String> {
        let ty = column_type(class, &Args::default(), self.dialect)?;
        let mut c = not_null(Column::new(name, Type::parse(self.dialect, &ty)));
        c.identity = Some(match self.dialect {
            Dialect::Postgres => Identity::Generated { always: false },
            _ => Identity::AutoIncrement,
        });
        Ok(c)
    }

    fn field(&mut self, i: usize, f: &Field, table: &mut Table) -> Located<()> {
        for (k, v) in f.call.kwargs() {
            let known = NON_DDL_OPTIONS.contains(&k.as_str())
                || matches!(
                    k.as_str(),
                    "null"
                        | "unique"
                        | "db_index"
                        | "db_column"
                        | "db_default"
                        | "primary_key"
                        | "db_comment"
                        | "to_field"
                        | "db_constraint"
                        | "through"
                        | "db_table"
                );
            if !known {
                self.warnings.push(error_at(
                    f.file,
                    v.at,
                    format!("field option `{k}` is not reproduced by the provider"),
                ));
            }
        }
        let col = column_name(f);
        let primary = f.flag("primary_key") == Some(true);
        let (type_sql, fk_target) = match f.kind {
            FieldKind::Relation { .. } => {
                let target = self.target(i, f)?;
                let target_pk = self.pk(target);
                let (ref_col, class, args) = match f.kwarg("to_field").and_then(Expr::as_str) {
                    Some(field) => {
                        let tf = self.models[target]
                            .fields
                            .iter()
                            .find(|x| x.name == field)
                            .ok_or((
                                f.at(),
                                format!("to_field `{field}` is not a field of the target"),
                            ))?;
                        (column_name(tf), tf.class.clone(), Args::of(tf.call))
                    }
                    None => (target_pk.column, target_pk.class, target_pk.args),
                };
                let ty = related_type(&class, &args, self.dialect).map_err(|e| (f.at(), e))?;
                (ty, Some((self.table_name(target), ref_col)))
            }
            _ => (
                column_type(&f.class, &Args::of(f.call), self.dialect).map_err(|e| (f.at(), e))?,
                None,
            ),
        };
        let mut column = if primary && is_auto(&f.class) {
            self.auto_column(&col, &f.class).map_err(|e| (f.at(), e))?
        } else {
            Column::new(&col, Type::parse(self.dialect, &type_sql))
        };
        column.nullable = !primary && f.flag("null") == Some(true);
        if let Some(d) = f.kwarg("db_default") {
            column.default = Some(self.db_default(d)?);
        }
        if self.dialect != Dialect::Sqlite {
            column.comment = f
                .kwarg("db_comment")
                .and_then(Expr::as_str)
                .map(str::to_string);
        }
        table.columns.push(column);
        if primary {
            table.primary_key = Some(PrimaryKey {
                name: None,
                columns: vec![col.clone()],
            });
        }
        if let Some(check) = column_check(&f.class, &self.dialect.quote(&col), self.dialect) {
            // A column-level CHECK: MariaDB names it after the column, the others choose.
            let name = match self.dialect {
                Dialect::Mysql => col.clone(),
                _ => String::new(),
            };
            table.checks.push(Check { name, expr: check });
        }
        let one_to_one = matches!(f.kind, FieldKind::Relation { one_to_one: true });
        let unique = !primary && (one_to_one || f.flag("unique") == Some(true));
        if unique {
            table
                .indexes
                .push(index(String::new(), std::slice::from_ref(&col), true, true));
        }
        let is_fk = fk_target.is_some();
        let db_index = f
            .flag("db_index")
            .unwrap_or(is_fk || f.class == "SlugField");
        if let Some((ref_table, ref_col)) = &fk_target
            && f.flag("db_constraint") != Some(false)
        {
            table
                .foreign_keys
                .push(self.foreign_key(&table.name, &col, ref_table, ref_col));
        }
        let skip_fk_index = is_fk && self.dialect == Dialect::Mysql;
        if db_index && !unique && !primary && !skip_fk_index {
            let name = names::index_name(&table.name, &[&col], "", self.dialect);
            table
                .indexes
                .push(index(name, std::slice::from_ref(&col), false, false));
        }
        if self.dialect == Dialect::Postgres
            && (db_index || unique || primary)
            && let Some(opclass) = like_opclass(&type_sql)
        {
            let name = names::index_name(&table.name, &[&col], "_like", self.dialect);
            let mut idx = index(name, std::slice::from_ref(&col), false, false);
            idx.parts[0].opclass = Some(opclass.to_string());
            table.indexes.push(idx);
        }
        Ok(())
    }

    fn foreign_key(&self, table: &str, col: &str, ref_table: &str, ref_col: &str) -> ForeignKey {
        ForeignKey {
            name: match self.dialect {
                Dialect::Sqlite => String::new(),
                d => names::foreign_key_name(table, col, ref_table, ref_col, d),
            },
            columns: vec![col.to_string()],
            ref_schema: None,
            ref_table: ref_table.to_string(),
            ref_columns: vec![ref_col.to_string()],
            on_delete: Default::default(),
            on_update: Default::default(),
            deferrable: match self.dialect {
                Dialect::Mysql => Deferrable::NotDeferrable,
                _ => Deferrable::InitiallyDeferred,
            },
        }
    }

    /// `db_default=`: a literal, or `Now()` (an expression, which Django parenthesises).
    fn db_default(&self, d: &Expr) -> Located<String> {
        if d.call_name() == Some("Now") {
            return Ok(match self.dialect {
                Dialect::Postgres => "(STATEMENT_TIMESTAMP())".into(),
                Dialect::Mysql => "(CURRENT_TIMESTAMP(6))".into(),
                Dialect::Sqlite => "(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))".into(),
            });
        }
        q::literal(d, self.dialect, &|f: &str| f.to_string())
    }

    /// The column behind a field name of model `i` (`publisher` → `publisher_id`).
    fn column_of(&self, i: usize, field: &str) -> String {
        let m = &self.models[i];
        if field == "pk" {
            return self.pk(i).column;
        }
        m.fields
            .iter()
            .find(|f| f.name == field)
            .map(column_name)
            .unwrap_or_else(|| field.to_string())
    }

    fn meta(&mut self, i: usize, table: &mut Table) -> Located<()> {
        let m = &self.models[i];
        let label = &self.project.apps[m.app].label;
        let fill = |n: &str| {
            n.replace("%(app_label)s", label)
                .replace("%(class)s", &m.name.to_lowercase())
        };
        let column = |f: &str| self.column_of(i, f);
        if let Some((_, groups)) = m.meta.index_together {
            for cols in together(groups, "index_together", &column)? {
                let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
                let name = names::index_name(&table.name, &refs, "_idx", self.dialect);
                table.indexes.push(index(name, &cols, false, false));
            }
        }
        for (_, idx) in &m.meta.indexes {
            let fields = idx.kwarg("fields").and_then(Expr::elements).ok_or((
                idx.at,
                "only Index(fields=[...]) is read; expression indexes are not".to_string(),
            ))?;
            let mut cols = Vec::new();
            for f in fields {
                let name = f
                    .as_str()
                    .ok_or((f.at, "index fields must be string literals".to_string()))?;
                let (desc, name) = match name.strip_prefix('-') {
                    Some(n) => (true, n),
                    None => (false, name),
                };
                cols.push((column(name), desc));
            }
            let name = match idx.kwarg("name").and_then(Expr::as_str) {
                Some(n) => fill(n),
                None => names::model_index_name(&table.name, &cols),
            };
            // MySQL has no partial indexes, and Django's MySQL index template has no place for
            // the condition: the index is created on the whole table (models.W037 warns).
            let predicate = match idx.kwarg("condition") {
                Some(_) if self.dialect == Dialect::Mysql => None,
                Some(c) => Some(q::compile(c, self.dialect, &column)?),
                None => None,
            };
            let mut index = index(name, &[], false, false);
            index.parts = cols
                .iter()
                .map(|(c, desc)| IndexPart {
                    desc: *desc,
                    ..IndexPart::column(c)
                })
                .collect();
            if let Some(ops) = idx.kwarg("opclasses").and_then(Expr::elements) {
                for (part, op) in index.parts.iter_mut().zip(ops) {
                    part.opclass = op
                        .as_str()
                        .map(str::to_string)
                        .filter(|_| self.dialect == Dialect::Postgres);
                }
            }
            index.predicate = predicate;
            table.indexes.push(index);
        }
        for (_, c) in &m.meta.constraints {
            let name = c
                .kwarg("name")
                .and_then(Expr::as_str)
                .map(fill)
                .ok_or((c.at, "constraints need a literal name=".to_string()))?;
            match c.call_name() {
                Some("UniqueConstraint") => {
                    let fields = c.kwarg("fields").and_then(Expr::elements).ok_or((
                        c.at,
                        "only UniqueConstraint(fields=[...]) is read".to_string(),
                    ))?;
                    let cols: Vec<String> = fields
                        .iter()
                        .filter_map(Expr::as_str)
                        .map(&column)
                        .collect();
                    match c.kwarg("condition") {
                        Some(_) if self.dialect == Dialect::Mysql => {}
                        Some(cond) => {
                            let mut idx = index(name, &cols, true, false);
                            idx.predicate = Some(q::compile(cond, self.dialect, &column)?);
                            table.indexes.push(idx);
                        }
                        None => table.indexes.push(index(name, &cols, true, true)),
                    }
                }
                Some("CheckConstraint") => {
                    let cond = c
                        .kwarg("condition")
                        .or_else(|| c.kwarg("check"))
                        .ok_or((c.at, "CheckConstraint needs condition=".to_string()))?;
                    table.checks.push(Check {
                        name,
                        expr: q::compile(cond, self.dialect, &column)?,
                    });
                }
                _ => {
                    return Err((
                        c.at,
                        format!(
                            "constraint `{}` is not one the provider knows",
                            c.describe()
                        ),
                    ));
                }
            }
        }
        if let Some((_, groups)) = m.meta.unique_together {
            for cols in together(groups, "unique_together", &column)? {
                let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
                let name = names::index_name(&table.name, &refs, "_uniq", self.dialect);
                table
                    .indexes
                    .push(index(name, &cols, true, self.dialect != Dialect::Sqlite));
            }
        }
        Ok(())
    }

    /// The auto-created join table of a `ManyToManyField`.
    fn m2m_table(&self, i: usize, f: &Field) -> Located<Table> {
        let m = &self.models[i];
        let target = self.target(i, f)?;
        let base = self.table_name(i);
        let name = match f.kwarg("db_table").and_then(Expr::as_str) {
            Some(n) => n.to_string(),
            None => names::table_name(&format!("{base}_{}", f.name), self.dialect),
        };
        let (src, tgt) = if target == i {
            let lower = m.name.to_lowercase();
            (format!("from_{lower}_id"), format!("to_{lower}_id"))
        } else {
            (
                format!("{}_id", m.name.to_lowercase()),
                format!("{}_id", self.models[target].name.to_lowercase()),
            )
        };
        let mut table = Table::new(&name);
        let auto = &self.project.apps[m.app].auto_field;
        table
            .columns
            .push(self.auto_column("id", auto).map_err(|e| (f.at(), e))?);
        table.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec!["id".into()],
        });
        for (col, model) in [(&src, i), (&tgt, target)] {
            let pk = self.pk(model);
            let ty = related_type(&pk.class, &pk.args, self.dialect).map_err(|e| (f.at(), e))?;
            table
                .columns
                .push(not_null(Column::new(col, Type::parse(self.dialect, &ty))));
            table.foreign_keys.push(self.foreign_key(
                &name,
                col,
                &self.table_name(model),
                &pk.column,
            ));
        }
        let uniq = names::index_name(&name, &[&src, &tgt], "_uniq", self.dialect);
        table.indexes.push(index(
            uniq,
            &[src.clone(), tgt.clone()],
            true,
            self.dialect != Dialect::Sqlite,
        ));
        if self.dialect != Dialect::Mysql {
            for col in [&src, &tgt] {
                table.indexes.push(index(
                    names::index_name(&name, &[col], "", self.dialect),
                    std::slice::from_ref(col),
                    false,
                    false,
                ));
            }
        }
        Ok(table)
    }
}

/// The column groups of `unique_together` / `index_together` (`option`): a tuple of field
/// names is one group, a list or tuple of them several.
fn together(
    groups: &Expr,
    option: &str,
    column: &dyn Fn(&str) -> String,
) -> Located<Vec<Vec<String>>> {
    let groups: Vec<&Expr> = match groups.elements() {
        Some(items) if items.iter().all(|e| e.as_str().is_some()) => vec![groups],
        Some(items) => items.iter().collect(),
        None => {
            return Err((
                groups.at,
                format!("{option} must be a tuple or list literal"),
            ));
        }
    };
    groups
        .into_iter()
        .map(|g| {
            let fields = g.elements().ok_or((
                g.at,
                format!("{option} entries must be tuples of field names"),
            ))?;
            Ok(fields.iter().filter_map(Expr::as_str).map(column).collect())
        })
        .collect()
}

/// The column a field is stored in: `db_column`, else the name (`_id` added for relations).
pub fn column_name(f: &Field) -> String {
    if let Some(c) = f.kwarg("db_column").and_then(Expr::as_str) {
        return c.to_string();
    }
    match f.kind {
        FieldKind::Relation { .. } => format!("{}_id", f.name),
        _ => f.name.clone(),
    }
}

fn not_null(mut c: Column) -> Column {
    c.nullable = false;
    c
}

fn index(name: String, cols: &[String], unique: bool, constraint: bool) -> Index {
    Index {
        name,
        parts: cols.iter().map(IndexPart::column).collect(),
        unique,
        constraint,
        predicate: None,
        method: None,
        comment: None,
    }
}
