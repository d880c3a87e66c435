"""KML 2.2 for Google Earth: styled placemarks with escaped descriptions and time spans.

One ``Document`` with a folder per layer (Incidents, Control lines, Zones).

- Incidents: a point per incident, coloured by event type (the colours of :mod:`maps.style`, as
  on every map) and scaled in four steps by ``fatalities_best`` (unknown or none, 1-9, 10-49,
  50+), so one shared style per (type, step) rather than one per placemark.  Labels are hidden on
  the globe (shown in the Places panel).  ``TimeSpan`` from ``date_start`` to ``date_end`` drives
  Google Earth's time slider.  The balloon (``description``) is an HTML table of the incident
  with its sources (links only for http/https addresses); ``ExtendedData`` carries every field.
- Control lines: the line in its colour; zones: translucent polygons in the zone's colour.

Text from reports is untrusted: every value is HTML-escaped inside the balloon, and the balloon
and every other text are XML-escaped in the file; characters XML 1.0 forbids (control characters)
are dropped.  Output is deterministic (no timestamps, ids derived from the data).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

from . import style as visual
from .names import display_name
from .qgis_styles import FALLBACK_COLOR, parse_color
from .tables import AREAS, COORD_DECIMALS, INCIDENTS, LINES, ZONES, layer_fields

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Icon scale in four steps of fatalities_best (unknown or 0, 1-9, 10-49, 50+), following the
# marker sizes of the other maps (maps.style.radius_px at 0, 4, 20 and 100 killed, over 24 px).
SIZE_STEPS = tuple(round(2 * visual.radius_px(f) / 24, 2) for f in (0, 4, 20, 100))
ICON = "http://maps.google.com/mapfiles/kml/shapes/shaded_dot.png"
TYPES = (*visual.EVENT_TYPES, visual.OTHER)


def _clean(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover
        pass
    return _XML_BAD.sub("", str(value))


def xml_text(value: Any) -> str:
    """Escape for XML element content."""
    return _clean(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(value: Any) -> str:
    return xml_text(value).replace('"', "&quot;")


def _h(value: Any) -> str:
    return html.escape(_clean(value), quote=True)


def kml_color(rgba: tuple[int, int, int, int]) -> str:
    r, g, b, a = rgba
    return f"{a:02x}{b:02x}{g:02x}{r:02x}"


def _num(x: float) -> str:
    text = f"{round(float(x), COORD_DECIMALS):.{COORD_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _coords(seq: Iterable[tuple[float, ...]]) -> str:
    return " ".join(f"{_num(p[0])},{_num(p[1])}" for p in seq)


def geometry_kml(geom: Any) -> str:
    """KML geometry of a shapely geometry (2D, lon/lat)."""
    if geom is None or geom.is_empty:
        return ""
    kind = geom.geom_type
    if kind == "Point":
        return f"<Point><coordinates>{_num(geom.x)},{_num(geom.y)}</coordinates></Point>"
    if kind == "LineString":
        return (f"<LineString><tessellate>1</tessellate><coordinates>{_coords(geom.coords)}"
                "</coordinates></LineString>")
    if kind == "Polygon":
        inner = "".join(f"<innerBoundaryIs><LinearRing><coordinates>{_coords(r.coords)}"
                        "</coordinates></LinearRing></innerBoundaryIs>" for r in geom.interiors)
        return (f"<Polygon><tessellate>1</tessellate><outerBoundaryIs><LinearRing><coordinates>"
                f"{_coords(geom.exterior.coords)}</coordinates></LinearRing></outerBoundaryIs>"
                f"{inner}</Polygon>")
    if kind.startswith("Multi") or kind == "GeometryCollection":
        parts = "".join(geometry_kml(g) for g in geom.geoms)
        return f"<MultiGeometry>{parts}</MultiGeometry>"
    raise ValueError(f"cannot write {kind} to KML")


def _records(frame: Any) -> Iterator[tuple[dict[str, Any], Any]]:
    geometry = frame.geometry.values
    columns = [c for c in frame.columns if c != frame.geometry.name]
    for i, values in enumerate(frame[columns].itertuples(index=False, name=None)):
        yield dict(zip(columns, values, strict=True)), geometry[i]


def _size_step(value: Any) -> int:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0
    if math.isnan(v) or v <= 0:
        return 0
    return 3 if v >= 50 else 2 if v >= 10 else 1


def _style_id(index: int, step: int) -> str:
    return f"incident-{index}-{step}"


def _json_list(text: Any) -> list[Any]:
    if isinstance(text, list | tuple):
        return list(text)
    if hasattr(text, "tolist"):
        return list(text.tolist())
    if not isinstance(text, str) or not text.strip():
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return value if isinstance(value, list) else [value]


def _sources_html(row: dict[str, Any]) -> str:
    items = _json_list(row.get("sources_json"))
    if not items:
        return _h(row.get("sources"))
    out = []
    for item in items:
        if not isinstance(item, dict):
            out.append(f"<li>{_h(item)}</li>")
            continue
        outlet = _h(item.get("outlet") or item.get("url") or "source")
        url = _clean(item.get("url"))
        if re.match(r"https?://", url, re.IGNORECASE):
            outlet = f'<a href="{_h(url)}">{outlet}</a>'
        published = f" ({_h(item.get('published'))})" if item.get("published") else ""
        quote = f"<br/><i>{_h(item.get('quote'))}</i>" if item.get("quote") else ""
        out.append(f"<li>{outlet}{published}{quote}</li>")
    return "<ul>" + "".join(out) + "</ul>"


def _figure(row: dict[str, Any]) -> str:
    def show(v: Any) -> str:
        c = _clean(v)
        return c[:-2] if c.endswith(".0") else c

    low, best, high = (show(row.get(k)) for k in
                       ("fatalities_low", "fatalities_best", "fatalities_high"))
    if not (low or best or high):
        return "unknown"
    text = best or "?"
    if (low and low != best) or (high and high != best):
        text += f" (low {low or '?'}, high {high or '?'})"
    return text


def incident_description(row: dict[str, Any]) -> str:
    """The balloon HTML of one incident (every value HTML-escaped)."""
    date = _h(row.get("date_start"))
    if row.get("date_end") and row.get("date_end") != row.get("date_start"):
        date += f" to {_h(row.get('date_end'))}"
    if row.get("date_precision"):
        date += f" ({_h(row.get('date_precision'))})"
    place = _h(row.get("place_resolved") or row.get("place"))
    if row.get("place") and row.get("place") != row.get("place_resolved"):
        place += f" <i>as reported: {_h(row.get('place'))}</i>"
    rows = [
        ("Date", date),
        ("Type", _h(" / ".join(c for c in (_clean(row.get("event_type")),
                                           _clean(row.get("sub_event_type"))) if c))),
        ("Place", place),
        ("Location precision", _h(row.get("geo_precision"))),
        ("Actors", _h(" vs ".join(c for c in (_clean(row.get("actor1")),
                                            _clean(row.get("actor2"))) if c))),
        ("Associated", _h(row.get("assoc_actors"))),
        ("Fatalities", _h(_figure(row))),
        ("Wounded", _h(row.get("wounded_best"))),
        ("Zone", _h(row.get("zone_party"))),
        ("Sources", _sources_html(row)),
        ("Notes", _h(row.get("notes"))),
        ("Id", _h(row.get("id"))),
    ]
    body = "".join(f"<tr><th align=\"left\">{k}</th><td>{v}</td></tr>" for k, v in rows
                   if v or k == "Fatalities")
    return f"<table>{body}</table>"


KML_TYPES = {"str": "string", "int": "int", "int64": "int", "float": "double", "bool": "bool",
             "date": "string", "datetime": "string"}


def _schema(schema_id: str, fields: list[Any]) -> str:
    """A typed KML Schema, so readers (Google Earth, GDAL/QGIS) know numbers from text."""
    simple = "".join(f'<SimpleField type="{KML_TYPES[f.kind]}" name="{xml_attr(f.name)}">'
                     f"<displayName>{xml_text(f.name)}</displayName></SimpleField>"
                     for f in fields)
    return f'<Schema name="{schema_id}" id="{schema_id}">{simple}</Schema>\n'


def _extended(schema_id: str, fields: list[Any], row: dict[str, Any]) -> str:
    parts = []
    for f in fields:
        text = _plain(row.get(f.name))
        if text != "":
            parts.append(f'<SimpleData name="{xml_attr(f.name)}">{xml_text(text)}</SimpleData>')
    return (f'<ExtendedData><SchemaData schemaUrl="#{schema_id}">{"".join(parts)}</SchemaData>'
            "</ExtendedData>")


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isnan(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, float) and not math.isnan(value):
        return repr(round(value, COORD_DECIMALS))
    return _clean(value)


def _time_span(begin: Any, end: Any) -> str:
    b, e = _clean(begin).strip(), _clean(end).strip()
    if not (b or e):
        return ""
    return ("<TimeSpan>" + (f"<begin>{xml_text(b)}</begin>" if b else "")
            + (f"<end>{xml_text(e)}</end>" if e else "") + "</TimeSpan>")


def write_kml(out: IO[str], incidents: Any, lines: Any = None, zones: Any = None, *,
              areas: Any = None, name: str = "geoevents", progress: bool = False
              ) -> dict[str, int]:
    """Write the frames as one KML document to ``out``; returns feature counts per layer.
    ``progress``: a bar on stderr over the incidents."""
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n')
    w(f"<Document><name>{xml_text(name)}</name><open>1</open>\n")

    for i, t in enumerate(TYPES):  # one shared style per event type and size step
        color = kml_color(parse_color(t.color))
        for step, scale in enumerate(SIZE_STEPS):
            w(f'<Style id="{_style_id(i, step)}"><IconStyle><color>{color}</color>'
              f"<scale>{scale:g}</scale><Icon><href>{ICON}</href></Icon></IconStyle>"
              "<LabelStyle><scale>0</scale></LabelStyle>"
              "<BalloonStyle><text>$[description]</text></BalloonStyle></Style>\n")
    type_index = {t.name: i for i, t in enumerate(TYPES)}

    inc_fields = layer_fields(incidents, INCIDENTS)
    w(_schema("incident", inc_fields))
    line_fields = layer_fields(lines, LINES) if lines is not None else []
    zone_fields = layer_fields(zones, ZONES) if zones is not None else []
    if lines is not None:
        w(_schema("control_line", line_fields))
    if zones is not None:
        w(_schema("zone", zone_fields))
    area_fields = layer_fields(areas, AREAS) if areas is not None else []
    if areas is not None:
        w(_schema("area", area_fields))

    counts = {"incidents": 0}
    if lines is not None:
        counts["control_lines"] = 0
    if zones is not None:
        counts["zones"] = 0
    w("<Folder><name>Incidents</name>\n")
    records: Iterable[tuple[dict[str, Any], Any]] = _records(incidents)
    if progress and len(incidents) > 10000:
        import sys

        from tqdm import tqdm

        records = tqdm(records, total=len(incidents), desc="KML", unit=" incidents",
                       file=sys.stderr, leave=False)
    for row, geom in records:
        kind = visual.type_style(_clean(row.get("event_type")))
        style = _style_id(type_index[kind.name], _size_step(row.get("fatalities_best")))
        shown = row.get("label")
        if not isinstance(shown, str) or not shown:
            shown = display_name(row.get("place"), row.get("place_resolved"), row.get("place_id"))
        title = " — ".join(x for x in (shown, _clean(row.get("date_start"))) if x)
        w(f'<Placemark><name>{xml_text(title)}</name><Snippet maxLines="0"></Snippet>'
          f"<description>{xml_text(incident_description(row))}</description>"
          f"{_time_span(row.get('date_start'), row.get('date_end'))}"
          f"<styleUrl>#{style}</styleUrl>{_extended('incident', inc_fields, row)}{geometry_kml(geom)}</Placemark>\n")
        counts["incidents"] += 1
    w("</Folder>\n")

    if lines is not None:
        w("<Folder><name>Control lines</name>\n")
        for i, (row, geom) in enumerate(_records(lines)):
            where = f"control_lines row {i + 1}: field 'color'"
            color = parse_color(row.get("color") or "#263238", where=where)
            desc = (f"<table><tr><th align=\"left\">Left bank</th><td>"
                    f"{_h(row.get('party_left'))} ({_h(row.get('side_left'))})</td></tr>"
                    f"<tr><th align=\"left\">Right bank</th><td>{_h(row.get('party_right'))} "
                    f"({_h(row.get('side_right'))})</td></tr><tr><th align=\"left\">Valid"
                    f"</th><td>{_h(row.get('valid_from')) or '…'} to "
                    f"{_h(row.get('valid_to')) or '…'}</td></tr></table>")
            w(f'<Placemark><name>{xml_text(row.get("name"))}'
              f"</name><description>{xml_text(desc)}</description>"
              f"{_time_span(row.get('valid_from'), row.get('valid_to'))}"
              f"<Style><LineStyle><color>{kml_color(color)}</color><width>3</width>"
              f"</LineStyle></Style>{_extended('control_line', line_fields, row)}{geometry_kml(geom)}</Placemark>\n")
            counts["control_lines"] += 1
        w("</Folder>\n")
    if zones is not None:
        w("<Folder><name>Zones</name>\n")
        for i, (row, geom) in enumerate(_records(zones)):
            where = f"zones row {i + 1}: field 'color'"
            color = parse_color(row.get("color") or FALLBACK_COLOR, where=where)
            fill = (color[0], color[1], color[2], 80)
            title = f"{_clean(row.get('party'))} ({_clean(row.get('side'))} bank)"
            w(f'<Placemark><name>{xml_text(title)}</name>'
              f"{_time_span(row.get('valid_from'), row.get('valid_to'))}"
              f"<Style><LineStyle><color>{kml_color(color)}</color><width>1.5</width>"
              f"</LineStyle><PolyStyle><color>{kml_color(fill)}</color></PolyStyle></Style>"
              f"{_extended('zone', zone_fields, row)}{geometry_kml(geom)}</Placemark>\n")
            counts["zones"] += 1
        w("</Folder>\n")
    if areas is not None:
        counts["areas"] = 0
        w("<Folder><name>Control areas</name>\n")
        for i, (row, geom) in enumerate(_records(areas)):
            where = f"areas row {i + 1}: field 'color'"
            color = parse_color(row.get("color") or FALLBACK_COLOR, where=where)
            fill = (color[0], color[1], color[2], 110)
            status = _clean(row.get("status"))
            other = _clean(row.get("party2"))
            title = (f"{_clean(row.get('party'))}"
                     + (f" ({status}{', ' + other if other else ''})" if status != "held" else "")
                     + f", as of {_clean(row.get('as_of'))}")
            w(f'<Placemark><name>{xml_text(title)}</name>'
              f"{_time_span(row.get('valid_from'), row.get('valid_to'))}"
              f"<Style><LineStyle><color>{kml_color(color)}</color><width>1</width>"
              f"</LineStyle><PolyStyle><color>{kml_color(fill)}</color></PolyStyle></Style>"
              f"{_extended('area', area_fields, row)}{geometry_kml(geom)}</Placemark>\n")
            counts["areas"] += 1
        w("</Folder>\n")
    w("</Document>\n</kml>\n")
    return counts
