"""maps: draws and writes GeoDataFrames (incidents, lines, zones, basemap layers).

Knows no incident classes: its input is a GeoDataFrame with a documented column schema
(:mod:`maps.schema`).  Public API:

- :func:`render_html` — one self-contained, offline, interactive HTML page (folium + Leaflet,
  inlined); :func:`render_fragment` — that page as a fragment to paste into another page;
- :func:`render_static` — a PNG or SVG map (matplotlib/geopandas, no browser, no network);
- :func:`render_brief` — a one-page HTML briefing: map, static image, table of incidents;
- :func:`load_basemap` — the Natural Earth basemap around a box; :class:`Basemap`,
  :func:`prepare_basemap` for layers given as frames;
- :func:`data_bounds`; :mod:`maps.style` (colours, shapes, sizes); :mod:`maps.schema`;
- exports (:mod:`maps.export`, :mod:`maps.geojson`, :mod:`maps.kml`, :mod:`maps.qgis_styles`,
  :mod:`maps.tables`): :func:`export_frames` writes incidents, control lines and zones to
  GeoPackage, GeoJSON, KML or CSV (:data:`FORMATS`); :func:`resolve_format` and
  :func:`output_files` say what it would write; :class:`ExportError` (bad path, existing file,
  unknown format) and :class:`FrameError` (a value a field cannot hold) are
  :class:`gazetteer.UserError` (the one base of errors a person can act on), printed
  without traceback.

Heavy libraries are imported when a function is called, not when :mod:`maps` is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # editors and type checkers see the real objects and their parameters
    from .basemap import Basemap
    from .basemap import load as load_basemap
    from .basemap import prepare as prepare_basemap
    from .brief import render_brief
    from .export import (
        FORMATS,
        ExportError,
        ExportResult,
        export_frames,
        output_files,
        resolve_format,
    )
    from .html import data_bounds, render_fragment, render_html
    from .image import render_static
    from .schema import SchemaError
    from .tables import FrameError

# Everything is imported on first use (PEP 562): the drawing and export modules pull in
# folium, matplotlib, shapely, pyarrow.  What is returned is the module's own object, so help(),
# signatures and editors see every parameter.  name -> (module, name there)
_LAZY = {
    "render_html": ("html", "render_html"), "render_fragment": ("html", "render_fragment"),
    "data_bounds": ("html", "data_bounds"), "render_static": ("image", "render_static"),
    "render_brief": ("brief", "render_brief"), "Basemap": ("basemap", "Basemap"),
    "load_basemap": ("basemap", "load"), "prepare_basemap": ("basemap", "prepare"),
    "FORMATS": ("export", "FORMATS"), "ExportError": ("export", "ExportError"),
    "ExportResult": ("export", "ExportResult"), "export_frames": ("export", "export_frames"),
    "output_files": ("export", "output_files"), "resolve_format": ("export", "resolve_format"),
    "SchemaError": ("schema", "SchemaError"), "FrameError": ("tables", "FrameError"),
}


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'maps' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{where[0]}", __name__), where[1])
    globals()[name] = value  # from now on an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "FORMATS",
    "Basemap",
    "ExportError",
    "ExportResult",
    "FrameError",
    "SchemaError",
    "data_bounds",
    "export_frames",
    "load_basemap",
    "output_files",
    "prepare_basemap",
    "render_brief",
    "render_fragment",
    "render_html",
    "render_static",
    "resolve_format",
]
