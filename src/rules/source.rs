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

/// Reads `path` as UTF-8 text; a file in another encoding is a rules error that names the
/// line and the first byte that is not UTF-8.
pub fn read_rule_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = &e.as_bytes()[..offset];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let byte = e.as_bytes()[offset];
        Error::rules(format!(
            "`{}` line {line}: the file is not valid UTF-8 (byte 0x{byte:02X} at offset \
             {offset}); it may be in Latin-1 or Windows-1252. Save it as UTF-8 and try again.",
            path.display()
        ))
    })
}

/// Reads and parses `path`; syntax errors come back rendered with file, line and caret.
pub fn read_rule_file(path: &Path) -> Result<RuleSource> {
    let text = read_rule_text(path)?;
    let display = path.display().to_string();
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

    /// The classes the rules name (each rule's class, then the default), in first-seen
    /// order: the class list when the data has no label column to take them from.
    pub fn named_classes(&self) -> Vec<String> {
        let mut classes: Vec<String> = Vec::new();
        for name in self
            .file
            .rules
            .iter()
            .map(|r| &r.class)
            .chain(self.file.default.as_ref())
        {
            if !classes.contains(&name.text) {
                classes.push(name.text.clone());
            }
        }
        classes
    }
}
