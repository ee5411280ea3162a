#!/usr/bin/env bash
# Reproduces the "goalpost log" figures in BENCHMARKS.md.
#
#   benches/log_bench.sh                  # 2,000 commits, 7 runs each
#   COMMITS=5000 RUNS=5 BIN=target/debug/goalpost benches/log_bench.sh
#
# Builds a temporary repository whose history is COMMITS commits, each appending one line
# to goals/checkins.yaml (four KPIs in turn, so `log growth/churn` lists a quarter of them),
# with `git fast-import`. Then times, on the same repository, several runs each:
#   - git log -p -- goals/checkins.yaml > /dev/null
#   - goalpost log growth/churn > /dev/null
# and prints the best and the median wall time of each, and their ratio. Builds goalpost
# with `--release` unless BIN is given.
set -euo pipefail

COMMITS=${COMMITS:-2000}
RUNS=${RUNS:-7}

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-log-bench.XXXXXX")
# KEEP=1 leaves the repository in place (for profiling) and prints where it is.
if [ -n "${KEEP:-}" ]; then echo "repository: $work/repo" >&2; else trap 'rm -rf "$work"' EXIT; fi
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

if [ -z "${BIN:-}" ]; then
    echo "building goalpost (release)..." >&2
    cargo build --release --quiet --manifest-path "$here/Cargo.toml"
    BIN="$here/target/release/goalpost"
fi
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" >&2
echo "generating $COMMITS commits..." >&2
repo="$work/repo"
git init -q -b main "$repo"
awk -v n="$COMMITS" 'BEGIN {
    kpis = "team: growth\nkpis:\n";
    split("churn nps signups latency", ids, " ");
    for (k = 1; k <= 4; k++)
        kpis = kpis "  - id: " ids[k] "\n    title: KPI " ids[k] "\n    better: lower\n    target: 50\n";
    log_text = "checkins:\n";
    split("Alice Example,Bob Builder,Carol Chen", people, ",");
    t = 1700000000;
    for (i = 0; i < n; i++) {
        k = i % 4 + 1; j = int(i / 4);
        date = sprintf("%04d-%02d-%02d", 2020 + int(j / 336), 1 + int((j % 336) / 28), 1 + j % 28);
        line = sprintf("  - { ref: growth/%s, date: %s, value: %d }\n", ids[k], date, 40 + (i * 7) % 30);
        log_text = log_text line;
        who = people[i % 3 + 1]; mail = tolower(substr(who, 1, index(who, " ") - 1)) "@example.com";
        msg = "check in growth/" ids[k] " " date "\n";
        printf "commit refs/heads/main\nmark :%d\n", i + 1;
        printf "author %s <%s> %d +0000\ncommitter %s <%s> %d +0000\n", who, mail, t + i * 3600, who, mail, t + i * 3600;
        printf "data %d\n%s", length(msg), msg;
        if (i == 0)
            printf "M 100644 inline goals/growth/kpis.yaml\ndata %d\n%s\n", length(kpis), kpis;
        printf "M 100644 inline goals/checkins.yaml\ndata %d\n%s\n", length(log_text), log_text;
    }
}' | git -C "$repo" fast-import --quiet
git -C "$repo" reset -q --hard main
"$BIN" -C "$repo" check >/dev/null 2>&1 || { echo "the generated goals do not pass check" >&2; exit 1; }

# Wall time of one run of a command, in milliseconds.
ms() {
    local a b
    a=$(date +%s%N)
    "$@" >/dev/null
    b=$(date +%s%N)
    echo $(((b - a) / 1000000))
}
# "best median" of RUNS runs (after one warm-up run).
measure() {
    "$@" >/dev/null
    local t=()
    for _ in $(seq "$RUNS"); do t+=("$(ms "$@")"); done
    printf '%s\n' "${t[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[1], a[int((NR + 1) / 2)] }'
}

read -r git_best git_med < <(measure git -C "$repo" log -p -- goals/checkins.yaml)
read -r gp_best gp_med < <(measure "$BIN" -C "$repo" log growth/churn)
listed=$("$BIN" -C "$repo" log growth/churn | wc -l)

echo
echo "$COMMITS commits, $RUNS runs each (after a warm-up run); goalpost listed $listed changes"
echo
echo "| command | best | median |"
echo "|---|---|---|"
echo "| \`git log -p -- goals/checkins.yaml > /dev/null\` | ${git_best} ms | ${git_med} ms |"
echo "| \`goalpost log growth/churn > /dev/null\` | ${gp_best} ms | ${gp_med} ms |"
awk -v a="$gp_med" -v b="$git_med" 'BEGIN { if (b > 0) printf "\nratio of medians (goalpost / git): %.2f\n", a / b }'
