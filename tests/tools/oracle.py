#!/usr/bin/env python3
"""An independent implementation of goalpost's scoring (SPEC 3.1-3.4, 4, 5 and 12 "Check-in
due") and a differential test of `goalpost status --format json --as-of D --since D'`
against it (each item's figures, and its `previous` ones as of D').

    python3 tests/tools/oracle.py --bin target/debug/goalpost [--cases N] [--seed S]
                                  [--case I] [--keep DIR] [--all] [--stats]

Written from the SPEC only, without reading goalpost's scoring code. Python 3.11, standard
library only: there is no YAML parser here, so the generator builds each random repository
as Python data, writes it as goal files (block and flow styles, simple quoting) and the
oracle computes the expected figures from the same data. Each case (a repository and a few
`--as-of` dates) comes from `random.Random(f"{seed}/{case}")`, so `--seed S --case I`
reproduces one; `--keep DIR` leaves its files there. Exit 0 when every figure agrees, 1 with
the seed, the case and the first differing figure otherwise (`--all`: every differing case).

Readings taken where the SPEC leaves room:
- A dropped item (dropped on or before T_K) shows every figure as of the day before its drop
  date (T' = drop - 1, so T'_K = T'): start, target, current, done, progress, expected,
  confidence, last_checkin and the forecast (value, progress, low, high) of that day; an
  objective's expected, forecast and guardrail_breached too (its score is null). Its status is
  `dropped`, it is never stale, it has no `checkin_due` and is not `overdue`. An item dropped
  on its period's first day therefore shows the figures of the day before the period (no
  forecast, expected 0).
- A KR's drop date is the earlier of its own and its objective's; an objective whose KRs are
  all dropped is dropped from the latest of their (own) dates, or its own date if earlier.
  KR JSON `dropped` is that effective drop (`date`) whatever T is, or null.
- KR `confidence` is that of the latest check-in on or before T_K (null when that check-in
  gives none: it is not carried from earlier check-ins), the KPI's latest for a `kpi:` KR.
- KR `done` is the milestone state of its latest check-in on or before T_K (null with
  none, as for a metric KR).
- "more than that many days of the period have passed" is days(T - S) > threshold.
- `overdue` is checkin_due < T; an item with no checkin_due is not overdue. (SPEC 12 says an
  item is never both stale and overdue in the attention list; the JSON flag is read as the
  plain comparison, see OVERDUE_EXCLUDES_STALE.)
- Identical check-ins of one ref and date count once; "the last original in reading order"
  (SPEC 3.2) is read literally, so a repeated original stands where its last copy is
  (goalpost took the first copy's place until the oracle found the difference;
  REPEAT_COUNTS_AT_FIRST = True checks that older reading).
- Thresholds: `done` at progress >= 1 - 1e-9, pass marks >= 0.7 / 1.0 minus 1e-9, gaps
  <= 0.10 / 0.25 plus 1e-9; confidences compare strictly (< 0.7, < 0.4) as given.
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

D = dt.date
ONE = dt.timedelta(days=1)
EPS = 1e-9
STATS = {}  # how often goalpost reported each status (printed with --stats)
TODAY = "2028-12-31"  # GOALPOST_TODAY: after every generated date
OVERDUE_EXCLUDES_STALE = False
REPEAT_COUNTS_AT_FIRST = False  # False: the literal "last original in reading order" (3.2)
KR_CADENCE = {"weekly": 7, "biweekly": 14, "monthly": 31}
KPI_CADENCE = {"weekly": 7, "monthly": 31, "quarterly": 92}
PERIODS = {
    "2026-Q3": (D(2026, 7, 1), D(2026, 9, 30)),
    "2026-Q4": (D(2026, 10, 1), D(2026, 12, 31)),
    "2026-11": (D(2026, 11, 1), D(2026, 11, 30)),
    "2027-Q1": (D(2027, 1, 1), D(2027, 3, 31)),
    "2026-H2": (D(2026, 7, 1), D(2026, 12, 31)),
    "2028-02": (D(2028, 2, 1), D(2028, 2, 29)),
    "sprint-a": (D(2026, 10, 12), D(2026, 11, 20)),  # defined in goalpost.toml
}
WORDS = ["grow", "reduce", "ship", "launch", "fix", "retain", "measure", "cut", "speed", "win"]


def clamp01(x):
    return min(max(x, 0.0), 1.0)


# ---------------------------------------------------------------------------------------
# The oracle: figures from the repository data.
# ---------------------------------------------------------------------------------------


def distinct(entries):
    """Entries in reading order, an identical repeat counted once at its first place."""
    out = []
    for c in entries:
        fields = {k: v for k, v in c.items() if k not in ("pos", "where")}
        if all({k: v for k, v in o.items() if k not in ("pos", "where")} != fields
               for o in out):
            out.append(c)
    return out


class Repo:
    """A generated repository: teams' objectives and KPIs, check-ins with reading order."""

    def __init__(self):
        self.objectives = []  # dicts, see gen_objective
        self.kpis = {}  # ref -> dict
        self.checkins = []  # every check-in entry (dict with ref, date, pos, ...)
        self.stale_days = 14
        self.gaps = None  # (at_risk_gap, off_track_gap) written in goalpost.toml
        self.at_risk_gap, self.off_track_gap = 0.10, 0.25

    # -- check-in history -------------------------------------------------------------
    def observations(self, ref):
        """One effective check-in per date for `ref` (SPEC 3.2), in date order."""
        by_date = {}
        for c in self.checkins:
            if c["ref"] == ref:
                by_date.setdefault(c["date"], []).append(c)
        out = []
        for d in sorted(by_date):
            entries = sorted(by_date[d], key=lambda c: c["pos"])
            originals = [c for c in entries if "correction" not in c]
            corrections = [c for c in entries if "correction" in c]
            if corrections:
                eff = dict(corrections[-1])
                last = (distinct(originals) if REPEAT_COUNTS_AT_FIRST else originals)[-1]
                for k in ("confidence", "note"):
                    if k not in eff and k in last:
                        eff[k] = last[k]
            else:
                eff = originals[-1]
            out.append(eff)
        return out

    def kr_observations(self, kr):
        if kr.get("kpi"):
            return self.observations(kr["kpi"])
        obs = self.observations(kr["ref"])
        if kr["drop"] is not None:
            obs = [o for o in obs if o["date"] < kr["drop"]]
        return obs

    # -- KPIs -------------------------------------------------------------------------
    def kpi_figures(self, kpi, t):
        obs = [o for o in self.observations(kpi["ref"]) if o["date"] <= t]
        last = obs[-1] if obs else None
        f = {"value": None, "status": "no_data", "trend": None, "last_checkin": None,
             "stale": False}
        if last is None:
            return f
        v = last["value"]
        f["value"] = v
        f["last_checkin"] = last["date"]
        good = 1 if kpi["better"] == "higher" else -1
        if good * (v - kpi["target"]) >= -EPS:
            f["status"] = "healthy"
        elif kpi.get("critical") is not None and good * (kpi["critical"] - v) >= -EPS:
            f["status"] = "critical"
        else:
            f["status"] = "warning"
        if len(obs) >= 3:
            a, b, c = (o["value"] for o in obs[-3:])
            s1, s2 = good * (b - a), good * (c - b)
            if s1 > 0 and s2 > 0:
                f["trend"] = "improving"
            elif s1 < 0 and s2 < 0:
                f["trend"] = "worsening"
            else:
                f["trend"] = "flat"
        f["stale"] = (t - last["date"]).days > KPI_CADENCE[kpi["cadence"]]
        return f

    # -- key results ------------------------------------------------------------------
    @staticmethod
    def in_force(kr, tk):
        start, target = kr.get("start"), kr.get("target")
        for r in sorted(kr.get("revisions", []), key=lambda r: r["date"]):
            if r["date"] <= tk:
                start = r.get("start", start)
                target = r.get("target", target)
        return start, target

    def kr_figures(self, obj, kr, t):
        """Section 5 figures of a KR as of t, ignoring whether it is dropped."""
        s, e = PERIODS[obj["period"]]
        tk = min(t, e)
        milestone = kr["kind"] == "milestone"
        start, target = (None, None) if milestone else self.in_force(kr, tk)
        obs = [o for o in self.kr_observations(kr) if o["date"] <= tk]
        last = obs[-1] if obs else None
        f = {"start": start, "target": target, "current": None, "done": None,
             "confidence": last.get("confidence") if last else None,
             "last_checkin": last["date"] if last else None, "forecast": None,
             "stale": False, "checkin_due": None, "overdue": False}
        if milestone:
            f["done"] = last["done"] if last else None
            f["progress"] = 1.0 if f["done"] else 0.0
            due = kr.get("due")
            if due is not None:
                f["expected"] = 0.0 if tk < due else 1.0
            else:
                f["expected"] = clamp01((tk - s).days / (e - s).days)
        else:
            if last is not None:
                f["current"] = last["value"]
                f["progress"] = clamp01((last["value"] - start) / (target - start))
            else:
                f["progress"] = 0.0
            f["expected"] = clamp01((tk - s).days / (e - s).days)
        pass_mark = 1.0 if obj["commitment"] == "committed" else 0.7
        if t < s:
            f["status"] = "not_started"
        elif t > e:
            f["status"] = "achieved" if f["progress"] >= pass_mark - EPS else "missed"
        else:
            if f["progress"] >= 1 - EPS:
                f["status"] = "done"
            elif last is None:
                f["status"] = "no_data"
            else:
                gap = f["expected"] - f["progress"]
                if gap <= self.at_risk_gap + EPS:
                    st = "on_track"
                elif gap <= self.off_track_gap + EPS:
                    st = "at_risk"
                else:
                    st = "off_track"
                c = last.get("confidence")
                if c is not None:
                    if c < 0.4:
                        st = "off_track"
                    elif c < 0.7 and st == "on_track":
                        st = "at_risk"
                f["status"] = st
            # stale, check-in due, forecast: only while the period is open
            if kr.get("kpi"):
                f["stale"] = self.kpi_figures(self.kpis[kr["kpi"]], t)["stale"]
            elif milestone and last is not None and last["done"]:
                f["stale"] = False
            else:
                thr = max(self.stale_days, KR_CADENCE[kr.get("cadence") or "weekly"])
                base = last["date"] if last else s
                f["stale"] = (t - base).days > thr
            if not kr.get("kpi") and not (milestone and f["done"]):
                cad = KR_CADENCE[kr.get("cadence") or "weekly"]
                due = (last["date"] if last else s) + dt.timedelta(days=cad)
                f["checkin_due"] = due
                f["overdue"] = due < t and not (OVERDUE_EXCLUDES_STALE and f["stale"])
            if not milestone:
                f["forecast"] = forecast(
                    start, target, s, e, [o for o in obs if s <= o["date"] <= tk])
        return f

    def kr_report(self, obj, kr, t):
        s, e = PERIODS[obj["period"]]
        if kr["drop"] is not None and kr["drop"] <= min(t, e):
            f = self.kr_figures(obj, kr, kr["drop"] - ONE)
            f.update(status="dropped", stale=False, checkin_due=None, overdue=False)
            return f
        return self.kr_figures(obj, kr, t)

    # -- objectives -------------------------------------------------------------------
    def obj_figures(self, obj, t):
        s, e = PERIODS[obj["period"]]
        tk = min(t, e)
        active = [kr for kr in obj["key_results"] if kr["drop"] is None or kr["drop"] > tk]
        assert active, "an objective with no active KR is dropped"
        figs = [(kr, self.kr_figures(obj, kr, t)) for kr in active]
        wsum = sum(kr["weight"] for kr, _ in figs)
        score = sum(kr["weight"] * f["progress"] for kr, f in figs) / wsum
        expected = sum(kr["weight"] * f["expected"] for kr, f in figs) / wsum
        pass_mark = 1.0 if obj["commitment"] == "committed" else 0.7
        forecast_ = None
        if t < s:
            status = "not_started"
        elif t > e:
            status = "achieved" if score >= pass_mark - EPS else "missed"
        else:
            if all(f["progress"] >= 1 - EPS for _, f in figs):
                status = "done"
            elif all(f["last_checkin"] is None for _, f in figs):
                status = "no_data"
            else:
                gap = expected - score
                if gap <= self.at_risk_gap + EPS:
                    status = "on_track"
                elif gap <= self.off_track_gap + EPS:
                    status = "at_risk"
                else:
                    status = "off_track"
            forecast_ = sum(
                kr["weight"] * (f["forecast"]["progress"] if f["forecast"] else f["progress"])
                for kr, f in figs) / wsum
        breached = any(self.kpi_figures(self.kpis[g], tk)["status"] == "critical"
                       for g in obj["guardrails"])
        return {"score": score, "expected": expected, "status": status,
                "forecast": forecast_, "guardrail_breached": breached}

    def obj_report(self, obj, t):
        s, e = PERIODS[obj["period"]]
        if obj["drop"] is not None and obj["drop"] <= min(t, e):
            f = self.obj_figures(obj, obj["drop"] - ONE)
            f.update(score=None, status="dropped")
            return f
        return self.obj_figures(obj, t)


