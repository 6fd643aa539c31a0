//! The report as one self-contained HTML page: the tables of every section, with inline SVG
//! charts, and nothing that loads from elsewhere (no scripts, fonts, images or links out).
//!
//! The page is also well-formed XML (every element closed, only XML's five entities), so a
//! strict parser can check it.

use comfy_table::Table;

use super::blocks::{report_blocks, Block, Chart};
use super::markdown::looks_numeric;
use super::svg::{
    confusion_heat_maps, difference_intervals, escape, learning_curve_chart, rule_bars,
    tuning_curve,
};
use crate::compare::Comparison;

const STYLE: &str = "
body { font-family: system-ui, sans-serif; color: #222; margin: 24px auto; max-width: 1180px;
  padding: 0 16px; line-height: 1.45; }
h1 { font-size: 1.45em; margin-bottom: 4px; }
h2 { font-size: 1.15em; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
nav a { margin-right: 14px; color: #2a5d9f; text-decoration: none; }
table { border-collapse: collapse; margin: 10px 0 14px; font-size: 0.9em; }
th, td { border: 1px solid #d6d6d6; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f1f4f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
div.wide { overflow-x: auto; }
code { font-size: 0.95em; background: #f3f3f3; padding: 0 3px; border-radius: 3px; }
p.caption { font-weight: 600; margin: 12px 0 0; }
p.note { color: #444; max-width: 980px; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; margin: 8px 0; }
svg.chart { font: 12px system-ui, sans-serif; background: #fff; }
footer { margin-top: 40px; color: #777; font-size: 0.85em; }
";

/// Renders the comparison as a complete HTML document.
pub fn render_html(c: &Comparison) -> String {
    let blocks = report_blocks(c);
    let mut body = String::new();
    let mut nav = String::new();
    let mut title = String::from("rulebench report");
    let mut in_section = false;
    for block in &blocks {
        match block {
            Block::Title(text) => {
                title = text.clone();
                body.push_str(&format!("<h1>{}</h1>\n", rich_text(text)));
            }
            Block::Heading { id, title } => {
                if in_section {
                    body.push_str("</section>\n");
                }
                in_section = true;
                body.push_str(&format!(
                    "<section id=\"{id}\">\n<h2>{}</h2>\n",
                    rich_text(title)
                ));
                nav.push_str(&format!(
                    "<a href=\"#{id}\">{}</a>",
                    escape(nav_label(id, title))
                ));
            }
            Block::Text(text) => {
                body.push_str(&format!("<p class=\"note\">{}</p>\n", rich_text(text)))
            }
            Block::Caption(text) => {
                body.push_str(&format!("<p class=\"caption\">{}</p>\n", rich_text(text)))
            }
            Block::Table(table) => body.push_str(&html_table(table)),
            Block::Chart(chart) => {
                body.push_str("<div class=\"charts\">");
                body.push_str(&render_chart(c, *chart));
                body.push_str("</div>\n");
            }
        }
    }
    if in_section {
        body.push_str("</section>\n");
    }
    // The title and the run line come before the navigation bar.
    let split_at = body.find("<section").unwrap_or(body.len());
    let (header, rest) = body.split_at(split_at);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{header}<nav>{nav}</nav>\n{rest}\
         <footer>Written by rulebench {}. The page is self-contained: it loads nothing from \
         the network.</footer>\n</body>\n</html>\n",
        // The window title cannot show code, so the quoting backticks are left out there.
        escape(&title.replace('`', "")),
        env!("CARGO_PKG_VERSION")
    )
}

/// Returns a short name of a section for the navigation bar.
fn nav_label<'a>(id: &str, title: &'a str) -> &'a str {
    match id {
        "scores" => "Scores",
        "per-class" => "Per class",
        "confusion" => "Confusion matrices",
        "tree-settings" => "Tree settings",
        "overfitting" => "Overfitting",
        "learning-curve" => "Learning curve",
        "importance" => "Importance",
        "row-use" => "Rows used",
        "paired" => "Rules vs tree",
        "rule-evidence" => "Per rule",
        "rule-matrix" => "Rule overlaps",
        "disagreements" => "Disagreements",
        _ => title.split(" (").next().unwrap_or(title).trim(),
    }
}

/// Escapes text and shows the parts between backticks, the names the report quotes, as code.
fn rich_text(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let mut out = String::new();
    for (index, part) in parts.iter().enumerate() {
        // Odd parts follow an opening backtick. When the count of parts is even, the last one
        // has no closing backtick, so its backtick is shown as it is.
        let inside = index % 2 == 1;
        if inside && index + 1 < parts.len() {
            out.push_str(&format!("<code>{}</code>", escape(part)));
        } else {
            if inside {
                out.push('`');
            }
            out.push_str(&escape(part));
        }
    }
    out
}

/// Renders a table cell: quoted names as code, as in running text, and each line of a cell
/// that contains several (such as the uses of a part of the rows) on a line of its own.
fn cell_html(content: &str) -> String {
    content
        .split('\n')
        .map(rich_text)
        .collect::<Vec<_>>()
        .join("<br/>")
}

fn render_chart(c: &Comparison, chart: Chart) -> String {
    match chart {
        Chart::Confusion => confusion_heat_maps(c),
        Chart::Differences => {
            difference_intervals(&[&c.paired.rules_vs_tree, &c.paired.hybrid_vs_tree])
        }
        Chart::RuleEvidence => rule_bars(c),
        Chart::Tuning => tuning_curve(c),
        Chart::LearningCurve => learning_curve_chart(c),
    }
}

fn html_table(table: &Table) -> String {
    let mut out = String::from("<div class=\"wide\"><table>\n");
    if let Some(header) = table.header() {
        out.push_str("<thead><tr>");
        for cell in header.cell_iter() {
            out.push_str(&format!("<th>{}</th>", cell_html(&cell.content())));
        }
        out.push_str("</tr></thead>\n");
    }
    out.push_str("<tbody>\n");
    for row in table.row_iter() {
        out.push_str("<tr>");
        for cell in row.cell_iter() {
            let content = cell.content();
            let class = if looks_numeric(&content) {
                " class=\"num\""
            } else {
                ""
            };
            out.push_str(&format!("<td{class}>{}</td>", cell_html(&content)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rich_text_marks_quoted_names_as_code() {
        assert_eq!(
            rich_text("class `a<b` wins"),
            "class <code>a&lt;b</code> wins"
        );
        assert_eq!(rich_text("one ` alone"), "one ` alone");
    }

    #[test]
    fn cells_show_code_and_line_breaks() {
        assert_eq!(
            cell_html("baseline (always `no`)"),
            "baseline (always <code>no</code>)"
        );
        assert_eq!(
            cell_html("fit the tree\nthe baseline's class"),
            "fit the tree<br/>the baseline&#39;s class"
        );
    }
}
