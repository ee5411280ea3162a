#!/usr/bin/env bash
# What `goalpost insights` costs beside the commands it is read with: a ratio to log + status.
#
#   benches/insights_bench.sh [TEAMS]
#   RUNS=9 BIN=/tmp/goalpost-new benches/insights_bench.sh 300
#   ORG=/tmp/org300-history benches/insights_bench.sh 300   # keep the repository (reused next time)
#
# Generates an organisation of TEAMS teams (default 300) with benches/gen_org.py, gives it a
# year of weekly history with examples/history.py (a commit per team per week, 60 weeks of KPI
# check-ins and two quarters of key results: about 20,600 commits for 300 teams, built with git
# fast-import in under a minute, then repacked as a clone would be), then times, in RUNS (default 5) interleaved rounds (each round
# runs the three commands, in an order that rotates from round to round, so that a change in the
# machine's load hits all alike):
#   - goalpost insights --format json
#   - goalpost log REF       REF: the ref with the most lines in the check-in log (the first
#                            such in file order), whose history walks the most commits
#   - goalpost status --format json
# each with `-C ORG --as-of $AS_OF` (2026-11-15) and GOALPOST_TODAY=$TODAY (2026-12-31, also the
# last day of the history), and prints the medians of CPU time (user + sys) and wall time, and the
# ratio insights / (log + status) of the CPU medians.
# BIN selects the binary (default target/release/goalpost); it must have `insights` (SPEC 14).
set -euo pipefail

if [ $# -gt 1 ] || [[ ${1:-} == -* ]]; then
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
TEAMS=${1:-300}
RUNS=${RUNS:-5}
AS_OF=${AS_OF:-2026-11-15}
TODAY=${TODAY:-2026-12-31}
SEED=${SEED:-2026}
here=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$here/target/release/goalpost}

[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release, or set BIN" >&2; exit 1; }
bin=$(realpath "$BIN")
"$bin" insights --help >/dev/null 2>&1 ||
    { echo "$bin has no \`insights\` command (SPEC 14): build a goalpost that has it" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-insights.XXXXXX")
trap 'rm -rf "$work"' EXIT
org=${ORG:-$work/org-$TEAMS}

if [ -d "$org/.git" ]; then
    echo "reusing the history in $org ($(git -C "$org" rev-list --count HEAD) commits)" >&2
else
    echo "generating $TEAMS teams..." >&2
    python3 "$here/benches/gen_org.py" "$TEAMS" "$work/src" --seed "$SEED"
    echo "building the history..." >&2
    t0=$(date +%s%N)
    python3 "$here/examples/history.py" "$work/src" "$org" --today "$TODAY" --seed "$SEED"
    t1=$(date +%s%N)
    echo "history: $(git -C "$org" rev-list --count HEAD) commits in" \
        "$(awk -v ns=$((t1 - t0)) 'BEGIN {printf "%.1f", ns / 1e9}') s, .git $(du -sh "$org/.git" | cut -f1)" >&2
    # fast-import stores each version as a delta on the one before, 50 deep; a clone holds
    # what `git pack-objects` writes (newest versions whole). Repack so the history is read
    # as a team's clone would be.
    git -C "$org" repack -adfq
fi

export GOALPOST_TODAY="$TODAY" NO_COLOR=1 COLUMNS=120

# The check-in log (`checkin_log` in goalpost.toml, default goals/checkins.yaml) and its
# busiest ref.
ref=$(python3 - "$org" <<'PY'
import collections, os, re, sys, tomllib

org = sys.argv[1]
with open(os.path.join(org, "goalpost.toml"), "rb") as fh:
    log = tomllib.load(fh).get("checkin_log", "goals/checkins.yaml")
refs = collections.Counter()
with open(os.path.join(org, log), encoding="utf-8") as fh:
    for line in fh:
        m = re.search(r"(?<![\w-])ref:\s*['\"]?([^,'\"}\s]+)", line)
        if m:
            refs[m.group(1)] += 1
if not refs:
    sys.exit(f"no check-ins with a ref in {log}")
print(max(refs, key=lambda r: refs[r]))  # the first of the most frequent, in file order
PY
)

"$bin" -C "$org" --as-of "$AS_OF" check >/dev/null 2>&1 ||
    { echo "$bin: check fails on $org" >&2; exit 1; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "timing: $RUNS interleaved rounds (log $ref)..." >&2

python3 - "$bin" "$org" "$AS_OF" "$RUNS" "$ref" <<'PY'
import resource, statistics, subprocess, sys, time

bin, org, as_of, runs, ref = sys.argv[1:]
commands = [
    ("insights --format json", ["insights", "--format", "json"]),
    (f"log {ref}", ["log", ref]),
    ("status --format json", ["status", "--format", "json"]),
]
wall = {name: [] for name, _ in commands}
cpu = {name: [] for name, _ in commands}


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


for r in range(int(runs)):
    k = r % len(commands)
    for name, args in commands[k:] + commands[:k]:
        c0, t0 = children_cpu(), time.perf_counter()
        subprocess.run([bin, "-C", org, "--as-of", as_of, *args],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        wall[name].append(time.perf_counter() - t0)
        cpu[name].append(children_cpu() - c0)

med = {name: statistics.median(cpu[name]) for name in cpu}
print()
print("| command | CPU median (user + sys) | wall median |")
print("|---|---:|---:|")
for name, _ in commands:
    print(f"| `{name}` | {med[name]:.3f} s | {statistics.median(wall[name]):.3f} s |")
names = [name for name, _ in commands]
ratio = med[names[0]] / (med[names[1]] + med[names[2]])
print()
print(f"insights / (log + status), CPU medians: {ratio:.3f}")
PY