def forecast(start, target, s, e, obs):
    """SPEC 5 forecast: least squares through (0, start) and the observations."""
    pts = [(0.0, float(start))] + [(float((o["date"] - s).days), float(o["value"])) for o in obs]
    n = len(pts)
    if n < 2:
        return None
    xm = sum(x for x, _ in pts) / n
    ym = sum(y for _, y in pts) / n
    sxx = sum((x - xm) ** 2 for x, _ in pts)
    if sxx == 0:
        return None
    sxy = sum((x - xm) * (y - ym) for x, y in pts)
    b = sxy / sxx
    a = ym - b * xm
    big_x = float((e - s).days)
    f = a + b * big_x
    if not math.isfinite(f):
        return None
    low = high = None
    if n >= 3:
        ss = sum((y - a - b * x) ** 2 for x, y in pts)
        se = math.sqrt(ss / (n - 2)) * math.sqrt(1 + 1 / n + (big_x - xm) ** 2 / sxx)
        if math.isfinite(se):
            low, high = f - se, f + se
    return {"value": f, "progress": clamp01((f - start) / (target - start)), "low": low,
            "high": high}


# ---------------------------------------------------------------------------------------
# The generator: a random valid repository as data, then as YAML files.
# ---------------------------------------------------------------------------------------


def rand_date(rng, lo, hi):
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def rand_num(rng, lo, hi):
    """A number in [lo, hi] times the repository's scale (rng.scale)."""
    x = rng.uniform(lo, hi)
    x = int(round(x)) if rng.random() < 0.6 else round(x, 1)
    scale = getattr(rng, "scale", 1)
    return x * scale if isinstance(scale, int) else round(x * scale, 6)


