//! Diagnostics: every problem boardpack finds, typed, located in its file, and rendered one way
//! for the terminal, the JSON output and the browser overlay.

use std::fmt::{self, Write as _};
use std::ops::Range;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use serde::Serialize;

use crate::source::{SNIPPET_COLUMNS, Snippet, SourceFile, escape};

/// How serious a diagnostic is. Errors fail `check` and `build`; warnings fail only under
/// `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The kinds of data-quality finding that `aggregate` raises: matched exhaustively wherever
/// they are named, so that a new kind cannot be shown with a fallback label by mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingKind {
    /// A stated progress figure differs from the one computed from its parts.
    ProgressMismatch,
    /// A printed total or subtotal differs from the sum of its lines.
    TotalMismatch,
    /// A delayed or off-track item has no footnote or note saying why.
    Unexplained,
    /// A due date moved later since the last period.
    Slipped,
    /// A stated status contradicts the figures it sums up.
    StatusContradictsData,
    /// A printed summary count differs from the detail it summarises.
    SummaryMismatch,
    /// Two primary workstreams claim one action.
    SharedPrimary,
    /// A deliverable of the plan that no activity of a programme's report tracks.
    UntrackedDeliverable,
    /// A report's due date for a deliverable differs from the plan's.
    DueDiffersFromPlan,
    /// The plan's date for a deliverable has passed, and the report says neither complete nor
    /// delayed.
    PastPlanDate,
    /// One report gives one deliverable two due dates.
    ConflictingDue,
    /// A budget note's figure differs from the lines it explains.
    NoteDiffersFromLine,
    /// A budget note's parts do not add up to the figure it gives.
    NoteBreakdownMismatch,
    /// A line forecasts its whole budget although the year to date is far off plan.
    ProjectionIgnoresYearToDate,
    /// An action judged on track or complete whose milestone is now expected after its date.
    LateMilestoneOnTrack,
    /// Two descriptions of the same work differ in owner, judgement or dates.
    SameItemDiffers,
    /// A stated direction of travel contradicts the figures.
    DirectionContradictsData,
    /// A line's approved budget differs from the year's budget paper.
    DiffersFromYearBudget,
    /// A programme's budget statuses are all green while one of its budget lines is red.
    BudgetStatusContradictsLines,
    /// A budget line's printed variance or % variance differs from the one computed from its
    /// planned and actual spend.
    LineFigureMismatch,
    /// A register's numbering skips an id that no report of the programme holds.
    RegisterSkippedId,
    /// A risk or issue closed without a note saying why.
    RegisterClosedWithoutNote,
    /// A risk or issue closed in an earlier report is reported again as live.
    RegisterClosedStillLive,
    /// A live risk or issue left the register without being closed.
    RegisterDropped,
}

impl FindingKind {
    /// The stable code, as `check` prints it and docs/aggregation.md lists it.
    pub fn code(self) -> &'static str {
        match self {
            FindingKind::ProgressMismatch => "progress-mismatch",
            FindingKind::TotalMismatch => "total-mismatch",
            FindingKind::Unexplained => "unexplained",
            FindingKind::Slipped => "slipped",
            FindingKind::StatusContradictsData => "status-contradicts-data",
            FindingKind::SummaryMismatch => "summary-mismatch",
            FindingKind::SharedPrimary => "shared-primary",
            FindingKind::UntrackedDeliverable => "untracked-deliverable",
            FindingKind::DueDiffersFromPlan => "due-differs-from-plan",
            FindingKind::PastPlanDate => "past-plan-date",
            FindingKind::ConflictingDue => "conflicting-due",
            FindingKind::NoteDiffersFromLine => "note-differs-from-line",
            FindingKind::NoteBreakdownMismatch => "note-breakdown-mismatch",
            FindingKind::ProjectionIgnoresYearToDate => "projection-ignores-year-to-date",
            FindingKind::LateMilestoneOnTrack => "late-milestone-on-track",
            FindingKind::SameItemDiffers => "same-item-differs",
            FindingKind::DirectionContradictsData => "direction-contradicts-data",
            FindingKind::DiffersFromYearBudget => "differs-from-year-budget",
            FindingKind::BudgetStatusContradictsLines => "budget-status-contradicts-lines",
            FindingKind::LineFigureMismatch => "line-figure-mismatch",
            FindingKind::RegisterSkippedId => "register-skipped-id",
            FindingKind::RegisterClosedWithoutNote => "register-closed-without-note",
            FindingKind::RegisterClosedStillLive => "register-closed-still-live",
            FindingKind::RegisterDropped => "register-dropped",
        }
    }

    /// The kind in words, for a report's page.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::ProgressMismatch => "Stated progress differs from computed",
            FindingKind::TotalMismatch => "Printed total differs from computed",
            FindingKind::Unexplained => "No explanation given",
            FindingKind::Slipped => "Due date slipped",
            FindingKind::StatusContradictsData => "Stated status contradicts the data",
            FindingKind::SummaryMismatch => "Printed summary differs from the detail",
            FindingKind::SharedPrimary => "Two primary workstreams",
            FindingKind::UntrackedDeliverable => "Deliverable not reported on",
            FindingKind::DueDiffersFromPlan => "Due date differs from the plan",
            FindingKind::PastPlanDate => "Plan date passed",
            FindingKind::ConflictingDue => "Two due dates for one deliverable",
            FindingKind::NoteDiffersFromLine => "Note differs from its line",
            FindingKind::NoteBreakdownMismatch => "Note's parts do not add up",
            FindingKind::ProjectionIgnoresYearToDate => "Forecast ignores the year to date",
            FindingKind::LateMilestoneOnTrack => "Late milestone judged on track",
            FindingKind::SameItemDiffers => "One item described two ways",
            FindingKind::DirectionContradictsData => "Stated direction contradicts the data",
            FindingKind::DiffersFromYearBudget => "Differs from the year's budget",
            FindingKind::BudgetStatusContradictsLines => "Budget status contradicts its lines",
            FindingKind::LineFigureMismatch => "Printed line figure differs from computed",
            FindingKind::RegisterSkippedId => "Register numbering skips an id",
            FindingKind::RegisterClosedWithoutNote => "Closed without a note",
            FindingKind::RegisterClosedStillLive => "Closed entry reported as live",
            FindingKind::RegisterDropped => "Left the register without closing",
        }
    }
}

