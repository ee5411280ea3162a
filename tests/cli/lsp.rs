//! `goalpost lsp` driven through its stdio by a small JSON-RPC client written here, on
//! temporary copies of the Acme example: the handshake, diagnostics on open and change
//! (also in files that are not open, and cleared once fixed), hover, definition,
//! references, completion, code actions, document symbols, containment, shutdown and exit;
//! parity with `goalpost check`; and the bad-input corpus and the fuzz seeds replayed
//! through the server.

use crate::common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// Generous: a bound against hangs, not a benchmark.
const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    pub notifications: Vec<Value>,
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    /// Starts `goalpost lsp` in `dir` (today pinned) and completes the handshake with
    /// `root` as the workspace folder.
    pub fn start(dir: &Path, root: &Path) -> Client {
        Client::start_on(dir, root, TODAY)
    }

    /// [`Client::start`] with another date for today.
    pub fn start_on(dir: &Path, root: &Path, today: &str) -> Client {
        let mut child = Command::new(bin())
            .arg("lsp")
            .current_dir(dir)
            .env("GOALPOST_TODAY", today)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("goalpost lsp starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_message(&mut r) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let mut c = Client {
            stdin: child.stdin.take(),
            child,
            incoming: rx,
            next_id: 1,
            notifications: Vec::new(),
        };
        let root_uri = uri(root);
        let init = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": [{"uri": root_uri, "name": "repo"}],
                "capabilities": {},
            }),
        );
        assert_eq!(init["serverInfo"]["name"], "goalpost", "{init}");
        assert!(
            init["capabilities"]["hoverProvider"]
                .as_bool()
                .unwrap_or(false)
        );
        c.notify("initialized", json!({}));
        c
    }

    fn write(&mut self, v: &Value) {
        let body = serde_json::to_string(v).expect("JSON");
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to server");
        stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.write(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self, deadline: Instant) -> Value {
        match self
            .incoming
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("the server did not answer in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Sends a request and returns its result (panics on an error answer).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.request_raw(method, params);
        assert!(r.get("error").is_none(), "{method}: {r}");
        r["result"].clone()
    }

    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.write(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let v = self.next(deadline);
            if v["id"] == id && v.get("method").is_none() {
                return v;
            }
            if v.get("method").is_some() && v.get("id").is_some() {
                // A request from the server: answer it empty.
                let answer = json!({"jsonrpc": "2.0", "id": v["id"], "result": null});
                self.write(&answer);
                continue;
            }
            self.notifications.push(v);
        }
    }

    /// Waits for the next `publishDiagnostics` of `uri` for which `done` holds, and returns
    /// its diagnostics.
    pub fn diagnostics(&mut self, uri: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        let mut i = 0;
        loop {
            while i < self.notifications.len() {
                let n = &self.notifications[i];
                i += 1;
                if n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri {
                    let d = n["params"]["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    if done(&d) {
                        self.notifications.drain(..i);
                        return d;
                    }
                }
            }
            let v = self.next(deadline);
            self.notifications.push(v);
        }
    }

    /// Every `publishDiagnostics` received so far, latest per URI.
    pub fn latest_diagnostics(&self) -> std::collections::BTreeMap<String, Vec<Value>> {
        let mut out = std::collections::BTreeMap::new();
        for n in &self.notifications {
            if n["method"] == "textDocument/publishDiagnostics" {
                out.insert(
                    n["params"]["uri"].as_str().unwrap_or_default().to_owned(),
                    n["params"]["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default(),
                );
            }
        }
        out
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// Shuts down and exits; asserts the process ends cleanly, promptly.
    pub fn shutdown(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r, Value::Null);
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "exit status {status}");
                return;
            }
            assert!(started.elapsed() < TIMEOUT, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A position `(line, character)` of the first `needle` in `text`, plus `skip` characters.
fn pos(text: &str, needle: &str, skip: usize) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in the text"))
        + skip;
    let line = text[..at].matches('\n').count();
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": col})
}

fn doc_pos(uri: &str, p: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": p})
}

fn acme() -> tempfile::TempDir {
    let r = repo(&[]);
    copy_dir(&root().join("examples/acme"), r.path());
    r
}

fn codes_of(d: &[Value]) -> Vec<String> {
    d.iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_session_with_a_real_client() {
    let r = acme();
    let mut c = Client::start(r.path(), r.path());
    let q4_path = r.path().join("goals/growth/2026-Q4.yaml");
    let kpis_path = r.path().join("goals/growth/kpis.yaml");
    let (q4, kpis) = (uri(&q4_path), uri(&kpis_path));
    let q4_text = std::fs::read_to_string(&q4_path).expect("read");
    let kpis_text = std::fs::read_to_string(&kpis_path).expect("read");

    c.open(&kpis, &kpis_text);
    c.open(&q4, &q4_text);

    // Hover on a key result's id: its figures as of today.
    let h = c.request(
        "textDocument/hover",
        doc_pos(&q4, pos(&q4_text, "id: support-tickets", 5)),
    );
    let md = h["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        md.contains("**Key result** growth/onboarding/support-tickets"),
        "{md}"
    );
    assert!(md.contains("250 → 176 → 150 tickets/week"), "{md}");
    assert!(md.contains("As of 2026-11-30"), "{md}");
    assert!(!md.contains("last state that validated"), "{md}");

    // Rename a KPI in the open, unsaved buffer: the KR in the other file that links it is
    // now an unknown ref, published for that file.
    let renamed = kpis_text.replace("id: d7-retention", "id: d7-retentoin");
    c.change(&kpis, 2, &renamed);
    let d = c.diagnostics(&q4, |d| codes_of(d).contains(&"unknown-ref".to_owned()));
    let bad = d
        .iter()
        .find(|d| d["code"] == "unknown-ref")
        .expect("unknown-ref");
    assert_eq!(bad["source"], "goalpost");
    assert_eq!(bad["severity"], 1);
    let message = bad["message"].as_str().unwrap_or_default();
    assert!(message.contains("`growth/d7-retention`"), "{message}");
    assert!(
        message.contains("\nhelp: did you mean `growth/d7-retentoin`?"),
        "{message}"
    );
    assert_eq!(
        bad["range"]["start"],
        pos(&q4_text, "kpi: growth/d7-retention", 5)
    );
    assert_eq!(bad["data"]["command"], "goalpost explain unknown-ref");

    // While there are errors, hover shows the last figures that validated, marked.
    let h = c.request(
        "textDocument/hover",
        doc_pos(&q4, pos(&q4_text, "id: support-tickets", 5)),
    );
    let md = h["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(md.contains("last state that validated"), "{md}");
    assert!(md.contains("250 → 176 → 150"), "{md}");
    // And on the diagnostic itself: the explain text.
    let h = c.request(
        "textDocument/hover",
        doc_pos(&q4, pos(&q4_text, "kpi: growth/d7-retention", 8)),
    );
    let md = h["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(md.contains("**goalpost explain unknown-ref**"), "{md}");

    // Code action: the did-you-mean replacement.
    let range = &bad["range"];
    let a = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": q4}, "range": range, "context": {"diagnostics": [bad]}}),
    );
    let edit = &a[0]["edit"]["changes"][&q4][0];
    assert_eq!(edit["newText"], "growth/d7-retentoin", "{a}");
    assert_eq!(a[0]["kind"], "quickfix");

    // Fixed again: the other file's diagnostics are cleared.
    c.change(&kpis, 3, &kpis_text);
    let d = c.diagnostics(&q4, |d| !codes_of(d).contains(&"unknown-ref".to_owned()));
    assert!(d.iter().all(|d| d["severity"] != 1), "{d:?}");

    // Go to definition: `parent:` jumps to the parent objective.
    let def = c.request(
        "textDocument/definition",
        doc_pos(&q4, pos(&q4_text, "parent: company/activation", 12)),
    );
    let company = uri(&r.path().join("goals/company/2026-Q4.yaml"));
    let company_text =
        std::fs::read_to_string(r.path().join("goals/company/2026-Q4.yaml")).expect("read");
    assert_eq!(def[0]["uri"], company, "{def}");
    assert_eq!(
        def[0]["range"]["start"],
        pos(&company_text, "id: activation", 4)
    );
    // A guardrail and a `kpi:` link jump to the KPI.
    let def = c.request(
        "textDocument/definition",
        doc_pos(&q4, pos(&q4_text, "[growth/churn]", 3)),
    );
    assert_eq!(def[0]["uri"], kpis);
    assert_eq!(def[0]["range"]["start"], pos(&kpis_text, "id: churn", 4));
    // A check-in log's ref.
    let log_path = r.path().join("goals/checkins.yaml");
    let log_text = std::fs::read_to_string(&log_path).expect("read");
    let log = uri(&log_path);
    let def = c.request(
        "textDocument/definition",
        doc_pos(&log, pos(&log_text, "ref: growth/onboarding/completion", 8)),
    );
    assert_eq!(def[0]["uri"], q4, "{def}");
    assert_eq!(def[0]["range"]["start"], pos(&q4_text, "id: completion", 4));

    // Find references of a KPI from its definition: the guardrail and the log's refs.
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": kpis}, "position": pos(&kpis_text, "id: churn", 5),
               "context": {"includeDeclaration": true}}),
    );
    let places: Vec<(String, u64)> = refs
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| {
            (
                l["uri"].as_str().unwrap_or_default().to_owned(),
                l["range"]["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        places.contains(&(
            kpis.clone(),
            pos(&kpis_text, "id: churn", 0)["line"].as_u64().unwrap()
        )),
        "{places:?}"
    );
    assert!(
        places.contains(&(
            q4.clone(),
            pos(&q4_text, "[growth/churn]", 0)["line"].as_u64().unwrap()
        )),
        "{places:?}"
    );
    assert_eq!(places.len(), 2, "{places:?}");
    // A KPI that a key result links and the log checks in.
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": kpis}, "position": pos(&kpis_text, "id: nps", 5),
               "context": {"includeDeclaration": false}}),
    );
    let uris: Vec<&str> = refs
        .as_array()
        .expect("locations")
        .iter()
        .filter_map(|l| l["uri"].as_str())
        .collect();
    assert!(uris.contains(&q4.as_str()), "{uris:?}");
    assert!(uris.iter().filter(|u| **u == log).count() >= 2, "{uris:?}");
    assert!(!uris.contains(&kpis.as_str()), "{uris:?}");

    // Completion of KPIs after `kpi: `, of keys, of keyword values.
    let typed = q4_text.replace("kpi: growth/d7-retention", "kpi: gro");
    c.change(&q4, 2, &typed);
    let items = c.request(
        "textDocument/completion",
        doc_pos(&q4, pos(&typed, "kpi: gro", 8)),
    );
    let labels: Vec<&str> = items
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"growth/churn") && labels.contains(&"growth/d7-retention"),
        "{labels:?}"
    );
    assert!(labels.contains(&"platform/uptime"), "{labels:?}");
    let typed = q4_text.replace("    owner: alice\n", "    owner: alice\n    commitment: \n");
    c.change(&q4, 3, &typed);
    let items = c.request(
        "textDocument/completion",
        doc_pos(&q4, pos(&typed, "commitment: ", 12)),
    );
    let labels: Vec<&str> = items
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(labels, ["aspirational", "committed"]);
    let items = c.request(
        "textDocument/completion",
        doc_pos(&q4, pos(&typed, "    commitment: ", 4)),
    );
    let labels: Vec<&str> = items
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"carried_from"), "{labels:?}");
    // Keys the objective already has are not offered again.
    for has in [
        "id",
        "title",
        "owner",
        "parent",
        "guardrails",
        "key_results",
    ] {
        assert!(!labels.contains(&has), "{has} offered again: {labels:?}");
    }
    c.change(&q4, 4, &q4_text);

    // Document symbols: objectives with their key results.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": q4}}),
    );
    assert_eq!(symbols[0]["name"], "onboarding", "{symbols}");
    assert_eq!(
        symbols[0]["detail"],
        "Make onboarding so good that new users don't need support"
    );
    assert_eq!(symbols[0]["children"][0]["name"], "support-tickets");

    // A percentage written as a string: the diagnostic and its fix.
    let pct_path = r.path().join("goals/growth/new.yaml");
    let pct = uri(&pct_path);
    let pct_text = "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: new\n    title: New\n    key_results:\n      - id: k\n        title: K\n        start: \"60%\"\n        target: 80\n      - id: k2\n        title: K2\n        start: 1\n        target: 2\n";
    c.open(&pct, pct_text);
    let d = c.diagnostics(&pct, |d| codes_of(d).contains(&"invalid-type".to_owned()));
    let bad = d
        .iter()
        .find(|d| d["code"] == "invalid-type")
        .expect("invalid-type")
        .clone();
    let a = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": pct}, "range": bad["range"], "context": {"diagnostics": [bad]}}),
    );
    let edits = a[0]["edit"]["changes"][&pct]
        .as_array()
        .expect("edits")
        .clone();
    assert_eq!(edits.len(), 2, "{a}");
    assert_eq!(edits[0]["newText"], "60");
    assert_eq!(edits[1]["newText"], "        unit: \"%\"\n");

    // Hover on a check-in: what it contributes.
    let h = c.request(
        "textDocument/hover",
        doc_pos(&q4, pos(&q4_text, "{ date: 2026-11-16, value: 176", 28)),
    );
    let md = h["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        md.contains("**Check-in** 2026-11-16 of growth/onboarding/support-tickets"),
        "{md}"
    );
    assert!(md.contains("counts: 176 tickets/week"), "{md}");
    assert!(md.contains("the latest check-in"), "{md}");

    // Documents outside the project, or hidden, are neither read nor analysed.
    let outside = repo(&[("x.yaml", "team: [\n")]);
    let outside_uri = uri(&outside.path().join("x.yaml"));
    c.open(&outside_uri, "team: [\n");
    let hidden_uri = uri(&r.path().join("goals/.hidden/x.yaml"));
    c.open(&hidden_uri, "team: [\n");
    let h = c.request(
        "textDocument/hover",
        doc_pos(&outside_uri, json!({"line": 0, "character": 1})),
    );
    assert_eq!(h, Value::Null);
    let latest = c.latest_diagnostics();
    assert!(!latest.contains_key(&outside_uri), "{latest:?}");
    assert!(!latest.contains_key(&hidden_uri), "{latest:?}");

    c.shutdown();
}

