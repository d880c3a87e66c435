"""fastre: a first-character guard changes how fast a pattern searches, never what it finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import geoevents.extract.events.story  # noqa: F401  (every extraction module: its patterns guarded)
from geoevents.extract import fastre

ROOT = Path(__file__).resolve().parents[1]


def _texts() -> list[str]:
    out = []
    for d in (ROOT / "tests" / "data" / "articles", ROOT / "data" / "examples" / "reports"):
        for p in sorted(d.iterdir()):
            if p.suffix in (".txt", ".html"):
                out.append(p.read_text(encoding="utf-8", errors="replace"))
    assert out
    return out


def _matches(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple]]:
    return [(m.span(), m.groups()) for m in rx.finditer(text)]


def test_extraction_patterns_are_guarded_and_find_the_same() -> None:
    pairs = fastre.all_guarded()
    assert len(pairs) > 100  # the trigger, actor, source, figure and place patterns
    texts = _texts()
    pieces = [s for t in texts for s in re.split(r"(?<=[.!?])\s+|\n+", t) if s.strip()]
    for guarded, orig in pairs:
        assert guarded is not orig and guarded.flags == orig.flags
        assert guarded.groupindex == orig.groupindex and guarded.groups == orig.groups
        for text in texts + pieces:
            assert _matches(guarded, text) == _matches(orig, text), orig.pattern[:80]
        # Searches from an offset and over a prefix (as the extractor does for the words
        # before a mention) also agree.
        for text in pieces[:200]:
            for pos in (0, 1, len(text) // 2):
                a, b = guarded.search(text, pos), orig.search(text, pos)
                assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


@pytest.mark.parametrize("pattern, flags, text", [
    (r"\bgrenades?\b", re.I, "A GRENADE and two grenades, not grenadesx"),
    (r"(?<![\w-])(?:IS|ISIS)(?![\w])", 0, "ISIS and IS, not IS-held or ISx"),
    (r"\b(?:\d+|one|two)\s+killed\b", re.I, "3 killed, ٣ killed, Two killed"),
    (r"\b(?:on|against)\s+(?:\w+\s+){0,3}$", re.I, "an attack on the town of "),
    (r"(?P<a>x)|(?P<b>\s+y)", 0, "x  y\u3000y"),
])
def test_guard_keeps_matches(pattern: str, flags: int, text: str) -> None:
    rx = re.compile(pattern, flags)
    g = fastre.guarded(rx)
    assert g is not rx and g.pattern.startswith("(?=[")
    assert fastre.original(g) is rx
    assert _matches(g, text) == _matches(rx, text)
    assert fastre.guarded(g) is g  # never twice


@pytest.mark.parametrize("pattern", [
    r"\w+",  # any word character: not worth a guard
    r"^\s*said\b",  # anchored: tried at the start only
    r"(?:a|b)?",  # may match the empty string
    r"[^x]y",  # negated class
    r"(?i)abc",  # global inline flags
    r".y",
])
def test_unguardable_patterns_are_left_alone(pattern: str) -> None:
    rx = re.compile(pattern)
    assert fastre.guarded(rx) is rx


def test_named_pattern_loops_start_at_their_alternations_first_match() -> None:
    # The loops over actor and source patterns start where their alternation first
    # matches: no pattern may match earlier (same flags, and the alternation finds the first).
    from geoevents.extract import lexicon

    pieces = [s for t in _texts() for s in re.split(r"(?<=[.!?])\s+|\n+", t) if s.strip()]
    for any_rx, rxs in ((lexicon.ACTOR_ANY, [a.pattern for a in lexicon.NAMED_ACTORS]),
                        (lexicon.SOURCE_ANY, [s.pattern for s in lexicon.KNOWN_SOURCES])):
        assert all(rx.flags == any_rx.flags for rx in rxs)
        for text in pieces:
            first = any_rx.search(text)
            for rx in rxs:
                m = rx.search(text)
                assert (m is None) if first is None else (m is None or m.start() >= first.start())
                if first is not None:
                    assert _matches(rx, text) == [
                        (x.span(), x.groups()) for x in rx.finditer(text, first.start())]


def test_remembered_sentence_results_are_copies() -> None:
    from geoevents.extract.events import analysis

    text = ("Islamic State militants attacked an army checkpoint near Hit on Monday, killing "
            "five Iraqi soldiers and wounding 12, security officials said.")
    f1, f2 = analysis._figures(text, ""), analysis._figures(text, "")
    assert f1 and f1 == f2 and f1[0] is not f2[0] and f1[0].flags is not f2[0].flags
    f1[0].flags.add("changed")
    assert "changed" not in analysis._figures(text, "")[0].flags
    t1, _ = analysis._triggers_cached(text)
    assert [t.text for t in t1] == [t.text for t in analysis._triggers(text)[0]]
    a1 = [analysis.replace(x) for x in analysis._actors_cached(text)]
    assert a1 and a1[0] is not analysis._actors_cached(text)[0]
    a1[0].sentence = 7
    assert analysis._actors_cached(text)[0].sentence == -1


# ------------------------------------------------------------------------------ literals


def _samples_of(rx: re.Pattern[str]) -> list[str]:
    """Texts the pattern matches, generated from its syntax tree (every branch), each in a
    sentence and in capitals."""
    from tests.test_extract_words import _samples

    out = []
    for s in _samples(fastre._p.parse(rx.pattern, rx.flags)):
        s = " ".join(s.split())
        out += [f"On Monday {s} in the town.", f"ON MONDAY {s.upper()} IN THE TOWN."]
    return out


def test_a_pattern_whose_literals_are_absent_never_matches() -> None:
    # Every extraction pattern with literals: wherever it matches (the test articles and
    # texts made from its own syntax tree), the literal test lets it through.
    texts = _texts()
    pieces = [s for t in texts for s in re.split(r"(?<=[.!?])\s+|\n+", t) if s.strip()]
    tested = 0
    for _guarded, orig in fastre.all_guarded():
        lits = fastre.literals(orig)
        if lits is None:
            continue
        tested += 1
        for text in texts + pieces + _samples_of(orig):
            if orig.search(text):
                assert fastre.may_match(lits, text, fastre.fold(text)), (orig.pattern[:80], text)
    assert tested > 50


@pytest.mark.parametrize("pattern, flags, want", [
    (r"\b(?:funerals?|buried|mourn\w*)\s+in\b", re.I, {"funeral", "buried", "mourn"}),
    (r"\b(?:war)?planes?\s+hit", re.I, {"war", "plane"}),
    (r"(?<!the\s)\bdetained\b|\barrest(?:ed|s)?\b", re.I, {"detained", "arrest"}),
    (r"\bKurdish\s+forces", 0, {"Kurdish"}),
])
def test_literals_read_from_the_tree(pattern: str, flags: int, want: set[str]) -> None:
    lits = fastre.literals(re.compile(pattern, flags))
    assert lits is not None and lits[0] == want and lits[1] == bool(flags & re.I)


@pytest.mark.parametrize("pattern", [r"\b\w+\s+killed", r"\b(?:on|at)\s+the", r"(?:a|b)?x+",
                                     r"\d+\s+killed", r"(?i:attack)", r"\bé[a-z]+"])
def test_no_literals_when_they_cannot_be_told(pattern: str) -> None:
    assert fastre.literals(re.compile(pattern, re.I)) is None


def test_the_literal_test_can_refuse_and_folds_case_as_re_does() -> None:
    rx = re.compile(r"\b(?:visit(?:ed)?|skirmish)\b", re.I)
    lits = fastre.literals(rx)
    assert not fastre.may_match(lits, "Talks in Geneva.", fastre.fold("Talks in Geneva."))
    # Characters IGNORECASE matches with an ASCII letter: Turkish İ and ı, the long s, the
    # Kelvin sign.
    for text in ("VİSİTED", "vısıted", "ſkirmiſh", "SKIRMISH", "\u212aILLED visit"):
        assert rx.search(text) and fastre.may_match(lits, text, fastre.fold(text)), text


def test_trigger_rules_skipped_by_their_literals_find_what_all_rules_find(monkeypatch) -> None:
    # The trigger loop searches a rule only when a word it begins with is in the sentence:
    # the triggers found are those of searching every rule.
    from geoevents.extract import lexicon
    from geoevents.extract.events import analysis

    pieces = [s for t in _texts() for s in re.split(r"(?<=[.!?])\s+|\n+", t) if s.strip()]
    pieces += [s for r in lexicon.TRIGGERS for s in _samples_of(r.pattern)[:40]]

    def read(text: str) -> tuple[list[tuple[str, int, str]], bool]:
        found, hyp = analysis._triggers(text)
        return [(t.text, t.begin, t.rule.sub_event_type) for t in found], hyp

    fast = [read(t) for t in pieces]
    assert sum(bool(f[0]) for f in fast) > 100
    skipped = sum(not fastre.may_match(lits, t, fastre.fold(t))
                  for t in pieces for lits in analysis._TRIGGER_LITERALS)
    assert skipped > 1000  # the filter does skip rules
    monkeypatch.setattr(analysis, "_TRIGGER_LITERALS", (None,) * len(analysis._TRIGGER_LITERALS))
    assert [read(t) for t in pieces] == fast


def test_named_actors_and_sources_skipped_by_their_literals_find_what_every_pattern_finds():
    from geoevents.extract import lexicon

    texts = _texts()
    pieces = [s for t in texts for s in re.split(r"(?<=[.!?])\s+|\n+", t) if s.strip()]
    names = [e.name for e in (*lexicon.NAMED_ACTORS, *lexicon.KNOWN_SOURCES)]
    pieces += [f"Fighters of {n} attacked the town, {n.upper()} said." for n in names]
    found = 0
    skipped = 0
    for entries, fast in ((lexicon.NAMED_ACTORS, lexicon.named_actor_matches),
                          (lexicon.KNOWN_SOURCES, lexicon.known_source_matches)):
        for text in texts + pieces:
            for start in (0, len(text) // 3):
                plain = [(e.name, m.span()) for e in entries
                         for m in e.pattern.finditer(text, start)]
                got = [(e.name, m.span()) for e, m in fast(text, start)]
                assert got == plain, text[:80]
                found += len(plain)
        lits = [fastre.literals(e.pattern) for e in entries]
        skipped += sum(1 for t in pieces for x in lits if not fastre.may_match(x, t, fastre.fold(t)))
    assert found > 100 and skipped > 100  # the comparison compares matches, and skips patterns
