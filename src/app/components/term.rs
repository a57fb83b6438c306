//! A word with an explanation for learners: dotted underline, a tooltip on hover and on
//! keyboard focus (CSS, from `data-tip`), and the same text for screen readers.

use yew::prelude::*;

/// The terms the page explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    /// Early exit.
    Exit,
    /// Exit threshold.
    Threshold,
    /// Multiply-accumulate.
    Mac,
    /// Pareto front.
    Pareto,
    /// Hypervolume.
    Hypervolume,
    /// Confidence rule.
    Confidence,
    /// MAC target.
    Target,
    /// Supernet.
    Supernet,
}

impl Word {
    /// The explanation.
    pub fn tip(self) -> &'static str {
        match self {
            Word::Exit => "An exit is a small classifier attached partway through the network. If it is confident enough, the image leaves there and the rest of the network is skipped.",
            Word::Threshold => "The confidence an exit needs before an image may leave there. Higher thresholds send more images deeper: usually more accurate, always more MACs.",
            Word::Mac => "Multiply-accumulate operations of the conv and linear layers for one image — a hardware-independent measure of compute. Avg MACs averages over where the test images actually exit.",
            Word::Pareto => "The candidates no other candidate beats on both accuracy and avg MACs at once. Every point on the front is a best trade-off.",
            Word::Hypervolume => "The area the evaluated candidates dominate in the (error, avg MACs) plane, up to a fixed reference point. It grows when the search finds better trade-offs.",
            Word::Confidence => "How sure an exit is: score margin (top-1 minus top-2 probability), max softmax (top-1 probability) or 1 − normalised entropy.",
            Word::Target => "The compute budget T: the search looks for networks whose average MACs per image come close to it.",
            Word::Supernet => "A large network trained once whose weights every candidate inherits, so candidates need only a short fine-tuning.",
        }
    }
}

/// Props of [`Term`].
#[derive(Properties, PartialEq)]
pub struct TermProps {
    /// Which term.
    pub word: Word,
    /// The visible text.
    pub children: Html,
}

/// `<span class="term" tabindex="0" data-tip=…>children</span>`, the tip repeated in a
/// visually hidden span for screen readers.
#[component]
pub fn Term(props: &TermProps) -> Html {
    let tip = props.word.tip();
    html! {
        <span class="term" tabindex="0" data-tip={tip}>
            { props.children.clone() }
            <span class="sr-only">{ format!(" ({tip})") }</span>
        </span>
    }
}
