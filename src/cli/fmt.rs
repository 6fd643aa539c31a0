//! `rulebench fmt`: rewrites a rule file in the canonical layout.

use super::output::{print, write_file_atomically};
use super::FmtArgs;
use crate::error::{Error, ErrorKind, Result};
use crate::rules::diagnostic::render_all;
use crate::rules::format::{format_file, without_spans};
use crate::rules::parse_file;
use crate::rules::source::read_rule_text;

pub fn run(args: FmtArgs) -> Result<()> {
    let path = args.rules.display().to_string();
    let text = read_rule_text(&args.rules)?;
    let (file, diagnostics) = parse_file(&text);
    if diagnostics.iter().any(|d| d.is_error()) {
        return Err(Error::diagnostics(
            ErrorKind::Rules,
            render_all(&diagnostics, &path, &text),
        ));
    }
    let formatted = format_file(&text, &file);

    // The formatted text must mean the same rules; refuse to write anything else.
    let (reparsed, _) = parse_file(&formatted);
    if without_spans(&reparsed) != without_spans(&file) {
        return Err(Error::rules(format!(
            "formatting `{path}` would change its rules, so the file was left as it was; \
             please report this with the file attached"
        )));
    }

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
