"""Relative and area phrases as reports write them, and the geometry they imply.

Standalone API (the resolver uses it; so can anyone holding two points):

- :func:`parse` reads a phrase into a :class:`Phrase`: ``"20 km west of Palmyra"`` (an offset
  from an anchor), ``"Qasr al-Halabat west of Palmyra"`` (a named place beside an anchor),
  ``"between Hajin and al-Susah"``, ``"near the town of Mayadeen"`` / ``"the outskirts of Deir
  Ezzor"`` (proximity), ``"Deir ez-Zor province"``, ``"the eastern province of Deir Ezzor"``,
  ``"northern Aleppo countryside"``, ``"eastern Syria"``, ``"desert areas of the neighbouring
  province of Homs"`` (areas, with an optional sector).  ``None`` when the phrase is a bare name.
- :func:`offset` (a point at a distance and bearing from another, on the WGS 84 ellipsoid) and
  :func:`midpoint` (the geodesic midpoint of two points), with pyproj's ``Geod``.
- :func:`sector_point` (a representative point of the northern/eastern/... part of an area, from
  the places inside it).

Precision (ACLED ``geo_precision``): offsets, "between", "near" and "outskirts" give 2; areas and
their sectors give 3.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

#: Compass words -> azimuth in degrees (clockwise from north).
BEARINGS: dict[str, float] = {
    "north": 0, "n": 0, "northeast": 45, "ne": 45, "east": 90, "e": 90, "southeast": 135,
    "se": 135, "south": 180, "s": 180, "southwest": 225, "sw": 225, "west": 270, "w": 270,
    "northwest": 315, "nw": 315,
}
_DIR = (r"(?:north|south)[\s-]?(?:east|west)|north|south|east|west|ne|nw|se|sw|n|s|e|w")
_DIR_ADJ = (r"(?:north|south)[\s-]?(?:east|west)(?:ern)?|northern|southern|eastern|western|"
            r"central|north|south|east|west")
UNITS_KM = {"km": 1.0, "kms": 1.0, "kilometer": 1.0, "kilometre": 1.0, "kilometers": 1.0,
            "kilometres": 1.0, "k": 1.0, "mi": 1.609344, "mile": 1.609344, "miles": 1.609344,
            "m": 0.001, "meter": 0.001, "metre": 0.001, "meters": 0.001, "metres": 0.001}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                 "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
                 "a hundred": 100, "hundred": 100}
_NUM = r"\d+(?:[.,]\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_UNIT = "|".join(sorted(UNITS_KM, key=len, reverse=True))
_ABOUT = r"(?:(?:about|some|around|approximately|approx\.?|roughly|nearly|almost|over|" \
         r"less than|more than|up to|~)\s+)?"

#: Words that make a name an area: they decide between a city and its province.
AREA_WORDS = {"province": "admin1", "governorate": "admin1", "gov": "admin1",
              "muhafazah": "admin1", "muhafaza": "admin1", "wilayah": "admin1",
              "state": "admin1", "region": "region", "district": "admin2", "county": "admin2",
              "countryside": "countryside", "rural": "countryside", "desert": "desert",
              "badia": "desert", "badiya": "desert", "prefecture": "admin1",
              "oblast": "admin1", "krai": "admin1", "voivodeship": "admin1"}
_AREA_WORD = r"province|governorate|gov\.?|muhafazah?|wilayah|region|district|county|" \
             r"countryside|desert|badiya|badia|prefecture|oblast|krai|voivodeship"
# "County Kerry", "Co. Antrim": the county (Irish and British usage puts the word first).
_COUNTY_FIRST = re.compile(r"^(?:the\s+)?(?:county|co\.?)\s+(?P<name>[^\W\d_][^,]*)$", re.I)
_ADJ = r"(?:neighbou?ring|nearby|adjacent|adjoining|restive|vast|rural|remote|oil[\s-]rich|" \
       r"mountainous|sprawling|whole|entire|same|desert|arid|agricultural|border|" + _DIR_ADJ + r")"

_OFFSET = re.compile(
    rf"^{_ABOUT}(?P<num>{_NUM})\s*-?\s*(?P<unit>{_UNIT})\.?\s+(?:to\s+the\s+)?"
    rf"(?:(?P<dir>{_DIR})(?:ern|erly)?\s+of|from|outside(?:\s+of)?|away\s+from)\s+(?P<anchor>.+)$",
    re.I)
_DIR_OF = re.compile(
    rf"^(?:(?:just|directly|due|immediately|slightly|further|far)\s+)?(?:to\s+the\s+)?"
    rf"(?P<dir>{_DIR})(?:ern|erly)?\s+of\s+(?P<anchor>.+)$", re.I)
_NAMED_DIR_OF = re.compile(
    rf"^(?P<name>[^,]+?),?\s+(?:(?:just|directly|due|some|about)\s+)?(?:(?P<num>{_NUM})\s*-?\s*"
    rf"(?P<unit>{_UNIT})\.?\s+)?(?:to\s+the\s+)?(?P<dir>{_DIR})(?:ern|erly)?\s+of\s+"
    rf"(?P<anchor>.+)$", re.I)
_BETWEEN = re.compile(r"^(?:(?:the\s+)?(?:area|road|region|desert|countryside|villages?|towns?)"
                      r"\s+)?(?:halfway\s+|midway\s+)?between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$",
                      re.I)
# "the eastern province of Deir Ezzor", "desert areas of the neighbouring province of Homs",
# "the desert of Homs province", "the countryside of Aleppo"
_AREA_OF = re.compile(
    rf"^(?:(?:the|its|a|an)\s+)?(?:(?P<pre>(?:{_ADJ}\s+)*)(?P<word>{_AREA_WORD}|areas?|parts?|"
    rf"regions?|stretches|expanses?|reaches|countryside|outskirts|suburbs|vicinity|"
    rf"surroundings|environs)\s+)(?:of|around|in)\s+(?P<rest>.+)$", re.I)
# "Deir ez-Zor province", "Aleppo's northern countryside", "northern Aleppo countryside",
# "eastern Syria", "the Homs desert"
_AREA_SUFFIX = re.compile(
    rf"^(?:(?P<dir1>{_DIR_ADJ})\s+)?(?P<name>.+?)(?:'s|’s)?\s+(?:(?P<dir2>{_DIR_ADJ})\s+)?"
    rf"(?P<word>{_AREA_WORD})$", re.I)
_SECTOR = re.compile(rf"^(?P<dir>{_DIR_ADJ})\s+(?P<name>.+)$", re.I)
_PROXIMITY = re.compile(
    r"^(?P<rel>near(?:by)?|close to|around|outside(?:\s+of)?|in the vicinity of|"
    r"(?:on\s+|in\s+)?the\s+outskirts\s+of|outskirts\s+of|on the edge of|"
    r"(?:in\s+)?the\s+surroundings\s+of|(?:in\s+)?the\s+countryside\s+of|"
    r"(?:in\s+)?the\s+environs\s+of)\s+(?P<anchor>.+)$", re.I)
_LEADING = re.compile(r"^(?:in|at|on|from|into|to|toward|towards|across|inside|within)\s+", re.I)
_THE = re.compile(r"^the\s+", re.I)


@dataclass(frozen=True, slots=True)
class Phrase:
    """What a place phrase says.

    relation   "offset", "direction" (a direction without distance), "named" (a named place
               beside an anchor), "between", "near", "outskirts", "area", "sector"
    names      the place names in it (the anchor(s), or the area)
    bearing    degrees clockwise from north, for offset/direction/named/sector
    distance_km for offset
    area_word  admin1 / admin2 / region / countryside / desert, when a word names the area kind
    sector     north, east, ..., central: the part of an area meant
    """

    relation: str
    names: tuple[str, ...]
    bearing: float | None = None
    distance_km: float | None = None
    area_word: str | None = None
    sector: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def bearing_of(word: str) -> float | None:
    w = re.sub(r"[\s-]", "", word.lower())
    for suffix in ("ern", "erly"):
        if w.endswith(suffix) and w[: -len(suffix)] in BEARINGS:
            w = w[: -len(suffix)]
    return BEARINGS.get(w)


def _sector(word: str | None) -> str | None:
    if not word:
        return None
    w = re.sub(r"[\s-]", "", word.lower())
    if w == "central":
        return "central"
    b = bearing_of(w)
    if b is None:
        return None
    return {0: "north", 45: "northeast", 90: "east", 135: "southeast", 180: "south",
            225: "southwest", 270: "west", 315: "northwest"}[int(b)]


def _number(text: str) -> float:
    t = text.lower().strip()
    if t in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[t])
    return float(t.replace(",", "."))


def _strip(text: str) -> str:
    return text.strip(" ,.;:")


def parse(phrase: str) -> Phrase | None:
    """Read a place phrase; None when it is a bare name (or nothing this module knows)."""
    s = " ".join(phrase.split())
    s = _THE.sub("", _LEADING.sub("", s))
    m = _BETWEEN.match(s)
    if m:
        return Phrase("between", (_strip(m.group("a")), _strip(m.group("b"))))
    m = _OFFSET.match(s)
    if m:
        dist = _number(m.group("num")) * UNITS_KM[m.group("unit").lower().rstrip(".")]
        b = bearing_of(m.group("dir")) if m.group("dir") else None
        return Phrase("offset" if b is not None else "near", (_strip(m.group("anchor")),),
                      bearing=b, distance_km=dist)
    m = _DIR_OF.match(s)
    if m:
        return Phrase("direction", (_strip(m.group("anchor")),), bearing=bearing_of(m.group("dir")))
    m = _PROXIMITY.match(s)
    if m:
        rel = "outskirts" if re.search(r"outskirts|edge|surroundings|environs|countryside",
                                       m.group("rel"), re.I) else "near"
        return Phrase(rel, (_strip(m.group("anchor")),))
    m = _AREA_OF.match(s)
    if m:
        word = m.group("word").lower()
        pre = m.group("pre") or ""
        rest = _strip(m.group("rest"))
        inner = parse(rest)
        sector = None
        # "the eastern province of X": the adjective describes the province, not a part of it;
        # "the northern countryside of X", "eastern parts of X": a part of it.
        if word not in ("province", "governorate", "region", "district") and pre:
            sector = next((x for x in (_sector(w) for w in pre.split()) if x), None)
        area_word = AREA_WORDS.get(word)
        if word in ("outskirts", "suburbs", "vicinity", "surroundings", "environs"):
            return Phrase("outskirts", (rest,))
        if inner is not None and inner.relation in ("area", "sector"):
            return Phrase("sector" if (sector or inner.sector) else "area", inner.names,
                          area_word=inner.area_word or area_word, sector=sector or inner.sector)
        if inner is not None:
            return inner
        return Phrase("sector" if sector else "area", (_THE.sub("", rest),),
                      area_word=area_word or ("desert" if "desert" in pre.lower() else None),
                      sector=sector)
    m = _COUNTY_FIRST.match(s)
    if m:
        return Phrase("area", (_strip(m.group("name")),), area_word="county_first")
    m = _AREA_SUFFIX.match(s)
    if m:
        name = _THE.sub("", _strip(m.group("name")))
        sector = _sector(m.group("dir1")) or _sector(m.group("dir2"))
        word = m.group("word").lower().rstrip(".")
        return Phrase("sector" if sector else "area", (name,), area_word=AREA_WORDS.get(word),
                      sector=sector)
    m = _SECTOR.match(s)
    if m and _sector(m.group("dir")):
        rest = _THE.sub("", _strip(m.group("name")))
        if rest and not re.match(rf"^(?:{_AREA_WORD}|areas?|parts?)\b", rest, re.I):
            return Phrase("sector", (rest,), sector=_sector(m.group("dir")))
    m = _NAMED_DIR_OF.match(s)
    if m and not re.match(rf"^(?:{_NUM})\b", m.group("name"), re.I):
        dist = (_number(m.group("num")) * UNITS_KM[m.group("unit").lower().rstrip(".")]
                if m.group("num") else None)
        return Phrase("named", (_strip(m.group("name")), _strip(m.group("anchor"))),
                      bearing=bearing_of(m.group("dir")), distance_km=dist)
    return None


# --------------------------------------------------------------------------------------------
# Geometry on the WGS 84 ellipsoid

_GEOD = None


def _geod():
    global _GEOD
    if _GEOD is None:
        from pyproj import Geod

        _GEOD = Geod(ellps="WGS84")
    return _GEOD


def offset(lat: float, lon: float, distance_km: float, bearing_deg: float
           ) -> tuple[float, float]:
    """The point ``distance_km`` from (lat, lon) towards ``bearing_deg`` (clockwise from north),
    along the geodesic."""
    lon2, lat2, _ = _geod().fwd(lon, lat, bearing_deg, distance_km * 1000.0)
    return float(lat2), float(lon2)


def midpoint(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """The geodesic midpoint of two (lat, lon) points."""
    g = _geod()
    az, _, dist = g.inv(a[1], a[0], b[1], b[0])
    lon2, lat2, _ = g.fwd(a[1], a[0], az, dist / 2.0)
    return float(lat2), float(lon2)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(_geod().inv(a[1], a[0], b[1], b[0])[2]) / 1000.0


def bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Azimuth from a to b, degrees clockwise from north in [0, 360)."""
    return float(_geod().inv(a[1], a[0], b[1], b[0])[0]) % 360.0


