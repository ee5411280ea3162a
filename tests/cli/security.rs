//! The claims of SECURITY.md, one test each: goalpost validating an untrusted pull request
//! runs nothing, reaches no network, reads and writes nothing outside the repository (nor a
//! hidden file in it), stays bounded, cannot be made to forge a CI log line, and `checkin`
//! loses no write. Each test reproduces an attack of issue 11. Resource bounds on hostile YAML
//! are proven in `corpus.rs`.

use crate::common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Every `.rs` file below `dir`.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_program_has_no_code_that_spawns_processes_or_opens_sockets() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    assert!(files.len() > 20, "found {} source files", files.len());
    let forbidden = [
        "process::Command",
        "Command::new(",
        "std::net",
        "TcpStream",
        "UdpSocket",
        "libc::exec",
        "libc::fork",
    ];
    for f in files {
        let text = std::fs::read_to_string(&f).expect("source is UTF-8");
        for word in forbidden {
            assert!(
                !text.contains(word),
                "{} uses `{word}`: goalpost must not run commands or open connections",
                f.display()
            );
        }
    }
}

#[test]
fn no_dependency_can_speak_a_network_protocol() {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert!(names.contains(&"git2"), "the lock file lists packages");
    for net in [
        "openssl-sys",
        "libssh2-sys",
        "curl",
        "curl-sys",
        "reqwest",
        "hyper",
        "ureq",
        "native-tls",
        "rustls",
        "tokio",
    ] {
        assert!(!names.contains(&net), "`{net}` is in Cargo.lock");
    }
    // git2 is built without its https and ssh transports.
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let git2 = manifest
        .lines()
        .find(|l| l.starts_with("git2 "))
        .expect("git2 dependency");
    assert!(git2.contains("default-features = false"), "{git2}");
    assert!(!git2.contains("https") && !git2.contains("ssh"), "{git2}");
}

#[test]
fn roots_and_the_checkin_log_must_stay_inside_the_repository() {
    for config in [
        "roots = [\"../elsewhere\"]\n",
        "roots = [\"/etc\"]\n",
        "roots = [\"goals/../../x\"]\n",
        "checkin_log = \"../log.yaml\"\n",
        "checkin_log = \"/tmp/log.yaml\"\n",
    ] {
        let r = repo(&[("goalpost.toml", config)]);
        let (exit, v) = check_json(r.path(), &[]);
        assert_eq!(exit, 2, "{config}: {v:#}");
        assert_eq!(codes(&v), ["invalid-config"], "{config}");
        assert_eq!(v["diagnostics"][0]["file"], "goalpost.toml");
    }
}

#[cfg(unix)]
#[test]
fn a_root_that_is_a_symlink_out_of_the_repository_is_not_read() {
    let outside = repo(&[(
        "x.yaml",
        "team: secret\nkpis:\n  - id: k\n    title: K\n    better: lower\n    target: 5\n",
    )]);
    let r = repo(&[("README", "")]);
    std::os::unix::fs::symlink(outside.path(), r.path().join("goals")).expect("symlink");
    let (exit, v) = check_json(r.path(), &[]);
    assert_eq!(exit, 1, "{v:#}");
    assert_eq!(codes(&v), ["symlink-escape"]);
    let o = run(r.path(), &["status", "--format", "json"]);
    assert!(!stdout(&o).contains("secret"), "{}", stdout(&o));
}

#[test]
fn tags_and_paths_in_goal_files_are_only_text() {
    let r = repo(&[(
        "goals/x.yaml",
        "team: growth\nkpis:\n  - id: a\n    title: !include /etc/hostname\n    better: lower\n    target: 5\n    owner: !!python/object/apply:os.system \"touch pwned\"\n",
    )]);
    let o = run(r.path(), &["status", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The tag is dropped and the scalar kept: nothing is included, loaded or run.
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["kpis"][0]["title"], "/etc/hostname");
    assert_eq!(v["kpis"][0]["owner"], "touch pwned");
    assert!(!r.path().join("pwned").exists());
}

#[test]
fn every_test_named_in_security_md_exists() {
    let doc = std::fs::read_to_string(root().join("SECURITY.md")).expect("SECURITY.md");
    let mut sources = String::new();
    for dir in ["src", "tests"] {
        let mut files = Vec::new();
        rust_files(&root().join(dir), &mut files);
        for f in files {
            sources.push_str(&std::fs::read_to_string(f).expect("UTF-8 source"));
        }
    }
    let mut named = 0;
    // Backticked `module::test_name` (or `module::*`) in the table's last column.
    for cell in doc.split('`').skip(1).step_by(2) {
        let Some((module, name)) = cell.rsplit_once("::") else {
            continue;
        };
        // `::error::` and the like are workflow commands, not tests.
        if module.is_empty() || name.is_empty() || module.starts_with(':') {
            continue;
        }
        if !module
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c == ':')
        {
            continue;
        }
        if name == "*" {
            assert!(
                sources.contains(&format!(
                    "mod {}",
                    module.rsplit("::").next().unwrap_or(module)
                )),
                "{cell}"
            );
        } else {
            assert!(
                sources.contains(&format!("fn {name}()")),
                "SECURITY.md names `{cell}`, which is not a test"
            );
        }
        named += 1;
    }
    assert!(named >= 20, "only {named} tests named");
}

