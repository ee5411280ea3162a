#!/usr/bin/env bash
# The language server's benchmark (BENCHMARKS.md, "goalpost lsp"): on the generated
# organisation of TEAMS teams (default 300), the time from a change of one goal file to its
# diagnostics, and the server's memory. Builds the test binary with --release and runs the
# ignored test `lsp::bench_diagnostics_after_a_change`; ROUNDS edits (default 40), PAUSE_MS
# apart (default 250: a person reads the result; 0 sends them back to back). Today is
# TODAY (default 2026-11-15, the as-of date of the other benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
teams=${TEAMS:-300}
dir=$(mktemp -d /tmp/goalpost-lsp-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
python3 benches/gen_org.py "$teams" "$dir" >/dev/null
GOALPOST_BENCH_ORG="$dir" ROUNDS="${ROUNDS:-40}" PAUSE_MS="${PAUSE_MS:-250}" TODAY="${TODAY:-2026-11-15}" \
  cargo test --release --quiet --test cli lsp::bench_diagnostics_after_a_change \
  -- --ignored --nocapture 2>&1 | grep -E '^lsp:|panicked|FAILED|error' || true
