//! Deterministic benchmark corpus: a complete boardpack site of N highlight reports.
//!
//! ```text
//! cargo run --release --example gen_corpus -- DIR N [--programmes P] [--force]
//! ```
//!
//! Writes `DIR/boardpack.toml` and `DIR/content/`: N programme highlight reports (about 3 KB
//! each: TOML front matter with objectives, narrative, activities, risks and issues, and a
//! Markdown body with a short budget table), spread over quarterly periods, plus one budget
//! report, one indicators file and one actions file per period and a few free pages.
//!
//! The spread: P programmes report every quarter. By default the number of periods is
//! `clamp(ceil(N / 40), 1, 40)` (at most ten financial years of quarters, starting 2016/17
//! Q1) and P = `ceil(N / periods)`, so 1,000 reports are 40 programmes over 25 quarters and
//! 10,000 are 250 programmes over 40 quarters. `--programmes P` fixes P instead (then there are
//! `ceil(N / P)` periods). The last period may be partly filled.
//!
//! The output depends only on N and P: the generator uses its own seeded PRNG (SplitMix64),
//! no clocks, no hash-map ordering, so two runs write byte-identical files. Everything it
//! writes passes `boardpack check` with no errors and no warnings: stated progress equals the
//! floor-mean roll-up, printed budget subtotals equal the sums of their lines, delayed
//! activities carry a footnote, amber and red budget statuses carry a reason, due dates lie in
//! the plan year and never move between quarters, no narrative of 40 characters or more is
//! repeated across the objectives of one report or read as in the quarter before, and a budget
//! line beyond the red tolerance carries its gap into its forecast and names no programme (whose
//! report, written apart, may say green). `tests/testsuite/audit.rs` holds 1,000 reports to it.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------- PRNG

/// SplitMix64: tiny, fast and good enough for text generation; fixed forever so corpora are
/// reproducible whatever crate versions are in Cargo.lock.
struct Rng(u64);

