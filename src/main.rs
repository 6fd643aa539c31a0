use clap::Parser;

fn main() {
    let cli = rulebench::cli::Cli::parse();
    if let Err(error) = rulebench::cli::run(cli) {
        if error.is_broken_pipe() {
            std::process::exit(0);
        }
        eprintln!("{}", error.report());
        std::process::exit(error.exit_code());
    }
}
