//! Model files with impossible values, and exported rule files whose comments hold class or
//! file names with line breaks.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{assert_error, root, rulebench, scratch, stderr, stdout};
use crate::model::{check_export_matches, train};

const RETRAIN: &str =
    "Restore the file from a copy, or train the model again with `rulebench train`.";

fn fixture() -> Value {
    let text = std::fs::read_to_string(root().join("tests/inputs/model_iris.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Writes the fixture model, changed by `edit`, to `dir/name.json`.
fn edited_model(dir: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let mut model = fixture();
    edit(&mut model);
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&model).unwrap()).unwrap();
    path
}

#[test]
fn impossible_model_values_are_rejected() {
    let dir = scratch("model_impossible_values");
    type Edit = fn(&mut Value);
    let cases: [(&str, Edit, &str); 9] = [
        (
            "fitted_rows",
            |m| m["training_data"]["fitted_rows"] = json!(u64::MAX),
            "it says the tree was fitted on 18446744073709551615 rows, but its training rows \
             are 90",
        ),
        (
            "max_depth",
            |m| m["hyperparameters"]["max_depth"] = json!(u64::MAX),
            "its hyperparameters are invalid: the maximum depth must be at most 100000; write \
             `none` for no limit",
        ),
        (
            "shallow_max_depth",
            |m| m["hyperparameters"]["max_depth"] = json!(1),
            "the tree is 2 deep, but its max_depth is 1",
        ),
        (
            "min_weight_leaf",
            |m| m["hyperparameters"]["min_weight_leaf"] = json!(-1e308),
            "its hyperparameters are invalid: the minimum leaf size must be at least 1",
        ),
        (
            "scale",
            |m| m["preprocessing"]["scale"] = json!("standard"),
            "feature 0 (`sepal_length`) has no rescaling, but the preprocessing says `scale: \
             standard`",
        ),
        (
            "leaf_counts",
            |m| m["tree"]["nodes"][1]["counts"] = json!([31, 0, 0]),
            "its leaves hold 91 training rows, but the tree was fitted on 90",
        ),
        (
            "split_rows",
            |m| m["training_data"]["test_rows"] = json!(u64::MAX),
            "its split of 90 training, 30 validation and 18446744073709551615 test rows does \
             not fit in the rows of its data files",
        ),
        (
            "test_score",
            |m| m["test_scores"]["accuracy"] = json!(1.5),
            "its test accuracy is 1.5, outside 0 to 1",
        ),
        (
            "settings_tried",
            |m| m["selection"]["settings_tried"] = json!(0),
            "it says no tree settings were tried",
        ),
    ];
    for (name, edit, problem) in cases {
        let model = edited_model(&dir, name, edit);
        let output = rulebench(&["export", model.to_str().unwrap()]);
        assert_error(
            &output,
            5,
            &format!(
                "`{}` is not a valid rulebench model: {problem}. {RETRAIN}",
                model.display()
            ),
        );
    }
}

#[test]
fn export_sums_leaf_counts_beyond_u32() {
    let dir = scratch("model_large_counts");
    let model = edited_model(&dir, "large_counts", |m| {
        let max = u64::from(u32::MAX);
        m["tree"]["nodes"][1]["counts"] = json!([max, max, 0]);
        // The other leaves hold 32 and 28 rows; the totals must agree to pass the check.
        let fitted = 2 * max + 60;
        m["training_data"]["train_rows"] = json!(fitted);
        m["training_data"]["fitted_rows"] = json!(fitted);
        m["training_data"]["files"][0]["rows"] = json!(fitted + 60);
    });
    let output = rulebench(&["export", model.to_str().unwrap()]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let rules = stdout(&output);
    assert!(
        rules.contains(
            "\n# 8589934590 training rows: setosa 4294967295, versicolor 4294967295, virginica 0\n"
        ),
        "{rules}"
    );
    assert!(
        rules.contains(", 8589934650 rows fitted, seed 42."),
        "{rules}"
    );
}

#[test]
fn model_with_byte_order_mark_is_read() {
    let dir = scratch("model_byte_order_mark");
    let plain = root().join("tests/inputs/model_iris.json");
    let marked = dir.join("marked.json");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(&plain).unwrap());
    std::fs::write(&marked, bytes).unwrap();
    let with_mark = rulebench(&["export", marked.to_str().unwrap()]);
    assert!(with_mark.status.success(), "stderr: {}", stderr(&with_mark));
    let without = rulebench(&["export", "tests/inputs/model_iris.json"]);
    let tail = |text: String| text.split_once("\ntarget ").unwrap().1.to_string();
    assert_eq!(tail(stdout(&with_mark)), tail(stdout(&without)));
}

/// Asserts that the exported rules of `model` pass `check` and hold no rule but the leaves.
fn assert_rules_are_only_leaves(model: &Path) {
    let rules = model.with_extension("rules");
    let output = rulebench(&["check", rules.to_str().unwrap()]);
    assert!(output.status.success(), "check: {}", stderr(&output));
    let text = std::fs::read_to_string(&rules).unwrap();
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with("rule ") {
            assert!(code.starts_with("rule leaf_"), "foreign rule: {line}");
        }
    }
}

#[test]
fn class_names_with_line_breaks_stay_in_comments() {
    let dir = scratch("model_class_line_breaks");
    let data = dir.join("classes.csv");
    let injected = "small\nrule injected: x > -1000 => big\n#";
    let mut text = String::from("x,y\n");
    for i in 0..60 {
        let class = match i % 3 {
            0 => "big",
            1 => "two\nlines",
            _ => injected,
        };
        let x = (i % 3) * 10 + i / 3 % 5;
        text.push_str(&format!("{x},\"{class}\"\n"));
    }
    std::fs::write(&data, text).unwrap();
    let data = data.to_str().unwrap();
    let model = train(&dir, "classes", data, "y", &[]);
    check_export_matches(&dir, &model, data);
    assert_rules_are_only_leaves(&model);
    let rules = std::fs::read_to_string(model.with_extension("rules")).unwrap();
    assert!(
        rules.contains("small\\nrule injected: x > -1000 => big\\n#"),
        "{rules}"
    );
}

#[test]
fn file_names_with_line_breaks_stay_in_comments() {
    let dir = scratch("model_file_line_breaks");
    let data = dir.join("d\nrule injected: sepal_length > 0 => setosa\n#.csv");
    std::fs::copy(root().join("data/iris.csv"), &data).unwrap();
    let data = data.to_str().unwrap();
    let model = train(
        &dir,
        "m\nrule other: sepal_length > 0 => versicolor\n#",
        data,
        "species",
        &[],
    );
    check_export_matches(&dir, &model, data);
    assert_rules_are_only_leaves(&model);
}

#[test]
fn train_rejects_depth_above_limit() {
    let dir = scratch("model_depth_limit");
    let out = dir.join("model.json");
    let output = rulebench(&[
        "train",
        "--data",
        "data/iris.csv",
        "--target",
        "species",
        "--max-depth",
        "100001",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_error(
        &output,
        2,
        "invalid tree setting: the maximum depth must be at most 100000; write `none` for no \
         limit",
    );
    assert!(!out.exists());
}
