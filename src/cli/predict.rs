//! `rulebench predict`: one prediction per input row, with the rule that made it.

use super::output::{print, write_file_atomically};
use super::PredictArgs;
use crate::data::load_csv;
use crate::error::{Error, Result};
use crate::rules::{evaluate, read_rule_file, text_columns};

pub fn run(args: PredictArgs) -> Result<()> {
    let source = read_rule_file(&args.rules)?;
    let target = source.file.target.as_ref().map(|n| n.text.as_str());
    let table = load_csv(&args.data, &text_columns(&source.file))?;

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

    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| Error::data(format!("cannot format the predictions: {e}"));
    writer
        .write_record(["row", "prediction", "rule"])
        .map_err(csv_error)?;
    for row in 0..table.n_rows() {
        let prediction = verdicts.classes[row].map_or("", |c| classes[c as usize].as_str());
        let conflict;
        let rule = match verdicts.firing.winner[row] {
            // Under `policy unique`, a row where several rules fire gets no class.
            Some(_) if verdicts.conflicts[row] > 0 => {
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
        writer
            .write_record([(row + 1).to_string().as_str(), prediction, rule])
            .map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::data(format!("cannot format the predictions: {e}")))?;

    match &args.out {
        Some(path) => write_file_atomically(path, &bytes, &[&args.data, &args.rules]),
        None => print(&String::from_utf8_lossy(&bytes)),
    }
}
