//! Text made once for every output: numbers as people write them, values with units, plurals,
//! truncation ([`self`]), and the sanitisers that text from the repository passes through on
//! its way to a terminal, a CI log, Markdown or CSV ([`safe`]). Depends only on `std`.

pub mod fit;
pub mod safe;

/// A number without float noise, as people write it: `250`, `6.1`, `0.333`.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_owned();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// `x` with `places` decimals (`0.40`, `49`), never a negative zero: a value that rounds to
/// zero is written without a sign (`-0.0001` and `-0.0` as `0.00`). Every fixed-precision
/// number in a human output goes through here.
pub fn fixed(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_owned(),
        _ => s,
    }
}

/// A number at full precision for machines (CSV), without `.0` on whole numbers.
pub fn num_full(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        num(x)
    } else {
        format!("{x}")
    }
}

/// A value with its unit, the one way every output writes it: a unit that starts with a
/// letter or digit is a word and gets a space (`329 ms`, `33 pts`, `150 tickets/week`); a
/// symbol does not (`99.5%`, `21°`).
pub fn with_unit(x: f64, unit: Option<&str>) -> String {
    unit_after(num(x), unit)
}

/// [`with_unit`] for an already formatted number.
pub fn unit_after(number: String, unit: Option<&str>) -> String {
    match unit.and_then(|u| u.chars().next().map(|c| (u, c))) {
        None => number,
        Some((u, c)) if c.is_alphanumeric() => format!("{number} {u}"),
        Some((u, _)) => format!("{number}{u}"),
    }
}

/// "1 error", "3 errors", "1 KPI", "2 KPIs". `word` is the singular; plurals add `s`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Shortens `s` to at most `max` characters, ending with an ellipsis when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// [`truncate`] at a word boundary: cut after the last whole word that fits, so that no
/// word is broken ("Cut the share of small-team deals…"). A single word longer than `max`
/// is cut as [`truncate`] does.
pub fn truncate_words(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let head: String = s.chars().take(max.saturating_sub(1)).collect();
    match head.rfind(' ') {
        Some(i) if i > 0 => format!("{}…", head[..i].trim_end()),
        _ => truncate(s, max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_units_and_plurals() {
        assert_eq!(num(250.0), "250");
        assert_eq!(num(6.1), "6.1");
        assert_eq!(num(1.0 / 3.0), "0.333");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(-0.0), "0");
        assert_eq!(fixed(-0.0, 2), "0.00");
        assert_eq!(fixed(-0.004, 2), "0.00");
        assert_eq!(fixed(-0.4, 0), "0");
        assert_eq!(fixed(-0.006, 2), "-0.01");
        assert_eq!(fixed(0.4, 2), "0.40");
        assert_eq!(num(f64::NAN), "–");
        assert_eq!(num_full(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(num_full(3.0), "3");
        assert_eq!(with_unit(329.0, Some("ms")), "329 ms");
        assert_eq!(with_unit(33.0, Some("pts")), "33 pts");
        assert_eq!(with_unit(99.5, Some("%")), "99.5%");
        assert_eq!(with_unit(2.0, None), "2");
        assert_eq!(with_unit(2.0, Some("")), "2");
        assert_eq!(plural(1, "KPI"), "1 KPI");
        assert_eq!(plural(0, "objective"), "0 objectives");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate_words("Cut the share of deals", 12), "Cut the…");
        assert_eq!(truncate_words("abcdefghij", 5), "abcd…");
        assert_eq!(truncate_words("short", 12), "short");
    }
}
