use super::*;

#[test]
fn progress_is_finite_and_clamped_for_extreme_numbers() {
    let big = f64::MAX;
    for (s, t, c) in [
        (-big, big, big),
        (-big, big, -big),
        (-big, big, 0.0),
        (big, -big, 0.0),
        (0.0, 5e-324, 5e-324),
        (250.0, 150.0, 210.0),
    ] {
        let p = metric_progress(s, t, Some(c));
        assert!((0.0..=1.0).contains(&p), "{s} {t} {c}: {p}");
    }
    assert_eq!(metric_progress(-big, big, Some(big)), 1.0);
    assert_eq!(metric_progress(-big, big, Some(0.0)), 0.5);
    assert_eq!(metric_progress(250.0, 150.0, Some(210.0)), 0.4);
}

#[test]
fn weighted_score_survives_huge_weights() {
    let items = [(f64::MAX, 1.0), (f64::MAX, 0.0)];
    assert_eq!(weighted_score(items.iter().copied()), 0.5);
    let items = [(2.0, 0.4), (1.0, 1.0)];
    assert!((weighted_score(items.iter().copied()) - 0.6).abs() < 1e-12);
    assert_eq!(weighted_score(std::iter::empty()), 0.0);
}
