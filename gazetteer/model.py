"""What the gazetteer answers: places, candidates, resolutions, and the context of a query."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

#: ``demonym``: an adjective or people's name ("Syrian", "Kurdish") taken for its place;
#: ``abbreviation``: "Fla.", "B.C.", "UAE"; ``context``: not a place of the gazetteer, placed
#: by its document (a street or facility at the town the document is about).
MatchKind = Literal["exact", "alias", "normalised", "fuzzy", "overlay", "online", "demonym",
                    "abbreviation", "context"]
#: ``outside_focus``: the query was given an explicit country focus and nothing in or near it
#: (the focus countries and their neighbours) bears the name; the answer lies elsewhere and is
#: given with low confidence and the reason.
Status = Literal["resolved", "ambiguous", "outside_focus", "unresolved"]

#: ACLED geo_precision: 1 the place itself (town, site), 2 near / part of a region,
#: 3 a region or province.
PRECISION_POINT, PRECISION_NEAR, PRECISION_REGION = 1, 2, 3


@dataclass(frozen=True, slots=True)
class Place:
    uid: str  # "geonames:173480", "curated:qasr-al-halabat-sy", "country:SY", "admin1:SY.07"
    name: str
    country: str
    admin1: str | None
    lat: float
    lon: float
    kind: str  # populated_place, country, admin1, military_base, camp, region, ...
    precision: int
    population: int = 0
    feature_code: str | None = None
    source: str = ""
    note: str | None = None
    admin1_name: str | None = None
    # Area features: their extent (west, south, east, north), and the other point convention
    # (``centroid`` when the answer is the reference point, the reference point when it is the
    # centroid), where known.
    bbox: tuple[float, float, float, float] | None = None
    centroid: tuple[float, float] | None = None
    geonames_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["bbox"] = list(self.bbox) if self.bbox else None
        d["centroid"] = list(self.centroid) if self.centroid else None
        return d


@dataclass(slots=True)
class Candidate:
    place: Place
    match: MatchKind
    matched_name: str
    score: float
    distance_km: float | None = None  # to the nearest context anchor, if any
    # The terms of the score, (name, value) in order (see gazetteer.ranking); not in to_dict.
    features: list[tuple[str, float]] | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        d = self.place.to_dict()
        d.update(
            match=self.match,
            matched_name=self.matched_name,
            score=round(self.score, 4),
            distance_km=None if self.distance_km is None else round(self.distance_km, 1),
        )
        return d


@dataclass(slots=True)
class Resolution:
    query: str
    status: Status
    place: Place | None = None
    match: MatchKind | None = None
    matched_name: str | None = None
    confidence: float = 0.0
    precision: int | None = None
    candidates: list[Candidate] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    reason: str | None = None
    # A phrase rather than a bare name ("20 km west of Palmyra", "northern Aleppo countryside"):
    # what it says about the place, and the places it was computed from.
    relation: str | None = None  # offset, direction, named, between, near, outskirts, area, sector
    anchors: list[Place] = field(default_factory=list)
    phrase: str | None = None  # the phrase as written, when it is more than a name
    bearing_deg: float | None = None  # offsets and directions: degrees clockwise from north
    offset_km: float | None = None  # offsets: the distance from the anchor

    @property
    def resolved(self) -> bool:
        return self.status == "resolved"

    @property
    def lat(self) -> float | None:
        return None if self.place is None else self.place.lat

    @property
    def lon(self) -> float | None:
        return None if self.place is None else self.place.lon

    def to_dict(self, candidates: int | None = None) -> dict[str, Any]:
        p = self.place
        cands = self.candidates if candidates is None else self.candidates[:candidates]
        return {
            "query": self.query,
            "status": self.status,
            "name": p.name if p else None,
            "country": p.country if p else None,
            "admin1": p.admin1 if p else None,
            "admin1_name": p.admin1_name if p else None,
            "lat": p.lat if p else None,
            "lon": p.lon if p else None,
            "kind": p.kind if p else None,
            "feature_code": p.feature_code if p else None,
            "population": p.population if p else None,
            "source": p.source if p else None,
            "id": p.uid if p else None,
            "geonames_id": p.geonames_id if p else None,
            "bbox": list(p.bbox) if p and p.bbox else None,
            "centroid": list(p.centroid) if p and p.centroid else None,
            "match": self.match,
            "matched_name": self.matched_name,
            "confidence": round(self.confidence, 3),
            "precision": self.precision,
            "reason": self.reason,
            "candidates": [c.to_dict() for c in cands],
            "suggestions": list(self.suggestions),
            "relation": self.relation,
            "phrase": self.phrase,
            "bearing_deg": self.bearing_deg,
            "offset_km": self.offset_km,
            "anchors": [{"id": a.uid, "name": a.name, "country": a.country, "lat": a.lat,
                         "lon": a.lon, "kind": a.kind} for a in self.anchors],
        }


@dataclass(frozen=True, slots=True)
class Context:
    """What is known around a name: it narrows the choice between namesakes.

    countries   ISO 3166-1 alpha-2 codes of the report's focus ("SY", "IQ").
    admin1      first-level areas in focus, by name or code ("Deir ez-Zor", "SY.07").
    near        points of interest as (lat, lon), e.g. places already placed in the report.
    mentions    other place names in the same report; they are resolved and used as anchors.
    cues        countries the report's text suggests (inferred, not given by the user): places
                elsewhere score lower, but are never refused (see ``countries`` for a focus).
    """

    countries: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    near: tuple[tuple[float, float], ...] = ()
    mentions: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.countries or self.admin1 or self.near or self.mentions or self.cues)

    def with_(self, **changes: Any) -> Context:
        d = {
            "countries": self.countries,
            "admin1": self.admin1,
            "near": self.near,
            "mentions": self.mentions,
            "cues": self.cues,
        }
        d.update(changes)
        return Context(**d)
