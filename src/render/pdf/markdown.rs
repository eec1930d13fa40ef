//! Markdown bodies as the pack's blocks: paragraphs, headings, lists, quotes, code and tables,
//! with their text as data. Raw HTML is left out, as the site leaves it out unless trusted;
//! an image prints its text alternative; and a link keeps its target only where a printed
//! page can reach it, so no link path is printed and nothing in a body is typeset as markup.

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::model::{Block, Cell, Column, Inline, Row, Table};

/// The blocks of `md`, its highest heading at level `top` and the others below it as the body
/// has them. Links to the site are made absolute against `base_url` when it has a host, and
/// left as text when it has none.
pub(super) fn blocks(md: &str, top: u8, base_url: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let highest = Parser::new_ext(md, options)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level_number(level)),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut b = Builder {
        base_url,
        below: top.saturating_sub(highest),
        stack: vec![Frame::blocks(Holder::Root)],
    };
    for event in Parser::new_ext(md, options) {
        b.event(event);
    }
    while b.stack.len() > 1 {
        b.close();
    }
    match b.stack.pop() {
        Some(Frame::Blocks { blocks, loose, .. }) => with_loose(blocks, loose),
        _ => Vec::new(),
    }
}

/// What a frame of blocks belongs to.
enum Holder {
    Root,
    Item,
    Quote,
}

/// What an inline frame becomes.
enum Span {
    Para,
    Heading(u8),
    Strong,
    Emph,
    Strike,
    Link(Option<String>),
    Image,
    Cell,
}

enum Frame {
    Blocks {
        holder: Holder,
        blocks: Vec<Block>,
        /// A tight list item's text, which comes with no paragraph around it.
        loose: Vec<Inline>,
    },
    Inlines(Span, Vec<Inline>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Code(String),
    Table {
        numeric: Vec<bool>,
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        in_head: bool,
    },
}

impl Frame {
    fn blocks(holder: Holder) -> Self {
        Frame::Blocks {
            holder,
            blocks: Vec::new(),
            loose: Vec::new(),
        }
    }
}

fn with_loose(mut blocks: Vec<Block>, loose: Vec<Inline>) -> Vec<Block> {
    if !loose.is_empty() {
        blocks.push(Block::Para { c: loose });
    }
    blocks
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A Markdown field (a risk update, a note, a comment) as one run of text for a table cell
/// or a fact: its paragraphs and list items kept apart by line breaks, its raw HTML left out
/// as the pages leave it out. Links keep a target only where they have a scheme.
pub(super) fn runs(md: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    flatten(&blocks(md, 2, ""), &mut out, "");
    while matches!(out.last(), Some(Inline::Break)) {
        out.pop();
    }
    out
}

fn flatten(blocks: &[Block], out: &mut Vec<Inline>, bullet: &str) {
    for b in blocks {
        match b {
            Block::Para { c } => {
                if !bullet.is_empty() {
                    out.push(Inline::Text { s: bullet.into() });
                }
                out.extend(c.iter().cloned());
                out.push(Inline::Break);
            }
            Block::Heading { s, .. } => {
                out.push(Inline::Strong {
                    c: vec![Inline::Text { s: s.clone() }],
                });
                out.push(Inline::Break);
            }
            Block::List { items, .. } => {
                for i in items {
                    flatten(i, out, "• ");
                }
            }
            Block::Quote { c } => flatten(c, out, bullet),
            Block::Code { s } => {
                out.push(Inline::Code { s: s.clone() });
                out.push(Inline::Break);
            }
            Block::Table(t) => {
                for r in &t.rows {
                    let cells: Vec<String> = r
                        .cells
                        .iter()
                        .map(|c| match c {
                            Cell::Text(s) | Cell::Tagged { s, .. } => s.clone(),
                            Cell::Rich { c } => plain(c),
                        })
                        .collect();
                    out.push(Inline::Text {
                        s: cells.join(" | "),
                    });
                    out.push(Inline::Break);
                }
            }
            _ => {}
        }
    }
}

/// The plain text of some inlines, for table cells and headings.
pub(super) fn plain(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text { s: t } | Inline::Code { s: t } => s.push_str(t),
            Inline::Break => s.push(' '),
            Inline::Strong { c }
            | Inline::Emph { c }
            | Inline::Strike { c }
            | Inline::Link { c, .. } => s.push_str(&plain(c)),
        }
    }
    s
}

