//! Writing results: to standard output, or to a file that appears only once complete.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Error, Result};

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
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

/// Prints `warning: MESSAGE` on standard error. A failed write is ignored, so that a closed
/// standard error (as in `rulebench compare 2>&1 | head`) cannot stop the run.
pub fn warn(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "warning: {message}");
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// failure never leaves a partial file and an existing file is replaced only by a complete
/// one. Rejects a `path` that is one of `inputs`, also through a symbolic or hard link.
pub fn write_file_atomically(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<()> {
    let mut file = AtomicFile::create(path, inputs)?;
    file.writer()
        .write_all(bytes)
        .map_err(|e| Error::io("write", path, &e))?;
    file.commit()
}

/// A file written through a temporary file in the same folder: [`AtomicFile::commit`]
/// renames it into place, and dropping it uncommitted removes the temporary file, so a
/// failure never leaves a partial file at `path`.
pub struct AtomicFile {
    path: PathBuf,
    temporary: PathBuf,
    writer: Option<BufWriter<fs::File>>,
}

impl AtomicFile {
    /// Creates the temporary file. Rejects a `path` that is one of `inputs`.
    pub fn create(path: &Path, inputs: &[&Path]) -> Result<Self> {
        reject_input_overwrite(path, inputs)?;
        let temporary = temporary_path(path);
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .map_err(|e| Error::io("write", path, &e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temporary,
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    pub fn writer(&mut self) -> &mut BufWriter<fs::File> {
        self.writer.as_mut().expect("present until commit")
    }

    /// Flushes and syncs the temporary file, then renames it to the final path.
    pub fn commit(mut self) -> Result<()> {
        let writer = self.writer.take().expect("present until commit");
        let result = writer
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|file| file.sync_all())
            .and_then(|()| fs::rename(&self.temporary, &self.path));
        result.map_err(|e| Error::io("write", &self.path, &e))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // After a successful commit the temporary file no longer exists.
        let _ = fs::remove_file(&self.temporary);
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
