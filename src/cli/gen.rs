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
    plan.write_csv(data.writer(), &mut |rows| stage.set_position(rows as u64))
        .and_then(|()| data.writer().flush())
        .map_err(|e| Error::io("write", &args.out, &e))?;
    stage.finish();
    rules
        .writer()
        .write_all(plan.rule_text().as_bytes())
        .and_then(|()| rules.writer().flush())
        .map_err(|e| Error::io("write", &args.rules_out, &e))?;
    data.commit()?;
    rules.commit()
}
