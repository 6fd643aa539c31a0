//! `rulebench fmt`: rewrites a rule file in the canonical layout.

use super::output::{print, write_file_atomically};
use super::FmtArgs;
use crate::error::{Error, ErrorKind, Result};
use crate::rules::diagnostic::render_all;
use crate::rules::format::{format_source, FormatError};
use crate::rules::source::read_rule_text;

pub fn run(args: FmtArgs) -> Result<()> {
    let path = args.rules.display().to_string();
    let text = read_rule_text(&args.rules)?;
    let formatted = match format_source(&text) {
        Ok(formatted) => formatted,
        Err(FormatError::Syntax(diagnostics)) => {
            return Err(Error::diagnostics(
                ErrorKind::Rules,
                render_all(&diagnostics, &path, &text),
            ))
        }
        // The formatted text must mean the same rules; refuse to write anything else.
        Err(FormatError::ChangesMeaning) => {
            return Err(Error::rules(format!(
                "formatting `{path}` would change its rules, so the file was left as it was; \
                 please report this with the file attached"
            )))
        }
    };

    if args.check {
        if formatted != text {
            return Err(Error::rules(format!(
                "`{path}` is not formatted: run `rulebench fmt {path}`"
            )));
        }
        return Ok(());
    }
    if args.stdout {
        return print(&formatted);
    }
    if formatted != text {
        write_file_atomically(&args.rules, formatted.as_bytes(), &[])?;
    }
    Ok(())
}
