//! `goalpost revise` and `goalpost drop`: one insertion into the item's goal file with every
//! other byte kept, every refusal with its exit code and the file untouched, `--commit`,
//! concurrent writers, links, and hostile reasons read back exactly by `status`.

use crate::common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const GOALS: &str = "\
# Growth goals, kept by hand.
team: growth
period: 2026-Q4
objectives:
  - id: onboarding   # the big one
    title: Onboarding
    key_results:
      - id: tickets
        title: Fewer support tickets
        start: 250
        target: 150
        checkins:
          - { date: 2026-10-05, value: 240 }

      # a milestone next
      - id: guide
        title: Guide live
        kind: milestone
      - {id: completion, title: Completion, start: 60, target: 80, unit: \"%\"}
  - id: pricing
    title: Pricing
    key_results:
    - id: trials
      title: Trials
      start: 10
      target: 20
kpis:
  - id: churn
    title: Churn
    better: lower
    target: 5
";

const FILE: &str = "goals/growth/2026-Q4.yaml";

fn fixture(text: &str) -> tempfile::TempDir {
    repo(&[(FILE, text)])
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).expect("the file is readable")
}

/// Asserts that `new` is `old` with `insertion` inserted at one place.
fn assert_inserted(old: &str, new: &str, insertion: &str) {
    let once = new.match_indices(insertion).any(|(at, _)| {
        new[..at].len() + new[at + insertion.len()..].len() == old.len()
            && old.starts_with(&new[..at])
            && old.ends_with(&new[at + insertion.len()..])
    });
    assert!(once, "not {old:?} with {insertion:?} inserted:\n{new}");
}

