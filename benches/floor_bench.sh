#!/usr/bin/env bash
# The floor under `status` (issue 33): what a fast C++ YAML parser, rapidyaml, takes to parse
# the same goal files into trees on one thread, beside `goalpost status --format json`.
#
#   ORG=/tmp/bench-org3000 benches/floor_bench.sh
#   RUNS=7 BIN=/tmp/goalpost-new ORG=/tmp/bench-org300 benches/floor_bench.sh
#
# rapidyaml comes from its source package on PyPI (rapidyaml 0.15.2, checked against its
# SHA-256; the package carries the C++ library), downloaded once into $CACHE (default
# target/floor) and compiled there with g++ -O2 together with benches/floor.cpp: a program
# that reads the paths of files from standard input and parses each whole file into a
# fresh rapidyaml tree (`parse_in_place`), as goalpost reads each whole file. ORG is an
# organisation from benches/gen_org.py (or any goalpost repository); the files are those
# `goalpost` walks there (every .yaml and .yml under its roots, goalpost.toml's `roots`,
# default `goals`). Then RUNS (default 5) interleaved rounds time
#   - the floor over those files (one thread)
#   - goalpost status --format json     (--as-of 2026-11-15, GOALPOST_TODAY=2026-12-31)
# and it prints the CPU medians (user + sys, all threads), peak RSS, the input's size and
# the ratio status / floor (target <= 1.2) and status's peak RSS / input bytes (target <= 2).
set -euo pipefail

if [ $# -gt 0 ]; then
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
RUNS=${RUNS:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$here/target/release/goalpost}
CACHE=${CACHE:-$here/target/floor}
VERSION=0.15.2
SHA256=a3b075636e6b5673ddf7a50122b029cd44623f18e84bcd4f18425df328425a09
URL=https://files.pythonhosted.org/packages/8d/5e/80ea1e8ca5785ad52f835f663e8384961bdb258de71a5bd332e99a2d7b20/rapidyaml-$VERSION.tar.gz
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release, or set BIN" >&2; exit 1; }
[ -n "${ORG:-}" ] && [ -d "$ORG" ] || { echo "set ORG to a goalpost repository" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 1; }
command -v g++ >/dev/null || { echo "needs g++: apt-get install -y g++" >&2; exit 1; }

floor="$CACHE/ryml_floor-$VERSION"
if [ ! -x "$floor" ] || [ "$here/benches/floor.cpp" -nt "$floor" ]; then
    mkdir -p "$CACHE"
    tarball="$CACHE/rapidyaml-$VERSION.tar.gz"
    if [ ! -f "$tarball" ]; then
        echo "downloading rapidyaml $VERSION from PyPI..." >&2
        curl -fsSL -o "$tarball.part" "$URL"
        mv "$tarball.part" "$tarball"
    fi
    echo "$SHA256  $tarball" | sha256sum -c --quiet ||
        { echo "$tarball: SHA-256 differs; delete it and run again" >&2; exit 1; }
    rm -rf "$CACHE/rapidyaml-$VERSION"
    tar -xzf "$tarball" -C "$CACHE"
    src="$CACHE/rapidyaml-$VERSION/cpp"
    echo "compiling the floor (about a minute)..." >&2
    g++ -O2 -std=c++17 -DNDEBUG -I "$src/src" -I "$src/ext/c4core/src" \
        "$src"/src/c4/yml/*.cpp "$src"/ext/c4core/src/c4/*.cpp "$here/benches/floor.cpp" \
        -o "$floor.part"
    mv "$floor.part" "$floor"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/goalpost-floor.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The files goalpost reads: every .yaml/.yml under the roots (hidden ones skipped).
python3 - "$ORG" > "$work/files" <<'PY'
import os, sys, tomllib

org = sys.argv[1]
roots = ["goals"]
toml = os.path.join(org, "goalpost.toml")
if os.path.exists(toml):
    with open(toml, "rb") as fh:
        roots = tomllib.load(fh).get("roots", roots)
paths = []
for root in roots:
    for d, dirs, files in os.walk(os.path.join(org, root)):
        dirs[:] = [x for x in dirs if not x.startswith(".")]
        paths += [os.path.join(d, f) for f in files
                  if f.endswith((".yaml", ".yml")) and not f.startswith(".")]
print("\n".join(sorted(paths)))
PY
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

export GOALPOST_TODAY=2026-12-31 NO_COLOR=1
python3 - "$(realpath "$BIN")" "$floor" "$ORG" "$work/files" "$RUNS" <<'PY'
import os, statistics, subprocess, sys

bin, floor, org, files, runs = sys.argv[1:]
with open(files) as fh:
    paths = fh.read().split()
size = sum(os.path.getsize(p) for p in paths)


def measure(argv, stdin=None):
    with open(stdin or os.devnull, "rb") as inp:
        r = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", *argv], stdin=inp,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"{argv[0]} failed ({r.returncode}): {r.stderr[-2000:]}")
    u, s, m = r.stderr.strip().splitlines()[-1].split()
    return float(u) + float(s), int(m) * 1024


commands = [
    ("rapidyaml parse, 1 thread (the floor)", [floor], files),
    ("status --format json", [bin, "-C", org, "--as-of", "2026-11-15", "status", "--format", "json"], None),
]
got = {name: [] for name, _, _ in commands}
for r in range(int(runs)):
    k = r % len(commands)
    for name, argv, stdin in commands[k:] + commands[:k]:
        got[name].append(measure(argv, stdin))
cpu = {n: statistics.median(x[0] for x in v) for n, v in got.items()}
rss = {n: statistics.median(x[1] for x in v) for n, v in got.items()}
print(f"\n{len(paths):,} files, {size / 1e6:.1f} MB\n")
print("| command | CPU median (user + sys) | peak RSS |")
print("|---|---:|---:|")
for n, _, _ in commands:
    print(f"| {n} | {cpu[n]:.3f} s | {rss[n] / 2**20:.0f} MiB |")
status, fl = commands[1][0], commands[0][0]
print(f"\nstatus / floor, CPU: {cpu[status] / cpu[fl]:.2f} (target <= 1.2)")
print(f"status peak RSS / input bytes: {rss[status] / size:.2f} (target <= 2)")
PY
