//! Goals across repositories (SPEC 13): real git repositories as upstreams, read from a
//! local path or served over git's smart HTTP protocol by git's own `git http-backend`
//! (tests/tools/git_http.py), vendored by `goalpost upstream update`, and resolved,
//! scored and shown by the other commands.

use crate::common::*;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const COMPANY_TOML: &str = "name = \"company\"\n";

const COMPANY: &str = "\
team: company
period: 2026-Q4
objectives:
  - id: grow
    title: Grow revenue in the mid-market
    key_results:
      - id: arr
        title: Raise ARR from 10 to 14 million
        start: 10
        target: 14
        checkins:
          - { date: 2026-10-31, value: 11 }
          - { date: 2026-11-28, value: 12.5 }
      - id: logos
        title: Sign 20 new mid-market logos
        start: 0
        target: 20
        checkins:
          - { date: 2026-11-28, value: 12 }
kpis:
  - id: nps
    title: Net promoter score
    better: higher
    target: 40
    critical: 20
    checkins:
      - { date: 2026-11-01, value: 38 }
      - { date: 2026-11-29, value: 44 }
";

fn growth_toml(url: &str) -> String {
    format!(
        "name = \"growth\"\n\n[upstreams.company]\nurl = \"{url}\"\nref = \"main\"\nroots = [\"goals\"]\n"
    )
}

const GROWTH: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: activation
    title: Make activation effortless
    parent: company:company/grow
    guardrails: [company:company/nps]
    key_results:
      - id: signup
        title: Raise signup completion from 40 to 60 percent
        start: 40
        target: 60
        checkins:
          - { date: 2026-11-28, value: 52 }
      - id: promoters
        title: Lift the company NPS from 30 to 50
        start: 30
        target: 50
        kpi: company:company/nps
";

/// Commits everything in `dir` (a new repository on `main` when there is none).
fn commit_all(dir: &Path, message: &str) -> String {
    if !dir.join(".git").exists() {
        git_as(dir, "Ann", &["init", "-q", "-b", "main"]);
    }
    git_as(dir, "Ann", &["add", "-A"]);
    git_as(
        dir,
        "Ann",
        &["commit", "-q", "--allow-empty", "-m", message],
    );
    git_as(dir, "Ann", &["rev-parse", "HEAD"])
}

/// A company repository and a team repository beside it that names it as a local upstream
/// (also for the editor's tests, tests/cli/lsp.rs).
pub(crate) fn two_repos() -> (tempfile::TempDir, String) {
    let top = tempfile::tempdir().expect("tempdir");
    let company = top.path().join("company");
    write(&company, "goalpost.toml", COMPANY_TOML.as_bytes());
    write(&company, "goals/company/2026-q4.yaml", COMPANY.as_bytes());
    let commit = commit_all(&company, "company goals");
    let growth = top.path().join("growth");
    write(
        &growth,
        "goalpost.toml",
        growth_toml("../company").as_bytes(),
    );
    write(&growth, "goals/growth/2026-q4.yaml", GROWTH.as_bytes());
    (top, commit)
}

