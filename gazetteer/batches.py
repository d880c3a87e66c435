"""Batches and documents: many names at once (their index rows fetched together, each distinct
name resolved once), and the place names of one report resolved together (unambiguous names
anchor the others, the countries they fall in become the report's area)."""

from __future__ import annotations

import contextlib
import gc
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .errors import InputError
from .model import Context, Resolution
from .normalize import fold, skeleton
from .query import clean_query
from .ranking import (
    AREA_KINDS,
    Focus,
    RankingWeights,
    anchor_scale,
    anchor_weight,
    haversine_km,
)

if TYPE_CHECKING:
    from .resolver import Gazetteer

MAX_DOCUMENT_ANCHORS = 300  # a report's places as anchors; beyond, the cells most of them are in
CHUNK = 2000  # names whose rows are fetched together
CACHE_MAX = 100_000  # answers kept by query in one batch (the oldest dropped first)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Batches allocate many small acyclic objects; the cyclic collector only slows them down
    (reference counting frees them).  Restored afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Batches:
    """Batch and document resolution for one gazetteer."""

    def __init__(self, gz: Gazetteer) -> None:
        self.gz = gz

    def resolve_many(self, names: Iterable[str], context: Context | None = None, *,
                     together: bool = False, limit: int = 5,
                     suggestions: bool = True, cleaned: bool = False) -> list[Resolution]:
        """Resolve a batch.  With ``together``, the names are one report's places: each is
        resolved with the others as context.  Bad queries come back unresolved with the reason
        (nothing is dropped); unknown names with suggestions unless ``suggestions`` is false.
        ``cleaned``: every name is already the result of :func:`clean_query` (not checked
        again)."""
        names = list(names)
        if together:
            return self.resolve_document(names, context, limit=limit)
        quiet, self.gz._quiet = self.gz._quiet, self.gz._quiet or not suggestions
        try:
            with gc_paused():
                return self._resolve_many(names, context, limit, cleaned)
        finally:
            self.gz._quiet = quiet

    def _resolve_many(self, names: list[str], context: Context | None,
                      limit: int, cleaned: bool = False) -> list[Resolution]:
        out: list[Resolution] = []
        # An OrderedDict: dropping the oldest of a plain dict rescans its deleted slots.
        cache: OrderedDict[str, Resolution] = OrderedDict()
        shared = None if context is not None and context.mentions else self.gz._focus(context)
        for start in range(0, len(names), CHUNK):
            part = names[start:start + CHUNK]
            try:
                # Names answered before need no rows (a name already clean is its own key).
                self.gz.store.prefetch(skeleton(n) for n in part if isinstance(n, str)
                                       and n not in cache and fold(n))
                self._resolve_part(part, context, shared, limit, cache, out, cleaned)
            finally:
                self.gz.store.prefetched = None
        return out

    def _resolve_part(self, names: list[str], context: Context | None, shared: Focus | None,
                      limit: int, cache: OrderedDict[str, Resolution], out: list[Resolution],
                      cleaned: bool = False) -> None:
        for n in names:
            r = cache.get(n) if isinstance(n, str) else None
            if r is not None:  # n is a clean query answered before (clean_query is idempotent)
                out.append(r)
                continue
            if cleaned:
                q = n
            else:
                try:
                    q = clean_query(n)
                except InputError as exc:
                    out.append(Resolution(query=str(n), status="unresolved", reason=str(exc)))
                    continue
                r = cache.get(q)
            if r is None:
                focus = shared if shared is not None else self.gz._focus(context, exclude=q)
                r = self.gz._with_online(q, focus, self.gz.grammar.resolve(q, focus, limit))
                if len(cache) >= CACHE_MAX:
                    cache.popitem(last=False)  # the oldest answer goes
                cache[q] = r
            out.append(r)

    def resolve_document(self, names: Sequence[str], context: Context | None = None, *,
                         limit: int = 5, rounds: int = 3) -> list[Resolution]:
        """Resolve the place names of one report together: unambiguous names anchor the others,
        and the countries they fall in become the report's focus.  Unknown names come back
        without suggestions (ask :meth:`suggest` for one)."""
        quiet, self.gz._quiet = self.gz._quiet, True
        try:
            return self._resolve_document(names, context, limit, rounds)
        finally:
            self.gz._quiet = quiet

    def _resolve_document(self, names: Sequence[str], context: Context | None, limit: int,
                          rounds: int) -> list[Resolution]:
        base = context or Context()
        queries: list[str | None] = []
        bad: dict[int, Resolution] = {}
        for i, n in enumerate(names):
            try:
                queries.append(clean_query(n))
            except InputError as exc:
                queries.append(None)
                bad[i] = Resolution(query=str(n), status="unresolved", reason=str(exc))
        # Each distinct name once (a long list repeats names), its rows fetched in batches.
        uniq = list(dict.fromkeys(q for q in queries if q is not None))
        focus0 = self.gz._focus(base)
        res: dict[str, Resolution] = {}
        # A report's names fit in one chunk: their rows, fetched once, serve every round
        # (the rounds resolve the same names again with other anchors; the rows are the same).
        kept = len(uniq) <= CHUNK
        with gc_paused():
            try:
                for start in range(0, len(uniq), CHUNK):
                    part = uniq[start:start + CHUNK]
                    try:
                        self.gz.store.prefetch(skeleton(q) for q in part)
                        for q in part:
                            res[q] = self.gz._with_online(
                                q, focus0, self.gz.grammar.resolve(q, focus0, limit))
                    finally:
                        if not kept:
                            self.gz.store.prefetched = None
                for _ in range(rounds):
                    if not self._document_round(uniq, res, focus0, limit, fetched=kept):
                        break
            finally:
                self.gz.store.prefetched = None
        mark_lone_namesakes(uniq, res, self.gz.weights)
        return [bad[i] if q is None else res[q] for i, q in enumerate(queries)]

    def _document_round(self, uniq: list[str], res: dict[str, Resolution], focus0: Focus,
                        limit: int, *, fetched: bool = False) -> bool:
        """One round: each name whose answer the others can change is resolved again with the
        others' places as anchors and their countries as the report's area.  True if an answer
        changed.  ``fetched``: the rows of every name are prefetched already."""
        own: dict[str, tuple[float, float]] = {}
        for q in uniq:
            r = res[q]
            if r.status == "resolved" and r.place and r.place.kind != "country":
                own[fold(q)] = (r.place.lat, r.place.lon)
        # A long list has too many places to be near each of them: its anchors are the cells
        # (of about 50 km) where most of its places are.
        cells: dict[tuple[float, float], int] = {}
        big = len(set(own.values())) > MAX_DOCUMENT_ANCHORS
        if big:
            for lat, lon in own.values():
                c = (round(lat * 2) / 2, round(lon * 2) / 2)
                cells[c] = cells.get(c, 0) + 1
            top = sorted(cells.items(), key=lambda t: (-t[1], t[0]))[:MAX_DOCUMENT_ANCHORS]
            shared = tuple(c for c, _ in top)
        countries = set(focus0.countries)
        n_named: dict[str, int] = {}
        for r in res.values():
            if r.status == "resolved" and r.place and r.place.country:
                countries.add(r.place.country)
                n_named[r.place.country] = n_named.get(r.place.country, 0) + 1
        kinds = [r.place.kind for r in res.values() if r.status == "resolved" and r.place
                 and r.place.kind in ("admin1", "country")]
        n_admin1_all = kinds.count("admin1")
        fcountries = frozenset(countries)
        weight = anchor_weight(list(own.values()), self.gz.weights) if own else 1.0
        scale = anchor_scale(list(own.values()), self.gz.weights) if own else 0.0
        changed = False
        todo = [q for q in uniq if self._may_change(res[q])]
        for start in range(0, len(todo), CHUNK):
            part = todo[start:start + CHUNK]
            try:
                if not fetched:
                    self.gz.store.prefetch(skeleton(q) for q in part)
                for q in part:
                    prev = res[q]
                    fq = fold(q)
                    if big:
                        mine = own.get(fq)
                        cell = None if mine is None else (round(mine[0] * 2) / 2,
                                                          round(mine[1] * 2) / 2)
                        others = shared if cell is None or cells.get(cell, 0) > 1 else tuple(
                            c for c in shared if c != cell)
                    else:
                        others = tuple(a for k, a in own.items() if k != fq)
                    # Two or more of the other places are provinces or states: a name that is
                    # also one is probably one too.
                    mine_kind = prev.place.kind if prev.status == "resolved" and prev.place \
                        else ""
                    n_admin1 = n_admin1_all - (mine_kind == "admin1")
                    # A name is no evidence for its own reading: a country that only this
                    # name's answer lies in is not the report's when the name is also a
                    # first-level area of another of the report's countries ("Georgia" beside
                    # Alabama and Kansas).
                    mine_cc = prev.place.country if prev.status == "resolved" and prev.place \
                        and prev.place.kind == "country" else ""
                    cc_here = fcountries
                    if mine_cc and n_named.get(mine_cc) == 1 and mine_cc not in \
                            focus0.countries and any(
                                c.place.kind == "admin1" and c.place.country != mine_cc
                                and c.place.country in fcountries for c in prev.candidates):
                        cc_here = fcountries - {mine_cc}
                    focus = Focus(cc_here, focus0.admin1, (*focus0.anchors, *others),
                                  frozenset({"admin1"}) if n_admin1 >= 2 else frozenset(),
                                  explicit=focus0.explicit, region=focus0.region,
                                  anchor_weight=weight, anchor_scale_km=scale)
                    r = self.gz.grammar.resolve(q, focus, limit)
                    if r.status == "unresolved" and prev.match == "online":
                        continue  # answered online in the first pass (offline still has nothing)
                    if (r.place and prev.place and r.place.uid == prev.place.uid
                            and r.status == prev.status):
                        continue
                    res[q] = r
                    changed = True
            finally:
                if not fetched:
                    self.gz.store.prefetched = None
        return changed

    @staticmethod
    def _may_change(r: Resolution) -> bool:
        """Can other places of the report change this answer?  Not when one place alone bears
        the name and it was answered (or nothing bears it)."""
        if r.status == "unresolved" and not r.candidates:
            return False  # nothing bears the name
        if r.status != "resolved":
            return True
        if r.match in ("demonym", "abbreviation", "overlay"):
            return False
        return len({c.place.uid for c in r.candidates}) > 1 or r.match == "fuzzy"


