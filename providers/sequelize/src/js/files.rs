//! Finding the model files of a source path, and telling which ORM they import.

use super::{Declarations, Source};
use std::path::{Path, PathBuf};
use strata_schema::SourceError;

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

/// Parse `files` and collect their declarations, on all cores (parsing dominates the time of
/// a load); results keep the order of `files`.
pub fn read_all(files: &[PathBuf]) -> Result<Vec<(Source, Declarations)>, SourceError> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    let chunk = files.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|f| {
                            let src = Source::read(f)?;
                            let decls = Declarations::of(&src);
                            Ok((src, decls))
                        })
                        .collect::<Result<Vec<_>, SourceError>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(files.len());
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part?),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(out)
    })
}
