//! Comparing a new output file with the old one a buffer at a time: reading an unchanged file
//! back costs far less than replacing it, and a large file is never read whole.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// Whether `path` is a regular file holding exactly `bytes`. Reading an unchanged file back
/// costs far less than replacing it.
pub(super) fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::File::open(path).is_ok_and(|file| same_reads(reader(file, m.len()), bytes))
        }
        _ => false,
    }
}

/// Whether `old` is a regular file with the same bytes as the file `new`.
pub(super) fn same_files(old: &Path, new: &Path) -> bool {
    let (Ok(o), Ok(n)) = (fs::symlink_metadata(old), fs::metadata(new)) else {
        return false;
    };
    if !o.is_file() || o.len() != n.len() {
        return false;
    }
    match (fs::File::open(old), fs::File::open(new)) {
        (Ok(a), Ok(b)) => same_reads(reader(a, o.len()), reader(b, n.len())),
        _ => false,
    }
}

/// A buffered reader for a file of `len` bytes: one read for most pages, and a bounded buffer
/// for a large file.
pub(super) fn reader(file: fs::File, len: u64) -> BufReader<fs::File> {
    let capacity = usize::try_from(len)
        .unwrap_or(usize::MAX)
        .clamp(1, 256 * 1024);
    BufReader::with_capacity(capacity, file)
}

/// Whether two readers give the same bytes, compared a buffer at a time so that a large file
/// is never read whole.
pub(super) fn same_reads(mut a: impl BufRead, mut b: impl BufRead) -> bool {
    loop {
        let n = match (a.fill_buf(), b.fill_buf()) {
            (Ok(x), Ok(y)) => {
                let n = x.len().min(y.len());
                if x[..n] != y[..n] {
                    return false;
                }
                if n == 0 {
                    return x.is_empty() && y.is_empty();
                }
                n
            }
            _ => return false,
        };
        a.consume(n);
        b.consume(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most three bytes a time, as a slow file might.
    struct Trickle<'a>(&'a [u8]);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(3).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn two_reads_match_only_when_every_byte_does() {
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let trickle = |b| BufReader::with_capacity(7, Trickle(b));
        assert!(same_reads(trickle(&big), &big[..]));
        assert!(same_reads(&big[..], trickle(&big)));
        assert!(same_reads(&b""[..], &b""[..]));
        assert!(
            !same_reads(&big[..], &big[..199_999]),
            "the first is longer"
        );
        assert!(
            !same_reads(trickle(&big[..70_000]), &big[..]),
            "the first is shorter"
        );
        let mut changed = big.clone();
        changed[150_000] ^= 1;
        assert!(!same_reads(trickle(&changed), &big[..]));
    }
}
