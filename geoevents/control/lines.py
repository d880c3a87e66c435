"""Control lines, the zones they divide, and the side each incident is on.

A control line is declared in a small YAML file (or drawn as a GeoJSON line with the same
attributes) and built into the LINES and ZONES frames of :mod:`maps.schema`; :func:`assign_sides`
then gives each incident of an INCIDENTS frame its zone's party, bank and compass side and its
distance to the line.

Spec format (YAML; one line per file, or several under ``lines:``)::

    id: deir-ez-zor-2018            # optional: made from the file name
    name: Euphrates de-confliction line (Deir ez-Zor)
    river: Euphrates                # a river of data/rivers.yaml (any name or alias) ...
    # geometry_file: front.geojson  # ... or a line drawn by hand (GeoJSON LineString)
    # rivers_file: my-rivers.gpkg   # optional: river segments from this file instead of
                                    # Natural Earth's installed rivers layer
    from: Tabqa                     # the stretch: named places (resolved with the gazetteer)
    to: Al-Bukamal                  #   or {lat: .., lon: .., name: ..}; each is projected onto
                                    #   the line; leave both out for the whole line
    countries: [SY]                 # context for resolving the names (codes or names)
    max_offset_km: 25               # how far a stretch end may be from the line (default 25)
    valid_from: 2017-09-01          # ISO dates (YYYY, YYYY-MM or YYYY-MM-DD); either may be
    valid_to: 2019-10-31            #   left out for an open end
    banks:                          # the party on each bank: left/right (looking downstream,
      west:                         #   or along the line as drawn) or compass sides
        party: Syrian government and Russia    #   (west/east or north/south); a plain string
        color: "#c0392b"                       #   is the party alone
      east: {party: SDF and US-led coalition, color: "#1f77b4"}
    color: "#2b2b2b"                # the line's colour
    width_km: 40                    # how far each zone reaches from the line (0 < w <= 1000)
    clip: {country: SY}             # and/or clip the zones: {country: SY}, {admin1: "Deir
                                    #   ez-Zor"} (Natural Earth admin-1 polygons), or
                                    #   {file: areas.geojson, name: "Deir ez-Zor", field: ..}
    notes: free text

A GeoJSON line file carries the same keys in each line feature's ``properties`` (``banks`` as an
object, or flat ``party_west``/``color_west``-style keys); its geometry is the line and the
direction it was drawn in is "downstream" for left/right.

How it is built:

- the river is the merged, directed line of :func:`gazetteer.rivers.river`; each stretch end is
  resolved with the gazetteer and projected onto the line (error when farther than
  ``max_offset_km``, saying how far); the stretch keeps the river's direction;
- zones are built in a local azimuthal equidistant projection centred on the stretch, so widths
  are true kilometres: the band of everything within ``width_km`` of the stretch is split by the
  line continued past both ends (along the river itself, then straight on), and each piece goes
  to the bank it lies on; so the two zones never overlap and meet along the line, and a town at
  a stretch end is on its bank.  Then they are clipped when asked;
- compass sides: the left bank's side is the compass direction (8 points) nearest the left
  normal of the stretch's overall direction (its chord).  When the spec names compass sides, the
  tool checks which bank each is and refuses a side within 20 degrees of the line's own
  direction (ambiguous); it warns when the compass side is the other bank along more than 10 %
  of the stretch (a river that turns back).

Incidents (:func:`assign_sides`): an incident gets a side only when its dates overlap the line's
validity.  It is in a zone when the zone polygon contains its point; ``line_distance_km`` is the
distance to the line.  It is ``near_line`` when that distance is within the uncertainty of its own
location precision (:data:`NEAR_LINE_KM`: geo_precision 1 -> 2 km, 2 -> 10 km, 3 -> 50 km, missing
-> 50 km); a near-line incident keeps ``line_id`` and the distance but gets no party, bank or
side, rather than a side assigned blindly.  With several lines, the nearest valid one wins.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazetteer import GazetteerError, InputError

MIN_WIDTH_KM = 0.1
MAX_WIDTH_KM = 1000.0
DEFAULT_MAX_OFFSET_KM = 25.0
#: Location uncertainty per ACLED geo_precision, in km: an incident closer to the line than this
#: is flagged ``near_line`` instead of being given a side.
NEAR_LINE_KM: dict[int, float] = {1: 2.0, 2: 10.0, 3: 50.0}
NEAR_LINE_DEFAULT_KM = 50.0
AMBIGUOUS_DEG = 20.0
CONTRADICT_MAX = 0.1
DEFAULT_COLORS = {"line": "#2b2b2b", "left": "#1f77b4", "right": "#d62728"}

COMPASS = {"north": (0.0, 1.0), "east": (1.0, 0.0), "south": (0.0, -1.0), "west": (-1.0, 0.0)}
OPPOSITE = {"left": "right", "right": "left", "west": "east", "east": "west",
            "north": "south", "south": "north"}
_POINTS8 = ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")
SPEC_KEYS = ("id", "name", "river", "geometry_file", "rivers_file", "from", "to", "countries",
             "max_offset_km", "valid_from", "valid_to", "banks", "color", "width_km", "clip",
             "notes")
_FLAT_BANK = re.compile(r"^(party|color)_(left|right|west|east|north|south)$")
_COLOR = re.compile(r"^(#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|[a-zA-Z]{3,30})$")
_ID = re.compile(r"[^a-z0-9]+")


# --------------------------------------------------------------------------------------------
# Specs


@dataclass(slots=True)
class Bank:
    party: str
    color: str


@dataclass(slots=True)
class LineSpec:
    """A validated control-line declaration (before any geometry is computed)."""

    id: str
    name: str
    kind: str  # river | custom
    river: str = ""
    rivers_file: Path | None = None
    geometry: Any = None  # shapely LineString (lon/lat) for custom lines
    start: Any = None  # str name, (lat, lon, label) or None
    end: Any = None
    countries: tuple[str, ...] = ()
    max_offset_km: float = DEFAULT_MAX_OFFSET_KM
    valid_from: str = ""
    valid_to: str = ""
    banks: dict[str, Bank] = field(default_factory=dict)  # two opposite sides
    color: str = DEFAULT_COLORS["line"]
    width_km: float | None = None
    clip: dict[str, str] | None = None
    notes: str = ""
    file: str = ""
    lines: dict[tuple, int] = field(default_factory=dict, repr=False)  # field path -> line no.

    def error(self, message: str, field: str | None = None) -> InputError:
        line = None
        if field:
            path = tuple(field.split("."))
            while path and path not in self.lines:
                path = path[:-1]
            line = self.lines.get(path)
        return InputError(message, file=self.file or None, line=line, field=field)


def _yaml_lines(text: str) -> dict[tuple, int]:
    """Line number (1-based) of every mapping key and list item, by path."""
    import yaml

    out: dict[tuple, int] = {}

    def walk(node: Any, path: tuple) -> None:
        out.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                out[(*path, str(k.value))] = k.start_mark.line + 1
                walk(v, (*path, str(k.value)))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, (*path, i))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return out
    if root is not None:
        walk(root, ())
    return out


def parse_yaml(text: str, file: str, loader: Any = None) -> tuple[Any, dict[tuple, int]]:
    """YAML text -> (document, line of every key and item by path); bad YAML is an
    InputError naming ``file`` and the line.  ``loader``: :func:`_loader` (dates stay text)."""
    import yaml

    try:
        raw = yaml.load(text, Loader=loader or _loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=file,
                         line=mark.line + 1 if mark else None) from None
    return raw, _yaml_lines(text)


def read_yaml(path: Path, loader: Any = None) -> tuple[Any, dict[tuple, int]]:
    """:func:`parse_yaml` of a UTF-8 file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=str(path)) from None
    return parse_yaml(text, str(path), loader)


