//! `rulebench gen`: the synthetic benchmark data and its rule file.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{assert_error, assert_fails, rulebench, scratch, stderr, stdout};
use crate::compare::Report;

/// Runs `rulebench gen` into `dir` with `extra` settings; returns the data and rule paths.
fn generate(dir: &Path, extra: &[&str]) -> (PathBuf, PathBuf) {
    let data = dir.join("data.csv");
    let rules = dir.join("data.rules");
    let mut args = vec![
        "gen",
        "--out",
        data.to_str().unwrap(),
        "--rules-out",
        rules.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = rulebench(&args);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).is_empty(), "stderr: {}", stderr(&output));
    (data, rules)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn gen_writes_the_documented_columns() {
    let dir = scratch("gen-schema");
    let (data, _) = generate(
        &dir,
        &[
            "--rows",
            "5000",
            "--features",
            "6",
            "--categorical",
            "2",
            "--missing",
            "0.1",
        ],
    );
    let text = read(&data);
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), "x1,x2,x3,x4,x5,x6,cat1,cat2,label");
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 5000);

    let (mut cells, mut missing) = (0, 0);
    for row in &rows {
        assert_eq!(row.len(), 9, "{row:?}");
        for cell in &row[..6] {
            cells += 1;
            if cell.is_empty() {
                missing += 1;
            } else {
                assert!(cell.parse::<f64>().is_ok(), "not a number: {cell}");
            }
        }
        for cell in &row[6..8] {
            cells += 1;
            if cell.is_empty() {
                missing += 1;
            } else {
                assert!(["a", "b", "c", "d", "e", "f", "g"].contains(cell), "{cell}");
            }
        }
        assert!(
            ["class0", "class1", "class2"].contains(&row[8]),
            "{}",
            row[8]
        );
    }
    // 40,000 cells with a 10 % chance each: the share lies within 8 % to 12 %.
    let share = missing as f64 / cells as f64;
    assert!((0.08..0.12).contains(&share), "missing share {share}");
}

#[test]
fn gen_rule_file_has_the_measured_shape() {
    let dir = scratch("gen-shape");
    let (_, rules) = generate(
        &dir,
        &["--rows", "100", "--features", "20", "--categorical", "0"],
    );
    let text = read(&rules);
    let rule_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("rule ")).collect();
    assert_eq!(rule_lines.len(), 10);
    let comparisons: usize = rule_lines
        .iter()
        .map(|l| l.matches(" and ").count() + 1)
        .sum();
    assert_eq!(comparisons, 25);
    assert!(text.contains("\ntarget label\n"));
}

#[test]
fn gen_is_deterministic_across_runs_and_threads() {
    let first = generate(&scratch("gen-first"), &["--rows", "40000", "--seed", "7"]);
    let dir = scratch("gen-one-thread");
    let data = dir.join("data.csv");
    let rules = dir.join("data.rules");
    let output = Command::new(env!("CARGO_BIN_EXE_rulebench"))
        .args(["gen", "--rows", "40000", "--seed", "7", "--out"])
        .arg(&data)
        .arg("--rules-out")
        .arg(&rules)
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert!(
        read(&first.0) == read(&data),
        "data differs with one thread"
    );
    assert_eq!(read(&first.1), read(&rules));

    let other_seed = generate(
        &scratch("gen-other-seed"),
        &["--rows", "40000", "--seed", "8"],
    );
    assert!(read(&first.0) != read(&other_seed.0));
}

