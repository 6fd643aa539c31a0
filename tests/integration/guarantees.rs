//! Promises that hold for every run: documented exit codes, quiet exits on a closed pipe,
//! byte-identical output for the same inputs, and output files that never damage inputs or
//! appear half-written.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use rulebench::error::exit_code_table;

use crate::common::{assert_error, root, rulebench, scratch, stderr, stdout};

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rulebench"));
    command.current_dir(root());
    command
}

/// Reads the rows of the table under `## Exit codes` in the README.
fn readme_exit_codes() -> Vec<(i32, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("\n## Exit codes\n")
        .nth(1)
        .expect("the README has an `## Exit codes` section");
    section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2) // the header row and the separator
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 2, "row `{line}`");
            (
                cells[0].parse().expect("a numeric code"),
                cells[1].to_string(),
            )
        })
        .collect()
}

#[test]
fn readme_exit_code_table_matches_code() {
    let code: Vec<(i32, String)> = exit_code_table()
        .into_iter()
        .map(|(code, meaning)| (code, meaning.to_string()))
        .collect();
    assert_eq!(readme_exit_codes(), code);
}

#[test]
fn each_error_kind_exits_with_its_code() {
    let titanic = [
        "--data",
        "data/titanic.csv",
        "--rules",
        "rules/titanic.rules",
    ];
    let run = |args: &[&str]| rulebench(args).status.code();
    assert_eq!(run(&[&["compare"][..], &titanic].concat()), Some(0));

    // 1: a file that cannot be read.
    assert_eq!(
        run(&[
            "compare",
            "--data",
            "data/nope.csv",
            "--rules",
            "rules/titanic.rules"
        ]),
        Some(1)
    );

    // 2: the command line, whether clap or rulebench rejects it.
    assert_eq!(run(&["compare", "--seed", "x"]), Some(2));
    assert_eq!(run(&["compare", "--data", "data/titanic.csv"]), Some(2));

    // 3: the data.
    assert_eq!(
        run(&[
            "compare",
            "--data",
            "data/iris.csv",
            "--rules",
            "rules/titanic.rules"
        ]),
        Some(3)
    );

    // 4: the rules.
    assert_eq!(
        run(&[
            "compare",
            "--data",
            "data/titanic.csv",
            "--rules",
            "tests/inputs/syntax_error.rules"
        ]),
        Some(4)
    );

    // 5: a model file that cannot be used.
    assert_eq!(
        run(&[
            "predict",
            "--model",
            "tests/inputs/model_truncated.json",
            "--data",
            "data/iris.csv"
        ]),
        Some(5)
    );
}

