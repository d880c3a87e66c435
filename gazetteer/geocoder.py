"""A geopy-compatible geocoder backed by the offline gazetteer.

``OfflineGeocoder`` follows geopy's ``Geocoder`` interface: ``geocode(query, exactly_one=True)``
returns a ``geopy.location.Location`` (or a list of them with ``exactly_one=False``, one per
candidate), whose ``raw`` holds the gazetteer's answer (:meth:`Resolution.to_dict`: status,
match, confidence, precision, kind, id, candidates ...).  No network is used, so::

    import geopandas
    from gazetteer.geocoder import OfflineGeocoder

    frame = geopandas.tools.geocode(["Mayadeen", "Deir ez-Zor province"],
                                    provider=OfflineGeocoder, focus=["SY"])

works offline (geopandas instantiates the class with the keyword arguments given).  Names the
gazetteer cannot place give ``None`` (geopandas then writes an empty point).  Ambiguous names
give their best candidate, with ``raw["status"] == "ambiguous"`` (or ``None`` with
``strict=True``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from .model import Context, Place, Resolution
from .resolver import Gazetteer


def _address(p: Place) -> str:
    parts = [p.name]
    if p.admin1_name and p.admin1_name != p.name:
        parts.append(p.admin1_name)
    if p.country and p.kind != "country":
        parts.append(p.country)
    return ", ".join(parts)


class OfflineGeocoder(Geocoder):
    """geopy geocoder over :class:`gazetteer.Gazetteer` (offline unless ``online`` is given)."""

    def __init__(self, *, gazetteer: Gazetteer | None = None, index: str | Path | None = None,
                 overlays: Sequence[str | Path] = (), focus: Sequence[str] | str = (),
                 mentions: Sequence[str] = (), strict: bool = False, online: Any = None,
                 user_agent: str | None = None, timeout: Any = DEFAULT_SENTINEL,
                 **kwargs: Any) -> None:
        super().__init__(user_agent=user_agent or "geoevents-offline", timeout=timeout,
                         **kwargs)
        self.gazetteer = gazetteer or Gazetteer(index, overlays=overlays, online=online,
                                                verbose=False)
        self.context = Context(countries=(focus,) if isinstance(focus, str) else tuple(focus),
                               mentions=tuple(mentions))
        self.strict = strict

    def _location(self, r: Resolution, p: Place | None = None) -> Location | None:
        p = p or r.place
        if p is None:
            return None
        return Location(_address(p), (p.lat, p.lon), r.to_dict())

    def geocode(self, query: str, *, exactly_one: bool = True, timeout: Any = None,
                country_codes: Sequence[str] | str | None = None,
                context: Context | None = None) -> Location | list[Location] | None:
        """The place for ``query`` (a name or a phrase: "20 km west of Palmyra")."""
        ctx = context or self.context
        if country_codes:
            cc = (country_codes,) if isinstance(country_codes, str) else tuple(country_codes)
            ctx = ctx.with_(countries=tuple(c.upper() for c in cc))
        r = self.gazetteer.resolve(str(query), ctx)
        if exactly_one:
            if r.status == "unresolved" or (self.strict and r.status != "resolved"):
                return None
            return self._location(r)
        if r.place is None:
            return None
        out = [self._location(r)]
        for c in r.candidates:
            if c.place.uid != r.place.uid:
                out.append(self._location(r, c.place))
        return [loc for loc in out if loc is not None]

    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: Any = None
                ) -> Location | list[Location] | None:
        raise NotImplementedError("the offline gazetteer does not reverse-geocode")
