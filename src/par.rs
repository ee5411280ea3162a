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
            let handles = helpers(scope, threads.min(n) - 1, &work);
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

/// `f` of each of `jobs` on `threads` threads, each result handed to `take` on this thread
/// in job order as soon as it and those before it are done. At most `window` jobs are taken
/// ahead of the first result not yet handed over, so at most that many results are held at
/// once, and no thread waits for the slowest of a round. `take`'s first error stops the
/// threads (jobs already taken are finished) and is returned; so is `f`'s.
pub(crate) fn ordered<T: Send, U: Send, E: Send>(
    jobs: Vec<T>,
    threads: usize,
    window: usize,
    f: impl Fn(T) -> Result<U, E> + Sync,
    mut take: impl FnMut(U) -> Result<(), E>,
) -> Result<(), E> {
    let window = window.max(1);
    if threads <= 1 || jobs.len() <= 1 {
        for job in jobs {
            take(f(job)?)?;
        }
        return Ok(());
    }
    let n = jobs.len();
    struct State<T, U, E> {
        /// The jobs not taken yet, in order; the next one is job `next`.
        jobs: std::vec::IntoIter<T>,
        next: usize,
        /// Results by job index, not yet handed over.
        done: std::collections::BTreeMap<usize, Result<U, E>>,
        /// The first job whose result is not handed over yet.
        handed: usize,
        stop: bool,
        /// A panic of `f` on another thread, resumed on this one.
        panic: Option<Box<dyn std::any::Any + Send>>,
    }
    let state = Mutex::new(State::<T, U, E> {
        jobs: jobs.into_iter(),
        next: 0,
        done: std::collections::BTreeMap::new(),
        handed: 0,
        stop: false,
        panic: None,
    });
    let changed = std::sync::Condvar::new();
    let lock = || state.lock().unwrap_or_else(|p| p.into_inner());
    // A job to do, when one may be taken now: `None` to wait (or, once every job is taken
    // or the run stops, to end).
    let claim = |s: &mut State<T, U, E>| -> Option<(usize, T)> {
        if s.stop || s.next >= s.handed + window {
            return None;
        }
        let job = s.jobs.next()?;
        s.next += 1;
        Some((s.next - 1, job))
    };
    let worker = || {
        let mut s = lock();
        loop {
            if s.stop || s.next >= n {
                return;
            }
            match claim(&mut s) {
                Some((i, job)) => {
                    drop(s);
                    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(job)));
                    s = lock();
                    match out {
                        Ok(out) => {
                            s.done.insert(i, out);
                        }
                        // The job's result will never come: the run ends, and this thread's
                        // caller panics with it.
                        Err(p) => {
                            s.panic.get_or_insert(p);
                            s.stop = true;
                        }
                    }
                    changed.notify_all();
                }
                None => s = changed.wait(s).unwrap_or_else(|p| p.into_inner()),
            }
        }
    };
    std::thread::scope(|scope| {
        let handles = helpers(scope, threads.min(n) - 1, &worker);
        // This thread hands the results over in order, and works when nothing is ready. A
        // panic here (in `take`, or in `f` on this thread) first stops the workers, which
        // would otherwise wait for it to take their results.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut s = lock();
            while s.handed < n && s.panic.is_none() {
                let first = s.handed;
                if let Some(out) = s.done.remove(&first) {
                    s.handed += 1;
                    changed.notify_all();
                    drop(s);
                    take(out?)?;
                    s = lock();
                } else if let Some((i, job)) = claim(&mut s) {
                    drop(s);
                    let out = f(job);
                    s = lock();
                    s.done.insert(i, out);
                } else {
                    s = changed.wait(s).unwrap_or_else(|p| p.into_inner());
                }
            }
            Ok(())
        }));
        let panic = {
            let mut s = lock();
            s.stop = true;
            changed.notify_all();
            s.panic.take()
        };
        for h in handles {
            h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        }
        let result = result.unwrap_or_else(|p| std::panic::resume_unwind(p));
        if let Some(p) = panic {
            std::panic::resume_unwind(p);
        }
        result
    })
}

