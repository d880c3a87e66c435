"""geoevents: incidents from reports and tables, control lines, and the command line.

Builds on :mod:`gazetteer` (places) and :mod:`maps` (drawing and export).
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
