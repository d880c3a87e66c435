"""The interactive map: one self-contained, offline HTML file built with folium.

folium lays out the page (the Leaflet map, one layer per event type, line and zone, the layer
control, scale bar, optional web tiles); the incidents, lines, zones and basemap travel as one
compact JSON document that the runtime in ``maps/static/geoevents-map.js`` draws, with popups
built in the page when they are opened.  Leaflet and the runtime are inlined (see
:mod:`maps.assets`): with no web tiles asked for, the page makes no network request.

Output is deterministic: folium's random element ids are replaced by sequential ones and every
collection is written in a fixed order.
"""

from __future__ import annotations

import html
import json
import math
from datetime import date
from typing import Any

from . import assets, style
from .basemap import Basemap, Bounds
from .schema import (
    INCIDENT_OPTIONAL,
    SchemaError,
    check_incidents,
    check_lines,
    check_zones,
)

SVG_LIMIT = 4000  # up to this many incidents are drawn as SVG (one DOM element each)
COMPRESS_OVER = 2_000_000  # data documents larger than this (bytes) are gzipped in the page
_EPOCH = date(1970, 1, 1).toordinal()
TILE_PRESETS = {
    "osm": "OpenStreetMap",
    "openstreetmap": "OpenStreetMap",
}


# ---- values from a frame -------------------------------------------------------------------
def _missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    if isinstance(v, str | int | list | tuple | dict):
        return False
    try:
        import pandas as pd

        return v is pd.NA or v is pd.NaT or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _str(v: Any) -> str:
    if type(v) is str:
        return v
    return "" if _missing(v) else str(v)


def _number(v: Any) -> float | None:
    """A cell as a float; None when missing, empty, not a number or NaN."""
    if _missing(v) or v == "":
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _int(v: Any) -> int | None:
    f = _number(v)
    return None if f is None else round(f)


def _float(v: Any, nd: int) -> float | None:
    f = _number(v)
    return None if f is None else round(f, nd)


def _bool(v: Any) -> bool:
    if _missing(v):
        return False
    if isinstance(v, str):
        return v.strip().lower() in ("1", "true", "yes", "y")
    return bool(v)


def _day(v: Any) -> int | None:
    s = _date(v)[:10]
    try:
        return date.fromisoformat(s).toordinal() - _EPOCH
    except ValueError:
        return None


class _Strings:
    """A string table: repeated strings (outlets, actors, places) are written once."""

    def __init__(self) -> None:
        self.table: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, s: Any) -> int | None:
        text = s if type(s) is str else _str(s)
        if not text:
            return None
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.table)
            self.table.append(text)
        return i


def _date(v: Any) -> str:
    """An ISO date from text or a date/timestamp (GDAL reads GeoJSON dates as datetimes)."""
    if _missing(v):
        return ""
    if hasattr(v, "strftime"):
        return str(v.strftime("%Y-%m-%d"))
    return str(v).strip()


def _json_list(raw: Any, column: str, ident: str) -> list[dict[str, Any]]:
    if isinstance(raw, list | tuple | dict):
        value: Any = raw  # GDAL turns JSON text in GeoJSON properties into lists/objects
    elif hasattr(raw, "tolist") and not isinstance(raw, str):
        value = raw.tolist()
    else:
        text = _str(raw).strip()
        if not text:
            return []
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SchemaError(f"incident {ident}: column {column} is not valid JSON ({exc.msg} "
                              f"at character {exc.pos})") from None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SchemaError(f"incident {ident}: column {column} must be a JSON list of objects")
    return value


def _names(v: Any) -> list[Any]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v] if v else []
    if isinstance(v, list | tuple):
        return [str(x) for x in v if not _missing(x) and str(x)]
    return [str(v)]


def _coords(frame: Any) -> tuple[list[float], list[float]]:
    """lat, lon of each row: the Point geometry where present, else the lat/lon columns."""
    import numpy as np
    import pandas as pd
    import shapely

    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if "geometry" in frame.columns and len(frame):
        geoms = np.asarray(frame.geometry.values, dtype=object)
        points = shapely.get_type_id(geoms) == 0  # Point (missing geometries: -1)
        points &= ~shapely.is_empty(geoms)
        lon = np.where(points, shapely.get_x(geoms), lon)
        lat = np.where(points, shapely.get_y(geoms), lat)
    lats = [None if v != v else v for v in np.round(lat, 6).tolist()]
    lons = [None if v != v else v for v in np.round(lon, 6).tolist()]
    bad = [str(frame["id"].iloc[i]) for i, (la, lo) in enumerate(zip(lats, lons, strict=True))
           if la is None or lo is None or not (-90 <= la <= 90 and -180 <= lo <= 180)]
    if bad:
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise SchemaError(f"{len(bad)} incident(s) without valid coordinates: "
                          f"{', '.join(bad[:5])}{more}")
    return lats, lons  # type: ignore[return-value]


# ---- the data document ---------------------------------------------------------------------
# Each incident's details travel as a positional list in this order (trailing empty values left
# out); :func:`record` and the page's runtime turn it back into named fields.
RECORD_FIELDS = ("ds", "de", "dp", "st", "pl", "pr", "pid", "cc", "a1", "a", "fl", "fb", "fh",
                 "w", "cas", "cl", "src", "no", "z", "nm", "cn")
