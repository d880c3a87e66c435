"""Test helpers: distances on the WGS 84 ellipsoid."""

from __future__ import annotations

from pyproj import Geod

_GEOD = Geod(ellps="WGS84")


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return _GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0
