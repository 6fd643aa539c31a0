//! The run history: one JSON Lines record per `compare --history FILE`, so a user who
//! retrains as data grows can see how rules and tree do over time.

use serde::{Deserialize, Serialize};

use super::phrases::{capitalise, join_words, signed};
use super::pipeline::Comparison;
use crate::data::{DataFile, SplitRatios};
use crate::model_file::TestScores;
use crate::tree::{Criterion, Metric, Preprocessing, SplitSearch, TreeParams};

/// The version of the record layout; readers skip no field they do not know.
pub const HISTORY_VERSION: u32 = 1;

/// Rows in each part of the split, and the percentages that cut it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedSplit {
    pub train: usize,
    pub validation: usize,
    pub test: usize,
    /// `--split` as `TRAIN/VALIDATION/TEST` percentages, such as `60/20/20`; `None` in a
    /// record written before it was recorded.
    #[serde(default)]
    pub percentages: Option<String>,
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
    /// The grid and options the tree was chosen from; `None` in a record written before they
    /// were recorded.
    #[serde(default)]
    pub settings: Option<RecordedSettings>,
}

/// The tree options of a run: every value tried of each hyperparameter, the folds and the
/// preprocessing. Two runs with different settings may choose different trees from the same
/// data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedSettings {
    pub max_depth: Vec<Option<usize>>,
    pub min_weight_split: Vec<f32>,
    pub min_weight_leaf: Vec<f32>,
    pub min_impurity_decrease: Vec<f64>,
    pub criterion: Vec<Criterion>,
    /// Records written before the option existed have no such field; they used linfa's search.
    #[serde(default)]
    pub split_search: SplitSearch,
    pub cv_folds: Option<usize>,
    pub preprocessing: Preprocessing,
}

impl RecordedSettings {
    /// Lists the values of each hyperparameter in the order the grid first tried them.
    fn of(comparison: &Comparison) -> Self {
        let details = &comparison.tree.details;
        let rows: Vec<TreeParams> = details.search.rows.iter().map(|row| row.params).collect();
        RecordedSettings {
            max_depth: distinct(rows.iter().map(|p| p.max_depth)),
            min_weight_split: distinct(rows.iter().map(|p| p.min_weight_split)),
            min_weight_leaf: distinct(rows.iter().map(|p| p.min_weight_leaf)),
            min_impurity_decrease: distinct(rows.iter().map(|p| p.min_impurity_decrease)),
            criterion: distinct(rows.iter().map(|p| p.criterion)),
            split_search: rows.first().map(|p| p.split_search).unwrap_or_default(),
            cv_folds: details.search.cv_folds,
            preprocessing: details.preprocessing,
        }
    }
}

/// Returns the values in order of first appearance, each once.
fn distinct<T: PartialEq>(values: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
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
    /// Builds the record of `comparison`, split by `split`, stamped with `recorded_at`.
    pub fn new(comparison: &Comparison, split: SplitRatios, recorded_at: String) -> Self {
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
                percentages: Some(percentages(split)),
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
                settings: Some(RecordedSettings::of(c)),
            },
        }
    }

    /// Names what this run and `other` did differently that makes their test scores not
    /// directly comparable: other test rows (seed, split, target), another way of choosing
    /// the tree (selection metric, tree settings) or other rules. A setting that one of the
    /// two records lacks is not compared.
    pub fn differences(&self, other: &HistoryRecord) -> Vec<&'static str> {
        [
            ("seed", self.seed != other.seed),
            (
                "split",
                known_and_different(&self.split.percentages, &other.split.percentages),
            ),
            ("target", self.target != other.target),
            ("selection metric", self.metric != other.metric),
            (
                "tree settings",
                known_and_different(&self.tree.settings, &other.tree.settings),
            ),
            ("rule file", self.rules != other.rules),
        ]
        .into_iter()
        .filter(|(_, differs)| *differs)
        .map(|(name, _)| name)
        .collect()
    }

    /// Writes the record as one line of JSON, with its line break.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("the record serialises");
        line.push('\n');
        line
    }
}

/// True when both values are known and differ.
fn known_and_different<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a != b)
}

