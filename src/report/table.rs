//! The comparison as terminal tables.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use super::blocks::{render_text, report_blocks};
use crate::compare::metrics::Scores;
use crate::compare::Comparison;

/// Renders every section of the comparison, separated by blank lines. The sections and their
/// order are listed once, in [`report_blocks`], for every human-readable format.
pub fn render_tables(comparison: &Comparison) -> String {
    render_text(&report_blocks(comparison))
}

/// Creates a table that fits itself to the terminal's width and colours its header when
/// standard output is a terminal. Written to a pipe or a file, it is plain and unwrapped.
pub(crate) fn new_table(header: Vec<&str>) -> Table {
    let mut table = Table::new();
    // A non-empty NO_COLOR turns colour off, as the convention at no-color.org asks.
    let colour = std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    let header: Vec<Cell> = header
        .into_iter()
        .map(|name| {
            if colour {
                Cell::new(name)
                    .fg(Color::Cyan)
                    .add_attribute(Attribute::Bold)
            } else {
                Cell::new(name)
            }
        })
        .collect();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    table
}

pub(crate) fn model_rows(c: &Comparison) -> [(String, &Scores); 4] {
    [
        ("rules".to_string(), &c.models.rules),
        (format!("tree (depth {})", c.tree.depth), &c.models.tree),
        (
            format!("baseline (always `{}`)", c.baseline_class),
            &c.models.baseline,
        ),
        ("hybrid (rules, else tree)".to_string(), &c.models.hybrid),
    ]
}

pub(crate) fn summary_table(c: &Comparison) -> Table {
    let mut table = new_table(vec![
        "model",
        "accuracy",
        "balanced accuracy",
        "macro F1",
        "kappa",
    ]);
    for (name, scores) in model_rows(c) {
        table.add_row(vec![
            name,
            fixed(scores.accuracy),
            fixed(scores.balanced_accuracy),
            fixed(scores.macro_f1),
            optional(scores.kappa),
        ]);
    }
    align_numbers(&mut table, 1);
    table
}

pub(crate) fn coverage_sentence(c: &Comparison) -> String {
    let coverage = &c.rule_coverage;
    let rest = match &coverage.default_class {
        Some(class) => format!("the other {} got the default `{class}`", coverage.not_fired),
        None => format!("the rules abstained on the other {}", coverage.not_fired),
    };
    let conflicts = if coverage.conflicts > 0 {
        format!(
            " Under `policy unique`, {} of the rows where a rule fired had several rules \
             firing: they are conflicts and get no class.",
            coverage.conflicts
        )
    } else {
        String::new()
    };
    format!(
        "A rule fired on {} of {} test rows ({:.1} %); {rest}.{conflicts}",
        coverage.fired,
        c.split.test,
        coverage.share * 100.0
    )
}

pub(crate) fn per_class_table(c: &Comparison) -> Table {
    let mut table = new_table(vec![
        "class",
        "model",
        "precision",
        "recall",
        "F1",
        "support",
    ]);
    for (index, class) in c.classes.iter().enumerate() {
        for (position, (name, scores)) in model_rows(c).into_iter().enumerate() {
            let s = &scores.per_class[index];
            table.add_row(vec![
                if position == 0 {
                    class.clone()
                } else {
                    String::new()
                },
                name.split(' ').next().unwrap_or_default().to_string(),
                optional(s.precision),
                optional(s.recall),
                optional(s.f1),
                s.support.to_string(),
            ]);
        }
    }
    align_numbers(&mut table, 2);
    table
}

pub(crate) fn confusion_table(classes: &[String], scores: &Scores) -> Table {
    let abstained = scores.confusion.abstained() > 0;
    let mut header: Vec<&str> = vec!["true \\ predicted"];
    header.extend(classes.iter().map(String::as_str));
    if abstained {
        header.push("(no class)");
    }
    let mut table = new_table(header);
    for (class, row) in classes.iter().zip(&scores.confusion.counts) {
        let mut cells = vec![class.clone()];
        let shown = if abstained { row.len() } else { row.len() - 1 };
        cells.extend(row[..shown].iter().map(u64::to_string));
        table.add_row(cells);
    }
    align_numbers(&mut table, 1);
    table
}

pub(crate) fn align_numbers(table: &mut Table, first: usize) {
    let n = table.column_count();
    for index in first..n {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
}

pub(crate) fn fixed(value: f64) -> String {
    format!("{value:.3}")
}

pub(crate) fn optional(value: Option<f64>) -> String {
    value.map_or("n/a".to_string(), fixed)
}
