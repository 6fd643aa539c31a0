//! The saved model: `train`, `predict --model` and `export`, and bad model files.

use std::path::{Path, PathBuf};

use std::process::Output;

use crate::common::{assert_fails, root, rulebench, scratch, stderr, stdout};

/// Asserts the exit code and that standard error is exactly `expected`.
fn assert_fails_exactly(output: &Output, code: i32, expected: &str) {
    assert_fails(output, code, expected);
    assert_eq!(stderr(output), expected);
}

/// Trains a model on `data` with extra options and returns its path in `dir`.
pub fn train(dir: &Path, name: &str, data: &str, target: &str, options: &[&str]) -> PathBuf {
    let out = dir.join(format!("{name}.json"));
    let mut args = vec![
        "train",
        "--data",
        data,
        "--target",
        target,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(options);
    let output = rulebench(&args);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    out
}

/// Parses the rows of a CSV text, header first.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn predict(args: &[&str]) -> Vec<Vec<String>> {
    let output = rulebench(args);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    csv_rows(&stdout(&output))
}

/// Exports `model` and checks that `fmt --check` accepts the exported file. Then checks
/// that the exported rules, run through rulebench's own rule parser and evaluator, give the
/// tree's class on every row of `data`, and that the rule that fires is the leaf the tree
/// reaches.
pub fn check_export_matches(dir: &Path, model: &Path, data: &str) {
    let rules = dir.join(format!(
        "{}.rules",
        model.file_stem().unwrap().to_str().unwrap()
    ));
    let output = rulebench(&[
        "export",
        model.to_str().unwrap(),
        "--out",
        rules.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    // The exported file is already in the layout `fmt` gives.
    let formatted = rulebench(&["fmt", "--check", rules.to_str().unwrap()]);
    assert!(formatted.status.success(), "{}", stderr(&formatted));

    let by_tree = predict(&[
        "predict",
        "--model",
        model.to_str().unwrap(),
        "--data",
        data,
    ]);
    let by_rules = predict(&[
        "predict",
        "--rules",
        rules.to_str().unwrap(),
        "--data",
        data,
    ]);
    assert_eq!(by_tree[0], ["row", "prediction", "leaf", "reason"]);
    assert_eq!(by_rules[0], ["row", "prediction", "rule"]);
    assert_eq!(by_tree.len(), by_rules.len());
    assert!(by_tree.len() > 1);
    for (tree, rules) in by_tree.iter().zip(&by_rules).skip(1) {
        assert_eq!(tree[1], rules[1], "{data}: prediction of row {}", tree[0]);
        assert_eq!(tree[2], rules[2], "{data}: leaf of row {}", tree[0]);
    }
}

#[test]
fn exported_rules_match_tree_on_every_shipped_row() {
    let dir = scratch("export_shipped");
    for (dataset, target) in [
        ("iris", "species"),
        ("penguins", "species"),
        ("titanic", "survived"),
        ("adult", "income"),
    ] {
        let data = format!("data/{dataset}.csv");
        let model = train(&dir, dataset, &data, target, &[]);
        check_export_matches(&dir, &model, &data);
    }
    // The adult tree has rules longer than a line, which the export lays out as `fmt` does.
    let adult = std::fs::read_to_string(dir.join("adult.rules")).unwrap();
    assert!(adult.contains(":\n    "), "{adult}");
    assert!(adult.contains("\n    and "), "{adult}");
}

#[test]
fn exported_rules_match_under_every_preprocessing() {
    // Most frequent imputation folds missing values into a category, mean imputation and
    // rescaling move thresholds: the exported missing branches must follow all of them.
    let dir = scratch("export_preprocessing");
    let variants: [&[&str]; 3] = [
        &["--impute-categorical", "most-frequent"],
        &["--impute-numeric", "mean", "--scale", "standard"],
        &["--scale", "minmax", "--max-depth", "none"],
    ];
    for (index, options) in variants.iter().enumerate() {
        for (dataset, target) in [("penguins", "species"), ("titanic", "survived")] {
            let data = format!("data/{dataset}.csv");
            let model = train(&dir, &format!("{dataset}_{index}"), &data, target, options);
            check_export_matches(&dir, &model, &data);
        }
    }
}

#[test]
fn exported_rules_quote_awkward_names() {
    // Titanic with column names and categories that need backquotes and escapes.
    let dir = scratch("export_awkward_names");
    let data = dir.join("awkward.csv");
    let source = std::fs::read_to_string(root().join("data/titanic.csv")).unwrap();
    let mut text =
        String::from("survived,\"passenger sex\",age in `years`,\"class, \"\"cabin\"\"\"\n");
    for line in source.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let class = format!("\"{} \\ \"\"deck\"\"\"", fields[3]);
        text.push_str(&format!(
            "{},{},{},{class}\n",
            fields[0], fields[1], fields[2]
        ));
    }
    std::fs::write(&data, text).unwrap();
    let data = data.to_str().unwrap();
    let model = train(&dir, "awkward", data, "survived", &[]);
    check_export_matches(&dir, &model, data);
    let rules = std::fs::read_to_string(dir.join("awkward.rules")).unwrap();
    assert!(rules.contains("`passenger sex`"), "{rules}");
    assert!(rules.contains("`age in \\`years\\``"), "{rules}");
}

#[test]
fn unseen_categories_are_predicted_and_reported() {
    let dir = scratch("unseen_categories");
    let model = train(&dir, "titanic", "data/titanic.csv", "survived", &[]);
    check_export_matches(&dir, &model, "tests/inputs/titanic_unseen.csv");
    let output = rulebench(&[
        "predict",
        "--model",
        model.to_str().unwrap(),
        "--data",
        "tests/inputs/titanic_unseen.csv",
    ]);
    assert!(output.status.success());
    let expected = "\
warning: column `sex` of `tests/inputs/titanic_unseen.csv` contains categories the model never saw in training: `other` (1 row). They match none of the model's categories, so every `!=` test on the column is true for them.
warning: column `passengerClass` of `tests/inputs/titanic_unseen.csv` contains categories the model never saw in training: `crew` (2 rows). They match none of the model's categories, so every `!=` test on the column is true for them.
";
    assert_eq!(stderr(&output), expected);
}

#[test]
fn model_bytes_are_identical_across_runs() {
    let dir = scratch("model_bytes");
    let options = ["--cv", "3", "--scale", "standard"];
    let first = train(&dir, "first", "data/penguins.csv", "species", &options);
    let second = train(&dir, "second", "data/penguins.csv", "species", &options);
    assert_eq!(
        std::fs::read(first).unwrap(),
        std::fs::read(second).unwrap()
    );
}

#[test]
fn shipped_fixture_model_is_what_train_writes() {
    // The fixture behind the model-file error tests must stay a model rulebench writes.
    let dir = scratch("fixture_model");
    let options = [
        "--max-depth",
        "1,2",
        "--min-weight-leaf",
        "1",
        "--criterion",
        "gini",
    ];
    let model = train(&dir, "iris", "data/iris.csv", "species", &options);
    let fixture = root().join("tests/inputs/model_iris.json");
    assert_eq!(
        std::fs::read_to_string(model).unwrap(),
        std::fs::read_to_string(fixture).unwrap()
    );
}

#[test]
fn predict_with_model_gives_path_as_reason() {
    let rows = predict(&[
        "predict",
        "--model",
        "tests/inputs/model_iris.json",
        "--data",
        "data/iris.csv",
    ]);
    assert_eq!(rows.len(), 151);
    assert_eq!(rows[1], ["1", "setosa", "leaf_1", "petal_length <= 2.45"]);
    assert_eq!(
        rows[51],
        [
            "51",
            "versicolor",
            "leaf_2",
            "petal_length > 2.45 and petal_width <= 1.65"
        ]
    );
}

#[test]
fn value_on_threshold_goes_left() {
    // Left in training, prediction and export alike.
    // Near 10^12 adjacent doubles are 0.000122 apart, wider than the tree's 0.00001
    // minimum, and their midpoint rounds onto the lower value: the threshold equals the
    // value of every class `a` row.
    let dir = scratch("on_threshold");
    let data = "tests/inputs/on_threshold.csv";
    let model = train(&dir, "threshold", data, "label", &[]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let nodes = &json["tree"]["nodes"];
    assert_eq!(nodes[0]["threshold"].as_f64(), Some(1e12));
    // Training: the six training rows at the threshold were counted in the left leaf.
    let left = nodes[0]["left"].as_u64().unwrap() as usize;
    assert_eq!(nodes[left]["counts"], serde_json::json!([6, 0]));

    // Prediction and export: every row at the threshold goes left, to class `a`.
    let rows = predict(&[
        "predict",
        "--model",
        model.to_str().unwrap(),
        "--data",
        data,
    ]);
    assert!(rows[1..11]
        .iter()
        .all(|r| r[1] == "a" && r[3] == "x <= 1000000000000"));
    assert!(rows[11..].iter().all(|r| r[1] == "b"));
    check_export_matches(&dir, &model, data);
    let rules = std::fs::read_to_string(dir.join("threshold.rules")).unwrap();
    assert!(rules.contains("rule leaf_1: x <= 1000000000000 or x is missing => a\n"));
}

#[test]
fn truncated_model_is_reported() {
    let output = rulebench(&["export", "tests/inputs/model_truncated.json"]);
    assert_fails_exactly(
        &output,
        5,
        "error: `tests/inputs/model_truncated.json` is truncated: the JSON stops at line 64, column 15, before the model is complete. Restore the file from a copy, or train the model again with `rulebench train`.\n",
    );
}

#[test]
fn model_that_is_not_json_is_reported() {
    let output = rulebench(&["export", "tests/inputs/model_not_json.json"]);
    assert_fails_exactly(
        &output,
        5,
        "error: `tests/inputs/model_not_json.json` is not a rulebench model: it is not valid JSON at line 10, column 11 (expected `,` or `]`). Restore the file from a copy, or train the model again with `rulebench train`.\n",
    );
}

#[test]
fn corrupted_model_is_reported() {
    let output = rulebench(&[
        "predict",
        "--model",
        "tests/inputs/model_corrupted.json",
        "--data",
        "data/iris.csv",
    ]);
    assert_fails_exactly(
        &output,
        5,
        "error: `tests/inputs/model_corrupted.json` is not a valid rulebench model: node 0 points to node 99, which is not a later node of the 5 in the tree. Restore the file from a copy, or train the model again with `rulebench train`.\n",
    );
}

#[test]
fn model_from_other_version_is_reported() {
    let output = rulebench(&["export", "tests/inputs/model_future.json"]);
    let expected = format!(
        "error: `tests/inputs/model_future.json` has model format 2, written by rulebench 0.3.0, but rulebench {} reads format 1 only. Train the model again with this rulebench, or use the version that wrote it.\n",
        env!("CARGO_PKG_VERSION")
    );
    assert_fails_exactly(&output, 5, &expected);
}

#[test]
fn data_without_model_column_is_reported() {
    let output = rulebench(&[
        "predict",
        "--model",
        "tests/inputs/model_iris.json",
        "--data",
        "tests/inputs/iris_renamed.csv",
    ]);
    assert_fails_exactly(
        &output,
        5,
        "error: `tests/inputs/iris_renamed.csv` does not fit the model `tests/inputs/model_iris.json`: it has no column `petal_width`, which the tree splits on. Did you mean `petal_wdth`? Give the data the model's columns, or train a model on this data.\n",
    );
}

#[test]
fn text_in_numeric_model_column_is_reported() {
    let output = rulebench(&[
        "predict",
        "--model",
        "tests/inputs/model_iris.json",
        "--data",
        "tests/inputs/iris_text.csv",
    ]);
    assert_fails_exactly(
        &output,
        5,
        "error: `tests/inputs/iris_text.csv` does not fit the model `tests/inputs/model_iris.json`: column `petal_length` contains text (`six` on line 3), but the model was trained on numbers in it. Fix the value, or write NA to mark it missing.\n",
    );
}

#[test]
fn predict_needs_rules_or_model() {
    let output = rulebench(&["predict", "--data", "data/iris.csv"]);
    assert_fails(&output, 2, "--rules <FILE>|--model <FILE>");
    let output = rulebench(&[
        "predict",
        "--data",
        "data/iris.csv",
        "--rules",
        "rules/iris.rules",
        "--model",
        "tests/inputs/model_iris.json",
    ]);
    assert_fails(&output, 2, "cannot be used with");
}

#[test]
fn columns_the_tree_never_reads_may_be_absent() {
    // The fixture's tree splits on the petal columns only.
    let dir = scratch("unread_columns");
    let iris = std::fs::read_to_string(root().join("data/iris.csv")).unwrap();
    let petals: String = iris
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            format!("{},{}\n", fields[2], fields[3])
        })
        .collect();
    let data = dir.join("petals.csv");
    std::fs::write(&data, petals).unwrap();
    let predict = |data: &str| {
        rulebench(&[
            "predict",
            "--model",
            "tests/inputs/model_iris.json",
            "--data",
            data,
        ])
    };
    let full = predict("data/iris.csv");
    let partial = predict(data.to_str().unwrap());
    assert!(partial.status.success(), "stderr: {}", stderr(&partial));
    assert_eq!(stdout(&partial), stdout(&full));
    assert_eq!(
        stderr(&partial),
        format!(
            "warning: in `{}`, `sepal_length` is absent, `sepal_width` is absent: the model's \
             tree never splits on these columns, so they are read as missing and no prediction \
             changes\n",
            data.display()
        )
    );
}

