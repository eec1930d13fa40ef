//! ODS downloads, read back with `spreadsheet-ods` (a reader we do not write with): each matches
//! its CSV twin cell by cell, in value and type; each has a cover and a notes sheet, one header
//! row in row 1 and no merged cells; the bytes are the same from build to build; and each
//! period's workbook holds every table of its board pack.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;
use scraper::{Html, Selector};
use spreadsheet_ods::{Value, WorkBook};

use crate::common::{boardpack, fixture, repo_root, run};

/// Every entry of a zip, by name, in the order it holds them.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (f.name().to_string(), out)
        })
        .collect()
}

fn build(site: &Path, out: &Path, audience: &str, threads: &str) {
    let r = run(boardpack()
        .env("RAYON_NUM_THREADS", threads)
        .arg("--root")
        .arg(site)
        .args(["-q", "build", "--audience", audience, "--output"])
        .arg(out));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Every file under `dir` whose name ends with `ext`, relative to `dir`, sorted.
fn files(dir: &Path, ext: &str) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, ext: &str, acc: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, ext, acc);
            } else if p.to_string_lossy().ends_with(ext) {
                acc.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut acc = Vec::new();
    walk(dir, dir, ext, &mut acc);
    acc.sort();
    acc
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    r.records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn book(path: &Path) -> WorkBook {
    spreadsheet_ods::read_ods_buf(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{} does not read as ODS: {e}", path.display()))
}

/// The text of a text cell as a reader gets it: its paragraphs joined by line ends, with
/// `<text:s>` and `<text:tab>` spelled out.
fn text_of(v: &Value) -> Option<String> {
    fn flatten(content: &[spreadsheet_ods::xmltree::XmlContent], out: &mut String) {
        use spreadsheet_ods::xmltree::XmlContent;
        for c in content {
            match c {
                XmlContent::Text(t) => out.push_str(t),
                XmlContent::Tag(t) => match t.name() {
                    "text:s" => {
                        let n: usize = t.get_attr("text:c").map_or(1, |c| c.parse().unwrap());
                        out.push_str(&" ".repeat(n));
                    }
                    "text:tab" => out.push('\t'),
                    _ => flatten(t.content(), out),
                },
            }
        }
    }
    match v {
        Value::Text(s) => Some(s.clone()),
        Value::TextXml(ps) => {
            let lines: Vec<String> = ps
                .iter()
                .map(|p| {
                    let mut s = String::new();
                    flatten(p.content(), &mut s);
                    s
                })
                .collect();
            Some(lines.join("\n"))
        }
        _ => None,
    }
}

/// The `office:value` of each number and money cell of the sheet named `name`, in row order:
/// the exact figure the file holds, before any reader turns it into a float.
fn exact_values(ods: &[u8], name: &str) -> Vec<String> {
    let content = unzip(ods)
        .into_iter()
        .find(|(n, _)| n == "content.xml")
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .unwrap();
    let start = content
        .find(&format!("<table:table table:name=\"{name}\">"))
        .unwrap_or_else(|| panic!("no sheet {name}"));
    let end = start + content[start..].find("</table:table>").unwrap();
    content[start..end]
        .split("office:value=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

/// Compare a table sheet with its CSV: the same header in row 1, the same rows, each cell
/// the same value, numbers as numbers holding the same exact figure, dates as dates.
fn same_as_csv(ods_bytes: &[u8], sheet: &spreadsheet_ods::Sheet, csv: &[Vec<String>], at: &str) {
    let (rows, cols) = sheet.used_grid_size();
    assert_eq!(rows as usize, csv.len(), "{at}: rows");
    assert_eq!(cols as usize, csv[0].len(), "{at}: columns");
    let header = sheet.header_rows().expect("a header row");
    assert_eq!(
        (header.from, header.to),
        (0, 0),
        "{at}: one header row, row 1"
    );
    let mut exact = exact_values(ods_bytes, sheet.name()).into_iter();
    for (r, row) in csv.iter().enumerate() {
        for (c, field) in row.iter().enumerate() {
            let (ru, cu) = (r as u32, c as u32);
            let here = format!("{at}: {}{}", (b'A' + c as u8) as char, r + 1);
            assert!(
                sheet.row_span(ru, cu) <= 1 && sheet.col_span(ru, cu) <= 1,
                "{here} is merged"
            );
            let v = sheet.value(ru, cu);
            match v {
                Value::Empty => assert_eq!(field, "", "{here}"),
                Value::Number(f) | Value::Currency(f, _) => {
                    let d = Decimal::from_str(field)
                        .unwrap_or_else(|_| panic!("{here}: {field:?} is a number in the ODS"));
                    assert_eq!(*f, field.parse::<f64>().unwrap(), "{here}");
                    let held = exact.next().expect("an office:value for each number");
                    assert_eq!(Decimal::from_str(&held).unwrap(), d, "{here}: exact");
                    assert_eq!(&held, field, "{here}: the same digits as the CSV");
                    if let Value::Currency(_, code) = v {
                        assert_eq!(&**code, "GBP", "{here}");
                    }
                }
                Value::DateTime(d) => {
                    assert_eq!(d.format("%d/%m/%Y").to_string(), *field, "{here}")
                }
                Value::Text(_) | Value::TextXml(_) => {
                    let t = text_of(v).unwrap();
                    // ODF has no carriage return: a CSV line end of any kind is a new
                    // paragraph of the cell.
                    let want = field.replace("\r\n", "\n").replace('\r', "\n");
                    assert_eq!(t, want, "{here}");
                    assert!(r == 0 || Decimal::from_str(field).is_err() || !is_typed(sheet, c));
                }
                other => panic!("{here}: unexpected {other:?}"),
            }
        }
    }
    assert!(exact.next().is_none(), "{at}: numbers the CSV lacks");
}

/// Whether a column holds numbers or dates: then each of its filled cells must.
fn is_typed(sheet: &spreadsheet_ods::Sheet, c: usize) -> bool {
    let (rows, _) = sheet.used_grid_size();
    (1..rows).any(|r| {
        matches!(
            sheet.value(r, c as u32),
            Value::Number(_) | Value::Currency(..) | Value::DateTime(_)
        )
    })
}

fn sheet_names(b: &WorkBook) -> Vec<String> {
    b.iter_sheets().map(|s| s.name().clone()).collect()
}

fn valid_sheet_name(n: &str) -> bool {
    !n.is_empty()
        && n.chars().count() <= 31
        && !n.contains(['[', ']', ':', '*', '?', '/', '\\'])
        && !n.starts_with('\'')
        && !n.ends_with('\'')
}

/// Every CSV of a built site has an ODS twin beside it that matches it cell by cell.
fn every_twin_matches(out: &Path) -> usize {
    let csvs = files(out, ".csv");
    assert!(!csvs.is_empty(), "no CSV in {}", out.display());
    for rel in &csvs {
        let ods_rel = rel.replace(".csv", ".ods");
        let path = out.join(&ods_rel);
        assert!(path.is_file(), "{rel} has no ODS twin");
        let b = book(&path);
        let names = sheet_names(&b);
        assert_eq!(names.len(), 3, "{ods_rel}: {names:?}");
        assert_eq!(names[0], "Cover_sheet", "{ods_rel}");
        assert_eq!(names[1], "Notes", "{ods_rel}");
        assert!(names.iter().all(|n| valid_sheet_name(n)), "{names:?}");
        let bytes = std::fs::read(&path).unwrap();
        same_as_csv(&bytes, b.sheet(2), &read_csv(&out.join(rel)), &ods_rel);
        cover_and_notes_say_what_they_should(&b, &ods_rel);
    }
    csvs.len()
}

fn cover_and_notes_say_what_they_should(b: &WorkBook, at: &str) {
    let cover = b.sheet(0);
    let title = text_of(cover.value(0, 0)).unwrap_or_default();
    assert!(!title.is_empty(), "{at}: the cover's A1 is its title");
    let (rows, _) = cover.used_grid_size();
    let labels: Vec<String> = (1..rows)
        .filter_map(|r| text_of(cover.value(r, 0)))
        .collect();
    for l in ["About this file", "Published by", "Page", "Source"] {
        assert!(labels.iter().any(|x| x == l), "{at}: no {l} on the cover");
    }
    let all: String = (0..rows)
        .filter_map(|r| text_of(cover.value(r, 1)))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("boardpack"), "{at}: {all}");
    let notes = b.sheet(1);
    assert_eq!(text_of(notes.value(0, 0)).as_deref(), Some("Note number"));
    assert!(
        notes.header_rows().is_some(),
        "{at}: notes have a header row"
    );
    let (rows, _) = notes.used_grid_size();
    let text: Vec<String> = (1..rows)
        .filter_map(|r| text_of(notes.value(r, 2)))
        .collect();
    assert!(text.iter().any(|t| t.contains("minus sign")), "{at}");
    assert!(text.iter().any(|t| t.contains("empty cell")), "{at}");
}

#[test]
fn every_ods_download_matches_its_csv_cell_by_cell() {
    for site in [repo_root(), fixture("wigan"), fixture("hostile")] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        build(&site, &out, "public", "2");
        let n = every_twin_matches(&out);
        assert!(n > 0, "{}: no tables", site.display());
    }
}

#[test]
fn money_is_currency_counts_are_numbers_and_dates_are_dates() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&repo_root(), &out, "public", "2");
    let b = book(&out.join("budget/2009-10-q2/budget-lines.ods"));
    let t = b.sheet(2);
    let header: Vec<String> = (0..t.used_grid_size().1)
        .map(|c| text_of(t.value(0, c)).unwrap())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap() as u32;
    let row = (1..t.used_grid_size().0)
        .find(|&r| text_of(t.value(r, 0)).as_deref() == Some("staff-chief-exec"))
        .unwrap();
    match t.value(row, col("Variance")) {
        Value::Currency(v, code) => {
            assert_eq!((*v, &**code), (-552.0, "GBP"));
        }
        other => panic!("variance is {other:?}"),
    }
    assert_eq!(
        text_of(t.value(row, col("Memorandum item"))).as_deref(),
        Some("no")
    );
    // Every money cell has the currency format: a minus sign for negatives, never brackets.
    let content = unzip(&std::fs::read(out.join("budget/2009-10-q2/budget-lines.ods")).unwrap())
        .into_iter()
        .find(|(n, _)| n == "content.xml")
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .unwrap();
    assert!(
        content.contains("<text:p>-£552.00</text:p>"),
        "shown -£552.00"
    );
    assert!(
        content.contains("number:currency-symbol number:language=\"en\" number:country=\"GB\">£<")
    );
    assert!(
        !content.contains("number-columns-spanned") && !content.contains("number-rows-spanned")
    );

    let plan = b_of(&out, "plan/2009-10/deliverables.ods");
    let t = plan.sheet(2);
    let dates = (1..t.used_grid_size().0)
        .flat_map(|r| (0..t.used_grid_size().1).map(move |c| (r, c)))
        .filter(|&(r, c)| matches!(t.value(r, c), Value::DateTime(_)))
        .count();
    assert!(dates > 10, "the plan's dates are date cells: {dates}");
}

