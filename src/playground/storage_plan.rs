//! What browser storage does when space runs short, as plain functions (no web-sys, so
//! they are tested natively): which exit caches to delete so that the run fits, in which
//! order, and the sentences that tell the user what was not saved.
//!
//! The policy: the run (every finished evaluation) comes first; exit caches are a
//! convenience (per-image confidences behind the sliders), so they make room for the run,
//! oldest first — lowest candidate index first, which is the order in which a run
//! evaluates and saves them (an index survives a reload, an insertion time would not). A
//! cache never deletes anything: one that does not fit is simply not stored, and after a
//! reload that candidate shows its tuned numbers only.

use std::collections::BTreeMap;

/// Prefix of every key this app writes.
pub const PREFIX: &str = "aebnas.v1.";
/// The run (the CLI's results JSON).
pub const RUN_KEY: &str = "aebnas.v1.run";
/// The view (selection, rule, thresholds).
pub const VIEW_KEY: &str = "aebnas.v1.view";
/// Prefix of the exit caches' keys (`aebnas.v1.cache.<index>`).
pub const CACHE_PREFIX: &str = "aebnas.v1.cache.";

/// The key of candidate `index`'s exit cache.
pub fn cache_key(index: usize) -> String {
    format!("{CACHE_PREFIX}{index}")
}

/// The candidate index of an exit cache's key; `None` for any other key.
pub fn cache_index(key: &str) -> Option<usize> {
    key.strip_prefix(CACHE_PREFIX)?.parse().ok()
}

/// Why something could not be stored, or a stored run read back.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StorageError {
    /// No `localStorage` (blocked by the browser's settings, or no window).
    #[error("browser storage is {0}")]
    Unavailable(&'static str),
    /// Our keys would use more than the budget this page allows itself.
    #[error(
        "saving would use {:.2} M characters of browser storage, more than the {:.2} M this page allows itself",
        *needed as f64 / 1e6,
        *budget as f64 / 1e6
    )]
    OverBudget {
        /// Characters our keys would use (with every evictable cache deleted).
        needed: usize,
        /// The budget.
        budget: usize,
    },
    /// The browser refused the write (its quota is shared with other keys of the origin).
    #[error("the browser refused: its storage quota for this page is full")]
    Quota,
    /// A key could not be deleted.
    #[error("could not delete {0}")]
    Delete(String),
    /// The value could not be serialised.
    #[error("could not encode the value: {0}")]
    Encode(String),
    /// The stored run is there but does not read as a results document (the reader's
    /// message).
    #[error("the saved run cannot be read: {0}")]
    UnreadableRun(String),
}

/// Our exit-cache keys in `tally` (key → characters used), in the order they make room
/// for the run: lowest candidate index first.
pub fn eviction_order(tally: &BTreeMap<String, usize>) -> Vec<String> {
    let mut caches: Vec<(usize, &String)> = tally
        .keys()
        .filter_map(|k| cache_index(k).map(|i| (i, k)))
        .collect();
    caches.sort_unstable();
    caches.into_iter().map(|(_, k)| k.clone()).collect()
}

/// How many of `order`'s first keys must be deleted so that writing `len` characters
/// under `key` keeps our keys (`tally`: key → characters, key included) within `budget`.
/// `order` lists the keys that may go (empty: nothing may); keys not in `tally` and
/// `key` itself free nothing. `OverBudget` when even deleting all of them is not enough.
pub fn make_room(
    tally: &BTreeMap<String, usize>,
    key: &str,
    len: usize,
    budget: usize,
    order: &[String],
) -> Result<usize, StorageError> {
    let others: usize = tally
        .iter()
        .filter(|(k, _)| k.as_str() != key)
        .map(|(_, n)| n)
        .sum();
    let mut needed = others + key.len() + len;
    let mut count = 0;
    while needed > budget && count < order.len() {
        let k = &order[count];
        if k != key {
            needed -= tally.get(k).copied().unwrap_or(0);
        }
        count += 1;
    }
    if needed > budget {
        return Err(StorageError::OverBudget { needed, budget });
    }
    Ok(count)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Candidate numbers as people count them (index + 1), runs joined by an en dash:
/// `[0, 1, 2, 4]` → `"1–3, 5"`. Any order, duplicates ignored.
pub fn candidate_list(indices: &[usize]) -> String {
    let mut sorted = indices.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j + 1 < sorted.len() && sorted[j + 1] == sorted[j] + 1 {
            j += 1;
        }
        parts.push(match j - i {
            0 => format!("{}", sorted[i] + 1),
            1 => format!("{}, {}", sorted[i] + 1, sorted[j] + 1),
            _ => format!("{}–{}", sorted[i] + 1, sorted[j] + 1),
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// The banner's detail when saving the run failed: `total` finished evaluations in the
/// run, `saved` of them in storage (the last save that worked).
pub fn unsaved_detail(total: usize, saved: usize, reason: &StorageError) -> String {
    let unsaved = total.saturating_sub(saved);
    if unsaved == 0 {
        return format!(
            "The run's latest state is not saved in this browser ({reason}); its {} are.",
            plural(total, "finished evaluation", "finished evaluations")
        );
    }
    let (verb, them) = if unsaved == 1 {
        ("is", "it")
    } else {
        ("are", "them")
    };
    format!(
        "{unsaved} of this run's {} {verb} not saved in this browser ({reason}): a reload would lose {them}. Download the run to keep {them}.",
        plural(total, "finished evaluation", "finished evaluations")
    )
}

/// The banner's detail when exit caches were deleted for the run or could not be stored
/// (`indices`: candidate indices); `None` when there are none.
pub fn caches_dropped_detail(indices: &[usize]) -> Option<String> {
    if indices.is_empty() {
        return None;
    }
    let (whose, its) = whose_its(indices.len());
    Some(format!(
        "the per-image confidences of {whose} {} are not kept in this browser (the run itself comes first); after a reload {its} sliders show the tuned numbers only",
        candidate_list(indices)
    ))
}

/// "candidate"/"its" for one, "candidates"/"their" for more.
fn whose_its(n: usize) -> (&'static str, &'static str) {
    if n == 1 {
        ("candidate", "its")
    } else {
        ("candidates", "their")
    }
}

/// The restore report's line for candidates whose exit cache is not in storage.
pub fn missing_caches_detail(indices: &[usize]) -> Option<String> {
    if indices.is_empty() {
        return None;
    }
    let (whose, its) = whose_its(indices.len());
    Some(format!(
        "{whose} {}: no per-image confidences in browser storage (storage was full, or the run came without them), so {its} sliders show the tuned numbers only",
        candidate_list(indices)
    ))
}

#[cfg(test)]
#[path = "storage_plan_tests.rs"]
mod tests;
