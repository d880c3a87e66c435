"""maps.export: what each file holds, read back with independent readers (json, sqlite3,
ElementTree, csv, pyogrio), determinism, and refusals that leave nothing behind."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from maps.export import ExportError, export_frames, output_files, resolve_format
from maps.tables import FrameError, source_rows
from tests.frames import EUPHRATES, incident_rows, incidents_frame, lines_frame, zones_frame
from tests.seed import SOURCES

KML_NS = {"k": "http://www.opengis.net/kml/2.2"}
FIGURES = ("fatalities_low", "fatalities_best", "fatalities_high", "wounded_best")


def _int(v) -> int | None:
    import pandas as pd

    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    return int(float(v))


def _day(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)[:10]


def essentials(frame) -> list[dict]:
    """What a round trip must keep: ids, dates, figures, sources, place, position."""
    out = []
    for _, r in frame.iterrows():
        out.append({
            "id": str(r["id"]), "date_start": _day(r["date_start"]),
            "date_end": _day(r["date_end"]), "date_precision": str(r["date_precision"]),
            "event_type": str(r["event_type"]), "place_resolved": str(r["place_resolved"]),
            "geo_precision": _int(r["geo_precision"]),
            **{f: _int(r[f]) for f in FIGURES},
            "sources": str(r["sources"]), "source_count": _int(r["source_count"]),
            "sources_json": json.loads(r["sources_json"]),
            "casualties_json": json.loads(r["casualties_json"]),
            "lat": round(float(r["lat"]), 7), "lon": round(float(r["lon"]), 7),
            "geom": (round(r.geometry.x, 7), round(r.geometry.y, 7)),
        })
    return out


@pytest.fixture()
def frames():
    return incidents_frame(), lines_frame(), zones_frame()


# --- GeoJSON -------------------------------------------------------------------------------------

def test_geojson_is_rfc7946_flat_and_typed(tmp_path: Path, frames) -> None:
    inc, lines, zones = frames
    out = tmp_path / "deir.geojson"
    result = export_frames(out, inc, lines, zones)
    assert [p.name for p in result.files] == [
        "deir.geojson", "deir.qml", "deir.control_lines.geojson", "deir.control_lines.qml",
        "deir.zones.geojson", "deir.zones.qml"]
    raw = out.read_bytes()
    assert "Al Mayādīn".encode() in raw  # UTF-8 as such, not \u escapes
    doc = json.loads(raw.decode("utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc and "name" not in doc
    assert len(doc["features"]) == 7
    by_id = {f["properties"]["id"]: f for f in doc["features"]}
    may = by_id["inc-mayadeen"]
    lon, lat = may["geometry"]["coordinates"]
    assert (lon, lat) == (40.45154, 35.01982)  # lon first
    props = may["properties"]
    assert all(not isinstance(v, dict | list) for f in doc["features"]
               for v in f["properties"].values())  # flat
    assert props["fatalities_best"] == 78 and isinstance(props["fatalities_best"], int)
    assert props["geo_precision"] == 2 and props["source_count"] == 4
    assert isinstance(props["lat"], float)
    assert props["date_start"] == "2018-05-23" and props["date_precision"] == "day"
    assert props["sources"].startswith("The Independent (2018-05-28); Arab News (AFP)")
    assert [s["outlet"] for s in json.loads(props["sources_json"])] == [
        "The Independent", "Arab News (AFP)", "Al Jazeera", "AsiaNews"]
    hajin = by_id["inc-hajin"]["properties"]
    assert hajin["fatalities_best"] is None  # unknown stays null, not 0 or ""
    month = by_id["inc-hmeimim"]["properties"]
    assert (month["date_start"], month["date_end"], month["date_precision"]) == (
        "2018-03-01", "2018-03-31", "month")
    # Coordinates carry at most 7 decimals, everywhere.
    for name in ("deir.geojson", "deir.control_lines.geojson", "deir.zones.geojson"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        coords = re.findall(r"-?\d+\.\d+", text.split('"geometry"', 1)[1])
        assert coords and max(len(c.split(".")[1]) for c in coords) <= 7
    zone_doc = json.loads((tmp_path / "deir.zones.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["party"] for f in zone_doc["features"]} == {
        "SDF and coalition", "Government and Russia"}
    assert zone_doc["features"][0]["properties"]["width_km"] == 40.0
    line_doc = json.loads((tmp_path / "deir.control_lines.geojson").read_text("utf-8"))
    assert line_doc["features"][0]["properties"]["valid_to"] == "2019-03-23"


def test_geojson_polygons_are_counter_clockwise(tmp_path: Path, frames) -> None:
    from shapely.geometry import shape

    inc, lines, zones = frames
    export_frames(tmp_path / "z.geojson", inc, lines, zones)
    doc = json.loads((tmp_path / "z.zones.geojson").read_text("utf-8"))
    for f in doc["features"]:
        geom = shape(f["geometry"])
        polys = getattr(geom, "geoms", [geom])
        assert all(p.exterior.is_ccw for p in polys)  # RFC 7946 section 3.1.6


def test_geojson_reads_back_the_same_incidents(tmp_path: Path, frames) -> None:
    import geopandas as gpd

    inc = frames[0]
    export_frames(tmp_path / "i.geojson", inc)
    back = gpd.read_file(tmp_path / "i.geojson", engine="pyogrio")
    assert back.crs.to_epsg() == 4326
    assert essentials(back) == essentials(inc)
    assert not (tmp_path / "i.control_lines.geojson").exists()  # no lines given


# --- GeoPackage ----------------------------------------------------------------------------------

def test_geopackage_layers_types_index_and_styles(tmp_path: Path, frames) -> None:
    inc, lines, zones = frames
    out = tmp_path / "deir.gpkg"
    result = export_frames(out, inc, lines, zones)
    assert result.counts == {"incidents": 7, "sources": 10, "control_lines": 1, "zones": 2}
    db = sqlite3.connect(out)
    assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # 'GPKG'
    contents = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents"))
    assert contents == {"incidents": "features", "sources": "attributes",
                        "control_lines": "features", "zones": "features",
                        "layer_styles": "attributes"}
    geom_types = dict(db.execute(
        "SELECT table_name, geometry_type_name FROM gpkg_geometry_columns"))
    assert geom_types == {"incidents": "POINT", "control_lines": "MULTILINESTRING",
                          "zones": "MULTIPOLYGON"}
    assert {r[0] for r in db.execute("SELECT srs_id FROM gpkg_geometry_columns")} == {4326}
    cols = {r[1]: r[2] for r in db.execute("PRAGMA table_info(incidents)")}
    assert cols["date_start"] == "DATE" and cols["date_end"] == "DATE"
    assert cols["fatalities_best"] in ("INTEGER", "MEDIUMINT")
    assert cols["lat"] == "REAL" and cols["place"] == "TEXT"
    src_cols = {r[1]: r[2] for r in db.execute("PRAGMA table_info(sources)")}
    assert src_cols["published"] == "DATE" and src_cols["position"] in ("INTEGER",
                                                                        "MEDIUMINT")
    # Spatial index on every geometry layer, filled.
    rtrees = {r[0] for r in db.execute(
        "SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'")}
    assert rtrees == {"incidents", "control_lines", "zones"}
    assert db.execute("SELECT count(*) FROM rtree_incidents_geom").fetchone()[0] == 7
    hit = db.execute("SELECT i.id FROM incidents i JOIN rtree_incidents_geom r ON i.fid = r.id "
                     "WHERE r.minx > 40.4 AND r.maxx < 40.5 AND r.miny > 35.0 "
                     "AND r.maxy < 35.1").fetchall()
    assert hit == [("inc-mayadeen",)]
    # One source row per source per incident, in order.
    rows = db.execute("SELECT incident_id, position, outlet, published FROM sources "
                      "ORDER BY fid").fetchall()
    assert rows[:3] == [("inc-mayadeen", 1, "The Independent", "2018-05-28"),
                        ("inc-mayadeen", 2, "Arab News (AFP)", "2018-05-27"),
                        ("inc-mayadeen", 3, "Al Jazeera", "2018-05-27")]
    assert len(rows) == sum(r["source_count"] for r in incident_rows())
    # A default QGIS style per geometry layer.
    styles = db.execute("SELECT f_table_name, f_geometry_column, useAsDefault, styleQML "
                        "FROM layer_styles ORDER BY id").fetchall()
    assert [(s[0], s[1], s[2]) for s in styles] == [
        ("incidents", "geom", 1), ("control_lines", "geom", 1), ("zones", "geom", 1)]
    qml = ET.fromstring(styles[0][3].split("\n", 1)[1])
    renderer = qml.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "event_type"
    assert "fatalities_best" in styles[0][3]
    db.close()


def test_geopackage_reads_back_the_same_incidents_and_sources(tmp_path: Path, frames) -> None:
    import geopandas as gpd
    import pyogrio

    inc = frames[0]
    export_frames(tmp_path / "i.gpkg", inc)
    assert [name for name, _ in pyogrio.list_layers(tmp_path / "i.gpkg")][:4] == [
        "incidents", "control_lines", "zones", "sources"]
    back = gpd.read_file(tmp_path / "i.gpkg", layer="incidents", engine="pyogrio")
    assert essentials(back) == essentials(inc)
    sources = gpd.read_file(tmp_path / "i.gpkg", layer="sources", engine="pyogrio")
    expected = source_rows(inc)
    assert sources["incident_id"].tolist() == expected["incident_id"].tolist()
    assert sources["url"].tolist() == expected["url"].tolist()
    assert sources["published"].dt.strftime("%Y-%m-%d").tolist() == expected[
        "published"].tolist()
    # No lines given: the layers are there, empty, with their fields.
    lines = gpd.read_file(tmp_path / "i.gpkg", layer="control_lines", engine="pyogrio")
    assert len(lines) == 0 and "party_left" in lines.columns


def test_geopackage_datetime_and_text_dates(tmp_path: Path) -> None:
    """Sources published with a time become DateTime; a column with a non-date stays text."""
    rows = incident_rows()[:2]
    items = json.loads(rows[0]["sources_json"])
    items[0]["published"] = "2018-05-27T09:30:00Z"
    rows[0]["sources_json"] = json.dumps(items)
    rows[1]["date_start"] = "spring 2018"  # not a date: the field stays text, value kept
    export_frames(tmp_path / "d.gpkg", incidents_frame(rows))
    db = sqlite3.connect(tmp_path / "d.gpkg")
    cols = {r[1]: r[2] for r in db.execute("PRAGMA table_info(sources)")}
    assert cols["published"] == "DATETIME"
    assert db.execute("SELECT published FROM sources ORDER BY fid").fetchone()[0] \
        .startswith("2018-05-27T09:30:00")
    inc_cols = {r[1]: r[2] for r in db.execute("PRAGMA table_info(incidents)")}
    assert inc_cols["date_start"] == "TEXT" and inc_cols["date_end"] == "DATE"
    assert db.execute("SELECT date_start FROM incidents ORDER BY fid").fetchall()[1] == (
        "spring 2018",)


# --- KML -----------------------------------------------------------------------------------------

HOSTILE = "<script>alert('x')</script> & \"quotes\" ]]> \x07bell"


def test_kml_styles_time_spans_and_typed_data(tmp_path: Path, frames) -> None:
    inc, lines, zones = frames
    out = tmp_path / "deir.kml"
    export_frames(out, inc, lines, zones)
    root = ET.parse(out).getroot()
    doc = root.find("k:Document", KML_NS)
    folders = {f.findtext("k:name", namespaces=KML_NS): f
               for f in doc.findall("k:Folder", KML_NS)}
    assert list(folders) == ["Incidents", "Control lines", "Zones"]
    marks = folders["Incidents"].findall("k:Placemark", KML_NS)
    assert len(marks) == 7
    may = marks[0]
    assert may.findtext("k:name", namespaces=KML_NS) == "Mayadin — 2018-05-23"  # display name (maps.names)
    assert may.findtext("k:Point/k:coordinates", namespaces=KML_NS) == "40.45154,35.01982"
    assert may.findtext("k:TimeSpan/k:begin", namespaces=KML_NS) == "2018-05-23"
    style_id = may.findtext("k:styleUrl", namespaces=KML_NS).lstrip("#")
    styles = {s.get("id"): s for s in doc.findall("k:Style", KML_NS)}
    # Battles in the maps' colour (#d55e00 -> aabbggrr), the biggest step for 78 killed.
    assert styles[style_id].findtext("k:IconStyle/k:color", namespaces=KML_NS) == "ff005ed5"
    assert styles[style_id].findtext("k:IconStyle/k:scale", namespaces=KML_NS) == "2"
    hajin = marks[4]  # no figure: the smallest step, Explosions/Remote violence's colour
    small = styles[hajin.findtext("k:styleUrl", namespaces=KML_NS).lstrip("#")]
    assert small.findtext("k:IconStyle/k:color", namespaces=KML_NS) == "ff94327b"
    assert small.findtext("k:IconStyle/k:scale", namespaces=KML_NS) == "0.42"
    data = {d.get("name"): d.text for d in may.iter(f"{{{KML_NS['k']}}}SimpleData")}
    assert data["fatalities_best"] == "78" and data["id"] == "inc-mayadeen"
    schema = {f.get("name"): f.get("type") for f in doc.iter(f"{{{KML_NS['k']}}}SimpleField")}
    assert schema["fatalities_best"] == "int" and schema["lat"] == "double"
    desc = may.findtext("k:description", namespaces=KML_NS)
    assert "78" in desc and "Fatalities" in desc
    url = SOURCES["000"]["url"]
    assert f'<a href="{url}">The Independent</a>' in desc
    assert "Arab News (AFP)" in desc  # a source without an address: its name, no link
    month = marks[3]
    assert month.findtext("k:TimeSpan/k:end", namespaces=KML_NS) == "2018-03-31"
    line = folders["Control lines"].find("k:Placemark", KML_NS)
    assert line.findtext("k:Style/k:LineStyle/k:color", namespaces=KML_NS) == "ff733b1f"
    assert len(line.findtext("k:LineString/k:coordinates", namespaces=KML_NS).split()) == len(EUPHRATES)
    zone_colors = [z.findtext("k:Style/k:PolyStyle/k:color", namespaces=KML_NS)
                   for z in folders["Zones"].findall("k:Placemark", KML_NS)]
    assert zone_colors == ["5000b8e6", "502b39c0"]


def test_kml_escapes_report_text(tmp_path: Path) -> None:
    rows = incident_rows()[:1]
    rows[0]["notes"] = HOSTILE
    rows[0]["place"] = "Mayadeen <b>town</b>"
    items = json.loads(rows[0]["sources_json"])
    items[0]["url"] = "javascript:alert(1)"
    items[1]["outlet"] = "Outlet\"><img src=x onerror=alert(1)>"
    rows[0]["sources_json"] = json.dumps(items)
    out = tmp_path / "h.kml"
    export_frames(out, incidents_frame(rows))
    text = out.read_text("utf-8")
    assert "\x07" not in text  # not allowed in XML 1.0
    mark = ET.parse(out).getroot().find(".//k:Placemark", KML_NS)  # well-formed
    desc = mark.findtext("k:description", namespaces=KML_NS)
    # The balloon HTML holds the report's text as text, never as markup.
    assert "<script" not in desc and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in desc
    assert "<b>" not in desc and "&lt;b&gt;town&lt;/b&gt;" in desc
    assert "<img" not in desc and "&lt;img src=x onerror=alert(1)&gt;" in desc
    assert "href" not in desc.split("The Independent")[0][-40:]  # no link for javascript:
    data = {d.get("name"): d.text for d in mark.iter(f"{{{KML_NS['k']}}}SimpleData")}
    assert data["notes"] == HOSTILE.replace("\x07", "")


# --- CSV -----------------------------------------------------------------------------------------

def test_csv_layout_for_spreadsheets_and_round_trip(tmp_path: Path, frames) -> None:
    from geoevents.pipeline import read_frame_file
    from maps.schema import INCIDENT_COLUMNS

    inc = frames[0]
    out = tmp_path / "i.csv"
    export_frames(out, inc)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets then read UTF-8
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    layout = list(INCIDENT_COLUMNS)
    layout.insert(layout.index("place_id") + 1, "label")  # the display name, derived
    assert list(rows[0])[:len(layout)] == layout
    assert rows[0]["fatalities_best"] == "78" and rows[0]["place_resolved"] == "Al Mayādīn"
    assert rows[0]["label"] == "Mayadin"
    assert rows[4]["fatalities_best"] == ""  # unknown is empty, not 0
    back = read_frame_file(out)  # the importer of our layout
    assert essentials(back) == essentials(inc)


def test_csv_neutralises_formulas_but_keeps_numbers(tmp_path: Path) -> None:
    rows = incident_rows()[:2]
    rows[0]["notes"] = "=HYPERLINK(\"http://evil\",\"x\")"
    rows[1]["notes"] = "-12.5"
    rows[1]["actor2"] = "@someone"
    out = tmp_path / "f.csv"
    export_frames(out, incidents_frame(rows))
    got = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert got[0]["notes"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert got[1]["notes"] == "-12.5" and got[1]["actor2"] == "'@someone"


# --- determinism ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["a.gpkg", "a.geojson", "a.kml", "a.csv"])
def test_same_input_gives_byte_identical_files(tmp_path: Path, frames, name: str) -> None:
    inc, lines, zones = frames
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir()
    second.mkdir()
    r1 = export_frames(first / name, inc, lines, zones)
    r2 = export_frames(second / name, inc.copy(), lines.copy(), zones.copy())
    for p1, p2 in zip(r1.files, r2.files, strict=True):
        assert p1.read_bytes() == p2.read_bytes(), p1.name


def test_source_date_epoch_sets_the_geopackage_stamps(tmp_path: Path, frames,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1527379200")  # 2018-05-27
    export_frames(tmp_path / "s.gpkg", frames[0])
    db = sqlite3.connect(tmp_path / "s.gpkg")
    stamps = {r[0] for r in db.execute("SELECT last_change FROM gpkg_contents")}
    assert stamps == {"2018-05-27T00:00:00.000Z"}


# --- refusals ------------------------------------------------------------------------------------

def test_unknown_extension_and_format_mismatch(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"does not write '\.shp' files.*\.gpkg"):
        resolve_format(tmp_path / "x.shp")
    with pytest.raises(ExportError, match="files without an extension"):
        resolve_format(tmp_path / "x")
    with pytest.raises(ExportError, match=r"a kml file must end in \.kml"):
        resolve_format(tmp_path / "x.gpkg", "kml")
    assert resolve_format(tmp_path / "X.GeoJSON") == "geojson"
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_and_existing_file(tmp_path: Path, frames) -> None:
    inc = frames[0]
    with pytest.raises(ExportError, match=r"folder .*nope does not exist"):
        export_frames(tmp_path / "nope" / "x.gpkg", inc)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="is not a folder"):
        export_frames(tmp_path / "file" / "x.gpkg", inc)
    (tmp_path / "dir.gpkg").mkdir()
    with pytest.raises(ExportError, match=r"dir\.gpkg: is a folder; give a file name"):
        export_frames(tmp_path / "dir.gpkg", inc, overwrite=True)
    (tmp_path / "dir.gpkg").rmdir()
    existing = tmp_path / "x.kml"
    existing.write_text("keep me")
    with pytest.raises(ExportError, match=r"x\.kml: exists already \(use --overwrite"):
        export_frames(existing, inc)
    assert existing.read_text() == "keep me"
    # A GeoJSON export also refuses when one of its companion files exists.
    (tmp_path / "y.qml").write_text("mine")
    with pytest.raises(ExportError, match=r"y\.qml: exists already"):
        export_frames(tmp_path / "y.geojson", inc)
    assert not (tmp_path / "y.geojson").exists()
    export_frames(existing, inc, overwrite=True)
    assert existing.read_text("utf-8").startswith("<?xml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "x.kml", "y.qml"]


def test_read_only_folder(tmp_path: Path, frames) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; tests/test_cli_export.py checks "
                    "this as an unprivileged user")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ExportError, match=r"cannot write in the folder .*permission denied"):
            export_frames(folder / "x.gpkg", frames[0])
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("name", ["bad.gpkg", "bad.geojson", "bad.kml", "bad.csv"])
def test_bad_value_fails_cleanly_and_leaves_nothing(tmp_path: Path, name: str) -> None:
    inc = incidents_frame()
    inc["fatalities_best"] = inc["fatalities_best"].astype(object)
    inc.loc[4, "fatalities_best"] = "about 30"
    inc = inc.copy()
    if name.endswith(".kml"):  # KML writes text as it is; a colour it cannot draw is refused
        lines = lines_frame()
        lines.loc[0, "color"] = "blurple"
        with pytest.raises(FrameError, match="control_lines row 1: field 'color': 'blurple' "
                                             "is not a CSS colour"):
            export_frames(tmp_path / name, inc.iloc[:1], lines)
    else:
        with pytest.raises(FrameError, match=r"incidents row 5 \(id inc-hajin\): field "
                                             r"'fatalities_best': 'about 30' is not a number"):
            export_frames(tmp_path / name, inc)
    assert list(tmp_path.iterdir()) == []  # no temporary or partial file


def test_overwrite_removes_layer_files_of_an_earlier_geojson_export(tmp_path: Path,
                                                                    frames) -> None:
    inc, lines, zones = frames
    out = tmp_path / "e.geojson"
    export_frames(out, inc, lines, zones)
    assert (tmp_path / "e.zones.geojson").exists()
    export_frames(out, inc, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.geojson", "e.qml"]


def test_geometry_of_the_wrong_kind_is_refused(tmp_path: Path) -> None:
    from shapely.geometry import box

    inc = incidents_frame()
    inc.loc[2, "geometry"] = box(40, 35, 40.1, 35.1)
    with pytest.raises(FrameError, match=r"incidents row 3 \(id inc-deir-night\): geometry is "
                                         r"Polygon, expected Point"):
        export_frames(tmp_path / "g.gpkg", inc)


def test_output_files_of_each_format(tmp_path: Path) -> None:
    assert output_files(tmp_path / "a.gpkg", "gpkg", lines=True, zones=True) == [
        tmp_path / "a.gpkg"]
    assert [p.name for p in output_files(tmp_path / "a.b.json", "geojson", lines=True)] == [
        "a.b.json", "a.b.qml", "a.b.control_lines.json", "a.b.control_lines.qml"]


def test_frames_in_another_crs_are_reprojected(tmp_path: Path) -> None:
    inc = incidents_frame().to_crs(3857)
    export_frames(tmp_path / "m.geojson", inc)
    doc = json.loads((tmp_path / "m.geojson").read_text("utf-8"))
    assert doc["features"][0]["geometry"]["coordinates"] == [40.45154, 35.01982]


def test_zone_columns_of_incidents_are_typed(tmp_path: Path) -> None:
    """The optional columns control lines add: Boolean near_line, Real distance, text party."""
    inc = incidents_frame()
    inc["zone_party"] = ["Syrian government and Russia", "", "Syrian government and Russia",
                         "", "SDF and US-led coalition", "", ""]
    inc["zone_bank"] = ["right", "", "right", "", "left", "", ""]
    inc["zone_side"] = ["west", "", "west", "", "east", "", ""]
    inc["line_id"] = ["euphrates-2018", "", "euphrates-2018", "", "euphrates-2018", "", ""]
    inc["line_distance_km"] = [1.23456789, None, 6.5, None, 2.0, None, None]
    inc["near_line"] = [True, None, False, None, False, None, None]
    export_frames(tmp_path / "z.gpkg", inc)
    export_frames(tmp_path / "z.geojson", inc)
    export_frames(tmp_path / "z.csv", inc)
    db = sqlite3.connect(tmp_path / "z.gpkg")
    cols = {r[1]: r[2] for r in db.execute("PRAGMA table_info(incidents)")}
    assert cols["near_line"] == "BOOLEAN" and cols["line_distance_km"] == "REAL"
    assert db.execute("SELECT near_line, line_distance_km FROM incidents ORDER BY fid"
                      ).fetchall()[:2] == [(1, 1.235), (None, None)]
    props = [f["properties"] for f in
             json.loads((tmp_path / "z.geojson").read_text("utf-8"))["features"]]
    assert props[0]["near_line"] is True and props[2]["near_line"] is False
    assert props[1]["near_line"] is None and props[0]["line_distance_km"] == 1.235
    assert props[4]["zone_party"] == "SDF and US-led coalition"
    rows = list(csv.DictReader(io.StringIO((tmp_path / "z.csv").read_bytes().decode(
        "utf-8-sig"), newline="")))
    cols = list(rows[0])
    at = cols.index("zone_party")
    assert cols[at:at + 6] == ["zone_party", "zone_bank", "zone_side", "line_id",
                               "line_distance_km", "near_line"]
    assert (rows[0]["near_line"], rows[1]["near_line"]) == ("true", "")


def _gdal_geojson(path: Path, frame, layer: str) -> None:
    """The reference: GDAL's GeoJSON driver in RFC 7946 mode (which the export used before
    maps.geojson became the one writer), fed the same typed Arrow batches."""
    import pyarrow as pa
    import pyogrio

    from maps import tables

    schema, batches = tables.arrow_batches(frame, layer, dates="text", decimals=7)
    pyogrio.write_arrow(pa.RecordBatchReader.from_batches(schema, batches), path,
                        driver="GeoJSON", geometry_name="geometry",
                        geometry_type="Point" if layer == "incidents" else "Unknown",
                        crs="EPSG:4326",
                        layer_options={"RFC7946": "YES", "WRITE_NAME": "NO",
                                       "AUTODETECT_JSON_STRINGS": "NO"})


@pytest.mark.filterwarnings("ignore:NaN of Infinity value found:RuntimeWarning")
def test_fast_geojson_writer_agrees_with_gdal(tmp_path: Path) -> None:
    """The one GeoJSON writer (maps.geojson) and GDAL's GeoJSON driver give the same
    document, for text that needs escaping and numbers of every kind."""
    from maps.export import write_incidents_geojson

    rows = incident_rows()
    rows[0]["notes"] = 'quote " backslash \\ tab \t newline \n nul \x00 bell \x07 \u2028 ✓ الميادين'
    rows[1]["place"] = "C:\\path\\\"x\""
    rows[2]["actor2"] = "\x1f\x1e control"
    inc = incidents_frame(rows)
    inc["score"] = [1e-7, 1e21, -0.0, float("inf"), float("nan"), 12.345678901234567, 2.5]
    inc["flag"] = [True, False, None, True, False, None, True]
    fast, gdal = tmp_path / "fast.geojson", tmp_path / "gdal.geojson"
    write_incidents_geojson(fast, inc)
    _gdal_geojson(gdal, inc, "incidents")
    a = json.loads(fast.read_text("utf-8"))
    b = json.loads(gdal.read_text("utf-8"))
    assert a["type"] == b["type"] == "FeatureCollection" and "crs" not in a
    assert len(a["features"]) == len(b["features"]) == 7
    for fa, fb in zip(a["features"], b["features"], strict=True):
        pa_, pb = dict(fa["properties"]), dict(fb["properties"])
        sa, sb = pa_.pop("score"), pb.pop("score", None)  # GDAL leaves out infinity
        assert pa_ == pb
        assert fa["geometry"] == fb["geometry"]
        assert (sa is None) == (sb is None)
        if sa is not None:
            assert sa == pytest.approx(sb, rel=1e-15)
    props = [f["properties"] for f in a["features"]]
    assert props[0]["notes"] == rows[0]["notes"].replace("\x00", "")  # all but NUL kept
    assert props[1]["place"] == rows[1]["place"] and props[2]["actor2"] == rows[2]["actor2"]
    assert [p["score"] for p in props] == [1e-7, 1e21, 0.0, None, None, 12.345678901234567,
                                            2.5]
    assert [p["flag"] for p in props] == [True, False, None, True, False, None, True]
    assert "الميادين".encode() in fast.read_bytes()  # UTF-8, not \u escapes


def test_export_lines_and_zones_through_the_one_writer_agree_with_gdal(tmp_path: Path) -> None:
    """The export's control lines and zones (maps.geojson, no GDAL driver) are the document GDAL
    wrote in RFC 7946 mode: same properties and types, same coordinates, rings reoriented
    (a zone drawn clockwise with a hole drawn counter-clockwise comes out the other way)."""
    from shapely.geometry import MultiPolygon, Polygon, shape

    from maps.export import write_geojson_layer

    lines, zones = lines_frame(), zones_frame()
    cw = Polygon([(40, 35), (40, 36), (41, 36), (41, 35)],  # exterior clockwise
                 [[(40.2, 35.2), (40.8, 35.2), (40.8, 35.8), (40.2, 35.8)]])  # hole ccw
    assert not cw.exterior.is_ccw and cw.interiors[0].is_ccw
    zones = zones.copy()
    zones.loc[zones.index[0], "geometry"] = MultiPolygon([cw, Polygon(
        [(42, 35), (42, 35.5), (42.123456789, 35.5)])])
    for layer, frame in (("control_lines", lines), ("zones", zones)):
        ours, gdal = tmp_path / f"ours.{layer}.geojson", tmp_path / f"gdal.{layer}.geojson"
        assert write_geojson_layer(ours, frame, layer) == len(frame)
        _gdal_geojson(gdal, frame, layer)
        a, b = (json.loads(p.read_text("utf-8")) for p in (ours, gdal))
        assert a == b, layer
    doc = json.loads((tmp_path / "ours.zones.geojson").read_text("utf-8"))
    first = shape(doc["features"][0]["geometry"])
    assert first.geoms[0].exterior.is_ccw and not first.geoms[0].interiors[0].is_ccw
    assert first.geoms[1].exterior.is_ccw
    assert (42.1234568, 35.5) in list(first.geoms[1].exterior.coords)  # 7 decimals


def test_fast_geojson_writer_streams_in_batches(tmp_path: Path) -> None:
    """Several batches (and threads) give one valid document with every feature in order."""
    from maps.geojson import write_features

    rows = [dict(r, id=f"inc-{i:04d}") for i, r in enumerate(incident_rows() * 50)]
    inc = incidents_frame(rows)
    outs = []
    for threads in (1, 2):
        out = tmp_path / f"b{threads}.geojson"
        with open(out, "wb") as f:
            assert write_features(f, inc, chunk=7, threads=threads) == 350
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    doc = json.loads(outs[0])
    assert [f["properties"]["id"] for f in doc["features"]] == [r["id"] for r in rows]


def test_bad_value_far_down_is_named_by_its_row_in_the_whole_frame(tmp_path: Path) -> None:
    rows = [dict(r, id=f"inc-{i:05d}") for i, r in enumerate(incident_rows() * 12000)]
    inc = incidents_frame(rows).astype({"wounded_best": object})
    inc.loc[70001, "wounded_best"] = "several"  # in the second batch of 65,536
    inc.loc[71000, "wounded_best"] = "many"
    with pytest.raises(FrameError, match=r"incidents row 70002 \(id inc-70001\): field "
                                         r"'wounded_best': 'several' is not a number \(2 such"):
        export_frames(tmp_path / "big.gpkg", inc)
    assert list(tmp_path.iterdir()) == []
