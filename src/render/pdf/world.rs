//! The one world a board pack is typeset in: the pack's template and its data, the fonts that
//! ship with typst, and nothing from the disk, the network or the clock.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The pack's typst source: every word it prints comes from [`DATA_PATH`], never from markup.
const TEMPLATE: &str = include_str!("board-pack.typ");
const TEMPLATE_PATH: &str = "/board-pack.typ";
/// Where the template finds the pack, as JSON.
const DATA_PATH: &str = "/pack.json";

/// The fonts typst ships (Libertinus Serif for text, DejaVu Sans Mono for code), read once:
/// output then never depends on what is installed on the machine.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

fn file_id(path: &str) -> FileId {
    // Both paths are constants that VirtualPath accepts; a failure would be a typo here.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable!("bad constant path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One pack's world.
pub(super) struct PackWorld {
    main: Source,
    data: Bytes,
}

impl PackWorld {
    pub(super) fn new(data: Vec<u8>) -> Self {
        Self {
            main: Source::new(file_id(TEMPLATE_PATH), TEMPLATE.to_string()),
            data: Bytes::new(data),
        }
    }
}

impl World for PackWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == file_id(DATA_PATH) {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    /// No clock: the same content always typesets the same pack.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
