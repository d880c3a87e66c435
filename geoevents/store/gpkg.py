"""The GeoPackage store: the file ``geoevents export`` writes, plus the store's tables.

A new store (and an export migrated into a store) is written whole with the one GeoPackage writer
(:func:`maps.export.write_geopackage`: layers ``incidents``, ``sources``, ``control_lines``,
``zones`` and their QGIS styles) into a temporary file beside the store, with the store's tables
(:data:`geoevents.store.core.TABLES`, attribute tables QGIS lists too) and its indexes, then
renamed into place.

Every later change is **incremental**, in one SQLite transaction on the store (the GeoPackage is
an SQLite database): ``BEGIN IMMEDIATE`` (one writer at a time; readers go on reading the
committed content), the planner reads only what it needs (the inputs' digests, the reports of
the same ids, the incidents whose dates overlap the new reports', the candidates' rows and
reports; all through indexes), then the changed incidents are written by the same GeoPackage
writer into a small temporary GeoPackage (the same field types and geometry encoding as the
full writer), and copied into the store: changed incidents updated in place (their ``fid``
stays), new ones appended, their ``sources`` rows replaced, the history tables appended, the
R-tree kept by GDAL's own triggers (their ``ST_*`` functions are given to SQLite here),
``gpkg_contents`` extents and ``last_change`` set, the QGIS style updated when a new spelling
of an event type needs a category.  ``COMMIT`` makes it all visible at once; an interrupted or
failed change (an error, Ctrl-C, a killed process, a full disk) is rolled back by SQLite's
journal, so the store is as before, byte for byte.

Schema versions: ``geoevents_meta.schema_version``; a GeoPackage written by ``geoevents export``
(no store tables: version 0) is migrated forward on the first change (each incident becomes a
stored incident with one report); a newer version is refused with the reason.
"""

from __future__ import annotations

import contextlib
import sqlite3
import struct
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .core import (
    DESCRIPTIONS,
    SCHEMA_VERSION,
    TABLES,
    Backend,
    Correction,
    Plan,
    Report,
    StoreError,
    now_iso,
    rows_frame,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
GPKG_APPLICATION_IDS = (0x47504B47, 0x47503130, 0x47503131)  # GPKG, GP10, GP11
LIGHT = ("id", "date_start", "date_end", "country", "admin1", "place_id", "lat", "lon",
         "event_type")
#: The store's indexes (plain SQLite indexes, which a GeoPackage may hold): every lookup of an
#: incremental change goes through one of them.
INDEXES = {
    "geoevents_incidents_id": ("incidents", "id"),
    "geoevents_incidents_dates": ("incidents", "date_start, date_end"),
    "geoevents_incidents_type": ("incidents", "event_type"),
    "geoevents_sources_incident": ("sources", "incident_id"),
    "geoevents_reports_ident": ("store_reports", "ident"),
    "geoevents_reports_incident": ("store_reports", "incident_id"),
    "geoevents_figures_report": ("store_figures", "report"),
    "geoevents_figures_incident": ("store_figures", "incident_id"),
    "geoevents_inputs_digest": ("store_inputs", "digest"),
    "geoevents_corrections_incident": ("store_corrections", "incident_id"),
    "geoevents_changes_incident": ("store_changes", "incident_id"),
}
CHUNK = 500  # values per IN (...) list
BUSY_SECONDS = 600  # how long a change waits for another process's change to finish


def check_geopackage(path: Path) -> None:
    """StoreError unless ``path`` is a GeoPackage (an SQLite file with the GeoPackage id)."""
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder, not a GeoPackage store") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise StoreError(f"{path} is not a GeoPackage (not an SQLite database); a store is a "
                         ".gpkg made by `geoevents add` or `geoevents export`")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id not in GPKG_APPLICATION_IDS:
        raise StoreError(f"{path} is an SQLite database but not a GeoPackage (application id "
                         f"{app_id:#x}, not GPKG)")


