"""Exports' ``label`` field: every format carries each place's display name (the one rule of the
maps, the image and the briefing, :func:`maps.names.display_names`), right after ``place_id``,
and the QGIS style of the incidents labels the points with it."""

from __future__ import annotations

import csv
import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from maps.export import export_frames
from tests.frames import incidents_frame

KML = {"k": "http://www.opengis.net/kml/2.2"}


@pytest.fixture()
def frame(ne_levant: Path):
    """The seed incidents plus one resolved to the GeoNames place "Dayr az Zawr" (the romanised
    spelling older GeoNames files and Natural Earth's local NAME give Deir ez-Zor)."""
    import pandas as pd

    f = incidents_frame()
    extra = f.iloc[[0]].copy()
    extra["id"] = "inc-dayr"
    extra["place"] = "in Dayr az-Zawr city"
    extra["place_resolved"] = "Dayr az Zawr"
    extra["place_id"] = "geonames:170794"
    out = pd.concat([f, extra], ignore_index=True)
    return out.set_geometry(f.geometry.name)


def _expected(frame) -> dict[str, str]:
    by_place = {"geonames:173480": "Mayadin",  # GeoNames "Al Mayādīn": the shipped exonym
                "geonames:163808": "Palmyra",  # GeoNames and Natural Earth say "Tadmur"
                "geonames:170794": "Deir ez-Zor",  # Natural Earth's NAME_EN
                "geonames:174506": "Hajin"}  # "Hajīn" without the marks
    out = {}
    for ident, pid in zip(frame["id"], frame["place_id"], strict=True):
        if pid in by_place:
            out[ident] = by_place[pid]
    assert len(out) >= 4
    return out


def test_every_format_carries_the_display_name(frame, tmp_path: Path) -> None:
    want = _expected(frame)
    for name in ("l.gpkg", "l.geojson", "l.kml", "l.csv"):
        export_frames(tmp_path / name, frame)

    con = sqlite3.connect(tmp_path / "l.gpkg")
    cols = [r[1] for r in con.execute("PRAGMA table_info(incidents)")]
    assert cols[cols.index("place_id") + 1] == "label"
    gpkg = dict(con.execute("SELECT id, label FROM incidents"))
    con.close()

    doc = json.loads((tmp_path / "l.geojson").read_text(encoding="utf-8"))
    geojson = {f["properties"]["id"]: f["properties"]["label"] for f in doc["features"]}

    root = ET.parse(tmp_path / "l.kml").getroot()
    kml, titles = {}, {}
    for pm in root.iterfind(".//k:Placemark", KML):
        data = {d.get("name"): d.text for d in pm.iterfind(".//k:SimpleData", KML)}
        if "label" in data:
            kml[data["id"]] = data["label"]
            titles[data["id"]] = pm.findtext("k:name", namespaces=KML)

    with open(tmp_path / "l.csv", encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        rows = {r["id"]: r["label"] for r in reader}
    assert header[header.index("place_id") + 1] == "label"

    for got in (gpkg, geojson, kml, rows):
        assert {k: got[k] for k in want} == want
        assert all(v for v in got.values())  # every incident has a label
    for ident, shown in want.items():
        assert titles[ident].startswith(shown + " — ")  # the placemark's name too


def test_the_label_is_the_one_of_the_map(frame) -> None:
    """The export and the map's data document show the same name for each incident."""
    from maps.export import labelled
    from maps.html import RECORD_FIELDS, _Strings, incidents_payload

    S = _Strings()
    payload, _, _ = incidents_payload(frame, S)
    k = RECORD_FIELDS.index("nm")
    names = [S.table[x[k]] for x in payload["x"]]
    assert names == labelled(frame)["label"].tolist()


def test_acled_layout_has_no_label(frame, tmp_path: Path) -> None:
    export_frames(tmp_path / "a.csv", frame, fmt="acled-csv")
    with open(tmp_path / "a.csv", encoding="utf-8", newline="") as f:
        assert "label" not in (csv.DictReader(f).fieldnames or [])


def test_the_gpkg_style_labels_points_with_it(frame, tmp_path: Path) -> None:
    export_frames(tmp_path / "s.gpkg", frame)
    con = sqlite3.connect(tmp_path / "s.gpkg")
    qml = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = 'incidents'"
                      ).fetchone()[0]
    con.close()
    root = ET.fromstring(qml.split("\n", 1)[1])
    assert root.get("labelsEnabled") == "1"
    style = root.find("labeling/settings/text-style")
    assert root.find("labeling").get("type") == "simple"
    assert style is not None and style.get("fieldName") == "label"
    assert style.find("text-buffer").get("bufferDraw") == "1"  # a halo
