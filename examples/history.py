#!/usr/bin/env python3
"""Gives a goal repository a dated git history that a team could have made.

    python3 examples/history.py SRC OUT [--seed N] [--today YYYY-MM-DD] [--no-moves]

Copies SRC (a directory holding goalpost.toml) into a new git repository OUT whose work tree
ends byte-identical to SRC (`diff -r SRC OUT` shows only .git), with a history replayed from
the dates in the goal files:

- A first commit ("Set up goalpost") holds goalpost.toml, every file that is not a goal file
  and the goal files that belong to no team (the check-in log), without their check-ins.
- A file with a `period:` (or named after one: 2026-Q3.yaml) appears a few days before its
  period starts, authored by its first objective's owner; other team files (kpis.yaml) appear
  a few days before the team's first dated line.
- Check-ins (one-line flow mappings `- { date: D, ... }` under `checkins:`, inline or in a
  log with `ref:`), revisions and `dropped: { date: D, ... }` are committed at D plus a
  latency drawn per team and person (most 0-2 days, some 3-7, a few backfilled 8-30 days;
  weekends mostly move to the Friday before, or to Monday), one commit per team per ISO
  week of the dates ("growth: check-ins for week 38"), authored by the person who made most of them (`by:`,
  else the KR's, KPI's or objective's `owner:`), as `NAME <NAME@acme.example>`, on working
  hours in that person's own UTC offset. Until its first check-in a `checkins:` key reads
  `checkins: []`, so that every commit holds valid goal files.
- A move in place (SPEC 14): for a few metric KRs of closed periods, the file first appears
  with another `target:` (easier or harder) that a commit inside the period edits to the
  final value.
  `--no-moves` leaves them out.

Everything works line by line on the text, so comments, blank lines, CRLF line ends and the
order of lines are kept; the commits are written with `git fast-import`, which keeps author
dates and offsets exact and builds a year of a 300-team organisation in well under a minute.
The same SRC and options always give the same history (same commit ids).

Exit status: 0 on success, 2 when SRC is not a goal repository, OUT exists and is not empty,
or the options are wrong; 1 when git fails.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import random
import re
import shutil
import stat
import subprocess
import sys
import tomllib
import unicodedata
from decimal import Decimal, InvalidOperation

DAY = dt.timedelta(days=1)
# Offsets people work in (minutes east of UTC); each person gets one for the whole history.
OFFSETS = [60, 60, 0, 120, -300, -300, -480, 540, 330, -180, 600, 480]
UNIT_LISTS = {"checkins": "checkin", "revisions": "revision"}
DATE_RE = re.compile(r"(?<![\w-])date:\s*['\"]?(\d{4}-\d{2}-\d{2})\b")
REF_RE = re.compile(r"(?<![\w-])ref:\s*['\"]?([^,'\"}\s]+)")
BY_RE = re.compile(r"(?<![\w-])by:\s*(\"[^\"]*\"|'[^']*'|[^,}#]*[^,}#\s])")
CORRECTION_RE = re.compile(r"(?<![\w-])correction:")
KEY_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s+(.*))?$")
NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?$")


class Fail(Exception):
    """A clear error for the user (exit status 2)."""


# ---------------------------------------------------------------------------------------------
# Reading goal files, line by line


def plain(value):
    """A YAML scalar's text without a trailing comment and quotes ('' when none)."""
    if value is None:
        return ""
    v = value.strip()
    if v[:1] in ("'", '"'):
        q = v[0]
        end = v.find(q, 1)
        return v[1:end] if end > 0 else v[1:]
    return re.split(r"\s+#", v, maxsplit=1)[0].strip()


def is_block(value):
    """Whether a key's value is on the following lines (nothing but maybe a comment here)."""
    return value is None or value.strip() == "" or value.strip().startswith("#")


