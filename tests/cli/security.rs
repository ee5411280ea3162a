//! The claims of SECURITY.md, one test each: goalpost validating an untrusted pull request
//! runs nothing, reaches no network, reads and writes nothing outside the repository (nor a
//! hidden file in it), stays bounded, cannot be made to forge a CI log line, and `checkin`
//! loses no write. Each test reproduces an attack of issue 11. Resource bounds on hostile YAML
//! are proven in `corpus.rs`.

use crate::common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod bounds;
mod containment;
mod network;
mod outputs;
mod writes;

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
        // lsp-server also has a TCP transport; goalpost speaks LSP on stdio only.
        "Connection::connect",
        "Connection::listen",
    ];
    // Test code only (`#[cfg(test)] mod tests;` of src/git/remote.rs): it makes repositories
    // with the git CLI and starts the smart HTTP test server (tests/tools/git_http.py).
    // And `src/git/testgit.rs`, the git CLI for tests (`#[cfg(test)]` in src/git/mod.rs).
    let test_only = ["git/remote/tests.rs", "git/testgit.rs"];
    for f in files {
        let rel = f
            .strip_prefix(root().join("src"))
            .expect("below src")
            .to_string_lossy()
            .replace('\\', "/");
        if test_only.contains(&rel.as_str()) {
            continue;
        }
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

/// Cargo.lock's packages and, for each, the names of its dependencies.
fn lock_graph() -> std::collections::BTreeMap<String, Vec<String>> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
    let mut graph = std::collections::BTreeMap::new();
    for package in lock.split("[[package]]").skip(1) {
        let name = package
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .map(|l| l.trim_end_matches('"').to_owned())
            .expect("a package has a name");
        let deps = package
            .split_once("dependencies = [")
            .map(|(_, rest)| rest.split(']').next().unwrap_or(""))
            .unwrap_or("")
            .lines()
            .map(|l| l.trim().trim_matches(|c| c == '"' || c == ','))
            .filter(|l| !l.is_empty())
            // "name 1.2.3" when the lock holds two versions of a package.
            .map(|l| l.split(' ').next().unwrap_or(l).to_owned())
            .collect();
        graph.insert(name, deps);
    }
    graph
}

#[test]
fn only_the_pull_module_reaches_the_http_client() {
    // In the code: `ureq` only in src/net.rs; `net` only from `pull`, `git` and
    // src/cli/pull.rs; `pull` only from src/cli/pull.rs.
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for f in &files {
        let rel = f
            .strip_prefix(&src)
            .expect("below src")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(f).expect("source is UTF-8");
        if text.contains("ureq") {
            assert_eq!(rel, "net.rs", "{rel} uses the HTTP client");
        }
        if text.contains("crate::net") {
            assert!(
                rel.starts_with("pull/") || rel.starts_with("git/") || rel == "cli/pull.rs",
                "{rel} reaches the network module"
            );
        }
        let uses_pull = text.contains("crate::pull") || text.contains("goalpost::pull");
        if uses_pull && !rel.starts_with("pull/") {
            assert_eq!(rel, "cli/pull.rs", "{rel} reaches the pull module");
        }
    }
    // In the dependency tree: every crate that speaks a network protocol comes in through
    // ureq, which only goalpost depends on; none is reachable from goalpost without it.
    let graph = lock_graph();
    assert!(graph.contains_key("git2"), "the lock file lists packages");
    for never in [
        "openssl-sys",
        "libssh2-sys",
        "curl",
        "curl-sys",
        "reqwest",
        "hyper",
        "native-tls",
        "tokio",
    ] {
        assert!(!graph.contains_key(never), "`{never}` is in Cargo.lock");
    }
    let dependents: Vec<&String> = graph
        .iter()
        .filter(|(_, deps)| deps.iter().any(|d| d == "ureq"))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(dependents, ["goalpost"], "only goalpost depends on ureq");
    let mut reached = std::collections::BTreeSet::new();
    let mut todo: Vec<String> = graph["goalpost"]
        .iter()
        .filter(|d| *d != "ureq")
        .cloned()
        .collect();
    while let Some(p) = todo.pop() {
        if reached.insert(p.clone()) {
            todo.extend(graph.get(&p).into_iter().flatten().cloned());
        }
    }
    for net in [
        "ureq",
        "ureq-proto",
        "rustls",
        "rustls-platform-verifier",
        "rustls-native-certs",
        // `ring` is reachable directly: goalpost.lock's SHA-256 (src/load/upstream.rs) is
        // ring's digest, which holds no network code.
        "webpki-roots",
        "http",
        "httparse",
        "socket2",
        "mio",
    ] {
        assert!(
            !reached.contains(net),
            "`{net}` is reachable from goalpost without going through ureq"
        );
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
// Helpers of the tests in `security/`.

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

/// A git repository on `main` holding everything in `dir`, committed.
fn commit_all(dir: &Path) {
    git_as(dir, "Test", &["init", "-q", "-b", "main"]);
    git_as(dir, "Test", &["add", "-A"]);
    git_as(dir, "Test", &["commit", "-q", "-m", "goals"]);
}

/// A check-in log with one check-in of `growth/churn`.
const LOG: &str = "checkins:\n  - { ref: growth/churn, date: 2026-10-01, value: 6 }\n";