fn b_of(out: &Path, rel: &str) -> WorkBook {
    let p = out.join(rel);
    if p.is_file() {
        return book(&p);
    }
    let found: Vec<String> = files(out, ".ods");
    panic!("no {rel}: {found:?}");
}

#[test]
fn the_same_site_gives_the_same_ods_bytes_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    build(&repo_root(), &one, "public", "1");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    build(&repo_root(), &two, "public", "2");
    let odss = files(&one, ".ods");
    assert!(odss.len() > 10);
    assert_eq!(odss, files(&two, ".ods"));
    for rel in &odss {
        let bytes = std::fs::read(one.join(rel)).unwrap();
        let meta = unzip(&bytes)
            .into_iter()
            .find(|(n, _)| n == "meta.xml")
            .map(|(_, b)| String::from_utf8(b).unwrap())
            .unwrap();
        assert!(
            !meta.contains("date") && !meta.contains("editing"),
            "{rel}: no time in its metadata: {meta}"
        );
        assert!(
            std::fs::read(one.join(rel)).unwrap() == std::fs::read(two.join(rel)).unwrap(),
            "{rel} differs between two builds"
        );
    }
}

/// The CSVs of a page's own folder, not its subfolders.
fn csvs_in(out: &Path, url: &str) -> BTreeSet<String> {
    let dir = out.join(url.trim_start_matches('/'));
    std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                name.ends_with(".csv").then(|| format!("{url}{name}"))
            })
            .collect()
        })
        .unwrap_or_default()
}

