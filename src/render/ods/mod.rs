//! ODS downloads: each summary table as an OpenDocument spreadsheet beside its CSV and JSON,
//! and one workbook per period holding every table of its board pack.
//!
//! Laid out as the Analysis Function's "Releasing statistics in spreadsheets" asks: a cover
//! sheet (`Cover_sheet`: the title, what the table is, who publishes it, the page it comes from,
//! the period and "Source: boardpack", never a time), a `Notes` sheet (how money, dates, yes/no,
//! absent values and exempt material are shown, and what each column holds), a `Contents` sheet
//! in a period's workbook, then the tables. A table sheet has its one header row in row 1 and
//! nothing else: no merged cells, no blank rows or columns, no title above the header.
//!
//! Cells are typed from the [`Cell`]s that also make the CSV, so the two agree cell by cell:
//! money is a currency cell holding the exact amount (`office:value="-45594"`, written from the
//! `Decimal`, never through `f64`) formatted `£#,##0.00` with a minus sign for negatives; other
//! figures and counts are number cells with a number format; dates are date cells shown
//! `dd/mm/yyyy`; yes/no columns hold the text `yes` or `no`, as in the CSV (a spreadsheet would
//! show a boolean as `TRUE`, or in its own language); absent values are empty cells. Text gets
//! the same formula guard as the CSV ([`guard_formula`]). The bytes are the same for the same
//! cells: see [`xml`].

mod xml;

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::render::download::{Cell, Provenance, Sheet, guard_formula};
use xml::{Body, MAX_SHOWN_PLACES, Value};

/// What exempt material the tables leave out, for the notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exempt {
    /// The public copy: exempt information is withheld.
    Withheld,
    /// The members' copy: exempt information is in the tables wherever there is some. (Not
    /// whether there is: a preview of one report sees only part of the site.)
    Included,
}

/// What every ODS file of a build says about itself, beside each table's [`Provenance`].
#[derive(Debug, Clone)]
pub struct About {
    /// `[config] currency`: `GBP`.
    pub currency: String,
    /// `en-GB`.
    pub language: String,
    /// The law exempt items cite: `Schedule 12A`.
    pub schedule: &'static str,
    pub exempt: Exempt,
}

/// One table and where it was published.
pub struct Table<'a> {
    pub sheet: &'a Sheet,
    pub from: &'a Provenance,
    /// The period it belongs to, `2009/10 Q2`, where it has one.
    pub period: Option<&'a str>,
}

const COVER: &str = "Cover_sheet";
const NOTES: &str = "Notes";
const CONTENTS: &str = "Contents";

/// A sheet name spreadsheets accept: at most 31 characters, none of `[]:*?/\`, no quote at
/// either end.
fn sheet_name(s: &str) -> String {
    let mut name: String = s
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' | ' ' | '-' => '_',
            c => c,
        })
        .take(31)
        .collect();
    name = name.trim_matches('\'').to_string();
    if name.is_empty() {
        name.push_str("Table");
    }
    name
}

/// `budget-lines` → `Budget_lines`.
fn table_sheet_name(t: &Sheet) -> String {
    let mut chars = t.name.chars();
    let name = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>())
        .unwrap_or_default();
    let name = sheet_name(&name);
    if [COVER, NOTES, CONTENTS]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(&name))
    {
        "Table".to_string()
    } else {
        name
    }
}

/// The text a text or yes/no cell holds, formula guard applied, or `None` for another cell.
fn cell_text(c: &Cell) -> Option<Cow<'_, str>> {
    match c {
        Cell::Text(s) => Some(guard_formula(s)),
        Cell::Bool(b) => Some(Cow::Borrowed(if *b { "yes" } else { "no" })),
        _ => None,
    }
}

/// The cell a [`Cell`] becomes, given its text from [`cell_text`]; `places` is the column's
/// number of decimal places.
fn value<'a>(c: &Cell, text: Option<&'a str>, places: u32) -> Value<'a> {
    if let Some(t) = text {
        return Value::Text(t);
    }
    match c {
        Cell::Money(d) => Value::Money(*d),
        Cell::Number(d) => Value::Number(*d, places),
        Cell::Count(n) => Value::Count(*n),
        Cell::Date(d) => Value::Date(*d),
        Cell::Text(_) | Cell::Bool(_) | Cell::Empty => Value::Empty,
    }
}

