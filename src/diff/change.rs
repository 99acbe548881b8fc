//! The closed vocabulary of schema changes: verb + noun records, each carrying the objects it
//! touches so that SQL rendering never needs to re-diff.

use serde::Serialize;
use strata_schema::{Check, Column, EnumType, ForeignKey, Index, PrimaryKey, Table};

/// ColumnChanges says which attributes of a column differ, so renderers emit only what is needed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ColumnChanges {
    pub ty: bool,
    pub nullable: bool,
    pub default: bool,
    pub identity: bool,
    pub generated: bool,
    /// MySQL's `ON UPDATE CURRENT_TIMESTAMP`.
    pub on_update: bool,
    pub collation: bool,
    pub comment: bool,
}

impl ColumnChanges {
    /// Any is true when at least one attribute differs.
    pub fn any(&self) -> bool {
        self.ty
            || self.nullable
            || self.default
            || self.identity
            || self.generated
            || self.on_update
            || self.collation
            || self.comment
    }

    /// Names of the changed attributes, for plan output.
    pub fn names(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for (on, name) in [
            (self.ty, "type"),
            (self.nullable, "nullable"),
            (self.default, "default"),
            (self.identity, "identity"),
            (self.generated, "generated"),
            (self.on_update, "on update"),
            (self.collation, "collation"),
            (self.comment, "comment"),
        ] {
            if on {
                out.push(name);
            }
        }
        out
    }
}

/// Change is one schema change. `schema` is always the schema of the table (or type) changed.
/// `from` is the live object, `to` the desired one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    CreateSchema {
        schema: String,
    },
    CreateEnum {
        schema: String,
        to: EnumType,
    },
    DropEnum {
        schema: String,
        from: EnumType,
    },
    /// Values appended or inserted; removal or reordering is a [`Change::DropEnum`] +
    /// [`Change::CreateEnum`] pair decided by the differ.
    AlterEnum {
        schema: String,
        from: EnumType,
        to: EnumType,
    },
    /// CREATE TABLE with its columns, keys, checks, indexes and the foreign keys in `to`.
    /// The planner may move foreign keys out into [`Change::AddForeignKey`] to break cycles.
    CreateTable {
        schema: String,
        to: Table,
    },
    DropTable {
        schema: String,
        from: Table,
    },
    AddColumn {
        schema: String,
        table: String,
        to: Column,
    },
    DropColumn {
        schema: String,
        table: String,
        from: Column,
    },
    ModifyColumn {
        schema: String,
        table: String,
        from: Column,
        to: Column,
        changes: ColumnChanges,
    },
    RenameColumn {
        schema: String,
        table: String,
        from: String,
        to: String,
    },
    AddPrimaryKey {
        schema: String,
        table: String,
        to: PrimaryKey,
    },
    DropPrimaryKey {
        schema: String,
        table: String,
        from: PrimaryKey,
    },
    AddIndex {
        schema: String,
        table: String,
        to: Index,
    },
    DropIndex {
        schema: String,
        table: String,
        from: Index,
    },
    AddForeignKey {
        schema: String,
        table: String,
        to: ForeignKey,
    },
    DropForeignKey {
        schema: String,
        table: String,
        from: ForeignKey,
    },
    AddCheck {
        schema: String,
        table: String,
        to: Check,
    },
    DropCheck {
        schema: String,
        table: String,
        from: Check,
    },
    SetTableComment {
        schema: String,
        table: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// Recreate a table in its new shape, keeping its rows: SQLite's table-rebuild procedure,
    /// used for the changes SQLite's ALTER TABLE cannot make. `from` is the live table, `to` the
    /// desired one; columns present in both are copied.
    RebuildTable {
        schema: String,
        from: Table,
        to: Table,
    },
}

impl Change {
    /// The schema this change happens in.
    pub fn schema(&self) -> &str {
        use Change::*;
        match self {
            CreateSchema { schema }
            | CreateEnum { schema, .. }
            | DropEnum { schema, .. }
            | AlterEnum { schema, .. }
            | CreateTable { schema, .. }
            | DropTable { schema, .. }
            | AddColumn { schema, .. }
            | DropColumn { schema, .. }
            | ModifyColumn { schema, .. }
            | RenameColumn { schema, .. }
            | AddPrimaryKey { schema, .. }
            | DropPrimaryKey { schema, .. }
            | AddIndex { schema, .. }
            | DropIndex { schema, .. }
            | AddForeignKey { schema, .. }
            | DropForeignKey { schema, .. }
            | AddCheck { schema, .. }
            | DropCheck { schema, .. }
            | SetTableComment { schema, .. }
            | RebuildTable { schema, .. } => schema,
        }
    }

    /// The table this change belongs to, if any.
    pub fn table(&self) -> Option<&str> {
        use Change::*;
        match self {
            CreateSchema { .. } | CreateEnum { .. } | DropEnum { .. } | AlterEnum { .. } => None,
            CreateTable { to, .. } => Some(&to.name),
            DropTable { from, .. } => Some(&from.name),
            RebuildTable { to, .. } => Some(&to.name),
            AddColumn { table, .. }
            | DropColumn { table, .. }
            | ModifyColumn { table, .. }
            | RenameColumn { table, .. }
            | AddPrimaryKey { table, .. }
            | DropPrimaryKey { table, .. }
            | AddIndex { table, .. }
            | DropIndex { table, .. }
            | AddForeignKey { table, .. }
            | DropForeignKey { table, .. }
            | AddCheck { table, .. }
            | DropCheck { table, .. }
            | SetTableComment { table, .. } => Some(table),
        }
    }
}
