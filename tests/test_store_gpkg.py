"""The GeoPackage store changes in place, in one SQLite transaction: what it writes is a right
GeoPackage; a change that is interrupted, killed or fails leaves the store as it was; two adds
at once leave exactly the merged incidents; damaged or older stores are handled clearly."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from geoevents.cli import main
from tests.test_store import add, layer, make_inputs, sha

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    return make_inputs(tmp_path)


def one(store: Path, sql: str) -> tuple:
    with sqlite3.connect(store) as con:
        return con.execute(sql).fetchone()


def test_a_change_writes_only_what_changes_and_keeps_the_geopackage_right(
        tmp_path, inputs, capsys, monkeypatch):
    store = tmp_path / "s.gpkg"
    monkeypatch.setenv("GEOEVENTS_STORE_NOW", "2026-01-05T10:00:00Z")
    add(capsys, store, inputs["a"])
    fids = {r["id"]: r["fid"] for r in layer(store, "incidents")}
    monkeypatch.setenv("GEOEVENTS_STORE_NOW", "2026-02-01T09:30:00Z")
    rc, err = add(capsys, store, inputs["b"])  # XYZ7 merges into SYR1, XYZ8 (Raqqa) is new
    assert rc == 0, err
    rows = {r["id"]: r for r in layer(store, "incidents")}
    # the merged incident is updated in place; the new one appended
    assert rows["acled-SYR1"]["fid"] == fids["acled-SYR1"]
    assert rows["acled-SYR2"]["fid"] == fids["acled-SYR2"]
    assert rows["acled-XYZ8"]["fid"] > max(fids.values())
    assert rows["acled-SYR1"]["source_count"] == 2
    # the spatial index follows (GDAL's triggers), the counts GDAL keeps follow
    assert one(store, "SELECT count(*) FROM rtree_incidents_geom") == (3,)
    box = one(store, "SELECT minx, maxx, miny, maxy FROM rtree_incidents_geom WHERE id = "
                     f"{rows['acled-XYZ8']['fid']}")
    assert box[0] == pytest.approx(39.01, abs=1e-4) and box[2] == pytest.approx(35.95, abs=1e-4)
    assert one(store, "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = "
                      "'incidents'") == (3,)
    # gpkg_contents: the exact extent of the points, last_change of the change
    ext = one(store, "SELECT min_x, min_y, max_x, max_y, last_change FROM gpkg_contents "
                     "WHERE table_name = 'incidents'")
    lons = [r["lon"] for r in rows.values()]
    lats = [r["lat"] for r in rows.values()]
    assert ext[:4] == (min(lons), min(lats), max(lons), max(lats))
    assert ext[4] == "2026-02-01T09:30:00.000Z"
    untouched = one(store, "SELECT last_change FROM gpkg_contents WHERE table_name = "
                           "'store_corrections'")
    assert untouched == ("2026-01-05T10:00:00.000Z",)
    # the sources layer: one row per source per incident, the merged incident's replaced
    srcs = sorted((r["incident_id"], r["name"] if "name" in r else r.get("outlet"))
                  for r in layer(store, "sources"))
    assert [s[0] for s in srcs].count("acled-SYR1") == 2 and len(srcs) == 4
    # GDAL reads what sqlite wrote: every feature, its geometry where the row says
    import pyogrio

    gdf = pyogrio.read_dataframe(store, layer="incidents")
    assert len(gdf) == 3
    x8 = gdf[gdf["id"] == "acled-XYZ8"].geometry.iloc[0]
    assert (x8.x, x8.y) == (39.01, 35.95)
    with sqlite3.connect(store) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_same_adds_give_the_same_bytes(tmp_path, inputs, capsys, monkeypatch):
    monkeypatch.setenv("GEOEVENTS_STORE_NOW", "2026-03-01T00:00:00Z")
    digests = []
    for name in ("one.gpkg", "two.gpkg"):
        store = tmp_path / name
        for k in ("a", "b", "c"):
            assert add(capsys, store, inputs[k])[0] == 0
        digests.append(sha(store))
    assert digests[0] == digests[1]


def test_an_interrupted_change_after_its_rows_were_written_leaves_the_store_as_it_was(
        tmp_path, inputs, capsys, monkeypatch):
    import geoevents.store.gpkg as gpkg

    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"])
    before = sha(store)
    seen = []

    def dies(con, plan, touched):
        # the rows are in the store's transaction by now
        seen.append(con.execute("SELECT count(*) FROM incidents").fetchone()[0])
        raise KeyboardInterrupt

    monkeypatch.setattr(gpkg, "_finish", dies)
    rc, _ = add(capsys, store, inputs["b"])
    assert rc == 130 and seen == [3]
    assert sha(store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "c.csv", "s.gpkg"]
    monkeypatch.undo()
    rc, err = add(capsys, store, inputs["b"])  # and the store takes the change afterwards
    assert rc == 0 and "1 new incident(s), 1 merged" in err


KILL = """import os, signal, sys
import geoevents.store.gpkg as gpkg
def dies(con, plan, touched):
    # a change bigger than the page cache, so that pages are written into the file
    con.execute("PRAGMA cache_size = 10")
    con.execute("UPDATE incidents SET notes = 'changed'")
    con.execute("CREATE TABLE pad AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                "FROM n WHERE i < 3000) SELECT zeroblob(1000) AS b FROM n")
    os.kill(os.getpid(), signal.SIGKILL)
