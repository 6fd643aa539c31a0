//! Writes a tree as a rule file: one rule per leaf, whose condition is true exactly for the
//! rows the tree sends to that leaf, under the rule language's three-valued logic.
//!
//! The tree reads imputed values while the rules read the data, so a step that the tree
//! takes for a missing value gets an explicit missing branch: with a training median of
//! 28, the step `age <= 30.5` becomes `(age <= 30.5 or age is missing)`. A category the
//! model never saw sets none of the one-hot features, so it takes every `!=` branch, as
//! `sex != "female"` is true for it.

use super::encode::{Encoder, Feature};
use super::model::{DecisionTree, Node, Step};
use crate::error::Result;
use crate::rules::escapes::{quote_name, quote_string};
use crate::rules::format::is_bare_name;

/// Writes a column name for the rule language: bare when it reads back as a name, else in
/// backquotes, as in `` `petal length (cm)` ``.
pub fn column_ref(name: &str) -> String {
    if is_bare_name(name) {
        name.to_string()
    } else {
        quote_name(name)
    }
}

/// Writes a class for the rule language: bare when it reads back as a name, else quoted.
pub fn class_literal(name: &str) -> String {
    if is_bare_name(name) {
        name.to_string()
    } else {
        quote(name)
    }
}

/// Quotes text as a rule-file string literal.
pub fn quote(text: &str) -> String {
    quote_string(text)
}

/// Writes a threshold so that the rule parser reads back the same `f64`: Rust prints the
/// shortest decimal that round-trips, without an exponent.
pub fn number(value: f64) -> String {
    format!("{value}")
}

/// Names the rule of the `n`-th leaf (1-based, in node order).
pub fn leaf_rule_name(n: usize) -> String {
    format!("leaf_{n}")
}

/// The demands of a path on one column.
enum Constraint {
    Numeric {
        /// `value > lower`.
        lower: Option<f64>,
        /// `value <= upper`.
        upper: Option<f64>,
    },
    Categorical {
        equals: Option<String>,
        excluded: Vec<String>,
        /// Only missing values take this path.
        only_missing: bool,
    },
}

/// A column's constraint on a path, and whether a missing value follows the path.
struct ColumnPath {
    column: String,
    constraint: Constraint,
    missing_follows: bool,
}

impl ColumnPath {
    fn render(&self) -> String {
        let column = column_ref(&self.column);
        let mut parts = Vec::new();
        match &self.constraint {
            Constraint::Numeric { lower, upper } => {
                if let Some(lower) = lower {
                    parts.push(format!("{column} > {}", number(*lower)));
                }
                if let Some(upper) = upper {
                    parts.push(format!("{column} <= {}", number(*upper)));
                }
            }
            Constraint::Categorical { only_missing, .. } if *only_missing => {
                return format!("{column} is missing");
            }
            Constraint::Categorical {
                equals, excluded, ..
            } => match (equals, excluded.as_slice()) {
                (Some(category), _) => parts.push(format!("{column} == {}", quote(category))),
                (None, []) => {}
                (None, [one]) => parts.push(format!("{column} != {}", quote(one))),
                (None, many) => {
                    let list: Vec<String> = many.iter().map(|c| quote(c)).collect();
                    parts.push(format!("{column} not in {{{}}}", list.join(", ")));
                }
            },
        }
        let values = parts.join(" and ");
        match (self.missing_follows, parts.len()) {
            (false, 0) => format!("{column} is not missing"),
            (false, _) => values,
            (true, 0) => format!("{column} is missing"),
            (true, 1) => format!("({values} or {column} is missing)"),
            (true, _) => format!("(({values}) or {column} is missing)"),
        }
    }
}

/// Returns the value a feature takes for a missing cell.
fn missing_value(feature: &Feature) -> f64 {
    match feature {
        Feature::Numeric { fill, .. } => *fill,
        Feature::Category {
            includes_missing, ..
        } => f64::from(u8::from(*includes_missing)),
        Feature::Missing { .. } => 1.0,
    }
}