pub(crate) fn ok(o: &std::process::Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

#[test]
fn a_local_upstream_is_vendored_pinned_and_resolved() {
    let (top, commit) = two_repos();
    let growth = top.path().join("growth");
    // Before the update: the refs name an upstream with no snapshot.
    let (code, v) = check_json(&growth, &[]);
    assert_eq!(code, 1);
    assert!(codes(&v).iter().all(|c| c == "upstream-missing"), "{v}");
    assert_eq!(codes(&v).len(), 3, "{v}");

    let o = run(&growth, &["upstream", "update"]);
    ok(&o);
    let out = stdout(&o);
    assert!(out.contains("company:company/grow"), "{out}");
    assert!(
        stderr(&o).contains("updated upstream `company`"),
        "{}",
        stderr(&o)
    );
    // The snapshot keeps the upstream's paths, and its goalpost.toml.
    let snap = growth.join("upstreams/company");
    assert_eq!(
        std::fs::read_to_string(snap.join("goals/company/2026-q4.yaml")).unwrap(),
        COMPANY
    );
    assert!(snap.join("goalpost.toml").is_file());
    let lock = std::fs::read_to_string(growth.join("goalpost.lock")).unwrap();
    assert!(lock.contains(&format!("commit = \"{commit}\"")), "{lock}");
    assert!(
        lock.contains("\"goals/company/2026-q4.yaml\" = \""),
        "{lock}"
    );
    assert!(!growth.join("upstreams/.company.goalpost-new").exists());

    let (code, v) = check_json(&growth, &[]);
    assert_eq!(code, 0, "{v}");

    // The KPI-linked key result takes the upstream KPI's values: 44 of 30 → 50 is 0.70.
    let o = run(&growth, &["status", "--format", "json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let krs = &v["objectives"][0]["key_results"];
    let promoters = krs
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["ref"] == "growth/activation/promoters")
        .unwrap();
    assert_eq!(promoters["current"], 44.0, "{promoters}");
    assert_eq!(v["objectives"][0]["parent"], "company:company/grow", "{v}");
    // Upstream items are never listed among this repository's.
    assert_eq!(v["objectives"].as_array().unwrap().len(), 1);
    assert_eq!(v["kpis"].as_array().unwrap().len(), 0);

    // The tree shows the upstream parent above its local child, with its own score.
    let o = run(&growth, &["status", "--tree"]);
    ok(&o);
    let out = stdout(&o);
    let (up, local) = (
        out.find("company:company/grow")
            .expect("the upstream parent"),
        out.find("growth/activation").expect("the local child"),
    );
    assert!(up < local, "{out}");
    assert!(out.contains("upstream"), "{out}");
    // Plain status does not list the upstream objective.
    let o = run(&growth, &["status"]);
    assert!(
        !stdout(&o).contains("company:company/grow"),
        "{}",
        stdout(&o)
    );

    // `show` of the upstream objective: its figures from the snapshot, its child here.
    let o = run(&growth, &["show", "company:company/grow"]);
    ok(&o);
    let out = stdout(&o);
    assert!(out.contains("objective company:company/grow"), "{out}");
    assert!(out.contains("growth/activation"), "{out}");
    let o = run(&growth, &["show", "company:company/nope"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // Upstream items are never appended to: a check-in is refused, saying why.
    let log = std::fs::read(growth.join("goals/growth/2026-q4.yaml")).unwrap();
    let o = run(&growth, &["checkin", "company:company/grow/arr", "13"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("item of upstream `company`"),
        "{}",
        stderr(&o)
    );
    assert!(!growth.join("goals/checkins.yaml").exists());
    assert_eq!(
        std::fs::read(growth.join("goals/growth/2026-q4.yaml")).unwrap(),
        log
    );
}

#[test]
fn unknown_upstream_items_name_the_pinned_commit() {
    let (top, commit) = two_repos();
    let growth = top.path().join("growth");
    ok(&run(&growth, &["upstream", "update", "company"]));
    let bad = GROWTH.replace("company:company/grow", "company:company/grwo");
    write(&growth, "goals/growth/2026-q4.yaml", bad.as_bytes());
    let o = run(&growth, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("unknown-ref"), "{err}");
    assert!(err.contains(&commit[..10]), "{err}");
    assert!(err.contains("company:company/grow"), "did you mean: {err}");
    // An upstream goalpost.toml does not declare.
    let bad = GROWTH.replace("company:company/grow", "finance:company/grow");
    write(&growth, "goals/growth/2026-q4.yaml", bad.as_bytes());
    let (_, v) = check_json(&growth, &[]);
    assert!(codes(&v).contains(&"upstream-missing".to_owned()), "{v}");
}

#[test]
fn a_snapshot_edited_by_hand_is_upstream_modified() {
    let (top, _) = two_repos();
    let growth = top.path().join("growth");
    ok(&run(&growth, &["upstream", "update"]));
    let file = "upstreams/company/goals/company/2026-q4.yaml";
    // Edited.
    write(
        &growth,
        file,
        COMPANY.replace("14 million", "15 million").as_bytes(),
    );
    let (code, v) = check_json(&growth, &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&v), vec!["upstream-modified"], "{v}");
    assert!(v.to_string().contains(file), "{v}");
    // Restored, then an extra file.
    write(&growth, file, COMPANY.as_bytes());
    assert_eq!(check_json(&growth, &[]).0, 0);
    write(
        &growth,
        "upstreams/company/goals/company/extra.yaml",
        b"team: company\n",
    );
    let (_, v) = check_json(&growth, &[]);
    assert_eq!(codes(&v), vec!["upstream-modified"], "{v}");
    std::fs::remove_file(growth.join("upstreams/company/goals/company/extra.yaml")).unwrap();
    // Missing.
    std::fs::remove_file(growth.join("upstreams/company/goalpost.toml")).unwrap();
    let (_, v) = check_json(&growth, &[]);
    assert_eq!(codes(&v), vec!["upstream-modified"], "{v}");
    // A lock edited into nonsense.
    ok(&run(&growth, &["upstream", "update"]));
    write(&growth, "goalpost.lock", b"[upstreams.company]\nurl = 3\n");
    let (_, v) = check_json(&growth, &[]);
    assert!(codes(&v).contains(&"upstream-modified".to_owned()), "{v}");
    // Updating with an unreadable lock is refused, not guessed.
    let o = run(&growth, &["upstream", "update"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn an_upstream_that_does_not_validate_is_refused_and_nothing_is_written() {
    let (top, _) = two_repos();
    let growth = top.path().join("growth");
    ok(&run(&growth, &["upstream", "update"]));
    let lock = std::fs::read(growth.join("goalpost.lock")).unwrap();
    let company = top.path().join("company");
    write(
        &company,
        "goals/company/2026-q4.yaml",
        COMPANY.replace("target: 14", "target: 10").as_bytes(),
    );
    commit_all(&company, "broken");
    let o = run(&growth, &["upstream", "update"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("start-equals-target"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(std::fs::read(growth.join("goalpost.lock")).unwrap(), lock);
    assert_eq!(
        std::fs::read_to_string(growth.join("upstreams/company/goals/company/2026-q4.yaml"))
            .unwrap(),
        COMPANY
    );
    // A snapshot that does not validate, pinned as it is (by another tool): one error.
    let broken = COMPANY.replace("target: 14", "target: 10");
    write(
        &growth,
        "upstreams/company/goals/company/2026-q4.yaml",
        broken.as_bytes(),
    );
    let hash = sha256(broken.as_bytes());
    let text = std::fs::read_to_string(growth.join("goalpost.lock")).unwrap();
    let old = sha256(COMPANY.as_bytes());
    write(
        &growth,
        "goalpost.lock",
        text.replace(&old, &hash).as_bytes(),
    );
    let (code, v) = check_json(&growth, &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&v), vec!["upstream-invalid"], "{v}");
}

fn sha256(bytes: &[u8]) -> String {
    let mut c = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sha256sum");
    use std::io::Write as _;
    c.stdin.take().unwrap().write_all(bytes).unwrap();
    let o = c.wait_with_output().unwrap();
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn a_hostile_upstream_is_bounded() {
    let (top, _) = two_repos();
    let company = top.path().join("company");
    let growth = top.path().join("growth");
    // A link out of the upstream, and hidden files: the link is refused (nothing written),
    // hidden files are never read.
    std::os::unix::fs::symlink("/etc/passwd", company.join("goals/company/passwd.yaml")).unwrap();
    write(&company, "goals/.hidden/x.yaml", b"team: [\n");
    commit_all(&company, "hostile");
    let o = run(&growth, &["upstream", "update"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("symlink-escape"), "{}", stderr(&o));
    assert!(!growth.join("upstreams").join("company").exists());
    assert!(!growth.join("goalpost.lock").exists());
    git_as(&company, "Ann", &["rm", "-q", "goals/company/passwd.yaml"]);
    commit_all(&company, "no link");
    ok(&run(&growth, &["upstream", "update"]));
    assert!(!growth.join("upstreams/company/goals/.hidden").exists());
    // `upstreams/` itself a link: refused, nothing written through it.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(growth.join("upstreams")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), growth.join("upstreams")).unwrap();
    let o = run(&growth, &["upstream", "update"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    // A lock that points at a commit nobody has: checks are offline, so they still hold;
    // an update pins the real one.
    std::fs::remove_file(growth.join("upstreams")).unwrap();
    ok(&run(&growth, &["upstream", "update"]));
    let lock = std::fs::read_to_string(growth.join("goalpost.lock")).unwrap();
    let at = lock.find("commit = \"").unwrap() + 10;
    let fake = lock.replace(&lock[at..at + 40], &"0".repeat(40));
    write(&growth, "goalpost.lock", fake.as_bytes());
    assert_eq!(check_json(&growth, &[]).0, 0);
    ok(&run(&growth, &["upstream", "update"]));
    assert!(
        !std::fs::read_to_string(growth.join("goalpost.lock"))
            .unwrap()
            .contains(&"0".repeat(40))
    );
}

#[test]
fn revisions_read_their_own_snapshot_and_lock() {
    let (top, _) = two_repos();
    let growth = top.path().join("growth");
    ok(&run(&growth, &["upstream", "update"]));
    let first = commit_all(&growth, "vendor company");
    // The company renames its objective; the team realigns in the same bump.
    let company = top.path().join("company");
    write(
        &company,
        "goals/company/2026-q4.yaml",
        COMPANY.replace("id: grow", "id: expand").as_bytes(),
    );
    commit_all(&company, "rename");
    let o = run(&growth, &["upstream", "update", "--format", "json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["upstreams"][0]["name"], "company", "{v}");
    assert!(
        v["upstreams"][0]["diff"]
            .to_string()
            .contains("company:company/expand"),
        "{v}"
    );
    // The work tree still names the old parent: an error now, fine at the first commit.
    let (code, _) = check_json(&growth, &[]);
    assert_eq!(code, 1);
    let o = run(&growth, &["--at", &first, "check"]);
    ok(&o);
    write(
        &growth,
        "goals/growth/2026-q4.yaml",
        GROWTH
            .replace("company:company/grow", "company:company/expand")
            .as_bytes(),
    );
    assert_eq!(check_json(&growth, &[]).0, 0);
    commit_all(&growth, "bump company");
    let o = run(&growth, &["check", "--base", &first]);
    ok(&o);
    // The bump shows as upstream changes: `check --base` says so, `diff` lists them.
    assert!(
        stderr(&o).contains("note: upstream `company` moves from"),
        "{}",
        stderr(&o)
    );
    let o = run(&growth, &["diff", &first, "HEAD"]);
    ok(&o);
    let out = stdout(&o);
    assert!(out.contains("upstream company"), "{out}");
    assert!(out.contains("company:company/expand"), "{out}");
    let o = run(&growth, &["diff", &first, "HEAD", "--format", "json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["upstreams"][0]["name"], "company", "{v}");
    assert!(
        v["upstreams"][0]["changes"]
            .to_string()
            .contains("company:company/expand"),
        "{v}"
    );
    // The repository's own change (the realigned parent) is listed as usual.
    assert!(
        v["changes"].to_string().contains("growth/activation"),
        "{v}"
    );
    // No bump, no upstream section.
    let o = run(&growth, &["diff", "HEAD", "HEAD", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["upstreams"], serde_json::json!([]), "{v}");
}

/// Three repositories: the company vendors two teams, each aligned to the company (the
/// roll-up). Returns the directory holding them and the company's.
fn company_with_teams() -> (tempfile::TempDir, std::path::PathBuf) {
    let (top, _) = two_repos();
    let growth = top.path().join("growth");
    ok(&run(&growth, &["upstream", "update"]));
    commit_all(&growth, "growth goals");
    let sales = top.path().join("sales");
    write(
        &sales,
        "goalpost.toml",
        growth_toml("../company")
            .replace("growth", "sales")
            .as_bytes(),
    );
    write(
        &sales,
        "goals/sales/2026-q4.yaml",
        b"team: sales\nperiod: 2026-Q4\nobjectives:\n  - id: pipeline\n    title: Build the mid-market pipeline\n    parent: company:company/grow\n    key_results:\n      - { id: deals, title: Close 30 deals, start: 0, target: 30, checkins: [{ date: 2026-11-27, value: 21 }] }\n      - { id: calls, title: Book 200 calls, start: 0, target: 200, checkins: [{ date: 2026-11-27, value: 120 }] }\n",
    );
    ok(&run(&sales, &["upstream", "update"]));
    commit_all(&sales, "sales goals");
    let company = top.path().join("company");
    let toml = format!(
        "{COMPANY_TOML}\n[upstreams.growth]\nurl = \"../growth\"\nref = \"main\"\n\n[upstreams.sales]\nurl = \"../sales\"\nref = \"main\"\n"
    );
    write(&company, "goalpost.toml", toml.as_bytes());
    ok(&run(&company, &["upstream", "update"]));
    (top, company)
}

#[test]
fn the_company_sees_every_team_under_its_objectives() {
    let (_top, company) = company_with_teams();
    assert_eq!(check_json(&company, &[]).0, 0);
    let o = run(&company, &["status", "--tree"]);
    ok(&o);
    let out = stdout(&o);
    let at = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} in {out}"));
    assert!(at("company/grow") < at("growth:growth/activation"), "{out}");
    assert!(at("company/grow") < at("sales:sales/pipeline"), "{out}");
    // The review grades the company's objective and lists the teams' under it.
    let o = run(&company, &["review", "2026-Q4", "--as-of", "2027-01-05"]);
    ok(&o);
    let out = stdout(&o);
    assert!(out.contains("↳ growth:growth/activation"), "{out}");
    assert!(out.contains("↳ sales:sales/pipeline"), "{out}");
    let o = run(
        &company,
        &[
            "review",
            "2026-Q4",
            "--as-of",
            "2027-01-05",
            "--format",
            "json",
        ],
    );
    ok(&o);
    assert!(stdout(&o).contains("\"children\""), "{}", stdout(&o));
    // The HTML report has the page across repositories.
    let o = run(&company, &["report", "--format", "html"]);
    ok(&o);
    let html = stdout(&o);
    assert!(html.contains("Across repositories"), "{html}");
    assert!(html.contains("sales:sales/pipeline"), "{html}");
    // The vendored objectives are not the company's own: not counted, not linted.
    let o = run(&company, &["status", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["objectives"].as_array().unwrap().len(), 1, "{v}");
}

/// `python3 tests/tools/git_http.py ROOT`: git's own smart HTTP server for the repositories
/// under ROOT, on a free loopback port. Killed on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new("python3")
            .arg(crate::common::root().join("tests/tools/git_http.py"))
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        use std::io::BufRead as _;
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().expect("the server prints its port");
        Server { child, port }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn an_upstream_is_fetched_over_smart_http() {
    let (top, commit) = two_repos();
    let server = Server::start(top.path());
    let growth = top.path().join("growth");
    let url = format!("http://127.0.0.1:{}/company", server.port);
    write(&growth, "goalpost.toml", growth_toml(&url).as_bytes());
    let o = run(&growth, &["upstream", "update", "--format", "markdown"]);
    ok(&o);
    assert!(
        stdout(&o).contains("company:company/grow"),
        "{}",
        stdout(&o)
    );
    let lock = std::fs::read_to_string(growth.join("goalpost.lock")).unwrap();
    assert!(lock.contains(&commit), "{lock}");
    assert!(lock.contains(&url), "{lock}");
    assert_eq!(check_json(&growth, &[]).0, 0);
    // Nothing but `upstream update` (and `pull`) opens a connection: with the server gone,
    // every other command still works from the snapshot.
    drop(server);
    for args in [
        vec!["check"],
        vec!["status", "--tree"],
        vec!["show", "company:company/grow"],
        vec!["report", "--format", "html"],
    ] {
        ok(&run(&growth, &args));
    }
    // The server gone, an update fails as unreachable (exit 3) and writes nothing.
    let before = std::fs::read(growth.join("goalpost.lock")).unwrap();
    let o = run(&growth, &["upstream", "update"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(std::fs::read(growth.join("goalpost.lock")).unwrap(), before);
}

#[test]
fn upstream_config_is_checked() {
    let dir = repo(&[
        (
            "goalpost.toml",
            "[upstreams.company]\nurl = \"https://user:secret@git.example.com/x.git\"\nref = \"main\"\n\n[upstreams.Bad]\nurl = \"../x\"\nref = \"main\"\n\n[upstreams.ok]\nurl = \"../x\"\nref = \"a..b\"\nroots = [\"../out\"]\n",
        ),
        ("goals/t/q.yaml", "team: t\n"),
    ]);
    let o = run(dir.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains("secret"), "{err}");
    assert!(err.contains("upstream name `Bad`"), "{err}");
    assert!(err.contains("not a branch or tag"), "{err}");
    assert!(err.contains("leaves the repository"), "{err}");
}

#[test]
fn status_upstream_lists_the_referenced_upstream_goals_apart() {
    let (top, commit) = two_repos();
    let growth = top.path().join("growth");
    ok(&run(&growth, &["upstream", "update"]));
    // Plain status: only this repository's goals, and `upstream` is null in JSON.
    let o = run(&growth, &["status", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["upstream"].is_null(), "{v}");
    // With --upstream: the parent and the KPI the goals name, from the snapshot, apart.
    let o = run(&growth, &["status", "--upstream", "--format", "json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let u = &v["upstream"];
    assert_eq!(u["pins"][0]["name"], "company", "{u}");
    assert_eq!(u["pins"][0]["commit"], commit.as_str(), "{u}");
    assert_eq!(u["objectives"][0]["ref"], "company:company/grow", "{u}");
    assert_eq!(u["kpis"][0]["ref"], "company:company/nps", "{u}");
    assert_eq!(u["kpis"][0]["value"], 44.0, "{u}");
    assert_eq!(v["objectives"].as_array().unwrap().len(), 1);
    assert!(v["attention"].to_string().find("company:").is_none(), "{v}");
    // The document keeps to the committed schema.
    if let Some(cj) = crate::tools::check_jsonschema() {
        let file = top.path().join("status.json");
        std::fs::write(&file, &o.stdout).unwrap();
        let c = Command::new(cj)
            .arg("--schemafile")
            .arg(root().join("schema/output/status.schema.json"))
            .arg(&file)
            .output()
            .unwrap();
        assert!(c.status.success(), "{}{}", stdout(&c), stderr(&c));
    } else {
        crate::tools::missing(
            "status_upstream_lists_the_referenced_upstream_goals_apart",
            "check-jsonschema (PyPI)",
        );
    }
    for format in ["table", "markdown", "csv"] {
        let o = run(&growth, &["status", "--upstream", "--format", format]);
        ok(&o);
        let out = stdout(&o);
        assert!(out.contains("company:company/grow"), "{format}: {out}");
        assert!(out.contains("company:company/nps"), "{format}: {out}");
        let plain = stdout(&run(&growth, &["status", "--format", format]));
        assert!(!plain.contains("company:company/nps"), "{format}: {plain}");
    }
}

#[test]
fn a_huge_upstream_tree_is_refused_from_its_size() {
    let (top, _) = two_repos();
    let company = top.path().join("company");
    let growth = top.path().join("growth");
    // `main` of the upstream becomes a commit whose goals tree holds 100,001 entries.
    let file = git_as(
        &company,
        "Ann",
        &["rev-parse", "HEAD:goals/company/2026-q4.yaml"],
    );
    let mut many = String::with_capacity(100_001 * 64);
    for i in 0..=100_000 {
        many.push_str(&format!("100644 blob {file}\tn{i}.md\n"));
    }
    let goals = mktree(&company, &many);
    let root = mktree(&company, &format!("040000 tree {goals}\tgoals\n"));
    let head = git_as(&company, "Ann", &["rev-parse", "HEAD"]);
    let wide = git_as(
        &company,
        "Ann",
        &["commit-tree", &root, "-p", &head, "-m", "wide"],
    );
    git_as(&company, "Ann", &["update-ref", "refs/heads/main", &wide]);
    let started = std::time::Instant::now();
    let o = run(&growth, &["upstream", "update"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("resource-limit"), "{}", stderr(&o));
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(!growth.join("upstreams/company").exists());
    assert!(!growth.join("goalpost.lock").exists());
}

/// The company's page "Across repositories" in a real browser: at 390, 768 and 1440 px, dark
/// mode and print, nothing overflows and axe-core finds no violation.
#[test]
fn the_across_repositories_page_passes_the_browser_checks() {
    let Some(node) = crate::tools::node(&["puppeteer-core", "axe-core"]) else {
        return crate::tools::missing(
            "the_across_repositories_page_passes_the_browser_checks",
            "puppeteer-core and axe-core",
        );
    };
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|b| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(b))
                    .find(|p| p.is_file())
            })
        });
    let Some(browser) = browser else {
        return crate::tools::missing(
            "the_across_repositories_page_passes_the_browser_checks",
            "chromium",
        );
    };
    let (top, company) = company_with_teams();
    let page = top.path().join("company.html");
    ok(&run(
        &company,
        &["report", "--format", "html", "-o", page.to_str().unwrap()],
    ));
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .contains("Across repositories")
    );
    let shots = top.path().join("shots");
    std::fs::create_dir(&shots).unwrap();
    let o = node.script(
        "browser.cjs",
        &[browser.as_path(), shots.as_path(), page.as_path()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let found: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    crate::report::assert_pages_fit(&found);
    for (name, p) in found["pages"].as_object().expect("pages") {
        assert_eq!(p["consoleErrors"], serde_json::json!([]), "{name}");
    }
}

/// goalpost.lock is written through the library's transaction: a read-only lock stops the
/// update before any snapshot is swapped, and nothing changes.
#[test]
fn a_read_only_lock_stops_the_update_and_nothing_changes() {
    use std::os::unix::fs::PermissionsExt as _;
    let (top, _) = two_repos();
    let growth = top.path().join("growth");
    ok(&run(&growth, &["upstream", "update"]));
    let lock_path = growth.join("goalpost.lock");
    let lock = std::fs::read(&lock_path).unwrap();
    std::fs::set_permissions(&lock_path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let company = top.path().join("company");
    write(
        &company,
        "goals/company/2026-q4.yaml",
        COMPANY.replace("14 million", "15 million").as_bytes(),
    );
    commit_all(&company, "raise");
    let o = run(&growth, &["upstream", "update"]);
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&lock_path).unwrap(), lock);
    assert_eq!(
        std::fs::read_to_string(growth.join("upstreams/company/goals/company/2026-q4.yaml"))
            .unwrap(),
        COMPANY
    );
    let left: Vec<_> = std::fs::read_dir(growth.join("upstreams"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("company")]);
    assert_eq!(check_json(&growth, &[]).0, 0);
}
