//! `rulebench check`: every diagnostic about a rule file, as text or JSON, and a summary of
//! what each rule does on the training rows.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};
use serde::Serialize;

use super::output::{print, visible_controls, warn};
use super::{CheckArgs, CheckFormat};
use crate::error::{Error, Result};
use crate::rules::check::{check_rules, CheckOptions, CheckReport, DataSummary};
use crate::rules::diagnostic::{LineIndex, Severity};
use crate::rules::Diagnostic;

pub fn run(args: CheckArgs) -> Result<()> {
    let dataset = args.dataset;
    let options = CheckOptions {
        rules: args.rules,
        data: dataset.data,
        target: dataset.target,
        seed: dataset.seed,
        split: dataset.split,
        load: dataset.csv.load_options(),
    };
    let report = check_rules(&options)?;
    for warning in &report.data_warnings {
        warn(warning);
    }
    let text = match args.format {
        CheckFormat::Text => visible_controls(&render_text(&report)).into_owned(),
        CheckFormat::Json => render_json(&report),
    };
    print(&text)?;

    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if errors > 0 || (args.strict && warnings > 0) {
        return Err(Error::rules(format!(
            "`{}` has {} and {}",
            report.path,
            count_words(errors, "error"),
            count_words(warnings, "warning")
        )));
    }
    Ok(())
}

fn render_text(report: &CheckReport) -> String {
    let mut out = String::new();
    let lines = LineIndex::new(&report.text);
    for diagnostic in &report.diagnostics {
        out.push_str(&diagnostic.render(&report.path, &lines));
        out.push_str("\n\n");
    }
    if let Some(data) = &report.data {
        out.push_str(&statistics_text(data));
        out.push('\n');
    }
    out.push_str(&format!(
        "{}: {}, {}\n",
        report.path,
        count_words(report.count(Severity::Error), "error"),
        count_words(report.count(Severity::Warning), "warning")
    ));
    out
}

fn statistics_text(data: &DataSummary) -> String {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec![
            "rule",
            "class",
            "fires",
            "decides",
            "correct when deciding",
            "accuracy when deciding",
        ]);
    for stats in &data.rules {
        let accuracy = match stats.correct {
            Some(correct) if stats.decides > 0 => {
                format!("{:.3}", correct as f64 / stats.decides as f64)
            }
            _ => "n/a".to_string(),
        };
        table.add_row(vec![
            stats.rule.clone(),
            stats.class.clone(),
            stats.fires.to_string(),
            stats.decides.to_string(),
            stats.correct.map_or("n/a".to_string(), |c| c.to_string()),
            accuracy,
        ]);
    }
    for column in 2..6 {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = format!(
        "Rules on the {} {} of `{}` (fires: the condition is true; decides: the rule gave the \
         row its class; correct when deciding: decided rows that have the rule's class; \
         accuracy when deciding: correct when deciding / decides)\n{table}\n",
        data.rows, data.rows_kind, data.file
    );
    if data.conflict_rows > 0 {
        out.push_str(&format!(
            "{} of the {} {} have a conflict (more than one rule fired) and get no class\n",
            data.conflict_rows, data.rows, data.rows_kind
        ));
    }
    out
}

fn count_words(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The JSON document of `check --format json`; the README lists its fields.
#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    rules: &'a str,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    data: Option<&'a DataSummary>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    span: JsonSpan,
}

#[derive(Serialize)]
struct JsonSpan {
    start: JsonPosition,
    end: JsonPosition,
}

/// A place in the rule file: 1-based line, 1-based column in characters, and the 0-based
/// byte offset.
#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
    offset: usize,
}

fn render_json(report: &CheckReport) -> String {
    let lines = LineIndex::new(&report.text);
    let position = |offset: usize| {
        let at = lines.position(offset);
        JsonPosition {
            line: at.line,
            column: at.column,
            offset: offset.min(report.text.len()),
        }
    };
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d: &Diagnostic| JsonDiagnostic {
            severity: d.severity.label(),
            code: d.code.as_str(),
            message: &d.message,
            help: d.help.as_deref(),
            span: JsonSpan {
                start: position(d.span.start),
                end: position(d.span.end),
            },
        })
        .collect();
    let document = JsonReport {
        schema_version: 2,
        rules: &report.path,
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
        diagnostics,
        data: report.data.as_ref(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the report serialises");
    text.push('\n');
    text
}
