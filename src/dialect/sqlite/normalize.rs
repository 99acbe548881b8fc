//! Normalisation into the form SQLite's catalog reports, applied alike to the desired and the
//! live schema so that a table and the table SQLite created from it compare equal.
//!
//! SQLite keeps declared types verbatim, has no comments, enums, index methods or operator
//! classes, cannot name UNIQUE constraints (their indexes are `sqlite_autoindex_<t>_<n>`), and
//! reports defaults without their outer parentheses. Everything here maps a spelling SQLite
//! cannot tell apart onto one value.

use super::ddl;
use crate::dialect::Side;
use crate::expr::canonical;
use sqlparser::keywords::ALL_KEYWORDS;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use strata_schema::Dialect::Sqlite;
use strata_schema::{Column, Database, Deferrable, Identity, Index, IndexKey, Table, Type};

/// Rewrite `db` into canonical form. Both sides get the same treatment: every rule maps
/// spellings the catalog cannot distinguish onto the one the catalog reports.
pub fn normalize(db: &mut Database, _side: Side) {
    for schema in db.schemas.values_mut() {
        // SQLite has no named types; ORMs spell enums as TEXT with a CHECK.
        schema.enums.clear();
        let primary_keys: BTreeMap<String, Vec<String>> = schema
            .tables
            .values()
            .filter_map(|t| {
                Some((
                    t.name.to_lowercase(),
                    t.primary_key.as_ref()?.columns.clone(),
                ))
            })
            .collect();
        for table in schema.tables.values_mut() {
            normalize_table(table, &schema.name, &primary_keys);
        }
    }
}

fn normalize_table(table: &mut Table, schema: &str, primary_keys: &BTreeMap<String, Vec<String>>) {
    table.comment = None;
    table.options = std::mem::take(&mut table.options)
        .into_iter()
        .filter(|(k, v)| {
            matches!(k.as_str(), "strict" | "without_rowid")
                && !matches!(v.to_ascii_lowercase().as_str(), "false" | "0" | "")
        })
        .map(|(k, _)| (k, "true".to_string()))
        .collect();
    let key_columns: Vec<String> = table
        .primary_key
        .iter()
        .flat_map(|pk| pk.columns.clone())
        .collect();
    for column in &mut table.columns {
        normalize_column(column);
        // Only an INTEGER PRIMARY KEY (the rowid) or a WITHOUT ROWID key truly refuses NULL;
        // other keys accept it by a legacy quirk no schema relies on, and ORMs declare every
        // key column NOT NULL. Treating key columns as NOT NULL keeps both spellings equal.
        if key_columns
            .iter()
            .any(|k| k.eq_ignore_ascii_case(&column.name))
        {
            column.nullable = false;
        }
        // AUTOINCREMENT exists only as `INTEGER PRIMARY KEY AUTOINCREMENT`: other identities
        // cannot be created, and that column always reports INTEGER.
        let sole_key = key_columns.len() == 1 && key_columns[0].eq_ignore_ascii_case(&column.name);
        if column.identity.is_some() {
            column.identity = sole_key.then_some(Identity::AutoIncrement);
            if sole_key {
                column.ty = Type::Integer {
                    bytes: 4,
                    unsigned: false,
                };
            }
        }
    }
    for index in &mut table.indexes {
        normalize_index(index);
    }
    index_collations(table);
    table.indexes.sort_by(index_order);
    for fk in &mut table.foreign_keys {
        if fk.ref_schema.as_deref() == Some(schema) {
            fk.ref_schema = None;
        }
        if fk.ref_columns.is_empty()
            && let Some(pk) = primary_keys.get(&fk.ref_table.to_lowercase())
        {
            fk.ref_columns = pk.clone();
        }
        // SQLite checks a DEFERRABLE INITIALLY IMMEDIATE key exactly like a non-deferrable one.
        if fk.deferrable == Deferrable::InitiallyImmediate {
            fk.deferrable = Deferrable::NotDeferrable;
        }
    }
    table.foreign_keys.sort_by(|a, b| {
        (&a.name, &a.columns, &a.ref_table, &a.ref_columns).cmp(&(
            &b.name,
            &b.columns,
            &b.ref_table,
            &b.ref_columns,
        ))
    });
    for check in &mut table.checks {
        check.expr = sql_text(&check.expr);
    }
    table
        .checks
        .sort_by(|a, b| (&a.name, &a.expr).cmp(&(&b.name, &b.expr)));
}

fn normalize_column(column: &mut Column) {
    // The catalog reports the declared text, which is what the type prints as.
    column.ty = Type::parse(Sqlite, &column.ty.sql(Sqlite));
    column.comment = None;
    column.collation = column.collation.take().and_then(collation);
    if let Some(generated) = &mut column.generated {
        generated.expr = sql_text(&generated.expr);
        column.default = None;
    }
    column.default = column
        .default
        .take()
        .map(|d| sql_text(strip_outer_parens(&d)))
        .filter(|d| !d.eq_ignore_ascii_case("null"));
}

fn normalize_index(index: &mut Index) {
    // SQLite names UNIQUE constraints itself (`sqlite_autoindex_<t>_<n>`), whatever was written.
    if index.constraint {
        index.name.clear();
    }
    index.method = None;
    index.comment = None;
    index.predicate = index.predicate.take().map(|p| sql_text(&p));
    for part in &mut index.parts {
        part.length = None;
        part.opclass = None;
        if let IndexKey::Expr(expr) = &mut part.key {
            *expr = sql_text(expr);
        }
    }
}