/// Hover text is Markdown built from repository text: it goes through the Markdown
/// sanitiser of the reports (no HTML, images, links or mentions).
#[test]
fn hover_text_from_the_repository_is_sanitised() {
    let r = repo(&[(
        "goals/k.yaml",
        "team: t\nkpis:\n  - id: k\n    title: \"<img src=x onerror=alert(1)> [click](https://evil) @everyone **x** see https://evil.example/a www.evil.example\"\n    owner: \"@boss <b>\"\n    better: lower\n    target: 5\n    checkins:\n      - { date: 2026-11-01, value: 4 }\n",
    )]);
    let mut c = Client::start(r.path(), r.path());
    let k = uri(&r.path().join("goals/k.yaml"));
    let text = std::fs::read_to_string(r.path().join("goals/k.yaml")).expect("read");
    let h = c.request("textDocument/hover", doc_pos(&k, pos(&text, "id: k", 4)));
    let md = h["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(md.contains("**KPI** t/k"), "{md}");
    assert!(!md.contains("<img") && !md.contains("<b>"), "{md}");
    assert!(md.contains("&lt;img"), "{md}");
    assert!(!md.contains("[click](https://evil)"), "{md}");
    assert!(
        !md.contains("@everyone") && !md.contains("@boss"),
        "mentions are defused: {md}"
    );
    // Nor does GitHub's renderer (cmark-gfm with its autolinks) find a link in it.
    match crate::outputs::gfm_links(&md) {
        Some(links) => assert!(!links.iter().any(|l| l.contains("evil")), "{links:?}: {md}"),
        None => crate::tools::missing("hover_text_from_the_repository_is_sanitised", "cmark-gfm"),
    }
    c.shutdown();
}

/// A save, or a change the editor reports, reads again what changed on disk; goalpost.toml
/// open in the editor is validated from its buffer.
#[test]
fn saves_read_what_changed_on_disk_and_the_config_is_checked() {
    let r = acme();
    let mut c = Client::start(r.path(), r.path());
    let q4_path = r.path().join("goals/growth/2026-Q4.yaml");
    let q4 = uri(&q4_path);
    let text = std::fs::read_to_string(&q4_path).expect("read");
    let kpis = uri(&r.path().join("goals/growth/kpis.yaml"));
    let kpis_text = std::fs::read_to_string(r.path().join("goals/growth/kpis.yaml")).expect("read");
    c.open(&kpis, &kpis_text);
    // Another program breaks a file that is not open; the editor saves another one.
    std::fs::write(
        &q4_path,
        text.replace("parent: company/activation", "parent: company/x"),
    )
    .expect("write");
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": kpis}}),
    );
    let d = c.diagnostics(&q4, |d| codes_of(d).contains(&"unknown-ref".to_owned()));
    assert!(
        d.iter()
            .any(|d| d["message"].as_str().unwrap_or("").contains("company/x")),
        "{d:?}"
    );
    // Fixed on disk: the editor's file watcher says so.
    std::fs::write(&q4_path, &text).expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": q4, "type": 2}]}),
    );
    c.diagnostics(&q4, |d| !codes_of(d).contains(&"unknown-ref".to_owned()));

    // goalpost.toml from its buffer.
    let toml_path = r.path().join("goalpost.toml");
    let toml = uri(&toml_path);
    let toml_text = std::fs::read_to_string(&toml_path).expect("read");
    c.open(
        &toml,
        &toml_text.replace("stale_days = 14", "stale_days = \"x\""),
    );
    let d = c.diagnostics(&toml, |d| !d.is_empty());
    assert_eq!(codes_of(&d), ["invalid-config"], "{d:?}");
    c.change(&toml, 2, &toml_text);
    let d = c.diagnostics(&toml, |d| d.is_empty());
    assert!(d.is_empty());
    c.shutdown();
}

