//! Reporting periods: quarters and whole years of the financial year.

use std::fmt;

use jiff::civil::Date;
use serde::{Serialize, Serializer};

/// The month and day the financial year starts (1 April by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearStart {
    pub month: i8,
    pub day: i8,
}

impl Default for YearStart {
    fn default() -> Self {
        Self { month: 4, day: 1 }
    }
}

impl YearStart {
    /// Read `MM-DD`.
    pub fn parse(s: &str) -> Option<Self> {
        let (m, d) = s.trim().split_once('-')?;
        let month: i8 = m.parse().ok()?;
        let day: i8 = d.parse().ok()?;
        // 2001 is not a leap year, so 29 February is refused as a year start.
        Date::new(2001, month, day).ok()?;
        Some(Self { month, day })
    }
}

/// A financial year (`quarter == None`) or one of its quarters. Years are named by the
/// calendar year they start in: 2009 is "2009/10".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i16,
    pub quarter: Option<u8>,
}

impl Period {
    /// Read `2009/10 Q2`, `2009-10 Q2`, `2009/2010 Q2` or `2009/10`.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let mut parts = t.split_whitespace();
        let years = parts.next()?;
        let quarter = match parts.next() {
            None => None,
            Some(q) => {
                let n = q.strip_prefix(['Q', 'q'])?;
                let n: u8 = n.parse().ok()?;
                if !(1..=4).contains(&n) {
                    return None;
                }
                Some(n)
            }
        };
        if parts.next().is_some() {
            return None;
        }
        let (a, b) = years.split_once(['/', '-'])?;
        if a.len() != 4 || !a.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let year: i16 = a.parse().ok()?;
        let next = year + 1;
        let ok = match b.len() {
            2 => b.parse::<i16>().ok()? == next % 100,
            4 => b.parse::<i16>().ok()? == next,
            _ => false,
        };
        (ok && (1000..=9998).contains(&year)).then_some(Self { year, quarter })
    }

    pub fn year_of(self) -> Period {
        Period {
            year: self.year,
            quarter: None,
        }
    }

    /// `2009/10 Q2`.
    pub fn label(self) -> String {
        self.to_string()
    }

    /// `2009-10-q2`: used in URLs and folder names.
    pub fn slug(self) -> String {
        let y = format!("{}-{:02}", self.year, (self.year + 1).rem_euclid(100));
        match self.quarter {
            Some(q) => format!("{y}-q{q}"),
            None => y,
        }
    }

    /// First day of the period.
    pub fn start(self, ys: YearStart) -> Date {
        let months = i32::from(self.quarter.map_or(0, |q| q - 1)) * 3;
        add_months(self.year, ys, months)
    }

    /// Last day of the period: the day before the next period starts.
    pub fn end(self, ys: YearStart) -> Date {
        let months = i32::from(self.quarter.map_or(0, |q| q - 1)) * 3;
        let len = if self.quarter.is_some() { 3 } else { 12 };
        let next = add_months(self.year, ys, months + len);
        next.yesterday().unwrap_or(next)
    }

    /// Whether a date falls inside the period.
    pub fn contains(self, ys: YearStart, date: Date) -> bool {
        self.bounds(ys).contains(date)
    }

    /// The first and last day, computed once for repeated tests.
    pub fn bounds(self, ys: YearStart) -> Bounds {
        Bounds {
            start: self.start(ys),
            end: self.end(ys),
        }
    }

    /// The period before: the previous quarter, or the previous year.
    pub fn previous(self) -> Period {
        match self.quarter {
            Some(1) => Period {
                year: self.year - 1,
                quarter: Some(4),
            },
            Some(q) => Period {
                year: self.year,
                quarter: Some(q - 1),
            },
            None => Period {
                year: self.year - 1,
                quarter: None,
            },
        }
    }

    /// The period after.
    pub fn next(self) -> Period {
        match self.quarter {
            Some(4) => Period {
                year: self.year + 1,
                quarter: Some(1),
            },
            Some(q) => Period {
                year: self.year,
                quarter: Some(q + 1),
            },
            None => Period {
                year: self.year + 1,
                quarter: None,
            },
        }
    }

    /// The same period a year earlier.
    pub fn year_earlier(self) -> Period {
        Period {
            year: self.year - 1,
            quarter: self.quarter,
        }
    }
}

/// A period's first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub start: Date,
    pub end: Date,
}

impl Bounds {
    pub fn contains(self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }
}

/// The financial year starting in `year`, moved on by `months`, with the start day clamped to
/// the length of the month it lands in. Plain arithmetic: this runs for every activity.
fn add_months(year: i16, ys: YearStart, months: i32) -> Date {
    let total = i32::from(ys.month) - 1 + months;
    let y = (i32::from(year) + total.div_euclid(12)).clamp(-9999, 9999) as i16;
    let m = (total.rem_euclid(12) + 1) as i8;
    let first = Date::new(y, m, 1).unwrap_or(Date::constant(2000, 4, 1));
    let day = ys.day.min(first.days_in_month());
    Date::new(y, m, day).unwrap_or(first)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.year, (self.year + 1).rem_euclid(100))?;
        if let Some(q) = self.quarter {
            write!(f, " Q{q}")?;
        }
        Ok(())
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// A date's month as board papers write it: `September`.
pub fn month_name(d: Date) -> &'static str {
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
    MONTHS[usize::try_from(d.month() - 1).unwrap_or(0)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_of_the_financial_year() {
        let p = Period::parse("2009/10 Q2").unwrap();
        let ys = YearStart::default();
        assert_eq!(p.start(ys), Date::constant(2009, 7, 1));
        assert_eq!(p.end(ys), Date::constant(2009, 9, 30));
        let q4 = Period::parse("2009-10 Q4").unwrap();
        assert_eq!(q4.end(ys), Date::constant(2010, 3, 31));
        let y = Period::parse("2009/2010").unwrap();
        assert_eq!(y.end(ys), Date::constant(2010, 3, 31));
        assert_eq!(p.to_string(), "2009/10 Q2");
        assert_eq!(p.slug(), "2009-10-q2");
        assert_eq!(Period::parse("1999/00").unwrap().to_string(), "1999/00");
    }

    #[test]
    fn neighbours() {
        let p = Period::parse("2009/10 Q1").unwrap();
        assert_eq!(p.previous().to_string(), "2008/09 Q4");
        assert_eq!(p.previous().next(), p);
        assert_eq!(p.year_earlier().to_string(), "2008/09 Q1");
    }

    #[test]
    fn rejects_malformed_periods() {
        for bad in [
            "2009",
            "2009/11 Q1",
            "2009/10 Q5",
            "Q2 2009/10",
            "2009/10 Q2 x",
            "09/10",
        ] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn calendar_year_start() {
        let ys = YearStart::parse("01-01").unwrap();
        let p = Period::parse("2009/10 Q3").unwrap();
        assert_eq!(p.start(ys), Date::constant(2009, 7, 1));
        assert!(YearStart::parse("02-29").is_none());
    }
}
