//! Finding the model files of a source path, and telling which ORM they import.

use super::{Calls, Declarations, Source, direct};
use std::path::{Path, PathBuf};
use strata_schema::{SourceError, map_parallel};

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
        // The entry's own type needs no `stat` call; only a symbolic link is followed.
        let is_dir = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_dir(),
            _ => path.is_dir(),
        };
        if is_dir {
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

/// Read `files` and collect their declarations (directly from their tokens when the direct
/// reader can, else from their tree-sitter parse), on all cores (parsing dominates the time of
/// a load); results keep the order of `files`.
pub fn read_all(files: &[PathBuf]) -> Result<Vec<(Source, Declarations)>, SourceError> {
    read_all_with(files, Calls::All)
}

/// `read_all`, collecting only the calls `calls` asks for.
pub fn read_all_with(
    files: &[PathBuf],
    calls: Calls,
) -> Result<Vec<(Source, Declarations)>, SourceError> {
    map_parallel(
        files,
        || (),
        |(), file| {
            let text = Source::read_text(file)?;
            if let Some(decls) = direct::declarations(&text, Source::is_typescript(file), calls) {
                return Ok((Source::unparsed(file, text), decls));
            }
            let src = Source::parse_for(file, text, calls)?;
            let decls = Declarations::collect(&src, calls);
            Ok((src, decls))
        },
    )
    .into_iter()
    .collect()
}

/// `work()`, while `parsed` (files `read_all` returned, once their declarations were taken) is
/// freed on another core: freeing 500 syntax trees a node at a time costs as much as building
/// the tables from them.
pub fn free_while<T: Send, R>(parsed: T, work: impl FnOnce() -> R) -> R {
    std::thread::scope(|scope| {
        scope.spawn(move || drop(parsed));
        work()
    })
}
