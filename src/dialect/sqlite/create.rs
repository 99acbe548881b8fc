//! The text of `CREATE TABLE` and `CREATE INDEX` for a model table: shared by table creation
//! and the table rebuild, which creates the new shape under a temporary name.

use strata_schema::Dialect::Sqlite;
use strata_schema::{
    Column, Deferrable, ForeignKey, Identity, Index, IndexKey, IndexPart, PrimaryKey, Table,
};

fn q(ident: &str) -> String {
    Sqlite.quote(ident)
}

fn quoted_list(names: &[String]) -> String {
    names.iter().map(|n| q(n)).collect::<Vec<_>>().join(", ")
}

/// `CREATE TABLE "name" (…)` holding `table`'s columns, primary key, UNIQUE constraints,
/// foreign keys, checks and options. Indexes that are not constraints are separate statements
/// ([`index`]).
pub fn table(name: &str, table: &Table) -> String {
    let inline_pk = inline_primary_key(table);
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| column(c, inline_pk.filter(|pk| pk.columns[0] == c.name)))
        .collect();
    if let Some(pk) = table.primary_key.as_ref().filter(|_| inline_pk.is_none()) {
        lines.push(format!(
            "{}PRIMARY KEY ({})",
            constraint_name(pk.name.as_deref()),
            quoted_list(&pk.columns)
        ));
    }
    for index in table.indexes.iter().filter(|i| i.constraint) {
        let parts: Vec<String> = index.parts.iter().map(part).collect();
        lines.push(format!("UNIQUE ({})", parts.join(", ")));
    }
    lines.extend(table.foreign_keys.iter().map(foreign_key));
    for check in &table.checks {
        lines.push(format!(
            "{}CHECK ({})",
            constraint_name(Some(&check.name)),
            check.expr
        ));
    }
    let mut options = Vec::new();
    if table.options.contains_key("strict") {
        options.push("STRICT");
    }
    if table.options.contains_key("without_rowid") {
        options.push("WITHOUT ROWID");
    }
    let tail = if options.is_empty() {
        String::new()
    } else {
        format!(" {}", options.join(", "))
    };
    format!(
        "CREATE TABLE {} (\n  {}\n){tail}",
        q(name),
        lines.join(",\n  ")
    )
}

/// The column that carries the primary key inline: AUTOINCREMENT is only accepted as
/// `INTEGER PRIMARY KEY AUTOINCREMENT` on the column itself.
fn inline_primary_key(table: &Table) -> Option<&PrimaryKey> {
    let pk = table.primary_key.as_ref()?;
    let [only] = pk.columns.as_slice() else {
        return None;
    };
    let column = table.column(only)?;
    (column.identity == Some(Identity::AutoIncrement)).then_some(pk)
}

fn constraint_name(name: Option<&str>) -> String {
    match name.filter(|n| !n.is_empty()) {
        Some(n) => format!("CONSTRAINT {} ", q(n)),
        None => String::new(),
    }
}

/// One column definition, as in CREATE TABLE and ALTER TABLE … ADD COLUMN; `primary_key` is
/// the key when the column carries it inline (as `INTEGER PRIMARY KEY AUTOINCREMENT`).
pub fn column(column: &Column, primary_key: Option<&PrimaryKey>) -> String {
    let mut sql = q(&column.name);
    let ty = if primary_key.is_some() {
        "INTEGER".to_string()
    } else {
        column.ty.sql(Sqlite)
    };
    if !ty.is_empty() {
        sql = format!("{sql} {ty}");
    }
    if !column.nullable {
        sql.push_str(" NOT NULL");
    }
    if let Some(pk) = primary_key {
        sql = format!(
            "{sql} {}PRIMARY KEY AUTOINCREMENT",
            constraint_name(pk.name.as_deref())
        );
    }
    if let Some(default) = &column.default {
        sql = format!("{sql} DEFAULT {}", default_value(default));
    }
    if let Some(collation) = &column.collation {
        sql = format!("{sql} COLLATE {}", q(collation));
    }
    if let Some(generated) = &column.generated {
        let kind = if generated.stored {
            "STORED"
        } else {
            "VIRTUAL"
        };
        sql = format!("{sql} GENERATED ALWAYS AS ({}) {kind}", generated.expr);
    }
    sql
}

/// A default as DEFAULT accepts it: literals bare, anything else in parentheses.
pub fn default_value(text: &str) -> String {
    if is_literal(text) || is_time_keyword(text) {
        text.to_string()
    } else {
        format!("({text})")
    }
}

/// True for CURRENT_TIME, CURRENT_DATE and CURRENT_TIMESTAMP, which DEFAULT takes bare but
/// ADD COLUMN refuses.
pub fn is_time_keyword(text: &str) -> bool {
    ["CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"]
        .iter()
        .any(|k| text.trim().eq_ignore_ascii_case(k))
}

/// True for a constant literal: number, string, blob, NULL, TRUE or FALSE.
pub fn is_literal(text: &str) -> bool {
    let t = text.trim();
    if ["NULL", "TRUE", "FALSE"]
        .iter()
        .any(|k| t.eq_ignore_ascii_case(k))
    {
        return true;
    }
    let string = |s: &str| {
        s.len() >= 2
            && s.starts_with('\'')
            && s.ends_with('\'')
            && !s[1..s.len() - 1].replace("''", "").contains('\'')
    };
    if string(t) || (t.len() > 1 && t[..1].eq_ignore_ascii_case("x") && string(&t[1..])) {
        return true;
    }
    let unsigned = t.strip_prefix(['-', '+']).unwrap_or(t);
    let hex = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
        .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()));
    hex || (unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned.parse::<f64>().is_ok())
}

fn part(part: &IndexPart) -> String {
    let mut sql = match &part.key {
        IndexKey::Column(c) => q(c),
        IndexKey::Expr(e) => e.clone(),
    };
    if let Some(collation) = &part.collation {
        sql = format!("{sql} COLLATE {}", q(collation));
    }
    if part.desc {
        sql.push_str(" DESC");
    }
    sql
}

fn foreign_key(fk: &ForeignKey) -> String {
    let mut sql = format!(
        "{}FOREIGN KEY ({}) REFERENCES {}",
        constraint_name(Some(&fk.name)),
        quoted_list(&fk.columns),
        q(&fk.ref_table)
    );
    if !fk.ref_columns.is_empty() {
        sql = format!("{sql} ({})", quoted_list(&fk.ref_columns));
    }
    for (clause, action) in [("DELETE", fk.on_delete), ("UPDATE", fk.on_update)] {
        if action != Default::default() {
            sql = format!("{sql} ON {clause} {}", action.sql());
        }
    }
    match fk.deferrable {
        Deferrable::InitiallyDeferred => sql.push_str(" DEFERRABLE INITIALLY DEFERRED"),
        Deferrable::InitiallyImmediate => sql.push_str(" DEFERRABLE INITIALLY IMMEDIATE"),
        Deferrable::NotDeferrable => {}
    }
    sql
}

/// `CREATE [UNIQUE] INDEX "name" ON "table" (…) [WHERE …]`.
pub fn index(table: &str, index: &Index) -> String {
    let unique = if index.unique { "UNIQUE " } else { "" };
    let parts: Vec<String> = index.parts.iter().map(part).collect();
    let mut sql = format!(
        "CREATE {unique}INDEX {} ON {} ({})",
        q(&index.name),
        q(table),
        parts.join(", ")
    );
    if let Some(predicate) = &index.predicate {
        sql = format!("{sql} WHERE {predicate}");
    }
    sql
}
