use super::*;
use proptest::prelude::*;

fn d(s: &str) -> Date {
    Date::parse(s).expect("a test date")
}

fn q4() -> Period {
    Period {
        name: "2026-Q4".into(),
        start: d("2026-10-01"),
        end: d("2026-12-31"),
    }
}

fn ck(date: &str, obs: Observation, confidence: Option<f64>) -> Checkin {
    Checkin {
        date: d(date),
        obs,
        confidence,
        text: None,
        span: Span::default(),
    }
}

fn v(date: &str, x: f64) -> Checkin {
    ck(date, Observation::Value(x), None)
}

fn metric(id: &str, start: f64, target: f64, checkins: Vec<Checkin>) -> KeyResult {
    KeyResult {
        id: id.into(),
        title: id.into(),
        kind: KrMeasure::Metric { start, target },
        unit: None,
        weight: 1.0,
        kpi: None,
        checkins,
        owner: None,
        cadence: KrCadence::Weekly,
        description: None,
        revisions: Vec::new(),
        dropped: None,
        span: Span::default(),
    }
}

fn objective(krs: Vec<KeyResult>) -> Objective {
    Objective {
        team: "t".into(),
        id: "o".into(),
        period: q4(),
        title: "o".into(),
        owner: None,
        commitment: Commitment::Aspirational,
        parent: None,
        guardrails: Vec::new(),
        key_results: krs,
        carried_from: None,
        description: None,
        dropped: None,
        span: Span::default(),
    }
}

fn kpi(better: Better, target: f64, critical: Option<f64>, checkins: Vec<Checkin>) -> Kpi {
    Kpi {
        team: "t".into(),
        id: "k".into(),
        title: "k".into(),
        unit: None,
        better,
        target,
        critical,
        cadence: Cadence::Weekly,
        owner: None,
        source: None,
        checkins,
        span: Span::default(),
    }
}

fn one(o: Objective, t: &str) -> ObjectiveScore {
    let goals = Goals {
        upstream: Default::default(),
        objectives: vec![o],
        kpis: Vec::new(),
    };
    score(Valid::assume(&goals), d(t), Thresholds::default())
        .objectives
        .remove(0)
}

#[test]
fn metric_progress_both_directions_and_clamped() {
    assert_eq!(metric_progress(60.0, 80.0, Some(70.0)), 0.5);
    assert_eq!(metric_progress(250.0, 150.0, Some(210.0)), 0.4); // decrease
    assert_eq!(metric_progress(250.0, 150.0, Some(100.0)), 1.0); // overshoot
    assert_eq!(metric_progress(250.0, 150.0, Some(300.0)), 0.0); // undershoot
    assert_eq!(metric_progress(60.0, 80.0, None), 0.0);
}

#[test]
fn expected_pace_over_the_period() {
    let p = q4();
    assert_eq!(expected(&p, d("2026-09-30")), 0.0);
    assert_eq!(expected(&p, d("2026-10-01")), 0.0);
    assert_eq!(expected(&p, d("2026-12-31")), 1.0);
    assert_eq!(expected(&p, d("2027-01-01")), 1.0);
    assert!((expected(&p, d("2026-11-15")) - 45.0 / 91.0).abs() < 1e-12);
}

#[test]
fn gap_thresholds_are_inclusive() {
    let th = Thresholds::default();
    // gap exactly 0.10 is on track; exactly 0.25 is at risk.
    assert_eq!(pace_status(0.4, 0.5, th), Status::OnTrack);
    assert_eq!(pace_status(0.3, 0.55, th), Status::AtRisk);
    assert_eq!(pace_status(0.29, 0.55, th), Status::OffTrack);
    assert_eq!(pace_status(0.7, 0.8, th), Status::OnTrack); // 0.8 - 0.7 = 0.10000000000000009
    assert_eq!(pace_status(0.9, 0.5, th), Status::OnTrack); // ahead of pace
}

#[test]
fn confidence_only_lowers() {
    assert_eq!(
        apply_confidence(Status::OnTrack, Some(0.7)),
        Status::OnTrack
    );
    assert_eq!(
        apply_confidence(Status::OnTrack, Some(0.69)),
        Status::AtRisk
    );
    assert_eq!(apply_confidence(Status::OnTrack, Some(0.4)), Status::AtRisk);
    assert_eq!(
        apply_confidence(Status::OnTrack, Some(0.39)),
        Status::OffTrack
    );
    assert_eq!(apply_confidence(Status::AtRisk, Some(0.5)), Status::AtRisk);
    assert_eq!(
        apply_confidence(Status::AtRisk, Some(0.1)),
        Status::OffTrack
    );
    assert_eq!(
        apply_confidence(Status::OffTrack, Some(1.0)),
        Status::OffTrack
    );
    assert_eq!(apply_confidence(Status::AtRisk, None), Status::AtRisk);
}

