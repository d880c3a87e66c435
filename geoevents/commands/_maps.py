"""What ``geoevents map`` and ``geoevents brief`` share: the map options, reading the inputs into
frames, the basemap, and reporting what could not be placed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".text")


def add_map_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("map")
    g.add_argument("--title", metavar="TEXT", help="map title (default: from the inputs)")
    g.add_argument("--subtitle", metavar="TEXT",
                   help="line under the title (default: date range and number of incidents)")
    g.add_argument("--tiles", metavar="URL", nargs="?", const="osm",
                   help="add web tiles above the offline basemap: 'osm' (the default when "
                   "given without a value) or an http(s) URL template with {z}/{x}/{y}; the "
                   "only option that makes the page use the network")
    g.add_argument("--tiles-attribution", metavar="TEXT",
                   help="attribution shown for --tiles URL")
    g.add_argument("--no-basemap", action="store_true",
                   help="leave out the Natural Earth basemap (countries, rivers, lakes, places)")
    g.add_argument("--attribution", metavar="TEXT", action="append", default=[],
                   help="credit another data source on the map; repeatable")
    g.add_argument("--overwrite", action="store_true",
                   help="replace output files that exist (never an input)")


def default_title(inputs: list[Path], n: int) -> str:
    if not inputs:
        return "Incidents"
    if len(inputs) == 1:
        return f"Incidents: {inputs[0].name}"
    return f"Incidents from {len(inputs)} inputs"


def nothing_to_draw(frames: Any, *overlays: Any) -> bool:
    """True when there is no incident, line, zone, area or hexagon to draw."""
    return all(f is None or len(f) == 0
               for f in (frames.incidents, frames.lines, frames.zones, *overlays))


#: Columns an overlay file must have: control areas (``geoevents areas build``) and hexagon
#: counts (``geoevents archive hexagons``), the AREAS and HEXAGONS frames.
OVERLAY_COLUMNS = {"areas": ("party", "status", "color", "as_of", "valid_from"),
                   "hexagons": ("cell", "count", "period_start", "period_end")}


def read_overlays(paths: list[Path], kind: str) -> Any:
    """The AREAS or HEXAGONS frame of ``paths`` (GeoJSON or GeoPackage files written by
    ``areas build`` / ``archive hexagons``), concatenated; None without paths.  A file that is
    missing, unreadable or lacks the kind's columns is an InputError naming it."""
    if not paths:
        return None
    import geopandas as gpd
    import pandas as pd

    from gazetteer import InputError

    frames = []
    for path in paths:
        if not path.is_file():
            raise InputError("no such file" if not path.exists() else "is not a file",
                             file=str(path), field=f"--{kind}")
        try:
            frame = gpd.read_file(path, engine="pyogrio")
        except Exception as exc:  # pyogrio's errors name GDAL's reason
            raise InputError(f"cannot be read as {kind}: {str(exc).splitlines()[0]}",
                             file=str(path), field=f"--{kind}") from None
        missing = [c for c in OVERLAY_COLUMNS[kind] if c not in frame.columns]
        if missing:
            made_by = "geoevents areas build" if kind == "areas" else "geoevents archive hexagons"
            raise InputError(f"not a file of {kind} (no column {', '.join(missing)}; write one "
                             f"with `{made_by}`)", file=str(path), field=f"--{kind}")
        frames.append(frame.to_crs("EPSG:4326") if frame.crs else frame.set_crs("EPSG:4326"))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def load(args: argparse.Namespace, command: str, overlays: tuple[Any, ...] = ()
         ) -> tuple[Any, Any]:
    """(Frames, Basemap or None) for the inputs of ``args``; warnings go to stderr.
    ``overlays`` (areas, hexagons) count as something to draw: with them, no input is needed."""
    from gazetteer.naturalearth import NotInstalled

    from ..pipeline import load_frames, report_rejections, table_options
    from ._common import open_gazetteer

    inputs = [Path(p) for p in args.inputs]
    needs_gazetteer = bool(args.lines) or any(p.suffix.lower() in ARTICLE_SUFFIXES
                                              for p in inputs)
    gz = open_gazetteer(args) if needs_gazetteer else None
    from ..store.query import store_query

    drawn = [o for o in overlays if o is not None and len(o)]
    try:
        if drawn and not inputs and store_query(args) is None:
            from ..pipeline import load_incidents

            frames = load_incidents([])  # areas or hexagons alone
        else:
            frames = load_frames(inputs, published=args.published, meta=args.meta,
                                 lines=args.lines, gazetteer=gz, store=store_query(args),
                                 options=table_options(args))
    except NotInstalled as exc:  # a line along a river without Natural Earth's rivers
        print(f"geoevents {command}: warning: control line(s) left off the map: {exc}",
              file=sys.stderr)
        frames = load_frames(inputs, published=args.published, meta=args.meta,
                             gazetteer=gz, store=store_query(args), options=table_options(args))
    # A few rejections here, all in the report beside the output, then one summary line;
    # nothing read at all: InputError (exit 2) before anything is written.
    report_rejections(frames, command, getattr(args, "output", None))
    if nothing_to_draw(frames, *overlays):
        from gazetteer import InputError

        n = len(frames.rejections)
        why = (f"all {n} input record{'' if n == 1 else 's'} were rejected" if n
               else "the inputs hold no incidents")
        raise InputError(f"nothing to draw: {why}; no {command} written")
    basemap = None
    if not args.no_basemap:
        import maps

        bounds = maps.data_bounds(frames.incidents, frames.lines, frames.zones)
        for o in drawn:  # the basemap also covers areas and hexagons
            w, so, e, n = (float(v) for v in o.total_bounds)
            bounds = (w, so, e, n) if bounds is None else (
                min(bounds[0], w), min(bounds[1], so), max(bounds[2], e), max(bounds[3], n))
        if bounds is not None:
            basemap = maps.load_basemap(bounds)
            if basemap.missing:
                print(f"geoevents {command}: warning: basemap without Natural Earth layer(s) "
                      f"{', '.join(basemap.missing)}: install them with `geoevents data install "
                      "naturalearth` (or --from DIR); the map is drawn without them",
                      file=sys.stderr)
    return frames, basemap


def basemap_notice(args: argparse.Namespace, basemap: Any) -> str | None:
    """The line a map shows when Natural Earth layers are missing: which command adds them
    (and that control lines along rivers need them); None when nothing is missing."""
    if getattr(args, "no_basemap", False):
        return None
    if basemap is not None:
        missing = list(basemap.missing)
    else:
        from gazetteer import naturalearth as ne

        missing = [k for k in ("countries", "lakes", "rivers", "populated_places")
                   if ne.installed_path(k) is None]
    if not missing:
        return None
    what = ("No basemap: Natural Earth is not installed" if len(missing) >= 4 else
            f"Basemap without the Natural Earth layer(s) {', '.join(missing)}")
    text = (f"{what}. Add it with `geoevents data install naturalearth` (offline: "
            "`geoevents data install naturalearth --from DIR`), then draw the map again.")
    if getattr(args, "lines", None) and "rivers" in missing:
        text += " Control lines along rivers need it too: they are not on this map."
    return text
