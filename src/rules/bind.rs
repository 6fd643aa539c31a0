//! Checks a parsed rule file against a table's columns and the target's classes, and
//! resolves names into a [`RuleSet`].

use std::collections::HashMap;

use super::compiled::{NumericExpr, RuleSet, Test};
use super::constants::{evaluate_constants, ConstantValue};
use super::diagnostic::{shorten, Code, Diagnostic};
use super::escapes::quote_string;
use super::syntax::{
    Comparator, Condition, Expr, Function, Name, RuleFile, SetExpr, SetMember, Span, TextOperator,
};
use crate::data::{ColumnData, Table};
use crate::suggest::closest;

/// Names of the columns that the rules use as text (compared with quoted text, tested with
/// `in` a set of strings, `starts_with` and the other text tests, or passed to `lower` and
/// `upper`); the loader reads them as categories even when their values look numeric.
pub fn text_columns(file: &RuleFile) -> Vec<&str> {
    let constants = evaluate_constants(file);
    let mut names = Vec::new();
    for rule in &file.rules {
        collect_text_columns(&rule.condition, &constants, &mut names);
    }
    names.sort_unstable();
    names.dedup();
    names
}

fn collect_text_columns<'a>(
    condition: &'a Condition,
    constants: &HashMap<String, ConstantValue>,
    names: &mut Vec<&'a str>,
) {
    match condition {
        Condition::Or(parts) | Condition::And(parts) => parts
            .iter()
            .for_each(|p| collect_text_columns(p, constants, names)),
        Condition::Not(inner) => collect_text_columns(inner, constants, names),
        Condition::Compare { left, right, .. } => {
            for (side, other) in [(left, right), (right, left)] {
                if is_text(other, constants) {
                    text_side_columns(side, names);
                }
            }
            text_function_columns(left, names);
            text_function_columns(right, names);
        }
        Condition::In { value, set, .. } => {
            let text_set = match set {
                SetExpr::Literal(literal) => literal
                    .members
                    .iter()
                    .any(|m| matches!(m, SetMember::Text { .. })),
                SetExpr::Constant(name) => {
                    matches!(constants.get(&name.text), Some(ConstantValue::TextSet(s)) if !s.is_empty())
                }
            };
            if text_set {
                text_side_columns(value, names);
            }
            text_function_columns(value, names);
        }
        Condition::Text { value, .. } => text_side_columns(value, names),
        Condition::Missing { value, .. } => text_function_columns(value, names),
        Condition::Between {
            value, low, high, ..
        } => {
            for side in [value, low, high] {
                text_function_columns(side, names);
            }
        }
    }
}

fn is_text(expr: &Expr, constants: &HashMap<String, ConstantValue>) -> bool {
    match expr {
        Expr::Text { .. } => true,
        Expr::Constant(name) => matches!(constants.get(&name.text), Some(ConstantValue::Text(_))),
        Expr::Call { function, .. } => matches!(function, Function::Lower | Function::Upper),
        _ => false,
    }
}

/// The column a text value reads: `x`, or `x` inside `lower(...)` and `upper(...)`.
fn text_side_columns<'a>(expr: &'a Expr, names: &mut Vec<&'a str>) {
    match expr {
        Expr::Column(name) => names.push(&name.text),
        Expr::Call {
            function: Function::Lower | Function::Upper,
            arguments,
            ..
        } => arguments.iter().for_each(|a| text_side_columns(a, names)),
        _ => {}
    }
}