def gpkg_time(at: str) -> str:
    """A change's time stamp as GeoPackage ``last_change`` wants it (``...T..:..:..._sssZ``)."""
    from datetime import UTC, datetime

    try:
        t = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    t = t.astimezone(UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


# --- GDAL's R-tree triggers call these (SQLite functions GDAL registers; given here too) -------

def _envelope(blob: Any) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) of a GeoPackage geometry blob, None when empty or not one."""
    if blob is None or len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if flags & 0x10:
        return None
    e = "<" if flags & 1 else ">"
    size = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get((flags >> 1) & 7)
    if size is None:
        return None
    if size:
        minx, maxx, miny, maxy = struct.unpack_from(e + "4d", blob, 8)
        return (minx, maxx, miny, maxy)
    wkb = bytes(blob[8:])
    we = "<" if wkb[:1] == b"\x01" else ">"
    if len(wkb) >= 21 and struct.unpack_from(we + "I", wkb, 1)[0] % 1000 == 1:  # a point
        x, y = struct.unpack_from(we + "2d", wkb, 5)
        if x != x or y != y:
            return None
        return (x, x, y, y)
    import shapely

    g = shapely.from_wkb(wkb)
    if g.is_empty:
        return None
    minx, miny, maxx, maxy = g.bounds
    return (minx, maxx, miny, maxy)


def _register_functions(con: sqlite3.Connection) -> None:
    def part(k: int):
        def f(blob: Any) -> float | None:
            env = _envelope(blob)
            return None if env is None else env[k]
        return f

    con.create_function("ST_IsEmpty", 1, lambda b: 1 if _envelope(b) is None else 0,
                        deterministic=True)
    for k, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        con.create_function(name, 1, part(k), deterministic=True)


def _chunks(values: list[Any], n: int = CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(values), n):
        yield values[i:i + n]


def _select_in(con: sqlite3.Connection, sql: str, values: Iterable[Any]) -> Iterator[tuple]:
    """Rows of ``sql`` (with one ``{in}`` placeholder) for the values, a chunk at a time."""
    vals = list(dict.fromkeys(values))
    for part in _chunks(vals):
        yield from con.execute(sql.format(**{"in": ",".join("?" * len(part))}), part)


def _q(c: str) -> str:
    return '"' + c.replace('"', '""') + '"'


class GeoPackageStore(Backend):
    """A store in one GeoPackage file (see the module doc)."""

    kind = "GeoPackage"

    def __init__(self, path: Any, *, create: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        if self.path.suffix.lower() != ".gpkg":
            raise StoreError(f"{self.path}: a GeoPackage store ends in .gpkg (or give a "
                             "postgresql:// URL)")
        if not self.path.exists():
            if not create:
                raise StoreError(f"no store at {self.path}; `geoevents add INPUT... --store "
                                 f"{self.path}` makes one")
            self.version: int | None = None
            return
        check_geopackage(self.path)
        self.version = self._read_version()

    # --- reading --------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        """A connection for reading.  Read-write when the file may be written, so that SQLite
        rolls back the journal a killed change left (a read-only one could not); it writes
        nothing else."""
        import os

        try:
            if os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK):
                con = sqlite3.connect(self.path, timeout=BUSY_SECONDS)
            else:
                con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                      timeout=BUSY_SECONDS)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot be opened: {exc}") from None
        return con

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        con = self._connect()
        try:
            yield con
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot be read as a store: {exc}") from None
        finally:
            con.close()

    def _read_version(self, con: sqlite3.Connection | None = None) -> int:
        try:
            with contextlib.ExitStack() as stack:
                if con is None:
                    con = stack.enter_context(contextlib.closing(self._connect()))
                tables = {r[0] for r in con.execute(
                    "SELECT table_name FROM gpkg_contents")}
                if "geoevents_meta" not in tables:
                    if "incidents" in tables:
                        return 0  # an export of geoevents: migrated on the first change
                    raise StoreError(f"{self.path} is a GeoPackage but not a geoevents store "
                                     "(no incidents layer, no geoevents_meta table)")
                row = con.execute("SELECT value FROM geoevents_meta WHERE key = "
                                  "'schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot be read as a GeoPackage: {exc}") from None
        if row is None or not str(row[0]).strip().isdigit():
            raise StoreError(f"{self.path}: geoevents_meta has no valid schema_version "
                             f"({row[0] if row else 'none'!r}); the store cannot be used")
        v = int(row[0])
        if v > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: store schema version {v} is newer than this "
                             f"geoevents understands ({SCHEMA_VERSION}); upgrade geoevents "
                             "to use it (nothing was changed)")
        return v

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def known_inputs(self, digests: list[str]) -> dict[str, str]:
        """digest -> when added, for the inputs already in the store (read before anything
        else, so a known input is not read again)."""
        if not self.path.exists() or not self.version:
            return {}
        with self._reading() as con:
            return dict(_select_in(con, "SELECT digest, added_at FROM store_inputs WHERE digest "
                                        "IN ({in})", digests))

    def load(self) -> _GpkgState:
        """The whole content in memory (a new store, or an export to migrate)."""
        stamp = self._stamp()
        if stamp is None:
            return _GpkgState(self, None, stamp)
        check_geopackage(self.path)
        self.version = self._read_version()
        return _GpkgState(self, self.version, stamp)

    # --- the commands ---------------------------------------------------------------------
    def transact(self, planner, *, retries: int = 5) -> Plan:
        """``planner(state) -> Plan`` on the current content, written at once.  A store of
        this version changes in one SQLite transaction; a new store or an export to migrate is
        written whole and renamed into place (planned again when another process made or
        changed it meanwhile)."""
        for _ in range(retries):
            if self.path.exists():
                check_geopackage(self.path)
                self.version = self._read_version()
                if self.version == SCHEMA_VERSION:
                    return self._transact_in_place(planner)
            state = self.load()
            plan = planner(state)
            if self._write_whole(state, plan):
                return plan
        raise StoreError(f"{self.path}: the store kept changing while this change was being "
                         "written (other processes adding?); nothing was written, try again")

    def _transact_in_place(self, planner) -> Plan:
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot be opened for writing: {exc}") from None
        _register_functions(con)
        con.execute("PRAGMA cache_size = -262144")  # 256 MB of pages for a big change
        try:
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"{self.path}: cannot be changed ({exc}); nothing was written"
                                 ) from None
            try:
                v = self._read_version(con)
                if v != SCHEMA_VERSION:  # another process changed it meanwhile: not expected
                    raise StoreError(f"{self.path}: schema version changed to {v} meanwhile; "
                                     "nothing was written, try again")
                _ensure_indexes(con)
                state = _SqlState(self, con)
                plan = planner(state)
                if not plan.empty:
                    _apply(self.path, con, plan)
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:  # a damaged file, a full disk, ...
            raise StoreError(f"{self.path}: the change failed ({exc}); nothing was written"
                             ) from None
        finally:
            con.close()
        return plan

    def read(self, query: Any = None) -> tuple[Any, list[str]]:
        """The incidents frame (filtered by ``query``, in SQL through the store's indexes) and
        messages."""
        messages = []
        if self.version == 0:
            frame = self.load().frame
            messages.append(f"{self.path}: a geoevents export, not yet a store (schema version "
                            f"0); the next `geoevents add` makes it a store (version "
                            f"{SCHEMA_VERSION})")
        else:
            where, params = _where(query)
            with self._reading() as con:
                frame = _frame(con, where, params)
        if query is not None:
            frame, undated = query.apply(frame)
            if undated:
                messages.append(f"{undated} incident(s) with an unknown date left out by the "
                                "date filter")
        return frame, messages

    def table(self, name: str) -> Any:
        if self.version == 0:
            return self.load().table(name)
        import pandas as pd

        cols = ", ".join(_q(c) for c in TABLES[name])
        with self._reading() as con:
            return pd.read_sql_query(f"SELECT {cols} FROM {_q(name)} ORDER BY fid", con)

    def info(self) -> dict[str, Any]:
        if self.version == 0:
            state = self.load()
            counts = {"incidents": len(state.frame)}
            counts.update({t: len(state.table(t)) for t in
                           ("store_reports", "store_inputs", "store_corrections")})
            meta: dict[str, str] = {}
        else:
            with self._reading() as con:
                meta = dict(con.execute("SELECT key, value FROM geoevents_meta"))
                counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                          for t in ("incidents", "store_reports", "store_inputs",
                                    "store_corrections")}
        return {"store": self.location, "kind": self.kind,
                "schema_version": self.version, **{k: v for k, v in sorted(meta.items())
                                                   if k != "schema_version"},
                "incidents": counts["incidents"], "reports": counts["store_reports"],
                "inputs": counts["store_inputs"], "corrections": counts["store_corrections"]}

    def _records(self, name: str, incident: str | None) -> list[dict]:
        from .core import records

        if self.version == 0:
            df = self.load().table(name)
            if incident is not None:
                df = df[df["incident_id"] == incident]
            return records(df, name)
        import pandas as pd

        cols = ", ".join(_q(c) for c in TABLES[name])
        sql = f"SELECT {cols} FROM {_q(name)}"
        params: list[Any] = []
        if incident is not None:
            sql += " WHERE incident_id = ?"
            params.append(incident)
        with self._reading() as con:
            df = pd.read_sql_query(sql + " ORDER BY fid", con, params=params)
        return records(df, name)

    def log(self, incident: str | None = None, limit: int | None = None) -> list[dict]:
        recs = self._records("store_changes", incident)
        return recs[-limit:] if limit else recs

    def show(self, incident_id: str) -> dict[str, Any]:
        from .core import show_doc

        if self.version == 0:
            row = self.load().rows([incident_id]).get(incident_id)
        else:
            with self._reading() as con:
                row = _SqlState(self, con).rows([incident_id]).get(incident_id)
        return show_doc(incident_id, row, *(self._records(n, incident_id) for n in (
            "store_reports", "store_figures", "store_corrections", "store_changes")))

    # --- writing a whole store (new, or migrated from an export) ---------------------------
    def _write_whole(self, state: _GpkgState, plan: Plan) -> bool:
        import pyogrio

        from maps.export import write_geopackage
        from maps.writers import Staged, gdal_config, gpkg_options

        frame = state.frame
        if plan.rows:
            keep = frame[~frame["id"].isin(list(plan.rows))]
            changed = rows_frame(list(plan.rows.values()))
            frame = _concat(keep, changed)
        frame = frame.sort_values(["date_start", "id"], kind="stable").reset_index(drop=True)
        tables = state.next_tables(plan)
        # A new store is created exclusively (a hard link that fails when the file exists), so
        # two processes making the same store at once cannot replace each other's: the one
        # that loses plans again on the store the other made.
        new = state.stamp is None
        try:
            staging = Staged([self.path], overwrite=not new, what="store", error=StoreError)
        except StoreError:
            if new and self.path.exists():
                return False
            raise
        temp = staging.path(self.path)
        try:
            write_geopackage(temp, frame)
            with gdal_config(**gpkg_options()):
                for name, df in tables.items():
                    pyogrio.write_arrow(_arrow(name, df), temp, layer=name, driver="GPKG",
                                        layer_options={"DESCRIPTION": DESCRIPTIONS[name],
                                                       "IDENTIFIER": name})
            with contextlib.closing(sqlite3.connect(temp, isolation_level=None)) as con:
                con.execute("BEGIN")
                _ensure_indexes(con)
                con.execute("UPDATE gpkg_contents SET last_change = ?", (gpkg_time(plan.at),))
                con.execute("COMMIT")
            if self._stamp() != state.stamp:
                staging.abort()
                return False
            try:
                staging.commit()
            except StoreError:
                if new and self.path.exists():
                    return False
                raise
        except BaseException:
            staging.abort()
            raise
        return True


def _ensure_indexes(con: sqlite3.Connection) -> None:
    present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    tables = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
    for name, (table, cols) in INDEXES.items():
        if name not in present and table in tables:
            con.execute(f"CREATE INDEX {_q(name)} ON {_q(table)} ({cols})")


# --- reading rows ------------------------------------------------------------------------------

def _where(query: Any) -> tuple[str, list[Any]]:
    """The SQL of a query's filters (a superset: :meth:`StoreQuery.apply` decides after)."""
    where, params = ["1"], []
    if query is None:
        return "1", []
    if query.date_from:
        where.append("(date_start IS NULL OR date_start = '' OR "
                     "coalesce(nullif(date_end, ''), date_start) >= ?)")
        params.append(query.date_from.isoformat())
    if query.date_to:
        where.append("(date_start IS NULL OR date_start = '' OR date_start <= ?)")
        params.append(query.date_to.isoformat() + "~")
    if query.countries:
        where.append(f"upper(country) IN ({','.join('?' * len(query.countries))})")
        params += list(query.countries)
    if query.bbox:
        w, s, e, n = query.bbox
        box = "(SELECT id FROM rtree_incidents_geom WHERE maxx >= ? AND minx <= ? AND " \
              "maxy >= ? AND miny <= ?)"
        if w <= e:
            where.append(f"fid IN {box}")
            params += [w, e, s, n]
        else:
            where.append(f"(fid IN {box} OR fid IN {box})")
            params += [w, 180, s, n, -180, e, s, n]
    if query.types:
        t = [x.casefold() for x in query.types]
        marks = ",".join("?" * len(t))
        where.append(f"(lower(event_type) IN ({marks}) OR lower(sub_event_type) IN ({marks}))")
        params += t + t
    return " AND ".join(where), params


def _columns(con: sqlite3.Connection, table: str) -> dict[str, str]:
    return {r[1]: (r[2] or "").upper() for r in con.execute(f"PRAGMA table_info({_q(table)})")}


def _frame(con: sqlite3.Connection, where: str, params: list[Any]):
    """The stored incidents matching ``where`` as the incidents frame (cast by the schema)."""
    import pandas as pd

    from maps.schema import column_types

    cols = [c for c in _columns(con, "incidents") if c not in ("fid", "geom")]
    df = pd.read_sql_query(f"SELECT {', '.join(_q(c) for c in cols)} FROM incidents WHERE "
                           f"{where} ORDER BY fid", con, params=params)
    types = column_types("incidents")
    for c in df.columns:
        t = types.get(c, "str")
        if t == "str":
            df[c] = df[c].astype(object).where(df[c].notna(), "").astype(str)
        elif t == "bool":
            df[c] = df[c].fillna(0).astype(bool)
    return rows_frame_df(df)


def rows_frame_df(df):
    import geopandas as gpd

    from maps.schema import conform

    return conform(gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]),
                                    crs="EPSG:4326"), "incidents", order=False)


