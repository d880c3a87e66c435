"""gazetteer: place names as conflict reporting writes them -> places, with context and confidence.

Knows nothing of incidents or maps.  Public API:

- :class:`Gazetteer` (``resolve``, ``resolve_many``, ``resolve_document``, ``add_overlay``)
- :class:`Context`, :class:`Place`, :class:`Candidate`, :class:`Resolution`
- :func:`load_places` (curated/overlay place files), :mod:`gazetteer.normalize`
- :class:`UserError` (the base of every error a person can act on, in all three packages),
  :class:`GazetteerError`, :class:`InputError`
- :mod:`gazetteer.relative` (relative and area phrases: parse, offset, midpoint, sector point)
- :mod:`gazetteer.geonames` (import GeoNames dumps), :mod:`gazetteer.geocoder`
  (``OfflineGeocoder``, a geopy geocoder; imports geopy, so import it yourself),
  :mod:`gazetteer.online` (the opt-in online fallback)
- :mod:`gazetteer.naturalearth`: installed Natural Earth layers (``install``,
  ``install_from_dir``, ``read_layer``, ``installed_path``, ``status``, ``NotInstalled``)
- :mod:`gazetteer.rivers`: rivers by name as merged, directed lines (``river``, ``lookup``,
  ``River``, ``UnknownRiver``)

The two modules are imported on use (``from gazetteer import rivers``): they need geopandas,
shapely and pyproj, which ``geoevents --help`` must not load.
"""

from . import relative
from .curated import load_places
from .errors import GazetteerError, IndexBuildError, InputError, UserError
from .model import (
    PRECISION_NEAR,
    PRECISION_POINT,
    PRECISION_REGION,
    Candidate,
    Context,
    Place,
    Resolution,
)
from .normalize import fold, key, skeleton
from .resolver import Gazetteer, clean_query

__all__ = [
    "PRECISION_NEAR",
    "PRECISION_POINT",
    "PRECISION_REGION",
    "Candidate",
    "Context",
    "Gazetteer",
    "GazetteerError",
    "IndexBuildError",
    "InputError",
    "Place",
    "Resolution",
    "UserError",
    "clean_query",
    "fold",
    "key",
    "load_places",
    "relative",
    "skeleton",
]
