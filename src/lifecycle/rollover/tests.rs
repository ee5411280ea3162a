use super::*;
use crate::lifecycle::testing::{goals_of, scored};
use crate::load::SourceFile;

const Q3: &str = "\
# yaml-language-server: $schema=../../schema/goalpost.schema.json
team: growth
period: 2026-Q3
objectives:
  - id: nurture
    title: \"Trials: find what makes them stay\"
    owner: alice
    parent: growth/north-star
    guardrails: [growth/churn]
    key_results:
      - id: adoption
        title: Adoption from 20% to 35%
        start: 20
        target: 35
        unit: \"%\"
        weight: 2
        checkins:
          - { date: 2026-09-29, value: 29 }
      - id: emails
        title: Email click-through from 3% to 6%
        start: 3
        target: 6
        checkins:
          - { date: 2026-09-29, value: 6.2 }
      - id: nps
        title: NPS from 30 to 40
        start: 30
        target: 40
        kpi: growth/nps
      - id: tour
        title: Product tour for every trial
        kind: milestone
  - id: north-star
    title: The north star
    key_results:
      - { id: a, title: A, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 8 }] }
  - id: committed
    title: Committed and nearly there
    commitment: committed
    key_results:
      - { id: a, title: A, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 9 }] }
      - { id: b, title: B, start: 0, target: 10, checkins: [{ date: 2026-09-01, value: 10 }] }
";

const KPIS: &str = "\
team: growth
kpis:
  - id: churn
    title: Churn
    better: lower
    target: 5
  - id: nps
    title: NPS
    better: higher
    target: 40
    checkins:
      - { date: 2026-09-30, value: 33 }
";

const Q4: &str = "\
team: growth
period: 2026-Q4
objectives:
  - id: committed
    title: Already planned for Q4
    key_results:
      - { id: a, title: A, start: 0, target: 10 }
";

/// The rollover of `files` (path, text) as of 2026-10-15, with `taken` paths existing.
fn rollover(
    files: &[(&str, &str)],
    teams: &[String],
    all: bool,
    taken: &[&str],
) -> Result<Plan, RolloverError> {
    let texts: Vec<&str> = files.iter().map(|(_, t)| *t).collect();
    let goals = goals_of(&texts);
    let card = scored(&goals, "2026-10-15");
    let sources = Sources {
        files: files
            .iter()
            .map(|(p, t)| SourceFile {
                path: (*p).to_owned(),
                text: (*t).to_owned(),
            })
            .collect(),
    };
    let to = Period::resolve("2026-Q4", &Default::default()).expect("a period");
    let opts = Options {
        from: "2026-Q3",
        to: &to,
        teams,
        all,
    };
    let exists = |p: &str| taken.contains(&p) || files.iter().any(|(f, _)| *f == p);
    plan(&goals, &card, &sources, &opts, &exists)
}

const FILES: [(&str, &str); 3] = [
    ("goals/growth/2026-Q3.yaml", Q3),
    ("goals/growth/2026-Q4.yaml", Q4),
    ("goals/growth/kpis.yaml", KPIS),
];

#[test]
fn below_the_pass_mark_is_carried_and_ids_in_to_are_not() {
    let p = rollover(&FILES, &[], false, &[]).expect("a plan");
    assert_eq!(p.files.len(), 1);
    let f = &p.files[0];
    // `goals/growth/2026-Q4.yaml` exists: the same name ending `-carried`.
    assert_eq!(f.path, "goals/growth/2026-Q4-carried.yaml");
    // north-star scored 0.8 (passed); committed scored 0.95 but is in Q4 already.
    assert_eq!(f.carried, [Ref::item("growth", "nurture")]);
    assert_eq!(
        p.notes,
        [
            "not carried: `growth/committed` exists in 2026-Q4 already",
            "`growth/nurture` keeps no parent: `growth/north-star` is not in 2026-Q4",
        ]
    );
    let want = "\
# yaml-language-server: $schema=../../schema/goalpost.schema.json
# Carried over from 2026-Q3 by `goalpost rollover 2026-Q3 2026-Q4`:
# the objectives that ended below their pass mark, with the key results not yet done.
# Each metric key result starts where it ended in 2026-Q3, so a title that names the
# old start needs an edit; check-ins start afresh. Rewrite or drop what no longer fits.
team: growth
period: 2026-Q4
objectives:
  # scored 0.50 in 2026-Q3 (pass mark 0.7)
  - id: nurture
    title: \"Trials: find what makes them stay\"
    owner: alice
    guardrails: [growth/churn]
    carried_from: 2026-Q3
    # done in 2026-Q3, not carried: emails
    key_results:
      - id: adoption
        title: Adoption from 20% to 35%
        start: 29
        target: 35
        unit: \"%\"
        weight: 2
      - id: nps
        title: NPS from 30 to 40
        start: 33
        target: 40
        kpi: growth/nps
      - id: tour
        title: Product tour for every trial
        kind: milestone
";
    assert_eq!(f.text, want);
    // The file is a goal file that validates with the rest.
    let mut with = FILES.to_vec();
    with.push((f.path.as_str(), f.text.as_str()));
    let texts: Vec<&str> = with.iter().map(|(_, t)| *t).collect();
    let goals = goals_of(&texts);
    let carried = goals
        .objectives
        .iter()
        .find(|o| o.id == "nurture" && o.period.name == "2026-Q4")
        .expect("carried");
    assert_eq!(carried.carried_from.as_deref(), Some("2026-Q3"));
}

