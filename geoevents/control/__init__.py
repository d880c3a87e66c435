"""Control: who holds what, and where an incident falls.

- :mod:`geoevents.control.lines`: control lines along rivers or drawn lines, and the zones they
  divide (``load_specs``, ``build``, ``build_frames``, ``load``, ``write``, ``read``);
- :mod:`geoevents.control.sides`: the side of a line each incident is on (``assign_sides``).

The modules are imported on use: they need geopandas, shapely and pyproj.
"""
