//! Budget summaries: per-line variance, % variance, outturn and RAG; subtotals at every level of
//! the group hierarchy; totals, memo lines, income against expenditure; stated figures checked.

use rust_decimal::Decimal;
use serde::Serialize;

use std::collections::HashMap;

use crate::aggregate::budget_printed::{PrintedLine, check_line, printed_counts_memo};
use crate::aggregate::format::{money, round_half_up};
use crate::aggregate::{Overflow, finding};
use crate::config::{Config, VarianceSign};
use crate::content::Document;
use crate::content::budget::{Budget, Figures, Line};
use crate::diagnostic::{Diagnostic, FindingKind};
use crate::read::words::GroupKind;

/// Budget RAG from the tolerances in `boardpack.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    pub fn from_percent(pct: Decimal, config: &Config) -> Rag {
        let p = pct.abs();
        if p > config.tolerances.red {
            Rag::Red
        } else if p > config.tolerances.amber {
            Rag::Amber
        } else {
            Rag::Green
        }
    }
}

/// The computed columns of a line or a subtotal.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub approved: Option<Decimal>,
    pub revised: Option<Decimal>,
    pub planned: Option<Decimal>,
    pub actual: Option<Decimal>,
    pub projected: Option<Decimal>,
    /// Actual minus planned (or planned minus actual, by the configured sign convention).
    pub variance: Option<Decimal>,
    /// Variance as a per cent of planned, exact.
    pub variance_pct: Option<Decimal>,
    /// Variance per cent rounded half-up to a whole number, as displayed.
    pub variance_pct_display: Option<String>,
    /// Projected outturn minus revised budget: positive is an over-spend.
    pub outturn_variance: Option<Decimal>,
    pub rag: Option<Rag>,
}

/// A sum or quotient too large for `Decimal`'s 28 significant digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

fn add(a: Option<Decimal>, b: Option<Decimal>) -> Result<Option<Decimal>, TooLarge> {
    Ok(match (a, b) {
        (Some(x), Some(y)) => Some(x.checked_add(y).ok_or(TooLarge)?),
        (x, None) => x,
        (None, y) => y,
    })
}

fn sub(a: Decimal, b: Decimal) -> Result<Decimal, TooLarge> {
    a.checked_sub(b).ok_or(TooLarge)
}

impl Totals {
    fn of_line(l: &Line) -> Totals {
        Totals {
            approved: Some(l.approved),
            revised: l.revised,
            planned: l.planned,
            actual: l.actual,
            projected: l.projected,
            ..Totals::default()
        }
    }

    fn plus(&self, o: &Totals) -> Result<Totals, TooLarge> {
        Ok(Totals {
            approved: add(self.approved, o.approved)?,
            revised: add(self.revised, o.revised)?,
            planned: add(self.planned, o.planned)?,
            actual: add(self.actual, o.actual)?,
            projected: add(self.projected, o.projected)?,
            ..Totals::default()
        })
    }

