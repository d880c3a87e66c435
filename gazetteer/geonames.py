"""Import GeoNames dumps into the gazetteer index, the way users download them from GeoNames.

Three kinds of file are recognised by their layout (zip or plain text):

``places``          the 19-column dump: a country file (``SY.zip``/``SY.txt``), ``cities500``,
                    ``cities1000/5000/15000``, ``allCountries`` ...  Every feature class is kept
                    with its feature code, mapped to our kinds and precision classes
                    (:func:`kind_of`).  Places are merged by GeoNames id (uid ``geonames:<id>``):
                    a place already in the index is updated in place, never duplicated.
``alternate_names`` ``alternateNamesV2.txt`` (or the older ``alternateNames.txt``): adds names
                    to the places of the index by GeoNames id (links, postcodes, airport codes
                    and other non-names are skipped).
``admin1_codes``    ``admin1CodesASCII.txt``: first-level area names into the ``admin1`` table,
                    and a place for each area whose extent the index's places reveal.

Files are streamed (constant memory), with a progress bar on a terminal.  Each file is imported
in one SQLite transaction: an interrupted import leaves the index as it was (atomic).  Each import
is recorded in the index (table ``imports``: path, SHA-256, kind, rows) so that when the built-in
index is rebuilt (its stamp went stale) the imports are applied again from their files.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from . import paths
from .errors import InputError
from .normalize import levels
from .rows import PlaceRow, has_no_letter, importance
from .rows import is_code as _is_code

N_COLUMNS = 19
COLUMNS = ("geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
           "feature class", "feature code", "country code", "cc2", "admin1 code", "admin2 code",
           "admin3 code", "admin4 code", "population", "elevation", "dem", "timezone",
           "modification date")

# Feature code -> (kind, precision).  Precision is ACLED geo_precision: 1 the place itself,
# 2 near / part of a region (lines and large features whose point is approximate), 3 a region.
_BY_CODE: dict[str, tuple[str, int]] = {
    # populated places
    "PPLX": ("neighbourhood", 1), "PPLQ": ("site", 1), "PPLW": ("site", 1),
    "PPLH": ("site", 1),
    # administrative areas
    "ADM1": ("admin1", 3), "ADM1H": ("admin1", 3), "ADM2": ("admin2", 3),
    "ADM2H": ("admin2", 3), "ADM3": ("admin3", 2), "ADM3H": ("admin3", 2),
    "ADM4": ("admin4", 2), "ADM4H": ("admin4", 2), "ADM5": ("admin5", 2), "ADMD": ("admin3", 2),
    "PCL": ("country", 3), "PCLI": ("country", 3), "PCLD": ("country", 3),
    "PCLF": ("country", 3), "PCLS": ("country", 3), "PCLIX": ("country", 3),
    "PCLH": ("country", 3), "TERR": ("country", 3), "ZN": ("region", 3), "ZNB": ("region", 2),
    # military, airports
    "MILB": ("military_base", 1), "AIRB": ("military_base", 1), "NVB": ("military_base", 1),
    "INSM": ("military_base", 1), "AIRF": ("airport", 1), "AIRP": ("airport", 1),
    "AIRH": ("airport", 1), "AIRQ": ("airport", 1),
    # camps
    "CMP": ("camp", 1), "CMPRF": ("camp", 1), "CMPMN": ("camp", 1), "CMPL": ("camp", 1),
    "CMPLA": ("camp", 1), "CMPO": ("camp", 1), "CMPQ": ("camp", 1),
    # sites and buildings
    "RUIN": ("site", 1), "ANS": ("site", 1), "HSTS": ("site", 1), "CSTL": ("site", 1),
    "FT": ("site", 1), "TMPL": ("landmark", 1), "MSQE": ("landmark", 1), "CH": ("landmark", 1),
    "HSP": ("landmark", 1), "SCH": ("landmark", 1), "UNIV": ("landmark", 1),
    "BDG": ("landmark", 1), "DAM": ("dam", 1), "PRN": ("prison", 1), "PSTB": ("border_crossing", 1),
    "OILF": ("oil_field", 2), "GASF": ("gas_field", 2), "OILW": ("site", 1), "OILR": ("site", 1),
    "FRM": ("site", 1), "FRMS": ("site", 2), "MN": ("site", 1), "MNQ": ("site", 1),
    # water
    "WAD": ("valley", 2), "WADS": ("valley", 2), "WADX": ("valley", 2), "WADB": ("valley", 2),
    "WADJ": ("valley", 2), "WADM": ("valley", 2), "STM": ("river", 2), "STMI": ("river", 2),
    "STMX": ("river", 2), "STMS": ("river", 2), "CNL": ("river", 2), "LK": ("lake", 2),
    "LKS": ("lake", 2), "LKI": ("lake", 2), "LKN": ("lake", 2), "LKX": ("lake", 2),
    "RSV": ("lake", 2), "SPNG": ("site", 1), "WLL": ("site", 1), "WLLS": ("site", 1),
    "OAS": ("site", 1),
    # terrain
    "MT": ("mountain", 1), "PK": ("mountain", 1), "HLL": ("mountain", 1), "MTS": ("mountain", 2),
    "PKS": ("mountain", 2), "HLLS": ("mountain", 2), "RDG": ("mountain", 2),
    "DSRT": ("desert", 3), "PLN": ("plain", 3), "PLAT": ("plain", 3), "VAL": ("valley", 2),
    "VALS": ("valley", 2), "ISL": ("island", 2), "ISLS": ("island", 2), "PASS": ("site", 1),
    # areas
    "RGN": ("region", 3), "RGNE": ("region", 3), "RGNH": ("region", 3), "AREA": ("region", 2),
    "LCTY": ("site", 2), "OILFL": ("oil_field", 2), "PRK": ("region", 2), "RESV": ("region", 2),
    "CONT": ("region", 3),
}
# Feature class -> (kind, precision) when the code is not listed above.
_BY_CLASS: dict[str, tuple[str, int]] = {
    "P": ("populated_place", 1), "A": ("admin_area", 3), "S": ("site", 1), "H": ("water", 2),
    "T": ("terrain", 2), "L": ("region", 2), "R": ("road", 2), "V": ("vegetation", 2),
    "U": ("undersea", 3),
}

# alternateNames "languages" that are not names people write.
_NOT_NAMES = frozenset(["link", "wkdt", "post", "iata", "icao", "faac", "abbr", "unlc", "tcid",
                        "phon", "piny", "fr_1793"])


def kind_of(fclass: str, fcode: str) -> tuple[str, int]:
    """Our kind and precision class for a GeoNames feature class and code."""
    hit = _BY_CODE.get(fcode)
    if hit is not None:
        return hit
    if fclass == "P":
        return "populated_place", 1
    return _BY_CLASS.get(fclass, ("site", 1))


@dataclass(slots=True)
class ImportResult:
    path: str
    kind: str  # places | alternate_names | admin1_codes
    rows: int  # rows read
    added: int  # new places (places), names added (alternate names), areas (admin1 codes)
    updated: int  # places updated / areas renamed
    skipped: int  # rows not applied (with skipped_reason)
    skipped_reason: str = ""
    seconds: float = 0.0
    sha256: str = ""
    unchanged: bool = False  # the same file was imported before: nothing to do

    def summary(self) -> str:
        if self.unchanged:
            return f"{self.path}: already imported (same SHA-256); nothing to do"
        what = {"places": f"{self.added:,} places added, {self.updated:,} updated",
                "alternate_names": f"{self.added:,} names added",
                "admin1_codes": f"{self.added:,} first-level areas added, {self.updated:,} "
                                "named"}[self.kind]
        skip = f", {self.skipped:,} skipped ({self.skipped_reason})" if self.skipped else ""
        rate = f" ({self.rows / self.seconds:,.0f} rows/s)" if self.seconds > 0 else ""
        return f"{self.path}: {self.kind.replace('_', ' ')}, {self.rows:,} rows: {what}{skip}; " \
               f"{self.seconds:.1f} s{rate}"


# --------------------------------------------------------------------------------------------
# Reading files




@contextmanager
def open_dump(path: Path) -> Iterator[tuple[IO[bytes], int, str]]:
    """(binary stream, size in bytes, member name) of a .txt file or of the dump inside a .zip
    (the member named like the zip, else the largest .txt that is not a readme)."""
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    if zipfile.is_zipfile(path):
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"not a readable zip file ({exc})", file=str(path)) from None
        with zf:
            members = [i for i in zf.infolist() if i.filename.lower().endswith(".txt")
                       and "readme" not in i.filename.lower() and not i.is_dir()]
            if not members:
                raise InputError("the zip file holds no GeoNames .txt dump", file=str(path))
            same = [i for i in members if Path(i.filename).stem == path.stem]
            info = same[0] if same else max(members, key=lambda i: i.file_size)
            with zf.open(info) as f:
                yield f, info.file_size, f"{path.name}:{info.filename}"
        return
    with open(path, "rb") as f:
        yield f, path.stat().st_size, path.name


def detect(first_line: str, path: str) -> str:
    """The kind of GeoNames file, from its first data line."""
    cols = first_line.rstrip("\r\n").split("\t")
    if len(cols) == N_COLUMNS and cols[0].isdigit():
        return "places"
    if len(cols) in (8, 10) and cols[0].isdigit() and cols[1].isdigit():
        return "alternate_names"
    if len(cols) == 4 and "." in cols[0] and cols[3].strip().isdigit():
        return "admin1_codes"
    raise InputError(
        f"not a GeoNames dump: the first line has {len(cols)} tab-separated columns; expected "
        f"{N_COLUMNS} (places: country file, cities500, allCountries), 10 (alternateNamesV2) or "
        "4 (admin1CodesASCII)", file=path, line=1)


class _Lines:
    """Decoded lines of a binary stream, counting bytes read for the progress bar."""

    def __init__(self, f: IO[bytes], label: str, advance: Callable[[int], None] | None) -> None:
        self.f, self.label, self.advance = f, label, advance
        self.lineno = 0

    def __iter__(self) -> Iterator[str]:
        advance = self.advance
        pending = 0
        for raw in self.f:
            self.lineno += 1
            if advance is not None:
                pending += len(raw)
                if pending > (1 << 20):
                    advance(pending)
                    pending = 0
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                                 file=self.label, line=self.lineno) from None
            if line.startswith("#") or not line.strip():
                continue
            yield line
        if advance is not None and pending:
            advance(pending)


def parse_places(lines: _Lines) -> Iterator[PlaceRow]:
    """PlaceRows of the 19-column dump; a malformed row raises InputError (file, line, field)."""
    label = lines.label
    for line in lines:
        c = line.rstrip("\r\n").split("\t")
        if len(c) != N_COLUMNS:
            raise InputError(f"{len(c)} tab-separated columns; a GeoNames dump row has "
                             f"{N_COLUMNS}", file=label, line=lines.lineno)
        try:
            gid = int(c[0])
        except ValueError:
            raise InputError(f"{c[0]!r} is not a number", file=label, line=lines.lineno,
                             field="geonameid") from None
        try:
            lat = float(c[4])
            lon = float(c[5])
        except ValueError:
            bad = "latitude" if not _is_float(c[4]) else "longitude"
            raise InputError(f"{c[4 if bad == 'latitude' else 5]!r} is not a number",
                             file=label, line=lines.lineno, field=bad) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(f"{lat},{lon} is outside -90..90, -180..180", file=label,
                             line=lines.lineno, field="latitude")
        fclass, fcode, cc = c[6], c[7], c[8]
        kind, precision = kind_of(fclass, fcode)
        try:
            pop = int(c[14]) if c[14] else 0
        except ValueError:
            pop = 0
        name = c[1]
        alt = c[3]
        yield PlaceRow(
            uid=f"geonames:{gid}", name=name, country=cc,
            admin1=f"{cc}.{c[10]}" if c[10] and cc else None, lat=lat, lon=lon, kind=kind,
            fclass=fclass or None, fcode=fcode or None, population=pop, precision=precision,
            source="geonames", note=None,
            names=(name, c[2], *alt.split(",")) if alt else (name, c[2]), primary=(name,),
        )


def _is_float(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------------------------
# Writing into the index


IMPORTS_TABLE = """
CREATE TABLE IF NOT EXISTS imports (
    seq INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL, kind TEXT NOT NULL,
    rows INTEGER NOT NULL, added TEXT NOT NULL
)"""

_LEVELS_CACHE_MAX = 400_000


class _LevelsCache:
    """levels() of names, memoised within a bound (constant memory): dumps repeat names a lot
    (every "Al Qaryah", every alternate spelling of a country)."""

    def __init__(self) -> None:
        self.d: dict[str, tuple[str, str, str]] = {}
        self.hits = self.misses = 0

    def __call__(self, name: str) -> tuple[str, str, str]:
        v = self.d.get(name)
        if v is None:
            self.misses += 1
            v = levels(name)
            if len(self.d) >= _LEVELS_CACHE_MAX:
                self.d.clear()
            self.d[name] = v
        else:
            self.hits += 1
        return v


_INSERT_PLACE = "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
_UPDATE_PLACE = ("UPDATE places SET name=?, country=?, admin1=?, lat=?, lon=?, kind=?, fclass=?,"
                 " fcode=?, population=?, precision=?, importance=?, source=?, note=? WHERE pid=?")
_CHUNK = 5000


def _write_chunk(cur: sqlite3.Cursor, deletes: list, updates: list, inserts: list,
                 names: list) -> None:
    if deletes:
        cur.executemany("DELETE FROM names WHERE pid=?", deletes)
    if updates:
        cur.executemany(_UPDATE_PLACE, updates)
    if inserts:
        cur.executemany(_INSERT_PLACE, inserts)
    if names:
        cur.executemany("INSERT INTO names VALUES (?,?,?,?,?,?)", names)


_NAMES_BATCH = 1_000_000


def _flush_names(cur: sqlite3.Cursor, names: list) -> None:
    """Names in index order: a large index no longer fits the page cache, and keys inserted in
    order touch each of its pages once per batch instead of at random."""
    names.sort()
    cur.executemany("INSERT INTO names VALUES (?,?,?,?,?,?)", names)
    names.clear()


def _write_places(con: sqlite3.Connection, rows: Iterator[PlaceRow]) -> tuple[int, int, int]:
    """Merge places by uid: new ones inserted, known ones updated (names replaced).  Returns
    (rows, added, updated).  Constant memory: rows are handled in chunks."""
    lv = _LevelsCache()
    n = added = updated = 0
    admin1_areas: list[tuple[str, str, str]] = []
    next_pid = (con.execute("SELECT max(pid) FROM places").fetchone()[0] or 0) + 1
    cur = con.cursor()
    chunk: list[PlaceRow] = []
    names: list[tuple[str, int, str, str, str, int]] = []
    first_new = next_pid
    it = iter(rows)
    while True:
        chunk.clear()
        for r in it:
            chunk.append(r)
            if len(chunk) >= _CHUNK:
                break
        if not chunk:
            break
        n += len(chunk)
        known: dict[str, int] = {}
        uids = [r.uid for r in chunk]
        for i in range(0, len(uids), 900):
            part = uids[i:i + 900]
            known.update(con.execute(
                f"SELECT uid, pid FROM places WHERE uid IN ({','.join('?' * len(part))})",
                part).fetchall())
        deletes: list[tuple[int]] = []
        updates: list[tuple] = []
        inserts: list[tuple] = []
        names: list[tuple[str, int, str, str, str, int]] = []
        fresh: set[str] = set()
        for r in chunk:
            uid = r.uid
            if uid in fresh:
                continue  # the same id twice in one file: the first row stands
            imp = importance(r.population, r.kind, r.fcode)
            pid = known.get(uid)
            if pid is not None and pid >= first_new:
                continue  # the same id twice in one file: the first row stands
            if pid is None:
                pid = next_pid
                next_pid += 1
                inserts.append((pid, uid, r.name, r.country, r.admin1, r.lat, r.lon,
                                r.kind, r.fclass, r.fcode, r.population, r.precision, imp,
                                r.source, r.note))
                fresh.add(uid)
                added += 1
            else:
                deletes.append((pid,))
                updates.append((r.name, r.country, r.admin1, r.lat, r.lon, r.kind, r.fclass,
                                r.fcode, r.population, r.precision, imp, r.source, r.note,
                                pid))
                updated += 1
            if r.kind == "admin1" and r.admin1:
                admin1_areas.append((r.admin1, r.country, r.name))
            seen: set[str] = set()
            primary = r.name
            for name in r.names:
                if not name or (name != primary and ((len(name) <= 4 and _is_code(name))
                                                     or has_no_letter(name))):
                    continue
                f, k, s = lv(name)
                if not s or f in seen:
                    continue
                seen.add(f)
                names.append((s, pid, name, f, k, 1 if name == primary else 0))
        _write_chunk(cur, deletes, updates, inserts, [])
        if len(names) >= _NAMES_BATCH:
            _flush_names(cur, names)
    if names:
        _flush_names(cur, names)
    # First-level areas named by ADM1 rows: known to the admin1 table (curated names win).
    con.executemany("INSERT OR IGNORE INTO admin1 (code, country, name) VALUES (?,?,?)",
                    admin1_areas)
    return n, added, updated


def _write_alternate_names(con: sqlite3.Connection, lines: _Lines) -> tuple[int, int, int]:
    """Names from alternateNamesV2 added to places of the index.  Returns (rows, added,
    skipped because the place is not in the index or the name is not a name)."""
    cur = con.cursor()
    lv = _LevelsCache()
    n = added = skipped = 0
    pids: dict[int, int | None] = {}
    batch: list[tuple[str, int, str, str, str, int]] = []
    label = lines.label
    for line in lines:
        c = line.rstrip("\r\n").split("\t")
        n += 1
        if len(c) < 4:
            raise InputError(f"{len(c)} tab-separated columns; alternateNames rows have 8 or 10",
                             file=label, line=lines.lineno)
        lang, name = c[2], c[3]
        if lang in _NOT_NAMES or not name or _is_code(name) or "://" in name:
            skipped += 1
            continue
        try:
            gid = int(c[1])
        except ValueError:
            raise InputError(f"{c[1]!r} is not a number", file=label, line=lines.lineno,
                             field="geonameid") from None
        pid = pids.get(gid, -1)
        if pid == -1:
            row = cur.execute("SELECT pid FROM places WHERE uid=?", (f"geonames:{gid}",)
                              ).fetchone()
            pid = row[0] if row else None
            if len(pids) > 200_000:
                pids.clear()
            pids[gid] = pid
        if pid is None:
            skipped += 1
            continue
        f, k, s = lv(name)
        if not s or cur.execute("SELECT 1 FROM names WHERE k=? AND pid=? AND fold=?",
                                (s, pid, f)).fetchone():
            continue
        batch.append((s, pid, name, f, k, 0))
        added += 1
        if len(batch) >= 1000:  # small batches: later rows check against earlier ones
            cur.executemany("INSERT INTO names VALUES (?,?,?,?,?,?)", batch)
            batch.clear()
    if batch:
        cur.executemany("INSERT INTO names VALUES (?,?,?,?,?,?)", batch)
    return n, added, skipped


def _write_admin1_codes(con: sqlite3.Connection, lines: _Lines) -> tuple[int, int, int]:
    """admin1CodesASCII: names of first-level areas into the admin1 table (curated names win),
    and a place (kind admin1, precision 3) for each area not yet in the index whose places reveal
    where it is: its point is the place of that area nearest to the middle of their extent (so
    it lies inside the area).  Returns (rows, areas added as places, names written)."""
    cur = con.cursor()
    n = named = 0
    rows: list[tuple[str, str, str, str]] = []
    label = lines.label
    for line in lines:
        c = line.rstrip("\r\n").split("\t")
        n += 1
        if len(c) != 4 or "." not in c[0]:
            raise InputError(f"expected 4 tab-separated columns (code CC.XX, name, ascii name, "
                             f"geonameid), found {len(c)}", file=label, line=lines.lineno)
        rows.append((c[0], c[0].split(".")[0], c[1], c[2]))
        if cur.execute("INSERT OR IGNORE INTO admin1 (code, country, name) VALUES (?,?,?)",
                       (c[0], c[0].split(".")[0], c[1])).rowcount:
            named += 1
    added = 0
    place_rows: list[PlaceRow] = []
    for code, cc, name, ascii_name in rows:
        uid = f"admin1:{code}"
        if cur.execute("SELECT 1 FROM places WHERE uid=? OR (kind='admin1' AND admin1=?)",
                       (uid, code)).fetchone():
            continue
        pts = cur.execute(
            "SELECT lat, lon FROM places WHERE admin1=? AND kind='populated_place'",
            (code,)).fetchall()
        if not pts:
            continue
        lats = sorted(p[0] for p in pts)
        lons = sorted(p[1] for p in pts)
        mid = ((lats[0] + lats[-1]) / 2, (lons[0] + lons[-1]) / 2)
        lat, lon = min(pts, key=lambda p: (p[0] - mid[0]) ** 2 + (p[1] - mid[1]) ** 2)
        place_rows.append(PlaceRow(
            uid=uid, name=name, country=cc, admin1=code, lat=lat, lon=lon, kind="admin1",
            fclass="A", fcode="ADM1", population=0, precision=3, source="geonames-admin1",
            note=f"point: the place of this area nearest to the middle of the extent of its "
                 f"{len(pts)} places in the index", names=(name, ascii_name), primary=(name,)))
        cur.execute("UPDATE admin1 SET west=?, south=?, east=?, north=? WHERE code=? AND "
                    "west IS NULL", (lons[0], lats[0], lons[-1], lats[-1], code))
        added += 1
    if place_rows:
        _write_places(con, iter(place_rows))
    return n, added, named


# --------------------------------------------------------------------------------------------
# The import


def _progress(total: int, label: str, show: bool):
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                desc=f"importing {label}", file=sys.stderr, leave=False)


def ensure_tables(con: sqlite3.Connection) -> None:
    con.execute(IMPORTS_TABLE)


def recorded_imports(con: sqlite3.Connection) -> list[dict[str, object]]:
    """The imports recorded in an index, in the order they were made."""
    try:
        rows = con.execute("SELECT path, sha256, kind, rows, added FROM imports ORDER BY seq"
                           ).fetchall()
    except sqlite3.Error:
        return []
    return [dict(zip(("path", "sha256", "kind", "rows", "added"), r, strict=True)) for r in rows]


def import_file(con: sqlite3.Connection, path: str | Path, *, show_progress: bool | None = None,
                force: bool = False, sha256: str | None = None) -> ImportResult:
    """Import one GeoNames file into an open index connection, in one transaction."""
    path = Path(path).expanduser()
    label = str(path)
    show = sys.stderr.isatty() if show_progress is None else show_progress
    digest = sha256 or paths.sha256_file(path) if path.is_file() else ""
    ensure_tables(con)
    resolved = str(path.resolve())
    if not force and con.execute("SELECT 1 FROM imports WHERE path=? AND sha256=?",
                                 (resolved, digest)).fetchone():
        return ImportResult(label, "", 0, 0, 0, 0, sha256=digest, unchanged=True)
    t0 = time.perf_counter()
    with open_dump(path) as (f, size, member):
        buffered = io.BufferedReader(f, 1 << 20) if not isinstance(f, io.BufferedReader) else f
        first = buffered.peek(1 << 16)[: 1 << 16].split(b"\n", 1)[0]
        try:
            kind = detect(first.decode("utf-8", "replace"), member)
        except InputError:
            raise
        bar = _progress(size, path.name, show)
        lines = _Lines(buffered, member, bar.update if bar is not None else None)
        try:
            con.execute("BEGIN")
            if kind == "places":
                rows, added, updated = _write_places(con, parse_places(lines))
                skipped = 0
                reason = ""
            elif kind == "alternate_names":
                rows, added, skipped = _write_alternate_names(con, lines)
                updated = 0
                reason = "place not in the index, or not a name (link, code, postcode)"
            else:
                rows, added, updated = _write_admin1_codes(con, lines)
                skipped = 0
                reason = ""
            con.execute("DELETE FROM imports WHERE path=?", (resolved,))
            con.execute("INSERT INTO imports (path, sha256, kind, rows, added) VALUES "
                        "(?,?,?,?,?)", (resolved, digest, kind, rows,
                                        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
            con.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
                        (f"import:{path.name}", digest[:16], rows,
                         time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            if bar is not None:
                bar.close()
    return ImportResult(label, kind, rows, added, updated, skipped, reason,
                        seconds=time.perf_counter() - t0, sha256=digest)


def connect_for_import(index_path: Path) -> sqlite3.Connection:
    """A writing connection: a rollback journal keeps each import atomic."""
    con = sqlite3.connect(index_path, isolation_level=None, timeout=60, check_same_thread=False)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA cache_size=-250000")
    con.execute("PRAGMA temp_store=MEMORY")
    return con


def _kind_of_file(path: Path) -> str:
    with open_dump(path) as (f, _size, member):
        head = f.read(1 << 16)
    for ln in head.split(b"\n"):
        if ln.strip() and not ln.startswith(b"#"):
            return detect(ln.decode("utf-8", "replace"), member)
    raise InputError("empty file: no GeoNames rows", file=str(path))


def reapply(con: sqlite3.Connection, previous: list[dict[str, object]],
            report: Callable[[str], None]) -> None:
    """Apply again, into a freshly built index, the imports recorded in the index it replaces.
    A file that is gone is reported (its places are no longer in the index)."""
    for entry in previous:
        p = Path(str(entry["path"]))
        if not p.is_file():
            report(f"geoevents: the GeoNames import {p} ({entry['rows']} rows) could not be "
                   "applied again to the rebuilt index: the file is gone; import it again")
            continue
        digest = paths.sha256_file(p)
        if digest != entry["sha256"]:
            report(f"geoevents: {p} changed since it was imported; importing its current "
                   "content")
        kind = str(entry.get("kind") or "")
        if kind.startswith("csv "):  # a CSV of places with its column mapping
            columns, country = kind_columns(kind)
            r, _rejected = import_csv_con(con, p, columns, country=country, force=True,
                                          sha256=digest)
            report(f"geoevents: imported again into the rebuilt index: {r.summary()}")
            continue
        r = import_file(con, p, show_progress=False, force=True, sha256=digest)
        report(f"geoevents: imported again into the rebuilt index: {r.summary()}")


# --------------------------------------------------------------------------------------------
# Any CSV of places (see :mod:`gazetteer.places_import`): here, beside the GeoNames imports, so
# that a rebuilt index applies both again (:func:`reapply`).

CSV_COLUMNS = ("name", "lat", "lon", "alt_names", "country", "id", "kind", "admin1",
               "population")


def parse_columns(spec: str) -> dict[str, str]:
    """``name=NAME_EN,lat=Y,lon=X`` -> {"name": "NAME_EN", ...}; name, lat and lon required."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        key, sep, col = part.partition("=")
        key = key.strip()
        if not sep or not col.strip():
            raise InputError(f"--columns: {part!r} is not FIELD=COLUMN")
        if key not in CSV_COLUMNS:
            raise InputError(f"--columns: unknown field {key!r}; fields: {', '.join(CSV_COLUMNS)}")
        out[key] = col.strip()
    missing = [k for k in ("name", "lat", "lon") if k not in out]
    if missing:
        raise InputError(f"--columns must map {', '.join(missing)} (e.g. "
                         "--columns name=NAME,lat=LAT,lon=LON)")
    return out


