//! One explained row, as text or as a JSON document.

use serde::Serialize;

use super::json::SCHEMA_VERSION;
use super::sections::rules_class;
use crate::compare::disagreements::RowExplanation;
use crate::compare::Comparison;

/// Names the line the row is on, and with several data files the file too. Rows are numbered
/// across the files in the order they were given.
fn line_in_file(c: &Comparison, row: &RowExplanation) -> String {
    let files = &c.run.data_files;
    if files.len() < 2 {
        return format!("line {}", row.line);
    }
    let mut before = 0;
    for file in files {
        if row.row <= before + file.rows {
            return format!("line {} of `{}`", row.line, file.path);
        }
        before += file.rows;
    }
    format!("line {}", row.line)
}

/// Renders the explanation of one row as a few labelled lines.
pub fn render_explanation_text(c: &Comparison, row: &RowExplanation) -> String {
    let mut out = format!(
        "row {} of `{}` ({}) is {}\n",
        row.row,
        c.data,
        line_in_file(c, row),
        row.part.describe()
    );
    let truth = row.truth.as_deref().unwrap_or("(missing)");
    out.push_str(&format!("true class   {truth}\n"));

    let rules = match (&row.rules.rule, &row.rules.class) {
        (Some(rule), _) => format!("{}, by rule `{rule}`", rules_class(row)),
        (None, Some(class)) if row.rules.fired.is_empty() => {
            format!("{class}, the default: no rule fired")
        }
        (None, Some(class)) => format!("{class}, under the hit policy"),
        (None, None) => "(abstained): no rule decided and there is no default".to_string(),
    };
    out.push_str(&format!("rules        {rules}\n"));
    if !row.rules.fired.is_empty() {
        let fired: Vec<String> = row.rules.fired.iter().map(|r| format!("`{r}`")).collect();
        out.push_str(&format!("rules firing {}\n", fired.join(", ")));
    }

    if row.tree.path.is_empty() {
        out.push_str(&format!(
            "tree         {}: the tree is a single leaf\n",
            row.tree.class
        ));
    } else {
        out.push_str(&format!("tree         {}, by the path\n", row.tree.class));
        for step in &row.tree.path {
            out.push_str(&format!("               {step}\n"));
        }
    }
    let verdict = match (&row.truth, row.rules.class == Some(row.tree.class.clone())) {
        (_, true) => "rules and tree agree".to_string(),
        (Some(truth), false) if row.rules.class.as_ref() == Some(truth) => {
            "rules and tree disagree; the rules are right".to_string()
        }
        (Some(truth), false) if &row.tree.class == truth => {
            "rules and tree disagree; the tree is right".to_string()
        }
        (Some(_), false) => "rules and tree disagree; both are wrong".to_string(),
        (None, false) => "rules and tree disagree".to_string(),
    };
    out.push_str(&format!("outcome      {verdict}\n"));
    out
}

#[derive(Serialize)]
struct ExplanationDocument<'a> {
    schema_version: u32,
    data: &'a str,
    rules: &'a str,
    target: &'a str,
    seed: u64,
    explanation: &'a RowExplanation,
}

/// Renders the explanation of one row as pretty-printed JSON with a trailing newline.
pub fn render_explanation_json(c: &Comparison, row: &RowExplanation) -> String {
    let document = ExplanationDocument {
        schema_version: SCHEMA_VERSION,
        data: &c.data,
        rules: &c.rules,
        target: &c.target,
        seed: c.seed,
        explanation: row,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the explanation serialises");
    text.push('\n');
    text
}
