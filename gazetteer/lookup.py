"""The gazetteer's store: the index's rows, the places they make (cached), first-level areas,
the user's overlays, and the batch prefetch.  Everything that reads the SQLite index is here."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import countryfacts
from .curated import CuratedPlace, curated_bboxes, load_places
from .model import Place
from .normalize import skeleton
from .rows import KEY_BLOCKS_META

#: Places kept (by row id) before the cache starts again.
MAX_PLACES_CACHED = 50_000
#: Columns of a place row, in the order :meth:`Store.place_of_row` reads them.
PLACE_COLS = ("p.pid, p.uid, p.name, p.country, p.admin1, p.lat, p.lon, p.kind, p.fcode,"
              " p.population, p.precision, p.source, p.note")
# A name row: PLACE_COLS (0-12), importance (13), the name (14), is_primary (15), fold (16),
# key (17), skeleton (18).
_ROW_SQL = (f"SELECT {PLACE_COLS}, p.importance, n.name, n.is_primary, n.fold, n.key, n.k"
            " FROM names n JOIN places p ON p.pid = n.pid WHERE n.k")


class Store:
    """Read access to one index file (read-only) plus the user's overlays."""

    def __init__(self, index_path: Path, points: str = "reference") -> None:
        self.points = points
        self.con = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True,
                                   check_same_thread=False)
        self._places: dict[int, Place] = {}
        self.admin1: dict[str, str] = {}
        self.admin1_bbox: dict[str, tuple[float, float, float, float]] = {}
        for code, name, *bbox in self.con.execute(
                "SELECT code, name, west, south, east, north FROM admin1"):
            self.admin1[code] = name
            if None not in bbox:
                self.admin1_bbox[code] = tuple(bbox)  # type: ignore[assignment]
        self._curated_bbox: dict[str, tuple[float, float, float, float]] | None = None
        self._installed: set[str] | None = None
        self.overlay: dict[str, list[tuple[CuratedPlace, str]]] = {}
        self.overlay_files: list[Path] = []
        self.prefetched: dict[str, list[tuple]] | None = None
        self._key_blocks: bool | None = None  # the index's key_blocks are current (read once)

    @property
    def curated_bbox(self) -> dict[str, tuple[float, float, float, float]]:
        """Extents of the shipped curated areas (read when a place first needs one): from the
        index, which stores them at build time (reading the shipped files costs a tenth of a
        second), or from the files for an index without them."""
        if self._curated_bbox is None:
            try:
                self._curated_bbox = {uid: (w, s, e, n) for uid, w, s, e, n in self.con.execute(
                    "SELECT uid, west, south, east, north FROM curated_bbox")}
            except sqlite3.Error:
                self._curated_bbox = curated_bboxes()
        return self._curated_bbox

    def add_overlay(self, path: str | Path) -> int:
        rows = load_places(path, source="overlay")
        for cp in rows:
            for name in cp.names:
                self.overlay.setdefault(skeleton(name), []).append((cp, name))
        self.overlay_files.append(Path(path))
        return len(rows)

    def close(self) -> None:
        self.con.close()

    def admin1_name(self, code: str | None) -> str | None:
        return self.admin1.get(code) if code else None

    def place_of_row(self, row: tuple) -> Place:
        """The Place of a row starting with the PLACE_COLS columns (cached by pid)."""
        pid = row[0]
        p = self._places.get(pid)
        if p is None:
            (_, uid, name, country, admin1, lat, lon, kind, fcode, pop, prec, src, note) = row[:13]
            bbox = centroid = gid = None
            if uid.startswith("geonames:"):
                gid = int(uid[9:]) if uid[9:].isdigit() else None
            elif kind == "country":
                gid = countryfacts.geonames_id(country)
                bbox = countryfacts.bbox(country)
                centroid = (lat, lon)
                ref = countryfacts.reference_point(country) if self.points == "reference" \
                    else None
                if ref is not None:
                    lat, lon = ref
            elif kind == "admin1" and admin1:
                bbox = self.admin1_bbox.get(admin1)
            elif uid in self.curated_bbox:
                bbox = self.curated_bbox[uid]
            # Positional (a third faster than by keyword; the order is Place's, which
            # tests/test_gazetteer_batch.py checks).
            p = Place(uid, name, country, admin1, lat, lon, kind, prec, pop, fcode, src, note,
                      self.admin1.get(admin1), bbox, centroid, gid)
            if len(self._places) > MAX_PLACES_CACHED:
                self._places.clear()
            self._places[pid] = p
        return p

    def place(self, uid: str) -> Place | None:
        row = self.con.execute(
            f"SELECT {PLACE_COLS} FROM places p WHERE p.uid=?", (uid,)).fetchone()
        return None if row is None else self.place_of_row(row)

    def rows(self, sk: str) -> list[tuple]:
        """Index rows whose skeleton is ``sk`` (from the batch prefetch when there is one)."""
        if self.prefetched is not None:
            rows = self.prefetched.get(sk)
            if rows is not None:
                return rows
        return self.con.execute(f"{_ROW_SQL} = ?", (sk,)).fetchall()

    def prefetch(self, skeletons: Iterable[str], chunk: int = 500) -> None:
        """Fetch the rows of many skeletons in few queries (batches: one query per query costs
        more than the query itself)."""
        todo = sorted(set(skeletons))
        got: dict[str, list[tuple]] = {k: [] for k in todo}
        for i in range(0, len(todo), chunk):
            part = todo[i:i + chunk]
            for row in self.con.execute(
                    f"{_ROW_SQL} IN ({','.join('?' * len(part))})", part):
                got[row[18]].append(row)
        self.prefetched = got

    def key_rows(self, k: str) -> list[tuple]:
        """Rows of the places bearing skeleton ``k`` (PLACE_COLS, importance, name)."""
        return self.con.execute(
            f"SELECT {PLACE_COLS}, p.importance, n.name"
            " FROM names n JOIN places p ON p.pid = n.pid WHERE n.k = ?", (k,)).fetchall()

    def keys_between(self, lo: str, hi: str, min_len: int = 0,
                     max_len: int = 1 << 30) -> Iterator[str]:
        """The distinct skeletons ``lo <= k < hi`` in order, only those of ``min_len`` to
        ``max_len`` characters (filtered inside SQLite, which is cheaper than making a Python
        string of each; duplicates, adjacent in this order, dropped here: cheaper than
        SQLite's DISTINCT)."""
        last = None
        for (k,) in self.con.execute(
                "SELECT k FROM names WHERE k >= ? AND k < ? AND length(k) BETWEEN ? AND ?"
                " ORDER BY k", (lo, hi, min_len, max_len)):
            if k != last:
                yield k
                last = k

    def key_blocks(self, prefix: str, min_len: int, max_len: int) -> dict[int, list[str]] | None:
        """The distinct skeletons beginning with the two characters ``prefix``, by length (of
        ``min_len`` to ``max_len``), in order: what :meth:`keys_between` yields, read from the
        index's ``key_blocks`` (a few rows instead of thousands of index entries).  None if the
        index has none that are current (a change of names made them stale)."""
        if self._key_blocks is None:
            try:
                self._key_blocks = self.con.execute(
                    "SELECT 1 FROM meta WHERE key = ?", (KEY_BLOCKS_META,)).fetchone() is not None
            except sqlite3.Error:
                self._key_blocks = False
        if not self._key_blocks:
            return None
        return {n: keys.split("\n") for n, keys in self.con.execute(
            "SELECT n, keys FROM key_blocks WHERE p = ? AND n BETWEEN ? AND ?",
            (prefix, min_len, max_len))}

    def known(self, names: Iterable[str]) -> set[str]:
        """The names that some place bears (up to the normalisation skeleton; no fuzzy match)."""
        by_sk: dict[str, list[str]] = {}
        for n in names:
            if isinstance(n, str):
                sk = skeleton(n)
                if sk:
                    by_sk.setdefault(sk, []).append(n)
        found = {sk for sk in by_sk if sk in self.overlay}
        todo = sorted(set(by_sk) - found)
        for i in range(0, len(todo), 500):
            part = todo[i:i + 500]
            found.update(k for (k,) in self.con.execute(
                f"SELECT DISTINCT k FROM names WHERE k IN ({','.join('?' * len(part))})", part))
        return {n for sk in found for n in by_sk[sk]}

    def enclosing_admin1(self, code: str) -> list[str]:
        """First-level areas of the same country whose extent holds this one's."""
        inner = self.admin1_bbox.get(code)
        if inner is None:
            return []
        cc = code.split(".")[0]
        return [other for other, b in self.admin1_bbox.items()
                if other != code and other.split(".")[0] == cc
                and b[0] <= inner[0] and b[1] <= inner[1] and b[2] >= inner[2] and b[3] >= inner[3]]

    def area_points(self, area: Place) -> list[tuple[float, float]]:
        """The populated places inside an area (a country, a first-level area)."""
        if area.kind == "country":
            rows = self.con.execute(
                "SELECT lat, lon FROM places WHERE country=? AND kind='populated_place'",
                (area.country,)).fetchall()
        elif area.admin1:
            rows = self.con.execute(
                "SELECT lat, lon FROM places WHERE admin1=? AND kind='populated_place'",
                (area.admin1,)).fetchall()
        else:
            rows = []
        if area.kind != "country" and area.admin1 and area.admin1 in self.admin1_bbox:
            w, so, e, n = self.admin1_bbox[area.admin1]
            rows = [p for p in rows if so - 0.1 <= p[0] <= n + 0.1 and w - 0.1 <= p[1] <= e + 0.1]
        return [(float(a), float(b)) for a, b in rows]

    def installed_countries(self) -> set[str]:
        """The countries whose GeoNames dump is imported ("*": all of them)."""
        if self._installed is None:
            from .places_import import installed_countries

            self._installed = installed_countries(self.con)
        return self._installed