def _loader() -> Any:
    """yaml's SafeLoader, but dates stay text (we parse and check them ourselves)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return Loader


def load_specs(path: str | Path) -> list[LineSpec]:
    """Read a spec file: YAML (one line, or several under ``lines:``) or a GeoJSON line file.
    Raises InputError naming the file, line and field of anything wrong."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", file=str(p))
    suffix = p.suffix.lower()
    if suffix in (".geojson", ".json"):
        return _load_geojson_specs(p)
    if suffix not in (".yaml", ".yml"):
        raise InputError("a control-line spec is YAML (.yaml/.yml) or a GeoJSON line "
                         "(.geojson)", file=str(p))
    raw, lines = read_yaml(p)
    if isinstance(raw, dict) and "lines" in raw and set(raw) <= {"lines"}:
        items = raw["lines"]
        if not isinstance(items, list) or not items:
            raise InputError("'lines' must be a list of line specs", file=str(p),
                             line=lines.get(("lines",)), field="lines")
        out = []
        for i, item in enumerate(items):
            sub = {k[2:]: v for k, v in lines.items() if k[:2] == ("lines", i)}
            out.append(_spec_from_dict(item, file=p, lines=sub, default_id=f"{p.stem}-{i + 1}",
                                       prefix=f"lines.{i}."))
        _check_unique_ids(out, p)
        return out
    if not isinstance(raw, dict):
        raise InputError("a control-line spec is a YAML mapping (see the format in README)",
                         file=str(p), line=1)
    return [_spec_from_dict(raw, file=p, lines=lines, default_id=p.stem)]


def _check_unique_ids(specs: list[LineSpec], p: Path) -> None:
    seen: set[str] = set()
    for s in specs:
        if s.id in seen:
            raise InputError(f"two lines have the id '{s.id}'", file=str(p), field="id")
        seen.add(s.id)


def _read_geojson_lines(p: Path) -> list[tuple[dict, Any]]:
    """(properties, LineString) of each feature of a GeoJSON line file."""
    from shapely.geometry import shape

    if not p.is_file():
        raise InputError("no such file", file=str(p))
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not valid GeoJSON: {exc}", file=str(p)) from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
    elif isinstance(data, dict) and data.get("type") == "Feature":
        features = [data]
    elif isinstance(data, dict) and data.get("type") in ("LineString", "MultiLineString"):
        features = [{"type": "Feature", "properties": {}, "geometry": data}]
    else:
        raise InputError("a control line GeoJSON must be a FeatureCollection, a Feature or a "
                         "LineString", file=str(p))
    if not features:
        raise InputError("holds no feature; a control line needs one LineString", file=str(p))
    out = []
    for i, feat in enumerate(features, 1):
        if not isinstance(feat, dict):
            raise InputError(f"feature {i} is not a GeoJSON Feature", file=str(p))
        geom = feat.get("geometry") or {}
        props = feat.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError(f"feature {i}: properties must be an object", file=str(p))
        label = f"feature {i}" + (f" ('{_text(props['name'])}')" if props.get("name") else "")
        gtype = geom.get("type") if isinstance(geom, dict) else None
        if gtype not in ("LineString", "MultiLineString"):
            raise InputError(f"{label} is a {gtype or 'feature without geometry'}; a control line "
                             "must be a LineString (or a MultiLineString whose parts join into "
                             "one line)", file=str(p), field="geometry")
        try:
            g = shape(geom)
        except Exception as exc:  # shapely: malformed coordinates
            raise InputError(f"{label}: bad coordinates ({exc})", file=str(p),
                             field="geometry") from None
        line = _as_single_line(g, lambda m, label=label: InputError(
            f"{label}: {m}", file=str(p), field="geometry"))
        out.append((dict(props), line))
    return out


def _written_fields() -> tuple[str, ...]:
    """Fields of the LINES layer that the tool writes (``lines build``, ``export``) and that are
    not spec fields: a file the tool wrote is read back with them ignored."""
    from maps.schema import LINE_COLUMNS, LINE_OPTIONAL

    return tuple(k for k in (*LINE_COLUMNS, *LINE_OPTIONAL)
                 if k not in SPEC_KEYS and not _FLAT_BANK.match(k))


