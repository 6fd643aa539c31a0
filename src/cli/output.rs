//! Writing results: to standard output, or to a file that appears only once complete.

use std::fs;
use std::io::Write;
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

/// Prints `warning: MESSAGE` on standard error. A failed write is ignored, so that a closed
/// standard error (as in `rulebench compare 2>&1 | head`) cannot stop the run.
pub fn warn(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "warning: {message}");
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// failure never leaves a partial file. Refuses to write over any of `inputs`.
pub fn write_file_atomically(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<()> {
    refuse_input_overwrite(path, inputs)?;
    let temporary = temporary_path(path);
    let result = fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temporary, path));
    if let Err(error) = result {
        let _ = fs::remove_file(&temporary);
        return Err(Error::io("write", path, &error));
    }
    Ok(())
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
}
