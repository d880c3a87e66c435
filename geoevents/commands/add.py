"""``geoevents add``: add incident tables and articles to an incident store."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from ._common import add_gazetteer_options

HELP = "add incident tables and articles to an incident store (GeoPackage or PostgreSQL)"
DESCRIPTION = """\
Read INPUT files as `geoevents map` reads them (incident tables: CSV, ACLED, UCDP, GeoJSON,
GeoPackage; articles: .txt, .html) and add their incidents to STORE.  A report that matches a
stored incident (the merge rules of `geoevents extract`) is merged into it, keeping every
source's figures; a table row seen before with other values (a revised toll) is a revision that
keeps the earlier figures with their input and date.  Adding the same input again changes
nothing.  STORE is a GeoPackage (made when missing; QGIS opens it styled) or a
postgresql://user@host/db URL.  See docs/store.md.

  geoevents add ../shared/seeds/*.txt --meta ../shared/seeds/meta.yaml --store incidents.gpkg
  geoevents store log --store incidents.gpkg

exit status: 0 added (or nothing to add), 1 some inputs could not be read (listed), 2 usage
or store error (nothing written)."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("add", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="incident tables and/or articles")
    p.add_argument("--store", metavar="STORE", required=True,
                   help="the store: a .gpkg file or a postgresql:// URL")
    p.add_argument("--published", metavar="DATE",
                   help="publication date of the articles (YYYY-MM-DD)")
    p.add_argument("--meta", metavar="FILE", type=Path,
                   help="YAML file giving each article's outlet, publication date and URL")
    add_gazetteer_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..store import open_store
    from ..store.core import digest_file, load_inputs, plan_add
    from ._common import open_gazetteer

    store = open_store(args.store, create=True)  # refuse a bad store before reading inputs
    paths = [Path(p) for p in args.inputs]
    digests = {}
    for p in paths:
        with contextlib.suppress(OSError):  # load_inputs reports it
            digests[p] = digest_file(p)
    known = store.known_inputs(list(digests.values()))
    todo = []
    for p in paths:
        if digests.get(p) in known:
            print(f"geoevents add: {p}: already in the store (added {known[digests[p]]}); "
                  "nothing changed", file=sys.stderr)
        else:
            todo.append(p)
    if not todo:
        print(f"geoevents add: {store.location}: nothing changed", file=sys.stderr)
        return 0
    loaded = load_inputs(todo, published=args.published, meta=args.meta,
                         gazetteer=lambda: open_gazetteer(args))
    for r in loaded.rejections:
        print(f"geoevents add: not added: {r}", file=sys.stderr)
    for m in loaded.messages:
        print(f"geoevents add: {m}", file=sys.stderr)
    plan = store.transact(lambda state: plan_add(state, loaded.batches))
    for m in plan.messages:
        print(f"geoevents add: {m}", file=sys.stderr)
    if plan.inputs:
        print(f"geoevents add: {store.location}: {plan.summary()}", file=sys.stderr)
    elif not loaded.rejections:
        print(f"geoevents add: {store.location}: nothing changed", file=sys.stderr)
    return 1 if loaded.rejections else 0
