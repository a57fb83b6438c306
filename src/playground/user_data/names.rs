//! Names of user datasets: their ids (`user-<slug>-<fingerprint>`, see [`super`]) and the
//! link-safe file names a link lists so that a recipient knows which files to load.

use super::{LINK_FILES_MAX, LINK_FILES_TOTAL_CHARS, LINK_FILE_CHARS, MAX_ID_CHARS, USER_PREFIX};
use crate::data::Dataset;

/// Whether `id` names a user dataset: `user-` then 1–35 of `a-z 0-9 -`, not ending in `-`.
pub fn is_user_id(id: &str) -> bool {
    let Some(rest) = id.strip_prefix(USER_PREFIX) else {
        return false;
    };
    id.len() <= MAX_ID_CHARS
        && !rest.is_empty()
        && !rest.starts_with('-')
        && !rest.ends_with('-')
        && rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A slug of `name`: lower-case ASCII letters and digits, other runs as one `-`, at most
/// 24 characters; `data` when nothing is left. The extension(s) are dropped.
pub fn slug(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.split('.').next().unwrap_or(base);
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.truncate(24);
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "data".into()
    } else {
        out
    }
}

/// FNV-1a (64 bit) over the shape, classes, pixels and labels of both parts.
pub fn fingerprint(train: &Dataset, test: &Dataset) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for d in [train, test] {
        for v in [d.channels, d.height, d.width, d.len()] {
            eat(&(v as u64).to_le_bytes());
        }
        for c in &d.classes {
            eat(c.as_bytes());
            eat(&[0]);
        }
        eat(&d.images);
        for l in &d.labels {
            eat(&l.to_le_bytes());
        }
    }
    h
}

/// The id for files named like `first_file` whose data has this fingerprint.
pub fn make_id(first_file: &str, fingerprint: u64) -> String {
    format!(
        "{USER_PREFIX}{}-{:08x}",
        slug(first_file),
        fingerprint >> 32
    )
}

/// Whether `name` may appear in a link's `files` list: 1–[`LINK_FILE_CHARS`] of
/// `A-Z a-z 0-9 . _ - ( ) + ~ /` and space, not only spaces.
pub fn valid_link_file(name: &str) -> bool {
    !name.trim().is_empty()
        && name.chars().count() <= LINK_FILE_CHARS
        && name.chars().all(link_char)
}

/// A character a link's file name may hold.
fn link_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '(' | ')' | '+' | '~' | '/' | ' ')
}

/// A file name made link-safe: other characters become `_`, at most
/// [`LINK_FILE_CHARS`] characters (the end is kept: it holds the extension).
pub fn link_safe(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if link_char(c) { c } else { '_' })
        .collect();
    let n = clean.chars().count();
    let clean: String = clean
        .chars()
        .skip(n.saturating_sub(LINK_FILE_CHARS))
        .collect();
    if clean.trim().is_empty() {
        "_".into()
    } else {
        clean
    }
}

/// The names a recipient must load, for the meta and links: each file's name (link-safe)
/// when there are at most [`LINK_FILES_MAX`]; otherwise the distinct top folders (as
/// `folder/`), cut to [`LINK_FILES_MAX`] names.
pub fn files_for_link(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if names.len() <= LINK_FILES_MAX {
        out = names.iter().map(|n| link_safe(n)).collect();
    } else {
        for n in names {
            let top = match n.split_once(['/', '\\']) {
                Some((dir, _)) => format!("{}/", dir),
                None => n.clone(),
            };
            let top = link_safe(&top);
            if !out.contains(&top) {
                out.push(top);
            }
        }
    }
    out.truncate(LINK_FILES_MAX);
    let mut used = 0;
    out.retain(|n| {
        used += n.len() + 1;
        used <= LINK_FILES_TOTAL_CHARS + 1
    });
    out
}
