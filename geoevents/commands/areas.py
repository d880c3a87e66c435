"""``geoevents areas``: control areas (who holds what) from control tables and incidents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._common import (
    LazyGazetteer,
    add_gazetteer_options,
    add_overwrite_option,
    check_outputs,
    staged_outputs,
    usage,
)

HELP = "draw the parties' control areas from the places they hold"
DESCRIPTION = """\
Control areas from control tables (CSV, YAML or GeoJSON of place, lat, lon, party, date,
status, party2, source) and the territorial changes of incident tables (ACLED's "Government
regains territory" / "Non-state actor overtakes territory", or `geoevents extract` output).

  geoevents areas build TABLE... -o areas.geojson [--at DATE] [--every week] [--lines SPEC]
                        [--clip COUNTRY] [--reach KM] [--reach-spacing F] [--parties FILE]
                        [--clip-tolerance KM]
      each place's party as of each date, tessellated (Voronoi) in a metric projection,
      cut at --reach km from the places, split by control lines, clipped to the countries,
      dissolved per party.  Writes a GeoJSON FeatureCollection of areas (party, status,
      party2, color, color2, as_of, valid_from, valid_to, n_places, sources, area_id).

  geoevents areas build --store STORE [--from DATE] [--to DATE] [--country CC] [--bbox W,S,E,N]
      the same from the territorial changes among an incident store's incidents (those that
      pass the filters), with or without tables.

The table format is in docs/control.md; data/control/ holds a worked example, and
data/parties/syria-2016-2019.yaml a parties file.

exit status: 0 done, 1 done but some rows were rejected (listed on stderr; --rejections FILE
writes them as CSV), 2 usage or input error (the message names file, line and field)."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("areas", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    asub = p.add_subparsers(dest="areas_command", metavar="ACTION")
    b = asub.add_parser("build", help="build control areas from control tables",
                        description="Build control areas from control tables and incident "
                        "tables into one GeoJSON file (see `geoevents areas --help`).")
    b.add_argument("inputs", nargs="*", metavar="TABLE", type=Path,
                   help="control table (CSV, YAML, GeoJSON) or incident table; several are "
                   "read together (none with --store)")
    b.add_argument("-o", "--output", metavar="FILE", type=Path, required=True,
                   help="output GeoJSON file (.geojson)")
    b.add_argument("--at", metavar="DATE", action="append", default=[],
                   help="the date the areas are as of (YYYY-MM-DD; default: the latest row); "
                   "repeat for a series")
    b.add_argument("--every", metavar="STEP",
                   help="a series from the first row's date: day, week, month, 'N days'")
    b.add_argument("--lines", metavar="SPEC", type=Path, action="append", default=[],
                   help="control line (spec YAML, GeoJSON line or built lines file) that no "
                   "area crosses, on the dates it is valid; repeatable")
    b.add_argument("--clip", metavar="AREA", action="append", default=[],
                   help="clip to a country (code or name; Natural Earth admin-0), "
                   "admin1:NAME (Natural Earth admin-1) or FILE[:NAME] (polygons of a file); "
                   "repeatable, or comma-separated countries")
    b.add_argument("--clip-tolerance", metavar="KM", type=float, default=None,
                   help="a country clip reaches this far beyond its Natural Earth 1:10 m "
                   "border, so border towns stay in their areas (default 2; 0: the drawn "
                   "border exactly)")
    b.add_argument("--no-borders", dest="borders", action="store_false",
                   help="let areas cross the borders between --clip countries (by default "
                   "a border between two clip countries is a line no area crosses)")
    b.add_argument("--reach", metavar="KM", type=float, default=None,
                   help="land farther than this from every place is nobody's (default 25; "
                   "0: no limit)")
    b.add_argument("--reach-spacing", metavar="F", type=float, default=None,
                   help="the reach follows the places' density: each place reaches at least "
                   "F times the distance to its 5th nearest place (2 is a good value for "
                   "tables with tens of km between places)")
    b.add_argument("--parties", metavar="FILE", type=Path,
                   help="parties YAML (names, colours, aliases); default: each party name is "
                   "its own party with an automatic colour")
    b.add_argument("--countries", metavar="CODES", default="",
                   help="countries (comma-separated codes or names) to resolve place names in")
    b.add_argument("--any-order", action="store_true",
                   help="accept a place's rows in any date order (default: rows going back "
                   "in time are an error)")
    b.add_argument("--rejections", metavar="FILE", type=Path,
                   help="write the rejected rows (file, line, field, reason, text) as CSV")
    from ..store.query import add_store_arguments

    add_store_arguments(b)  # the store's territorial changes, --from/--to/--country/--bbox
    add_overwrite_option(b)
    add_gazetteer_options(b)
    b.set_defaults(run=run_build)
    p.set_defaults(run=lambda args: usage(p))





