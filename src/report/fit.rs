//! Fitting a table to the terminal without breaking a number. comfy-table wraps cells to fit
//! the terminal and breaks any word longer than its column, which splits `0.948` into `0.9`
//! over `48`. Here every column gets a lower bound first: a column of numbers (scores,
//! counts, percentages, intervals) keeps its widest cell on one line, and a text column keeps
//! its longest word whole, so only text wraps, at spaces. A table too wide for that is split
//! into several tables of fewer columns, each repeating the leading label columns (such as the
//! rule name). A table that cannot fit even so is printed unwrapped, wider than the terminal,
//! rather than with numbers broken.

use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width};

use super::markdown::{looks_numeric, table_text};

/// Words of a text column longer than this may still be broken, so that one long path or
/// name does not push a whole table past the terminal's width.
const LONGEST_WHOLE_WORD: usize = 20;

/// Spaces comfy-table pads each cell with, one on either side.
const CELL_PADDING: usize = 2;

/// The narrowest a column may get, and whether it holds numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ColumnWidth {
    minimum: usize,
    numeric: bool,
}

/// Renders `table` for its terminal, without a trailing line break. Without a terminal,
/// comfy-table never wraps, so the table is rendered as it is.
pub fn render_for_terminal(table: &Table) -> String {
    let Some(width) = table.width() else {
        return table.to_string();
    };
    let columns = column_widths(table);
    let all: Vec<usize> = (0..columns.len()).collect();
    let groups = if needed_width(&columns, &all) <= usize::from(width) {
        vec![all]
    } else if let Some(groups) = column_groups(&columns, usize::from(width)) {
        groups
    } else {
        let mut unwrapped = table.clone();
        unwrapped.set_content_arrangement(ContentArrangement::Disabled);
        return unwrapped.to_string();
    };
    groups
        .iter()
        .map(|group| {
            let mut part = table.clone();
            for (index, column) in columns.iter().enumerate() {
                let constraint = if group.contains(&index) {
                    let bound = u16::try_from(column.minimum + CELL_PADDING).unwrap_or(u16::MAX);
                    ColumnConstraint::LowerBoundary(Width::Fixed(bound))
                } else {
                    ColumnConstraint::Hidden
                };
                if let Some(column) = part.column_mut(index) {
                    column.set_constraint(constraint);
                }
            }
            part.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Returns the terminal columns that `group` of the columns needs at their minimum widths:
/// each cell's content and padding, a separator before each column and a border after the
/// last.
fn needed_width(columns: &[ColumnWidth], group: &[usize]) -> usize {
    1 + group
        .iter()
        .map(|&index| columns[index].minimum + CELL_PADDING + 1)
        .sum::<usize>()
}

/// Splits the columns into groups that each fit `width`. Every group starts with the label
/// columns (the leading text columns, or the first column when it holds numbers) and takes as
/// many of the other columns, in order, as fit. Returns `None` when the label columns and some
/// other column do not fit together.
fn column_groups(columns: &[ColumnWidth], width: usize) -> Option<Vec<Vec<usize>>> {
    let labels = columns.iter().take_while(|c| !c.numeric).count().max(1);
    if labels >= columns.len() {
        // Only label columns: there is nothing to spread over several tables.
        return None;
    }
    let label_columns: Vec<usize> = (0..labels).collect();
    let mut groups = Vec::new();
    let mut current = label_columns.clone();
    for index in labels..columns.len() {
        current.push(index);
        if needed_width(columns, &current) <= width {
            continue;
        }
        current.pop();
        if current.len() > labels {
            groups.push(current);
        }
        current = label_columns.clone();
        current.push(index);
        if needed_width(columns, &current) > width {
            return None;
        }
    }
    if current.len() > labels {
        groups.push(current);
    }
    Some(groups)
}

/// Computes for each column the narrowest content width that breaks no number and no word
/// of up to [`LONGEST_WHOLE_WORD`] characters. A column is numeric when every non-empty cell
/// below the header reads as a number, as the Markdown and HTML reports decide it.
fn column_widths(table: &Table) -> Vec<ColumnWidth> {
    let (header, rows) = table_text(table);
    let count = rows.iter().map(Vec::len).chain([header.len()]).max();
    (0..count.unwrap_or(0))
        .map(|index| {
            let cells: Vec<&str> = rows
                .iter()
                .filter_map(|row| row.get(index))
                .map(String::as_str)
                .collect();
            let numeric = cells
                .iter()
                .filter(|cell| !cell.is_empty())
                .all(|cell| looks_numeric(cell));
            let content = if numeric {
                cells.iter().map(|cell| longest_line(cell)).max()
            } else {
                cells.iter().map(|cell| longest_word(cell)).max()
            };
            let header_word = header.get(index).map_or(0, |name| longest_word(name));
            let words = header_word.min(LONGEST_WHOLE_WORD);
            let minimum = if numeric {
                content.unwrap_or(0).max(words)
            } else {
                content.unwrap_or(0).min(LONGEST_WHOLE_WORD).max(words)
            };
            ColumnWidth {
                minimum: minimum.max(1),
                numeric,
            }
        })
        .collect()
}

fn longest_line(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

fn longest_word(text: &str) -> usize {
    text.split_whitespace()
        .map(|word| word.chars().count())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use comfy_table::presets::UTF8_FULL_CONDENSED;

    /// A table like the per-rule evidence: a text column and many numeric ones. It needs 82
    /// columns at least, and 121 unwrapped.
    fn wide_table() -> Table {
        let mut table = Table::new();
        table
            .load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(vec![
                "rule",
                "fires",
                "coverage",
                "precision",
                "accuracy diff. [95 % CI]",
                "tree agrees",
            ]);
        table.add_row(vec![
            "women in the upper classes, who were saved",
            "155",
            "19.7 %",
            "0.948",
            "+0.042 [-0.004, 0.088]",
            "155 (100 %)",
        ]);
        table.add_row(vec![
            "children",
            "8",
            "1.0 %",
            "n/a",
            "-0.100 [-0.2, 0.0]",
            "n/a",
        ]);
        table
    }

    fn assert_fits(text: &str, width: usize) {
        for line in text.lines() {
            assert!(
                line.chars().count() <= width,
                "wider than {width}: {line}\n{text}"
            );
        }
    }

    const NUMBERS: [&str; 4] = ["0.948", "19.7 %", "+0.042 [-0.004, 0.088]", "155 (100 %)"];

    #[test]
    fn numbers_keep_their_width_and_text_wraps() {
        let mut table = wide_table();
        table.set_width(90);
        let text = render_for_terminal(&table);
        assert_fits(&text, 90);
        for number in NUMBERS {
            assert!(text.contains(number), "`{number}` was broken:\n{text}");
        }
        assert!(!text.contains("women in the upper classes, who were saved"));
        assert_eq!(text.matches('┌').count(), 1, "one table:\n{text}");
    }

    #[test]
    fn narrow_terminal_splits_columns_and_repeats_labels() {
        let mut table = wide_table();
        table.set_width(60);
        let text = render_for_terminal(&table);
        assert_fits(&text, 60);
        for number in NUMBERS {
            assert_eq!(text.matches(number).count(), 1, "`{number}`:\n{text}");
        }
        assert_eq!(text.matches('┌').count(), 2, "two tables:\n{text}");
        assert_eq!(text.matches("children").count(), 2, "{text}");
    }

    #[test]
    fn table_that_cannot_fit_is_not_wrapped() {
        let mut table = wide_table();
        // The rule column (8, the longest word) with the interval column (22) need 37.
        table.set_width(36);
        let text = render_for_terminal(&table);
        assert!(text.contains("women in the upper classes, who were saved"));
        assert!(text.contains("+0.042 [-0.004, 0.088]"));
        assert_eq!(text.matches('┌').count(), 1, "{text}");
    }

    #[test]
    fn widths_take_numbers_whole_and_words_of_text() {
        let minimums: Vec<usize> = column_widths(&wide_table())
            .iter()
            .map(|c| c.minimum)
            .collect();
        assert_eq!(minimums, [8, 5, 8, 9, 22, 11]);
    }

    #[test]
    fn groups_start_with_the_label_columns() {
        let column = |minimum, numeric| ColumnWidth { minimum, numeric };
        let columns = [
            column(10, false),
            column(5, false),
            column(20, true),
            column(20, true),
            column(20, true),
        ];
        // Labels take 10 + 5 + 2 x 3 + 1 = 22 columns; each number 23.
        assert_eq!(
            column_groups(&columns, 70),
            Some(vec![vec![0, 1, 2, 3], vec![0, 1, 4]])
        );
        assert_eq!(column_groups(&columns, 44), None);
        let text_only = [column(30, false), column(30, false)];
        assert_eq!(column_groups(&text_only, 40), None);
        assert_eq!(
            column_groups(&columns, 45),
            Some(vec![vec![0, 1, 2], vec![0, 1, 3], vec![0, 1, 4]])
        );
    }
}
