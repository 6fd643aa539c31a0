//! The main job: load the data and rules, split, train and tune the tree, and score rules,
//! tree and baseline on the same test rows.

use std::path::PathBuf;

use serde::Serialize;

use super::analysis::{analyse, Paired, ReportOptions, TestPredictions};
use super::baseline::majority_class;
use super::disagreements::{Disagreements, Explainer, RowExplanation};
use super::learning_curve::learning_curve;
use super::metrics::{score, Scores};
use super::rule_evidence::{EvidenceReport, RuleMatrix};
use super::tree_report::{row_use, PartSizes, RunDetails, TreeDetails};
use crate::data::checks::require_two_classes;
use crate::data::review::rule_text_warnings;
use crate::data::{load_files, prepare_rows, Labels, LoadOptions, Prepared, SplitRatios};
use crate::error::Result;
use crate::progress::Stage;
use crate::rules::{evaluate, read_rule_file, text_columns};
use crate::tree::search::predict_all;
use crate::tree::{select_tree, LabelledTable, TreeOptions, Trial};

/// What `compare` runs on.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// One or more CSV files with the same columns, read as one table.
    pub data: Vec<PathBuf>,
    pub rules: PathBuf,
    /// Overrides the rule file's `target` line when set.
    pub target: Option<String>,
    pub seed: u64,
    pub split: SplitRatios,
    pub tree: TreeOptions,
    /// The contents of the report beyond the scores.
    pub report: ReportOptions,
    /// How to read the data files.
    pub load: LoadOptions,
}

/// Sizes of the parts of the split, and how many rows had no label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitSizes {
    pub train: usize,
    pub validation: usize,
    pub test: usize,
    pub unlabelled: usize,
}

/// How often the rules decided a test row themselves, instead of leaving it to `default`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleCoverage {
    /// Test rows where at least one rule fired.
    pub fired: usize,
    /// Test rows no rule covered.
    pub not_fired: usize,
    /// `fired` as a share of the test rows.
    pub share: f64,
    /// The class given to uncovered rows; `None` when the file has no `default`.
    pub default_class: Option<String>,
    /// The hit policy that combined the rules (`first`, `priority`, `vote` or `unique`).
    pub policy: String,
    /// Test rows where more than one rule fired under `unique`; they get no class.
    pub conflicts: usize,
}

/// The learned tree as chosen on the validation rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TreeSummary {
    /// The chosen depth limit (`None`: no limit).
    pub max_depth: Option<usize>,
    pub depth: usize,
    pub leaves: usize,
    pub features: usize,
    pub tuning: Vec<Trial>,
    #[serde(flatten)]
    pub details: TreeDetails,
}

/// The scores of the three models on the test rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelScores {
    pub rules: Scores,
    pub tree: Scores,
    pub baseline: Scores,
    /// The rules where a rule decided the row, the tree elsewhere.
    pub hybrid: Scores,
}

/// Everything `compare` found, in the form the reports print.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub data: String,
    pub rules: String,
    pub target: String,
    pub seed: u64,
    pub classes: Vec<String>,
    pub split: SplitSizes,
    pub baseline_class: String,
    pub models: ModelScores,
    pub rule_coverage: RuleCoverage,
    pub tree: TreeSummary,
    /// Things the user should know that did not stop the run.
    pub warnings: Vec<String>,
    #[serde(flatten)]
    pub run: RunDetails,
    pub paired: Paired,
    pub rule_evidence: EvidenceReport,
    /// Computed only on request, since it grows with the square of the number of rules.
    pub rule_matrix: Option<RuleMatrix>,
    pub disagreements: Disagreements,
    /// The rows asked for by `explain`; not part of the JSON report.
    #[serde(skip)]
    pub explained: Vec<RowExplanation>,
}