def gen_repo(rng):
    repo = Repo()
    rng.scale = rng.choice([1, 1, 1, 1, 1000000, 0.001])  # large values, small values
    repo.stale_days_written = rng.choice([None, 7, 10, 14, 20, 40])
    repo.stale_days = repo.stale_days_written or 14
    if rng.random() < 0.3:
        repo.gaps = rng.choice([(0.05, 0.2), (0.15, 0.3), (0.2, 0.5)])
        repo.at_risk_gap, repo.off_track_gap = repo.gaps
    teams = rng.sample(["core", "growth", "ops", "web"], rng.randint(1, 2))
    # KPIs first (KRs and guardrails link them)
    for team in teams:
        for i in range(rng.randint(0, 3)):
            ref = f"{team}/m{i}"
            better = rng.choice(["higher", "lower"])
            target = rand_num(rng, 20, 80)
            sign = 1 if better == "higher" else -1
            critical = None
            if rng.random() < 0.7:
                critical = target - sign * rng.choice([1, 5, 10, 15.5]) * rng.scale
            kpi = {"ref": ref, "team": team, "id": f"m{i}", "better": better, "target": target,
                   "critical": critical, "cadence": rng.choice(list(KPI_CADENCE)),
                   "style": rng.random()}
            repo.kpis[ref] = kpi
            dates = sorted({rand_date(rng, D(2026, 5, 1), D(2027, 5, 31))
                            for _ in range(rng.randint(0, 9))})
            for d in dates:
                v = rng.choice([target, critical if critical is not None else target,
                                rand_num(rng, 0, 100), rand_num(rng, 0, 100)])
                c = {"ref": ref, "date": d, "value": v}
                if rng.random() < 0.3:
                    c["confidence"] = rng.choice([0.2, 0.39, 0.4, 0.5, 0.69, 0.7, 0.9, 1])
                c["where"] = "inline" if rng.random() < 0.6 else "log"
                repo.checkins.append(c)
            add_corrections(rng, repo, ref, metric=True)
    kpi_refs = list(repo.kpis)
    n_obj = 0
    for team in teams:
        for period in rng.sample(list(PERIODS), rng.randint(1, 3)):
            for _ in range(rng.randint(1, 3)):
                n_obj += 1
                repo.objectives.append(gen_objective(rng, repo, team, period, f"o{n_obj}",
                                                     kpi_refs))
    return repo