def _load_geojson_specs(p: Path) -> list[LineSpec]:
    features = _read_geojson_lines(p)
    specs = []
    written = _written_fields()
    for i, (props, line) in enumerate(features, 1):
        props.pop("layer", None)
        if any(k in props for k in written):  # written by lines build / export: the line is
            for k in (*written, "river"):     # drawn now; its derived fields and the river it
                props.pop(k, None)            # followed are descriptions, not instructions
        specs.append(_spec_from_dict(props, file=p, lines={}, default_id=(
            p.stem if len(features) == 1 else f"{p.stem}-{i}"), geometry=line))
    _check_unique_ids(specs, p)
    return specs


def _as_single_line(g: Any, err: Any) -> Any:
    import shapely
    from shapely.ops import linemerge

    if g.is_empty:
        raise err("the line is empty")
    if g.geom_type == "MultiLineString":
        g = linemerge(g)
        if g.geom_type != "LineString":
            raise err(f"its {len(g.geoms)} parts do not join into one line; give one "
                      "LineString per control line")
    coords = shapely.get_coordinates(g)
    if len(coords) < 2 or g.length == 0:
        raise err("a line needs at least two different points")
    if not ((coords[:, 0] >= -180).all() and (coords[:, 0] <= 180).all()
            and (coords[:, 1] >= -90).all() and (coords[:, 1] <= 90).all()):
        raise err("coordinates must be longitude, latitude in degrees (WGS 84)")
    return g


