//! Convert a boardpack site into an equivalent Hugo site, for the benchmark comparison.
//!
//! ```text
//! cargo run --release --example gen_hugo -- SITE HUGO_DIR [--force]
//! ```
//!
//! Every document under `SITE/content` is copied to the same path under `HUGO_DIR/content`
//! byte for byte, except that a few lines are inserted right after the opening `+++`, giving
//! Hugo what boardpack works out for itself:
//!
//! - `url`: boardpack's permalink (`/programmes/<id>/<period>/`, `/budget/<period>/`, …);
//! - `periods = ["<period-slug>"]` and, for highlight reports, `programmes = ["<id>"]`: the two
//!   taxonomies whose term pages are the period board packs and the programme pages;
//! - `weight`: the agenda order within a period (programmes in `boardpack.toml` order, then
//!   budget, indicators, actions);
//! - `date`: the first day of the period, so programme pages can list reports newest first.
//!
//! The rest of the front matter (boardpack's `kind`, objectives, activities, budget lines…) is
//! left as it is: Hugo reads it as page params. The converter also writes the taxonomy term
//! pages' own front matter (`content/periods/<slug>/_index.md` with the period's label and
//! dates, `content/programmes/<id>/_index.md` with title and lead), an accessibility page,
//! `config.toml` from `boardpack.toml`, and copies the layouts from `bench/hugo/layouts` and
//! the default theme's static files. See docs/benchmarks.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn die(msg: &str) -> ! {
    eprintln!("gen_hugo: {msg}");
    std::process::exit(2);
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| die(&format!("{}: {e}", path.display())))
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
    }
    std::fs::write(path, text).unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
}

fn copy_tree(from: &Path, to: &Path) -> usize {
    let mut n = 0;
    for e in walkdir::WalkDir::new(from).sort_by_file_name() {
        let e = e.unwrap_or_else(|e| die(&e.to_string()));
        let rel = e
            .path()
            .strip_prefix(from)
            .expect("walkdir stays under its root");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest)
                .unwrap_or_else(|err| die(&format!("{}: {err}", dest.display())));
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dest)
                .unwrap_or_else(|err| die(&format!("{}: {err}", dest.display())));
            n += 1;
        }
    }
    n
}

/// A TOML basic string.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

// ---------------------------------------------------------------------------------- periods

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

fn date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Period {
    year: i64,
    quarter: Option<i64>,
}

impl Period {
    /// `2009/10 Q2`, `2009-10 Q2`, `2009/10`.
    fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let year: i64 = s.get(..4)?.parse().ok()?;
        let quarter = match s.to_ascii_lowercase().split_once('q') {
            Some((_, q)) => Some(q.trim().parse().ok()?),
            None => None,
        };
        Some(Period { year, quarter })
    }

    fn slug(self) -> String {
        let y = format!("{}-{:02}", self.year, (self.year + 1).rem_euclid(100));
        match self.quarter {
            Some(q) => format!("{y}-q{q}"),
            None => y,
        }
    }

    fn label(self) -> String {
        let y = format!("{}/{:02}", self.year, (self.year + 1).rem_euclid(100));
        match self.quarter {
            Some(q) => format!("{y} Q{q}"),
            None => y,
        }
    }

    /// First and last day, with the financial year starting on `(month, day)`.
    fn bounds(self, start: (i64, i64)) -> (i64, i64) {
        let add_months = |months: i64| {
            let m0 = start.0 - 1 + months;
            let (y, m) = (self.year + m0.div_euclid(12), m0.rem_euclid(12) + 1);
            days_from_civil(y, m, start.1)
        };
        match self.quarter {
            Some(q) => (add_months((q - 1) * 3), add_months(q * 3) - 1),
            None => (add_months(0), add_months(12) - 1),
        }
    }
}

// ---------------------------------------------------------------------------------- documents

struct Doc {
    rel: String,
    text: String,
    /// Where the injected lines go: just after the opening `+++` line.
    insert_at: usize,
    table: toml::Table,
}