def add_corrections(rng, repo, ref, metric, before=None):
    """Corrections of some dates of `ref`; sometimes two different originals first."""
    dates = sorted({c["date"] for c in repo.checkins if c["ref"] == ref
                    and (before is None or c["date"] < before)})
    for d in dates:
        r = rng.random()
        if r > 0.25:
            continue
        orig = [c for c in repo.checkins if c["ref"] == ref and c["date"] == d][0]
        if r < 0.08:  # a union merge brought a different original, or an identical one
            other = dict(orig)
            if rng.random() < 0.7:
                if metric:
                    other["value"] = rand_num(rng, 0, 100)
                else:
                    other["done"] = not orig["done"]
                other.pop("confidence", None)
                if rng.random() < 0.5:
                    other["confidence"] = rng.choice([0.3, 0.6, 0.8])
            other["where"] = rng.choice(["inline", "log"])
            repo.checkins.append(other)
        for _ in range(rng.choice([1, 1, 2])):
            corr = {"ref": ref, "date": d, "correction": rng.choice(["typo", "wrong query",
                                                                     "re-measured: 5% off"]),
                    "where": rng.choice(["log", "log", "inline"])}
            if metric:
                corr["value"] = rand_num(rng, 0, 100)
            else:
                corr["done"] = rng.random() < 0.5
            if rng.random() < 0.4:
                corr["confidence"] = rng.choice([0.1, 0.5, 0.75, 0.95])
            repo.checkins.append(corr)


