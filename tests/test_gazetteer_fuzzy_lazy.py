"""The fuzzy search's shortcuts give the answers of the plain path.

- the phrase grammar puts off the fuzzy reading of a whole phrase until the phrase's hints and
  structure have failed (:meth:`Gazetteer._resolve_written` first): its answers equal those of
  the grammar reading the phrase fuzzily first;
- the fuzzy blocks are read from the index a few lengths at a time: the keys found equal those
  of a search over the whole block of the prefix.
"""

from __future__ import annotations

import pytest

from gazetteer import Context
from gazetteer.normalize import skeleton

PHRASES = [
    "the town of Tal Rifaat", "town of Ariha", "the city of Aleppo", "Aleppo city",
    "Deir ez-Zor province", "near Deir ez-Zor", "the eastern countryside of Homs",
    "Syria's eastern Deir Ezzor", "northern Syrian city of Aleppo", "Mayadinx", "Palmirra",
    "Hajin (Deir Ezzor)", "Mayadeen, Deir Ezzor province", "20 km west of Palmyra",
    "between Hajin and al-Susah", "Kafr Zita village", "the village of Baghouz",
    "Xqzwvbnm Kjhgfd", "University of Aleppo", "Dael town", "Jandaris town",
    "the centre of Raqqa city", "rebel-held parts of Deraa province",
]


def _plain(gz, monkeypatch):
    """The gazetteer with the fuzzy search never put off: the name as written and the fuzzy
    reading together, as before."""
    written = type(gz)._resolve_written

    def eager(self, q, focus, limit, kinds=None):
        r = written(self, q, focus, limit, kinds)
        return r if r is not None else self._resolve_fuzzy(q, focus, limit, kinds)

    monkeypatch.setattr(type(gz), "_resolve_written", eager)


@pytest.mark.parametrize("context", [None, Context(countries=("SY",), admin1=("Deir ez-Zor",))])
def test_putting_off_the_fuzzy_reading_changes_no_answer(gz, monkeypatch, context):
    fast = [gz.resolve(p, context).to_dict() for p in PHRASES]
    with monkeypatch.context() as m:
        _plain(gz, m)
        plain = [gz.resolve(p, context).to_dict() for p in PHRASES]
    assert fast == plain
    # The check can fail: the phrases hold fuzzy answers, and the plain path is really taken.
    assert any(d.get("match") == "fuzzy" for d in plain)


def test_the_plain_path_is_a_different_path(gz, monkeypatch):
    calls: list[str] = []
    orig = type(gz)._resolve_fuzzy

    def spy(self, q, *a, **k):
        calls.append(q)
        return orig(self, q, *a, **k)

    monkeypatch.setattr(type(gz), "_resolve_fuzzy", spy)
    gz.resolve("near Deir ez-Zor")
    fast_calls = list(calls)
    calls.clear()
    _plain(gz, monkeypatch)
    gz.resolve("near Deir ez-Zor")
    assert "near Deir ez-Zor" not in fast_calls  # the structure answered first
    assert "near Deir ez-Zor" in calls


def _whole_block_keys(gz, name: str, cutoff: float, limit: int = 8) -> list[tuple[str, float]]:
    from rapidfuzz import fuzz, process

    sk = skeleton(name)
    if len(sk) < 4:
        return []
    prefix = sk[:2]
    hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    block: dict[int, list[str]] = {}
    for k in gz.store.keys_between(prefix, hi):
        block.setdefault(len(k), []).append(k)
    for k in gz.store.overlay:
        if k.startswith(prefix):
            block.setdefault(len(k), []).append(k)
    choices = [k for n in range(len(sk) - 2, len(sk) + 3) for k in block.get(n, ())]
    return [(k, s) for k, s, _ in process.extract(sk, choices, scorer=fuzz.ratio,
                                                   processor=None, score_cutoff=cutoff,
                                                   limit=limit)]


@pytest.mark.parametrize("name", ["Mayadinx", "Palmirra", "Aleppoo", "Hasakahh", "Raqqaa",
                                  "the town of Tal Rifaat", "Kafr Zitaa", "Dayr Az Zawrr"])
def test_fuzzy_keys_read_by_length_equal_the_whole_block(gz, name):
    want = _whole_block_keys(gz, name, 70.0, limit=20)
    got = gz.candidates.fuzzy_keys(name, 70.0, limit=20)
    assert got == want
    assert gz.candidates.fuzzy_keys(name, 70.0, limit=20) == want  # from the cached block


def test_whole_block_search_finds_near_spellings(gz):
    # The comparison above compares answers, not empty lists only.
    assert _whole_block_keys(gz, "Mayadinx", 70.0)
    assert _whole_block_keys(gz, "Palmirra", 70.0)
