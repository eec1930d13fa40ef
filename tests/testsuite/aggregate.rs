//! The aggregation layer on the real seed papers: every printed figure the issue names is
//! reproduced from line items, and every inconsistency in the seeds is reported as a finding.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use boardpack::aggregate::format::{money, percent};
use boardpack::aggregate::{Aggregates, BudgetSummary, ProgrammeSummary, Trend};
use boardpack::content::Drafts;
use boardpack::content::exempt::Audience;
use boardpack::diagnostic::Diagnostic;
use boardpack::plan::Loaded;
use boardpack::site::load_with;
use rust_decimal::Decimal;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn site(rel: &str) -> Loaded {
    let path = if rel.is_empty() {
        root()
    } else {
        root().join(rel)
    };
    // The seed papers as published: the example board's illustrative 2009/10 Q3 is a draft,
    // not a seed paper, and is left out as `build` leaves it out.
    load_with(Path::new(&path), Drafts::LeaveOut, Audience::Public)
        .expect("site loads")
        .0
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn programme<'a>(agg: &'a Aggregates, id: &str) -> &'a ProgrammeSummary {
    agg.programmes.iter().find(|p| p.programme == id).expect(id)
}

fn budget<'a>(agg: &'a Aggregates, period: &str) -> &'a BudgetSummary {
    agg.budgets
        .iter()
        .find(|b| b.period.to_string() == period)
        .expect(period)
}

fn findings<'a>(l: &'a Loaded, code: &str) -> Vec<&'a Diagnostic> {
    l.aggregates
        .findings
        .iter()
        .filter(|f| f.problem.code() == code)
        .collect()
}

fn messages(l: &Loaded, code: &str) -> Vec<String> {
    findings(l, code)
        .iter()
        .map(|f| f.problem.to_string())
        .collect()
}