def _row(cols: list[str], values: tuple, types: dict[str, str]) -> dict[str, Any]:
    """A stored incidents row as :func:`geoevents.store.core.frame_rows` gives it."""
    out: dict[str, Any] = {}
    for c, v in zip(cols, values, strict=True):
        t = types.get(c, "str")
        if t == "str":
            v = "" if v is None else str(v)
        elif t in ("Int64", "int"):
            v = None if v is None else int(v)
        elif t == "float":
            v = None if v is None else float(v)
        elif t == "bool":
            v = bool(v) if v is not None else None
        out[c] = v
    return out


class _SqlState:
    """The store as the planner sees it, read through SQL inside the change's transaction."""

    def __init__(self, store: GeoPackageStore, con: sqlite3.Connection) -> None:
        from maps.schema import column_types

        self.store, self.con, self.version = store, con, SCHEMA_VERSION
        self.cols = [c for c in _columns(con, "incidents") if c not in ("fid", "geom")]
        self.types = column_types("incidents")

    def input_added(self, digest: str) -> str | None:
        row = self.con.execute("SELECT added_at FROM store_inputs WHERE digest = ?",
                               (digest,)).fetchone()
        return row[0] if row else None

    def _reports(self, col: str, values: list[str]) -> list[Report]:
        rows = sorted(_select_in(
            self.con, "SELECT fid, ident, content_hash, incident_id, input, added_at, "
                      f"report_json FROM store_reports WHERE {col} IN ({{in}})", values))
        return [Report.from_record(*r[1:]) for r in rows]

    def reports_by_ident(self, idents: list[str]) -> dict[str, Report]:
        return {r.ident: r for r in self._reports("ident", idents)}

    def block_frame(self, start: Any, end: Any) -> Any:
        import pandas as pd

        where, params = ["1"], []
        if end is not None:
            where.append("(date_start IS NULL OR date_start = '' OR date_start <= ?)")
            params.append(end.isoformat() + "~")
        if start is not None:
            where.append("(date_end IS NULL OR date_end = '' OR date_end >= ?)")
            params.append(start.isoformat())
        sel = ", ".join(f"coalesce({_q(c)}, '') AS {_q(c)}" if c not in ("lat", "lon") else _q(c)
                        for c in LIGHT)
        return pd.read_sql_query(f"SELECT {sel} FROM incidents WHERE {' AND '.join(where)}",
                                 self.con, params=params)

    def rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        sel = ", ".join(_q(c) for c in self.cols)
        out = {}
        for values in _select_in(self.con, f"SELECT {sel} FROM incidents WHERE id IN ({{in}})",
                                 ids):
            r = _row(self.cols, values, self.types)
            out[str(r["id"])] = r
        return out

    def reports_of(self, ids: list[str]) -> dict[str, list[Report]]:
        out: dict[str, list[Report]] = {}
        for r in self._reports("incident_id", ids):
            out.setdefault(r.incident_id, []).append(r)
        return out

    def corrections_of(self, ids: list[str]) -> dict[str, list[Correction]]:
        out: dict[str, list[Correction]] = {}
        rows = sorted(_select_in(self.con, "SELECT seq, incident_id, field, value, note, at "
                                           "FROM store_corrections WHERE incident_id IN ({in})",
                                 ids))
        for seq, i, f, v, n, a in rows:
            out.setdefault(i, []).append(Correction(i, f, v, n or "", a, int(seq)))
        return out

    def ids_taken(self, ids: list[str]) -> set[str]:
        return {r[0] for r in _select_in(self.con, "SELECT id FROM incidents WHERE id IN "
                                                   "({in})", ids)}


