//! Only `pull` and `upstream update` reach the network (SPEC 10, 11, 13). Every other
//! command, on a repository whose KPIs name a Prometheus source and whose goalpost.toml
//! declares an upstream on the same server, opens no connection to it; `pull` connects only to the URL
//! goalpost.toml names, follows no redirect to another host, reads a bounded answer and never
//! prints the token. The servers here are sockets of this test on the loopback interface.

use super::*;
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

const GOALS: &str = "team: growth\nkpis:\n  - id: latency\n    title: p95 latency\n    better: lower\n    target: 250\n    source: { from: prom, query: 'histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))' }\n";

/// A repository whose KPI's source is the server at `url`, committed on `main`.
fn repository(url: &str, token_env: Option<&str>) -> tempfile::TempDir {
    let token = token_env
        .map(|t| format!("token_env = \"{t}\"\n"))
        .unwrap_or_default();
    let r = repo(&[
        (
            "goalpost.toml",
            &format!(
                "[sources.prom]\nkind = \"prometheus\"\nurl = \"{url}\"\ntimeout_secs = 1\n{token}\n[upstreams.company]\nurl = \"{url}/company\"\nref = \"main\"\ntimeout_secs = 1\n"
            ),
        ),
        ("goals/kpis.yaml", GOALS),
        (
            "goals/checkins.yaml",
            "checkins:\n  - { ref: growth/latency, date: 2026-11-01, value: 240 }\n",
        ),
        ("in.csv", "ref,date,value\ngrowth/latency,2026-11-08,230\n"),
    ]);
    commit_all(r.path());
    r
}

/// Whether anyone connected to `listener` (non-blocking) since the last call.
fn connected(listener: &TcpListener) -> bool {
    match listener.accept() {
        Ok(_) => true,
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => false,
        Err(e) => panic!("accept: {e}"),
    }
}

#[test]
fn no_command_but_pull_and_upstream_update_opens_a_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    listener.set_nonblocking(true).expect("non-blocking");
    let port = listener.local_addr().expect("address").port();
    let r = repository(&format!("http://127.0.0.1:{port}"), None);
    let dir = r.path();
    let commands: &[&[&str]] = &[
        &["check"],
        &["check", "--format", "json"],
        &["check", "--base", "main"],
        &["status"],
        &["status", "--format", "json"],
        &["status", "--format", "markdown"],
        &["status", "--format", "csv"],
        &["show", "growth/latency"],
        &["log", "growth/latency"],
        &["report", "--format", "markdown"],
        &["report", "--format", "html", "-o", "report.html"],
        &["diff"],
        &["digest", "--format", "slack"],
        &["--at", "main", "status"],
        &["checkin", "growth/latency", "235", "--date", "2026-11-05"],
        &["checkin", "--from", "in.csv"],
        &["schema"],
        &["schema", "--config"],
        &["explain"],
        &["completions", "bash"],
        &["init", "elsewhere"],
    ];
    for args in commands {
        let o = run_guarded(dir, args, &[("GOALPOST_TODAY", TODAY)], 60);
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            !connected(&listener),
            "`goalpost {}` connected to the source",
            args.join(" ")
        );
    }
    // The listener does see a connection: `pull` makes one (and, with no answer, times out).
    let o = run_guarded(
        dir,
        &["pull", "--dry-run"],
        &[("GOALPOST_TODAY", TODAY)],
        60,
    );
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(connected(&listener), "pull did not connect");
    // And `upstream update` makes one, to the upstream's URL (no answer: exit 3, nothing
    // written).
    let o = run_guarded(
        dir,
        &["upstream", "update"],
        &[("GOALPOST_TODAY", TODAY)],
        60,
    );
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(connected(&listener), "upstream update did not connect");
    assert!(!dir.join("goalpost.lock").exists());
}

/// A one-thread HTTP server on a loopback port: answers each request with `answer(request
/// head)` and records the heads, until `connections` connections have been served.
fn serve(
    connections: usize,
    answer: impl Fn(&str, u16) -> Vec<u8> + Send + 'static,
) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("address").port();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    std::thread::spawn(move || {
        for _ in 0..connections {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let _ = stream.write_all(&answer(&head, port));
            seen.lock().expect("lock").push(head);
        }
    });
    (port, heads)
}

fn http(status: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

const ONE_SAMPLE: &str = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"212"]}]}}"#;

