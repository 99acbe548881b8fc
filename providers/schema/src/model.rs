//! The schema model: database → schemas → tables → columns, keys, indexes, foreign keys, checks.

use crate::Type;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Database is everything Strata manages in one target: its schemas by name. In MySQL a schema
/// is a database; SQLite has one schema, `main`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Database {
    pub schemas: BTreeMap<String, Schema>,
}

/// Schema holds tables and named types.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub name: String,
    #[serde(default)]
    pub tables: BTreeMap<String, Table>,
    /// PostgreSQL enum types by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enums: BTreeMap<String, EnumType>,
}

/// EnumType is a PostgreSQL `CREATE TYPE … AS ENUM`; the order of values is significant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    pub name: String,
    pub values: Vec<String>,
}

/// Table is one table with everything attached to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    /// Columns in declaration order (the order CREATE TABLE gives them).
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// Indexes, including those that back UNIQUE constraints (`constraint: true`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Dialect-specific table options that matter to the schema (SQLite `strict`,
    /// `without_rowid`; MySQL `engine`, `charset`, `collation`). Absent in the desired schema means
    /// "whatever the database chooses".
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

/// Column is one column of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Type,
    pub nullable: bool,
    /// DEFAULT expression as SQL text in the target dialect (`'a'`, `0`, `now()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// MySQL's `ON UPDATE CURRENT_TIMESTAMP[(fsp)]`: the value the server writes into the
    /// column whenever another column of the row changes. MySQL-only; absent elsewhere, and
    /// absent from states written before it existed (which is why it is optional in JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<String>,
    /// Collation; `None` in the desired schema means the database default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Column {
    /// A nullable column of type `ty` with nothing else set.
    pub fn new(name: impl Into<String>, ty: Type) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            identity: None,
            generated: None,
            on_update: None,
            collation: None,
            comment: None,
        }
    }
}

/// Identity is how a column numbers itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Identity {
    /// MySQL AUTO_INCREMENT, SQLite AUTOINCREMENT.
    AutoIncrement,
    /// PostgreSQL serial types: a sequence owned by the column and a `nextval` default.
    Serial,
    /// SQL-standard identity: `GENERATED ALWAYS` (`always: true`) or `BY DEFAULT AS IDENTITY`.
    Generated { always: bool },
}

/// Generated is a computed column: `GENERATED ALWAYS AS (expr) STORED|VIRTUAL`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    pub expr: String,
    pub stored: bool,
}

/// PrimaryKey names the key columns in order. `name` is `None` when the database picks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// Index is a (possibly unique, partial or expression) index. A UNIQUE constraint is an index
/// with `unique` and `constraint` set: the database keeps both as an index, but they are
/// created and dropped with different statements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// Name; empty when the database assigns one that cannot be chosen (SQLite inline UNIQUE).
    pub name: String,
    pub parts: Vec<IndexPart>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub constraint: bool,
    /// WHERE predicate of a partial index, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// Access method (`btree`, `gin`, `hash`, MySQL `FULLTEXT`…); `None` is the default method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// IndexPart is one key of an index: a column or an expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexPart {
    #[serde(flatten)]
    pub key: IndexKey,
    #[serde(default, skip_serializing_if = "is_false")]
    pub desc: bool,
    /// MySQL prefix length: `KEY (email(10))`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u32>,
    /// PostgreSQL operator class (`varchar_pattern_ops`); `None` is the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}

impl IndexPart {
    /// An ascending key on one column.
    pub fn column(name: impl Into<String>) -> IndexPart {
        IndexPart {
            key: IndexKey::Column(name.into()),
            desc: false,
            length: None,
            opclass: None,
            collation: None,
        }
    }
}

/// IndexKey is what an index part indexes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexKey {
    Column(String),
    Expr(String),
}

/// ForeignKey references columns of another (or the same) table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// Constraint name; empty when the database assigns one (SQLite never names them).
    pub name: String,
    pub columns: Vec<String>,
    /// Schema of the referenced table; `None` means the same schema as the owning table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_schema: Option<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "ReferentialAction::is_default")]
    pub on_delete: ReferentialAction,
    #[serde(default, skip_serializing_if = "ReferentialAction::is_default")]
    pub on_update: ReferentialAction,
    #[serde(default, skip_serializing_if = "Deferrable::is_default")]
    pub deferrable: Deferrable,
}

/// ReferentialAction is an ON DELETE / ON UPDATE action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferentialAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl ReferentialAction {
    fn is_default(&self) -> bool {
        *self == ReferentialAction::NoAction
    }

    /// The action as SQL keywords.
    pub fn sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// Deferrable is when a foreign key is checked (PostgreSQL and SQLite).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    #[default]
    NotDeferrable,
    InitiallyImmediate,
    InitiallyDeferred,
}

impl Deferrable {
    fn is_default(&self) -> bool {
        *self == Deferrable::NotDeferrable
    }
}

/// Check is a CHECK constraint. `name` is empty when the database assigns one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub expr: String,
}

impl Database {
    /// The schema called `name`, created empty if absent.
    pub fn schema_mut(&mut self, name: &str) -> &mut Schema {
        self.schemas
            .entry(name.to_string())
            .or_insert_with(|| Schema {
                name: name.to_string(),
                ..Schema::default()
            })
    }

    /// Every table with its schema name, in (schema, table) order.
    pub fn tables(&self) -> impl Iterator<Item = (&str, &Table)> {
        self.schemas
            .values()
            .flat_map(|s| s.tables.values().map(move |t| (s.name.as_str(), t)))
    }

    /// Total number of tables over all schemas.
    pub fn table_count(&self) -> usize {
        self.schemas.values().map(|s| s.tables.len()).sum()
    }
}

impl Table {
    /// A table with no columns yet.
    pub fn new(name: impl Into<String>) -> Table {
        Table {
            name: name.into(),
            ..Table::default()
        }
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column called `name`, mutably.
    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// Columns of the index, where every part is a plain column.
    pub fn index_columns(index: &Index) -> Option<Vec<&str>> {
        index
            .parts
            .iter()
            .map(|p| match &p.key {
                IndexKey::Column(c) => Some(c.as_str()),
                IndexKey::Expr(_) => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Dialect, fingerprint};

    fn sample() -> Database {
        let mut db = Database::default();
        let s = db.schema_mut("public");
        let mut t = Table::new("users");
        let mut id = Column::new("id", Type::parse(Dialect::Postgres, "bigint"));
        id.nullable = false;
        id.identity = Some(Identity::Generated { always: false });
        t.columns.push(id);
        t.columns
            .push(Column::new("email", Type::Varchar { length: Some(200) }));
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec!["id".into()],
        });
        t.indexes.push(Index {
            name: "users_email_key".into(),
            parts: vec![IndexPart::column("email")],
            unique: true,
            constraint: true,
            predicate: None,
            method: None,
            comment: None,
        });
        s.tables.insert(t.name.clone(), t);
        db
    }

    #[test]
    fn serde_round_trip_and_stable_fingerprint() {
        let db = sample();
        let json = serde_json::to_string(&db).unwrap();
        let back: Database = serde_json::from_str(&json).unwrap();
        assert_eq!(back, db);
        assert_eq!(fingerprint(&back), fingerprint(&db));
        let mut changed = db.clone();
        changed
            .schema_mut("public")
            .tables
            .get_mut("users")
            .unwrap()
            .columns[1]
            .nullable = false;
        assert_ne!(fingerprint(&changed), fingerprint(&db));
    }
}