class Item:
    """A list item (objective, key result, KPI, check-in, revision) or a mapping key holder."""

    def __init__(self, kind, col, parent, line):
        self.kind = kind  # name of the list it is in: objectives, key_results, kpis, checkins...
        self.col = col  # column of its keys
        self.parent = parent  # the item holding the list, or None at top level
        self.line = line
        self.fields = {}  # key -> (line index, plain value)
        self.keys = set()
        self.unit = None


class Unit:
    """Lines that appear in the history on a date: a check-in, a revision or a drop."""

    def __init__(self, kind, holder, key_line):
        self.kind = kind  # checkin | revision | dropped
        self.holder = holder  # the item it belongs to (KR, KPI, objective) or None
        self.key_line = key_line  # the `checkins:`/`revisions:` line, or None
        self.lines = []
        self.date = None
        self.ref = None
        self.team = None
        self.by = None
        self.owner = None
        self.correction = False
        self.uid = None


class GoalFile:
    def __init__(self, rel, data):
        self.rel = rel
        self.data = data
        self.text = data.decode("utf-8", "surrogateescape")
        # Split on "\n" only (keeping it): CRLF stays on each line, nothing else is a break.
        self.lines = self.text.split("\n")
        self.lines = [s + "\n" for s in self.lines[:-1]] + ([self.lines[-1]] if self.lines[-1] else [])
        self.team = None
        self.period = None
        self.units = []
        self.items = []
        self.key_units = collections.defaultdict(list)  # key line -> its units
        self.target_override = {}  # line -> text of the eased line (a move in place)
        self.move_kr = None
        self.created = None
        self.parse()

    def parse(self):
        stack = []  # Item entries; ("key", col, name, holder, key_line, unit) tuples
        for i, raw in enumerate(self.lines):
            s = raw.rstrip("\r\n")
            body = s.lstrip(" ")
            if not body or body.startswith("#"):
                continue
            ind = len(s) - len(body)
            is_item = body == "-" or body.startswith("- ")
            while stack:
                top = stack[-1]
                if isinstance(top, Item):
                    if ind >= top.col:
                        break
                elif ind > top[1] or (ind == top[1] and is_item):
                    break
                stack.pop()
            holder_unit = open_unit(stack)
            if holder_unit is not None:
                holder_unit.lines.append(i)
                continue
            if is_item:
                content = body[1:].lstrip(" ")
                col = ind + (len(body) - len(content))
                key = stack[-1] if stack and not isinstance(stack[-1], Item) else None
                kind = key[2] if key else None
                item = Item(kind, col, key[3] if key else None, i)
                self.items.append(item)
                stack.append(item)
                if kind in UNIT_LISTS:
                    unit = Unit(UNIT_LISTS[kind], key[3], key[4])
                    unit.lines.append(i)
                    item.unit = unit
                    self.units.append(unit)
                    self.key_units[key[4]].append(unit)
                    continue
                if content:
                    self.key_value(stack, item, content, i, col)
                continue
            container = stack[-1] if stack and isinstance(stack[-1], Item) and stack[-1].col == ind else None
            self.key_value(stack, container, body, i, ind)

    def key_value(self, stack, container, content, i, col):
        m = KEY_RE.match(content)
        if not m:
            return
        name, value = m.group(1), m.group(2)
        if container is None and col == 0 and not is_block(value):
            if name == "team":
                self.team = plain(value)
            elif name == "period":
                self.period = plain(value)
        if container is not None:
            container.keys.add(name)
            if not is_block(value):
                container.fields[name] = (i, plain(value))
        if name == "dropped" and container is not None:
            # `dropped: { date: D, reason: R }`, or the block form on the lines below.
            unit = Unit("dropped", container, None)
            unit.lines.append(i)
            if is_block(value):
                stack.append(("key", col, name, container, i, unit))
                self.units.append(unit)
            elif value.strip().startswith("{") and "}" in value:
                self.units.append(unit)
            return
        if is_block(value):
            stack.append(("key", col, name, container, i, None))

    def finish(self, owners_by_ref):
        """Dates, refs, teams and owners of the units; drops units without a date."""
        kept = []
        for u in self.units:
            text = "".join(self.lines[j] for j in u.lines)
            m = DATE_RE.search(text)
            try:
                u.date = dt.date.fromisoformat(m.group(1)) if m else None
            except ValueError:
                u.date = None
            if u.date is None:
                continue  # no date: static lines, there from the file's first commit
            u.file = self
            u.correction = bool(CORRECTION_RE.search(text))
            r = REF_RE.search(text)
            b = BY_RE.search(text)
            u.by = plain(b.group(1)) if b else None
            if r:
                u.ref = r.group(1)
            else:
                u.ref = self.ref_of(u.holder)
            u.team = u.ref.split("/")[0] if u.ref else self.team
            u.owner = u.by or owners_by_ref.get(u.ref) or self.owner_of(u.holder)
            kept.append(u)
        self.units = kept
        for k in list(self.key_units):
            # A bare `checkins:` whose items all come later reads `checkins: []` until then.
            bare = re.match(r"\s*(- +)?[A-Za-z_]+:[ \t]*(#.*)?\r?\n?$", self.lines[k])
            if not bare or any(u.date is None for u in self.key_units[k]):
                del self.key_units[k]

    def ref_of(self, item):
        if item is None or self.team is None:
            return None
        ident = item.fields.get("id", (0, None))[1]
        if item.kind == "key_results" and item.parent is not None:
            obj = item.parent.fields.get("id", (0, None))[1]
            return f"{self.team}/{obj}/{ident}"
        if item.kind in ("kpis", "objectives"):
            return f"{self.team}/{ident}"
        return None

    @staticmethod
    def owner_of(item):
        while item is not None:
            if "owner" in item.fields and item.fields["owner"][1]:
                return item.fields["owner"][1]
            item = item.parent if item.kind == "key_results" else None
        return None

    def owners(self):
        """ref -> owner of every KR, objective and KPI of the file."""
        out = {}
        for it in self.items:
            if it.kind in ("key_results", "kpis", "objectives"):
                ref = self.ref_of(it)
                owner = self.owner_of(it)
                if ref and owner:
                    out[ref] = owner
        return out

    def first_owner(self):
        for it in self.items:
            if it.kind in ("objectives", "kpis") and self.owner_of(it):
                return self.owner_of(it)
        return None

    def move_candidates(self):
        """Metric KRs whose start and target are plain numbers on lines of their own."""
        out = []
        for it in self.items:
            if it.kind != "key_results" or it.unit is not None:
                continue
            f = it.fields
            if f.get("kind", (0, "metric"))[1] != "metric" or "kpi" in it.keys:
                continue
            if "revisions" in it.keys or "dropped" in it.keys:
                continue
            if "start" not in f or "target" not in f:
                continue
            if not (NUMBER_RE.match(f["start"][1]) and NUMBER_RE.match(f["target"][1])):
                continue
            line = self.lines[f["target"][0]]
            if not re.match(r"\s*target:\s*" + re.escape(f["target"][1]) + r"(\s|$)", line):
                continue
            out.append(it)
        return out

    def render(self, present):
        """The file's bytes with only the units in `present` (a set of uids)."""
        hidden = set()
        for u in self.units:
            if u.uid not in present:
                hidden.update(u.lines)
        empty = {k for k, us in self.key_units.items() if all(u.uid not in present for u in us)}
        out = []
        for i, line in enumerate(self.lines):
            if i in hidden:
                continue
            if i in empty:
                body = line.rstrip("\r\n")
                end = line[len(body):]
                m = re.match(r"(\s*(?:- +)?[A-Za-z_]+:)([ \t]*)(#.*)?$", body)
                line = m.group(1) + " []" + ((m.group(2) or " ") + m.group(3) if m.group(3) else "") + end
            elif i in self.target_override and "moved" not in present:
                line = self.target_override[i]
            out.append(line)
        return "".join(out).encode("utf-8", "surrogateescape")


