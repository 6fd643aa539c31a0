//! The pest parser generated from `grammar/rules.pest`.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rules.pest"]
pub struct RuleGrammar;
