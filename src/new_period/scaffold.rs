//! One document moved on a period: its front matter edited in place with `toml_edit`, so that
//! the author's comments, the order of keys and keys boardpack does not read yet all survive,
//! and its Markdown body carried byte for byte.
//!
//! What changes, by kind (docs/quarterly-cycle.md says why):
//!
//! - every kind: `period` moves on, the period and its last day in the `title` follow,
//!   `approved`, `meeting` and `dated` go, `draft = true` comes after `period` with a comment saying where the
//!   document came from;
//! - highlight: `prepared` and the stated (printed) progress go; activities keep their status,
//!   progress and due date; complete and cancelled ones are carried, marked, to the end of the
//!   financial year, and dropped (listed in a comment) when the new period starts a new year;
//! - budget: `as_at` becomes the period's last day; lines keep their approved and revised
//!   budgets, and lose planned, actual, projected and their printed variances; notes lose their
//!   figures (`amount`, `of`, `breakdown`) and keep their text; the printed totals keep only
//!   approved and revised; key balances are commented out to be filled in again;
//! - indicators: actuals, their caveats, stated statuses and stated directions go, each actual
//!   kept in a comment and added to `history`;
//!   into a new year the last actual becomes `previous`, the year's actual;
//! - actions: complete actions go (listed in a comment), and so does the printed summary.

use jiff::civil::Date;
use toml_edit::{Decor, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::read::period::{Period, YearStart};
use crate::read::words::{ActivityStatus, DocKind, Judgement, Word};

/// Every comment new-period writes starts so, and a later run removes them before writing its
/// own: moving a report on twice does not pile up notes about the period before last.
pub const MARK: &str = "# new-period:";

/// Where a document moves from and to.
#[derive(Debug, Clone)]
pub struct Move {
    pub from: Period,
    pub to: Period,
    pub year_start: YearStart,
    /// The source file as shown to users, `content/2009-10-q2/budget.md`.
    pub source: String,
}

impl Move {
    /// Whether the new period is in another financial year.
    fn new_year(&self) -> bool {
        self.to.year != self.from.year
    }
}

/// The next period's text of a document, from its whole text. Fails only where the front
/// matter cannot be found or read as TOML, which `check` would have reported.
pub fn scaffold(text: &str, kind: DocKind, mv: &Move) -> Result<String, String> {
    let split = crate::content::front_matter::split(text).map_err(|(p, _)| p.to_string())?;
    let front = &text[split.front.clone()];
    let mut doc: DocumentMut = front
        .parse()
        .map_err(|e: toml_edit::TomlError| e.message().to_string())?;
    strip_marks(doc.as_table_mut());
    let trailing = doc
        .trailing()
        .as_str()
        .map(without_marks)
        .unwrap_or_default();
    doc.set_trailing(trailing);
    let mut notes = Vec::new();
    let root = doc.as_table_mut();
    match kind {
        DocKind::Highlight => highlight(root, mv),
        DocKind::Budget => notes.extend(budget(root, mv)),
        DocKind::Indicators => indicators(root, mv),
        DocKind::Actions => actions(root, mv),
        // A plan is the year's, not a period's: new-period never scaffolds one.
        DocKind::Plan | DocKind::Page => {}
    }
    common(root, kind, mv);
    let mut edited = doc.to_string();
    for block in notes {
        edited.push_str(&block);
    }
    if front.contains("\r\n") {
        edited = crlf(&edited);
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..split.front.start]);
    out.push_str(&edited);
    out.push_str(&text[split.front.end..]);
    Ok(out)
}

