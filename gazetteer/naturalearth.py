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
admin1                 ne_10m_admin_1_states_provinces        zones clipped to a province
marine                 ne_10m_geography_marine_polys          basemap sea labels
=====================  =====================================  ==========================

``admin1`` and ``marine`` are optional (:data:`OPTIONAL`): an install of every layer that finds
no copy of one of them (offline, from a folder without it) skips it and says so; the map then
names seas from its built-in table (:mod:`maps.seas`).

Installing: :func:`install` downloads each layer's zip from Natural Earth's own address
(:func:`url`, base ``$GEOEVENTS_NATURALEARTH_URL`` or :data:`BASE_URL`) with pooch into
:func:`folder`; a file already there whose SHA-256 matches the manifest is not fetched again.
:func:`install_from_dir` installs the same layers from a local folder (no network).  Both check
every file before recording it (:func:`check_layer`: it opens, has the expected geometry and
columns, is not empty); :func:`status` re-hashes the installed files against the manifest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import paths
from .atomic import Staged, write_file
from .errors import GazetteerError

BASE_URL = "https://naciscdn.org/naturalearth"
BASE_URL_ENV = "GEOEVENTS_NATURALEARTH_URL"
LAYERS: dict[str, dict[str, str]] = {
    "rivers": {"stem": "ne_10m_rivers_lake_centerlines", "scale": "10m", "theme": "physical"},
    "lakes": {"stem": "ne_10m_lakes", "scale": "10m", "theme": "physical"},
    "countries": {"stem": "ne_10m_admin_0_countries", "scale": "10m", "theme": "cultural"},
    "countries_50m": {"stem": "ne_50m_admin_0_countries", "scale": "50m", "theme": "cultural"},
    "populated_places": {"stem": "ne_10m_populated_places", "scale": "10m", "theme": "cultural"},
    "admin1_label_points": {"stem": "ne_10m_admin_1_label_points", "scale": "10m",
                            "theme": "cultural"},
    "admin1": {"stem": "ne_10m_admin_1_states_provinces", "scale": "10m", "theme": "cultural"},
    "marine": {"stem": "ne_10m_geography_marine_polys", "scale": "10m", "theme": "physical"},
}

#: Layers that only some features need: a folder without them is still a complete install.
OPTIONAL: dict[str, str] = {"admin1": "zones clipped to a province",
                             "marine": "sea and ocean labels (else the built-in table)"}

#: What each layer must hold to be usable: geometry family and columns (any case).
EXPECT: dict[str, tuple[str, tuple[str, ...]]] = {
    "rivers": ("line", ("name", "featurecla")),
    "lakes": ("polygon", ("name",)),
    "countries": ("polygon", ("iso_a2", "name")),
    "countries_50m": ("polygon", ("iso_a2", "name")),
    "populated_places": ("point", ("name",)),
    "admin1_label_points": ("point", ("name",)),
    "admin1": ("polygon", ("name", "iso_a2")),
    "marine": ("polygon", ("name", "featurecla")),
}
_FAMILY = {"point": ("Point", "MultiPoint"), "line": ("LineString", "MultiLineString"),
           "polygon": ("Polygon", "MultiPolygon")}


#: Seconds to wait for Natural Earth's server to answer (connect, read): offline, the install
#: fails in seconds instead of hanging.
TIMEOUT = (10, 120)


class DownloadError(GazetteerError):
    """A layer could not be downloaded (no network, an HTTP error, a checksum mismatch)."""


def _why(exc: BaseException) -> str:
    """A short reason for a failed download: "cannot connect to naciscdn.org", "HTTP 404"."""
    kinds = {k.__name__ for k in type(exc).__mro__}  # requests' errors (pooch's HTTP client)
    response = getattr(exc, "response", None)
    if "HTTPError" in kinds and response is not None:
        return f"HTTP {response.status_code}"
    if "Timeout" in kinds:
        return "no answer in time"
    if "ConnectionError" in kinds:
        req = getattr(exc, "request", None)
        host = ""
        if req is not None and req.url:
            from urllib.parse import urlsplit

            host = urlsplit(req.url).hostname or ""
        return f"cannot connect{' to ' + host if host else ''}: no network?"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


