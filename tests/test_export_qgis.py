"""The exports opened by the real programs: QGIS 3.22 (PyQGIS in a subprocess, the way QGIS opens
a file: default style and all) and GDAL's ``ogrinfo``.  Skipped when they are missing, except
under ``GEOEVENTS_REQUIRE_TOOLS=1`` (CI), where a missing program fails the test."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from maps.export import export_frames
from maps.qgis_styles import EVENT_TYPE_COLORS
from maps.style import type_style
from tests.frames import EUPHRATES, incidents_frame, lines_frame, zones_frame

pytestmark = pytest.mark.slow  # real QGIS in a subprocess

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"
REQUIRE = os.environ.get("GEOEVENTS_REQUIRE_TOOLS") == "1"

# QVariant type ids QGIS reports for fields.
QSTRING, QINT, QLONGLONG, QDOUBLE, QDATE, QDATETIME, QBOOL = 10, 2, 4, 6, 14, 16, 1


def _missing(what: str) -> None:
    if REQUIRE:
        pytest.fail(f"{what} is required (GEOEVENTS_REQUIRE_TOOLS=1) but missing")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def qgis_probe():
    if not Path(SYSTEM_PYTHON).exists():
        _missing("the system python3 with PyQGIS")
    check = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True,
                           text=True, check=False)
    if check.returncode != 0:
        _missing("PyQGIS (Debian packages qgis, python3-qgis)")

    def probe(tmp: Path, layers: list[str], renders: list[dict] | None = None) -> dict:
        spec = tmp / "probe.json"
        spec.write_text(json.dumps({"layers": layers, "renders": renders or []}))
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp))
        proc = subprocess.run([SYSTEM_PYTHON, str(HERE / "qgis_probe.py"), str(spec)],
                              capture_output=True, text=True, env=env, timeout=180,
                              check=False)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return json.loads(proc.stdout.strip().splitlines()[-1])

    return probe


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    inc, lines, zones = incidents_frame(), lines_frame(), zones_frame()
    for name in ("deir.gpkg", "deir.geojson", "deir.kml", "deir.csv"):
        export_frames(folder / name, inc, lines, zones)
    return folder


INCIDENT_TYPES = {"id": QSTRING, "date_start": QDATE, "date_end": QDATE,
                  "date_precision": QSTRING, "geo_precision": QINT, "lat": QDOUBLE,
                  "lon": QDOUBLE, "fatalities_low": QINT, "fatalities_best": QINT,
                  "fatalities_high": QINT, "wounded_best": QINT, "source_count": QINT,
                  "sources": QSTRING, "sources_json": QSTRING}


def _check_incidents(layer: dict) -> None:
    assert layer["valid"]
    assert layer["feature_count"] == 7
    assert layer["crs"] == "EPSG:4326"
    assert layer["geometry_type"] == "Point"
    for name, qtype in INCIDENT_TYPES.items():
        assert layer["field_types"][name] == qtype, name
    assert layer["renderer"] == "categorizedSymbol"
    assert layer["attribute"] == "event_type"
    cats = {c["value"]: c for c in layer["categories"]}
    assert list(cats) == [*EVENT_TYPE_COLORS, ""]  # "" is QGIS's "all other values"
    for name, color in EVENT_TYPE_COLORS.items():
        assert cats[name]["color"] == color
    ring, marker = cats["Battles"]["expressions"]
    assert '"geo_precision" IN (2, 3)' in ring["enabled"]
    assert 'sqrt(max(coalesce("fatalities_best", 0), 0))' in marker["size"]
    assert "255,255,255,153" in marker["fillColor"]  # hollow when approximate
    assert layer["temporal"]["start"] == "date_start"
    assert layer["temporal"]["end"] == "date_end"
    assert layer["temporal"]["mode"] == 2  # start and end from fields
    assert layer["first"]["date_start"] == "2018-05-23"
    assert layer["first"]["fatalities_best"] == 78
    assert layer["first"]["place_resolved"] == "Al Mayādīn"
    # labelled by default with the display name (the export's label field)
    assert layer["field_types"]["label"] == QSTRING
    assert layer["first"]["label"] == "Mayadin"
    assert layer["labels"] == {"enabled": True, "type": "simple", "field": "label"}


def _check_lines(layer: dict, geometry: str) -> None:
    assert layer["valid"] and layer["feature_count"] == 1 and layer["crs"] == "EPSG:4326"
    assert layer["geometry_type"] == geometry
    assert layer["renderer"] == "categorizedSymbol" and layer["attribute"] == "id"
    line = layer["categories"][0]
    assert line["value"] == "euphrates-2018" and line["symbol_layers"] == 3
    assert "left: SDF and coalition" in line["label"]
    assert layer["field_types"]["valid_from"] == QDATE


def _check_zones(layer: dict, geometry: str) -> None:
    assert layer["valid"] and layer["feature_count"] == 2 and layer["crs"] == "EPSG:4326"
    assert layer["geometry_type"] == geometry
    assert layer["renderer"] == "categorizedSymbol" and layer["attribute"] == "party"
    colors = {c["value"]: c["color"] for c in layer["categories"]}
    assert colors == {"SDF and coalition": "#e6b800",
                      "Government and Russia": "#c0392b", "": "#9e9e9e"}
    assert layer["field_types"]["width_km"] == QDOUBLE


def test_qgis_opens_the_geopackage_styled(qgis_probe, exported: Path, tmp_path: Path) -> None:
    gpkg = exported / "deir.gpkg"
    uris = [f"{gpkg}|layername={name}" for name in
            ("incidents", "sources", "control_lines", "zones")]
    result = qgis_probe(tmp_path, uris)
    assert result["version"].startswith("3.")
    layers = [result["layers"][u] for u in uris]
    _check_incidents(layers[0])
    sources = layers[1]
    assert sources["valid"] and sources["feature_count"] == 10
    assert sources["geometry_type"] == "NoGeometry"
    assert sources["field_types"]["published"] == QDATE
    assert sources["field_types"]["position"] == QINT
    assert sources["first"]["incident_id"] == "inc-mayadeen"
    _check_lines(layers[2], "MultiLineString")
    _check_zones(layers[3], "MultiPolygon")


def test_qgis_opens_the_geojson_files_with_their_qml(qgis_probe, exported: Path,
                                                     tmp_path: Path) -> None:
    uris = [str(exported / n) for n in
            ("deir.geojson", "deir.control_lines.geojson", "deir.zones.geojson")]
    result = qgis_probe(tmp_path, uris)
    layers = [result["layers"][u] for u in uris]
    _check_incidents(layers[0])
    _check_lines(layers[1], "LineString")
    _check_zones(layers[2], "Polygon")


def test_qgis_opens_the_kml(qgis_probe, exported: Path, tmp_path: Path) -> None:
    uris = [f"{exported / 'deir.kml'}|layername={n}"
            for n in ("Incidents", "Control lines", "Zones")]
    result = qgis_probe(tmp_path, uris)
    counts = [result["layers"][u]["feature_count"] for u in uris]
    assert counts == [7, 1, 2]
    inc = result["layers"][uris[0]]
    assert inc["crs"] == "EPSG:4326"
    assert inc["field_types"]["fatalities_best"] == QINT  # typed through the KML Schema
    assert inc["first"]["id"] == "inc-mayadeen"


def test_qgis_draws_each_party_on_its_own_bank(qgis_probe, exported: Path,
                                               tmp_path: Path) -> None:
    """Render the control line in QGIS: the left party's colour (SDF, yellow) on the left of the
    river looking downstream (its east/north side here), the right party's (red) on the right."""
    (x0, y0), (x1, y1) = EUPHRATES[3], EUPHRATES[4]  # a reach running south-east
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    n = math.hypot(x1 - x0, y1 - y0)
    lx, ly = -(y1 - y0) / n, (x1 - x0) / n  # unit normal to the left of the flow
    extent, px = 0.2, 400
    step = extent / px * 4.2  # 1.1 mm at 96 dpi, where the bands are drawn
    points = [[mx + lx * step, my + ly * step], [mx - lx * step, my - ly * step], [mx, my]]
    renders = [{"uri": f"{exported / 'deir.gpkg'}|layername=control_lines",
                "extent": [mx - extent / 2, my - extent / 2, mx + extent / 2, my + extent / 2],
                "size": [px, px], "points": points},
               {"uri": str(exported / "deir.control_lines.geojson"),
                "extent": [mx - extent / 2, my - extent / 2, mx + extent / 2, my + extent / 2],
                "size": [px, px], "points": points}]
    result = qgis_probe(tmp_path, [], renders)
    for left, right, centre in result["renders"]:
        assert left[0] > 200 and left[1] > 180 and left[2] < 120, left  # yellow #f1c40f
        assert right[0] > 170 and right[1] < 130, right  # red #c0392b
        assert centre[2] > centre[0], centre  # the line itself, blue #1f618d


