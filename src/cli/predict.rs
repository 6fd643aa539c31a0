//! `rulebench predict`: one prediction per input row, with the rule or the tree path that
//! made it.
//!
//! The data is streamed ([`crate::data::stream`]): a first pass checks every row, types the
//! columns and gives the loader's warnings, so every error comes before any output. The
//! second pass predicts a chunk of rows at a time and writes them out, so memory does not
//! grow with the number of rows.

use std::io::Write;
use std::path::Path;

use super::output::{warn, AtomicFile};
use super::PredictArgs;
use crate::data::{Scan, StreamedFile, Table};
use crate::error::{Error, Result};
use crate::model_file::{read_model, ModelFile};
use crate::rules::{evaluate, read_rule_file, text_columns, RuleSource};
use crate::suggest::did_you_mean;

pub fn run(args: PredictArgs) -> Result<()> {
    let load = args.input.load_options();
    let data = StreamedFile::open(&args.data, &load)?;
    match (&args.rules, &args.model) {
        (Some(rules), None) => {
            let source = read_rule_file(rules)?;
            let scan = scan_with_warnings(&data, &text_columns(&source.file))?;
            let predictor = RulePredictor::new(&source, &scan)?;
            for warning in predictor.unknown_classes(&scan) {
                warn(&warning);
            }
            let mut output = Output::open(args.out.as_deref(), &[&args.data, rules])?;
            output.write_rows(&[&["row", "prediction", "rule"]])?;
            data.for_each_chunk(&scan, &mut |table| {
                predictor.write_chunk(&table, &mut output)
            })?;
            output.finish()
        }
        (None, Some(model_path)) => {
            let model = read_model(model_path)?;
            let scan = scan_with_warnings(&data, &model.text_columns())?;
            let data_name = args.data.display().to_string();
            let unread =
                model.check_columns(&scan, &data_name, &model_path.display().to_string())?;
            for warning in unread
                .iter()
                .chain(&model.unseen_categories(&scan, &data_name))
            {
                warn(warning);
            }
            let mut output = Output::open(args.out.as_deref(), &[&args.data, model_path])?;
            output.write_rows(&[&["row", "prediction", "leaf", "reason"]])?;
            data.for_each_chunk(&scan, &mut |table| {
                write_model_chunk(&model, &table, &mut output)
            })?;
            output.finish()
        }
        _ => unreachable!("clap requires exactly one of --rules and --model"),
    }
}

/// Reads `data` once to check and type it, printing the loader's warnings.
fn scan_with_warnings(data: &StreamedFile, text_columns: &[&str]) -> Result<Scan> {
    let scan = data.scan(text_columns)?;
    for warning in &scan.warnings {
        warn(warning);
    }
    Ok(scan)
}

/// The rules, checked against the whole file, and the classes they name.
struct RulePredictor<'a> {
    source: &'a RuleSource,
    /// The classes are whatever the rules name; there may be no label column to check them.
    classes: Vec<String>,
    target: Option<&'a str>,
}

impl<'a> RulePredictor<'a> {
    /// Binds the rules to the columns and categories of the whole file, so that every error
    /// comes before any output.
    fn new(source: &'a RuleSource, scan: &Scan) -> Result<Self> {
        let predictor = RulePredictor {
            source,
            classes: source.named_classes(),
            target: source.file.target.as_ref().map(|n| n.text.as_str()),
        };
        source.bind(&scan.schema(), &predictor.classes, predictor.target)?;
        Ok(predictor)
    }

    /// Warns about classes of the rules that the data's target column never holds, when the
    /// data has that column as text. Such a class is most likely misspelt, and `check` and
    /// `compare` reject it.
    fn unknown_classes(&self, scan: &Scan) -> Vec<String> {
        let Some(summary) = self.target.and_then(|target| scan.categories(target)) else {
            return Vec::new();
        };
        let present: Vec<&str> = summary
            .levels
            .iter()
            .zip(&summary.counts)
            .filter(|(_, &count)| count > 0)
            .map(|(level, _)| level.as_str())
            .collect();
        if present.is_empty() {
            return Vec::new();
        }
        let target = self.target.unwrap_or_default();
        self.classes
            .iter()
            .filter(|class| !present.contains(&class.as_str()))
            .map(|class| {
                format!(
                    "the rules predict class `{class}`, which column `{target}` of the data \
                     never holds.{}",
                    did_you_mean(class, present.iter().copied())
                )
            })
            .collect()
    }

