//! Merging sources into one desired schema. Tables and enums may come from any source, but
//! each from one only: a second definition is an error naming both origins. Foreign keys
//! written `REFERENCES t` (no columns) are resolved here, once every table is known.

use super::origin::{Key, Loaded, Origin};
use crate::error::Error;
use std::collections::BTreeMap;
use strata_schema::Database;

/// Move everything in `from` into `into`.
pub fn merge(into: &mut Loaded, from: Loaded) -> Result<(), Error> {
    conflict("table", &into.tables, &from.tables)?;
    conflict("type", &into.enums, &from.enums)?;
    into.tables.extend(from.tables);
    into.enums.extend(from.enums);
    into.warnings.extend(from.warnings);
    for (name, schema) in from.database.schemas {
        let target = into.database.schema_mut(&name);
        target.tables.extend(schema.tables);
        target.enums.extend(schema.enums);
    }
    Ok(())
}

fn conflict(
    kind: &str,
    ours: &BTreeMap<Key, Origin>,
    theirs: &BTreeMap<Key, Origin>,
) -> Result<(), Error> {
    match theirs
        .iter()
        .find_map(|(key, second)| ours.get(key).map(|first| (key, first, second)))
    {
        Some(((schema, name), first, second)) => Err(Error::Source(format!(
            "{kind} {schema}.{name} is defined in two sources: at {first} and at {second}; keep one definition"
        ))),
        None => Ok(()),
    }
}

/// Fill in the referenced columns of foreign keys written without them: SQL takes them to
/// be the referenced table's primary key.
pub fn resolve_implicit_references(loaded: &mut Loaded) -> Result<(), Error> {
    let primary_keys = primary_keys(&loaded.database);
    for (schema_name, schema) in loaded.database.schemas.iter_mut() {
        for table in schema.tables.values_mut() {
            for fk in table
                .foreign_keys
                .iter_mut()
                .filter(|fk| fk.ref_columns.is_empty())
            {
                let target = (
                    fk.ref_schema.clone().unwrap_or_else(|| schema_name.clone()),
                    fk.ref_table.clone(),
                );
                let origin = loaded
                    .tables
                    .get(&(schema_name.clone(), table.name.clone()));
                let at = origin
                    .map(|o| format!(" (table defined at {o})"))
                    .unwrap_or_default();
                let columns = primary_keys.get(&target).ok_or_else(|| {
                    Error::Source(format!(
                        "foreign key on {schema_name}.{} references {}.{} without naming columns, and that table {}{at}",
                        table.name,
                        target.0,
                        target.1,
                        if loaded.tables.contains_key(&target) { "has no primary key" } else { "is not defined" },
                    ))
                })?;
                if columns.len() != fk.columns.len() {
                    return Err(Error::Source(format!(
                        "foreign key on {schema_name}.{} has {} columns but the primary key of {}.{} has {}{at}",
                        table.name,
                        fk.columns.len(),
                        target.0,
                        target.1,
                        columns.len()
                    )));
                }
                fk.ref_columns = columns.clone();
            }
        }
    }
    Ok(())
}

fn primary_keys(db: &Database) -> BTreeMap<Key, Vec<String>> {
    db.tables()
        .filter_map(|(schema, t)| {
            t.primary_key
                .as_ref()
                .map(|pk| ((schema.to_string(), t.name.clone()), pk.columns.clone()))
        })
        .collect()
}