impl Rng {
    fn new(parts: &[u64]) -> Self {
        let mut s = 0x0005_EEDB_0A2D_9AC4_u64;
        for p in parts {
            s = mix(s ^ p.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        }
        Rng(s)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------------- dates

#[derive(Clone, Copy)]
struct Date {
    y: i32,
    m: u32,
    d: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The month `k` months after April of financial year `fy` (k = 0 is April).
fn fy_month(fy: i32, k: u32) -> (i32, u32) {
    let m = 4 + k;
    if m > 12 { (fy + 1, m - 12) } else { (fy, m) }
}

fn month_end(fy: i32, k: u32) -> Date {
    let (y, m) = fy_month(fy, k);
    Date {
        y,
        m,
        d: days_in_month(y, m),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

// ---------------------------------------------------------------------------------- periods

#[derive(Clone, Copy)]
struct Period {
    fy: i32,
    q: u32,
}

impl Period {
    fn of_index(first_fy: i32, i: usize) -> Self {
        Period {
            fy: first_fy + (i / 4) as i32,
            q: (i % 4) as u32 + 1,
        }
    }
    fn year_label(fy: i32) -> String {
        format!("{}/{:02}", fy, (fy + 1).rem_euclid(100))
    }
    fn label(self) -> String {
        format!("{} Q{}", Self::year_label(self.fy), self.q)
    }
    fn slug(self) -> String {
        format!(
            "{}-{:02}-q{}",
            self.fy,
            (self.fy + 1).rem_euclid(100),
            self.q
        )
    }
    fn start(self) -> Date {
        let (y, m) = fy_month(self.fy, (self.q - 1) * 3);
        Date { y, m, d: 1 }
    }
    fn end(self) -> Date {
        month_end(self.fy, self.q * 3 - 1)
    }
}

// ---------------------------------------------------------------------------------- text

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML multi-line basic string, as authors write narrative.
fn ml(s: &str) -> String {
    let body = s.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"\"\"\n{body}\n\"\"\"")
}

fn money(v: i64) -> String {
    let digits = v.abs().to_string();
    let first = match digits.len() % 3 {
        0 => 3,
        r => r,
    };
    let mut grouped = digits[..first].to_string();
    for chunk in digits.as_bytes()[first..].chunks(3) {
        grouped.push(',');
        grouped.push_str(std::str::from_utf8(chunk).expect("ASCII digits"));
    }
    if v < 0 {
        format!("({grouped})")
    } else {
        grouped
    }
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

const PREFIXES: &[&str] = &[
    "Improving",
    "Better",
    "Greener",
    "Safer",
    "Stronger",
    "Healthier",
    "Smarter",
    "Connected",
    "Inclusive",
    "Sustainable",
    "Digital",
    "Thriving",
    "Resilient",
    "Modern",
    "Fairer",
    "Active",
    "Affordable",
    "Accessible",
    "Confident",
    "Growing",
    "Caring",
    "Learning",
    "Cleaner",
    "Open",
    "Efficient",
];

const THEMES: &[&str] = &[
    "Capacity",
    "Outcomes",
    "Practice",
    "Delivery",
    "Neighbourhoods",
    "Communities",
    "Housing",
    "Transport",
    "Schools",
    "Care",
    "Workforce",
    "Procurement",
    "Finance",
    "Services",
    "Streets",
    "Libraries",
    "Parks",
    "Economy",
    "Skills",
    "Health",
    "Places",
    "Leadership",
    "Partnerships",
    "Customer Contact",
    "Town Centres",
    "Waste",
    "Energy",
    "Early Years",
    "Youth Services",
    "Planning",
];

const FIRST: &[&str] = &[
    "Kate", "Ruth", "Colin", "Alison", "Mark", "Fiona", "David", "Shona", "Iain", "Morag", "Peter",
    "Joanne", "Andrew", "Claire", "Graham", "Helen", "Stuart", "Lorna", "Euan", "Rachel", "Sandra",
    "Neil", "Gillian", "Douglas", "Karen", "Alan", "Eilidh", "Ross", "Sarah", "Malcolm",
];

const LAST: &[&str] = &[
    "O’Hagan",
    "Campbell",
    "MacLeod",
    "Stewart",
    "Robertson",
    "Thomson",
    "Anderson",
    "Murray",
    "Paterson",
    "Fraser",
    "Ross",
    "Henderson",
    "McKenzie",
    "Hamilton",
    "Graham",
    "Kerr",
    "Sinclair",
    "Reid",
    "Watson",
    "Crawford",
    "Ferguson",
    "Duncan",
    "Hughes",
    "Burns",
    "Gray",
];

const ROLES: &[&str] = &[
    "Programme Manager",
    "Head of Service",
    "Service Director",
    "Programme Lead",
    "Head of Organisational Development",
    "Improvement Manager",
    "Strategic Lead",
    "Head of Performance",
];

const VERBS: &[&str] = &[
    "Develop",
    "Deliver",
    "Review",
    "Pilot",
    "Embed",
    "Evaluate",
    "Establish",
    "Extend",
    "Implement",
    "Co-design",
    "Roll out",
    "Strengthen",
];

const OBJECTS: &[&str] = &[
    "a shared framework for",
    "a joint programme on",
    "an improvement plan for",
    "a practitioner network for",
    "a data and evidence hub for",
    "a training offer covering",
    "a benchmarking exercise on",
    "a digital service for",
    "an outcomes framework for",
    "a commissioning strategy for",
    "a self-assessment toolkit for",
    "a peer review of",
];

const SUBJECTS: &[&str] = &[
    "strategic workforce planning",
    "community engagement",
    "customer contact",
    "asset management",
    "shared procurement",
    "early intervention",
    "performance reporting",
    "local outcome agreements",
    "leadership development",
    "climate adaptation",
    "digital inclusion",
    "service redesign",
    "income maximisation",
    "housing allocations",
    "school estate planning",
    "adult social care pathways",
    "town centre regeneration",
    "fleet decarbonisation",
    "waste collection routes",
    "information governance",
];

const PARTNERS: &[&str] = &[
    "two pilot councils",
    "the Scottish Government",
    "the health board",
    "the third sector interface",
    "community planning partners",
    "Audit Scotland",
    "the university",
    "the regional skills partnership",
    "neighbouring councils",
    "the housing associations",
    "Police Scotland",
    "the fire and rescue service",
];

const DONE_VERBS: &[&str] = &[
    "Completed",
    "Launched",
    "Agreed",
    "Published",
    "Ran",
    "Commissioned",
    "Finalised",
    "Held",
    "Piloted",
    "Presented",
    "Mapped",
    "Evaluated",
];

const TODO_VERBS: &[&str] = &[
    "Complete",
    "Launch",
    "Agree",
    "Publish",
    "Run",
    "Commission",
    "Finalise",
    "Hold",
    "Extend",
    "Present",
    "Scope",
    "Evaluate",
];

const THINGS: &[&str] = &[
    "the scoping study",
    "the first cohort of the programme",
    "the draft framework",
    "the consultation exercise",
    "the baseline survey",
    "regional workshops",
    "the options appraisal",
    "the business case",
    "the evaluation report",
    "the stakeholder mapping",
    "the data sharing agreement",
    "the training materials",
    "the project initiation document",
    "the benefits realisation plan",
    "the communications plan",
    "the procurement exercise",
];

const REASONS: &[&str] = &[
    "a vacancy in the team",
    "the late confirmation of grant funding",
    "competing priorities in the pilot councils",
    "a delay in the procurement timetable",
    "the availability of key stakeholders",
    "changes to the national guidance",
    "the need for further consultation",
    "slower than expected data returns",
];

const RISK_TITLES: &[&str] = &[
    "Capacity in partner organisations to take part",
    "Funding beyond the current financial year is not confirmed",
    "Key staff leave before the work is embedded",
    "Data quality limits the evidence base",
    "Stakeholder commitment weakens over the programme",
    "Supplier fails to deliver to the agreed timetable",
    "National policy changes the scope of the work",
    "Demand for support exceeds the resources available",
];

const ISSUE_TITLES: &[&str] = &[
    "Recruitment to the project officer post has been unsuccessful",
    "The pilot site has withdrawn",
    "The data sharing agreement is not yet signed",
    "Costs of the venue programme have risen",
    "The IT platform is unavailable to some councils",
];

/// One sentence of narrative, made specific to a subject and partner.
fn sentence(r: &mut Rng, subject: &str) -> String {
    let partner = r.pick(PARTNERS);
    let thing = r.pick(THINGS);
    let month = MONTHS[r.below(12)];
    let n = r.range(2, 24);
    match r.below(12) {
        0 => format!(
            "Work on {subject} has progressed well with {partner}, and {thing} is now in place."
        ),
        1 => format!(
            "Feedback from {n} participating organisations shows strong support for the approach to {subject}."
        ),
        2 => format!(
            "The team met {partner} in {month} to agree the next phase of {thing} and the arrangements for reporting."
        ),
        3 => format!(
            "Progress on {thing} was slower than planned owing to {}, but the overall timetable for {subject} is not at risk.",
            r.pick(REASONS)
        ),
        4 => format!(
            "{} staff have now completed the programme, and a further cohort is planned for {month}.",
            n * 5
        ),
        5 => format!(
            "A report on {subject} will go to the board in {month}, setting out the findings of {thing}."
        ),
        6 => format!(
            "We have worked closely with {partner} to make sure that {thing} reflects local priorities."
        ),
        7 => format!(
            "Early evidence suggests that the changes to {subject} are improving outcomes for residents in {n} areas."
        ),
        8 => format!(
            "The project board has approved {thing}, subject to minor changes proposed by {partner}."
        ),
        9 => format!(
            "There is a general agreement that a coordinated approach to {subject} through the programme would improve this position."
        ),
        10 => format!(
            "Attendance at {thing} was {} per cent higher than last year, and evaluation scores were good.",
            n + 5
        ),
        _ => format!(
            "A revised timetable for {thing} has been shared with {partner} and will be monitored monthly."
        ),
    }
}

fn paragraph(r: &mut Rng, subject: &str, sentences: usize) -> String {
    let mut out = String::new();
    for i in 0..sentences {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&sentence(r, subject));
    }
    out
}

fn bullets(r: &mut Rng, verbs: &[&str], n: usize, subject: &str) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push('\n');
        }
        let _ = write!(out, "- {} {} for {subject}", r.pick(verbs), r.pick(THINGS));
        if r.chance(50) {
            let _ = write!(out, " with {}", r.pick(PARTNERS));
        }
        out.push('.');
    }
    out
}

// ---------------------------------------------------------------------------------- model

struct Programme {
    id: String,
    title: String,
    lead: String,
    role: String,
}

/// The corpus layout.
struct Spec {
    n: usize,
    programmes: usize,
    periods: usize,
    first_fy: i32,
}

impl Spec {
    fn new(n: usize, programmes: Option<usize>) -> Self {
        let (programmes, periods) = match programmes {
            Some(p) => (p.max(1), n.div_ceil(p.max(1)).max(1)),
            None => {
                let periods = n.div_ceil(40).clamp(1, 40);
                (n.div_ceil(periods).max(1), periods)
            }
        };
        Spec {
            n,
            programmes,
            periods,
            first_fy: 2016,
        }
    }
}

fn programmes(count: usize) -> Vec<Programme> {
    // Every prefix/theme pair in a seeded order, then the same names by phase.
    let mut names: Vec<String> = Vec::new();
    for p in PREFIXES {
        for t in THEMES {
            names.push(format!("{p} {t}"));
        }
    }
    let mut r = Rng::new(&[1]);
    for i in (1..names.len()).rev() {
        let j = r.below(i + 1);
        names.swap(i, j);
    }
    let base = names.len();
    (0..count)
        .map(|i| {
            let title = if i < base {
                names[i].clone()
            } else {
                format!("{}: Phase {}", names[i % base], i / base + 1)
            };
            let mut r = Rng::new(&[2, i as u64]);
            Programme {
                id: slugify(&title),
                title,
                lead: format!("{} {}", r.pick(FIRST), r.pick(LAST)),
                role: r.pick(ROLES).to_string(),
            }
        })
        .collect()
}

/// One activity of a year's plan; its due date and pace are fixed for the whole year.
struct PlanActivity {
    id: String,
    title: String,
    priority: bool,
    due_k: u32,
    /// Pace against plan, per cent: under 85 falls behind.
    pace: i64,
    hold: bool,
}

struct PlanObjective {
    title: String,
    subject: &'static str,
    deliverables: Vec<String>,
    activities: Vec<PlanActivity>,
    budgeted: bool,
}

/// A programme's business plan for one financial year: the same in each quarter's report.
fn plan(p: usize, fy: i32) -> Vec<PlanObjective> {
    let mut r = Rng::new(&[3, p as u64, fy as u64]);
    // Mostly two objectives, sometimes three: about 3 KB a report on average.
    let count = if r.chance(10) { 3 } else { 2 };
    let mut subjects: Vec<&'static str> = Vec::new();
    while subjects.len() < count {
        let s = r.pick(SUBJECTS);
        if !subjects.contains(&s) {
            subjects.push(s);
        }
    }
    let yy = (fy + 1).rem_euclid(100);
    subjects
        .into_iter()
        .enumerate()
        .map(|(oi, subject)| {
            let k = oi + 1;
            let title = format!(
                "{} {} {subject}, working with {}",
                r.pick(VERBS),
                r.pick(OBJECTS),
                r.pick(PARTNERS)
            );
            let pds = if r.chance(30) { 2 } else { 1 };
            let deliverables: Vec<String> = (0..pds)
                .map(|_| format!("{} {} {subject}.", r.pick(VERBS), r.pick(OBJECTS)))
                .collect();
            let n_acts = if pds == 2 || r.chance(40) { 3 } else { 2 };
            let activities = (0..n_acts)
                .map(|ai| {
                    let priority = ai < pds;
                    let (id, title) = if priority {
                        (
                            format!("o{k}-pd{}-fy{yy:02}", ai + 1),
                            deliverables[ai].trim_end_matches('.').to_string(),
                        )
                    } else {
                        (
                            format!("o{k}-sa{}-fy{yy:02}", ai - pds + 1),
                            if ai == pds {
                                "Additional supporting activities".to_string()
                            } else {
                                format!("{} {}", r.pick(TODO_VERBS), r.pick(THINGS))
                            },
                        )
                    };
                    PlanActivity {
                        id,
                        title,
                        priority,
                        due_k: r.range(5, 11) as u32,
                        pace: r.range(75, 125),
                        hold: r.chance(3),
                    }
                })
                .collect();
            PlanObjective {
                title,
                subject,
                deliverables,
                activities,
                budgeted: r.chance(70),
            }
        })
        .collect()
}

fn round5(v: i64) -> i64 {
    ((v + 2) / 5) * 5
}

/// One highlight report.
fn highlight(spec: &Spec, progs: &[Programme], p: usize, pi: usize) -> String {
    let period = Period::of_index(spec.first_fy, pi);
    let prog = &progs[p];
    let objectives = plan(p, period.fy);
    let mut r = Rng::new(&[4, p as u64, pi as u64]);
    let mut s = String::with_capacity(4096);
    let (py, pm) = fy_month(period.fy, period.q * 3);
    let prepared = Date {
        y: py,
        m: pm,
        d: r.range(5, 28) as u32,
    };

    // Progress first: stated figures must equal the floor-mean roll-up.
    let elapsed = i64::from(period.q) * 3;
    let mut progress: Vec<Vec<i64>> = Vec::new();
    for o in &objectives {
        let mut v = Vec::new();
        for a in &o.activities {
            let span = i64::from(a.due_k) + 1;
            let expected = (elapsed * 100 / span).min(100);
            let mut pr = expected * a.pace / 100 + r.range(-4, 4);
            if a.hold {
                pr = pr.min(30);
            }
            let pr = round5(pr.clamp(0, 100));
            v.push(if expected >= 100 && a.pace >= 95 {
                100
            } else {
                pr
            });
        }
        progress.push(v);
    }
    let obj_progress: Vec<i64> = progress
        .iter()
        .map(|v| v.iter().sum::<i64>() / v.len() as i64)
        .collect();
    let overall = obj_progress.iter().sum::<i64>() / obj_progress.len() as i64;

    let _ = writeln!(s, "+++");
    let _ = writeln!(s, "kind = \"highlight\"");
    let _ = writeln!(s, "programme = {}", q(&prog.id));
    let _ = writeln!(s, "title = {}", q(&prog.title));
    let _ = writeln!(s, "period = {}", q(&period.label()));
    let _ = writeln!(s, "lead = {}", q(&prog.lead));
    let _ = writeln!(s, "lead_role = {}", q(&prog.role));
    let _ = writeln!(s, "prepared = {prepared}");
    let _ = writeln!(s, "stated_progress = {overall}");
    let _ = writeln!(
        s,
        "summary = {}",
        q(&format!(
            "Progress against {} objectives of the {} business plan",
            objectives.len(),
            Period::year_label(period.fy)
        ))
    );

    let mut seen: HashSet<String> = HashSet::new();
    // Narrative that is long enough to count as a placeholder must be unique in the report, and
    // must not read as the programme's report of the quarter before (`unchanged-narrative`):
    // its length is odd in odd quarters and even in even ones, so no two consecutive quarters
    // can share a text, with no state between the reports, which are made in parallel.
    let mut unique = |r: &mut Rng, make: &mut dyn FnMut(&mut Rng) -> String| -> String {
        loop {
            let t = make(r);
            if t.chars().count() < 40 || (t.len() % 2 == pi % 2 && seen.insert(t.clone())) {
                return t;
            }
        }
    };
    for (oi, o) in objectives.iter().enumerate() {
        let k = oi + 1;
        let _ = writeln!(s, "\n[[objectives]]");
        let _ = writeln!(s, "id = \"o{k}\"");
        let _ = writeln!(s, "title = {}", q(&o.title));
        let _ = writeln!(s, "stated_progress = {}", obj_progress[oi]);
        let pds: Vec<String> = o.deliverables.iter().map(|d| q(d)).collect();
        let _ = writeln!(s, "priority_deliverables = [{}]", pds.join(", "));
        if o.budgeted {
            let roll = r.below(100);
            let (status, reason) = if roll < 75 {
                ("Green", None)
            } else if roll < 93 {
                (
                    "Amber",
                    Some(format!(
                        "Spend is behind profile owing to {}.",
                        r.pick(REASONS)
                    )),
                )
            } else {
                (
                    "Red",
                    Some(format!("Costs have risen because of {}.", r.pick(REASONS))),
                )
            };
            let _ = writeln!(s, "budget_status = {}", q(status));
            if let Some(reason) = reason {
                let _ = writeln!(s, "budget_reason = {}", q(&reason));
            }
        } else {
            let _ = writeln!(s, "budget_status = \"No budget\"");
        }
        let subject = o.subject;
        let risk = if r.chance(25) {
            unique(&mut r, &mut |r| {
                format!("See the risk register. {}", sentence(r, subject))
            })
        } else {
            "No new risks this quarter.".to_string()
        };
        let _ = writeln!(s, "risk_update = {}", q(&risk));
        let n_done = if r.chance(40) { 2 } else { 1 };
        let completed = unique(&mut r, &mut |r| bullets(r, DONE_VERBS, n_done, subject));
        let _ = writeln!(s, "completed = {}", ml(&completed));
        let n_todo = if r.chance(25) { 2 } else { 1 };
        let outstanding = unique(&mut r, &mut |r| bullets(r, TODO_VERBS, n_todo, subject));
        let _ = writeln!(s, "outstanding = {}", ml(&outstanding));
        let comment = if r.chance(35) {
            unique(&mut r, &mut |r| paragraph(r, subject, 1))
        } else {
            "No additional comments.".to_string()
        };
        let _ = writeln!(s, "comment = {}", ml(&comment));

        for (ai, a) in o.activities.iter().enumerate() {
            let pr = progress[oi][ai];
            let status = if a.hold {
                "On hold"
            } else if pr >= 100 {
                "Complete"
            } else if pr == 0 {
                "Not started"
            } else if a.pace < 85 && period.q >= 2 {
                "Delayed"
            } else {
                "In progress"
            };
            let _ = writeln!(s, "\n[[objectives.activities]]");
            let _ = writeln!(s, "id = {}", q(&a.id));
            let _ = writeln!(s, "title = {}", q(&a.title));
            let _ = writeln!(
                s,
                "kind = {}",
                if a.priority {
                    "\"priority\""
                } else {
                    "\"supporting\""
                }
            );
            let _ = writeln!(s, "due = {}", month_end(period.fy, a.due_k));
            let _ = writeln!(s, "status = {}", q(status));
            let _ = writeln!(s, "progress = {pr}");
            if status == "Delayed" || status == "On hold" {
                let _ = writeln!(
                    s,
                    "footnote = {}",
                    q(&format!(
                        "Behind plan owing to {}; recovery by Q{}.",
                        r.pick(REASONS),
                        period.q % 4 + 1
                    ))
                );
            }
        }
    }

    register(&mut s, p, pi, objectives.len());
    let _ = writeln!(s, "+++");

    // Body: reporting period and a small budget table, as the seeds' covering notes have.
    let start = period.start();
    let end = period.end();
    let _ = writeln!(
        s,
        "Reporting period: Q{} – {} {} to {} {} {}.\n",
        period.q,
        start.d,
        MONTHS[start.m as usize - 1],
        end.d,
        MONTHS[end.m as usize - 1],
        end.y
    );
    if r.chance(50) {
        let _ = writeln!(s, "{}\n", paragraph(&mut r, objectives[0].subject, 1));
    }
    let _ = writeln!(
        s,
        "| Budget | Approved (£) | Spent to date (£) | Forecast (£) |"
    );
    let _ = writeln!(s, "| --- | ---: | ---: | ---: |");
    for (label, base) in [("Staff", 180_000), ("Programme", 90_000)] {
        let approved = base + r.range(0, 60) * 1000;
        let spent = approved * i64::from(period.q) / 4 + r.range(-9000, 9000);
        let forecast = approved + r.range(-5, 5) * 1000;
        let _ = writeln!(
            s,
            "| {label} | {} | {} | {} |",
            money(approved),
            money(spent),
            money(forecast)
        );
    }
    s
}

/// One budget monitoring report per period: income and expenditure groups, ~20 lines.
/// A programme's risk and issue registers in its report for period `pi`, as a register that
/// adds up keeps them: each entry has its own number, in order of birth, is carried while
/// live, and is reported once as closed with a note before it leaves (so `check` finds no
/// `register-*` finding). Made from the programme and the period alone, as the reports are
/// made in parallel: entry `k` is born in period `every * k + jitter` and lives 1 to `most`
/// periods, each drawn from a generator seeded by the programme and `k`.
fn register(s: &mut String, p: usize, pi: usize, objectives: usize) {
    for (prefix, key, every, most, seed) in [("R", "risks", 2, 5, 9), ("I", "issues", 4, 3, 10)] {
        for k in 0.. {
            let mut r = Rng::new(&[seed, p as u64, k as u64]);
            let born = every * k + r.below(every);
            if born > pi {
                break;
            }
            let closes = born + 1 + r.below(most);
            if pi > closes {
                continue;
            }
            let (titles, what) = if prefix == "R" {
                (RISK_TITLES, "Monthly review with the programme board")
            } else {
                (
                    ISSUE_TITLES,
                    "Escalated to the programme board; options paper due next month",
                )
            };
            let _ = writeln!(s, "\n[[{key}]]");
            let _ = writeln!(s, "id = \"{prefix}{:03}\"", k + 1);
            let _ = writeln!(s, "title = {}", q(r.pick(titles)));
            let _ = writeln!(
                s,
                "mitigation = {}",
                q(&format!("{what}; {}.", r.pick(PARTNERS)))
            );
            if pi == closes {
                let _ = writeln!(s, "status = \"Closed\"");
                let _ = writeln!(
                    s,
                    "closure = \"Resolved: the programme board agreed to close it.\""
                );
            } else if prefix == "R" {
                let _ = writeln!(s, "status = \"On-going\"");
                let _ = writeln!(s, "likelihood = {}", 1 + r.below(5));
                let _ = writeln!(s, "impact = {}", 1 + r.below(5));
            } else {
                let _ = writeln!(s, "status = \"Open\"");
            }
            let _ = writeln!(s, "objective = \"o{}\"", 1 + k % objectives.max(1));
        }
    }
}

fn budget(spec: &Spec, progs: &[Programme], pi: usize) -> String {
    let period = Period::of_index(spec.first_fy, pi);
    let mut r = Rng::new(&[5, pi as u64]);
    let frac = i64::from(period.q);
    struct Line {
        id: String,
        title: String,
        group: &'static str,
        programme: Option<usize>,
        approved: i64,
        revised: i64,
        planned: Option<i64>,
        actual: Option<i64>,
        projected: Option<i64>,
        note: Option<u32>,
    }
    let mut lines: Vec<Line> = Vec::new();
    let pick_prog = |r: &mut Rng| r.below(progs.len().min(40));
    for (id, title) in [
        ("income-core", "Core funding"),
        ("income-fees", "Fees and charges"),
    ] {
        let approved = -r.range(800, 1800) * 1000;
        lines.push(Line {
            id: id.into(),
            title: title.into(),
            group: "income",
            programme: None,
            approved,
            revised: approved - r.range(0, 50) * 1000,
            planned: None,
            actual: None,
            projected: None,
            note: None,
        });
    }
    for i in 0..3 {
        let p = pick_prog(&mut r);
        let approved = -r.range(100, 700) * 1000;
        lines.push(Line {
            id: format!("grant-{}", i + 1),
            title: format!("Grant: {}", progs[p].title),
            group: "specific-grants",
            programme: Some(p),
            approved,
            revised: approved + r.range(-40, 40) * 1000,
            planned: None,
            actual: None,
            projected: None,
            note: None,
        });
    }
    let exp: [(&'static str, &[&str]); 3] = [
        (
            "staff",
            &[
                "Chief Executive & Business Support",
                "Organisational Development",
                "Improvement Team",
                "Knowledge Management",
                "Shared Services",
                "Customer Services",
            ],
        ),
        (
            "corporate",
            &[
                "Corporate & running costs",
                "Events & Communication",
                "Website",
                "Audit and insurance",
            ],
        ),
        (
            "programme",
            &[
                "Programme Development Fund",
                "Planning Development",
                "Shared Services projects",
                "Workforce Planning",
                "Customer First",
            ],
        ),
    ];
    let mut note_lines = Vec::new();
    for (group, titles) in exp {
        for (i, title) in titles.iter().enumerate() {
            let approved = r.range(40, 480) * 1000 + r.range(0, 999);
            let revised = approved + r.range(-30, 30) * 1000;
            let planned = revised * frac / 4 + r.range(-500, 500);
            let actual = planned + planned * r.range(-12, 12) / 100;
            let note = if (actual - planned).abs() * 100 > planned.abs() * 10 {
                note_lines.push(lines.len());
                Some(note_lines.len() as u32)
            } else {
                None
            };
            lines.push(Line {
                id: format!("{group}-{}", slugify(title)),
                title: (*title).into(),
                group,
                // A line beyond the red tolerance is left untagged: its programme's report
                // is written apart from the budget, and would say green beside it (else
                // `budget-status-contradicts-lines`).
                programme: if i % 2 == 1 {
                    let p = pick_prog(&mut r);
                    note.is_none().then_some(p)
                } else {
                    None
                },
                approved,
                revised,
                planned: Some(planned),
                actual: Some(actual),
                // A line beyond the red tolerance carries its gap to the year end, as a
                // consistent forecast does (else `projection-ignores-year-to-date`).
                projected: Some(
                    revised
                        + r.range(-5, 5) * 1000
                        + if note.is_some() { actual - planned } else { 0 },
                ),
                note,
            });
        }
    }
    let end = period.end();
    let mut s = String::with_capacity(8192);
    let _ = writeln!(s, "+++");
    let _ = writeln!(s, "kind = \"budget\"");
    let _ = writeln!(
        s,
        "title = {}",
        q(&format!(
            "Financial Position Statement to {} {} {}",
            end.d,
            MONTHS[end.m as usize - 1],
            end.y
        ))
    );
    let _ = writeln!(s, "period = {}", q(&period.label()));
    let _ = writeln!(s, "as_at = {end}");

    let sum = |g: &[&str], f: &dyn Fn(&Line) -> Option<i64>| -> i64 {
        lines
            .iter()
            .filter(|l| g.contains(&l.group))
            .filter_map(f)
            .sum()
    };
    let figures = |g: &[&str], full: bool| -> String {
        let a = sum(g, &|l| Some(l.approved));
        let rv = sum(g, &|l| Some(l.revised));
        if !full {
            return format!(
                "{{ approved = {}, revised = {} }}",
                q(&money(a)),
                q(&money(rv))
            );
        }
        let p = sum(g, &|l| l.planned);
        let ac = sum(g, &|l| l.actual);
        let pr = sum(g, &|l| l.projected);
        format!(
            "{{ approved = {}, revised = {}, planned = {}, actual = {}, variance = {}, projected = {} }}",
            q(&money(a)),
            q(&money(rv)),
            q(&money(p)),
            q(&money(ac)),
            q(&money(ac - p)),
            q(&money(pr))
        )
    };
    let all_exp = ["expenditure", "staff", "corporate", "programme"];
    let _ = writeln!(s, "stated_total = {}", figures(&all_exp, true));
    let groups: [(&str, &str, Option<&str>, Option<&str>); 6] = [
        ("income", "Income", None, Some("income")),
        ("specific-grants", "Specific Grants", Some("income"), None),
        ("expenditure", "Expenditure", None, Some("expenditure")),
        ("staff", "Staff", Some("expenditure"), None),
        ("corporate", "Corporate", Some("expenditure"), None),
        ("programme", "Programme", Some("expenditure"), None),
    ];
    for (id, title, parent, kind) in groups {
        let _ = writeln!(s, "\n[[groups]]");
        let _ = writeln!(s, "id = {}", q(id));
        let _ = writeln!(s, "title = {}", q(title));
        if let Some(p) = parent {
            let _ = writeln!(s, "parent = {}", q(p));
        }
        if let Some(k) = kind {
            let _ = writeln!(s, "kind = {}", q(k));
        }
        let stated = match id {
            "income" => Some(figures(&["income", "specific-grants"], false)),
            "staff" | "corporate" | "programme" => Some(figures(&[id], true)),
            _ => None,
        };
        if let Some(st) = stated {
            let _ = writeln!(s, "stated = {st}");
        }
    }
    for l in &lines {
        let _ = writeln!(s, "\n[[lines]]");
        let _ = writeln!(s, "id = {}", q(&l.id));
        let _ = writeln!(s, "title = {}", q(&l.title));
        let _ = writeln!(s, "group = {}", q(l.group));
        if let Some(p) = l.programme {
            let _ = writeln!(s, "programme = {}", q(&progs[p].id));
        }
        let _ = writeln!(s, "approved = {}", q(&money(l.approved)));
        let _ = writeln!(s, "revised = {}", q(&money(l.revised)));
        for (k, v) in [
            ("planned", l.planned),
            ("actual", l.actual),
            ("projected", l.projected),
        ] {
            if let Some(v) = v {
                let _ = writeln!(s, "{k} = {}", q(&money(v)));
            }
        }
        if let Some(n) = l.note {
            let _ = writeln!(s, "notes = [{n}]");
        }
    }
    for (n, &li) in note_lines.iter().enumerate() {
        let l = &lines[li];
        let diff = l.actual.unwrap_or(0) - l.planned.unwrap_or(0);
        let _ = writeln!(s, "\n[[notes]]");
        let _ = writeln!(s, "number = {}", n + 1);
        let _ = writeln!(
            s,
            "text = {}",
            q(&format!(
                "There is an {} of £{} on {}. This is due to {}.",
                if diff < 0 {
                    "under-spend"
                } else {
                    "over-spend"
                },
                money(diff.abs()),
                l.title,
                r.pick(REASONS)
            ))
        );
    }
    for (title, group) in [
        ("Creditors", None),
        ("Current Account", Some("Bank Balance")),
        ("Investments", None),
    ] {
        let _ = writeln!(s, "\n[[balances]]");
        let _ = writeln!(s, "title = {}", q(title));
        if let Some(g) = group {
            let _ = writeln!(s, "group = {}", q(g));
        }
        let _ = writeln!(
            s,
            "amount = {}",
            q(&format!(
                "£{}",
                money(r.range(200, 1500) * 1000 + r.range(0, 999))
            ))
        );
    }
    let half = r.range(10, 60) * 1000;
    let _ = writeln!(s, "\n[[external_funding]]");
    let _ = writeln!(s, "funder = \"Scottish Government\"");
    let _ = writeln!(
        s,
        "purpose = {}",
        q(&format!(
            "to deliver a learning network on {}.",
            r.pick(SUBJECTS)
        ))
    );
    let _ = writeln!(s, "amount = {}", q(&format!("£{}", money(half * 2))));
    let _ = writeln!(
        s,
        "phasing = [\n  {{ year = {}, amount = {} }},\n  {{ year = {}, amount = {} }},\n]",
        q(&Period::year_label(period.fy)),
        q(&format!("£{}", money(half))),
        q(&Period::year_label(period.fy + 1)),
        q(&format!("£{}", money(half)))
    );
    let _ = writeln!(s, "+++");
    let _ = writeln!(
        s,
        "## Finance and Operations Report to {} {} {}\n",
        end.d,
        MONTHS[end.m as usize - 1],
        end.y
    );
    let _ = writeln!(s, "### Purpose\n");
    let _ = writeln!(
        s,
        "1. To provide the Board with the financial position and operations update for {}.\n",
        period.label()
    );
    let _ = writeln!(s, "### Summary Financial Position\n");
    let _ = writeln!(
        s,
        "2. We have spent £{} compared to a planned spend of £{}. We are forecasting a fully spent budget at the end of the financial year.\n",
        money(sum(&all_exp, &|l| l.actual)),
        money(sum(&all_exp, &|l| l.planned))
    );
    let _ = writeln!(s, "### Recommendation\n");
    let _ = writeln!(s, "3. The Board is asked to note the financial position.");
    s
}

/// One performance indicator set per period.
fn indicators(spec: &Spec, pi: usize) -> String {
    let period = Period::of_index(spec.first_fy, pi);
    let mut r = Rng::new(&[6, pi as u64]);
    let mut s = String::with_capacity(6000);
    let _ = writeln!(s, "+++");
    let _ = writeln!(s, "kind = \"indicators\"");
    let _ = writeln!(s, "title = \"Key performance indicators\"");
    let _ = writeln!(s, "period = {}", q(&period.label()));
    const IND: &[(&str, &str, &str, &str)] = &[
        (
            "Council Plan indicators",
            "Waste and recycling",
            "Household waste recycled or composted",
            "percent",
        ),
        (
            "Council Plan indicators",
            "Waste and recycling",
            "Missed bin collections per 100,000",
            "number",
        ),
        (
            "Council Plan indicators",
            "Clean streets",
            "Average time to clear fly-tipping",
            "days",
        ),
        (
            "Council Plan indicators",
            "Housing",
            "Average time to re-let empty homes",
            "days",
        ),
        (
            "Council Plan indicators",
            "Housing",
            "Rent collected as a share of rent due",
            "percent",
        ),
        (
            "Priority Service Objectives",
            "Customer contact",
            "Calls answered within 60 seconds",
            "percent",
        ),
        (
            "Priority Service Objectives",
            "Customer contact",
            "Complaints answered on time",
            "percent",
        ),
        (
            "Priority Service Objectives",
            "Workforce",
            "Average working days lost to sickness",
            "days",
        ),
        (
            "Priority Service Objectives",
            "Workforce",
            "Staff completing mandatory training",
            "percent",
        ),
        (
            "LAA Indicators",
            "Economy",
            "Business start-ups supported",
            "number",
        ),
        (
            "LAA Indicators",
            "Economy",
            "Residents helped into work",
            "number",
        ),
        (
            "LAA Indicators",
            "Learning",
            "Pupils achieving five awards at level 5",
            "percent",
        ),
    ];
    let year = Period::year_label(period.fy);
    for (i, (section, group, title, unit)) in IND.iter().enumerate() {
        let lower = *unit == "days" || title.starts_with("Missed");
        let base = match *unit {
            "percent" => r.range(400, 900),
            "days" => r.range(20, 300),
            _ => r.range(300, 3000),
        };
        // Values are tenths, all positive: targets within 15% of the base, actuals within 20%.
        let step = base * r.range(0, 15) / 100;
        let target = if lower {
            base - step
        } else {
            (base + step).min(1000)
        };
        let actual = (base + base * r.range(-20, 20) / 100).clamp(1, 1000);
        let met = if lower {
            actual <= target
        } else {
            actual >= target
        };
        let improving = !met && r.chance(50);
        let d = |v: i64| format!("{}.{}", v / 10, v % 10);
        let _ = writeln!(s, "\n[[indicators]]");
        let _ = writeln!(s, "id = \"kpi-{:02}\"", i + 1);
        let _ = writeln!(s, "section = {}", q(section));
        let _ = writeln!(s, "group = {}", q(group));
        let _ = writeln!(s, "code = \"KPI {:02}\"", i + 1);
        let _ = writeln!(s, "title = {}", q(title));
        let _ = writeln!(
            s,
            "responsible = {}",
            q(&format!("{} {}", r.pick(FIRST), r.pick(LAST)))
        );
        let _ = writeln!(s, "unit = {}", q(unit));
        let _ = writeln!(
            s,
            "polarity = {}",
            if lower { "\"lower\"" } else { "\"higher\"" }
        );
        let _ = writeln!(
            s,
            "previous = {{ year = {}, value = {} }}",
            q(&Period::year_label(period.fy - 1)),
            d((base + base * r.range(-10, 10) / 100).clamp(1, 1000))
        );
        let _ = writeln!(
            s,
            "targets = [\n  {{ year = {}, value = {} }},\n  {{ year = {}, value = {} }},\n]",
            q(&year),
            d(target),
            q(&Period::year_label(period.fy + 1)),
            d(if lower {
                target * 9 / 10
            } else {
                (target + 10).min(1000)
            })
        );
        let _ = writeln!(s, "actual = {}", d(actual));
        if improving {
            let _ = writeln!(s, "improvement_plan = true");
        }
        let status = if met {
            "on track"
        } else if improving {
            "off target improving"
        } else {
            "off target"
        };
        let _ = writeln!(s, "stated_status = {}", q(status));
        if r.chance(50) {
            let _ = writeln!(s, "comment = {}", q(&sentence(&mut r, r_subject(i))));
        }
    }
    let _ = writeln!(s, "+++");
    let _ = writeln!(
        s,
        "Figures are for the year to {} unless a caveat says otherwise.",
        period.end()
    );
    s
}

fn r_subject(i: usize) -> &'static str {
    SUBJECTS[i % SUBJECTS.len()]
}

/// One action plan per period, with a responsibility matrix.
fn actions(spec: &Spec, pi: usize) -> String {
    let period = Period::of_index(spec.first_fy, pi);
    let mut r = Rng::new(&[7, pi as u64]);
    let mut s = String::with_capacity(6000);
    let _ = writeln!(s, "+++");
    let _ = writeln!(s, "kind = \"actions\"");
    let _ = writeln!(s, "title = \"Improvement Plan: progress report\"");
    let _ = writeln!(s, "period = {}", q(&period.label()));
    let sections = [
        "Organisational Effectiveness Objectives",
        "Service Improvement Objectives",
    ];
    let mut summary: Vec<[i64; 4]> = vec![[0; 4]; sections.len()];
    let mut body = String::new();
    for oi in 0..3 {
        let si = oi % sections.len();
        let subject = r.pick(SUBJECTS);
        let _ = writeln!(body, "\n[[objectives]]");
        let _ = writeln!(body, "id = \"ao{}\"", oi + 1);
        let _ = writeln!(
            body,
            "title = {}",
            q(&format!("{} {subject}", r.pick(VERBS)))
        );
        let _ = writeln!(body, "section = {}", q(sections[si]));
        for wi in 0..2 {
            let _ = writeln!(body, "\n[[objectives.workstreams]]");
            let _ = writeln!(body, "id = \"ao{}-w{}\"", oi + 1, wi + 1);
            let _ = writeln!(
                body,
                "title = {}",
                q(&format!(
                    "Workstream {}: {}",
                    wi + 1,
                    cap(r.pick(THINGS).trim_start_matches("the "))
                ))
            );
            for ai in 0..r.range(2, 3) {
                let judgement = match r.below(10) {
                    0..=2 => "complete",
                    3..=7 => "on track",
                    _ => "behind",
                };
                summary[si][0] += 1;
                match judgement {
                    "complete" => summary[si][1] += 1,
                    "on track" => summary[si][2] += 1,
                    _ => summary[si][3] += 1,
                }
                let _ = writeln!(body, "\n[[objectives.workstreams.actions]]");
                let _ = writeln!(body, "id = \"A{}.{}.{}\"", oi + 1, wi + 1, ai + 1);
                let _ = writeln!(
                    body,
                    "title = {}",
                    q(&format!(
                        "{} {} for {subject}",
                        r.pick(TODO_VERBS),
                        r.pick(THINGS)
                    ))
                );
                let _ = writeln!(body, "responsibility = {}", q(r.pick(ROLES)));
                let _ = writeln!(
                    body,
                    "milestones = [\n  {},\n  {{ text = {}, due = {} }},\n]",
                    q(&format!("{} {}", r.pick(TODO_VERBS), r.pick(THINGS))),
                    q(&format!("Report to the board on {subject}")),
                    month_end(period.fy, r.range(3, 11) as u32)
                );
                let _ = writeln!(body, "achievements = {}", q(&sentence(&mut r, subject)));
                let _ = writeln!(body, "judgement = {}", q(judgement));
            }
        }
    }
    for (si, name) in sections.iter().enumerate() {
        let [t, c, o, b] = summary[si];
        let _ = writeln!(s, "\n[[stated_summary]]");
        let _ = writeln!(s, "section = {}", q(name));
        let _ = writeln!(
            s,
            "total = {t}\ncompleted = {c}\non_track = {o}\nbehind = {b}"
        );
    }
    let ws = [
        ("cx", "Chief Executive"),
        ("fin", "Finance"),
        ("hr", "HR and OD"),
        ("ops", "Operations"),
    ];
    for (id, title) in ws {
        let _ = writeln!(s, "\n[[workstreams]]\nid = {}\ntitle = {}", q(id), q(title));
    }
    for i in 0..5 {
        let a = r.below(ws.len());
        let b = (a + 1 + r.below(ws.len() - 1)) % ws.len();
        let joint = r.chance(20);
        let _ = writeln!(s, "\n[[priorities]]");
        let _ = writeln!(s, "id = \"IP{}\"", i + 1);
        let _ = writeln!(
            s,
            "title = {}",
            q(&format!("{} {}", r.pick(VERBS), r.pick(SUBJECTS)))
        );
        let _ = writeln!(
            s,
            "term = {}",
            if i < 3 { "\"immediate\"" } else { "\"medium\"" }
        );
        if joint {
            let _ = writeln!(
                s,
                "primary = [{}, {}]\njoint_remit = true",
                q(ws[a].0),
                q(ws[b].0)
            );
        } else {
            let _ = writeln!(
                s,
                "primary = [{}]\nsecondary = [{}]",
                q(ws[a].0),
                q(ws[b].0)
            );
        }
    }
    s.push_str(&body);
    let _ = writeln!(s, "+++");
    let _ = writeln!(
        s,
        "Progress against the improvement plan at the end of {}.",
        period.label()
    );
    s
}

fn pages() -> Vec<(&'static str, String)> {
    let mut r = Rng::new(&[8]);
    let mut long = String::new();
    for (i, s) in SUBJECTS.iter().enumerate().take(8) {
        let _ = writeln!(long, "## {}\n\n{}\n", cap(s), paragraph(&mut r, s, 3));
        if i % 3 == 0 {
            let _ = writeln!(long, "{}\n", bullets(&mut r, DONE_VERBS, 3, s));
        }
    }
    vec![
        (
            "about",
            format!(
                "+++\nkind = \"page\"\ntitle = \"About these reports\"\nweight = 10\n+++\nThe board receives a highlight report on each programme every quarter, together with the budget monitoring report, the key performance indicators and the improvement plan.\n\n## How to read the reports\n\n- **Highlight reports** set out each programme's objectives, the progress of every activity, and its risks and issues.\n- **Budget reports** compare actual spend with the profile to date.\n- **Indicators** compare this period's actual with the year's target.\n\n{}\n",
                paragraph(&mut r, "performance reporting", 3)
            ),
        ),
        (
            "annual-review",
            format!("+++\nkind = \"page\"\ntitle = \"Annual review\"\nweight = 20\n+++\n{long}"),
        ),
        (
            "contact-us",
            "+++\nkind = \"page\"\ntitle = \"Contact us\"\nweight = 30\nin_nav = false\n+++\nWrite to the Board Secretary, Example House, 1 High Street, or email board@example.org.\n".to_string(),
        ),
    ]
}

fn config(spec: &Spec, progs: &[Programme]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Generated by `cargo run --release --example gen_corpus -- DIR {}`: a benchmark corpus.",
        spec.n
    );
    let _ = writeln!(s, "organisation = \"Example Improvement Service\"");
    let _ = writeln!(s, "title = \"Example Improvement Service Board\"");
    let _ = writeln!(s, "base_url = \"/\"");
    let _ = writeln!(s, "currency = \"GBP\"");
    let _ = writeln!(s, "financial_year_start = \"04-01\"");
    let _ = writeln!(s, "theme = \"default\"");
    for p in progs {
        let _ = writeln!(
            s,
            "\n[[programmes]]\nid = {}\ntitle = {}\nlead = {}",
            q(&p.id),
            q(&p.title),
            q(&p.lead)
        );
    }
    let _ = writeln!(
        s,
        "\n[rollup]\nrule = \"floor-mean\"\n\n[tolerances]\namber = 5\nred = 10"
    );
    s
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
    }
    std::fs::write(path, text).unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
}

