"""Control areas: the parties' territory drawn from the places they hold.

:func:`build_areas` turns control rows (:mod:`geoevents.control.table`) into the AREAS frame
(docs/architecture.md; EPSG:4326)::

    geometry  Polygon/MultiPolygon    party, status (held|contested|besieged|mixed), party2,
    color, color2 ("#rrggbb")         as_of, valid_from, valid_to (ISO dates)
    n_places (int)                    sources ("; "-joined)     area_id (stable)

How:

1. places: rows naming the same place (the same name, spelt any common way, within
   :data:`SAME_PLACE_KM`) are one place with a history; its state as of a date is its latest row on or before
   that date;
2. the places of a date are tessellated (shapely's Voronoi) in a local azimuthal equidistant
   projection centred on the table, so distances are true kilometres; each cell is cut to the
   disk of ``reach_km`` around its place (land farther than that from every place is nobody's);
3. control lines (``lines``: a river stretch or drawn line of :mod:`geoevents.control.lines`,
   used on the dates it is valid) split the cells: the part of a cell across a line from its
   place is given to the nearest places on that side (those it can see without crossing a
   line), so no area ever crosses a line, and a narrow gap (:data:`LINE_GAP_M`) along the line
   separates the banks;
4. cells are dissolved per (party, status, party2) and clipped to ``clip`` (countries from
   Natural Earth's admin-0 layer, admin-1 areas, or the polygons of a file); the borders
   between several clip countries work as control lines (``borders``).

Areas never overlap: they are unions of disjoint pieces of one tessellation.  A series (several
``at`` dates or ``every``) is one frame with one set of areas per ``as_of``; ``valid_to`` is the
next ``as_of``.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazetteer import InputError

from .parties import Parties, parties_or_auto, party_key
from .table import ControlRead, ControlRow, iso_date, read_control

DEFAULT_REACH_KM = 25.0
#: ``reach_spacing`` counts the distance to each place's k-th nearest place (k = 5: a pair of
#: places a few hundred metres apart, a town and its air base, does not make a place's reach
#: small).
SPACING_K = 5
SAME_PLACE_KM = 10.0
LINE_GAP_M = 1.0
#: Output coordinates are snapped to this grid (degrees, about 1 cm).
GRID_DEG = 1e-7
#: A place at most this far (m) outside the clip area keeps the land this close to it.
BORDER_SNAP_M = 2000.0
#: A country clip (Natural Earth 1:10 m, whose borders are off by hundreds of metres) reaches
#: this far (m) beyond the drawn border, so that a border town a few hundred metres outside it
#: is never cut out of its own area, in the table or not.  Admin-1 and file clips are exact.
CLIP_TOLERANCE_M = BORDER_SNAP_M
#: Grid (m) of the fallback union when GEOS's plain union loses a piece (:func:`_union`).
UNION_GRID_M = 0.01
#: Longest straight edge (m) projected back to lon/lat.
SEGMENT_M = 2000.0
AREA_COLUMNS = ("party", "status", "party2", "color", "color2", "as_of", "valid_from",
                "valid_to", "n_places", "sources", "area_id")


@dataclass(slots=True)
class Place:
    name: str
    lat: float
    lon: float
    history: list[ControlRow] = field(default_factory=list)  # sorted by date

    def at(self, date: str) -> ControlRow | None:
        best = None
        for r in self.history:
            if r.date <= date:
                best = r
            else:
                break
        return best


@dataclass(slots=True)
class AreasResult:
    frame: Any  # GeoDataFrame, AREAS
    places: list[Place]
    rejections: list[Any]
    warnings: list[str]
    dates: list[str]
    n_rows: int = 0  # control rows read (not rejected)


# ------------------------------------------------------------------------------------ places

def _where(r: ControlRow) -> str:
    return f"{r.file}:{r.line}" if r.line else r.file


def group_places(rows: list[ControlRow], *, any_order: bool = False) -> list[Place]:
    """Rows -> places with their histories.  InputError when a place's rows in one control
    table go back in time (unless ``any_order``) or two table rows of a day disagree."""
    import math

    by_name: dict[str, list[int]] = {}
    places: list[Place] = []
    last: dict[tuple[int, str], ControlRow] = {}
    from gazetteer.normalize import skeleton

    for r in rows:
        # spellings of one name meet ("al-Hamra", "Hamra"; "Deir ez-Zor", "Dayr az Zawr")
        key = skeleton(r.place) or party_key(r.place)
        idx = None
        for i in by_name.get(key, []):
            p = places[i]
            dy = (p.lat - r.lat) * 111.2
            dx = (p.lon - r.lon) * 111.2 * math.cos(math.radians(r.lat))
            if dx * dx + dy * dy <= SAME_PLACE_KM ** 2:
                idx = i
                break
        if idx is None:
            idx = len(places)
            places.append(Place(name=r.place, lat=r.lat, lon=r.lon))
            by_name.setdefault(key, []).append(idx)
        if r.kind == "table":
            prev = last.get((idx, r.file))
            if prev is not None and r.date < prev.date and not any_order:
                raise InputError(
                    f"dates out of order for '{r.place}': {r.date} comes after {prev.date} "
                    f"(line {prev.line}); keep each place's rows in date order, or fix the "
                    "date", file=r.file, line=r.line, field="date")
            last[(idx, r.file)] = r
        places[idx].history.append(r)
    for p in places:
        # stable: on one day, incidents first and table rows after them (the table wins)
        p.history.sort(key=lambda r: (r.date, r.kind != "incident"))
        for a, b in zip(p.history, p.history[1:], strict=False):
            if (a.date == b.date and a.kind == b.kind == "table"
                    and (a.party, a.status, a.party2) != (b.party, b.status, b.party2)):
                raise InputError(
                    f"two rows for '{p.name}' on {a.date} disagree: {a.party} ({_where(a)}) "
                    f"and {b.party} ({_where(b)})", file=b.file, line=b.line, field="party")
    return places


# ---------------------------------------------------------------------------------- geometry

def _transformers(lon0: float, lat0: float) -> tuple[Any, Any]:
    from .lines import _local_crs
    from .lines import _transformers as tr

    return tr(_local_crs(lon0, lat0))


def _project(fwd: Any, geom: Any) -> Any:
    from .lines import _apply

    return _apply(fwd, geom)


def clip_region(specs: list[str], bbox: tuple[float, float, float, float],
                gazetteer: Any = None) -> tuple[Any, str]:
    """(polygon in lon/lat, label) of the union of the clip areas of :func:`clip_polygons`."""
    import shapely

    parts = clip_polygons(specs, bbox, gazetteer)
    return (shapely.union_all([g for g, _, _ in parts]),
            ", ".join(label for _, label, _ in parts))


def clip_polygons(specs: list[str], bbox: tuple[float, float, float, float],
                  gazetteer: Any = None) -> list[tuple[Any, str, str]]:
    """(polygon in lon/lat, label, kind) of each clip area (kind: country, admin1, file): a country (code or name, Natural Earth
    admin-0), ``admin1:NAME`` (Natural Earth admin-1) or ``FILE`` / ``FILE:NAME`` (the polygons
    of a vector file, or those with NAME in one of their text columns)."""
    import pandas as pd
    import shapely

    from gazetteer import naturalearth
    from gazetteer.normalize import skeleton

    west, south, east, north = bbox
    box = (west - 1, south - 1, east + 1, north + 1)
    geoms, labels, kinds = [], [], []
    for spec in specs:
        spec = spec.strip()
        name = ""
        path = None
        m = re.match(r"^(.*\.(?:geojson|json|gpkg|shp|zip))(?::(.+))?$", spec, re.I)
        if m and Path(m.group(1)).exists():
            path, name = Path(m.group(1)), (m.group(2) or "")
        if path is not None:
            import pyogrio

            try:
                frame = pyogrio.read_dataframe(path, bbox=box)
            except Exception as exc:  # GDAL: unreadable file
                raise InputError(f"cannot read the clip file: {exc}", file=str(path)) from None
            if frame.crs is not None and frame.crs.to_epsg() != 4326:
                frame = frame.to_crs(4326)
            what = str(path)
            cols = [c for c in frame.columns if c != "geometry"
                    and (pd.api.types.is_string_dtype(frame[c]) or frame[c].dtype == object)]
        elif spec.lower().startswith("admin1:"):
            name = spec.split(":", 1)[1].strip()
            frame = naturalearth.read_layer("admin1", bbox=box,
                                            feature="areas clipped to an admin-1 area")
            what = "the Natural Earth admin-1 layer"
            cols = [c for c in frame.columns if c.lower() in (
                "name", "name_en", "name_alt", "gn_name", "woe_name", "iso_3166_2", "adm1_code")]
        else:
            frame = naturalearth.read_layer("countries", bbox=box,
                                            feature="areas clipped to a country")
            what = "the installed Natural Earth countries layer"
            code = spec.upper() if re.fullmatch(r"[A-Za-z]{2,3}", spec) else None
            if code is None and gazetteer is not None:
                code = gazetteer.country_code(spec)
            keys = [c for c in frame.columns if c.lower() in ("iso_a2", "iso_a2_eh", "adm0_a3",
                                                              "iso_a3")]
            hit = pd.Series(False, index=frame.index)
            if code:
                for c in keys:
                    hit |= frame[c].astype(str).str.upper() == code
            if not hit.any():
                want = skeleton(spec)
                for c in [c for c in frame.columns if c.lower() in (
                        "name", "name_long", "admin", "name_en", "sovereignt", "formal_en")]:
                    hit |= frame[c].fillna("").astype(str).map(skeleton) == want
            if not hit.any():
                raise InputError(f"no polygon for the country '{spec}' in {what} near the "
                                 "places (a code such as SY, or a name)", field="clip")
            geoms.append(shapely.union_all(shapely.make_valid(frame[hit].geometry.values)))
            labels.append(spec)
            kinds.append("country")
            continue
        if name:
            want = skeleton(name)
            hit = pd.Series(False, index=frame.index)
            for c in cols:
                hit |= frame[c].fillna("").astype(str).map(
                    lambda v, w=want: w in {skeleton(x) for x in v.split("|") if x.strip()})
            frame = frame[hit]
            if frame.empty:
                raise InputError(f"no area named '{name}' near the places in {what}",
                                 field="clip")
        polys = [g for g in frame.geometry if g is not None
                 and g.geom_type in ("Polygon", "MultiPolygon")]
        if not polys:
            raise InputError(f"no polygon near the places in {what}", field="clip")
        geoms.append(shapely.union_all(shapely.make_valid(polys)))
        labels.append(name or str(path))
        kinds.append("file" if path is not None else "admin1")
    return list(zip(geoms, labels, kinds, strict=True))


def tessellate(xy: Any, reach_m: Any, lines_p: Any = None,
               extent: Any = None, clip: Any = None) -> tuple[list[list[Any]], Any]:
    """The pieces of land each point gets (projected coordinates, metres): Voronoi cells of
    unique points ``xy`` (n x 2) cut to ``reach_m`` (None: no limit; one distance for all
    points, or an array of one per point) and split by the
    (multi)line ``lines_p``; the part of a cell across a line goes to the nearest points on
    that side.  ``clip`` (the projected clip area): cells a line crosses are clipped before
    they are split, so that a cell does not join its two sides round the end of a line outside
    the area.  Returns a list (per point) of polygons, all pieces disjoint, and a boolean
    array: True where the point's first piece is its Voronoi cell untouched (those cells form
    an exact coverage and are dissolved with the fast coverage union)."""
    import numpy as np
    import shapely
    from shapely.geometry import box

    n = len(xy)
    pts = shapely.points(xy)
    reach = None
    if reach_m is not None and np.any(np.asarray(reach_m) > 0):
        reach = np.broadcast_to(np.asarray(reach_m, dtype=float), (n,)).copy()
    reach_m = float(reach.max()) if reach is not None else None
    span = float(np.hypot(*(xy.max(axis=0) - xy.min(axis=0))))
    # without a reach every point of the frame is somebody's: make it generous
    pad = reach_m * 1.5 if reach_m else max(1_000_000.0, span)
    x0, y0 = xy.min(axis=0) - pad
    x1, y1 = xy.max(axis=0) + pad
    frame = box(x0, y0, x1, y1)
    if extent is not None:
        frame = frame.union(box(*extent.bounds))
    regular = np.ones(n, dtype=bool)
    if n == 1:
        cells = np.array([frame], dtype=object)
        regular[:] = False
    else:
        vor = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=frame, ordered=True)
        cells = shapely.get_parts(vor)
        shapely.prepare(frame)
        out = ~shapely.contains_properly(frame, cells)
        cells[out] = shapely.intersection(cells[out], frame)
        regular &= ~out
    if reach_m:
        # only cells reaching farther than reach_m from their place are cut
        far = shapely.hausdorff_distance(cells, pts) > reach
        cells[far] = shapely.intersection(cells[far],
                                          shapely.buffer(pts[far], reach[far], quad_segs=16))
        regular &= ~far
    pieces: list[list[Any]] = [[c] for c in cells]
    if lines_p is None or lines_p.is_empty:
        return pieces, regular
    gap = lines_p.buffer(LINE_GAP_M, quad_segs=2)
    shapely.prepare(lines_p)
    shapely.prepare(gap)
    crossing = np.nonzero(shapely.intersects(cells, gap))[0]
    tree = shapely.STRtree(pts)
    line_parts = list(shapely.get_parts(shapely.line_merge(lines_p)))
    for part in line_parts:
        shapely.prepare(part)
    orphans: list[tuple[int, Any]] = []
    for i in crossing:
        cell = cells[i] if clip is None else shapely.intersection(cells[i], clip)
        parts = shapely.get_parts(shapely.difference(cell, gap))
        parts = [p for p in parts if p.area > 1.0]
        if not parts:
            pieces[i] = []
            regular[i] = False
            continue
        d = shapely.distance(np.asarray(parts, dtype=object), pts[i])
        own = int(np.argmin(d))
        pieces[i] = [parts[own]]
        regular[i] = False
        orphans.extend((i, p) for k, p in enumerate(parts) if k != own)
    disk_of: dict[int, Any] = {}
    for owner, orphan in orphans:
        probe = shapely.get_coordinates(orphan.representative_point())[0]
        if reach_m:
            cand = tree.query(orphan, predicate="dwithin", distance=reach_m)
            cand = cand[shapely.distance(pts[cand], orphan) <= reach[cand]]
        else:
            near = tree.query_nearest(orphan, max_distance=None, all_matches=True)
            dmin = float(shapely.distance(pts[near[0]], orphan)) if len(near) else 0.0
            cand = tree.query(orphan, predicate="dwithin", distance=dmin + 50_000.0)
        cand = np.asarray([c for c in cand if c != owner], dtype=int)
        if cand.size == 0:
            continue
        sight = shapely.linestrings(
            np.stack([xy[cand], np.broadcast_to(probe, (cand.size, 2))], axis=1))
        visible = cand[_same_side(sight, line_parts)]
        if visible.size == 0:
            continue
        if visible.size == 1:
            shares = [orphan]
        else:
            env = box(*orphan.buffer(1.0).bounds).union(
                box(*shapely.multipoints(xy[visible]).bounds))
            vor = shapely.voronoi_polygons(shapely.multipoints(xy[visible]),
                                           extend_to=env.envelope, ordered=True)
            shares = list(shapely.intersection(shapely.get_parts(vor), orphan))
        for c, share in zip(visible, shares, strict=True):
            if reach_m:
                if c not in disk_of:
                    disk_of[c] = shapely.buffer(pts[c], reach[c], quad_segs=16)
                share = share.intersection(disk_of[c])
            if not share.is_empty and share.area > 1.0:
                pieces[c].append(share)
    return pieces, regular


def nearest_spacing(xy: Any, k: int = 1) -> Any:
    """The distance from each point of ``xy`` (n x 2, n > 1) to its k-th nearest other point
    (the farthest there is when there are fewer than k others).  Neighbours are looked for
    within a radius that doubles for the points that have fewer than k in it."""
    import numpy as np
    import shapely

    n = len(xy)
    k = max(1, min(k, n - 1))
    pts = shapely.points(xy)
    tree = shapely.STRtree(pts)
    (i1, _), d1 = tree.query_nearest(pts, exclusive=True, return_distance=True)
    out = np.full(n, np.inf)
    np.minimum.at(out, i1, d1)
    if k == 1:
        return out
    todo = np.arange(n)
    r = max(2.0 * float(np.median(out)), 1.0)
    while todo.size:
        qi, j = tree.query(pts[todo], predicate="dwithin", distance=r)
        i = todo[qi]
        other = i != j
        i, j = i[other], j[other]
        d = np.hypot(xy[i, 0] - xy[j, 0], xy[i, 1] - xy[j, 1])
        ok = np.bincount(i, minlength=n)[todo] >= k
        order = np.lexsort((d, i))
        i, d = i[order], d[order]
        # all neighbours within r are found: the k-th of them is the k-th nearest
        out[todo[ok]] = d[np.searchsorted(i, todo[ok]) + k - 1]
        todo = todo[~ok]
        r *= 2.0
    return out


def _same_side(sight: Any, line_parts: list[Any]) -> Any:
    """For each segment of ``sight``: are its two ends on the same side of every line of
    ``line_parts``?  A segment crossing a line an even number of times (a meander crossed
    out and back, or not at all) joins two points on one bank; an odd number, two banks."""
    import numpy as np
    import shapely

    same = np.ones(len(sight), dtype=bool)
    for part in line_parts:
        hit = shapely.intersects(sight, part)
        if not hit.any():
            continue
        cross = shapely.intersection(sight[hit], part)
        # a crossing is a point; a segment running along the line is taken as crossing it
        n = shapely.get_num_geometries(cross)
        along = ~np.isin(shapely.get_type_id(cross), (0, 4))  # neither Point nor MultiPoint
        idx = np.nonzero(hit)[0]
        same[idx] &= (n % 2 == 0) & ~along
    return same


# ------------------------------------------------------------------------------------ series

def series_dates(first: str, last: str, every: str) -> list[str]:
    """Dates from ``first`` to ``last`` every ``day``, ``week``, ``month`` or ``N days`` /
    ``N weeks`` (``last`` always included)."""
    e = every.strip().lower()
    m = re.fullmatch(r"(\d+)?\s*(d|day|days|w|week|weeks|m|month|months)", e)
    if not m or (m.group(1) is not None and int(m.group(1)) < 1):
        raise InputError(f"--every '{every}': use day, week, month, or N days / N weeks",
                         field="every")
    n = int(m.group(1) or 1)
    unit = m.group(2)[0]
    d0, d1 = _dt.date.fromisoformat(first), _dt.date.fromisoformat(last)
    out, d, k = [], d0, 0
    while d <= d1:
        out.append(d.isoformat())
        k += 1
        if unit == "m":
            y, mo = divmod(d0.month - 1 + n * k, 12)
            day = min(d0.day, 28)
            d = _dt.date(d0.year + y, mo + 1, day)
        else:
            d = d0 + _dt.timedelta(days=n * k * (7 if unit == "w" else 1))
    if out[-1] != last:
        out.append(last)
    if len(out) > 5000:
        raise InputError(f"--every {every} from {first} to {last} makes {len(out)} dates; "
                         "use a longer step", field="every")
    return out


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", party_key(s)).strip("-") or "party"


def areas_from_places(places: list[Place], parties: Parties, dates: list[str], *,
                      reach_km: float | None = DEFAULT_REACH_KM, lines: Any = None,
                      region: Any = None, borders: Any = None,
                      warnings: list[str] | None = None,
                      reach_spacing: float | None = None, spacing_k: int = SPACING_K,
                      region_tolerance_m: float | list[float] = 0.0) -> Any:
    """The AREAS frame of ``places`` as of each date of ``dates`` (sorted, unique).

    ``region`` (a polygon or a list of them, lon/lat) clips the areas; ``region_tolerance_m``
    (one value, or one per polygon of the list) widens each polygon by that many metres first
    (:data:`CLIP_TOLERANCE_M` for a country border at 1:10 m).

    ``reach_spacing``: the reach grows with the spacing of the places: each place reaches
    ``reach_km`` or ``reach_spacing`` times the distance to its ``spacing_k``-th nearest
    place of the date, whichever is more (a sparse table claims the land between its places; a desert
    edge lined with places still leaves the desert unclaimed)."""
    import geopandas as gpd
    import numpy as np
    import shapely

    warnings = warnings if warnings is not None else []
    lat = np.array([p.lat for p in places])
    lon = np.array([p.lon for p in places])
    fwd, inv = _transformers(float(lon.mean()), float(lat.mean()))
    px, py = fwd.transform(lon, lat)
    allxy = np.column_stack([px, py])
    borders_p = None
    region_parts = (list(region) if isinstance(region, list | tuple)
                    else [region] if region is not None else [])
    tolerances = (list(region_tolerance_m) if isinstance(region_tolerance_m, list | tuple)
                  else [float(region_tolerance_m)] * len(region_parts))
    if len(tolerances) != len(region_parts):
        raise ValueError("region_tolerance_m: one value, or one per region polygon")
    if borders is not None and len(borders) > 1:
        # borders between clip countries are lines no area crosses
        parts_p = [shapely.make_valid(_project(fwd, shapely.segmentize(g, 0.01)))
                   for g in borders]
        shared = [shapely.intersection(shapely.boundary(a), shapely.boundary(b))
                  for i, a in enumerate(parts_p) for b in parts_p[i + 1:]]
        shared = [q for g in shared for q in shapely.get_parts(g)
                  if q.geom_type in ("LineString", "LinearRing")]
        borders_p = shapely.union_all(shared) if shared else None
    region_p = None
    if region_parts:
        # each part projected on its own and widened by its tolerance before the union
        region_p = shapely.union_all([
            shapely.buffer(shapely.make_valid(_project(fwd, g)), t, quad_segs=4) if t > 0
            else _project(fwd, g) for g, t in zip(region_parts, tolerances, strict=True)])
        region_p = shapely.make_valid(region_p)
        # A place just outside the clip area (a border town, a crossing: borders at 1:10 m
        # are off by hundreds of metres) keeps the land around it.
        pts = shapely.points(allxy)
        gap = shapely.distance(region_p, pts)
        near = (gap > 0) & (gap <= BORDER_SNAP_M)
        if near.any():
            region_p = shapely.union_all([region_p, *shapely.buffer(pts[near], BORDER_SNAP_M)])
        far = int((gap > BORDER_SNAP_M).sum())
        if far:
            warnings.append(f"{far} place(s) lie outside the clip area: their land is clipped "
                            "away")
        shapely.prepare(region_p)
    lines_p_all = None
    if lines is not None and len(lines):
        # segmentized first (about 1 km): the projected line follows the line as drawn
        lines_p_all = [(ln, _project(fwd, shapely.segmentize(ln.geometry, 0.01)))
                       for _, ln in lines.iterrows()]
    reach_m = reach_km * 1000.0 if reach_km else None
    rows: list[dict[str, Any]] = []
    geoms: list[Any] = []
    outside = 0
    for di, date in enumerate(dates):
        state = [(i, p.at(date)) for i, p in enumerate(places)]
        state = [(i, r) for i, r in state if r is not None]
        if not state:
            warnings.append(f"{date}: no place has a row on or before this date")
            continue
        idx = np.array([i for i, _ in state])
        xy = allxy[idx]
        # One point, one place: at a shared point the latest row wins.
        keyxy = np.round(xy * 2.0) / 2.0
        order = sorted(range(len(state)), key=lambda k: (state[k][1].date, -k), reverse=True)
        seen: dict[tuple[float, float], int] = {}
        keep = []
        merged: dict[int, list[int]] = {}
        for k in order:
            t = (float(keyxy[k, 0]), float(keyxy[k, 1]))
            if t in seen:
                merged.setdefault(seen[t], []).append(k)
                continue
            seen[t] = k
            keep.append(k)
        keep.sort()
        line_geoms = []
        if lines_p_all:
            for ln, g in lines_p_all:
                vf, vt = str(ln.get("valid_from") or ""), str(ln.get("valid_to") or "")
                if (not vf or vf <= date) and (not vt or date <= vt):
                    line_geoms.append(g)
        if borders_p is not None:
            line_geoms.append(borders_p)
        lines_p = shapely.union_all(line_geoms) if line_geoms else None
        reach = reach_m
        if reach_m and reach_spacing and len(keep) > 1:
            reach = np.maximum(reach_m, reach_spacing * nearest_spacing(xy[keep], spacing_k))
        pieces, regular = tessellate(xy[keep], reach, lines_p, region_p, region_p)
        groups: dict[tuple[str, str, str], dict[str, Any]] = {}
        for k, parts, exact in zip(keep, pieces, regular, strict=True):
            r = state[k][1]
            g = groups.setdefault((r.party, r.status, r.party2),
                                  {"cells": [], "parts": [], "n": 0, "sources": set()})
            if exact:
                g["cells"].append(parts[0])
                g["parts"].extend(parts[1:])
            else:
                g["parts"].extend(parts)
            for kk in (k, *merged.get(k, [])):
                g["n"] += 1
                if state[kk][1].source:
                    g["sources"].add(state[kk][1].source)
        valid_to = dates[di + 1] if di + 1 < len(dates) else None
        keys, projected = [], []
        for key, g in sorted(groups.items()):
            bits = []
            if g["cells"]:
                bits.append(shapely.coverage_union_all(g["cells"]))
            if g["parts"]:
                bits.append(_union(g["parts"]))
            geom = _union(bits) if bits else None
            if geom is not None and region_p is not None:
                geom = shapely.intersection(geom, region_p)
            if geom is not None:
                geom = [p for p in shapely.get_parts(geom)
                        if p.geom_type == "Polygon" and p.area > 1.0]
                geom = shapely.multipolygons(geom) if geom else None
            if geom is None or geom.is_empty:
                outside += g["n"]
                continue
            keys.append(key)
            projected.append(geom)
        for (party, status, party2), geom in zip(keys, _to_lonlat(projected, fwd, inv),
                                                 strict=True):
            g = groups[(party, status, party2)]
            if geom is None:
                outside += g["n"]
                continue
            suffix = f"-{_slug(party2)}" if party2 else ""
            rows.append({
                "party": party, "status": status, "party2": party2 or None,
                "color": parties.color(party), "color2": parties.color(party2) if party2 else None,
                "as_of": date, "valid_from": date, "valid_to": valid_to,
                "n_places": int(g["n"]), "sources": "; ".join(sorted(g["sources"])),
                "area_id": f"{date}-{_slug(party)}-{status}{suffix}",
            })
            geoms.append(geom)
    if outside:
        warnings.append(f"{outside} place-date(s) have no land inside the clip area (places "
                        "outside it): they are in no area")
    frame = gpd.GeoDataFrame(rows, columns=list(AREA_COLUMNS), geometry=geoms, crs=4326)
    frame["n_places"] = frame["n_places"].astype("int64")
    return frame


def _union(parts: list[Any]) -> Any:
    """The union of polygons, checked: GEOS's overlay can lose a piece of a union of many
    disjoint pieces (seen with 170 pieces of one party, a valid 85 km2 cell missing from the
    result).  Every piece's interior point must be in the result; if one is not, the union is
    done again snapped to a :data:`UNION_GRID_M` grid, which is robust."""
    import numpy as np
    import shapely

    u = shapely.union_all(parts)
    probes = shapely.point_on_surface(np.asarray(parts, dtype=object))
    shapely.prepare(u)
    if bool(np.all(shapely.intersects(u, probes))):
        return u
    return shapely.union_all(parts, grid_size=UNION_GRID_M)


def _to_lonlat(projected: list[Any], fwd: Any, inv: Any) -> list[Any]:
    """Disjoint projected polygons -> lon/lat polygons that still never overlap.

    Projected back vertex by vertex, straight edges bend, and two areas sharing an edge with
    different vertices on it would overlap by slivers.  So the areas' boundaries are noded
    together, densified (:data:`SEGMENT_M`), projected back and polygonized into faces that
    share their edges exactly; each face goes to the area holding its interior point, and each
    area is the coverage union of its faces."""
    import numpy as np
    import shapely

    if not projected:
        return []
    edges = shapely.union_all([shapely.boundary(g) for g in projected])
    edges = shapely.segmentize(edges, SEGMENT_M)
    # snap-rounded and noded again on the output grid
    edges_ll = shapely.union_all(_project(inv, edges), grid_size=GRID_DEG)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(edges_ll)))
    faces = faces[shapely.area(faces) > 0]
    probe = shapely.point_on_surface(faces)
    xy = shapely.get_coordinates(probe)
    px, py = fwd.transform(xy[:, 0], xy[:, 1])
    owner = np.full(len(faces), -1)
    for k, g in enumerate(projected):
        shapely.prepare(g)
        hit = shapely.contains_xy(g, px, py) & (owner < 0)
        owner[hit] = k
    out = []
    for k in range(len(projected)):
        mine = faces[owner == k]
        if len(mine) == 0:
            out.append(None)
            continue
        geom = shapely.coverage_union_all(mine)
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        out.append(_polygonal(geom))
    return out


def _polygonal(geom: Any) -> Any:
    import shapely

    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    parts = [q for p in parts for q in shapely.get_parts(p) if q.area > 1e-12]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


# ------------------------------------------------------------------------------------ the API

def build(tables: Any, *, at: Any = None, every: str | None = None, lines: Any = None,
          clip: list[str] | str | None = None, reach_km: float | None = DEFAULT_REACH_KM,
          parties: Any = None, gazetteer: Any = None, countries: tuple[str, ...] = (),
          any_order: bool = False, borders: bool = True, store: Any = None,
          reach_spacing: float | None = None,
          clip_tolerance_km: float | None = None) -> AreasResult:
    """Read control tables (or take a :class:`ControlRead` / a list of :class:`ControlRow`)
    and build their areas; see :func:`build_areas` (``store``: a store query whose
    territorial changes are control rows too).  Returns the frame with the places, the
    rejections (rows that could not be control rows) and warnings."""
    party_set = parties_or_auto(parties)
    if isinstance(tables, ControlRead):
        read = tables
    elif isinstance(tables, list) and tables and isinstance(tables[0], ControlRow):
        read = ControlRead(rows=list(tables))
    else:
        paths = [tables] if isinstance(tables, str | Path) else list(tables or [])
        read = read_control(paths, party_set, gazetteer=gazetteer, countries=countries,
                            store=store)
    warnings = list(read.warnings)
    if not read.rows:
        detail = "; ".join(str(r) for r in read.rejections[:3])
        raise InputError("no control rows to build areas from"
                         + (f" ({len(read.rejections)} rejected: {detail})" if detail else
                            " (a control table has place, lat, lon, party, date; incident "
                            "tables give their territorial changes)"))
    names = sorted({r.party for r in read.rows} | {r.party2 for r in read.rows if r.party2})
    if len(names) < 2:
        where = read.rows[0].file
        raise InputError(f"the table names only one party ({names[0]}): areas divide land "
                         "between parties, so they need at least two", file=where,
                         field="party")
    party_set.assign_auto(names)
    missing = [n for n in names if not party_set.color(n)]
    if missing:
        raise InputError(f"no colour for the party '{missing[0]}'", field="party")
    places = group_places(read.rows, any_order=any_order)
    all_dates = sorted({r.date for r in read.rows})
    dates: list[str] = []
    if at:
        for a in ([at] if isinstance(at, str | _dt.date) else list(at)):
            try:
                dates.append(iso_date(a))
            except ValueError as exc:
                raise InputError(f"--at: {exc}", field="at") from None
        early = [d for d in dates if d < all_dates[0]]
        if early:
            raise InputError(f"--at {early[0]} is before the first row of the table "
                             f"({all_dates[0]}): no place is known then", field="at")
    if every:
        last = max(dates) if dates else all_dates[-1]
        dates.extend(series_dates(all_dates[0], last, every))
    if not dates:
        dates = [all_dates[-1]]
    dates = sorted(set(dates))
    region = border_polys = None
    if clip:
        specs = [clip] if isinstance(clip, str) else list(clip)
        specs = [s.strip() for spec in specs for s in
                 (spec.split(",") if not re.search(r"\.(geojson|json|gpkg|shp|zip)", spec,
                                                   re.I) else [spec]) if s.strip()]
        lats = [p.lat for p in places]
        lons = [p.lon for p in places]
        parts = clip_polygons(specs, (min(lons), min(lats), max(lons), max(lats)), gazetteer)
        region = [g for g, _, _ in parts]
        tol_m = (CLIP_TOLERANCE_M if clip_tolerance_km is None
                 else max(float(clip_tolerance_km), 0.0) * 1000.0)
        tolerances = [tol_m if kind == "country" else 0.0 for _, _, kind in parts]
        border_polys = [g for g, _, kind in parts if kind == "country"] if borders else None
    if lines is not None and not hasattr(lines, "geometry"):
        from .lines import load

        paths = [lines] if isinstance(lines, str | Path) else list(lines)
        if paths:
            lines, _, w = load([Path(p) for p in paths], gazetteer)
            warnings.extend(w)
        else:
            lines = None
    frame = areas_from_places(places, party_set, dates, reach_km=reach_km, lines=lines,
                              region=region, borders=border_polys,
                              warnings=warnings, reach_spacing=reach_spacing,
                              region_tolerance_m=tolerances if region else 0.0)
    return AreasResult(frame=frame, places=places, rejections=list(read.rejections),
                       warnings=warnings, dates=dates, n_rows=len(read.rows))


def build_areas(tables: Any, *, at: Any = None, every: str | None = None, lines: Any = None,
                clip: list[str] | str | None = None, reach_km: float | None = DEFAULT_REACH_KM,
                parties: Any = None, gazetteer: Any = None, countries: tuple[str, ...] = (),
                any_order: bool = False, borders: bool = True, store: Any = None,
                reach_spacing: float | None = None,
                clip_tolerance_km: float | None = None) -> Any:
    """The AREAS GeoDataFrame (docs/architecture.md, EPSG:4326) of control tables.

    ``tables``: paths of control tables and/or incident tables (or a ControlRead / list of
    ControlRow); ``at``: a date or dates (default: the latest row's date); ``every``: a series
    (``week``, ``month``, ``N days``); ``lines``: control-line specs/files or a LINES frame;
    ``clip``: countries (codes or names), ``admin1:NAME`` or ``FILE[:NAME]``; ``borders``: the
    borders between several clip countries are lines no area crosses (admin-1 and file areas
    never are); ``reach_km``:
    land farther than this from every place is nobody's (None or 0: no limit);
    ``reach_spacing``: a place reaches at least this many times the distance to its
    :data:`SPACING_K`-th nearest place (the reach follows the table's density);
    ``clip_tolerance_km``: how far a country clip reaches beyond its 1:10 m border (default
    :data:`CLIP_TOLERANCE_M`, 2 km; 0: exactly the drawn border); ``parties``:
    a parties YAML file (default: automatic colours); ``countries``: context for resolving
    place names.  Rejected rows are in ``frame.attrs["rejections"]`` (list of Rejection),
    warnings in ``frame.attrs["warnings"]``.  Raises InputError (bad input, message naming
    file, line and field) or NotInstalled (a clip layer that is not installed)."""
    res = build(tables, at=at, every=every, lines=lines, clip=clip, reach_km=reach_km,
                parties=parties, gazetteer=gazetteer, countries=countries, any_order=any_order,
                borders=borders, store=store, reach_spacing=reach_spacing,
                clip_tolerance_km=clip_tolerance_km)
    res.frame.attrs["rejections"] = res.rejections
    res.frame.attrs["warnings"] = res.warnings
    return res.frame


def read_areas(path: str | Path) -> Any:
    """An AREAS frame from a file ``geoevents areas build`` wrote (GeoJSON; any vector file
    GDAL reads with the AREAS columns).  InputError for a file that is not one."""
    import pyogrio

    path = Path(path)
    if not path.exists():
        raise InputError("no such file", file=str(path))
    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as exc:  # GDAL: unreadable
        raise InputError(f"cannot read the areas file: {exc}", file=str(path)) from None
    missing = [c for c in AREA_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"not a control-areas file (no {', '.join(missing)}); write one with "
                         "`geoevents areas build`", file=str(path))
    bad = [i for i, g in enumerate(frame.geometry, 1)
           if g is None or g.geom_type not in ("Polygon", "MultiPolygon")]
    if bad:
        raise InputError(f"feature {bad[0]} is not a polygon; control areas are polygons",
                         file=str(path))
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    frame["n_places"] = frame["n_places"].fillna(0).astype("int64")
    for c in ("as_of", "valid_from", "valid_to"):  # GDAL reads ISO dates as dates
        frame[c] = [None if v is None or v != v else str(v)[:10] for v in frame[c]]
    return frame[[*AREA_COLUMNS, "geometry"]]
