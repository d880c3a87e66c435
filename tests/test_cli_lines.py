"""``geoevents lines`` as a user runs it: build the worked example, give incidents sides, and
the messages for bad input (exit 2, no traceback)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd

from .conftest import ROOT

EXAMPLE = ROOT / "data/lines/deir-ez-zor-2018.yaml"


def test_build_the_worked_example(cli, ne_levant: Path, tmp_path: Path) -> None:
    out = tmp_path / "dz.geojson"
    r = cli("lines", "build", str(EXAMPLE), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "deir-ez-zor-2018: Euphrates from Al-Tabqa to Ālbū Kamāl" in r.stderr
    assert "left bank east: SDF and US-led coalition" in r.stderr
    assert "right bank west: Syrian government and Russia" in r.stderr
    assert "wrote 1 line(s) and 2 zone(s)" in r.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    props = [f["properties"] for f in data["features"]]
    assert [(p["layer"], p["id"]) for p in props] == [
        ("lines", "deir-ez-zor-2018"), ("zones", "deir-ez-zor-2018-left"),
        ("zones", "deir-ez-zor-2018-right")]
    assert props[2]["party"] == "Syrian government and Russia" and props[2]["side"] == "west"
    again = tmp_path / "again.geojson"
    assert cli("lines", "build", str(EXAMPLE), "-o", str(again)).returncode == 0
    assert out.read_bytes() == again.read_bytes()
    # QGIS/GDAL read it as one layer with the 'layer' attribute to filter on.
    frame = gpd.read_file(out)
    assert sorted(frame["layer"]) == ["lines", "zones", "zones"]


def test_sides_command(cli, ne_levant: Path, tmp_path: Path) -> None:
    from maps.schema import INCIDENT_COLUMNS

    rows = []
    for i, (lat, lon, prec, date) in enumerate([(35.02, 40.40, 1, "2018-02-07"),  # W of Mayadin
                                                (35.10, 40.60, 1, "2018-02-07"),  # east bank
                                                (35.10, 40.60, 1, "2016-02-07"),  # before
                                                (35.019, 40.4515, 1, "2018-02-07")]):  # Mayadin
        row = dict.fromkeys(INCIDENT_COLUMNS, "")
        row.update(id=f"inc-{i}", date_start=date, date_end=date, geo_precision=prec, lat=lat,
                   lon=lon, source_count=1)
        rows.append(row)
    src = tmp_path / "incidents.csv"
    gpd.pd.DataFrame(rows).to_csv(src, index=False)
    out = tmp_path / "sided.csv"
    r = cli("lines", "sides", str(src), "-l", str(EXAMPLE), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "4 incident(s): 2 given a side, 1 near a line (no side), 1 outside" in r.stderr
    table = gpd.pd.read_csv(out, keep_default_na=False)
    assert table["zone_side"].tolist() == ["west", "east", "", ""]
    assert table["near_line"].tolist() == [False, False, False, True]
    assert table["line_id"].tolist() == ["deir-ez-zor-2018"] * 2 + ["", "deir-ez-zor-2018"]


def test_bad_specs_exit_2_with_the_place_of_the_mistake(cli, ne_levant: Path,
                                                         tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("river: Eufrates\nfrom: Tabqa\nto: Al-Bukamal\nbanks: {west: A, east: B}\n"
                    "width_km: 5000\n")
    r = cli("lines", "build", str(spec), "-o", str(tmp_path / "x.geojson"))
    assert r.returncode == 2
    assert f"{spec}:1: field 'river': unknown river 'Eufrates'; did you mean Euphrates?" \
        in r.stderr
    assert "Traceback" not in r.stderr
    spec.write_text("river: Euphrates\nfrom: Tabqa\nto: Al-Bukamal\nbanks: {west: A, east: B}\n"
                    "width_km: 5000\n")
    r = cli("lines", "build", str(spec), "-o", str(tmp_path / "x.geojson"))
    assert r.returncode == 2
    assert "field 'width_km': width_km must be more than 0 and at most 1,000 km, not 5,000" \
        in r.stderr
    assert not (tmp_path / "x.geojson").exists()
    r = cli("lines", "build", str(tmp_path / "none.yaml"), "-o", str(tmp_path / "x.geojson"))
    assert r.returncode == 2 and "none.yaml: no such file" in r.stderr


def test_rivers_need_natural_earth_and_say_so(cli, tmp_path: Path) -> None:
    r = cli("lines", "build", str(EXAMPLE), "-o", str(tmp_path / "x.geojson"),
            env={"GEOEVENTS_HOME": str(tmp_path / "empty-home"),
                 "GEOEVENTS_INDEX": str(Path(os.environ["GEOEVENTS_HOME"]) / "gazetteer.sqlite")})
    assert r.returncode == 2
    assert "the Natural Earth layer 'rivers' is not installed (control lines along rivers)" \
        in r.stderr
    assert "geoevents data install naturalearth" in r.stderr
    assert "Traceback" not in r.stderr


def test_help(cli) -> None:
    r = cli("lines", "--help")
    assert r.returncode == 0 and "lines build SPEC.yaml -o lines.geojson" in r.stdout
    r = cli("lines")
    assert r.returncode == 2 and "build" in r.stderr
    r = cli("data", "install", "--help")
    assert r.returncode == 0 and "--from DIR" in r.stdout


def test_sides_reports_rows_with_bad_coordinates(cli, ne_levant: Path, tmp_path: Path) -> None:
    """Issue 17 item 6: every input row is in the output or in the rejection report."""
    from maps.schema import INCIDENT_COLUMNS

    coords = [(35.02, 40.40), (35.10, 40.60), ("abc", 40.6), (95, 40.6), (35.1, ""), ("", ""),
              (35.1, 200), ("35,1", "40,6")]
    rows = []
    for i, (lat, lon) in enumerate(coords):
        row = dict.fromkeys(INCIDENT_COLUMNS, "")
        row.update(id=f"inc-{i}", date_start="2018-02-07", date_end="2018-02-07",
                   geo_precision=1, lat=lat, lon=lon, source_count=1)
        rows.append(row)
    src = tmp_path / "incidents.csv"
    gpd.pd.DataFrame(rows).to_csv(src, index=False)
    out, rej = tmp_path / "sided.csv", tmp_path / "rejected.csv"
    r = cli("lines", "sides", str(src), "-l", str(EXAMPLE), "-o", str(out), "--rejections",
            str(rej))
    assert r.returncode == 1, r.stderr
    assert "2 incident(s): 2 given a side" in r.stderr
    # the one report of every command: the rejections (up to ten), then the summary line
    assert f"geoevents lines sides: rejected: {src}:4 [lat]: lat 'abc' is not a number" in r.stderr
    assert f"2 of 8 rows read; 6 rejected: see {rej}" in r.stderr
    kept = gpd.pd.read_csv(out, keep_default_na=False)
    report = gpd.pd.read_csv(rej, keep_default_na=False)
    assert len(kept) + len(report) == len(coords)
    assert report["line"].tolist() == [4, 5, 6, 7, 8, 9]
    assert "Traceback" not in r.stderr


def test_a_colour_that_is_not_a_colour_is_refused(cli, tmp_path: Path) -> None:
    """Issue 17 item 8: 'notacolor' is named with file, line and field, nothing is written."""
    spec = tmp_path / "c.yaml"
    spec.write_text(EXAMPLE.read_text(encoding="utf-8").replace('"#c0392b"', "notacolor"),
                    encoding="utf-8")
    r = cli("lines", "build", str(spec), "-o", str(tmp_path / "x.geojson"))
    assert r.returncode == 2
    assert (f"{spec}:27: field 'banks.west.color': 'notacolor' is not a colour; use #rrggbb, "
            "#rgb or a CSS colour name") in r.stderr
    assert not (tmp_path / "x.geojson").exists()
    spec.write_text(EXAMPLE.read_text(encoding="utf-8").replace('"#1b2631"', "DarkRed"),
                    encoding="utf-8")
    from geoevents.control.lines import load_specs

    assert load_specs(spec)[0].color == "DarkRed"  # CSS names in any case are colours
