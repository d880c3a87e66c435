"""The PostgreSQL/PostGIS store: the same tables as the GeoPackage store, for a team.

``incidents`` holds one row per incident: the frame row of :mod:`maps.schema` as ``jsonb``
(``row``), a PostGIS point (``geom``, EPSG:4326, GiST index) and the columns the filters use.
Every ``add`` and ``edit`` is one SERIALIZABLE transaction: the planner reads the candidate
incidents and writes its plan in the same transaction, and the unique constraints (an input's
digest, a report's id, an incident's id) refuse a second copy.  When two processes add at
once and their inputs overlap, PostgreSQL aborts one of them (serialization failure or unique
violation); that one is planned again on the committed content, so the result is exactly the
merged incidents with no duplicate, with no lock taken by the tool.  A connection that fails
or drops leaves nothing half-written (the transaction is rolled back by the server).
"""

from __future__ import annotations

import json
import random
import re
import time
from typing import Any

from .core import (
    SCHEMA_VERSION,
    Backend,
    Correction,
    Plan,
    Report,
    StoreError,
    rows_frame,
)

DDL = [
    "CREATE EXTENSION IF NOT EXISTS postgis",
    """CREATE TABLE IF NOT EXISTS geoevents_meta (key text PRIMARY KEY, value text NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS store_inputs (
        seq bigserial PRIMARY KEY, digest text NOT NULL UNIQUE, name text NOT NULL,
        added_at text NOT NULL, reports int, new int, merged int, revised int,
        unchanged int, rejected int)""",
    """CREATE TABLE IF NOT EXISTS incidents (
        id text PRIMARY KEY, date_start date, date_end date, country text,
        event_type text, sub_event_type text, row jsonb NOT NULL,
        geom geometry(Point, 4326) NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS incidents_geom ON incidents USING gist (geom)",
    "CREATE INDEX IF NOT EXISTS incidents_dates ON incidents (date_start, date_end)",
    "CREATE INDEX IF NOT EXISTS incidents_country ON incidents (country)",
    """CREATE TABLE IF NOT EXISTS store_reports (
        ident text PRIMARY KEY, content_hash text NOT NULL,
        incident_id text NOT NULL REFERENCES incidents (id), input text NOT NULL,
        added_at text NOT NULL, report_json jsonb NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS store_reports_incident ON store_reports (incident_id)",
    """CREATE TABLE IF NOT EXISTS store_figures (
        seq bigserial PRIMARY KEY, incident_id text NOT NULL, report text NOT NULL,
        recorded_at text, input text, source text, via text, kind text, side text,
        low int, best int, high int, quote text, status text, superseded_at text,
        superseded_by text)""",
    "CREATE INDEX IF NOT EXISTS store_figures_report ON store_figures (report)",
    "CREATE INDEX IF NOT EXISTS store_figures_incident ON store_figures (incident_id)",
    """CREATE TABLE IF NOT EXISTS store_corrections (
        seq bigserial PRIMARY KEY, incident_id text NOT NULL REFERENCES incidents (id),
        field text NOT NULL, value text NOT NULL, note text, at text NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS store_changes (
        seq bigserial PRIMARY KEY, at text NOT NULL, input text, incident_id text,
        action text NOT NULL, detail text)""",
    "CREATE INDEX IF NOT EXISTS store_changes_incident ON store_changes (incident_id)",
]
REPORT_COLS = "ident, content_hash, incident_id, input, added_at, report_json::text"


def redact(url: str) -> str:
    """The URL without its password (for messages)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _psycopg():
    try:
        import psycopg
    except ImportError:  # pragma: no cover - a declared dependency
        raise StoreError("a postgresql:// store needs psycopg (pip install 'psycopg[binary]')"
                         ) from None
    return psycopg


class PostgresStore(Backend):
    kind = "PostgreSQL"

    def __init__(self, url: str, *, create: bool = False) -> None:
        self.url = url
        self.location = self.display = redact(url)
        self.create = create
        with self._connect() as con:
            self.version = self._prepare(con, create)

    # --- connection and schema ----------------------------------------------------------------
    def _connect(self, **kw: Any):
        psycopg = _psycopg()
        try:
            return psycopg.connect(self.url, connect_timeout=10, **kw)
        except psycopg.OperationalError as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise StoreError(f"cannot connect to the store {self.location}: {reason}; nothing "
                             "was written") from None
        except psycopg.ProgrammingError as exc:
            raise StoreError(f"{self.location}: not a PostgreSQL connection URL I can use: "
                             f"{exc}") from None

    def _prepare(self, con: Any, create: bool) -> int | None:
        psycopg = _psycopg()
        exists = con.execute("SELECT to_regclass('geoevents_meta') IS NOT NULL").fetchone()[0]
        if exists:
            row = con.execute("SELECT value FROM geoevents_meta WHERE key = 'schema_version'"
                              ).fetchone()
            con.rollback()
            if row is None or not str(row[0]).isdigit():
                raise StoreError(f"{self.location}: geoevents_meta has no valid schema_version;"
                                 " the store cannot be used")
            v = int(row[0])
            if v > SCHEMA_VERSION:
                raise StoreError(f"{self.location}: store schema version {v} is newer than "
                                 f"this geoevents understands ({SCHEMA_VERSION}); upgrade "
                                 "geoevents to use it (nothing was changed)")
            return v
        if not create:
            raise StoreError(f"no store in {self.location} (no geoevents_meta table); "
                             "`geoevents add INPUT... --store URL` makes one")
        if con.execute("SELECT to_regclass('incidents') IS NOT NULL").fetchone()[0]:
            raise StoreError(f"{self.location}: the database has an incidents table but no "
                             "geoevents_meta: not a geoevents store; use another database or "
                             "schema")
        for attempt in range(5):  # another process may create it at the same time
            try:
                with con.transaction():
                    for stmt in DDL:
                        con.execute(stmt)
                    from .. import __version__
                    from .core import now_iso

                    con.execute("INSERT INTO geoevents_meta VALUES ('schema_version', %s), "
                                "('created', %s), ('geoevents_version', %s) "
                                "ON CONFLICT (key) DO NOTHING",
                                (str(SCHEMA_VERSION), now_iso(), __version__))
                con.commit()
                return SCHEMA_VERSION
            except (psycopg.errors.UniqueViolation, psycopg.errors.SerializationFailure,
                    psycopg.errors.DuplicateTable, psycopg.errors.DuplicateObject):
                time.sleep(0.05 * (attempt + 1))
        raise StoreError(f"{self.location}: the store tables could not be created")

    def transact(self, planner, *, retries: int = 20) -> Plan:
        psycopg = _psycopg()
        retry = (psycopg.errors.SerializationFailure, psycopg.errors.UniqueViolation,
                 psycopg.errors.DeadlockDetected, psycopg.errors.ForeignKeyViolation)
        last = None
        for attempt in range(retries):
            with self._connect() as con:
                con.isolation_level = psycopg.IsolationLevel.SERIALIZABLE
                try:
                    state = _PgState(con)
                    plan = planner(state)
                    if not plan.empty:
                        _write(con, plan)
                    con.commit()
                    return plan
                except retry as exc:
                    con.rollback()
                    last = exc
                    time.sleep(random.uniform(0.02, 0.1) * (attempt + 1))
                except psycopg.OperationalError as exc:
                    raise StoreError(f"{self.location}: the connection failed during the "
                                     f"change ({' '.join(str(exc).split())}); nothing was "
                                     "written") from None
        raise StoreError(f"{self.location}: the change kept conflicting with other writers "
                         f"({last}); nothing was written, try again")

    def known_inputs(self, digests: list[str]) -> dict[str, str]:
        with self._connect() as con:
            return dict(con.execute("SELECT digest, added_at FROM store_inputs WHERE digest = "
                                    "ANY(%s)", (digests,)).fetchall())

    # --- reading ------------------------------------------------------------------------------
    def read(self, query: Any = None) -> tuple[Any, list[str]]:
        where, params = ["TRUE"], []
        if query is not None:
            if query.date_from:
                where.append("(date_start IS NULL OR coalesce(date_end, date_start) >= %s)")
                params.append(query.date_from)
            if query.date_to:
                where.append("(date_start IS NULL OR date_start <= %s)")
                params.append(query.date_to)
            if query.countries:
                where.append("upper(country) = ANY(%s)")
                params.append(list(query.countries))
            if query.bbox:
                w, s, e, n = query.bbox
                if w <= e:
                    where.append("geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)")
                    params += [w, s, e, n]
                else:
                    where.append("(geom && ST_MakeEnvelope(%s, %s, 180, %s, 4326) OR "
                                 "geom && ST_MakeEnvelope(-180, %s, %s, %s, 4326))")
                    params += [w, s, n, s, e, n]
            if query.types:
                where.append("(lower(event_type) = ANY(%s) OR lower(sub_event_type) = ANY(%s))")
                t = [x.casefold() for x in query.types]
                params += [t, t]
        with self._connect() as con:
            cur = con.execute(f"SELECT row::text FROM incidents WHERE {' AND '.join(where)} "
                              "ORDER BY date_start NULLS LAST, id", params)
            rows = [json.loads(r[0]) for r in cur]
        frame = rows_frame(rows)
        messages = []
        if query is not None:
            frame, undated = query.apply(frame)
            if undated:
                messages.append(f"{undated} incident(s) with an unknown date left out by the "
                                "date filter")
        return frame, messages

    def _records(self, name: str, incident: str | None = None) -> list[dict]:
        from .core import TABLES, records

        cols = list(TABLES[name])
        sel = ", ".join("report_json::text AS report_json" if c == "report_json" else c
                        for c in cols)
        sql = f"SELECT {sel} FROM {name}"
        params: list[Any] = []
        if incident is not None:
            sql += " WHERE incident_id = %s"
            params.append(incident)
        import pandas as pd

        with self._connect() as con:
            cur = con.execute(sql, params)
            df = pd.DataFrame(cur.fetchall(), columns=cols)
        return records(df, name)

    def info(self) -> dict[str, Any]:
        with self._connect() as con:
            meta = dict(con.execute("SELECT key, value FROM geoevents_meta").fetchall())
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("incidents", "store_reports", "store_inputs",
                                "store_corrections")}
        return {"store": self.location, "kind": self.kind, "schema_version": self.version,
                **{k: v for k, v in sorted(meta.items()) if k != "schema_version"},
                "incidents": counts["incidents"], "reports": counts["store_reports"],
                "inputs": counts["store_inputs"], "corrections": counts["store_corrections"]}

    def log(self, incident: str | None = None, limit: int | None = None) -> list[dict]:
        recs = self._records("store_changes", incident)
        return recs[-limit:] if limit else recs

    def show(self, incident_id: str) -> dict[str, Any]:
        from .core import show_doc

        with self._connect() as con:
            row = con.execute("SELECT row::text FROM incidents WHERE id = %s", (incident_id,)
                              ).fetchone()
        return show_doc(incident_id, json.loads(row[0]) if row else None,
                        self._records("store_reports", incident_id),
                        self._records("store_figures", incident_id),
                        self._records("store_corrections", incident_id),
                        self._records("store_changes", incident_id))


class _PgState:
    def __init__(self, con: Any) -> None:
        self.con = con
        self.version = SCHEMA_VERSION

    def input_added(self, digest: str) -> str | None:
        row = self.con.execute("SELECT added_at FROM store_inputs WHERE digest = %s",
                               (digest,)).fetchone()
        return row[0] if row else None

    def _reports(self, where: str, values: list[str]) -> list[Report]:
        cur = self.con.execute(f"SELECT {REPORT_COLS} FROM store_reports WHERE {where} = "
                               "ANY(%s)", (values,))
        return [Report.from_record(*r) for r in cur]

    def reports_by_ident(self, idents: list[str]) -> dict[str, Report]:
        return {r.ident: r for r in self._reports("ident", idents)}

    def block_frame(self, start: Any, end: Any) -> Any:
        import pandas as pd

        where, params = ["TRUE"], []
        if end is not None:
            where.append("(date_start IS NULL OR date_start <= %s)")
            params.append(end)
        if start is not None:
            where.append("(date_end IS NULL OR date_end >= %s)")
            params.append(start)
        cur = self.con.execute(
            "SELECT id, coalesce(date_start::text, ''), coalesce(date_end::text, ''), "
            "coalesce(country, ''), coalesce(row->>'admin1', ''), "
            "coalesce(row->>'place_id', ''), ST_Y(geom), ST_X(geom), coalesce(event_type, '') "
            f"FROM incidents WHERE {' AND '.join(where)}", params)
        from .gpkg import LIGHT

        return pd.DataFrame(cur.fetchall(), columns=list(LIGHT))

    def rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        cur = self.con.execute("SELECT id, row::text FROM incidents WHERE id = ANY(%s)",
                               (ids,))
        return {i: json.loads(t) for i, t in cur}

    def reports_of(self, ids: list[str]) -> dict[str, list[Report]]:
        out: dict[str, list[Report]] = {}
        for r in sorted(self._reports("incident_id", ids), key=lambda r: (r.added_at, r.ident)):
            out.setdefault(r.incident_id, []).append(r)
        return out

    def corrections_of(self, ids: list[str]) -> dict[str, list[Correction]]:
        out: dict[str, list[Correction]] = {}
        cur = self.con.execute("SELECT incident_id, field, value, note, at, seq FROM "
                               "store_corrections WHERE incident_id = ANY(%s) ORDER BY seq",
                               (ids,))
        for i, f, v, n, a, s in cur:
            out.setdefault(i, []).append(Correction(i, f, v, n or "", a, int(s)))
        return out

    def ids_taken(self, ids: list[str]) -> set[str]:
        cur = self.con.execute("SELECT id FROM incidents WHERE id = ANY(%s)", (ids,))
        return {r[0] for r in cur}


def _json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True, default=_plain)


def _plain(v: Any) -> Any:
    try:
        import numpy as np

        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, np.floating):
            return float(v)
    except ImportError:  # pragma: no cover
        pass
    return str(v)


def _date(v: Any) -> Any:
    t = "" if v is None else str(v)[:10]
    return t or None


def _incident_values(i: str, row: dict[str, Any]) -> tuple:
    return (i, _date(row.get("date_start")), _date(row.get("date_end")),
            row.get("country") or None, row.get("event_type") or None,
            row.get("sub_event_type") or None, _json(row),
            f"SRID=4326;POINT({float(row['lon'])!r} {float(row['lat'])!r})")


def _write(con: Any, plan: Plan) -> None:
    new = [i for i in plan.rows if i in plan.new_ids]
    old = [i for i in plan.rows if i not in plan.new_ids]
    with con.cursor() as cur:
        if new:
            with cur.copy("COPY incidents (id, date_start, date_end, country, event_type, "
                          "sub_event_type, row, geom) FROM STDIN") as cp:
                for i in new:
                    cp.write_row(_incident_values(i, plan.rows[i]))
        if old:
            cur.executemany(
                "UPDATE incidents SET date_start = %s, date_end = %s, country = %s, "
                "event_type = %s, sub_event_type = %s, row = %s::jsonb, "
                "geom = ST_GeomFromEWKT(%s) WHERE id = %s",
                [(*_incident_values(i, plan.rows[i])[1:], i) for i in old])
        revised = [r for r in plan.reports if r.ident in set(plan.superseded)]
        added = [r for r in plan.reports if r.ident not in set(plan.superseded)]
        if added:
            with cur.copy("COPY store_reports (ident, content_hash, incident_id, input, "
                          "added_at, report_json) FROM STDIN") as cp:
                for r in added:
                    cp.write_row((r.ident, r.content_hash, r.incident_id, r.input_name,
                                  r.added_at, r.to_json()))
        if revised:
            cur.executemany("UPDATE store_reports SET content_hash = %s, input = %s, "
                            "added_at = %s, report_json = %s::jsonb WHERE ident = %s",
                            [(r.content_hash, r.input_name, r.added_at, r.to_json(), r.ident)
                             for r in revised])
            cur.executemany("UPDATE store_figures SET status = 'superseded', "
                            "superseded_at = %s, superseded_by = %s WHERE report = %s AND "
                            "status = 'current'",
                            [(plan.at, r.input_name, r.ident) for r in revised])
        if plan.figures:
            cols = ("incident_id", "report", "recorded_at", "input", "source", "via", "kind",
                    "side", "low", "best", "high", "quote", "status", "superseded_at",
                    "superseded_by")
            with cur.copy(f"COPY store_figures ({', '.join(cols)}) FROM STDIN") as cp:
                for f in plan.figures:
                    cp.write_row(tuple(f[c] for c in cols))
        for i in plan.inputs:
            cur.execute("INSERT INTO store_inputs (digest, name, added_at, reports, new, "
                        "merged, revised, unchanged, rejected) VALUES (%s, %s, %s, %s, %s, "
                        "%s, %s, %s, %s)",
                        (i["digest"], i["name"], i["added_at"], i["reports"], i["new"],
                         i["merged"], i["revised"], i["unchanged"], i["rejected"]))
        for c in plan.corrections:
            cur.execute("INSERT INTO store_corrections (incident_id, field, value, note, at) "
                        "VALUES (%s, %s, %s, %s, %s)",
                        (c.incident_id, c.field, c.value, c.note, c.at))
        if plan.changes:
            with cur.copy("COPY store_changes (at, input, incident_id, action, detail) "
                          "FROM STDIN") as cp:
                for c in plan.changes:
                    cp.write_row((c["at"], c["input"], c["incident_id"], c["action"],
                                  c["detail"]))
        cur.execute("INSERT INTO geoevents_meta VALUES ('last_change', %s) ON CONFLICT (key) "
                    "DO UPDATE SET value = excluded.value", (plan.at,))
