//! `rulebench explain`: one row, with the rules' class and the tree's path side by side.

use super::output::print;
use super::{ExplainArgs, ExplainFormat};
use crate::compare::{run_comparison, CompareOptions, ReportOptions};
use crate::error::Result;
use crate::report::explain::{render_explanation_json, render_explanation_text};

pub fn run(args: ExplainArgs) -> Result<()> {
    // A row number beyond `usize` cannot be in the data; the range check reports it.
    let row = usize::try_from(args.row).unwrap_or(usize::MAX);
    let tree = args.tree.options()?;
    let options = CompareOptions {
        data: vec![args.data],
        rules: args.rules,
        target: args.target,
        seed: args.seed,
        split: args.split,
        tree,
        load: args.input.load_options(),
        report: ReportOptions {
            explain_rows: vec![row],
            // The resamples would only be thrown away.
            bootstrap_resamples: 0,
            ..ReportOptions::default()
        },
    };
    let comparison = run_comparison(&options)?;
    for warning in &comparison.warnings {
        eprintln!("warning: {warning}");
    }
    let explanation = &comparison.explained[0];
    let text = match args.format {
        ExplainFormat::Table => render_explanation_text(&comparison, explanation),
        ExplainFormat::Json => render_explanation_json(&comparison, explanation),
    };
    print(&text)
}
