//! Single link values: notices, clamped numbers and enums, MAC targets and thresholds as
//! short text, backend names, and the percent codec of the `key=value&…` syntax. Every
//! parser records what it could not take as a [`Notice`] instead of failing.

use super::Notice;

pub(super) fn note(notes: &mut Vec<Notice>, key: &str, message: String) {
    notes.push(Notice {
        key: key.into(),
        message,
    });
}

/// At most 40 characters of user text in a notice.
pub(super) fn short(v: &str) -> String {
    if v.chars().count() > 40 {
        format!("{}…", v.chars().take(40).collect::<String>())
    } else {
        v.to_owned()
    }
}

pub(super) fn parse_enum<T: Copy>(
    notes: &mut Vec<Notice>,
    v: Option<&str>,
    key: &str,
    slot: &mut T,
    f: impl Fn(&str) -> Option<T>,
) {
    if let Some(v) = v {
        match f(v.trim()) {
            Some(x) => *slot = x,
            None => note(
                notes,
                key,
                format!("'{}' is not a valid {key}; the default is used", short(v)),
            ),
        }
    }
}

pub(super) fn parse_int(
    notes: &mut Vec<Notice>,
    v: Option<&str>,
    key: &str,
    slot: &mut usize,
    (lo, hi): (usize, usize),
) {
    let Some(v) = v else { return };
    let t = v.trim();
    let parsed = t.parse::<u128>().ok().or_else(|| {
        // `1e6`-style or fractional numbers: take the rounded value.
        t.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .map(|x| x.round().min(u128::MAX as f64) as u128)
    });
    match parsed {
        Some(x) => {
            let c = x.clamp(lo as u128, hi as u128) as usize;
            if c as u128 != x {
                note(
                    notes,
                    key,
                    format!("{key} = {} is outside {lo}–{hi}; {c} is used", short(t)),
                );
            }
            *slot = c;
        }
        None => note(
            notes,
            key,
            format!(
                "'{}' is not a whole number; {key} = {} is used",
                short(t),
                *slot
            ),
        ),
    }
}

pub(super) fn clamp_f(
    notes: &mut Vec<Notice>,
    key: &str,
    v: f64,
    (lo, hi): (f64, f64),
    show: fn(f64) -> String,
) -> f64 {
    let c = v.clamp(lo, hi);
    if c != v {
        note(
            notes,
            key,
            format!(
                "{key} {} is outside {}–{}; {} is used",
                show(v),
                show(lo),
                show(hi),
                show(c)
            ),
        );
    }
    c
}

/// A MAC target as short text that parses back exactly (`1M`, `250k`, `1234567`).
pub(super) fn format_target(t: f64) -> String {
    let t = t.round();
    if t % 1e6 == 0.0 {
        format!("{}M", t / 1e6)
    } else if t % 1e3 == 0.0 {
        format!("{}k", t / 1e3)
    } else {
        format!("{t}")
    }
}

/// A threshold as text: two decimals, or `off`.
pub(super) fn format_threshold(t: f32) -> String {
    if t > 1.0 {
        "off".into()
    } else {
        let s = format!("{t:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Percent-encodes what would break the `key=value&…` syntax (and non-ASCII).
pub(crate) fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b',' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Percent-decodes (`+` is a space); invalid escapes are kept as written.
pub(super) fn decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(
                    std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                    16,
                ) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
