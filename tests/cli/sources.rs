//! Data sources in goalpost.toml and KPIs that name them (SPEC 11): every way a `source:`
//! can fail to fit is a located error with a code, so `goalpost pull` never meets a KPI it
//! cannot ask about.

use crate::common::*;

const TOML: &str = "[sources.prom]\nkind = \"prometheus\"\nurl = \"http://127.0.0.1:9\"\n\
                    [sources.warehouse]\nkind = \"csv\"\npath = \"metrics/kpis.csv\"\n";

/// A repository with [`TOML`] and one KPI whose `source:` line is `source`.
fn kpi_with(source: &str) -> tempfile::TempDir {
    repo(&[
        ("goalpost.toml", TOML),
        (
            "goals/kpis.yaml",
            &format!(
                "team: growth\nkpis:\n  - id: p95\n    title: p95 latency\n    better: lower\n    target: 250\n    {source}\n"
            ),
        ),
    ])
}

/// The one diagnostic of `check` on `r`: (code, line, column, message, help).
fn the_diagnostic(r: &tempfile::TempDir) -> (String, u64, u64, String, String) {
    let (exit, v) = check_json(r.path(), &[]);
    assert_eq!(exit, 1, "{v:#}");
    let d = v["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(d.len(), 1, "{v:#}");
    let d = &d[0];
    assert_eq!(d["file"], "goals/kpis.yaml", "{d}");
    (
        d["code"].as_str().unwrap_or("").to_owned(),
        d["line"].as_u64().unwrap_or(0),
        d["column"].as_u64().unwrap_or(0),
        d["message"].as_str().unwrap_or("").to_owned(),
        d["help"].as_str().unwrap_or("").to_owned(),
    )
}

#[test]
fn kpis_with_sources_that_fit_are_valid() {
    for source in [
        "source: { from: prom, query: 'sum(rate(http_requests_total{job=\"api\"}[5m]))' }",
        "source: { from: warehouse }",
        "source:\n      from: prom\n      query: up",
    ] {
        let r = kpi_with(source);
        let (exit, v) = check_json(r.path(), &[]);
        assert_eq!(exit, 0, "{source}: {v:#}");
    }
}

#[test]
fn an_unknown_source_is_an_unknown_ref_with_a_suggestion() {
    let r = kpi_with("source: { from: prm, query: up }");
    let (code, line, col, message, help) = the_diagnostic(&r);
    assert_eq!((code.as_str(), line, col), ("unknown-ref", 7, 21));
    assert!(message.contains("`prm`"), "{message}");
    assert_eq!(help, "did you mean `prom`?");
    // With no sources at all, the help says how to define one.
    let r = repo(&[(
        "goals/kpis.yaml",
        "team: growth\nkpis:\n  - id: p95\n    title: p95 latency\n    better: lower\n    target: 250\n    source: { from: prom, query: up }\n",
    )]);
    let (code, _, _, _, help) = the_diagnostic(&r);
    assert_eq!(code, "unknown-ref");
    assert!(help.contains("[sources.prom]"), "{help}");
}

#[test]
fn a_prometheus_source_needs_a_query_and_a_csv_source_takes_none() {
    let r = kpi_with("source: { from: prom }");
    let (code, line, _, message, help) = the_diagnostic(&r);
    assert_eq!((code.as_str(), line), ("missing-field", 7));
    assert!(message.contains("needs a `query`"), "{message}");
    assert!(help.contains("query:"), "{help}");
    let r = kpi_with("source: { from: prom, query: '' }");
    assert_eq!(the_diagnostic(&r).0, "missing-field");
    let r = kpi_with("source: { from: warehouse, query: up }");
    let (code, line, col, message, help) = the_diagnostic(&r);
    assert_eq!((code.as_str(), line, col), ("unknown-key", 7, 39));
    assert!(
        message.contains("CSV file (metrics/kpis.csv) and takes no `query`"),
        "{message}"
    );
    assert!(help.contains("remove `query`"), "{help}");
    let r = kpi_with("source: { query: up }");
    assert_eq!(the_diagnostic(&r).0, "missing-field");
    let r = kpi_with("source: { from: prom, qurey: up }");
    let (code, _, _, _, help) = the_diagnostic(&r);
    assert_eq!(code, "unknown-key");
    assert_eq!(help, "did you mean `query`?");
}

#[test]
fn only_kpis_take_a_source() {
    let r = repo(&[
        ("goalpost.toml", TOML),
        (
            "goals/okrs.yaml",
            "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: fast\n    title: A fast API\n    key_results:\n      - id: p95\n        title: p95 from 400 to 250\n        start: 400\n        target: 250\n        source: { from: prom, query: up }\n      - id: errors\n        title: errors from 2% to 1%\n        start: 2\n        target: 1\n",
        ),
    ]);
    let (exit, v) = check_json(r.path(), &[]);
    assert_eq!(exit, 1, "{v:#}");
    assert_eq!(codes(&v), ["unknown-key"]);
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(11), Some(9))
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap_or("")
            .contains("only KPIs take a `source`"),
        "{d}"
    );
}

