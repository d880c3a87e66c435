"""``--store S`` and its filters for ``map``, ``brief`` and ``export`` (and ``store``/``archive``).

The filters, all optional and combined with AND:

``--from DATE`` / ``--to DATE``  the incident's dates overlap [from, to] (an incident with an
                                 unknown date is left out when a date filter is given, and the
                                 command says how many were)
``--country CC``                 ISO 3166-1 alpha-2 (repeatable or comma-separated)
``--bbox W,S,E,N``               the point lies in the box (W > E crosses the antimeridian)
``--type TYPE``                  the event type or sub-event type, case-insensitive (repeatable)

This module is imported by ``geoevents --help``: argparse only at the top.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(slots=True)
class StoreQuery:
    location: str
    date_from: date | None = None
    date_to: date | None = None
    countries: list[str] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None
    types: list[str] = field(default_factory=list)

    def read_into(self, frames: Any) -> Any:
        """Add this query's incidents to ``frames`` (:func:`geoevents.store.read_store`)."""
        from .access import read_store

        return read_store(frames, self)

    def read(self) -> tuple[Any, list[str]]:
        """The incidents of this query's store that pass its filters: the incidents frame of
        :mod:`maps.schema` (EPSG:4326) and messages for the user (e.g. undated incidents left
        out by a date filter).  For a command that wants the frame itself (``areas build``)."""
        from .access import open_store

        return open_store(self.location).read(self)

    def describe(self) -> str:
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '…'} to {self.date_to or '…'}")
        if self.countries:
            parts.append(",".join(self.countries))
        if self.bbox:
            parts.append("bbox " + ",".join(f"{v:g}" for v in self.bbox))
        if self.types:
            parts.append(" or ".join(self.types))
        return "; ".join(parts)

    def apply(self, frame: Any) -> tuple[Any, int]:
        """The rows of an incidents frame that pass, and how many undated rows a date filter
        left out."""
        import numpy as np

        keep = np.ones(len(frame), dtype=bool)
        undated = 0
        if self.date_from or self.date_to:
            start = frame["date_start"].astype(str)
            end = frame["date_end"].astype(str).where(frame["date_end"].astype(str) != "", start)
            dated = (start != "").to_numpy()
            undated = int((~dated & keep).sum())
            keep &= dated
            if self.date_from:
                keep &= (end.str[:10] >= self.date_from.isoformat()).to_numpy()
            if self.date_to:
                keep &= (start.str[:10] <= self.date_to.isoformat()).to_numpy()
        if self.countries:
            keep &= frame["country"].astype(str).str.upper().isin(self.countries).to_numpy()
        if self.bbox:
            w, s, e, n = self.bbox
            lon = frame["lon"].astype(float).to_numpy()
            lat = frame["lat"].astype(float).to_numpy()
            inlon = (lon >= w) & (lon <= e) if w <= e else (lon >= w) | (lon <= e)
            keep &= inlon & (lat >= s) & (lat <= n)
        if self.types:
            wanted = {t.casefold() for t in self.types}
            et = frame["event_type"].astype(str).str.casefold().isin(wanted).to_numpy()
            sub = frame["sub_event_type"].astype(str).str.casefold().isin(wanted).to_numpy()
            keep &= et | sub
        out = frame[keep] if not keep.all() else frame
        return out.reset_index(drop=True), undated


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _bbox(value: str) -> tuple[float, float, float, float]:
    parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not W,S,E,N (four numbers: west, south, east, north)") from None
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
        raise argparse.ArgumentTypeError(
            f"{value!r}: longitudes must be within -180..180, latitudes within -90..90 and "
            "south <= north")
    return (w, s, e, n)


def add_store_arguments(p: argparse.ArgumentParser, *, required: bool = False) -> None:
    g = p.add_argument_group("store (read incidents from a store, see docs/store.md)")
    g.add_argument("--store", metavar="STORE", required=required,
                   help="an incident store: a GeoPackage made by `geoevents add` or a "
                   "postgresql:// URL")
    add_filter_arguments(g)


def add_filter_arguments(g: Any) -> None:
    g.add_argument("--from", dest="date_from", metavar="DATE", type=_date,
                   help="incidents on or after DATE (YYYY-MM-DD)")
    g.add_argument("--to", dest="date_to", metavar="DATE", type=_date,
                   help="incidents on or before DATE (YYYY-MM-DD)")
    g.add_argument("--country", metavar="CC", action="append", default=[],
                   help="ISO 3166-1 alpha-2 country code (repeatable, or comma-separated)")
    g.add_argument("--bbox", metavar="W,S,E,N", type=_bbox,
                   help="bounding box in degrees: west,south,east,north")
    g.add_argument("--type", dest="types", metavar="TYPE", action="append", default=[],
                   help="event type or sub-event type (repeatable)")


def countries(values: list[str]) -> list[str]:
    out = []
    for v in values:
        for c in re.split(r"[,\s]+", v.strip()):
            if not c:
                continue
            if not re.fullmatch(r"[A-Za-z]{2}", c):
                from .core import StoreError

                raise StoreError(f"--country {c!r}: give an ISO 3166-1 alpha-2 code such as SY")
            out.append(c.upper())
    return sorted(set(out))


def store_query(args: argparse.Namespace) -> StoreQuery | None:
    """The query of ``--store`` and the filters, or None without ``--store``.  The filters
    without ``--store`` are a usage error (they filter only a store)."""
    location = getattr(args, "store", None)
    filters = (getattr(args, "date_from", None), getattr(args, "date_to", None),
               getattr(args, "country", None), getattr(args, "bbox", None),
               getattr(args, "types", None))
    if not location:
        if any(filters):
            from .core import StoreError

            raise StoreError("--from, --to, --country, --bbox and --type filter a store: give "
                             "--store STORE")
        return None
    if args.date_from and args.date_to and args.date_from > args.date_to:
        from .core import StoreError

        raise StoreError(f"--from {args.date_from} is after --to {args.date_to}")
    return StoreQuery(location=str(location), date_from=args.date_from, date_to=args.date_to,
                      countries=countries(args.country or []), bbox=args.bbox,
                      types=list(args.types or []))
