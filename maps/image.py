"""Static maps (PNG, SVG) for briefings and reports: matplotlib and geopandas, no browser and no
network.  The same visual language as the interactive map (:mod:`maps.style`): basemap, zones,
lines, incidents by type and size, approximate locations as hollow markers in dashed rings,
a legend, a scale bar, title and attribution.

Deterministic: the same input gives the same SVG and the same PNG pixels (matplotlib writes no
date into a PNG; SVG ids are salted with a fixed string and its date is left out).
"""

from __future__ import annotations

import io
import math
import textwrap
import warnings
from typing import Any

from . import style
from .basemap import Basemap, Bounds

LABEL_LIMIT = 30  # incidents are labelled with their place when there are at most this many
PLACE_LIMIT = 40  # places of the basemap offered to the label placement
RING_LIMIT = 3000  # approximate locations drawn with their ring up to this many
SHRINK_OVER = 4000  # with more incidents than this, markers are drawn at 40 %


def _extent(bounds: Bounds | None, aspect_wh: float) -> Bounds:
    """Data bounds padded (10 %, at least 0.3°) and grown to the figure's aspect ratio (in
    screen units, i.e. with longitudes shrunk by cos(latitude))."""
    if bounds is None:
        bounds = (35.0, 32.0, 42.5, 37.5)
    w, s, e, n = bounds
    pad = max(0.3, 0.1 * max(e - w, n - s))
    w, s, e, n = w - pad, s - pad, e + pad, n + pad
    k = math.cos(math.radians((s + n) / 2))
    width, height = (e - w) * k, n - s
    if width / height < aspect_wh:
        grow = (height * aspect_wh - width) / k / 2
        w, e = w - grow, e + grow
    else:
        grow = (width / aspect_wh - height) / 2
        s, n = s - grow, n + grow
    return (max(-180.0, w), max(-85.0, s), min(180.0, e), min(85.0, n))


def _nice_length(km: float) -> float:
    for v in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000):
        if v >= km:
            return float(v)
    return 5000.0


def _scale_bar(ax: Any, ext: Bounds) -> None:
    from matplotlib.patches import Rectangle
    from pyproj import Geod

    w, s, e, n = ext
    geod = Geod(ellps="WGS84")
    lat = s + (n - s) * 0.06
    x0 = w + (e - w) * 0.04
    full_km = geod.inv(w, lat, e, lat)[2] / 1000.0
    length = _nice_length(full_km / 6)
    lon1, _, _ = geod.fwd(x0, lat, 90, length * 1000)
    half = (lon1 - x0) / 2
    h = (n - s) * 0.008
    ax.add_patch(Rectangle((x0, lat), half, h, facecolor="#222222", edgecolor="#222222",
                           zorder=20))
    ax.add_patch(Rectangle((x0 + half, lat), half, h, facecolor="#ffffff", edgecolor="#222222",
                           zorder=20))
    for frac, label in ((0, "0"), (0.5, f"{length / 2:g}"), (1, f"{length:g} km")):
        ax.text(x0 + 2 * half * frac, lat + h * 1.8, label, ha="center", va="bottom", fontsize=7,
                zorder=20, parse_math=False, path_effects=_halo())


def _halo(width: float = 2.5) -> list[Any]:
    import matplotlib.patheffects as pe

    return [pe.withStroke(linewidth=width, foreground="white")]


