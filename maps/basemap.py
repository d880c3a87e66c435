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
MAX_LABELS = 5000  # gazetteer places offered to the page's label placement

# Zoom bands of the interactive map: (first zoom, simplification tolerance in degrees, decimals
# kept).  The small-scale band generalises the 50 m layer to about the detail of Natural Earth's
# 110 m one; the large-scale band keeps the 10 m layer nearly as it is (about 90 m).
BANDS: tuple[tuple[float, float, int], ...] = ((0.0, 0.03, 2), (6.0, 0.006, 3), (8.5, 0.0008, 4))


def min_zoom(population: float, capital: bool = False) -> float:
    """The first zoom at which a place's label may be shown (when there is room for it)."""
    if capital or population >= 1_000_000:
        return 3.0
    for pop, z in ((250_000, 5.0), (100_000, 6.0), (30_000, 7.0), (5_000, 8.0)):
        if population >= pop:
            return z
    return 9.0


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
    # The same layers before simplification (clipped to :attr:`bounds`), for the zoom bands of
    # the interactive map; ``countries_small``: the 50 m countries for small scales.
    detail: dict[str, Any] = field(default_factory=dict)
    # Place labels: [lat, lon, name, min zoom, population, capital], most important first
    # (Natural Earth's places over the wide area, with its own first zoom, and the gazetteer's
    # places around the data, villages included).
    labels: list[list[Any]] = field(default_factory=list)
    # Country labels: [lat, lon, name, area, first zoom] (Natural Earth's LABEL_X/Y and
    # MIN_LABEL), the largest first; water labels: [lat, lon, name, first zoom].
    country_labels: list[list[Any]] = field(default_factory=list)
    sea_labels: list[list[Any]] = field(default_factory=list)

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


def _cut(frame: Any, bounds: Bounds | None, tolerance: float) -> Any:
    """Clip to ``bounds`` (None: no clip), simplify, drop what became empty."""
    import shapely

    if frame is None or len(frame) == 0:
        return frame
    geoms = frame.geometry.values
    if bounds is not None:
        geoms = shapely.clip_by_rect(geoms, *bounds)
    if tolerance > 0:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    frame = frame.set_geometry(geoms)
    keep = ~(frame.geometry.is_empty | frame.geometry.isna())
    return frame[keep].reset_index(drop=True)


def _countries_frame(countries: Any) -> Any:
    import geopandas as gpd

    n = len(countries)
    names = _text(_col(countries, "NAME_EN", "NAME", "ADMIN", "name"), n)
    lx = _num(_col(countries, "LABEL_X"), n, float("nan"))
    ly = _num(_col(countries, "LABEL_Y"), n, float("nan"))
    mz = _num(_col(countries, "MIN_LABEL"), n, 3.0)
    return gpd.GeoDataFrame({"name": names, "label_x": lx, "label_y": ly, "min_label": mz},
                            geometry=countries.geometry.values, crs=4326)


def country_labels(frame: Any, bounds: Bounds) -> list[list[Any]]:
    """[lat, lon, name, area, first zoom] for each named country of ``frame`` (see
    :func:`_countries_frame`): at Natural Earth's label point, or, when that lies outside
    ``bounds``, at a point of the country's part inside them; the largest first."""
    import shapely

    w, s, e, n = bounds
    out = []
    if frame is None or len(frame) == 0:
        return out
    for name, lx, ly, mz, g in zip(frame["name"], frame["label_x"], frame["label_y"],
                                   frame["min_label"], frame.geometry.values, strict=True):
        if not name or g is None or g.is_empty:
            continue
        if not (w <= lx <= e and s <= ly <= n):
            part = shapely.clip_by_rect(g, w, s, e, n)
            if part.is_empty:
                continue
            p = part.representative_point()
            lx, ly = p.x, p.y
        out.append([round(ly, 3), round(lx, 3), name, round(float(g.area), 2), float(mz)])
    out.sort(key=lambda c: (-c[3], c[2]))
    return out