#[test]
fn sources_in_goalpost_toml_are_checked_before_anything_is_read() {
    for (toml, says) in [
        (
            "[sources.prom]\nkind = \"prometheus\"\nurl = \"https://u:secret@p\"\n",
            "credentials",
        ),
        (
            "[sources.prom]\nkind = \"prometheus\"\nurl = \"https://p\"\ntokn_env = \"T\"\n",
            "did you mean `token_env`?",
        ),
        (
            "[sources.w]\nkind = \"csv\"\npath = \"../../etc/passwd\"\n",
            "leaves the repository",
        ),
        (
            "[sources.w]\nkind = \"csv\"\npath = \".git/config\"\n",
            "hidden",
        ),
        (
            "[sources.w]\nkind = \"ftp\"\npath = \"x.csv\"\n",
            "unknown variant `ftp`",
        ),
    ] {
        let r = repo(&[("goalpost.toml", toml), ("goals/a.yaml", "checkins: []\n")]);
        let o = run(r.path(), &["check"]);
        assert_eq!(o.status.code(), Some(2), "{toml}");
        let err = stderr(&o);
        assert!(
            err.contains("error[invalid-config]") && err.contains(says),
            "{toml}: {err}"
        );
        // Credentials written into the URL are not echoed in the message.
        let first = err.lines().next().unwrap_or("");
        assert!(!first.contains("secret"), "{first}");
    }
}

/// URLs are parsed as URIs (`http::Uri`): a scheme in capitals is a scheme; an IPv6 host in
/// a message is written out in full, so the human renderer's defence against workflow
/// commands (a word joiner inside every `::`) does not break it for whoever copies it.
#[test]
fn a_scheme_in_capitals_is_accepted_and_an_ipv6_url_in_an_error_copies_whole() {
    let kpi = "team: growth\nkpis:\n  - id: p95\n    title: p95 latency\n    better: lower\n    \
               target: 250\n    source: { from: prom, query: up }\n";
    for url in ["HTTP://prometheus.internal:9090", "Https://[::1]:9090/prom"] {
        let toml = format!("[sources.prom]\nkind = \"prometheus\"\nurl = \"{url}\"\n");
        let r = repo(&[("goalpost.toml", &toml), ("goals/kpis.yaml", kpi)]);
        let o = run(r.path(), &["check"]);
        assert_eq!(o.status.code(), Some(0), "{url}: {}", stderr(&o));
    }
    let toml = "[sources.prom]\nkind = \"prometheus\"\nurl = \"http://[fd00::1]:99999\"\n";
    let r = repo(&[("goalpost.toml", toml), ("goals/kpis.yaml", kpi)]);
    let o = run(r.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("the url `http://[fd00:0:0:0:0:0:0:1]:99999` has an invalid port"),
        "{err}"
    );
    assert!(!err.contains('\u{2060}'), "a word joiner in {err:?}");
}
