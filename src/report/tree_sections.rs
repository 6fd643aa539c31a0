//! The report sections about the learned tree: the settings grid, the overfitting report,
//! the learning curve, feature importance and which rows were used for what. `train`
//! prints the same tables.

use comfy_table::Table;

use super::blocks::{Block, Chart};
use super::table::{align_numbers, fixed, new_table};
use crate::compare::learning_curve::{curve_verdict, LearningCurve};
use crate::compare::noise::NOISE_MULTIPLE;
use crate::compare::overfitting::{overfitting_sentences, DepthGap};
pub use crate::compare::phrases::signed;
use crate::compare::tree_report::RowUsage;
use crate::compare::Comparison;
use crate::tree::importance::ColumnImportance;
use crate::tree::search::LARGE_GAP;
use crate::tree::{Search, TreeParams};

/// Lists every tree section of a comparison, in reading order.
pub fn tree_blocks(c: &Comparison) -> Vec<Block> {
    let details = &c.tree.details;
    let mut blocks = search_blocks(&details.search);
    blocks.extend(overfitting_blocks(&details.search, &details.overfitting));
    blocks.extend(learning_curve_blocks(
        &c.run.learning_curve,
        c.split.validation,
    ));
    blocks.extend(importance_blocks(&details.importance));
    blocks.extend(row_use_blocks(&c.run.row_use));
    blocks
}

fn depth_text(depth: Option<usize>) -> String {
    depth.map_or("none".to_string(), |d| d.to_string())
}

