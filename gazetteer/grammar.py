"""Phrase grammar: what a query that is not a name says ("Hajin (Deir Ezzor)", "Mayadeen, Deir
Ezzor province", "near the town of X", "Deir ez-Zor province", "northern Aleppo countryside", "20 km
west of Palmyra", "between Hajin and al-Susah", "Qasr al-Halabat west of Palmyra", "X village").

:mod:`gazetteer.relative` and :mod:`gazetteer.phrases` parse the words; this module resolves the
names they hold (through the gazetteer) and derives the answer: the phrase, the relation and the
anchors.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from . import phrases, relative
from .model import Candidate, Context, Place, Resolution
from .ranking import AREA_KINDS, WEIGHTS, Focus, RankingWeights, distances
from .rows import has_no_letter

if TYPE_CHECKING:
    from .resolver import Gazetteer

_THE = re.compile(r"^the\s+", re.I)
_COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west",
            "north-west")
_SECTOR_ADJ = {"north": "northern", "south": "southern", "east": "eastern", "west": "western",
               "northeast": "north-eastern", "northwest": "north-western",
               "southeast": "south-eastern", "southwest": "south-western", "central": "central"}


#: Countries whose usage puts the word "County" before the name ("County Kerry", "Co. Antrim").
COUNTY_FIRST_COUNTRIES = frozenset({"IE", "GB"})


class PhraseGrammar:
    """Resolves phrases for one gazetteer (its names through :meth:`Gazetteer._resolve_clean`)."""

    def __init__(self, gz: Gazetteer, weights: RankingWeights = WEIGHTS) -> None:
        self.gz = gz
        self.w = weights

    def resolve(self, q: str, focus: Focus, limit: int) -> Resolution:
        """The phrase as a name; else, when a comma or brackets give the enclosing area
        ("Hajin (Deir Ezzor)", "Mayadeen, Deir Ezzor province"), its head in that area; else a
        relative or area phrase ("near the town of X", "Deir ez-Zor province", "20 km west of
        Palmyra", see :mod:`gazetteer.relative`); else the name without generic words ("X
        village"); else the enclosing place named by a hint, with precision 2.  A query
        without a letter ("15", "00154") names no place: a house or postal number."""
        if has_no_letter(q):
            return Resolution(query=q, status="unresolved", suggestions=[],
                              reason="a number, not a place name (a house or postal number "
                                     "is placed only by its document's town)")
        written = self.gz._resolve_written(q, focus, limit)
        if written is not None and written.status != "unresolved":
            return written
        split = phrases.split_hints(q)
        if split is not None:
            r = self._resolve_in_hints(q, split[0], split[1], focus, limit)
            if r is not None:
                return r
        structured = self._resolve_structured(q, focus, limit)
        if structured is not None and structured.status != "unresolved":
            return structured
        # The fuzzy reading of the whole phrase only now: a phrase the hints or the structure
        # answer ("the town of X", "X province") never pays for it.
        res = written if written is not None else self.gz._resolve_fuzzy(q, focus, limit)
        if res.status != "unresolved":
            return res
        m = _THE.match(q)
        if m and len(q) > m.end():
            r = self.resolve(q[m.end():], focus, limit)
            if r.status != "unresolved":
                r.query = q
                return r
        bare = phrases.bare_name(q)
        if bare is not None:
            r = self.gz._resolve_clean(bare.name, focus, limit)
            if r.status != "unresolved":
                return self._as_phrase(r, q, bare.precision_floor, bare.note)
        if split is not None:
            r = self._enclosing(q, split[0], split[1], focus, limit)
            if r is not None:
                return r
        named = self._named_after(q, focus, limit)
        if named is None and split is not None and res.status == "unresolved":
            named = self._outside_hints(q, split[0], split[1], focus, limit)
        return named if named is not None else res

    def _outside_hints(self, q: str, head: str, hints: list[str], focus: Focus,
                       limit: int) -> Resolution | None:
        """"X, Y" whose head names places, none of them in or near Y ("Al Mansoura, Aleppo"
        with the only Al Mansura of the gazetteer in Raqqa): the phrase's own area rules them
        out, and the answer says so (unresolved, the head's places as candidates, and the
        install that would bring the village meant) rather than "no place of this name"."""
        own = self.gz._resolve_clean(head, focus, limit)
        if own.place is None or own.status not in ("resolved", "ambiguous") or \
                own.match == "fuzzy":
            return None
        where = own.place.admin1_name or own.place.country or "?"
        return Resolution(
            query=q, status="unresolved", suggestions=[], candidates=own.candidates,
            reason=(f"{head!r} names {own.place.name} ({where}), not in or near "
                    f"{', '.join(hints)}: the phrase's area rules it out"
                    + self.gz._install_hint(focus)))

    def _named_after(self, q: str, focus: Focus, limit: int) -> Resolution | None:
        """A facility or landmark named after its place ("University of Oxford", "Kabul
        airport"): that place, when notable or near the report's places, named by its own name
        or an alias (see :mod:`gazetteer.landmarks`); precision 2."""
        from .landmarks import named_places
        from .ranking import notable

        for name in named_places(q):
            # Only a name as written counts (never a fuzzy answer): no fuzzy search.
            r = self.gz._resolve_written(name, focus, limit)
            if r is None or r.status not in ("resolved", "ambiguous") or r.place is None or \
                    r.match not in ("exact", "alias", "overlay"):
                continue
            near = bool(focus.anchors) and min(distances(
                [(r.place.lat, r.place.lon)], focus.anchors)) < self.w.plausible_km
            if not (notable(r.place, self.w) or near):
                continue
            r = self._as_phrase(r, q, 2, f"{q!r} not found; placed at {r.place.name!r}, "
                                f"the place it is named after")
            r.confidence = min(r.confidence, self.w.enclosing_confidence)
            return r
        return None

    def _resolve_in_hints(self, q: str, head: str, hints: list[str], focus: Focus,
                          limit: int) -> Resolution | None:
        """The head of "X, Y" / "X (Y)" resolved with the hints as its area: areas become
        focus; places become anchors, and the head must lie near one of them ("al Hamidiya,
        near Maarat al Numan")."""
        hint_focus = self.gz._focus(Context(countries=tuple(focus.countries),
                                            admin1=tuple(hints)))
        merged = Focus(focus.countries | hint_focus.countries,
                       hint_focus.admin1 or focus.admin1,
                       (*focus.anchors, *hint_focus.anchors), explicit=focus.explicit,
                       region=focus.region)
        r = self.resolve(head, merged, limit)
        if r.status != "resolved" or r.place is None:
            return None
        if hint_focus.anchors and min(distances(
                [(r.place.lat, r.place.lon)], hint_focus.anchors)) > self.w.hint_km:
            return None
        note = f"{', '.join(hints)} taken as the enclosing area"
        r.query = q
        r.reason = f"{r.reason}; {note}" if r.reason else note
        return r

    def _enclosing(self, q: str, head: str, hints: list[str], focus: Focus,
                   limit: int) -> Resolution | None:
        """The enclosing place named by the first hint, when it is a town or a site: an area (province,
        country) is too coarse to stand for a place inside it, and "X, Aleppo" is as likely
        the province as the city unless X is a part of a town ("... neighbourhood, Aleppo")."""
        urban = phrases.URBAN_PART.search(head) is not None
        # Only the place right around the head: in "X, Y, Z" with Y unknown, X may be anywhere
        # around Z, too far for "near Z".
        r = self.gz._resolve_clean(hints[0], focus, limit)
        if r.status != "resolved" or r.place is None or r.place.kind in AREA_KINDS:
            return None
        if not urban and any(c.place.kind in AREA_KINDS for c in r.candidates):
            return None
        own = self.gz._resolve_clean(head, focus, limit)
        if own.status == "resolved" and own.place is not None and own.match != "fuzzy":
            # The head is a place of its own, away from the hint: the phrase contradicts
            # itself ("Raqqa, Yarmouk" with Yarmouk a camp of Damascus), and neither answers.
            d = distances([(own.place.lat, own.place.lon)], [(r.place.lat, r.place.lon)])[0]
            if d > self.w.plausible_km:
                return Resolution(
                    query=q, status="unresolved", suggestions=[],
                    candidates=[Candidate(place=x.place, match=x.match,  # type: ignore[arg-type]
                                          matched_name=x.matched_name or x.place.name,
                                          score=0.0) for x in (own, r)],
                    reason=f"{head!r} ({own.place.name}) and {hints[0]!r} ({r.place.name}) "
                           f"are {d:,.0f} km apart: neither is the other's enclosing place")
        r = self._as_phrase(r, q, 2, f"{head!r} not found; placed at the enclosing "
                            f"{r.place.name!r}")
        r.confidence = min(r.confidence, self.w.enclosing_confidence)
        return r

    def _resolve_structured(self, q: str, focus: Focus, limit: int) -> Resolution | None:
        """Relative and area phrases (see :mod:`gazetteer.relative`); None when the phrase is
        not one."""
        ph = relative.parse(q)
        if ph is None:
            return None
        if ph.relation in ("near", "outskirts"):
            r = self.resolve(ph.names[0], focus, limit)
            if r.place is None or r.status == "unresolved":
                return None
            note = (f"{ph.distance_km:g} km from {r.place.name} (no direction given): placed at "
                    f"{r.place.name}" if ph.distance_km else
                    f"{'on the outskirts of' if ph.relation == 'outskirts' else 'near'} "
                    f"{r.place.name}: placed at {r.place.name}")
            return self._derived(r, q, ph.relation, r.place, [r.place], 2, note,
                                 offset_km=ph.distance_km)
        if ph.relation == "offset" or ph.relation == "direction":
            r = self.resolve(ph.names[0], focus, limit)
            if r.place is None or r.status == "unresolved":
                return None
            return self._offset_from(r, q, ph.bearing, ph.distance_km)
        if ph.relation == "named":
            return self._named(q, ph, focus, limit)
        if ph.relation == "between":
            return self._between(q, ph.names, focus, limit)
        if ph.relation in ("area", "sector"):
            word = ph.area_word
            if word == "county_first":
                # "County Kerry", "Co. Antrim": the word first is Irish and British usage, so
                # the counties of Ireland and the United Kingdom are the report's area
                # (evidence, not a gate: a focus elsewhere still counts).
                word = "admin2"
                focus = Focus(focus.countries | COUNTY_FIRST_COUNTRIES, focus.admin1,
                              focus.anchors, focus.kinds, explicit=focus.explicit,
                              region=focus.region)
            return self._area(q, ph.names[0], word, ph.sector, focus, limit)
        return None

    def _named(self, q: str, ph: relative.Phrase, focus: Focus,
               limit: int) -> Resolution | None:
        """"X west of Y": X itself, found near Y.  When Y alone is ambiguous ("Palmyra"), each
        of its candidates is tried as the anchor and the one X is found near wins."""
        name, anchor_text = ph.names
        a = self.resolve(anchor_text, focus, limit)
        if a.place is None or a.status == "unresolved":
            return None
        anchors = [a.place] if a.status == "resolved" else \
            [c.place for c in a.candidates[:limit]]
        found: list[tuple[float, Resolution, Place]] = []
        for ap in anchors:
            near = Focus(focus.countries | {ap.country} if ap.country
                         else focus.countries, focus.admin1,
                         (*focus.anchors, (ap.lat, ap.lon)), explicit=focus.explicit,
                         region=focus.region)
            x = self.resolve(name, near, limit)
            if x.place is None or x.status != "resolved":
                continue
            # Near the anchor, as the phrase says; a near-spelling only close to it.
            reach = self.w.named_fuzzy_reach_km if x.match == "fuzzy" else max(
                self.w.named_reach_km, self.w.named_reach_factor * (ph.distance_km or 0))
            d = relative.distance_km((x.place.lat, x.place.lon), (ap.lat, ap.lon))
            if d <= reach:
                found.append((d, x, ap))
        if not found:
            # The named place is unknown: its anchor alone is too coarse a guess for it (a
            # checkpoint "70 km north-west of" a city may be anywhere along the road).
            return None
        _, x, ap = min(found, key=lambda t: t[0])
        x.query, x.phrase, x.relation = q, q, "named"
        x.anchors = [ap]
        if len({t[2].uid for t in found}) > 1:
            x.status = "ambiguous"
            x.confidence = min(x.confidence, 0.5)
            x.reason = f"{name!r} is found beside more than one place named {anchor_text!r}"
        return x

    def _derived(self, r: Resolution, q: str, relation: str, place: Place,
                 anchors: list[Place], precision: int, note: str, *, confidence: float = 0.9,
                 bearing: float | None = None, offset_km: float | None = None) -> Resolution:
        return Resolution(
            query=q, status=r.status, place=place, match=r.match,
            matched_name=r.matched_name, confidence=round(r.confidence * confidence, 3),
            precision=max(precision, 1), candidates=r.candidates, reason=note,
            relation=relation, anchors=anchors, phrase=q, bearing_deg=bearing,
            offset_km=offset_km)

    def _offset_from(self, a: Resolution, q: str, bearing: float | None,
                     dist: float | None) -> Resolution:
        ap = a.place
        assert ap is not None
        if bearing is None or not dist:
            where = "" if bearing is None else f"{_COMPASS[int(bearing) // 45 % 8]} of "
            return self._derived(a, q, "direction" if bearing is not None else "near", ap,
                                 [ap], max(2, a.precision or 1),
                                 f"{where}{ap.name} (no distance given): placed at {ap.name}",
                                 bearing=bearing)
        lat, lon = relative.offset(ap.lat, ap.lon, dist, bearing)
        word = _COMPASS[int(bearing) // 45 % 8]
        place = Place(
            uid=f"relative:{dist:g}km-{int(bearing)}deg-of-{ap.uid}",
            name=f"{dist:g} km {word} of {ap.name}", country=ap.country, admin1=ap.admin1,
            lat=round(lat, 6), lon=round(lon, 6), kind="relative", precision=2,
            source="computed", note=f"{dist:g} km at {bearing:g}° from {ap.name} ({ap.uid}) "
            "along the WGS 84 geodesic", admin1_name=ap.admin1_name)
        return self._derived(a, q, "offset", place, [ap], 2,
                             f"{dist:g} km {word} of {ap.name}", confidence=0.85,
                             bearing=bearing, offset_km=dist)

    def _between(self, q: str, names: tuple[str, ...], focus: Focus,
                 limit: int) -> Resolution | None:
        first = [self.resolve(n, focus, limit) for n in names]
        out = []
        for i, r in enumerate(first):  # each with the other as context
            other = first[1 - i]
            if other.place is not None and other.status == "resolved":
                f2 = Focus(focus.countries | {other.place.country}, focus.admin1,
                           (*focus.anchors, (other.place.lat, other.place.lon)),
                           explicit=focus.explicit, region=focus.region)
                r = self.resolve(names[i], f2, limit)
            out.append(r)
        ok = [r for r in out if r.place is not None and r.status == "resolved"]
        if not ok:
            return None
        if len(ok) == 1:
            r = ok[0]
            missing = names[1] if r is out[0] else names[0]
            return self._derived(r, q, "near", r.place, [r.place], 2,  # type: ignore[arg-type]
                                 f"{missing!r} not found: placed at {r.place.name}",  # type: ignore[union-attr]
                                 confidence=0.6)
        a, b = ok[0].place, ok[1].place
        assert a is not None and b is not None
        lat, lon = relative.midpoint((a.lat, a.lon), (b.lat, b.lon))
        d = relative.distance_km((a.lat, a.lon), (b.lat, b.lon))
        place = Place(
            uid=f"between:{a.uid}|{b.uid}", name=f"between {a.name} and {b.name}",
            country=a.country,
            admin1=a.admin1 if a.admin1 == b.admin1 else None, lat=round(lat, 6),
            lon=round(lon, 6), kind="relative", precision=max(2, min(a.precision, b.precision)),
            source="computed", note=f"geodesic midpoint of {a.name} ({a.uid}) and {b.name} ({b.uid}), {d:.0f} km "
            "apart", admin1_name=a.admin1_name if a.admin1 == b.admin1 else None)
        r0 = ok[0] if ok[0].confidence <= ok[1].confidence else ok[1]
        # Between two towns: near them (2); between two areas ("Syria and Iraq"): a region (3).
        return self._derived(r0, q, "between", place, [a, b], max(2, min(a.precision,
                                                                      b.precision)),
                             f"midway between {a.name} and {b.name} ({d:.0f} km apart)")

    _AREA_KINDS_FOR: ClassVar[dict[str | None, tuple[str, ...]]] = {
        "admin1": ("admin1",), "admin2": ("admin2", "admin3"),
        "region": ("region", "admin1", "admin2", "desert", "valley", "plain", "country"),
        "countryside": ("admin1",), "desert": ("desert", "region", "admin1"),
        None: ("country", "admin1", "region", "admin2", "desert", "valley", "plain"),
    }

    def _area(self, q: str, name: str, word: str | None, sector: str | None, focus: Focus,
              limit: int) -> Resolution | None:
        """An area named with a word that makes it one ("Deir ez-Zor province", "Aleppo
        countryside", "eastern Syria"), or a part of it (a sector)."""
        kinds = frozenset(self._AREA_KINDS_FOR.get(word, self._AREA_KINDS_FOR[None]))
        r = self.gz._resolve_clean(name, focus, limit, kinds=kinds)
        if (r.place is None or r.status == "unresolved") and word in ("admin2", "admin1"):
            r = self.gz._resolve_clean(name, focus, limit, kinds=frozenset(
                self._AREA_KINDS_FOR["region"]))
        if r.place is None or r.status == "unresolved":
            # No area of this name: "Mayadin district", "Hajin countryside" are around a town.
            if word is None:
                return None
            t = self.resolve(name, focus, limit)
            if t.place is None or t.status == "unresolved":
                return None
            what = {"admin2": "district", "admin1": "province", "countryside": "countryside",
                    "desert": "desert", "region": "region"}.get(word, word)
            return self._derived(t, q, "near", t.place, [t.place], max(2, t.precision or 1),
                                 f"no {what} named {name!r}: placed at {t.place.name} with "
                                 "precision 2 (around it)", confidence=0.8)
        area = r.place
        word_txt = {"countryside": " (its countryside)", "desert": " (its desert)"}.get(
            word or "", "")
        if sector is None:
            return self._derived(r, q, "area", area, [area], 3,
                                 f"the area {area.name}{word_txt}, not a town of that name",
                                 confidence=0.95)
        pts = self.gz.store.area_points(area)
        pt = relative.sector_point(pts, sector)
        adj = _SECTOR_ADJ.get(sector, sector)
        if pt is None:
            return self._derived(r, q, "sector", area, [area], 3,
                                 f"{adj} {area.name}: no places known there, placed at the "
                                 "area's point", confidence=0.8)
        place = Place(
            uid=f"sector:{sector}:{area.uid}", name=f"{adj} {area.name}", country=area.country,
            admin1=area.admin1, lat=pt[0], lon=pt[1], kind="region", precision=3,
            source="computed", note=f"representative point of the {adj} part of {area.name}: "
            f"the place nearest to the middle of its {adj} places ({len(pts)} places in the "
            "area)", admin1_name=area.admin1_name)
        return self._derived(r, q, "sector", place, [area], 3,
                             f"the {adj} part of {area.name}{word_txt}", confidence=0.9)

    @staticmethod
    def _as_phrase(r: Resolution, q: str, floor: int, note: str) -> Resolution:
        r.query = q
        r.precision = max(r.precision or 1, floor)
        r.reason = f"{note}; {r.reason}" if r.reason else note
        r.phrase = q
        if floor >= 2 and r.place is not None and r.relation is None:
            r.relation = "near"
            r.anchors = [r.place]
        return r
