//! `goalpost digest` (SPEC 15): per owner, their attention entries and what changed since
//! `--since`, on hand-made repositories with hand-computed expectations, and the Slack
//! payload posted to a local HTTP server that checks it against Block Kit's rules.

use super::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

/// Period 2026-Q4 (Oct 1 – Dec 31), as of 2026-11-15, since 2026-11-08 (the default).
/// - `g/a/k` (owner Zoe): 90 of 100, on track; no check-in on or before Nov 8 (no data
///   then). Checked in by bob (counted) and by zoe (Zoe's own, case-insensitive: not).
/// - `g/b/m` (owner amy): 0 of 100 since Oct 1: off track and stale, due Oct 8; off track on
///   Nov 8 too, so no change.
/// - `g/c/n` (no owner): 60 of 100 on Nov 14 by eve: on track, a change, nothing owed.
/// - `g/x` (KPI, owner Bob): check-ins without `by`, blamed: Nov 9 by Bob (his own), Nov 11
///   by Carol (counted), Nov 13 not committed (no author: not counted).
const GOALS: &str = "team: g
period: 2026-Q4
objectives:
  - id: a
    title: A
    owner: Zoe
    key_results:
      - id: k
        title: K
        start: 0
        target: 100
        checkins:
          - { date: 2026-11-10, value: 80, by: bob }
          - { date: 2026-11-12, value: 90, by: zoe }
  - id: b
    title: B
    owner: amy
    key_results:
      - id: m
        title: M
        start: 0
        target: 100
        checkins:
          - { date: 2026-10-01, value: 0, by: amy }
  - id: c
    title: C
    key_results:
      - id: n
        title: N
        start: 0
        target: 100
        checkins:
          - { date: 2026-11-14, value: 60, by: eve }
";

const KPI_HEAD: &str = "team: g
kpis:
  - id: x
    title: X
    owner: Bob
    better: higher
    target: 10
    checkins:
";

fn blamed_repo() -> tempfile::TempDir {
    let dir = repo(&[
        ("goals/g.yaml", GOALS),
        (
            "goals/k.yaml",
            &format!("{KPI_HEAD}      - {{ date: 2026-11-09, value: 11 }}\n"),
        ),
    ]);
    let d = dir.path();
    git_as(d, "Bob", &["init", "-q", "-b", "main"]);
    git_as(d, "Bob", &["add", "-A"]);
    git_as(d, "Bob", &["commit", "-qm", "goals"]);
    let k = |lines: &str| format!("{KPI_HEAD}      - {{ date: 2026-11-09, value: 11 }}\n{lines}");
    write(
        d,
        "goals/k.yaml",
        k("      - { date: 2026-11-11, value: 12 }\n").as_bytes(),
    );
    git_as(d, "Carol", &["commit", "-qam", "carol checks in"]);
    write(
        d,
        "goals/k.yaml",
        k("      - { date: 2026-11-11, value: 12 }\n      - { date: 2026-11-13, value: 13 }\n")
            .as_bytes(),
    );
    dir
}

fn digest(dir: &Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["--as-of", "2026-11-15", "digest"];
    args.extend_from_slice(extra);
    let o = run(dir, &args);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    (o.status.code().unwrap_or(-1), stdout(&o))
}

fn digest_json(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let (code, out) = digest(dir, &args);
    assert_eq!(code, 0, "{out}");
    serde_json::from_str(&out).expect("JSON")
}

