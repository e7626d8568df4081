//! The `gongkai` binary: parse the command line, run, print the error chain, exit.

use std::process::ExitCode;

use clap::Parser;

// A batch allocates and frees millions of small strings across threads; glibc's malloc spent
// about 15 % of an ingest's time (perf) and fragmented memory between chunks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