// ---------------------------------------------------------------------------------------
// Containment (SPEC 10): goalpost.toml, roots, goal files and the check-in log are resolved
// component by component; links out, links to hidden files and loops are refused.

/// A valid goal file with one KPI of team `team`.
fn kpi_file(team: &str) -> String {
    format!(
        "team: {team}\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n"
    )
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    let link = link.as_ref();
    std::fs::create_dir_all(link.parent().expect("a parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// Runs goalpost with extra environment variables; kills it and fails after `secs`
/// seconds (a guard against hangs, far above what the command needs).
fn run_guarded(dir: &Path, args: &[&str], env: &[(&str, &str)], secs: u64) -> Output {
    let mut c = Command::new(bin());
    c.arg("-C")
        .arg(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().expect("the goalpost binary runs");
    // Drain the pipes on threads so that a large output cannot block the child.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let o = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut b);
        b
    });
    let e = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut b);
        b
    });
    let deadline = Instant::now() + Duration::from_secs(secs);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("goalpost {args:?} did not finish within {secs} s (a hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: o.join().expect("stdout thread"),
        stderr: e.join().expect("stderr thread"),
    }
}

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

#[test]
fn repeated_roots_are_walked_once() {
    let mut roots = vec!["\"goals\""; 60_000];
    roots.extend(["\"./goals\"", "\"goals/\"", "\"goals/./\"", "\"goals/sub\""]);
    let config = format!("roots = [{}]\n", roots.join(", "));
    let r = repo(&[
        ("goalpost.toml", &config),
        ("goals/a.yaml", &kpi_file("growth")),
        ("goals/sub/b.yaml", &kpi_file("ops")),
    ]);
    let o = run_guarded(r.path(), &["check"], &[], 120);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("ok: 2 files"), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------------
// Revisions follow the same rules as the work tree; blobs from git are bounded.

/// A git repository on `main` holding everything in `dir`, committed.
fn commit_all(dir: &Path) {
    git_as(dir, "Test", &["init", "-q", "-b", "main"]);
    git_as(dir, "Test", &["add", "-A"]);
    git_as(dir, "Test", &["commit", "-q", "-m", "goals"]);
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

/// A zlib stream of `data` in stored (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = chunk.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend(*chunk);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend(((b << 16) | a).to_be_bytes());
    out
}

/// Writes a loose object whose header claims `declared` bytes but which holds only
/// `content`: reading its header is fine, reading it whole fails. Returns its id.
fn lying_object(repo: &Path, kind: &str, declared: u64, content: &[u8], id: &str) -> String {
    let mut raw = format!("{kind} {declared}\0").into_bytes();
    raw.extend_from_slice(content);
    write(
        repo,
        &format!(".git/objects/{}/{}", &id[..2], &id[2..]),
        &zlib_stored(&raw),
    );
    id.to_owned()
}

/// Commits the index as it is, with `path` pointing at blob `id` with `mode`.
fn commit_entry(dir: &Path, mode: &str, id: &str, path: &str, message: &str) {
    git_as(
        dir,
        "Test",
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("{mode},{id},{path}"),
        ],
    );
    let tree = git_as(dir, "Test", &["write-tree"]);
    let head = git_as(dir, "Test", &["rev-parse", "HEAD"]);
    let commit = git_as(
        dir,
        "Test",
        &["commit-tree", &tree, "-p", &head, "-m", message],
    );
    git_as(dir, "Test", &["update-ref", "HEAD", &commit]);
}

