//! Small std-only helpers: a random generator, ids, keys, and ISO 8601 timestamps.

use std::hash::{BuildHasher, RandomState};

use serde::{Serialize, Serializer};

/// A splitmix64 generator: random-seeded by default, reproducible from a seed.
#[derive(Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: Option<u64>) -> Self {
        Rng(seed.unwrap_or_else(|| RandomState::new().hash_one(std::process::id())))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A random version-4 UUID in its canonical lowercase form.
    pub(crate) fn uuid(&mut self) -> String {
        let hi = (self.next_u64() & !0xF000) | 0x4000;
        let lo = (self.next_u64() & !(0xC << 60)) | (0x8 << 60);
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xFFFF,
            hi & 0xFFFF,
            lo >> 48,
            lo & 0xFFFF_FFFF_FFFF
        )
    }

    /// `n` random lowercase hex digits.
    pub(crate) fn hex(&mut self, n: usize) -> String {
        (0..n.div_ceil(16))
            .map(|_| format!("{:016x}", self.next_u64()))
            .collect::<String>()[..n]
            .to_string()
    }

    /// A fresh API key: `hacktron_` and 32 base62 characters.
    pub(crate) fn api_key(&mut self) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let body: String = (0..32)
            .map(|_| ALPHABET[(self.next_u64() % 62) as usize] as char)
            .collect();
        format!("hacktron_{body}")
    }
}

/// The documented key form: `hacktron_` and at least 20 url-safe alphanumeric characters.
pub(crate) fn is_well_formed_key(key: &str) -> bool {
    key.strip_prefix("hacktron_").is_some_and(|rest| {
        rest.len() >= 20
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// Whether `s` is a UUID in the 8-4-4-4-12 hex form (any version).
pub(crate) fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A deterministic 40-hex-digit "commit sha" derived from some text.
pub(crate) fn fake_sha(text: &str) -> String {
    let mut rng = Rng(text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    }));
    rng.hex(40)
}

/// A point on the sandbox clock, in milliseconds since the Unix epoch; serializes as ISO 8601.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Ts(pub(crate) u64);

impl Serialize for Ts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl std::fmt::Display for Ts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (days, ms) = (self.0 / 86_400_000, self.0 % 86_400_000);
        let (y, m, d) = civil_from_days(days as i64);
        let s = ms / 1000;
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
            s / 3600,
            s / 60 % 60,
            s % 60,
            ms % 1000
        )
    }
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from(if m > 2 { m - 3 } else { m + 9 });
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses the common ISO 8601 forms (`2026-03-10`, `2026-03-10T12:00:00.000Z`,
/// `2026-03-10T12:00+02:00`, ...) into milliseconds since the epoch.
pub(crate) fn parse_iso8601(s: &str) -> Option<i64> {
    fn num(s: &str, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .filter(|n| range.contains(n))
    }
    let s = s.as_bytes();
    let text = |r: std::ops::Range<usize>| std::str::from_utf8(s.get(r)?).ok();
    if s.len() < 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let year = i64::from(num(text(0..4)?, 0..=9999)?);
    let (month, day) = (num(text(5..7)?, 1..=12)?, num(text(8..10)?, 1..=31)?);
    let mut ms = days_from_civil(year, month, day) * 86_400_000;
    if s.len() == 10 {
        return Some(ms);
    }
    if !matches!(s[10], b'T' | b't' | b' ') || s.len() < 16 || s[13] != b':' {
        return None;
    }
    ms += i64::from(num(text(11..13)?, 0..=23)?) * 3_600_000;
    ms += i64::from(num(text(14..16)?, 0..=59)?) * 60_000;
    let mut i = 16;
    if s.get(i) == Some(&b':') {
        ms += i64::from(num(text(17..19)?, 0..=59)?) * 1000;
        i = 19;
        if matches!(s.get(i), Some(b'.' | b',')) {
            let digits = s[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            let frac = text(i + 1..i + 1 + digits.min(3))?;
            let scale = 10_i64.pow(3 - frac.len() as u32);
            ms += i64::from(num(frac, 0..=999)?) * scale;
            i += 1 + digits;
        }
    }
    match &s[i..] {
        [] | [b'Z' | b'z'] => Some(ms),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let rest = std::str::from_utf8(rest).ok()?.replace(':', "");
            // ASCII first: slicing `€1` at byte 2 would panic.
            if rest.len() != 4 || !rest.is_ascii() {
                return None;
            }
            let offset = i64::from(num(&rest[..2], 0..=23)?) * 3_600_000 + i64::from(num(&rest[2..], 0..=59)?) * 60_000;
            Some(if *sign == b'+' { ms - offset } else { ms + offset })
        }
        _ => None,
    }
}

/// Decodes `%XX` escapes in a path segment (invalid escapes are kept verbatim).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        let ts = Ts(1_773_144_000_123);
        assert_eq!(ts.to_string(), "2026-03-10T12:00:00.123Z");
        assert_eq!(parse_iso8601(&ts.to_string()), Some(1_773_144_000_123));
        assert_eq!(parse_iso8601("2026-03-10"), Some(1_773_100_800_000));
        assert_eq!(parse_iso8601("2026-03-10T14:00:00+02:00"), Some(1_773_144_000_000));
        assert_eq!(parse_iso8601("2026-13-10"), None);
        assert_eq!(parse_iso8601("yesterday"), None);
        assert_eq!(parse_iso8601("2026-03-10T12:00+\u{20ac}1"), None);
        assert_eq!(parse_iso8601("2026-03-10T12:00-1\u{20ac}"), None);
        assert_eq!(parse_iso8601("2026-03-10T12:00:00.\u{20ac}"), None);
        assert_eq!(parse_iso8601("\u{20ac}\u{20ac}\u{20ac}\u{20ac}"), None);
        assert_eq!(Ts(0).to_string(), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn date_parsing_never_panics_on_odd_tails() {
        const PIECES: &[&str] = &[":", ".", ",", "+", "-", "0", "9", "Z", "T", " ", "\u{20ac}", "\u{e9}"];
        for prefix in [
            "",
            "2026-03-10",
            "2026-03-10T12",
            "2026-03-10T12:00",
            "2026-03-10T12:00:00",
        ] {
            let mut tails = vec![String::new()];
            for _ in 0..4 {
                tails = tails
                    .iter()
                    .flat_map(|t| PIECES.iter().map(move |p| format!("{t}{p}")))
                    .collect();
                for tail in &tails {
                    let _ = parse_iso8601(&format!("{prefix}{tail}"));
                }
            }
        }
    }

    #[test]
    fn ids_and_keys_have_the_documented_form() {
        let mut rng = Rng::new(Some(7));
        let id = rng.uuid();
        assert!(is_uuid(&id), "{id}");
        assert_eq!(&id[14..15], "4");
        let key = rng.api_key();
        assert!(is_well_formed_key(&key));
        assert!(!is_well_formed_key("hacktron_short"));
        assert!(!is_well_formed_key("sk_live_0123456789abcdefghijkl"));
        assert_eq!(fake_sha("x").len(), 40);
        assert_eq!(percent_decode("%40scope"), "@scope");
    }
}