/// The same diagnostics as `goalpost check`: codes, messages (with the help on the next
/// line), places.
#[test]
fn diagnostics_are_checks_own() {
    let dir = root().join("tests/fixtures/invalid");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    for name in names.iter().take(40) {
        let r = repo(&[]);
        let bytes = std::fs::read(dir.join(name)).expect("read");
        write(r.path(), "goals/x.yaml", &bytes);
        let o = run(r.path(), &["check", "--format", "json"]);
        let v: Value = serde_json::from_slice(&o.stdout).expect("check JSON");
        let mut want: Vec<(String, String, u64, u64)> = v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["file"] == "goals/x.yaml")
            .map(|d| {
                let mut m = d["message"].as_str().unwrap_or_default().to_owned();
                if let Some(h) = d["help"].as_str() {
                    m.push_str("\nhelp: ");
                    m.push_str(h);
                }
                (
                    d["code"].as_str().unwrap_or_default().to_owned(),
                    m,
                    d["line"].as_u64().unwrap_or(0),
                    d["column"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        let mut c = Client::start(r.path(), r.path());
        let x = uri(&r.path().join("goals/x.yaml"));
        let got = if want.is_empty() {
            Vec::new()
        } else {
            c.diagnostics(&x, |_| true)
        };
        let text = String::from_utf8_lossy(&bytes);
        let mut got: Vec<(String, String, u64, u64)> = got
            .iter()
            .map(|d| {
                let line = d["range"]["start"]["line"].as_u64().unwrap_or(0);
                let units = d["range"]["start"]["character"].as_u64().unwrap_or(0);
                // UTF-16 units → the characters `check` counts.
                let l = text.lines().nth(line as usize).unwrap_or("");
                let mut n = 0u64;
                let mut chars = 0u64;
                for ch in l.chars() {
                    if n >= units {
                        break;
                    }
                    n += ch.len_utf16() as u64;
                    chars += 1;
                }
                (
                    d["code"].as_str().unwrap_or_default().to_owned(),
                    d["message"].as_str().unwrap_or_default().to_owned(),
                    line + 1,
                    chars + 1,
                )
            })
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{name}");
        c.shutdown();
    }
}

/// The seeds of the fuzz targets (fixtures, examples, the built-in seeds of
/// `fuzz/seed.sh`), any local fuzz corpus, and the bad-input corpus.
fn buffers() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if (p.extension().is_some_and(|x| x == "yaml" || x == "yml")
                || p.parent()
                    .is_some_and(|d| d.ends_with("load_validate_score")))
                && let Ok(b) = std::fs::read(&p)
                && b.len() <= 1 << 16
            {
                out.push((p.display().to_string(), b));
            }
        }
    }
    walk(&root().join("tests/fixtures"), &mut out);
    walk(&root().join("examples"), &mut out);
    // A local fuzz corpus (never committed) grows to thousands of inputs, each half a second in
    // a debug build: a spread of 200 of them, the same ones every run.
    let mut corpus = Vec::new();
    walk(&root().join("fuzz/corpus/load_validate_score"), &mut corpus);
    corpus.sort();
    let step = corpus.len().div_ceil(200).max(1);
    out.extend(corpus.into_iter().step_by(step));
    // The built-in seeds: every heredoc of fuzz/seed.sh that is YAML.
    let seed = std::fs::read_to_string(root().join("fuzz/seed.sh")).expect("seed.sh");
    for block in seed.split("<<'YAML'\n").skip(1) {
        if let Some(text) = block.split("\nYAML\n").next() {
            out.push(("seed.sh".to_owned(), text.as_bytes().to_vec()));
        }
    }
    for (name, bytes, ..) in crate::corpus::cases() {
        out.push((format!("corpus {name}"), bytes));
    }
    out
}

