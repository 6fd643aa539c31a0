//! Rule evaluation throughput: 10 first-match rules with 25 comparisons over 20 numeric
//! columns with missing values.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rulebench::data::{load_csv, Labels};
use rulebench::rules::{evaluate, read_rule_file, text_columns};

fn rule_evaluation(c: &mut Criterion) {
    let (data, rules) = common::generated_files();
    let source = read_rule_file(&rules).unwrap();
    let target = source.resolve_target(None).unwrap();
    let mut forced_text = text_columns(&source.file);
    forced_text.push(&target);
    let table = load_csv(&data, &forced_text).unwrap();
    let labels = Labels::from_table(&table, &target, "generated").unwrap();
    let rule_set = source.bind(&table, &labels.classes, Some(&target)).unwrap();

    let mut group = c.benchmark_group("rules");
    group.throughput(Throughput::Elements(table.n_rows() as u64));
    group.bench_function("evaluate_10_rules_25_comparisons", |b| {
        b.iter(|| evaluate(&rule_set, &table))
    });
    group.finish();
    let _ = std::fs::remove_dir_all(data.parent().unwrap());
}

criterion_group!(benches, rule_evaluation);
criterion_main!(benches);
