"""Natural Earth reference layers that the user installs (``geoevents data install naturalearth``).

The tool works without them and says which feature needs them.  Installed files live in
``<data dir>/naturalearth/`` (see :func:`gazetteer.paths.data_dir`) with a ``manifest.json``
recording, for each layer, the file, where it came from, its SHA-256 and when it was installed.

Layer names used across geoevents:

=====================  =====================================  ==========================
layer                  Natural Earth dataset                  used by
=====================  =====================================  ==========================
rivers                 ne_10m_rivers_lake_centerlines         control lines, basemap
lakes                  ne_10m_lakes                           basemap, zones
countries              ne_10m_admin_0_countries               basemap, zones, gazetteer
countries_50m          ne_50m_admin_0_countries               basemap (small scale)
populated_places       ne_10m_populated_places                basemap labels, gazetteer
admin1_label_points    ne_10m_admin_1_label_points            gazetteer (provinces)
=====================  =====================================  ==========================
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import paths
from .errors import GazetteerError

BASE_URL = "https://naciscdn.org/naturalearth"
LAYERS: dict[str, dict[str, str]] = {
    "rivers": {"stem": "ne_10m_rivers_lake_centerlines", "scale": "10m", "theme": "physical"},
    "lakes": {"stem": "ne_10m_lakes", "scale": "10m", "theme": "physical"},
    "countries": {"stem": "ne_10m_admin_0_countries", "scale": "10m", "theme": "cultural"},
    "countries_50m": {"stem": "ne_50m_admin_0_countries", "scale": "50m", "theme": "cultural"},
    "populated_places": {"stem": "ne_10m_populated_places", "scale": "10m", "theme": "cultural"},
    "admin1_label_points": {"stem": "ne_10m_admin_1_label_points", "scale": "10m",
                            "theme": "cultural"},
}


class NotInstalled(GazetteerError):
    """A feature needs a reference layer that is not installed."""

    def __init__(self, layer: str, feature: str = "") -> None:
        what = f" ({feature})" if feature else ""
        super().__init__(
            f"the Natural Earth layer '{layer}' is not installed{what}; install it with "
            "`geoevents data install naturalearth` (or `--from DIR` with the files on disk)"
        )
        self.layer = layer


def url(layer: str) -> str:
    spec = LAYERS[layer]
    return f"{BASE_URL}/{spec['scale']}/{spec['theme']}/{spec['stem']}.zip"


def folder() -> Path:
    return paths.data_dir() / "naturalearth"


def manifest() -> dict[str, Any]:
    """What is installed: {layer: {"file", "source", "sha256", "installed"}}."""
    path = folder() / "manifest.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def installed_path(layer: str) -> Path | None:
    """The installed file of a layer (readable by pyogrio), or None."""
    if layer not in LAYERS:
        raise KeyError(f"unknown Natural Earth layer {layer!r}; known: {', '.join(LAYERS)}")
    entry = manifest().get(layer)
    if not entry:
        return None
    p = folder() / entry["file"]
    return p if p.is_file() else None


def require(layer: str, feature: str = "") -> Path:
    p = installed_path(layer)
    if p is None:
        raise NotInstalled(layer, feature)
    return p


def read_layer(layer: str, *, bbox: tuple[float, float, float, float] | None = None,
               feature: str = ""):
    """The layer as a GeoDataFrame in EPSG:4326 (optionally only features meeting ``bbox``,
    given as (west, south, east, north))."""
    import geopandas as gpd

    frame = gpd.read_file(require(layer, feature), bbox=bbox, engine="pyogrio")
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return frame


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def install_from_dir(source: str | Path, layers: list[str] | None = None) -> dict[str, Any]:
    """Install layers from a local folder holding Natural Earth files (``<stem>.geojson``,
    ``.gpkg``, ``.shp`` or ``.zip``).  Copies each file into :func:`folder`, records its
    checksum in the manifest and returns the manifest."""
    import shutil
    import time

    src = Path(source)
    if not src.is_dir():
        raise GazetteerError(f"{src}: no such folder")
    dest = folder()
    dest.mkdir(parents=True, exist_ok=True)
    man = manifest()
    missing = []
    for layer in layers or list(LAYERS):
        stem = LAYERS[layer]["stem"]
        found = next((src / f"{stem}{ext}" for ext in (".geojson", ".gpkg", ".zip", ".shp")
                      if (src / f"{stem}{ext}").is_file()), None)
        if found is None:
            missing.append(f"{layer} ({stem}.geojson/.gpkg/.zip/.shp)")
            continue
        if found.suffix == ".shp":
            raise GazetteerError(f"{found}: give the .zip of the shapefile, not the .shp")
        tmp = dest / f".{found.name}.tmp"
        shutil.copyfile(found, tmp)
        tmp.replace(dest / found.name)
        man[layer] = {"file": found.name, "source": str(found.resolve()),
                      "sha256": _sha256(dest / found.name),
                      "installed": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    if missing and layers:
        raise GazetteerError(f"{src}: missing {', '.join(missing)}")
    tmp = dest / ".manifest.json.tmp"
    tmp.write_text(json.dumps(man, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(dest / "manifest.json")
    return man
