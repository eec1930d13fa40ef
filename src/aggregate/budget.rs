//! Budget summaries: per-line variance, % variance, outturn and RAG; subtotals at every level of
//! the group hierarchy; totals, memo lines, income against expenditure; stated figures checked.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::finding;
use crate::aggregate::format::{money, round_half_up};
use crate::config::{Config, VarianceSign};
use crate::content::Document;
use crate::content::budget::{Budget, Figures, Group, Line};
use crate::content::words::GroupKind;
use crate::diagnostic::Diagnostic;

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

fn add(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x + y),
        (x, None) => x,
        (None, y) => y,
    }
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

    fn plus(&self, o: &Totals) -> Totals {
        Totals {
            approved: add(self.approved, o.approved),
            revised: add(self.revised, o.revised),
            planned: add(self.planned, o.planned),
            actual: add(self.actual, o.actual),
            projected: add(self.projected, o.projected),
            ..Totals::default()
        }
    }

    /// Derive variance, % variance, outturn variance and RAG from the summed columns.
    fn derive(mut self, config: &Config) -> Totals {
        if let (Some(p), Some(a)) = (self.planned, self.actual) {
            let v = match config.variance_sign {
                VarianceSign::ActualMinusPlanned => a - p,
                VarianceSign::PlannedMinusActual => p - a,
            };
            self.variance = Some(v);
            if !p.is_zero() {
                let pct = v / p.abs() * Decimal::ONE_HUNDRED;
                self.variance_pct = Some(pct.normalize());
                self.variance_pct_display = Some(crate::aggregate::format::percent(pct));
                self.rag = Some(Rag::from_percent(pct, config));
            }
        }
        if let (Some(r), Some(p)) = (self.revised, self.projected) {
            self.outturn_variance = Some(p - r);
        }
        self
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
    pub period: crate::content::period::Period,
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
    pub total_differences: Vec<Difference>,
    pub rounding_note: bool,
    pub balances_total: Decimal,
    pub legend: String,
    /// Columns that any line fills, so tables can leave out empty ones.
    pub columns: Columns,
}

#[derive(Debug, Clone, Serialize)]
pub struct Columns {
    pub revised: bool,
    pub planned: bool,
    pub actual: bool,
    pub projected: bool,
}

fn differences(stated: &Figures, computed: &Totals) -> Vec<Difference> {
    let pairs = [
        ("approved", stated.approved, computed.approved),
        ("revised", stated.revised, computed.revised),
        ("planned", stated.planned, computed.planned),
        ("actual", stated.actual, computed.actual),
        ("variance", stated.variance, computed.variance),
        ("projected", stated.projected, computed.projected),
    ];
    pairs
        .into_iter()
        .filter_map(|(column, s, c)| match (s, c) {
            (Some(s), Some(c)) if s != c => Some(Difference {
                column,
                stated: s,
                computed: c,
                difference: s - c,
            }),
            _ => None,
        })
        .collect()
}

/// Say how far a printed figure is from the computed one, and whether hidden pence could
/// explain it: each of `lines` whole-pound figures may hide up to 50p either way.
fn describe(difference: Decimal, lines: usize) -> String {
    let size = money(difference.abs());
    let side = if difference.is_sign_negative() {
        "less"
    } else {
        "more"
    };
    let bound = Decimal::from(lines) / Decimal::TWO;
    if difference.abs() <= bound {
        format!(
            "the printed figure is {size} {side}, within what hidden pence in {lines} lines could explain"
        )
    } else {
        format!(
            "the printed figure is {size} {side}, more than rounding of {lines} lines could explain"
        )
    }
}

