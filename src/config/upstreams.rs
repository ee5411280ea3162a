//! `name` and `[upstreams.NAME]` in goalpost.toml (SPEC 13): the repositories whose goals
//! this one vendors under `upstreams/NAME/` and refers to as `NAME:team/objective`. Like
//! the rest of goalpost.toml this is written by whoever opens a pull request, so it is
//! checked before use: names are slugs, a URL is a plain `https://` (or loopback `http://`)
//! URL without credentials, a local path is a path, roots stay inside the upstream, and a
//! token is named by its environment variable, never written.

use super::sources::{DEFAULT_TIMEOUT_SECS, MAX_TIMEOUT_SECS, check_url, shown};
use crate::diag::{Code, Diagnostic, Span};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Where the snapshots live, relative to the project root: `upstreams/NAME/`.
pub(crate) const DIR: &str = "upstreams";

/// An upstream, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    pub location: Location,
    /// The branch or tag followed.
    pub reference: String,
    /// Where the goal files are in the upstream repository.
    pub roots: Vec<String>,
    /// The environment variable holding a token.
    pub token_env: Option<String>,
    /// With a token: sent as HTTP Basic authentication with this user name (what GitHub
    /// and GitLab expect for git over HTTPS), else as a bearer token.
    pub token_user: Option<String>,
    pub timeout_secs: u64,
}

/// Where an upstream is fetched from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `https://…` (or `http://` to this machine), spoken to over git's smart HTTP protocol.
    Url(String),
    /// A repository on this machine, relative to the project root or absolute; only its
    /// committed objects are read.
    Path(String),
}

impl Location {
    /// As written in goalpost.lock and shown in messages.
    pub fn shown(&self) -> String {
        match self {
            Location::Url(u) => shown(u),
            Location::Path(p) => p.clone(),
        }
    }
}

// The `///` lines are the descriptions in goalpost.toml's JSON Schema.
/// A repository whose goals this one refers to (`NAME:team/objective`), vendored under
/// `upstreams/NAME/` by `goalpost upstream update` and pinned in goalpost.lock.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Upstream")]
pub(crate) struct RawUpstream {
    /// The repository: an `https://` URL (git's smart HTTP protocol; `http://` only to this
    /// machine), or a path to a repository on this machine (its committed files are read,
    /// not its work tree). No credentials in a URL: use `token_env`.
    url: String,
    /// The branch or tag to follow, such as `main`.
    #[serde(rename = "ref")]
    reference: String,
    /// Where the goal files are in that repository. Default `["goals"]`.
    roots: Option<Vec<String>>,
    /// The name of an environment variable holding a token (sent only over HTTPS or to
    /// this machine, never printed).
    #[schemars(regex(pattern = r"^[A-Za-z_][A-Za-z0-9_]*$"))]
    token_env: Option<String>,
    /// Send the token as HTTP Basic authentication with this user name (such as
    /// `x-access-token` for GitHub, `oauth2` for GitLab) instead of as a bearer token.
    token_user: Option<String>,
    /// Seconds the whole fetch may take (1–300). Default 10.
    #[schemars(range(min = 1, max = 300))]
    timeout_secs: Option<u64>,
}

/// Keys of an upstream's table, for "did you mean".
pub(crate) const KEYS: &[&str] = &[
    "url",
    "ref",
    "roots",
    "token_env",
    "token_user",
    "timeout_secs",
];