/// `f` of each of `items`, in order, on `threads` threads, in runs of consecutive items
/// (several a thread, so that a slow run or a descheduled thread does not hold the rest);
/// on this thread alone below `from` items.
pub(crate) fn each<T: Send, U: Send>(
    items: Vec<T>,
    threads: usize,
    from: usize,
    f: impl Fn(T) -> U + Sync,
) -> Vec<U> {
    if threads <= 1 || items.len() < from.max(2) {
        return items.into_iter().map(f).collect();
    }
    map(runs(items, threads * 4), threads, |run| {
        run.into_iter().map(&f).collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// `a` on another thread while this one does `b`, when `apart` and a thread can be had;
/// else one after the other here. A panic of `a` is resumed here.
pub(crate) fn join<A: Send, B>(
    apart: bool,
    a: impl Fn() -> A + Sync,
    b: impl FnOnce() -> B,
) -> (A, B) {
    if !apart {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(scope, &a);
        let b = b();
        let a = match other {
            Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => a(),
        };
        (a, b)
    })
}

/// `n` threads running `f` in `scope`, each with a stack of [`STACK`]; fewer when the
/// system refuses some (the caller's own thread does their share then).
fn helpers<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    n: usize,
    f: &'scope (impl Fn() -> T + Sync),
) -> Vec<std::thread::ScopedJoinHandle<'scope, T>> {
    (0..n)
        .filter_map(|_| {
            std::thread::Builder::new()
                .stack_size(STACK)
                .spawn_scoped(scope, f)
                .ok()
        })
        .collect()
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
    fn ordered_hands_results_over_in_job_order() {
        for threads in [1, 2, 3, 16] {
            for window in [1, 2, 7, 1000] {
                let mut seen = Vec::new();
                let r: Result<(), ()> = ordered(
                    (0..500u64).collect(),
                    threads,
                    window,
                    |x| {
                        // Uneven jobs, so later ones often finish first.
                        if x % 7 == 0 {
                            std::thread::yield_now();
                        }
                        Ok(x * x)
                    },
                    |y| {
                        seen.push(y);
                        Ok(())
                    },
                );
                assert_eq!(r, Ok(()));
                assert_eq!(seen, (0..500u64).map(|x| x * x).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn ordered_stops_at_the_first_error_in_job_order() {
        for threads in [1, 2, 4] {
            let mut seen = Vec::new();
            let r = ordered(
                (0..300u32).collect(),
                threads,
                8,
                |x| if x == 100 || x == 200 { Err(x) } else { Ok(x) },
                |y| {
                    seen.push(y);
                    Ok(())
                },
            );
            assert_eq!(r, Err(100), "{threads} threads");
            assert_eq!(seen, (0..100).collect::<Vec<_>>());
            let r = ordered((0..300u32).collect(), threads, 8, Ok, |y| {
                if y == 50 { Err(y) } else { Ok(()) }
            });
            assert_eq!(r, Err(50));
        }
    }

    #[test]
    fn ordered_resumes_a_panic_of_another_thread_rather_than_waiting_for_its_job() {
        let main = std::thread::current().id();
        let r = std::panic::catch_unwind(|| {
            ordered(
                (0..64u32).collect(),
                2,
                64,
                |x| {
                    if std::thread::current().id() != main {
                        panic!("job {x}");
                    }
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    Ok::<u32, ()>(x)
                },
                |_| Ok(()),
            )
        });
        assert!(r.is_err(), "the worker's panic reaches the caller");
    }

    #[test]
    fn ordered_ends_when_the_caller_panics_while_workers_wait() {
        // The workers fill the window and wait for the caller, which panics taking the
        // first result: the panic must come back, not a wait for ever.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let r = std::panic::catch_unwind(|| {
                ordered(
                    (0..10_000u32).collect(),
                    4,
                    4,
                    Ok::<u32, ()>,
                    |_| -> Result<(), ()> { panic!("the writer fails") },
                )
            });
            let _ = tx.send(r.is_err());
        });
        let panicked = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("ordered returned (no hang)");
        assert!(panicked);
    }

    #[test]
    fn each_and_join_give_what_one_thread_gives() {
        for threads in [1, 2, 5] {
            for n in [0, 1, 7, 100, 1001] {
                let items: Vec<u64> = (0..n).collect();
                let one: Vec<u64> = items.iter().map(|x| x * 3 + 1).collect();
                assert_eq!(each(items, threads, 10, |x| x * 3 + 1), one);
            }
        }
        for apart in [false, true] {
            assert_eq!(join(apart, || 2 + 2, || "b"), (4, "b"));
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
