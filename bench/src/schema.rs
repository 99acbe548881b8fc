//! The benchmark schema, as data: N tables of one fixed shape, and the "altered" variant.
//!
//! Every renderer (SQL DDL per dialect, Prisma, SQLAlchemy) reads this one description, so the
//! three forms stay the same schema by construction. Generation is a pure function of N: the same
//! N always gives the same bytes, which keeps runs comparable across commits.

/// Every how-many-th table the altered variant changes (1% of the tables).
const ALTER_EVERY: usize = 100;

/// The portable column types of the benchmark table; each renderer spells them per dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    BigInt,
    /// A bounded string; the altered variant widens one of them.
    VarChar(u32),
    Int,
    SmallInt,
    Decimal,
    Bool,
    Text,
    Timestamp,
    Double,
    Date,
}

/// A column default, in the three spellings the dialects accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Default {
    Zero,
    True,
    Now,
}

/// One column of a benchmark table.
#[derive(Clone, Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub nullable: bool,
    pub default: Option<Default>,
}

/// One benchmark table: `t{id}` with the columns below, a primary key on `id`, a unique index on
/// `code`, a composite index on `(name, created_at)`, an index on `parent_id`, a check on `qty`
/// and, from the second table on, a foreign key `parent_id -> t{id-1}(id)`: a chain as deep as
/// the schema is long, the worst case for ordering.
#[derive(Clone, Debug)]
pub struct Table {
    pub id: usize,
    pub columns: Vec<Column>,
    /// False on altered tables: the composite index was dropped.
    pub composite_index: bool,
}

/// The column the altered variant adds.
pub const EXTRA: Column = Column {
    name: "extra",
    kind: Kind::Int,
    nullable: true,
    default: None,
};

/// The column the altered variant widens, and its widened type.
pub const WIDENED: (&str, Kind) = ("name", Kind::VarChar(200));

impl Table {
    /// The table's name.
    pub fn name(&self) -> String {
        format!("t{}", self.id)
    }

    /// The referenced table's id, if the table has a foreign key.
    pub fn parent(&self) -> Option<usize> {
        (self.id > 1).then(|| self.id - 1)
    }

    /// Names of the indexes, as Prisma would name them (so the models and the DDL agree).
    pub fn unique_index(&self) -> String {
        format!("t{}_code_key", self.id)
    }
    pub fn composite_index_name(&self) -> String {
        format!("t{}_name_created_at_idx", self.id)
    }
    pub fn parent_index(&self) -> String {
        format!("t{}_parent_id_idx", self.id)
    }
    pub fn check_name(&self) -> String {
        format!("t{}_qty_check", self.id)
    }
    pub fn fk_name(&self) -> String {
        format!("t{}_parent_id_fkey", self.id)
    }
    pub fn pk_name(&self) -> String {
        format!("t{}_pkey", self.id)
    }
}

fn column(name: &'static str, kind: Kind, nullable: bool, default: Option<Default>) -> Column {
    Column {
        name,
        kind,
        nullable,
        default,
    }
}

/// The base schema of `n` tables, `t1` … `t{n}`.
pub fn generate(n: usize) -> Vec<Table> {
    (1..=n)
        .map(|id| Table {
            id,
            columns: vec![
                column("id", Kind::BigInt, false, None),
                column("code", Kind::VarChar(32), false, None),
                column("name", Kind::VarChar(100), false, None),
                column("qty", Kind::Int, false, Some(Default::Zero)),
                column("price", Kind::Decimal, false, Some(Default::Zero)),
                column("active", Kind::Bool, false, Some(Default::True)),
                column("note", Kind::Text, true, None),
                column("created_at", Kind::Timestamp, false, Some(Default::Now)),
                column("updated_at", Kind::Timestamp, true, None),
                column("ratio", Kind::Double, true, None),
                column("born_on", Kind::Date, true, None),
                column("level", Kind::SmallInt, true, None),
                column("parent_id", Kind::BigInt, true, None),
            ],
            composite_index: true,
        })
        .collect()
}

/// Whether the altered variant changes table `id`: every hundredth, at least one table.
pub fn is_altered(id: usize) -> bool {
    id % ALTER_EVERY == 1
}

/// The altered variant of `base`: on 1% of the tables a column added, the composite index
/// dropped and `name` widened.
pub fn altered(base: &[Table]) -> Vec<Table> {
    base.iter()
        .map(|t| {
            if !is_altered(t.id) {
                return t.clone();
            }
            let mut t = t.clone();
            for c in &mut t.columns {
                if c.name == WIDENED.0 {
                    c.kind = WIDENED.1;
                }
            }
            t.columns.push(EXTRA);
            t.composite_index = false;
            t
        })
        .collect()
}
