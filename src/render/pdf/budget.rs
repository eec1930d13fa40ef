//! A budget monitoring report in the pack: the position, then the statement with its lines,
//! subtotals and totals in the paper's order (totals once, after the lines they add up), its
//! notes and its charts.

use serde_json::Value;

use super::fields::*;
use super::model::{Block, Cell, Column, Row, Table};

pub(super) fn tables(blocks: &mut Vec<Block>, b: &Value, s: &Value, members: bool) {
    if s.is_null() {
        return;
    }
    if let Some(hd) = s.get("headline").filter(|h| !h.is_null()) {
        position(blocks, hd);
    }
    blocks.push(heading(2, "Budget statement"));
    blocks.push(para(format!(
        "{} Subtotals and totals are computed by boardpack from the lines; where the paper \
         printed its own, the printed row follows, labelled \"as printed\".",
        text(s, "legend")
    )));
    let cols = s.get("columns").unwrap_or(&Value::Null);
    let on = |k: &str| flag(cols, k);
    let mut columns = vec![
        Column::main("Budget line"),
        Column::number("Approved budget"),
    ];
    if on("revised") {
        columns.push(Column::number("Revised budget"));
    }
    if on("planned") {
        columns.push(Column::number("Planned to date"));
    }
    if on("actual") {
        columns.push(Column::number("Actual to date"));
    }
    if on("variance") {
        columns.push(Column::number("Variance"));
        columns.push(Column::number("% variance"));
        columns.push(Column::text("RAG"));
    }
    if on("projected") {
        columns.push(Column::number("Projected outturn"));
    }
    if on("outturn") {
        columns.push(Column::number("Outturn variance"));
    }
    columns.push(Column::text("Notes"));
    let width = columns.len();
    let figures = |row: &Value| -> Vec<Cell> {
        let mut cells = vec![money(row, "approved")];
        if on("revised") {
            cells.push(money(row, "revised"));
        }
        if on("planned") {
            cells.push(money(row, "planned"));
        }
        if on("actual") {
            cells.push(money(row, "actual"));
        }
        if on("variance") {
            let mut variance = money_text(row, "variance");
            if let Some(p) = decimal(row, "printed_variance") {
                variance = format!("{variance} (paper: {})", crate::aggregate::format::money(p));
            }
            cells.push(variance.into());
            let mut pct = text(row, "variance_pct");
            if let Some(p) = opt(row, "printed_variance_pct") {
                pct = format!("{pct} (paper: {p})");
            }
            cells.push(pct.into());
            cells.push(match opt(row, "rag") {
                Some(rag) => status(&rag),
                None => Cell::Text(String::new()),
            });
        }
        if on("projected") {
            cells.push(money(row, "projected"));
        }
        if on("outturn") {
            cells.push(money(row, "outturn_variance"));
        }
        cells
    };
    let mut rows = Vec::new();
    for row in list(s, "statement").iter().chain(list(s, "foot")) {
        let depth = row.get("depth").and_then(Value::as_u64).unwrap_or(0) as u8;
        let title = text(row, "title");
        let (kind, first, rest) = match text(row, "row").as_str() {
            "group" => {
                rows.push(Row {
                    kind: "group",
                    depth,
                    cells: blank(title, width),
                });
                continue;
            }
            "withheld" => {
                let mut cells = vec![Cell::Text(
                    opt(row, "title").unwrap_or_else(|| "Budget line".into()),
                )];
                cells.push(
                    format!(
                        "{}. Its figures are included in the totals.",
                        text(row, "notice")
                    )
                    .into(),
                );
                cells.resize(width, Cell::Text(String::new()));
                rows.push(Row {
                    kind: "body",
                    depth,
                    cells,
                });
                continue;
            }
            "line" => {
                let mut t = title;
                if members && row.get("exempt").is_some_and(|e| !e.is_null()) {
                    t = format!("EXEMPT – not for publication: {t}");
                }
                if flag(row, "memo") {
                    t.push_str(" (memorandum: not actual expenditure)");
                }
                let notes: Vec<String> = list(row, "notes")
                    .iter()
                    .map(|n| text(n, "label"))
                    .collect();
                ("body", t, notes.join(", "))
            }
            "subtotal" => ("subtotal", format!("Total {title}"), String::new()),
            "printed" => {
                let mut t = if depth > 0 || !title.starts_with("Total") {
                    format!("Total {title} as printed")
                } else {
                    format!("{title} as printed")
                };
                let differs: Vec<String> = list(row, "differs")
                    .iter()
                    .filter_map(|d| d.as_str().map(str::to_string))
                    .collect();
                if !differs.is_empty() {
                    t.push_str(&format!(" (differs in {})", differs.join(", ")));
                }
                ("body", t, String::new())
            }
            _ => ("total", title, String::new()),
        };
        let mut cells = vec![Cell::Text(first)];
        cells.extend(figures(row));
        cells.push(rest.into());
        rows.push(Row { kind, depth, cells });
    }
    blocks.push(Block::Table(Table {
        caption: text(b, "title"),
        columns,
        rows,
    }));
    if flag(s, "rounding_note") {
        blocks.push(para(
            "Figures may not sum because of rounding: amounts are shown in whole pounds, so a \
             column of rounded lines need not add up to its rounded total.",
        ));
    }
    notes(blocks, b, members);
    for c in list(s, "charts") {
        blocks.push(super::pack::chart(c));
    }
}