#[test]
fn closed_stdout_exits_quietly() {
    let mut child = binary()
        .args(["compare"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before rulebench has trained anything, so its first write fails.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "Running the shipped titanic example. To compare your own rules, run\n  rulebench \
         compare --data YOUR.csv --rules YOUR.rules\n"
    );
}

#[test]
fn reader_stopping_after_one_line_is_quiet() {
    // About 1 MB of predictions, far more than a pipe holds, so a write must fail.
    let mut child = binary()
        .args([
            "predict",
            "--rules",
            "rules/adult.rules",
            "--data",
            "data/adult.csv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "row,prediction,rule\n");
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stderr(&output), "");
}

#[test]
fn closed_pipe_for_warnings_is_quiet() {
    // As in `2>&1 | head`: the reader of both outputs is gone before the first warning.
    let mut child = binary()
        .args([
            "compare",
            "--rules",
            "tests/inputs/csv/base.rules",
            "--data",
            "tests/inputs/data/id.csv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn help_into_closed_pipe_is_quiet() {
    let mut child = binary()
        .args(["compare", "--help"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

/// Runs the same command twice and asserts both runs printed the same bytes.
fn assert_runs_alike(args: &[&str]) -> Output {
    let first = rulebench(args);
    let second = rulebench(args);
    assert!(first.status.success(), "stderr: {}", stderr(&first));
    assert!(!first.stdout.is_empty());
    assert_eq!(first.stdout, second.stdout, "{args:?}");
    assert_eq!(first.stderr, second.stderr, "{args:?}");
    first
}

#[test]
fn same_inputs_give_identical_output() {
    for dataset in ["iris", "penguins", "titanic", "adult"] {
        let data = format!("data/{dataset}.csv");
        let rules = format!("rules/{dataset}.rules");
        for format in ["table", "json"] {
            let args = [
                "compare", "--data", &data, "--rules", &rules, "--format", format, "--seed", "7",
            ];
            assert_runs_alike(&args);
        }
    }
    // The detection paths of the loader, with a warning on stderr.
    let output = assert_runs_alike(&[
        "compare",
        "--data",
        "tests/inputs/csv/semicolon.csv",
        "--rules",
        "tests/inputs/csv/base.rules",
    ]);
    assert!(!output.stderr.is_empty());
}

#[test]
fn same_inputs_give_identical_files() {
    let dir = scratch("identical_files");
    let mut written = Vec::new();
    for name in ["first.csv", "second.csv"] {
        let out = dir.join(name);
        let output = rulebench(&[
            "predict",
            "--rules",
            "rules/penguins.rules",
            "--data",
            "data/penguins.csv",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "stderr: {}", stderr(&output));
        written.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(written[0], written[1]);
}

/// Copies the titanic data and rules into a scratch folder, so tests may try to overwrite
/// them.
fn copy_inputs(name: &str) -> (std::path::PathBuf, String, String) {
    let dir = scratch(name);
    let data = dir.join("titanic.csv");
    let rules = dir.join("titanic.rules");
    std::fs::copy(root().join("data/titanic.csv"), &data).unwrap();
    std::fs::copy(root().join("rules/titanic.rules"), &rules).unwrap();
    let text = |p: &Path| p.to_str().unwrap().to_string();
    (dir.clone(), text(&data), text(&rules))
}

fn folder_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn output_over_an_input_is_rejected() {
    let (dir, data, rules) = copy_inputs("output_over_input");
    let before = std::fs::read(&data).unwrap();
    let same_data = dir.join(".").join("titanic.csv");
    for out in [&data, &rules, &same_data.to_str().unwrap().to_string()] {
        let output = rulebench(&["predict", "--rules", &rules, "--data", &data, "--out", out]);
        assert_error(
            &output,
            2,
            &format!(
                "cannot write the output to `{out}`: it is one of the input files. Choose \
                 another output path."
            ),
        );
    }
    assert_eq!(std::fs::read(&data).unwrap(), before);
    assert_eq!(folder_entries(&dir), ["titanic.csv", "titanic.rules"]);
}

#[test]
fn failed_run_keeps_existing_output() {
    let (dir, data, _) = copy_inputs("failed_run_keeps_output");
    let out = dir.join("predictions.csv");
    std::fs::write(&out, "earlier predictions\n").unwrap();
    let output = rulebench(&[
        "predict",
        "--rules",
        "tests/inputs/unknown_column.rules",
        "--data",
        &data,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "earlier predictions\n"
    );
    assert_eq!(
        folder_entries(&dir),
        ["predictions.csv", "titanic.csv", "titanic.rules"]
    );
}

#[test]
fn written_output_leaves_no_temporary_file() {
    let (dir, data, rules) = copy_inputs("no_temporary_file");
    let out = dir.join("predictions.csv");
    let output = rulebench(&[
        "predict",
        "--rules",
        &rules,
        "--data",
        &data,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(
        folder_entries(&dir),
        ["predictions.csv", "titanic.csv", "titanic.rules"]
    );
    let expected = stdout(&rulebench(&["predict", "--rules", &rules, "--data", &data]));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
}

#[test]
fn output_path_checked_before_loading() {
    // The data cannot be read, so only a check made before reading it can report the output
    // path (exit code 2, where unreadable data gives 3).
    let (dir, _, rules) = copy_inputs("output_checked_first");
    let junk = dir.join("junk.csv");
    std::fs::copy(root().join("tests/inputs/csv/junk.csv"), &junk).unwrap();
    let junk = junk.to_str().unwrap();
    let message = |out: &str| {
        format!(
            "cannot write the output to `{out}`: it is one of the input files. Choose another \
             output path."
        )
    };
    for option in ["--html", "--history"] {
        for out in [junk, rules.as_str()] {
            let output = rulebench(&["compare", "--data", junk, "--rules", &rules, option, out]);
            assert_error(&output, 2, &message(out));
        }
    }
    let output = rulebench(&["train", "--data", junk, "--target", "label", "--out", junk]);
    assert_error(&output, 2, &message(junk));
    assert_eq!(
        std::fs::read(junk).unwrap(),
        std::fs::read(root().join("tests/inputs/csv/junk.csv")).unwrap()
    );
}
