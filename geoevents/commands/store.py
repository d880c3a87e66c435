"""``geoevents store``: look into an incident store and correct it (log, show, edit, info)."""

from __future__ import annotations

import argparse
import json
import sys

HELP = "inspect and correct an incident store: log, show, edit, info"
DESCRIPTION = """\
  geoevents store info --store S          schema version, counts
  geoevents store log --store S           the changes, oldest first (--incident ID, --limit N)
  geoevents store show ID --store S       an incident: its reports, figures history, corrections
  geoevents store edit ID --store S --set fatalities_best=12 --note "SOHR correction"
                                          a hand correction, kept as such (re-applied after
                                          every merge, listed in the log)

STORE is a GeoPackage made by `geoevents add` or a postgresql:// URL.  See docs/store.md.

exit status: 0 done, 2 usage or store error."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("store", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s = p.add_subparsers(dest="store_command", metavar="SUBCOMMAND", required=True)

    def sp(name: str, help_: str) -> argparse.ArgumentParser:
        q = s.add_parser(name, help=help_)
        q.add_argument("--store", metavar="STORE", required=True,
                       help="a .gpkg store or a postgresql:// URL")
        return q

    q = sp("info", "schema version and counts")
    q.set_defaults(run=run_info)
    q = sp("log", "list the changes, oldest first")
    q.add_argument("--incident", metavar="ID", help="only the changes of this incident")
    q.add_argument("--limit", metavar="N", type=int, help="only the last N changes")
    q.add_argument("--json", action="store_true", help="JSON lines instead of text")
    q.set_defaults(run=run_log)
    q = sp("show", "an incident with its reports, figures history and corrections")
    q.add_argument("id", metavar="ID")
    q.set_defaults(run=run_show)
    q = sp("edit", "correct an incident by hand (kept as a correction)")
    q.add_argument("id", metavar="ID")
    q.add_argument("--set", dest="sets", metavar="FIELD=VALUE", action="append", default=[],
                   required=True, help="the field and its corrected value; repeatable")
    q.add_argument("--note", metavar="TEXT", default="", help="why (kept with the correction)")
    q.set_defaults(run=run_edit)


def _open(args: argparse.Namespace):
    from ..store import open_store

    return open_store(args.store)


def run_info(args: argparse.Namespace) -> int:
    store = _open(args)
    info = store.info()
    for k, v in info.items():
        print(f"{k}: {v}")
    return 0


def run_log(args: argparse.Namespace) -> int:
    store = _open(args)
    rows = store.log(incident=args.incident, limit=args.limit)
    for r in rows:
        if args.json:
            print(json.dumps(r, ensure_ascii=False, sort_keys=True))
        else:
            who = f" {r['incident_id']}" if r["incident_id"] else ""
            src = f" [{r['input']}]" if r["input"] else ""
            print(f"{r['seq']:>6} {r['at']} {r['action']:<9}{who}{src}: {r['detail']}")
    if not rows:
        print("geoevents store log: no changes", file=sys.stderr)
    return 0


def run_show(args: argparse.Namespace) -> int:
    store = _open(args)
    doc = store.show(args.id)
    print(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True))
    return 0


def run_edit(args: argparse.Namespace) -> int:
    from ..store.core import parse_sets

    sets = parse_sets(args.sets)
    store = _open(args)
    plan = store.edit(args.id, sets, args.note)
    for c in plan.changes:
        print(f"geoevents store edit: {c['incident_id']}: {c['detail']}", file=sys.stderr)
    return 0
