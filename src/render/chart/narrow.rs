//! Charts drawn again for a phone: each row's label on a line of its own above its bars, on a
//! canvas 320 units wide, so that at a phone's width the text is drawn at least as large as the
//! page's small print rather than scaled down to half of it with the 720-unit chart.
//!
//! The figures are those of the wide chart and are computed the same way, in exact decimals;
//! only the geometry differs. The theme shows one chart or the other, never both.

use rust_decimal::Decimal;

use super::{
    PairRow, Progress, SignedRow, axis_max, clip, dec, esc, nice_step, px, scale, signed_range,
};
use crate::aggregate::format;

/// The canvas's width, in the same units as its 13-unit text.
pub(super) const WIDTH: i64 = 320;
/// How far bars reach: the rest of the width is for the figure after the bar.
const PLOT: i64 = 180;
/// Characters of a label on its own line (the full text is in the data table).
const LABEL_CHARS: usize = 44;

fn label(body: &mut String, y: i64, text: &str) {
    body.push_str(&format!(
        "<text x=\"0\" y=\"{}\" fill=\"currentColor\">{}</text>",
        y + 14,
        esc(&clip(text, LABEL_CHARS))
    ));
}

/// An axis label at `x`: the first starts at the left edge, so that it is not cut off there.
fn tick(body: &mut String, x: Decimal, y: i64, first: bool, text: &str) {
    body.push_str(&format!(
        "<text x=\"{}\" y=\"{y}\" text-anchor=\"{}\" fill=\"currentColor\">{}</text>",
        px(x),
        if first { "start" } else { "middle" },
        esc(text)
    ));
}

/// [`super::progress_bars`] for a phone: returns the height and the body.
pub(super) fn progress_bars(rows: &[Progress]) -> (i64, String) {
    let (top, row_h) = (22, 44);
    let height = top + row_h * i64::try_from(rows.len()).unwrap_or(0) + 4;
    let (hundred, plot) = (dec(100), dec(PLOT));
    let mut body = String::new();
    for p in [0, 50, 100] {
        let x = scale(dec(p), hundred, plot);
        body.push_str(&format!(
            "<line class=\"bp-chart__grid\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#b1b4b6\"/>",
            top,
            height - 2,
            x = px(x.max(Decimal::new(5, 1)))
        ));
        tick(&mut body, x, 14, p == 0, &format!("{p}%"));
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * i64::try_from(i).unwrap_or(0);
        label(&mut body, y, &r.label);
        let value = match r.computed {
            Some(v) => {
                body.push_str(&format!(
                    "<rect class=\"bp-chart__bar\" x=\"0\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"#1d70b8\"/>",
                    y + 20,
                    px(scale(v.clamp(Decimal::ZERO, hundred), hundred, plot))
                ));
                format::percent(v)
            }
            None => "no figure".to_string(),
        };
        let mut text = value.clone();
        if let Some(s) = r.stated
            && r.computed != Some(s)
        {
            let sx = scale(s.clamp(Decimal::ZERO, hundred), hundred, plot);
            body.push_str(&format!(
                "<line class=\"bp-chart__marker\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"3\"/>",
                y + 17,
                y + 39,
                x = px(sx)
            ));
            text = format!("{value} (stated {})", format::percent(s));
        }
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" fill=\"currentColor\">{}</text>",
            PLOT + 6,
            y + 33,
            esc(&text)
        ));
    }
    (height, body)
}

/// [`super::paired_bars`] for a phone: the legend on two lines, then each row's label above
/// its two bars.
pub(super) fn paired_bars(names: [&str; 2], rows: &[PairRow]) -> (i64, String) {
    let (top, row_h) = (60, 54);
    let height = top + row_h * i64::try_from(rows.len()).unwrap_or(0) + 2;
    let max = rows
        .iter()
        .flat_map(|r| [r.first, r.second])
        .flatten()
        .map(|v| v.abs())
        .max()
        .unwrap_or(Decimal::ZERO);
    // Two steps, not four: a money figure is about 70 units wide.
    let step = nice_step(max, 2);
    let top_value = axis_max(max, step).max(Decimal::ONE);
    let plot = dec(PLOT);
    let mut body = format!(
        "<rect x=\"0\" y=\"2\" width=\"14\" height=\"10\" fill=\"#ffffff\" stroke=\"#0b0c0c\"/>\
         <text x=\"20\" y=\"11\" fill=\"currentColor\">{}</text>\
         <rect x=\"0\" y=\"18\" width=\"14\" height=\"10\" fill=\"#1d70b8\"/>\
         <text x=\"20\" y=\"27\" fill=\"currentColor\">{}</text>",
        esc(&clip(names[0], LABEL_CHARS)),
        esc(&clip(names[1], LABEL_CHARS)),
    );
    let mut t = Decimal::ZERO;
    while t <= top_value {
        let x = scale(t, top_value, plot);
        body.push_str(&format!(
            "<line class=\"bp-chart__grid\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#b1b4b6\"/>",
            top - 6,
            height - 2,
            x = px(x.max(Decimal::new(5, 1)))
        ));
        tick(&mut body, x, 46, t.is_zero(), &format::money(t));
        t += step;
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * i64::try_from(i).unwrap_or(0);
        label(&mut body, y, &r.label);
        for (k, v) in [r.first, r.second].into_iter().enumerate() {
            let by = y + 20 + 16 * i64::try_from(k).unwrap_or(0);
            let Some(v) = v else { continue };
            let w = scale(v.abs(), top_value, plot);
            let style = if k == 0 {
                "fill=\"#ffffff\" stroke=\"#0b0c0c\""
            } else {
                "fill=\"#1d70b8\""
            };
            body.push_str(&format!(
                "<rect class=\"bp-chart__bar bp-chart__bar--{}\" x=\"0\" y=\"{by}\" width=\"{}\" height=\"13\" {style}/>\
                 <text x=\"{}\" y=\"{}\" fill=\"currentColor\">{}</text>",
                if k == 0 { "first" } else { "second" },
                px(w),
                px(w + dec(6)),
                by + 11,
                format::money(v),
            ));
        }
    }
    (height, body)
}

