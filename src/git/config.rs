//! The git configuration as git itself reads it (git-config(1), ENVIRONMENT), for
//! `--commit`'s checks and identity. libgit2 opens a repository's configuration from the
//! default files only: it ignores `GIT_CONFIG_GLOBAL`, `GIT_CONFIG_SYSTEM` and
//! `GIT_CONFIG_NOSYSTEM` unless the repository was opened from the environment, and never
//! reads `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>`. Here those replace
//! the system and global levels, and the `GIT_CONFIG_COUNT` entries become the highest level
//! (git's command scope); the repository then reads a snapshot of the result.

use git2::{Config, ConfigLevel, Repository};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A file that reads as an empty configuration: a level git would not read is replaced by it.
const NOTHING: &str = if cfg!(windows) { "NUL" } else { "/dev/null" };

/// Makes `repo` read its configuration as git would in this environment.
pub(super) fn apply_environment(repo: &Repository) -> Result<(), git2::Error> {
    apply(repo, &|name| std::env::var_os(name))
}

fn apply(
    repo: &Repository,
    env: &dyn Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<(), git2::Error> {
    let mut config = repo.config()?;
    // System: none with GIT_CONFIG_NOSYSTEM, else GIT_CONFIG_SYSTEM when set.
    let no_system = env("GIT_CONFIG_NOSYSTEM")
        .is_some_and(|v| Config::parse_bool(v.to_string_lossy().as_ref()).unwrap_or(true));
    if no_system {
        config.add_file(Path::new(NOTHING), ConfigLevel::System, true)?;
    } else if let Some(system) = env("GIT_CONFIG_SYSTEM") {
        config.add_file(&PathBuf::from(system), ConfigLevel::System, true)?;
    }
    // Global: GIT_CONFIG_GLOBAL, when set, is the only global file (no XDG file either).
    if let Some(global) = env("GIT_CONFIG_GLOBAL") {
        config.add_file(&PathBuf::from(global), ConfigLevel::Global, true)?;
        config.add_file(Path::new(NOTHING), ConfigLevel::XDG, true)?;
    }
    let entries = command_entries(env)?;
    let snapshot = if entries.is_empty() {
        config.snapshot()?
    } else {
        // libgit2 reads configuration only from files: the entries go through a private
        // temporary one, read into the snapshot and removed at once.
        let file = TempConfig::write(&entries)
            .map_err(|e| git2::Error::from_str(&format!("GIT_CONFIG_COUNT: {e}")))?;
        config.add_file(&file.0, ConfigLevel::App, true)?;
        config.snapshot()?
    };
    repo.set_config(&snapshot)
}

/// The entries of `GIT_CONFIG_COUNT`, `GIT_CONFIG_KEY_<n>` and `GIT_CONFIG_VALUE_<n>`, each
/// key split into section, subsection and name. Refused as git refuses them: a count that is
/// not a number, a missing key or value, a key that is not `section[.subsection].name`.
fn command_entries(
    env: &dyn Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<Vec<(Key, String)>, git2::Error> {
    let bad = |m: String| git2::Error::from_str(&m);
    let Some(count) = env("GIT_CONFIG_COUNT") else {
        return Ok(Vec::new());
    };
    let count = count.to_string_lossy();
    if count.is_empty() {
        return Ok(Vec::new());
    }
    let count: usize = count
        .parse()
        .map_err(|_| bad(format!("bogus count in GIT_CONFIG_COUNT: `{count}`")))?;
    let mut out = Vec::new();
    for i in 0..count {
        let key = env(&format!("GIT_CONFIG_KEY_{i}"))
            .ok_or_else(|| bad(format!("missing config key GIT_CONFIG_KEY_{i}")))?;
        let value = env(&format!("GIT_CONFIG_VALUE_{i}"))
            .ok_or_else(|| bad(format!("missing config value GIT_CONFIG_VALUE_{i}")))?;
        let key = key.to_string_lossy();
        let key = Key::parse(&key)
            .ok_or_else(|| bad(format!("invalid config key in GIT_CONFIG_KEY_{i}")))?;
        out.push((key, value.to_string_lossy().into_owned()));
    }
    Ok(out)
}

/// A configuration key: `section[.subsection].name`.
#[derive(Debug, PartialEq, Eq)]
struct Key {
    section: String,
    subsection: Option<String>,
    name: String,
}

impl Key {
    fn parse(key: &str) -> Option<Key> {
        let (section, rest) = key.split_once('.')?;
        let (subsection, name) = match rest.rsplit_once('.') {
            Some((sub, name)) => (Some(sub.to_owned()), name),
            None => (None, rest),
        };
        let word = |s: &str, dot: bool| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || (dot && c == '.'))
        };
        let name_ok = word(name, false) && name.starts_with(|c: char| c.is_ascii_alphabetic());
        let sub_ok = subsection
            .as_deref()
            .is_none_or(|s| !s.contains(['\n', '\0']));
        (word(section, false) && name_ok && sub_ok).then(|| Key {
            section: section.to_owned(),
            subsection,
            name: name.to_owned(),
        })
    }
}

