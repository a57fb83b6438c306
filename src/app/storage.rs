//! Browser storage of the current run (`localStorage`, this origin only): the run
//! (`aebnas.v1.run`, the CLI's results JSON), each candidate's test-set exit cache in the
//! compact form (`aebnas.v1.cache.<index>`, ~140 kB each) and the view
//! (`aebnas.v1.view`: selection, rule, thresholds), and apart from them the backend
//! measurement of this browser ([`MEASUREMENT_KEY`]). Every write checks the space our keys
//! use against [`BUDGET_CHARS`] first and reports what did not fit; reading skips (and
//! reports) anything malformed. When space runs short the run comes first: caches make
//! room for it, oldest first, and a cache that does not fit is not stored (the policy and
//! its messages are in [`storage_plan`](super::storage_plan)).

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use web_sys::Storage;

use super::backend_measure::{Measurement, MEASUREMENT_KEY};
use super::run_state::ViewState;
use super::shared::Shared;
pub use super::storage_plan::StorageError;
use super::storage_plan::{
    cache_index, cache_key, eviction_order, make_room, missing_caches_detail, CACHE_PREFIX, PREFIX,
    RUN_KEY, VIEW_KEY,
};
use crate::engine::cache_codec::CompactCache;
use crate::engine::exits::ExitCache;
use crate::engine::results::RunResults;

/// Characters our keys may use together (browsers allow about 5 M per origin).
pub const BUDGET_CHARS: usize = 4_500_000;

fn storage() -> Result<Storage, StorageError> {
    web_sys::window()
        .ok_or(StorageError::Unavailable("missing (no window)"))?
        .local_storage()
        .map_err(|_| StorageError::Unavailable("blocked"))?
        .ok_or(StorageError::Unavailable("unavailable"))
}

/// Our keys.
fn our_keys(s: &Storage) -> Vec<String> {
    let n = s.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .collect()
}

thread_local! {
    /// Characters each of our keys uses (key + value), read from storage once and then
    /// kept in step by [`put`] and [`remove`]: checking the budget must not copy every
    /// stored cache into WebAssembly on each write (that makes a long main-thread task).
    static USED: RefCell<Option<BTreeMap<String, usize>>> = const { RefCell::new(None) };
    /// How many finished evaluations of the page's current run the stored run holds
    /// (what a failed save puts at risk is the rest).
    static SAVED: Cell<usize> = const { Cell::new(0) };
}

/// Finished evaluations of the current run that are in storage (as of the last save
/// that worked, the restore, or the import).
pub fn saved_evaluations() -> usize {
    SAVED.get()
}

/// Runs `f` on the tally of our keys' sizes (scanning storage the first time).
fn with_tally<R>(s: &Storage, f: impl FnOnce(&mut BTreeMap<String, usize>) -> R) -> R {
    USED.with_borrow_mut(|used| {
        let tally = used.get_or_insert_with(|| {
            our_keys(s)
                .into_iter()
                .map(|k| {
                    let n = k.len() + s.get_item(&k).ok().flatten().map_or(0, |v| v.len());
                    (k, n)
                })
                .collect()
        });
        f(tally)
    })
}

/// Removes `key` from storage and from the tally.
fn remove(s: &Storage, key: &str) -> Result<(), StorageError> {
    s.remove_item(key)
        .map_err(|_| StorageError::Delete(key.to_owned()))?;
    with_tally(s, |t| t.remove(key));
    Ok(())
}

/// Writes `value` under `key`, deleting keys of `order` (first ones first) when the
/// budget or the browser's quota (shared with the origin's other keys) needs it. Returns
/// the candidate indices of the caches deleted. Caches deleted before a write that still
/// fails stay deleted (they only ever make room for the run).
fn put(s: &Storage, key: &str, value: &str, order: &[String]) -> Result<Vec<usize>, StorageError> {
    let first = with_tally(s, |t| make_room(t, key, value.len(), BUDGET_CHARS, order))?;
    let mut deleted = Vec::new();
    for k in &order[..first] {
        remove(s, k)?;
        deleted.extend(cache_index(k));
    }
    let mut rest = order[first..].iter();
    while s.set_item(key, value).is_err() {
        let Some(k) = rest.next() else {
            return Err(StorageError::Quota);
        };
        remove(s, k)?;
        deleted.extend(cache_index(k));
    }
    with_tally(s, |t| t.insert(key.to_owned(), key.len() + value.len()));
    Ok(deleted)
}

/// Saves the run (settings, archive, iterations), deleting exit caches (lowest index
/// first) as far as it needs room. Returns the candidate indices of the caches deleted.
pub fn save_run(run: &RunResults) -> Result<Vec<usize>, StorageError> {
    let s = storage()?;
    let text = serde_json::to_string(run).map_err(|e| StorageError::Encode(e.to_string()))?;
    let order = with_tally(&s, |t| eviction_order(t));
    let deleted = put(&s, RUN_KEY, &text, &order)?;
    SAVED.set(run.archive.len());
    Ok(deleted)
}

