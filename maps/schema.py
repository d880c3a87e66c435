"""The seam between incidents and maps: GeoDataFrames with documented columns.

``geoevents`` turns its incidents, control lines and zones into these frames; ``maps`` draws and
writes any frame that follows them (an ACLED table read by geopandas and renamed fits too).  All
frames are in EPSG:4326 (lon/lat WGS 84).  Columns marked *optional* may be absent; every other
column must be present (values may be missing where the type says ``| None``).  Structured values
(per-source figures, claims, sources) travel as JSON text so that the frame stays flat and every
writer can keep them.

INCIDENTS — one row per incident, Point geometry at the resolved location
    id                 str    stable id derived from the content ("inc-3f2a9c1b0d")
    date_start         str    ISO date of the (first) day, "2018-05-23"; "" when unknown
    date_end           str    ISO date of the last day (= date_start for a single day); for
                              an unknown date, the latest possible day (the publication date)
                              or ""
    date_precision     str    day | week | month | year | range | unknown
    event_type         str    ACLED event type (Battles, Explosions/Remote violence, Violence
                              against civilians, Protests, Riots, Strategic developments)
    sub_event_type     str    ACLED sub-event type (Armed clash, Attack, Air/drone strike,
                              Shelling/artillery/missile attack, ...), "" if unknown
    place              str    the place as written in the report ("near the town of Mayadeen")
    place_resolved     str    the gazetteer's canonical name ("Al Mayādīn")
    place_id           str    gazetteer id ("geonames:173480"), "" if none
    country            str    ISO 3166-1 alpha-2
    admin1             str    first-level area name, "" if unknown
    geo_precision      int | None   ACLED geo_precision: 1 the place, 2 near / part of,
                              3 region; missing when the source does not say
    lat, lon           float  the point (also the geometry)
    actor1             str    side A ("Islamic State")
    actor2             str    side B ("Syrian government forces"), "" if none
    assoc_actors       str    associated actors, "; "-separated
    fatalities_low     int | None   total fatalities, lowest credible figure
    fatalities_best    int | None   best estimate
    fatalities_high    int | None   highest credible figure
    wounded_best       int | None
    casualties_json    str    JSON list of {"side", "kind" (killed|wounded), "low", "best",
                              "high", "source", "quote"}: each source's figure per side; may
                              also carry "party" (A|B|civilians), "part_of" (the side label it
                              is included in), "via" (the outlet quoting the source), "where",
                              "note" and "vague" (true for ACLED's proxies such as "dozens")
    claims_json        str    JSON list of {"claimant", "claim", "confirmed_by" [..],
                              "not_confirmed_by" [..], "independent": bool}, may also carry
                              "source" and "quote"
    sources_json       str    JSON list of {"outlet", "url", "published", "quote"}, may also
                              carry "file" (the article file it was read from)
    sources            str    readable: "Outlet (2018-05-27); Outlet 2 (2018-05-28)"
    source_count       int
    notes              str
  optional (written by geoevents when known; readers keep them):
    date_text          str    the date as written ("last Wednesday")
    place_kind         str    the gazetteer's kind of place (populated_place, admin1, region...)
    place_note         str    how the place was resolved ("read past 'near the town of'")
    assoc_actor_1      str    the associated actors with actor1, "; "-separated (ACLED's
    assoc_actor_2      str    assoc_actor_1 / _2); assoc_actors holds both
    acled_<column>     str    ACLED columns with no frame column (inter1, assoc_actor_2, iso,
                              tags, ...), so that an ACLED table read into a frame is written
                              back unchanged (see :mod:`maps.layouts`)
    ucdp_<column>      str    the same for UCDP GED columns
  derived (written by exports, after place_id; readers leave it out):
    label              str    the place's display name (maps.names): "Palmyra" for Tadmur
  optional (added when control lines are applied):
    zone_party         str    the party whose zone the incident is in, "" if none
    zone_bank          str    left | right (of the line, looking downstream), "" if none
    zone_side          str    compass side of the line (west, east, ...), "" if none
    line_id            str
    line_distance_km   float | None
    near_line          bool   within its own location uncertainty of the line

LINES — one row per control line (LineString or MultiLineString)
    id, name           str
    kind               str    river | custom
    river              str    river name, "" for a custom line
    party_left         str    party on the left bank (looking downstream / along the line)
    party_right        str
    side_left          str    compass side of the left bank along the stretch ("east")
    side_right         str
    color_left, color_right, color  str   CSS colours
    valid_from, valid_to  str ISO dates, "" when open-ended
  optional (written by geoevents.control):
    stretch_from, stretch_to  str   the places the stretch runs between (downstream order)
    length_km          float  length of the line
    width_km           float | None  how far the zones reach (None: to the clip area)
    clip               str    the area the zones are clipped to ("SY", "Deir ez-Zor"), ""
    source             str    where the geometry comes from ("Natural Earth ... (Al Furat)")
    notes              str

ZONES — one row per side of a line (Polygon or MultiPolygon)
    id, line_id        str
    party              str
    bank               str    left | right
    side               str    compass side ("west")
    color              str
    valid_from, valid_to  str
    width_km           float | None
  optional:
    clip               str    the area the zone is clipped to, "" if none

AREAS — one row per party's control area and date (Polygon or MultiPolygon; geoevents.control)
    area_id            str    stable id ("2018-06-01-sdf-held")
    party, status      str    the holder; held | contested | besieged | mixed
    party2             str    the other party of a contested/besieged/mixed area, "" if none
    color, color2      str    #rrggbb of party and party2 ("" if none)
    as_of, valid_from, valid_to  str ISO dates (valid_to "" for the last of a series)
    n_places           int    places the area is drawn from
    sources            str    "; "-joined sources of its places

A zone is the part of the line's band (everything within width_km of it) on one bank; past the
line's ends the bank is decided by the river's continuation (a drawn line: its straight
extension).  The two zones of a line never overlap and meet along the line.
"""