def gen_objective(rng, repo, team, period, oid, kpi_refs):
    s, e = PERIODS[period]
    obj = {"ref": f"{team}/{oid}", "team": team, "period": period, "id": oid,
           "commitment": rng.choice(["aspirational", "aspirational", "committed", None]),
           "guardrails": rng.sample(kpi_refs, rng.randint(0, min(2, len(kpi_refs)))),
           "own_drop": None, "key_results": []}
    if rng.random() < 0.15:
        obj["own_drop"] = (rand_date(rng, s, e), rng.choice(["re-planned", "no longer needed"]))
    drop_all = rng.random() < 0.1
    for k in range(rng.randint(1, 4)):
        kr = {"ref": f"{team}/{oid}/k{k}", "id": f"k{k}", "weight": 1, "own_drop": None}
        if rng.random() < 0.3:
            kr["weight"] = rng.choice([0.5, 2, 3, 1.5])
            kr["write_weight"] = True
        r = rng.random()
        kr["kind"] = "milestone" if r < 0.25 else "metric"
        if kr["kind"] == "metric" and kpi_refs and r > 0.8:
            kr["kpi"] = rng.choice(kpi_refs)
        if rng.random() < 0.2 or drop_all:
            kr["own_drop"] = (rand_date(rng, s, e), rng.choice(["moved to next quarter", "dup"]))
        if not kr.get("kpi") and rng.random() < 0.4:
            kr["cadence"] = rng.choice(list(KR_CADENCE))
        obj["key_results"].append(kr)
    # effective drops
    od = obj["own_drop"][0] if obj["own_drop"] else None
    krd = [kr["own_drop"][0] if kr["own_drop"] else None for kr in obj["key_results"]]
    if all(d is not None for d in krd):
        od = max(krd) if od is None else min(od, max(krd))
    obj["drop"] = od
    for kr in obj["key_results"]:
        own = kr["own_drop"][0] if kr["own_drop"] else None
        explicit = obj["own_drop"][0] if obj["own_drop"] else None
        cands = [d for d in (own, explicit) if d is not None]
        kr["drop"] = min(cands) if cands else None
        gen_kr_body(rng, repo, obj, kr)
    return obj


def gen_kr_body(rng, repo, obj, kr):
    s, e = PERIODS[obj["period"]]
    # revisions must come before the KR's own drop and its objective's
    limit = e
    if kr["drop"] is not None:
        limit = kr["drop"] - ONE
    if kr["kind"] == "milestone":
        if rng.random() < 0.5:
            kr["due"] = rand_date(rng, s, e)
    else:
        kr["start"] = rand_num(rng, 0, 100)
        kr["target"] = kr["start"]
        while kr["target"] == kr["start"]:
            kr["target"] = rand_num(rng, 0, 100)
    dates = []
    if not kr.get("kpi"):
        n = rng.choice([0, 1, 2, 3, 5, 8])
        dates = {rand_date(rng, s, e) for _ in range(n)}
        if kr["drop"] is not None and rng.random() < 0.4:
            dates.add(kr["drop"])  # on the drop date: ignored (checkin-after-drop)
        dates = sorted(dates)
        for d in dates:
            c = {"ref": kr["ref"], "date": d, "where": "inline" if rng.random() < 0.6 else "log"}
            if kr["kind"] == "milestone":
                c["done"] = rng.random() < 0.4
            else:
                c["value"] = rng.choice([kr["start"], kr["target"], rand_num(rng, -10, 110),
                                         rand_num(rng, 0, 100)])
            if rng.random() < 0.4:
                c["confidence"] = rng.choice([0.2, 0.39, 0.4, 0.5, 0.69, 0.7, 0.9, 1])
            if rng.random() < 0.1:
                c["note"] = "measured: by hand"
            repo.checkins.append(c)
            if rng.random() < 0.05:  # an identical duplicate (a union merge)
                dup = dict(c)
                dup["where"] = "log" if c["where"] == "inline" else "inline"
                repo.checkins.append(dup)
        add_corrections(rng, repo, kr["ref"], kr["kind"] == "metric", before=kr["drop"])
    if kr["kind"] == "metric" and limit >= s and rng.random() < 0.4:
        revs = []
        used = set()
        for _ in range(rng.randint(1, 3)):
            pool = [d for d in dates if d <= limit] if rng.random() < 0.4 else []
            d = rng.choice(pool) if pool else rand_date(rng, s, limit)
            if d in used:
                continue
            used.add(d)
            rev = {"date": d, "reason": rng.choice(["scope cut", "new baseline: audit"])}
            which = rng.choice(["target", "start", "both"])
            if which in ("target", "both"):
                rev["target"] = rand_num(rng, 0, 100)
            if which in ("start", "both"):
                rev["start"] = rand_num(rng, 0, 100)
            revs.append(rev)
        # keep only revisions that leave start != target in force at every date
        kept = []
        for rev in sorted(revs, key=lambda r: r["date"]):
            trial = {"start": kr["start"], "target": kr["target"], "revisions": kept + [rev]}
            st, tg = Repo.in_force(trial, rev["date"])
            if st != tg:
                kept.append(rev)
        rng.shuffle(kept)  # written out of date order
        kr["revisions"] = kept


