//! `rulebench train`: the tree `compare` would train, saved with everything needed to
//! apply, explain and export it.

use std::path::{Path, PathBuf};

use super::input::DatasetArgs;
use super::output::{check_outputs, print, visible_controls, warn, write_file_atomically};
use super::tree_args::TreeArgs;
use crate::compare::score;
use crate::compare::tree_report::TreeDetails;
use crate::data::checks::require_two_classes;
use crate::data::{load_files, prepare_rows, Labels, Prepared};
use crate::error::{Error, Result};
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
#[command(
    mut_arg("data", |data| data.required(true)),
    mut_arg("target", |target| target.required(true).help("Label column"))
)]
pub struct TrainArgs {
    /// Output path of the model (JSON).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub dataset: DatasetArgs,
    #[command(flatten)]
    pub tree: TreeArgs,
}

pub fn run(args: TrainArgs) -> Result<()> {
    let options = args.tree.options()?;
    let dataset = &args.dataset;
    let target = dataset
        .target
        .clone()
        .ok_or_else(|| Error::usage("--target is required: name the label column"))?;
    let inputs: Vec<&Path> = dataset.data.iter().map(PathBuf::as_path).collect();
    // Checked before the data is read, so a mistake in the path fails fast.
    check_outputs(&[("--out", &args.out)], &inputs)?;

    let sources = load_files(&dataset.data, &dataset.csv.load_options(), &[&target])?;
    let data_name = sources.name();
    let table = &sources.table;
    let labels = Labels::from_table(table, &target, &data_name)?;
    require_two_classes(&labels, &data_name)?;
    let Prepared {
        split,
        feature_columns,
        warnings,
        ..
    } = prepare_rows(&sources, &labels, dataset.split, dataset.seed)?;
    // The warnings `compare` gives for the same data, in the same order.
    for warning in sources.warnings.iter().chain(&warnings) {
        warn(warning);
    }

    let labelled = LabelledTable {
        table,
        columns: &feature_columns,
        labels: &labels.rows,
        classes: &labels.classes,
    };
    let selected = select_tree(&labelled, &split, &options, dataset.seed)?;
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
        target: target.clone(),
        classes: labels.classes.clone(),
        schema: schema_of(table, &feature_columns),
        training_data: TrainingData {
            files: sources.files.clone(),
            train_rows: split.train.len(),
            validation_rows: split.validation.len(),
            test_rows: split.test.len(),
            fitted_rows: selected.fitted_rows.len(),
        },
        seed: dataset.seed,
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
    write_file_atomically(&args.out, model.to_json().as_bytes(), &inputs)?;

    let details = TreeDetails::with_validation_rows(
        &selected,
        options.preprocessing,
        Some(split.validation.len()),
    );
    let mut blocks = vec![
        Block::Title(format!(
            "rulebench: a decision tree for `{target}` trained on `{data_name}`"
        )),
        Block::Text(format!(
            "seed {}, stratified split: {} training, {} validation, {} test rows",
            dataset.seed,
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
    print(&visible_controls(&out))
}
