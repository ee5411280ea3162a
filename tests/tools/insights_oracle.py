#!/usr/bin/env python3
"""An independent implementation of `goalpost insights` (SPEC 14, with the readings of the
contract in /tmp/briefs/insights-readings.md) and a differential test of
`goalpost -C DIR --as-of T insights --format json [--period P]... [--team T]... [--owner O]...`
against it.

    python3 tests/tools/insights_oracle.py --bin target/debug/goalpost [--cases N] [--seed S]
                                           [--case I] [--keep DIR] [--all]
    python3 tests/tools/insights_oracle.py --self-test

Written from the SPEC only, without reading goalpost's code. Python 3.11, standard library
only, and the `git` command. SPEC 5's forecast comes from tests/tools/oracle.py (imported,
an independent oracle of scoring written the same way).

Each case (`random.Random(f"{seed}/{case}")`, so `--seed S --case I` reproduces one;
`--keep DIR` leaves its repository there) builds, as Python data, a repository with a
history: 1-3 quarters (some closed before T, maybe one open at T, sometimes one that ended
more than 365 days before T or one that starts after T), 1-3 teams, objectives (some added
mid-quarter, some sharing an id with an objective of another quarter) with metric,
milestone and `kpi:`-linked key results, KR and objective owners, KPIs (some with an
owner), drops, revisions (some appended later, some never committed), check-ins inline and in
the log (flow style, one a line), confidences, corrections (one of them settling two
different originals a union merge brought together), identical duplicates. The history is a
line of commits, each with an author date in its own UTC offset (+13:00, -11:00, +14:00,
-12:00, ... often near midnight, so that the author's calendar date is not UTC's; the
committer date is UTC and sometimes a day or two later): check-ins are committed 0-20 days
after their date (some a day or two before it, some never: left in the work tree), in
places a commit made on a side branch and merged back (the merge dated before or after
it), targets and starts are edited in place (eased, raised, shifted, an edit put back later;
inside and outside the period, judged by the author's own date), titles edited (not a move). Every
commit's tree is valid (the generator checks it: `goalpost check` on the work tree must
report no error; `--check-commits` checks every commit too). The oracle computes the
expected JSON from that data (never from git's or goalpost's output) and compares every
number with a tolerance of 1e-9 (relative above 1); null must match null, lists in order.
Exit 0 when all agree, 1 with the seed, the case and the first differing path (`--all`:
every differing case).

Readings taken (those of the contract; where it is silent, marked "oracle reading"):
- Periods: each `--period P`; by default every period that has an objective (any team's,
  before `--team`/`--owner` filter anything: oracle reading) whose end E is in
  [T - 365, T - 1] or with S <= T <= E. JSON `periods` in date order. Closed = E < T.
  T_K = min(T, E).
- Counted KRs: KRs of objectives of selected periods (objective's team in `--team`, KR's
  effective owner = own owner else the objective's in `--owner`) not dropped as of T_K (own
  drop, objective's drop, or all KRs of the objective dropped, from the latest of their
  dates).
- Latency: the non-correction check-ins of counted KRs dated in [S, T_K] and of the KPIs
  of the selected teams (all teams without `--team`; KPI owner in `--owner` when given, so
  an ownerless KPI then counts nowhere) dated in [S, T_K] of at least one selected period;
  each check-in once: identical ones (every field the same) count once, two that differ
  only in a field outside the identity (confidence) are two (oracle reading, goalpost's
  too). A check-in's commit date is that of its identity (ref, date, value) / (ref, date,
  done): the least author date (own offset, calendar date) of the commits that introduce
  it, i.e. whose tree (any file) holds the identity while no parent's tree does (the root
  commit introduces all it holds; a merge introduces nothing its parents hold).
  Work-tree-only identities are left out. For diagnosing a difference only:
  INSIGHTS_ORACLE_PER_FILE=1 takes instead "the file holding it did not hold it in the
  parent", INSIGHTS_ORACLE_FIRST_PARENT=1 "its first parent did not hold it". median (mean of the two
  middle ones for an even count), backfilled = share of latency > 7, n; null when n = 0.
  A check-in belongs to its item's team and owner (KR: objective's team, KR's effective
  owner; KPI: its team and owner).
- Cadence per counted KR over D = distinct dates of its observations (a `kpi:` KR: its
  KPI's) in [S, T_K]: first_checkin_days = days(min D - S) (null when D is empty),
  median_gap = median of consecutive differences (null under 2 dates), weekly_coverage =
  windows [S + 7k, S + 7k + 6] (k >= 0, S + 7k <= T_K) holding a date of D / such windows.
  Per group: median over the group's KRs of the non-null values (null when none).
- Moves per counted metric KR (`kpi:` ones too): each commit with a parent in whose trees
  both the KR exists (team, period, objective id, KR id) and its written start or target
  differs, whose author date d (own offset) is in [S, E]; |target - start| in force at d of
  each version (its own start, target and revisions, SPEC 3.4): eased when smaller by more
  than 1e-9, raised when larger by more than 1e-9, else shifted. revisions = the KR's
  revisions in the work tree dated on or before T_K.
- Forecast skill (closed periods; metric KRs, `kpi:` ones with their KPI's observations,
  never dropped): weeks w = S + 7k (k >= 1, w < E) where SPEC 5's forecast at w is not null
  (points (0, start in force at w) and observations in [S, w]); pf, pn (latest observation
  on or before w, any date; progress 0 without one) and final (latest on or before E) with
  the start and target in force at E, clamped; skill = 1 - sum|pf - final| / sum|pn -
  final| over the group's KR-weeks (null with none or sum e_n = 0), n = KR-weeks.
- Calibration (closed periods; counted KRs with an observation giving a confidence dated in
  [S, E]; a correction that names none keeps its original's): for each day d of [S, E] (m
  days) the pair (c_d, o) with weight 1/m, c_d = confidence of the latest observation giving
  one on or before d (any date: for a `kpi:` KR a KPI check-in before S counts: oracle
  reading), else 0.5; o = 1 when the final progress >= 1 - 1e-9 (milestone: done as of E).
  Bin k = min(9, floor(10 c + 1e-9)); bins with weight listed in order {low, high, weight,
  confidence, outcome}. brier, reliability, resolution, uncertainty, optimism over N = n
  (the KR count); all null and bins [] when n = 0.
- Groups: `teams` = teams with a counted KR or a counted (committed: oracle reading) KPI
  check-in, by name; `overall`; `by_owner` = owners with a counted KR or counted KPI
  check-in, by name (items without an owner in no owner group). Overall and owner figures
  are computed from their KRs and check-ins (medians of KRs, pooled sums), not from teams.
- Check-ins dated after T are ignored everywhere; identical check-ins count once; a
  correction replaces the check-ins of its ref and date (the last correction in reading
  order wins; files in path order, entries in file order).
"""

