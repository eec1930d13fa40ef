//! Reading the page context's JSON values for the pack: fields as text, money, percentages,
//! dates and status words as a reader sees them, and the blocks every report kind uses.

use rust_decimal::Decimal;
use serde_json::Value;

use super::model::{Block, Cell, Inline, Notice, Row, Tone};
use crate::aggregate::format;
use crate::render::templates::{date_long, date_short, label_of};

/// A field as text: strings as they are, numbers and booleans written out, none as empty.
pub(super) fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.into(),
        _ => String::new(),
    }
}

pub(super) fn opt(v: &Value, key: &str) -> Option<String> {
    Some(text(v, key)).filter(|s| !s.is_empty())
}

pub(super) fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

pub(super) fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

pub(super) fn decimal(v: &Value, key: &str) -> Option<Decimal> {
    match v.get(key)? {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

pub(super) fn money(v: &Value, key: &str) -> Cell {
    Cell::Text(decimal(v, key).map(format::money).unwrap_or_default())
}

pub(super) fn pounds(v: &Value, key: &str) -> String {
    decimal(v, key).map(format::pounds).unwrap_or_default()
}

pub(super) fn percent(v: &Value, key: &str) -> String {
    decimal(v, key).map(format::percent).unwrap_or_default()
}

pub(super) fn date(v: &Value, key: &str) -> String {
    date_short(&text(v, key))
}

pub(super) fn long(v: &Value, key: &str) -> String {
    date_long(&text(v, key))
}

/// A Markdown field as a cell, as the pages render it: empty when absent.
pub(super) fn rich(v: &Value, key: &str) -> Cell {
    match opt(v, key) {
        Some(md) => Cell::Rich {
            c: super::markdown::runs(&md),
        },
        None => Cell::Text(String::new()),
    }
}

/// The colour that repeats a status word: red for what is behind, amber for what is at risk
/// or under way, green for what is done or on track.
pub(super) fn tone(key: &str) -> Option<Tone> {
    match key {
        "red" | "delayed" | "behind" | "off-target" | "overspent" | "not-achieved" => {
            Some(Tone::Red)
        }
        "amber" | "at-risk" | "off-target-improving" | "in-progress" => Some(Tone::Amber),
        "green" | "complete" | "completed" | "on-track" | "on-target" | "achieved" => {
            Some(Tone::Green)
        }
        "" => None,
        _ => Some(Tone::Grey),
    }
}

/// A status word as the pages spell it: `in-progress` → "In progress".
pub(super) fn word(key: &str) -> String {
    if key.is_empty() {
        "Not stated".into()
    } else {
        label_of(key)
    }
}

/// A status in words, with the colour that repeats it.
pub(super) fn status(key: &str) -> Cell {
    Cell::Tagged {
        s: word(key),
        tone: tone(key),
    }
}

pub(super) fn facts(rows: Vec<(&str, Cell)>) -> Block {
    Block::Facts {
        rows: rows
            .into_iter()
            .filter(|(_, c)| !matches!(c, Cell::Text(s) if s.is_empty()))
            .map(|(k, c)| (k.to_string(), c))
            .collect(),
    }
}

pub(super) fn para(s: impl Into<String>) -> Block {
    Block::Para {
        c: vec![Inline::Text { s: s.into() }],
    }
}

pub(super) fn heading(level: u8, s: impl Into<String>) -> Block {
    Block::Heading { level, s: s.into() }
}

pub(super) fn notice(title: &str, s: impl Into<String>, tone: Option<Tone>) -> Notice {
    Notice {
        title: Some(title.to_string()),
        s: s.into(),
        tone,
    }
}

/// The banner over an exempt report or part in the members' copy.
pub(super) fn exempt_banner(e: &Value) -> Notice {
    let mut s = format!("Exempt under paragraph {}", text(e, "paragraph"));
    if let Some(reason) = opt(e, "reason") {
        s.push_str(&format!(": {reason}"));
    }
    s.push('.');
    if let Some(review) = opt(e, "review") {
        s.push_str(&format!(" Review by {}.", date_long(&review)));
    }
    notice("EXEMPT – not for publication", s, Some(Tone::Red))
}

/// A stub where a public copy withholds a part, in a table whose main column is `main`:
/// "Pension fund advisers' findings: Exempt information: paragraph 3 of Schedule 12A."
pub(super) fn withheld_row(w: &Value, columns: usize, main: usize) -> Row {
    let title = opt(w, "title").unwrap_or_else(|| text(w, "label"));
    let mut cells = vec![Cell::Text(String::new()); columns.max(1)];
    cells[main.min(columns.max(1) - 1)] = Cell::Text(format!("{title}: {}.", text(w, "notice")));
    Row::body(cells)
}
