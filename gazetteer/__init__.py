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

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from .errors import GazetteerError, IndexBuildError, InputError, UserError

if TYPE_CHECKING:  # editors and type checkers see the real objects and their parameters
    from . import relative
    from .curated import load_places
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

# Imported on first use (PEP 562), as in :mod:`maps`: the errors, which every command needs,
# come at once; the resolver and its index (70 ms of ``geoevents --help``) when asked for.
# What is returned is the module's own object.  name -> (module, name there; None: the module)
_LAZY = {
    "relative": ("relative", None), "load_places": ("curated", "load_places"),
    **{n: ("model", n) for n in ("PRECISION_NEAR", "PRECISION_POINT", "PRECISION_REGION",
                                 "Candidate", "Context", "Place", "Resolution")},
    "fold": ("normalize", "fold"), "key": ("normalize", "key"),
    "skeleton": ("normalize", "skeleton"), "Gazetteer": ("resolver", "Gazetteer"),
    "clean_query": ("resolver", "clean_query"),
}


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        if importlib.util.find_spec(f"{__name__}.{name}") is None:
            raise AttributeError(f"module 'gazetteer' has no attribute {name!r}")
        where = (name, None)  # a submodule the eager package had loaded as a side effect
    module = importlib.import_module(f".{where[0]}", __name__)
    value = module if where[1] is None else getattr(module, where[1])
    globals()[name] = value  # from now on an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
