"""The first run of someone who has only the repository: no ../shared beside the checkout, no
network.  The README's first command (after the install) must still write a map that opens and
says which command adds the basemap; the example of the project's own must read and extract."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .browser import CHROMIUM, need_browser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _offline_env(home: Path, code: Path) -> dict[str, str]:
    """The environment of a new user on a machine without network: a fresh home, every proxy
    and the Natural Earth address pointing at a closed local port, no reference data."""
    dead = f"http://127.0.0.1:{_closed_port()}"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GEOEVENTS_") and k.lower() not in ("http_proxy", "https_proxy",
                                                                   "all_proxy", "no_proxy")}
    env.update({"GEOEVENTS_HOME": str(home), "GEOEVENTS_NATURALEARTH_URL": dead,
                "HTTP_PROXY": dead, "HTTPS_PROXY": dead, "ALL_PROXY": dead,
                "http_proxy": dead, "https_proxy": dead, "all_proxy": dead,
                "PYTHONPATH": str(code)})
    return env


@pytest.fixture(scope="module")
def lone_checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's tracked files copied to a folder with nothing beside it."""
    out = tmp_path_factory.mktemp("lone") / "geoevents"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, out / name)
    assert not (out.parent / "shared").exists()
    return out


@pytest.fixture(scope="module")
def first_run(lone_checkout: Path, tmp_path_factory: pytest.TempPathFactory):
    """The first command's steps after `pip install`, run as the README gives them."""
    home = tmp_path_factory.mktemp("first-home")
    env = _offline_env(home, lone_checkout)

    def geoevents(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "geoevents", *args], cwd=lone_checkout,
                              env=env, capture_output=True, text=True, timeout=600)

    install = geoevents("data", "install", "naturalearth", "--else-from",
                        "../shared/naturalearth", "--optional")
    drawn = geoevents("map", "data/examples/incidents.csv", "--lines",
                      "data/lines/deir-ez-zor-2018.yaml", "-o", "map.html")
    return install, drawn, lone_checkout / "map.html"


@pytest.mark.slow
def test_first_command_without_shared_or_network(first_run) -> None:
    install, drawn, out = first_run
    assert install.returncode == 0, install.stderr
    assert "could not download" in install.stderr and "no such folder" in install.stderr
    assert "Natural Earth is not installed" in install.stderr
    assert drawn.returncode == 0, drawn.stderr
    assert "Traceback" not in install.stderr + drawn.stderr
    assert "35 incidents" in drawn.stderr
    assert "control line(s) left off the map" in drawn.stderr
    page_html = out.read_text(encoding="utf-8")
    assert 'class="ge-notice"' in page_html
    notice = page_html.split('class="ge-notice"', 1)[1].split("</div>", 1)[0]
    assert "Natural Earth is not installed" in notice
    assert "<code>geoevents data install naturalearth</code>" in notice
    assert "--from DIR" in notice


@pytest.mark.slow
def test_first_map_opens_offline_and_shows_the_notice(first_run) -> None:
    need_browser()
    from playwright.sync_api import sync_playwright

    _install, _drawn, out = first_run
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:  # its own browser: the session one belongs to other modules
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-background-networking",
                                          "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})

            def route(r) -> None:
                if r.request.url.startswith(("file:", "data:", "about:")):
                    r.continue_()
                else:
                    requests.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(out.resolve().as_uri())
            page.wait_for_function("window.geoevents && window.geoevents.ready === true",
                                   timeout=30_000)
            box = page.locator(".ge-notice")
            assert box.is_visible()
            assert "geoevents data install naturalearth" in box.inner_text()
            assert page.evaluate(
                "document.querySelectorAll('.leaflet-interactive').length") >= 35
        finally:
            browser.close()
    assert requests == [] and errors == []


def test_example_table_is_complete() -> None:
    """The CSV is the YAML as geoevents writes it: same incidents, dates, points, figures."""
    from geoevents.tables import read_table

    csv, yml = read_table(EXAMPLES / "incidents.csv"), read_table(EXAMPLES / "incidents.yaml")
    assert csv.rejections == [] and yml.rejections == [] and csv.warnings == []
    assert 30 <= len(csv.frame) == len(yml.frame) <= 60
    cols = ["id", "date_start", "date_end", "date_precision", "lat", "lon", "admin1",
            "fatalities_best", "wounded_best", "source_count"]
    a = csv.frame[cols].sort_values("id").reset_index(drop=True)
    b = yml.frame[cols].sort_values("id").reset_index(drop=True)
    assert a.astype(str).equals(b.astype(str))
    assert set(csv.frame["admin1"]) == {"Raqqa", "Deir ez-Zor"}
    assert csv.frame["date_start"].replace("", None).dropna().between("2017-01-01",
                                                                      "2019-12-31").all()
    assert (csv.frame["source_count"] >= 1).all()
    assert {"day", "range", "unknown"} <= set(csv.frame["date_precision"])
    import json

    for raw in csv.frame["sources_json"]:
        assert all(s["url"].startswith(("http://", "https://")) for s in json.loads(raw))


def test_example_reports_extract(cli, tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "reports.csv"
    reports = sorted(str(p) for p in (EXAMPLES / "reports").glob("*.txt"))
    r = cli("extract", *reports, "--meta", str(EXAMPLES / "reports/meta.yaml"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    got = pd.read_csv(out, keep_default_na=False, dtype=str)
    rows = list(got.itertuples())

    def find(**want):
        hits = [x for x in rows if all(getattr(x, k) == v for k, v in want.items())]
        assert hits, (want, got[list(want)].to_string())
        return hits[0]

    find(place_resolved="Hajīn", date_start="2018-12-14", date_precision="day")  # the wire
    # The roundup: "overnight on Friday", published Saturday 27 October; 68 killed.
    find(place_resolved="Hajīn", date_start="2018-10-26", date_end="2018-10-27",
         fatalities_best="68")
    # The separate attack on Al-Sousah the same night has no figure of its own.
    find(place_resolved="As Sūsah", date_start="2018-10-26", date_end="2018-10-27",
         fatalities_best="")
    # The ministry statement gives no date: the week up to its publication day.
    find(place_resolved="Deir ez-Zor", date_precision="week", date_start="2017-09-18",
         date_end="2017-09-24", fatalities_best="1")
    find(place_resolved="Deir ez-Zor", date_start="2017-11-03", event_type="Battles")  # army


def test_render_html_notice_is_escaped() -> None:
    import geopandas as gpd

    import maps
    from maps.schema import INCIDENT_COLUMNS

    empty = gpd.GeoDataFrame({c: [] for c in INCIDENT_COLUMNS}, geometry=[], crs=4326)
    page_html = maps.render_html(empty, notice="Run `a <b>` & <script>x</script>")
    box = page_html.split('class="ge-notice"', 1)[1].split("</div>", 1)[0]
    assert "<code>a &lt;b&gt;</code> &amp; &lt;script&gt;" in box
    assert "<script>x" not in page_html
    assert 'class="ge-notice"' not in maps.render_html(empty)
