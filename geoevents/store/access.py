"""Opening a store of either kind and reading its incidents into a run's frames (a leaf of
the package: :mod:`.query` and the package itself import it)."""

from __future__ import annotations

from typing import Any


def is_database_url(location: str) -> bool:
    return str(location).startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def open_store(location: Any, *, create: bool = False):
    """The store at ``location`` (a GeoPackage path or a PostgreSQL URL).  ``create``: make a new
    store when there is none (``geoevents add``); otherwise a missing store is a StoreError."""
    if is_database_url(str(location)):
        from .pg import PostgresStore

        return PostgresStore(str(location), create=create)
    from .gpkg import GeoPackageStore

    return GeoPackageStore(location, create=create)


def read_store(frames: Any, query: Any) -> Any:
    """Add the incidents of ``query``'s store that pass its filters to ``frames`` (a
    :class:`geoevents.pipeline.Frames`); the store's messages join the frames' messages."""
    import geopandas as gpd
    import pandas as pd

    store = open_store(query.location)
    frame, messages = store.read(query)
    if len(frames.incidents):
        frame = gpd.GeoDataFrame(pd.concat([frames.incidents, frame], ignore_index=True),
                                 crs="EPSG:4326")
    frames.incidents = frame
    frames.messages.extend(messages)
    frames.sources.append(getattr(store, "display", store.location))
    return frames