/// The edits every kind shares.
fn common(root: &mut Table, kind: DocKind, mv: &Move) {
    set(root, "period", Value::from(mv.to.to_string()));
    if let Some(title) = root.get("title").and_then(Item::as_str) {
        let moved = move_title(title, mv);
        if moved != title {
            set(root, "title", Value::from(moved));
        }
    }
    root.remove("approved");
    // The next period goes to another meeting, on a paper of another date; the author and
    // addressee usually stay.
    root.remove("meeting");
    root.remove("dated");
    // An author's own comment above an old `draft` key stays above the new one.
    let kept = (root.key("draft"))
        .and_then(|k| k.leaf_decor().prefix())
        .and_then(|p| p.as_str())
        .unwrap_or("")
        .to_string();
    root.remove("draft");
    // `draft` goes straight after `period`, where an author looks first: the keys after it are
    // taken out and put back behind it, each with its own comments.
    let keys: Vec<String> = root.iter().map(|(k, _)| k.to_string()).collect();
    let after: Vec<(toml_edit::Key, Item)> = match keys.iter().position(|k| k == "period") {
        Some(at) => (keys[at + 1..].iter())
            .filter_map(|k| root.remove_entry(k))
            .collect(),
        None => Vec::new(),
    };
    root.insert("draft", toml_edit::value(true));
    if let Some(mut key) = root.key_mut("draft") {
        key.leaf_decor_mut()
            .set_prefix(format!("{kept}{}", header(kind, mv)));
    }
    for (key, item) in after {
        root.insert_formatted(&key, item);
    }
}

/// The comment above `draft = true`.
fn header(kind: DocKind, mv: &Move) -> String {
    let mut lines = vec![
        format!("made from {} ({}).", mv.source, mv.from),
        format!(
            "Its narrative is carried forward for you to update: check warns of each section still as in {}.",
            mv.from
        ),
    ];
    match kind {
        DocKind::Budget => lines.push(format!(
            "Planned, actual and projected figures of {} are cleared; key balances are commented out at the end.",
            mv.from
        )),
        DocKind::Indicators => lines.push(format!(
            "Actuals and stated statuses of {} are cleared; each actual is noted above its indicator.",
            mv.from
        )),
        _ => {}
    }
    if mv.new_year() && kind == DocKind::Budget {
        lines.push(format!(
            "Approved and revised budgets are still those of {}: set {}'s.",
            mv.from.year_of(),
            mv.to.year_of()
        ));
    }
    lines.push(
        "Remove `draft = true` once it is approved, and record who approved it and when.".into(),
    );
    lines.iter().map(|l| format!("{MARK} {l}\n")).collect()
}

fn highlight(root: &mut Table, mv: &Move) {
    root.remove("prepared");
    root.remove("stated_progress");
    each_row(root, "objectives", |o| {
        o.table().remove("stated_progress");
        let mut dropped = Vec::new();
        each_row(o.table(), "activities", |a| {
            let status = a.table().get("status").and_then(Item::as_str);
            let status = status.and_then(ActivityStatus::parse);
            let Some(done @ (ActivityStatus::Complete | ActivityStatus::Cancelled)) = status else {
                return true;
            };
            let what = done.label().to_lowercase();
            if mv.new_year() {
                let title = a.table().get("title").and_then(Item::as_str).unwrap_or("");
                dropped.push(format!("“{title}” ({what} in {})", mv.from));
                return false;
            }
            a.comment(&format!(
                "{what} in {}: carried to the end of {} with the year's other deliverables.",
                mv.from,
                mv.from.year_of()
            ));
            true
        });
        for d in dropped {
            o.comment(&format!("not carried into {}: {d}.", mv.to.year_of()));
        }
        true
    });
}

/// Returns blocks of commented-out TOML to add at the end of the front matter.
fn budget(root: &mut Table, mv: &Move) -> Vec<String> {
    if root.contains_key("as_at") {
        let end = mv.to.end(mv.year_start);
        set(root, "as_at", date_value(end));
    }
    printed(root, "stated_total");
    each_row(root, "groups", |g| {
        printed(g.table(), "stated");
        true
    });
    each_row(root, "lines", |l| {
        // A line's printed variance and % variance are the last period's.
        for key in ["planned", "actual", "projected", "stated"] {
            l.table().remove(key);
        }
        true
    });
    // A note's figures are the period's; its text is narrative, carried for the author.
    each_row(root, "notes", |n| {
        for key in ["amount", "of", "breakdown"] {
            n.table().remove(key);
        }
        true
    });
    let mut blocks = Vec::new();
    if let Some(balances) = root.remove("balances") {
        let mut scratch = DocumentMut::new();
        scratch.insert("balances", balances);
        let mut block = format!(
            "\n{MARK} key balances at the end of {}, to update for {} (then remove the # before each line):\n",
            mv.from, mv.to
        );
        for line in scratch.to_string().lines() {
            if line.trim().is_empty() {
                block.push_str("#\n");
            } else {
                block.push_str(&format!("# {line}\n"));
            }
        }
        blocks.push(block);
    }
    blocks
}

