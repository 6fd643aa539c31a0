//! Writing results: to standard output, or to a file that appears only once complete.

mod controls;
mod destination;
mod interrupt;

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};
pub use controls::visible_controls;
pub use destination::open_error;
use destination::Destination;

/// Writes `text` to standard output; a closed pipe becomes an error the caller treats as
/// a quiet success.
pub fn print(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::stdout(&e))
}

/// Prints a message for the user on standard error, ignoring a failed write as [`warn`] does.
pub fn note(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", visible_controls(message));
}

/// Prints `warning: MESSAGE` on standard error. A failed write is ignored, so that a closed
/// standard error (as in `rulebench compare 2>&1 | head`) cannot stop the run.
pub fn warn(message: &str) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "warning: {}",
        visible_controls(message)
    );
}

/// Writes `bytes` to `path`, rejecting a `path` that is one of `inputs`, also through a
/// symbolic or hard link. A regular file is written through a temporary file in the same
/// folder and a rename, so a failure never leaves a partial file and an existing file is
/// replaced only by a complete one. [`AtomicFile`] describes how links, devices and pipes
/// are written.
pub fn write_file_atomically(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<()> {
    let mut file = AtomicFile::create(path, inputs)?;
    file.writer()
        .write_all(bytes)
        .map_err(|e| Error::io("write", path, &e))?;
    file.commit()
}

/// An output file that appears only once complete.
///
/// A regular file, new or existing, is written to a temporary file in the same folder that
/// [`AtomicFile::commit`] renames into place. Dropping it uncommitted, or an interruption by
/// SIGINT or SIGTERM, removes the temporary file. A replaced file keeps its permission bits
/// (and its owner, where the user may set it), but a file with other hard links is split
/// from them: the other names keep the old contents. A file the user cannot write is left
/// unchanged, with an error. A symbolic link is followed and its target written. A device,
/// FIFO or socket (such as `/dev/null`, or `/dev/stdout` through its link) is written
/// directly, without a temporary file.
pub struct AtomicFile {
    /// The output path as given, for messages.
    path: PathBuf,
    /// The temporary file and the file it replaces, or `None` for a direct write.
    replace: Option<(PathBuf, PathBuf)>,
    writer: Option<BufWriter<fs::File>>,
}

impl AtomicFile {
    /// Opens the output: creates the temporary file, or opens a device or pipe. Rejects a
    /// `path` that is one of `inputs`, a folder, and an existing file the user cannot write.
    pub fn create(path: &Path, inputs: &[&Path]) -> Result<Self> {
        reject_input_overwrite(path, inputs)?;
        let (file, replace) = match destination::resolve(path)? {
            Destination::Direct => {
                let file = fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| open_error(path, &e))?;
                (file, None)
            }
            Destination::Replace {
                path: real,
                existing,
            } => {
                let temporary = temporary_path(&real);
                let file = create_temporary(path, &real, &temporary, existing.as_ref())?;
                (file, Some((temporary, real)))
            }
        };
        Ok(AtomicFile {
            path: path.to_path_buf(),
            replace,
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// The final path of the file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn writer(&mut self) -> &mut BufWriter<fs::File> {
        self.writer.as_mut().expect("present until commit")
    }

    /// Writes out what is buffered. A temporary file is then synced and renamed over the file
    /// it replaces (the target, when the output path is a symbolic link).
    pub fn commit(mut self) -> Result<()> {
        let writer = self.writer.take().expect("present until commit");
        let file = writer
            .into_inner()
            .map_err(|e| Error::io("write", &self.path, e.error()))?;
        let Some((temporary, real)) = self.replace.take() else {
            // A device or pipe: there is nothing to sync or rename.
            return Ok(());
        };
        let committed = file
            .sync_all()
            .and_then(|()| interrupt::rename_into_place(&temporary, &real));
        if committed.is_err() {
            interrupt::remove(&temporary);
        }
        committed.map_err(|e| Error::io("write", &self.path, &e))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some((temporary, _)) = &self.replace {
            interrupt::remove(temporary);
        }
    }
}

/// Creates the temporary file that replaces `real`, which the output path `path` names. An
/// `existing` file must be writable for the user, and its owner and permission bits carry
/// over to the temporary file.
fn create_temporary(
    path: &Path,
    real: &Path,
    temporary: &Path,
    existing: Option<&fs::Metadata>,
) -> Result<fs::File> {
    if let Some(metadata) = existing {
        destination::check_existing_writable(path, real, metadata)?;
        warn_about_hard_links(path, metadata);
    }
    interrupt::register(temporary);
    let file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temporary)
        .map_err(|e| {
            interrupt::remove(temporary);
            destination::temporary_file_error(path, temporary, &e)
        })?;
    if let Some(metadata) = existing {
        keep_owner_and_permissions(&file, metadata);
    }
    Ok(file)
}

/// Gives the temporary file the owner and permission bits of the file it replaces. Both are
/// best effort: only root may give a file to another user, and a failed change keeps the
/// defaults.
fn keep_owner_and_permissions(file: &fs::File, metadata: &fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // The owner first, because changing it clears set-user-ID bits.
        let _ = std::os::unix::fs::fchown(file, Some(metadata.uid()), Some(metadata.gid()));
    }
    let _ = file.set_permissions(metadata.permissions());
}

#[cfg(unix)]
fn warn_about_hard_links(path: &Path, metadata: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    if metadata.nlink() > 1 {
        warn(&format!(
            "`{}` has {} hard links: it is replaced by a new file, and its other names keep \
             the old contents",
            path.display(),
            metadata.nlink()
        ));
    }
}

#[cfg(not(unix))]
fn warn_about_hard_links(_path: &Path, _metadata: &fs::Metadata) {}