struct Builder<'a> {
    base_url: &'a str,
    below: u8,
    stack: Vec<Frame>,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(TagEnd::TableHead) => {
                if let Some(Frame::Table { in_head, .. }) = self.stack.last_mut() {
                    *in_head = false;
                }
            }
            // Rows open no frame: cells go to the table's last row.
            Event::End(TagEnd::TableRow | TagEnd::HtmlBlock) => {}
            Event::End(_) => self.close(),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => self.inline(Inline::Code { s: t.to_string() }),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.inline(Inline::Break),
            Event::Rule => self.block(Block::Rule),
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let frame = match tag {
            Tag::Paragraph => Frame::Inlines(Span::Para, Vec::new()),
            Tag::Heading { level, .. } => {
                let level = (level_number(level) + self.below).clamp(1, 6);
                Frame::Inlines(Span::Heading(level), Vec::new())
            }
            Tag::BlockQuote(_) => Frame::blocks(Holder::Quote),
            Tag::CodeBlock(_) => Frame::Code(String::new()),
            Tag::List(start) => Frame::List {
                start,
                items: Vec::new(),
            },
            Tag::Item => Frame::blocks(Holder::Item),
            Tag::Emphasis => Frame::Inlines(Span::Emph, Vec::new()),
            Tag::Strong => Frame::Inlines(Span::Strong, Vec::new()),
            Tag::Strikethrough => Frame::Inlines(Span::Strike, Vec::new()),
            Tag::Link { dest_url, .. } => {
                Frame::Inlines(Span::Link(self.target(&dest_url)), Vec::new())
            }
            Tag::Image { .. } => Frame::Inlines(Span::Image, Vec::new()),
            Tag::Table(aligns) => Frame::Table {
                numeric: aligns.iter().map(|a| *a == Alignment::Right).collect(),
                head: Vec::new(),
                rows: Vec::new(),
                in_head: true,
            },
            Tag::TableRow => {
                if let Some(Frame::Table { rows, .. }) = self.stack.last_mut() {
                    rows.push(Vec::new());
                }
                return;
            }
            Tag::TableCell => Frame::Inlines(Span::Cell, Vec::new()),
            Tag::TableHead | Tag::HtmlBlock => return,
            // Footnote definitions, definition lists, metadata: their text, as a quote.
            _ => Frame::blocks(Holder::Quote),
        };
        self.stack.push(frame);
    }

    /// Where a link goes from a printed page: anywhere with a scheme, and the site's own
    /// pages when the site has an absolute address. A relative path goes nowhere on paper.
    fn target(&self, dest: &str) -> Option<String> {
        let has_scheme = dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+')
        });
        if has_scheme {
            return Some(dest.to_string());
        }
        let absolute_base =
            self.base_url.starts_with("https://") || self.base_url.starts_with("http://");
        match dest.strip_prefix('/') {
            Some(rest) if absolute_base && !rest.starts_with('/') => {
                Some(format!("{}/{rest}", self.base_url.trim_end_matches('/')))
            }
            _ => None,
        }
    }

    fn text(&mut self, t: &str) {
        if let Some(Frame::Code(s)) = self.stack.last_mut() {
            s.push_str(t);
        } else {
            self.inline(Inline::Text { s: t.to_string() });
        }
    }

    fn inline(&mut self, i: Inline) {
        match self.stack.last_mut() {
            Some(Frame::Inlines(_, c)) => c.push(i),
            Some(Frame::Blocks { loose, .. }) => loose.push(i),
            Some(Frame::Code(s)) => s.push_str(&plain(&[i])),
            _ => {}
        }
    }

    fn block(&mut self, b: Block) {
        if let Some(Frame::Blocks { blocks, loose, .. }) = self.stack.last_mut() {
            if !loose.is_empty() {
                blocks.push(Block::Para {
                    c: std::mem::take(loose),
                });
            }
            blocks.push(b);
        }
    }

    /// End the innermost frame and hand what it made to the one around it.
    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Inlines(span, c) => match span {
                Span::Para => self.block(Block::Para { c }),
                Span::Heading(level) => self.block(Block::Heading {
                    level,
                    s: plain(&c),
                }),
                Span::Strong => self.inline(Inline::Strong { c }),
                Span::Emph => self.inline(Inline::Emph { c }),
                Span::Strike => self.inline(Inline::Strike { c }),
                Span::Link(url) => self.inline(Inline::Link { url, c }),
                Span::Image => self.inline(Inline::Text {
                    s: format!("[Image: {}]", plain(&c)),
                }),
                Span::Cell => {
                    if let Some(Frame::Table {
                        head,
                        rows,
                        in_head,
                        ..
                    }) = self.stack.last_mut()
                    {
                        if *in_head {
                            head.push(plain(&c));
                        } else if let Some(row) = rows.last_mut() {
                            row.push(plain(&c));
                        }
                    }
                }
            },
            Frame::Blocks {
                holder,
                blocks,
                loose,
            } => {
                let blocks = with_loose(blocks, loose);
                match holder {
                    Holder::Item => {
                        if let Some(Frame::List { items, .. }) = self.stack.last_mut() {
                            items.push(blocks);
                        }
                    }
                    Holder::Quote => self.block(Block::Quote { c: blocks }),
                    // The root is never popped by close().
                    Holder::Root => self.stack.push(Frame::Blocks {
                        holder,
                        blocks,
                        loose: Vec::new(),
                    }),
                }
            }
            Frame::List { start, items } => self.block(Block::List {
                ordered: start.is_some(),
                start: start.unwrap_or(1),
                items,
            }),
            Frame::Code(s) => self.block(Block::Code { s }),
            Frame::Table {
                numeric,
                head,
                rows,
                ..
            } => {
                let columns = head
                    .iter()
                    .enumerate()
                    .map(|(i, h)| Column {
                        title: h.clone(),
                        numeric: numeric.get(i).copied().unwrap_or(false),
                        fill: false,
                    })
                    .collect();
                let rows = rows
                    .into_iter()
                    .map(|r| Row::body(r.into_iter().map(Cell::Text).collect()))
                    .collect();
                self.block(Block::Table(Table {
                    caption: String::new(),
                    columns,
                    rows,
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(md: &str) -> serde_json::Value {
        serde_json::to_value(blocks(md, 2, "https://example.org/board/")).unwrap()
    }

    #[test]
    fn paragraphs_headings_and_lists_keep_their_text() {
        let v = json("## Title\n\nSome *emphasis* and **strong**.\n\n- one\n- two\n");
        assert_eq!(
            v[0],
            serde_json::json!({"t": "heading", "level": 2, "s": "Title"})
        );
        assert_eq!(v[1]["c"][1]["t"], "emph");
        assert_eq!(v[2]["t"], "list");
        assert_eq!(v[2]["items"][1][0]["c"][0]["s"], "two");
    }

    #[test]
    fn links_print_no_path_and_reach_only_what_paper_can() {
        let v = json("[a](/pages/x/) [b](../x/) [c](https://gov.uk/) [d](#top)");
        let c = &v[0]["c"];
        assert_eq!(c[0]["url"], "https://example.org/board/pages/x/");
        assert_eq!(c[2]["url"], serde_json::Value::Null);
        assert_eq!(c[4]["url"], "https://gov.uk/");
        assert_eq!(c[6]["url"], serde_json::Value::Null);
        let relative = serde_json::to_value(blocks("[a](/pages/x/)", 2, "/")).unwrap();
        assert_eq!(relative[0]["c"][0]["url"], serde_json::Value::Null);
    }

    #[test]
    fn raw_html_is_left_out_and_images_give_their_alt_text() {
        let v = json("<script>alert(1)</script>\n\n![A chart of spend](x.png) <b>bold</b>");
        let text = v.to_string();
        assert!(!text.contains("alert"), "{text}");
        assert!(text.contains("[Image: A chart of spend]"), "{text}");
    }

    #[test]
    fn a_field_is_one_run_with_its_html_left_out() {
        let v =
            serde_json::to_value(runs("Done <script>x()</script> now.\n\n- one\n- two")).unwrap();
        let text = v.to_string();
        assert!(!text.contains("script"), "{text}");
        assert!(text.contains("• "), "{text}");
        assert_eq!(v[0]["s"], "Done ");
    }

    #[test]
    fn tables_keep_header_and_alignment() {
        let v = json("| Item | £ |\n| --- | ---: |\n| Staff | 1,200 |\n");
        assert_eq!(v[0]["columns"][1]["numeric"], true);
        assert_eq!(v[0]["rows"][0]["cells"][1], "1,200");
    }
}
