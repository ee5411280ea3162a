#!/usr/bin/env python3
"""Writes a synthetic goalpost organisation for benchmarks.

    python3 benches/gen_org.py TEAMS OUT_DIR [--seed N]

For each of TEAMS teams: goals/<team>/2026-Q3.yaml (closed) and goals/<team>/2026-Q4.yaml
(open as of 2026-11-15), each with 4 objectives x 4 key results x 12 weekly check-ins, and
goals/<team>/kpis.yaml with 6 KPIs x 60 weekly check-ins; plus a shared log,
goals/checkins.yaml, with a few logged check-ins per team for key results and KPIs.

The output is valid (`goalpost --as-of 2026-11-15 check` exits 0) and avoids the practice
lints: no stale items, no worsening KPI trends, no breached guardrails, every KR of a closed
period checked in. It is deterministic: the same arguments always give the same bytes.
"""

import argparse
import datetime as dt
import os
import random

AS_OF = dt.date(2026, 11, 15)
QUARTERS = {
    # name: (start, first inline check-in: a Friday inside the quarter)
    "2026-Q3": (dt.date(2026, 7, 1), dt.date(2026, 7, 3)),
    "2026-Q4": (dt.date(2026, 10, 1), dt.date(2026, 10, 2)),
}
OWNERS = ["alice", "bob", "chen", "dana", "eli", "fatima", "gus", "hana"]
METRICS = [
    ("weekly active teams", "teams"),
    ("trial to paid conversion", "%"),
    ("median time to first value", "days"),
    ("support tickets per week", "tickets/week"),
    ("p95 page load", "ms"),
    ("self-serve upgrades per month", "upgrades"),
]
NOTES = [
    "new onboarding email live",
    "holiday week",
    "pricing page experiment",
    "measured from the warehouse",
    "one large customer churned",
    "dashboard fixed",
]


def week(start, i):
    return start + dt.timedelta(days=7 * i)


def num(x):
    """A YAML number: integers without a fraction, others with one decimal."""
    x = round(x, 1)
    return str(int(x)) if x == int(x) else f"{x:.1f}"


def checkin(date, value=None, done=None, confidence=None, note=None, ref=None):
    parts = []
    if ref is not None:
        parts.append(f"ref: {ref}")
    parts.append(f"date: {date.isoformat()}")
    if value is not None:
        parts.append(f"value: {num(value)}")
    if done is not None:
        parts.append(f"done: {'true' if done else 'false'}")
    if confidence is not None:
        parts.append(f"confidence: {confidence}")
    if note is not None:
        parts.append(f"note: {note}")
    return "{ " + ", ".join(parts) + " }"


def kpi_defs(rng, team):
    """Six KPIs: (id, title, unit, better, target, critical, values of 60 weeks)."""
    out = []
    for k in range(6):
        better = "higher" if k % 2 == 0 else "lower"
        base = rng.uniform(40, 400)
        target = round(base, 0)
        sign = 1 if better == "higher" else -1
        critical = round(base - sign * base * 0.3, 0)
        # A random walk on the healthy side, ending with two improving steps so that no
        # KPI trends "worsening" (which would raise the promote-kpi lint).
        v = base * (1 + sign * 0.1)
        values = []
        for _ in range(57):
            v += rng.uniform(-0.02, 0.02) * base
            v = max(v, target) if better == "higher" else min(v, target)
            values.append(v)
        for _ in range(3):
            v += sign * 0.01 * base
            values.append(v)
        title = f"{METRICS[k][0].capitalize()} of {team}"
        out.append((f"kpi-{k}", title, METRICS[k][1], better, target, critical, values))
    return out