#[test]
fn statuses_across_the_period_boundaries() {
    let o = || {
        objective(vec![
            metric("a", 0.0, 100.0, vec![v("2026-10-01", 10.0)]),
            metric("b", 0.0, 10.0, vec![]),
        ])
    };
    assert_eq!(one(o(), "2026-09-30").status, Status::NotStarted);
    assert_eq!(
        one(o(), "2026-09-30").key_results[0].status,
        Status::NotStarted
    );
    // first day: expected 0, a check-in that day → on track
    let s = one(o(), "2026-10-01");
    assert_eq!(s.key_results[0].status, Status::OnTrack);
    assert_eq!(s.key_results[1].status, Status::NoData);
    assert_eq!(s.status, Status::OnTrack);
    // last day: still open, graded by pace (expected 1.0)
    assert_eq!(one(o(), "2026-12-31").status, Status::OffTrack);
    // the day after: closed and graded
    assert_eq!(one(o(), "2027-01-01").status, Status::Missed);
    assert_eq!(one(o(), "2027-01-01").key_results[1].status, Status::Missed);
}

#[test]
fn no_data_and_done() {
    let s = one(
        objective(vec![
            metric("a", 0.0, 1.0, vec![]),
            metric("b", 0.0, 1.0, vec![]),
        ]),
        "2026-11-01",
    );
    assert_eq!(s.status, Status::NoData);
    let s = one(
        objective(vec![
            metric("a", 0.0, 1.0, vec![v("2026-10-02", 1.0)]),
            metric("b", 5.0, 1.0, vec![v("2026-10-02", 0.0)]),
        ]),
        "2026-11-01",
    );
    assert_eq!(s.status, Status::Done);
    assert!(s.key_results.iter().all(|k| k.status == Status::Done));
}

#[test]
fn future_checkins_are_ignored() {
    let s = one(
        objective(vec![metric(
            "a",
            0.0,
            10.0,
            vec![v("2026-10-05", 2.0), v("2026-12-01", 9.0)],
        )]),
        "2026-11-01",
    );
    assert_eq!(s.key_results[0].current, Some(2.0));
    assert_eq!(s.key_results[0].last_checkin, Some(d("2026-10-05")));
}

#[test]
fn milestone_done_then_undone() {
    let mut m = metric(
        "m",
        0.0,
        1.0,
        vec![
            ck("2026-10-10", Observation::Done(true), None),
            ck("2026-10-20", Observation::Done(false), None),
        ],
    );
    m.kind = KrMeasure::Milestone { due: None };
    let o = objective(vec![m]);
    assert_eq!(one(o.clone(), "2026-10-15").key_results[0].progress, 1.0);
    let later = one(o, "2026-10-25");
    assert_eq!(later.key_results[0].progress, 0.0);
    assert_eq!(later.key_results[0].done, Some(false));
}

#[test]
fn weights_shape_the_objective_score() {
    let mut a = metric("a", 0.0, 10.0, vec![v("2026-10-05", 10.0)]);
    a.weight = 3.0;
    let b = metric("b", 0.0, 10.0, vec![v("2026-10-05", 0.0)]);
    let s = one(objective(vec![a, b]), "2026-10-06");
    assert!((s.score - 0.75).abs() < 1e-12);
}

#[test]
fn committed_objectives_need_a_full_score() {
    let mut o = objective(vec![metric("a", 0.0, 100.0, vec![v("2026-12-30", 99.0)])]);
    assert_eq!(one(o.clone(), "2027-01-02").status, Status::Achieved); // aspirational: 0.99 ≥ 0.7
    o.commitment = Commitment::Committed;
    let s = one(o, "2027-01-02");
    assert_eq!(s.status, Status::Missed); // committed: 0.99 < 1.0
    assert_eq!(s.key_results[0].status, Status::Missed); // KRs inherit the commitment
    let exact = one(
        objective(vec![metric("a", 0.0, 10.0, vec![v("2026-12-30", 7.0)])]),
        "2027-01-02",
    );
    assert_eq!(exact.status, Status::Achieved); // exactly 0.7
}

