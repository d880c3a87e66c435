"""Control areas (AREAS frames) and hexagons (HEXAGONS frames) on the interactive map, in
Chromium: drawn as of the date selected, contested areas striped in both colours, the parties in
the legend; hexagons follow the time control.  Small synthetic frames in the schemas of
docs/architecture.md."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from . import mapdata
from .browser import chromium, page  # noqa: F401 - fixtures


def areas_frame():
    import geopandas as gpd
    from shapely.geometry import box

    rows = [
        # 2018-01-01: the SDF holds the east bank box, the government the west one
        ("sdf-east", "SDF", "held", None, "#e6c229", None, "2018-01-01", "2018-01-01", "2018-04-01",
         box(40.2, 35.0, 40.9, 35.6)),
        ("gov-west", "Government", "held", None, "#c0392b", None, "2018-01-01", "2018-01-01",
         "2018-04-01", box(39.5, 34.6, 40.2, 35.3)),
        # 2018-04-01: the east box is contested, the west one still held
        ("sdf-east", "SDF", "contested", "Islamic State", "#e6c229", "#333333", "2018-04-01",
         "2018-04-01", None, box(40.2, 35.0, 40.9, 35.6)),
        ("gov-west", "Government", "held", None, "#c0392b", None, "2018-04-01", "2018-04-01", None,
         box(39.5, 34.6, 40.2, 35.3)),
    ]
    cols = ["area_id", "party", "status", "party2", "color", "color2", "as_of", "valid_from",
            "valid_to", "geometry"]
    frame = gpd.GeoDataFrame([dict(zip(cols, r, strict=True)) for r in rows], crs=4326)
    frame["n_places"] = [4, 3, 5, 3]
    frame["sources"] = "test table"
    return frame


def hexagon(lon: float, lat: float, r: float = 0.08):
    from shapely.geometry import Polygon

    return Polygon([(lon + r * math.cos(math.radians(60 * k)),
                     lat + r * math.sin(math.radians(60 * k))) for k in range(6)])


def hexagons_frame():
    import geopandas as gpd

    rows = []
    for k in range(6):
        lon, lat = 40.0 + 0.15 * k, 35.2 - 0.05 * k
        rows.append({"cell": f"cell{k}", "resolution": 6, "period_start": "2018-01-01",
                     "period_end": "2018-01-31", "count": k + 1, "fatalities": 2 * k,
                     "event_type": "Battles", "geometry": hexagon(lon, lat)})
    for k in range(3):
        lon, lat = 40.0 + 0.15 * k, 35.2 - 0.05 * k
        rows.append({"cell": f"cell{k}", "resolution": 6, "period_start": "2018-05-01",
                     "period_end": "2018-05-31", "count": 10, "fatalities": None,
                     "event_type": None, "geometry": hexagon(lon, lat)})
    return gpd.GeoDataFrame(rows, crs=4326)


@pytest.fixture
def area_map(tmp_path: Path) -> Path:
    import maps

    path = tmp_path / "areas.html"
    path.write_text(maps.render_html(mapdata.incidents_frame(), areas=areas_frame(),
                                     hexagons=hexagons_frame(), title="Areas"), encoding="utf-8")
    return path


def visible_areas(pg) -> list[tuple[str, str]]:
    return sorted(pg.eval_on_selector_all(
        "path[data-area]", "els => els.map(e => [e.getAttribute('data-area'), "
        "e.getAttribute('fill')])"))


@pytest.mark.slow  # headless Chromium
def test_control_areas_as_of_the_selected_date(page, area_map: Path) -> None:  # noqa: F811
    page.open(area_map)
    assert page.errors == [] and page.requests == []
    # all dates: the areas as of the last day, the contested one striped
    shown = visible_areas(page)
    assert [a for a, _ in shown] == ["gov-west", "sdf-east"]
    fills = dict(shown)
    assert fills["sdf-east"].startswith("url(#ge-hatch") and fills["gov-west"] == "#c0392b"
    pattern = page.eval_on_selector_all("pattern rect", "els => els.map(e => e.getAttribute('fill'))")
    assert "#e6c229" in pattern and "#333333" in pattern  # both parties' colours
    legend = page.inner_text(".ge-legend")
    assert "SDF" in legend and "Government" in legend and "contested" in legend
    assert "as of 2018-05-31" in legend  # the last day of the data (the hexagons' last period)
    # a date before the contest: the east box held, plain colour
    page.fill("#ge-from", "2018-02-01")
    page.fill("#ge-to", "2018-02-10")
    shown = dict(visible_areas(page))
    assert shown == {"gov-west": "#c0392b", "sdf-east": "#e6c229"}
    assert "as of 2018-02-10" in page.inner_text(".ge-legend")
    # before the first state: no area
    page.fill("#ge-from", "2016-01-01")
    page.fill("#ge-to", "2016-12-31")
    assert visible_areas(page) == []
    page.hover(".leaflet-control-layers")
    assert "Control areas (as of the date shown)" in page.inner_text(".leaflet-control-layers")


@pytest.mark.slow  # headless Chromium
def test_hexagons_follow_the_time_control(page, area_map: Path) -> None:  # noqa: F811
    page.open(area_map)
    cells = "path.ge-hex"
    assert page.locator(cells).count() == 9
    page.fill("#ge-from", "2018-01-01")
    page.fill("#ge-to", "2018-01-31")
    assert page.locator(cells).count() == 6
    colours = set(page.eval_on_selector_all(cells, "els => els.map(e => e.getAttribute('fill'))"))
    assert len(colours) >= 3  # counts 1..6 in different classes
    page.fill("#ge-from", "2018-05-01")
    page.fill("#ge-to", "2018-05-31")
    assert page.locator(cells).count() == 3
    assert "Incidents per hexagon" in page.inner_text(".ge-legend")
    # playback steps through them too
    page.evaluate("geoevents.setRange('2018-01-01', '2018-05-31')")
    counts = set()
    while page.evaluate("geoevents.step()"):
        counts.add(page.locator(cells).count())
    assert {0, 6, 3} <= counts
    assert page.errors == []


def test_areas_frame_without_required_columns_is_refused() -> None:
    import maps

    frame = areas_frame().drop(columns=["status"])
    with pytest.raises(maps.SchemaError, match="status"):
        maps.render_html(mapdata.incidents_frame(), areas=frame)
