use super::*;
use crate::lifecycle::testing::{goals_of, scored};

#[test]
fn bands_at_their_boundaries_allow_rounding() {
    assert_eq!(Band::of(0.0), Band::Red);
    assert_eq!(Band::of(0.399), Band::Red);
    assert_eq!(Band::of(0.4 - 2e-9), Band::Red);
    assert_eq!(Band::of(0.4 - 1e-10), Band::Yellow);
    assert_eq!(Band::of(0.4), Band::Yellow);
    assert_eq!(Band::of(0.6999999999999998), Band::Green);
    assert_eq!(Band::of(0.69), Band::Yellow);
    assert_eq!(Band::of(0.7), Band::Green);
    assert_eq!(Band::of(1.0), Band::Green);
}

#[test]
fn grades_follow_the_commitment() {
    use Commitment::*;
    assert_eq!(Grade::of(0.7, Aspirational), Grade::Achieved);
    assert_eq!(Grade::of(0.6999999999999998, Aspirational), Grade::Achieved);
    assert_eq!(Grade::of(0.69, Aspirational), Grade::Missed);
    assert_eq!(Grade::of(0.99, Committed), Grade::Missed);
    assert_eq!(Grade::of(1.0 - 1e-10, Committed), Grade::Achieved);
}

/// A key result's Brier score with no confidence standing but `c` all period.
fn flat(c: f64, reached: bool) -> KrBrier {
    let o = if reached { 1.0 } else { 0.0 };
    let mut bins = crate::score::measures::Bins::default();
    bins.add(c, o, 1.0);
    KrBrier {
        brier: (c - o) * (c - o),
        lean: c - o,
        bins,
    }
}

#[test]
fn brier_is_the_mean_of_the_key_results() {
    let mut b = Brier::default();
    assert_eq!(b.score(), None);
    b.add(flat(0.8, true)); // 0.04
    b.add(flat(0.6, false)); // 0.36
    b.add(flat(0.5, true)); // 0.25
    assert_eq!(b.n, 3);
    assert!((b.score().unwrap() - 0.65 / 3.0).abs() < 1e-12);
}

fn d(s: &str) -> Date {
    Date::parse(s).expect("a test date")
}

/// A ten-day period, 2026-10-01 to 2026-10-10.
fn ten_days() -> Period {
    Period {
        name: "p".into(),
        start: d("2026-10-01"),
        end: d("2026-10-10"),
    }
}

fn conf(date: &str, c: Option<f64>) -> Checkin {
    Checkin {
        date: d(date),
        obs: Observation::Value(1.0),
        confidence: c,
        text: None,
        span: Span::default(),
    }
}

fn brier_of(checkins: &[Checkin], reached: bool) -> KrBrier {
    KrBrier::of(checkins, &ten_days(), reached).expect("the key result counts")
}

fn near(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-12, "{a} != {b}");
}

/// Hand-computed over the ten days: 0.5 stands on days 1–3, each confidence from its day.
#[test]
fn every_confidence_counts_for_the_days_it_stood() {
    // 0.8 from day 4, target reached: 3·0.25 + 7·0.04 = 1.03 over 10 days.
    let b = brier_of(&[conf("2026-10-04", Some(0.8))], true);
    near(b.brier, 0.103);
    near(b.lean, (3.0 * -0.5 + 7.0 * -0.2) / 10.0);
    // Not reached: 3·0.25 + 7·0.64 = 5.23.
    near(
        brier_of(&[conf("2026-10-04", Some(0.8))], false).brier,
        0.523,
    );
    // 0.8 from day 4, 0.2 from day 8, not reached: 3·0.25 + 4·0.64 + 3·0.04 = 3.43. A
    // check-in without a confidence (day 6) leaves the standing one as it is.
    let b = brier_of(
        &[
            conf("2026-10-04", Some(0.8)),
            conf("2026-10-06", None),
            conf("2026-10-08", Some(0.2)),
        ],
        false,
    );
    near(b.brier, 0.343);
    // Hindsight earns little: confidence 1 on the last day, when the target was reached,
    // stands one day: 9·0.25 + 0 = 2.25.
    near(
        brier_of(&[conf("2026-10-10", Some(1.0))], true).brier,
        0.225,
    );
    // A confidence on the first day stands all period.
    near(brier_of(&[conf("2026-10-01", Some(0.9))], true).brier, 0.01);
    // A confidence given before the period (a KPI's) stands from its start once one is
    // given inside it: 0.6 on days 1–4, 1.0 from day 5, reached: 4·0.16 = 0.64.
    near(
        brier_of(
            &[conf("2026-09-20", Some(0.6)), conf("2026-10-05", Some(1.0))],
            true,
        )
        .brier,
        0.064,
    );
}