def _date(value: Any, *, end: bool) -> str:
    """ISO date from YYYY, YYYY-MM or YYYY-MM-DD (a date object too); '' for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    s = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}", s):
            return f"{s}-12-31" if end else f"{s}-01-01"
        if re.fullmatch(r"\d{4}-\d{2}", s):
            first = _dt.date.fromisoformat(f"{s}-01")
            if not end:
                return first.isoformat()
            nxt = (first.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
            return (nxt - _dt.timedelta(days=1)).isoformat()
        return _dt.date.fromisoformat(s).isoformat()
    except ValueError:
        pass
    raise ValueError(f"'{s}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _spec_from_dict(raw: Any, *, file: Path, lines: dict[tuple, int], default_id: str,
                    prefix: str = "", geometry: Any = None) -> LineSpec:
    spec = LineSpec(id="", name="", kind="custom" if geometry is not None else "river",
                    file=str(file), lines=lines)

    def err(message: str, fld: str | None = None) -> InputError:
        e = spec.error(message, fld)
        if prefix and fld:  # report the full path within a 'lines:' list
            return InputError(message, file=e.file, line=e.line, field=prefix + fld)
        return e

    if not isinstance(raw, dict):
        raise err("a line spec must be a mapping of fields")
    flat = {k: raw[k] for k in raw if _FLAT_BANK.match(str(k))}
    unknown = sorted(str(k) for k in raw if k not in SPEC_KEYS and k not in flat)
    if unknown:
        raise err(f"unknown field(s) {', '.join(unknown)}; expected {', '.join(SPEC_KEYS)}",
                  unknown[0])
    spec.id = _ID.sub("-", _text(raw.get("id") or default_id).lower()).strip("-") or "line"
    spec.notes = _text(raw.get("notes"))

    # What the line is: a river, or a drawn line.
    if raw.get("river") and (raw.get("geometry_file") or geometry is not None):
        raise err("give either 'river' or a drawn line ('geometry_file'), not both", "river")
    if geometry is not None:
        spec.geometry = geometry
    elif raw.get("geometry_file"):
        gpath = Path(str(raw["geometry_file"]))
        if not gpath.is_absolute():
            gpath = file.parent / gpath
        drawn = _read_geojson_lines(gpath)
        if len(drawn) != 1:
            raise err(f"{gpath} holds {len(drawn)} lines; geometry_file needs exactly one",
                      "geometry_file")
        spec.kind, spec.geometry = "custom", drawn[0][1]
    elif raw.get("river"):
        from gazetteer import rivers

        try:
            spec.river = rivers.lookup(_text(raw["river"])).name
        except rivers.UnknownRiver as exc:
            raise err(str(exc), "river") from None
        if raw.get("rivers_file"):
            rp = Path(str(raw["rivers_file"]))
            spec.rivers_file = rp if rp.is_absolute() else file.parent / rp
    else:
        raise err("say which line: 'river' (a river name) or 'geometry_file' (a GeoJSON line)",
                  "river")
    spec.name = _text(raw.get("name")) or (
        f"{spec.river} control line" if spec.river else spec.id)

    # The stretch.
    for key in ("from", "to"):
        v = raw.get(key)
        if v is None or v == "":
            continue
        if isinstance(v, dict):
            try:
                lat, lon = float(v["lat"]), float(v["lon"])
            except (KeyError, TypeError, ValueError):
                raise err("a point needs numeric 'lat' and 'lon'", key) from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise err(f"({lat}, {lon}) is not a latitude, longitude", key)
            point = (lat, lon, _text(v.get("name")) or f"{lat:.5f}, {lon:.5f}")
        elif isinstance(v, str) and v.strip():
            point = _text(v)
        else:
            raise err("a stretch end is a place name or {lat, lon}", key)
        if key == "from":
            spec.start = point
        else:
            spec.end = point
    if (spec.start is None) != (spec.end is None):
        raise err("give both 'from' and 'to' (or neither, for the whole line)",
                  "from" if spec.start is None else "to")
    countries = raw.get("countries") or ()
    if isinstance(countries, str):
        countries = [countries]
    if not isinstance(countries, list | tuple):
        raise err("a list of countries (codes or names)", "countries")
    spec.countries = tuple(_text(c) for c in countries if _text(c))
    if raw.get("max_offset_km") is not None:
        spec.max_offset_km = _number(raw["max_offset_km"], err, "max_offset_km", 0.01, 500)

    # Validity.
    try:
        spec.valid_from = _date(raw.get("valid_from"), end=False)
    except ValueError as exc:
        raise err(str(exc), "valid_from") from None
    try:
        spec.valid_to = _date(raw.get("valid_to"), end=True)
    except ValueError as exc:
        raise err(str(exc), "valid_to") from None
    if spec.valid_from and spec.valid_to and spec.valid_from > spec.valid_to:
        raise err(f"the dates are reversed: valid_from {spec.valid_from} is after valid_to "
                  f"{spec.valid_to}", "valid_to")

    # Banks.
    banks_raw = raw.get("banks")
    if banks_raw is None and flat:
        banks_raw = {}
        for k, v in flat.items():
            what, side = _FLAT_BANK.match(str(k)).groups()  # type: ignore[union-attr]
            banks_raw.setdefault(side, {})[what] = v
    if not isinstance(banks_raw, dict) or not banks_raw:
        raise err("say who holds each bank: banks: {west: PARTY, east: PARTY} (or left/right, "
                  "north/south)", "banks")
    sides = [str(s).lower() for s in banks_raw]
    bad = [s for s in sides if s not in OPPOSITE]
    if bad:
        raise err(f"unknown bank '{bad[0]}'; use left/right, west/east or north/south",
                  f"banks.{bad[0]}")
    if len(sides) != 2 or OPPOSITE[sides[0]] != sides[1]:
        raise err(f"banks must be two opposite sides (left/right, west/east or north/south), "
                  f"not {', '.join(sides)}", "banks")
    for side_key, v in banks_raw.items():
        side = str(side_key).lower()
        fld = f"banks.{side_key}"
        if isinstance(v, str):
            v = {"party": v}
        if not isinstance(v, dict):
            raise err("a bank is a party name or {party, color}", fld)
        extra = sorted(set(map(str, v)) - {"party", "color"})
        if extra:
            raise err(f"unknown field(s) {', '.join(extra)}; a bank has party and color",
                      f"{fld}.{extra[0]}")
        party = _text(v.get("party"))
        if not party:
            raise err("the party holding this bank is missing", f"{fld}.party")
        color = _color(v.get("color"), err, f"{fld}.color")
        spec.banks[side] = Bank(party=party, color=color or "")
    spec.color = _color(raw.get("color"), err, "color") or DEFAULT_COLORS["line"]

    # How far the zones reach.
    if raw.get("width_km") is not None:
        spec.width_km = _number(raw["width_km"], err, "width_km", None, None)
        if not (MIN_WIDTH_KM <= spec.width_km <= MAX_WIDTH_KM):
            raise err(f"width_km must be more than 0 and at most {MAX_WIDTH_KM:,.0f} km, not "
                      f"{spec.width_km:,g}", "width_km")
    clip = raw.get("clip")
    if clip is not None:
        if isinstance(clip, str):
            clip = {"country": clip}
        if not isinstance(clip, dict) or not clip:
            raise err("clip is {country: ..}, {admin1: ..} or {file: .., name: ..}", "clip")
        extra = sorted(set(map(str, clip)) - {"country", "admin1", "file", "name", "field"})
        if extra:
            raise err(f"unknown field(s) {', '.join(extra)}; clip has country, admin1, or "
                      "file with name (and field)", f"clip.{extra[0]}")
        c = {str(k): _text(v) for k, v in clip.items() if _text(v)}
        if "file" in c:
            if "name" not in c:
                raise err("clip by file needs the 'name' of the area", "clip.name")
            fp = Path(c["file"])
            c["file"] = str(fp if fp.is_absolute() else file.parent / fp)
        elif not ({"country", "admin1"} & set(c)):
            raise err("clip needs a country, an admin1 area, or a file with a name", "clip")
        spec.clip = c
    if spec.width_km is None and spec.clip is None:
        raise err("say how far the zones reach: width_km (km from the line) and/or clip "
                  "(a country or admin area)", "width_km")
    return spec


def _number(value: Any, err: Any, fld: str, lo: float | None, hi: float | None) -> float:
    if isinstance(value, bool):
        raise err(f"{value!r} is not a number", fld)
    try:
        x = float(str(value).replace(",", "").replace("_", ""))
    except (TypeError, ValueError):
        raise err(f"{value!r} is not a number", fld) from None
    if not math.isfinite(x):
        raise err(f"{value!r} is not a finite number", fld)
    if lo is not None and hi is not None and not (lo <= x <= hi):
        raise err(f"{x:g} is outside {lo:g}..{hi:g}", fld)
    return x


def is_color(value: str) -> bool:
    """True for #rgb, #rgba, #rrggbb, #rrggbbaa or a CSS colour name (``darkred``): what
    every map and export draws the same."""
    s = str(value).strip()
    if not _COLOR.match(s):
        return False
    if s.startswith("#"):
        return True
    import webcolors

    try:
        webcolors.name_to_hex(s.lower())
    except ValueError:
        return False
    return True


def _color(value: Any, err: Any, fld: str) -> str:
    if value is None or value == "":
        return ""
    s = str(value).strip()
    if not is_color(s):
        raise err(f"'{s}' is not a colour; use #rrggbb, #rgb or a CSS colour name (such as "
                  "darkred)", fld)
    return s


# --------------------------------------------------------------------------------------------
# Building lines and zones


@dataclass(slots=True)
class BuiltLine:
    """A control line with its geometry (lon/lat) and one zone per bank (lon/lat)."""

    spec: LineSpec
    geometry: Any  # LineString, directed (downstream / as drawn)
    zones: dict[str, Any]  # "left"/"right" -> Polygon or MultiPolygon
    side_left: str
    side_right: str
    party_left: str
    party_right: str
    color_left: str
    color_right: str
    stretch_from: str = ""
    stretch_to: str = ""
    length_km: float = 0.0
    width_km: float | None = None
    source: str = ""
    clip: str = ""
    warnings: list[str] = field(default_factory=list)


def _local_crs(lon: float, lat: float) -> str:
    return (f"+proj=aeqd +lat_0={round(lat, 2):.2f} +lon_0={round(lon, 2):.2f} +x_0=0 +y_0=0 "
            "+datum=WGS84 +units=m +no_defs")


def _transformers(crs: str) -> tuple[Any, Any]:
    from pyproj import Transformer

    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return fwd, inv


def _apply(tr: Any, geom: Any) -> Any:
    import numpy as np
    import shapely

    def f(xy: Any) -> Any:
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, f)


def _resolve_end(spec: LineSpec, value: Any, key: str, gazetteer: Any) -> tuple[float, float, str]:
    if isinstance(value, tuple):
        return value
    from gazetteer import Context

    countries = []
    for c in spec.countries:
        code = gazetteer.country_code(c)
        if code is None:
            raise spec.error(f"unknown country '{c}'", "countries")
        countries.append(code)
    other = spec.end if key == "from" else spec.start
    mentions = (other,) if isinstance(other, str) else ()
    try:
        res = gazetteer.resolve(value, Context(countries=tuple(countries), mentions=mentions))
    except InputError as exc:
        raise spec.error(str(exc), key) from None
    if res.status == "unresolved":
        hint = f"; did you mean {', '.join(res.suggestions[:4])}?" if res.suggestions else ""
        raise spec.error(f"the place '{value}' is not in the gazetteer{hint} (or give "
                         "{lat, lon})", key)
    if res.status == "ambiguous":
        opts = "; ".join(f"{c.place.name} ({c.place.country}, {c.place.lat:.3f}, "
                         f"{c.place.lon:.3f})" for c in res.candidates[:4])
        raise spec.error(f"the place '{value}' is ambiguous: {opts}; add 'countries' or give "
                         "{lat, lon}", key)
    p = res.place
    return (p.lat, p.lon, p.name)


def _compass8(vx: float, vy: float) -> str:
    bearing = math.degrees(math.atan2(vx, vy)) % 360
    return _POINTS8[int((bearing + 22.5) // 45) % 8]


def _sides(spec: LineSpec, line: Any) -> tuple[str, str, list[str]]:
    """(compass side of the left bank, of the right bank, warnings).  ``line`` is projected."""
    import numpy as np

    c = np.asarray(line.coords)
    d = c[-1] - c[0]
    if np.hypot(*d) < 1e-6:  # a closed or looping line: use the mean direction of its segments
        d = (c[1:] - c[:-1]).sum(axis=0)
    left_normal = np.array([-d[1], d[0]]) / max(np.hypot(*d), 1e-9)
    named = [s for s in spec.banks if s in COMPASS]
    if not named:
        return _compass8(*left_normal), _compass8(*-left_normal), []
    side = named[0]
    v = np.array(COMPASS[side])
    cos = float(v @ left_normal)
    if abs(cos) < math.sin(math.radians(AMBIGUOUS_DEG)):
        bearing = math.degrees(math.atan2(d[0], d[1])) % 360
        what = spec.river or "line"
        raise spec.error(
            f"along this stretch the {what} runs towards the {_compass8(*d)} (bearing "
            f"{bearing:.0f} degrees), so its '{side}' and '{OPPOSITE[side]}' banks are "
            "ambiguous; name the banks left/right (looking downstream) or "
            f"{'north/south' if side in ('west', 'east') else 'west/east'}", "banks")
    bank = "left" if cos > 0 else "right"
    warnings = []
    # The line resampled every ~10 km: meanders smaller than that do not count.
    steps = max(int(line.length // 10_000.0), 1)
    r = np.array([line.interpolate(t, normalized=True).coords[0]
                  for t in np.linspace(0.0, 1.0, steps + 1)])
    seg = r[1:] - r[:-1]
    lengths = np.hypot(seg[:, 0], seg[:, 1])
    # cos of the angle between the compass side and each segment's left normal
    local = (np.column_stack([-seg[:, 1], seg[:, 0]]) @ v) / np.maximum(lengths, 1e-9)
    clear = np.abs(local) >= math.sin(math.radians(AMBIGUOUS_DEG))
    wrong = clear & ((local > 0) != (bank == "left"))
    share = lengths[wrong].sum() / max(lengths.sum(), 1e-9)
    if share > CONTRADICT_MAX:
        warnings.append(f"{spec.id}: along {share:.0%} of the stretch the '{side}' bank is the "
                        f"{'right' if bank == 'left' else 'left'} bank (the line turns back); "
                        "naming the banks left/right would be exact")
    other = OPPOSITE[side]
    return (side, other, warnings) if bank == "left" else (other, side, warnings)


def _ray_extension(line: Any, at_end: bool, length: float) -> Any:
    """A straight piece continuing ``line`` past one end (stopped where it would meet the
    line again)."""
    import numpy as np
    from shapely.geometry import LineString, Point

    total = line.length
    step = min(5000.0, total / 10)
    if at_end:
        tip = np.asarray(line.coords[-1])
        back = np.asarray(line.interpolate(total - step).coords[0])
    else:
        tip = np.asarray(line.coords[0])
        back = np.asarray(line.interpolate(step).coords[0])
    direction = tip - back
    direction /= max(np.hypot(*direction), 1e-9)
    ray = LineString([tip, tip + direction * length])
    hits = ray.intersection(line)
    tip_pt = Point(tip)
    stops = [g for g in getattr(hits, "geoms", [hits]) if not g.is_empty
             and g.distance(tip_pt) > 1.0]
    if stops:
        nearest = min(ray.project(g.representative_point()) for g in stops)
        ray = LineString([tip, tip + direction * max(nearest - 1.0, 1.0)])
    return ray


def _split_zones(line: Any, width_m: float, guide: Any = None) -> tuple[Any, Any]:
    """(left zone, right zone) of a projected line: the band within ``width_m`` of it, split by
    the line continued past both ends (by ``guide``, the rest of the river, where given, then
    straight on), each piece going to the bank it lies on."""
    import shapely
    from shapely.geometry import LineString
    from shapely.ops import split, unary_union

    band = line.buffer(width_m, quad_segs=16)
    core = guide if guide is not None else line
    reach = core.length + 2 * width_m + 10_000.0
    head = _ray_extension(core, at_end=False, length=reach)
    tail = _ray_extension(core, at_end=True, length=reach)
    cutter = LineString([*list(head.coords)[::-1], *list(core.coords)[1:-1],
                         *list(tail.coords)])
    pieces = shapely.get_parts(split(band, cutter))
    eps = max(min(width_m / 100, 10.0), 0.5)
    left_probe = cutter.buffer(eps, single_sided=True)
    right_probe = cutter.buffer(-eps, single_sided=True)
    left, right = [], []
    for piece in pieces:
        a = piece.intersection(left_probe).area
        b = piece.intersection(right_probe).area
        if a == 0 and b == 0:
            continue  # cannot happen for a piece bounded by the line; never guess
        (left if a >= b else right).append(piece)
    return unary_union(left), unary_union(right)


def _clip_area(spec: LineSpec, bounds: tuple[float, float, float, float],
               gazetteer: Any) -> tuple[Any, str]:
    """(the clip polygon in lon/lat, a label for it)."""
    from shapely.ops import unary_union

    from gazetteer import naturalearth
    from gazetteer.normalize import skeleton

    clip = spec.clip or {}
    west, south, east, north = bounds
    box = (west - 1, south - 1, east + 1, north + 1)
    country = clip.get("country")
    code = None
    if country:
        code = (gazetteer.country_code(country) if gazetteer is not None
                else country.upper())
        if code is None:
            raise spec.error(f"unknown country '{country}'", "clip.country")
    if "file" in clip:
        import pyogrio

        try:
            frame = pyogrio.read_dataframe(clip["file"], bbox=box)
        except Exception as exc:  # GDAL: missing or unreadable file
            raise spec.error(f"cannot read {clip['file']}: {exc}", "clip.file") from None
        import pandas as pd

        columns = [clip["field"]] if clip.get("field") else [
            c for c in frame.columns if c != "geometry"
            and (pd.api.types.is_string_dtype(frame[c]) or frame[c].dtype == object)]
        if clip.get("field") and clip["field"] not in frame.columns:
            raise spec.error(f"{clip['file']} has no column '{clip['field']}'", "clip.field")
        label = clip["name"]
    elif "admin1" in clip:
        frame = naturalearth.read_layer("admin1", bbox=box,
                                        feature="zones clipped to an admin-1 area")
        if code:
            iso = next((c for c in frame.columns if c.lower() == "iso_a2"), None)
            if iso:
                frame = frame[frame[iso] == code]
        columns = [c for c in frame.columns
                   if c.lower() in ("name", "name_en", "name_alt", "gn_name", "woe_name",
                                    "iso_3166_2", "adm1_code")]
        label = clip["admin1"] + (f" ({code})" if code else "")
    else:
        frame = naturalearth.read_layer("countries", bbox=box,
                                        feature="zones clipped to a country")
        cols = [c for c in frame.columns if c.lower() in ("iso_a2_eh", "iso_a2")]
        mask = None
        for c in cols:
            m = frame[c] == code
            mask = m if mask is None else mask | m
        frame = frame[mask] if mask is not None else frame.iloc[:0]
        if frame.empty:
            raise spec.error(f"the country {code} is not in the installed Natural Earth "
                             "countries layer near the line", "clip.country")
        return unary_union(frame.geometry.make_valid().values), code or ""
    wanted = skeleton(clip.get("name") or clip.get("admin1") or "")
    mask = None
    for c in columns:
        m = frame[c].fillna("").astype(str).map(
            lambda v: wanted in {skeleton(x) for x in v.split("|") if x.strip()})
        mask = m if mask is None else mask | m
    hit = frame[mask] if mask is not None else frame.iloc[:0]
    fld = "clip.name" if "file" in clip else "clip.admin1"
    if hit.empty:
        raise spec.error(f"no area named '{clip.get('name') or clip.get('admin1')}' near the line "
                         f"in {clip.get('file') or 'the Natural Earth admin-1 layer'}", fld)
    return unary_union(hit.geometry.make_valid().values), label


def build(spec: LineSpec, gazetteer: Any = None) -> BuiltLine:
    """Compute a line's geometry and its two zones.  Raises InputError (bad spec or stretch),
    NotInstalled (a reference layer it needs).  ``gazetteer`` resolves the stretch's place
    names and a clip country given by name (one is opened, and closed, when needed)."""
    country = (spec.clip or {}).get("country", "")
    needs = (isinstance(spec.start, str) or isinstance(spec.end, str)
             or (country and not re.fullmatch(r"[A-Za-z]{2}", country)))
    if gazetteer is not None or not needs:
        return _build(spec, gazetteer)
    from gazetteer import Gazetteer

    with Gazetteer(verbose=False) as own:
        return _build(spec, own)


def _build(spec: LineSpec, gazetteer: Any) -> BuiltLine:
    import numpy as np
    import shapely
    from pyproj import Geod
    from shapely.geometry import Point
    from shapely.ops import substring

    from gazetteer import rivers

    geod = Geod(ellps="WGS84")
    if spec.kind == "river":
        try:
            riv = rivers.river(spec.river, source=spec.rivers_file)
        except rivers.UnknownRiver as exc:
            raise spec.error(str(exc), "river") from None
        except GazetteerError as exc:
            if type(exc).__name__ == "NotInstalled":
                raise
            raise spec.error(str(exc), "river") from None
        full, source = riv.geometry, riv.source
    else:
        full, source = spec.geometry, Path(spec.file).name
    ends = []
    if spec.start is not None:
        ends = [_resolve_end(spec, spec.start, "from", gazetteer),
                _resolve_end(spec, spec.end, "to", gazetteer)]
        lat0 = (ends[0][0] + ends[1][0]) / 2
        lon0 = (ends[0][1] + ends[1][1]) / 2
    else:
        mid = full.interpolate(0.5, normalized=True)
        lon0, lat0 = mid.x, mid.y
    fwd, inv = _transformers(_local_crs(lon0, lat0))
    line = _apply(fwd, full)
    what = spec.river or "line"
    stretch_names = ["", ""]
    if ends:
        positions = []
        for (lat, lon, label), key in zip(ends, ("from", "to"), strict=True):
            pt = _apply(fwd, Point(lon, lat))
            pos = line.project(pt)
            on = line.interpolate(pos)
            on_ll = _apply(inv, on)
            _, _, off = geod.inv(lon, lat, on_ll.x, on_ll.y)
            off_km = off / 1000.0
            if off_km > spec.max_offset_km:
                raise spec.error(
                    f"the stretch end '{label}' ({lat:.4f}, {lon:.4f}) is {off_km:,.1f} km from "
                    f"the {what}; a stretch end must be within {spec.max_offset_km:g} km of the "
                    "line (max_offset_km)", key)
            positions.append(pos)
            stretch_names[0 if key == "from" else 1] = label
        a, b = positions
        if abs(a - b) < 100.0:
            raise spec.error(f"'{stretch_names[0]}' and '{stretch_names[1]}' fall on the same "
                             f"point of the {what}: the stretch is empty", "to")
        if a > b:  # the stretch keeps the line's own direction (downstream)
            a, b = b, a
            stretch_names.reverse()
        line = substring(line, a, b)
        # Re-centre the projection on the stretch itself.
        stretch_ll = _apply(inv, line)
        mid = stretch_ll.interpolate(0.5, normalized=True)
        fwd, inv = _transformers(_local_crs(mid.x, mid.y))
        line = _apply(fwd, stretch_ll)
    line = shapely.remove_repeated_points(line, 0.01)
    side_left, side_right, warnings = _sides(spec, line)
    clip_poly_ll, clip_label = (None, "")
    if spec.clip:
        bounds = _apply(inv, line).bounds
        w = (spec.width_km or 0) / 100.0
        clip_poly_ll, clip_label = _clip_area(
            spec, (bounds[0] - w, bounds[1] - w, bounds[2] + w, bounds[3] + w), gazetteer)
    width_km = spec.width_km
    if width_km is None:  # reach the whole clip area
        area = _apply(fwd, clip_poly_ll)
        pts = shapely.points(shapely.get_coordinates(area))
        width_km = min(float(np.max(shapely.distance(pts, line))) / 1000.0 + 1.0, MAX_WIDTH_KM)
    guide = None
    if ends:  # continue the cut along the river itself past the stretch's ends
        full_p = _apply(fwd, full)
        a = full_p.project(Point(line.coords[0]))
        b = full_p.project(Point(line.coords[-1]))
        margin = width_km * 1000.0 + 10_000.0
        guide = substring(full_p, max(a - margin, 0.0), min(b + margin, full_p.length))
    left, right = _split_zones(line, width_km * 1000.0, guide)
    zones = {"left": left, "right": right}
    if clip_poly_ll is not None:
        area = _apply(fwd, clip_poly_ll)
        zones = {k: v.intersection(area) for k, v in zones.items()}
        if all(z.area < 1.0 for z in zones.values()):
            raise spec.error(f"nothing of the zones is left after clipping to {clip_label}: "
                             f"the {what} does not pass within {width_km:g} km of it", "clip")
    overlap = zones["left"].intersection(zones["right"]).area
    if overlap > 1.0:  # m2: the zones must only touch along the line
        raise spec.error(f"the zones of this line overlap ({overlap / 1e6:.3f} km2); the line "
                         "may cross itself: draw it without loops or use a smaller width",
                         "width_km")
    for k, v in list(zones.items()):
        v = _apply(inv, v)
        zones[k] = shapely.make_valid(v) if not v.is_valid else v
    geometry = _apply(inv, line)
    party = {}
    color = {}
    for bank, compass in (("left", side_left), ("right", side_right)):
        b = spec.banks.get(bank) or spec.banks.get(compass)
        party[bank] = b.party if b else ""
        color[bank] = (b.color if b and b.color else DEFAULT_COLORS[bank])
    return BuiltLine(
        spec=spec, geometry=geometry, zones=zones, side_left=side_left, side_right=side_right,
        party_left=party["left"], party_right=party["right"], color_left=color["left"],
        color_right=color["right"], stretch_from=stretch_names[0], stretch_to=stretch_names[1],
        length_km=geod.geometry_length(geometry) / 1000.0,
        width_km=spec.width_km, source=source, clip=clip_label, warnings=warnings)


def to_frames(built: list[BuiltLine]) -> tuple[Any, Any]:
    """The LINES and ZONES frames (:mod:`maps.schema`) of built lines, in EPSG:4326."""
    import geopandas as gpd

    from maps.schema import LINE_COLUMNS, LINE_OPTIONAL, ZONE_COLUMNS, ZONE_OPTIONAL, conform

    line_rows, line_geoms, zone_rows, zone_geoms = [], [], [], []
    for b in built:
        s = b.spec
        line_rows.append({
            "id": s.id, "name": s.name, "kind": s.kind, "river": s.river,
            "party_left": b.party_left, "party_right": b.party_right,
            "side_left": b.side_left, "side_right": b.side_right,
            "color_left": b.color_left, "color_right": b.color_right, "color": s.color,
            "valid_from": s.valid_from, "valid_to": s.valid_to,
            "stretch_from": b.stretch_from, "stretch_to": b.stretch_to,
            "length_km": round(b.length_km, 3), "width_km": b.width_km, "clip": b.clip,
            "source": b.source, "notes": s.notes,
        })
        line_geoms.append(b.geometry)
        for bank in ("left", "right"):
            zone_rows.append({
                "id": f"{s.id}-{bank}", "line_id": s.id,
                "party": b.party_left if bank == "left" else b.party_right, "bank": bank,
                "side": b.side_left if bank == "left" else b.side_right,
                "color": b.color_left if bank == "left" else b.color_right,
                "valid_from": s.valid_from, "valid_to": s.valid_to, "width_km": b.width_km,
                "clip": b.clip,
            })
            zone_geoms.append(b.zones[bank])
    lines = gpd.GeoDataFrame(line_rows, columns=[*LINE_COLUMNS, *LINE_OPTIONAL],
                             geometry=line_geoms, crs=4326)
    zones = gpd.GeoDataFrame(zone_rows, columns=[*ZONE_COLUMNS, *ZONE_OPTIONAL],
                             geometry=zone_geoms, crs=4326)
    return conform(lines, "lines"), conform(zones, "zones")


def build_frames(specs: list[LineSpec], gazetteer: Any = None) -> tuple[Any, Any, list[str]]:
    """(LINES frame, ZONES frame, warnings) for specs."""
    built = [build(s, gazetteer) for s in specs]
    seen: set[str] = set()
    for b in built:
        if b.spec.id in seen:
            raise b.spec.error(f"two lines have the id '{b.spec.id}'", "id")
        seen.add(b.spec.id)
    lines, zones = to_frames(built)
    return lines, zones, [w for b in built for w in b.warnings]


# --------------------------------------------------------------------------------------------
# Files


def write(lines: Any, zones: Any, path: str | Path, *, overwrite: bool = False,
          inputs: Any = ()) -> Path:
    """Write built lines and zones: ``.geojson``/``.json`` is one FeatureCollection whose
    features carry ``layer`` = ``lines`` or ``zones`` (lines first, then zones, in frame order;
    coordinates rounded to 6 decimals; by :func:`maps.geojson.write_collection`); ``.gpkg``
    holds the layers ``lines`` and ``zones``.
    Byte-identical for the same input; written by :class:`maps.writers.Staged` (an existing
    file only with ``overwrite``, never one of ``inputs``)."""
    from maps import writers

    p = Path(path)
    fmt = writers.format_for("lines build", p, error=InputError)
    if fmt == "gpkg":
        with writers.Staged([p], overwrite=overwrite, inputs=inputs, what="lines",
                            error=InputError) as out, writers.gdal_config(
                                **writers.gpkg_options()):
            lines.to_file(out.path(p), layer="lines", driver="GPKG", engine="pyogrio")
            zones.to_file(out.path(p), layer="zones", driver="GPKG", engine="pyogrio")
        return p
    from maps.geojson import collection_bytes

    frames = []
    for layer, frame in (("lines", lines), ("zones", zones)):
        frame = frame.copy()
        frame.insert(0, "layer", layer)
        frames.append(frame)
    text = collection_bytes(frames, name="control_lines", decimals=6)
    writers.write_file(p, text, overwrite=overwrite, inputs=inputs, what="lines",
                       error=InputError)
    return p


def read(path: str | Path) -> tuple[Any, Any]:
    """(LINES, ZONES) frames from a file written by :func:`write` (GeoJSON or GeoPackage)."""
    import geopandas as gpd
    import pyogrio

    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", file=str(p))
    if p.suffix.lower() == ".gpkg":
        return (gpd.read_file(p, layer="lines", engine="pyogrio"),
                gpd.read_file(p, layer="zones", engine="pyogrio"))
    try:
        frame = pyogrio.read_dataframe(p)
    except Exception as exc:  # GDAL: not GeoJSON
        raise InputError(f"not a built lines file: {exc}", file=str(p)) from None
    if "layer" not in frame.columns:
        raise InputError("not a built lines file (no 'layer' property; build it with "
                         "`geoevents lines build`)", file=str(p))
    from maps.schema import (
        LINE_COLUMNS,
        LINE_OPTIONAL,
        ZONE_COLUMNS,
        ZONE_OPTIONAL,
        SchemaError,
        conform,
    )

    out = []
    for layer, cols in (("lines", {**LINE_COLUMNS, **LINE_OPTIONAL}),
                        ("zones", {**ZONE_COLUMNS, **ZONE_OPTIONAL})):
        part = frame[frame["layer"] == layer].reset_index(drop=True)
        keep = [c for c in cols if c in part.columns]
        try:
            part = conform(gpd.GeoDataFrame(part[[*keep, "geometry"]], geometry="geometry",
                                            crs=4326), layer)
        except SchemaError as exc:
            raise InputError(f"not a built lines file: {exc}", file=str(p)) from None
        for c in ("color", "color_left", "color_right"):
            if c in part.columns:
                bad = [v for v in part[c] if v and not is_color(v)]
                if bad:
                    raise InputError(f"'{bad[0]}' is not a colour; use #rrggbb, #rgb or a CSS "
                                     "colour name (such as darkred)", file=str(p),
                                     field=f"{layer}.{c}")
        out.append(gpd.GeoDataFrame(part, geometry="geometry", crs=4326))
    return out[0], out[1]


def is_built_file(path: str | Path) -> bool:
    """True for a file written by :func:`write` (its features carry a ``layer`` property)."""
    p = Path(path)
    if p.suffix.lower() == ".gpkg":
        return True
    if p.suffix.lower() not in (".geojson", ".json"):
        return False
    try:
        with open(p, encoding="utf-8") as f:
            head = f.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r'"name"\s*:\s*"control_lines"', head) is not None  # either spacing


def load(paths: list[str | Path], gazetteer: Any = None) -> tuple[Any, Any, list[str]]:
    """(LINES, ZONES, warnings) from spec files (YAML, GeoJSON lines) and built files."""
    import geopandas as gpd
    import pandas as pd

    parts_l, parts_z, warnings = [], [], []
    for p in paths:
        if is_built_file(p):
            lines, zones = read(p)
        else:
            lines, zones, w = build_frames(load_specs(p), gazetteer)
            warnings.extend(w)
        parts_l.append(lines)
        parts_z.append(zones)
    lines = gpd.GeoDataFrame(pd.concat(parts_l, ignore_index=True), geometry="geometry",
                             crs=4326)
    zones = gpd.GeoDataFrame(pd.concat(parts_z, ignore_index=True), geometry="geometry",
                             crs=4326)
    dup = lines["id"][lines["id"].duplicated()]
    if not dup.empty:
        raise InputError(f"two control lines have the id '{dup.iloc[0]}'")
    return lines, zones, warnings
