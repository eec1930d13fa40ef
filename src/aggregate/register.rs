//! Risk and issue registers across periods: each entry tracked by id from one report of a
//! programme to the next, and the findings where a register's numbering or closure does not
//! add up.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use crate::aggregate::{ProgrammeSummary, finding};
use crate::content::highlight::{Highlight, RegisterEntry};
use crate::content::{Data, Document};
use crate::diagnostic::{Diagnostic, FindingKind};
use crate::read::period::Period;

/// One programme's registers, period by period.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterHistory {
    pub programme: String,
    /// The programme's reports, oldest first: one column each.
    pub periods: Vec<Period>,
    #[serde(skip)]
    pub docs: Vec<usize>,
    /// Risks, then issues, each in the order they first appear.
    pub rows: Vec<RegisterRow>,
}

/// One risk or issue across the programme's reports.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterRow {
    /// `risk` or `issue`.
    pub kind: &'static str,
    pub id: String,
    /// The title in the newest report that holds it.
    pub title: String,
    /// Whether the converter assigned the id in any report (the paper printed none).
    pub id_assigned: bool,
    /// One per period; none where the report does not hold the entry.
    pub cells: Vec<Option<RegisterCell>>,
}

/// An entry as one report holds it, and what changed since the programme's report before.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterCell {
    pub status: Option<String>,
    pub score: Option<u8>,
    pub closed: bool,
    /// `new`, `closed`, `reopened`, `escalated`, `de-escalated`, `re-rated`, or none.
    pub step: Option<&'static str>,
}

/// The two registers of a report, with the word for an entry of each.
fn registers(h: &Highlight) -> [(&'static str, &[RegisterEntry]); 2] {
    [("risk", &h.risks), ("issue", &h.issues)]
}

/// What changed for an entry between two reports that both hold it.
pub fn step(before: &RegisterEntry, now: &RegisterEntry) -> Option<&'static str> {
    match (before.is_closed(), now.is_closed()) {
        (false, true) => return Some("closed"),
        (true, false) => return Some("reopened"),
        _ => {}
    }
    match (before.score, now.score) {
        (Some(a), Some(b)) if b > a => return Some("escalated"),
        (Some(a), Some(b)) if b < a => return Some("de-escalated"),
        _ => {}
    }
    (plain(&before.status) != plain(&now.status) || before.score != now.score).then_some("re-rated")
}

/// A status with case, spacing and punctuation set aside: the seed writes `On-going` and
/// `Ongoing` for one status.
pub fn plain(s: &Option<String>) -> Option<String> {
    s.as_deref().map(|s| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    })
}

/// An id such as `R007` as its letters, its number and how many digits it is written with.
fn numbered(id: &str) -> Option<(&str, u32, usize)> {
    let digits = id.find(|c: char| c.is_ascii_digit())?;
    let (prefix, number) = id.split_at(digits);
    if prefix.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((prefix, number.parse().ok()?, number.len()))
}

/// What is known of one register of one programme while walking its reports in order.
#[derive(Default)]
struct Walk<'d> {
    /// Every printed number seen so far, by prefix.
    seen: BTreeSet<(String, u32)>,
    /// Numbers already reported as skipped, so a gap is raised once, where it first shows.
    flagged: BTreeSet<(String, u32)>,
    /// Ids closed in an earlier report, with the period.
    closed: BTreeMap<String, Period>,
    /// The previous report's entries, with its period.
    previous: Option<(Period, &'d [RegisterEntry])>,
}

/// Track every programme's registers across its reports and raise the register findings.
/// `summaries` are in period order, as `aggregate` sorts them.
pub fn track(
    summaries: &[ProgrammeSummary],
    docs: &[Document],
    findings: &mut Vec<Diagnostic>,
) -> Vec<RegisterHistory> {
    let mut by_programme: BTreeMap<&str, Vec<&ProgrammeSummary>> = BTreeMap::new();
    for s in summaries {
        by_programme.entry(&s.programme).or_default().push(s);
    }
    // Each programme's registers on their own, in parallel; gathered in programme order, with
    // each programme's findings in the order one walk finds them.
    let programmes: Vec<(&str, Vec<&ProgrammeSummary>)> = by_programme.into_iter().collect();
    let tracked: Vec<(Option<RegisterHistory>, Vec<Diagnostic>)> = programmes
        .into_par_iter()
        .map(|(programme, list)| {
            let mut found = Vec::new();
            let history = track_programme(programme, &list, docs, &mut found);
            (history, found)
        })
        .collect();
    let mut out = Vec::new();
    for (history, found) in tracked {
        out.extend(history);
        findings.extend(found);
    }
    out
}

