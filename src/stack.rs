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

/// Runs `f` on a thread named `name` with a [`LARGE_STACK_BYTES`] stack and waits for it. A
/// panic in `f` becomes an error naming `what` (it is a bug in kit).
pub fn run_on_large_stack<T: Send>(
    name: &str,
    what: &str,
    f: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
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
            .unwrap_or_else(|_| {
                Err(Diag::error(
                    "kit::internal::panic",
                    format!("{what} failed unexpectedly"),
                )
                .help("this is a bug in kit: please report it with the input"))
            })
    })
}
