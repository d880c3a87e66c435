"""The seed outputs stay byte-identical: the SHA-256 of every file ``export`` writes for the seed
fixture (GeoPackage, GeoJSON, KML, CSV and their QGIS styles) and of every file ``geoevents map``
draws from that export (HTML page, SVG, PNG; ``--no-basemap``, so neither the gazetteer index nor
Natural Earth enters) is compared with the hashes recorded in ``tests/data/golden.json``.

A change to a writer, the schema, the page or the seed fixture fails here, naming the files that
changed.  When the change is meant, record the new hashes and commit them with it::

    GEOEVENTS_UPDATE_GOLDEN=1 python -m pytest tests/test_export_golden.py

Bytes also depend on the libraries that write them (GDAL for the GeoPackage, matplotlib for the
images, shapely/GEOS for coordinates ...).  Their versions are recorded beside the hashes; when
one differs from the recording and files differ, the test skips and says which versions moved
(regenerate on the new versions); with the recorded versions any difference fails.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from .conftest import ROOT
from .seed import control_frames, incidents_frame

GOLDEN = ROOT / "tests" / "data" / "golden.json"
UPDATE = os.environ.get("GEOEVENTS_UPDATE_GOLDEN", "") == "1"


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    import matplotlib
    import numpy
    import pandas
    import pyogrio
    import pyproj
    import shapely

    return {"numpy": numpy.__version__, "pandas": pandas.__version__,
            "shapely": shapely.__version__, "geos": shapely.geos_version_string,
            "gdal": pyogrio.__gdal_version_string__, "pyogrio": pyogrio.__version__,
            "proj": pyproj.proj_version_str, "matplotlib": matplotlib.__version__,
            "folium": version("folium"), "branca": version("branca")}


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def seed_outputs(tmp_path_factory: pytest.TempPathFactory, cli) -> dict[str, dict[str, str]]:
    from maps.export import export_frames

    inc = incidents_frame()
    lines, zones = control_frames()
    out: dict[str, dict[str, str]] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)  # the fixed stamp, not a caller's
        for ext in ("gpkg", "geojson", "kml", "csv"):
            folder = tmp_path_factory.mktemp(f"golden-{ext}")
            export_frames(folder / f"seed.{ext}", inc, lines, zones)
            out[f"export {ext}"] = _digests(folder)
            if ext == "geojson":
                exported = folder
    folder = tmp_path_factory.mktemp("golden-map")
    r = cli("map", str(exported / "seed.geojson"), "--no-basemap",
            "--title", "Seed incidents", "-o", str(folder / "map.html"),
            "--svg", str(folder / "map.svg"), "--png", str(folder / "map.png"),
            env={"SOURCE_DATE_EPOCH": ""})
    assert r.returncode == 0, r.stderr
    out["map"] = _digests(folder)
    return out


def test_seed_outputs_are_byte_identical_to_the_recording(seed_outputs) -> None:
    versions = _versions()
    if UPDATE:
        GOLDEN.write_text(json.dumps({"versions": versions, "outputs": seed_outputs},
                                     indent=2, sort_keys=True) + "\n", encoding="utf-8")
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    want = recorded["outputs"]
    assert sorted(seed_outputs) == sorted(want)
    changed = [f"{job}: {name}" for job in sorted(want)
               for name in sorted(set(want[job]) | set(seed_outputs[job]))
               if want[job].get(name) != seed_outputs[job].get(name)]
    if not changed:
        return
    moved = {k: (recorded["versions"].get(k), v) for k, v in versions.items()
             if recorded["versions"].get(k) != v}
    how = "GEOEVENTS_UPDATE_GOLDEN=1 python -m pytest tests/test_export_golden.py"
    if moved:
        pytest.skip(f"seed outputs differ ({', '.join(changed)}) and libraries moved since the "
                    f"recording ({moved}); regenerate on these versions: {how}")
    pytest.fail(f"seed outputs changed: {', '.join(changed)}.  If meant: {how}")


def test_the_recording_covers_every_format_and_the_map() -> None:
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))["outputs"]
    assert set(recorded) == {"export gpkg", "export geojson", "export kml", "export csv", "map"}
    assert set(recorded["export gpkg"]) == {"seed.gpkg"}  # styles inside
    assert {"seed.geojson", "seed.control_lines.geojson", "seed.zones.geojson"} <= set(
        recorded["export geojson"])
    assert {"map.html", "map.svg", "map.png"} == set(recorded["map"])
    assert all(len(h) == 64 for job in recorded.values() for h in job.values())