/// One programme's register history, from its summaries in period order.
fn track_programme(
    programme: &str,
    list: &[&ProgrammeSummary],
    docs: &[Document],
    findings: &mut Vec<Diagnostic>,
) -> Option<RegisterHistory> {
    let reports: Vec<(Period, usize, &Highlight)> = list
        .iter()
        .filter_map(|s| match &docs[s.doc].data {
            Data::Highlight(h) => Some((s.period, s.doc, h)),
            _ => None,
        })
        .collect();
    let mut rows: Vec<RegisterRow> = Vec::new();
    // Each row's place in `rows` by its register and id: a programme's registers over many
    // years hold many entries, and a search of the rows for each would cost their square.
    let mut row_of: HashMap<(&'static str, String), usize> = HashMap::new();
    for kind in 0..2 {
        let mut walk = Walk::default();
        for (col, (period, doc, h)) in reports.iter().enumerate() {
            let (what, entries) = registers(h)[kind];
            check(&mut walk, what, *period, &docs[*doc], h, entries, findings);
            for e in entries {
                let prev = walk
                    .previous
                    .and_then(|(_, p)| p.iter().find(|p| p.id == e.id));
                let cell = RegisterCell {
                    status: e.status.clone(),
                    score: e.score,
                    closed: e.is_closed(),
                    step: match prev {
                        Some(p) => step(p, e),
                        None if col > 0 => Some("new"),
                        None => None,
                    },
                };
                let i = *row_of.entry((what, e.id.clone())).or_insert_with(|| {
                    rows.push(RegisterRow {
                        kind: what,
                        id: e.id.clone(),
                        title: e.title.clone(),
                        id_assigned: false,
                        cells: vec![None; reports.len()],
                    });
                    rows.len() - 1
                });
                let row = &mut rows[i];
                row.title.clone_from(&e.title);
                row.id_assigned |= e.id_assigned;
                // A repeated id is an error of its own; the first entry stands for it here.
                if row.cells[col].is_none() {
                    row.cells[col] = Some(cell);
                }
            }
            walk.previous = Some((*period, entries));
        }
    }
    (!rows.is_empty()).then(|| RegisterHistory {
        programme: programme.to_string(),
        periods: reports.iter().map(|r| r.0).collect(),
        docs: reports.iter().map(|r| r.1).collect(),
        rows,
    })
}

/// The register findings for one register of one report, given what earlier reports held.
fn check<'d>(
    walk: &mut Walk<'d>,
    what: &'static str,
    period: Period,
    doc: &Document,
    h: &Highlight,
    entries: &'d [RegisterEntry],
    findings: &mut Vec<Diagnostic>,
) {
    let at = |e: &RegisterEntry| -> Range<usize> {
        if e.status_span.is_empty() {
            e.span.clone()
        } else {
            e.status_span.clone()
        }
    };
    for e in entries {
        let closed = e.is_closed();
        if closed && e.closure.as_deref().is_none_or(|c| c.trim().is_empty()) {
            findings.push(finding(
                doc,
                at(e),
                FindingKind::RegisterClosedWithoutNote,
                format!(
                    "{what} {} is closed with no note saying why: add a `closure` note (how it was resolved, or why it no longer applies)",
                    e.id
                ),
            ));
        }
        let reopened = plain(&e.status).is_some_and(|s| s.starts_with("reopen"));
        if !closed
            && let Some(when) = walk.closed.remove(&e.id)
            && !reopened
        {
            findings.push(finding(
                doc,
                at(e),
                FindingKind::RegisterClosedStillLive,
                format!(
                    "{what} {} was closed in the {when} report and is reported here as live ({}): if it has been reopened, give it the status \"Reopened\" and say why; otherwise mark it closed",
                    e.id,
                    e.status.as_deref().unwrap_or("no status")
                ),
            ));
        }
    }
    if let Some((before, prev)) = walk.previous {
        let here = entries
            .first()
            .map_or(h.programme_span.clone(), |e| e.span.clone());
        for p in prev.iter().filter(|p| !p.is_closed()) {
            if entries.iter().all(|e| e.id != p.id) {
                findings.push(finding(
                    doc,
                    here.clone(),
                    FindingKind::RegisterDropped,
                    format!(
                        "{what} {} (\u{201c}{}\u{201d}) was live in the {before} report and is not in this one: if it has closed, keep it here once with status \"Closed\" and a `closure` note; otherwise carry it",
                        p.id, p.title
                    ),
                ));
            }
        }
    }
    skipped(walk, what, doc, entries, findings);
    for e in entries {
        if e.is_closed() {
            walk.closed.insert(e.id.clone(), period);
        }
    }
}

