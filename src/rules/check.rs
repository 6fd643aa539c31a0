//! `rulebench check`: every diagnostic about a rule file, from syntax to what the rules do
//! on the training rows of a data file.

use std::path::PathBuf;

use serde::Serialize;

use super::analysis::data::CheckedRows;
use super::analysis::{check_on_rows, check_static, RuleStatistics};
use super::bind::{bind_rules, text_columns};
use super::diagnostic::{Code, Diagnostic, Severity};
use super::eval::evaluate;
use super::parser::parse_file;
use super::source::{read_rule_text, RuleSource};
use super::syntax::Span;
use crate::data::labels::quoted_list;
use crate::data::{load_files, stratified_split, Labels, LoadOptions, SplitRatios, Table};
use crate::error::Result;
use crate::suggest::closest;

/// What to check the rules against.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub rules: PathBuf,
    /// One or more CSV files with the same columns, read as one table. Without data, only
    /// the checks that need no data run.
    pub data: Vec<PathBuf>,
    pub target: Option<String>,
    pub seed: u64,
    pub split: SplitRatios,
    /// How to read the data files.
    pub load: LoadOptions,
}

/// Everything `check` found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub path: String,
    pub text: String,
    /// Sorted by position in the file.
    pub diagnostics: Vec<Diagnostic>,
    /// Present when the rules were run on data.
    pub data: Option<DataSummary>,
    /// The loader's warnings about the data files.
    pub data_warnings: Vec<String>,
}

/// What the rules did on the checked rows.
#[derive(Debug, Clone, Serialize)]
pub struct DataSummary {
    pub file: String,
    /// "training rows" when the data has labels (the rows `compare` trains on with the same
    /// seed and split), else "rows".
    pub rows_kind: String,
    pub rows: usize,
    pub rules: Vec<RuleStatistics>,
    /// Rows where more than one rule fired under `policy unique`.
    pub conflict_rows: usize,
}

impl CheckReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Reads, parses and checks the rule file. Errors in reading the files are returned as
/// errors; everything about the rules is in the report.
pub fn check_rules(options: &CheckOptions) -> Result<CheckReport> {
    let text = read_rule_text(&options.rules)?;
    let path = options.rules.display().to_string();
    let (file, mut diagnostics) = parse_file(&text);
    let mut report = CheckReport {
        path: path.clone(),
        text: text.clone(),
        diagnostics: Vec::new(),
        data: None,
        data_warnings: Vec::new(),
    };
    if diagnostics.iter().any(Diagnostic::is_error) {
        report.diagnostics = diagnostics;
        return Ok(report);
    }
    let findings = check_static(&file, &text);
    diagnostics.extend(findings.diagnostics.iter().cloned());

    if !options.data.is_empty() {
        let source = RuleSource { path, text, file };
        let target = match (&options.target, &source.file.target) {
            (Some(_), _) => Some(source.resolve_target(options.target.as_deref())?),
            (None, Some(name)) => Some(name.text.clone()),
            (None, None) => None,
        };
        let mut forced_text = text_columns(&source.file);
        if let Some(target) = &target {
            forced_text.push(target);
        }
        let sources = load_files(&options.data, &options.load, &forced_text)?;
        let data_name = sources.name();
        report.data_warnings = sources.warnings;
        let table = sources.table;
        for constant in &source.file.lets {
            if table.column_index(&constant.name.text).is_some() {
                diagnostics.push(
                    Diagnostic::warning(
                        Code::LetHidesColumn,
                        format!(
                            "constant `{}` has the name of a column, so a bare `{}` in a rule \
                             means the constant",
                            constant.name.text, constant.name.text
                        ),
                        constant.name.span,
                    )
                    .with_help(format!(
                        "write `` `{}` `` for the column, or rename the constant",
                        constant.name.text
                    )),
                );
            }
        }
        if let Some(target) = target
            .as_deref()
            .filter(|t| table.column_index(t).is_none())
        {
            diagnostics.push(unknown_target(target, &source, &table));
        }
        let labels = match &target {
            Some(target) if table.column_index(target).is_some() => {
                Some(Labels::from_table(&table, target, &data_name)?)
            }
            _ => None,
        };
        let classes = match &labels {
            Some(labels) => labels.classes.clone(),
            None => source.named_classes(),
        };
        let rule_set = match bind_rules(&source.file, &table, &classes, target.as_deref()) {
            Ok(rule_set) => rule_set,
            Err(errors) => {
                diagnostics.extend(errors);
                report.diagnostics = sorted(diagnostics);
                return Ok(report);
            }
        };
        let verdicts = evaluate(&rule_set, &table);
        let (rows, noun) = match &labels {
            Some(labels) => {
                let split = stratified_split(
                    &labels.rows,
                    labels.n_classes(),
                    options.split,
                    options.seed,
                );
                (split.train, "training rows")
            }
            None => ((0..table.n_rows()).collect(), "rows"),
        };
        let checked = CheckedRows {
            rows: &rows,
            noun,
            labels: labels.as_ref().map(|l| l.rows.as_slice()),
            line_numbers: &table.line_numbers,
            data_name: &data_name,
        };
        let (data_diagnostics, statistics) =
            check_on_rows(&source.file, &rule_set, &verdicts, &checked, &findings);
        diagnostics.extend(data_diagnostics);
        report.data = Some(DataSummary {
            file: data_name,
            rows_kind: noun.to_string(),
            rows: rows.len(),
            rules: statistics,
            conflict_rows: rows.iter().filter(|&&r| verdicts.conflicts(r) > 0).count(),
        });
    }
    report.diagnostics = sorted(diagnostics);
    Ok(report)
}

/// Warns that the label column is not in the data: the checks then run on every row without
/// labels, and `compare` would stop.
fn unknown_target(target: &str, source: &RuleSource, table: &Table) -> Diagnostic {
    let span = source
        .file
        .target
        .as_ref()
        .filter(|name| name.text == target)
        .map_or_else(Span::default, |name| name.span);
    let help = match closest(target, table.column_names()) {
        Some(near) => format!("did you mean `{near}`? `compare` needs the label column"),
        None => format!(
            "`compare` needs the label column; the columns are {}",
            quoted_list(table.column_names())
        ),
    };
    Diagnostic::warning(
        Code::UnknownTarget,
        format!(
            "the data has no target column `{target}`, so the checks ran on every row, without \
             labels"
        ),
        span,
    )
    .with_help(help)
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end, d.severity));
    diagnostics
}
