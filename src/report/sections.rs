//! The report's sections on the paired comparison, the evidence per rule, the rule matrix
//! and the disagreements, as blocks for every human-readable format.

use comfy_table::Table;

use super::blocks::{Block, Chart};
use super::table::{align_numbers, new_table, optional};
use crate::compare::analysis::{Paired, PairedComparison};
use crate::compare::bootstrap::Interval;
use crate::compare::disagreements::RowExplanation;
use crate::compare::rule_evidence::{NotFired, PairCounts, RuleStats};
use crate::compare::verdict::p_value_cell;
use crate::compare::Comparison;

/// Lists the sections that follow the scores, confusion matrices and tuning.
pub fn analysis_blocks(c: &Comparison) -> Vec<Block> {
    let mut blocks = paired_blocks(c);
    blocks.extend(evidence_blocks(c));
    blocks.extend(matrix_blocks(c));
    blocks.extend(disagreement_blocks(c));
    blocks
}

fn paired_blocks(c: &Comparison) -> Vec<Block> {
    let paired = &c.paired;
    let mut blocks = vec![
        Block::Heading {
            id: "paired",
            title: format!("Rules against tree on the same {} test rows", c.split.test),
        },
        Block::Caption("Who is right where".to_string()),
        Block::Table(agreement_table(&paired.rules_vs_tree)),
        Block::Table(tests_table(&[
            &paired.rules_vs_tree,
            &paired.hybrid_vs_tree,
        ])),
        Block::Chart(Chart::Differences),
        Block::Text(paired.rules_vs_tree.verdict.clone()),
        Block::Text(paired.baseline.verdict.clone()),
        Block::Text(hybrid_sentence(paired)),
    ];
    let abstained = c.models.rules.confusion.abstained();
    if abstained > 0 {
        blocks.push(Block::Text(format!(
            "The rules abstained on {abstained} test rows; an abstention is never right."
        )));
    }
    blocks.push(Block::Text(format!(
        "Intervals: {:.0} % percentile intervals from {} bootstrap resamples of the test rows \
         (seed {}). p: McNemar's exact test on the rows where exactly one model is right.",
        paired.bootstrap.confidence * 100.0,
        paired.bootstrap.resamples,
        paired.bootstrap.seed
    )));
    blocks
}

fn hybrid_sentence(paired: &Paired) -> String {
    let start = "The hybrid takes the rules' class where a rule decided the row and the tree's \
                 elsewhere.";
    match paired.hybrid_changes {
        0 => format!(
            "{start} On these test rows it gives the same answers as the rules: where no rule \
             decided, the tree predicts the default class too."
        ),
        changes => format!(
            "{start} It changes the rules' answer on {changes} test rows. {}",
            paired.hybrid_vs_tree.verdict
        ),
    }
}

fn agreement_table(pair: &PairedComparison) -> Table {
    let right = format!("{} right", pair.second);
    let wrong = format!("{} wrong", pair.second);
    let mut table = new_table(vec!["", &right, &wrong]);
    let t = &pair.table;
    table.add_row(vec![
        format!("{} right", pair.first),
        t.both_right.to_string(),
        t.only_first_right.to_string(),
    ]);
    table.add_row(vec![
        format!("{} wrong", pair.first),
        t.only_second_right.to_string(),
        t.both_wrong.to_string(),
    ]);
    align_numbers(&mut table, 1);
    table
}

fn tests_table(pairs: &[&PairedComparison]) -> Table {
    let mut table = new_table(vec![
        "comparison",
        "only first right",
        "only second right",
        "McNemar p",
        "accuracy diff. [95 % CI]",
        "macro F1 diff. [95 % CI]",
        "same answer",
        "kappa",
    ]);
    for pair in pairs {
        table.add_row(vec![
            format!("{} vs {}", pair.first, pair.second),
            pair.table.only_first_right.to_string(),
            pair.table.only_second_right.to_string(),
            p_value_cell(pair.mcnemar_p_value),
            interval_text(&pair.difference.accuracy),
            interval_text(&pair.difference.macro_f1),
            format!("{:.1} %", pair.predictions.rate * 100.0),
            optional(pair.predictions.kappa),
        ]);
    }
    align_numbers(&mut table, 1);
    table
}

/// Formats a difference with its interval, such as `+0.046 [0.000, 0.092]`.
pub(crate) fn interval_text(interval: &Interval) -> String {
    format!(
        "{:+.3} [{:.3}, {:.3}]",
        interval.estimate, interval.low, interval.high
    )
}

fn evidence_blocks(c: &Comparison) -> Vec<Block> {
    let evidence = &c.rule_evidence;
    let mut table = new_table(vec![
        "rule",
        "class",
        "rows",
        "fires",
        "coverage",
        "correct",
        "wrong",
        "precision",
        "wins",
        "overlaps",
        "conflicts",
        "tree agrees",
    ]);
    for rule in &evidence.rules {
        for (position, (part, stats)) in [("training", &rule.train), ("test", &rule.test)]
            .into_iter()
            .enumerate()
        {
            let (name, class) = if position == 0 {
                (rule.rule.clone(), rule.class.clone())
            } else {
                (String::new(), String::new())
            };
            table.add_row(evidence_row(name, class, part, stats));
        }
    }
    align_numbers(&mut table, 3);

    vec![
        Block::Heading {
            id: "rule-evidence",
            title: "Evidence per rule on the training and test rows".to_string(),
        },
        Block::Chart(Chart::RuleEvidence),
        Block::Table(table),
        Block::Text(
            "fires: rows where the rule's condition is true; precision: correct / fires (n/a: \
             the rule never fires); wins: rows the rule decided; overlaps: firing rows where \
             another rule fires too; conflicts: overlaps where another firing rule predicts a \
             different class; tree agrees: firing rows where the tree predicts the rule's class."
                .to_string(),
        ),
        Block::Text(not_fired_sentence(
            c,
            &evidence.not_fired_train,
            &evidence.not_fired_test,
        )),
    ]
}

