//! Progress bars appear on a terminal for steps longer than a second, and never in pipes;
//! `compare --timings` reports each step's duration.

use std::path::Path;
use std::process::Command;

use crate::common::{rulebench, scratch, stderr, stdout};

/// Arguments of a `gen` run that takes more than a second, writing into `dir`.
// NOTE: 1.5 M rows take 2 to 3 s in the test profile on a 2-core machine. A machine that
// writes them in under a second would show no bar, so the terminal test would fail there.
fn slow_gen_args(dir: &Path) -> Vec<String> {
    let data = dir.join("data.csv").display().to_string();
    let rules = dir.join("data.rules").display().to_string();
    [
        "gen",
        "--rows",
        "1500000",
        "--out",
        &data,
        "--rules-out",
        &rules,
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn progress_bar_shows_on_terminal() {
    let dir = scratch("progress-terminal");
    let command = format!(
        "{} {}",
        env!("CARGO_BIN_EXE_rulebench"),
        slow_gen_args(&dir).join(" ")
    );
    // `script` (util-linux) runs the command on a pseudo-terminal and copies its output.
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("`script` from util-linux runs");
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(
        screen.contains("writing `"),
        "no progress bar in {screen:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn progress_is_silent_off_terminal() {
    let dir = scratch("progress-pipe");
    let args = slow_gen_args(&dir);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = rulebench(&args);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(stderr(&output), "");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Timings {
    timings: Vec<StageTime>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StageTime {
    stage: String,
    seconds: f64,
}

#[test]
fn compare_timings_list_every_step() {
    let args = [
        "compare",
        "--data",
        "data/iris.csv",
        "--rules",
        "rules/iris.rules",
    ];
    let plain = rulebench(&args);
    let timed = rulebench(&[&args[..], &["--timings"]].concat());
    assert!(timed.status.success(), "stderr: {}", stderr(&timed));
    assert_eq!(stdout(&plain), stdout(&timed));

    let report: Timings = serde_json::from_str(stderr(&timed).trim()).unwrap();
    let stages: Vec<&str> = report.timings.iter().map(|t| t.stage.as_str()).collect();
    assert_eq!(
        stages,
        ["load", "prepare", "rules", "tune", "score", "report"]
    );
    for step in &report.timings {
        assert!(step.seconds >= 0.0, "{step:?}");
        assert!(step.seconds < 60.0, "{step:?}");
    }
    assert_eq!(stderr(&plain), "");
}