#[test]
fn the_example_board_has_no_errors() {
    let l = site("");
    let errors: Vec<_> = l
        .all_diagnostics()
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn appendix_one_approved_and_revised_columns_reproduce_exactly() {
    let l = site("");
    let b = budget(&l.aggregates, "2009/10 Q2");
    let group = |id: &str| b.groups.iter().find(|g| g.id == id).expect(id);
    for (id, approved, revised) in [
        ("staff", "1,862,757", "1,933,449"),
        ("corporate", "517,000", "462,000"),
        ("programme", "840,243", "1,060,111"),
    ] {
        let t = &group(id).totals;
        assert_eq!(money(t.approved.unwrap()), approved, "{id} approved");
        assert_eq!(money(t.revised.unwrap()), revised, "{id} revised");
    }
    assert_eq!(money(b.expenditure.approved.unwrap()), "3,270,000");
    assert_eq!(money(b.expenditure.revised.unwrap()), "3,505,560");
    assert_eq!(money(b.income.approved.unwrap()), "(3,270,000)");
    assert_eq!(money(b.income.revised.unwrap()), "(3,505,560)");
    // A balanced budget: income and expenditure net to nothing.
    assert_eq!(b.net.approved, Some(Decimal::ZERO));
    assert_eq!(b.net.revised, Some(Decimal::ZERO));
    // The contingency provision is in the printed total but is not expenditure.
    assert_eq!(money(b.memo.approved.unwrap()), "50,000");
    assert_eq!(
        money(b.expenditure_excluding_memo.approved.unwrap()),
        "3,220,000"
    );
}

#[test]
fn the_operational_plan_budget_analysis_reproduces() {
    let l = site("");
    let b = budget(&l.aggregates, "2009/10");
    assert_eq!(money(b.expenditure.approved.unwrap()), "3,270,000");
    assert_eq!(money(b.income.approved.unwrap()), "(3,270,000)");
    assert!(b.total_differences.is_empty(), "{:?}", b.total_differences);
}

#[test]
fn planned_and_actual_columns_differ_by_hidden_pence_and_say_so() {
    let l = site("");
    let b = budget(&l.aggregates, "2009/10 Q2");
    let e = &b.expenditure;
    // Computed from the lines as printed, in whole pounds.
    assert_eq!(money(e.planned.unwrap()), "1,879,195");
    assert_eq!(money(e.actual.unwrap()), "1,833,599");
    assert_eq!(money(e.variance.unwrap()), "(45,596)");
    assert_eq!(percent(e.variance_pct.unwrap()), "(2%)");
    // The printed grand total is kept beside it, and the difference is explained.
    let stated = b.stated_total.as_ref().unwrap();
    assert_eq!(money(stated.variance.unwrap()), "(45,594)");
    assert_eq!(money(stated.planned.unwrap()), "1,879,193");
    assert!(b.rounding_note);
    let staff = b.groups.iter().find(|g| g.id == "staff").unwrap();
    assert!(staff.rounding_note);
    assert_eq!(
        money(staff.stated.as_ref().unwrap().planned.unwrap()),
        "1,018,035"
    );
    assert_eq!(money(staff.totals.planned.unwrap()), "1,018,037");
    let msgs = messages(&l, "total-mismatch");
    assert!(
        msgs.iter()
            .any(|m| m.contains("grand total is (45,594), but the lines add up to (45,596)")),
        "{msgs:#?}"
    );
    assert!(msgs.iter().all(|m| m.contains("hidden pence")), "{msgs:#?}");
}

#[test]
fn line_variances_percentages_and_rag() {
    let l = site("");
    let b = budget(&l.aggregates, "2009/10 Q2");
    let line = |id: &str| {
        b.groups
            .iter()
            .flat_map(|g| &g.lines)
            .find(|x| x.id == id)
            .expect(id)
    };
    let km = &line("staff-km").totals;
    assert_eq!(money(km.variance.unwrap()), "(40,302)");
    assert_eq!(km.variance_pct_display.as_deref(), Some("(35%)"));
    assert_eq!(km.rag, Some(boardpack::aggregate::budget::Rag::Red));
    // A negative that rounds to zero keeps its brackets.
    let ce = &line("staff-chief-exec").totals;
    assert_eq!(money(ce.variance.unwrap()), "(552)");
    assert_eq!(ce.variance_pct_display.as_deref(), Some("(0%)"));
    assert_eq!(ce.rag, Some(boardpack::aggregate::budget::Rag::Green));
    // Projections equal revised budgets: no forecast over- or under-spend.
    assert_eq!(ce.outturn_variance, Some(Decimal::ZERO));
}

#[test]
fn programme_roll_ups_follow_the_seed_rule_and_report_mismatches() {
    let l = site("");
    let agg = &l.aggregates;
    let cap = programme(agg, "improving-capacity");
    assert_eq!(cap.stated, Some(d("50")));
    assert_eq!(cap.computed, Some(d("56")));
    let prac = programme(agg, "improving-practice");
    assert_eq!((prac.stated, prac.computed), (Some(d("50")), Some(d("52"))));
    for id in ["improving-outcomes", "improving-delivery", "customer-first"] {
        let p = programme(agg, id);
        assert_eq!(p.stated, p.computed, "{id} fits the floor-mean rule");
    }
    // 19 of the 21 objectives with activities fit the rule.
    let objectives: Vec<_> = agg
        .programmes
        .iter()
        .flat_map(|p| &p.objectives)
        .filter(|o| o.activity_count > 0)
        .collect();
    assert_eq!(objectives.len(), 21);
    assert_eq!(objectives.iter().filter(|o| !o.differs).count(), 19);
    let outcomes = programme(agg, "improving-outcomes");
    let o4 = outcomes.objectives.iter().find(|o| o.id == "o4").unwrap();
    assert_eq!(o4.stated, Some(d("50")));
    assert_eq!(o4.mean, Some(d("52.5")));
    assert_eq!(o4.computed, Some(d("52")));

    let msgs = messages(&l, "progress-mismatch");
    assert!(msgs.contains(&"Improving Capacity states 50% overall progress; its 5 objectives average 56, which gives 56% (floor mean)".to_string()), "{msgs:#?}");
    assert!(
        msgs.iter().any(
            |m| m.starts_with("Improving Practice states 50% overall progress")
                && m.contains("gives 52%")
        ),
        "{msgs:#?}"
    );
    assert!(msgs.contains(&"objective o4 states 50% progress; its 2 activities average 52.5, which gives 52% (floor mean)".to_string()), "{msgs:#?}");
    assert_eq!(msgs.len(), 4, "{msgs:#?}");
}

#[test]
fn programme_counts_and_lists() {
    let l = site("");
    let cap = programme(&l.aggregates, "improving-capacity");
    let count = |key: &str| cap.by_status.iter().find(|c| c.key == key).unwrap().count;
    assert_eq!(cap.activity_count, 11);
    assert_eq!(count("delayed"), 2);
    assert_eq!(count("in-progress"), 9);
    assert_eq!(cap.delayed.len(), 2);
    // Nothing in the seed is due by the end of Q2 (30 September 2009), so nothing is overdue.
    assert!(cap.overdue.is_empty());
    // Improving Capacity's objective 1 deliverable is due 31 December 2009: in Q3.
    assert_eq!(cap.due_next.len(), 1);
    // Improving Practice's objective 5 supporting row is delayed with no footnote.
    let prac = programme(&l.aggregates, "improving-practice");
    assert_eq!(prac.unexplained.len(), 1);
    assert_eq!(prac.unexplained[0].objective, "o5");
    let latest = l.aggregates.latest_period().unwrap();
    assert_eq!(latest.period.to_string(), "2009/10 Q2");
    assert_eq!(latest.ranking[0].programme, "customer-first");
    assert!(
        latest
            .exceptions
            .iter()
            .any(|e| e.kind == "line-red" && e.title == "Knowledge Management")
    );
}

#[test]
fn wigan_typed_summary_does_not_match_its_detail() {
    let l = site("tests/fixtures/wigan");
    let msgs = messages(&l, "summary-mismatch");
    assert!(
        msgs.iter().any(|m| m.starts_with("the typed summary for Priority Service Objectives says 37 actions (0 completed, 30 on track, 7 behind)")),
        "{msgs:#?}"
    );
    let plan = &l.aggregates.actions[0];
    let pso = plan
        .sections
        .iter()
        .find(|s| s.section == "Priority Service Objectives")
        .unwrap();
    assert_eq!(pso.matches_stated, Some(false));
    assert_ne!(pso.total, 37);
}

#[test]
fn wigan_ni14_is_marked_on_track_against_its_own_data() {
    let l = site("tests/fixtures/wigan");
    let msgs = messages(&l, "status-contradicts-data");
    assert!(
        msgs.iter().any(|m| m.starts_with("NI 14 Avoidable Contact is marked On track but its actual 25.6 against a target of 19 (lower is better) is off target")),
        "{msgs:#?}"
    );
    let set = &l.aggregates.indicators[0];
    let ni14 = set.indicators.iter().find(|i| i.id == "ni-14").unwrap();
    // 25.6% this quarter against 24.3% last year, lower is better: getting worse.
    assert_eq!(ni14.direction, Trend::Down);
}

#[test]
fn west_dunbartonshire_ip3_and_ip10_have_two_primaries() {
    let l = site("tests/fixtures/west-dunbartonshire");
    let plan = &l.aggregates.actions[0];
    assert_eq!(
        plan.shared_primaries,
        vec!["IP3".to_string(), "IP10".to_string()]
    );
    assert_eq!(findings(&l, "shared-primary").len(), 2);
}

#[test]
fn changes_since_the_last_period() {
    let l = site("tests/fixtures/two-periods");
    let agg = &l.aggregates;
    let q2 = agg
        .programmes
        .iter()
        .find(|p| p.period.to_string() == "2009/10 Q2")
        .unwrap();
    let c = q2.changes.as_ref().unwrap();
    assert_eq!(c.previous_period.unwrap().to_string(), "2009/10 Q1");
    assert_eq!(c.progress_delta, Some(d("10")));
    assert_eq!(c.status_changes.len(), 1);
    assert_eq!(c.slipped.len(), 1);
    assert_eq!(c.slipped[0].days, 92);
    assert_eq!(c.new_risks, vec!["R003".to_string()]);
    assert_eq!(c.closed_risks, vec!["R001".to_string()]);
    assert_eq!(c.objectives_added, vec!["o3".to_string()]);
    assert_eq!(c.objectives_removed, vec!["o2".to_string()]);
    assert_eq!(q2.trend_previous, Trend::Up);
    // Against 2008/09 Q2 (20%): up.
    assert_eq!(q2.trend_year, Trend::Up);
    // The unnamed supporting row is matched by its normalised title across spellings.
    assert!(
        c.status_changes
            .iter()
            .all(|s| s.title == "Deliver the thing")
    );
    let slips = messages(&l, "slipped");
    assert_eq!(slips.len(), 2, "{slips:#?}");
    assert!(
        l.aggregates
            .periods
            .last()
            .unwrap()
            .exceptions
            .iter()
            .any(|e| e.kind == "slipped")
    );
}
