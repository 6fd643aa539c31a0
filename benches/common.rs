//! Generated data for the benchmarks, written once per run to the system's temporary folder.

use std::path::PathBuf;

use rulebench::synth::{Plan, Spec};

/// Rows per benchmark input: large enough that per-call overhead does not count, small
/// enough that one iteration stays well under a second.
pub const ROWS: usize = 200_000;

/// Writes the data and rule files of the benchmark case (20 numeric features, 3 classes,
/// 10 rules with 25 comparisons) and returns their paths.
pub fn generated_files() -> (PathBuf, PathBuf) {
    let spec = Spec {
        rows: ROWS,
        numeric: 20,
        categorical: 0,
        ..Spec::default()
    };
    let plan = Plan::new(&spec).expect("the benchmark settings are valid");
    let dir = std::env::temp_dir().join(format!("rulebench-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temporary folder is writable");
    let data = dir.join("data.csv");
    let rules = dir.join("data.rules");
    let mut text = Vec::new();
    plan.write_csv(&mut text, &mut |_| {})
        .expect("writing to memory cannot fail");
    std::fs::write(&data, text).expect("the temporary folder is writable");
    std::fs::write(&rules, plan.rule_text()).expect("the temporary folder is writable");
    (data, rules)
}