const HUGE: u64 = 1_610_612_736;

#[test]
fn blobs_from_git_are_bounded_like_files() {
    let log1 = "checkins:\n  - { ref: growth/churn, date: 2026-10-01, value: 6 }\n";
    let log2 = "checkins:\n  - { ref: growth/churn, date: 2026-10-01, value: 6 }\n  - { ref: growth/churn, date: 2026-11-01, value: 5 }\n";
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        ("goals/checkins.yaml", log1),
    ]);
    commit_all(r.path());
    let d = r.path();
    // A check-in log of 1.5 GB (as its header says), then a normal one again.
    let big = lying_object(
        d,
        "blob",
        HUGE,
        b"checkins:\n",
        "b16b16b16b16b16b16b16b16b16b16b16b16b16b",
    );
    commit_entry(d, "100644", &big, "goals/checkins.yaml", "huge");
    let huge_commit = git_as(d, "Test", &["rev-parse", "HEAD"]);
    write(d, "goals/checkins.yaml", log2.as_bytes());
    git_as(d, "Test", &["add", "-A"]);
    git_as(d, "Test", &["commit", "-q", "-m", "normal again"]);

    let o = run_guarded(
        d,
        &["log", "growth/churn"],
        &[("GOALPOST_GIT_STALL_SECS", "20")],
        60,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("2026-11-01"), "{}", stdout(&o));
    let o = run_guarded(
        d,
        &["show", "growth/churn"],
        &[("GOALPOST_GIT_STALL_SECS", "20")],
        60,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (exit, v) = check_json(d, &["--at", &huge_commit]);
    assert_eq!(exit, 1, "{v:#}");
    assert_eq!(codes(&v), ["resource-limit"], "{v:#}");

    // A symlink whose blob claims 1.5 GB is not read to find its target.
    let link = lying_object(
        d,
        "blob",
        HUGE,
        b"a.yaml",
        "11a511a511a511a511a511a511a511a511a511a5",
    );
    commit_entry(d, "120000", &link, "goals/link.yaml", "huge link");
    let o = run_guarded(
        d,
        &["--at", "HEAD", "check"],
        &[("GOALPOST_GIT_STALL_SECS", "20")],
        60,
    );
    assert_ne!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!stderr(&o).contains("fsck"), "{}", stderr(&o));
}

#[test]
fn show_does_not_blame_a_file_whose_history_holds_an_oversized_blob() {
    let log = "checkins:\n  - { ref: growth/churn, date: 2026-10-01, value: 6 }\n";
    let r = repo(&[
        ("goals/a.yaml", &kpi_file("growth")),
        ("goals/checkins.yaml", log),
    ]);
    commit_all(r.path());
    let d = r.path();
    let big = format!("checkins:\n# {}\n", "x".repeat(17 << 20));
    write(d, "goals/checkins.yaml", big.as_bytes());
    git_as(d, "Big", &["commit", "-q", "-am", "big"]);
    write(d, "goals/checkins.yaml", log.as_bytes());
    git_as(d, "Small", &["commit", "-q", "-am", "small"]);
    let o = run(d, &["show", "growth/churn", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("(git)"), "{}", stdout(&o));
}

// ---------------------------------------------------------------------------------------
// Diagnostics: linear rendering, and text from the repository cannot drive a terminal or
// forge a line in a CI log.

#[test]
fn eighty_thousand_diagnostics_in_one_file_render_in_linear_time() {
    let mut text = String::from(
        "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n",
    );
    for i in 0..80_000 {
        text.push_str(&format!("    k{i}: 1\n"));
    }
    assert!(text.len() > 800_000);
    let r = repo(&[("goals/a.yaml", &text)]);
    for args in [&["check"][..], &["status"]] {
        // Quadratic rendering took minutes here; linear takes seconds.
        let o = run_guarded(r.path(), args, &[], 120);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let blocks = stderr(&o).matches("error[unknown-key]").count();
        assert_eq!(blocks, 80_000, "{args:?}");
    }
    // 40,000 problems on one 440 KB line: each quotes a window of the line, not all of it.
    let keys: Vec<String> = (0..40_000).map(|i| format!("x{i}: 1")).collect();
    let text = format!(
        "team: growth\nkpis: [{{id: churn, title: Churn, better: lower, target: 5, {}}}]\n",
        keys.join(", ")
    );
    let r = repo(&[("goals/a.yaml", &text)]);
    let o = run_guarded(r.path(), &["check"], &[], 120);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.matches("error[unknown-key]").count(), 40_000);
    assert!(err.len() < 40_000 * 1_000, "{} bytes", err.len());
}