#[test]
fn a_key_result_without_a_confidence_in_its_period_does_not_count() {
    let p = ten_days();
    assert_eq!(KrBrier::of(&[], &p, true), None);
    assert_eq!(KrBrier::of(&[conf("2026-10-04", None)], &p, true), None);
    // Before and after the period only.
    let outside = [conf("2026-09-20", Some(0.6)), conf("2026-10-11", Some(0.9))];
    assert_eq!(KrBrier::of(&outside, &p, true), None);
    // One after the end does not stand inside it: 0.5 for the first 3 days, 0.8 after.
    let b = KrBrier::of(
        &[conf("2026-10-04", Some(0.8)), conf("2026-10-11", Some(0.0))],
        &p,
        true,
    )
    .expect("counts");
    near(b.brier, 0.103);
}

/// Two teams in 2026-Q3 (92 days). Every confidence is given on 2026-09-01 and stands its
/// last 30 days, 0.5 the 62 before; the outcome is 1 only for a key result that reached its
/// target (progress 1), so a key result's Brier score is (62·(0.5 − o)² + 30·(c − o)²) / 92
/// = (15.5 + 30·(c − o)²) / 92, written below as the numerator:
///   alice (g/a): k1 0.8, 7 of 10 (achieved, not reached): 15.5 + 19.2 = 34.7;
///                k2 0.9, 5 of 10: 15.5 + 24.3 = 39.8; k3 no confidence (not counted)
///   bob   (g/b, committed): k1 0.5 reached: 15.5 + 7.5 = 23; k2 0.7, 8 of 10: 15.5 + 14.7 = 30.2
///   none  (g/c, no owner):  k1 0.2, 1 of 10: 15.5 + 1.2 = 16.7
///   alice (p/d):            k1 1.0, done: 15.5; k2 (from a KPI) 0.1, 2 of 10: 15.5 + 0.3 =
///                           15.8; k3 0.3, 3 of 10: 15.5 + 2.7 = 18.2
const G: &str = "\
team: g
period: 2026-Q3
objectives:
  - id: a
    title: A
    owner: alice
    key_results:
      - { id: k1, title: K, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 7, confidence: 0.8 }] }
      - { id: k2, title: K, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 5, confidence: 0.9 }] }
      - { id: k3, title: K, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 10 }] }
  - id: b
    title: B
    owner: bob
    commitment: committed
    key_results:
      - { id: k1, title: K, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 10, confidence: 0.5 }] }
      - { id: k2, title: K, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 8, confidence: 0.7 }] }
  - id: c
    title: C
    key_results:
      - { id: k1, title: K, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 1, confidence: 0.2 }] }
";
const P: &str = "\
team: p
period: 2026-Q3
objectives:
  - id: d
    title: D
    owner: alice
    key_results:
      - { id: k1, title: K, kind: milestone, checkins: [{ date: 2026-09-01, done: true, confidence: 1 }] }
      - { id: k2, title: K, start: 0, target: 10, kpi: p/m }
      - { id: k3, title: K, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 3, confidence: 0.3 }] }
kpis:
  - id: m
    title: M
    better: higher
    target: 10
    checkins:
      - { date: 2026-09-01, value: 2, confidence: 0.1 }
      # After the end: ignored, also for calibration.
      - { date: 2026-10-01, value: 9, confidence: 0.9 }
";
const Q4: &str = "\
team: g
period: 2026-Q4
objectives:
  - id: a
    title: A
    key_results:
      - { id: k1, title: K, start: 0, target: 10 }
";

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a score");
    assert!((a - b).abs() < 1e-12, "{a} != {b}");
}