/// One hyperparameter: its name in tables and its value in a setting.
type Column = (&'static str, fn(&TreeParams) -> String);

const HYPERPARAMETERS: [Column; 6] = [
    ("criterion", |p| p.criterion.name().to_string()),
    ("min weight leaf", |p| p.min_weight_leaf.to_string()),
    ("min weight split", |p| p.min_weight_split.to_string()),
    ("min impurity decrease", |p| {
        p.min_impurity_decrease.to_string()
    }),
    ("max depth", |p| depth_text(p.max_depth)),
    ("split search", |p| p.split_search.name().to_string()),
];

/// Describes a setting in words, such as `criterion gini, max depth 4, ...`.
pub fn describe_params(params: &TreeParams) -> String {
    HYPERPARAMETERS
        .iter()
        .map(|(name, value)| format!("{name} {}", value(params)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The grid table with the chosen row marked. Hyperparameters with one value in the grid are
/// named above the table instead of taking a column each.
pub fn search_blocks(search: &Search) -> Vec<Block> {
    let metric = search.metric.label();
    let varies: Vec<bool> = HYPERPARAMETERS
        .iter()
        .map(|(_, value)| {
            let first = value(&search.rows[0].params);
            search.rows.iter().any(|row| value(&row.params) != first)
        })
        .collect();
    let how = match search.cv_folds {
        None => format!("fitted on the training rows, scored on the validation rows by {metric}"),
        Some(k) => format!(
            "scored by {k}-fold cross-validation on the training and validation rows by {metric} \
             (mean and standard deviation over the held-out folds)"
        ),
    };
    let mut blocks = vec![
        Block::Heading {
            id: "tree-settings",
            title: format!(
                "Tree settings tried: {} settings {how}; * marks the chosen setting",
                search.rows.len()
            ),
        },
        Block::Chart(Chart::Tuning),
    ];
    let fixed_values: Vec<String> = HYPERPARAMETERS
        .iter()
        .zip(&varies)
        .filter(|(_, varies)| !**varies)
        .map(|((name, value), _)| format!("{name} {}", value(&search.rows[0].params)))
        .collect();
    if !fixed_values.is_empty() {
        blocks.push(Block::Text(format!(
            "Same in every setting: {}",
            fixed_values.join(", ")
        )));
    }

    let mut header: Vec<String> = vec![String::new()];
    header.extend(
        HYPERPARAMETERS
            .iter()
            .zip(&varies)
            .filter(|(_, v)| **v)
            .map(|((name, _), _)| name.to_string()),
    );
    header.push("leaves".into());
    header.push(format!("training {metric}"));
    match search.cv_folds {
        None => header.push(format!("validation {metric}")),
        Some(_) => {
            header.push(format!("held-out {metric}"));
            header.push("std".into());
        }
    }
    let mut table = new_table(header.iter().map(String::as_str).collect());
    for (index, row) in search.rows.iter().enumerate() {
        let mut cells = vec![if index == search.chosen { "*" } else { "" }.to_string()];
        cells.extend(
            HYPERPARAMETERS
                .iter()
                .zip(&varies)
                .filter(|(_, v)| **v)
                .map(|((_, value), _)| value(&row.params)),
        );
        cells.push(row.leaves.to_string());
        cells.push(fixed(row.train_score));
        cells.push(fixed(row.validation_score));
        if let Some(std) = row.validation_std {
            cells.push(fixed(std));
        }
        table.add_row(cells);
    }
    align_numbers(&mut table, 1);
    blocks.push(Block::Table(table));
    blocks
}

/// Training against validation scores per depth, with large gaps flagged. Where the gaps'
/// standard errors are known, a gap is flagged only when it is also beyond noise, and the
/// table shows the noise band.
pub fn overfitting_blocks(search: &Search, gaps: &[DepthGap]) -> Vec<Block> {
    let held_out = if search.cv_folds.is_some() {
        "held-out"
    } else {
        "validation"
    };
    let noise_known = !gaps.is_empty() && gaps.iter().all(|g| g.gap_standard_error.is_some());
    let rule = if noise_known {
        format!("a gap above {LARGE_GAP} and above twice its standard error is flagged")
    } else {
        format!("a gap above {LARGE_GAP} is flagged")
    };
    let mut blocks = vec![
        Block::Heading {
            id: "overfitting",
            title: format!(
                "Overfitting: training against {held_out} {} per depth, other settings as \
                 chosen; {rule}",
                search.metric.label()
            ),
        },
        Block::Table(gap_table(search, gaps, held_out, noise_known)),
    ];

    let sentences = overfitting_sentences(gaps, search);
    if !sentences.is_empty() {
        blocks.push(Block::Text(sentences.join(" ")));
    }
    blocks
}

/// Lays out one line per depth; the noise band gets a column when it is known.
fn gap_table(search: &Search, gaps: &[DepthGap], held_out: &str, noise_known: bool) -> Table {
    let metric = search.metric.label();
    let training_header = format!("training {metric}");
    let held_out_header = format!("{held_out} {metric}");
    let mut header = vec![
        "max depth",
        "leaves",
        &training_header,
        &held_out_header,
        "gap",
    ];
    if noise_known {
        header.push("2 × SE");
    }
    header.push("");

    let mut table = new_table(header);
    for gap in gaps {
        let mut cells = vec![
            depth_text(gap.max_depth),
            gap.leaves.to_string(),
            fixed(gap.train_score),
            fixed(gap.validation_score),
            signed(gap.gap),
        ];
        if let (true, Some(error)) = (noise_known, gap.gap_standard_error) {
            cells.push(fixed(NOISE_MULTIPLE * error));
        }
        cells.push(if gap.large_gap { "large gap" } else { "" }.to_string());
        table.add_row(cells);
    }
    align_numbers(&mut table, 0);
    table
}

/// The learning curve table and a sentence on its trend.
pub fn learning_curve_blocks(curve: &LearningCurve, validation_rows: usize) -> Vec<Block> {
    let metric = curve.metric.label();
    let mut blocks = vec![
        Block::Heading {
            id: "learning-curve",
            title: format!(
                "Learning curve: the chosen tree refitted on shares of the training rows, \
                 scored by {metric} on the {validation_rows} validation rows"
            ),
        },
        Block::Chart(Chart::LearningCurve),
    ];
    let tree_header = format!("tree {metric}");
    let rules_header = format!("rules {metric}");
    let mut table = new_table(vec![
        "share",
        "training rows",
        &tree_header,
        &rules_header,
        "tree - rules",
    ]);
    for point in &curve.points {
        table.add_row(vec![
            format!("{} %", point.percent),
            point.train_rows.to_string(),
            fixed(point.tree_score),
            fixed(point.rules_score),
            signed(point.tree_score - point.rules_score),
        ]);
    }
    align_numbers(&mut table, 0);
    blocks.push(Block::Table(table));
    if let Some(verdict) = curve_verdict(curve, validation_rows) {
        blocks.push(Block::Text(verdict));
    }
    blocks
}

/// Feature importance per column; columns the tree never splits on are named below.
pub fn importance_blocks(importance: &[ColumnImportance]) -> Vec<Block> {
    let mut blocks = vec![Block::Heading {
        id: "importance",
        title: "Feature importance: each column's share of the tree's impurity decrease on the \
                training rows"
            .to_string(),
    }];
    let mut table = new_table(vec!["column", "importance", "splits"]);
    for column in importance.iter().filter(|c| c.splits > 0) {
        table.add_row(vec![
            column.column.clone(),
            fixed(column.importance),
            column.splits.to_string(),
        ]);
    }
    align_numbers(&mut table, 1);
    blocks.push(Block::Table(table));
    let unused: Vec<String> = importance
        .iter()
        .filter(|c| c.splits == 0)
        .map(|c| format!("`{}`", c.column))
        .collect();
    if !unused.is_empty() {
        blocks.push(Block::Text(format!(
            "Not used by the tree: {}.",
            unused.join(", ")
        )));
    }
    blocks
}

/// Which rows were used for what.
pub fn row_use_blocks(parts: &[RowUsage]) -> Vec<Block> {
    let heading = Block::Heading {
        id: "row-use",
        title: "How the rows were used".to_string(),
    };
    let mut table: Table = new_table(vec!["rows", "count", "used for"]);
    for part in parts {
        // The JSON's short part name `train` reads better in full in a table.
        let name = match part.part.as_str() {
            "train" => "training",
            other => other,
        };
        table.add_row(vec![
            name.to_string(),
            part.rows.to_string(),
            part.uses.join("\n"),
        ]);
    }
    align_numbers(&mut table, 1);
    if let Some(column) = table.column_mut(2) {
        column.set_cell_alignment(comfy_table::CellAlignment::Left);
    }
    vec![heading, Block::Table(table)]
}
