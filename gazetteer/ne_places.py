"""Natural Earth layers in the gazetteer index, when the user has installed them.

- ``admin1_label_points``: one label point per first-level area worldwide, with its name.  Each
  area becomes a place (kind ``admin1``, precision 3) at its main label point (the one Natural
  Earth ranks first; among ties, the one nearest to their middle).  Its GeoNames admin-1 code is
  the one most of the index's nearby places of that country carry, so that "Deir ez-Zor
  province" and the towns in it agree, and the admin-1 table learns its name.  Areas the curated
  ``admin1.csv`` already has only lend their Natural Earth name as an alias.
- ``populated_places``: major places.  Those GeoNames has (by ``GEONAMEID``) lend their names
  (English name, alternate name) to the GeoNames place; the others become places of their own.
- ``rivers`` and ``lakes`` (physical labels): each named river (its segments joined by name) and
  each named lake becomes a place (kind ``river`` / ``lake``, feature class H, precision 2) at a
  point on it: for a river the vertex of its segments nearest their middle, for a lake a point
  inside its largest polygon.  A river answers to "X River", "River X" and "the X river"; the
  bare "X" only when no place of the index bears that name already (so "Jordan", "Niger" or
  "Colorado" stay the country or the state).  Its country is that of the nearest place.

Called by :func:`gazetteer.index.build`; the layers' checksums are part of the index stamp.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import Counter, defaultdict
from typing import Any

from . import naturalearth
from .normalize import key, levels
from .rows import PlaceRow, insert_places

_PAREN = re.compile(r"^(?P<a>[^()]+?)\s*\((?P<b>[^()]+)\)\s*$")


def _names(value: Any) -> list[str]:
    """'Lattakia (Al Ladhiqiyah)' -> ['Lattakia', 'Al Ladhiqiyah']; '|'-separated lists."""
    if not isinstance(value, str) or not value.strip():
        return []
    out: list[str] = []
    for part in value.split("|"):
        part = part.strip()
        m = _PAREN.match(part)
        out.extend([m.group("a").strip(), m.group("b").strip()] if m else [part])
    return [x for x in out if x]


def _features(layer: str) -> list[tuple[dict[str, Any], float, float]]:
    """(properties, lat, lon) of a point layer, read with pyogrio."""
    import pyogrio

    path = naturalearth.installed_path(layer)
    if path is None:
        return []
    frame = pyogrio.read_dataframe(path)
    if frame.crs is not None and frame.crs.to_epsg() not in (4326, None):
        frame = frame.to_crs(4326)
    cols = [c for c in frame.columns if c != "geometry"]
    out = []
    for rec, geom in zip(frame[cols].to_dict("records"), frame.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        pt = geom if geom.geom_type == "Point" else geom.representative_point()
        out.append((rec, float(pt.y), float(pt.x)))
    return out


def _add_names(con: sqlite3.Connection, pid: int, names: list[str]) -> int:
    n = 0
    for name in names:
        f, k, s = levels(name)
        if not s or con.execute("SELECT 1 FROM names WHERE k=? AND pid=? AND fold=?",
                                (s, pid, f)).fetchone():
            continue
        con.execute("INSERT INTO names VALUES (?,?,?,?,?,?)", (s, pid, name, f, k, 0))
        n += 1
    return n


def _nearest_admin1(places: Any, lat: float, lon: float, k: int = 7) -> str | None:
    """The admin-1 code most of the k places nearest to a point carry.  ``places`` is
    (lats, lons, codes) as numpy arrays and a list."""
    import numpy as np

    if places is None:
        return None
    lats, lons, codes = places
    coslat = math.cos(math.radians(lat))
    d2 = (lats - lat) ** 2 + ((lons - lon) * coslat) ** 2
    idx = np.argsort(d2)[:k] if len(d2) <= k else np.argpartition(d2, k)[:k]
    return Counter(codes[i] for i in idx).most_common(1)[0][0]


def add_admin1(con: sqlite3.Connection) -> int:
    feats = _features("admin1_label_points")
    if not feats:
        return 0
    groups: dict[str, list[tuple[dict[str, Any], float, float]]] = defaultdict(list)
    for rec, lat, lon in feats:
        code = rec.get("adm1_code") or f"{rec.get('iso_a2')}-{rec.get('name')}"
        groups[str(code)].append((rec, lat, lon))
    import numpy as np

    lists: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for lat, lon, cc, a1 in con.execute(
            "SELECT lat, lon, country, admin1 FROM places WHERE kind='populated_place' AND "
            "admin1 IS NOT NULL"):
        lists[cc].append((lat, lon, a1))
    by_country = {cc: (np.array([p[0] for p in v]), np.array([p[1] for p in v]),
                       [p[2] for p in v]) for cc, v in lists.items()}
    by_name: dict[tuple[str, str], str] = {}
    for code, cc, name in con.execute("SELECT code, country, name FROM admin1"):
        by_name.setdefault((cc, key(name)), code)
    for a1, cc, name in con.execute(
            "SELECT p.admin1, p.country, n.name FROM places p JOIN names n ON n.pid = p.pid"
            " WHERE p.kind = 'admin1' AND p.admin1 IS NOT NULL"):
        by_name.setdefault((cc, key(name)), a1)
    rows: list[PlaceRow] = []
    for code, pts in sorted(groups.items()):
        best = min(int(p[0].get("adm0_sr") or 9) for p in pts)
        top = [p for p in pts if int(p[0].get("adm0_sr") or 9) == best]
        mlat = sum(p[1] for p in top) / len(top)
        mlon = sum(p[2] for p in top) / len(top)
        rec, lat, lon = min(top, key=lambda p: (p[1] - mlat) ** 2 + (p[2] - mlon) ** 2)
        cc = str(rec.get("iso_a2") or "")
        if not re.fullmatch(r"[A-Z]{2}", cc):
            cc = ""
        names = _names(rec.get("name"))
        if not names:
            continue
        # The GeoNames admin-1 code: by name among the areas the index knows, else the code
        # most nearby places carry.
        a1 = by_name.get((cc, key(names[0]))) or next(
            (by_name[(cc, key(n))] for n in names[1:] if (cc, key(n)) in by_name), None)
        named = a1 is not None
        if a1 is None and cc:
            a1 = _nearest_admin1(by_country.get(cc), lat, lon)
        if a1 is not None:
            known = con.execute("SELECT pid FROM places WHERE uid=?", (f"admin1:{a1}",)
                                ).fetchone()
            if known is not None and named:
                _add_names(con, known[0], names)  # the same area: its NE name as an alias
                continue
            if known is not None:
                a1 = None  # a different area near a known one: do not guess its code
            else:
                con.execute("INSERT OR IGNORE INTO admin1 (code, country, name) VALUES "
                            "(?,?,?)", (a1, cc, names[0]))
        rows.append(PlaceRow(
            uid=f"naturalearth-admin1:{code}", name=names[0], country=cc, admin1=a1, lat=lat,
            lon=lon, kind="admin1", fclass="A", fcode="ADM1", population=0, precision=3,
            source="naturalearth-admin1",
            note="point: Natural Earth 10m admin-1 label point (main part of the area)",
            names=names, primary=[names[0]]))
    return insert_places(con, rows)


_FEATURECLA_CODE = {"Admin-0 capital": "PPLC", "Admin-0 capital alt": "PPLC",
                    "Admin-1 capital": "PPLA", "Admin-1 region capital": "PPLA"}


def add_populated_places(con: sqlite3.Connection) -> int:
    feats = _features("populated_places")
    rows: list[PlaceRow] = []
    for raw, lat, lon in feats:
        rec = {str(k).upper(): v for k, v in raw.items()}
        get = rec.get

        names = [n for n in (*_names(get("NAME")), *_names(get("NAME_EN")),
                             *_names(get("NAMEASCII")), *_names(get("NAMEALT"))) if n]
        if not names:
            continue
        gid = get("GEONAMEID")
        try:
            gid_i = int(float(gid)) if gid is not None else 0
        except (TypeError, ValueError):
            gid_i = 0
        if gid_i > 0:
            known = con.execute("SELECT pid FROM places WHERE uid=?", (f"geonames:{gid_i}",)
                                ).fetchone()
            if known is not None:
                _add_names(con, known[0], names)
                continue
        cc = str(get("ISO_A2") or "")
        if not re.fullmatch(r"[A-Z]{2}", cc):
            cc = ""
        pop = get("POP_MAX")
        try:
            pop_i = max(0, int(float(pop or 0)))
        except (TypeError, ValueError):
            pop_i = 0
        uid = f"naturalearth:{gid_i}" if gid_i > 0 else \
            f"naturalearth:{names[0].lower().replace(' ', '-')}-{cc.lower()}-{lat:.2f}-{lon:.2f}"
        rows.append(PlaceRow(
            uid=uid, name=names[0], country=cc, admin1=None, lat=lat, lon=lon,
            kind="populated_place", fclass="P",
            fcode=_FEATURECLA_CODE.get(str(get("FEATURECLA") or "")), population=pop_i,
            precision=1, source="naturalearth-places",
            note="Natural Earth 10m populated places", names=names, primary=[names[0]]))
    return insert_places(con, rows)


_RIVER_WORD = re.compile(r"\b(?:river|rio|río|rivière|fleuve|wadi|nahr|canal)\b", re.I)


class _Countries:
    """The country of the index's nearest place to a point (a one-degree grid of places)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
        for lat, lon, cc in con.execute("SELECT lat, lon, country FROM places WHERE "
                                        "country != '' AND kind = 'populated_place'"):
            self.cells[(math.floor(lat), math.floor(lon))].append((lat, lon, cc))

    def __call__(self, lat: float, lon: float) -> str:
        for r in (0, 1, 2):
            near = [p for i in range(-r, r + 1) for j in range(-r, r + 1)
                    for p in self.cells.get((math.floor(lat) + i, math.floor(lon) + j), ())]
            if near:
                return min(near, key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2)[2]
        return ""


