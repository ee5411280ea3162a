//! The first answer to an edit: the edited files' diagnostics from validating only the
//! teams they can depend on, before the whole project is validated again.
//!
//! A goal file's diagnostics depend on its team's files, on the items its refs name (their
//! teams, and so on), on the check-ins that name its items (in the check-in log or in any
//! file's top-level `checkins:`), and, through "lints only when there is no error", on
//! whether any file has an error. So the edited files' teams (as they are now and as they
//! were at the last whole validation), the teams with refs into them and every team those
//! refer to, transitively, are validated with the check-ins that name their items, and
//! scored and linted as `check` does; the edited files' diagnostics come from that.
//!
//! It answers only when that is what the whole validation would say, and leaves the rest
//! to it (the server runs it once the editor is quiet): not when goalpost.toml declares
//! upstreams (their roll-up reads every team), when an edited file is the check-in log or
//! has `checkins:` of its own, has no team, or is new, when the last whole validation found
//! an error outside the edited files (its lints were off; an edit may turn them back on),
//! or when a ref in an edited file names nothing (a "did you mean" looks at every item); and
//! not when those teams hold more than half of a project of more than [`MOST_OF`] files,
//! where it would cost what the whole validation costs.
//! `lsp::store::quick::tests::quick_answers_are_the_whole_validations` holds its answers to the whole
//! validation's on generated projects and edits.

use super::Workspace;
use crate::diag::{Code, Diagnostic, Severity};
use crate::load::raw::{RawCheckin, RawFile};
use crate::model::Ref;
use std::collections::{HashMap, HashSet};

/// Past this many files, a first answer that would read more than half of the project is not
/// given (below it, the whole validation is quick anyway).
const MOST_OF: usize = 256;