# --- writing a change in place -----------------------------------------------------------------

def _finish(con: sqlite3.Connection, plan: Plan, touched: set[str]) -> None:
    """The GeoPackage's own bookkeeping of a change: ``gpkg_contents`` (extent of the incidents,
    ``last_change`` of every table the change wrote) and the incidents' QGIS style."""
    import pandas as pd

    from maps import qgis_styles

    env = _extent(con)
    if env is not None:
        con.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? "
                    "WHERE table_name = 'incidents'", env)
    stamp = gpkg_time(plan.at)
    for t in sorted(touched):
        con.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (stamp, t))
    types = [r[0] for r in con.execute("SELECT DISTINCT coalesce(event_type, '') FROM "
                                       "incidents ORDER BY 1")]
    qml = qgis_styles.incidents_qml(pd.DataFrame({"event_type": types}))
    row = con.execute("SELECT id, styleQML FROM layer_styles WHERE f_table_name = 'incidents' "
                      "AND useAsDefault ORDER BY id LIMIT 1").fetchone()
    if row is not None and row[1] != qml:
        con.execute("UPDATE layer_styles SET styleQML = ? WHERE id = ?", (qml, row[0]))
        con.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = "
                    "'layer_styles'", (stamp,))


def _extent(con: sqlite3.Connection) -> tuple[float, float, float, float] | None:
    """The exact extent of the incidents (min x, min y, max x, max y): the R-tree's (single
    precision, rounded outwards) finds the few points on each edge, their geometries decide."""
    out = []
    for agg, col, fn in (("min", "minx", "ST_MinX"), ("min", "miny", "ST_MinY"),
                         ("max", "maxx", "ST_MaxX"), ("max", "maxy", "ST_MaxY")):
        edge = con.execute(f"SELECT {agg}({col}) FROM rtree_incidents_geom").fetchone()[0]
        if edge is None:
            return None
        near = f"{col} <= ?" if agg == "min" else f"{col} >= ?"
        tol = 1e-4 * (1 if agg == "min" else -1)
        v = con.execute(f"SELECT {agg}({fn}(geom)) FROM incidents WHERE fid IN (SELECT id "
                        f"FROM rtree_incidents_geom WHERE {near})", (edge + tol,)).fetchone()[0]
        out.append(v)
    return tuple(out)


