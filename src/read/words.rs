//! Status and RAG words: the closed vocabularies authors write, read case-insensitively and with
//! the seeds' spellings accepted as aliases.

use serde::{Serialize, Serializer};

/// A closed vocabulary read from a string.
pub trait Word: Sized + Copy + 'static {
    /// What the word names, for messages ("activity status").
    const WHAT: &'static str;
    /// Canonical spellings, in display order.
    fn allowed() -> &'static [&'static str];
    /// Read a word after normalisation (see [`normalise`]).
    fn from_normalised(s: &str) -> Option<Self>;

    fn parse(s: &str) -> Option<Self> {
        Self::from_normalised(&normalise(s))
    }
}

/// Lower-case, treat `-` and `_` as spaces, and collapse runs of white space, so that
/// `In Progress`, `in-progress` and ` IN_PROGRESS ` are one word.
pub fn normalise(s: &str) -> String {
    s.to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

macro_rules! words {
    ($(#[$meta:meta])* $name:ident, $what:literal {
        $($variant:ident => $canon:literal $([$($alias:literal),*])?),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every variant, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical lower-case spelling.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $canon),+ }
            }

            /// A stable kebab-case key, for CSS classes, URLs and JSON.
            pub fn key(self) -> String {
                self.name().replace(' ', "-")
            }

            /// The spelling shown to readers: the canonical word with a capital first letter.
            pub fn label(self) -> String {
                let mut c = self.name().chars();
                match c.next() {
                    Some(f) => f.to_uppercase().chain(c).collect(),
                    None => String::new(),
                }
            }
        }

        impl Word for $name {
            const WHAT: &'static str = $what;
            fn allowed() -> &'static [&'static str] {
                &[$($canon),+]
            }
            fn from_normalised(s: &str) -> Option<Self> {
                match s {
                    $($canon $($(| $alias)*)? => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.key())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.label())
            }
        }
    };
}

words!(
    /// Which kind of document a file is.
    DocKind, "document kind" {
        Highlight => "highlight" ["highlight report"],
        Budget => "budget" ["budget monitoring"],
        Indicators => "indicators" ["performance indicators"],
        Actions => "actions" ["action plan"],
        Plan => "plan" ["operational plan"],
        Page => "page",
    }
);

impl DocKind {
    /// What readers call a document of this kind, in headings and search results.
    pub fn title(self) -> &'static str {
        match self {
            DocKind::Highlight => "Highlight report",
            DocKind::Budget => "Budget monitoring",
            DocKind::Indicators => "Performance indicators",
            DocKind::Actions => "Action plan",
            DocKind::Plan => "Operational plan",
            DocKind::Page => "Page",
        }
    }
}

words!(
    /// Where an activity stands.
    ActivityStatus, "activity status" {
        NotStarted => "not started" ["not yet started"],
        InProgress => "in progress" ["ongoing", "on going"],
        Delayed => "delayed",
        OnHold => "on hold",
        Complete => "complete" ["completed", "done"],
        Cancelled => "cancelled" ["canceled"],
    }
);

words!(
    /// Whether an activity is one of the plan's priority deliverables.
    ActivityKind, "activity kind" {
        Priority => "priority" ["priority deliverable", "pd"],
        Supporting => "supporting" ["additional supporting activities", "supporting activity", "supporting activities"],
    }
);

words!(
    /// The RAG status of an objective's budget.
    BudgetStatus, "budget status" {
        Green => "green",
        Amber => "amber",
        Red => "red",
        NoBudget => "no budget" ["none", "n/a"],
    }
);

words!(
    /// The law under which a council withholds exempt information, by its paragraphs' range:
    /// England's Schedule 12A (paragraphs 1–7), Wales's version of it (Part 4, paragraphs
    /// 12–18), or Scotland's Schedule 7A (Part I, paragraphs 1–14).
    Schedule, "exempt information schedule" {
        England => "england" ["schedule 12a", "12a", "england schedule 12a"],
        Wales => "wales" ["wales schedule 12a"],
        Scotland => "scotland" ["schedule 7a", "7a", "scotland schedule 7a"],
    }
);

impl Schedule {
    /// The schedule as an agenda cites it.
    pub fn title(self) -> &'static str {
        match self {
            Schedule::England | Schedule::Wales => "Schedule 12A",
            Schedule::Scotland => "Schedule 7A",
        }
    }

    /// The paragraphs that describe exempt information.
    pub fn paragraphs(self) -> std::ops::RangeInclusive<u32> {
        match self {
            Schedule::England => 1..=7,
            Schedule::Wales => 12..=18,
            Schedule::Scotland => 1..=14,
        }
    }
}

