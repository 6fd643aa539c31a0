//! The run history: one JSON Lines record per `compare --history FILE`, so a user who
//! retrains as data grows can see how rules and tree do over time.

use serde::{Deserialize, Serialize};

use super::pipeline::Comparison;
use crate::data::DataFile;
use crate::model_file::TestScores;
use crate::tree::{Metric, TreeParams};

/// The version of the record layout; readers skip no field they do not know.
pub const HISTORY_VERSION: u32 = 1;

/// Rows in each part of the split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedSplit {
    pub train: usize,
    pub validation: usize,
    pub test: usize,
}

/// The test scores of the three models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedScores {
    pub rules: TestScores,
    pub tree: TestScores,
    pub baseline: TestScores,
}

/// The chosen tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedTree {
    pub params: TreeParams,
    pub depth: usize,
    pub leaves: usize,
}

/// One run of `compare`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryRecord {
    pub history_version: u32,
    pub rulebench_version: String,
    /// When the run finished, in UTC (RFC 3339, whole seconds).
    pub recorded_at: String,
    pub data_files: Vec<DataFile>,
    pub rules: String,
    pub target: String,
    pub seed: u64,
    pub split: RecordedSplit,
    /// The metric that chose the tree settings.
    pub metric: Metric,
    pub scores: RecordedScores,
    pub tree: RecordedTree,
}

impl HistoryRecord {
    /// Builds the record of `comparison`, stamped with `recorded_at`.
    pub fn new(comparison: &Comparison, recorded_at: String) -> Self {
        let c = comparison;
        HistoryRecord {
            history_version: HISTORY_VERSION,
            rulebench_version: env!("CARGO_PKG_VERSION").to_string(),
            recorded_at,
            data_files: c.run.data_files.clone(),
            rules: c.rules.clone(),
            target: c.target.clone(),
            seed: c.seed,
            split: RecordedSplit {
                train: c.split.train,
                validation: c.split.validation,
                test: c.split.test,
            },
            metric: c.tree.details.search.metric,
            scores: RecordedScores {
                rules: (&c.models.rules).into(),
                tree: (&c.models.tree).into(),
                baseline: (&c.models.baseline).into(),
            },
            tree: RecordedTree {
                params: c.tree.details.params,
                depth: c.tree.depth,
                leaves: c.tree.leaves,
            },
        }
    }

    /// Writes the record as one line of JSON, with its line break.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("the record serialises");
        line.push('\n');
        line
    }
}

/// Reads the records of a history file's text; `file` names it in messages. A UTF-8
/// byte-order mark at the start, which some editors add, and blank lines are skipped.
pub fn parse_history(text: &str, file: &str) -> Result<Vec<HistoryRecord>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: HistoryRecord = serde_json::from_str(line).map_err(|e| {
            format!(
                "`{file}` line {} is not a rulebench history record ({e}). Pass the file that \
                 `rulebench compare --history` writes.",
                index + 1
            )
        })?;
        records.push(record);
    }
    Ok(records)
}

/// Formats seconds since 1970-01-01 UTC as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(unix_seconds: u64) -> String {
    let days = (unix_seconds / 86_400) as i64;
    let seconds = unix_seconds % 86_400;
    // Howard Hinnant's days-to-civil algorithm for the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_matches_known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn foreign_line_is_rejected_with_its_number() {
        let error = parse_history("\n{\"a\": 1}\n", "h.jsonl").unwrap_err();
        assert!(error.starts_with("`h.jsonl` line 2 is not a rulebench history record"));
    }
}