def sector_point(points: Sequence[tuple[float, float]], sector: str
                 ) -> tuple[float, float] | None:
    """A representative point of a part of an area, given places inside the area: the place
    nearest to the median of those lying in that part (the outer third of the places' extent
    towards the sector's direction; the middle third for "central").  Being one of the area's
    places, it lies inside the area."""
    if not points:
        return None
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lat0, lat1, lon0, lon1 = lats[0], lats[-1], lons[0], lons[-1]
    dlat, dlon = (lat1 - lat0) / 3.0, (lon1 - lon0) / 3.0

    def inside(p: tuple[float, float]) -> bool:
        ok = True
        if sector == "central":
            return lat0 + dlat <= p[0] <= lat1 - dlat and lon0 + dlon <= p[1] <= lon1 - dlon
        if "north" in sector:
            ok &= p[0] >= lat1 - (dlat * 1.5 if len(sector) > 5 else dlat)
        if "south" in sector:
            ok &= p[0] <= lat0 + (dlat * 1.5 if len(sector) > 5 else dlat)
        if "east" in sector:
            ok &= p[1] >= lon1 - (dlon * 1.5 if len(sector) > 5 else dlon)
        if "west" in sector:
            ok &= p[1] <= lon0 + (dlon * 1.5 if len(sector) > 5 else dlon)
        return ok

    part = [p for p in points if inside(p)]
    if not part:
        return None
    mlat = sorted(p[0] for p in part)[len(part) // 2]
    mlon = sorted(p[1] for p in part)[len(part) // 2]
    return min(part, key=lambda p: (p[0] - mlat) ** 2 + (p[1] - mlon) ** 2)