/// What went wrong. Each variant has a stable code, used in JSON output and documentation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("the file is not valid UTF-8 (first bad byte at offset {offset})")]
    InvalidUtf8 { offset: usize },
    #[error("the file is binary, not text (a NUL byte at offset {offset})")]
    Binary { offset: usize },
    #[error("the file could not be read: {reason}")]
    Unreadable { reason: String },
    #[error("the site has no content/ directory")]
    NoContent,
    #[error("the file is empty")]
    EmptyFile,
    #[error("the file does not start with front matter")]
    NoFrontMatter,
    #[error("the front matter is never closed")]
    UnclosedFrontMatter,
    #[error("invalid TOML: {message}")]
    Toml { message: String },
    #[error("`{key}` should be {expected}, found {found}")]
    WrongType {
        key: String,
        expected: &'static str,
        found: &'static str,
    },
    #[error("unknown key `{key}`")]
    UnknownKey {
        key: String,
        suggestion: Option<String>,
        allowed: Vec<&'static str>,
    },
    #[error("missing required key `{key}`")]
    MissingKey { key: String },
    #[error("unknown {what} `{word}`")]
    UnknownWord {
        what: &'static str,
        word: String,
        suggestion: Option<&'static str>,
        allowed: Vec<&'static str>,
    },
    #[error("invalid date: {reason}")]
    InvalidDate { reason: String },
    #[error("money `{text}` cannot be read: {reason}")]
    InvalidMoney { text: String, reason: String },
    #[error("`{key}` must be a percentage from 0 to 100, found {value}")]
    PercentOutOfRange { key: String, value: String },
    #[error("invalid number `{text}`: {reason}")]
    InvalidNumber { text: String, reason: String },
    #[error("invalid period `{text}`")]
    InvalidPeriod { text: String },
    #[error("invalid id `{id}`")]
    InvalidId { id: String },
    #[error("duplicate {what} id `{id}`")]
    DuplicateId {
        what: &'static str,
        id: String,
        first: String,
    },
    #[error("two highlight reports for programme `{programme}` in {period}")]
    DuplicateReport {
        programme: String,
        period: String,
        first: String,
    },
    #[error("two {what} for {period}")]
    DuplicateInPeriod {
        what: &'static str,
        period: String,
        first: String,
    },
    #[error("the page slug `{slug}` is taken by the site's {taken_by}")]
    ReservedSlug {
        slug: String,
        taken_by: &'static str,
    },
    #[error("unknown {what} `{id}`")]
    UnknownReference {
        what: &'static str,
        id: String,
        suggestion: Option<String>,
    },
    #[error("a {what} cannot contain itself: `{id}`")]
    Cycle { what: &'static str, id: String },
    #[error("due date {due} is outside the plan year {year}")]
    DueOutsideYear { due: String, year: String },
    #[error("{what} {date} is outside the plan year {year}")]
    PlanDateOutsideYear {
        what: &'static str,
        date: String,
        year: String,
    },
    #[error("a plan is for a whole financial year, not the quarter {text}")]
    NotAYear { text: String },
    #[error("unknown deliverable `{id}`: the {year} plan has no such deliverable")]
    UnknownDeliverable {
        id: String,
        year: String,
        /// The plan's file.
        plan: String,
        suggestion: Option<String>,
    },
    #[error("{what} id `{id}` breaks the pattern {pattern}")]
    IdPattern {
        what: &'static str,
        id: String,
        pattern: &'static str,
    },
    #[error("the same {section} text is repeated in {count} objectives")]
    RepeatedPlaceholder { section: String, count: usize },
    #[error("approved by {by} on {on}, but still marked draft")]
    ApprovedDraft { by: String, on: String },
    #[error("{section}: unchanged since {since}")]
    UnchangedNarrative { section: String, since: String },
    #[error(
        "paragraph {paragraph} is not one of {schedule}'s paragraphs of exempt information ({first}–{last})"
    )]
    ExemptParagraph {
        paragraph: i64,
        schedule: &'static str,
        first: u32,
        last: u32,
    },
    #[error("exempt {part} has no reason")]
    ExemptWithoutReason { part: &'static str },
    #[error("exempt {part} was due for review on {review}: consider releasing it")]
    ExemptReviewPassed { part: &'static str, review: String },
    #[error("a public document links to `{target}`, which is exempt")]
    ExemptLinked { target: String },
    #[error(
        "exempt budget line {line} is the only one beside one published line in group {group}: its figures are the group total less that line"
    )]
    ExemptDerivable { line: String, group: String },
    #[error("the exempt {part} \"{words}\" is published word for word in {published}")]
    ExemptRepeated {
        part: &'static str,
        words: String,
        published: String,
    },
    #[error("{message}")]
    Finding { kind: FindingKind, message: String },
    #[error("the text nests more than {limit} levels deep")]
    TooDeep { limit: usize },
    #[error("an image has no alt text, so screen readers read out its file name")]
    ImageWithoutAlt,
    #[error("a symbolic link leads outside the site (to {target}); not followed")]
    LinkOutsideSite { target: String },
    #[error("a symbolic link leads back to a folder above it (to {target}); not followed")]
    LinkLoop { target: String },
    #[error("a symbolic link leads nowhere (to {target}); not followed")]
    LinkDangling { target: String },
    #[error("the theme `{name}` is a symbolic link outside the site (to {target})")]
    ThemeOutsideSite { name: String, target: String },
    #[error("the file is UTF-16 text ({}), but documents are UTF-8", if *big_endian { "big-endian" } else { "little-endian, as Windows Notepad saves \"Unicode\"" })]
    Utf16 { big_endian: bool },
    #[error("{what} is too large to work out exactly")]
    Overflow { what: String },
    #[error("invalid weight: {reason}")]
    InvalidWeight { reason: String },
    #[error("invalid target: {reason}")]
    InvalidTarget { reason: String },
    #[error("invalid history: {reason}")]
    InvalidHistory { reason: String },
    #[error("`{key}` is empty")]
    BlankText { key: String },
    #[error("`base_url` `{url}` {reason}")]
    InvalidBaseUrl { url: String, reason: &'static str },
    #[error("the page slug `{slug}` {reason}")]
    InvalidSlug { slug: String, reason: String },
    #[error(
        "`{path}` and `{other}` differ only in case, so they are one file on Windows and macOS"
    )]
    CaseCollision {
        path: String,
        other: String,
        first: String,
    },
    #[error("`{symbol}` is not the site's currency, {currency}")]
    CurrencyMismatch { symbol: char, currency: String },
    #[error("`currency` `{code}` is not an ISO 4217 currency code")]
    InvalidCurrency { code: String },
    #[error("budget group `{id}` is nested more than {limit} levels deep")]
    GroupTooDeep { id: String, limit: usize },
    #[error("theme `{name}` {reason}")]
    InvalidTheme { name: String, reason: String },
    #[error("this static file would be written to `{path}`, where {other} goes")]
    StaticClash { path: String, other: String },
    #[error("the link to `{target}` leads to no page or file of the site")]
    BrokenLink {
        target: String,
        /// The nearest page the site has, where one is close enough to be meant.
        nearest: Option<String>,
    },
    #[error("the link to `{target}` leads to {page}, which has no `#{anchor}`")]
    BrokenAnchor {
        target: String,
        page: String,
        anchor: String,
        /// The anchors that page is known to have.
        known: Vec<String>,
    },
    #[error(
        "the link to `{target}` leads to {draft}, which is a draft, and `build` leaves drafts out"
    )]
    LinkToDraft { target: String, draft: String },
    #[error("{more} more problems in this file are not shown")]
    TooManyProblems {
        /// How many were left out.
        more: usize,
        /// How many of those are errors.
        errors: usize,
    },
    #[error("the paper is dated {dated}, after its meeting on {meeting}")]
    DatedAfterMeeting { dated: String, meeting: String },
    #[error("the marker `boardpack:{name}` {reason}")]
    UnknownMarker { name: String, reason: String },
    #[error("a second `boardpack:{name}` marker: the tables are placed once, at the first")]
    RepeatedMarker { name: String, first: String },
}

