//! "Which samples exit where": test images (real pixels, on canvases) grouped by the exit
//! they leave at under the current thresholds, wrong predictions marked, filters by exit,
//! class and correctness; hover shows and click pins each image's per-exit confidences.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlSelectElement, ImageData};
use yew::prelude::*;

use crate::app::plot::{exit_name, percent};
use crate::app::shared::Shared;
use crate::data::Dataset;
use crate::engine::exits::{ExitCache, ExitRule};

/// Props of [`SampleExitGrid`].
#[derive(Properties, PartialEq)]
pub struct SampleExitGridProps {
    /// The test images (same order as the cache).
    pub test: Shared<Dataset>,
    /// Test-set cache of the selected candidate.
    pub cache: Shared<ExitCache>,
    /// Exit of every test image under the current thresholds.
    pub exit_of: Shared<Vec<u8>>,
    /// Confidence rule.
    pub rule: ExitRule,
    /// Thresholds of the early exits.
    pub thresholds: Vec<f32>,
    /// Stage after which each early exit sits.
    pub positions: Vec<usize>,
}

/// Images per exit group when every exit is shown / when one exit is picked.
const PER_GROUP: usize = 24;
const PER_EXIT: usize = 240;

/// `data-testid="sample-exit-grid"` with `data-testid="exit-sample"` buttons
/// (`data-index`, `data-exit`, `data-wrong`) holding a canvas each, filters
/// `sample-filter-exit` / `sample-filter-class` / `sample-filter-wrong`, and the pinned
/// sample's details `data-testid="sample-detail"`.
#[component]
pub fn SampleExitGrid(props: &SampleExitGridProps) -> Html {
    let exit_filter = use_state(|| None::<usize>);
    let class_filter = use_state(|| None::<usize>);
    let wrong_only = use_state(|| false);
    let picked = use_state(|| None::<usize>);
    let grid = use_node_ref();
    let cache = &props.cache;
    let exits = cache.num_exits;
    let last = exits.saturating_sub(1);
    let wrong = |s: usize| !cache.correct(props.exit_of.get(s).map_or(last, |&e| e as usize), s);
    let groups: Vec<(usize, Vec<usize>, usize)> = (0..exits)
        .filter(|e| exit_filter.is_none_or(|f| f == *e))
        .map(|e| {
            let all: Vec<usize> = (0..cache.num_samples)
                .filter(|&s| props.exit_of.get(s).map(|&x| x as usize) == Some(e))
                .filter(|&s| class_filter.is_none_or(|c| cache.labels[s] as usize == c))
                .filter(|&s| !*wrong_only || wrong(s))
                .collect();
            let cap = if exit_filter.is_some() {
                PER_EXIT
            } else {
                PER_GROUP
            };
            let total = all.len();
            (e, all.into_iter().take(cap).collect(), total)
        })
        .collect();
    let shown: Vec<usize> = groups.iter().flat_map(|g| g.1.iter().copied()).collect();
    {
        let (grid, test) = (grid.clone(), props.test.clone());
        let generation = use_mut_ref(|| 0u32);
        use_effect_with((shown.clone(), *picked), move |(shown, picked)| {
            if let Some(el) = grid.cast::<Element>() {
                let mine = {
                    let mut g = generation.borrow_mut();
                    *g = g.wrapping_add(1);
                    *g
                };
                let indices: Vec<usize> = shown.iter().copied().chain(*picked).collect();
                paint_chunked(el, test, Rc::new(indices), 0, generation, mine);
            }
        });
    }
    let on_exit = select_cb(exit_filter.setter());
    let on_class = select_cb(class_filter.setter());
    let on_wrong = {
        let wrong_only = wrong_only.clone();
        Callback::from(move |e: Event| {
            wrong_only.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .checked(),
            )
        })
    };
    let classes = &props.test.classes;
    html! {
        <div class="exit-grid" data-testid="sample-exit-grid" ref={grid}>
            <div class="filters">
                <label>{ "Exit " }
                    <select data-testid="sample-filter-exit" onchange={on_exit}>
                        <option value="" selected={exit_filter.is_none()}>{ "all exits" }</option>
                        { for (0..exits).map(|e| html! {
                            <option value={e.to_string()} selected={*exit_filter == Some(e)}>{ exit_name(&props.positions, e) }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Class " }
                    <select data-testid="sample-filter-class" onchange={on_class}>
                        <option value="" selected={class_filter.is_none()}>{ "all classes" }</option>
                        { for classes.iter().enumerate().map(|(c, name)| html! {
                            <option value={c.to_string()} selected={*class_filter == Some(c)}>{ name.clone() }</option>
                        }) }
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="sample-filter-wrong" checked={*wrong_only} onchange={on_wrong} />
                    { " wrong predictions only" }
                </label>
            </div>
            { for groups.iter().map(|(e, samples, total)| html! {
                <section class="exit-group" data-exit={e.to_string()}>
                    <h3 class="exit-group-title">
                        <span class="exit-dot" data-exit={e.to_string()}></span>
                        { exit_name(&props.positions, *e) }
                        <span class="muted">{ format!(" · {total} image{}{}", if *total == 1 { "" } else { "s" },
                            if *total > samples.len() { format!(", first {} shown", samples.len()) } else { String::new() }) }</span>
                    </h3>
                    <div class="exit-samples">
                        { for samples.iter().map(|&s| {
                            let picked_cb = picked.setter();
                            let is_wrong = wrong(s);
                            html! {
                                <button type="button" key={s} class={classes!("exit-sample", is_wrong.then_some("wrong"), (*picked == Some(s)).then_some("picked"))}
                                        data-testid="exit-sample" data-index={s.to_string()} data-exit={e.to_string()}
                                        data-wrong={is_wrong.to_string()} title={tooltip(props, s)}
                                        onclick={Callback::from(move |_: MouseEvent| picked_cb.set(Some(s)))}>
                                    <canvas width={props.test.width.to_string()} height={props.test.height.to_string()}></canvas>
                                </button>
                            }
                        }) }
                    </div>
                </section>
            }) }
            { detail(props, *picked) }
        </div>
    }
}

fn select_cb(setter: UseStateSetter<Option<usize>>) -> Callback<Event> {
    Callback::from(move |e: Event| {
        setter.set(
            e.target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .ok(),
        )
    })
}

fn class_name(test: &Dataset, c: u16) -> String {
    test.classes
        .get(c as usize)
        .cloned()
        .unwrap_or_else(|| format!("class {c}"))
}

/// Hover text: label, where it leaves, and every exit's prediction and confidence.
fn tooltip(props: &SampleExitGridProps, s: usize) -> String {
    let cache = &props.cache;
    let n = cache.num_samples;
    let mut lines = vec![format!(
        "#{s}: {}",
        class_name(&props.test, cache.labels[s])
    )];
    for e in 0..cache.num_exits {
        let pred = cache.predicted[e * n + s];
        lines.push(format!(
            "{}: {} {} (confidence {:.2})",
            exit_name(&props.positions, e),
            class_name(&props.test, pred),
            if pred == cache.labels[s] {
                "✓"
            } else {
                "✗"
            },
            cache.confidence(props.rule, e, s)
        ));
    }
    lines.join("\n")
}

/// The pinned sample: a large image and a table of every exit's outcome.
fn detail(props: &SampleExitGridProps, picked: Option<usize>) -> Html {
    let Some(s) = picked.filter(|&s| s < props.cache.num_samples) else {
        return html! { <p class="card-note">{ "Click an image to see how confident every exit is about it." }</p> };
    };
    let cache = &props.cache;
    let n = cache.num_samples;
    let leaves = props
        .exit_of
        .get(s)
        .map_or(cache.num_exits - 1, |&e| e as usize);
    html! {
        <div class="sample-detail" data-testid="sample-detail" data-index={s.to_string()}>
            <canvas class="detail-canvas" data-sample={s.to_string()} width={props.test.width.to_string()}
                    height={props.test.height.to_string()}></canvas>
            <div>
                <div class="detail-title">{ format!("Test image #{s} · true class {}", class_name(&props.test, cache.labels[s])) }</div>
                <table class="rate-table">
                    <thead><tr><th>{ "exit" }</th><th>{ "prediction" }</th><th>{ "confidence" }</th><th>{ "threshold" }</th></tr></thead>
                    <tbody>
                        { for (0..cache.num_exits).map(|e| {
                            let pred = cache.predicted[e * n + s];
                            let t = props.thresholds.get(e).map_or("accepts all".to_owned(), |t| if *t > 1.0 { "off".into() } else { format!("{t:.2}") });
                            html! {
                                <tr class={classes!((e == leaves).then_some("leaves-here"), (e > leaves).then_some("skipped"))}>
                                    <td><span class="exit-dot" data-exit={e.to_string()}></span>{ exit_name(&props.positions, e) }</td>
                                    <td>{ format!("{} {}", class_name(&props.test, pred), if pred == cache.labels[s] { "✓" } else { "✗" }) }</td>
                                    <td class="num">{ percent(cache.confidence(props.rule, e, s) as f64) }</td>
                                    <td class="num">{ t }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                <p class="card-note">{ format!("It leaves at {}; later exits never run for it.", exit_name(&props.positions, leaves).to_lowercase()) }</p>
            </div>
        </div>
    }
}

/// Canvases painted per task: the rest follow in later tasks, so that painting a large
/// grid never blocks the page for long (the e2e test holds every task under 50 ms).
const PAINT_CHUNK: usize = 8;

/// Paints the grid's canvases (in document order: `indices`, then the pinned one) from
/// position `from` on, [`PAINT_CHUNK`] per task; stops when a newer paint started.
fn paint_chunked(
    root: Element,
    test: Shared<Dataset>,
    indices: Rc<Vec<usize>>,
    from: usize,
    generation: Rc<RefCell<u32>>,
    mine: u32,
) {
    if *generation.borrow() != mine {
        return;
    }
    let Ok(canvases) = root.query_selector_all("canvas") else {
        return;
    };
    let end = (from + PAINT_CHUNK).min(indices.len());
    for (i, &s) in indices.iter().enumerate().take(end).skip(from) {
        if let Some(canvas) = canvases
            .get(i as u32)
            .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok())
        {
            let _ = crate::app::browser::measured("draw sample", || draw(&canvas, &test, s));
        }
    }
    if end < indices.len() {
        gloo::timers::callback::Timeout::new(0, move || {
            paint_chunked(root, test, indices, end, generation, mine)
        })
        .forget();
    }
}

fn draw(canvas: &HtmlCanvasElement, test: &Dataset, s: usize) -> Option<()> {
    if s >= test.len() {
        return None;
    }
    let (c, h, w) = (test.channels.max(1), test.height, test.width);
    let pixels = test.image(s);
    let plane = h * w;
    let mut rgba = Vec::with_capacity(plane * 4);
    for p in 0..plane {
        let at = |ch: usize| pixels.get(ch.min(c - 1) * plane + p).copied().unwrap_or(0);
        rgba.extend_from_slice(&[at(0), at(1), at(2), 255]);
    }
    let context = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()?;
    let image =
        ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba[..]), w as u32, h as u32).ok()?;
    context.put_image_data(&image, 0.0, 0.0).ok()
}