/// Write one table's rows, its header in the first.
fn table_sheet(body: &mut Body, name: &str, t: &Sheet) {
    let places: Vec<u32> = (0..t.columns.len())
        .map(|i| {
            (t.rows.iter())
                .filter_map(|r| match r.get(i) {
                    Some(Cell::Number(d)) => Some(d.scale().min(MAX_SHOWN_PLACES)),
                    _ => None,
                })
                .max()
                .unwrap_or(0)
        })
        .collect();
    body.begin_sheet(name, &widths(t));
    body.header_row(&t.columns.iter().map(|c| c.title).collect::<Vec<_>>());
    for row in &t.rows {
        let texts: Vec<Option<Cow<'_, str>>> = row.iter().map(cell_text).collect();
        body.row(
            (row.iter().zip(&texts).zip(&places))
                .map(|((c, text), p)| value(c, text.as_deref(), *p)),
        );
    }
    body.end_sheet();
}

/// Each column's width in characters: enough for its longest value and its heading's longest
/// word (headings wrap), between 8 and 50.
fn widths(t: &Sheet) -> Vec<u32> {
    (t.columns.iter().enumerate())
        .map(|(i, c)| {
            let heading = c.title.split(' ').map(|w| w.chars().count()).max();
            let longest = (t.rows.iter())
                .filter_map(|r| r.get(i))
                .map(|c| match c {
                    Cell::Text(s) => s.lines().map(|l| l.chars().count()).max().unwrap_or(0),
                    Cell::Money(d) | Cell::Number(d) => d.to_string().len() * 4 / 3 + 1,
                    Cell::Count(n) => n.to_string().len() * 4 / 3,
                    Cell::Date(_) => 10,
                    Cell::Bool(_) => 3,
                    Cell::Empty => 0,
                })
                .max();
            let w = heading.into_iter().chain(longest).max().unwrap_or(8);
            u32::try_from(w).unwrap_or(50).clamp(8, 50)
        })
        .collect()
}