#[test]
fn calibration_per_owner_team_and_overall() {
    let goals = goals_of(&[G, P, Q4]);
    let card = scored(&goals, "2026-11-30");
    let r = review(&goals, &card, "2026-Q3", &[]).expect("a review");
    assert_eq!(r.teams.len(), 2);
    let (g, p) = (&r.teams[0], &r.teams[1]);
    close(
        g.calibration.all.score(),
        (34.7 + 39.8 + 23.0 + 30.2 + 16.7) / 92.0 / 5.0,
    );
    assert_eq!(g.calibration.all.n, 5);
    close(
        g.calibration.by_owner["alice"].score(),
        (34.7 + 39.8) / 92.0 / 2.0,
    );
    close(
        g.calibration.by_owner["bob"].score(),
        (23.0 + 30.2) / 92.0 / 2.0,
    );
    assert_eq!(g.calibration.by_owner.len(), 2, "no owner, no entry");
    close(p.calibration.all.score(), (15.5 + 15.8 + 18.2) / 92.0 / 3.0);
    let all = &r.calibration;
    assert_eq!(all.all.n, 8);
    close(
        all.all.score(),
        (34.7 + 39.8 + 23.0 + 30.2 + 16.7 + 15.5 + 15.8 + 18.2) / 92.0 / 8.0,
    );
    assert_eq!(all.by_owner["alice"].n, 5);
    close(
        all.by_owner["alice"].score(),
        (34.7 + 39.8 + 15.5 + 15.8 + 18.2) / 92.0 / 5.0,
    );
    // Grades, bands and carry-over candidates.
    let a = &g.objectives[0];
    assert_eq!((a.grade, a.band), (Grade::Achieved, Band::Green)); // (0.7 + 0.5 + 1) / 3
    let b = &g.objectives[1];
    assert_eq!((b.grade, b.band), (Grade::Missed, Band::Green)); // committed, 0.9
    assert_eq!(b.key_results[1].grade, Grade::Missed); // 0.8 of a committed objective
    assert_eq!(
        g.carry_over
            .iter()
            .map(|&i| goals.objective(i).id.as_str())
            .collect::<Vec<_>>(),
        ["b", "c"]
    );
    assert!(!g.sandbagging && !p.sandbagging);
    // Teams filter; the overall calibration is over the teams reviewed.
    let r = review(&goals, &card, "2026-Q3", &["p".to_owned()]).expect("a review");
    assert_eq!((r.teams.len(), r.calibration.all.n), (1, 3));
}

#[test]
fn owners_are_ranked_from_five_confidences() {
    let mut c = Calibration::default();
    for _ in 0..5 {
        c.add(Some("ann"), flat(0.9, true)); // 0.01 each
        c.add(Some("ben"), flat(0.9, false)); // 0.81 each
    }
    for _ in 0..4 {
        c.add(Some("cy"), flat(0.5, true)); // 0.25, n = 4: listed, not ranked
    }
    let ranked: Vec<&str> = c.ranked().iter().map(|r| r.0).collect();
    assert_eq!(ranked, ["ann", "ben"]);
    let line = text::ranking(&c, str::to_owned).expect("a ranking");
    assert_eq!(
        line,
        "Best calibrated: ann (0.01, n = 5); least well calibrated: ben (0.81, n = 5) (owners with fewer than 5 key results with a confidence are not ranked)."
    );
    c.by_owner.remove("ben");
    let line = text::ranking(&c, str::to_owned).expect("one owner");
    assert!(
        line.starts_with("Only ann (0.01, n = 5) has 5 or more"),
        "{line}"
    );
    c.by_owner.remove("ann");
    assert_eq!(text::ranking(&c, str::to_owned), None);
}

#[test]
fn sandbagging_open_periods_and_unknown_names() {
    let all_done = "\
team: s
period: 2026-Q3
objectives:
  - id: easy
    title: E
    key_results:
      - { id: k, title: K, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 12 }] }
  - id: must
    title: M
    commitment: committed
    key_results:
      - { id: k, title: K, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 3 }] }
";
    let goals = goals_of(&[all_done, Q4]);
    let card = scored(&goals, "2026-11-30");
    let r = review(&goals, &card, "2026-Q3", &[]).expect("a review");
    // Every aspirational objective scored 1.0; the committed one does not count.
    assert!(r.teams[0].sandbagging);
    assert_eq!(r.calibration.all.score(), None);

    let e = review(&goals, &card, "2026-Q4", &[]).expect_err("open");
    assert_eq!(
        e.to_string(),
        "`2026-Q4` has not closed: it ends on 2026-12-31; a review grades a closed period (run it after 2026-12-31, or preview it with --as-of 2027-01-01)"
    );
    let card_end = scored(&goals, "2026-09-30");
    assert!(matches!(
        review(&goals, &card_end, "2026-Q3", &[]),
        Err(ReviewError::Open { .. })
    ));
    let e = review(&goals, &card, "2026-Q2", &[]).expect_err("none");
    assert!(
        e.to_string()
            .starts_with("no objectives in period `2026-Q2`"),
        "{e}"
    );
    let e = review(&goals, &card, "2026-Q3", &["g".to_owned()]).expect_err("team");
    assert!(
        e.to_string().contains("teams with objectives there: s"),
        "{e}"
    );
}

#[test]
fn the_lean_says_which_way_confidences_erred() {
    let mut b = Brier::default();
    assert_eq!(b.lean(), None);
    b.add(flat(0.9, false));
    b.add(flat(0.8, true));
    assert!((b.lean().unwrap() - 0.35).abs() < 1e-12);
}

