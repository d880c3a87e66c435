"""Control lines along rivers, the zones they divide, and the side of each incident."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
import yaml
from pyproj import Transformer
from shapely.geometry import Point

from gazetteer import Context, InputError, naturalearth, rivers
from geoevents.control import lines as L
from geoevents.control.sides import assign_sides
from maps.schema import check_lines, check_zones

from .conftest import ROOT

EXAMPLE = ROOT / "data/lines/deir-ez-zor-2018.yaml"
RIGHT_WEST = ["Tabqa", "Deir ez-Zor", "Muhassan", "Mūḩ Ḩasan", "Mayadin", "Al-Asharah",
              "Subaykhan", "Al-Bukamal"]
LEFT_EAST = ["Raqqa", "Khasham", "Khushām", "Al-Busayrah", "Dhiban", "Hajin", "Al-Susah"]


def write_spec(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def local(lon: float, lat: float) -> Transformer:
    return Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m",
        always_xy=True)


def project(tr: Transformer, geom):
    return shapely.transform(geom, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))


def incidents(points: list[dict]) -> gpd.GeoDataFrame:
    rows = [{"id": p.get("id", str(i)), "date_start": p.get("date", "2018-05-01"),
             "date_end": p.get("date_end", p.get("date", "2018-05-01")),
             "geo_precision": p.get("precision", 1), "lat": p["lat"], "lon": p["lon"]}
            for i, p in enumerate(points)]
    return gpd.GeoDataFrame(rows, geometry=gpd.points_from_xy([r["lon"] for r in rows],
                                                              [r["lat"] for r in rows]), crs=4326)


@pytest.fixture(scope="module")
def example(ne_levant: Path, gz):
    lines, zones, warnings = L.build_frames(L.load_specs(EXAMPLE), gz)
    return lines, zones, warnings


# ------------------------------------------------------------------------------------------
# The worked example and the correctness checks of issue 5


@pytest.mark.parametrize("source", ["installed levant layer", "full Natural Earth file"])
def test_banks_of_the_euphrates_tabqa_to_al_bukamal(source: str, ne_levant: Path, gz, shared,
                                                    tmp_path: Path) -> None:
    spec_path = EXAMPLE
    if source.startswith("full"):
        raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
        raw["rivers_file"] = str(shared / "naturalearth/ne_10m_rivers_lake_centerlines.geojson")
        spec_path = write_spec(tmp_path, yaml.safe_dump(raw, allow_unicode=True))
    lines, zones, warnings = L.build_frames(L.load_specs(spec_path), gz)
    assert warnings == []
    line = lines.iloc[0]
    assert (line.side_left, line.side_right) == ("east", "west")
    assert line.party_right == "Syrian government and Russia"
    assert line.party_left == "SDF and US-led coalition"
    assert (line.stretch_from, line.stretch_to) == ("Al-Tabqa", "Ālbū Kamāl")
    assert 330 < line.length_km < 430
    by_bank = {z.bank: z for z in zones.itertuples()}
    assert by_bank["right"].side == "west" and by_bank["left"].side == "east"
    for names, bank in ((RIGHT_WEST, "right"), (LEFT_EAST, "left")):
        for name in names:
            r = gz.resolve(name, Context(countries=("SY",)))
            assert r.resolved, name
            pt = Point(r.lon, r.lat)
            assert by_bank[bank].geometry.contains(pt), (name, bank)
            other = "left" if bank == "right" else "right"
            assert not by_bank[other].geometry.contains(pt), (name, other)


def test_example_frames_follow_the_schema(example) -> None:
    lines, zones, _ = example
    check_lines(lines)
    check_zones(zones)
    assert list(zones["id"]) == ["deir-ez-zor-2018-left", "deir-ez-zor-2018-right"]
    assert list(zones["party"]) == ["SDF and US-led coalition", "Syrian government and Russia"]
    assert list(zones["color"]) == ["#2471a3", "#c0392b"]
    assert set(zones["valid_from"]) == {"2017-09-01"} and set(zones["valid_to"]) == {"2019-12-31"}
    assert lines.iloc[0]["source"].startswith("Natural Earth ne_10m_rivers_lake_centerlines")
    assert "Al Furat" in lines.iloc[0]["source"]


def test_zones_do_not_overlap_and_meet_along_the_line(example) -> None:
    lines, zones, _ = example
    line = lines.geometry.iloc[0]
    mid = line.interpolate(0.5, normalized=True)
    tr = local(mid.x, mid.y)
    left, right = (project(tr, g) for g in zones.geometry)
    pline = project(tr, line)
    assert left.intersection(right).area < 1.0  # m2
    shared_edge = left.boundary.intersection(right.boundary)
    assert shared_edge.length > 0.99 * pline.length
    # The zones meet along the river (the stretch, and its continuation within the zone width
    # past the ends) and nowhere else.
    river = project(tr, rivers.river("Euphrates").geometry)
    assert shared_edge.difference(river.buffer(1.0)).length < 1.0
    assert pline.buffer(1.0).difference(left.union(right).buffer(1.0)).area < 1.0


def test_widths_are_true_kilometres(ne_levant: Path, gz, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, """
river: Euphrates
from: Deir ez-Zor
to: Al-Bukamal
countries: [SY]
banks: {left: SDF, right: Government}
width_km: 25
""")
    lines, zones, _ = L.build_frames(L.load_specs(spec), gz)
    line = lines.geometry.iloc[0]
    mid = line.interpolate(0.5, normalized=True)
    tr = local(mid.x, mid.y)
    pline = project(tr, line)
    rng = np.random.default_rng(1)
    west, south, east, north = zones.total_bounds
    lon = rng.uniform(west - 0.1, east + 0.1, 4000)
    lat = rng.uniform(south - 0.1, north + 0.1, 4000)
    x, y = tr.transform(lon, lat)
    d = shapely.distance(shapely.points(x, y), pline) / 1000.0
    inside = np.zeros(len(lon), dtype=int)
    for g in zones.geometry:
        inside += shapely.contains_xy(g, lon, lat)
    assert (inside <= 1).all()  # never in both zones
    assert (inside[d < 24.9] == 1).all()  # everything within the width is in one zone
    assert (inside[d > 25.1] == 0).all()  # nothing beyond it
    assert zones["width_km"].tolist() == [25.0, 25.0]


def test_zones_clipped_to_the_country(example, shared: Path) -> None:
    _, zones, _ = example
    countries = gpd.read_file(shared / "naturalearth/ne_10m_admin_0_countries_levant.geojson")
    iraq = countries[countries["ISO_A2"] == "IQ"].geometry.iloc[0]
    syria = countries[countries["ISO_A2"] == "SY"].geometry.iloc[0]
    tr = local(40.9, 34.5)
    for z in zones.geometry:
        assert project(tr, z.intersection(iraq)).area < 1e4  # m2: at most a sliver on the border
        assert z.distance(iraq) < 1e-6  # the zones reach the border at Al-Bukamal
        assert project(tr, z.difference(syria)).area < 1e4
    assert list(zones["clip"]) == ["SY", "SY"]


def test_zones_clipped_to_an_area_from_a_file(ne_levant: Path, gz, tmp_path: Path,
                                              shared: Path) -> None:
    admin = shared / "admin/syr_adm1_geoboundaries.geojson"
    spec = write_spec(tmp_path, f"""