/// Saves candidate `index`'s test-set cache if it fits (it deletes nothing).
pub fn save_cache(index: usize, cache: &CompactCache) -> Result<(), StorageError> {
    let s = storage()?;
    let text = serde_json::to_string(cache).map_err(|e| StorageError::Encode(e.to_string()))?;
    put(&s, &cache_key(index), &text, &[]).map(drop)
}

/// Saves an imported run in place of the stored one: the new run first (when it does not
/// fit, the stored run stays as it was, less caches deleted to make room); once it is
/// saved, the old caches and view go and the imported caches are stored as far as they
/// fit. Returns the indices of the imported caches not stored.
pub fn save_imported(
    run: &RunResults,
    caches: &BTreeMap<usize, CompactCache>,
) -> Result<Vec<usize>, StorageError> {
    SAVED.set(0);
    save_run(run)?;
    let s = storage()?;
    clear_caches();
    SAVED.set(run.archive.len());
    let _ = remove(&s, VIEW_KEY);
    Ok(caches
        .iter()
        .filter(|(i, c)| save_cache(**i, c).is_err())
        .map(|(i, _)| *i)
        .collect())
}

/// Saves the view (best effort: a view that does not fit is simply not remembered).
pub fn save_view(view: Option<&ViewState>) {
    let Ok(s) = storage() else { return };
    match view.and_then(|v| serde_json::to_string(v).ok()) {
        Some(text) => {
            let _ = put(&s, VIEW_KEY, &text, &[]);
        }
        None => {
            let _ = remove(&s, VIEW_KEY);
        }
    }
}

/// What was read back.
pub struct Saved {
    /// The run.
    pub run: Shared<RunResults>,
    /// The caches that could be read.
    pub caches: BTreeMap<usize, Shared<ExitCache>>,
    /// The view.
    pub view: Option<ViewState>,
    /// What could not be read.
    pub problems: Vec<String>,
}

/// Reads the saved run, if there is one. `Err` when it exists but cannot be read.
pub fn load() -> Result<Option<Saved>, StorageError> {
    let s = storage()?;
    let Some(text) = s.get_item(RUN_KEY).ok().flatten() else {
        return Ok(None);
    };
    let run =
        RunResults::from_json(&text).map_err(|e| StorageError::UnreadableRun(e.to_string()))?;
    SAVED.set(run.archive.len());
    let mut caches = BTreeMap::new();
    let mut problems = Vec::new();
    let mut missing = Vec::new();
    for index in 0..run.archive.len() {
        let Some(text) = s.get_item(&cache_key(index)).ok().flatten() else {
            missing.push(index);
            continue;
        };
        let decoded = serde_json::from_str::<CompactCache>(&text)
            .map_err(|e| e.to_string())
            .and_then(|c| c.decode().map_err(|e| e.to_string()));
        match decoded {
            Ok(cache) if cache.num_exits == run.archive[index].test_exit_rates.len() => {
                caches.insert(index, Shared::new(cache));
            }
            Ok(_) => problems.push(format!(
                "candidate {}: saved confidences do not match its exits",
                index + 1
            )),
            Err(e) => problems.push(format!("candidate {}: {e}", index + 1)),
        }
    }
    problems.extend(missing_caches_detail(&missing));
    let view = s
        .get_item(VIEW_KEY)
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str(&t).ok());
    Ok(Some(Saved {
        run: Shared::new(run),
        caches,
        view,
        problems,
    }))
}

/// Whether a run is saved in this browser (shown or not: a link may show the example).
pub fn has_saved_run() -> bool {
    storage().is_ok_and(|s| s.get_item(RUN_KEY).ok().flatten().is_some())
}

/// Deletes everything this app saved.
pub fn clear() -> Result<(), StorageError> {
    let s = storage()?;
    SAVED.set(0);
    for key in our_keys(&s) {
        remove(&s, &key)?;
    }
    Ok(())
}

/// Deletes the caches of a previous run: a fresh run starts (at index 0 again), and none
/// of its evaluations is saved yet.
pub fn clear_caches() {
    SAVED.set(0);
    if let Ok(s) = storage() {
        for key in our_keys(&s)
            .into_iter()
            .filter(|k| k.starts_with(CACHE_PREFIX))
        {
            let _ = remove(&s, &key);
        }
    }
}

/// The backend measurement this browser remembers: `None` when there is none, it cannot
/// be read (an older or damaged value: the worker measures again) or storage is blocked.
pub fn load_measurement() -> Option<Measurement> {
    let text = storage().ok()?.get_item(MEASUREMENT_KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Remembers the backend measurement (best effort: when storage refuses, the next visit
/// measures again).
pub fn save_measurement(measurement: &Measurement) {
    if let (Ok(s), Ok(text)) = (storage(), serde_json::to_string(measurement)) {
        let _ = s.set_item(MEASUREMENT_KEY, &text);
    }
}