/// Whether whole-pound display of the parts fails to add up to whole-pound display of the total.
fn displayed_sum_differs(lines: &[&Line], total: &Totals) -> bool {
    type Column = fn(&Line) -> Option<Decimal>;
    let cols: [(Column, Option<Decimal>); 5] = [
        (|l| Some(l.approved), total.approved),
        (|l| l.revised, total.revised),
        (|l| l.planned, total.planned),
        (|l| l.actual, total.actual),
        (|l| l.projected, total.projected),
    ];
    cols.iter().any(|(get, t)| {
        let Some(t) = t else { return false };
        let shown: Decimal = lines.iter().filter_map(|l| get(l)).map(round_half_up).sum();
        shown != round_half_up(*t)
    })
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

fn group_kind(b: &Budget, g: &Group) -> Option<GroupKind> {
    let mut cur = Some(g);
    let mut steps = 0;
    while let Some(x) = cur {
        if let Some(k) = x.kind {
            return Some(k);
        }
        steps += 1;
        if steps > b.groups.len() {
            return None;
        }
        cur = x
            .parent
            .as_ref()
            .and_then(|p| b.groups.iter().find(|y| &y.id == p));
    }
    None
}

/// Whether `g` is `ancestor` or lies under it.
fn within(b: &Budget, g: &str, ancestor: &str) -> bool {
    let mut cur = Some(g.to_string());
    let mut steps = 0;
    while let Some(id) = cur {
        if id == ancestor {
            return true;
        }
        steps += 1;
        if steps > b.groups.len() {
            return false;
        }
        cur = b
            .groups
            .iter()
            .find(|x| x.id == id)
            .and_then(|x| x.parent.clone());
    }
    false
}

fn depth(b: &Budget, g: &Group) -> usize {
    let mut d = 0;
    let mut cur = g.parent.clone();
    while let Some(p) = cur {
        d += 1;
        if d > b.groups.len() {
            break;
        }
        cur = b
            .groups
            .iter()
            .find(|x| x.id == p)
            .and_then(|x| x.parent.clone());
    }
    d
}

fn sum_lines<'a>(lines: impl Iterator<Item = &'a Line>) -> Totals {
    lines.fold(Totals::default(), |t, l| t.plus(&Totals::of_line(l)))
}

