#!/usr/bin/env bash
# Reproduces the "Git at org scale" figures in BENCHMARKS.md.
#
#   benches/git_bench.sh                        # 30, 300 and 3,000 teams, then the history
#   TEAMS="300" RUNS=5 benches/git_bench.sh      # one size only
#   HISTORY=0 benches/git_bench.sh               # revisions only, no 2,000-commit history
#   BIN=/path/to/goalpost benches/git_bench.sh   # another build (say, the one before a change)
#
# For each size, generates an organisation (benches/gen_org.py) into a git repository with two
# commits: all the goals, then one key-result target moved in an open period (what a pull
# request usually does). Then times, interleaved (one run of each command in turn, RUNS rounds,
# so that a change in the machine's load hits every command alike):
#   - status --format json             (the work tree: the yardstick)
#   - --at HEAD status --format json   (the same goals read from git)
#   - diff HEAD~1 HEAD                  (one target moved)
#   - check --base HEAD~1
#   - check
# and prints best and median wall time, best CPU time (user + sys, all threads), peak RSS, and
# each command's ratio to status (best over best, and CPU over CPU).
#
# With HISTORY=1 (the default) it then adds COMMITS commits (default 2,000) to the HIST_TEAMS
# organisation (default 300), each moving one target in one team's file
# (goals/team-0001/2026-Q4.yaml; its 15 metric key results in turn), with `git fast-import`, and
# times, interleaved: `check`, `git blame FILE`, `show KR`, `git log -p -- FILE`, `log KR`, for
# the ratios `show / git blame` and `log / git log -p` (issue 34: <= 1.5 and <= 1.0), and
# `show / (check + git blame)` and `log / (check + git log -p)`.
set -euo pipefail

TEAMS=${TEAMS:-"30 300 3000"}
RUNS=${RUNS:-5}
HISTORY=${HISTORY:-1}
HIST_TEAMS=${HIST_TEAMS:-300}
COMMITS=${COMMITS:-2000}
AS_OF=2026-11-15

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-git-bench.XXXXXX")
if [ -n "${KEEP:-}" ]; then echo "repositories: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Bench" GIT_AUTHOR_EMAIL="bench@example.com"
export GIT_COMMITTER_NAME="Bench" GIT_COMMITTER_EMAIL="bench@example.com"
# Today after every generated check-in (the last is 2026-12-18): no `future-checkin` warnings.
export GOALPOST_TODAY=2027-01-31

[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
if [ -z "${BIN:-}" ]; then
    echo "building goalpost (release)..." >&2
    cargo build --release --quiet --manifest-path "$here/Cargo.toml"
    BIN="$here/target/release/goalpost"
fi
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); binary $BIN" >&2

