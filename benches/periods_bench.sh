#!/usr/bin/env bash
# One objective id in many periods: the shape a hostile pull request can give a repository to
# make lookups by period quadratic (README, "Many periods of one id").
#
#   benches/periods_bench.sh [N]                      # N periods (default 32000), this build
#   BIN=/tmp/goalpost-before benches/periods_bench.sh  # another build
#
# Writes four repositories of N one-objective files, each defining `t/o` in one quarter
# (2000-Q1 onwards), and times one run of a command on each (CPU = user + sys, wall, peak
# RSS, output bytes), with GOALPOST_TODAY=2026-12-31:
#   rows     200,000 logged check-ins naming `t/o/k` on dates across the quarters   `check --format json`
#   carried  every objective has `carried_from: 1999-Q1`, a period without `t/o`    `check --format json`
#   parent   every objective's parent is `t/o` (itself)                              `check --format json`
#   report   N/2 periods of `t/o` and `u/p` (its parent `t/o`, carried from the year
#            before) and 100,000 check-ins, all valid                                `report --format html`
# Each run is bounded by `timeout 900`. Needs python3 and GNU time.
set -euo pipefail

if [ $# -gt 1 ] || [[ ${1:-} == -* ]]; then
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
N=${1:-32000}
here=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$here/target/release/goalpost}
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release, or set BIN" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-periods.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 - "$N" "$work" <<'PY'
import os, sys
n, work = int(sys.argv[1]), sys.argv[2]
kr = "    key_results:\n      - { id: k, title: K, start: 0, target: 10 }\n"
def quarter(i):
    return f"{2000 + i // 4}-Q{i % 4 + 1}"
for shape in ("rows", "carried", "parent", "report"):
    goals = os.path.join(work, shape, "goals")
    os.makedirs(goals)
    count = n // 2 if shape == "report" else n
    for i in range(count):
        extra = {"carried": "    carried_from: 1999-Q1\n", "parent": "    parent: t/o\n"}.get(shape, "")
        with open(os.path.join(goals, f"t{i:05d}.yaml"), "w") as f:
            f.write(f"team: t\nperiod: {quarter(i)}\nobjectives:\n  - id: o\n    title: O\n{extra}{kr}")
        if shape == "report":
            carried = f"    carried_from: {quarter(i - 4)}\n" if i >= 4 else ""
            with open(os.path.join(goals, f"u{i:05d}.yaml"), "w") as f:
                f.write(f"team: u\nperiod: {quarter(i)}\nobjectives:\n  - id: p\n    title: P\n    parent: t/o\n{carried}{kr}")
    rows = {"rows": 200000, "report": 100000}.get(shape, 0)
    if rows:
        years = count // 4
        with open(os.path.join(goals, "checkins.yaml"), "w") as f:
            f.write("checkins:\n")
            for j in range(rows):
                f.write(f"  - {{ ref: t/o/k, date: {2000 + j % years}-{1 + j % 12:02d}-{1 + j % 28:02d}, value: 1 }}\n")
PY

echo "| shape | command | CPU | wall | peak RSS | output |"
echo "|---|---|---:|---:|---:|---:|"
for shape in rows carried parent report; do
    if [ "$shape" = report ]; then cmd=(report --format html); else cmd=(check --format json); fi
    GOALPOST_TODAY=2026-12-31 /usr/bin/time -o "$work/time" -f "%U %S %e %M" \
        timeout 900 "$BIN" -C "$work/$shape" --as-of 2026-11-15 "${cmd[@]}" \
        >"$work/out" 2>/dev/null || true
    # GNU time writes "Command exited with non-zero status 1" first when the check fails.
    read -r user sys wall rss < <(tail -n 1 "$work/time")
    bytes=$(stat -c %s "$work/out")
    rm -f "$work/out"
    printf '| %s | `%s` | %.2f s | %.2f s | %d MiB | %d bytes |\n' "$shape" "${cmd[*]}" \
        "$(awk "BEGIN { print $user + $sys }")" "$wall" "$((rss / 1024))" "$bytes"
done
