//! Temporary files that an interrupted run removes. On SIGINT, SIGTERM or SIGHUP, every
//! registered temporary file is deleted. The process then exits with 128 + the signal's
//! number (130 for Ctrl-C, 143 for `kill`), the status shells give a process a signal ended.
//!
//! The handler is installed when the first temporary file is registered, so a command that
//! writes no file keeps the default behaviour of each signal.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

/// Temporary files not yet renamed into place or removed.
static TEMPORARY_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

static INSTALL_HANDLER: Once = Once::new();

fn temporary_files() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARY_FILES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Records `path` as a temporary file to delete on interruption. Call it before creating the
/// file, so no moment passes in which the file exists unrecorded.
pub fn register(path: &Path) {
    INSTALL_HANDLER.call_once(install_handler);
    temporary_files().push(path.to_path_buf());
}

/// Renames the temporary file `temporary` to `path` and removes it from the registry. The registry stays locked
/// during the rename, so an interruption either finds the file renamed or removes it first.
pub fn rename_into_place(temporary: &Path, path: &Path) -> io::Result<()> {
    let mut files = temporary_files();
    let renamed = fs::rename(temporary, path);
    if renamed.is_ok() {
        files.retain(|p| p != temporary);
    }
    renamed
}

/// Deletes the temporary file `temporary`, when it still exists, and removes it from the
/// registry.
pub fn remove(temporary: &Path) {
    let mut files = temporary_files();
    let _ = fs::remove_file(temporary);
    files.retain(|p| p != temporary);
}

#[cfg(unix)]
fn install_handler() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;

    // Without the handler, a signal still ends the process; only the cleanup is lost.
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // The lock is held until the process ends, so no rename can follow.
                let files = temporary_files();
                for file in files.iter() {
                    let _ = fs::remove_file(file);
                }
                // `_exit`: the main thread is still running, so no exit handler may run.
                signal_hook::low_level::exit(128 + signal);
            }
        });
}

/// NOTE: on systems without Unix signals, an interrupted run still leaves its temporary file.
#[cfg(not(unix))]
fn install_handler() {}