def _place_labels(fig: Any, ax: Any,
                  labels: list[tuple[float, float, str, float, str, int, float]],
                  obstacles: list[Any], points: Any = None, centred: int = 0,
                  bold: int = 0, ring_points: Any = None, major: Any = (),
                  centre: Any = ()) -> list[int]:
    """Label points in order of priority, each at the first of a few positions around its
    point (near, then farther out) where it overlaps no label already placed, no obstacle box,
    none of ``points`` (pixel positions sampled along the lines) nor of ``ring_points`` (along
    the ring outlines), and stays inside the map; a label with no free position is left out.
    The first ``centred`` labels (zone names) and those whose index is in ``centre``
    (countries, seas) are centred on their point, or moved up, down or sideways off a line.
    A label whose index is in ``major`` (a city, a country, the place of an incident) that
    finds no room clear of the rings may cross a ring's dashed outline (it is drawn above the
    rings, with a halo); a line, never.  Returns the indices of the labels placed."""
    import numpy as np

    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = [o.get_window_extent(renderer) if hasattr(o, "get_window_extent") else o
             for o in obstacles]
    boxes = np.array([[t.x0, t.y0, t.x1, t.y1] for t in taken], dtype=float).reshape(-1, 4)
    pts = np.asarray(points if points is not None else np.empty((0, 2)), dtype=float)
    rpts = np.asarray(ring_points if ring_points is not None else np.empty((0, 2)),
                      dtype=float).reshape(-1, 2)
    major, centre = set(major), set(centre)

    def hit(p: Any, box: Any) -> bool:
        return bool(len(p) and np.any((p[:, 0] > box.x0) & (p[:, 0] < box.x1)
                                      & (p[:, 1] > box.y0) & (p[:, 1] < box.y1)))

    def free(box: Any, over_rings: bool) -> bool:
        if not (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                and box.y1 <= frame.y1):
            return False
        if len(boxes) and np.any((boxes[:, 0] < box.x1) & (boxes[:, 2] > box.x0)
                                 & (boxes[:, 1] < box.y1) & (boxes[:, 3] > box.y0)):
            return False
        return not hit(pts, box) and (over_rings or not hit(rpts, box))

    centre_spots = [(dx, dy, "center", "center") for dx, dy in
                    ((0, 0), (0, 12), (0, -12), (0, 24), (0, -24), (30, 0), (-30, 0),
                     (0, 40), (0, -40), (-60, 0), (60, 0), (-60, -24), (60, 24), (-90, -12),
                     (90, 12), (0, -60), (0, 60))]
    placed: list[int] = []
    for k, (lon, lat, text, size, color, z, off) in enumerate(labels):
        if k < centred or k in centre:
            spots = centre_spots
        else:
            spots = [sp for o in (off, off + 6, off + 14)
                     for sp in ((o, -1, "left", "top"), (o, 1, "left", "bottom"),
                                (-o, 1, "right", "bottom"), (-o, -1, "right", "top"),
                                (0, o + 2, "center", "bottom"), (0, -o - 2, "center", "top"))]
        done = False
        for over_rings in ((False, True) if k in major else (False,)):
            for dx, dy, ha, va in spots:
                a = ax.annotate(text, (lon, lat), xytext=(dx, dy), textcoords="offset points",
                                ha=ha, va=va, fontsize=size, color=color, zorder=z,
                                fontweight="bold" if k < bold else "normal",
                                annotation_clip=True, parse_math=False,
                                path_effects=_halo(3 if k < centred else 2))
                box = a.get_window_extent(renderer)
                if free(box, over_rings):
                    grown = box.expanded(1.05, 1.1)
                    boxes = np.vstack([boxes, [[grown.x0, grown.y0, grown.x1, grown.y1]]])
                    done = True
                    placed.append(k)
                    break
                a.remove()
            if done:
                break
    return placed


def _line_points(ax: Any, frame: Any, step_px: float = 3.0) -> Any:
    """Pixel positions every ``step_px`` along the lines of ``frame`` (as drawn in ``ax``)."""
    import numpy as np
    import shapely

    if frame is None or len(frame) == 0:
        return np.empty((0, 2))
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1, 1)])
    deg = step_px / max(abs(x1 - x0), abs(y1 - y0), 1e-9)
    geoms = shapely.segmentize(frame.geometry.values, deg)
    coords = shapely.get_coordinates(geoms)
    return ax.transData.transform(coords) if len(coords) else np.empty((0, 2))