_DEFAULTS: dict[str, Any] = {"a": [None, None, None], "cas": [], "cl": [], "src": [], "pl": "",
                             "no": ""}


def _pack(x: dict[str, Any]) -> list[Any]:
    values = [x.get(k) for k in RECORD_FIELDS]
    while values and values[-1] in (None, "", [], [None, None, None]):
        values.pop()
    return values


def record(doc: dict[str, Any], i: int) -> dict[str, Any]:
    """The details of incident ``i`` of a data document, by name (dates as text)."""
    packed = doc["inc"]["x"][i]
    x = {k: (packed[j] if j < len(packed) else _DEFAULTS.get(k))
         for j, k in enumerate(RECORD_FIELDS)}
    for k, v in _DEFAULTS.items():
        if x[k] is None:
            x[k] = v
    S = doc["S"]
    x["ds"] = S[x["ds"]] if x["ds"] is not None else ""
    x["de"] = S[x["de"]] if x["de"] is not None else ""
    x["nm"] = S[x["nm"]] if x["nm"] is not None else ""
    x["cn"] = S[x["cn"]] if x["cn"] is not None else ""
    x["src"] = [[o, u, S[p] if p is not None else "", q] for o, u, p, q in x["src"]]
    return x


def _interned(frame: Any, name: str, S: _Strings, conv: Any = None) -> list[int | None]:
    """Column ``name`` as string-table indexes (each distinct value converted and interned
    once); all None when the column is absent."""
    import pandas as pd

    if name not in frame.columns:
        return [None] * len(frame)
    codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)
    table = [S(conv(u) if conv else u) for u in uniques]
    return [None if c < 0 else table[c] for c in codes.tolist()]


def _mapped(frame: Any, name: str, fn: Any) -> list[Any]:
    """``fn`` of each value of column ``name``, computed once per distinct value."""
    import pandas as pd

    if name not in frame.columns:
        return [fn(None)] * len(frame)
    codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)
    table = [fn(u) for u in uniques]
    none = fn(None)
    return [none if c < 0 else table[c] for c in codes.tolist()]


def _ints(frame: Any, name: str) -> list[int | None]:
    import pandas as pd

    if name not in frame.columns:
        return [None] * len(frame)
    values = pd.to_numeric(frame[name], errors="coerce").round()
    mask = values.isna().tolist()
    return [None if m else int(v) for v, m in zip(values.tolist(), mask, strict=True)]


def _json_lists(frame: Any, column: str, ids: list[str]) -> list[list[dict[str, Any]]]:
    """Column ``column`` parsed: one JSON parse for the whole column, row by row only to say
    which row is broken."""
    if column not in frame.columns:
        return [[] for _ in ids]
    values = frame[column].tolist()
    out: list[Any] = [None] * len(values)
    pending: list[int] = []
    texts: list[str] = []
    for i, v in enumerate(values):
        if isinstance(v, list | tuple | dict) or (hasattr(v, "tolist") and not isinstance(v, str)):
            out[i] = _json_list(v, column, ids[i])
            continue
        text = _str(v).strip()
        if not text or text == "[]":
            out[i] = []
        else:
            pending.append(i)
            texts.append(text)
    if pending:
        try:
            parsed = json.loads("[" + ",".join(texts) + "]")
        except json.JSONDecodeError:
            parsed = None
        if parsed is None or len(parsed) != len(pending):
            for i in pending:
                out[i] = _json_list(values[i], column, ids[i])
        else:
            for i, value in zip(pending, parsed, strict=True):
                if type(value) is list and all(type(v) is dict for v in value):
                    out[i] = value  # the common case, already what _json_list returns
                else:
                    out[i] = _json_list(value, column, ids[i])
    return out


