//! Atomic file replacement: temporary file in the same directory, write, fsync, rename, fsync
//! the directory. The same directory matters: a rename is only atomic within one filesystem.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

/// Replace `path` with `bytes` so that readers and crashes see the old or the new content,
/// never part of either. Creates the directory if needed.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    // Unique per writer, so two writers (with -lock=false) never share a temporary file.
    let temp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
    let result = write_new(&temp, bytes)
        .and_then(|()| std::fs::rename(&temp, path))
        .and_then(|()| sync_dir(dir));
    if result.is_err() {
        // Best effort: a leftover temporary file is harmless, the error below is what matters.
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Flush the directory entry, so the rename survives a power cut.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Windows cannot open a directory as a file; its rename is flushed with the file system.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}
