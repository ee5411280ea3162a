#!/usr/bin/env bash
# The README's screenshot of the HTML report: builds goalpost, writes the report of
# examples/acme as of 2026-11-22, and has Chromium (driven by tests/tools/browser.cjs, with
# puppeteer-core from .ci/install-tools) photograph its first objective at 1000 px into
# tests/screenshots/report.png. Run from anywhere: bash benches/screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GOALPOST_TODAY=2026-11-22 target/debug/goalpost -C examples/acme --as-of 2026-11-22 \
  report --format html -o "$tmp/report.html"
mkdir -p tests/screenshots
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
NODE_PATH=.tools/node_modules node tests/tools/browser.cjs "$browser" "$tmp" \
  --shot tests/screenshots/report.png 1000 'main article.o' "$tmp/report.html" >/dev/null
ls -l tests/screenshots/report.png
