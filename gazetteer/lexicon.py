"""Words that name places without being their names: demonyms and adjectives ("Syrian",
"Kurdish", "European") and abbreviations ("Fla.", "B.C.", "UAE", postal codes).

Data: ``data/gazetteer/countries.csv`` (column ``demonyms``: country adjectives),
``data/gazetteer/demonyms.csv`` (peoples' regions, continents, world regions) and
``data/gazetteer/abbreviations.csv``.  Each maps to the id of a place in the index.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from . import paths
from .normalize import fold


def _rows(name: str) -> list[dict[str, str]]:
    path = paths.shipped_data("gazetteer", name)
    if not path.is_file():
        return []
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(ln for ln in f if ln.strip() and not ln.startswith("#")))


@lru_cache(maxsize=1)
def demonyms() -> dict[str, tuple[str, str]]:
    """Folded demonym -> (target id, note)."""
    out: dict[str, tuple[str, str]] = {}
    for r in _rows("countries.csv"):
        for w in (r.get("demonyms") or "").split("|"):
            w = w.strip()
            if w:
                out.setdefault(fold(w), (f"country:{r['iso2']}", "the country"))
    for r in _rows("demonyms.csv"):
        out.setdefault(fold(r["demonym"]), (r["target"], r.get("note") or ""))
    return out


def demonym(text: str) -> tuple[str, str] | None:
    """(target id, note) when ``text`` is a demonym or adjective, singular or plural."""
    table = demonyms()
    f = fold(text)
    if f in table:
        return table[f]
    for suffix in ("es", "s"):
        if f.endswith(suffix) and f[: -len(suffix)] in table:
            return table[f[: -len(suffix)]]
    return None


_WORDS = frozenset({"Mass", "Wash", "Miss", "Mont", "Penn"})  # words or names without the period


@dataclass(frozen=True, slots=True)
class Abbreviation:
    abbr: str
    target: str
    needs_context: bool
    note: str

    @property
    def country(self) -> str:
        """The country the target lies in."""
        return self.target.split(":", 1)[1].split(".")[0]


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, Abbreviation]:
    """Abbreviation as written (periods kept, spaces normalised) -> its entry."""
    out: dict[str, Abbreviation] = {}
    for r in _rows("abbreviations.csv"):
        a = " ".join(r["abbr"].split())
        out.setdefault(a, Abbreviation(a, r["target"], r.get("context") == "1",
                                       r.get("note") or ""))
    return out


def abbreviation(text: str) -> Abbreviation | None:
    """The entry for a query written exactly as an abbreviation (case-sensitive; "Fla" without
    its period is accepted for abbreviations of four letters or more)."""
    a = " ".join(text.split())
    table = abbreviations()
    hit = table.get(a)
    if hit is None and not a.endswith(".") and len(a) >= 4 and a not in _WORDS:
        hit = table.get(a + ".")
    return hit


@lru_cache(maxsize=1)
def _word_folds() -> frozenset[str]:
    """The folds of every text that :func:`abbreviation` or :func:`demonym` can answer: each
    abbreviation's fold (a period or spaces do not change it) and each demonym's, with "s" and
    "es" for the plurals."""
    table = demonyms()
    return frozenset({fold(a) for a in abbreviations()} | set(table)
                     | {d + s for d in table for s in ("s", "es")})


def may_be_word(text: str) -> bool:
    """False when neither :func:`abbreviation` nor :func:`demonym` can answer ``text`` (most
    names: one set lookup instead of both).  A necessary condition: keep it in step with the
    two (``tests/test_speed_paths.py`` checks it on their tables).  (Printable text has no
    whitespace but spaces, which neither fold nor the abbreviations' spacing tell apart.)"""
    return not text.isprintable() or fold(text) in _word_folds()
