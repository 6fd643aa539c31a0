//! `rulebench gen`: a synthetic CSV file and a matching rule file, for benchmarks.

use std::io::Write;

use super::output::{write_file_atomically, AtomicFile};
use super::GenArgs;
use crate::error::{Error, Result};
use crate::progress::Stage;
use crate::synth::{Plan, Spec};

pub fn run(args: GenArgs) -> Result<()> {
    if args.out == args.rules_out {
        return Err(Error::usage(format!(
            "--out and --rules-out are both `{}`: give the data and the rules their own files",
            args.out.display()
        )));
    }
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

    let stage = Stage::start(
        "generate",
        format!("writing `{}`", args.out.display()),
        Some(spec.rows as u64),
    );
    let mut file = AtomicFile::create(&args.out, &[])?;
    plan.write_csv(file.writer(), &mut |rows| stage.set_position(rows as u64))
        .and_then(|()| file.writer().flush())
        .map_err(|e| Error::io("write", &args.out, &e))?;
    file.commit()?;
    stage.finish();

    write_file_atomically(&args.rules_out, plan.rule_text().as_bytes(), &[&args.out])
}
