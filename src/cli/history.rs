//! `rulebench history`, and appending a record for `compare --history`.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::output::{print, write_file_atomically};
use crate::compare::history::{history_summary, parse_history, rfc3339, HistoryRecord};
use crate::compare::phrases::signed;
use crate::compare::Comparison;
use crate::data::SplitRatios;
use crate::error::{Error, Result};
use crate::model_file::TestScores;
use crate::report::blocks::{render_text, Block};
use crate::report::table::new_table;
use crate::tree::Metric;

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// History file written by `rulebench compare --history FILE`.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The test score to show for each run.
    #[arg(long, value_enum, default_value_t = Metric::Accuracy)]
    pub metric: Metric,
}

pub fn run(args: HistoryArgs) -> Result<()> {
    let text =
        std::fs::read_to_string(&args.file).map_err(|e| Error::io("read", &args.file, &e))?;
    let name = args.file.display().to_string();
    let records = parse_history(&text, &name).map_err(Error::data)?;
    if records.is_empty() {
        return Err(Error::data(format!(
            "`{name}` contains no runs yet: run `rulebench compare --history {name}` first"
        )));
    }
    print(&render_history(&records, args.metric))
}

fn pick(scores: &TestScores, metric: Metric) -> f64 {
    match metric {
        Metric::Accuracy => scores.accuracy,
        Metric::BalancedAccuracy => scores.balanced_accuracy,
        Metric::MacroF1 => scores.macro_f1,
    }
}

/// Renders one row per run, oldest first, and a reading of how the tree's lead over the rules
/// changed over the runs that can be compared.
fn render_history(records: &[HistoryRecord], metric: Metric) -> String {
    let label = metric.label();
    let mut table = new_table(vec![
        "run",
        "recorded (UTC)",
        "data",
        "rows",
        "fingerprint",
        "seed",
        "rule file",
        "rules",
        "tree",
        "baseline",
        "tree - rules",
    ]);
    for (index, record) in records.iter().enumerate() {
        let files: Vec<&str> = record.data_files.iter().map(|f| f.path.as_str()).collect();
        let fingerprints: Vec<&str> = record
            .data_files
            .iter()
            .map(|f| short_fingerprint(&f.fingerprint))
            .collect();
        let rows: usize = record.data_files.iter().map(|f| f.rows).sum();
        let (rules, tree) = (
            pick(&record.scores.rules, metric),
            pick(&record.scores.tree, metric),
        );
        table.add_row(vec![
            (index + 1).to_string(),
            record.recorded_at.clone(),
            files.join(" + "),
            rows.to_string(),
            fingerprints.join(" + "),
            record.seed.to_string(),
            record.rules.clone(),
            format!("{rules:.3}"),
            format!("{tree:.3}"),
            format!("{:.3}", pick(&record.scores.baseline, metric)),
            signed(tree - rules),
        ]);
    }
    for index in [0, 3, 5, 7, 8, 9, 10] {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    let mut blocks = vec![
        Block::Heading {
            id: "history",
            title: format!("Test {label} of rules and tree, run by run"),
        },
        Block::Table(table),
        Block::Text(
            "fingerprint: the first 8 hex digits of each data file's FNV-1a fingerprint; the \
             history file has them in full."
                .to_string(),
        ),
    ];
    let lead = |record: &HistoryRecord| {
        pick(&record.scores.tree, metric) - pick(&record.scores.rules, metric)
    };
    if let Some(summary) = history_summary(records, lead) {
        blocks.push(Block::Text(summary));
    }
    render_text(&blocks)
}

/// Shortens `fnv1a64:0123456789abcdef` to `01234567`: enough to see which runs read the same
/// file.
fn short_fingerprint(fingerprint: &str) -> &str {
    let digits = fingerprint
        .split_once(':')
        .map_or(fingerprint, |(_, digits)| digits);
    digits.get(..8).unwrap_or(digits)
}

/// Appends the record of `comparison`, split by `split`, to the history file at `path`,
/// creating it when absent. The file is rewritten through a temporary file, so a failure
/// leaves it as it was. A file that is not a history is left alone.
pub fn append_history(
    path: &Path,
    comparison: &Comparison,
    split: SplitRatios,
    inputs: &[&Path],
) -> Result<()> {
    let name = path.display().to_string();
    let mut text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
            Error::usage(format!(
                "`{name}` is not a rulebench history file (it is not UTF-8 text): choose \
                 another --history file"
            ))
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io("read", path, &e)),
    };
    parse_history(&text, &name)
        .map_err(|message| Error::usage(format!("{message} rulebench leaves it unchanged.")))?;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    text.push_str(&HistoryRecord::new(comparison, split, rfc3339(now)).to_line());
    write_file_atomically(path, text.as_bytes(), inputs)
}
