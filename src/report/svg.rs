//! Inline SVG charts for the HTML report. Each chart is a complete `<svg>` element without
//! external references, sized in CSS pixels, with a `<title>` for screen readers.

use std::fmt::Write;

use crate::compare::analysis::PairedComparison;
use crate::compare::Comparison;

/// Colours of the two series a chart compares (training and test, or two models).
const FIRST_COLOUR: &str = "#4c78a8";
const SECOND_COLOUR: &str = "#f58518";
const AXIS_COLOUR: &str = "#888888";
/// The maximum length of a label drawn in full. A longer one is cut with an ellipsis and kept
/// whole in a tooltip.
const LABEL_CHARS: usize = 18;

/// Escapes text for HTML and SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// An SVG element under construction.
struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    fn new(width: f64, height: f64, title: &str) -> Svg {
        let mut svg = Svg {
            width,
            height,
            body: String::new(),
        };
        let _ = write!(svg.body, "<title>{}</title>", escape(title));
        svg
    }

    fn rect(&mut self, x: f64, y: f64, width: f64, height: f64, fill: &str) {
        let _ = write!(
            self.body,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{fill}"/>"#,
            width.max(0.0),
            height.max(0.0)
        );
    }

    fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str, width: f64) {
        let _ = write!(
            self.body,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{stroke}" stroke-width="{width}"/>"#
        );
    }

    fn circle(&mut self, x: f64, y: f64, radius: f64, fill: &str) {
        let _ = write!(
            self.body,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{radius}" fill="{fill}"/>"#
        );
    }

    /// Text anchored at `anchor` ("start", "middle" or "end").
    fn text(&mut self, x: f64, y: f64, anchor: &str, text: &str, fill: &str) {
        let _ = write!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" fill="{fill}">{}</text>"#,
            escape(text)
        );
    }

    /// Draws a name from the data (a class or a rule), shortened when long and kept whole in a
    /// tooltip.
    fn label(&mut self, x: f64, y: f64, anchor: &str, text: &str, fill: &str) {
        let shown = shorten(text);
        let tooltip = if shown == text {
            String::new()
        } else {
            format!("<title>{}</title>", escape(text))
        };
        let _ = write!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" fill="{fill}">{tooltip}{}</text>"#,
            escape(&shown)
        );
    }

    fn polyline(&mut self, points: &[(f64, f64)], stroke: &str) {
        let points: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            self.body,
            r#"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="2"/>"#,
            points.join(" ")
        );
    }

    fn legend(&mut self, x: f64, y: f64, entries: &[(&str, &str)]) {
        let mut left = x;
        for (label, colour) in entries {
            self.rect(left, y - 9.0, 10.0, 10.0, colour);
            self.text(left + 14.0, y, "start", label, "#333333");
            left += 24.0 + 7.0 * label.chars().count() as f64;
        }
    }

    fn finish(self) -> String {
        format!(
            r#"<svg class="chart" role="img" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}">{}</svg>"#,
            self.body,
            w = self.width,
            h = self.height
        )
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= LABEL_CHARS {
        text.to_string()
    } else {
        let cut: String = text.chars().take(LABEL_CHARS - 1).collect();
        format!("{cut}…")
    }
}

