//! Print what the provider reads from a models folder, per dialect, as JSON (debugging aid).
use strata_schema::{Dialect, Provider};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let dialect = match std::env::args().nth(2).as_deref() {
        Some("mysql") => Dialect::Mysql,
        Some("postgres") => Dialect::Postgres,
        _ => Dialect::Sqlite,
    };
    match strata_gorm::Gorm.load(std::path::Path::new(&path), dialect, "main") {
        Ok(l) => {
            for w in &l.warnings {
                eprintln!("warning: {w}");
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&l.database).unwrap_or_default()
            );
        }
        Err(e) => eprintln!("error: {e}"),
    }
}
