#!/usr/bin/env bash
# What the second core gives: `status --format json` on one core against two (issue 34).
#
#   benches/cores_bench.sh [TEAMS]                 # default 3000 teams, RUNS=5
#   ORG=/tmp/org3000 RUNS=7 benches/cores_bench.sh  # an organisation generated before
#   BIN=/tmp/goalpost-before benches/cores_bench.sh # another build
#
# Generates an organisation of TEAMS teams with benches/gen_org.py (unless ORG names one),
# then runs, in RUNS interleaved rounds (one run of each in turn, so that a change in the
# machine's load hits both alike):
#   - taskset -c 0   goalpost status --format json     (one core)
#   - taskset -c 0,1 goalpost status --format json     (two cores)
# with `--as-of 2026-11-15` and GOALPOST_TODAY=2026-12-31, output to /dev/null, and prints
# the median wall and CPU (user + sys) times of each and the speed-up (one core's median wall
# time over two cores'). goalpost sizes its thread pool from the cores it may run on, so
# taskset is all it takes. Needs a machine with at least two cores that nothing else is
# using: the figure is a ratio of wall times.
set -euo pipefail

if [ $# -gt 1 ] || [[ ${1:-} == -* ]]; then
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
TEAMS=${1:-3000}
RUNS=${RUNS:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$here/target/release/goalpost}
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release, or set BIN" >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "needs two cores" >&2; exit 1; }
command -v taskset >/dev/null || { echo "needs taskset (util-linux)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-cores.XXXXXX")
trap 'rm -rf "$work"' EXIT
org=${ORG:-$work/org-$TEAMS}
if [ ! -d "$org/goals" ]; then
    echo "generating $TEAMS teams..." >&2
    python3 "$here/benches/gen_org.py" "$TEAMS" "$org"
fi
export GOALPOST_TODAY=2026-12-31

python3 - "$RUNS" "$(realpath "$BIN")" "$org" <<'PY'
import resource, statistics, subprocess, sys, time

runs, binary, org = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cmds = {
    "one core": ["taskset", "-c", "0"],
    "two cores": ["taskset", "-c", "0,1"],
}

def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def run(prefix):
    c0, t0 = cpu(), time.perf_counter()
    subprocess.run(prefix + [binary, "-C", org, "--as-of", "2026-11-15", "status", "--format", "json"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0, cpu() - c0

for p in cmds.values():  # warm-up (page cache)
    run(p)
wall = {k: [] for k in cmds}
cpus = {k: [] for k in cmds}
for r in range(runs):
    order = list(cmds) if r % 2 == 0 else list(reversed(cmds))
    for k in order:
        w, c = run(cmds[k])
        wall[k].append(w)
        cpus[k].append(c)
print("| `status --format json` | wall median | wall best | CPU median |")
print("|---|---:|---:|---:|")
for k in cmds:
    print(f"| {k} | {statistics.median(wall[k]):.3f} s | {min(wall[k]):.3f} s | {statistics.median(cpus[k]):.3f} s |")
s = statistics.median(wall["one core"]) / statistics.median(wall["two cores"])
print(f"\ntwo cores over one (median wall): **{s:.2f}×**")
PY