# ---------------------------------------------------------------------------------------------
# Periods


def period_span(name, named):
    """(start, end) of a period name (SPEC 4), or None."""
    if not name:
        return None
    if name in named:
        return named[name]
    try:
        m = re.fullmatch(r"(\d{4})-Q([1-4])", name)
        if m:
            y, q = int(m.group(1)), int(m.group(2))
            start = dt.date(y, 3 * q - 2, 1)
            end = dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)
            return start, end - DAY
        m = re.fullmatch(r"(\d{4})-H([12])", name)
        if m:
            y, h = int(m.group(1)), int(m.group(2))
            return (dt.date(y, 1, 1), dt.date(y, 6, 30)) if h == 1 else (dt.date(y, 7, 1), dt.date(y, 12, 31))
        m = re.fullmatch(r"(\d{4})-(\d{2})", name)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            end = dt.date(y + 1, 1, 1) if mo == 12 else dt.date(y, mo + 1, 1)
            return dt.date(y, mo, 1), end - DAY
        m = re.fullmatch(r"(\d{4})", name)
        if m:
            y = int(m.group(1))
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        return None
    return None


def as_date(v):
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


# ---------------------------------------------------------------------------------------------
# People, latency and time


class People:
    def __init__(self, seed, domain):
        self.seed = seed
        self.domain = domain

    def offset(self, name):
        return random.Random(f"{self.seed}:tz:{name}").choice(OFFSETS)

    def ident(self, name):
        clean = re.sub(r"[<>\n\r]", "", name).strip() or "goalpost"
        ascii_ = unicodedata.normalize("NFKD", clean).encode("ascii", "ignore").decode()
        local = re.sub(r"[^A-Za-z0-9._-]+", ".", ascii_.lower()).strip(".") or "goalpost"
        return f"{clean} <{local}@{self.domain}>"

    def latency(self, rng, team, name):
        """Days from a week's last check-in date to the commit that adds it."""
        kind = random.Random(f"{self.seed}:profile:{team}:{name}").random()
        late, backfill = (0.08, 0.02) if kind < 0.6 else (0.22, 0.05) if kind < 0.9 else (0.35, 0.15)
        u = rng.random()
        if u < backfill:
            return rng.randint(8, 30)
        if u < backfill + late:
            return rng.randint(3, 7)
        return rng.choices([0, 1, 2], weights=[5, 3, 2])[0]


