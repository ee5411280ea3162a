#!/usr/bin/env bash
# Compares two goalpost binaries on the same organisation and prints a Markdown table.
#
#   benches/compare.sh BEFORE_BIN AFTER_BIN [ORG_DIR]
#   RUNS=9 benches/compare.sh /work/golden/goalpost-before target/release/goalpost /tmp/org300
#   INSTR=0 RUNS=3 benches/compare.sh OLD NEW /tmp/org3000      # wall time and RSS only
#   ONLY='^status$|markdown' benches/compare.sh OLD NEW /tmp/org3000  # some commands only
#
# Without ORG_DIR, generates TEAMS teams (default 300) with benches/gen_org.py into a temporary
# directory (deleted afterwards). Every command runs with `--as-of $AS_OF` (2026-11-15) and with
# GOALPOST_TODAY=$TODAY (2026-12-31, after the last generated check-in, so `check` does not warn
# about check-ins "in the future" of the real clock; binaries that predate GOALPOST_TODAY ignore
# it). For each command and each binary it measures:
#   - instructions: total of all threads under `valgrind --tool=callgrind` (one run; INSTR=0
#     skips it). This is the primary figure: unlike time, the load of the machine does not move it.
#     With KEEP=DIR, the callgrind files are kept there for callgrind_annotate.
#   - wall time: median of RUNS runs (default 7), interleaved: each round runs every command
#     with both binaries, alternating which binary goes first, so that a change in the machine's
#     load hits both alike. CPU time (user + sys, all threads, median) beside it.
#   - peak RSS: median of RSS_RUNS (default 3) runs of /usr/bin/time -v ("Maximum resident set
#     size").
#   - output bytes (standard output), since the two binaries need not print the same thing.
# Ratios are after ÷ before; an instruction ratio above 1.05 is marked with ⚠.
# Needs python3, GNU time (apt-get install -y time) and valgrind (unless INSTR=0).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
before=$(realpath "$1")
after=$(realpath "$2")
RUNS=${RUNS:-7}
RSS_RUNS=${RSS_RUNS:-3}
INSTR=${INSTR:-1}
TEAMS=${TEAMS:-300}
AS_OF=${AS_OF:-2026-11-15}
TODAY=${TODAY:-2026-12-31}
SHOW_REF=${SHOW_REF:-team-0001/obj-0/kr-1}
KEEP=${KEEP:-}

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
if [ "$INSTR" != 0 ]; then
    command -v valgrind >/dev/null || { echo "needs valgrind (or INSTR=0)" >&2; exit 1; }
