//! Checks a parsed rule file against a table's columns and the target's classes, and
//! resolves names into a [`RuleSet`].

use super::compiled::{NumericOperand, RuleSet, Test};
use super::diagnostic::Diagnostic;
use super::syntax::{Comparator, Condition, Literal, Name, Operand, RuleFile};
use crate::data::{ColumnData, Table};
use crate::suggest::closest;

/// Names of the columns that the rules compare with quoted text; the loader reads them as
/// categories even when their values look numeric.
pub fn text_columns(file: &RuleFile) -> Vec<&str> {
    let mut names = Vec::new();
    for rule in &file.rules {
        collect_text_columns(&rule.condition, &mut names);
    }
    names.sort_unstable();
    names.dedup();
    names
}

fn collect_text_columns<'a>(condition: &'a Condition, names: &mut Vec<&'a str>) {
    match condition {
        Condition::Or(parts) | Condition::And(parts) => {
            parts.iter().for_each(|p| collect_text_columns(p, names))
        }
        Condition::Not(inner) => collect_text_columns(inner, names),
        Condition::Compare { left, right, .. } => {
            let has_text = |o: &Operand| matches!(o, Operand::Literal(Literal::Text { .. }));
            for (side, other) in [(left, right), (right, left)] {
                if let (Operand::Column(name), true) = (side, has_text(other)) {
                    names.push(&name.text);
                }
            }
        }
        Condition::InSet { column, values, .. } => {
            if values.iter().any(|v| matches!(v, Literal::Text { .. })) {
                names.push(&column.text);
            }
        }
        Condition::IsMissing { .. } => {}
    }
}

/// Binds every rule to `table`. `classes` are the class names rules may predict; `target`
/// is the label column, which a condition must not read.
pub fn bind_rules(
    file: &RuleFile,
    table: &Table,
    classes: &[String],
    target: Option<&str>,
) -> Result<RuleSet, Vec<Diagnostic>> {
    let binder = Binder {
        table,
        classes,
        target,
    };
    let mut diagnostics = Vec::new();
    let mut set = RuleSet {
        names: Vec::new(),
        tests: Vec::new(),
        classes: Vec::new(),
        default: None,
        class_names: classes.to_vec(),
    };
    for rule in &file.rules {
        let test = binder.bind_condition(&rule.condition, &mut diagnostics);
        let class = binder.bind_class(&rule.class, &mut diagnostics);
        if let (Some(test), Some(class)) = (test, class) {
            set.names.push(rule.name.text.clone());
            set.tests.push(test);
            set.classes.push(class);
        }
    }
    if let Some(default) = &file.default {
        set.default = binder.bind_class(default, &mut diagnostics);
    }
    if diagnostics.is_empty() {
        Ok(set)
    } else {
        Err(diagnostics)
    }
}

struct Binder<'a> {
    table: &'a Table,
    classes: &'a [String],
    target: Option<&'a str>,
}

