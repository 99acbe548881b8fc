//! Reading model files is parse-bound and files are independent, so providers parse them on
//! every core. Results keep the input order, so output and the first error reported never
//! depend on thread scheduling.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many items a second thread costs more than it saves.
const MIN_ITEMS_PER_WORKER: usize = 4;

/// `work` applied to every item, in item order, spread over the machine's cores. Each worker
/// thread builds its own state once with `init` (a parser, which cannot be shared between
/// threads) and takes the next unclaimed item until none is left.
pub fn map_parallel<T, S, R>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cores.min(items.len() / MIN_ITEMS_PER_WORKER).max(1);
    if workers == 1 {
        let mut state = init();
        return items.iter().map(|item| work(&mut state, item)).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut state = init();
                let mut mine = Vec::new();
                loop {
                    let at = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(at) else { break };
                    mine.push((at, work(&mut state, item)));
                }
                done.lock().unwrap_or_else(|e| e.into_inner()).extend(mine);
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_unstable_by_key(|(at, _)| *at);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::map_parallel;
    use std::collections::HashSet;
    use std::sync::Mutex;

    #[test]
    fn results_keep_input_order() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = map_parallel(&items, || (), |_, n| n * n);
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn state_is_built_once_per_worker() {
        let threads = Mutex::new(HashSet::new());
        let inits = Mutex::new(0usize);
        let items: Vec<usize> = (0..200).collect();
        map_parallel(
            &items,
            || *inits.lock().unwrap() += 1,
            |_, _| threads.lock().unwrap().insert(std::thread::current().id()),
        );
        // A worker that found every item taken still built its state, so `inits` may exceed
        // the threads that did work, but never the number of cores.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let inits = *inits.lock().unwrap();
        assert!(threads.lock().unwrap().len() <= inits && inits <= cores);
    }

    #[test]
    fn few_items_stay_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let items = [1, 2, 3];
        let ids = map_parallel(&items, || (), |_, _| std::thread::current().id());
        assert!(ids.iter().all(|id| *id == caller));
    }
}
