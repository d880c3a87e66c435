"""Resolve place names, as reporting writes them, to places — in context, saying how sure.

Finding candidates: the query's normalisation skeleton (see :mod:`gazetteer.normalize`) is looked
up in the index; each candidate is graded by the finest level at which one of its names equals the
query (exact > alias > normalised).  Only when nothing matches does a fuzzy search (rapidfuzz) run,
and its answers are marked ``fuzzy`` and capped in confidence.

Ranking: match quality, the report's focus (countries, first-level areas), distance to other
places the report names or to points of interest, kind (a town before a province of the same name
unless the words say "province"), and importance (population, capital).  The answer is
*ambiguous* when a different place far away scores nearly as well and the context does not
decide; its candidates are listed.

Phrases: when the query as a whole is not a name, :mod:`gazetteer.relative` reads it ("Deir
ez-Zor province", "northern Aleppo countryside", "20 km west of Palmyra", "between Hajin and
al-Susah", "Qasr al-Halabat west of Palmyra") and the answer keeps the phrase, the relation and
the anchors.  Online: with an :class:`gazetteer.online.OnlineFallback` (opt-in), names the
offline gazetteer cannot answer are looked up online.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import countryfacts, ranking
from . import index as _index
from .batches import Batches
from .candidates import CandidateSearch
from .errors import InputError
from .grammar import PhraseGrammar
from .lookup import Store
from .model import Context, Place, Resolution
from .normalize import fold
from .query import MAX_QUERY_CHARS, clean_query
from .ranking import AREA_KINDS, WEIGHTS, Focus, RankingWeights, distances

if TYPE_CHECKING:
    from .online import OnlineFallback

__all__ = ["MAX_QUERY_CHARS", "POINTS", "Gazetteer", "clean_query"]

#: Point conventions for areas.  ``reference``: the point gazetteers publish for the feature
#: (GeoNames' own point for its places and continents; for countries the published reference
#: point of package ``countryinfo``); ``centroid``: the centre of the area's main territory
#: (countries: ``data/gazetteer/country_points.csv``).  Either way an area's answer carries its
#: ``bbox`` and its ``centroid`` where known.
POINTS = ("reference", "centroid")
#: Between the names of a list of first-level areas given as context ("Hama or Idlib").
_AREA_LIST = re.compile(r"\s+or\s+|\s*[/;,]\s*|\s+and\s+|\s*&\s*", re.IGNORECASE)
MAX_FOCUS_CACHED = 10_000


class Gazetteer:
    """The built-in gazetteer (opening or building its index) plus the user's overlays.

    A facade: the store (:mod:`gazetteer.lookup`), candidate search (:mod:`gazetteer.candidates`),
    ranking (:mod:`gazetteer.ranking`), the phrase grammar (:mod:`gazetteer.grammar`) and batches
    (:mod:`gazetteer.batches`) do the work."""

    _Focus = Focus

    def __init__(self, index: str | Path | None = None, *, overlays: Sequence[str | Path] = (),
                 build: bool = True, verbose: bool | None = None,
                 online: OnlineFallback | None = None, points: str = "reference",
                 weights: RankingWeights = WEIGHTS) -> None:
        """Open (or build) the index.  ``online``: the opt-in online fallback for names the
        offline gazetteer cannot answer (None, the default: no request ever leaves the
        machine).  ``points``: the point convention for areas (see :data:`POINTS`).
        ``weights``: the ranking's numbers (see :class:`gazetteer.ranking.RankingWeights`)."""
        if points not in POINTS:
            raise InputError(f"points must be one of {', '.join(POINTS)}, not {points!r}")
        self.points = points
        self.online = online
        self.weights = weights
        if build:
            self.index_path, self.rebuilt = _index.ensure(
                Path(index) if index else None, verbose=verbose)
        else:
            self.index_path, self.rebuilt = Path(index or _index.paths.default_index_path()), None
        self.store = Store(self.index_path, points)
        self.candidates = CandidateSearch(self.store, weights)
        self.grammar = PhraseGrammar(self, weights)
        self.batches = Batches(self)
        for path in overlays:
            self.add_overlay(path)
        self._focus_cache: dict[tuple[Context, str | None], Focus] = {}
        self._quiet = False  # no suggestions for unknown names (documents, extraction)

    # ---------------------------------------------------------------- set-up
    @property
    def overlay_files(self) -> list[Path]:
        return self.store.overlay_files

    def add_overlay(self, path: str | Path) -> int:
        """Add a user place file (YAML/CSV); its rows win over built-in places of the same name."""
        return self.store.add_overlay(path)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- lookups
    def admin1_name(self, code: str | None) -> str | None:
        return self.store.admin1_name(code)

    def place(self, uid: str) -> Place | None:
        return self.store.place(uid)

    def known(self, names: Iterable[str]) -> set[str]:
        """The names that some place bears (up to the normalisation skeleton; no fuzzy match):
        a cheap test for candidate spans of a text, before resolving them."""
        return self.store.known(names)

    def suggest(self, name: str, limit: int = 5, countries: frozenset[str] = frozenset()
                ) -> list[str]:
        """Names close to an unknown one, for "did you mean" messages; places in the focus
        countries first."""
        return self.candidates.suggest(name, limit, countries)

    def explain(self, r: Resolution) -> dict[str, object]:
        """Why ``r`` won: the terms and weights of its score and of the runner-up's (see
        :func:`gazetteer.ranking.explain`)."""
        return ranking.explain(r, self.weights)

    def _suggestions(self, q: str, focus: Focus) -> list[str]:
        """Suggestions for an unknown name, unless the caller resolves a whole document (its
        unknown names are not shown to a person one by one)."""
        if self._quiet:
            return []
        return self.suggest(q, countries=focus.countries)

    # ---------------------------------------------------------------- context
    def country_code(self, value: str) -> str | None:
        """ISO code for a country given by code or name ("SY", "Syria", "سوريا")."""
        v = value.strip()
        if re.fullmatch(r"[A-Za-z]{2}", v):
            return v.upper()
        for hit, _ in self.candidates.hits(v):
            if hit.place.kind == "country" and hit.match != "variant":
                return hit.place.country
        return None

    def admin1_codes(self, value: str) -> list[str]:
        """First-level area codes for a name or code ("Deir Ezzor", "SY.07").  A city area
        enclosed by another (Damascus in Rif Dimashq, Beirut in Mount Lebanon) brings the
        enclosing one along: reporters use the city's name for both."""
        v = value.strip()
        if v in self.store.admin1:
            codes = {v}
        else:
            hits = [h for h, _ in self.candidates.hits(v) if h.place.kind == "admin1"]
            if not hits:
                hits = [h for h, _ in self.candidates.fuzzy_hits(v, self.weights.fuzzy_min) if h.place.kind == "admin1"]
            codes = {h.place.admin1 for h in hits if h.place.admin1}
        if not codes and len(parts := [x for x in _AREA_LIST.split(v) if x.strip()]) > 1:
            # "Hama or Idlib", "Deir ez-Zor/Damascus": either area, when each part is one (a
            # name that is one area, "Newfoundland and Labrador", was found whole above).
            each = [self.admin1_codes(x) for x in parts]
            return sorted({c for cs in each for c in cs}) if all(each) else []
        for code in list(codes):
            codes.update(self.store.enclosing_admin1(code))
        return sorted(codes)

    def _focus(self, context: Context | None, exclude: str | None = None) -> Focus:
        if context is None or context.empty:
            return Focus(frozenset(), frozenset(), ())
        if not context.mentions:
            exclude = None  # the focus does not depend on the query: cache it
        cache_key = (context, exclude)
        hit = self._focus_cache.get(cache_key)
        if hit is None:
            hit = self._focus_uncached(context, exclude)
            if len(self._focus_cache) > 10_000:
                self._focus_cache.clear()
            self._focus_cache[cache_key] = hit
        return hit

    def _focus_uncached(self, context: Context, exclude: str | None) -> Focus:
        if context.empty:
            return Focus(frozenset(), frozenset(), ())
        countries = {c for c in (self.country_code(x) for x in context.countries) if c}
        admin1: set[str] = set()
        for a in context.admin1:
            countries.update(c.split(".")[0] for c in self.admin1_codes(a))
        explicit = frozenset(countries)
        countries.update(c for c in (self.country_code(x) for x in context.cues) if c)
        anchors = list(context.near)
        for a in context.admin1:
            codes = self.admin1_codes(a)
            if codes:
                admin1.update(codes)
                countries.update(c.split(".")[0] for c in codes)
            else:  # not a first-level area: a place whose position helps
                try:
                    r = self.resolve(a, Context(countries=tuple(countries)))
                except InputError:
                    continue
                if r.place is not None and r.status == "resolved":
                    if r.place.kind in AREA_KINDS or r.precision == 3:
                        # an area ("Deir Ezzor province"): focus, not a point to be near
                        if r.place.kind == "country":
                            countries.add(r.place.country)
                        elif r.place.admin1:
                            admin1.add(r.place.admin1)
                        continue
                    anchors.append((r.place.lat, r.place.lon))
                    if r.place.admin1:
                        admin1.add(r.place.admin1)
        for m in context.mentions:
            if exclude is not None and fold(m) == fold(exclude):
                continue
            try:
                r = self.resolve(m, Context(countries=tuple(countries)))
            except InputError:
                continue
            if r.status == "resolved" and r.place is not None and r.place.kind != "country":
                anchors.append((r.place.lat, r.place.lon))
        return Focus(frozenset(countries), frozenset(admin1), tuple(anchors),
                           explicit=explicit, region=countryfacts.region(explicit))

    # ---------------------------------------------------------------- resolve
    def resolve(self, name: str, context: Context | None = None, *,
                limit: int = 5, suggestions: bool = True) -> Resolution:
        """Resolve one place name or phrase ("Mayadeen", "Deir ez-Zor province", "20 km west
        of Palmyra").  Raises InputError for a query that is not a name.  An unknown name comes
        with suggestions ("did you mean"), unless ``suggestions`` is false (they cost a fuzzy
        search)."""
        q = clean_query(name)
        focus = self._focus(context, exclude=q)
        quiet, self._quiet = self._quiet, self._quiet or not suggestions
        try:
            return self._with_online(q, focus, self.grammar.resolve(q, focus, limit))
        finally:
            self._quiet = quiet

    def _with_online(self, q: str, focus: Focus, r: Resolution) -> Resolution:
        """The online fallback, when the user enabled it and the offline gazetteer has no
        answer.  Online answers never replace an offline one."""
        if self.online is None or r.status not in ("unresolved", "outside_focus") or (
                r.status == "unresolved" and r.place is not None):
            return r  # an outside_focus answer may still be found online inside the focus
        ans = self.online.lookup(q, tuple(sorted(focus.countries)))
        if ans.status != "found" or ans.place is None:
            r.reason = f"{r.reason}; {ans.message}" if r.reason else ans.message
            return r
        from .online import MAX_CONFIDENCE

        p = ans.place
        return Resolution(
            query=q, status="resolved", place=p, match="online", matched_name=p.name,
            confidence=MAX_CONFIDENCE, precision=p.precision, candidates=r.candidates,
            suggestions=r.suggestions,
            reason=f"not in the offline gazetteer; answered online by {p.source.split(':')[-1]}"
                   f"{' (from the cache)' if ans.cached else ''}: {p.note}")

    def _resolve_phrase(self, q: str, focus: Focus, limit: int) -> Resolution:
        return self.grammar.resolve(q, focus, limit)

    def _resolve_clean(self, q: str, focus: Focus, limit: int,
                       kinds: frozenset[str] | None = None) -> Resolution:
        """The name as a whole; with ``kinds``, only places of those kinds (an area query:
        "Homs province" asks for the province, not the city).  When no place bears the name
        as written (up to its skeleton), a fuzzy search."""
        r = self._resolve_written(q, focus, limit, kinds)
        return r if r is not None else self._resolve_fuzzy(q, focus, limit, kinds)

    def _resolve_written(self, q: str, focus: Focus, limit: int,
                         kinds: frozenset[str] | None = None) -> Resolution | None:
        """:meth:`_resolve_clean` without the fuzzy search: None when no place bears the name
        as written (up to its skeleton) and no abbreviation or demonym answers it.  The fuzzy
        search reads the index's skeletons of the name's first letters, a cost worth putting
        off until a phrase's other readings have failed."""
        hits = self.candidates.hits(q)
        if kinds is not None:
            hits = [h for h in hits if h[0].place.kind in kinds]
        if kinds is None and not (self.store.overlay  # (the only source of overlay hits)
                                  and any(h.match == "overlay" for h, _ in hits)):
            word = self.candidates.lexicon(q, hits, focus)
            if word is not None:
                return word
        if not hits:
            return None
        return self._ranked(q, hits, focus, limit, kinds, fuzzy=False)

    def _resolve_fuzzy(self, q: str, focus: Focus, limit: int,
                       kinds: frozenset[str] | None = None) -> Resolution:
        """The fuzzy half of :meth:`_resolve_clean` (for a name no place bears as written)."""
        hits = self.candidates.fuzzy_hits(q, self.weights.fuzzy_min)
        if kinds is not None:
            hits = [h for h in hits if h[0].place.kind in kinds]
        if not hits:
            return Resolution(query=q, status="unresolved",
                              suggestions=self._suggestions(q, focus)
                              if kinds is None else [],
                              reason="no place of this name in the gazetteer"
                              + self._install_hint(focus) if kinds is None
                              else f"no {'/'.join(sorted(kinds))} of this name in the gazetteer")
        return self._ranked(q, hits, focus, limit, kinds, fuzzy=True)

    def _ranked(self, q: str, hits: list, focus: Focus, limit: int,
                kinds: frozenset[str] | None, *, fuzzy: bool) -> Resolution:
        dists = distances([(h.place.lat, h.place.lon) for h, _ in hits], focus.anchors) \
            if focus.anchors else [math.inf] * len(hits)  # (what distances says without any)
        if focus.anchors:  # an area holding the report's places is near them, wherever its point
            admin1_bbox = self.store.admin1_bbox
            for i, (h, _imp) in enumerate(hits):
                kind = h.place.kind
                bbox = admin1_bbox.get(h.place.admin1 or "") if kind == "admin1" else (
                    h.place.bbox if kind in AREA_KINDS and kind != "country" else None)
                if bbox and any(bbox[1] <= a <= bbox[3] and bbox[0] <= b <= bbox[2]
                                for a, b in focus.anchors):
                    dists[i] = 0.0
        return ranking.rank(q, hits, focus, limit, kinds=kinds, fuzzy=fuzzy, dists=dists,
                            admin1_bbox=self.store.admin1_bbox,
                            suggestions=lambda: self._suggestions(q, focus),
                            install_hint=lambda: self._install_hint(focus), w=self.weights)

    def _install_hint(self, focus: Focus) -> str:
        """Which install would help an unanswered name: the GeoNames dump of the report's
        countries (villages, sites and features that cities500 lacks)."""
        installed = self.store.installed_countries()
        if "*" in installed:
            return ""
        todo = sorted((focus.explicit or focus.countries) - installed)
        if not todo and (focus.explicit or focus.countries):
            return ""
        if not todo:  # no country known: say what to put in the command
            return ("; villages and small places are in GeoNames' country dumps: "
                    "`geoevents data install geonames CC` with CC the country's ISO code "
                    "(SY, IQ, ...), or give a focus (--focus CC)")
        return (f"; villages and small places are in GeoNames' country dumps: "
                f"`geoevents data install geonames {' '.join(todo[:6])}`")

    # ---------------------------------------------------------------- many
    def resolve_many(self, names: Iterable[str], context: Context | None = None, *,
                     together: bool = False, limit: int = 5,
                     suggestions: bool = True, cleaned: bool = False) -> list[Resolution]:
        """Resolve a batch.  With ``together``, the names are one report's places: each is
        resolved with the others as context.  Bad queries come back unresolved with the reason
        (nothing is dropped); unknown names with suggestions unless ``suggestions`` is false.
        ``cleaned``: the names already passed :func:`clean_query` (not checked again)."""
        return self.batches.resolve_many(names, context, together=together, limit=limit,
                                         suggestions=suggestions, cleaned=cleaned)

    def resolve_document(self, names: Sequence[str], context: Context | None = None, *,
                         limit: int = 5, rounds: int = 3) -> list[Resolution]:
        """Resolve the place names of one report together: unambiguous names anchor the others,
        and the countries they fall in become the report's focus.  Unknown names come back
        without suggestions (ask :meth:`suggest` for one)."""
        return self.batches.resolve_document(names, context, limit=limit, rounds=rounds)
