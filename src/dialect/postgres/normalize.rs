//! Normalisation into the form PostgreSQL's catalog reports, applied to the desired and the
//! live schema alike so that equal schemas are equal values:
//!
//! - names PostgreSQL gives unnamed keys, indexes and checks (see [`super::naming`]);
//! - primary-key, identity and serial columns are NOT NULL; identity, serial and generated
//!   columns have no separate default;
//! - expressions (defaults, checks, predicates, index keys, generated columns) with typed
//!   literals (`interval '1 day'`) turned into the literal alone and BETWEEN expanded, as the
//!   catalog stores them; they stay executable (casts kept), because the planner renders the
//!   normalised desired schema. The differ compares them by `crate::expr::canonical`;
//! - defaults spelled as the server stores them: `DEFAULT NULL` is no default, numbers and
//!   booleans written as strings are plain literals;
//! - user-defined types in the table's own schema by bare name; `btree`, the default index
//!   method, as no method; foreign keys to the same schema without `ref_schema`;
//! - indexes, foreign keys and checks sorted by name.

use super::naming;
use crate::dialect::Side;
use crate::expr::canonical;
use sqlparser::ast::{BinaryOperator, Expr, visit_expressions_mut};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;
use strata_schema::Dialect::Postgres;
use strata_schema::{Column, Database, IndexKey, Schema, Table, Type};

/// Rewrite `db` into canonical form. Idempotent.
pub fn normalize(db: &mut Database, side: Side) {
    for schema in db.schemas.values_mut() {
        truncate_names(schema);
    }
    let primary_keys = primary_keys(db);
    for schema in db.schemas.values_mut() {
        normalize_schema(schema, &primary_keys);
    }
    if side == Side::Live {
        drop_default_casts(db);
        unqualify_own_casts(db);
    }
}

/// The catalog prints casts to the table's own schema's types qualified when that schema is not
/// on the search path (`'draft'::app.state`); unqualified, the text means the same in that
/// schema and stays valid wherever the table is re-created (inspect output, tests' copies).
fn unqualify_own_casts(db: &mut Database) {
    for schema in db.schemas.values_mut() {
        let prefixes = [
            format!("::{}.", schema.name),
            format!("::\"{}\".", schema.name.replace('"', "\"\"")),
        ];
        let fix = |text: &mut String| {
            for p in &prefixes {
                if text.contains(p.as_str()) {
                    *text = text.replace(p.as_str(), "::");
                }
            }
        };
        for table in schema.tables.values_mut() {
            table.checks.iter_mut().for_each(|c| fix(&mut c.expr));
            for column in &mut table.columns {
                if let Some(g) = &mut column.generated {
                    fix(&mut g.expr);
                }
            }
            for index in &mut table.indexes {
                if let Some(p) = &mut index.predicate {
                    fix(p);
                }
                for part in &mut index.parts {
                    if let IndexKey::Expr(e) = &mut part.key {
                        fix(e);
                    }
                }
            }
        }
    }
}

/// The catalog casts every default to its column's type, qualified by schema when that is not
/// on the search path (`'ok'::app.mood`). A literal in a DEFAULT is cast on assignment anyway,
/// so the canonical form (casts dropped) is as executable and does not tie `inspect` output
/// or a copied table to the schema it was read from.
fn drop_default_casts(db: &mut Database) {
    for schema in db.schemas.values_mut() {
        for table in schema.tables.values_mut() {
            for column in &mut table.columns {
                column.default = column.default.take().map(|d| canonical(Postgres, &d));
            }
        }
    }
}

/// Primary-key columns of every table, by (schema, table), so foreign keys written as
/// `REFERENCES users` can name the columns they point at.
fn primary_keys(db: &Database) -> BTreeMap<(String, String), Vec<String>> {
    db.tables()
        .filter_map(|(s, t)| {
            let pk = t.primary_key.as_ref()?;
            Some(((s.to_string(), t.name.clone()), pk.columns.clone()))
        })
        .collect()
}

