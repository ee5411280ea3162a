//! `goalpost rollover FROM TO` on temporary repositories: the dry run writes nothing, the
//! files written validate (and `check` passes after), names step aside from existing files
//! (and links), a collision refuses every team, and a rollover after which the repository
//! no longer validates is undone.

use crate::common::*;
use std::path::Path;

const GROWTH_Q3: &str = "\
# yaml-language-server: $schema=../../../schema/goalpost.schema.json
team: growth
period: 2026-Q3
objectives:
  - id: nurture
    title: Help trial users find what makes them stay
    owner: alice
    key_results:
      - id: adoption
        title: Adoption of two core features from 20% to 35%
        start: 20
        target: 35
        unit: \"%\"
      - id: emails
        title: Trial email click-through from 3% to 6%
        start: 3
        target: 6
        unit: \"%\"
        checkins:
          - { date: 2026-09-28, value: 4.2, confidence: 0.9 }
  - id: self-serve
    title: Let small teams buy without talking to sales
    owner: priya
    key_results:
      - id: checkout
        title: Checkout conversion from 2% to 4%
        start: 2
        target: 4
        checkins:
          - { date: 2026-09-28, value: 3.8 }
      - id: invoices
        title: Pay by invoice from the billing page
        kind: milestone
        checkins:
          - { date: 2026-09-21, done: true }
";

const GROWTH_Q4: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Make onboarding effortless
    key_results:
      - { id: completion, title: Completion from 60% to 80%, start: 60, target: 80 }
      - { id: tickets, title: Tickets from 250 to 150, start: 250, target: 150 }
";

const PLATFORM_Q3: &str = "\
team: platform
period: 2026-Q3
objectives:
  - id: observability
    title: Know about an incident before a customer does
    owner: sam
    commitment: committed
    key_results:
      - id: alerts
        title: Alerts with a runbook from 40% to 100%
        start: 40
        target: 100
        checkins:
          - { date: 2026-09-25, value: 90, confidence: 0.6 }
      - id: paging
        title: Median time to page from 12 to 3 minutes
        start: 12
        target: 3
        checkins:
          - { date: 2026-09-25, value: 3 }
";

const LOG: &str = "\
checkins:
  - { ref: growth/nurture/adoption, date: 2026-08-17, value: 26 }
  - { ref: growth/nurture/adoption, date: 2026-09-29, value: 29.5, confidence: 0.6 }
";

fn fixture() -> tempfile::TempDir {
    repo(&[
        ("goals/growth/2026-Q3.yaml", GROWTH_Q3),
        ("goals/growth/2026-Q4.yaml", GROWTH_Q4),
        ("goals/platform/q3-okrs.yaml", PLATFORM_Q3),
        ("goals/checkins.yaml", LOG),
    ])
}

/// Every file below `dir` with its contents, for "nothing was written".
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            let rel = p.strip_prefix(root).expect("inside").display().to_string();
            match std::fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => walk(root, &p, out),
                Ok(m) if m.file_type().is_symlink() => out.push((rel, Vec::new())),
                _ => out.push((rel, std::fs::read(&p).expect("read"))),
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

fn rollover(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["rollover", "2026-Q3", "2026-Q4"];
    args.extend_from_slice(extra);
    run(dir, &args)
}

const GROWTH_CARRIED: &str = "\
# yaml-language-server: $schema=../../../schema/goalpost.schema.json
# Carried over from 2026-Q3 by `goalpost rollover 2026-Q3 2026-Q4`:
# the objectives that ended below their pass mark, with the key results not yet done.
# Each metric key result starts where it ended in 2026-Q3, so a title that names the
# old start needs an edit; check-ins start afresh. Rewrite or drop what no longer fits.
team: growth
period: 2026-Q4
objectives:
  # scored 0.52 in 2026-Q3 (pass mark 0.7)
";

