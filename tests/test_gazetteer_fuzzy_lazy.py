"""The fuzzy search's shortcuts give the answers of the plain path.

- the phrase grammar puts off the fuzzy reading of a whole phrase until the phrase's hints and
  structure have failed (:meth:`Gazetteer._resolve_written` first): its answers equal those of
  the grammar reading the phrase fuzzily first;
- the fuzzy blocks are read from the index a few lengths at a time: the keys found equal those
  of a search over the whole block of the prefix;
- the blocks are read from the index's ``key_blocks`` table (written at build time): they equal
  the skeletons a scan of ``names`` finds, the fuzzy answers equal those of the scan, and a
  change of ``names`` makes the table stale (a trigger) until it is written again;
- the fuzzy answers are remembered per skeleton: asked again, they equal a fresh search's, and
  an overlay added since (whose names take part) is not missed (nor by the blocks read
  before it).
"""

from __future__ import annotations

import sqlite3

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


def _scanned(store, prefix: str) -> dict[int, list[str]]:
    hi = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    out: dict[int, list[str]] = {}
    for k in store.keys_between(prefix, hi):
        out.setdefault(len(k), []).append(k)
    return out


@pytest.mark.parametrize("prefix", ["ma", "al", "da", "ha", "ra", "ka", "zz", "qx"])
def test_stored_key_blocks_equal_a_scan_of_the_names(gz, prefix):
    want = _scanned(gz.store, prefix)
    got = gz.store.key_blocks(prefix, 0, 1 << 20)
    assert got is not None  # the session's index has current blocks
    assert got == {n: ks for n, ks in want.items() if ks}
    part = gz.store.key_blocks(prefix, 5, 7)
    assert part == {n: ks for n, ks in want.items() if 5 <= n <= 7}
    if prefix in ("ma", "al"):
        assert sum(len(v) for v in got.values()) > 100  # the comparison compares something


@pytest.mark.parametrize("name", ["Mayadinx", "Palmirra", "Aleppoo", "Hasakahh", "Raqqaa",
                                  "Kafr Zitaa", "Dayr Az Zawrr", "Qamishlii", "Tadmurr"])
def test_fuzzy_keys_from_stored_blocks_equal_the_scan(gz, monkeypatch, name):
    from gazetteer.candidates import CandidateSearch

    scans: list[str] = []
    orig = type(gz.store).keys_between

    def spy(self, lo, *a, **k):
        scans.append(lo)
        return orig(self, lo, *a, **k)

    monkeypatch.setattr(type(gz.store), "keys_between", spy)
    stored = CandidateSearch(gz.store).fuzzy_keys(name, 70.0, limit=20)
    assert scans == []  # the stored blocks were read, not the names
    with monkeypatch.context() as m:
        m.setattr(type(gz.store), "key_blocks", lambda self, *a: None)
        scanned = CandidateSearch(gz.store).fuzzy_keys(name, 70.0, limit=20)
    assert scans  # the plain path is really taken
    assert stored == scanned


def _tiny_index(path, names: list[str]) -> None:
    from gazetteer import index

    con = sqlite3.connect(path)
    con.executescript(index.SCHEMA)
    con.execute("INSERT INTO places VALUES (1,'t:1','T','SY',NULL,35,38,'populated_place',"
                "'P','PPL',0,1,0,'test',NULL)")
    con.executemany("INSERT INTO names VALUES (?,1,?,?,?,0)",
                    [(skeleton(n), n, n.lower(), n.lower()) for n in names])
    index.write_key_blocks(con)
    con.commit()
    con.close()


def test_a_change_of_names_makes_the_stored_blocks_stale_until_written_again(tmp_path):
    from gazetteer import index
    from gazetteer.lookup import Store

    path = tmp_path / "tiny.sqlite"
    _tiny_index(path, ["Mayadin", "Mayadeen", "Manbij", "Aleppo"])
    store = Store(path)
    before = store.key_blocks(skeleton("Mayadin")[:2], 0, 99)
    assert before == _scanned(store, skeleton("Mayadin")[:2])
    store.close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO names VALUES (?,1,'Mazraa','mazraa','mazraa',0)",
                (skeleton("Mazraa"),))
    con.commit()
    con.close()
    store = Store(path)
    assert store.key_blocks("ma", 0, 99) is None  # stale: the search scans the names
    store.close()
    assert index.refresh_key_blocks(path) is True
    assert index.refresh_key_blocks(path) is False  # current now
    store = Store(path)
    got = store.key_blocks(skeleton("Mazraa")[:2], 0, 99)
    assert got == _scanned(store, skeleton("Mazraa")[:2])
    assert skeleton("Mazraa") in got[len(skeleton("Mazraa"))]
    store.close()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM names WHERE name = 'Manbij'")
    con.commit()
    con.close()
    store = Store(path)
    assert store.key_blocks("ma", 0, 99) is None  # a removal too
    store.close()


def test_remembered_fuzzy_keys_equal_a_fresh_search(gz):
    from gazetteer.candidates import CandidateSearch

    names = ["Mayadinx", "Palmirra", "Aleppoo", "Hasakahh", "the city of Aleppo", "Xqzwvbnm"]
    first = [gz.candidates.fuzzy_keys(n, 70.0, limit=20) for n in names]
    again = [gz.candidates.fuzzy_keys(n, 70.0, limit=20) for n in names]
    fresh = [CandidateSearch(gz.store)._fuzzy_keys(skeleton(n), 70.0, 20) for n in names]
    assert first == again == [list(f) for f in fresh]
    assert any(first)  # answers, not only empty lists
    assert gz.candidates.fuzzy_keys("Mayadinx", 95.0) == list(
        CandidateSearch(gz.store)._fuzzy_keys(skeleton("Mayadinx"), 95.0, 8))  # by cutoff


def test_remembered_fuzzy_keys_see_an_overlay_added_later(gz, tmp_path):
    from gazetteer import Gazetteer

    g = Gazetteer(gz.index_path, verbose=False)
    try:
        query = "Qzrbatwiya"
        before = g.candidates.fuzzy_keys(query, 85.0)
        ov = tmp_path / "mine.csv"
        ov.write_text("name,lat,lon,country,kind\nQzrbatwiyah,35.1,40.4,SY,village\n",
                      encoding="utf-8")
        g.add_overlay(ov)
        after = g.candidates.fuzzy_keys(query, 85.0)
        assert skeleton("Qzrbatwiyah") not in [k for k, _ in before]
        assert skeleton("Qzrbatwiyah") in [k for k, _ in after]
    finally:
        g.close()