gpkg._finish = dies
from geoevents.cli import main
main(sys.argv[1:])
"""


def test_a_killed_add_is_rolled_back_by_the_next_reader(tmp_path, inputs, capsys):
    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"])
    before = sha(store)
    r = subprocess.run([sys.executable, "-c", KILL, "add", str(inputs["b"]), "--store",
                        str(store)], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert r.returncode == -signal.SIGKILL, r.stderr
    journal = store.with_name(store.name + "-journal")
    assert journal.exists()  # the change was under way
    assert sha(store) != before  # ... and had written into the store's file
    assert main(["store", "info", "--store", str(store)]) == 0
    assert "incidents: 2" in capsys.readouterr().out
    assert not journal.exists() and sha(store) == before


def test_two_adds_at_once_leave_exactly_the_merged_incidents(tmp_path, inputs):
    store = tmp_path / "s.gpkg"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "geoevents", "add", str(inputs[k]),
                               "--store", str(store)], cwd=ROOT, env=env,
                              stderr=subprocess.PIPE, text=True) for k in ("a", "b")]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    rows = layer(store, "incidents")
    assert len(rows) == 3  # SYR1 and XYZ7 are one incident, whichever came first
    assert sorted(r["source_count"] for r in rows) == [1, 1, 2]
    assert len(layer(store, "store_reports")) == 4 and len(layer(store, "store_inputs")) == 2


def test_a_damaged_store_is_a_clear_message_and_left_alone(tmp_path, inputs, capsys):
    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"])
    data = bytearray(store.read_bytes())
    page = one(store, "PRAGMA page_size")[0]
    for k in range(2, len(data) // page):  # every page after the first two: garbage
        data[k * page:(k + 1) * page] = bytes([0xA5]) * page
    store.write_bytes(bytes(data))
    before = sha(store)
    for argv in (["add", str(inputs["b"]), "--store", str(store)],
                 ["store", "log", "--store", str(store)],
                 ["export", "--store", str(store), "-o", str(tmp_path / "x.csv")]):
        rc = main(argv)
        err = capsys.readouterr().err
        assert rc == 2, (argv, err)
        assert str(store) in err and "Traceback" not in err
    assert sha(store) == before and not (tmp_path / "x.csv").exists()


def test_a_store_of_the_first_layout_gets_its_indexes_on_the_next_change(
        tmp_path, inputs, capsys):
    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"])
    with sqlite3.connect(store) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = "
                                           "'index' AND name LIKE 'geoevents_%'")]
        assert "geoevents_incidents_id" in names
        for n in names:
            con.execute(f'DROP INDEX "{n}"')
    rc, err = add(capsys, store, inputs["b"])
    assert rc == 0 and "1 merged" in err
    with sqlite3.connect(store) as con:
        again = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = "
                                           "'index' AND name LIKE 'geoevents_%'")}
    assert again == set(names)


def test_a_query_reads_the_filtered_incidents_as_a_frame(tmp_path, inputs, capsys):
    """The API other commands use (``areas build --store``): StoreQuery(...).read()."""
    from datetime import date

    from geoevents.store import StoreQuery

    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"], inputs["b"])
    frame, messages = StoreQuery(str(store), date_from=date(2018, 6, 1), countries=["SY"],
                                 types=["battles"]).read()
    assert list(frame["id"]) == ["acled-XYZ8"] and messages == []
    assert frame.crs.to_epsg() == 4326
    assert (frame.geometry.x.iloc[0], frame.geometry.y.iloc[0]) == (39.01, 35.95)
    everything, _ = StoreQuery(str(store)).read()
    assert sorted(everything["id"]) == ["acled-SYR1", "acled-SYR2", "acled-XYZ8"]
    box, _ = StoreQuery(str(store), bbox=(40.0, 34.0, 41.0, 35.5)).read()
    assert sorted(box["id"]) == ["acled-SYR1", "acled-SYR2"]
