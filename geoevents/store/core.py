"""What the GeoPackage and PostgreSQL stores share: reports, the plan of an ``add``, corrections.

An ``add`` reads its inputs as ``geoevents map`` does (:func:`geoevents.pipeline.load_incidents`,
one input at a time so that every report knows its input), then plans the change against the
store's current state and hands the plan to the backend, which writes it at once (one SQLite
transaction on the GeoPackage, or one PostgreSQL transaction):

- an input whose content (SHA-256) is already in the store changes nothing, and says so;
- a report is identified by its incident id (a table's own id such as ACLED's
  ``event_id_cnty``; for an article, the content id, which leaves the figures out): the same id
  with the same content is unchanged, the same id with other content is a *revision* (its
  earlier figures stay in ``store_figures``, marked superseded, with their input and date);
- any other report joins the stored incident it matches by the rules of
  :mod:`geoevents.merge` (:func:`~geoevents.merge.compatible` with the incident and with every
  report in it, reports from different files, the best :func:`~geoevents.merge._score`), or
  becomes a new incident; the incident is then re-merged from all its reports with
  :func:`~geoevents.merge.merge_group`, so every source's figures are kept;
- hand corrections (``store edit``) are re-applied on top of every merge.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from gazetteer import GazetteerError
from gazetteer.paths import sha256_file

SCHEMA_VERSION = 1
SHORT_SPAN_DAYS = 62  # dates up to two months are indexed day by day, longer ones checked apart


class StoreError(GazetteerError):
    """A store that cannot be opened, read or changed as asked (the message says why)."""


def now_iso() -> str:
    """The time stamp of a change (UTC); ``GEOEVENTS_STORE_NOW`` fixes it (tests, replays)."""
    fixed = os.environ.get("GEOEVENTS_STORE_NOW", "").strip()
    if fixed:
        return fixed
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: The SHA-256 of an input file (the one checksum routine: :func:`gazetteer.paths.sha256_file`)
digest_file = sha256_file


# --- reports -----------------------------------------------------------------------------------

@dataclass(slots=True)
class Report:
    """One report as read from an input: a table row or an article's incident."""

    ident: str
    content_hash: str
    incident: Any  # geoevents.model.Incident
    input_name: str = ""
    added_at: str = ""
    incident_id: str = ""
    text: str = ""  # the report's JSON, as hashed

    @classmethod
    def from_incident(cls, inc: Any, input_name: str, added_at: str) -> Report:
        inc.ensure_id()
        text = report_json(inc)
        return cls(inc.id, hashlib.sha256(text.encode()).hexdigest()[:32], inc, input_name,
                   added_at, text=text)

    def to_json(self) -> str:
        if not self.text:
            self.text = report_json(self.incident)
        return self.text

    @classmethod
    def from_record(cls, ident: str, content_hash: str, incident_id: str, input_name: str,
                    added_at: str, text: str) -> Report:
        from ..model import Incident

        return cls(ident, content_hash, Incident.from_dict(json.loads(text)), input_name,
                   added_at, incident_id, text)