def _known_name(con: sqlite3.Connection, name: str) -> bool:
    _f, k, s = levels(name)
    return bool(s) and con.execute("SELECT 1 FROM names WHERE k=? AND key=? LIMIT 1",
                                   (s, k)).fetchone() is not None


def _physical(layer: str) -> dict[str, list[Any]]:
    """name -> geometries of a physical layer (English name where the layer has one)."""
    import pyogrio

    path = naturalearth.installed_path(layer)
    if path is None:
        return {}
    frame = pyogrio.read_dataframe(path)
    if frame.crs is not None and frame.crs.to_epsg() not in (4326, None):
        frame = frame.to_crs(4326)
    cols = {str(c).lower(): c for c in frame.columns}
    out: dict[str, list[Any]] = defaultdict(list)
    for i, geom in enumerate(frame.geometry):
        if geom is None or geom.is_empty:
            continue
        name = None
        for col in ("name_en", "name"):
            v = frame[cols[col]].iloc[i] if col in cols else None
            if isinstance(v, str) and v.strip() and v.isprintable():
                name = v.strip()
                break
        if name:
            out[name].append(geom)
    return out


def add_physical(con: sqlite3.Connection) -> dict[str, int]:
    """Rivers and lakes of the installed physical layers as places (see the module doc)."""
    import shapely

    out: dict[str, int] = {}
    rows: list[PlaceRow] = []
    country_of = _Countries(con)
    for name, geoms in sorted(_physical("rivers").items()):
        pts = [c for g in geoms for c in shapely.get_coordinates(g).tolist()]
        if not pts:
            continue
        mx = sum(x for x, _ in pts) / len(pts)
        my = sum(y for _, y in pts) / len(pts)
        lon, lat = min(pts, key=lambda c: (c[0] - mx) ** 2 + (c[1] - my) ** 2)
        bare = _RIVER_WORD.sub("", name).strip(" -")
        names = [name] if _RIVER_WORD.search(name) else [f"{name} River", f"River {name}"]
        if bare and bare != name:
            names += [f"{bare} River", f"River {bare}"]
        if bare and not _known_name(con, bare):
            names.append(bare)
        names = list(dict.fromkeys(names))
        w, s_, e, n = shapely.total_bounds(geoms).tolist()
        rows.append(PlaceRow(
            uid=f"naturalearth:river:{key(name) or name.lower()}", name=names[0],
            country=country_of(lat, lon), admin1=None, lat=lat, lon=lon,
            kind="river", fclass="H", fcode="STM", population=0, precision=2,
            source="naturalearth-rivers",
            note=f"Natural Earth river centreline; a point on it near its middle; extent "
                 f"{w:.1f},{s_:.1f},{e:.1f},{n:.1f}", names=names, primary=[names[0]]))
    if rows:
        out["naturalearth-rivers"] = insert_places(con, rows)
    rows = []
    for name, geoms in sorted(_physical("lakes").items()):
        main = max((g for gg in geoms for g in getattr(gg, "geoms", [gg])), key=lambda g: g.area)
        c = main.centroid
        pt = c if main.contains(c) else main.representative_point()
        names = [name]
        bare = re.sub(r"^(?:lake|lago|lac|ozero)\s+(?:of\s+)?|\s+lake$", "", name, flags=re.I)
        if bare != name:
            names += [f"Lake {bare}", f"{bare} Lake"]
        rows.append(PlaceRow(
            uid=f"naturalearth:lake:{key(name) or name.lower()}", name=name,
            country=country_of(float(pt.y), float(pt.x)), admin1=None,
            lat=float(pt.y), lon=float(pt.x), kind="lake", fclass="H", fcode="LK",
            population=0, precision=2, source="naturalearth-lakes",
            note="Natural Earth lake; a point inside its largest polygon",
            names=list(dict.fromkeys(names)), primary=[name]))
    if rows:
        out["naturalearth-lakes"] = insert_places(con, rows)
    return out


def add_naturalearth(con: sqlite3.Connection) -> dict[str, int]:
    """Add the installed layers to an index being built; returns rows per source label."""
    out: dict[str, int] = {}
    if naturalearth.installed_path("populated_places") is not None:
        out["naturalearth-places"] = add_populated_places(con)
    if naturalearth.installed_path("admin1_label_points") is not None:
        out["naturalearth-admin1"] = add_admin1(con)
    out.update(add_physical(con))
    return out
