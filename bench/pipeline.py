"""The pandas + numpy + scikit-learn equivalent of rulebench's pipeline, step by step.

Each subcommand mirrors one `rulebench bench` stage (or the whole `rulebench compare`) and
prints one JSON object to standard output with the seconds of every repetition:

    python pipeline.py ingest --data FILE
    python pipeline.py rules --data FILE --rules FILE
    python pipeline.py fit --data FILE --target COLUMN [--max-depth N]
    python pipeline.py compare --data FILE --rules FILE [--seed N]
    python pipeline.py versions

The rule reader understands the subset of the rule language that `rulebench gen` writes:
`target`, `default`, and rules whose condition joins `column < number`, `column >= number`
(any comparator) and `column in {"a", "b"}` tests with `and`.
"""

import argparse
import json
import re
import sys
import time

import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

# The depths rulebench compare tries, in its order; None is no limit.
DEPTHS = [1, 2, 3, 4, 5, 6, 8, 10, 12, None]

COMPARATORS = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}

TEST = re.compile(
    r'^\s*(?P<column>[A-Za-z_]\w*)\s*'
    r'(?:(?P<op><=|>=|==|!=|<|>)\s*(?P<number>-?[0-9.]+(?:[eE][-+]?[0-9]+)?)'
    r'|in\s*\{(?P<members>[^}]*)\})\s*$'
)
RULE = re.compile(r"^rule\s+(?P<name>\w+)\s*:\s*(?P<condition>.*?)\s*=>\s*(?P<label>\S+)\s*$")


def read_rules(path):
    """Parse a rule file of the subset above into (target, default, [(name, tests, label)])."""
    target, default, rules = None, None, []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("target "):
                target = line.split()[1]
            elif line.startswith("default "):
                default = line.split()[1].strip('"')
            elif match := RULE.match(line):
                tests = [parse_test(part, path, number) for part in match["condition"].split(" and ")]
                rules.append((match["name"], tests, match["label"].strip('"')))
            else:
                sys.exit(f"{path}:{number}: not in the subset this script reads: {line}")
    return target, default, rules


def parse_test(text, path, number):
    match = TEST.match(text)
    if not match:
        sys.exit(f"{path}:{number}: cannot read the test `{text}`")
    if match["members"] is not None:
        members = [m.strip().strip('"') for m in match["members"].split(",") if m.strip()]
        return (match["column"], "in", members)
    return (match["column"], match["op"], float(match["number"]))


def evaluate_rules(columns, rules, default):
    """First-match rule evaluation with numpy masks and np.select. A comparison with a missing
    value (NaN) is False, so a conjunction with one never fires, as in three-valued logic."""
    conditions = []
    for _, tests, _ in rules:
        mask = None
        for column, op, operand in tests:
            values = columns[column]
            if op == "in":
                test = pd.Series(values).isin(operand).to_numpy()
            else:
                test = COMPARATORS[op](values, operand)
            mask = test if mask is None else mask & test
        conditions.append(mask)
    choices = [label for _, _, label in rules]
    return np.select(conditions, choices, default=default)


def encode(frame, target, train_index):
    """Median imputation and one-hot encoding learned on the training rows, as rulebench does."""
    features = frame.drop(columns=[target])
    numeric = features.select_dtypes(include="number").columns
    categorical = [c for c in features.columns if c not in set(numeric)]
    medians = features.loc[train_index, numeric].median()
    parts = [features[numeric].fillna(medians)]
    for column in categorical:
        levels = sorted(features.loc[train_index, column].dropna().unique())
        parts.append(pd.get_dummies(pd.Categorical(features[column], categories=levels), prefix=column))
    return pd.concat(parts, axis=1).to_numpy(dtype=np.float64)


def timed(repeat, step):
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def ingest(args):
    seconds, frame = timed(args.repeat, lambda: pd.read_csv(args.data))
    return {"stage": "ingest", "seconds": seconds, "rows": len(frame), "columns": frame.shape[1]}


def rules_stage(args):
    target, default, rules = read_rules(args.rules)
    frame = pd.read_csv(args.data)
    columns = {c: frame[c].to_numpy() for c in frame.columns}
    seconds, predicted = timed(args.repeat, lambda: evaluate_rules(columns, rules, default))
    labels = frame[target].astype(str).to_numpy()
    return {
        "stage": "rules",
        "seconds": seconds,
        "rows": len(frame),
        "rules": len(rules),
        "accuracy": float(np.mean(predicted == labels)),
    }


