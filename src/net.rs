//! The only network code of goalpost (SPEC 10, 11, 13), used by `goalpost pull` and by
//! `goalpost upstream update` alone: HTTP requests to URLs built from goalpost.toml, with one
//! deadline for the whole exchange, a bound on each answer's size, redirects followed only on
//! the same scheme, host and port, HTTPS verified against the system's trust store (so
//! internal CAs work), plain `http` only to this machine, and a token sent only over HTTPS
//! or to this machine. Proxies come from the environment (`HTTPS_PROXY`, `NO_PROXY`), as for
//! curl, but a loopback origin is always reached directly: a proxy would resolve `localhost`
//! itself, and a token sent over plain http to this machine would cross the proxy in clear.
//! Messages never hold the token.

use std::io;
use std::time::{Duration, Instant};
use ureq::tls::{RootCerts, TlsConfig};

/// Largest answer read (bytes): an instant query of one series is a few hundred.
pub(crate) const MAX_ANSWER_BYTES: u64 = 4 * 1024 * 1024;
/// Most redirects followed (each on the same scheme, host and port).
const MAX_REDIRECTS: usize = 5;

/// An answer: its HTTP status and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// GETs `url` with `Authorization: Bearer token` when a token is given. `Err` says why there
/// is no answer (no connection, a timeout, a certificate, a redirect elsewhere, too large).
pub(crate) fn get(url: &str, token: Option<&str>, timeout: Duration) -> Result<Answer, String> {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let call = Call {
        headers: &[],
        authorization: bearer.as_deref(),
        deadline: Instant::now() + timeout,
        timeout,
        limit: MAX_ANSWER_BYTES,
    };
    let mut streamed = get_streamed(url, &call)?;
    let mut body = Vec::new();
    io::Read::read_to_end(&mut streamed.body, &mut body).map_err(|e| e.to_string())?;
    Ok(Answer {
        status: streamed.status,
        body,
    })
}

/// How to make one request of an exchange.
pub(crate) struct Call<'a> {
    /// Extra headers (never a secret: they may be named in messages).
    pub headers: &'a [(&'a str, &'a str)],
    /// The value of an `Authorization` header: sent only over https or to this machine, and
    /// never in a message.
    pub authorization: Option<&'a str>,
    /// When the whole exchange must be over (redirects and reading the body included).
    pub deadline: Instant,
    /// The time the deadline was set from, for messages.
    pub timeout: Duration,
    /// Largest body read (bytes); reading more is an error.
    pub limit: u64,
}

/// An answer whose body is read as it arrives.
pub(crate) struct Streamed {
    pub status: u16,
    /// Where the answer came from (after the redirects followed).
    pub url: String,
    /// The `Content-Type` header ("" when none).
    pub content_type: String,
    /// The body, at most [`Call::limit`] bytes; a read error is worded for people.
    pub body: Body,
}

/// A response body being read, bounded by the call's size limit and deadline.
pub(crate) struct Body {
    reader: ureq::BodyReader<'static>,
    timeout: Duration,
    limit: u64,
}

impl io::Read for Body {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.read(buf).map_err(|e| {
            let kind = e.kind();
            match e.get_ref().and_then(|x| x.downcast_ref::<ureq::Error>()) {
                Some(u) => io::Error::new(kind, describe(u, self.timeout, self.limit)),
                None => e,
            }
        })
    }
}

/// GETs `url`, following same-origin redirects, and returns the answer (any status) with its
/// body unread.
pub(crate) fn get_streamed(url: &str, call: &Call) -> Result<Streamed, String> {
    exchange(url, None, call)
}

/// POSTs `body` to `url` (redirects are not followed: a redirect is an error) and returns the
/// answer (any status) with its body unread.
pub(crate) fn post_streamed(url: &str, body: &[u8], call: &Call) -> Result<Streamed, String> {
    exchange(url, Some(body), call)
}

