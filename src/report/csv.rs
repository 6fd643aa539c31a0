//! The report as one CSV table in long form, for loading into a data frame: every number of
//! the report is one row `section, subject, class, part, measure, value`. Numbers keep their
//! full precision, and an undefined value (a precision of a class never predicted) is empty.

use crate::compare::analysis::{AgainstBaseline, PairedComparison};
use crate::compare::bootstrap::Interval;
use crate::compare::metrics::Scores;
use crate::compare::paired::AgreementTable;
use crate::compare::rule_evidence::{NotFired, PairCounts, RuleStats};
use crate::compare::Comparison;
use crate::error::{Error, Result};
use crate::tree::TreeParams;

const HEADER: [&str; 6] = ["section", "subject", "class", "part", "measure", "value"];

/// Collects rows that share a section, subject, class and part.
struct Rows {
    rows: Vec<[String; 6]>,
}

impl Rows {
    fn push(&mut self, key: [&str; 4], measure: &str, value: String) {
        self.rows.push([
            key[0].to_string(),
            key[1].to_string(),
            key[2].to_string(),
            key[3].to_string(),
            measure.to_string(),
            value,
        ]);
    }
}

/// Renders the comparison as long-form CSV.
pub fn render_csv(c: &Comparison) -> Result<String> {
    let mut rows = Rows { rows: Vec::new() };
    run_rows(c, &mut rows);
    for (model, scores) in models(c) {
        score_rows(c, model, scores, &mut rows);
    }
    paired_rows(&c.paired.rules_vs_tree, &mut rows);
    paired_rows(&c.paired.hybrid_vs_tree, &mut rows);
    baseline_rows("rules vs baseline", &c.paired.baseline.rules, &mut rows);
    baseline_rows("tree vs baseline", &c.paired.baseline.tree, &mut rows);
    rows.push(
        ["paired", "hybrid vs rules", "", "test"],
        "changed_answers",
        c.paired.hybrid_changes.to_string(),
    );
    for rule in &c.rule_evidence.rules {
        rule_rows(&rule.rule, &rule.class, "train", &rule.train, &mut rows);
        rule_rows(&rule.rule, &rule.class, "test", &rule.test, &mut rows);
    }
    not_fired_rows("train", &c.rule_evidence.not_fired_train, &mut rows);
    not_fired_rows("test", &c.rule_evidence.not_fired_test, &mut rows);
    if let Some(matrix) = &c.rule_matrix {
        matrix_rows(&matrix.rules, "train", &matrix.train, &mut rows);
        matrix_rows(&matrix.rules, "test", &matrix.test, &mut rows);
    }
    disagreement_rows(c, &mut rows);
    tree_rows(c, &mut rows);
    search_rows(c, &mut rows);
    tuning_rows(c, &mut rows);
    overfitting_rows(c, &mut rows);
    learning_curve_rows(c, &mut rows);
    importance_rows(c, &mut rows);
    row_use_rows(c, &mut rows);

    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| Error::data(format!("cannot format the report as CSV: {e}"));
    writer.write_record(HEADER).map_err(csv_error)?;
    for row in &rows.rows {
        writer.write_record(row).map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::data(format!("cannot format the report as CSV: {e}")))?;
    Ok(String::from_utf8(bytes).expect("the report is UTF-8"))
}

