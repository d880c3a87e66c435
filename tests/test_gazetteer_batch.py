"""Fast paths of batch resolution give the answers of the plain ones (no timing here: see
bench/resolve_file.py; the JSON Lines writer and batch-equals-single are checked in
tests/test_cli_resolve.py)."""

from __future__ import annotations

import dataclasses

from gazetteer.model import Place


def test_place_of_row_fills_every_field_by_name(gz):
    """Store.place_of_row builds Place positionally: each field must get its own column."""
    assert [f.name for f in dataclasses.fields(Place)] == [
        "uid", "name", "country", "admin1", "lat", "lon", "kind", "precision", "population",
        "feature_code", "source", "note", "admin1_name", "bbox", "centroid", "geonames_id"]
    from gazetteer.normalize import skeleton

    store = gz.store
    rows = [row for n in ("Mosul", "Aleppo", "Syria", "Deir ez-Zor", "Paris")
            for row in store.rows(skeleton(n))]
    assert {r[7] for r in rows} >= {"country", "admin1", "populated_place"}
    for row in rows:
        (_pid, uid, name, country, admin1, lat, lon, kind, fcode, pop, prec, src,
         note) = row[:13]
        p = store.place_of_row(row)
        assert (p.uid, p.name, p.country, p.admin1, p.kind, p.feature_code, p.population,
                p.precision, p.source, p.note) == (uid, name, country, admin1, kind, fcode,
                                                   pop, prec, src, note)
        assert p.admin1_name == store.admin1_name(admin1)
        if kind != "country":
            assert (p.lat, p.lon) == (lat, lon)
        if uid.startswith("geonames:"):
            assert p.geonames_id == int(uid[9:])
