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

from typing import Any

from .basemap import Basemap
from .basemap import load as load_basemap
from .basemap import prepare as prepare_basemap
from .export import FORMATS, ExportError, ExportResult, export_frames, output_files, resolve_format
from .schema import SchemaError
from .tables import FrameError


def render_html(*args: Any, **kwargs: Any) -> str:
    from .html import render_html as impl

    return impl(*args, **kwargs)


def render_fragment(*args: Any, **kwargs: Any) -> str:
    from .html import render_fragment as impl

    return impl(*args, **kwargs)


def render_static(*args: Any, **kwargs: Any) -> bytes:
    from .image import render_static as impl

    return impl(*args, **kwargs)


def render_brief(*args: Any, **kwargs: Any) -> str:
    from .brief import render_brief as impl

    return impl(*args, **kwargs)


def data_bounds(*args: Any, **kwargs: Any) -> Any:
    from .html import data_bounds as impl

    return impl(*args, **kwargs)


render_html.__doc__ = "See :func:`maps.html.render_html`."
render_fragment.__doc__ = "See :func:`maps.html.render_fragment`."
render_static.__doc__ = "See :func:`maps.image.render_static`."
render_brief.__doc__ = "See :func:`maps.brief.render_brief`."
data_bounds.__doc__ = "See :func:`maps.html.data_bounds`."

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
