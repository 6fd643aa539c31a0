//! `rulebench explain`: one row, with the rules' class and the tree's path side by side.

use super::output::{print, visible_controls, warn};
use super::{ExplainArgs, ExplainFormat};
use crate::compare::disagreements::ColumnValue;
use crate::compare::{run_comparison, CompareOptions, ReportOptions};
use crate::error::Result;
use crate::report::explain::{render_explanation_json, render_explanation_text};

pub fn run(args: ExplainArgs) -> Result<()> {
    let tree = args.tree.options()?;
    let dataset = args.dataset;
    let options = CompareOptions {
        data: dataset.data,
        rules: args.rules,
        target: dataset.target,
        seed: dataset.seed,
        split: dataset.split,
        tree,
        load: dataset.csv.load_options(),
        report: ReportOptions {
            explain_rows: vec![args.row],
            // The resamples would only be thrown away.
            bootstrap_resamples: 0,
            ..ReportOptions::default()
        },
    };
    let comparison = run_comparison(&options)?;
    for warning in &comparison.warnings {
        warn(warning);
    }
    let explanation = &comparison.explained[0];
    let text = match args.format {
        ExplainFormat::Table => {
            let text = render_explanation_text(&comparison, explanation);
            let text = with_values(&text, explanation.values.as_deref().unwrap_or_default());
            visible_controls(&text).into_owned()
        }
        ExplainFormat::Json => render_explanation_json(&comparison, explanation),
    };
    print(&text)
}

/// Puts the row's values under the first line of the explanation `text`, one column per
/// line, in the layout of the lines below them.
fn with_values(text: &str, values: &[ColumnValue]) -> String {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let shown = |value: &ColumnValue| value.value.clone().unwrap_or("(missing)".into());
    let width = values
        .iter()
        .map(|v| v.column.chars().count())
        .max()
        .unwrap_or(0);
    let value_width = values
        .iter()
        .map(|v| shown(v).chars().count())
        .max()
        .unwrap_or(0);
    let mut out = format!("{first}\n");
    for (index, value) in values.iter().enumerate() {
        let label = if index == 0 { "values" } else { "" };
        let readers = match (value.rules, value.tree) {
            (true, true) => "rules and tree",
            (true, false) => "rules",
            _ => "tree",
        };
        out.push_str(&format!(
            "{label:<12} {:<width$}  {:<value_width$}  read by {readers}\n",
            value.column,
            shown(value)
        ));
    }
    out.push_str(rest);
    out
}
