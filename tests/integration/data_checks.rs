//! Data that loads but can mislead: each case ends in an error, or in a warning on stderr
//! and in the report's `warnings`, never in silently wrong numbers.
//!
//! The files in `tests/inputs/data/` are `tests/inputs/csv/base.csv` (30 rows of
//! `label,x,color`) with one column added or one label changed.

use std::process::Output;

use rulebench::data::review::review_classes;
use rulebench::data::{Labels, Split};

use crate::common::{assert_error, rulebench, stderr, stdout, warnings};

const RULES: &str = "tests/inputs/csv/base.rules";

/// Runs `compare --format json` on a file of `tests/inputs/data/`.
fn compare(name: &str, flags: &[&str]) -> Output {
    let data = format!("tests/inputs/data/{name}");
    let mut args = vec![
        "compare", "--rules", RULES, "--data", &data, "--format", "json",
    ];
    args.extend_from_slice(flags);
    rulebench(&args)
}

fn report(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "stderr: {}", stderr(output));
    serde_json::from_str(&stdout(output)).expect("the report decodes")
}

/// Asserts that the run printed exactly `expected` as warnings and put the same list in the
/// report.
fn assert_warnings(output: &Output, expected: &[&str]) {
    assert_eq!(warnings(output), expected);
    assert_eq!(report(output)["warnings"], serde_json::json!(expected));
}

#[test]
fn single_class_is_an_error() {
    let output = rulebench(&[
        "compare",
        "--data",
        "tests/inputs/one_class.csv",
        "--rules",
        "tests/inputs/sex_age.rules",
    ]);
    assert_error(
        &output,
        3,
        "`tests/inputs/one_class.csv`: the target column `survived` holds only the class `yes`; \
         a classifier needs at least two classes to tell apart",
    );
}

#[test]
fn class_missing_from_training_rows_is_warned_about() {
    // The stratified split always keeps a training row for each class, so this can only
    // come from a split made otherwise; the check guards the scores all the same.
    let labels = Labels {
        column: "label".to_string(),
        classes: vec!["no".to_string(), "rare".to_string(), "yes".to_string()],
        rows: vec![Some(0), Some(2), Some(0), Some(2), Some(1), Some(1)],
    };
    let split = Split {
        train: vec![0, 1],
        validation: vec![2, 3],
        test: vec![4, 5],
    };
    assert_eq!(
        review_classes(&labels, &split),
        [
            "class `no` has only 2 labelled rows, which the split puts in the training and \
             validation rows: the test rows hold none, so the test scores say nothing about \
             this class",
            "class `rare` occurs in 2 test rows but in no training row, so the tree and the \
             baseline cannot predict it",
            "class `yes` has only 2 labelled rows, which the split puts in the training and \
             validation rows: the test rows hold none, so the test scores say nothing about \
             this class",
        ]
    );
}

#[test]
fn class_with_one_row_is_warned_about() {
    let output = compare("one_row_class.csv", &[]);
    assert_warnings(
        &output,
        &[
            "class `maybe` has only 1 labelled row, which the split puts in the training rows: \
           the test rows hold none, so the test scores say nothing about this class",
        ],
    );
    let report = report(&output);
    assert_eq!(report["classes"], serde_json::json!(["maybe", "no", "yes"]));
    assert_eq!(report["split"]["train"], 18);
}

#[test]
fn entirely_missing_column_is_dropped() {
    let output = compare("empty_column.csv", &[]);
    assert_warnings(
        &output,
        &[
            "column `notes` has no values (every cell is empty or a missing-value marker), so \
           the tree leaves it out",
        ],
    );
    // `x` and the three colours.
    assert_eq!(report(&output)["tree"]["features"], 4);
}

#[test]
fn constant_column_is_warned_about() {
    let output = compare("constant.csv", &[]);
    assert_warnings(
        &output,
        &[
            "column `country` has the same value `Spain` in every row, so it cannot tell the \
           classes apart",
        ],
    );
}