from __future__ import annotations

from gazetteer.errors import UserError

INCIDENT_COLUMNS: dict[str, str] = {
    "id": "str", "date_start": "str", "date_end": "str", "date_precision": "str",
    "event_type": "str", "sub_event_type": "str", "place": "str", "place_resolved": "str",
    "place_id": "str", "country": "str", "admin1": "str", "geo_precision": "Int64",
    "lat": "float", "lon": "float", "actor1": "str", "actor2": "str", "assoc_actors": "str",
    "fatalities_low": "Int64", "fatalities_best": "Int64", "fatalities_high": "Int64",
    "wounded_best": "Int64", "casualties_json": "str", "claims_json": "str",
    "sources_json": "str", "sources": "str", "source_count": "int", "notes": "str",
}
#: The optional columns control lines add (geoevents.control.sides).
INCIDENT_SIDE_COLUMNS: dict[str, str] = {
    "zone_party": "str", "zone_bank": "str", "zone_side": "str", "line_id": "str",
    "line_distance_km": "float", "near_line": "bool",
}
#: Every optional incidents column (the one list; exports write them in this order).
INCIDENT_OPTIONAL: dict[str, str] = {
    "date_text": "str", "place_kind": "str", "place_note": "str", **INCIDENT_SIDE_COLUMNS,
    "assoc_actor_1": "str", "assoc_actor_2": "str",
}
#: Columns an export adds to the incidents (derived from the others and written again by every
#: export; the readers leave them out): ``label``, the place's display name (:mod:`maps.names`:
#: the English exonym, else the report's spelling, ...), the field QGIS labels the points with.
INCIDENT_DERIVED: dict[str, str] = {"label": "str"}
LABEL_COLUMN = "label"
LINE_COLUMNS: dict[str, str] = {
    "id": "str", "name": "str", "kind": "str", "river": "str", "party_left": "str",
    "party_right": "str", "side_left": "str", "side_right": "str", "color_left": "str",
    "color_right": "str", "color": "str", "valid_from": "str", "valid_to": "str",
}
LINE_OPTIONAL: dict[str, str] = {
    "stretch_from": "str", "stretch_to": "str", "length_km": "float", "width_km": "float",
    "clip": "str", "source": "str", "notes": "str",
}
ZONE_COLUMNS: dict[str, str] = {
    "id": "str", "line_id": "str", "party": "str", "bank": "str", "side": "str",
    "color": "str", "valid_from": "str", "valid_to": "str", "width_km": "float",
}
ZONE_OPTIONAL: dict[str, str] = {"clip": "str"}
AREA_COLUMNS: dict[str, str] = {
    "area_id": "str", "party": "str", "status": "str", "party2": "str", "color": "str",
    "color2": "str", "as_of": "str", "valid_from": "str", "valid_to": "str", "n_places": "int",
    "sources": "str",
}

#: The date precisions of INCIDENTS.date_precision (the incident model uses the same tuple).
DATE_PRECISIONS = ("day", "week", "month", "year", "range", "unknown")

