//! The budget monitoring report: a group hierarchy of budget lines, notes, balances and funding.

use std::ops::Range;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;
use toml::de::DeValue;

use crate::content::exempt::{self, Exempt, Withheld};
use crate::diagnostic::Problem;
use crate::read::period::Period;
use crate::read::reader::{Cx, Table, read_decimal, read_integer};
use crate::read::words::{GroupKind, NoteColumn};

pub type Money = Decimal;

#[derive(Debug, Clone, Serialize)]
pub struct Budget {
    pub title: String,
    pub period: Period,
    pub as_at: Option<Date>,
    pub groups: Vec<Group>,
    pub lines: Vec<Line>,
    pub notes: Vec<Note>,
    pub balances: Vec<Balance>,
    pub external_funding: Vec<ExternalFunding>,
    pub stated_total: Option<Figures>,
    /// In the public copy: the exempt lines and notes taken out.
    pub withheld: Vec<Withheld>,
    /// In the public copy: the exempt lines' figures, with nothing else of them, so that
    /// subtotals and totals still include them as the printed paper's do. Never serialised:
    /// no template, download or index can see them.
    #[serde(skip)]
    pub withheld_lines: Vec<Line>,
}

/// A row of figures as printed: used for stated subtotals and totals, which boardpack compares
/// with what it computes from the lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub approved: Option<Money>,
    pub revised: Option<Money>,
    pub planned: Option<Money>,
    pub actual: Option<Money>,
    pub variance: Option<Money>,
    pub projected: Option<Money>,
    /// Where the printed row is recorded, for findings about it.
    #[serde(skip)]
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub title: String,
    pub parent: Option<String>,
    #[serde(skip)]
    pub parent_span: Range<usize>,
    pub kind: Option<GroupKind>,
    pub stated: Option<Figures>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub id: String,
    #[serde(skip)]
    pub span: Range<usize>,
    pub title: String,
    pub group: String,
    #[serde(skip)]
    pub group_span: Range<usize>,
    pub approved: Money,
    pub revised: Option<Money>,
    pub planned: Option<Money>,
    pub actual: Option<Money>,
    pub projected: Option<Money>,
    pub notes: Vec<String>,
    pub programme: Option<String>,
    #[serde(skip)]
    pub programme_span: Range<usize>,
    pub memo: bool,
    pub exempt: Option<Exempt>,
    /// The line's variance and % variance as the paper printed them, where it prints them.
    pub stated: Option<LineStated>,
}

/// A line's computed columns as printed: boardpack works out a line's variance and % variance
/// from its planned and actual spend, and compares them with these.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LineStated {
    pub variance: Option<Money>,
    #[serde(skip)]
    pub variance_span: Range<usize>,
    /// In whole per cent as printed: `(35%)` is -35.
    pub variance_pct: Option<Decimal>,
    #[serde(skip)]
    pub variance_pct_span: Range<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub number: String,
    pub text: String,
    pub exempt: Option<Exempt>,
    /// The figure the note gives (`amount`), in the sign convention of the column it explains.
    pub amount: Option<Money>,
    #[serde(skip)]
    pub span: Range<usize>,
    /// The column of the lines citing the note that its figure explains (`of`, by default the
    /// variance).
    pub of: NoteColumn,
    /// The parts the note splits its figure into, where it does (`breakdown`).
    pub breakdown: Vec<NotePart>,
}

