//! `rulebench gen`: a synthetic CSV file and a matching rule file, for benchmarks.

use std::io::Write;

use super::output::{check_outputs, AtomicFile};
use super::GenArgs;
use crate::error::{Error, Result};
use crate::progress::Stage;
use crate::synth::{Plan, Spec};

pub fn run(args: GenArgs) -> Result<()> {
    check_outputs(
        &[("--out", &args.out), ("--rules-out", &args.rules_out)],
        &[],
    )?;
    let spec = Spec {
        rows: args.rows,
        numeric: args.features,
        categorical: args.categorical,
        classes: args.classes,
        rules: args.rule_count,
        comparisons: args.comparisons,
        missing: args.missing,
        noise: args.noise,
        seed: args.seed,
    };
    let plan = Plan::new(&spec)?;

    // Both files are written in full before either is renamed into place, so a failure
    // leaves neither of them.
    let mut data = AtomicFile::create(&args.out, &[])?;
    let mut rules = AtomicFile::create(&args.rules_out, &[])?;
    let stage = Stage::start(
        "generate",
        format!("writing `{}`", args.out.display()),
        Some(spec.rows as u64),
    );
    let class_rows = plan
        .write_csv(data.writer(), &mut |rows| stage.set_position(rows as u64))
        .and_then(|class_rows| data.writer().flush().map(|()| class_rows))
        .map_err(|e| Error::io("write", &args.out, &e))?;
    stage.finish();
    // Dropping the uncommitted files removes them, so a failed check writes neither file.
    require_named_classes(&plan, &class_rows)?;
    rules
        .writer()
        .write_all(plan.rule_text().as_bytes())
        .and_then(|()| rules.writer().flush())
        .map_err(|e| Error::io("write", &args.rules_out, &e))?;
    data.commit()?;
    rules.commit()
}

/// Fails when a class that the rule file names has no row in the data, as `compare` would
/// then reject the rule file. Small `--rows` with many classes can leave one out.
fn require_named_classes(plan: &Plan, class_rows: &[usize]) -> Result<()> {
    let absent = plan
        .named_classes()
        .into_iter()
        .find(|(class, _)| class_rows[*class as usize] == 0);
    let Some((class, rule)) = absent else {
        return Ok(());
    };
    let named_by = match rule {
        Some(rule) => format!("rule `{rule}` predicts"),
        None => "the rule file's `default` names".to_string(),
    };
    Err(Error::usage(format!(
        "none of the {} generated rows has class `{}`, which {named_by}, so the rule file \
         would not fit the data: raise --rows or lower --classes. Nothing was written.",
        plan.spec.rows,
        plan.class_name(class)
    )))
}