/// PostgreSQL keeps the first 63 bytes of a longer identifier (with a notice), so a model
/// that spells the whole name means the truncated one.
fn truncate_names(schema: &mut Schema) {
    let cut = |name: &mut String| *name = naming::truncate(name).to_string();
    let cut_all = |names: &mut Vec<String>| names.iter_mut().for_each(cut);
    let enums = std::mem::take(&mut schema.enums);
    for (_, mut e) in enums {
        cut(&mut e.name);
        schema.enums.insert(e.name.clone(), e);
    }
    let tables = std::mem::take(&mut schema.tables);
    for (_, mut t) in tables {
        cut(&mut t.name);
        t.columns.iter_mut().for_each(|c| cut(&mut c.name));
        if let Some(pk) = &mut t.primary_key {
            pk.name.iter_mut().for_each(cut);
            cut_all(&mut pk.columns);
        }
        for index in &mut t.indexes {
            cut(&mut index.name);
            for part in &mut index.parts {
                if let IndexKey::Column(c) = &mut part.key {
                    cut(c);
                }
            }
        }
        for fk in &mut t.foreign_keys {
            cut(&mut fk.name);
            cut(&mut fk.ref_table);
            cut_all(&mut fk.columns);
            cut_all(&mut fk.ref_columns);
        }
        t.checks.iter_mut().for_each(|c| cut(&mut c.name));
        schema.tables.insert(t.name.clone(), t);
    }
}

fn normalize_schema(schema: &mut Schema, primary_keys: &BTreeMap<(String, String), Vec<String>>) {
    let enums: BTreeSet<String> = schema.enums.keys().cloned().collect();
    // Index names share the schema's relation namespace with tables; constraint names are
    // chosen to be unique in the schema too.
    let mut relations: BTreeSet<String> = schema.tables.keys().cloned().collect();
    let mut constraints = BTreeSet::new();
    for t in schema.tables.values() {
        relations.extend(t.indexes.iter().map(|i| i.name.clone()));
        relations.extend(t.primary_key.as_ref().and_then(|p| p.name.clone()));
        constraints.extend(t.foreign_keys.iter().map(|f| f.name.clone()));
        constraints.extend(t.checks.iter().map(|c| c.name.clone()));
    }
    let name = schema.name.clone();
    for table in schema.tables.values_mut() {
        for column in &mut table.columns {
            normalize_column(column, &name, &enums);
        }
        name_objects(table, &mut relations, &mut constraints);
        normalize_keys(table, &name, primary_keys);
    }
}

fn normalize_column(column: &mut Column, schema: &str, enums: &BTreeSet<String>) {
    column.ty = resolve_type(
        std::mem::replace(&mut column.ty, Type::Boolean),
        schema,
        enums,
    );
    column.collation = column
        .collation
        .take()
        .map(|c| unquote(&c))
        .filter(|c| c != "default");
    if column.identity.is_some() {
        column.nullable = false;
        column.default = None;
    }
    if let Some(g) = &mut column.generated {
        g.expr = expression(&g.expr);
        column.default = None;
    }
    column.default = column
        .default
        .take()
        .and_then(|d| default_value(&column.ty, &d));
}

/// User-defined types by bare name when they live in `schema`; a name the type parser could
/// not place that names one of the schema's enums is that enum.
fn resolve_type(ty: Type, schema: &str, enums: &BTreeSet<String>) -> Type {
    match ty {
        Type::UserDefined { name } => {
            let bare = name
                .strip_prefix(schema)
                .and_then(|rest| rest.strip_prefix('.'))
                .map(str::to_string)
                .unwrap_or(name);
            Type::UserDefined { name: bare }
        }
        Type::Other { name } if enums.contains(&name) => Type::UserDefined { name },
        Type::Array { element } => Type::Array {
            element: Box::new(resolve_type(*element, schema, enums)),
        },
        other => other,
    }
}

/// A default as the server keeps it: none for NULL, literals of the column's own type unquoted.
fn default_value(ty: &Type, text: &str) -> Option<String> {
    let text = expression(text);
    let canon = canonical(Postgres, &text);
    if canon.eq_ignore_ascii_case("null") {
        return None;
    }
    if *ty == Type::Boolean {
        let lower = canon.trim_matches('\'').to_ascii_lowercase();
        if ["t", "true", "y", "yes", "on", "1"].contains(&lower.as_str()) {
            return Some("true".into());
        }
        if ["f", "false", "n", "no", "off", "0"].contains(&lower.as_str()) {
            return Some("false".into());
        }
    }
    Some(text)
}

