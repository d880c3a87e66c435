"""Rivers by name: merged, directed lines from Natural Earth segments with different names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point

from gazetteer import GazetteerError, rivers
from tests.geo import km


@pytest.fixture(scope="module")
def full_rivers(shared: Path) -> Path:
    return shared / "naturalearth/ne_10m_rivers_lake_centerlines.geojson"


def along_km(river: rivers.River, lat: float, lon: float) -> tuple[float, float]:
    """(position along the river from its source in km, distance from the river in km)."""
    from pyproj import Geod
    from shapely.ops import substring

    g = river.geometry
    pos = g.project(Point(lon, lat))
    on = g.interpolate(pos)
    geod = Geod(ellps="WGS84")
    return (geod.geometry_length(substring(g, 0, pos)) / 1000.0, km(lat, lon, on.y, on.x))


@pytest.mark.parametrize("name", ["Euphrates", "euphrates river", "the Euphrates", "Al-Furat",
                                  "Nahr al-Furat", "Fırat", "الفرات"])
def test_lookup_by_any_name(name: str) -> None:
    assert rivers.lookup(name).name == "Euphrates"


def test_lookup_others() -> None:
    assert rivers.lookup("Dicle").name == "Tigris"
    assert rivers.lookup("Asi").name == "Orontes"
    assert rivers.lookup("Khabour").name == "Khabur"
    assert rivers.lookup("Jordan River").name == "Jordan"
    assert rivers.names() == ["Euphrates", "Jordan", "Khabur", "Orontes", "Tigris"]


def test_unknown_river_suggests_names() -> None:
    with pytest.raises(rivers.UnknownRiver) as e:
        rivers.lookup("Eufrates")
    assert "unknown river 'Eufrates'" in str(e.value)
    assert "did you mean Euphrates" in str(e.value)
    with pytest.raises(rivers.UnknownRiver, match="Known rivers: Euphrates, Jordan"):
        rivers.lookup("Mississippi")


def test_euphrates_is_one_directed_line(full_rivers: Path) -> None:
    r = rivers.river("Euphrates", source=full_rivers)
    assert r.segments == ("Firat", "Al Furat", "Euphrates")
    g = r.geometry
    assert g.geom_type == "LineString" and g.is_simple
    # From eastern Anatolia down to Al-Qurnah, where it meets the Tigris.
    src, mouth = g.coords[0], g.coords[-1]
    assert src[1] > 39.0 and 38.5 < src[0] < 42.5
    assert km(mouth[1], mouth[0], 31.0, 47.44) < 10
    assert 2200 < r.length_km < 2900
    # Through the Lake Assad centreline (the Tabqa dam) and on, in order downstream.
    order = []
    for lat, lon in [(36.83, 38.01),   # Jarabulus (Turkish border)
                     (35.87, 38.56),   # Tabqa dam
                     (35.95, 39.01),   # Raqqa
                     (35.34, 40.14),   # Deir ez-Zor
                     (34.45, 40.92),   # Al-Bukamal
                     (33.42, 43.30),   # Ramadi
                     (32.05, 44.44),   # Kufa
                     (31.06, 46.26)]:  # Nasiriyah
        pos, off = along_km(r, lat, lon)
        assert off < 6, (lat, lon, off)
        order.append(pos)
    assert order == sorted(order)
    # The Lake Assad centreline is part of the river, in the downstream direction.
    import pyogrio

    lake = pyogrio.read_dataframe(full_rivers, where="name = 'Al Furat' AND featurecla = "
                                  "'Lake Centerline'").geometry.iloc[0]
    inner = list(lake.coords)[1:-1]  # digitised from the dam up the lake
    river_coords = list(g.coords)
    at = [river_coords.index(c) for c in inner]
    assert at == sorted(at, reverse=True)  # the river runs it the other way: into the lake


def test_tigris_and_jordan(full_rivers: Path) -> None:
    t = rivers.river("Tigris", source=full_rivers)
    assert t.segments == ("Dicle", "Tigris")
    assert km(t.geometry.coords[-1][1], t.geometry.coords[-1][0], 31.0, 47.44) < 10
    mosul, baghdad = along_km(t, 36.34, 43.13), along_km(t, 33.34, 44.40)
    assert mosul[1] < 5 and baghdad[1] < 5 and mosul[0] < baghdad[0]
    j = rivers.river("Jordan", source=full_rivers)
    start, end = j.geometry.coords[0], j.geometry.coords[-1]
    assert start[1] > 33.0  # from the north (Hasbani / Banias)
    assert km(end[1], end[0], 31.76, 35.56) < 5  # into the Dead Sea's northern shore
    assert j.left_out_km > 40  # the Dead Sea centreline is not the river


def test_a_river_the_layer_lacks(ne_levant: Path) -> None:
    with pytest.raises(GazetteerError) as e:
        rivers.river("Khabur")
    assert "holds no segment of the Khabur" in str(e.value)
    assert "GeoJSON" in str(e.value)


def test_segments_digitised_either_way_are_directed(tmp_path: Path) -> None:
    """A rivers file of one's own: two segments with different names, the upstream one drawn
    against the flow, a side branch and a small gap at the junction."""
    feats = [
        {"name": "Khabur", "coords": [[40.20, 36.00], [40.25, 36.40], [40.30, 36.80]]},  # reversed
        {"name": "Al Khabur", "coords": [[40.2005, 35.9995], [40.30, 35.60], [40.43, 35.16]]},
        {"name": "Khabur", "coords": [[40.25, 36.40], [40.05, 36.50]]},  # short branch
        {"name": "Balikh", "coords": [[39.0, 36.5], [39.0, 35.95]]},  # another river
    ]
    path = tmp_path / "my-rivers.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f["name"]},
         "geometry": {"type": "LineString", "coordinates": f["coords"]}} for f in feats]}))
    r = rivers.river("Khabour", source=path)
    coords = list(r.geometry.coords)
    assert coords[0] == pytest.approx((40.30, 36.80))
    assert coords[-1] == pytest.approx((40.43, 35.16))
    lats = [c[1] for c in coords]
    assert lats == sorted(lats, reverse=True)  # flows south, to the Euphrates
    assert r.segments == ("Khabur", "Al Khabur")
    assert 10 < r.left_out_km < 30  # the branch
    assert r.source == "my-rivers.geojson (Khabur, Al Khabur)"
