//! Containment (SPEC 10): goalpost.toml, roots, goal files, the check-in log and `init`'s
//! files are resolved component by component; links out, links to hidden files and loops are
//! refused, for reading and for writing, in the work tree and in a revision.

use super::*;

#[cfg(unix)]
#[test]
fn a_goalpost_toml_linking_out_of_the_repository_is_never_read() {
    let outside = repo(&[("creds", "AWS_SECRET_ACCESS_KEY=hunter2-outside\n")]);
    let r = repo(&[("goals/a.yaml", &kpi_file("growth"))]);
    symlink(outside.path().join("creds"), r.path().join("goalpost.toml"));
    for args in [
        &["check"][..],
        &["check", "--format", "json"],
        &["check", "--format", "github"],
        &["status"],
    ] {
        let o = run(r.path(), args);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {all}");
        assert!(!all.contains("hunter2"), "{args:?} leaked the file: {all}");
        assert!(all.contains("symlink-escape"), "{args:?}: {all}");
        assert!(all.contains("goalpost.toml"), "{args:?}: {all}");
    }
    // The link also marks the project root when goalpost starts in a subdirectory.
    let o = run(&r.path().join("goals"), &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("hunter2"), "{}", stderr(&o));

    // The process's own environment, through procfs.
    let r = repo(&[("goals/a.yaml", &kpi_file("growth"))]);
    symlink("/proc/self/environ", r.path().join("goalpost.toml"));
    let o = run_guarded(
        r.path(),
        &["check"],
        &[("GOALPOST_TEST_SECRET", "s3cr3t-from-the-environment")],
        60,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("s3cr3t"), "{}", stderr(&o));

    // A link that stays inside the repository is followed.
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        (
            "config/goalpost.toml",
            "roots = [\"goals\"]\nstale_days = 7\n",
        ),
    ]);
    symlink("config/goalpost.toml", r.path().join("goalpost.toml"));
    let o = run(r.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn a_symlink_in_the_middle_of_a_path_is_refused_for_reading_and_writing() {
    let outside = repo(&[("sub/x.yaml", &kpi_file("secret"))]);
    std::fs::create_dir_all(outside.path().join("empty")).expect("mkdir");
    let r = repo(&[
        ("goalpost.toml", "roots = [\"goals\", \"link/sub\"]\n"),
        ("goals/a.yaml", &kpi_file("growth")),
    ]);
    symlink(outside.path(), r.path().join("link"));
    let (exit, v) = check_json(r.path(), &[]);
    assert_eq!(exit, 1, "{v:#}");
    assert_eq!(codes(&v), ["symlink-escape"], "{v:#}");
    assert_eq!(v["diagnostics"][0]["file"], "link");
    let o = run(r.path(), &["status", "--format", "json"]);
    assert!(!stdout(&o).contains("secret"), "{}", stdout(&o));

    // A check-in log below such a link: nothing is written outside.
    let r = repo(&[
        (
            "goalpost.toml",
            "roots = [\"goals\", \"link/empty\"]\ncheckin_log = \"link/empty/checkins.yaml\"\n",
        ),
        ("goals/a.yaml", &kpi_file("growth")),
    ]);
    symlink(outside.path(), r.path().join("link"));
    let o = run(
        r.path(),
        &["checkin", "growth/churn", "4", "--date", "2026-11-01"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("symlink-escape"), "{}", stderr(&o));
    assert!(
        !outside.path().join("empty/checkins.yaml").exists(),
        "checkin wrote outside the repository"
    );

    // Links the walk passes over quietly (their names are not goal-like) are refused when
    // the log's path goes through them: out of the repository, or into a hidden directory.
    for (link, target) in [
        ("goals/out.d", outside.path().join("empty")),
        ("goals/private.d", "../.private".into()),
    ] {
        let r = repo(&[
            (
                "goalpost.toml",
                &format!("checkin_log = \"{link}/checkins.yaml\"\n"),
            ),
            ("goals/a.yaml", &kpi_file("growth")),
        ]);
        std::fs::create_dir_all(r.path().join(".private")).expect("mkdir");
        symlink(&target, r.path().join(link));
        let o = run(
            r.path(),
            &["checkin", "growth/churn", "4", "--date", "2026-11-01"],
        );
        assert_eq!(o.status.code(), Some(1), "{link}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("error[symlink-escape]"),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains(link), "{}", stderr(&o));
        assert!(!r.path().join(".private/checkins.yaml").exists(), "{link}");
        assert!(
            !outside.path().join("empty/checkins.yaml").exists(),
            "{link}"
        );
    }

    // A link that stays inside is followed for writing: the file it names is replaced, the
    // link stays a link.
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        ("data/log.yaml", LOG),
    ]);
    symlink("../data/log.yaml", r.path().join("goals/checkins.yaml"));
    let o = run(
        r.path(),
        &["checkin", "growth/churn", "4", "--date", "2026-11-01"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let link = r.path().join("goals/checkins.yaml");
    assert!(std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()));
    assert_eq!(
        std::fs::read_to_string(r.path().join("data/log.yaml")).expect("the log"),
        format!("{LOG}  - {{ ref: growth/churn, date: 2026-11-01, value: 4 }}\n")
    );
}

#[cfg(unix)]
#[test]
fn directory_symlinks_are_followed_once_so_loops_cannot_blow_up_the_walk() {
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        ("goals/sub/b.yaml", &kpi_file("ops")),
    ]);
    symlink(".", r.path().join("goals/x"));
    symlink(".", r.path().join("goals/y"));
    symlink("..", r.path().join("goals/sub/up"));
    symlink("../../goals", r.path().join("goals/sub/again"));
    for args in [&["check"][..], &["status", "--format", "json"]] {
        let o = run_guarded(r.path(), args, &[], 60);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    // Each file read once: two files, not one per path through the links.
    let o = run_guarded(r.path(), &["check"], &[], 60);
    assert!(stderr(&o).contains("ok: 2 files"), "{}", stderr(&o));

    // A link to a directory outside every root is walked under the link's name.
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        ("shared/ops.yaml", &kpi_file("ops")),
    ]);
    symlink("../shared", r.path().join("goals/ops"));
    symlink("../shared", r.path().join("goals/ops-again"));
    let (exit, v) = check_json(r.path(), &[]);
    assert_eq!(exit, 0, "{v:#}");
    let o = run(r.path(), &["check"]);
    assert!(stderr(&o).contains("ok: 2 files"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_as_a_loop() {
    let r = repo(&[("goals/a.yaml", &kpi_file("growth"))]);
    symlink("c.yaml", r.path().join("goals/b.yaml"));
    symlink("b.yaml", r.path().join("goals/c.yaml"));
    symlink("self", r.path().join("goals/self"));
    let (exit, v) = check_json(r.path(), &[]);
    assert_eq!(exit, 1, "{v:#}");
    assert_eq!(codes(&v), ["symlink-escape"; 3], "{v:#}");
    for d in v["diagnostics"].as_array().expect("diagnostics") {
        let m = d["message"].as_str().unwrap_or("");
        assert!(m.contains("symlink loop"), "{m}");
        assert!(!m.contains("outside"), "{m}");
    }
}

#[cfg(unix)]
#[test]
fn links_to_hidden_files_are_never_read() {
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        (".env", "API_KEY=sk-live-hidden-1234\n"),
        (".secrets/x.yaml", &kpi_file("leaked")),
    ]);
    git_as(r.path(), "Test", &["init", "-q"]);
    git_as(
        r.path(),
        "Test",
        &[
            "config",
            "remote.origin.url",
            "https://token-in-git-config@example.com/x",
        ],
    );
    symlink("../.env", r.path().join("goals/env.yaml"));
    symlink("../.git/config", r.path().join("goals/config.yaml"));
    symlink("../.secrets", r.path().join("goals/secrets"));
    symlink("../.secrets/x.yaml", r.path().join("goals/x.yaml"));
    let o = run(r.path(), &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for secret in ["sk-live", "token-in-git-config", "repositoryformatversion"] {
        assert!(!err.contains(secret), "{secret} leaked: {err}");
    }
    let (_, v) = check_json(r.path(), &[]);
    assert_eq!(codes(&v), ["symlink-escape"; 4], "{v:#}");
    for d in v["diagnostics"].as_array().expect("diagnostics") {
        assert!(
            d["message"].as_str().unwrap_or("").contains("hidden"),
            "{d}"
        );
    }
    let o = run(r.path(), &["status", "--format", "json"]);
    assert!(!stdout(&o).contains("leaked"), "{}", stdout(&o));
    // A root may not name a hidden directory either.
    let r = repo(&[
        ("goalpost.toml", "roots = [\".secrets\"]\n"),
        (".secrets/x.yaml", &kpi_file("leaked")),
    ]);
    let (exit, v) = check_json(r.path(), &[]);
    assert_eq!(exit, 2, "{v:#}");
    assert_eq!(codes(&v), ["invalid-config"], "{v:#}");
}

#[cfg(unix)]
#[test]
fn a_revision_follows_links_inside_like_its_work_tree() {
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        ("shared/ops.yaml", &kpi_file("ops")),
        ("shared/dir/sales.yaml", &kpi_file("sales")),
    ]);
    symlink("../shared/ops.yaml", r.path().join("goals/ops.yaml"));
    symlink("../shared/dir", r.path().join("goals/dir"));
    symlink(".", r.path().join("goals/x"));
    symlink(".", r.path().join("goals/y"));
    commit_all(r.path());
    let work = run_guarded(r.path(), &["status", "--format", "json"], &[], 60);
    assert_eq!(work.status.code(), Some(0), "{}", stderr(&work));
    let at = run_guarded(
        r.path(),
        &["--at", "HEAD", "status", "--format", "json"],
        &[],
        60,
    );
    assert_eq!(at.status.code(), Some(0), "{}", stderr(&at));
    assert_eq!(stdout(&at), stdout(&work));
    let o = run_guarded(r.path(), &["--at", "HEAD", "check"], &[], 60);
    assert!(stderr(&o).contains("ok: 3 files"), "{}", stderr(&o));

    // Links out, to hidden files and in loops are refused in a revision as on disk.
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        (".env", "API_KEY=sk-live-hidden-1234\n"),
    ]);
    symlink("/etc/passwd", r.path().join("goals/passwd.yaml"));
    symlink("../../outside", r.path().join("goals/out"));
    symlink("../.env", r.path().join("goals/env.yaml"));
    symlink("c.yaml", r.path().join("goals/b.yaml"));
    symlink("b.yaml", r.path().join("goals/c.yaml"));
    commit_all(r.path());
    let (exit, work) = check_json(r.path(), &[]);
    assert_eq!(exit, 1, "{work:#}");
    let (exit, at) = check_json(r.path(), &["--at", "HEAD"]);
    assert_eq!(exit, 1, "{at:#}");
    assert_eq!(at["diagnostics"], work["diagnostics"]);
    assert_eq!(codes(&at), ["symlink-escape"; 5], "{at:#}");
    let o = run(r.path(), &["--at", "HEAD", "check"]);
    assert!(!stderr(&o).contains("sk-live"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("root:"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_link_out_of_its_directory() {
    for (link, is_dir) in [
        ("goals", true),
        (".github", true),
        (".github/workflows", true),
        (".gitattributes", false),
        ("goalpost.toml", false),
    ] {
        let outside = repo(&[("attributes", "* text=auto\n")]);
        let dir = repo(&[]);
        let target = if is_dir {
            outside.path().to_owned()
        } else {
            outside.path().join(if link == ".gitattributes" {
                "attributes"
            } else {
                "new.toml"
            })
        };
        symlink(&target, dir.path().join(link));
        let o = run(dir.path(), &["init"]);
        assert_eq!(o.status.code(), Some(1), "{link}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("symlink-escape"),
            "{link}: {}",
            stderr(&o)
        );
        let mut there: Vec<String> = std::fs::read_dir(outside.path())
            .expect("outside")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        there.sort();
        assert_eq!(there, ["attributes"], "{link}: init wrote outside");
        assert_eq!(
            std::fs::read_to_string(outside.path().join("attributes")).expect("read"),
            "* text=auto\n"
        );
        // Nothing was written inside either: the refusal comes first.
        assert!(!dir.path().join("goalpost.schema.json").exists(), "{link}");
    }
    // Links that stay inside are followed.
    let dir = repo(&[("real/.keep", "")]);
    symlink("real", dir.path().join("goals"));
    let o = run(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("real/example.yaml").is_file());
}

#[test]
fn submodules_are_skipped_in_the_work_tree_and_in_revisions() {
    // A repository of goals of its own, to be a submodule.
    let other = repo(&[("goals/x.yaml", &kpi_file("other"))]);
    commit_all(other.path());
    let r = repo(&[("goals/a.yaml", &kpi_file("growth"))]);
    commit_all(r.path());
    let d = r.path();
    let url = other.path().to_string_lossy().into_owned();
    git_as(
        d,
        "Test",
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            &url,
            "goals/vendor",
        ],
    );
    // And a repository made inside the work tree (git records it as a gitlink too).
    write(d, "goals/nested/n.yaml", kpi_file("nested").as_bytes());
    git_as(&d.join("goals/nested"), "Test", &["init", "-q"]);
    git_as(&d.join("goals/nested"), "Test", &["add", "-A"]);
    git_as(
        &d.join("goals/nested"),
        "Test",
        &["commit", "-q", "-m", "n"],
    );
    git_as(d, "Test", &["add", "goals/nested"]);
    git_as(d, "Test", &["commit", "-q", "-m", "submodules"]);
    assert!(d.join("goals/vendor/goals/x.yaml").is_file());
    assert!(d.join("goals/vendor/.git").is_file());
    assert_eq!(
        git_as(
            d,
            "Test",
            &["ls-tree", "HEAD", "goals/vendor", "goals/nested"]
        )
        .lines()
        .filter(|l| l.starts_with("160000 commit"))
        .count(),
        2
    );
    let work = run_guarded(d, &["status", "--format", "json"], &[], 60);
    assert_eq!(work.status.code(), Some(0), "{}", stderr(&work));
    let at = run_guarded(d, &["--at", "HEAD", "status", "--format", "json"], &[], 60);
    assert_eq!(at.status.code(), Some(0), "{}", stderr(&at));
    assert_eq!(stdout(&at), stdout(&work));
    assert!(!stdout(&work).contains("other") && !stdout(&work).contains("nested"));
    for args in [&["check"][..], &["--at", "HEAD", "check"]] {
        let o = run_guarded(d, args, &[], 60);
        assert!(
            stderr(&o).contains("ok: 1 file"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // A root inside a submodule is as missing as in the revision.
    write(d, "goalpost.toml", b"roots = [\"goals/vendor/goals\"]\n");
    git_as(d, "Test", &["add", "goalpost.toml"]);
    git_as(d, "Test", &["commit", "-q", "-m", "root in a submodule"]);
    let (_, work) = check_json(d, &[]);
    let (_, at) = check_json(d, &["--at", "HEAD"]);
    assert_eq!(codes(&work), ["no-goal-files"], "{work:#}");
    assert_eq!(codes(&at), ["no-goal-files"], "{at:#}");
}