#[test]
fn redirects_are_followed_only_on_the_same_host_and_the_token_is_never_printed() {
    let token = "s3cret-t0ken-value";
    // Elsewhere: a second server that must never be asked.
    let (other, other_heads) = serve(1, |_, _| http("200 OK", "", ONE_SAMPLE));
    let (port, heads) = serve(2, move |head, _| {
        if head.starts_with("GET /moved/") {
            http("200 OK", "", ONE_SAMPLE)
        } else if head.contains("query=hop") {
            http(
                "302 Found",
                &format!("Location: http://localhost:{other}/api/v1/query?query=up\r\n"),
                "",
            )
        } else {
            let path = head.split(' ').nth(1).unwrap_or("/");
            http(
                "307 Temporary Redirect",
                &format!("Location: /moved{path}\r\n"),
                "",
            )
        }
    });
    let r = repository(&format!("http://127.0.0.1:{port}"), Some("PROM_TOKEN"));
    let env = [("GOALPOST_TODAY", TODAY), ("PROM_TOKEN", token)];
    let o = run_guarded(r.path(), &["pull", "--dry-run"], &env, 60);
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        out.contains("value: 212, note: pulled from prom, by: goalpost pull"),
        "{out}"
    );
    let heads = heads.lock().expect("lock").clone();
    assert_eq!(heads.len(), 2, "{heads:?}");
    for h in &heads {
        assert!(
            h.contains(&format!("authorization: Bearer {token}"))
                || h.contains(&format!("Authorization: Bearer {token}")),
            "{h}"
        );
    }
    assert!(!out.contains(token) && !err.contains(token));
    // A redirect to another host (here: another port) is refused, and nothing is sent there.
    std::fs::write(
        r.path().join("goals/kpis.yaml"),
        GOALS.replace(
            "histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))",
            "hop",
        ),
    )
    .expect("write");
    let (port2, _) = serve(1, move |_, _| {
        http(
            "302 Found",
            &format!("Location: http://127.0.0.1:{other}/api/v1/query?query=up\r\n"),
            "",
        )
    });
    std::fs::write(
        r.path().join("goalpost.toml"),
        format!("[sources.prom]\nkind = \"prometheus\"\nurl = \"http://127.0.0.1:{port2}\"\ntimeout_secs = 1\ntoken_env = \"PROM_TOKEN\"\n"),
    )
    .expect("write");
    let o = run_guarded(r.path(), &["pull"], &env, 60);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("not on the same host"), "{err}");
    assert!(!err.contains(token), "{err}");
    assert!(
        other_heads.lock().expect("lock").is_empty(),
        "the other host was asked"
    );
}

#[test]
fn an_answer_larger_than_the_bound_is_refused() {
    let big = format!(
        "{{\"status\":\"success\",\"pad\":\"{}\"}}",
        "x".repeat(5 * 1024 * 1024)
    );
    let (port, _) = serve(1, move |_, _| http("200 OK", "", &big));
    let r = repository(&format!("http://127.0.0.1:{port}"), None);
    let o = run_guarded(r.path(), &["pull"], &[("GOALPOST_TODAY", TODAY)], 60);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("larger than 4 MiB"), "{err}");
}

#[test]
fn what_the_server_says_reaches_the_terminal_escaped() {
    let evil = r#"{"status":"error","errorType":"bad_data\u001b]52;c;aGk=\u0007","error":"line\n::error::forged"}"#;
    let (port, _) = serve(1, move |_, _| http("400 Bad Request", "", evil));
    let r = repository(&format!("http://127.0.0.1:{port}"), None);
    let o = run_guarded(r.path(), &["pull"], &[("GOALPOST_TODAY", TODAY)], 60);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(
        !err.lines().any(|l| l.trim_start().starts_with("::")),
        "{err}"
    );
    assert!(err.contains("bad_data\\u{1b}]52;c;aGk=\\u{7}"), "{err}");
}

