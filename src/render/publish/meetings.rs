//! `meetings.json`: the board's meetings as data, shaped after OParl 1.1's `Body`, `Meeting`,
//! `AgendaItem`, `Paper` and `File` and using their property names where they fit
//! (`docs/meetings-json.md` has the schema). One meeting per period, newest first, with its
//! papers in agenda order, their pages, the board pack's PDF and every download.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::content::approval::Approved;
use crate::plan::Loaded;
use crate::plan::pages::{Plan, period_title};
use crate::render::publish;

/// The version of the shape below; a change that could break a reader raises it.
const FORMAT: &str = "boardpack-meetings/1";

#[derive(Serialize)]
struct Root<'a> {
    format: &'static str,
    body: Body<'a>,
    meeting: Vec<Meeting<'a>>,
}

#[derive(Serialize)]
struct Body<'a> {
    /// The organisation.
    name: &'a str,
    /// The board that meets: the site's title.
    organization: &'a str,
    /// The site's home page.
    web: &'a str,
    /// `public` or `members`: a members' file lists exempt papers as they are.
    audience: &'static str,
}

#[derive(Serialize)]
struct Meeting<'a> {
    /// The period's slug, `2009-10-q2`: stable, and the last part of `web`.
    id: String,
    name: String,
    period: PeriodInfo,
    /// The meeting's day, from the papers' `meeting` keys: the earliest they give.
    start: Option<Date>,
    /// The bodies the papers say they are for, in agenda order, each once.
    organization: Vec<&'a str>,
    web: &'a str,
    /// The latest date of its papers (the period's end, or a later approval).
    modified: Option<Date>,
    /// The board pack as a PDF, then the board pack page's downloads.
    #[serde(rename = "auxiliaryFile")]
    auxiliary_file: Vec<File>,
    #[serde(rename = "agendaItem")]
    agenda_item: Vec<AgendaItem<'a>>,
}

#[derive(Serialize)]
struct PeriodInfo {
    label: String,
    start: Date,
    end: Date,
}

#[derive(Serialize)]
struct AgendaItem<'a> {
    /// The paper's place in the board pack, as text (`"1"`): the papers carry no agenda item
    /// numbers of their own.
    number: String,
    order: usize,
    name: &'a str,
    /// Whether the paper is published: `false` for an exempt one.
    public: bool,
    paper: Paper<'a>,
}

#[derive(Serialize)]
struct Paper<'a> {
    name: &'a str,
    /// `Highlight report`, `Budget monitoring`, `Performance indicators`, `Action plan`.
    #[serde(rename = "paperType")]
    paper_type: &'static str,
    programme: Option<Programme<'a>>,
    web: &'a str,
    /// The date the paper bears.
    date: Option<Date>,
    /// Its author, as printed.
    originator: Option<&'a str>,
    draft: bool,
    approved: Option<&'a Approved>,
    /// The tables of its page, as CSV and JSON (and any other format written beside them).
    #[serde(rename = "auxiliaryFile")]
    auxiliary_file: Vec<File>,
}

#[derive(Serialize)]
struct Programme<'a> {
    id: &'a str,
    name: &'a str,
    web: &'a str,
}

#[derive(Serialize)]
struct File {
    name: String,
    #[serde(rename = "fileName")]
    file_name: String,
    #[serde(rename = "mimeType")]
    mime_type: &'static str,
    #[serde(rename = "accessUrl")]
    access_url: String,
    /// In bytes, where the build knows it.
    size: Option<usize>,
}

/// The media type of a download, by its extension; other files are not listed. A new format
/// of download joins `meetings.json` by joining this list.
fn mime_type(name: &str) -> Option<&'static str> {
    Some(match name.rsplit_once('.')?.1 {
        "csv" => "text/csv",
        "json" => "application/json",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => return None,
    })
}

/// The downloads beside each page, by the page's folder (`budget/2009-10-q2`), sorted by name.
fn by_folder<'a>(others: &[(&'a str, usize)]) -> BTreeMap<&'a str, Vec<(&'a str, usize)>> {
    let mut map: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
    for &(path, size) in others {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        if mime_type(name).is_some() {
            map.entry(dir).or_default().push((name, size));
        }
    }
    for files in map.values_mut() {
        files.sort();
    }
    map
}

