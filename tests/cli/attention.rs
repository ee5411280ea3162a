//! SPEC 12: what needs attention, first in every report. Check-in due dates, the attention
//! list's reasons and order, the per-team summary of open periods, the filters, and the
//! Markdown job summary of a large organisation keeping them within GitHub's limit.

use crate::common::*;

/// As of 2026-11-10 (period 2026-Q4, open). `late` was last checked in on 11-01 (due 11-08:
/// overdue); `never` has none (due 10-01 + 7 = 10-08, and stale); `guide` is done (no due
/// date); `linked` takes its values from a KPI (no due date of its own); `fine` is on track.
const GOALS: &str = "team: g
period: 2026-Q4
objectives:
  - id: o
    title: O
    owner: ann
    guardrails: [g/errors]
    key_results:
      - { id: late, title: Late, start: 0, target: 100, checkins: [{ date: 2026-11-01, value: 40 }] }
      - { id: never, title: Never, start: 0, target: 100 }
      - { id: guide, title: Guide, kind: milestone, checkins: [{ date: 2026-10-20, done: true }] }
      - { id: linked, title: Linked, start: 0, target: 10, kpi: g/signups }
      - { id: fine, title: Fine, start: 0, target: 100, checkins: [{ date: 2026-11-09, value: 60 }] }
kpis:
  - { id: errors, title: Errors, owner: bob, better: lower, target: 1, critical: 2, checkins: [{ date: 2026-11-09, value: 3 }] }
  - { id: signups, title: Signups, better: higher, target: 5, cadence: monthly, checkins: [{ date: 2026-10-01, value: 9 }] }
  - { id: empty, title: Empty, better: higher, target: 5 }
";

fn json(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--as-of", "2026-11-10", "status", "--format", "json"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("JSON")
}

#[test]
fn checkin_due_dates_follow_the_cadence() {
    let r = repo(&[("goals/g.yaml", GOALS)]);
    let v = json(r.path(), &[]);
    let krs = &v["objectives"][0]["key_results"];
    let due = |i: usize| (krs[i]["checkin_due"].clone(), krs[i]["overdue"].clone());
    assert_eq!(
        due(0),
        ("2026-11-08".into(), true.into()),
        "last check-in + 7"
    );
    assert_eq!(
        due(1),
        ("2026-10-08".into(), true.into()),
        "the period's start + 7"
    );
    assert_eq!(
        due(2),
        (serde_json::Value::Null, false.into()),
        "a done milestone"
    );
    assert_eq!(
        due(3),
        (serde_json::Value::Null, false.into()),
        "its KPI is asked"
    );
    assert_eq!(due(4), ("2026-11-16".into(), false.into()));
    assert_eq!(krs[0]["owner"], "ann");
    let kpis = &v["kpis"];
    assert_eq!(kpis[0]["ref"], "g/empty");
    assert_eq!(kpis[0]["checkin_due"], serde_json::Value::Null);
    assert_eq!(kpis[1]["checkin_due"], "2026-11-16", "weekly");
    assert_eq!(kpis[2]["checkin_due"], "2026-11-01", "monthly: 31 days");
    assert_eq!(kpis[2]["overdue"], true);
}

#[test]
fn the_attention_list_names_every_reason_most_severe_first() {
    let r = repo(&[("goals/g.yaml", GOALS)]);
    let v = json(r.path(), &[]);
    let list: Vec<(String, String, Vec<String>, serde_json::Value)> = v["attention"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| {
            (
                e["ref"].as_str().unwrap_or("").to_owned(),
                e["item"].as_str().unwrap_or("").to_owned(),
                e["reasons"]
                    .as_array()
                    .expect("reasons")
                    .iter()
                    .map(|r| r.as_str().unwrap_or("").to_owned())
                    .collect(),
                e["owner"].clone(),
            )
        })
        .collect();
    let s = |x: &[&str]| x.iter().map(|r| r.to_string()).collect::<Vec<_>>();
    assert_eq!(
        list,
        vec![
            (
                "g/o".into(),
                "objective".into(),
                s(&["guardrail_breached"]),
                "ann".into()
            ),
            (
                "g/errors".into(),
                "kpi".into(),
                s(&["kpi_critical"]),
                "bob".into()
            ),
            (
                "g/empty".into(),
                "kpi".into(),
                s(&["kpi_no_data"]),
                serde_json::Value::Null
            ),
            // No check-in 40 days into the period: no data, and stale rather than overdue.
            (
                "g/o/never".into(),
                "key_result".into(),
                s(&["stale"]),
                "ann".into()
            ),
            // Monthly, last checked in 40 days ago: stale (its KR `linked` is not listed).
            (
                "g/signups".into(),
                "kpi".into(),
                s(&["stale"]),
                serde_json::Value::Null
            ),
            // 0.4 against 0.43 expected: on track, but its check-in is two days late.
            (
                "g/o/late".into(),
                "key_result".into(),
                s(&["overdue"]),
                "ann".into()
            ),
        ]
    );
    assert_eq!(
        v["summary"],
        serde_json::json!([{"period": "2026-Q4", "team": "g", "counts": {"on_track": 1}}])
    );
}

