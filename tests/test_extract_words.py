"""The word lists of data/extract/ are in step with the patterns they guard: a text any trigger
(or named actor) pattern matches contains a word of the list - else the set lookup made before
the regular expressions would skip it."""

from __future__ import annotations

import itertools
import re
from re import _constants as C  # Python 3.11+
from re import _parser as P

import pytest

from geoevents.extract import lexicon, places

LIMIT = 3000


def _samples(node, depth: int = 0) -> list[str]:
    """Strings the parsed pattern can match (every branch, optional parts with and without)."""
    outs = [""]
    for op, av in node:
        if op is C.LITERAL:
            opts = [chr(av)]
        elif op is C.NOT_LITERAL or op is C.ANY:
            opts = ["x"]
        elif op is C.IN:
            opts = [_in_sample(av)]
        elif op is C.BRANCH:
            opts = [s for br in av[1] for s in _samples(br, depth + 1)]
        elif op is C.SUBPATTERN:
            opts = _samples(av[-1], depth + 1)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, sub = av
            inner = _samples(sub, depth + 1)
            opts = []
            for n in sorted({lo, min(max(lo, 1), hi)}):
                if n == 0:
                    opts.append("")
                else:
                    opts.extend("".join(p) for p in itertools.islice(
                        itertools.product(inner, repeat=n), 50))
        else:  # anchors, lookarounds, back references: nothing to add
            opts = [""]
        outs = [a + b for a, b in itertools.islice(itertools.product(outs, opts), LIMIT)]
    return outs


def _in_sample(av) -> str:
    for op, v in av:
        if op is C.LITERAL:
            return chr(v)
        if op is C.RANGE:
            return chr(v[0])
        if op is C.CATEGORY:
            return {C.CATEGORY_DIGIT: "5", C.CATEGORY_SPACE: " ",
                    C.CATEGORY_WORD: "x"}.get(v, "x")
    return "x"


def _words(text: str) -> frozenset[str]:
    # As the extractor reads a sentence's words (events.analyse).
    return frozenset(re.findall(r"[a-z’']+", text.lower()))


def _check(pattern: re.Pattern[str], listed: frozenset[str]) -> list[str]:
    missing = []
    for s in _samples(P.parse(pattern.pattern, pattern.flags)):
        s = " ".join(s.split())
        # In a sentence, as the pattern meets it (word boundaries need neighbours).
        text = f"On Monday {s} in the town."
        m = pattern.search(text)
        if not m:
            continue
        if not (_words(m.group(0)) & listed):
            missing.append(m.group(0))
    return missing


@pytest.mark.parametrize("rule", lexicon.TRIGGERS, ids=lambda r: r.sub_event_type or r.event_type)
def test_every_trigger_pattern_word_is_listed(rule):
    missing = _check(rule.pattern, lexicon.TRIGGER_WORDS)
    assert not missing, f"add one of the words of {sorted(set(missing))[:8]} to " \
                        "data/extract/trigger_words.txt"


@pytest.mark.parametrize("actor", lexicon.NAMED_ACTORS, ids=lambda a: a.name)
def test_every_actor_name_word_is_listed(actor):
    missing = _check(actor.pattern, lexicon.ACTOR_WORDS)
    assert not missing, f"add a word of {sorted(set(missing))[:8]} to data/extract/actor_words.txt"


def test_the_check_can_fail():
    # A pattern whose word is not listed is caught.
    assert _check(re.compile(r"\bskirmished\b", re.I), frozenset({"attack"})) == ["skirmished"]


def test_lists_are_loaded_from_data():
    assert "attack" in lexicon.TRIGGER_WORDS and "liberated" in lexicon.TRIGGER_WORDS
    assert "the" in places.STOP and "near" in places.STOP
    assert all(w == w.strip() and w for w in places.STOP)


@pytest.mark.parametrize("text", [
    "Turkey's defence ministry blamed the militants.",
    "Turkey said the attackers came from the east.",
    "The group is backed by Turkey.",
    "Families fled towards the border with Turkey.",
])
def test_a_country_named_as_a_party_or_border_is_not_named_as_where(text):
    both, named = lexicon.country_mentions(text)
    assert [cc for cc, _k in both] == ["TR"]
    assert named == []


@pytest.mark.parametrize("text", ["Shelling hit Turkey's Hatay province.",
                                  "Rockets fell in Turkey on Monday."])
def test_a_country_named_as_where_is_named(text):
    assert lexicon.country_mentions(text)[1] == [("TR", 1)]


def test_an_outlets_name_is_not_a_tally():
    assert not lexicon.AGGREGATE.search("30 were killed, an official said, The Daily Star "
                                        "reported.")
    assert lexicon.AGGREGATE.search("Shelling hits the town daily.")


def _country_texts() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = [p.read_text(encoding="utf-8", errors="replace")
           for d in (root / "tests" / "data" / "articles", root / "data" / "examples" / "reports")
           for p in sorted(d.iterdir()) if p.suffix in (".txt", ".html")]
    return [*out,
        "The United Arab Emirates and Saudi Arabia's forces; the U.S. and U. S. envoys met "
        "in the Central African Republic, the Democratic Republic of the Congo and Bosnia and "
        "Herzegovina. . . . The UK-based Syrian Observatory said United States jets struck.",
        "Officials of the United States of America and of the Republic of Korea said so.",
    ]


def test_country_names_of_several_words_read_only_from_their_first_words(monkeypatch):
    # The first-word test skips nothing a full reading finds.
    assert not lexicon._may_begin_name("Observatory")
    assert lexicon._may_begin_name("United") and lexicon._may_begin_name("Saudi")
    texts = _country_texts()
    fast = [lexicon.country_mentions(t) for t in texts]
    monkeypatch.setattr(lexicon, "_may_begin_name", lambda word: True)
    lexicon._country_named.cache_clear()
    plain = [lexicon.country_mentions(t) for t in texts]
    assert fast == plain
    assert ("AE", 1) in plain[-2][1] and any(cc == "US" for cc, _ in plain[-2][1])
