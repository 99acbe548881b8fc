//! The names MySQL gives what the DDL left unnamed, and the index InnoDB adds for a foreign
//! key, so that a desired table states what the catalog will report.
//!
//! Rules (checked against MariaDB 10.11):
//! - an unnamed index is named after its first column, with `_2`, `_3`… when that is taken;
//! - an unnamed foreign key is `<table>_ibfk_<n>`; an unnamed CHECK is `CONSTRAINT_<n>`;
//! - a foreign key whose columns do not lead an existing index (or the primary key) gets an
//!   index of its own, named after the constraint, or after its first column when the
//!   constraint was unnamed.

use std::collections::BTreeSet;
use strata_schema::{Index, IndexKey, IndexPart, Table};

/// Fill in every name the database would choose, then add the implicit foreign-key indexes.
/// Tables read from the catalog already have all of them, so this is a no-op there.
pub fn fill(table: &mut Table) {
    let mut taken: BTreeSet<String> = table.indexes.iter().map(|i| i.name.clone()).collect();
    taken.insert("PRIMARY".into());
    for index in table.indexes.iter_mut().filter(|i| i.name.is_empty()) {
        let base = match index.parts.first().map(|p| &p.key) {
            Some(IndexKey::Column(c)) => c.clone(),
            _ => "functional_index".to_string(),
        };
        index.name = free_name(&taken, &base);
        taken.insert(index.name.clone());
    }
    name_checks(table);
    let mut fk_names: BTreeSet<String> =
        table.foreign_keys.iter().map(|f| f.name.clone()).collect();
    let mut counter = 0;
    for i in 0..table.foreign_keys.len() {
        let unnamed = table.foreign_keys[i].name.is_empty();
        if unnamed {
            let name = loop {
                counter += 1;
                let candidate = format!("{}_ibfk_{counter}", table.name);
                if !fk_names.contains(&candidate) {
                    break candidate;
                }
            };
            fk_names.insert(name.clone());
            table.foreign_keys[i].name = name;
        }
        let fk = &table.foreign_keys[i];
        if is_covered(table, &fk.columns) {
            continue;
        }
        let base = match (unnamed, fk.columns.first()) {
            (true, Some(first)) => first.clone(),
            _ => fk.name.clone(),
        };
        let index = Index {
            name: free_name(&taken, &base),
            parts: fk.columns.iter().map(IndexPart::column).collect(),
            unique: false,
            constraint: false,
            predicate: None,
            method: None,
            comment: None,
        };
        taken.insert(index.name.clone());
        table.indexes.push(index);
    }
}

fn name_checks(table: &mut Table) {
    let mut taken: BTreeSet<String> = table.checks.iter().map(|c| c.name.clone()).collect();
    let mut counter = 0;
    for check in table.checks.iter_mut().filter(|c| c.name.is_empty()) {
        check.name = loop {
            counter += 1;
            let candidate = format!("CONSTRAINT_{counter}");
            if !taken.contains(&candidate) {
                break candidate;
            }
        };
        taken.insert(check.name.clone());
    }
}

/// True when an index or the primary key starts with exactly `columns` (whole columns, no
/// prefix lengths), which is what InnoDB needs to check a foreign key.
fn is_covered(table: &Table, columns: &[String]) -> bool {
    let leads = |keys: Vec<Option<&str>>| {
        keys.len() >= columns.len()
            && columns
                .iter()
                .zip(&keys)
                .all(|(c, k)| *k == Some(c.as_str()))
    };
    let pk = table
        .primary_key
        .as_ref()
        .is_some_and(|pk| leads(pk.columns.iter().map(|c| Some(c.as_str())).collect()));
    pk || table.indexes.iter().any(|index| {
        leads(
            index
                .parts
                .iter()
                .map(|p| match (&p.key, p.length) {
                    (IndexKey::Column(c), None) => Some(c.as_str()),
                    _ => None,
                })
                .collect(),
        )
    })
}

/// `base`, or `base_2`, `base_3`… whichever is not taken yet.
fn free_name(taken: &BTreeSet<String>, base: &str) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_schema::{Check, ForeignKey, PrimaryKey};

    fn fk(name: &str, columns: &[&str]) -> ForeignKey {
        ForeignKey {
            name: name.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            ref_schema: None,
            ref_table: "p".into(),
            ref_columns: vec!["id".into(); columns.len()],
            on_delete: Default::default(),
            on_update: Default::default(),
            deferrable: Default::default(),
        }
    }

    fn index(name: &str, columns: &[&str]) -> Index {
        Index {
            name: name.into(),
            parts: columns.iter().map(|c| IndexPart::column(*c)).collect(),
            unique: false,
            constraint: false,
            predicate: None,
            method: None,
            comment: None,
        }
    }

    #[test]
    fn names_follow_mariadb() {
        let mut t = Table::new("c");
        t.primary_key = Some(PrimaryKey {
            name: None,
            columns: vec!["a".into(), "b".into()],
        });
        t.indexes = vec![
            index("", &["b"]),
            index("", &["b", "n"]),
            index("x", &["n", "q"]),
        ];
        t.foreign_keys = vec![
            fk("", &["pid"]),
            fk("fk_named", &["pid2"]),
            fk("", &["a"]),
            fk("", &["n"]),
        ];
        t.checks = vec![Check {
            name: String::new(),
            expr: "a > 0".into(),
        }];
        fill(&mut t);
        let names: Vec<&str> = t.indexes.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["b", "b_2", "x", "pid", "fk_named"]);
        let fks: Vec<&str> = t.foreign_keys.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(fks, ["c_ibfk_1", "fk_named", "c_ibfk_2", "c_ibfk_3"]);
        assert_eq!(t.checks[0].name, "CONSTRAINT_1");
        let again = t.clone();
        fill(&mut t);
        assert_eq!(t, again);
    }
}
