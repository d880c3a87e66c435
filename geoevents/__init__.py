"""geoevents: incidents from reports and tables, control lines, and the command line.

Builds on :mod:`gazetteer` (places) and :mod:`maps` (drawing and export).

Notebook API (:mod:`geoevents.notebook`, imported on first use so that ``import geoevents`` and
``geoevents --help`` stay fast): :func:`read` tables and articles into an incidents
GeoDataFrame; :class:`Map` shows it inline in Jupyter and writes ``.save()`` (HTML),
``.to_png()``, ``.to_geopackage()``.

Public modules:

- :mod:`geoevents.pipeline`: inputs (tables and/or articles) -> the frames of
  :mod:`maps.schema` (``load_frames``, ``load_incidents``, ``Frames``, ``Rejection``).
- :mod:`geoevents.model`: the incident model (``Incident``, ``EventDate``, ``Location``,
  ``Casualty``, ``Claim``, ``Source``, ``Figure``, ``IncidentError``, ``EVENT_TYPES``).
- :mod:`geoevents.frames`: incidents <-> the incidents GeoDataFrame (``incidents_frame``,
  ``incidents_from_frame``).
- :mod:`geoevents.tables`: tables in and out (``read_table``, ``read_incidents``,
  ``write_incidents``, ``write_frame``): our CSV, JSON/YAML, GeoJSON, ACLED and UCDP GED layouts.
- :mod:`geoevents.extract`: incidents from articles (``extract_files``, ``extract_text``,
  ``extract_document``, ``load_meta``).
- :mod:`geoevents.merge`: several reports of one event into one incident (``merge_incidents``).
- :mod:`geoevents.control`: control lines and zones (:mod:`~geoevents.control.lines`: ``load_specs``, ``build``, ``build_frames``,
  ``load``, ``write``, ``read``) and incident sides (:mod:`~geoevents.control.sides`: ``assign_sides``, ``NEAR_LINE_KM``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Map", "__version__", "read"]

if TYPE_CHECKING:  # for editors and type checkers; at run time, imported on first use
    from .notebook import Map, read

_LAZY = {"read": "notebook", "Map": "notebook"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geoevents' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # once imported, an ordinary attribute (signature and all)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
