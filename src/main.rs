//! The `gongkai` binary: parse the command line, run, print the error chain, exit.

use std::process::ExitCode;

use clap::Parser;

// A batch allocates and frees millions of small strings across threads; glibc's malloc spent
// about 15 % of an ingest's time (perf) and fragmented memory between chunks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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
            ExitCode::from(gongkai::cli::exit::USAGE)
        }
    }
}
