//! Guided lessons for classrooms (`lesson=intro` in a link). Each step explains one idea
//! and puts the page into the state it talks about by rewriting the page's link
//! (settings, selected network, thresholds, view: `lesson_apply.rs`), so a step is
//! reproducible and shareable like any other configuration.

/// A guided lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lesson {
    /// Early exits, thresholds, MACs and the Pareto front on Fashion-MNIST.
    Intro,
}

/// One step of a lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Heading.
    pub title: &'static str,
    /// What to look at and why (plain text).
    pub text: &'static str,
}

const INTRO: [Step; 4] = [
    Step {
        title: "1 · An early exit",
        text: "This network has small classifiers (exits) part-way through. An image that an \
               exit is confident about leaves there and skips the rest of the network. With \
               every exit switched off, all images run to the end: look at the accuracy and \
               the average MACs (multiply-accumulates of the conv and linear layers).",
    },
    Step {
        title: "2 · Thresholds",
        text: "Each exit lets an image leave when its confidence (the gap between the two \
               highest class probabilities) is above the exit's threshold. The first exit is \
               now on at 0.5: see in the grid which images leave early, and which of those \
               are wrong (red).",
    },
    Step {
        title: "3 · MACs against accuracy",
        text: "Lower thresholds send more images out early: the average MACs fall, and \
               accuracy usually falls a little. Drag the sliders yourself and watch the \
               exit rates, the accuracy and the avg MACs against the target.",
    },
    Step {
        title: "4 · The Pareto front",
        text: "A search trains many networks and keeps those no other network beats on both \
               accuracy and avg MACs: the Pareto front. Press \"Run search\" for a small \
               search (8 networks); points over the MAC target are marked.",
    },
];

impl Lesson {
    /// The name in links.
    pub fn name(self) -> &'static str {
        match self {
            Lesson::Intro => "intro",
        }
    }

    /// The lesson of a link name.
    pub fn from_name(name: &str) -> Option<Lesson> {
        (name == "intro").then_some(Lesson::Intro)
    }

    /// Number of steps.
    pub fn steps(self) -> usize {
        self.all_steps().len()
    }

    /// The steps, in order.
    pub fn all_steps(self) -> &'static [Step] {
        match self {
            Lesson::Intro => &INTRO,
        }
    }
}
