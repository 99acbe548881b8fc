//! GORM provider: reads a Go package of GORM v2 models statically (tree-sitter, no Go
//! toolchain) into the schema `AutoMigrate` would create for a dialect, following gorm.io/gorm
//! v1.30 and its mysql / postgres / sqlite drivers (see ../shared/orm/gorm.md).
//!
//! Pipeline: [`go_source`] reads the declarations, [`schema`] turns model structs into GORM's
//! field lists, [`relations`] resolves relationships into foreign keys and join tables, and
//! [`table`] renders each model as a table for the dialect.

mod column_type;
mod go_source;
mod go_types;
mod inflection;
mod naming;
mod relations;
mod schema;
mod table;
mod tag;

use schema::{Models, SchemaReader};
use std::path::Path;
use strata_schema::{Database, Dialect, Loaded, Location, Provider, SourceError};

/// Gorm reads GORM models.
pub struct Gorm;

impl Provider for Gorm {
    fn name(&self) -> &'static str {
        "gorm"
    }

    /// A `.go` file, or a folder of them, that imports gorm.io/gorm.
    fn detect(&self, path: &Path) -> bool {
        let needle = format!("\"{}\"", go_source::GORM_IMPORT);
        go_source::go_files(path)
            .iter()
            .any(|f| std::fs::read_to_string(f).is_ok_and(|text| text.contains(&needle)))
    }

    fn load(
        &self,
        path: &Path,
        dialect: Dialect,
        default_schema: &str,
    ) -> Result<Loaded, SourceError> {
        let files = go_source::go_files(path);
        if files.is_empty() {
            return Err(SourceError {
                location: Location {
                    file: path.to_path_buf(),
                    line: 1,
                    column: 1,
                },
                message: "no .go files here".into(),
                help: Some("point the source at the Go package that holds the models".into()),
            });
        }
        let package = go_source::read_package(&files)?;
        let mut reader = SchemaReader {
            package: &package,
            warnings: Vec::new(),
        };
        let mut models = Models::new();
        for name in reader.model_names() {
            let Some(decl) = package.find_struct(&name) else {
                continue;
            };
            let model = reader.model(decl)?;
            models.insert(name, model);
        }
        let relations = relations::resolve(&mut models)?;
        let mut warnings = reader.warnings;
        let mut database = Database::default();
        let schema = database.schema_mut(default_schema);
        let mut names: Vec<&String> = models.keys().collect();
        names.sort();
        // A many2many whose join table is a model's table uses that model as the join table,
        // as `db.SetupJoinTable` declares it (the model keeps its own extra columns); it must
        // hold the join keys.
        let mut join_tables = Vec::new();
        for join in &relations.join_tables {
            match models.values().find(|m| m.table == join.table) {
                Some(custom) => custom_join_keys(custom, join)?,
                None => join_tables.push(join),
            }
        }
        for model in names.into_iter().map(|n| &models[n]).chain(join_tables) {
            let table = table::table(model, dialect, &mut warnings)?;
            if schema.tables.contains_key(&table.name) {
                let at = package
                    .find_struct(&model.name)
                    .map(|s| s.at.clone())
                    .unwrap_or_else(|| files[0].clone().into_location());
                return Err(SourceError {
                    location: at,
                    message: format!("two models map to table {}", table.name),
                    help: Some("give one of them a TableName() method".into()),
                });
            }
            schema.tables.insert(table.name.clone(), table);
        }
        for (table, fk) in relations.foreign_keys {
            if let Some(t) = schema.tables.get_mut(&table)
                && !t.foreign_keys.iter().any(|f| f.name == fk.name)
            {
                t.foreign_keys.push(fk);
            }
        }
        Ok(Loaded { database, warnings })
    }
}

/// `SetupJoinTable`'s check: the custom join model holds a field for every join key.
fn custom_join_keys(custom: &schema::Model, join: &schema::Model) -> Result<(), SourceError> {
    for key in &join.fields {
        if custom.look_up(&key.db_name).is_none() {
            return Err(SourceError {
                location: key.at.clone(),
                message: format!(
                    "missing field {} for join table {} (model {})",
                    key.db_name, join.table, custom.name
                ),
                help: Some(format!("declare `{}` on {}", key.name, custom.name)),
            });
        }
    }
    Ok(())
}

trait IntoLocation {
    fn into_location(self) -> Location;
}

impl IntoLocation for std::path::PathBuf {
    fn into_location(self) -> Location {
        Location {
            file: self,
            line: 1,
            column: 1,
        }
    }
}
