//! `[sources.NAME]` in goalpost.toml (SPEC 11): where `goalpost pull` fetches KPI values. A
//! Prometheus server by URL, or a CSV file inside the repository. goalpost.toml is
//! attacker-controlled in a pull request, so everything here is checked before use: names
//! are slugs, URLs are plain `http(s)://host[:port][/path]` without credentials, a query or a
//! fragment, token variables are environment-variable names (the token itself never appears
//! in the file), and CSV paths stay inside the repository and are not hidden.

use crate::diag::{Code, Diagnostic, Span};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Timeout of a Prometheus query unless `timeout_secs` says otherwise.
pub(crate) const DEFAULT_TIMEOUT_SECS: u64 = 10;
/// The longest `timeout_secs` accepted: a scheduled job should not hang for hours.
pub(crate) const MAX_TIMEOUT_SECS: u64 = 300;

/// A data source of `goalpost pull`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Prometheus(Prometheus),
    /// A CSV file (long format `ref,date,value`), repo-relative; read through the resolver.
    Csv {
        path: String,
    },
}

/// A Prometheus server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prometheus {
    /// `http://` or `https://`, host, optional port and path prefix; no trailing `/`.
    pub url: String,
    /// The environment variable holding a bearer token.
    pub token_env: Option<String>,
    pub timeout_secs: u64,
}

impl Prometheus {
    /// The URL as messages show it ([`shown`]).
    pub fn shown(&self) -> String {
        shown(&self.url)
    }
}

impl Source {
    /// `prometheus` or `csv`, as written in `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Prometheus(_) => "prometheus",
            Source::Csv { .. } => "csv",
        }
    }
}

// The `///` lines are the descriptions in goalpost.toml's JSON Schema.
/// A data source of `goalpost pull`: a KPI names it with `source: { from: NAME }`.
#[derive(Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
#[schemars(rename = "Source")]
pub(crate) enum RawSource {
    /// A Prometheus server; each KPI that names it gives a PromQL `query`, evaluated as an
    /// instant query that must return exactly one sample.
    Prometheus {
        /// The server's base URL: `https://` (or `http://`), host, optional port and path
        /// prefix, such as `https://prometheus.internal:9090`. No credentials in it: use
        /// `token_env`.
        url: String,
        /// The name of an environment variable holding a bearer token (sent only over
        /// HTTPS or to this machine, never printed).
        #[schemars(regex(pattern = r"^[A-Za-z_][A-Za-z0-9_]*$"))]
        token_env: Option<String>,
        /// Seconds to wait for an answer before giving up (1–300). Default 10.
        #[schemars(range(min = 1, max = 300))]
        timeout_secs: Option<u64>,
    },
    /// A CSV file in the repository in long format, a header `ref,date,value` and one row per
    /// KPI and date, such as an earlier CI step exports from a warehouse.
    Csv {
        /// The file, relative to the repository root and inside it, such as
        /// `metrics/kpis.csv`.
        path: String,
    },
}

/// Checks the `[sources]` table; problems go to `diags`, located by `find`.
pub(crate) fn check(
    raw: BTreeMap<String, RawSource>,
    find: &dyn Fn(&str) -> Span,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Source> {
    let mut out = BTreeMap::new();
    for (name, raw) in raw {
        let span = find(&format!("sources.{name}"));
        let mut bad = |message: String, help: &str| {
            diags.push(Diagnostic::new(Code::InvalidConfig, span, message).help(help.to_owned()));
        };
        if !crate::model::is_slug(&name) {
            bad(
                format!("source name `{name}` is not a valid id"),
                "KPIs name sources with `source: { from: NAME }`: use 1–63 lowercase letters, digits, `-` and `_`",
            );
            continue;
        }
        let source = match raw {
            RawSource::Prometheus {
                url,
                token_env,
                timeout_secs,
            } => {
                let mut ok = true;
                let checked = check_url(&url);
                if let Err(problem) = checked {
                    // A URL with credentials is not echoed: they are secrets.
                    let message = if url.contains('@') {
                        format!("source `{name}`: the url {problem}")
                    } else {
                        format!("source `{name}`: the url `{}` {problem}", shown(&url))
                    };
                    bad(
                        message,
                        "write the server's base URL, such as \"https://prometheus.internal:9090\"; a token goes in an environment variable named by token_env",
                    );
                    ok = false;
                }
                if let Some(var) = &token_env
                    && !is_env_name(var)
                {
                    bad(
                        format!(
                            "source `{name}`: token_env `{var}` is not an environment variable name"
                        ),
                        "token_env names the variable that holds the token, such as \"PROM_TOKEN\"; never write the token itself in goalpost.toml",
                    );
                    ok = false;
                }
                let timeout_secs = timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS);
                if !(1..=MAX_TIMEOUT_SECS).contains(&timeout_secs) {
                    bad(
                        format!(
                            "source `{name}`: timeout_secs must be between 1 and {MAX_TIMEOUT_SECS}, found {timeout_secs}"
                        ),
                        "the default is 10 seconds",
                    );
                    ok = false;
                }
                let (true, Ok(url)) = (ok, checked) else {
                    continue;
                };
                Source::Prometheus(Prometheus {
                    url: url.trim_end_matches('/').to_owned(),
                    token_env,
                    timeout_secs,
                })
            }
            RawSource::Csv { path } => {
                let problem = if !super::is_contained(&path) {
                    Some("leaves the repository")
                } else if path.split('/').any(crate::fsutil::is_hidden) {
                    Some("is hidden; goalpost never reads hidden files or directories")
                } else {
                    None
                };
                if let Some(problem) = problem {
                    bad(
                        format!("source `{name}`: path `{path}` {problem}"),
                        "a CSV source is a file inside the repository, such as \"metrics/kpis.csv\"",
                    );
                    continue;
                }
                Source::Csv { path }
            }
        };
        out.insert(name, source);
    }
    out
}

