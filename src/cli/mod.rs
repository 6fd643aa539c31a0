//! The command line: argument definitions and one module per subcommand.

mod compare;
mod input;
mod output;
mod predict;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::data::SplitRatios;
use crate::error::Result;
pub use input::DataArgs;

/// Compare hand-written classification rules with a decision tree trained on the same data.
#[derive(Debug, Parser)]
#[command(name = "rulebench", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score the rules, a tuned decision tree and the majority class on the same test rows.
    ///
    /// Without --data and --rules, runs the shipped titanic example.
    Compare(CompareArgs),
    /// Apply a rule file to every row of a CSV file and write one prediction per row as CSV.
    Predict(PredictArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables for reading in a terminal.
    Table,
    /// One JSON document (layout in the README).
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// CSV file with a header row; one row per example.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Rule file to score.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Label column; defaults to the rule file's `target` line.
    #[arg(long, value_name = "COLUMN")]
    pub target: Option<String>,
    /// Seed for the train / validation / test split.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Percentages of rows for training, validation and test.
    #[arg(long, value_name = "TRAIN/VALIDATION/TEST", default_value = "60/20/20")]
    pub split: SplitRatios,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub input: DataArgs,
}

#[derive(Debug, clap::Args)]
pub struct PredictArgs {
    /// Rule file to apply.
    #[arg(long, value_name = "FILE")]
    pub rules: PathBuf,
    /// CSV file with a header row; the label column may be absent.
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// Write the predictions to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub input: DataArgs,
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Compare(args) => compare::run(args),
        Command::Predict(args) => predict::run(args),
    }
}