#[test]
fn kpi_linked_kr_uses_kpi_checkins_even_before_the_period() {
    let mut kr = metric("r", 38.0, 50.0, vec![]);
    kr.kpi = Some(KpiId::new(0));
    let goals = Goals {
        upstream: Default::default(),
        objectives: vec![objective(vec![kr])],
        kpis: vec![kpi(
            Better::Higher,
            45.0,
            Some(35.0),
            vec![v("2026-09-20", 41.0)],
        )],
    };
    let card = score(
        Valid::assume(&goals),
        d("2026-10-02"),
        Thresholds::default(),
    );
    let ks = &card.objectives[0].key_results[0];
    assert_eq!(ks.current, Some(41.0));
    assert!((ks.progress - 0.25).abs() < 1e-12);
    assert_eq!(ks.last_checkin, Some(d("2026-09-20")));
    assert_eq!(ks.status, Status::OnTrack);
}

#[test]
fn staleness() {
    let o = || {
        objective(vec![
            metric("a", 0.0, 10.0, vec![v("2026-10-01", 1.0)]),
            metric("b", 0.0, 10.0, vec![]),
        ])
    };
    let s = one(o(), "2026-10-15");
    assert!(!s.key_results[0].stale); // exactly 14 days
    assert!(!s.key_results[1].stale); // 14 days of the period passed
    let s = one(o(), "2026-10-16");
    assert!(s.key_results[0].stale && s.key_results[1].stale);
    assert!(!one(o(), "2027-01-10").key_results[0].stale); // closed periods are not stale
}

#[test]
fn kpi_health_trend_and_staleness() {
    let k = kpi(
        Better::Lower,
        5.0,
        Some(7.0),
        vec![
            v("2026-09-30", 4.8),
            v("2026-10-31", 6.1),
            v("2026-11-07", 7.0),
        ],
    );
    let goals = Goals {
        upstream: Default::default(),
        objectives: vec![],
        kpis: vec![k],
    };
    let s = &score(
        Valid::assume(&goals),
        d("2026-11-07"),
        Thresholds::default(),
    )
    .kpis[0];
    assert_eq!(s.status, KpiStatus::Critical); // on the critical line counts as critical
    assert_eq!(s.trend, Some(Trend::Worsening));
    assert!(!s.stale);
    assert!(
        score(
            Valid::assume(&goals),
            d("2026-11-15"),
            Thresholds::default()
        )
        .kpis[0]
            .stale
    ); // 8 days, weekly
    let early = &score(
        Valid::assume(&goals),
        d("2026-10-31"),
        Thresholds::default(),
    )
    .kpis[0];
    assert_eq!((early.status, early.trend), (KpiStatus::Warning, None));
    let k = &goals.kpis[0];
    assert_eq!(kpi_status(k, 5.0), KpiStatus::Healthy); // target is inclusive
    let flat = kpi(
        Better::Higher,
        45.0,
        None,
        vec![
            v("2026-10-01", 40.0),
            v("2026-10-08", 42.0),
            v("2026-10-15", 42.0),
        ],
    );
    let goals = Goals {
        upstream: Default::default(),
        objectives: vec![],
        kpis: vec![flat],
    };
    let s = &score(
        Valid::assume(&goals),
        d("2026-10-16"),
        Thresholds::default(),
    )
    .kpis[0];
    assert_eq!((s.trend, s.status), (Some(Trend::Flat), KpiStatus::Warning));
    let none = Goals {
        upstream: Default::default(),
        objectives: vec![],
        kpis: vec![kpi(Better::Higher, 1.0, None, vec![])],
    };
    let s = &score(Valid::assume(&none), d("2026-10-16"), Thresholds::default()).kpis[0];
    assert_eq!((s.status, s.stale), (KpiStatus::NoData, false));
}

#[test]
fn guardrail_breach_follows_kpi_health() {
    let mut o = objective(vec![metric("a", 0.0, 1.0, vec![v("2026-10-02", 0.5)])]);
    o.guardrails = vec![KpiId::new(0)];
    let goals = Goals {
        upstream: Default::default(),
        objectives: vec![o],
        kpis: vec![kpi(
            Better::Lower,
            5.0,
            Some(7.0),
            vec![v("2026-10-01", 7.5)],
        )],
    };
    assert!(
        score(
            Valid::assume(&goals),
            d("2026-10-05"),
            Thresholds::default()
        )
        .objectives[0]
            .guardrail_breached
    );
}

