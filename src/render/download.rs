//! Downloads: every summary table a page shows, as CSV, JSON and ODS files beside the page.
//!
//! A [`Sheet`] is built once, from the aggregates, and written each way (ODS by
//! [`crate::render::ods`], which says how it lays a table out):
//!
//! - **CSV** (RFC 4180, written by the `csv` crate): UTF-8 without a byte-order mark, CRLF line
//!   ends, one header row. Dates are `dd/mm/yyyy`; money and other figures are plain numbers
//!   holding the exact value (`-45594`, `52.5`), never `(45,594)` or `£`; true and false are
//!   `yes` and `no`; an absent value is an empty cell. A text cell that a spreadsheet could take
//!   for a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed
//!   with `'`, as OWASP recommends, unless the whole cell is a plain number such as `-552`.
//! - **JSON** (`serde_json`): `{"title", "site", "publisher", "page", "columns": [{"key",
//!   "title"}], "rows": [...]}`, where `site`, `publisher` and `page` say where the table was
//!   published, and each row is an object whose keys follow the column order. Money and decimals are strings holding the
//!   exact figure (`"-45594"`), counts are numbers, dates are ISO `yyyy-mm-dd`, absent values
//!   `null`.
//!
//! All are deterministic: the same content gives the same bytes.

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct};

use crate::aggregate::actions::Share;
use crate::render::ods;

/// One column: a stable key (JSON) and a heading (CSV).
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub key: &'static str,
    pub title: &'static str,
}

/// A cell, typed so that each format can write it properly.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// An amount of money, exact.
    Money(Decimal),
    /// Any other figure, exact: a percentage, a mean, an indicator value.
    Number(Decimal),
    Count(i64),
    Date(Date),
    Bool(bool),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt_text(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }

    pub fn money(d: Option<Decimal>) -> Cell {
        d.map_or(Cell::Empty, Cell::Money)
    }

    pub fn number(d: Option<Decimal>) -> Cell {
        d.map_or(Cell::Empty, |d| Cell::Number(d.normalize()))
    }

    pub fn count(n: usize) -> Cell {
        Cell::Count(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// A count and its percentage of the whole, as two cells: how every table gives the work
    /// completed, on track and behind.
    pub fn share(s: &Share) -> [Cell; 2] {
        [Cell::count(s.count), Cell::Number(s.percent)]
    }

    pub fn date(d: Option<Date>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }
}

/// Where a table was published: written into its JSON.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Provenance {
    /// The site's title.
    pub site: String,
    /// The organisation that publishes it.
    pub publisher: String,
    /// The URL of the page that shows the table.
    pub page: String,
}

/// A table to download.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The file name without its extension, e.g. `budget-lines`.
    pub name: &'static str,
    /// What the table holds, e.g. `Budget lines`: the link text and the JSON title.
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn new(
        name: &'static str,
        title: impl Into<String>,
        columns: &[(&'static str, &'static str)],
    ) -> Self {
        Self {
            name,
            title: title.into(),
            columns: columns
                .iter()
                .map(|(key, title)| Column { key, title })
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Add a row; it must have one cell per column.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.name);
        self.rows.push(row);
    }
}

/// Whether a cell is a plain number, which a spreadsheet reads as a number and never as a
/// formula: an optional sign, digits, and an optional decimal part.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (whole, frac) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Neutralise a text cell that a spreadsheet would run as a formula (OWASP, "CSV injection").
pub fn guard_formula(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(s) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// `dd/mm/yyyy`.
pub fn uk_date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

fn csv_cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) => guard_formula(s).into_owned(),
        Cell::Money(d) | Cell::Number(d) => d.to_string(),
        Cell::Count(n) => n.to_string(),
        Cell::Date(d) => uk_date(*d),
        Cell::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Cell::Empty => String::new(),
    }
}

/// The table as CSV bytes.
pub fn to_csv(t: &Sheet) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail; a failure here is a bug, so the row is simply skipped.
    let _ = w.write_record(t.columns.iter().map(|c| c.title));
    for row in &t.rows {
        let _ = w.write_record(row.iter().map(csv_cell));
    }
    w.into_inner().unwrap_or_default()
}

struct JsonCell<'a>(&'a Cell);