/// An HTTPS server (Python's, on a loopback port) with a certificate for `localhost` signed by
/// a CA made for the test; answers one sample of 42 when the bearer token is `tok`.
struct TlsServer {
    child: std::process::Child,
    port: u16,
    ca: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tls_server() -> Option<TlsServer> {
    let (Some(openssl), Some(python)) = (
        crate::tools::on_path("openssl"),
        crate::tools::on_path("python3"),
    ) else {
        crate::tools::missing("the HTTPS test", "openssl and python3");
        return None;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let openssl = |args: &[&str]| {
        let o = Command::new(&openssl)
            .args(args)
            .current_dir(d)
            .output()
            .expect("openssl runs");
        assert!(
            o.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    openssl(
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=goalpost test CA",
            ],
        ]
        .concat(),
    );
    openssl(
        &[
            &["req"][..],
            &ec,
            &[
                "-keyout",
                "srv.key",
                "-out",
                "srv.csr",
                "-subj",
                "/CN=localhost",
            ],
        ]
        .concat(),
    );
    std::fs::write(d.join("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n").expect("write");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "srv.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ]);
    let script = r#"
import http.server, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.headers.get("Authorization") == "Bearer tok"
        body = b'{"status":"success","data":{"resultType":"scalar","result":[1,"42"]}}' if ok else b"no"
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
"#;
    let mut child = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(d.join("srv.pem"))
        .arg(d.join("srv.key"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python runs");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().expect("stdout")),
        &mut line,
    )
    .expect("the port");
    let port = line.trim().parse().expect("a port number");
    Some(TlsServer {
        child,
        port,
        ca: d.join("ca.pem"),
        _dir: dir,
    })
}

#[test]
fn https_trusts_the_system_store_so_an_internal_ca_works() {
    let Some(server) = tls_server() else { return };
    let r = repository(
        &format!("https://localhost:{}", server.port),
        Some("PROM_TOKEN"),
    );
    let ca = server.ca.to_string_lossy().into_owned();
    // The CA in the trust store (here through SSL_CERT_FILE, as a CA installed on a runner):
    // the answer is trusted, and the token goes over HTTPS.
    let o = run_guarded(
        r.path(),
        &["pull", "--dry-run"],
        &[
            ("GOALPOST_TODAY", TODAY),
            ("PROM_TOKEN", "tok"),
            ("SSL_CERT_FILE", &ca),
        ],
        60,
    );
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.contains("value: 42"), "{out}");
    // Without it the certificate is not trusted: exit 3, nothing asked.
    let empty = r.path().join("no-cas.pem");
    std::fs::write(&empty, "").expect("write");
    let o = run_guarded(
        r.path(),
        &["pull", "--dry-run"],
        &[
            ("GOALPOST_TODAY", TODAY),
            ("PROM_TOKEN", "tok"),
            ("SSL_CERT_FILE", &empty.to_string_lossy()),
            ("SSL_CERT_DIR", &r.path().to_string_lossy()),
        ],
        60,
    );
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.to_lowercase().contains("certificate"), "{err}");
    assert!(!err.contains("tok\n") && !err.contains("Bearer"), "{err}");
}

/// A proxy on a loopback port that records the first bytes of every connection it gets and
/// answers each with `502 Bad Gateway`.
fn recording_proxy() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("address").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = vec![0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            record
                .lock()
                .expect("lock")
                .push(String::from_utf8_lossy(&buf[..n]).into_owned());
            let _ = stream.write_all(&http("502 Bad Gateway", "", ""));
        }
    });
    (port, seen)
}

#[test]
fn a_loopback_source_is_never_reached_through_a_proxy() {
    let token = "s3cret-t0ken-value";
    let (proxy, proxied) = recording_proxy();
    let proxy_url = format!("http://127.0.0.1:{proxy}");
    for host in ["localhost", "127.0.0.1"] {
        let (port, heads) = serve(1, |_, _| http("200 OK", "", ONE_SAMPLE));
        let r = repository(&format!("http://{host}:{port}"), Some("PROM_TOKEN"));
        let mut env = vec![("GOALPOST_TODAY", TODAY), ("PROM_TOKEN", token)];
        for var in [
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "all_proxy",
        ] {
            env.push((var, &proxy_url));
        }
        env.extend([
            ("NO_PROXY", "example.invalid"),
            ("no_proxy", "example.invalid"),
        ]);
        let o = run_guarded(r.path(), &["pull", "--dry-run"], &env, 60);
        let (out, err) = (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        );
        assert_eq!(o.status.code(), Some(0), "{host}: {err}");
        assert!(out.contains("value: 212"), "{host}: {out}");
        let proxied = proxied.lock().expect("lock").clone();
        assert!(
            proxied.is_empty(),
            "{host}: the proxy was asked (and saw the token: {}): {proxied:?}",
            proxied.iter().any(|p| p.contains(token))
        );
        let heads = heads.lock().expect("lock").clone();
        assert_eq!(heads.len(), 1, "{host}: {heads:?}");
        assert!(
            heads[0].to_lowercase().contains("authorization: bearer"),
            "{heads:?}"
        );
    }
}

#[test]
fn the_timeout_bounds_the_whole_exchange_redirects_included() {
    // Each hop answers within the timeout (1 s), the five hops together do not.
    let (port, heads) = serve(6, |head, _| {
        std::thread::sleep(Duration::from_millis(800));
        let hop = head
            .split("/hop")
            .nth(1)
            .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0);
        if hop == 5 {
            http("200 OK", "", ONE_SAMPLE)
        } else {
            http(
                "302 Found",
                &format!("Location: /hop{}/api/v1/query\r\n", hop + 1),
                "",
            )
        }
    });
    let r = repository(&format!("http://127.0.0.1:{port}"), None);
    let started = Instant::now();
    let o = run_guarded(
        r.path(),
        &["pull", "--dry-run"],
        &[("GOALPOST_TODAY", TODAY)],
        60,
    );
    let took = started.elapsed();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        o.status.code(),
        Some(3),
        "after {took:?} and {} requests: {err}",
        heads.lock().expect("lock").len()
    );
    assert!(err.contains("no answer within 1 s"), "{err}");
    assert!(
        took < Duration::from_millis(2500),
        "the exchange took {took:?}"
    );
}
