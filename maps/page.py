"""The page's elements as branca/folium classes with class-level templates (the way folium's
own elements and plugins are written): the offline map (no CDN scripts or styles), inlined
text (scripts, styles, the data document, a notice) and the call that hands the layer groups
and the data to the runtime (``geoeventsMap`` in ``maps/static/geoevents-map.js``).

Imported by :func:`maps.html.render_html` only (it imports folium).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import folium
from branca.element import Element, MacroElement
from jinja2 import Template


class OfflineMap(folium.Map):
    """A folium map that links no CDN script or stylesheet: Leaflet and the runtime are inlined
    (:mod:`maps.assets`)."""

    default_js: ClassVar[list[tuple[str, str]]] = []
    default_css: ClassVar[list[tuple[str, str]]] = []


class Inline(Element):
    """Text put into the page as it is (already escaped or made script-safe by the caller)."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class GeoeventsInit(MacroElement):
    """``geoeventsMap(map, groups, dataNode)``: the runtime draws every layer into the folium
    layer groups (so that the layer control switches them) from the data document."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = geoeventsMap({{ this.map.get_name() }}, {
                types: [{{ this.names("types") }}],
                lines: [{{ this.names("lines") }}],
                zones: [{{ this.names("zones") }}],
                areas: {{ this.name("areas") }},
                base: {{ this.name("base") }},
                labels: {{ this.name("labels") }},
                control: {{ this.name("control") }},
                hex: {{ this.name("hex") }}
            }, document.getElementById("ge-data-{{ this.map.get_name() }}"));
        {% endmacro %}
    """)

    def __init__(self, map_: Any, groups: dict[str, Any]) -> None:
        super().__init__()
        self.map = map_
        self.groups = groups

    def name(self, key: str) -> str:
        g = self.groups.get(key)
        return g.get_name() if g is not None else "null"

    def names(self, key: str) -> str:
        return ", ".join(g.get_name() for g in self.groups.get(key, []))


def sequential_names(page: str, elements: list[Any]) -> str:
    """``page`` with the random ids in the names of ``elements`` (``feature_group_3f2a...``)
    replaced by sequential ones in the order given, so that the same map gives the same file.
    Only those exact names are replaced: nothing else in the page is touched."""
    table: dict[str, str] = {}
    for k, el in enumerate(elements):
        name = el.get_name()
        prefix = name.rsplit("_", 1)[0]
        table.setdefault(name, f"{prefix}_{k:04d}")
    if not table:
        return page
    pattern = re.compile("|".join(re.escape(n) for n in sorted(table, key=len, reverse=True)))
    return pattern.sub(lambda m: table[m.group(0)], page)
