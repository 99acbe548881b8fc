//! Table specifications → the schema model for one dialect: types, autoincrement, defaults,
//! keys, indexes, foreign keys and checks named as SQLAlchemy names them.

use crate::column::{ColumnSpec, FkSpec, check, fk_options, static_str};
use crate::defaults::server_default;
use crate::naming::Subject;
use crate::python::ast::{Expr, ExprKind, Pos};
use crate::python::error_at;
use crate::tables::TableSpec;
use crate::types::SaType;
use std::path::Path;
use strata_schema::{
    Check, Column, Database, Deferrable, Dialect, EnumType, ForeignKey, Identity, Index, IndexKey,
    IndexPart, PrimaryKey, SourceError, Table,
};

/// Index keyword arguments that do not change the index for the dialects Strata targets.
const IGNORED_INDEX_OPTIONS: &[&str] = &["info", "quote", "_column_flag"];

pub fn emit(
    specs: &[TableSpec],
    dialect: Dialect,
    default_schema: &str,
    warnings: &mut Vec<SourceError>,
) -> Result<Database, SourceError> {
    let mut db = Database::default();
    for spec in specs {
        let schema_name = spec
            .schema
            .clone()
            .unwrap_or_else(|| default_schema.to_string());
        let (table, enums) = Emitter {
            spec,
            specs,
            dialect,
            default_schema,
            warnings,
        }
        .table()?;
        for e in enums {
            let schema = db.schema_mut(default_schema);
            match schema.enums.get(&e.name) {
                Some(old) if old.values != e.values => {
                    return Err(error_at(
                        spec.file,
                        spec.at,
                        format!(
                            "enum type `{}` is declared twice with different values",
                            e.name
                        ),
                    ));
                }
                _ => {
                    schema.enums.insert(e.name.clone(), e);
                }
            }
        }
        let schema = db.schema_mut(&schema_name);
        if schema.tables.contains_key(&table.name) {
            return Err(error_at(
                spec.file,
                spec.at,
                format!("table `{}` is declared twice", table.name),
            ));
        }
        schema.tables.insert(table.name.clone(), table);
    }
    Ok(db)
}

struct Emitter<'s, 'a> {
    spec: &'s TableSpec<'a>,
    specs: &'s [TableSpec<'a>],
    dialect: Dialect,
    default_schema: &'s str,
    warnings: &'s mut Vec<SourceError>,
}

type Located<T> = Result<T, (Pos, String)>;