/// Checks the `[upstreams]` table; problems go to `diags`, located by `find`.
pub(crate) fn check(
    raw: BTreeMap<String, RawUpstream>,
    find: &dyn Fn(&str) -> Span,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Upstream> {
    let mut out = BTreeMap::new();
    for (name, raw) in raw {
        let span = find(&format!("upstreams.{name}"));
        let mut bad = |message: String, help: &str| {
            diags.push(Diagnostic::new(Code::InvalidConfig, span, message).help(help.to_owned()));
        };
        if !crate::model::is_slug(&name) {
            bad(
                format!("upstream name `{name}` is not a valid id"),
                "goal files refer to an upstream's items as `NAME:team/objective`: use 1–63 lowercase letters, digits, `-` and `_`",
            );
            continue;
        }
        let RawUpstream {
            url,
            reference,
            roots,
            token_env,
            token_user,
            timeout_secs,
        } = raw;
        let mut ok = true;
        let location = if url.contains("://") {
            match check_url(&url) {
                Ok(u) => Location::Url(u.trim_end_matches('/').to_owned()),
                Err(problem) => {
                    let message = if url.contains('@') {
                        format!("upstream `{name}`: the url {problem}")
                    } else {
                        format!("upstream `{name}`: the url `{}` {problem}", shown(&url))
                    };
                    bad(
                        message,
                        "write the repository's https URL, such as \"https://git.example.com/acme/company-goals.git\", or a path to a repository on this machine",
                    );
                    ok = false;
                    Location::Path(String::new())
                }
            }
        } else if url.is_empty() || url.chars().any(char::is_control) {
            bad(
                format!("upstream `{name}`: the url is empty or holds control characters"),
                "write the repository's https URL or a path to a repository on this machine",
            );
            ok = false;
            Location::Path(String::new())
        } else {
            Location::Path(url)
        };
        if !is_reference(&reference) {
            bad(
                format!(
                    "upstream `{name}`: `{}` is not a branch or tag name",
                    reference.escape_debug()
                ),
                "name the branch or tag to follow, such as ref = \"main\"",
            );
            ok = false;
        }
        let roots = roots.unwrap_or_else(|| vec!["goals".to_owned()]);
        for r in &roots {
            if !super::is_contained(r) || r.split('/').any(crate::fsutil::is_hidden) {
                bad(
                    format!(
                        "upstream `{name}`: root `{}` leaves the repository or is hidden",
                        r.escape_debug()
                    ),
                    "roots are relative paths inside the upstream repository, such as \"goals\"",
                );
                ok = false;
            }
        }
        if let Some(var) = &token_env
            && !super::sources::is_env_name(var)
        {
            bad(
                format!("upstream `{name}`: token_env `{var}` is not an environment variable name"),
                "token_env names the variable that holds the token, such as \"GOALS_TOKEN\"; never write the token itself in goalpost.toml",
            );
            ok = false;
        }
        if let Some(user) = &token_user
            && (user.is_empty() || user.contains(':') || user.chars().any(char::is_control))
        {
            bad(
                format!(
                    "upstream `{name}`: token_user is empty or holds `:` or control characters"
                ),
                "token_user is the user name sent with the token, such as \"x-access-token\"",
            );
            ok = false;
        }
        let timeout_secs = timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS);
        if !(1..=MAX_TIMEOUT_SECS).contains(&timeout_secs) {
            bad(
                format!(
                    "upstream `{name}`: timeout_secs must be between 1 and {MAX_TIMEOUT_SECS}, found {timeout_secs}"
                ),
                "the default is 10 seconds",
            );
            ok = false;
        }
        if ok {
            out.insert(
                name,
                Upstream {
                    location,
                    reference,
                    roots,
                    token_env,
                    token_user,
                    timeout_secs,
                },
            );
        }
    }
    out
}

/// Whether `s` can name a branch or tag: git's rules for ref names, in short (no spaces,
/// control characters, `..`, `~^:?*[\`, `@{`, no leading `-` or `/`, no trailing `/`,
/// `.` or `.lock`).
fn is_reference(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && !s.starts_with(['-', '/'])
        && !s.ends_with(['/', '.'])
        && !s.ends_with(".lock")
        && !s.contains("..")
        && !s.contains("@{")
        && !s.contains("//")
        && !s
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || "~^:?*[\\".contains(c))
        && !s.split('/').any(|part| part.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_follow_git_rules() {
        for good in ["main", "v1.2", "release/2026-q4", "refs/heads/main"] {
            assert!(is_reference(good), "{good}");
        }
        for bad in [
            "", "-x", "a..b", "a b", "a:b", "x.lock", "a/", "/a", "a@{1}", "a/.b", "a\u{7}",
        ] {
            assert!(!is_reference(bad), "{bad:?}");
        }
    }
}
