//! Charts: SVG drawn at build time, with no JavaScript.
//!
//! Every chart is an `<svg role="img">` labelled by its `<title>` and described by its `<desc>`
//! (a sentence that says what the chart shows), and carries its data as a [`DataTable`] that the
//! theme prints beside it. Text inside the SVG is escaped here, which is what lets templates
//! output [`Chart::svg`] unescaped.
//!
//! Geometry is computed in exact decimal arithmetic: a money value is scaled to pixels as
//! `value × width ÷ axis maximum` with `rust_decimal`, then rounded to a tenth of a pixel. No
//! figure passes through floating point, so the same content always draws the same bytes.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::aggregate::format;

mod narrow;

/// A chart and its data.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Unique on the page; prefixes the ids inside the SVG.
    pub id: String,
    pub title: String,
    /// The text alternative: what the chart shows, in a sentence or two.
    pub description: String,
    /// The `<svg>` element. Every piece of text in it is escaped.
    pub svg: String,
    /// The same chart drawn for a phone's width (labels above their bars), escaped likewise;
    /// the theme shows it in place of [`Chart::svg`] on a narrow screen.
    pub svg_narrow: String,
    pub table: DataTable,
}

/// A chart's data, as a table with a caption, column headers and one header cell per row.
#[derive(Debug, Clone, Serialize)]
pub struct DataTable {
    pub caption: String,
    /// Column headings; the first heads the row headers.
    pub headers: Vec<DataCell>,
    pub rows: Vec<DataRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DataRow {
    pub header: String,
    pub cells: Vec<DataCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DataCell {
    pub text: String,
    /// Right-aligned in tabular figures.
    pub numeric: bool,
}

impl Chart {
    /// A chart from its parts: the SVG of `height` around `body`, its narrow twin (`narrow`,
    /// a height and a body, ids prefixed `<id>-narrow`), and its data as a table under a
    /// caption that names the chart.
    fn assemble(
        id: &str,
        title: &str,
        description: String,
        (height, body): (i64, &str),
        narrow: (i64, String),
        headers: Vec<DataCell>,
        rows: Vec<DataRow>,
    ) -> Chart {
        let mut svg = open_svg(id, CHART_WIDTH, height, title, &description);
        svg.push_str(body);
        svg.push_str("</svg>");
        let mut svg_narrow = open_svg(
            &format!("{id}-narrow"),
            narrow::WIDTH,
            narrow.0,
            title,
            &description,
        )
        .replacen(
            "class=\"bp-chart__svg\"",
            "class=\"bp-chart__svg bp-chart__svg--narrow\"",
            1,
        );
        svg_narrow.push_str(&narrow.1);
        svg_narrow.push_str("</svg>");
        Chart {
            id: id.to_string(),
            title: title.to_string(),
            description,
            svg,
            svg_narrow,
            table: DataTable {
                caption: format!("Data for the chart: {title}"),
                headers,
                rows,
            },
        }
    }
}

fn num(text: String) -> DataCell {
    DataCell {
        text,
        numeric: true,
    }
}

fn word(text: &str) -> DataCell {
    DataCell {
        text: text.to_string(),
        numeric: false,
    }
}

/// Escape text for SVG (XML) content and attribute values.
pub fn esc(s: &str) -> String {
    super::escape_html(s)
}

/// A pixel coordinate: rounded half-up to a tenth, without trailing zeros.
fn px(d: Decimal) -> String {
    d.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

/// Scale `value` against `max` onto `length` pixels. `max` must be positive.
/// The lowest value of signed rows (at most zero), the highest (at least zero) and the span
/// between them: the axis both the wide and the narrow diverging bars draw zero inside. At least
/// one, so that a chart of zeros still scales.
fn signed_range(rows: &[SignedRow]) -> (Decimal, Decimal, Decimal) {
    let lo = (rows.iter().map(|r| r.value).min())
        .unwrap_or(Decimal::ZERO)
        .min(Decimal::ZERO);
    let hi = (rows.iter().map(|r| r.value).max())
        .unwrap_or(Decimal::ZERO)
        .max(Decimal::ZERO);
    (lo, hi, (hi - lo).max(Decimal::ONE))
}

fn scale(value: Decimal, max: Decimal, length: Decimal) -> Decimal {
    if max <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    value * length / max
}

/// Shorten a label to `max` characters, with an ellipsis. The full text is in the table.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// A step of 1, 2 or 5 times a power of ten that divides `0..=max` into at most `ticks` parts.
fn nice_step(max: Decimal, ticks: i64) -> Decimal {
    if max <= Decimal::ZERO {
        return Decimal::ONE;
    }
    let raw = max / dec(ticks);
    let mut magnitude = Decimal::ONE;
    while magnitude * dec(10) <= raw {
        magnitude *= dec(10);
    }
    while magnitude > raw && magnitude > Decimal::new(1, 6) {
        magnitude /= dec(10);
    }
    for m in [1, 2, 5, 10] {
        let step = magnitude * dec(m);
        if step >= raw {
            return step;
        }
    }
    magnitude * dec(10)
}

/// The axis maximum: `max` rounded up to a whole number of steps.
fn axis_max(max: Decimal, step: Decimal) -> Decimal {
    if step <= Decimal::ZERO {
        return max;
    }
    (max / step).ceil() * step
}

fn open_svg(id: &str, width: i64, height: i64, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bp-chart__svg\" role=\"img\" \
         aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" font-size=\"13\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(desc)
    )
}

const LABEL_WIDTH: i64 = 230;
const PLOT_WIDTH: i64 = 360;
const CHART_WIDTH: i64 = 720;
const LABEL_CHARS: usize = 34;

/// One programme's progress as a chart shows it, computed and as stated: a bar of
/// [`progress_bars`], or a period of a [`trend`].
#[derive(Debug, Clone)]
pub struct Progress {
    pub label: String,
    pub computed: Option<Decimal>,
    pub stated: Option<Decimal>,
}

/// Horizontal progress bars from 0 to 100%, one per row, with a tick where the stated figure
/// differs from the computed one.
pub fn progress_bars(id: &str, title: &str, rows: &[Progress]) -> Chart {
    let row_h = 30;
    let top = 24;
    let height = top + row_h * i64::try_from(rows.len()).unwrap_or(0) + 12;
    let hundred = dec(100);
    let plot = dec(PLOT_WIDTH);
    let x0 = dec(LABEL_WIDTH);
    let mut body = String::new();
    // Gridlines at 0, 25, 50, 75 and 100%.
    for p in [0, 25, 50, 75, 100] {
        let x = x0 + scale(dec(p), hundred, plot);
        body.push_str(&format!(
            "<line class=\"bp-chart__grid\" x1=\"{x}\" y1=\"{y1}\" x2=\"{x}\" y2=\"{y2}\" stroke=\"#b1b4b6\"/>\
             <text x=\"{x}\" y=\"14\" text-anchor=\"middle\" fill=\"currentColor\">{p}%</text>",
            x = px(x),
            y1 = top - 4,
            y2 = height - 8,
        ));
    }
    let mut described = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * i64::try_from(i).unwrap_or(0);
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"currentColor\">{}</text>",
            LABEL_WIDTH - 8,
            y + 17,
            esc(&clip(&r.label, LABEL_CHARS))
        ));
        let value = match r.computed {
            Some(v) => {
                let w = scale(v.clamp(Decimal::ZERO, hundred), hundred, plot);
                body.push_str(&format!(
                    "<rect class=\"bp-chart__bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"#1d70b8\"/>",
                    px(x0),
                    y + 5,
                    px(w)
                ));
                format::percent(v)
            }
            None => "no figure".to_string(),
        };
        let mut label = value.clone();
        if let Some(s) = r.stated
            && r.computed != Some(s)
        {
            let sx = x0 + scale(s.clamp(Decimal::ZERO, hundred), hundred, plot);
            body.push_str(&format!(
                "<line class=\"bp-chart__marker\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"3\"/>",
                y + 1,
                y + 25,
                x = px(sx)
            ));
            label = format!("{value} (stated {})", format::percent(s));
        }
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" fill=\"currentColor\">{}</text>",
            LABEL_WIDTH + PLOT_WIDTH + 8,
            y + 17,
            esc(&label)
        ));
        described.push(format!("{} {label}", r.label));
    }
    let description = if rows.is_empty() {
        "No figures to show.".to_string()
    } else {
        format!(
            "Bar chart of progress from 0 to 100%. A black line marks a stated figure that differs from the computed one. {}.",
            described.join("; ")
        )
    };
    let (headers, data) = progress_table("Name", rows);
    Chart::assemble(
        id,
        title,
        description,
        (height, &body),
        narrow::progress_bars(rows),
        headers,
        data,
    )
}