#[test]
fn numeric_id_column_is_warned_about() {
    let output = compare("id.csv", &[]);
    assert_warnings(
        &output,
        &[
            "column `id` has a different whole number in each of the 30 rows, like a row ID: \
           the tree can memorise rows by it, which does not carry over to new rows. Remove the \
           column if it is an ID.",
        ],
    );
    // `x`, the three colours and `id`.
    assert_eq!(report(&output)["tree"]["features"], 5);
}

#[test]
fn text_id_column_is_left_out() {
    let output = compare("ticket.csv", &[]);
    assert_warnings(
        &output,
        &[
            "column `ticket` has a different value in each of the 30 rows, like a row ID: a \
           tree could only memorise rows by it, so the tree leaves it out",
        ],
    );
    // `x` and the three colours, but no feature per ticket.
    assert_eq!(report(&output)["tree"]["features"], 4);
}

#[test]
fn shipped_data_has_no_warnings() {
    for dataset in ["iris", "penguins", "titanic", "adult"] {
        let output = rulebench(&[
            "compare",
            "--data",
            &format!("data/{dataset}.csv"),
            "--rules",
            &format!("rules/{dataset}.rules"),
        ]);
        assert!(output.status.success(), "stderr: {}", stderr(&output));
        assert_eq!(warnings(&output), Vec::<String>::new(), "{dataset}");
    }
}

#[test]
fn integer_codes_can_be_forced_categorical() {
    // `grade` holds 1, 2 and 3: one numeric feature, or one feature per grade.
    let as_numbers = report(&compare("codes.csv", &[]));
    assert_eq!(as_numbers["tree"]["features"], 5);
    let as_categories = report(&compare("codes.csv", &["--categorical", "grade"]));
    assert_eq!(as_categories["tree"]["features"], 7);
}

#[test]
fn unknown_categorical_column_is_named() {
    let output = compare("codes.csv", &["--categorical", "grad"]);
    assert_error(
        &output,
        3,
        "--categorical `grad`: `tests/inputs/data/codes.csv` has no column of that name. Did \
         you mean `grade`?",
    );
}

#[test]
fn rows_without_label_are_left_out() {
    let output = compare("missing_labels.csv", &[]);
    assert_warnings(
        &output,
        &["4 rows have no value in `label` and were left out (lines 4, 9, 12 and 1 more)"],
    );
    let report = report(&output);
    assert_eq!(report["split"]["unlabelled"], 4);
    assert_eq!(report["split"]["train"], 16);
}

