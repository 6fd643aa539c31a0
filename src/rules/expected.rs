//! Plain-words names for grammar rules, used in syntax errors in place of pest's rule names.

use super::grammar::Rule;

/// Describes what the parser was looking for when it met `rule`.
pub fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI | Rule::file | Rule::statement => "a `target`, `default` or `rule` line",
        Rule::target_decl | Rule::kw_target => "`target`",
        Rule::default_decl | Rule::kw_default => "`default`",
        Rule::rule_decl | Rule::kw_rule => "`rule`",
        Rule::rule_name => "a rule name (letters, digits and `_`, starting with a letter)",
        Rule::class_name => "a class name (a word, a quoted string or a number)",
        Rule::condition | Rule::disjunction | Rule::conjunction | Rule::negation => {
            "a condition (such as `age < 10`)"
        }
        Rule::primary
        | Rule::predicate
        | Rule::missing_test
        | Rule::set_test
        | Rule::comparison => {
            "a test (such as `age < 10`, `sex in {\"male\"}` or `age is missing`)"
        }
        Rule::comparator => "a comparison operator (`<`, `<=`, `>`, `>=`, `==` or `!=`)",
        Rule::column | Rule::identifier | Rule::keyword => "a column name",
        Rule::operand => "a column name, a number or a quoted string",
        Rule::literal => "a number or a quoted string",
        Rule::number => "a number",
        Rule::string | Rule::string_body => "a quoted string",
        Rule::negated | Rule::kw_not => "`not`",
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_in => "`in`",
        Rule::kw_is => "`is`",
        Rule::kw_missing => "`missing`",
        Rule::colon => "`:` after the rule name",
        Rule::arrow => "`=>` followed by the class",
        Rule::open_paren => "`(`",
        Rule::close_paren => "`)`",
        Rule::open_brace => "`{`",
        Rule::close_brace => "`}`",
        Rule::comma => "`,`",
        Rule::WHITESPACE | Rule::COMMENT => "a space",
    }
}

/// Joins descriptions as "a, b or c", dropping repeats but keeping the first order.
pub fn join_alternatives(rules: &[Rule]) -> String {
    let mut phrases: Vec<&str> = Vec::new();
    for rule in rules {
        let phrase = describe(*rule);
        if !phrases.contains(&phrase) {
            phrases.push(phrase);
        }
    }
    match phrases.as_slice() {
        [] => "something else".to_string(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
