//! Printed figures read for what they mean: a budget line's printed variance and % variance,
//! checked against the ones computed from its planned and actual spend with the same
//! hidden-pence reasoning as printed totals, and whether a printed total counts memo lines.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::aggregate::budget::{Totals, describe};
use crate::aggregate::finding;
use crate::aggregate::format::{money, percent, round_half_up};
use crate::config::{Config, VarianceSign};
use crate::content::Document;
use crate::content::budget::{Figures, Line};
use crate::diagnostic::{Diagnostic, FindingKind};

/// A line's printed figures where they differ from the computed ones; none where they agree
/// or the paper prints none, so a page shows the paper's figure only beside a different one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PrintedLine {
    pub variance: Option<Decimal>,
    /// As printed, in whole per cent.
    pub variance_pct: Option<Decimal>,
    /// `(35%)`, as the paper prints it.
    pub variance_pct_display: Option<String>,
}

/// The planned and actual figures a line's variance is worked out from: each, printed in
/// whole pounds, may hide up to 50p either way.
const PARTS: usize = 2;

/// Compare a line's printed variance and % variance with `computed`, its derived totals, and
/// report each difference at the printed value.
pub fn check_line(
    config: &Config,
    doc: &Document,
    l: &Line,
    computed: &Totals,
    findings: &mut Vec<Diagnostic>,
) -> PrintedLine {
    let Some(stated) = &l.stated else {
        return PrintedLine::default();
    };
    let at = |span: &std::ops::Range<usize>| {
        if span.is_empty() {
            l.span.clone()
        } else {
            span.clone()
        }
    };
    let mut out = PrintedLine::default();
    if let (Some(s), Some(c)) = (stated.variance, computed.variance)
        && s != c
        && let Some(d) = s.checked_sub(c)
    {
        findings.push(finding(
            doc,
            at(&stated.variance_span),
            FindingKind::LineFigureMismatch,
            format!(
                "the printed variance for {} is {}, but its planned and actual spend give {}: {}; {}",
                l.title,
                money(s),
                money(c),
                describe(d, PARTS, "figures"),
                if d.abs() <= Decimal::from(PARTS) / Decimal::TWO {
                    "check the pence of its planned and actual spend"
                } else {
                    "check the line's figures against the paper"
                }
            ),
        ));
        out.variance = Some(s);
    }
    if let (Some(s), Some(exact)) = (stated.variance_pct, computed.variance_pct)
        && round_half_up(exact) != s
    {
        let within = match (l.planned, l.actual) {
            (Some(p), Some(a)) => pence_could_explain(p, a, s, config.variance_sign),
            _ => false,
        };
        let why = if within {
            "within what hidden pence in its planned and actual spend could explain; check the pence \
             of those figures"
        } else {
            "more than hidden pence could explain; check the printed % against the line's planned \
             and actual spend"
        };
        findings.push(finding(
            doc,
            at(&stated.variance_pct_span),
            FindingKind::LineFigureMismatch,
            format!(
                "the printed % variance for {} is {}, but its variance of {} is {} of planned spend: {why}",
                l.title,
                percent(s),
                computed.variance.map(money).unwrap_or_default(),
                percent(exact),
            ),
        ));
        out.variance_pct = Some(s);
        out.variance_pct_display = Some(percent(s));
    }
    out
}

/// Whether a printed total counts memo lines: each printed column the memo lines change is
/// nearer one of the two computed totals, and all must agree.
pub fn printed_counts_memo(stated: &Figures, with: &Totals, without: &Totals) -> Option<bool> {
    let columns = [
        (stated.approved, with.approved, without.approved),
        (stated.revised, with.revised, without.revised),
        (stated.planned, with.planned, without.planned),
        (stated.actual, with.actual, without.actual),
        (stated.projected, with.projected, without.projected),
    ];
    let mut verdict = None;
    for (s, w, wo) in columns {
        let (Some(s), Some(w)) = (s, w) else { continue };
        let wo = wo.unwrap_or_default();
        if w == wo {
            continue;
        }
        let (Some(dw), Some(dwo)) = (s.checked_sub(w), s.checked_sub(wo)) else {
            return None;
        };
        let counts = dw.abs() < dwo.abs();
        if dw.abs() == dwo.abs() || verdict.is_some_and(|v| v != counts) {
            return None;
        }
        verdict = Some(counts);
    }
    verdict
}

