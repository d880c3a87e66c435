"""Drafts: the events a story is building, with what each sentence added, and whether a
sentence fits a draft (date, place, type, attacker)."""


from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..article import Sentence
from ..dates import DateMention
from ..figures import FigureMention, Group
from ..places import PlaceMention
from ..sources import SourceRef

if TYPE_CHECKING:
    from gazetteer import Resolution
from ..fastre import guard_namespace
from .analysis import ActorMention, Analysis, Trigger
from .words import _AREA_WORDS, _NEAR_WORDS, _UNNAMED


# ------------------------------------------------------------------------------------ drafts
@dataclass(slots=True)
class FigRec:
    kind: str
    group: Group | None
    low: int | None
    best: int | None
    high: int | None
    vague: bool
    source: str
    quote: str
    part_of: str = ""  # label of the group this figure is part of ("including")
    whole: FigRec | None = None  # ... and that figure
    breakdown_of: FigRec | None = None
    where: str = ""
    notes: list[str] = field(default_factory=list)
    claimed: bool = False
    clause: str = ""
    where_pm: PlaceMention | None = None
    sentence: int = -1
    superseded: bool = False  # an earlier figure the report has revised since


@dataclass(slots=True)
class Draft:
    story: int
    first: int  # sentence index
    lead: bool
    triggers: list[Trigger] = field(default_factory=list)
    date: DateMention | None = None
    places: list[tuple[PlaceMention, Resolution | None, str, bool]] = field(default_factory=list)
    figs: list[FigRec] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    claims: list[tuple[str, str]] = field(default_factory=list)  # (claimant, sentence)
    confirmed_by: list[str] = field(default_factory=list)
    not_confirmed_by: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    last_source: SourceRef | None = None
    last_index: int = -1
    last_index_before: int = -1
    notes: list[str] = field(default_factory=list)
    date_problems: list[str] = field(default_factory=list)
    # When the report says it was told ("activists said yesterday", "a statement said on
    # Wednesday"): not the event's date, but the event is not after it.
    said_by: date | None = None

    # -------------------------------------------------------------- properties
    @property
    def specific_type(self) -> str:
        ts = [t for t in self.triggers if not t.rule.generic]
        return max(ts, key=lambda t: t.rule.priority).rule.event_type if ts else ""

    def main_place(self) -> tuple[PlaceMention, Resolution | None, str] | None:
        """The place of the event: the first one named, replaced by a later one only when
        that is finer and inside it (the province, then the town) or next to it."""
        fine = [(pm, r, note) for pm, r, note, sub in self.places
                if not sub and r is not None and r.place is not None and r.place.kind != "country"]
        if not fine:
            return None
        cur = fine[0]
        for cand in fine[1:]:
            pc, pn = _precision(cur[1], cur[0], cur[2]), _precision(cand[1], cand[0], cand[2])
            a, b = cur[1].place, cand[1].place
            if a.uid == b.uid:
                if not cand[2] and cur[2]:
                    cur = cand  # the same place, read from its phrase this time
                continue
            if _ROAD.search(cur[0].phrase or "") and not _ROAD.search(cand[0].phrase or ""):
                cur = cand  # "along the highway linking Damascus to Aleppo ... the town of X"
                continue
            if _UNNAMED.match(cur[0].phrase or "") and not _UNNAMED.match(cand[0].phrase or "") \
                    and _km((a.lat, a.lon), (b.lat, b.lon)) <= 150 and pn <= max(pc, 2):
                cur = cand  # "a village northeast of Baghdad" gives way to the village named
                continue
            if pn > pc or (pn == pc and not (pc >= 3 and _breadth(b) < _breadth(a))):
                continue  # (of two areas, the narrower inside the other: "in Shahjoy
                # district" after "in southern Zabul province")
            near = _km((a.lat, a.lon), (b.lat, b.lon)) <= 25
            inside = pc >= 3 and ((a.admin1 and a.admin1 == b.admin1) or (
                a.kind in ("region", "desert", "valley") and
                _km((a.lat, a.lon), (b.lat, b.lon)) <= 200))
            if near or inside:
                cur = cand
        return cur

    def country(self) -> str:
        mp = self.main_place()
        if mp and mp[1] and mp[1].place:
            return mp[1].place.country
        for _pm, r, _n, _s in self.places:
            if r is not None and r.place is not None:
                return r.place.country
        return ""


def _breadth(p: Any) -> float:
    """How wide an area is by its kind: a part of a country, a province, a part of a
    province, a district, a place."""
    if p.kind == "country":
        return 5.0
    if p.kind in ("region", "desert", "valley"):
        return 4.0 if not p.admin1 else 2.5
    if p.kind == "admin1":
        return 3.0
    if p.kind in ("admin2", "district"):
        return 2.0
    return 1.0


_ROAD = re.compile(r"\b(?:road|highway|motorway|route)s?\b", re.I)