impl Problem {
    /// A stable, kebab-case code for the problem.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::InvalidUtf8 { .. } => "invalid-utf8",
            Problem::Binary { .. } => "binary-file",
            Problem::Unreadable { .. } => "unreadable",
            Problem::NoContent => "no-content",
            Problem::EmptyFile => "empty-file",
            Problem::NoFrontMatter => "no-front-matter",
            Problem::UnclosedFrontMatter => "unclosed-front-matter",
            Problem::Toml { .. } => "toml",
            Problem::WrongType { .. } => "wrong-type",
            Problem::UnknownKey { .. } => "unknown-key",
            Problem::MissingKey { .. } => "missing-key",
            Problem::UnknownWord { .. } => "unknown-word",
            Problem::InvalidDate { .. } => "invalid-date",
            Problem::InvalidMoney { .. } => "invalid-money",
            Problem::PercentOutOfRange { .. } => "percent-out-of-range",
            Problem::InvalidNumber { .. } => "invalid-number",
            Problem::InvalidPeriod { .. } => "invalid-period",
            Problem::InvalidId { .. } => "invalid-id",
            Problem::DuplicateId { .. } => "duplicate-id",
            Problem::DuplicateReport { .. } | Problem::DuplicateInPeriod { .. } => {
                "duplicate-report"
            }
            Problem::ReservedSlug { .. } => "reserved-slug",
            Problem::UnknownReference { .. } => "unknown-reference",
            Problem::Cycle { .. } => "cycle",
            Problem::DueOutsideYear { .. } | Problem::PlanDateOutsideYear { .. } => {
                "due-outside-year"
            }
            Problem::NotAYear { .. } => "invalid-period",
            Problem::UnknownDeliverable { .. } => "unknown-reference",
            Problem::IdPattern { .. } => "id-pattern",
            Problem::RepeatedPlaceholder { .. } => "repeated-placeholder",
            Problem::ApprovedDraft { .. } => "approved-draft",
            Problem::UnchangedNarrative { .. } => "unchanged-narrative",
            Problem::ExemptParagraph { .. } => "exempt-paragraph",
            Problem::ExemptWithoutReason { .. } => "exempt-no-reason",
            Problem::ExemptReviewPassed { .. } => "exempt-review-passed",
            Problem::ExemptLinked { .. } => "exempt-linked",
            Problem::ExemptDerivable { .. } => "exempt-derivable",
            Problem::ExemptRepeated { .. } => "exempt-repeated",
            Problem::Finding { kind, .. } => kind.code(),
            Problem::TooDeep { .. } => "too-deep",
            Problem::ImageWithoutAlt => "image-alt",
            Problem::TooManyProblems { .. } => "too-many-problems",
            Problem::StaticClash { .. } => "static-clash",
            Problem::BrokenLink { .. } => "broken-link",
            Problem::BrokenAnchor { .. } => "broken-anchor",
            Problem::LinkToDraft { .. } => "link-to-draft",
            Problem::LinkOutsideSite { .. } => "link-outside-site",
            Problem::LinkLoop { .. } => "link-loop",
            Problem::LinkDangling { .. } => "link-dangling",
            Problem::ThemeOutsideSite { .. } => "theme-outside-site",
            Problem::Utf16 { .. } => "utf-16",
            Problem::Overflow { .. } => "overflow",
            Problem::InvalidWeight { .. } => "invalid-weight",
            Problem::InvalidTarget { .. } => "invalid-target",
            Problem::InvalidHistory { .. } => "invalid-history",
            Problem::BlankText { .. } => "blank-text",
            Problem::InvalidBaseUrl { .. } => "invalid-base-url",
            Problem::InvalidSlug { .. } => "invalid-slug",
            Problem::CaseCollision { .. } => "case-collision",
            Problem::CurrencyMismatch { .. } => "currency-mismatch",
            Problem::InvalidCurrency { .. } => "invalid-currency",
            Problem::GroupTooDeep { .. } => "group-too-deep",
            Problem::InvalidTheme { .. } => "invalid-theme",
            Problem::DatedAfterMeeting { .. } => "dated-after-meeting",
            Problem::UnknownMarker { .. } => "unknown-marker",
            Problem::RepeatedMarker { .. } => "repeated-marker",
        }
    }

    /// Data-quality findings are warnings; everything else is an error.
    pub fn severity(&self) -> Severity {
        match self {
            Problem::DueOutsideYear { .. }
            | Problem::PlanDateOutsideYear { .. }
            | Problem::IdPattern { .. }
            | Problem::RepeatedPlaceholder { .. }
            | Problem::ApprovedDraft { .. }
            | Problem::UnchangedNarrative { .. }
            | Problem::ExemptWithoutReason { .. }
            | Problem::ExemptReviewPassed { .. }
            | Problem::ExemptLinked { .. }
            | Problem::BrokenLink { .. }
            | Problem::BrokenAnchor { .. }
            | Problem::LinkToDraft { .. }
            | Problem::ExemptDerivable { .. }
            | Problem::ExemptRepeated { .. }
            | Problem::ImageWithoutAlt
            | Problem::LinkOutsideSite { .. }
            | Problem::LinkLoop { .. }
            | Problem::LinkDangling { .. }
            | Problem::Finding { .. }
            | Problem::DatedAfterMeeting { .. }
            | Problem::UnknownMarker { .. }
            | Problem::RepeatedMarker { .. } => Severity::Warning,
            Problem::TooManyProblems { errors: 0, .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The short label drawn under the snippet when the raiser gave none.
    pub fn label(&self) -> Option<String> {
        Some(match self {
            Problem::DuplicateId { .. }
            | Problem::DuplicateReport { .. }
            | Problem::DuplicateInPeriod { .. } => "defined again here".into(),
            Problem::UnknownReference { what, .. } => format!("no such {what}"),
            Problem::UnknownDeliverable { .. } => "not in the plan".into(),
            Problem::InvalidPeriod { .. } => "not a period".into(),
            Problem::InvalidId { .. } => "not a valid id".into(),
            Problem::IdPattern { pattern, .. } => format!("expected {pattern}"),
            Problem::Cycle { .. } => "this parent leads back here".into(),
            Problem::NoFrontMatter => "expected `+++` here".into(),
            Problem::UnclosedFrontMatter => "opened here".into(),
            Problem::InvalidDate { .. } => "not a real date".into(),
            Problem::Toml { .. } => "here".into(),
            Problem::ImageWithoutAlt => "no alt attribute".into(),
            _ => return None,
        })
    }

    /// What the reader should do or expect: the "did you mean" and the allowed values.
    pub fn help(&self) -> Option<String> {
        match self {
            Problem::NoFrontMatter => {
                Some("start the file with a line `+++`, then TOML, then another `+++`".into())
            }
            Problem::UnclosedFrontMatter => {
                Some("close the front matter with a line holding only `+++`".into())
            }
            Problem::InvalidUtf8 { .. } => {
                Some("save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)".into())
            }
            Problem::Binary { .. } => Some(
                "a document is text: Markdown with TOML front matter; rename or move this file"
                    .into(),
            ),
            Problem::UnknownKey {
                suggestion,
                allowed,
                ..
            } => Some(match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("expected one of: {}", allowed.join(", ")),
            }),
            Problem::UnknownWord {
                suggestion,
                allowed,
                ..
            } => {
                let list = allowed
                    .iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                Some(match suggestion {
                    Some(s) => format!("did you mean `{s}`? allowed: {list}"),
                    None => format!("allowed: {list}"),
                })
            }
            Problem::InvalidMoney { .. } => Some(
                "write money as 382319, 382319.45, \"£382,319.45\" or \"(1,700,000)\" for a negative"
                    .into(),
            ),
            Problem::InvalidPeriod { .. } => {
                Some("write a period as \"2009/10 Q2\" (a quarter) or \"2009/10\" (a year)".into())
            }
            Problem::InvalidId { .. } => {
                Some("ids use letters, digits, `-`, `_` and `.`, and start with a letter or digit".into())
            }
            Problem::DuplicateId { first, .. }
            | Problem::DuplicateReport { first, .. }
            | Problem::DuplicateInPeriod { first, .. } => {
                Some(format!("first defined at {first}"))
            }
            Problem::ReservedSlug { .. } => {
                Some("give the page another `slug`, or rename the file".into())
            }
            Problem::RepeatedMarker { first, .. } => Some(format!(
                "the first is at {first}; remove this one, or move the first here"
            )),
            Problem::DatedAfterMeeting { .. } => Some(
                "check `dated` against the paper's signature and `meeting.date` against its \
                 header: a paper is written before the meeting it goes to"
                    .into(),
            ),
            Problem::ApprovedDraft { .. } => Some(
                "a draft is left out of the published site: remove `draft = true` once it is \
                 approved, or remove `approved` until it is"
                    .into(),
            ),
            Problem::ExemptParagraph { schedule, .. } => Some(format!(
                "cite the paragraph of {schedule} that the information falls under, or set \
                 `[exempt] schedule` in boardpack.toml to the law in force"
            )),
            Problem::ExemptWithoutReason { .. } => Some(
                "add `reason = \"…\"` to `exempt`: the public-interest test must be recorded \
                 (members see it; the public never does)"
                    .into(),
            ),
            Problem::ExemptReviewPassed { .. } => Some(
                "review whether the public interest still favours withholding it; remove \
                 `exempt` to publish it, or set a later `review` date"
                    .into(),
            ),
            Problem::BrokenLink {
                nearest: Some(page),
                ..
            } => Some(format!(
                "did you mean {page}? Write links to pages from the site's root, as in \
                 `[budget](/budget/2009-10-q2/)`"
            )),
            Problem::BrokenLink { nearest: None, .. } => Some(
                "link to a page of the site (`/budget/2009-10-q2/`), a file under static/, or an \
                 address starting with http:// or https://"
                    .into(),
            ),
            Problem::BrokenAnchor { known, .. } if known.is_empty() => Some(
                "link to the page without the `#…`: it has no anchors boardpack knows of".into(),
            ),
            Problem::BrokenAnchor { known, .. } => Some(format!(
                "its anchors are {}",
                known
                    .iter()
                    .take(8)
                    .map(|a| format!("`#{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
                    + if known.len() > 8 { ", …" } else { "" }
            )),
            Problem::LinkToDraft { .. } => Some(
                "the published site will not have that page until the draft is approved and its \
                 `draft = true` removed: link to it then, or publish both together"
                    .into(),
            ),
            Problem::ExemptLinked { .. } => Some(
                "the public site shows only a stub for an exempt document: remove the link, or \
                 link from a document that is itself exempt"
                    .into(),
            ),
            Problem::ExemptRepeated { .. } => Some(
                "the public site withholds the item but would show these words where they are \
                 repeated (a narrative, another report): reword them there, or mark that part \
                 exempt too"
                    .into(),
            ),
            Problem::ExemptDerivable { .. } => Some(
                "the public copy prints the group's total, which includes the exempt line: mark \
                 the other line exempt too, or move the exempt line into a group with more lines"
                    .into(),
            ),
            Problem::UnchangedNarrative { since, .. } => Some(format!(
                "it reads word for word as in the report for {since}: update it for this period \
                 (a short entry such as \"No issues\" may stay the same)"
            )),
            Problem::UnknownReference { suggestion, .. } => {
                suggestion.as_ref().map(|s| format!("did you mean `{s}`?"))
            }
            Problem::UnknownDeliverable {
                plan, suggestion, ..
            } => Some(match suggestion {
                Some(s) => format!("did you mean `{s}`? The plan is {plan}"),
                None => format!("name a deliverable by its `id` in {plan}"),
            }),
            Problem::NotAYear { .. } => Some(
                "a plan covers a financial year: write its period as \"2009/10\"".into(),
            ),
            Problem::WrongType { expected, .. } => Some(format!("expected {expected}")),
            Problem::TooDeep { .. } => Some(
                "board papers nest lists, quotes and HTML a few levels deep; flatten this text"
                    .into(),
            ),
            Problem::ImageWithoutAlt => Some(
                "add alt=\"…\" saying what the image shows, or alt=\"\" if it is only decoration \
                 (WCAG 1.1.1)"
                    .into(),
            ),
            Problem::LinkOutsideSite { .. } => Some(
                "boardpack reads nothing outside the site root: copy the file or folder into \
                 the site, or remove the link"
                    .into(),
            ),
            Problem::LinkLoop { .. } => Some(
                "the folder it leads to is already read; remove the link, or point it at a \
                 folder that does not hold it"
                    .into(),
            ),
            Problem::LinkDangling { .. } => {
                Some("point the link at a file that exists, or remove it".into())
            }
            Problem::ThemeOutsideSite { .. } => Some(
                "a theme is a folder inside themes/: copy the theme there instead of linking it"
                    .into(),
            ),
            Problem::Utf16 { .. } => Some(
                "save the file as UTF-8: in Notepad, File > Save As, Encoding: UTF-8; in VS Code, \
                 click the encoding in the status bar, then Save with Encoding, UTF-8"
                    .into(),
            ),
            Problem::Overflow { .. } => Some(
                "boardpack works every figure out exactly, to 28 significant digits; look for a \
                 typo in the figures here, such as a misplaced decimal point or extra digits"
                    .into(),
            ),
            Problem::InvalidWeight { .. } => Some(
                "a weight says how much an activity counts towards its objective's progress under \
                 rule = \"weighted\": a number of 0 or more, such as 1, 2 or 0.5, and above 0 \
                 for at least one activity of each objective"
                    .into(),
            ),
            Problem::InvalidTarget { .. } => Some(
                "a target is for a whole year: targets = [{ year = \"2009/10\", value = 80 }]; \
                 to split it into quarters, add quarters = [70, 75, 80, 85], one target for each \
                 of Q1 to Q4"
                    .into(),
            ),
            Problem::InvalidHistory { .. } => Some(
                "history gives earlier figures, one per period before this report's: \
                 history = [{ period = \"2008/09 Q2\", value = 38.2 }]"
                    .into(),
            ),
            Problem::BlankText { .. } => {
                Some("write the text: a required text cannot be empty or only white space".into())
            }
            Problem::InvalidBaseUrl { .. } => Some(
                "write base_url as a web address, such as \"https://example.org/board/\", or as a \
                 path on the site's server, such as \"/board/\""
                    .into(),
            ),
            Problem::InvalidSlug { slug, .. } => Some(format!(
                "give the page a `slug` of letters, digits, `-`, `_` and `.`, such as slug = \"{}\", \
                 or rename the file",
                suggest_slug(slug)
            )),
            Problem::CaseCollision { first, .. } => Some(format!(
                "the other is {first}; give one of them another name (for a page, a `slug`)"
            )),
            Problem::CurrencyMismatch { currency, .. } => Some(format!(
                "amounts are in the site's currency ({currency}, set by `currency` in \
                 boardpack.toml): convert the amount, or write it without a symbol"
            )),
            Problem::InvalidCurrency { .. } => Some(
                "write the currency as its three capital letters: \"GBP\", \"EUR\" or \"USD\"".into(),
            ),
            Problem::GroupTooDeep { .. } => Some(
                "budgets nest groups a few levels deep; give this group a parent nearer the top"
                    .into(),
            ),
            Problem::InvalidTheme { .. } => Some(
                "`theme` names a folder under themes/ in the site, such as theme = \"council\", \
                 or \"default\" for the built-in theme"
                    .into(),
            ),
            Problem::StaticClash { other, .. } if other.starts_with("the page") => Some(
                "rename or move the file under static/, or give the page another `slug`".into(),
            ),
            Problem::StaticClash { .. } => {
                Some("rename or move the file under static/: that path is boardpack's".into())
            }
            Problem::TooManyProblems { .. } => Some(format!(
                "only the first {MAX_PER_FILE} problems of a file are shown; fix those and check again"
            )),
            _ => None,
        }
    }
}

/// A slug made from `text`: lower case, with every run of other characters a `-`.
pub fn suggest_slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    let ascii: String = out
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if ascii.is_empty() {
        "page".into()
    } else {
        ascii
    }
}

/// A problem at a place in a file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub problem: Problem,
    pub file: Option<Arc<SourceFile>>,
    pub span: Range<usize>,
    /// A short label drawn under the snippet, e.g. "expected a date".
    pub label: Option<String>,
}

impl Diagnostic {
    pub fn new(problem: Problem, file: &Arc<SourceFile>, span: Range<usize>) -> Self {
        let span = file.clamp(span);
        Self {
            problem,
            file: Some(file.clone()),
            span,
            label: None,
        }
    }

    /// A diagnostic about something that has no file, such as a missing directory.
    pub fn global(problem: Problem) -> Self {
        Self {
            problem,
            file: None,
            span: 0..0,
            label: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn severity(&self) -> Severity {
        self.problem.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// One-based line and column of the start of the span.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        self.file.as_ref().map(|f| f.line_col(self.span.start))
    }

    /// `path:line:column`, or the bare path.
    pub fn location(&self) -> String {
        match (&self.file, self.line_col()) {
            (Some(f), Some((l, c))) => format!("{}:{l}:{c}", escape(&f.display)),
            _ => String::new(),
        }
    }

    /// The machine-readable form used by `check --format json`.
    pub fn to_json(&self) -> JsonDiagnostic {
        let (line, column) = self.line_col().unwrap_or((0, 0));
        JsonDiagnostic {
            file: self.file.as_ref().map(|f| f.display.clone()),
            line,
            column,
            severity: self.severity(),
            code: self.problem.code(),
            message: escape(&self.problem.to_string()).into_owned(),
            help: self.problem.help().map(|h| escape(&h).into_owned()),
        }
    }

    /// The message as printed: escaped, and cut short if a user's text made it very long.
    pub fn message(&self) -> String {
        shorten(&escape(&self.problem.to_string()), MAX_MESSAGE_CHARS)
    }

    /// The help as printed, escaped.
    pub fn help(&self) -> Option<String> {
        self.problem
            .help()
            .map(|h| shorten(&escape(&h), MAX_MESSAGE_CHARS))
    }

    /// How much of the file the snippet shows: the lines either side of the span, and the widest
    /// a line may be. A file that is not a readable document (binary, not UTF-8, no front
    /// matter) may be anything at all, a credentials file or `/proc/self/environ` behind a
    /// link: it shows one short line at most, and a binary file none.
    fn snippet(&self) -> Option<Snippet> {
        let file = self.file.as_ref()?;
        let (context, columns) = match self.problem {
            Problem::Binary { .. } | Problem::Utf16 { .. } | Problem::Unreadable { .. } => {
                return None;
            }
            Problem::InvalidUtf8 { .. } | Problem::NoFrontMatter => (0, QUOTE_COLUMNS),
            _ => (1, SNIPPET_COLUMNS),
        };
        Some(file.snippet(self.span.clone(), context, columns))
    }

    /// Render with a source snippet and caret. `color` selects ANSI colour; the browser overlay
    /// and non-terminals use plain text from the same renderer.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false)
            .with_context_lines(1);
        let report = Report {
            diagnostic: self,
            snippet: self.snippet(),
        };
        // Snippets are cut so that miette has nothing it cannot draw; should it still fail or
        // panic, the diagnostic is printed without one rather than lost with the process.
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut out = String::new();
            handler.render_report(&mut out, &report).map(|()| out)
        }));
        match rendered {
            Ok(Ok(out)) => out,
            _ => self.plain(),
        }
    }

    /// `file:line:column: message`, then the help: the form without a snippet.
    pub fn plain(&self) -> String {
        let mut out = Report::header(self);
        if let Some(h) = self.help() {
            let _ = write!(out, "\n  help: {h}");
        }
        out
    }
}