fn blank(first: String, width: usize) -> Vec<Cell> {
    let mut cells = vec![Cell::Text(first)];
    cells.resize(width, Cell::Text(String::new()));
    cells
}

/// The headline position: spend against plan and the projected outturn.
fn position(blocks: &mut Vec<Block>, hd: &Value) {
    if decimal(hd, "actual").is_none() && decimal(hd, "projected").is_none() {
        return;
    }
    blocks.push(heading(2, "Position"));
    let variance = decimal(hd, "variance").map(|_| {
        let mut v = money_text(hd, "variance");
        if let Some(p) = opt(hd, "variance_pct") {
            v.push_str(&format!(", {p} of planned spend"));
        }
        match text(hd, "position").as_str() {
            "on plan" => v.push_str(". Spending exactly as planned."),
            position => v.push_str(&format!(". An {position} of {}.", pounds(hd, "gap"))),
        }
        if decimal(hd, "printed_variance").is_some() {
            v.push_str(&format!(
                " The paper prints {}; its lines add up to {}.",
                money_text(hd, "printed_variance"),
                money_text(hd, "variance")
            ));
        }
        v
    });
    let budget = if decimal(hd, "revised").is_some() {
        ("Revised budget for the year", pounds(hd, "revised"))
    } else {
        ("Approved budget for the year", pounds(hd, "approved"))
    };
    let projected = decimal(hd, "projected").map(|_| {
        let mut p = pounds(hd, "projected");
        match text(hd, "outturn_position").as_str() {
            "" => {}
            "on budget" => p.push_str(": the revised budget spent in full"),
            position => p.push_str(&format!(
                ": a projected {position} of {}",
                pounds(hd, "outturn_gap")
            )),
        }
        p
    });
    blocks.push(facts(vec![
        ("Spent to date", Cell::Text(pounds(hd, "actual"))),
        ("Planned spend to date", Cell::Text(pounds(hd, "planned"))),
        ("Variance", Cell::Text(variance.unwrap_or_default())),
        (budget.0, Cell::Text(budget.1)),
        (
            "Projected outturn",
            Cell::Text(projected.unwrap_or_default()),
        ),
    ]));
}

fn money_text(v: &Value, key: &str) -> String {
    decimal(v, key)
        .map(crate::aggregate::format::money)
        .unwrap_or_default()
}

/// The paper's notes, numbered as it numbers them.
fn notes(blocks: &mut Vec<Block>, b: &Value, members: bool) {
    let notes = list(b, "notes");
    let stubs: Vec<&Value> = list(b, "withheld")
        .iter()
        .filter(|w| text(w, "part") == "note")
        .collect();
    if notes.is_empty() && stubs.is_empty() {
        return;
    }
    blocks.push(heading(2, "Notes"));
    let mut rows: Vec<Row> = notes
        .iter()
        .map(|n| {
            let mut c = super::markdown::runs(&text(n, "text"));
            if members && n.get("exempt").is_some_and(|e| !e.is_null()) {
                c.insert(
                    0,
                    super::model::Inline::Text {
                        s: "EXEMPT – not for publication: ".into(),
                    },
                );
            }
            Row::body(vec![text(n, "number").into(), Cell::Rich { c }])
        })
        .collect();
    rows.extend(stubs.into_iter().map(|w| {
        Row::body(vec![
            text(w, "place").into(),
            format!("{}.", text(w, "notice")).into(),
        ])
    }));
    blocks.push(Block::Table(Table {
        caption: "Notes to the statement".into(),
        columns: vec![Column::text("Note"), Column::main("")],
        rows,
    }));
}