/// Checks the output paths of one run before any work: none may be one of `inputs`, and no
/// two may name the same file, unless it is a device or pipe such as `/dev/null`. Each path
/// comes with the option that named it, for the message.
pub fn check_outputs(outputs: &[(&str, &Path)], inputs: &[&Path]) -> Result<()> {
    for (index, (option, path)) in outputs.iter().enumerate() {
        reject_input_overwrite(path, inputs)?;
        check_writable(path)?;
        for (earlier_option, earlier) in &outputs[..index] {
            if same_destination(earlier, path) {
                return Err(Error::usage(format!(
                    "cannot write the {option} output to `{}`: it is also the {earlier_option} \
                     output. Choose another output path.",
                    path.display()
                )));
            }
        }
    }
    Ok(())
}

/// Fails when `path` is an existing regular file the user may not write, or one without any
/// write permission bit. Other paths pass.
pub fn check_existing_output(path: &Path) -> Result<()> {
    match fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => {
            destination::check_existing_writable(path, path, &metadata)
        }
        _ => Ok(()),
    }
}

/// Fails early when `path` cannot be written: its folder is missing, it is a folder, or it
/// is an existing file the user cannot write.
fn check_writable(path: &Path) -> Result<()> {
    match destination::resolve(path)? {
        Destination::Direct => Ok(()),
        Destination::Replace {
            path: real,
            existing: Some(metadata),
        } => destination::check_existing_writable(path, &real, &metadata),
        Destination::Replace {
            path: real,
            existing: None,
        } => {
            if destination::folder_of(&real).is_dir() {
                return Ok(());
            }
            let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
            Err(destination::temporary_file_error(path, &real, &missing))
        }
    }
}

/// True when two outputs would write the same regular file, existing or not.
fn same_destination(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(first), Ok(_)) => first.is_file() && same_file(a, b),
        _ => destination::destination_path(a) == destination::destination_path(b),
    }
}

/// Rejects an output `path` that is one of `inputs`, also through a symbolic or hard link.
/// Commands call it before the slow work too, so that the mistake is reported at once.
pub fn reject_input_overwrite(path: &Path, inputs: &[&Path]) -> Result<()> {
    if !path.exists() {
        // The output does not exist yet, so it cannot be an input.
        return Ok(());
    }
    for input in inputs {
        if same_file(path, input) {
            return Err(Error::usage(format!(
                "cannot write the output to `{}`: it is one of the input files. Choose another \
                 output path.",
                path.display()
            )));
        }
    }
    Ok(())
}

/// True when both paths name the same file, through symbolic or hard links.
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// True when both paths name the same file through symbolic links.
/// NOTE: two hard links to one file count as different files here.
#[cfg(not(unix))]
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Returns a name beside `path` that no other write of this or another process uses.
fn temporary_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}.{count}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Creates a fresh, empty folder for one test.
    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rulebench-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn input_is_not_overwritten() {
        let dir = folder("input");
        let input = dir.join("data.csv");
        fs::write(&input, "a,b\n1,2\n").unwrap();
        let error = write_file_atomically(&input, b"x", &[&input]).unwrap_err();
        assert_eq!(error.kind(), crate::error::ErrorKind::Usage);
        assert_eq!(
            error.message(),
            format!(
                "cannot write the output to `{}`: it is one of the input files. Choose another \
                 output path.",
                input.display()
            )
        );
        assert_eq!(fs::read_to_string(&input).unwrap(), "a,b\n1,2\n");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn input_behind_links_is_not_overwritten() {
        let dir = folder("links");
        let input = dir.join("data.csv");
        fs::write(&input, "a\n1\n").unwrap();
        let symbolic = dir.join("symbolic.csv");
        std::os::unix::fs::symlink(&input, &symbolic).unwrap();
        let hard = dir.join("hard.csv");
        fs::hard_link(&input, &hard).unwrap();
        for output in [&symbolic, &hard] {
            assert!(write_file_atomically(output, b"x", &[&input]).is_err());
        }
        assert_eq!(fs::read_to_string(&input).unwrap(), "a\n1\n");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn existing_output_is_replaced_whole() {
        let dir = folder("replace");
        let output = dir.join("out.csv");
        fs::write(&output, "old text that is longer than the new one").unwrap();
        write_file_atomically(&output, b"new", &[]).unwrap();
        assert_eq!(fs::read_to_string(&output).unwrap(), "new");
        assert_eq!(entries(&dir), ["out.csv"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn failed_write_leaves_no_file() {
        let dir = folder("failed");
        // A non-empty folder where the output should go: the rename fails.
        let output = dir.join("out.csv");
        fs::create_dir_all(output.join("inside")).unwrap();
        let error = write_file_atomically(&output, b"new", &[]).unwrap_err();
        assert_eq!(error.kind(), crate::error::ErrorKind::Io);
        assert_eq!(entries(&dir), ["out.csv"]);
        assert!(output.is_dir());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_folder_is_an_io_error() {
        let dir = folder("missing");
        let output = dir.join("no/such/folder/out.csv");
        let error = write_file_atomically(&output, b"new", &[]).unwrap_err();
        assert!(error.message().starts_with("cannot write `"));
        assert_eq!(entries(&dir), Vec::<String>::new());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn uncommitted_file_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("rulebench-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.csv");
        let mut file = AtomicFile::create(&path, &[]).unwrap();
        file.writer().write_all(b"partial").unwrap();
        drop(file);
        assert!(!path.exists());
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);

        let mut file = AtomicFile::create(&path, &[]).unwrap();
        file.writer().write_all(b"whole").unwrap();
        file.commit().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "whole");
        fs::remove_dir_all(&dir).unwrap();
    }
}
