#!/usr/bin/env bash
# Reproduces the "Upstreams (issue 31)" figures in BENCHMARKS.md: what vendoring a company's
# goals costs (SPEC 13), against git itself and against checking the two repositories apart.
#
#   benches/upstream_bench.sh
#   TEAMS=300 RUNS=9 benches/upstream_bench.sh
#   BIN=/tmp/goalpost-before benches/upstream_bench.sh   # another build
#   KEEP=1 benches/upstream_bench.sh                     # keep the repositories (path printed)
#   NOFSYNC=1 benches/upstream_bench.sh                  # also: update with fsync a no-op
#
# Generates an organisation of TEAMS teams (default 300, benches/gen_org.py) into a git
# repository, `company` (one commit on `main`, repacked), checks that it passes `goalpost
# check`, and serves it with tests/tools/git_http.py (git's own `git http-backend`, 127.0.0.1,
# stopped on exit). A team repository (`gen_org.py 3`) declares it in goalpost.toml as
#   [upstreams.company] url = "http://127.0.0.1:PORT/company", ref = "main", roots = ["goals"]
# and its objective team-0000/obj-0 of 2026-Q4 names `parent: company:team-0001/obj-0` (a
# real objective of the same period upstream), so that `check` resolves into the snapshot. A
# copy of the team repository without the `[upstreams]` table and without the parent is
# prepared once. Then RUNS (default 5) interleaved rounds time (the order rotates each round,
# so that a change in the machine's load hits every command alike):
#   target 1: `goalpost upstream update` (upstreams/ and goalpost.lock deleted before each
#             run, untimed: a full fetch, validation and write of the snapshot)
#             vs `git clone --depth 1 URL` into a fresh directory (work tree checked out), and,
#             for reference, `git clone --depth 1 --no-checkout` (the objects only)
#   target 2: `goalpost check` of the team repository with the snapshot
#             vs `check` of the copy without the upstream + `check` of the company repository
# every goalpost command with `--as-of $AS_OF` (2026-11-15) and GOALPOST_TODAY=$TODAY
# (2026-12-31, after the last generated check-in). It prints the medians of wall time and of
# CPU time (user + sys of the command and the processes it waits for, as getrusage counts
# them; the server's own CPU is not counted on either side) and the ratios against the
# targets (≤ 1.5 and ≤ 1.2). BIN selects the binary (default target/release/goalpost).
# With NOFSYNC=1 it also times `upstream update` with fsync(2) made a no-op (a 2-line shim
# built with cc, LD_PRELOAD): how much of its wall time is the one fsync per file written.
# Needs python3 and git (and cc with NOFSYNC=1).
set -euo pipefail

if [ $# -gt 0 ]; then
    sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
TEAMS=${TEAMS:-300}
RUNS=${RUNS:-5}
AS_OF=${AS_OF:-2026-11-15}
TODAY=${TODAY:-2026-12-31}
here=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$here/target/release/goalpost}
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release, or set BIN" >&2; exit 1; }
bin=$(realpath "$BIN")

work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-upstream-bench.XXXXXX")
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    if [ -n "${KEEP:-}" ]; then echo "repositories kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Bench" GIT_AUTHOR_EMAIL="bench@example.com"
export GIT_COMMITTER_NAME="Bench" GIT_COMMITTER_EMAIL="bench@example.com"
export GOALPOST_TODAY="$TODAY" NO_COLOR=1 COLUMNS=120

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//');" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg); binary $bin" >&2

# 1. The company: TEAMS teams in a git repository, served over smart HTTP.
company="$work/srv/company"
echo "generating $TEAMS teams..." >&2
python3 "$here/benches/gen_org.py" "$TEAMS" "$company"
git -C "$company" init -q -b main
git -C "$company" add -A
git -C "$company" commit -q -m "goals of $TEAMS teams" --date 2026-10-01T09:00:00Z
# Packed, as a hosted repository is: the server then sends what it has rather than
# compressing and delta-searching 900 loose objects for every fetch (CPU on the server that
# neither side's figure counts, but that makes both wall times noisy).
git -C "$company" repack -adq
"$bin" -C "$company" --as-of "$AS_OF" check >/dev/null 2>&1 ||
    { echo "the generated company with $TEAMS teams does not pass check" >&2; exit 1; }