def _changed_layers(path: Path, con: sqlite3.Connection, plan: Plan) -> set[str]:
    """Write the changed incidents (and their sources rows) into the store: through the one
    GeoPackage writer into a temporary GeoPackage, then row by row into the store."""
    from maps.export import write_geopackage

    if not plan.rows:
        return set()
    frame = rows_frame(list(plan.rows.values()))
    frame = frame.sort_values(["date_start", "id"], kind="stable").reset_index(drop=True)
    with tempfile.TemporaryDirectory(prefix=".geoevents-change-", dir=path.parent) as tmp:
        temp = Path(tmp) / "change.gpkg"
        write_geopackage(temp, frame)
        with contextlib.closing(sqlite3.connect(temp)) as src:
            _copy_incidents(con, src)
            _copy_sources(con, src, list(plan.rows))
    return {"incidents", "sources"}


def _add_missing_columns(con: sqlite3.Connection, src: sqlite3.Connection, table: str
                         ) -> tuple[list[str], dict[str, str]]:
    """Columns of ``table`` in ``src`` (not fid); columns the store lacks are added to it."""
    have = _columns(con, table)
    theirs = {c: t for c, t in _columns(src, table).items() if c != "fid"}
    for c, t in theirs.items():
        if c not in have:
            con.execute(f"ALTER TABLE {_q(table)} ADD COLUMN {_q(c)} {t or 'TEXT'}")
            have[c] = t
    return list(theirs), have


