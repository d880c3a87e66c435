"""Control tables: which party holds which place, as of which date.

A control table is a CSV, YAML or GeoJSON file of places as analysts keep them:

    place    the place's name; resolved with the gazetteer when lat/lon are absent
    lat, lon its point (WGS 84 degrees); ``latitude``/``longitude``/``lng`` are read too
    party    who holds it (a party of the parties file, or any name with automatic colours)
    date     the date the row is true as of (YYYY-MM-DD, YYYY-MM or YYYY: the first day)
    status   held (default) | contested | besieged | mixed
    party2   the second party of a contested, besieged (the besieger) or mixed place
    source   where the row comes from
    country  optional: the country code or name the place is in (helps the gazetteer)

CSV has a header with these columns (any case, any order, other columns are ignored).  YAML is a
list of such mappings, or a mapping with the list under ``places:``.  GeoJSON is a
FeatureCollection of Point features whose properties carry the columns (the point is lat/lon).

Any incident table :mod:`geoevents.tables` reads (our CSV, ACLED, UCDP, GeoJSON, YAML) is read
too: its territorial changes (``event_type`` Battles, ``sub_event_type`` "Government regains
territory" or "Non-state actor overtakes territory") are control rows, ``actor1`` gaining the
place on the incident's date.  A file is a control table when it has a ``party`` column.

Nothing is lost: a row that cannot be a control row (no party, no date, a bad coordinate, a
place the gazetteer cannot resolve or finds ambiguous) is a rejection with file, line and reason.
Errors that make the table untrustworthy stop the build with a message naming file, line and
field: a party missing from the parties file, a place whose rows go back in time (dates out of
order, unless ``any_order``), two rows for a place on one day that disagree, a table naming only
one party.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazetteer import InputError

from .parties import Parties

STATUSES = ("held", "contested", "besieged", "mixed")
#: Statuses whose second party is required.
NEEDS_PARTY2 = ("contested", "besieged", "mixed")
TERRITORIAL = ("government regains territory", "non-state actor overtakes territory")
_ALIASES = {"latitude": "lat", "y": "lat", "longitude": "lon", "lng": "lon", "long": "lon",
            "x": "lon", "name": "place", "as_of": "date", "controlled_by": "party",
            "holder": "party", "second_party": "party2", "sources": "source", "notes": "note"}


@dataclass(slots=True)
class ControlRow:
    """One control row, read and checked (coordinates resolved)."""

    place: str
    lat: float
    lon: float
    party: str  # the party's name (parties file) or the name as written (automatic)
    date: str  # ISO date
    status: str = "held"
    party2: str = ""
    source: str = ""
    file: str = ""
    line: int | None = None
    kind: str = "table"  # table | incident


@dataclass(slots=True)
class ControlRead:
    rows: list[ControlRow] = field(default_factory=list)
    rejections: list[Any] = field(default_factory=list)  # geoevents.pipeline.Rejection
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _rejection(file: str, line: int | None, fld: str | None, reason: str, text: str = "") -> Any:
    from ..model import Rejection

    return Rejection(file, line, fld, reason, text)


def iso_date(value: Any) -> str:
    """ISO date of YYYY-MM-DD, YYYY-MM, YYYY (the first day), a date or datetime; ValueError
    otherwise."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    s = str(value).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?", s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            return _dt.date(y, mo, d).isoformat()
        except ValueError:
            pass
    raise ValueError(f"'{s}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")


def _float(v: Any) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError(f"{v!r} is not a number")
    x = float(str(v).strip())
    if not math.isfinite(x):
        raise ValueError(f"{v!r} is not a finite number")
    return x


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return " ".join(str(v).split())


# ------------------------------------------------------------------------------------- files

