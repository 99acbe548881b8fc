//! The `.py` files of a project folder, each with its dotted module name, read and parsed.

use super::ast::Module;
use super::parse::{SyntaxError, parse_with, python_parser};
use std::path::{Path, PathBuf};
use strata_schema::{Location, SourceError, map_parallel};

/// Folders that never hold a project's own models: caches, virtual environments, installed
/// packages, VCS metadata, and migration scripts (Django's and Alembic's are generated from the
/// models, not a source of them).
const SKIPPED_DIRS: &[&str] = &[
    "__pycache__",
    "node_modules",
    "site-packages",
    "venv",
    "migrations",
];

pub fn is_python(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py")
}

/// Every `.py` file under `root` (or `root` itself when it is a file), sorted by path so that
/// results do not depend on directory iteration order, with its module name relative to `root`.
pub fn python_files(root: &Path) -> Result<Vec<(PathBuf, String)>, SourceError> {
    if root.is_file() {
        let stem = root
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        return Ok(vec![(root.to_path_buf(), stem)]);
    }
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| io_error(&dir, &e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&dir, &e))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
            if is_dir {
                if !name.starts_with('.') && !SKIPPED_DIRS.contains(&name.as_str()) {
                    pending.push(path);
                }
            } else if is_python(&path) {
                let module = module_name(root, &path);
                out.push((path, module));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// `root/app/models/book.py` → `app.models.book`; `pkg/__init__.py` → `pkg`.
fn module_name(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path).with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "__init__") {
        parts.pop();
    }
    parts.join(".")
}

/// Read and parse every Python file under `root`, on every core (parsing dominates reading
/// time), keeping path order so the first error reported does not depend on scheduling.
pub fn read_modules(root: &Path) -> Result<Vec<Module>, SourceError> {
    let files = python_files(root)?;
    map_parallel(&files, python_parser, |parser, (path, name)| {
        let parser = parser.as_mut().map_err(|e| syntax_error(path, e.clone()))?;
        let text = std::fs::read_to_string(path).map_err(|e| io_error(path, &e))?;
        parse_with(parser, path, name, &text).map_err(|e| syntax_error(path, e))
    })
    .into_iter()
    .collect()
}

fn syntax_error(path: &Path, e: SyntaxError) -> SourceError {
    SourceError {
        location: Location {
            file: path.to_path_buf(),
            line: e.at.line,
            column: e.at.column,
        },
        message: e.message,
        help: None,
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> SourceError {
    SourceError {
        location: Location {
            file: path.to_path_buf(),
            line: 1,
            column: 1,
        },
        message: format!("cannot read {}: {e}", path.display()),
        help: None,
    }
}