/// Draws one heat map per model. A cell's shade is the share of the true class's rows that got
/// that prediction, and the cell shows the count.
pub fn confusion_heat_maps(c: &Comparison) -> String {
    let models = [
        ("rules", &c.models.rules),
        ("tree", &c.models.tree),
        ("baseline", &c.models.baseline),
        ("hybrid", &c.models.hybrid),
    ];
    let mut out = String::new();
    for (name, scores) in models {
        let abstained = scores.confusion.abstained() > 0;
        let mut columns: Vec<String> = c.classes.clone();
        if abstained {
            columns.push("(no class)".to_string());
        }
        let cell = 44.0;
        let left = 130.0;
        let top = 40.0;
        let width = left + cell * columns.len() as f64 + 10.0;
        let height = top + cell * c.classes.len() as f64 + 30.0;
        let mut svg = Svg::new(width, height, &format!("confusion matrix of the {name}"));
        svg.text(left, 14.0, "start", name, "#222222");
        for (j, column) in columns.iter().enumerate() {
            let x = left + cell * (j as f64 + 0.5);
            svg.label(x, top - 6.0, "middle", column, "#555555");
        }
        for (i, class) in c.classes.iter().enumerate() {
            let y = top + cell * i as f64;
            svg.label(left - 6.0, y + cell / 2.0 + 4.0, "end", class, "#555555");
            let row = &scores.confusion.counts[i];
            let support: u64 = row.iter().sum();
            for (j, &count) in row.iter().enumerate().take(columns.len()) {
                let share = if support == 0 {
                    0.0
                } else {
                    count as f64 / support as f64
                };
                let x = left + cell * j as f64;
                svg.rect(x, y, cell - 2.0, cell - 2.0, &blue_shade(share));
                let ink = if share > 0.5 { "#ffffff" } else { "#222222" };
                svg.text(
                    x + cell / 2.0 - 1.0,
                    y + cell / 2.0 + 4.0,
                    "middle",
                    &count.to_string(),
                    ink,
                );
            }
        }
        svg.text(left, height - 8.0, "start", "rows: true class", "#777777");
        out.push_str(&svg.finish());
    }
    out
}

/// Mixes a shade from white (0) to dark blue (1).
fn blue_shade(share: f64) -> String {
    let share = share.clamp(0.0, 1.0);
    let channel = |light: f64, dark: f64| (light + (dark - light) * share).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        channel(247.0, 8.0),
        channel(251.0, 48.0),
        channel(255.0, 107.0)
    )
}

/// Draws the bootstrap interval of each paired difference, with zero marked.
pub fn difference_intervals(pairs: &[&PairedComparison]) -> String {
    let mut rows = Vec::new();
    for pair in pairs {
        let label = format!("{} − {}", pair.first, pair.second);
        rows.push((format!("{label}: accuracy"), pair.difference.accuracy));
        rows.push((format!("{label}: macro F1"), pair.difference.macro_f1));
    }
    let reach = rows
        .iter()
        .map(|(_, i)| i.low.abs().max(i.high.abs()))
        .fold(0.05, f64::max);
    let reach = (reach * 20.0).ceil() / 20.0;
    let (left, plot, row_height, top) = (190.0, 360.0, 26.0, 20.0);
    let height = top + row_height * rows.len() as f64 + 30.0;
    let mut svg = Svg::new(
        left + plot + 40.0,
        height,
        "bootstrap intervals of the differences",
    );
    let x_of = |value: f64| left + plot * (value + reach) / (2.0 * reach);
    let bottom = top + row_height * rows.len() as f64;
    svg.line(
        (x_of(0.0), top - 6.0),
        (x_of(0.0), bottom),
        AXIS_COLOUR,
        1.0,
    );
    for (index, (label, interval)) in rows.iter().enumerate() {
        let y = top + row_height * (index as f64 + 0.5);
        svg.text(left - 8.0, y + 4.0, "end", label, "#333333");
        let colour = if index % 2 == 0 {
            FIRST_COLOUR
        } else {
            SECOND_COLOUR
        };
        svg.line(
            (x_of(interval.low), y),
            (x_of(interval.high), y),
            colour,
            3.0,
        );
        svg.circle(x_of(interval.estimate), y, 5.0, colour);
    }
    for tick in [-reach, 0.0, reach] {
        svg.text(
            x_of(tick),
            bottom + 18.0,
            "middle",
            &format!("{:+.0} pts", tick * 100.0),
            "#555555",
        );
    }
    svg.finish()
}

