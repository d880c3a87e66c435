"""The incident model: what happened, when, where, who, how many, who says so.

Ideas kept from ACLED and UCDP GED:

- a date with its precision (:class:`EventDate`: a day, a week, a month, a year, a range of days,
  or unknown with the latest possible day), convertible to ACLED ``time_precision`` and UCDP
  ``date_prec``;
- a place as written and as resolved (:class:`Location`) with ACLED ``geo_precision`` 1-3 and the
  UCDP ``where_prec`` derived from it;
- ACLED event types and sub-event types (:data:`EVENT_TYPES`), actors (side A, side B and
  associated actors);
- casualty figures per side and kind (killed, wounded), each with its source and the sentence
  quoted (:class:`Casualty`); the incident's low / best / high are computed from them
  (:meth:`Incident.fatalities`), never typed in twice;
- claims (:class:`Claim`): who claims what, who confirmed it and who did not;
- sources (:class:`Source`): outlet, address, publication date, the sentence quoted;
- a stable id derived from the content (:meth:`Incident.content_id`).

How figures are combined (documented in the README, section "Incidents"):

- one source's figure is ``low``/``best``/``high``: "35" is 35/35/35, "at least nine" is 9/9/-,
  "up to six" is -/-/6; vague words are coded as ACLED codes them ("tens" 10, "dozens" 12,
  "hundreds" 100) and marked ``vague``; "several" has no number;
- for one side, over all sources: ``low`` is the lowest and ``high`` the highest figure given,
  ``best`` the figure given by most sources (ties: the lower one, ACLED's conservative rule);
  exact figures supersede vague ones for the same side;
- for the incident: per party (A, B, civilians, unknown), figures that cover a whole party
  (an umbrella group such as "pro-government forces", or one source's figures for several groups
  of the party added up) are preferred to figures for a single group of it (the Russian defence
  ministry counting only Russians); the incident total adds up the parties.  Figures marked
  ``part_of`` another side ("including at least nine Russians") are never added twice.
- a lower bound never erases a best figure: a whole party's or incident's "at least 60" with no
  best is weighed against the groups' own figures (68 stays the best, 60 the low), and a part
  known only by its lower bound adds it to the best and leaves the high unknown.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from gazetteer.errors import UserError
from maps.schema import DATE_PRECISIONS  # the one list (re-exported)

#: ACLED event types and their sub-event types (ACLED codebook, 2023).
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack",
                                   "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"),
}
KINDS = ("killed", "wounded")
PARTIES = ("A", "B", "civilians", "")

#: Side labels that stand for a whole party, not one group of it.
UMBRELLA_SIDES = frozenset({"pro-government forces", "government forces and allies",
                            "security forces", "fighters", "combatants", "people", "all"})


class IncidentError(UserError, ValueError):
    """An incident that breaks the model's rules; ``problems`` lists every one."""

    def __init__(self, problems: list[str], where: str = "") -> None:
        self.problems = problems
        prefix = f"{where}: " if where else ""
        super().__init__(prefix + "; ".join(problems))


class Figure(NamedTuple):
    low: int | None
    best: int | None
    high: int | None

    def __str__(self) -> str:
        if self.best is None and self.low is None and self.high is None:
            return "-"
        if self.low == self.best == self.high:
            return str(self.best)
        parts = [str(x) if x is not None else "?" for x in (self.low, self.best, self.high)]
        return "/".join(parts)


NO_FIGURE = Figure(None, None, None)


