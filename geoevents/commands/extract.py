"""``geoevents extract``: incidents from news articles (and monitor statements)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ._common import (
    add_gazetteer_options,
    check_outputs,
    input_files,
    load_config,
    open_gazetteer,
    progress,
)

HELP = "extract incidents from news articles (text or HTML)"
DESCRIPTION = """\
Read news articles (plain text or HTML pages) and write the incidents they report: date with its
precision, place as written and as resolved, event type (ACLED categories), actors, casualty
figures per side with their source, claims, and the sources.  Several reports of the same event
are merged into one incident that keeps every source's figures.

Relative dates ("last Wednesday", "in March") are resolved against each article's publication
date: give it with --published (one date for all articles) or --meta (a YAML file mapping file
names to outlet, published and url, like ../shared/seeds/meta.yaml).  HTML pages carry their own
date, and a report's header, dateline or dated address is read when nothing is given.  An event
an article does not date is within the week up to its publication (ACLED time precision 2).
Without a publication date, those incidents get an unknown date (or, when the address gives the
month, a span of that month) and a message says so.

Output: a readable summary on stdout; --json for JSON on stdout; -o FILE writes .json or .yaml
(the incident model; here .json is not GeoJSON), .csv (our columns; --format acled or ucdp for
those layouts) or .geojson.  An existing FILE is replaced only with --overwrite, an input never.  Places the articles
only mention (funerals, datelines, photo captions, origins of fighters) are listed with
--context.

exit status: 0 all articles read, 1 some files could not be read or some incidents could not be
placed (they are reported on stderr), 2 usage or input error."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("articles", nargs="+", metavar="ARTICLE", help="article files (.txt, .html)")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--published", metavar="DATE",
                      help="publication date of the articles (YYYY-MM-DD)")
    when.add_argument("--meta", metavar="FILE", type=Path,
                      help="YAML: file name -> outlet, published (YYYY-MM-DD), url")
    p.add_argument("-o", "--output", metavar="FILE", type=Path,
                   help="write the incidents to FILE (.json, .yaml, .csv, .geojson)")
    p.add_argument("--format", choices=("json", "yaml", "csv", "acled", "ucdp", "geojson"),
                   help="output format (default: from the extension of -o)")
    p.add_argument("--json", action="store_true",
                   help="print JSON (incidents, context, rejections, messages) on stdout")
    p.add_argument("--context", action="store_true",
                   help="also list the places and events the articles only mention")
    p.add_argument("--no-merge", action="store_true",
                   help="keep each article's incidents apart (no merging across articles)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    add_gazetteer_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    from ..extract import extract_files, load_meta, parse_date_arg
    from ..tables import format_for, write_incidents

    published = parse_date_arg(args.published) if args.published else None
    meta = load_meta(args.meta) if args.meta else None
    if args.output is not None:  # fail before the work, not after
        format_for(args.output, args.format)
        check_outputs(args, {"extract": args.output}, what="incidents")
    cfg = load_config(args)
    gz = open_gazetteer(args, cfg)
    ex = extract_files(args.articles, gz, published=published, meta=meta,
                       merge=not args.no_merge,
                       progress=lambda items: progress(items, total=len(items),
                                                       desc="articles", unit=" articles"))
    for m in ex.messages:
        print(f"geoevents extract: {m}", file=sys.stderr)
    for r in ex.rejections:
        print(f"geoevents extract: {r}", file=sys.stderr)
    if not ex.articles:
        return 2
    if args.output is not None:
        write_incidents(ex.incidents, args.output, fmt=args.format,
                        extra={"context": [c.to_dict() for c in ex.context]} if args.context
                        else None, overwrite=args.overwrite, inputs=input_files(args))
        print(f"geoevents extract: {len(ex.incidents)} incident(s) written to {args.output}",
              file=sys.stderr)
    if args.json:
        json.dump(ex.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.output is None or args.context:
        _print_summary(ex, args.context)
    return 1 if ex.rejections else 0


def _print_summary(ex, with_context: bool) -> None:
    out = sys.stdout
    out.write(f"{len(ex.incidents)} incident(s) from {len(ex.articles)} article(s)\n")
    for inc in ex.incidents:
        loc = inc.location
        out.write(f"\n{inc.id}  {inc.date}  {inc.event_type}"
                  f"{' / ' + inc.sub_event_type if inc.sub_event_type else ''}\n")
        if loc.placed:
            out.write(f"  place:   {loc.written} -> {loc.name} ({loc.country}"
                      f"{', ' + loc.admin1 if loc.admin1 else ''}) {loc.lat:.4f},{loc.lon:.4f} "
                      f"precision {loc.precision}\n")
        else:
            out.write(f"  place:   {loc.written}{' (' + loc.country + ')' if loc.country else ''}"
                      "\n")
        if loc.note:
            out.write(f"           {loc.note}\n")
        actors = " vs ".join(a for a in (inc.actor1, inc.actor2) if a)
        if actors:
            out.write(f"  actors:  {actors}"
                      f"{' (with ' + ', '.join(inc.assoc_actors) + ')' if inc.assoc_actors else ''}"
                      "\n")
        out.write(f"  killed:  {inc.fatalities} (low/best/high)   wounded: {inc.wounded}\n")
        for side, fig in inc.side_figures("killed").items():
            out.write(f"           {side or 'all'}: {fig}\n")
        for c in inc.casualties:
            src = c.source or "the outlet itself"
            extra = f" [{c.note}]" if c.note else ""
            part = f" (part of {c.part_of})" if c.part_of and c.part_of != c.side else ""
            where = f" in {c.where}" if c.where and c.part_of == c.side else ""
            out.write(f"    - {c.kind} {c.figure} {c.side or 'all'}{part}{where}: {src}, "
                      f"via {c.via}{extra}\n")
        for cl in inc.claims:
            conf = ", ".join(cl.confirmed_by) or "nobody"
            notc = ", ".join(cl.not_confirmed_by) or "-"
            out.write(f"  claim:   {cl.claimant}; confirmed by {conf}; not confirmed by {notc}; "
                      f"independent confirmation: {'yes' if cl.independent else 'no'}\n")
        out.write("  sources: " + "; ".join(s.label() for s in inc.sources) + "\n")
        if inc.notes:
            out.write(f"  notes:   {inc.notes}\n")
    if with_context and ex.context:
        out.write("\nmentioned, not incidents:\n")
        for c in ex.context:
            where = f" -> {c.name} ({c.country})" if c.name else ""
            out.write(f"  {c.file}:{c.line}  {c.kind}: {c.text[:80]}{where}: {c.reason}\n")
