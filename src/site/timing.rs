//! Phase timings for profiling builds and rebuilds: printed to stderr when the environment
//! variable `BOARDPACK_TIMINGS` is set, and free otherwise.

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
                "timing: {:<24} {:>9.2} ms",
                self.name,
                s.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}
