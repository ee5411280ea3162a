#!/usr/bin/env bash
# Many items of one place: the shapes a hostile pull request can give a repository to make a
# per-item scan of the other items quadratic (README, "Many items of one place").
#
#   benches/items_bench.sh [N]                      # N items (default 40000), this build
#   BIN=/tmp/goalpost-before benches/items_bench.sh  # another build
#
# Writes one repository per shape (git ones with a base and a head commit) and times one
# run of a command on each (CPU = user + sys, peak RSS, output bytes), GOALPOST_TODAY=2026-12-31:
#   krs       one objective of N key results, every id renamed in the head    `diff HEAD~1 HEAD`
#   moved     N one-key-result objectives of one file, every target moved     `check --base HEAD~1`
#   deleted   N KPI check-ins deleted from a log below a 20,000-line comment  `check --base HEAD~1`
#   settled   N different check-ins of one date and a correction             `check`
#   revisions N revisions of one key result of a 127-year custom period      `check`
#   owners    N objectives of N owners                                       `digest`
#   carry     N objectives of a closed quarter, all below the pass mark      `review 2026-Q3`
#   kpi       N/4 key results reading one KPI of N/4 daily check-ins          `check`, `status`
# Run it at N and 4N: a linear command takes about 4 times as long. Each run is bounded by
# `timeout 900`. Needs python3, git and GNU time.
set -euo pipefail

if [ $# -gt 1 ] || [[ ${1:-} == -* ]]; then
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
N=${1:-40000}
here=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$here/target/release/goalpost}
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release, or set BIN" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-items.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 - "$N" "$work" <<'PY'
import datetime, os, subprocess, sys
n, work = int(sys.argv[1]), sys.argv[2]

def write(shape, path, text):
    full = os.path.join(work, shape, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)

def git(shape, *args):
    subprocess.run(["git", "-C", os.path.join(work, shape), *args], check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, GIT_AUTHOR_NAME="b",
                   GIT_AUTHOR_EMAIL="b@example.com", GIT_COMMITTER_NAME="b",
                   GIT_COMMITTER_EMAIL="b@example.com"))

def two_commits(shape, path, base, head):
    write(shape, path, base)
    git(shape, "init", "-q")
    git(shape, "add", "-A")
    git(shape, "commit", "-qm", "base")
    write(shape, path, head)
    git(shape, "commit", "-qam", "head")

head = "team: t\nperiod: 2026-Q4\nobjectives:\n"
kr = "    key_results:\n      - { id: k, title: K, start: 0, target: 10 }\n"

def krs(suffix):
    rows = "".join(f"      - {{ id: k{i}{suffix}, title: K{i}, start: 0, target: 10 }}\n" for i in range(n))
    return head + "  - id: o\n    title: O\n    key_results:\n" + rows
two_commits("krs", "goals/t.yaml", krs(""), krs("x"))

def moved(target):
    return head + "".join(f"  - id: o{i}\n    title: O{i}\n    key_results:\n      - {{ id: k, title: K, start: 0, target: {target} }}\n" for i in range(n))
two_commits("moved", "goals/t.yaml", moved(10), moved(20))

write("deleted", "goals/t.yaml", "team: t\nkpis:\n  - { id: m, title: M, better: higher, target: 10 }\n")
comment = "".join(f"# line {i} of a long comment above the list\n" for i in range(20000))
day = datetime.date(1900, 1, 1)
rows = "".join(f"  - {{ ref: t/m, date: {day + datetime.timedelta(days=i)}, value: {i} }}\n" for i in range(n))
two_commits("deleted", "goals/checkins.yaml", comment + "checkins:\n" + rows, comment + "checkins: []\n")

rows = "".join(f"          - {{ date: 2026-10-05, value: {i} }}\n" for i in range(n))
write("settled", "goals/t.yaml", head + "  - id: o\n    title: O\n    key_results:\n      - id: k\n        title: K\n        start: 0\n        target: 10\n        checkins:\n" + rows + "          - { date: 2026-10-05, value: 3, correction: fix }\n")

write("revisions", "goalpost.toml", "[periods.long]\nstart = 1900-01-01\nend = 2026-06-30\n")
rows = "".join(f"          - {{ date: {day + datetime.timedelta(days=i + 1)}, target: {n + i + 1}, reason: r }}\n" for i in range(n))
write("revisions", "goals/t.yaml", f"team: t\nperiod: long\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - id: k\n        title: K\n        start: 0\n        target: {n}\n        revisions:\n" + rows)

write("owners", "goals/t.yaml", head + "".join(f"  - id: o{i}\n    title: O{i}\n    owner: w{i}\n{kr}" for i in range(n)))

write("carry", "goals/t.yaml", "team: t\nperiod: 2026-Q3\nobjectives:\n" + "".join(f"  - id: o{i}\n    title: O{i}\n{kr}" for i in range(n)))

m = n // 4
last = datetime.date(2026, 11, 10)
objectives = "".join(f"  - id: o{j}\n    title: O{j}\n    key_results:\n" + "".join(f"      - {{ id: k{i}, title: K{i}, start: 0, target: 100, kpi: t/m }}\n" for i in range(10)) for j in range(m // 10))
checkins = "".join(f"      - {{ date: {last - datetime.timedelta(days=m - 1 - i)}, value: {i % 7}, confidence: 0.5 }}\n" for i in range(m))
write("kpi", "goals/t.yaml", head + objectives + "kpis:\n  - id: m\n    title: M\n    better: higher\n    target: 10\n    checkins:\n" + checkins)
PY

echo "| shape | command | CPU | peak RSS | output |"
echo "|---|---|---:|---:|---:|"
run() {
    local shape=$1
    shift
    (cd "$work/$shape" && GOALPOST_TODAY=2026-12-31 /usr/bin/time -o "$work/time" -f "%U %S %M" \
        timeout 900 "$BIN" "$@" >"$work/out" 2>/dev/null) || true
    read -r user sys rss < <(tail -n 1 "$work/time")
    bytes=$(stat -c %s "$work/out")
    printf '| %s | `%s` | %.2f s | %d MiB | %d bytes |\n' "$shape" "$*" \
        "$(awk "BEGIN { print $user + $sys }")" "$((rss / 1024))" "$bytes"
}
run krs diff HEAD~1 HEAD --format json
run moved check --base HEAD~1 --format json
run deleted check --base HEAD~1 --format json
run settled check --format json
run revisions check --format json
run owners digest --format json
run carry review 2026-Q3 --format json
run kpi check --format json
run kpi status --format json
