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

`compare` does the work of `rulebench compare` with its defaults: the same split shares,
median imputation and one-hot encoding learned on the training rows, the same grid of 60
tree settings scored on the validation rows (ties go to fewer leaves, then to the earlier
setting), the learning curve, the scores of rules, tree, baseline and hybrid, McNemar's exact
test and 2000 bootstrap resamples per paired comparison, and the evidence for each rule.
scikit-learn's `min_impurity_decrease` weighs the decrease by the node's share of the rows,
unlike linfa's, so it stays at scikit-learn's default of 0.
"""

import argparse
import json
import re
import sys
import time

import numpy as np
import pandas as pd
from scipy.stats import binomtest
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

# rulebench compare's default grid, in its order: criterion, then leaf size, then depth.
DEPTHS = [1, 2, 3, 4, 5, 6, 8, 10, 12, None]
MIN_SAMPLES_LEAF = [1, 5, 20]
CRITERIA = ["gini", "entropy"]
# The shares of the training rows for the learning curve, and the bootstrap resamples.
CURVE_PERCENTS = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
RESAMPLES = 2000

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


def rule_masks(columns, rules):
    """One boolean mask per rule: where its condition is true. A comparison with a missing
    value (NaN) is False, so a conjunction with one never fires, as in three-valued logic."""
    masks = []
    for _, tests, _ in rules:
        mask = None
        for column, op, operand in tests:
            values = columns[column]
            if op == "in":
                test = pd.Series(values).isin(operand).to_numpy()
            else:
                test = COMPARATORS[op](values, operand)
            mask = test if mask is None else mask & test
        masks.append(mask)
    return masks


def evaluate_rules(columns, rules, default):
    """First-match rule evaluation with numpy masks and np.select."""
    choices = [label for _, _, label in rules]
    return np.select(rule_masks(columns, rules), choices, default=default)


def encode(frame, features, fit_rows, row_sets):
    """Median imputation and one-hot encoding learned on `fit_rows`, as rulebench does;
    returns the feature matrix of each set of rows."""
    numeric = frame[features].select_dtypes(include="number").columns
    categorical = [c for c in features if c not in set(numeric)]
    medians = frame.loc[fit_rows, numeric].median()
    levels = {c: sorted(frame.loc[fit_rows, c].dropna().unique()) for c in categorical}
    matrices = []
    for rows in row_sets:
        part = frame.loc[rows, features]
        pieces = [part[numeric].fillna(medians)]
        for column in categorical:
            pieces.append(pd.get_dummies(pd.Categorical(part[column], categories=levels[column]), prefix=column))
        matrices.append(pd.concat(pieces, axis=1).to_numpy(dtype=np.float64))
    return matrices


def encoded_columns(frame, features):
    """The source column of each encoded feature, in matrix order."""
    numeric = list(frame[features].select_dtypes(include="number").columns)
    categorical = [c for c in features if c not in set(numeric)]
    names = list(numeric)
    for column in categorical:
        names.extend([column] * frame[column].dropna().nunique())
    return names


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
    features = [c for c in frame.columns if c != args.target]
    (x,) = encode(frame, features, frame.index, [frame.index])
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
    """Run the whole comparison as `rulebench compare` does with its defaults."""
    stages = {}
    started = time.perf_counter()
    target, default, rules = read_rules(args.rules)
    frame = pd.read_csv(args.data)
    stages["load"] = time.perf_counter() - started

    started = time.perf_counter()
    labelled = frame[target].notna().to_numpy()
    classes = np.array(sorted(frame.loc[labelled, target].astype(str).unique()))
    label_codes = np.full(len(frame), -1)
    label_codes[labelled] = np.searchsorted(classes, frame.loc[labelled, target].astype(str))
    index = np.flatnonzero(labelled)
    train, rest = train_test_split(index, test_size=0.4, stratify=label_codes[index], random_state=args.seed)
    validation, test = train_test_split(rest, test_size=0.5, stratify=label_codes[rest], random_state=args.seed)
    train, validation, test = np.sort(train), np.sort(validation), np.sort(test)
    features = [c for c in frame.columns if c != target]
    review_features(frame, features)
    numeric = frame[features].select_dtypes(include="number")
    if np.isinf(numeric.to_numpy()).any():
        sys.exit("an infinite value: the decision tree needs finite numbers")
    stages["prepare"] = time.perf_counter() - started

    started = time.perf_counter()
    columns = {c: frame[c].to_numpy() for c in frame.columns}
    masks = rule_masks(columns, rules)
    rule_classes = np.searchsorted(classes, [label for _, _, label in rules])
    winner = np.select(masks, list(range(len(rules))), default=-1)
    default_code = np.searchsorted(classes, default)
    rule_predictions = np.where(winner >= 0, rule_classes[np.maximum(winner, 0)], default_code)
    stages["rules"] = time.perf_counter() - started

    # Every choice is made before the test rows are looked at.
    started = time.perf_counter()
    x_train, x_validation = encode(frame, features, train, [train, validation])
    y_train, y_validation = label_codes[train], label_codes[validation]
    grid, best = [], None
    for criterion in CRITERIA:
        for leaf in MIN_SAMPLES_LEAF:
            for depth in DEPTHS:
                tree = DecisionTreeClassifier(
                    criterion=criterion, min_samples_leaf=leaf, max_depth=depth, random_state=0
                ).fit(x_train, y_train)
                row = {
                    "criterion": criterion,
                    "min_samples_leaf": leaf,
                    "max_depth": depth,
                    "leaves": int(tree.get_n_leaves()),
                    "train_score": accuracy_score(y_train, tree.predict(x_train)),
                    "validation_score": accuracy_score(y_validation, tree.predict(x_validation)),
                }
                grid.append(row)
                better = best is None or (row["validation_score"], -row["leaves"]) > (
                    best[0]["validation_score"],
                    -best[0]["leaves"],
                )
                if better:
                    best = (row, tree)
    chosen, tree = best
    del x_train, x_validation
    stages["tune"] = time.perf_counter() - started

    started = time.perf_counter()
    (x_test,) = encode(frame, features, train, [test])
    tree_test = tree.predict(x_test)
    del x_test
    curve = learning_curve(frame, features, train, validation, label_codes, chosen, rule_predictions, args.seed)
    y_test = label_codes[test]
    baseline = np.bincount(label_codes[train]).argmax()
    fired_test = winner[test] >= 0
    models = {
        "rules": rule_predictions[test],
        "tree": tree_test,
        "baseline": np.full(len(test), baseline),
        "hybrid": np.where(fired_test, rule_predictions[test], tree_test),
    }
    report = {name: scores(y_test, predicted, len(classes)) for name, predicted in models.items()}
    paired = paired_comparisons(y_test, models, len(classes), args.seed)
    (x_train,) = encode(frame, features, train, [train])
    tree_train = tree.predict(x_train)
    del x_train
    evidence = {
        "train": rule_evidence(masks, winner, rule_classes, default_code, train, label_codes[train], tree_train),
        "test": rule_evidence(masks, winner, rule_classes, default_code, test, y_test, tree_test),
    }
    importance = feature_importance(tree, frame, features)
    disagreements = int(np.sum(models["rules"] != tree_test))
    stages["score"] = time.perf_counter() - started
    print(json.dumps({"stages": stages}), file=sys.stderr)
    return {
        "stage": "compare",
        "rows": len(frame),
        "settings": len(grid),
        "chosen": {key: chosen[key] for key in ("criterion", "min_samples_leaf", "max_depth", "leaves")},
        "accuracy": {name: scores["accuracy"] for name, scores in report.items()},
        "mcnemar_p_value": paired["rules_vs_tree"]["mcnemar_p_value"],
        "learning_curve": curve,
        "disagreements": disagreements,
        "rules_with_evidence": len(evidence["test"]),
        "importance_columns": len(importance),
    }


def review_features(frame, features):
    """rulebench's checks of the feature columns: empty, ID-like and constant columns."""
    warnings = []
    for column in features:
        values = frame[column]
        missing = int(values.isna().sum())
        if missing == len(values):
            warnings.append(f"{column}: no values")
        elif missing == 0 and values.nunique() == len(values):
            warnings.append(f"{column}: a different value in each row")
        elif missing == 0 and values.nunique() == 1:
            warnings.append(f"{column}: the same value in every row")
    return warnings


