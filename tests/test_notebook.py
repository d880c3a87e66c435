"""The notebook API: ``geoevents.read`` and ``geoevents.Map`` as an analyst uses them in
Jupyter, and the lazy public API of ``geoevents`` and ``maps`` (fast to import, real
signatures)."""

from __future__ import annotations

import inspect
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from . import mapdata


@pytest.fixture(scope="module")
def seed_geojson(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nb") / "seeds.geojson"
    mapdata.incidents_frame().to_file(path, driver="GeoJSON")
    return path


def test_import_is_light_and_signatures_are_real() -> None:
    code = ("import sys, geoevents, maps; "
            "print(sorted(m for m in ('pandas', 'folium', 'matplotlib', 'shapely', 'maps.html', "
            "'geoevents.notebook') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"
    import geoevents
    import maps

    assert "read" in dir(geoevents) and "Map" in dir(geoevents)
    assert {"published", "meta", "lines"} <= set(inspect.signature(geoevents.read).parameters)
    assert {"basemap", "areas", "hexagons", "notice"} <= set(
        inspect.signature(maps.render_html).parameters)
    assert "fmt" in inspect.signature(maps.render_static).parameters
    assert maps.render_html.__module__ == "maps.html"
    with pytest.raises(AttributeError):
        _ = maps.no_such_thing


def test_read_and_map_in_a_notebook(seed_geojson: Path, tmp_path: Path, geo_home) -> None:
    import geoevents

    inc = geoevents.read(seed_geojson)
    assert sorted(inc["id"]) == sorted(r["id"] for r in mapdata.seed_rows())
    assert inc.attrs["rejections"] == []
    m = geoevents.Map(inc, title="Seeds <1>", basemap=False)
    assert repr(m) == "<geoevents.Map 'Seeds <1>': 7 incidents>"
    shown = m._repr_html_()
    assert shown.startswith("<figure") and "srcdoc=" in shown and "Seeds &lt;1&gt;" in shown
    out = m.save(tmp_path / "m.html")
    assert out.read_text(encoding="utf-8") == m.html()
    with pytest.raises(Exception, match="exists"):
        m.save(tmp_path / "m.html")  # no silent overwrite
    m.save(tmp_path / "m.html", overwrite=True)
    png = m.to_png(tmp_path / "m.png")
    assert png.startswith(b"\x89PNG") and (tmp_path / "m.png").read_bytes() == png
    gpkg = m.to_geopackage(tmp_path / "m.gpkg")
    import pyogrio

    got = pyogrio.read_dataframe(gpkg, layer="incidents")
    assert sorted(got["id"]) == sorted(inc["id"])


def test_read_reports_what_it_could_not_read(tmp_path: Path) -> None:
    import csv

    import geoevents
    from maps.schema import INCIDENT_COLUMNS

    table = tmp_path / "t.csv"
    with open(table, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(INCIDENT_COLUMNS), extrasaction="ignore")
        w.writeheader()
        rows = mapdata.seed_rows()[:3]
        rows[1] = {**rows[1], "lat": "abc"}
        for row in rows:
            w.writerow(row)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inc = geoevents.read(str(table))
    assert len(inc) == 2
    assert len(inc.attrs["rejections"]) == 1 and "t.csv" in inc.attrs["rejections"][0]
    assert any(issubclass(c.category, geoevents.notebook.ReadWarning) for c in caught)


def test_read_articles_with_a_glob(shared: Path, gz) -> None:
    import geoevents

    inc = geoevents.read(str(shared / "seeds" / "*.txt"), meta=shared / "seeds" / "meta.yaml",
                         gazetteer=gz)
    assert len(inc) >= 5
    assert inc["place_resolved"].str.len().gt(0).sum() >= 5
