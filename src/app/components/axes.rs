//! Shared SVG chart furniture: the plot frame, gridlines, tick labels and axis titles.

use yew::prelude::*;

use crate::app::plot::Scale;
use crate::engine::units::format_macs;

/// Where the plot area sits inside the SVG's view box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// View box width.
    pub w: f64,
    /// View box height.
    pub h: f64,
    /// Left margin (y tick labels).
    pub left: f64,
    /// Right margin.
    pub right: f64,
    /// Top margin.
    pub top: f64,
    /// Bottom margin (x tick labels and title).
    pub bottom: f64,
}

impl Frame {
    /// The x pixel interval.
    pub fn xr(&self) -> (f64, f64) {
        (self.left, self.w - self.right)
    }
    /// The y pixel interval (bottom to top).
    pub fn yr(&self) -> (f64, f64) {
        (self.h - self.bottom, self.top)
    }
    /// `viewBox` attribute.
    pub fn view_box(&self) -> String {
        format!("0 0 {} {}", self.w, self.h)
    }
}

/// How tick values are written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TickFormat {
    /// A MAC count (`1.5M`).
    Macs,
    /// A fraction as a percentage without the sign, decimals as the step needs.
    Percent,
    /// A plain number, decimals as the step needs.
    Plain,
}

fn label(v: f64, step: f64, format: TickFormat) -> String {
    let decimals = |s: f64| {
        if s >= 1.0 {
            0
        } else if s >= 0.1 {
            1
        } else if s >= 0.01 {
            2
        } else {
            3
        }
    };
    match format {
        TickFormat::Macs => format_macs(v),
        TickFormat::Percent => format!("{:.*}", decimals(100.0 * step), 100.0 * v),
        TickFormat::Plain => format!("{:.*}", decimals(step), v),
    }
}

/// Gridlines, tick labels, axis lines and the two axis titles.
pub fn axes(
    f: &Frame,
    x: &Scale,
    y: &Scale,
    (xf, yf): (TickFormat, TickFormat),
    (xt, yt): (&str, &str),
) -> Html {
    let xs = x.ticks(((f.w - f.left - f.right) / 90.0).max(2.0) as usize);
    let ys = y.ticks(((f.h - f.top - f.bottom) / 50.0).max(2.0) as usize);
    let step = |t: &[f64]| if t.len() > 1 { t[1] - t[0] } else { 1.0 };
    let (xstep, ystep) = (step(&xs), step(&ys));
    let (x0, x1) = f.xr();
    let (y0, y1) = f.yr();
    html! {
        <g class="axes">
            { for ys.iter().map(|&v| html! {
                <g>
                    <line class="grid" x1={n(x0)} x2={n(x1)} y1={n(y.at(v))} y2={n(y.at(v))} />
                    <text class="tick" x={n(x0 - 6.0)} y={n(y.at(v) + 4.0)} text-anchor="end">{ label(v, ystep, yf) }</text>
                </g>
            }) }
            { for xs.iter().map(|&v| html! {
                <text class="tick" x={n(x.at(v))} y={n(y0 + 16.0)} text-anchor="middle">{ label(v, xstep, xf) }</text>
            }) }
            <line class="axis" x1={n(x0)} x2={n(x1)} y1={n(y0)} y2={n(y0)} />
            <line class="axis" x1={n(x0)} x2={n(x0)} y1={n(y1)} y2={n(y0)} />
            <text class="axis-title" x={n((x0 + x1) / 2.0)} y={n(f.h - 6.0)} text-anchor="middle">{ xt.to_owned() }</text>
            <text class="axis-title" transform={format!("translate(13 {}) rotate(-90)", n((y0 + y1) / 2.0))}
                  text-anchor="middle">{ yt.to_owned() }</text>
        </g>
    }
}

/// A coordinate with one decimal.
pub fn n(v: f64) -> String {
    format!("{v:.1}")
}