fn split(text: &str) -> Option<(usize, usize)> {
    let first = text.find('\n')?;
    if text[..first].trim() != "+++" {
        return None;
    }
    let mut offset = first + 1;
    for line in text[first + 1..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((first + 1, offset));
        }
        offset += line.len();
    }
    None
}

fn str_of<'a>(t: &'a toml::Table, key: &str) -> Option<&'a str> {
    t.get(key).and_then(toml::Value::as_str)
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let force = args.iter().any(|a| a == "--force");
    args.retain(|a| a != "--force");
    let [site, out] = args.as_slice() else {
        die("usage: gen_hugo SITE HUGO_DIR [--force]");
    };
    let (site, out) = (PathBuf::from(site), PathBuf::from(out));
    if out.exists() {
        if !force {
            die(&format!(
                "{} exists; pass --force to replace it",
                out.display()
            ));
        }
        std::fs::remove_dir_all(&out).unwrap_or_else(|e| die(&format!("{}: {e}", out.display())));
    }
    let started = std::time::Instant::now();
    let config: toml::Table = toml::from_str(&read(&site.join("boardpack.toml")))
        .unwrap_or_else(|e| die(&format!("boardpack.toml: {e}")));
    let fy_start = str_of(&config, "financial_year_start")
        .and_then(|s| s.split_once('-'))
        .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)))
        .unwrap_or((4, 1));
    let mut programmes: Vec<(String, String, Option<String>)> = config
        .get("programmes")
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    let t = p.as_table()?;
                    Some((
                        str_of(t, "id")?.to_string(),
                        str_of(t, "title")?.to_string(),
                        str_of(t, "lead").map(str::to_string),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();

    // Read every document as boardpack would find it.
    let content = site.join("content");
    let mut docs = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            e.depth() == 0 || !(n.starts_with('.') || n.starts_with('_') || n.ends_with('~'))
        });
    for e in walker {
        let e = e.unwrap_or_else(|e| die(&e.to_string()));
        if !e.file_type().is_file() || e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(&content)
            .expect("under content")
            .to_string_lossy()
            .replace('\\', "/");
        let text = read(e.path());
        let Some((front_start, front_end)) = split(&text) else {
            die(&format!("{rel}: no +++ front matter"));
        };
        let table: toml::Table = toml::from_str(&text[front_start..front_end])
            .unwrap_or_else(|err| die(&format!("{rel}: {err}")));
        docs.push(Doc {
            rel,
            text,
            insert_at: front_start,
            table,
        });
    }

    // Programmes that appear only in reports come after the configured ones, by id.
    let mut extra: Vec<(String, String)> = docs
        .iter()
        .filter(|d| str_of(&d.table, "kind") == Some("highlight"))
        .filter_map(|d| {
            let id = str_of(&d.table, "programme")?;
            (!programmes.iter().any(|p| p.0 == id)).then(|| {
                (
                    id.to_string(),
                    str_of(&d.table, "title").unwrap_or(id).to_string(),
                )
            })
        })
        .collect();
    extra.sort();
    extra.dedup_by(|a, b| a.0 == b.0);
    programmes.extend(extra.into_iter().map(|(id, title)| (id, title, None)));
    let agenda = |id: &str| programmes.iter().position(|p| p.0 == id).unwrap_or(0) + 1;
    let after = programmes.len() + 1;

    let mut periods: Vec<Period> = Vec::new();
    let hc = out.join("content");
    for d in &docs {
        let kind = str_of(&d.table, "kind").unwrap_or("page");
        let mut inject = String::new();
        if kind == "page" {
            let stem = Path::new(&d.rel)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let slug = str_of(&d.table, "slug").map_or(stem, str::to_string);
            let _ = writeln!(inject, "url = {}", q(&format!("/{slug}/")));
        } else {
            let period = str_of(&d.table, "period")
                .and_then(Period::parse)
                .unwrap_or_else(|| die(&format!("{}: no valid period", d.rel)));
            if !periods.contains(&period) {
                periods.push(period);
            }
            let slug = period.slug();
            let (url, weight) = match kind {
                "highlight" => {
                    let id = str_of(&d.table, "programme").unwrap_or("unknown");
                    let _ = writeln!(inject, "programmes = [{}]", q(id));
                    (format!("/programmes/{id}/{slug}/"), agenda(id))
                }
                "budget" => (format!("/budget/{slug}/"), after),
                "indicators" => (format!("/indicators/{slug}/"), after + 1),
                _ => (format!("/actions/{slug}/"), after + 2),
            };
            let _ = writeln!(inject, "url = {}", q(&url));
            let _ = writeln!(inject, "periods = [{}]", q(&slug));
            let _ = writeln!(inject, "weight = {weight}");
            let _ = writeln!(inject, "date = {}", date(period.bounds(fy_start).0));
        }
        let mut text = String::with_capacity(d.text.len() + inject.len());
        text.push_str(&d.text[..d.insert_at]);
        text.push_str(&inject);
        text.push_str(&d.text[d.insert_at..]);
        write(&hc.join(&d.rel), &text);
    }

    // Term pages' own front matter.
    periods.sort();
    for p in &periods {
        let (start, end) = p.bounds(fy_start);
        write(
            &hc.join("periods").join(p.slug()).join("_index.md"),
            &format!(
                "+++\ntitle = {}\nstart = {}\nend = {}\n+++\n",
                q(&p.label()),
                date(start),
                date(end)
            ),
        );
    }
    for (i, (id, title, lead)) in programmes.iter().enumerate() {
        let mut t = format!("+++\ntitle = {}\nweight = {}\n", q(title), i + 1);
        if let Some(lead) = lead {
            let _ = writeln!(t, "lead = {}", q(lead));
        }
        t.push_str("+++\n");
        write(&hc.join("programmes").join(id).join("_index.md"), &t);
    }
    write(
        &hc.join("accessibility.md"),
        "+++\ntitle = \"Accessibility statement\"\nkind = \"accessibility\"\nurl = \"/accessibility/\"\n+++\n",
    );

    // Site configuration from boardpack.toml.
    let mut cfg = String::new();
    let _ = writeln!(cfg, "# Written by gen_hugo from boardpack.toml.");
    let _ = writeln!(
        cfg,
        "baseURL = {}",
        q(str_of(&config, "base_url").unwrap_or("/"))
    );
    let _ = writeln!(cfg, "title = {}", q(str_of(&config, "title").unwrap_or("")));
    let _ = writeln!(
        cfg,
        "languageCode = {}",
        q(str_of(&config, "language").unwrap_or("en-GB"))
    );
    let _ = writeln!(
        cfg,
        "disableKinds = [\"RSS\", \"sitemap\", \"robotsTXT\", \"section\", \"taxonomy\"]"
    );
    let _ = writeln!(cfg, "ignoreErrors = [\"error-disable-taxonomy\"]");
    let _ = writeln!(cfg, "enableRobotsTXT = false");
    let _ = writeln!(
        cfg,
        "\n[taxonomies]\nperiod = \"periods\"\nprogramme = \"programmes\""
    );
    let _ = writeln!(
        cfg,
        "\n[params]\norganisation = {}",
        q(str_of(&config, "organisation").unwrap_or(""))
    );
    let _ = writeln!(
        cfg,
        "\n# Raw HTML in Markdown is escaped, as boardpack does by default.\n[markup.goldmark.renderer]\nunsafe = false"
    );
    write(&out.join("config.toml"), &cfg);

    let layouts = Path::new(MANIFEST_DIR).join("bench/hugo/layouts");
    let n_layouts = copy_tree(&layouts, &out.join("layouts"));
    let theme_static = Path::new(MANIFEST_DIR).join("themes/default/static");
    let n_static = if theme_static.is_dir() {
        copy_tree(&theme_static, &out.join("static"))
    } else {
        0
    };
    eprintln!(
        "gen_hugo: converted {} documents ({} periods, {} programmes) into {} with {n_layouts} layouts and {n_static} static files in {:.2?}",
        docs.len(),
        periods.len(),
        programmes.len(),
        out.display(),
        started.elapsed()
    );
}
