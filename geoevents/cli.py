"""The ``geoevents`` command line.

Each command lives in its own module under :mod:`geoevents.commands` with ``register(sub)`` and
``run(args) -> int``; heavy libraries (geopandas, folium, pyproj) are imported inside ``run`` so
that ``geoevents --help`` stays fast.

Exit status: 0 success, 1 partial (some names or incidents could not be placed), 2 usage or
input error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__

COMMANDS = (
    "resolve",
    "gazetteer",
    "extract",
    "data",
    "lines",
    "areas",
    "map",
    "brief",
    "export",
    "add",
    "store",
    "archive",
)

EPILOG = """\
exit status: 0 all done, 1 some inputs could not be resolved or placed (they are reported),
2 usage or input error.

environment: GEOEVENTS_HOME (one folder for index, data and cache), GEOEVENTS_INDEX,
GEOEVENTS_CONFIG and more: see docs/data.md."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geoevents",
        description="Turn incident reports into maps analysts can trust: resolve place names, "
        "extract incidents, draw control lines, make offline maps and exports.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"geoevents {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"geoevents.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    import sqlite3

    from gazetteer.errors import UserError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help is 0, a usage error is 2
        return int(exc.code or 0)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        try:
            return int(args.run(args) or 0)
        except sqlite3.DatabaseError as exc:  # a damaged gazetteer index: rebuilt, run again
            from gazetteer import index

            path = getattr(args, "index", None)
            if path is None and hasattr(args, "index"):
                from .commands._common import load_config

                path = load_config(args).index
            if not index.recover(path, exc):
                raise
            return int(args.run(args) or 0)
    except UserError as exc:  # every error a person can act on: the message, no traceback
        print(f"geoevents {args.command}: error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("geoevents: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into a program that stopped reading (head, less): not an error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