def _precision(r: Resolution | None, pm: PlaceMention, note: str) -> int:
    """The precision of a resolved mention; when the gazetteer could not read the phrase and the
    name stands in for it, the phrase's words lower the precision (ACLED: a province's capital
    stands for the province at precision 3, a town for its surroundings at 2)."""
    p = (r.precision if r is not None and r.precision else 1) or 1
    if note:
        rest = pm.phrase.replace(pm.name, " ")
        if _AREA_WORDS.search(rest):
            p = max(p, 3)
        elif _NEAR_WORDS.search(rest):
            p = max(p, 2)
    return p


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    from math import asin, cos, radians, sin, sqrt

    la1, lo1, la2, lo2 = map(radians, (*a, *b))
    h = sin((la2 - la1) / 2) ** 2 + cos(la1) * cos(la2) * sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * asin(sqrt(h))


def _places_compatible(draft: Draft, a: Analysis, km: float = 60.0) -> bool:
    mine = draft.main_place()
    theirs = [p for p in a.fine_places]
    if not mine or not theirs:
        # Countries: the same country or no country.
        cs = {p.place.country for p in a.event_places if p.place is not None}
        dc = draft.country()
        return not cs or not dc or dc in cs
    p0 = mine[1].place if mine[1] else None
    if p0 is None:
        return True
    if _ROAD.search(mine[0].phrase or ""):
        # Placed only along a road between two towns: any place of its country may be where.
        return any(pm.place is not None and pm.place.country == p0.country for pm in theirs)
    for pm in theirs:
        p = pm.place
        if p is None:
            continue
        if p.uid == p0.uid:
            return True
        if p.admin1 and p.admin1 == p0.admin1 and p.country == p0.country:
            return True
        if _km((p.lat, p.lon), (p0.lat, p0.lon)) <= km:
            return True
        if (p.kind in ("region", "desert", "admin1", "valley") or p0.kind in (
                "region", "desert", "admin1", "valley")) and \
                _km((p.lat, p.lon), (p0.lat, p0.lon)) <= 200:
            return True
    return False


def _dates_compatible(draft: Draft, a: Analysis) -> int:
    """0 incompatible, 1 compatible because the draft has no date, 2 the dates overlap."""
    if not a.dates or draft.date is None or not draft.date.resolved:
        return 1
    if draft.date.period and not any(d.period for d in a.dates):
        return 1  # "in the past 36 hours" and then "on Thursday": the day is finer
    for d in a.dates:
        if not d.resolved:
            return 1
        if d.start <= draft.date.end and draft.date.start <= d.end:
            return 2
    return 0


def _types_compatible(draft: Draft, a: Analysis) -> bool:
    mine = draft.specific_type
    theirs = {t.rule.event_type for t in a.triggers if not t.rule.generic}
    return not mine or not theirs or mine in theirs


def _actors_compatible(draft: Draft, a: Analysis) -> bool:
    mine = {(x.name, x.country) for x in draft.actors if x.role == "attacker" and not x.generic}
    theirs = {(x.name, x.country) for x in a.actors if x.role == "attacker" and not x.generic}
    return not mine or not theirs or bool(mine & theirs)



def _summary_of(d: Draft, a: Analysis) -> bool:
    """A lead-paragraph sentence placed only in a country ("Iraqi planes crossed into Syria to
    hit jihadi targets") summarises the body's event of the same specific type."""
    if not d.lead or d.main_place() is not None:
        return False
    mine = d.specific_type
    theirs = {t.rule.event_type for t in a.triggers if not t.rule.generic}
    return bool(mine) and mine in theirs


def _same_attacker(d: Draft, a: Analysis) -> bool:
    mine = {(x.name, x.country) for x in d.actors if x.role == "attacker" and not x.generic}
    theirs = {(x.name, x.country) for x in a.actors if x.role == "attacker" and not x.generic}
    return bool(mine & theirs)


def _same_place(d: Draft, a: Analysis) -> bool:
    mp = d.main_place()
    if not mp or not mp[1] or not mp[1].place:
        return False
    return any(p.place is not None and p.place.uid == mp[1].place.uid for p in a.fine_places)


def _n(r: FigRec) -> str:
    if r.best is not None:
        return str(r.best)
    if r.high is not None:
        return f"up to {r.high}"
    return "?"


def _plus(a: FigRec, b: FigRec) -> tuple[int | None, int | None, int | None]:
    def s(x: int | None, y: int | None) -> int | None:
        return None if x is None or y is None else x + y

    return s(a.low, b.best), s(a.best, b.best), s(a.high, b.best)


def _clause(text: str, f: FigureMention | None, r: FigRec | None = None) -> str:
    if f is not None:
        seg = text[f.begin:f.begin + 90]
    elif r is not None and r.where:
        return f"in {r.where}"
    else:
        return ""
    seg = re.split(r"[,;.]", seg)[0]
    return " ".join(seg.split())


# Every pattern above with a first-character guard: the same matches, found faster (fastre).
guard_namespace(globals())
