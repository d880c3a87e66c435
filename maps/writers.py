"""What geoevents writes, and the one way it writes it.

:data:`FORMATS` is the one table of output formats: for each, the extensions that name it, the
GDAL driver that writes it (as geopandas' extension-to-driver table; ``None`` where geoevents
writes the bytes itself) and what it is.  :data:`COMMAND_FORMATS` says which formats each command
writes; an extension claimed by two formats of one command means the first (``.json`` is GeoJSON
for ``export`` and ``lines``, the incident model's JSON for ``extract``; ``.csv`` is our layout
unless ``--format`` says ``acled``/``ucdp``/``acled-csv``).  :func:`format_for` picks the format of
an output and refuses an extension that does not match it (``map -o m.pdf``, ``--png map.html``).

Every file is written through :class:`gazetteer.atomic.Staged` (re-exported here): checks first
(no existing file without ``overwrite``, never an input of the command), a temporary file in the
target folder, ``fsync``, an exclusive rename, clean-up on errors and signals.  GeoPackages are
byte-identical between runs: :func:`gdal_config` with :func:`fixed_timestamp` fixes the
``last_change`` stamps GDAL writes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gazetteer.atomic import (
    OutputError,
    Staged,
    check,
    is_disk_error,
    reason,
    staged,
    sweep,
    write_file,
)
from gazetteer.errors import UserError

__all__ = [
    "COMMAND_FORMATS", "FIXED_TIMESTAMP", "FORMATS", "Format", "OutputError", "Staged", "check",
    "extensions_text", "fixed_timestamp", "format_for", "gdal_config", "gpkg_options",
    "is_disk_error", "reason", "staged",
    "sweep", "write_file",
]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    driver: str | None  # the GDAL driver (pyogrio), None when geoevents writes the file itself
    description: str


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("html", (".html", ".htm"), None, "a self-contained HTML page"),
    Format("png", (".png",), None, "a PNG image"),
    Format("svg", (".svg",), None, "an SVG image"),
    Format("gpkg", (".gpkg",), "GPKG",
           "GeoPackage with layers incidents, sources, control_lines, zones, styled for QGIS"),
    Format("geojson", (".geojson", ".json"), None,  # maps.geojson, the one GeoJSON writer
           "GeoJSON (RFC 7946), one file per layer, with a QGIS .qml style beside each"),
    Format("kml", (".kml",), None,
           "KML for Google Earth: styled placemarks with descriptions and time spans"),
    Format("csv", (".csv",), None,
           "CSV in the geoevents layout (the incident columns), UTF-8 for spreadsheets"),
    Format("acled-csv", (".csv",), None,
           "CSV in ACLED's export column layout, for tools that read ACLED data"),
    Format("json", (".json",), None, "the incident model as JSON"),
    Format("yaml", (".yaml", ".yml"), None, "the incident model as YAML"),
    Format("acled", (".csv",), None, "CSV in ACLED's export column layout"),
    Format("ucdp", (".csv",), None, "CSV in UCDP GED's column layout"),
)}

#: The formats each command (or output option) writes, the default for an extension first.
COMMAND_FORMATS: dict[str, tuple[str, ...]] = {
    "map": ("html",),
    "map --png": ("png",),
    "map --svg": ("svg",),
    "map --fragment": ("html",),
    "brief": ("html",),
    "export": ("gpkg", "geojson", "kml", "csv", "acled-csv"),
    "extract": ("json", "yaml", "csv", "acled", "ucdp", "geojson"),
    "lines build": ("geojson", "gpkg"),
    "lines sides": ("geojson", "csv"),
    "areas build": ("geojson",),
}


def extensions_text(command: str) -> str:
    """".gpkg, .geojson/.json, .kml, .csv" for ``export``."""
    seen = dict.fromkeys("/".join(FORMATS[f].extensions) for f in COMMAND_FORMATS[command])
    return ", ".join(seen)


def format_for(command: str, path: str | os.PathLike[str], fmt: str | None = None, *,
               error: type[UserError] = OutputError) -> str:
    """The format ``command`` writes ``path`` in: ``fmt`` if given (checked against the
    extension), else the command's first format for the extension; ``error`` otherwise."""
    path = Path(path)
    names = COMMAND_FORMATS[command]
    suffix = path.suffix.lower()
    if path.is_dir():  # before the extension: a folder named "out.csv" is still a folder
        raise error(f"{path}: is a folder; give a file name (for example "
                    f"{path / ('out' + FORMATS[names[0]].extensions[0])})")
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in names:
            raise error(f"unknown format {fmt!r}; formats: {', '.join(names)}")
        exts = FORMATS[fmt].extensions
        if suffix not in exts:
            raise error(f"{path}: a {fmt} file must end in {' or '.join(exts)}")
        return fmt
    for name in names:
        if suffix in FORMATS[name].extensions:
            return name
    what = f"'{suffix}' files" if suffix else "files without an extension"
    hint = f" (or --format {{{','.join(names)}}})" if len(names) > 1 else ""
    raise error(f"{path}: geoevents {command} does not write {what} (cannot tell the format); "
                f"give the output one of the extensions {extensions_text(command)}{hint}")


# --- deterministic GDAL output -------------------------------------------------------------------

FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"


def fixed_timestamp() -> str:
    """The time stamp written into files that want one (GeoPackage ``last_change``, QGIS style
    ``update_time``): ``$SOURCE_DATE_EPOCH`` if set, else :data:`FIXED_TIMESTAMP`; never the
    clock, so the same input gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        from datetime import UTC, datetime

        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return FIXED_TIMESTAMP


@contextlib.contextmanager
def gdal_config(**options: str) -> Iterator[None]:
    """GDAL configuration options for the duration of a block (restored after)."""
    import pyogrio

    before = {k: pyogrio.get_gdal_config_option(k) for k in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(before)


def gpkg_options() -> dict[str, str]:
    """GDAL options for a GeoPackage written into a fresh temporary file: fixed time stamps, and
    no journal (the file is renamed into place only when whole)."""
    return {"OGR_CURRENT_DATE": fixed_timestamp(), "OGR_SQLITE_SYNCHRONOUS": "OFF",
            "OGR_SQLITE_JOURNAL": "OFF", "OGR_SQLITE_CACHE": "256"}