/// One part of a note's figure: "committed a further £17,000 to the second phase".
#[derive(Debug, Clone, Serialize)]
pub struct NotePart {
    pub text: String,
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize)]
pub struct Balance {
    pub title: String,
    pub group: Option<String>,
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExternalFunding {
    pub funder: String,
    pub purpose: Option<String>,
    pub amount: Money,
    #[serde(skip)]
    pub amount_span: Range<usize>,
    pub phasing: Vec<Phase>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub year: Period,
    pub amount: Money,
}

impl Budget {
    pub fn read(t: &mut Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let title = t.req_text(cx, "title");
        let period = t.req_period(cx, "period");
        let as_at = t.date(cx, "as_at");
        if !t.has("groups") {
            t.req_text(cx, "groups");
        }
        let groups = t
            .tables(cx, "groups")
            .into_iter()
            .filter_map(|g| Group::read(g, cx))
            .collect();
        if !t.has("lines") {
            t.req_text(cx, "lines");
        }
        let lines = t
            .tables(cx, "lines")
            .into_iter()
            .filter_map(|l| Line::read(l, cx))
            .collect();
        let notes = t
            .tables(cx, "notes")
            .into_iter()
            .filter_map(|mut n| {
                let number = note_ref(&mut n, cx, "number");
                let text = n.req_text(cx, "text");
                let exempt = exempt::read(&mut n, cx);
                // Where a finding about the note's figure points: its amount, else the column
                // its parts are of (a one-line span, unlike the breakdown's array).
                let span = (n.get("amount"))
                    .or_else(|| n.get("of"))
                    .or_else(|| n.get("breakdown"))
                    .map(|v| cx.abs(v.span()))
                    .unwrap_or_else(|| cx.abs(n.span.clone()));
                let amount = n.money(cx, "amount");
                let of = n.word(cx, "of").unwrap_or(NoteColumn::Variance);
                let breakdown = n
                    .tables(cx, "breakdown")
                    .into_iter()
                    .filter_map(|mut p| {
                        let text = p.req_text(cx, "text");
                        let amount = p.req_money(cx, "amount");
                        p.finish(cx);
                        Some(NotePart {
                            text: text?,
                            amount: amount?,
                        })
                    })
                    .collect();
                n.finish(cx);
                Some(Note {
                    number: number?,
                    text: text?,
                    exempt,
                    amount,
                    span,
                    of,
                    breakdown,
                })
            })
            .collect();
        let balances = t
            .tables(cx, "balances")
            .into_iter()
            .filter_map(|mut b| {
                let title = b.req_text(cx, "title");
                let group = b.text(cx, "group");
                let amount = b.req_money(cx, "amount");
                b.finish(cx);
                Some(Balance {
                    title: title?,
                    group,
                    amount: amount?,
                })
            })
            .collect();
        let external_funding = t
            .tables(cx, "external_funding")
            .into_iter()
            .filter_map(|f| ExternalFunding::read(f, cx))
            .collect();
        let stated_total = t.table(cx, "stated_total").map(|f| Figures::read(f, cx));
        Some(Budget {
            title: title?,
            period: period?,
            as_at,
            groups,
            lines,
            notes,
            balances,
            external_funding,
            stated_total,
            withheld: Vec::new(),
            withheld_lines: Vec::new(),
        })
    }

    /// An exempt report as the public copy keeps it: its period and a title.
    pub fn stub(period: Period, title: String) -> Budget {
        Budget {
            title,
            period,
            as_at: None,
            groups: Vec::new(),
            lines: Vec::new(),
            notes: Vec::new(),
            balances: Vec::new(),
            external_funding: Vec::new(),
            stated_total: None,
            withheld: Vec::new(),
            withheld_lines: Vec::new(),
        }
    }
}

impl Figures {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Self {
        let f = Figures {
            approved: t.money(cx, "approved"),
            revised: t.money(cx, "revised"),
            planned: t.money(cx, "planned"),
            actual: t.money(cx, "actual"),
            variance: t.money(cx, "variance"),
            projected: t.money(cx, "projected"),
            span: cx.abs(t.span.clone()),
        };
        t.finish(cx);
        f
    }
}

impl Group {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let id = t.req_id(cx, "id");
        let title = t.req_text(cx, "title");
        let parent = t.id(cx, "parent");
        let kind = t.word(cx, "kind");
        let stated = t.table(cx, "stated").map(|f| Figures::read(f, cx));
        t.finish(cx);
        let id = id?;
        let (parent, parent_span) = match parent {
            Some(p) => (Some(p.value), p.span),
            None => (None, 0..0),
        };
        Some(Group {
            id: id.value,
            span: id.span,
            title: title?,
            parent,
            parent_span,
            kind,
            stated,
        })
    }
}