/// Draws two bar panels: the coverage and the precision of each rule on training and test rows.
pub fn rule_bars(c: &Comparison) -> String {
    let rules = &c.rule_evidence.rules;
    let (left, panel, gap, bar, top) = (150.0, 260.0, 40.0, 9.0, 40.0);
    let group = 2.0 * bar + 8.0;
    let height = top + group * rules.len() as f64 + 24.0;
    let width = left + 2.0 * panel + gap + 40.0;
    let mut svg = Svg::new(width, height, "coverage and precision of each rule");
    svg.legend(
        left,
        12.0,
        &[
            ("training rows", FIRST_COLOUR),
            ("test rows", SECOND_COLOUR),
        ],
    );
    let panels = [
        ("coverage: share of rows where it fires", 0.0),
        ("precision (n/a: never fires)", panel + gap),
    ];
    for (title, offset) in panels {
        svg.text(left + offset, top - 6.0, "start", title, "#333333");
        let x = left + offset;
        svg.line(
            (x, top),
            (x, top + group * rules.len() as f64),
            AXIS_COLOUR,
            1.0,
        );
    }
    for (index, rule) in rules.iter().enumerate() {
        let y = top + group * index as f64;
        svg.label(left - 8.0, y + bar + 4.0, "end", &rule.rule, "#333333");
        for (series, (stats, colour)) in [(&rule.train, FIRST_COLOUR), (&rule.test, SECOND_COLOUR)]
            .into_iter()
            .enumerate()
        {
            let bar_y = y + bar * series as f64;
            svg.rect(left, bar_y, panel * stats.coverage, bar - 1.0, colour);
            let precision_x = left + panel + gap;
            match stats.precision {
                Some(precision) => {
                    svg.rect(precision_x, bar_y, panel * precision, bar - 1.0, colour)
                }
                None => svg.text(
                    precision_x + 4.0,
                    bar_y + bar - 1.0,
                    "start",
                    "n/a",
                    "#777777",
                ),
            }
        }
    }
    let axis_y = top + group * rules.len() as f64 + 16.0;
    for offset in [0.0, panel + gap] {
        svg.text(left + offset, axis_y, "start", "0", "#555555");
        svg.text(
            left + offset + panel,
            axis_y,
            "end",
            if offset == 0.0 { "100 %" } else { "1" },
            "#555555",
        );
    }
    svg.finish()
}

/// Draws the training and validation accuracy for each depth tried, the chosen depth marked.
pub fn tuning_curve(c: &Comparison) -> String {
    let trials = &c.tree.tuning;
    let labels: Vec<String> = trials
        .iter()
        .map(|t| t.max_depth.map_or("none".to_string(), |d| d.to_string()))
        .collect();
    let train: Vec<f64> = trials.iter().map(|t| t.train_accuracy).collect();
    let validation: Vec<f64> = trials.iter().map(|t| t.validation_accuracy).collect();
    line_chart(&LineChart {
        title: "accuracy per tree depth tried",
        x_title: "max depth (* chosen)",
        x_labels: &labels,
        series: &[
            ("training accuracy", FIRST_COLOUR, &train),
            ("validation accuracy", SECOND_COLOUR, &validation),
        ],
        marked: trials.iter().position(|t| t.max_depth == c.tree.max_depth),
    })
}

/// Tree and rules scored at growing shares of the training rows.
pub fn learning_curve_chart(c: &Comparison) -> String {
    let curve = &c.run.learning_curve;
    let labels: Vec<String> = curve
        .points
        .iter()
        .map(|p| format!("{} %", p.percent))
        .collect();
    let tree: Vec<f64> = curve.points.iter().map(|p| p.tree_score).collect();
    let rules: Vec<f64> = curve.points.iter().map(|p| p.rules_score).collect();
    let title = format!(
        "validation {} by share of the training rows",
        curve.metric.label()
    );
    line_chart(&LineChart {
        title: &title,
        x_title: "share of the training rows",
        x_labels: &labels,
        series: &[
            ("tree", FIRST_COLOUR, &tree),
            ("rules", SECOND_COLOUR, &rules),
        ],
        marked: None,
    })
}