def incidents_payload(frame: Any, S: _Strings, exonyms: dict[str, str] | None = None
                      ) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, int]]:
    """The compact incident data, the type table and the outlets (with counts)."""
    from .names import country_name, display_names

    check_incidents(frame)
    n = len(frame)
    lats, lons = _coords(frame)
    type_list: list[style.TypeStyle] = [*style.EVENT_TYPES, style.OTHER]
    type_index = {t.name: k for k, t in enumerate(type_list)}
    counts = [0] * len(type_list)
    has_zone = any(c in frame.columns for c in INCIDENT_OPTIONAL)
    ids = [v or f"row {i + 1}" for i, v in enumerate(_mapped(frame, "id", _str))]
    types = _mapped(frame, "event_type", lambda v: type_index[style.type_style(_str(v)).name])
    # A missing geo_precision is unknown (0), never "at the named place".
    precs = [0 if p is None else p for p in _ints(frame, "geo_precision")]
    day0 = _mapped(frame, "date_start", _day)
    day1 = _mapped(frame, "date_end", _day)
    ds = _interned(frame, "date_start", S, _date)
    de = _interned(frame, "date_end", S, _date)
    interned = {k: _interned(frame, c, S) for k, c in (
        ("dp", "date_precision"), ("st", "sub_event_type"), ("pr", "place_resolved"),
        ("pid", "place_id"), ("cc", "country"), ("a1", "admin1"), ("actor1", "actor1"),
        ("actor2", "actor2"), ("assoc", "assoc_actors"))}
    places = _mapped(frame, "place", _str)
    shown = [S(v) for v in display_names(frame, exonyms)]
    cnames = _interned(frame, "country", S, lambda v: country_name(_str(v)))
    notes = _mapped(frame, "notes", _str)
    fl, fb, fh, w = (_ints(frame, c) for c in ("fatalities_low", "fatalities_best",
                                                "fatalities_high", "wounded_best"))
    cas_all = _json_lists(frame, "casualties_json", ids)
    claims_all = _json_lists(frame, "claims_json", ids)
    sources_all = _json_lists(frame, "sources_json", ids)
    if has_zone:
        zone = [_interned(frame, c, S) for c in ("zone_party", "zone_bank", "zone_side",
                                                 "line_id")]
        zdist = _mapped(frame, "line_distance_km", lambda v: _float(v, 1))
        znear = _mapped(frame, "near_line", _bool)
    out: dict[str, list[Any]] = {"id": ids, "lat": lats, "lon": lons, "t": types, "p": precs,
                                 "f": fb, "d0": [], "d1": [], "x": []}
    outlets: dict[str, int] = {}
    I = interned  # noqa: E741 - short name for a long table of columns
    idx = S.index

    def sid(v: Any) -> int | None:  # S(v), with the common case (text already in the table) fast
        if type(v) is str:
            k = idx.get(v)
            if k is not None:
                return k
        return S(v)

    def pub(v: Any) -> int | None:
        return sid(v.strip() if type(v) is str else _date(v))

    cols = [ds, de, I["dp"], I["st"], places, I["pr"], I["pid"], I["cc"], I["a1"]]
    actors = list(zip(I["actor1"], I["actor2"], I["assoc"], strict=True))
    zones_x = (list(zip(zone[0], zone[1], zone[2], zone[3], zdist, znear, strict=True))
               if has_zone else None)
    empty = ("", None, [], [None, None, None])
    d0s, d1s, xs = out["d0"], out["d1"], out["x"]
    for i in range(n):
        counts[types[i]] += 1
        d0, d1 = day0[i], day1[i]
        if d0 is None:
            d0 = d1
        if d1 is None or (d0 is not None and d1 < d0):
            d1 = d0
        sources = sources_all[i]
        for src in sources:
            o = src.get("outlet")
            o = o.strip() if type(o) is str else _str(o).strip()
            if o:
                outlets[o] = outlets.get(o, 0) + 1
        cas = cas_all[i]
        claims = claims_all[i]
        # positional, in the order of RECORD_FIELDS (see record())
        values = [c[i] for c in cols]
        values += [
            list(actors[i]), fl[i], fb[i], fh[i], w[i],
            [[sid(c.get("side")), sid(c.get("kind")), _int(c.get("low")), _int(c.get("best")),
              _int(c.get("high")), sid(c.get("source")), _str(c.get("quote"))]
             for c in cas] if cas else [],
            [[sid(c.get("claimant")), _str(c.get("claim")),
              [sid(v) for v in _names(c.get("confirmed_by"))],
              [sid(v) for v in _names(c.get("not_confirmed_by"))],
              _bool(c.get("independent"))] for c in claims] if claims else [],
            [[sid(src.get("outlet")), sid(src.get("url")), pub(src.get("published")),
              _str(src.get("quote"))] for src in sources],
            notes[i], list(zones_x[i]) if zones_x is not None else None, shown[i], cnames[i],
        ]
        while values and values[-1] in empty:
            values.pop()
        d0s.append(d0)
        d1s.append(d1)
        xs.append(values)
    type_rows = [{"name": ts.name, "color": ts.color, "shape": ts.shape, "count": counts[k]}
                 for k, ts in enumerate(type_list)]
    return out, type_rows, outlets


def _round_coords(obj: Any, nd: int) -> Any:
    if isinstance(obj, float):
        return round(obj, nd)
    if isinstance(obj, list | tuple):
        return [_round_coords(v, nd) for v in obj]
    return obj


def geometry_json(geom: Any, nd: int = 5) -> dict[str, Any] | None:
    import shapely.geometry

    if geom is None or geom.is_empty:
        return None
    g = shapely.geometry.mapping(geom)
    return {"type": g["type"], "coordinates": _round_coords(g["coordinates"], nd)}


def _validity(row: Any) -> tuple[str, str]:
    return _str(row.get("valid_from")), _str(row.get("valid_to"))


def lines_payload(lines: Any) -> list[dict[str, Any]]:
    if lines is None or len(lines) == 0:
        return []
    check_lines(lines)
    out = []
    for _, row in lines.iterrows():
        geom = geometry_json(row.geometry)
        if geom is None:
            raise SchemaError(f"line {_str(row['id'])}: empty geometry")
        vf, vt = _validity(row)
        out.append({
            "id": _str(row["id"]), "name": _str(row["name"]), "kind": _str(row["kind"]),
            "river": _str(row["river"]), "party_left": _str(row["party_left"]),
            "party_right": _str(row["party_right"]), "side_left": _str(row["side_left"]),
            "side_right": _str(row["side_right"]), "color": _str(row["color"]) or "#222222",
            "valid_from": vf, "valid_to": vt, "geom": geom,
        })
    return out


