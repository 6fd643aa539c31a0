//! The values of `let` constants, computed once from the syntax tree.

use std::collections::HashMap;

use super::syntax::{Expr, Function, LetValue, RuleFile, SetMember, Signature};

/// The value of one constant.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstantValue {
    /// A number; NaN when the computation has no value (such as a division by zero).
    Number(f64),
    Text(String),
    NumberSet(Vec<f64>),
    TextSet(Vec<String>),
}

/// Computes every constant of `file` in file order. The parser has checked that a constant
/// uses only constants defined above it and no column.
pub fn evaluate_constants(file: &RuleFile) -> HashMap<String, ConstantValue> {
    let mut values = HashMap::new();
    for constant in &file.lets {
        let value = match &constant.value {
            LetValue::Set(set) => {
                let numbers: Vec<f64> = set
                    .members
                    .iter()
                    .filter_map(|m| match m {
                        SetMember::Number(n) => Some(n.value),
                        SetMember::Text { .. } => None,
                    })
                    .collect();
                if numbers.len() == set.members.len() {
                    ConstantValue::NumberSet(numbers)
                } else {
                    ConstantValue::TextSet(
                        set.members
                            .iter()
                            .filter_map(|m| match m {
                                SetMember::Text { value, .. } => Some(value.clone()),
                                SetMember::Number(_) => None,
                            })
                            .collect(),
                    )
                }
            }
            LetValue::Value(expr) => constant_value(expr, &values),
        };
        values.insert(constant.name.text.clone(), value);
    }
    values
}

/// The value of a constant expression; `values` holds the constants defined so far.
pub fn constant_value(expr: &Expr, values: &HashMap<String, ConstantValue>) -> ConstantValue {
    let number = |e: &Expr| match constant_value(e, values) {
        ConstantValue::Number(value) => value,
        _ => f64::NAN,
    };
    match expr {
        Expr::Number(literal) => ConstantValue::Number(literal.value),
        Expr::Text { value, .. } => ConstantValue::Text(value.clone()),
        Expr::Constant(name) => values
            .get(&name.text)
            .cloned()
            .unwrap_or(ConstantValue::Number(f64::NAN)),
        Expr::Column(_) => ConstantValue::Number(f64::NAN),
        Expr::Negate { operand, .. } => ConstantValue::Number(-number(operand)),
        Expr::Binary {
            op, left, right, ..
        } => ConstantValue::Number(op.apply(number(left), number(right))),
        Expr::Call {
            function,
            arguments,
            ..
        } => {
            if function.signature() == Signature::TextToText {
                match arguments.first().map(|a| constant_value(a, values)) {
                    Some(ConstantValue::Text(text)) => {
                        ConstantValue::Text(function.apply_text(&text))
                    }
                    _ => ConstantValue::Text(String::new()),
                }
            } else {
                let numbers: Vec<f64> = arguments.iter().map(number).collect();
                ConstantValue::Number(apply_function(*function, &numbers))
            }
        }
    }
}

/// Applies a numeric function to its arguments: `min` and `max` fold over all of them,
/// the others take the first.
pub fn apply_function(function: Function, arguments: &[f64]) -> f64 {
    match function.signature() {
        Signature::Numbers => arguments
            .iter()
            .copied()
            .reduce(|a, b| function.combine(a, b))
            .unwrap_or(f64::NAN),
        _ => arguments.first().map_or(f64::NAN, |x| {
            if x.is_nan() {
                f64::NAN
            } else {
                function.apply(*x)
            }
        }),
    }
}
