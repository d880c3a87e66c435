"""The PostgreSQL/PostGIS store on a real server.

The server is given by ``GEOEVENTS_TEST_PG`` (a postgresql:// URL of a database where the test
role may create schemas; .ci/run starts one).  Without it the tests skip, except under
``GEOEVENTS_REQUIRE_TOOLS=1`` (CI), where they fail.  Each test works in its own schema.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from geoevents.cli import main
from tests.test_store import IS, acled

pytestmark = pytest.mark.slow  # PostgreSQL/PostGIS

ROOT = Path(__file__).resolve().parents[1]
URL = os.environ.get("GEOEVENTS_TEST_PG", "")
REQUIRE = os.environ.get("GEOEVENTS_REQUIRE_TOOLS") == "1"


@pytest.fixture
def pg() -> str:
    """A store URL in a fresh schema, dropped afterwards."""
    if not URL:
        if REQUIRE:
            pytest.fail("GEOEVENTS_TEST_PG is not set (GEOEVENTS_REQUIRE_TOOLS=1)")
        pytest.skip("no PostgreSQL server (set GEOEVENTS_TEST_PG)")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:10]
    try:
        with psycopg.connect(URL, autocommit=True, connect_timeout=5) as con:
            con.execute(f"CREATE SCHEMA {schema}")
    except psycopg.OperationalError as exc:
        if REQUIRE:
            pytest.fail(f"GEOEVENTS_TEST_PG unreachable: {exc}")
        pytest.skip(f"PostgreSQL server unreachable: {exc}")
    sep = "&" if "?" in URL else "?"
    yield f"{URL}{sep}options={quote(f'-csearch_path={schema},public', safe='')}"
    with psycopg.connect(URL, autocommit=True) as con:
        con.execute(f"DROP SCHEMA {schema} CASCADE")


def sql(url: str, query: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as con:
        return con.execute(query).fetchall()


def test_postgis_store_merges_revises_corrects_and_filters(tmp_path, pg, capsys):
    from geoevents.store import StoreQuery, open_store

    a = acled(tmp_path / "a.csv", [
        ("SYR1", "2018-05-23", "Battles", IS, "Al Mayadin", 35.0198, 40.4515, "SOHR", 35),
        ("SYR2", "2018-06-02", "Explosions/Remote violence", IS, "Hajin", 34.6951, 40.8314,
         "SOHR", 4)])
    b = acled(tmp_path / "b.csv", [
        ("XYZ7", "2018-05-23", "Battles", IS, "Mayadin", 35.03, 40.46, "AFP", 30)])
    c = acled(tmp_path / "c.csv", [
        ("SYR1", "2018-05-23", "Battles", IS, "Al Mayadin", 35.0198, 40.4515, "SOHR", 40)])
    assert main(["add", str(a), str(b), "--store", pg]) == 0
    assert "1 merged" in capsys.readouterr().err
    assert main(["add", str(a), "--store", pg]) == 0
    assert "already in the store" in capsys.readouterr().err
    assert main(["add", str(c), "--store", pg]) == 0
    assert sql(pg, "SELECT count(*) FROM incidents") == [(2,)]
    store = open_store(pg)
    doc = store.show("acled-SYR1")
    assert sorted((x["source"], x["best"]) for x in doc["incident"]["casualties"]) == \
        [("AFP", 30), ("SOHR", 40)]
    figs = sorted((f["best"], f["status"], f["input"]) for f in doc["figures"])
    assert figs == [(30, "current", str(b)), (35, "superseded", str(a)),
                    (40, "current", str(c))]
    # PostGIS point where the incident is
    assert sql(pg, "SELECT ST_X(geom), ST_Y(geom) "
                   "FROM incidents WHERE id = 'acled-SYR2'") == [(pytest.approx(40.8314),
                                                                  pytest.approx(34.6951))]
    assert main(["store", "edit", "acled-SYR2", "--store", pg, "--set", "fatalities_best=6",
                 "--note", "update"]) == 0
    frame, _ = store.read(StoreQuery(pg, types=["Explosions/Remote violence"]))
    assert list(frame["id"]) == ["acled-SYR2"] and frame["fatalities_best"].iat[0] == 6
    frame, _ = store.read(StoreQuery(pg, bbox=(40.3, 34.9, 40.6, 35.2)))
    assert list(frame["id"]) == ["acled-SYR1"]
    out = tmp_path / "o.csv"
    assert main(["export", "--store", pg, "--from", "2018-06-01", "-o", str(out)]) == 0
    assert "acled-SYR2" in out.read_text(encoding="utf-8-sig")
    assert [r["action"] for r in store.log(incident="acled-SYR2")][-1] == "corrected"


def _events(path: Path, prefix: str, source: str, n: int, shift: float) -> Path:
    rows = []
    for i in range(n):
        day = f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}"
        rows.append((f"{prefix}{i}", day, "Battles", IS, f"Place {i}", 33.0 + (i % 40) * 0.1
                     + shift, 36.0 + (i // 40) * 0.1 + shift, source, i % 7))
    return acled(path, rows)


@pytest.mark.parametrize("with_shared_file", [False, True])
def test_two_adds_at_once_leave_exactly_the_merged_incidents(tmp_path, pg, with_shared_file):
    """Two processes add overlapping inputs at the same moment: one dataset's reports against
    another's reports of the same events (and, in the second case, a file both add).  The
    result is exactly one incident per event, with every report, and each input recorded once.
    (Under READ COMMITTED, without the serializable transaction, the first case leaves two
    incidents per event: the processes do overlap.)"""
    n = 120
    a = _events(tmp_path / "a.csv", "SYR", "SOHR", n, 0.0)
    b = _events(tmp_path / "b.csv", "XYZ", "AFP", n, 0.01)
    shared_file = _events(tmp_path / "s.csv", "SHR", "Reuters", 30, 0.005)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "geoevents", "add"]
    extra = [str(shared_file)] if with_shared_file else []
    procs = [subprocess.Popen([*cmd, str(f), *extra, "--store", pg], env=env,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT) for f in (a, b)]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    k = 30 if with_shared_file else 0
    expected = [(2, n - k), (3, k)] if k else [(2, n)]
    assert sql(pg, "SELECT count(*) FROM incidents") == [(n,)]
    assert sql(pg, "SELECT count(*) FROM store_reports") == [(2 * n + k,)]
    per = sql(pg, "SELECT n, count(*) FROM (SELECT incident_id, count(*) AS n FROM "
                  "store_reports GROUP BY incident_id) x GROUP BY n ORDER BY n")
    assert per == expected
    inputs = 3 if k else 2
    assert sql(pg, "SELECT count(*), count(DISTINCT digest) FROM store_inputs") == \
        [(inputs, inputs)]
    counts = sql(pg, "SELECT (row->>'source_count')::int, count(*) FROM incidents GROUP BY 1 "
                     "ORDER BY 1")
    assert counts == expected


def test_an_unreachable_server_is_a_clear_message(tmp_path, capsys):
    a = acled(tmp_path / "a.csv", [
        ("SYR1", "2018-05-23", "Battles", IS, "Al Mayadin", 35.0198, 40.4515, "SOHR", 35)])
    rc = main(["add", str(a), "--store", "postgresql://nobody:secret@127.0.0.1:1/none"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "cannot connect to the store postgresql://nobody:***@127.0.0.1:1/none" in err
    assert "secret" not in err and "Traceback" not in err


def test_a_failed_add_leaves_nothing_half_written(tmp_path, pg, monkeypatch, capsys):
    from geoevents.store import pg as pgmod

    a = acled(tmp_path / "a.csv", [
        ("SYR1", "2018-05-23", "Battles", IS, "Al Mayadin", 35.0198, 40.4515, "SOHR", 35)])
    real = pgmod._write

    def dies(con, plan):
        real(con, plan)
        raise KeyboardInterrupt

    monkeypatch.setattr(pgmod, "_write", dies)
    assert main(["add", str(a), "--store", pg]) == 130
    for t in ("incidents", "store_reports", "store_inputs", "store_changes", "store_figures"):
        assert sql(pg, f"SELECT count(*) FROM {t}") == [(0,)], t


def test_a_newer_postgres_store_is_refused_and_left_alone(tmp_path, pg, capsys):
    a = acled(tmp_path / "a.csv", [
        ("SYR1", "2018-05-23", "Battles", IS, "Al Mayadin", 35.0198, 40.4515, "SOHR", 35)])
    assert main(["add", str(a), "--store", pg]) == 0
    import psycopg

    with psycopg.connect(pg) as con:
        con.execute("UPDATE geoevents_meta SET value = '7' WHERE key = 'schema_version'")
    b = acled(tmp_path / "b.csv", [
        ("SYR2", "2018-06-02", "Battles", IS, "Hajin", 34.6951, 40.8314, "SOHR", 4)])
    capsys.readouterr()
    assert main(["add", str(b), "--store", pg]) == 2
    assert "schema version 7 is newer" in capsys.readouterr().err
    assert sql(pg, "SELECT count(*) FROM incidents") == [(1,)]
