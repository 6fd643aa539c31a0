//! The main job: load the data and rules, split, train and tune the tree, and score rules,
//! tree and baseline on the same test rows.

use std::path::PathBuf;

use ndarray::Array2;
use serde::Serialize;

use super::baseline::majority_class;
use super::metrics::{score, Scores};
use crate::data::checks::{require_finite, require_two_classes};
use crate::data::{load_csv, stratified_split, Labels, SplitRatios};
use crate::error::Result;
use crate::progress::Stage;
use crate::rules::{evaluate, read_rule_file, text_columns};
use crate::tree::{tune_depth, Encoder, TreeParams, Trial};

/// What `compare` runs on.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    pub data: PathBuf,
    pub rules: PathBuf,
    /// Overrides the rule file's `target` line when set.
    pub target: Option<String>,
    pub seed: u64,
    pub split: SplitRatios,
    pub depths: Vec<Option<usize>>,
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
}

/// The scores of the three models on the test rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelScores {
    pub rules: Scores,
    pub tree: Scores,
    pub baseline: Scores,
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
}

pub fn run_comparison(options: &CompareOptions) -> Result<Comparison> {
    let data_name = options.data.display().to_string();
    let stage = Stage::start("load", format!("reading `{data_name}`"), None);
    let source = read_rule_file(&options.rules)?;
    let target = source.resolve_target(options.target.as_deref())?;

    let mut forced_text = text_columns(&source.file);
    forced_text.push(&target);
    let table = load_csv(&options.data, &forced_text)?;
    let labels = Labels::from_table(&table, &target, &data_name)?;
    require_two_classes(&labels, &data_name)?;
    let rule_set = source.bind(&table, &labels.classes, Some(&target))?;

    stage.finish();

    let stage = Stage::start("prepare", "splitting and encoding the rows", None);
    let mut warnings = Vec::new();
    let unlabelled = labels.n_missing();
    if unlabelled > 0 {
        warnings.push(format!(
            "{unlabelled} rows have no value in `{target}` and were left out"
        ));
    }
    let split = stratified_split(
        &labels.rows,
        labels.n_classes(),
        options.split,
        options.seed,
    );
    split.require_nonempty(table.n_rows() - unlabelled)?;

    // The learned side sees every column but the target.
    let target_index = table
        .column_index(&target)
        .expect("labels were read from it");
    let feature_columns: Vec<usize> = (0..table.columns.len())
        .filter(|&c| c != target_index)
        .collect();
    let all_rows: Vec<usize> = (0..table.n_rows()).collect();
    require_finite(&table, &feature_columns, &all_rows, &data_name)?;
    let encoder = Encoder::fit(&table, &feature_columns, &split.train);
    let class_of = |rows: &[usize]| -> Vec<u32> {
        rows.iter()
            .map(|&r| labels.rows[r].expect("split rows are labelled"))
            .collect()
    };
    let (train_y, validation_y, test_y) = (
        class_of(&split.train),
        class_of(&split.validation),
        class_of(&split.test),
    );
    let train_x = encoder.transform(&table, &split.train);
    let validation_x = encoder.transform(&table, &split.validation);
    let test_x: Array2<f64> = encoder.transform(&table, &split.test);

    stage.finish();

    let stage = Stage::start("rules", "evaluating the rules", None);
    let verdicts = evaluate(&rule_set, &table);
    stage.finish();
    // The tree needs only the encoded matrices, so the table's memory is given back first.
    drop(table);

    let stage = Stage::start("tune", "training and tuning the decision tree", None);
    let tuned = tune_depth(
        (train_x.view(), &train_y),
        (validation_x.view(), &validation_y),
        labels.n_classes(),
        &options.depths,
        TreeParams::default(),
    )?;
    stage.finish();

    let stage = Stage::start("score", "scoring the test rows", None);
    let tree_predictions: Vec<Option<u32>> = test_x
        .rows()
        .into_iter()
        .map(|row| Some(tuned.tree.predict_row(row)))
        .collect();

    let rule_predictions: Vec<Option<u32>> =
        split.test.iter().map(|&r| verdicts.classes[r]).collect();
    let fired = split
        .test
        .iter()
        .filter(|&&r| verdicts.firing.winner[r].is_some())
        .count();

    let baseline_class = majority_class(&train_y, labels.n_classes());
    let baseline_predictions = vec![Some(baseline_class); test_y.len()];

    let models = ModelScores {
        rules: score(&test_y, &rule_predictions, &labels.classes),
        tree: score(&test_y, &tree_predictions, &labels.classes),
        baseline: score(&test_y, &baseline_predictions, &labels.classes),
    };
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
        models,
        rule_coverage: RuleCoverage {
            fired,
            not_fired: split.test.len() - fired,
            share: fired as f64 / split.test.len() as f64,
            default_class: rule_set.default.map(|c| labels.classes[c as usize].clone()),
        },
        tree: TreeSummary {
            max_depth: tuned.params.max_depth,
            depth: tuned.tree.depth(),
            leaves: tuned.tree.n_leaves(),
            features: encoder.features.len(),
            tuning: tuned.trials,
        },
        warnings,
    })
}
