//! A guard against libgit2 hanging. libgit2 1.9 loops forever when it inflates a truncated
//! loose object (libgit2 issue 7342, fixed upstream by pull request 7346 but not yet in a
//! libgit2-sys release), and nothing goalpost passes in can stop it. So every stretch of git
//! work holds a [`Busy`] token and marks progress with [`tick`] (each object read, each commit
//! walked); when git work is under way and no progress has been seen for the stall limit,
//! the handler installed by the command line runs: it reports the problem and exits 3.
//! Remove this module once libgit2-sys bundles the fix.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

/// How long one step of git work may take. A single object read or commit step takes
/// milliseconds; the slowest single libgit2 call goalpost makes (blame of a long-lived file)
/// takes seconds. `GOALPOST_GIT_STALL_SECS` overrides it (the tests use 1).
const DEFAULT_STALL: Duration = Duration::from_secs(60);

static BUSY: AtomicUsize = AtomicUsize::new(0);
/// Milliseconds since `epoch()` at the last sign of progress.
static LAST: AtomicU64 = AtomicU64::new(0);
static HANDLER: OnceLock<fn(Duration)> = OnceLock::new();
static START: Once = Once::new();

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_ms() -> u64 {
    u64::try_from(epoch().elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn stall_limit() -> Duration {
    std::env::var("GOALPOST_GIT_STALL_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|&s| s > 0)
        .map_or(DEFAULT_STALL, Duration::from_secs)
}

/// Installs what happens on a stall (called once by the command line). The handler gets
/// the stall limit and is expected not to return.
pub(crate) fn set_handler(handler: fn(Duration)) {
    let _ = HANDLER.set(handler);
}

/// Marks progress in git work.
pub(crate) fn tick() {
    LAST.store(now_ms(), Ordering::Relaxed);
}

/// Git work under way; dropping it ends that stretch.
pub(crate) struct Busy(());

impl Drop for Busy {
    fn drop(&mut self) {
        BUSY.fetch_sub(1, Ordering::SeqCst);
        tick();
    }
}

/// Starts a stretch of git work (and the watchdog thread, the first time).
pub(crate) fn busy() -> Busy {
    tick();
    BUSY.fetch_add(1, Ordering::SeqCst);
    START.call_once(|| {
        let limit = stall_limit();
        let limit_ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
        let spawned = std::thread::Builder::new()
            .name("git-watchdog".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(limit / 4);
                    let quiet = now_ms().saturating_sub(LAST.load(Ordering::Relaxed));
                    if BUSY.load(Ordering::SeqCst) > 0
                        && quiet > limit_ms
                        && let Some(handler) = HANDLER.get()
                    {
                        handler(limit);
                    }
                }
            });
        // Without the thread goalpost still works; it only loses the guard.
        drop(spawned);
    });
    Busy(())
}
