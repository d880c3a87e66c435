"""Facilities and landmarks named after their place: "University of Oxford", "Shanghai World
Financial Centre", "New York Public Library", "Port of Mombasa", "Kabul airport".

The gazetteer lacks most points of interest (GeoNames' full dumps have some; cities500 none).
Their names often hold the name of the town or area they stand in.  When a query holding a
facility word (:data:`FACILITY_WORDS`) is not itself a place, :func:`named_places` gives the
names it may be named after, best first: the words after "of" ("University of Oxford" ->
"Oxford"), else the leading words before the facility word, longest first ("New York Public
Library" -> "New York Public", "New York", "New").  The grammar (:mod:`gazetteer.grammar`)
accepts the first that names a notable place, or a place near the report's other places, by its
own name or an alias (never a spelling variant or a near-spelling: "Golden Gate Bridge" is not
Golden, Colorado), and answers it at precision 2 ("in or near"), with the reason.
"""

from __future__ import annotations

import re
import unicodedata

#: Words of facilities and landmarks (lower case; a query must hold one); "valley": a valley
#: is named after its town or river ("Salinas Valley", "Swat Valley").  Generic words of
#: settlements and areas ("village", "district", "neighbourhood") are not here: the phrase
#: grammar reads past those itself.
FACILITY_WORDS = frozenset(["airport", "airfield", "aerodrome", "university", "college", "school", "academy", "institute", "hospital", "clinic", "library", "museum", "gallery", "theatre", "theater", "cinema", "opera", "stadium", "arena", "palace", "castle", "fort", "fortress", "citadel", "cathedral", "church", "chapel", "mosque", "temple", "synagogue", "shrine", "monastery", "abbey", "basilica", "tower", "bridge", "square", "plaza", "market", "bazaar", "mall", "hotel", "resort", "casino", "zoo", "aquarium", "park", "gardens", "garden", "station", "terminal", "port", "harbour", "harbor", "pier", "embassy", "consulate", "prison", "jail", "barracks", "headquarters", "ministry", "parliament", "courthouse", "factory", "refinery", "plant", "mine", "centre", "center", "hall", "valley"])

_WORD = re.compile(r"[^\W\d_][\w'’\-.]*", re.UNICODE)
_OF = re.compile(r"\b(?:of|de|di|du|des|del|della)\s+(?:the\s+)?(?P<x>.+)$", re.I)
_TRAIL = re.compile(r"[\s,.;:®™©()\"“”]+$")


#: Words of streets and squares in the languages of the reporting (whole words, compared without
#: case or accents: "náměstí", "namesti" and "námestí" alike), and the endings that make one word
#: a street ("Pestalozzistrasse", "Riemergasse", "Steenstraat").
STREET_WORDS = frozenset(["street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd",
                          "lane", "drive", "highway", "rue", "via", "viale", "vicolo", "calle",
                          "avenida", "rua", "ulica", "ulitsa", "namesti", "namestie", "sady",
                          "gate", "gata", "gatan", "strasse", "suite", "piazza", "platz", "quai",
                          "chaussee", "corso", "allee"])
STREET_ENDINGS = ("strasse", "gasse", "straat", "steeg", "gracht", "allee", "platz", "weg",
                  "gatan", "gade", "vej", "ulica")
_ADDRESS_SYMBOLS = ("®", "™")


def _plain(word: str) -> str:
    """A word without case, accents or its trailing dot and quotes ("Straße" -> "strasse",
    "náměstí" -> "namesti", "St." -> "st")."""
    w = unicodedata.normalize("NFKD", word.casefold().strip(".'’"))
    return "".join(ch for ch in w if not unicodedata.combining(ch))


def is_address_part(query: str) -> bool:
    """A street, a house or postal number, or a facility of a named brand ("Sloane Street",
    "Riemergasse", "1907", "SW1X 9SP", "Hotel Aplaus", "SeaWorld® Orlando"): a name that no
    gazetteer of places holds, but that a text places in the town it is about.  A name with a
    digit, a street word or ending, a facility word, or a trade-mark sign."""
    q = query.strip()
    if not q:
        return False
    if any(ch.isdigit() for ch in q) or any(sym in q for sym in _ADDRESS_SYMBOLS):
        return True
    words = [_plain(w) for w in _words(q)]
    if any(w in STREET_WORDS for w in words[1:]) or (words and words[0] in ("rue", "via", "viale",
                                                                            "calle", "avenida")):
        return True
    if any(len(w) > len(e) + 2 and w.endswith(e) for w in words for e in STREET_ENDINGS):
        return True
    return has_facility_word(q)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def has_facility_word(query: str) -> bool:
    return any(w.lower().strip(".'’") in FACILITY_WORDS for w in _words(query))


def named_places(query: str, limit: int = 4) -> list[str]:
    """The names a facility or landmark may be named after, best first (none when the query
    holds no facility word)."""
    q = _TRAIL.sub("", query.replace("®", "").replace("™", "")).strip()
    if not has_facility_word(q):
        return []
    out: list[str] = []
    m = _OF.search(q)
    if m:
        x = _TRAIL.sub("", m.group("x")).strip()
        if x and not has_facility_word(x):
            out.append(x)
        elif x:
            # "University of Hartford Sports Center": the words after "of" up to the next
            # facility word.
            xs = _words(x)
            cut = next((i for i, w in enumerate(xs) if w.lower().strip(".'’") in FACILITY_WORDS),
                       len(xs))
            head = [w for w in xs[:cut] if w.lower() not in ("the",)]
            for n in range(len(head), 0, -1):
                out.append(" ".join(head[:n]))
    words = _words(q)
    first = next((i for i, w in enumerate(words) if w.lower().strip(".'’") in FACILITY_WORDS),
                 None)
    if first:
        lead = [w for w in words[:first] if w.lower() not in ("the", "of")]
        for n in range(len(lead), 0, -1):
            out.append(" ".join(lead[:n]))
    seen: list[str] = []
    for name in out:
        if name and name not in seen and name.lower() != query.lower():
            seen.append(name)
    return seen[:limit]