impl Serialize for JsonCell<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cell::Text(t) => s.serialize_str(t),
            Cell::Money(d) | Cell::Number(d) => s.serialize_str(&d.to_string()),
            Cell::Count(n) => s.serialize_i64(*n),
            Cell::Date(d) => s.serialize_str(&d.to_string()),
            Cell::Bool(b) => s.serialize_bool(*b),
            Cell::Empty => s.serialize_none(),
        }
    }
}

struct JsonRow<'a>(&'a [Column], &'a [Cell]);

impl Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (c, v) in self.0.iter().zip(self.1) {
            m.serialize_entry(c.key, &JsonCell(v))?;
        }
        m.end()
    }
}

struct JsonTable<'a>(&'a Sheet, &'a Provenance);

impl Serialize for JsonTable<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (t, p) = (self.0, self.1);
        let rows: Vec<JsonRow<'_>> = t.rows.iter().map(|r| JsonRow(&t.columns, r)).collect();
        let mut st = s.serialize_struct("Table", 6)?;
        st.serialize_field("title", &t.title)?;
        st.serialize_field("site", &p.site)?;
        st.serialize_field("publisher", &p.publisher)?;
        st.serialize_field("page", &p.page)?;
        st.serialize_field("columns", &t.columns)?;
        st.serialize_field("rows", &rows)?;
        st.end()
    }
}

/// The table as pretty-printed JSON bytes, ending with a newline.
pub fn to_json(t: &Sheet, from: &Provenance) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&JsonTable(t, from)).unwrap_or_default();
    out.push(b'\n');
    out
}

/// A file size as GOV.UK writes it beside a download link: `512 bytes`, `2.1 KB`, `1.3 MB`.
pub fn human_size(bytes: usize) -> String {
    // Integer arithmetic, rounded half-up to one decimal place.
    let tenths = |unit: usize| (bytes * 10 + unit / 2) / unit;
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes < 1024 * 1024 {
        let t = tenths(1024);
        format!("{}.{} KB", t / 10, t % 10)
    } else {
        let t = tenths(1024 * 1024);
        format!("{}.{} MB", t / 10, t % 10)
    }
}

/// A file written beside a page, and the link to it.
#[derive(Debug, Clone, Serialize)]
pub struct Download {
    /// `Budget lines`.
    pub title: String,
    /// `CSV`, `JSON` or `ODS spreadsheet`: the link text names it.
    pub format: &'static str,
    /// `text/csv`, `application/json` or `application/vnd.oasis.opendocument.spreadsheet`.
    pub media_type: &'static str,
    pub url: String,
    /// Output path, relative to the output folder.
    pub path: String,
    /// `2.1 KB`.
    pub size: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// The CSV, JSON and ODS files for a table, written into the folder of the page at
/// `page_path` (`budget/2009-10-q2/index.html`) whose URL is `from.page`; `period` is the
/// period the page belongs to, for the ODS cover sheet.
pub fn every_format(
    t: &Sheet,
    from: &Provenance,
    period: Option<&str>,
    about: &ods::About,
    page_path: &str,
) -> [Download; 3] {
    let page_url = from.page.as_str();
    let dir = page_path
        .rsplit_once('/')
        .map_or(String::new(), |(d, _)| format!("{d}/"));
    let make =
        |format: &'static str, ext: &str, media_type: &'static str, bytes: Vec<u8>| Download {
            title: t.title.clone(),
            format,
            media_type,
            url: format!("{page_url}{}.{ext}", t.name),
            path: format!("{dir}{}.{ext}", t.name),
            size: human_size(bytes.len()),
            bytes,
        };
    let table = ods::Table {
        sheet: t,
        from,
        period,
    };
    [
        make("CSV", "csv", "text/csv", to_csv(t)),
        make("JSON", "json", "application/json", to_json(t, from)),
        make(
            "ODS spreadsheet",
            "ods",
            ODS_MEDIA_TYPE,
            ods::table_file(&table, about),
        ),
    ]
}

/// What an ODS file is served as.
pub const ODS_MEDIA_TYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn sample() -> Sheet {
        let mut t = Sheet::new(
            "lines",
            "Lines",
            &[
                ("title", "Title"),
                ("actual", "Actual"),
                ("due", "Due"),
                ("n", "Count"),
                ("memo", "Memo"),
            ],
        );
        t.push(vec![
            Cell::text("=HYPERLINK(\"x\")"),
            Cell::Money(d("-552")),
            Cell::Date(Date::constant(2009, 9, 30)),
            Cell::count(3),
            Cell::Bool(true),
        ]);
        t.push(vec![
            Cell::text("-552"),
            Cell::Money(d("1879193.50")),
            Cell::Empty,
            Cell::Empty,
            Cell::Bool(false),
        ]);
        t.push(vec![
            Cell::text("Say \"hi\", then @mention\nnext line"),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]);
        t
    }