fn evidence_row(name: String, class: String, part: &str, stats: &RuleStats) -> Vec<String> {
    vec![
        name,
        class,
        part.to_string(),
        stats.fires.to_string(),
        format!("{:.1} %", stats.coverage * 100.0),
        stats.correct.to_string(),
        stats.wrong.to_string(),
        optional(stats.precision),
        stats.wins.to_string(),
        stats.overlaps.to_string(),
        stats.conflicts.to_string(),
        match stats.tree_agreement {
            Some(rate) => format!("{} ({:.0} %)", stats.tree_agrees, rate * 100.0),
            None => "n/a".to_string(),
        },
    ]
}

fn not_fired_sentence(c: &Comparison, train: &NotFired, test: &NotFired) -> String {
    let start = format!(
        "No rule fired on {} training rows and {} test rows.",
        train.rows, test.rows
    );
    if test.rows == 0 {
        return start;
    }
    let percent = |count: u64| format!("{:.1} %", count as f64 / test.rows as f64 * 100.0);
    let rules_part = match &c.rule_coverage.default_class {
        Some(class) => format!(
            "the default `{class}` was right on {}",
            percent(test.default_correct)
        ),
        None => "the rules abstained".to_string(),
    };
    format!(
        "{start} On those test rows {rules_part}, and the tree was right on {}.",
        percent(test.tree_correct)
    )
}

fn matrix_blocks(c: &Comparison) -> Vec<Block> {
    let Some(matrix) = &c.rule_matrix else {
        return Vec::new();
    };
    let mut blocks = vec![
        Block::Heading {
            id: "rule-matrix",
            title: "Rows where two rules both fire (! marks pairs that predict different classes)"
                .to_string(),
        },
        Block::Text(
            "The diagonal holds the rows where each rule fires. A pair marked ! conflicts on \
             every row it shares."
                .to_string(),
        ),
    ];
    for (part, counts) in [
        ("training rows", &matrix.train),
        ("test rows", &matrix.test),
    ] {
        blocks.push(Block::Caption(format!("On the {part}")));
        blocks.push(Block::Table(pair_table(&matrix.rules, counts)));
    }
    blocks
}

fn pair_table(rules: &[String], counts: &PairCounts) -> Table {
    let mut header = vec![""];
    header.extend(rules.iter().map(String::as_str));
    let mut table = new_table(header);
    for (i, rule) in rules.iter().enumerate() {
        let mut row = vec![rule.clone()];
        for j in 0..rules.len() {
            let mark = if counts.conflicts[i][j] > 0 { " !" } else { "" };
            row.push(format!("{}{mark}", counts.overlaps[i][j]));
        }
        table.add_row(row);
    }
    align_numbers(&mut table, 1);
    table
}

fn disagreement_blocks(c: &Comparison) -> Vec<Block> {
    let d = &c.disagreements;
    let mut blocks = vec![
        Block::Heading {
            id: "disagreements",
            title: "Test rows where rules and tree disagree".to_string(),
        },
        Block::Text(format!(
            "Rules and tree give different answers on {} of {} test rows.",
            d.total, c.split.test
        )),
    ];
    if d.rows.is_empty() {
        if d.total > 0 {
            blocks.push(Block::Text(
                "Pass --disagreements N to list the first N of them.".to_string(),
            ));
        }
        return blocks;
    }
    blocks.push(Block::Table(explanation_table(&d.rows)));
    if (d.rows.len() as u64) < d.total {
        blocks.push(Block::Text(format!(
            "The first {} are shown, in data order.",
            d.rows.len()
        )));
    }
    blocks
}

/// Lays out one line per row: where it is, the true class, the class each side gave and the
/// tree's path.
pub(crate) fn explanation_table(rows: &[RowExplanation]) -> Table {
    let mut table = new_table(vec![
        "row",
        "line",
        "true class",
        "rules",
        "by rule",
        "tree",
        "tree's path",
    ]);
    for row in rows {
        table.add_row(vec![
            row.row.to_string(),
            row.line.to_string(),
            row.truth.clone().unwrap_or_else(|| "(missing)".to_string()),
            rules_class(row),
            deciding_rule(row),
            row.tree.class.clone(),
            row.tree.path.join(", "),
        ]);
    }
    for column in [0, 1] {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    table
}

/// Returns the rules' class, or `(abstained)`.
pub(crate) fn rules_class(row: &RowExplanation) -> String {
    row.rules
        .class
        .clone()
        .unwrap_or_else(|| "(abstained)".to_string())
}

/// Names the rule that decided the row, `default` when none fired, or `-` when the rules
/// abstained.
pub(crate) fn deciding_rule(row: &RowExplanation) -> String {
    match (&row.rules.rule, &row.rules.class) {
        (Some(rule), _) => rule.clone(),
        (None, Some(_)) => "default".to_string(),
        (None, None) => "-".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_text_signs_the_estimate() {
        let interval = Interval {
            estimate: 0.0458,
            low: -0.0012,
            high: 0.0916,
        };
        assert_eq!(interval_text(&interval), "+0.046 [-0.001, 0.092]");
    }
}
