"""The vector basemap: countries, lakes, rivers and major places from Natural Earth.

Read from the layers the user installed (``geoevents data install naturalearth``, see
:mod:`gazetteer.naturalearth`), cut to a box around the data and simplified for the map's scale,
so that a map is readable with no network and stays small.  Any GeoDataFrames with the same
columns can be given instead (tests, or a user's own layers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Bounds = tuple[float, float, float, float]  # west, south, east, north

MAX_PLACES = 60


@dataclass(slots=True)
class Basemap:
    """Basemap layers in EPSG:4326, already cut to :attr:`bounds` and simplified.

    ``countries``: polygons with ``name``, ``label_x``, ``label_y``; ``lakes``: polygons with
    ``name``; ``rivers``: lines with ``name``, ``rank``; ``places``: points with ``name``,
    ``rank`` (0 = most important) and ``capital`` (bool).
    """

    bounds: Bounds
    countries: Any = None
    lakes: Any = None
    rivers: Any = None
    places: Any = None
    attribution: str = "Basemap: Natural Earth (public domain)"
    missing: list[str] = field(default_factory=list)  # layers that were not installed
    # English exonyms by gazetteer id ("geonames:170794" -> "Deir ez-Zor"): Natural Earth's
    # NAME_EN where it differs from its local NAME (see :mod:`maps.names`).
    exonyms: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return all(f is None or len(f) == 0 for f in (self.countries, self.lakes, self.rivers,
                                                      self.places))


def padded_bounds(bounds: Bounds, *, factor: float = 0.75, minimum: float = 2.0) -> Bounds:
    """``bounds`` grown on every side by ``factor`` of its larger size (at least ``minimum``
    degrees), kept within the world."""
    w, s, e, n = bounds
    pad = max(minimum, factor * max(e - w, n - s))
    return (max(-180.0, w - pad), max(-85.0, s - pad), min(180.0, e + pad), min(85.0, n + pad))


def tolerance_for(bounds: Bounds) -> float:
    """Simplification tolerance in degrees: about 1/2500 of the box (≈ a pixel on a large
    screen showing the whole box)."""
    w, s, e, n = bounds
    return max(e - w, n - s) / 2500.0


def _col(frame: Any, *names: str) -> Any:
    """The first of ``names`` present in ``frame`` (Natural Earth capitalises inconsistently)."""
    cols = {c.casefold(): c for c in frame.columns}
    for n in names:
        c = cols.get(n.casefold())
        if c is not None:
            return frame[c]
    return None


def _text(series: Any, n: int) -> list[str]:
    if series is None:
        return [""] * n
    return ["" if v is None or v != v else str(v) for v in series]


def _num(series: Any, n: int, default: float) -> list[float]:
    if series is None:
        return [default] * n
    out = []
    for v in series:
        try:
            f = float(v)
        except (TypeError, ValueError):
            f = default
        out.append(default if f != f else f)
    return out


def _cut(frame: Any, bounds: Bounds, tolerance: float) -> Any:
    """Clip to ``bounds``, simplify, drop what became empty."""
    import shapely

    if frame is None or len(frame) == 0:
        return frame
    geoms = shapely.clip_by_rect(frame.geometry.values, *bounds)
    if tolerance > 0:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    frame = frame.set_geometry(geoms)
    keep = ~(frame.geometry.is_empty | frame.geometry.isna())
    return frame[keep].reset_index(drop=True)


def prepare(*, bounds: Bounds, countries: Any = None, lakes: Any = None, rivers: Any = None,
            places: Any = None, max_places: int = MAX_PLACES,
            attribution: str = "Basemap: Natural Earth (public domain)") -> Basemap:
    """A :class:`Basemap` from raw Natural Earth frames (any of them None): normalised columns,
    cut to ``bounds``, simplified, the ``max_places`` most important places kept."""
    import geopandas as gpd

    tol = tolerance_for(bounds)
    out = Basemap(bounds=bounds, attribution=attribution)
    if countries is not None and len(countries):
        n = len(countries)
        names = _text(_col(countries, "NAME", "ADMIN", "name"), n)
        lx = _num(_col(countries, "LABEL_X"), n, float("nan"))
        ly = _num(_col(countries, "LABEL_Y"), n, float("nan"))
        frame = gpd.GeoDataFrame({"name": names, "label_x": lx, "label_y": ly},
                                 geometry=countries.geometry.values, crs=4326)
        out.countries = _cut(frame, bounds, tol)
    if lakes is not None and len(lakes):
        frame = gpd.GeoDataFrame({"name": _text(_col(lakes, "name", "NAME"), len(lakes))},
                                 geometry=lakes.geometry.values, crs=4326)
        out.lakes = _cut(frame, bounds, tol)
    if rivers is not None and len(rivers):
        n = len(rivers)
        frame = gpd.GeoDataFrame(
            {"name": _text(_col(rivers, "name_en", "name", "NAME"), n),
             "rank": _num(_col(rivers, "scalerank", "SCALERANK"), n, 10.0)},
            geometry=rivers.geometry.values, crs=4326)
        w, s, e, nn = bounds
        if max(e - w, nn - s) > 25:  # a large area: only the major rivers
            frame = frame[frame["rank"] <= 6]
        out.rivers = _cut(frame, bounds, tol)
    if places is not None and len(places):
        n = len(places)
        local = _text(_col(places, "NAME", "name"), n)
        english = _text(_col(places, "NAME_EN", "name_en"), n)
        gids = _num(_col(places, "GEONAMEID", "geonameid"), n, 0.0)
        for loc, en, gid in zip(local, english, gids, strict=True):
            if en and gid > 0 and en != loc:
                out.exonyms[f"geonames:{int(gid)}"] = en
        frame = gpd.GeoDataFrame(
            {"name": [en or loc for loc, en in zip(local, english, strict=True)],
             "rank": _num(_col(places, "SCALERANK", "scalerank"), n, 10.0),
             "pop": _num(_col(places, "POP_MAX", "pop_max"), n, 0.0),
             "capital": [c > 0 for c in _num(_col(places, "ADM0CAP", "adm0cap"), n, 0.0)]},
            geometry=places.geometry.values, crs=4326)
        w, s, e, nn = bounds
        inside = frame.geometry.x.between(w, e) & frame.geometry.y.between(s, nn)
        frame = frame[inside & (frame["name"] != "")]
        frame = frame.sort_values(["rank", "pop", "name"], ascending=[True, False, True],
                                  kind="mergesort").head(max_places)
        out.places = frame.drop(columns=["pop"]).reset_index(drop=True)
    return out


def load(bounds: Bounds, *, pad: bool = True) -> Basemap:
    """The basemap around ``bounds`` from the installed Natural Earth layers.  Layers that are
    not installed are listed in :attr:`Basemap.missing` (the map is drawn without them)."""
    from gazetteer import naturalearth as ne

    box = padded_bounds(bounds) if pad else bounds
    big = max(box[2] - box[0], box[3] - box[1]) > 40
    frames: dict[str, Any] = {}
    missing: list[str] = []
    choices = {
        "countries": ("countries_50m", "countries") if big else ("countries", "countries_50m"),
        "lakes": ("lakes",), "rivers": ("rivers",), "places": ("populated_places",),
    }
    for key, layers in choices.items():
        for layer in layers:
            if ne.installed_path(layer) is not None:
                frames[key] = ne.read_layer(layer, bbox=box, feature="map basemap")
                break
        else:
            missing.append(layers[0])
    base = prepare(bounds=box, **frames)
    base.missing = missing
    return base