/// Whether `s` can name an environment variable: `[A-Za-z_][A-Za-z0-9_]*`.
pub(crate) fn is_env_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A base URL goalpost will send queries to: `http://` or `https://` (in any case), a host
/// (a name, an IPv4 address or a bracketed IPv6 address), an optional port and path;
/// nothing else. Parsed as an RFC 3986 URI by `fluent-uri` (which lsp-types links for the
/// editor server), not by the HTTP crates, which only `pull` reaches.
/// `Ok` is the URL with its scheme in lowercase; `Err` says what is wrong.
pub(crate) fn check_url(url: &str) -> Result<String, &'static str> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("holds spaces or control characters");
    }
    const SCHEME: &str = "must start with https:// or http://";
    // Checked on the text, before parsing: a parse error must not hide them.
    let (scheme, rest) = url.split_once("://").ok_or(SCHEME)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(SCHEME);
    }
    if rest.split('/').next().is_some_and(|a| a.contains('@')) {
        return Err("holds credentials, which would be printed in messages");
    }
    if url.contains(['?', '#']) {
        return Err("holds a query or a fragment; goalpost adds /api/v1/query itself");
    }
    let uri = fluent_uri::Uri::parse(url).map_err(|_| "has no valid host and port")?;
    let authority = uri.authority().ok_or("has no valid host")?;
    let host = authority.host();
    let host_ok = match host.data() {
        fluent_uri::HostData::Ipv4(_) | fluent_uri::HostData::Ipv6 { .. } => true,
        fluent_uri::HostData::RegName(name) => {
            let name = name.as_str();
            !name.is_empty()
                && name.split('.').all(|l| {
                    !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        }
    };
    if !host_ok {
        return Err("has no valid host");
    }
    // RFC 3986 takes any digits, or none (`host:`), as a port.
    let port_ok =
        |p: &str| p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n != 0);
    if authority.port().is_some_and(|p| !port_ok(p)) {
        return Err("has an invalid port");
    }
    let path = uri.path().as_str();
    if path.contains("/../") || path.ends_with("/..") || path.contains("/./") {
        return Err("has `.` or `..` in its path");
    }
    Ok(format!("{scheme}://{rest}"))
}

