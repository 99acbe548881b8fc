//! Finding the model files of a source path, and telling which ORM they import.

use std::path::{Path, PathBuf};

const EXTENSIONS: &[&str] = &["js", "cjs", "mjs", "ts", "cts", "mts"];

/// True for a JavaScript or TypeScript source file (declaration files `.d.ts` excluded: they
/// hold types, never models).
fn is_script(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    EXTENSIONS.contains(&ext) && !name.ends_with(".d.ts")
}

/// The script files under `path` (the file itself, or a folder searched recursively without
/// `node_modules` and hidden folders), sorted so results do not depend on directory order.
pub fn model_files(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if path.is_file() {
        if is_script(path) {
            out.push(path.to_path_buf());
        }
        return out;
    }
    collect(path, &mut out);
    out.sort();
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if name != "node_modules" && !name.starts_with('.') {
                collect(&path, out);
            }
        } else if is_script(&path) {
            out.push(path);
        }
    }
}

/// True when a script under `path` imports one of `modules` (ES `import … from`, `require`).
/// A text search, no parse: detection must stay cheap.
pub fn imports_any(path: &Path, modules: &[&str]) -> bool {
    model_files(path).iter().any(|file| {
        std::fs::read_to_string(file).is_ok_and(|text| {
            modules.iter().any(|m| {
                ['"', '\''].iter().any(|q| {
                    text.contains(&format!("from {q}{m}{q}"))
                        || text.contains(&format!("require({q}{m}{q})"))
                })
            })
        })
    })
}
