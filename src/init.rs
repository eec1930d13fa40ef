//! `boardpack init`: scaffold a working site with one report of each main kind.

use std::path::{Path, PathBuf};

use crate::error::Error;

pub fn init(_dir: &Path) -> Result<Vec<PathBuf>, Error> {
    Ok(Vec::new())
}
