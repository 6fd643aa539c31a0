//! `rulebench predict --rules`.

use crate::common::{root, rulebench, scratch, stderr, stdout};

/// The data's own labels, by row.
fn iris_species() -> Vec<String> {
    let mut reader = csv::Reader::from_path(root().join("data/iris.csv")).unwrap();
    reader
        .records()
        .map(|r| r.unwrap()[4].to_string())
        .collect()
}

#[test]
fn iris_simple_rules_are_right_on_144_rows() {
    let output = rulebench(&[
        "predict",
        "--rules",
        "tests/inputs/iris_simple.rules",
        "--data",
        "data/iris.csv",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["row", "prediction", "rule"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 150);

    let truth = iris_species();
    let right = rows
        .iter()
        .zip(&truth)
        .filter(|(r, t)| &r[1] == t.as_str())
        .count();
    assert_eq!(right, 144);
    assert_eq!(&rows[0][0], "1");
    assert_eq!(&rows[0][2], "small_petals");
    let defaulted = rows.iter().filter(|r| &r[2] == "default").count();
    assert!(defaulted > 0);
    assert!(rows
        .iter()
        .filter(|r| &r[2] == "default")
        .all(|r| &r[1] == "virginica"));
}

#[test]
fn predict_writes_out_file() {
    let dir = scratch("predict_out");
    let out = dir.join("predictions.csv");
    let output = rulebench(&[
        "predict",
        "--rules",
        "rules/titanic.rules",
        "--data",
        "data/titanic.csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 1310);
    assert!(stdout(&output).is_empty());
}

#[test]
fn predict_refuses_to_overwrite_its_data() {
    let dir = scratch("predict_overwrite");
    let data = dir.join("iris.csv");
    std::fs::copy(root().join("data/iris.csv"), &data).unwrap();
    let before = std::fs::read(&data).unwrap();
    let output = rulebench(&[
        "predict",
        "--rules",
        "rules/iris.rules",
        "--data",
        data.to_str().unwrap(),
        "--out",
        data.to_str().unwrap(),
    ]);
    crate::common::assert_fails(&output, 2, "it is one of the input files");
    assert_eq!(std::fs::read(&data).unwrap(), before);
}