impl Line {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let id = t.req_id(cx, "id");
        let title = t.req_text(cx, "title");
        let group = t.req_id(cx, "group");
        let approved = t.req_money(cx, "approved");
        let revised = t.money(cx, "revised");
        let planned = t.money(cx, "planned");
        let actual = t.money(cx, "actual");
        let projected = t.money(cx, "projected");
        let notes = note_refs(&mut t, cx, "notes");
        let programme = t.id(cx, "programme");
        let memo = t.boolean(cx, "memo").unwrap_or(false);
        let exempt = exempt::read(&mut t, cx);
        let stated = t.table(cx, "stated").map(|s| LineStated::read(s, cx));
        t.finish(cx);
        let id = id?;
        let group = group?;
        let (programme, programme_span) = match programme {
            Some(p) => (Some(p.value), p.span),
            None => (None, 0..0),
        };
        Some(Line {
            id: id.value,
            span: id.span,
            title: title?,
            group: group.value,
            group_span: group.span,
            approved: approved?,
            revised,
            planned,
            actual,
            projected,
            notes,
            programme,
            programme_span,
            memo,
            exempt,
            stated,
        })
    }

    /// An exempt line as the totals need it: its group, its figures and whether it is spend,
    /// with no id, title, notes or programme.
    pub fn for_totals(l: &Line) -> Line {
        Line {
            id: String::new(),
            span: 0..0,
            title: String::new(),
            group: l.group.clone(),
            group_span: 0..0,
            approved: l.approved,
            revised: l.revised,
            planned: l.planned,
            actual: l.actual,
            projected: l.projected,
            notes: Vec::new(),
            programme: None,
            programme_span: 0..0,
            memo: l.memo,
            exempt: None,
            stated: None,
        }
    }
}

impl LineStated {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Self {
        let variance_span = (t.get("variance").map(|v| cx.abs(v.span()))).unwrap_or(0..0);
        let variance = t.money(cx, "variance");
        let variance_pct_span = (t.get("variance_pct").map(|v| cx.abs(v.span()))).unwrap_or(0..0);
        let variance_pct = t.get("variance_pct").and_then(|v| printed_percent(cx, v));
        t.finish(cx);
        LineStated {
            variance,
            variance_span,
            variance_pct,
            variance_pct_span,
        }
    }
}

/// A per cent as the paper prints it: `(35%)`, `-3%`, `0%`, or a bare number.
fn printed_percent(cx: &mut Cx<'_>, v: &serde_spanned::Spanned<DeValue<'_>>) -> Option<Decimal> {
    let DeValue::String(s) = v.get_ref() else {
        return read_decimal(cx, v, "variance_pct");
    };
    let text = s.trim();
    let bare = text.replacen('%', "", 1);
    let has_symbol = bare
        .chars()
        .any(|c| !c.is_ascii_digit() && !"()-.,_ ".contains(c));
    match crate::read::money::parse_money(&bare) {
        Ok(d) if !has_symbol => Some(d),
        Ok(_) => {
            cx.report(
                Problem::InvalidNumber {
                    text: text.to_string(),
                    reason: "a printed % variance is a number such as (35%) or 2%".into(),
                },
                v.span(),
            );
            None
        }
        Err(reason) => {
            cx.report(
                Problem::InvalidNumber {
                    text: text.to_string(),
                    reason,
                },
                v.span(),
            );
            None
        }
    }
}

impl ExternalFunding {
    fn read(mut t: Table<'_, '_>, cx: &mut Cx<'_>) -> Option<Self> {
        let funder = t.req_text(cx, "funder");
        let purpose = t.text(cx, "purpose");
        let amount_span = t.get("amount").map(|v| cx.abs(v.span())).unwrap_or(0..0);
        let amount = t.req_money(cx, "amount");
        let phasing = t
            .tables(cx, "phasing")
            .into_iter()
            .filter_map(|mut p| {
                let year = p.req_period(cx, "year");
                let amount = p.req_money(cx, "amount");
                p.finish(cx);
                Some(Phase {
                    year: year?,
                    amount: amount?,
                })
            })
            .collect();
        t.finish(cx);
        Some(ExternalFunding {
            funder: funder?,
            purpose,
            amount: amount?,
            amount_span,
            phasing,
        })
    }
}

/// A note reference: the seeds number notes `1`, `2` and mark memo lines `*`.
fn note_value(
    cx: &mut Cx<'_>,
    v: &serde_spanned::Spanned<DeValue<'_>>,
    key: &str,
) -> Option<String> {
    match v.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        DeValue::Integer(_) => read_integer(cx, v, key).map(|n| n.to_string()),
        _ => {
            cx.report(
                Problem::WrongType {
                    key: key.to_string(),
                    expected: "a note number or mark",
                    found: "another type",
                },
                v.span(),
            );
            None
        }
    }
}

fn note_ref(t: &mut Table<'_, '_>, cx: &mut Cx<'_>, key: &'static str) -> Option<String> {
    if !t.has(key) {
        return t.req_text(cx, key);
    }
    let v = t.get(key)?;
    note_value(cx, v, key)
}

fn note_refs(t: &mut Table<'_, '_>, cx: &mut Cx<'_>, key: &'static str) -> Vec<String> {
    t.array(cx, key)
        .into_iter()
        .filter_map(|(v, path)| note_value(cx, v, &path))
        .collect()
}