# ---------------------------------------------------------------------------------------
# YAML writing.
# ---------------------------------------------------------------------------------------


def scalar(v, rng=None):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, D):
        return v.isoformat()
    s = str(v)
    if rng is not None and rng.random() < 0.3 and all(ch.isalnum() or ch in " -" for ch in s):
        return "'" + s + "'" if rng.random() < 0.5 else s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mapping(rng, indent, pairs, flow=None):
    """A list item holding the mapping `pairs`, in flow or block style."""
    if flow is None:
        flow = rng.random() < 0.6
    pad = " " * indent
    if flow:
        return [pad + "- { " + ", ".join(f"{k}: {scalar(v, rng)}" for k, v in pairs) + " }"]
    lines = []
    for i, (k, v) in enumerate(pairs):
        lines.append(pad + ("- " if i == 0 else "  ") + f"{k}: {scalar(v, rng)}")
    return lines


def checkin_pairs(c, with_ref):
    pairs = [("ref", c["ref"])] if with_ref else []
    pairs.append(("date", c["date"]))
    for k in ("value", "done", "confidence", "note", "correction"):
        if k in c:
            pairs.append((k, c[k]))
    return pairs


def write_repo(rng, repo, root):
    """Writes the goal files; stamps each check-in with its reading position."""
    files = {}  # path -> list of (lines builder)
    toml = ["[periods.sprint-a]", "start = 2026-10-12", "end = 2026-11-20"]
    if repo.stale_days_written is not None:
        toml.insert(0, f"stale_days = {repo.stale_days_written}")
    if repo.gaps is not None:
        toml += ["[status]", f"at_risk_gap = {repo.gaps[0]}", f"off_track_gap = {repo.gaps[1]}"]
    inline = {}
    log = []
    for c in repo.checkins:
        if c["where"] == "inline":
            inline.setdefault(c["ref"], []).append(c)
        else:
            log.append(c)
    rng.shuffle(log)
    order = []  # (path, entry) in file order, to stamp positions

    def emit_checkins(path, lines, indent, ref):
        entries = inline.get(ref, [])
        if not entries:
            return
        lines.append(" " * indent + "checkins:")
        for c in entries:
            lines.extend(mapping(rng, indent + 2, checkin_pairs(c, False)))
            order.append((path, c))

    teams = sorted({k["team"] for k in repo.kpis.values()} | {o["team"] for o in repo.objectives})
    for team in teams:
        kpis = [k for k in repo.kpis.values() if k["team"] == team]
        if kpis:
            path = f"goals/{team}/kpis.yaml"
            lines = [f"team: {team}", "kpis:"]
            for k in kpis:
                lines += [f"  - id: {k['id']}", f"    title: {scalar('KPI ' + k['id'], rng)}",
                          f"    better: {k['better']}", f"    target: {scalar(k['target'])}"]
                if k["critical"] is not None:
                    lines.append(f"    critical: {scalar(k['critical'])}")
                if k["cadence"] != "weekly" or rng.random() < 0.5:
                    lines.append(f"    cadence: {k['cadence']}")
                emit_checkins(path, lines, 4, k["ref"])
            files[path] = lines
        for period in PERIODS:
            objs = [o for o in repo.objectives if o["team"] == team and o["period"] == period]
            if not objs:
                continue
            path = f"goals/{team}/{period}.yaml"
            lines = [f"team: {team}", f"period: {period}", "objectives:"]
            for o in objs:
                lines += [f"  - id: {o['id']}", f"    title: {scalar('Objective ' + o['id'], rng)}"]
                if o["commitment"]:
                    lines.append(f"    commitment: {o['commitment']}")
                if o["guardrails"]:
                    lines.append(f"    guardrails: [{', '.join(o['guardrails'])}]")
                if o["own_drop"]:
                    lines.append(f"    dropped: {{ date: {o['own_drop'][0]}, reason: "
                                 f"{scalar(o['own_drop'][1])} }}")
                lines.append("    key_results:")
                for kr in o["key_results"]:
                    lines += [f"      - id: {kr['id']}",
                              f"        title: {scalar('Key result ' + kr['id'], rng)}"]
                    if kr["kind"] == "milestone":
                        lines.append("        kind: milestone")
                    elif rng.random() < 0.2:
                        lines.append("        kind: metric")
                    for key in ("start", "target", "kpi", "cadence", "due"):
                        if kr.get(key) is not None:
                            lines.append(f"        {key}: {scalar(kr[key])}")
                    if kr.get("write_weight"):
                        lines.append(f"        weight: {scalar(kr['weight'])}")
                    if kr.get("revisions"):
                        lines.append("        revisions:")
                        for rev in kr["revisions"]:
                            pairs = [(k, rev[k]) for k in ("date", "target", "start", "reason")
                                     if k in rev]
                            lines.extend(mapping(rng, 10, pairs))
                    if kr["own_drop"]:
                        lines += ["        dropped:", f"          date: {kr['own_drop'][0]}",
                                  f"          reason: {scalar(kr['own_drop'][1], rng)}"]
                    emit_checkins(path, lines, 8, kr["ref"])
            files[path] = lines
    if log:
        path = "goals/checkins.yaml"
        lines = ["checkins:"]
        for c in log:
            lines.extend(mapping(rng, 2, checkin_pairs(c, True)))
            order.append((path, c))
        files[path] = lines
    # reading order: files in path order, entries in file order
    rank = {p: i for i, p in enumerate(sorted(files, key=lambda p: p.split("/")))}
    for i, (path, c) in enumerate(order):
        c["pos"] = (rank[path], i)
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "goalpost.toml"), "w") as f:
        f.write("\n".join(toml) + "\n")
    for path, lines in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------