/// Formats split shares as the `--split` option takes them, such as `60/20/20`.
fn percentages(split: SplitRatios) -> String {
    [split.train, split.validation, split.test]
        .iter()
        .map(|share| {
            let percent = (share * 1e6).round() / 1e4;
            format!("{percent}")
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Writes the reading of a history under its table: which runs cannot be compared with the
/// last one and why, and how the tree's lead over the rules (`lead` of each record) changed
/// over the runs that can. Returns `None` for a single run.
pub fn history_summary(
    records: &[HistoryRecord],
    lead: impl Fn(&HistoryRecord) -> f64,
) -> Option<String> {
    let (last, earlier) = records.split_last()?;
    if earlier.is_empty() {
        return None;
    }
    // Runs with the same differences from the last run, in order of their first run.
    let mut groups: Vec<(Vec<&'static str>, Vec<usize>)> = Vec::new();
    let mut comparable = Vec::new();
    for (index, record) in records.iter().enumerate() {
        let differences = record.differences(last);
        if differences.is_empty() {
            comparable.push(index + 1);
        } else if let Some(group) = groups.iter_mut().find(|(d, _)| *d == differences) {
            group.1.push(index + 1);
        } else {
            groups.push((differences, vec![index + 1]));
        }
    }
    let trend = |runs: &[usize]| {
        format!(
            "the tree's lead over the rules went from {} to {}",
            signed(lead(&records[runs[0] - 1])),
            signed(lead(&records[runs[runs.len() - 1] - 1]))
        )
    };
    if groups.is_empty() {
        return Some(format!(
            "Over {} runs {}.",
            records.len(),
            trend(&comparable)
        ));
    }

    let clauses: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(position, (differences, runs))| {
            let verb = match (position, runs.len()) {
                (0, 1) => " differs from the last run",
                (0, _) => " differ from the last run",
                _ => "",
            };
            format!("{}{verb} in {}", runs_phrase(runs), join_words(differences))
        })
        .collect();
    let all: Vec<&str> = groups.iter().flat_map(|(d, _)| d.iter().copied()).collect();
    let mut causes = Vec::new();
    if all.iter().any(|d| ["seed", "split", "target"].contains(d)) {
        causes.push("other test rows");
    }
    if all
        .iter()
        .any(|d| ["selection metric", "tree settings"].contains(d))
    {
        causes.push("another choice of tree");
    }
    if all.contains(&"rule file") {
        causes.push("other rules");
    }
    let several = groups.len() > 1 || groups[0].1.len() > 1;
    // Each clause has its own list with "and", so the clauses are set apart by commas.
    let clauses = match clauses.as_slice() {
        [rest @ .., last] if !rest.is_empty() => format!("{}, and {last}", rest.join(", ")),
        _ => clauses.join(""),
    };
    let mut text = format!(
        "{}. {} scores come from {}, so they are not directly comparable with the last run's, \
         and no trend is read across them.",
        capitalise(&clauses),
        if several { "Their" } else { "Its" },
        join_words(&causes)
    );
    if comparable.len() > 1 {
        text.push_str(&format!(
            " Over {}, which are comparable, {}.",
            runs_phrase(&comparable),
            trend(&comparable)
        ));
    }
    Some(text)
}

/// Names runs by number: "run 3", "runs 1 and 3", "runs 1, 2 and 4".
fn runs_phrase(numbers: &[usize]) -> String {
    let names: Vec<String> = numbers.iter().map(usize::to_string).collect();
    match names.as_slice() {
        [one] => format!("run {one}"),
        _ => format!("runs {}", join_words(&names)),
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

    fn scores(accuracy: f64) -> TestScores {
        TestScores {
            accuracy,
            balanced_accuracy: accuracy,
            macro_f1: accuracy,
        }
    }

    /// A run with seed 42, the default split and settings, and the tree `lead` ahead.
    fn run(lead: f64) -> HistoryRecord {
        HistoryRecord {
            history_version: HISTORY_VERSION,
            rulebench_version: "0.1.0".to_string(),
            recorded_at: rfc3339(0),
            data_files: vec![DataFile {
                path: "loans.csv".to_string(),
                rows: 600,
                fingerprint: "fnv1a64:0123456789abcdef".to_string(),
            }],
            rules: "loans.rules".to_string(),
            target: "approved".to_string(),
            seed: 42,
            split: RecordedSplit {
                train: 360,
                validation: 120,
                test: 120,
                percentages: Some("60/20/20".to_string()),
            },
            metric: Metric::Accuracy,
            scores: RecordedScores {
                rules: scores(0.6),
                tree: scores(0.6 + lead),
                baseline: scores(0.7),
            },
            tree: RecordedTree {
                params: TreeParams::default(),
                depth: 3,
                leaves: 5,
                settings: Some(RecordedSettings {
                    max_depth: vec![Some(2), Some(3)],
                    min_weight_split: vec![2.0],
                    min_weight_leaf: vec![1.0, 5.0],
                    min_impurity_decrease: vec![0.00001],
                    criterion: vec![Criterion::Gini],
                    split_search: SplitSearch::Linfa,
                    cv_folds: None,
                    preprocessing: Preprocessing::default(),
                }),
            },
        }
    }

    fn summary(records: &[HistoryRecord]) -> String {
        let lead = |r: &HistoryRecord| r.scores.tree.accuracy - r.scores.rules.accuracy;
        history_summary(records, lead).expect("several runs")
    }

    #[test]
    fn alike_runs_read_as_a_trend() {
        let mut later = run(0.1);
        later.data_files[0].rows = 700;
        later.data_files[0].fingerprint = "fnv1a64:fedcba9876543210".to_string();
        let text = summary(&[run(0.133), later]);
        assert_eq!(
            text,
            "Over 2 runs the tree's lead over the rules went from +0.133 to +0.100."
        );
    }

    #[test]
    fn single_run_has_no_summary() {
        assert_eq!(history_summary(&[run(0.1)], |_| 0.0), None);
    }

    #[test]
    fn other_seed_or_settings_not_compared() {
        let mut restricted = run(0.158);
        restricted.tree.settings.as_mut().unwrap().max_depth = vec![Some(2)];
        let mut reseeded = run(0.092);
        reseeded.seed = 7;
        reseeded.metric = Metric::BalancedAccuracy;
        let text = summary(&[run(0.133), restricted, reseeded]);
        assert_eq!(
            text,
            "Run 1 differs from the last run in seed and selection metric, and run 2 in seed, \
             selection metric and tree settings. Their scores come from other test rows and \
             another choice of tree, so they are not directly comparable with the last run's, \
             and no trend is read across them."
        );
        assert!(!text.contains("went from"), "{text}");
    }

    #[test]
    fn other_split_search_not_compared() {
        let mut full = run(0.2);
        full.tree.settings.as_mut().unwrap().split_search = SplitSearch::Full;
        let text = summary(&[full, run(0.1)]);
        assert_eq!(
            text,
            "Run 1 differs from the last run in tree settings. Its scores come from another \
             choice of tree, so they are not directly comparable with the last run's, and no \
             trend is read across them."
        );
        assert!(!text.contains("went from"), "{text}");
    }

    #[test]
    fn trend_is_read_over_the_comparable_runs() {
        let mut other_rules = run(0.3);
        other_rules.rules = "loans-v2.rules".to_string();
        let mut other_split = run(0.2);
        other_split.split.percentages = Some("70/10/20".to_string());
        let text = summary(&[run(0.1), other_rules, other_split, run(0.05)]);
        assert!(
            text.starts_with(
                "Run 2 differs from the last run in rule file, and run 3 in split. Their scores \
                 come from other test rows and other rules,"
            ),
            "{text}"
        );
        assert!(
            text.ends_with(
                "Over runs 1 and 4, which are comparable, the tree's lead over the rules went \
                 from +0.100 to +0.050."
            ),
            "{text}"
        );
    }

    #[test]
    fn old_record_settings_not_compared() {
        let mut old = run(0.1);
        old.tree.settings = None;
        old.split.percentages = None;
        assert!(old.differences(&run(0.2)).is_empty());
        let line = serde_json::to_string(&old).unwrap();
        let without: String = line
            .replace(",\"percentages\":null", "")
            .replace(",\"settings\":null", "");
        assert!(!without.contains("settings"));
        assert_eq!(parse_history(&without, "h.jsonl").unwrap(), vec![old]);
    }

    #[test]
    fn split_percentages_read_as_the_option() {
        assert_eq!(percentages(SplitRatios::default()), "60/20/20");
        let odd = SplitRatios {
            train: 0.705,
            validation: 0.095,
            test: 0.2,
        };
        assert_eq!(percentages(odd), "70.5/9.5/20");
    }

    #[test]
    fn foreign_line_is_rejected_with_its_number() {
        let error = parse_history("\n{\"a\": 1}\n", "h.jsonl").unwrap_err();
        assert!(error.starts_with("`h.jsonl` line 2 is not a rulebench history record"));
    }
}
