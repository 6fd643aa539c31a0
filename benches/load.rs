//! CSV loading throughput on 20 numeric columns with missing values and a label column.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rulebench::data::load_csv;

fn csv_loading(c: &mut Criterion) {
    let (data, _) = common::generated_files();
    let bytes = std::fs::metadata(&data).unwrap().len();

    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);
    group.bench_function("load_csv_20_numeric_columns", |b| {
        b.iter(|| load_csv(&data, &["label"]).unwrap())
    });
    group.finish();
    let _ = std::fs::remove_dir_all(data.parent().unwrap());
}

criterion_group!(benches, csv_loading);
criterion_main!(benches);