river: Euphrates
from: Tabqa
to: Al-Bukamal
countries: [SY]
banks: {{west: Government, east: SDF}}
clip: {{file: "{admin}", name: "Deir ez-Zor"}}
""")
    lines, zones, _ = L.build_frames(L.load_specs(spec), gz)
    areas = gpd.read_file(admin)
    dez = areas[areas["shapeName"].str.contains("Deir")].geometry.iloc[0]
    tr = local(40.5, 35.0)
    union = project(tr, zones.geometry.iloc[0].union(zones.geometry.iloc[1]))
    assert union.area > 0.99 * project(tr, dez).area  # no width: the whole governorate
    assert union.difference(project(tr, dez)).area < 1e4
    assert lines.iloc[0]["width_km"] != lines.iloc[0]["width_km"]  # NaN: reach = the area
    raqqa = gz.resolve("Raqqa", Context(countries=("SY",)))
    out = assign_sides(incidents([{"lat": raqqa.lat, "lon": raqqa.lon, "precision": 1},
                                    {"lat": 34.8, "lon": 40.3, "precision": 2},
                                    {"lat": 34.9, "lon": 39.6, "precision": 2}]), lines, zones)
    # Raqqa and a point in Homs governorate are not in Deir ez-Zor
    assert out["zone_party"].tolist() == ["", "Government", ""]


def test_clip_to_an_area_the_line_misses(ne_levant: Path, gz, tmp_path: Path) -> None:
    text = (BASE.replace("width_km: 30", "width_km: 10\nclip: {country: Iraq}")
            .replace("to: Al-Bukamal", "to: Mayadin"))
    msg = spec_error(tmp_path, text, gz)
    assert "field 'clip': nothing of the zones is left after clipping to IQ: the Euphrates " \
        "does not pass within 10 km of it" in msg
    msg = spec_error(tmp_path, BASE.replace("width_km: 30", "width_km: 30\nclip: {country: JO}"),
                     gz)
    assert "field 'clip.country': the country JO is not in the installed Natural Earth " \
        "countries layer near the line" in msg


def test_clip_to_admin1_says_which_layer_it_needs(ne_levant: Path, gz, tmp_path: Path) -> None:
    assert naturalearth.installed_path("admin1") is None
    spec = write_spec(tmp_path, """