def _check_parties(args: argparse.Namespace) -> None:
    from gazetteer import InputError

    p = args.parties
    try:
        if p is not None and p.exists() and args.output.exists() and p.samefile(args.output):
            raise InputError("is an input (the parties file); write the areas to another file",
                             file=str(args.output))
    except OSError:
        pass


def geojson_text(frame) -> str:
    """The AREAS frame as one GeoJSON FeatureCollection (same frame, same text), by the one
    GeoJSON writer (:func:`maps.geojson.write_collection`; coordinates as built)."""
    from maps.geojson import collection_bytes

    return collection_bytes(frame, decimals=None).decode("utf-8")


def run_build(args: argparse.Namespace) -> int:
    from ..control.areas import DEFAULT_REACH_KM, build
    from .lines import report_rejections

    check_outputs(args, {"areas build": args.output}, what="areas")
    _check_parties(args)
    reach = DEFAULT_REACH_KM if args.reach is None else (args.reach or None)
    if reach is not None and not (0 < reach <= 5000):
        from gazetteer import InputError

        raise InputError(f"--reach {args.reach:g}: give km between 0 (no limit) and 5000",
                         field="reach")
    if args.reach_spacing is not None and not (0 < args.reach_spacing <= 100):
        from gazetteer import InputError

        raise InputError(f"--reach-spacing {args.reach_spacing:g}: give a factor above 0 and "
                         "at most 100", field="reach-spacing")
    if args.clip_tolerance is not None and not (0 <= args.clip_tolerance <= 50):
        from gazetteer import InputError

        raise InputError(f"--clip-tolerance {args.clip_tolerance:g}: give km between 0 and 50",
                         field="clip-tolerance")
    from ..store.query import store_query

    store = store_query(args)
    if not args.inputs and store is None:
        from gazetteer import InputError

        raise InputError("give control tables (TABLE...), or --store STORE to read the "
                         "territorial changes of an incident store")
    gz = LazyGazetteer(args)
    try:
        res = build(args.inputs, store=store, at=args.at or None, every=args.every, lines=args.lines,
                    clip=args.clip, reach_km=reach, parties=args.parties, gazetteer=gz,
                    countries=tuple(c.strip() for c in args.countries.split(",") if c.strip()),
                    any_order=args.any_order, borders=args.borders,
                    reach_spacing=args.reach_spacing, clip_tolerance_km=args.clip_tolerance)
    finally:
        gz.close()
    with staged_outputs(args, [args.output], what="areas") as st:
        st.write(args.output, geojson_text(res.frame))
    report_rejections("areas build", res.n_rows, res.rejections, args.output, args.rejections,
                      res.warnings)
    n_places = len(res.places)
    print(f"{n_places} place(s), {len(res.dates)} date(s) ({res.dates[0]}"
          f"{' to ' + res.dates[-1] if len(res.dates) > 1 else ''}): {len(res.frame)} area(s) "
          f"of {res.frame['party'].nunique()} part(ies); wrote {args.output}", file=sys.stderr)
    return 1 if res.rejections else 0