def _ring(lat: float, lon: float, km: float) -> tuple[float, float]:
    """Width and height in degrees of a circle of ``km`` radius at ``lat``."""
    dlat = km / 111.32
    dlon = km / (111.32 * max(0.05, math.cos(math.radians(lat))))
    return 2 * dlon, 2 * dlat


def render_static(incidents: Any, lines: Any = None, zones: Any = None, *,
                  basemap: Basemap | None = None, title: str = "Incidents",
                  subtitle: str | None = None, attribution: tuple[str, ...] | list[str] = (),
                  fmt: str = "png", width: float = 10.0, height: float = 7.5,
                  dpi: int = 150, document: dict[str, Any] | None = None) -> bytes:
    """A static map as PNG or SVG bytes (``document``: :func:`maps.html.build_document` of the
    same arguments, to reuse)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from .html import build_document, record

    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be png or svg, not {fmt!r}")
    doc = document if document is not None else build_document(
        incidents, lines, zones, basemap=basemap, title=title, subtitle=subtitle,
        attribution=attribution)
    inc, types = doc["inc"], doc["types"]
    n = len(inc["id"])

    with matplotlib.rc_context({"svg.hashsalt": "geoevents", "svg.fonttype": "none",
                                "font.family": "DejaVu Sans",
                                "font.size": 9}), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs in some scripts: drawn as boxes
        fig = Figure(figsize=(width, height), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.01, 0.07, 0.72, 0.83))
        ext = _extent(tuple(doc["bounds"]) if doc["bounds"] else None,
                      (0.72 * width) / (0.83 * height))
        w, s, e, nn = ext
        mid = (s + nn) / 2
        ax.set_facecolor(style.SEA)
        ax.set_xlim(w, e)
        ax.set_ylim(s, nn)
        ax.set_aspect(1 / math.cos(math.radians(mid)))
        ax.set_xticks([])
        ax.set_yticks([])

        # Basemap.
        place_labels: list[tuple[float, float, str, float, str, int, float]] = []
        place_major: list[bool] = []
        place_dots: list[float] = []
        area_labels: list[tuple[float, float, str, float, str, int, float]] = []
        if basemap is not None and not basemap.empty:
            if basemap.countries is not None and len(basemap.countries):
                basemap.countries.plot(ax=ax, facecolor=style.LAND, edgecolor=style.LAND_EDGE,
                                       linewidth=0.6, zorder=1)
            if basemap.lakes is not None and len(basemap.lakes):
                basemap.lakes.plot(ax=ax, facecolor=style.WATER, edgecolor=style.RIVER,
                                   linewidth=0.3, zorder=2)
            if basemap.rivers is not None and len(basemap.rivers):
                for major, lw in ((False, 0.7), (True, 1.3)):
                    part = basemap.rivers[(basemap.rivers["rank"] <= 4) == major]
                    if len(part):
                        part.plot(ax=ax, color=style.RIVER, linewidth=lw, zorder=3)
            # Place labels as the interactive map shows them at this scale (the zoom whose
            # pixels match the image's), most important first; countries and seas too.
            zoom = math.log2(360.0 * width * 0.72 * dpi / (256.0 * max(1e-9, e - w)))
            base_doc = doc["base"] or {}
            for la, lo, name, mz, pop, capital in base_doc.get("places", []):
                if not (w < lo < e and s < la < nn) or mz > zoom + 0.5:
                    continue
                if len(place_labels) >= PLACE_LIMIT:
                    break
                place_labels.append((lo, la, name, 7.5 if pop >= 100_000 or capital else 6.5,
                                     "#222222", 8, 3.0))
                place_major.append(pop >= 100_000 or bool(capital))
                place_dots.append(3.5 if capital else 2.5)
            for c in base_doc.get("countryLabels", []):
                if w < c[1] < e and s < c[0] < nn and (len(c) < 4 or c[3] <= zoom + 1):
                    area_labels.append((c[1], c[0], c[2].upper(), 8.0, "#8a8580", 4, 0.0))
            for c in base_doc.get("seaLabels", []):
                if w < c[1] < e and s < c[0] < nn and c[3] <= zoom + 1:
                    area_labels.append((c[1], c[0], c[2], 7.5, "#4a7fa8", 4, 0.0))

        # Zones, then lines.
        legend_extra: list[Any] = []
        zone_labels: list[tuple[float, float, str, float, str, int, float]] = []
        if zones is not None and len(zones):
            for z, (_, row) in zip(doc["zones"], zones.iterrows(), strict=True):
                frame = zones.loc[[_]]
                frame.plot(ax=ax, facecolor=z["color"], alpha=0.2, edgecolor=z["color"],
                           linewidth=0.8, zorder=5)
                if z["label"] and z["party"]:
                    la, lo = z["label"]
                    if w < lo < e and s < la < nn:
                        zone_labels.append((lo, la, z["party"], 9.0, z["color"], 9, 0.0))
                legend_extra.append(Patch(facecolor=z["color"], alpha=0.35, edgecolor=z["color"],
                                          label=f"{z['party'] or 'party not given'}"
                                          + (f" ({z['side']} side)" if z["side"] else "")))
                del row
        if lines is not None and len(lines):
            for ln, (idx, _row) in zip(doc["lines"], lines.iterrows(), strict=True):
                lines.loc[[idx]].plot(ax=ax, color=ln["color"], linewidth=2.6, zorder=10,
                                      linestyle="-" if ln["kind"] == "river" else "--")
                legend_extra.insert(0, Line2D([], [], color=ln["color"], linewidth=2.6,
                                              linestyle="-" if ln["kind"] == "river" else "--",
                                              label=ln["name"] or ln["id"]))

        # Incidents, one scatter per event type and kind of location (biggest first within
        # each, so small ones stay visible on top); rings as two ellipse collections.
        import numpy as np
        from matplotlib.collections import EllipseCollection

        # Many incidents: markers at 40 % (as the interactive map zoomed out), the legend too.
        shrink = 1.0 if n <= SHRINK_OVER else 0.4
        lat_a = np.asarray(inc["lat"], dtype=float)
        lon_a = np.asarray(inc["lon"], dtype=float)
        f_a = np.asarray([v if v is not None else 0 for v in inc["f"]], dtype=float)
        t_a = np.asarray(inc["t"], dtype=int)
        p_a = np.asarray(inc["p"], dtype=int)
        r_a = np.minimum(style.RADIUS_MAX, np.where(f_a > 0, style.RADIUS_BASE
                                                    + style.RADIUS_SCALE * np.sqrt(f_a),
                                                    style.RADIUS_BASE))
        ring_obstacles: list[tuple[float, float, float, float]] = []
        # Rings only while they can be told apart (as the interactive map, which starts with
        # them hidden when it has many incidents); the hollow markers still say "approximate".
        rings = int(np.count_nonzero(p_a >= 2)) <= RING_LIMIT
        for km_p, km in style.PRECISION_RADIUS_KM.items():
            sel = np.nonzero(p_a == km_p)[0]
            if not len(sel) or not rings:
                continue
            dlat = 2 * km / 111.32
            dlon = dlat / np.maximum(0.05, np.cos(np.radians(lat_a[sel])))
            colors = [types[k]["color"] for k in t_a[sel]]
            offsets = np.column_stack([lon_a[sel], lat_a[sel]])
            for fill in (True, False):
                ax.add_collection(EllipseCollection(
                    dlon, np.full(len(sel), dlat), np.zeros(len(sel)), units="xy",
                    offsets=offsets, offset_transform=ax.transData,
                    facecolors=colors if fill else "none", alpha=0.08 if fill else None,
                    edgecolors="none" if fill else colors, linewidths=0 if fill else 1,
                    linestyles="solid" if fill else (0, (4, 3)), zorder=11))
            if len(sel) <= 2000:
                ring_obstacles.extend((lon_a[i], lat_a[i], dlon[j] / 2, dlat / 2)
                                      for j, i in enumerate(sel))
        # Markers of one type, kind of location and size (to half a pixel) are stamped in one
        # call (Agg draws a marker once and copies it): fast for 100,000s of incidents.  Larger
        # sizes first, so small markers stay visible on top.
        r_q = np.round(r_a * shrink * 2) / 2
        markers = {ts.name: ts.mpl_marker for ts in (*style.EVENT_TYPES, style.OTHER)}
        for r in sorted(set(r_q.tolist()), reverse=True):
            for k, t in enumerate(types):
                marker = markers[t["name"]]
                for approx in (False, True):
                    sel = np.nonzero((r_q == r) & (t_a == k) & ((p_a >= 2) == approx))[0]
                    if not len(sel):
                        continue
                    ax.plot(lon_a[sel], lat_a[sel], linestyle="none", marker=marker,
                            markersize=1.1 * r * (1.6 if marker == "*" else 1.0),
                            markerfacecolor="white" if approx else t["color"],
                            markeredgecolor=t["color"] if approx else "white",
                            markeredgewidth=1.4 if approx else 0.7, alpha=0.9, zorder=12)
        labels: list[tuple[float, float, str, float, str, int, float]] = []
        if 0 < n <= LABEL_LIMIT:
            for i in range(n):
                x = record(doc, i)
                name = x["nm"] or (doc["S"][x["pr"]] if x["pr"] is not None else x["pl"]) or ""
                if name:
                    labels.append((inc["lon"][i], inc["lat"][i], name, 6.5, "#111111", 13,
                                   0.55 * style.radius_px(inc["f"][i]) + 2))
        # Markers, zone labels and the scale bar are obstacles for the place labels.
        from matplotlib.transforms import Bbox

        obstacles: list[Any] = []
        if n <= 2000:
            for i in range(n):
                px, py = ax.transData.transform((inc["lon"][i], inc["lat"][i]))
                half = 0.5 * style.radius_px(inc["f"][i]) * dpi / 72
                obstacles.append(Bbox.from_extents(px - half, py - half, px + half, py + half))
        sx0, sy0 = ax.transAxes.transform((0.0, 0.0))
        sx1, sy1 = ax.transAxes.transform((0.3, 0.12))
        obstacles.append(Bbox.from_extents(sx0, sy0, sx1, sy1))  # the scale bar's corner
        # Lines and ring outlines: no label across them.
        pts = _line_points(ax, lines)
        ring_pts = np.empty((0, 2))
        if ring_obstacles:
            angles = np.linspace(0, 2 * np.pi, 120, endpoint=False)
            ring = np.array(ring_obstacles)
            xs = ring[:, 0:1] + ring[:, 2:3] * np.cos(angles)
            ys = ring[:, 1:2] + ring[:, 3:4] * np.sin(angles)
            ring_pts = ax.transData.transform(np.column_stack([xs.ravel(), ys.ravel()]))
        # Order: zone names, the incidents' places, the cities, countries and seas, the other
        # places.  Incidents' places, cities and countries may cross a ring's outline.
        named = {lb[2] for lb in labels}  # an incident's place is named once
        cities = [k for k, m in enumerate(place_major) if m and place_labels[k][2] not in named]
        towns = [k for k, m in enumerate(place_major)
                 if not m and place_labels[k][2] not in named]
        ordered = (zone_labels + labels + [place_labels[k] for k in cities] + area_labels
                   + [place_labels[k] for k in towns])
        nz, nl, nc, na = len(zone_labels), len(labels), len(cities), len(area_labels)
        done = _place_labels(
            fig, ax, ordered, obstacles, pts, centred=nz, bold=nz, ring_points=ring_pts,
            major=range(nz, nz + nl + nc + na), centre=range(nz + nl + nc, nz + nl + nc + na))
        # A place's dot where its name was placed.
        order_of_place = cities + towns
        for j in done:
            if j >= nz + nl and not nz + nl + nc <= j < nz + nl + nc + na:
                k = order_of_place[j - nz - nl - (na if j >= nz + nl + nc + na else 0)]
                lo, la = place_labels[k][0], place_labels[k][1]
                ax.plot([lo], [la], marker="o", markersize=place_dots[k], color=style.PLACE,
                        markeredgecolor="white", markeredgewidth=0.5, zorder=8)

        ax.set_xlabel("")
        ax.set_ylabel("")
        _scale_bar(ax, ext)

        # Legend (right of the map).
        handles: list[Any] = []
        for ts in (*style.EVENT_TYPES, style.OTHER):
            count = next(t["count"] for t in types if t["name"] == ts.name)
            if count:
                handles.append(Line2D([], [], marker=ts.mpl_marker, linestyle="none",
                                      markersize=11 if ts.mpl_marker == "*" else 8,
                                      markerfacecolor=ts.color,
                                      markeredgecolor="white", label=f"{ts.name} ({count})"))
        size_handles = [Line2D([], [], marker="o", linestyle="none",
                               markersize=1.1 * style.radius_px(f) * shrink,
                               markerfacecolor="#888888",
                               markeredgecolor="white",
                               label="0 / unknown" if f == 0 else
                               (f"{f}+" if f == style.SIZE_LEGEND[-1] else str(f)))
                        for f in style.SIZE_LEGEND]
        prec_handles = [
            Line2D([], [], marker="o", linestyle="none", markersize=8, markerfacecolor="#555555",
                   markeredgecolor="white", label="at the named place"),
            Line2D([], [], marker="o", linestyle="none", markersize=8, markerfacecolor="white",
                   markeredgecolor="#555555", markeredgewidth=1.4,
                   label=("approximate (dashed ring: ~{} km near, ~{} km region)".format(
                       *(f"{v:g}" for v in style.PRECISION_RADIUS_KM.values())) if rings else
                          "approximate (hollow; rings left out for so many)")),
        ]
        y = 0.90
        sizes = "Fatalities (best estimate)" + ("" if shrink == 1 else
                                                ", markers at 40 % for so many")
        for heading, hs in (("Event type", handles), (sizes, size_handles),
                            ("Location", prec_handles),
                            ("Control lines and zones", legend_extra)):
            if not hs:
                continue
            leg = fig.legend(handles=hs, title=heading, loc="upper left",
                             bbox_to_anchor=(0.745, y), frameon=False, fontsize=7.5,
                             title_fontsize=8.5, alignment="left", labelspacing=1.3
                             if heading.startswith("Fatal") else 0.5, borderaxespad=0,
                             # the widest size circle fits its handle: it never covers its text
                             handlelength=(1.15 * style.radius_px(style.SIZE_LEGEND[-1]) * 2
                                           * shrink / 7.5 + 0.4)
                             if heading.startswith("Fatal") else 2.0,
                             handletextpad=0.6)
            for text in leg.get_texts():
                text.set_text(textwrap.fill(text.get_text(), 34))
            renderer = fig.canvas.get_renderer()
            bbox = leg.get_window_extent(renderer).transformed(fig.transFigure.inverted())
            y = bbox.y0 - 0.025

        fig.text(0.01, 0.975, title, fontsize=14, fontweight="bold", va="top", parse_math=False)
        fig.text(0.01, 0.935, doc["subtitle"], fontsize=9, color="#444444", va="top",
                 parse_math=False)
        attr = textwrap.fill(" · ".join(doc["attribution"]), 190)
        fig.text(0.01, 0.02, attr, fontsize=6.5, color="#555555", va="bottom",
                 parse_math=False)

        buf = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None})
        else:
            fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": "geoevents"})
        return buf.getvalue()