def write_kpis(rng, team, path, kpis):
    first = week(dt.date(2026, 11, 13), -59)  # 60 Fridays ending 2026-11-13
    lines = [
        f"# Health metrics of {team} (synthetic benchmark data).",
        f"team: {team}",
        "kpis:",
    ]
    for kid, title, unit, better, target, critical, values in kpis:
        lines += [
            f"  - id: {kid}",
            f"    title: {title}",
            f'    unit: "{unit}"',
            f"    better: {better}",
            f"    target: {num(target)}",
            f"    critical: {num(critical)}",
            "    cadence: weekly",
            f"    owner: {rng.choice(OWNERS)}",
            "    checkins:",
        ]
        for i, v in enumerate(values):
            note = rng.choice(NOTES) if rng.random() < 0.05 else None
            lines.append(f"      - {checkin(week(first, i), value=v, note=note)}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_quarter(rng, team, period, path, log):
    start, first = QUARTERS[period]
    closed = period == "2026-Q3"
    lines = [
        f"# {team} OKRs for {period} (synthetic benchmark data).",
        f"team: {team}",
        f"period: {period}",
        "objectives:",
    ]
    for o in range(4):
        lines += [
            f"  - id: obj-{o}",
            f"    title: Objective {o} of {team} in {period}, make customers successful",
            f"    owner: {rng.choice(OWNERS)}",
        ]
        if o == 0:
            lines.append("    commitment: committed")
        if o == 1:
            lines.append(f"    guardrails: [{team}/kpi-0, {team}/kpi-1]")
        lines.append("    key_results:")
        for r in range(4):
            kr_ref = f"{team}/obj-{o}/kr-{r}"
            milestone = o == 3 and r == 3
            lines += [
                f"      - id: kr-{r}",
                f"        title: Key result {r} of objective {o}",
            ]
            # Progress reached by the end of the quarter: a spread of scores, so that
            # closed periods have both achieved and missed objectives.
            reach = rng.uniform(0.4, 1.1)
            if milestone:
                lines.append("        kind: milestone")
                finished_at = rng.randrange(6, 14)  # week index; 12 and 13 mean never
            else:
                s = round(rng.uniform(10, 500))
                t = s + round(s * rng.choice([-0.4, 0.5, 1.0]))
                lines += [f"        start: {s}", f"        target: {t}"]
                lines.append(f'        unit: "{rng.choice(METRICS)[1]}"')
                if r == 0:
                    lines.append("        weight: 2")
            lines.append("        checkins:")
            for i in range(12):
                d = week(first, i)
                conf = round(rng.uniform(0.7, 0.95), 2) if rng.random() < 0.3 else None
                note = rng.choice(NOTES) if rng.random() < 0.05 else None
                if milestone:
                    c = checkin(d, done=i >= finished_at, confidence=conf, note=note)
                else:
                    frac = reach * (i + 1) / 12 + rng.uniform(-0.03, 0.03)
                    c = checkin(d, value=s + (t - s) * frac, confidence=conf, note=note)
                lines.append(f"          - {c}")
            # A couple of logged check-ins per quarter, on Tuesdays (inline ones are on
            # Fridays, so the two never collide on a date).
            if not milestone and r == 1:
                for i in (2, 5):
                    d = week(first, i) + dt.timedelta(days=4)
                    if not closed and d > AS_OF:
                        continue
                    frac = reach * (i + 1.5) / 12
                    log.append(checkin(d, value=s + (t - s) * frac, ref=kr_ref) + f"  # {period}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("teams", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    goals = os.path.join(a.out, "goals")
    os.makedirs(goals, exist_ok=True)
    with open(os.path.join(a.out, "goalpost.toml"), "w") as f:
        f.write('# Synthetic organisation for benchmarks (benches/gen_org.py).\nroots = ["goals"]\n')
    log = []
    width = max(4, len(str(a.teams - 1)))
    for n in range(a.teams):
        team = f"team-{n:0{width}d}"
        d = os.path.join(goals, team)
        os.makedirs(d, exist_ok=True)
        kpis = kpi_defs(rng, team)
        write_kpis(rng, team, os.path.join(d, "kpis.yaml"), kpis)
        for period in QUARTERS:
            write_quarter(rng, team, period, os.path.join(d, f"{period}.yaml"), log)
        # Two logged KPI check-ins, on Tuesdays in the middle of the KPI's history.
        for k in (2, 3):
            values = kpis[k][6]
            for i in (20, 30):
                date = week(dt.date(2026, 11, 13), -59 + i) + dt.timedelta(days=4)
                log.append(checkin(date, value=values[i], ref=f"{team}/kpi-{k}", note="logged"))
    with open(os.path.join(goals, "checkins.yaml"), "w") as f:
        f.write("# Shared check-in log (synthetic benchmark data).\ncheckins:\n")
        for line in log:
            f.write(f"  - {line}\n")


if __name__ == "__main__":
    main()