#: Kinds never marked as lone namesakes: areas are large, their points far from a report's
#: towns by nature.
_NOT_LONE = AREA_KINDS | {"river", "lake"}


def mark_lone_namesakes(uniq: Sequence[str], res: dict[str, Resolution],
                        w: RankingWeights) -> None:
    """A small place that is the only one of its name in the gazetteer and lies more than
    ``w.lone_km`` from every other place the document names (at least two of them) keeps its
    answer, at ``w.lone_factor`` of its confidence, with the distance in its reason: a far
    namesake answering only because nothing else bears the name."""
    pts = {q: (r.place.lat, r.place.lon) for q in uniq if (r := res[q]).status == "resolved"
           and r.place is not None}
    if len(set(pts.values())) < 3:
        return
    for q, here in pts.items():
        r = res[q]
        p = r.place
        assert p is not None
        if (p.kind in _NOT_LONE or p.population >= w.world_city_population
                or p.feature_code == "PPLC" or r.match in ("demonym", "abbreviation", "overlay")
                or len({c.place.uid for c in r.candidates}) > 1):
            continue
        near = min((haversine_km(here, o) for k, o in pts.items() if k != q and o != here),
                   default=0.0)
        if near <= w.lone_km:
            continue
        note = (f"the only place of this name, {near:,.0f} km from the document's nearest "
                "other place: perhaps a place the gazetteer lacks")
        res[q] = replace(r, confidence=round(r.confidence * w.lone_factor, 2),
                         reason=f"{r.reason}; {note}" if r.reason else note)