#[test]
fn infinite_values_go_beyond_every_threshold() {
    let dir = scratch("infinite_predict");
    let data = dir.join("infinite.csv");
    std::fs::write(
        &data,
        "sepal_length,sepal_width,petal_length,petal_width\n\
         5,3,-inf,-inf\n\
         5,3,inf,inf\n\
         5,3,inf,-infinity\n",
    )
    .unwrap();
    let output = rulebench(&[
        "predict",
        "--model",
        "tests/inputs/model_iris.json",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let predictions: Vec<String> = stdout(&output)
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(predictions, ["setosa", "virginica", "versicolor"]);
}

#[test]
fn rule_file_given_as_model_is_named() {
    let output = rulebench(&[
        "predict",
        "--model",
        "rules/iris.rules",
        "--data",
        "data/iris.csv",
    ]);
    assert_fails_exactly(
        &output,
        5,
        "error: `rules/iris.rules` is not a rulebench model: a model is the JSON document that \
         `rulebench train` writes, and this file does not start with `{`. To apply a rule file, \
         pass it with --rules instead of --model.\n",
    );
}

#[test]
fn categorical_flag_on_a_split_column_is_an_error() {
    let output = rulebench(&[
        "predict",
        "--model",
        "tests/inputs/model_iris.json",
        "--data",
        "data/iris.csv",
        "--categorical",
        "petal_length",
    ]);
    assert_fails_exactly(
        &output,
        5,
        "error: `data/iris.csv` does not fit the model `tests/inputs/model_iris.json`: column \
         `petal_length` is read as categories because --categorical names it, but the model was \
         trained on numbers in it. Leave it out of --categorical.\n",
    );
}
