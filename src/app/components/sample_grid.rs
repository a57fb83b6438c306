//! A grid of real test images, drawn on canvases from their pixels, with class names.
//! The canvases are drawn a few per task (a canvas's first 2D context is costly: drawing
//! all 30 in one task was one long main-thread task at the page's start).

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, ImageData};
use yew::prelude::*;

use crate::app::browser::{measured, now_ms, yield_now};
use crate::app::state::{Sample, Shared};

/// Props of [`SampleGrid`].
#[derive(Properties, PartialEq)]
pub struct SampleGridProps {
    /// The images to show; `None` while loading.
    pub samples: Option<Shared<Vec<Sample>>>,
    /// Name of the dataset shown (for the caption).
    pub dataset_name: String,
    /// Number of images in the test subset.
    pub test_count: usize,
}

/// `data-testid="sample-grid"` holding one `data-testid="sample"` figure per image
/// (`data-label` = class index) with a `<canvas>`. Once drawn, the grid carries
/// `data-painted-ms` = `performance.now()` at the moment the pixels were put.
#[component]
pub fn SampleGrid(props: &SampleGridProps) -> Html {
    let grid = use_node_ref();
    {
        let grid = grid.clone();
        use_effect_with(props.samples.clone(), move |samples| {
            let painting = match (samples, grid.cast::<Element>()) {
                (Some(samples), Some(element)) => Some(paint_in_tasks(element, samples.to_vec())),
                _ => None,
            };
            // A newer set of samples (or unmounting) stops an unfinished paint.
            move || painting.into_iter().for_each(|current| current.set(false))
        });
    }
    let Some(samples) = props.samples.as_ref() else {
        return html! {
            <section class="card card-wide" aria-labelledby="samples-heading">
                <h2 id="samples-heading">{ "Test images" }</h2>
                <div class="sample-grid sample-grid-loading" data-testid="sample-grid"
                     data-state="loading" ref={grid}>
                    { for (0..30).map(|_| html! { <div class="sample-skeleton"></div> }) }
                </div>
            </section>
        };
    };
    html! {
        <section class="card card-wide" aria-labelledby="samples-heading">
            <h2 id="samples-heading">{ "Test images" }</h2>
            <p class="card-note">
                { format!("{} of the {} held-out test images of {}, a few per class.",
                          samples.len(), props.test_count, props.dataset_name) }
            </p>
            <div class="sample-grid" data-testid="sample-grid" data-state="ready" ref={grid}>
                { for samples.iter().map(|sample| html! {
                    <figure class="sample" data-testid="sample" data-label={sample.label.to_string()}
                            key={sample.index}>
                        <canvas width={sample.width.to_string()} height={sample.height.to_string()}
                                role="img" aria-label={sample.class_name.clone()}></canvas>
                        <figcaption>{ &sample.class_name }</figcaption>
                    </figure>
                }) }
            </div>
        </section>
    }
}

/// Main-thread time spent drawing canvases before the page gets the event loop back.
const PAINT_BUDGET_MS: f64 = 8.0;

/// Starts painting `samples` on `grid`'s canvases (see [`paint`]); setting the returned
/// flag to false stops it.
pub fn paint_in_tasks(grid: Element, samples: Vec<Sample>) -> std::rc::Rc<std::cell::Cell<bool>> {
    let current = std::rc::Rc::new(std::cell::Cell::new(true));
    let flag = current.clone();
    wasm_bindgen_futures::spawn_local(async move { paint(&grid, &samples, &flag).await });
    current
}

/// Puts each sample's pixels on its canvas (same order as rendered), a few per task, then
/// stamps the paint time on the grid; stops early once `current` is false. Drawing
/// failures leave a canvas blank rather than panic.
pub async fn paint(grid: &Element, samples: &[Sample], current: &std::cell::Cell<bool>) {
    let Ok(canvases) = grid.query_selector_all("canvas") else {
        return;
    };
    let mut started = now_ms();
    for (i, sample) in samples.iter().enumerate() {
        if !current.get() {
            return;
        }
        let Some(canvas) = canvases
            .get(i as u32)
            .and_then(|node| node.dyn_into::<HtmlCanvasElement>().ok())
        else {
            continue;
        };
        let _ = measured("draw sample", || draw(&canvas, sample));
        if now_ms() - started >= PAINT_BUDGET_MS {
            yield_now().await;
            started = now_ms();
        }
    }
    if current.get() {
        let _ = grid.set_attribute("data-painted-ms", &format!("{:.0}", now_ms()));
    }
}

fn draw(canvas: &HtmlCanvasElement, sample: &Sample) -> Option<()> {
    let context = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()?;
    let image = ImageData::new_with_u8_clamped_array_and_sh(
        Clamped(&sample.rgba[..]),
        sample.width,
        sample.height,
    )
    .ok()?;
    context.put_image_data(&image, 0.0, 0.0).ok()
}
