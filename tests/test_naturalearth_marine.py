"""Natural Earth's marine polygons (``ne_10m_geography_marine_polys``): an optional layer of
``geoevents data install naturalearth`` (downloaded and checksummed like the others, skipped with
a message when no copy is found) that names the basemap's seas when installed; the built-in
table of :mod:`maps.seas` otherwise.  Tested with a tiny synthetic file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gazetteer import naturalearth
from tests.test_naturalearth import _closed_port, _Server, make_shapefile_zip, sha

STEM = "ne_10m_geography_marine_polys"
# Names no built-in table has, so a label can only come from the file.
SEA = "Synthetic Levant Sea"
BAY = "Bay of Testing"


def _square(lon: float, lat: float, d: float) -> list[list[list[float]]]:
    return [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d],
             [lon - d, lat - d]]]


def write_marine(path: Path) -> Path:
    """Two marine polygons off the Levant coast, in Natural Earth's columns."""
    features = [
        {"type": "Feature", "properties": {"featurecla": "sea", "name": SEA, "min_label": 3.0,
                                           "scalerank": 1},
         "geometry": {"type": "Polygon", "coordinates": _square(33.0, 33.5, 1.0)}},
        {"type": "Feature", "properties": {"featurecla": "bay", "name": BAY, "min_label": 6.5,
                                           "scalerank": 5},
         "geometry": {"type": "Polygon", "coordinates": _square(34.6, 34.9, 0.15)}},
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_marine_is_an_optional_physical_layer() -> None:
    assert naturalearth.LAYERS["marine"]["stem"] == STEM
    assert naturalearth.url("marine", "http://x").endswith(f"/10m/physical/{STEM}.zip")
    assert "marine" in naturalearth.OPTIONAL


def test_downloaded_checksummed_and_cached(home: Path, tmp_path: Path) -> None:
    src = write_marine(tmp_path / "src" / f"{STEM}.geojson")
    root = tmp_path / "www"
    make_shapefile_zip(src, root / "10m/physical", STEM)
    server = _Server(root)
    try:
        man = naturalearth.install(["marine"], base=server.url)
        served = root / f"10m/physical/{STEM}.zip"
        assert man["marine"]["sha256"] == sha(served) and man["marine"]["features"] == 2
        naturalearth.install(["marine"], base=server.url)  # cached: not fetched again
        assert len(server.requests) == 1
    finally:
        server.close()
    assert naturalearth.installed_path("marine") is not None


def test_a_full_download_without_it_skips_it(home: Path, tmp_path: Path, shared: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A mirror with every layer but the optional ones: the install succeeds and names them."""
    root = tmp_path / "www"
    for layer, spec in naturalearth.LAYERS.items():
        if layer in naturalearth.OPTIONAL:
            continue
        src = shared / "naturalearth" / f"{spec['stem']}_levant.geojson"
        make_shapefile_zip(src, root / f"{spec['scale']}/{spec['theme']}", spec["stem"])
    server = _Server(root)
    try:
        man = naturalearth.install(base=server.url)
    finally:
        server.close()
    assert "marine" not in man and "rivers" in man
    assert set(naturalearth.skipped_downloads) == {"marine", "admin1"}
    assert STEM in naturalearth.skipped_downloads["marine"]


def test_offline_it_is_skipped_with_a_message(cli, tmp_path: Path, levant_dir: Path) -> None:
    home = tmp_path / "h"
    env = {"GEOEVENTS_HOME": str(home),
           naturalearth.BASE_URL_ENV: f"http://127.0.0.1:{_closed_port()}"}
    r = cli("data", "install", "naturalearth", "--else-from", str(levant_dir), "--optional",
            env=env)
    assert r.returncode == 0, r.stderr
    assert "skipped   marine" in r.stderr and STEM in r.stderr
    assert "sea and ocean labels" in r.stderr
    man = json.loads((home / "data/naturalearth/manifest.json").read_text())
    assert "marine" not in man and "rivers" in man
    # with a copy in the folder it is installed like the others
    write_marine(levant_dir / f"{STEM}.geojson")
    r = cli("data", "install", "naturalearth", "--from", str(levant_dir), env=env)
    assert r.returncode == 0, r.stderr
    assert "installed marine" in r.stderr
    man = json.loads((home / "data/naturalearth/manifest.json").read_text())
    assert man["marine"]["sha256"] == sha(levant_dir / f"{STEM}.geojson")


def test_the_basemap_names_seas_from_it_when_installed(home: Path, levant_dir: Path) -> None:
    from maps import basemap
    from maps.seas import SEAS

    box = (38.0, 33.0, 42.0, 36.5)  # around Deir ez-Zor; the wide area reaches the coast
    naturalearth.install_from_dir(levant_dir)
    table = basemap.load(box)
    names = {s[2] for s in table.sea_labels}
    assert names and names <= {name for name, *_ in SEAS}  # the built-in table
    assert SEA not in names

    write_marine(levant_dir / f"{STEM}.geojson")
    naturalearth.install_from_dir(levant_dir, ["marine"])
    base = basemap.load(box)
    labels = {s[2]: s for s in base.sea_labels}
    assert set(labels) == {SEA, BAY}  # the file's seas, not the table's
    assert labels[SEA][3] == 3.0 and labels[BAY][3] == 6.5  # first zoom from min_label
    lat, lon = labels[SEA][:2]
    assert 32.5 <= lat <= 34.5 and 32.0 <= lon <= 34.0  # a point inside the polygon
