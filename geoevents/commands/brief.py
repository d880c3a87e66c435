"""``geoevents brief``: a one-page HTML briefing (map, static image, incident table)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..pipeline import add_input_arguments
from ._common import add_gazetteer_options, check_outputs, staged_outputs
from ._maps import add_map_options, default_title, load

HELP = "write a one-page HTML briefing: map, static image and a table of incidents"
DESCRIPTION = """\
Write one self-contained HTML page for a briefing: the interactive map (offline, in a sandboxed
frame), the same map as a static image (what prints), a table of the incidents with dates,
places (as written and as resolved, with location precision), event types, actors, fatalities
(best, low-high), casualties and claims by source and every source with its link and quote, and
the control lines.  INPUT and options as for `geoevents map`.

exit status: 0 done, 1 some inputs could not be placed (listed on stderr), 2 usage or input
error."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("brief", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_input_arguments(p)
    from ..store.query import add_store_arguments

    add_store_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE", type=Path, default=Path("brief.html"),
                   help="the HTML briefing to write (default: brief.html)")
    p.add_argument("--table-rows", metavar="N", type=int, default=2000,
                   help="list at most N incidents in the table, in date order (default 2000; "
                   "the page says how many more the map holds)")
    add_map_options(p)
    add_gazetteer_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import maps
    from gazetteer import InputError

    outputs = check_outputs(args, {"brief": args.output}, what="briefing")
    frames, basemap = load(args, "brief")
    title = args.title or default_title([Path(p) for p in args.inputs], len(frames.incidents))
    try:
        page = maps.render_brief(frames.incidents, frames.lines, frames.zones, basemap=basemap,
                                 title=title, subtitle=args.subtitle,
                                 attribution=args.attribution, tiles=args.tiles,
                                 max_rows=max(1, args.table_rows))
    except (maps.SchemaError, ValueError) as exc:
        raise InputError(str(exc)) from None
    with staged_outputs(args, outputs, what="briefing") as out:
        out.write(args.output, page)
    n = len(frames.incidents)
    print(f"geoevents brief: {n} incident{'' if n == 1 else 's'} -> {args.output}",
          file=sys.stderr)
    return 1 if frames.rejections else 0
