//! `rulebench history`, and appending a record for `compare --history`.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::output::{
    check_existing_output, open_error, print, reject_input_overwrite, visible_controls,
};
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
    let bytes = fs::read(&args.file).map_err(|e| Error::io("read", &args.file, &e))?;
    let name = args.file.display().to_string();
    let records = history_records(&bytes, &name).map_err(Error::usage)?;
    if records.is_empty() {
        return Err(Error::data(format!(
            "`{name}` contains no runs yet: run `rulebench compare --history {name}` first"
        )));
    }
    print(&visible_controls(&render_history(&records, args.metric)))
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

/// Reads the records of a history file's bytes; `name` names the file in messages.
fn history_records(bytes: &[u8], name: &str) -> Result<Vec<HistoryRecord>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        format!(
            "`{name}` is not a rulebench history file: it is not UTF-8 text. Pass the file \
             that `rulebench compare --history` writes."
        )
    })?;
    // Editors may add a byte-order mark when the file is opened and saved.
    parse_history(text.strip_prefix('\u{feff}').unwrap_or(text), name)
}

/// Checks, before a run, that the file at `path` is a history that `compare --history` may
/// append to. A missing file passes, because the first record creates it.
pub fn check_history(path: &Path) -> Result<()> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io("read", path, &e)),
    };
    history_records(&bytes, &path.display().to_string()).map_err(not_a_history)?;
    check_existing_output(path)
}

fn not_a_history(message: String) -> Error {
    Error::usage(format!("{message} rulebench leaves it unchanged."))
}

/// Appends the record of `comparison`, split by `split`, to the history file at `path`,
/// creating it when absent. A file that is not a history is left alone. The record is added with one write
/// to the end of the file, under an exclusive lock taken before the file is checked, so
/// runs that record at the same time each add their own line and none is lost.
pub fn append_history(
    path: &Path,
    comparison: &Comparison,
    split: SplitRatios,
    inputs: &[&Path],
) -> Result<()> {
    reject_input_overwrite(path, inputs)?;
    check_existing_output(path)?;
    let mut file = fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| open_error(path, &e))?;
    file.lock().map_err(|e| Error::io("lock", path, &e))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", path, &e))?;
    history_records(&bytes, &path.display().to_string()).map_err(not_a_history)?;

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut line = HistoryRecord::new(comparison, split, rfc3339(now)).to_line();
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        line.insert(0, '\n');
    }
    file.write_all(line.as_bytes())
        .map_err(|e| Error::io("write", path, &e))?;
    let regular = file.metadata().is_ok_and(|m| m.is_file());
    if regular {
        file.sync_all().map_err(|e| Error::io("write", path, &e))?;
    }
    Ok(())
}