/// Drop index-part collations that are the default for the part: the column's own collation
/// (which `pragma_index_xinfo` reports for every part) or BINARY for expressions.
pub(super) fn index_collations(table: &mut Table) {
    let columns: BTreeMap<String, Option<String>> = table
        .columns
        .iter()
        .map(|c| {
            (
                c.name.to_lowercase(),
                c.collation.clone().and_then(collation),
            )
        })
        .collect();
    for part in table.indexes.iter_mut().flat_map(|i| i.parts.iter_mut()) {
        let own = match &part.key {
            IndexKey::Column(c) => columns.get(&c.to_lowercase()).cloned().flatten(),
            IndexKey::Expr(_) => None,
        };
        part.collation = part
            .collation
            .take()
            .and_then(collation)
            .filter(|c| Some(c) != own.as_ref());
    }
}

/// A collation name as SQLite compares it (case-insensitively), `None` for the default BINARY.
fn collation(name: String) -> Option<String> {
    let upper = name.trim_matches('"').to_uppercase();
    (upper != "BINARY").then_some(upper)
}

/// `(expr)` → `expr` when the parentheses enclose the whole text, as pragma_table_xinfo reports
/// a `DEFAULT (expr)`.
fn strip_outer_parens(text: &str) -> &str {
    let t = text.trim();
    let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) else {
        return t;
    };
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in inner.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth < 0 {
                    return t;
                }
            }
            _ => {}
        }
    }
    strip_outer_parens(inner)
}

/// The canonical text of an expression, unless it quotes an identifier that cannot go
/// unquoted (a keyword, spaces, punctuation): [`canonical`] drops identifier quotes, and the
/// normalised desired schema is what gets rendered and executed. Such expressions keep their
/// spelling, with whitespace collapsed.
fn sql_text(text: &str) -> String {
    let keeps_quotes = ddl::quoted_identifiers(text).iter().any(|name| {
        let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        !plain
            || ALL_KEYWORDS
                .binary_search(&name.to_ascii_uppercase().as_str())
                .is_ok()
    });
    if keeps_quotes {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        canonical(Sqlite, text)
    }
}

/// Indexes sort by name; unnamed UNIQUE constraints then by their keys.
fn index_order(a: &Index, b: &Index) -> Ordering {
    let key = |i: &Index| {
        (
            i.name.clone(),
            format!("{:?}", i.parts),
            i.predicate.clone(),
        )
    };
    key(a).cmp(&key(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_schema::{ForeignKey, IndexPart, PrimaryKey, ReferentialAction};

    fn table() -> Table {
        let mut t = Table::new("t");
        let mut id = Column::new("id", Type::parse(Sqlite, "int"));
        id.default = Some("(NULL)".into());
        let mut name = Column::new("name", Type::Varchar { length: Some(10) });
        name.collation = Some("nocase".into());
        name.default = Some("(('a'))".into());
        name.comment = Some("shown nowhere".into());
        t.columns = vec![id, name];
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec!["id".into()],
        });
        let mut part = IndexPart::column("name");
        part.collation = Some("NOCASE".into());
        t.indexes = vec![
            Index {
                name: "z".into(),
                parts: vec![part],
                unique: false,
                constraint: false,
                predicate: None,
                method: Some("btree".into()),
                comment: None,
            },
            Index {
                name: "users_name_key".into(),
                parts: vec![IndexPart::column("name")],
                unique: true,
                constraint: true,
                predicate: None,
                method: None,
                comment: None,
            },
        ];
        t.foreign_keys = vec![ForeignKey {
            name: String::new(),
            columns: vec!["id".into()],
            ref_schema: Some("main".into()),
            ref_table: "t".into(),
            ref_columns: vec![],
            on_delete: ReferentialAction::Cascade,
            on_update: ReferentialAction::NoAction,
            deferrable: Deferrable::InitiallyImmediate,
        }];
        t.options.insert("strict".into(), "1".into());
        t.options.insert("engine".into(), "InnoDB".into());
        t
    }

    #[test]
    fn maps_indistinguishable_spellings_onto_one_and_is_idempotent() {
        let mut db = Database::default();
        db.schema_mut("main").tables.insert("t".into(), table());
        normalize(&mut db, Side::Desired);
        let t = &db.schemas["main"].tables["t"];
        assert!(!t.columns[0].nullable);
        assert_eq!(t.columns[0].default, None);
        assert_eq!(t.columns[1].default.as_deref(), Some("'a'"));
        assert_eq!(t.columns[1].collation.as_deref(), Some("NOCASE"));
        assert_eq!(t.columns[1].comment, None);
        assert_eq!(t.indexes[0].name, "");
        assert_eq!(t.indexes[1].name, "z");
        assert_eq!(t.indexes[1].parts[0].collation, None);
        assert_eq!(t.indexes[1].method, None);
        let fk = &t.foreign_keys[0];
        assert_eq!(
            (fk.ref_schema.as_deref(), fk.ref_columns.clone()),
            (None, vec!["id".to_string()])
        );
        assert_eq!(fk.deferrable, Deferrable::NotDeferrable);
        assert_eq!(
            t.options.iter().collect::<Vec<_>>(),
            vec![(&"strict".to_string(), &"true".to_string())]
        );
        assert_eq!(sql_text("(\"group\"   > 0)"), "(\"group\" > 0)");
        assert_eq!(sql_text("[Unit Price] > 0"), "[Unit Price] > 0");
        let once = db.clone();
        normalize(&mut db, Side::Live);
        assert_eq!(db, once);
    }
}