class NotInstalled(GazetteerError):
    """A feature needs a reference layer that is not installed."""

    def __init__(self, layer: str, feature: str = "") -> None:
        what = f" ({feature})" if feature else ""
        super().__init__(
            f"the Natural Earth layer '{layer}' is not installed{what}; install it with "
            "`geoevents data install naturalearth` (or `--from DIR` with the files on disk)"
        )
        self.layer = layer


def base_url() -> str:
    """Where downloads come from: ``$GEOEVENTS_NATURALEARTH_URL`` or Natural Earth's CDN."""
    import os

    return (os.environ.get(BASE_URL_ENV) or BASE_URL).rstrip("/")


def url(layer: str, base: str | None = None) -> str:
    """Natural Earth's download address of a layer (``<base>/10m/physical/<stem>.zip``)."""
    spec = _spec(layer)
    root = (base or base_url()).rstrip("/")
    return f"{root}/{spec['scale']}/{spec['theme']}/{spec['stem']}.zip"


def _spec(layer: str) -> dict[str, str]:
    if layer not in LAYERS:
        raise GazetteerError(f"unknown Natural Earth layer {layer!r}; known: {', '.join(LAYERS)}")
    return LAYERS[layer]


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
               feature: str = "", where: str | None = None):
    """The layer as a GeoDataFrame in EPSG:4326 (optionally only features meeting ``bbox``,
    given as (west, south, east, north), and/or an OGR SQL ``where`` filter)."""
    import geopandas as gpd

    frame = gpd.read_file(require(layer, feature), bbox=bbox, where=where, engine="pyogrio")
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return frame




