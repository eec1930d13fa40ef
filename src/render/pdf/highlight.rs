//! A highlight report in the pack: its facts, then each objective with its activities, what
//! is delayed, overdue and due next, its risks and issues, and its notes.

use serde_json::Value;

use super::fields::*;
use super::model::{Block, Cell, Column, Inline, Row, Table};

/// The report's facts: programme, lead, period and progress, stated and computed.
pub(super) fn head(blocks: &mut Vec<Block>, r: &Value, h: &Value, s: &Value) {
    let lead = match opt(h, "lead_role") {
        Some(role) => format!("{}, {role}", text(h, "lead")),
        None => text(h, "lead"),
    };
    let programme = r
        .get("programme")
        .filter(|p| !p.is_null())
        .map_or_else(|| text(h, "title"), |p| text(p, "title"));
    let stated =
        opt(h, "stated_progress").map_or("Not stated".into(), |_| percent(h, "stated_progress"));
    let mut rows = vec![
        ("Programme", Cell::Text(programme)),
        ("Lead", Cell::Text(lead)),
        ("Prepared", Cell::Text(long(h, "prepared"))),
        ("Period", Cell::Text(text(r, "period"))),
        ("Overall progress (as stated)", Cell::Text(stated)),
    ];
    if !s.is_null() {
        let computed = match decimal(s, "computed") {
            None => "No activities to compute it from".to_string(),
            Some(_) => {
                let mut c = format!(
                    "{} (the {} of its objectives' progress)",
                    percent(s, "computed"),
                    text(s, "rule")
                );
                if flag(s, "differs") {
                    c.push_str(&format!(
                        "; differs from the stated {}",
                        percent(s, "stated")
                    ));
                }
                c
            }
        };
        rows.push(("Overall progress (computed)", Cell::Text(computed)));
        let trend = s.get("trend").map(|t| text(t, "text")).unwrap_or_default();
        rows.push(("Since the last report", Cell::Text(trend)));
        rows.push(("Activities", Cell::Text(text(s, "status_text"))));
    }
    blocks.push(facts(rows));
}

/// Objectives with their activities, then the lists and registers.
pub(super) fn tables(blocks: &mut Vec<Block>, r: &Value, h: &Value, s: &Value, members: bool) {
    let objectives = list(h, "objectives");
    let summaries = list(s, "objectives");
    if !objectives.is_empty() {
        blocks.push(heading(2, "Objectives and activities"));
    }
    for (i, o) in objectives.iter().enumerate() {
        let os = summaries.get(i).unwrap_or(&Value::Null);
        blocks.push(heading(
            3,
            format!("Objective {}: {}", i + 1, text(o, "title")),
        ));
        if let Some(e) = o.get("exempt").filter(|e| members && !e.is_null()) {
            blocks.push(Block::Notice(exempt_banner(e)));
        }
        let computed = match decimal(os, "computed") {
            Some(_) if flag(os, "differs") => format!(
                "{} (differs from the stated figure)",
                percent(os, "computed")
            ),
            Some(_) => percent(os, "computed"),
            None => "No activities".into(),
        };
        let budget = match opt(o, "budget_status") {
            Some(b) => match opt(o, "budget_reason") {
                Some(reason) => Cell::Tagged {
                    s: format!("{}: {reason}", word(&b)),
                    tone: tone(&b),
                },
                None => status(&b),
            },
            None => Cell::Text(String::new()),
        };
        blocks.push(facts(vec![
            (
                "Progress (as stated)",
                Cell::Text(
                    opt(o, "stated_progress")
                        .map_or("Not stated".into(), |_| percent(o, "stated_progress")),
                ),
            ),
            ("Progress (computed)", Cell::Text(computed)),
            ("Budget", budget),
            ("Completed", rich(o, "completed")),
            ("Outstanding", rich(o, "outstanding")),
            ("Risks", rich(o, "risk_update")),
            ("Issues", rich(o, "issues_update")),
            ("Comment", rich(o, "comment")),
            ("Note", rich(o, "footnote")),
        ]));
        let activities = list(o, "activities");
        let withheld = list(o, "withheld");
        if activities.is_empty() && withheld.is_empty() {
            blocks.push(para("No activities in the status table."));
            continue;
        }
        let mut rows: Vec<Row> = activities
            .iter()
            .map(|a| {
                let mut title = text(a, "title");
                if members && a.get("exempt").is_some_and(|e| !e.is_null()) {
                    title = format!("EXEMPT – not for publication: {title}");
                }
                if let Some(note) = opt(a, "footnote") {
                    title = format!("{title} (note: {note})");
                }
                Row::body(vec![
                    title.into(),
                    word(&text(a, "kind")).into(),
                    date(a, "due").into(),
                    status(&text(a, "status")),
                    percent(a, "progress").into(),
                ])
            })
            .collect();
        rows.extend(withheld.iter().map(|w| withheld_row(w, 5, 0)));
        blocks.push(Block::Table(Table {
            caption: format!("Objective {}: activities, {}", i + 1, text(r, "period")),
            columns: vec![
                Column::main("Activity"),
                Column::text("Kind"),
                Column::number("Due"),
                Column::text("Status"),
                Column::number("Progress"),
            ],
            rows,
        }));
    }
    let stubs: Vec<Row> = list(h, "withheld")
        .iter()
        .filter(|w| text(w, "part") == "objective")
        .map(|w| withheld_row(w, 1, 0))
        .collect();
    if !stubs.is_empty() {
        blocks.push(Block::Table(Table {
            caption: "Objectives withheld".into(),
            columns: vec![Column::main("Objective")],
            rows: stubs,
        }));
    }
    if !s.is_null() {
        attention(blocks, r, s);
    }
    register(blocks, h, "risks", "Risks", "risk", members);
    register(blocks, h, "issues", "Issues", "issue", members);
    let extra = list(h, "additional_deliverables");
    if !extra.is_empty() {
        blocks.push(heading(2, "Additional deliverables"));
        blocks.push(Block::List {
            ordered: false,
            start: 1,
            items: extra.iter().map(|d| vec![para(text(d, "title"))]).collect(),
        });
    }
    let notes = list(h, "footnotes");
    if !notes.is_empty() {
        blocks.push(heading(2, "Notes"));
        blocks.push(Block::List {
            ordered: true,
            start: 1,
            items: notes
                .iter()
                .map(|n| {
                    vec![Block::Para {
                        c: super::markdown::runs(&text(n, "text")),
                    }]
                })
                .collect(),
        });
    }
}

