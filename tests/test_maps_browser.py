"""The interactive map in headless Chromium, used as a person would: it loads with no request and
no error, shows every incident, opens popups with the right sources, has a legend, layer control
and scale, filters by date, and does not run script smuggled in through a report."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from . import mapdata
from .browser import chromium, page, pixel_variety  # noqa: F401 - fixtures
from .test_maps_html import INJECT

pytestmark = pytest.mark.slow  # headless Chromium

SEED_IDS = sorted(r["id"] for r in mapdata.seed_rows())


def write_map(tmp_path: Path, name: str = "map.html", rows=None, *, basemap=None,
              lines_zones=True, **kw) -> Path:
    import maps

    inc = mapdata.incidents_frame(rows)
    lines, zones = mapdata.control_frames() if lines_zones else (None, None)
    path = tmp_path / name
    path.write_text(maps.render_html(inc, lines, zones, basemap=basemap, **kw), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def basemap(shared: Path):
    import geopandas as gpd

    import maps
    from maps.basemap import padded_bounds

    def rd(stem: str):
        return gpd.read_file(shared / "naturalearth" / f"{stem}_levant.geojson")

    inc = mapdata.incidents_frame()
    return maps.prepare_basemap(
        bounds=padded_bounds(maps.data_bounds(inc, *mapdata.control_frames())),
        countries=rd("ne_10m_admin_0_countries"), lakes=rd("ne_10m_lakes"),
        rivers=rd("ne_10m_rivers_lake_centerlines"), places=rd("ne_10m_populated_places"))


def shown_ids(pg) -> list[str]:
    return sorted(pg.eval_on_selector_all(
        "path.ge-incident", "els => els.map(e => e.getAttribute('data-incident'))"))


def test_seed_map_loads_offline_with_everything_on_it(page, tmp_path: Path, basemap) -> None:  # noqa: F811
    path = write_map(tmp_path, basemap=basemap, title="Seed incidents")
    page.open(path)
    assert page.requests == []
    assert page.errors == []
    # one marker per incident, each carrying its id
    assert shown_ids(page) == SEED_IDS
    assert page.inner_text(".ge-count") == "Showing 7 of 7 incidents"
    assert page.inner_text(".ge-title") == "Seed incidents"
    # the legend matches the data
    legend = page.inner_text(".ge-legend")
    for text in ("Battles (5)", "Explosions/Remote violence (1)", "Strategic developments (1)",
                 "Fatalities", "approximate", "Euphrates de-confliction line 2018",
                 "SDF and coalition", "Government and Russia"):
        assert text in legend
    assert "Protests" not in legend
    # the layer control lists incidents, the line, both zones and the basemap
    page.hover(".leaflet-control-layers")
    labels = page.eval_on_selector_all(".leaflet-control-layers-overlays label",
                                       "els => els.map(e => e.textContent.trim())")
    for text in ("Incidents: Battles (5)", "Line: Euphrates de-confliction line 2018",
                 "Zone: SDF and coalition (east side)", "Zone: Government and Russia (west side)",
                 "Basemap (Natural Earth)", "Approximate locations (dashed rings)"):
        assert text in labels
    assert page.is_visible(".leaflet-control-scale")
    attribution = page.inner_text(".leaflet-control-attribution")
    assert "Natural Earth" in attribution and "The Independent" in attribution
    # zones labelled with their party, basemap places labelled
    zone_labels = page.eval_on_selector_all(".ge-zone-label", "els => els.map(e => e.textContent)")
    assert sorted(zone_labels) == ["Government and Russia", "SDF and coalition"]
    places = page.eval_on_selector_all(".ge-place-label", "els => els.map(e => e.textContent)")
    assert "Deir ez-Zor" in places
    # approximate incidents are drawn differently, with their ring
    approx = page.eval_on_selector_all("path.ge-incident.ge-approx",
                                       "els => els.map(e => e.getAttribute('data-incident'))")
    assert sorted(approx) == ["inc-deir-night", "inc-homs-desert", "inc-mayadeen",
                              "inc-palmyra-dawa"]
    assert page.locator("path.ge-area").count() == 4
    shot = page.screenshot()
    assert pixel_variety(shot) > 200
    (tmp_path / "seed.png").write_bytes(shot)


def test_clicking_a_marker_shows_its_sources(page, tmp_path: Path) -> None:  # noqa: F811
    page.open(write_map(tmp_path))
    page.click("path.ge-incident[data-incident='inc-mayadeen']")
    popup = page.locator(".ge-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert popup.get_attribute("data-incident") == "inc-mayadeen"
    assert popup.locator(".ge-pop-title").inner_text() == "Mayadin"  # the English exonym first
    for s in ("Al Mayādīn", "near the town of Mayadeen", "2018-05-23 (day)", "approximate",
              "Deir ez-Zor, Syria", "Islamic State vs Syrian government forces", "Killed\t78",
              "35 pro-government forces killed, including at least nine Russians",
              "Russian defence ministry", "Sources (4)", "The Independent", "Arab News (AFP)",
              "Al Jazeera", "AsiaNews", "the attack near the town of Mayadeen"):
        assert s in text, s
    link = popup.locator("a.ge-src-link")
    assert link.count() == 1
    assert link.get_attribute("href") == mapdata.SOURCES["000"]["url"]
    # casualties per side and source, with low/best/high
    rows = popup.locator(".ge-cas tbody tr").all_inner_texts()
    assert any("Russian forces" in r and "4 (4–9)" in r for r in rows), rows
    # a coder's note: no placeholders, each quote once, no control row without a line drawn
    for bad in ("?", "–)", "(–", "per ?", "\t–\t", "undefined", "null"):
        assert bad not in text, bad
    quotes = popup.locator(".ge-quote").all_inner_texts()
    assert len(quotes) == len(set(quotes)), quotes
    assert all(c.strip() for c in popup.locator(".ge-cas td").all_inner_texts())
    page.click(".leaflet-popup-close-button")
    page.open(write_map(tmp_path))  # afresh: the popup panned the map away from Palmyra
    page.click("path.ge-incident[data-incident='inc-palmyra-halabat']")
    text = page.locator(".ge-popup").inner_text()
    assert "Islamic State (Aamaq)" in text and "not confirmed by SOHR, Kremlin" in text
    assert "no independent confirmation" in text
    # the page's own API opens a popup the same way (used by links from a briefing)
    assert page.evaluate("geoevents.openPopup('inc-hajin')") is True
    page.wait_for_function("document.querySelectorAll('.ge-popup').length === 1")
    assert page.locator(".ge-popup").get_attribute("data-incident") == "inc-hajin"
    assert page.requests == [] and page.errors == []


def test_date_filter_hides_and_shows_incidents_and_lines(page, tmp_path: Path) -> None:  # noqa: F811
    page.open(write_map(tmp_path))
    assert page.locator("path.ge-line").count() == 1
    page.fill("#ge-from", "2018-05-23")
    page.fill("#ge-to", "2018-05-24")
    assert shown_ids(page) == ["inc-hajin", "inc-mayadeen"]
    assert page.inner_text(".ge-count") == "Showing 2 of 7 incidents"
    assert page.locator("path.ge-line").count() == 1  # the line is valid then
    page.fill("#ge-from", "2016-03-01")
    page.fill("#ge-to", "2016-03-31")
    assert shown_ids(page) == ["inc-palmyra-dawa", "inc-palmyra-halabat"]
    assert page.locator("path.ge-line").count() == 0  # not yet valid in 2016
    assert page.locator(".ge-zone-label").count() == 0
    page.fill("#ge-from", "2018-03-15")  # overlaps the month-precision Hmeimim crash
    page.fill("#ge-to", "2018-03-16")
    assert shown_ids(page) == ["inc-hmeimim"]
    page.click("button.ge-all")
    assert shown_ids(page) == SEED_IDS
    assert page.locator("path.ge-line").count() == 1
    assert page.errors == []


def test_injected_script_in_a_report_does_not_run(page, tmp_path: Path) -> None:  # noqa: F811
    rows = mapdata.seed_rows()
    rows[0]["place"] = INJECT
    rows[0]["place_resolved"] = INJECT
    rows[0]["notes"] = "</script><script>window.__pwned = 3</script>"
    rows[0]["event_type"] = INJECT
    src = json.loads(rows[0]["sources_json"])
    src[0]["outlet"] = INJECT
    src[0]["quote"] = INJECT
    src[1]["url"] = "javascript:window.__pwned=4"
    rows[0]["sources_json"] = json.dumps(src)
    import maps

    lines, zones = mapdata.control_frames()
    zones.loc[0, "party"] = '<img src=x onerror="window.__pwned=5">'
    path = tmp_path / "inject.html"
    path.write_text(maps.render_html(mapdata.incidents_frame(rows), lines, zones, title=INJECT),
                    encoding="utf-8")
    page.open(path)
    assert page.inner_text(".ge-title") == INJECT
    page.click("path.ge-incident[data-incident='inc-mayadeen']")
    text = page.locator(".ge-popup").inner_text()
    assert INJECT in text  # shown as text
    assert "</script><script>window.__pwned = 3</script>" in text
    assert page.locator(".ge-popup a[href^='javascript']").count() == 0
    assert page.locator(".ge-popup img, .ge-legend img, .ge-title-panel img").count() == 0
    page.hover(".leaflet-control-layers")
    assert '<img src=x onerror="window.__pwned=5">' in page.inner_text(".leaflet-control-layers")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    assert page.requests == []  # not even the <img src=x>


def test_many_incidents_on_canvas(page, tmp_path: Path) -> None:  # noqa: F811
    rows = mapdata.synthetic_rows(5000)
    page.open(write_map(tmp_path, rows=rows, lines_zones=False))
    assert page.inner_text(".ge-count") == "Showing 5000 of 5000 incidents"
    assert page.locator("path.ge-incident").count() == 0  # drawn on a canvas
    assert page.locator(".leaflet-geIncidents-pane canvas").count() == 1
    # click where an incident is drawn: a popup for an incident drawn there opens
    target = page.evaluate("""() => {
        const g = window.geoevents, m = g.map, size = m.getSize();
        for (const mk of g.markers) {
            const p = m.latLngToContainerPoint(mk.getLatLng());
            if (p.x > 300 && p.x < size.x - 350 && p.y > 150 && p.y < size.y - 80)
                return {x: p.x, y: p.y};
        }
        return null;
    }""")
    assert target
    near = page.evaluate("""([x, y]) => {
        const g = window.geoevents, m = g.map;
        return g.markers.filter(mk => m.latLngToContainerPoint(mk.getLatLng())
            .distanceTo([x, y]) <= mk.getRadius() + 3).map(mk => mk.options.geId);
    }""", [target["x"], target["y"]])
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    popup = page.locator(".ge-popup")
    popup.wait_for()
    assert popup.get_attribute("data-incident") in near
    assert "Sources (" in popup.inner_text()
    page.fill("#ge-from", "2018-01-01")
    page.fill("#ge-to", "2018-12-31")
    expected = sum(1 for r in rows if r["date_start"].startswith("2018"))
    assert page.inner_text(".ge-count") == f"Showing {expected} of 5000 incidents"
    assert page.requests == [] and page.errors == []
    assert pixel_variety(page.screenshot()) > 100


def test_canvas_markers_are_stamped_in_their_colour_and_order(page, tmp_path: Path) -> None:  # noqa: F811
    """On a canvas map each marker is copied from a sprite of its style: the marker drawn last
    (on top) shows its own fill colour at its point, and clicking there opens its popup."""
    import io

    from PIL import Image

    page.open(write_map(tmp_path, rows=mapdata.synthetic_rows(5000), lines_zones=False))
    top = page.evaluate("""() => {
        const g = window.geoevents, m = g.map, size = m.getSize();
        for (let o = g.markers[0]._renderer._drawLast; o; o = o.prev) {
            const mk = o.layer, p = m.latLngToContainerPoint(mk.getLatLng());
            if (mk.options.fillColor === "#ffffff" || mk.getRadius() < 3) continue;
            if (p.x > 300 && p.x < size.x - 350 && p.y > 150 && p.y < size.y - 80)
                return {x: Math.round(p.x), y: Math.round(p.y), color: mk.options.fillColor,
                        id: mk.options.geId};
        }
        return null;
    }""")
    assert top
    box = page.locator(".folium-map").bounding_box()
    img = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    got = img.getpixel((int(box["x"]) + top["x"], int(box["y"]) + top["y"]))
    want = tuple(int(top["color"][k:k + 2], 16) for k in (1, 3, 5))
    assert max(abs(a - b) for a, b in zip(got, want, strict=True)) <= 45, (got, want)
    page.mouse.click(box["x"] + top["x"], box["y"] + top["y"])
    popup = page.locator(".ge-popup")
    popup.wait_for()
    assert popup.get_attribute("data-incident") == top["id"]
    assert page.errors == []


def test_web_tiles_ask_only_the_tile_server(page, tmp_path: Path) -> None:  # noqa: F811
    path = write_map(tmp_path, tiles="http://127.0.0.1:9/{z}/{x}/{y}.png",
                     tiles_attribution="local tiles")
    page.open(path)
    page.wait_for_timeout(300)
    assert page.requests, "the tile layer asked for no tile"
    assert all(u.startswith("http://127.0.0.1:9/") and u.endswith(".png")
               for u in page.requests), page.requests
    # the vector basemap (none here) and the markers are still there without the tiles
    assert len(shown_ids(page)) == 7


def test_briefing_page_in_the_browser(page, tmp_path: Path, basemap) -> None:  # noqa: F811
    import maps

    lines, zones = mapdata.control_frames()
    path = tmp_path / "brief.html"
    path.write_text(maps.render_brief(mapdata.incidents_frame(), lines, zones, basemap=basemap,
                                      title="Briefing"), encoding="utf-8")
    page.open(path, ready=False)
    frame = page.frame_locator("iframe")
    frame.locator(".ge-count").wait_for()
    assert frame.locator(".ge-count").inner_text() == "Showing 7 of 7 incidents"
    assert frame.locator("path.ge-incident").count() == 7
    assert page.locator("table.incidents tbody tr").count() == 7
    row = page.locator("tr[data-incident='inc-mayadeen']").inner_text()
    assert "Al Mayādīn" in row and "SOHR" in row and "The Independent" in row
    heads = page.locator("table.incidents th").all_inner_texts()
    assert "Admin-1, country" in heads and "Notes" in heads
    assert "Deir ez-Zor, Syria" in row
    table = page.inner_text("table.incidents")
    for bad in ("?", "per ?", "(–", "–)", "undefined"):
        assert bad not in table, bad
    # one quote per source: no quote repeated within a row
    for r in page.locator("table.incidents tbody tr").all():
        quotes = r.locator(".quote").all_inner_texts()
        assert len(quotes) == len(set(quotes)), quotes
    assert page.evaluate("document.querySelector('.static img').naturalWidth") > 500
    assert page.requests == [] and page.errors == []


def test_us_locale_still_shows_iso_dates_and_playback_steps_by_week(chromium, tmp_path: Path  # noqa: F811
                                                                    ) -> None:
    ctx = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    try:
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(write_map(tmp_path).resolve().as_uri())
        pg.wait_for_function("window.geoevents && window.geoevents.ready === true")
        assert pg.evaluate("navigator.language") == "en-US"
        # what a reader sees in the date fields: ISO, not mm/dd/yyyy
        assert pg.input_value("#ge-from") == "2016-03-16"
        assert pg.input_value("#ge-to") == "2018-05-27"
        assert pg.get_attribute("#ge-from", "type") == "text"
        box = pg.locator("#ge-from").bounding_box()
        assert box and box["width"] > 60
        # a typed US date is refused (marked), the map keeps what it showed
        pg.fill("#ge-from", "05/23/2018")
        assert "ge-invalid" in (pg.get_attribute("#ge-from", "class") or "")
        assert pg.inner_text(".ge-count") == "Showing 7 of 7 incidents"
        pg.click("button.ge-all")
        # playback: the first week shows the first incidents only, then moves on
        pg.click("button.ge-play")
        assert pg.inner_text("button.ge-play").endswith("Pause")
        first = pg.inner_text(".ge-count")
        assert first != "Showing 7 of 7 incidents" and first.startswith("Showing ")
        assert pg.input_value("#ge-from") == "2016-03-16"
        assert pg.input_value("#ge-to") == "2016-03-22"
        pg.wait_for_function("document.querySelector('#ge-from').value !== '2016-03-16'",
                             timeout=5000)
        pg.click("button.ge-play")  # pause
        assert pg.inner_text("button.ge-play").endswith("Play")
        assert pg.evaluate("geoevents.playing()") is False
        # stepping to the week of the Hajin and Mayadeen attacks shows those, and the line
        seen = set()
        pg.evaluate("geoevents.setRange('2016-03-16', '2018-05-27')")
        while pg.evaluate("geoevents.step()"):
            seen.add((pg.input_value("#ge-from"), pg.evaluate("geoevents.visible")))
        from datetime import date, timedelta

        weeks = dict(seen)
        hit = [v for f, v in weeks.items()
               if date.fromisoformat(f) <= date(2018, 5, 23) <= date.fromisoformat(f) + timedelta(6)]
        assert len(hit) == 1 and 2 <= hit[0] < 7  # the week of the Hajin and Mayadeen attacks
        assert max(weeks.values()) < 7 and len(weeks) == (date(2018, 5, 27) - date(2016, 3, 16)).days // 7 + 1
        assert errors == []
    finally:
        ctx.close()


def test_popup_without_lines_has_no_control_row(page, tmp_path: Path) -> None:  # noqa: F811
    page.open(write_map(tmp_path, lines_zones=False))
    assert page.evaluate("geoevents.openPopup('inc-hajin')") is True
    popup = page.locator(".ge-popup")
    popup.wait_for()
    heads = popup.locator(".ge-kv th").all_inner_texts()
    assert "Control" not in heads and "Date" in heads and "Area" in heads
    assert popup.locator(".ge-pop-title").inner_text() == "Hajin"
    assert "?" not in popup.inner_text()


@pytest.fixture(scope="module")
def gazetteer_basemap(shared: Path, gz):
    """The seed basemap with place labels from the gazetteer index, as `geoevents map` draws."""
    import geopandas as gpd

    import maps
    from maps.basemap import gazetteer_labels, padded_bounds

    def rd(stem: str):
        return gpd.read_file(shared / "naturalearth" / f"{stem}_levant.geojson")

    inc = mapdata.incidents_frame()
    box = padded_bounds(maps.data_bounds(inc, *mapdata.control_frames()))
    base = maps.prepare_basemap(
        bounds=box, countries=rd("ne_10m_admin_0_countries"),
        countries_small=rd("ne_50m_admin_0_countries"), lakes=rd("ne_10m_lakes"),
        rivers=rd("ne_10m_rivers_lake_centerlines"), places=rd("ne_10m_populated_places"))
    base.labels = gazetteer_labels(box, base.exonyms, near=maps.data_bounds(inc),
                                   major=base.labels)
    assert base.labels
    return base


LABELS = ".ge-place-label, .ge-country-label, .ge-water-label, .ge-zone-label"


def label_boxes(pg) -> list[dict]:
    """The boxes of the labels a reader sees."""
    return pg.eval_on_selector_all(LABELS, """els => els.filter(
        e => getComputedStyle(e).visibility !== "hidden" && e.getClientRects().length
    ).map(e => {
        const r = e.getBoundingClientRect();
        return {text: e.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
    })""")


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5 and \
                    a["y0"] < b["y1"] - 0.5 and b["y0"] < a["y1"] - 0.5:
                out.append((a["text"], b["text"]))
    return out


@pytest.mark.parametrize("zoom, at_least, names", [
    (5, 8, ["Damascus", "Baghdad"]),
    (9, 15, ["Deir ez-Zor", "Mayadin", "Hajin", "Kamal"]),
    (12, 2, ["Deir ez-Zor", "Euphrates"]),  # the city, its river (cities500 has no quarters)
])
def test_place_labels_at_every_zoom_without_overlap(page, tmp_path: Path, gazetteer_basemap,  # noqa: F811
                                                    zoom, at_least, names) -> None:
    page.open(write_map(tmp_path, basemap=gazetteer_basemap))
    centre = [35.16, 40.4] if zoom == 9 else [35.336, 40.14]  # Deir ez-Zor .. Al Bukamal
    page.evaluate(f"geoevents.map.setView({centre}, {zoom}, {{animate: false}})")
    page.wait_for_timeout(200)
    shot = page.screenshot()
    shots = Path(os.environ.get("GEOEVENTS_SHOTS", tmp_path))
    (shots / f"zoom{zoom}.png").write_bytes(shot)  # to look at
    boxes = label_boxes(page)
    texts = [b["text"] for b in boxes]
    assert len(boxes) >= at_least, texts
    assert overlapping(boxes) == [], overlapping(boxes)
    for name in names:
        assert any(name.casefold() in t.casefold() for t in texts), (name, texts)
    # No label lies across the control line: points every 2 px along the drawn line (its SVG
    # path, in screen coordinates) fall in no label's box.
    pts = page.eval_on_selector_all("path.ge-line", """els => els.flatMap(e => {
        const n = e.getTotalLength(), m = e.getScreenCTM(), out = [];
        for (let d = 0; d <= n; d += 2) {
            const q = e.getPointAtLength(d);
            out.push([m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f]);
        }
        return out;
    })""")
    assert len(pts) > 10
    across = {b["text"] for b in boxes for x, y in pts
              if b["x0"] + 1 < x < b["x1"] - 1 and b["y0"] + 1 < y < b["y1"] - 1}
    assert not across, across
    if zoom == 9:
        # villages between Deir ez-Zor and Al Bukamal are named too
        assert sum(1 for b in page.evaluate("geoevents.labelsPlaced()")) >= 15
        assert page.evaluate("geoevents.band()") == 2  # the detailed 10 m layers
    assert pixel_variety(shot) > 50
    assert page.errors == [] and page.requests == []


def test_every_popup_reads_without_placeholders(page, tmp_path: Path) -> None:  # noqa: F811
    """Each incident's popup: no "?", no empty cell, no "per ?" or "(–––)", each quote once."""
    import re

    page.open(write_map(tmp_path))
    ids = page.evaluate("geoevents.markers.map(m => m.options.geId)")
    assert len(ids) >= 5
    for i in ids:
        assert page.evaluate("id => geoevents.openPopup(id)", i) is True
        info = page.evaluate("""() => { const p = document.querySelector('.ge-popup');
            return {text: p.innerText,
                    empty: [...p.querySelectorAll('tbody td, tbody th')]
                        .filter(c => !c.textContent.trim()).length,
                    quotes: [...p.querySelectorAll('blockquote')].map(q => q.textContent)}; }""")
        assert not re.search(r"\?|\(–+\)|: –|undefined|null|NaN", info["text"]), (i, info["text"])
        assert info["empty"] == 0, i
        assert len(set(info["quotes"])) == len(info["quotes"]), i
        page.evaluate("geoevents.map.closePopup()")
    assert page.errors == []
