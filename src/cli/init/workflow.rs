//! The GitHub Actions workflow `goalpost init` writes; `examples/ci/github-workflow.yml` is
//! the same text (a test compares them). It runs goalpost's own composite action
//! (`action.yml` at the root of goalpost's repository), which builds goalpost once and caches
//! it. Where that repository is, is said in one place: Cargo.toml's `repository`, read at
//! build time. A goalpost built without one (or with one that is not on GitHub) cannot name
//! the action: the workflow then has that one line marked, and `init` says what to put there.

/// Where the workflow goes, relative to the project root.
pub(super) const PATH: &str = ".github/workflows/goals.yml";

/// Where the weekly reminder workflow goes (SPEC 15); `examples/ci/weekly-workflow.yml` is
/// the same text.
pub(super) const WEEKLY_PATH: &str = ".github/workflows/goals-weekly.yml";

/// Cargo.toml's `repository`, empty when it is not set.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The release tag of this goalpost in its repository.
const TAG: &str = concat!("v", env!("CARGO_PKG_VERSION"));

/// The workflow text, and what the user must still do before it can run, if anything.
pub(super) struct Workflow {
    pub text: String,
    pub todo: Option<String>,
}

pub(super) fn workflow() -> Workflow {
    for_repository(REPOSITORY)
}

/// The weekly workflow: `pull --commit` on a branch and a pull request, then the digest
/// posted to Slack.
pub(super) fn weekly() -> Workflow {
    render(WEEKLY_TEMPLATE, WEEKLY_PATH, REPOSITORY)
}

fn for_repository(url: &str) -> Workflow {
    render(TEMPLATE, PATH, url)
}

/// `template` with its `uses: {ACTION}` line naming goalpost's action from `url`, or marked
/// with what to put there (`path` is where the workflow is written, for the note).
fn render(template: &str, path: &str, url: &str) -> Workflow {
    let (uses, todo) = match github_repository(url) {
        Some(repo) => (format!("        uses: {repo}@{TAG}\n"), None),
        None => {
            let why = if url.is_empty() {
                "this goalpost was built without a `repository` in its Cargo.toml".to_owned()
            } else {
                format!("goalpost's repository ({url}) is not on GitHub")
            };
            let marked = format!(
                "{}        uses: OWNER/goalpost@{TAG}\n",
                comment(
                    &format!(
                        "goalpost init: {why}, so it cannot name its GitHub Action. Set \
                         OWNER/goalpost below to the GitHub repository that hosts goalpost \
                         (with action.yml at its root), keeping the release tag."
                    ),
                    "        ",
                )
            );
            let todo = format!(
                "{path} needs one edit before it can run: {why}, so set its line \
                 `uses: OWNER/goalpost@{TAG}` to the GitHub repository that hosts goalpost \
                 (owner/name), such as `uses: your-org/goalpost@{TAG}`"
            );
            (marked, Some(todo))
        }
    };
    Workflow {
        text: template.replace("        uses: {ACTION}\n", &uses),
        todo,
    }
}

