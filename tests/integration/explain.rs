//! `rulebench explain --row N`: one row, the class from each side, and the tree's path.

use serde::Deserialize;

use crate::common::{assert_fails, rulebench, stderr, stdout};
use crate::compare::{Report, RowExplanation};
use crate::report::compare_shipped;

/// The JSON document of `explain`, decoded strictly.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Explanation {
    schema_version: u32,
    data: String,
    rules: String,
    target: String,
    seed: u64,
    explanation: RowExplanation,
}

fn explain(row: &str, format: &str) -> std::process::Output {
    rulebench(&[
        "explain",
        "--data",
        "data/titanic.csv",
        "--rules",
        "rules/titanic.rules",
        "--row",
        row,
        "--format",
        format,
    ])
}

#[test]
fn explain_matches_the_listed_disagreement() {
    let output = compare_shipped("titanic", &["--format", "json", "--disagreements", "1"]);
    let report: Report = serde_json::from_str(&stdout(&output)).unwrap();
    let listed = &report.disagreements.rows[0];
    // The report's list leaves the values to `explain`.
    assert!(listed.values.is_none());

    let output = explain(&listed.row.to_string(), "json");
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let explained: Explanation = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(explained.schema_version, 2);
    assert_eq!(explained.data, "data/titanic.csv");
    assert_eq!(explained.target, "survived");
    assert_eq!(explained.seed, 42);
    assert!(explained.rules.ends_with("titanic.rules"));
    assert_eq!(explained.explanation.row, listed.row);
    assert_eq!(explained.explanation.line, listed.line);
    assert_eq!(explained.explanation.part, "test");
    assert_eq!(explained.explanation.truth, listed.truth);
    assert_eq!(explained.explanation.rules.class, listed.rules.class);
    assert_eq!(explained.explanation.rules.rule, listed.rules.rule);
    assert_eq!(explained.explanation.tree.class, listed.tree.class);
    assert_eq!(explained.explanation.tree.path, listed.tree.path);
}

#[test]
fn explain_text_names_rule_and_path() {
    // Row 605 of the titanic data is a third-class woman, a test row at seed 42, which the
    // rules put in `yes` by `third_class_women` and the tree in `no`.
    let output = explain("605", "table");
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("row 605 of `data/titanic.csv` (line 606) is a test row\n"),
        "{text}"
    );
    assert!(
        text.contains("rules        yes, by rule `third_class_women`"),
        "{text}"
    );
    assert!(text.contains("tree         no, by the path"), "{text}");
    assert!(text.contains("sex == \"female\""), "{text}");
    assert!(
        text.contains("rules and tree disagree; the rules are right"),
        "{text}"
    );
}

#[test]
fn explain_training_row_says_so() {
    let output = explain("17", "table");
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("is a training row"), "{text}");
    assert!(text.contains("the default: no rule fired"), "{text}");
}

#[test]
fn explain_row_past_end_rejected() {
    let output = explain("1310", "table");
    assert_fails(
        &output,
        2,
        "row `1310` is not in the data, which has 1309 rows: choose a row from 1 to 1309",
    );
}

#[test]
fn explain_row_zero_is_rejected() {
    let output = explain("0", "table");
    assert_fails(
        &output,
        2,
        "error: invalid value '0' for '--row <N>': rows count from 1, the first row after the \
         header: write `--row 1` for the first data row",
    );
    let output = explain("first", "table");
    assert_fails(
        &output,
        2,
        "error: invalid value 'first' for '--row <N>': `first` is not a row number: write a \
         whole number from 1, the first row after the header",
    );
}

#[test]
fn explain_shows_values_read() {
    // Row 605: `sex` female, `age` 16, `passengerClass` 3rd; the rules read all three, and
    // so does the tree's path.
    let output = explain("605", "table");
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[1..4],
        [
            "values       sex             female  read by rules and tree",
            "             age             16      read by rules and tree",
            "             passengerClass  3rd     read by rules and tree",
        ],
        "{text}"
    );
    assert!(lines[4].starts_with("true class"), "{text}");

    let output = explain("605", "json");
    let explained: Explanation = serde_json::from_str(&stdout(&output)).unwrap();
    let values = explained.explanation.values.unwrap();
    let shown: Vec<(&str, Option<&str>, bool, bool)> = values
        .iter()
        .map(|v| (v.column.as_str(), v.value.as_deref(), v.rules, v.tree))
        .collect();
    assert_eq!(
        shown,
        [
            ("sex", Some("female"), true, true),
            ("age", Some("16"), true, true),
            ("passengerClass", Some("3rd"), true, true),
        ]
    );
}