@dataclass(slots=True)
class CsvRejections:
    rows: list[tuple[int, str]] = field(default_factory=list)


def _csv_rows(path: Path, columns: dict[str, str], country: str | None,
              rejected: CsvRejections) -> Iterator:
    from .curated import KINDS

    label = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=label) from None
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = reader.fieldnames or []
    absent = [c for c in columns.values() if c not in header]
    if absent:
        raise InputError(f"no column {', '.join(map(repr, absent))} in the header "
                         f"({', '.join(header[:12])})", file=label, line=1)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem)
    for row in reader:
        line = reader.line_num
        name = (row.get(columns["name"]) or "").strip()
        if not name:
            rejected.rows.append((line, f"no name ({columns['name']} is empty)"))
            continue
        try:
            lat = float((row.get(columns["lat"]) or "").strip().replace(",", "."))
            lon = float((row.get(columns["lon"]) or "").strip().replace(",", "."))
        except ValueError:
            rejected.rows.append((line, f"{columns['lat']}/{columns['lon']} are not numbers"))
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or lat != lat or lon != lon:
            rejected.rows.append((line, f"{lat},{lon} is outside -90..90, -180..180"))
            continue
        cc = (row.get(columns["country"]) or "").strip().upper() if "country" in columns \
            else (country or "")
        if cc and not re.fullmatch(r"[A-Z]{2}", cc):
            rejected.rows.append((line, f"country {cc!r} is not an ISO 3166-1 alpha-2 code"))
            continue
        kind = (row.get(columns["kind"]) or "").strip() if "kind" in columns else ""
        if kind and kind not in KINDS:
            kind = "site"
        pid = (row.get(columns["id"]) or "").strip() if "id" in columns else ""
        alts = []
        if "alt_names" in columns:
            alts = [a.strip() for a in re.split(r"[|;]", row.get(columns["alt_names"]) or "")
                    if a.strip()]
        admin1 = (row.get(columns["admin1"]) or "").strip() if "admin1" in columns else ""
        try:
            pop = int(float(row.get(columns["population"]) or 0)) if "population" in columns \
                else 0
        except ValueError:
            pop = 0
        yield PlaceRow(
            uid=f"import:{stem}:{pid or f'line{line}'}", name=name, country=cc,
            admin1=(admin1 if "." in admin1 else f"{cc}.{admin1}") if admin1 and cc else None,
            lat=lat, lon=lon, kind=kind or "populated_place", fclass=None, fcode=None,
            population=max(pop, 0), precision=1, source=f"import:{path.name}",
            note=f"imported from {path.name} line {line}", names=[name, *alts], primary=[name])