def fmt_offset(minutes):
    sign = "+" if minutes >= 0 else "-"
    m = abs(minutes)
    return f"{sign}{m // 60:02d}{m % 60:02d}"


def git_time(day, minute_of_day, offset):
    """A fast-import raw date: seconds since the epoch and the author's offset."""
    local = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute_of_day)
    utc = local - dt.timedelta(minutes=offset)
    epoch = int((utc - dt.datetime(1970, 1, 1)).total_seconds())
    return f"{epoch} {fmt_offset(offset)}"


# ---------------------------------------------------------------------------------------------
# Planning the history


def open_unit(stack):
    """The unit whose lines the next line continues, if any."""
    for e in reversed(stack):
        unit = e.unit if isinstance(e, Item) else e[5]
        if unit is not None:
            return unit
    return None


class Event:
    def __init__(self, day, prio, author, message, team=None):
        self.day = day
        self.prio = prio
        self.author = author
        self.message = message
        self.team = team
        self.minute = 0
        self.creates = []  # GoalFile objects first committed here
        self.units = []  # units added here
        self.moves = []  # GoalFile objects whose eased target is set to the final one here
        self.mark = None


def weekday_before(day):
    """The day itself, or the Friday before when it falls on a weekend."""
    return day - max(0, day.weekday() - 4) * DAY


def most_common(names, default):
    c = collections.Counter(n for n in names if n)
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if c else default