#[test]
fn owners_sorted_unowned_last_with_what_they_owe_and_what_changed() {
    let dir = blamed_repo();
    let v = digest_json(dir.path(), &[]);
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["as_of"], "2026-11-15");
    assert_eq!(v["since"], "2026-11-08");
    let owners: Vec<&serde_json::Value> = v["owners"]
        .as_array()
        .expect("owners")
        .iter()
        .map(|o| &o["owner"])
        .collect();
    // Case-insensitive order, the group with no owner last.
    assert_eq!(
        owners,
        [
            &serde_json::json!("amy"),
            &serde_json::json!("Bob"),
            &serde_json::json!("Zoe"),
            &serde_json::Value::Null
        ],
        "{v:#}"
    );
    let amy = &v["owners"][0];
    assert_eq!(
        amy["attention"],
        serde_json::json!([{"ref": "g/b/m", "item": "key_result", "owner": "amy",
            "reasons": ["off_track", "stale"], "checkin_due": "2026-10-08"}]),
        "{v:#}"
    );
    assert_eq!(amy["changes"], serde_json::json!([]), "{v:#}");
    // Bob owes nothing; Carol's blamed check-in is a change, his own and the uncommitted
    // one (no author) are not.
    let bob = &v["owners"][1];
    assert_eq!(bob["attention"], serde_json::json!([]), "{v:#}");
    assert_eq!(
        bob["changes"],
        serde_json::json!([{"ref": "g/x", "status": {"from": "no_data", "to": "healthy"},
            "checkins": [{"date": "2026-11-11", "by": "Carol", "note": null}]}]),
        "{v:#}"
    );
    // Zoe: bob's check-in counts, zoe's (her own, another case) does not.
    let zoe = &v["owners"][2];
    assert_eq!(zoe["attention"], serde_json::json!([]), "{v:#}");
    let changes = zoe["changes"].as_array().expect("changes");
    let k = changes
        .iter()
        .find(|c| c["ref"] == "g/a/k")
        .expect("g/a/k changed");
    assert_eq!(
        k["checkins"],
        serde_json::json!([{"date": "2026-11-10", "by": "bob", "note": null}]),
        "{v:#}"
    );
    assert_eq!(k["status"]["to"], "on_track", "{v:#}");
    let unowned = &v["owners"][3];
    assert_eq!(unowned["attention"], serde_json::json!([]));
    let n = unowned["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["ref"] == "g/c/n")
        .expect("g/c/n changed");
    assert_eq!(n["checkins"][0]["by"], "eve", "{v:#}");
}

#[test]
fn owner_filter_is_case_insensitive_and_names_the_unowned_group() {
    let dir = blamed_repo();
    let v = digest_json(dir.path(), &["--owner", "ZOE", "--owner", "unowned"]);
    let owners: Vec<&serde_json::Value> = v["owners"]
        .as_array()
        .expect("owners")
        .iter()
        .map(|o| &o["owner"])
        .collect();
    assert_eq!(
        owners,
        [&serde_json::json!("Zoe"), &serde_json::Value::Null],
        "{v:#}"
    );
}

#[test]
fn text_and_markdown_group_by_owner() {
    let dir = blamed_repo();
    let (code, text) = digest(dir.path(), &[]);
    assert_eq!(code, 0);
    let at = |s: &str| {
        text.find(s)
            .unwrap_or_else(|| panic!("no {s:?} in\n{text}"))
    };
    assert!(at("\namy\n") < at("\nBob\n") && at("\nBob\n") < at("\nZoe\n"));
    assert!(at("\nZoe\n") < at("\nunowned\n"), "{text}");
    at("g/b/m: off track, stale (check-in due 2026-10-08)");
    at("g/x: checked in 2026-11-11 by Carol");
    assert!(
        !text.contains("by zoe") && !text.contains("by Bob"),
        "{text}"
    );
    let (code, md) = digest(dir.path(), &["--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(md.starts_with("## Digest as of 2026-11-15"), "{md}");
    assert!(
        md.contains("### amy\n") && md.contains("### unowned\n"),
        "{md}"
    );
    assert!(md.len() <= 65_536);
}

#[test]
fn an_empty_digest_says_nothing_is_owed_and_exits_0() {
    let dir = repo(&[(
        "goals/g.yaml",
        "team: g\nperiod: 2026-Q4\nobjectives:\n  - id: a\n    title: A\n    owner: zoe\n    key_results:\n      - { id: k, title: K, start: 0, target: 100, checkins: [{ date: 2026-11-10, value: 90, by: zoe }] }\n",
    )]);
    for (format, says) in [
        ("text", "Nothing is owed"),
        ("markdown", "Nothing is owed"),
        ("slack", "Nothing is owed"),
    ] {
        let (code, out) = digest(dir.path(), &["--since", "2026-11-12", "--format", format]);
        assert_eq!(code, 0, "{format}: {out}");
        assert!(out.contains(says), "{format}: {out}");
    }
    let v = digest_json(dir.path(), &["--since", "2026-11-12"]);
    assert_eq!(v["owners"], serde_json::json!([]));
}

#[test]
fn since_after_as_of_is_a_usage_error() {
    let dir = blamed_repo();
    let o = run(
        dir.path(),
        &["--as-of", "2026-11-15", "digest", "--since", "2026-11-16"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Owner, note and title: everything Slack and GitHub would turn into a ping or a link.
const HOSTILE: &str = "<!channel> & <@U123> <https://x|y> <!here>\\nline @channel";

fn hostile_repo() -> tempfile::TempDir {
    repo(&[(
        "goals/h.yaml",
        &format!(
            "team: h\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: \"{HOSTILE}\"\n    owner: \"{HOSTILE}\"\n    key_results:\n      - {{ id: k, title: \"{HOSTILE}\", start: 0, target: 100, checkins: [{{ date: 2026-11-10, value: 1, by: \"{HOSTILE}x\", note: \"{HOSTILE}\" }}] }}\n"
        ),
    )])
}

#[test]
fn hostile_text_is_escaped_in_every_format() {
    let dir = hostile_repo();
    for format in ["text", "markdown", "slack"] {
        let (code, out) = digest(dir.path(), &["--format", format]);
        assert_eq!(code, 0, "{format}: {out}");
        assert!(out.contains("h/o/k"), "{format}: {out}");
        assert!(
            !out.contains("\nline"),
            "{format}: a line break kept in\n{out}"
        );
        if format == "text" {
            // A terminal: line breaks and controls shown escaped (`safe::human`).
            continue;
        }
        for bad in [
            "<!channel>",
            "<!here>",
            "<@U123>",
            "<https://x|y>",
            "\nline",
        ] {
            assert!(!out.contains(bad), "{format}: {bad:?} in\n{out}");
        }
        assert!(!out.contains("@channel"), "{format}: {out}");
    }
    // JSON carries the text as data, exactly.
    let v = digest_json(dir.path(), &[]);
    let owner = v["owners"][0]["owner"].as_str().expect("owner");
    assert_eq!(owner, HOSTILE.replace("\\n", "\n"));
    assert_eq!(
        v["owners"][0]["changes"][1]["checkins"][0]["note"],
        HOSTILE.replace("\\n", "\n")
    );
}

/// A local webhook: accepts one POST, checks the body against Block Kit's rules and answers
/// `ok` (200) or what is wrong (400).
fn webhook() -> (String, std::thread::JoinHandle<Result<(), String>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().map_err(|e| e.to_string())?;
        let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
        let mut length = 0;
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).map_err(|e| e.to_string())?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().map_err(|_| "content-length")?;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).map_err(|e| e.to_string())?;
        let verdict = block_kit(&body);
        let (status, text) = match &verdict {
            Ok(()) => ("200 OK", "ok".to_owned()),
            Err(e) => ("400 Bad Request", e.clone()),
        };
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
            text.len()
        )
        .map_err(|e| e.to_string())?;
        verdict
    });
    (url, handle)
}