/// A printed subtotal or total: approved and revised budgets still hold, the rest is the last
/// period's.
fn printed(t: &mut dyn TableLike, key: &str) {
    let Some(item) = t.get_mut(key) else { return };
    let inline = item.is_inline_table();
    let Some(s) = item.as_table_like_mut() else {
        return;
    };
    let mut removed = false;
    for k in ["planned", "actual", "variance", "projected"] {
        removed |= s.remove(k).is_some();
    }
    if s.is_empty() {
        t.remove(key);
    } else if removed && inline {
        // The space before the closing brace went with the last key; lay the rest out again.
        s.fmt();
    }
}

fn indicators(root: &mut Table, mv: &Move) {
    each_row(root, "indicators", |i| {
        let actual = i.table().get("actual").and_then(Item::as_value).cloned();
        for key in [
            "actual",
            "actual_caveat",
            "stated_status",
            "stated_direction",
        ] {
            i.table().remove(key);
        }
        let Some(actual) = actual else { return true };
        let written = actual.clone().decorated("", "").to_string();
        // Last period's actual becomes an earlier value: a point of `history`, which the
        // comparisons with the previous period and the same period last year read.
        // A whole year's actual goes to `previous` instead, which names the same period.
        if mv.from != mv.from.year_of() {
            push_history(i.table(), mv.from, &actual);
        }
        if mv.new_year() {
            let mut previous = InlineTable::new();
            previous.insert("year", Value::from(mv.from.year_of().to_string()));
            previous.insert("value", actual.decorated(" ", " "));
            previous.fmt();
            set(i.table(), "previous", Value::InlineTable(previous));
            i.comment(&format!("{} actual, now `previous`: {written}.", mv.from));
        } else {
            i.comment(&format!("{} actual: {written}.", mv.from));
        }
        true
    });
}

/// Add `{ period, value }` to an indicator's `history`, written as the author wrote it: an
/// inline array, or `[[indicators.history]]` tables.
fn push_history(t: &mut dyn TableLike, period: Period, value: &Value) {
    let value = value.clone().decorated(" ", " ");
    if let Some(tables) = t.get_mut("history").and_then(Item::as_array_of_tables_mut) {
        let mut point = Table::new();
        point.insert("period", toml_edit::value(period.to_string()));
        point.insert("value", Item::Value(value));
        tables.push(point);
        return;
    }
    let mut point = InlineTable::new();
    point.insert("period", Value::from(period.to_string()));
    point.insert("value", value);
    point.fmt();
    match t.get_mut("history").and_then(Item::as_array_mut) {
        Some(list) => list.push(point),
        None => {
            let mut list = toml_edit::Array::new();
            list.push(point);
            t.insert("history", Item::Value(Value::Array(list)));
        }
    }
}

fn actions(root: &mut Table, mv: &Move) {
    root.remove("stated_summary");
    each_row(root, "objectives", |o| {
        each_row(o.table(), "workstreams", |w| {
            let mut dropped = Vec::new();
            each_row(w.table(), "actions", |a| {
                let judgement = a.table().get("judgement").and_then(Item::as_str);
                if judgement.and_then(Judgement::parse) != Some(Judgement::Complete) {
                    return true;
                }
                let title = a.table().get("title").and_then(Item::as_str).unwrap_or("");
                dropped.push(format!("“{title}”"));
                false
            });
            for d in dropped {
                w.comment(&format!("complete in {} and not carried: {d}.", mv.from));
            }
            true
        });
        true
    });
}

