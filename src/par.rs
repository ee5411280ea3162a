//! Work shared among the cores: a list of jobs, each thread (this one among them) taking the
//! next job nobody has taken, the results put back in job order. Taking jobs in turn rather
//! than a fixed share keeps every thread busy when one job is slow or a thread is
//! descheduled, and a thread that cannot be started leaves its share to the others.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The stack of a thread that parses or validates (the parser recurses, bounded by the
/// nesting limit).
pub(crate) const STACK: usize = 16 * 1024 * 1024;

/// The threads to use: one per core this process may run on, at most 16.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(16)
}

/// `items` cut into at most `n` runs of consecutive items, of nearly equal length.
pub(crate) fn runs<T>(items: Vec<T>, n: usize) -> Vec<Vec<T>> {
    let per = items.len().div_ceil(n.max(1)).max(1);
    let mut runs = Vec::with_capacity(n);
    let mut items = items.into_iter();
    loop {
        let run: Vec<T> = items.by_ref().take(per).collect();
        if run.is_empty() {
            return runs;
        }
        runs.push(run);
    }
}

/// `f` of each of `jobs` on `threads` threads: the results in job order.
pub(crate) fn map<T: Send, U: Send>(
    jobs: Vec<T>,
    threads: usize,
    f: impl Fn(T) -> U + Sync,
) -> Vec<U> {
    map_until(jobs, threads, |job| (f(job), false))
        .into_iter()
        .flatten()
        .collect()
}

/// [`map`] where `f` also says whether to stop: once it has, no thread takes another job
/// (those already taken are finished). The results in job order, `None` for a job nobody
/// took. Jobs are taken in order, so those done are always the first ones and a few more. A
/// panic in a thread is resumed here.
pub(crate) fn map_until<T: Send, U: Send>(
    jobs: Vec<T>,
    threads: usize,
    f: impl Fn(T) -> (U, bool) + Sync,
) -> Vec<Option<U>> {
    let n = jobs.len();
    let jobs: Vec<Mutex<Option<T>>> = jobs.into_iter().map(|j| Mutex::new(Some(j))).collect();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let work = || {
        let mut done = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = jobs.get(i) else {
                break;
            };
            let Some(job) = slot.lock().unwrap_or_else(|p| p.into_inner()).take() else {
                continue;
            };
            let (out, halt) = f(job);
            if halt {
                stop.store(true, Ordering::Relaxed);
            }
            done.push((i, out));
        }
        done
    };
    let done = if threads <= 1 || n <= 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (1..threads.min(n))
                .filter_map(|_| {
                    std::thread::Builder::new()
                        .stack_size(STACK)
                        .spawn_scoped(scope, work)
                        .ok()
                })
                .collect();
            // This thread works too (with its own, main-thread stack).
            let mut done = work();
            for h in handles {
                done.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
            done
        })
    };
    let mut out: Vec<Option<U>> = std::iter::repeat_with(|| None).take(n).collect();
    for (i, u) in done {
        out[i] = Some(u);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_job_order_on_any_number_of_threads() {
        for threads in [1, 2, 3, 16] {
            let jobs: Vec<u64> = (0..1000).collect();
            assert_eq!(
                map(jobs.clone(), threads, |x| x * x),
                jobs.iter().map(|x| x * x).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn runs_keep_every_item_in_order() {
        for (len, n) in [(0, 3), (1, 3), (10, 3), (9, 3), (7, 16), (100, 1)] {
            let r = runs((0..len).collect::<Vec<u32>>(), n);
            assert!(r.len() <= n.max(1) && r.iter().all(|x| !x.is_empty()));
            assert_eq!(r.concat(), (0..len).collect::<Vec<u32>>());
        }
    }

    #[test]
    fn a_stop_leaves_a_prefix_done() {
        for threads in [1, 2, 4] {
            let out = map_until((0..500).collect::<Vec<u32>>(), threads, |x| (x, x == 100));
            let done = out.iter().take_while(|o| o.is_some()).count();
            assert!(
                done > 100,
                "{threads} threads: the job that stopped and those before it are done"
            );
            assert!(out[..=100].iter().all(Option::is_some));
            assert!(
                out.iter().skip(done).all(Option::is_none),
                "nothing after the first gap"
            );
            if threads == 1 {
                assert_eq!(done, 101);
            }
        }
    }
}
