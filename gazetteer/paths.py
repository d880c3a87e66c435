"""Where geoevents keeps its files.

``GEOEVENTS_HOME``    one folder for everything (index, installed data, online cache); tests and
                      air-gapped users set it.  Without it, the per-user cache and data folders
                      of the platform (platformdirs) are used.
``GEOEVENTS_INDEX``   the gazetteer index file itself (also ``--index`` on the command line).
``GEOEVENTS_CONFIG``  the configuration file (default: ``<user config dir>/config.toml``).
``GEOEVENTS_DATA``    the shipped data folder (default: ``data/`` of the source tree, or the
                      installed ``geoevents_data`` package).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

APP = "geoevents"


def home() -> Path | None:
    value = os.environ.get("GEOEVENTS_HOME")
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    h = home()
    if h is not None:
        return h
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP))


def data_dir() -> Path:
    """Folder for data the user installs (GeoNames dumps, Natural Earth layers)."""
    h = home()
    if h is not None:
        return h / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP))


def default_index_path() -> Path:
    value = os.environ.get("GEOEVENTS_INDEX")
    if value:
        return Path(value).expanduser()
    return cache_dir() / "gazetteer.sqlite"


def config_path() -> Path:
    value = os.environ.get("GEOEVENTS_CONFIG")
    if value:
        return Path(value).expanduser()
    h = home()
    if h is not None:
        return h / "config.toml"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def shipped_data(*parts: str) -> Path:
    """A file or folder of the data shipped with geoevents (``data/`` in the source tree)."""
    value = os.environ.get("GEOEVENTS_DATA")
    if value:
        base = Path(value)
    else:
        source_tree = Path(__file__).resolve().parent.parent / "data"
        if source_tree.is_dir():
            base = source_tree
        else:  # installed wheel: data/ is the package geoevents_data
            from importlib.resources import files

            base = Path(str(files("geoevents_data")))
    return base.joinpath(*parts)


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB chunks (checksums of sources and installed data)."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(address: str, target: Path, sha256: str | None = None, *, refresh: bool = False,
          progress: bool = False, timeout: Any = 60) -> tuple[Path, bool]:
    """Download ``address`` to ``target`` with pooch (written whole, checksummed by pooch when
    the checksum is known) -- unless ``target`` is there and its SHA-256 is ``sha256`` (the
    one a manifest recorded), which is then kept without a request; ``refresh`` downloads it
    again.  Returns the file and whether it was kept.  The downloader's errors (connection,
    HTTP, checksum) propagate for the caller to name."""
    import logging

    import pooch

    pooch.get_logger().setLevel(logging.WARNING)
    known = None
    if not refresh and sha256 and target.is_file() and sha256_file(target) == sha256:
        known = f"sha256:{sha256}"  # pooch keeps the cached file
    else:
        target.unlink(missing_ok=True)
    got = Path(pooch.retrieve(address, known_hash=known, fname=target.name, path=target.parent,
                              downloader=pooch.HTTPDownloader(progressbar=progress,
                                                              timeout=timeout)))
    return got, known is not None