/// Adds one step of a path to the per-column constraints.
fn add_step(paths: &mut Vec<ColumnPath>, feature: &Feature, threshold: f64, went_left: bool) {
    let column = feature.column();
    let index = match paths.iter().position(|p| p.column == column) {
        Some(index) => index,
        None => {
            let constraint = match feature {
                Feature::Numeric { .. } => Constraint::Numeric {
                    lower: None,
                    upper: None,
                },
                _ => Constraint::Categorical {
                    equals: None,
                    excluded: Vec::new(),
                    only_missing: false,
                },
            };
            paths.push(ColumnPath {
                column: column.to_string(),
                constraint,
                missing_follows: true,
            });
            paths.len() - 1
        }
    };
    let path = &mut paths[index];
    path.missing_follows &= (missing_value(feature) <= threshold) == went_left;
    match (&mut path.constraint, feature) {
        (Constraint::Numeric { lower, upper }, Feature::Numeric { .. }) => {
            if went_left {
                *upper = Some(upper.map_or(threshold, |u| u.min(threshold)));
            } else {
                *lower = Some(lower.map_or(threshold, |l| l.max(threshold)));
            }
        }
        (
            Constraint::Categorical {
                equals, excluded, ..
            },
            Feature::Category { category, .. },
        ) => {
            // One-hot features are 0 or 1 and thresholds lie between, so right means "is".
            if went_left {
                excluded.push(category.clone());
            } else {
                *equals = Some(category.clone());
            }
        }
        (Constraint::Categorical { only_missing, .. }, Feature::Missing { .. }) => {
            if !went_left {
                *only_missing = true;
            }
        }
        _ => unreachable!("a column is numeric or categorical in every feature"),
    }
}

/// Builds the condition of every leaf, in node order: `(leaf node, condition)`. A tree with a
/// single leaf has one empty condition.
pub fn leaf_conditions(tree: &DecisionTree, encoder: &Encoder) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    // Each entry: node and the steps that lead to it.
    let mut stack: Vec<(usize, Vec<Step>)> = vec![(0, Vec::new())];
    while let Some((node, steps)) = stack.pop() {
        match &tree.nodes[node] {
            Node::Leaf { .. } => {
                let mut paths = Vec::new();
                for step in &steps {
                    let feature = &encoder.features[step.feature];
                    add_step(&mut paths, feature, step.threshold, step.went_left);
                }
                let parts: Vec<String> = paths.iter().map(ColumnPath::render).collect();
                out.push((node, parts.join(" and ")));
            }
            Node::Split {
                feature,
                threshold,
                left,
                right,
            } => {
                let step = |went_left| Step {
                    feature: *feature,
                    threshold: *threshold,
                    went_left,
                };
                let mut right_steps = steps.clone();
                right_steps.push(step(false));
                let mut left_steps = steps;
                left_steps.push(step(true));
                stack.push((*right, right_steps));
                stack.push((*left, left_steps));
            }
        }
    }
    out.sort_by_key(|(node, _)| *node);
    out
}

/// The lines of the comment that heads the rule file, about the model it comes from.
pub struct ExportHeader<'a> {
    pub lines: &'a [String],
}

/// Writes the rule file: a comment header, the target, and one rule per leaf.
pub fn export_rules(
    tree: &DecisionTree,
    encoder: &Encoder,
    classes: &[String],
    target: &str,
    header: &ExportHeader,
) -> Result<String> {
    let mut text = String::new();
    for line in header.lines {
        if line.is_empty() {
            text.push_str("#\n");
        } else {
            text.push_str(&format!("# {}\n", comment_text(line)));
        }
    }
    text.push_str(&format!("\ntarget {}\n", column_ref(target)));
    let leaves = leaf_conditions(tree, encoder);
    for (n, (node, condition)) in leaves.iter().enumerate() {
        let Node::Leaf { class, counts } = &tree.nodes[*node] else {
            unreachable!("leaf_conditions lists leaves");
        };
        let class_name = class_literal(&classes[*class as usize]);
        let counts = describe_counts(counts, classes);
        text.push_str(&format!("\n# {}\n", comment_text(&counts)));
        if condition.is_empty() {
            // A tree without splits: its one leaf covers every row.
            text.push_str(&format!("default {class_name}\n"));
        } else {
            let name = leaf_rule_name(n + 1);
            text.push_str(&format!("rule {name}: {condition} => {class_name}\n"));
        }
    }
    Ok(text)
}