def english_river_names(names: list[str], geoms: Any) -> list[str]:
    """Each river's English name from the river table (``data/rivers.yaml``: "Al Furat" and
    "Firat" are parts of the Euphrates) where a part of that name lies in the table's box for
    it; other names as they are."""
    try:
        from gazetteer import rivers as rv

        table = rv.table()
    except Exception:  # the table is optional for drawing
        return list(names)
    by_segment: dict[str, list[Any]] = {}
    for info in table.values():
        for seg in info.segments:
            by_segment.setdefault(seg, []).append(info)
    out = []
    for name, g in zip(names, geoms, strict=True):
        english = name
        for info in by_segment.get(name, ()):
            if g is None or g.is_empty:
                continue
            x0, y0, x1, y1 = g.bounds
            w, s, e, n = info.bbox
            if x0 <= e and x1 >= w and y0 <= n and y1 >= s:
                english = info.name
                break
        out.append(english)
    return out


def prepare(*, bounds: Bounds, countries: Any = None, lakes: Any = None, rivers: Any = None,
            places: Any = None, max_places: int = MAX_PLACES, countries_small: Any = None,
            labels: list[list[Any]] | None = None, wide: Bounds | None = None,
            marine: Any = None,
            attribution: str = "Basemap: Natural Earth (public domain)") -> Basemap:
    """A :class:`Basemap` from raw Natural Earth frames (any of them None): normalised columns,
    cut to ``bounds``, simplified, the ``max_places`` most important places kept.
    ``countries_small``: 50 m countries for small scales (default: ``countries``);
    ``labels``: place labels (see :attr:`Basemap.labels`; default: from ``places``);
    ``wide``: the area of the small-scale band, where countries, seas and Natural Earth's
    places are named (default: the box of ``countries_small``, else ``bounds``); ``marine``:
    Natural Earth's marine polygons for the sea labels (default: the built-in
    :data:`maps.seas.SEAS`)."""
    import geopandas as gpd

    from .seas import sea_labels

    tol = tolerance_for(bounds)
    out = Basemap(bounds=bounds, attribution=attribution)
    if countries is not None and len(countries):
        frame = _countries_frame(countries)
        out.detail["countries"] = _cut(frame, bounds, 0.0)
        out.countries = _cut(out.detail["countries"], None, tol)
    if countries_small is not None and len(countries_small):
        out.detail["countries_small"] = _cut(_countries_frame(countries_small), None, 0.0)
    if wide is None:
        small = out.detail.get("countries_small")
        if small is not None and len(small):
            x0, y0, x1, y1 = (float(v) for v in small.total_bounds)
            wide = (min(bounds[0], x0), min(bounds[1], y0),
                    max(bounds[2], x1), max(bounds[3], y1))
        else:
            wide = bounds
    named = out.detail.get("countries_small")
    if named is None or len(named) == 0:
        named = out.detail.get("countries")
    out.country_labels = country_labels(named, wide)
    if out.countries is not None or out.detail.get("countries_small") is not None:
        out.sea_labels = sea_labels(wide, marine)
    if lakes is not None and len(lakes):
        # min_label: Natural Earth's first zoom for the name (Dead Sea 4, Lake Assad 6.7)
        frame = gpd.GeoDataFrame({"name": _text(_col(lakes, "name_en", "name", "NAME"),
                                                len(lakes)),
                                  "min_label": _num(_col(lakes, "min_label"), len(lakes), 0.0)},
                                 geometry=lakes.geometry.values, crs=4326)
        out.detail["lakes"] = _cut(frame, bounds, 0.0)
        out.lakes = _cut(out.detail["lakes"], None, tol)
    if rivers is not None and len(rivers):
        n = len(rivers)
        frame = gpd.GeoDataFrame(
            {"name": english_river_names(_text(_col(rivers, "name_en", "name", "NAME"), n),
                                         rivers.geometry.values),
             "rank": _num(_col(rivers, "scalerank", "SCALERANK"), n, 10.0),
             "min_label": _num(_col(rivers, "min_label"), n, 0.0)},
            geometry=rivers.geometry.values, crs=4326)
        out.detail["rivers"] = _cut(frame, bounds, 0.0)
        w, s, e, nn = bounds
        if max(e - w, nn - s) > 25:  # a large area: only the major rivers
            frame = frame[frame["rank"] <= 6]
        out.rivers = _cut(frame, bounds, tol)
    if places is not None and len(places):
        n = len(places)
        local = _text(_col(places, "NAME", "name"), n)
        english = _text(_col(places, "NAME_EN", "name_en"), n)
        gids = _num(_col(places, "GEONAMEID", "geonameid"), n, 0.0)
        # Natural Earth's cartographic name (NAME_EN, else NAME: "Basra", "Medina", "Deir
        # ez-Zor") is the English name of the GeoNames place it points to.
        # The shipped English exonyms win over it (Natural Earth names Palmyra "Tadmur").
        from .names import english_names

        table = english_names()
        shown = []
        for loc, en, gid in zip(local, english, gids, strict=True):
            english_name = (table.get(f"geonames:{int(gid)}") if gid > 0 else None) or en
            shown.append(english_name or loc)
            # only an English name is an exonym: a local NAME ("Trablous") is not
            if english_name and gid > 0:
                out.exonyms[f"geonames:{int(gid)}"] = english_name
        pops = _num(_col(places, "POP_MAX", "pop_max"), n, 0.0)
        caps = [c > 0 for c in _num(_col(places, "ADM0CAP", "adm0cap"), n, 0.0)]
        first = _num(_col(places, "min_zoom", "MIN_ZOOM"), n, float("nan"))
        frame = gpd.GeoDataFrame(
            {"name": shown,
             "rank": _num(_col(places, "SCALERANK", "scalerank"), n, 10.0),
             "pop": pops, "capital": caps,
             # Natural Earth's own first zoom for the label where it has one
             "zoom": [min_zoom(p, c) if z != z or z <= 0 else z
                      for p, c, z in zip(pops, caps, first, strict=True)]},
            geometry=places.geometry.values, crs=4326)
        frame = frame[frame["name"] != ""]
        frame = frame.sort_values(["rank", "pop", "name"], ascending=[True, False, True],
                                  kind="mergesort")
        w, s, e, nn = wide
        in_wide = frame[frame.geometry.x.between(w, e) & frame.geometry.y.between(s, nn)]
        if labels is None:
            labels = [[round(g.y, 4), round(g.x, 4), nm, float(z), int(pop), bool(cap)]
                      for g, nm, pop, cap, z in zip(in_wide.geometry, in_wide["name"],
                                                    in_wide["pop"], in_wide["capital"],
                                                    in_wide["zoom"], strict=True)]
        w, s, e, nn = bounds
        frame = frame[frame.geometry.x.between(w, e) & frame.geometry.y.between(s, nn)]
        out.places = frame.head(max_places).drop(columns=["pop", "zoom"]).reset_index(drop=True)
    out.labels = list(labels or [])
    return out