/// The data table of a progress chart, `first` heading the labels: computed and stated
/// progress, each as a percentage, or in words where there is none.
fn progress_table(first: &str, rows: &[Progress]) -> (Vec<DataCell>, Vec<DataRow>) {
    let cell =
        |v: Option<Decimal>, none: &str| v.map_or_else(|| word(none), |v| num(format::percent(v)));
    let headers = vec![
        word(first),
        num("Computed progress".into()),
        num("Stated progress".into()),
    ];
    let data = rows
        .iter()
        .map(|r| DataRow {
            header: r.label.clone(),
            cells: vec![cell(r.computed, "No figure"), cell(r.stated, "Not stated")],
        })
        .collect();
    (headers, data)
}

/// One row of a paired bar chart: two amounts of money.
#[derive(Debug, Clone)]
pub struct PairRow {
    pub label: String,
    pub first: Option<Decimal>,
    pub second: Option<Decimal>,
}

/// Two horizontal bars per row (for example planned and actual spend), on one money axis.
/// Negative amounts are drawn from zero as if positive and labelled in brackets.
pub fn paired_bars(id: &str, title: &str, names: [&str; 2], rows: &[PairRow]) -> Chart {
    let row_h = 44;
    let top = 46;
    let n = i64::try_from(rows.len()).unwrap_or(0);
    let height = top + row_h * n + 8;
    let max = rows
        .iter()
        .flat_map(|r| [r.first, r.second])
        .flatten()
        .map(|v| v.abs())
        .max()
        .unwrap_or(Decimal::ZERO);
    let step = nice_step(max, 4);
    let top_value = axis_max(max, step).max(Decimal::ONE);
    let plot = dec(PLOT_WIDTH);
    let x0 = dec(LABEL_WIDTH);
    let mut body = String::new();
    // Legend: the first series is outlined, the second solid, so they differ without colour.
    body.push_str(&format!(
        "<rect x=\"{LABEL_WIDTH}\" y=\"2\" width=\"14\" height=\"10\" fill=\"#ffffff\" stroke=\"#0b0c0c\"/>\
         <text x=\"{}\" y=\"11\" fill=\"currentColor\">{}</text>\
         <rect x=\"{}\" y=\"2\" width=\"14\" height=\"10\" fill=\"#1d70b8\"/>\
         <text x=\"{}\" y=\"11\" fill=\"currentColor\">{}</text>",
        LABEL_WIDTH + 20,
        esc(names[0]),
        LABEL_WIDTH + 180,
        LABEL_WIDTH + 200,
        esc(names[1]),
    ));
    let mut tick = Decimal::ZERO;
    while tick <= top_value {
        let x = x0 + scale(tick, top_value, plot);
        body.push_str(&format!(
            "<line class=\"bp-chart__grid\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#b1b4b6\"/>\
             <text x=\"{x}\" y=\"32\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
            top - 6,
            height - 4,
            format::money(tick),
            x = px(x),
        ));
        tick += step;
    }
    let mut described = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * i64::try_from(i).unwrap_or(0);
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"currentColor\">{}</text>",
            LABEL_WIDTH - 8,
            y + 22,
            esc(&clip(&r.label, LABEL_CHARS))
        ));
        for (k, v) in [r.first, r.second].into_iter().enumerate() {
            let by = y + 4 + 18 * i64::try_from(k).unwrap_or(0);
            let Some(v) = v else { continue };
            let w = scale(v.abs(), top_value, plot);
            let style = if k == 0 {
                "fill=\"#ffffff\" stroke=\"#0b0c0c\""
            } else {
                "fill=\"#1d70b8\""
            };
            body.push_str(&format!(
                "<rect class=\"bp-chart__bar bp-chart__bar--{}\" x=\"{}\" y=\"{by}\" width=\"{}\" height=\"14\" {style}/>\
                 <text x=\"{}\" y=\"{}\" fill=\"currentColor\">{}</text>",
                if k == 0 { "first" } else { "second" },
                px(x0),
                px(w),
                px(x0 + w + dec(6)),
                by + 11,
                format::money(v),
            ));
        }
        described.push(format!(
            "{}: {} {}, {} {}",
            r.label,
            names[0].to_lowercase(),
            r.first.map_or("none".into(), format::money),
            names[1].to_lowercase(),
            r.second.map_or("none".into(), format::money),
        ));
    }
    let description = if rows.is_empty() {
        "No figures to show.".to_string()
    } else {
        format!(
            "Bar chart comparing {} (outlined bars) with {} (solid bars). {}.",
            names[0].to_lowercase(),
            names[1].to_lowercase(),
            described.join("; ")
        )
    };
    let money_cell = |v: Option<Decimal>| v.map_or_else(|| word("None"), |v| num(format::money(v)));
    Chart::assemble(
        id,
        title,
        description,
        (height, &body),
        narrow::paired_bars(names, rows),
        vec![word("Name"), num(names[0].into()), num(names[1].into())],
        rows.iter()
            .map(|r| DataRow {
                header: r.label.clone(),
                cells: vec![money_cell(r.first), money_cell(r.second)],
            })
            .collect(),
    )
}