/// [`super::diverging_bars`] for a phone: zero where the wide chart has it, in proportion,
/// each row's label above its bar and the amount after the plot.
pub(super) fn diverging_bars(rows: &[SignedRow]) -> (i64, String) {
    let (top, row_h) = (22, 40);
    let height = top + row_h * i64::try_from(rows.len()).unwrap_or(0) + 2;
    let (lo, hi, span) = signed_range(rows);
    let plot = dec(PLOT);
    let zero = scale(-lo, span, plot);
    let mut body = format!(
        "<line class=\"bp-chart__axis\" x1=\"{z}\" y1=\"{}\" x2=\"{z}\" y2=\"{}\" stroke=\"#0b0c0c\"/>",
        top,
        height - 2,
        z = px(zero)
    );
    // The ends of the axis, and zero when it lies clear of them.
    if lo < Decimal::ZERO {
        tick(&mut body, Decimal::ZERO, 14, true, &format::money(lo));
    }
    if hi > Decimal::ZERO {
        body.push_str(&format!(
            "<text x=\"{PLOT}\" y=\"14\" text-anchor=\"end\" fill=\"currentColor\">{}</text>",
            format::money(hi)
        ));
    }
    if lo.is_zero() {
        tick(&mut body, zero, 14, true, "0");
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * i64::try_from(i).unwrap_or(0);
        label(&mut body, y, &r.label);
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
            y + 20,
            px(w),
            PLOT + 6,
            y + 32,
            esc(&format::money(r.value)),
        ));
    }
    (height, body)
}

/// [`super::trend`] for a phone: the same lines on a narrower plot, with a period's label and
/// figure only where there is room for them (every one when there are few; the first, the
/// last and an even spread between otherwise).
pub(super) fn trend(points: &[Progress]) -> (i64, String) {
    let (left, right, top, bottom) = (40, 300, 36, 196);
    let height = bottom + 30;
    let plot_h = dec(bottom - top);
    let hundred = dec(100);
    let n = points.len();
    let span = dec(right - left - 40);
    let x_of = |i: usize| -> Decimal {
        let i = dec(i64::try_from(i).unwrap_or(0));
        if n <= 1 {
            dec(left + right) / dec(2)
        } else {
            dec(left + 20) + i * span / dec(i64::try_from(n - 1).unwrap_or(1))
        }
    };
    let y_of = |v: Decimal| dec(bottom) - scale(v.clamp(Decimal::ZERO, hundred), hundred, plot_h);
    // A period's label ("2009/10 Q2") is about 70 units wide: one every 80 units at most.
    let room = usize::try_from((right - left - 40) / 80)
        .unwrap_or(1)
        .max(1);
    let every = if n <= room + 1 { 1 } else { n.div_ceil(room) };
    let labelled = |i: usize| i.is_multiple_of(every) || i + 1 == n;
    let mut body = String::from(
        "<line x1=\"0\" y1=\"8\" x2=\"20\" y2=\"8\" stroke=\"#1d70b8\" stroke-width=\"3\"/>\
         <circle cx=\"10\" cy=\"8\" r=\"4\" fill=\"#1d70b8\"/>\
         <text x=\"26\" y=\"12\" fill=\"currentColor\">Computed</text>\
         <line x1=\"120\" y1=\"8\" x2=\"140\" y2=\"8\" stroke=\"#0b0c0c\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>\
         <rect x=\"126\" y=\"4\" width=\"8\" height=\"8\" fill=\"#0b0c0c\"/>\
         <text x=\"146\" y=\"12\" fill=\"currentColor\">Stated</text>",
    );
    for p in [0, 50, 100] {
        let y = y_of(dec(p));
        body.push_str(&format!(
            "<line class=\"bp-chart__grid\" x1=\"{left}\" y1=\"{y}\" x2=\"{right}\" y2=\"{y}\" stroke=\"#b1b4b6\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"currentColor\">{p}%</text>",
            left - 4,
            px(y + dec(4)),
            y = px(y),
        ));
    }
    for (i, p) in points.iter().enumerate().filter(|(i, _)| labelled(*i)) {
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
            px(x_of(i)),
            bottom + 20,
            esc(&clip(&p.label, 12))
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
        let pts: Vec<(usize, Decimal, Decimal, Decimal)> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| get(p).map(|v| (i, x_of(i), y_of(v), v)))
            .collect();
        if pts.len() > 1 {
            let coords: Vec<String> = pts
                .iter()
                .map(|(_, x, y, _)| format!("{},{}", px(*x), px(*y)))
                .collect();
            body.push_str(&format!(
                "<polyline fill=\"none\" {stroke} points=\"{}\"/>",
                coords.join(" ")
            ));
        }
        for (i, x, y, v) in &pts {
            if computed {
                body.push_str(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#1d70b8\"/>",
                    px(*x),
                    px(*y)
                ));
                if labelled(*i) {
                    body.push_str(&format!(
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
                        px(*x),
                        px(*y - dec(10)),
                        format::percent(*v)
                    ));
                }
            } else {
                body.push_str(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"#0b0c0c\"/>",
                    px(*x - dec(4)),
                    px(*y - dec(4)),
                ));
            }
        }
    }
    (height, body)
}
