//! The differential test of `goalpost insights`: `tests/tools/insights_oracle.py` is an
//! independent implementation of SPEC 14 (with the readings of the insights contract),
//! written from the SPEC without reading `src/`. It generates random valid repositories
//! with a git history (check-ins committed days after their date or never, in-place edits of
//! targets and starts, revisions appended later, author dates in far UTC offsets near
//! midnight), computes latency, cadence, moves, forecast skill and calibration itself and
//! compares them with `goalpost --as-of T insights --format json` (with and without
//! `--period`, `--team`, `--owner`). `GOALPOST_INSIGHTS_CASES` sets the number of
//! repositories (40 by default) and `GOALPOST_INSIGHTS_SEED` the seed (1); a failure names
//! the seed and the case, and `python3 tests/tools/insights_oracle.py --bin
//! target/debug/goalpost --seed S --case I --keep DIR` writes that repository out.

use crate::common::{bin, root, stderr, stdout};
use crate::tools;
use std::process::Command;

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {v:?}")),
        Err(_) => default,
    }
}

#[test]
fn insights_oracle_checks_its_own_arithmetic() {
    let Some(python) = tools::python() else {
        return tools::missing(
            "insights_oracle_checks_its_own_arithmetic",
            "python3 (3.11+)",
        );
    };
    let o = Command::new(python)
        .arg(root().join("tests/tools/insights_oracle.py"))
        .arg("--self-test")
        .output()
        .expect("python runs");
    assert!(
        o.status.success(),
        "the insights oracle's self-test failed:\n{}{}",
        stdout(&o),
        stderr(&o)
    );
}

#[test]
fn insights_agree_with_the_independent_oracle() {
    let Some(python) = tools::python() else {
        return tools::missing(
            "insights_agree_with_the_independent_oracle",
            "python3 (3.11+)",
        );
    };
    if tools::on_path("git").is_none() {
        return tools::missing("insights_agree_with_the_independent_oracle", "git");
    }
    let cases = env_number("GOALPOST_INSIGHTS_CASES", 40);
    let seed = env_number("GOALPOST_INSIGHTS_SEED", 1);
    let o = Command::new(python)
        .arg(root().join("tests/tools/insights_oracle.py"))
        .arg("--bin")
        .arg(bin())
        .args(["--cases", &cases.to_string(), "--seed", &seed.to_string()])
        .output()
        .expect("python runs");
    assert!(
        o.status.success(),
        "goalpost insights and the oracle disagree (seed {seed}, {cases} cases):\n{}{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(
        stdout(&o).contains(&format!("{cases} repositories")),
        "the oracle did not run every case:\n{}",
        stdout(&o)
    );
}