def learning_curve(frame, features, train, validation, label_codes, chosen, rule_predictions, seed):
    """The chosen setting refitted on nested, stratified shares of the training rows, each
    with its own preprocessing, and scored on the validation rows next to the rules."""
    rng = np.random.default_rng(seed)
    by_class = [rng.permutation(train[label_codes[train] == c]) for c in np.unique(label_codes[train])]
    y_validation = label_codes[validation]
    rules_score = accuracy_score(y_validation, rule_predictions[validation])
    points = []
    for percent in CURVE_PERCENTS:
        rows = np.sort(np.concatenate([
            part[: min(len(part), max(1, round(len(part) * percent / 100)))] for part in by_class
        ]))
        x_rows, x_validation = encode(frame, features, rows, [rows, validation])
        tree = DecisionTreeClassifier(
            criterion=chosen["criterion"],
            min_samples_leaf=chosen["min_samples_leaf"],
            max_depth=chosen["max_depth"],
            random_state=0,
        ).fit(x_rows, label_codes[rows])
        points.append({
            "percent": percent,
            "tree_score": accuracy_score(y_validation, tree.predict(x_validation)),
            "rules_score": rules_score,
        })
    return points


def scores(truth, predicted, n_classes):
    """Accuracy, balanced accuracy, macro F1, Cohen's kappa, per-class scores and the
    confusion matrix, as rulebench reports them."""
    labels = list(range(n_classes))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    return {
        "accuracy": accuracy_score(truth, predicted),
        "balanced_accuracy": balanced_accuracy_score(truth, predicted),
        "macro_f1": f1_score(truth, predicted, labels=labels, average="macro", zero_division=0),
        "kappa": cohen_kappa_score(truth, predicted),
        "precision": precision.tolist(),
        "recall": recall.tolist(),
        "f1": f1.tolist(),
        "confusion": confusion_matrix(truth, predicted, labels=labels).tolist(),
    }


