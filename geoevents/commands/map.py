"""``geoevents map``: incidents (tables and/or articles) and control lines to one offline HTML
map, and optionally a static PNG/SVG and an HTML fragment for briefing pages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..pipeline import add_input_arguments
from ._common import add_gazetteer_options, check_outputs, staged_outputs
from ._maps import add_map_options, basemap_notice, default_title, load, read_overlays

HELP = "draw incidents and control lines on an offline interactive map (HTML, PNG, SVG)"
DESCRIPTION = """\
Draw incidents on one self-contained HTML map that works with no network: markers by event
type (colour and shape) and size by fatalities, approximate locations as dashed rings, popups
with dates, places, casualties per side and source, claims and every source with its quote,
control lines and their zones (--lines), a Natural Earth basemap, a date filter, legend, layer
control and scale bar.  INPUT files are incident tables (our CSV/GeoJSON, ACLED/UCDP exports)
and/or articles, extracted on the fly as by `geoevents extract`.

  geoevents map ../shared/seeds/*.txt --meta ../shared/seeds/meta.yaml \\
      --lines data/lines/deir-ez-zor-2018.yaml -o map.html --png map.png

The page inlines every script and style: it makes no network request unless --tiles is given.
The basemap needs the Natural Earth layers (`geoevents data install naturalearth`).

exit status: 0 done, 1 some inputs could not be placed (listed on stderr), 2 usage or input
error."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("map", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_arguments(p)
    from ..store.query import add_store_arguments

    add_store_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE", type=Path, default=Path("map.html"),
                   help="the HTML map to write (default: map.html)")
    p.add_argument("--png", metavar="FILE", type=Path, help="also write a static PNG map")
    p.add_argument("--svg", metavar="FILE", type=Path, help="also write a static SVG map")
    p.add_argument("--fragment", metavar="FILE", type=Path,
                   help="also write an HTML fragment (the map in a sandboxed <iframe>) to paste "
                   "into a page")
    p.add_argument("--renderer", choices=("auto", "svg", "canvas"), default="auto",
                   help="how the page draws incidents: svg (one element each), canvas (fast "
                   "for many), auto (svg up to 4,000 incidents)")
    p.add_argument("--areas", metavar="FILE", type=Path, action="append", default=[],
                   help="control areas written by `geoevents areas build` (GeoJSON/GeoPackage): "
                   "drawn in the parties' colours, as of the date the date control selects; "
                   "repeatable")
    p.add_argument("--hexagons", metavar="FILE", type=Path, action="append", default=[],
                   help="hexagon counts written by `geoevents archive hexagons`: a layer that "
                   "follows the date control; repeatable (no INPUT needed)")
    add_map_options(p)
    add_gazetteer_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import maps
    from gazetteer import InputError

    outputs = check_outputs(args, {"map": args.output, "map --fragment": args.fragment,
                                   "map --png": args.png, "map --svg": args.svg}, what="map")
    areas = read_overlays(args.areas, "areas")
    hexagons = read_overlays(args.hexagons, "hexagons")
    frames, basemap = load(args, "map", (areas, hexagons))
    title = args.title or default_title([Path(p) for p in args.inputs], len(frames.incidents))
    common = {"basemap": basemap, "title": title, "subtitle": args.subtitle,
              "attribution": args.attribution}
    try:
        page = maps.render_html(frames.incidents, frames.lines, frames.zones, tiles=args.tiles,
                                tiles_attribution=args.tiles_attribution,
                                renderer=args.renderer,
                                notice=basemap_notice(args, basemap), areas=areas,
                                hexagons=hexagons, **common)
    except (maps.SchemaError, ValueError) as exc:
        raise InputError(str(exc)) from None
    # All the files or none (a static image that cannot be drawn leaves no HTML behind).
    with staged_outputs(args, outputs, what="map") as out:
        out.write(args.output, page)
        written = [str(args.output)]
        if args.fragment:
            out.write(args.fragment, maps.render_fragment(page, title=title))
            written.append(str(args.fragment))
        for path, fmt in ((args.png, "png"), (args.svg, "svg")):
            if path:
                out.write(path, maps.render_static(frames.incidents, frames.lines, frames.zones,
                                                   fmt=fmt, **common))
                written.append(str(path))
    n = len(frames.incidents)
    print(f"geoevents map: {n} incident{'' if n == 1 else 's'}"
          + (f", {len(frames.lines)} line(s)" if frames.lines is not None else "")
          + f" -> {', '.join(written)}", file=sys.stderr)
    return 1 if frames.rejections else 0