# Times commands interleaved. Arguments: runs, then "label|command" pairs; prints a Markdown
# table. A command is run by the shell (so pipes and redirections work), output to /dev/null.
measure() {
    python3 - "$@" <<'PY'
import os, resource, statistics, subprocess, sys, time

runs = int(sys.argv[1])
cmds = [a.split("|", 1) for a in sys.argv[2:]]

def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def run(cmd):
    c0, t0 = cpu(), time.perf_counter()
    subprocess.run(["bash", "-c", cmd + " >/dev/null 2>&1"], check=False)
    return time.perf_counter() - t0, cpu() - c0

def rss(cmd):
    # Peak RSS of the largest process of the command (GNU time on each goalpost or git).
    o = subprocess.run(["bash", "-c", f"/usr/bin/time -f '%M' bash -c {cmd!r} 2>&1 >/dev/null | tail -1"],
                       capture_output=True, text=True)
    try:
        return int(o.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return 0

for _, c in cmds:  # warm-up (page cache)
    run(c)
wall = {l: [] for l, _ in cmds}
cpus = {l: [] for l, _ in cmds}
for _ in range(runs):
    for l, c in cmds:
        w, u = run(c)
        wall[l].append(w)
        cpus[l].append(u)
base = cmds[0][0]
print("| command | wall best (median) | CPU best | peak RSS | × first (wall) | × first (CPU) |")
print("|---|---:|---:|---:|---:|---:|")
for l, c in cmds:
    wb, wm, cb = min(wall[l]), statistics.median(wall[l]), min(cpus[l])
    print(f"| {l} | {wb:.3f} s ({wm:.3f}) | {cb:.3f} s | {rss(c) / 1024:.0f} MiB "
          f"| {wb / min(wall[base]):.2f} | {cb / min(cpus[base]):.2f} |", flush=True)
# RATIOS="3/1+2": command 3 over the sum of commands 1 and 2 (1-based), best wall and best CPU.
for r in filter(None, os.environ.get("RATIOS", "").split(";")):
    top, bottom = r.split("/")
    name = lambda i: cmds[int(i) - 1][0]
    parts = bottom.split("+")
    w = min(wall[name(top)]) / sum(min(wall[name(p)]) for p in parts)
    c = min(cpus[name(top)]) / sum(min(cpus[name(p)]) for p in parts)
    print(f"\n{name(top)} ÷ ({' + '.join(name(p) for p in parts)}): **{w:.2f}×** wall, {c:.2f}× CPU")
PY
}

# A git repository with the organisation: commit 1 all the goals, commit 2 one moved target.
make_org() {
    local n=$1 dir=$2
    python3 "$here/benches/gen_org.py" "$n" "$dir"
    git -C "$dir" init -q -b main
    git -C "$dir" add -A
    git -C "$dir" commit -q -m "goals of $n teams" --date 2026-10-01T09:00:00Z
    local f="$dir/goals/team-0001/2026-Q4.yaml"
    # The first key result's target (a metric: objective 0, kr-0) moves by one.
    python3 - "$f" <<'PY'
import re, sys
p = sys.argv[1]
t = open(p).read()
m = re.search(r"^        target: (\d+)$", t, re.M)
t = t[:m.start(1)] + str(int(m.group(1)) + 1) + t[m.end(1):]
open(p, "w").write(t)
PY
    git -C "$dir" commit -q -am "move a target" --date 2026-11-10T09:00:00Z
}

for n in $TEAMS; do
    dir="$work/org-$n"
    echo "generating $n teams..." >&2
    make_org "$n" "$dir"
    "$BIN" -C "$dir" --as-of $AS_OF check 2>/dev/null ||
        { echo "the generated org with $n teams does not pass check" >&2; exit 1; }
    runs=$RUNS
    [ "$n" -ge 3000 ] && runs=$((RUNS < 3 ? RUNS : 3))
    g="nice $BIN -C $dir --as-of $AS_OF"
    echo "measuring $n teams ($runs rounds)..." >&2
    echo
    echo "### $n teams"
    echo
    measure "$runs" \
        "\`status --format json\`|$g status --format json" \
        "\`--at HEAD status --format json\`|$g --at HEAD status --format json" \
        "\`diff HEAD~1 HEAD\`|$g diff HEAD~1 HEAD" \
        "\`check --base HEAD~1\`|$g check --base HEAD~1" \
        "\`check\`|$g check"
    if [ "$HISTORY" = 1 ] && [ "$n" = "$HIST_TEAMS" ]; then
        hist="$work/hist-$n"
        git clone -q "$dir" "$hist"
        file=goals/team-0001/2026-Q4.yaml
        echo "adding $COMMITS commits to $file..." >&2
        python3 - "$hist/$file" "$COMMITS" "$file" <<'PY' | git -C "$hist" fast-import --quiet
import re, sys
path, commits, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
text = open(path).read()
lines = text.split("\n")
targets = [i for i, l in enumerate(lines) if re.fullmatch(r"        target: \d+", l)]
authors = ["Alice Example", "Bob Builder", "Carol Chen"]
t0 = 1790000000
out = sys.stdout.buffer
for i in range(commits):
    k = targets[i % len(targets)]
    v = int(lines[k].split(": ")[1])
    lines[k] = f"        target: {v + 1 if (i // len(targets)) % 2 == 0 else v - 1}"
    data = "\n".join(lines).encode()
    who = authors[i % 3]
    mail = who.split()[0].lower() + "@example.com"
    msg = f"move target {i}\n".encode()
    out.write(f"commit refs/heads/main\nauthor {who} <{mail}> {t0 + i * 60} +0000\n"
              f"committer {who} <{mail}> {t0 + i * 60} +0000\n".encode())
    out.write(b"data %d\n" % len(msg) + msg)
    if i == 0:
        out.write(b"from refs/heads/main^0\n")
    out.write(f"M 100644 inline {name}\n".encode() + b"data %d\n" % len(data) + data + b"\n")
PY
        git -C "$hist" reset -q --hard main
        "$BIN" -C "$hist" --as-of $AS_OF check 2>/dev/null ||
            { echo "the history repository does not pass check" >&2; exit 1; }
        kr=team-0001/obj-0/kr-1
        h="nice $BIN -C $hist --as-of $AS_OF"
        echo "measuring the history ($RUNS rounds)..." >&2
        echo
        echo "### $n teams, $COMMITS commits editing \`$file\`"
        echo
        RATIOS="3/2;5/4;3/1+2;5/1+4" measure "$RUNS" \
            "\`check\`|$h check" \
            "\`git blame $file\`|nice git -C $hist blame $file" \
            "\`show $kr\`|$h show $kr" \
            "\`git log -p -- $file\`|nice git -C $hist log -p -- $file" \
            "\`log $kr\`|$h log $kr"
    fi
    rm -rf "$dir"
done
