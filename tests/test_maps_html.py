"""The interactive map as a file: offline (nothing to fetch), deterministic, escaped, and carrying
the data the page draws.  What a browser shows is in test_maps_browser.py."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from . import mapdata

CDN_HOSTS = ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "unpkg.com",
             "netdna.bootstrapcdn.com", "fonts.googleapis.com", "tile.openstreetmap.org")
INJECT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


class Resources(HTMLParser):
    """Every address an HTML page would load by itself."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
        for key in ("src", "srcset", "poster", "data"):
            if a.get(key):
                self.loads.append(f"{tag}[{key}]={a[key]}")
        if tag == "link" and a.get("href"):
            self.loads.append(f"link[href]={a['href']}")
        if a.get("style") and "url(" in (a["style"] or ""):
            self.styles.append(a["style"] or "")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def parse(page: str) -> Resources:
    r = Resources()
    r.feed(page)
    return r


def data_of(page: str) -> dict:
    from maps.html import decode_document

    m = re.search(r'<script type="application/json" id="ge-data-[^"]+"'
                  r'(?: data-encoding="([^"]+)")?>(.*?)</script>', page, re.S)
    assert m, "no data document in the page"
    return decode_document(m.group(2), m.group(1))


@pytest.fixture(scope="module")
def frames():
    return mapdata.incidents_frame(), *mapdata.control_frames()


@pytest.fixture(scope="module")
def basemap(shared: Path):
    import geopandas as gpd

    import maps

    def rd(stem: str):
        return gpd.read_file(shared / "naturalearth" / f"{stem}_levant.geojson")

    inc = mapdata.incidents_frame()
    lines, zones = mapdata.control_frames()
    from maps.basemap import padded_bounds

    return maps.prepare_basemap(
        bounds=padded_bounds(maps.data_bounds(inc, lines, zones)),
        countries=rd("ne_10m_admin_0_countries"), lakes=rd("ne_10m_lakes"),
        rivers=rd("ne_10m_rivers_lake_centerlines"), places=rd("ne_10m_populated_places"))


@pytest.fixture(scope="module")
def seed_page(frames, basemap) -> str:
    import maps

    inc, lines, zones = frames
    return maps.render_html(inc, lines, zones, basemap=basemap, title="Seed incidents")


def test_page_loads_nothing_from_the_network(seed_page: str) -> None:
    r = parse(seed_page)
    assert r.loads == []
    assert all(not s.get("src") for s in r.scripts)
    for css in r.styles:
        for ref in re.findall(r"url\(([^)]*)\)", css):
            assert ref.strip("'\"").startswith(("data:", "#")), ref
    assert "@import" not in seed_page
    for host in CDN_HOSTS:
        assert host not in seed_page
    assert "sourceMappingURL" not in seed_page
    # Leaflet itself is inside, with its images as data: URIs.
    assert "Leaflet 1.9.3" in seed_page
    assert "url(data:image/png;base64," in seed_page


def test_page_is_deterministic(frames, basemap, seed_page: str) -> None:
    import maps

    inc, lines, zones = frames
    again = maps.render_html(inc, lines, zones, basemap=basemap, title="Seed incidents")
    assert again == seed_page
    # folium's random 32-hex ids are gone
    assert not re.search(r"_[0-9a-f]{32}\b", seed_page)


def test_data_document_carries_every_incident_and_source(seed_page: str) -> None:
    doc = data_of(seed_page)
    inc = doc["inc"]
    assert sorted(inc["id"]) == sorted(r["id"] for r in mapdata.seed_rows())
    i = inc["id"].index("inc-mayadeen")
    assert (inc["lat"][i], inc["lon"][i]) == (35.01982, 40.45154)
    assert inc["p"][i] == 2 and inc["f"][i] == 78
    from maps.html import record

    x = record(doc, i)
    S = doc["S"]
    assert [S[s[0]] for s in x["src"]] == ["The Independent", "Arab News (AFP)", "Al Jazeera",
                                           "AsiaNews"]
    assert any(c[6].startswith("35 pro-government forces killed") and S[c[5]] == "SOHR"
               for c in x["cas"])
    russians = [c for c in x["cas"] if S[c[0]] == "Russian forces" and S[c[1]] == "killed"]
    assert russians[0][2:5] == [4, 4, 9]
    claims = record(doc, inc["id"].index("inc-palmyra-halabat"))["cl"]
    assert S[claims[0][0]] == "Islamic State (Aamaq)"
    assert [S[v] for v in claims[0][3]] == ["SOHR", "Kremlin"] and claims[0][4] is False
    # types, lines, zones, basemap
    counts = {t["name"]: t["count"] for t in doc["types"]}
    assert counts["Battles"] == 5 and counts["Strategic developments"] == 1
    assert [ln["id"] for ln in doc["lines"]] == ["euphrates-2018"]
    assert {z["party"] for z in doc["zones"]} == {"SDF and coalition", "Government and Russia"}
    assert doc["range"] is not None and doc["undated"] == 0
    assert doc["base"]["places"] and all(b["countries"]["features"] for b in doc["base"]["bands"])
    assert any("Natural Earth" in a for a in doc["attribution"])
    assert any("GeoNames" in a for a in doc["attribution"])
    assert any("The Independent" in a for a in doc["attribution"])


