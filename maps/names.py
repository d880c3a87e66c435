"""Display names: what a place is called on a map, in a popup, a briefing and an export's label.

One rule everywhere (:func:`display_name`):

1. an **English exonym** where one is common: the shipped table of English names keyed by
   GeoNames id (``data/maps/exonyms.csv``: ``Tadmur`` -> ``Palmyra``, ``Al Mayādīn`` ->
   ``Mayadin``, :func:`english_names`), else Natural Earth's ``NAME_EN`` for the GeoNames place
   (``Hims`` -> ``Homs``, ``Dayr az Zawr`` -> ``Deir ez-Zor``), passed in as ``exonyms`` (see
   :attr:`maps.basemap.Basemap.exonyms`) or read from the installed Natural Earth layer
   (:func:`natural_earth_exonyms`);
2. a curated English name of the gazetteer (countries, first-level areas, curated places:
   ``Deir ez-Zor Governorate``, ``Hmeimim Air Base``) as it is;
3. else **the report's own spelling** when the place was resolved from it and it is a different
   spelling from the gazetteer's (``near the town of Mayadeen`` resolved to ``Al Mayādīn`` shows
   ``Mayadeen``): the words of the phrase as written that match the resolved name best;
4. else the gazetteer's name with the transliteration marks of a romanisation left out
   (``Al Mayādīn`` -> ``Al Mayadin``, ``Al ‘Ashārah`` -> ``Al Asharah``).

The gazetteer's name and the name as written stay in the popup and the table.  Nothing here is
tuned to a place: the rule uses the data only.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

# Apostrophe-like letters of romanised Arabic (ayn, hamza) and quotes: left out of a display name.
_MARKS = dict.fromkeys(map(ord, "‘’ʿʾʼ`´"), None)
_ARTICLE = re.compile(r"^(?:a[lnrstdz]|ash|el|ad|ar|as|at|az)[\s\-]+", re.I)
_WORD = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*", re.U)
MATCH = 80.0  # rapidfuzz ratio (0-100) for a span of the report to be the place's spelling


# Marks of a scholarly romanisation (macron, dot below, macron below, breve below) and the
# ayn/hamza letters: a name carrying one is a transliteration, shown without its marks.  A name
# written in a Latin alphabet of its own (Elazığ, Zürich, São Paulo) carries none and is kept.
_ROMANISATION = {"\u0304", "\u0323", "\u0331", "\u032e"}


#: Countries whose own script is not Latin (Arabic, Persian, Hebrew script): a Latin name of a
#: place there is a romanisation, and every mark on it ("Al Buşayrah", "Al Başrah") is one.
ROMANISED_COUNTRIES = frozenset([
    "AE", "BH", "DZ", "EG", "IQ", "JO", "KW", "LB", "LY", "MA", "OM", "PS", "QA", "SA", "SD",
    "SY", "TN", "YE", "MR", "IR", "AF", "PK", "IL"])


def fold(text: str, country: str | None = None) -> str:
    """``text`` without its diacritics and ayn/hamza marks when it is a romanisation (Latin
    script with the marks of one, see :data:`_ROMANISATION`, or any Latin name of a place in
    one of :data:`ROMANISED_COUNTRIES`, ``country`` as ISO2); else unchanged."""
    if not text or text.isascii():
        return text
    raw = unicodedata.normalize("NFKD", text)
    romanised = (country or "").upper() in ROMANISED_COUNTRIES
    if not (romanised or _ROMANISATION & set(raw) or any(ord(c) in _MARKS for c in raw)):
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_MARKS))
    letters = [c for c in decomposed if c.isalpha()]
    if letters and not all("LATIN" in unicodedata.name(c, "") for c in letters):
        return text
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", out).strip()


def _key(text: str) -> str:
    k = fold(text).casefold().replace("-", " ")
    k = _ARTICLE.sub("", k)
    return re.sub(r"[^\w ]+", "", k).strip()


def report_spelling(written: str, resolved: str, aliases: frozenset[str] = frozenset()
                    ) -> str | None:
    """The words of ``written`` (the place as the report gives it) that spell ``resolved``
    (or one of its other names, ``aliases``, as :func:`_key` keys), or None when no run of its
    words matches well enough."""
    if not written or not resolved:
        return None
    from rapidfuzz import fuzz

    target = _key(resolved)
    if not target:
        return None
    words = list(_WORD.finditer(written))
    n = max([len(target.split()), *(len(a.split()) for a in aliases)])
    best, best_score = None, 0.0
    for i in range(len(words)):
        for j in range(i, min(len(words), i + n + 2)):
            span = written[words[i].start():words[j].end()]
            k = _key(span)
            score = 100.0 + len(k) / 1000 if k in aliases else fuzz.ratio(k, target)
            if score > best_score:
                best, best_score = span, score
    return best if best is not None and best_score >= MATCH else None


def aliases_of(place_ids: list[str]) -> dict[str, frozenset[str]]:
    """Every name the installed gazetteer index knows for each of ``place_ids`` (as keys); empty
    when there is no index (a map never builds one)."""
    import sqlite3

    from gazetteer import paths

    ids = sorted({p for p in place_ids if p})
    path = paths.default_index_path()
    if not ids or not path.is_file():
        return {}
    out: dict[str, set[str]] = {}
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                q = ("SELECT p.uid, n.name FROM places p JOIN names n ON n.pid = p.pid "
                     f"WHERE p.uid IN ({','.join('?' * len(chunk))})")
                for uid, name in con.execute(q, chunk):
                    k = _key(name)
                    if k:
                        out.setdefault(uid, set()).add(k)
        finally:
            con.close()
    except sqlite3.Error:
        return {}
    return {k: frozenset(v) for k, v in out.items()}


# Gazetteer ids whose names are curated English names (countries, first-level areas, the
# curated places): the conventional name already, shown before the report's spelling.
ENGLISH_SOURCES = ("country:", "admin1:", "curated:")


@functools.cache
def english_names() -> dict[str, str]:
    """The shipped English exonyms by gazetteer id (``"geonames:163808"`` -> ``"Palmyra"``),
    from ``data/maps/exonyms.csv``; empty when the file cannot be read."""
    import csv

    from gazetteer import paths

    out: dict[str, str] = {}
    try:
        with open(paths.shipped_data("maps", "exonyms.csv"), encoding="utf-8") as f:
            for row in csv.DictReader(line for line in f if not line.startswith("#")):
                gid, name = (row.get("geonameid") or "").strip(), (row.get("name") or "").strip()
                if gid.isdigit() and name:
                    out[f"geonames:{int(gid)}"] = name
    except OSError:
        return {}
    return out


def exonym(place_id: Any, exonyms: dict[str, str] | None = None) -> str:
    """The English exonym of a place: :func:`english_names`, else ``exonyms`` (Natural Earth's
    ``NAME_EN`` by GeoNames id); "" when neither has one."""
    if not isinstance(place_id, str) or not place_id:
        return ""
    return english_names().get(place_id) or (exonyms or {}).get(place_id, "")


_NE_CACHE: dict[tuple[str, str], dict[str, str]] = {}


def natural_earth_exonyms() -> dict[str, str]:
    """Natural Earth's cartographic English name (``NAME_EN``; a place without one has none
    here) of each of its populated places by GeoNames id, from the installed layer (``{}`` when it is not installed).
    Read once per process and kept in the cache folder by the layer's checksum (parsing the
    GeoJSON layer takes about a second)."""
    import json

    from gazetteer import naturalearth as ne
    from gazetteer import paths

    try:
        path = ne.installed_path("populated_places")
    except KeyError:
        return {}
    if path is None:
        return {}
    sha = str(ne.manifest().get("populated_places", {}).get("sha256") or "")
    key = (str(path), sha)
    if key in _NE_CACHE:
        return _NE_CACHE[key]
    cached = paths.cache_dir() / f"ne-exonyms-v2-{sha[:16]}.json" if sha else None
    out: dict[str, str] = {}
    if cached is not None and cached.is_file():
        try:
            out = json.loads(cached.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            out = {}
    if not out:
        out = _read_ne_exonyms(path)
        if cached is not None and out:
            from gazetteer import atomic

            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                atomic.write_file(cached, json.dumps(out, ensure_ascii=False, sort_keys=True),
                                  overwrite=True, what="exonym cache")
            except (OSError, atomic.OutputError):
                pass
    _NE_CACHE[key] = out
    return out


def _read_ne_exonyms(path: Any) -> dict[str, str]:
    import pyogrio

    try:
        cols = {c.casefold(): c for c in pyogrio.read_info(str(path))["fields"]}
        wanted = [cols[c] for c in ("name_en", "geonameid") if c in cols]
        if cols.get("geonameid") not in wanted:
            return {}
        frame = pyogrio.read_dataframe(str(path), columns=wanted, read_geometry=False)
    except Exception:  # a damaged layer: no exonyms, the rule goes on without them
        return {}
    out: dict[str, str] = {}
    english = frame[cols["name_en"]] if "name_en" in cols else [None] * len(frame)
    for en, gid in zip(english, frame[cols["geonameid"]], strict=True):
        try:
            g = int(float(gid))
        except (TypeError, ValueError):
            continue
        # only an English name is an exonym: a local NAME ("Trablous") is not
        if g > 0 and isinstance(en, str) and en.strip():
            out[f"geonames:{g}"] = en.strip()
    return out


@functools.lru_cache(maxsize=65536)
def _display(written: str, resolved: str, exonym: str, aliases: frozenset[str],
             curated: bool = False) -> str:
    if exonym:
        return exonym
    if curated and resolved:
        return fold(resolved)
    spelled = report_spelling(written, resolved, aliases)
    if spelled and _key(spelled) != _key(resolved):
        return spelled
    return fold(resolved) or written


def display_name(written: Any, resolved: Any, place_id: Any = None,
                 exonyms: dict[str, str] | None = None,
                 aliases: dict[str, frozenset[str]] | None = None) -> str:
    """The name to show for a place (see the module's rule); ``aliases``: the place's other
    names by id (:func:`aliases_of`)."""
    w = written if isinstance(written, str) else ""
    r = resolved if isinstance(resolved, str) else ""
    pid = place_id if isinstance(place_id, str) else ""
    ex = exonym(pid, exonyms)
    return _display(w.strip(), r.strip(), ex, (aliases or {}).get(pid, frozenset()),
                    pid.startswith(ENGLISH_SOURCES))


def display_names(frame: Any, exonyms: dict[str, str] | None = None) -> list[str]:
    """:func:`display_name` of every row of an incidents frame (``place``, ``place_resolved``,
    ``place_id``), computed once per distinct triple; ``exonyms`` None: Natural Earth's
    (:func:`natural_earth_exonyms`), so that a map, an image and an export agree."""
    import numpy as np
    import pandas as pd

    n = len(frame)
    if n == 0:
        return []
    if exonyms is None:
        exonyms = natural_earth_exonyms()
    codes = np.zeros(n, dtype=np.int64)
    uniques: list[Any] = []
    for c in ("place", "place_resolved", "place_id"):
        if c in frame.columns:
            k, u = pd.factorize(frame[c], use_na_sentinel=True)
            values = [v if isinstance(v, str) else "" for v in u.tolist()] + [""]
        else:
            k, values = np.full(n, -1), [""]
        uniques.append(values)
        codes = codes * (len(values) + 1) + np.where(k < 0, len(values) - 1, k)
    combined, inverse = np.unique(codes, return_inverse=True)
    triples = []
    for code in combined.tolist():
        parts = []
        for values in reversed(uniques):
            code, r = divmod(code, len(values) + 1)
            parts.append(values[r])
        triples.append(tuple(reversed(parts)))
    uniques = triples  # type: ignore[assignment]
    aliases = aliases_of([p for _, _, p in uniques]) if len(uniques) <= 20000 else {}
    table = [display_name(w, r, p, exonyms, aliases) for w, r, p in uniques]
    return [table[c] for c in inverse.tolist()]


@functools.cache
def _countries() -> dict[str, str]:
    import csv

    from gazetteer import paths

    out: dict[str, str] = {}
    path = paths.shipped_data("gazetteer", "countries.csv")
    with open(path, encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for row in rows:
            names = (row.get("aliases") or "").split("|")
            if row.get("iso2") and names and names[0]:
                out[row["iso2"].upper()] = names[0]
    return out


def country_name(code: Any) -> str:
    """The English short name of an ISO 3166-1 alpha-2 code ("SY" -> "Syria"); the code itself
    when unknown, "" when missing."""
    if not isinstance(code, str) or not code.strip():
        return ""
    c = code.strip()
    try:
        return _countries().get(c.upper(), c)
    except OSError:
        return c
