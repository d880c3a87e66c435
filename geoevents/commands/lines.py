"""``geoevents lines``: build control lines and their zones; give incidents their side."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._common import (
    LazyGazetteer,
    add_gazetteer_options,
    add_overwrite_option,
    check_outputs,
    input_files,
    staged_outputs,
    usage,
)

HELP = "build control lines along rivers and the zones on each bank"
DESCRIPTION = """\
Control lines declared in YAML (a river stretch between two named places, the party on each
bank, validity dates, colours, how far the zones reach) or drawn as GeoJSON lines.

  geoevents lines build SPEC.yaml -o lines.geojson
      writes one GeoJSON FeatureCollection: the lines (property layer = "lines") and one zone
      per bank (layer = "zones"), following maps/schema.py LINES and ZONES; .gpkg writes the
      two layers "lines" and "zones".  Same input, byte-identical file.
  geoevents lines sides INCIDENTS -l SPEC.yaml -o incidents.geojson
      adds zone_party, zone_bank, zone_side, line_id, line_distance_km and near_line to an
      incidents file (maps/schema.py INCIDENTS; GeoJSON or CSV).

The spec format is described in README.md ("Control lines") and data/lines/deir-ez-zor-2018.yaml
is a worked example.  Rivers need Natural Earth's rivers layer:
`geoevents data install naturalearth` (or --from DIR).

exit status: 0 done, 1 done but some incident rows could not be read (each is reported with
its file, line and reason; `lines sides --rejections FILE` writes them as CSV), 2 usage or input
error (the message names file, line and field)."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lines", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    lsub = p.add_subparsers(dest="lines_command", metavar="ACTION")
    b = lsub.add_parser("build", help="build lines and zones from specs",
                        description="Build control lines and their zones from spec files "
                        "(YAML or GeoJSON lines) into one GeoJSON (or GeoPackage) file.")
    b.add_argument("specs", nargs="+", metavar="SPEC", type=Path,
                   help="control-line spec (YAML) or GeoJSON line; several build into one file")
    b.add_argument("-o", "--output", metavar="FILE", type=Path, required=True,
                   help="output file: .geojson or .json (one GeoJSON FeatureCollection, "
                   "property 'layer') or .gpkg (layers 'lines' and 'zones')")
    add_overwrite_option(b)
    add_gazetteer_options(b)
    b.set_defaults(run=run_build)
    s = lsub.add_parser("sides", help="give incidents the side of the line they are on",
                        description="Add the side of each control line to an incidents file. "
                        "Incidents within their own location uncertainty of a line (geo_precision"
                        " 1: 2 km, 2: 10 km, 3: 50 km) are flagged near_line and get no side; "
                        "outside a line's validity dates, no side.")
    s.add_argument("incidents", metavar="INCIDENTS", type=Path,
                   help="incidents in the maps/schema.py layout (GeoJSON or CSV)")
    s.add_argument("-l", "--lines", metavar="SPEC", type=Path, action="append", required=True,
                   help="control-line spec, GeoJSON line or built lines file; repeatable")
    s.add_argument("-o", "--output", metavar="FILE", type=Path, required=True,
                   help="output: .geojson or .json (GeoJSON) or .csv")
    add_overwrite_option(s)
    s.add_argument("--rejections", metavar="FILE", type=Path,
                   help="write the rows that could not be read (file, line, field, reason) "
                   "as CSV")
    add_gazetteer_options(s)
    s.set_defaults(run=run_sides)
    p.set_defaults(run=lambda args: usage(p))





def run_build(args: argparse.Namespace) -> int:
    from ..control import lines as L

    check_outputs(args, {"lines build": args.output}, what="lines")
    specs = [s for path in args.specs for s in L.load_specs(path)]
    lines, zones, warnings = L.build_frames(specs, LazyGazetteer(args))
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    out = L.write(lines, zones, args.output, overwrite=args.overwrite,
                  inputs=input_files(args))
    for row in lines.itertuples(index=False):
        reach = f"{row.width_km:g} km" if row.width_km == row.width_km else "the clip area"
        stretch = f" from {row.stretch_from} to {row.stretch_to}" if row.stretch_from else ""
        clip = f", clipped to {row.clip}" if row.clip else ""
        print(f"{row.id}: {row.river or 'drawn line'}{stretch}, {row.length_km:.1f} km, valid "
              f"{row.valid_from or '...'} to {row.valid_to or '...'}; left bank {row.side_left}: "
              f"{row.party_left}; right bank {row.side_right}: {row.party_right}; zones reach "
              f"{reach}{clip}", file=sys.stderr)
    print(f"wrote {len(lines)} line(s) and {len(zones)} zone(s) to {out}", file=sys.stderr)
    return 0


def run_sides(args: argparse.Namespace) -> int:
    from gazetteer import InputError

    from ..control import lines as L
    from ..control.sides import assign_sides
    from ..tables import read_table

    check_outputs(args, {"lines sides": args.output}, what="incidents")
    table = read_table(args.incidents)
    incidents = table.frame
    lines, zones, warnings = L.load(args.lines, LazyGazetteer(args))
    out = assign_sides(incidents, lines, zones)
    from maps.writers import format_for

    fmt = format_for("lines sides", args.output, error=InputError)
    with staged_outputs(args, [args.output], what="incidents") as st:
        if fmt == "geojson":
            from maps.geojson import write_collection

            with st.open(args.output, "wb") as f:
                write_collection(f, out, name=args.output.stem, decimals=None)
        else:
            out.drop(columns=out.geometry.name).to_csv(st.path(args.output), index=False)
    sided = int((out["zone_party"] != "").sum())
    near = int(out["near_line"].sum())
    rejected = table.rejections
    report_rejections("lines sides", len(out), rejected, args.output, args.rejections,
                      [*table.warnings, *warnings])
    print(f"{len(out)} incident(s): {sided} given a side, {near} near a line (no side), "
          f"{len(out) - sided - near} outside the zones or the lines' dates; "
          f"wrote {args.output}", file=sys.stderr)
    return 1 if rejected else 0


def report_rejections(command: str, read: int, rejections: list, output: Path,
                      report: Path | None = None, warnings: list | None = None) -> Path | None:
    """The rejections of a control command, the one way every command reports them
    (:func:`geoevents.pipeline.report_rejections`): a few on stderr, all of them in the report
    (``report``, default beside the output: ``areas.rejected.csv``), then the summary line;
    ``warnings`` before them.  Called once the output is written."""
    from ..pipeline import Frames
    from ..pipeline import report_rejections as report_all

    frames = Frames(incidents=range(read), rejections=list(rejections),
                    rows=read + len(rejections), rows_read=read,
                    messages=[str(w) for w in warnings or []])
    return report_all(frames, command, output, verb="rejected", report=report)

