//! `rulebench export`: a saved model as a rule file that gives the same predictions.

use std::path::PathBuf;

use super::output::{print, write_file_atomically};
use crate::error::{Error, Result};
use crate::model_file::{read_model, ModelFile};
use crate::report::tree_sections::describe_params;
use crate::rules::format::format_source;
use crate::tree::export::{export_rules, ExportHeader};
use crate::tree::{CategoricalImputation, NumericImputation};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Model file written by `rulebench train`.
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
    /// Write the rules to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(args: ExportArgs) -> Result<()> {
    let model = read_model(&args.model)?;
    let lines = header_lines(&model, &args.model.display().to_string());
    let exported = export_rules(
        &model.tree,
        &model.encoder(),
        &model.classes,
        &model.target,
        &ExportHeader { lines: &lines },
    )?;
    // In the layout `fmt` gives, so that `fmt --check` passes on exported files.
    let text = format_source(&exported).map_err(|_| {
        Error::model(format!(
            "the rules exported from `{}` could not be formatted; please report this with \
             the model file attached",
            args.model.display()
        ))
    })?;
    match &args.out {
        Some(path) => write_file_atomically(path, text.as_bytes(), &[&args.model]),
        None => print(&text),
    }
}

/// Writes the comment at the top of the rule file: where the rules come from and how to read them.
fn header_lines(model: &ModelFile, path: &str) -> Vec<String> {
    let files: Vec<String> = model
        .training_data
        .files
        .iter()
        .map(|f| format!("`{}` ({})", f.path, f.fingerprint))
        .collect();
    let numbers = match model.preprocessing.numeric_imputation {
        NumericImputation::Median => "the training median",
        NumericImputation::Mean => "the training mean",
    };
    let categories = match model.preprocessing.categorical_imputation {
        CategoricalImputation::MissingCategory => "a category of its own",
        CategoricalImputation::MostFrequent => "the most frequent training category",
    };
    vec![
        format!(
            "Decision tree exported by rulebench {} from `{path}`.",
            env!("CARGO_PKG_VERSION")
        ),
        format!(
            "Trained on {}, {} rows fitted, seed {}.",
            files.join(" + "),
            model.training_data.fitted_rows,
            model.seed
        ),
        format!("Settings: {}.", describe_params(&model.hyperparameters)),
        String::new(),
        "Each rule is one leaf of the tree, and exactly one rule is true for every row, so".into(),
        "these rules predict what the tree predicts. Thresholds are in the data's own units,"
            .into(),
        "and a value equal to a threshold takes the `<=` side. The tree filled a missing".into(),
        format!("number with {numbers} and treated a missing category as {categories};"),
        "the `is missing` branches send those rows where the tree sent them.".into(),
    ]
}
