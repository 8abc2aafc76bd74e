use clap::Parser;

#[global_allocator]
static GLOBAL: Mimalloc = Mimalloc;

/// mimalloc, called as the system allocator is: `mi_malloc` where its guaranteed alignment
/// suffices (nearly every allocation), the aligned entry points only where it does not.
/// `mimalloc::MiMalloc` takes the aligned path for every call, whose extra checks were 3% of
/// the instructions of a chart's render (kube-prometheus-stack: 229.5 -> 222.5 million),
/// most of them in the template parser's many small nodes.
struct Mimalloc;

/// What every `mi_malloc` block is aligned to on every platform, whatever its size: a word
/// (more, up to the platform's `max_align_t`, depends on mimalloc's build; a larger alignment
/// takes the aligned entry points).
const MIMALLOC_ALIGNMENT: usize = std::mem::size_of::<usize>();

impl Mimalloc {
    fn plain(layout: std::alloc::Layout) -> bool {
        layout.align() <= MIMALLOC_ALIGNMENT
    }
}

// SAFETY: each method hands its arguments to the mimalloc function of the same contract:
// `mi_malloc`, `mi_zalloc` and `mi_realloc` only when `Mimalloc::plain` says their word
// alignment suffices, the `_aligned` entry points otherwise; every block, however
// allocated, is freed and resized by mimalloc.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        if Self::plain(layout) {
            libmimalloc_sys::mi_malloc(layout.size()).cast()
        } else {
            libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        if Self::plain(layout) {
            libmimalloc_sys::mi_zalloc(layout.size()).cast()
        } else {
            libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        if Self::plain(layout) {
            libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
        } else {
            libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        }
    }
}

fn main() -> std::process::ExitCode {
    kit::stack::use_large_stacks_for_rayon();
    kit::stack::run_program(run)
}

fn run() -> std::process::ExitCode {
    let cli = match kit::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap exits 0 for --help and --version and 2 for usage errors; `kit diff`
            // keeps 1 for "changes found" and 2 apart, so its usage errors exit 3.
            let code = e.exit_code();
            let diff = std::env::args_os().nth(1).is_some_and(|a| a == "diff");
            let code = if code != 0 && diff {
                kit::diag::ExitStatus::DIFF_ERROR as i32
            } else {
                code
            };
            return std::process::ExitCode::from(u8::try_from(code).unwrap_or(2));
        }
    };
    let status = kit::commands::run(cli);
    std::process::ExitCode::from(status as u8)
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};

    /// Every block is aligned as its layout asks, through allocation, zeroing and resizing,
    /// with several blocks of one size alive at once (blocks of a size class follow each
    /// other in a page, so a block aligned by chance is not the only one checked).
    #[test]
    fn blocks_are_aligned_as_asked() {
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..=130).chain([4095, 4096, 70_000]) {
                let layout = Layout::from_size_align(size, align).expect("layout");
                let grown = Layout::from_size_align(size * 3, align).expect("layout");
                let mut blocks = Vec::new();
                // SAFETY: non-zero sizes; each block is written within its size and freed
                // once, with the layout it was last allocated or resized with.
                unsafe {
                    for i in 0..8 {
                        let p = if i % 2 == 0 {
                            super::GLOBAL.alloc(layout)
                        } else {
                            super::GLOBAL.alloc_zeroed(layout)
                        };
                        assert!(
                            !p.is_null() && (p as usize).is_multiple_of(align),
                            "{size} at {align}"
                        );
                        if i % 2 == 1 {
                            assert!((0..size).all(|b| *p.add(b) == 0), "zeroed");
                        }
                        p.write_bytes(0xa5, size);
                        blocks.push(p);
                    }
                    for p in blocks {
                        let q = super::GLOBAL.realloc(p, layout, grown.size());
                        assert!(
                            !q.is_null() && (q as usize).is_multiple_of(align),
                            "{size}*3 at {align}"
                        );
                        assert_eq!(*q.add(size - 1), 0xa5, "contents kept");
                        super::GLOBAL.dealloc(q, grown);
                    }
                }
            }
        }
    }
}