def report_json(inc: Any) -> str:
    return json.dumps(inc.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(slots=True)
class Correction:
    incident_id: str
    field: str
    value: str
    note: str
    at: str
    seq: int = 0


# --- frame rows --------------------------------------------------------------------------------

_DATES = ("date_start", "date_end")
_COUNTS = ("fatalities_low", "fatalities_best", "fatalities_high", "wounded_best")
EDITABLE = ("date_start", "date_end", "date_precision", "date_text", "event_type",
            "sub_event_type", "place", "place_resolved", "place_id", "country", "admin1",
            "geo_precision", "lat", "lon", "actor1", "actor2", "assoc_actors", *_COUNTS,
            "notes", "place_kind", "place_note")


def cast_value(fld: str, value: str) -> Any:
    """A ``--set field=value`` value as the frame column holds it; StoreError if it cannot be."""
    from maps.schema import DATE_PRECISIONS

    v = value.strip()
    if fld not in EDITABLE:
        raise StoreError(f"field {fld!r} cannot be edited; fields: {', '.join(EDITABLE)}")
    if fld in _COUNTS:
        if v == "":
            return None
        if not v.isdigit():
            raise StoreError(f"{fld}={value!r}: give a whole number >= 0 (or nothing for "
                             "missing)")
        return int(v)
    if fld == "geo_precision":
        if v not in ("1", "2", "3"):
            raise StoreError(f"geo_precision={value!r}: give 1, 2 or 3")
        return int(v)
    if fld in ("lat", "lon"):
        try:
            f = float(v)
        except ValueError:
            raise StoreError(f"{fld}={value!r} is not a number") from None
        if not (-90 <= f <= 90 if fld == "lat" else -180 <= f <= 180):
            raise StoreError(f"{fld}={value!r} is out of range")
        return f
    if fld in _DATES:
        if v:
            try:
                date.fromisoformat(v)
            except ValueError:
                raise StoreError(f"{fld}={value!r} is not a date (YYYY-MM-DD)") from None
        return v
    if fld == "date_precision" and v not in DATE_PRECISIONS:
        raise StoreError(f"date_precision={value!r}: one of {', '.join(DATE_PRECISIONS)}")
    if fld == "country":
        if v and not (len(v) == 2 and v.isalpha()):
            raise StoreError(f"country={value!r}: give an ISO 3166-1 alpha-2 code such as SY")
        return v.upper()
    return value


def apply_corrections(row: dict[str, Any], corrections: Iterable[Correction]) -> dict[str, Any]:
    """The row with the corrections applied in order.  A corrected best figure widens the
    low..high range to include it (the range is over all figures, the correction among them)."""
    for c in sorted(corrections, key=lambda c: c.seq):
        row[c.field] = cast_value(c.field, c.value)
        if c.field == "fatalities_best" and row[c.field] is not None:
            b = row[c.field]
            lo, hi = row.get("fatalities_low"), row.get("fatalities_high")
            row["fatalities_low"] = b if lo is None or _isnan(lo) else min(int(lo), b)
            row["fatalities_high"] = b if hi is None or _isnan(hi) else max(int(hi), b)
    lo, be, hi = (row.get(k) for k in ("fatalities_low", "fatalities_best", "fatalities_high"))
    vals = [None if v is None or _isnan(v) else int(v) for v in (lo, be, hi)]
    known = [v for v in vals if v is not None]
    if known != sorted(known):
        raise StoreError(f"{row.get('id')}: the corrected fatalities low/best/high "
                         f"{'/'.join('-' if v is None else str(v) for v in vals)} are not in "
                         "order low <= best <= high")
    return row


def _isnan(v: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(v))


def incident_row(inc: Any) -> dict[str, Any]:
    from ..frames import incident_row as row

    return row(inc)


def rows_frame(rows: list[dict[str, Any]]):
    """Frame rows (dicts) -> the incidents GeoDataFrame of :mod:`maps.schema`, cast by it."""
    import geopandas as gpd
    import pandas as pd

    from maps.schema import INCIDENT_COLUMNS, conform

    extra = sorted({k for r in rows for k in r} - set(INCIDENT_COLUMNS) - {"geometry"})
    df = pd.DataFrame(rows, columns=[*INCIDENT_COLUMNS, *extra])
    return conform(gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]),
                                    crs="EPSG:4326"), "incidents", order=False)


def frame_rows(frame) -> list[dict[str, Any]]:
    """The rows of an incidents frame as dicts (no geometry; missing counts as None)."""
    import pandas as pd

    df = pd.DataFrame(frame.drop(columns=[frame.geometry.name]))
    df = df.astype(object).where(df.notna(), None)
    return df.to_dict("records")


# --- state and plan ----------------------------------------------------------------------------

class State(Protocol):
    """What a backend shows the planner (inside its transaction)."""

    def input_added(self, digest: str) -> str | None: ...
    def reports_by_ident(self, idents: list[str]) -> dict[str, Report]: ...
    def block_frame(self, start: date | None, end: date | None) -> Any: ...
    def rows(self, ids: list[str]) -> dict[str, dict[str, Any]]: ...
    def reports_of(self, ids: list[str]) -> dict[str, list[Report]]: ...
    def corrections_of(self, ids: list[str]) -> dict[str, list[Correction]]: ...
    def ids_taken(self, ids: list[str]) -> set[str]: ...


class Backend:
    """What both backends do the same way on top of their own ``transact(planner)``."""

    transact: Any  # each backend's: run the planner on its state in one transaction

    def edit(self, incident_id: str, sets: list[tuple[str, str]], note: str) -> Plan:
        """A hand correction of one stored incident, kept as such (``store edit``)."""

        def planner(state: State) -> Plan:
            rows = state.rows([incident_id])
            return edit_plan(rows.get(incident_id), incident_id, sets, note,
                             state.corrections_of([incident_id]).get(incident_id, []))

        return self.transact(planner)


