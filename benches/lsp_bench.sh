#!/usr/bin/env bash
# The language server's benchmark (BENCHMARKS.md, "goalpost lsp"): on the generated
# organisation of TEAMS teams (default 300), the time from a change of one goal file to its
# diagnostics, and the server's memory. Builds the test binary with --release and runs the
# ignored test `lsp::bench_diagnostics_after_a_change`; ROUNDS edits (default 40), PAUSE_MS
# apart (default 250: a person reads the result; 0 sends them back to back). Today is
# TODAY (default 2026-11-15, the as-of date of the other benchmarks).
#
#   TEAMS=3000 ROUNDS=10 PAUSE_MS=1000 benches/lsp_bench.sh
#   ORG=/tmp/bench-org3000 LOG=1 benches/lsp_bench.sh   # an organisation made before (it is
#                                                      # only read), and each update's line
#                                                      # of the server's log (where its time
#                                                      # went)
set -euo pipefail
cd "$(dirname "$0")/.."
teams=${TEAMS:-300}
if [ -n "${ORG:-}" ]; then
    dir=$ORG
else
    dir=$(mktemp -d /tmp/goalpost-lsp-bench.XXXXXX)
    trap 'rm -rf "$dir"' EXIT
    python3 benches/gen_org.py "$teams" "$dir" >/dev/null
fi
show='^lsp:|panicked|FAILED|error'
if [ -n "${LOG:-}" ]; then
    export GOALPOST_LSP_LOG=1
    show="$show| ms: goalpost: (validated|answered)|^   then: "
fi
GOALPOST_BENCH_ORG="$dir" ROUNDS="${ROUNDS:-40}" PAUSE_MS="${PAUSE_MS:-250}" TODAY="${TODAY:-2026-11-15}" \
  cargo test --release --quiet --test cli lsp::bench_diagnostics_after_a_change \
  -- --ignored --nocapture 2>&1 | grep -E "$show" || true