/// The longest message or help printed, in characters. A message quotes what the author wrote
/// (an unknown key, a word, some money), which may be a whole 16 MiB line.
const MAX_MESSAGE_CHARS: usize = 400;

/// The widest line quoted from a file that is not a readable document.
const QUOTE_COLUMNS: usize = 80;

/// `text` cut to `max` characters, with an ellipsis where it was cut.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The fields of a diagnostic in `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct JsonDiagnostic {
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
}

/// Adapter that shows a [`Diagnostic`] to miette, with its snippet.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    snippet: Option<Snippet>,
}

impl Report<'_> {
    /// The first line: where, and what.
    fn header(d: &Diagnostic) -> String {
        match d.file.as_ref() {
            Some(_) => format!("{}: {}", d.location(), d.message()),
            None => d.message(),
        }
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.diagnostic.problem, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Report::header(self.diagnostic))
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.problem.code()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity() {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let snippet = self.snippet.as_ref()?;
        let span = SourceSpan::from(snippet.span.start..snippet.span.end);
        let label = (self.diagnostic.label.clone())
            .or_else(|| self.diagnostic.problem.label())
            .map(|l| shorten(&escape(&l), MAX_MESSAGE_CHARS));
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(label, span),
        )))
    }
}

/// Sort diagnostics by file, then position, then code, so output is stable run to run.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let fa = a.file.as_ref().map(|f| f.display.as_str()).unwrap_or("");
        let fb = b.file.as_ref().map(|f| f.display.as_str()).unwrap_or("");
        fa.cmp(fb)
            .then(a.span.start.cmp(&b.span.start))
            .then(a.problem.code().cmp(b.problem.code()))
            .then_with(|| a.problem.to_string().cmp(&b.problem.to_string()))
    });
}