/// SPEC 5: a closed period's figures are frozen at its end (T_K = min(T, E)). A KPI that
/// improves in January must not turn a Q4 `missed` into `achieved`.
#[test]
fn closed_periods_are_frozen_at_their_end() {
    let mut kr = metric("r", 38.0, 50.0, vec![]);
    kr.kpi = Some(KpiId::new(0));
    let mut o = objective(vec![kr]);
    o.guardrails = vec![KpiId::new(0)];
    let goals = Goals {
        upstream: Default::default(),
        objectives: vec![o],
        kpis: vec![kpi(
            Better::Higher,
            45.0,
            Some(35.0),
            vec![
                // before the period: counts
                ck("2026-09-20", Observation::Value(34.0), Some(0.9)),
                ck("2026-12-20", Observation::Value(40.0), Some(0.3)),
                // after it: never counts for Q4
                ck("2027-01-10", Observation::Value(55.0), Some(1.0)),
            ],
        )],
    };
    let card = score(
        Valid::assume(&goals),
        d("2027-01-20"),
        Thresholds::default(),
    );
    let os = &card.objectives[0];
    let ks = &os.key_results[0];
    assert_eq!(ks.current, Some(40.0));
    assert!((ks.progress - 2.0 / 12.0).abs() < 1e-12);
    assert_eq!(ks.confidence, Some(0.3));
    assert_eq!(ks.last_checkin, Some(d("2026-12-20")));
    assert_eq!((ks.status, os.status), (Status::Missed, Status::Missed));
    // The KPI itself is scored as of T: healthy now.
    assert_eq!(card.kpis[0].status, KpiStatus::Healthy);
    // A guardrail of a closed objective is judged as of its end: not critical then.
    assert!(!os.guardrail_breached);
    // Every view shows the guardrail's health as of the end too (issue 24, item 2).
    assert_eq!(os.guardrails, [KpiStatus::Warning]);
    // ... and was critical when the KPI was last measured critical before the end.
    let mut g = goals.clone();
    g.kpis[0].checkins[1].obs = Observation::Value(30.0);
    let card = score(Valid::assume(&g), d("2027-01-20"), Thresholds::default());
    assert!(card.objectives[0].guardrail_breached);
    assert_eq!(card.kpis[0].status, KpiStatus::Healthy);
    // The same scores as on the last day of the period.
    let at_end = score(
        Valid::assume(&goals),
        d("2026-12-31"),
        Thresholds::default(),
    );
    let ke = &at_end.objectives[0].key_results[0];
    assert_eq!(
        (ke.current, ke.progress, ke.confidence, ke.last_checkin),
        (ks.current, ks.progress, ks.confidence, ks.last_checkin)
    );
}

/// SPEC 5 "Stale": a milestone checked in as done is never stale.
#[test]
fn a_done_milestone_is_never_stale() {
    let mut m = metric(
        "m",
        0.0,
        1.0,
        vec![ck("2026-10-02", Observation::Done(true), None)],
    );
    m.kind = KrMeasure::Milestone { due: None };
    let mut not_yet = m.clone();
    not_yet.checkins[0].obs = Observation::Done(false);
    let s = one(objective(vec![m, not_yet]), "2026-12-01");
    assert!(!s.key_results[0].stale);
    assert!(s.key_results[1].stale);
}

/// SPEC 5 "Stale": a `kpi:` key result is stale exactly when its KPI is (the KPI's
/// cadence), during the period.
#[test]
fn a_kpi_key_result_is_stale_when_its_kpi_is() {
    let mut kr = metric("r", 38.0, 50.0, vec![]);
    kr.kpi = Some(KpiId::new(0));
    let mut monthly = kpi(Better::Higher, 45.0, None, vec![v("2026-10-31", 40.0)]);
    monthly.cadence = Cadence::Monthly;
    let goals = Goals {
        upstream: Default::default(),
        objectives: vec![objective(vec![kr])],
        kpis: vec![monthly],
    };
    // 20 days after the KPI's last check-in: past stale_days (14), within its cadence (31).
    let card = score(
        Valid::assume(&goals),
        d("2026-11-20"),
        Thresholds::default(),
    );
    assert!(!card.kpis[0].stale);
    assert!(!card.objectives[0].key_results[0].stale);
    // 32 days: the KPI is stale, and so is the key result.
    let card = score(
        Valid::assume(&goals),
        d("2026-12-02"),
        Thresholds::default(),
    );
    assert!(card.kpis[0].stale);
    assert!(card.objectives[0].key_results[0].stale);
    // A KPI with no check-in is no data, not stale; so is its key result.
    let mut empty = goals.clone();
    empty.kpis[0].checkins.clear();
    let card = score(
        Valid::assume(&empty),
        d("2026-12-02"),
        Thresholds::default(),
    );
    assert!(!card.objectives[0].key_results[0].stale);
}