fn models(c: &Comparison) -> [(&'static str, &Scores); 4] {
    [
        ("rules", &c.models.rules),
        ("tree", &c.models.tree),
        ("baseline", &c.models.baseline),
        ("hybrid", &c.models.hybrid),
    ]
}

fn number(value: f64) -> String {
    value.to_string()
}

fn optional(value: Option<f64>) -> String {
    value.map(number).unwrap_or_default()
}

fn run_rows(c: &Comparison, rows: &mut Rows) {
    let key = ["run", "", "", ""];
    rows.push(key, "data", c.data.clone());
    rows.push(key, "rules", c.rules.clone());
    rows.push(key, "target", c.target.clone());
    rows.push(key, "seed", c.seed.to_string());
    rows.push(key, "train_rows", c.split.train.to_string());
    rows.push(key, "validation_rows", c.split.validation.to_string());
    rows.push(key, "test_rows", c.split.test.to_string());
    rows.push(key, "unlabelled_rows", c.split.unlabelled.to_string());
    rows.push(key, "baseline_class", c.baseline_class.clone());
    rows.push(key, "tree_depth", c.tree.depth.to_string());
    rows.push(key, "tree_leaves", c.tree.leaves.to_string());
}

fn score_rows(c: &Comparison, model: &str, scores: &Scores, rows: &mut Rows) {
    let key = ["scores", model, "", "test"];
    rows.push(key, "accuracy", number(scores.accuracy));
    rows.push(key, "balanced_accuracy", number(scores.balanced_accuracy));
    rows.push(key, "macro_f1", number(scores.macro_f1));
    rows.push(key, "kappa", optional(scores.kappa));
    rows.push(key, "abstained", scores.confusion.abstained().to_string());
    for (index, class) in scores.per_class.iter().enumerate() {
        let key = ["per_class", model, &class.class, "test"];
        rows.push(key, "precision", optional(class.precision));
        rows.push(key, "recall", optional(class.recall));
        rows.push(key, "f1", optional(class.f1));
        rows.push(key, "support", class.support.to_string());
        let key = ["confusion", model, &class.class, "test"];
        let counts = &scores.confusion.counts[index];
        for (predicted, name) in c.classes.iter().enumerate() {
            rows.push(
                key,
                &format!("predicted {name}"),
                counts[predicted].to_string(),
            );
        }
        rows.push(key, "abstained", counts[c.classes.len()].to_string());
    }
}

fn paired_rows(pair: &PairedComparison, rows: &mut Rows) {
    let subject = format!("{} vs {}", pair.first, pair.second);
    let key = ["paired", &subject, "", "test"];
    agreement_rows(key, &pair.table, rows);
    rows.push(key, "mcnemar_p_value", number(pair.mcnemar_p_value));
    rows.push(key, "same_answer_rate", number(pair.predictions.rate));
    rows.push(key, "kappa_between", optional(pair.predictions.kappa));
    interval_rows(key, "accuracy_difference", &pair.difference.accuracy, rows);
    interval_rows(key, "macro_f1_difference", &pair.difference.macro_f1, rows);
}

fn agreement_rows(key: [&str; 4], t: &AgreementTable, rows: &mut Rows) {
    rows.push(key, "both_right", t.both_right.to_string());
    rows.push(key, "only_first_right", t.only_first_right.to_string());
    rows.push(key, "only_second_right", t.only_second_right.to_string());
    rows.push(key, "both_wrong", t.both_wrong.to_string());
}

fn baseline_rows(subject: &str, against: &AgainstBaseline, rows: &mut Rows) {
    let key = ["paired", subject, "", "test"];
    agreement_rows(key, &against.table, rows);
    rows.push(key, "mcnemar_p_value", number(against.mcnemar_p_value));
}

fn interval_rows(key: [&str; 4], measure: &str, interval: &Interval, rows: &mut Rows) {
    rows.push(key, measure, number(interval.estimate));
    rows.push(key, &format!("{measure}_low"), number(interval.low));
    rows.push(key, &format!("{measure}_high"), number(interval.high));
}

fn rule_rows(rule: &str, class: &str, part: &str, s: &RuleStats, rows: &mut Rows) {
    let key = ["rule", rule, class, part];
    rows.push(key, "fires", s.fires.to_string());
    rows.push(key, "coverage", number(s.coverage));
    rows.push(key, "correct", s.correct.to_string());
    rows.push(key, "wrong", s.wrong.to_string());
    rows.push(key, "precision", optional(s.precision));
    rows.push(key, "wins", s.wins.to_string());
    rows.push(key, "wins_correct", s.wins_correct.to_string());
    rows.push(key, "overlaps", s.overlaps.to_string());
    rows.push(key, "conflicts", s.conflicts.to_string());
    rows.push(key, "tree_agrees", s.tree_agrees.to_string());
    rows.push(key, "tree_agreement", optional(s.tree_agreement));
}

fn not_fired_rows(part: &str, n: &NotFired, rows: &mut Rows) {
    let key = ["not_fired", "", "", part];
    rows.push(key, "rows", n.rows.to_string());
    rows.push(key, "default_correct", n.default_correct.to_string());
    rows.push(key, "tree_correct", n.tree_correct.to_string());
}

fn matrix_rows(rules: &[String], part: &str, counts: &PairCounts, rows: &mut Rows) {
    for (i, rule) in rules.iter().enumerate() {
        let key = ["rule_matrix", rule, "", part];
        for (j, other) in rules.iter().enumerate() {
            rows.push(
                key,
                &format!("overlaps {other}"),
                counts.overlaps[i][j].to_string(),
            );
            rows.push(
                key,
                &format!("conflicts {other}"),
                counts.conflicts[i][j].to_string(),
            );
        }
    }
}

fn disagreement_rows(c: &Comparison, rows: &mut Rows) {
    let key = ["disagreements", "", "", "test"];
    rows.push(key, "total", c.disagreements.total.to_string());
    for row in &c.disagreements.rows {
        let subject = format!("row {}", row.row);
        let truth = row.truth.clone().unwrap_or_default();
        let key = ["disagreement", &subject, &truth, "test"];
        rows.push(key, "line", row.line.to_string());
        rows.push(
            key,
            "rules_class",
            row.rules.class.clone().unwrap_or_default(),
        );
        rows.push(key, "rule", row.rules.rule.clone().unwrap_or_default());
        rows.push(key, "tree_class", row.tree.class.clone());
        rows.push(key, "tree_path", row.tree.path.join(" and "));
    }
}

/// The parts of the rows behind the search's scores: the training and validation rows, or
/// with cross-validation the folds of both together.
fn search_parts(c: &Comparison) -> (&'static str, &'static str) {
    match c.tree.details.search.cv_folds {
        None => ("train", "validation"),
        Some(_) => ("train+validation", "train+validation"),
    }
}

fn depth_text(depth: Option<usize>) -> String {
    depth.map_or("none".to_string(), |d| d.to_string())
}

/// The chosen settings, the preprocessing and how the choice was made.
fn tree_rows(c: &Comparison, rows: &mut Rows) {
    let details = &c.tree.details;
    let key = ["tree", "chosen", "", ""];
    params_rows(key, &details.params, rows);
    let preprocessing = &details.preprocessing;
    rows.push(
        key,
        "numeric_imputation",
        json_name(&preprocessing.numeric_imputation),
    );
    rows.push(
        key,
        "categorical_imputation",
        json_name(&preprocessing.categorical_imputation),
    );
    rows.push(key, "scale", json_name(&preprocessing.scale));
    rows.push(key, "features", c.tree.features.to_string());
    rows.push(key, "selection_metric", json_name(&details.search.metric));
    rows.push(
        key,
        "cv_folds",
        details
            .search
            .cv_folds
            .map(|k| k.to_string())
            .unwrap_or_default(),
    );
    rows.push(
        ["tree", "chosen", "", search_parts(c).0],
        "fitted_rows",
        details.fitted_rows.to_string(),
    );
}

fn params_rows(key: [&str; 4], params: &TreeParams, rows: &mut Rows) {
    rows.push(key, "max_depth", depth_text(params.max_depth));
    rows.push(key, "min_weight_split", params.min_weight_split.to_string());
    rows.push(key, "min_weight_leaf", params.min_weight_leaf.to_string());
    rows.push(
        key,
        "min_impurity_decrease",
        params.min_impurity_decrease.to_string(),
    );
    rows.push(key, "criterion", params.criterion.name().to_string());
}

/// Writes a value as its JSON report spells it, such as `missing_category`.
fn json_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Every setting of the grid, numbered from 1 in grid order.
fn search_rows(c: &Comparison, rows: &mut Rows) {
    let search = &c.tree.details.search;
    let (fitted, scored) = search_parts(c);
    for (index, row) in search.rows.iter().enumerate() {
        let subject = format!("setting {}", index + 1);
        params_rows(["search", &subject, "", ""], &row.params, rows);
        rows.push(
            ["search", &subject, "", ""],
            "chosen",
            (index == search.chosen).to_string(),
        );
        let key = ["search", &subject, "", fitted];
        rows.push(key, "leaves", row.leaves.to_string());
        rows.push(key, "train_score", number(row.train_score));
        let key = ["search", &subject, "", scored];
        rows.push(key, "validation_score", number(row.validation_score));
        rows.push(key, "validation_std", optional(row.validation_std));
    }
}

fn tuning_rows(c: &Comparison, rows: &mut Rows) {
    let (fitted, scored) = search_parts(c);
    for trial in &c.tree.tuning {
        let subject = format!("max_depth {}", depth_text(trial.max_depth));
        let chosen = trial.max_depth == c.tree.max_depth;
        let key = ["tuning", &subject, "", fitted];
        rows.push(key, "accuracy", number(trial.train_accuracy));
        rows.push(key, "leaves", trial.leaves.to_string());
        rows.push(
            ["tuning", &subject, "", scored],
            "accuracy",
            number(trial.validation_accuracy),
        );
        rows.push(["tuning", &subject, "", ""], "chosen", chosen.to_string());
    }
}

fn overfitting_rows(c: &Comparison, rows: &mut Rows) {
    let (fitted, scored) = search_parts(c);
    for gap in &c.tree.details.overfitting {
        let subject = format!("max_depth {}", depth_text(gap.max_depth));
        let key = ["overfitting", &subject, "", fitted];
        rows.push(key, "leaves", gap.leaves.to_string());
        rows.push(key, "train_score", number(gap.train_score));
        rows.push(
            ["overfitting", &subject, "", scored],
            "validation_score",
            number(gap.validation_score),
        );
        let key = ["overfitting", &subject, "", ""];
        rows.push(key, "gap", number(gap.gap));
        rows.push(key, "gap_standard_error", optional(gap.gap_standard_error));
        rows.push(key, "large_gap", gap.large_gap.to_string());
    }
}

fn learning_curve_rows(c: &Comparison, rows: &mut Rows) {
    let metric = c.run.learning_curve.metric.label().replace(' ', "_");
    for point in &c.run.learning_curve.points {
        let subject = format!("{} %", point.percent);
        let key = ["learning_curve", &subject, "", "validation"];
        rows.push(key, "train_rows", point.train_rows.to_string());
        rows.push(key, &format!("tree_{metric}"), number(point.tree_score));
        rows.push(key, &format!("rules_{metric}"), number(point.rules_score));
    }
}

fn row_use_rows(c: &Comparison, rows: &mut Rows) {
    for part in &c.run.row_use {
        rows.push(
            ["row_use", "", "", &part.part],
            "rows",
            part.rows.to_string(),
        );
    }
}

fn importance_rows(c: &Comparison, rows: &mut Rows) {
    for column in &c.tree.details.importance {
        let key = ["importance", &column.column, "", "train"];
        rows.push(key, "importance", number(column.importance));
        rows.push(key, "splits", column.splits.to_string());
    }
}
