"""``geoevents map`` and ``geoevents brief`` from the command line."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from . import mapdata
from .test_maps_html import data_of, parse


@pytest.fixture(scope="module")
def seed_geojson(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-map") / "seeds.geojson"
    mapdata.incidents_frame().to_file(path, driver="GeoJSON")
    return path


def test_map_writes_html_png_svg_and_fragment(cli, ne_levant, seed_geojson: Path,
                                              tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "map.html"
    r = cli("map", str(seed_geojson), "-o", str(out), "--png", str(tmp_path / "map.png"),
            "--svg", str(tmp_path / "map.svg"), "--fragment", str(tmp_path / "frag.html"),
            "--title", "Seed incidents")
    assert r.returncode == 0, r.stderr
    assert "7 incidents" in r.stderr
    page = out.read_text(encoding="utf-8")
    assert parse(page).loads == []
    doc = data_of(page)
    assert sorted(doc["inc"]["id"]) == sorted(row["id"] for row in mapdata.seed_rows())
    # the GeoJSON round trip keeps the per-source figures and the quotes
    from maps.html import record

    x = record(doc, doc["inc"]["id"].index("inc-mayadeen"))
    assert any(c[6].startswith("35 pro-government") for c in x["cas"])
    assert x["ds"] == "2018-05-23"
    # the installed Natural Earth layers make the basemap
    bands = doc["base"]["bands"]
    assert [b["z"] for b in bands] == [0, 6, 8.5]  # one basemap per zoom band
    assert all(b["countries"]["features"] for b in bands)
    # the detailed band keeps more of the coast and rivers than the small-scale one
    assert len(json.dumps(bands[2]["countries"])) > 2 * len(json.dumps(bands[0]["countries"]))
    # place labels from the gazetteer: towns and the villages between them, English names
    names = [p[2] for p in doc["base"]["places"]]
    assert len(names) > 500
    for name in ("Deir ez-Zor", "Mayadin", "Hajin", "Abu Kamal", "Al Asharah", "Dhiban",
                 "Palmyra", "Homs"):
        assert name in names, name
    # English exonyms, never the romanisation first (the class: no mark of one in any label)
    assert not {"Tadmur", "Al Mayadin", "Al Mayādīn", "Dayr az Zawr", "Hims"} & set(names)
    import unicodedata
    marks = {"\u0304", "\u0323", "\u0331", "\u032e", "\u2018", "\u2019", "\u02bf", "\u02be"}
    assert not [n for n in names if marks & set(unicodedata.normalize("NFKD", n))]
    assert x["nm"] == "Mayadin"  # the popup's and the brief's name of the Mayadeen attack
    img = Image.open(io.BytesIO((tmp_path / "map.png").read_bytes()))
    assert img.format == "PNG" and img.size[0] >= 1200
    svg = ET.fromstring((tmp_path / "map.svg").read_bytes())
    assert svg.tag.endswith("svg")
    frag = (tmp_path / "frag.html").read_text(encoding="utf-8")
    assert frag.startswith("<figure") and "srcdoc=" in frag
    # deterministic: the same command gives the same files
    r2 = cli("map", str(seed_geojson), "-o", str(tmp_path / "map2.html"),
             "--png", str(tmp_path / "map2.png"), "--title", "Seed incidents")
    assert r2.returncode == 0, r2.stderr
    assert (tmp_path / "map2.html").read_bytes() == out.read_bytes()
    assert (tmp_path / "map2.png").read_bytes() == (tmp_path / "map.png").read_bytes()


def test_brief_writes_one_page(cli, ne_levant, seed_geojson: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    r = cli("brief", str(seed_geojson), "-o", str(out), "--title", "Morning brief <1>")
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert "<title>Morning brief &lt;1&gt;</title>" in page
    assert len(re.findall(r"<tr data-incident=", page)) == 7
    assert "data:image/png;base64," in page and "<iframe" in page
    loads = parse(page).loads
    assert loads and all(x.startswith("img[src]=data:image/png") for x in loads)
    # the table names places by their English exonym first, the gazetteer's name after it
    shown = re.findall(r"<tr data-incident=.*?<b>([^<]*)</b>", page, re.S)
    assert "Mayadin" in shown and "Palmyra" in shown and "Hajin" in shown
    assert not {"Tadmur", "Al Mayādīn", "Al Mayadin", "Hajīn"} & set(shown)


def test_map_without_natural_earth_warns_and_still_draws(cli, seed_geojson: Path,
                                                        tmp_path: Path) -> None:
    home = tmp_path / "empty-home"
    home.mkdir()
    out = tmp_path / "bare.html"
    r = cli("map", str(seed_geojson), "-o", str(out), env={"GEOEVENTS_HOME": str(home)})
    assert r.returncode == 0, r.stderr
    assert "geoevents data install naturalearth" in r.stderr
    assert data_of(out.read_text(encoding="utf-8"))["base"] is None
    r = cli("map", str(seed_geojson), "-o", str(tmp_path / "nb.html"), "--no-basemap",
            env={"GEOEVENTS_HOME": str(home)})
    assert r.returncode == 0 and "naturalearth" not in r.stderr


def test_map_input_errors(cli, seed_geojson: Path, tmp_path: Path) -> None:
    r = cli("map", str(tmp_path / "missing.geojson"), "-o", str(tmp_path / "x.html"))
    assert r.returncode == 2
    assert "missing.geojson" in r.stderr and "Traceback" not in r.stderr
    # an output folder that does not exist: a clear message, nothing written
    r = cli("map", str(seed_geojson), "--no-basemap", "-o", str(tmp_path / "nowhere" / "x.html"))
    assert r.returncode == 2 and "nowhere" in r.stderr and "does not exist" in r.stderr
    assert not (tmp_path / "nowhere").exists() and "Traceback" not in r.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("id,lat\n1,2\n", encoding="utf-8")
    r = cli("map", str(bad), "-o", str(tmp_path / "x.html"), "--no-basemap")
    assert r.returncode == 2 and "bad.csv" in r.stderr and "Traceback" not in r.stderr
    r = cli("map", "--tiles", "ftp://x/{z}/{x}/{y}.png", str(seed_geojson), "--no-basemap",
            "-o", str(tmp_path / "x.html"))
    assert r.returncode == 2 and "tiles" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.html").exists()


def test_help_names_the_options(cli) -> None:
    r = cli("map", "--help")
    assert r.returncode == 0
    for opt in ("--png", "--svg", "--fragment", "--title", "--tiles", "--lines", "--meta",
                "--published", "--no-basemap"):
        assert opt in r.stdout
    r = cli("brief", "--help")
    assert r.returncode == 0 and "--output" in r.stdout


def test_map_with_the_2018_euphrates_line(cli, ne_levant, seed_geojson: Path,
                                          tmp_path: Path) -> None:
    from maps.html import record

    spec = Path(__file__).resolve().parents[1] / "data" / "lines" / "deir-ez-zor-2018.yaml"
    out = tmp_path / "lines.html"
    r = cli("map", str(seed_geojson), "--lines", str(spec), "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = data_of(out.read_text(encoding="utf-8"))
    assert [ln["id"] for ln in doc["lines"]] == ["deir-ez-zor-2018"]
    assert sorted(z["side"] for z in doc["zones"]) == ["east", "west"]
    assert any(a.startswith("Control line: Natural Earth") for a in doc["attribution"])
    # every incident carries its control-line fields for the popup; Hajin (east bank, 2018)
    # is in the SDF zone or flagged near the line, never in the government's
    S = doc["S"]
    hajin = record(doc, doc["inc"]["id"].index("inc-hajin"))
    assert hajin["z"] is not None
    party = S[hajin["z"][0]] if hajin["z"][0] is not None else ""
    assert "SDF" in party or hajin["z"][5] is True
    palmyra = record(doc, doc["inc"]["id"].index("inc-palmyra-halabat"))
    assert not palmyra["z"] or palmyra["z"][0] is None  # 2016: before the line's dates


def test_nothing_to_draw_writes_nothing(cli, tmp_path: Path) -> None:
    """Every row rejected: `map` and `brief` say so, exit 2 and write no file."""
    import csv

    from maps.schema import INCIDENT_COLUMNS

    table = tmp_path / "rejected.csv"
    with open(table, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(INCIDENT_COLUMNS), extrasaction="ignore")
        w.writeheader()
        for row in mapdata.seed_rows()[:3]:
            w.writerow({**row, "lat": "abc", "lon": "abc"})
    for command in ("map", "brief"):
        out = tmp_path / f"{command}.html"
        r = cli(command, str(table), "--no-basemap", "-o", str(out))
        assert r.returncode == 2, r.stderr
        assert "nothing" in r.stderr and "3" in r.stderr, r.stderr
        assert r.stderr.count("not mapped") == 3 and "Traceback" not in r.stderr
        assert not out.exists()


def test_map_draws_areas_and_hexagons_files_without_incidents(cli, tmp_path: Path) -> None:
    """`map --areas` / `--hexagons` take the files `areas build` and `archive hexagons` write;
    with only those, no INPUT is needed.  A file of another kind is refused by name."""
    square = [[[40.0, 35.0], [40.5, 35.0], [40.5, 35.5], [40.0, 35.5], [40.0, 35.0]]]
    areas = tmp_path / "areas.geojson"
    areas.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square},
         "properties": {"party": "Party of the test", "status": "held", "color": "#aa3322",
                        "as_of": "2018-05-01", "valid_from": "2018-05-01", "valid_to": None,
                        "n_places": 3, "sources": "a note", "area_id": "a1"}}]}),
        encoding="utf-8")
    hexes = tmp_path / "hex.geojson"
    hexes.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square},
         "properties": {"cell": "852d0b8ffffffff", "resolution": 5, "count": 7,
                        "period_start": "2018-05-07", "period_end": "2018-05-13"}}]}),
        encoding="utf-8")
    out = tmp_path / "m.html"
    r = cli("map", "--areas", str(areas), "--hexagons", str(hexes), "--no-basemap",
            "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = data_of(out.read_text(encoding="utf-8"))
    assert "Party of the test" in json.dumps(doc)
    assert "852d0b8ffffffff" in json.dumps(doc)
    table = tmp_path / "incidents.csv"
    table.write_text("id,date_start,lat,lon\nx,2018-05-01,35,40\n", encoding="utf-8")
    r = cli("map", str(table), "--areas", str(table), "--no-basemap", "-o",
            str(tmp_path / "m2.html"))
    assert r.returncode == 2 and "not a file of areas" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "m2.html").exists()
