//! Reading a link: its `key=value` pairs, the format version, the search settings and
//! what the page shows. Every value that cannot be used is left at its default and
//! recorded as a [`Notice`].

use super::named::{parse_candidate, parse_files};
use super::values::{clamp_f, decode, note, parse_int, short};
use super::{Link, Notice, EXAMPLE_RUN, FILES_KEY, LINK_DATASETS, LINK_VERSION};
use crate::engine::units::{format_macs, parse_macs};
use crate::playground::controls::{Control, View};
use crate::playground::lesson::Lesson;
use crate::playground::setting_fields::{Field, Limits};
use crate::playground::settings::Settings;
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

/// The search settings, field by field in the table's order ([`Field::ALL`], those with a
/// link key): the dataset (and a user dataset's files), the MAC target and the backbone
/// have their own readers; numbers are clamped into the table's limits, choices must be
/// one of their names.
pub(super) fn parse_settings(pairs: &Pairs, notes: &mut Vec<Notice>, link: &mut Link) {
    for f in Field::ALL {
        let Some(key) = f.spec().key else { continue };
        let Some(v) = pairs.get(key) else { continue };
        match f {
            Field::Dataset => parse_dataset(notes, v, link, pairs.get(FILES_KEY)),
            Field::MacTarget => parse_target(notes, v, &mut link.settings),
            Field::Backbone => match v {
                "shipped" | "own" => link.settings.shipped_supernet = v == "shipped",
                _ => note(notes, key, format!("'{v}' is not shipped or own")),
            },
            f => match f.spec().limits {
                Some((lo, hi)) => {
                    let mut n = f
                        .format(&link.settings)
                        .parse::<usize>()
                        .unwrap_or(lo as usize);
                    parse_int(notes, Some(v), key, &mut n, (lo as usize, hi as usize));
                    let _ = f.set(&mut link.settings, &n.to_string());
                }
                None => {
                    let mut trial = link.settings.clone();
                    match f.set(&mut trial, v) {
                        Ok(()) => link.settings = trial,
                        Err(_) => note(
                            notes,
                            key,
                            format!("'{}' is not a valid {key}; the default is used", short(v)),
                        ),
                    }
                }
            },
        }
    }
    if !is_user_id(&link.settings.dataset) {
        link.files.clear();
    }
}

/// A shipped dataset's id, or a user dataset's (with the files it was made of).
fn parse_dataset(notes: &mut Vec<Notice>, v: &str, link: &mut Link, files: Option<&str>) {
    let s = &mut link.settings;
    match LINK_DATASETS.iter().find(|d| **d == v) {
        Some(d) => s.dataset = (*d).to_owned(),
        None if is_user_id(v) => s.dataset = v.to_owned(),
        None => note(notes, "data", format!("'{}' is not a dataset this page ships (it may be a dataset loaded on another computer); {} is shown", short(v), s.dataset)),
    }
    if is_user_id(&s.dataset) {
        link.files = parse_files(notes, files);
    }
}

/// The MAC target (`600k`, `1.5M`, …), clamped into its limits.
fn parse_target(notes: &mut Vec<Notice>, v: &str, s: &mut Settings) {
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