/// The folder of the page at `url` under the output, without slashes at either end.
fn folder<'a>(plan: &Plan, url: &'a str) -> &'a str {
    (url.strip_prefix(plan.base_url.as_str()).unwrap_or(url)).trim_end_matches('/')
}

fn files_in(plan: &Plan, folders: &BTreeMap<&str, Vec<(&str, usize)>>, url: &str) -> Vec<File> {
    let dir = folder(plan, url);
    (folders.get(dir).into_iter().flatten())
        .filter_map(|&(name, size)| {
            Some(File {
                name: name.to_string(),
                file_name: name.to_string(),
                mime_type: mime_type(name)?,
                access_url: format!("{url}{name}"),
                size: Some(size),
            })
        })
        .collect()
}

pub fn json(loaded: &Loaded, plan: &Plan, others: &[(&str, usize)]) -> Vec<u8> {
    let config = &loaded.config;
    let docs = &loaded.content.documents;
    let folders = by_folder(others);
    let sizes: BTreeMap<&str, usize> = others.iter().copied().collect();
    let meeting = (plan.periods.iter())
        .map(|p| {
            let mut auxiliary_file = Vec::new();
            if let Some(pdf) = &p.pdf {
                let name = pdf.path.rsplit('/').next().unwrap_or(&pdf.path);
                auxiliary_file.push(File {
                    name: format!("{} (PDF)", period_title(p.period)),
                    file_name: name.to_string(),
                    mime_type: "application/pdf",
                    access_url: pdf.url.clone(),
                    size: sizes.get(pdf.path.as_str()).copied(),
                });
            }
            auxiliary_file.extend(files_in(plan, &folders, &p.url));
            let mut organization: Vec<&str> = Vec::new();
            let mut start: Option<Date> = None;
            let agenda_item = (p.reports.iter().enumerate())
                .map(|(i, &r)| {
                    let pr = &plan.reports[r];
                    let d = &docs[pr.doc];
                    if let Some(m) = &d.meta.meeting {
                        if !organization.contains(&m.body.as_str()) {
                            organization.push(&m.body);
                        }
                        start = Some(start.map_or(m.date, |s| s.min(m.date)));
                    }
                    AgendaItem {
                        number: (i + 1).to_string(),
                        order: i + 1,
                        name: d.title(),
                        public: d.exempt.is_none() && d.withheld_document.is_none(),
                        paper: Paper {
                            name: d.title(),
                            paper_type: pr.kind.title(),
                            programme: pr.programme.map(|x| {
                                let x = &plan.programmes[x];
                                Programme {
                                    id: &x.id,
                                    name: &x.title,
                                    web: &x.url,
                                }
                            }),
                            web: &pr.url,
                            date: d.meta.dated,
                            originator: d.meta.author.as_deref(),
                            draft: d.draft,
                            approved: d.approved.as_ref(),
                            auxiliary_file: files_in(plan, &folders, &pr.url),
                        },
                    }
                })
                .collect();
            Meeting {
                id: p.period.slug(),
                name: period_title(p.period),
                period: PeriodInfo {
                    label: p.period.to_string(),
                    start: p.period.start(config.year_start),
                    end: p.period.end(config.year_start),
                },
                start,
                organization,
                web: &p.url,
                modified: publish::latest(loaded, plan, &p.reports),
                auxiliary_file,
                agenda_item,
            }
        })
        .collect();
    let root = Root {
        format: FORMAT,
        body: Body {
            name: &config.organisation,
            organization: &config.title,
            web: &plan.base_url,
            audience: loaded.audience.name(),
        },
        meeting,
    };
    let mut bytes = serde_json::to_vec_pretty(&root).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_are_found_beside_their_page_by_format() {
        let others = [
            ("budget/2009-10-q2/lines.csv", 10),
            ("budget/2009-10-q2/lines.ods", 30),
            ("budget/2009-10-q2/lines.json", 20),
            ("budget/2009-10-q2/deeper/x.csv", 1),
            ("periods/2009-10-q2/board-pack-2009-10-q2.pdf", 99),
            ("lines.csv", 5),
        ];
        let map = by_folder(&others);
        assert_eq!(
            map["budget/2009-10-q2"],
            [("lines.csv", 10), ("lines.json", 20), ("lines.ods", 30)]
        );
        assert_eq!(map[""], [("lines.csv", 5)]);
        assert!(
            !map.contains_key("periods/2009-10-q2"),
            "the PDF is listed apart"
        );
    }
}