/// Whether goalpost may send a request to `url` (with a secret when `secret`): https, or
/// http to this machine. `Err` says why not.
pub(crate) fn allowed(url: &str, secret: bool) -> Result<(), String> {
    let https = url.len() >= 8 && url[..8].eq_ignore_ascii_case("https://");
    let http = url.len() >= 7 && url[..7].eq_ignore_ascii_case("http://");
    if https || (http && is_loopback(origin(url))) {
        return Ok(());
    }
    if http && secret {
        return Err(
            "a token is sent only over https (or to this machine); use an https url".to_owned(),
        );
    }
    if http {
        return Err(
            "plain http is used only to this machine (localhost); use an https url".to_owned(),
        );
    }
    Err("only https urls are fetched (or http to this machine)".to_owned())
}

fn exchange(url: &str, post: Option<&[u8]>, call: &Call) -> Result<Streamed, String> {
    // SPEC 11, for `pull` and `upstream update` alike: https, or http to this machine.
    allowed(url, call.authorization.is_some())?;
    let timeout = call.timeout;
    let mut config = ureq::Agent::config_builder();
    if is_loopback(origin(url)) {
        // Redirects stay on the origin, so every request of the exchange is direct.
        config = config.proxy(None);
    }
    let agent: ureq::Agent = config
        // Redirects are followed below, only where the token may go too.
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("goalpost/", env!("CARGO_PKG_VERSION")))
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into();
    let mut at = url.to_owned();
    for _ in 0..=MAX_REDIRECTS {
        // One deadline for the whole exchange: each request is given only what is left.
        let left = call.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(describe(
                &ureq::Error::Timeout(ureq::Timeout::Global),
                timeout,
                call.limit,
            ));
        }
        let fail = |e: ureq::Error| describe(&e, timeout, call.limit);
        let response = match post {
            None => {
                let mut request = agent.get(&at).config().timeout_global(Some(left)).build();
                for (k, v) in call.headers {
                    request = request.header(*k, *v);
                }
                if let Some(a) = call.authorization {
                    request = request.header("Authorization", a);
                }
                request.call().map_err(fail)?
            }
            Some(body) => {
                let mut request = agent.post(&at).config().timeout_global(Some(left)).build();
                for (k, v) in call.headers {
                    request = request.header(*k, *v);
                }
                if let Some(a) = call.authorization {
                    request = request.header("Authorization", a);
                }
                request.send(body).map_err(fail)?
            }
        };
        let status = response.status().as_u16();
        if (300..400).contains(&status)
            && let Some(location) = response.headers().get("location")
        {
            let location = location.to_str().unwrap_or_default();
            let shown = location.chars().take(200).collect::<String>();
            if post.is_some() {
                return Err(format!(
                    "the server redirects a POST to `{shown}`; goalpost follows redirects only when it reads"
                ));
            }
            at = same_origin(&at, location).ok_or_else(|| {
                format!(
                    "the server redirects to `{shown}`, not on the same host; goalpost only follows redirects on the host goalpost.toml names"
                )
            })?;
            continue;
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let reader = response
            .into_body()
            .into_with_config()
            .limit(call.limit)
            .reader();
        return Ok(Streamed {
            status,
            url: at,
            content_type,
            body: Body {
                reader,
                timeout,
                limit: call.limit,
            },
        });
    }
    Err(format!("more than {MAX_REDIRECTS} redirects"))
}

/// An error of ureq in words (never with a header, so never with the token).
fn describe(e: &ureq::Error, timeout: Duration, limit: u64) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s", timeout.as_secs()),
        ureq::Error::BodyExceedsLimit(_) => {
            format!("the answer is larger than {} MiB", limit / (1024 * 1024))
        }
        ureq::Error::HostNotFound => "the host name is not known (DNS)".to_owned(),
        ureq::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// `scheme://authority` of a URL.
fn origin(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    let end = url[after..].find('/').map_or(url.len(), |i| after + i);
    &url[..end]
}