def test_zone_label_lies_inside_its_zone(seed_page: str, frames) -> None:
    from shapely.geometry import Point

    _, _, zones = frames
    for z in data_of(seed_page)["zones"]:
        geom = zones[zones["id"] == z["id"]].geometry.iloc[0]
        assert geom.contains(Point(z["label"][1], z["label"][0]))


def test_report_text_cannot_inject_markup(frames) -> None:
    import maps

    rows = mapdata.seed_rows()
    rows[0]["place"] = INJECT
    rows[0]["notes"] = "</script><script>window.__pwned = 3</script>"
    src = json.loads(rows[0]["sources_json"])
    src[0]["outlet"] = INJECT
    src[0]["quote"] = INJECT
    src[1]["url"] = "javascript:window.__pwned=4"
    rows[0]["sources_json"] = json.dumps(src)
    _, lines, zones = frames
    zones = zones.copy()
    zones.loc[0, "party"] = "<b onmouseover=alert(1)>{{ 7*7 }}</b>"
    page = maps.render_html(mapdata.incidents_frame(rows), lines, zones, title=INJECT)
    r = parse(page)
    # Our own scripts only: the inlined Leaflet and runtime, the JSON data, folium's set-up.
    assert len(r.scripts) == len([s for s in r.scripts if not s.get("src")])
    assert "window.__pwned" not in "".join(
        re.findall(r"<script>(.*?)</script>", page, re.S)[-1:])
    assert INJECT not in page
    assert "</script><script>window.__pwned = 3" not in page
    assert "<b onmouseover" not in page
    # the layer name is escaped and not evaluated as a template
    assert (r"Zone: \u0026lt;b onmouseover=alert(1)\u0026gt;\u0026#123;\u0026#123; 7*7 "
            r"\u0026#125;\u0026#125;") in page
    assert "Zone: 49" not in page and "&gt;49&lt;" not in page
    assert html.escape(INJECT) in page  # the title, as text
    doc = data_of(page)
    from maps.html import record

    assert record(doc, 0)["pl"] == INJECT  # the data keeps the text exactly


def test_schema_errors_are_clear(frames) -> None:
    import maps

    inc, _, _ = frames
    with pytest.raises(maps.SchemaError, match="sources_json"):
        maps.render_html(inc.drop(columns=["sources_json"]))
    rows = mapdata.seed_rows()
    rows[2]["casualties_json"] = "[{'side': 1}]"
    with pytest.raises(maps.SchemaError, match=r"inc-deir-night.*casualties_json.*JSON"):
        maps.render_html(mapdata.incidents_frame(rows))
    bad = inc.copy()
    bad = bad.set_geometry(bad.geometry.where(bad["id"] != "inc-hajin", None))
    bad.loc[bad["id"] == "inc-hajin", "lat"] = 123.0
    with pytest.raises(maps.SchemaError, match="inc-hajin"):
        maps.render_html(bad)


def test_many_incidents_use_canvas_and_compact_data() -> None:
    import maps

    frame = mapdata.incidents_frame(mapdata.synthetic_rows(5000))
    page = maps.render_html(frame)
    doc = data_of(page)
    assert doc["renderer"] == "canvas" and len(doc["inc"]["id"]) == 5000
    # repeated strings (outlets, actors, places) are written once
    assert doc["S"].count("SOHR") == 1
    assert len(page) < 5000 * 400 + 600_000
    small = maps.render_html(mapdata.incidents_frame(mapdata.synthetic_rows(50)))
    assert data_of(small)["renderer"] == "svg"