/// No buffer makes the server panic or hang: each is opened, asked everything at several
/// places, changed and closed, and the server still answers and shuts down cleanly.
#[test]
fn no_buffer_breaks_the_server() {
    let r = acme();
    let mut c = Client::start(r.path(), r.path());
    let x = uri(&r.path().join("goals/growth/x.yaml"));
    let buffers = buffers();
    assert!(buffers.len() >= 80, "only {} buffers", buffers.len());
    for (i, (name, bytes)) in buffers.iter().enumerate() {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let started = Instant::now();
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": x, "languageId": "yaml", "version": 1, "text": text}}),
        );
        let lines = text.matches('\n').count();
        let mut places: Vec<Value> = vec![json!({"line": 0, "character": 0})];
        for line in [1, lines / 2, lines, lines + 3] {
            for character in [0, 3, 9, 40, 10_000] {
                places.push(json!({"line": line, "character": character}));
            }
        }
        // The first lines of short buffers too; a few places in the huge ones (each request
        // parses the buffer again, which takes a while in a debug build).
        places.extend((0..lines.min(12)).map(|l| json!({"line": l, "character": 6})));
        if text.len() > 100_000 {
            places.truncate(3);
        }
        for p in &places {
            for method in [
                "textDocument/hover",
                "textDocument/definition",
                "textDocument/completion",
            ] {
                let v = c.request_raw(method, doc_pos(&x, p.clone()));
                assert!(v.get("error").is_none(), "{name}: {method} at {p}: {v}");
            }
            let refs = c.request_raw(
                "textDocument/references",
                json!({"textDocument": {"uri": x}, "position": p, "context": {"includeDeclaration": true}}),
            );
            assert!(refs.get("error").is_none(), "{name}: {refs}");
        }
        let v = c.request_raw(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": x}}),
        );
        assert!(v.get("error").is_none(), "{name}: {v}");
        let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": lines + 1, "character": 0}});
        let v = c.request_raw(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": x}, "range": whole, "context": {"diagnostics": []}}),
        );
        assert!(v.get("error").is_none(), "{name}: {v}");
        // An incremental edit in the middle, then close.
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": x, "version": 2}, "contentChanges": [
                {"range": {"start": {"line": lines / 2, "character": 2}, "end": {"line": lines / 2 + 1, "character": 1}}, "text": "é: [\n"}
            ]}),
        );
        c.notify("textDocument/didClose", json!({"textDocument": {"uri": x}}));
        assert!(
            started.elapsed() < TIMEOUT,
            "{name} ({i}): took {:?}",
            started.elapsed()
        );
        c.notifications.clear();
        if std::env::var_os("GOALPOST_LSP_TIMES").is_some() {
            eprintln!("{:>8.3} s  {name}", started.elapsed().as_secs_f64());
        }
    }
    c.shutdown();
}