#[test]
fn human_diagnostics_cannot_drive_the_terminal_or_forge_ci_lines() {
    let r = repo(&[
        // A raw ESC/BEL in a line that is quoted (a YAML syntax error).
        ("goals/a.yaml", "team: x\u{1b}]52;c;ZXZpbA==\u{7}\n"),
        // Line breaks, workflow commands and OSC 8 inside a key that a message names.
        (
            "goals/b.yaml",
            "team: growth\n\"x\\n::error file=a.yaml::forged\\e]8;;https://e.example\\a ##[stop-commands]tok\": 1\n",
        ),
    ]);
    #[cfg(unix)]
    write(r.path(), "goals/c\n::error::forged-path.yaml", b"team: [\n");
    let o = run(r.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    for line in err.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "forged line: {line:?}"
        );
        assert!(!line.contains("##["), "{line:?}");
    }
    assert!(err.contains("\\u{1b}]52"), "{err}");
    // The underline stays under the escaped text.
    let quoted = err
        .lines()
        .find(|l| l.contains("ZXZpbA"))
        .expect("the quoted line");
    assert!(
        quoted.contains("team: x\\u{1b}]52;c;ZXZpbA==\\u{7}"),
        "{quoted}"
    );

    // `--format github`: one workflow command per line, nothing that starts another.
    let o = run(r.path(), &["check", "--format", "github"]);
    let out = stdout(&o);
    assert!(!out.contains("##["), "{out}");
    assert!(!out.contains('\u{1b}'), "{out:?}");
    for line in out.lines() {
        assert!(
            line.starts_with("::error ") || line.starts_with("::warning "),
            "{line:?}"
        );
    }
}

