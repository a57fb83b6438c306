//! The link keys that name things rather than settings: the files of a user dataset
//! (`files`) and the selected candidate (`genome`, `vrule`, `th`), each validated with a
//! [`Notice`] for whatever could not be taken.

use super::values::{note, parse_enum, short};
use super::{link_space, LinkCandidate, Notice, FILES_KEY};
use crate::engine::arch::Architecture;
use crate::engine::assign::NEVER;
use crate::engine::exits::ExitRule;
use crate::engine::genome::Genome;
use crate::playground::settings::Settings;
use crate::playground::user_data::{valid_link_file, LINK_FILES_MAX, LINK_FILES_TOTAL_CHARS};

/// The `files` key: link-safe names, at most [`LINK_FILES_MAX`]; others are dropped
/// with a notice.
pub(super) fn parse_files(notes: &mut Vec<Notice>, v: Option<&str>) -> Vec<String> {
    let Some(v) = v else { return Vec::new() };
    let mut files: Vec<String> = Vec::new();
    let (mut dropped, mut used) = (0, 0);
    for name in v.split(',').filter(|n| !n.is_empty()) {
        let fits = files.len() < LINK_FILES_MAX && used + name.len() <= LINK_FILES_TOTAL_CHARS;
        if valid_link_file(name) && fits {
            used += name.len() + 1;
            files.push(name.to_owned());
        } else {
            dropped += 1;
        }
    }
    if dropped > 0 {
        note(
            notes,
            FILES_KEY,
            format!("{dropped} file name(s) were not usable (at most {LINK_FILES_MAX} names, {LINK_FILES_TOTAL_CHARS} characters together, of letters, digits, spaces and . _ - ( ) + ~ /) and are not listed"),
        );
    }
    files
}

/// The candidate keys: a valid genome for the link's space and method, and one
/// threshold per enabled exit (clamped to `[0, 1]`, `off` allowed).
pub(super) fn parse_candidate(
    notes: &mut Vec<Notice>,
    settings: &Settings,
    genome: Option<&str>,
    rule: Option<&str>,
    th: Option<&str>,
) -> Option<LinkCandidate> {
    let text = genome?;
    let space = link_space();
    let genome = match text
        .parse::<Genome>()
        .map_err(|e| e.to_string())
        .and_then(|g| {
            Architecture::decode(&space, settings.method, &g).map_err(|e| e.to_string())?;
            Ok(g.canonical(&space, settings.method))
        }) {
        Ok(g) => g,
        Err(e) => {
            note(
                notes,
                "genome",
                format!(
                    "the network in the link is not valid here ({e}); no candidate is selected"
                ),
            );
            return None;
        }
    };
    let exits = (0..space.exit_positions.len())
        .filter(|&j| genome.exit_enabled(&space, settings.method, j))
        .count();
    let mut rule_v = settings.exit_rule;
    parse_enum(notes, rule, "vrule", &mut rule_v, |v| {
        v.parse::<ExitRule>().ok()
    });
    let mut thresholds = vec![NEVER; exits];
    let given: Vec<&str> = th.map(|t| t.split(',').collect()).unwrap_or_default();
    if given.len() != exits && th.is_some() {
        note(notes, "th", format!("{} thresholds given for {exits} enabled exits; missing ones are off, extra ones ignored", given.len()));
    }
    for (slot, text) in thresholds.iter_mut().zip(&given) {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            continue;
        }
        match text.parse::<f32>() {
            Ok(t) if t.is_finite() => {
                let c = t.clamp(0.0, 1.0);
                if c != t {
                    note(
                        notes,
                        "th",
                        format!("threshold {} is outside 0–1; {c} is used", short(text)),
                    );
                }
                *slot = (c * 100.0).round() / 100.0;
            }
            _ => note(
                notes,
                "th",
                format!("'{}' is not a threshold; that exit is off", short(text)),
            ),
        }
    }
    Some(LinkCandidate {
        genome,
        rule: rule_v,
        thresholds,
    })
}
