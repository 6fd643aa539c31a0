//! `rulebench compare`.

use std::path::{Path, PathBuf};

use super::history::{append_history, check_history};
use super::output::{check_outputs, note, print, visible_controls, warn, write_file_atomically};
use super::{CompareArgs, Format};
use crate::compare::{run_comparison, CompareOptions, ReportOptions};
use crate::error::{Error, Result};
use crate::progress::{self, Stage};
use crate::report::{render_csv, render_html, render_json, render_markdown, render_tables};

const EXAMPLE_DATA: &str = "data/titanic.csv";
const EXAMPLE_RULES: &str = "rules/titanic.rules";

pub fn run(args: CompareArgs) -> Result<()> {
    let tree = args.tree.options()?;
    let dataset = args.dataset;
    let (data, rules) = match (dataset.data.is_empty(), args.rules) {
        (false, Some(rules)) => (dataset.data, rules),
        (true, None) => {
            let (data, rules) = example_paths()?;
            note(
                "Running the shipped titanic example. To compare your own rules, run\n  \
                 rulebench compare --data YOUR.csv --rules YOUR.rules",
            );
            (vec![data], rules)
        }
        (false, None) => {
            return Err(Error::usage(
                "--data needs --rules: name the rule file to score",
            ))
        }
        (true, Some(_)) => {
            return Err(Error::usage(
                "--rules needs --data: name the CSV file to score them on",
            ))
        }
    };
    // The output paths are checked before the data is read, so a mistake there fails fast.
    let mut inputs: Vec<&Path> = data.iter().map(PathBuf::as_path).collect();
    inputs.push(&rules);
    let outputs: Vec<(&str, &Path)> = [("--history", &args.history), ("--html", &args.html)]
        .into_iter()
        .filter_map(|(option, path)| Some((option, path.as_deref()?)))
        .collect();
    check_outputs(&outputs, &inputs)?;
    if let Some(history) = &args.history {
        check_history(history)?;
    }
    let options = CompareOptions {
        target: dataset.target,
        seed: dataset.seed,
        split: dataset.split,
        report: ReportOptions {
            disagreements: args.disagreements,
            rule_matrix: args.rule_matrix,
            ..ReportOptions::default()
        },
        tree,
        load: dataset.csv.load_options(),
        data: data.clone(),
        rules: rules.clone(),
    };
    if args.timings {
        progress::record_timings();
    }
    let comparison = run_comparison(&options)?;
    for warning in &comparison.warnings {
        warn(warning);
    }

    // Everything is rendered before anything is written, and the history record comes
    // last, so a run that fails records nothing.
    let page = args.html.as_ref().map(|_| render_html(&comparison));
    let stage = Stage::start("report", "writing the report", None);
    let text = match args.format {
        Format::Table => visible_controls(&render_tables(&comparison)).into_owned(),
        Format::Json => render_json(&comparison),
        Format::Markdown => render_markdown(&comparison),
        Format::Csv => render_csv(&comparison)?,
    };
    if let (Some(path), Some(page)) = (&args.html, &page) {
        write_file_atomically(path, page.as_bytes(), &inputs)?;
    }
    let printed = print(&text);
    stage.finish();
    // A reader that closed the pipe early still saw a finished run, so it is recorded.
    let finished = match &printed {
        Ok(()) => true,
        Err(error) => error.is_broken_pipe(),
    };
    if let (Some(history), true) = (&args.history, finished) {
        append_history(history, &comparison, options.split, &inputs)?;
    }
    if args.timings {
        note(&timings_json(progress::take_timings()));
    }
    printed
}

/// Renders the recorded steps as `{"timings": [{"stage": NAME, "seconds": S}, ...]}`, in
/// run order.
fn timings_json(timings: Vec<(String, f64)>) -> String {
    let stages: Vec<serde_json::Value> = timings
        .into_iter()
        .map(|(stage, seconds)| serde_json::json!({ "stage": stage, "seconds": seconds }))
        .collect();
    serde_json::json!({ "timings": stages }).to_string()
}

/// The shipped example, looked up in the working folder first and then in the folder the
/// binary was built from, so `cargo run -- compare` works from anywhere in the checkout.
fn example_paths() -> Result<(PathBuf, PathBuf)> {
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR"));
    for base in [Path::new("."), built_from] {
        let data = base.join(EXAMPLE_DATA);
        let rules = base.join(EXAMPLE_RULES);
        if data.is_file() && rules.is_file() {
            return Ok((strip_dot(data), strip_dot(rules)));
        }
    }
    Err(Error::usage(format!(
        "the shipped example (`{EXAMPLE_DATA}`, `{EXAMPLE_RULES}`) is not here: run from the \
         rulebench folder, or pass --data FILE --rules FILE"
    )))
}

fn strip_dot(path: PathBuf) -> PathBuf {
    path.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or(path)
}