/// Columns passed to `lower` or `upper` anywhere in `expr`.
fn text_function_columns<'a>(expr: &'a Expr, names: &mut Vec<&'a str>) {
    match expr {
        Expr::Call {
            function: Function::Lower | Function::Upper,
            ..
        } => text_side_columns(expr, names),
        Expr::Call { arguments, .. } => arguments
            .iter()
            .for_each(|a| text_function_columns(a, names)),
        Expr::Negate { operand, .. } => text_function_columns(operand, names),
        Expr::Binary { left, right, .. } => {
            text_function_columns(left, names);
            text_function_columns(right, names);
        }
        _ => {}
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
    let constants = evaluate_constants(file);
    let mut text_causes = HashMap::new();
    for rule in &file.rules {
        let mut names = Vec::new();
        collect_text_columns(&rule.condition, &constants, &mut names);
        for name in names {
            text_causes
                .entry(name.to_string())
                .or_insert_with(|| rule.name.text.clone());
        }
    }
    let mut binder = Binder {
        table,
        classes,
        target,
        constants: &constants,
        text_causes: &text_causes,
        diagnostics: Vec::new(),
    };
    let mut set = RuleSet {
        names: Vec::new(),
        tests: Vec::new(),
        classes: Vec::new(),
        default: None,
        class_names: classes.to_vec(),
        policy: file.hit_policy(),
        priorities: Vec::new(),
        weights: Vec::new(),
    };
    for rule in &file.rules {
        let test = binder.condition(&rule.condition);
        let class = binder.class(&rule.class);
        if let (Some(test), Some(class)) = (test, class) {
            set.names.push(rule.name.text.clone());
            set.tests.push(test);
            set.classes.push(class);
            set.priorities
                .push(rule.priority.as_ref().map_or(0, |p| p.value));
            set.weights
                .push(rule.weight.as_ref().map_or(1.0, |w| w.value));
        }
    }
    if let Some(default) = &file.default {
        set.default = binder.class(default);
    }
    if binder.diagnostics.is_empty() {
        Ok(set)
    } else {
        Err(binder.diagnostics)
    }
}

/// A value bound to the data: a number per row, or text.
enum Value {
    Number(NumericExpr),
    Text(TextValue),
}

/// Text per row: a text column seen through `lower` and `upper` (applied in order), or one
/// constant.
enum TextValue {
    Column {
        column: usize,
        name: String,
        functions: Vec<Function>,
    },
    Constant(String),
}

impl TextValue {
    /// The text of category `level` after the functions.
    fn transform(functions: &[Function], level: &str) -> String {
        functions
            .iter()
            .fold(level.to_string(), |text, f| f.apply_text(&text))
    }
}

struct Binder<'a> {
    table: &'a Table,
    classes: &'a [String],
    target: Option<&'a str>,
    constants: &'a HashMap<String, ConstantValue>,
    /// For each column some rule compares with text, the first such rule.
    text_causes: &'a HashMap<String, String>,
    diagnostics: Vec<Diagnostic>,
}

