//! Reading a model file, with a clear message for a truncated, damaged or foreign file.

use std::path::Path;

use serde_json::error::Category;
use serde_json::Value;

use super::{ModelFile, FORMAT_VERSION};
use crate::error::{Error, Result};

/// The advice for a damaged file.
const RETRAIN: &str =
    "Restore the file from a copy, or train the model again with `rulebench train`.";

/// Reads and checks the model file at `path`.
pub fn read_model(path: &Path) -> Result<ModelFile> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, &e))?;
    // Editors may add a UTF-8 byte-order mark, which JSON parsers do not expect.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let name = path.display().to_string();

    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|&b| b != b'{') {
        // Not JSON at all: most likely a rule file or a data file given as the model.
        return Err(Error::model(format!(
            "`{name}` is not a rulebench model: a model is the JSON document that `rulebench \
             train` writes, and this file does not start with `{{`. To apply a rule file, \
             pass it with --rules instead of --model."
        )));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| json_error(&name, &e))?;
    check_version(&name, &value)?;
    let model: ModelFile = serde_json::from_slice(bytes).map_err(|e| {
        Error::model(format!(
            "`{name}` is not a valid rulebench model: {} (line {}, column {}). {RETRAIN}",
            without_position(&e),
            e.line(),
            e.column()
        ))
    })?;
    model.check().map_err(|problem| {
        Error::model(format!(
            "`{name}` is not a valid rulebench model: {problem}. {RETRAIN}"
        ))
    })?;
    Ok(model)
}

fn json_error(name: &str, error: &serde_json::Error) -> Error {
    match error.classify() {
        Category::Eof => Error::model(format!(
            "`{name}` is truncated: the JSON stops at line {}, column {}, before the model is \
             complete. {RETRAIN}",
            error.line(),
            error.column()
        )),
        Category::Io => Error::model(format!("cannot read `{name}`: {error}")),
        Category::Syntax | Category::Data => Error::model(format!(
            "`{name}` is not a rulebench model: it is not valid JSON at line {}, column {} \
             ({}). {RETRAIN}",
            error.line(),
            error.column(),
            without_position(error)
        )),
    }
}

/// Accepts only this build's format version, naming the version that wrote the file.
fn check_version(name: &str, value: &Value) -> Result<()> {
    let Some(version) = value.get("format_version") else {
        return Err(Error::model(format!(
            "`{name}` is not a rulebench model: it has no `format_version` field. Pass a file \
             written by `rulebench train`."
        )));
    };
    if version.as_u64() == Some(u64::from(FORMAT_VERSION)) {
        return Ok(());
    }
    let writer = value
        .get("rulebench_version")
        .and_then(Value::as_str)
        .map_or("an unknown rulebench version".to_string(), |v| {
            format!("rulebench {v}")
        });
    Err(Error::model(format!(
        "`{name}` has model format {version}, written by {writer}, but rulebench {} reads \
         format {FORMAT_VERSION} only. Train the model again with this rulebench, or use the \
         version that wrote it.",
        env!("CARGO_PKG_VERSION")
    )))
}

/// serde_json's message without its trailing ` at line L column C`.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(end) => text[..end].to_string(),
        None => text,
    }
}
