use std::io::Write;

use clap::Parser;

fn main() {
    let cli = rulebench::cli::Cli::parse();
    if let Err(error) = rulebench::cli::run(cli) {
        if error.is_broken_pipe() {
            std::process::exit(0);
        }
        // A closed standard error must not turn the error into a panic.
        let report = error.report();
        let _ = writeln!(
            std::io::stderr().lock(),
            "{}",
            rulebench::cli::visible_controls(&report)
        );
        std::process::exit(error.exit_code());
    }
}