/// Slack's rules for an incoming-webhook message: `text`, at most 50 blocks, each of a known
/// type with its required fields, every text at most 3,000 characters (a header's 150), and
/// no mention or link formed (`<!`, `<@`, `<http`).
fn block_kit(body: &[u8]) -> Result<(), String> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let text = v["text"].as_str().ok_or("no text")?;
    let mut texts = vec![text.to_owned()];
    let blocks = v["blocks"].as_array().ok_or("no blocks")?;
    if blocks.is_empty() || blocks.len() > 50 {
        return Err(format!("{} blocks", blocks.len()));
    }
    let text_object = |t: &serde_json::Value, kinds: &[&str], max: usize| {
        let kind = t["type"].as_str().ok_or("a text object without type")?;
        if !kinds.contains(&kind) {
            return Err(format!("text type {kind}"));
        }
        let s = t["text"].as_str().ok_or("a text object without text")?;
        if s.is_empty() || s.chars().count() > max {
            return Err(format!("text of {} characters", s.chars().count()));
        }
        Ok(s.to_owned())
    };
    for b in blocks {
        match b["type"].as_str() {
            Some("header") => texts.push(text_object(&b["text"], &["plain_text"], 150)?),
            Some("section") => {
                texts.push(text_object(&b["text"], &["plain_text", "mrkdwn"], 3000)?)
            }
            Some("divider") => {}
            Some("context") => {
                let elements = b["elements"].as_array().ok_or("context without elements")?;
                if elements.is_empty() || elements.len() > 10 {
                    return Err("context elements".into());
                }
                for e in elements {
                    texts.push(text_object(e, &["plain_text", "mrkdwn"], 3000)?);
                }
            }
            other => return Err(format!("block type {other:?}")),
        }
    }
    for t in &texts {
        for bad in ["<!", "<@", "<http"] {
            if t.contains(bad) {
                return Err(format!("{bad} in {t:?}"));
            }
        }
    }
    Ok(())
}