def _label_point(geom: Any, avoid: list[tuple[float, float]]) -> Any:
    """Where a zone's label goes: inside the zone, well inside it, and as far as possible from
    the incidents and the labels already placed (``avoid``, lon/lat), so that it hides nothing.
    Candidates are the poles of inaccessibility of the zone cut into a 4 x 4 grid."""
    import shapely
    from shapely.geometry import box
    from shapely.ops import polylabel

    if geom is None or geom.is_empty or geom.area <= 0:
        return None
    w, s, e, n = geom.bounds
    dx, dy = (e - w) / 4, (n - s) / 4
    far = shapely.points(avoid) if avoid else None
    best, best_score = None, -1.0
    for ix in range(4):
        for iy in range(4):
            piece = geom.intersection(box(w + ix * dx, s + iy * dy, w + (ix + 1) * dx,
                                          s + (iy + 1) * dy))
            if piece.is_empty or piece.area < 0.03 * geom.area:
                continue
            part = max(getattr(piece, "geoms", [piece]), key=lambda g: g.area)
            if part.geom_type != "Polygon":
                continue
            try:
                p = polylabel(part, tolerance=max(dx, dy) / 50)
            except Exception:
                p = part.representative_point()
            if not geom.contains(p):
                continue
            inner = geom.exterior.distance(p) if hasattr(geom, "exterior") else \
                geom.boundary.distance(p)
            clear = min(1.0, float(shapely.distance(far, p).min())) if far is not None else 1.0
            score = clear + 0.5 * inner
            if score > best_score:
                best, best_score = p, score
    return best if best is not None else geom.representative_point()


def zones_payload(zones: Any, avoid: list[tuple[float, float]] | None = None
                  ) -> list[dict[str, Any]]:
    """The zones, each with a label point away from ``avoid`` (incident lon/lat)."""
    import shapely

    if zones is None or len(zones) == 0:
        return []
    check_zones(zones)
    out = []
    avoid = list(avoid or [])
    for _, row in zones.iterrows():
        g = row.geometry
        if g is None or g.is_empty:
            raise SchemaError(f"zone {_str(row['id'])}: empty geometry")
        g = shapely.simplify(g, 0.0005, preserve_topology=True)
        lp = _label_point(g, avoid)
        if lp is not None:
            avoid.append((lp.x, lp.y))
        vf, vt = _validity(row)
        out.append({
            "id": _str(row["id"]), "line_id": _str(row["line_id"]), "party": _str(row["party"]),
            "bank": _str(row["bank"]), "side": _str(row["side"]),
            "color": _str(row["color"]) or "#888888", "valid_from": vf, "valid_to": vt,
            "width_km": _float(row.get("width_km"), 1), "geom": geometry_json(g, 4),
            "label": [round(lp.y, 4), round(lp.x, 4)] if lp is not None else None,
        })
    return out


AREA_REQUIRED = ("party", "status", "color", "as_of", "valid_from")
HEXAGON_REQUIRED = ("cell", "period_start", "period_end", "count")


def _require(frame: Any, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in (*columns, "geometry") if c not in frame.columns]
    if missing:
        raise SchemaError(f"{what} frame lacks column(s) {', '.join(missing)}")


def areas_payload(areas: Any) -> list[dict[str, Any]]:
    """Control areas (the AREAS frame): one entry per area and date, in date order."""
    import shapely

    if areas is None or len(areas) == 0:
        return []
    _require(areas, AREA_REQUIRED, "areas")
    out = []
    frame = areas.reset_index(drop=True)
    geoms = shapely.simplify(frame.geometry.values, 0.0005, preserve_topology=True)
    for k, row in frame.iterrows():
        g = geometry_json(geoms[k], 4)
        if g is None:
            continue
        out.append({
            "id": _str(row.get("area_id")) or f"area-{k + 1}", "party": _str(row["party"]),
            "status": _str(row["status"]) or "held", "party2": _str(row.get("party2")),
            "color": _str(row["color"]) or "#888888", "color2": _str(row.get("color2")),
            "as_of": _date(row["as_of"]), "valid_from": _date(row["valid_from"]),
            "valid_to": _date(row.get("valid_to")), "n": _int(row.get("n_places")),
            "sources": _str(row.get("sources")), "geom": g,
        })
    out.sort(key=lambda a: (a["valid_from"], a["as_of"], a["id"]))
    return out


