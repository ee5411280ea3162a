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

use crate::common::{root, stderr, stdout};
use crate::tools;
use std::process::Command;

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
    crate::oracle::run_oracle(&python, "insights_oracle.py", "GOALPOST_INSIGHTS", 40);
}
