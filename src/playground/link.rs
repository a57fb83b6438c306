//! The page's configuration as a shareable link: readable `key=value` pairs in the URL
//! hash (as TensorFlow Playground does), with a format version key `v`.
//!
//! ```text
//! #v=1&data=fashion-mnist&method=aebnas&target=1M&rule=margin&cost=cumulative
//!  &doe=4&iters=1&k=4&epochs=1&supernet=0&train=2048&seed=1&backend=auto
//!  &genome=2,0,1,…&vrule=margin&th=0.42,off&view=candidate&hide=seed,backend&run=example
//! ```
//!
//! [`Link::to_hash`] writes every field; [`Link::parse`] reads any text without panicking:
//! unknown keys are ignored, every value is validated and clamped to the range its
//! control allows ([`Limits`]), and each value it could not take becomes a [`Notice`]
//! (the page lists them). A link from a newer format version is refused as a whole.
//! `parse(to_hash(l)) == l` for every link the page can produce (property test).

use std::collections::BTreeSet;

use super::lesson::Lesson;
use super::setting_fields::Field;
use super::settings::Settings;
use super::user_data::is_user_id;
use crate::engine::exits::ExitRule;
use crate::engine::genome::Genome;
use crate::engine::space::SearchSpace;

pub use super::controls::{Control, View};

mod named;
mod read;
mod values;
use read::{parse_page, parse_settings, version_readable, Pairs};
/// Percent-encodes a link value (everything but `A–Z a–z 0–9 - _ . , ~`).
pub(crate) use values::encode;
use values::{format_target, format_threshold, note};

/// The link format this build writes; links with a larger `v` are refused.
pub const LINK_VERSION: u32 = 1;
/// Longer hashes are not parsed at all (a link the page writes stays under 2,000).
pub const MAX_HASH_CHARS: usize = 16_384;
/// Datasets a link may name (the shipped ones; `data/datasets.json`).
pub const LINK_DATASETS: [&str; 2] = ["fashion-mnist", "mnist"];
/// The `run` value that opens the dataset's shipped example run.
pub const EXAMPLE_RUN: &str = "example";
/// The key of a user dataset's file names: comma-separated, each
/// `user_data::valid_link_file`, at most `user_data::LINK_FILES_MAX`.
pub const FILES_KEY: &str = "files";

/// The selected candidate carried by a link: the network and how it is looked at.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkCandidate {
    /// Its genome (canonical for the link's method).
    pub genome: Genome,
    /// Confidence rule of the sliders.
    pub rule: ExitRule,
    /// One threshold per enabled early exit, each in `[0, 1]` or [`NEVER`] (off).
    pub thresholds: Vec<f32>,
}

/// Everything a link restores.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Link {
    /// Every setting control.
    pub settings: Settings,
    /// The selected candidate, if any.
    pub candidate: Option<LinkCandidate>,
    /// The files of a user dataset (`data=user-…`), which a recipient must load; written
    /// only for user datasets ([`FILES_KEY`]).
    pub files: Vec<String>,
    /// The section the page opens at.
    pub view: View,
    /// Controls hidden for a classroom page.
    pub hide: BTreeSet<Control>,
    /// A guided lesson and its step (0-based).
    pub lesson: Option<(Lesson, usize)>,
    /// Whether the page shows the dataset's shipped example run (`run=example`; shipped
    /// datasets only) rather than the run saved in the browser.
    pub example: bool,
}

/// Something in a link the page did not take as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The key (or `v` / `link` for the whole link).
    pub key: String,
    /// What happened, for the user.
    pub message: String,
}

/// A field's text in a link: the MAC target in its short form; the method's default
/// tuning and predictor and the automatic worker count (the machine's setting, not the
/// run's) are left out, so that older links read the same.
fn link_value(f: Field, s: &Settings) -> Option<String> {
    match f {
        Field::MacTarget => Some(format_target(s.mac_target)),
        Field::Tuning if s.tuning.is_none() => None,
        Field::Predictor if s.predictor.is_none() => None,
        Field::Workers if s.workers == 0 => None,
        f => Some(f.format(s)),
    }
}

/// The search space of a shipped dataset (both are 1×28×28, 10 classes).
pub fn link_space() -> SearchSpace {
    SearchSpace::browser(1, 28, 10)
}

impl Link {
    /// The hash text, without the leading `#`.
    pub fn to_hash(&self) -> String {
        let s = &self.settings;
        let mut kv: Vec<(&str, String)> = vec![("v", LINK_VERSION.to_string())];
        kv.extend(
            Field::ALL
                .into_iter()
                .filter_map(|f| Some((f.spec().key?, link_value(f, s)?))),
        );
        if is_user_id(&s.dataset) && !self.files.is_empty() {
            kv.push((FILES_KEY, self.files.join(",")));
        }
        if let Some(c) = &self.candidate {
            kv.push(("genome", c.genome.to_string()));
            kv.push(("vrule", c.rule.name().into()));
            let th: Vec<String> = c.thresholds.iter().map(|&t| format_threshold(t)).collect();
            kv.push(("th", th.join(",")));
        }
        if self.view != View::default() {
            kv.push(("view", self.view.name().into()));
        }
        if !self.hide.is_empty() {
            let names: Vec<&str> = self.hide.iter().map(|c| c.name()).collect();
            kv.push(("hide", names.join(",")));
        }
        if let Some((lesson, step)) = self.lesson {
            kv.push(("lesson", lesson.name().into()));
            kv.push(("step", (step + 1).to_string()));
        }
        if self.example {
            kv.push(("run", EXAMPLE_RUN.into()));
        }
        kv.iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads a hash (with or without the leading `#`). Never fails: what cannot be used
    /// falls back to the default and is listed in the notices.
    pub fn parse(hash: &str) -> (Link, Vec<Notice>) {
        let mut link = Link::default();
        let mut notes = Vec::new();
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        if hash.trim().is_empty() {
            return (link, notes);
        }
        if hash.len() > MAX_HASH_CHARS {
            note(&mut notes, "link", format!("the link is {} characters long (limit {MAX_HASH_CHARS}); all of it was ignored", hash.len()));
            return (link, notes);
        }
        let pairs = Pairs::of(hash);
        if !version_readable(&pairs, &mut notes) {
            return (link, notes);
        }
        parse_settings(&pairs, &mut notes, &mut link);
        parse_page(&pairs, &mut notes, &mut link);
        (link, notes)
    }
}

#[cfg(test)]
#[path = "link_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "link_fuzz_tests.rs"]
mod fuzz_tests;