def is_control_file(path: Path) -> bool:
    """True when the file is a control table (it has a ``party`` column/property)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            with open(path, encoding="utf-8-sig", errors="replace") as f:
                header = f.readline()
            cols = {_ALIASES.get(c, c) for c in
                    (h.strip().strip('"').lower() for h in re.split(r"[,\t;]", header))}
            return "party" in cols and "event_type" not in cols
        if suffix in (".yaml", ".yml", ".geojson", ".json"):
            text = path.read_text(encoding="utf-8-sig", errors="replace")
            if suffix in (".yaml", ".yml"):
                import yaml

                raw = yaml.safe_load(text)
            else:
                raw = json.loads(text)
            if isinstance(raw, dict) and isinstance(raw.get("features"), list):
                items = [(f or {}).get("properties") or {} for f in raw["features"][:1]
                         if isinstance(f, dict)]
            else:
                items = raw.get("places") if isinstance(raw, dict) else raw
            # a control row names its party at the top level (an incident's casualties may
            # carry a "party" deeper down; an incident has an event type)
            return (isinstance(items, list) and bool(items) and isinstance(items[0], dict)
                    and "party" in {str(k).lower() for k in items[0]}
                    and "event_type" not in {str(k).lower() for k in items[0]})
    except (OSError, ValueError, AttributeError):
        return False
    except Exception:  # yaml errors: the incident reader reports them properly
        return False
    return False


def _raw_rows(path: Path) -> tuple[list[tuple[int | None, dict[str, Any]]], list[str]]:
    """(line, {column: value}) of each row of a control table, and decoding warnings."""
    from ..textio import read_text

    text, warnings = read_text(path, what="control table")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        import csv
        import io

        sample = text[:4096]
        delim = "\t" if suffix == ".tsv" or sample.count("\t") > sample.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError("empty file", file=str(path)) from None
        cols = [_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
        out = []
        try:
            prev = reader.line_num
            for rec in reader:
                line, first = reader.line_num, prev + 1
                prev = line
                if line > first and any("\n" in c for c in rec):
                    # a quoted cell over several lines: an unclosed quote swallows the rows
                    # after it; say so, with the lines, rather than read them as one row
                    out.append((first, {"__error__": f"lines {first}-{line} were read as one "
                                        "row: a quote opened in a cell is not closed"}))
                    continue
                line = first
                if not any(c.strip() for c in rec):
                    continue
                if len(rec) > len(cols):
                    out.append((line, {"__error__": f"{len(rec)} cells for {len(cols)} "
                                       "columns (an unquoted comma?)"}))
                    continue
                out.append((line, dict(zip(cols, rec, strict=False))))
        except csv.Error as exc:
            raise InputError(f"not valid CSV: {exc}", file=str(path),
                             line=reader.line_num) from None
        return out, warnings
    if suffix in (".yaml", ".yml"):
        from .lines import parse_yaml

        raw, lines = parse_yaml(text, str(path))
        prefix: tuple = ()
        if isinstance(raw, dict) and "places" in raw:
            raw, prefix = raw["places"], ("places",)
        if not isinstance(raw, list):
            raise InputError("a control table in YAML is a list of places (or 'places:' with "
                             "the list)", file=str(path), line=1)
        out = []
        for i, item in enumerate(raw):
            line = lines.get((*prefix, i))
            if not isinstance(item, dict):
                out.append((line, {"__error__": "a place is a mapping of place, lat, lon, "
                                   "party, date, ..."}))
                continue
            out.append((line, {_ALIASES.get(str(k).lower(), str(k).lower()): v
                               for k, v in item.items()}))
        return out, warnings
    if suffix in (".geojson", ".json"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", file=str(path),
                             line=exc.lineno) from None
        feats = doc.get("features") if isinstance(doc, dict) else None
        if not isinstance(feats, list):
            raise InputError("a control table in GeoJSON is a FeatureCollection of points",
                             file=str(path))
        out = []
        for i, f in enumerate(feats, 1):
            props = (f.get("properties") or {}) if isinstance(f, dict) else {}
            row = {_ALIASES.get(str(k).lower(), str(k).lower()): v for k, v in props.items()}
            row["__feature__"] = i
            geom = f.get("geometry") if isinstance(f, dict) else None
            if isinstance(geom, dict) and geom.get("type") == "Point":
                c = geom.get("coordinates") or []
                if len(c) >= 2:
                    row["lon"], row["lat"] = c[0], c[1]
            elif geom is not None:
                row["__error__"] = (f"a {geom.get('type') if isinstance(geom, dict) else 'bad'} "
                                    "geometry; control places are points")
            out.append((None, row))
        return out, warnings
    raise InputError("a control table is .csv, .yaml or .geojson", file=str(path))


# ---------------------------------------------------------------------------------- reading

class _Resolver:
    """Resolves place names with the gazetteer (opened on first use), cached per name."""

    def __init__(self, gazetteer: Any, countries: tuple[str, ...]) -> None:
        self._gz = gazetteer
        self._own = None
        self.countries = countries
        self._cache: dict[tuple[str, str], tuple[float, float, str] | str] = {}

    def gz(self) -> Any:
        if self._gz is None:
            from gazetteer import Gazetteer

            self._own = self._gz = Gazetteer(verbose=False)
        return self._gz

    def close(self) -> None:
        if self._own is not None:
            self._own.close()

    def __call__(self, name: str, country: str) -> tuple[float, float, str] | str:
        """(lat, lon, resolved name) or the reason it cannot be placed."""
        key = (name, country)
        if key in self._cache:
            return self._cache[key]
        from gazetteer import Context

        gz = self.gz()
        codes = []
        for c in ((country,) if country else self.countries):
            code = gz.country_code(c)
            if code is None:
                self._cache[key] = f"unknown country '{c}'"
                return self._cache[key]
            codes.append(code)
        try:
            res = gz.resolve(name, Context(countries=tuple(codes)))
        except InputError as exc:
            out: tuple[float, float, str] | str = str(exc)
        else:
            if res.status == "unresolved" or res.place is None:
                hint = (f"; did you mean {', '.join(res.suggestions[:3])}?"
                        if res.suggestions else "")
                out = f"the place '{name}' is not in the gazetteer{hint} (give lat and lon)"
            elif res.status == "ambiguous":
                opts = "; ".join(f"{c.place.name} ({c.place.country}, {c.place.lat:.3f}, "
                                 f"{c.place.lon:.3f})" for c in res.candidates[:3])
                out = (f"the place '{name}' is ambiguous: {opts}; add a country or give lat "
                       "and lon")
            else:
                out = (res.place.lat, res.place.lon, res.place.name)
        self._cache[key] = out
        return out


def _row(path: Path, line: int | None, raw: dict[str, Any], parties: Parties,
         resolve: _Resolver, read: ControlRead) -> ControlRow | None:
    file = str(path)
    where = line
    feature = raw.pop("__feature__", None)
    label = f"feature {feature}: " if feature else ""

    def reject(fld: str | None, reason: str) -> None:
        read.rejections.append(_rejection(file, where, fld, label + reason,
                                          _text(raw.get("place"))))

    if "__error__" in raw:
        reject(None, raw["__error__"])
        return None
    place = _text(raw.get("place"))
    party_raw = _text(raw.get("party"))
    if not party_raw:
        reject("party", "no party: who holds the place?")
        return None
    party = parties.lookup(party_raw)
    if party is None:
        raise InputError(f"{label}the party '{party_raw}' is not in the parties file "
                         f"{parties.file} (known: {', '.join(parties.known())}); add it with "
                         "its colour, or add the name to a party's aliases", file=file,
                         line=line, field="party")
    try:
        date = iso_date(raw.get("date")) if _text(raw.get("date")) else ""
    except ValueError as exc:
        reject("date", str(exc))
        return None
    if not date:
        reject("date", "no date: a control row needs the date it is true as of")
        return None
    status = _text(raw.get("status")).lower() or "held"
    if status not in STATUSES:
        reject("status", f"unknown status '{status}'; use {', '.join(STATUSES)}")
        return None
    party2_raw = _text(raw.get("party2"))
    party2 = ""
    if party2_raw:
        p2 = parties.lookup(party2_raw)
        if p2 is None:
            raise InputError(f"{label}the party '{party2_raw}' is not in the parties file "
                             f"{parties.file} (known: {', '.join(parties.known())})",
                             file=file, line=line, field="party2")
        party2 = p2
    if status in NEEDS_PARTY2 and not party2:
        reject("party2", f"a {status} place needs party2 (the other party)")
        return None
    if status == "held" and party2:
        reject("party2", "party2 is for contested, besieged or mixed places; the status says "
               "held")
        return None
    lat = lon = None
    for fld in ("lat", "lon"):
        try:
            v = _float(raw.get(fld))
        except (TypeError, ValueError):
            reject(fld, f"'{_text(raw.get(fld))}' is not a number ({'latitude' if fld == 'lat' else 'longitude'} in degrees)")
            return None
        if fld == "lat":
            lat = v
        else:
            lon = v
    if (lat is None) != (lon is None):
        reject("lon" if lon is None else "lat", "give both lat and lon (or neither, to "
               "resolve the place by name)")
        return None
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90):
            reject("lat", f"latitude {lat:g} is outside -90..90")
            return None
        if not (-180 <= lon <= 180):
            reject("lon", f"longitude {lon:g} is outside -180..180")
            return None
    else:
        if not place:
            reject("place", "no place and no lat/lon")
            return None
        hit = resolve(place, _text(raw.get("country")))
        if isinstance(hit, str):
            reject("place", hit)
            return None
        lat, lon, _ = hit
    return ControlRow(place=place or f"{lat:.5f}, {lon:.5f}", lat=float(lat), lon=float(lon),
                      party=party, date=date, status=status, party2=party2,
                      source=_text(raw.get("source")), file=file, line=line)


def _incident_rows(path: Path, parties: Parties, read: ControlRead) -> None:
    """Territorial changes of an incident table as control rows."""
    from ..tables import read_table

    res = read_table(path)
    read.rejections.extend(res.rejections)
    read.warnings.extend(res.warnings)
    incident_control_rows(res.frame, str(path), parties, read)


def incident_control_rows(frame: Any, file: str, parties: Parties, read: ControlRead) -> None:
    """The territorial changes of an INCIDENTS frame (a table read, a store's query) as control
    rows of ``read``: ``actor1`` gains the place on the incident's date; the rows that cannot
    be (no actor, an actor of no party, no date, no point) are rejections naming the
    incident."""
    path = file
    if frame is None or frame.empty:
        return
    ev = frame["event_type"].fillna("").astype(str).str.strip().str.lower()
    sub = frame["sub_event_type"].fillna("").astype(str).str.strip().str.lower()
    hit = frame[(ev == "battles") & sub.isin(TERRITORIAL)]
    for _, r in hit.iterrows():
        rid = _text(r.get("id"))
        place = _text(r.get("place_resolved")) or _text(r.get("place"))
        line = None
        actor = _text(r.get("actor1"))
        date = _text(r.get("date_end")) or _text(r.get("date_start"))

        def reject(fld: str, reason: str, rid: str = rid, place: str = place) -> None:
            read.rejections.append(_rejection(path, None, fld,
                                              f"incident {rid}: {reason}", place))

        party = parties.lookup(actor) if actor else None
        if not actor:
            reject("actor1", "a territorial change without actor1 (who gained the place?)")
            continue
        if party is None:
            reject("actor1", f"the actor '{actor}' is not a party of {parties.file} (add it to "
                   "a party's aliases)")
            continue
        try:
            date = iso_date(date[:10]) if date else ""
        except ValueError:
            date = ""
        if not date:
            reject("date_start", "a territorial change without a date")
            continue
        lat, lon = r.get("lat"), r.get("lon")
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            lat = lon = math.nan
        if not (math.isfinite(lat) and math.isfinite(lon)):
            reject("lat", "a territorial change that is not placed")
            continue
        source = _text(r.get("sources")) or (f"incident {rid}" if rid else "")
        read.rows.append(ControlRow(place=place or f"{lat:.5f}, {lon:.5f}", lat=lat, lon=lon,
                                    party=party, date=date, source=source, file=path,
                                    line=line, kind="incident"))


def read_control(paths: list[str | Path], parties: Parties, *, gazetteer: Any = None,
                 countries: tuple[str, ...] = (), store: Any = None) -> ControlRead:
    """Read control tables and incident tables into control rows (see the module docstring).
    ``countries`` (codes or names) narrow the gazetteer's choice for places without lat/lon;
    ``store`` (a :class:`geoevents.store.StoreQuery`, anything with ``read_into(frames)``)
    adds the territorial changes among the store's incidents that pass its filters."""
    read = ControlRead()
    if store is not None:
        from ..pipeline import Frames

        frames = Frames(incidents=_no_incidents())
        store.read_into(frames)
        read.warnings.extend(frames.messages)
        read.files.append(str(getattr(store, "location", "store")))
        incident_control_rows(frames.incidents, str(getattr(store, "location", "store")),
                              parties, read)
    resolve = _Resolver(gazetteer, tuple(countries))
    try:
        for p in map(Path, paths):
            if not p.exists():
                raise InputError("no such file", file=str(p))
            if p.is_dir():
                raise InputError("is a folder, not a file", file=str(p))
            read.files.append(str(p))
            if is_control_file(p):
                raws, warnings = _raw_rows(p)
                read.warnings.extend(warnings)
                for line, raw in raws:
                    row = _row(p, line, raw, parties, resolve, read)
                    if row is not None:
                        read.rows.append(row)
            else:
                _incident_rows(p, parties, read)
    finally:
        resolve.close()
    return read


def _no_incidents() -> Any:
    import geopandas as gpd

    return gpd.GeoDataFrame(geometry=[], crs=4326)