proptest! {
    #[test]
    fn progress_stays_in_unit_interval(start in -1e6f64..1e6, target in -1e6f64..1e6, cur in -1e7f64..1e7) {
        let p = metric_progress(start, target, Some(cur));
        prop_assert!((0.0..=1.0).contains(&p));
    }

    #[test]
    fn moving_toward_target_never_lowers_progress(start in -1e6f64..1e6, target in -1e6f64..1e6, cur in -1e7f64..1e7, step in 0.0f64..1.0) {
        prop_assume!(start != target);
        let closer = cur + (target - cur) * step;
        prop_assert!(metric_progress(start, target, Some(closer)) + 1e-12 >= metric_progress(start, target, Some(cur)));
    }

    #[test]
    fn expected_is_monotonic(a in 0i64..200, b in 0i64..200) {
        let p = q4();
        let (x, y) = (d("2026-09-01").add_days(a.min(b)), d("2026-09-01").add_days(a.max(b)));
        prop_assert!(expected(&p, x) <= expected(&p, y));
    }
}

/// Extreme and hostile inputs (from the hardening work).
mod hostile {
    use super::super::*;

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
}

/// A milestone due 2026-11-15 in 2026-Q4 (91 days from start to end): expected 0 up to the
/// day before, 1 from the due date on; not the straight line (44/91 on 11-14).
#[test]
fn a_milestone_with_due_is_expected_by_its_date_not_along_a_line() {
    let due = KrMeasure::Milestone {
        due: Some(d("2026-11-15")),
    };
    assert_eq!(due.expected(&q4(), d("2026-10-01")), 0.0);
    assert_eq!(due.expected(&q4(), d("2026-11-14")), 0.0);
    assert_eq!(due.expected(&q4(), d("2026-11-15")), 1.0);
    assert_eq!(due.expected(&q4(), d("2026-12-31")), 1.0);
    let line = KrMeasure::Milestone { due: None };
    assert_eq!(line.expected(&q4(), d("2026-11-14")), 44.0 / 91.0);

    let mut m = metric(
        "m",
        0.0,
        1.0,
        vec![ck("2026-10-05", Observation::Done(false), None)],
    );
    m.kind = due;
    m.weight = 3.0;
    let a = metric("a", 0.0, 10.0, vec![v("2026-10-05", 5.0)]);
    let o = objective(vec![a, m]);
    // The day before: the milestone is on track (gap 0; on the line it would be off track,
    // gap 44/91 > 0.25), and the objective expects (1·44/91 + 3·0) / 4 = 11/91.
    let before = one(o.clone(), "2026-11-14");
    let ms = &before.key_results[1];
    assert_eq!((ms.expected, ms.status), (0.0, Status::OnTrack));
    assert_eq!(before.key_results[0].expected, 44.0 / 91.0);
    assert!((before.expected - 11.0 / 91.0).abs() < 1e-12, "{before:?}");
    // score (0.5 + 0) / 4 = 0.125 ≥ 11/91: on track.
    assert_eq!(before.status, Status::OnTrack);
    // On the due date, not done: expected 1, gap 1, off track; the objective expects
    // (45/91 + 3) / 4.
    let on = one(o.clone(), "2026-11-15");
    let ms = &on.key_results[1];
    assert_eq!((ms.expected, ms.status), (1.0, Status::OffTrack));
    assert!((on.expected - (45.0 / 91.0 + 3.0) / 4.0).abs() < 1e-12);
    assert_eq!(on.status, Status::OffTrack);
    // Done before its date: done.
    let mut done = o;
    done.key_results[1]
        .checkins
        .push(ck("2026-11-10", Observation::Done(true), None));
    let s = one(done, "2026-11-14");
    assert_eq!(s.key_results[1].status, Status::Done);
}

