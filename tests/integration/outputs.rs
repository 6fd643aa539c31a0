//! Output files. Devices, pipes and links are written in place, a replaced file keeps its
//! mode, and files and folders the user cannot write are reported. Outputs may not collide,
//! concurrent runs keep every history record, and a run that fails or is interrupted after
//! it started writing leaves nothing behind.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{assert_error, assert_fails, root, rulebench, scratch, stderr, stdout};

const IRIS: &str = "data/iris.csv";
const IRIS_RULES: &str = "rules/iris.rules";
const MODEL: &str = "tests/inputs/model_iris.json";

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn folder_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Creates a copy of the character device `major:minor` at `path` with `mknod`. Returns
/// `false` when this user may not create device nodes.
fn make_device(path: &Path, major: u32, minor: u32) -> bool {
    let made = Command::new("mknod")
        .args([
            "-m",
            "666",
            text(path),
            "c",
            &major.to_string(),
            &minor.to_string(),
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if !made {
        eprintln!("skipped: mknod is not permitted here");
    }
    made
}

fn make_fifo(path: &Path) {
    let output = Command::new("mkfifo").arg(path).output().unwrap();
    assert!(output.status.success(), "mkfifo failed");
}

fn predict_stdout() -> String {
    stdout(&rulebench(&[
        "predict", "--rules", IRIS_RULES, "--data", IRIS,
    ]))
}

fn history_lines(path: &Path) -> usize {
    fs::read_to_string(path).unwrap().lines().count()
}

/// Runs `compare` on iris with `extra` options.
fn compare(extra: &[&str]) -> Output {
    let mut args = vec!["compare", "--data", IRIS, "--rules", IRIS_RULES];
    args.extend_from_slice(extra);
    rulebench(&args)
}

#[test]
fn device_output_stays_a_device() {
    let dir = scratch("outputs_device");
    let null = dir.join("null");
    if !make_device(&null, 1, 3) {
        return;
    }
    let runs: [Vec<&str>; 5] = [
        vec![
            "train",
            "--data",
            IRIS,
            "--target",
            "species",
            "--out",
            text(&null),
        ],
        vec![
            "predict",
            "--rules",
            IRIS_RULES,
            "--data",
            IRIS,
            "--out",
            text(&null),
        ],
        vec!["export", MODEL, "--out", text(&null)],
        vec![
            "compare",
            "--data",
            IRIS,
            "--rules",
            IRIS_RULES,
            "--html",
            text(&null),
        ],
        vec![
            "gen",
            "--rows",
            "1000",
            "--out",
            text(&null),
            "--rules-out",
            text(&null),
        ],
    ];
    for args in runs {
        let output = rulebench(&args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let metadata = fs::symlink_metadata(&null).unwrap();
        assert!(metadata.file_type().is_char_device(), "{args:?}");
        assert_eq!(metadata.rdev(), fs::metadata("/dev/null").unwrap().rdev());
    }
    assert_eq!(folder_entries(&dir), ["null"]);
}

#[test]
fn full_device_reports_no_space_and_records_nothing() {
    let dir = scratch("outputs_full");
    let full = dir.join("full");
    if !make_device(&full, 1, 7) {
        return;
    }
    let history = dir.join("runs.jsonl");
    let output = compare(&["--history", text(&history), "--html", text(&full)]);
    assert_fails(&output, 1, "No space left on device");
    assert!(!history.exists(), "a failed run was recorded");
    assert!(fs::symlink_metadata(&full)
        .unwrap()
        .file_type()
        .is_char_device());
}

#[test]
fn fifo_output_reaches_its_reader() {
    let dir = scratch("outputs_fifo");
    let fifo = dir.join("predictions.csv");
    make_fifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let output = rulebench(&[
        "predict",
        "--rules",
        IRIS_RULES,
        "--data",
        IRIS,
        "--out",
        text(&fifo),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    // Checked first: were the FIFO replaced, its reader would never see a writer.
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(reader.join().unwrap(), predict_stdout());
    assert_eq!(folder_entries(&dir), ["predictions.csv"]);
}

#[test]
fn stdout_link_writes_to_standard_output() {
    // What `/dev/stdout` is on Linux: a link to the process's own descriptor 1.
    if !Path::new("/proc/self/fd/1").exists() {
        return;
    }
    let dir = scratch("outputs_stdout_link");
    let link = dir.join("stdout");
    std::os::unix::fs::symlink("/proc/self/fd/1", &link).unwrap();
    let output = rulebench(&[
        "predict",
        "--rules",
        IRIS_RULES,
        "--data",
        IRIS,
        "--out",
        text(&link),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(stdout(&output), predict_stdout());
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(folder_entries(&dir), ["stdout"]);
}

#[test]
fn symbolic_link_output_writes_its_target() {
    let dir = scratch("outputs_link");
    fs::create_dir(dir.join("real")).unwrap();
    let target = dir.join("real/predictions.csv");
    fs::write(&target, "old\n").unwrap();
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink("real/predictions.csv", &link).unwrap();
    let output = rulebench(&[
        "predict",
        "--rules",
        IRIS_RULES,
        "--data",
        IRIS,
        "--out",
        text(&link),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&target).unwrap(), predict_stdout());
    assert_eq!(folder_entries(&dir.join("real")), ["predictions.csv"]);

    // A link to a file that does not exist yet creates the file.
    let dangling = dir.join("new.csv");
    std::os::unix::fs::symlink("real/new.csv", &dangling).unwrap();
    let output = rulebench(&[
        "predict",
        "--rules",
        IRIS_RULES,
        "--data",
        IRIS,
        "--out",
        text(&dangling),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert!(fs::symlink_metadata(&dangling)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(dir.join("real/new.csv")).unwrap(),
        predict_stdout()
    );
}

#[test]
fn fmt_formats_the_target_of_a_link() {
    let dir = scratch("outputs_fmt_link");
    let target = dir.join("target.rules");
    fs::write(
        &target,
        "target species\ndefault virginica\nrule a:   petal_length<2.5 => setosa\n",
    )
    .unwrap();
    let link = dir.join("link.rules");
    std::os::unix::fs::symlink("target.rules", &link).unwrap();
    let output = rulebench(&["fmt", text(&link)]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        "target species\ndefault virginica\n\nrule a: petal_length < 2.5 => setosa\n"
    );
}

#[test]
fn replaced_file_keeps_its_mode() {
    let dir = scratch("outputs_mode");
    let rules = dir.join("private.rules");
    fs::write(
        &rules,
        "target species\ndefault virginica\nrule a:   petal_length<2.5 => setosa\n",
    )
    .unwrap();
    fs::set_permissions(&rules, fs::Permissions::from_mode(0o640)).unwrap();
    let output = rulebench(&["fmt", text(&rules)]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert!(fs::read_to_string(&rules)
        .unwrap()
        .contains("petal_length < 2.5"));
    assert_eq!(fs::metadata(&rules).unwrap().mode() & 0o7777, 0o640);

    let out = dir.join("predictions.csv");
    fs::write(&out, "old\n").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o600)).unwrap();
    let output = rulebench(&[
        "predict",
        "--rules",
        IRIS_RULES,
        "--data",
        IRIS,
        "--out",
        text(&out),
    ]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(fs::metadata(&out).unwrap().mode() & 0o7777, 0o600);
}

#[test]
fn hard_linked_file_is_split_with_a_warning() {
    let dir = scratch("outputs_hard_link");
    let original = "target species\ndefault virginica\nrule a:   petal_length<2.5 => setosa\n";
    let rules = dir.join("a.rules");
    fs::write(&rules, original).unwrap();
    let other = dir.join("b.rules");
    fs::hard_link(&rules, &other).unwrap();
    let output = rulebench(&["fmt", text(&rules)]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!(
            "warning: `{}` has 2 hard links: it is replaced by a new file, and its other names \
             keep the old contents\n",
            rules.display()
        )
    );
    assert!(fs::read_to_string(&rules)
        .unwrap()
        .contains("petal_length < 2.5"));
    assert_eq!(fs::read_to_string(&other).unwrap(), original);
}

/// Runs the binary as the user `nobody` when the tests run as root, because permission bits
/// do not stop root's writes. Returns `None` when that is not possible here.
fn run_without_root(args: &[&str]) -> Option<Output> {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut command = if is_root {
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        command.arg(env!("CARGO_BIN_EXE_rulebench"));
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_rulebench"))
    };
    let output = command.args(args).current_dir(root()).output().ok()?;
    // setpriv itself failed (missing, or not allowed): nothing was tested.
    if is_root && output.status.code() == Some(127) {
        eprintln!("skipped: cannot run as an unprivileged user");
        return None;
    }
    Some(output)
}

/// Creates a scratch folder that every user may enter and write. Returns `None` when a
/// folder above it does not let other users pass through.
fn shared_scratch(name: &str) -> Option<PathBuf> {
    let dir = scratch(name);
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
    let closed = dir
        .ancestors()
        .skip(1)
        .any(|folder| fs::metadata(folder).is_ok_and(|m| m.mode() & 0o001 == 0));
    if closed {
        eprintln!("skipped: other users cannot reach `{}`", dir.display());
        return None;
    }
    Some(dir)
}

#[test]
fn read_only_file_is_left_unchanged() {
    let Some(dir) = shared_scratch("outputs_read_only_file") else {
        return;
    };
    let original = "target species\ndefault virginica\nrule a:   petal_length<2.5 => setosa\n";
    let rules = dir.join("protected.rules");
    fs::write(&rules, original).unwrap();
    fs::set_permissions(&rules, fs::Permissions::from_mode(0o444)).unwrap();
    let Some(output) = run_without_root(&["fmt", text(&rules)]) else {
        return;
    };
    assert_error(
        &output,
        1,
        &format!(
            "cannot write `{}`: the file is read-only for you, so rulebench leaves it \
             unchanged. Make it writable, or choose another output path.",
            rules.display()
        ),
    );
    assert_eq!(fs::read_to_string(&rules).unwrap(), original);
    let metadata = fs::metadata(&rules).unwrap();
    assert_eq!(metadata.mode() & 0o7777, 0o444);
    assert_eq!(folder_entries(&dir), ["protected.rules"]);
}

#[test]
fn read_only_mode_protects_files_from_any_user() {
    // Run as whoever runs the tests, root included: a file without write bits is protected.
    let dir = scratch("outputs_read_only_mode");
    let original = "target species\ndefault virginica\nrule a:   petal_length<2.5 => setosa\n";
    let rules = dir.join("protected.rules");
    fs::write(&rules, original).unwrap();
    fs::set_permissions(&rules, fs::Permissions::from_mode(0o444)).unwrap();
    let output = rulebench(&["fmt", text(&rules)]);
    assert_error(
        &output,
        1,
        &format!(
            "cannot write `{}`: the file is read-only for you, so rulebench leaves it \
             unchanged. Make it writable, or choose another output path.",
            rules.display()
        ),
    );
    assert_eq!(fs::read_to_string(&rules).unwrap(), original);

    let history = dir.join("runs.jsonl");
    fs::write(&history, "").unwrap();
    fs::set_permissions(&history, fs::Permissions::from_mode(0o444)).unwrap();
    let output = compare(&["--history", text(&history)]);
    assert_fails(&output, 1, "the file is read-only for you");
    assert!(stdout(&output).is_empty());
    assert_eq!(fs::read_to_string(&history).unwrap(), "");
}

#[test]
fn read_only_folder_is_named() {
    let Some(dir) = shared_scratch("outputs_read_only_folder") else {
        return;
    };
    let folder = dir.join("locked");
    fs::create_dir(&folder).unwrap();
    let rules = folder.join("f.rules");
    fs::write(
        &rules,
        "target species\ndefault virginica\nrule a:   petal_length<2.5 => setosa\n",
    )
    .unwrap();
    fs::set_permissions(&rules, fs::Permissions::from_mode(0o666)).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();

    let result = run_without_root(&["fmt", text(&rules)]);
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    let Some(output) = result else {
        return;
    };
    assert_error(
        &output,
        1,
        &format!(
            "cannot write `{}`: rulebench writes a temporary file in the folder `{}` and \
             renames it, but that folder is read-only for you. Make the folder writable, or \
             choose another output path.",
            rules.display(),
            folder.display()
        ),
    );
}

#[test]
fn read_only_history_fails_before_the_run() {
    let Some(dir) = shared_scratch("outputs_read_only_history") else {
        return;
    };
    let history = dir.join("runs.jsonl");
    fs::write(&history, "").unwrap();
    fs::set_permissions(&history, fs::Permissions::from_mode(0o444)).unwrap();
    let html = dir.join("report.html");
    let args = [
        "compare",
        "--data",
        IRIS,
        "--rules",
        IRIS_RULES,
        "--history",
        text(&history),
        "--html",
        text(&html),
    ];
    let Some(output) = run_without_root(&args) else {
        return;
    };
    assert_error(
        &output,
        1,
        &format!(
            "cannot write `{}`: the file is read-only for you, so rulebench leaves it \
             unchanged. Make it writable, or choose another output path.",
            history.display()
        ),
    );
    assert!(stdout(&output).is_empty());
    assert!(!html.exists());
}

#[test]
fn output_into_missing_folder_says_to_create_it() {
    let dir = scratch("outputs_missing_folder");
    let out = dir.join("missing/dir/p.csv");
    let output = rulebench(&[
        "predict",
        "--rules",
        IRIS_RULES,
        "--data",
        IRIS,
        "--out",
        text(&out),
    ]);
    assert_error(
        &output,
        1,
        &format!(
            "cannot write `{}`: the folder `{}` does not exist. Create it first, or choose \
             another output path.",
            out.display(),
            dir.join("missing/dir").display()
        ),
    );
}

#[test]
fn html_over_history_is_rejected() {
    let dir = scratch("outputs_html_over_history");
    let history = dir.join("runs.jsonl");
    for seed in ["1", "2"] {
        let output = compare(&["--history", text(&history), "--seed", seed]);
        assert!(output.status.success(), "stderr: {}", stderr(&output));
    }
    let before = fs::read(&history).unwrap();
    let same_history = dir.join(".").join("runs.jsonl");
    for html in [&history, &same_history] {
        let output = compare(&["--history", text(&history), "--html", text(html)]);
        assert_error(
            &output,
            2,
            &format!(
                "cannot write the --html output to `{}`: it is also the --history output. \
                 Choose another output path.",
                html.display()
            ),
        );
        assert!(stdout(&output).is_empty());
    }
    assert_eq!(fs::read(&history).unwrap(), before);

    // An output over an input is rejected the same way, before anything is written.
    let output = compare(&["--history", text(&history), "--html", IRIS_RULES]);
    assert_error(
        &output,
        2,
        "cannot write the output to `rules/iris.rules`: it is one of the input files. Choose \
         another output path.",
    );
    assert_eq!(fs::read(&history).unwrap(), before);
}

#[test]
fn failed_html_write_records_no_history() {
    let dir = scratch("outputs_failed_html");
    let history = dir.join("runs.jsonl");
    let output = compare(&[
        "--history",
        text(&history),
        "--html",
        text(&dir.join("nodir/r.html")),
    ]);
    assert_fails(&output, 1, "does not exist. Create it first");
    assert!(!history.exists());
    assert!(stdout(&output).is_empty());
}

#[test]
fn concurrent_runs_keep_every_history_record() {
    let dir = scratch("outputs_concurrent_history");
    let history = dir.join("runs.jsonl");
    let seeds: Vec<u64> = (1..=20).collect();
    for batch in seeds.chunks(4) {
        let children: Vec<(u64, Child)> = batch
            .iter()
            .map(|&seed| {
                let child = Command::new(env!("CARGO_BIN_EXE_rulebench"))
                    .args(["compare", "--data", IRIS, "--rules", IRIS_RULES, "--seed"])
                    .arg(seed.to_string())
                    .arg("--history")
                    .arg(&history)
                    .current_dir(root())
                    .stdout(Stdio::null())
                    .spawn()
                    .unwrap();
                (seed, child)
            })
            .collect();
        for (seed, mut child) in children {
            assert!(child.wait().unwrap().success(), "run with seed {seed}");
        }
    }
    let text = fs::read_to_string(&history).unwrap();
    let mut recorded: Vec<u64> = text
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            record["seed"].as_u64().unwrap()
        })
        .collect();
    recorded.sort_unstable();
    assert_eq!(recorded, seeds);
    assert_eq!(folder_entries(&dir), ["runs.jsonl"]);
}

#[test]
fn history_accepts_a_byte_order_mark() {
    let dir = scratch("outputs_history_bom");
    let history = dir.join("runs.jsonl");
    let output = compare(&["--history", text(&history)]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(fs::read(&history).unwrap());
    fs::write(&history, &bytes).unwrap();

    let output = compare(&["--history", text(&history)]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert_eq!(history_lines(&history), 2);
    let output = rulebench(&["history", text(&history)]);
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    assert!(
        stdout(&output).contains("Over 2 runs"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn history_commands_agree_on_foreign_files() {
    let dir = scratch("outputs_history_foreign");
    let not_text = dir.join("notutf.jsonl");
    fs::write(&not_text, b"\xFF\xFE{}\n").unwrap();
    let not_utf8 = format!(
        "`{}` is not a rulebench history file: it is not UTF-8 text. Pass the file that \
         `rulebench compare --history` writes.",
        not_text.display()
    );
    assert_error(&rulebench(&["history", text(&not_text)]), 2, &not_utf8);
    assert_error(
        &compare(&["--history", text(&not_text)]),
        2,
        &format!("{not_utf8} rulebench leaves it unchanged."),
    );

    let output = rulebench(&["history", IRIS]);
    assert_error(
        &output,
        2,
        "`data/iris.csv` line 1 is not a rulebench history record (expected value at line 1 \
         column 1). Pass the file that `rulebench compare --history` writes.",
    );
    assert_eq!(fs::read(&not_text).unwrap(), b"\xFF\xFE{}\n");
}

#[test]
fn gen_writes_neither_file_when_one_fails() {
    let dir = scratch("outputs_gen_pair");
    let data = dir.join("g.csv");
    let output = rulebench(&[
        "gen",
        "--rows",
        "10",
        "--out",
        text(&data),
        "--rules-out",
        text(&dir.join("nodir/g.rules")),
    ]);
    assert_fails(&output, 1, "does not exist. Create it first");
    assert_eq!(folder_entries(&dir), Vec::<String>::new());

    // The same file named two ways.
    let same = dir.join(".").join("g.csv");
    let output = rulebench(&[
        "gen",
        "--rows",
        "10",
        "--out",
        text(&data),
        "--rules-out",
        text(&same),
    ]);
    assert_fails(&output, 2, "it is also the --out output");
    assert_eq!(folder_entries(&dir), Vec::<String>::new());
}

/// Kills the child when a test fails before it ends, so no run keeps filling the disk.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `gen` with far more rows than it can write in the test, waits until data reaches
/// its temporary file, and sends `signal`. Returns the exit code and the folder's files.
fn interrupt_gen(name: &str, signal: &str) -> (Option<i32>, Vec<String>) {
    let dir = scratch(name);
    let child = Command::new(env!("CARGO_BIN_EXE_rulebench"))
        .args(["gen", "--rows", "1000000000", "--out"])
        .arg(dir.join("big.csv"))
        .arg("--rules-out")
        .arg(dir.join("big.rules"))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let started = Instant::now();
    loop {
        let written = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok()?.metadata().ok())
            .any(|m| m.len() > 0);
        if written {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "gen wrote nothing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Command::new("kill")
        .args([signal, &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.0.wait().unwrap();
    (status.code(), folder_entries(&dir))
}

#[test]
fn interrupted_gen_leaves_no_temporary_file() {
    let (code, left) = interrupt_gen("outputs_interrupt_int", "-INT");
    assert_eq!(code, Some(130));
    assert_eq!(left, Vec::<String>::new());
    let (code, left) = interrupt_gen("outputs_interrupt_term", "-TERM");
    assert_eq!(code, Some(143));
    assert_eq!(left, Vec::<String>::new());
}
