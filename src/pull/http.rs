//! The only network code of goalpost (SPEC 10, 11), used by `goalpost pull` alone: one HTTP
//! GET to a URL built from goalpost.toml, with a timeout for the whole exchange, a bound on
//! the answer's size, redirects followed only on the same scheme, host and port, HTTPS
//! verified against the system's trust store (so internal CAs work), and a bearer token sent
//! only over HTTPS or to this machine. Proxies come from the environment (`HTTPS_PROXY`,
//! `NO_PROXY`), as for curl, but a loopback origin is always reached directly: a proxy
//! would resolve `localhost` itself, and a token sent over plain http to this machine
//! would cross the proxy in clear. Messages never hold the token.

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
    if token.is_some() && !url.starts_with("https://") && !is_loopback(origin(url)) {
        return Err(
            "a token is sent only over https (or to this machine); use an https url".to_owned(),
        );
    }
    // One deadline for the whole exchange: each redirect is a new request, given only what
    // is left of the time.
    let deadline = Instant::now() + timeout;
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
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(describe(
                &ureq::Error::Timeout(ureq::Timeout::Global),
                timeout,
            ));
        }
        let mut request = agent.get(&at).config().timeout_global(Some(left)).build();
        if let Some(t) = token {
            request = request.header("Authorization", format!("Bearer {t}"));
        }
        let mut response = request.call().map_err(|e| describe(&e, timeout))?;
        let status = response.status().as_u16();
        if (300..400).contains(&status)
            && let Some(location) = response.headers().get("location")
        {
            let location = location.to_str().unwrap_or_default();
            at = same_origin(&at, location).ok_or_else(|| {
                format!(
                    "the server redirects to `{}`, not on the same host; goalpost only follows redirects on the host goalpost.toml names",
                    location.chars().take(200).collect::<String>()
                )
            })?;
            continue;
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(|e| describe(&e, timeout))?;
        return Ok(Answer { status, body });
    }
    Err(format!("more than {MAX_REDIRECTS} redirects"))
}

/// An error of ureq in words (never with a header, so never with the token).
fn describe(e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s", timeout.as_secs()),
        ureq::Error::BodyExceedsLimit(_) => {
            format!(
                "the answer is larger than {} MiB",
                MAX_ANSWER_BYTES / (1024 * 1024)
            )
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