pub fn run_comparison(options: &CompareOptions) -> Result<Comparison> {
    let source = read_rule_file(&options.rules)?;
    let target = source.resolve_target(options.target.as_deref())?;

    let mut forced_text = text_columns(&source.file);
    forced_text.push(&target);
    let stage = Stage::start("load", "reading the data", None);
    let sources = load_files(&options.data, &options.load, &forced_text)?;
    stage.finish();
    let data_name = sources.name();
    let table = &sources.table;
    let mut warnings = sources.warnings.clone();
    warnings.extend(rule_text_warnings(
        table,
        &text_columns(&source.file),
        &options.load.categorical,
        &target,
    ));
    let labels = Labels::from_table(table, &target, &data_name)?;
    require_two_classes(&labels, &data_name)?;
    let rule_set = source.bind(table, &labels.classes, Some(&target))?;

    let stage = Stage::start("prepare", "splitting and checking the rows", None);
    let Prepared {
        split,
        unlabelled,
        feature_columns,
        warnings: review,
    } = prepare_rows(&sources, &labels, options.split, options.seed)?;
    warnings.extend(review);
    let labelled = LabelledTable {
        table,
        columns: &feature_columns,
        labels: &labels.rows,
        classes: &labels.classes,
    };
    let (train_y, test_y) = (
        labelled.classes_of(&split.train),
        labelled.classes_of(&split.test),
    );
    stage.finish();

    let stage = Stage::start("rules", "evaluating the rules", None);
    let verdicts = evaluate(&rule_set, table);
    stage.finish();

    // Every choice is made before the test rows are looked at.
    let stage = Stage::start("tune", "training and tuning the decision tree", None);
    let tuned = select_tree(&labelled, &split, &options.tree, options.seed)?;
    stage.finish();

    let stage = Stage::start("score", "scoring and comparing the test rows", None);
    let encoder = &tuned.encoder;
    let test_x = encoder.rows(table, &split.test);
    let tree_predictions: Vec<Option<u32>> = predict_all(&tuned.tree, &test_x)
        .into_iter()
        .map(Some)
        .collect();

    let validation_rules: Vec<Option<u32>> = split
        .validation
        .iter()
        .map(|&r| verdicts.class(r))
        .collect();
    let curve = learning_curve(
        &labelled,
        &split,
        (&tuned.params(), &options.tree.preprocessing),
        &validation_rules,
        options.tree.metric,
        options.seed,
    )?;
    let rule_predictions: Vec<Option<u32>> =
        split.test.iter().map(|&r| verdicts.class(r)).collect();
    let fired = split
        .test
        .iter()
        .filter(|&&r| verdicts.firing.winner(r).is_some())
        .count();

    let baseline_class = majority_class(&train_y, labels.n_classes());
    let baseline_predictions = vec![Some(baseline_class); test_y.len()];

    let explainer = Explainer {
        table,
        labels: &labels.rows,
        classes: &labels.classes,
        split: &split,
        rule_set: &rule_set,
        verdicts: &verdicts,
        encoder,
        tree: &tuned.tree,
    };
    let test_predictions = TestPredictions {
        truth: &test_y,
        rules: &rule_predictions,
        tree: &tree_predictions,
        baseline: &baseline_predictions,
    };
    let analysis = analyse(&explainer, &test_predictions, options.seed, &options.report)?;
    stage.finish();

    Ok(Comparison {
        data: data_name,
        rules: source.path.clone(),
        target,
        seed: options.seed,
        classes: labels.classes.clone(),
        split: SplitSizes {
            train: split.train.len(),
            validation: split.validation.len(),
            test: split.test.len(),
            unlabelled,
        },
        baseline_class: labels.classes[baseline_class as usize].clone(),
        models: ModelScores {
            rules: score(&test_y, &rule_predictions, &labels.classes),
            tree: score(&test_y, &tree_predictions, &labels.classes),
            baseline: score(&test_y, &baseline_predictions, &labels.classes),
            hybrid: analysis.hybrid,
        },
        rule_coverage: RuleCoverage {
            fired,
            not_fired: split.test.len() - fired,
            share: fired as f64 / split.test.len() as f64,
            default_class: rule_set.default.map(|c| labels.classes[c as usize].clone()),
            policy: rule_set.policy.keyword().to_string(),
            conflicts: split
                .test
                .iter()
                .filter(|&&r| verdicts.conflicts(r) > 0)
                .count(),
        },
        tree: TreeSummary {
            max_depth: tuned.params().max_depth,
            depth: tuned.tree.depth(),
            leaves: tuned.tree.n_leaves(),
            features: encoder.features.len(),
            tuning: tuned.search.depth_trials(),
            details: TreeDetails::with_validation_rows(
                &tuned,
                options.tree.preprocessing,
                Some(split.validation.len()),
            ),
        },
        warnings,
        run: RunDetails {
            data_files: sources.files.clone(),
            row_use: row_use(
                &PartSizes {
                    train: split.train.len(),
                    validation: split.validation.len(),
                    test: split.test.len(),
                    unlabelled,
                },
                &tuned.search,
            ),
            learning_curve: curve,
        },
        paired: analysis.paired,
        rule_evidence: analysis.rule_evidence,
        rule_matrix: analysis.rule_matrix,
        disagreements: analysis.disagreements,
        explained: analysis.explained,
    })
}