python3 "$here/tests/tools/git_http.py" "$work/srv" >"$work/port" 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do
    [ -s "$work/port" ] && break
    sleep 0.1
done
port=$(head -1 "$work/port")
[ -n "$port" ] || { echo "git_http.py did not start" >&2; cat "$work/server.log" >&2; exit 1; }
url="http://127.0.0.1:$port/company"
git ls-remote "$url" main >/dev/null || { echo "cannot reach $url" >&2; exit 1; }

# 2. The team repository, and its copy without the upstream.
team="$work/team"
plain="$work/team-plain"
python3 "$here/benches/gen_org.py" 3 "$plain"
cp -r "$plain" "$team"
cat >>"$team/goalpost.toml" <<EOF

[upstreams.company]
url = "$url"
ref = "main"
roots = ["goals"]
EOF
parent=company:team-0001/obj-0
grep -q '^  - id: obj-0$' "$company/goals/team-0001/2026-Q4.yaml" ||
    { echo "no objective obj-0 in the company's team-0001/2026-Q4.yaml" >&2; exit 1; }
python3 - "$team/goals/team-0000/2026-Q4.yaml" "$parent" <<'PY'
import sys
path, parent = sys.argv[1:]
text = open(path).read()
anchor = "  - id: obj-0\n"
assert text.count(anchor) == 1, "obj-0 not found once"
open(path, "w").write(text.replace(anchor, anchor + f"    parent: {parent}\n"))
PY
for d in "$team" "$plain"; do
    git -C "$d" init -q -b main
    git -C "$d" add -A
    git -C "$d" commit -q -m "team goals" --date 2026-10-01T09:00:00Z
done

g="$bin --as-of $AS_OF"
$g -C "$team" upstream update >/dev/null 2>"$work/update.log" ||
    { echo "upstream update fails:" >&2; cat "$work/update.log" >&2; exit 1; }
echo "$(tail -1 "$work/update.log") ($(du -sh "$team/upstreams" | cut -f1))" >&2
# The snapshot is used: without it, the parent is an error.
mv "$team/upstreams" "$work/upstreams.aside"
if $g -C "$team" check >/dev/null 2>&1; then
    echo "check passes without the snapshot: the parent $parent is not read from it" >&2; exit 1
fi
mv "$work/upstreams.aside" "$team/upstreams"
for d in "$team" "$plain" "$company"; do
    $g -C "$d" check >/dev/null 2>&1 || { echo "check fails in $d:" >&2; $g -C "$d" check >&2; exit 1; }
done
pack=$(git -C "$company" count-objects -vH | awk '/^size-pack:/ {print $2 " " $3}')
echo "company: $(git -C "$company" ls-files | wc -l) files, $(du -sh "$company/goals" | cut -f1) of goals," \
    "pack $pack" >&2

nofsync=""
if [ "${NOFSYNC:-0}" = 1 ]; then
    printf 'int fsync(int fd) { (void)fd; return 0; }\nint fdatasync(int fd) { (void)fd; return 0; }\n' \
        >"$work/nofsync.c"
    cc -shared -fPIC -O2 -o "$work/nofsync.so" "$work/nofsync.c"
    nofsync="$work/nofsync.so"
fi

# 3. The measurements.
echo "timing: $RUNS interleaved rounds..." >&2
python3 - "$bin" "$AS_OF" "$RUNS" "$work" "$url" "$team" "$plain" "$company" "$nofsync" <<'PY'
import os, resource, shutil, statistics, subprocess, sys, time

bin_, as_of, runs, work, url, team, plain, company, nofsync = sys.argv[1:]
runs = int(runs)
g = [bin_, "--as-of", as_of]
clones = os.path.join(work, "clones")
os.makedirs(clones, exist_ok=True)
n = [0]

def fresh_clone_dir():
    n[0] += 1
    return os.path.join(clones, f"clone-{n[0]}")

