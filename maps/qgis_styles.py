"""Default QGIS styles (QML) for the exported layers, generated from the frames themselves.

- **incidents**: categorised by ``event_type`` (the six ACLED event types always, in ACLED's order,
  then "Other"), in the colours and shapes of :mod:`maps.style` that the HTML and static maps
  use; markers sized by ``fatalities_best`` with the same formula (in screen pixels); an
  approximate location (``geo_precision`` 2 or 3) drawn as on those maps: a hollow, dashed
  marker inside a dashed ring of 15 or 50 km (true size on the ground).  The temporal settings
  use ``date_start`` and ``date_end`` (QGIS opens the layer with them filled in: tick "Dynamic
  temporal control" in the layer's Temporal properties to animate it).  Points are labelled
  with the ``label`` field (the display name: "Palmyra", "Deir ez-Zor"), white halo, placed
  around the point without overlaps by QGIS.
- **control_lines**: categorised by line ``id``, each line drawn in its own ``color`` with a band in
  the left party's colour on its left and one in the right party's colour on its right (looking
  along the line, i.e. downstream for a river); temporal settings from ``valid_from`` and
  ``valid_to``.
- **zones**: categorised by ``party``, filled in the zone's ``color`` (translucent) with a solid
  outline; temporal settings from ``valid_from`` and ``valid_to``.

The QML is generated here, following the structure QGIS 3.22 saves for these renderers (both the
``Option`` maps and the older ``prop`` elements, so older and newer QGIS read it).  The same text goes into a GeoPackage's
``layer_styles`` table and beside GeoJSON files as ``<name>.qml``, which QGIS loads by default.
Colours: any CSS colour (``#c0392b``, ``#c00``, ``rgb(192,57,43)``, ``darkred``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from . import style
from .tables import FrameError

if TYPE_CHECKING:
    import pandas as pd

QGIS_VERSION = "3.22.0-Białowieża"

# The event types' colours and shapes, the size of a marker and the drawing of an approximate
# location are those of every other output (maps.style): one visual language.
EVENT_TYPE_COLORS: dict[str, str] = {t.name: t.color for t in style.EVENT_TYPES}
OTHER_COLOR = style.OTHER.color
FALLBACK_COLOR = "#9e9e9e"  # lines and zones without a colour
QGIS_SHAPES = {"circle": ("circle", 0), "star": ("star", 0), "triangle": ("triangle", 0),
               "square": ("square", 0), "diamond": ("diamond", 0),
               "triangle-down": ("triangle", 180), "hexagon": ("hexagon", 0)}

RGBA = tuple[int, int, int, int]


def parse_color(value: Any, *, where: str = "") -> RGBA:
    """A CSS colour as (r, g, b, a) in 0..255; FrameError naming ``where`` if it is not one."""
    text = str(value).strip().lower() if value is not None else ""
    m = re.fullmatch(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})", text)
    if m:
        h = m.group(1)
        if len(h) in (3, 4):
            h = "".join(c * 2 for c in h)
        parts = [int(h[i:i + 2], 16) for i in range(0, len(h), 2)]
        return (parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else 255)
    m = re.fullmatch(r"rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*"
                     r"(?:,\s*([01]?(?:\.\d+)?)\s*)?\)", text)
    if m and all(int(m.group(i)) <= 255 for i in (1, 2, 3)):
        alpha = round(float(m.group(4)) * 255) if m.group(4) else 255
        return (int(m.group(1)), int(m.group(2)), int(m.group(3)), min(alpha, 255))
    if re.fullmatch(r"[a-z]{3,30}", text):
        import webcolors

        try:
            rgb = webcolors.name_to_rgb(text)
            return (rgb.red, rgb.green, rgb.blue, 255)
        except ValueError:
            pass
    prefix = f"{where}: " if where else ""
    raise FrameError(f"{prefix}{value!r} is not a CSS colour (#rrggbb, #rgb, rgb(r,g,b) or a "
                     "colour name)")


def _qcolor(rgba: RGBA) -> str:
    return ",".join(str(c) for c in rgba)


def _with_alpha(rgba: RGBA, alpha: int) -> RGBA:
    return (rgba[0], rgba[1], rgba[2], alpha)


def _color_or(value: Any, default: str, where: str) -> RGBA:
    if value is None or (isinstance(value, float) and value != value) or str(value).strip() == "":
        return parse_color(default)
    return parse_color(value, where=where)


# --- XML building --------------------------------------------------------------------------------

def _options(parent: ET.Element, props: dict[str, str]) -> None:
    """The two encodings QGIS 3.22 writes for symbol-layer properties."""
    opt = ET.SubElement(parent, "Option", type="Map")
    for k, v in props.items():
        ET.SubElement(opt, "Option", type="QString", name=k, value=v)
    for k, v in props.items():
        ET.SubElement(parent, "prop", k=k, v=v)


def _data_defined(parent: ET.Element, expressions: dict[str, str]) -> None:
    dd = ET.SubElement(parent, "data_defined_properties")
    opt = ET.SubElement(dd, "Option", type="Map")
    ET.SubElement(opt, "Option", type="QString", name="name", value="")
    if expressions:
        props = ET.SubElement(opt, "Option", type="Map", name="properties")
        for key, expr in expressions.items():
            p = ET.SubElement(props, "Option", type="Map", name=key)
            ET.SubElement(p, "Option", type="bool", name="active", value="true")
            ET.SubElement(p, "Option", type="QString", name="expression", value=expr)
            ET.SubElement(p, "Option", type="int", name="type", value="3")
    else:
        ET.SubElement(opt, "Option", name="properties")
    ET.SubElement(opt, "Option", type="QString", name="type", value="collection")


def _symbol(parent: ET.Element, kind: str, name: str,
            layers: list[tuple[str, dict[str, str], dict[str, str]]]) -> None:
    sym = ET.SubElement(parent, "symbol", force_rhr="0", type=kind, clip_to_extent="1",
                        alpha="1", name=name)
    _data_defined(sym, {})
    for cls, props, expressions in layers:
        layer = ET.SubElement(sym, "layer", {"enabled": "1", "locked": "0", "pass": "0",
                                             "class": cls})
        _options(layer, props)
        _data_defined(layer, expressions)


_APPROX = "\"geo_precision\" IN ({})".format(", ".join(str(k) for k in
                                                       sorted(style.PRECISION_RADIUS_KM)))


def _marker(color: RGBA, shape: str) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """An incident: the ring of an approximate location (drawn first), then the marker, filled
    at the named place and hollow and dashed when approximate, sized by fatalities."""
    name, angle = QGIS_SHAPES.get(shape, ("circle", 0))
    r, g, b, _ = color
    ring_size = " ".join(f'WHEN "geo_precision" = {p} THEN {2000 * km:g}'
                         for p, km in sorted(style.PRECISION_RADIUS_KM.items()))
    base = {
        "angle": "0", "cap_style": "square", "horizontal_anchor_point": "1",
        "joinstyle": "bevel", "offset": "0,0", "offset_map_unit_scale": "3x:0,0,0,0,0,0",
        "offset_unit": "MM", "outline_width_map_unit_scale": "3x:0,0,0,0,0,0",
        "scale_method": "diameter", "size_map_unit_scale": "3x:0,0,0,0,0,0",
        "vertical_anchor_point": "1",
    }
    ring = {**base, "name": "circle", "color": f"{r},{g},{b},26",
            "outline_color": f"{r},{g},{b},204", "outline_style": "dash",
            "outline_width": "1.5", "outline_width_unit": "Pixel", "size": "0",
            "size_unit": "RenderMetersInMapUnits"}
    radius = (f'min({style.RADIUS_MAX:g}, {style.RADIUS_BASE:g} + {style.RADIUS_SCALE:g} * '
              'sqrt(max(coalesce("fatalities_best", 0), 0)))')
    marker = {**base, "name": name, "angle": str(angle), "color": f"{r},{g},{b},217",
              "outline_color": "255,255,255,255", "outline_style": "solid",
              "outline_width": "1", "outline_width_unit": "Pixel",
              "size": f"{2 * style.RADIUS_BASE:g}", "size_unit": "Pixel"}
    return [
        ("SimpleMarker", ring, {"enabled": _APPROX,
                                "size": f"CASE {ring_size} ELSE 0 END"}),
        ("SimpleMarker", marker, {
            "size": f"2 * {radius}",
            "fillColor": f"CASE WHEN {_APPROX} THEN '255,255,255,153' END",
            "outlineColor": f"CASE WHEN {_APPROX} THEN '{r},{g},{b},255' END",
            "outlineWidth": f"CASE WHEN {_APPROX} THEN 2 END",
            "outlineStyle": f"CASE WHEN {_APPROX} THEN 'dash' END",
        }),
    ]


def _line_layer(color: RGBA, width: float, offset: float = 0.0) -> tuple[
        str, dict[str, str], dict[str, str]]:
    props = {
        "align_dash_pattern": "0", "capstyle": "round", "customdash": "5;2",
        "customdash_map_unit_scale": "3x:0,0,0,0,0,0", "customdash_unit": "MM",
        "dash_pattern_offset": "0", "dash_pattern_offset_map_unit_scale": "3x:0,0,0,0,0,0",
        "dash_pattern_offset_unit": "MM", "draw_inside_polygon": "0", "joinstyle": "round",
        "line_color": _qcolor(color), "line_style": "solid", "line_width": f"{width:g}",
        "line_width_unit": "MM", "offset": f"{offset:g}",
        "offset_map_unit_scale": "3x:0,0,0,0,0,0", "offset_unit": "MM", "ring_filter": "0",
        "trim_distance_end": "0", "trim_distance_start": "0", "tweak_dash_pattern_on_corners":
        "0", "use_custom_dash": "0", "width_map_unit_scale": "3x:0,0,0,0,0,0",
    }
    return ("SimpleLine", props, {})


def _fill_layer(color: RGBA, outline: RGBA, width: float) -> tuple[
        str, dict[str, str], dict[str, str]]:
    props = {
        "border_width_map_unit_scale": "3x:0,0,0,0,0,0", "color": _qcolor(color),
        "joinstyle": "bevel", "offset": "0,0", "offset_map_unit_scale": "3x:0,0,0,0,0,0",
        "offset_unit": "MM", "outline_color": _qcolor(outline), "outline_style": "solid",
        "outline_width": f"{width:g}", "outline_width_unit": "MM", "style": "solid",
    }
    return ("SimpleFill", props, {})


def _labeling(field: str) -> ET.Element:
    """QGIS "single labels" on ``field``: dark grey text with a white halo, placed around the
    point in the cartographer's order (QGIS's "around point", ordered positions), labels never
    overlapping (QGIS's own collision avoidance)."""
    lab = ET.Element("labeling", type="simple")
    settings = ET.SubElement(lab, "settings", calloutType="simple")
    text = ET.SubElement(settings, "text-style", fieldName=field, isExpression="0",
                         fontFamily="Sans Serif", namedStyle="Regular", fontSize="8",
                         fontSizeUnit="Point", fontWeight="50", fontItalic="0",
                         textColor="38,50,56,255", textOpacity="1", fontKerning="1",
                         multilineHeight="1", allowHtml="0", capitalization="0",
                         previewBkgrdColor="255,255,255,255", blendMode="0",
                         fontLetterSpacing="0", fontWordSpacing="0", useSubstitutions="0",
                         fontStrikeout="0", fontUnderline="0", textOrientation="horizontal",
                         fontSizeMapUnitScale="3x:0,0,0,0,0,0")
    ET.SubElement(text, "families")
    ET.SubElement(text, "text-buffer", bufferDraw="1", bufferSize="0.8", bufferSizeUnits="MM",
                  bufferColor="255,255,255,255", bufferOpacity="0.9", bufferNoFill="1",
                  bufferJoinStyle="128", bufferBlendMode="0",
                  bufferSizeMapUnitScale="3x:0,0,0,0,0,0")
    ET.SubElement(settings, "text-format", wrapChar="", autoWrapLength="0",
                  useMaxLineLengthForAutoWrap="1", multilineAlign="3", addDirectionSymbol="0",
                  formatNumbers="0", decimals="3", plussign="0", reverseDirectionSymbol="0",
                  placeDirectionSymbol="0", leftDirectionSymbol="<", rightDirectionSymbol=">")
    ET.SubElement(settings, "placement", placement="6", placementFlags="10",
                  predefinedPositionOrder="TR,TL,BR,BL,R,L,TSR,BSR", dist="1.2",
                  distUnits="MM", distMapUnitScale="3x:0,0,0,0,0,0", offsetType="1",
                  priority="5", quadOffset="4", xOffset="0", yOffset="0",
                  offsetUnits="MM", centroidWhole="0", centroidInside="0", fitInPolygonOnly="0",
                  overrunDistance="0", overrunDistanceUnit="MM", repeatDistance="0",
                  repeatDistanceUnits="MM", rotationAngle="0", maxCurvedCharAngleIn="25",
                  maxCurvedCharAngleOut="-25", layerType="PointGeometry", geometryGenerator="",
                  geometryGeneratorEnabled="0", geometryGeneratorType="PointGeometry",
                  labelOffsetMapUnitScale="3x:0,0,0,0,0,0", polygonPlacementFlags="2",
                  lineAnchorPercent="0.5", lineAnchorType="0", lineAnchorClipping="0",
                  preserveRotation="1")
    ET.SubElement(settings, "rendering", drawLabels="1", obstacle="1", obstacleFactor="1",
                  obstacleType="1", displayAll="0", upsidedownLabels="0", labelPerPart="0",
                  mergeLines="0", limitNumLabels="0", maxNumLabels="2000", minFeatureSize="0",
                  scaleVisibility="0", scaleMin="0", scaleMax="0", fontLimitPixelSize="0",
                  fontMinPixelSize="3", fontMaxPixelSize="10000", zIndex="0",
                  unplacedVisibility="0")
    dd = ET.SubElement(settings, "dd_properties")
    opt = ET.SubElement(dd, "Option", type="Map")
    ET.SubElement(opt, "Option", type="QString", name="name", value="")
    ET.SubElement(opt, "Option", name="properties")
    ET.SubElement(opt, "Option", type="QString", name="type", value="collection")
    return lab


def _document(renderer: ET.Element, kind: str, temporal: tuple[str, str] | None,
              label: str | None = None) -> str:
    root = ET.Element("qgis", version=QGIS_VERSION,
                      styleCategories="Symbology|Labeling|Temporal" if label
                      else "Symbology|Temporal")
    if label:
        root.set("labelsEnabled", "1")
    t = ET.SubElement(root, "temporal", enabled="1" if temporal else "0",
                      mode="2" if temporal else "0",
                      startField=temporal[0] if temporal else "",
                      endField=temporal[1] if temporal else "", durationField="",
                      startExpression="", endExpression="", limitMode="1", accumulate="0",
                      durationUnit="min", fixedDuration="0")
    rng = ET.SubElement(t, "fixedRange")
    ET.SubElement(rng, "start").text = ""
    ET.SubElement(rng, "end").text = ""
    root.append(renderer)
    if label:
        root.append(_labeling(label))
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    ET.SubElement(root, "layerGeometryType").text = {"marker": "0", "line": "1", "fill": "2"}[kind]
    ET.indent(root, "  ")
    body = ET.tostring(root, encoding="unicode")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + body + "\n"


def _categorized(attr: str, kind: str,
                 categories: list[tuple[str, str, list[tuple[str, dict[str, str],
                                                              dict[str, str]]]]]) -> ET.Element:
    r = ET.Element("renderer-v2", type="categorizedSymbol", attr=attr, enableorderby="0",
                   symbollevels="0", forceraster="0", referencescale="-1")
    cats = ET.SubElement(r, "categories")
    syms = ET.SubElement(r, "symbols")
    for i, (value, label, layers) in enumerate(categories):
        ET.SubElement(cats, "category", symbol=str(i), value=value, label=label, render="true")
        _symbol(syms, kind, str(i), layers)
    ET.SubElement(r, "rotation")
    ET.SubElement(r, "sizescale")
    return r


def _present(frame: pd.DataFrame, column: str) -> list[str]:
    """Distinct non-empty values in order of first appearance."""
    if column not in frame.columns or not len(frame):
        return []
    values = frame[column].dropna().astype(str)
    values = values[values.str.strip() != ""]
    return list(dict.fromkeys(values.tolist()))


def incidents_qml(frame: pd.DataFrame) -> str:
    """QML for the incidents layer: a category per ACLED event type (and per spelling of one
    that the frame uses, since QGIS matches categories exactly), then "Other"."""
    categories = []
    for t in style.EVENT_TYPES:
        categories.append((t.name, t.name, _marker(parse_color(t.color), t.shape)))
    for value in sorted(_present(frame, "event_type")):
        t = style.type_style(value)
        if value not in EVENT_TYPE_COLORS and t is not style.OTHER:  # "battles", "BATTLES"
            categories.append((value, t.name, _marker(parse_color(t.color), t.shape)))
    categories.append(("", style.OTHER.name,
                       _marker(parse_color(style.OTHER.color), style.OTHER.shape)))
    renderer = _categorized("event_type", "marker", categories)
    # Points are labelled with their display name (the export's ``label`` field) when the
    # frame carries it.
    from .schema import LABEL_COLUMN

    label = LABEL_COLUMN if LABEL_COLUMN in frame.columns else None
    return _document(renderer, "marker", ("date_start", "date_end"), label)


def _first(frame: pd.DataFrame, key: str, value: str) -> Any:
    return frame.loc[frame[key].astype(str) == value].iloc[0]


def lines_qml(frame: pd.DataFrame) -> str:
    """QML for the control_lines layer: each line in its colour, banded by the two parties."""
    categories = []
    for i, ident in enumerate(_present(frame, "id")):
        row = _first(frame, "id", ident)
        where = f"control_lines row {i + 1} (id {ident})"
        centre = _color_or(row.get("color"), "#263238", f"{where}: field 'color'")
        left = _color_or(row.get("color_left"), FALLBACK_COLOR, f"{where}: field 'color_left'")
        right = _color_or(row.get("color_right"), FALLBACK_COLOR,
                          f"{where}: field 'color_right'")
        name = str(row.get("name") or ident)
        label = (f"{name} (left: {row.get('party_left') or '?'}; "
                 f"right: {row.get('party_right') or '?'})")
        # QGIS draws a positive offset on the right of the line's direction, a negative one on
        # its left (checked by rendering in QGIS: tests/test_export_qgis.py).
        layers = [_line_layer(_with_alpha(left, 200), 1.4, -1.1),
                  _line_layer(_with_alpha(right, 200), 1.4, 1.1),
                  _line_layer(centre, 0.7)]
        categories.append((ident, label, layers))
    categories.append(("", "other line", [_line_layer(parse_color(FALLBACK_COLOR), 0.7)]))
    return _document(_categorized("id", "line", categories), "line", ("valid_from", "valid_to"))


def zones_qml(frame: pd.DataFrame) -> str:
    """QML for the zones layer: one category per party, in the zone's colour."""
    categories = []
    for party in _present(frame, "party"):
        row = _first(frame, "party", party)
        where = f"zones (party {party}): field 'color'"
        color = _color_or(row.get("color"), FALLBACK_COLOR, where)
        categories.append((party, party, [_fill_layer(_with_alpha(color, 70), color, 0.5)]))
    grey = parse_color(FALLBACK_COLOR)
    categories.append(("", "no party", [_fill_layer(_with_alpha(grey, 50), grey, 0.4)]))
    return _document(_categorized("party", "fill", categories), "fill",
                     ("valid_from", "valid_to"))


def areas_qml(frame: pd.DataFrame) -> str:
    """QML for the control-areas layer: one category per party, filled in the party's colour
    (contested, besieged and mixed areas outlined in the second party's), shown over the dates
    each area is valid (QGIS's temporal controller: valid_from to valid_to)."""
    categories = []
    for party in _present(frame, "party"):
        row = _first(frame, "party", party)
        color = _color_or(row.get("color"), FALLBACK_COLOR, f"areas (party {party}): field "
                          "'color'")
        categories.append((party, party, [_fill_layer(_with_alpha(color, 110), color, 0.4)]))
    grey = parse_color(FALLBACK_COLOR)
    categories.append(("", "no party", [_fill_layer(_with_alpha(grey, 50), grey, 0.4)]))
    return _document(_categorized("party", "fill", categories), "fill",
                     ("valid_from", "valid_to"))
