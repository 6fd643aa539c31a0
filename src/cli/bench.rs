//! `rulebench bench`: one step of the pipeline at a time, timed inside the process, for the
//! benchmark script (bench/run.sh). Hidden from `--help`: it is a measuring tool, not a job.
//!
//! Each run prints one JSON object to standard output with the stage name, the seconds of
//! every repetition of the timed step, and facts about the input and the result.

use std::path::Path;
use std::time::Instant;

use serde_json::{json, Value};

use super::output::print;
use super::{BenchArgs, BenchStage};
use crate::data::checks::require_finite;
use crate::data::{load_csv, Labels};
use crate::error::{Error, Result};
use crate::rules::{evaluate, read_rule_file, text_columns};
use crate::tree::{fit_tree, Encoder, TreeParams};

pub fn run(args: BenchArgs) -> Result<()> {
    if args.repeat == 0 {
        return Err(Error::usage("--repeat must be at least 1"));
    }
    let report = match &args.stage {
        BenchStage::Ingest { data } => ingest(data, args.repeat)?,
        BenchStage::Rules { data, rules } => rules_stage(data, rules, args.repeat)?,
        BenchStage::Fit {
            data,
            target,
            max_depth,
        } => fit(data, target, *max_depth, args.repeat)?,
    };
    print(&format!("{report}\n"))
}

/// Times `step` `repeat` times; returns the seconds of each run and the last result.
fn timed<T>(repeat: usize, mut step: impl FnMut() -> Result<T>) -> Result<(Vec<f64>, T)> {
    let mut seconds = Vec::with_capacity(repeat);
    let mut last = None;
    for _ in 0..repeat {
        let started = Instant::now();
        let result = step()?;
        seconds.push(started.elapsed().as_secs_f64());
        last = Some(result);
    }
    Ok((seconds, last.expect("at least one repetition")))
}

fn ingest(data: &Path, repeat: usize) -> Result<Value> {
    let (seconds, table) = timed(repeat, || load_csv(data, &[]))?;
    Ok(json!({
        "stage": "ingest",
        "seconds": seconds,
        "rows": table.n_rows(),
        "columns": table.columns.len(),
    }))
}

/// Times rule evaluation alone, on a table loaded once.
fn rules_stage(data: &Path, rules: &Path, repeat: usize) -> Result<Value> {
    let source = read_rule_file(rules)?;
    let target = source.resolve_target(None)?;
    let mut forced_text = text_columns(&source.file);
    forced_text.push(&target);
    let table = load_csv(data, &forced_text)?;
    let labels = Labels::from_table(&table, &target, &data.display().to_string())?;
    let rule_set = source.bind(&table, &labels.classes, Some(&target))?;

    let (seconds, verdicts) = timed(repeat, || Ok(evaluate(&rule_set, &table)))?;
    let rows = table.n_rows();
    let fired = (0..rows)
        .filter(|&row| verdicts.firing.winner(row).is_some())
        .count();
    let correct = (0..rows)
        .filter(|&row| verdicts.class(row).is_some() && verdicts.class(row) == labels.rows[row])
        .count();
    Ok(json!({
        "stage": "rules",
        "seconds": seconds,
        "rows": table.n_rows(),
        "rules": rule_set.len(),
        "fired": fired,
        "accuracy": correct as f64 / table.n_rows() as f64,
    }))
}

/// Times one tree fit on every labelled row, encoded as `compare` encodes its training rows.
fn fit(data: &Path, target: &str, max_depth: Option<usize>, repeat: usize) -> Result<Value> {
    let name = data.display().to_string();
    let table = load_csv(data, &[target])?;
    let labels = Labels::from_table(&table, target, &name)?;
    let rows: Vec<usize> = (0..table.n_rows())
        .filter(|&r| labels.rows[r].is_some())
        .collect();
    let target_index = table
        .column_index(target)
        .expect("labels were read from it");
    let columns: Vec<usize> = (0..table.columns.len())
        .filter(|&c| c != target_index)
        .collect();
    require_finite(&table, &columns, &rows, &name)?;
    let encoder = Encoder::fit(&table, &columns, &rows);
    let features = encoder.rows(&table, &rows);
    let classes: Vec<u32> = rows
        .iter()
        .map(|&r| labels.rows[r].expect("only labelled rows"))
        .collect();
    let params = TreeParams {
        max_depth,
        ..TreeParams::default()
    };

    let (seconds, tree) = timed(repeat, || {
        fit_tree(&features, &classes, labels.n_classes(), &params)
    })?;
    Ok(json!({
        "stage": "fit",
        "seconds": seconds,
        "rows": rows.len(),
        "features": encoder.features.len(),
        "max_depth": max_depth,
        "depth": tree.depth(),
        "leaves": tree.n_leaves(),
    }))
}
