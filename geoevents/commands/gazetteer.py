"""``geoevents gazetteer``: manage the gazetteer index (import GeoNames dumps, show what it holds)."""

from __future__ import annotations

import argparse
import json
import sys

from ._common import load_config

HELP = "gazetteer index: import GeoNames dumps, show what the index holds"
DESCRIPTION = """\
Manage the gazetteer index.

  geoevents gazetteer import FILE...   import GeoNames dumps as downloaded from GeoNames: a country
                                       file (SY.zip, SY.txt), cities500/1000/5000/15000, allCountries
                                       (zip or txt), alternateNamesV2 (.zip/.txt) and
                                       admin1CodesASCII.txt
  geoevents gazetteer import FILE.csv --columns name=NAME_EN,lat=LAT,lon=LON[,alt_names=..,
                                       country=..,id=..]   any CSV of places (P-code tables, lists)
  geoevents data install geonames SY IQ  download GeoNames' country dumps (cached, checksummed)
                                       and import them; --from DIR offline
  geoevents gazetteer info             sources, imports, counts per country and feature class,
                                       build date

Imports are streamed (constant memory, a progress bar on a terminal) and atomic (an interrupted
import leaves the index as it was).  Places merge by GeoNames id: importing a file twice, or a
country file over the built-in cities500, never duplicates a place.  Every feature class is kept
with its feature code (military bases MILB/AIRB, airfields, camps, ruins, wadis, mountains,
administrative areas ...).  The index remembers each import; when it is rebuilt (new built-in
data), the imports are applied again from their files.

exit status: 0 done, 2 usage or input error (the message names file, line and field)."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gazetteer", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--index", metavar="PATH", help="gazetteer index file (default: "
                   "$GEOEVENTS_INDEX, $GEOEVENTS_HOME/gazetteer.sqlite or the user cache folder)")
    p.add_argument("--config", metavar="FILE", help="configuration file")
    gsub = p.add_subparsers(dest="action", metavar="ACTION")
    imp = gsub.add_parser("import", help="import GeoNames dump files (or any CSV of places "
                          "with --columns) into the index",
                          description="Import GeoNames dump files (zip or txt) into the index; "
                          "with --columns, any CSV of places (P-code tables, your own lists): "
                          "--columns name=COL,lat=COL,lon=COL[,alt_names=COL,country=COL,"
                          "id=COL,kind=COL,admin1=COL,population=COL].  Rows without a name or "
                          "with bad coordinates are listed with their line and reason.")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--columns", metavar="FIELD=COLUMN,...",
                     help="the files are CSVs of places: which column holds each field "
                     "(name, lat, lon required; alt_names separated by | or ;)")
    imp.add_argument("--country", metavar="CC",
                     help="with --columns: the ISO country code of every row (when the CSV has "
                     "no country column)")
    _index_options(imp)
    imp.add_argument("--force", action="store_true",
                     help="import again a file already imported with the same content")
    info = gsub.add_parser("info", help="show what the index holds",
                           description="Show the index: sources, imports, build date, counts "
                           "per country and feature class.")
    _index_options(info)
    info.add_argument("--json", action="store_true", help="print JSON")
    info.add_argument("--top", type=int, default=15, metavar="N",
                      help="countries to list (default 15)")
    p.set_defaults(run=run, _parser=p)


def _index_options(sp: argparse.ArgumentParser) -> None:
    """--index/--config after the action too ("gazetteer import --index X FILE")."""
    sp.add_argument("--index", metavar="PATH", default=argparse.SUPPRESS,
                    help="gazetteer index file")
    sp.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                    help="configuration file")


def run(args: argparse.Namespace) -> int:
    if not getattr(args, "action", None):
        args._parser.print_help(sys.stderr)
        return 2
    cfg = load_config(args)
    index = args.index or cfg.index
    if args.action == "import" and args.columns:
        from gazetteer.places_import import import_csv, parse_columns

        columns = parse_columns(args.columns)
        for f in args.files:
            r, rejected = import_csv(f, columns, index, country=args.country,
                                     force=args.force)
            print(r.summary())
            for line, why in rejected[:20]:
                print(f"geoevents gazetteer import: {f}:{line}: rejected: {why}",
                      file=sys.stderr)
            if len(rejected) > 20:
                print(f"geoevents gazetteer import: {f}: {len(rejected) - 20} more rows "
                      "rejected", file=sys.stderr)
        return 0
    if args.action == "import":
        if args.country:
            from gazetteer import InputError

            raise InputError("--country applies to CSV imports (--columns)")
        from gazetteer.index import import_files

        results = import_files(args.files, index, force=args.force)
        for r in results:
            print(r.summary())
        return 0
    from gazetteer.index import describe

    d = describe(index, top=args.top)
    if args.json:
        json.dump(d, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    out.write(f"index      {d['index']} ({d['size_mb']} MB)\n")
    out.write(f"built      {d['built']} in {d['build_seconds']} s\n")
    out.write("stamp      " + ", ".join(f"{k} {v}" for k, v in d["stamp"].items()) + "\n")
    out.write(f"holds      {d['places']:,} places, {d['names']:,} names, {d['countries']} "
              f"countries, {d['admin1_areas']:,} first-level area names\n")
    out.write("sources:\n")
    for s in d["sources"]:
        out.write(f"  {s['name']:32s} {s['rows']:>10,} rows  version {s['version']}  "
                  f"({s['added']})\n")
    out.write("imports:" + ("" if d["imports"] else " none (geoevents gazetteer import FILE)")
              + "\n")
    for i in d["imports"]:
        out.write(f"  {i['path']}  {i['kind']}, {i['rows']:,} rows, sha256 {str(i['sha256'])[:12]}"
                  f" ({i['added']})\n")
    out.write(f"places per country (top {len(d['top_countries'])}):\n")
    for c in d["top_countries"]:
        out.write(f"  {c['country']:4s} {c['places']:>10,}\n")
    out.write("places per feature class and kind:\n")
    for c in d["feature_classes"]:
        out.write(f"  {c['class']:2s} {c['kind']:18s} {c['places']:>10,}\n")
    return 0


def install_geonames(args: argparse.Namespace) -> int:
    """``geoevents data install geonames SY IQ ... [--from DIR]``."""
    from gazetteer.places_import import install_geonames as install

    cfg = load_config(args)
    results = install(args.codes, from_dir=args.from_dir, base=args.url, refresh=args.refresh,
                      progress=sys.stderr.isatty(), index=getattr(args, "index", None) or
                      cfg.index)
    for r in results:
        print(r.summary())
    return 0
