"""The seed frames for the map tests: a view of :mod:`tests.seed` (the one seed fixture, built
from Incident objects by the real frame builder)."""

from __future__ import annotations

from .seed import (
    EUPHRATES,
    SOURCES,
    control_frames,
    incidents_frame,
    seed_rows,
    synthetic_rows,
)

__all__ = ["EUPHRATES", "SOURCES", "control_frames", "incidents_frame", "seed_rows",
           "synthetic_rows"]