def ease(rng, start, target):
    """The target a move in place starts from, written like start and target, or None:
    about half the time an easier one (between start and target: the move raises it), else a
    harder one (beyond target: the move eases it, the goalposts moving)."""
    harder = rng.random() < 0.5
    try:
        s, t = Decimal(start), Decimal(target)
    except InvalidOperation:
        return None
    places = max(-s.as_tuple().exponent, -t.as_tuple().exponent, 0)
    for extra in (0, 1, 2):
        q = Decimal(1).scaleb(-(places + extra))
        for _ in range(4):
            f = Decimal(str(round(rng.uniform(0.55, 0.85), 3)))
            if harder:
                f = 2 - f
            e = (s + (t - s) * f).quantize(q)
            if e != s and e != t and (harder or min(s, t) < e < max(s, t)):
                return f"{e:f}"
    return None


def plan(files, today, seed, people, named, moves_on):
    rng = random.Random(f"{seed}:plan")
    owners_by_ref = {}
    for f in files:
        owners_by_ref.update(f.owners())
    for f in files:
        f.finish(owners_by_ref)
    units = [u for f in files for u in f.units]
    for n, u in enumerate(units):
        u.uid = n
    # A correction is written after everything above it in its file: date it no earlier.
    for f in files:
        seen = None
        for u in f.units:
            u.effective = max(u.date, seen) if (u.correction and seen) else u.date
            seen = u.effective if seen is None else max(seen, u.effective)

    dates = [u.date for u in units]
    spans = {}
    for f in files:
        name = f.period or os.path.splitext(os.path.basename(f.rel))[0]
        span = period_span(f.period, named) or (period_span(name, named) if f.team else None)
        if span and (f.period or re.fullmatch(r"\d{4}(-(Q[1-4]|H[12]|\d{2}))?", name)):
            spans[f.rel] = span
    if not dates and not spans:
        earliest = latest = today
    else:
        earliest = min(dates + [s for s, _ in spans.values()])
        latest = max(dates) if dates else earliest
    if today is None:
        today = max(latest, earliest) + 14 * DAY
    if dates and today < max(dates):
        raise Fail(f"--today {today} is before the latest date in the files ({max(dates)})")

    team_owner = collections.defaultdict(list)
    for f in files:
        for it in f.items:
            o = f.owner_of(it)
            if o and f.team:
                team_owner[f.team].append(o)
    everyone = most_common([o for v in team_owner.values() for o in v] + [u.owner for u in units], "goalpost")

    def default_owner(team):
        return most_common(team_owner.get(team, []), everyone)

    # When each file is first committed.
    team_first = {}
    for u in units:
        if u.team:
            team_first[u.team] = min(team_first.get(u.team, u.date), u.date)
    events = []
    period_files = [f for f in files if f.rel in spans and f.team]
    for f in sorted(period_files, key=lambda f: f.rel):
        start = spans[f.rel][0]
        own = [u.date for u in f.units]
        day = weekday_before(start - rng.randint(2, 6) * DAY)
        if own:
            day = min(day, min(own) - DAY)
        f.created = day
    # A parent objective's file comes first (same day: earlier in the day).
    by_team_period = {(f.team, f.period): f for f in period_files}
    depth = {f.rel: 0 for f in files}
    for _ in range(8):
        for f in period_files:
            for it in f.items:
                if it.kind == "objectives" and "parent" in it.fields:
                    p = by_team_period.get((it.fields["parent"][1].split("/")[0], f.period))
                    if p is not None and p is not f:
                        if p.created > f.created:
                            f.created = p.created
                        depth[f.rel] = max(depth[f.rel], depth[p.rel] + 1)
    first_period = min((f.created for f in period_files), default=None)
    for f in sorted(files, key=lambda f: f.rel):
        if f.created is None and f.team:
            cands = [d for d in (team_first.get(f.team), first_period) if d]
            cands += [u.date for u in f.units]
            if cands:
                f.created = weekday_before(min(cands) - rng.randint(1, 4) * DAY)
    created = [f.created for f in files if f.created]
    first_unit = min(dates) if dates else today
    day0 = weekday_before(min(created + [first_unit]) - rng.randint(1, 3) * DAY)
    init = Event(day0, 0, everyone, "Set up goalpost")
    events.append(init)
    for f in files:
        if f.created is None:
            init.creates.append(f)
            continue
        owner = f.first_owner() or default_owner(f.team)
        if f.rel in spans:
            msg = f"{f.team}: objectives for {f.period or os.path.splitext(os.path.basename(f.rel))[0]}"
        elif any(it.kind == "kpis" for it in f.items):
            msg = f"{f.team}: KPIs"
        else:
            msg = f"{f.team}: add {f.rel}"
        e = Event(f.created, 1 + depth[f.rel], owner, msg, f.team)
        e.creates.append(f)
        events.append(e)

    # Moves in place: a few metric KRs of closed periods start with another target.
    if moves_on:
        cands = []
        for f in sorted(period_files, key=lambda f: f.rel):
            if spans[f.rel][1] < today:
                cands += [(f, it) for it in f.move_candidates()]
        mrng = random.Random(f"{seed}:moves")
        k = min(len(cands), max(2, round(len(cands) * 0.08)))
        for f, it in sorted(mrng.sample(cands, k), key=lambda p: (p[0].rel, p[1].line)):
            if f.move_kr is not None:
                continue  # one per file: each move is a commit of its own
            start, end = spans[f.rel]
            eased = ease(mrng, it.fields["start"][1], it.fields["target"][1])
            if eased is None:
                continue
            day = start + mrng.randint(10, 40) * DAY
            day = max(min(day, end - 7 * DAY), f.created + DAY)
            if day.weekday() >= 5:
                day += (7 - day.weekday()) * DAY
            if day > end or day > today:
                continue
            j, old = it.fields["target"]
            line = f.lines[j]
            pos = line.index("target:") + len("target:")
            pos = line.index(old, pos)
            f.target_override[j] = line[:pos] + eased + line[pos + len(old):]
            f.move_kr = it
            owner = f.owner_of(it) or default_owner(f.team)
            obj = it.parent.fields.get("id", (0, "?"))[1] if it.parent else "?"
            e = Event(day, 5, owner, f"{f.team}: set the target of {obj}/{it.fields['id'][1]} "
                      f"to {old} (was {eased})", f.team)
            e.moves.append(f)
            events.append(e)

    # Check-ins: one commit per team per ISO week of their dates.
    batches = collections.defaultdict(list)
    for u in units:
        y, w, _ = u.effective.isocalendar()
        batches[(u.team or "", y, w)].append(u)
    for (team, y, w), us in sorted(batches.items()):
        author = most_common([u.owner for u in us], default_owner(team or None))
        brng = random.Random(f"{seed}:batch:{team}:{y}:{w}")
        lat = people.latency(brng, team, author)
        newest = max(u.effective for u in us)
        day = newest + lat * DAY
        if day.weekday() >= 5 and brng.random() < 0.85:
            # Weekends mostly stay free: done on the Friday when it is not too early, else
            # on Monday.
            friday = weekday_before(day)
            day = friday if friday >= newest else day + (7 - day.weekday()) * DAY
        day = min(day, today)
        kinds = collections.Counter("correction" if u.correction else u.kind for u in us)
        words = [(f"a {w}" if kinds[k] == 1 else f"{w}s") if k != "checkin" else "check-ins"
                 for k, w in (("checkin", ""), ("revision", "revision"), ("dropped", "drop"),
                              ("correction", "correction")) if kinds[k]]
        msg = f"{team + ': ' if team else ''}{' and '.join(words)} for week {w}"
        if lat >= 8:
            msg += " (catching up)"
        e = Event(day, 6, author, msg, team or None)
        e.units = us
        events.append(e)

    # Times of day: working hours in the author's offset. New files come in the morning, a
    # parent objective's file before its children's.
    for e in events:
        r = random.Random(f"{seed}:time:{e.day}:{e.message}:{e.author}")
        if e.prio >= 5:
            e.minute = 9 * 60 + r.randint(0, 8 * 60 + 30)
        else:
            e.minute = 8 * 60 + 30 + 20 * e.prio + r.randint(0, 15)
    events.sort(key=lambda e: (e.day, e.minute, e.prio, e.message))
    return events, today, units