#[test]
fn every_human_report_opens_with_the_attention_list_and_filters_narrow_it() {
    let r = repo(&[("goals/g.yaml", GOALS)]);
    for args in [
        &["status"][..],
        &["status", "--format", "markdown"],
        &["report", "--format", "markdown"],
        &["report", "--format", "html"],
    ] {
        let mut all = vec!["--as-of", "2026-11-10"];
        all.extend_from_slice(args);
        let o = run(r.path(), &all);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        let list = out
            .find("Needs attention (6)")
            .unwrap_or_else(|| panic!("{args:?}: {out}"));
        let first_section = out.find("2026-Q4 · g").unwrap_or(usize::MAX);
        assert!(list < first_section, "{args:?}: {out}");
        for r in ["g/o/never", "g/o/late", "g/errors", "g/signups", "g/empty"] {
            assert!(out[list..].contains(r), "{args:?}: {r}");
        }
    }
    let v = json(r.path(), &["--attention"]);
    let krs: Vec<&str> = v["objectives"][0]["key_results"]
        .as_array()
        .expect("krs")
        .iter()
        .map(|k| k["ref"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(krs, ["g/o/late", "g/o/never"]);
    assert_eq!(v["kpis"].as_array().map(Vec::len), Some(3));
    let v = json(r.path(), &["--status", "no_data,critical"]);
    assert_eq!(
        v["objectives"][0]["key_results"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(v["objectives"][0]["key_results"][0]["ref"], "g/o/never");
    let kpis: Vec<&str> = v["kpis"]
        .as_array()
        .expect("kpis")
        .iter()
        .map(|k| k["ref"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kpis, ["g/empty", "g/errors"]);
    let o = run(r.path(), &["status", "--status", "late"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a status"), "{}", stderr(&o));
}

/// The job summary of a 30- and a 300-team organisation (`report --format markdown`, what
/// the GitHub Action writes) leads with the open quarter: its summary per team, the attention
/// list, then the open quarter's sections; the closed quarter comes last, folded, and is what
/// the limit cuts. Rendered by GitHub's own renderer (cmark-gfm) where it is installed.
#[test]
fn a_large_organisations_job_summary_leads_with_the_open_quarter() {
    for teams in [30, 300] {
        let mut files = Vec::new();
        for t in 0..teams {
            for (period, off) in [("2026-Q3", "2026-09-20"), ("2026-Q4", "2026-11-01")] {
                let mut text = format!("team: t{t:03}\nperiod: {period}\nobjectives:\n");
                for o in 0..3 {
                    text.push_str(&format!(
                        "  - id: o{o}\n    title: Objective {o} of team {t}, a title of a usual length\n    owner: owner{t}\n    key_results:\n"
                    ));
                    for k in 0..3 {
                        text.push_str(&format!(
                            "      - {{ id: k{k}, title: Key result {k}, start: 0, target: 100, checkins: [{{ date: {off}, value: {} }}] }}\n",
                            (t + o + k) * 7 % 100
                        ));
                    }
                }
                files.push((format!("goals/t{t:03}/{period}.yaml"), text));
            }
        }
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let r = repo(&refs);
        let o = run(
            r.path(),
            &["--as-of", "2026-11-15", "report", "--format", "markdown"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let md = stdout(&o);
        assert!(md.len() <= 65_536, "{teams}: {} bytes", md.len());
        let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("{teams}: no {s:?}"));
        assert!(
            at("### Open periods") < at("### Needs attention"),
            "{teams}"
        );
        assert!(
            at("### Needs attention") < at("## 2026-Q4 · t000"),
            "{teams}"
        );
        if let Some(q3) = md.find("2026-Q3 · t") {
            assert!(
                q3 > at("## 2026-Q4 · t000"),
                "{teams}: the closed quarter comes last"
            );
            assert!(md[..q3].ends_with("<details><summary>"), "{teams}: folded");
        }
        if teams == 300 {
            assert!(md.contains("left out._ `goalpost status --attention` lists them all."));
            assert!(
                !md.contains("2026-Q3 · t"),
                "the closed quarter is what is cut"
            );
            assert!(md.contains("Truncated to stay under GitHub's"));
        }
        if let Some(html) = crate::tools::gfm_html(&md) {
            let h3: Vec<&str> = html
                .match_indices("<h3>")
                .map(|(i, _)| &html[i + 4..i + 4 + html[i + 4..].find("</h3>").unwrap_or(0)])
                .take(2)
                .collect();
            assert_eq!(h3[0], "Open periods", "{teams}");
            assert!(h3[1].starts_with("Needs attention ("), "{teams}: {h3:?}");
            assert!(
                html.contains("<td><code>t000/o"),
                "{teams}: the list is a table"
            );
        } else {
            crate::tools::missing(
                "a_large_organisations_job_summary_leads_with_the_open_quarter",
                "cmark-gfm (Debian)",
            );
        }
    }
}

/// SPEC 12: each row carries its figures as of `--since` (default a week before the as-of
/// date), the same figures a run as of that date computes; human outputs say what changed.
#[test]
fn previous_figures_are_those_of_the_since_date() {
    let r = repo(&[("goals/g.yaml", GOALS)]);
    let now = json(r.path(), &[]);
    assert_eq!(now["since"], "2026-11-03");
    let o = run(
        r.path(),
        &["--as-of", "2026-11-03", "status", "--format", "json"],
    );
    let then: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let (o_now, o_then) = (&now["objectives"][0], &then["objectives"][0]);
    assert_eq!(o_now["previous"]["score"], o_then["score"]);
    assert_eq!(o_now["previous"]["status"], o_then["status"]);
    for i in 0..5 {
        let (k, t) = (&o_now["key_results"][i], &o_then["key_results"][i]);
        assert_eq!(k["previous"]["progress"], t["progress"], "{i}");
        assert_eq!(k["previous"]["status"], t["status"], "{i}");
        assert_eq!(k["previous"]["confidence"], t["confidence"], "{i}");
    }
    for i in 0..3 {
        let (k, t) = (&now["kpis"][i], &then["kpis"][i]);
        assert_eq!(k["previous"]["value"], t["value"], "{i}");
        assert_eq!(k["previous"]["status"], t["status"], "{i}");
    }
    let v = json(r.path(), &["--since", "2026-10-15"]);
    assert_eq!(v["since"], "2026-10-15");
    // `fine` went from no data (before its check-in) to 0.6 on track.
    let table = stdout(&run(
        r.path(),
        &["--as-of", "2026-11-10", "status", "--since", "2026-11-01"],
    ));
    let fine = table.lines().find(|l| l.contains("└ fine")).expect("a row");
    assert!(fine.contains("Δ +0.60, was no data"), "{table}");
    let o = run(
        r.path(),
        &["--as-of", "2026-11-10", "status", "--since", "2026-11-11"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is after the date"), "{}", stderr(&o));
}

/// `show` of an objective opens with what of it needs attention (its key results and its
/// guardrail KPIs), and says what changed since `--since`.
#[test]
fn show_of_an_objective_opens_with_what_needs_attention() {
    let r = repo(&[("goals/g.yaml", GOALS)]);
    let o = run(
        r.path(),
        &[
            "--as-of",
            "2026-11-10",
            "show",
            "g/o",
            "--since",
            "2026-11-01",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let show = stdout(&o);
    let list = show.find("needs attention\n").expect("the list");
    assert!(list < show.find("  period").expect("fields"), "{show}");
    for line in [
        "  g/o                  guardrail breached\n",
        "  g/errors             critical (due 2026-11-16)\n",
        "  g/o/late             check-in overdue (due 2026-11-08)\n",
    ] {
        assert!(show.contains(line), "{line:?} in {show}");
    }
    assert!(
        !show[list..].contains("g/empty"),
        "not its guardrail: {show}"
    );
    assert!(show.contains("Δ +0.60, was no data"), "{show}");
    assert!(show.contains("  changed       "), "{show}");
    let o = run(
        r.path(),
        &[
            "--as-of",
            "2026-11-10",
            "show",
            "g/o",
            "--since",
            "2026-12-01",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
}