/// The most diagnostics shown for one file. A file that is not a document at all (a log, a data
/// dump with a `.md` name) can raise one per line: millions, which would take minutes to print
/// and help no one.
pub const MAX_PER_FILE: usize = 100;

/// Keep the first [`MAX_PER_FILE`] diagnostics of each file, in order, and replace the rest with
/// one `too-many-problems` diagnostic at the first one left out. Diagnostics must be sorted by
/// file (as [`sort`] leaves them, or all of one file); those without a file are all kept.
/// Applying it again keeps the count of those left out.
pub fn limit_per_file(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let file_of = |d: &Diagnostic| d.file.as_ref().map(|f| f.display.clone());
    let needs = {
        let mut run = 0;
        let mut last = None;
        diags.iter().any(|d| {
            let f = file_of(d);
            if f.is_some() && f == last {
                run += 1;
            } else {
                run = 1;
                last = f;
            }
            run > MAX_PER_FILE || matches!(d.problem, Problem::TooManyProblems { .. })
        })
    };
    if !needs {
        return diags;
    }
    let mut out = Vec::new();
    let mut rest = diags.into_iter().peekable();
    while let Some(first) = rest.next() {
        let Some(name) = file_of(&first) else {
            out.push(first);
            continue;
        };
        let mut group = vec![first];
        while rest
            .peek()
            .is_some_and(|d| file_of(d).as_deref() == Some(name.as_str()))
        {
            group.extend(rest.next());
        }
        let (mut more, mut errors) = (0, 0);
        let mut at = None;
        group.retain(|d| match d.problem {
            Problem::TooManyProblems { more: m, errors: e } => {
                more += m;
                errors += e;
                at.get_or_insert_with(|| (d.file.clone(), d.span.clone()));
                false
            }
            _ => true,
        });
        if group.len() > MAX_PER_FILE {
            let dropped = group.split_off(MAX_PER_FILE);
            more += dropped.len();
            errors += dropped.iter().filter(|d| d.is_error()).count();
            at = Some((dropped[0].file.clone(), dropped[0].span.clone()));
        }
        out.extend(group);
        if let Some((Some(file), span)) = at {
            out.push(Diagnostic::new(
                Problem::TooManyProblems { more, errors },
                &file,
                span,
            ));
        }
    }
    out
}

