"""Curated place files: the ones geoevents ships in ``data/gazetteer/`` and the user's overlays.

A place file is YAML (a list of mappings) or CSV (a header row; lines starting with ``#`` are
comments).  Fields:

``name`` (required), ``lat`` and ``lon`` (required, decimal degrees WGS 84), ``aliases`` (a YAML
list, or ``|``-separated in CSV), ``country`` (ISO 3166-1 alpha-2), ``admin1`` (GeoNames admin-1
code such as ``07``, or ``SY.07``), ``kind`` (village, site, military_base, camp, region, ...),
``precision`` (ACLED geo_precision 1-3, default 1), ``population``, ``id`` (a stable slug; made
from the name and country when absent) and ``note`` (where the fact comes from).

Errors name the file, the line and the field.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Place

KINDS = frozenset(
    ["populated_place", "village", "town", "city", "site", "military_base", "airport", "camp", "oil_field", "gas_field", "region", "desert", "valley", "neighbourhood", "landmark", "border_crossing", "dam", "prison", "mountain", "river", "lake", "admin1", "admin2", "country", "plain", "island"]
)
#: The curated place files geoevents ships in ``data/gazetteer/`` (index build and area extents).
SHIPPED = ("places.yaml", "regions.yaml", "world_features.csv", "world_landmarks.csv")
FIELDS = ("id", "name", "aliases", "country", "admin1", "lat", "lon", "kind", "precision",
          "population", "note", "bbox")


@dataclass(frozen=True, slots=True)
class CuratedPlace:
    place: Place
    aliases: tuple[str, ...]
    line: int
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north

    @property
    def names(self) -> tuple[str, ...]:
        """Its name and aliases; an airport or air base also by the names reports use for one
        ("Kuweires", "Kuweires airport" for Kuweires Air Base: :func:`airports.names_for`)."""
        out = (self.place.name, *self.aliases)
        if self.place.kind in ("airport", "military_base"):
            from .airports import names_for

            more = names_for(self.place.name, "", military=self.place.kind == "military_base")
            out = tuple(dict.fromkeys((*out, *more)))
        return out


def _slug(text: str) -> str:
    from .normalize import fold

    return re.sub(r"[^a-z0-9\u0600-\u06ff]+", "-", fold(text)).strip("-") or "place"


def _number(value: Any, field: str, where: dict[str, Any], lo: float, hi: float) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{value!r} is not a number", field=field, **where) from None
    if not (lo <= x <= hi) or x != x:
        raise InputError(f"{x} is outside {lo:g}..{hi:g}", field=field, **where)
    return x


def _row_to_place(row: dict[str, Any], *, file: str, line: int, source: str) -> CuratedPlace:
    where = {"file": file, "line": line}
    unknown = sorted(set(row) - set(FIELDS))
    if unknown:
        raise InputError(
            f"unknown field(s) {', '.join(unknown)}; expected {', '.join(FIELDS)}", **where
        )
    name = str(row.get("name") or "").strip()
    if not name:
        raise InputError("a place needs a name", field="name", **where)
    if row.get("lat") in (None, "") or row.get("lon") in (None, ""):
        missing = "lat" if row.get("lat") in (None, "") else "lon"
        raise InputError("coordinates are required", field=missing, **where)
    lat = _number(row["lat"], "lat", where, -90, 90)
    lon = _number(row["lon"], "lon", where, -180, 180)
    aliases_raw = row.get("aliases") or ()
    if isinstance(aliases_raw, str):
        aliases = tuple(a.strip() for a in aliases_raw.split("|") if a.strip())
    elif isinstance(aliases_raw, list | tuple):
        aliases = tuple(str(a).strip() for a in aliases_raw if str(a).strip())
    else:
        raise InputError("aliases must be a list (YAML) or '|'-separated text (CSV)",
                         field="aliases", **where)
    country = str(row.get("country") or "").strip().upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise InputError(f"{country!r} is not an ISO 3166-1 alpha-2 code", field="country",
                         **where)
    admin1 = str(row.get("admin1") or "").strip() or None
    if admin1 and "." not in admin1 and country:
        admin1 = f"{country}.{admin1}"
    kind = str(row.get("kind") or "site").strip()
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; one of {', '.join(sorted(KINDS))}",
                         field="kind", **where)
    prec_raw = row.get("precision")
    precision = 1 if prec_raw in (None, "") else int(_number(prec_raw, "precision", where, 1, 3))
    pop_raw = row.get("population")
    population = 0 if pop_raw in (None, "") else int(_number(pop_raw, "population", where, 0, 1e9))
    bbox = None
    if row.get("bbox") not in (None, ""):
        raw = row["bbox"]
        if isinstance(raw, str):
            raw = raw.replace(",", " ").split()
        if not isinstance(raw, list | tuple) or len(raw) != 4:
            raise InputError("bbox must be [west, south, east, north]", field="bbox", **where)
        w, so, e, n = (_number(v, "bbox", where, -180, 180) for v in raw)
        if not (-90 <= so <= n <= 90):
            raise InputError("bbox: south must be <= north, both in -90..90", field="bbox",
                             **where)
        bbox = (w, so, e, n)
    pid = str(row.get("id") or "").strip() or _slug(f"{name} {country}")
    place = Place(
        uid=f"{source}:{pid}",
        name=name,
        country=country,
        admin1=admin1,
        lat=lat,
        lon=lon,
        kind=kind,
        precision=precision,
        population=population,
        source=source,
        note=(str(row["note"]).strip() if row.get("note") else None),
    )
    return CuratedPlace(place=place, aliases=aliases, line=line, bbox=bbox)


def _yaml_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path)) from None
    # libyaml's loader when PyYAML has it (ten times faster: these files are read every time a
    # gazetteer opens); the pure-Python one re-reads a broken file for its usual message.
    fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        try:
            node = yaml.compose(text, Loader=fast)
            data = yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            if fast is yaml.SafeLoader:
                raise
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=str(path),
                         line=(mark.line + 1) if mark else None) from None
    if data is None:
        return []
    if not isinstance(data, list) or node is None:
        raise InputError("expected a list of places (each a mapping)", file=str(path), line=1)
    rows = []
    for item_node, item in zip(node.value, data, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            raise InputError("each place must be a mapping (name: ..., lat: ..., lon: ...)",
                             file=str(path), line=line)
        rows.append((line, item))
    return rows


def _csv_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path)) from None
    lines = text.splitlines()
    numbered = [(i + 1, ln) for i, ln in enumerate(lines) if ln.strip() and not ln.startswith("#")]
    if not numbered:
        return []
    reader = csv.reader([ln for _, ln in numbered], strict=True)
    rows: list[tuple[int, dict[str, Any]]] = []
    header: list[str] | None = None
    try:
        for (lineno, _), values in zip(numbered, reader, strict=False):
            if header is None:
                header = [h.strip() for h in values]
                if "name" not in header:
                    raise InputError(f"the header has no 'name' column; expected {', '.join(FIELDS)}",
                                     file=str(path), line=lineno)
                continue
            if len(values) != len(header):
                raise InputError(f"{len(values)} fields, the header has {len(header)}",
                                 file=str(path), line=lineno)
            rows.append((lineno, {h: v for h, v in zip(header, values, strict=True) if v != ""}))
    except csv.Error as exc:
        raise InputError(f"broken CSV: {exc}", file=str(path)) from None
    return rows


def load_places(path: str | Path, *, source: str = "overlay") -> list[CuratedPlace]:
    """Read a YAML or CSV place file; raise InputError naming file, line and field."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        rows = _yaml_rows(path)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(path)
    else:
        raise InputError("place files are .yaml, .yml or .csv", file=str(path))
    out: list[CuratedPlace] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        cp = _row_to_place(row, file=str(path), line=line, source=source)
        if cp.place.uid in seen:
            raise InputError(f"id {cp.place.uid.split(':', 1)[1]!r} already used on line "
                             f"{seen[cp.place.uid]}", file=str(path), line=line, field="id")
        seen[cp.place.uid] = line
        out.append(cp)
    return out


def curated_bboxes() -> dict[str, tuple[float, float, float, float]]:
    """Extents of the shipped curated areas (regions, seas) that give one (the index stores
    them at build time, see :attr:`gazetteer.lookup.Store.curated_bbox`)."""
    from .paths import shipped_data

    out: dict[str, tuple[float, float, float, float]] = {}
    for n in SHIPPED:
        path = shipped_data("gazetteer", n)
        if path.is_file():
            for cp in load_places(path, source="curated"):
                if cp.bbox is not None:
                    out[cp.place.uid] = cp.bbox
    return out
