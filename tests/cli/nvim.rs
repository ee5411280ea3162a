//! A real editor as the client: Debian's Neovim (0.7, headless) with its built-in LSP client,
//! configured by `nvim/init.lua` (the README's 0.7 set-up), opens a goal file with a typo in
//! a ref; `nvim/driver.lua` records the diagnostics it received, fixes the typo in the
//! buffer (unsaved) and records that the error went, then asks for hover, definition and
//! completion. Skipped with a note when `nvim` is missing, except under `CI=true`.

use crate::common::*;
use crate::tools::{missing, on_path};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn neovim_shows_goalposts_diagnostics() {
    let Some(nvim) = on_path("nvim") else {
        missing("neovim_shows_goalposts_diagnostics", "neovim (`nvim`)");
        return;
    };
    let r = repo(&[]);
    copy_dir(&root().join("examples/acme"), r.path());
    let q4 = r.path().join("goals/growth/2026-Q4.yaml");
    let text = std::fs::read_to_string(&q4).expect("read");
    let broken = text.replace("parent: company/activation", "parent: company/activaton");
    std::fs::write(&q4, &broken).expect("write");
    let out = r.path().join("nvim-out.txt");
    // `goalpost` on PATH, as the README's configuration expects.
    let path = std::env::join_paths(
        std::iter::once(bin().parent().expect("bin dir").to_owned()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .expect("PATH");
    let nvim_dir = root().join("tests/cli/nvim");
    let home = tempfile::tempdir().expect("home");
    let mut child = Command::new(nvim)
        .current_dir(r.path())
        .args(["--headless", "-n", "-i", "NONE", "-u"])
        .arg(nvim_dir.join("init.lua"))
        .arg("goals/growth/2026-Q4.yaml")
        .arg("-c")
        .arg(format!("luafile {}", nvim_dir.join("driver.lua").display()))
        .env("PATH", path)
        .env("GOALPOST_TODAY", TODAY)
        .env("GOALPOST_NVIM_OUT", &out)
        // No user or system state of the machine's Neovim.
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if started.elapsed() > Duration::from_secs(150) {
            let _ = child.kill();
            panic!("nvim did not finish in 150 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let lines = std::fs::read_to_string(&out).unwrap_or_else(|e| {
        let mut err = String::new();
        if let Some(mut s) = child.stderr.take() {
            use std::io::Read;
            let _ = s.read_to_string(&mut err);
        }
        panic!("nvim ({status}) wrote no result: {e}\n{err}")
    });
    if std::env::var_os("GOALPOST_NVIM_SHOW").is_some() {
        eprintln!("{lines}");
    }
    let has = |prefix: &str| lines.lines().any(|l| l.starts_with(prefix));
    assert!(has("opened true"), "{lines}");
    let line = broken
        .lines()
        .position(|l| l.contains("company/activaton"))
        .expect("the typo")
        + 1;
    assert!(
        has(&format!(
            "error {line}:13 unknown-ref `parent` names objective `company/activaton`, which is not defined | help: did you mean `company/activation`?"
        )),
        "{lines}"
    );
    assert!(has("fixed true"), "{lines}");
    assert!(
        has("hover **Key result** growth/onboarding/support-tickets"),
        "{lines}"
    );
    assert!(lines.contains("250 → 176 → 150 tickets/week"), "{lines}");
    assert!(
        has("definition file://") && lines.contains("goals/company/2026-Q4.yaml 8"),
        "{lines}"
    );
    assert!(
        has("completion growth/d7-retention") && has("completion platform/uptime"),
        "{lines}"
    );
}

/// The README's Neovim 0.7 set-up is the one this test runs.
#[test]
fn the_readme_gives_the_tested_neovim_configuration() {
    let init = std::fs::read_to_string(root().join("tests/cli/nvim/init.lua")).expect("init.lua");
    let body = &init[init
        .find("local goalpost_client")
        .expect("the configuration")..];
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    assert!(
        readme.contains(body.trim_end()),
        "README.md must hold tests/cli/nvim/init.lua from `local goalpost_client` on"
    );
}
