"""Control areas exported with the other layers (issue 13): `geoevents export --areas FILE` to a
GeoPackage (an ``areas`` layer with a QGIS style per party), GeoJSON (``FILE.areas.geojson`` and
its .qml) and KML, and opened by the real QGIS."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_export_qgis import qgis_probe  # noqa: F401 - the fixture

TABLE = ROOT / "data/control/deir-ez-zor-raqqa-2017-2019.csv"
PARTIES = ROOT / "data/parties/syria-2016-2019.yaml"
INCIDENTS = ROOT / "data/examples/incidents.csv"
DATES = ["2017-10-01", "2018-06-01"]
#: The parties file's colours (data/parties/syria-2016-2019.yaml).
COLOURS = {"government": "#d62728", "SDF": "#f1c40f", "Islamic State": "#1a1a1a",
           "Turkey": "#5d6d7e"}


@pytest.fixture(scope="module")
def areas_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    from geoevents.commands.areas import geojson_text
    from geoevents.control.areas import build_areas

    frame = build_areas([TABLE], parties=PARTIES, at=DATES, reach_km=40)
    path = tmp_path_factory.mktemp("areas") / "areas.geojson"
    path.write_text(geojson_text(frame), encoding="utf-8")
    return path, frame


def test_export_writes_the_areas_layer_to_every_format(cli, areas_file, tmp_path: Path) -> None:
    path, frame = areas_file
    n = len(frame)
    assert n >= 6 and set(frame["party"]) >= {"government", "SDF", "Islamic State"}
    gpkg = tmp_path / "out.gpkg"
    r = cli("export", str(INCIDENTS), "--areas", str(path), "-o", str(gpkg))
    assert r.returncode == 0, r.stderr
    assert f"{n} areas" in r.stderr
    with sqlite3.connect(gpkg) as db:
        assert db.execute("select count(*) from areas").fetchone()[0] == n
        kinds = dict(db.execute("select table_name, data_type from gpkg_contents"))
        assert kinds["areas"] == "features" and kinds["incidents"] == "features"
        qml = db.execute("select styleQML from layer_styles where f_table_name='areas'"
                         ).fetchone()[0]
        parties = db.execute("select party, as_of, valid_to, party2 from areas order by fid"
                             ).fetchall()
    # one category per party in the party's colour (QML colours are "r,g,b,a")
    for party in set(frame["party"]):
        hexc = COLOURS[party]
        rgb = ",".join(str(int(hexc[i:i + 2], 16)) for i in (1, 3, 5))
        assert f'value="{party}"' in qml and f"{rgb},110" in qml
    assert {p for p, *_ in parties} == set(frame["party"])
    assert {a for _, a, *_ in parties} == set(DATES)
    assert {t for *_, t, _ in parties if _ is not None} <= {"2018-06-01", None}
    # GeoJSON: the areas beside the incidents, with their style
    gj = tmp_path / "out.geojson"
    r = cli("export", str(INCIDENTS), "--areas", str(path), "-o", str(gj))
    assert r.returncode == 0, r.stderr
    layer = json.loads((tmp_path / "out.areas.geojson").read_text(encoding="utf-8"))
    assert len(layer["features"]) == n
    assert {f["geometry"]["type"] for f in layer["features"]} <= {"Polygon", "MultiPolygon"}
    assert 'attr="party"' in (tmp_path / "out.areas.qml").read_text(encoding="utf-8")
    # KML: a folder of areas, each filled in its party's colour, over its dates
    kml = tmp_path / "out.kml"
    r = cli("export", str(INCIDENTS), "--areas", str(path), "-o", str(kml))
    assert r.returncode == 0, r.stderr
    text = kml.read_text(encoding="utf-8")
    folder = text[text.index("<name>Control areas</name>"):]
    assert folder.count("<Placemark>") == n
    assert "<begin>2017-10-01</begin><end>2018-06-01</end>" in folder
    assert re.search(r"<name>government, as of 2018-06-01</name>", folder)
    # same input, same bytes
    again = tmp_path / "again.gpkg"
    cli("export", str(INCIDENTS), "--areas", str(path), "-o", str(again))
    assert again.read_bytes() == gpkg.read_bytes()


def test_a_file_that_is_not_areas_is_a_clear_message(cli, tmp_path: Path) -> None:
    notareas = tmp_path / "points.geojson"
    notareas.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [40, 35]},
         "properties": {"name": "x"}}]}))
    out = tmp_path / "out.gpkg"
    r = cli("export", str(INCIDENTS), "--areas", str(notareas), "-o", str(out))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{notareas}: not a control-areas file (no party, status" in r.stderr
    assert not out.exists()


@pytest.mark.slow  # real QGIS
def test_qgis_opens_the_areas_layer_styled_per_party(qgis_probe, cli, areas_file,  # noqa: F811
                                                    tmp_path: Path) -> None:
    path, frame = areas_file
    gpkg = tmp_path / "out.gpkg"
    assert cli("export", str(INCIDENTS), "--areas", str(path), "-o", str(gpkg)).returncode == 0
    uri = f"{gpkg}|layername=areas"
    # al-Mayadin (government from 2017-10-14) on the 2018-06-01 map; the extent is the valley
    renders = [{"uri": f"{uri}|subset=as_of = '2018-06-01'", "extent": [39.5, 34.5, 41.5, 36.0],
                "size": [400, 300], "points": [[40.4515, 35.0198], [40.4272, 35.1562]]}]
    result = qgis_probe(tmp_path, [uri], renders)
    layer = result["layers"][uri]
    assert layer["valid"] and layer["feature_count"] == len(frame)
    assert layer["geometry_type"] == "MultiPolygon" and layer["crs"] == "EPSG:4326"
    assert layer["renderer"] == "categorizedSymbol" and layer["attribute"] == "party"
    colours = {c["value"]: c["color"] for c in layer["categories"] if c["value"]}
    assert colours == {p: COLOURS[p] for p in set(frame["party"])}
    assert layer["temporal"]["start"] == "valid_from" and layer["temporal"]["end"] == "valid_to"
    mayadin, busayrah = result["renders"][0]
    assert mayadin[0] > mayadin[1] + 40 and mayadin[0] > mayadin[2] + 40  # red: government
    assert busayrah[0] > busayrah[2] + 60 and busayrah[1] > busayrah[2] + 60  # yellow: SDF