def _copy_incidents(con: sqlite3.Connection, src: sqlite3.Connection) -> None:
    cols, have = _add_missing_columns(con, src, "incidents")
    # the store's columns the change has not: text '' (as the whole writer fills), else NULL
    rest = [c for c in have if c not in cols and c != "fid"]
    filler = ["" if have[c] == "TEXT" else None for c in rest]
    names = cols + rest
    rows = src.execute(f"SELECT {', '.join(_q(c) for c in cols)} FROM incidents ORDER BY fid"
                       ).fetchall()
    k = cols.index("id")
    fids = dict(_select_in(con, "SELECT id, fid FROM incidents WHERE id IN ({in})",
                           [r[k] for r in rows]))
    new = [(*r, *filler) for r in rows if r[k] not in fids]
    old = [(*r, *filler, fids[r[k]]) for r in rows if r[k] in fids]
    if old:
        con.executemany(f"UPDATE incidents SET {', '.join(f'{_q(c)} = ?' for c in names)} "
                        "WHERE fid = ?", old)
    if new:
        con.executemany(f"INSERT INTO incidents ({', '.join(_q(c) for c in names)}) VALUES "
                        f"({', '.join('?' * len(names))})", new)


def _copy_sources(con: sqlite3.Connection, src: sqlite3.Connection, ids: list[str]) -> None:
    cols, _ = _add_missing_columns(con, src, "sources")
    for part in _chunks(ids):
        con.execute(f"DELETE FROM sources WHERE incident_id IN ({','.join('?' * len(part))})",
                    part)
    rows = src.execute(f"SELECT {', '.join(_q(c) for c in cols)} FROM sources ORDER BY fid"
                       ).fetchall()
    if rows:
        con.executemany(f"INSERT INTO sources ({', '.join(_q(c) for c in cols)}) VALUES "
                        f"({', '.join('?' * len(cols))})", rows)


def _insert(con: sqlite3.Connection, name: str, recs: list[dict[str, Any]], *,
            seq: bool = True) -> None:
    if not recs:
        return
    cols = list(TABLES[name])
    if seq:
        start = con.execute(f"SELECT coalesce(max(seq), 0) FROM {_q(name)}").fetchone()[0]
        recs = [{**r, "seq": int(start) + k + 1} for k, r in enumerate(recs)]
    values = []
    for r in recs:
        row = []
        for c, t in TABLES[name].items():
            v = r.get(c)
            if t == "int":
                v = None if v is None or v != v else int(v)
            else:
                v = "" if v is None or v != v else str(v)
            row.append(v)
        values.append(tuple(row))
    con.executemany(f"INSERT INTO {_q(name)} ({', '.join(_q(c) for c in cols)}) VALUES "
                    f"({', '.join('?' * len(cols))})", values)