river: Euphrates
from: Deir ez-Zor
to: Al-Bukamal
banks: {west: Government, east: SDF}
width_km: 30
clip: {admin1: Deir ez-Zor}
""")
    with pytest.raises(naturalearth.NotInstalled) as e:
        L.build_frames(L.load_specs(spec), gz)
    assert "admin1" in str(e.value) and "geoevents data install naturalearth" in str(e.value)
    assert "admin-1" in str(e.value)


def test_clip_to_an_admin1_area(ne_levant: Path, gz, tmp_path: Path, shared: Path,
                                monkeypatch) -> None:
    """With an admin-1 polygons layer installed (here made from geoBoundaries' Syrian
    governorates, with Natural Earth's column names) zones clip to a province by name."""
    monkeypatch.setenv("GEOEVENTS_HOME", str(tmp_path / "home"))
    folder = tmp_path / "ne"
    folder.mkdir()
    for f in ne_levant.iterdir():
        (folder / f.name).symlink_to(f.resolve())
    areas = gpd.read_file(shared / "admin/syr_adm1_geoboundaries.geojson")
    areas = areas.rename(columns={"shapeName": "name"}).assign(iso_a2="SY")
    areas[["name", "iso_a2", "geometry"]].to_file(
        folder / "ne_10m_admin_1_states_provinces.geojson", driver="GeoJSON")
    naturalearth.install_from_dir(folder)
    text = (BASE.replace("width_km: 30", "width_km: 60\nclip: {admin1: Dayr az Zawr}")
            .replace("from: Deir ez-Zor", "from: Tabqa"))
    spec = write_spec(tmp_path, text)
    lines, zones, _ = L.build_frames(L.load_specs(spec), gz)
    assert lines.iloc[0]["clip"] == "Dayr az Zawr"
    dez = areas[areas["name"] == "Deir-ez-Zor"].geometry.iloc[0]
    tr = local(40.5, 35.0)
    for z in zones.geometry:
        assert project(tr, z.difference(dez)).area < 1e4
    raqqa = gz.resolve("Raqqa", Context(countries=("SY",)))
    assert not any(z.contains(Point(raqqa.lon, raqqa.lat)) for z in zones.geometry)


# ------------------------------------------------------------------------------------------
# Bad input


def spec_error(tmp_path: Path, text: str, gz=None, name: str = "spec.yaml") -> str:
    p = write_spec(tmp_path, text, name)
    with pytest.raises(InputError) as e:
        L.build_frames(L.load_specs(p), gz)
    msg = str(e.value)
    assert msg.startswith(str(p)), msg
    return msg


BASE = """\
river: Euphrates
from: Deir ez-Zor
to: Al-Bukamal
countries: [SY]
valid_from: 2017-09-01
valid_to: 2019-12-31
banks: {west: Government, east: SDF}
width_km: 30
"""


def test_unknown_river_suggests(tmp_path: Path) -> None:
    msg = spec_error(tmp_path, BASE.replace("Euphrates", "Eufrates"))
    assert f"{tmp_path / 'spec.yaml'}:1: field 'river': unknown river 'Eufrates'" in msg
    assert "did you mean Euphrates" in msg


def test_stretch_end_far_from_the_river_says_how_far(ne_levant: Path, gz, tmp_path: Path) -> None:
    msg = spec_error(tmp_path, BASE.replace("from: Deir ez-Zor", "from: Palmyra"), gz)
    assert ":2: field 'from':" in msg
    m = re.search(r"the stretch end 'Tadmur' \(34\.\d+, 38\.\d+\) is ([\d,.]+) km from the "
                  r"Euphrates; a stretch end must be within 25 km", msg)
    assert m, msg
    # Palmyra is about 110-130 km from the nearest bend of the Euphrates (near Raqqa/Ma'adan)
    assert 90 < float(m.group(1).replace(",", "")) < 160


def test_reversed_dates(tmp_path: Path) -> None:
    msg = spec_error(tmp_path, BASE.replace("valid_to: 2019-12-31", "valid_to: 2016-12"))
    assert ":6: field 'valid_to': the dates are reversed: valid_from 2017-09-01 is after " \
           "valid_to 2016-12-31" in msg
    msg = spec_error(tmp_path, BASE.replace("2017-09-01", "2017-13-01"))
    assert "field 'valid_from': '2017-13-01' is not a date" in msg


@pytest.mark.parametrize(("width", "shown"), [("0", "0"), ("5000", "5,000"), ("5,000", "5,000"),
                                              ("-3", "-3")])
def test_width_out_of_range(tmp_path: Path, width: str, shown: str) -> None:
    msg = spec_error(tmp_path, BASE.replace("width_km: 30", f'width_km: "{width}"'))
    assert f":8: field 'width_km': width_km must be more than 0 and at most 1,000 km, not " \
           f"{shown}" in msg


def test_geojson_that_is_not_a_line(tmp_path: Path) -> None:
    poly = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "name": "Front", "banks": {"west": "A", "east": "B"}, "width_km": 10},
        "geometry": {"type": "Polygon", "coordinates": [[[40, 35], [41, 35], [41, 36], [40, 35]]]}}]}
    msg = spec_error(tmp_path, json.dumps(poly), name="front.geojson")
    assert "feature 1 ('Front') is a Polygon; a control line must be a LineString" in msg
    apart = {"type": "MultiLineString", "coordinates": [[[40, 35], [40, 35.5]],
                                                        [[41, 35], [41, 35.5]]]}
    msg = spec_error(tmp_path, json.dumps(apart), name="apart.geojson")
    assert "2 parts do not join into one line" in msg
    msg = spec_error(tmp_path, "{\"type\": \"FeatureCollection\", \"features\": []}",
                     name="empty.geojson")
    assert "holds no feature" in msg
    msg = spec_error(tmp_path, "[1, 2", name="broken.geojson")
    assert "not valid GeoJSON" in msg