/// The closest candidate to `word`, if any is close enough to be a plausible misspelling.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_keys_only() {
        let keys = ["title", "period", "programme"];
        assert_eq!(suggest("titel", keys), Some("title"));
        assert_eq!(suggest("programe", keys), Some("programme"));
        assert_eq!(suggest("zzz", keys), None);
    }

    #[test]
    fn limit_per_file_keeps_the_first_and_counts_the_rest_once() {
        let text = "x = 1\n".repeat(300);
        let f = SourceFile::new("a.md", "content/a.md", text);
        let g = SourceFile::new("b.md", "content/b.md", "y\n".into());
        let mut diags: Vec<Diagnostic> = (0..250)
            .map(|i| {
                Diagnostic::new(
                    Problem::MissingKey {
                        key: format!("k{i}"),
                    },
                    &f,
                    i * 6..i * 6 + 1,
                )
            })
            .collect();
        diags.push(Diagnostic::new(Problem::EmptyFile, &g, 0..0));
        diags.push(Diagnostic::global(Problem::NoContent));
        let once = limit_per_file(diags);
        assert_eq!(once.len(), MAX_PER_FILE + 3);
        let last = &once[MAX_PER_FILE];
        assert_eq!(
            last.problem,
            Problem::TooManyProblems {
                more: 150,
                errors: 150
            }
        );
        assert_eq!(last.line_col(), Some((101, 1)));
        assert!(last.is_error());
        // Again, with one more problem in the file: still one summary, counting it too.
        let mut again = once.clone();
        again.insert(3, Diagnostic::new(Problem::EmptyFile, &f, 0..0));
        let twice = limit_per_file(again);
        assert_eq!(twice.len(), MAX_PER_FILE + 3);
        let summaries: Vec<&Problem> = twice
            .iter()
            .map(|d| &d.problem)
            .filter(|p| matches!(p, Problem::TooManyProblems { .. }))
            .collect();
        assert_eq!(
            summaries,
            [&Problem::TooManyProblems {
                more: 151,
                errors: 151
            }]
        );
    }

    #[test]
    fn render_names_file_line_and_column() {
        let f = SourceFile::new("x.md", "content/x.md", "+++\ntitel = 1\n+++\n".into());
        let d = Diagnostic::new(
            Problem::UnknownKey {
                key: "titel".into(),
                suggestion: Some("title".into()),
                allowed: vec!["title"],
            },
            &f,
            4..9,
        );
        let out = d.render(false);
        assert!(out.contains("content/x.md:2:1"), "{out}");
        assert!(out.contains("did you mean `title`?"), "{out}");
    }
}
