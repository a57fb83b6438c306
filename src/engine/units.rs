//! MAC counts as people write them (`2M`, `500k`, `1.5M`, `2000000`): reading and
//! printing them for the command line and the page.

/// Why a MAC count could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a MAC count (examples: 2M, 500k, 1.5M, 2000000)")]
pub struct ParseMacsError(pub String);

impl From<ParseMacsError> for String {
    fn from(e: ParseMacsError) -> String {
        e.to_string()
    }
}

/// Reads a MAC count with an optional suffix: `k` (10³), `M` (10⁶; `m` accepted), `G`
/// (10⁹); underscores ignored. Must be positive and finite.
pub fn parse_macs(text: &str) -> Result<f64, ParseMacsError> {
    let err = || ParseMacsError(text.to_string());
    let t: String = text.trim().chars().filter(|&c| c != '_').collect();
    let (num, mult) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 1e3),
        Some('M' | 'm') => (&t[..t.len() - 1], 1e6),
        Some('G' | 'g') => (&t[..t.len() - 1], 1e9),
        _ => (t.as_str(), 1.0),
    };
    let v: f64 = num.trim().parse().map_err(|_| err())?;
    let v = v * mult;
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(err())
    }
}

/// A MAC count for humans: `1.52M`, `480.0k`, `950`.
pub fn format_macs(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v.abs() >= 1e9 {
        format!("{:.2}G", v / 1e9)
    } else if v.abs() >= 1e6 {
        format!("{:.2}M", v / 1e6)
    } else if v.abs() >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}