@pytest.mark.parametrize(("change", "expected"), [
    (("width_km: 30", "widht_km: 30"), ":8: field 'widht_km': unknown field(s) widht_km"),
    (("banks: {west: Government, east: SDF}", "banks: {west: Government, north: SDF}"),
     "banks must be two opposite sides"),
    (("banks: {west: Government, east: SDF}", "banks: {upstream: A, downstream: B}"),
     "unknown bank 'upstream'"),
    (("banks: {west: Government, east: SDF}", ""), "say who holds each bank"),
    (("banks: {west: Government, east: SDF}", "banks: {west: {party: A, color: 'red;x'}, east: B}"),
     "'red;x' is not a colour"),
    (("to: Al-Bukamal\n", ""), "give both 'from' and 'to'"),
    (("width_km: 30\n", ""), "say how far the zones reach"),
    (("river: Euphrates\n", ""), "say which line"),
    (("from: Deir ez-Zor", "from: {lat: 95, lon: 40}"), "is not a latitude, longitude"),
])
def test_spec_mistakes_are_named(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    assert expected in spec_error(tmp_path, BASE.replace(*change))


def test_bad_yaml_and_wrong_file_types(tmp_path: Path) -> None:
    assert "not valid YAML" in spec_error(tmp_path, "river: [Euphrates\nfrom: x\n")
    assert "a YAML mapping" in spec_error(tmp_path, "- a\n- b\n")
    with pytest.raises(InputError, match=r"YAML .* or a GeoJSON line"):
        L.load_specs(write_spec(tmp_path, "x", "spec.txt"))
    with pytest.raises(InputError, match="no such file"):
        L.load_specs(tmp_path / "missing.yaml")


def test_unknown_place_and_ambiguous_compass(ne_levant: Path, gz, tmp_path: Path) -> None:
    msg = spec_error(tmp_path, BASE.replace("from: Deir ez-Zor", "from: Xqzvillebbb"), gz)
    assert "the place 'Xqzvillebbb' is not in the gazetteer" in msg
    due_east = {"type": "Feature", "properties": {"banks": {"west": "A", "east": "B"},
                                                  "width_km": 10},
                "geometry": {"type": "LineString", "coordinates": [[38, 35], [39, 35.05]]}}
    msg = spec_error(tmp_path, json.dumps(due_east), name="road.geojson")
    assert "runs towards the east" in msg and "'west' and 'east' banks are ambiguous" in msg


# ------------------------------------------------------------------------------------------
# Drawn lines and incident sides


def drawn(tmp_path: Path, props: dict, coords=((40.0, 35.0), (40.0, 36.0)),
          name: str = "front.geojson") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": props,
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]}}]}))
    return p


