#!/usr/bin/env bash
# How each command grows from 3,000 to 10,000 teams (issue 34): linear is 10 per 10× input.
#
#   benches/growth_bench.sh                       # generates both organisations, RUNS=2
#   ORG3K=/tmp/org3000 ORG10K=/tmp/org10000 RUNS=3 benches/growth_bench.sh
#   BIN=/tmp/goalpost-before benches/growth_bench.sh
#   ONLY='rollover' TMPDIR=/dev/shm ORG3K=/dev/shm/org3000 ORG10K=... benches/growth_bench.sh
#
# ONLY (a Python regular expression) keeps the commands whose words it finds, and
# `status --format json`, every ratio's denominator. TMPDIR places the work directory (and
# `rollover`'s copies): on tmpfs, file creation costs no inode search (see BENCHMARKS.md).
# Generates (unless ORG3K / ORG10K name them) organisations of 3,000 and 10,000 teams with
# benches/gen_org.py (about 120 and 400 MB of goal files; the 10,000-team one takes half a
# minute and 560 MB of disk), then runs each command RUNS times on each, interleaved, with
# `--as-of 2026-11-15` and GOALPOST_TODAY=2026-12-31, output to /dev/null, and prints per
# command: the median CPU time (user + sys) at each size, the growth per 10× input
# ((t10k / t3k) ^ (1 / log10(10000 / 3000)); linear is 10), and the ratio to
# `status --format json` at each size. `rollover` writes into a fresh copy of the
# organisation each run; the copies are made, and synced to disk, before anything is timed
# and then a minute passes (SETTLE seconds), so that the kernel's guard over recently freed
# inodes is not timed as rollover's (see BENCHMARKS.md, "an eighth pass"); KEEP_COPYING=1
# makes each copy just before its run, removing the one before, as until then.
set -euo pipefail

if [ $# -gt 0 ]; then
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
RUNS=${RUNS:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$here/target/release/goalpost}
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release, or set BIN" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-growth.XXXXXX")
trap 'rm -rf "$work"' EXIT
org3k=${ORG3K:-$work/org-3000}
org10k=${ORG10K:-$work/org-10000}
for pair in "3000 $org3k" "10000 $org10k"; do
    set -- $pair
    if [ ! -d "$2/goals" ]; then
        echo "generating $1 teams..." >&2
        python3 "$here/benches/gen_org.py" "$1" "$2"
    fi
done
export GOALPOST_TODAY=2026-12-31 NO_COLOR=1

python3 - "$RUNS" "$(realpath "$BIN")" "$org3k" "$org10k" "$work" <<'PY'
import math, os, resource, shutil, statistics, subprocess, sys, time

runs, binary, org3k, org10k, work = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
commands = [
    ["status", "--format", "json"],
    ["status"],
    ["status", "--format", "markdown"],
    ["status", "--format", "csv"],
    ["check"],
    ["review", "2026-Q3"],
    ["digest"],
    ["calendar"],
    ["report", "--format", "html"],
    ["show", "team-0001/obj-0/kr-1"],
    ["rollover", "2026-Q4", "2027-Q1"],
]

def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

# `rollover` writes into copies of the organisations, all made (and synced to disk) before
# anything is timed and removed only at the end: a copy made just before a run leaves the
# kernel writing back its pages during the run's fsyncs, and removing the last copy just
# before one makes ext4 (without a journal) step over every inode freed in the last seconds
# when the run creates files. Neither is rollover's work. KEEP_COPYING=1 measures the old way
# (remove the last copy, copy, run).
copies = {}
def copy_name(org, n):
    return os.path.join(work, f"copy-{'3k' if org == org3k else '10k'}-{n}")

def copy_of(org):
    n = copies.get(org, 0)
    copies[org] = n + 1
    if os.environ.get("KEEP_COPYING"):
        shutil.rmtree(copy_name(org, n - 1), ignore_errors=True)
        shutil.copytree(org, copy_name(org, n), symlinks=True)
    return copy_name(org, n)

def run(org, cmd):
    if cmd[0] == "rollover":
        org = copy_of(org)
    c0 = cpu()
    subprocess.run([binary, "-C", org, "--as-of", "2026-11-15"] + cmd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return cpu() - c0

only = os.environ.get("ONLY")
if only:
    import re
    commands = [c for i, c in enumerate(commands) if i == 0 or re.search(only, " ".join(c))]
times = {(i, size): [] for i in range(len(commands)) for size in ("3k", "10k")}
if not os.environ.get("KEEP_COPYING") and any(c[0] == "rollover" for c in commands):
    for org in (org3k, org10k):
        for n in range(runs):
            shutil.copytree(org, copy_name(org, n), symlinks=True)
    # Written to disk, then a minute for ext4 (without a journal) to stop guarding the
    # inodes anything freed before: it skips, one by one, free inodes whose deletion is
    # younger than 60 s (360 s while not written back) when it hands out a new one.
    subprocess.run(["sync"], check=False)
    time.sleep(float(os.environ.get("SETTLE", "61")))
for r in range(runs):
    for i, cmd in enumerate(commands):
        for size, org in (("3k", org3k), ("10k", org10k)):
            times[(i, size)].append(run(org, cmd))
        print(f"round {r + 1}: {' '.join(cmd)}", file=sys.stderr, flush=True)
med = {k: statistics.median(v) for k, v in times.items()}
exponent = 1 / math.log10(10000 / 3000)
print("| command | CPU 3,000 teams | CPU 10,000 teams | growth per 10× input | × status JSON 3k | × status JSON 10k |")
print("|---|---:|---:|---:|---:|---:|")
for i, cmd in enumerate(commands):
    a, b = med[(i, "3k")], med[(i, "10k")]
    g = (b / a) ** exponent if a > 0 else float("nan")
    print(f"| `{' '.join(cmd)}` | {a:.2f} s | {b:.2f} s | {g:.1f} | {a / med[(0, '3k')]:.2f} | {b / med[(0, '10k')]:.2f} |")
PY