words!(
    /// Whether public pages show readers where stated figures disagree with computed ones.
    FindingsView, "findings setting" {
        Hide => "hide",
        Show => "show",
    }
);

words!(
    /// Whether a budget group counts as income or expenditure.
    GroupKind, "budget group kind" {
        Income => "income",
        Expenditure => "expenditure",
    }
);

words!(
    /// The unit an indicator is measured in.
    Unit, "unit" {
        Percent => "percent" ["%", "per cent", "percentage"],
        Number => "number" ["count"],
        Days => "days" ["day"],
        Money => "money" ["pounds"],
    }
);

words!(
    /// Which way is better for an indicator.
    Polarity, "polarity" {
        Higher => "higher" ["higher is better", "up"],
        Lower => "lower" ["lower is better", "down"],
    }
);

words!(
    /// Which earlier figure an indicator's direction of travel compares its actual with.
    DirectionAgainst, "comparison for the direction of travel" {
        PreviousActual => "previous actual" ["previous", "previous year"],
        PreviousPeriod => "previous period" ["previous quarter", "last period", "last quarter"],
        SamePeriodLastYear => "same period last year" ["same quarter last year", "year on year"],
    }
);

words!(
    /// An indicator's performance against its target.
    IndicatorStatus, "indicator status" {
        OnTrack => "on track" ["on target", "delivered"],
        OffTargetImproving => "off target improving" ["off target with improvement plan", "improvement plan"],
        OffTarget => "off target",
        NoData => "no data" ["data not available", "not available"],
    }
);

words!(
    /// The judgement on an action in an action plan.
    Judgement, "judgement" {
        Complete => "complete" ["completed", "*"],
        OnTrack => "on track" ["●"],
        Behind => "behind" ["behind schedule", "poor", "▲"],
        Unknown => "unknown" ["?"],
    }
);

words!(
    /// How soon an improvement priority is to be addressed.
    Term, "term" {
        Immediate => "immediate",
        Medium => "medium" ["medium term"],
    }
);

words!(
    /// How objective and programme progress are rolled up from their parts.
    RollupRule, "roll-up rule" {
        FloorMean => "floor mean",
        RoundMean => "round mean",
        Weighted => "weighted",
    }
);

words!(
    /// Which way round budget variance is taken.
    VarianceSign, "variance sign" {
        ActualMinusPlanned => "actual minus planned",
        PlannedMinusActual => "planned minus actual",
    }
);

words!(
    /// A direction of travel as a paper states it in words, where it gives no figure to
    /// compute one from ("higher than the same period last year").
    StatedDirection, "direction of travel" {
        Better => "better" ["improved", "improving"],
        Worse => "worse" ["worsened", "worsening", "declined"],
        Same => "same" ["unchanged", "no change"],
    }
);

words!(
    /// The column of a budget line that a note's figure explains.
    NoteColumn, "budget column" {
        Approved => "approved" ["approved budget"],
        Revised => "revised" ["revised budget"],
        Planned => "planned" ["planned spend"],
        Actual => "actual" ["actual spend"],
        Variance => "variance",
        Projected => "projected" ["projection", "projected outturn"],
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_spellings_are_accepted() {
        assert_eq!(
            ActivityStatus::parse("In Progress"),
            Some(ActivityStatus::InProgress)
        );
        assert_eq!(
            ActivityStatus::parse("In progress"),
            Some(ActivityStatus::InProgress)
        );
        assert_eq!(
            ActivityStatus::parse("in-progress"),
            Some(ActivityStatus::InProgress)
        );
        assert_eq!(BudgetStatus::parse("GREEN"), Some(BudgetStatus::Green));
        assert_eq!(
            BudgetStatus::parse("No budget"),
            Some(BudgetStatus::NoBudget)
        );
        assert_eq!(RollupRule::parse("floor-mean"), Some(RollupRule::FloorMean));
        assert_eq!(ActivityStatus::parse("finished"), None);
    }

    #[test]
    fn labels_and_keys() {
        assert_eq!(ActivityStatus::InProgress.label(), "In progress");
        assert_eq!(ActivityStatus::InProgress.key(), "in-progress");
    }
}