#[test]
fn explain_values_mark_reading_side() {
    // The rule file reads only `sepal_width`, which row 1 lacks, and the tree's path for
    // row 1 tests petal columns only.
    let dir = crate::common::scratch("explain-values");
    let data = dir.join("iris.csv");
    let iris = std::fs::read_to_string(crate::common::root().join("data/iris.csv")).unwrap();
    // Row 1 loses its sepal width.
    let mut lines: Vec<String> = iris.lines().map(str::to_string).collect();
    let mut fields: Vec<&str> = lines[1].split(',').collect();
    fields[1] = "";
    lines[1] = fields.join(",");
    std::fs::write(&data, lines.join("\n") + "\n").unwrap();

    let rules = dir.join("sepal.rules");
    std::fs::write(
        &rules,
        "target species\ndefault versicolor\nrule wide: sepal_width > 3.5 => setosa\n",
    )
    .unwrap();
    let explain_row_1 = |format: &str| {
        let output = rulebench(&[
            "explain",
            "--row",
            "1",
            "--data",
            data.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
            "--format",
            format,
        ]);
        assert!(output.status.success(), "stderr: {}", stderr(&output));
        stdout(&output)
    };
    let explained: Explanation = serde_json::from_str(&explain_row_1("json")).unwrap();
    let values = explained.explanation.values.unwrap();

    let sepal = values.iter().find(|v| v.column == "sepal_width").unwrap();
    assert_eq!((sepal.value.as_deref(), sepal.rules), (None, true));
    let tree_only: Vec<&str> = values
        .iter()
        .filter(|v| v.tree && !v.rules)
        .map(|v| v.column.as_str())
        .collect();
    assert!(!tree_only.is_empty(), "{values:?}");
    assert!(
        tree_only.iter().all(|c| c.starts_with("petal")),
        "{tree_only:?}"
    );
    assert!(values.iter().all(|v| v.rules || v.tree));

    let text = explain_row_1("table");
    let sepal_line = text.lines().find(|l| l.contains("sepal_width")).unwrap();
    assert!(sepal_line.ends_with("(missing)  read by rules"), "{text}");
}

#[test]
fn explain_unlabelled_row_says_so() {
    let dir = crate::common::scratch("explain-unlabelled");
    let data = dir.join("data.csv");
    let mut csv = String::from("size,label\n");
    for i in 0..40 {
        csv.push_str(&format!(
            "{},{}\n",
            i,
            if i < 20 { "small" } else { "large" }
        ));
    }
    csv.push_str("7,\n");
    std::fs::write(&data, csv).unwrap();
    let rules = dir.join("size.rules");
    std::fs::write(
        &rules,
        "target label\ndefault small\nrule big: size >= 20 => large\n",
    )
    .unwrap();

    let output = rulebench(&[
        "explain",
        "--data",
        data.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--row",
        "41",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("(line 42) is a row without a label"),
        "{text}"
    );
    assert!(text.contains("true class   (missing)"), "{text}");
    assert!(
        text.contains("rules        small, the default: no rule fired"),
        "{text}"
    );
}

#[test]
fn row_in_second_data_file_names_that_file() {
    // Rows are numbered across the files: row 120 is line 46 of the second file (75 rows in
    // the first, and a header line in each).
    let dir = crate::common::scratch("explain_two_files");
    let iris = std::fs::read_to_string(crate::common::root().join("data/iris.csv")).unwrap();
    let lines: Vec<&str> = iris.lines().collect();
    let first = dir.join("first.csv");
    let second = dir.join("second.csv");
    std::fs::write(&first, lines[..76].join("\n") + "\n").unwrap();
    let mut rest = vec![lines[0]];
    rest.extend_from_slice(&lines[76..]);
    std::fs::write(&second, rest.join("\n") + "\n").unwrap();
    let output = rulebench(&[
        "explain",
        "--row",
        "120",
        "--data",
        first.to_str().unwrap(),
        "--data",
        second.to_str().unwrap(),
        "--rules",
        "rules/iris.rules",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    let heading = text.lines().next().unwrap();
    assert!(
        heading.starts_with(&format!(
            "row 120 of `{} + {}` (line 46 of `{}`) is ",
            first.display(),
            second.display(),
            second.display()
        )),
        "{heading}"
    );
}
