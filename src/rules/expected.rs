//! Plain-words names for grammar rules, used in syntax errors in place of pest's rule names.

use super::grammar::Rule;

/// A phrase for what the parser was looking for, and its place in the list of alternatives
/// (statements first, the class last), so messages read the same whatever order pest
/// tried the rules in.
fn describe(rule: Rule) -> (u8, &'static str) {
    match rule {
        Rule::EOI
        | Rule::file
        | Rule::target_decl
        | Rule::kw_target
        | Rule::default_decl
        | Rule::kw_default
        | Rule::policy_decl
        | Rule::kw_policy
        | Rule::let_decl
        | Rule::kw_let
        | Rule::rule_decl
        | Rule::kw_rule
        | Rule::statement => (
            0,
            "a statement (`rule`, `let`, `target`, `default` or `policy`)",
        ),
        Rule::rule_name => (
            1,
            "a rule name (a letter or `_`, then letters, digits and `_`)",
        ),
        Rule::let_name => (
            1,
            "a constant name (a letter or `_`, then letters, digits and `_`)",
        ),
        Rule::policy_name => (1, "a hit policy (`first`, `priority`, `vote` or `unique`)"),
        Rule::metadata | Rule::open_bracket => (2, "`[` before the rule's settings"),
        Rule::metadata_entry | Rule::metadata_key => (2, "a setting (`priority` or `weight`)"),
        Rule::signed_number | Rule::number | Rule::digits => (3, "a number"),
        Rule::close_bracket => (4, "`]`"),
        Rule::colon => (4, "`:` after the rule name"),
        Rule::equals => (4, "`=` after the constant's name"),
        Rule::kw_not | Rule::negation => (5, "a condition (such as `age < 10`)"),
        Rule::expression
        | Rule::disjunction
        | Rule::conjunction
        | Rule::test
        | Rule::sum
        | Rule::product
        | Rule::unary
        | Rule::minus
        | Rule::string
        | Rule::call
        | Rule::function_name
        | Rule::name_ref
        | Rule::identifier
        | Rule::quoted_name
        | Rule::keyword
        | Rule::atom
        | Rule::open_paren => (6, "a value (a number, a quoted string, a name or `(`)"),
        Rule::comparison
        | Rule::comparator
        | Rule::between_test
        | Rule::kw_between
        | Rule::in_test
        | Rule::kw_in
        | Rule::negated
        | Rule::missing_test
        | Rule::kw_is
        | Rule::kw_missing
        | Rule::text_test
        | Rule::text_operator
        | Rule::kw_starts_with
        | Rule::kw_ends_with
        | Rule::kw_contains
        | Rule::add_operator
        | Rule::multiply_operator => (
            7,
            "an operator (such as `==`, `<`, `+`, `in`, `between` or `is missing`)",
        ),
        Rule::kw_and => (8, "`and`"),
        Rule::kw_or => (8, "`or`"),
        Rule::set_literal | Rule::set_item | Rule::open_brace => {
            (9, "a set (such as `{\"a\", \"b\"}`)")
        }
        Rule::close_brace => (10, "`}`"),
        Rule::close_paren => (10, "`)`"),
        Rule::comma => (10, "`,`"),
        Rule::arrow => (11, "`=>` followed by the class"),
        Rule::class_name => (12, "a class name (a word, a quoted string or a number)"),
        Rule::string_body | Rule::quoted_name_body => (13, "the closing quote"),
        Rule::bare_name | Rule::bare_number | Rule::WHITESPACE | Rule::COMMENT => (14, "a space"),
    }
}

/// What a set may hold, as syntax errors name it.
pub const SET_MEMBER: &str = "a set member (a number or a quoted string)";

/// Joins descriptions as "a, b or c", dropping repeats, in a fixed order.
pub fn join_alternatives(rules: &[Rule]) -> String {
    // Only a name can follow `target`.
    let names_only = [Rule::name_ref, Rule::identifier, Rule::quoted_name];
    if !rules.is_empty() && rules.iter().all(|r| names_only.contains(r)) {
        return "a column name (a word, or any text in backquotes)".to_string();
    }
    // Only a set member (a signed number or a string) or the end of the set can follow `{`
    // or a member's comma; named apart, because a set holds no names.
    if rules.contains(&Rule::signed_number) && rules.contains(&Rule::string) {
        return if rules.contains(&Rule::close_brace) {
            format!("{SET_MEMBER} or `}}`")
        } else {
            SET_MEMBER.to_string()
        };
    }
    // `missing` is only tried right after `is` (or `is not`).
    if rules.contains(&Rule::kw_missing) {
        return "`missing` or `not missing` after `is`".to_string();
    }
    let mut phrases: Vec<(u8, &str)> = rules.iter().map(|r| describe(*r)).collect();
    phrases.sort_unstable();
    phrases.dedup();
    // A condition includes a value; after a complete value, `(` (the only value-like
    // continuation) would make a function call, which is not worth naming.
    if phrases.iter().any(|(rank, _)| *rank == 5 || *rank == 7) {
        phrases.retain(|(rank, _)| *rank != 6);
    }
    let phrases: Vec<&str> = phrases.into_iter().map(|(_, phrase)| phrase).collect();
    match phrases.as_slice() {
        [] => "something else".to_string(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