/// One bar of a diverging chart: an amount that may be negative.
#[derive(Debug, Clone)]
pub struct SignedRow {
    pub label: String,
    pub value: Decimal,
    /// Extra words for the table, such as the % variance.
    pub note: String,
}

/// Horizontal bars either side of zero: negatives to the left, positives to the right.
pub fn diverging_bars(
    id: &str,
    title: &str,
    value_name: &str,
    note_name: &str,
    rows: &[SignedRow],
) -> Chart {
    let row_h = 24;
    let top = 24;
    let n = i64::try_from(rows.len()).unwrap_or(0);
    let height = top + row_h * n + 8;
    let (lo, hi, span) = signed_range(rows);
    let plot = dec(PLOT_WIDTH);
    let x_left = dec(LABEL_WIDTH);
    let zero = x_left + scale(-lo, span, plot);
    let mut body = String::new();
    body.push_str(&format!(
        "<line class=\"bp-chart__axis\" x1=\"{z}\" y1=\"{}\" x2=\"{z}\" y2=\"{}\" stroke=\"#0b0c0c\"/>\
         <text x=\"{z}\" y=\"14\" text-anchor=\"middle\" fill=\"currentColor\">0</text>",
        top - 6,
        height - 4,
        z = px(zero)
    ));
    if lo < Decimal::ZERO {
        body.push_str(&format!(
            "<text x=\"{}\" y=\"14\" fill=\"currentColor\">{}</text>",
            LABEL_WIDTH,
            format::money(lo)
        ));
    }
    if hi > Decimal::ZERO {
        body.push_str(&format!(
            "<text x=\"{}\" y=\"14\" text-anchor=\"end\" fill=\"currentColor\">{}</text>",
            LABEL_WIDTH + PLOT_WIDTH,
            format::money(hi)
        ));
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * i64::try_from(i).unwrap_or(0);
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"currentColor\">{}</text>",
            LABEL_WIDTH - 8,
            y + 15,
            esc(&clip(&r.label, LABEL_CHARS))
        ));
        let w = scale(r.value.abs(), span, plot);
        let (x, class, style) = if r.value < Decimal::ZERO {
            (zero - w, "negative", "fill=\"#ffffff\" stroke=\"#0b0c0c\"")
        } else {
            (zero, "positive", "fill=\"#1d70b8\"")
        };
        body.push_str(&format!(
            "<rect class=\"bp-chart__bar bp-chart__bar--{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" {style}/>\
             <text x=\"{}\" y=\"{}\" fill=\"currentColor\">{}</text>",
            px(x),
            y + 4,
            px(w),
            LABEL_WIDTH + PLOT_WIDTH + 8,
            y + 15,
            esc(&format::money(r.value)),
        ));
    }
    let neg: Vec<&str> = rows
        .iter()
        .filter(|r| r.value < Decimal::ZERO)
        .map(|r| r.label.as_str())
        .collect();
    let pos: Vec<&str> = rows
        .iter()
        .filter(|r| r.value > Decimal::ZERO)
        .map(|r| r.label.as_str())
        .collect();
    let largest = rows.iter().max_by(|a, b| {
        a.value
            .abs()
            .cmp(&b.value.abs())
            .then_with(|| b.label.cmp(&a.label))
    });
    let mut description = format!(
        "Bar chart of {} for {} lines: bars left of zero are negative (outlined), bars right of zero positive (solid). {} negative, {} positive.",
        value_name.to_lowercase(),
        rows.len(),
        neg.len(),
        pos.len()
    );
    if let Some(l) = largest.filter(|l| !l.value.is_zero()) {
        description.push_str(&format!(
            " The largest is {} at {}.",
            l.label,
            format::money(l.value)
        ));
    }
    Chart::assemble(
        id,
        title,
        description,
        (height, &body),
        narrow::diverging_bars(rows),
        vec![word("Name"), num(value_name.into()), num(note_name.into())],
        rows.iter()
            .map(|r| DataRow {
                header: r.label.clone(),
                cells: vec![num(format::money(r.value)), num(r.note.clone())],
            })
            .collect(),
    )
}