def city_radius_deg(population: float) -> float:
    """About how far a city of ``population`` reaches from its point, in degrees (2 km plus
    3 km per square root of 100,000 people: ~7 km for 300,000, ~13 km for 1.3 million)."""
    return (2.0 + 3.0 * (max(0.0, population) / 100_000) ** 0.5) / 111.0


def gazetteer_labels(bounds: Bounds, exonyms: dict[str, str] | None = None,
                     limit: int = MAX_LABELS, near: Bounds | None = None,
                     major: list[list[Any]] | None = None) -> list[list[Any]] | None:
    """Place labels: ``major`` (Natural Earth's places, [lat, lon, name, first zoom,
    population, capital], the cartographer's choice of cities with their own first zoom) and
    the populated places of the installed gazetteer index: the ``limit`` most populous in
    ``bounds`` and, when ``near`` (the data's box) is given, up to ``limit`` more in and just
    around it, villages included; English exonyms where known, romanisation marks folded.

    A gazetteer place that is one of ``major`` (same GeoNames id, a key of ``exonyms``, or the
    same name within a quarter of a degree: Natural Earth's point under another id) is not
    repeated; one within the reach of a city (:func:`city_radius_deg`) of ``major``, or of a
    more populous gazetteer place, is a part of that city (GeoNames lists quarters such as "Al
    Mawsil al Jadidah" as places of their own) and is named only from zoom 11.  With ``major``
    given, gazetteer places are named from zoom 6 at the earliest (the larger places are
    ``major``'s).  None when there is no index (drawing a map never builds one)."""
    import sqlite3

    from gazetteer import paths

    from .names import exonym, fold

    path = paths.default_index_path()
    if not path.is_file():
        return None
    boxes = [bounds]
    if near is not None:
        boxes.append((near[0] - 0.25, near[1] - 0.25, near[2] + 0.25, near[3] + 0.25))
    rows: dict[str, tuple[Any, ...]] = {}
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for w, s, e, n in boxes:
                for r in con.execute(
                        "SELECT uid, name, lat, lon, population, fcode, importance, country "
                        "FROM places "
                        "WHERE kind = 'populated_place' AND lat BETWEEN ? AND ? "
                        "AND lon BETWEEN ? AND ? "
                        "ORDER BY population DESC, importance DESC, uid LIMIT ?",
                        (s, n, w, e, limit)):
                    rows.setdefault(r[0], r)
        finally:
            con.close()
    except sqlite3.Error:
        return None
    ex = exonyms or {}
    major = [list(m) for m in (major or [])]
    floor = 6.0 if major else 0.0
    out = list(major)
    # Cities by 0.1-degree cell: (lat, lon, reach in degrees)
    cities: dict[tuple[int, int], list[tuple[float, float, float]]] = {}

    def add_city(lat: float, lon: float, pop: float) -> None:
        if pop >= 20_000:
            cities.setdefault((int(lat * 10), int(lon * 10)), []).append(
                (lat, lon, city_radius_deg(pop)))

    def in_city(lat: float, lon: float) -> bool:
        cell = (int(lat * 10), int(lon * 10))
        for dx in (-2, -1, 0, 1, 2):
            for dy in (-2, -1, 0, 1, 2):
                for la, lo, r in cities.get((cell[0] + dx, cell[1] + dy), ()):
                    if (la - lat) ** 2 + ((lo - lon) * 0.85) ** 2 < r * r:
                        return True
        return False

    named: dict[str, list[tuple[float, float]]] = {}  # Natural Earth's names and points
    for m in major:
        add_city(m[0], m[1], max(float(m[4]), 100_000.0 if m[5] else 0.0))
        named.setdefault(m[2], []).append((m[0], m[1]))
    order = sorted(rows.values(), key=lambda r: (-(r[4] or 0), -(r[6] or 0), r[0]))
    for uid, name, lat, lon, pop, fcode, _imp, country in order:
        if fcode in ("PPLH", "PPLQ", "PPLW"):  # historical, abandoned, destroyed
            continue
        if major and uid in ex:
            continue  # Natural Earth's place, already there
        capital = fcode == "PPLC"
        # A section of a city (PPLX) is named only when zoomed in on that city.
        mz = 11.0 if fcode == "PPLX" else max(floor, min_zoom(pop or 0, capital))
        if in_city(lat, lon) and not capital:
            mz = max(mz, 11.0)
        else:
            add_city(lat, lon, pop or 0)
        shown = exonym(uid, ex) or fold(name, country)
        if any(abs(la - lat) < 0.25 and abs(lo - lon) < 0.25 for la, lo in named.get(shown, ())):
            continue  # Natural Earth's point of the same town under another id: named once
        out.append([round(lat, 4), round(lon, 4), shown, mz, int(pop or 0), capital])
    # Most important first: capitals and the earliest zooms, then by population.
    out.sort(key=lambda r: (not r[5], r[3], -r[4], r[2]))
    return out


