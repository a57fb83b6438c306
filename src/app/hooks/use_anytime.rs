//! [`use_anytime_curve`]: the selected candidate's anytime curve, computed a few threshold
//! vectors per task (the engine's [`AnytimeSweep`]) so a candidate arriving during a search
//! never adds a long main-thread task (the e2e suite fails on any task of 50 ms or more).

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use crate::app::browser::{measured, yield_now};
use crate::app::shared::Shared;
use crate::engine::exits::{ExitCache, ExitRule};
use crate::engine::tuning::{AnytimeSweep, CurvePoint};

/// Threshold vectors the sweep scores: enough for a smooth curve.
pub const SWEEP: usize = 200;
/// Threshold vectors scored per task (≈ 1–3 ms each in a cold, unoptimised wasm tier).
const PER_TASK: usize = 20;

/// What the curve depends on.
type Inputs = (Shared<ExitCache>, ExitRule, Vec<f64>);

/// The anytime curve of `cache` under `rule` and `costs`: `None` while it is being
/// computed (over several tasks), then the non-dominated points sorted by MACs. Changing
/// an input abandons the sweep in flight and starts a new one.
#[hook]
pub fn use_anytime_curve(
    cache: Shared<ExitCache>,
    rule: ExitRule,
    costs: Vec<f64>,
) -> Option<Rc<Vec<CurvePoint>>> {
    let done = use_state(|| None::<(Inputs, Rc<Vec<CurvePoint>>)>);
    let inputs: Inputs = (cache, rule, costs);
    {
        let done = done.clone();
        use_effect_with(inputs.clone(), move |inputs| {
            let cancelled = Rc::new(Cell::new(false));
            let flag = Rc::clone(&cancelled);
            let inputs = inputs.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let (cache, rule, costs) = &inputs;
                let curve = match AnytimeSweep::new(cache, *rule, costs, SWEEP) {
                    Ok(mut sweep) => {
                        while !measured("anytime chunk", || sweep.advance(cache, PER_TASK)) {
                            yield_now().await;
                            if flag.get() {
                                return;
                            }
                        }
                        sweep.finish()
                    }
                    // Inputs the engine refuses: no curve (the chart shows only the point).
                    Err(_) => Vec::new(),
                };
                if !flag.get() {
                    done.set(Some((inputs, Rc::new(curve))));
                }
            });
            move || cancelled.set(true)
        });
    }
    done.as_ref()
        .filter(|(of, _)| *of == inputs)
        .map(|(_, curve)| Rc::clone(curve))
}