/// Whether the origin's host is this machine: `localhost`, `127.x.x.x` or `[::1]`.
fn is_loopback(origin: &str) -> bool {
    let authority = origin.split_once("://").map_or(origin, |(_, a)| a);
    let host = if authority.starts_with('[') {
        authority.split(']').next().map(|h| format!("{h}]"))
    } else {
        authority.split(':').next().map(str::to_owned)
    }
    .unwrap_or_default()
    .to_ascii_lowercase();
    // An IPv4 address 127.a.b.c, written as four numbers (not a name that starts so).
    let parts: Vec<&str> = host.split('.').collect();
    let v4_loopback = parts.len() == 4
        && parts[0] == "127"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok());
    host == "localhost" || host == "[::1]" || v4_loopback
}

/// Where a redirect from `from` to `location` leads, if on the same scheme, host and port:
/// an absolute URL with `from`'s origin, or a path on it. `None` otherwise.
fn same_origin(from: &str, location: &str) -> Option<String> {
    let here = origin(from);
    if location.starts_with('/') && !location.starts_with("//") {
        return Some(format!("{here}{location}"));
    }
    (origin(location).eq_ignore_ascii_case(here) && location.len() >= here.len())
        .then(|| location.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_the_origin() {
        let from = "https://p.internal:9090/api/v1/query?query=up";
        assert_eq!(
            same_origin(from, "/prom/api/v1/query?query=up").as_deref(),
            Some("https://p.internal:9090/prom/api/v1/query?query=up")
        );
        assert_eq!(
            same_origin(from, "https://P.internal:9090/x").as_deref(),
            Some("https://P.internal:9090/x")
        );
        for elsewhere in [
            "https://evil.example/x",
            "//evil.example/x",
            "http://p.internal:9090/x",
            "https://p.internal:9091/x",
            "https://p.internal:9090.evil.example/x",
            "relative/path",
        ] {
            assert_eq!(same_origin(from, elsewhere), None, "{elsewhere}");
        }
    }

    proptest::proptest! {
        // A Location header is the server's: no value makes the check panic, and what it
        // allows stays on the origin.
        #[test]
        fn any_location_is_judged_without_a_panic(location in "\\PC{0,60}") {
            let from = "https://p.internal:9090/api/v1/query";
            if let Some(to) = same_origin(from, &location) {
                let to = to.to_ascii_lowercase();
                proptest::prop_assert!(
                    to == "https://p.internal:9090" || to.starts_with("https://p.internal:9090/"),
                    "{}",
                    to
                );
            }
            let _ = is_loopback(origin(&location));
        }
    }

    /// SPEC 11: `https`, or `http` only to this machine, for every request (`pull`'s too,
    /// with or without a token). Refused before any connection: 10.255.255.1 is not routed,
    /// so a connection attempt would only end with the timeout.
    #[test]
    fn plain_http_goes_only_to_this_machine() {
        let started = std::time::Instant::now();
        let e = get(
            "http://10.255.255.1:9/api/v1/query",
            None,
            Duration::from_secs(5),
        )
        .expect_err("plain http to another host is refused");
        assert!(e.contains("https"), "{e}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "it tried to connect: {e}"
        );
    }

    #[test]
    fn tokens_go_only_over_https_or_to_this_machine() {
        for url in [
            "http://127.0.0.1:9/x",
            "http://localhost:9/x",
            "http://[::1]:9/x",
        ] {
            assert!(is_loopback(origin(url)), "{url}");
        }
        for url in [
            "http://prometheus.internal:9090/x",
            "http://127.0.0.1.evil.example/x",
            "http://127.evil.example/x",
            "http://localhost.evil.example/x",
            "http://127.0.0.256/x",
        ] {
            assert!(!is_loopback(origin(url)), "{url}");
        }
        let e = get(
            "http://prometheus.internal:9090/api/v1/query",
            Some("s3cret"),
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert!(
            e.contains("only over https") && !e.contains("s3cret"),
            "{e}"
        );
    }
}