impl<'a> Emitter<'_, 'a> {
    fn table(mut self) -> Result<(Table, Vec<EnumType>), SourceError> {
        let spec = self.spec;
        let mut table = Table::new(&spec.name);
        if self.dialect != Dialect::Sqlite {
            table.comment = spec.comment.clone();
        }
        let mut enums = Vec::new();
        let pk_columns: Vec<String> = spec
            .columns
            .iter()
            .filter(|(_, c)| c.primary_key)
            .map(|(_, c)| c.name.clone())
            .collect();
        for (file, c) in &spec.columns {
            let column = self
                .column(c, pk_columns.len())
                .map_err(|(at, m)| error_at(file, at, m))?;
            if self.dialect == Dialect::Postgres
                && let Some(e) = self.type_of(c).ok().and_then(|t| t.pg_enum().cloned())
                && let Some(name) = e.name
            {
                enums.push(EnumType {
                    name,
                    values: e.values,
                });
            }
            table.columns.push(column);
            self.column_constraints(file, c, &mut table)?;
        }
        if !pk_columns.is_empty() {
            table.primary_key = Some(PrimaryKey {
                name: self.pk_name(None, &pk_columns)?,
                columns: pk_columns,
            });
        }
        for (file, call) in &spec.constraints {
            self.constraint(call, &mut table)
                .map_err(|(at, m)| error_at(file, at, m))?;
        }
        Ok((table, enums))
    }

    fn located(
        &self,
        file: &Path,
        r: Located<Option<String>>,
    ) -> Result<Option<String>, SourceError> {
        r.map_err(|(at, m)| error_at(file, at, m))
    }

    fn subject_name(
        &self,
        key: &str,
        given: Option<&str>,
        columns: &[String],
        referred: Option<(&str, &[String])>,
        at: Pos,
    ) -> Located<Option<String>> {
        let subject = Subject {
            table: &self.spec.name,
            columns,
            referred_table: referred.map(|r| r.0),
            referred_columns: referred.map(|r| r.1).unwrap_or(&[]),
        };
        // SQLAlchemy's identifier limits: max_identifier_length, or MySQL's 64 for constraint
        // and index names; SQLite's is effectively unlimited.
        let max = match self.dialect {
            Dialect::Postgres => 63,
            Dialect::Mysql => 64,
            Dialect::Sqlite => 9999,
        };
        self.spec
            .naming
            .name(key, given, &subject, max)
            .map_err(|m| (at, m))
    }

    fn pk_name(
        &self,
        given: Option<&str>,
        columns: &[String],
    ) -> Result<Option<String>, SourceError> {
        let name = self.located(
            self.spec.file,
            self.subject_name("pk", given, columns, None, self.spec.at),
        )?;
        // MySQL always calls the key PRIMARY.
        Ok(name.filter(|_| self.dialect != Dialect::Mysql))
    }

    /// The column's type, taken from its foreign key's target when it declares none.
    fn type_of(&self, c: &ColumnSpec) -> Located<SaType> {
        if let Some(t) = &c.ty {
            return Ok(t.clone());
        }
        let fk = c
            .foreign_keys
            .first()
            .ok_or((c.at, format!("column `{}` has no type", c.name)))?;
        let target = fk
            .targets
            .first()
            .ok_or((fk.at, "ForeignKey() needs a target".to_string()))?;
        let (schema, table, column) = self.target(target)?;
        let spec = self
            .specs
            .iter()
            .find(|s| {
                s.name == table
                    && s.schema.as_deref().unwrap_or(self.default_schema)
                        == schema.as_deref().unwrap_or(self.default_schema)
            })
            .ok_or((
                target.at,
                format!("foreign key target table `{table}` is not in the models"),
            ))?;
        let (_, col) = spec.columns.iter().find(|(_, c)| c.name == column).ok_or((
            target.at,
            format!("foreign key target column `{table}.{column}` is not in the models"),
        ))?;
        col.ty
            .clone()
            .ok_or((c.at, format!("column `{}` has no type", c.name)))
    }

    /// (schema, table, column) of a foreign-key target: `"t.c"`, `"s.t.c"`, `Model.attr`, `t.c.col`.
    fn target(&self, target: &Expr) -> Located<(Option<String>, String, String)> {
        if let Some(s) = target.as_str() {
            let parts: Vec<&str> = s.split('.').collect();
            return match parts.as_slice() {
                [t, c] => Ok((None, t.to_string(), c.to_string())),
                [s, t, c] => Ok((Some(s.to_string()), t.to_string(), c.to_string())),
                _ => Err((
                    target.at,
                    format!("foreign key target `{s}` is not `table.column`"),
                )),
            };
        }
        if let ExprKind::Attr(owner, attr) = &target.kind {
            if let ExprKind::Attr(table_var, c) = &owner.kind
                && c == "c"
            {
                let var = table_var.last_name().unwrap_or("");
                if let Some(spec) = self
                    .specs
                    .iter()
                    .find(|s| s.class.is_none() && s.name == var)
                {
                    return Ok((spec.schema.clone(), spec.name.clone(), attr.clone()));
                }
            }
            if let Some(class) = owner.last_name()
                && let Some(spec) = self
                    .specs
                    .iter()
                    .find(|s| s.class.as_deref() == Some(class))
            {
                let column = spec
                    .columns
                    .iter()
                    .find(|(_, c)| &c.key == attr)
                    .map(|(_, c)| c.name.clone())
                    .unwrap_or_else(|| attr.clone());
                return Ok((spec.schema.clone(), spec.name.clone(), column));
            }
        }
        Err((
            target.at,
            format!(
                "foreign key target `{}` cannot be resolved statically",
                target.describe()
            ),
        ))
    }

    fn column(&mut self, c: &ColumnSpec, pk_count: usize) -> Located<Column> {
        let ty = self.type_of(c)?;
        let mut column = Column::new(&c.name, ty.model(self.dialect).map_err(|m| (c.at, m))?);
        column.nullable = c.nullable;
        if let Some(d) = c.server_default {
            column.default = server_default(d, self.dialect)?;
        }
        if self.dialect != Dialect::Sqlite {
            column.comment = c.comment.clone();
        }
        let auto = c.primary_key
            && pk_count == 1
            && ty.is_integer(self.dialect)
            && c.foreign_keys.is_empty()
            && c.autoincrement != Some(false)
            || c.autoincrement == Some(true) && c.primary_key;
        column.identity = match (self.dialect, c.identity) {
            (Dialect::Postgres, Some(always)) => Some(Identity::Generated { always }),
            (Dialect::Postgres, None) if auto => Some(Identity::Serial),
            (Dialect::Mysql, _) if auto || c.identity.is_some() => Some(Identity::AutoIncrement),
            (Dialect::Sqlite, _) if auto && self.spec.sqlite_autoincrement => {
                Some(Identity::AutoIncrement)
            }
            _ => None,
        };
        Ok(column)
    }

    /// `index=`, `unique=`, `ForeignKey` and `CheckConstraint` given on a column.
    fn column_constraints(
        &mut self,
        file: &Path,
        c: &ColumnSpec,
        table: &mut Table,
    ) -> Result<(), SourceError> {
        let cols = vec![c.name.clone()];
        if c.index {
            let name = self
                .located(file, self.subject_name("ix", None, &cols, None, c.at))?
                .ok_or_else(|| error_at(file, c.at, "index=True needs a name, and the MetaData naming convention has no `ix` entry"))?;
            table.indexes.push(index(name, &cols, c.unique, false));
        } else if c.unique {
            let name = self
                .located(file, self.subject_name("uq", None, &cols, None, c.at))?
                .unwrap_or_default();
            table.indexes.push(index(name, &cols, true, true));
        }
        for fk in &c.foreign_keys {
            let f = self
                .foreign_key(fk, cols.clone())
                .map_err(|(at, m)| error_at(file, at, m))?;
            table.foreign_keys.push(f);
        }
        for (name, sql) in &c.checks {
            let name = self
                .located(
                    file,
                    self.subject_name("ck", name.as_deref(), &cols, None, c.at),
                )?
                .unwrap_or_default();
            table.checks.push(Check {
                name,
                expr: sql.clone(),
            });
        }
        Ok(())
    }

    fn foreign_key(&self, fk: &FkSpec, columns: Vec<String>) -> Located<ForeignKey> {
        let mut ref_schema = None;
        let mut ref_table = String::new();
        let mut ref_columns = Vec::new();
        for t in &fk.targets {
            let (schema, table, column) = self.target(t)?;
            ref_schema = schema;
            ref_table = table;
            ref_columns.push(column);
        }
        if self.dialect == Dialect::Mysql && fk.deferrable != Deferrable::NotDeferrable {
            return Err((
                fk.at,
                "SQLAlchemy emits DEFERRABLE for this foreign key and MySQL/MariaDB reject it"
                    .into(),
            ));
        }
        let own = self.spec.schema.as_deref().unwrap_or(self.default_schema);
        let ref_schema = ref_schema.filter(|s| s != own);
        let name = self
            .subject_name(
                "fk",
                fk.name.as_deref(),
                &columns,
                Some((&ref_table, &ref_columns)),
                fk.at,
            )?
            .unwrap_or_default();
        Ok(ForeignKey {
            name,
            columns,
            ref_schema,
            ref_table,
            ref_columns,
            on_delete: fk.on_delete,
            on_update: fk.on_update,
            deferrable: fk.deferrable,
        })
    }

    /// One `__table_args__` / `Table()` / module-level constraint call.
    fn constraint(&mut self, call: &Expr, table: &mut Table) -> Located<()> {
        let given = call.kwarg("name").map(static_str).transpose()?;
        match call.call_name() {
            Some("Index") => self.index(call, table),
            Some("UniqueConstraint") => {
                let cols = self.column_names(call.args())?;
                let name = self
                    .subject_name("uq", given.as_deref(), &cols, None, call.at)?
                    .unwrap_or_default();
                table.indexes.push(index(name, &cols, true, true));
                Ok(())
            }
            Some("PrimaryKeyConstraint") => {
                let cols = self.column_names(call.args())?;
                for c in &mut table.columns {
                    if cols.contains(&c.name) {
                        c.nullable = false;
                    }
                }
                let name = self
                    .pk_name(given.as_deref(), &cols)
                    .map_err(|e| (call.at, e.message))?;
                table.primary_key = Some(PrimaryKey {
                    name,
                    columns: cols,
                });
                Ok(())
            }
            Some("CheckConstraint") => {
                let (given, sql) = check(call)?;
                let name = self
                    .subject_name("ck", given.as_deref(), &[], None, call.at)?
                    .unwrap_or_default();
                table.checks.push(Check { name, expr: sql });
                Ok(())
            }
            Some("ForeignKeyConstraint") => {
                let cols = call.args().first().and_then(Expr::elements).ok_or((
                    call.at,
                    "ForeignKeyConstraint() needs a list of columns".to_string(),
                ))?;
                let targets = call.args().get(1).and_then(Expr::elements).ok_or((
                    call.at,
                    "ForeignKeyConstraint() needs a list of targets".to_string(),
                ))?;
                let cols = self.column_names(cols)?;
                let spec = fk_options(call, targets.iter().collect())?;
                table.foreign_keys.push(self.foreign_key(&spec, cols)?);
                Ok(())
            }
            _ => Err((
                call.at,
                format!(
                    "`{}` is not a constraint the provider knows",
                    call.describe()
                ),
            )),
        }
    }

    fn index(&mut self, call: &Expr, table: &mut Table) -> Located<()> {
        let args = call.args();
        let given = match args.first() {
            Some(e) if e.is_none() => None,
            Some(e) => Some(static_str(e)?),
            None => return Err((call.at, "Index() needs a name".to_string())),
        };
        let mut parts = Vec::new();
        for e in &args[1..] {
            parts.push(self.index_part(e)?);
        }
        let names: Vec<String> = parts
            .iter()
            .filter_map(|p| match &p.key {
                IndexKey::Column(c) => Some(c.clone()),
                IndexKey::Expr(_) => None,
            })
            .collect();
        let name = self
            .subject_name("ix", given.as_deref(), &names, None, call.at)?
            .ok_or((
                call.at,
                "this Index() needs a name: the MetaData naming convention has no `ix` entry"
                    .to_string(),
            ))?;
        let mut idx = Index {
            name,
            parts,
            unique: false,
            constraint: false,
            predicate: None,
            method: None,
            comment: None,
        };
        let prefix = match self.dialect {
            Dialect::Postgres => "postgresql_",
            Dialect::Mysql => "mysql_",
            Dialect::Sqlite => "sqlite_",
        };
        for (k, v) in call.kwargs() {
            match k.as_str() {
                "unique" => idx.unique = v.as_bool().unwrap_or(false),
                "name" => {}
                k if IGNORED_INDEX_OPTIONS.contains(&k) => {}
                k if k.starts_with(prefix) => match &k[prefix.len()..] {
                    "where" => idx.predicate = Some(sql_text(v)?),
                    "using" => idx.method = Some(static_str(v)?),
                    "length" => {
                        let n = v
                            .as_int()
                            .ok_or((v.at, "mysql_length must be an integer".to_string()))?;
                        for p in &mut idx.parts {
                            p.length = Some(n as u32);
                        }
                    }
                    other => self.warnings.push(error_at(
                        self.spec.file,
                        v.at,
                        format!("index option `{prefix}{other}` is not reproduced by the provider"),
                    )),
                },
                k if ["postgresql_", "mysql_", "mariadb_", "sqlite_"]
                    .iter()
                    .any(|p| k.starts_with(p)) => {}
                other => self.warnings.push(error_at(
                    self.spec.file,
                    v.at,
                    format!("index option `{other}` is not reproduced by the provider"),
                )),
            }
        }
        table.indexes.push(idx);
        Ok(())
    }

    fn index_part(&self, e: &Expr) -> Located<IndexPart> {
        if let ExprKind::Call { func, args, .. } = &e.kind {
            if let ExprKind::Attr(inner, method) = &func.kind
                && (method == "desc" || method == "asc")
                && args.is_empty()
            {
                let mut part = self.index_part(inner)?;
                part.desc = method == "desc";
                return Ok(part);
            }
            if matches!(func.last_name(), Some("desc" | "asc")) && args.len() == 1 {
                let mut part = self.index_part(&args[0])?;
                part.desc = func.last_name() == Some("desc");
                return Ok(part);
            }
            if func.last_name() == Some("text") {
                return Ok(expr_part(sql_text(e)?));
            }
            if let ExprKind::Attr(owner, fname) = &func.kind
                && owner.last_name() == Some("func")
            {
                let inner: Vec<String> = args
                    .iter()
                    .map(|a| self.column_name(a).map(|c| self.dialect.quote(&c)))
                    .collect::<Result<_, _>>()?;
                return Ok(expr_part(format!("{fname}({})", inner.join(", "))));
            }
        }
        Ok(IndexPart::column(self.column_name(e)?))
    }

    fn column_names(&self, exprs: &[Expr]) -> Located<Vec<String>> {
        exprs.iter().map(|e| self.column_name(e)).collect()
    }

    /// A column reference: a name string, `Model.attr`, `table.c.col` or a bare attribute name.
    fn column_name(&self, e: &Expr) -> Located<String> {
        if let Some(s) = e.as_str() {
            return Ok(s.to_string());
        }
        let key = e.last_name().ok_or((
            e.at,
            format!("`{}` is not a column reference", e.describe()),
        ))?;
        Ok(self
            .spec
            .columns
            .iter()
            .find(|(_, c)| c.key == key)
            .map(|(_, c)| c.name.clone())
            .unwrap_or_else(|| key.to_string()))
    }
}

fn expr_part(sql: String) -> IndexPart {
    IndexPart {
        key: IndexKey::Expr(sql),
        desc: false,
        length: None,
        opclass: None,
        collation: None,
    }
}

/// `text("…")` or a plain string → SQL text.
fn sql_text(e: &Expr) -> Located<String> {
    match e.call_name() {
        Some("text") => e
            .args()
            .first()
            .map(static_str)
            .transpose()?
            .ok_or((e.at, "text() needs SQL".to_string())),
        _ => static_str(e),
    }
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