def test_undated_and_empty_inputs() -> None:
    import maps

    rows = mapdata.seed_rows()[:2]
    rows[1]["date_start"] = rows[1]["date_end"] = ""
    doc = data_of(maps.render_html(mapdata.incidents_frame(rows)))
    assert doc["undated"] == 1 and doc["inc"]["d0"][1] is None
    empty = mapdata.incidents_frame().iloc[0:0]
    doc = data_of(maps.render_html(empty))
    assert doc["inc"]["id"] == [] and doc["range"] is None


def test_web_tiles_only_when_asked(frames) -> None:
    import maps

    inc, _, _ = frames
    plain = maps.render_html(inc)
    assert "L.tileLayer(" not in plain
    page = maps.render_html(inc, tiles="http://127.0.0.1:9/{z}/{x}/{y}.png",
                            tiles_attribution="Local <tiles>")
    assert "http://127.0.0.1:9/{z}/{x}/{y}.png" in page
    assert r"Local \u0026lt;tiles\u0026gt;" in page  # escaped: Leaflet shows it as HTML
    with pytest.raises(ValueError, match="tiles"):
        maps.render_html(inc, tiles="ftp://x/{z}/{x}/{y}")


def test_fragment_embeds_the_page_in_a_sandboxed_frame(seed_page: str) -> None:
    import maps

    frag = maps.render_fragment(seed_page, title="Seeds <1>")
    m = re.search(r'<iframe [^>]*sandbox="([^"]*)"[^>]*srcdoc="([^"]*)"', frag)
    assert m, frag[:300]
    assert "allow-scripts" in m.group(1) and "allow-same-origin" not in m.group(1)
    assert html.unescape(m.group(2)) == seed_page
    assert "Seeds &lt;1&gt;" in frag
    assert not frag.lstrip().lower().startswith(("<!doctype", "<html"))


def test_basemap_is_cut_and_simplified(basemap) -> None:
    w, s, e, n = basemap.bounds
    for frame in (basemap.countries, basemap.lakes, basemap.rivers):
        assert len(frame)
        fw, fs, fe, fn = frame.total_bounds
        assert fw >= w - 1e-9 and fs >= s - 1e-9 and fe <= e + 1e-9 and fn <= n + 1e-9
    assert "Syria" in set(basemap.countries["name"])
    # rivers by their English name (data/rivers.yaml): "Al Furat" and "Firat" are the Euphrates
    assert "Euphrates" in set(basemap.rivers["name"])
    assert not {"Al Furat", "Firat"} & set(basemap.rivers["name"])
    assert 0 < len(basemap.places) <= 60
    assert "Damascus" in set(basemap.places["name"])


def test_load_basemap_reads_installed_layers(ne_levant: Path) -> None:
    import maps

    base = maps.load_basemap((38.0, 34.0, 41.0, 36.5))
    assert base.missing == []
    assert "Syria" in set(base.countries["name"])
    assert "Deir ez-Zor" in set(base.places["name"])  # the English name


def test_brief_table_lists_incidents_in_date_order_and_says_what_it_leaves_out() -> None:
    import maps

    page = maps.render_brief(mapdata.incidents_frame(), title="Brief", max_rows=3,
                             png=b"\x89PNG fake")
    rows = re.findall(r"<tr data-incident='([^']+)'", page)
    assert rows == ["inc-palmyra-dawa", "inc-palmyra-halabat", "inc-hmeimim"]
    assert "first 3 of 7 incidents by date; the other 4 are on the map" in page
    full = maps.render_brief(mapdata.incidents_frame(), title="Brief", png=b"\x89PNG fake")
    assert len(re.findall(r"<tr data-incident=", full)) == 7 and "more are on the map" not in full


def test_a_large_document_defers_the_details_and_reads_back_whole() -> None:
    """Above DEFER_DETAILS_OVER incidents the popups' details travel as one JSON text (parsed by
    the page after drawing); decode_document gives back the same document."""
    from maps.html import DEFER_DETAILS_OVER, decode_document, encode_document

    n = DEFER_DETAILS_OVER + 1
    doc = {"S": ["a"], "inc": {"id": [f"i{k}" for k in range(n)], "x": [[0, k] for k in range(n)]}}
    text, encoding = encode_document(doc)
    import base64
    import gzip

    body = gzip.decompress(base64.b64decode(text)).decode() if encoding else text
    inner = json.loads(body)
    assert "x" not in inner["inc"] and isinstance(inner["inc"]["xs"], str)
    assert decode_document(text, encoding) == doc
    small = {"S": [], "inc": {"id": ["a"], "x": [[1]]}}
    text, encoding = encode_document(small)
    assert '"x":[[1]]' in text and decode_document(text, encoding) == small