/// Progress across periods, 0 to 100%: computed as a solid line with circles, stated as a
/// dashed line with squares.
pub fn trend(id: &str, title: &str, points: &[Progress]) -> Chart {
    let (left, right, top, bottom) = (56, 700, 28, 228);
    let height = bottom + 36;
    let plot_h = dec(bottom - top);
    let hundred = dec(100);
    let n = i64::try_from(points.len()).unwrap_or(0);
    let x_of = |i: usize| -> Decimal {
        let i = dec(i64::try_from(i).unwrap_or(0));
        if n <= 1 {
            dec(left + right) / dec(2)
        } else {
            dec(left + 40) + i * dec(right - left - 80) / dec(n - 1)
        }
    };
    let y_of = |v: Decimal| dec(bottom) - scale(v.clamp(Decimal::ZERO, hundred), hundred, plot_h);
    let mut body = String::new();
    body.push_str(&format!(
        "<line x1=\"{left}\" y1=\"12\" x2=\"76\" y2=\"12\" stroke=\"#1d70b8\" stroke-width=\"3\"/>\
         <circle cx=\"66\" cy=\"12\" r=\"4\" fill=\"#1d70b8\"/>\
         <text x=\"82\" y=\"16\" fill=\"currentColor\">Computed</text>\
         <line x1=\"180\" y1=\"12\" x2=\"200\" y2=\"12\" stroke=\"#0b0c0c\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>\
         <rect x=\"186\" y=\"8\" width=\"8\" height=\"8\" fill=\"#0b0c0c\"/>\
         <text x=\"206\" y=\"16\" fill=\"currentColor\">Stated</text>"
    ));
    for p in [0, 25, 50, 75, 100] {
        let y = y_of(dec(p));
        body.push_str(&format!(
            "<line class=\"bp-chart__grid\" x1=\"{left}\" y1=\"{y}\" x2=\"{right}\" y2=\"{y}\" stroke=\"#b1b4b6\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"currentColor\">{p}%</text>",
            left - 6,
            px(y + dec(4)),
            y = px(y),
        ));
    }
    for (i, p) in points.iter().enumerate() {
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
            px(x_of(i)),
            bottom + 20,
            esc(&p.label)
        ));
    }
    type Get = fn(&Progress) -> Option<Decimal>;
    let series: [(Get, &str, bool); 2] = [
        (
            |p| p.stated,
            "stroke=\"#0b0c0c\" stroke-width=\"2\" stroke-dasharray=\"5 3\"",
            false,
        ),
        (
            |p| p.computed,
            "stroke=\"#1d70b8\" stroke-width=\"3\"",
            true,
        ),
    ];
    for (get, stroke, computed) in series {
        let pts: Vec<(Decimal, Decimal, Decimal)> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| get(p).map(|v| (x_of(i), y_of(v), v)))
            .collect();
        if pts.len() > 1 {
            let coords: Vec<String> = pts
                .iter()
                .map(|(x, y, _)| format!("{},{}", px(*x), px(*y)))
                .collect();
            body.push_str(&format!(
                "<polyline fill=\"none\" {stroke} points=\"{}\"/>",
                coords.join(" ")
            ));
        }
        for (x, y, v) in &pts {
            if computed {
                body.push_str(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#1d70b8\"/>\
                     <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
                    px(*x),
                    px(*y),
                    px(*x),
                    px(*y - dec(10)),
                    format::percent(*v)
                ));
            } else {
                body.push_str(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"#0b0c0c\"/>",
                    px(*x - dec(4)),
                    px(*y - dec(4)),
                ));
            }
        }
    }
    let described: Vec<String> = points
        .iter()
        .map(|p| {
            let c = p.computed.map_or("no figure".into(), format::percent);
            match p.stated {
                Some(s) if Some(s) != p.computed => {
                    format!("{} {c} (stated {})", p.label, format::percent(s))
                }
                _ => format!("{} {c}", p.label),
            }
        })
        .collect();
    let description = if points.is_empty() {
        "No reports yet.".to_string()
    } else {
        format!(
            "Line chart of computed progress (solid line) and stated progress (dashed line) by period, from 0 to 100%. {}.",
            described.join("; ")
        )
    };
    let (headers, data) = progress_table("Period", points);
    Chart::assemble(
        id,
        title,
        description,
        (height, &body),
        narrow::trend(points),
        headers,
        data,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn steps_are_one_two_or_five() {
        assert_eq!(nice_step(d("1018037"), 4), d("500000"));
        assert_eq!(nice_step(d("100"), 4), d("50"));
        assert_eq!(nice_step(d("7"), 4), d("2"));
        assert_eq!(axis_max(d("1018037"), d("500000")), d("1500000"));
        assert_eq!(nice_step(Decimal::ZERO, 4), Decimal::ONE);
    }

    #[test]
    fn pixels_come_from_exact_decimals() {
        // 974,280 of 1,500,000 on 360 pixels: 233.8272, drawn at 233.8.
        assert_eq!(px(scale(d("974280"), d("1500000"), dec(360))), "233.8");
        assert_eq!(px(d("120.00")), "120");
        assert_eq!(px(d("0.05")), "0.1");
    }

    #[test]
    fn text_in_the_svg_is_escaped() {
        let c = progress_bars(
            "c",
            "<Progress> & \"more\"",
            &[Progress {
                label: "<script>alert(1)</script>".into(),
                computed: Some(d("56")),
                stated: Some(d("50")),
            }],
        );
        assert!(!c.svg.contains("<script>"), "{}", c.svg);
        assert!(c.svg.contains("&lt;script&gt;"));
        assert!(
            c.svg
                .contains("<title id=\"c-title\">&lt;Progress&gt; &amp; &quot;more&quot;</title>")
        );
        assert!(c.svg.contains("56% (stated 50%)"));
        assert_eq!(c.table.rows[0].cells[0].text, "56%");
        assert_eq!(c.table.rows[0].cells[1].text, "50%");
    }

    #[test]
    fn the_narrow_chart_is_320_units_wide_with_its_own_ids() {
        let rows = [Progress {
            label: "A programme whose name is far longer than a phone's line can hold".into(),
            computed: Some(d("56")),
            stated: Some(d("50")),
        }];
        let c = progress_bars("c", "Progress", &rows);
        assert!(
            c.svg_narrow.contains("viewBox=\"0 0 320 70\""),
            "{}",
            c.svg_narrow
        );
        assert!(
            c.svg_narrow
                .contains("class=\"bp-chart__svg bp-chart__svg--narrow\"")
        );
        assert!(c.svg_narrow.contains("aria-labelledby=\"c-narrow-title\""));
        // The label on its own line, shortened; the figure after the bar, as wide.
        assert!(
            c.svg_narrow
                .contains(">A programme whose name is far longer than a…</text>")
        );
        assert!(
            c.svg_narrow
                .contains("<text x=\"186\" y=\"55\" fill=\"currentColor\">56% (stated 50%)</text>")
        );
        // 56% of the 180-unit plot, and the stated 50% marker at 90.
        assert!(c.svg_narrow.contains("width=\"100.8\""), "{}", c.svg_narrow);
        assert!(
            c.svg_narrow.contains("x1=\"90\" y1=\"39\""),
            "{}",
            c.svg_narrow
        );
        // Every x the narrow chart writes text at is on its canvas.
        for part in c.svg_narrow.split("<text x=\"").skip(1) {
            let x: Decimal = part.split('"').next().unwrap().parse().unwrap();
            assert!(x >= Decimal::ZERO && x <= dec(narrow::WIDTH), "{part}");
        }
    }

    #[test]
    fn a_narrow_trend_labels_only_the_periods_it_has_room_for() {
        let points: Vec<Progress> = (1..=8)
            .map(|q| Progress {
                label: format!("P{q}"),
                computed: Some(dec(q * 10)),
                stated: None,
            })
            .collect();
        let c = trend("t", "Trend", &points);
        // 220 units of axis hold a label every 80: every fourth period (P1, P5) and the last.
        let labelled: Vec<&str> = ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"]
            .into_iter()
            .filter(|p| c.svg_narrow.contains(&format!(">{p}</text>")))
            .collect();
        assert_eq!(labelled, ["P1", "P5", "P8"]);
        // Every point is still drawn, and the wide chart labels them all.
        assert_eq!(c.svg_narrow.matches("<circle cx=").count(), 8 + 1);
        assert!(c.svg.contains(">P2</text>"));
    }

    #[test]
    fn diverging_bars_sit_either_side_of_zero() {
        let c = diverging_bars(
            "v",
            "Variance",
            "Variance",
            "% variance",
            &[
                SignedRow {
                    label: "Under".into(),
                    value: d("-300"),
                    note: "(3%)".into(),
                },
                SignedRow {
                    label: "Over".into(),
                    value: d("100"),
                    note: "1%".into(),
                },
            ],
        );
        // Zero sits three quarters of the way along: 230 + 270.
        assert!(c.svg.contains("x1=\"500\""), "{}", c.svg);
        assert!(
            c.svg.contains("x=\"230\" y=\"28\" width=\"270\""),
            "{}",
            c.svg
        );
        assert!(
            c.svg.contains("x=\"500\" y=\"52\" width=\"90\""),
            "{}",
            c.svg
        );
        assert!(c.description.contains("The largest is Under at (300)."));
    }
}