impl Binder<'_> {
    fn bind_class(&self, name: &Name, diagnostics: &mut Vec<Diagnostic>) -> Option<u32> {
        if let Some(index) = self.classes.iter().position(|c| *c == name.text) {
            return Some(index as u32);
        }
        let target = self.target.unwrap_or("the target column");
        let mut diagnostic = Diagnostic::error(
            format!("class `{}` never occurs in `{target}`", name.text),
            name.span,
        );
        let names = self.classes.iter().map(String::as_str);
        diagnostic = match closest(&name.text, names) {
            Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
            None => diagnostic.with_help(format!(
                "the classes are {}",
                crate::data::labels::quoted_list(self.classes.iter().map(String::as_str))
            )),
        };
        diagnostics.push(diagnostic);
        None
    }

    fn bind_column(&self, name: &Name, diagnostics: &mut Vec<Diagnostic>) -> Option<usize> {
        if self.target == Some(name.text.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    format!(
                        "`{}` is the target column, so a rule cannot test it",
                        name.text
                    ),
                    name.span,
                )
                .with_help("a rule must predict the class from the other columns"),
            );
            return None;
        }
        if let Some(index) = self.table.column_index(&name.text) {
            return Some(index);
        }
        let mut diagnostic =
            Diagnostic::error(format!("the data has no column `{}`", name.text), name.span);
        diagnostic = match closest(&name.text, self.table.column_names()) {
            Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
            None => diagnostic.with_help(format!(
                "the columns are {}",
                crate::data::labels::quoted_list(self.table.column_names())
            )),
        };
        diagnostics.push(diagnostic);
        None
    }

    fn bind_condition(
        &self,
        condition: &Condition,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Test> {
        match condition {
            Condition::Or(parts) | Condition::And(parts) => {
                let tests: Vec<Option<Test>> = parts
                    .iter()
                    .map(|p| self.bind_condition(p, diagnostics))
                    .collect();
                let tests: Option<Vec<Test>> = tests.into_iter().collect();
                let tests = tests?;
                Some(if matches!(condition, Condition::Or(_)) {
                    Test::Or(tests)
                } else {
                    Test::And(tests)
                })
            }
            Condition::Not(inner) => Some(Test::Not(Box::new(
                self.bind_condition(inner, diagnostics)?,
            ))),
            Condition::IsMissing {
                column, negated, ..
            } => Some(Test::IsMissing {
                column: self.bind_column(column, diagnostics)?,
                negated: *negated,
            }),
            Condition::InSet {
                column,
                values,
                negated,
                ..
            } => self.bind_set(column, values, *negated, diagnostics),
            Condition::Compare {
                left,
                op,
                right,
                span,
            } => self.bind_comparison(left, *op, right, *span, diagnostics),
        }
    }

    fn bind_set(
        &self,
        column: &Name,
        values: &[Literal],
        negated: bool,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Test> {
        let index = self.bind_column(column, diagnostics)?;
        match &self.table.columns[index].data {
            ColumnData::Categorical { levels, .. } => {
                let mut members = vec![false; levels.len()];
                for value in values {
                    match value {
                        Literal::Text { value, .. } => {
                            if let Some(code) = levels.iter().position(|l| l == value) {
                                members[code] = true;
                            }
                        }
                        Literal::Number { span, .. } => {
                            diagnostics.push(text_column_with_number(&column.text, levels, *span));
                            return None;
                        }
                    }
                }
                Some(Test::CategoryIn {
                    column: index,
                    members,
                    negated,
                })
            }
            ColumnData::Numeric(_) => {
                let mut numbers = Vec::with_capacity(values.len());
                for value in values {
                    match value {
                        Literal::Number { value, .. } => numbers.push(*value),
                        Literal::Text { span, .. } => {
                            diagnostics.push(numeric_column_with_text(&column.text, *span));
                            return None;
                        }
                    }
                }
                Some(Test::NumericIn {
                    column: index,
                    values: numbers,
                    negated,
                })
            }
        }
    }

    fn bind_comparison(
        &self,
        left: &Operand,
        op: Comparator,
        right: &Operand,
        span: super::syntax::Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Test> {
        // Put a column on the left where there is one, so `10 > age` reads as `age < 10`.
        let (left, op, right) = match (left, right) {
            (Operand::Literal(_), Operand::Column(_)) => (right, op.mirrored(), left),
            _ => (left, op, right),
        };
        let Operand::Column(left_name) = left else {
            diagnostics.push(
                Diagnostic::error(
                    "this comparison has no column: both sides are fixed values",
                    span,
                )
                .with_help("compare a column with a value, as in `age < 10`"),
            );
            return None;
        };
        let left_index = self.bind_column(left_name, diagnostics);
        let right_index = match right {
            Operand::Column(name) => Some(self.bind_column(name, diagnostics)?),
            Operand::Literal(_) => None,
        };
        let left_index = left_index?;
        let left_data = &self.table.columns[left_index].data;

        match (left_data, right, right_index) {
            (ColumnData::Numeric(_), Operand::Literal(Literal::Number { value, .. }), _) => {
                Some(Test::Numeric {
                    left: NumericOperand::Column(left_index),
                    op,
                    right: NumericOperand::Constant(*value),
                })
            }
            (ColumnData::Numeric(_), Operand::Column(_), Some(right_index)) => {
                match &self.table.columns[right_index].data {
                    ColumnData::Numeric(_) => Some(Test::Numeric {
                        left: NumericOperand::Column(left_index),
                        op,
                        right: NumericOperand::Column(right_index),
                    }),
                    ColumnData::Categorical { .. } => {
                        diagnostics.push(mixed_columns(left_name, right.span()));
                        None
                    }
                }
            }
            (ColumnData::Categorical { .. }, _, _) if op.is_ordering() => {
                diagnostics.push(
                    Diagnostic::error(
                        format!(
                            "`{}` needs numbers, but column `{}` holds text",
                            op.symbol(),
                            left_name.text
                        ),
                        span,
                    )
                    .with_help("compare text with `==`, `!=` or `in {...}`"),
                );
                None
            }
            (ColumnData::Categorical { levels, .. }, Operand::Literal(literal), _) => match literal
            {
                Literal::Text { value, .. } => Some(Test::CategoryEquals {
                    column: left_index,
                    code: levels.iter().position(|l| l == value).map(|c| c as u32),
                    negated: op == Comparator::NotEqual,
                }),
                Literal::Number { span, .. } => {
                    diagnostics.push(text_column_with_number(&left_name.text, levels, *span));
                    None
                }
            },
            (ColumnData::Categorical { levels, .. }, Operand::Column(_), Some(right_index)) => {
                match &self.table.columns[right_index].data {
                    ColumnData::Categorical {
                        levels: right_levels,
                        ..
                    } => Some(Test::CategoryColumns {
                        left: left_index,
                        right: right_index,
                        right_code_of: levels
                            .iter()
                            .map(|l| right_levels.iter().position(|r| r == l).map(|c| c as u32))
                            .collect(),
                        negated: op == Comparator::NotEqual,
                    }),
                    ColumnData::Numeric(_) => {
                        diagnostics.push(mixed_columns(left_name, right.span()));
                        None
                    }
                }
            }
            (ColumnData::Numeric(_), Operand::Literal(Literal::Text { span, .. }), _) => {
                // Unreachable through the loader, which reads such columns as text, but a
                // caller may bind rules to a table it built itself.
                diagnostics.push(numeric_column_with_text(&left_name.text, *span));
                None
            }
            (_, Operand::Column(_), None) => unreachable!("a column operand is always bound"),
        }
    }
}

fn text_column_with_number(
    column: &str,
    levels: &[String],
    span: super::syntax::Span,
) -> Diagnostic {
    let example = levels.first().map_or("text", String::as_str);
    Diagnostic::error(format!("column `{column}` holds text, not numbers"), span).with_help(
        format!(
        "quote the value to compare with text, as in \"{example}\"; if the column holds numbers, \
         check that no rule compares it with quoted text, which makes rulebench read it as text"
    ),
    )
}

fn numeric_column_with_text(column: &str, span: super::syntax::Span) -> Diagnostic {
    Diagnostic::error(format!("column `{column}` holds numbers, not text"), span)
        .with_help("remove the quotes to compare with a number")
}

fn mixed_columns(left: &Name, span: super::syntax::Span) -> Diagnostic {
    Diagnostic::error(
        format!(
            "this compares column `{}` with a column of the other type",
            left.text
        ),
        span,
    )
    .with_help("compare numbers with numbers and text with text")
}