@dataclass(slots=True)
class InputBatch:
    path: Path
    name: str
    digest: str
    incidents: list[Any]
    rejected: int = 0


@dataclass
class Plan:
    at: str
    inputs: list[dict[str, Any]] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)  # new, or revised (same ident)
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # incident id -> row
    new_ids: set[str] = field(default_factory=set)
    figures: list[dict[str, Any]] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)  # idents whose figures are superseded
    changes: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("reports", "new", "merged", "revised", "unchanged"), 0))

    @property
    def empty(self) -> bool:
        return not (self.inputs or self.reports or self.rows or self.corrections)

    def summary(self) -> str:
        c = self.counts
        return (f"{c['reports']} report(s): {c['new']} new incident(s), {c['merged']} merged "
                f"into stored incidents, {c['revised']} revised, {c['unchanged']} unchanged")


def change(at: str, input_name: str, incident_id: str, action: str, detail: str
           ) -> dict[str, Any]:
    return {"at": at, "input": input_name, "incident_id": incident_id, "action": action,
            "detail": detail}


def figure_rows(report: Report, incident_id: str, at: str) -> list[dict[str, Any]]:
    return [{"incident_id": incident_id, "report": report.ident, "recorded_at": at,
             "input": report.input_name, "source": c.source or c.via, "via": c.via,
             "kind": c.kind, "side": c.side, "low": c.low, "best": c.best, "high": c.high,
             "quote": c.quote, "status": "current", "superseded_at": "", "superseded_by": ""}
            for c in report.incident.casualties]


_WATCHED = ("date_start", "date_end", "place_resolved", "event_type", *_COUNTS, "source_count")


