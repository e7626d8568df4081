//! The `gongkai` binary: parse the command line, run, print the error chain, exit.

use std::process::ExitCode;

use clap::Parser;

// A batch allocates and frees millions of small strings across threads; glibc's malloc spent
// about 15 % of an ingest's time (perf) and fragmented memory between chunks.
#[global_allocator]
static GLOBAL: Mimalloc = Mimalloc;

/// mimalloc, asked for plain blocks where their own alignment serves. `mimalloc::MiMalloc`
/// asks for every block through `mi_malloc_aligned`, whose fast path covers blocks of 1 KB at
/// most: a larger one (a report's stream, a row's readings) went through the generic path and
/// mostly through over-allocation, about 200 instructions each and 1.3 % of ingesting the 1k
/// text corpus (callgrind).
struct Mimalloc;

/// Whether a plain block of `size` bytes has the alignment `align`. mimalloc's blocks of more
/// than one word come in sizes of whole double words from 16-byte-aligned starts
/// (`MI_ALIGN2W`, since `MI_MAX_ALIGN_SIZE` is 16), so each is 16-byte aligned; a one-word
/// block is 8-byte aligned, enough for an alignment no larger than its size.
fn plain(align: usize, size: usize) -> bool {
    align <= 16 && align <= size
}

/// A block for `layout` (zeroed when `zero`).
///
/// # Safety
/// As [`std::alloc::GlobalAlloc::alloc`].
#[inline]
unsafe fn block(layout: std::alloc::Layout, zero: bool) -> *mut u8 {
    use libmimalloc_sys::{mi_malloc, mi_malloc_aligned, mi_zalloc, mi_zalloc_aligned};
    let (size, align) = (layout.size(), layout.align());
    // SAFETY: mimalloc's allocation functions take any size and any power-of-two alignment.
    unsafe {
        match (plain(align, size), zero) {
            (true, false) => mi_malloc(size),
            (true, true) => mi_zalloc(size),
            (false, false) => mi_malloc_aligned(size, align),
            (false, true) => mi_zalloc_aligned(size, align),
        }
        .cast()
    }
}

// SAFETY: every block comes from mimalloc and goes back to it: plain blocks only where
// `plain` says they are aligned as asked, and `mi_free` and `mi_realloc_aligned` take
// blocks of either kind.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `block`'s.
        unsafe { block(layout, false) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `block`'s.
        unsafe { block(layout, true) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` is a block this allocator returned (the trait's contract).
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        // SAFETY: `ptr` is a block this allocator returned; the new block is aligned as the
        // old one had to be (`plain`).
        unsafe {
            if plain(layout.align(), size) {
                mi_realloc(ptr.cast(), size).cast()
            } else {
                mi_realloc_aligned(ptr.cast(), size, layout.align()).cast()
            }
        }
    }
}

/// Transparent huge pages off for this process. mimalloc asks for them on the memory it maps,
/// and every first touch of a 2 MB page then zeroes all of it in the kernel: on 10,002 mixed
/// reports `gongkai run` spent about a fifth of its CPU in `clear_page_erms` (perf); with this
/// call its system time fell from 7.5–9.3 s to 2.4–3.1 s and its peak from 1.94 to 1.69–1.71
/// GB (2026-11-30). Only this process is affected; a failure leaves the system's setting.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and changes no memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    no_huge_pages();
    let code = run();
    end(code)
}

/// Ends a successful process without the allocator's exit-time collection: mimalloc frees
/// and hands back every page it holds (about 400 `madvise` calls at the end of `ingest` of
/// 10,002 text reports, 14 of the last 18 ms under `strace`, on one thread, while nothing
/// else runs) for a process the system takes back whole anyway. What was printed is flushed
/// first; nothing else here registers work for the exit. Other codes leave the usual way.
fn end(code: ExitCode) -> ExitCode {
    #[cfg(target_os = "linux")]
    if code == ExitCode::SUCCESS {
        use std::io::Write;
        if std::io::stdout().flush().is_ok() && std::io::stderr().flush().is_ok() {
            // SAFETY: `_exit` ends the process at once: no Rust code runs after it, and the
            // output streams were flushed above.
            unsafe { libc::_exit(0) }
        }
    }
    code
}

fn run() -> ExitCode {
    let cli = gongkai::cli::Cli::parse();
    gongkai::cli::init_logging(&cli);
    match gongkai::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`gongkai show x | head`) is not an error.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("gongkai: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            // A usage error was said as one; anything else failed the run itself.
            let usage = err
                .chain()
                .any(|e| e.downcast_ref::<gongkai::cli::Usage>().is_some());
            ExitCode::from(if usage {
                gongkai::cli::exit::USAGE
            } else {
                gongkai::cli::exit::RUNTIME
            })
        }
    }
}