#: The pandas dtype of each schema type ("str": text, never missing: "" for none).
DTYPES = {"str": "object", "int": "int64", "Int64": "Int64", "float": "float64", "bool": "bool"}
KINDS = ("incidents", "lines", "zones")


class SchemaError(UserError, ValueError):
    """A frame does not follow the documented schema."""


def check(frame, columns: dict[str, str], what: str) -> None:
    """Raise SchemaError naming the missing columns (and the CRS if it is not EPSG:4326)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{what} frame lacks column(s): {', '.join(missing)}")
    crs = getattr(frame, "crs", None)
    if crs is not None and crs.to_epsg() != 4326:
        raise SchemaError(f"{what} frame must be in EPSG:4326, not {crs}")


def check_incidents(frame) -> None:
    check(frame, INCIDENT_COLUMNS, "incidents")


def check_lines(frame) -> None:
    check(frame, LINE_COLUMNS, "lines")


def check_zones(frame) -> None:
    check(frame, ZONE_COLUMNS, "zones")


def check_areas(frame) -> None:
    check(frame, AREA_COLUMNS, "areas")


def column_types(kind: str) -> dict[str, str]:
    """Column -> schema type of ``kind`` (incidents, lines, zones): required, then optional."""
    if kind == "incidents":
        return {**INCIDENT_COLUMNS, **INCIDENT_OPTIONAL}
    if kind == "lines":
        return {**LINE_COLUMNS, **LINE_OPTIONAL}
    if kind == "zones":
        return {**ZONE_COLUMNS, **ZONE_OPTIONAL}
    raise ValueError(f"unknown frame kind {kind!r}; one of {', '.join(KINDS)}")


def required_columns(kind: str) -> dict[str, str]:
    return {"incidents": INCIDENT_COLUMNS, "lines": LINE_COLUMNS, "zones": ZONE_COLUMNS}[kind]


def _text(s):
    """Text, "" for missing; Arrow-backed string columns stay so (fast on a million rows)."""
    import pandas as pd

    if isinstance(s.dtype, pd.StringDtype):
        return s.fillna("") if s.hasnans else s
    if len(s) == 0:
        return s.astype(object)
    return s.astype(object).where(s.notna(), "").astype(str)


def _cast(s, typ: str, column: str, what: str):
    import pandas as pd

    if typ == "str":
        return _text(s)
    if typ == "bool":
        if s.dtype == bool:
            return s
        return s.astype(object).where(s.notna(), False).astype(bool)
    try:
        if typ == "Int64":
            if s.dtype == "Int64":
                return s
            if s.dtype == object:
                s = pd.to_numeric(s.where(s.notna() & (s.astype(str) != ""), None),
                                  errors="raise")
            return s.astype("Int64")
        if typ == "int":
            if s.isna().any():
                raise SchemaError(f"{what} frame: column {column!r} has missing values "
                                  "(it is a whole number in every row)")
            return s.astype("int64")
        return s.astype("float64")  # float
    except (TypeError, ValueError) as exc:
        if isinstance(exc, SchemaError):
            raise
        raise SchemaError(f"{what} frame: column {column!r} cannot be read as {typ}: "
                          f"{exc}") from None


def conform(frame, kind: str, *, order: bool = True):
    """The frame with every column cast to the dtype the schema gives it (:data:`DTYPES`):
    required and optional columns by their type, any other column as text (the ``acled_*`` and
    ``ucdp_*`` columns a layout keeps).  Missing required columns are a :class:`SchemaError`.
    With ``order``, the required columns come first, in schema order, then the optional ones
    present, in schema order, then the others as they were; the geometry column last.

    Every producer of the seam's frames (``geoevents.frames``, ``geoevents.tables``, the store,
    ``geoevents.control``, the tests' fixtures) builds its frame through this, so a frame has
    the same dtypes whoever made it."""
    import geopandas as gpd

    types = column_types(kind)
    required = required_columns(kind)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SchemaError(f"{kind} frame lacks column(s): {', '.join(missing)}")
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    crs = frame.crs if geometry is not None else None
    cols = [c for c in frame.columns if c != geometry]
    if order:
        cols = [*required, *[c for c in types if c in frame.columns and c not in required],
                *[c for c in cols if c not in types]]
    data = {c: _cast(frame[c], types.get(c, "str"), c, kind) for c in cols}
    import pandas as pd

    df = pd.DataFrame(data, index=frame.index)
    if geometry is None:
        return df
    df[geometry] = frame[geometry]
    return gpd.GeoDataFrame(df, geometry=geometry, crs=crs)

