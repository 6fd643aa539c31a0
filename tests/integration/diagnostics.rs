//! One golden file per diagnostic code: `tests/golden/diagnostics/CODE.rules` is checked
//! with `rulebench check` and the output must equal `CODE.txt` exactly. A first line
//! `# data: FILE` adds `--data FILE`. Set `UPDATE_GOLDEN=1` to rewrite the `.txt` files
//! after a deliberate change of wording, and review the diff.

use std::path::Path;

use rulebench::rules::Code;

use crate::common::{root, rulebench, stderr, stdout};

const FOLDER: &str = "tests/golden/diagnostics";

/// Runs `check` on a golden input the way the golden output was made.
fn check_golden(rules: &str) -> std::process::Output {
    let text = std::fs::read_to_string(root().join(rules)).expect("golden input");
    let mut args = vec!["check".to_string(), rules.to_string()];
    if let Some(data) = text.lines().next().and_then(|l| l.strip_prefix("# data: ")) {
        args.push("--data".into());
        args.push(data.trim().into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    rulebench(&args)
}

#[test]
fn every_code_has_its_golden_output() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for code in Code::ALL {
        let rules = format!("{FOLDER}/{}.rules", code.as_str());
        let golden = root().join(format!("{FOLDER}/{}.txt", code.as_str()));
        assert!(root().join(&rules).is_file(), "no golden input {rules}");
        let output = check_golden(&rules);
        let err = stderr(&output);
        assert!(!err.contains("panicked"), "{rules}: {err}");
        let actual = stdout(&output);
        if update {
            std::fs::write(&golden, &actual).expect("write golden output");
            continue;
        }
        let expected = std::fs::read_to_string(&golden)
            .unwrap_or_else(|_| panic!("no golden output {}", golden.display()));
        if actual != expected {
            mismatches.push(format!(
                "{rules}:\n--- expected\n{expected}\n--- actual\n{actual}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn every_golden_input_shows_its_code() {
    for code in Code::ALL {
        let rules = format!("{FOLDER}/{}.rules", code.as_str());
        let text = std::fs::read_to_string(root().join(&rules)).unwrap();
        let mut args = vec!["check", rules.as_str(), "--format", "json"];
        let data = text.lines().next().and_then(|l| l.strip_prefix("# data: "));
        if let Some(data) = data {
            args.extend(["--data", data.trim()]);
        }
        let output = rulebench(&args);
        let report: serde_json::Value =
            serde_json::from_str(&stdout(&output)).expect("check prints JSON");
        let codes: Vec<&str> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert!(
            codes.contains(&code.as_str()),
            "{rules} shows {codes:?}, not `{}`",
            code.as_str()
        );
    }
}

#[test]
fn exit_code_follows_severity() {
    let errors = check_golden(&format!("{FOLDER}/unknown-column.rules"));
    assert_eq!(errors.status.code(), Some(4));
    assert!(stderr(&errors).contains("has 5 errors and 1 warning"));
    let warnings = check_golden(&format!("{FOLDER}/redundant-part.rules"));
    assert_eq!(warnings.status.code(), Some(0), "{}", stderr(&warnings));
    assert!(Path::new(&root().join(FOLDER)).is_dir());
}
