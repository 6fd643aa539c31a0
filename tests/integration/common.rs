//! Helpers to run the binary from the repository root and read its output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `rulebench ARGS` in the repository root.
pub fn rulebench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebench"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the rulebench binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// A fresh scratch folder under the target directory, removed and recreated per test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Asserts the command failed with `code` and that stderr contains `needle`.
pub fn assert_fails(output: &Output, code: i32, needle: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(code), "stderr: {err}");
    assert!(
        err.contains(needle),
        "expected {needle:?} in stderr:\n{err}"
    );
    assert!(!err.contains("panicked"), "panic in stderr:\n{err}");
}

/// Asserts the command failed with `code` and printed exactly `error: MESSAGE` and nothing
/// else on stderr.
pub fn assert_error(output: &Output, code: i32, message: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(code), "stderr: {err}");
    assert_eq!(err, format!("error: {message}\n"));
}

/// The `warning: ` lines of stderr, without the label.
pub fn warnings(output: &Output) -> Vec<String> {
    stderr(output)
        .lines()
        .filter_map(|line| line.strip_prefix("warning: "))
        .map(str::to_string)
        .collect()
}

/// Splits the titanic data into two files in `dir` with the same header, rows 1 to 699 and
/// then the rest, and returns their paths.
pub fn titanic_in_two_files(dir: &Path) -> (PathBuf, PathBuf) {
    let full = std::fs::read_to_string(root().join("data/titanic.csv")).unwrap();
    let lines: Vec<&str> = full.lines().collect();
    let first = dir.join("first.csv");
    let second = dir.join("second.csv");
    std::fs::write(&first, lines[..700].join("\n") + "\n").unwrap();
    std::fs::write(
        &second,
        [&lines[..1], &lines[700..]].concat().join("\n") + "\n",
    )
    .unwrap();
    (first, second)
}
