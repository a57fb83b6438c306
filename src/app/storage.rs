//! Browser storage of the current run (`localStorage`, this origin only): the run
//! (`aebnas.v1.run`, the CLI's results JSON), each candidate's test-set exit cache in the
//! compact form (`aebnas.v1.cache.<index>`, ~140 kB each) and the view
//! (`aebnas.v1.view`: selection, rule, thresholds). Every write checks the space our keys
//! use against [`BUDGET_CHARS`] first, and reports quota errors instead of failing
//! silently; reading skips (and reports) anything malformed.

use std::cell::RefCell;
use std::collections::BTreeMap;

use web_sys::Storage;

use super::run_state::ViewState;
use super::shared::Shared;
use super::worker::codec::CompactCache;
use crate::engine::exits::ExitCache;
use crate::engine::results::RunResults;

/// Prefix of every key this app writes.
pub const PREFIX: &str = "aebnas.v1.";
const RUN_KEY: &str = "aebnas.v1.run";
const VIEW_KEY: &str = "aebnas.v1.view";

/// Characters our keys may use together (browsers allow about 5 M per origin).
pub const BUDGET_CHARS: usize = 4_500_000;

fn cache_key(index: usize) -> String {
    format!("{PREFIX}cache.{index}")
}

fn storage() -> Result<Storage, String> {
    web_sys::window()
        .ok_or("no window")?
        .local_storage()
        .map_err(|_| "browser storage is blocked".to_string())?
        .ok_or_else(|| "browser storage is unavailable".to_string())
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
fn remove(s: &Storage, key: &str) -> Result<(), String> {
    s.remove_item(key)
        .map_err(|_| format!("could not delete {key}"))?;
    with_tally(s, |t| t.remove(key));
    Ok(())
}

fn put(key: &str, value: &str) -> Result<(), String> {
    let s = storage()?;
    let others: usize = with_tally(&s, |t| {
        t.iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(_, n)| n)
            .sum()
    });
    let needed = others + key.len() + value.len();
    if needed > BUDGET_CHARS {
        return Err(format!(
            "saving would use {:.1} M characters of browser storage, more than the {:.1} M this page allows itself",
            needed as f64 / 1e6,
            BUDGET_CHARS as f64 / 1e6
        ));
    }
    s.set_item(key, value)
        .map_err(|_| "the browser refused to store more (storage quota exceeded)".to_string())?;
    with_tally(&s, |t| t.insert(key.to_owned(), key.len() + value.len()));
    Ok(())
}

/// Saves the run (settings, archive, iterations).
pub fn save_run(run: &RunResults) -> Result<(), String> {
    put(RUN_KEY, &run.to_json())
}

/// Saves candidate `index`'s test-set cache.
pub fn save_cache(index: usize, cache: &CompactCache) -> Result<(), String> {
    let text = serde_json::to_string(cache).map_err(|e| e.to_string())?;
    put(&cache_key(index), &text)
}

/// Saves the view (best effort: a view that does not fit is simply not remembered).
pub fn save_view(view: Option<&ViewState>) {
    let Ok(s) = storage() else { return };
    match view.and_then(|v| serde_json::to_string(v).ok()) {
        Some(text) => {
            let _ = put(VIEW_KEY, &text);
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
pub fn load() -> Result<Option<Saved>, String> {
    let s = storage()?;
    let Some(text) = s.get_item(RUN_KEY).ok().flatten() else {
        return Ok(None);
    };
    let run =
        RunResults::from_json(&text).map_err(|e| format!("the saved run cannot be read: {e}"))?;
    let mut caches = BTreeMap::new();
    let mut problems = Vec::new();
    for index in 0..run.archive.len() {
        let Some(text) = s.get_item(&cache_key(index)).ok().flatten() else {
            problems.push(format!("candidate {}: no saved confidences", index + 1));
            continue;
        };
        let decoded = serde_json::from_str::<CompactCache>(&text)
            .map_err(|e| e.to_string())
            .and_then(|c| c.decode());
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

/// Deletes everything this app saved.
pub fn clear() -> Result<(), String> {
    let s = storage()?;
    for key in our_keys(&s) {
        remove(&s, &key)?;
    }
    Ok(())
}

/// Deletes the caches of a previous run (a fresh run starts at index 0 again).
pub fn clear_caches() {
    if let Ok(s) = storage() {
        for key in our_keys(&s)
            .into_iter()
            .filter(|k| k.starts_with(&format!("{PREFIX}cache.")))
        {
            let _ = remove(&s, &key);
        }
    }
}
