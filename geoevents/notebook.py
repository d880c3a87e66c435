"""A small API for analysts in Jupyter: :func:`read` tables and articles into incidents,
:class:`Map` to show them inline and write the map, its image or a GeoPackage.

    import geoevents
    inc = geoevents.read("acled.csv", "reports/*.txt", meta="reports/meta.yaml")
    m = geoevents.Map(inc, title="Deir ez-Zor, 2018")
    m                                # shown inline (``_repr_html_``)
    m.save("map.html"); m.to_png("map.png"); m.to_geopackage("incidents.gpkg")

Nothing heavy is imported until a function is called: ``import geoevents`` stays fast.
"""

from __future__ import annotations

import glob
import os
import warnings
from pathlib import Path
from typing import Any

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".text")
PathLike = str | os.PathLike[str]


class ReadWarning(UserWarning):
    """Some input records could not be read (they are in ``frame.attrs["rejections"]``)."""


def _paths(inputs: tuple[PathLike | list[PathLike], ...]) -> list[Path]:
    out: list[Path] = []
    for item in inputs:
        for p in item if isinstance(item, list | tuple) else [item]:
            text = os.fspath(p)
            matches = sorted(glob.glob(text)) if any(c in text for c in "*?[") else [text]
            out.extend(Path(m) for m in matches)
    return out


def read(*inputs: PathLike | list[PathLike], published: str | None = None,
         meta: PathLike | None = None, lines: PathLike | list[PathLike] | None = None,
         gazetteer: Any = None) -> Any:
    """Incidents from tables (our CSV/GeoJSON, ACLED, UCDP, GDELT, spreadsheets) and articles
    (``.txt``, ``.html``, ``.md``: extracted as by ``geoevents extract``), as one GeoDataFrame
    with the INCIDENTS columns of :mod:`maps.schema`.

    ``inputs``: paths or glob patterns; ``published``/``meta``: the articles' publication date or
    meta file; ``lines``: control-line specs (YAML) or built line files: each incident gets its
    side, and the line and zone frames are kept in ``frame.attrs["lines"]`` / ``["zones"]``.
    Records that cannot be read are listed in ``frame.attrs["rejections"]`` (text, with file,
    line and reason) and counted in a :class:`ReadWarning`.  ``gazetteer``: a
    :class:`gazetteer.Gazetteer` to reuse (else one is opened when articles or lines need it).
    """
    from .pipeline import load_frames

    paths = _paths(inputs)
    line_paths = _paths((lines,)) if lines is not None else []
    if gazetteer is None and (line_paths or any(p.suffix.lower() in ARTICLE_SUFFIXES
                                                for p in paths)):
        from gazetteer import Gazetteer

        gazetteer = Gazetteer(verbose=False)
    frames = load_frames(paths, published=published, meta=Path(meta) if meta else None,
                         lines=line_paths or None, gazetteer=gazetteer)
    frame = frames.incidents
    frame.attrs["rejections"] = [str(r) for r in frames.rejections]
    if frames.lines is not None:
        frame.attrs["lines"] = frames.lines
        frame.attrs["zones"] = frames.zones
    if frames.rejections:
        first = "; ".join(frame.attrs["rejections"][:3])
        warnings.warn(f"{len(frames.rejections)} input record(s) not read (see "
                      f"frame.attrs['rejections']): {first}", ReadWarning, stacklevel=2)
    return frame


class Map:
    """An interactive map of incidents (and control lines, zones, areas, hexagons), shown
    inline in a notebook and written as HTML, PNG/SVG or a GeoPackage.

    ``incidents``: an INCIDENTS GeoDataFrame (from :func:`read`, or any frame in that schema);
    ``lines``/``zones``: default ``incidents.attrs["lines"]``/``["zones"]`` when :func:`read`
    built them; ``areas``/``hexagons``: AREAS / HEXAGONS frames; ``basemap``: True for the
    installed Natural Earth layers (``geoevents data install naturalearth``), False for none, or a
    :class:`maps.Basemap`; ``tiles``: web tiles ("osm" or a URL template, the only option that
    uses the network).
    """

    def __init__(self, incidents: Any, lines: Any = None, zones: Any = None, *,
                 areas: Any = None, hexagons: Any = None, title: str = "Incidents",
                 subtitle: str | None = None, basemap: Any = True, tiles: str | None = None,
                 attribution: tuple[str, ...] | list[str] = (), height: str = "560px") -> None:
        attrs = getattr(incidents, "attrs", {}) or {}
        self.incidents = incidents
        self.lines = lines if lines is not None else attrs.get("lines")
        self.zones = zones if zones is not None else attrs.get("zones")
        self.areas, self.hexagons = areas, hexagons
        self.title, self.subtitle, self.tiles = title, subtitle, tiles
        self.attribution = tuple(attribution)
        self.height = height
        self._basemap_arg = basemap
        self._basemap: Any = None
        self._html: str | None = None

    # -- what is drawn ----------------------------------------------------------------------
    @property
    def basemap(self) -> Any:
        if self._basemap is None and self._basemap_arg is not False:
            import maps

            if self._basemap_arg is True:
                bounds = maps.data_bounds(self.incidents, self.lines, self.zones)
                self._basemap = maps.load_basemap(bounds) if bounds is not None else False
            else:
                self._basemap = self._basemap_arg
        return self._basemap or None

    def _common(self) -> dict[str, Any]:
        return {"basemap": self.basemap, "title": self.title, "subtitle": self.subtitle,
                "attribution": self.attribution}

    def html(self) -> str:
        """The whole page: one self-contained, offline HTML file (as ``geoevents map``)."""
        if self._html is None:
            import maps

            self._html = maps.render_html(self.incidents, self.lines, self.zones,
                                          tiles=self.tiles, areas=self.areas,
                                          hexagons=self.hexagons, **self._common())
        return self._html

    def _repr_html_(self) -> str:
        import maps

        return maps.render_fragment(self.html(), title=self.title, height=self.height)

    def __repr__(self) -> str:
        n = len(self.incidents)
        return f"<geoevents.Map {self.title!r}: {n} incident{'' if n == 1 else 's'}>"

    # -- writing ------------------------------------------------------------------------------
    def save(self, path: PathLike, *, overwrite: bool = False) -> Path:
        """Write the HTML map to ``path`` (refuses an existing file unless ``overwrite``)."""
        from maps import writers

        writers.format_for("map", path)
        return writers.write_file(path, self.html(), overwrite=overwrite, what="map")

    def to_png(self, path: PathLike | None = None, *, overwrite: bool = False,
               fmt: str = "png") -> bytes:
        """The static map as PNG (or ``fmt="svg"``) bytes; written to ``path`` when given."""
        import maps
        from maps import writers

        data = maps.render_static(self.incidents, self.lines, self.zones, fmt=fmt,
                                  **self._common())
        if path is not None:
            writers.format_for(f"map --{fmt}", path)
            writers.write_file(path, data, overwrite=overwrite, what=f"{fmt.upper()} map")
        return data

    def to_geopackage(self, path: PathLike, *, overwrite: bool = False) -> Path:
        """Incidents (and lines, zones) as a GeoPackage styled for QGIS (``geoevents export``)."""
        import maps

        maps.export_frames(path, self.incidents, self.lines, self.zones, fmt="gpkg",
                           overwrite=overwrite, progress=False)
        return Path(path)