def _apply(path: Path, con: sqlite3.Connection, plan: Plan) -> None:
    """Write ``plan`` into the store, inside the caller's transaction."""
    from .. import __version__

    touched = _changed_layers(path, con, plan)
    if plan.reports:
        revised = sorted({r.ident for r in plan.reports} & set(plan.superseded))
        for part in _chunks(revised):
            con.execute(f"DELETE FROM store_reports WHERE ident IN ({','.join('?' * len(part))})",
                        part)
        _insert(con, "store_reports", [
            {"ident": r.ident, "content_hash": r.content_hash, "incident_id": r.incident_id,
             "input": r.input_name, "added_at": r.added_at, "report_json": r.to_json()}
            for r in plan.reports], seq=False)
        touched.add("store_reports")
    if plan.superseded:
        by = {r.ident: r.input_name for r in plan.reports}
        con.executemany("UPDATE store_figures SET status = 'superseded', superseded_at = ?, "
                        "superseded_by = ? WHERE report = ? AND status = 'current'",
                        [(plan.at, by.get(i, ""), i) for i in plan.superseded])
        touched.add("store_figures")
    for name, recs in (("store_figures", plan.figures), ("store_inputs", plan.inputs),
                       ("store_changes", plan.changes),
                       ("store_corrections", [{"incident_id": c.incident_id, "field": c.field,
                                               "value": c.value, "note": c.note, "at": c.at}
                                              for c in plan.corrections])):
        if recs:
            _insert(con, name, recs)
            touched.add(name)
    meta = dict(con.execute("SELECT key, value FROM geoevents_meta"))
    want = {"schema_version": str(SCHEMA_VERSION), "geoevents_version": __version__,
            "last_change": plan.at}
    if "created" not in meta:
        want["created"] = plan.at
    for k, v in want.items():
        if k in meta:
            con.execute("UPDATE geoevents_meta SET value = ? WHERE key = ?", (v, k))
        else:
            con.execute("INSERT INTO geoevents_meta (key, value) VALUES (?, ?)", (k, v))
    touched.add("geoevents_meta")
    _finish(con, plan, touched)


def _concat(a, b):
    import geopandas as gpd
    import pandas as pd

    from maps.schema import INCIDENT_COLUMNS

    if not len(a):
        return b
    out = pd.concat([pd.DataFrame(a), pd.DataFrame(b)], ignore_index=True)
    for c in out.columns:
        if c == "geometry" or INCIDENT_COLUMNS.get(c, "str") != "str":
            continue
        if out[c].isna().any():
            out[c] = out[c].astype(object).where(out[c].notna(), "").astype(str)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def _arrow(name: str, df) -> Any:
    import pyarrow as pa

    cols = TABLES[name]
    arrays = {}
    for c, t in cols.items():
        values = df[c].tolist() if c in df else [None] * len(df)
        if t == "int":
            arrays[c] = pa.array([None if v is None or v != v else int(v) for v in values],
                                 type=pa.int64())
        else:
            arrays[c] = pa.array(["" if v is None or v != v else str(v) for v in values],
                                 type=pa.string())
    return pa.table(arrays)


