"""Installing Natural Earth layers: from a local folder, and by download from a local HTTP server
(no internet here) serving a zipped shapefile built in a temporary folder."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from gazetteer import GazetteerError, naturalearth


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_shapefile_zip(src: Path, dest: Path, stem: str) -> Path:
    """A zip as Natural Earth publishes it: <stem>.shp/.shx/.dbf/.prj (+ a README)."""
    import pyogrio

    work = dest.parent / f"{stem}-shp"
    work.mkdir(parents=True, exist_ok=True)
    frame = pyogrio.read_dataframe(src)
    pyogrio.write_dataframe(frame, work / f"{stem}.shp", driver="ESRI Shapefile")
    zpath = dest / f"{stem}.zip"
    zpath.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zpath, "w") as z:
        for f in sorted(work.iterdir()):
            z.write(f, f.name)
        z.writestr(f"{stem}.README.html", "<p>Made with Natural Earth.</p>")
    return zpath


class _Server:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw) -> None:
                super().__init__(*a, directory=str(root), **kw)

            def do_GET(self) -> None:
                outer.requests.append(self.path)
                super().do_GET()

            def log_message(self, *args) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(tmp_path: Path, shared: Path) -> Iterator[_Server]:
    """A local Natural Earth mirror: <url>/10m/physical/ne_10m_rivers_lake_centerlines.zip and
    <url>/10m/cultural/ne_10m_admin_0_countries.zip built from the levant cuts."""
    root = tmp_path / "www"
    make_shapefile_zip(shared / "naturalearth/ne_10m_rivers_lake_centerlines_levant.geojson",
                       root / "10m/physical", "ne_10m_rivers_lake_centerlines")
    make_shapefile_zip(shared / "naturalearth/ne_10m_admin_0_countries_levant.geojson",
                       root / "10m/cultural", "ne_10m_admin_0_countries")
    # A broken "download": an HTML error page saved under the zip's name.
    (root / "10m/physical/ne_10m_lakes.zip").write_text("<html>Not here</html>")
    s = _Server(root)
    yield s
    s.close()


def test_urls_are_natural_earths_own_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(naturalearth.BASE_URL_ENV, raising=False)
    assert naturalearth.url("rivers") == (
        "https://naciscdn.org/naturalearth/10m/physical/ne_10m_rivers_lake_centerlines.zip")
    assert naturalearth.url("countries") == (
        "https://naciscdn.org/naturalearth/10m/cultural/ne_10m_admin_0_countries.zip")
    monkeypatch.setenv(naturalearth.BASE_URL_ENV, "http://127.0.0.1:9/ne/")
    assert naturalearth.url("lakes") == "http://127.0.0.1:9/ne/10m/physical/ne_10m_lakes.zip"


def test_install_from_dir_records_checksums(home: Path, levant_dir: Path, shared: Path) -> None:
    assert naturalearth.installed_path("rivers") is None
    with pytest.raises(naturalearth.NotInstalled, match="geoevents data install naturalearth"):
        naturalearth.read_layer("rivers", feature="control lines")
    man = naturalearth.install_from_dir(levant_dir)
    src = shared / "naturalearth/ne_10m_rivers_lake_centerlines_levant.geojson"
    assert man["rivers"]["sha256"] == sha(src)
    assert man["rivers"]["features"] == 19
    assert man["rivers"]["source"] == str(src.resolve())
    assert "admin1" not in man  # not in the folder: skipped, not invented
    on_disk = json.loads((home / "data/naturalearth/manifest.json").read_text())
    assert on_disk == man
    rivers = naturalearth.read_layer("rivers", where="name = 'Al Furat'")
    assert sorted(rivers["featurecla"]) == ["Lake Centerline", "River"]
    states = {r["layer"]: r["state"] for r in naturalearth.status()}
    assert states["rivers"] == "ok" and states["admin1"] == "not installed"
    # A file changed after installation is reported, not trusted silently.
    path = naturalearth.installed_path("lakes")
    path.write_bytes(path.read_bytes() + b" ")
    states = {r["layer"]: r["state"] for r in naturalearth.status()}
    assert states["lakes"] == "changed"
    path.unlink()
    assert {r["layer"]: r["state"] for r in naturalearth.status()}["lakes"] == "missing"


def test_install_from_dir_rejects_wrong_files(home: Path, tmp_path: Path, shared: Path) -> None:
    d = tmp_path / "bad"
    d.mkdir()
    # populated places saved under the rivers' name: points, not lines
    (d / "ne_10m_rivers_lake_centerlines.geojson").symlink_to(
        shared / "naturalearth/ne_10m_populated_places_levant.geojson")
    with pytest.raises(GazetteerError, match=r"lacks the column.*featurecla|line geometries"):
        naturalearth.install_from_dir(d, ["rivers"])
    (d / "ne_10m_lakes.geojson").write_text("not json at all")
    with pytest.raises(GazetteerError, match="not a readable vector file"):
        naturalearth.install_from_dir(d, ["lakes"])
    with pytest.raises(GazetteerError, match="missing countries"):
        naturalearth.install_from_dir(d, ["countries"])
    assert naturalearth.manifest() == {}
    assert not list((home / "data/naturalearth").glob("*.geojson"))


def test_download_from_a_local_mirror(home: Path, server: _Server) -> None:
    man = naturalearth.install(["rivers", "countries"], base=server.url)
    served = server.root / "10m/physical/ne_10m_rivers_lake_centerlines.zip"
    installed = home / "data/naturalearth/ne_10m_rivers_lake_centerlines.zip"
    assert man["rivers"]["file"] == installed.name
    assert man["rivers"]["source"] == f"{server.url}/10m/physical/{installed.name}"
    assert man["rivers"]["sha256"] == sha(served) == sha(installed)
    assert man["rivers"]["features"] == 19
    assert man["countries"]["features"] == 15
    # The zipped shapefile is read in place.
    furat = naturalearth.read_layer("rivers", where="name = 'Al Furat'")
    assert len(furat) == 2 and furat.crs.to_epsg() == 4326
    assert len(server.requests) == 2
    # Cached: a second install fetches nothing; --refresh fetches again.
    naturalearth.install(["rivers"], base=server.url)
    assert len(server.requests) == 2
    naturalearth.install(["rivers"], base=server.url, refresh=True)
    assert len(server.requests) == 3
    # A damaged installed file is fetched again.
    installed.write_bytes(b"garbage")
    naturalearth.install(["rivers"], base=server.url)
    assert len(server.requests) == 4 and sha(installed) == sha(served)


def test_download_errors_are_clear(home: Path, server: _Server) -> None:
    with pytest.raises(GazetteerError) as e:
        naturalearth.install(["admin1"], base=server.url)
    msg = str(e.value)
    assert "could not download" in msg and "ne_10m_admin_1_states_provinces.zip" in msg
    assert "--from DIR" in msg
    with pytest.raises(GazetteerError, match="not a readable vector file"):
        naturalearth.install(["lakes"], base=server.url)
    assert naturalearth.installed_path("lakes") is None
    assert not (home / "data/naturalearth/ne_10m_lakes.zip").exists()


def test_cli_install_and_list(cli, tmp_path: Path, server: _Server, levant_dir: Path) -> None:
    env = {"GEOEVENTS_HOME": str(tmp_path / "clihome")}
    r = cli("data", "list", env=env)
    assert r.returncode == 0
    assert "rivers" in r.stdout and "not installed" in r.stdout
    r = cli("data", "install", "naturalearth", "--url", server.url, "--layers",
            "rivers,countries", env=env)
    assert r.returncode == 0, r.stderr
    assert "installed rivers" in r.stderr
    r = cli("data", "list", "--json", env=env)
    rows = {row["layer"]: row for row in json.loads(r.stdout)["layers"]}
    served = server.root / "10m/physical/ne_10m_rivers_lake_centerlines.zip"
    assert rows["rivers"]["state"] == "ok" and rows["rivers"]["sha256"] == sha(served)
    assert rows["lakes"]["state"] == "not installed"
    # --from: a folder with every layer but the optional admin-1 polygons: a complete install,
    # the optional layer reported as skipped; asked for explicitly, its absence is an error.
    r = cli("data", "install", "naturalearth", "--from", str(levant_dir), env=env)
    assert r.returncode == 0, r.stderr
    assert "skipped   admin1" in r.stderr and "installed lakes" in r.stderr
    r = cli("data", "install", "naturalearth", "--from", str(levant_dir), "--layers",
            "lakes,admin1", env=env)
    assert r.returncode == 2, r.stderr
    assert "missing admin1" in r.stderr
    r = cli("data", "list", env=env)
    assert r.returncode == 0
    line = next(x for x in r.stdout.splitlines() if x.startswith("rivers "))
    assert sha(levant_dir / "ne_10m_rivers_lake_centerlines.geojson")[:16] in line
    r = cli("data", "install", "naturalearth", "--layers", "rivers,oceans", env=env)
    assert r.returncode == 2 and "unknown layer(s) oceans" in r.stderr
    r = cli("data", "install", "naturalearth", "--from", str(tmp_path / "nowhere"), env=env)
    assert r.returncode == 2 and "no such folder" in r.stderr
    assert "Traceback" not in r.stderr


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_offline_install_fails_fast_and_names_from(cli, tmp_path: Path) -> None:
    import time

    env = {"GEOEVENTS_HOME": str(tmp_path / "h"),
           naturalearth.BASE_URL_ENV: f"http://127.0.0.1:{_closed_port()}"}
    t0 = time.monotonic()
    r = cli("data", "install", "naturalearth", env=env)
    took = time.monotonic() - t0
    assert r.returncode == 2
    assert "could not download the Natural Earth layer 'rivers'" in r.stderr
    assert "cannot connect" in r.stderr and "--from DIR" in r.stderr
    assert "Traceback" not in r.stderr
    assert took < 20, took  # no hanging retries: one refused connection and out


def test_else_from_falls_back_to_a_folder(cli, tmp_path: Path, levant_dir: Path) -> None:
    home = tmp_path / "h"
    env = {"GEOEVENTS_HOME": str(home),
           naturalearth.BASE_URL_ENV: f"http://127.0.0.1:{_closed_port()}"}
    r = cli("data", "install", "naturalearth", "--else-from", str(levant_dir), env=env)
    assert r.returncode == 0, r.stderr
    assert "could not download" in r.stderr and f"installing from {levant_dir}" in r.stderr
    man = json.loads((home / "data/naturalearth/manifest.json").read_text())
    assert man["rivers"]["source"] == str((levant_dir / "ne_10m_rivers_lake_centerlines.geojson")
                                          .resolve())
    # Neither works: an error (exit 2) without --optional, a message and exit 0 with it.
    env["GEOEVENTS_HOME"] = str(tmp_path / "h2")
    r = cli("data", "install", "naturalearth", "--else-from", str(tmp_path / "none"), env=env)
    assert r.returncode == 2 and "no such folder" in r.stderr
    r = cli("data", "install", "naturalearth", "--else-from", str(tmp_path / "none"),
            "--optional", env=env)
    assert r.returncode == 0, r.stderr
    assert "Natural Earth is not installed (--optional)" in r.stderr
    assert "geoevents data install naturalearth" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "h2/data/naturalearth/manifest.json").exists()
    r = cli("data", "install", "naturalearth", "--from", str(levant_dir), "--else-from",
            str(levant_dir), env=env)
    assert r.returncode == 2 and "apply to downloads" in r.stderr
