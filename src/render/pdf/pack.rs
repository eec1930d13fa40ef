//! The board pack's layout: the period page's context (the same values its template reads)
//! turned into the cover, the contents and one agenda item per report, as typed blocks.
//!
//! What a board member reads on paper: each report's facts, its body, and its tables with
//! their subtotals and totals where the paper has them. What is for authors stays out: no
//! source file, no finding, no link path. Exempt material arrives already withheld in a
//! public build (its context is made from the public copy); a members' copy banners it.

use serde_json::Value;

use super::fields::*;
use super::markdown;
use super::model::{Block, Cell, Column, Item, Pack, Row, Section, Table, Tone, Ymd};
use crate::render::templates::date_long;

/// The pack for the period page whose context is `ctx`.
pub(super) fn build(ctx: &tera::Context) -> Pack {
    let get = |key: &str| {
        ctx.get(key)
            .and_then(|v| serde_json::to_value(v).ok())
            .unwrap_or(Value::Null)
    };
    let site = get("site");
    let period = get("period");
    let reports = get("reports");
    let summary = get("summary");
    let reports = reports.as_array().map_or(&[][..], Vec::as_slice);
    let base_url = text(&site, "base_url");
    let members = text(&site, "audience") == "members";
    let exempt_shown = flag(&site, "exempt_shown");

    let meeting = reports.iter().find_map(|r| {
        r.get("meta")
            .and_then(|m| m.get("meeting"))
            .filter(|m| !m.is_null())
    });
    let body = meeting
        .map(|m| text(m, "body"))
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| text(&site, "title"));
    let meeting_date = meeting.map(|m| text(m, "date")).filter(|d| !d.is_empty());
    let label = text(&period, "label");
    let dates = format!("{} to {}", long(&period, "start"), long(&period, "end"));

    let mut cover_lines = Vec::new();
    if let Some(d) = &meeting_date {
        cover_lines.push(format!("Meeting of {}", date_long(d)));
    }
    cover_lines.push(format!("Reporting period: {dates}"));
    cover_lines.push(match reports.len() {
        1 => "1 paper".to_string(),
        n => format!("{n} papers"),
    });

    let drafts = reports.iter().filter(|r| flag(r, "draft")).count();
    let mut status = Vec::new();
    if drafts > 0 {
        status.push(notice(
            "DRAFT – not approved",
            format!(
                "This pack holds {} draft {}, marked on {} pages: not approved, and may change.",
                drafts,
                if drafts == 1 { "paper" } else { "papers" },
                if drafts == 1 { "its" } else { "their" },
            ),
            Some(Tone::Amber),
        ));
    }
    if members && exempt_shown {
        status.push(notice(
            "EXEMPT – not for publication",
            format!(
                "The members' copy. It holds information exempt under {}, marked where it \
                 appears. Do not publish it or pass it on.",
                text(&site, "schedule")
            ),
            Some(Tone::Red),
        ));
    }

    let when = meeting_date
        .as_deref()
        .map_or_else(|| label.clone(), |d| format!("meeting of {}", date_long(d)));
    let date_of = meeting_date.clone().unwrap_or_else(|| text(&period, "end"));
    let (lang, region) = match text(&site, "language").split_once('-') {
        Some((l, r)) => (l.to_lowercase(), Some(r.to_uppercase())),
        None => (text(&site, "language").to_lowercase(), None),
    };

    let items = reports
        .iter()
        .enumerate()
        .map(|(i, r)| item(i + 1, r, &base_url, members))
        .collect();

    Pack {
        title: text(&period, "title"),
        organisation: text(&site, "organisation"),
        body: body.clone(),
        cover_title: text(&period, "title"),
        cover_lines,
        cover_note: format!(
            "Published by {} with boardpack. Every total in this pack is computed from its \
             parts. The same pack is on the web at {}.",
            text(&site, "organisation"),
            text(&period, "url")
        ),
        status,
        header: format!("{body} · {when} · {label}"),
        footer: format!("{}: board pack, {label}", text(&site, "organisation")),
        strip: (members && exempt_shown).then(|| "EXEMPT – not for publication".to_string()),
        watermark: "DRAFT".into(),
        date: ymd(&date_of),
        lang,
        region,
        summary: period_summary(&summary, &label),
        items,
    }
}