@dataclass(slots=True)
class Rejection:
    """An input item (a table row, a feature, an article) that did not become a mapped
    incident, and why: every input ends in the output or in a rejection."""

    file: str
    line: int | None
    field: str | None
    reason: str
    text: str = ""

    def __str__(self) -> str:
        where = ":".join(str(x) for x in (self.file, self.line) if x is not None)
        fld = f" [{self.field}]" if self.field else ""
        return f"{where}{fld}: {self.reason}"


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _parse_date(value: Any, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise IncidentError([f"{what} {value!r} is not a date (YYYY-MM-DD)"]) from None


# --------------------------------------------------------------------------------------- dates
#: The text of a date that only the report's date gives (see EventDate.report_week).
REPORT_WEEK = "(not dated: the week up to"


@dataclass(slots=True)
class EventDate:
    """When: the first and last possible day and how precisely the report says it.

    ``day``: start = end.  ``week``/``month``/``year``: the whole period.  ``range``: an explicit
    span ("between Saturday night and Sunday morning").  ``unknown``: no date in the report;
    ``end`` is then the latest possible day (the publication date) when known, ``start`` None.
    """

    start: date | None = None
    end: date | None = None
    precision: str = "unknown"
    text: str = ""  # as written: "last Wednesday"

    @classmethod
    def day(cls, d: date, text: str = "") -> EventDate:
        return cls(d, d, "day", text)

    @classmethod
    def unknown(cls, not_after: date | None = None, text: str = "") -> EventDate:
        return cls(None, not_after, "unknown", text)

    @classmethod
    def report_week(cls, not_after: date | None) -> EventDate:
        """An event a report tells without a date: within the week up to the latest day it can
        be (the day the report says it was told, else its publication), as ACLED codes an
        event its source does not date (time precision 2); unknown without that day."""
        if not_after is None:
            return cls.unknown(None)
        return cls(not_after - timedelta(days=6), not_after, "week",
                   f"{REPORT_WEEK} {not_after.isoformat()})")

    @property
    def known(self) -> bool:
        return self.precision != "unknown" and self.start is not None

    @property
    def given(self) -> bool:
        """Known from what the report says of the event, not only from when it was reported
        (:meth:`report_week`)."""
        return self.known and not self.text.startswith(REPORT_WEEK)

    @property
    def days(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[date, date]:
        """(earliest, latest) possible day; open ends are date.min / date.max."""
        return (self.start or date.min, self.end or date.max)

    def overlaps(self, other: EventDate, slack_days: int = 0) -> bool:
        a0, a1 = self.bounds()
        b0, b1 = other.bounds()
        slack = timedelta(days=slack_days)
        lo = max(a0, b0)
        hi = min(a1, b1)
        if lo <= hi:
            return True
        # Only widen finite bounds (date.min/date.max cannot move).
        return (hi != date.max and lo != date.min) and (lo - hi) <= slack

    def intersect(self, other: EventDate) -> EventDate:
        """The finer of two compatible dates (used when merging reports)."""
        order = {"day": 0, "range": 1, "week": 2, "month": 3, "year": 4, "unknown": 5}
        if self.given != other.given:  # what a report says of the event wins
            g = self if self.given else other
            return EventDate(g.start, g.end, g.precision, g.text)
        if not self.given and (self.known or other.known):  # weeks of reports (or unknown)
            weeks = sorted((d for d in (self, other) if d.known), key=lambda d: d.end)
            return EventDate(weeks[0].start, weeks[0].end, weeks[0].precision, weeks[0].text)
        a, b = sorted((self, other), key=lambda d: (order[d.precision], d.days or 10**6))
        if a.precision == "unknown" and b.precision == "unknown":
            ends = [d.end for d in (a, b) if d.end]
            return EventDate.unknown(min(ends) if ends else None, a.text or b.text)
        return EventDate(a.start, a.end, a.precision, a.text)

    @property
    def acled_time_precision(self) -> int:
        """ACLED time_precision: 1 the day, 2 within a week, 3 within a month or coarser."""
        if self.precision == "day":
            return 1
        if self.precision in ("week", "range") and (self.days or 99) <= 7:
            return 2
        return 3

    @property
    def ucdp_date_prec(self) -> int:
        """UCDP GED date_prec: 1 exact day, 2 a span of 2-6 days, 3 a week, 4 a month,
        5 longer (or unknown)."""
        n = self.days
        if self.precision == "day" or n == 1:
            return 1
        if n is not None and n <= 6:
            return 2
        if n is not None and n <= 7:
            return 3
        if n is not None and n <= 31:
            return 4
        return 5

    def __str__(self) -> str:
        if self.precision == "unknown":
            return f"unknown (not after {self.end})" if self.end else "unknown"
        if self.precision == "day":
            return _iso(self.start)
        if self.precision == "month" and self.start:
            return self.start.strftime("%Y-%m") + " (month)"
        if self.precision == "year" and self.start:
            return f"{self.start.year} (year)"
        return f"{_iso(self.start)}..{_iso(self.end)} ({self.precision})"

    def to_dict(self) -> dict[str, Any]:
        return {"start": _iso(self.start), "end": _iso(self.end), "precision": self.precision,
                "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> EventDate:
        d = d or {}
        return cls(_parse_date(d.get("start"), "date start"), _parse_date(d.get("end"), "date end"),
                   str(d.get("precision") or "unknown"), str(d.get("text") or ""))


# ------------------------------------------------------------------------------------ location
@dataclass(slots=True)
class Location:
    """Where: the place as written and as the gazetteer resolved it."""

    written: str = ""  # "near the town of Mayadeen"
    name: str = ""  # gazetteer canonical name "Al Mayādīn"
    place_id: str = ""  # "geonames:173480"
    country: str = ""  # ISO 3166-1 alpha-2
    admin1: str = ""  # first-level area name
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None  # ACLED geo_precision 1..3
    kind: str = ""  # gazetteer kind: populated_place, admin1, region, country, ...
    note: str = ""  # how it was resolved

    @property
    def placed(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def ucdp_where_prec(self) -> int | None:
        """UCDP where_prec: 1 the exact place, 2 within ~25 km of it, 3 a second-level area,
        4 a first-level area, 5 a part of a country larger than that, 6 the country."""
        if self.precision is None:
            return None
        if self.kind == "country":
            return 6
        if self.precision == 1:
            return 1
        if self.precision == 2:
            return 2
        if self.kind == "admin2":
            return 3
        if self.kind == "admin1":
            return 4
        return 5

    def to_dict(self) -> dict[str, Any]:
        return {"written": self.written, "name": self.name, "place_id": self.place_id,
                "country": self.country, "admin1": self.admin1, "lat": self.lat,
                "lon": self.lon, "precision": self.precision, "kind": self.kind,
                "note": self.note}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Location:
        d = d or {}
        return cls(
            written=str(d.get("written") or ""), name=str(d.get("name") or ""),
            place_id=str(d.get("place_id") or ""), country=str(d.get("country") or ""),
            admin1=str(d.get("admin1") or ""), lat=_opt_float(d.get("lat"), "lat"),
            lon=_opt_float(d.get("lon"), "lon"),
            precision=_opt_int(d.get("precision"), "precision"), kind=str(d.get("kind") or ""),
            note=str(d.get("note") or ""))


def _opt_float(v: Any, what: str) -> float | None:
    if v is None or v == "":
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise IncidentError([f"{what} {v!r} is not a number"]) from None
    return None if math.isnan(x) else x


def _opt_int(v: Any, what: str) -> int | None:
    if v is None or v == "":
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise IncidentError([f"{what} {v!r} is not a whole number"]) from None
    if x != int(x):
        raise IncidentError([f"{what} {v!r} is not a whole number"])
    return int(x)


# ---------------------------------------------------------------------------------- casualties
@dataclass(slots=True)
class Casualty:
    """One source's figure for one side and kind.

    ``side`` is who (a normalised label: "Russian", "pro-government forces", "Islamic State",
    "civilians"; "" for everyone), ``party`` which side of the incident they were on (A, B,
    civilians, or "" when the text does not say), ``part_of`` the side label this figure is
    included in ("Russian" part of "pro-government forces"), ``source`` who gave the figure and
    ``via`` the outlet that reported it.
    """

    kind: str  # killed | wounded
    side: str = ""
    low: int | None = None
    best: int | None = None
    high: int | None = None
    source: str = ""
    quote: str = ""
    party: str = ""
    part_of: str = ""
    via: str = ""
    where: str = ""  # a place within the incident, as written ("Qasr al-Halabat")
    note: str = ""  # "2 at once, 2 later in hospital"
    vague: bool = False  # "dozens": ACLED's proxy number

    @property
    def figure(self) -> Figure:
        return Figure(self.low, self.best, self.high)

    @property
    def lo(self) -> int | None:
        return self.low if self.low is not None else self.best

    @property
    def hi(self) -> int | None:
        return self.high if self.high is not None else self.best

    def key(self) -> tuple:
        return (self.kind, self.side, self.party, self.part_of, self.low, self.best, self.high,
                self.source, self.via, self.where)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"side": self.side, "kind": self.kind, "low": self.low,
                             "best": self.best, "high": self.high, "source": self.source,
                             "quote": self.quote}
        for k in ("party", "part_of", "via", "where", "note"):
            v = getattr(self, k)
            if v:
                d[k] = v
        if self.vague:
            d["vague"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Casualty:
        if not isinstance(d, dict):
            raise IncidentError([f"a casualty figure must be a mapping, not {d!r}"])
        return cls(kind=str(d.get("kind") or "killed"), side=str(d.get("side") or ""),
                   low=_opt_int(d.get("low"), "low"), best=_opt_int(d.get("best"), "best"),
                   high=_opt_int(d.get("high"), "high"), source=str(d.get("source") or ""),
                   quote=str(d.get("quote") or ""), party=str(d.get("party") or ""),
                   part_of=str(d.get("part_of") or ""), via=str(d.get("via") or ""),
                   where=str(d.get("where") or ""), note=str(d.get("note") or ""),
                   vague=bool(d.get("vague", False)))


@dataclass(slots=True)
class Claim:
    """Who claims what, and whether anyone independent of the claimant confirmed it."""

    claimant: str
    claim: str
    confirmed_by: list[str] = field(default_factory=list)
    not_confirmed_by: list[str] = field(default_factory=list)
    independent: bool = False  # confirmed by someone independent of the claimant
    source: str = ""  # outlet reporting the claim
    quote: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = {"claimant": self.claimant, "claim": self.claim,
             "confirmed_by": list(self.confirmed_by),
             "not_confirmed_by": list(self.not_confirmed_by), "independent": self.independent}
        if self.source:
            d["source"] = self.source
        if self.quote:
            d["quote"] = self.quote
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Claim:
        if not isinstance(d, dict):
            raise IncidentError([f"a claim must be a mapping, not {d!r}"])
        return cls(claimant=str(d.get("claimant") or ""), claim=str(d.get("claim") or ""),
                   confirmed_by=[str(x) for x in d.get("confirmed_by") or []],
                   not_confirmed_by=[str(x) for x in d.get("not_confirmed_by") or []],
                   independent=bool(d.get("independent", False)),
                   source=str(d.get("source") or ""), quote=str(d.get("quote") or ""))


@dataclass(slots=True)
class Source:
    """A report the incident rests on."""

    outlet: str
    url: str = ""
    published: date | None = None
    quote: str = ""  # the sentence that reports the incident
    file: str = ""  # the input file it was read from (articles)

    def key(self) -> tuple[str, str, str, str]:
        return (_iso(self.published), self.outlet, self.url, self.file)

    def label(self) -> str:
        return f"{self.outlet} ({self.published})" if self.published else self.outlet

    def to_dict(self) -> dict[str, Any]:
        d = {"outlet": self.outlet, "url": self.url, "published": _iso(self.published),
             "quote": self.quote}
        if self.file:
            d["file"] = self.file
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Source:
        if not isinstance(d, dict):
            raise IncidentError([f"a source must be a mapping, not {d!r}"])
        return cls(outlet=str(d.get("outlet") or ""), url=str(d.get("url") or ""),
                   published=_parse_date(d.get("published"), "source published"),
                   quote=str(d.get("quote") or ""), file=str(d.get("file") or ""))


# ------------------------------------------------------------------------------------ incident
def combine(entries: list[Casualty]) -> Figure:
    """Low / best / high over several sources' figures for the same thing (see module doc)."""
    entries = [e for e in entries if e.lo is not None or e.hi is not None]
    if not entries:
        return NO_FIGURE
    exact = [e for e in entries if not e.vague and e.best is not None]
    if exact:
        entries = [e for e in entries if not e.vague]
    lows = [e.lo for e in entries if e.lo is not None]
    highs = [e.hi for e in entries if e.hi is not None]
    if exact:
        # One vote per source and value.
        votes = Counter(v for v in {(e.source or e.via, e.best) for e in exact})
        counts = Counter(best for (_src, best) in votes)
        top = max(counts.values())
        best: int | None = min(v for v, c in counts.items() if c == top)
    else:
        bests = [e.best for e in entries if e.best is not None]
        best = min(bests) if bests else None
    low = min(lows) if lows else None
    high = max(highs) if highs else None
    if best is not None:
        low = best if low is None else min(low, best)
        high = best if high is None else max(high, best)
    if low is not None and high is not None and low > high:  # "at least 9" vs "up to 6"
        high = low
    return Figure(low, best, high)


def _whole(c: Casualty) -> bool:
    """A figure for the whole incident (every side): "the death toll", UCDP's best."""
    return c.side in ("", "all", "people") and not c.party


def _add(a: Figure, b: Figure) -> Figure:
    """Two parts' figures added up.  A part known only by a lower bound (low 60, no best)
    adds its bound to the best too, as "at least 60" is coded 60/60/- on its own, and leaves
    the high unknown (never below the low); no figure at all adds nothing."""
    if a == NO_FIGURE:
        return b
    if b == NO_FIGURE:
        return a

    def s(x: int | None, y: int | None) -> int | None:
        if x is None:
            return y
        if y is None:
            return x
        return x + y

    def lo(f: Figure) -> int | None:
        return f.low if f.low is not None else f.best

    def best(f: Figure) -> int | None:
        return f.best if f.best is not None else f.low

    def hi(f: Figure) -> int | None:
        return f.high if f.high is not None else f.best

    low = s(lo(a), lo(b))
    bst = s(best(a), best(b))
    ha, hb = hi(a), hi(b)
    # The high is known only when each part's is (or a part has no lower figure at all).
    high = None if (ha is None and lo(a) is not None) or (hb is None and lo(b) is not None) \
        else s(ha, hb)
    return Figure(low, bst, high)


@dataclass(slots=True)
class Incident:
    date: EventDate = field(default_factory=EventDate)
    location: Location = field(default_factory=Location)
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    actor2: str = ""
    assoc_actors: list[str] = field(default_factory=list)
    # the side (1: with actor1, 2: with actor2) of associated actors, where known
    assoc_side: dict[str, int] = field(default_factory=dict)
    casualties: list[Casualty] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: str = ""
    id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # layout columns (acled_*, ucdp_*)

    # ------------------------------------------------------------------ identity
    def content_id(self) -> str:
        """A stable id from the normalised content: when, where, what, who and which sources
        (not the figures, so that a corrected figure keeps the id)."""
        loc = self.location
        key = [
            _iso(self.date.start), _iso(self.date.end), self.date.precision,
            None if loc.lat is None else round(loc.lat, 4),
            None if loc.lon is None else round(loc.lon, 4),
            " ".join(loc.written.lower().split()), loc.place_id,
            self.event_type, self.sub_event_type,
            self.actor1.lower(), self.actor2.lower(),
            sorted([s.outlet.lower(), s.url, _iso(s.published)] for s in self.sources),
        ]
        digest = hashlib.sha1(json.dumps(key, ensure_ascii=False, sort_keys=True).encode())
        return "inc-" + digest.hexdigest()[:12]

    def ensure_id(self) -> Incident:
        if not self.id:
            self.id = self.content_id()
        return self

    # ------------------------------------------------------------------ figures
    def side_figures(self, kind: str = "killed") -> dict[str, Figure]:
        """Low / best / high per side label over all sources ("Russian": 4/4/9)."""
        by_side: dict[str, list[Casualty]] = {}
        for c in self._deduped(kind):
            if c.part_of and c.part_of == c.side:
                continue  # a breakdown of the side's own figure (by place, by time)
            by_side.setdefault(c.side, []).append(c)
        return {side: combine(es) for side, es in sorted(by_side.items())}

    def figures_for(self, side: str, kind: str = "killed") -> Figure:
        return self.side_figures(kind).get(side, NO_FIGURE)

    def _deduped(self, kind: str) -> list[Casualty]:
        """This kind's figures without exact repeats, and without a figure of unknown side that
        restates a figure the same source gave for a known side."""
        seen: set[tuple] = set()
        out: list[Casualty] = []
        for c in self.casualties:
            if c.kind != kind:
                continue
            # The same source's same figure, wherever and by whomever it was quoted, is one.
            k = (c.kind, c.side, c.party, c.part_of, c.low, c.best, c.high, c.source or c.via)
            if k in seen:
                continue
            seen.add(k)
            out.append(c)
        known = {(c.source, c.best) for c in out if c.party and not c.part_of}
        return [c for c in out
                if c.party or c.part_of or (c.source, c.best) not in known]

    def party_figures(self, kind: str = "killed") -> dict[str, Figure]:
        """Low / best / high per party (A, B, civilians, "" unknown)."""
        entries = [c for c in self._deduped(kind) if not c.part_of and not _whole(c)]
        umbrella = UMBRELLA_SIDES | {c.part_of for c in self.casualties
                                     if c.part_of and c.part_of != c.side}
        out: dict[str, Figure] = {}
        for party in sorted({c.party for c in entries}):
            mine = [c for c in entries if c.party == party]
            # Figures for the whole party are candidates as they are.
            candidates = [c for c in mine if c.side in umbrella or not c.side]
            by_source: dict[str, list[Casualty]] = {}
            for c in mine:
                if not (c.side in umbrella or not c.side):
                    by_source.setdefault(c.source or c.via, []).append(c)
            # Figures for groups of the party: one source's groups add up.
            coverage = {s: frozenset(c.side for c in cs) for s, cs in by_source.items()}
            union = frozenset().union(*coverage.values()) if coverage else frozenset()
            partial: list[Casualty] = []
            for s, cs in sorted(by_source.items()):
                # One source's groups add up; its repeated figures for one group do not.
                f = NO_FIGURE
                for side in sorted(coverage[s]):
                    f = _add(f, combine([c for c in cs if c.side == side]))
                summed = Casualty(kind=kind, side="+".join(sorted(coverage[s])), low=f.low,
                                  best=f.best, high=f.high, source=s,
                                  vague=all(c.vague for c in cs))
                whole = len(coverage[s]) >= 2 or (not candidates and coverage[s] == union)
                (candidates if whole else partial).append(summed)
            if candidates:
                whole_f = combine(candidates)
                if whole_f.best is None and partial:
                    # Only a bound for the whole party ("at least 60"): the groups' own best
                    # figures still count (they are at least part of it), not lost.
                    whole_f = combine([*candidates, *partial])
                out[party] = whole_f
                continue
            # Only single groups, from different sources: add up the groups.
            f = NO_FIGURE
            for side in sorted(union):
                f = _add(f, combine([c for c in mine if c.side == side]))
            out[party] = f
        return out

    def total(self, kind: str = "killed") -> Figure:
        """The incident's low / best / high: the parties added up, weighed against figures
        given for the whole incident ("the toll rose to 12")."""
        f = NO_FIGURE
        parties = self.party_figures(kind)
        for fig in parties.values():
            f = _add(f, fig)
        whole = [c for c in self._deduped(kind) if _whole(c) and not c.part_of]
        if not whole:
            return f
        if parties and f != NO_FIGURE:
            whole = [*whole, Casualty(kind=kind, side="", low=f.low, best=f.best, high=f.high,
                                      source="+".join(sorted(parties)))]
        return combine(whole)

    @property
    def fatalities(self) -> Figure:
        return self.total("killed")

    @property
    def wounded(self) -> Figure:
        return self.total("wounded")

    # ------------------------------------------------------------------ validation
    def problems(self) -> list[str]:
        """Everything wrong with this incident, as messages a person can act on."""
        out: list[str] = []
        d = self.date
        if d.precision not in DATE_PRECISIONS:
            out.append(f"date precision {d.precision!r} is not one of {', '.join(DATE_PRECISIONS)}")
        if d.precision != "unknown" and d.start is None:
            out.append(f"date precision is {d.precision!r} but there is no start date")
        if d.start and d.end and d.start > d.end:
            out.append(f"date start {d.start} is after its end {d.end}")
        for s in self.sources:
            if s.published and d.start and d.start > s.published:
                out.append(f"date {d.start} is after the publication date {s.published} of its "
                           f"source {s.outlet or s.url or '?'}")
        loc = self.location
        if loc.lat is not None and not -90 <= loc.lat <= 90:
            out.append(f"latitude {loc.lat} is outside -90..90")
        if loc.lon is not None and not -180 <= loc.lon <= 180:
            out.append(f"longitude {loc.lon} is outside -180..180")
        if (loc.lat is None) != (loc.lon is None):
            out.append("a location needs both latitude and longitude")
        if loc.precision is not None and loc.precision not in (1, 2, 3):
            out.append(f"geo_precision {loc.precision} is not 1, 2 or 3")
        if self.event_type and self.event_type not in EVENT_TYPES:
            out.append(f"event type {self.event_type!r} is not an ACLED event type "
                       f"({', '.join(EVENT_TYPES)})")
        elif (self.event_type and self.sub_event_type
              and self.sub_event_type not in EVENT_TYPES[self.event_type]):
            out.append(f"sub-event type {self.sub_event_type!r} does not belong to "
                       f"{self.event_type!r} ({', '.join(EVENT_TYPES[self.event_type])})")
        for i, c in enumerate(self.casualties, 1):
            what = f"casualty figure {i} ({c.side or 'all'}, {c.kind})"
            if c.kind not in KINDS:
                out.append(f"{what}: kind must be killed or wounded")
            if c.party not in PARTIES:
                out.append(f"{what}: party must be A, B, civilians or empty")
            for name in ("low", "best", "high"):
                v = getattr(c, name)
                if v is not None and v < 0:
                    out.append(f"{what}: {name} {v} is negative")
            if c.best is not None:
                if c.low is not None and c.best < c.low:
                    out.append(f"{what}: best {c.best} is below low {c.low}")
                if c.high is not None and c.best > c.high:
                    out.append(f"{what}: best {c.best} is above high {c.high}")
            if c.low is not None and c.high is not None and c.low > c.high:
                out.append(f"{what}: low {c.low} is above high {c.high}")
        return out

    def validate(self, where: str = "") -> Incident:
        problems = self.problems()
        if problems:
            raise IncidentError(problems, where)
        return self

    def associated(self, side: int) -> list[str]:
        """The associated actors of side 1 or 2 (ACLED's assoc_actor_1 / _2); an actor whose
        side is unknown goes with side 1, as ACLED codes an unattributed associate."""
        return [a for a in self.assoc_actors if self.assoc_side.get(a, 1) == side]

    # ------------------------------------------------------------------ (de)serialisation
    def to_dict(self) -> dict[str, Any]:
        fat, wnd = self.fatalities, self.wounded
        d: dict[str, Any] = {
            "id": self.id or self.content_id(),
            "date": self.date.to_dict(),
            "location": self.location.to_dict(),
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "assoc_actors": list(self.assoc_actors),
            "fatalities": {"low": fat.low, "best": fat.best, "high": fat.high},
            "wounded": {"low": wnd.low, "best": wnd.best, "high": wnd.high},
            "casualties": [c.to_dict() for c in self.casualties],
            "claims": [c.to_dict() for c in self.claims],
            "sources": [s.to_dict() for s in self.sources],
            "notes": self.notes,
        }
        if self.assoc_side:
            d["assoc_side"] = dict(sorted(self.assoc_side.items()))
        if self.extra:
            d["extra"] = dict(sorted(self.extra.items()))
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Incident:
        """Read an incident written by :meth:`to_dict` (or by hand); raises IncidentError."""
        if not isinstance(d, dict):
            raise IncidentError([f"an incident must be a mapping, not {type(d).__name__}"])
        known = {"id", "date", "location", "event_type", "sub_event_type", "actor1", "actor2",
                 "assoc_actors", "assoc_side", "fatalities", "wounded", "casualties", "claims",
                 "sources", "notes", "extra"}
        unknown = sorted(set(d) - known)
        if unknown:
            raise IncidentError([f"unknown field(s) {', '.join(unknown)}; known: "
                                 f"{', '.join(sorted(known))}"])
        assoc = d.get("assoc_actors") or []
        if isinstance(assoc, str):
            assoc = [a.strip() for a in assoc.split(";") if a.strip()]
        sides = d.get("assoc_side") or {}
        if not isinstance(sides, dict) or any(v not in (1, 2) for v in sides.values()):
            raise IncidentError([f"assoc_side must map actors to 1 or 2, not {sides!r}"])
        inc = cls(
            date=EventDate.from_dict(d.get("date")),
            location=Location.from_dict(d.get("location")),
            event_type=str(d.get("event_type") or ""),
            sub_event_type=str(d.get("sub_event_type") or ""),
            actor1=str(d.get("actor1") or ""), actor2=str(d.get("actor2") or ""),
            assoc_actors=[str(a) for a in assoc],
            assoc_side={str(k): int(v) for k, v in sides.items()},
            casualties=[Casualty.from_dict(c) for c in d.get("casualties") or []],
            claims=[Claim.from_dict(c) for c in d.get("claims") or []],
            sources=[Source.from_dict(s) for s in d.get("sources") or []],
            notes=str(d.get("notes") or ""), id=str(d.get("id") or ""),
            extra=dict(d.get("extra") or {}),
        )
        # A hand-written file may give only the totals: keep them as one figure.
        if not inc.casualties:
            for kind, key in (("killed", "fatalities"), ("wounded", "wounded")):
                f = d.get(key)
                if isinstance(f, dict) and any(f.get(k) is not None for k in ("low", "best",
                                                                              "high")):
                    inc.casualties.append(Casualty(
                        kind=kind, low=_opt_int(f.get("low"), f"{key} low"),
                        best=_opt_int(f.get("best"), f"{key} best"),
                        high=_opt_int(f.get("high"), f"{key} high")))
        return inc