def _diff(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    if old is None:
        return ""

    def show(v: Any) -> str:
        return "missing" if v is None or v == "" else str(v)

    parts = []
    for k in _WATCHED:
        a, b = old.get(k), new.get(k)
        a = None if a == "" else a
        b = None if b == "" else b
        if (a is None) != (b is None) or (a is not None and str(a) != str(b)):
            parts.append(f"{k} {show(a)} -> {show(b)}")
    return "; ".join(parts)


class Blocker:
    """Stored incidents that could match a report: a day-by-day index of their dates, then
    country, event type and distance (a superset of :func:`geoevents.merge.compatible`)."""

    def __init__(self, light: Any) -> None:
        import numpy as np
        import pandas as pd

        from ..merge import AREA_KM

        self.area_km = AREA_KM + 1.0
        n = len(light)
        self.ids = light["id"].astype(str).to_numpy() if n else np.array([], dtype=object)

        def days(col: str) -> Any:
            s = pd.to_datetime(light[col].astype(str).str[:10].replace("", None),
                               errors="coerce", format="%Y-%m-%d")
            v = s.to_numpy(dtype="datetime64[D]").astype("int64")
            return np.where(s.isna().to_numpy(), np.iinfo(np.int64).min, v)

        if n:
            lo, hi = days("date_start"), days("date_end")
            missing = np.iinfo(np.int64).min
            hi = np.where(hi == missing, lo, hi)
            lo = np.where(lo == missing, np.iinfo(np.int64).min // 2, lo)
            hi = np.where(hi == missing, np.iinfo(np.int64).max // 2, hi)
        else:
            lo = hi = np.array([], dtype="int64")
        self.lo, self.hi = lo, hi
        short = (hi - lo) <= SHORT_SPAN_DAYS
        pos = np.nonzero(short)[0]
        span = (hi[pos] - lo[pos] + 1).astype("int64")
        rep = np.repeat(pos, span)
        offs = np.arange(len(rep)) - np.repeat(np.cumsum(span) - span, span)
        day = lo[rep] + offs
        order = np.argsort(day, kind="stable")
        self.day, self.day_pos = day[order], rep[order]
        self.wide = np.nonzero(~short)[0]
        self.country = light["country"].astype(str).to_numpy() if n else self.ids
        self.etype = light["event_type"].astype(str).to_numpy() if n else self.ids
        self.admin1 = light["admin1"].astype(str).to_numpy() if n else self.ids
        self.place_id = light["place_id"].astype(str).to_numpy() if n else self.ids
        self.lat = np.radians(light["lat"].astype(float).to_numpy()) if n else lo.astype(float)
        self.lon = np.radians(light["lon"].astype(float).to_numpy()) if n else lo.astype(float)

    def candidates(self, inc: Any) -> list[str]:
        import numpy as np

        if not len(self.ids):
            return []
        d0, d1 = inc.date.bounds()
        a = d0.toordinal() - 719163 if d0 != date.min else np.iinfo(np.int64).min // 2
        b = d1.toordinal() - 719163 if d1 != date.max else np.iinfo(np.int64).max // 2
        if b - a <= SHORT_SPAN_DAYS:
            i, j = np.searchsorted(self.day, [a, b], side="left")[0], \
                np.searchsorted(self.day, b, side="right")
            pos = np.concatenate([self.day_pos[i:j], self.wide])
        else:
            pos = np.nonzero((self.lo <= b) & (self.hi >= a))[0]
        if not len(pos):
            return []
        pos = np.unique(pos)
        pos = pos[(self.lo[pos] <= b) & (self.hi[pos] >= a)]
        loc = inc.location
        if inc.event_type:
            pos = pos[(self.etype[pos] == "") | (self.etype[pos] == inc.event_type)]
        if loc.country:
            pos = pos[(self.country[pos] == "") | (self.country[pos] == loc.country)]
        if not len(pos) or not loc.placed:
            return [str(x) for x in self.ids[pos]]
        la, lo = np.radians(loc.lat), np.radians(loc.lon)
        h = np.sin((self.lat[pos] - la) / 2) ** 2 + np.cos(la) * np.cos(self.lat[pos]) * \
            np.sin((self.lon[pos] - lo) / 2) ** 2
        km = 12742.0 * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
        ok = km <= self.area_km
        if loc.place_id:
            ok |= self.place_id[pos] == loc.place_id
        if loc.admin1:
            ok |= self.admin1[pos] == loc.admin1
        return [str(x) for x in self.ids[pos[ok]]]


@dataclass(slots=True)
class _Group:
    id: str
    reports: list[Report]
    merged: Any
    old_row: dict[str, Any] | None
    stored: bool


def _files(inc: Any) -> set[str]:
    from ..merge import _files as files

    return files(inc)


def plan_add(state: State, batches: list[InputBatch], at: str | None = None) -> Plan:
    """The change that adding ``batches`` makes to the store (nothing is written here)."""
    from ..merge import _score, _sorted, compatible, merge_group

    at = at or now_iso()
    plan = Plan(at=at)
    fresh: list[tuple[InputBatch, list[Report]]] = []
    seen_digests: set[str] = set()
    for b in batches:
        when = state.input_added(b.digest)
        if when or b.digest in seen_digests:
            plan.messages.append(f"{b.path}: already in the store (added {when or 'above'}); "
                                 "nothing changed")
            continue
        seen_digests.add(b.digest)
        reports = []
        idents: dict[str, int] = {}
        for inc in b.incidents:
            r = Report.from_incident(inc, b.name, at)
            k = idents.get(r.ident, 0)
            idents[r.ident] = k + 1
            if k:  # the same id twice in one input: two reports, both kept
                r.ident = f"{r.ident}#{k + 1}"
                inc.id = r.ident
                r.text = report_json(inc)
            reports.append(r)
        fresh.append((b, reports))
    if not fresh:
        return plan

    all_reports = [r for _, rs in fresh for r in rs]
    known = state.reports_by_ident(sorted({r.ident for r in all_reports}))
    groups: dict[str, _Group] = {}

    def load_groups(ids: list[str]) -> None:
        ids = [i for i in dict.fromkeys(ids) if i not in groups]
        if not ids:
            return
        rows = state.rows(ids)
        reps = state.reports_of(ids)
        from ..frames import incident_from_row

        for i in ids:
            if i not in rows:
                continue
            merged = incident_from_row({**rows[i], "id": i})
            groups[i] = _Group(i, reps.get(i, []), merged, rows[i], True)

    per_input: dict[str, dict[str, int]] = {}
    new_reports: list[Report] = []
    revised: list[tuple[Report, Report]] = []
    by_ident: dict[str, Report] = {}
    for b, reports in fresh:
        cnt = per_input.setdefault(b.name, dict.fromkeys(
            ("reports", "new", "merged", "revised", "unchanged"), 0))
        for r in reports:
            cnt["reports"] += 1
            plan.counts["reports"] += 1
            old = by_ident.get(r.ident) or known.get(r.ident)
            if old is not None and old.content_hash == r.content_hash:
                cnt["unchanged"] += 1
                plan.counts["unchanged"] += 1
                continue
            if old is not None:
                r.incident_id = old.incident_id
                revised.append((old, r))
                cnt["revised"] += 1
                plan.counts["revised"] += 1
            else:
                new_reports.append(r)
            by_ident[r.ident] = r

    touched: set[str] = set()
    # Revisions: the report is replaced in its incident; its earlier figures are superseded.
    load_groups([old.incident_id for old, _ in revised if old.incident_id])
    for old, r in revised:
        g = groups.get(old.incident_id)
        if g is None:  # its incident is gone (should not happen): treat as a new report
            new_reports.append(r)
            continue
        g.reports = [r if x.ident == r.ident else x for x in g.reports]
        plan.superseded.append(r.ident)
        plan.changes.append(change(at, r.input_name, g.id, "revised",
                                   f"report {r.ident} revised (earlier: {old.input_name}, "
                                   f"{old.added_at})"))
        plan.reports.append(r)
        plan.figures.extend(figure_rows(r, g.id, at))
        touched.add(g.id)

    # New reports: each joins the best matching incident, stored or made in this add.
    import pandas as pd

    dated = [r.incident.date.bounds() for r in new_reports]
    lo = min((d[0] for d in dated), default=None)
    hi = max((d[1] for d in dated), default=None)
    light = state.block_frame(None if lo in (None, date.min) else lo,
                              None if hi in (None, date.max) else hi) if new_reports else \
        pd.DataFrame()
    blocker = Blocker(light)
    ordered = _sorted([r.incident for r in new_reports])
    by_inc = {id(r.incident): r for r in new_reports}
    cands = {id(inc): blocker.candidates(inc) for inc in ordered}
    load_groups([c for cs in cands.values() for c in cs])
    made_lo: dict[str, tuple[date, date]] = {}  # groups made in this add: their dates
    made_days: dict[int, list[str]] = {}  # ... indexed day by day (short spans)
    made_wide: list[str] = []
    made_kind: dict[str, tuple[str, str]] = {}  # ... their country and event type

    def index_made(gid: str) -> None:
        d0, d1 = made_lo[gid]
        if d0 != date.min and d1 != date.max and (d1 - d0).days <= SHORT_SPAN_DAYS:
            for k in range(d0.toordinal(), d1.toordinal() + 1):
                made_days.setdefault(k, []).append(gid)
        elif gid not in made_wide:
            made_wide.append(gid)

    def made_near(a0: date, a1: date) -> list[str]:
        if a0 != date.min and a1 != date.max and (a1 - a0).days <= SHORT_SPAN_DAYS:
            ids = [g for k in range(a0.toordinal(), a1.toordinal() + 1)
                   for g in made_days.get(k, ())]
            ids += made_wide
        else:
            ids = list(made_lo)
        return [g for g in dict.fromkeys(ids)
                if made_lo[g][0] <= a1 and made_lo[g][1] >= a0]

    def same_kind(gid: str, inc: Any) -> bool:
        # the Blocker's country and event-type test (a superset of compatible()), cheap first
        c, t = made_kind[gid]
        ic, it = inc.location.country, inc.event_type
        return (not c or not ic or c == ic) and (not t or not it or t == it)
    taken = state.ids_taken(sorted({r.ident for r in new_reports}))
    for inc in ordered:
        r = by_inc[id(inc)]
        a0, a1 = inc.date.bounds()
        options = [groups[c] for c in cands[id(inc)] if c in groups]
        options += [groups[m] for m in made_near(a0, a1) if same_kind(m, inc)]
        best = None
        files = _files(inc)
        for g in options:
            if files & set().union(*(_files(x.incident) for x in g.reports)) if g.reports \
                    else files & _files(g.merged):
                continue
            if not compatible(g.merged, inc) or not all(
                    compatible(x.incident, inc, evidence=False) for x in g.reports):
                continue
            s = _score(g.merged, inc)
            if best is None or s > best[0]:
                best = (s, g.id)
        cnt = per_input[r.input_name]
        if best is None:
            gid = r.ident
            if gid in taken or gid in groups:
                gid = f"{r.ident}-{r.content_hash[:6]}"
            r.incident_id = gid
            groups[gid] = _Group(gid, [r], inc, None, False)
            made_lo[gid] = inc.date.bounds()
            made_kind[gid] = (inc.location.country, inc.event_type)
            index_made(gid)
            plan.new_ids.add(gid)
            cnt["new"] += 1
            plan.counts["new"] += 1
            plan.changes.append(change(at, r.input_name, gid, "new",
                                       f"new incident from report {r.ident}"))
        else:
            g = groups[best[1]]
            r.incident_id = g.id
            if not g.reports:  # a stored incident without reports (migrated): keep it as one
                g.reports = [Report(g.id, "", g.merged, "", "", g.id)]
            g.reports.append(r)
            g.merged = merge_group([x.incident for x in g.reports])
            if g.id in made_lo:  # a merged date is within the old one: the index still holds
                made_lo[g.id] = g.merged.date.bounds()
                c, t = made_kind[g.id]  # a known country or type may fill a missing one
                made_kind[g.id] = (c and g.merged.location.country, t and g.merged.event_type)
            cnt["merged"] += 1
            plan.counts["merged"] += 1
            plan.changes.append(change(at, r.input_name, g.id, "merged",
                                       f"report {r.ident} merged"))
            gid = g.id
        plan.reports.append(r)
        plan.figures.extend(figure_rows(r, gid, at))
        touched.add(gid)

    # Re-merge every touched incident from its reports, then re-apply its corrections.
    fixes = state.corrections_of(sorted(touched))
    for gid in sorted(touched):
        g = groups[gid]
        inc = merge_group([x.incident for x in g.reports]) if len(g.reports) > 1 else \
            g.reports[0].incident
        inc = replace(inc, id=gid)  # the report itself keeps its own id
        row = apply_corrections(incident_row(inc), fixes.get(gid, []))
        plan.rows[gid] = row
        diff = _diff(g.old_row, row)
        if diff:
            plan.changes.append(change(at, "", gid, "figures", diff))
    for b, _ in fresh:
        c = per_input[b.name]
        plan.inputs.append({"digest": b.digest, "name": b.name, "added_at": at,
                            "reports": c["reports"], "new": c["new"], "merged": c["merged"],
                            "revised": c["revised"], "unchanged": c["unchanged"],
                            "rejected": b.rejected})
        plan.changes.append(change(at, b.name, "", "input",
                                   f"{c['reports']} report(s): {c['new']} new, {c['merged']} "
                                   f"merged, {c['revised']} revised, {c['unchanged']} "
                                   f"unchanged, {b.rejected} rejected"))
    return plan


# --- reading inputs ----------------------------------------------------------------------------

@dataclass
class Loaded:
    batches: list[InputBatch]
    rejections: list[Any]
    messages: list[str]


def load_inputs(paths: list[Path], *, published: str | None = None, meta: Path | None = None,
                gazetteer: Callable[[], Any] | None = None) -> Loaded:
    """Each input read as ``geoevents map`` reads it, one at a time (so that each report knows
    its input).  A file that cannot be read is a rejection; the others are still read."""
    from gazetteer import InputError

    from ..frames import incidents_from_frame
    from ..model import Rejection
    from ..pipeline import is_table, load_incidents

    batches: list[InputBatch] = []
    rejections: list[Any] = []
    messages: list[str] = []
    gz = None
    for p in paths:
        p = Path(p)
        try:
            digest = digest_file(p)
        except OSError as exc:
            rejections.append(Rejection(str(p), None, None,
                                        f"cannot be read: {exc.strerror or exc}"))
            continue
        if gz is None and gazetteer is not None and not is_table(p):
            gz = gazetteer()
        try:
            fr = load_incidents([p], published=published, meta=meta, gazetteer=gz)
        except InputError as exc:
            rejections.append(Rejection(str(p), exc.line, exc.field, str(exc)))
            continue
        rejections.extend(fr.rejections)
        messages.extend(fr.messages)
        batches.append(InputBatch(p, str(p), digest, incidents_from_frame(fr.incidents),
                                  len(fr.rejections)))
    return Loaded(batches, rejections, messages)


# --- the store's own tables (both backends) ----------------------------------------------------

TABLES: dict[str, dict[str, str]] = {
    "geoevents_meta": {"key": "text", "value": "text"},
    "store_inputs": {"seq": "int", "digest": "text", "name": "text", "added_at": "text",
                     "reports": "int", "new": "int", "merged": "int", "revised": "int",
                     "unchanged": "int", "rejected": "int"},
    "store_reports": {"ident": "text", "content_hash": "text", "incident_id": "text",
                      "input": "text", "added_at": "text", "report_json": "text"},
    "store_figures": {"seq": "int", "incident_id": "text", "report": "text",
                      "recorded_at": "text", "input": "text", "source": "text", "via": "text",
                      "kind": "text", "side": "text", "low": "int", "best": "int",
                      "high": "int", "quote": "text", "status": "text",
                      "superseded_at": "text", "superseded_by": "text"},
    "store_corrections": {"seq": "int", "incident_id": "text", "field": "text",
                          "value": "text", "note": "text", "at": "text"},
    "store_changes": {"seq": "int", "at": "text", "input": "text", "incident_id": "text",
                      "action": "text", "detail": "text"},
}
DESCRIPTIONS = {
    "geoevents_meta": "geoevents store: schema version and when it was made",
    "store_inputs": "geoevents store: each input added (SHA-256 of its content), when, counts",
    "store_reports": "geoevents store: each report as read, its input and its incident",
    "store_figures": "geoevents store: history of every source's figures (superseded kept)",
    "store_corrections": "geoevents store: hand corrections (geoevents store edit)",
    "store_changes": "geoevents store: the log of changes (geoevents store log)",
}


def edit_plan(row: dict[str, Any] | None, incident_id: str, sets: list[tuple[str, str]],
              note: str, existing: list[Correction], at: str | None = None) -> Plan:
    """The change of ``store edit``: corrections recorded, the row re-corrected."""
    if row is None:
        raise StoreError(f"no incident {incident_id!r} in the store (see `geoevents store "
                         "log` or the incidents layer for ids)")
    if not sets:
        raise StoreError("give at least one --set FIELD=VALUE")
    at = at or now_iso()
    plan = Plan(at=at)
    new_row = dict(row)
    base = max((c.seq for c in existing), default=0)
    for k, (fld, value) in enumerate(sets):
        cast = cast_value(fld, value)
        old = new_row.get(fld)
        c = Correction(incident_id, fld, value, note, at, base + k + 1)
        plan.corrections.append(c)
        apply_corrections(new_row, [c])
        plan.changes.append(change(at, "", incident_id, "corrected",
                                   f"{fld}: {'missing' if old in (None, '') else old} -> "
                                   f"{'missing' if cast in (None, '') else cast}"
                                   + (f" ({note})" if note else "")))
    plan.rows[incident_id] = new_row
    return plan


def parse_sets(values: list[str]) -> list[tuple[str, str]]:
    out = []
    for v in values:
        if "=" not in v:
            raise StoreError(f"--set {v!r}: give FIELD=VALUE (e.g. fatalities_best=12)")
        k, _, val = v.partition("=")
        k = k.strip()
        cast_value(k, val)  # refuse a bad field or value before anything is written
        out.append((k, val))
    return out


def records(df: Any, name: str) -> list[dict[str, Any]]:
    """Rows of a store table as plain dicts (ints as int, missing as None), by seq."""
    cols = TABLES[name]
    out = []
    for rec in df.to_dict("records"):
        r = {}
        for c, t in cols.items():
            v = rec.get(c)
            if v is None or v != v:
                v = None if t == "int" else ""
            elif t == "int":
                v = int(v)
            else:
                v = str(v)
            r[c] = v
        out.append(r)
    if "seq" in cols:
        out.sort(key=lambda r: r["seq"] or 0)
    return out


def show_doc(incident_id: str, row: dict[str, Any] | None, reports: list[dict],
             figures: list[dict], corrections: list[dict], changes: list[dict]
             ) -> dict[str, Any]:
    if row is None:
        raise StoreError(f"no incident {incident_id!r} in the store")
    inc = {k: v for k, v in row.items() if k not in ("casualties_json", "claims_json",
                                                     "sources_json", "geometry")}
    for k in ("casualties_json", "claims_json", "sources_json"):
        inc[k.removesuffix("_json")] = json.loads(row.get(k) or "[]")
    return {"incident": inc,
            "reports": [{k: v for k, v in r.items() if k != "report_json"} for r in reports],
            "figures": figures, "corrections": corrections, "changes": changes}
