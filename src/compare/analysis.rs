//! The analyses the report adds to the scores: paired tests between models, the hybrid of
//! rules and tree, per-rule evidence, the rule matrix, and explanations of single rows.

use serde::Serialize;

use super::bootstrap::{paired_bootstraps, BootstrapSettings, Differences, DEFAULT_RESAMPLES};
use super::disagreements::{disagreements, Disagreements, Explainer, RowExplanation};
use super::metrics::{score, Scores};
use super::paired::{mcnemar_exact_p_value, AgreementTable, PredictionAgreement};
use super::rule_evidence::{rule_evidence, rule_matrix, EvidenceReport, PartRows, RuleMatrix};
use super::verdict::{baseline_verdict, paired_verdict};
use crate::error::{Error, Result};
use crate::tree::search::predict_all;

/// The coverage of every bootstrap interval.
pub const CONFIDENCE: f64 = 0.95;

/// The contents of the report beyond the scores.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// How many disagreeing test rows to explain.
    pub disagreements: usize,
    /// Whether to compute the pairwise rule matrix.
    pub rule_matrix: bool,
    /// 1-based data rows to explain, whatever part they are in.
    pub explain_rows: Vec<usize>,
    pub bootstrap_resamples: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            disagreements: 0,
            rule_matrix: false,
            explain_rows: Vec::new(),
            bootstrap_resamples: DEFAULT_RESAMPLES,
        }
    }
}

/// One model against another on the same test rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairedComparison {
    pub first: String,
    pub second: String,
    pub table: AgreementTable,
    /// McNemar's exact test on `table.only_first_right` and `table.only_second_right`.
    pub mcnemar_p_value: f64,
    pub predictions: PredictionAgreement,
    /// First minus second, with bootstrap intervals.
    pub difference: Differences,
    pub verdict: String,
}

/// One model against the majority-class baseline on the same test rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgainstBaseline {
    /// The model first, the baseline second.
    pub table: AgreementTable,
    pub mcnemar_p_value: f64,
}

impl AgainstBaseline {
    fn new(truth: &[u32], model: &[Option<u32>], baseline: &[Option<u32>]) -> Self {
        let table = AgreementTable::new(truth, model, baseline);
        AgainstBaseline {
            table,
            mcnemar_p_value: mcnemar_exact_p_value(table.only_first_right, table.only_second_right),
        }
    }
}

/// Rules and tree against the majority-class baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaselineComparison {
    pub rules: AgainstBaseline,
    pub tree: AgainstBaseline,
    pub verdict: String,
}

/// The paired comparisons of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paired {
    pub bootstrap: BootstrapSettings,
    pub rules_vs_tree: PairedComparison,
    pub hybrid_vs_tree: PairedComparison,
    /// Test rows where the hybrid's class differs from the rules' class (or abstention).
    pub hybrid_changes: u64,
    pub baseline: BaselineComparison,
}

/// Everything [`analyse`] adds to a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub hybrid: Scores,
    pub paired: Paired,
    pub rule_evidence: EvidenceReport,
    pub rule_matrix: Option<RuleMatrix>,
    pub disagreements: Disagreements,
    pub explained: Vec<RowExplanation>,
}

/// The test rows' classes as each model gave them.
pub struct TestPredictions<'a> {
    pub truth: &'a [u32],
    pub rules: &'a [Option<u32>],
    pub tree: &'a [Option<u32>],
    /// The majority class of the training rows on every test row.
    pub baseline: &'a [Option<u32>],
}