/// Delayed, overdue and due next, each as a short list.
fn attention(blocks: &mut Vec<Block>, r: &Value, s: &Value) {
    blocks.push(heading(2, "Delayed, overdue and due next"));
    let next = text(s, "next_period");
    let lists = [
        (
            "delayed",
            "Delayed".to_string(),
            "No activity is delayed.".to_string(),
        ),
        (
            "overdue",
            format!(
                "Overdue: due by the end of {} and not complete",
                text(r, "period")
            ),
            "Nothing is overdue.".to_string(),
        ),
        (
            "due_next",
            format!("Due in {next}"),
            format!("Nothing falls due in {next}."),
        ),
    ];
    for (key, title, none) in lists {
        let items = list(s, key);
        blocks.push(heading(3, format!("{title} ({})", items.len())));
        if items.is_empty() {
            blocks.push(para(none));
            continue;
        }
        blocks.push(Block::List {
            ordered: false,
            start: 1,
            items: items
                .iter()
                .map(|a| {
                    vec![para(format!(
                        "Objective {}: {}. Due {}, {}, {} complete.",
                        text(a, "objective_number"),
                        text(a, "title"),
                        date(a, "due"),
                        word(&text(a, "status")).to_lowercase(),
                        percent(a, "progress"),
                    ))]
                })
                .collect(),
        });
    }
}

/// The risk or issue register as the paper prints it, with each entry's score in words.
fn register(blocks: &mut Vec<Block>, h: &Value, key: &str, title: &str, part: &str, members: bool) {
    let entries = list(h, key);
    let stubs: Vec<&Value> = list(h, "withheld")
        .iter()
        .filter(|w| text(w, "part") == part)
        .collect();
    if entries.is_empty() && stubs.is_empty() {
        return;
    }
    blocks.push(heading(2, title));
    let mut rows: Vec<Row> = entries
        .iter()
        .map(|e| {
            let mut name = text(e, "title");
            if members && e.get("exempt").is_some_and(|x| !x.is_null()) {
                name = format!("EXEMPT – not for publication: {name}");
            }
            let mut c = vec![Inline::Text { s: name }];
            if let Some(d) = opt(e, "description") {
                c.push(Inline::Break);
                c.extend(super::markdown::runs(&d));
            }
            let score = match (opt(e, "likelihood"), opt(e, "impact"), opt(e, "score")) {
                (Some(l), Some(i), Some(s)) => format!("{s} (likelihood {l} × impact {i})"),
                (_, _, Some(s)) => s,
                _ => String::new(),
            };
            Row::body(vec![
                text(e, "id").into(),
                Cell::Rich { c },
                score.into(),
                text(e, "status").into(),
                rich(e, "mitigation"),
            ])
        })
        .collect();
    rows.extend(stubs.into_iter().map(|w| withheld_row(w, 5, 1)));
    blocks.push(Block::Table(Table {
        caption: format!("{title} register"),
        columns: vec![
            Column::text("Id"),
            Column::main(if part == "risk" { "Risk" } else { "Issue" }),
            Column::text("Score"),
            Column::text("Status"),
            Column::main("Mitigation"),
        ],
        rows,
    }));
}
