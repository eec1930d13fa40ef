//! Performance indicators and action plans in the pack: each indicator against its target
//! with its status in words, and each action with its milestones and judgement.

use serde_json::Value;

use super::fields::*;
use super::model::{Block, Cell, Column, Row, Table};

/// An indicator's value in its unit: `25.6%`, `£1,200`, `42`.
fn value(unit: &str, v: &Value, key: &str) -> String {
    match (unit, decimal(v, key)) {
        (_, None) => String::new(),
        ("percent", Some(d)) => format!("{}%", d.normalize()),
        ("money", Some(d)) => crate::aggregate::format::pounds(d),
        (_, Some(d)) => d.normalize().to_string(),
    }
}

pub(super) fn indicators(
    blocks: &mut Vec<Block>,
    r: &Value,
    data: &Value,
    s: &Value,
    members: bool,
) {
    let summaries = list(s, "indicators");
    let mut rows: Vec<Row> = list(data, "indicators")
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let is = summaries.get(i).unwrap_or(&Value::Null);
            let unit = text(ind, "unit");
            let mut name = text(ind, "title");
            if members && ind.get("exempt").is_some_and(|e| !e.is_null()) {
                name = format!("EXEMPT – not for publication: {name}");
            }
            let mut c = vec![super::model::Inline::Text { s: name }];
            if let Some(comment) = opt(ind, "comment") {
                c.push(super::model::Inline::Break);
                c.extend(super::markdown::runs(&comment));
            }
            let id = opt(ind, "code").unwrap_or_else(|| text(ind, "id"));
            let key = opt(is, "status")
                .or_else(|| opt(ind, "stated_status"))
                .unwrap_or_default();
            let mut state = status(&key);
            if flag(is, "contradicts")
                && let Cell::Tagged { s, .. } = &mut state
            {
                s.push_str(&format!(" (stated: {})", word(&text(ind, "stated_status"))));
            }
            let target = is
                .get("target")
                .filter(|t| !t.is_null())
                .map(|t| value(&unit, t, "value"))
                .unwrap_or_default();
            Row::body(vec![
                id.into(),
                Cell::Rich { c },
                value(&unit, ind, "actual").into(),
                target.into(),
                state,
                text(is, "direction_text").into(),
            ])
        })
        .collect();
    rows.extend(list(data, "withheld").iter().map(|w| withheld_row(w, 6, 1)));
    if rows.is_empty() {
        return;
    }
    blocks.push(heading(2, "Indicators"));
    blocks.push(Block::Table(Table {
        caption: format!("{}: indicators, {}", text(data, "title"), text(r, "period")),
        columns: vec![
            Column::text("Indicator"),
            Column::main("Name"),
            Column::number("Actual"),
            Column::number("Target"),
            Column::text("Status"),
            Column::text("Direction"),
        ],
        rows,
    }));
}

pub(super) fn actions(blocks: &mut Vec<Block>, r: &Value, data: &Value, s: &Value, members: bool) {
    let sections = list(s, "sections");
    if !sections.is_empty() {
        blocks.push(heading(2, "Summary"));
        let share = |v: &Value, k: &str| {
            v.get(k).map_or(String::new(), |x| {
                format!("{} ({}%)", text(x, "count"), text(x, "percent"))
            })
        };
        blocks.push(Block::Table(Table {
            caption: format!(
                "{}: actions by judgement, {}",
                text(data, "title"),
                text(r, "period")
            ),
            columns: vec![
                Column::main("Section"),
                Column::number("Actions"),
                Column::number("Completed"),
                Column::number("On track"),
                Column::number("Behind"),
                Column::number("No judgement"),
            ],
            rows: sections
                .iter()
                .map(|x| {
                    Row::body(vec![
                        opt(x, "section")
                            .unwrap_or_else(|| "All actions".into())
                            .into(),
                        x.get("total")
                            .map_or(String::new(), |t| text(t, "count"))
                            .into(),
                        share(x, "completed").into(),
                        share(x, "on_track").into(),
                        share(x, "behind").into(),
                        share(x, "unknown").into(),
                    ])
                })
                .collect(),
        }));
    }
    for o in list(data, "objectives") {
        let number = opt(o, "number")
            .map(|n| format!("{n} "))
            .unwrap_or_default();
        blocks.push(heading(2, format!("{number}{}", text(o, "title"))));
        for w in list(o, "workstreams") {
            let mut rows: Vec<Row> = list(w, "actions")
                .iter()
                .map(|a| {
                    let mut title = text(a, "title");
                    if members && a.get("exempt").is_some_and(|e| !e.is_null()) {
                        title = format!("EXEMPT – not for publication: {title}");
                    }
                    let milestones: Vec<String> = list(a, "milestones")
                        .iter()
                        .map(|m| match opt(m, "due") {
                            Some(_) => format!("{} (due {})", text(m, "text"), date(m, "due")),
                            None => text(m, "text"),
                        })
                        .collect();
                    Row::body(vec![
                        title.into(),
                        text(a, "responsibility").into(),
                        milestones.join("; ").into(),
                        rich(a, "achievements"),
                        status(&text(a, "judgement")),
                    ])
                })
                .collect();
            rows.extend(list(w, "withheld").iter().map(|x| withheld_row(x, 5, 0)));
            if rows.is_empty() {
                continue;
            }
            blocks.push(Block::Table(Table {
                caption: text(w, "title"),
                columns: vec![
                    Column::main("Action"),
                    Column::text("Responsible"),
                    Column::main("Milestones"),
                    Column::main("Achievements"),
                    Column::text("Judgement"),
                ],
                rows,
            }));
        }
    }
}