/// Posts `payload` with curl to a [`webhook`]: its reply and verdict. None (the test is
/// skipped, or fails under CI=true) without curl.
fn post(test: &str, dir: &Path, payload: &str) -> Option<(String, Result<(), String>)> {
    let Some(curl) = crate::tools::on_path("curl") else {
        crate::tools::missing(test, "curl");
        return None;
    };
    let file = dir.join("payload.json");
    std::fs::write(&file, payload).expect("write the payload");
    let (url, server) = webhook();
    let o = std::process::Command::new(curl)
        .args([
            "-sS",
            "--max-time",
            "20",
            "-H",
            "Content-Type: application/json",
        ])
        .arg("--data")
        .arg(format!("@{}", file.display()))
        .arg(&url)
        .output()
        .expect("curl runs");
    let reply = String::from_utf8_lossy(&o.stdout).into_owned();
    Some((reply, server.join().expect("the server thread")))
}

#[test]
fn slack_payload_posted_to_a_local_webhook_keeps_block_kit_rules_and_pings_no_one() {
    let dir = hostile_repo();
    let (code, payload) = digest(dir.path(), &["--format", "slack"]);
    assert_eq!(code, 0);
    let posted = tempfile::tempdir().expect("tempdir");
    let test = "slack_payload_posted_to_a_local_webhook_keeps_block_kit_rules_and_pings_no_one";
    if let Some((reply, verdict)) = post(test, posted.path(), &payload) {
        assert_eq!(verdict, Ok(()), "{payload}");
        assert_eq!(reply, "ok");
    }
    // The same rules, checked here too when there is no curl.
    assert_eq!(block_kit(payload.as_bytes()), Ok(()));
    let v: serde_json::Value = serde_json::from_str(&payload).expect("JSON");
    let blocks = v["blocks"].as_array().expect("blocks");
    let last = blocks.last().expect("a last block")["elements"][0]["text"]
        .as_str()
        .expect("text");
    assert_eq!(
        last, "0 attention entries and 0 changes left out",
        "{payload}"
    );
    let owner = blocks[1]["text"]["text"].as_str().expect("section");
    assert!(owner.contains("&lt;!channel&gt; &amp; &lt;@"), "{owner}");
}

#[test]
fn slack_payload_of_many_owners_stays_within_50_blocks_and_counts_what_was_left_out() {
    // 60 owners, each with one key result off track (0 of 100, checked in Nov 10 by someone
    // else, with a 5,000-character note and author cut to fit a section),
    // its objective and key result no data on Nov 8: a header, 48 owners, the count of
    // the other 12 (12 attention entries, 24 changes).
    let mut goals = String::from("team: t\nperiod: 2026-Q4\nobjectives:\n");
    for i in 0..60 {
        goals.push_str(&format!(
            "  - id: o{i:02}\n    title: O\n    owner: owner{i:02}\n    key_results:\n      - {{ id: k, title: K, start: 0, target: 100, checkins: [{{ date: 2026-11-10, value: 0, by: \"{}\", note: \"{}\" }}] }}\n",
            "<!channel> & ".repeat(400),
            "<@U123> & ".repeat(500),
        ));
    }
    let dir = repo(&[("goals/t.yaml", &goals)]);
    let (code, payload) = digest(dir.path(), &["--format", "slack"]);
    assert_eq!(code, 0);
    let posted = tempfile::tempdir().expect("tempdir");
    let test = "slack_payload_of_many_owners_stays_within_50_blocks_and_counts_what_was_left_out";
    if let Some((reply, verdict)) = post(test, posted.path(), &payload) {
        assert_eq!(verdict, Ok(()), "{payload}");
        assert_eq!(reply, "ok");
    }
    assert_eq!(block_kit(payload.as_bytes()), Ok(()));
    let v: serde_json::Value = serde_json::from_str(&payload).expect("JSON");
    let blocks = v["blocks"].as_array().expect("blocks");
    assert_eq!(blocks.len(), 50);
    assert!(payload.contains("*owner47*") && !payload.contains("*owner48*"));
    assert_eq!(
        blocks[49]["elements"][0]["text"],
        "12 attention entries and 24 changes left out"
    );
}

#[test]
fn the_readme_shows_a_real_digest_of_the_example() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let command = "$ goalpost -C examples/acme --as-of 2026-11-22 digest\n";
    let start = readme.find(command).expect("the README shows the digest") + command.len();
    let shown = &readme[start..start + readme[start..].find("```").expect("a fence")];
    let o = run(
        &root().join("examples/acme"),
        &["--as-of", "2026-11-22", "digest"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(shown, stdout(&o));
}