# The differential.
# ---------------------------------------------------------------------------------------


def as_of_dates(rng, repo):
    """A few as-of dates: before, inside and after periods, and on interesting days."""
    interesting = []
    for o in repo.objectives:
        s, e = PERIODS[o["period"]]
        interesting += [s - ONE, s, e, e + ONE]
        if o["drop"]:
            interesting += [o["drop"] - ONE, o["drop"]]
        for kr in o["key_results"]:
            if kr["drop"]:
                interesting += [kr["drop"] - ONE, kr["drop"]]
            for r in kr.get("revisions", []):
                interesting += [r["date"]]
    interesting += [c["date"] for c in repo.checkins]
    out = [rand_date(rng, D(2026, 6, 1), D(2027, 5, 31))]
    o = rng.choice(repo.objectives)
    out.append(rand_date(rng, *PERIODS[o["period"]]))  # inside some period
    out += rng.sample(interesting, min(2, len(interesting)))
    return sorted(set(out))


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str):
        return a == b
    return abs(a - b) <= EPS * max(1.0, abs(a), abs(b))


def iso(d):
    return d.isoformat() if isinstance(d, D) else d


def compare(repo, doc, t, since):
    """The first differing figure as a message, or None; `previous` is as of `since`."""
    objs = {o["ref"]: o for o in doc["objectives"]}
    krs = {kr["ref"]: kr for o in doc["objectives"] for kr in o["key_results"]}
    kpis = {k["ref"]: k for k in doc["kpis"]}
    checks = 0
    for o in repo.objectives:
        got = objs.get(o["ref"])
        if got is None:
            return f"objective {o['ref']} missing from the JSON", checks
        want = repo.obj_report(o, t)
        for key in ("score", "expected", "status", "forecast", "guardrail_breached"):
            checks += 1
            if not same(want[key], got[key]):
                return f"{o['ref']} {key}: oracle {want[key]!r}, goalpost {got[key]!r}", checks
        prev = repo.obj_report(o, since)
        for key in ("score", "status"):
            checks += 1
            if not same(prev[key], got["previous"][key]):
                return (f"{o['ref']} previous.{key} (since {since}): oracle {prev[key]!r}, "
                        f"goalpost {got['previous'][key]!r}"), checks
        for kr in o["key_results"]:
            g = krs.get(kr["ref"])
            if g is None:
                return f"key result {kr['ref']} missing from the JSON", checks
            w = repo.kr_report(o, kr, t)
            w["dropped"] = iso(kr["drop"])
            gd = g["dropped"]["date"] if isinstance(g.get("dropped"), dict) else g.get("dropped")
            for key in ("start", "target", "current", "done", "progress", "expected",
                        "status", "confidence", "last_checkin", "stale", "checkin_due",
                        "overdue", "dropped"):
                wv = iso(w[key])
                gv = gd if key == "dropped" else g[key]
                checks += 1
                if not same(wv, gv):
                    return f"{kr['ref']} {key}: oracle {wv!r}, goalpost {gv!r}", checks
            prev = repo.kr_report(o, kr, since)
            for key in ("progress", "status", "confidence"):
                checks += 1
                if not same(prev[key], g["previous"][key]):
                    return (f"{kr['ref']} previous.{key} (since {since}): oracle "
                            f"{prev[key]!r}, goalpost {g['previous'][key]!r}"), checks
            wf, gf = w["forecast"], g["forecast"]
            checks += 1
            if (wf is None) != (gf is None):
                return f"{kr['ref']} forecast: oracle {wf!r}, goalpost {gf!r}", checks
            if wf is not None:
                for key in ("value", "progress", "low", "high"):
                    checks += 1
                    if not same(wf[key], gf[key]):
                        return (f"{kr['ref']} forecast.{key}: oracle {wf[key]!r}, "
                                f"goalpost {gf[key]!r}"), checks
    for ref, k in repo.kpis.items():
        got = kpis.get(ref)
        if got is None:
            return f"KPI {ref} missing from the JSON", checks
        want = repo.kpi_figures(k, t)
        for key in ("value", "status", "trend", "last_checkin", "stale"):
            checks += 1
            if not same(iso(want[key]), got[key]):
                return f"{ref} {key}: oracle {want[key]!r}, goalpost {got[key]!r}", checks
        prev = repo.kpi_figures(k, since)
        for key in ("value", "status"):
            checks += 1
            if not same(prev[key], got["previous"][key]):
                return (f"{ref} previous.{key} (since {since}): oracle {prev[key]!r}, "
                        f"goalpost {got['previous'][key]!r}"), checks
    return None, checks