/// The server reads nothing before `initialize`, ends when its input closes without
/// `exit`, and answers unknown requests with an error instead of failing.
#[test]
fn unknown_requests_and_a_closed_input() {
    let r = acme();
    let mut c = Client::start(r.path(), r.path());
    let v = c.request_raw("goalpost/unknown", json!({}));
    assert_eq!(v["error"]["code"], -32601, "{v}");
    drop(c.stdin.take());
    let started = Instant::now();
    while c.child.try_wait().expect("wait").is_none() {
        assert!(started.elapsed() < TIMEOUT, "the server did not end");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The benchmark of `benches/lsp_bench.sh` (run with `--release --ignored`): on the
/// generated organisation in `GOALPOST_BENCH_ORG`, the time from a `didChange` of one goal
/// file to the `publishDiagnostics` of that file, over edits that alternately break the
/// file (an unknown key) and fix it, and the server's memory.
#[test]
#[ignore = "a benchmark: benches/lsp_bench.sh"]
fn bench_diagnostics_after_a_change() {
    let Some(org) = std::env::var_os("GOALPOST_BENCH_ORG") else {
        panic!("set GOALPOST_BENCH_ORG to a directory made by benches/gen_org.py");
    };
    let org = std::path::PathBuf::from(org);
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(40);
    let started = Instant::now();
    let today = std::env::var("TODAY").unwrap_or_else(|_| "2026-11-15".to_owned());
    let mut c = Client::start_on(&org, &org, &today);
    let file = org.join("goals/team-0150/2026-Q4.yaml");
    let file = if file.is_file() {
        file
    } else {
        let mut teams: Vec<_> = std::fs::read_dir(org.join("goals"))
            .expect("goals")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.join("2026-Q4.yaml").is_file())
            .collect();
        teams.sort();
        teams[teams.len() / 2].join("2026-Q4.yaml")
    };
    let u = uri(&file);
    let text = std::fs::read_to_string(&file).expect("read");
    c.open(&u, &text);
    // Ready: the first answer after the whole organisation was read and validated.
    let _ = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    let ready = started.elapsed();
    let rss_ready = rss_kib(c.child.id()).0;
    // What was published before the first edit is not waited for.
    c.notifications.clear();
    let broken = text.replacen("    title: ", "    titel: ", 1);
    // A person reads the result before the next edit; 0 sends edits back to back.
    let pause: u64 = std::env::var("PAUSE_MS")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(250);
    let mut times = Vec::new();
    let mut cpu: Vec<f64> = Vec::new();
    // Updates answered quickly first, and the whole validations that followed them.
    let (mut quick, mut wholes) = (0usize, Vec::<f64>::new());
    for i in 0..rounds {
        let (body, want_error) = if i % 2 == 0 {
            (&broken, true)
        } else {
            (&text, false)
        };
        std::thread::sleep(Duration::from_millis(pause));
        let t = Instant::now();
        c.change(&u, i as i32 + 2, body);
        let logged = |c: &Client| {
            if std::env::var_os("GOALPOST_LSP_LOG").is_some() {
                for n in &c.notifications {
                    if n["method"] == "window/logMessage" {
                        eprintln!("{}", n["params"]["message"]);
                    }
                }
            }
        };
        logged(&c);
        c.diagnostics(&u, |d| {
            d.iter().any(|d| d["code"] == "unknown-key") == want_error
        });
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        // The server logs each update's timings right after its diagnostics: a quick answer
        // first when it can give one, then the whole project's validation (waited for, so
        // that the next edit finds the server idle, and timed).
        let deadline = Instant::now() + TIMEOUT;
        let wait_for = |c: &mut Client, what: &str| loop {
            if let Some(m) = c.notifications.iter().find_map(|n| {
                n["params"]["message"]
                    .as_str()
                    .filter(|m| m.contains(what))
                    .map(str::to_owned)
            }) {
                break m;
            }
            let v = c.next(deadline);
            c.notifications.push(v);
        };
        let first = wait_for(&mut c, "goalpost: ");
        let log = if first.contains("the whole project follows") {
            quick += 1;
            let whole = wait_for(&mut c, "goal files in");
            wholes.extend(ms_after(&whole, "goal files in "));
            if std::env::var_os("GOALPOST_LSP_LOG").is_some() {
                eprintln!("   then: {whole}");
            }
            first
        } else {
            wait_for(&mut c, "goal files in")
        };
        cpu.extend(ms_after(&log, "on a CPU "));
        if std::env::var_os("GOALPOST_LSP_LOG").is_some() {
            eprintln!("{:.0} ms: {log}", times[times.len() - 1]);
        }
        c.notifications.clear();
    }
    let (rss, peak) = rss_kib(c.child.id());
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let pick = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let cpu_median = cpu.get(cpu.len() / 2).copied().unwrap_or(f64::NAN);
    fn count(dir: &Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |d| {
            d.flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        count(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
    }
    println!(
        "lsp: {} goal files; ready after {:.0} ms; change -> diagnostics of {} over {} edits {pause} ms apart: best {:.0} ms, median {:.0} ms, p90 {:.0} ms, worst {:.0} ms; the server's thread on a CPU for {:.0} ms of an update (median); server RSS {} MiB when ready, {} MiB after the edits (peak {} MiB)",
        count(&org.join("goals")),
        ready.as_secs_f64() * 1000.0,
        file.strip_prefix(&org).unwrap_or(&file).display(),
        times.len(),
        pick(0.0),
        pick(0.5),
        pick(0.9),
        pick(1.0),
        cpu_median,
        rss_ready / 1024,
        rss / 1024,
        peak / 1024,
    );
    if quick > 0 {
        wholes.sort_by(f64::total_cmp);
        println!(
            "lsp: {quick} of {} updates answered the edited file first; the whole validation that followed each: median {:.0} ms, worst {:.0} ms",
            times.len(),
            wholes.get(wholes.len() / 2).copied().unwrap_or(f64::NAN),
            wholes.last().copied().unwrap_or(f64::NAN),
        );
    }
    assert!(rss > 0, "no /proc status for the server");
    c.shutdown();
}

/// The number of milliseconds a server log line gives right after `marker`.
fn ms_after(log: &str, marker: &str) -> Option<f64> {
    log.split(marker).nth(1)?.split(' ').next()?.parse().ok()
}

/// The resident and peak resident memory of a process, in KiB (0 where /proc has none).
fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (kb("VmRSS:"), kb("VmHWM:"))
}

/// `goalpost lsp` fed `chunks` on stdin (each written whole, or until the server stops
/// reading) and then end of input: its exit status, its stderr and how many bytes it took.
fn lsp_fed(
    chunks: impl Iterator<Item = Vec<u8>> + Send + 'static,
) -> (std::process::ExitStatus, String, usize) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut child = Command::new(bin())
        .arg("lsp")
        .current_dir(dir.path())
        .env("GOALPOST_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("goalpost lsp starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let mut sent = 0;
        for chunk in chunks {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
            sent += chunk.len();
        }
        sent
    });
    let mut err = child.stderr.take().expect("stderr");
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("goalpost lsp did not end within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status,
        errors.join().expect("stderr"),
        writer.join().expect("the writer"),
    )
}