# Each update writes into a fresh copy of the team repository without a snapshot (made
# untimed, like each clone's fresh directory): deleting the previous snapshot just before would
# make ext4 scan the inodes it freed when the next files are created (`recently_deleted`),
# a cost the clones into fresh directories do not pay.
teams = os.path.join(work, "teams")
template = os.path.join(work, "team-template")
shutil.copytree(team, template, symlinks=True,
                ignore=shutil.ignore_patterns("upstreams", "goalpost.lock"))
os.makedirs(teams, exist_ok=True)
t = [0]

def fresh_team():
    t[0] += 1
    return os.path.join(teams, f"team-{t[0]}")

def no_snapshot():
    # `argv()` (which names the fresh copy) runs before the preparation: copy to that name.
    shutil.copytree(template, os.path.join(teams, f"team-{t[0]}"), symlinks=True)

# (label, argv or a function giving it, untimed preparation[, environment added])
groups = [
    [
        ("upstream update", lambda: g + ["-C", fresh_team(), "upstream", "update"], no_snapshot),
        ("git clone --depth 1", lambda: ["git", "clone", "-q", "--depth", "1", url, fresh_clone_dir()], None),
        ("git clone --depth 1 --no-checkout",
         lambda: ["git", "clone", "-q", "--depth", "1", "--no-checkout", url, fresh_clone_dir()], None),
    ] + ([("upstream update, fsync a no-op", lambda: g + ["-C", fresh_team(), "upstream", "update"],
           no_snapshot, {"LD_PRELOAD": nofsync})] if nofsync else []),
    [
        ("check (team, with the snapshot)", lambda: g + ["-C", team, "check"], None),
        ("check (team, without the upstream)", lambda: g + ["-C", plain, "check"], None),
        ("check (company)", lambda: g + ["-C", company, "check"], None),
    ],
]

def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def run(argv, prep, env=None):
    if prep:
        prep()
    env = {**os.environ, **env} if env else None
    c0, t0 = cpu(), time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    w, c = time.perf_counter() - t0, cpu() - c0
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited {p.returncode}: {p.stderr.decode(errors='replace')[-2000:]}")
    return w, c

wall, cpus = {}, {}
for group in groups:  # warm-up (page cache, the server's first answers)
    for label, argv, prep, *env in group:
        run(argv(), prep, *env)
        wall[label], cpus[label] = [], []
for r in range(runs):
    for group in groups:
        k = r % len(group)
        for label, argv, prep, *env in group[k:] + group[:k]:
            w, c = run(argv(), prep, *env)
            wall[label].append(w)
            cpus[label].append(c)
    shutil.rmtree(clones, ignore_errors=True)
    os.makedirs(clones)
    shutil.rmtree(teams, ignore_errors=True)
    os.makedirs(teams)

med_w = {l: statistics.median(v) for l, v in wall.items()}
med_c = {l: statistics.median(v) for l, v in cpus.items()}
print("| command | wall median | CPU median (user + sys) | wall min–max |")
print("|---|---:|---:|---:|")
for group in groups:
    for label, *_ in group:
        print(f"| `{label}` | {med_w[label]:.3f} s | {med_c[label]:.3f} s "
              f"| {min(wall[label]):.3f}–{max(wall[label]):.3f} s |")

def ratio(name, top, bottom, target):
    w = med_w[top] / sum(med_w[b] for b in bottom)
    c = med_c[top] / sum(med_c[b] for b in bottom)
    met = lambda x: "met" if x <= target else "NOT met"
    print(f"\n{name}: `{top}` ÷ ({' + '.join(f'`{b}`' for b in bottom)}) = "
          f"**{w:.2f}×** wall ({met(w)}), **{c:.2f}×** CPU ({met(c)}); target ≤ {target}", flush=True)

sys.stdout.flush()
ratio("Target 1", "upstream update", ["git clone --depth 1"], 1.5)
ratio("Target 1 (objects only, for reference)", "upstream update",
      ["git clone --depth 1 --no-checkout"], 1.5)
if nofsync:
    ratio("Without fsync (for reference)", "upstream update, fsync a no-op",
          ["git clone --depth 1"], 1.5)
ratio("Target 2", "check (team, with the snapshot)",
      ["check (team, without the upstream)", "check (company)"], 1.2)
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