def load(bounds: Bounds, *, pad: bool = True) -> Basemap:
    """The basemap around ``bounds`` from the installed Natural Earth layers.  Layers that are
    not installed are listed in :attr:`Basemap.missing` (the map is drawn without them)."""
    from gazetteer import naturalearth as ne

    box = padded_bounds(bounds) if pad else bounds
    frames: dict[str, Any] = {}
    missing: list[str] = []
    choices = {
        "countries": ("countries", "countries_50m"), "countries_small": ("countries_50m",),
        "lakes": ("lakes",), "rivers": ("rivers",), "places": ("populated_places",),
    }

    # Small scales (zoomed out) show a wider area, from the 50 m layer.
    wide = padded_bounds(bounds, factor=3.0, minimum=20.0)
    for key, layers in choices.items():
        for layer in layers:
            if ne.installed_path(layer) is not None:
                frames[key] = ne.read_layer(
                    layer, bbox=wide if key in ("countries_small", "places") else box,
                    feature="map basemap")
                break
        else:
            if key != "countries_small":
                missing.append(layers[0])
    from .seas import marine_file

    # Natural Earth's marine polygons (the optional layer "marine"), else a copy put in the
    # folder by hand; without them the seas are named from the built-in table.
    marine = ne.installed_path("marine") or marine_file(ne.folder())
    if marine is not None:
        import pyogrio

        frames["marine"] = pyogrio.read_dataframe(str(marine), bbox=wide)
    base = prepare(bounds=box, wide=wide, **frames)
    labels = gazetteer_labels(box, base.exonyms, near=bounds, major=base.labels)
    if labels is not None:
        base.labels = labels
    base.missing = missing
    return base