#[test]
fn the_json_schema_names_every_key() {
    let v: serde_json::Value = serde_json::from_str(&crate::contract::output_json(
        crate::contract::Output::Review,
        false,
    ))
    .expect("a schema");
    let required: Vec<&str> = v["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(|k| k.as_str())
        .collect();
    for key in ["format_version", "period", "teams", "calibration"] {
        assert!(required.contains(&key), "{key}: {v:#}");
    }
    let defs = &v["$defs"];
    for (def, key) in [
        ("TeamJson", "carry_over"),
        ("ObjectiveJson", "band"),
        ("KrJson", "grade"),
        ("CalibrationJson", "by_owner"),
        ("BrierJson", "n"),
    ] {
        assert!(
            defs[def]["properties"][key].is_object(),
            "{def}.{key}: {v:#}"
        );
    }
}

#[test]
fn dropped_items_are_listed_apart_not_graded_and_not_calibrated() {
    let q3 = "\
team: g
period: 2026-Q3
objectives:
  - id: kept
    title: Kept
    owner: alice
    key_results:
      - id: revised
        title: R
        owner: bob
        start: 0
        target: 10
        revisions:
          - { date: 2026-08-01, target: 8, reason: smaller market }
        checkins:
          - { date: 2026-07-10, value: 2, confidence: 0.6, note: slow start }
          - { date: 2026-09-10, value: 4, confidence: 0.3 }
      - id: cut
        title: C
        start: 0
        target: 10
        dropped: { date: 2026-08-05, reason: no budget }
        checkins: [{ date: 2026-07-10, value: 1, confidence: 0.9 }]
  - id: given-up
    title: Given up
    dropped: { date: 2026-08-02, reason: reorg }
    key_results:
      - { id: a, title: A, start: 0, target: 1, checkins: [{ date: 2026-07-10, value: 0, confidence: 0.9 }] }
  - id: through-krs
    title: Through its key results
    key_results:
      - { id: a, title: A, start: 0, target: 1, dropped: { date: 2026-08-01, reason: x } }
      - { id: b, title: B, start: 0, target: 1, dropped: { date: 2026-08-03, reason: y } }
";
    let goals = goals_of(&[q3]);
    let card = scored(&goals, "2026-10-15");
    let r = review(&goals, &card, "2026-Q3", &[]).expect("a review");
    let t = &r.teams[0];
    let graded: Vec<String> = t
        .objectives
        .iter()
        .flat_map(|o| {
            std::iter::once(o.objective.reference().to_string())
                .chain(o.key_results.iter().map(|k| k.reference.to_string()))
        })
        .collect();
    assert_eq!(graded, ["g/kept", "g/kept/revised"]);
    let dropped: Vec<(String, String, &str)> = t
        .dropped
        .iter()
        .map(|d| (d.reference.to_string(), d.date.to_string(), d.reason))
        .collect();
    assert_eq!(
        dropped,
        [
            ("g/given-up".into(), "2026-08-02".into(), "reorg"),
            (
                "g/through-krs".into(),
                "2026-08-03".into(),
                "all key results dropped"
            ),
            ("g/kept/cut".into(), "2026-08-05".into(), "no budget"),
        ]
    );
    // Only the key result not dropped counts, for its own owner.
    assert_eq!(t.calibration.all.n, 1);
    assert_eq!(t.calibration.by_owner.keys().collect::<Vec<_>>(), ["bob"]);
    assert!(
        t.carry_over
            .iter()
            .all(|&i| goals.objective(i).id == "kept")
    );
    let k = &t.objectives[0].key_results[0];
    assert_eq!(k.revisions, ["target 10 → 8 on 2026-08-01: smaller market"]);
    assert_eq!(k.notes, [(d("2026-07-10"), "slow start")]);
    // Every format says so.
    let text = text::render(&r, false, false);
    assert!(
        text.contains("revised: target 10 → 8 on 2026-08-01: smaller market"),
        "{text}"
    );
    assert!(text.contains("note 2026-07-10: slow start"), "{text}");
    assert!(
        text.contains("dropped, not graded: g/through-krs on 2026-08-03: all key results dropped"),
        "{text}"
    );
    let md = markdown::render(&r, crate::text::fit::GITHUB_LIMIT, false);
    assert!(
        md.contains("- `g/kept/cut`: dropped on 2026-08-05: no budget"),
        "{md}"
    );
    assert!(
        md.contains("<br>revised: target 10 → 8 on 2026-08-01: smaller market"),
        "{md}"
    );
    let v: serde_json::Value = serde_json::from_str(&json::render(&r)).expect("JSON");
    assert_eq!(
        v["teams"][0]["dropped"][1]["reason"],
        "all key results dropped"
    );
    let kr = &v["teams"][0]["objectives"][0]["key_results"][0];
    assert_eq!(kr["owner"], "bob");
    assert_eq!(
        kr["revisions"][0],
        serde_json::json!({"date": "2026-08-01", "target": 8, "start": null, "reason": "smaller market"})
    );
    assert_eq!(
        kr["notes"],
        serde_json::json!([{"date": "2026-07-10", "note": "slow start"}])
    );
}