impl Workspace {
    /// Answers for the files edited since the last [`Workspace::analyse`] from the teams
    /// they depend on (the module's comment): their diagnostics in the analysis are replaced
    /// by these, the whole validation stays due, and the edited files are returned. `None`
    /// when it cannot answer exactly; nothing changed then.
    pub(crate) fn analyse_quick(&mut self) -> Option<Vec<u32>> {
        if !self.dirty || !self.quick_ok || self.edited.is_empty() || !self.snapshots.fresh {
            return None;
        }
        let t0 = std::time::Instant::now();
        let config = self.config.as_ref().ok()?;
        if !config.upstreams.is_empty() {
            return None;
        }
        let edited: HashSet<u32> = self.edited.iter().copied().collect();
        let elsewhere = self.analysis.diags.iter().any(|d| {
            d.severity == Severity::Error && (d.span.is_nowhere() || !edited.contains(&d.span.file))
        });
        if elsewhere {
            return None;
        }
        let log = crate::load::resolve::normalize(&config.checkin_log);
        // The teams the edited files belong to, now and at the last whole validation.
        let mut seeds: HashSet<String> = HashSet::new();
        for &f in &self.edited {
            let i = f as usize;
            if self.sources.path(f) == log || i >= self.full_teams.len() {
                return None;
            }
            if let Some(raw) = &self.raw[i] {
                if raw.checkins.is_some() {
                    return None;
                }
                seeds.insert(team_of(raw)?);
            }
            seeds.extend(self.full_teams[i].clone());
        }
        // The teams whose refs name a seed, then every team the set refers to: each team's
        // files are looked at once, so a chain of thousands of teams stays linear.
        let mut files_of: HashMap<String, Vec<u32>> = HashMap::new();
        let mut teams: HashSet<String> = seeds.clone();
        let mut todo: Vec<String> = seeds.iter().cloned().collect();
        for &f in &self.order {
            let Some(raw) = &self.raw[f as usize] else {
                continue;
            };
            let Some(team) = team_of(raw) else { continue };
            if !teams.contains(&team) && refs_of(raw).any(|t| seeds.contains(&t)) {
                teams.insert(team.clone());
                todo.push(team.clone());
            }
            files_of.entry(team).or_default().push(f);
        }
        while let Some(team) = todo.pop() {
            for &f in files_of.get(&team).into_iter().flatten() {
                let Some(raw) = &self.raw[f as usize] else {
                    continue;
                };
                for t in refs_of(raw) {
                    if teams.insert(t.clone()) {
                        todo.push(t);
                    }
                }
            }
        }
        // When those teams hold most of a large project (an edit of the objectives every team
        // supports), the first answer would cost what the whole validation costs: only that.
        let subset: HashSet<u32> = teams
            .iter()
            .filter_map(|t| files_of.get(t))
            .flatten()
            .copied()
            .collect();
        if subset.len() > MOST_OF && subset.len() * 2 > self.order.len() {
            return None;
        }
        // Their files whole; of the other files, the top-level check-ins that name their items.
        let mut files: Vec<(u32, RawFile)> = Vec::new();
        let mut read: Vec<u32> = Vec::new();
        for &f in &self.order {
            let Some(raw) = &self.raw[f as usize] else {
                continue;
            };
            if subset.contains(&f) {
                files.push((f, RawFile::clone(raw)));
                read.push(f);
            } else if let Some(checkins) = &raw.checkins {
                let theirs: Vec<RawCheckin> = checkins
                    .iter()
                    .filter(|c| names(c, &teams))
                    .cloned()
                    .collect();
                if !theirs.is_empty() {
                    files.push((
                        f,
                        RawFile {
                            team: None,
                            period: None,
                            objectives: None,
                            kpis: None,
                            checkins: Some(theirs),
                            span: raw.span,
                            invalid: Vec::new(),
                        },
                    ));
                }
            }
        }
        let n = read.len();
        let unread = self.unread();
        let v =
            crate::validate::validate_in(files, config, unread, crate::validate::Refs::Local(None));
        let mut diags: Vec<Diagnostic> = read
            .iter()
            .flat_map(|&f| self.file_diags[f as usize].iter().cloned())
            .collect();
        // Files that did not parse have only the problems found reading them.
        for &f in &self.edited {
            if self.raw[f as usize].is_none() {
                diags.extend(self.file_diags[f as usize].iter().cloned());
            }
        }
        diags.extend(v.diags);
        let found = crate::check::findings(&v.goals, &diags, config, self.today, self.today);
        diags.extend(found.diags);
        diags.retain(|d| !d.span.is_nowhere() && edited.contains(&d.span.file));
        if diags.iter().any(|d| d.code == Code::UnknownRef) {
            return None;
        }
        self.analysis
            .diags
            .retain(|d| d.span.is_nowhere() || !edited.contains(&d.span.file));
        self.analysis.diags.extend(diags);
        self.analysis.errors = self
            .analysis
            .diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        self.timings = format!(
            "{} of {} in {} ms",
            crate::text::plural(n, "goal file"),
            crate::text::plural(teams.len(), "team"),
            t0.elapsed().as_millis()
        );
        let mut out = self.edited.clone();
        out.sort_unstable();
        Some(out)
    }
}

/// The team a file names, when it is a valid one (the file's items are that team's).
pub(super) fn team_of(raw: &RawFile) -> Option<String> {
    raw.team
        .as_ref()
        .filter(|t| crate::model::is_slug(&t.value))
        .map(|t| t.value.clone())
}

/// The teams the refs of a file's objectives and key results name (upstream refs and refs
/// that do not parse name none).
fn refs_of(raw: &RawFile) -> impl Iterator<Item = String> + '_ {
    let objectives = raw.objectives.iter().flatten();
    objectives
        .flat_map(|o| {
            let krs = o
                .key_results
                .iter()
                .flatten()
                .filter_map(|k| k.kpi.as_ref());
            o.parent
                .iter()
                .chain(o.guardrails.iter().flatten())
                .chain(krs)
        })
        .filter_map(|r| team_named(&r.value))
}

