//! The command line: argument definitions and one module per subcommand.

mod bench;
mod compare;
mod gen;
mod output;
mod predict;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::data::SplitRatios;
use crate::error::Result;

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
    /// Write a synthetic CSV file and a matching rule file, for benchmarks.
    ///
    /// The labels come from a hidden list of rules plus label noise; the rule file holds
    /// similar rules with slightly different thresholds.
    Gen(GenArgs),
    /// Time one step of the pipeline (for the benchmark script).
    #[command(hide = true)]
    Bench(BenchArgs),
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
    /// Print the seconds each step took to standard error, as one line of JSON.
    #[arg(long)]
    pub timings: bool,
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
}

#[derive(Debug, clap::Args)]
pub struct GenArgs {
    /// Data rows to write.
    #[arg(long, default_value_t = 100_000)]
    pub rows: usize,
    /// Numeric feature columns (`x1`, `x2`, ...).
    #[arg(long, default_value_t = 20)]
    pub features: usize,
    /// Categorical feature columns (`cat1`, `cat2`, ...), in addition to --features.
    #[arg(long, default_value_t = 2)]
    pub categorical: usize,
    /// Classes in the `label` column.
    #[arg(long, default_value_t = 3)]
    pub classes: usize,
    /// Share of feature cells left empty (missing), from 0 to 0.5.
    #[arg(long, default_value_t = 0.02)]
    pub missing: f64,
    /// Share of rows whose label is replaced by a random class, from 0 to 1.
    #[arg(long, default_value_t = 0.1)]
    pub noise: f64,
    /// Rules in the rule file.
    #[arg(long, default_value_t = 10)]
    pub rule_count: usize,
    /// Comparisons in the rule file, spread over the rules.
    #[arg(long, default_value_t = 25)]
    pub comparisons: usize,
    /// Seed of every random draw; the same settings and seed give the same files.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The CSV file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The rule file to write.
    #[arg(long, value_name = "FILE")]
    pub rules_out: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Times the step is run; each run's seconds are printed.
    #[arg(long, default_value_t = 1, global = true)]
    pub repeat: usize,
    #[command(subcommand)]
    pub stage: BenchStage,
}

#[derive(Debug, Subcommand)]
pub enum BenchStage {
    /// Load a CSV file.
    Ingest {
        #[arg(long, value_name = "FILE")]
        data: PathBuf,
    },
    /// Evaluate a rule file on a CSV file loaded once.
    Rules {
        #[arg(long, value_name = "FILE")]
        data: PathBuf,
        #[arg(long, value_name = "FILE")]
        rules: PathBuf,
    },
    /// Fit one tree on every labelled row of a CSV file.
    Fit {
        #[arg(long, value_name = "FILE")]
        data: PathBuf,
        #[arg(long, value_name = "COLUMN")]
        target: String,
        /// Depth limit; without it the tree grows until its leaves are pure.
        #[arg(long)]
        max_depth: Option<usize>,
    },
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> Result<()> {
    if std::io::stderr().is_terminal() {
        crate::progress::show_bars();
    }
    match cli.command {
        Command::Compare(args) => compare::run(args),
        Command::Predict(args) => predict::run(args),
        Command::Gen(args) => gen::run(args),
        Command::Bench(args) => bench::run(args),
    }
}