/// Without a due date the objective's expected progress is the straight line itself, to
/// the last bit, whatever the weights.
#[test]
fn without_due_dates_the_objective_expects_the_straight_line() {
    let mut a = metric("a", 0.0, 10.0, vec![v("2026-10-05", 5.0)]);
    a.weight = 0.3;
    let b = metric("b", 0.0, 10.0, vec![v("2026-10-05", 5.0)]);
    let s = one(objective(vec![a, b]), "2026-11-14");
    assert_eq!(s.expected, expected(&q4(), d("2026-11-14")));
    assert_eq!(
        one(objective(Vec::new()), "2026-11-14").expected,
        44.0 / 91.0
    );
}

/// `before` scores again only what can differ: an objective whose period ended before the
/// earlier date has the same figures then as now, and is taken from the later scorecard;
/// every other figure equals a full scoring at that date (SPEC 12).
#[test]
fn before_equals_a_full_scoring_of_the_earlier_date() {
    let text = "team: g\nperiod: 2026-Q3\nobjectives:\n  - id: old\n    title: Old\n    key_results:\n      - { id: a, title: A, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 8 }] }\n      - { id: b, title: B, start: 0, target: 10, checkins: [{ date: 2026-09-30, value: 2 }] }\n";
    let text2 = "team: g\nperiod: 2026-Q4\nobjectives:\n  - id: new\n    title: New\n    key_results:\n      - { id: a, title: A, start: 0, target: 10, checkins: [{ date: 2026-11-01, value: 3 }, { date: 2026-11-20, value: 6 }] }\n      - { id: b, title: B, start: 0, target: 10 }\nkpis:\n  - { id: k, title: K, better: lower, target: 5, checkins: [{ date: 2026-11-01, value: 3 }, { date: 2026-11-20, value: 9 }] }\n";
    let files: Vec<_> = [text, text2]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (raw, diags) = crate::load::parse_file(i as u32, t);
            assert!(diags.is_empty(), "{diags:?}");
            (i as u32, raw.expect("a parsed file"))
        })
        .collect();
    let (goals, diags) = crate::validate::validate(&files, &crate::config::Config::default());
    assert!(diags.is_empty(), "{diags:?}");
    let th = Thresholds::default();
    let now = score(Valid::assume(&goals), d("2026-11-25"), th);
    for since in ["2026-09-30", "2026-10-01", "2026-11-18"] {
        let full = score(Valid::assume(&goals), d(since), th);
        let before = before(Valid::assume(&goals), d(since), th);
        for id in goals.objective_ids() {
            assert_eq!(before.objective(id, &now), full.objective(id), "{since}");
        }
        for id in goals.kpi_ids() {
            assert_eq!(before.kpi(id), full.kpi(id), "{since}");
        }
    }
}

/// Validated goals from goal-file texts (asserting they are valid).
fn goals_of(texts: &[&str]) -> Goals {
    let files: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (raw, diags) = crate::load::parse_file(i as u32, t);
            assert!(diags.is_empty(), "{diags:?}");
            (i as u32, raw.expect("a parsed file"))
        })
        .collect();
    let (goals, diags) = crate::validate::validate(&files, &crate::config::Config::default());
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    goals
}

fn scored(goals: &Goals, t: &str) -> Scorecard {
    score(Valid::assume(goals), d(t), Thresholds::default())
}

const REPLAN: &str = "team: g
period: 2026-Q4
objectives:
  - id: o
    title: O
    key_results:
      - id: a
        title: A
        start: 100
        target: 200
        revisions:
          - { date: 2026-11-20, start: 110, reason: baseline fixed }
          - { date: 2026-11-01, target: 150, reason: scope cut }
        checkins:
          - { date: 2026-10-15, value: 125 }
          - { date: 2026-11-01, value: 125 }
          - { date: 2026-11-25, value: 130 }
      - id: b
        title: B
        start: 0
        target: 10
        dropped: { date: 2026-11-10, reason: vendor left }
        checkins:
          - { date: 2026-11-05, value: 8, confidence: 0.9 }
          - { date: 2026-11-12, value: 10 }
";

