"""``geoevents export``: incidents (and control lines) to GeoPackage, GeoJSON, KML or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._common import add_gazetteer_options

HELP = "write incidents, control lines and zones to GeoPackage, GeoJSON, KML or CSV"
DESCRIPTION = """\
Read incidents (tables and/or articles, as for `geoevents map`) and write them to FILE, in the
format its extension names or --format gives:

  .gpkg              GeoPackage: layers incidents, sources (one row per source per incident),
                     control_lines and zones (and areas with --areas), typed fields, spatial
                     index, and default QGIS styles (QGIS opens every layer styled)
  .geojson, .json    GeoJSON (RFC 7946): FILE holds the incidents; with --lines also
                     FILE-stem.control_lines.geojson and FILE-stem.zones.geojson, with
                     --areas FILE-stem.areas.geojson; a QGIS style (.qml) beside each file
  .kml               KML for Google Earth: styled placemarks, descriptions, time spans
  .csv               CSV in the geoevents layout (UTF-8 with BOM, for spreadsheets)
  .csv, --format acled-csv
                     CSV in ACLED's export columns (for tools that read ACLED data)

An existing file is replaced only with --overwrite, an input never; the extension must match
the format.  Files are written whole or not at all (a temporary file in the same folder, renamed
into place; nothing is left behind on an error, Ctrl-C or SIGTERM).  Output is byte-identical
for the same input (GeoPackages too).

exit status: 0 all written, 1 written but some inputs could not be read or placed (listed),
2 usage or input error (nothing written)."""

def register(sub: argparse._SubParsersAction) -> None:
    from geoevents.pipeline import add_input_arguments
    from maps.export import FORMATS

    p = sub.add_parser("export", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_arguments(p)
    from ..store.query import add_store_arguments

    add_store_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE", type=Path, required=True,
                   help="the file to write (.gpkg, .geojson/.json, .kml, .csv)")
    p.add_argument("--format", dest="format", metavar="FORMAT", default=None,
                   choices=tuple(FORMATS),
                   help=f"{', '.join(FORMATS)} (default: from the extension of FILE)")
    p.add_argument("--areas", metavar="AREAS", type=Path,
                   help="control areas to write with the other layers: a file written by "
                   "`geoevents areas build` (one style per party)")
    p.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    add_gazetteer_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from geoevents.pipeline import load_frames, report_rejections, table_options
    from maps.export import ExportError, export_frames, output_files, resolve_format
    from maps.writers import check

    from ._common import open_gazetteer
    from ._maps import ARTICLE_SUFFIXES

    # Refuse a bad output before reading anything (the inputs may take a while).
    fmt = resolve_format(args.output, args.format)
    inputs = [*args.inputs, *(args.lines or []), *([args.meta] if args.meta else []),
              *([args.areas] if args.areas else [])]
    check(output_files(args.output, fmt, lines=bool(args.lines), zones=bool(args.lines),
                       areas=args.areas is not None),
          overwrite=args.overwrite, inputs=inputs, what="export", error=ExportError)

    areas = None
    if args.areas is not None:  # read first: a bad areas file stops before the long part
        from ..control.areas import read_areas

        areas = read_areas(args.areas)
    gazetteer = None  # as for `geoevents map`: articles and control-line specs name places
    if args.lines or any(Path(p).suffix.lower() in ARTICLE_SUFFIXES for p in args.inputs):
        gazetteer = open_gazetteer(args)
    from ..store.query import store_query

    frames = load_frames([Path(p) for p in args.inputs], published=args.published,
                         meta=args.meta, lines=args.lines, gazetteer=gazetteer,
                         store=store_query(args), options=table_options(args))
    # A few rejections, all in the report beside the output, one summary line; nothing read
    # at all: InputError (exit 2) and no export.
    report = report_rejections(frames, "export", args.output, verb="not exported", write=False)
    result = export_frames(args.output, frames.incidents, frames.lines, frames.zones,
                           areas=areas, fmt=fmt, overwrite=args.overwrite, inputs=inputs)
    if report is not None:  # only once the export is written: a failed one leaves nothing
        from geoevents.pipeline import write_rejections

        write_rejections(frames.rejections, report)
    print(f"geoevents export: {result.summary()}", file=sys.stderr)
    return 1 if frames.rejections else 0
