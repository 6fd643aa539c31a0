//! Writing results: to standard output, or to a file that appears only once complete.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// failure never leaves a partial file. Refuses to write over any of `inputs`.
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
    /// Creates the temporary file. Refuses to write over any of `inputs`.
    pub fn create(path: &Path, inputs: &[&Path]) -> Result<Self> {
        refuse_input_overwrite(path, inputs)?;
        let temporary = temporary_path(path);
        let file = fs::File::create(&temporary).map_err(|e| Error::io("write", path, &e))?;
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

fn refuse_input_overwrite(path: &Path, inputs: &[&Path]) -> Result<()> {
    let Ok(target) = fs::canonicalize(path) else {
        // The output does not exist yet, so it cannot be an input.
        return Ok(());
    };
    for input in inputs {
        if fs::canonicalize(input).is_ok_and(|i| i == target) {
            return Err(Error::usage(format!(
                "refusing to write to `{}`, which is one of the input files: choose another \
                 output path",
                path.display()
            )));
        }
    }
    Ok(())
}

fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_input() {
        let dir = std::env::temp_dir().join(format!("rulebench-output-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let input = dir.join("data.csv");
        fs::write(&input, "a,b\n1,2\n").unwrap();
        let error = write_file_atomically(&input, b"x", &[&input]).unwrap_err();
        assert!(error.message().contains("refusing"));
        assert_eq!(fs::read_to_string(&input).unwrap(), "a,b\n1,2\n");
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
