"""Several reports of one event become one incident.

Two incidents are the same event when all of these hold:

- the same ACLED event type (or one of them has none), or direct violence both (Battles and
  Violence against civilians: outlets code an attack apart by whom they count among the dead);
  a territorial change only with a territorial change;
- their dates are compatible within their precision: the spans overlap ("Wednesday" and "last
  week"; an undated report is compatible with any day up to its publication date), or one is a
  night's ("Tuesday night", "at dawn") and the other the day before or after it;
- their places are the same gazetteer place, or within :data:`NEAR_KM` of each other (twice that
  when both stand for their surroundings, precision 2 or coarser), or one is
  an area (a province, a region: precision 3) and the other lies in it;
- their actors are compatible: side A is the same, or one side is unnamed ("unidentified armed
  group") or missing, or the sides line up the other way round (:func:`actors_compatible`);
- they come from different articles (an article that reports two events reports two events);
- a report without a date (or dated only by its publication: :meth:`EventDate.report_week`)
  joins only a dated event, and only when it shares a figure with it (the same source's same
  number, or the same number killed, more than one, whoever gives it) or names the very same
  place at the same precision.

When an incident fits several groups, the one sharing most of its figures (same source, same
number) wins, then the same toll, the same written name, the same sub-event type, the same
place, two agreeing points, the closer toll, the closer place (:func:`_score`).  A group
holding another incident of the same article takes the newcomer instead when it fits the rest
of the group better, and the one put out is placed again (once).  The merged incident keeps every
source and every source's figures (:meth:`Incident.fatalities` gives low / best / high over
them), the finest date and place, and notes where the same source is quoted with different
figures.
"""

from __future__ import annotations

import math
import re
from collections import Counter, deque

from .model import Claim, EventDate, Incident, Location

NEAR_KM = 25.0  # "within a few km": two points of precision 1 or 2
AREA_KM = 150.0  # a point and a region's representative point
_AREA_KINDS = frozenset({"admin1", "admin2", "region", "desert", "valley", "plain", "country"})
_ORDER = {"day": 0, "range": 1, "week": 2, "month": 3, "year": 4, "unknown": 5}
_TERRITORY = frozenset({"Government regains territory", "Non-state actor overtakes territory"})
GENERIC_ACTORS = frozenset({"", "unidentified armed group", "attackers", "militants"})


