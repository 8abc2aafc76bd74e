//! Deep recursion on a stack of its own: kustomizations nest bases and templates nest
//! `include`s, and each level costs stack. Work that recurses over input runs on a thread with
//! a large stack (reserved, not committed, until used), so the depth limits of the recursion
//! are reached, with a clear error, long before the stack ends.

use crate::diag::{Diag, Result};

/// Stack for recursive work: 256 MiB of address space, of which only what is used is
/// committed. A base in a chain of kustomizations takes about 8 KiB (release build), so the
/// 1,000-level limit of [`crate::resolve::MAX_NESTING`] leaves a wide margin, debug builds
/// included.
pub const LARGE_STACK_BYTES: usize = 256 * 1024 * 1024;

thread_local! {
    /// Whether this thread was started with a [`LARGE_STACK_BYTES`] stack (the workers of the
    /// pool [`use_large_stacks_for_rayon`] sets up).
    static LARGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Makes rayon's global pool start its workers with [`LARGE_STACK_BYTES`] stacks, so that work
/// already on a worker runs in place: a worker must never wait on a thread of its own, as
/// that thread's parallel work would queue for the very workers that wait (a deadlock once
/// every worker waits). Call it once, before anything uses rayon; later calls do nothing.
pub fn use_large_stacks_for_rayon() {
    let built = rayon::ThreadPoolBuilder::new()
        .stack_size(LARGE_STACK_BYTES)
        .start_handler(|_| LARGE.with(|l| l.set(true)))
        .build_global();
    if built.is_ok() {
        POOL_HAS_LARGE_STACKS.store(true, std::sync::atomic::Ordering::Release);
    }
}

/// Whether [`use_large_stacks_for_rayon`] built the global pool.
static POOL_HAS_LARGE_STACKS: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Runs the whole program, `f`, on a thread with a [`LARGE_STACK_BYTES`] stack, so that the
/// recursive work in it runs in place rather than on a thread of its own: a new thread's first
/// allocations are fresh memory the kernel must zero (with transparent huge pages, 2 MiB at a
/// time), which cost more than the start of the thread. That thread is a worker of the pool
/// when [`use_large_stacks_for_rayon`] built it: the program's allocations then share the
/// worker's memory, and its parallel work runs on it and the other workers (a worker that waits
/// for parallel work takes part in it). Else it is a thread of its own; where no thread can be
/// started, `f` runs here (and recursive work then gets threads of its own). A panic in `f`
/// goes on here.
pub fn run_program<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if POOL_HAS_LARGE_STACKS.load(std::sync::atomic::Ordering::Acquire) {
        return rayon::scope(|_| f());
    }
    let mut program = Some(f);
    let slot = &mut program;
    let ran = std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("kit".to_string())
            .stack_size(LARGE_STACK_BYTES)
            .spawn_scoped(scope, move || {
                LARGE.with(|l| l.set(true));
                slot.take().map(|f| f())
            })
            .ok()?;
        handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    match (ran, program) {
        (Some(result), _) => result,
        // No thread could be started: the program runs here.
        (None, Some(f)) => f(),
        (None, None) => unreachable!("the program's thread took it and returned nothing"),
    }
}

/// Runs `f` with a [`LARGE_STACK_BYTES`] stack: in place on a thread that has one, else on a
/// thread named `name` that it waits for. A panic in `f` becomes an error naming `what` (it
/// is a bug in kit).
pub fn run_on_large_stack<T: Send>(
    name: &str,
    what: &str,
    f: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    let panicked = || Err(bug(what, "the input"));
    if LARGE.with(std::cell::Cell::get) {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|_| panicked());
    }
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name(name.to_string())
            .stack_size(LARGE_STACK_BYTES)
            .spawn_scoped(scope, f)
            .map_err(|e| {
                Diag::error(
                    "kit::internal::thread",
                    format!("cannot start a thread for {what}: {e}"),
                )
            })?
            .join()
            .unwrap_or_else(|_| panicked())
    })
}

/// The error for a panic in `what`: a bug in kit, to be reported with `subject`.
pub fn bug(what: &str, subject: &str) -> Diag {
    Diag::error(
        "kit::internal::panic",
        format!("{what} failed unexpectedly"),
    )
    .help(format!(
        "this is a bug in kit: please report it with {subject}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whichever thread runs the program (a worker of the pool when this test builds the global
    /// pool first, a thread of its own when another test already started it), it has a large
    /// stack and the recursive work stays on it.
    #[test]
    fn the_program_runs_on_a_large_stack_and_recursive_work_stays_on_it() {
        use_large_stacks_for_rayon();
        let threads = run_program(|| {
            let program = std::thread::current().id();
            let large = LARGE.with(std::cell::Cell::get);
            let worker = rayon::current_thread_index().is_some();
            let recursive =
                run_on_large_stack("kit-test", "a test", || Ok(std::thread::current().id()));
            (program, large, worker, recursive.ok())
        });
        assert_ne!(threads.0, std::thread::current().id());
        assert!(threads.1, "the program's thread has a large stack");
        assert_eq!(
            threads.2,
            POOL_HAS_LARGE_STACKS.load(std::sync::atomic::Ordering::Acquire),
            "the program runs in the pool exactly when the pool has large stacks"
        );
        assert_eq!(Some(threads.0), threads.3);
    }

    #[test]
    fn a_panic_in_the_program_goes_on_in_the_caller() {
        let caught = std::panic::catch_unwind(|| run_program(|| panic!("a bug")));
        assert!(caught.is_err());
    }
}