def paired_comparisons(truth, models, n_classes, seed):
    """Rules against tree and hybrid against tree: the 2 x 2 table, McNemar's exact test,
    agreement and kappa between the two, and paired bootstrap intervals of the differences
    in accuracy and macro F1 (the same resamples for every pair)."""
    rng = np.random.default_rng(seed)
    n = len(truth)
    cells = {name: truth * n_classes + models[name] for name in ("rules", "hybrid", "tree")}
    resampled = {name: [] for name in cells}
    for _ in range(RESAMPLES):
        draw = rng.integers(0, n, size=n)
        for name, cell in cells.items():
            counts = np.bincount(cell[draw], minlength=n_classes * n_classes).reshape(n_classes, n_classes)
            resampled[name].append(confusion_scores(counts))
    result = {}
    for first in ("rules", "hybrid"):
        right_first, right_second = models[first] == truth, models["tree"] == truth
        only_first = int(np.sum(right_first & ~right_second))
        only_second = int(np.sum(~right_first & right_second))
        discordant = only_first + only_second
        p_value = binomtest(min(only_first, only_second), discordant, 0.5).pvalue if discordant else 1.0
        differences = np.array(resampled[first]) - np.array(resampled["tree"])
        result[f"{first}_vs_tree"] = {
            "mcnemar_p_value": p_value,
            "same": int(np.sum(models[first] == models["tree"])),
            "kappa": cohen_kappa_score(models[first], models["tree"]),
            "accuracy_interval": np.percentile(differences[:, 0], [2.5, 97.5]).tolist(),
            "macro_f1_interval": np.percentile(differences[:, 1], [2.5, 97.5]).tolist(),
        }
    return result


def confusion_scores(counts):
    """Accuracy and macro F1 (over classes present or predicted) of a confusion matrix."""
    true_positive = np.diag(counts)
    predicted, actual = counts.sum(axis=0), counts.sum(axis=1)
    present = (predicted + actual) > 0
    f1 = 2 * true_positive[present] / (predicted[present] + actual[present])
    return true_positive.sum() / counts.sum(), f1.mean()


def rule_evidence(masks, winner, rule_classes, default_code, rows, truth, tree):
    """Per rule on one part: fires, correct, wins, overlaps, conflicts and tree agreement,
    and the rows no rule covers."""
    fired = np.array([mask[rows] for mask in masks])
    firing_count = fired.sum(axis=0)
    evidence = []
    for rule, mask in enumerate(fired):
        same_class = fired[rule_classes == rule_classes[rule]].sum(axis=0)
        right = truth == rule_classes[rule]
        evidence.append({
            "fires": int(mask.sum()),
            "correct": int((mask & right).sum()),
            "wins": int((winner[rows] == rule).sum()),
            "overlaps": int((mask & (firing_count > 1)).sum()),
            "conflicts": int((mask & (same_class < firing_count)).sum()),
            "tree_agrees": int((mask & (tree == rule_classes[rule])).sum()),
        })
    uncovered = firing_count == 0
    evidence.append({
        "not_fired": int(uncovered.sum()),
        "default_correct": int((uncovered & (truth == default_code)).sum()),
        "tree_correct": int((uncovered & (tree == truth)).sum()),
    })
    return evidence


def feature_importance(tree, frame, features):
    """Mean decrease in impurity, one-hot features summed per column."""
    names = encoded_columns(frame, features)
    importance = {}
    for name, value in zip(names, tree.feature_importances_):
        importance[name] = importance.get(name, 0.0) + float(value)
    return importance


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