def _km(a: Location, b: Location) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * \
        math.sin((lo2 - lo1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(h))


def _is_area(loc: Location) -> bool:
    return (loc.precision or 1) >= 3 or loc.kind in _AREA_KINDS


DIRECTION_KM = 60.0  # "northeast of X" (no distance given): as far as this from X
_BEARING = {"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180,
            "southwest": 225, "west": 270, "northwest": 315}
_DIRECTION_OF = re.compile(r"\b(north|south)?[\s-]?(east|west)?(?:ern)?\s+of\b", re.I)


def _toward(a: Location, b: Location) -> bool:
    """Whether ``a`` is written as a direction from its place ("northeast of Baqouba", no
    distance) and ``b`` lies that way (within 60 degrees)."""
    if (a.precision or 1) != 2 or not a.written or re.search(r"\d\s*(?:km|kilomet|mile)",
                                                             a.written, re.I):
        return False
    m = _DIRECTION_OF.search(a.written)
    if m is None or not (m.group(1) or m.group(2)):
        return False
    want = _BEARING["".join(x.lower() for x in (m.group(1), m.group(2)) if x)]
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    y = math.sin(lo2 - lo1) * math.cos(la2)
    x = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(lo2 - lo1)
    got = (math.degrees(math.atan2(y, x)) + 360.0) % 360.0
    return min(abs(got - want), 360.0 - abs(got - want)) <= 60.0


def places_compatible(a: Location, b: Location) -> bool:
    if not a.placed or not b.placed:
        return True
    if a.place_id and a.place_id == b.place_id:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    d = _km(a, b)
    if d <= NEAR_KM:
        return True
    if (a.precision or 1) >= 2 and (b.precision or 1) >= 2 and d <= 2 * NEAR_KM:
        return True  # "near X" and "near Y": each a point standing for its surroundings
    if d <= DIRECTION_KM and (_toward(a, b) or _toward(b, a)):
        return True  # "northeast of Baqouba" and a town 40 km northeast of it
    if _is_area(a) or _is_area(b):
        if a.admin1 and b.admin1 and a.admin1 == b.admin1:
            return True
        return d <= AREA_KM and (a.kind in _AREA_KINDS or b.kind in _AREA_KINDS)
    return False


def actors_compatible(a: Incident, b: Incident) -> bool:
    """Side A is the same, or one of them is unnamed; or, as ACLED's actors have no direction
    (actor 1 is not "the attacker"), the sides line up the other way round: each report's side
    A is the other's side B, or missing there, and at least one of the two agrees - the same
    name, or a name and an unnamed attacker ("Islamic State" with nobody named against it, and
    "Syrian Democratic Forces" attacked by unidentified gunmen).  Two reports that each name
    only their side A, and different ones, are not lined up so."""
    x, y = a.actor1, b.actor1
    if x in GENERIC_ACTORS or y in GENERIC_ACTORS or x == y:
        return True

    def fits(p: str, q: str) -> bool:
        return p == q or p in GENERIC_ACTORS or q in GENERIC_ACTORS

    def agrees(p: str, q: str) -> bool:
        return bool(p and q) and (p == q or p in GENERIC_ACTORS or q in GENERIC_ACTORS)

    return fits(a.actor1, b.actor2) and fits(a.actor2, b.actor1) and (
        agrees(a.actor1, b.actor2) or agrees(a.actor2, b.actor1))


_DIRECT = frozenset({"Battles", "Violence against civilians"})


def types_compatible(a: Incident, b: Incident) -> bool:
    """The same ACLED event type - or direct violence both, which outlets code apart by whom
    they count among the dead (an attack on a village: a battle with its defenders for one,
    violence against civilians for another); territorial change only with itself."""
    if not (a.event_type and b.event_type) or a.event_type == b.event_type:
        return (a.sub_event_type in _TERRITORY) == (b.sub_event_type in _TERRITORY) or \
            not (a.sub_event_type and b.sub_event_type)
    return {a.event_type, b.event_type} <= _DIRECT and \
        a.sub_event_type not in _TERRITORY and b.sub_event_type not in _TERRITORY


#: A date written as a night or its edges: one outlet's "Friday night" is another's "at dawn on
#: Saturday", so such a date may be one day off another report's.
_NIGHT = re.compile(r"\b(?:night|overnight|dawn|late|early|midnight|evening|pre-dawn|"
                    r"small\s+hours)\b", re.I)


def dates_compatible(a: EventDate, b: EventDate) -> bool:
    """The spans overlap - or one of them is a night's (its words say "night", "overnight",
    "dawn", "late", "early") and the other is the day before or after it."""
    if a.overlaps(b):
        return True
    if not (a.given and b.given):
        return False
    night = bool(_NIGHT.search(a.text) or _NIGHT.search(b.text))
    return night and a.overlaps(b, slack_days=1)


def compatible(a: Incident, b: Incident, *, evidence: bool = True) -> bool:
    if not types_compatible(a, b):
        return False
    if not dates_compatible(a.date, b.date):
        return False
    if evidence and not (a.date.given and b.date.given):
        # A report without a date joins a dated event only on evidence: the same source's
        # same figure, or the very same place.
        if not (a.date.given or b.date.given):
            return False
        # (the very same place: the same gazetteer place read as precisely - "a district in
        # Afrin", near the city, is not "Afrin city")
        same_place = bool(a.location.place_id) and a.location.place_id == b.location.place_id \
            and (a.location.precision or 1) == (b.location.precision or 1)
        if not (_shared_figures(a, b) or _same_toll(a, b) or same_place):
            return False
    if not places_compatible(a.location, b.location):
        return False
    return actors_compatible(a, b)


def _files(inc: Incident) -> set[str]:
    return {s.file or s.url or s.outlet for s in inc.sources}


def _shared_figures(a: Incident, b: Incident) -> int:
    fa = {(c.source, c.kind, c.best) for c in a.casualties if c.source and c.best is not None}
    fb = {(c.source, c.kind, c.best) for c in b.casualties if c.source and c.best is not None}
    return len(fa & fb)


def _same_toll(a: Incident, b: Incident) -> bool:
    """The same number killed, whoever gives it (an outlet's unattributed "six fighters were
    shot dead" and another's "killed six SDF members"); more than one, as a single death is
    the commonest toll and says little."""
    fa, fb = a.fatalities.best, b.fatalities.best
    return fa is not None and fa == fb and fa > 1


def _score(cluster: Incident, inc: Incident) -> tuple:
    shared = _shared_figures(cluster, inc)
    same_place = int(bool(cluster.location.place_id) and
                     cluster.location.place_id == inc.location.place_id)
    both_dated = int(cluster.date.given and inc.date.given)
    dist = _km(cluster.location, inc.location) if cluster.location.placed and \
        inc.location.placed else 0.0
    # The same name written (a district the gazetteer lacks: "Karrada"), the same kind of
    # attack: the better of two events at one place on one day.
    # (not the resolved places' own names: "eastern Baghdad" and "central Baghdad" share
    # only the city)
    own = _words(cluster.location.name) | _words(inc.location.name)
    named = len((_words(cluster.location.written) & _words(inc.location.written)) - own)
    # Two points that agree (within a few km, or near each other) before a point inside an
    # area: "east of Daraa city" and a town east of it rather than "western Daraa countryside".
    close = int(not _is_area(cluster.location) and not _is_area(inc.location) and
                dist <= 2 * NEAR_KM)
    same_sub = int(bool(cluster.sub_event_type) and cluster.sub_event_type == inc.sub_event_type)
    # Then the closer toll: a later report's revised toll is nearer the event's main toll
    # than a smaller attack's the same day.
    fa, fb = cluster.fatalities.best, inc.fatalities.best
    toll = -abs(math.log((fa + 1) / (fb + 1))) if fa is not None and fb is not None else -9.0
    return (shared, _same_toll(cluster, inc), named, same_sub, same_place, close, toll,
            both_dated, -dist)


_NAME_STOP = frozenset({"the", "of", "in", "near", "city", "town", "village", "district",
                        "province", "area", "areas", "a", "an", "and", "eastern", "western",
                        "northern", "southern", "central", "east", "west", "north", "south",
                        "busy", "shopping", "mainly", "street", "commercial"})


def _words(s: str) -> set[str]:
    import re

    return {w for w in re.findall(r"[a-z]{3,}", (s or "").lower()) if w not in _NAME_STOP}


def merge_incidents(incidents: list[Incident]) -> list[Incident]:
    """Group the reports of the same event and merge each group (see the module doc).  The
    result is ordered by date, then place, then id, and does not depend on the input order
    beyond ties."""
    order = _sorted(incidents)
    groups: list[list[Incident]] = []
    merged: list[Incident] = []
    queue = deque(order)
    moved: set[int] = set()  # incidents already put out of a group once
    while queue:
        inc = queue.popleft()
        mine = _files(inc)
        best = None
        for gi, g in enumerate(groups):
            clash = [x for x in g if _files(x) & mine]
            rest = [x for x in g if not (_files(x) & mine)]
            # A group holding another incident of the same article: this one may take its
            # place when it fits the rest of the group better (the other is placed again).
            if not rest or len(clash) > 1 or (clash and id(clash[0]) in moved):
                continue
            if not all(compatible(x, inc, evidence=False) for x in rest):
                continue
            m = merge_group(rest) if clash else merged[gi]
            if not compatible(m, inc):
                continue
            s = _score(m, inc)
            if clash and not s > _score(m, clash[0]):
                continue
            key = (s, not clash)
            if best is None or key > best[0]:
                best = (key, gi, clash[0] if clash else None)
        if best is None:
            groups.append([inc])
            merged.append(inc)
            continue
        _key, gi, out_of = best
        if out_of is not None:
            groups[gi] = [x for x in groups[gi] if x is not out_of]
            moved.add(id(out_of))
            queue.appendleft(out_of)
        groups[gi].append(inc)
        merged[gi] = merge_group(groups[gi])
    out = [m if len(g) > 1 else g[0] for g, m in zip(groups, merged, strict=True)]
    return sorted(out, key=lambda i: (i.date.start or i.date.end or _FAR, i.location.name,
                                      i.id))


_FAR = EventDate.unknown().bounds()[1]


def _sorted(incidents: list[Incident]) -> list[Incident]:
    """Precise reports first (they anchor the groups), then by date and id."""
    def key(i: Incident) -> tuple:
        return (_ORDER.get(i.date.precision, 9), i.date.start or i.date.end or _FAR,
                i.id or i.content_id())

    return sorted(incidents, key=key)


def merge_group(group: list[Incident]) -> Incident:
    """One incident from several reports of the same event."""
    if len(group) == 1:
        return group[0]
    # When: the finest date that all reports allow.
    d = group[0].date
    for g in group[1:]:
        d = d.intersect(g.date)
    # Where: the finest place; its precision is the coarsest any report gives for that place
    # ("in Mayadeen" and "near the town of Mayadeen" -> near Mayadeen).
    placed = [g for g in group if g.location.placed]
    loc = Location()
    if placed:
        def rank(g: Incident) -> tuple:
            return (g.location.kind in _AREA_KINDS, g.location.precision or 3,
                    -sum(1 for x in placed if x.location.place_id == g.location.place_id))

        top = min(placed, key=rank)
        same = [g for g in placed if g.location.place_id == top.location.place_id]
        coarse = max(same, key=lambda g: (g.location.precision or 1))
        loc = Location(**{k: getattr(coarse.location, k) for k in (
            "written", "name", "place_id", "country", "admin1", "lat", "lon", "precision",
            "kind", "note")})
    # What and who.
    types = Counter(g.event_type for g in group if g.event_type)
    event_type = types.most_common(1)[0][0] if types else ""
    subs = Counter(g.sub_event_type for g in group if g.event_type == event_type and
                   g.sub_event_type)
    sub = sorted(subs.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if subs else ""

    def pick(values: list[str]) -> str:
        named = Counter(v for v in values if v and v not in GENERIC_ACTORS)
        if named:
            return sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        rest = Counter(v for v in values if v)
        return sorted(rest.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if rest else ""

    actor1 = pick([g.actor1 for g in group])
    actor2 = pick([g.actor2 for g in group if g.actor2 != actor1])
    assoc = sorted({a for g in group for a in g.assoc_actors} |
                   {g.actor1 for g in group if g.actor1 not in (actor1, *GENERIC_ACTORS)} |
                   {g.actor2 for g in group if g.actor2 and g.actor2 not in (actor1, actor2)}
                   - {actor1, actor2})
    # An associate's side as its reports give it; another report's side A or B is with the
    # merged side it agrees with.
    side: dict[str, int] = {}
    for g in group:
        for a, sd in g.assoc_side.items():
            side.setdefault(a, sd)
        for a, sd in ((g.actor1, 1), (g.actor2, 2)):
            if a in assoc:
                side.setdefault(a, sd)
    # Figures, claims, sources: all of them.
    casualties = []
    seen = set()
    for g in group:
        for c in g.casualties:
            k = (*c.key(), c.quote)
            if k not in seen:
                seen.add(k)
                casualties.append(c)
    claims: dict[str, Claim] = {}
    for g in group:
        for c in g.claims:
            if c.claimant in claims:
                m = claims[c.claimant]
                m.confirmed_by = list(dict.fromkeys([*m.confirmed_by, *c.confirmed_by]))
                m.not_confirmed_by = list(dict.fromkeys([*m.not_confirmed_by,
                                                         *c.not_confirmed_by]))
                m.independent = m.independent or c.independent
            else:
                claims[c.claimant] = Claim(c.claimant, c.claim, list(c.confirmed_by),
                                           list(c.not_confirmed_by), c.independent, c.source,
                                           c.quote)
    sources = {}
    for g in group:
        for s in g.sources:
            sources.setdefault(s.key(), s)
    notes = []
    for g in group:
        for n in (g.notes or "").split("; "):
            if d.given and (n.startswith("the report gives no date") or
                            n.startswith("reported on ")):
                continue  # another report dates it
            if n and n not in notes:
                notes.append(n)
    notes.extend(_conflicts(casualties))
    inc = Incident(date=d, location=loc, event_type=event_type, sub_event_type=sub,
                   actor1=actor1, actor2=actor2, assoc_actors=assoc,
                   assoc_side={a: s for a, s in side.items() if a in assoc},
                   casualties=casualties,
                   claims=list(claims.values()),
                   sources=[sources[k] for k in sorted(sources)], notes="; ".join(notes))
    return inc.ensure_id()


def _conflicts(casualties: list) -> list[str]:
    """The same source quoted with different figures for the same side and kind."""
    by: dict[tuple[str, str, str], dict[int | None, list[str]]] = {}
    for c in casualties:
        if not c.source or c.part_of or c.best is None:
            continue
        by.setdefault((c.source, c.kind, c.side), {}).setdefault(c.best, []).append(c.via)
    out = []
    for (src, kind, side), values in sorted(by.items()):
        if len(values) > 1:
            parts = [f"{v} ({', '.join(sorted(set(vias)))})" for v, vias in sorted(values.items())]
            out.append(f"{src} quoted with different {side + ' ' if side else ''}{kind} figures: "
                       + " vs ".join(parts))
    return out



def _family(inc: Incident) -> str:
    if inc.sub_event_type in _TERRITORY:
        return "territory"
    return inc.event_type


_VILLAGE_WORDS = re.compile(r"^(?:(?:in|at|near)\s+)?(?:the\s+)?(?:(?:village|town|hamlet)\s+of\s+)?"
                            r"(?:the\s+)?(?:(?:al|el|ad|ar|as|ash|at|az)[-\s])?|"
                            r"\s+(?:village|town|hamlet)$", re.I)


def _same_village(a: Location, b: Location) -> bool:
    """Two mentions of one village the gazetteer lacks, written with and without the article
    or the word village ("the village of Al-Bara", "the village of Bara"): placed at different
    places the report names around them, they are still one place."""
    if "not in the gazetteer" not in a.note and "not in the gazetteer" not in b.note:
        return False
    x, y = (_VILLAGE_WORDS.sub("", loc.written).strip().lower() for loc in (a, b))
    return bool(x) and x == y and _km(a, b) <= 50.0


def _restates(main: Incident, other: Incident) -> bool:
    """Whether ``other``, from the same article, only restates ``main``: the same place, and
    either undated (a later sentence about the event without its date) or of the same date
    with nothing of its own to add, and of the same kind of event - or a plain clash without
    figures at the place of a territorial change (the fighting for it)."""
    a, b = main.location, other.location
    if not (a.placed and b.placed):
        return False
    if not ((a.place_id and a.place_id == b.place_id) or _km(a, b) <= 5.0 or
            _same_village(a, b)):
        return False
    km_, ko = main.fatalities.best, other.fatalities.best
    if km_ and ko and km_ != ko and a.written.lower() != b.written.lower() and \
            "not in the gazetteer" in (a.note + b.note):
        return False  # its own toll at a part of the place the gazetteer lacks (a district)
    if other.date.given and not (other.date.start == main.date.start and
                                 other.date.end == main.date.end and not other.casualties):
        return False
    if not main.date.overlaps(other.date):
        return False
    if _family(main) == _family(other):
        return True
    return (_family(main) == "territory" and other.event_type == "Battles" and
            not other.casualties)


def consolidate(incidents: list[Incident]) -> list[Incident]:
    """One article's incidents, the restatements of an event folded into it (see
    :func:`_restates`); the folded incident's figures are kept with the event when it has
    none of that kind.  An article reporting two events at one place keeps both when both are
    dated (a roundup: "12 killed on Monday in Marjeh ... 17 overnight in Qaterji")."""
    order = sorted(range(len(incidents)), key=lambda i: (
        not incidents[i].date.given, _ORDER.get(incidents[i].date.precision, 9),
        -len(incidents[i].casualties), i))
    kept: list[Incident] = []
    for i in order:
        inc = incidents[i]
        host = next((k for k in kept if _restates(k, inc)), None)
        if host is None:
            kept.append(inc)
            continue
        kinds = {c.kind for c in host.casualties}
        host.casualties.extend(c for c in inc.casualties if c.kind not in kinds)
        if (host.location.precision or 1) < (inc.location.precision or 1) and \
                host.location.place_id == inc.location.place_id:
            host.location.precision = inc.location.precision
    pos = {id(x): n for n, x in enumerate(incidents)}
    return sorted(kept, key=lambda x: pos[id(x)])
