//! Reading a link: its `key=value` pairs, the format version, the search settings and
//! what the page shows. Every value that cannot be used is left at its default and
//! recorded as a [`Notice`].

use super::named::{parse_candidate, parse_files};
use super::values::{clamp_f, decode, note, parse_backend, parse_enum, parse_int, short};
use super::{Link, Notice, EXAMPLE_RUN, FILES_KEY, LINK_DATASETS, LINK_VERSION};
use crate::engine::exits::ExitRule;
use crate::engine::results::CostConvention;
use crate::engine::space::Method;
use crate::engine::units::{format_macs, parse_macs};
use crate::playground::controls::{Control, View};
use crate::playground::lesson::Lesson;
use crate::playground::settings::{Limits, Settings};
use crate::playground::user_data::is_user_id;

/// A hash's `key=value` pairs, decoded; the last of a repeated key wins.
pub(super) struct Pairs(Vec<(String, String)>);

impl Pairs {
    pub(super) fn of(hash: &str) -> Pairs {
        Pairs(
            hash.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (decode(k), decode(v)),
                    None => (decode(p), String::new()),
                })
                .collect(),
        )
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Whether the link's format version can be read (a missing or unreadable one is read as
/// the current version, with a notice; a newer one is not).
pub(super) fn version_readable(pairs: &Pairs, notes: &mut Vec<Notice>) -> bool {
    let get = |key: &str| pairs.get(key);
    match get("v").map(|v| v.trim().parse::<u32>()) {
        None => note(
            notes,
            "v",
            format!("no format version; read as version {LINK_VERSION}"),
        ),
        Some(Ok(v)) if v > LINK_VERSION => {
            note(notes, "v", format!("this link uses format version {v}, newer than this page understands ({LINK_VERSION}); it was ignored and the defaults are shown"));
            return false;
        }
        Some(Ok(v)) if v >= 1 => {}
        Some(_) => note(
            notes,
            "v",
            format!(
                "'{}' is not a format version; read as version {LINK_VERSION}",
                get("v").unwrap_or("")
            ),
        ),
    }
    true
}

/// The search settings: dataset (and a user dataset's files), method, target, rule and
/// cost, then the budget and compute ([`parse_budget`]).
pub(super) fn parse_settings(pairs: &Pairs, notes: &mut Vec<Notice>, link: &mut Link) {
    let get = |key: &str| pairs.get(key);
    let s = &mut link.settings;
    if let Some(v) = get("data") {
        match LINK_DATASETS.iter().find(|d| **d == v) {
            Some(d) => s.dataset = (*d).to_owned(),
            None if is_user_id(v) => s.dataset = v.to_owned(),
            None => note(notes, "data", format!("'{}' is not a dataset this page ships (it may be a dataset loaded on another computer); {} is shown", short(v), s.dataset)),
        }
    }
    if is_user_id(&s.dataset) {
        link.files = parse_files(notes, get(FILES_KEY));
    }
    parse_enum(notes, get("method"), "method", &mut s.method, |v| {
        v.parse::<Method>().ok()
    });
    if let Some(v) = get("target") {
        match parse_macs(v) {
            Ok(t) => {
                s.mac_target = clamp_f(notes, "target", t.round(), Limits::MAC_TARGET, format_macs)
            }
            Err(_) => note(
                notes,
                "target",
                format!(
                    "'{}' is not a MAC count; {} is used",
                    short(v),
                    format_macs(s.mac_target)
                ),
            ),
        }
    }
    parse_enum(notes, get("rule"), "rule", &mut s.exit_rule, |v| {
        v.parse::<ExitRule>().ok()
    });
    parse_enum(notes, get("cost"), "cost", &mut s.cost_convention, |v| {
        v.parse::<CostConvention>().ok()
    });
    parse_budget(pairs, notes, s);
}

/// The budget and compute settings: evaluations, epochs, supernet, training images, seed,
/// workers, backend.
fn parse_budget(pairs: &Pairs, notes: &mut Vec<Notice>, s: &mut Settings) {
    let get = |key: &str| pairs.get(key);
    parse_int(notes, get("doe"), "doe", &mut s.n_doe, Limits::DOE);
    parse_int(
        notes,
        get("iters"),
        "iters",
        &mut s.iterations,
        Limits::ITERATIONS,
    );
    parse_int(notes, get("k"), "k", &mut s.per_iter, Limits::PER_ITER);
    parse_int(
        notes,
        get("epochs"),
        "epochs",
        &mut s.epochs,
        Limits::EPOCHS,
    );
    parse_int(
        notes,
        get("supernet"),
        "supernet",
        &mut s.supernet_epochs,
        Limits::SUPERNET_EPOCHS,
    );
    match get("backbone") {
        Some("shipped") => s.shipped_supernet = true,
        Some("own") => s.shipped_supernet = false,
        Some(v) => note(notes, "backbone", format!("'{v}' is not shipped or own")),
        None => {}
    }
    parse_int(
        notes,
        get("train"),
        "train",
        &mut s.train_samples,
        Limits::TRAIN_SAMPLES,
    );
    let mut seed = s.seed as usize;
    parse_int(notes, get("seed"), "seed", &mut seed, Limits::SEED);
    s.seed = seed as u64;
    parse_int(
        notes,
        get("workers"),
        "workers",
        &mut s.workers,
        Limits::WORKERS,
    );
    parse_enum(
        notes,
        get("backend"),
        "backend",
        &mut s.backend,
        parse_backend,
    );
}

/// What the page shows: the linked network, the view, hidden controls, the lesson and the
/// example run.
pub(super) fn parse_page(pairs: &Pairs, notes: &mut Vec<Notice>, link: &mut Link) {
    let get = |key: &str| pairs.get(key);
    link.candidate = parse_candidate(
        notes,
        &link.settings,
        get("genome"),
        get("vrule"),
        get("th"),
    );
    if let Some(v) = get("view") {
        match View::from_name(v) {
            Some(view) => link.view = view,
            None => note(
                notes,
                "view",
                format!("'{}' is not a view; the search view is shown", short(v)),
            ),
        }
    }
    if let Some(v) = get("hide") {
        for name in v.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match Control::from_name(name) {
                Some(c) => {
                    link.hide.insert(c);
                }
                None => note(
                    notes,
                    "hide",
                    format!("'{}' is not a control that can be hidden", short(name)),
                ),
            }
        }
    }
    if let Some(v) = get("lesson") {
        match Lesson::from_name(v) {
            Some(lesson) => {
                let mut step = 1;
                parse_int(notes, get("step"), "step", &mut step, (1, lesson.steps()));
                link.lesson = Some((lesson, step - 1));
            }
            None => note(notes, "lesson", format!("'{}' is not a lesson", short(v))),
        }
    }
    match get("run") {
        Some(EXAMPLE_RUN) if is_user_id(&link.settings.dataset) => note(
            notes,
            "run",
            "only the shipped datasets have an example run; the saved run is shown".into(),
        ),
        Some(EXAMPLE_RUN) => link.example = true,
        Some(v) => note(
            notes,
            "run",
            format!("'{}' is not a run this page ships (example)", short(v)),
        ),
        None => {}
    }
}