fn ymd(iso: &str) -> Option<Ymd> {
    let d: jiff::civil::Date = iso.parse().ok()?;
    Some(Ymd {
        year: d.year(),
        month: d.month(),
        day: d.day(),
    })
}

/// The period's summary, as the board pack page opens with it: the activities, the
/// programmes ranked, the exceptions and the progress chart with its data.
fn period_summary(s: &Value, label: &str) -> Option<Section> {
    if s.is_null() {
        return None;
    }
    let mut blocks = Vec::new();
    if let Some(a) = s.get("activities").filter(|a| !a.is_null()) {
        let share = |k: &str| {
            a.get(k).map_or(String::new(), |v| {
                format!("{} ({}%)", text(v, "count"), text(v, "percent"))
            })
        };
        blocks.push(facts(vec![
            ("Activities", Cell::Text(text(a, "total"))),
            ("Completed", Cell::Text(share("completed"))),
            ("On track", Cell::Text(share("on_track"))),
            ("Behind", Cell::Text(share("behind"))),
        ]));
    }
    let ranking = list(s, "ranking");
    if !ranking.is_empty() {
        blocks.push(Block::Table(Table {
            caption: format!("Programmes by computed progress, {label}"),
            columns: vec![
                Column::number("Rank"),
                Column::main("Programme"),
                Column::number("Computed progress"),
                Column::number("Stated progress"),
            ],
            rows: ranking
                .iter()
                .map(|r| {
                    Row::body(vec![
                        text(r, "rank").into(),
                        text(r, "title").into(),
                        percent(r, "computed").into(),
                        percent(r, "stated").into(),
                    ])
                })
                .collect(),
        }));
    }
    let exceptions = list(s, "exceptions");
    if !exceptions.is_empty() {
        blocks.push(heading(2, format!("Exceptions ({})", exceptions.len())));
        blocks.push(Block::Table(Table {
            caption: format!("Exceptions, most severe first, {label}"),
            columns: vec![
                Column::text("Exception"),
                Column::text("Where"),
                Column::main("What"),
                Column::main("Reason given"),
            ],
            rows: exceptions
                .iter()
                .map(|e| {
                    let tone = if text(e, "kind").ends_with("red") || text(e, "kind") == "delayed" {
                        Some(Tone::Red)
                    } else {
                        Some(Tone::Amber)
                    };
                    let place = [text(e, "source"), text(e, "objective_label")]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(", ");
                    Row::body(vec![
                        Cell::Tagged {
                            s: text(e, "label"),
                            tone,
                        },
                        place.into(),
                        [text(e, "title"), text(e, "detail")]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(": ")
                            .into(),
                        opt(e, "reason")
                            .unwrap_or_else(|| "None given".into())
                            .into(),
                    ])
                })
                .collect(),
        }));
    }
    if let Some(c) = s.get("progress_chart").filter(|c| !c.is_null()) {
        blocks.push(chart(c));
    }
    Some(Section {
        title: format!("Summary of {label}"),
        blocks,
    })
}

/// A chart drawn as the pages draw it, as a vector image, with its data as a table.
pub(super) fn chart(c: &Value) -> Block {
    let t = c.get("table").unwrap_or(&Value::Null);
    let headers = list(t, "headers");
    Block::Chart {
        title: text(c, "title"),
        alt: text(c, "description"),
        svg: text(c, "svg"),
        data: Table {
            caption: text(t, "caption"),
            columns: headers
                .iter()
                .enumerate()
                .map(|(i, h)| Column {
                    title: text(h, "text"),
                    numeric: flag(h, "numeric"),
                    fill: i == 0,
                })
                .collect(),
            rows: list(t, "rows")
                .iter()
                .map(|r| {
                    let mut cells = vec![Cell::Text(text(r, "header"))];
                    cells.extend(list(r, "cells").iter().map(|c| Cell::Text(text(c, "text"))));
                    Row::body(cells)
                })
                .collect(),
        },
    }
}

/// More columns than a portrait page has room for, at the pack's table size.
const LANDSCAPE_COLUMNS: usize = 7;

