//! The selected candidate's figures, memoised per render: the sliders' outcome on the test
//! cache and the per-exit confidence histograms (computed by `playground::candidate_view`;
//! the panels only draw them).

use yew::prelude::*;

use crate::app::shared::Shared;
use crate::engine::assign::Summary;
use crate::engine::exits::{ExitCache, ExitRule};
use crate::playground::candidate_view::{histograms, score};

/// The outcome of `thresholds` under `rule` on `cache` (`None` without a cache or when
/// they do not fit it): the summary and each sample's exit.
#[hook]
pub fn use_scored(
    cache: Option<Shared<ExitCache>>,
    rule: ExitRule,
    thresholds: Vec<f32>,
    costs: Vec<f64>,
) -> Option<(Summary, Shared<Vec<u8>>)> {
    let scored = use_memo(
        (cache, rule, thresholds, costs),
        |(cache, rule, t, costs)| score(cache.as_ref()?, *rule, t, costs),
    );
    (*scored).clone()
}

/// `(correct, wrong)` counts per confidence bin at each early exit.
#[hook]
pub fn use_histograms(
    cache: Shared<ExitCache>,
    rule: ExitRule,
) -> Shared<Vec<(Vec<u32>, Vec<u32>)>> {
    let bars = use_memo((cache, rule), |(cache, rule)| {
        Shared::new(histograms(cache, *rule))
    });
    (*bars).clone()
}
