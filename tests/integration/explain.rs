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
    assert_fails(&output, 2, "--row");
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
