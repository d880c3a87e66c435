"""Scripts and stylesheets inlined into every page, so a map makes no network request.

Leaflet comes from the PyPI package XStatic-Leaflet (the version folium 0.20 uses, 1.9.3); the
images its stylesheet refers to become data: URIs and source-map comments are dropped.  The map's
own runtime and styles are package data in ``maps/static/``.  Nothing here is fetched at run time.
"""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
LEAFLET_VERSION = "1.9.3"


def _leaflet_dir() -> Path:
    try:
        import xstatic.pkg.leaflet as xl
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise RuntimeError("the PyPI package XStatic-Leaflet is required for HTML maps") from exc
    if not str(getattr(xl, "VERSION", "")).startswith(LEAFLET_VERSION):
        raise RuntimeError(f"XStatic-Leaflet {LEAFLET_VERSION} is required, found "
                           f"{getattr(xl, 'VERSION', '?')}")
    return Path(xl.BASE_DIR)


_SOURCEMAP = re.compile(r"^\s*(//|/\*)# sourceMappingURL=.*$", re.MULTILINE)


def _strip_sourcemap(text: str) -> str:
    return _SOURCEMAP.sub("", text)


@functools.cache
def leaflet_js() -> str:
    return _strip_sourcemap((_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8"))


@functools.cache
def leaflet_css() -> str:
    base = _leaflet_dir()
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        ref = match.group(1).strip("'\"")
        if ref.startswith(("#", "data:")):
            return match.group(0)
        path = (base / ref).resolve()
        if not path.is_file():  # pragma: no cover - XStatic ships every image it refers to
            raise RuntimeError(f"leaflet.css refers to a missing file {ref}")
        mime = "image/png" if path.suffix == ".png" else "image/svg+xml"
        return f"url(data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()})"

    return _strip_sourcemap(re.sub(r"url\(([^)]*)\)", data_uri, css))


@functools.cache
def runtime_js() -> str:
    return (STATIC / "geoevents-map.js").read_text(encoding="utf-8")


@functools.cache
def runtime_css() -> str:
    return (STATIC / "geoevents-map.css").read_text(encoding="utf-8")


def script_text(text: str) -> str:
    """``text`` made safe inside ``<script>``: no ``</script`` or ``<!--`` can end it early."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")