fi
if [ $# -eq 3 ]; then
    org=$(realpath "$3")
else
    org="$work/org-$TEAMS"
    echo "generating $TEAMS teams..." >&2
    python3 "$here/benches/gen_org.py" "$TEAMS" "$org"
fi
[ -n "$KEEP" ] && mkdir -p "$KEEP"

export GOALPOST_TODAY="$TODAY" NO_COLOR=1 COLUMNS=120

# name | arguments after `goalpost -C ORG --as-of AS_OF`
commands=(
    "status --format json|status --format json"
    "status|status"
    "status --format markdown|status --format markdown"
    "status --format csv|status --format csv"
    "check|check"
    "check --format json|check --format json"
    "report --format html|report --format html"
    "show $SHOW_REF|show $SHOW_REF"
)

# ONLY=REGEX keeps the commands whose name matches (grep -E), e.g. ONLY='^status$|markdown'.
if [ -n "${ONLY:-}" ]; then
    kept=()
    for c in "${commands[@]}"; do
        if printf '%s' "${c%%|*}" | grep -Eq -- "$ONLY"; then kept+=("$c"); fi
    done
    [ ${#kept[@]} -gt 0 ] || { echo "ONLY=$ONLY matches no command" >&2; exit 2; }
    commands=("${kept[@]}")
fi

for bin in "$before" "$after"; do
    "$bin" -C "$org" --as-of "$AS_OF" check >/dev/null 2>&1 ||
        { echo "$bin: check fails on $org" >&2; exit 1; }
done

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# Instructions, peak RSS and output size, one file per (command, binary): $work/<i>.<b>.*
for i in "${!commands[@]}"; do
    read -r -a args <<<"${commands[$i]#*|}"
    for b in before after; do
        bin=${!b}
        base="$work/$i.$b"
        wc -c < <("$bin" -C "$org" --as-of "$AS_OF" "${args[@]}" 2>/dev/null) >"$base.bytes"
        rss=()
        for _ in $(seq "$RSS_RUNS"); do
            rss+=("$(/usr/bin/time -v "$bin" -C "$org" --as-of "$AS_OF" "${args[@]}" 2>&1 >/dev/null |
                awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}')")
        done
        printf '%s\n' "${rss[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' >"$base.rss"
        if [ "$INSTR" != 0 ]; then
            echo "callgrind: $b ${commands[$i]%%|*}" >&2
            out="$work/$i.$b.callgrind"
            valgrind --tool=callgrind --callgrind-out-file="$out" --log-file="$work/vg.log" \
                "$bin" -C "$org" --as-of "$AS_OF" "${args[@]}" >/dev/null 2>&1
            awk '/^summary:/ {print $2}' "$out" >"$base.instr"
            if [ -n "$KEEP" ]; then
                cp "$out" "$KEEP/callgrind.$b.$(printf '%s' "${commands[$i]%%|*}" | tr -c 'A-Za-z0-9-' _).out"
            fi
            rm -f "$out"
        else
            echo "" >"$base.instr"
        fi
    done
done

# Wall and CPU time, interleaved rounds.
echo "timing: $RUNS interleaved rounds..." >&2
printf '%s\n' "${commands[@]}" >"$work/commands"
python3 - "$before" "$after" "$org" "$AS_OF" "$RUNS" "$work" <<'PY'
import os, resource, statistics, subprocess, sys, time

before, after, org, as_of, runs, work = sys.argv[1:]
runs = int(runs)
with open(os.path.join(work, "commands")) as fh:
    commands = [line.rstrip("\n").split("|", 1)[1].split() for line in fh if line.strip()]
bins = {"before": before, "after": after}
wall = {(i, b): [] for i in range(len(commands)) for b in bins}
cpu = {(i, b): [] for i in range(len(commands)) for b in bins}

def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

for r in range(runs):
    order = ["before", "after"] if r % 2 == 0 else ["after", "before"]
    for i, args in enumerate(commands):
        for b in order:
            c0, t0 = children_cpu(), time.perf_counter()
            subprocess.run([bins[b], "-C", org, "--as-of", as_of, *args],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            wall[i, b].append(time.perf_counter() - t0)
            cpu[i, b].append(children_cpu() - c0)

for (i, b), ts in wall.items():
    with open(os.path.join(work, f"{i}.{b}.wall"), "w") as fh:
        fh.write(f"{statistics.median(ts):.4f} {statistics.median(cpu[i, b]):.4f}\n")
PY

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo
echo "| command | instructions before | after | × | wall median before | after | × | CPU median before | after | × | max RSS before | after | × | stdout before | after |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for i in "${!commands[@]}"; do
    name=${commands[$i]%%|*}
    python3 - "$name" "$work/$i" <<'PY'
import sys

name, base = sys.argv[1:]
def read(b, ext):
    with open(f"{base}.{b}.{ext}") as fh:
        return fh.read().split()

def ratio(x, y, flag=False):
    r = y / x
    return f"{r:.3f}" + (" ⚠" if flag and r > 1.05 else "")

def size(n):
    n = int(n)
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB" if n >= 1e3 else f"{n} B"

ib, ia = read("before", "instr"), read("after", "instr")
if ib and ia:
    ib, ia = int(ib[0]), int(ia[0])
    instr = f"{ib / 1e9:.3f} G | {ia / 1e9:.3f} G | {ratio(ib, ia, True)}"
else:
    instr = "– | – | –"
(wb, cb), (wa, ca) = map(float, read("before", "wall")), map(float, read("after", "wall"))
rb, ra = int(read("before", "rss")[0]), int(read("after", "rss")[0])
print(
    f"| `{name}` | {instr} "
    f"| {wb:.3f} s | {wa:.3f} s | {ratio(wb, wa)} "
    f"| {cb:.3f} s | {ca:.3f} s | {ratio(cb, ca)} "
    f"| {rb / 1024:.0f} MiB | {ra / 1024:.0f} MiB | {ratio(rb, ra)} "
    f"| {size(read('before', 'bytes')[0])} | {size(read('after', 'bytes')[0])} |"
)
PY
done