/// `url` as messages show it: a bracketed IPv6 host is written out in full, without `::`.
/// The renderer for terminals and CI logs splits every `::` with an invisible word joiner
/// (so that no text can read as a GitHub workflow command), which would break the address
/// for whoever copies it; `[0:0:0:0:0:0:0:1]` is the same address as `[::1]`.
pub(crate) fn shown(url: &str) -> String {
    let Ok(uri) = fluent_uri::Uri::parse(url) else {
        return url.to_owned();
    };
    let Some(a) = uri.authority() else {
        return url.to_owned();
    };
    let fluent_uri::HostData::Ipv6 { addr } = a.host().data() else {
        return url.to_owned();
    };
    let written = a.host().as_str();
    let full: Vec<String> = addr.segments().iter().map(|s| format!("{s:x}")).collect();
    url.replacen(written, &format!("[{}]", full.join(":")), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_plain_base_urls() {
        for ok in [
            "https://prometheus.internal:9090",
            "http://127.0.0.1:9090/",
            "https://metrics.example.com/prometheus",
            "http://[::1]:9090",
            "http://localhost",
        ] {
            assert_eq!(check_url(ok).as_deref(), Ok(ok), "{ok}");
        }
        for (bad, why) in [
            ("prometheus:9090", "https://"),
            ("ftp://x", "https://"),
            ("https://user:pw@host", "credentials"),
            ("https://host/?x=1", "query"),
            ("https://host#f", "query"),
            ("https://", "host"),
            ("https://ho st", "spaces"),
            ("https://host:99999", "port"),
            ("https://host:", "port"),
            ("https://host/a/../b", "`..`"),
            ("https://a..b", "host"),
            ("http://[zz]:1", "host"),
            ("http://[1:2]:1", "host"),
            ("http://[::1", "host"),
            ("https://host:0", "port"),
        ] {
            let e = check_url(bad).expect_err(bad);
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn a_scheme_in_capitals_is_accepted_and_written_in_lowercase() {
        for (written, read) in [
            ("HTTP://prom.internal:9090", "http://prom.internal:9090"),
            ("Https://P.internal/prom/", "https://P.internal/prom/"),
            ("HTTP://[::1]:9090", "http://[::1]:9090"),
        ] {
            assert_eq!(check_url(written).as_deref(), Ok(read), "{written}");
        }
        for bad in ["HTTPX://h", "FTP://h"] {
            assert!(check_url(bad).expect_err(bad).contains("https://"), "{bad}");
        }
    }

    #[test]
    fn an_ipv6_host_is_shown_without_double_colons() {
        assert_eq!(
            shown("http://[::1]:9090/p"),
            "http://[0:0:0:0:0:0:0:1]:9090/p"
        );
        assert_eq!(shown("https://[fd00::A:1]"), "https://[fd00:0:0:0:0:0:a:1]");
        for same in [
            "http://127.0.0.1:9",
            "https://p.internal",
            "http://[zz]:1",
            "x",
        ] {
            assert_eq!(shown(same), same);
        }
    }

    proptest::proptest! {
        // goalpost.toml is attacker-controlled: no URL makes the check panic.
        #[test]
        fn any_url_is_judged_without_a_panic(
            scheme in proptest::sample::select(vec!["https://", "http://", "", "HTTP://"]),
            rest in "\\PC{0,40}",
        ) {
            let _ = check_url(&format!("{scheme}{rest}"));
        }
    }

    #[test]
    fn environment_names() {
        assert!(is_env_name("PROM_TOKEN") && is_env_name("_x1"));
        assert!(!is_env_name("") && !is_env_name("1X") && !is_env_name("A-B"));
        assert!(!is_env_name("$PROM"));
    }
}

#[cfg(test)]
mod parse_tests {
    use crate::config::parse;
    use crate::config::sources::{Prometheus, Source};

    #[test]
    fn sources_are_read_with_defaults() {
        let c = parse(
            "[sources.prom]\nkind = \"prometheus\"\nurl = \"https://p.internal:9090/\"\ntoken_env = \"PROM_TOKEN\"\n[sources.warehouse]\nkind = \"csv\"\npath = \"metrics/kpis.csv\"\n",
            0,
        )
        .unwrap();
        assert_eq!(
            c.sources["prom"],
            Source::Prometheus(Prometheus {
                url: "https://p.internal:9090".into(),
                token_env: Some("PROM_TOKEN".into()),
                timeout_secs: 10
            })
        );
        assert_eq!(
            c.sources["warehouse"],
            Source::Csv {
                path: "metrics/kpis.csv".into()
            }
        );
    }

    #[test]
    fn unknown_and_misplaced_keys_are_located_errors() {
        let text = "stale_days = 7\n\n[sources.prom]\nkind = \"prometheus\"\nurl = \"https://p:9090\"\ntokn_env = \"X\"\n";
        let d = &parse(text, 0).unwrap_err()[0];
        assert!(d.message.contains("unknown field `tokn_env`"), "{d:?}");
        assert_eq!((d.span.line, d.span.col), (6, 1));
        assert_eq!(d.help.as_deref(), Some("did you mean `token_env`?"));
        let d = &parse(
            "[sources.w]\nkind = \"csv\"\npath = \"a.csv\"\nquery = \"x\"\n",
            0,
        )
        .unwrap_err()[0];
        assert!(d.message.contains("unknown field `query`"), "{d:?}");
        assert_eq!(d.span.line, 4);
        for (text, says) in [
            (
                "[sources.p]\nkind = \"prom\"\nurl = \"x\"\n",
                "unknown variant `prom`",
            ),
            (
                "[sources.p]\nkind = \"prometheus\"\n",
                "missing field `url`",
            ),
            ("[sources.w]\npath = \"a.csv\"\n", "missing field `kind`"),
            (
                "[sources.w]\nkind = \"csv\"\npath = \"../a.csv\"\n",
                "leaves the repository",
            ),
            (
                "[sources.w]\nkind = \"csv\"\npath = \".secrets/a.csv\"\n",
                "hidden",
            ),
            (
                "[sources.W]\nkind = \"csv\"\npath = \"a.csv\"\n",
                "not a valid id",
            ),
            (
                "[sources.p]\nkind = \"prometheus\"\nurl = \"https://u:p@h\"\n",
                "credentials",
            ),
            (
                "[sources.p]\nkind = \"prometheus\"\nurl = \"https://h\"\ntoken_env = \"$T\"\n",
                "not an environment variable name",
            ),
            (
                "[sources.p]\nkind = \"prometheus\"\nurl = \"https://h\"\ntimeout_secs = 0\n",
                "between 1 and 300",
            ),
        ] {
            let d = &parse(text, 0).unwrap_err()[0];
            assert!(d.message.contains(says), "{text:?}: {d:?}");
            assert_eq!(d.code, crate::diag::Code::InvalidConfig);
        }
    }
}
