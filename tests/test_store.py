"""The GeoPackage incident store: add, merge, revisions, idempotence, corrections, bad stores."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from geoevents.cli import main
from tests.test_export_qgis import qgis_probe  # noqa: F401  (the fixture, used by name)

HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
          "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,"
          "civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,"
          "longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp")


def acled(path: Path, rows: list[tuple]) -> Path:
    """An ACLED CSV: rows of (id, date, event_type, actor1, place, lat, lon, source, deaths)."""
    lines = [HEADER]
    for eid, day, etype, actor, place, lat, lon, source, deaths in rows:
        sub = "Armed clash" if etype == "Battles" else "Air/drone strike"
        lines.append(f"{eid},{day},{day[:4]},1,Political violence,{etype},{sub},{actor},,2,"
                     f"Military Forces of Syria (2000-),,1,12,,760,Middle East,Syria,"
                     f"Deir ez-Zor,,,{place},{lat},{lon},1,{source},National,,{deaths},,0")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


IS = "Islamic State (Syria)"


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    return make_inputs(tmp_path)


def make_inputs(tmp_path: Path) -> dict[str, Path]:
    return {
        "a": acled(tmp_path / "a.csv", [
            ("SYR1", "2018-05-23", "Battles", IS, "Al Mayadin", 35.0198, 40.4515, "SOHR", 35),
            ("SYR2", "2018-06-02", "Explosions/Remote violence", IS, "Hajin", 34.6951, 40.8314,
             "SOHR", 4)]),
        # another dataset's report of SYR1's event (another id, another outlet, a few km off)
        "b": acled(tmp_path / "b.csv", [
            ("XYZ7", "2018-05-23", "Battles", IS, "Mayadin", 35.03, 40.46, "AFP", 30),
            ("XYZ8", "2018-07-01", "Battles", IS, "Raqqa", 35.95, 39.01, "AFP", 2)]),
        # a later export: SYR1's toll revised to 40
        "c": acled(tmp_path / "c.csv", [
            ("SYR1", "2018-05-23", "Battles", IS, "Al Mayadin", 35.0198, 40.4515, "SOHR", 40)]),
    }


def add(capsys, store: Path, *files: Path) -> tuple[int, str]:
    rc = main(["add", *map(str, files), "--store", str(store)])
    return rc, capsys.readouterr().err


def layer(store: Path, name: str) -> list[dict]:
    with sqlite3.connect(store) as con:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute(f'SELECT * FROM "{name}"')]


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_add_merges_reports_of_one_event_and_keeps_every_figure(tmp_path, inputs, capsys):
    store = tmp_path / "s.gpkg"
    rc, err = add(capsys, store, inputs["a"])
    assert rc == 0, err
    assert "2 new incident(s)" in err
    rc, err = add(capsys, store, inputs["b"])
    assert rc == 0, err
    assert "1 new incident(s), 1 merged" in err
    inc = {r["id"]: r for r in layer(store, "incidents")}
    assert sorted(inc) == ["acled-SYR1", "acled-SYR2", "acled-XYZ8"]
    merged = inc["acled-SYR1"]
    assert merged["source_count"] == 2
    figures = sorted((c["source"], c["best"]) for c in json.loads(merged["casualties_json"]))
    assert figures == [("AFP", 30), ("SOHR", 35)]
    assert (merged["fatalities_low"], merged["fatalities_high"]) == (30, 35)
    # the sources layer lists both, and each report knows its input
    srcs = [r for r in layer(store, "sources") if r["incident_id"] == "acled-SYR1"]
    assert len(srcs) == 2
    reports = {r["ident"]: r for r in layer(store, "store_reports")}
    assert reports["acled-XYZ7"]["incident_id"] == "acled-SYR1"
    assert reports["acled-XYZ7"]["input"] == str(inputs["b"])
    assert reports["acled-SYR1"]["input"] == str(inputs["a"])


def test_adding_the_same_input_twice_changes_nothing_and_says_so(tmp_path, inputs, capsys):
    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"], inputs["b"])
    before = sha(store)
    rc, err = add(capsys, store, inputs["a"])
    assert rc == 0
    assert "already in the store" in err and "nothing changed" in err
    assert sha(store) == before
    # the same rows under another file name: every report unchanged, no incident added
    copy = tmp_path / "copy.csv"
    copy.write_bytes(inputs["a"].read_bytes() + b"\n")
    rc, err = add(capsys, store, copy)
    assert "0 new incident(s), 0 merged into stored incidents, 0 revised, 2 unchanged" in err
    assert len(layer(store, "incidents")) == 3


def test_a_revised_toll_keeps_the_earlier_figure_with_its_input_and_date(
        tmp_path, inputs, capsys, monkeypatch):
    store = tmp_path / "s.gpkg"
    monkeypatch.setenv("GEOEVENTS_STORE_NOW", "2026-01-05T10:00:00Z")
    add(capsys, store, inputs["a"])
    monkeypatch.setenv("GEOEVENTS_STORE_NOW", "2026-02-01T09:30:00Z")
    rc, err = add(capsys, store, inputs["c"])
    assert rc == 0 and "1 revised" in err
    inc = {r["id"]: r for r in layer(store, "incidents")}["acled-SYR1"]
    assert inc["fatalities_best"] == 40
    figs = [f for f in layer(store, "store_figures") if f["report"] == "acled-SYR1"]
    old = [f for f in figs if f["status"] == "superseded"]
    cur = [f for f in figs if f["status"] == "current"]
    assert [(f["best"], f["input"], f["recorded_at"]) for f in old] == \
        [(35, str(inputs["a"]), "2026-01-05T10:00:00Z")]
    assert old[0]["superseded_at"] == "2026-02-01T09:30:00Z"
    assert old[0]["superseded_by"] == str(inputs["c"])
    assert [(f["best"], f["input"]) for f in cur] == [(40, str(inputs["c"]))]
    log = [c for c in layer(store, "store_changes") if c["incident_id"] == "acled-SYR1"]
    assert any(c["action"] == "figures" and "fatalities_best 35 -> 40" in c["detail"]
               for c in log)


def test_a_correction_is_kept_and_survives_later_merges(tmp_path, inputs, capsys):
    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"])
    rc = main(["store", "edit", "acled-SYR2", "--store", str(store), "--set",
               "fatalities_best=6", "--set", "place=Hajin town", "--note", "SOHR update"])
    assert rc == 0
    add(capsys, store, inputs["b"])
    inc = {r["id"]: r for r in layer(store, "incidents")}
    assert inc["acled-SYR2"]["fatalities_best"] == 6
    assert inc["acled-SYR2"]["place"] == "Hajin town"
    fixes = layer(store, "store_corrections")
    assert [(f["field"], f["value"], f["note"]) for f in fixes] == [
        ("fatalities_best", "6", "SOHR update"), ("place", "Hajin town", "SOHR update")]
    capsys.readouterr()
    assert main(["store", "log", "--store", str(store), "--incident", "acled-SYR2"]) == 0
    out = capsys.readouterr().out
    assert "corrected" in out and "fatalities_best: 4 -> 6 (SOHR update)" in out
    # a bad field or value is refused before anything is written
    before = sha(store)
    assert main(["store", "edit", "acled-SYR2", "--store", str(store), "--set",
                 "fatalities_best=many"]) == 2
    assert main(["store", "edit", "nope", "--store", str(store), "--set", "notes=x"]) == 2
    assert sha(store) == before


def test_the_store_is_the_export_geopackage_with_history_tables(tmp_path, inputs, capsys):
    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"])
    with sqlite3.connect(store) as con:
        contents = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
        styled = {r[0] for r in con.execute("SELECT f_table_name FROM layer_styles")}
        version = con.execute("SELECT value FROM geoevents_meta WHERE key='schema_version'"
                              ).fetchone()[0]
    assert contents["incidents"] == "features"
    for t in ("sources", "store_reports", "store_figures", "store_changes", "store_inputs",
              "store_corrections", "geoevents_meta"):
        assert contents[t] == "attributes"
    assert "incidents" in styled
    assert version == "1"


def test_not_a_geopackage_is_refused_clearly(tmp_path, inputs, capsys):
    text = tmp_path / "notes.gpkg"
    text.write_text("hello\n" * 40)
    rc, err = add(capsys, text, inputs["a"])
    assert rc == 2 and "is not a GeoPackage" in err and "Traceback" not in err
    plain = tmp_path / "plain.gpkg"
    with sqlite3.connect(plain) as con:
        con.execute("CREATE TABLE t (x)")
    rc, err = add(capsys, plain, inputs["a"])
    assert rc == 2 and "not a GeoPackage" in err
    assert text.read_text() == "hello\n" * 40


def test_a_newer_schema_version_is_refused_with_the_reason(tmp_path, inputs, capsys):
    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"])
    with sqlite3.connect(store) as con:
        con.execute("UPDATE geoevents_meta SET value='99' WHERE key='schema_version'")
    before = sha(store)
    rc, err = add(capsys, store, inputs["b"])
    assert rc == 2 and "schema version 99 is newer" in err
    rc = main(["map", "--store", str(store), "-o", str(tmp_path / "m.html")])
    assert rc == 2
    assert sha(store) == before


def test_an_export_is_migrated_forward_into_a_store(tmp_path, inputs, capsys):
    export = tmp_path / "e.gpkg"
    assert main(["export", str(inputs["a"]), "-o", str(export)]) == 0
    rc, err = add(capsys, export, inputs["b"])
    assert rc == 0, err
    capsys.readouterr()
    main(["store", "info", "--store", str(export)])
    assert "schema_version: 1" in capsys.readouterr().out
    actions = [c["action"] for c in layer(export, "store_changes")]
    assert actions[0] == "migrated"
    inc = {r["id"]: r for r in layer(export, "incidents")}
    assert len(inc) == 3 and inc["acled-SYR1"]["source_count"] == 2


def test_an_interrupted_add_leaves_the_store_as_it_was(tmp_path, inputs, capsys, monkeypatch):
    import maps.export

    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"])
    before = sha(store)
    real = maps.export.write_geopackage

    def dies(path, *a, **k):
        real(path, *a, **k)
        raise KeyboardInterrupt

    monkeypatch.setattr(maps.export, "write_geopackage", dies)
    rc, _ = add(capsys, store, inputs["b"])
    assert rc == 130
    assert sha(store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "c.csv", "s.gpkg"]


def test_articles_added_in_two_runs_merge_as_in_one(tmp_path, shared, cli):
    seeds = sorted((shared / "seeds").glob("*.txt"))
    meta = shared / "seeds" / "meta.yaml"
    store = tmp_path / "s.gpkg"
    r = cli("add", *map(str, seeds[:2]), "--meta", str(meta), "--store", str(store))
    assert r.returncode == 0, r.stderr
    r = cli("add", *map(str, seeds[2:]), "--meta", str(meta), "--store", str(store))
    assert r.returncode == 0, r.stderr
    once = tmp_path / "once.csv"
    r = cli("extract", *map(str, seeds), "--meta", str(meta), "-o", str(once))
    assert r.returncode == 0, r.stderr
    import pandas as pd

    expected = pd.read_csv(once)
    stored = layer(store, "incidents")
    assert len(stored) == len(expected)
    assert sorted(r["source_count"] for r in stored) == sorted(expected["source_count"])


def test_map_brief_and_export_read_a_store_with_filters(tmp_path, inputs, capsys):
    import pandas as pd

    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"], inputs["b"])  # SYR1 (05-23), SYR2 (06-02), XYZ8 (07-01)

    def exported(*filters: str) -> list[str]:
        out = tmp_path / "out.csv"
        rc = main(["export", "--store", str(store), *filters, "-o", str(out), "--overwrite"])
        assert rc == 0, capsys.readouterr().err
        return sorted(pd.read_csv(out, encoding="utf-8-sig")["id"])

    assert exported() == ["acled-SYR1", "acled-SYR2", "acled-XYZ8"]
    assert exported("--from", "2018-05-24", "--to", "2018-06-30") == ["acled-SYR2"]
    assert exported("--type", "explosions/remote violence") == ["acled-SYR2"]
    assert exported("--type", "Armed clash") == ["acled-SYR1", "acled-XYZ8"]
    assert exported("--bbox", "38.5,35.5,39.5,36.5") == ["acled-XYZ8"]
    assert exported("--country", "IQ") == []
    assert exported("--country", "sy,iq", "--from", "2018-06-01") == ["acled-SYR2", "acled-XYZ8"]
    # a store and files together; the map draws the store's incidents
    page = tmp_path / "m.html"
    rc = main(["map", "--store", str(store), "--from", "2018-06-01", "-o", str(page),
               "--no-basemap"])
    assert rc == 0
    html = page.read_text(encoding="utf-8")
    assert "acled-SYR2" in html and "acled-XYZ8" in html and "acled-SYR1" not in html
    brief = tmp_path / "b.html"
    assert main(["brief", "--store", str(store), "--type", "Battles", "-o", str(brief),
                 "--no-basemap"]) == 0
    assert "Raqqa" in brief.read_text(encoding="utf-8")
    # usage errors: filters without a store, a bad box, no input at all
    capsys.readouterr()
    assert main(["export", str(inputs["a"]), "--country", "SY", "-o",
                 str(tmp_path / "x.csv")]) == 2
    assert "give --store" in capsys.readouterr().err
    assert main(["map", "--store", str(store), "--bbox", "1,2,3"]) == 2
    assert main(["map", "-o", str(page)]) == 2
    assert main(["map", "--store", str(tmp_path / "missing.gpkg"), "-o",
                 str(tmp_path / "m2.html")]) == 2
    assert "no store at" in capsys.readouterr().err


@pytest.mark.slow  # real QGIS
def test_qgis_opens_the_store_styled_with_its_history_tables(tmp_path, inputs, capsys,
                                                            request):
    qgis = request.getfixturevalue("qgis_probe")
    store = tmp_path / "s.gpkg"
    add(capsys, store, inputs["a"])
    add(capsys, store, inputs["b"])
    add(capsys, store, inputs["c"])
    uris = [f"{store}|layername={n}" for n in ("incidents", "sources", "store_figures",
                                               "store_changes")]
    result = qgis(tmp_path, uris)
    inc, src, figs, log = (result["layers"][u] for u in uris)
    assert inc["valid"] and inc["feature_count"] == 3 and inc["crs"] == "EPSG:4326"
    assert inc["renderer"] == "categorizedSymbol"  # the default style, loaded by QGIS
    assert src["valid"] and src["feature_count"] == 4
    assert figs["valid"] and figs["feature_count"] == 5  # 35 (superseded), 40, 30, 4, 2
    assert log["valid"] and log["feature_count"] == len(layer(store, "store_changes"))