/// `text` as YAML comment lines of at most 92 columns, each starting with `indent`.
fn comment(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = format!("{indent}#");
    for word in text.split_whitespace() {
        if line.len() + 1 + word.len() > 92 && line.len() > indent.len() + 1 {
            out.push_str(&line);
            out.push('\n');
            line = format!("{indent}#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// `owner/name` of a `https://github.com/owner/name` URL (with or without `.git` or a
/// trailing slash).
fn github_repository(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://github.com/")
        .or_else(|| url.strip_prefix("http://github.com/"))?;
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let mut parts = rest.split('/');
    let (owner, name) = (parts.next()?, parts.next()?);
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    (parts.next().is_none() && ok(owner) && ok(name)).then(|| format!("{owner}/{name}"))
}

const TEMPLATE: &str = r#"# goalpost: checks the goal files on every pull request and push to main.
# Written by `goalpost init` (the same as examples/ci/github-workflow.yml in goalpost's repository).
#   1. goalpost's action builds goalpost once (cached afterwards), validates every goal file with
#      each problem annotated on its line, refuses rewritten check-ins on a pull request, and
#      writes the goals report to the job summary;
#   2. on a pull request from this repository, one comment says what it changes in the goals
#      (updated on each push).
# Goals in a subdirectory: set `directory:` below and `goalpost -C DIR diff` in the last step.
name: goals
on:
  pull_request:
    paths: ["goals/**", "goalpost.toml", ".github/workflows/goals.yml"]
  push:
    branches: [main]

permissions:
  contents: read
  pull-requests: write # for the comment

jobs:
  goalpost:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # diff and check --base compare against the base branch's history

      - name: Check goals
        uses: {ACTION}
        with:
          directory: .
          base: ${{ github.event_name == 'pull_request' && format('origin/{0}', github.base_ref) || '' }}

      - name: Comment what this pull request changes
        if: github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository
        env:
          GH_TOKEN: ${{ github.token }}
          BASE: origin/${{ github.base_ref }}
          PR: ${{ github.event.pull_request.number }}
        run: |
          goalpost diff "$BASE" HEAD --format markdown > "$RUNNER_TEMP/goals-diff.md"
          gh pr comment "$PR" --edit-last --body-file "$RUNNER_TEMP/goals-diff.md" \
            || gh pr comment "$PR" --body-file "$RUNNER_TEMP/goals-diff.md"
"#;

const WEEKLY_TEMPLATE: &str = r#"# goalpost: the weekly reminder. Every Monday (and by hand) this pulls the KPI values of the
# sources in goalpost.toml on a new branch and opens a pull request with them (the default
# branch is never pushed to), then posts what each owner owes to a Slack channel.
# Written by `goalpost init` (the same as examples/ci/weekly-workflow.yml in goalpost's repository).
#   1. goalpost's action builds goalpost once (cached afterwards) and checks the goal files;
#   2. `goalpost pull --commit` on a branch goalpost/pull-DATE-RUN; when it committed
#      anything, the branch is pushed and `gh pr create` opens a pull request to merge;
#   3. `goalpost digest --format slack` is posted with curl to the Slack incoming webhook in the
#      repository secret GOALPOST_SLACK_WEBHOOK (while it is not set, the digest is printed in
#      the log instead). It is posted even when the pull failed; the job fails afterwards.
# Settings > Actions > General must allow GitHub Actions to create pull requests. Pull requests
# opened with GITHUB_TOKEN do not start other workflows; close and reopen one to run them.
name: goals-weekly
on:
  schedule:
    - cron: "23 6 * * 1" # Mondays, 06:23 UTC
  workflow_dispatch:

permissions:
  contents: write # to push the branch of check-ins
  pull-requests: write # to open its pull request

concurrency:
  group: goals-weekly # one run at a time; the next waits

jobs:
  weekly:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4

      - name: Install goalpost and check the goals
        # The same line as in the goals workflow: the repository that hosts goalpost (with
        # action.yml at its root), at a release tag.
        uses: {ACTION}
        with:
          directory: .
          report: "false"

      - name: Pull KPI values on a branch and open a pull request
        env:
          GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}
          # The variable that `token_env` names in goalpost.toml, from a repository secret.
          PROM_TOKEN: ${{ secrets.PROM_TOKEN }}
          GIT_AUTHOR_NAME: github-actions[bot]
          GIT_AUTHOR_EMAIL: 41898282+github-actions[bot]@users.noreply.github.com
          GIT_COMMITTER_NAME: github-actions[bot]
          GIT_COMMITTER_EMAIL: 41898282+github-actions[bot]@users.noreply.github.com
          BASE: ${{ github.ref_name }}
        run: |
          day=$(date -u +%Y-%m-%d)
          branch="goalpost/pull-$day-$GITHUB_RUN_ID"
          before=$(git rev-parse HEAD)
          git switch -c "$branch"
          status=0
          goalpost pull --commit || status=$?
          if [ "$(git rev-parse HEAD)" != "$before" ]; then
            git push origin "HEAD:refs/heads/$branch"
            gh pr create --base "$BASE" --head "$branch" \
              --title "goalpost: KPI values pulled on $day" \
              --body "Check-ins written by \`goalpost pull --commit\` (the weekly workflow). Merge to record them."
          fi
          exit "$status"

      - name: Post what each owner owes to Slack
        if: ${{ !cancelled() }}
        env:
          SLACK_WEBHOOK: ${{ secrets.GOALPOST_SLACK_WEBHOOK }}
        run: |
          if [ -z "$SLACK_WEBHOOK" ]; then
            echo "::notice::the repository secret GOALPOST_SLACK_WEBHOOK is not set; the digest is not posted"
            goalpost digest
            exit 0
          fi
          goalpost digest --format slack > "$RUNNER_TEMP/digest.json"
          curl --fail --silent --show-error -H "Content-Type: application/json" \
            --data @"$RUNNER_TEMP/digest.json" "$SLACK_WEBHOOK"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_urls_name_the_action() {
        for url in [
            "https://github.com/acme/goalpost",
            "https://github.com/acme/goalpost.git",
            "https://github.com/acme/goalpost/",
        ] {
            assert_eq!(
                github_repository(url).as_deref(),
                Some("acme/goalpost"),
                "{url}"
            );
        }
        for url in [
            "",
            "https://gitlab.com/acme/goalpost",
            "https://github.com/acme",
            "https://github.com/acme/goalpost/tree/main",
            "https://github.com/acme/go alpost",
        ] {
            assert_eq!(github_repository(url), None, "{url}");
        }
    }

    #[test]
    fn the_action_line_is_set_or_marked() {
        let w = for_repository("https://github.com/acme/goalpost");
        assert!(w.todo.is_none());
        assert!(
            w.text
                .contains(&format!("        uses: acme/goalpost@{TAG}\n"))
        );
        assert!(!w.text.contains("{ACTION}") && !w.text.contains("OWNER"));
        for url in ["", "https://gitlab.com/acme/goalpost"] {
            let w = for_repository(url);
            let todo = w.todo.expect("something to do");
            assert!(
                todo.contains(&format!("uses: OWNER/goalpost@{TAG}")),
                "{todo}"
            );
            assert!(w.text.contains("# goalpost init: "), "{}", w.text);
            assert_eq!(w.text.matches("OWNER/goalpost").count(), 2, "{}", w.text);
        }
    }

    #[test]
    fn the_weekly_workflow_names_the_action_the_same_way() {
        let w = render(
            WEEKLY_TEMPLATE,
            WEEKLY_PATH,
            "https://github.com/acme/goalpost",
        );
        assert!(w.todo.is_none());
        assert!(
            w.text
                .contains(&format!("        uses: acme/goalpost@{TAG}\n"))
        );
        assert!(!w.text.contains("{ACTION}"));
        let w = render(WEEKLY_TEMPLATE, WEEKLY_PATH, "");
        let todo = w.todo.expect("something to do");
        assert!(todo.starts_with(WEEKLY_PATH), "{todo}");
        assert_eq!(w.text.matches("OWNER/goalpost").count(), 2, "{}", w.text);
    }
}
