"""geoevents: incidents from reports and tables, control lines, and the command line.

Builds on :mod:`gazetteer` (places) and :mod:`maps` (drawing and export).

Public modules:

- :mod:`geoevents.pipeline`: inputs -> the frames of :mod:`maps.schema` (``load_frames``).
- :mod:`geoevents.lines`: control lines and zones (``load_specs``, ``build``, ``build_frames``,
  ``load``, ``write``, ``read``) and incident sides (``assign_sides``, ``NEAR_LINE_KM``).
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