def import_csv_con(con, path: str | Path, columns: dict[str, str], *, country: str | None = None,
                   force: bool = False, sha256: str | None = None):
    """Import a CSV of places into an open (writing) index connection, in one transaction."""
    p = Path(path).expanduser()
    if p.is_dir():
        raise InputError("is a folder, not a CSV file", file=str(p))
    if not p.is_file():
        raise InputError("no such file", file=str(p))
    digest = sha256 or paths.sha256_file(p)
    kind = "csv " + ",".join(f"{k}={v}" for k, v in columns.items()) + (
        f" country={country}" if country else "")
    ensure_tables(con)
    resolved = str(p.resolve())
    if not force and con.execute("SELECT 1 FROM imports WHERE path=? AND sha256=? AND kind=?",
                                 (resolved, digest, kind)).fetchone():
        return ImportResult(str(p), "places", 0, 0, 0, 0, sha256=digest, unchanged=True), []
    t0 = time.perf_counter()
    rejected = CsvRejections()
    try:
        con.execute("BEGIN")
        rows, added, updated = _write_places(con, _csv_rows(p, columns, country, rejected))
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        con.execute("DELETE FROM imports WHERE path=?", (resolved,))
        con.execute("INSERT INTO imports (path, sha256, kind, rows, added) VALUES (?,?,?,?,?)",
                    (resolved, digest, kind, rows, now))
        con.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
                    (f"import:{p.name}", digest[:16], rows, now))
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    r = ImportResult(str(p), "places", rows + len(rejected.rows), added, updated,
                     len(rejected.rows), "rejected rows, listed with their line" if
                     rejected.rows else "", seconds=time.perf_counter() - t0, sha256=digest)
    return r, rejected.rows


def kind_columns(kind: str) -> tuple[dict[str, str], str | None]:
    """The column mapping and country recorded in an import's kind ("csv name=..,lat=..")."""
    spec = kind[4:]
    country = None
    m = re.search(r" country=([A-Z]{2})$", spec)
    if m:
        country, spec = m.group(1), spec[: m.start()]
    return parse_columns(spec), country
