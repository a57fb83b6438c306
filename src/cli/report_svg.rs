//! The SVG Pareto plot of `aebnas report --svg`: validation accuracy against validation
//! avg MACs, every run's archive faint and its front as a staircase, the targets dashed.

use std::fmt::Write as _;

use crate::engine::results::RunResults;
use crate::engine::search::pareto_indices;
use crate::engine::ticks::nice_ticks;
use crate::engine::units::format_macs;

const COLOURS: [&str; 10] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#7f7f7f", "#bcbd22",
];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The plot's frame: the SVG size and margins, and the data ranges it maps.
struct Frame {
    w: f64,
    h: f64,
    ml: f64,
    mr: f64,
    mt: f64,
    mb: f64,
    x: (f64, f64),
    y: (f64, f64),
}

impl Frame {
    /// A 760 × 500 frame around every archive point and target, padded by 5 %.
    fn around(runs: &[(String, RunResults)], targets: &[f64]) -> Frame {
        let pts = runs.iter().flat_map(|(_, r)| {
            r.archive
                .iter()
                .map(|c| (c.val_avg_macs, 100.0 * c.val_accuracy))
        });
        let (mut x0, mut x1, mut y0, mut y1) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for (x, y) in pts.chain(targets.iter().map(|&t| (t, f64::NAN))) {
            if x.is_finite() {
                (x0, x1) = (x0.min(x), x1.max(x));
            }
            if y.is_finite() {
                (y0, y1) = (y0.min(y), y1.max(y));
            }
        }
        if !x0.is_finite() {
            (x0, x1) = (0.0, 1.0);
        }
        if !y0.is_finite() {
            (y0, y1) = (0.0, 100.0);
        }
        let (px, py) = (0.05 * (x1 - x0).max(1.0), 0.05 * (y1 - y0).max(0.5));
        Frame {
            w: 760.0,
            h: 500.0,
            ml: 70.0,
            mr: 200.0,
            mt: 30.0,
            mb: 60.0,
            x: ((x0 - px).max(0.0), x1 + px),
            y: ((y0 - py).max(0.0), (y1 + py).min(100.0)),
        }
    }

    fn sx(&self, x: f64) -> f64 {
        self.ml + (x - self.x.0) / (self.x.1 - self.x.0) * (self.w - self.ml - self.mr)
    }

    fn sy(&self, y: f64) -> f64 {
        self.h - self.mb - (y - self.y.0) / (self.y.1 - self.y.0) * (self.h - self.mt - self.mb)
    }

    /// The box, ticks, grid lines, axis titles and dashed targets.
    fn axes(&self, s: &mut String, targets: &[f64]) {
        let (bx0, bx1, by0, by1) = (
            self.sx(self.x.0),
            self.sx(self.x.1),
            self.sy(self.y.1),
            self.sy(self.y.0),
        );
        let _ = writeln!(
            s,
            r#"<rect x="{bx0:.1}" y="{by0:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="black"/>"#,
            bx1 - bx0,
            by1 - by0
        );
        for t in nice_ticks(self.x.0, self.x.1, 5) {
            let x = self.sx(t);
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" y1="{by1:.1}" x2="{x:.1}" y2="{:.1}" stroke="black"/><line x1="{x:.1}" y1="{by0:.1}" x2="{x:.1}" y2="{by1:.1}" stroke="#ddd"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
                by1 + 5.0,
                by1 + 18.0,
                format_macs(t)
            );
        }
        for t in nice_ticks(self.y.0, self.y.1, 5) {
            let y = self.sy(t);
            let _ = writeln!(
                s,
                r##"<line x1="{:.1}" y1="{y:.1}" x2="{bx0:.1}" y2="{y:.1}" stroke="black"/><line x1="{bx0:.1}" y1="{y:.1}" x2="{bx1:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{t:.1}</text>"##,
                bx0 - 5.0,
                bx0 - 8.0,
                y + 4.0
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">avg MACs per sample (MACs of conv and linear layers)</text>"#,
            (bx0 + bx1) / 2.0,
            self.h - 15.0
        );
        let _ = writeln!(
            s,
            r#"<text transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle">validation accuracy (%)</text>"#,
            (by0 + by1) / 2.0
        );
        for &t in targets {
            let x = self.sx(t);
            let _ = writeln!(
                s,
                r#"<line x1="{x:.1}" y1="{by0:.1}" x2="{x:.1}" y2="{by1:.1}" stroke="black" stroke-dasharray="6 4"/><text x="{:.1}" y="{:.1}">target {}</text>"#,
                x + 4.0,
                by0 + 14.0,
                format_macs(t)
            );
        }
    }

    /// Run `k`: its archive faint, its front as a staircase, its legend entry.
    fn run(&self, s: &mut String, k: usize, label: &str, run: &RunResults) {
        let col = COLOURS[k % COLOURS.len()];
        let at = |c: &crate::engine::results::CandidateRecord| {
            (self.sx(c.val_avg_macs), self.sy(100.0 * c.val_accuracy))
        };
        for c in &run.archive {
            let (x, y) = at(c);
            let _ = writeln!(
                s,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="2.5" fill="{col}" fill-opacity="0.3"/>"#
            );
        }
        let front = pareto_indices(&run.archive);
        let mut path = String::new();
        for (n, &i) in front.iter().enumerate() {
            let (x, y) = at(&run.archive[i]);
            if n == 0 {
                let _ = write!(path, "M{x:.1},{y:.1}");
            } else {
                let _ = write!(path, " H{x:.1} V{y:.1}");
            }
        }
        let _ = writeln!(
            s,
            r#"<path d="{path}" fill="none" stroke="{col}" stroke-width="1.5"/>"#
        );
        for &i in &front {
            let (x, y) = at(&run.archive[i]);
            let _ = writeln!(s, r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{col}"/>"#);
        }
        let (lx, ly) = (self.sx(self.x.1), self.mt + 10.0 + 18.0 * k as f64);
        let name = format!(
            "{} seed {} ({label})",
            run.settings.method, run.settings.seed
        );
        let _ = writeln!(
            s,
            r#"<circle cx="{:.1}" cy="{ly:.1}" r="4" fill="{col}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            lx + 14.0,
            lx + 24.0,
            ly + 4.0,
            escape(&name)
        );
    }
}

/// SVG Pareto plot: validation accuracy (%) vs validation avg MACs (the figures the
/// fronts are chosen by), every archive point faint, each run's
/// front as a coloured staircase, one legend entry per run, the MAC target(s) dashed.
pub fn svg(runs: &[(String, RunResults)], targets: &[f64]) -> String {
    let frame = Frame::around(runs, targets);
    let (w, h) = (frame.w, frame.h);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    frame.axes(&mut s, targets);
    for (k, (label, run)) in runs.iter().enumerate() {
        frame.run(&mut s, k, label, run);
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape("a<b&\"c>"), "a&lt;b&amp;&quot;c&gt;");
    }
}