#[test]
fn each_period_workbook_holds_every_table_of_its_board_pack() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&repo_root(), &out, "public", "2");
    let periods: Vec<PathBuf> = std::fs::read_dir(out.join("periods"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert!(!periods.is_empty());
    let mut checked = 0;
    for p in periods {
        let slug = p.file_name().unwrap().to_string_lossy().into_owned();
        let url = format!("/periods/{slug}/");
        let html = Html::parse_document(&std::fs::read_to_string(p.join("index.html")).unwrap());
        let reports: Vec<String> = html
            .select(&Selector::parse(".bp-report .bp-context a").unwrap())
            .map(|a| a.value().attr("href").unwrap().to_string())
            .collect();
        let mut want: BTreeSet<String> = csvs_in(&out, &url);
        for r in &reports {
            want.extend(csvs_in(&out, r));
        }
        let name = format!("board-pack-{slug}-tables.ods");
        let path = p.join(&name);
        if want.is_empty() {
            assert!(!path.exists(), "{name} with no table");
            continue;
        }
        // The board pack links it, saying what it is.
        let link = html
            .select(&Selector::parse(&format!("a[href='{url}{name}']")).unwrap())
            .next()
            .unwrap_or_else(|| panic!("no link to {name}"));
        let text: String = link.text().collect();
        assert!(text.contains("(ODS spreadsheet, "), "{text}");
        let b = book(&path);
        let names = sheet_names(&b);
        assert_eq!(&names[..3], ["Cover_sheet", "Notes", "Contents"], "{name}");
        assert!(names.iter().all(|n| valid_sheet_name(n)), "{names:?}");
        let contents = b.sheet(2);
        assert_eq!(contents.header_rows().map(|h| (h.from, h.to)), Some((0, 0)));
        let (rows, _) = contents.used_grid_size();
        assert_eq!(
            rows as usize - 1,
            names.len() - 3,
            "{name}: one row per table"
        );
        let bytes = std::fs::read(&path).unwrap();
        let mut listed = BTreeSet::new();
        for r in 1..rows {
            let sheet = text_of(contents.value(r, 0)).unwrap();
            assert_eq!(
                sheet,
                names[r as usize + 2],
                "{name}: contents in sheet order"
            );
            let csv = text_of(contents.value(r, 3)).unwrap();
            let at = format!("{name} {sheet}");
            same_as_csv(
                &bytes,
                b.sheet(r as usize + 2),
                &read_csv(&out.join(csv.trim_start_matches('/'))),
                &at,
            );
            assert!(listed.insert(csv), "{name}: a table twice");
        }
        assert_eq!(listed, want, "{name}: every table of the board pack, once");
        checked += 1;
    }
    assert!(checked > 0);
}
