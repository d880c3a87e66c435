"""Incidents <-> the incidents GeoDataFrame of :mod:`maps.schema` (the seam to maps and exports).

:func:`incidents_frame` writes one row per incident: totals computed from the figures, the
figures, claims and sources as JSON text, the optional ``date_text``, ``place_kind`` and
``place_note`` columns, and any layout columns the incident carries (``acled_*``, ``ucdp_*``).
:func:`incidents_from_frame` reads such a frame back (also one written to GeoJSON, GeoPackage or
CSV and read again) into the same incidents: ids, dates, places, figures, claims and sources.
"""

from __future__ import annotations

import json
import math
from typing import Any

from maps.schema import INCIDENT_DERIVED, INCIDENT_OPTIONAL, INCIDENT_SIDE_COLUMNS

from .model import Casualty, Claim, EventDate, Incident, IncidentError, Location, Source

#: The optional columns an incident's row always has: the schema's, but the per-side figures
#: (those are added only for incidents that have them).
_OPTIONAL = tuple(c for c in INCIDENT_OPTIONAL if c not in INCIDENT_SIDE_COLUMNS)


def _json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def incident_row(inc: Incident, *, unplaced: bool = False) -> dict[str, Any]:
    """The frame row of one incident (without geometry); ``unplaced``: an incident without
    coordinates gives empty lat/lon instead of an error (a table, not a map)."""
    loc = inc.location
    if not loc.placed and not unplaced:
        raise IncidentError(["has no coordinates: it cannot be drawn or exported"],
                            inc.id or inc.content_id())
    fat, wnd = inc.fatalities, inc.wounded
    row: dict[str, Any] = {
        "id": inc.id or inc.content_id(),
        "date_start": inc.date.start.isoformat() if inc.date.start else "",
        "date_end": inc.date.end.isoformat() if inc.date.end else "",
        "date_precision": inc.date.precision,
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "place": loc.written,
        "place_resolved": loc.name,
        "place_id": loc.place_id,
        "country": loc.country,
        "admin1": loc.admin1,
        "geo_precision": loc.precision,  # None when unknown: missing is missing
        "lat": float(loc.lat) if loc.placed else None,
        "lon": float(loc.lon) if loc.placed else None,
        "actor1": inc.actor1,
        "actor2": inc.actor2,
        "assoc_actors": "; ".join(inc.assoc_actors),
        "fatalities_low": fat.low,
        "fatalities_best": fat.best,
        "fatalities_high": fat.high,
        "wounded_best": wnd.best,
        "casualties_json": _json([c.to_dict() for c in inc.casualties]),
        "claims_json": _json([c.to_dict() for c in inc.claims]),
        "sources_json": _json([s.to_dict() for s in inc.sources]),
        "sources": "; ".join(s.label() for s in inc.sources),
        "source_count": len(inc.sources),
        "notes": inc.notes,
        "date_text": inc.date.text,
        "assoc_actor_1": "; ".join(inc.associated(1)),
        "assoc_actor_2": "; ".join(inc.associated(2)),
        "place_kind": loc.kind,
        "place_note": loc.note,
    }
    for k, v in sorted(inc.extra.items()):
        if k not in row:
            row[k] = v
    return row


def incidents_frame(incidents: list[Incident]):
    """A GeoDataFrame following :data:`maps.schema.INCIDENT_COLUMNS` (plus the optional
    columns), EPSG:4326.  Raises IncidentError for an incident without coordinates."""
    import geopandas as gpd
    import pandas as pd

    from maps.schema import INCIDENT_COLUMNS, conform

    rows = [incident_row(i) for i in incidents]
    extra = sorted({k for r in rows for k in r} - set(INCIDENT_COLUMNS) - set(_OPTIONAL))
    df = pd.DataFrame(rows, columns=[*INCIDENT_COLUMNS, *_OPTIONAL, *extra])
    frame = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]),
                             crs="EPSG:4326")
    return conform(frame, "incidents")


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and math.isnan(v):
        return ""
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover
        pass
    return str(v)


def _int(v: Any) -> int | None:
    f = _float(v)
    return None if f is None else int(f)