def run_case(binary, seed, case, keep=None):
    """(message or None, number of figures checked)."""
    rng = random.Random(f"{seed}/{case}")
    repo = gen_repo(rng)
    root = keep or tempfile.mkdtemp(prefix="goalpost-oracle-")
    try:
        write_repo(rng, repo, root)
        checks = 0
        for t in as_of_dates(rng, repo):
            env = dict(os.environ, GOALPOST_TODAY=TODAY, NO_COLOR="1")
            env.pop("CLICOLOR_FORCE", None)
            since = t - dt.timedelta(days=rng.choice([0, 1, 7, 7, 20, 45]))
            p = subprocess.run([binary, "-C", root, "status", "--format", "json", "--as-of",
                                t.isoformat(), "--since", since.isoformat()],
                               capture_output=True, text=True, env=env)
            if p.returncode != 0:
                return (f"as of {t}: goalpost status exited {p.returncode} "
                        f"(a generated repository must be valid):\n{p.stderr[:3000]}"), checks
            doc = json.loads(p.stdout)
            for o in doc["objectives"]:
                STATS["objective " + o["status"]] = STATS.get("objective " + o["status"], 0) + 1
                for kr in o["key_results"]:
                    key = "key result " + kr["status"]
                    STATS[key] = STATS.get(key, 0) + 1
                    if kr["forecast"] and kr["forecast"]["low"] is not None:
                        STATS["forecast band"] = STATS.get("forecast band", 0) + 1
            msg, n = compare(repo, doc, t, since)
            checks += n
            if msg:
                return f"as of {t}: {msg}", checks
        return None, checks
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="the goalpost binary")
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case", type=int, help="run only this case")
    ap.add_argument("--keep", help="write the case's repository here (with --case)")
    ap.add_argument("--all", action="store_true", help="report every failing case")
    ap.add_argument("--stats", action="store_true", help="count the statuses seen")
    args = ap.parse_args()
    cases = [args.case] if args.case is not None else range(args.cases)
    failed = 0
    checks = 0
    for case in cases:
        msg, n = run_case(args.bin, args.seed, case, args.keep if args.case is not None else None)
        checks += n
        if msg:
            failed += 1
            print(f"DIFFERENCE seed {args.seed} case {case} (reproduce: python3 "
                  f"tests/tools/oracle.py --bin BIN --seed {args.seed} --case {case} "
                  f"--keep DIR): {msg}")
            if not args.all:
                return 1
    print(f"{len(cases)} repositories, {checks} figures compared, {failed} differing")
    if args.stats:
        for k in sorted(STATS):
            print(f"  {k}: {STATS[k]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
