"""Place phrases as reports write them: the name inside "near the town of Mayadeen", "Al Bab
city", "Hajin (Deir Ezzor)", "Al Salhin neighbourhood, Aleppo".

These are the fallbacks the resolver tries, in order, when the phrase as a whole is not a name
in the gazetteer.  Proximity words ("near", "outskirts of") lower the precision to 2 (near / part
of), ACLED's convention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PROXIMITY = r"(?:near(?:by)?|close to|around|outside|in the vicinity of|the vicinity of|" \
    r"vicinity of|(?:on )?the outskirts of|outskirts of|(?:on )?the edge of|(?:in )?the surroundings of)"
_SETTLEMENT = r"(?:town|village|city|hamlet|neighbou?rhood|suburb|area|locality|district)"

PROXIMITY_PREFIX = re.compile(rf"^{_PROXIMITY}\s+(?:the\s+)?(?:{_SETTLEMENT}\s+of\s+)?", re.I)
SETTLEMENT_PREFIX = re.compile(rf"^(?:in\s+|at\s+)?(?:the\s+)?{_SETTLEMENT}\s+of\s+", re.I)
SETTLEMENT_SUFFIX = re.compile(rf"\s+{_SETTLEMENT}$", re.I)
# Words that make a phrase a part of a town: "Al Salhin neighbourhood, Aleppo" is in the city.
URBAN_PART = re.compile(
    r"\b(?:neighbou?rhoods?|quarter|district|street|st\.|road|square|roundabout|hospital|"
    r"mosque|school|market|souq|bridge|old city|old town|suburbs?|hay|hayy|harat)\b", re.I)
PAREN = re.compile(r"^(?P<name>[^()\[\]]+?)\s*[(\[](?P<hint>[^()\[\]]*)[)\]]\s*$")


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    precision_floor: int  # 1, or 2 when a proximity word was removed
    note: str


def bare_name(phrase: str) -> Variant | None:
    """The name without generic words around it, or None when there are none."""
    s = phrase.strip()
    floor = 1
    notes = []
    m = PROXIMITY_PREFIX.match(s)
    if m:
        s = s[m.end():]
        floor = 2
        notes.append(f"'{m.group(0).strip()}'")
    else:
        m = SETTLEMENT_PREFIX.match(s)
        if m:
            s = s[m.end():]
            notes.append(f"'{m.group(0).strip()}'")
    m = SETTLEMENT_SUFFIX.search(s)
    if m and m.start() > 0:
        notes.append(f"'{m.group(0).strip()}'")
        s = s[: m.start()]
    s = s.strip(" ,.;:")
    if not s or s == phrase.strip() or not notes:
        return None
    return Variant(s, floor, "read past " + " and ".join(notes))


def split_hints(phrase: str) -> tuple[str, list[str]] | None:
    """'Hajin (Deir Ezzor)' -> ('Hajin', ['Deir Ezzor']); 'A, B, C' -> ('A', ['B', 'C'])."""
    m = PAREN.match(phrase)
    if m:
        parts = [m.group("name"), m.group("hint")]
    elif "," in phrase:
        parts = phrase.split(",")
    else:
        return None
    parts = [p.strip() for p in parts if p.strip()]
    if len(parts) < 2:
        return None
    return parts[0], parts[1:]
