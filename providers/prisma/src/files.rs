//! Where a Prisma schema lives: a `.prisma` file, a folder of `.prisma` files (multi-file
//! schemas, read recursively), or a project folder whose `prisma.config.ts` or `package.json`
//! (`"prisma": {"schema": …}`) points at one, else Prisma's default `prisma/schema.prisma`
//! or `prisma/schema/`.

use std::path::{Path, PathBuf};

/// The schema files under `path`, sorted; empty when `path` holds no Prisma schema.
pub fn schema_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(if is_prisma(path) {
            vec![path.to_path_buf()]
        } else {
            Vec::new()
        });
    }
    if let Some(target) = configured_schema(path) {
        return schema_files(&target);
    }
    let mut files = Vec::new();
    collect(path, &mut files)?;
    if files.is_empty() && has_project_file(path) {
        for default in ["prisma/schema.prisma", "prisma/schema", "schema.prisma"] {
            let candidate = path.join(default);
            if candidate.exists() {
                return schema_files(&candidate);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// True when `path` is (or directly holds, or a project file there points at) a Prisma
/// schema. Reads at most one folder listing and two small files.
pub fn detect(path: &Path) -> bool {
    if path.is_file() {
        return is_prisma(path);
    }
    if configured_schema(path).is_some_and(|t| t.exists()) {
        return true;
    }
    let direct = std::fs::read_dir(path).is_ok_and(|rd| {
        rd.filter_map(Result::ok)
            .any(|e| is_prisma(&e.path()) && e.path().is_file())
    });
    direct
        || (has_project_file(path)
            && ["prisma/schema.prisma", "prisma/schema"]
                .iter()
                .any(|d| path.join(d).exists()))
}

fn is_prisma(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "prisma")
}

fn has_project_file(dir: &Path) -> bool {
    dir.join("prisma.config.ts").is_file() || dir.join("package.json").is_file()
}

/// Every `.prisma` file under `dir`, skipping `node_modules` and hidden folders (the
/// generated client keeps a copy of the schema in `node_modules/.prisma`).
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "node_modules" && !name.starts_with('.') {
                collect(&path, out)?;
            }
        } else if is_prisma(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// The schema path a `prisma.config.ts` (`schema: "…"`) or `package.json`
/// (`"prisma": {"schema": "…"}`) in `dir` names, relative to `dir`.
fn configured_schema(dir: &Path) -> Option<PathBuf> {
    if let Ok(text) = std::fs::read_to_string(dir.join("prisma.config.ts"))
        && let Some(schema) = config_ts_schema(&text)
    {
        return Some(dir.join(schema));
    }
    let text = std::fs::read_to_string(dir.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let schema = json.get("prisma")?.get("schema")?.as_str()?;
    Some(dir.join(schema))
}

/// The string literal of the `schema:` property in a `prisma.config.ts`, when it is one.
fn config_ts_schema(text: &str) -> Option<&str> {
    let mut rest = text;
    while let Some(at) = rest.find("schema") {
        let before = rest[..at].chars().last();
        let after = rest[at + "schema".len()..].trim_start();
        rest = &rest[at + "schema".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        let Some(value) = after.strip_prefix(':') else {
            continue;
        };
        let value = value.trim_start();
        let quote = value
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))?;
        let inner = &value[1..];
        return inner.find(quote).map(|end| &inner[..end]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_ts_names_the_schema() {
        let text = r#"import { defineConfig } from "prisma/config";
export default defineConfig({ schema: "prisma/schema", migrations: { path: "x" } });"#;
        assert_eq!(config_ts_schema(text), Some("prisma/schema"));
        assert_eq!(config_ts_schema("export default { schemaPath: 'x' }"), None);
    }

    #[test]
    fn folders_and_project_files_are_detected() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!detect(dir.path()));
        std::fs::create_dir_all(dir.path().join("db/models")).unwrap();
        std::fs::write(dir.path().join("db/models/a.prisma"), "").unwrap();
        std::fs::write(dir.path().join("db/b.prisma"), "").unwrap();
        std::fs::write(
            dir.path().join("package.json"),
            r#"{"name": "app", "prisma": {"schema": "db"}}"#,
        )
        .unwrap();
        assert!(detect(dir.path()));
        let files = schema_files(dir.path()).unwrap();
        assert_eq!(files.len(), 2);
        assert!(!detect(&dir.path().join("package.json")));
    }
}