#[test]
fn framing_that_breaks_the_bounds_ends_the_server_with_a_clear_error() {
    // Issue 23: `Content-Length: 100000000000` aborted the process (allocation failure),
    // 18446744073709551615 panicked it, and a header line without end grew its memory.
    for (header, says) in [
        ("Content-Length: 100000000000\r\n\r\n", "Content-Length"),
        (
            "Content-Length: 18446744073709551615\r\n\r\n",
            "Content-Length",
        ),
        (
            "Content-Length: 99999999999999999999999\r\n\r\n",
            "Content-Length",
        ),
        ("Content-Length: -1\r\n\r\n", "Content-Length"),
        ("Content-Type: x\r\n\r\n{}", "Content-Length"),
        ("Content-Length: 2\r\n\r\n{}", "message"),
    ] {
        let (status, err, _) = lsp_fed(std::iter::once(header.as_bytes().to_vec()));
        assert_eq!(status.code(), Some(3), "{header:?}: {err}");
        assert!(
            err.contains("language server") && err.contains(says) && !err.contains("panicked"),
            "{header:?}: {err}"
        );
    }
    // 1 GiB of one header line, in 64 KiB pieces: the server stops reading it long before.
    let piece = vec![b'a'; 64 * 1024];
    let (status, err, sent) = lsp_fed(std::iter::repeat_n(piece, 16 * 1024));
    assert_eq!(status.code(), Some(3), "{err}");
    assert!(err.contains("header"), "{err}");
    assert!(
        sent < 16 * 1024 * 1024,
        "the server read {sent} bytes of one header line"
    );
    // Ever more header lines, each short: bounded too.
    let (status, err, sent) = lsp_fed(std::iter::repeat_n(b"X-Pad: y\r\n".to_vec(), 1 << 24));
    assert_eq!(status.code(), Some(3), "{err}");
    assert!(
        sent < 16 * 1024 * 1024,
        "the server read {sent} bytes of headers"
    );
}

