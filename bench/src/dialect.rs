//! The three databases the benchmark covers, and what differs between them for it.

/// A database family Strata supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    Mysql,
    Sqlite,
}

impl Dialect {
    pub const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];

    /// The name used in output, JSON and `STRATA_BENCH_DIALECTS`.
    pub fn key(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
            Dialect::Sqlite => "sqlite",
        }
    }

    /// The name shown in table headings.
    pub fn title(self) -> &'static str {
        match self {
            Dialect::Postgres => "PostgreSQL",
            Dialect::Mysql => "MariaDB",
            Dialect::Sqlite => "SQLite",
        }
    }

    /// The dialect named `key` (see [`Dialect::key`]).
    pub fn parse(key: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.key() == key)
    }
}
