//! A grid of real test images, drawn on canvases from their pixels, with class names.

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, ImageData};
use yew::prelude::*;

use crate::app::browser::now_ms;
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
            if let (Some(samples), Some(element)) = (samples, grid.cast::<Element>()) {
                paint(&element, samples);
            }
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

/// Puts each sample's pixels on its canvas (same order as rendered), then stamps the
/// paint time on the grid. Drawing failures leave a canvas blank rather than panic.
pub fn paint(grid: &Element, samples: &[Sample]) {
    let Ok(canvases) = grid.query_selector_all("canvas") else {
        return;
    };
    for (i, sample) in samples.iter().enumerate() {
        let Some(canvas) = canvases
            .get(i as u32)
            .and_then(|node| node.dyn_into::<HtmlCanvasElement>().ok())
        else {
            continue;
        };
        let _ = draw(&canvas, sample);
    }
    let _ = grid.set_attribute("data-painted-ms", &format!("{:.0}", now_ms()));
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
