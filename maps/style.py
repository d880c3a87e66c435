"""One visual language for every output (interactive HTML, PNG/SVG, briefing).

Event types (ACLED's six) each get a colour and a shape, so a reader who cannot tell the colours
apart still can tell the shapes; markers are sized by the best fatality estimate; location
precision (ACLED ``geo_precision``) is drawn honestly: a filled marker for an incident at the
named place, a hollow marker inside a dashed ring of :data:`PRECISION_RADIUS_KM` for one reported
only "near" a place (2) or somewhere in a region (3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TypeStyle:
    name: str
    color: str  # CSS colour
    shape: str  # circle | star | triangle | square | diamond | triangle-down | hexagon
    mpl_marker: str  # the same shape in matplotlib


# Colours from the Okabe-Ito palette (distinct for colour-blind readers), kept apart from the
# blues of the basemap's water.
EVENT_TYPES: tuple[TypeStyle, ...] = (
    TypeStyle("Battles", "#d55e00", "circle", "o"),
    TypeStyle("Explosions/Remote violence", "#7b3294", "star", "*"),
    TypeStyle("Violence against civilians", "#1a1a1a", "triangle", "^"),
    TypeStyle("Protests", "#009e73", "square", "s"),
    TypeStyle("Riots", "#e69f00", "diamond", "D"),
    TypeStyle("Strategic developments", "#0072b2", "triangle-down", "v"),
)
OTHER = TypeStyle("Other", "#6b6b6b", "hexagon", "h")
_BY_KEY = {t.name.casefold(): t for t in EVENT_TYPES}

# Radius of the dashed "somewhere in here" ring by geo_precision (km).  ACLED: 2 = the report
# names a part of a region or "near" a town, 3 = only the region/province is known.
PRECISION_RADIUS_KM: dict[int, float] = {2: 15.0, 3: 50.0}
PRECISION_LABEL: dict[int, str] = {
    0: "location precision unknown (not given by the source)",  # geo_precision missing
    1: "at the named place",
    2: "approximate: near the place or part of a region",
    3: "approximate: region or province level",
}

# Marker radius in screen pixels: r = min(MAX, BASE + SCALE * sqrt(fatalities_best)).
RADIUS_BASE = 5.0
RADIUS_SCALE = 2.0
RADIUS_MAX = 24.0
SIZE_LEGEND = (0, 10, 40, 100)  # fatalities shown in the size legend

# Basemap colours.
LAND = "#f3f1ec"
LAND_EDGE = "#9a9a9a"
WATER = "#a9cce3"
RIVER = "#5f9ecf"
PLACE = "#333333"
SEA = "#dbe9f3"


def type_style(event_type: str | None) -> TypeStyle:
    """The style of an ACLED event type (case-insensitive); :data:`OTHER` for anything else."""
    if not event_type:
        return OTHER
    return _BY_KEY.get(str(event_type).strip().casefold(), OTHER)


def radius_px(fatalities_best: float | None) -> float:
    """Marker radius in pixels for a best fatality estimate (None/NaN: the smallest)."""
    if fatalities_best is None:
        return RADIUS_BASE
    try:
        f = float(fatalities_best)
    except (TypeError, ValueError):
        return RADIUS_BASE
    if math.isnan(f) or f <= 0:
        return RADIUS_BASE
    return min(RADIUS_MAX, RADIUS_BASE + RADIUS_SCALE * math.sqrt(f))
