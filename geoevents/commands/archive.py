"""``geoevents archive``: partitioned GeoParquet archives and their aggregates through dask."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "build GeoParquet archives of ACLED/UCDP/GDELT tables; hexagon and side counts via dask"
DESCRIPTION = """\
  geoevents archive build INPUT... -o DIR
      a GeoParquet dataset partitioned by year and country, streamed from the tables
  geoevents archive hexagons DIR --resolution 5 --every week --country SY -o hex.geojson
      incidents and fatalities per h3 cell per week (the HEXAGONS frame: maps draws it)
  geoevents archive sides DIR --lines SPEC --every week -o sides.csv
      incidents and fatalities per side of control lines per week

hexagons and sides run through dask-geopandas on a local cluster (two worker processes) or on
the dask.distributed scheduler given with --scheduler tcp://HOST:8786.  See docs/store.md.

exit status: 0 done, 1 done but some rows were rejected (build: DIR/rejected.csv), 2 usage or
input error."""


def register(sub: argparse._SubParsersAction) -> None:
    from ..store.query import _date

    p = sub.add_parser("archive", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s = p.add_subparsers(dest="archive_command", metavar="SUBCOMMAND", required=True)
    b = s.add_parser("build", help="GeoParquet dataset partitioned by year and country")
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="ACLED/UCDP/GDELT tables")
    b.add_argument("-o", "--output", metavar="DIR", type=Path, required=True)
    b.add_argument("--overwrite", action="store_true", help="replace DIR if it exists")
    b.set_defaults(run=run_build)

    def aggregate(name: str, help_: str) -> argparse.ArgumentParser:
        q = s.add_parser(name, help=help_)
        q.add_argument("archive", metavar="DIR", type=Path)
        q.add_argument("--every", choices=("day", "week", "month"), default="week",
                       help="the period of the counts (default: week, ISO weeks from Monday)")
        q.add_argument("--country", metavar="CC", action="append", default=[],
                       help="only these countries (ISO alpha-2; repeatable)")
        q.add_argument("--from", dest="date_from", metavar="DATE", type=_date)
        q.add_argument("--to", dest="date_to", metavar="DATE", type=_date)
        q.add_argument("--scheduler", metavar="ADDRESS",
                       help="a dask.distributed scheduler (tcp://host:8786); default: a local "
                       "cluster of two worker processes")
        q.add_argument("-o", "--output", metavar="FILE", type=Path, required=True,
                       help=".geojson, .parquet or .csv")
        q.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
        return q

    h = aggregate("hexagons", "incidents per h3 cell per period")
    h.add_argument("--resolution", metavar="R", type=int, default=5,
                   help="h3 resolution 0..15 (default 5: cells of about 250 km²)")
    h.add_argument("--by-type", action="store_true", help="one count per event type")
    h.set_defaults(run=run_hexagons)
    d = aggregate("sides", "incidents per side of control lines per period")
    d.add_argument("--lines", metavar="SPEC", type=Path, action="append", required=True,
                   help="control-line spec (YAML) or line GeoJSON; repeatable")
    from ._common import add_gazetteer_options

    add_gazetteer_options(d)
    d.set_defaults(run=run_sides)


def run_build(args: argparse.Namespace) -> int:
    from ..store import archive
    from ._common import progress

    bar = progress(iter(()), desc="rows", unit=" rows")
    tick = getattr(bar, "update", None)
    res = archive.build([Path(p) for p in args.inputs], args.output,
                        overwrite=args.overwrite, progress=tick)
    if hasattr(bar, "close"):
        bar.close()
    print(f"geoevents archive build: {res.rows_in} rows -> {res.rows_out} incidents in "
          f"{len(res.partitions)} partitions ({res.files} files) at {args.output}"
          + (f"; {res.rejected} rejected (listed in {args.output / archive.REJECTED})"
             if res.rejected else ""), file=sys.stderr)
    return 1 if res.rejected else 0


def _countries(values: list[str]) -> list[str]:
    from ..store.query import countries

    return countries(values)


def run_hexagons(args: argparse.Namespace) -> int:
    from ..store import archive

    frame = archive.hexagons(args.archive, resolution=args.resolution, every=args.every,
                             countries=_countries(args.country), date_from=args.date_from,
                             date_to=args.date_to, by_type=args.by_type,
                             scheduler=args.scheduler)
    archive.write_frame(frame, args.output, overwrite=args.overwrite)
    total = int(frame["count"].sum()) if len(frame) else 0
    print(f"geoevents archive hexagons: {total} incidents in {len(frame)} cell-periods "
          f"({frame['cell'].nunique() if len(frame) else 0} cells) -> {args.output}",
          file=sys.stderr)
    return 0


def run_sides(args: argparse.Namespace) -> int:
    from ..control.lines import load as load_lines
    from ..store import archive
    from ._common import open_gazetteer

    lines, zones, warnings = load_lines([Path(p) for p in args.lines], open_gazetteer(args))
    for w in warnings:
        print(f"geoevents archive sides: {w}", file=sys.stderr)
    table = archive.sides(args.archive, lines, zones, every=args.every,
                          countries=_countries(args.country), date_from=args.date_from,
                          date_to=args.date_to, scheduler=args.scheduler)
    archive.write_frame(table, args.output, overwrite=args.overwrite)
    print(f"geoevents archive sides: {int(table['count'].sum()) if len(table) else 0} "
          f"incidents in {len(table)} rows -> {args.output}", file=sys.stderr)
    return 0
