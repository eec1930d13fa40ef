//! The pack as the typst template reads it: typed blocks of text, written out as JSON. Every
//! string is data, typeset as text, so nothing here is ever markup.

use serde::Serialize;

/// One meeting's board pack.
#[derive(Debug, Serialize)]
pub(super) struct Pack {
    /// The PDF's title: "Board pack: 2009/10 Quarter 2".
    pub title: String,
    pub organisation: String,
    /// Who meets: the papers' meeting body, else the site's title.
    pub body: String,
    /// The cover's title and the lines under it: the meeting, the period.
    pub cover_title: String,
    pub cover_lines: Vec<String>,
    pub cover_note: String,
    /// Draft and exempt notices on the cover.
    pub status: Vec<Notice>,
    /// The running header: body, meeting and date.
    pub header: String,
    pub footer: String,
    /// A strip on every page of a members' copy with exempt material.
    pub strip: Option<String>,
    pub watermark: String,
    /// The document's date: the meeting's, else the period's end.
    pub date: Option<Ymd>,
    pub lang: String,
    pub region: Option<String>,
    pub summary: Option<Section>,
    pub items: Vec<Item>,
}

#[derive(Debug, Serialize)]
pub(super) struct Ymd {
    pub year: i16,
    pub month: i8,
    pub day: i8,
}

#[derive(Debug, Serialize)]
pub(super) struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// One agenda item: a report.
#[derive(Debug, Serialize)]
pub(super) struct Item {
    pub number: String,
    pub title: String,
    pub kind_label: String,
    pub draft: bool,
    /// Set on landscape pages: a table too wide for a portrait page (a budget statement
    /// with every column).
    pub landscape: bool,
    pub banners: Vec<Notice>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct Notice {
    pub title: Option<String>,
    pub s: String,
    pub tone: Option<Tone>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Tone {
    Red,
    Amber,
    Green,
    Grey,
}

#[derive(Debug, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub(super) enum Block {
    Heading {
        level: u8,
        s: String,
    },
    Para {
        c: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote {
        c: Vec<Block>,
    },
    Code {
        s: String,
    },
    Rule,
    Table(Table),
    /// Label and value pairs: lead, status, progress.
    Facts {
        rows: Vec<(String, Cell)>,
    },
    Notice(Notice),
    Chart {
        title: String,
        alt: String,
        svg: String,
        data: Table,
    },
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub(super) enum Inline {
    Text {
        s: String,
    },
    Strong {
        c: Vec<Inline>,
    },
    Emph {
        c: Vec<Inline>,
    },
    Strike {
        c: Vec<Inline>,
    },
    Code {
        s: String,
    },
    Break,
    /// `url` is none where the link has nowhere to go from a printed page.
    Link {
        url: Option<String>,
        c: Vec<Inline>,
    },
}

#[derive(Debug, Default, Serialize)]
pub(super) struct Table {
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Serialize)]
pub(super) struct Column {
    pub title: String,
    pub numeric: bool,
    /// Takes the width the other columns leave: the column a reader reads along.
    pub fill: bool,
}

impl Column {
    pub fn text(title: &str) -> Self {
        Column {
            title: title.into(),
            numeric: false,
            fill: false,
        }
    }

    /// The table's main column of text: an activity, a budget line, a risk.
    pub fn main(title: &str) -> Self {
        Column {
            fill: true,
            ..Column::text(title)
        }
    }

    pub fn number(title: &str) -> Self {
        Column {
            numeric: true,
            ..Column::text(title)
        }
    }
}

/// A table row; `kind` is `body`, `group`, `subtotal` or `total`, which the template sets in
/// bold (and shades) where the paper would.
#[derive(Debug, Serialize)]
pub(super) struct Row {
    pub kind: &'static str,
    pub depth: u8,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn body(cells: Vec<Cell>) -> Self {
        Row {
            kind: "body",
            depth: 0,
            cells,
        }
    }
}

/// A cell: text, or a status in words with the colour that repeats it.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(super) enum Cell {
    Text(String),
    Tagged {
        s: String,
        tone: Option<Tone>,
    },
    /// Markdown text (a risk update, a note): its runs, paragraphs kept apart.
    Rich {
        c: Vec<Inline>,
    },
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}