def fit(args):
    frame = pd.read_csv(args.data)
    frame = frame[frame[args.target].notna()].reset_index(drop=True)
    x = encode(frame, args.target, frame.index)
    y = frame[args.target].astype(str).to_numpy()
    del frame

    def step():
        return DecisionTreeClassifier(max_depth=args.max_depth, random_state=0).fit(x, y)

    seconds, tree = timed(args.repeat, step)
    return {
        "stage": "fit",
        "seconds": seconds,
        "rows": len(y),
        "features": x.shape[1],
        "max_depth": args.max_depth,
        "depth": int(tree.get_depth()),
        "leaves": int(tree.get_n_leaves()),
    }


def compare(args):
    """Run the whole comparison: load, split 60/20/20 stratified, tune the depth on the
    validation rows over rulebench's grid, then score rules, tree and baseline on the test rows."""
    stages = {}
    started = time.perf_counter()
    target, default, rules = read_rules(args.rules)
    frame = pd.read_csv(args.data)
    frame = frame[frame[target].notna()].reset_index(drop=True)
    labels = frame[target].astype(str).to_numpy()
    stages["load"] = time.perf_counter() - started

    started = time.perf_counter()
    index = np.arange(len(frame))
    train, rest = train_test_split(index, test_size=0.4, stratify=labels, random_state=args.seed)
    validation, test = train_test_split(rest, test_size=0.5, stratify=labels[rest], random_state=args.seed)
    x = encode(frame, target, train)
    stages["prepare"] = time.perf_counter() - started

    started = time.perf_counter()
    columns = {c: frame[c].to_numpy() for c in frame.columns}
    rule_predictions = evaluate_rules(columns, rules, default)[test]
    stages["rules"] = time.perf_counter() - started

    started = time.perf_counter()
    best = None
    for depth in DEPTHS:
        tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(x[train], labels[train])
        score = accuracy_score(labels[validation], tree.predict(x[validation]))
        if best is None or score > best[0]:
            best = (score, depth, tree)
    stages["tune"] = time.perf_counter() - started


    started = time.perf_counter()
    classes = np.unique(labels)
    values, counts = np.unique(labels[train], return_counts=True)
    predictions = {
        "rules": rule_predictions,
        "tree": best[2].predict(x[test]),
        "baseline": np.full(len(test), values[np.argmax(counts)]),
    }
    report = {}
    for model, predicted in predictions.items():
        precision, recall, f1, support = precision_recall_fscore_support(
            labels[test], predicted, labels=classes, zero_division=0
        )
        report[model] = {
            "accuracy": accuracy_score(labels[test], predicted),
            "balanced_accuracy": balanced_accuracy_score(labels[test], predicted),
            "macro_f1": f1_score(labels[test], predicted, average="macro", zero_division=0),
            "confusion": confusion_matrix(labels[test], predicted, labels=classes).tolist(),
        }
    stages["score"] = time.perf_counter() - started
    print(json.dumps({"stages": stages}), file=sys.stderr)
    return {
        "stage": "compare",
        "rows": len(frame),
        "max_depth": best[1],
        "accuracy": {model: scores["accuracy"] for model, scores in report.items()},
    }


def versions():
    """Return the versions of Python and the packages, and the BLAS library numpy runs."""
    import platform

    import sklearn
    import threadpoolctl

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scikit-learn": sklearn.__version__,
        "blas": [
            {key: pool.get(key) for key in ("internal_api", "version", "architecture", "num_threads")}
            for pool in threadpoolctl.threadpool_info()
        ],
    }


def main():
    if sys.argv[1:] == ["versions"]:
        print(json.dumps(versions()))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ["ingest", "rules", "fit", "compare"]:
        command = commands.add_parser(name)
        command.add_argument("--data", required=True)
        command.add_argument("--repeat", type=int, default=1)
        if name in ("rules", "compare"):
            command.add_argument("--rules", required=True)
        if name == "fit":
            command.add_argument("--target", required=True)
            command.add_argument("--max-depth", type=int, default=None)
        if name == "compare":
            command.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    run = {"ingest": ingest, "rules": rules_stage, "fit": fit, "compare": compare}[args.command]
    print(json.dumps(run(args)))


if __name__ == "__main__":
    main()
