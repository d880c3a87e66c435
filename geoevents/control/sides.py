"""The side of a control line each incident is on (see :mod:`geoevents.control.lines`).

An incident gets a side only when its dates overlap the line's validity.  It is in a zone when
the zone polygon contains its point; ``line_distance_km`` is the distance to the line.  It is
``near_line`` when that distance is within the uncertainty of its own location precision
(:data:`NEAR_LINE_KM`); a near-line incident keeps ``line_id`` and the distance but gets no
party, bank or side.  With several lines, the nearest valid one wins.
"""

from __future__ import annotations

from typing import Any

from .lines import NEAR_LINE_DEFAULT_KM, NEAR_LINE_KM, _apply, _local_crs, _transformers

__all__ = ["NEAR_LINE_KM", "assign_sides", "near_radius_km"]

def near_radius_km(precision: Any) -> Any:
    """Location uncertainty in km for geo_precision values (scalar or array)."""
    import numpy as np

    p = np.asarray(precision, dtype="float64")
    out = np.full(p.shape, NEAR_LINE_DEFAULT_KM)
    for k, v in NEAR_LINE_KM.items():
        out[p == k] = v
    return out


def _iso(series: Any) -> Any:
    import numpy as np

    return np.asarray(series.fillna("").astype(str).str.slice(0, 10), dtype=object)


def assign_sides(incidents: Any, lines: Any, zones: Any) -> Any:
    """A copy of an INCIDENTS frame with the optional columns zone_party, zone_bank, zone_side,
    line_id, line_distance_km and near_line (see the module docstring for the rules).
    Vectorised: about a million incidents in a few seconds."""
    import numpy as np
    import pandas as pd
    import shapely

    out = incidents.copy()
    if out.crs is not None and out.crs.to_epsg() != 4326:
        out = out.to_crs(4326)
    n = len(out)
    best = np.full(n, np.inf)
    party = np.full(n, "", dtype=object)
    bank = np.full(n, "", dtype=object)
    side = np.full(n, "", dtype=object)
    line_id = np.full(n, "", dtype=object)
    near = np.zeros(n, dtype=bool)
    if n and lines is not None and len(lines):
        geom = out.geometry
        x = np.asarray(geom.x, dtype="float64")
        y = np.asarray(geom.y, dtype="float64")
        ok_xy = np.isfinite(x) & np.isfinite(y)
        start = _iso(out["date_start"]) if "date_start" in out else np.full(n, "", object)
        end = _iso(out["date_end"]) if "date_end" in out else start
        end = np.where(end == "", start, end)
        has_date = start != ""
        precision = (out["geo_precision"] if "geo_precision" in out
                     else pd.Series(np.nan, index=out.index))
        radius = near_radius_km(pd.to_numeric(precision, errors="coerce"))
        for _, ln in lines.iterrows():
            lid = str(ln["id"])
            vf, vt = str(ln.get("valid_from") or ""), str(ln.get("valid_to") or "")
            valid = ok_xy.copy()
            if vf or vt:
                valid &= has_date
                if vt:
                    valid &= start <= vt
                if vf:
                    valid &= end >= vf
            lz = zones[zones["line_id"] == lid]
            # Only incidents near the zones or the line can be affected.
            bounds = shapely.bounds(shapely.union_all([ln.geometry, *lz.geometry]))
            margin = 0.6  # degrees, > the largest near-line radius (50 km)
            valid &= ((x >= bounds[0] - margin) & (x <= bounds[2] + margin)
                      & (y >= bounds[1] - margin) & (y <= bounds[3] + margin))
            idx = np.nonzero(valid)[0]
            if idx.size == 0:
                continue
            mid = ln.geometry.interpolate(0.5, normalized=True)
            fwd, _ = _transformers(_local_crs(mid.x, mid.y))
            px, py = fwd.transform(x[idx], y[idx])
            pts = shapely.points(px, py)
            proj_line = _apply(fwd, ln.geometry)
            coords = shapely.get_coordinates(proj_line)
            segs = shapely.linestrings(
                np.stack([coords[:-1], coords[1:]], axis=1)) if len(coords) > 1 else [proj_line]
            tree = shapely.STRtree(segs)
            (qi, _), dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
            d_km = np.full(idx.size, np.inf)
            d_km[qi] = dist / 1000.0
            zone_of = np.full(idx.size, -1)
            for zi, (_, z) in enumerate(lz.iterrows()):
                g = z.geometry
                if g is None or g.is_empty:
                    continue
                shapely.prepare(g)
                inside = shapely.contains_xy(g, x[idx], y[idx])
                zone_of[inside & (zone_of < 0)] = zi
            is_near = d_km <= radius[idx]
            hit = (zone_of >= 0) | is_near
            better = hit & (d_km < best[idx])
            sel = idx[better]
            best[sel] = d_km[better]
            line_id[sel] = lid
            near[sel] = is_near[better]
            zrows = lz.reset_index(drop=True)
            zp = np.asarray([*list(zrows["party"]), ""], dtype=object)
            zb = np.asarray([*list(zrows["bank"]), ""], dtype=object)
            zs = np.asarray([*list(zrows["side"]), ""], dtype=object)
            k = np.where(is_near[better] | (zone_of[better] < 0), len(zrows), zone_of[better])
            party[sel], bank[sel], side[sel] = zp[k], zb[k], zs[k]
    out["zone_party"] = party
    out["zone_bank"] = bank
    out["zone_side"] = side
    out["line_id"] = line_id
    out["line_distance_km"] = np.where(np.isfinite(best), np.round(best, 3), np.nan)
    out["near_line"] = near
    return out
