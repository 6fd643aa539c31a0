//! Output destinations: what an output path names decides how it is written. A regular
//! file (new or existing) is replaced through a temporary file and a rename. A device, pipe
//! or socket is written directly, because a rename would put a regular file in its place. A
//! symbolic link is followed and its target written, so the link stays a link.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// Symbolic links followed before a path counts as a loop, as Linux's `ELOOP` limit.
const MAX_LINKS: usize = 40;

/// The way an output path is written.
#[derive(Debug)]
pub enum Destination {
    /// A regular file at `path` (the target of any link): written to a temporary file beside
    /// it and renamed over it. `existing` is the metadata of the file it replaces.
    Replace {
        path: PathBuf,
        existing: Option<fs::Metadata>,
    },
    /// A character or block device, a FIFO or a socket: opened and written in place.
    Direct,
}

/// Finds out how `path` is to be written.
pub fn resolve(path: &Path) -> Result<Destination> {
    let own = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Destination::Replace {
                path: path.to_path_buf(),
                existing: None,
            })
        }
        Err(e) => return Err(Error::io("write", path, &e)),
    };
    if !own.file_type().is_symlink() {
        return classify(path, path.to_path_buf(), own);
    }
    match fs::metadata(path) {
        // `canonicalize` also turns `/proc/self/fd/N` into the file it stands for.
        Ok(target) if target.is_file() => {
            let real = fs::canonicalize(path).map_err(|e| Error::io("write", path, &e))?;
            classify(path, real, target)
        }
        Ok(target) => classify(path, path.to_path_buf(), target),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Destination::Replace {
            path: dangling_target(path)?,
            existing: None,
        }),
        Err(e) => Err(Error::io("write", path, &e)),
    }
}

/// Chooses the way to write `real`, which `path` names, from its metadata.
fn classify(path: &Path, real: PathBuf, metadata: fs::Metadata) -> Result<Destination> {
    if metadata.is_dir() {
        return Err(Error::new(
            ErrorKind::Io,
            format!(
                "cannot write `{}`: it is a folder. Name a file to write.",
                path.display()
            ),
        ));
    }
    if metadata.is_file() {
        return Ok(Destination::Replace {
            path: real,
            existing: Some(metadata),
        });
    }
    Ok(Destination::Direct)
}

/// Follows a chain of symbolic links that ends at a path that does not exist yet, and
/// returns that path.
fn dangling_target(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let Ok(link) = fs::read_link(&current) else {
            return Ok(current);
        };
        current = match current.parent() {
            Some(folder) => folder.join(link),
            None => link,
        };
    }
    Err(Error::new(
        ErrorKind::Io,
        format!(
            "cannot write `{}`: it is a symbolic link that leads through more than {MAX_LINKS} \
             links, or in a loop. Point the link at a file.",
            path.display()
        ),
    ))
}

/// Returns the path a future file at `path` will have: its target when it is a link, with
/// the folder in canonical form. Two outputs that give the same destination are the same file.
pub fn destination_path(path: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    let target = dangling_target(path).unwrap_or_else(|_| path.to_path_buf());
    let folder = folder_of(&target);
    match (fs::canonicalize(folder), target.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => std::path::absolute(&target).unwrap_or(target),
    }
}

/// Returns the folder that contains `path`: `.` for a bare file name.
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    }
}

/// Explains why a temporary file for `path` could not be created in its folder.
pub fn temporary_file_error(path: &Path, temporary: &Path, error: &io::Error) -> Error {
    folder_error(path, folder_of(temporary), error, true)
}

/// Explains a failure to create a file in `folder` for the output `path`: a missing folder
/// or one the user cannot write. `temporary` is true for a temporary file.
fn folder_error(path: &Path, folder: &Path, error: &io::Error, temporary: bool) -> Error {
    let (path, folder) = (path.display(), folder.display());
    let message = match error.kind() {
        io::ErrorKind::NotFound => format!(
            "cannot write `{path}`: the folder `{folder}` does not exist. Create it first, or \
             choose another output path."
        ),
        io::ErrorKind::PermissionDenied if temporary => format!(
            "cannot write `{path}`: rulebench writes a temporary file in the folder `{folder}` \
             and renames it, but that folder is read-only for you. Make the folder writable, \
             or choose another output path."
        ),
        io::ErrorKind::PermissionDenied => format!(
            "cannot write `{path}`: the folder `{folder}` is read-only for you. Make the folder \
             writable, or choose another output path."
        ),
        _ => format!("cannot write `{path}`: {error}"),
    };
    Error::new(ErrorKind::Io, message)
}

/// Fails when the user may not write the existing file `real`, which the output path `path`
/// names. A file without any write permission bit counts as read-only even for root, who
/// could write it, because someone made it read-only to protect it.
pub fn check_existing_writable(path: &Path, real: &Path, metadata: &fs::Metadata) -> Result<()> {
    if metadata.permissions().readonly() {
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        return Err(existing_file_error(path, &denied));
    }
    // Opening for writing, without truncating, shows whether the user may write the file,
    // whatever its owner and access lists are.
    fs::OpenOptions::new()
        .write(true)
        .open(real)
        .map(drop)
        .map_err(|e| existing_file_error(path, &e))
}

/// Explains why the existing file `path` cannot be opened for writing.
pub fn existing_file_error(path: &Path, error: &io::Error) -> Error {
    if error.kind() != io::ErrorKind::PermissionDenied {
        return Error::io("write", path, error);
    }
    Error::new(
        ErrorKind::Io,
        format!(
            "cannot write `{}`: the file is read-only for you, so rulebench leaves it \
             unchanged. Make it writable, or choose another output path.",
            path.display()
        ),
    )
}

/// Explains why the file `path`, which may not exist yet, could not be opened for writing in
/// place.
pub fn open_error(path: &Path, error: &io::Error) -> Error {
    if path.exists() {
        existing_file_error(path, error)
    } else {
        folder_error(path, folder_of(path), error, false)
    }
}