/// SPEC 3.4: from a revision's date on, the start and target it names are in force (each
/// revision carrying only its own fields, applied in date order whatever the file order), and
/// a check-in on the revision's date is measured against the revised figures.
#[test]
fn revisions_put_their_figures_in_force_from_their_date() {
    let goals = goals_of(&[REPLAN]);
    let at = |t: &str| scored(&goals, t).objectives[0].key_results[0].clone();
    // Before any revision: (100, 200), current 125.
    let k = at("2026-10-20");
    assert_eq!(
        k.measure,
        KrMeasure::Metric {
            start: 100.0,
            target: 200.0
        }
    );
    assert_eq!(k.progress, 0.25);
    // On the day of the first: (100, 150), the check-in of that day counts against it.
    let k = at("2026-11-01");
    assert_eq!(
        k.measure,
        KrMeasure::Metric {
            start: 100.0,
            target: 150.0
        }
    );
    assert_eq!(k.progress, 0.5);
    // After the second, written first: (110, 150), current 130.
    let k = at("2026-11-26");
    assert_eq!(
        k.measure,
        KrMeasure::Metric {
            start: 110.0,
            target: 150.0
        }
    );
    assert_eq!(k.progress, 0.5);
    // The forecast starts from the start in force at T_K.
    let kr = &goals.objectives[0].key_results[0];
    let want = forecast::forecast(
        KrMeasure::Metric {
            start: 110.0,
            target: 150.0,
        },
        &q4(),
        &kr.checkins,
        d("2026-11-26"),
    );
    assert_eq!(k.forecast, want);
    assert!(want.is_some());
    // A closed period is frozen at its end, with the figures in force then.
    assert_eq!(at("2027-02-01").measure, k.measure);
}

/// SPEC 3.4 and 5: a dropped key result has status `dropped` and the figures of the day
/// before its drop (check-ins from the drop date on are ignored); it counts in no sum of its
/// objective, whose score is the other key results' alone. Before the date it scores as
/// usual.
#[test]
fn a_dropped_key_result_counts_in_no_sum() {
    let goals = goals_of(&[REPLAN]);
    let o = &scored(&goals, "2026-11-15").objectives[0];
    let b = &o.key_results[1];
    assert_eq!(b.status, Status::Dropped);
    assert_eq!(
        b.current,
        Some(8.0),
        "the check-in after the drop is ignored"
    );
    assert_eq!(b.confidence, Some(0.9));
    assert_eq!(b.last_checkin, Some(d("2026-11-05")));
    assert_eq!(b.expected, expected(&q4(), d("2026-11-09")));
    assert!(!b.stale);
    // The objective is `a` alone: score, expected and forecast.
    let a = &o.key_results[0];
    assert_eq!(o.score, a.progress);
    assert_eq!(o.expected, a.expected);
    assert_eq!(
        o.forecast,
        Some(a.forecast.map_or(a.progress, |f| f.progress))
    );
    // As of the day before the drop, `b` counts as usual.
    let o = &scored(&goals, "2026-11-09").objectives[0];
    assert_eq!(o.key_results[1].status, Status::OnTrack);
    assert_eq!(o.score, (0.5 + 0.8) / 2.0);
    // Once the period closes, the objective is graded on `a` alone.
    let o = &scored(&goals, "2027-01-15").objectives[0];
    assert_eq!(o.key_results[1].status, Status::Dropped);
    assert_eq!(o.score, 0.5);
    assert_eq!(o.status, Status::Missed);
}

/// SPEC 3.4: an objective dropped itself, or whose key results are all dropped (from the
/// latest of their dates), is `dropped` with the figures of the day before; its key results
/// are dropped from its date.
#[test]
fn dropped_objectives_keep_the_figures_of_the_day_before() {
    let own = REPLAN.replace(
        "    title: O\n",
        "    title: O\n    dropped: { date: 2026-11-22, reason: re-org }\n",
    );
    let goals = goals_of(&[&own]);
    let o = &scored(&goals, "2026-11-30").objectives[0];
    assert_eq!(o.status, Status::Dropped);
    let day_before = &scored(&goals, "2026-11-21").objectives[0];
    assert_eq!(
        (o.score, o.expected, o.forecast),
        (day_before.score, day_before.expected, day_before.forecast)
    );
    // `a` is dropped from the objective's date (its check-in after it is ignored); `b` from
    // its own, earlier one.
    assert_eq!(o.key_results[0].status, Status::Dropped);
    assert_eq!(o.key_results[0].current, Some(125.0));
    assert_eq!(o.key_results[1].status, Status::Dropped);
    assert_eq!(o.key_results[1].current, Some(8.0));
    let drop = goals.objectives[0].drop().expect("dropped");
    assert_eq!((drop.date, drop.reason), (d("2026-11-22"), "re-org"));

    // Every key result dropped: the objective is dropped from the latest date.
    let all = REPLAN.replace(
        "        checkins:\n          - { date: 2026-10-15, value: 125 }",
        "        dropped: { date: 2026-11-28, reason: merged into b }\n        checkins:\n          - { date: 2026-10-15, value: 125 }",
    );
    let goals = goals_of(&[&all]);
    let drop = goals.objectives[0].drop().expect("dropped");
    assert_eq!((drop.date, drop.reason), (d("2026-11-28"), ALL_KRS_DROPPED));
    assert_eq!(
        scored(&goals, "2026-11-27").objectives[0].status,
        Status::AtRisk
    );
    let o = &scored(&goals, "2026-11-28").objectives[0];
    assert_eq!(o.status, Status::Dropped);
    assert_eq!(o.score, scored(&goals, "2026-11-27").objectives[0].score);
}