import argparse
import datetime as dt
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402  (SPEC 5's forecast)

D = dt.date
ONE = dt.timedelta(days=1)
EPS = 1e-9
TODAY = "2028-12-31"  # GOALPOST_TODAY: after every generated date
TEAMS = ["core", "growth", "ops"]
OWNERS = ["ana", "bo", "cy"]
OFFSETS = [13 * 60, -11 * 60, 14 * 60, -12 * 60, 330, -480, 0, 60, 545, -210]  # minutes
COUNT_UNCOMMITTED_KPI_TEAMS = False
# True: a commit introduces a check-in when the *file* holding it did not hold it in a parent
# (not the contract's reading, which looks at the whole tree; for diagnosing differences).
INTRODUCED_PER_FILE = os.environ.get("INSIGHTS_ORACLE_PER_FILE") == "1"
# True: a merge introduces what its first parent lacks (not the contract's reading either).
INTRODUCED_FIRST_PARENT = os.environ.get("INSIGHTS_ORACLE_FIRST_PARENT") == "1"  # oracle reading: a team needs a *committed* KPI check-in


def days(n):
    return dt.timedelta(days=n)


def quarter(name):
    y, q = int(name[:4]), int(name[-1])
    s = D(y, 3 * (q - 1) + 1, 1)
    e = (D(y + 1, 1, 1) if q == 4 else D(y, 3 * q + 1, 1)) - ONE
    return s, e


QUARTERS = [f"{y}-Q{q}" for y in (2024, 2025, 2026, 2027) for q in (1, 2, 3, 4)]


def clamp01(x):
    return min(max(x, 0.0), 1.0)


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    if n == 0:
        return None
    if n % 2:
        return float(xs[n // 2])
    return (xs[n // 2 - 1] + xs[n // 2]) / 2


def present(commit, at):
    """Whether a change of the line of commits made at index `commit` (None: work tree only)
    is in view `at`: None (the work tree), an index (the line up to it) or a set of indices
    (a commit of a side branch, or one that leaves a change out)."""
    if at is None:
        return True
    if commit is None:
        return False
    return commit <= at if isinstance(at, int) else commit in at


def in_force(start, target, revisions, d):
    for r in sorted(revisions, key=lambda r: r["date"]):
        if r["date"] <= d:
            start = r.get("start", start)
            target = r.get("target", target)
    return start, target


def plan_valid(start, target, revisions):
    if start == target:
        return False
    for r in revisions:
        s, t = in_force(start, target, revisions, r["date"])
        if s == t:
            return False
    return len({r["date"] for r in revisions}) == len(revisions)


def weekly_coverage(s, tk, dates):
    """Share of the windows [s + 7k, s + 7k + 6] (k >= 0, s + 7k <= tk) holding a date."""
    windows = 0
    held = 0
    k = 0
    while s + days(7 * k) <= tk:
        lo = s + days(7 * k)
        hi = lo + days(6)
        windows += 1
        if any(lo <= d <= hi for d in dates):
            held += 1
        k += 1
    return held / windows if windows else None


def cadence(s, tk, dates):
    dates = sorted(set(d for d in dates if s <= d <= tk))
    first = (dates[0] - s).days if dates else None
    gaps = [(b - a).days for a, b in zip(dates, dates[1:])]
    return first, (median(gaps) if gaps else None), weekly_coverage(s, tk, dates)


def calibration(pairs, n):
    """SPEC 7.0 / 14 over weighted pairs (c, o, w) of n KRs."""
    out = {"brier": None, "n": n, "reliability": None, "resolution": None,
           "uncertainty": None, "optimism": None, "bins": []}
    if n == 0:
        return out
    big_n = float(n)
    obar = sum(w * o for c, o, w in pairs) / big_n
    bins = {}
    for c, o, w in pairs:
        k = min(9, math.floor(c * 10 + 1e-9))
        b = bins.setdefault(k, [0.0, 0.0, 0.0])
        b[0] += w
        b[1] += w * c
        b[2] += w * o
    rel = res = 0.0
    for k in sorted(bins):
        nk, sc, so = bins[k]
        if nk <= 0:
            continue
        cb, ob = sc / nk, so / nk
        rel += nk * (cb - ob) ** 2
        res += nk * (ob - obar) ** 2
        out["bins"].append({"low": k / 10, "high": (k + 1) / 10, "weight": nk,
                            "confidence": cb, "outcome": ob})
    out["brier"] = sum(w * (c - o) ** 2 for c, o, w in pairs) / big_n
    out["reliability"] = rel / big_n
    out["resolution"] = res / big_n
    out["uncertainty"] = obar * (1 - obar)
    out["optimism"] = sum(w * c for c, o, w in pairs) / big_n - obar
    return out


def skill(errors):
    """(skill, n) from KR-week errors (e_f, e_n)."""
    sn = sum(en for _, en in errors)
    if not errors or sn == 0:
        return {"skill": None, "n": len(errors)}
    return {"skill": 1 - sum(ef for ef, _ in errors) / sn, "n": len(errors)}


# ---------------------------------------------------------------------------------------
# The repository as data.
# ---------------------------------------------------------------------------------------


class World:
    def __init__(self):
        self.periods = {}  # name -> (S, E)
        self.teams = []
        self.kpis = []  # dicts
        self.objectives = []  # dicts with "krs"
        self.entries = []  # check-ins (dicts)
        self.edits = []  # in-place edits (dicts)
        self.commits = []  # dicts: local (naive datetime), off (minutes), date, utc

    # -- views -------------------------------------------------------------------------
    def version(self, kr, at):
        """(start, target, title, revisions) of a KR as written in view `at`."""
        v = [x for x in kr["versions"] if present(x[0], at)][-1]
        revs = [r for r in kr["revisions"] if present(r["commit"], at)]
        return v[1], v[2], v[3], revs

    def item_entries(self, item, at):
        return [e for e in self.entries if e["item"] is item and present(e["commit"], at)]

    def observations(self, item, at):
        """One effective check-in per date (SPEC 3.2), in date order; a KR's check-ins on or
        after its drop date are ignored."""
        by_date = {}
        for c in self.item_entries(item, at):
            by_date.setdefault(c["date"], []).append(c)
        out = []
        drop = item.get("drop") if item["type"] == "kr" else None
        for d in sorted(by_date):
            if drop is not None and d >= drop:
                continue
            es = sorted(by_date[d], key=lambda c: c["pos"])
            originals = [c for c in es if "correction" not in c]
            corrections = [c for c in es if "correction" in c]
            if corrections:
                eff = dict(corrections[-1])
                last = originals[-1]
                for k in ("confidence", "note"):
                    if k not in eff and k in last:
                        eff[k] = last[k]
            else:
                eff = originals[-1]
            out.append(eff)
        return out

    def kr_obs(self, kr, at):
        if kr["kpi"] is not None:
            return self.observations(kr["kpi"], at)
        return self.observations(kr, at)


def identity(c):
    """What finds a check-in's commits: (ref, date, value) or (ref, date, done)."""
    return (c["ref"], c["date"], ("done", c["done"]) if "done" in c else ("value", c["value"]))


def checkin_key(c):
    """What makes check-ins identical (counted once): every field written."""
    return identity(c) + (c.get("confidence"), c.get("note"))


# ---------------------------------------------------------------------------------------
# The oracle.
# ---------------------------------------------------------------------------------------


def commit_dates(world):
    """identity -> least local author date of the commits introducing it (their tree holds
    it, none of their parents' trees does)."""
    out = {}
    held = []
    originals = [c for c in world.entries if "correction" not in c]
    for node in world.nodes:
        ids = {identity(c) + ((c["path"],) if INTRODUCED_PER_FILE else ())
               for c in originals if present(c["commit"], node["incl"])}
        held.append(ids)
        parents = node["parents"][:1] if INTRODUCED_FIRST_PARENT else node["parents"]
        before = set().union(*(held[p] for p in parents))
        for ident in ids - before:
            ident = ident[:3]
            if ident not in out or node["date"] < out[ident]:
                out[ident] = node["date"]
    return out


def expected(world, t, sel_periods=None, sel_teams=None, sel_owners=None, at=None):
    objs = [o for o in world.objectives if present(o["added"], at)]
    if sel_periods:
        periods = list(sel_periods)
    else:
        periods = []
        for name in {o["period"] for o in objs}:
            s, e = world.periods[name]
            if (t - days(365) <= e <= t - ONE) or (s <= t <= e):
                periods.append(name)
    periods.sort(key=lambda p: world.periods[p])
    sel = set(periods)

    def team_ok(team):
        return not sel_teams or team in sel_teams

    def owner_ok(owner):
        return not sel_owners or owner in sel_owners

    cdates = commit_dates(world)
    krs = []  # per counted KR: figures
    for o in objs:
        if o["period"] not in sel or not team_ok(o["team"]):
            continue
        s, e = world.periods[o["period"]]
        tk = min(t, e)
        closed = e < t
        for kr in o["krs"]:
            owner = kr["owner"] or o["owner"]
            if not owner_ok(owner):
                continue
            if kr["drop"] is not None and kr["drop"] <= tk:
                continue
            f = {"team": o["team"], "owner": owner, "ids": set()}
            # latency identities
            if kr["kpi"] is None:
                for c in world.item_entries(kr, at):
                    if "correction" not in c and s <= c["date"] <= tk:
                        f["ids"].add(checkin_key(c))
            obs = world.kr_obs(kr, at)
            f["cadence"] = cadence(s, tk, [c["date"] for c in obs])
            # moves and revisions
            f["moves"] = {"in_place": 0, "eased": 0, "raised": 0, "shifted": 0}
            f["revisions"] = 0
            f["skill"] = []
            if kr["kind"] == "metric":
                for node in world.nodes:
                    ps = [world.nodes[p]["incl"] for p in node["parents"]]
                    if not ps or not all(present(o["added"], v) for v in ps + [node["incl"]]):
                        continue
                    s1, t1, _, r1 = world.version(kr, node["incl"])
                    if any(world.version(kr, v)[:2] == (s1, t1) for v in ps):
                        continue  # for a merge: differs from every parent
                    s0, t0, _, r0 = world.version(kr, ps[0])
                    d = node["date"]
                    if not s <= d <= e:
                        continue
                    a, b = in_force(s0, t0, r0, d)
                    size0 = abs(b - a)
                    a, b = in_force(s1, t1, r1, d)
                    size1 = abs(b - a)
                    f["moves"]["in_place"] += 1
                    if size1 < size0 - EPS:
                        f["moves"]["eased"] += 1
                    elif size1 > size0 + EPS:
                        f["moves"]["raised"] += 1
                    else:
                        f["moves"]["shifted"] += 1
                st, tg, _, revs = world.version(kr, at)
                f["revisions"] = sum(1 for r in revs if r["date"] <= tk)
                if closed and kr["drop"] is None:
                    se, te = in_force(st, tg, revs, e)

                    def prog(v):
                        return 0.0 if v is None else clamp01((v - se) / (te - se))

                    def cur(d):
                        vs = [c["value"] for c in obs if c["date"] <= d]
                        return vs[-1] if vs else None

                    final = prog(cur(e))
                    k = 1
                    while s + days(7 * k) < e:
                        w = s + days(7 * k)
                        sw, tw = in_force(st, tg, revs, w)
                        fc = oracle.forecast(sw, tw, s, e, [c for c in obs if s <= c["date"] <= w])
                        if fc is not None:
                            f["skill"].append((abs(prog(fc["value"]) - final),
                                               abs(prog(cur(w)) - final)))
                        k += 1
            # calibration
            f["calib"] = None
            if closed and any("confidence" in c and s <= c["date"] <= e for c in obs):
                if kr["kind"] == "milestone":
                    done = [c["done"] for c in obs if c["date"] <= e]
                    outcome = 1.0 if done and done[-1] else 0.0
                else:
                    st, tg, _, revs = world.version(kr, at)
                    se, te = in_force(st, tg, revs, e)
                    vs = [c["value"] for c in obs if c["date"] <= e]
                    p = clamp01((vs[-1] - se) / (te - se)) if vs else 0.0
                    outcome = 1.0 if p >= 1 - EPS else 0.0
                m = (e - s).days + 1
                pairs = []
                for j in range(m):
                    d = s + days(j)
                    cs = [c["confidence"] for c in obs if c["date"] <= d and "confidence" in c]
                    pairs.append((float(cs[-1]) if cs else 0.5, outcome, 1 / m))
                f["calib"] = pairs
            krs.append(f)

    # KPI check-ins
    kpi_ids = {}  # identity -> (team, owner)
    windows = [(world.periods[p][0], min(t, world.periods[p][1])) for p in periods]
    for k in world.kpis:
        if not team_ok(k["team"]) or (sel_owners and k["owner"] not in sel_owners):
            continue
        for c in world.item_entries(k, at):
            if "correction" in c:
                continue
            if any(s <= c["date"] <= tk for s, tk in windows):
                kpi_ids[checkin_key(c)] = (k["team"], k["owner"])

    def measures(group_krs, ids):
        lat = [(cdates[i[:3]] - i[1]).days for i in ids if i[:3] in cdates]
        m = {"latency": {"median": median(lat),
                         "backfilled": (sum(1 for x in lat if x > 7) / len(lat)) if lat else None,
                         "n": len(lat)}}
        cad = [f["cadence"] for f in group_krs]
        m["cadence"] = {
            "first_checkin_days": median([c[0] for c in cad if c[0] is not None]),
            "median_gap": median([c[1] for c in cad if c[1] is not None]),
            "weekly_coverage": median([c[2] for c in cad if c[2] is not None]),
        }
        mv = {"in_place": 0, "revisions": 0, "eased": 0, "raised": 0, "shifted": 0}
        for f in group_krs:
            for key in ("in_place", "eased", "raised", "shifted"):
                mv[key] += f["moves"][key]
            mv["revisions"] += f["revisions"]
        m["moves"] = mv
        m["skill"] = skill([x for f in group_krs for x in f["skill"]])
        cal = [f["calib"] for f in group_krs if f["calib"] is not None]
        m["calibration"] = calibration([p for ps in cal for p in ps], len(cal))
        return m

    all_ids = {}
    for f in krs:
        for i in f["ids"]:
            all_ids[i] = (f["team"], f["owner"])
    all_ids.update(kpi_ids)

    def kpi_listed(i):
        return COUNT_UNCOMMITTED_KPI_TEAMS or i[:3] in cdates

    teams = sorted({f["team"] for f in krs}
                   | {v[0] for i, v in kpi_ids.items() if kpi_listed(i)})
    owners = sorted({f["owner"] for f in krs if f["owner"]}
                    | {v[1] for i, v in kpi_ids.items() if v[1] and kpi_listed(i)})
    doc = {"format_version": 1, "as_of": t.isoformat(), "periods": periods, "teams": []}
    for team in teams:
        row = {"team": team}
        row.update(measures([f for f in krs if f["team"] == team],
                            {i for i, v in all_ids.items() if v[0] == team}))
        doc["teams"].append(row)
    doc["overall"] = measures(krs, set(all_ids))
    doc["by_owner"] = []
    for owner in owners:
        row = {"owner": owner}
        row.update(measures([f for f in krs if f["owner"] == owner],
                            {i for i, v in all_ids.items() if v[1] == owner}))
        doc["by_owner"].append(row)
    return doc


# ---------------------------------------------------------------------------------------
# The generator.
# ---------------------------------------------------------------------------------------


def rand_date(rng, lo, hi):
    return lo + days(rng.randint(0, (hi - lo).days))


def rand_num(rng, lo, hi):
    x = rng.uniform(lo, hi)
    return int(round(x)) if rng.random() < 0.6 else round(x, 1)


def latency(rng):
    r = rng.random()
    if r < 0.08:
        return None  # never committed
    if r < 0.12:
        return -rng.randint(1, 2)
    if r < 0.40:
        return 0
    if r < 0.75:
        return rng.randint(1, 7)
    return rng.randint(8, 20)


def gen_world(rng):
    w = World()
    # periods and T
    nper = rng.randint(1, 3)
    i0 = rng.randint(4, len(QUARTERS) - nper - 1)
    names = QUARTERS[i0:i0 + nper]
    if nper == 3 and rng.random() < 0.3:
        names = [QUARTERS[i0], QUARTERS[i0 + 2], QUARTERS[i0 + 3]]
    s_last, e_last = quarter(names[-1])
    open_mode = rng.random() < 0.45
    if open_mode:  # the last one open at T
        t = rng.choice([s_last, e_last, rand_date(rng, s_last, e_last), rand_date(rng, s_last,
                                                                                    e_last)])
    else:
        t = rng.choice([e_last + ONE, e_last + days(rng.randint(1, 60))])
    if rng.random() < 0.2:  # an old quarter: ended about 365 days before T
        qi = QUARTERS.index(names[0]) - rng.randint(4, 5)
        if qi >= 0:
            names.insert(0, QUARTERS[qi])
            cand = quarter(names[0])[1] + days(365 + rng.choice([0, 1]))
            if rng.random() < 0.6 and ((open_mode and s_last <= cand <= e_last)
                                       or (not open_mode and cand > e_last)):
                t = cand  # exactly on the boundary of the default selection
    if rng.random() < 0.15:  # a future quarter
        qi = QUARTERS.index(names[-1]) + 1
        if qi < len(QUARTERS) and quarter(QUARTERS[qi])[0] > t:
            names.append(QUARTERS[qi])
    w.t = t
    w.periods = {n: quarter(n) for n in names}
    w.teams = sorted(rng.sample(TEAMS, rng.randint(1, 3)))
    first_s = min(s for s, _ in w.periods.values())
    last_e = max(e for _, e in w.periods.values())

    def add_entry(item, ref, date, fields, lat):
        c = {"item": item, "ref": ref, "date": date, **fields,
             "where": "inline" if rng.random() < 0.55 else "log",
             "lat": lat}
        w.entries.append(c)
        return c

    # KPIs
    for team in w.teams:
        for i in range(rng.randint(0, 2)):
            k = {"type": "kpi", "team": team, "id": f"m{i}", "ref": f"{team}/m{i}",
                 "better": rng.choice(["higher", "lower"]), "target": rand_num(rng, 20, 80),
                 "owner": rng.choice(OWNERS + [None])}
            w.kpis.append(k)
            dates = sorted({rand_date(rng, first_s - days(40), last_e + days(20))
                            for _ in range(rng.randint(0, 10))})
            for d in dates:
                f = {"value": rand_num(rng, 0, 100)}
                if rng.random() < 0.3:
                    f["confidence"] = rng.choice([0.05, 0.2, 0.5, 0.7, 0.9, 1])
                add_entry(k, k["ref"], d, f, latency(rng))
            add_corrections(rng, w, k, k["ref"], True, add_entry)
    # objectives
    n_obj = 0
    used_ids = {}
    for team in w.teams:
        for period in names:
            for _ in range(rng.randint(1, 2)):
                n_obj += 1
                oid = f"o{n_obj}"
                if used_ids.get(team) and rng.random() < 0.15:
                    oid = rng.choice(used_ids[team])  # same id in another quarter
                    if any(o["team"] == team and o["period"] == period and o["id"] == oid
                           for o in w.objectives):
                        oid = f"o{n_obj}"
                used_ids.setdefault(team, []).append(oid)
                w.objectives.append(gen_objective(rng, w, team, period, oid, add_entry))
    gen_edits(rng, w)
    build_commits(rng, w)
    return w


def add_corrections(rng, w, item, ref, metric, add_entry, before=None):
    dates = sorted({c["date"] for c in w.entries if c["item"] is item
                    and (before is None or c["date"] < before)})
    for d in dates:
        r = rng.random()
        if r > 0.25:
            continue
        orig = [c for c in w.entries if c["item"] is item and c["date"] == d][0]
        lat0 = orig["lat"]
        corrs = []
        for _ in range(rng.choice([1, 1, 2])):
            f = {"correction": rng.choice(["typo", "wrong query", "re-measured: 5% off"])}
            if metric:
                v = orig["value"]
                while v == orig["value"]:
                    v = rand_num(rng, 0, 100)
                f["value"] = v
            else:
                f["done"] = rng.random() < 0.5
            if rng.random() < 0.4:
                f["confidence"] = rng.choice([0.1, 0.5, 0.75, 0.95])
            lat = latency(rng)
            if lat is not None and lat0 is not None and lat < lat0:
                lat = lat0
            corrs.append(add_entry(item, ref, d, f, lat))
        if r < 0.08:  # a union merge brought a different original (settled by the correction)
            f = {k: v for k, v in orig.items() if k in ("value", "done", "confidence")}
            if rng.random() < 0.7:
                if metric:
                    f["value"] = rand_num(rng, 0, 100)
                else:
                    f["done"] = not orig["done"]
            f.pop("confidence", None)
            if rng.random() < 0.5:
                f["confidence"] = rng.choice([0.3, 0.6, 0.8])
            c = add_entry(item, ref, d, f, corrs[0]["lat"])
            c["second"] = True
        for c in corrs:
            c["where"] = rng.choice(["log", "log", "inline"])


def gen_objective(rng, w, team, period, oid, add_entry):
    s, e = w.periods[period]
    o = {"type": "objective", "team": team, "period": period, "id": oid,
         "ref": f"{team}/{oid}", "owner": rng.choice(OWNERS + [None, None]),
         "own_drop": None, "krs": [], "added": 0, "add_ld": None}
    if rng.random() < 0.15:
        o["add_ld"] = rand_date(rng, s - days(10), s + days(25))
    if rng.random() < 0.08:
        o["own_drop"] = (rand_date(rng, s + ONE, e), "re-planned")
    drop_all = rng.random() < 0.06
    kpis = [k for k in w.kpis]
    for j in range(rng.randint(1, 4)):
        kr = {"type": "kr", "obj": o, "id": f"k{j}", "ref": f"{team}/{oid}/k{j}",
              "owner": rng.choice(OWNERS) if rng.random() < 0.3 else None,
              "own_drop": None, "kpi": None, "revisions": [], "kind": "metric"}
        r = rng.random()
        if r < 0.22:
            kr["kind"] = "milestone"
        elif r > 0.8 and kpis:
            kr["kpi"] = rng.choice(kpis)
        if rng.random() < 0.12 or drop_all:
            kr["own_drop"] = (rand_date(rng, s + ONE, e), "dup")
        o["krs"].append(kr)
    od = o["own_drop"][0] if o["own_drop"] else None
    krd = [kr["own_drop"][0] if kr["own_drop"] else None for kr in o["krs"]]
    if all(d is not None for d in krd):
        od = max(krd) if od is None else min(od, max(krd))
    o["drop"] = od
    for kr in o["krs"]:
        own = kr["own_drop"][0] if kr["own_drop"] else None
        explicit = o["own_drop"][0] if o["own_drop"] else None
        cands = [d for d in (own, explicit) if d is not None]
        kr["drop"] = min(cands) if cands else None
        gen_kr_body(rng, w, o, kr, add_entry)
    return o


def gen_kr_body(rng, w, o, kr, add_entry):
    s, e = w.periods[o["period"]]
    start = target = None
    if kr["kind"] == "metric":
        start = rand_num(rng, 0, 100)
        target = start
        while target == start:
            target = rand_num(rng, 0, 100)
    kr["versions"] = [(0, start, target, f"Key result {kr['id']}")]
    if kr["kpi"] is None:
        dates = sorted({rand_date(rng, s, e) for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 12]))})
        for d in dates:
            f = {}
            if kr["kind"] == "milestone":
                f["done"] = rng.random() < 0.4
            else:
                f["value"] = rng.choice([start, target, rand_num(rng, -10, 110),
                                         rand_num(rng, 0, 100)])
            if rng.random() < 0.45:
                f["confidence"] = rng.choice([0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.69, 0.7, 0.9,
                                              0.95, 1])
            c = add_entry(kr, kr["ref"], d, f, latency(rng))
            if rng.random() < 0.07:  # an identical duplicate (a union merge)
                dup = dict(c)
                dup["where"] = "log" if c["where"] == "inline" else "inline"
                dup["lat"] = None if rng.random() < 0.3 else (c["lat"] or 0) + rng.randint(0, 5)
                w.entries.append(dup)
        add_corrections(rng, w, kr, kr["ref"], kr["kind"] == "metric", add_entry,
                        before=kr["drop"])
    if kr["kind"] == "metric" and rng.random() < 0.35:
        limit = e if kr["drop"] is None else kr["drop"] - ONE
        used = set()
        for _ in range(rng.randint(1, 2)):
            d = rand_date(rng, s, limit)
            if d in used:
                continue
            used.add(d)
            rev = {"date": d, "reason": rng.choice(["scope cut", "new baseline: audit"])}
            which = rng.choice(["target", "start", "both"])
            if which in ("target", "both"):
                rev["target"] = rand_num(rng, 0, 100)
            if which in ("start", "both"):
                rev["start"] = rand_num(rng, 0, 100)
            r = rng.random()
            rev["when"] = ("initial" if r < 0.5 else None if r < 0.6
                           else d + days(rng.randint(-3, 10)))
            trial = kr["revisions"] + [rev]
            subsets = [[], [rev]] + [[r] + x for r in kr["revisions"] for x in ([], [rev])]
            if all(plan_valid(start, target, x) for x in subsets + [trial]):
                kr["revisions"].append(rev)


def gen_edits(rng, w):
    for o in w.objectives:
        s, e = w.periods[o["period"]]
        for kr in o["krs"]:
            if kr["kind"] != "metric":
                continue
            r = rng.random()
            if r < 0.35:
                for _ in range(rng.randint(1, 3)):
                    where = rng.random()
                    if where < 0.65:
                        ld = rand_date(rng, s, e)
                    elif where < 0.8:
                        ld = rng.choice([s, s - ONE, e, e + ONE])
                    else:
                        ld = rng.choice([rand_date(rng, s - days(20), s - ONE),
                                         rand_date(rng, e + ONE, e + days(20))])
                    kind = rng.choice(["eased", "raised", "shifted", "start", "back", "back"])
                    w.edits.append({"kr": kr, "ld": ld, "kind": kind})
            if rng.random() < 0.1:
                w.edits.append({"kr": kr, "ld": rand_date(rng, s, e), "kind": "title"})


def edit_values(rng, kind, history):
    """New (start, target) of an in-place edit, from the KR's written history of values."""
    s, t = history[-1]
    if kind == "back" and len(history) >= 2:
        return history[-2]
    if kind == "eased" or kind == "back":
        return s, round(t - (t - s) * rng.choice([0.2, 0.25, 0.5, 0.6]), 1)
    if kind == "raised":
        return s, round(t + (t - s) * rng.choice([0.2, 0.5, 1]), 1)
    if kind == "shifted":
        dlt = rng.choice([-10, -5, 3, 7.5, 20])
        if rng.random() < 0.3:
            return t, s  # reversed direction, same size
        return s + dlt, t + dlt
    return rand_num(rng, 0, 100), t  # start edited


def build_commits(rng, w):
    reqs = []  # (local date, purpose)
    for c in w.entries:
        if c["lat"] is not None:
            c["ld"] = c["date"] + days(c["lat"])
    for ld in sorted({c["ld"] for c in w.entries if c["lat"] is not None}):
        reqs.append({"date": ld, "what": "check-ins"})
    for ed in w.edits:
        ed["req"] = {"date": ed["ld"], "what": f"edit {ed['kr']['ref']} ({ed['kind']})"}
        reqs.append(ed["req"])
    for o in w.objectives:
        if o["add_ld"] is not None:
            o["req"] = {"date": o["add_ld"], "what": f"add {o['ref']}"}
            reqs.append(o["req"])
        for kr in o["krs"]:
            for rev in kr["revisions"]:
                if isinstance(rev["when"], D):
                    rev["req"] = {"date": rev["when"], "what": f"revise {kr['ref']}"}
                    reqs.append(rev["req"])
    if not reqs:
        reqs.append({"date": min(s for s, _ in w.periods.values()), "what": "goals"})
    for r in reqs:
        off = rng.choice(OFFSETS)
        if rng.random() < 0.45:
            tm = rng.choice([dt.time(23, rng.randint(0, 59), rng.randint(0, 59)),
                             dt.time(0, rng.randint(0, 59), rng.randint(0, 59))])
        else:
            tm = dt.time(rng.randint(7, 20), rng.randint(0, 59), rng.randint(0, 59))
        r["local"] = dt.datetime.combine(r["date"], tm)
        r["off"] = off
        r["utc"] = r["local"] - dt.timedelta(minutes=off)
    reqs.sort(key=lambda r: r["utc"])
    for i, r in enumerate(reqs):
        r["index"] = i
    w.commits = reqs
    by_date = {r["date"]: r["index"] for r in reqs if r["what"] == "check-ins"}
    # objectives added later, revisions
    for o in w.objectives:
        o["added"] = o["req"]["index"] if o["add_ld"] is not None else 0
        for kr in o["krs"]:
            for rev in kr["revisions"]:
                if rev["when"] == "initial":
                    rev["commit"] = o["added"]
                elif rev["when"] is None:
                    rev["commit"] = None
                else:
                    rev["commit"] = max(rev["req"]["index"], o["added"])
    # check-ins: their commit, then the constraints (objective present, corrections after
    # an original, a second different original with the first correction)
    for c in w.entries:
        c["commit"] = by_date[c["ld"]] if c["lat"] is not None else None
        item = c["item"]
        if item["type"] == "kr" and c["commit"] is not None:
            c["commit"] = max(c["commit"], item["obj"]["added"])
    groups = {}
    for c in w.entries:
        groups.setdefault((id(c["item"]), c["date"]), []).append(c)
    big = len(reqs) + 10
    for es in groups.values():
        firsts = [c["commit"] for c in es if "correction" not in c and not c.get("second")]
        c0 = min((x if x is not None else big) for x in firsts)
        corrs = [c for c in es if "correction" in c]
        for c in corrs:
            if c["commit"] is not None:
                c["commit"] = max(c["commit"], c0)
                if c["commit"] >= big:
                    c["commit"] = None
        if corrs:
            cmin = min((c["commit"] if c["commit"] is not None else big) for c in corrs)
            for c in es:
                if c.get("second"):
                    c["commit"] = cmin if cmin < big else None
    # edits, in commit order, each KR's written values
    per_kr = {}
    for ed in sorted(w.edits, key=lambda ed: ed["req"]["index"]):
        per_kr.setdefault(id(ed["kr"]), []).append(ed)
    for o in w.objectives:
        for kr in o["krs"]:
            base = kr["versions"][0]
            kr["versions"] = [(o["added"],) + base[1:]]
            eds = per_kr.get(id(kr), [])
            history = [(base[1], base[2])]
            for ed in eds:
                idx = max(ed["req"]["index"], o["added"])
                st, tg, title = kr["versions"][-1][1:]
                if ed["kind"] == "title":
                    title = title + " (reworded)"
                else:
                    ns, nt = edit_values(rng, ed["kind"], history)
                    if not all(plan_valid(ns, nt, [r for r in kr["revisions"]
                                                   if present(r["commit"], at)])
                               for at in [None] + list(range(idx, len(reqs)))):
                        continue
                    st, tg = ns, nt
                    history.append((st, tg))
                if kr["versions"][-1][0] == idx:
                    kr["versions"][-1] = (idx, st, tg, title)
                else:
                    kr["versions"].append((idx, st, tg, title))
    for at in [None] + list(range(len(reqs))):
        if not view_valid(w, at):
            raise AssertionError(f"generator: invalid tree at {at}")
    # reading order: entries appended in commit order, uncommitted ones last
    order = sorted(w.entries, key=lambda c: (c["commit"] if c["commit"] is not None else big,
                                             rng.random()))
    for i, c in enumerate(order):
        c["seq"] = i
        c["path"] = entry_path(c)
        c["pos"] = (c["path"].split("/"), i)
    for c in w.entries:
        c["flow"] = c["where"] == "log" or rng.random() < 0.6
    build_nodes(rng, w)


def view_valid(w, at):
    """The rules a generated tree could break: plans (start != target in force), check-ins
    of an objective not there, corrections without an original, different originals of one
    date without a correction."""
    for o in w.objectives:
        if not present(o["added"], at):
            if any(present(c["commit"], at) for c in w.entries
                   if c["item"]["type"] == "kr" and c["item"]["obj"] is o):
                return False
            continue
        for kr in o["krs"]:
            st, tg, _, revs = w.version(kr, at)
            if kr["kind"] == "metric" and not plan_valid(st, tg, revs):
                return False
    groups = {}
    for c in w.entries:
        if present(c["commit"], at):
            groups.setdefault((id(c["item"]), c["date"]), []).append(c)
    for es in groups.values():
        corr = any("correction" in c for c in es)
        if corr and not any("correction" not in c and not c.get("second") for c in es):
            return False
        if any(c.get("second") for c in es) and not corr:
            return False
    return True


def build_nodes(rng, w):
    """The commits of the history: the line, or (sometimes) the line with commit k made on a
    side branch and commit k + 1 on main, then merged (the merge changes nothing)."""
    n = len(w.commits)
    nodes = [dict(cm, incl=i, parents=[i - 1] if i else []) for i, cm in enumerate(w.commits)]
    if n >= 4 and rng.random() < 0.4:
        for k in rng.sample(range(1, n - 2), min(4, n - 3)):
            x = dict(w.commits[k], incl=frozenset(range(k + 1)), parents=[k - 1])
            y = dict(w.commits[k + 1], incl=frozenset(range(k)) | {k + 1}, parents=[k - 1])
            if not (view_valid(w, x["incl"]) and view_valid(w, y["incl"])):
                continue
            local = w.commits[k + 1]["local"] + dt.timedelta(hours=rng.choice([-30, 1, 20]))
            off = rng.choice(OFFSETS)
            m = {"local": local, "off": off, "date": local.date(), "incl": k + 1,
                 "utc": local - dt.timedelta(minutes=off), "parents": [k + 1, k],
                 "what": f"merge {k} into {k + 1}"}
            # nodes: 0..k-1, x (k), y (k+1), m (k+2), then k+2.. shifted by one
            rest = [dict(cm, parents=[i]) for i, cm in enumerate(nodes[k + 2:], start=k + 2)]
            nodes = nodes[:k] + [x, y, m] + rest
            break
    w.nodes = nodes


def entry_path(c):
    if c["where"] == "log":
        return "goals/checkins.yaml"
    item = c["item"]
    if item["type"] == "kpi":
        return f"goals/{item['team']}/kpis.yaml"
    o = item["obj"]
    return f"goals/{o['team']}/{o['period']}.yaml"


# ---------------------------------------------------------------------------------------
# Writing the files and the history.
# ---------------------------------------------------------------------------------------


def scalar(v):
    return oracle.scalar(v)


def checkin_lines(c, indent, with_ref):
    pairs = [("ref", c["ref"])] if with_ref else []
    pairs.append(("date", c["date"]))
    for k in ("value", "done", "confidence", "correction"):
        if k in c:
            pairs.append((k, c[k]))
    pad = " " * indent
    if c["flow"]:
        return [pad + "- { " + ", ".join(f"{k}: {scalar(v)}" for k, v in pairs) + " }"]
    return [pad + ("- " if i == 0 else "  ") + f"{k}: {scalar(v)}"
            for i, (k, v) in enumerate(pairs)]


def render(w, at):
    """path -> text of the goal files in view `at`."""
    files = {}
    ents = sorted((c for c in w.entries if present(c["commit"], at)), key=lambda c: c["seq"])

    def inline(item, indent, lines):
        es = [c for c in ents if c["item"] is item and c["where"] == "inline"]
        if es:
            lines.append(" " * indent + "checkins:")
            for c in es:
                lines.extend(checkin_lines(c, indent + 2, False))

    for team in w.teams:
        kpis = [k for k in w.kpis if k["team"] == team]
        if kpis:
            lines = [f"team: {team}", "kpis:"]
            for k in kpis:
                lines += [f"  - id: {k['id']}", f"    title: KPI {k['id']}",
                          f"    better: {k['better']}", f"    target: {scalar(k['target'])}"]
                if k["owner"]:
                    lines.append(f"    owner: {k['owner']}")
                inline(k, 4, lines)
            files[f"goals/{team}/kpis.yaml"] = lines
        for period in w.periods:
            objs = [o for o in w.objectives if o["team"] == team and o["period"] == period
                    and present(o["added"], at)]
            if not objs:
                continue
            lines = [f"team: {team}", f"period: {period}", "objectives:"]
            for o in objs:
                lines += [f"  - id: {o['id']}", f"    title: Objective {o['id']}"]
                if o["owner"]:
                    lines.append(f"    owner: {o['owner']}")
                if o["own_drop"]:
                    lines.append(f"    dropped: {{ date: {o['own_drop'][0]}, reason: "
                                 f"{scalar(o['own_drop'][1])} }}")
                lines.append("    key_results:")
                for kr in o["krs"]:
                    st, tg, title, revs = w.version(kr, at)
                    lines += [f"      - id: {kr['id']}", f"        title: {scalar(title)}"]
                    if kr["kind"] == "milestone":
                        lines.append("        kind: milestone")
                    else:
                        lines += [f"        start: {scalar(st)}", f"        target: {scalar(tg)}"]
                    if kr["kpi"] is not None:
                        lines.append(f"        kpi: {kr['kpi']['ref']}")
                    if kr["owner"]:
                        lines.append(f"        owner: {kr['owner']}")
                    if revs:
                        lines.append("        revisions:")
                        for r in revs:
                            pairs = [(k, r[k]) for k in ("date", "target", "start", "reason")
                                     if k in r]
                            lines.append("          - { " + ", ".join(
                                f"{k}: {scalar(v)}" for k, v in pairs) + " }")
                    if kr["own_drop"]:
                        lines += ["        dropped:", f"          date: {kr['own_drop'][0]}",
                                  f"          reason: {scalar(kr['own_drop'][1])}"]
                    inline(kr, 8, lines)
            files[f"goals/{team}/{period}.yaml"] = lines
    log = [c for c in ents if c["where"] == "log"]
    if log:
        lines = ["checkins:"]
        for c in log:
            lines.extend(checkin_lines(c, 2, True))
        files["goals/checkins.yaml"] = lines
    return {p: "\n".join(lines) + "\n" for p, lines in files.items()}


def write_files(root, files):
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)


def git(root, *args, env=None):
    p = subprocess.run(["git", "-C", root, *args], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {p.stderr}")
    return p.stdout


def git_date(local, off):
    epoch = (local - dt.timedelta(minutes=off) - dt.datetime(1970, 1, 1)).total_seconds()
    sign = "+" if off >= 0 else "-"
    return f"{int(epoch)} {sign}{abs(off) // 60:02d}{abs(off) % 60:02d}"


def write_repo(rng, w, root):
    """The history in one `git fast-import` (every commit holds the whole tree), then the
    work tree (with what was never committed)."""
    os.makedirs(root, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Oracle")
    git(root, "config", "user.email", "oracle@example.com")
    toml = 'checkin_log = "goals/checkins.yaml"\n'
    out = []

    def data(text):
        b = text.encode()
        out.append(b"data %d\n" % len(b))
        out.append(b + b"\n")

    for i, cm in enumerate(w.nodes):
        later = cm["utc"] + (dt.timedelta(days=rng.randint(1, 2)) if rng.random() < 0.2
                             else dt.timedelta(0))
        out.append(f"commit refs/heads/main\nmark :{i + 1}\n"
                   f"author Oracle <oracle@example.com> {git_date(cm['local'], cm['off'])}\n"
                   f"committer Oracle <oracle@example.com> {git_date(later, 0)}\n".encode())
        data(f"{i}: {cm['what']}")
        for j, p in enumerate(cm["parents"]):
            out.append(f"{'merge' if j else 'from'} :{p + 1}\n".encode())
        out.append(b"deleteall\n")
        files = render(w, cm["incl"])
        files["goalpost.toml"] = toml
        for path in sorted(files):
            out.append(f"M 100644 inline {path}\n".encode())
            data(files[path])
    marks = os.path.join(root, ".git", "oracle-marks")
    p = subprocess.run(["git", "-C", root, "fast-import", "--quiet", f"--export-marks={marks}"],
                       input=b"".join(out), capture_output=True)
    if p.returncode != 0:
        raise RuntimeError(f"git fast-import failed: {p.stderr.decode()[:2000]}")
    with open(marks) as f:
        for line in f:
            mark, sha = line.split()
            w.nodes[int(mark[1:]) - 1]["sha"] = sha
    git(root, "reset", "-q", "--hard", "main")
    write_files(root, render(w, None))


# ---------------------------------------------------------------------------------------
# The differential.
# ---------------------------------------------------------------------------------------


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (bool, str)) or isinstance(b, (bool, str)):
        return a == b
    return abs(a - b) <= EPS * max(1.0, abs(a), abs(b))


def first_difference(want, got, path="$"):
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path}: oracle an object, goalpost {got!r}"
        for k, v in want.items():
            if k not in got:
                return f"{path}.{k}: missing from goalpost's JSON (oracle {v!r})"
            d = first_difference(v, got[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(want, list):
        if not isinstance(got, list):
            return f"{path}: oracle a list, goalpost {got!r}"
        for i, (a, b) in enumerate(zip(want, got)):
            d = first_difference(a, b, f"{path}[{i}]")
            if d:
                return d
        if len(want) != len(got):
            return (f"{path}: oracle {len(want)} items, goalpost {len(got)} "
                    f"(oracle {json.dumps(want)[:300]}, goalpost {json.dumps(got)[:300]})")
        return None
    if not same(want, got):
        return f"{path}: oracle {want!r}, goalpost {got!r}"
    return None


def goalpost_env():
    env = dict(os.environ, GOALPOST_TODAY=TODAY, NO_COLOR="1")
    env.pop("CLICOLOR_FORCE", None)
    return env


def check_valid(binary, root, at=None):
    args = [binary, "-C", root]
    if at:
        args += ["--at", at]
    p = subprocess.run(args + ["check", "--format", "json"], capture_output=True, text=True,
                       env=goalpost_env())
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        return f"goalpost check exited {p.returncode}: {p.stdout[:500]}{p.stderr[:2000]}"
    errors = [d for d in doc.get("diagnostics", []) if d.get("severity") == "error"]
    if p.returncode not in (0, 1) or errors:
        return (f"goalpost check{' --at ' + at if at else ''} found errors (a generator "
                f"bug): {json.dumps(errors)[:2000]}")
    return None


def choose_filters(rng, w):
    periods = teams = owners = None
    named = sorted({o["period"] for o in w.objectives if w.periods[o["period"]][0] <= w.t})
    if named and rng.random() < 0.25:
        periods = sorted(rng.sample(named, rng.randint(1, len(named))))
    if rng.random() < 0.2:
        teams = sorted(rng.sample(w.teams, rng.randint(1, len(w.teams))))
    if rng.random() < 0.2:
        owners = sorted(rng.sample(OWNERS, rng.randint(1, 2)))
    return periods, teams, owners


def run_case(binary, seed, case, keep=None, check_commits=False):
    rng = random.Random(f"{seed}/{case}")
    w = gen_world(rng)
    root = keep or tempfile.mkdtemp(prefix="goalpost-insights-oracle-")
    if keep and os.path.exists(keep):
        shutil.rmtree(keep)
    try:
        write_repo(rng, w, root)
        msg = check_valid(binary, root)
        if msg:
            return msg
        if check_commits:
            for cm in w.nodes:
                msg = check_valid(binary, root, cm["sha"])
                if msg:
                    return f"commit {cm['sha'][:10]}: {msg}"
        runs = [(None, None, None)] + [choose_filters(rng, w) for _ in range(2)]
        for periods, teams, owners in runs:
            args = [binary, "-C", root, "--as-of", w.t.isoformat(), "insights",
                    "--format", "json"]
            for flag, vals in (("--period", periods), ("--team", teams), ("--owner", owners)):
                for v in vals or []:
                    args += [flag, v]
            shown = " ".join(args[1:]).replace(root, "DIR")
            p = subprocess.run(args, capture_output=True, text=True, env=goalpost_env())
            if p.returncode != 0:
                return f"`{shown}` exited {p.returncode}:\n{p.stderr[:3000]}"
            got = json.loads(p.stdout)
            want = expected(w, w.t, periods, teams, owners)
            d = first_difference(want, got)
            if d:
                return f"`{shown}`: {d}"
        return None
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------------------------------
# Hand-computed checks of the oracle's own arithmetic.
# ---------------------------------------------------------------------------------------


def self_test():
    def close(a, b):
        assert abs(a - b) < 1e-12, (a, b)

    # medians: odd, even (mean of the two middle), empty
    assert median([3, 1, 2]) == 2
    close(median([1, 10, 2, 4]), 3.0)
    close(median([7, 8]), 7.5)
    assert median([]) is None
    # weekly windows: S = Mon 2026-07-06 .. T_K = 2026-07-22 gives windows starting 07-06,
    # 07-13, 07-20 (the last partial: 07-20..07-22 in force); dates 07-07 and 07-21 -> 2/3
    s = D(2026, 7, 6)
    close(weekly_coverage(s, D(2026, 7, 22), [D(2026, 7, 7), D(2026, 7, 21)]), 2 / 3)
    close(weekly_coverage(s, D(2026, 7, 22), [D(2026, 7, 13)]), 1 / 3)
    close(weekly_coverage(s, s, [s]), 1.0)
    close(weekly_coverage(s, D(2026, 7, 19), [D(2026, 7, 19)]), 0.5)  # 2 full windows
    assert cadence(s, D(2026, 7, 22), []) == (None, None, 0.0)
    first, gap, cov = cadence(s, D(2026, 7, 31), [D(2026, 7, 8), D(2026, 7, 9), D(2026, 7, 20),
                                                 D(2026, 7, 20), D(2026, 8, 3)])
    assert (first, gap) == (2, 6.0), (first, gap)  # gaps 1 and 11 -> 6
    close(cov, 2 / 4)  # windows 07-06, 07-13, 07-20, 07-27: two held
    # Murphy: each bin holds one confidence value -> brier = reliability - resolution +
    # uncertainty. Two KRs of 10 days each: KR a (o = 1) says 0.5 for 4 days, 0.9 for 6;
    # KR b (o = 0) says 0.5 for 5 days, 0.25 for 5.
    pairs = ([(0.5, 1.0, 0.1)] * 4 + [(0.9, 1.0, 0.1)] * 6
             + [(0.5, 0.0, 0.1)] * 5 + [(0.25, 0.0, 0.1)] * 5)
    cal = calibration(pairs, 2)
    close(cal["brier"], cal["reliability"] - cal["resolution"] + cal["uncertainty"])
    # by hand: brier = (4*.25 + 6*.01)/10/2 + (5*.25 + 5*.0625)/10/2 = 0.053 + 0.078125
    close(cal["brier"], 0.131125)
    close(cal["uncertainty"], 0.25)  # o-bar = 1/2
    close(cal["optimism"], (0.4 * 0.5 + 0.6 * 0.9 + 0.5 * 0.5 + 0.5 * 0.25) / 2 - 0.5)
    assert [b["low"] for b in cal["bins"]] == [0.2, 0.5, 0.9]
    close(cal["bins"][1]["weight"], 0.9)
    close(cal["bins"][1]["outcome"], 4 / 9)
    # bin of 1.0 is the last; 0.7 falls in [0.7, 0.8) despite rounding (floor(7.000..01))
    assert [b["low"] for b in calibration([(1.0, 1.0, 1.0)], 1)["bins"]] == [0.9]
    assert [b["low"] for b in calibration([(0.7, 1.0, 1.0)], 1)["bins"]] == [0.7]
    assert calibration([], 0)["brier"] is None and calibration([], 0)["bins"] == []
    # skill: 0 when the forecast errs as much as the naive one; 1 when it is exact; null
    # when the naive one is always right
    assert skill([(0.2, 0.2), (0.5, 0.5)]) == {"skill": 0.0, "n": 2}
    assert skill([(0.0, 0.3)]) == {"skill": 1.0, "n": 1}
    assert skill([(0.1, 0.0)]) == {"skill": None, "n": 1}
    assert skill([]) == {"skill": None, "n": 0}
    # the forecast value of a straight line through (0, start) is the line at E
    s0, e0 = D(2026, 7, 1), D(2026, 9, 30)
    fc = oracle.forecast(10, 100, s0, e0, [{"date": s0 + days(10), "value": 20}])
    close(fc["value"], 10 + (e0 - s0).days)
    # in force: a revision from its date on
    revs = [{"date": D(2026, 8, 1), "target": 50}]
    assert in_force(0, 100, revs, D(2026, 7, 31)) == (0, 100)
    assert in_force(0, 100, revs, D(2026, 8, 1)) == (0, 50)
    # quarters
    assert quarter("2026-Q4") == (D(2026, 10, 1), D(2026, 12, 31))
    assert quarter("2027-Q1") == (D(2027, 1, 1), D(2027, 3, 31))
    # git dates: a +13:00 commit at 00:30 local is the previous day in UTC
    assert git_date(dt.datetime(2026, 10, 5, 0, 30), 13 * 60) == "1791113400 +1300"  # 2026-10-04T11:30Z
    print("self-test passed")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", help="the goalpost binary")
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case", type=int, help="run only this case")
    ap.add_argument("--keep", help="write the case's repository here (with --case)")
    ap.add_argument("--all", action="store_true", help="report every failing case")
    ap.add_argument("--self-test", action="store_true", help="check the oracle's arithmetic")
    ap.add_argument("--check-commits", action="store_true",
                    help="also run `goalpost check --at` on every commit (generator check)")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if not args.bin:
        ap.error("--bin is required (or --self-test)")
    cases = [args.case] if args.case is not None else range(args.cases)
    failed = 0
    for case in cases:
        msg = run_case(args.bin, args.seed, case, args.keep if args.case is not None else None,
                       args.check_commits)
        if msg:
            failed += 1
            print(f"DIFFERENCE seed {args.seed} case {case} (reproduce: python3 "
                  f"tests/tools/insights_oracle.py --bin BIN --seed {args.seed} --case {case} "
                  f"--keep DIR): {msg}")
            if not args.all:
                return 1
    print(f"{len(cases)} repositories, {failed} differing")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
