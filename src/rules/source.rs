//! Reading a rule file from disk, with diagnostics rendered against its text.

use std::path::Path;

use super::bind::bind_rules;
use super::compiled::RuleSet;
use super::diagnostic::render_all;
use super::parser::parse_rules;
use super::syntax::RuleFile;
use crate::data::Table;
use crate::error::{Error, ErrorKind, Result};

/// A parsed rule file and the text it came from, for messages.
#[derive(Debug, Clone)]
pub struct RuleSource {
    pub path: String,
    pub text: String,
    pub file: RuleFile,
}

/// Reads and parses `path`; syntax errors come back rendered with file, line and caret.
pub fn read_rule_file(path: &Path) -> Result<RuleSource> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, &e))?;
    let display = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Error::rules(format!(
            "`{display}` line {line}: the file is not valid UTF-8. Save it as UTF-8 and try again."
        ))
    })?;
    let file = parse_rules(&text)
        .map_err(|d| Error::diagnostics(ErrorKind::Rules, render_all(&d, &display, &text)))?;
    Ok(RuleSource {
        path: display,
        text,
        file,
    })
}

impl RuleSource {
    /// Binds the rules to `table`; unknown columns and classes come back rendered.
    pub fn bind(&self, table: &Table, classes: &[String], target: Option<&str>) -> Result<RuleSet> {
        bind_rules(&self.file, table, classes, target).map_err(|d| {
            Error::diagnostics(ErrorKind::Rules, render_all(&d, &self.path, &self.text))
        })
    }

    /// The label column: `--target` when given, else the file's `target` line. The two
    /// must agree when both are present.
    pub fn resolve_target(&self, from_flag: Option<&str>) -> Result<String> {
        let from_file = self.file.target.as_ref().map(|n| n.text.as_str());
        match (from_flag, from_file) {
            (Some(flag), Some(file)) if flag != file => Err(Error::usage(format!(
                "--target `{flag}` contradicts `target {file}` in `{}`: remove one of them",
                self.path
            ))),
            (Some(name), _) | (None, Some(name)) => Ok(name.to_string()),
            (None, None) => Err(Error::usage(format!(
                "no target column: add a line `target COLUMN` to `{}` or pass --target COLUMN",
                self.path
            ))),
        }
    }
}