/// SPEC 3.4 and 5: a key result is stale after the longer of `stale_days` and its cadence.
#[test]
fn a_key_results_cadence_sets_when_it_goes_stale() {
    let text = |cadence: &str| {
        format!(
            "team: g\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - {{ id: a, title: A, start: 0, target: 10, cadence: {cadence}, checkins: [{{ date: 2026-10-20, value: 3 }}] }}\n      - {{ id: b, title: B, start: 0, target: 10, checkins: [{{ date: 2026-11-08, value: 3 }}] }}\n"
        )
    };
    // 2026-11-10 is 21 days after the check-in: stale at 14 days (weekly, biweekly), not at 31.
    for (cadence, stale) in [("weekly", true), ("biweekly", true), ("monthly", false)] {
        let goals = goals_of(&[&text(cadence)]);
        let k = &scored(&goals, "2026-11-10").objectives[0].key_results[0];
        assert_eq!(k.stale, stale, "{cadence}");
    }
    let goals = goals_of(&[&text("monthly")]);
    assert!(scored(&goals, "2026-11-21").objectives[0].key_results[0].stale);
}

/// Past [`super::PARALLEL_FROM`] items the scorecard is computed on every core: each figure
/// must be what scoring that item alone gives, in the same order.
#[test]
fn many_items_are_scored_on_every_core_exactly_as_one_by_one() {
    let n = super::PARALLEL_FROM * 3 + 17;
    let objectives: Vec<Objective> = (0..n)
        .map(|i| {
            let x = (i % 97) as f64;
            let mut o = objective(vec![
                metric(
                    "a",
                    0.0,
                    100.0,
                    vec![v("2026-10-15", x), v("2026-11-02", x + 3.0)],
                ),
                metric("b", 50.0, 10.0, vec![v("2026-10-20", 50.0 - x / 3.0)]),
            ]);
            o.id = format!("o{i}");
            o
        })
        .collect();
    let kpis: Vec<Kpi> = (0..n)
        .map(|i| {
            let mut k = kpi(
                Better::Higher,
                50.0,
                Some(10.0),
                vec![
                    v("2026-10-01", (i % 61) as f64),
                    v("2026-11-01", (i % 89) as f64),
                ],
            );
            k.id = format!("k{i}");
            k
        })
        .collect();
    let goals = Goals {
        upstream: Default::default(),
        objectives: objectives.clone(),
        kpis: kpis.clone(),
    };
    let t = d("2026-11-10");
    let card = score(Valid::assume(&goals), t, Thresholds::default());
    let before = before(
        Valid::assume(&goals),
        d("2026-11-03"),
        Thresholds::default(),
    );
    assert_eq!(card.objectives.len(), n);
    assert_eq!(card.kpis.len(), n);
    for (i, o) in objectives.into_iter().enumerate().step_by(7) {
        let mut alone = one(o, "2026-11-10");
        alone.id = ObjectiveId::new(i);
        for kr in &mut alone.key_results {
            kr.id.objective = ObjectiveId::new(i);
        }
        assert_eq!(card.objectives[i], alone, "objective {i}");
    }
    for (i, k) in kpis.into_iter().enumerate().step_by(7) {
        let alone = Goals {
            upstream: Default::default(),
            objectives: Vec::new(),
            kpis: vec![k],
        };
        let mut s = score(Valid::assume(&alone), t, Thresholds::default())
            .kpis
            .remove(0);
        s.id = KpiId::new(i);
        assert_eq!(card.kpis[i], s, "KPI {i}");
        assert_eq!(before.kpis[i].id, KpiId::new(i));
    }
    assert!(before.objectives.iter().all(Option::is_some));
}
