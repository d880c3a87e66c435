"""Airports and air bases for the index, from the PyPI package ``airportsdata`` (ICAO-coded
airports and landing strips worldwide, with coordinates; MIT licence).

Taken in: every airport with an IATA code (the ones news names) and every field whose name says
it is military (air base, air force base, airfield, military); not the tens of thousands of
private strips.  Each comes with the names reporting uses for it: its own name, "<city> airport"
and "<city> International Airport", "<X> airbase" for "<X> Air Base", and its distinctive name
alone when that is not its city's ("Incirlik" for Incirlik Air Base, "Heathrow" for London
Heathrow Airport, "Ben Gurion", "Dulles"; not "Denver" for Denver International Airport).  Those
are aliases of a place with no population: a town bearing the name as its own outranks them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version

_MILITARY = re.compile(r"\b(air ?base|air force base|afb|airfield|military|naval air station)\b",
                       re.I)


RULES = "5"  # bump when the selection or the names change: the index stamp then changes


_FIELD_WORDS = re.compile(
    r"(?:\s+(?:international|intl\.?|regional|municipal|domestic))*\s+"
    r"(?:airport|air ?base|air force base|airfield|air station|aerodrome)$", re.I)
_WORD = re.compile(r"[^\W\d_]{4,}")


def distinctive(name: str, city: str, *, military: bool = False) -> str | None:
    """An airport's name without the generic words and without its city ("London Heathrow
    Airport" -> "Heathrow"), or None when nothing distinctive is left (the city's name, a
    code, a short word).  An air base keeps its town's name ("Bagram" for Bagram Air Base):
    reports name bases so, and the town, where the gazetteer has it, outranks the alias."""
    core = _FIELD_WORDS.sub("", name).strip(" -,")
    if core == name.strip():
        return None
    if city and core.lower().startswith(city.lower() + " "):
        core = core[len(city) + 1:].strip()
    city_words = {w.lower() for w in _WORD.findall(city or "")}
    words = [w.lower() for w in _WORD.findall(core)]
    if not words or any(c.isdigit() for c in core) or (city_words & set(words)
                                                        and not military):
        return None
    return core


_CITY_CORE = re.compile(r"[-\s](?:am|an der|upon|on|sur|im)[-\s]|[,/(]", re.I)


def package_version() -> str:
    try:
        return version("airportsdata")
    except PackageNotFoundError:
        return "none"


def stamp() -> str:
    return f"{package_version()}+rules{RULES}"


def names_for(name: str, city: str, *, military: bool | None = None) -> list[str]:
    """The names a report may use for an airport (``military``: an air base; by default, when
    its name says so)."""
    if military is None:
        military = bool(_MILITARY.search(name))
    out = [name]
    core = distinctive(name, city, military=military)
    m = re.fullmatch(r"(.+?) Air Base", name)
    if m:
        out += [f"{m.group(1)} Airbase", f"{m.group(1)} air base", f"{m.group(1)} airfield",
                f"{m.group(1)} military airport"]
    if military and core:
        out += [core, f"{core} airbase", f"{core} air base", f"{core} airport",
                f"{core} military airport"]
    if city and re.search(r"\bairport\b", name, re.I):
        # "Frankfurt am Main" -> "Frankfurt", "Washington, D.C." -> "Washington"
        city_core = _CITY_CORE.split(city)[0].strip()
        for c in dict.fromkeys([city, city_core]):
            if c:
                out += [f"{c} airport", f"{c} International Airport"]
    if city and name.startswith(city + " ") and len(name) > len(city) + 9:
        out.append(name[len(city) + 1:])  # "London Heathrow Airport": "Heathrow Airport"
    if name.lower().endswith(" international airport"):
        out.append(name[: -len(" international airport")] + " airport")
    if core:
        out.append(core)
    return list(dict.fromkeys(out))


def airport_rows() -> Iterator:
    from .rows import PlaceRow

    try:
        import airportsdata
    except ImportError:
        return
    note_version = package_version()  # once: importlib.metadata reads METADATA on every call
    for icao, a in sorted(airportsdata.load("ICAO").items()):
        name = (a.get("name") or "").strip()
        military = bool(_MILITARY.search(name))
        if not name or not (a.get("iata") or military):
            continue
        try:
            lat, lon = float(a["lat"]), float(a["lon"])
        except (KeyError, TypeError, ValueError):
            continue
        codes = f"ICAO {icao}" + (f", IATA {a['iata']}" if a.get("iata") else "")
        yield PlaceRow(
            uid=f"airport:{icao}", name=name, country=(a.get("country") or "").upper(),
            admin1=None, lat=lat, lon=lon, kind="military_base" if military else "airport",
            fclass="S", fcode="AIRB" if military else "AIRP", population=0, precision=1,
            source="airportsdata", note=f"{codes} (airportsdata {note_version})",
            names=names_for(name, (a.get("city") or "").strip()), primary=[name])
