//! A scratch file of records appended during a build and read back at its end, so that what a
//! large build makes page by page (the search index's entries) is not held in memory.

use std::fs;
use std::io::Write;
use std::sync::Mutex;

/// Records appended from many threads to a scratch file, each read back later by the
/// [`Record`] its append returned: what a build makes page by page but writes only at the end
/// (the search index's entries), kept on disk instead of in memory.
pub struct Spill {
    file: Mutex<(std::io::BufWriter<fs::File>, u64)>,
}

/// Where one record of a [`Spill`] is: offset and length.
pub type Record = (u64, usize);

impl Spill {
    pub fn new(file: fs::File) -> Self {
        Spill {
            file: Mutex::new((std::io::BufWriter::new(file), 0)),
        }
    }

    pub fn push(&self, bytes: &[u8]) -> std::io::Result<Record> {
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let (file, len) = &mut *guard;
        file.write_all(bytes)?;
        let at = *len;
        *len += bytes.len() as u64;
        Ok((at, bytes.len()))
    }

    /// Every record is in; read them back.
    pub fn finish(self) -> std::io::Result<SpillReader> {
        let (file, _) = self.file.into_inner().unwrap_or_else(|e| e.into_inner());
        Ok(SpillReader {
            file: file.into_inner().map_err(|e| e.into_error())?,
        })
    }
}

pub struct SpillReader {
    file: fs::File,
}

impl SpillReader {
    pub fn get(&mut self, (at, len): Record) -> std::io::Result<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        self.file.seek(SeekFrom::Start(at))?;
        let mut bytes = vec![0; len];
        self.file.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_records_read_back_in_any_order() {
        let spill = Spill::new(tempfile::tempfile().unwrap());
        let records: Vec<Record> = ["one", "", "three", "four"]
            .iter()
            .map(|r| spill.push(r.as_bytes()).unwrap())
            .collect();
        let mut back = spill.finish().unwrap();
        for (i, text) in [(2, "three"), (0, "one"), (3, "four"), (1, "")] {
            assert_eq!(back.get(records[i]).unwrap(), text.as_bytes());
        }
    }
}