# ---------------------------------------------------------------------------------------------
# Writing the repository


def fi_path(p):
    if any(c in p for c in '"\\\n') or p.startswith('"'):
        return '"' + p.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return p


def write_history(out, src, events, files, others, people):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
    run = lambda *a, **k: subprocess.run(["git", "-C", out, *a], env=env, check=True, **k)  # noqa: E731
    run("init", "-q")
    run("symbolic-ref", "HEAD", "refs/heads/main")
    proc = subprocess.Popen(["git", "-C", out, "fast-import", "--quiet", "--done"],
                            stdin=subprocess.PIPE, env=env)
    w = proc.stdin
    mark = 0
    changes = collections.defaultdict(list)  # event index -> [(mode, mark, path)]

    def blob(data):
        nonlocal mark
        mark += 1
        w.write(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)))
        w.write(data)
        w.write(b"\n")
        return mark

    # Which events touch which file, in commit order.
    touches = collections.defaultdict(dict)  # file rel -> {event index: None}
    for n, e in enumerate(events):
        for f in e.creates + e.moves:
            touches[f.rel][n] = None
        for u in e.units:
            touches[u.file.rel][n] = None
    # Blobs path by path, each version after the previous one, so fast-import stores deltas.
    for rel, mode, data in others:
        changes[0].append((mode, blob(data), rel))
    for f in files:
        present = set() if f.move_kr is not None else {"moved"}
        for n in touches[f.rel]:
            e = events[n]
            present.update(u.uid for u in e.units if u.file is f)
            if f in e.moves:
                present.add("moved")
            changes[n].append(("100644", blob(f.render(present)), f.rel))
        if f.render({u.uid for u in f.units} | {"moved"}) != f.data:
            raise RuntimeError(f"internal error: {f.rel} does not render back to its bytes")
    for n, e in enumerate(events):
        mark += 1
        e.mark = mark
        who = people.ident(e.author)
        when = git_time(e.day, e.minute, people.offset(e.author))
        msg = (e.message + "\n").encode("utf-8", "surrogateescape")
        w.write(b"commit refs/heads/main\nmark :%d\n" % mark)
        w.write(f"author {who} {when}\ncommitter {who} {when}\n".encode("utf-8", "surrogateescape"))
        w.write(b"data %d\n" % len(msg) + msg)
        for mode, m, rel in changes[n]:
            w.write(f"M {mode} :{m} {fi_path(rel)}\n".encode("utf-8", "surrogateescape"))
        w.write(b"\n")
    w.write(b"done\n")
    w.close()
    if proc.wait() != 0:
        raise subprocess.CalledProcessError(proc.returncode, "git fast-import")
    # The work tree: SRC's bytes as they are (no checkout filters), then an index to match.
    copy_tree(src, out)
    run("reset", "-q")


