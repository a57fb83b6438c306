//! What each lesson step does to the page: it rewrites the page's [`Link`] (settings,
//! selected network, thresholds, view), so a step is reproducible and shareable like any
//! other configuration. The lessons' names and texts are in `lesson.rs`.

use super::controls::View;
use super::lesson::Lesson;
use super::link::{link_space, Link, LinkCandidate};
use crate::engine::assign::NEVER;
use crate::engine::exits::ExitRule;
use crate::engine::genome::default_genome;
use crate::engine::space::Method;

impl Lesson {
    /// Puts `link` into the state step `step` (0-based, clamped) talks about.
    pub fn apply(self, step: usize, link: &mut Link) {
        let step = step.min(self.steps() - 1);
        link.lesson = Some((self, step));
        let s = &mut link.settings;
        s.dataset = "fashion-mnist".into();
        s.method = Method::Aebnas;
        s.exit_rule = ExitRule::Margin;
        let space = link_space();
        let genome = default_genome(&space).canonical(&space, Method::Aebnas);
        let exits = (0..space.exit_positions.len())
            .filter(|&j| genome.exit_enabled(&space, Method::Aebnas, j))
            .count();
        let thresholds = match step {
            0 => vec![NEVER; exits],
            1 => (0..exits)
                .map(|j| if j == 0 { 0.5 } else { NEVER })
                .collect(),
            _ => vec![0.3; exits],
        };
        if step < 3 {
            link.candidate = Some(LinkCandidate {
                genome,
                rule: ExitRule::Margin,
                thresholds,
            });
            link.view = View::Candidate;
        } else {
            s.n_doe = 4;
            s.iterations = 1;
            s.per_iter = 4;
            s.epochs = 1;
            link.view = View::Search;
        }
    }
}