    #[test]
    fn csv_is_quoted_dated_the_uk_way_and_safe_from_formulas() {
        let csv = String::from_utf8(to_csv(&sample())).unwrap();
        assert_eq!(
            csv,
            "Title,Actual,Due,Count,Memo\r\n\
             \"'=HYPERLINK(\"\"x\"\")\",-552,30/09/2009,3,yes\r\n\
             -552,1879193.50,,,no\r\n\
             \"Say \"\"hi\"\", then @mention\nnext line\",,,,\r\n"
        );
    }

    #[test]
    fn formula_guard_follows_owasp() {
        for risky in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "-", "+"] {
            assert!(guard_formula(risky).starts_with('\''), "{risky:?}");
        }
        for safe in ["-552", "+7", "-0.5", "12", "Title", "a=b", "", "'quoted"] {
            assert_eq!(guard_formula(safe), safe, "{safe:?}");
        }
        assert!(guard_formula("-5.").starts_with('\''));
        assert!(guard_formula("-.5").starts_with('\''));
    }

    #[test]
    fn json_keeps_column_order_and_exact_figures() {
        let from = Provenance {
            site: "Board".into(),
            publisher: "Org".into(),
            page: "/budget/".into(),
        };
        let json = String::from_utf8(to_json(&sample(), &from)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["title"], "Lines");
        assert_eq!(v["site"], "Board");
        assert_eq!(v["page"], "/budget/");
        assert_eq!(v["rows"][0]["actual"], "-552");
        assert_eq!(v["rows"][0]["due"], "2009-09-30");
        assert_eq!(v["rows"][0]["n"], 3);
        assert_eq!(v["rows"][1]["due"], serde_json::Value::Null);
        assert_eq!(v["rows"][1]["actual"], "1879193.50");
        // Keys in column order, whatever the map type.
        let first = json.find("\"title\": \"=HYPERLINK").unwrap();
        let second = json.find("\"actual\": \"-552\"").unwrap();
        assert!(first < second);
    }

    #[test]
    fn sizes_read_like_gov_uk() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(2150), "2.1 KB");
        assert_eq!(human_size(1024), "1.0 KB");
        assert_eq!(human_size(3 * 1024 * 1024 / 2), "1.5 MB");
    }

    #[test]
    fn files_sit_beside_their_page() {
        let at = |page: &str| Provenance {
            page: page.into(),
            ..Provenance::default()
        };
        let about = ods::About {
            currency: "GBP".into(),
            language: "en-GB".into(),
            schedule: "Schedule 12A",
            exempt: ods::Exempt::Withheld,
        };
        let [csv, json, sheet] = every_format(
            &sample(),
            &at("/budget/2009-10-q2/"),
            Some("2009/10 Q2"),
            &about,
            "budget/2009-10-q2/index.html",
        );
        assert_eq!(csv.url, "/budget/2009-10-q2/lines.csv");
        assert_eq!(csv.path, "budget/2009-10-q2/lines.csv");
        assert_eq!(json.path, "budget/2009-10-q2/lines.json");
        assert_eq!(sheet.path, "budget/2009-10-q2/lines.ods");
        assert_eq!(sheet.url, "/budget/2009-10-q2/lines.ods");
        assert_eq!(sheet.media_type, ODS_MEDIA_TYPE);
        assert!(sheet.bytes.starts_with(b"PK"));
        let [root, ..] = every_format(&sample(), &at("/"), None, &about, "index.html");
        assert_eq!(root.path, "lines.csv");
    }
}