def test_qgis_draws_incidents_in_the_maps_visual_language(qgis_probe, exported: Path,
                                                          tmp_path: Path) -> None:
    """The clash at Qasr al-Halabat (at the named place) is a filled marker in the Battles
    colour; the Homs desert attack (region level) is hollow, inside a dashed ring of 50 km drawn
    to scale."""
    battles = tuple(int(type_style("Battles").color[i:i + 2], 16) for i in (1, 3, 5))
    renders = []
    for lon, lat in ((38.17, 34.37), (37.9, 34.55)):
        renders.append({"uri": f"{exported / 'deir.gpkg'}|layername=incidents",
                        "extent": [lon - 1, lat - 1, lon + 1, lat + 1], "size": [400, 400],
                        # the centre, and a point 50 km east (on the ring if one is drawn)
                        "points": [[lon, lat], [lon + 50 / (111.32 * math.cos(math.radians(
                            lat))), lat]]})
    (filled, _), (hollow, ring) = qgis_probe(tmp_path, [], renders)["renders"]
    assert all(abs(c - (0.85 * b + 0.15 * 255)) < 25 for c, b in zip(filled, battles,
                                                                       strict=True)), filled
    assert min(hollow) > 200, hollow  # light inside (the filled one's blue channel is ~40)
    assert ring[0] > ring[2] + 20, ring  # an orange-ish dash where the ring crosses


