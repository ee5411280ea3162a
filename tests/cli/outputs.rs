//! What reaches other programs: text from a hostile repository through every renderer
//! (terminals, CI logs, Markdown for GitHub, CSV for spreadsheets), tables that fit a real
//! terminal, and the figures' wording shared by every format.

use crate::common::*;
use std::path::Path;

/// A repository whose every string is hostile: workflow commands after line breaks,
/// terminal escapes (OSC 52, OSC 8, CSI), `##[` commands, mentions, images, HTML comments,
/// spreadsheet formulas, and a custom period name with markup and a line break.
fn hostile() -> tempfile::TempDir {
    repo(&[
        (
            "goalpost.toml",
            "[periods.\"q<!--\\n::error::p\"]\nstart = 2026-10-01\nend = 2026-12-31\n",
        ),
        (
            "goals/growth.yaml",
            r#"team: growth
period: "q<!--\n::error::p"
objectives:
  - id: onboarding
    title: "Grow\n::error file=a,line=1::forged \e]52;c;ZXZpbA==\a ##[stop-commands]tok @octocat ![x](https://e.example/p.png) <!-- hidden"
    owner: "=HYPERLINK(\"https://e.example\")"
    guardrails: [growth/churn]
    key_results:
      - id: signups
        title: "=cmd|' /C calc'!A0"
        start: 0
        target: 10
        unit: "\e[31mred"
        checkins:
          - { date: 2026-10-05, value: 5, note: "\e]8;;https://e.example\alink\e]8;;\a", by: "x\n::add-mask::secret" }
      - id: guide
        title: "+SUM(1) @team/all"
        kind: milestone
        checkins:
          - { date: 2026-10-06, done: true }
kpis:
  - id: churn
    title: "@everyone -1 <img src=x>"
    unit: "%"
    better: lower
    target: 5
    critical: 7
    checkins:
      - { date: 2026-10-05, value: 4, note: "\u009b31m" }
"#,
        ),
    ])
}

/// Lines that a GitHub Actions runner would read as a workflow command: `::cmd` after
/// leading blanks, or `##[` anywhere.
fn forged_lines(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.trim_start().starts_with("::") || l.contains("##["))
        .collect()
}