#[test]
fn gen_rules_and_tree_beat_baseline() {
    let dir = scratch("gen-compare");
    let (data, rules) = generate(&dir, &["--rows", "30000"]);
    let output = rulebench(&[
        "compare",
        "--data",
        data.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let report: Report = serde_json::from_str(&stdout(&output)).unwrap();
    let models = &report.models;
    assert!(
        models.rules.accuracy > models.baseline.accuracy + 0.2,
        "rules {} vs baseline {}",
        models.rules.accuracy,
        models.baseline.accuracy
    );
    assert!(
        models.tree.accuracy > models.baseline.accuracy + 0.1,
        "tree {} vs baseline {}",
        models.tree.accuracy,
        models.baseline.accuracy
    );
    // The hidden rules need several levels of splits, not one or two.
    assert!(report.tree.depth >= 4, "depth {}", report.tree.depth);
    assert!(report.tree.leaves >= 10, "leaves {}", report.tree.leaves);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn gen_rejects_one_path_for_both_files() {
    let dir = scratch("gen-same-path");
    let path = dir.join("both.csv");
    let path = path.to_str().unwrap();
    let output = rulebench(&["gen", "--out", path, "--rules-out", path]);
    assert_fails(
        &output,
        2,
        &format!(
            "cannot write the --rules-out output to `{path}`: it is also the --out output. \
             Choose another output path."
        ),
    );
    assert!(!Path::new(path).exists());
}

#[test]
fn gen_rejects_invalid_settings() {
    let dir = scratch("gen-invalid");
    let data = dir.join("data.csv");
    let rules = dir.join("data.rules");
    let (data, rules) = (data.to_str().unwrap(), rules.to_str().unwrap());
    let cases = [
        (vec!["--missing", "0.7"], "--missing is `0.7`"),
        (vec!["--classes", "1"], "--classes is `1`"),
        (vec!["--rows", "0"], "--rows must be at least 1"),
        (
            vec![
                "--features",
                "2",
                "--categorical",
                "0",
                "--comparisons",
                "30",
            ],
            "--comparisons is `30`",
        ),
    ];
    for (settings, message) in cases {
        let mut args = vec!["gen", "--out", data, "--rules-out", rules];
        args.extend(settings);
        assert_fails(&rulebench(&args), 2, message);
        assert!(!Path::new(data).exists());
        assert!(!Path::new(rules).exists());
    }
}

#[test]
fn gen_into_missing_folder_fails_cleanly() {
    let dir = scratch("gen-no-folder");
    let data = dir.join("absent/data.csv");
    let rules = dir.join("data.rules");
    let output = rulebench(&[
        "gen",
        "--out",
        data.to_str().unwrap(),
        "--rules-out",
        rules.to_str().unwrap(),
    ]);
    assert_fails(&output, 1, "cannot write");
    assert!(!rules.exists());
}

#[test]
fn gen_rejects_counts_above_their_maximum() {
    let dir = scratch("gen-limits");
    let data = dir.join("data.csv");
    let rules = dir.join("data.rules");
    let (data, rules) = (data.to_str().unwrap(), rules.to_str().unwrap());
    let huge = u64::MAX.to_string();
    let limits = [
        ("--features", 1, 10_000),
        ("--categorical", 0, 10_000),
        ("--classes", 2, 100),
        ("--rule-count", 1, 10_000),
        ("--comparisons", 1, 100_000),
    ];
    for (flag, min, max) in limits {
        for value in [(max + 1).to_string(), huge.clone()] {
            let output = rulebench(&[
                "gen",
                "--rows",
                "2",
                flag,
                &value,
                "--out",
                data,
                "--rules-out",
                rules,
            ]);
            assert_error(
                &output,
                2,
                &format!("{flag} is `{value}`, but must be between {min} and {max}"),
            );
            assert!(!Path::new(data).exists());
            assert!(!Path::new(rules).exists());
        }
    }
}

#[test]
fn gen_comparison_range_counts_columns_in_words() {
    let dir = scratch("gen-comparison-range");
    let data = dir.join("data.csv");
    let rules = dir.join("data.rules");
    let (data, rules) = (data.to_str().unwrap(), rules.to_str().unwrap());
    let cases: [(&[&str], &str); 2] = [
        (
            &[
                "--features",
                "1",
                "--categorical",
                "0",
                "--comparisons",
                "50",
            ],
            "--comparisons is `50`, but 10 rules over 1 column need between 10 and 10 \
             comparisons (each rule tests a column at most once)",
        ),
        (
            &[
                "--features",
                "3",
                "--categorical",
                "0",
                "--rule-count",
                "1",
                "--comparisons",
                "4",
            ],
            "--comparisons is `4`, but 1 rule over 3 columns needs between 1 and 3 \
             comparisons (each rule tests a column at most once)",
        ),
    ];
    for (settings, message) in cases {
        let mut args = vec!["gen", "--rows", "2", "--out", data, "--rules-out", rules];
        args.extend_from_slice(settings);
        assert_error(&rulebench(&args), 2, message);
    }
}

#[test]
fn gen_accepts_the_largest_rule_counts() {
    let dir = scratch("gen-most-rules");
    let (_, rules) = generate(
        &dir,
        &[
            "--rows",
            "1000",
            "--features",
            "10",
            "--categorical",
            "0",
            "--rule-count",
            "10000",
            "--comparisons",
            "100000",
        ],
    );
    let text = read(&rules);
    let rule_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("rule ")).collect();
    assert_eq!(rule_lines.len(), 10_000);
    assert!(rule_lines.iter().all(|l| l.matches(" and ").count() == 9));
}

#[test]
fn gen_wide_data_is_deterministic_across_threads() {
    // 70 columns: wider than the chunk layout of narrow data, so chunks hold fewer rows.
    let settings = ["--rows", "20000", "--features", "70", "--categorical", "0"];
    let first = generate(&scratch("gen-wide-first"), &settings);
    let dir = scratch("gen-wide-one-thread");
    let data = dir.join("data.csv");
    let output = Command::new(env!("CARGO_BIN_EXE_rulebench"))
        .arg("gen")
        .args(settings)
        .arg("--out")
        .arg(&data)
        .arg("--rules-out")
        .arg(dir.join("data.rules"))
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = read(&first.0);
    assert_eq!(text.lines().count(), 20_001);
    assert!(text == read(&data), "wide data differs with one thread");
}

#[test]
fn gen_rejects_absent_rule_class() {
    // 20 rows at seed 42 hold no row of `class2`, which rule `r3` predicts.
    let dir = scratch("gen-absent-class");
    let data = dir.join("data.csv");
    let rules = dir.join("data.rules");
    let (data, rules) = (data.to_str().unwrap(), rules.to_str().unwrap());
    let output = rulebench(&["gen", "--rows", "20", "--out", data, "--rules-out", rules]);
    crate::common::assert_error(
        &output,
        2,
        "none of the 20 generated rows has class `class2`, which rule `r3` predicts, so the \
         rule file would not fit the data: raise --rows or lower --classes. Nothing was written.",
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);

    // With enough rows every class occurs, and the files fit each other.
    let (data, rules) = generate(&dir, &["--rows", "50"]);
    let output = rulebench(&[
        "check",
        rules.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stdout(&output));
}