@pytest.fixture(scope="module")
def ogrinfo() -> str:
    exe = shutil.which("ogrinfo")
    if not exe:
        _missing("ogrinfo (Debian package gdal-bin)")
    return exe


@pytest.mark.parametrize("name,skip_libkml", [
    ("deir.gpkg", False), ("deir.geojson", False), ("deir.control_lines.geojson", False),
    ("deir.zones.geojson", False), ("deir.kml", False), ("deir.kml", True),
    ("deir.csv", False)])
def test_ogrinfo_reads_every_file_without_warnings(ogrinfo: str, exported: Path, name: str,
                                                   skip_libkml: bool) -> None:
    args = [ogrinfo, "-ro", "-al"]
    if skip_libkml:  # GDAL's plain KML driver as well as LIBKML
        args += ["--config", "GDAL_SKIP", "LIBKML"]
    proc = subprocess.run([*args, str(exported / name)], capture_output=True, text=True,
                          check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    output = proc.stdout + proc.stderr
    assert "Warning" not in output and "ERROR" not in output, output[:2000]
    assert "successful" in proc.stdout
    counts = [int(c) for c in re.findall(r"Feature Count: (\d+)", proc.stdout)]
    expected = {"deir.gpkg": [7, 1, 2, 10, 3], "deir.kml": [7, 1, 2], "deir.csv": [7],
                "deir.geojson": [7], "deir.control_lines.geojson": [1],
                "deir.zones.geojson": [2]}[name]
    assert counts == expected


def test_qgis_opens_an_export_of_the_worked_example(qgis_probe, cli, ne_levant: Path,
                                                    tmp_path: Path) -> None:
    """The real Euphrates line (Natural Earth) and its clipped zones, through the command."""
    src = tmp_path / "seeds.csv"
    incidents_frame().drop(columns="geometry").to_csv(src, index=False)
    spec = HERE.parent / "data" / "lines" / "deir-ez-zor-2018.yaml"
    out = tmp_path / "dz.gpkg"
    proc = cli("export", str(src), "--lines", str(spec), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    uris = [f"{out}|layername={n}" for n in ("incidents", "control_lines", "zones")]
    result = qgis_probe(tmp_path, uris)
    inc, line, zones = (result["layers"][u] for u in uris)
    assert inc["feature_count"] == 7 and inc["renderer"] == "categorizedSymbol"
    assert inc["field_types"]["near_line"] == QBOOL
    assert inc["field_types"]["line_distance_km"] == QDOUBLE
    assert line["feature_count"] == 1 and line["geometry_type"] == "MultiLineString"
    assert line["categories"][0]["value"] == "deir-ez-zor-2018"
    assert [c["color"] for c in zones["categories"]] == ["#2471a3", "#c0392b", "#9e9e9e"]
    assert zones["crs"] == "EPSG:4326" and zones["feature_count"] == 2