def _float(v: Any) -> float | None:
    t = _text(v).strip()
    if not t:
        return None
    try:
        f = float(t)
    except ValueError:
        return None
    return None if math.isnan(f) else f


def _load_json(v: Any, what: str) -> list:
    t = _text(v).strip()
    if not t:
        return []
    try:
        data = json.loads(t)
    except json.JSONDecodeError as exc:
        raise IncidentError([f"{what} is not valid JSON ({exc.msg} at character {exc.pos})"]) \
            from None
    if not isinstance(data, list):
        raise IncidentError([f"{what} must be a JSON list"])
    return data


def incident_from_row(row: dict[str, Any]) -> Incident:
    """One incident from a frame row (a mapping of column -> value); raises IncidentError."""
    from maps.schema import INCIDENT_COLUMNS

    start, end = _text(row.get("date_start")).strip()[:10], _text(row.get("date_end")).strip()[:10]
    date = EventDate.from_dict({"start": start, "end": end or start,
                                "precision": _text(row.get("date_precision")) or
                                ("day" if start else "unknown"),
                                "text": _text(row.get("date_text"))})
    lat, lon = _float(row.get("lat")), _float(row.get("lon"))
    geom = row.get("geometry")
    if (lat is None or lon is None) and geom is not None and not getattr(geom, "is_empty", True):
        lat, lon = geom.y, geom.x
    loc = Location(written=_text(row.get("place")), name=_text(row.get("place_resolved")),
                   place_id=_text(row.get("place_id")), country=_text(row.get("country")),
                   admin1=_text(row.get("admin1")), lat=lat, lon=lon,
                   precision=_int(row.get("geo_precision")), kind=_text(row.get("place_kind")),
                   note=_text(row.get("place_note")))
    casualties = [Casualty.from_dict(c) for c in _load_json(row.get("casualties_json"),
                                                            "casualties_json")]
    if not casualties:
        lo, be, hi = (_int(row.get(c)) for c in ("fatalities_low", "fatalities_best",
                                                 "fatalities_high"))
        if lo is not None or be is not None or hi is not None:
            casualties.append(Casualty(kind="killed", low=lo, best=be, high=hi))
        w = _int(row.get("wounded_best"))
        if w is not None:
            casualties.append(Casualty(kind="wounded", best=w))
    sources = [Source.from_dict(s) for s in _load_json(row.get("sources_json"), "sources_json")]
    if not sources and _text(row.get("sources")).strip():
        sources = [Source(outlet=s.strip()) for s in _text(row.get("sources")).split(";")
                   if s.strip()]
    assoc = [a.strip() for a in _text(row.get("assoc_actors")).split(";") if a.strip()]
    assoc_side = {a.strip(): side for side in (1, 2)
                  for a in _text(row.get(f"assoc_actor_{side}")).split(";") if a.strip()}
    known = set(INCIDENT_COLUMNS) | set(_OPTIONAL) | set(INCIDENT_DERIVED) | {"geometry"}
    extra = {k: _text(v) for k, v in row.items() if k not in known}
    inc = Incident(date=date, location=loc, event_type=_text(row.get("event_type")),
                   sub_event_type=_text(row.get("sub_event_type")),
                   actor1=_text(row.get("actor1")), actor2=_text(row.get("actor2")),
                   assoc_actors=assoc,
                   assoc_side={a: s for a, s in assoc_side.items() if a in assoc},
                   casualties=casualties,
                   claims=[Claim.from_dict(c) for c in _load_json(row.get("claims_json"),
                                                                  "claims_json")],
                   sources=sources, notes=_text(row.get("notes")), id=_text(row.get("id")),
                   extra=extra)
    return inc.ensure_id()


def incidents_from_frame(frame) -> list[Incident]:
    """The incidents of a frame (the inverse of :func:`incidents_frame`).  Raises IncidentError
    naming the row of the first row that cannot be read."""
    out = []
    records = frame.to_dict("records")
    for i, row in enumerate(records):
        try:
            out.append(incident_from_row(row))
        except IncidentError as exc:
            raise IncidentError(exc.problems, f"row {i + 1}") from None
    return out
