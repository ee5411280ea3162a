//! Text made once for every output: numbers as people write them, values with units, plurals,
//! truncation ([`self`]), and the sanitisers that text from the repository passes through on
//! its way to a terminal, a CI log, Markdown or CSV ([`safe`]). Depends only on `std`.

pub(crate) mod fit;
pub(crate) mod safe;

/// A number without float noise, as people write it: `250`, `6.1`, `0.333`.
pub(crate) fn num(x: f64) -> String {
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
pub(crate) fn fixed(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_owned(),
        _ => s,
    }
}

/// A progress as a whole percentage (0.616 → `62%`): how every human output writes a key
/// result's progress and a forecast's (scores stay 0.0–1.0, SPEC 5). Rounded as the score
/// is written, to two decimals, so a row never reads `0.47` beside `48%` (0.475 is
/// 0.47499… in binary, but 0.475 × 100 is 47.5). `?` for a value that is not a number.
pub(crate) fn percent(p: f64) -> String {
    if !p.is_finite() {
        return "?".to_owned();
    }
    let two = fixed(p.clamp(-1e4, 1e4), 2);
    match two.replace('.', "").parse::<i64>() {
        Ok(n) => format!("{n}%"),
        Err(_) => "?".to_owned(),
    }
}

/// How many decimals [`num`] writes for `x` (0 to 3): the precision a figure was given in.
pub(crate) fn decimals(x: f64) -> usize {
    num(x).split_once('.').map_or(0, |(_, d)| d.len())
}

/// `x` with exactly `places` decimals (at most 3), never `-0` ([`fixed`]): a derived figure (a
/// forecast) shown at the precision of the figures it comes from.
pub(crate) fn num_at(x: f64, places: usize) -> String {
    if !x.is_finite() {
        return "–".to_owned();
    }
    fixed(x, places.min(3))
}

/// A number at full precision for machines (CSV), without `.0` on whole numbers.
pub(crate) fn num_full(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        num(x)
    } else {
        format!("{x}")
    }
}

/// A value with its unit, the one way every output writes it: a unit that starts with a
/// letter or digit is a word and gets a space (`329 ms`, `33 pts`, `150 tickets/week`); a
/// symbol does not (`99.5%`, `21°`).
pub(crate) fn with_unit(x: f64, unit: Option<&str>) -> String {
    unit_after(num(x), unit)
}

/// [`with_unit`] for an already formatted number.
pub(crate) fn unit_after(number: String, unit: Option<&str>) -> String {
    match unit.and_then(|u| u.chars().next().map(|c| (u, c))) {
        None => number,
        Some((u, c)) if c.is_alphanumeric() => format!("{number} {u}"),
        Some((u, _)) => format!("{number}{u}"),
    }
}

/// "1 error", "3 errors", "1 KPI", "2 KPIs". `word` is the singular; plurals add `s`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Shortens `s` to at most `max` characters, ending with an ellipsis when cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `s` wrapped between words to lines at most `width` columns wide, with a hanging indent:
/// each line after the first starts `hang` columns further in than `s`'s own leading spaces
/// ("  └ id title" continues under `id`). Nothing is cut; a word wider than a line stands
/// alone on its line (without the indent when that is what lets it fit).
pub(crate) fn wrap_hanging(s: &str, width: usize, hang: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let body = s.trim_start_matches(' ');
    let lead = s.len() - body.len();
    let more = " ".repeat(lead + hang);
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..lead]);
    let mut line = lead;
    let mut fresh = true;
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        let w = word.width();
        if !fresh && line + 1 + w > width {
            out.push('\n');
            if more.len() + w <= width {
                out.push_str(&more);
                line = more.len();
            } else {
                line = 0;
            }
            fresh = true;
        }
        if !fresh {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += w;
        fresh = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_figures_take_the_precision_of_their_sources() {
        assert_eq!(
            (decimals(250.0), decimals(6.1), decimals(1.0 / 3.0)),
            (0, 1, 3)
        );
        assert_eq!(num_at(93.395, 0), "93");
        assert_eq!(num_at(91.68, 1), "91.7");
        assert_eq!(num_at(-0.0004, 2), "0.00");
        assert_eq!(num_at(-0.4, 0), "0");
        assert_eq!(num_at(-1.5, 1), "-1.5");
        assert_eq!(num_at(1.23456, 9), "1.235");
    }

    #[test]
    fn wrapping_keeps_the_indent_and_hangs_under_the_first_word() {
        assert_eq!(
            wrap_hanging("  └ trial Raise trial-to-paid conversion", 20, 2),
            "  └ trial Raise\n    trial-to-paid\n    conversion"
        );
        assert_eq!(wrap_hanging("short", 20, 2), "short");
        // A word wider than the line after the indent stands alone, unindented.
        assert_eq!(wrap_hanging("a abcdefghij", 10, 2), "a\nabcdefghij");
        // Width counts columns, not bytes.
        assert_eq!(wrap_hanging("é é é", 3, 0), "é é\né");
    }

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
        assert_eq!(percent(0.616), "62%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(-0.001), "0%");
        assert_eq!(percent(-0.01), "-1%");
        assert_eq!(
            (fixed(0.475, 2).as_str(), percent(0.475).as_str()),
            ("0.47", "47%")
        );
        assert_eq!(percent(1e300), "1000000%");
        assert_eq!(percent(f64::NAN), "?");
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
    }
}