/// `A`, `B`, …, `Z`, `AA`: a column's letter.
fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// What a column holds, from the cells it has.
fn column_meaning(t: &Sheet, i: usize, currency: &str) -> String {
    let mut kinds: Vec<&str> = Vec::new();
    for row in &t.rows {
        let k = match row.get(i) {
            Some(Cell::Text(_)) => "text",
            Some(Cell::Money(_)) => "money",
            Some(Cell::Number(_)) => "number",
            Some(Cell::Count(_)) => "count",
            Some(Cell::Date(_)) => "date",
            Some(Cell::Bool(_)) => "yes/no",
            Some(Cell::Empty) | None => continue,
        };
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    kinds.sort_unstable();
    let said: Vec<String> = kinds
        .iter()
        .map(|k| match *k {
            "money" => format!("an amount of money in {currency}, exact"),
            "number" => "a number (a percentage is in per cent: 52.5 is 52.5%)".to_string(),
            "count" => "a whole number".to_string(),
            "date" => "a date".to_string(),
            "yes/no" => "yes or no".to_string(),
            _ => "text".to_string(),
        })
        .collect();
    if said.is_empty() {
        "Empty in this table.".to_string()
    } else {
        let mut s = said.join(", or ");
        if let Some(first) = s.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        s + "."
    }
}

/// The notes every file has, before those on columns.
fn general_notes(about: &About) -> Vec<String> {
    let mut notes = vec![
        format!(
            "Money is in {}, stored as the exact amount and shown to the penny: negative \
             amounts have a minus sign, not brackets.",
            about.currency
        ),
        "Figures and counts are numbers, not text. Dates are date cells, shown dd/mm/yyyy. \
         Yes-or-no columns hold the text yes or no."
            .to_string(),
        "An empty cell means there is no value: none was given, or it does not apply. It never \
         means zero."
            .to_string(),
        "Text that begins with =, +, -, @, a tab or a carriage return starts with an apostrophe \
         ('), so that no spreadsheet can run it as a formula."
            .to_string(),
    ];
    match about.exempt {
        Exempt::Withheld => notes.push(format!(
            "Exempt information (under {}) is withheld from these tables where it is, as it is \
             from the pages: an exempt item is left out or shown only as a stub.",
            about.schedule
        )),
        Exempt::Included => notes.push(format!(
            "This copy is for members: it includes any exempt information (under {}), which \
             must not be published.",
            about.schedule
        )),
    }
    notes
}

/// The `Notes` sheet: the general notes, then what each column of each table means. Tables
/// with one name (every highlight report's `activities`) share their column notes.
fn notes_sheet(body: &mut Body, about: &About, tables: &[(String, &Table<'_>)], workbook: bool) {
    let mut rows: Vec<(String, String)> = general_notes(about)
        .into_iter()
        .map(|n| ("Every table".to_string(), n))
        .collect();
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for (sheet, t) in tables {
        let s = t.sheet;
        if workbook && seen.insert(s.name, ()).is_some() {
            continue;
        }
        for (i, c) in s.columns.iter().enumerate() {
            let applies = if workbook {
                format!(
                    "Column {} ({}) of each {} table",
                    column_letter(i),
                    c.title,
                    s.name
                )
            } else {
                format!("Column {} ({}) of {sheet}", column_letter(i), c.title)
            };
            rows.push((applies, column_meaning(s, i, &about.currency)));
        }
    }
    body.begin_sheet(NOTES, &[8, 40, 80]);
    body.header_row(&["Note number", "Applies to", "Note text"]);
    for (i, (applies, note)) in rows.iter().enumerate() {
        body.row([
            Value::Count(i64::try_from(i + 1).unwrap_or(i64::MAX)),
            Value::Text(applies),
            Value::Text(note),
        ]);
    }
    body.end_sheet();
}

/// The `Cover_sheet`: a title in A1, then what the file is, a label in column A and its
/// value in B.
fn cover_sheet(body: &mut Body, title: &str, lines: &[(&str, String)]) {
    body.begin_sheet(COVER, &[20, 80]);
    body.row([Value::Title(title)]);
    for (label, text) in lines {
        body.row([Value::Heading(label), Value::Text(text)]);
    }
    body.end_sheet();
}

fn source() -> String {
    format!(
        "boardpack {}, from the board's papers as published",
        env!("CARGO_PKG_VERSION")
    )
}

/// One table as an ODS file: cover, notes, then the table.
pub fn table_file(t: &Table<'_>, about: &About) -> Vec<u8> {
    let s = t.sheet;
    let name = table_sheet_name(s);
    let mut body = Body::new(&about.currency);
    let mut cover = vec![
        (
            "About this file",
            format!(
                "One table from a page of {}: {}. The same table is published beside it as \
                 CSV and JSON.",
                t.from.site, s.title
            ),
        ),
        ("Published by", t.from.publisher.clone()),
        ("Page", t.from.page.clone()),
    ];
    if let Some(p) = t.period {
        cover.push(("Period", p.to_string()));
    }
    cover.push(("Source", source()));
    cover.push((
        "Sheets",
        format!(
            "{NOTES}: how values are shown and what each column means. {name}: the table, \
             {} rows under one header row.",
            s.rows.len()
        ),
    ));
    cover_sheet(&mut body, &s.title, &cover);
    notes_sheet(&mut body, about, &[(name.clone(), t)], false);
    table_sheet(&mut body, &name, s);
    body.package(&s.title, &about.language)
}

/// The name of a period's workbook, beside its page: `board-pack-2009-10-q2-tables.ods`.
pub fn workbook_name(period_slug: &str) -> String {
    format!("board-pack-{period_slug}-tables.ods")
}

/// Every table of a period's board pack in one workbook: cover, notes, contents, then each
/// table on its own sheet (`T1_Programmes`, …) in the order the board pack shows them.
pub fn period_workbook(
    period: &str,
    site: &Provenance,
    tables: &[Table<'_>],
    about: &About,
) -> Vec<u8> {
    let named: Vec<(String, &Table<'_>)> = (tables.iter().enumerate())
        .map(|(i, t)| {
            (
                sheet_name(&format!("T{}_{}", i + 1, table_sheet_name(t.sheet))),
                t,
            )
        })
        .collect();
    let title = format!("Board pack {period}: every table");
    let mut body = Body::new(&about.currency);
    cover_sheet(
        &mut body,
        &title,
        &[
            (
                "About this file",
                format!(
                    "Every table of the {period} board pack of {}, one to a sheet: the board \
                     pack's own and each report's, in agenda order. Each is also published \
                     on its page as CSV, JSON and ODS.",
                    site.site
                ),
            ),
            ("Published by", site.publisher.clone()),
            ("Page", site.page.clone()),
            ("Period", period.to_string()),
            ("Source", source()),
            (
                "Sheets",
                format!(
                    "{NOTES}: how values are shown and what each column means. {CONTENTS}: \
                     the {} tables, with the page each comes from.",
                    named.len()
                ),
            ),
        ],
    );
    notes_sheet(&mut body, about, &named, true);
    body.begin_sheet(CONTENTS, &[16, 60, 40, 50, 8]);
    body.header_row(&["Sheet", "Table", "Page", "Same table as CSV", "Rows"]);
    for (name, t) in &named {
        let csv = format!("{}{}.csv", t.from.page, t.sheet.name);
        body.row([
            Value::SheetLink(name),
            Value::Text(&t.sheet.title),
            Value::Text(&t.from.page),
            Value::Text(&csv),
            Value::Count(i64::try_from(t.sheet.rows.len()).unwrap_or(i64::MAX)),
        ]);
    }
    body.end_sheet();
    for (name, t) in &named {
        table_sheet(&mut body, name, t.sheet);
    }
    body.package(&title, &about.language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_and_valid() {
        assert_eq!(sheet_name("a:b/c?d*e[f]g\\h"), "a_b_c_d_e_f_g_h");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        assert_eq!(sheet_name("'quoted'"), "quoted");
        assert_eq!(sheet_name(""), "Table");
        let t = Sheet::new("budget-lines", "Budget lines", &[("a", "A")]);
        assert_eq!(table_sheet_name(&t), "Budget_lines");
        let t = Sheet::new("notes", "Notes", &[("a", "A")]);
        assert_eq!(table_sheet_name(&t), "Table");
    }

    fn content_of(ods: &[u8]) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(ods)).unwrap();
        let mut f = z.by_name("content.xml").unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut f, &mut s).unwrap();
        s
    }

    #[test]
    fn text_a_spreadsheet_could_run_is_guarded_as_in_the_csv() {
        let mut t = Sheet::new("x", "X", &[("a", "A"), ("b", "B")]);
        t.push(vec![Cell::text("=HYPERLINK(\"x\")"), Cell::text("-552")]);
        t.push(vec![Cell::text("@cmd"), Cell::Bool(true)]);
        let from = Provenance::default();
        let about = About {
            currency: "GBP".into(),
            language: "en-GB".into(),
            schedule: "Schedule 12A",
            exempt: Exempt::Withheld,
        };
        let ods = table_file(
            &Table {
                sheet: &t,
                from: &from,
                period: None,
            },
            &about,
        );
        let xml = content_of(&ods);
        let table = &xml[xml.find("table:name=\"X\"").unwrap()..];
        assert!(
            table.contains("<text:p>&#39;=HYPERLINK(&quot;x&quot;)</text:p>"),
            "{table}"
        );
        assert!(table.contains("<text:p>&#39;@cmd</text:p>"));
        // A plain number written as text stays as it is, and text: never a formula.
        assert!(table.contains("<text:p>-552</text:p>"));
        assert!(table.contains("<text:p>yes</text:p>"));
        assert!(!xml.contains("table:formula"));
    }

    #[test]
    fn every_amount_of_money_in_range_is_written_exactly() {
        // Pence up to 10^13, either sign: the digits in the file are the Decimal's own.
        let mut t = Sheet::new("m", "M", &[("a", "A")]);
        let amounts: Vec<rust_decimal::Decimal> = [
            "0.01",
            "-0.01",
            "99999999999.99",
            "-99999999999.99",
            "1879193.50",
            "0.10",
            "123456789012.34",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        for a in &amounts {
            t.push(vec![Cell::Money(*a)]);
        }
        let from = Provenance::default();
        let about = About {
            currency: "GBP".into(),
            language: "en-GB".into(),
            schedule: "Schedule 12A",
            exempt: Exempt::Included,
        };
        let xml = content_of(&table_file(
            &Table {
                sheet: &t,
                from: &from,
                period: None,
            },
            &about,
        ));
        let held: Vec<&str> = xml
            .split("office:value=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        // The notes number their rows; the table's cells come last.
        let held = &held[held.len() - amounts.len()..];
        let want: Vec<String> = amounts.iter().map(|a| a.to_string()).collect();
        assert_eq!(held, want);
    }

    #[test]
    fn columns_are_lettered_like_a_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn a_column_is_described_by_what_it_holds() {
        let mut t = Sheet::new("x", "X", &[("a", "A"), ("b", "B"), ("c", "C")]);
        t.push(vec![
            Cell::Money(1.into()),
            Cell::Empty,
            Cell::Text("x".into()),
        ]);
        t.push(vec![Cell::Money(2.into()), Cell::Empty, Cell::count(1)]);
        assert_eq!(
            column_meaning(&t, 0, "GBP"),
            "An amount of money in GBP, exact."
        );
        assert_eq!(column_meaning(&t, 1, "GBP"), "Empty in this table.");
        assert_eq!(column_meaning(&t, 2, "GBP"), "A whole number, or text.");
    }
}
