//! Times parsing and checking a generated file of 10,000 rules on the adult data.
//!
//! Run with `cargo run --release --example rules_benchmark` from the repository root. It
//! writes the generated file to `target/rules_benchmark.rules` (so `rulebench check` can be
//! timed on it too) and prints the median of several runs of each step.

use std::fmt::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rulebench::rules::analysis::check_static;
use rulebench::rules::{bind_rules, evaluate, parse_rules, text_columns};

const RULES: usize = 10_000;
const RUNS: usize = 7;

fn main() {
    let text = generate(RULES, 42);
    let out = Path::new("target/rules_benchmark.rules");
    std::fs::write(out, &text).expect("write the generated rules");
    println!(
        "{RULES} rules, {} bytes, written to {}",
        text.len(),
        out.display()
    );

    let parse = median(|| {
        parse_rules(&text).expect("the generated rules parse");
    });
    let file = parse_rules(&text).expect("the generated rules parse");
    let check = median(|| {
        check_static(&file, &text);
    });
    let warnings = check_static(&file, &text).diagnostics.len();

    let table = rulebench::data::load_csv(Path::new("data/adult.csv"), &text_columns(&file))
        .expect("run from the repository root, where data/adult.csv is");
    let classes = vec!["<=50K".to_string(), ">50K".to_string()];
    let bind = median(|| {
        bind_rules(&file, &table, &classes, Some("income")).expect("the rules bind");
    });
    let rule_set = bind_rules(&file, &table, &classes, Some("income")).expect("the rules bind");
    let evaluation = median(|| {
        evaluate(&rule_set, &table);
    });

    println!("median of {RUNS} runs:");
    println!("  parse                     {:>9.1} ms", ms(parse));
    println!(
        "  static checks             {:>9.1} ms  ({warnings} warnings)",
        ms(check)
    );
    println!("  bind to adult.csv         {:>9.1} ms", ms(bind));
    println!(
        "  parse + check + bind      {:>9.1} ms",
        ms(parse + check + bind)
    );
    println!(
        "  evaluate on {} rows   {:>9.1} ms",
        table.n_rows(),
        ms(evaluation)
    );
}

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Rules of one to four tests on the adult columns, as a tree exported to rules or a
/// large hand-maintained file would have.
fn generate(count: usize, seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let occupations = [
        "Adm-clerical",
        "Exec-managerial",
        "Prof-specialty",
        "Sales",
        "Craft-repair",
        "Tech-support",
    ];
    let mut text = String::from("target income\ndefault \"<=50K\"\nlet degree = 13\n\n");
    for index in 0..count {
        let mut parts = Vec::new();
        for _ in 0..rng.gen_range(1..=4) {
            let part = match rng.gen_range(0..6) {
                0 => format!(
                    "age between {} and {}",
                    rng.gen_range(17..50),
                    rng.gen_range(50..90)
                ),
                1 => format!("education_num >= {}", rng.gen_range(1..16)),
                2 => format!("hours_per_week > {}", rng.gen_range(10..70)),
                3 => format!(
                    "occupation in {{\"{}\", \"{}\"}}",
                    occupations[rng.gen_range(0..6)],
                    occupations[rng.gen_range(0..6)]
                ),
                4 => format!("capital_gain / 1_000 > {}", rng.gen_range(1..20)),
                _ => "education_num >= degree".to_string(),
            };
            parts.push(part);
        }
        let class = if rng.gen_bool(0.5) {
            "\">50K\""
        } else {
            "\"<=50K\""
        };
        let _ = writeln!(text, "rule r{index}: {} => {class}", parts.join(" and "));
    }
    text
}
