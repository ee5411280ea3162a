// mimalloc, not the system allocator: see Cargo.toml and BENCHMARKS.md ("The allocator").
// The library leaves the choice to the program that links it (its tests use the system's).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(goalpost::run())
}
