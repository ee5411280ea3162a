#!/usr/bin/env bash
# What the commands that append check-ins cost beside `status --format json` (issue 33:
# `checkin`, `checkin --from`, `pull` <= 1.3x status).
#
#   ORG=/tmp/bench-org3000 benches/write_bench.sh
#   RUNS=5 ROWS="1000 100000" BIN=/tmp/goalpost-new ORG=/tmp/bench-org300 benches/write_bench.sh
#
# ORG is an organisation made by benches/gen_org.py (its teams are team-0000, team-0001, ...
# with a KPI kpi-2); it is copied to a temporary directory once (the original is never
# written); each command starts from the copy's check-in log as it was (put back before
# each, untimed), and each round runs, in an order that rotates from round to round (RUNS
# rounds, default 5):
#   - goalpost status --format json
#   - goalpost checkin team-0000/kpi-2 VALUE --date D      (D new each round)
#   - goalpost checkin --from ROWS.csv                       for each size in ROWS (default
#                                                            1000): a row per team in turn,
#                                                            KPI kpi-2, dates new each round
#   - goalpost pull                                          every team's kpi-0 takes its value
#                                                            from a CSV source in the copy
#                                                            (metrics/kpis.csv, one row a KPI):
#                                                            a check-in per team, no network
# with `--as-of 2026-11-15` and GOALPOST_TODAY=2026-12-31, and prints the medians of CPU time
# (user + sys, all threads) and wall time, peak RSS, and each command's ratio to status.
set -euo pipefail

if [ $# -gt 0 ]; then
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
RUNS=${RUNS:-5}
ROWS=${ROWS:-1000}
here=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$here/target/release/goalpost}
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release, or set BIN" >&2; exit 1; }
[ -n "${ORG:-}" ] && [ -d "$ORG/goals" ] ||
    { echo "set ORG to an organisation from benches/gen_org.py" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-write.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -a "$ORG" "$work/org"
teams=$(find "$ORG/goals" -mindepth 1 -maxdepth 1 -type d -name 'team-*' | wc -l)
# `pull`'s source: each team's kpi-0 reads metrics/kpis.csv (the copy's; status reads it too).
printf '\n[sources.warehouse]\nkind = "csv"\npath = "metrics/kpis.csv"\n' >>"$work/org/goalpost.toml"
sed -i 's/^  - id: kpi-0$/  - id: kpi-0\n    source: { from: warehouse }/' "$work"/org/goals/team-*/kpis.yaml
mkdir -p "$work/org/metrics"
awk -v n="$teams" 'BEGIN { print "ref,date,value"; for (t = 0; t < n; t++) printf "team-%04d/kpi-0,2026-01-01,%d\n", t, t % 97 + 1 }' \
    >"$work/org/metrics/kpis.csv"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $teams teams" >&2

export GOALPOST_TODAY=2026-12-31 NO_COLOR=1
python3 - "$(realpath "$BIN")" "$work" "$RUNS" "$teams" $ROWS <<'PY'
import datetime, os, random, statistics, subprocess, sys

bin, work, runs, teams = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sizes = [int(n) for n in sys.argv[5:]]
org = os.path.join(work, "org")
base = ["-C", org, "--as-of", "2026-11-15"]
rng = random.Random(2026)
# Dates no earlier run used: the single check-ins count from 2026-12-01 back one day a
# round; an import's rows take whole days of 2025, a row per team a day.
day0 = datetime.date(2025, 1, 1)
next_day = 0


def rows_file(n, r):
    global next_day
    path = os.path.join(work, f"rows-{n}-{r}.csv")
    with open(path, "w") as fh:
        fh.write("ref,date,value\n")
        for j in range(n):
            d = day0 + datetime.timedelta(days=next_day + j // teams)
            fh.write(f"team-{j % teams:04d}/kpi-2,{d},{rng.randint(1, 900)}\n")
    next_day += -(-n // teams)
    return path


def measure(args):
    r = subprocess.run(["/usr/bin/time", "-f", "%U %S %e %M", bin, *base, *args],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({r.returncode}): {r.stderr[-2000:]}")
    u, s, e, m = r.stderr.strip().splitlines()[-1].split()
    return float(u) + float(s), float(e), int(m)


names = ["status --format json", "checkin REF VALUE"] + [f"checkin --from ({n:,} rows)" for n in sizes]
names += [f"pull ({teams:,} KPIs)"]
got = {name: [] for name in names}
log = os.path.join("goals", "checkins.yaml")  # gen_org.py's check-in log
with open(os.path.join(org, log), "rb") as fh:
    original_log = fh.read()
for r in range(runs):
    date = datetime.date(2026, 12, 1) - datetime.timedelta(days=r)
    cmds = [["status", "--format", "json"],
            ["checkin", "team-0000/kpi-2", str(rng.randint(1, 900)), "--date", str(date)]]
    cmds += [["checkin", "--from", rows_file(n, r)] for n in sizes]
    cmds += [["pull"]]
    order = list(range(len(names)))
    k = r % len(order)
    for i in order[k:] + order[:k]:
        # Every command starts from the organisation's own log, whatever ran before it.
        with open(os.path.join(org, log), "wb") as fh:
            fh.write(original_log)
        got[names[i]].append(measure(cmds[i]))

med = {n: [statistics.median(x[i] for x in got[n]) for i in range(3)] for n in names}
print()
print("| command | CPU median (user + sys) | wall median | peak RSS | × status CPU |")
print("|---|---:|---:|---:|---:|")
for n in names:
    c, w, m = med[n]
    print(f"| `{n}` | {c:.2f} s | {w:.2f} s | {m / 1024:.0f} MiB | {c / med[names[0]][0]:.2f} |")
PY
