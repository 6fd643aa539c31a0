//! The options that say which data to read, how to read it and how to split its rows. They
//! are defined once, so every command that reads data accepts the same ones.

use std::path::PathBuf;

use crate::data::{Delimiter, LoadOptions, SplitRatios};

/// The data files, how to read them, and how to split their rows, shared by `compare`,
/// `explain`, `train` and `check`: the same options select the same rows in each.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Data and split")]
pub struct DatasetArgs {
    /// CSV file with a header row; one row per example. Repeat to read several files with
    /// the same columns as one table, in the order given.
    #[arg(long, value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Label column; defaults to the rule file's `target` line.
    #[arg(long, value_name = "COLUMN")]
    pub target: Option<String>,
    /// Seed of the train / validation / test split, the cross-validation folds and the
    /// bootstrap resamples.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Percentages of rows for training, validation and test.
    #[arg(long, value_name = "TRAIN/VALIDATION/TEST", default_value = "60/20/20")]
    pub split: SplitRatios,
    #[command(flatten)]
    pub csv: CsvArgs,
}

/// How to read a CSV file; `predict` takes these alone, as it reads one file and no split.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Reading the CSV file")]
pub struct CsvArgs {
    /// Field delimiter: one character such as `;` or `|`, or `tab`. Detected from the first
    /// lines when omitted (`,`, `;`, tab or `|`).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<Delimiter>,
    /// Lines at the top of the file to skip before the header row, such as a title.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub skip_lines: usize,
    /// Read `,` as the decimal mark (`5,1` is 5.1). Without this flag, decimal commas are
    /// detected, with a warning, when the delimiter is not a comma.
    #[arg(long)]
    pub decimal_comma: bool,
    /// Read this column as categories even when every value is a number, such as integer
    /// codes; repeat the option for more columns.
    #[arg(long, value_name = "COLUMN")]
    pub categorical: Vec<String>,
}

impl CsvArgs {
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            delimiter: self.delimiter,
            skip_lines: self.skip_lines,
            decimal_comma: self.decimal_comma,
            categorical: self.categorical.clone(),
        }
    }
}
