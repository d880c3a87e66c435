"""The incident store: where incidents accumulate over months (issue 16).

A store is either a GeoPackage (the embedded default, the very file ``geoevents export`` writes:
layers ``incidents`` and ``sources``, styled for QGIS, plus the store's history tables) or a
PostgreSQL/PostGIS database (``postgresql://...``) a team shares.  Both keep the same tables:

``geoevents_meta``      key/value: ``schema_version``, ``created``, ``geoevents_version``
``store_inputs``        each input added: content digest (SHA-256), name, when, what it did
``store_reports``       each report (a row of a table, an incident of an article) as read, with
                        its input and the incident it is part of
``store_figures``       the history of figures: every source's figure as each report gave it,
                        with when and from which input; a revised report's earlier figures are
                        kept, marked superseded
``store_corrections``   hand corrections (``geoevents store edit``), applied after every merge
``store_changes``       the log (``geoevents store log``)

:func:`open_store` opens either kind; :mod:`geoevents.store.core` holds what both share (the
matching with :mod:`geoevents.merge`'s rules, the plan of an ``add``, corrections, filters).
"""

from __future__ import annotations

from .access import is_database_url, open_store, read_store
from .core import SCHEMA_VERSION, StoreError
from .query import StoreQuery

__all__ = ["SCHEMA_VERSION", "StoreError", "StoreQuery", "is_database_url", "open_store",
           "read_store"]
