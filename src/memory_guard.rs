//! A last resort for work whose allocations kit cannot meter. minijinja joins strings (`~`,
//! `+`, `format`) without a budget, so a Jinja template that doubles a string in a loop
//! would take all memory and be killed. While such work runs, a watcher thread reads the
//! process's resident memory every 20 ms; past [`MAX_RESIDENT_BYTES`] kit prints what was
//! running and exits with status 2 (a limit, reported as an input error). Linux only
//! (`/proc/self/status`); elsewhere the guard does nothing.

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Resident memory past which guarded work stops kit: far above what rendering a real
/// chart takes (tens of MiB), far below what a doubling string reaches a few steps later.
/// `KIT_MEMORY_GUARD_BYTES` sets another limit (for machines with less memory, and tests).
pub const MAX_RESIDENT_BYTES: u64 = 4 << 30;

fn limit() -> u64 {
    std::env::var("KIT_MEMORY_GUARD_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MAX_RESIDENT_BYTES)
}

/// What guarded work is running now, one entry per guard (several renders may run at once).
fn running() -> &'static Mutex<Vec<(u64, String)>> {
    static RUNNING: OnceLock<Mutex<Vec<(u64, String)>>> = OnceLock::new();
    RUNNING.get_or_init(|| Mutex::new(Vec::new()))
}

/// Guarded work; the guard ends when this is dropped.
pub struct Guard {
    id: u64,
}

/// Watches memory while the returned guard lives; `what` names the work in the message.
pub fn watch(what: impl Into<String>) -> Guard {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    static WATCHER: OnceLock<()> = OnceLock::new();
    WATCHER.get_or_init(|| {
        if resident_bytes().is_some() {
            let _ = std::thread::Builder::new()
                .name("kit-memory-guard".into())
                .spawn(watcher);
        }
    });
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if let Ok(mut list) = running().lock() {
        list.push((id, what.into()));
    }
    Guard { id }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Ok(mut list) = running().lock() {
            list.retain(|(id, _)| *id != self.id);
        }
    }
}

fn watcher() {
    let limit = limit();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let what = match running().lock() {
            Ok(list) => match list.last() {
                Some((_, what)) => what.clone(),
                None => continue,
            },
            Err(_) => return,
        };
        if resident_bytes().is_some_and(|rss| rss > limit) {
            // Another thread holds the render; this one can only report and end the process.
            let _ = writeln!(
                std::io::stderr(),
                "error: {what} took more than {} MiB of memory (kit's limit while rendering a template whose strings it cannot meter; KIT_MEMORY_GUARD_BYTES sets another): does a loop join a string to itself?",
                limit >> 20
            );
            std::process::exit(2);
        }
    }
}

/// The process's resident memory, from `/proc/self/status` (`VmRSS: N kB`).
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
