"""maps: draws and writes GeoDataFrames (incidents, lines, zones, basemap layers).

Knows no incident classes: its input is a GeoDataFrame with a documented column schema
(:mod:`maps.schema`).

Exports (:mod:`maps.export`, :mod:`maps.kml`, :mod:`maps.qgis_styles`, :mod:`maps.tables`):

- :func:`export_frames` writes incidents, control lines and zones to GeoPackage, GeoJSON, KML or
  CSV (:data:`FORMATS`); :func:`resolve_format`, :func:`output_files` say what it would write;
- :class:`ExportError` (bad path, existing file, unknown format), :class:`FrameError` (a value a
  field cannot hold); both are :class:`gazetteer.GazetteerError`, printed without traceback;
- :func:`maps.qgis_styles.incidents_qml` / ``lines_qml`` / ``zones_qml``: default QGIS styles.
"""

from .export import FORMATS, ExportError, ExportResult, export_frames, output_files, resolve_format
from .tables import FrameError

__all__: list[str] = [
    "FORMATS",
    "ExportError",
    "ExportResult",
    "FrameError",
    "export_frames",
    "output_files",
    "resolve_format",
]