fn die(msg: &str) -> ! {
    eprintln!("gen_corpus: {msg}");
    std::process::exit(2);
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut force = false;
    let mut programmes_flag = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--force" => {
                force = true;
                args.remove(i);
            }
            "--programmes" => {
                args.remove(i);
                if i >= args.len() {
                    die("--programmes needs a number");
                }
                programmes_flag = Some(
                    args.remove(i)
                        .parse::<usize>()
                        .unwrap_or_else(|_| die("--programmes needs a number")),
                );
            }
            _ => i += 1,
        }
    }
    let [dir, n] = args.as_slice() else {
        die("usage: gen_corpus DIR N [--programmes P] [--force]");
    };
    let dir = PathBuf::from(dir);
    let n: usize = n.parse().unwrap_or_else(|_| die("N must be a number"));
    if n == 0 {
        die("N must be at least 1");
    }
    if dir.join("content").exists() {
        if !force {
            die(&format!(
                "{} already has a content/ folder; pass --force to replace it",
                dir.display()
            ));
        }
        std::fs::remove_dir_all(dir.join("content"))
            .unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
    }
    eprintln!("{}", generate(&dir, n, programmes_flag));
}

/// Write the corpus of `n` highlight reports into `dir` and say what was written. Also called
/// by the integration tests (`tests/testsuite/audit.rs`), which include this file as a
/// module, to hold every finding to zero warnings on a consistent corpus.
pub fn generate(dir: &Path, n: usize, programmes_flag: Option<usize>) -> String {
    let started = std::time::Instant::now();
    let spec = Spec::new(n, programmes_flag);
    let progs = programmes(spec.programmes);
    write(&dir.join("boardpack.toml"), &config(&spec, &progs));
    let content = dir.join("content");
    let mut bytes = 0usize;
    let mut files = 0usize;
    let mut hl_bytes = 0usize;
    // Generate period by period in parallel; each file depends only on its own seeds.
    use rayon::prelude::*;
    let per_period: Vec<(usize, usize, usize)> = (0..spec.periods)
        .into_par_iter()
        .map(|pi| {
            let period = Period::of_index(spec.first_fy, pi);
            let folder = content.join(period.slug());
            let (mut b, mut f, mut h) = (0, 0, 0);
            for p in 0..spec.programmes {
                if pi * spec.programmes + p >= spec.n {
                    break;
                }
                let text = highlight(&spec, &progs, p, pi);
                write(&folder.join(format!("{}.md", progs[p].id)), &text);
                h += text.len();
                b += text.len();
                f += 1;
            }
            for (name, text) in [
                ("budget.md", budget(&spec, &progs, pi)),
                ("indicators.md", indicators(&spec, pi)),
                ("actions.md", actions(&spec, pi)),
            ] {
                write(&folder.join(name), &text);
                b += text.len();
                f += 1;
            }
            (b, f, h)
        })
        .collect();
    for (b, f, h) in per_period {
        bytes += b;
        files += f;
        hl_bytes += h;
    }
    for (slug, text) in pages() {
        write(&content.join("pages").join(format!("{slug}.md")), &text);
        bytes += text.len();
        files += 1;
    }
    format!(
        "gen_corpus: wrote {n} highlight reports ({} programmes × {} periods, {} to {}) and {} other documents to {} in {:.2?}: {files} files, {bytes} bytes; highlight reports average {} bytes",
        spec.programmes,
        spec.periods,
        Period::of_index(spec.first_fy, 0).label(),
        Period::of_index(spec.first_fy, spec.periods - 1).label(),
        files - n,
        dir.display(),
        started.elapsed(),
        hl_bytes / n
    )
}
