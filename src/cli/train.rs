//! `rulebench train`: the tree `compare` would train, saved with everything needed to
//! apply, explain and export it.

use std::path::{Path, PathBuf};

use super::input::DataArgs;
use super::output::{print, warn, write_file_atomically};
use super::tree_args::TreeArgs;
use crate::compare::score;
use crate::compare::tree_report::TreeDetails;
use crate::data::checks::require_two_classes;
use crate::data::{load_files, stratified_split, Labels, SplitRatios};
use crate::error::Result;
use crate::model_file::{
    schema_of, ModelFile, PreprocessingRecord, Selection, TestScores, TrainingData, FORMAT_VERSION,
};
use crate::report::blocks::{render_text, Block};
use crate::report::tree_sections::{
    describe_params, importance_blocks, overfitting_blocks, search_blocks,
};
use crate::tree::search::predict_all;
use crate::tree::{select_tree, LabelledTable};

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// CSV file with a header row; repeat to read several files with the same columns as
    /// one table.
    #[arg(long, value_name = "FILE", required = true)]
    pub data: Vec<PathBuf>,
    /// Label column.
    #[arg(long, value_name = "COLUMN")]
    pub target: String,
    /// Output path of the model (JSON).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Seed for the train / validation / test split and the cross-validation folds.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Percentages of rows for training, validation and test.
    #[arg(long, value_name = "TRAIN/VALIDATION/TEST", default_value = "60/20/20")]
    pub split: SplitRatios,
    #[command(flatten)]
    pub tree: TreeArgs,
    #[command(flatten)]
    pub input: DataArgs,
}

pub fn run(args: TrainArgs) -> Result<()> {
    let options = args.tree.options()?;
    let sources = load_files(&args.data, &args.input.load_options(), &[&args.target])?;
    for warning in &sources.warnings {
        warn(warning);
    }
    let data_name = sources.name();
    let table = &sources.table;
    let labels = Labels::from_table(table, &args.target, &data_name)?;
    require_two_classes(&labels, &data_name)?;
    let unlabelled = labels.n_missing();
    if unlabelled > 0 {
        eprintln!(
            "warning: {unlabelled} rows have no value in `{}` and were left out",
            args.target
        );
    }
    let split = stratified_split(&labels.rows, labels.n_classes(), args.split, args.seed);
    split.require_nonempty(table.n_rows() - unlabelled)?;
    let target_index = table
        .column_index(&args.target)
        .expect("labels were read from it");
    let feature_columns: Vec<usize> = (0..table.columns.len())
        .filter(|&c| c != target_index)
        .collect();
    sources.require_finite(&feature_columns)?;

    let labelled = LabelledTable {
        table,
        columns: &feature_columns,
        labels: &labels.rows,
        classes: &labels.classes,
    };
    let selected = select_tree(&labelled, &split, &options, args.seed)?;
    // The test rows are scored once, after every choice.
    let test_x = selected.encoder.rows(table, &split.test);
    let test_predictions: Vec<Option<u32>> = predict_all(&selected.tree, &test_x)
        .into_iter()
        .map(Some)
        .collect();
    let test_scores = score(
        &labelled.classes_of(&split.test),
        &test_predictions,
        &labels.classes,
    );

    let chosen = selected.search.chosen_row();
    let model = ModelFile {
        format_version: FORMAT_VERSION,
        rulebench_version: env!("CARGO_PKG_VERSION").to_string(),
        target: args.target.clone(),
        classes: labels.classes.clone(),
        schema: schema_of(table, &feature_columns),
        training_data: TrainingData {
            files: sources.files.clone(),
            train_rows: split.train.len(),
            validation_rows: split.validation.len(),
            test_rows: split.test.len(),
            fitted_rows: selected.fitted_rows.len(),
        },
        seed: args.seed,
        selection: Selection {
            metric: options.metric,
            cv_folds: options.cv_folds,
            settings_tried: selected.search.rows.len(),
            validation_score: chosen.validation_score,
        },
        preprocessing: PreprocessingRecord::new(
            &options.preprocessing,
            selected.encoder.features.clone(),
        ),
        hyperparameters: selected.params(),
        tree: selected.tree.clone(),
        test_scores: TestScores::from(&test_scores),
    };
    let inputs: Vec<&Path> = args.data.iter().map(PathBuf::as_path).collect();
    write_file_atomically(&args.out, model.to_json().as_bytes(), &inputs)?;

    let details = TreeDetails::new(&selected, options.preprocessing);
    let mut blocks = vec![
        Block::Title(format!(
            "rulebench: a decision tree for `{}` trained on `{data_name}`",
            args.target
        )),
        Block::Text(format!(
            "seed {}, stratified split: {} training, {} validation, {} test rows",
            args.seed,
            split.train.len(),
            split.validation.len(),
            split.test.len()
        )),
    ];
    blocks.extend(search_blocks(&details.search));
    blocks.extend(overfitting_blocks(&details.search, &details.overfitting));
    blocks.push(Block::Heading {
        id: "chosen",
        title: format!("Chosen: {}", describe_params(&details.params)),
    });
    blocks.push(Block::Text(format!(
        "The tree has depth {} and {} leaves, fitted on {} rows.",
        selected.tree.depth(),
        selected.tree.n_leaves(),
        selected.fitted_rows.len()
    )));
    blocks.push(Block::Text(format!(
        "Test scores on the {} test rows, scored once after every choice: accuracy {:.3}, \
         balanced accuracy {:.3}, macro F1 {:.3}",
        split.test.len(),
        test_scores.accuracy,
        test_scores.balanced_accuracy,
        test_scores.macro_f1
    )));
    blocks.extend(importance_blocks(&details.importance));
    blocks.push(Block::Text(format!(
        "Model written to `{}`.",
        args.out.display()
    )));
    let out = render_text(&blocks);
    print(&out)
}
