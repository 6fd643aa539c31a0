#!/usr/bin/env bash
# Benchmarks rulebench against the equivalent pandas + numpy + scikit-learn pipeline on the
# same generated data and machine, stage by stage, and prints medians, ratios and PASS/FAIL
# per target. docs/BENCHMARKS.md describes the targets and records a run.
#
# Usage: bench/run.sh [--rows N] [--runs R] [--slow-runs S] [--venv DIR] [--out DIR]
#                     [--big-rows N] [--skip-build]
#   --rows N       rows of the main data set (default 1000000); the scaling check also uses N/10
#   --runs R       repetitions of the quick stages (default 3)
#   --slow-runs S  repetitions of the slow Python stages: tree fits and compare (default 3)
#   --venv DIR     virtual environment for the Python side (default target/bench-venv)
#   --out DIR      data and results (default target/bench)
#   --big-rows N   rows of the large-data check, 0 to skip it (default 10000000)
#   --skip-build   use the existing target/release/rulebench
set -euo pipefail

rows=1000000
runs=3
slow_runs=3
big_rows=10000000
skip_build=0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/target/bench-venv"
out="$root/target/bench"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --slow-runs) slow_runs="$2"; shift 2 ;;
    --venv) venv="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --big-rows) big_rows="$2"; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown option \`$1\`; see bench/run.sh --help" >&2; exit 2 ;;
  esac
done

for tool in cargo python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "error: \`$tool\` not found: install it first" >&2; exit 1; }
done

rulebench="$root/target/release/rulebench"
results="$out/results"
mkdir -p "$out" "$results"
rm -f "$results"/*

step() { printf '== %s\n' "$*" >&2; }

if [[ $skip_build == 0 ]]; then
  step "building rulebench in release"
  (cd "$root" && cargo build --release --quiet)
fi

if [[ ! -x "$venv/bin/python" ]]; then
  step "creating the Python environment in $venv"
  python3 -m venv "$venv"
fi
step "installing the pinned Python packages"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/bench/requirements.txt"

# Older OpenBLAS builds need these on some processors; they slow a current numpy, so the
# Python side runs without them.
python=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" "$root/bench/pipeline.py")

generate() { # rows name
  local data="$out/$2.csv" rules="$out/$2.rules"
  if [[ ! -s "$data" || ! -s "$rules" || "$(head -c 200 "$rules.settings" 2>/dev/null)" != "$1" ]]; then
    step "generating $1 rows into $data"
    "$rulebench" gen --rows "$1" --features 20 --categorical 0 --classes 3 --seed 42 \
      --out "$data" --rules-out "$rules"
    printf '%s' "$1" > "$rules.settings"
  fi
}

# Runs a command under /usr/bin/time -v and saves its stdout, stderr and resource report.
measure() { # name command...
  local name="$1"; shift
  /usr/bin/time -v -o "$results/$name.time" "$@" > "$results/$name.out" 2> "$results/$name.err"
}

small_rows=$((rows / 10))
generate "$rows" main
generate "$small_rows" small
data="$out/main.csv"
rules="$out/main.rules"

"${python[@]}" versions > "$results/versions.json"
{ nproc; lscpu; free -g; } > "$results/machine.txt"

step "CSV ingest"
measure ingest.rulebench "$rulebench" bench --repeat $((runs * 3)) ingest --data "$data"
measure ingest.python "${python[@]}" ingest --repeat $((runs * 3)) --data "$data"

step "rule evaluation"
measure rules.rulebench "$rulebench" bench --repeat $((runs * 3)) rules --data "$data" --rules "$rules"
measure rules.python "${python[@]}" rules --repeat $((runs * 3)) --data "$data" --rules "$rules"

step "tree fit at depth 8"
measure fit8.rulebench "$rulebench" bench --repeat "$runs" fit --data "$data" --target label --max-depth 8
measure fit8-small.rulebench "$rulebench" bench --repeat "$runs" fit --data "$out/small.csv" --target label --max-depth 8
measure fit8.python "${python[@]}" fit --repeat "$slow_runs" --data "$data" --target label --max-depth 8

step "tree fit at unlimited depth"
measure fit.rulebench "$rulebench" bench --repeat "$runs" fit --data "$data" --target label
measure fit-small.rulebench "$rulebench" bench --repeat "$runs" fit --data "$out/small.csv" --target label
measure fit.python "${python[@]}" fit --repeat "$slow_runs" --data "$data" --target label

step "whole compare"
for run in $(seq "$runs"); do
  measure "compare-$run.rulebench" "$rulebench" compare --data "$data" --rules "$rules" --format json --timings
done
for run in $(seq "$slow_runs"); do
  measure "compare-$run.python" "${python[@]}" compare --data "$data" --rules "$rules"
done

step "predict memory at $small_rows and $rows rows"
measure predict-small.rulebench "$rulebench" predict --data "$out/small.csv" --rules "$out/small.rules" --out "$out/predict-small.csv"
measure predict.rulebench "$rulebench" predict --data "$data" --rules "$rules" --out "$out/predict.csv"
rm -f "$out/predict-small.csv" "$out/predict.csv"

if [[ $big_rows -gt 0 ]]; then
  generate "$big_rows" big
  step "whole compare at $big_rows rows"
  printf '%s' "$big_rows" > "$results/big.rows"
  measure big.rulebench "$rulebench" compare --data "$out/big.csv" --rules "$out/big.rules" --format json --timings || true
fi

"$venv/bin/python" "$root/bench/summarize.py" "$results"
