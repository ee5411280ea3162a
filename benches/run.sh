#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md.
#
#   benches/run.sh                 # 30, 300 and 3,000 teams
#   TEAMS="300" RUNS=7 benches/run.sh
#
# Generates synthetic organisations (benches/gen_org.py) into a temporary directory, builds
# goalpost once with `--release`, then for each size measures, on the same files:
#   - the total input size (bytes of all goal files),
#   - the number of check-ins (inline and logged),
#   - wall time of `goalpost check` and `goalpost status --format json` (best and median of
#     RUNS runs; the as-of date is fixed to 2026-11-15) and their best CPU time (user + sys,
#     all threads),
#   - peak RSS of `status --format json` (/usr/bin/time -v, "Maximum resident set size"),
#   - wall time of a plain PyYAML parse of all the files with the libyaml loader
#     (`yaml.load(f, Loader=yaml.CSafeLoader)`), best of PY_RUNS runs,
# and prints a Markdown table. Needs python3 with PyYAML built against libyaml, and GNU time.
set -euo pipefail

TEAMS=${TEAMS:-"30 300 3000"}
RUNS=${RUNS:-5}
PY_RUNS=${PY_RUNS:-3}
AS_OF=2026-11-15

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
python3 -c 'import yaml; yaml.CSafeLoader' 2>/dev/null ||
    { echo "needs PyYAML with libyaml (yaml.CSafeLoader)" >&2; exit 1; }

echo "building goalpost (release)..." >&2
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="$here/target/release/goalpost"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo)" >&2

rows=()
for n in $TEAMS; do
    dir="$work/org-$n"
    echo "generating $n teams..." >&2
    python3 "$here/benches/gen_org.py" "$n" "$dir"
    # Make sure the files are valid before timing anything.
    "$bin" -C "$dir" --as-of "$AS_OF" check 2>/dev/null ||
        { echo "generated org with $n teams does not pass check" >&2; exit 1; }
    rss_kb=$(/usr/bin/time -v "$bin" -C "$dir" --as-of "$AS_OF" status --format json 2>&1 >/dev/null |
        awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}')
    echo "measuring $n teams..." >&2
    row=$(python3 - "$bin" "$dir" "$AS_OF" "$RUNS" "$PY_RUNS" "$rss_kb" "$n" <<'PY'
import os, resource, statistics, subprocess, sys, time
import yaml

binary, root, as_of, runs, py_runs, rss_kb, teams = sys.argv[1:]
runs, py_runs, rss_kb = int(runs), int(py_runs), int(rss_kb)
if int(teams) >= 3000:  # a PyYAML pass takes minutes there
    runs, py_runs = min(runs, 5), 1

files = sorted(
    os.path.join(d, f)
    for d, _, fs in os.walk(os.path.join(root, "goals"))
    for f in fs
    if f.endswith((".yaml", ".yml"))
)
size = sum(os.path.getsize(f) for f in files)
checkins = 0
for f in files:
    with open(f, encoding="utf-8") as fh:
        checkins += fh.read().count("date: ")  # every check-in, and nothing else, has a date

def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def wall(cmd):
    """Best and median wall time, and the best CPU time (user + system, all threads)."""
    t, c = [], []
    for _ in range(runs):
        c0, start = cpu(), time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t.append(time.perf_counter() - start)
        c.append(cpu() - c0)
    return min(t), statistics.median(t), min(c)

check = wall([binary, "-C", root, "--as-of", as_of, "check"])
status = wall([binary, "-C", root, "--as-of", as_of, "status", "--format", "json"])

py = []
for _ in range(py_runs):
    start = time.perf_counter()
    for f in files:
        with open(f, "rb") as fh:
            yaml.load(fh, Loader=yaml.CSafeLoader)
    py.append(time.perf_counter() - start)
py_best = min(py)

mb = size / 1e6
print(
    f"| {int(teams):,} | {len(files):,} | {mb:.1f} MB | {checkins:,} "
    f"| {check[0]:.3f} s ({check[1]:.3f}) | {check[2]:.3f} s "
    f"| {status[0]:.3f} s ({status[1]:.3f}) | {status[2]:.3f} s "
    f"| {rss_kb / 1024:.0f} MiB ({rss_kb * 1024 / size:.1f}×) "
    f"| {py_best:.2f} s "
    f"| {status[0] / py_best:.3f} |"
)
PY
)
    rows+=("$row")
    rm -rf "$dir"
done

echo
echo "| teams | files | input | check-ins | \`check\` wall, best (median) | \`check\` CPU | \`status --format json\` wall, best (median) | status CPU | peak RSS of status (× input) | PyYAML CSafeLoader parse, best | status ÷ PyYAML |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
