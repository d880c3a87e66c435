"""Static maps (PNG, SVG) for briefings: drawn without a browser, with what a reader needs."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from . import mapdata
from .test_maps_html import INJECT


@pytest.fixture(scope="module")
def layers(shared: Path):
    import geopandas as gpd

    import maps
    from maps.basemap import padded_bounds

    def rd(stem: str):
        return gpd.read_file(shared / "naturalearth" / f"{stem}_levant.geojson")

    inc = mapdata.incidents_frame()
    lines, zones = mapdata.control_frames()
    base = maps.prepare_basemap(
        bounds=padded_bounds(maps.data_bounds(inc, lines, zones)),
        countries=rd("ne_10m_admin_0_countries"), lakes=rd("ne_10m_lakes"),
        rivers=rd("ne_10m_rivers_lake_centerlines"), places=rd("ne_10m_populated_places"))
    return inc, lines, zones, base


def _near(rgb: tuple[int, int, int], hex_color: str, tol: int = 12) -> bool:
    want = tuple(int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= tol for a, b in zip(rgb, want, strict=True))


def test_png_shows_basemap_incidents_zones_and_legend(layers) -> None:
    from PIL import Image

    import maps
    from maps import style

    inc, lines, zones, base = layers
    png = maps.render_static(inc, lines, zones, basemap=base, title="Seed incidents")
    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.size == (1500, 1125)
    colors = img.getcolors(img.size[0] * img.size[1])
    assert len(colors) > 500  # not blank
    present = [c for _, c in colors]
    # the battle colour, the strategic-developments colour, land and water are on the image
    for hex_color in (style.type_style("Battles").color,
                      style.type_style("Strategic developments").color, style.LAND, style.WATER):
        assert any(_near(c, hex_color) for c in present), hex_color
    # same input, same pixels (and bytes)
    assert maps.render_static(inc, lines, zones, basemap=base, title="Seed incidents") == png


def test_svg_is_text_with_escaped_report_strings(layers) -> None:
    import maps

    _, lines, zones, base = layers
    rows = mapdata.seed_rows()
    rows[4]["place_resolved"] = INJECT + " $x^2$"
    svg = maps.render_static(mapdata.incidents_frame(rows), lines, zones, basemap=base,
                             title="Seeds <b>&</b> $x$", subtitle=INJECT, fmt="svg")
    root = ET.fromstring(svg)  # well-formed XML
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    joined = "\n".join(texts)
    assert "Seeds <b>&</b> $x$" in texts  # the title as written, no mathtext
    for s in ("Battles (5)", "Event type", "Fatalities (best estimate)", "at the named place",
              "Euphrates de-confliction line 2018", "SDF and coalition", "km",
              "Natural Earth"):
        assert s in joined, s
    assert INJECT in texts  # as text (labels with a halo are drawn as outlines)
    assert b"<script" not in svg and b"<img" not in svg
    assert maps.render_static(mapdata.incidents_frame(rows), lines, zones, basemap=base,
                              title="Seeds <b>&</b> $x$", subtitle=INJECT, fmt="svg") == svg


def test_static_without_basemap_or_lines(layers) -> None:
    from PIL import Image

    import maps

    inc, _, _, _ = layers
    png = maps.render_static(inc, title="Bare")
    assert Image.open(io.BytesIO(png)).size == (1500, 1125)
    with pytest.raises(ValueError, match="png or svg"):
        maps.render_static(inc, fmt="gif")
