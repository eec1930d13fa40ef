//! Phase timings for profiling builds and rebuilds: printed to stderr when the environment
//! variable `BOARDPACK_TIMINGS` is set, and free otherwise. On Linux each line also gives the
//! resident memory at the end of the phase, to show which phase holds what.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("BOARDPACK_TIMINGS").is_some())
}

/// Times one phase; prints its name and duration when dropped.
pub struct Phase {
    name: &'static str,
    started: Option<Instant>,
}

pub fn phase(name: &'static str) -> Phase {
    Phase {
        name,
        started: enabled().then(Instant::now),
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some(s) = self.started {
            eprintln!(
                "timing: {:<24} {:>9.2} ms {}",
                self.name,
                s.elapsed().as_secs_f64() * 1000.0,
                resident().map_or(String::new(), |mib| format!("{mib:>7} MiB resident")),
            );
        }
    }
}

/// Resident memory in MiB, from `/proc/self/statm` (pages of 4 KiB).
fn resident() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4 / 1024)
}
