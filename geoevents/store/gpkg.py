"""The GeoPackage store: the file ``geoevents export`` writes, plus the store's tables.

Every change writes the whole GeoPackage again with the one GeoPackage writer
(:func:`maps.export.write_geopackage`: layers ``incidents``, ``sources``, ``control_lines``,
``zones`` and their QGIS styles) into a temporary file beside the store, adds the store's tables
(:data:`geoevents.store.core.TABLES`, as attribute tables QGIS lists too) and renames it over
the store.  An interrupted or failed change leaves the store as it was.  Before the rename the
store is checked to be the one that was read; when another process changed it meanwhile, the
change is planned again on the new content (optimistic, no lock).

Schema versions: ``geoevents_meta.schema_version``; a GeoPackage written by ``geoevents export``
(no store tables: version 0) is migrated forward on the first change (each incident becomes a
stored incident with one report); a newer version is refused with the reason.
"""

from __future__ import annotations

import contextlib
import sqlite3
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
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)

    def _read_version(self) -> int:
        try:
            with contextlib.closing(self._connect()) as con:
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
        with contextlib.closing(self._connect()) as con:
            rows = con.execute("SELECT digest, added_at FROM store_inputs").fetchall()
        wanted = set(digests)
        return {d: a for d, a in rows if d in wanted}

    def load(self) -> _GpkgState:
        stamp = self._stamp()
        if stamp is None:
            return _GpkgState(self, None, stamp)
        check_geopackage(self.path)
        self.version = self._read_version()
        return _GpkgState(self, self.version, stamp)

    # --- the commands ---------------------------------------------------------------------
    def transact(self, planner, *, retries: int = 5) -> Plan:
        """``planner(state) -> Plan`` on the current content, written at once; planned again
        when another process changed the store meanwhile."""
        for _ in range(retries):
            state = self.load()
            plan = planner(state)
            if plan.empty and state.version == SCHEMA_VERSION:
                return plan
            if self._write(state, plan):
                return plan
        raise StoreError(f"{self.path}: the store kept changing while this change was being "
                         "written (other processes adding?); nothing was written, try again")

    def read(self, query: Any = None) -> tuple[Any, list[str]]:
        """The incidents frame (filtered by ``query``) and messages."""
        state = self.load()
        frame = state.frame
        messages = []
        if state.version == 0:
            messages.append(f"{self.path}: a geoevents export, not yet a store (schema version "
                            f"0); the next `geoevents add` makes it a store (version "
                            f"{SCHEMA_VERSION})")
        if query is not None:
            frame, undated = query.apply(frame)
            if undated:
                messages.append(f"{undated} incident(s) with an unknown date left out by the "
                                "date filter")
        return frame, messages

    def table(self, name: str) -> Any:
        return self.load().table(name)

    def info(self) -> dict[str, Any]:
        state = self.load()
        meta = dict(zip(state.table("geoevents_meta")["key"],
                        state.table("geoevents_meta")["value"], strict=True))
        return {"store": self.location, "kind": self.kind,
                "schema_version": state.version, **{k: v for k, v in sorted(meta.items())
                                                     if k != "schema_version"},
                "incidents": len(state.frame), "reports": len(state.table("store_reports")),
                "inputs": len(state.table("store_inputs")),
                "corrections": len(state.table("store_corrections"))}

    def log(self, incident: str | None = None, limit: int | None = None) -> list[dict]:
        from .core import records

        df = self.load().table("store_changes")
        if incident:
            df = df[df["incident_id"] == incident]
        recs = records(df, "store_changes")
        return recs[-limit:] if limit else recs

    def show(self, incident_id: str) -> dict[str, Any]:
        from .core import show_doc

        state = self.load()
        rows = state.rows([incident_id])

        def of(name: str) -> list[dict]:
            from .core import records

            df = state.table(name)
            return records(df[df["incident_id"] == incident_id], name)

        return show_doc(incident_id, rows.get(incident_id), of("store_reports"),
                        of("store_figures"), of("store_corrections"), of("store_changes"))

    # --- writing --------------------------------------------------------------------------
    def _write(self, state: _GpkgState, plan: Plan) -> bool:
        import pandas as pd
        import pyogrio

        from maps.export import write_geopackage
        from maps.writers import Staged

        frame = state.frame
        if plan.rows:
            keep = frame[~frame["id"].isin(list(plan.rows))]
            changed = rows_frame(list(plan.rows.values()))
            frame = _concat(keep, changed)
        frame = frame.sort_values(["date_start", "id"], kind="stable").reset_index(drop=True)
        tables = state.next_tables(plan)
        staging = Staged([self.path], overwrite=True, what="store", error=StoreError)
        temp = staging.path(self.path)
        try:
            write_geopackage(temp, frame)
            for name, df in tables.items():
                pyogrio.write_arrow(_arrow(name, df), temp, layer=name, driver="GPKG",
                                    layer_options={"DESCRIPTION": DESCRIPTIONS[name],
                                                   "IDENTIFIER": name})
            if self._stamp() != state.stamp:
                staging.abort()
                return False
            staging.commit()
        except BaseException:
            staging.abort()
            raise
        del pd
        return True


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


def _q(c: str) -> str:
    return f'"{c}"'