/// Config-file text holding `entries`, quoted so that each value reads back exactly.
fn config_text(entries: &[(Key, String)]) -> String {
    let quote = |s: &str| {
        let mut q = String::with_capacity(s.len() + 2);
        q.push('"');
        for c in s.chars() {
            match c {
                '\\' => q.push_str("\\\\"),
                '"' => q.push_str("\\\""),
                '\n' => q.push_str("\\n"),
                '\t' => q.push_str("\\t"),
                '\u{8}' => q.push_str("\\b"),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    };
    let mut text = String::new();
    for (key, value) in entries {
        match &key.subsection {
            Some(sub) => {
                let sub = sub.replace('\\', "\\\\").replace('"', "\\\"");
                text.push_str(&format!("[{} \"{sub}\"]\n", key.section));
            }
            None => text.push_str(&format!("[{}]\n", key.section)),
        }
        text.push_str(&format!("\t{} = {}\n", key.name, quote(value)));
    }
    text
}

/// A configuration file of this process in the temporary directory, removed on drop.
struct TempConfig(PathBuf);

impl TempConfig {
    fn write(entries: &[(Key, String)]) -> std::io::Result<TempConfig> {
        let dir = std::env::temp_dir();
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = dir.join(format!(
            "goalpost-git-config-{}-{stamp}",
            std::process::id()
        ));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path)?;
        let temp = TempConfig(path);
        file.write_all(config_text(entries).as_bytes())?;
        file.sync_all()?;
        Ok(temp)
    }
}

impl Drop for TempConfig {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Whether a boolean setting is on as git reads it: a key without a value is true, and a
/// value that is not a boolean counts as set (git itself stops on it rather than reading
/// it as false).
pub(super) fn flag(config: &Config, name: &str) -> bool {
    match config.get_entry(name) {
        Ok(entry) if !entry.has_value() => true,
        Ok(entry) => Config::parse_bool(entry.value_bytes()).unwrap_or(true),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_as_git_splits_them() {
        let key = |s: &str| Key::parse(s).map(|k| (k.section, k.subsection, k.name));
        assert_eq!(
            key("commit.gpgSign"),
            Some(("commit".into(), None, "gpgSign".into()))
        );
        assert_eq!(
            key("url.https://x.example/.insteadOf"),
            Some((
                "url".into(),
                Some("https://x.example/".into()),
                "insteadOf".into()
            ))
        );
        for bad in [
            "gpgsign",
            ".x",
            "commit.",
            "commit.1x",
            "com mit.x",
            "a.b\nc.d",
        ] {
            assert_eq!(key(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn values_read_back_exactly() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let repo = Repository::init(dir.path()).expect("git init");
        let values = [
            "plain",
            "a \"quoted\" \\ value; # not a comment",
            "tab\tand\nline",
            "",
        ];
        let vars: Vec<(String, String)> = [("GIT_CONFIG_COUNT".to_owned(), "4".to_owned())]
            .into_iter()
            .chain(values.iter().enumerate().flat_map(|(i, v)| {
                [
                    (
                        format!("GIT_CONFIG_KEY_{i}"),
                        format!("test.sub \"x\".v{i}"),
                    ),
                    (format!("GIT_CONFIG_VALUE_{i}"), (*v).to_owned()),
                ]
            }))
            .chain([("GIT_CONFIG_NOSYSTEM".to_owned(), "1".to_owned())])
            .chain([("GIT_CONFIG_GLOBAL".to_owned(), NOTHING.to_owned())])
            .collect();
        let env = |name: &str| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| std::ffi::OsString::from(v))
        };
        apply(&repo, &env).expect("applied");
        let config = repo.config().expect("the config");
        for (i, v) in values.iter().enumerate() {
            assert_eq!(
                config
                    .get_string(&format!("test.sub \"x\".v{i}"))
                    .expect("set"),
                *v
            );
        }
    }

    #[test]
    fn unreadable_booleans_count_as_set() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("config");
        for (text, on) in [
            ("[commit]\n\tgpgsign = true\n", true),
            ("[commit]\n\tgpgsign = maybe\n", true),
            ("[commit]\n\tgpgsign\n", true),
            ("[commit]\n\tgpgsign = off\n", false),
            ("[commit]\n\tgpgsign = \n", false),
            ("[user]\n\tname = x\n", false),
        ] {
            std::fs::write(&path, text).expect("write");
            let config = Config::open(&path).expect("open");
            assert_eq!(flag(&config, "commit.gpgsign"), on, "{text:?}");
        }
    }
}