#[test]
fn all_carries_everything_and_a_parent_carried_along_is_kept() {
    let p = rollover(&FILES, &[], true, &[]).expect("a plan");
    let f = &p.files[0];
    assert_eq!(
        f.carried,
        [
            Ref::item("growth", "north-star"),
            Ref::item("growth", "nurture")
        ]
    );
    // north-star is carried too, so it is in Q4 after the rollover: the parent stays.
    assert!(
        f.text.contains("    parent: growth/north-star\n"),
        "{}",
        f.text
    );
    assert_eq!(
        p.notes,
        ["not carried: `growth/committed` exists in 2026-Q4 already"]
    );
    // Every key result, the finished one too (from where it ended).
    assert!(f.text.contains("      - id: emails\n        title: Email click-through from 3% to 6%\n        start: 6.2\n"), "{}", f.text);
    assert!(f.text.contains("every objective of the team"), "{}", f.text);
}

#[test]
fn names_follow_the_first_from_file_and_collisions_refuse_everything() {
    // A FROM file not named FROM.yaml: TEAM-TO.yaml beside it.
    let files = [("goals/okrs-q3.yaml", Q3), ("goals/kpis.yaml", KPIS)];
    let p = rollover(&files, &[], false, &[]).expect("a plan");
    assert_eq!(p.files[0].path, "goals/growth-2026-Q4.yaml");
    // It has no modeline: the one for its path.
    let no_modeline = Q3.replace(
        "# yaml-language-server: $schema=../../schema/goalpost.schema.json\n",
        "",
    );
    let files = [
        ("okrs/2026-Q3.yaml", no_modeline.as_str()),
        ("okrs/kpis.yaml", KPIS),
    ];
    let p = rollover(&files, &[], false, &[]).expect("a plan");
    assert_eq!(p.files[0].path, "okrs/2026-Q4.yaml");
    assert!(
        p.files[0]
            .text
            .starts_with("# yaml-language-server: $schema=../schema/goalpost.schema.json\n")
    );
    // Both names taken: refused, naming both.
    let e =
        rollover(&FILES, &[], false, &["goals/growth/2026-Q4-carried.yaml"]).expect_err("refused");
    assert_eq!(
        e,
        RolloverError::NameTaken {
            team: "growth".into(),
            path: "goals/growth/2026-Q4.yaml".into(),
            carried: "goals/growth/2026-Q4-carried.yaml".into(),
        }
    );
}

#[test]
fn usage_errors() {
    let e = rollover(&FILES, &["sales".to_owned()], false, &[]).expect_err("no team");
    assert!(
        e.to_string()
            .contains("teams with objectives there: growth"),
        "{e}"
    );
    let texts = [Q4, KPIS];
    let goals = goals_of(&texts);
    let card = scored(&goals, "2026-10-15");
    let sources = Sources::default();
    let q4 = Period::resolve("2026-Q4", &Default::default()).expect("a period");
    let e = plan(
        &goals,
        &card,
        &sources,
        &Options {
            from: "2026-Q3",
            to: &q4,
            teams: &[],
            all: false,
        },
        &|_| false,
    )
    .expect_err("no objectives");
    assert_eq!(
        e.to_string(),
        "no objectives in period `2026-Q3`; periods with objectives: 2026-Q4"
    );
    let e = plan(
        &goals,
        &card,
        &sources,
        &Options {
            from: "2026-Q4",
            to: &q4,
            teams: &[],
            all: false,
        },
        &|_| false,
    )
    .expect_err("same");
    assert_eq!(e, RolloverError::SamePeriod("2026-Q4".into()));
}

#[test]
fn text_reads_back_as_written() {
    let strings = [
        "Adoption from 20% to 35%",
        "Trials: find what makes them stay",
        "# not a comment",
        "a, b, c",
        "{braces} and [brackets]",
        " leading",
        "trailing ",
        "say \"hi\"",
        "line one\nline two",
        "true",
        "No",
        "null",
        "~",
        "42",
        "0.5",
        "-x",
        "- item",
        "? key",
        "@mention",
        "`tick`",
        "it's",
        "ends with colon:",
        "a #hash",
        "émoji 🎯",
        "%",
        "*alias",
        "&anchor",
        "!tag",
        "|",
        ">",
    ];
    for s in strings {
        let doc = format!("title: {}\n", yaml_text(s));
        let file = format!(
            "team: t\nperiod: 2026-Q4\nobjectives:\n  - id: o\n    {doc}    key_results: []\n"
        );
        let (raw, diags) = crate::load::parse_file(0, &file);
        assert!(diags.is_empty(), "{s:?}: {file}\n{diags:?}");
        let o = &raw.expect("a file").objectives.expect("objectives")[0];
        assert_eq!(o.title.as_ref().expect("a title").value, s, "{file}");
    }
    assert_eq!(
        yaml_text("Adoption from 20% to 35%"),
        "Adoption from 20% to 35%"
    );
}