/// Whether some planned and actual spend that print as `planned` and `actual` (each up to 50p
/// either way) give a % variance that prints as `stated`. The % is monotonic in each figure,
/// so its extremes are at the corners of that square.
fn pence_could_explain(
    planned: Decimal,
    actual: Decimal,
    stated: Decimal,
    convention: VarianceSign,
) -> bool {
    let half = Decimal::new(5, 1);
    let sign = match convention {
        VarianceSign::ActualMinusPlanned => Decimal::ONE,
        VarianceSign::PlannedMinusActual => Decimal::NEGATIVE_ONE,
    };
    let mut lo: Option<Decimal> = None;
    let mut hi: Option<Decimal> = None;
    for dp in [-half, half] {
        for da in [-half, half] {
            let (Some(p), Some(a)) = (planned.checked_add(dp), actual.checked_add(da)) else {
                return false;
            };
            // A planned figure that could be zero makes any % possible.
            if p.abs() <= half {
                return true;
            }
            let Some(pct) = (a.checked_sub(p))
                .and_then(|v| v.checked_mul(sign))
                .and_then(|v| v.checked_div(p.abs()))
                .and_then(|q| q.checked_mul(Decimal::ONE_HUNDRED))
            else {
                return false;
            };
            lo = Some(lo.map_or(pct, |x| x.min(pct)));
            hi = Some(hi.map_or(pct, |x| x.max(pct)));
        }
    }
    match (lo, hi) {
        (Some(lo), Some(hi)) => stated + half >= lo && stated - half <= hi,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn hidden_pence_can_tip_a_percent_over_the_half() {
        // 193 against a plan of 200 is -3.5%, printed (4%); but 192.50 against 200.49 is -3.98%
        // and 193.49 against 199.50 is -3.01%: (3%) or (4%) could be printed, not (5%).
        let sign = VarianceSign::ActualMinusPlanned;
        assert!(pence_could_explain(d(200), d(193), d(-4), sign));
        assert!(pence_could_explain(d(200), d(193), d(-3), sign));
        assert!(!pence_could_explain(d(200), d(193), d(-5), sign));
        assert!(!pence_could_explain(d(200), d(193), d(4), sign));
        // Under the other convention the same figures print 4%.
        let other = VarianceSign::PlannedMinusActual;
        assert!(pence_could_explain(d(200), d(193), d(4), other));
        assert!(!pence_could_explain(d(200), d(193), d(-4), other));
    }

    fn totals(planned: i64, actual: i64) -> Totals {
        Totals {
            planned: Some(d(planned)),
            actual: Some(d(actual)),
            ..Totals::default()
        }
    }

    #[test]
    fn a_printed_total_counts_memo_lines_when_every_column_is_nearer_the_total_with_them() {
        let with = totals(1_879_193, 1_833_599);
        let without = totals(1_829_193, 1_783_599);
        let printed = |planned: i64, actual: i64| Figures {
            planned: Some(d(planned)),
            actual: Some(d(actual)),
            ..Figures::default()
        };
        // The seed's total: a pound or two of hidden pence off the total with the memo line.
        assert_eq!(
            printed_counts_memo(&printed(1_879_195, 1_833_599), &with, &without),
            Some(true)
        );
        assert_eq!(
            printed_counts_memo(&printed(1_829_193, 1_783_600), &with, &without),
            Some(false)
        );
        // Planned with it, actual without: the paper is not consistent, so no verdict.
        assert_eq!(
            printed_counts_memo(&printed(1_879_193, 1_783_599), &with, &without),
            None
        );
        // Memo lines that change nothing give no evidence either way.
        assert_eq!(
            printed_counts_memo(&printed(1, 1), &with, &with.clone()),
            None
        );
    }

    #[test]
    fn a_planned_figure_that_could_be_zero_explains_any_percent() {
        let sign = VarianceSign::ActualMinusPlanned;
        assert!(pence_could_explain(Decimal::ZERO, d(5), d(900), sign));
    }
}
