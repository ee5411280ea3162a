#!/bin/sh
# Seeds the fuzz corpora from the repository's fixtures and examples (copied at run time;
# corpora are not committed). Run from anywhere: fuzz/seed.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
goals="$here/corpus/load_validate_score"
config="$here/corpus/config"
mkdir -p "$goals" "$config"

n=0
for dir in "$repo/tests/fixtures" "$repo/examples"; do
    [ -d "$dir" ] || continue
    find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' \) | while read -r f; do
        # Skip files larger than libFuzzer's default -max_len would use anyway.
        [ "$(wc -c <"$f")" -le 65536 ] || continue
        cp "$f" "$goals/seed-$(echo "$f" | cksum | cut -d' ' -f1).yaml"
    done
    find "$dir" -type f -name '*.toml' | while read -r f; do
        cp "$f" "$config/seed-$(echo "$f" | cksum | cut -d' ' -f1).toml"
    done
done

# Built-in seeds, so a branch without fixtures still starts from meaningful shapes.
cat >"$goals/builtin-log.yaml" <<'YAML'
checkins:
  - { ref: growth/onboarding/completion, date: 2026-10-12, value: 64 }
  - { ref: growth/churn, date: 2026-11-30, value: 6.4, note: price change, by: ann }
YAML
cat >"$goals/builtin-anchors.yaml" <<'YAML'
team: a
period: 2026-Q4
objectives:
  - &o { id: o1, title: t, parent: a/o2, key_results: [ &k { id: k, title: t, start: 1, target: 2 } ] }
  - { id: o2, title: t, parent: a/o1, commitment: committed, key_results: [*k, { id: m, title: Ship it, kind: milestone, checkins: [{date: 2026-10-01, done: yes}] }] }
kpis:
  - { id: k1, title: t, better: higher, target: 5, critical: 7, cadence: quarterly, checkins: [{date: 2026-02-30, value: .nan}, {date: 2026-10-01, value: "60%", confidence: 2}] }
YAML
cat >"$config/builtin-full.toml" <<'TOML'
roots = ["goals", "more/goals"]
checkin_log = "goals/checkins.yaml"
stale_days = 14
[status]
at_risk_gap = 0.10
off_track_gap = 0.25
[lints]
too-many-kpis = "warning"
kr-count = "off"
[periods.fy27-q1]
start = 2026-10-01
end = 2026-12-31
TOML
cat >"$config/builtin-bad.toml" <<'TOML'
roots = ["../x", "/etc"]
checkin_log = "../../log.yaml"
stale_days = 0
[status]
at_risk_gap = 0.5
off_track_gap = 0.1
[lints]
kr-cuont = "off"
yaml-syntax = "loud"
[periods.2026-Q4]
start = 2026-12-31
end = 2026-10-01T00:00:00Z
TOML
echo "seeded $(ls "$goals" | wc -l) goal files and $(ls "$config" | wc -l) configs under $here/corpus"