def test_drawn_line_left_is_relative_to_the_drawing_direction(tmp_path: Path) -> None:
    # Drawn northward: the left bank is the west.
    p = drawn(tmp_path, {"id": "Front 1", "banks": {"left": "A", "right": "B"}, "width_km": 20,
                         "color": "#000"})
    lines, zones, _ = L.build_frames(L.load_specs(p))
    row = lines.iloc[0]
    assert (row.id, row.kind, row.river, row.side_left, row.side_right) == (
        "front-1", "custom", "", "west", "east")
    assert row.source == "front.geojson"
    left = zones[zones.bank == "left"].geometry.iloc[0]
    assert left.contains(Point(39.9, 35.5)) and not left.contains(Point(40.1, 35.5))
    # The same line drawn southward, with compass banks given flat in the properties.
    p2 = drawn(tmp_path, {"party_west": "A", "party_east": "B", "color_east": "#00f",
                          "width_km": 20}, coords=((40.0, 36.0), (40.0, 35.0)), name="s.geojson")
    lines2, _zones2, _ = L.build_frames(L.load_specs(p2))
    assert (lines2.iloc[0].side_left, lines2.iloc[0].party_left) == ("east", "B")
    assert lines2.iloc[0].color_left == "#00f"
    # A YAML spec can take its geometry from the GeoJSON.
    y = write_spec(tmp_path, "geometry_file: s.geojson\nbanks: {west: X, east: Y}\nwidth_km: 5\n")
    lines3, _, _ = L.build_frames(L.load_specs(y))
    assert lines3.iloc[0].kind == "custom" and lines3.iloc[0].party_right == "X"