/// The team a ref names, when it is one of this repository's.
fn team_named(r: &str) -> Option<String> {
    let r: Ref = r.parse().ok()?;
    r.upstream().is_none().then(|| r.team().to_owned())
}

/// Whether a top-level check-in is one of `teams`' or may concern them: those that name
/// another team of this repository are the only ones left out.
fn names(c: &RawCheckin, teams: &HashSet<String>) -> bool {
    match c.reference().and_then(|r| r.value.parse::<Ref>().ok()) {
        Some(r) => r.upstream().is_some() || teams.contains(r.team()),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    /// The diagnostics of file `f` in the workspace's analysis, comparable.
    fn of(ws: &Workspace, f: u32) -> Vec<String> {
        let mut v: Vec<String> = ws
            .analysis
            .diags
            .iter()
            .filter(|d| !d.span.is_nowhere() && d.span.file == f)
            .map(|d| format!("{d:?}"))
            .collect();
        v.sort();
        v
    }

    const CHILD: &str = "team: child\nperiod: 2026-Q4\nobjectives:\n  - id: helpers\n    title: Help new users help each other\n    owner: dana\n    parent: growth/onboarding\n    key_results:\n      - id: answers\n        title: Raise community answers from 10 to 40 a week\n        start: 10\n        target: 40\n        checkins:\n          - { date: 2026-10-02, value: 12 }\n      - id: forum\n        title: Forum live for every customer\n        kind: milestone\n";
    const SOLO: &str = "team: solo\nperiod: 2026-Q4\nobjectives:\n  - id: billing\n    title: Make invoices something nobody has to think about\n    owner: eve\n    key_results:\n      - id: disputes\n        title: Cut invoice disputes from 30 to 10 a month\n        start: 30\n        target: 10\n        checkins:\n          - { date: 2026-10-03, value: 28 }\n      - id: portal\n        title: Self-serve billing portal live\n        kind: milestone\n";

    const COMMUNITY: &str = "  - id: community\n    title: Grow a community of users who answer each other\n    owner: alice\n    key_results:\n      - id: posts\n        title: Raise weekly forum posts from 20 to 80\n        start: 20\n        target: 80\n        checkins:\n          - { date: 2026-10-02, value: 24 }\n      - id: launch\n        title: Forum launched to every customer\n        kind: milestone\n";
    const KID: &str = "team: kid\nperiod: 2026-Q4\nobjectives:\n  - id: mentors\n    title: Every new customer meets a mentor\n    owner: finn\n    parent: child/helpers\n    key_results:\n      - id: matched\n        title: Raise mentored sign-ups from 5 to 50 a week\n        start: 5\n        target: 50\n        checkins:\n          - { date: 2026-10-04, value: 7 }\n      - id: program\n        title: Mentor programme open\n        kind: milestone\n";

    /// examples/acme with four more teams: `child`, whose objective's parent is an objective
    /// growth adds (`community`, logged nowhere), `kid`, whose parent is child's, and `solo`,
    /// which refers to no one (its file broken with `broken`); child and solo are logged.
    fn project(broken: bool) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
        let copy = |rel: &str| {
            let to = dir.path().join(rel);
            std::fs::create_dir_all(to.parent().expect("a parent")).expect("mkdir");
            std::fs::copy(acme.join(rel), to).expect("copy");
        };
        copy("goalpost.toml");
        for e in std::fs::read_dir(acme.join("goals"))
            .expect("goals")
            .flatten()
        {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() {
                for f in std::fs::read_dir(e.path()).expect("a team").flatten() {
                    copy(&format!("goals/{name}/{}", f.file_name().to_string_lossy()));
                }
            } else {
                copy(&format!("goals/{name}"));
            }
        }
        let write = |rel: &str, text: &str| {
            let to = dir.path().join(rel);
            std::fs::create_dir_all(to.parent().expect("a parent")).expect("mkdir");
            std::fs::write(to, text).expect("write");
        };
        write(
            "goals/child/2026-Q4.yaml",
            &CHILD.replace("growth/onboarding", "growth/community"),
        );
        write("goals/kid/2026-Q4.yaml", KID);
        let growth = dir.path().join("goals/growth/2026-Q4.yaml");
        let mut text = std::fs::read_to_string(&growth).expect("growth");
        text.push_str(COMMUNITY);
        std::fs::write(&growth, text).expect("write");
        let solo = if broken {
            SOLO.replacen("    title:", "    titel:", 1)
        } else {
            SOLO.to_owned()
        };
        write("goals/solo/2026-Q4.yaml", &solo);
        let log = dir.path().join("goals/checkins.yaml");
        let mut text = std::fs::read_to_string(&log).expect("the log");
        text.push_str("  - { ref: child/helpers/answers, date: 2026-10-09, value: 15 }\n");
        text.push_str("  - { ref: solo/billing/disputes, date: 2026-10-10, value: 27 }\n");
        std::fs::write(&log, text).expect("write");
        dir
    }

    /// A workspace on [`project`], analysed whole, as of a day inside 2026-Q4 (some
    /// check-ins are then in the future, and lints fire in every team).
    fn ready(dir: &tempfile::TempDir) -> Workspace {
        let today = Date::parse("2026-11-01").expect("a date");
        let mut ws = Workspace::new(dir.path(), today).expect("the project opens");
        ws.reload();
        ws.analyse();
        ws
    }

    /// An edit of a goal file's text, named; `None` where it does not apply.
    type Edit = (&'static str, fn(&str) -> Option<String>);

    fn edits() -> Vec<Edit> {
        fn first_line_with(t: &str, prefix: &str) -> Option<(usize, usize)> {
            let mut at = 0;
            for line in t.split_inclusive('\n') {
                if line.starts_with(prefix) {
                    return Some((at, at + line.len()));
                }
                at += line.len();
            }
            None
        }
        fn rename_first(t: &str, prefix: &str) -> Option<String> {
            let (a, b) = first_line_with(t, prefix)?;
            let line = t[a..b].trim_end();
            Some(format!("{}{line}-renamed\n{}", &t[..a], &t[b..]))
        }
        fn swap(t: &str, from: &str, to: &str) -> Option<String> {
            t.contains(from).then(|| t.replacen(from, to, 1))
        }
        vec![
            ("a comment", |t| Some(format!("{t}\n# a comment\n"))),
            ("an unknown key", |t| swap(t, "    title: ", "    titel: ")),
            ("an objective renamed", |t| rename_first(t, "  - id: ")),
            ("a key result renamed", |t| rename_first(t, "      - id: ")),
            ("the last objective renamed", |t| {
                let at = t.rfind("\n  - id: ")? + 1;
                let end = at + t[at..].find('\n')?;
                Some(format!("{}-renamed{}", &t[..end], &t[end..]))
            }),
            ("the team renamed", |t| {
                let at = t.find("team: ")?;
                let end = at + t[at..].find('\n')?;
                Some(format!("{}s{}", &t[..end], &t[end..]))
            }),
            ("KPI renamed", |t| rename_first(t, "  - id: ")),
            ("broken YAML", |t| Some(format!("{t}\n  - : : [\n"))),
            ("a parent of a team that is not there", |t| {
                swap(t, "parent: company/", "parent: compani/")
                    .or_else(|| swap(t, "parent: growth/", "parent: growht/"))
            }),
            ("a parent that is not there", |t| {
                swap(t, "parent: company/", "parent: company/gone-")
            }),
            ("another parent", |t| {
                swap(
                    t,
                    "parent: company/activation",
                    "parent: company/reliability",
                )
            }),
            ("a guardrail of another team", |t| {
                swap(
                    t,
                    "guardrails: [growth/churn]",
                    "guardrails: [platform/uptime]",
                )
            }),
            ("a linked KPI of another team", |t| {
                swap(t, "kpi: growth/d7-retention", "kpi: platform/uptime")
            }),
            ("another team", |t| {
                swap(t, "team: growth", "team: platform")
                    .or_else(|| swap(t, "team: platform", "team: growth"))
            }),
            ("another period", |t| {
                swap(t, "period: 2026-Q4", "period: 2026-Q3")
            }),
            ("the second objective takes the first's id", |t| {
                let (a, b) = first_line_with(t, "  - id: ")?;
                let first = t[a..b].to_owned();
                let (c, d) = first_line_with(&t[b..], "  - id: ")?;
                Some(format!("{}{first}{}", &t[..b + c], &t[b + d..]))
            }),
            ("a target equal to its start", |t| {
                let (a, b) = first_line_with(t, "        start: ")?;
                let start = t[a..b]
                    .trim()
                    .trim_start_matches("start:")
                    .trim()
                    .to_owned();
                let (c, d) = first_line_with(&t[b..], "        target: ")?;
                Some(format!(
                    "{}        target: {start}\n{}",
                    &t[..b + c],
                    &t[b + d..]
                ))
            }),
            ("no owner", |t| {
                let (a, b) = first_line_with(t, "    owner: ")?;
                Some(format!("{}{}", &t[..a], &t[b..]))
            }),
            ("a check-in in the future", |t| {
                swap(
                    t,
                    "checkins:\n",
                    "checkins:\n          - { date: 2026-12-20, value: 1 }\n",
                )
            }),
            ("check-ins of its own", |t| {
                Some(format!(
                    "{t}\ncheckins:\n  - {{ ref: growth/churn, date: 2026-10-20, value: 3 }}\n"
                ))
            }),
            ("empty", |_| Some(String::new())),
        ]
    }

    /// The goal files of examples/acme, by path.
    fn goal_files(ws: &Workspace) -> Vec<String> {
        ws.goal_paths().map(str::to_owned).collect()
    }

    #[test]
    fn quick_answers_are_the_whole_validations() {
        for broken in [false, true] {
            answers_match(broken);
        }
    }

    /// Every edit of every goal file of [`project`]: when answered quickly, the answer is
    /// the whole validation's.
    fn answers_match(broken: bool) {
        let dir = project(broken);
        let base = ready(&dir);
        let paths = goal_files(&base);
        assert!(paths.len() >= 10, "{paths:?}");
        let (mut cases, mut answered) = (0, 0);
        for path in &paths {
            let text = base.text(path).expect("read").to_owned();
            for (what, edit) in edits() {
                let Some(new) = edit(&text) else { continue };
                cases += 1;
                let mut ws = ready(&dir);
                let uri = format!("file:///{path}");
                ws.open(path, uri, new, 1);
                let f = ws.id(path).expect("known");
                if ws.analyse_quick().is_none() {
                    continue;
                }
                answered += 1;
                assert!(
                    !broken || path == "goals/solo/2026-Q4.yaml",
                    "{path}, {what}: answered with an error in another team's file"
                );
                let quick = of(&ws, f);
                ws.analyse();
                assert_eq!(quick, of(&ws, f), "{path}, {what}");
                // And back: answered from a project whose last whole analysis had errors
                // only in this file, or declined.
                ws.change(path, text.clone(), 2);
                if ws.analyse_quick().is_some() {
                    let quick = of(&ws, f);
                    ws.analyse();
                    assert_eq!(quick, of(&ws, f), "{path}, {what}, undone");
                }
            }
        }
        assert!(cases >= 100, "{cases} cases");
        // Most edits are answered quickly (none when another team's file has an error).
        if !broken {
            assert!(answered * 4 >= cases * 3, "{answered} of {cases} answered");
        }
    }

    #[test]
    fn a_chain_of_teams_is_followed_to_its_end() {
        // Team t0's objective supports t1's, which supports t2's, ...: an edit of t0's file
        // is answered from every team of the chain (a parent cycle could close anywhere on
        // it), each team's files looked at once.
        let (_dir, mut ws, f) = chain(200);
        assert!(ws.analyse_quick().is_some(), "answered");
        assert!(ws.timings.contains("of 200 teams"), "{}", ws.timings);
        let quick = of(&ws, f);
        assert!(!quick.is_empty());
        ws.analyse();
        assert_eq!(quick, of(&ws, f));
    }

    #[test]
    fn an_edit_that_needs_most_of_a_large_project_waits_for_the_whole_validation() {
        let (_dir, mut ws, _) = chain(MOST_OF + 44);
        assert!(ws.analyse_quick().is_none());
        let (_dir, mut ws, _) = chain(MOST_OF - 6);
        assert!(ws.analyse_quick().is_some());
    }

    /// A project of `n` teams whose objectives each support the next team's, validated
    /// whole, with t0's file then opened with an unknown key; and that file's id.
    fn chain(n: usize) -> (tempfile::TempDir, Workspace, u32) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(dir.path().join("goalpost.toml"), "roots = [\"goals\"]\n").expect("write");
        let file = |i: usize| {
            let parent = if i + 1 < n {
                format!("    parent: t{}/o\n", i + 1)
            } else {
                String::new()
            };
            format!(
                "team: t{i}\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    title: Objective of t{i}\n    owner: ann\n{parent}    key_results:\n      - id: a\n        title: Raise a from 1 to 2\n        start: 1\n        target: 2\n        checkins:\n          - {{ date: 2026-10-01, value: 1 }}\n      - id: b\n        title: Raise b from 1 to 2\n        start: 1\n        target: 2\n"
            )
        };
        for i in 0..n {
            let d = dir.path().join(format!("goals/t{i}"));
            std::fs::create_dir_all(&d).expect("mkdir");
            std::fs::write(d.join("2026-Q4.yaml"), file(i)).expect("write");
        }
        let today = Date::parse("2026-11-01").expect("a date");
        let mut ws = Workspace::new(dir.path(), today).expect("opens");
        ws.reload();
        ws.analyse();
        let path = "goals/t0/2026-Q4.yaml";
        let text = ws
            .text(path)
            .expect("read")
            .replace("title: Objective", "titel: Objective");
        ws.open(path, format!("file:///{path}"), text, 1);
        let f = ws.id(path).expect("known");
        (dir, ws, f)
    }

    #[test]
    fn two_files_edited_before_the_whole_validation_are_answered_alike() {
        let dir = project(false);
        let base = ready(&dir);
        let paths = goal_files(&base);
        let all = edits();
        let mut answered = 0;
        for (i, a) in paths.iter().enumerate() {
            let b = &paths[(i + 3) % paths.len()];
            for k in 0..all.len() {
                let (ta, tb) = (
                    base.text(a).expect("a").to_owned(),
                    base.text(b).expect("b").to_owned(),
                );
                let (Some(na), Some(nb)) = (all[k].1(&ta), all[(k * 7 + 3) % all.len()].1(&tb))
                else {
                    continue;
                };
                let mut ws = ready(&dir);
                ws.open(a, format!("file:///{a}"), na, 1);
                let first = ws.analyse_quick();
                ws.open(b, format!("file:///{b}"), nb, 1);
                let Some(files) = ws.analyse_quick() else {
                    continue;
                };
                answered += 1;
                assert!(first.is_none() || files.len() == 2 || a == b, "{files:?}");
                let ids: Vec<u32> = files.clone();
                let quick: Vec<Vec<String>> = ids.iter().map(|&f| of(&ws, f)).collect();
                ws.analyse();
                let whole: Vec<Vec<String>> = ids.iter().map(|&f| of(&ws, f)).collect();
                assert_eq!(quick, whole, "{a} ({}) then {b}", all[k].0);
            }
        }
        assert!(answered >= 20, "{answered} answered");
    }
}
