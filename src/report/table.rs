//! The comparison as terminal tables.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use crate::compare::metrics::Scores;
use crate::compare::Comparison;

/// Renders every section of the comparison, separated by blank lines.
pub fn render_tables(comparison: &Comparison) -> String {
    let c = comparison;
    let mut out = String::new();
    out.push_str(&format!(
        "rulebench: rules `{}` against a decision tree on `{}`\n",
        c.rules, c.data
    ));
    out.push_str(&format!(
        "target `{}`, seed {}, stratified split: {} training, {} validation, {} test rows\n",
        c.target, c.seed, c.split.train, c.split.validation, c.split.test
    ));
    out.push_str(&format!("\nScores on the {} test rows\n", c.split.test));
    out.push_str(&summary_table(c).to_string());

    out.push_str(&format!("\n\n{}\n", coverage_sentence(c)));

    out.push_str("\nPer-class scores on the test rows (n/a: the class was never predicted)\n");
    out.push_str(&per_class_table(c).to_string());

    out.push_str(
        "\n\nConfusion matrices on the test rows (rows: true class, columns: predicted class)\n",
    );
    for (name, scores) in model_rows(c) {
        out.push_str(&format!("{name}\n"));
        out.push_str(&confusion_table(&c.classes, scores).to_string());
        out.push('\n');
    }

    out.push_str(&super::tree_sections::render_tree_sections(c));
    out
}

pub(super) fn new_table(header: Vec<&str>) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    table
}

fn model_rows(c: &Comparison) -> [(String, &Scores); 3] {
    [
        ("rules".to_string(), &c.models.rules),
        (format!("tree (depth {})", c.tree.depth), &c.models.tree),
        (
            format!("baseline (always `{}`)", c.baseline_class),
            &c.models.baseline,
        ),
    ]
}

fn summary_table(c: &Comparison) -> Table {
    let mut table = new_table(vec!["model", "accuracy", "balanced accuracy", "macro F1"]);
    for (name, scores) in model_rows(c) {
        table.add_row(vec![
            name,
            fixed(scores.accuracy),
            fixed(scores.balanced_accuracy),
            fixed(scores.macro_f1),
        ]);
    }
    align_numbers(&mut table, 1);
    table
}

fn coverage_sentence(c: &Comparison) -> String {
    let coverage = &c.rule_coverage;
    let rest = match &coverage.default_class {
        Some(class) => format!("the other {} got the default `{class}`", coverage.not_fired),
        None => format!("the rules abstained on the other {}", coverage.not_fired),
    };
    format!(
        "A rule fired on {} of {} test rows ({:.1} %); {rest}.",
        coverage.fired,
        c.split.test,
        coverage.share * 100.0
    )
}

fn per_class_table(c: &Comparison) -> Table {
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

fn confusion_table(classes: &[String], scores: &Scores) -> Table {
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

pub(super) fn align_numbers(table: &mut Table, first: usize) {
    let n = table.column_count();
    for index in first..n {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
}

pub(super) fn fixed(value: f64) -> String {
    format!("{value:.3}")
}

fn optional(value: Option<f64>) -> String {
    value.map_or("n/a".to_string(), fixed)
}
