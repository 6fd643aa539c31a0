//! `rulebench predict`: one prediction per input row, with the rule or the tree path that
//! made it.

use std::path::Path;

use super::output::{print, warn, write_file_atomically};
use super::PredictArgs;
use crate::data::{load_table, LoadOptions, Table};
use crate::error::{Error, Result};
use crate::model_file::read_model;
use crate::rules::{evaluate, read_rule_file, text_columns};

pub fn run(args: PredictArgs) -> Result<()> {
    let load = args.input.load_options();
    let (bytes, input) = match (&args.rules, &args.model) {
        (Some(rules), None) => (predict_with_rules(rules, &args.data, &load)?, rules),
        (None, Some(model)) => (predict_with_model(model, &args.data, &load)?, model),
        _ => unreachable!("clap requires exactly one of --rules and --model"),
    };
    match &args.out {
        Some(path) => write_file_atomically(path, &bytes, &[&args.data, input]),
        None => print(&String::from_utf8_lossy(&bytes)),
    }
}

/// CSV with `row`, `prediction` and `rule` (the rule that fired, or `default`).
fn predict_with_rules(rules: &Path, data: &Path, load: &LoadOptions) -> Result<Vec<u8>> {
    let source = read_rule_file(rules)?;
    let target = source.file.target.as_ref().map(|n| n.text.as_str());
    let table = load_with_warnings(data, load, &text_columns(&source.file))?;

    // The classes are whatever the rules name; there may be no label column to check them.
    let mut classes: Vec<String> = Vec::new();
    for name in source
        .file
        .rules
        .iter()
        .map(|r| &r.class)
        .chain(source.file.default.as_ref())
    {
        if !classes.contains(&name.text) {
            classes.push(name.text.clone());
        }
    }
    let rule_set = source.bind(&table, &classes, target)?;
    let verdicts = evaluate(&rule_set, &table);

    let mut writer = CsvOutput::new(&["row", "prediction", "rule"])?;
    for row in 0..table.n_rows() {
        let prediction = verdicts
            .class(row)
            .map_or("", |c| classes[c as usize].as_str());
        let conflict;
        let rule = match verdicts.firing.winner(row) {
            // Under `policy unique`, a row where several rules fire gets no class.
            Some(_) if verdicts.conflicts(row) > 0 => {
                let names: Vec<&str> = (0..rule_set.len())
                    .filter(|&r| verdicts.firing.rule_fires(r, row))
                    .map(|r| rule_set.names[r].as_str())
                    .collect();
                conflict = format!("conflict: {}", names.join(" "));
                conflict.as_str()
            }
            Some(rule) => rule_set.names[rule as usize].as_str(),
            None if rule_set.default.is_some() => "default",
            None => "",
        };
        writer.write(&[&(row + 1).to_string(), prediction, rule])?;
    }
    writer.finish()
}

/// CSV with `row`, `prediction`, `leaf` (the `leaf_N` rule of the exported rule file) and
/// `reason` (the conditions on the row's path through the tree).
fn predict_with_model(model_path: &Path, data: &Path, load: &LoadOptions) -> Result<Vec<u8>> {
    let model = read_model(model_path)?;
    let table = load_with_warnings(data, load, &model.text_columns())?;
    let data_name = data.display().to_string();
    model.check_table(&table, &data_name, &model_path.display().to_string())?;
    let applied = model.apply(&table, &data_name);
    for warning in &applied.warnings {
        warn(warning);
    }

    // A tree without splits exports as a `default` line alone, so its leaf is `default`.
    let leaf_name = |leaf: usize| match model.tree.nodes.len() {
        1 => "default".to_string(),
        _ => crate::tree::export::leaf_rule_name(leaf),
    };
    let mut writer = CsvOutput::new(&["row", "prediction", "leaf", "reason"])?;
    for row in 0..table.n_rows() {
        writer.write(&[
            &(row + 1).to_string(),
            &model.classes[applied.classes[row] as usize],
            &leaf_name(applied.leaves[row]),
            &applied.reasons[row],
        ])?;
    }
    writer.finish()
}

/// Loads `data`, printing the loader's warnings.
fn load_with_warnings(data: &Path, load: &LoadOptions, text_columns: &[&str]) -> Result<Table> {
    let loaded = load_table(data, load, text_columns)?;
    for warning in &loaded.warnings {
        warn(warning);
    }
    Ok(loaded.table)
}

/// A CSV writer into memory whose errors carry a message.
struct CsvOutput(csv::Writer<Vec<u8>>);

fn csv_error(error: impl std::fmt::Display) -> Error {
    Error::data(format!("cannot format the predictions: {error}"))
}

impl CsvOutput {
    fn new(header: &[&str]) -> Result<Self> {
        let mut output = CsvOutput(csv::Writer::from_writer(Vec::new()));
        output.write(header)?;
        Ok(output)
    }

    fn write(&mut self, record: &[&str]) -> Result<()> {
        self.0.write_record(record).map_err(csv_error)
    }

    fn finish(self) -> Result<Vec<u8>> {
        self.0.into_inner().map_err(csv_error)
    }
}