def copy_tree(src, out):
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        rel = os.path.relpath(dirpath, src)
        target = out if rel == "." else os.path.join(out, rel)
        os.makedirs(target, exist_ok=True)
        for name in filenames:
            if name == ".git":
                continue
            shutil.copy2(os.path.join(dirpath, name), os.path.join(target, name), follow_symlinks=False)
        for d in dirnames:
            p = os.path.join(dirpath, d)
            if os.path.islink(p):
                shutil.copy2(p, os.path.join(target, d), follow_symlinks=False)


def read_source(src):
    toml_path = os.path.join(src, "goalpost.toml")
    if not os.path.isfile(toml_path):
        raise Fail(f"{src} is not a goal repository: it has no goalpost.toml")
    try:
        with open(toml_path, "rb") as fh:
            cfg = tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise Fail(f"{toml_path} is not valid TOML: {e}") from e
    roots = cfg.get("roots", ["goals"])
    if not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
        raise Fail(f"{toml_path}: `roots` must be a list of directories")
    named = {}
    for name, p in (cfg.get("periods") or {}).items():
        try:
            named[name] = (as_date(p["start"]), as_date(p["end"]))
        except (KeyError, TypeError, ValueError) as e:
            raise Fail(f"{toml_path}: period {name} needs start and end dates") from e
    roots = [os.path.normpath(r).replace(os.sep, "/").strip("/") for r in roots]
    files, others, empty_dirs = [], [], []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for d in dirnames:
            if os.path.islink(os.path.join(dirpath, d)):
                filenames.append(d)
        if not filenames and not dirnames and dirpath != src:
            empty_dirs.append(os.path.relpath(dirpath, src))
        for name in sorted(filenames):
            if name == ".git":
                continue
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, src).replace(os.sep, "/")
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                others.append((rel, "120000", os.readlink(full).encode("utf-8", "surrogateescape")))
                continue
            with open(full, "rb") as fh:
                data = fh.read()
            under_root = any(r == "." or rel.startswith(r + "/") for r in roots)
            if under_root and name.endswith((".yaml", ".yml")):
                files.append(GoalFile(rel, data))
            else:
                mode = "100755" if st.st_mode & stat.S_IXUSR else "100644"
                others.append((rel, mode, data))
    others.sort()
    files.sort(key=lambda f: f.rel)
    if not files:
        raise Fail(f"{src} is not a goal repository: no *.yaml goal files under {', '.join(roots)}")
    for d in empty_dirs:
        print(f"history: warning: empty directory {d} is not kept (git holds files only)", file=sys.stderr)
    return files, others, named


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", metavar="SRC", help="a goal repository (a directory with goalpost.toml)")
    ap.add_argument("out", metavar="OUT", help="the new git repository (must not exist, or be empty)")
    ap.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    ap.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                    help="no commit after this date (default: 14 days after the latest date)")
    ap.add_argument("--no-moves", action="store_true", help="no targets moved in place")
    ap.add_argument("--domain", default="acme.example", help="e-mail domain of the authors")
    a = ap.parse_args(argv)
    try:
        src = os.path.abspath(a.src)
        out = os.path.abspath(a.out)
        if not os.path.isdir(src):
            raise Fail(f"{a.src} is not a goal repository: not a directory")
        if os.path.lexists(out) and (not os.path.isdir(out) or os.listdir(out)):
            raise Fail(f"{a.out} exists and is not empty: give a new directory")
        if out == src or out.startswith(src.rstrip(os.sep) + os.sep):
            raise Fail(f"{a.out} is inside {a.src}: give a directory outside it")
        if shutil.which("git") is None:
            raise Fail("git is not on PATH")
        files, others, named = read_source(src)
        people = People(a.seed, a.domain)
        events, today, units = plan(files, a.today, a.seed, people, named, not a.no_moves)
        os.makedirs(out, exist_ok=True)
        write_history(out, src, events, files, others, people)
    except Fail as e:
        print(f"history: error: {e}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as e:
        print(f"history: error: {e}", file=sys.stderr)
        return 1
    moves = sum(1 for e in events if e.moves)
    teams = len({u.team for u in units if u.team})
    print(f"history: {a.out}: {len(events)} commits from {events[0].day} to {events[-1].day} "
          f"({len(files)} goal files, {teams} teams, {len(units)} dated lines, {moves} moves in place)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
