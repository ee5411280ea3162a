//! The fetch against real things: repositories made with the git CLI, served by git's own
//! `git http-backend` through `tests/tools/git_http.py` (with its hostile modes), and read
//! back through [`GitTree`]; and the pkt-line reader on malformed and arbitrary input.

use super::*;
use crate::git::GitTree;
use crate::load::resolve;
use crate::load::source::{Entry, Read as Got, Source};
use std::process::{Child, Command, Stdio};

// ---- pkt-lines, base64, the choice of ref ----

fn pkts(bytes: &[u8]) -> Result<Vec<Pkt>, FetchError> {
    let mut r = bytes;
    let mut p = Pkts { r: &mut r };
    let mut out = Vec::new();
    while !p.r.is_empty() {
        out.push(p.next()?);
    }
    Ok(out)
}

#[test]
fn pkt_lines_are_read_and_bounded() {
    assert_eq!(
        pkts(b"0009hello0000000100020004").unwrap(),
        vec![
            Pkt::Data(b"hello".to_vec()),
            Pkt::Flush,
            Pkt::Delim,
            Pkt::End,
            Pkt::Data(Vec::new()),
        ]
    );
    // Upper- and lower-case hex alike.
    assert_eq!(
        pkts(b"000Aabcdef").unwrap(),
        vec![Pkt::Data(b"abcdef".to_vec())]
    );
    for (bad, why) in [
        (&b"0003"[..], "length 3"),
        (b"zzzz", "not hex"),
        (b"+001", "not hex"),
        (b"fff1", "length 65521"),
        (b"ffff", "length 65535"),
    ] {
        let e = pkts(bad).unwrap_err();
        assert!(
            matches!(e, FetchError::Protocol(_)) && e.to_string().contains(why),
            "{e}"
        );
    }
    for truncated in [&b"00"[..], b"0009hel", b"0005"] {
        let e = pkts(truncated).unwrap_err();
        assert!(e.to_string().contains("ends early"), "{e}");
    }
    let longest = [
        format!("{MAX_PKT_LEN:04x}").into_bytes(),
        vec![b'a'; MAX_PKT_LEN - 4],
    ]
    .concat();
    assert_eq!(pkts(&longest).unwrap().len(), 1);
}

#[test]
fn base64_is_rfc_4648() {
    for (plain, coded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
        ("x-access-token:ghp_abc", "eC1hY2Nlc3MtdG9rZW46Z2hwX2FiYw=="),
    ] {
        assert_eq!(base64(plain.as_bytes()), coded, "{plain}");
    }
    assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    let basic = Auth::Basic {
        user: "oauth2",
        token: "t",
    };
    assert_eq!(basic.header().as_deref(), Some("Basic b2F1dGgyOnQ="));
    assert_eq!(Auth::Bearer("t").header().as_deref(), Some("Bearer t"));
}

const A: &str = "1111111111111111111111111111111111111111";
const B: &str = "2222222222222222222222222222222222222222";
const C: &str = "3333333333333333333333333333333333333333";

fn line(out: &mut Vec<u8>, s: &[u8]) {
    out.extend_from_slice(format!("{:04x}", s.len() + 4).as_bytes());
    out.extend_from_slice(s);
}

fn advertisement(refs: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    line(&mut out, b"# service=git-upload-pack\n");
    out.extend_from_slice(b"0000");
    for (i, (oid, name)) in refs.iter().enumerate() {
        let mut l = format!("{oid} {name}").into_bytes();
        if i == 0 {
            l.extend_from_slice(b"\0multi_ack side-band-64k ofs-delta shallow agent=git/2.47");
        }
        l.push(b'\n');
        line(&mut out, &l);
    }
    out.extend_from_slice(b"0000");
    out
}