/// A line chart of scores between 0 and 1 over named steps, such as depths tried or shares of
/// the training rows.
pub struct LineChart<'a> {
    pub title: &'a str,
    pub x_title: &'a str,
    pub x_labels: &'a [String],
    /// Name, colour and one value per step.
    pub series: &'a [(&'a str, &'a str, &'a [f64])],
    /// A step to mark with a vertical line and a `*` after its label.
    pub marked: Option<usize>,
}

/// Draws a line chart whose value axis runs from a tenth below the lowest value to 1.
pub fn line_chart(chart: &LineChart) -> String {
    let steps = chart.x_labels.len();
    let (left, plot_width, plot_height, top) = (50.0, 420.0, 180.0, 30.0);
    let mut svg = Svg::new(
        left + plot_width + 30.0,
        top + plot_height + 50.0,
        chart.title,
    );
    let legend: Vec<(&str, &str)> = chart
        .series
        .iter()
        .map(|(name, colour, _)| (*name, *colour))
        .collect();
    svg.legend(left, 14.0, &legend);
    if steps == 0 {
        return svg.finish();
    }

    let lowest = chart
        .series
        .iter()
        .flat_map(|(_, _, values)| values.iter().copied())
        .fold(1.0, f64::min);
    let floor = ((lowest * 10.0).floor() / 10.0).clamp(0.0, 0.9);
    let x_of = |index: usize| {
        if steps == 1 {
            left + plot_width / 2.0
        } else {
            left + plot_width * index as f64 / (steps - 1) as f64
        }
    };
    let y_of = |value: f64| top + plot_height * (1.0 - (value - floor) / (1.0 - floor));
    let bottom = top + plot_height;
    svg.line((left, top), (left, bottom), AXIS_COLOUR, 1.0);
    svg.line(
        (left, bottom),
        (left + plot_width, bottom),
        AXIS_COLOUR,
        1.0,
    );
    for value in [floor, (floor + 1.0) / 2.0, 1.0] {
        let label = format!("{value:.2}");
        svg.text(left - 6.0, y_of(value) + 4.0, "end", &label, "#555555");
    }

    for (_, colour, values) in chart.series {
        let points: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .map(|(i, &value)| (x_of(i), y_of(value)))
            .collect();
        svg.polyline(&points, colour);
        for (x, y) in points {
            svg.circle(x, y, 3.0, colour);
        }
    }
    for (i, label) in chart.x_labels.iter().enumerate() {
        let label = if chart.marked == Some(i) {
            svg.line((x_of(i), top), (x_of(i), bottom), "#bbbbbb", 1.0);
            format!("{label}*")
        } else {
            label.clone()
        };
        svg.text(x_of(i), bottom + 16.0, "middle", &label, "#555555");
    }
    let middle = left + plot_width / 2.0;
    svg.text(middle, bottom + 36.0, "middle", chart.x_title, "#555555");
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_characters() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn long_labels_are_shortened() {
        assert_eq!(shorten("short"), "short");
        assert_eq!(
            shorten("a_very_long_rule_name_indeed").chars().count(),
            LABEL_CHARS
        );
    }

    #[test]
    fn line_chart_draws_each_series_and_marks_a_step() {
        let labels = vec!["10 %".to_string(), "100 %".to_string()];
        let chart = line_chart(&LineChart {
            title: "t",
            x_title: "share of training rows",
            x_labels: &labels,
            series: &[
                ("rules", FIRST_COLOUR, &[0.7, 0.72]),
                ("tree", SECOND_COLOUR, &[0.6, 0.8]),
            ],
            marked: Some(1),
        });
        assert_eq!(chart.matches("<polyline").count(), 2);
        assert_eq!(chart.matches("<circle").count(), 4);
        assert!(chart.contains(">100 %*</text>"));
    }

    #[test]
    fn shades_run_from_white_to_blue() {
        assert_eq!(blue_shade(0.0), "#f7fbff");
        assert_eq!(blue_shade(1.0), "#08306b");
    }
}
