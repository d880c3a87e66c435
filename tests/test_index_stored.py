"""What the index stores at build time to save reading the shipped files equals what reading
them gives: the extents of the curated areas (``curated_bbox``)."""

from __future__ import annotations

from gazetteer import lookup
from gazetteer.lookup import Store, curated_bboxes


def test_stored_curated_extents_equal_the_shipped_files(gz, monkeypatch):
    want = curated_bboxes()
    assert len(want) > 50  # the comparison compares something
    calls: list[int] = []
    monkeypatch.setattr(lookup, "curated_bboxes", lambda: calls.append(1) or {})
    store = Store(gz.index_path)
    try:
        got = store.curated_bbox
    finally:
        store.close()
    assert calls == []  # read from the index, not the files
    assert got == want
    assert all(type(v) is float for b in got.values() for v in b)