/// Runs every analysis of the report on a fitted comparison.
pub fn analyse(
    explainer: &Explainer,
    test: &TestPredictions,
    seed: u64,
    options: &ReportOptions,
) -> Result<Analysis> {
    let classes = explainer.classes;
    let explained = options
        .explain_rows
        .iter()
        .map(|&row| {
            check_row(row, explainer.table.n_rows())
                .map(|index| explainer.explain_with_values(index))
        })
        .collect::<Result<Vec<_>>>()?;

    let hybrid_predictions = hybrid(explainer, test.tree);
    let settings = BootstrapSettings {
        resamples: options.bootstrap_resamples,
        confidence: CONFIDENCE,
        seed,
    };
    let hybrid_changes = hybrid_predictions
        .iter()
        .zip(test.rules)
        .filter(|(hybrid, rules)| hybrid != rules)
        .count() as u64;
    // Both comparisons resample the same rows, so the rows are drawn once for both.
    let models = [test.rules, hybrid_predictions.as_slice(), test.tree];
    let differences = paired_bootstraps(
        test.truth,
        &models,
        &[(0, 2), (1, 2)],
        classes.len(),
        &settings,
    );
    let paired = Paired {
        bootstrap: settings,
        hybrid_changes,
        rules_vs_tree: compare_pair(
            ("the rules", test.rules),
            ("the tree", test.tree),
            test.truth,
            classes.len(),
            (differences[0], settings.confidence),
        ),
        hybrid_vs_tree: compare_pair(
            ("the hybrid", &hybrid_predictions),
            ("the tree", test.tree),
            test.truth,
            classes.len(),
            (differences[1], settings.confidence),
        ),
        baseline: baseline_comparison(test, classes),
    };

    let train_truth: Vec<u32> = explainer
        .split
        .train
        .iter()
        .map(|&r| explainer.labels[r].expect("training rows are labelled"))
        .collect();
    let train_tree = tree_classes(explainer, &explainer.split.train);
    let test_tree: Vec<u32> = test
        .tree
        .iter()
        .map(|p| p.expect("the tree always predicts"))
        .collect();
    let evidence = rule_evidence(
        explainer.rule_set,
        &explainer.verdicts.firing,
        &PartRows {
            rows: &explainer.split.train,
            truth: &train_truth,
            tree: &train_tree,
        },
        &PartRows {
            rows: &explainer.split.test,
            truth: test.truth,
            tree: &test_tree,
        },
    );
    let matrix = options.rule_matrix.then(|| {
        rule_matrix(
            explainer.rule_set,
            &explainer.verdicts.firing,
            &explainer.split.train,
            &explainer.split.test,
        )
    });

    Ok(Analysis {
        hybrid: score(test.truth, &hybrid_predictions, classes),
        paired,
        rule_evidence: evidence,
        rule_matrix: matrix,
        disagreements: disagreements(explainer, test.rules, test.tree, options.disagreements),
        explained,
    })
}

/// Compares rules and tree with the majority-class baseline.
fn baseline_comparison(test: &TestPredictions, classes: &[String]) -> BaselineComparison {
    let rules = AgainstBaseline::new(test.truth, test.rules, test.baseline);
    let tree = AgainstBaseline::new(test.truth, test.tree, test.baseline);
    let class = test
        .baseline
        .first()
        .copied()
        .flatten()
        .map_or("", |class| classes[class as usize].as_str());
    let verdict = baseline_verdict(
        class,
        (&rules.table, rules.mcnemar_p_value),
        (&tree.table, tree.mcnemar_p_value),
    );
    BaselineComparison {
        rules,
        tree,
        verdict,
    }
}

/// Predicts the hybrid's class for each test row: the rules' class where a rule decided the
/// row, the tree's class where no rule fired or the rules abstained.
fn hybrid(explainer: &Explainer, tree: &[Option<u32>]) -> Vec<Option<u32>> {
    let verdicts = explainer.verdicts;
    explainer
        .split
        .test
        .iter()
        .zip(tree)
        .map(
            |(&row, &tree_class)| match (verdicts.firing.winner(row), verdicts.class(row)) {
                (Some(_), Some(class)) => Some(class),
                _ => tree_class,
            },
        )
        .collect()
}

fn tree_classes(explainer: &Explainer, rows: &[usize]) -> Vec<u32> {
    let features = explainer.encoder.rows(explainer.table, rows);
    predict_all(explainer.tree, &features)
}

fn compare_pair(
    (first_name, first): (&str, &[Option<u32>]),
    (second_name, second): (&str, &[Option<u32>]),
    truth: &[u32],
    n_classes: usize,
    (difference, confidence): (Differences, f64),
) -> PairedComparison {
    let table = AgreementTable::new(truth, first, second);
    let p_value = mcnemar_exact_p_value(table.only_first_right, table.only_second_right);
    let verdict = paired_verdict(
        first_name,
        second_name,
        &table,
        p_value,
        &difference,
        confidence,
    );
    PairedComparison {
        first: first_name.trim_start_matches("the ").to_string(),
        second: second_name.trim_start_matches("the ").to_string(),
        table,
        mcnemar_p_value: p_value,
        predictions: PredictionAgreement::new(first, second, n_classes),
        difference,
        verdict,
    }
}

/// Turns a 1-based data row into a table index, or explains what went wrong.
fn check_row(row: usize, n_rows: usize) -> Result<usize> {
    if row == 0 || row > n_rows {
        return Err(Error::usage(format!(
            "row `{row}` is not in the data, which has {n_rows} rows: choose a row from 1 to \
             {n_rows} (the header is not counted)"
        )));
    }
    Ok(row - 1)
}
