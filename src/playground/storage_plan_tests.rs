//! The storage policy with real sizes: the run's ~30 kB next to exit caches of ~140 kB
//! under the page's 4.5 M budget.

use super::*;

const CACHE: usize = 140_000;

/// A tally as storage would hold it: the run, the view and caches `indices`.
fn tally(run: usize, indices: &[usize]) -> BTreeMap<String, usize> {
    let mut t = BTreeMap::new();
    t.insert(RUN_KEY.to_owned(), RUN_KEY.len() + run);
    t.insert(VIEW_KEY.to_owned(), VIEW_KEY.len() + 60);
    for &i in indices {
        let k = cache_key(i);
        t.insert(k.clone(), k.len() + CACHE);
    }
    t
}

#[test]
fn cache_keys_round_trip_and_other_keys_are_not_caches() {
    assert_eq!(cache_key(12), "aebnas.v1.cache.12");
    assert_eq!(cache_index("aebnas.v1.cache.12"), Some(12));
    assert_eq!(cache_index(RUN_KEY), None);
    assert_eq!(cache_index(VIEW_KEY), None);
    assert_eq!(cache_index("aebnas.v1.cache.x"), None);
    assert_eq!(cache_index("filler.cache.3"), None);
}

#[test]
fn caches_leave_lowest_index_first_not_in_key_order() {
    // As text, "cache.10" sorts before "cache.2"; the order is by candidate index.
    let t = tally(30_000, &[10, 2, 0, 11, 1]);
    assert_eq!(
        eviction_order(&t),
        vec![
            cache_key(0),
            cache_key(1),
            cache_key(2),
            cache_key(10),
            cache_key(11)
        ]
    );
    assert!(eviction_order(&tally(30_000, &[])).is_empty());
}

#[test]
fn a_write_that_fits_deletes_nothing() {
    let t = tally(30_000, &[0, 1, 2]);
    let order = eviction_order(&t);
    // Used: 30_013 + 74 + 3 × 140_017 = 450_138; the run grows to 31 kB.
    assert_eq!(make_room(&t, RUN_KEY, 31_000, 500_000, &order), Ok(0));
}

#[test]
fn the_run_deletes_just_enough_caches_oldest_first() {
    let t = tally(30_000, &[0, 1, 2, 3]);
    let order = eviction_order(&t);
    let used: usize = t.values().sum();
    assert_eq!(used, 30_013 + 74 + 4 * 140_017);
    // A budget exactly what is used now: growing the run by 1 character needs one cache.
    assert_eq!(make_room(&t, RUN_KEY, 30_001, used, &order), Ok(1));
    // A cache frees its key and value (17 + 140_000): growing by that much needs one,
    // by one character more two.
    assert_eq!(
        make_room(&t, RUN_KEY, 30_000 + 140_017, used, &order),
        Ok(1)
    );
    assert_eq!(
        make_room(&t, RUN_KEY, 30_000 + 140_018, used, &order),
        Ok(2)
    );
    // The run's own old size is not counted twice: rewriting it at the same size fits.
    assert_eq!(make_room(&t, RUN_KEY, 30_000, used, &order), Ok(0));
}

#[test]
fn a_run_larger_than_the_budget_without_any_cache_is_refused_with_the_sizes() {
    let t = tally(30_000, &[0, 1]);
    let order = eviction_order(&t);
    let err = make_room(&t, RUN_KEY, 200_000, 150_000, &order).unwrap_err();
    // With both caches gone: the view (74) + the key (13) + 200_000.
    assert_eq!(
        err,
        StorageError::OverBudget {
            needed: 200_087,
            budget: 150_000
        }
    );
    assert_eq!(
        err.to_string(),
        "saving would use 0.20 M characters of browser storage, more than the 0.15 M this page allows itself"
    );
}

#[test]
fn a_cache_deletes_nothing_and_is_refused_when_it_does_not_fit() {
    let t = tally(30_000, &[0, 1, 2]);
    let used: usize = t.values().sum();
    let key = cache_key(3);
    let err = make_room(&t, &key, CACHE, used + CACHE, &[]).unwrap_err();
    assert_eq!(
        err,
        StorageError::OverBudget {
            needed: used + key.len() + CACHE,
            budget: used + CACHE
        }
    );
    assert_eq!(
        make_room(&t, &key, CACHE, used + key.len() + CACHE, &[]),
        Ok(0)
    );
}

#[test]
fn candidate_numbers_are_counted_from_one_with_ranges() {
    assert_eq!(candidate_list(&[]), "");
    assert_eq!(candidate_list(&[4]), "5");
    assert_eq!(candidate_list(&[0, 1]), "1, 2");
    assert_eq!(candidate_list(&[4, 0, 2, 1, 2, 7, 8, 9]), "1–3, 5, 8–10");
}

#[test]
fn a_failed_run_save_says_how_many_evaluations_are_not_saved() {
    assert_eq!(
        unsaved_detail(5, 3, &StorageError::Quota),
        "2 of this run's 5 finished evaluations are not saved in this browser (the browser refused: its storage quota for this page is full): a reload would lose them. Download the run to keep them."
    );
    assert_eq!(
        unsaved_detail(1, 0, &StorageError::Quota),
        "1 of this run's 1 finished evaluation is not saved in this browser (the browser refused: its storage quota for this page is full): a reload would lose it. Download the run to keep it."
    );
    // Nothing new to lose (e.g. a pause whose save failed after every evaluation was saved).
    assert_eq!(
        unsaved_detail(4, 4, &StorageError::Unavailable("blocked")),
        "The run's latest state is not saved in this browser (browser storage is blocked); its 4 finished evaluations are."
    );
}

#[test]
fn dropped_and_missing_caches_name_the_candidates() {
    assert_eq!(caches_dropped_detail(&[]), None);
    assert_eq!(
        caches_dropped_detail(&[2]).unwrap(),
        "the per-image confidences of candidate 3 are not kept in this browser (the run itself comes first); after a reload its sliders show the tuned numbers only"
    );
    assert_eq!(missing_caches_detail(&[]), None);
    assert_eq!(
        missing_caches_detail(&[6]).unwrap(),
        "candidate 7: no per-image confidences in browser storage (storage was full, or the run came without them), so its sliders show the tuned numbers only"
    );
    assert_eq!(
        missing_caches_detail(&[0, 1, 3]).unwrap(),
        "candidates 1, 2, 4: no per-image confidences in browser storage (storage was full, or the run came without them), so their sliders show the tuned numbers only"
    );
}