    /// Writes `row`, `prediction` and `rule` (the rule that fired, or `default`) for each
    /// row of a chunk.
    fn write_chunk(&self, table: &Table, output: &mut Output) -> Result<()> {
        // The categories of a chunk are numbered within it, so the rules are bound to each
        // chunk; binding to the whole file succeeded, so this cannot fail.
        let rule_set = self.source.bind(table, &self.classes, self.target)?;
        let verdicts = evaluate(&rule_set, table);
        let mut records = Vec::with_capacity(table.n_rows());
        for row in 0..table.n_rows() {
            let prediction = verdicts
                .class(row)
                .map_or("", |c| self.classes[c as usize].as_str());
            let rule = match verdicts.firing.winner(row) {
                // Under `policy unique`, a row where several rules fire gets no class.
                Some(_) if verdicts.conflicts(row) > 0 => {
                    let names: Vec<&str> = (0..rule_set.len())
                        .filter(|&r| verdicts.firing.rule_fires(r, row))
                        .map(|r| rule_set.names[r].as_str())
                        .collect();
                    format!("conflict: {}", names.join(" "))
                }
                Some(rule) => rule_set.names[rule as usize].clone(),
                None if rule_set.default.is_some() => "default".to_string(),
                None => String::new(),
            };
            records.push([output.next_row(), prediction.to_string(), rule]);
        }
        output.write_rows(&records)
    }
}

/// Writes `row`, `prediction`, `leaf` (the `leaf_N` rule of the exported rule file) and
/// `reason` (the conditions on the row's path through the tree) for each row of a chunk.
fn write_model_chunk(model: &ModelFile, table: &Table, output: &mut Output) -> Result<()> {
    let filled = model.fill_unread_columns(table);
    let applied = model.apply(filled.as_ref().unwrap_or(table));
    // A tree without splits exports as a `default` line alone, so its leaf is `default`.
    let leaf_name = |leaf: usize| match model.tree.nodes.len() {
        1 => "default".to_string(),
        _ => crate::tree::export::leaf_rule_name(leaf),
    };
    let records: Vec<[String; 4]> = (0..table.n_rows())
        .map(|row| {
            [
                output.next_row(),
                model.classes[applied.classes[row] as usize].clone(),
                leaf_name(applied.leaves[row]),
                applied.reasons[row].clone(),
            ]
        })
        .collect();
    output.write_rows(&records)
}

/// Where the predictions go: standard output, or a file that appears only once complete.
struct Output {
    destination: Destination,
    rows_written: usize,
}

enum Destination {
    Stdout(std::io::StdoutLock<'static>),
    File(AtomicFile),
}

impl Output {
    /// Writes to `path`, or to standard output without one. A `path` that is one of
    /// `inputs` is rejected.
    fn open(path: Option<&Path>, inputs: &[&Path]) -> Result<Self> {
        let destination = match path {
            Some(path) => Destination::File(AtomicFile::create(path, inputs)?),
            None => Destination::Stdout(std::io::stdout().lock()),
        };
        Ok(Output {
            destination,
            rows_written: 0,
        })
    }

    /// The number of the next data row (from 1), as the `row` column gives it.
    fn next_row(&mut self) -> String {
        self.rows_written += 1;
        self.rows_written.to_string()
    }

    /// Writes CSV records, quoting fields as the csv crate does.
    fn write_rows<R: AsRef<[S]>, S: AsRef<str>>(&mut self, records: &[R]) -> Result<()> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        for record in records {
            let fields = record.as_ref().iter().map(|field| field.as_ref());
            writer.write_record(fields).map_err(csv_error)?;
        }
        let bytes = writer.into_inner().map_err(csv_error)?;
        match &mut self.destination {
            Destination::Stdout(stdout) => stdout.write_all(&bytes).map_err(|e| Error::stdout(&e)),
            Destination::File(file) => {
                let path = file.path().to_path_buf();
                file.writer()
                    .write_all(&bytes)
                    .map_err(|e| Error::io("write", &path, &e))
            }
        }
    }

    /// Flushes standard output, or renames the finished file into place.
    fn finish(self) -> Result<()> {
        match self.destination {
            Destination::Stdout(mut stdout) => stdout.flush().map_err(|e| Error::stdout(&e)),
            Destination::File(file) => file.commit(),
        }
    }
}

fn csv_error(error: impl std::fmt::Display) -> Error {
    Error::data(format!("cannot format the predictions: {error}"))
}
