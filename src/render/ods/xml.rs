//! The ODS package itself: the XML of each sheet, its styles, and the zip that holds them,
//! written so that the same cells always give the same bytes.
//!
//! We write the XML ourselves rather than through `spreadsheet-ods` (which the tests use to read
//! the files back): its writer takes numbers only as `f64`, walks `HashMap`s (whose order changes
//! from run to run) for styles and the manifest, and stamps every zip entry with the clock.
//! Here a figure's `office:value` is its `Decimal` written out, styles come from fixed lists,
//! and every zip entry has the zip format's earliest time, 1980-01-01 00:00.

use std::fmt::Write as _;
use std::io::Write as _;

use jiff::civil::Date;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::render::download::uk_date;

/// The most decimal places a figure column shows; the cell keeps its exact value.
pub(super) const MAX_SHOWN_PLACES: u32 = 6;

/// One cell as the package writes it.
pub(super) enum Value<'a> {
    Empty,
    /// Text as it is to be read, formula guard already applied.
    Text(&'a str),
    /// Bold text that heads a column.
    Heading(&'a str),
    /// A sheet's title, in large bold text.
    Title(&'a str),
    /// Text that links to cell A1 of another sheet of the workbook.
    SheetLink(&'a str),
    Money(Decimal),
    /// A figure, shown with this many decimal places (at most [`MAX_SHOWN_PLACES`]).
    Number(Decimal, u32),
    Count(i64),
    Date(Date),
}

/// What the currency looks like in a cell: the symbol and the locale it belongs to.
fn currency_symbol(code: &str) -> (&str, Option<(&'static str, &'static str)>) {
    match code {
        "GBP" => ("£", Some(("en", "GB"))),
        "EUR" => ("€", None),
        "USD" => ("$", Some(("en", "US"))),
        _ => (code, None),
    }
}

/// The sheets of one workbook, written one after another.
pub(super) struct Body {
    xml: String,
    /// Column widths used, in characters, so that each gets a style.
    widths: std::collections::BTreeSet<u32>,
    currency: String,
}

impl Body {
    pub(super) fn new(currency: &str) -> Self {
        Self {
            xml: String::new(),
            widths: Default::default(),
            currency: currency.to_string(),
        }
    }

    /// Start a sheet whose columns are these many characters wide.
    pub(super) fn begin_sheet(&mut self, name: &str, widths: &[u32]) {
        let _ = write!(self.xml, "<table:table table:name=\"{}\">", attr(name));
        for w in widths {
            self.widths.insert(*w);
            let _ = write!(self.xml, "<table:table-column table:style-name=\"co{w}\"/>");
        }
    }

    /// The one header row: marked as such, so that it repeats on every printed page.
    pub(super) fn header_row(&mut self, headings: &[&str]) {
        self.xml.push_str("<table:table-header-rows>");
        self.row(headings.iter().map(|h| Value::Heading(h)));
        self.xml.push_str("</table:table-header-rows>");
    }

    pub(super) fn row<'a>(&mut self, cells: impl IntoIterator<Item = Value<'a>>) {
        self.xml.push_str("<table:table-row>");
        for c in cells {
            self.cell(&c);
        }
        self.xml.push_str("</table:table-row>");
    }

    pub(super) fn end_sheet(&mut self) {
        self.xml.push_str("</table:table>");
    }

    fn cell(&mut self, v: &Value<'_>) {
        let x = &mut self.xml;
        match v {
            Value::Empty => x.push_str("<table:table-cell/>"),
            Value::Text(s) | Value::Heading(s) | Value::Title(s) if s.is_empty() => {
                x.push_str("<table:table-cell/>")
            }
            Value::Text(s) => {
                x.push_str("<table:table-cell office:value-type=\"string\">");
                paragraphs(x, s);
                x.push_str("</table:table-cell>");
            }
            Value::Heading(s) | Value::Title(s) => {
                let style = if matches!(v, Value::Title(_)) {
                    "ce-title"
                } else {
                    "ce-head"
                };
                let _ = write!(
                    x,
                    "<table:table-cell table:style-name=\"{style}\" office:value-type=\"string\">"
                );
                paragraphs(x, s);
                x.push_str("</table:table-cell>");
            }
            Value::SheetLink(name) => {
                let _ = write!(
                    x,
                    "<table:table-cell office:value-type=\"string\"><text:p>\
                     <text:a xlink:type=\"simple\" xlink:href=\"#{}.A1\">{}</text:a>\
                     </text:p></table:table-cell>",
                    attr(&sheet_ref(name)),
                    text(name)
                );
            }
            Value::Money(d) => {
                let (symbol, _) = currency_symbol(&self.currency);
                let _ = write!(
                    x,
                    "<table:table-cell table:style-name=\"ce-money\" office:value-type=\"currency\" \
                     office:currency=\"{}\" office:value=\"{d}\"><text:p>{}</text:p></table:table-cell>",
                    attr(&self.currency),
                    text(&shown_money(*d, symbol))
                );
            }
            Value::Number(d, places) => {
                let places = (*places).min(MAX_SHOWN_PLACES);
                let _ = write!(
                    x,
                    "<table:table-cell table:style-name=\"ce-num{places}\" office:value-type=\"float\" \
                     office:value=\"{d}\"><text:p>{}</text:p></table:table-cell>",
                    shown(*d, places)
                );
            }
            Value::Count(n) => {
                let _ = write!(
                    x,
                    "<table:table-cell table:style-name=\"ce-num0\" office:value-type=\"float\" \
                     office:value=\"{n}\"><text:p>{}</text:p></table:table-cell>",
                    shown(Decimal::from(*n), 0)
                );
            }
            Value::Date(d) => {
                let _ = write!(
                    x,
                    "<table:table-cell table:style-name=\"ce-date\" office:value-type=\"date\" \
                     office:date-value=\"{d}\"><text:p>{}</text:p></table:table-cell>",
                    uk_date(*d)
                );
            }
        }
    }

    /// The whole package: `title` and `language` go into its metadata.
    pub(super) fn package(self, title: &str, language: &str) -> Vec<u8> {
        let mut content = String::with_capacity(self.xml.len() + 4096);
        content.push_str(XML_DECL);
        let _ = write!(
            content,
            "<office:document-content {NAMESPACES} office:version=\"1.3\">"
        );
        content.push_str("<office:automatic-styles>");
        data_styles(&mut content, &self.currency);
        for w in &self.widths {
            // About a fifth of a centimetre a character, and room for the cell's padding.
            let mm = w * 2 + 4;
            let _ = write!(
                content,
                "<style:style style:name=\"co{w}\" style:family=\"table-column\">\
                 <style:table-column-properties style:column-width=\"{}.{}cm\"/></style:style>",
                mm / 10,
                mm % 10
            );
        }
        content.push_str("</office:automatic-styles><office:body><office:spreadsheet>");
        content.push_str(&self.xml);
        content.push_str("</office:spreadsheet></office:body></office:document-content>");
        let meta = format!(
            "{XML_DECL}<office:document-meta {NAMESPACES} office:version=\"1.3\"><office:meta>\
             <meta:generator>boardpack/{}</meta:generator><dc:title>{}</dc:title>\
             <dc:language>{}</dc:language></office:meta></office:document-meta>",
            env!("CARGO_PKG_VERSION"),
            text(title),
            text(language)
        );
        let styles = format!(
            "{XML_DECL}<office:document-styles {NAMESPACES} office:version=\"1.3\"><office:styles>\
             <style:default-style style:family=\"table-cell\"><style:table-cell-properties \
             style:vertical-align=\"top\"/></style:default-style></office:styles>\
             </office:document-styles>"
        );
        zip(&[
            ("content.xml", content.as_bytes()),
            ("styles.xml", styles.as_bytes()),
            ("meta.xml", meta.as_bytes()),
            ("META-INF/manifest.xml", MANIFEST.as_bytes()),
        ])
    }
}

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

const NAMESPACES: &str = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
     xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" \
     xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
     xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
     xmlns:number=\"urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0\" \
     xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" \
     xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
     xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" \
     xmlns:dc=\"http://purl.org/dc/elements/1.1/\"";

const MEDIA_TYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const MANIFEST: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
    <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" \
    manifest:version=\"1.3\">\
    <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" \
    manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
    <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
    <manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\
    <manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>\
    </manifest:manifest>";

/// The number formats and cell styles every workbook has: money in the site's currency with
/// two decimal places and a minus sign for negatives (`-£1,234.50`), figures with 0 to
/// [`MAX_SHOWN_PLACES`] places, dates as `dd/mm/yyyy`, and bold headings.
fn data_styles(x: &mut String, currency: &str) {
    let (symbol, locale) = currency_symbol(currency);
    let locale = locale.map_or(String::new(), |(l, c)| {
        format!(" number:language=\"{l}\" number:country=\"{c}\"")
    });
    let amount = "<number:number number:decimal-places=\"2\" number:min-decimal-places=\"2\" \
                  number:min-integer-digits=\"1\" number:grouping=\"true\"/>";
    let symbol = format!(
        "<number:currency-symbol{locale}>{}</number:currency-symbol>",
        text(symbol)
    );
    let _ = write!(
        x,
        "<number:currency-style style:name=\"N-money-pos\">{symbol}{amount}</number:currency-style>\
         <number:currency-style style:name=\"N-money\"><number:text>-</number:text>{symbol}{amount}\
         <style:map style:condition=\"value()&gt;=0\" style:apply-style-name=\"N-money-pos\"/>\
         </number:currency-style>\
         <style:style style:name=\"ce-money\" style:family=\"table-cell\" style:data-style-name=\"N-money\"/>"
    );
    for p in 0..=MAX_SHOWN_PLACES {
        let _ = write!(
            x,
            "<number:number-style style:name=\"N-num{p}\"><number:number number:decimal-places=\"{p}\" \
             number:min-decimal-places=\"{p}\" number:min-integer-digits=\"1\" number:grouping=\"true\"/>\
             </number:number-style>\
             <style:style style:name=\"ce-num{p}\" style:family=\"table-cell\" style:data-style-name=\"N-num{p}\"/>"
        );
    }
    x.push_str(
        "<number:date-style style:name=\"N-date\"><number:day number:style=\"long\"/>\
         <number:text>/</number:text><number:month number:style=\"long\"/><number:text>/</number:text>\
         <number:year number:style=\"long\"/></number:date-style>\
         <style:style style:name=\"ce-date\" style:family=\"table-cell\" style:data-style-name=\"N-date\"/>\
         <style:style style:name=\"ce-head\" style:family=\"table-cell\">\
         <style:table-cell-properties fo:wrap-option=\"wrap\"/>\
         <style:text-properties fo:font-weight=\"bold\"/></style:style>\
         <style:style style:name=\"ce-title\" style:family=\"table-cell\">\
         <style:text-properties fo:font-size=\"14pt\" fo:font-weight=\"bold\"/></style:style>",
    );
}

/// The zip: `mimetype` first and stored, as ODF requires, then the rest compressed, each with
/// the same fixed time and permissions.
fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let fixed = SimpleFileOptions::default()
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // Writing to memory cannot fail but on a bug; an empty file then shows it.
    let written = (|| -> zip::result::ZipResult<Vec<u8>> {
        w.start_file(
            "mimetype",
            fixed.compression_method(zip::CompressionMethod::Stored),
        )?;
        w.write_all(MEDIA_TYPE.as_bytes())?;
        for (name, bytes) in files {
            // The fastest level: at 10,000 reports the default (6) took 6 s more of the
            // summaries' 14 s for files a quarter smaller (docs/benchmarks.md).
            w.start_file(
                *name,
                fixed
                    .compression_method(zip::CompressionMethod::Deflated)
                    .compression_level(Some(1)),
            )?;
            w.write_all(bytes)?;
        }
        Ok(w.finish()?.into_inner())
    })();
    written.unwrap_or_default()
}

/// A sheet name as a reference: quoted, with quotes doubled.
fn sheet_ref(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

/// `1,879,193.50` from the digits of a number already rounded.
fn grouped(d: Decimal, places: u32) -> String {
    let s = format!("{:.*}", places as usize, d.abs());
    let (whole, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::with_capacity(s.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// What a figure's cell shows before a spreadsheet formats it: `-1,234.5`.
fn shown(d: Decimal, places: u32) -> String {
    let r = d.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    let sign = if r.is_sign_negative() && !r.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}", grouped(r, places))
}

/// What a money cell shows: `-£1,234.50`.
fn shown_money(d: Decimal, symbol: &str) -> String {
    let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let sign = if r.is_sign_negative() && !r.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{symbol}{}", grouped(r, 2))
}

/// A character XML 1.0 cannot hold, which is replaced by U+FFFD.
fn unwritable(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Escape text content with the crate's one escaper, after replacing what XML cannot hold.
fn text(s: &str) -> String {
    crate::render::escape_html(&s.replace(unwritable, "\u{fffd}"))
}

/// Escape an attribute value: as text, and with its line ends and tabs as character
/// references, which an XML parser would otherwise turn into spaces.
fn attr(s: &str) -> String {
    text(s)
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

/// The lines of a text cell as paragraphs. ODF collapses runs of spaces and ignores tabs and
/// line ends in text, so each is written as an element that keeps it: `<text:s/>`,
/// `<text:tab/>`, and a new `<text:p>` for each line (`\r\n`, `\n` or `\r`).
fn paragraphs(x: &mut String, s: &str) {
    for line in s.split("\r\n").flat_map(|l| l.split(['\n', '\r'])) {
        if line.is_empty() {
            x.push_str("<text:p/>");
            continue;
        }
        x.push_str("<text:p>");
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                ' ' => {
                    let run = chars[i..].iter().take_while(|c| **c == ' ').count();
                    let edge = i == 0 || i + run == chars.len();
                    // One space between words stays as it is; any other is spelled out.
                    let literal = usize::from(!edge);
                    if literal == 1 {
                        x.push(' ');
                    }
                    match run - literal {
                        0 => {}
                        1 => x.push_str("<text:s/>"),
                        n => {
                            let _ = write!(x, "<text:s text:c=\"{n}\"/>");
                        }
                    }
                    i += run;
                }
                '\t' => {
                    x.push_str("<text:tab/>");
                    i += 1;
                }
                _ => {
                    // The rest of the line up to the next space or tab, escaped at once.
                    let end = (i..chars.len())
                        .find(|&j| chars[j] == ' ' || chars[j] == '\t')
                        .unwrap_or(chars.len());
                    x.push_str(&text(&chars[i..end].iter().collect::<String>()));
                    i = end;
                }
            }
        }
        x.push_str("</text:p>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn money_and_figures_show_as_a_finance_officer_expects() {
        assert_eq!(shown_money(d("-45594"), "£"), "-£45,594.00");
        assert_eq!(shown_money(d("1879193.505"), "£"), "£1,879,193.51");
        assert_eq!(shown_money(d("-0.001"), "£"), "£0.00");
        assert_eq!(shown(d("52.5"), 1), "52.5");
        assert_eq!(shown(d("1234567"), 0), "1,234,567");
        assert_eq!(shown(d("-12.25"), 1), "-12.3");
        assert_eq!(shown(d("999"), 2), "999.00");
    }

    #[test]
    fn spaces_tabs_and_lines_survive_odf_whitespace_rules() {
        let mut x = String::new();
        paragraphs(&mut x, " a  b\tc \r\nd\re\n\nf\n");
        assert_eq!(
            x,
            "<text:p><text:s/>a <text:s/>b<text:tab/>c<text:s/></text:p><text:p>d</text:p>\
             <text:p>e</text:p><text:p/><text:p>f</text:p><text:p/>"
        );
        let mut x = String::new();
        paragraphs(&mut x, "<&>\u{1}'\"");
        assert_eq!(x, "<text:p>&lt;&amp;&gt;\u{fffd}&#39;&quot;</text:p>");
    }

    #[test]
    fn attributes_escape_quotes_and_line_ends() {
        assert_eq!(attr("a\"b\n<\t"), "a&quot;b&#10;&lt;&#9;");
        assert_eq!(sheet_ref("Bob's"), "'Bob''s'");
    }

    #[test]
    fn the_package_starts_with_a_stored_mimetype_and_has_no_clock_in_it() {
        let mut b = Body::new("GBP");
        b.begin_sheet("T", &[10]);
        b.header_row(&["A"]);
        b.row([Value::Money(d("-1.5"))]);
        b.end_sheet();
        let bytes = b.package("Title", "en-GB");
        // ODF: the first entry is `mimetype`, uncompressed, so that its name and media type
        // sit at fixed offsets.
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..38 + MEDIA_TYPE.len()], MEDIA_TYPE.as_bytes());
        // Every local header's time and date: 00:00 on 1980-01-01.
        let mut at = 0;
        let mut entries = 0;
        while let Some(i) = bytes[at..].windows(4).position(|w| w == b"PK\x03\x04") {
            let h = at + i;
            assert_eq!(&bytes[h + 10..h + 14], &[0, 0, 0x21, 0], "entry {entries}");
            entries += 1;
            at = h + 4;
        }
        assert_eq!(entries, 5);
        let mut b2 = Body::new("GBP");
        b2.begin_sheet("T", &[10]);
        b2.header_row(&["A"]);
        b2.row([Value::Money(d("-1.5"))]);
        b2.end_sheet();
        assert_eq!(b2.package("Title", "en-GB"), bytes);
    }
}