/// One row of an array of tables, written as `[[key]]` tables or as an inline array.
enum Row<'a> {
    Table(&'a mut Table),
    Inline(&'a mut InlineTable),
}

impl Row<'_> {
    fn table(&mut self) -> &mut dyn TableLike {
        match self {
            Row::Table(t) => *t,
            Row::Inline(t) => *t,
        }
    }

    /// A comment line above the row's `[[…]]` header, after any the author wrote. Inline rows
    /// have nowhere to hold one.
    fn comment(&mut self, text: &str) {
        if let Row::Table(t) = self {
            add_comment(t.decor_mut(), text);
        }
    }
}

/// Edit every row of the array of tables at `key`, keeping those for which `f` is true.
fn each_row(t: &mut dyn TableLike, key: &str, mut f: impl FnMut(&mut Row<'_>) -> bool) {
    let Some(item) = t.get_mut(key) else { return };
    let mut keep = Vec::new();
    match item {
        Item::ArrayOfTables(rows) => {
            for row in rows.iter_mut() {
                keep.push(f(&mut Row::Table(row)));
            }
            let mut i = 0;
            rows.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        Item::Value(Value::Array(rows)) => {
            for row in rows.iter_mut() {
                keep.push(match row {
                    Value::InlineTable(t) => f(&mut Row::Inline(t)),
                    _ => true,
                });
            }
            let mut i = 0;
            rows.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        _ => {}
    }
}

/// Replace a value, keeping the spaces and any comment around the old one.
fn set(t: &mut dyn TableLike, key: &str, mut v: Value) {
    if let Some(old) = t.get(key).and_then(Item::as_value) {
        *v.decor_mut() = old.decor().clone();
    }
    t.insert(key, Item::Value(v));
}

fn date_value(d: Date) -> Value {
    let text = d.to_string();
    text.parse::<Value>()
        .unwrap_or_else(|_| Value::from(text.clone()))
}

/// Add `# new-period: text` as the last line of a comment above an item.
fn add_comment(decor: &mut Decor, text: &str) {
    let before = decor.prefix().and_then(|p| p.as_str()).unwrap_or("");
    decor.set_prefix(format!("{before}{MARK} {text}\n"));
}

/// Remove the comments an earlier run wrote, from every table and key of the front matter.
fn strip_marks(t: &mut Table) {
    strip_decor(t.decor_mut());
    for (mut key, item) in t.iter_mut() {
        strip_decor(key.leaf_decor_mut());
        match item {
            Item::Table(sub) => strip_marks(sub),
            Item::ArrayOfTables(rows) => rows.iter_mut().for_each(strip_marks),
            _ => {}
        }
    }
}

fn strip_decor(decor: &mut Decor) {
    if let Some(prefix) = decor.prefix().and_then(|p| p.as_str())
        && prefix.contains(MARK)
    {
        let kept = without_marks(prefix);
        decor.set_prefix(kept);
    }
}

/// `text` without the lines that are new-period's own comments.
fn without_marks(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|l| !l.trim_start().starts_with(MARK))
        .collect()
}

/// Every lone `\n` as `\r\n`, for a file written with Windows line endings.
fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev = '\0';
    for c in text.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// A title moved on: the period's name and its last day, as the title writes them.
pub fn move_title(title: &str, mv: &Move) -> String {
    let mut out = title.replace(&mv.from.to_string(), &mv.to.to_string());
    if mv.new_year() {
        out = out.replace(&mv.from.year_of().to_string(), &mv.to.year_of().to_string());
    }
    if let (Some(a), Some(b)) = (mv.from.quarter, mv.to.quarter) {
        out = replace_word(&out, &format!("Q{a}"), &format!("Q{b}"));
        out = replace_word(&out, &format!("Quarter {a}"), &format!("Quarter {b}"));
    }
    let (from, to) = (mv.from.end(mv.year_start), mv.to.end(mv.year_start));
    for (style_from, style_to) in [
        (long_date(from, true), long_date(to, true)),
        (long_date(from, false), long_date(to, false)),
        (from.to_string(), to.to_string()),
        (
            from.strftime("%d/%m/%Y").to_string(),
            to.strftime("%d/%m/%Y").to_string(),
        ),
    ] {
        out = out.replace(&style_from, &style_to);
    }
    out
}

/// `30th September 2009`, or without the ordinal `30 September 2009`.
fn long_date(d: Date, ordinal: bool) -> String {
    let day = d.day();
    let suffix = match (ordinal, day % 10, day) {
        (false, _, _) => "",
        (true, _, 11..=13) => "th",
        (true, 1, _) => "st",
        (true, 2, _) => "nd",
        (true, 3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix} {}", d.strftime("%B %Y"))
}

/// Replace `word` where it stands alone, not inside a longer word or number.
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        let alone =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        out.push_str(&rest[..at]);
        out.push_str(if alone { with } else { word });
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mv(from: &str, to: &str) -> Move {
        Move {
            from: Period::parse(from).unwrap(),
            to: Period::parse(to).unwrap(),
            year_start: YearStart::default(),
            source: "content/x.md".into(),
        }
    }

    #[test]
    fn titles_follow_the_period_and_its_last_day() {
        let m = mv("2009/10 Q2", "2009/10 Q3");
        assert_eq!(
            move_title("IS Financial Position Statement to 30th September 2009", &m),
            "IS Financial Position Statement to 31st December 2009"
        );
        assert_eq!(
            move_title("Budget to 30 September 2009", &m),
            "Budget to 31 December 2009"
        );
        assert_eq!(
            move_title("Indicators, Q2 (2009/10 Q2)", &m),
            "Indicators, Q3 (2009/10 Q3)"
        );
        assert_eq!(
            move_title("Quarter 2 report, Q22", &m),
            "Quarter 3 report, Q22"
        );
        let y = mv("2009/10 Q4", "2010/11 Q1");
        assert_eq!(
            move_title("Plan 2009/10, to 31/03/2010", &y),
            "Plan 2010/11, to 30/06/2010"
        );
    }

    #[test]
    fn comments_of_an_earlier_run_are_replaced() {
        let text = "+++\nkind = \"page\"\ntitle = \"T\"\nperiod = \"2009/10 Q2\"\n# mine\n# new-period: old\ndraft = true\n+++\nBody\n";
        let once = scaffold(text, DocKind::Page, &mv("2009/10 Q2", "2009/10 Q3")).unwrap();
        let twice = scaffold(&once, DocKind::Page, &mv("2009/10 Q3", "2009/10 Q4")).unwrap();
        assert!(!once.contains("old") && once.contains("# mine\n"));
        assert_eq!(twice.matches(MARK).count(), once.matches(MARK).count());
        assert!(twice.contains("(2009/10 Q3)") && !twice.contains("(2009/10 Q2)"));
        assert!(twice.ends_with("+++\nBody\n"));
    }

    #[test]
    fn the_next_period_goes_to_another_meeting_from_the_same_author() {
        let text = "+++\nkind = \"page\"\ntitle = \"T\"\nperiod = \"2009/10 Q2\"\nmeeting = { body = \"Board\", date = 2009-11-30 }\ndated = 2009-11-20\nauthor = \"A\"\naddressee = \"Board\"\n+++\nBody\n";
        let out = scaffold(text, DocKind::Page, &mv("2009/10 Q2", "2009/10 Q3")).unwrap();
        assert!(
            !out.contains("meeting =") && !out.contains("dated ="),
            "{out}"
        );
        assert!(out.contains("author = \"A\"") && out.contains("addressee = \"Board\""));
    }

    #[test]
    fn windows_line_endings_stay() {
        let text =
            "+++\r\nkind = \"page\"\r\ntitle = \"T\"\r\nperiod = \"2009/10 Q2\"\r\n+++\r\nBody\r\n";
        let out = scaffold(text, DocKind::Page, &mv("2009/10 Q2", "2009/10 Q3")).unwrap();
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
    }
}