    /// Derive variance, % variance, outturn variance and RAG from the summed columns. A tiny
    /// planned figure can make the % variance too large to hold (actual 99,999,999,999,999,999,999
    /// against planned 0.0000000001), so every step is checked.
    fn derive(mut self, config: &Config) -> Result<Totals, TooLarge> {
        if let (Some(p), Some(a)) = (self.planned, self.actual) {
            let v = match config.variance_sign {
                VarianceSign::ActualMinusPlanned => sub(a, p)?,
                VarianceSign::PlannedMinusActual => sub(p, a)?,
            };
            self.variance = Some(v);
            if !p.is_zero() {
                let pct = v
                    .checked_div(p.abs())
                    .and_then(|q| q.checked_mul(Decimal::ONE_HUNDRED))
                    .ok_or(TooLarge)?;
                self.variance_pct = Some(pct.normalize());
                self.variance_pct_display = Some(crate::aggregate::format::percent(pct));
                self.rag = Some(Rag::from_percent(pct, config));
            }
        }
        if let (Some(r), Some(p)) = (self.revised, self.projected) {
            self.outturn_variance = Some(sub(p, r)?);
        }
        Ok(self)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LineSummary {
    pub id: String,
    pub title: String,
    pub memo: bool,
    pub notes: Vec<String>,
    pub programme: Option<String>,
    pub totals: Totals,
    /// The paper's own variance and % variance, where they differ from `totals`.
    pub printed: PrintedLine,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupSummary {
    pub id: String,
    pub title: String,
    pub kind: Option<GroupKind>,
    pub depth: usize,
    pub parent: Option<String>,
    pub lines: Vec<LineSummary>,
    pub children: Vec<String>,
    /// Every line in the group and its descendants, memo lines included, as the seed prints.
    pub totals: Totals,
    /// The subtotal as printed, where the content records one.
    pub stated: Option<Figures>,
    /// Columns where the printed subtotal differs from the computed one.
    pub differences: Vec<Difference>,
    /// Whether the displayed (whole-pound) values of the lines fail to add up to the displayed
    /// subtotal, so the page must say that figures may not sum because of rounding.
    pub rounding_note: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub column: &'static str,
    pub stated: Decimal,
    pub computed: Decimal,
    pub difference: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct BudgetSummary {
    pub doc: usize,
    pub title: String,
    pub period: crate::read::period::Period,
    /// Groups in display order (parents before children, in the order authored).
    pub groups: Vec<GroupSummary>,
    pub income: Totals,
    /// Every expenditure line, memo lines included: the seed's grand total.
    pub expenditure: Totals,
    /// Memo lines only (provisions that are not expenditure).
    pub memo: Totals,
    /// Expenditure without memo lines.
    pub expenditure_excluding_memo: Totals,
    /// Income plus expenditure: zero for a balanced budget under the seed's sign convention.
    pub net: Totals,
    pub stated_total: Option<Figures>,
    /// Whether the printed grand total counts the memo lines (`true`, as the seed's does) or
    /// leaves them out (`false`), judged column by column; none where there are no memo lines,
    /// no printed total, or its columns disagree. `total_differences` compare with the total
    /// it means: without memo lines where it leaves them out, else with every line.
    pub printed_total_memo: Option<bool>,
    pub total_differences: Vec<Difference>,
    pub rounding_note: bool,
    pub balances_total: Decimal,
    pub legend: String,
    /// Columns that any line fills, so tables can leave out empty ones.
    pub columns: Columns,
    /// What changed since the previous paper of the financial year, where there is one.
    pub changes: Option<crate::aggregate::budget_changes::BudgetChanges>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Columns {
    pub revised: bool,
    pub planned: bool,
    pub actual: bool,
    pub projected: bool,
}

fn differences(stated: &Figures, computed: &Totals) -> Result<Vec<Difference>, TooLarge> {
    let pairs = [
        ("approved", stated.approved, computed.approved),
        ("revised", stated.revised, computed.revised),
        ("planned", stated.planned, computed.planned),
        ("actual", stated.actual, computed.actual),
        ("variance", stated.variance, computed.variance),
        ("projected", stated.projected, computed.projected),
    ];
    let mut out = Vec::new();
    for (column, s, c) in pairs {
        if let (Some(s), Some(c)) = (s, c)
            && s != c
        {
            out.push(Difference {
                column,
                stated: s,
                computed: c,
                difference: sub(s, c)?,
            });
        }
    }
    Ok(out)
}

/// Say how far a printed figure is from the computed one, and whether hidden pence could
/// explain it: each of `lines` whole-pound figures (`noun`: lines, figures) may hide up to 50p
/// either way.
pub(crate) fn describe(difference: Decimal, lines: usize, noun: &str) -> String {
    let size = money(difference.abs());
    let side = if difference.is_sign_negative() {
        "less"
    } else {
        "more"
    };
    let bound = Decimal::from(lines) / Decimal::TWO;
    if difference.abs() <= bound {
        format!(
            "the printed figure is {size} {side}, within what hidden pence in {lines} {noun} could explain"
        )
    } else {
        format!(
            "the printed figure is {size} {side}, more than rounding of {lines} {noun} could explain"
        )
    }
}

/// The columns of a line, in the order of [`Shown`].
type Column = fn(&Line) -> Option<Decimal>;
const COLUMNS: [Column; 5] = [
    |l| Some(l.approved),
    |l| l.revised,
    |l| l.planned,
    |l| l.actual,
    |l| l.projected,
];

/// The sum, column by column, of lines' figures as displayed: each rounded to whole pounds.
#[derive(Debug, Clone, Copy, Default)]
struct Shown([Decimal; 5]);

impl Shown {
    fn of_line(l: &Line) -> Shown {
        Shown(COLUMNS.map(|get| get(l).map(round_half_up).unwrap_or_default()))
    }

    fn plus(self, o: Shown) -> Result<Shown, TooLarge> {
        let mut out = self;
        for (a, b) in out.0.iter_mut().zip(o.0) {
            *a = a.checked_add(b).ok_or(TooLarge)?;
        }
        Ok(out)
    }

    /// Whether whole-pound display of the parts fails to add up to whole-pound display of the
    /// total.
    fn differs(&self, total: &Totals) -> bool {
        let totals = [
            total.approved,
            total.revised,
            total.planned,
            total.actual,
            total.projected,
        ];
        totals
            .iter()
            .zip(self.0)
            .any(|(t, shown)| t.is_some_and(|t| shown != round_half_up(t)))
    }
}

fn shown_sum<'a>(mut lines: impl Iterator<Item = &'a Line>) -> Result<Shown, TooLarge> {
    lines.try_fold(Shown::default(), |s, l| s.plus(Shown::of_line(l)))
}

/// The legend printed beside every money table.
pub fn legend(config: &Config) -> String {
    let variance = match config.variance_sign {
        VarianceSign::ActualMinusPlanned => {
            "Variance is actual minus planned spend to date: a figure in brackets is an under-spend."
        }
        VarianceSign::PlannedMinusActual => {
            "Variance is planned minus actual spend to date: a figure in brackets is an over-spend."
        }
    };
    format!(
        "Amounts in {}. Figures in brackets are negative; income is shown in brackets. {variance} % variance is variance as a share of planned spend, rounded to the nearest whole per cent.",
        config.currency
    )
}

/// The group hierarchy, indexed once so that every question about it costs the same at any
/// depth: walking parents by id for each line and each group took time that grew with the cube of
/// the depth (10 s for a chain of 3,000 groups).
struct Tree {
    /// Each group's parent, by index; none for a top-level group (or an unknown parent, which
    /// `check` reports).
    parent: Vec<Option<usize>>,
    /// Groups with their parents before them.
    order: Vec<usize>,
    depth: Vec<usize>,
    kind: Vec<Option<GroupKind>>,
    /// Each line's group, by index.
    line_group: Vec<Option<usize>>,
}

impl Tree {
    fn new(b: &Budget, lines: &[&Line]) -> Tree {
        let n = b.groups.len();
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(n);
        for (i, g) in b.groups.iter().enumerate() {
            index.entry(g.id.as_str()).or_insert(i);
        }
        let parent: Vec<Option<usize>> = (b.groups.iter())
            .map(|g| g.parent.as_deref().and_then(|p| index.get(p).copied()))
            .collect();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (i, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children[*p].push(i),
                None => roots.push(i),
            }
        }
        // Breadth first from the top: parents come before their children. Groups in a cycle
        // (which `check` reports, so are never aggregated) are never reached, and are left out.
        let mut order = roots;
        let mut depth = vec![0; n];
        let mut kind: Vec<Option<GroupKind>> = b.groups.iter().map(|g| g.kind).collect();
        let mut at = 0;
        while at < order.len() {
            let g = order[at];
            at += 1;
            for &c in &children[g] {
                depth[c] = depth[g] + 1;
                kind[c] = kind[c].or(kind[g]);
                order.push(c);
            }
        }
        let line_group = (lines.iter())
            .map(|l| index.get(l.group.as_str()).copied())
            .collect();
        Tree {
            parent,
            order,
            depth,
            kind,
            line_group,
        }
    }
}

fn sum_lines<'a>(mut lines: impl Iterator<Item = &'a Line>) -> Result<Totals, TooLarge> {
    lines.try_fold(Totals::default(), |t, l| t.plus(&Totals::of_line(l)))
}

/// Summarise a budget. A figure too large to work out (see `Totals::derive`) is an error,
/// located at the line, group or total it arose in, and leaves a summary with no figures.
pub fn summarise(
    config: &Config,
    doc_index: usize,
    doc: &Document,
    b: &Budget,
    findings: &mut Vec<Diagnostic>,
) -> BudgetSummary {
    match checked(config, doc_index, doc, b, findings) {
        Ok(s) => s,
        Err(overflow) => {
            findings.push(overflow.diagnostic(doc));
            BudgetSummary {
                doc: doc_index,
                title: b.title.clone(),
                period: b.period,
                groups: Vec::new(),
                income: Totals::default(),
                expenditure: Totals::default(),
                memo: Totals::default(),
                expenditure_excluding_memo: Totals::default(),
                net: Totals::default(),
                stated_total: b.stated_total.clone(),
                printed_total_memo: None,
                total_differences: Vec::new(),
                rounding_note: false,
                balances_total: Decimal::ZERO,
                legend: legend(config),
                columns: Columns {
                    revised: false,
                    planned: false,
                    actual: false,
                    projected: false,
                },
                changes: None,
            }
        }
    }
}

fn checked(
    config: &Config,
    doc_index: usize,
    doc: &Document,
    b: &Budget,
    findings: &mut Vec<Diagnostic>,
) -> Result<BudgetSummary, Overflow> {
    let whole = b.stated_total.as_ref().map_or(0..3, |s| s.span.clone());
    let too_large =
        |span: std::ops::Range<usize>, what: String| move |_: TooLarge| Overflow { span, what };
    // The lines the totals are made of: the table's, then (in the public copy) the exempt
    // lines' figures, which every total includes as the printed paper's does but which get no
    // row of their own.
    let all: Vec<&Line> = b.lines.iter().chain(&b.withheld_lines).collect();
    let shown_lines = b.lines.len();
    let tree = Tree::new(b, &all);
    let n = b.groups.len();
    // Each group's own lines, then its subtotal, member count and displayed sum, from the
    // deepest groups up.
    let mut own: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, g) in tree.line_group.iter().enumerate() {
        if let Some(g) = g {
            own[*g].push(i);
        }
    }
    let mut sums = vec![Totals::default(); n];
    let mut shown = vec![Shown::default(); n];
    let mut members = vec![0usize; n];
    for &g in tree.order.iter().rev() {
        let what = || format!("the subtotal of budget group {}", b.groups[g].id);
        let lines = own[g].iter().map(|&i| all[i]);
        let t = sum_lines(lines.clone()).map_err(too_large(b.groups[g].span.clone(), what()))?;
        let s = shown_sum(lines).map_err(too_large(b.groups[g].span.clone(), what()))?;
        sums[g] = sums[g]
            .plus(&t)
            .map_err(too_large(b.groups[g].span.clone(), what()))?;
        shown[g] = shown[g]
            .plus(s)
            .map_err(too_large(b.groups[g].span.clone(), what()))?;
        members[g] += own[g].len();
        if let Some(p) = tree.parent[g] {
            let (child, child_shown, count) = (sums[g].clone(), shown[g], members[g]);
            let span = b.groups[p].span.clone();
            let what = format!("the subtotal of budget group {}", b.groups[p].id);
            sums[p] = sums[p]
                .plus(&child)
                .map_err(too_large(span.clone(), what.clone()))?;
            shown[p] = shown[p].plus(child_shown).map_err(too_large(span, what))?;
            members[p] += count;
        }
    }
    let mut children: Vec<Vec<String>> = vec![Vec::new(); n];
    for (i, p) in tree.parent.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(b.groups[i].id.clone());
        }
    }
    let mut groups = Vec::with_capacity(n);
    for (gi, g) in b.groups.iter().enumerate() {
        // Lines first: an overflow in a line's own figures is better located at the line.
        let lines = own[gi]
            .iter()
            .filter(|&&i| i < shown_lines)
            .map(|&i| {
                let l = all[i];
                let totals = Totals::of_line(l).derive(config).map_err(too_large(
                    l.span.clone(),
                    format!("the % variance of budget line {}", l.id),
                ))?;
                let printed = check_line(config, doc, l, &totals, findings);
                Ok(LineSummary {
                    id: l.id.clone(),
                    title: l.title.clone(),
                    memo: l.memo,
                    notes: l.notes.clone(),
                    programme: l.programme.clone(),
                    totals,
                    printed,
                })
            })
            .collect::<Result<Vec<_>, Overflow>>()?;
        let what = || format!("a figure of budget group {}", g.id);
        let totals = std::mem::take(&mut sums[gi])
            .derive(config)
            .map_err(too_large(g.span.clone(), what()))?;
        let diffs = match &g.stated {
            Some(s) => differences(s, &totals).map_err(too_large(s.span.clone(), what()))?,
            None => Vec::new(),
        };
        for d in &diffs {
            findings.push(finding(
                doc,
                g.span.clone(),
                FindingKind::TotalMismatch,
                format!(
                    "the printed {} subtotal for {} is {}, but its lines add up to {}: {}",
                    d.column,
                    g.title,
                    money(d.stated),
                    money(d.computed),
                    describe(d.difference, members[gi], "lines")
                ),
            ));
        }
        groups.push(GroupSummary {
            id: g.id.clone(),
            title: g.title.clone(),
            kind: tree.kind[gi],
            depth: tree.depth[gi],
            parent: g.parent.clone(),
            lines,
            children: std::mem::take(&mut children[gi]),
            rounding_note: !diffs.is_empty() || shown[gi].differs(&totals),
            totals,
            stated: g.stated.clone(),
            differences: diffs,
        });
    }
    let kind_of = |i: usize| tree.line_group[i].and_then(|g| tree.kind[g]);
    let income_lines: Vec<&Line> = (0..all.len())
        .filter(|&i| kind_of(i) == Some(GroupKind::Income))
        .map(|i| all[i])
        .collect();
    let exp_lines: Vec<&Line> = (0..all.len())
        .filter(|&i| kind_of(i) == Some(GroupKind::Expenditure))
        .map(|i| all[i])
        .collect();
    let total = |lines: &[&Line], what: &str| {
        sum_lines(lines.iter().copied())
            .and_then(|t| t.derive(config))
            .map_err(too_large(whole.clone(), what.to_string()))
    };
    let income = total(&income_lines, "the total income")?;
    let expenditure = total(&exp_lines, "the total expenditure")?;
    let memo_lines: Vec<&Line> = exp_lines.iter().copied().filter(|l| l.memo).collect();
    let memo = total(&memo_lines, "the total of memo lines")?;
    let spend_lines: Vec<&Line> = exp_lines.iter().copied().filter(|l| !l.memo).collect();
    let expenditure_excluding_memo = total(&spend_lines, "the total expenditure")?;
    let net = income
        .plus(&expenditure)
        .and_then(|t| t.derive(config))
        .map_err(too_large(whole.clone(), "income less expenditure".into()))?;
    // A paper whose printed total leaves memo lines out, as their meaning says, is compared
    // with the total without them; one that counts them (as the seed does), or mixes, with all.
    let printed_total_memo = (b.stated_total.as_ref())
        .and_then(|s| printed_counts_memo(s, &expenditure, &expenditure_excluding_memo));
    let (compared, compared_lines) = match printed_total_memo {
        Some(false) => (&expenditure_excluding_memo, spend_lines.len()),
        _ => (&expenditure, exp_lines.len()),
    };
    let total_differences = match &b.stated_total {
        Some(s) => differences(s, compared)
            .map_err(too_large(whole.clone(), "the printed grand total".into()))?,
        None => Vec::new(),
    };
    for d in &total_differences {
        let memo_column = match d.column {
            "approved" => memo.approved,
            "revised" => memo.revised,
            "planned" => memo.planned,
            "actual" => memo.actual,
            "projected" => memo.projected,
            _ => None,
        };
        let hint = if memo_column.is_some_and(|m| !m.is_zero() && m == d.difference.abs()) {
            "; the difference is the memorandum items' amount: check whether the printed total \
             counts them"
        } else {
            ""
        };
        findings.push(finding(
            doc,
            whole.clone(),
            FindingKind::TotalMismatch,
            format!(
                "the printed {} grand total is {}, but the lines add up to {}: {}{hint}",
                d.column,
                money(d.stated),
                money(d.computed),
                describe(d.difference, compared_lines, "lines")
            ),
        ));
    }
    for f in &b.external_funding {
        if f.phasing.is_empty() {
            continue;
        }
        let phased = (f.phasing.iter())
            .try_fold(Decimal::ZERO, |s, p| s.checked_add(p.amount))
            .ok_or_else(|| Overflow {
                span: f.amount_span.clone(),
                what: format!("the phasing of external funding from {}", f.funder),
            })?;
        if phased != f.amount {
            findings.push(finding(
                doc,
                f.amount_span.clone(),
                FindingKind::TotalMismatch,
                format!(
                    "external funding from {} is {}, but its phasing adds up to {}",
                    f.funder,
                    money(f.amount),
                    money(phased)
                ),
            ));
        }
    }
    let balances_total = (b.balances.iter())
        .try_fold(Decimal::ZERO, |s, x| s.checked_add(x.amount))
        .ok_or_else(|| Overflow {
            span: whole.clone(),
            what: "the total of the balances".into(),
        })?;
    let shown_lines = match printed_total_memo {
        Some(false) => &spend_lines,
        _ => &exp_lines,
    };
    let rounding_note = !total_differences.is_empty()
        || shown_sum(shown_lines.iter().copied())
            .map_err(too_large(whole.clone(), "the total expenditure".into()))?
            .differs(compared);
    Ok(BudgetSummary {
        doc: doc_index,
        title: b.title.clone(),
        period: b.period,
        rounding_note,
        groups,
        income,
        expenditure,
        memo,
        expenditure_excluding_memo,
        net,
        stated_total: b.stated_total.clone(),
        printed_total_memo,
        total_differences,
        balances_total,
        legend: legend(config),
        columns: Columns {
            revised: all.iter().any(|l| l.revised.is_some()),
            planned: all.iter().any(|l| l.planned.is_some()),
            actual: all.iter().any(|l| l.actual.is_some()),
            projected: all.iter().any(|l| l.projected.is_some()),
        },
        changes: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::budget::Group;
    use crate::content::{Data, Document};
    use crate::read::period::Period;
    use crate::source::SourceFile;
    use proptest::prelude::*;

    fn group(id: &str, parent: Option<&str>, kind: Option<GroupKind>) -> Group {
        Group {
            id: id.into(),
            span: 0..0,
            title: id.into(),
            parent: parent.map(Into::into),
            parent_span: 0..0,
            kind,
            stated: None,
        }
    }

    fn line(i: usize, group: &str, planned: i64, actual: i64, pence: i64) -> Line {
        Line {
            id: format!("l{i}"),
            span: 0..0,
            title: format!("Line {i}"),
            group: group.into(),
            group_span: 0..0,
            approved: Decimal::new(planned * 100 + pence, 2),
            revised: None,
            planned: Some(Decimal::from(planned)),
            actual: Some(Decimal::new(actual * 100 + pence, 2)),
            projected: None,
            notes: vec![],
            programme: None,
            programme_span: 0..0,
            memo: i.is_multiple_of(5),
            exempt: None,
            stated: None,
        }
    }

    fn summary(groups: Vec<Group>, lines: Vec<Line>) -> BudgetSummary {
        let b = Budget {
            title: "t".into(),
            period: Period::parse("2009/10 Q2").unwrap(),
            as_at: None,
            groups,
            lines,
            notes: vec![],
            balances: vec![],
            external_funding: vec![],
            stated_total: None,
            withheld: vec![],
            withheld_lines: vec![],
        };
        let doc = Document {
            file: SourceFile::new("b.md", "b.md", String::new()),
            rel_path: "b.md".into(),
            stem: "b".into(),
            body: String::new(),
            body_span: 0..0,
            has_errors: false,
            money_symbols: Vec::new(),
            draft: false,
            approved: None,
            exempt: None,
            withheld_document: None,
            meta: Default::default(),
            tables_marker: None,
            data: Data::Budget(b.clone()),
        };
        let config = Config::with_names("o", "t");
        summarise(&config, 0, &doc, &b, &mut Vec::new())
    }

    fn hierarchy() -> Vec<Group> {
        vec![
            group("exp", None, Some(GroupKind::Expenditure)),
            group("a", Some("exp"), None),
            group("b", Some("exp"), None),
            group("b1", Some("b"), None),
        ]
    }

    const LEAVES: [&str; 4] = ["exp", "a", "b", "b1"];

    proptest! {
        #[test]
        fn order_of_lines_does_not_change_totals(
            figures in proptest::collection::vec((0usize..4, -1_000_000i64..1_000_000, -1_000_000i64..1_000_000, 0i64..100), 1..30),
            seed in any::<u64>(),
        ) {
            let lines: Vec<Line> = figures.iter().enumerate().map(|(i, (g, p, a, pence))| line(i, LEAVES[*g], *p, *a, *pence)).collect();
            let mut shuffled = lines.clone();
            // A deterministic shuffle from the seed.
            let n = shuffled.len();
            for i in (1..n).rev() {
                let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
                shuffled.swap(i, j);
            }
            let a = summary(hierarchy(), lines);
            let b = summary(hierarchy(), shuffled);
            prop_assert_eq!(&a.expenditure, &b.expenditure);
            for (x, y) in a.groups.iter().zip(&b.groups) {
                prop_assert_eq!(&x.totals, &y.totals);
            }
        }

        #[test]
        fn subtotals_add_up_to_the_total(
            figures in proptest::collection::vec((0usize..4, -1_000_000i64..1_000_000, -1_000_000i64..1_000_000, 0i64..100), 1..30),
        ) {
            let lines: Vec<Line> = figures.iter().enumerate().map(|(i, (g, p, a, pence))| line(i, LEAVES[*g], *p, *a, *pence)).collect();
            let s = summary(hierarchy(), lines.clone());
            let g = |id: &str| s.groups.iter().find(|x| x.id == id).unwrap();
            let direct = |id: &str| sum_lines(lines.iter().filter(|l| l.group == id)).unwrap();
            // Each group's subtotal is its own lines plus its children's subtotals.
            for (id, children) in [("exp", vec!["a", "b"]), ("b", vec!["b1"]), ("a", vec![]), ("b1", vec![])] {
                let mut t = direct(id);
                for c in children {
                    t = t.plus(&g(c).totals).unwrap();
                }
                prop_assert_eq!(t.approved, g(id).totals.approved);
                prop_assert_eq!(t.planned, g(id).totals.planned);
                prop_assert_eq!(t.actual, g(id).totals.actual);
            }
            prop_assert_eq!(g("exp").totals.actual, s.expenditure.actual);
            // Memo and non-memo parts make up the whole.
            prop_assert_eq!(
                add(s.memo.approved, s.expenditure_excluding_memo.approved).unwrap(),
                s.expenditure.approved
            );
            // Regrouping every line into one flat group gives the same grand total.
            let flat: Vec<Line> = lines.iter().cloned().map(|mut l| { l.group = "exp".into(); l }).collect();
            let f = summary(hierarchy(), flat);
            prop_assert_eq!(f.expenditure, s.expenditure);
        }

        #[test]
        fn the_public_copy_keeps_every_total_and_no_exempt_row(
            figures in proptest::collection::vec((0usize..4, -1_000_000i64..1_000_000, -1_000_000i64..1_000_000, 0i64..100, any::<bool>()), 1..30),
        ) {
            let exempt = crate::content::exempt::Exempt {
                paragraph: 3,
                reason: Some("r".into()),
                review: None,
                public_title: None,
                span: 0..0,
                paragraph_span: 0..0,
                review_span: 0..0,
            };
            let lines: Vec<Line> = figures.iter().enumerate().map(|(i, (g, p, a, pence, x))| {
                let mut l = line(i, LEAVES[*g], *p, *a, *pence);
                l.exempt = x.then(|| exempt.clone());
                l
            }).collect();
            let whole = summary(hierarchy(), lines.clone());
            let doc = |b: Budget| Document {
                file: SourceFile::new("b.md", "b.md", String::new()),
                rel_path: "b.md".into(),
                stem: "b".into(),
                body: String::new(),
                body_span: 0..0,
                has_errors: false,
                money_symbols: Vec::new(),
                draft: false,
                approved: None,
                exempt: None,
                withheld_document: None,
                meta: Default::default(),
                tables_marker: None,
                data: Data::Budget(b),
            };
            let mut b = Budget::stub(Period::parse("2009/10 Q2").unwrap(), "t".into());
            b.groups = hierarchy();
            b.lines = lines.clone();
            let public = crate::content::exempt::public_copy(&[doc(b)], crate::config::Schedule::England);
            let Some(public) = public else {
                // Nothing exempt: nothing to copy.
                prop_assert!(lines.iter().all(|l| l.exempt.is_none()));
                return Ok(());
            };
            let Data::Budget(pb) = &public[0].data else { unreachable!() };
            let config = Config::with_names("o", "t");
            let p = summarise(&config, 0, &public[0], pb, &mut Vec::new());
            prop_assert_eq!(&p.expenditure, &whole.expenditure);
            prop_assert_eq!(&p.memo, &whole.memo);
            for (x, y) in p.groups.iter().zip(&whole.groups) {
                prop_assert_eq!(&x.totals, &y.totals);
                let rows: Vec<&str> = x.lines.iter().map(|l| l.id.as_str()).collect();
                let published: Vec<&str> = y.lines.iter()
                    .filter(|l| lines.iter().any(|s| s.id == l.id && s.exempt.is_none()))
                    .map(|l| l.id.as_str())
                    .collect();
                prop_assert_eq!(rows, published);
            }
        }
    }

    #[test]
    fn describes_rounding_differences() {
        assert!(describe(Decimal::from(-2), 15, "lines").contains("within what hidden pence"));
        assert!(describe(Decimal::from(9), 6, "lines").contains("more than rounding"));
    }
}
