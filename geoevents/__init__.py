"""geoevents: incidents from reports and tables, control lines, and the command line.

Builds on :mod:`gazetteer` (places) and :mod:`maps` (drawing and export).

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

__version__ = "0.1.0"

__all__ = ["__version__"]
