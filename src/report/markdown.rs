//! The report as Markdown: a heading per section, sentences as paragraphs and pipe tables.

use comfy_table::Table;

use super::blocks::{report_blocks, Block};
use crate::compare::Comparison;

/// Renders every section of the comparison as Markdown.
pub fn render_markdown(comparison: &Comparison) -> String {
    let mut out = String::new();
    for block in report_blocks(comparison) {
        match block {
            Block::Title(text) => out.push_str(&format!("# {}\n\n", inline(&text))),
            Block::Heading { title, .. } => out.push_str(&format!("## {}\n\n", inline(&title))),
            Block::Text(text) => out.push_str(&format!("{}\n\n", inline(&text))),
            Block::Caption(text) => out.push_str(&format!("**{}**\n\n", inline(&text))),
            Block::Table(table) => {
                out.push_str(&pipe_table(&table));
                out.push('\n');
            }
            Block::Chart(_) => {}
        }
    }
    out
}

/// A GitHub-flavoured pipe table; columns whose cells all read as numbers are right-aligned.
fn pipe_table(table: &Table) -> String {
    let (header, rows) = table_text(table);
    let mut out = String::new();
    out.push_str(&pipe_row(&header));
    let rules: Vec<String> = (0..header.len())
        .map(|column| {
            let numeric = rows
                .iter()
                .filter_map(|row| row.get(column))
                .filter(|cell| !cell.is_empty())
                .all(|cell| looks_numeric(cell));
            if numeric { "---:" } else { "---" }.to_string()
        })
        .collect();
    out.push_str(&format!("|{}|\n", rules.join("|")));
    for row in &rows {
        out.push_str(&pipe_row(row));
    }
    out
}

/// Returns the text of the header cells and of every row's cells.
pub(crate) fn table_text(table: &Table) -> (Vec<String>, Vec<Vec<String>>) {
    let header = table
        .header()
        .map(|row| row.cell_iter().map(|cell| cell.content()).collect())
        .unwrap_or_default();
    let rows = table
        .row_iter()
        .map(|row| row.cell_iter().map(|cell| cell.content()).collect())
        .collect();
    (header, rows)
}

fn pipe_row(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|cell| cell_text(cell)).collect();
    format!("| {} |\n", cells.join(" | "))
}

/// True for cells such as `0.760`, `12`, `19.7 %`, `+0.046 [0.000, 0.092]`, `n/a` or `< 0.001`.
pub(crate) fn looks_numeric(cell: &str) -> bool {
    let first = cell.trim_start_matches(['+', '-', '<', ' ']);
    first.starts_with(|c: char| c.is_ascii_digit()) || cell == "n/a"
}

/// Escapes a table cell: a pipe would end the cell, and a line break the row, so the lines
/// of a cell are kept apart by `<br>`, which GitHub and most renderers show as a line break.
fn cell_text(text: &str) -> String {
    // Markdown ends a line at `\r` too, which would split the row.
    inline(text)
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

/// Escapes the characters that would start Markdown markup in running text. Text between
/// backticks is a code span, where Markdown shows every character as it is, so it is left
/// alone; the report quotes names that way on purpose.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_table_escapes_pipes_and_aligns_numbers() {
        let mut table = Table::new();
        table.set_header(vec!["rule", "fires"]);
        table.add_row(vec!["a|b", "12"]);
        let text = pipe_table(&table);
        assert_eq!(text, "| rule | fires |\n|---|---:|\n| a\\|b | 12 |\n");
    }

    #[test]
    fn cell_lines_are_kept_apart() {
        assert_eq!(cell_text("one\ntwo <b>"), "one<br>two \\<b\\>");
        assert_eq!(cell_text("one\rtwo\r\nthree"), "one<br>two<br>three");
    }

    #[test]
    fn inline_escapes_outside_code_spans_only() {
        assert_eq!(inline("a_b `c_d` *e*"), "a\\_b `c_d` \\*e\\*");
    }

    #[test]
    fn numbers_and_not_applicable_read_as_numeric() {
        assert!(looks_numeric("0.760"));
        assert!(looks_numeric("-0.1 [-0.2, 0.0]"));
        assert!(looks_numeric("n/a"));
        assert!(looks_numeric("< 0.001"));
        assert!(!looks_numeric("training"));
    }
}