/// One report as an agenda item.
fn item(number: usize, r: &Value, base_url: &str, members: bool) -> Item {
    let data = r.get("data").unwrap_or(&Value::Null);
    let summary = r.get("summary").unwrap_or(&Value::Null);
    let mut banners = Vec::new();
    if flag(r, "draft") {
        banners.push(notice(
            "DRAFT – not approved",
            "This paper is a draft: it has not been approved and may change.",
            Some(Tone::Amber),
        ));
    }
    if let Some(e) = r.get("exempt").filter(|e| !e.is_null() && members) {
        banners.push(exempt_banner(e));
    }
    let mut blocks = Vec::new();
    if let Some(w) = r.get("withheld").filter(|w| !w.is_null()) {
        blocks.push(Block::Notice(notice(
            "Exempt information",
            format!("{}.", text(w, "notice")),
            None,
        )));
        return Item {
            number: number.to_string(),
            title: text(r, "title"),
            kind_label: text(r, "kind_label"),
            draft: flag(r, "draft"),
            landscape: false,
            banners,
            blocks,
        };
    }
    blocks.extend(paper_facts(r));
    let body = |key: &str, top: u8| markdown::blocks(&text(r, key), top, base_url);
    match text(r, "kind").as_str() {
        "highlight" => {
            super::highlight::head(&mut blocks, r, data, summary);
            if let Some(s) = opt(data, "summary") {
                blocks.push(para(s));
            }
            blocks.extend(body("body", 2));
            super::highlight::tables(&mut blocks, r, data, summary, members);
        }
        "budget" => {
            blocks.push(facts(vec![
                ("Period", Cell::Text(text(r, "period"))),
                ("Figures as at", Cell::Text(long(data, "as_at"))),
            ]));
            blocks.extend(body("body", 2));
            super::budget::tables(&mut blocks, data, summary, members);
        }
        "indicators" => {
            blocks.extend(body("body", 2));
            super::indicators::indicators(&mut blocks, r, data, summary, members);
        }
        "actions" => {
            blocks.extend(body("body", 2));
            super::indicators::actions(&mut blocks, r, data, summary, members);
        }
        _ => blocks.extend(body("body", 2)),
    }
    let after = text(r, "body_after");
    if !after.is_empty() {
        let depth = r
            .get("body_after_depth")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        blocks.extend(markdown::blocks(&after, 2 + depth as u8, base_url));
    }
    outline(&mut blocks, 2, 1);
    let landscape = blocks
        .iter()
        .any(|b| matches!(b, Block::Table(t) if t.columns.len() > LANDSCAPE_COLUMNS));
    Item {
        number: number.to_string(),
        title: text(r, "title"),
        kind_label: text(r, "kind_label"),
        draft: flag(r, "draft"),
        landscape,
        banners,
        blocks,
    }
}

/// Keep the outline whole under the item's title: every heading below it (at `min` or
/// deeper), and none more than one level below the one before it (`last`), as PDF/UA asks of
/// a body that jumps from `#` to `###`. Returns the last heading's level.
fn outline(blocks: &mut [Block], min: u8, mut last: u8) -> u8 {
    for b in blocks {
        match b {
            Block::Heading { level, .. } => {
                *level = (*level).clamp(min, last + 1);
                last = *level;
            }
            Block::Quote { c } => last = outline(c, min, last),
            Block::List { items, .. } => {
                for i in items {
                    last = outline(i, min, last);
                }
            }
            _ => {}
        }
    }
    last
}

/// Who wrote the paper, for whom, when, and who approved it.
fn paper_facts(r: &Value) -> Option<Block> {
    let meta = r.get("meta").unwrap_or(&Value::Null);
    let approved = r.get("approved").filter(|a| !a.is_null());
    let mut rows = vec![
        ("Author", Cell::Text(text(meta, "author"))),
        ("To", Cell::Text(text(meta, "addressee"))),
        ("Dated", Cell::Text(long(meta, "dated"))),
    ];
    if let Some(a) = approved {
        let on = long(a, "on");
        let by = text(a, "by");
        rows.push((
            "Approved",
            Cell::Text(match (by.is_empty(), on.is_empty()) {
                (false, false) => format!("by {by} on {on}"),
                (false, true) => format!("by {by}"),
                (true, false) => format!("on {on}"),
                (true, true) => String::new(),
            }),
        ));
    }
    let block = facts(rows);
    match &block {
        Block::Facts { rows } if rows.is_empty() => None,
        _ => Some(block),
    }
}
