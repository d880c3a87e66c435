"""The seed frames for the export tests and benchmarks: a view of :mod:`tests.seed` (the one seed
fixture, built from Incident objects by the real frame builder)."""

from __future__ import annotations

from typing import Any

from .seed import EUPHRATES, control_frames, seed_rows
from .seed import incidents_frame as incidents_frame

__all__ = ["EUPHRATES", "incident_rows", "incidents_frame", "lines_frame", "zones_frame"]


def incident_rows() -> list[dict[str, Any]]:
    return seed_rows()


def lines_frame() -> Any:
    return control_frames()[0]


def zones_frame() -> Any:
    return control_frames()[1]
