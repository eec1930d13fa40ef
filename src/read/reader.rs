//! A typed reader over spanned TOML that records every problem instead of stopping at the first,
//! and knows which keys it was asked for, so unknown keys get a "did you mean".

use std::ops::Range;
use std::sync::Arc;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Problem, suggest};
use crate::read::money::{currency_symbol, parse_money};
use crate::read::period::Period;
use crate::read::words::Word;
use crate::source::SourceFile;

/// Where diagnostics go, and how TOML spans map back into the file.
pub struct Cx<'f> {
    pub file: &'f Arc<SourceFile>,
    /// Byte offset of the TOML text within the file.
    pub base: usize,
    pub diags: Vec<Diagnostic>,
    /// Every currency symbol money was written with, and where: the site's currency is only
    /// known once documents are checked against the configuration.
    pub symbols: Vec<(char, Range<usize>)>,
}

impl<'f> Cx<'f> {
    pub fn new(file: &'f Arc<SourceFile>, base: usize) -> Self {
        Self {
            file,
            base,
            diags: Vec::new(),
            symbols: Vec::new(),
        }
    }

    pub fn abs(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.base..span.end + self.base
    }

    /// The opening `+++` fence of the front matter, for problems with the document as a whole.
    pub fn fence(&self) -> Range<usize> {
        let fence_end = self.base.saturating_sub(1);
        let text = self.file.text.get(..fence_end).unwrap_or("");
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        line_start..text.trim_end_matches('\r').len().max(line_start)
    }

    pub fn report(&mut self, problem: Problem, span: Range<usize>) {
        let span = self.abs(span);
        self.diags.push(Diagnostic::new(problem, self.file, span));
    }

    pub fn report_labelled(&mut self, problem: Problem, span: Range<usize>, label: String) {
        let span = self.abs(span);
        self.diags
            .push(Diagnostic::new(problem, self.file, span).with_label(label));
    }
}

/// A value with its span relative to the TOML text.
pub type Value<'t, 'i> = &'t Spanned<DeValue<'i>>;

/// One TOML table being read. Each accessor records the key as allowed; `finish` reports every
/// key present that no accessor asked for.
pub struct Table<'t, 'i> {
    table: &'t DeTable<'i>,
    pub span: Range<usize>,
    /// Dotted path to this table, for messages: `objectives[2].activities[0]`.
    pub path: String,
    asked: Vec<&'static str>,
}