#[test]
fn dry_run_prints_the_files_and_writes_nothing() {
    let dir = fixture();
    let d = dir.path();
    let before = snapshot(d);
    let o = rollover(d, &["--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(snapshot(d), before);
    let printed = stdout(&o);
    // growth's FROM file is `2026-Q3.yaml`, and `2026-Q4.yaml` exists: `-carried`.
    // platform's is not named FROM.yaml: `TEAM-TO.yaml`.
    assert!(
        printed.starts_with("==> goals/growth/2026-Q4-carried.yaml <==\n# yaml-language-server"),
        "{printed}"
    );
    assert!(
        printed.contains("\n==> goals/platform/platform-2026-Q4.yaml <==\n# yaml-language-server: $schema=../../schema/goalpost.schema.json\n"),
        "{printed}"
    );
    // nurture scored (0.633 + 0.4) / 2 = 0.52: carried, each key result from where it
    // ended (adoption from the log's last value); self-serve scored 0.95: not carried.
    assert!(printed.contains(GROWTH_CARRIED), "{printed}");
    assert!(
        printed.contains("      - id: adoption\n        title: Adoption of two core features from 20% to 35%\n        start: 29.5\n        target: 35\n        unit: \"%\"\n      - id: emails\n"),
        "{printed}"
    );
    assert!(!printed.contains("self-serve"), "{printed}");
    // platform/observability is committed and scored 0.92: carried, alerts from 90;
    // paging is done and stays behind.
    assert!(
        printed.contains(
            "  - id: observability\n    title: Know about an incident before a customer does\n    owner: sam\n    commitment: committed\n    carried_from: 2026-Q3\n    # done in 2026-Q3, not carried: paging\n    key_results:\n      - id: alerts\n        title: Alerts with a runbook from 40% to 100%\n        start: 90\n        target: 100\n"
        ),
        "{printed}"
    );
    assert_eq!(stderr(&o), "dry run: 2 files not written\n");
}

#[test]
fn rollover_writes_files_that_check_accepts() {
    let dir = fixture();
    let d = dir.path();
    let o = rollover(d, &["--all"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "wrote goals/growth/2026-Q4-carried.yaml: 2 objectives carried from 2026-Q3 (`growth/nurture`, `growth/self-serve`)\n\
         wrote goals/platform/platform-2026-Q4.yaml: 1 objective carried from 2026-Q3 (`platform/observability`)\n"
    );
    let text =
        std::fs::read_to_string(d.join("goals/growth/2026-Q4-carried.yaml")).expect("written");
    assert!(
        text.starts_with(&GROWTH_CARRIED.replace(
            "the objectives that ended below their pass mark, with the key results not yet done",
            "every objective of the team, with every key result"
        )),
        "{text}"
    );
    // With --all the finished milestone is carried too (not done again in a new period).
    assert!(text.contains("      - id: invoices\n        title: Pay by invoice from the billing page\n        kind: milestone\n"), "{text}");
    let o = run(d, &["check", "--as-of", "2026-10-02"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(d, &["status", "--format", "json", "--as-of", "2026-10-02"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let carried: Vec<(&str, &str)> = v["objectives"]
        .as_array()
        .expect("objectives")
        .iter()
        .filter_map(|o| Some((o["ref"].as_str()?, o["carried_from"].as_str()?)))
        .collect();
    assert_eq!(
        carried,
        [
            ("growth/nurture", "2026-Q3"),
            ("growth/self-serve", "2026-Q3"),
            ("platform/observability", "2026-Q3")
        ]
    );
    // A second rollover carries nothing: every id is in TO now.
    let o = rollover(d, &["--all"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("nothing to carry from 2026-Q3 to 2026-Q4"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("note: not carried: `growth/nurture` exists in 2026-Q4 already"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_name_collision_refuses_every_team() {
    let dir = fixture();
    let d = dir.path();
    write(
        d,
        "goals/platform/platform-2026-Q4.yaml",
        b"team: platform\nkpis: []\n",
    );
    write(
        d,
        "goals/platform/platform-2026-Q4-carried.yaml",
        b"team: platform\nkpis: []\n",
    );
    let before = snapshot(d);
    let o = rollover(d, &["--all"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`goals/platform/platform-2026-Q4.yaml` and `goals/platform/platform-2026-Q4-carried.yaml` both exist already")
            && stderr(&o).contains("nothing was written for any team"),
        "{}",
        stderr(&o)
    );
    // growth's file would have been fine: it is not written either.
    assert_eq!(snapshot(d), before);
    // --team leaves platform out, and growth's rollover goes ahead.
    let o = rollover(d, &["--all", "--team", "growth"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.join("goals/growth/2026-Q4-carried.yaml").is_file());
    let o = rollover(d, &["--team", "sales"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("team `sales` has no objectives in `2026-Q3`"),
        "{}",
        stderr(&o)
    );
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_repository_is_never_written_through() {
    // A link where the new file would go: the repository does not validate with it (it is
    // a goal file that leaves the repository), so nothing is carried, and nothing is
    // written where it points.
    let dir = fixture();
    let d = dir.path();
    let outside = tempfile::tempdir().expect("outside");
    let target = outside.path().join("stolen.yaml");
    std::os::unix::fs::symlink(&target, d.join("goals/growth/2026-Q4-carried.yaml"))
        .expect("symlink");
    let o = rollover(d, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error[symlink-escape]"),
        "{}",
        stderr(&o)
    );
    assert!(!target.exists(), "nothing written outside the repository");
    // A link to a directory inside the repository takes the name too.
    std::fs::remove_file(d.join("goals/growth/2026-Q4-carried.yaml")).expect("rm");
    std::fs::create_dir(d.join("archive")).expect("mkdir");
    std::os::unix::fs::symlink("../../archive", d.join("goals/growth/2026-Q4-carried.yaml"))
        .expect("symlink");
    let o = rollover(d, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("both exist already"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_dir(d.join("archive")).expect("dir").count(),
        0
    );
}

#[test]
fn a_rollover_that_breaks_validation_is_undone() {
    // 2026-H2 overlaps 2026-Q3: the log's check-ins of growth/nurture/adoption, dated in
    // Q3, would name objectives in two periods.
    let dir = fixture();
    let d = dir.path();
    let before = snapshot(d);
    let o = run(d, &["rollover", "2026-Q3", "2026-H2", "--all"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error[unknown-ref]")
            && err.contains("matches objectives in several periods: 2026-Q3, 2026-H2"),
        "{err}"
    );
    assert!(
        err.contains("the new files were removed, nothing was written"),
        "{err}"
    );
    assert_eq!(snapshot(d), before);
}

#[test]
fn usage_errors_write_nothing() {
    let dir = fixture();
    let d = dir.path();
    let before = snapshot(d);
    for (args, says) in [
        (
            &["rollover", "2026-Q2", "2026-Q4"][..],
            "no objectives in period `2026-Q2`",
        ),
        (
            &["rollover", "2026-Q3", "2026-Q5"][..],
            "TO `2026-Q5` is not a period",
        ),
        (
            &["rollover", "2026-Q3", "2026-Q3"][..],
            "FROM and TO are the same period",
        ),
        (
            &["--at", "HEAD", "rollover", "2026-Q3", "2026-Q4"][..],
            "cannot write to a revision",
        ),
    ] {
        let o = run(d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(snapshot(d), before);
}

#[test]
fn rollover_then_check_passes_on_the_example() {
    for extra in [&[][..], &["--all"][..]] {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        copy_dir(&root().join("examples/acme"), d);
        let mut args = vec!["rollover", "2026-Q3", "2026-Q4"];
        args.extend_from_slice(extra);
        let o = run(d, &args);
        assert_eq!(o.status.code(), Some(0), "{extra:?}: {}", stderr(&o));
        assert!(stdout(&o).starts_with("wrote goals/"), "{}", stdout(&o));
        let o = run(d, &["check"]);
        assert_eq!(o.status.code(), Some(0), "{extra:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("error"), "{extra:?}: {}", stderr(&o));
    }
}

#[test]
fn errors_after_writing_are_those_check_finds_with_the_new_files() {
    // The log sorts after both new files, so the validation after writing finds it two
    // files further on than the load before writing did, whose parse of it is taken again.
    let dir = repo(&[
        ("goals/growth/2026-Q3.yaml", GROWTH_Q3),
        ("goals/growth/2026-Q4.yaml", GROWTH_Q4),
        ("goals/platform/q3-okrs.yaml", PLATFORM_Q3),
        ("goals/zz/checkins.yaml", LOG),
    ]);
    let d = dir.path();
    let before = snapshot(d);
    let args = ["rollover", "2026-Q3", "2026-H2", "--all"];
    let o = run(d, &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            " --> goals/zz/checkins.yaml:2:12\n  |\n2 |   - { ref: growth/nurture/adoption, date: 2026-08-17, value: 26 }\n"
        ),
        "{err}"
    );
    assert_eq!(snapshot(d), before);
    // The same files written by hand (from the dry run): `check` reports the same errors.
    let dry = run(d, &[&args[..], &["--dry-run"]].concat());
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
    let out = stdout(&dry);
    let files: Vec<&str> = out.split("==> ").filter(|f| !f.is_empty()).collect();
    assert_eq!(files.len(), 2, "{out}");
    for f in files {
        let (path, text) = f.split_once(" <==\n").expect("a header");
        let text = format!("{}\n", text.trim_end_matches('\n'));
        write(d, path, text.as_bytes());
    }
    let check = run(d, &["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let found = |s: &str| s.rsplit_once("\nerror: ").expect("a summary").0.to_owned();
    assert_eq!(found(&err), found(&stderr(&check)));
}