/// Escapes text for a `#` comment, which runs to the end of its line. A line break or other
/// control character in a class or file name is shown as `\n`, `\r`, `\t` or `\u{..}`, so it
/// can neither end the comment nor hide in it.
pub fn comment_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// `40 training rows: setosa 40, versicolor 0, virginica 0`.
fn describe_counts(counts: &[u32], classes: &[String]) -> String {
    // Summed as u64: a hand-edited model may hold counts whose u32 sum wraps.
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    let parts: Vec<String> = classes
        .iter()
        .zip(counts)
        .map(|(class, count)| format!("{class} {count}"))
        .collect();
    format!("{total} training rows: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(feature: usize, threshold: f64, left: usize, right: usize) -> Node {
        Node::Split {
            feature,
            threshold,
            left,
            right,
        }
    }

    fn leaf(class: u32) -> Node {
        Node::Leaf {
            class,
            counts: vec![1, 1],
        }
    }

    #[test]
    fn names_are_quoted_when_needed() {
        assert_eq!(column_ref("age"), "age");
        assert_eq!(column_ref("petal length (cm)"), "`petal length (cm)`");
        assert_eq!(column_ref("missing"), "`missing`");
        assert_eq!(class_literal(">50K"), "\">50K\"");
        assert_eq!(class_literal("yes"), "yes");
        assert_eq!(quote("a \"b\" \\"), "\"a \\\"b\\\" \\\\\"");
        assert_eq!(column_ref("a`b"), "`a\\`b`");
        assert_eq!(quote("two\nlines"), "\"two\\nlines\"");
    }

    #[test]
    fn comment_text_escapes_control_characters() {
        assert_eq!(comment_text("plain `name` (1)"), "plain `name` (1)");
        assert_eq!(comment_text("a\nrule x: y => z"), "a\\nrule x: y => z");
        assert_eq!(comment_text("\r\t\u{0}\u{1b}[2J"), "\\r\\t\\u{0}\\u{1b}[2J");
        assert_eq!(comment_text("\u{85}\u{2028}é"), "\\u{85}\\u{2028}é");
    }

    #[test]
    fn leaf_counts_are_summed_without_wrapping() {
        let classes = ["a".to_string(), "b".to_string()];
        assert_eq!(
            describe_counts(&[u32::MAX, u32::MAX], &classes),
            "8589934590 training rows: a 4294967295, b 4294967295"
        );
    }

    #[test]
    fn missing_branch_follows_the_fill() {
        let encoder = Encoder {
            features: vec![
                Feature::Numeric {
                    column: "age".into(),
                    fill: 28.0,
                    scaling: None,
                },
                Feature::Category {
                    column: "sex".into(),
                    category: "female".into(),
                    includes_missing: false,
                },
            ],
        };
        let tree = DecisionTree {
            nodes: vec![
                split(0, 30.5, 1, 4),
                split(0, 10.0, 2, 3),
                leaf(0),
                leaf(1),
                split(1, 0.5, 5, 6),
                leaf(0),
                leaf(1),
            ],
            n_classes: 2,
        };
        let conditions: Vec<String> = leaf_conditions(&tree, &encoder)
            .into_iter()
            .map(|(_, c)| c)
            .collect();
        assert_eq!(
            conditions,
            vec![
                "age <= 10",
                "((age > 10 and age <= 30.5) or age is missing)",
                "age > 30.5 and (sex != \"female\" or sex is missing)",
                "age > 30.5 and sex == \"female\"",
            ]
        );
    }
}