pub fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'t, 'i> Table<'t, 'i> {
    pub fn new(table: &'t DeTable<'i>, span: Range<usize>, path: String) -> Self {
        Self {
            table,
            span,
            path,
            asked: Vec::new(),
        }
    }

    fn qualified(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The raw value of a key, recording the key as allowed.
    pub fn get(&mut self, key: &'static str) -> Option<Value<'t, 'i>> {
        self.asked.push(key);
        self.table.get(key)
    }

    /// Whether the key is present, without reading it.
    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    fn missing(&self, cx: &mut Cx<'_>, key: &'static str) {
        // Point where the key belongs: the table's header, or for the front matter itself its
        // opening `+++` fence.
        let span = if self.path.is_empty() {
            cx.fence()
        } else {
            let s = cx.abs(self.span.clone()).start;
            s..s + 1
        };
        cx.diags.push(
            Diagnostic::new(
                Problem::MissingKey {
                    key: self.qualified(key),
                },
                cx.file,
                span,
            )
            .with_label(format!("`{key}` is required here")),
        );
    }

    fn wrong_type(&self, cx: &mut Cx<'_>, key: &str, v: Value<'_, '_>, expected: &'static str) {
        cx.report_labelled(
            Problem::WrongType {
                key: self.qualified(key),
                expected,
                found: type_name(v.get_ref()),
            },
            v.span(),
            format!("expected {expected}"),
        );
    }

    fn required<T>(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        f: impl FnOnce(&mut Self, &mut Cx<'_>) -> Option<T>,
    ) -> Option<T> {
        if !self.has(key) {
            self.asked.push(key);
            self.missing(cx, key);
            return None;
        }
        f(self, cx)
    }

    /// An optional string. One that is empty or only white space is taken as absent: an
    /// optional section left blank has nothing to show.
    pub fn text(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<String> {
        self.any_text(cx, key).filter(|s| !s.trim().is_empty())
    }

    /// A string, as written.
    fn any_text(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<String> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => shallow(cx, s, v.span()),
            _ => {
                self.wrong_type(cx, key, v, "a string");
                None
            }
        }
    }

    /// A required string, which must hold more than white space: a title or a name left blank
    /// would give a page an empty `<title>` or `<h1>`.
    pub fn req_text(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<String> {
        let text = self.required(cx, key, |t, cx| t.any_text(cx, key))?;
        if text.trim().is_empty() {
            let span = self.table.get(key).map_or(0..0, |v| v.span());
            cx.report_labelled(
                Problem::BlankText {
                    key: self.qualified(key),
                },
                span,
                "expected some text".into(),
            );
            return None;
        }
        Some(text)
    }

    /// An optional id, checked against the id pattern.
    pub fn id(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Located<String>> {
        let v = self.get(key)?;
        let DeValue::String(s) = v.get_ref() else {
            self.wrong_type(cx, key, v, "a string id");
            return None;
        };
        if !valid_id(s) {
            cx.report(Problem::InvalidId { id: s.to_string() }, v.span());
            return None;
        }
        Some(Located {
            value: s.to_string(),
            span: cx.abs(v.span()),
        })
    }

    pub fn req_id(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Located<String>> {
        self.required(cx, key, |t, cx| t.id(cx, key))
    }

    /// An optional boolean.
    pub fn boolean(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<bool> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(cx, key, v, "true or false");
                None
            }
        }
    }

    /// An optional integer that fits an i64.
    pub fn integer(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<i64> {
        let v = self.get(key)?;
        read_integer(cx, v, &self.qualified(key))
    }

    pub fn req_integer(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<i64> {
        self.required(cx, key, |t, cx| t.integer(cx, key))
    }

    /// An optional date, checked to exist in the calendar.
    pub fn date(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Date> {
        let v = self.get(key)?;
        read_date(cx, v, &self.qualified(key))
    }

    pub fn req_date(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Date> {
        self.required(cx, key, |t, cx| t.date(cx, key))
    }

    /// An optional exact decimal number (integer or decimal literal, or a numeric string).
    pub fn decimal(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Decimal> {
        let v = self.get(key)?;
        read_decimal(cx, v, &self.qualified(key))
    }

    pub fn req_decimal(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Decimal> {
        self.required(cx, key, |t, cx| t.decimal(cx, key))
    }

    /// An optional percentage from 0 to 100.
    pub fn percent(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Decimal> {
        let v = self.get(key)?;
        let d = read_decimal(cx, v, &self.qualified(key))?;
        if d < Decimal::ZERO || d > Decimal::ONE_HUNDRED {
            cx.report_labelled(
                Problem::PercentOutOfRange {
                    key: self.qualified(key),
                    value: d.to_string(),
                },
                v.span(),
                "expected 0 to 100".into(),
            );
            return None;
        }
        Some(d)
    }

    pub fn req_percent(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Decimal> {
        self.required(cx, key, |t, cx| t.percent(cx, key))
    }

    /// Optional money.
    pub fn money(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Decimal> {
        let v = self.get(key)?;
        read_money(cx, v)
    }

    pub fn req_money(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Decimal> {
        self.required(cx, key, |t, cx| t.money(cx, key))
    }

    /// An optional period.
    pub fn period(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Period> {
        let v = self.get(key)?;
        read_period(cx, v, &self.qualified(key))
    }

    pub fn req_period(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Period> {
        self.required(cx, key, |t, cx| t.period(cx, key))
    }

    /// An optional word from a closed vocabulary.
    pub fn word<W: Word>(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<W> {
        let v = self.get(key)?;
        read_word(cx, v, &self.qualified(key))
    }

    pub fn req_word<W: Word>(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<W> {
        self.required(cx, key, |t, cx| t.word(cx, key))
    }

    /// An optional array of strings.
    pub fn texts(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Vec<String> {
        self.array(cx, key)
            .into_iter()
            .filter_map(|(v, path)| match v.get_ref() {
                DeValue::String(s) => shallow(cx, s, v.span()),
                other => {
                    cx.report(
                        Problem::WrongType {
                            key: path,
                            expected: "a string",
                            found: type_name(other),
                        },
                        v.span(),
                    );
                    None
                }
            })
            .collect()
    }

    /// An optional array of ids, each with its span.
    pub fn ids(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Vec<Located<String>> {
        self.array(cx, key)
            .into_iter()
            .filter_map(|(v, path)| match v.get_ref() {
                DeValue::String(s) if valid_id(s) => Some(Located {
                    value: s.to_string(),
                    span: cx.abs(v.span()),
                }),
                DeValue::String(s) => {
                    cx.report(Problem::InvalidId { id: s.to_string() }, v.span());
                    None
                }
                other => {
                    cx.report(
                        Problem::WrongType {
                            key: path,
                            expected: "a string id",
                            found: type_name(other),
                        },
                        v.span(),
                    );
                    None
                }
            })
            .collect()
    }

    /// The items of an optional array, each with its path for messages.
    pub fn array(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Vec<(Value<'t, 'i>, String)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::Array(items) => {
                let base = self.qualified(key);
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (item, format!("{base}[{i}]")))
                    .collect()
            }
            _ => {
                self.wrong_type(cx, key, v, "an array");
                Vec::new()
            }
        }
    }

    /// An optional array of tables (`[[key]]`).
    pub fn tables(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Vec<Table<'t, 'i>> {
        self.array(cx, key)
            .into_iter()
            .filter_map(|(v, path)| as_table(cx, v, path))
            .collect()
    }

    /// An optional sub-table written as `shape` describes (`a table such as { by = "…" }`):
    /// any other value is a type error at it, labelled with what was expected in words.
    pub fn shaped_table(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        shape: &'static str,
        label: &str,
    ) -> Option<Table<'t, 'i>> {
        let v = self.get(key)?;
        if !matches!(v.get_ref(), DeValue::Table(_)) {
            cx.report_labelled(
                Problem::WrongType {
                    key: key.into(),
                    expected: shape,
                    found: type_name(v.get_ref()),
                },
                v.span(),
                label.into(),
            );
            return None;
        }
        self.table(cx, key)
    }

    /// An optional sub-table.
    pub fn table(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Table<'t, 'i>> {
        let v = self.get(key)?;
        let path = self.qualified(key);
        as_table(cx, v, path)
    }

    /// Report every key present that no accessor asked for.
    pub fn finish(self, cx: &mut Cx<'_>) {
        for (k, _) in self.table.iter() {
            let key: &str = k.get_ref();
            if self.asked.contains(&key) {
                continue;
            }
            let suggestion = suggest(key, self.asked.iter().copied()).map(str::to_string);
            let mut allowed = self.asked.clone();
            allowed.dedup();
            cx.report_labelled(
                Problem::UnknownKey {
                    key: self.qualified(key),
                    suggestion,
                    allowed,
                },
                k.span(),
                "not a key boardpack knows here".into(),
            );
        }
    }
}

/// Text that many fields render as Markdown, refused when it nests too deeply to render in
/// bounded time (see [`crate::read::nesting`]).
fn shallow(cx: &mut Cx<'_>, s: &str, span: Range<usize>) -> Option<String> {
    if crate::read::nesting::too_deep(s).is_some() {
        let limit = crate::read::nesting::MAX_DEPTH;
        cx.report(Problem::TooDeep { limit }, span);
        return None;
    }
    Some(s.to_string())
}

/// A value with the absolute span it was read from, for diagnostics raised after parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// Ids: letters, digits, `-`, `_` and `.`, starting with a letter or digit.
pub fn valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && s.len() <= 200
}

pub fn as_table<'t, 'i>(cx: &mut Cx<'_>, v: Value<'t, 'i>, path: String) -> Option<Table<'t, 'i>> {
    match v.get_ref() {
        DeValue::Table(t) => Some(Table::new(t, v.span(), path)),
        other => {
            cx.report(
                Problem::WrongType {
                    key: path,
                    expected: "a table",
                    found: type_name(other),
                },
                v.span(),
            );
            None
        }
    }
}

pub fn read_integer(cx: &mut Cx<'_>, v: Value<'_, '_>, key: &str) -> Option<i64> {
    match v.get_ref() {
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Some(n),
            Err(e) => {
                cx.report(
                    Problem::InvalidNumber {
                        text: i.as_str().to_string(),
                        reason: e.to_string(),
                    },
                    v.span(),
                );
                None
            }
        },
        other => {
            cx.report(
                Problem::WrongType {
                    key: key.to_string(),
                    expected: "an integer",
                    found: type_name(other),
                },
                v.span(),
            );
            None
        }
    }
}

pub fn read_date(cx: &mut Cx<'_>, v: Value<'_, '_>, key: &str) -> Option<Date> {
    let DeValue::Datetime(dt) = v.get_ref() else {
        let found = type_name(v.get_ref());
        let label = if matches!(v.get_ref(), DeValue::String(_)) {
            "write dates unquoted, as 2009-09-30"
        } else {
            "expected a date such as 2009-09-30"
        };
        cx.report_labelled(
            Problem::WrongType {
                key: key.to_string(),
                expected: "a date",
                found,
            },
            v.span(),
            label.into(),
        );
        return None;
    };
    let (Some(d), None, None) = (dt.date, dt.time, dt.offset) else {
        cx.report(
            Problem::InvalidDate {
                reason: format!("`{key}` should be a date without a time, such as 2009-09-30"),
            },
            v.span(),
        );
        return None;
    };
    match Date::new(d.year as i16, d.month as i8, d.day as i8) {
        Ok(date) => Some(date),
        Err(_) => {
            cx.report_labelled(
                Problem::InvalidDate {
                    reason: format!("{dt} does not exist in the calendar"),
                },
                v.span(),
                "no such day".into(),
            );
            None
        }
    }
}

pub fn read_decimal(cx: &mut Cx<'_>, v: Value<'_, '_>, key: &str) -> Option<Decimal> {
    let (text, result) = match v.get_ref() {
        DeValue::Integer(i) if i.radix() == 10 => (i.as_str(), parse_plain_decimal(i.as_str())),
        DeValue::Float(f) => (f.as_str(), parse_plain_decimal(f.as_str())),
        DeValue::String(s) => (
            s.as_ref(),
            parse_plain_decimal(s.trim().trim_end_matches('%')).map_err(|_| {
                "it is not a number; write numbers unquoted, such as 52 or 52.5".to_string()
            }),
        ),
        other => {
            cx.report(
                Problem::WrongType {
                    key: key.to_string(),
                    expected: "a number",
                    found: type_name(other),
                },
                v.span(),
            );
            return None;
        }
    };
    match result {
        Ok(d) => Some(d),
        Err(reason) => {
            cx.report(
                Problem::InvalidNumber {
                    text: text.to_string(),
                    reason,
                },
                v.span(),
            );
            None
        }
    }
}

/// A decimal literal as TOML writes it (underscores allowed), read without floating point.
fn parse_plain_decimal(text: &str) -> Result<Decimal, String> {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    if cleaned.contains(['e', 'E']) {
        return Decimal::from_scientific(&cleaned).map_err(|e| e.to_string());
    }
    if cleaned.len() > 40 {
        return Err("it has too many digits".into());
    }
    if cleaned.contains(['i', 'n']) {
        return Err("it is not a finite number".into());
    }
    Decimal::from_str_exact(cleaned.trim_start_matches('+'))
        .map_err(|_| "it is not a number that boardpack can read exactly".to_string())
}

pub fn read_money(cx: &mut Cx<'_>, v: Value<'_, '_>) -> Option<Decimal> {
    let text = match v.get_ref() {
        DeValue::Integer(i) if i.radix() == 10 => i.as_str().replace('_', ""),
        DeValue::Float(f) => f.as_str().replace('_', ""),
        DeValue::String(s) => s.to_string(),
        other => {
            cx.report_labelled(
                Problem::InvalidMoney {
                    text: type_name(other).to_string(),
                    reason: "money is a number or a string".into(),
                },
                v.span(),
                "expected money".into(),
            );
            return None;
        }
    };
    match parse_money(text.trim_start_matches('+')) {
        Ok(d) => {
            if let Some(symbol) = currency_symbol(&text) {
                let span = cx.abs(v.span());
                cx.symbols.push((symbol, span));
            }
            Some(d)
        }
        Err(reason) => {
            cx.report_labelled(
                Problem::InvalidMoney { text, reason },
                v.span(),
                "expected money".into(),
            );
            None
        }
    }
}

pub fn read_period(cx: &mut Cx<'_>, v: Value<'_, '_>, key: &str) -> Option<Period> {
    let DeValue::String(s) = v.get_ref() else {
        cx.report(
            Problem::WrongType {
                key: key.to_string(),
                expected: "a period string such as \"2009/10 Q2\"",
                found: type_name(v.get_ref()),
            },
            v.span(),
        );
        return None;
    };
    let p = Period::parse(s);
    if p.is_none() {
        cx.report(
            Problem::InvalidPeriod {
                text: s.to_string(),
            },
            v.span(),
        );
    }
    p
}

pub fn read_word<W: Word>(cx: &mut Cx<'_>, v: Value<'_, '_>, key: &str) -> Option<W> {
    let DeValue::String(s) = v.get_ref() else {
        cx.report(
            Problem::WrongType {
                key: key.to_string(),
                expected: "a string",
                found: type_name(v.get_ref()),
            },
            v.span(),
        );
        return None;
    };
    let w = W::parse(s);
    if w.is_none() {
        let norm = crate::read::words::normalise(s);
        cx.report_labelled(
            Problem::UnknownWord {
                what: W::WHAT,
                word: s.to_string(),
                suggestion: suggest(&norm, W::allowed().iter().copied()),
                allowed: W::allowed().to_vec(),
            },
            v.span(),
            format!("not a known {}", W::WHAT),
        );
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(valid_id("R001"));
        assert!(valid_id("o1-pd2"));
        assert!(valid_id("ni-52i"));
        assert!(!valid_id("-x"));
        assert!(!valid_id("a b"));
        assert!(!valid_id(""));
    }

    #[test]
    fn plain_decimals_are_exact() {
        assert_eq!(parse_plain_decimal("52.5").unwrap().to_string(), "52.5");
        assert_eq!(parse_plain_decimal("1_000").unwrap().to_string(), "1000");
        assert!(parse_plain_decimal("inf").is_err());
        assert!(parse_plain_decimal("nan").is_err());
    }
}