def test_incident_sides_dates_and_uncertainty(tmp_path: Path) -> None:
    # Northward line at lon 40; left = west = "A".  At lat 35.5, 0.01 deg lon = 0.907 km.
    p = drawn(tmp_path, {"id": "f", "banks": {"west": "A", "east": "B"}, "width_km": 60,
                         "valid_from": "2018-01", "valid_to": "2018-12"})
    lines, zones, _ = L.build_frames(L.load_specs(p))
    cases = [
        # (lon, precision, date, date_end) -> (party, bank, side, near)
        (39.80, 1, "2018-05-01", None, ("A", "left", "west", False)),   # 18 km west
        (40.20, 1, "2018-05-01", None, ("B", "right", "east", False)),  # 18 km east
        (40.02, 1, "2018-05-01", None, ("", "", "", True)),             # 1.8 km < 2 km
        (40.03, 1, "2018-05-01", None, ("B", "right", "east", False)),  # 2.7 km > 2 km
        (40.10, 2, "2018-05-01", None, ("", "", "", True)),             # 9.1 km < 10 km
        (40.12, 2, "2018-05-01", None, ("B", "right", "east", False)),  # 10.9 km > 10 km
        (39.60, 3, "2018-05-01", None, ("", "", "", True)),             # 36 km < 50 km
        (39.80, 1, "2017-05-01", None, ("", "", "", False)),            # before the line
        (39.80, 1, "2019-01-01", None, ("", "", "", False)),            # after it
        (39.80, 1, "2017-12-20", "2018-01-05", ("A", "left", "west", False)),  # overlaps
        (39.80, 1, "", None, ("", "", "", False)),                      # no date: unknown
        (42.00, 1, "2018-05-01", None, ("", "", "", False)),            # far away
    ]
    frame = incidents([{"lat": 35.5, "lon": lon, "precision": prec, "date": d,
                        "date_end": de or d} for lon, prec, d, de, _ in cases])
    out = assign_sides(frame, lines, zones)
    got = list(zip(out.zone_party, out.zone_bank, out.zone_side, out.near_line, strict=True))
    assert got == [c[-1] for c in cases]
    dist = out["line_distance_km"].tolist()
    assert dist[0] == pytest.approx(18.15, abs=0.1) and dist[2] == pytest.approx(1.82, abs=0.05)
    assert np.isnan(dist[7]) and np.isnan(dist[11])
    assert out["line_id"].tolist() == ["f"] * 7 + ["", "", "f", "", ""]
    assert out["near_line"].dtype == bool
    assert len(out) == len(frame) and list(out["id"]) == list(frame["id"])  # nothing dropped


def test_nearest_valid_line_wins(tmp_path: Path) -> None:
    a = drawn(tmp_path, {"id": "a", "banks": {"west": "A-w", "east": "A-e"}, "width_km": 100},
              name="a.geojson")
    b = drawn(tmp_path, {"id": "b", "banks": {"west": "B-w", "east": "B-e"}, "width_km": 100},
              coords=((40.5, 35.0), (40.5, 36.0)), name="b.geojson")
    lines, zones, _ = L.load([a, b])
    out = assign_sides(incidents([{"lat": 35.5, "lon": 40.1}, {"lat": 35.5, "lon": 40.4},
                                    {"lat": 35.5, "lon": 39.5}]), lines, zones)
    assert out["zone_party"].tolist() == ["A-e", "B-w", "A-w"]
    assert out["line_id"].tolist() == ["a", "b", "a"]
    with pytest.raises(InputError, match="two control lines have the id 'a'"):
        L.load([a, a])


def test_several_lines_in_one_yaml(tmp_path: Path) -> None:
    drawn(tmp_path, {}, name="one.geojson")
    drawn(tmp_path, {}, coords=((41.0, 35.0), (41.0, 36.0)), name="two.geojson")
    p = write_spec(tmp_path, """lines:
  - {id: one, geometry_file: one.geojson, banks: {left: A, right: B}, width_km: 5}
  - {id: two, geometry_file: two.geojson, banks: {left: C, right: D}, width_km: 500}
""")
    lines, zones, _ = L.build_frames(L.load_specs(p))
    assert lines["id"].tolist() == ["one", "two"] and len(zones) == 4
    bad = write_spec(tmp_path, """lines:
  - {id: one, geometry_file: one.geojson, banks: {left: A, right: B}, width_km: 5}
  - {id: two, geometry_file: two.geojson, banks: {left: C, right: D}, width_km: 0}
""", "bad.yaml")
    with pytest.raises(InputError, match=r"bad.yaml:3: field 'lines.1.width_km'"):
        L.load_specs(bad)


