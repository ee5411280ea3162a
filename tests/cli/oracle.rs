//! The differential test of scoring: `tests/tools/oracle.py` is an independent
//! implementation of SPEC 3.1–3.4, 4, 5 and 12 ("Check-in due"), written from the SPEC
//! without reading `src/`. It generates random valid repositories (revisions, drops,
//! corrections, cadences, KPI-linked key results, several periods), computes the figures
//! itself and compares them with `goalpost status --format json --as-of D` for a few dates
//! each. `GOALPOST_ORACLE_CASES` raises the number of repositories (200 by default) and
//! `GOALPOST_ORACLE_SEED` changes the seed (1); a failure names the seed and the case, and
//! `python3 tests/tools/oracle.py --bin target/debug/goalpost --seed S --case I --keep DIR`
//! writes that repository out.

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

/// Runs an oracle script of `tests/tools` against the debug binary on the number of cases
/// and the seed the environment variables `{prefix}_CASES` and `{prefix}_SEED` give (else
/// `cases` and 1), and fails when it disagrees or did not run every case.
pub(crate) fn run_oracle(python: &std::path::Path, script: &str, prefix: &str, cases: u64) {
    let cases = env_number(&format!("{prefix}_CASES"), cases);
    let seed = env_number(&format!("{prefix}_SEED"), 1);
    let o = Command::new(python)
        .arg(root().join("tests/tools").join(script))
        .arg("--bin")
        .arg(bin())
        .args(["--cases", &cases.to_string(), "--seed", &seed.to_string()])
        .output()
        .expect("python runs");
    assert!(
        o.status.success(),
        "goalpost and {script} disagree (seed {seed}, {cases} cases):\n{}{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(
        stdout(&o).contains(&format!("{cases} repositories")),
        "{script} did not run every case:\n{}",
        stdout(&o)
    );
}

#[test]
fn scores_agree_with_the_independent_oracle() {
    let Some(python) = tools::python() else {
        return tools::missing(
            "scores_agree_with_the_independent_oracle",
            "python3 (3.11+)",
        );
    };
    run_oracle(&python, "oracle.py", "GOALPOST_ORACLE", 200);
}