impl Binder<'_> {
    fn class(&mut self, name: &Name) -> Option<u32> {
        if let Some(index) = self.classes.iter().position(|c| *c == name.text) {
            return Some(index as u32);
        }
        let target = self.target.unwrap_or("the target column");
        let mut diagnostic = Diagnostic::error(
            Code::UnknownClass,
            format!(
                "class `{}` never occurs in `{target}`",
                shorten(&name.text, 60)
            ),
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
        self.diagnostics.push(diagnostic);
        None
    }

    fn column(&mut self, name: &Name) -> Option<usize> {
        if self.target == Some(name.text.as_str()) {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TargetInRule,
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
        let mut diagnostic = Diagnostic::error(
            Code::UnknownColumn,
            format!("the data has no column `{}`", shorten(&name.text, 60)),
            name.span,
        );
        let lowered = name.text.to_lowercase();
        // Sorted, so that a tie between two constants is broken the same way in every run.
        let mut constants: Vec<&str> = self.constants.keys().map(String::as_str).collect();
        constants.sort_unstable();
        let delimiter_hint = crate::data::labels::delimiter_hint(self.table);
        diagnostic = if lowered == "nan" {
            diagnostic.with_help(format!(
                "rule files have no `{}` value: to find rows without a value, write \
                 `COLUMN is missing`",
                name.text
            ))
        } else if ["inf", "infinity"].contains(&lowered.as_str()) {
            diagnostic.with_help(format!(
                "rule files have no `{}` value: compare with a large number such as 1e308",
                name.text
            ))
        } else if !delimiter_hint.is_empty() {
            let hint = delimiter_hint
                .trim_start()
                .replacen("The header", "the header", 1);
            diagnostic.with_help(hint)
        } else if let Some(near) = closest(&name.text, self.table.column_names()) {
            diagnostic.with_help(format!("did you mean `{near}`?"))
        } else if let Some(near) = closest(&name.text, constants.iter().copied()) {
            diagnostic.with_help(format!("did you mean the constant `{near}`?"))
        } else {
            diagnostic.with_help(format!(
                "the columns are {}",
                crate::data::labels::quoted_list(self.table.column_names())
            ))
        };
        self.diagnostics.push(diagnostic);
        None
    }

    fn condition(&mut self, condition: &Condition) -> Option<Test> {
        match condition {
            Condition::Or(parts) | Condition::And(parts) => {
                let tests: Vec<Option<Test>> = parts.iter().map(|p| self.condition(p)).collect();
                let tests: Vec<Test> = tests.into_iter().collect::<Option<_>>()?;
                Some(if matches!(condition, Condition::Or(_)) {
                    Test::Or(tests)
                } else {
                    Test::And(tests)
                })
            }
            Condition::Not(inner) => Some(Test::Not(Box::new(self.condition(inner)?))),
            Condition::Compare {
                left,
                op,
                right,
                span,
            } => self.comparison(left, *op, right, *span),
            Condition::Between {
                value,
                low,
                high,
                negated,
                ..
            } => {
                let bound: Vec<Option<NumericExpr>> = [value, low, high]
                    .into_iter()
                    .map(|e| {
                        let v = self.value(e)?;
                        self.need_number(v, e.span(), "`between`")
                    })
                    .collect();
                let [value, low, high]: [Option<NumericExpr>; 3] =
                    bound.try_into().expect("three sides");
                let test = Test::Between {
                    value: value?,
                    low: low?,
                    high: high?,
                };
                Some(negate_if(test, *negated))
            }
            Condition::In {
                value,
                set,
                negated,
                ..
            } => {
                let bound = self.value(value)?;
                let test = self.membership(bound, value.span(), set)?;
                Some(negate_if(test, *negated))
            }
            Condition::Missing { value, negated, .. } => {
                let test = match self.value(value)? {
                    Value::Number(expr) => Test::NumberMissing(expr),
                    Value::Text(TextValue::Column { column, .. }) => Test::CategoryMissing(column),
                    Value::Text(TextValue::Constant(_)) => {
                        unreachable!("the parser rejects tests that read no column")
                    }
                };
                Some(negate_if(test, *negated))
            }
            Condition::Text {
                value, op, pattern, ..
            } => self.text_test(value, *op, pattern),
        }
    }

    fn comparison(
        &mut self,
        left: &Expr,
        op: Comparator,
        right: &Expr,
        span: Span,
    ) -> Option<Test> {
        let left_value = self.value(left);
        let right_value = self.value(right);
        self.suggest_quotes(left, right_value.as_ref());
        self.suggest_quotes(right, left_value.as_ref());
        let (left_value, right_value) = (left_value?, right_value?);
        match (left_value, right_value) {
            (Value::Number(l), Value::Number(r)) => Some(Test::Compare {
                left: l,
                op,
                right: r,
            }),
            (Value::Text(l), Value::Text(r)) => {
                if op.is_ordering() {
                    let column = match (&l, &r) {
                        (TextValue::Column { name, .. }, _)
                        | (_, TextValue::Column { name, .. }) => name.clone(),
                        _ => unreachable!("the parser rejects tests that read no column"),
                    };
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::ColumnType,
                            format!(
                                "`{}` needs numbers, but column `{column}` holds text",
                                op.symbol()
                            ),
                            span,
                        )
                        .with_help("compare text with `==`, `!=`, `in {...}` or the text tests"),
                    );
                    return None;
                }
                Some(self.text_comparison(l, op == Comparator::Equal, r))
            }
            (Value::Text(text), Value::Number(_)) => {
                self.text_against_number(&text, right.span());
                None
            }
            (Value::Number(_), Value::Text(text)) => {
                self.text_against_number(&text, left.span());
                None
            }
        }
    }

    /// Changes the help of the unknown-column error on `expr` when its name is a value of
    /// the text column on the other side of the comparison, `other`: the rule most likely
    /// meant that text and left out the quotes, as in `employment == unemployed`.
    fn suggest_quotes(&mut self, expr: &Expr, other: Option<&Value>) {
        let Expr::Column(name) = expr else {
            return;
        };
        let Some(Value::Text(TextValue::Column {
            column,
            name: column_name,
            functions,
        })) = other
        else {
            return;
        };
        let is_value = self
            .levels(*column)
            .iter()
            .any(|level| TextValue::transform(functions, level) == name.text);
        if !is_value {
            return;
        }
        let unknown = self
            .diagnostics
            .iter_mut()
            .rev()
            .find(|d| d.code == Code::UnknownColumn && d.span == name.span);
        if let Some(diagnostic) = unknown {
            diagnostic.help = Some(format!(
                "`{}` is a value of column `{column_name}`: to compare with that text, write {}",
                name.text,
                quote_string(&name.text)
            ));
        }
    }

    /// Reports a comparison of text with a number; `number_span` points at the numeric side.
    fn text_against_number(&mut self, text: &TextValue, number_span: Span) {
        let diagnostic = match text {
            TextValue::Column { column, name, .. } => text_column_with_number(
                name,
                self.levels(*column),
                self.text_causes.get(name.as_str()),
                number_span,
            ),
            TextValue::Constant(_) => Diagnostic::error(
                Code::ColumnType,
                "this compares a column that holds numbers with text",
                number_span,
            )
            .with_help("remove the quotes to compare with a number"),
        };
        self.diagnostics.push(diagnostic);
    }

    fn text_comparison(&self, left: TextValue, equal: bool, right: TextValue) -> Test {
        match (left, right) {
            (
                TextValue::Column {
                    column, functions, ..
                },
                TextValue::Constant(text),
            )
            | (
                TextValue::Constant(text),
                TextValue::Column {
                    column, functions, ..
                },
            ) => {
                let members = self
                    .levels(column)
                    .iter()
                    .map(|level| (TextValue::transform(&functions, level) == text) == equal)
                    .collect();
                Test::Category { column, members }
            }
            (
                TextValue::Column {
                    column: left,
                    functions: left_functions,
                    ..
                },
                TextValue::Column {
                    column: right,
                    functions: right_functions,
                    ..
                },
            ) => {
                let mut keys: HashMap<String, u32> = HashMap::new();
                let mut key_of = |text: String| {
                    let next = keys.len() as u32;
                    *keys.entry(text).or_insert(next)
                };
                let left_keys = self
                    .levels(left)
                    .iter()
                    .map(|l| key_of(TextValue::transform(&left_functions, l)))
                    .collect();
                let right_keys = self
                    .levels(right)
                    .iter()
                    .map(|l| key_of(TextValue::transform(&right_functions, l)))
                    .collect();
                Test::CategoryColumns {
                    left,
                    right,
                    left_keys,
                    right_keys,
                    equal,
                }
            }
            (TextValue::Constant(_), TextValue::Constant(_)) => {
                unreachable!("the parser rejects tests that read no column")
            }
        }
    }

    fn membership(&mut self, value: Value, value_span: Span, set: &SetExpr) -> Option<Test> {
        let (numbers, texts, set_span) = match set {
            SetExpr::Literal(literal) => {
                let mut numbers = Vec::new();
                let mut texts = Vec::new();
                for member in &literal.members {
                    match member {
                        SetMember::Number(n) => numbers.push(n.value),
                        SetMember::Text { value, .. } => texts.push(value.clone()),
                    }
                }
                (numbers, texts, literal.span)
            }
            SetExpr::Constant(name) => match self.constants.get(&name.text) {
                Some(ConstantValue::NumberSet(numbers)) => (numbers.clone(), Vec::new(), name.span),
                Some(ConstantValue::TextSet(texts)) => (Vec::new(), texts.clone(), name.span),
                _ => unreachable!("the parser checks that `in` names a set constant"),
            },
        };
        match value {
            Value::Number(expr) if texts.is_empty() => Some(Test::NumberIn {
                value: expr,
                members: numbers,
            }),
            Value::Number(_) => {
                self.diagnostics
                    .push(numeric_column_with_text(value_span, set_span));
                None
            }
            Value::Text(TextValue::Column {
                column,
                name,
                functions,
            }) => {
                if !numbers.is_empty() {
                    let levels = self.levels(column);
                    self.diagnostics.push(text_column_with_number(
                        &name,
                        levels,
                        self.text_causes.get(name.as_str()),
                        set_span,
                    ));
                    return None;
                }
                let members = self
                    .levels(column)
                    .iter()
                    .map(|level| texts.contains(&TextValue::transform(&functions, level)))
                    .collect();
                Some(Test::Category { column, members })
            }
            Value::Text(TextValue::Constant(_)) => {
                unreachable!("the parser rejects tests that read no column")
            }
        }
    }

    fn text_test(&mut self, value: &Expr, op: TextOperator, pattern: &Expr) -> Option<Test> {
        let bound = self.value(value)?;
        let pattern = match self.value(pattern)? {
            Value::Text(TextValue::Constant(text)) => text,
            _ => unreachable!("the parser checks that the pattern is constant text"),
        };
        match bound {
            Value::Text(TextValue::Column {
                column, functions, ..
            }) => {
                let members = self
                    .levels(column)
                    .iter()
                    .map(|level| op.holds(&TextValue::transform(&functions, level), &pattern))
                    .collect();
                Some(Test::Category { column, members })
            }
            Value::Number(_) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::ColumnType,
                        format!("`{}` tests text, but this value is a number", op.keyword()),
                        value.span(),
                    )
                    .with_help("use the text tests on columns that hold text"),
                );
                None
            }
            Value::Text(TextValue::Constant(_)) => {
                unreachable!("the parser rejects tests that read no column")
            }
        }
    }

    /// Binds a value, reporting unknown columns and columns of the wrong type once each.
    fn value(&mut self, expr: &Expr) -> Option<Value> {
        match expr {
            Expr::Number(number) => Some(Value::Number(NumericExpr::Constant(number.value))),
            Expr::Text { value, .. } => Some(Value::Text(TextValue::Constant(value.clone()))),
            Expr::Column(name) => {
                let index = self.column(name)?;
                Some(match &self.table.columns[index].data {
                    ColumnData::Numeric(_) => Value::Number(NumericExpr::Column(index)),
                    ColumnData::Categorical { .. } => Value::Text(TextValue::Column {
                        column: index,
                        name: name.text.clone(),
                        functions: Vec::new(),
                    }),
                })
            }
            Expr::Constant(name) => match self.constants.get(&name.text) {
                Some(ConstantValue::Number(value)) => {
                    Some(Value::Number(NumericExpr::Constant(*value)))
                }
                Some(ConstantValue::Text(text)) => {
                    Some(Value::Text(TextValue::Constant(text.clone())))
                }
                _ => unreachable!("the parser resolves constants to values"),
            },
            Expr::Negate { operand, .. } => {
                let operand = self.value(operand)?;
                let operand = self.need_number(operand, expr.span(), "`-`")?;
                Some(Value::Number(fold(NumericExpr::Negate(Box::new(operand)))))
            }
            Expr::Binary {
                op, left, right, ..
            } => {
                let left_value = self.value(left);
                let right_value = self.value(right);
                let operator = format!("`{}`", op.symbol());
                let left = self.need_number(left_value?, left.span(), &operator);
                let right = self.need_number(right_value?, right.span(), &operator);
                Some(Value::Number(fold(NumericExpr::Binary {
                    op: *op,
                    left: Box::new(left?),
                    right: Box::new(right?),
                })))
            }
            Expr::Call {
                function,
                arguments,
                ..
            } => self.call(*function, arguments),
        }
    }

    fn call(&mut self, function: Function, arguments: &[Expr]) -> Option<Value> {
        let bound: Vec<Option<Value>> = arguments.iter().map(|a| self.value(a)).collect();
        let bound: Vec<Value> = bound.into_iter().collect::<Option<_>>()?;
        if matches!(function, Function::Lower | Function::Upper) {
            let argument = bound.into_iter().next().expect("one argument");
            return match argument {
                Value::Text(TextValue::Constant(text)) => {
                    Some(Value::Text(TextValue::Constant(function.apply_text(&text))))
                }
                Value::Text(TextValue::Column {
                    column,
                    name,
                    mut functions,
                }) => {
                    functions.push(function);
                    Some(Value::Text(TextValue::Column {
                        column,
                        name,
                        functions,
                    }))
                }
                Value::Number(_) => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::ColumnType,
                            format!(
                                "`{}` needs text, but its argument is a number",
                                function.name()
                            ),
                            arguments[0].span(),
                        )
                        .with_help("use `lower` and `upper` on columns that hold text"),
                    );
                    None
                }
            };
        }
        let operator = format!("`{}`", function.name());
        let numbers: Vec<Option<NumericExpr>> = bound
            .into_iter()
            .zip(arguments)
            .map(|(value, argument)| self.need_number(value, argument.span(), &operator))
            .collect();
        let numbers: Vec<NumericExpr> = numbers.into_iter().collect::<Option<_>>()?;
        Some(Value::Number(fold(NumericExpr::Call {
            function,
            arguments: numbers,
        })))
    }

    fn need_number(&mut self, value: Value, span: Span, operator: &str) -> Option<NumericExpr> {
        match value {
            Value::Number(expr) => Some(expr),
            Value::Text(TextValue::Column { name, .. }) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::ColumnType,
                        format!("{operator} needs numbers, but column `{name}` holds text"),
                        span,
                    )
                    .with_help("compare text with `==`, `!=`, `in {...}` or the text tests"),
                );
                None
            }
            Value::Text(TextValue::Constant(_)) => {
                unreachable!("the parser rejects arithmetic on quoted text")
            }
        }
    }

    fn levels(&self, column: usize) -> &[String] {
        match &self.table.columns[column].data {
            ColumnData::Categorical { levels, .. } => levels,
            ColumnData::Numeric(_) => &[],
        }
    }
}