fn assert_terminal_safe(what: &str, out: &str) {
    assert!(
        forged_lines(out).is_empty(),
        "{what}: {:?}",
        forged_lines(out)
    );
    for c in out.chars() {
        let bad =
            (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}');
        assert!(!bad, "{what}: raw control character {:?} in\n{out}", c);
    }
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--as-of", "2026-11-15"];
    all.extend_from_slice(args);
    let o = run(dir, &all);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn human_outputs_cannot_drive_the_terminal_or_forge_ci_lines() {
    let d = hostile();
    for args in [
        &["status"][..],
        &["status", "--tree"],
        &["show", "growth/onboarding"],
        &["show", "growth/onboarding/signups"],
        &["show", "growth/churn"],
        // From Oct 1: the check-ins' authors and notes are among the changes.
        &["digest", "--since", "2026-10-01"],
    ] {
        let out = ok(d.path(), args);
        assert_terminal_safe(&format!("{args:?}"), &out);
        // The text is still there, shown escaped.
        if args[0] == "status" {
            assert!(out.contains("\\n"), "{out}");
            assert!(out.contains("\\u{1b}"), "{out}");
        }
    }
}

#[test]
fn markdown_cannot_ping_load_images_open_html_or_break_headings() {
    let d = hostile();
    for args in [
        &["status", "--format", "markdown"][..],
        &["report", "--format", "markdown"],
    ] {
        let out = ok(d.path(), args);
        assert_terminal_safe(&format!("{args:?}"), &out);
        for bad in ["@octocat", "@everyone", "@team", "![", "<!--", "<img"] {
            assert!(!out.contains(bad), "{args:?} holds {bad:?}:\n{out}");
        }
        // Every heading is one line and every table row keeps its columns.
        for line in out.lines() {
            if line.starts_with('|') && !line.starts_with("|---") {
                // Unescaped pipes delimit cells: every table here has at least 3 columns,
                // and the escaped `\|` of a title adds none.
                let pipes = line
                    .char_indices()
                    .filter(|&(i, c)| c == '|' && (i == 0 || &line[i - 1..i] != "\\"))
                    .count();
                assert!(pipes >= 4, "{line}");
            }
        }
        let headings: Vec<&str> = out.lines().filter(|l| l.starts_with('#')).collect();
        assert!(
            headings.iter().any(|h| h.contains("q&lt;\\!--")),
            "{headings:?}"
        );
    }
}

/// `markdown` rendered by GitHub's own renderer (cmark-gfm with its extensions, autolinks
/// included): the `href`s of the HTML it makes.
pub fn gfm_links(markdown: &str) -> Option<Vec<String>> {
    let cmark = crate::tools::on_path("cmark-gfm")?;
    let mut child = std::process::Command::new(cmark)
        .args([
            "-e",
            "autolink",
            "-e",
            "table",
            "-e",
            "strikethrough",
            "-e",
            "tagfilter",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("cmark-gfm runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let text = markdown.to_owned();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, text.as_bytes()));
    let o = child.wait_with_output().expect("cmark-gfm ends");
    writer.join().expect("writer").expect("written");
    assert!(o.status.success());
    let html = String::from_utf8_lossy(&o.stdout).into_owned();
    Some(
        html.split("href=\"")
            .skip(1)
            .map(|h| h[..h.find('"').unwrap_or(h.len())].to_owned())
            .collect(),
    )
}

#[test]
fn markdown_from_the_repository_makes_no_links_on_github() {
    // Issue 23: bare URLs, `www.` and e-mail addresses in titles and notes became links in
    // PR comments and job summaries through GitHub's autolinks, even inside `\[x\](…)`.
    let hostile = "see https://evil.example/a, www.evil.example, HTTP://evil.example/c, \
        ftp://evil.example/d, (www.evil.example/e) mail a@evil.example or mailto:b@evil.example, \
        [here](https://evil.example/b) *www.evil.example*";
    let goals = |title: &str| {
        format!(
            "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: \"{title}\"\n    key_results:\n      - id: k\n        title: \"xmpp:c@evil.example/r www.evil.example\"\n        start: 0\n        target: 10\n        checkins:\n          - {{ date: 2026-10-05, value: 5, note: \"notes at https://evil.example/n\" }}\n"
        )
    };
    let d = repo(&[("goals/growth.yaml", &goals(hostile))]);
    git_as(d.path(), "Ann", &["init", "-q", "-b", "main"]);
    git_as(d.path(), "Ann", &["add", "-A"]);
    git_as(d.path(), "Ann", &["commit", "-qm", "plan"]);
    write(
        d.path(),
        "goals/growth.yaml",
        goals(&format!("{hostile} now")).as_bytes(),
    );
    for args in [
        &["--as-of", "2026-11-15", "status", "--format", "markdown"][..],
        &["--as-of", "2026-11-15", "report", "--format", "markdown"],
        &[
            "--as-of",
            "2026-11-15",
            "diff",
            "HEAD",
            "--format",
            "markdown",
        ],
        &[
            "--as-of",
            "2027-01-01",
            "review",
            "2026-Q4",
            "--format",
            "markdown",
        ],
        // Titles are not in a digest; the note is (a check-in since Oct 1 with no owner).
        &[
            "--as-of",
            "2026-11-15",
            "digest",
            "--since",
            "2026-10-01",
            "--format",
            "markdown",
        ],
    ] {
        let o = run(d.path(), args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let md = stdout(&o);
        assert!(md.contains("evil"), "{args:?} shows the text:\n{md}");
        let Some(links) = gfm_links(&md) else {
            crate::tools::missing(
                "markdown_from_the_repository_makes_no_links_on_github",
                "cmark-gfm",
            );
            return;
        };
        let bad: Vec<&String> = links.iter().filter(|l| l.contains("evil")).collect();
        assert!(bad.is_empty(), "{args:?} links {bad:?}:\n{md}");
    }
}

#[test]
fn csv_text_cells_cannot_start_formulas_and_numbers_stay_numbers() {
    let d = hostile();
    let out = ok(d.path(), &["status", "--format", "csv"]);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let header = rdr.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
    for row in &rows {
        for name in ["title", "owner", "unit", "ref", "period"] {
            let cell = &row[col(name)];
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{name} cell {cell:?} could start a formula"
            );
        }
        for name in ["current", "progress", "start", "target", "critical"] {
            let cell = &row[col(name)];
            assert!(
                cell.is_empty() || cell.parse::<f64>().is_ok(),
                "{name} cell {cell:?} is not a number"
            );
        }
        let done = &row[col("done")];
        assert!(["", "true", "false"].contains(&done), "{done:?}");
    }
    let titles: Vec<&str> = rows.iter().map(|r| &r[col("title")]).collect();
    assert!(titles.contains(&"'=cmd|' /C calc'!A0"), "{titles:?}");
    assert!(titles.contains(&"'+SUM(1) @team/all"), "{titles:?}");
    assert!(titles.contains(&"'@everyone -1 <img src=x>"), "{titles:?}");
    let guide = rows
        .iter()
        .find(|r| &r[col("ref")] == "growth/onboarding/guide")
        .expect("the milestone row");
    assert_eq!((&guide[col("current")], &guide[col("done")]), ("", "true"));
}

#[test]
fn csv_and_html_carry_no_control_characters_or_line_breaks_from_the_repository() {
    // Both are printed in CI logs too: a title's line break must not start `::error …` on
    // a line of its own, and no escape sequence reaches the terminal.
    let d = hostile();
    for args in [
        &["status", "--format", "csv"][..],
        &["report", "--format", "html"],
    ] {
        let out = ok(d.path(), args);
        // CSV lines end in CRLF (RFC 4180): that CR is the format's, not the title's.
        let out = out.replace("\r\n", "\n");
        assert_terminal_safe(&format!("{args:?}"), &out);
        // The text is still there, on one line, its control characters replaced.
        assert!(out.contains("Grow ::error file=a"), "{args:?}:\n{out}");
        assert!(out.contains("\u{fffd}]52;c;"), "{args:?}:\n{out}");
    }
}

/// The values of `goalpost SUBCOMMAND --format`, read from the command line's definition, so
/// that a new format is covered by the tests below without being named in them.
fn formats(subcommand: &str) -> Vec<String> {
    let cli = <goalpost::Cli as clap::CommandFactory>::command();
    let sub = cli
        .find_subcommand(subcommand)
        .unwrap_or_else(|| panic!("no subcommand {subcommand}"));
    let arg = sub
        .get_arguments()
        .find(|a| a.get_id() == "format")
        .unwrap_or_else(|| panic!("{subcommand} has no --format"));
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_owned())
        .collect();
    assert!(values.len() > 1, "{subcommand}: {values:?}");
    values
}

/// Every format of `status` and `report`, the ones added later included, keeps hostile
/// repository text from driving a terminal or forging a CI line.
#[test]
fn every_status_and_report_format_is_safe_in_a_terminal_and_a_ci_log() {
    let d = hostile();
    for command in ["status", "report"] {
        // JSON carries the repository's text exactly, as data (control characters escaped
        // by the writer): what a CI log must not show is tested on the human formats.
        for format in formats(command).into_iter().filter(|f| f != "json") {
            let out = ok(d.path(), &[command, "--format", &format]);
            // CSV lines end in CRLF (RFC 4180): that CR is the format's.
            assert_terminal_safe(
                &format!("{command} --format {format}"),
                &out.replace("\r\n", "\n"),
            );
        }
    }
}

#[test]
fn tree_is_refused_outside_the_table() {
    let d = hostile();
    for format in formats("status").into_iter().filter(|f| f != "table") {
        let format = format.as_str();
        let o = run(d.path(), &["status", "--tree", "--format", format]);
        assert_eq!(o.status.code(), Some(2), "{format}");
        assert!(stderr(&o).contains("--tree"), "{}", stderr(&o));
    }
}

/// Falling latency is good: the arrow points down, the word says improving.
#[test]
fn trend_arrows_follow_the_value() {
    let d = repo(&[(
        "goals/platform.yaml",
        "team: platform\nkpis:\n  - id: latency\n    title: p95 latency\n    unit: ms\n    better: lower\n    target: 300\n    checkins:\n      - { date: 2026-10-01, value: 400 }\n      - { date: 2026-10-08, value: 350 }\n      - { date: 2026-10-15, value: 329 }\n  - id: revenue\n    title: Revenue\n    better: higher\n    target: 10\n    checkins:\n      - { date: 2026-10-01, value: 9 }\n      - { date: 2026-10-08, value: 8 }\n      - { date: 2026-10-15, value: 7 }\n",
    )]);
    let table = ok(d.path(), &["status"]);
    let line = |name: &str| {
        table
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_default()
            .to_owned()
    };
    // The KPI table's rows (the attention list above it names the KPIs too).
    assert!(line("p95 latency").contains("↘ improving"), "{table}");
    assert!(line("p95 latency").contains("329 ms"), "{table}");
    assert!(line("Revenue").contains("↘ worsening"), "{table}");
    let md = ok(d.path(), &["status", "--format", "markdown"]);
    assert!(md.contains("329 ms") && md.contains("↘ improving"), "{md}");
    let show = ok(d.path(), &["show", "platform/latency"]);
    assert!(
        show.contains("329 ms") && show.contains("↘ improving"),
        "{show}"
    );
}

#[test]
fn show_kpi_lists_where_it_is_used() {
    let d = repo(&[(
        "goals/growth.yaml",
        "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: grow\n    title: Grow\n    guardrails: [growth/churn]\n    key_results:\n      - { id: a, title: A, start: 0, target: 10 }\n      - { id: b, title: B, start: 10, target: 2, kpi: growth/churn }\nkpis:\n  - id: churn\n    title: Churn\n    better: lower\n    target: 5\n    checkins:\n      - { date: 2026-10-05, value: 6 }\n",
    )]);
    let show = ok(d.path(), &["show", "growth/churn"]);
    assert!(
        show.contains("metric of     growth/grow/b (2026-Q4)"),
        "{show}"
    );
    assert!(
        show.contains("guardrail of  growth/grow (2026-Q4)"),
        "{show}"
    );
}

#[test]
fn summaries_count_in_words_and_skip_empty_cards() {
    let d = repo(&[(
        "goals/growth.yaml",
        "team: growth\nperiod: 2026-Q4\nobjectives:\n  - id: grow\n    title: Grow\n    key_results:\n      - { id: a, title: A, start: 0, target: 10 }\n      - { id: b, title: B, start: 0, target: 10 }\nkpis:\n  - { id: churn, title: Churn, better: lower, target: 5 }\n",
    )]);
    let html = ok(d.path(), &["report", "--format", "html"]);
    assert!(html.contains("<h2>1 objective</h2>"), "{html}");
    assert!(html.contains("<h2>1 KPI</h2>"), "{html}");
    let html = ok(d.path(), &["report", "--format", "html", "--okrs"]);
    assert!(!html.contains("KPI</h2>"), "an empty KPI card");
    let md = ok(d.path(), &["report", "--format", "markdown", "--okrs"]);
    assert!(!md.contains("| KPIs |"), "{md}");
}

/// A planning pull request that touches hundreds of objectives: the diff comment still
/// fits GitHub's 65,536-character limit and says what it left out.
#[test]
fn diff_markdown_stays_within_the_comment_limit() {
    let d = tempfile::tempdir().expect("tempdir");
    let mut base = String::new();
    let mut head = String::new();
    for team in 0..60 {
        let mut b = format!("team: team-{team:02}\nperiod: 2026-Q4\nobjectives:\n");
        let mut h = b.clone();
        for o in 0..10 {
            let obj = format!(
                "  - id: objective-{o}\n    title: A fairly long objective title that a team would write, number {o}\n    key_results:\n"
            );
            b.push_str(&obj);
            h.push_str(&obj.replace("number", "now number"));
            for k in 0..2 {
                let kr = format!(
                    "      - {{ id: kr-{k}, title: Key result {k} of objective {o} with a long title, start: 0, target: 100 }}\n"
                );
                b.push_str(&kr);
                h.push_str(&kr.replace("target: 100", "target: 120"));
            }
        }
        base.push_str(&format!("--- {team}\n{b}"));
        head.push_str(&format!("--- {team}\n{h}"));
    }
    let write_all = |text: &str| {
        for part in text.split("--- ").filter(|p| !p.is_empty()) {
            let (team, body) = part.split_once('\n').expect("a team");
            write(d.path(), &format!("goals/{team}.yaml"), body.as_bytes());
        }
    };
    write_all(&base);
    git_as(d.path(), "Ann", &["init", "-q", "-b", "main"]);
    git_as(d.path(), "Ann", &["add", "-A"]);
    git_as(d.path(), "Ann", &["commit", "-qm", "plan"]);
    write_all(&head);
    let o = run(
        d.path(),
        &[
            "--as-of",
            "2026-11-15",
            "diff",
            "HEAD",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.len() <= 65_536, "{} bytes", md.len());
    assert!(md.contains("Truncated to stay under GitHub's"), "{md}");
    assert!(md.contains("left out"), "{md}");
}

/// Runs `goalpost status` in a real pseudo-terminal of `cols` columns (util-linux
/// `script`), returning what the terminal received.
fn in_terminal(dir: &Path, cols: u16, args: &str) -> String {
    let cmd = format!(
        "stty cols {cols} rows 60; exec '{}' -C '{}' --color never --as-of 2026-11-15 {args}",
        bin().display(),
        dir.display()
    );
    let o = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &cmd, "/dev/null"])
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .output()
        .expect("script (util-linux) runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).replace('\r', "")
}

/// Tokens of the example that a table may move but never break.
fn assert_tokens_whole(out: &str, cols: usize, tokens: &[&str]) {
    for line in out.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= cols,
            "{cols} columns: too wide: {line}"
        );
    }
    for token in [
        "company/activation",
        "company/reliability",
        "trial-conversion",
        "on track",
        "off track",
    ]
    .iter()
    .chain(tokens)
    {
        assert!(
            out.contains(token),
            "{cols} columns: `{token}` broken:\n{out}"
        );
    }
}

#[test]
fn tables_fit_a_real_terminal_without_breaking_tokens() {
    let acme = root().join("examples/acme");
    let narrow = in_terminal(&acme, 60, "status --team company");
    assert_tokens_whole(&narrow, 60, &[]);
    insta::assert_snapshot!("terminal_60", narrow);
    let medium = in_terminal(&acme, 80, "status --team company");
    assert_tokens_whole(&medium, 80, &["2026-11-02"]);
    insta::assert_snapshot!("terminal_80", medium);
    let wide = in_terminal(&acme, 200, "status --team company");
    assert_tokens_whole(&wide, 200, &["2026-11-02"]);
    insta::assert_snapshot!("terminal_200", wide);
    // A title is never cut (at 200 columns it fits whole), and a wrapped title keeps the
    // tree's indent: every line with text in the first column is an objective's first line
    // or is indented (`└` rows and continuations), never flush left.
    assert!(!wide.contains('…'), "{wide}");
    for table in [&narrow, &medium] {
        // The objectives' table (after the attention list), to its end.
        let okrs = table
            .lines()
            .skip_while(|l| !l.starts_with(" objective / key result"))
            .skip(2)
            .take_while(|l| !l.trim().is_empty());
        for line in okrs {
            if line.chars().nth(1).is_some_and(|c| c != ' ') {
                assert!(
                    line.starts_with(" company/"),
                    "flush left: {line:?}\n{table}"
                );
            }
        }
    }
    // Nothing is dropped at 200 columns; the narrow table keeps score and status.
    assert!(
        wide.contains("progress") && wide.contains("expected"),
        "{wide}"
    );
    assert!(
        narrow.contains("score") && narrow.contains("status"),
        "{narrow}"
    );
}

/// A closed period's figures are frozen at its end (SPEC 5): `show` of a `kpi:` key result
/// says which of its KPI's check-ins came after the period and do not count.
#[test]
fn show_marks_kpi_checkins_after_a_closed_period() {
    let d = repo(&[(
        "goals/g.yaml",
        "team: g\nperiod: 2026-Q3\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - { id: a, title: A, start: 30, target: 40, kpi: g/nps }\n      - { id: b, title: B, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 5 }] }\nkpis:\n  - id: nps\n    title: NPS\n    better: higher\n    target: 40\n    checkins:\n      - { date: 2026-09-15, value: 33 }\n      - { date: 2026-10-15, value: 41 }\n",
    )]);
    let show = ok(d.path(), &["show", "g/o/a"]);
    let line = |date: &str| {
        show.lines()
            .find(|l| l.trim_start().starts_with(date))
            .unwrap_or_else(|| panic!("no {date} in {show}"))
            .to_owned()
    };
    assert!(!line("2026-09-15").contains("does not count"), "{show}");
    assert!(
        line("2026-10-15").ends_with("(after the period's end: does not count)"),
        "{show}"
    );
    assert!(
        show.contains("30 → 33 → 40"),
        "the frozen current value: {show}"
    );
}

#[test]
fn show_names_where_a_carried_objective_came_from() {
    let d = repo(&[
        (
            "goals/g.yaml",
            "team: g\nperiod: 2026-Q3\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - { id: a, title: A, start: 0, target: 10 }\n      - { id: b, title: B, start: 0, target: 10 }\n",
        ),
        (
            "goals/g-q4.yaml",
            "team: g\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: O\n    carried_from: 2026-Q3\n    key_results:\n      - { id: a, title: A, start: 0, target: 10 }\n      - { id: b, title: B, start: 0, target: 10 }\n",
        ),
    ]);
    let show = ok(d.path(), &["show", "g/o", "--period", "2026-Q4"]);
    assert!(show.contains("carried from  2026-Q3"), "{show}");
}

/// Many moved targets do not crowd out the rest of a diff comment (issue 32): they are
/// summed up in one table row per team, every team named, and the comment still has room
/// for the teams' own tables. With 3,600 moved targets it is still more than a bare count.
#[test]
fn diff_markdown_sums_up_moved_targets_per_team() {
    for krs in [3, 12] {
        let d = tempfile::tempdir().expect("tempdir");
        let file = |team: usize, target: u32| {
            let mut t = format!(
                "team: t{team:03}\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: Objective of team {team}\n    key_results:\n"
            );
            for k in 0..krs {
                t.push_str(&format!(
                    "      - {{ id: kr-{k}, title: Key result {k}, start: 0, target: {target} }}\n"
                ));
            }
            t
        };
        for team in 0..300 {
            write(
                d.path(),
                &format!("goals/t{team:03}.yaml"),
                file(team, 100).as_bytes(),
            );
        }
        git_as(d.path(), "Ann", &["init", "-q", "-b", "main"]);
        git_as(d.path(), "Ann", &["add", "-A"]);
        git_as(d.path(), "Ann", &["commit", "-qm", "plan"]);
        for team in 0..300 {
            write(
                d.path(),
                &format!("goals/t{team:03}.yaml"),
                file(team, 80).as_bytes(),
            );
        }
        let o = run(
            d.path(),
            &[
                "--as-of",
                "2026-11-15",
                "diff",
                "HEAD",
                "--format",
                "markdown",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let md = stdout(&o);
        assert!(md.len() <= 65_536, "{} bytes", md.len());
        let moved = 300 * krs;
        assert!(
            md.contains(&format!(
                "**⚠️ {moved} targets moved inside an open period**"
            )),
            "{krs}: {}",
            &md[..2000.min(md.len())]
        );
        for team in 0..300 {
            let row = format!("| t{team:03} | {krs} |");
            assert!(md.contains(&row), "{krs}: no summary row `{row}`");
        }
        let tables = md.matches("\n### t").count();
        assert!(tables >= 12, "{krs}: only {tables} team tables fit");
    }
}
