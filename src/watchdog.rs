//! A last resort for work kit cannot meter from inside. minijinja joins strings (`~`, `+`,
//! `format`) without a budget, so a Jinja template that doubles a string in a loop would
//! take all memory; the JSON Schema validator of `values.schema.json` explores every branch
//! of nested `anyOf`s, so a schema that fans out 2^30 ways would run for days. While such
//! work runs, a watcher thread checks every 20 ms the process's resident memory (Linux:
//! `/proc/self/status`) and how long the work has run; past [`MAX_RESIDENT_BYTES`] or the
//! work's deadline kit prints what was running and exits with status 2 (a limit, reported
//! as an input error). The work itself cannot be stopped from another thread; ending the
//! process is the only clean way out.

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Resident memory past which guarded work stops kit: far above what rendering a real
/// chart takes (tens of MiB), far below what a doubling string reaches a few steps later.
/// `KIT_MEMORY_GUARD_BYTES` sets another limit (for machines with less memory, and tests).
pub const MAX_RESIDENT_BYTES: u64 = 4 << 30;

fn memory_limit() -> u64 {
    std::env::var("KIT_MEMORY_GUARD_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MAX_RESIDENT_BYTES)
}

struct Watched {
    id: u64,
    what: String,
    /// What the input likely does, for the message.
    hint: &'static str,
    started: Instant,
    deadline: Option<Duration>,
}

/// What guarded work is running now (several renders may run at once).
fn running() -> &'static Mutex<Vec<Watched>> {
    static RUNNING: OnceLock<Mutex<Vec<Watched>>> = OnceLock::new();
    RUNNING.get_or_init(|| Mutex::new(Vec::new()))
}

/// Guarded work; the guard ends when this is dropped.
pub struct Guard {
    id: u64,
}

/// Watches memory while the returned guard lives; `what` names the work in the message,
/// `hint` says what in the input likely causes it.
pub fn watch(what: impl Into<String>, hint: &'static str) -> Guard {
    start(what.into(), hint, None)
}

/// Watches memory and time while the returned guard lives: past `deadline` kit stops.
pub fn watch_with_deadline(
    what: impl Into<String>,
    hint: &'static str,
    deadline: Duration,
) -> Guard {
    start(what.into(), hint, Some(deadline))
}

fn start(what: String, hint: &'static str, deadline: Option<Duration>) -> Guard {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    static WATCHER: OnceLock<()> = OnceLock::new();
    WATCHER.get_or_init(|| {
        let _ = std::thread::Builder::new()
            .name("kit-watchdog".into())
            .spawn(watcher);
    });
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if let Ok(mut list) = running().lock() {
        list.push(Watched {
            id,
            what,
            hint,
            started: Instant::now(),
            deadline,
        });
    }
    Guard { id }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Ok(mut list) = running().lock() {
            list.retain(|w| w.id != self.id);
        }
    }
}

fn watcher() {
    let limit = memory_limit();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let Ok(list) = running().lock() else {
            return;
        };
        let Some(newest) = list.last() else {
            continue;
        };
        let late = list.iter().find(|w| {
            w.deadline
                .is_some_and(|deadline| w.started.elapsed() > deadline)
        });
        let message = if let Some(w) = late {
            format!(
                "error: {} ran longer than {} s (kit's limit for it): {}",
                w.what,
                w.deadline.map_or(0, |d| d.as_secs()),
                w.hint
            )
        } else if resident_bytes().is_some_and(|rss| rss > limit) {
            format!(
                "error: {} took more than {} MiB of memory (kit's limit for work it cannot meter from inside; KIT_MEMORY_GUARD_BYTES sets another): {}",
                newest.what,
                limit >> 20,
                newest.hint
            )
        } else {
            continue;
        };
        // Another thread holds the work; this one can only report and end the process.
        let _ = writeln!(std::io::stderr(), "{message}");
        std::process::exit(2);
    }
}

/// The process's resident memory, from `/proc/self/status` (`VmRSS: N kB`); `None` where
/// there is no such file.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