/// An expression as PostgreSQL stores it, still executable: typed literals become plain
/// literals and BETWEEN is expanded; whitespace is collapsed.
pub(super) fn expression(text: &str) -> String {
    let text = expand_between(&strip_typed_literals(text));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `x BETWEEN a AND b` → `(x >= a AND x <= b)` and `x NOT BETWEEN a AND b` →
/// `(x < a OR x > b)`: PostgreSQL's parser expands BETWEEN, so the catalog never shows it.
/// Text that does not parse is returned unchanged.
fn expand_between(text: &str) -> String {
    // Most expressions have no BETWEEN; parsing each of them (every default and check of the
    // live schema) was a twentieth of a plan's time at 5,000 tables.
    if !text.to_ascii_lowercase().contains("between") {
        return text.to_string();
    }
    let dialect = PostgreSqlDialect {};
    let Ok(mut expr) = Parser::new(&dialect)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr())
    else {
        return text.to_string();
    };
    let mut found = false;
    let _ = visit_expressions_mut(&mut expr, |e| {
        if let Expr::Between {
            expr,
            negated,
            low,
            high,
        } = e
        {
            let (lower, upper, join) = if *negated {
                (BinaryOperator::Lt, BinaryOperator::Gt, BinaryOperator::Or)
            } else {
                (
                    BinaryOperator::GtEq,
                    BinaryOperator::LtEq,
                    BinaryOperator::And,
                )
            };
            let side = |op, bound: &Expr| Expr::BinaryOp {
                left: expr.clone(),
                op,
                right: Box::new(bound.clone()),
            };
            *e = Expr::Nested(Box::new(Expr::BinaryOp {
                left: Box::new(side(lower, low)),
                op: join,
                right: Box::new(side(upper, high)),
            }));
            found = true;
        }
        ControlFlow::<()>::Continue(())
    });
    if found {
        expr.to_string()
    } else {
        text.to_string()
    }
}

/// Drop the type keyword of typed literals (`interval '1 day'` → `'1 day'`), outside strings
/// and quoted identifiers.
fn strip_typed_literals(text: &str) -> String {
    const TYPED: [&str; 5] = ["interval", "date", "timestamptz", "timestamp", "time"];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\'' || c == '"' {
            let end = quoted_end(rest, c);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let end = rest
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$'))
                .unwrap_or(rest.len());
            let word = &rest[..end];
            let after = rest[end..].trim_start();
            if TYPED.iter().any(|t| t.eq_ignore_ascii_case(word)) && after.starts_with('\'') {
                rest = after;
            } else {
                out.push_str(word);
                rest = &rest[end..];
            }
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Byte length of the quoted token at the start of `s` (doubled quotes escape).
fn quoted_end(s: &str, quote: char) -> usize {
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            if chars.peek().is_some_and(|(_, n)| *n == quote) {
                chars.next();
            } else {
                return i + 1;
            }
        }
    }
    s.len()
}

/// `"Name"` → `Name`: collations and identifiers in the model are stored unquoted.
fn unquote(s: &str) -> String {
    match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => s.to_string(),
    }
}

/// Fill in the names PostgreSQL would choose for unnamed objects, and canonicalise what the
/// names depend on first (index expressions name the index).
fn name_objects(
    table: &mut Table,
    relations: &mut BTreeSet<String>,
    constraints: &mut BTreeSet<String>,
) {
    let t = table.name.clone();
    if let Some(pk) = &mut table.primary_key
        && pk.name.is_none()
    {
        pk.name = Some(naming::choose(relations, &t, None, "pkey"));
    }
    let columns: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    for index in &mut table.indexes {
        for part in &mut index.parts {
            if let IndexKey::Expr(e) = &part.key {
                let text = expression(e);
                let canon = canonical(Postgres, &text);
                part.key = match columns.iter().find(|c| unquote(&canon) == **c) {
                    Some(c) => IndexKey::Column(c.clone()),
                    None => IndexKey::Expr(text),
                };
            }
        }
        if index.name.is_empty() {
            let names: Vec<String> = index.parts.iter().map(naming::index_part_name).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let label = if index.constraint { "key" } else { "idx" };
            index.name = naming::choose(relations, &t, Some(&naming::joined(&names)), label);
        }
    }
    for fk in &mut table.foreign_keys {
        if fk.name.is_empty() {
            let cols: Vec<&str> = fk.columns.iter().map(String::as_str).collect();
            fk.name = naming::choose(constraints, &t, Some(&naming::joined(&cols)), "fkey");
        }
    }
    for check in &mut table.checks {
        check.expr = expression(&check.expr);
        if check.name.is_empty() {
            let used = referenced_columns(&check.expr, &columns);
            let only = (used.len() == 1).then(|| used[0].as_str());
            check.name = naming::choose(constraints, &t, only, "check");
        }
    }
}