class _GpkgState:
    """The store's content in memory, as the planner sees it."""

    def __init__(self, store: GeoPackageStore, version: int | None, stamp: Any) -> None:
        import pandas as pd

        self.store, self.version, self.stamp = store, version, stamp
        self._tables: dict[str, Any] = {}
        if version is None:
            from .core import rows_frame

            self.frame = rows_frame([])
            for name, cols in TABLES.items():
                self._tables[name] = pd.DataFrame({c: [] for c in cols})
        else:
            self.frame = self._read_incidents()
            with contextlib.closing(store._connect()) as con:
                present = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
                for name, cols in TABLES.items():
                    if name in present:
                        df = pd.read_sql_query(f'SELECT {", ".join(_q(c) for c in cols)} '
                                               f'FROM "{name}"', con)
                    else:
                        df = pd.DataFrame({c: [] for c in cols})
                    self._tables[name] = df
        if version == 0:
            self._migrate_export()
        self._pos = {v: i for i, v in enumerate(self.frame["id"].astype(str).tolist())}
        rep = self._tables["store_reports"]
        self._by_ident = {v: i for i, v in enumerate(rep["ident"].tolist())}
        self._by_incident: dict[str, list[int]] = {}
        for i, v in enumerate(rep["incident_id"].tolist()):
            self._by_incident.setdefault(v, []).append(i)
        inputs = self._tables["store_inputs"]
        self._inputs = dict(zip(inputs["digest"].tolist(), inputs["added_at"].tolist(),
                                strict=True))

    def _read_incidents(self):
        from ..tables import read_table

        try:
            res = read_table(self.store.path)
        except Exception as exc:
            raise StoreError(f"{self.store.path}: the incidents layer cannot be read: {exc}"
                             ) from None
        if res.rejections:
            first = res.rejections[0]
            raise StoreError(f"{self.store.path}: {len(res.rejections)} stored incident(s) "
                             f"cannot be read (first: {first}); the store is damaged")
        frame = res.frame
        # read_table reads our own layout; the store keeps its ids as they are
        return frame

    def _migrate_export(self) -> None:
        """Version 0 -> 1: every incident of an export becomes a stored incident with itself as
        its one report."""
        import pandas as pd

        from ..frames import incidents_from_frame

        at = now_iso()
        name = f"{self.store.path} (export, migrated)"
        recs = []
        for inc in incidents_from_frame(self.frame):
            r = Report.from_incident(inc, name, at)
            recs.append({"ident": r.ident, "content_hash": r.content_hash,
                         "incident_id": inc.id, "input": name, "added_at": at,
                         "report_json": r.to_json()})
        self._tables["store_reports"] = pd.DataFrame(recs, columns=list(TABLES["store_reports"]))
        self._tables["store_changes"] = pd.DataFrame([{
            "seq": 1, "at": at, "input": name, "incident_id": "", "action": "migrated",
            "detail": f"schema version 0 (a geoevents export) -> {SCHEMA_VERSION}: "
                      f"{len(recs)} incident(s) kept, each as its own report"}],
            columns=list(TABLES["store_changes"]))

    # --- the State protocol -----------------------------------------------------------------
    def input_added(self, digest: str) -> str | None:
        return self._inputs.get(digest)

    def _report(self, i: int) -> Report:
        r = self._tables["store_reports"].iloc[i]
        return Report.from_record(r["ident"], r["content_hash"], r["incident_id"], r["input"],
                                  r["added_at"], r["report_json"])

    def reports_by_ident(self, idents: list[str]) -> dict[str, Report]:
        return {k: self._report(self._by_ident[k]) for k in idents if k in self._by_ident}

    def block_frame(self, start: Any, end: Any) -> Any:
        return self.frame[list(LIGHT)]

    def rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        from .core import frame_rows

        pos = [self._pos[i] for i in ids if i in self._pos]
        if not pos:
            return {}
        recs = frame_rows(self.frame.iloc[pos])
        return {str(r["id"]): r for r in recs}

    def reports_of(self, ids: list[str]) -> dict[str, list[Report]]:
        return {i: [self._report(k) for k in self._by_incident[i]] for i in ids
                if i in self._by_incident}

    def corrections_of(self, ids: list[str]) -> dict[str, list[Correction]]:
        df = self._tables["store_corrections"]
        wanted = set(ids)
        out: dict[str, list[Correction]] = {}
        for r in df.itertuples(index=False):
            if r.incident_id in wanted:
                out.setdefault(r.incident_id, []).append(Correction(
                    r.incident_id, r.field, r.value, r.note, r.at, int(r.seq)))
        return out

    def ids_taken(self, ids: list[str]) -> set[str]:
        return {i for i in ids if i in self._pos}

    def table(self, name: str) -> Any:
        return self._tables[name]

    # --- the next content -------------------------------------------------------------------
    def next_tables(self, plan: Plan) -> dict[str, Any]:
        import pandas as pd

        from .. import __version__

        t = {k: v.copy() for k, v in self._tables.items()}

        def append(name: str, recs: list[dict[str, Any]], seq: bool = True) -> None:
            if not recs:
                return
            df = t[name]
            if seq:
                start = int(pd.to_numeric(df["seq"]).max()) if len(df) else 0
                recs = [{**r, "seq": start + k + 1} for k, r in enumerate(recs)]
            new = pd.DataFrame(recs, columns=list(TABLES[name]))
            t[name] = pd.concat([df, new], ignore_index=True) if len(df) else new

        if plan.reports:
            rep = t["store_reports"]
            idents = {r.ident for r in plan.reports}
            rep = rep[~rep["ident"].isin(idents)]
            t["store_reports"] = rep
            append("store_reports", [{"ident": r.ident, "content_hash": r.content_hash,
                                      "incident_id": r.incident_id, "input": r.input_name,
                                      "added_at": r.added_at, "report_json": r.to_json()}
                                     for r in plan.reports], seq=False)
        if plan.superseded:
            fig = t["store_figures"]
            by = {r.ident: r.input_name for r in plan.reports}
            mask = fig["report"].isin(plan.superseded) & (fig["status"] == "current")
            fig.loc[mask, "status"] = "superseded"
            fig.loc[mask, "superseded_at"] = plan.at
            fig.loc[mask, "superseded_by"] = fig.loc[mask, "report"].map(by)
            t["store_figures"] = fig
        append("store_figures", plan.figures)
        append("store_inputs", plan.inputs)
        append("store_changes", plan.changes)
        append("store_corrections", [{"incident_id": c.incident_id, "field": c.field,
                                      "value": c.value, "note": c.note, "at": c.at}
                                     for c in plan.corrections])
        meta = dict(zip(t["geoevents_meta"]["key"].tolist(),
                        t["geoevents_meta"]["value"].tolist(), strict=True))
        meta.setdefault("created", plan.at)
        meta["schema_version"] = str(SCHEMA_VERSION)
        meta["geoevents_version"] = __version__
        meta["last_change"] = plan.at
        t["geoevents_meta"] = pd.DataFrame({"key": sorted(meta),
                                            "value": [meta[k] for k in sorted(meta)]})
        return t