#[test]
fn error_lines_escape_what_they_echo_from_the_repository() {
    let r = repo(&[
        (
            "goalpost.toml",
            "checkin_log = \"goals/x\\n::error::forged\\u001b[2J\"\n",
        ),
        ("goals/a.yaml", &kpi_file("growth")),
    ]);
    let o = run(
        r.path(),
        &["checkin", "growth/churn", "4", "--date", "2026-11-01"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    for line in err.lines() {
        assert!(
            !line.trim_start().starts_with("::"),
            "forged line: {line:?}"
        );
    }
}

#[test]
fn an_unknown_reflog_revision_is_a_plain_usage_error() {
    let r = repo(&[("goals/a.yaml", &kpi_file("growth"))]);
    commit_all(r.path());
    let o = run(r.path(), &["--at", "@{-1}", "check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("unknown revision `@{-1}`"), "{err}");
    assert!(!err.contains("shallow") && !err.contains("fsck"), "{err}");
}

// ---------------------------------------------------------------------------------------
// `checkin` loses no write: a log changed by another program, file modes, read-only logs,
// `--commit` in the middle of a merge or with signing required.

const GOALS: &str =
    "team: growth\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n";
const LOG: &str = "checkins:\n  - { ref: growth/churn, date: 2026-10-01, value: 6 }\n";

/// goalpost with git configuration isolated from the machine's.
fn isolated(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(bin());
    c.arg("-C").arg(dir).args(args);
    c.env("NO_COLOR", "1")
        .env("HOME", dir.join(".home"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("CLICOLOR_FORCE");
    for v in [
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_DIR",
        "GIT_WORK_TREE",
    ] {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn log_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("goals/checkins.yaml")).expect("the log")
}

/// Temporary files a checkin writes next to the log.
fn temps(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("goals"))
        .expect("goals/")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        })
        .count()
}

#[test]
fn checkin_retries_when_another_program_changes_the_log_before_the_rename() {
    let r = repo(&[("goals/a.yaml", GOALS), ("goals/checkins.yaml", LOG)]);
    let d = r.path();
    let child = isolated(
        d,
        &["checkin", "growth/churn", "4", "--date", "2026-11-20"],
        &[("GOALPOST_TEST_PAUSE_BEFORE_RENAME_MS", "1500")],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn goalpost");
    let deadline = Instant::now() + Duration::from_secs(60);
    while temps(d) == 0 {
        assert!(
            Instant::now() < deadline,
            "the writer never wrote its temp file"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // An editor (or `git pull`) saves the log meanwhile.
    let edited = format!("{LOG}  - {{ ref: growth/churn, date: 2026-10-15, value: 5.5 }}\n");
    std::fs::write(d.join("goals/checkins.yaml"), &edited).expect("edit");
    let o = child.wait_with_output().expect("the writer ends");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = log_of(d);
    assert!(
        log.starts_with(&edited),
        "the other program's edit was lost:\n{log}"
    );
    assert!(
        log.ends_with("  - { ref: growth/churn, date: 2026-11-20, value: 4 }\n"),
        "{log}"
    );
    assert_eq!(temps(d), 0);
}

#[cfg(unix)]
#[test]
fn checkin_keeps_the_log_mode_and_refuses_a_read_only_log() {
    use std::os::unix::fs::PermissionsExt;
    let r = repo(&[("goals/a.yaml", GOALS), ("goals/checkins.yaml", LOG)]);
    let d = r.path();
    let log = d.join("goals/checkins.yaml");
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o7777;
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let o = run(d, &["checkin", "growth/churn", "4", "--date", "2026-11-20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(mode(&log), 0o755);

    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = log_of(d);
    let o = run(d, &["checkin", "growth/churn", "3", "--date", "2026-11-21"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
    assert_eq!(log_of(d), before);
    assert_eq!(mode(&log), 0o444);
}

/// A repository on `main` with the goals committed and an identity configured.
fn committed() -> tempfile::TempDir {
    let r = repo(&[("goals/a.yaml", GOALS), ("goals/checkins.yaml", LOG)]);
    commit_all(r.path());
    git_as(r.path(), "Test", &["config", "user.name", "Ada"]);
    git_as(
        r.path(),
        "Test",
        &["config", "user.email", "ada@example.com"],
    );
    r
}

#[test]
fn checkin_commit_refuses_during_a_merge_rebase_or_cherry_pick() {
    for (state, what) in [
        ("MERGE_HEAD", "merge"),
        ("CHERRY_PICK_HEAD", "cherry-pick"),
        ("rebase-merge/head-name", "rebase"),
        ("rebase-apply/applying", "rebase"),
    ] {
        let r = committed();
        let d = r.path();
        let head = git_as(d, "Test", &["rev-parse", "HEAD"]);
        write(d, &format!(".git/{state}"), format!("{head}\n").as_bytes());
        let o = isolated(
            d,
            &[
                "checkin",
                "growth/churn",
                "4",
                "--date",
                "2026-11-20",
                "--commit",
            ],
            &[],
        )
        .output()
        .expect("goalpost runs");
        assert_eq!(o.status.code(), Some(3), "{state}: {}", stderr(&o));
        assert!(stderr(&o).contains(what), "{state}: {}", stderr(&o));
        assert_eq!(log_of(d), LOG, "{state}: written anyway");
        assert_eq!(git_as(d, "Test", &["rev-list", "--count", "HEAD"]), "1");
    }
}

#[test]
fn checkin_commit_refuses_when_commits_must_be_signed() {
    let r = committed();
    let d = r.path();
    git_as(d, "Test", &["config", "commit.gpgsign", "true"]);
    let o = isolated(
        d,
        &[
            "checkin",
            "growth/churn",
            "4",
            "--date",
            "2026-11-20",
            "--commit",
        ],
        &[],
    )
    .output()
    .expect("goalpost runs");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("commit.gpgsign"), "{}", stderr(&o));
    assert_eq!(log_of(d), LOG);
    assert_eq!(git_as(d, "Test", &["rev-list", "--count", "HEAD"]), "1");
}

#[test]
fn a_log_with_cr_line_endings_that_check_accepts_takes_checkins() {
    let cr = LOG.replace('\n', "\r");
    let r = repo(&[("goals/a.yaml", GOALS), ("goals/checkins.yaml", &cr)]);
    let d = r.path();
    let o = run(d, &["check", "--as-of", "2026-11-25"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(d, &["checkin", "growth/churn", "4", "--date", "2026-11-20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        log_of(d),
        format!("{cr}  - {{ ref: growth/churn, date: 2026-11-20, value: 4 }}\r")
    );
    let o = run(d, &["status", "--format", "json", "--as-of", "2026-11-25"]);
    assert!(stdout(&o).contains("\"value\": 4"), "{}", stdout(&o));
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