/// Folds an expression whose inputs are all constants into one constant.
fn fold(expr: NumericExpr) -> NumericExpr {
    let constant = |e: &NumericExpr| match e {
        NumericExpr::Constant(value) => Some(*value),
        _ => None,
    };
    let folded = match &expr {
        NumericExpr::Negate(operand) => constant(operand).map(|v| -v),
        NumericExpr::Binary { op, left, right } => match (constant(left), constant(right)) {
            (Some(l), Some(r)) => Some(op.apply(l, r)),
            _ => None,
        },
        NumericExpr::Call {
            function,
            arguments,
        } => {
            let values: Option<Vec<f64>> = arguments.iter().map(constant).collect();
            values.map(|values| super::constants::apply_function(*function, &values))
        }
        _ => None,
    };
    folded.map_or(expr, NumericExpr::Constant)
}

fn negate_if(test: Test, negated: bool) -> Test {
    if negated {
        Test::Not(Box::new(test))
    } else {
        test
    }
}

/// Builds the error for a number compared with a text column. `cause` is the first rule that
/// compares the column with text, because that rule made the loader read it as text.
fn text_column_with_number(
    column: &str,
    levels: &[String],
    cause: Option<&String>,
    span: Span,
) -> Diagnostic {
    let example = levels.first().map_or("text", String::as_str);
    let help = match cause {
        Some(rule) => format!(
            "rule `{rule}` compares `{column}` with quoted text, so the column is read as text \
             for every rule; if it holds numbers, compare it with numbers there (no quotes)"
        ),
        None => format!(
            "quote the value to compare with text, as in \"{example}\"; if the column holds \
             numbers, check that it is not named by --categorical"
        ),
    };
    Diagnostic::error(
        Code::ColumnType,
        format!("column `{column}` holds text, not numbers"),
        span,
    )
    .with_help(help)
}

fn numeric_column_with_text(value_span: Span, set_span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::ColumnType,
        "this tests a number against a set of text",
        value_span.to(set_span),
    )
    .with_help("remove the quotes to list numbers")
}
