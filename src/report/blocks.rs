//! The report as a list of blocks (headings, sentences, tables, charts) that every
//! human-readable format renders in the same order: terminal text, Markdown and HTML.

use comfy_table::Table;

use super::fit::render_for_terminal;
use super::sections::analysis_blocks;
use super::table::{
    confusion_table, coverage_sentence, model_rows, per_class_table, summary_table,
};
use super::tree_sections::tree_blocks;
use crate::compare::Comparison;

/// A chart that only the HTML page draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// One heat map per model.
    Confusion,
    /// The bootstrap intervals of the paired differences.
    Differences,
    /// Coverage and precision of each rule.
    RuleEvidence,
    /// Training and validation accuracy per tree depth tried.
    Tuning,
    /// Tree and rules scored at growing shares of the training rows.
    LearningCurve,
}

/// One piece of the report.
#[derive(Debug)]
pub enum Block {
    /// The title of the whole report.
    Title(String),
    /// The start of a section; `id` is stable and used as the HTML anchor.
    Heading {
        id: &'static str,
        title: String,
    },
    /// A sentence or a short paragraph.
    Text(String),
    /// A label just above the table it names.
    Caption(String),
    Table(Table),
    Chart(Chart),
}

/// Lists every section of the report, in reading order.
pub fn report_blocks(c: &Comparison) -> Vec<Block> {
    let mut blocks = vec![
        Block::Title(format!(
            "rulebench: rules `{}` against a decision tree on `{}`",
            c.rules, c.data
        )),
        Block::Text(format!(
            "target `{}`, seed {}, stratified split: {} training, {} validation, {} test rows",
            c.target, c.seed, c.split.train, c.split.validation, c.split.test
        )),
        Block::Heading {
            id: "scores",
            title: format!("Scores on the {} test rows", c.split.test),
        },
        Block::Table(summary_table(c)),
        Block::Text(coverage_sentence(c)),
        Block::Heading {
            id: "per-class",
            title: "Per-class scores on the test rows (n/a: the class was never predicted)"
                .to_string(),
        },
        Block::Table(per_class_table(c)),
        Block::Heading {
            id: "confusion",
            title: "Confusion matrices on the test rows (rows: true class, columns: predicted \
                    class)"
                .to_string(),
        },
        Block::Chart(Chart::Confusion),
    ];
    for (name, scores) in model_rows(c) {
        blocks.push(Block::Caption(name));
        blocks.push(Block::Table(confusion_table(&c.classes, scores)));
    }
    blocks.extend(tree_blocks(c));
    blocks.extend(analysis_blocks(c));
    blocks
}

/// The widest lines of running text; narrower terminals get narrower lines.
const TEXT_WIDTH: usize = 100;

/// Renders blocks as terminal text; charts are left out. A blank line separates blocks,
/// except that a heading or caption sits directly above what it names.
pub fn render_text(blocks: &[Block]) -> String {
    // comfy-table reports the terminal's width when standard output is a terminal, and
    // nothing otherwise, so text written to a pipe or a file does not depend on a terminal.
    let width = Table::new().width().map_or(TEXT_WIDTH, |columns| {
        TEXT_WIDTH.min(usize::from(columns).max(20))
    });
    let mut out = String::new();
    let mut previous: Option<&Block> = None;
    for block in blocks {
        if let Block::Chart(_) = block {
            continue;
        }
        let attached = matches!(
            (previous, block),
            (None, _)
                | (Some(Block::Heading { .. } | Block::Caption(_)), _)
                | (Some(Block::Title(_)), Block::Text(_))
        );
        if !attached {
            out.push('\n');
        }
        match block {
            Block::Title(text)
            | Block::Caption(text)
            | Block::Heading { title: text, .. }
            | Block::Text(text) => out.push_str(&wrap(text, width)),
            Block::Table(table) => {
                out.push_str(&render_for_terminal(table));
                out.push('\n');
            }
            Block::Chart(_) => {}
        }
        previous = Some(block);
    }
    out
}

/// Breaks text into lines of at most `width` characters at spaces; a longer word keeps its
/// own line. Text between backticks (a quoted name or path) is never broken. Each line ends
/// with a newline.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_length = 0;
    for word in unbreakable_words(text) {
        let length = word.chars().count();
        if line_length > 0 && line_length + 1 + length > width {
            out.push('\n');
            line_length = 0;
        }
        if line_length > 0 {
            out.push(' ');
            line_length += 1;
        }
        out.push_str(&word);
        line_length += length;
    }
    out.push('\n');
    out
}

/// Splits text at white space, except inside a pair of backticks.
fn unbreakable_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut open = false;
    for word in text.split_whitespace() {
        match words.last_mut() {
            Some(last) if open => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
        if word.matches('`').count() % 2 == 1 {
            open = !open;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces() {
        assert_eq!(wrap("aa bb cc", 5), "aa bb\ncc\n");
        assert_eq!(wrap("abcdefgh ij", 4), "abcdefgh\nij\n");
    }

    #[test]
    fn wrap_keeps_quoted_names_whole() {
        assert_eq!(wrap("on `a + b` now", 5), "on\n`a + b`\nnow\n");
    }
}