/// Columns of the table that `expr` mentions, in table order (PostgreSQL names a check after
/// its column when it references exactly one).
fn referenced_columns(expr: &str, columns: &[String]) -> Vec<String> {
    let mut words = BTreeSet::new();
    let mut rest = expr;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            rest = &rest[quoted_end(rest, c)..];
        } else if c == '"' {
            let end = quoted_end(rest, c);
            words.insert(unquote(&rest[..end]));
            rest = &rest[end..];
        } else if c.is_alphabetic() || c == '_' {
            let end = rest
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$'))
                .unwrap_or(rest.len());
            words.insert(rest[..end].to_lowercase());
            rest = &rest[end..];
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
    columns
        .iter()
        .filter(|c| words.contains(*c))
        .cloned()
        .collect()
}

/// Keys, indexes and checks in the catalog's form and a stable order.
fn normalize_keys(
    table: &mut Table,
    schema: &str,
    primary_keys: &BTreeMap<(String, String), Vec<String>>,
) {
    if let Some(pk) = &table.primary_key {
        for column in &mut table.columns {
            if pk.columns.contains(&column.name) {
                column.nullable = false;
            }
        }
    }
    for index in &mut table.indexes {
        index.method = index
            .method
            .take()
            .map(|m| m.to_lowercase())
            .filter(|m| m != "btree");
        index.predicate = index.predicate.take().map(|p| expression(&p));
        if index.constraint {
            index.unique = true;
        }
        for part in &mut index.parts {
            part.opclass = part.opclass.take().map(|o| o.to_lowercase());
            part.collation = part.collation.take().map(|c| unquote(&c));
        }
    }
    for fk in &mut table.foreign_keys {
        if fk.ref_schema.as_deref() == Some(schema) {
            fk.ref_schema = None;
        }
        if fk.ref_columns.is_empty() {
            let target = (
                fk.ref_schema.clone().unwrap_or_else(|| schema.to_string()),
                fk.ref_table.clone(),
            );
            fk.ref_columns = primary_keys.get(&target).cloned().unwrap_or_default();
        }
    }
    table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    table.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
    table.checks.sort_by(|a, b| a.name.cmp(&b.name));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_literals_lose_their_type_keyword_outside_strings() {
        assert_eq!(
            strip_typed_literals("now() + interval '1 day'"),
            "now() + '1 day'"
        );
        assert_eq!(
            strip_typed_literals("'date ''x''' || date"),
            "'date ''x''' || date"
        );
        assert_eq!(strip_typed_literals("DATE '2020-01-01'"), "'2020-01-01'");
    }

    #[test]
    fn catalog_defaults_match_what_users_write() {
        let int = Type::Integer {
            bytes: 4,
            unsigned: false,
        };
        let same = |ty: &Type, a: &str, b: &str| {
            let canon = |t: &str| default_value(ty, t).map(|d| canonical(Postgres, &d));
            assert_eq!(canon(a), canon(b), "{a} vs {b}");
        };
        same(&int, "'-1'::integer", "-1");
        same(
            &Type::Varchar { length: Some(5) },
            "'x'::character varying",
            "'x'",
        );
        same(
            &Type::Timestamp {
                precision: None,
                tz: true,
            },
            "now()",
            "CURRENT_TIMESTAMP",
        );
        same(
            &Type::Timestamp {
                precision: None,
                tz: true,
            },
            "(now() + '1 day'::interval)",
            "now() + interval '1 day'",
        );
        same(&Type::Boolean, "true", "'t'");
        same(
            &int,
            "char_length(s) >= 4 AND char_length(s) <= 32",
            "char_length(s) BETWEEN 4 AND 32",
        );
        same(&int, "((n < 1) OR (n > 9))", "n NOT BETWEEN 1 AND 9");
        assert_eq!(default_value(&int, "NULL"), None);
    }

    #[test]
    fn check_columns_are_found_outside_strings() {
        let cols = vec!["price".to_string(), "status".to_string()];
        assert_eq!(
            referenced_columns("price > 0 AND 'status' <> ''", &cols),
            vec!["price"]
        );
        assert_eq!(referenced_columns("\"price\" < status", &cols).len(), 2);
    }
}