pub fn summarise(
    config: &Config,
    doc_index: usize,
    doc: &Document,
    b: &Budget,
    findings: &mut Vec<Diagnostic>,
) -> BudgetSummary {
    let mut groups = Vec::with_capacity(b.groups.len());
    for g in &b.groups {
        let members: Vec<&Line> = b
            .lines
            .iter()
            .filter(|l| within(b, &l.group, &g.id))
            .collect();
        let totals = sum_lines(members.iter().copied()).derive(config);
        let diffs = g
            .stated
            .as_ref()
            .map(|s| differences(s, &totals))
            .unwrap_or_default();
        for d in &diffs {
            findings.push(finding(
                doc,
                g.span.clone(),
                "total-mismatch",
                format!(
                    "the printed {} subtotal for {} is {}, but its lines add up to {}: {}",
                    d.column,
                    g.title,
                    money(d.stated),
                    money(d.computed),
                    describe(d.difference, members.len())
                ),
            ));
        }
        groups.push(GroupSummary {
            id: g.id.clone(),
            title: g.title.clone(),
            kind: group_kind(b, g),
            depth: depth(b, g),
            parent: g.parent.clone(),
            lines: b
                .lines
                .iter()
                .filter(|l| l.group == g.id)
                .map(|l| LineSummary {
                    id: l.id.clone(),
                    title: l.title.clone(),
                    memo: l.memo,
                    notes: l.notes.clone(),
                    programme: l.programme.clone(),
                    totals: Totals::of_line(l).derive(config),
                })
                .collect(),
            children: b
                .groups
                .iter()
                .filter(|c| c.parent.as_deref() == Some(g.id.as_str()))
                .map(|c| c.id.clone())
                .collect(),
            rounding_note: !diffs.is_empty() || displayed_sum_differs(&members, &totals),
            totals,
            stated: g.stated.clone(),
            differences: diffs,
        });
    }
    let kind_of = |l: &Line| {
        b.groups
            .iter()
            .find(|g| g.id == l.group)
            .and_then(|g| group_kind(b, g))
    };
    let income_lines: Vec<&Line> = b
        .lines
        .iter()
        .filter(|l| kind_of(l) == Some(GroupKind::Income))
        .collect();
    let exp_lines: Vec<&Line> = b
        .lines
        .iter()
        .filter(|l| kind_of(l) == Some(GroupKind::Expenditure))
        .collect();
    let income = sum_lines(income_lines.iter().copied()).derive(config);
    let expenditure = sum_lines(exp_lines.iter().copied()).derive(config);
    let memo = sum_lines(exp_lines.iter().copied().filter(|l| l.memo)).derive(config);
    let expenditure_excluding_memo =
        sum_lines(exp_lines.iter().copied().filter(|l| !l.memo)).derive(config);
    let net = income.plus(&expenditure);
    let total_differences = b
        .stated_total
        .as_ref()
        .map(|s| differences(s, &expenditure))
        .unwrap_or_default();
    let total_span = b.stated_total.as_ref().map_or(0..3, |s| s.span.clone());
    for d in &total_differences {
        findings.push(finding(
            doc,
            total_span.clone(),
            "total-mismatch",
            format!(
                "the printed {} grand total is {}, but the lines add up to {}: {}",
                d.column,
                money(d.stated),
                money(d.computed),
                describe(d.difference, exp_lines.len())
            ),
        ));
    }
    for f in &b.external_funding {
        if f.phasing.is_empty() {
            continue;
        }
        let phased: Decimal = f.phasing.iter().map(|p| p.amount).sum();
        if phased != f.amount {
            findings.push(finding(
                doc,
                f.amount_span.clone(),
                "total-mismatch",
                format!(
                    "external funding from {} is {}, but its phasing adds up to {}",
                    f.funder,
                    money(f.amount),
                    money(phased)
                ),
            ));
        }
    }
    BudgetSummary {
        doc: doc_index,
        title: b.title.clone(),
        period: b.period,
        rounding_note: !total_differences.is_empty()
            || displayed_sum_differs(&exp_lines, &expenditure),
        groups,
        income,
        expenditure,
        memo,
        expenditure_excluding_memo,
        net: net.derive(config),
        stated_total: b.stated_total.clone(),
        total_differences,
        balances_total: b.balances.iter().map(|x| x.amount).sum(),
        legend: legend(config),
        columns: Columns {
            revised: b.lines.iter().any(|l| l.revised.is_some()),
            planned: b.lines.iter().any(|l| l.planned.is_some()),
            actual: b.lines.iter().any(|l| l.actual.is_some()),
            projected: b.lines.iter().any(|l| l.projected.is_some()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::period::Period;
    use crate::content::{Data, Document};
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
        };
        let doc = Document {
            file: SourceFile::new("b.md", "b.md", String::new()),
            rel_path: "b.md".into(),
            stem: "b".into(),
            body: String::new(),
            body_span: 0..0,
            has_errors: false,
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
            let direct = |id: &str| sum_lines(lines.iter().filter(|l| l.group == id));
            // Each group's subtotal is its own lines plus its children's subtotals.
            for (id, children) in [("exp", vec!["a", "b"]), ("b", vec!["b1"]), ("a", vec![]), ("b1", vec![])] {
                let mut t = direct(id);
                for c in children {
                    t = t.plus(&g(c).totals);
                }
                prop_assert_eq!(t.approved, g(id).totals.approved);
                prop_assert_eq!(t.planned, g(id).totals.planned);
                prop_assert_eq!(t.actual, g(id).totals.actual);
            }
            prop_assert_eq!(g("exp").totals.actual, s.expenditure.actual);
            // Memo and non-memo parts make up the whole.
            prop_assert_eq!(
                add(s.memo.approved, s.expenditure_excluding_memo.approved),
                s.expenditure.approved
            );
            // Regrouping every line into one flat group gives the same grand total.
            let flat: Vec<Line> = lines.iter().cloned().map(|mut l| { l.group = "exp".into(); l }).collect();
            let f = summary(hierarchy(), flat);
            prop_assert_eq!(f.expenditure, s.expenditure);
        }
    }

    #[test]
    fn describes_rounding_differences() {
        assert!(describe(Decimal::from(-2), 15).contains("within what hidden pence"));
        assert!(describe(Decimal::from(9), 6).contains("more than rounding"));
    }
}
