//! The command line: argument definitions and one module per subcommand.

mod bench;
mod check;
mod compare;
mod explain;
mod export;
mod fmt;
mod gen;
mod history;
mod input;
mod output;
mod predict;
mod train;
mod tree_args;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::Result;
pub use input::{CsvArgs, DatasetArgs};
pub use output::visible_controls;

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
    /// Apply a rule file or a saved model to every row of a CSV file and write one
    /// prediction per row as CSV.
    Predict(PredictArgs),
    /// Show how the rules and the tree decide one row: the true class, the rule that fired and
    /// the tree's path as conditions.
    ///
    /// The tree is trained exactly as `compare` trains it with the same options.
    Explain(ExplainArgs),
    /// Train, tune and save a decision tree, the way `compare` trains it.
    Train(train::TrainArgs),
    /// Write a saved model as a rule file that gives the same predictions.
    Export(export::ExportArgs),
    /// Show how rules and tree did over the runs recorded by `compare --history`.
    History(history::HistoryArgs),
    /// Report every error and warning about a rule file, and what each rule does on data.
    ///
    /// Exits with code 4 when there are errors (or warnings, with --strict).
    Check(CheckArgs),
    /// Rewrite a rule file in the canonical layout, keeping its comments and meaning.
    Fmt(FmtArgs),
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
    /// Markdown: headings, sentences and pipe tables.
    Markdown,
    /// One CSV table in long form: section, subject, class, part, measure, value.
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Rule file to score.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also show how many rows each pair of rules both fire on, and which pairs conflict.
    #[arg(long)]
    pub rule_matrix: bool,
    /// Explain the first N test rows where the rules and the tree disagree.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub disagreements: usize,
    /// Also write the report as one self-contained HTML page with charts to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Append this run's scores to a JSON Lines history file (created when absent).
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// Print the seconds each step took to standard error, as one line of JSON.
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub dataset: DatasetArgs,
    #[command(flatten)]
    pub tree: tree_args::TreeArgs,
}

/// Output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Text for reading in a terminal.
    Table,
    /// One JSON document (layout in the README).
    Json,
}

#[derive(Debug, clap::Args)]
#[command(mut_arg("data", |data| data.required(true)))]
pub struct ExplainArgs {
    /// The data row to explain, counting from 1 after the header row (as `predict` and
    /// `compare --disagreements` number rows).
    #[arg(long, value_name = "N", value_parser = parse_row)]
    pub row: usize,
    /// Rule file to apply.
    #[arg(long, value_name = "FILE")]
    pub rules: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Table)]
    pub format: ExplainFormat,
    #[command(flatten)]
    pub dataset: DatasetArgs,
    #[command(flatten)]
    pub tree: tree_args::TreeArgs,
}

/// Parses `--row`: data rows count from 1, the first row after the header.
fn parse_row(text: &str) -> std::result::Result<usize, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => Err(
            "rows count from 1, the first row after the header: write `--row 1` \
                      for the first data row"
                .to_string(),
        ),
        // A row number beyond `usize` cannot be in the data; the range check reports it.
        Ok(row) => Ok(usize::try_from(row).unwrap_or(usize::MAX)),
        Err(_) => Err(format!(
            "`{text}` is not a row number: write a whole number from 1, the first row after \
             the header"
        )),
    }
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("predictor").required(true).args(["rules", "model"])))]
pub struct PredictArgs {
    /// Rule file to apply.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Model file written by `rulebench train` to apply instead of rules.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// CSV file with a header row; the label column may be absent.
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// Write the predictions to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub input: CsvArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Messages with the source line and a caret, then a table with a row per rule.
    Text,
    /// One JSON document for editors and CI (fields in docs/RULES.md).
    Json,
}

#[derive(Debug, clap::Args)]
#[command(mut_arg("data", |data| data.help(
    "CSV file to check the rules against; without it, only the checks that need no data run. \
     Repeat to read several files with the same columns as one table"
)))]
pub struct CheckArgs {
    /// Rule file to check.
    #[arg(value_name = "RULES")]
    pub rules: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Exit with code 4 on warnings too.
    #[arg(long)]
    pub strict: bool,
    // Without --data, only the checks that need no data run. With it, the checks on rows
    // use the training rows `compare` would use with the same options.
    #[command(flatten)]
    pub dataset: DatasetArgs,
}

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Rule file to format in place.
    #[arg(value_name = "RULES")]
    pub rules: PathBuf,
    /// Change nothing; exit with code 4 when the file is not formatted.
    #[arg(long, conflicts_with = "stdout")]
    pub check: bool,
    /// Print the formatted file instead of rewriting it.
    #[arg(long)]
    pub stdout: bool,
}

#[derive(Debug, clap::Args)]
pub struct GenArgs {
    /// Data rows to write, without limit; an interrupted run (Ctrl-C) removes both files.
    #[arg(long, default_value_t = 100_000)]
    pub rows: usize,
    /// Numeric feature columns (`x1`, `x2`, ...), 1 to 10000.
    #[arg(long, default_value_t = 20)]
    pub features: usize,
    /// Categorical feature columns (`cat1`, `cat2`, ...), in addition to --features, 0 to
    /// 10000.
    #[arg(long, default_value_t = 2)]
    pub categorical: usize,
    /// Classes in the `label` column, 2 to 100.
    #[arg(long, default_value_t = 3)]
    pub classes: usize,
    /// Share of feature cells left empty (missing), from 0 to 0.5.
    #[arg(long, default_value_t = 0.02)]
    pub missing: f64,
    /// Share of rows whose label is replaced by a random class, from 0 to 1.
    #[arg(long, default_value_t = 0.1)]
    pub noise: f64,
    /// Rules in the rule file, 1 to 10000.
    #[arg(long, default_value_t = 10)]
    pub rule_count: usize,
    /// Comparisons in the rule file, spread over the rules: at least one per rule, at most
    /// one per rule and column, and at most 100000.
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
        Command::Explain(args) => explain::run(args),
        Command::Train(args) => train::run(args),
        Command::Export(args) => export::run(args),
        Command::History(args) => history::run(args),
        Command::Check(args) => check::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Gen(args) => gen::run(args),
        Command::Bench(args) => bench::run(args),
    }
}
