//! Syntax trees without source positions, for comparing trees parsed from different texts.

use crate::rules::syntax::{
    Condition, Expr, LetValue, RuleFile, SetExpr, SetLiteral, SetMember, Span,
};

/// Copies `file` with every span zeroed and no statement list, for comparing trees parsed
/// from different texts.
pub fn without_spans(file: &RuleFile) -> RuleFile {
    let mut copy = file.clone();
    copy.statements.clear();
    let zero = Span::default();
    for name in copy.target.iter_mut().chain(copy.default.iter_mut()) {
        name.span = zero;
    }
    if let Some(policy) = &mut copy.policy {
        policy.span = zero;
    }
    for constant in &mut copy.lets {
        constant.name.span = zero;
        match &mut constant.value {
            LetValue::Value(expr) => clear_expr(expr),
            LetValue::Set(set) => clear_set(set),
        }
    }
    for rule in &mut copy.rules {
        rule.name.span = zero;
        rule.class.span = zero;
        if let Some(priority) = &mut rule.priority {
            priority.span = zero;
        }
        if let Some(weight) = &mut rule.weight {
            weight.span = zero;
        }
        clear_condition(&mut rule.condition);
    }
    copy
}

fn clear_condition(condition: &mut Condition) {
    match condition {
        Condition::Or(parts) | Condition::And(parts) => parts.iter_mut().for_each(clear_condition),
        Condition::Not(inner) => clear_condition(inner),
        Condition::Compare {
            left, right, span, ..
        } => {
            *span = Span::default();
            clear_expr(left);
            clear_expr(right);
        }
        Condition::Between {
            value,
            low,
            high,
            span,
            ..
        } => {
            *span = Span::default();
            for e in [value, low, high] {
                clear_expr(e);
            }
        }
        Condition::In {
            value, set, span, ..
        } => {
            *span = Span::default();
            clear_expr(value);
            match set {
                SetExpr::Literal(literal) => clear_set(literal),
                SetExpr::Constant(name) => name.span = Span::default(),
            }
        }
        Condition::Missing { value, span, .. } => {
            *span = Span::default();
            clear_expr(value);
        }
        Condition::Text {
            value,
            pattern,
            span,
            ..
        } => {
            *span = Span::default();
            clear_expr(value);
            clear_expr(pattern);
        }
    }
}

fn clear_expr(expr: &mut Expr) {
    match expr {
        Expr::Number(number) => number.span = Span::default(),
        Expr::Text { span, .. } => *span = Span::default(),
        Expr::Column(name) | Expr::Constant(name) => name.span = Span::default(),
        Expr::Negate { operand, span } => {
            *span = Span::default();
            clear_expr(operand);
        }
        Expr::Binary {
            left, right, span, ..
        } => {
            *span = Span::default();
            clear_expr(left);
            clear_expr(right);
        }
        Expr::Call {
            arguments, span, ..
        } => {
            *span = Span::default();
            arguments.iter_mut().for_each(clear_expr);
        }
    }
}

fn clear_set(set: &mut SetLiteral) {
    set.span = Span::default();
    for member in &mut set.members {
        match member {
            SetMember::Number(number) => number.span = Span::default(),
            SetMember::Text { span, .. } => *span = Span::default(),
        }
    }
}