#[test]
fn the_advertisement_gives_refs_and_capabilities() {
    let bytes = advertisement(&[
        (A, "HEAD"),
        (A, "refs/heads/main"),
        (B, "refs/heads/dev"),
        (C, "refs/tags/v1"),
        (A, "refs/tags/v1^{}"),
        (B, "refs/tags/light"),
    ]);
    let ad = parse_advertisement(&mut &bytes[..]).unwrap();
    assert_eq!(ad.refs.len(), 6);
    assert!(ad.caps.contains(&"shallow".to_owned()));
    assert!(ad.caps.contains(&"side-band-64k".to_owned()));
    // A branch, a tag (its tag object: peeled after the fetch), a full refname.
    assert_eq!(
        choose("main", &ad).unwrap(),
        ("refs/heads/main".into(), A.into())
    );
    assert_eq!(
        choose("v1", &ad).unwrap(),
        ("refs/tags/v1".into(), C.into())
    );
    assert_eq!(
        choose("light", &ad).unwrap(),
        ("refs/tags/light".into(), B.into())
    );
    assert_eq!(
        choose("refs/heads/dev", &ad).unwrap(),
        ("refs/heads/dev".into(), B.into())
    );
    // `heads/main` is not a refname given in full, nor a branch of that name.
    let e = choose("heads/main", &ad).unwrap_err();
    match &e {
        FetchError::UnknownRef {
            reference,
            available,
        } => {
            assert_eq!(reference, "heads/main");
            assert_eq!(available, &["dev", "main", "light", "v1"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string().contains("`dev`, `main`, `light`, `v1`"),
        "{e}"
    );
    // An empty repository.
    let empty = advertisement(&[(
        "0000000000000000000000000000000000000000",
        "capabilities^{}",
    )]);
    let ad = parse_advertisement(&mut &empty[..]).unwrap();
    assert!(ad.refs.is_empty() && !ad.caps.is_empty());
    let e = choose("main", &ad).unwrap_err();
    assert!(e.to_string().contains("no branches or tags"), "{e}");
}

#[test]
fn a_malformed_advertisement_is_a_protocol_error() {
    let mut err = Vec::new();
    line(&mut err, b"ERR access denied\x1b[31m\n");
    let mut no_flush = advertisement(&[(A, "refs/heads/main")]);
    no_flush.truncate(no_flush.len() - 4);
    let mut short_oid = Vec::new();
    line(&mut short_oid, b"# service=git-upload-pack\n");
    short_oid.extend_from_slice(b"0000");
    line(&mut short_oid, b"1234 refs/heads/main\n");
    short_oid.extend_from_slice(b"0000");
    for (bytes, says) in [
        (&b""[..], "ends early"),
        (b"0000", "does not start"),
        (&err, "access denied[31m"),
        (&no_flush, "ends early"),
        (&short_oid, "object id"),
    ] {
        let e = parse_advertisement(&mut &bytes[..]).unwrap_err();
        assert!(matches!(e, FetchError::Protocol(_)), "{e:?}");
        assert!(e.to_string().contains(says), "{e}");
        assert!(!e.to_string().contains('\x1b'), "{e}");
    }
}

#[test]
fn the_fetch_request_and_its_answer() {
    let caps = ["side-band-64k".to_owned(), "shallow".to_owned()];
    let body = upload_request(A, &caps, true);
    assert_eq!(
        String::from_utf8(body).unwrap(),
        format!("0048want {A} side-band-64k shallow\n000ddeepen 1\n00000009done\n")
    );
    // Shallow lines, NAK, the pack in band 1 with progress in band 2.
    let mut answer = Vec::new();
    line(&mut answer, format!("shallow {B}\n").as_bytes());
    answer.extend_from_slice(b"0000");
    line(&mut answer, b"NAK\n");
    line(&mut answer, b"\x02Counting objects\r");
    line(&mut answer, b"\x01PACK");
    line(&mut answer, b"\x01rest");
    answer.extend_from_slice(b"0000");
    let mut pack = Vec::new();
    let shallow = read_result(&mut &answer[..], true, true, &mut pack).unwrap();
    assert_eq!(shallow, vec![B.to_owned()]);
    assert_eq!(pack, b"PACKrest");
    // Band 3 is the server's error, cleaned.
    let mut fatal = Vec::new();
    line(&mut fatal, b"NAK\n");
    line(&mut fatal, b"\x03upload-pack: not our ref\x07\n");
    let e = read_result(&mut &fatal[..], false, true, &mut Vec::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the server reports an error: upload-pack: not our ref"
    );
    // Without side band the pack follows raw.
    let mut raw = Vec::new();
    line(&mut raw, b"NAK\n");
    raw.extend_from_slice(b"PACK\x00\x00");
    let mut pack = Vec::new();
    read_result(&mut &raw[..], false, false, &mut pack).unwrap();
    assert_eq!(pack, b"PACK\x00\x00");
    // No pack at all.
    let mut none = Vec::new();
    line(&mut none, b"NAK\n");
    none.extend_from_slice(b"0000");
    let e = read_result(&mut &none[..], false, true, &mut Vec::new()).unwrap_err();
    assert!(e.to_string().contains("no pack"), "{e}");
    let long = "x".repeat(1000);
    assert_eq!(sanitize(&long).chars().count(), MAX_QUOTED + 1);
}

proptest::proptest! {
    // Whatever a server sends, reading it is an answer or an error, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
        let _ = pkts(&bytes);
        let _ = parse_advertisement(&mut &bytes[..]);
        for (deepen, sideband) in [(true, true), (false, true), (false, false)] {
            let _ = read_result(&mut &bytes[..], deepen, sideband, &mut Vec::new());
        }
    }

    // Well-formed lines around arbitrary contents.
    #[test]
    fn arbitrary_lines_never_panic(
        lines in proptest::collection::vec(proptest::collection::vec(proptest::num::u8::ANY, 0..80), 0..8)
    ) {
        let mut bytes = Vec::new();
        line(&mut bytes, b"# service=git-upload-pack\n");
        bytes.extend_from_slice(b"0000");
        for l in &lines {
            line(&mut bytes, l);
        }
        let _ = parse_advertisement(&mut &bytes[..]);
        let _ = read_result(&mut &bytes[..], true, true, &mut Vec::new());
    }
}

// ---- against git itself ----

fn git(dir: &Path, args: &[&str]) -> String {
    crate::git::testgit::git(dir, "Test", &[], args)
        .trim()
        .to_owned()
}

const V1: &str = "team: x\nobjectives: []\n# v1\n";
const V2: &str = "team: x\nobjectives: []\n# v2\n";
const OTHER: &str = "team: x\nobjectives: []\n# other\n";
const FILE: &str = "goals/x/2026-q4.yaml";

/// Under a temp dir: `work/` (a work tree) and `company.git` (its bare clone). History:
/// `main` = c1 (V1, tag `light`) ← c2 (V2, annotated tag `release`); `other` = c1 ← c3.
/// Each commit also holds links with absolute targets.
struct Fixture {
    dir: tempfile::TempDir,
    c1: String,
    c2: String,
    c3: String,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(work.join("goals/x")).unwrap();
    git(&work, &["init", "-q", "-b", "main"]);
    let write = |text: &str| std::fs::write(work.join(FILE), text).unwrap();
    write(V1);
    // Absolute targets: this machine's files, and the upstream's own path written from `/`.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/passwd", work.join("goals/x/abs.yaml")).unwrap();
        std::os::unix::fs::symlink(format!("/upstream/{FILE}"), work.join("goals/x/abs2.yaml"))
            .unwrap();
        std::os::unix::fs::symlink(work.join(FILE), work.join("goals/x/abs3.yaml")).unwrap();
    }
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-q", "-m", "one"]);
    let c1 = git(&work, &["rev-parse", "HEAD"]);
    git(&work, &["tag", "light"]);
    write(V2);
    git(&work, &["commit", "-q", "-am", "two"]);
    let c2 = git(&work, &["rev-parse", "HEAD"]);
    git(&work, &["tag", "-a", "release", "-m", "the release"]);
    git(&work, &["checkout", "-q", "-b", "other", &c1]);
    write(OTHER);
    git(&work, &["commit", "-q", "-am", "three"]);
    let c3 = git(&work, &["rev-parse", "HEAD"]);
    git(&work, &["checkout", "-q", "main"]);
    git(
        dir.path(),
        &["clone", "-q", "--bare", "work", "company.git"],
    );
    Fixture { dir, c1, c2, c3 }
}

/// The test server, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(root: &Path) -> Server {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/git_http.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs");
        let mut first = String::new();
        let stdout = child.stdout.take().unwrap();
        BufReader::new(stdout).read_line(&mut first).unwrap();
        let port = first.trim().parse().expect("the server prints its port");
        Server { child, port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn remote<'a>(url: &'a str, reference: &'a str) -> Remote<'a> {
    Remote {
        url,
        reference,
        auth: Auth::None,
        timeout: Duration::from_secs(20),
    }
}

fn bytes(t: &GitTree, path: &str) -> Vec<u8> {
    match t.read(path, 1 << 20) {
        Ok(Got::Bytes(b)) => b,
        other => panic!("{path}: {other:?}"),
    }
}

/// What a tree of the fixture shows: the goal file's text, and absolute links refused.
fn check_tree(repo: &Repo, rev: &Revision, text: &str) {
    let t = repo.tree(rev).unwrap();
    assert_eq!(bytes(&t, FILE), text.as_bytes());
    let walked = t.walk(&["goals".to_owned()], 100).unwrap();
    assert!(walked.contains(&Entry::File(FILE.into())), "{walked:?}");
    for link in ["abs.yaml", "abs2.yaml", "abs3.yaml"] {
        let path = format!("goals/x/{link}");
        let refused = walked.iter().find(|e| e.path() == path);
        assert!(
            matches!(refused, Some(Entry::Refused { refused, .. }) if refused.why == resolve::Why::Outside),
            "{path}: {walked:?}"
        );
        assert!(
            !matches!(t.read(&path, 1 << 20), Ok(Got::Bytes(_))),
            "{path}"
        );
    }
}

#[test]
fn fetches_a_branch_a_tag_and_an_annotated_tag_shallow() {
    let f = fixture();
    let server = Server::start(f.dir.path());
    let url = server.url("company.git");
    for (reference, commit, text) in [
        ("main", &f.c2, V2),
        ("light", &f.c1, V1),
        ("release", &f.c2, V2),
        ("refs/heads/other", &f.c3, OTHER),
    ] {
        let (repo, rev) =
            fetch(&remote(&url, reference)).unwrap_or_else(|e| panic!("{reference}: {e}"));
        assert_eq!(rev.name, reference);
        assert_eq!(rev.commit.to_string(), *commit, "{reference}");
        check_tree(&repo, &rev, text);
        // Shallow: the commit is there, its parent is not.
        let locked = repo.lock();
        let commit = locked.guard.find_commit(rev.commit.0).unwrap();
        if commit.parent_count() > 0 {
            assert!(locked.guard.is_shallow(), "{reference}");
            assert!(
                commit.parent(0).is_err(),
                "{reference}: the parent was fetched"
            );
        }
    }
    // The URL without `.git`, with a trailing slash: as is.
    let (repo, rev) = fetch(&remote(&format!("{}/", server.url("company.git")), "main")).unwrap();
    check_tree(&repo, &rev, V2);
}

#[test]
fn the_temporary_repository_goes_with_the_last_holder() {
    let f = fixture();
    let server = Server::start(f.dir.path());
    let url = server.url("company.git");
    let (repo, rev) = fetch(&remote(&url, "main")).unwrap();
    let dir = repo.temp_dir().expect("a temporary directory");
    assert!(dir.join("objects").is_dir());
    let copy = repo.clone();
    let tree = repo.tree(&rev).unwrap();
    drop(repo);
    drop(copy);
    // A tree keeps it too.
    assert!(dir.is_dir());
    assert_eq!(bytes(&tree, FILE), V2.as_bytes());
    drop(tree);
    assert!(!dir.exists(), "{} is left", dir.display());
}

#[test]
fn follows_a_redirect_on_the_same_origin_only() {
    let f = fixture();
    let server = Server::start(f.dir.path());
    let url = server.url("redirect-same/company.git");
    let (repo, rev) = fetch(&remote(&url, "release")).unwrap();
    assert_eq!(rev.commit.to_string(), f.c2);
    check_tree(&repo, &rev, V2);
    let url = server.url("redirect-away/company.git");
    let e = fetch(&remote(&url, "main")).err().unwrap();
    assert!(matches!(e, FetchError::Network(_)), "{e:?}");
    assert!(e.to_string().contains("not on the same host"), "{e}");
}

#[test]
fn hostile_and_missing_servers_fail_helpfully() {
    let f = fixture();
    let server = Server::start(f.dir.path());
    let fails = |path: &str, reference: &str| {
        let url = server.url(path);
        fetch(&remote(&url, reference)).err().unwrap()
    };
    let e = fails("garbage/company.git", "main");
    assert!(
        matches!(e, FetchError::Protocol(_)) && e.to_string().contains("not hex"),
        "{e}"
    );
    let e = fails("html/company.git", "main");
    assert!(
        matches!(e, FetchError::Protocol(_))
            && e.to_string().contains("does not speak git's smart HTTP"),
        "{e}"
    );
    let e = fails("missing.git", "main");
    assert!(
        matches!(e, FetchError::Network(_)) && e.to_string().contains("404"),
        "{e}"
    );
    let e = fails("company.git", "nope");
    match &e {
        FetchError::UnknownRef { available, .. } => {
            assert_eq!(available, &["main", "other", "light", "release"]);
        }
        other => panic!("{other:?}"),
    }
    // Nothing listens there.
    let e = fetch(&remote("http://127.0.0.1:9/company.git", "main"))
        .err()
        .unwrap();
    assert!(matches!(e, FetchError::Network(_)), "{e:?}");
    // Plain http elsewhere, and a token over it, are refused before any connection.
    let e = fetch(&remote("http://git.example.com/company.git", "main"))
        .err()
        .unwrap();
    assert!(e.to_string().contains("use an https url"), "{e}");
    let mut r = remote("http://git.example.com/company.git", "main");
    r.auth = Auth::Bearer("s3cret-token");
    let e = fetch(&r).err().unwrap();
    assert!(
        e.to_string().contains("token") && !e.to_string().contains("s3cret"),
        "{e}"
    );
}

#[test]
fn a_token_is_sent_and_never_shown() {
    let f = fixture();
    let server = Server::start(f.dir.path());
    // The test server ignores credentials: the fetch works with them.
    let url = server.url("company.git");
    let mut r = remote(&url, "main");
    r.auth = Auth::Basic {
        user: "x-access-token",
        token: "s3cret-token",
    };
    assert!(fetch(&r).is_ok());
    // A message that would name the token (here, in the reference) blots it out.
    r.reference = "s3cret-token";
    let e = fetch(&r).err().unwrap();
    assert!(!format!("{e} {e:?}").contains("s3cret-token"), "{e}");
}

#[test]
fn a_slow_server_is_given_up_on_at_the_deadline() {
    let f = fixture();
    let server = Server::start(f.dir.path());
    let url = server.url("slow/company.git");
    let mut r = remote(&url, "main");
    r.timeout = Duration::from_secs(2);
    let started = Instant::now();
    let e = fetch(&r).err().unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_millis(3500), "took {took:?}");
    assert!(
        matches!(e, FetchError::Network(_)) && e.to_string().contains("within 2 s"),
        "{e}"
    );
}

#[test]
fn opens_local_repositories_as_object_databases() {
    let f = fixture();
    let work = f.dir.path().join("work");
    // The work tree's file is not what is read: the commit's is.
    std::fs::write(work.join(FILE), "team: dirty\n").unwrap();
    for path in [work.clone(), f.dir.path().join("company.git")] {
        for (reference, commit, text) in [
            ("main", &f.c2, V2),
            ("release", &f.c2, V2),
            ("light", &f.c1, V1),
            ("other", &f.c3, OTHER),
        ] {
            let (repo, rev) = open_local(&path, reference).unwrap();
            assert_eq!(rev.commit.to_string(), *commit, "{reference}");
            assert!(repo.temp_dir().is_none());
            check_tree(&repo, &rev, text);
        }
        let e = open_local(&path, "nope").err().unwrap();
        assert!(
            matches!(e, FetchError::UnknownRef { ref available, .. } if available == &["main", "other", "light", "release"]),
            "{e:?}"
        );
    }
    // Not a repository, and no search upward from inside one.
    for path in [f.dir.path().to_owned(), work.join("goals")] {
        let e = open_local(&path, "main").err().unwrap();
        assert!(e.to_string().contains("is not a git repository (a local upstream is read as a repository: its committed files at main, not its work tree)"), "{e}");
    }
}

/// A measure, not a check: fetches `GOALPOST_FETCH_URL` (branch `main`) and reads every goal
/// file under `goals` (`cargo test --release --lib fetch_for_measure -- --ignored`).
#[test]
#[ignore]
#[allow(clippy::print_stderr)]
fn fetch_for_measure() {
    let Ok(url) = std::env::var("GOALPOST_FETCH_URL") else {
        return;
    };
    let started = Instant::now();
    let (repo, rev) = fetch(&remote(&url, "main")).unwrap();
    let fetched = started.elapsed();
    let t = repo.tree(&rev).unwrap();
    let files = t.walk(&["goals".to_owned()], 100_000).unwrap();
    let total: usize = files.iter().map(|e| bytes(&t, e.path()).len()).sum();
    eprintln!(
        "fetched in {fetched:?}; read {} files, {total} bytes, in {:?} all told",
        files.len(),
        started.elapsed()
    );
}