#[test]
fn repeated_data_file_is_reported() {
    let output = rulebench(&[
        "compare",
        "--data",
        "data/iris.csv",
        "--data",
        "data/iris.csv",
        "--rules",
        "rules/iris.rules",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(
        warnings(&output),
        [
            "`data/iris.csv` has the same content as `data/iris.csv`: its 150 rows are read \
          twice, so copies of a row can land in both the training and the test rows; give \
          each file once"
        ]
    );
}

#[test]
fn warnings_of_several_files_name_each_file_once() {
    let output = rulebench(&[
        "compare",
        "--data",
        "tests/inputs/csv/base.csv",
        "--data",
        "tests/inputs/csv/label_case.csv",
        "--rules",
        "tests/inputs/csv/base.rules",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let warnings = warnings(&output);
    let naming: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("label_case.csv"))
        .collect();
    assert!(!naming.is_empty(), "{warnings:?}");
    for warning in naming {
        assert_eq!(warning.matches("label_case.csv").count(), 1, "{warning}");
    }
}

/// Writes 200 rows of `x,y`: `x` from 0.6 to 1.0 times 1.79e308, `y` is `b` above 0.8 times
/// it. With `missing_every`, every such row has no `x`.
fn huge_values(name: &str, missing_every: Option<usize>) -> String {
    let dir = crate::common::scratch(name);
    let mut text = String::from("x,y\n");
    for row in 0..200 {
        let share = 0.6 + 0.4 * row as f64 / 199.0;
        let x = if missing_every.is_some_and(|n| row % n == 0) {
            String::new()
        } else {
            format!("{:e}", share * 1.79e308)
        };
        let y = if share > 0.8 { "b" } else { "a" };
        text.push_str(&format!("{x},{y}\n"));
    }
    let path = dir.join("huge.csv");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Trains on `data` and returns the standard output.
fn train_on(data: &str, flags: &[&str]) -> String {
    let out = std::path::Path::new(data).with_file_name("model.json");
    let mut args = vec![
        "train",
        "--data",
        data,
        "--target",
        "y",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(flags);
    let output = rulebench(&args);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert!(!stderr(&output).contains("row ID"), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn values_near_the_largest_float_are_split() {
    let data = huge_values("huge_values", None);
    let report = train_on(&data, &[]);
    assert!(
        report.contains("The tree has depth 1 and 2 leaves"),
        "{report}"
    );
}

#[test]
fn standard_scaling_of_values_near_the_largest_float() {
    let data = huge_values("huge_values_scaled", None);
    let report = train_on(&data, &["--scale", "standard"]);
    assert!(
        report.contains("The tree has depth 1 and 2 leaves"),
        "{report}"
    );
}

#[test]
fn mean_imputation_of_values_near_the_largest_float() {
    let data = huge_values("huge_values_mean", Some(10));
    let report = train_on(&data, &["--impute-numeric", "mean"]);
    assert!(!report.contains("The tree has depth 0"), "{report}");
}

#[test]
fn rules_comparing_numbers_with_text_warn() {
    let dir = crate::common::scratch("rule_text_numbers");
    let rules = dir.join("text.rules");
    std::fs::write(
        &rules,
        "target species\ndefault virginica\n\
         rule small: petal_length < 2.5 => setosa\n\
         rule odd: petal_width == \"99\" => versicolor\n",
    )
    .unwrap();
    let output = rulebench(&[
        "compare",
        "--data",
        "data/iris.csv",
        "--rules",
        rules.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let expected = "the rules compare column `petal_width`, whose values are all numbers, with \
         text (a quoted string, a set of strings or a text test), so it is read as text: the \
         tree then treats its 22 distinct values as categories instead of splitting at \
         thresholds. Compare it with numbers, such as `petal_width == 1` instead of \
         `petal_width == \"1\"`, or pass --categorical petal_width to keep it as categories \
         without this warning.";
    assert_warnings(&output, &[expected]);
}

/// Writes `x,y` rows of `x` values for class `lo` and class `hi`, `rows` of each.
fn two_values(name: &str, lo: &str, hi: &str, rows: usize) -> String {
    let dir = crate::common::scratch(name);
    let mut text = String::from("x,y\n");
    for _ in 0..rows {
        text.push_str(&format!("{lo},lo\n{hi},hi\n"));
    }
    let path = dir.join("span.csv");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn rescaling_a_range_wider_than_the_largest_float() {
    // max - min and x - mean overflow here, though every value is finite.
    let data = two_values("span_minmax", "-1e308", "1e308", 20);
    let report = train_on(&data, &["--scale", "minmax"]);
    assert!(
        report.contains("The tree has depth 1 and 2 leaves"),
        "{report}"
    );
    let data = two_values("span_standard", "-1.7e308", "1.7e308", 20);
    let report = train_on(&data, &["--scale", "standard"]);
    assert!(
        report.contains("The tree has depth 1 and 2 leaves"),
        "{report}"
    );
}

#[test]
fn standard_scaling_of_tiny_values() {
    // Squared deviations of about 1e-340 underflow to zero in a plain variance.
    let data = two_values("tiny_standard", "1e-170", "2e-170", 20);
    let report = train_on(&data, &["--scale", "standard"]);
    assert!(
        report.contains("The tree has depth 1 and 2 leaves"),
        "{report}"
    );
}