/// Asserts that `new` is `old` with one run of bytes inserted.
fn assert_one_insertion(old: &str, new: &str) {
    let prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    assert!(
        new.len() > old.len() && prefix + suffix >= old.len(),
        "not one insertion:\n{old}\n---\n{new}"
    );
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.arg("-C").arg(dir).args(args);
    c.env("NO_COLOR", "1")
        .env("GOALPOST_TODAY", TODAY)
        .env("HOME", dir.join(".home"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("EMAIL");
    for v in [
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
    ] {
        c.env_remove(v);
    }
    c
}

fn goalpost(dir: &Path, args: &[&str]) -> Output {
    command(dir, args)
        .output()
        .expect("the goalpost binary runs")
}

fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("HOME", dir.join(".home"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    stdout(&o)
}

/// The `status --format json` objective `reference` (as of the test's today).
fn objective_json(dir: &Path, reference: &str) -> serde_json::Value {
    let o = goalpost(dir, &["status", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "status: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    v["objectives"]
        .as_array()
        .expect("objectives")
        .iter()
        .find(|x| x["ref"] == reference)
        .unwrap_or_else(|| panic!("no {reference} in {v}"))
        .clone()
}

fn kr_json(dir: &Path, objective: &str, kr: &str) -> serde_json::Value {
    let o = objective_json(dir, objective);
    let want = format!("{objective}/{kr}");
    o["key_results"]
        .as_array()
        .expect("key results")
        .iter()
        .find(|k| k["ref"] == want.as_str())
        .unwrap_or_else(|| panic!("no {want} in {o}"))
        .clone()
}

#[test]
fn revise_inserts_one_line_and_keeps_every_byte() {
    let dir = fixture(GOALS);
    let d = dir.path();
    let o = goalpost(
        d,
        &[
            "revise",
            "growth/onboarding/tickets",
            "--target",
            "120",
            "--reason",
            "support team halved",
            "--date",
            "2026-11-02",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "goals/growth/2026-Q4.yaml:14: revised growth/onboarding/tickets from 2026-11-02: target 120 (support team halved)\n"
    );
    let after = read(d, FILE);
    assert_inserted(
        GOALS,
        &after,
        "        revisions: [{ date: 2026-11-02, target: 120, reason: \"support team halved\" }]\n",
    );
    assert_eq!(
        after.lines().nth(13),
        Some(
            "        revisions: [{ date: 2026-11-02, target: 120, reason: \"support team halved\" }]"
        )
    );

    // A second one goes into that list; a flow key result gets a flow entry.
    let o = goalpost(
        d,
        &[
            "revise",
            "growth/onboarding/tickets",
            "--start",
            "-3.5",
            "--target",
            "100",
            "--reason",
            "again",
            "--date",
            "2026-11-09",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_inserted(
        &after,
        &read(d, FILE),
        ", { date: 2026-11-09, target: 100, start: -3.5, reason: \"again\" }",
    );
    let before = read(d, FILE);
    let o = goalpost(
        d,
        &[
            "revise",
            "growth/onboarding/completion",
            "--start",
            "55",
            "--reason",
            "baseline re-measured",
            "--date",
            "2026-10-20",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_inserted(
        &before,
        &read(d, FILE),
        ", revisions: [{ date: 2026-10-20, start: 55, reason: \"baseline re-measured\" }]",
    );
    let o = goalpost(d, &["check"]);
    assert_eq!(o.status.code(), Some(0), "check: {}", stderr(&o));

    // `status` reads them back.
    let kr = kr_json(d, "growth/onboarding", "tickets");
    let revisions = kr["revisions"].as_array().expect("revisions");
    assert_eq!(revisions.len(), 2, "{kr}");
    assert_eq!(revisions[0]["date"], "2026-11-02");
    assert_eq!(revisions[0]["target"], 120.0);
    assert_eq!(revisions[0]["reason"], "support team halved");
    assert_eq!(revisions[1]["start"], -3.5);
    assert_eq!(kr["target"], 100.0, "the figures in force on {TODAY}: {kr}");
}

#[test]
fn drop_records_an_objective_or_a_key_result() {
    let dir = fixture(GOALS);
    let d = dir.path();
    let o = goalpost(
        d,
        &[
            "drop",
            "growth/pricing/trials",
            "--reason",
            "pricing moved to Q1",
            "--date",
            "2026-11-10",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "goals/growth/2026-Q4.yaml:27: dropped growth/pricing/trials from 2026-11-10 (pricing moved to Q1)\n"
    );
    let after = read(d, FILE);
    assert_inserted(
        GOALS,
        &after,
        "      dropped: { date: 2026-11-10, reason: \"pricing moved to Q1\" }\n",
    );
    let o = goalpost(
        d,
        &[
            "drop",
            "growth/onboarding",
            "--reason",
            "merged into activation",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_inserted(
        &after,
        &read(d, FILE),
        &format!("    dropped: {{ date: {TODAY}, reason: \"merged into activation\" }}\n"),
    );
    let o = goalpost(d, &["check"]);
    assert_eq!(o.status.code(), Some(0), "check: {}", stderr(&o));

    let onboarding = objective_json(d, "growth/onboarding");
    assert_eq!(onboarding["status"], "dropped", "{onboarding}");
    assert_eq!(onboarding["dropped"]["date"], TODAY);
    assert_eq!(onboarding["dropped"]["reason"], "merged into activation");
    let trials = kr_json(d, "growth/pricing", "trials");
    assert_eq!(trials["status"], "dropped", "{trials}");
    assert_eq!(trials["dropped"]["reason"], "pricing moved to Q1");

    // Already dropped: said when and why, nothing written.
    let before = read(d, FILE);
    let o = goalpost(d, &["drop", "growth/pricing/trials", "--reason", "again"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2026-11-10") && stderr(&o).contains("pricing moved to Q1"),
        "{}",
        stderr(&o)
    );
    let o = goalpost(
        d,
        &[
            "revise",
            "growth/onboarding/tickets",
            "--target",
            "1",
            "--reason",
            "r",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("merged into activation"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(d, FILE), before);
}

#[test]
fn crlf_and_a_missing_final_newline_are_kept() {
    // No KPIs: the key result revised is the file's last item, on its last line.
    let goals = &GOALS[..GOALS.find("kpis:").expect("kpis")];
    let text = goals.replace('\n', "\r\n");
    let text = text.trim_end();
    let dir = fixture(text);
    let d = dir.path();
    let o = goalpost(
        d,
        &[
            "drop",
            "growth/onboarding/completion",
            "--reason",
            "r",
            "--date",
            "2026-11-01",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = goalpost(
        d,
        &[
            "revise",
            "growth/pricing/trials",
            "--target",
            "30",
            "--reason",
            "r",
            "--date",
            "2026-11-01",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let after = read(d, FILE);
    assert!(after.ends_with("reason: \"r\" }]"), "{after:?}");
    assert_eq!(after.matches('\n').count(), after.matches("\r\n").count());
    assert_eq!(
        after.replace("\r\n", "\n"),
        goals.trim_end().replace(
            "unit: \"%\"}",
            "unit: \"%\", dropped: { date: 2026-11-01, reason: \"r\" }}"
        ) + "\n      revisions: [{ date: 2026-11-01, target: 30, reason: \"r\" }]"
    );
}

#[test]
fn every_refusal_has_its_exit_code_and_writes_nothing() {
    let dir = fixture(GOALS);
    let d = dir.path();
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &[
                "revise",
                "growth/onboarding/nope",
                "--target",
                "1",
                "--reason",
                "r",
            ],
            2,
            "names no objective, key result or KPI",
        ),
        (
            &[
                "revise",
                "growth/onboarding/guide",
                "--target",
                "1",
                "--reason",
                "r",
            ],
            2,
            "is a milestone",
        ),
        (
            &[
                "revise",
                "growth/onboarding",
                "--target",
                "1",
                "--reason",
                "r",
            ],
            2,
            "is an objective",
        ),
        (
            &["revise", "growth/churn", "--target", "1", "--reason", "r"],
            2,
            "is a KPI",
        ),
        (&["drop", "growth/churn", "--reason", "r"], 2, "is a KPI"),
        (
            &["drop", "goals/growth/2026-Q4.yaml", "--reason", "r"],
            2,
            "is a goal file, not a ref",
        ),
        (
            &["revise", "growth/onboarding/tickets", "--reason", "r"],
            2,
            "--target <N>|--start <N>",
        ),
        (
            &[
                "revise",
                "growth/onboarding/tickets",
                "--target",
                "1",
                "--reason",
                " ",
            ],
            2,
            "--reason is empty",
        ),
        (
            &["drop", "growth/onboarding", "--reason", ""],
            2,
            "--reason is empty",
        ),
        (&["drop", "growth/onboarding"], 2, "--reason <TEXT>"),
        (
            &[
                "revise",
                "growth/onboarding/tickets",
                "--target",
                "1",
                "--reason",
                "r",
                "--date",
                "2026-02-30",
            ],
            2,
            "is not a date",
        ),
        (
            &[
                "drop",
                "growth/onboarding",
                "--reason",
                "r",
                "--date",
                "2027-01-04",
            ],
            2,
            "outside the period",
        ),
        (
            &[
                "revise",
                "growth/onboarding/tickets",
                "--target",
                "60%",
                "--reason",
                "r",
            ],
            2,
            "is not a number",
        ),
        (
            &[
                "revise",
                "growth/onboarding/tickets",
                "--target",
                "inf",
                "--reason",
                "r",
            ],
            2,
            "not a finite number",
        ),
        (
            &["--at", "HEAD", "drop", "growth/onboarding", "--reason", "r"],
            2,
            "cannot write to a revision",
        ),
        // The repository as it would be is invalid: its errors, exit 1.
        (
            &[
                "revise",
                "growth/onboarding/tickets",
                "--target",
                "250",
                "--reason",
                "r",
            ],
            1,
            "refused (1 error); goals/growth/2026-Q4.yaml was not changed",
        ),
        (
            &[
                "revise",
                "growth/onboarding/tickets",
                "--target",
                "1",
                "--reason",
                "r",
                "--date",
                "2026-10-01",
            ],
            0,
            "",
        ),
        (
            &[
                "revise",
                "growth/onboarding/tickets",
                "--target",
                "2",
                "--reason",
                "r",
                "--date",
                "2026-10-01",
            ],
            1,
            "was not changed",
        ),
    ];
    for (args, code, says) in cases {
        let before = read(d, FILE);
        let o = goalpost(d, args);
        assert_eq!(o.status.code(), Some(*code), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        if *code != 0 {
            assert_eq!(read(d, FILE), before, "{args:?} wrote");
            assert_eq!(stdout(&o), "", "{args:?}");
        }
    }

    // Goals that are invalid already are not written to.
    let broken = GOALS.replace("target: 20", "target: 10");
    let dir = fixture(&broken);
    let o = goalpost(dir.path(), &["drop", "growth/onboarding", "--reason", "r"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("invalid already"), "{}", stderr(&o));
    assert_eq!(read(dir.path(), FILE), broken);
}

#[test]
fn commit_records_only_the_goal_file_with_the_users_identity() {
    let dir = fixture(GOALS);
    let d = dir.path();
    let setup = [
        "-c",
        "user.name=Setup",
        "-c",
        "user.email=setup@example.com",
    ];
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "goals"]);
    git(
        d,
        &[&setup[..], &["commit", "-q", "-m", "goals"][..]].concat(),
    );
    write(d, "NOTES.md", b"staged, not for this commit\n");
    git(d, &["add", "NOTES.md"]);

    // No identity: nothing written.
    let o = goalpost(
        d,
        &["drop", "growth/onboarding", "--reason", "r", "--commit"],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("user.name"), "{}", stderr(&o));
    assert_eq!(read(d, FILE), GOALS);

    git(d, &["config", "user.name", "Ada Lovelace"]);
    git(d, &["config", "user.email", "ada@example.com"]);
    let o = goalpost(
        d,
        &[
            "revise",
            "growth/onboarding/tickets",
            "--target",
            "120",
            "--reason",
            "support team halved",
            "--date",
            "2026-11-02",
            "--commit",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let head = git(d, &["rev-parse", "--short=7", "HEAD"]);
    assert!(
        stdout(&o).ends_with(&format!("(support team halved)\ncommitted {head}")),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        git(d, &["log", "-1", "--format=%s|%b|%an <%ae>"]),
        "revise: revised growth/onboarding/tickets from 2026-11-02: target 120|support team halved\n|Ada Lovelace <ada@example.com>\n"
    );
    assert_eq!(
        git(d, &["show", "--name-only", "--format=", "HEAD"]),
        format!("{FILE}\n")
    );
    assert_eq!(git(d, &["status", "--porcelain"]), "A  NOTES.md\n");
    assert_eq!(git(d, &["show", &format!("HEAD:{FILE}")]), read(d, FILE));
}

#[test]
fn concurrent_revisions_all_land() {
    let dir = fixture(GOALS);
    let d = dir.path();
    let children: Vec<_> = (0..20)
        .map(|i| {
            let target = format!("{}", 100 + i);
            let reason = format!("reason {i}");
            let date = format!("2026-10-{:02}", 6 + i);
            command(
                d,
                &[
                    "revise",
                    "growth/onboarding/tickets",
                    "--target",
                    &target,
                    "--reason",
                    &reason,
                    "--date",
                    &date,
                ],
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn goalpost")
        })
        .collect();
    for child in children {
        let o = child.wait_with_output().expect("wait");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let after = read(d, FILE);
    for i in 0..20 {
        let entry = format!(
            "{{ date: 2026-10-{:02}, target: {}, reason: \"reason {i}\" }}",
            6 + i,
            100 + i
        );
        assert_eq!(after.matches(&entry).count(), 1, "{entry}\n{after}");
    }
    let o = goalpost(d, &["check"]);
    assert_eq!(o.status.code(), Some(0), "check: {}", stderr(&o));
}

#[test]
fn links_out_of_the_repository_are_refused_and_links_inside_followed() {
    let outside = tempfile::tempdir().expect("a temp dir");
    write(outside.path(), "g.yaml", GOALS.as_bytes());
    let dir = repo(&[("goalpost.toml", "")]);
    let d = dir.path();
    std::fs::create_dir_all(d.join("goals")).expect("mkdir");
    std::os::unix::fs::symlink(outside.path().join("g.yaml"), d.join("goals/g.yaml"))
        .expect("symlink");
    let o = goalpost(d, &["drop", "growth/onboarding", "--reason", "r"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("symlink-escape"), "{}", stderr(&o));
    assert_eq!(read(outside.path(), "g.yaml"), GOALS);

    // A link to a file elsewhere in the repository is written through, and stays a link.
    let dir = repo(&[("shared/g.yaml", GOALS)]);
    let d = dir.path();
    std::fs::create_dir_all(d.join("goals")).expect("mkdir");
    std::os::unix::fs::symlink("../shared/g.yaml", d.join("goals/g.yaml")).expect("symlink");
    let o = goalpost(d, &["drop", "growth/onboarding", "--reason", "r"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("goals/g.yaml:"), "{}", stdout(&o));
    assert!(
        std::fs::symlink_metadata(d.join("goals/g.yaml"))
            .expect("the link")
            .file_type()
            .is_symlink()
    );
    assert_one_insertion(GOALS, &read(d, "shared/g.yaml"));
}

#[test]
fn hostile_reasons_are_read_back_exactly_and_printed_escaped() {
    let dir = fixture(GOALS);
    let d = dir.path();
    let reasons = [
        "two\nlines",
        "\"quoted\" and \\backslash\\",
        "# not a comment: really",
        "\u{1b}[31mred\u{7}\r",
        "tab\there \u{2028} \u{85} \u{feff}",
        "::error::forged",
    ];
    for (i, reason) in reasons.iter().enumerate() {
        let date = format!("2026-10-{:02}", 10 + i);
        let target = format!("{}", 140 - i);
        let o = goalpost(
            d,
            &[
                "revise",
                "growth/onboarding/tickets",
                "--target",
                &target,
                "--reason",
                reason,
                "--date",
                &date,
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{reason:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert_eq!(out.lines().count(), 1, "{out:?}");
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    }
    let kr = kr_json(d, "growth/onboarding", "tickets");
    let read_back: Vec<&str> = kr["revisions"]
        .as_array()
        .expect("revisions")
        .iter()
        .map(|r| r["reason"].as_str().expect("a reason"))
        .collect();
    assert_eq!(read_back, reasons);
}
