//! `rulebench compare` on the four shipped datasets.

// Every documented field is declared so that decoding rejects undocumented ones, even
// where no test reads the field.
#![allow(dead_code)]

use serde::Deserialize;

use crate::common::{rulebench, stderr, stdout};
use crate::tree_json::{
    DataFile, DepthGap, Importance, LearningCurve, Params, Preprocessing, RowUsage, Search,
};
use rulebench::compare::paired::mcnemar_exact_p_value;

/// The JSON report, decoded strictly: a field the README does not document fails the test.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub schema_version: u32,
    pub data: String,
    pub rules: String,
    pub target: String,
    pub seed: u64,
    pub classes: Vec<String>,
    pub split: SplitSizes,
    pub baseline_class: String,
    pub models: Models,
    pub rule_coverage: RuleCoverage,
    pub tree: Tree,
    pub warnings: Vec<String>,
    pub data_files: Vec<DataFile>,
    pub row_use: Vec<RowUsage>,
    pub learning_curve: LearningCurve,
    pub paired: Paired,
    pub rule_evidence: EvidenceReport,
    pub rule_matrix: Option<RuleMatrix>,
    pub disagreements: Disagreements,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitSizes {
    pub train: usize,
    pub validation: usize,
    pub test: usize,
    pub unlabelled: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Models {
    pub rules: Scores,
    pub tree: Scores,
    pub baseline: Scores,
    pub hybrid: Scores,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    pub accuracy: f64,
    pub balanced_accuracy: f64,
    pub macro_f1: f64,
    pub per_class: Vec<ClassScores>,
    pub confusion: Confusion,
    pub kappa: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassScores {
    pub class: String,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub support: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confusion {
    pub counts: Vec<Vec<u64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleCoverage {
    pub fired: usize,
    pub not_fired: usize,
    pub share: f64,
    pub default_class: Option<String>,
    pub policy: String,
    pub conflicts: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tree {
    pub max_depth: Option<usize>,
    pub depth: usize,
    pub leaves: usize,
    pub features: usize,
    pub tuning: Vec<Trial>,
    pub params: Params,
    pub preprocessing: Preprocessing,
    pub fitted_rows: usize,
    pub search: Search,
    pub overfitting: Vec<DepthGap>,
    pub importance: Vec<Importance>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trial {
    pub max_depth: Option<usize>,
    pub train_accuracy: f64,
    pub validation_accuracy: f64,
    pub leaves: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paired {
    pub bootstrap: Bootstrap,
    pub rules_vs_tree: PairedComparison,
    pub hybrid_vs_tree: PairedComparison,
    pub hybrid_changes: u64,
    pub baseline: BaselineComparison,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineComparison {
    pub rules: AgainstBaseline,
    pub tree: AgainstBaseline,
    pub verdict: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgainstBaseline {
    pub table: AgreementTable,
    pub mcnemar_p_value: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bootstrap {
    pub resamples: usize,
    pub confidence: f64,
    pub seed: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairedComparison {
    pub first: String,
    pub second: String,
    pub table: AgreementTable,
    pub mcnemar_p_value: f64,
    pub predictions: PredictionAgreement,
    pub difference: Differences,
    pub verdict: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementTable {
    pub both_right: u64,
    pub only_first_right: u64,
    pub only_second_right: u64,
    pub both_wrong: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredictionAgreement {
    pub same: u64,
    pub rate: f64,
    pub kappa: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Differences {
    pub accuracy: Interval,
    pub macro_f1: Interval,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceReport {
    pub rules: Vec<RuleEvidence>,
    pub not_fired_train: NotFired,
    pub not_fired_test: NotFired,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleEvidence {
    pub rule: String,
    pub class: String,
    pub train: RuleStats,
    pub test: RuleStats,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleStats {
    pub fires: u64,
    pub coverage: f64,
    pub correct: u64,
    pub wrong: u64,
    pub precision: Option<f64>,
    pub wins: u64,
    pub wins_correct: u64,
    pub overlaps: u64,
    pub conflicts: u64,
    pub tree_agrees: u64,
    pub tree_agreement: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotFired {
    pub rows: u64,
    pub default_correct: u64,
    pub tree_correct: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMatrix {
    pub rules: Vec<String>,
    pub train: PairCounts,
    pub test: PairCounts,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairCounts {
    pub overlaps: Vec<Vec<u64>>,
    pub conflicts: Vec<Vec<u64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disagreements {
    pub total: u64,
    pub rows: Vec<RowExplanation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowExplanation {
    pub row: usize,
    pub line: u64,
    pub part: String,
    pub truth: Option<String>,
    pub rules: RulesAnswer,
    pub tree: TreeAnswer,
    /// Only `explain` gives the row's values.
    #[serde(default)]
    pub values: Option<Vec<ColumnValue>>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ColumnValue {
    pub column: String,
    pub value: Option<String>,
    pub rules: bool,
    pub tree: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesAnswer {
    pub class: Option<String>,
    pub rule: Option<String>,
    pub fired: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeAnswer {
    pub class: String,
    pub path: Vec<String>,
}

pub fn compare_json(dataset: &str) -> Report {
    let data = format!("data/{dataset}.csv");
    let rules = format!("rules/{dataset}.rules");
    let output = rulebench(&[
        "compare", "--data", &data, "--rules", &rules, "--format", "json",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("the report decodes")
}

fn correct(scores: &Scores) -> u64 {
    (0..scores.confusion.counts.len())
        .map(|c| scores.confusion.counts[c][c])
        .sum()
}

/// Checks the facts that hold for every dataset: both models beat the baseline, and the
/// numbers agree with each other.
fn check_report(report: &Report) {
    let models = &report.models;
    assert_eq!(report.schema_version, 2);
    assert!(
        models.rules.accuracy > models.baseline.accuracy,
        "rules {} vs baseline {}",
        models.rules.accuracy,
        models.baseline.accuracy
    );
    assert!(
        models.tree.accuracy > models.baseline.accuracy,
        "tree {} vs baseline {}",
        models.tree.accuracy,
        models.baseline.accuracy
    );
    for scores in [&models.rules, &models.tree, &models.baseline] {
        let expected = correct(scores) as f64 / report.split.test as f64;
        assert!((scores.accuracy - expected).abs() < 1e-12);
        let support: u64 = scores.per_class.iter().map(|c| c.support).sum();
        assert_eq!(support as usize, report.split.test);
    }
    assert_eq!(
        report.rule_coverage.fired + report.rule_coverage.not_fired,
        report.split.test
    );
    let against = &report.paired.baseline;
    for (table, scores) in [
        (&against.rules.table, &models.rules),
        (&against.tree.table, &models.tree),
    ] {
        assert_eq!(table.both_right + table.only_first_right, correct(scores));
        assert_eq!(
            table.both_right + table.only_second_right,
            correct(&models.baseline)
        );
    }
    let p = mcnemar_exact_p_value(
        against.rules.table.only_first_right,
        against.rules.table.only_second_right,
    );
    // serde_json's default float parsing may be one unit in the last place off.
    assert!((against.rules.mcnemar_p_value - p).abs() <= 1e-15 * p);
    assert!(
        against.verdict.contains(&format!(
            "is right on {} of the {} test rows. The rules are right on {}",
            correct(&models.baseline),
            report.split.test,
            correct(&models.rules)
        )),
        "{}",
        against.verdict
    );
    let chosen = report
        .tree
        .tuning
        .iter()
        .find(|t| t.max_depth == report.tree.max_depth)
        .expect("the chosen depth is among the trials");
    let best = report
        .tree
        .tuning
        .iter()
        .map(|t| t.validation_accuracy)
        .fold(0.0, f64::max);
    assert_eq!(chosen.validation_accuracy, best);
}

#[test]
fn titanic_rules_and_tree_beat_baseline() {
    let report = compare_json("titanic");
    check_report(&report);
    assert_eq!(report.target, "survived");
    assert_eq!(report.seed, 42);
    assert_eq!(report.classes, ["no", "yes"]);
    assert_eq!(
        report.split.train + report.split.validation + report.split.test,
        1309
    );
    assert_eq!(report.split.test, 262);
    assert_eq!(report.baseline_class, "no");
    // 162 of the 262 test passengers died, so always answering `no` scores 162/262.
    assert_eq!(correct(&report.models.baseline), 162);
    assert_eq!(correct(&report.models.rules), 199);
    assert_eq!(report.models.baseline.per_class[1].precision, None);
}

#[test]
fn iris_rules_and_tree_beat_baseline() {
    let report = compare_json("iris");
    check_report(&report);
    assert_eq!(report.split.test, 30);
    assert_eq!(report.classes, ["setosa", "versicolor", "virginica"]);
    assert_eq!(correct(&report.models.rules), 27);
    assert_eq!(correct(&report.models.baseline), 10);
}

#[test]
fn penguins_rules_and_tree_beat_baseline() {
    let report = compare_json("penguins");
    check_report(&report);
    assert_eq!(
        report.split.train + report.split.validation + report.split.test,
        344
    );
    assert_eq!(correct(&report.models.rules), 65);
    assert_eq!(report.baseline_class, "Adelie");
}

#[test]
fn adult_rules_and_tree_beat_baseline() {
    let report = compare_json("adult");
    check_report(&report);
    assert_eq!(report.classes, ["<=50K", ">50K"]);
    assert_eq!(
        report.split.train + report.split.validation + report.split.test,
        48842
    );
    assert!(
        report.models.rules.accuracy > 0.84,
        "{}",
        report.models.rules.accuracy
    );
    assert!(
        report.models.tree.accuracy > 0.84,
        "{}",
        report.models.tree.accuracy
    );
}

#[test]
fn compare_without_arguments_runs_titanic() {
    let output = rulebench(&["compare"]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("data/titanic.csv"), "{text}");
    assert!(text.contains("baseline (always `no`)"), "{text}");
    assert!(stderr(&output).contains("rulebench compare --data YOUR.csv --rules YOUR.rules"));
}

#[test]
fn compare_output_is_byte_identical_across_runs() {
    let args = [
        "compare",
        "--data",
        "data/penguins.csv",
        "--rules",
        "rules/penguins.rules",
    ];
    let first = rulebench(&args);
    let second = rulebench(&args);
    assert!(first.status.success());
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn seed_changes_the_split() {
    let base = [
        "compare",
        "--data",
        "data/titanic.csv",
        "--rules",
        "rules/titanic.rules",
        "--format",
        "json",
    ];
    let a = rulebench(&[&base[..], &["--seed", "1"]].concat());
    let b = rulebench(&[&base[..], &["--seed", "2"]].concat());
    let a: Report = serde_json::from_str(&stdout(&a)).unwrap();
    let b: Report = serde_json::from_str(&stdout(&b)).unwrap();
    assert_eq!(a.seed, 1);
    assert_ne!(
        a.models.rules.confusion.counts,
        b.models.rules.confusion.counts
    );
}

#[test]
fn unique_policy_conflicts_are_counted() {
    // Under `unique`, a woman in first or second class fires two rules: a conflict.
    let output = rulebench(&[
        "compare",
        "--data",
        "data/titanic.csv",
        "--rules",
        "tests/inputs/titanic_unique.rules",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let report: Report = serde_json::from_str(&stdout(&output)).unwrap();
    let coverage = &report.rule_coverage;
    assert_eq!(coverage.policy, "unique");
    assert!(coverage.conflicts > 0);
    // With a default, the only rows without a class are the conflicts.
    let abstained: u64 = report
        .models
        .rules
        .confusion
        .counts
        .iter()
        .map(|row| row[row.len() - 1])
        .sum();
    assert_eq!(abstained as usize, coverage.conflicts);

    let tables = rulebench(&[
        "compare",
        "--data",
        "data/titanic.csv",
        "--rules",
        "tests/inputs/titanic_unique.rules",
    ]);
    // The sentence may be wrapped over lines.
    let text = stdout(&tables)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let sentence = format!(
        "Under `policy unique`, {} of the rows where a rule fired had several rules firing",
        coverage.conflicts
    );
    assert!(text.contains(&sentence), "{text}");
}

#[test]
fn first_policy_reports_no_conflicts() {
    let report = compare_json("titanic");
    assert_eq!(report.rule_coverage.policy, "first");
    assert_eq!(report.rule_coverage.conflicts, 0);
}
