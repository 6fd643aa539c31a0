//! The one error type of rulebench and the exit code each kind of error maps to.

use std::fmt;

/// What went wrong, at the level a caller acts on; each kind has its own exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A file could not be read or written.
    Io,
    /// The command line is invalid (clap reports its own errors with the same code), an
    /// output path names an input file or another output, or a history file is not one.
    Usage,
    /// The data file is malformed or unusable for the requested job.
    Data,
    /// The rule file does not parse or does not fit the data.
    Rules,
    /// The decision tree could not be trained or a model file is unusable.
    Model,
}

impl ErrorKind {
    /// Every kind, in the order of their exit codes.
    pub const ALL: [ErrorKind; 5] = [
        ErrorKind::Io,
        ErrorKind::Usage,
        ErrorKind::Data,
        ErrorKind::Rules,
        ErrorKind::Model,
    ];

    /// The process exit code for this kind; the README lists the same table.
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Io => 1,
            ErrorKind::Usage => 2,
            ErrorKind::Data => 3,
            ErrorKind::Rules => 4,
            ErrorKind::Model => 5,
        }
    }
}

/// The meaning of exit code 0, for the table in [`exit_code_table`].
pub const SUCCESS_MEANING: &str =
    "success (also when the reader of the output closes the pipe early)";

impl ErrorKind {
    /// Returns the meaning of this kind's exit code, worded as in the README's table.
    pub fn meaning(self) -> &'static str {
        match self {
            ErrorKind::Io => "a file could not be read or written",
            ErrorKind::Usage => {
                "invalid command line, an output path that is one of the input files or another \
                 output of the run, or a history file (`compare --history`, `history`) that is \
                 not a rulebench history"
            }
            ErrorKind::Data => {
                "the data is unusable: malformed CSV, unknown target column, one class only, \
                 an empty split, an infinite value"
            }
            ErrorKind::Rules => {
                "the rule file does not parse or does not fit the data; `check` found errors \
                 (or warnings, with `--strict`); `fmt --check` found an unformatted file"
            }
            ErrorKind::Model => {
                "the decision tree could not be trained, or a model file is unusable or does \
                 not fit the data"
            }
        }
    }
}

/// Lists every exit code of rulebench with its meaning, in the order of the README's table.
/// A test checks that the two agree.
pub fn exit_code_table() -> Vec<(i32, &'static str)> {
    let mut table = vec![(0, SUCCESS_MEANING)];
    table.extend(ErrorKind::ALL.iter().map(|k| (k.exit_code(), k.meaning())));
    table
}

/// An error with a message that is complete on its own: what is wrong, where, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    /// Set when a write failed because the reader of standard output went away.
    broken_pipe: bool,
    /// Set when the message already starts with its own `error:` labels, as rendered rule
    /// diagnostics do.
    labelled: bool,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            broken_pipe: false,
            labelled: false,
        }
    }

    /// An error whose text is one or more rendered diagnostics, each with its own label.
    pub fn diagnostics(kind: ErrorKind, rendered: impl Into<String>) -> Self {
        let mut error = Self::new(kind, rendered);
        error.labelled = true;
        error
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }

    pub fn data(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Data, message)
    }

    pub fn rules(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Rules, message)
    }

    pub fn model(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Model, message)
    }

    /// Wraps an I/O error with the path and the action that failed ("read", "write", ...).
    pub fn io(action: &str, path: &std::path::Path, source: &std::io::Error) -> Self {
        let mut error = Self::new(
            ErrorKind::Io,
            format!("cannot {action} `{}`: {source}", path.display()),
        );
        error.broken_pipe = source.kind() == std::io::ErrorKind::BrokenPipe;
        error
    }

    /// Wraps a failed write to standard output.
    pub fn stdout(source: &std::io::Error) -> Self {
        let mut error = Self::new(
            ErrorKind::Io,
            format!("cannot write to standard output: {source}"),
        );
        error.broken_pipe = source.kind() == std::io::ErrorKind::BrokenPipe;
        error
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// True when standard output was closed by its reader, as in `rulebench compare | head`;
    /// the process then ends quietly with success.
    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }

    pub fn exit_code(&self) -> i32 {
        self.kind.exit_code()
    }

    /// The text to print on standard error, with an `error:` label unless it has its own.
    pub fn report(&self) -> String {
        if self.labelled {
            self.message.clone()
        } else {
            format!("error: {}", self.message)
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
