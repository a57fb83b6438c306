//! A small SVG line chart of a series (the loss curve), scaled to its own range.

use yew::prelude::*;

/// Props of [`Sparkline`].
#[derive(Properties, PartialEq)]
pub struct SparklineProps {
    /// The values, in order.
    pub values: Vec<f32>,
    /// Number of x positions to reserve (so the line grows left to right while running).
    #[prop_or_default]
    pub capacity: usize,
    /// Accessible label.
    pub label: AttrValue,
}

const WIDTH: f32 = 240.0;
const HEIGHT: f32 = 56.0;
const PAD: f32 = 4.0;

/// `data-testid="smoke-sparkline"`: a polyline through the values, with a dot on the last.
#[component]
pub fn Sparkline(props: &SparklineProps) -> Html {
    let points = layout(&props.values, props.capacity.max(props.values.len()));
    let line = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let last = points.last().copied();
    html! {
        <svg class="sparkline" data-testid="smoke-sparkline" role="img" aria-label={props.label.clone()}
             viewBox={format!("0 0 {WIDTH} {HEIGHT}")} preserveAspectRatio="none">
            <line x1="0" y1={(HEIGHT - PAD).to_string()} x2={WIDTH.to_string()}
                  y2={(HEIGHT - PAD).to_string()} class="sparkline-axis" />
            if points.len() > 1 {
                <polyline points={line} fill="none" class="sparkline-line"
                          stroke-width="2" stroke-linejoin="round" stroke-linecap="round"
                          vector-effect="non-scaling-stroke" />
            }
            if let Some((x, y)) = last {
                <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="3" class="sparkline-dot" />
            }
        </svg>
    }
}

/// Screen coordinates of each value: x spread over `capacity` slots, y over the finite
/// values' range (a flat series sits in the middle).
fn layout(values: &[f32], capacity: usize) -> Vec<(f32, f32)> {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let lo = finite.clone().fold(f32::INFINITY, f32::min);
    let hi = finite.fold(f32::NEG_INFINITY, f32::max);
    let span = hi - lo;
    let slots = capacity.saturating_sub(1).max(1) as f32;
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, &v)| {
            let x = PAD + (WIDTH - 2.0 * PAD) * i as f32 / slots;
            let t = if span > 0.0 { (v - lo) / span } else { 0.5 };
            (x, PAD + (HEIGHT - 2.0 * PAD) * (1.0 - t))
        })
        .collect()
}
