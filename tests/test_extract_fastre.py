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