def hexagons_payload(hexagons: Any) -> dict[str, Any] | None:
    """Aggregates (the HEXAGONS frame): each cell and period with its count, compactly (rings
    of the hexagons' corners) and the count classes of the colour scale."""
    if hexagons is None or len(hexagons) == 0:
        return None
    _require(hexagons, HEXAGON_REQUIRED, "hexagons")
    import shapely

    frame = hexagons.reset_index(drop=True)
    n = len(frame)

    def col(name: str, f: Any) -> list[Any]:  # column by column: 10^5 cell-periods in seconds
        if name not in frame.columns:
            return [f(None)] * n
        s = frame[name]
        if f is _date and hasattr(s, "dt"):
            return s.dt.strftime("%Y-%m-%d").fillna("").tolist()
        return [f(v) for v in s.tolist()]

    counts = [v or 0 for v in col("count", _int)]
    cell, p0, p1 = col("cell", _str), col("period_start", _date), col("period_end", _date)
    fat, etype, res = col("fatalities", _int), col("event_type", _str), col("resolution", _int)
    geoms = frame.geometry.values
    wkbs = shapely.to_wkb(geoms)
    rings: dict[bytes, list[list[float]]] = {}  # a cell's ring, once for all its periods
    cells = []
    for k in range(n):
        g = geoms[k]
        if g is None or g.is_empty:
            continue
        ring = rings.get(wkbs[k])
        if ring is None:
            poly = max(getattr(g, "geoms", [g]), key=lambda p: p.area)
            ring = rings[wkbs[k]] = [[round(y, 4), round(x, 4)]
                                     for x, y in list(poly.exterior.coords)[:-1]]
        cells.append([cell[k], p0[k], p1[k], counts[k], fat[k], etype[k], ring, res[k]])
    cells.sort(key=lambda c: (c[1], c[0], c[5]))
    top = max(counts) if counts else 1
    classes = sorted({max(1, round(top * f)) for f in (0.0, 0.1, 0.25, 0.5, 0.75)})
    return {"cells": cells, "classes": classes,
            "colors": ["#fee8c8", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"]}


def _features(frame: Any, props: list[str], tolerance: float, nd: int) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of ``frame`` simplified to ``tolerance`` degrees."""
    import shapely

    feats: list[dict[str, Any]] = []
    if frame is not None and len(frame):
        geoms = frame.geometry.values
        if tolerance > 0:
            geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
        values = {p: frame[p].tolist() for p in props}
        for k, g in enumerate(geoms):
            gj = geometry_json(g, nd)
            if gj is not None:
                feats.append({"type": "Feature", "geometry": gj,
                              "properties": {p: values[p][k] for p in props}})
    return {"type": "FeatureCollection", "features": feats}


def _line_anchors(frame: Any, spacing: float) -> list[list[Any]]:
    """Label points along named lines: [lat, lon, name, rank], about every ``spacing``
    degrees of each river (at least one per river, on its longest part)."""
    import shapely

    out: list[list[Any]] = []
    if frame is None or len(frame) == 0:
        return out
    for name, part in frame.groupby("name", sort=True):
        if not name:
            continue
        merged = shapely.union_all(part.geometry.values)
        if merged.geom_type == "MultiLineString":
            merged = shapely.line_merge(merged)
        pieces = sorted(getattr(merged, "geoms", [merged]), key=lambda g: -g.length)
        rank = float(part["rank"].min())
        first = float(part["min_label"].min()) if "min_label" in part.columns else 0.0
        for piece in pieces[:4]:
            if piece.length < spacing / 3 and piece is not pieces[0]:
                continue
            k = max(1, int(piece.length / spacing))
            for j in range(k):
                p = piece.interpolate((j + 0.5) / k, normalized=True)
                out.append([round(p.y, 4), round(p.x, 4), str(name), rank, first])
    return out


def _area_anchors(frame: Any, min_area: float) -> list[list[Any]]:
    out: list[list[Any]] = []
    if frame is None or len(frame) == 0:
        return out
    first = frame["min_label"].tolist() if "min_label" in frame.columns else [0.0] * len(frame)
    for name, g, z in zip(frame["name"].tolist(), frame.geometry.values, first, strict=True):
        if name and g is not None and not g.is_empty and g.area >= min_area:
            p = g.representative_point()
            out.append([round(p.y, 4), round(p.x, 4), str(name), round(float(g.area), 4),
                        float(z)])
    return out


def basemap_payload(base: Basemap | None) -> dict[str, Any] | None:
    """The basemap in zoom bands (each layer simplified for its scales), the country labels
    and the candidate place, river and lake labels the page places without overlap."""
    from .basemap import BANDS

    if base is None or base.empty:
        return None
    w, s, e, n = base.bounds
    size = max(e - w, n - s)
    detail = base.detail
    bands = []
    for k, (z0, tol, nd) in enumerate(BANDS):
        tol = max(tol, size / 25000) if k == len(BANDS) - 1 else tol
        small = k == 0 and detail.get("countries_small") is not None
        countries = detail.get("countries_small") if small else detail.get(
            "countries", base.countries)
        rivers = detail.get("rivers", base.rivers)
        if rivers is not None and k == 0:
            rivers = rivers[rivers["rank"] <= 6]
        bands.append({
            "z": z0,
            "countries": _features(countries, [], tol, nd),
            "lakes": _features(detail.get("lakes", base.lakes), [], tol, nd),
            # the detailed band's rivers carry their names: zoomed in, a river is named
            # where it crosses the screen
            "rivers": _features(rivers, ["rank", "name"] if k == len(BANDS) - 1 else ["rank"],
                                tol, nd),
            "riverLabels": _line_anchors(rivers, (3.0, 1.0, 0.3)[k]),
            "lakeLabels": _area_anchors(detail.get("lakes", base.lakes),
                                        (0.05, 0.005, 0.0005)[k]),
        })
    for b in bands:
        for f in b["rivers"]["features"]:
            f["properties"]["rank"] = float(f["properties"]["rank"])
    # [lat, lon, NAME, first zoom]: Natural Earth's MIN_LABEL says from which zoom a country
    # is named (Turkey from 2, Lebanon from 4, Siachen Glacier from 6.5).
    countries = [[c[0], c[1], c[2], c[4]] for c in base.country_labels]
    return {"bands": bands, "countryLabels": countries, "places": base.labels,
            "seaLabels": base.sea_labels}


def data_bounds(incidents: Any, lines: Any = None, zones: Any = None, areas: Any = None,
                hexagons: Any = None) -> Bounds | None:
    """(west, south, east, north) of the incidents, else of the lines, else of the zones (else
    of the control areas, else of the hexagons)."""
    for frame in (incidents, lines, zones, areas, hexagons):
        if frame is not None and len(frame):
            if "geometry" in frame.columns:
                w, s, e, n = (float(v) for v in frame.total_bounds)
            else:
                w, e = float(frame["lon"].astype(float).min()), float(frame["lon"].astype(float).max())
                s, n = float(frame["lat"].astype(float).min()), float(frame["lat"].astype(float).max())
            if all(math.isfinite(v) for v in (w, s, e, n)):
                if frame is incidents and lines is not None and len(lines):
                    lw, ls, le, ln = (float(v) for v in lines.total_bounds)
                    w, s, e, n = min(w, lw), min(s, ls), max(e, le), max(n, ln)
                return (w, s, e, n)
    return None


def _range(days0: list[int], days1: list[int], areas: list[dict[str, Any]],
           hexagons: dict[str, Any] | None) -> list[int] | None:
    """[first day, last day] of the incidents, widened to the control areas' dates and the
    hexagons' periods."""
    days = [*days0, *days1]
    for a in areas:
        days.extend(d for d in (_day(a["valid_from"]), _day(a["as_of"])) if d is not None)
    for c in (hexagons or {}).get("cells", []):
        days.extend(d for d in (_day(c[1]), _day(c[2])) if d is not None)
    return [min(days), max(days)] if days else None


def _fmt_day(d: int) -> str:
    return date.fromordinal(d + _EPOCH).isoformat()


def subtitle_for(d0: list[int | None], d1: list[int | None], n: int) -> str:
    days = [d for d in (*d0, *d1) if d is not None]
    what = f"{n} incident{'' if n == 1 else 's'}"
    if not days:
        return what
    a, b = min(days), max(days)
    span = _fmt_day(a) if a == b else f"{_fmt_day(a)} to {_fmt_day(b)}"
    return f"{span} · {what}"


def _outlet_attribution(outlets: dict[str, int], limit: int = 8) -> str | None:
    if not outlets:
        return None
    names = sorted(outlets, key=lambda o: (-outlets[o], o.casefold()))
    text = ", ".join(names[:limit])
    if len(names) > limit:
        text += f" and {len(names) - limit} more"
    return f"Reporting: {text}"


def _script_safe(text: str) -> str:
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


#: Above this many incidents their details (``inc.x``: what only popups and tooltips read) go
#: into the page as one JSON text (``inc.xs``), which the page parses after the map is drawn:
#: parsing them is most of the work of reading a large document.
DEFER_DETAILS_OVER = 4000


def encode_document(doc: dict[str, Any]) -> tuple[str, str | None]:
    """The data document as it goes into the page: JSON, or gzip-compressed JSON in base64
    (``"gzip+base64"``) when it is larger than :data:`COMPRESS_OVER` bytes.  gzip's header
    time is fixed, so the output stays deterministic.  With more than
    :data:`DEFER_DETAILS_OVER` incidents the details travel as a JSON text (``inc.xs``)."""
    inc = doc.get("inc")
    if isinstance(inc, dict) and len(inc.get("x") or ()) > DEFER_DETAILS_OVER:
        xs = json.dumps(inc["x"], ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        doc = {**doc, "inc": {**{k: v for k, v in inc.items() if k != "x"}, "xs": xs}}
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if len(raw) <= COMPRESS_OVER:
        return _script_safe(raw), None
    import base64
    import gzip

    packed = gzip.compress(raw.encode("utf-8"), compresslevel=4, mtime=0)
    return base64.b64encode(packed).decode("ascii"), "gzip+base64"


def decode_document(text: str, encoding: str | None) -> dict[str, Any]:
    """The inverse of :func:`encode_document` (for tests and tools reading a page)."""
    if encoding == "gzip+base64":
        import base64
        import gzip

        doc = json.loads(gzip.decompress(base64.b64decode(text)).decode("utf-8"))
    else:
        doc = json.loads(text)
    inc = doc.get("inc") if isinstance(doc, dict) else None
    if isinstance(inc, dict) and isinstance(inc.get("xs"), str):
        inc["x"] = json.loads(inc.pop("xs"))
    return doc


def build_document(incidents: Any, lines: Any = None, zones: Any = None, *,
                   basemap: Basemap | None = None, title: str = "Incidents",
                   subtitle: str | None = None, attribution: tuple[str, ...] | list[str] = (),
                   renderer: str = "auto", areas: Any = None,
                   hexagons: Any = None) -> dict[str, Any]:
    """The JSON document the page runtime draws (also used by the briefing table)."""
    S = _Strings()
    inc, types, outlets = incidents_payload(
        incidents, S, basemap.exonyms if basemap is not None else None)
    n = len(inc["id"])
    if renderer == "auto":
        renderer = "svg" if n <= SVG_LIMIT else "canvas"
    if renderer not in ("svg", "canvas"):
        raise ValueError(f"renderer must be auto, svg or canvas, not {renderer!r}")
    days0 = [d for d in inc["d0"] if d is not None]
    days1 = [d for d in inc["d1"] if d is not None]
    attributions: list[str] = []
    if basemap is not None and not basemap.empty:
        attributions.append(basemap.attribution)
    place_ids = incidents["place_id"].astype(str) if n else []
    if n and any(p.startswith("geonames:") for p in place_ids):
        attributions.append("Places: GeoNames (CC BY 4.0)")
    o = _outlet_attribution(outlets)
    if o:
        attributions.append(o)
    if lines is not None and len(lines) and "source" in lines.columns:
        for src in dict.fromkeys(_str(v).strip() for v in lines["source"]):
            if src:
                attributions.append(f"Control line: {src}")
    attributions.extend(a for a in attribution if a)
    bounds = data_bounds(incidents, lines, zones, areas, hexagons)
    area_list = areas_payload(areas)
    hexes = hexagons_payload(hexagons) if hexagons is not None else None
    if area_list and "sources" in areas.columns:
        # Each area carries its sources (in its popup); the attribution line names a few.
        srcs = list(dict.fromkeys(v for a in area_list for v in a["sources"].split("; ") if v))
        if srcs:
            more = f" and {len(srcs) - 3} more" if len(srcs) > 3 else ""
            attributions.append("Control areas: " + "; ".join(srcs[:3]) + more)
    return {
        "v": 1, "title": title, "xf": list(RECORD_FIELDS),
        "subtitle": subtitle if subtitle is not None else subtitle_for(inc["d0"], inc["d1"], n),
        "renderer": renderer, "S": S.table, "types": types, "inc": inc,
        "range": _range(days0, days1, area_list, hexes),
        "undated": sum(1 for d in inc["d0"] if d is None),
        "precRadiusKm": {str(k): v for k, v in style.PRECISION_RADIUS_KM.items()},
        "precLabel": {str(k): v for k, v in style.PRECISION_LABEL.items()},
        "size": {"base": style.RADIUS_BASE, "scale": style.RADIUS_SCALE, "max": style.RADIUS_MAX,
                 "legend": list(style.SIZE_LEGEND)},
        "style": {"land": style.LAND, "landEdge": style.LAND_EDGE, "water": style.WATER,
                  "river": style.RIVER, "place": style.PLACE},
        "lines": lines_payload(lines),
        "zones": zones_payload(zones, list(zip(inc["lon"], inc["lat"], strict=True))[:20000]),
        "base": basemap_payload(basemap),
        "areas": area_list, "hexagons": hexes,
        "bounds": [round(v, 5) for v in bounds] if bounds else None,
        "attribution": attributions,
    }


# ---- folium --------------------------------------------------------------------------------
def layer_name(text: str) -> str:
    """A layer-control label: Leaflet puts it in the page as HTML and folium passes it through
    a template, so markup and template braces are neutralised."""
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")


def _tile_layer(tiles: str, attr: str | None) -> Any:
    import folium

    spec = TILE_PRESETS.get(tiles.strip().lower(), tiles.strip())
    if "{" not in spec:
        return folium.TileLayer(spec, name="Web tiles", overlay=True, control=True,
                                attr=layer_name(attr) if attr else None)
    if not spec.startswith(("http://", "https://", "file:")):
        raise ValueError(f"tiles must be a preset (osm) or an http(s) URL template, not {tiles!r}")
    if not attr:
        from urllib.parse import urlsplit

        attr = f"Tiles: {urlsplit(spec).hostname or spec}"
    return folium.TileLayer(spec, name="Web tiles", overlay=True, control=True,
                            attr=layer_name(attr))


def render_html(incidents: Any, lines: Any = None, zones: Any = None, *,
                basemap: Basemap | None = None, title: str = "Incidents",
                subtitle: str | None = None, tiles: str | None = None,
                tiles_attribution: str | None = None,
                attribution: tuple[str, ...] | list[str] = (), renderer: str = "auto",
                collapsed_layers: bool | None = None, notice: str | None = None,
                document: dict[str, Any] | None = None, areas: Any = None,
                hexagons: Any = None) -> str:
    """One self-contained HTML page showing ``incidents`` (and ``lines``, ``zones``).

    ``basemap`` is a :class:`maps.basemap.Basemap` (see :func:`maps.load_basemap`) or None;
    ``tiles`` (a preset such as ``"osm"`` or an ``http(s)://.../{z}/{x}/{y}.png`` template) adds
    web tiles above the vector basemap: the only case where the page makes network requests.
    ``renderer``: ``svg`` (one element per incident), ``canvas`` (for many) or ``auto``.
    ``notice``: a line shown at the foot of the map (escaped; text in `backticks` is shown as
    code), e.g. which command adds the basemap when Natural Earth is not installed.
    ``document``: the result of :func:`build_document` for the same arguments, to reuse (a
    briefing builds it once for the map, the image and the table).
    ``areas``: an AREAS frame (control areas, drawn as of the date selected); ``hexagons``: a
    HEXAGONS frame (counts per h3 cell and period), both as ``docs/maps.md`` describes.
    """
    import folium

    from .page import GeoeventsInit, Inline, OfflineMap, sequential_names

    doc = document if document is not None else build_document(
        incidents, lines, zones, basemap=basemap, title=title, subtitle=subtitle,
        attribution=attribution, renderer=renderer, areas=areas, hexagons=hexagons)
    tl = _tile_layer(tiles, tiles_attribution) if tiles else None

    b = doc["bounds"] or (35.0, 32.0, 42.5, 37.5)
    m = OfflineMap(location=[round((b[1] + b[3]) / 2, 5), round((b[0] + b[2]) / 2, 5)],
                   zoom_start=6, tiles=None, control_scale=True, zoom_snap=0.25)
    fig = m.get_root()
    fig.title = html.escape(title)
    fig.header.add_child(Inline(
        f"<style>{assets.leaflet_css()}</style>\n<style>{assets.runtime_css()}</style>\n"),
        name="geoevents_css")
    fig.header.add_child(Inline(
        f"<script>{assets.script_text(assets.leaflet_js())}</script>\n"
        f"<script>{assets.script_text(assets.runtime_js())}</script>\n"), name="geoevents_js")
    created: list[Any] = [m]
    if tl is not None:
        tl.add_to(m)
        created.append(tl)

    def group(name: str, show: bool = True, control: bool = True) -> Any:
        fg = folium.FeatureGroup(name=name, show=show, control=control)
        fg.add_to(m)
        created.append(fg)
        return fg

    groups: dict[str, Any] = {"types": [], "lines": [], "zones": []}
    for t in doc["types"]:
        groups["types"].append(group(layer_name(f"Incidents: {t['name']} ({t['count']})"),
                                     control=t["count"] > 0))
    if any(p >= 2 for p in doc["inc"]["p"]):
        # With many incidents the rings would cover the map (and cost seconds to paint): they
        # start hidden, one click away in the layer control.
        groups["areas"] = group("Approximate locations (dashed rings)",
                                show=doc["renderer"] == "svg")
    for ln in doc["lines"]:
        groups["lines"].append(group(layer_name(f"Line: {ln['name'] or ln['id']}")))
    if doc.get("areas"):
        groups["control"] = group("Control areas (as of the date shown)")
    if doc.get("hexagons"):
        groups["hex"] = group("Hexagons: incidents per cell")
    for z in doc["zones"]:
        groups["zones"].append(group(layer_name(
            f"Zone: {z['party'] or 'party not given'}"
            + (f" ({z['side']} side)" if z["side"] else ""))))
    if doc["base"] is not None:
        groups["labels"] = group("Place names (Natural Earth)")
        groups["base"] = group("Basemap (Natural Earth)")
    n_overlays = sum(1 for g in created[1:] if getattr(g, "control", False))
    layers = folium.LayerControl(collapsed=(n_overlays > 6) if collapsed_layers is None
                                 else collapsed_layers)
    layers.add_to(m)
    init = GeoeventsInit(m, groups)
    m.add_child(init, name="geoevents_init")
    created += [layers, init]
    # The data document goes in last, after the ids were made sequential, so that no report
    # text is ever touched by that replacement.
    slot = "<!--geoevents-data-" + "0" * 24 + "-->"
    fig.html.add_child(Inline(slot), name="geoevents_data")
    if notice:
        fig.html.add_child(Inline(_notice_html(notice)), name="geoevents_notice")
    page = sequential_names(fig.render(), created)
    text, encoding = encode_document(doc)
    data = (f'<script type="application/json" id="ge-data-{m_name(page)}"'
            + (f' data-encoding="{encoding}"' if encoding else "") + f">{text}</script>\n")
    head, _, tail = page.partition(slot)
    return head + data + tail


def m_name(page: str) -> str:
    """The map's (sequential) name in a rendered page."""
    import re

    found = re.search(r'<div class="folium-map" id="(map_[0-9]{4})"', page)
    return found.group(1) if found else "map_0000"


def _notice_html(text: str) -> str:
    """A small box at the foot of the map: ``text`` escaped, `backticked` parts as code."""
    parts = html.escape(text).split("`")
    body = "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
    return ('<div class="ge-notice" role="note" style="position:fixed;left:10px;bottom:64px;'
            "z-index:1000;max-width:min(640px,calc(100% - 20px));padding:6px 10px;"
            "background:#fff8e1;border:1px solid #e0b000;border-radius:4px;"
            'font:13px/1.4 system-ui,sans-serif;color:#333">' + body + "</div>\n")


def render_fragment(page_html: str, *, title: str = "Map", height: str = "600px") -> str:
    """An HTML fragment to paste into a briefing page: the map in a sandboxed ``<iframe>``
    whose ``srcdoc`` holds the whole page (no file beside it, no script shared with the host
    page)."""
    return (
        f'<figure class="geoevents-map" style="margin:0">\n'
        f'<iframe title="{html.escape(title, quote=True)}" '
        f'style="width:100%;height:{html.escape(height, quote=True)};border:1px solid #ccc" '
        f'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
        f'srcdoc="{html.escape(page_html, quote=True)}"></iframe>\n'
        f"<figcaption>{html.escape(title)}</figcaption>\n</figure>\n"
    )