/// Applies LSP text edits (non-overlapping, any order) to a text; positions in UTF-16 are
/// byte columns here (the texts are ASCII).
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().expect("line") as usize;
        let col = p["character"].as_u64().expect("character") as usize;
        text.split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            + col
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().expect("newText").to_owned(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

const PLANNED: &str = "team: growth
period: 2026-Q4
objectives:
  - id: onboarding
    title: Make onboarding so good that users don't need support
    description: \"Why: <b>new</b> users @all reach [a report](https://evil.example) alone\"
    key_results:
      - id: tickets
        title: Reduce weekly support tickets from 250 to 150
        owner: carol
        cadence: biweekly
        start: 250
        target: 150
        revisions:
          - { date: 2026-10-20, target: 170, reason: the FAQ project was cut }
        checkins:
          - { date: 2026-11-02, value: 200 }
      - id: completion
        title: Increase onboarding completion from 60% to 80%
        description: Share of sign-ups that finish the checklist.
        start: 60
        target: 80
        unit: \"%\"
        checkins:
          - { date: 2026-11-05, value: 70 }
";

/// SPEC 3.4 in the editor: completion of the new keys and the key result cadences, hover
/// on a key (its schema description) and on an item (its sanitised description), and, in a
/// real git repository, the code action that turns a target edited in place into a revision.
#[test]
fn revisions_drops_and_descriptions_in_the_editor() {
    let r = repo(&[("goals/g.yaml", PLANNED)]);
    git_as(r.path(), "Test", &["init", "-q", "-b", "main"]);
    git_as(r.path(), "Test", &["add", "-A"]);
    git_as(r.path(), "Test", &["commit", "-q", "-m", "plan"]);
    let mut c = Client::start_on(r.path(), r.path(), "2026-11-15");
    let g = uri(&r.path().join("goals/g.yaml"));
    c.open(&g, PLANNED);
    let labels = |v: &Value| -> Vec<String> {
        let items = v.get("items").unwrap_or(v);
        items
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["label"].as_str().map(str::to_owned))
            .collect()
    };

    // Completion: a revision's keys, a drop's, a key result's cadence words.
    let typing = PLANNED.replace(
        "reason: the FAQ project was cut }\n",
        "reason: the FAQ project was cut }\n          - date: 2026-11-10\n            \n",
    );
    c.change(&g, 2, &typing);
    let at = pos(&typing, "- date: 2026-11-10\n            ", 31);
    let k = labels(&c.request("textDocument/completion", doc_pos(&g, at)));
    assert_eq!(k, ["reason", "start", "target"]);
    let typing = PLANNED.replace(
        "        cadence: biweekly\n",
        "        cadence: \n        dropped: { \n",
    );
    c.change(&g, 3, &typing);
    let k = labels(&c.request(
        "textDocument/completion",
        doc_pos(&g, pos(&typing, "cadence: \n", 9)),
    ));
    assert_eq!(k, ["weekly", "biweekly", "monthly"]);
    let k = labels(&c.request(
        "textDocument/completion",
        doc_pos(&g, pos(&typing, "dropped: { \n", 11)),
    ));
    assert_eq!(k, ["date", "reason"]);
    c.change(&g, 4, PLANNED);

    // Hover on a key: what it means, from the goal-file schema.
    let hover = |c: &mut Client, at: Value| -> String {
        let h = c.request("textDocument/hover", doc_pos(&g, at));
        h["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let md = hover(&mut c, pos(PLANNED, "cadence: biweekly", 2));
    assert!(
        md.contains("**cadence:** How often it is checked in"),
        "{md}"
    );
    let md = hover(&mut c, pos(PLANNED, "revisions:", 3));
    assert!(
        md.contains("**revisions:** Re-planning with a reason"),
        "{md}"
    );
    // On an item's id or title: its description, sanitised like every text.
    let md = hover(&mut c, pos(PLANNED, "title: Make onboarding", 12));
    assert!(md.contains("**Objective** growth/onboarding"), "{md}");
    assert!(
        md.contains("Why: &lt;b&gt;new&lt;/b&gt; users @\u{2060}all"),
        "{md}"
    );
    assert!(!md.contains("<b>") && !md.contains("](https://"), "{md}");
    let md = hover(&mut c, pos(PLANNED, "id: completion", 5));
    assert!(md.contains("that finish the checklist"), "{md}");
    let md = hover(&mut c, pos(PLANNED, "id: tickets", 5));
    assert!(md.contains("1 revision, the latest on 2026-10-20"), "{md}");
    assert!(md.contains("owner carol · cadence biweekly"), "{md}");

    // The committed target, unchanged: no action on its line.
    let target_line = |text: &str, needle: &str| -> Value {
        let p = pos(text, needle, 0);
        json!({"start": p, "end": p})
    };
    let actions = |c: &mut Client, range: Value| -> Vec<Value> {
        let a = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": g}, "range": range, "context": {"diagnostics": []}}),
        );
        a.as_array().cloned().unwrap_or_default()
    };
    assert!(actions(&mut c, target_line(PLANNED, "target: 150")).is_empty());

    // Edited in place: put the committed value back and append a revision instead.
    let moved = PLANNED.replace("target: 150", "target: 140");
    c.change(&g, 5, &moved);
    let a = actions(&mut c, target_line(&moved, "target: 140"));
    let revise = a
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Record a revision instead of editing `target`"))
        })
        .unwrap_or_else(|| panic!("no revise action: {a:?}"));
    assert_eq!(revise["kind"], "refactor.rewrite");
    let fixed = apply(
        &moved,
        revise["edit"]["changes"][&g].as_array().expect("edits"),
    );
    assert_eq!(
        fixed,
        PLANNED.replace(
            "reason: the FAQ project was cut }\n",
            "reason: the FAQ project was cut }\n          - { date: 2026-11-15, target: 140, reason: \"\" }\n",
        )
    );
    // A start edited in place, on a key result without revisions: a new `revisions:`.
    let moved = PLANNED.replace("start: 60", "start: 55");
    c.change(&g, 6, &moved);
    let a = actions(&mut c, target_line(&moved, "start: 55"));
    assert_eq!(a.len(), 1, "{a:?}");
    let fixed = apply(
        &moved,
        a[0]["edit"]["changes"][&g].as_array().expect("edits"),
    );
    let expected = PLANNED.replace(
        "        start: 60\n",
        "        start: 60\n        revisions:\n          - { date: 2026-11-15, start: 55, reason: \"\" }\n",
    );
    assert_eq!(fixed, expected);
    // Once the reason is written, the file is valid and scores the revised start.
    std::fs::write(
        r.path().join("goals/g.yaml"),
        fixed.replace("reason: \"\"", "reason: recounted"),
    )
    .expect("write");
    let o = run(r.path(), &["check", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    c.shutdown();
}

/// Goals across repositories (SPEC 13) in the editor: the snapshots are read as `check`
/// reads them, so refs into an upstream resolve, a typo is `unknown-ref` naming the pin, an
/// edit to a snapshot is `upstream-modified` on that file, and hover and go-to-definition
/// reach the upstream's items.
#[test]
fn upstream_refs_resolve_in_the_editor() {
    let (top, commit) = crate::upstream::two_repos();
    let growth = top.path().join("growth");
    crate::upstream::ok(&run(&growth, &["upstream", "update"]));
    let short = &commit[..10];
    let mut c = Client::start(&growth, &growth);
    let path = growth.join("goals/growth/2026-q4.yaml");
    let (doc, text) = (uri(&path), std::fs::read_to_string(&path).expect("read"));
    c.open(&doc, &text);

    // Hover on the parent: the upstream objective and its pin. Answered after the first
    // diagnostics were published: there are none.
    let h = c.request(
        "textDocument/hover",
        doc_pos(&doc, pos(&text, "company:company/grow", 17)),
    );
    let md = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(md.contains("Grow revenue in the mid-market"), "{md}");
    assert!(md.contains("company:company/grow"), "{md}");
    assert!(md.contains(&format!("pinned at commit `{short}`")), "{md}");
    assert!(md.contains("score **"), "{md}");
    let latest = c.latest_diagnostics();
    assert!(latest.values().all(|d| d.is_empty()), "{latest:?}");
    // On a KPI ref: the upstream KPI.
    let h = c.request(
        "textDocument/hover",
        doc_pos(&doc, pos(&text, "kpi: company:company/nps", 20)),
    );
    let md = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(md.contains("Net promoter score"), "{md}");
    assert!(md.contains(short), "{md}");

    // Go to definition: the `id:` in the snapshot.
    let snap_path = growth.join("upstreams/company/goals/company/2026-q4.yaml");
    let snap = uri(&snap_path);
    let snap_text = std::fs::read_to_string(&snap_path).expect("read");
    let found = c.request(
        "textDocument/definition",
        doc_pos(&doc, pos(&text, "company:company/grow", 17)),
    );
    assert_eq!(found[0]["uri"], snap.as_str(), "{found}");
    assert_eq!(
        found[0]["range"]["start"],
        pos(&snap_text, "id: grow", 4),
        "{found}"
    );
    let found = c.request(
        "textDocument/definition",
        doc_pos(&doc, pos(&text, "[company:company/nps", 18)),
    );
    assert_eq!(found[0]["uri"], snap.as_str(), "{found}");
    assert_eq!(
        found[0]["range"]["start"],
        pos(&snap_text, "id: nps", 4),
        "{found}"
    );

    // A typo in an upstream ref: unknown-ref naming the upstream and its pin; then fixed.
    c.change(
        &doc,
        2,
        &text.replace(
            "parent: company:company/grow",
            "parent: company:company/grwo",
        ),
    );
    let d = c.diagnostics(&doc, |d| !d.is_empty());
    assert_eq!(codes_of(&d), ["unknown-ref"], "{d:?}");
    let message = d[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("company:company/grwo"), "{message}");
    assert!(message.contains(short), "{message}");
    c.change(&doc, 3, &text);
    c.diagnostics(&doc, |d| d.is_empty());

    // Completion offers the upstream's items, the name typed so far replaced.
    let typing = text.replace("parent: company:company/grow", "parent: company:co");
    c.change(&doc, 4, &typing);
    let items = c.request(
        "textDocument/completion",
        doc_pos(&doc, pos(&typing, "company:co\n", 10)),
    );
    let items = items.as_array().cloned().unwrap_or_default();
    let grow = items
        .iter()
        .find(|i| i["label"] == "company:company/grow")
        .unwrap_or_else(|| panic!("{items:?}"));
    assert_eq!(
        grow["textEdit"]["range"]["start"],
        pos(&typing, "company:co\n", 0),
        "{grow}"
    );
    assert!(
        !items.iter().any(|i| i["label"] == "company:company/nps"),
        "a parent is an objective: {items:?}"
    );
    let kpi_line = "kpi: company:company/nps";
    let typing = text.replace(kpi_line, "kpi: comp");
    c.change(&doc, 5, &typing);
    let items = c.request(
        "textDocument/completion",
        doc_pos(&doc, pos(&typing, "kpi: comp", 9)),
    );
    assert!(
        items
            .as_array()
            .is_some_and(|v| v.iter().any(|i| i["label"] == "company:company/nps")),
        "{items}"
    );
    c.change(&doc, 6, &text);
    c.diagnostics(&doc, |d| d.is_empty());

    // An edit to the snapshot in the editor: upstream-modified on that file, live; undone,
    // it is gone.
    c.open(&snap, &snap_text);
    c.change(
        &snap,
        2,
        &snap_text.replace("Grow revenue", "Grow all revenue"),
    );
    let d = c.diagnostics(&snap, |d| !d.is_empty());
    assert_eq!(codes_of(&d), ["upstream-modified"], "{d:?}");
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("differs from the version goalpost.lock pins"),
        "{d:?}"
    );
    c.change(&snap, 3, &snap_text);
    c.diagnostics(&snap, |d| d.is_empty());
    // The same on disk, seen when the editor says files changed.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": snap}}),
    );
    std::fs::write(
        &snap_path,
        snap_text.replace("Grow revenue", "Grow all revenue"),
    )
    .expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": snap, "type": 2}]}),
    );
    let d = c.diagnostics(&snap, |d| !d.is_empty());
    assert_eq!(codes_of(&d), ["upstream-modified"], "{d:?}");
    std::fs::write(&snap_path, &snap_text).expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": snap, "type": 2}]}),
    );
    c.diagnostics(&snap, |d| d.is_empty());
    c.shutdown();
}