# ------------------------------------------------------------------------------------------
# Files and the pipeline


def test_written_file_is_deterministic_and_reads_back(example, ne_levant, gz,
                                                      tmp_path: Path) -> None:
    lines, zones, _ = example
    a = L.write(lines, zones, tmp_path / "a.geojson")
    again = L.build_frames(L.load_specs(EXAMPLE), gz)
    b = L.write(again[0], again[1], tmp_path / "b.geojson")
    assert a.read_bytes() == b.read_bytes()
    data = json.loads(a.read_text(encoding="utf-8"))
    assert [f["properties"]["layer"] for f in data["features"]] == ["lines", "zones", "zones"]
    assert data["features"][0]["geometry"]["type"] == "LineString"
    assert L.is_built_file(a)
    rl, rz = L.read(a)
    check_lines(rl)
    check_zones(rz)
    assert rl.iloc[0]["party_right"] == "Syrian government and Russia"
    assert rz["bank"].tolist() == ["left", "right"]
    # coordinates are rounded to 6 decimals (~0.1 m): the zones differ by no more than that
    assert rz.geometry.iloc[1].symmetric_difference(zones.geometry.iloc[1]).area < 1e-5
    g = L.write(lines, zones, tmp_path / "lz.gpkg")
    gl, gzn = L.read(g)
    assert gl.iloc[0]["side_left"] == "east" and len(gzn) == 2
    # Sides from the built file equal sides from the spec.
    pts = incidents([{"lat": 35.02, "lon": 40.40}, {"lat": 35.1, "lon": 40.6}])
    assert (assign_sides(pts, rl, rz)["zone_party"].tolist()
            == assign_sides(pts, lines, zones)["zone_party"].tolist()
            == ["Syrian government and Russia", "SDF and US-led coalition"])


def test_pipeline_load_frames_with_lines(ne_levant, gz, tmp_path: Path) -> None:
    from geoevents.pipeline import load_frames
    from maps.schema import INCIDENT_COLUMNS, INCIDENT_SIDE_COLUMNS

    row = {c: "" for c in INCIDENT_COLUMNS}
    row.update(id="inc-1", date_start="2018-02-07", date_end="2018-02-07", date_precision="day",
               geo_precision=1, lat=35.02, lon=40.40, source_count=1,
               fatalities_low=None, fatalities_best=None, fatalities_high=None,
               wounded_best=None)
    row2 = {**row, "id": "inc-2", "lat": 35.10, "lon": 40.60}
    frame = gpd.GeoDataFrame([row, row2], geometry=gpd.points_from_xy([40.40, 40.60],
                                                                      [35.02, 35.10]), crs=4326)
    path = tmp_path / "incidents.geojson"
    frame.to_file(path, driver="GeoJSON")
    frames = load_frames([path], lines=[EXAMPLE], gazetteer=gz)
    check_lines(frames.lines)
    check_zones(frames.zones)
    for col in INCIDENT_SIDE_COLUMNS:
        assert col in frames.incidents.columns
    assert frames.incidents["zone_party"].tolist() == ["Syrian government and Russia",
                                                       "SDF and US-led coalition"]
    assert frames.incidents["zone_side"].tolist() == ["west", "east"]


def test_build_opens_the_gazetteer_itself_when_needed(ne_levant: Path, tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("clip: {country: SY}",
                                                       "clip: {country: Syria}")
    lines, _, _ = L.build_frames(L.load_specs(write_spec(tmp_path, text)))
    assert (lines.iloc[0]["clip"], lines.iloc[0]["stretch_to"]) == ("SY", "Ālbū Kamāl")