/// Numbers missing below a register's highest printed id that no report of the programme has
/// held: one finding per gap, at the entry after it, raised where the gap first shows.
fn skipped(
    walk: &mut Walk<'_>,
    what: &'static str,
    doc: &Document,
    entries: &[RegisterEntry],
    findings: &mut Vec<Diagnostic>,
) {
    // Printed ids only: an assigned id follows the converter's numbering, not the paper's.
    let mut printed: BTreeMap<(String, u32), (&RegisterEntry, usize)> = BTreeMap::new();
    for e in entries.iter().filter(|e| !e.id_assigned) {
        if let Some((prefix, n, width)) = numbered(&e.id) {
            printed.entry((prefix.to_string(), n)).or_insert((e, width));
        }
    }
    let mut gap: Vec<(String, u32)> = Vec::new();
    for (key, (e, width)) in &printed {
        let (prefix, n) = (&key.0, key.1);
        // The numbers below n since the entry before it in this register.
        let below = printed
            .range(..key.clone())
            .next_back()
            .filter(|(k, _)| k.0 == *prefix)
            .map_or(0, |(k, _)| k.1);
        gap.clear();
        for m in below + 1..n {
            let k = (prefix.clone(), m);
            if !walk.seen.contains(&k) && walk.flagged.insert(k.clone()) {
                gap.push(k);
            }
        }
        if gap.is_empty() {
            continue;
        }
        let ids: Vec<String> = gap.iter().map(|(p, m)| format!("{p}{m:0width$}")).collect();
        let list = match ids.as_slice() {
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            [] => continue,
        };
        let (them, it) = if ids.len() == 1 {
            ("it", "it was")
        } else {
            ("them", "they were")
        };
        findings.push(finding(
            doc,
            e.span.clone(),
            FindingKind::RegisterSkippedId,
            format!(
                "the {what} numbering skips {list} before {}, and no report of this programme holds {them}: if {it} closed before these reports, record the closure once with a note; otherwise check the numbering",
                e.id
            ),
        ));
    }
    walk.seen.extend(printed.into_keys());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::testing::run;

    fn report(period: &str, register: &str) -> String {
        format!(
            "kind = \"highlight\"\nprogramme = \"p\"\ntitle = \"P\"\nperiod = \"{period}\"\nlead = \"L\"\n{register}"
        )
    }

    fn risk(id: &str, status: &str, extra: &str) -> String {
        format!("[[risks]]\nid = \"{id}\"\ntitle = \"{id}\"\nstatus = \"{status}\"\n{extra}")
    }

    fn codes(texts: &[String]) -> Vec<(String, String)> {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (agg, _) = run(&refs);
        agg.findings
            .iter()
            .filter_map(|d| match &d.problem {
                crate::diagnostic::Problem::Finding { kind, message } => {
                    Some((kind.code().to_string(), message.clone()))
                }
                _ => None,
            })
            .filter(|(c, _)| c.starts_with("register-"))
            .collect()
    }

    #[test]
    fn a_consistent_register_raises_nothing() {
        let q1 = report(
            "2009/10 Q1",
            &[risk("R001", "On-going", ""), risk("R002", "On-going", "")].concat(),
        );
        let q2 = report(
            "2009/10 Q2",
            &[
                risk("R001", "Ongoing", ""),
                risk("R002", "Closed", "closure = \"Resolved.\"\n"),
                risk("R003", "On-going", ""),
            ]
            .concat(),
        );
        // A closed entry may leave the register after the report that closes it.
        let q3 = report(
            "2009/10 Q3",
            &[risk("R001", "On-going", ""), risk("R003", "On-going", "")].concat(),
        );
        assert_eq!(codes(&[q1, q2, q3]), []);
    }

    #[test]
    fn a_gap_is_raised_once_where_it_first_shows() {
        let q1 = report(
            "2009/10 Q1",
            &[risk("R001", "On-going", ""), risk("R004", "On-going", "")].concat(),
        );
        let q2 = report(
            "2009/10 Q2",
            &[risk("R001", "On-going", ""), risk("R004", "On-going", "")].concat(),
        );
        let found = codes(&[q1, q2]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "register-skipped-id");
        assert!(
            found[0].1.contains("skips R002 and R003 before R004"),
            "{}",
            found[0].1
        );
    }

    #[test]
    fn an_assigned_id_is_no_gap_and_an_earlier_number_fills_one() {
        let q1 = report("2009/10 Q1", &risk("R002", "On-going", ""));
        let q2 = report(
            "2009/10 Q2",
            &[
                risk("R002", "On-going", ""),
                risk("R003", "On-going", ""),
                risk("R009", "On-going", "id_assigned = true\n"),
            ]
            .concat(),
        );
        // R001 is missing in Q1 already; Q2's own gap below R003 is R002's, which it holds.
        let found = codes(&[q1, q2]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("skips R001 before R002"));
    }

    #[test]
    fn closure_that_does_not_add_up() {
        let q1 = report(
            "2009/10 Q1",
            &[
                risk("R001", "Closed", ""),
                risk("R002", "On-going", ""),
                risk("R003", "On-going", ""),
            ]
            .concat(),
        );
        let q2 = report(
            "2009/10 Q2",
            &[risk("R001", "On-going", ""), risk("R003", "On-going", "")].concat(),
        );
        let reopened = q2.replace("\"On-going\"", "\"Reopened\"");
        let quiet: Vec<String> = codes(&[q1.clone(), reopened])
            .into_iter()
            .map(|c| c.0)
            .collect();
        assert!(!quiet.contains(&"register-closed-still-live".to_string()));
        let mut found: Vec<String> = codes(&[q1, q2]).into_iter().map(|c| c.0).collect();
        found.sort();
        assert_eq!(
            found,
            [
                "register-closed-still-live",
                "register-closed-without-note",
                "register-dropped"
            ]
        );
    }

    #[test]
    fn steps_across_periods() {
        let e = |status: &str, score: Option<u8>| RegisterEntry {
            id: "R1".into(),
            span: 0..0,
            title: "T".into(),
            description: None,
            mitigation: None,
            status: Some(status.into()),
            objective: None,
            objective_span: 0..0,
            deliverables: vec![],
            id_assigned: false,
            likelihood: None,
            impact: None,
            score,
            closure: None,
            status_span: 0..0,
            exempt: None,
        };
        assert_eq!(step(&e("On-going", Some(4)), &e("Ongoing", Some(4))), None);
        assert_eq!(
            step(&e("On-going", Some(4)), &e("On-going", Some(6))),
            Some("escalated")
        );
        assert_eq!(
            step(&e("On-going", Some(6)), &e("On-going", Some(4))),
            Some("de-escalated")
        );
        assert_eq!(
            step(&e("On-going", None), &e("Closed.", None)),
            Some("closed")
        );
        assert_eq!(step(&e("Closed", None), &e("Open", None)), Some("reopened"));
        assert_eq!(step(&e("Open", None), &e("Watch", None)), Some("re-rated"));
        assert_eq!(
            step(&e("Open", None), &e("Open", Some(9))),
            Some("re-rated")
        );
    }
}