def source_file(source: str | Path, layer: str) -> Path | None:
    """The file of ``layer`` in a local folder (``<stem>.geojson``, ``.gpkg``, ``.zip`` or
    ``.shp``), or None."""
    stem = _spec(layer)["stem"]
    src = Path(source)
    return next((src / f"{stem}{ext}" for ext in (".geojson", ".gpkg", ".zip", ".shp")
                 if (src / f"{stem}{ext}").is_file()), None)


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
        stem = _spec(layer)["stem"]
        found = source_file(src, layer)
        if found is None:
            missing.append(f"{layer} ({stem}.geojson/.gpkg/.zip/.shp)")
            continue
        if found.suffix == ".shp":
            raise GazetteerError(f"{found}: give the .zip of the shapefile, not the .shp")
        target = dest / found.name
        # copied and checked under a temporary name, then renamed into place
        with Staged([target], overwrite=True, what="Natural Earth layer",
                    error=GazetteerError) as st:
            shutil.copyfile(found, st.path(target))
            info = check_layer(layer, st.path(target), shown=str(found))
        old = man.get(layer, {}).get("file")
        if old and old != target.name:  # the layer's previous file, under another name
            (dest / old).unlink(missing_ok=True)
        man[layer] = {"file": found.name, "source": str(found.resolve()),
                      "sha256": paths.sha256_file(dest / found.name), "features": info["features"],
                      "installed": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        _write_manifest(man)
    if missing and layers:
        raise GazetteerError(f"{src}: missing {', '.join(missing)}")
    _write_manifest(man)
    return man


def _write_manifest(man: dict[str, Any]) -> None:
    dest = folder()
    dest.mkdir(parents=True, exist_ok=True)
    write_file(dest / "manifest.json", json.dumps(man, indent=2, sort_keys=True) + "\n",
               overwrite=True, what="Natural Earth manifest", error=GazetteerError)


def check_layer(layer: str, path: str | Path, *, shown: str | None = None) -> dict[str, Any]:
    """Check that ``path`` holds a usable copy of ``layer``: it opens (GeoJSON, GeoPackage or a
    zipped shapefile), has features of the expected geometry and the expected columns.  Returns
    {"features", "geometry_type", "fields"}; raises GazetteerError saying what is wrong."""
    import pyogrio

    what = shown or str(path)
    family, needed = EXPECT.get(layer, ("", ()))
    try:
        info = pyogrio.read_info(str(path))
        sample = pyogrio.read_dataframe(str(path), max_features=50)
    except Exception as exc:  # GDAL's errors: not a vector file, a zip without a layer, ...
        raise GazetteerError(f"{what}: not a readable vector file for the Natural Earth layer "
                             f"'{layer}' ({exc})") from None
    fields = [str(f) for f in info.get("fields", [])]
    lower = {f.lower() for f in fields}
    lacking = [c for c in needed if c not in lower]
    if lacking:
        raise GazetteerError(f"{what}: lacks the column(s) {', '.join(lacking)} of Natural Earth's "
                             f"{LAYERS[layer]['stem']}; is it the right file?")
    count = int(info.get("features") or 0)
    if count <= 0 or sample.empty:
        raise GazetteerError(f"{what}: holds no features")
    if family:
        kinds = set(sample.geometry.dropna().geom_type)
        if not kinds or not kinds <= set(_FAMILY[family]):
            raise GazetteerError(f"{what}: the layer '{layer}' must hold {family} geometries, "
                                 f"not {', '.join(sorted(kinds)) or 'none'}")
    return {"features": count, "geometry_type": info.get("geometry_type"), "fields": fields}


#: Optional layers the last :func:`install` of every layer could not download: {layer: why}.
skipped_downloads: dict[str, str] = {}


def install(layers: list[str] | None = None, *, base: str | None = None, refresh: bool = False,
            progress: bool = False) -> dict[str, Any]:
    """Download layers (default: all of :data:`LAYERS`) from Natural Earth's addresses with pooch.

    Each zip goes to :func:`folder` and is checked (:func:`check_layer`) before the manifest
    records its address and SHA-256.  A file already installed whose checksum still matches the
    manifest is kept without downloading (``refresh=True`` fetches it again).  Returns the
    manifest; raises GazetteerError naming the layer and address that failed.  With
    ``layers=None`` (every layer), an optional layer (:data:`OPTIONAL`) that cannot be downloaded
    is skipped and named in :data:`skipped_downloads` instead."""
    import logging
    import time

    import pooch

    pooch.get_logger().setLevel(logging.WARNING)
    skipped_downloads.clear()
    dest = folder()
    dest.mkdir(parents=True, exist_ok=True)
    man = manifest()
    for layer in layers or list(LAYERS):
        address = url(layer, base)
        fname = f"{_spec(layer)['stem']}.zip"
        entry = man.get(layer, {})
        try:
            got, known = paths.fetch(address, dest / fname,
                                     entry.get("sha256") if entry.get("file") == fname else None,
                                     refresh=refresh, progress=progress, timeout=TIMEOUT)
        except Exception as exc:  # requests' HTTP/connection errors, pooch's hash mismatch
            if layers is None and layer in OPTIONAL:
                skipped_downloads[layer] = f"{address}: {_why(exc)}"
                continue
            raise DownloadError(
                f"could not download the Natural Earth layer '{layer}' from {address} "
                f"({_why(exc)}); on a machine without internet, install the files from a "
                "folder instead: `geoevents data install naturalearth --from DIR`") from None
        try:
            info = check_layer(layer, got, shown=f"{address} (downloaded)")
        except GazetteerError:
            got.unlink(missing_ok=True)
            raise
        digest = paths.sha256_file(got)
        if known and entry.get("installed"):
            stamp = entry["installed"]
        else:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        old = entry.get("file")
        if old and old != fname:
            (dest / old).unlink(missing_ok=True)
        man[layer] = {"file": fname, "source": address, "sha256": digest,
                      "features": info["features"], "installed": stamp}
        _write_manifest(man)
    return man


def status() -> list[dict[str, Any]]:
    """One row per known layer: {"layer", "dataset", "state" (ok | missing | changed |
    not installed), "file", "size", "sha256", "source", "installed", "features"}.  Installed
    files are hashed again and compared with the manifest."""
    man = manifest()
    rows = []
    for layer, spec in LAYERS.items():
        entry = man.get(layer) or {}
        row: dict[str, Any] = {"layer": layer, "dataset": spec["stem"], "state": "not installed",
                               "file": "", "size": None, "sha256": "", "source": "",
                               "installed": "", "features": None}
        if entry:
            p = folder() / entry.get("file", "")
            row.update(file=str(p), sha256=entry.get("sha256", ""),
                       source=entry.get("source", ""), installed=entry.get("installed", ""),
                       features=entry.get("features"))
            if not p.is_file():
                row["state"] = "missing"
            else:
                row["size"] = p.stat().st_size
                row["state"] = "ok" if paths.sha256_file(p) == entry.get("sha256") else "changed"
        rows.append(row)
    return rows
